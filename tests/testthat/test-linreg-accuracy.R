# Ill-conditioned designs against references computed exactly or from a
# well-conditioned reparametrisation of the same model.

test_that("polynomial with exactly known least-squares solution", {
  # x equally spaced integers, y = X b + e with integer b and an integer e
  # orthogonal to every polynomial of degree <= d (the (d+1)-th difference
  # stencil): the exact LS solution is b and RSS = sum(e^2), all exact.
  for (x0 in c(0, 50, 200)) {
    d <- 5L
    x <- x0 + 0:20
    b <- c(3, -2, 1, 4, -1, 2)
    X <- outer(x, 0:d, "^")
    e <- c((-1)^(0:(d + 1)) * choose(d + 1, 0:(d + 1)), rep(0, length(x) - d - 2))
    y <- drop(X %*% b) + e
    stopifnot(all(abs(y) < 2^53))
    dat <- data.frame(x = x, y = y)
    f <- linreg(y ~ x + I(x^2) + I(x^3) + I(x^4) + I(x^5), data = dat)
    expect_false(anyNA(coef(f)))
    expect_lt(max(abs(coef(f) - b) / abs(b)), 1e-9)
    expect_lt(abs(f$stats$rss / sum(e^2) - 1), 1e-9)
    # SE of the leading coefficient: with orthonormal polynomials (poly())
    # the degree-d column is P_d / sqrt(norm2[d + 2]) with P_d monic, so
    # SE(b_d) = sigma / sqrt(norm2[d + 2]), sigma known exactly.
    nrm2 <- attr(poly(x, d), "coefs")$norm2
    sig <- sqrt(sum(e^2) / (length(x) - d - 1))
    expect_lt(abs(f$se[[6]] / (sig / sqrt(nrm2[d + 2])) - 1), 1e-9)
  }
})

test_that("near-dependent columns match a well-conditioned reparametrisation", {
  set.seed(11)
  n <- 50
  x1 <- round(rnorm(n) * 64) / 64
  u <- round(rnorm(n) * 64) / 64
  for (k in c(10, 20, 26)) {
    delta <- 2^-k
    x2 <- x1 + delta * u                      # exact in double
    y <- 1 + 2 * x1 + 3 * x2 + rnorm(n) * 0.1
    # valgrind emulates long double as double, which the refinement of the
    # double path relies on: check that path only outside valgrind
    precs <- if (nzchar(Sys.getenv("GVCLUSTER_VALGRIND"))) c("auto", "extended") else
      c("auto", "double", "extended")
    for (prec in precs) {
      f <- linreg(y ~ x1 + x2, data = data.frame(y, x1, x2), precision = prec)
      # same column space: y ~ x1 + u, with b2 = c2 / delta, b1 = c1 - c2 / delta
      l <- lm(y ~ x1 + u)
      cc <- coef(l)
      V <- vcov(l)
      bref <- c(cc[1], cc[2] - cc[3] / delta, cc[3] / delta)
      seref <- sqrt(c(V[1, 1], V[2, 2] + V[3, 3] / delta^2 - 2 * V[2, 3] / delta,
                      V[3, 3] / delta^2))
      expect_false(anyNA(coef(f)))
      tol <- 1e-9
      expect_lt(max(abs(coef(f) - bref) / abs(bref)), tol)
      # the double path has no refinement of (R'R)^-1: SEs carry eps * kappa
      # (kappa ~ 2^k here); auto and extended use double-double
      tol_se <- if (prec == "double" && k > 20) 1e-7 else 1e-9
      expect_lt(max(abs(f$se - seref) / seref), tol_se)
    }
  }
})

test_that("columns scaled from 1e-8 to 1e12 give exactly rescaled results", {
  set.seed(5)
  n <- 40
  Z <- matrix(rnorm(n * 4), n, 4)
  y <- drop(Z %*% c(1, -2, 0.5, 3)) + rnorm(n)
  s <- c(1e-8, 1e-3, 1e5, 1e12)
  X <- sweep(Z, 2, s, "*")
  colnames(X) <- colnames(Z) <- paste0("z", 1:4)
  l <- lm(y ~ Z)
  for (prec in c("double", "extended")) {
    f <- linreg(X, y, precision = prec)
    expect_lt(rel_diff(coef(f)[-1] * s, coef(l)[-1]), 1e-10)
    expect_lt(rel_diff(f$se[-1] * s, coef(summary(l))[-1, 2]), 1e-10)
    expect_lt(rel_diff(f$vif[-1], car_free_vif(Z)), 1e-10)
  }
})

test_that("a degree-10 polynomial identifiable in double precision is not dropped", {
  x <- seq(1, 3, length.out = 60)
  set.seed(2)
  y <- sin(x) + rnorm(60) * 1e-3
  f <- linreg(y ~ poly(x, 10, raw = TRUE))
  expect_equal(f$rank, 11L)
  l <- lm(y ~ poly(x, 10, raw = TRUE))
  expect_true(anyNA(coef(l)))                 # lm's 1e-7 tolerance drops columns
  # the fitted values agree with the orthogonal-polynomial fit (well conditioned)
  lo <- lm(y ~ poly(x, 10))
  expect_lt(rel_diff(fitted(f), fitted(lo)), 1e-10)
  expect_lt(rel_diff(f$sigma, summary(lo)$sigma), 1e-8)
})
