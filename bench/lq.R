# Benchmark of lq() (dense matrix, dgCMatrix, long panel) against base R,
# EconGeo, economiccomplexity, REAT and data.table, with one pass over the
# memory as the floor. Run from the repository root:
#   R_LIBS=.lib Rscript bench/lq.R
# Results are recorded in bench/lq.md. A few minutes in all (3 iterations
# per expression; the machine is shared, so medians are noisy).
suppressPackageStartupMessages({
  library(gvcluster)
  library(Matrix)
  library(bench)
})
has <- function(p) requireNamespace(p, quietly = TRUE)
iters <- as.integer(Sys.getenv("GVCLUSTER_BENCH_ITER", "3"))

show <- function(b, title) {
  cat("\n##", title, "\n\n")
  r <- data.frame(expression = vapply(b$expression, function(e) paste(deparse(e), collapse = ""), ""),
                  median_ms = round(as.numeric(b$median) * 1e3, 1),
                  min_ms = round(as.numeric(b$min) * 1e3, 1),
                  mem_alloc_MB = round(as.numeric(b$mem_alloc) / 2^20, 1))
  print(r, row.names = FALSE)
  invisible(r)
}
ratio <- function(r, a, b) r$median_ms[a] / r$median_ms[b]

# ---- dense 3,000 x 10,000, 60% zeros --------------------------------------
set.seed(42)
nr <- 3000; nc <- 10000
x <- matrix(rexp(nr * nc) * 100, nr, nc)
x[runif(nr * nc) < 0.6] <- 0

base_lq <- function(x) {
  sweep(sweep(x, 1, rowSums(x), "/"), 2, colSums(x) / sum(x), "/")
}
base_outer <- function(x) x / outer(rowSums(x), colSums(x)) * sum(x)
reat_lq <- function(x) {
  cs <- colSums(x); tot <- sum(x)
  t(apply(x, 1, function(r) REAT::locq(r, sum(r), cs, tot)))
}

# the same numbers, checked once outside the timings
ref <- base_lq(x)
stopifnot(isTRUE(all.equal(lq(x), ref, tolerance = 1e-12)))
maxrel <- function(a, b) max(abs(as.matrix(a) - b) / abs(b), na.rm = TRUE)
if (has("EconGeo"))
  cat("EconGeo max relative difference:",
      maxrel(unname(EconGeo::location_quotient(x)), ref), "\n")
if (has("economiccomplexity"))
  cat("economiccomplexity max relative difference:",
      maxrel(unname(economiccomplexity::balassa_index(x, discrete = FALSE)), ref), "\n")

exprs <- list(
  floor = quote(x + 0),
  gvcluster = quote(lq(x)),
  base_sweep = quote(base_lq(x)),
  base_outer = quote(base_outer(x))
)
if (has("EconGeo")) exprs$EconGeo <- quote(EconGeo::location_quotient(x))
if (has("economiccomplexity"))
  exprs$economiccomplexity <- quote(economiccomplexity::balassa_index(x, discrete = FALSE))
if (has("REAT")) exprs$REAT <- quote(reat_lq(x))
bd <- do.call(bench::mark, c(unname(exprs), list(iterations = iters, check = FALSE,
                                                 filter_gc = FALSE)))
rd <- show(bd, "Dense 3,000 x 10,000 (60% zeros)")
peers <- seq_len(nrow(rd))[-(1:2)]
cat(sprintf("\ngvcluster / floor: %.2f (target <= 1.3)\n", ratio(rd, 2, 1)))
cat(sprintf("fastest peer / gvcluster: %.1f (target >= 5)\n",
            min(rd$median_ms[peers]) / rd$median_ms[2]))
rm(ref); invisible(gc())

# ---- the same as a dgCMatrix ----------------------------------------------
s <- as(x, "CsparseMatrix")
rm(x); invisible(gc())
cat("\nnnz:", length(s@x), "\n")
base_sparse <- function(s) {
  Diagonal(x = 1 / rowSums(s)) %*% s %*% Diagonal(x = sum(s) / colSums(s))
}
stopifnot(isTRUE(all.equal(lq(s)@x, as(base_sparse(s), "CsparseMatrix")@x,
                           tolerance = 1e-12)))
sx <- s@x
exprs <- list(
  floor = quote(sx + 0),
  gvcluster = quote(lq(s)),
  Matrix_diagonal = quote(base_sparse(s))
)
# (economiccomplexity::balassa_index() takes only a data frame or a dense matrix)
bs <- do.call(bench::mark, c(unname(exprs), list(iterations = iters, check = FALSE,
                                                 filter_gc = FALSE)))
rs <- show(bs, "Sparse dgCMatrix 3,000 x 10,000 (40% non-zero)")
cat(sprintf("\ngvcluster / floor: %.2f (target <= 2)\n", ratio(rs, 2, 1)))
rm(s, sx); invisible(gc())

# ---- long panel: 5,000 regions x 100 industries x 20 years ----------------
p <- expand.grid(industry = 1:100, region = 1:5000, year = 2000:2019,
                 KEEP.OUT.ATTRS = FALSE)
p$emp <- rexp(nrow(p)) * 100
p$emp[runif(nrow(p)) < 0.3] <- 0
cat("\npanel rows:", nrow(p), "\n")
emp <- p$emp
exprs <- list(
  floor = quote(emp + 0),
  gvcluster = quote(lq(p, "emp", "region", "industry", by = "year"))
)
if (has("data.table")) {
  dt <- data.table::as.data.table(p)
  dt_lq <- function(dt) {
    dt[, rt := sum(emp), by = c("year", "region")]
    dt[, it := sum(emp), by = c("year", "industry")]
    dt[, gt := sum(emp), by = "year"]
    dt[, lq := (emp / rt) / (it / gt)]
    dt
  }
  res <- dt_lq(data.table::copy(dt))
  g <- lq(p, "emp", "region", "industry", by = "year")$lq
  ok <- !is.na(g)
  stopifnot(identical(ok, !is.na(res$lq) & is.finite(res$lq)),
            max(abs(g[ok] - res$lq[ok]) / g[ok], na.rm = TRUE) < 1e-12)
  rm(res, g, ok)
  exprs$data.table <- quote(dt_lq(dt))
}
bp <- do.call(bench::mark, c(unname(exprs), list(iterations = iters, check = FALSE,
                                                 filter_gc = FALSE)))
rp <- show(bp, "Panel 10,000,000 rows (5,000 regions x 100 industries x 20 years)")
if (has("data.table"))
  cat(sprintf("\ndata.table / gvcluster: %.1f (target >= 2)\n", ratio(rp, 3, 2)))
cat(sprintf("gvcluster / floor: %.2f\n", ratio(rp, 2, 1)))
