# Benchmark of lq() on a PostgreSQL table (RPostgres) against hand-written
# SQL on the same connection: the first part of bench/remote.R, on the
# engine CI tests. The panel is the same as there (2,000 regions x
# N / 20,000 industries x 10 years).
# Run from the repository root with a server (tools/postgres.sh start prints
# the environment it needs):
#   eval "$(bash tools/postgres.sh start)"
#   R_LIBS=.lib Rscript bench/remote-postgres.R
# Sizes: GVCLUSTER_REMOTE_N panel rows (default 1e7); REPS timed runs of each
# query (default 3), alternating; the minima are reported.
# Results are recorded in bench/remote.md. The table is a regular table named
# bench_panel_<pid> (so that a fresh process can time it), removed at the end.
if (!nzchar(Sys.getenv("TZ"))) Sys.setenv(TZ = "UTC")   # RPostgres asks the time zone
suppressPackageStartupMessages({
  library(gvcluster)
  library(DBI)
})
N <- as.numeric(Sys.getenv("GVCLUSTER_REMOTE_N", "1e7"))
REPS <- as.integer(Sys.getenv("REPS", "3"))
env <- function(v) { x <- Sys.getenv(paste0("GVCLUSTER_PG_", v)); if (nzchar(x)) x else NULL }
if (is.null(env("DBNAME"))) stop("set GVCLUSTER_PG_DBNAME etc. (eval \"$(bash tools/postgres.sh start)\")")
con <- do.call(dbConnect, c(list(RPostgres::Postgres()), dbname = env("DBNAME"),
                            host = env("HOST"), port = env("PORT"), user = env("USER"),
                            password = env("PASSWORD")))
tab <- paste0("bench_panel_", Sys.getpid())
main <- function() {
on.exit({ if (dbExistsTable(con, tab)) dbRemoveTable(con, tab); dbDisconnect(con) })

ny <- 10; nreg <- 2000; nind <- max(5, round(N / (ny * nreg)))
cat(sprintf("PostgreSQL %s; panel: %d regions x %d industries x %d years = %.3g rows\n",
            dbGetQuery(con, "SHOW server_version")[[1]], nreg, nind, ny, nreg * nind * ny))
set.seed(1)
t_write <- system.time(for (y in seq_len(ny)) {
  chunk <- data.frame(year = 2000L + y,
                      region = rep(seq_len(nreg), times = nind),
                      industry = rep(seq_len(nind), each = nreg),
                      emp = round(rexp(nreg * nind) * 100, 1))
  dbWriteTable(con, tab, chunk, append = y > 1)
})[["elapsed"]]
rm(chunk); invisible(gc())
invisible(dbExecute(con, paste("ANALYZE", tab)))
cat(sprintf("written in %.1f s\n", t_write))

hand <- sprintf("
SELECT p.*, (p.emp / r.s) / (i.s / g.s) AS lq
FROM %1$s p
JOIN (SELECT year, region, SUM(emp) AS s FROM %1$s GROUP BY year, region) r
  ON p.year = r.year AND p.region = r.region
JOIN (SELECT year, industry, SUM(emp) AS s FROM %1$s GROUP BY year, industry) i
  ON p.year = i.year AND p.industry = i.industry
JOIN (SELECT year, SUM(emp) AS s FROM %1$s GROUP BY year) g
  ON p.year = g.year", tab)
hand_w <- sprintf("
SELECT *, (emp / SUM(emp) OVER (PARTITION BY year, region)) /
  (SUM(emp) OVER (PARTITION BY year, industry) / SUM(emp) OVER (PARTITION BY year)) AS lq
FROM %s", tab)
tb <- dplyr::tbl(con, tab)
timed <- function(expr) {
  t <- system.time(v <- force(expr))[["elapsed"]]
  rm(v); invisible(gc()); t
}
invisible(dplyr::collect(lq(dplyr::filter(tb, year == 0L), "emp", "region", "industry")))
t <- matrix(NA_real_, REPS, 3, dimnames = list(NULL, c("joins", "window", "lq")))
for (r in seq_len(REPS)) {                     # alternating, each collected into R
  t[r, "joins"] <- timed(dbGetQuery(con, hand))
  t[r, "lq"] <- timed(dplyr::collect(lq(tb, "emp", "region", "industry", by = "year")))
  t[r, "window"] <- timed(dbGetQuery(con, hand_w))
}
print(t)
best_hand <- min(t[, c("joins", "window")])
cat(sprintf("minima: joins %.2f s, window functions %.2f s, lq() %.2f s = %.2fx the fastest hand SQL\n",
            min(t[, "joins"]), min(t[, "window"]), min(t[, "lq"]), min(t[, "lq"]) / best_hand))

# agreement on one year with the in-memory method
one <- dbGetQuery(con, sprintf("SELECT * FROM %s WHERE year = 2001", tab))
rl <- dplyr::collect(lq(dplyr::filter(tb, year == 2001L), "emp", "region", "industry"))
ml <- lq(one, "emp", "region", "industry")
k <- match(paste(ml$region, ml$industry), paste(rl$region, rl$industry))
cat(sprintf("max relative difference, remote vs in memory (one year): %.2g\n",
            max(abs(rl$lq[k] / ml$lq - 1), na.rm = TRUE)))
}
main()
