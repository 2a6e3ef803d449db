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
