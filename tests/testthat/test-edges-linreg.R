# Extreme magnitudes and unclear errors of linreg() (fuzz run 2026-12).

edge_data <- function() {
  set.seed(2)
  d <- data.frame(x = rnorm(30), z = rnorm(30), g = factor(rep(c("a", "b", "c"), 10)))
  d$y <- 1 + 2 * d$x - 1.3 * d$z + 0.5 * (d$g == "b") + rnorm(30)
  d
}

# statistics that do not depend on the units, and the coefficients scaled back
expect_same_fit <- function(f, f0, back = rep(1, length(coef(f0))), yback = 1,
                            tol = 1e-10) {
  expect_identical(f$aliased, stats::setNames(f0$aliased, names(f$aliased)))
  expect_equal(unname(coef(f)) * back / yback, unname(coef(f0)), tolerance = tol)
  expect_equal(unname(f$se) * back / yback, unname(f0$se), tolerance = tol)
  s <- summary(f)$coefficients; s0 <- summary(f0)$coefficients
  expect_equal(s$t, s0$t, tolerance = tol)
  expect_equal(s$p, s0$p, tolerance = tol)
  expect_equal(s$VIF, s0$VIF, tolerance = tol)
  expect_equal(f$stats$r.squared, f0$stats$r.squared, tolerance = tol)
  expect_equal(f$stats$F, f0$stats$F, tolerance = tol)
  expect_equal(f$dw$statistic, f0$dw$statistic, tolerance = tol)
}

test_that("a regressor scaled by 2^k or 10^k keeps its rank and its statistics", {
  d <- edge_data()
  f0 <- linreg(y ~ x + z, data = d)
  # lm() on the unscaled data as the independent oracle
  expect_equal(unname(coef(f0)), unname(coef(lm(y ~ x + z, data = d))), tolerance = 1e-12)
  for (k in c(154, 160, 200, 300, -160, -165, -300)) {
    d2 <- d; d2$x <- d$x * 10^k
    f <- linreg(y ~ x + z, data = d2)
    expect_same_fit(f, f0, back = c(1, 10^k, 1))
    d2$x <- d$x * 2^round(k * log2(10))
    f <- linreg(y ~ x + z, data = d2)
    expect_same_fit(f, f0, back = c(1, 2^round(k * log2(10)), 1), tol = 1e-13)
  }
  # inside the formula, as in the finding
  f <- linreg(y ~ I(x * 1e154) + z, data = d)
  expect_same_fit(f, f0, back = c(1, 1e154, 1))
})

test_that("a response scaled to 1e154..1e300 or 1e-300 fits (no 'missing value' error)", {
  d <- edge_data()
  f0 <- linreg(y ~ x + z, data = d)
  for (k in c(154, 200, 300, -300)) {
    d2 <- d; d2$y <- d$y * 10^k
    f <- linreg(y ~ x + z, data = d2)
    expect_same_fit(f, f0, yback = 10^k)
    expect_equal(f$sigma / 10^k, f0$sigma, tolerance = 1e-10)
    expect_equal(unname(residuals(f)) / 10^k, unname(residuals(f0)), tolerance = 1e-9)
  }
  d2 <- d; d2$y <- d$y * 1e300; d2$x <- d$x * 1e300
  expect_same_fit(linreg(y ~ x + z, data = d2), f0, back = c(1, 1e300, 1), yback = 1e300)
})

test_that("mixed scales 1e-300 / 1e300, matrix and factor paths", {
  d <- edge_data()
  f0 <- linreg(y ~ x + z, data = d)
  f <- linreg(y ~ x + z, data = transform(d, x = x * 1e-300, z = z * 1e300))
  expect_same_fit(f, f0, back = c(1, 1e-300, 1e300))
  X <- cbind(x = d$x, z = d$z)
  m0 <- linreg(X, d$y)
  expect_same_fit(m0, f0)
  m <- linreg(X * rep(c(1e300, 1e-300), each = 30), d$y)
  expect_same_fit(m, f0, back = c(1, 1e300, 1e-300))
  g0 <- linreg(y ~ x + g, data = d)
  expect_equal(unname(coef(g0)), unname(coef(lm(y ~ x + g, data = d))), tolerance = 1e-12)
  g <- linreg(y ~ x + g, data = transform(d, x = x * 1e300))
  expect_same_fit(g, g0, back = c(1, 1e300, 1, 1))
  # a power term on the extended path with its base rescaled
  p0 <- linreg(y ~ x + I(x^2), data = d, precision = "extended")
  p <- linreg(y ~ x + I(x^2), data = transform(d, x = x * 1e-100), precision = "extended")
  expect_same_fit(p, p0, back = c(1, 1e-100, 1e-200), tol = 1e-9)
})

test_that("confint() and summary() check `level` and `parm`", {
  d <- edge_data()
  f <- linreg(y ~ x + z, data = d)
  expect_snapshot(error = TRUE, confint(f, level = 1.5))
  expect_snapshot(error = TRUE, confint(f, level = NA))
  expect_snapshot(error = TRUE, confint(f, "w"))
  expect_snapshot(error = TRUE, confint(f, 7))
  expect_snapshot(error = TRUE, summary(f, conf.level = 2))
  expect_snapshot(error = TRUE, predict(f, d, interval = "confidence", conf.level = 0))
  # the valid cases against lm()
  expect_equal(unname(confint(f, "x", level = 0.9)),
               unname(confint(lm(y ~ x + z, data = d), "x", level = 0.9)), tolerance = 1e-10)
})

test_that("no NaN warnings with n <= p or no residual degrees of freedom", {
  set.seed(1)
  d5 <- data.frame(matrix(rnorm(3 * 6), 3)); names(d5)[6] <- "y"
  f5 <- linreg(y ~ ., data = d5)
  expect_no_warning(capture.output(print(f5)))
  expect_no_warning(summary(f5))
  d <- edge_data()[1:3, ]
  f <- linreg(y ~ x + z, data = d)
  expect_no_warning(p <- predict(f, d, interval = "prediction"))
  expect_true(all(is.na(p[, "lwr"])))
  expect_no_warning(ci <- confint(f))
  expect_true(all(is.na(ci)))
})

test_that("unclear errors of the fuzz run are clear", {
  d <- edge_data()
  dn <- d; dn$x[2] <- NA
  expect_snapshot(error = TRUE, linreg(y ~ x, data = dn, na.action = na.pass))
  dn <- d; dn$y[4] <- NA
  expect_snapshot(error = TRUE, linreg(y ~ x, data = dn, na.action = na.pass))
  dn <- d; dn$x[3] <- Inf
  expect_snapshot(error = TRUE, linreg(y ~ x, data = dn))
  dn <- d; dn$x[5] <- -1
  expect_snapshot(error = TRUE, linreg(y ~ log(x), data = dn))
  d$h <- factor("only")
  expect_snapshot(error = TRUE, linreg(y ~ x + h, data = d))
  expect_snapshot(error = TRUE, predict(linreg(y ~ x + z, data = d), data.frame(x = 1)))
  expect_snapshot(error = TRUE, linreg(matrix(numeric(0), 30, 0), d$y, intercept = FALSE))
})

test_that("the matrix path takes zero columns and any column name", {
  d <- edge_data()
  f <- linreg(matrix(numeric(0), 30, 0), d$y)
  expect_equal(unname(coef(f)), mean(d$y), tolerance = 1e-14)
  X <- cbind(d$x, d$z); colnames(X) <- c("a`b", "c\\d")
  f <- linreg(X, d$y)
  expect_equal(unname(coef(f)), unname(coef(lm(d$y ~ d$x + d$z))), tolerance = 1e-12)
  expect_length(coef(f), 3L)
})

test_that("weights of 1e-300..1e300 give the fit of the unscaled weights", {
  d <- edge_data(); d$w <- runif(30)
  f0 <- linreg(y ~ x + z, data = d, weights = w)
  l0 <- lm(y ~ x + z, data = d, weights = w)
  expect_equal(unname(coef(f0)), unname(coef(l0)), tolerance = 1e-12)
  for (k in c(1e300, 1e-300, 2^1001)) {
    f <- linreg(y ~ x + z, data = d, weights = w * k)
    expect_same_fit(f, f0)
    expect_equal(f$stats$logLik, f0$stats$logLik, tolerance = 1e-12)
    expect_equal(f$stats$logLik, as.numeric(logLik(l0)), tolerance = 1e-10)
    expect_equal(f$sigma / sqrt(k), f0$sigma, tolerance = 1e-12)
    expect_equal(vcov(f), vcov(f0), tolerance = 1e-10)
    expect_identical(f$weights, d$w * k)
  }
})

test_that("`level` is an aggregation level only: conf.level and sig.level, the old name warns", {
  d <- edge_data()
  f <- linreg(y ~ x + z, data = d)
  ref <- lm(y ~ x + z, data = d)
  # the oracle: lm's intervals at 90%
  ci <- confint(ref, level = 0.9)
  s <- summary(f, conf.level = 0.9)
  expect_equal(s$coefficients$lower, unname(ci[, 1]), tolerance = 1e-10)
  expect_equal(s$coefficients$upper, unname(ci[, 2]), tolerance = 1e-10)
  expect_warning(s_old <- summary(f, level = 0.9), "`level` of summary\\(\\) is deprecated; use `conf.level`")
  expect_identical(s_old$coefficients, s$coefficients)
  expect_equal(summary(f, 0.9)$coefficients, s$coefficients)         # by position
  pr <- predict(ref, d, interval = "confidence", level = 0.8)
  expect_equal(unname(predict(f, d, interval = "confidence", conf.level = 0.8)), unname(pr),
               tolerance = 1e-10)
  expect_warning(p_old <- predict(f, d, interval = "confidence", level = 0.8),
                 "use `conf.level` instead")
  expect_equal(unname(p_old), unname(pr), tolerance = 1e-10)
  expect_snapshot(error = TRUE, summary(f, conf.level = 0.9, level = 0.9))
  # confint() keeps `level`: the stats generic names it
  expect_equal(unname(confint(f, level = 0.9)), unname(ci), tolerance = 1e-10)
})
