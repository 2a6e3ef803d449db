# An independent reference for sensitivity(): a plain R loop over lm() on
# data perturbed with runif()/rnorm() in the documented order (for each
# draw, for each perturbed variable in model-frame order with a positive
# error, all observations at once).
sens_reference <- function(formula, data, error, draws, normal = FALSE) {
  mf <- model.frame(formula, data)
  vars <- names(error)
  out <- list(B = NULL, SE = NULL, t = NULL, p = NULL, Beta = NULL,
              VIF = NULL, r.squared = numeric(0), adj.r.squared = numeric(0),
              F = numeric(0), F.p = numeric(0))
  for (d in seq_len(draws)) {
    dd <- mf
    for (v in vars) {
      h <- error[[v]]
      if (h > 0) {
        dd[[v]] <- dd[[v]] + if (normal) rnorm(nrow(dd), 0, h) else runif(nrow(dd), -h, h)
      }
    }
    fit <- lm(formula, data = dd)
    s <- summary(fit)
    cf <- s$coefficients
    X <- model.matrix(fit)
    y <- model.response(model.frame(fit))
    nonint <- colnames(X) != "(Intercept)"
    beta <- coef(fit) * apply(X, 2, sd) / sd(y)
    beta[!nonint] <- NA
    vif <- rep(NA_real_, ncol(X))
    vif[nonint] <- diag(solve(cor(X[, nonint, drop = FALSE])))
    out$B <- rbind(out$B, cf[, 1])
    out$SE <- rbind(out$SE, cf[, 2])
    out$t <- rbind(out$t, cf[, 3])
    out$p <- rbind(out$p, cf[, 4])
    out$Beta <- rbind(out$Beta, beta)
    out$VIF <- rbind(out$VIF, vif)
    out$r.squared <- c(out$r.squared, s$r.squared)
    out$adj.r.squared <- c(out$adj.r.squared, s$adj.r.squared)
    out$F <- c(out$F, s$fstatistic[[1]])
    out$F.p <- c(out$F.p, pf(s$fstatistic[[1]], s$fstatistic[[2]],
                             s$fstatistic[[3]], lower.tail = FALSE))
  }
  for (s in c("B", "SE", "t", "p", "Beta", "VIF"))
    dimnames(out[[s]]) <- list(NULL, colnames(model.matrix(formula, mf)))
  out
}

expect_sens_equal <- function(s, ref, tol = 1e-10) {
  for (nm in c("B", "SE", "t", "p", "Beta", "VIF"))
    testthat::expect_equal(s[[nm]], ref[[nm]], tolerance = tol, label = nm)
  for (nm in c("r.squared", "adj.r.squared", "F", "F.p"))
    testthat::expect_equal(s[[nm]], ref[[nm]], tolerance = tol, label = nm)
}
