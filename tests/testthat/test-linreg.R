test_that("linreg matches lm, summary.lm, confint, logLik and hand Beta on random data", {
  d <- make_data()
  for (prec in c("auto", "double", "extended")) {
    f1 <- linreg(y ~ x1 + x2 + x3, data = d, precision = prec)
    compare_with_lm(f1, lm(y ~ x1 + x2 + x3, data = d))
    f2 <- linreg(y ~ x1 * x2 + g + I(x3^2), data = d, precision = prec)
    compare_with_lm(f2, lm(y ~ x1 * x2 + g + I(x3^2), data = d))
    f3 <- linreg(y ~ x1 + x2 + x3, data = d, weights = w, precision = prec)
    compare_with_lm(f3, lm(y ~ x1 + x2 + x3, data = d, weights = w))
    f4 <- linreg(y ~ 0 + x1 + x2 + x3, data = d, precision = prec)
    compare_with_lm(f4, lm(y ~ 0 + x1 + x2 + x3, data = d))
    f5 <- linreg(y ~ x1 + x2 + offset(off), data = d, precision = prec)
    compare_with_lm(f5, lm(y ~ x1 + x2 + offset(off), data = d))
    f6 <- linreg(y ~ x1 + g, data = d, subset = x2 > 2, weights = w, precision = prec)
    compare_with_lm(f6, lm(y ~ x1 + g, data = d, subset = x2 > 2, weights = w))
  }
})

test_that("VIF agrees with car::vif (with and without intercept, weighted)", {
  skip_if_not_installed("car")
  d <- make_data()
  f <- linreg(y ~ x1 + x2 + x3, data = d)
  expect_lt(rel_diff(f$vif[-1], car::vif(lm(y ~ x1 + x2 + x3, data = d))), 1e-10)
  expect_lt(rel_diff(as.data.frame(f)$Tolerance[-1],
                     1 / car::vif(lm(y ~ x1 + x2 + x3, data = d))), 1e-10)
  fw <- linreg(y ~ x1 + x2 + x3, data = d, weights = w)
  expect_lt(rel_diff(fw$vif[-1], car::vif(lm(y ~ x1 + x2 + x3, data = d, weights = w))),
            1e-10)
  f0 <- linreg(y ~ 0 + x1 + x2 + x3, data = d)
  v0 <- suppressWarnings(car::vif(lm(y ~ 0 + x1 + x2 + x3, data = d)))
  expect_lt(rel_diff(f0$vif, v0), 1e-10)
  expect_true(is.na(f$vif[["(Intercept)"]]))
})

test_that("Durbin-Watson statistic and p-value agree with lmtest::dwtest", {
  skip_if_not_installed("lmtest")
  d <- make_data(n = 40)
  for (fo in list(y ~ x1 + x2, y ~ x1 * x2 + g, y ~ 0 + x1 + x3)) {
    for (alt in c("greater", "less", "two.sided")) {
      f <- linreg(fo, data = d, dw_alternative = alt)
      dt <- lmtest::dwtest(fo, data = d, alternative = alt)
      expect_lt(rel_diff(f$dw$statistic, dt$statistic), 1e-10)
      expect_lt(abs(f$dw$p.value - dt$p.value), 1e-6)
      expect_equal(f$dw$method, "exact (Imhof)")
      expect_equal(f$dw$alternative, alt)
    }
  }
  # large n: normal approximation, as dwtest(exact = FALSE)
  skip_if(nzchar(Sys.getenv("GVCLUSTER_VALGRIND")))
  d <- make_data(n = 150, seed = 3)
  for (alt in c("greater", "less", "two.sided")) {
    f <- linreg(y ~ x1 + x2 + g, data = d, dw_alternative = alt)
    dt <- lmtest::dwtest(y ~ x1 + x2 + g, data = d, alternative = alt, exact = FALSE)
    expect_equal(f$dw$method, "normal approximation")
    expect_lt(abs(f$dw$p.value - dt$p.value), 1e-10)
  }
  # weighted fit: the test of the transformed model sqrt(w) y ~ sqrt(w) X
  d <- make_data(n = 40, seed = 4)
  f <- linreg(y ~ x1 + x2, data = d, weights = w)
  sw <- sqrt(d$w)
  dt <- lmtest::dwtest(I(sw * y) ~ 0 + sw + I(sw * x1) + I(sw * x2), data = d)
  expect_lt(rel_diff(f$dw$statistic, dt$statistic), 1e-10)
  expect_lt(abs(f$dw$p.value - dt$p.value), 1e-6)
})

test_that("Durbin-Watson p-value is NA with a reason when it cannot be computed", {
  d <- data.frame(y = c(1, 3, 2, 5), x = c(1, 2, 3, 4), z = c(2, 1, 4, 3))
  f <- linreg(y ~ x + z, data = d)          # 1 residual df
  expect_true(is.na(f$dw$p.value))
  expect_match(f$dw$note, "1 residual degree")
  f2 <- linreg(y ~ x, data = d[1:2, ])
  expect_true(is.na(f2$dw$p.value))
})

test_that("predict matches predict.lm with confidence and prediction intervals", {
  d <- make_data()
  nd <- make_data(n = 7, seed = 9)
  for (fo in list(y ~ x1 + x2 + g, y ~ 0 + x1 + x3, y ~ x1 + offset(off))) {
    f <- linreg(fo, data = d)
    l <- lm(fo, data = d)
    expect_lt(rel_diff(predict(f), predict(l)), 1e-10)
    expect_lt(rel_diff(predict(f, nd), predict(l, nd)), 1e-10)
    for (iv in c("confidence", "prediction")) {
      expect_lt(rel_diff(predict(f, nd, interval = iv), predict(l, nd, interval = iv)), 1e-10)
    }
    pf <- predict(f, nd, se.fit = TRUE)
    pl <- predict(l, nd, se.fit = TRUE)
    expect_lt(rel_diff(pf$se.fit, pl$se.fit), 1e-10)
    expect_equal(pf$df, pl$df)
  }
})

test_that("the study's model on bengbu matches lm and is close to the published Table 2", {
  fo <- LQ ~ infra + sup + tech + phrl + fm + dm
  f <- linreg(fo, data = bengbu)
  l <- lm(fo, data = bengbu)
  compare_with_lm(f, l)
  skip_if_not_installed("car")
  expect_lt(rel_diff(f$vif[-1], car::vif(l)), 1e-10)
  skip_if_not_installed("lmtest")
  expect_lt(rel_diff(f$dw$statistic, lmtest::dwtest(l)$statistic), 1e-10)
  skip_if_not_installed("lm.beta")
  expect_lt(rel_diff(f$beta[-1], lm.beta::lm.beta(l)$standardized.coefficients[-1]), 1e-10)

  # The published table was computed from unrounded data: record how close.
  pub <- bengbu_published
  ct <- as.data.frame(f)
  sm <- summary(f)$model
  expect_equal(sm$n, pub$model$n)
  expect_equal(sm$df1, pub$model$df1)
  expect_equal(sm$df2, pub$model$df2)
  expect_equal(round(sm$dw, 3), pub$model$dw)                    # 2.938: exact
  expect_equal(round(sm$r.squared, 3), pub$model$r.squared)
  expect_lt(abs(sm$F / pub$model$F - 1), 0.06)                    # 7282 vs 6917
  expect_lt(abs(sm$F.p - pub$model$F.p), 0.001)
  expect_lt(max(abs(ct$Beta[-1] - pub$coefficients$Beta[-1])), 0.003)
  expect_lt(max(abs(ct$VIF[-1] / pub$coefficients$VIF[-1] - 1)), 0.02)
  expect_lt(max(abs(ct$t / pub$coefficients$t - 1)), 0.05)
  expect_lt(max(abs(ct$p - pub$coefficients$p)), 0.005)
  expect_lt(abs(ct$B[2] / pub$coefficients$B[2] - 1), 0.01)       # infra 9.255 vs 9.295
  expect_equal(sign(ct$B), sign(ifelse(pub$coefficients$B == 0, ct$B, pub$coefficients$B)))
})

test_that("matrix and lm interfaces give the same fit as the formula interface", {
  d <- make_data()
  X <- as.matrix(d[, c("x1", "x2", "x3")])
  fm <- linreg(X, d$y)
  ff <- linreg(y ~ x1 + x2 + x3, data = d)
  expect_equal(unname(coef(fm)), unname(coef(ff)), tolerance = 1e-12)
  expect_equal(names(coef(fm)), c("(Intercept)", "x1", "x2", "x3"))
  expect_equal(names(model.frame(fm))[1], "y")
  expect_s3_class(terms(fm), "terms")
  expect_equal(deparse(formula(fm)[[3]]), "x1 + x2 + x3")
  fl <- linreg(lm(y ~ x1 + x2 + x3, data = d, weights = w))
  fw <- linreg(y ~ x1 + x2 + x3, data = d, weights = w)
  expect_equal(coef(fl), coef(fw), tolerance = 1e-12)
  expect_equal(fl$weights, fw$weights)
  f0 <- linreg(X, d$y, intercept = FALSE)
  expect_equal(unname(coef(f0)), unname(coef(lm(d$y ~ 0 + X))), tolerance = 1e-10)
  fv <- linreg(d$x1, d$y)
  expect_equal(names(coef(fv)), c("(Intercept)", "x"))
  Xy <- cbind(y = d$x1, b = d$x2)
  expect_equal(names(model.frame(linreg(Xy, d$y)))[1], ".y")
})

test_that("the linreg object honours the documented contract", {
  d <- make_data()
  f <- linreg(y ~ x1 + g, data = d, weights = w, offset = off)
  l <- lm(y ~ x1 + g, data = d, weights = w, offset = off)
  expect_s3_class(f, "linreg")
  expect_equal(names(model.frame(f)), names(model.frame(l)))
  expect_equal(model.frame(f)[["(weights)"]], model.frame(l)[["(weights)"]])
  expect_equal(model.frame(f)[["(offset)"]], model.frame(l)[["(offset)"]])
  expect_equal(model.matrix(f), model.matrix(l))
  expect_equal(terms(f), terms(l))
  expect_equal(f$df.residual, l$df.residual)
  expect_equal(f$rank, l$rank)
  expect_equal(formula(f), formula(l))
  expect_lt(rel_diff(coef(f), coef(l)), 1e-10)
  expect_lt(rel_diff(predict(f, d[1:5, ]), predict(l, d[1:5, ])), 1e-10)
  expect_lt(rel_diff(predict(f, d[1:5, ], interval = "confidence"),
                     suppressWarnings(predict(l, d[1:5, ], interval = "confidence"))), 1e-10)
})

test_that("summary and as.data.frame have the documented names", {
  f <- linreg(y ~ x1 + x2, data = make_data())
  s <- summary(f)
  expect_s3_class(s, "summary.linreg")
  expect_named(s$coefficients, c("term", "B", "SE", "Beta", "t", "p", "lower", "upper",
                                 "VIF", "Tolerance"))
  expect_named(s$model, c("n", "r.squared", "adj.r.squared", "sigma", "F", "df1", "df2",
                          "F.p", "dw", "dw.p", "condition", "logLik", "AIC", "BIC"))
  expect_equal(nrow(s$model), 1L)
  expect_identical(as.data.frame(f), s$coefficients)
  expect_equal(s$coefficients$term, c("(Intercept)", "x1", "x2"))
})

test_that("condition number and indices follow Belsley's scaling", {
  d <- make_data()
  f <- linreg(y ~ x1 + x2 + x3, data = d)
  X <- model.matrix(~ x1 + x2 + x3, d)
  Xs <- sweep(X, 2, sqrt(colSums(X^2)), "/")
  sv <- svd(Xs)$d
  expect_lt(rel_diff(f$condition$number, max(sv) / min(sv)), 1e-10)
  expect_lt(rel_diff(sort(f$condition$indices), sort(max(sv) / sv)), 1e-10)
  expect_lt(rel_diff(summary(f)$model$condition, max(sv) / min(sv)), 1e-10)
})

test_that("aliased terms are NA like lm and reported", {
  d <- make_data()
  d$x4 <- d$x1 + d$x2
  for (prec in c("double", "extended")) {
    f <- linreg(y ~ x1 + x2 + x4 + x3, data = d, precision = prec)
    l <- lm(y ~ x1 + x2 + x4 + x3, data = d)
    expect_equal(is.na(coef(f)), is.na(coef(l)))
    expect_lt(rel_diff(coef(f), coef(l)), 1e-10)
    expect_lt(rel_diff(na.omit(f$se), coef(summary(l))[, 2]), 1e-10)
    expect_equal(f$rank, l$rank)
    expect_true(any(grepl("Aliased.*x4", f$warnings)))
    expect_output(print(f), "aliased")
  }
})

test_that("tidy and glance work through the generics package", {
  skip_if_not_installed("generics")
  f <- linreg(y ~ x1 + x2, data = make_data())
  td <- generics::tidy(f, conf.int = TRUE)
  expect_equal(td$estimate, unname(coef(f)))
  expect_equal(td$conf.low, unname(confint(f)[, 1]))
  gl <- generics::glance(f)
  expect_equal(gl$r.squared, summary(f)$model$r.squared)
  expect_equal(nrow(gl), 1L)
})

test_that("plot draws the residual diagnostics", {
  f <- linreg(y ~ x1 + x2, data = make_data())
  pdf(NULL)
  on.exit(dev.off())
  expect_invisible(plot(f))
  expect_invisible(plot(f, which = 1))
})

test_that("print follows Table 2 and never shows a coefficient as 0.000", {
  f <- linreg(LQ ~ infra + sup + tech + phrl + fm + dm, data = bengbu)
  out <- capture.output(print(f))
  expect_equal(out[1], "Linear regression (n = 8)")
  expect_false(any(grepl("(^|\\s)-?0\\.000(\\s|$)", out)))
  expect_true(any(grepl("-1.354e-07", out, fixed = TRUE)))
  expect_true(any(grepl("F(6, 1) =", out, fixed = TRUE)))
  expect_true(any(grepl("D-W = 2.938", out, fixed = TRUE)))
  expect_true(any(grepl("residual degree of freedom", out)))
  expect_true(any(grepl("VIF above 10", out)))
  expect_true(any(grepl("R-squared above 0.9999", out)))
  expect_snapshot(print(f))
  expect_snapshot(print(summary(f)))
})

test_that("warnings for n <= p", {
  d <- data.frame(y = c(1, 2, 4), x = c(1, 2, 3), z = c(3, 1, 2))
  f <- linreg(y ~ x + z, data = d)
  expect_true(any(grepl("not larger than the number of coefficients", f$warnings)))
  expect_equal(f$df.residual, 0L)
  expect_true(is.nan(f$sigma))
  expect_output(print(f), "Linear regression")
})

test_that("bad input gives clear errors or documented NA", {
  d <- make_data(n = 20)
  expect_error(linreg(g ~ x1, data = d), "numeric response")
  d$txt <- letters[1:20]
  expect_error(linreg(txt ~ x1, data = d), "numeric response")
  d$allna <- NA_real_
  expect_error(linreg(y ~ x1 + allna, data = d), "no complete observations")
  d$const <- 3
  f <- linreg(y ~ x1 + const, data = d)
  expect_true(is.na(coef(f)[["const"]]))
  expect_true(is.na(f$beta[["const"]]))
  expect_true(is.na(f$vif[["const"]]))
  expect_equal(f$vif_note[["const"]], "aliased")
  f0 <- linreg(y ~ 0 + x1 + const, data = d)
  expect_true(is.na(f0$beta[["const"]]))
  expect_equal(f0$beta_note[["const"]], "zero variance")
  expect_false(is.na(coef(f0)[["const"]]))
  expect_error(linreg(y ~ x1, data = d[1, ]), "at least 2 observations")
  expect_error(linreg(as.matrix(d[, c("x1", "x2")]), d$y[-1]), "has length 19")
  d2 <- d
  d2$x1[3] <- Inf
  expect_error(linreg(y ~ x1, data = d2), "infinite")
  d2 <- d
  d2$y[3] <- -Inf
  expect_error(linreg(y ~ x1, data = d2), "infinite")
  expect_error(linreg(y ~ x1, data = d[0, ]), "no rows")
  expect_error(linreg(y ~ x1, data = d, weights = -w), "negative")
  expect_error(linreg(y ~ x1, data = d, tol = 2), "`tol`")
  expect_error(linreg("a", 1), "numeric matrix")
  expect_error(linreg(as.matrix(d[, c("x1", "x2")])), "`y` is missing")
  expect_error(linreg(as.matrix(d[, c("x1", "x2")]), letters[1:20]), "`y` must be numeric")
  expect_error(linreg(y ~ x1, data = d, precision = "quad"))
  expect_error(linreg(y ~ 0, data = d), "no regressors")
  expect_error(linreg(y ~ x1, data = d, dw_pvalue = NA), "`dw_pvalue`")
  fn <- linreg(y ~ x1, data = d, dw_pvalue = FALSE)
  expect_true(is.na(fn$dw$p.value))
  expect_false(is.na(fn$dw$statistic))
  expect_false(any(grepl("Durbin", fn$warnings)))
  f1 <- linreg(y ~ 1, data = d)
  l1 <- lm(y ~ 1, data = d)
  expect_lt(rel_diff(f1$se, coef(summary(l1))[, 2]), 1e-10)
  expect_true(is.nan(summary(f1)$model$F))
  dz <- data.frame(y = rep(2, 5), x = 1:5)
  fz <- linreg(y ~ x, data = dz)
  expect_true(all(is.na(fz$beta)))
  expect_true(is.na(fz$dw$statistic))
  expect_match(fz$dw$note, "exact fit")
  # zero weights drop observations from n and df as in lm
  w0 <- d$w
  w0[1:3] <- 0
  fw <- linreg(y ~ x1, data = d, weights = w0)
  lw <- lm(y ~ x1, data = d, weights = w0)
  expect_equal(nobs(fw), nobs(lw))
  expect_equal(fw$df.residual, lw$df.residual)
  expect_lt(rel_diff(fw$se, coef(summary(lw))[, 2]), 1e-10)
  expect_lt(rel_diff(logLik(fw), logLik(lw)), 1e-10)
})

test_that("large fits (in-place double QR) match lm, car::vif and dwtest's normal approximation", {
  skip_if(nzchar(Sys.getenv("GVCLUSTER_VALGRIND")))
  set.seed(7)
  n <- 3000
  p <- 20
  d <- as.data.frame(matrix(rnorm(n * p), n, p))
  d$y <- drop(as.matrix(d[, 1:3]) %*% c(1, -1, 2)) + rnorm(n)
  d$w <- runif(n, 0.5, 2)
  fo <- y ~ . - w
  for (wt in c(FALSE, TRUE)) {
    f <- if (wt) linreg(fo, data = d, weights = w) else linreg(fo, data = d)
    l <- if (wt) lm(fo, data = d, weights = w) else lm(fo, data = d)
    expect_match(f$qr_info$method, "dgeqrf")
    compare_with_lm(f, l)
    skip_if_not_installed("car")
    expect_lt(rel_diff(f$vif[-1], car::vif(l)), 1e-10)
  }
  skip_if_not_installed("lmtest")
  f <- linreg(fo, data = d)
  dt <- lmtest::dwtest(fo, data = d, exact = FALSE)
  expect_lt(rel_diff(f$dw$statistic, dt$statistic), 1e-10)
  expect_lt(abs(f$dw$p.value - dt$p.value), 1e-10)
})

test_that("a large ill-conditioned fit is redone with refinement and stays accurate", {
  skip_if(nzchar(Sys.getenv("GVCLUSTER_VALGRIND")))
  set.seed(8)
  n <- 3000
  Z <- matrix(rnorm(n * 18), n, 18, dimnames = list(NULL, paste0("z", 1:18)))
  x1 <- round(rnorm(n) * 64) / 64
  u <- round(rnorm(n) * 64) / 64
  delta <- 2^-16
  x2 <- x1 + delta * u
  y <- drop(Z %*% rep(0.1, 18)) + x1 + x2 + rnorm(n)
  for (prec in c("auto", "double")) {
    f <- linreg(cbind(Z, x1 = x1, x2 = x2), y, precision = prec)
    expect_false(grepl("dgeqrf\\) with", f$qr_info$method) && f$qr_info$refine_steps == 0 &&
                   prec == "double")
    l <- lm(y ~ Z + x1 + u)
    cc <- coef(l)
    V <- vcov(l)
    k1 <- which(names(cc) == "x1")
    k2 <- which(names(cc) == "u")
    b2 <- cc[[k2]] / delta
    b1 <- cc[[k1]] - cc[[k2]] / delta
    expect_lt(abs(coef(f)[["x2"]] / b2 - 1), 1e-9)
    expect_lt(abs(coef(f)[["x1"]] / b1 - 1), 1e-9)
    expect_lt(rel_diff(coef(f)[2:19], cc[2:19]), 1e-9)
    expect_lt(abs(f$se[["x2"]] / (sqrt(V[k2, k2]) / delta) - 1), 1e-7)
  }
})

test_that("wide designs (dqrdc2 path; blocked path when long) match lm, including aliased columns", {
  skip_if(nzchar(Sys.getenv("GVCLUSTER_VALGRIND")))
  set.seed(2)
  for (n in c(10000, 1500)) {
    X <- matrix(rnorm(n * 70), n, 70, dimnames = list(NULL, paste0("v", 1:70)))
    y <- X[, 1] - X[, 2] + rnorm(n)
    f <- linreg(X, y)
    l <- lm(y ~ X)
    expect_match(f$qr_info$method, if (n > 5000) "blocked" else "dqrdc2")
    expect_lt(rel_diff(coef(f), coef(l)), 1e-10)
    expect_lt(rel_diff(f$se, coef(summary(l))[, 2]), 1e-10)
    expect_lt(rel_diff(residuals(f), residuals(l)), 1e-8)
    if (n > 5000 && requireNamespace("lmtest", quietly = TRUE))
      expect_lt(rel_diff(f$dw$p.value, lmtest::dwtest(l)$p.value), 1e-9)
  }
  X[, 70] <- X[, 1] + X[, 2]
  f <- linreg(X, y)
  l <- lm(y ~ X)
  expect_equal(unname(is.na(coef(f))), unname(is.na(coef(l))))
  expect_lt(rel_diff(coef(f), coef(l)), 1e-10)
})

test_that("na.exclude pads residuals, fitted values and predictions with NA like lm", {
  d <- make_data(n = 50, seed = 21)
  d$x1[c(3, 17)] <- NA
  d$y[40] <- NA
  for (na in list(stats::na.exclude, stats::na.omit)) {
    f <- linreg(y ~ x1 + x2 + g, data = d, na.action = na)
    l <- lm(y ~ x1 + x2 + g, data = d, na.action = na)
    expect_equal(residuals(f), residuals(l), tolerance = 1e-10)
    expect_equal(fitted(f), fitted(l), tolerance = 1e-10)
    expect_equal(predict(f), predict(l), tolerance = 1e-10)
    expect_equal(predict(f, interval = "confidence"), predict(l, interval = "confidence"),
                 tolerance = 1e-10)
    pf <- predict(f, se.fit = TRUE)
    pl <- predict(l, se.fit = TRUE)
    expect_equal(pf$fit, pl$fit, tolerance = 1e-10)
    expect_equal(pf$se.fit, pl$se.fit, tolerance = 1e-10)
    expect_equal(nobs(f), 47L)
    # statistics from the complete rows only
    expect_lt(rel_diff(coef(f), coef(l)), 1e-10)
  }
  f <- linreg(y ~ x1 + x2 + g, data = d, na.action = stats::na.exclude)
  expect_length(residuals(f), 50L)
  expect_true(all(is.na(residuals(f)[c(3, 17, 40)])))
  expect_length(f$residuals, 47L)
  # newdata predictions are not padded
  expect_length(predict(f, newdata = d[1:5, ]), 5L)
})

test_that("generalised VIF per term agrees with car::vif on factor and interaction terms", {
  skip_if_not_installed("car")
  d <- make_data(n = 80, seed = 31)
  d$h <- factor(sample(c("p", "q", "r", "s"), 80, TRUE))
  for (fo in list(y ~ x1 + x2 + g + h, y ~ x1 * g + x3 + h)) {
    for (wt in c(FALSE, TRUE)) {
      f <- if (wt) linreg(fo, data = d, weights = w) else linreg(fo, data = d)
      l <- if (wt) lm(fo, data = d, weights = w) else lm(fo, data = d)
      cv <- suppressMessages(car::vif(l, type = "terms"))
      expect_equal(f$gvif$term, rownames(cv))
      expect_equal(f$gvif$Df, unname(cv[, "Df"]))
      expect_lt(rel_diff(f$gvif$GVIF, cv[, "GVIF"]), 1e-10)
      expect_lt(rel_diff(f$gvif$GVIF_adj, cv[, "GVIF^(1/(2*Df))"]), 1e-10)
      expect_equal(summary(f)$gvif, f$gvif)
    }
  }
  # one column per term: the GVIF is the VIF
  f <- linreg(y ~ x1 + x2 + x3, data = d)
  expect_lt(rel_diff(f$gvif$GVIF, f$vif[-1]), 1e-10)
  expect_equal(f$gvif$Df, c(1L, 1L, 1L))
  # printed only when a term has several columns
  expect_false(any(grepl("Generalised VIF", capture.output(print(f)))))
  out <- capture.output(print(linreg(y ~ x1 + g, data = d)))
  expect_true(any(grepl("Generalised VIF", out)))
  # a term with an aliased column has no GVIF
  d$x4 <- d$x1 + d$x3
  f <- linreg(y ~ x1 + x3 + x4 + g, data = d)
  expect_true(is.na(f$gvif$GVIF[f$gvif$term == "x4"]))
  expect_false(anyNA(f$gvif$GVIF[f$gvif$term != "x4"]))
})

test_that("designs of plain numeric columns are read in place with lm's names", {
  d <- make_data(n = 70, seed = 41)
  d$x1[5] <- NA
  d$lx <- log(d$x2)
  rownames(d) <- paste0("r", seq_len(nrow(d)))
  fos <- list(y ~ x1 + x2 + x3, y ~ log(x2) + I(x3^2) + x1, y ~ 0 + x1 + x3,
              y ~ x1 + x2 + offset(off))
  for (fo in fos) {
    for (wt in c(FALSE, TRUE)) {
      f <- if (wt) linreg(fo, data = d, weights = w) else linreg(fo, data = d)
      l <- if (wt) lm(fo, data = d, weights = w) else lm(fo, data = d)
      expect_identical(names(coef(f)), names(coef(l)))
      expect_identical(names(residuals(f)), names(residuals(l)))
      expect_identical(names(fitted(f)), names(fitted(l)))
      expect_identical(dimnames(vcov(f)), dimnames(vcov(l)))
      compare_with_lm(f, l)
      expect_equal(unname(model.matrix(f)), unname(model.matrix(l)), ignore_attr = TRUE)
      expect_equal(f$gvif$term, attr(terms(l), "term.labels"))
    }
  }
})

test_that("a fit without a Durbin-Watson statistic says so instead of a blank", {
  # an exact fit: the residuals are all zero, so D-W = sum(diff(e)^2) / sum(e^2)
  # is 0/0
  fit <- linreg(y ~ x, data = data.frame(x = 1:4, y = c(2, 4, 6, 8)))
  expect_true(is.na(fit$dw$statistic))
  out <- capture.output(print(fit))
  expect_true(any(out == "D-W: not available"))
  expect_false(any(grepl("D-W = ,", out, fixed = TRUE)))
})

test_that("print() writes a small p-value in running text as p < 0.001", {
  set.seed(8)
  d <- data.frame(x = 1:40)
  d$y <- 2 * d$x + stats::rnorm(40)
  f <- linreg(y ~ x, data = d)
  # the oracle: lm()'s F test, far below 0.001
  fs <- summary(stats::lm(y ~ x, data = d))$fstatistic
  expect_lt(stats::pf(fs[[1]], fs[[2]], fs[[3]], lower.tail = FALSE), 0.001)
  out <- utils::capture.output(print(f))
  expect_true(any(grepl("^F\\(1, 38\\) = .*, p < 0\\.001$", out)))
  expect_false(any(grepl("p = <", out, fixed = TRUE)))
  # a p-value above 0.001 keeps "p = "
  d$y <- d$x * 0.01 + stats::rnorm(40)
  out <- utils::capture.output(print(linreg(y ~ x, data = d)))
  fs <- summary(stats::lm(y ~ x, data = d))$fstatistic
  pv <- stats::pf(fs[[1]], fs[[2]], fs[[3]], lower.tail = FALSE)
  expect_gt(pv, 0.001)
  expect_true(any(grepl(sprintf("p = %.3f$", pv), out)))
})
