# Benchmark of linreg() against the pipeline it replaces and against plain
# least-squares fitters. Run from the package root after installing:
#   Rscript bench/linreg.R
# Sizes from the issue: n = 1e6 x p = 20 and n = 1e5 x p = 200, random normal
# data. Machine: 2 cores, R's reference BLAS/LAPACK; iterations = 5.
# linreg uses getOption("gvcluster.threads", 2) threads for its one-pass QR;
# the linreg_1_thread row is the same call on one thread.
suppressPackageStartupMessages({
  library(gvcluster)
  library(bench)
})
has_eigen <- requireNamespace("RcppEigen", quietly = TRUE)

run <- function(n, p, iterations = 5L) {
  set.seed(42)
  d <- as.data.frame(matrix(rnorm(n * p), n, p))
  names(d) <- paste0("x", seq_len(p))
  d$y <- drop(as.matrix(d[, 1:5]) %*% c(1, -1, 0.5, 2, 0)) + rnorm(n)
  fo <- y ~ .
  X <- model.matrix(fo, d)
  y <- d$y
  size_X <- as.numeric(object.size(X))
  exprs <- list(
    linreg = quote(linreg(fo, data = d)),
    linreg_1_thread = quote({
      op <- options(gvcluster.threads = 1L)
      r <- linreg(fo, data = d)
      options(op)
      r
    }),
    linreg_no_dw_p = quote(linreg(fo, data = d, dw_pvalue = FALSE)),
    lm_pipeline = quote({
      l <- lm(fo, data = d)
      s <- summary(l)
      v <- car::vif(l)
      ci <- confint(l)
      r <- residuals(l)
      dw <- sum(diff(r)^2) / sum(r^2)   # dwtest's statistic only, as the issue allows
      list(s, v, ci, dw)
    }),
    lm_pipeline_dwtest = quote({
      l <- lm(fo, data = d)
      s <- summary(l)
      v <- car::vif(l)
      ci <- confint(l)
      dw <- lmtest::dwtest(l)            # with its p-value (normal approximation for n >= 100)
      list(s, v, ci, dw)
    }),
    lm.fit = quote(lm.fit(X, y))
  )
  if (has_eigen) exprs$fastLm <- quote(RcppEigen::fastLm(X, y))
  # one bench::mark per expression, each after a full gc(), so that no
  # expression pays for the garbage another one left (the lm pipeline
  # allocates 6-20 times the size of X)
  res <- do.call(rbind, lapply(names(exprs), function(nm) {
    gc()
    stopifnot(is.null(getOption("gvcluster.threads")))   # the default, 2
    r <- bench::mark(exprs = exprs[nm], iterations = iterations, check = FALSE,
                     filter_gc = FALSE, memory = TRUE)
    data.frame(expression = nm, min_s = as.numeric(r$min),
               median_s = as.numeric(r$median), mem = as.numeric(r$mem_alloc))
  }))
  out <- data.frame(n = n, p = p, expression = res$expression,
                    min_s = res$min_s, median_s = res$median_s,
                    mem_alloc_MB = res$mem / 2^20,
                    mem_over_X = res$mem / size_X)
  out$speedup_vs_pipeline <- out$median_s[out$expression == "lm_pipeline"] / out$median_s
  out$ratio_vs_lm.fit <- out$median_s / out$median_s[out$expression == "lm.fit"]
  out
}

results <- rbind(run(1e6, 20), run(1e5, 200))
print(results, digits = 3)
