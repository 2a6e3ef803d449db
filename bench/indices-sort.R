# Benchmarks of the concentration() indices that sort each industry's cells
# (gini, locational_gini, gini_lq) on 3,000 regions x 1,000 industries:
# dense, dense with 60% zero cells, the latter as a dgCMatrix, and a
# 10-year long panel of 1e6 rows a year; one and two threads, each call
# back to back with colSums(x), the one-pass baseline.  Run from the
# package root after `make install`:  R_LIBS=.lib Rscript bench/indices-sort.R
# (minimum and median of 15 iterations, 5 on the panel).
suppressPackageStartupMessages({
  library(gvcluster); library(bench); library(Matrix)
})
set.seed(2024)
nr <- 3000; nc <- 1000
x <- matrix(rexp(nr * nc) * 100, nr, nc)
xs <- x; xs[runif(nr * nc) < 0.6] <- 0
sp <- as(xs, "CsparseMatrix")
ny <- 10; per <- 1e6
cells <- unlist(lapply(seq_len(ny), function(t) sample.int(nr * nc, per)))
panel <- data.frame(region = (cells - 1L) %% nr + 1L, industry = (cells - 1L) %/% nr + 1L,
                    year = rep(2011L:2020L, each = per), value = rexp(ny * per) * 100)
rm(cells); invisible(gc())

out <- list()
tm <- function(task, input, expr, iterations = 15) {
  f <- function() NULL
  body(f) <- substitute(expr)
  environment(f) <- globalenv()
  for (th in 1:2) {
    options(gvcluster.threads = th)
    r <- bench::mark(f(), iterations = iterations, check = FALSE, memory = FALSE,
                     filter_gc = FALSE)
    t <- as.numeric(r$time[[1]])
    out[[length(out) + 1]] <<- data.frame(task = task, input = input, threads = th,
                                          min_ms = 1e3 * min(t), median_ms = 1e3 * median(t))
    cat(sprintf("%-16s %-10s %d thr  min %7.2f ms  median %7.2f ms\n", task, input, th,
                1e3 * min(t), 1e3 * median(t)))
  }
}
tm("colSums", "dense", colSums(x))
for (ix in c("locational_gini", "gini_lq", "gini")) {
  eval(bquote(tm(.(ix), "dense", concentration(x, .(ix)))))
  eval(bquote(tm(.(ix), "dense 60%0", concentration(xs, .(ix)))))
  eval(bquote(tm(.(ix), "sparse", concentration(sp, .(ix)))))
}
tm("all 5", "dense", concentration(x))
tm("gini", "panel", concentration(panel, "gini", by = "year"), 5)
tm("all 5", "panel", concentration(panel, by = "year"), 5)
res <- do.call(rbind, out)
print(res, digits = 3, row.names = FALSE)
