study_formula <- LQ ~ infra + sup + tech + phrl + fm + dm

# Decimals as printed in the study's Table 1 (infra as a percentage with
# two decimals, i.e. four as a proportion; fm has one decimal at most).
study_decimals <- c(LQ = 2L, infra = 4L, sup = 2L, tech = 2L, phrl = 2L,
                    fm = 1L, dm = 2L)

test_that("rounding units of the study's data are inferred from Table 1's decimals", {
  fit <- lm(study_formula, data = bengbu)
  set.seed(1)
  s <- sensitivity(fit, draws = 2)
  expect_identical(s$decimals, study_decimals)
  expect_equal(s$error, 0.5 * 10^-study_decimals)
  expect_true(all(s$inferred))
})

test_that("inferred decimals: two, none, mixed, floating representation", {
  set.seed(3)
  d <- data.frame(y = c(1.25, 2.5, 3.75, 4, 5.01, 6.2),
                  a = c(10, 20, 35, 41, 52, 60),          # no decimals
                  b = c(0.1 + 0.2, 0.7, 1.1, 2.35, 3, 4.5),  # mixed, 0.30000000000000004
                  c = c(1e-5, 2e-5, 3.5e-5, 1e-5, 2e-5, 4e-5),
                  e = c(123456.125, 1, 2, 3, 4, 5.5))
  s <- sensitivity(lm(y ~ a + b + c + e, data = d), draws = 1)
  expect_identical(s$decimals, c(y = 2L, a = 0L, b = 2L, c = 6L, e = 3L))
  expect_equal(s$error, c(y = 0.005, a = 0.5, b = 0.005, c = 5e-7, e = 5e-4))
})

test_that("draws reproduce an independent lm() loop to 1e-10 (uniform)", {
  fit <- lm(study_formula, data = bengbu)
  err <- 0.5 * 10^-study_decimals
  set.seed(42)
  s <- sensitivity(fit, draws = 25)
  seed_after <- .Random.seed
  set.seed(42)
  ref <- sens_reference(study_formula, bengbu, err, 25)
  expect_sens_equal(s, ref)
  expect_identical(seed_after, .Random.seed)
  expect_identical(dim(s$B), c(25L, 7L))
  expect_identical(colnames(s$t), names(coef(fit)))
})

test_that("draws reproduce an independent lm() loop (normal, partly zero errors)", {
  fit <- lm(study_formula, data = bengbu)
  err <- 0.5 * 10^-study_decimals
  err[c("sup", "LQ")] <- c(0, 0.001)
  set.seed(7)
  s <- sensitivity(fit, error = c(sup = 0, LQ = 0.001), draws = 20,
                   distribution = "normal")
  set.seed(7)
  ref <- sens_reference(study_formula, bengbu, err, 20, normal = TRUE)
  expect_sens_equal(s, ref)
  expect_equal(s$error, err)
  expect_identical(unname(s$inferred), names(err) != "sup" & names(err) != "LQ")
})

test_that("factor dummies are kept fixed and the intercept-free model works", {
  d <- iris[c(1:12, 51:62, 101:112), ]
  f <- Sepal.Length ~ Petal.Width + Species + Sepal.Width
  set.seed(11)
  s <- sensitivity(lm(f, data = d), error = c(Sepal.Length = 0.05,
                   Petal.Width = 0.05, Sepal.Width = 0.05), draws = 15)
  expect_identical(names(s$error), c("Sepal.Length", "Petal.Width", "Sepal.Width"))
  set.seed(11)
  ref <- sens_reference(f, d, s$error, 15)
  expect_sens_equal(s, ref)
  # dummies are not perturbed: their columns of the design never change
  expect_false("Species" %in% names(s$error))

  f0 <- mpg ~ 0 + wt + hp
  set.seed(5)
  s0 <- sensitivity(lm(f0, data = mtcars), error = 0.05, draws = 10)
  set.seed(5)
  ref0 <- sens_reference(f0, mtcars, c(mpg = 0.05, wt = 0.05, hp = 0.05), 10)
  for (nm in c("B", "SE", "t", "p", "r.squared", "adj.r.squared", "F", "F.p"))
    expect_equal(s0[[nm]], ref0[[nm]], tolerance = 1e-10, label = nm)
})

test_that("error = 0 reproduces the original fit in every draw", {
  fit <- lm(study_formula, data = bengbu)
  cf <- summary(fit)$coefficients
  fs <- summary(fit)$fstatistic
  s <- sensitivity(fit, error = 0, draws = 5)
  expect_true(all(s$error == 0))
  for (d in 1:5) {
    expect_equal(s$B[d, ], cf[, 1], tolerance = 1e-10)
    expect_equal(s$SE[d, ], cf[, 2], tolerance = 1e-10)
    expect_equal(s$t[d, ], cf[, 3], tolerance = 1e-10)
    expect_equal(s$p[d, ], cf[, 4], tolerance = 1e-10)
  }
  expect_equal(s$r.squared, rep(summary(fit)$r.squared, 5), tolerance = 1e-10)
  expect_equal(s$F, rep(fs[[1]], 5), tolerance = 1e-10)
  expect_equal(s$original$B, coef(fit), tolerance = 1e-10)
  expect_equal(s$original$F.p, pf(fs[[1]], fs[[2]], fs[[3]], lower.tail = FALSE),
               tolerance = 1e-10)
  # nothing flips, nothing changes sign
  df <- as.data.frame(s)
  expect_true(all(df$flip == 0))
  expect_true(all(df$verdict == "robust"))
})

test_that("original Beta and VIF agree with car::vif() and plain computations", {
  fit <- lm(study_formula, data = bengbu)
  s <- sensitivity(fit, draws = 1)
  X <- as.matrix(bengbu[c("infra", "sup", "tech", "phrl", "fm", "dm")])
  beta <- coef(fit)[-1] * apply(X, 2, sd) / sd(bengbu$LQ)
  expect_equal(s$original$Beta[-1], beta, tolerance = 1e-10)
  # VIF_j = 1 / (1 - R^2 of x_j on the other regressors)
  vif <- vapply(colnames(X), function(v)
    1 / (1 - summary(lm(X[, v] ~ X[, colnames(X) != v]))$r.squared), 1)
  expect_equal(s$original$VIF[-1], vif, tolerance = 1e-8)
  expect_true(is.na(s$original$VIF[1]) && is.na(s$original$Beta[1]))
  # the published table (three decimals, computed by SPSS on the unrounded
  # data) is near the refit of the rounded data
  pub <- bengbu_published$coefficients
  expect_equal(unname(s$original$Beta[-1]), pub$Beta[-1], tolerance = 0.02)
  expect_equal(unname(s$original$VIF[-1]), pub$VIF[-1], tolerance = 0.02)
  skip_if_not_installed("car")
  expect_equal(s$original$VIF[-1], car::vif(fit), tolerance = 1e-8)
})

test_that("aliased coefficients stay NA", {
  d <- data.frame(y = c(1.1, 2.3, 2.9, 4.2, 5.1, 5.8), x = c(1, 2, 3, 4, 5, 6.5))
  d$z <- 2 * d$x
  fit <- lm(y ~ x + z, data = d)
  s <- sensitivity(fit, error = 0, draws = 3)
  expect_true(all(is.na(s$B[, "z"])))
  expect_equal(s$B[1, c("(Intercept)", "x")], coef(lm(y ~ x, data = d)),
               tolerance = 1e-10)
})

test_that("summaries over draws agree with quantile() and flip computed here", {
  fit <- lm(study_formula, data = bengbu)
  set.seed(99)
  s <- sensitivity(fit, draws = 200)
  df <- as.data.frame(s)
  expect_named(df, c("term", "B", "t", "p", "B_q05", "B_q50", "B_q95",
                     "t_q05", "t_q50", "t_q95", "p_q05", "p_q50", "p_q95",
                     "flip", "sign_change", "verdict"))
  expect_identical(df$term, names(coef(fit)))
  expect_equal(df$t_q95, unname(apply(s$t, 2, quantile, 0.95)))
  expect_equal(df$B_q05, unname(apply(s$B, 2, quantile, 0.05)))
  p0 <- summary(fit)$coefficients[, 4]
  flip <- colMeans(sweep(s$p < 0.05, 2, p0 < 0.05, "!="))
  expect_equal(df$flip, unname(flip))
  sgn <- colMeans(sweep(sign(s$B), 2, sign(coef(fit)), "!="))
  expect_equal(df$sign_change, unname(sgn))
  expect_identical(df$verdict,
                   unname(ifelse(flip > 0.1 | sgn > 0.05, "fragile", "robust")))
  q <- quantile(s, probs = c(0.1, 0.9), which = "p")
  expect_equal(q[, 2], apply(s$p, 2, quantile, 0.9), ignore_attr = TRUE)
  expect_identical(rownames(q), names(coef(fit)))
  expect_equal(unname(quantile(s, 0.5, which = "F")), median(s$F))

  sm <- summary(s)
  expect_s3_class(sm, "summary.linreg_sensitivity")
  expect_equal(sm$coefficients, df)
  expect_equal(sm$model$flip[2],
               mean((s$F.p < 0.05) != (s$original$F.p < 0.05)))
  expect_output(print(s), "fragile")
  expect_output(print(s), "inferred from decimals")
  expect_output(print(sm), "R-squared")
  capture_output(vis <- withVisible(print(s)))
  expect_false(vis$visible)
  expect_identical(vis$value, s)
})

test_that("plot() draws B and t with original and published values", {
  fit <- lm(study_formula, data = bengbu)
  set.seed(1)
  s <- sensitivity(fit, draws = 50)
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_invisible(plot(s, published = bengbu_published$coefficients))
  expect_invisible(plot(s, terms = "infra"))
  expect_error(plot(s, terms = "nope"), "`terms`")
  expect_error(plot(s, published = 1), "`published`")
  expect_error(plot(s, trim = 0.5), "`trim`")
  s0 <- sensitivity(fit, error = 0, draws = 3)   # no spread at all
  expect_invisible(plot(s0, terms = "infra", trim = 0))
})

test_that("bad input is refused with a message naming the argument", {
  fit <- lm(study_formula, data = bengbu)
  expect_error(sensitivity(fit, error = -1), "`error`.*negative")
  expect_error(sensitivity(fit, error = c(LQ = Inf)), "`error`.*finite")
  expect_error(sensitivity(fit, error = c(LQ = NA_real_)), "`error`.*finite")
  expect_error(sensitivity(fit, error = c(nope = 0.1)), "`error`.*\"nope\"")
  expect_error(sensitivity(fit, error = c(0.1, 0.2)), "`error`")
  expect_error(sensitivity(fit, error = "a"), "`error`")
  expect_error(sensitivity(fit, draws = 0), "`draws`")
  expect_error(sensitivity(fit, draws = 1.5), "`draws`")
  expect_error(sensitivity(fit, sig.level = 1), "`sig.level`")
  expect_error(sensitivity(fit, sig.level = 0), "`sig.level`")
  expect_error(sensitivity(fit, distribution = "cauchy"), "`distribution`")
  expect_error(sensitivity(1:3), "`fit`")
  expect_error(sensitivity(lm(log(LQ) ~ infra, data = bengbu)), "response")
  expect_error(sensitivity(lm(LQ ~ log(sup), data = bengbu)), "log\\(sup\\)")
  expect_error(sensitivity(lm(LQ ~ infra * tech, data = bengbu)), "interaction")
  expect_error(sensitivity(lm(LQ ~ infra, data = bengbu,
                              weights = c(0, rep(1, 7)))), "weights")
  expect_error(sensitivity(lm(LQ ~ infra + offset(tech), data = bengbu)), "offset")
  expect_error(sensitivity(lm(LQ ~ infra + sup + tech + phrl + fm + dm + year,
                              data = bengbu)), "residual degrees")
  s <- sensitivity(fit, draws = 1)
  expect_error(quantile(s, which = "nope"), "`which`")
  expect_error(quantile(s, probs = 2), "`probs`")
})

test_that("sensitivity() works on a linreg fit", {
  skip_if_not(exists("linreg", asNamespace("gvcluster")))
  linreg <- get("linreg", asNamespace("gvcluster"))
  fit <- linreg(study_formula, data = bengbu)
  err <- 0.5 * 10^-study_decimals
  set.seed(3)
  s <- sensitivity(fit, draws = 10)
  set.seed(3)
  ref <- sens_reference(study_formula, bengbu, err, 10)
  expect_s3_class(s, "linreg_sensitivity")
  expect_sens_equal(s, ref)
})

test_that("the linreg method relies only on terms, model and coefficients", {
  lfit <- lm(study_formula, data = bengbu)
  fake <- structure(list(coefficients = coef(lfit), terms = lfit$terms,
                         model = lfit$model), class = "linreg")
  set.seed(8)
  s1 <- sensitivity(fake, draws = 5)
  set.seed(8)
  s2 <- sensitivity(lfit, draws = 5)
  expect_identical(s1$B, s2$B)
  expect_error(sensitivity(structure(list(), class = "linreg")), "`fit`")
})

test_that("rows dropped by na.action stay dropped", {
  d <- bengbu
  d$tech[3] <- NA
  f <- LQ ~ infra + tech + phrl
  set.seed(4)
  s <- sensitivity(lm(f, data = d), draws = 10)
  expect_identical(s$n, 7L)
  set.seed(4)
  ref <- sens_reference(f, d[-3, ], s$error, 10)
  expect_sens_equal(s, ref)
})

test_that("printed tables and error messages", {
  fit <- lm(study_formula, data = bengbu)
  s <- sensitivity(fit, error = 0, draws = 3)   # no randomness: stable output
  expect_snapshot(print(s))
  expect_snapshot(print(summary(s)))
  expect_snapshot(error = TRUE, sensitivity(fit, error = c(LQ = 0.1, nope = 1)))
  expect_snapshot(error = TRUE, sensitivity(lm(LQ ~ I(infra^2), data = bengbu)))
})

test_that("a draw whose design loses rank is NA throughout and counted", {
  # internal entry point: two regressor columns copy the same variable, so
  # every draw's design has rank 2 of 3
  V <- cbind(y = c(1, 3, 2, 5, 4), x = c(1, 2, 3, 4, 5))
  X <- cbind(1, V[, "x"], V[, "x"])
  set.seed(1)
  r <- .Call(gvcluster:::ffi_sensitivity_draws, V, c(0.1, 0.1), X,
             c(0L, 2L, 2L), 1L, 4L, 0L, 1L, numeric(0), NA_real_)
  expect_identical(r$rank_deficient, 4L)
  expect_true(all(is.na(r$B)) && all(is.na(r$F)))
  # a single-probability quantile keeps the terms x probs shape
  fit <- lm(study_formula, data = bengbu)
  s <- sensitivity(fit, error = 0, draws = 2)
  q <- quantile(s, 0.5, which = "Beta")
  expect_identical(dim(q), c(7L, 1L))
  expect_equal(q[-1, 1], s$original$Beta[-1])
})

test_that("weighted fits: weights stay fixed, refits are weighted as lm() does", {
  d <- bengbu
  wt <- c(1, 2, 1.5, 1, 3, 2, 1, 2.5)
  f <- LQ ~ infra + tech + phrl + fm
  fit <- lm(f, data = d, weights = wt)
  s0 <- sensitivity(fit, error = 0, draws = 2)
  sm <- summary(fit)
  expect_equal(s0$original$B, coef(fit), tolerance = 1e-10)
  expect_equal(s0$original$SE, sm$coefficients[, 2], tolerance = 1e-10)
  expect_equal(s0$original$r.squared, sm$r.squared, tolerance = 1e-10)
  expect_equal(s0$original$adj.r.squared, sm$adj.r.squared, tolerance = 1e-10)
  expect_equal(s0$original$F, sm$fstatistic[[1]], tolerance = 1e-10)
  skip_if_not_installed("car")
  expect_equal(s0$original$VIF[-1], car::vif(fit), tolerance = 1e-8)

  set.seed(21)
  s <- sensitivity(fit, draws = 8)
  set.seed(21)
  B <- t <- NULL
  r2 <- numeric(0)
  for (k in 1:8) {
    dd <- d
    for (v in names(s$error))
      dd[[v]] <- dd[[v]] + runif(nrow(dd), -s$error[[v]], s$error[[v]])
    sk <- summary(lm(f, data = dd, weights = wt))
    B <- rbind(B, sk$coefficients[, 1])
    t <- rbind(t, sk$coefficients[, 3])
    r2 <- c(r2, sk$r.squared)
  }
  expect_equal(s$B, B, tolerance = 1e-10)
  expect_equal(s$t, t, tolerance = 1e-10)
  expect_equal(s$r.squared, r2, tolerance = 1e-10)
})

test_that("sensitivity() and linreg() agree on the rank of near-collinear designs", {
  # one rank rule for both: x2 = x1 + delta * z, full rank down to deltas
  # far below lm's 1e-7 and rank deficient at the rounding level; deltas
  # stay three orders of magnitude away from tol = max(n, p) * eps
  set.seed(42)
  n <- 50
  x1 <- seq_len(n) / n
  z <- stats::resid(stats::lm(stats::rnorm(n) ~ x1))
  z <- z / sqrt(sum(z^2))
  y <- 1 + x1 + stats::rnorm(n)
  for (delta in c(1e-3, 1e-6, 1e-9, 1e-11, 1e-18, 0)) {
    x2 <- x1 + delta * z
    X <- cbind(1, x1, x2)
    expected_full <- delta >= 1e-11
    for (precision in c("double", "extended")) {
      fit <- linreg(cbind(x1 = x1, x2 = x2), y, precision = precision)
      expect_identical(fit$rank == 3L, expected_full,
                       info = paste("linreg", precision, delta))
    }
    V <- cbind(y = y, x1 = x1, x2 = x2)
    r <- .Call(gvcluster:::ffi_sensitivity_draws, V, c(0, 0, 0), X,
               c(0L, 2L, 3L), 1L, 1L, 0L, 1L, numeric(0), NA_real_)
    expect_identical(r$rank_deficient == 0L, expected_full,
                     info = paste("sensitivity", delta))
  }
  # and through the exported functions: a design lm() would call rank
  # deficient (delta = 1e-9 < 1e-7) is refitted, not dropped
  d <- data.frame(y = y, x1 = x1, x2 = x1 + 1e-9 * z)
  fit <- linreg(y ~ x1 + x2, data = d)
  expect_identical(fit$rank, 3L)
  s <- sensitivity(fit, error = 0, draws = 2)
  expect_identical(s$rank_deficient, 0L)
  expect_equal(unname(s$original$B), unname(stats::coef(fit)), tolerance = 1e-6)
})

test_that("the significance level is sig.level; the former `level` warns", {
  fit <- linreg(LQ ~ infra + sup + tech, data = bengbu)
  set.seed(3)
  a <- sensitivity(fit, draws = 20, sig.level = 0.1)
  set.seed(3)
  expect_warning(b <- sensitivity(fit, draws = 20, level = 0.1),
                 "`level` of sensitivity\\(\\) is deprecated; use `sig.level` instead")
  b$call <- a$call
  expect_identical(b, a)
  expect_identical(a$sig.level, 0.1)
  # the flip share by hand: draws whose call at 0.1 differs from the original's
  o <- a$original$p
  hand <- vapply(colnames(a$p), function(j) mean((a$p[, j] < 0.1) != (o[[j]] < 0.1)), 0)
  expect_equal(as.data.frame(a)$flip, unname(hand))
  set.seed(3)
  expect_identical(sensitivity(lm(LQ ~ infra + sup + tech, data = bengbu), draws = 20,
                               sig.level = 0.1)$sig.level, 0.1)
  expect_error(suppressWarnings(sensitivity(fit, sig.level = 0.1, level = 0.1)),
               "`level` is the former name of `sig.level`")
})
