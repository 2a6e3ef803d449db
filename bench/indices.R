# Benchmarks of the index suite (specialization(), concentration(),
# ellison_glaeser(), maurel_sedillot(), shift_share()) against REAT and
# EconGeo, on 3,000 regions x 1,000 industries (dense, and 60%-zero sparse)
# and a 10-million-row long panel. Run from the package root after
# `make install`:  R_LIBS=.lib Rscript bench/indices.R
# Peers that take more than 10 s run once (iterations = 1); the rest 3 times.
suppressPackageStartupMessages({
  library(gvcluster); library(bench); library(Matrix)
})
have <- function(p) requireNamespace(p, quietly = TRUE)
rows <- list()
run <- function(task, input, impl, expr, iterations = 3) {
  e <- substitute(expr)
  r <- tryCatch(bench::mark(eval(e, parent.frame(3)), iterations = iterations,
                            check = FALSE, memory = TRUE, filter_gc = FALSE),
                error = function(err) NULL)
  t <- if (is.null(r)) NA_real_ else as.numeric(r$median)
  m <- if (is.null(r)) NA_real_ else as.numeric(r$mem_alloc)
  rows[[length(rows) + 1]] <<- data.frame(task = task, input = input, impl = impl,
                                          seconds = t, mem_MB = m / 2^20)
  cat(sprintf("%-18s %-7s %-32s %9.4f s %9.1f MB\n", task, input, impl, t, m / 2^20))
  invisible(t)
}
slow <- function(...) run(..., iterations = 1)

set.seed(2024)
nr <- 3000; nc <- 1000
x <- matrix(rexp(nr * nc) * 100, nr, nc,
            dimnames = list(paste0("r", seq_len(nr)), paste0("i", seq_len(nc))))
xs <- x; xs[runif(nr * nc) < 0.6] <- 0
sp <- as(xs, "CsparseMatrix")
cat("dense:", nr, "x", nc, "; sparse nnz:", length(sp@x), "\n")

# ---- one thread against two: `Rscript bench/indices.R threads` runs only
# this part.  Each gvcluster call with options(gvcluster.threads = 1) and 2
# back to back in one session (minimum and median of 9 iterations on the
# matrices, 5 on the panel), with the peers and one-pass baselines that the
# ratios in indices.md need.
if (identical(commandArgs(TRUE), "threads")) {
  thr <- list()
  tmark <- function(task, input, expr, iterations = 9, threads = 1:2) {
    f <- function() NULL
    body(f) <- substitute(expr)
    environment(f) <- globalenv()        # x, sp and panel live there
    for (th in threads) {
      options(gvcluster.threads = th)
      invisible(gc())
      r <- bench::mark(f(), iterations = iterations,
                       check = FALSE, memory = FALSE, filter_gc = FALSE)
      t <- as.numeric(r$time[[1]])
      thr[[length(thr) + 1]] <<- data.frame(task = task, input = input, threads = th,
                                            min = min(t), median = median(t))
      cat(sprintf("%-24s %-7s %d thr  min %8.2f ms  median %8.2f ms\n", task, input, th,
                  1e3 * min(t), 1e3 * median(t)))
    }
  }
  base <- function(task, input, expr, iterations = 9)
    eval(substitute(tmark(task, input, expr, iterations, threads = 1L)))
  base("one pass colSums", "dense", colSums(x))
  base("one pass colSums", "sparse", Matrix::colSums(sp))
  for (ix in c("krugman", "hoover", "hhi", "entropy", "theil_t", "theil_l")) {
    eval(bquote(tmark(.(ix), "dense", specialization(x, .(ix)))))
    eval(bquote(tmark(.(ix), "sparse", specialization(sp, .(ix)))))
  }
  tmark("all 10 spec", "dense", specialization(x))
  for (ix in c("krugman", "hoover", "gini", "locational_gini", "gini_lq")) {
    eval(bquote(tmark(.(paste(ix, "(conc)")), "dense", concentration(x, .(ix)))))
    eval(bquote(tmark(.(paste(ix, "(conc)")), "sparse", concentration(sp, .(ix)))))
  }
  tmark("all 5 conc", "dense", concentration(x))
  if (have("EconGeo")) {
    base("EconGeo::krugman_index", "dense", EconGeo::krugman_index(x), 5)
    base("EconGeo::herfindahl", "dense", EconGeo::herfindahl(x), 5)
    base("EconGeo::herfindahl(as.matrix)", "sparse", EconGeo::herfindahl(as.matrix(sp)), 5)
    base("EconGeo::entropy", "dense", EconGeo::entropy(x), 5)
  }
  ny <- 10; per <- 1e6
  cells <- unlist(lapply(seq_len(ny), function(t) sample.int(nr * nc, per)))
  panel <- data.frame(region = (cells - 1L) %% nr + 1L, industry = (cells - 1L) %/% nr + 1L,
                      year = rep(2011L:2020L, each = per), value = rexp(ny * per) * 100)
  rm(cells); invisible(gc())
  base("one pass value + 0", "panel", panel$value + 0, 5)
  tmark("krugman", "panel", specialization(panel, "krugman", by = "year"), 5)
  tmark("all 10 spec", "panel", specialization(panel, by = "year"), 5)
  tmark("gini (conc)", "panel", concentration(panel, "gini", by = "year"), 5)
  tmark("all 5 conc", "panel", concentration(panel, by = "year"), 5)
  tmark("shift dunn", "panel", shift_share(panel, "value", "region", "industry", "year"), 5)
  saveRDS(do.call(rbind, thr), "bench/indices-threads.rds")
  quit(save = "no")
}

# ---- one pass over the data: the speed floor ---------------------------
run("one pass", "dense", "x + 0", x + 0)
run("one pass", "dense", "colSums(x)", colSums(x))
run("one pass", "sparse", "sp@x + 0", sp@x + 0)
run("one pass", "sparse", "Matrix::colSums(sp)", Matrix::colSums(sp))

# ---- specialisation -----------------------------------------------------
sp_idx <- c("krugman", "hoover", "hhi", "hhi_normalized", "entropy", "theil_t",
            "theil_l", "duranton_puga", "lq_average", "hachman")
for (ix in sp_idx) {
  run(ix, "dense", "gvcluster", specialization(x, ix))
  run(ix, "sparse", "gvcluster", specialization(sp, ix))
}
# Hoover with industry weights (REAT::hoover's `weighting`), against REAT
# applied region by region below
wts <- runif(nc) * 10
run("hoover weighted", "dense", "gvcluster", specialization(x, "hoover", weights = wts))
run("hoover weighted", "sparse", "gvcluster", specialization(sp, "hoover", weights = wts))
run("all 10 spec", "dense", "gvcluster", specialization(x))
run("all 10 spec", "sparse", "gvcluster", specialization(sp))
if (have("EconGeo")) {
  run("krugman", "dense", "EconGeo::krugman_index", EconGeo::krugman_index(x))
  run("hoover", "dense", "EconGeo::spec_coeff", EconGeo::spec_coeff(x))
  run("hhi", "dense", "EconGeo::herfindahl", EconGeo::herfindahl(x))
  run("entropy", "dense", "EconGeo::entropy", EconGeo::entropy(x))
  run("lq_average", "dense", "EconGeo::location_quotient_avg",
      EconGeo::location_quotient_avg(x))
  run("hachman", "dense", "EconGeo::hachman", EconGeo::hachman(x))
  # EconGeo takes no sparse matrix: the same functions on the densified copy
  run("krugman", "sparse", "EconGeo::krugman_index(as.matrix)",
      EconGeo::krugman_index(as.matrix(sp)))
  run("hhi", "sparse", "EconGeo::herfindahl(as.matrix)", EconGeo::herfindahl(as.matrix(sp)))
}
if (have("REAT")) {
  # REAT works on one region's vector at a time
  cs <- colSums(x)
  run("duranton_puga", "dense", "REAT::durpug per region",
      apply(x, 1, REAT::durpug, e_i = cs))
  run("hhi", "dense", "REAT::herf per region", apply(x, 1, REAT::herf))
  run("hhi_normalized", "dense", "REAT::herf(coefnorm) per region",
      apply(x, 1, REAT::herf, coefnorm = TRUE))
  run("theil_l", "dense", "REAT::theil per region", apply(x, 1, REAT::theil))
  run("hoover weighted", "dense", "REAT::hoover(weighting) per region",
      apply(x, 1, REAT::hoover, ref = cs, weighting = wts))
  run("hoover weighted", "sparse", "REAT::hoover(weighting) per region (as.matrix)",
      apply(as.matrix(sp), 1, REAT::hoover, ref = Matrix::colSums(sp), weighting = wts))
}

# ---- concentration ------------------------------------------------------
for (ix in c("krugman", "hoover", "gini", "locational_gini", "gini_lq")) {
  run(paste0(ix, " (conc)"), "dense", "gvcluster", concentration(x, ix))
  run(paste0(ix, " (conc)"), "sparse", "gvcluster", concentration(sp, ix))
}
wr <- runif(nr) * 10
run("hoover weighted (conc)", "dense", "gvcluster", concentration(x, "hoover", weights = wr))
run("hoover weighted (conc)", "sparse", "gvcluster", concentration(sp, "hoover", weights = wr))
run("all 5 conc", "dense", "gvcluster", concentration(x))
run("all 5 conc", "sparse", "gvcluster", concentration(sp))
if (have("EconGeo")) {
  rs <- rowSums(x)
  run("hoover (conc)", "dense", "EconGeo::hoover_index", EconGeo::hoover_index(x, pop = rs))
  run("gini (conc)", "dense", "EconGeo::gini", suppressWarnings(EconGeo::gini(x)))
  slow("locational_gini (conc)", "dense", "EconGeo::locational_gini",
       EconGeo::locational_gini(x))
}
if (have("REAT")) {
  rs <- rowSums(x)
  run("krugman (conc)", "dense", "REAT::krugman.conc per industry",
      apply(x, 2, REAT::krugman.conc, e_uj = rs))
  run("hoover (conc)", "dense", "REAT::hoover per industry",
      apply(x, 2, REAT::hoover, ref = rs))
  run("gini (conc)", "dense", "REAT::gini per industry", apply(x, 2, REAT::gini))
  run("hoover weighted (conc)", "dense", "REAT::hoover(weighting) per industry",
      apply(x, 2, REAT::hoover, ref = rs, weighting = wr))
  # REAT::gini.conc loops over the regions in R: 20 of the 1,000 industries
  # (scaled x 50 in indices.md)
  slow("gini_lq (conc)", "dense", "REAT::gini.conc, 20 of 1000 industries",
       apply(x[, 1:20], 2, REAT::gini.conc, e_j = rs))
}

# ---- 10-million-row panel: 10 years x 1,000,000 cells of 3,000 x 1,000 --
ny <- 10; per <- 1e6
cells <- unlist(lapply(seq_len(ny), function(t) sample.int(nr * nc, per)))
panel <- data.frame(region = (cells - 1L) %% nr + 1L, industry = (cells - 1L) %/% nr + 1L,
                    year = rep(2011L:2020L, each = per), value = rexp(ny * per) * 100)
rm(cells); invisible(gc())
cat("panel rows:", nrow(panel), "\n")
run("one pass", "panel", "panel$value + 0", panel$value + 0)
run("one pass", "panel", "rowsum(value, year)", rowsum(panel$value, panel$year))
run("krugman", "panel", "gvcluster (by = year)", specialization(panel, "krugman", by = "year"))
run("all 10 spec", "panel", "gvcluster (by = year)", specialization(panel, by = "year"))
run("gini (conc)", "panel", "gvcluster (by = year)", concentration(panel, "gini", by = "year"))
run("all 5 conc", "panel", "gvcluster (by = year)", concentration(panel, by = "year"))
run("shift dunn", "panel", "gvcluster (2011 vs 2020)",
    shift_share(panel, "value", "region", "industry", "year"))
run("shift esteban", "panel", "gvcluster (2011 vs 2020)",
    shift_share(panel, "value", "region", "industry", "year", method = "esteban"))
run("shift dynamic", "panel", "gvcluster (9 periods)",
    shift_share(panel, "value", "region", "industry", "year", method = "dynamic"))
if (have("REAT")) {
  # REAT::shift works on one region at a time: all 3,000 regions, two years
  y0 <- xtabs(value ~ region + industry, panel[panel$year == 2011L, ])
  y1 <- xtabs(value ~ region + industry, panel[panel$year == 2020L, ])
  n0 <- colSums(y0); n1 <- colSums(y1)
  slow("shift dunn", "panel", "REAT::shift per region (+xtabs excluded)",
       for (r in seq_len(nr)) REAT::shift(y0[r, ], y1[r, ], n0, n1, print.results = FALSE))
  # REAT's long-format specialisation handles one year per call and needs
  # minutes for one year of 1,000,000 rows: 100,000 rows of one year
  one <- panel[panel$year == 2011L, ][1:1e5, ]
  slow("krugman", "panel", "REAT::spec, 1e5 rows of 1 year",
       utils::capture.output(REAT::spec(one$value, one$industry, one$region)))
}
rm(panel); invisible(gc())

# ---- plant-level agglomeration: 1,000,000 plants ------------------------
np <- 1e6
plants <- data.frame(emp = ceiling(rexp(np) * 20), ind = sample.int(nc, np, replace = TRUE),
                     reg = sample.int(nr, np, replace = TRUE, prob = rexp(nr)))
run("one pass", "plants", "plants$emp + 0", plants$emp + 0)
run("ellison_glaeser", "plants", "gvcluster", ellison_glaeser(plants, "emp", region = "reg", industry = "ind"))
run("maurel_sedillot", "plants", "gvcluster", maurel_sedillot(plants, "emp", region = "reg", industry = "ind"))
run("EG pairs (499,500)", "plants", "gvcluster", ellison_glaeser(plants, "emp", region = "reg", industry = "ind",
                                                             pairs = TRUE))
if (have("REAT")) {
  # REAT::ellison.a: one industry per call; 10 industries, scaled to 1,000 below
  tot <- tapply(plants$emp, plants$reg, sum)
  slow("ellison_glaeser", "plants", "REAT::ellison.a, 10 of 1000 industries", {
    for (j in 1:10) {
      q <- plants[plants$ind == j, ]
      REAT::ellison.a(q$emp, tot[as.character(unique(q$reg))], q$reg, print.results = FALSE)
    }
  })
}

res <- do.call(rbind, rows)
saveRDS(res, "bench/indices-results.rds")
cat("\n")
print(res, row.names = FALSE, digits = 4)
