# Shared by the linreg tests: relative difference, and an independent
# reference table built from lm(), summary.lm(), confint(), car::vif() and a
# hand computation of the standardised coefficients.
rel_diff <- function(a, b) {
  a <- unname(a); b <- unname(b)
  d <- abs(a - b) / pmax(abs(b), .Machine$double.xmin)
  d[a == b] <- 0
  max(d, na.rm = TRUE)
}

lre <- function(est, cert) pmin(15, -log10(abs(est - cert) / abs(cert)))

# Beta = B * sd_w(x) / sd_w(y) with weighted centring, written out here.
hand_beta <- function(l) {
  X <- model.matrix(l)
  y <- model.response(model.frame(l))
  w <- weights(l)
  if (is.null(w)) w <- rep(1, length(y))
  wsd <- function(v) sqrt(sum(w * (v - sum(w * v) / sum(w))^2))
  b <- coef(l) * apply(X, 2, wsd) / wsd(y)
  b[names(b) == "(Intercept)"] <- NA
  b
}

# VIF as the diagonal of the inverse correlation matrix, computed directly.
car_free_vif <- function(Z) diag(solve(cor(Z)))

# Random data with a factor, weights and an offset.
make_data <- function(n = 60, seed = 1) {
  set.seed(seed)
  d <- data.frame(x1 = rnorm(n), x2 = runif(n, 0, 10), x3 = rnorm(n, 5),
                  g = factor(sample(c("a", "b", "c"), n, TRUE)),
                  w = runif(n, 0.5, 2), off = rnorm(n))
  d$y <- 2 + 1.5 * d$x1 - 0.3 * d$x2 + 0.8 * d$x3 + (d$g == "b") + rnorm(n)
  d
}

compare_with_lm <- function(fit, l, tol = 1e-10) {
  sl <- summary(l)
  if (!is.null(l$offset)) {
    # R² and F net of the offset (R >= 4.3 summary.lm; 4.2 did not subtract it)
    fn <- fitted(l) - l$offset
    w <- if (is.null(weights(l))) rep(1, length(fn)) else weights(l)
    mss <- if (attr(terms(l), "intercept")) sum(w * (fn - sum(w * fn) / sum(w))^2) else sum(w * fn^2)
    rss <- sum(w * residuals(l)^2)
    dfi <- attr(terms(l), "intercept")
    sl$r.squared <- mss / (mss + rss)
    sl$adj.r.squared <- 1 - (1 - sl$r.squared) * (nobs(l) - dfi) / l$df.residual
    sl$fstatistic[["value"]] <- (mss / (l$rank - dfi)) / (rss / l$df.residual)
  }
  expect_lt(rel_diff(coef(fit), coef(l)), tol)
  expect_lt(rel_diff(fit$se, coef(sl)[, 2]), tol)
  ct <- as.data.frame(fit)
  expect_lt(rel_diff(ct$t, coef(sl)[, 3]), tol)
  expect_lt(rel_diff(ct$p, coef(sl)[, 4]), tol)
  ci <- confint(l)
  expect_lt(rel_diff(ct$lower, ci[, 1]), tol)
  expect_lt(rel_diff(ct$upper, ci[, 2]), tol)
  expect_lt(rel_diff(confint(fit), ci), tol)
  expect_lt(rel_diff(vcov(fit), vcov(l)), tol)
  expect_lt(rel_diff(residuals(fit), residuals(l)), 1e-8)
  expect_lt(rel_diff(fitted(fit), fitted(l)), tol)
  sm <- summary(fit)$model
  expect_lt(rel_diff(sm$r.squared, sl$r.squared), tol)
  expect_lt(rel_diff(sm$adj.r.squared, sl$adj.r.squared), tol)
  expect_lt(rel_diff(sm$sigma, sl$sigma), tol)
  expect_lt(rel_diff(sm$F, sl$fstatistic[["value"]]), tol)
  expect_equal(sm$df1, unname(sl$fstatistic[["numdf"]]))
  expect_equal(sm$df2, unname(sl$fstatistic[["dendf"]]))
  Fp <- pf(sl$fstatistic[["value"]], sl$fstatistic[["numdf"]], sl$fstatistic[["dendf"]],
           lower.tail = FALSE)
  expect_lt(rel_diff(sm$F.p, Fp), tol)
  expect_lt(rel_diff(sm$logLik, as.numeric(logLik(l))), tol)
  expect_lt(rel_diff(AIC(fit), AIC(l)), tol)
  expect_lt(rel_diff(BIC(fit), BIC(l)), tol)
  expect_equal(nobs(fit), nobs(l))
  expect_lt(rel_diff(ct$Beta, hand_beta(l)), tol)
  expect_equal(is.na(ct$Beta), is.na(hand_beta(l)), ignore_attr = TRUE)
}
