# Benchmark of sensitivity(): 10,000 perturbed refits of the study's model
# (LQ ~ infra + sup + tech + phrl + fm + dm on the 8 rows of bengbu), against
# the plain R loop over lm() a user would otherwise write (same perturbations,
# same statistics: coefficients, SEs, t, p, R-squared, F and its p-value).
# Targets (issue 4): under 0.5 s, and at least 50x faster than the lm() loop.
# Run from the repository root: R_LIBS=.lib Rscript bench/sensitivity.R
suppressPackageStartupMessages({
  library(gvcluster)
  library(bench)
})

fit <- lm(LQ ~ infra + sup + tech + phrl + fm + dm, data = bengbu)
draws <- 10000L
err <- sensitivity(fit, draws = 1)$error   # the inferred rounding units

lm_loop <- function(draws) {
  mf <- fit$model
  n <- nrow(mf)
  B <- t <- p <- matrix(NA_real_, draws, 7L)
  r2 <- F <- Fp <- numeric(draws)
  for (d in seq_len(draws)) {
    dd <- mf
    for (v in names(err)) dd[[v]] <- dd[[v]] + runif(n, -err[[v]], err[[v]])
    s <- summary(lm(LQ ~ infra + sup + tech + phrl + fm + dm, data = dd))
    B[d, ] <- s$coefficients[, 1]
    t[d, ] <- s$coefficients[, 3]
    p[d, ] <- s$coefficients[, 4]
    r2[d] <- s$r.squared
    F[d] <- s$fstatistic[[1]]
    Fp[d] <- pf(F[d], 6, 1, lower.tail = FALSE)
  }
  list(B = B, t = t, p = p, r.squared = r2, F = F, F.p = Fp)
}

# The two give the same numbers for the same seed (checked, not timed; the
# tolerance is relative, and a rare draw whose fit is exact to rounding has
# t and F that are themselves undetermined beyond ~1e-9).
set.seed(1); a <- sensitivity(fit, draws = 200)
set.seed(1); b <- lm_loop(200)
stopifnot(isTRUE(all.equal(unname(a$t), b$t, tolerance = 1e-8)),
          isTRUE(all.equal(a$F.p, b$F.p, tolerance = 1e-8)))

res <- bench::mark(
  sensitivity = sensitivity(fit, draws = draws),
  lm_loop = lm_loop(draws),
  check = FALSE, iterations = 3, filter_gc = FALSE
)
print(res[, c("expression", "min", "median", "mem_alloc", "n_itr")])
med <- as.numeric(res$median)
cat(sprintf("\nsensitivity(): %.1f ms for %d draws (target < 500 ms: %s)\n",
            1000 * med[1], draws, if (med[1] < 0.5) "met" else "MISSED"))
cat(sprintf("lm() loop: %.2f s; speed-up %.0fx (target >= 50x: %s)\n",
            med[2], med[2] / med[1], if (med[2] / med[1] >= 50) "met" else "MISSED"))
