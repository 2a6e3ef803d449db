# The one-pass blocked QR that linreg() uses for large, well-conditioned
# designs (at least 4 blocks of rows, and n p^2 > 1e6 under precision =
# "auto"), with one or two threads. These sizes are kept just above the
# threshold so that the tests also run under valgrind.

with_threads <- function(th, code) {
  old <- options(gvcluster.threads = th)
  on.exit(options(old))
  force(code)
}

blocked_data <- function(n = 9000, p = 12, seed = 11) {
  set.seed(seed)
  d <- as.data.frame(matrix(rnorm(n * p), n, p))
  # autocorrelated errors, so that the Durbin-Watson test has work to do
  e <- as.numeric(stats::filter(rnorm(n), 0.2, method = "recursive"))
  d$y <- drop(as.matrix(d[, 1:3]) %*% c(1, -1, 2)) + e
  d$w <- runif(n, 0.5, 2)
  d
}

# dwtest's normal approximation written out (as lmtest::dwtest(exact =
# FALSE) computes it), for the transformed model sqrt(w) y ~ sqrt(w) X.
hand_dw_normal <- function(X, res, w = NULL) {
  if (!is.null(w)) {
    X <- X * sqrt(w)
    res <- res * sqrt(w)
  }
  n <- nrow(X)
  k <- ncol(X)
  dw <- sum(diff(res)^2) / sum(res^2)
  Q1 <- chol2inv(qr.R(qr(X)))
  AX <- matrix(as.vector(stats::filter(X, c(-1, 2, -1))), ncol = k)
  AX[1, ] <- X[1, ] - X[2, ]
  AX[n, ] <- X[n, ] - X[n - 1, ]
  XAXQ <- crossprod(X, AX) %*% Q1
  P <- 2 * (n - 1) - sum(diag(XAXQ))
  Q <- 2 * (3 * n - 4) - 2 * sum(diag(crossprod(AX) %*% Q1)) + sum(diag(XAXQ %*% XAXQ))
  dmean <- P / (n - k)
  dvar <- 2 / ((n - k) * (n - k + 2)) * (Q - P * dmean)
  list(statistic = dw, p.greater = stats::pnorm(dw, dmean, sqrt(dvar)))
}

test_that("the blocked QR matches lm, summary.lm and hand Beta, with 1 and 2 threads", {
  d <- blocked_data()
  fo <- y ~ . - w
  for (wt in c(FALSE, TRUE)) {
    l <- if (wt) lm(fo, data = d, weights = w) else lm(fo, data = d)
    fits <- lapply(1:2, function(th) with_threads(th, {
      if (wt) linreg(fo, data = d, weights = w) else linreg(fo, data = d)
    }))
    for (th in 1:2) {
      f <- fits[[th]]
      expect_match(f$qr_info$method, "blocked")
      expect_true(f$qr_info$threads >= 1L && f$qr_info$threads <= th)
      expect_equal(f$qr_info$refine_steps, 0L)
      compare_with_lm(f, l)
    }
    # the segments do not depend on the number of threads: identical results
    expect_identical(coef(fits[[2]]), coef(fits[[1]]))
    expect_identical(fits[[2]]$se, fits[[1]]$se)
    expect_identical(residuals(fits[[2]]), residuals(fits[[1]]))
    expect_identical(fits[[2]]$dw, fits[[1]]$dw)
  }
})

test_that("the blocked QR's VIF agrees with car::vif and the inverse correlation matrix", {
  d <- blocked_data(seed = 12)
  fo <- y ~ . - w
  f <- linreg(fo, data = d)
  expect_match(f$qr_info$method, "blocked")
  X <- as.matrix(d[, 1:12])
  expect_lt(rel_diff(f$vif[-1], car_free_vif(X)), 1e-10)
  skip_if_not_installed("car")
  l <- lm(fo, data = d)
  expect_lt(rel_diff(f$vif[-1], car::vif(l)), 1e-10)
  fw <- linreg(fo, data = d, weights = w)
  lw <- lm(fo, data = d, weights = w)
  expect_lt(rel_diff(fw$vif[-1], car::vif(lw)), 1e-10)
})

test_that("Durbin-Watson moments summed in the blocked pass give dwtest's normal approximation", {
  d <- blocked_data(seed = 13)
  fo <- y ~ . - w
  X <- model.matrix(fo, d)
  for (th in 1:2) {
    f <- with_threads(th, linreg(fo, data = d))
    expect_match(f$qr_info$method, "blocked")
    h <- hand_dw_normal(X, residuals(lm(fo, data = d)))
    expect_equal(f$dw$method, "normal approximation")
    expect_lt(rel_diff(f$dw$statistic, h$statistic), 1e-10)
    expect_lt(rel_diff(f$dw$p.value, h$p.greater), 1e-9)
    # weighted: the test of the transformed model
    fw <- with_threads(th, linreg(fo, data = d, weights = w))
    hw <- hand_dw_normal(X, residuals(lm(fo, data = d, weights = w)), d$w)
    expect_lt(rel_diff(fw$dw$statistic, hw$statistic), 1e-10)
    expect_lt(rel_diff(fw$dw$p.value, hw$p.greater), 1e-9)
  }
  skip_if_not_installed("lmtest")
  dt <- lmtest::dwtest(fo, data = d)
  expect_lt(rel_diff(f$dw$p.value, dt$p.value), 1e-9)
  f2 <- linreg(fo, data = d, dw_alternative = "two.sided")
  dt2 <- lmtest::dwtest(fo, data = d, alternative = "two.sided")
  expect_lt(rel_diff(f2$dw$p.value, dt2$p.value), 1e-9)
})

test_that("zero weights leave the blocked pass's moments out and drop the rows", {
  d <- blocked_data(seed = 14)
  d$w[seq(5, nrow(d), by = 7)] <- 0
  fo <- y ~ . - w
  f <- linreg(fo, data = d, weights = w)
  l <- lm(fo, data = d, weights = w)
  compare_with_lm(f, l)
  keep <- d$w > 0
  X <- model.matrix(fo, d)[keep, ]
  h <- hand_dw_normal(X, residuals(l)[keep], d$w[keep])
  expect_lt(rel_diff(f$dw$statistic, h$statistic), 1e-10)
  expect_lt(rel_diff(f$dw$p.value, h$p.greater), 1e-9)
})

test_that("an ill-conditioned or rank-deficient large design leaves the blocked path", {
  d <- blocked_data(seed = 15)
  # a regressor far from zero relative to its spread: condition ~ 1e5
  d$V1 <- 1e5 + d$V1
  fo <- y ~ . - w
  f <- linreg(fo, data = d)
  l <- lm(fo, data = d)
  expect_false(grepl("blocked", f$qr_info$method))
  expect_lt(f$qr_info$rcond, 1e-3)
  expect_lt(rel_diff(coef(f), coef(l)), 1e-8)
  expect_lt(rel_diff(f$se, coef(summary(l))[, 2]), 1e-8)
  # an exact linear dependence: aliased like lm
  d <- blocked_data(seed = 16)
  d$V12 <- d$V1 - 2 * d$V2
  f <- linreg(fo, data = d)
  l <- lm(fo, data = d)
  expect_false(grepl("blocked", f$qr_info$method))
  expect_equal(unname(is.na(coef(f))), unname(is.na(coef(l))))
  expect_true(f$aliased[["V12"]])
  expect_lt(rel_diff(coef(f), coef(l)), 1e-10)
})

test_that("non-finite regressors are still found, and the threads option is checked", {
  d <- blocked_data(n = 5000, seed = 17)
  d$V3[4321] <- Inf
  expect_error(linreg(y ~ . - w, data = d), "V3")
  d$V3[4321] <- 0
  old <- options(gvcluster.threads = 0)
  on.exit(options(old))
  expect_error(linreg(y ~ . - w, data = d), "gvcluster.threads")
  options(gvcluster.threads = "two")
  expect_error(linreg(y ~ . - w, data = d), "gvcluster.threads")
})
