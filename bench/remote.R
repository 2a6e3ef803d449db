# Benchmark of the measures on remote tables (SQLite through RSQLite):
#  1. lq() on a panel table, collected, against the shortest hand-written SQL
#     computing the same LQs on the same connection; R's peak memory while
#     lq() builds its lazy result against what collecting the table takes.
#  2. linreg() streamed over a table of n x 20 regressors against linreg()
#     on the collected data: peak R memory and agreement.
#  3. concentration() (all five indices, the Gini family by window functions)
#     in the engine, against fetching the cells and computing in memory.
# Run from the repository root:
#   R_LIBS=.lib Rscript bench/remote.R
# Sizes (the targets are stated for 10 million rows):
#   GVCLUSTER_REMOTE_N   panel rows (default 1e7)
#   GVCLUSTER_REMOTE_NREG regression rows (default 1e7)
#   GVCLUSTER_REMOTE_PARTS which parts to run (default "123")
#   GVCLUSTER_REMOTE_BLOCK rows per block of the streamed fit (default 1e4)
# Results are recorded in bench/remote.md.
#
# Memory is measured as R's own heap: gc(reset = TRUE) before, then the
# "max used" columns of gc() after (Ncells at 56 bytes, Vcells at 8 bytes),
# minus what was in use before. Memory that SQLite itself allocates (its page
# cache, sort buffers) is outside R and not counted.
suppressPackageStartupMessages({
  library(gvcluster)
  library(DBI)
})
N <- as.numeric(Sys.getenv("GVCLUSTER_REMOTE_N", "1e7"))
NREG <- as.numeric(Sys.getenv("GVCLUSTER_REMOTE_NREG", "1e7"))

# Peak of R's vector heap (Vcells, where data live) and of its cons cells
# (Ncells: language objects, mostly garbage from building queries) above
# what was in use before, in MB.
peak_mb <- function(expr) {
  invisible(gc(reset = TRUE))
  base <- gc()
  t <- system.time(val <- force(expr))[["elapsed"]]
  g <- gc()
  mx <- g[, ncol(g) - 1L]
  list(value = val, time = t,
       peak_mb = (mx[2L] - base[2L, 1L]) * 8 / 2^20,
       ncells_mb = (mx[1L] - base[1L, 1L]) * 56 / 2^20)
}

# The memory figures come from fresh R processes, whose garbage-collection
# thresholds have not been raised by earlier work in this script (R lets
# garbage pile up to the threshold, and "max used" counts it).
args <- commandArgs(trailingOnly = TRUE)
if (length(args) && args[1L] == "child") {
  con <- dbConnect(RSQLite::SQLite(), args[3L])
  what <- args[2L]
  if (what == "lq") {
    tb <- dplyr::tbl(con, "panel")
    invisible(lq(dplyr::filter(tb, year == 0L), "emp", "region", "industry"))  # load code
    m <- peak_mb(lq(tb, "emp", "region", "industry", by = "year"))
    cat(sprintf("CHILD lq %.3f %.3f %.3f\n", m$time, m$peak_mb, m$ncells_mb))
  } else if (what == "collect") {
    tb <- dplyr::tbl(con, "panel")
    invisible(dplyr::collect(utils::head(tb, 1L)))
    m <- peak_mb(dplyr::collect(tb))
    cat(sprintf("CHILD collect %.3f %.3f %.3f %.3f\n", m$time, m$peak_mb, m$ncells_mb,
                as.numeric(utils::object.size(m$value)) / 2^20))
  } else if (what == "conc") {
    tb <- dplyr::tbl(con, "panel")
    invisible(concentration(dplyr::filter(tb, year == 2001L), value = "emp"))  # load code
    m <- peak_mb(concentration(tb, value = "emp", by = "year"))
    saveRDS(m$value, args[4L])
    cat(sprintf("CHILD conc %.3f %.3f %.3f\n", m$time, m$peak_mb, m$ncells_mb))
  } else if (what == "conc_cells") {
    # the path of the indices that fetch the cells: the same measure from them
    tb <- dplyr::tbl(con, "panel")
    invisible(concentration(dplyr::filter(tb, year == 2001L), value = "emp"))
    m <- peak_mb(concentration(gvcluster:::remote_cells(tb, "emp", "region", "industry",
                                                        "year", FALSE),
                               value = "emp", by = "year"))
    cat(sprintf("CHILD conc_cells %.3f %.3f %.3f\n", m$time, m$peak_mb, m$ncells_mb))
  } else if (what == "linreg") {
    p <- 20
    fm <- stats::as.formula(paste("y ~", paste(sprintf("x%02d", seq_len(p)), collapse = " + ")))
    # load the code first (dplyr, dbplyr), outside the measured call
    invisible(linreg(fm, data = utils::head(dplyr::tbl(con, "reg"), 1000L)))
    m <- peak_mb(linreg(fm, data = dplyr::tbl(con, "reg"), order_by = "t",
                        block_size = as.numeric(args[4L])))
    saveRDS(m$value[c("coefficients", "se", "vif", "stats", "dw", "qr_info")], args[5L])
    cat(sprintf("CHILD linreg %.3f %.3f %.3f\n", m$time, m$peak_mb, m$ncells_mb))
  }
  dbDisconnect(con)
  quit(save = "no")
}
child <- function(...) {
  out <- system2(file.path(R.home("bin"), "Rscript"),
                 c("bench/remote.R", "child", ...), stdout = TRUE)
  as.numeric(strsplit(grep("^CHILD", out, value = TRUE), " ")[[1L]][-(1:2)])
}

db <- tempfile(fileext = ".sqlite")
con <- dbConnect(RSQLite::SQLite(), db)

# ---- 1. lq() on a panel --------------------------------------------------------
parts <- Sys.getenv("GVCLUSTER_REMOTE_PARTS", "123")   # any of "1", "2", "3"
if (grepl("1", parts)) {
# regions x industries x years = N rows, written in chunks of one year
ny <- 10
nreg <- 2000
nind <- max(5, round(N / (ny * nreg)))
cat(sprintf("panel: %d regions x %d industries x %d years = %.3g rows\n",
            nreg, nind, ny, nreg * nind * ny))
set.seed(1)
for (y in seq_len(ny)) {
  chunk <- data.frame(year = 2000L + y,
                      region = rep(seq_len(nreg), times = nind),
                      industry = rep(seq_len(nind), each = nreg),
                      emp = round(rexp(nreg * nind) * 100, 1))
  dbWriteTable(con, "panel", chunk, append = y > 1)
}
rm(chunk); invisible(gc())
hand <- "
SELECT p.*, (p.emp / r.s) / (i.s / g.s) AS lq
FROM panel p
JOIN (SELECT year, region, SUM(emp) AS s FROM panel GROUP BY year, region) r
  ON p.year = r.year AND p.region = r.region
JOIN (SELECT year, industry, SUM(emp) AS s FROM panel GROUP BY year, industry) i
  ON p.year = i.year AND p.industry = i.industry
JOIN (SELECT year, SUM(emp) AS s FROM panel GROUP BY year) g
  ON p.year = g.year"
# the same with window functions: shorter to write, one statement
hand_w <- "
SELECT *, (emp / SUM(emp) OVER (PARTITION BY year, region)) /
  (SUM(emp) OVER (PARTITION BY year, industry) / SUM(emp) OVER (PARTITION BY year)) AS lq
FROM panel"
tb <- dplyr::tbl(con, "panel")

t_hand <- system.time(h <- dbGetQuery(con, hand))[["elapsed"]]
rm(h); invisible(gc())
t_lq <- system.time(r <- dplyr::collect(lq(tb, "emp", "region", "industry", by = "year")))[["elapsed"]]
rm(r); invisible(gc())
t_hand2 <- system.time(h <- dbGetQuery(con, hand))[["elapsed"]]
rm(h); invisible(gc())
t_w <- system.time(h <- dbGetQuery(con, hand_w))[["elapsed"]]
rm(h); invisible(gc())
t_lq2 <- system.time(r <- dplyr::collect(lq(tb, "emp", "region", "industry", by = "year")))[["elapsed"]]
rm(r); invisible(gc())
m <- child("lq", db)
full <- child("collect", db)

# check on one year against the in-memory method
one <- dbGetQuery(con, "SELECT * FROM panel WHERE year = 2001")
rl <- dplyr::collect(lq(dplyr::filter(tb, year == 2001L), "emp", "region", "industry"))
ml <- lq(one, "emp", "region", "industry")
k <- match(paste(ml$region, ml$industry), paste(rl$region, rl$industry))
cat(sprintf("max relative difference, remote vs in memory (one year): %.2g\n",
            max(abs(rl$lq[k] / ml$lq - 1), na.rm = TRUE)))
cat(sprintf("hand-written SQL (joins), collected: %.2f s, %.2f s (two runs); with window functions: %.2f s\n",
            t_hand, t_hand2, t_w))
cat(sprintf("lq() collected (checking query + lazy query): %.2f s, %.2f s = %.2fx the fastest hand SQL\n",
            t_lq, t_lq2, min(t_lq, t_lq2) / min(t_hand, t_hand2, t_w)))
cat(sprintf("lq() alone (fresh process): %.2f s; R vector heap peak %.2f MB, cons cells %.1f MB\n",
            m[1], m[2], m[3]))
cat(sprintf("collecting the table (fresh process): %.2f s; vector heap peak %.1f MB, cons cells %.1f MB; the table is %.1f MB\n",
            full[1], full[2], full[3], full[4]))
cat(sprintf("lq() vector heap peak / collecting: %.2f%%\n", 100 * m[2] / full[2]))
rm(full, one); invisible(gc())
}
# ---- 3. concentration() in the engine (window functions) -----------------------
if (grepl("3", parts)) {
if (!dbExistsTable(con, "panel")) {
  ny <- 10; nreg <- 2000; nind <- max(5, round(N / (ny * nreg)))
  set.seed(1)
  for (y in seq_len(ny))
    dbWriteTable(con, "panel", data.frame(year = 2000L + y,
                                          region = rep(seq_len(nreg), times = nind),
                                          industry = rep(seq_len(nind), each = nreg),
                                          emp = round(rexp(nreg * nind) * 100, 1)),
                 append = y > 1)
}
cat(sprintf("\nconcentration(), all five indices by year, on %.3g panel rows\n",
            dbGetQuery(con, "SELECT COUNT(*) AS n FROM panel")$n))
rds3 <- tempfile(fileext = ".rds")
ce <- child("conc", db, rds3)
cc <- child("conc_cells", db)
r3 <- readRDS(rds3)
m3 <- concentration(dbGetQuery(con, "SELECT * FROM panel"), value = "emp", by = "year")
rel3 <- max(vapply(c("krugman", "hoover", "gini", "locational_gini", "gini_lq"), function(k)
  max(abs(r3[[k]] / m3[[k]] - 1), na.rm = TRUE), 0))
cat(sprintf("in the engine (window functions): %.2f s, R vector heap peak %.2f MB, cons cells %.1f MB\n",
            ce[1], ce[2], ce[3]))
cat(sprintf("cells fetched, indices in memory: %.2f s, R vector heap peak %.2f MB, cons cells %.1f MB\n",
            cc[1], cc[2], cc[3]))
cat(sprintf("max relative difference, engine vs in memory: %.2g\n", rel3))
}
if (dbExistsTable(con, "panel")) dbRemoveTable(con, "panel")

# ---- 2. linreg() streamed ------------------------------------------------------
if (grepl("2", parts)) {
p <- 20
cat(sprintf("\nregression: %.3g rows x %d regressors\n", NREG, p))
chunk_n <- 5e5
set.seed(2)
beta <- seq(-1, 1, length.out = p)
for (s in seq(1, NREG, by = chunk_n)) {
  k <- min(chunk_n, NREG - s + 1)
  X <- matrix(rnorm(k * p), k, p, dimnames = list(NULL, sprintf("x%02d", seq_len(p))))
  X[, 2] <- X[, 1] + 1e-3 * X[, 2]          # some collinearity (condition ~ 1e3)
  d <- data.frame(t = s - 1 + seq_len(k), X)
  d$y <- drop(X %*% beta) + rnorm(k)
  dbWriteTable(con, "reg", d, append = s > 1)
}
rm(X, d); invisible(gc())
fm <- stats::as.formula(paste("y ~", paste(sprintf("x%02d", seq_len(p)), collapse = " + ")))
dbDisconnect(con)
rds <- tempfile(fileext = ".rds")
bs <- as.numeric(Sys.getenv("GVCLUSTER_REMOTE_BLOCK", "1e4"))
m1 <- child("linreg", db, bs, rds)
f1 <- readRDS(rds)
design_mb <- NREG * p * 8 / 2^20
cat(sprintf("remote linreg() (fresh process, blocks of %g rows): %.1f s, %d refinement pass(es), vector heap peak %.1f MB = %.2f%% of the %.0f MB design; cons cells %.1f MB\n",
            bs, m1[1], f1$qr_info$refine_steps, m1[2], 100 * m1[2] / design_mb, design_mb, m1[3]))
con <- dbConnect(RSQLite::SQLite(), db)
d <- dbGetQuery(con, "SELECT * FROM reg ORDER BY t")
f0 <- peak_mb(linreg(fm, data = d))
cat(sprintf("in-memory linreg(): %.1f s (data frame already in memory)\n", f0$time))
f0 <- f0$value
rel <- function(a, b) max(abs(a / b - 1), na.rm = TRUE)
cat(sprintf("max relative difference: coefficients %.2g, SE %.2g, VIF %.2g, R2 %.2g, D-W %.2g, D-W p %.2g\n",
            rel(f1$coefficients, f0$coefficients), rel(f1$se, f0$se), rel(f1$vif, f0$vif),
            rel(f1$stats$r.squared, f0$stats$r.squared), rel(f1$dw$statistic, f0$dw$statistic),
            rel(f1$dw$p.value, f0$dw$p.value)))
}
dbDisconnect(con)
unlink(db)
