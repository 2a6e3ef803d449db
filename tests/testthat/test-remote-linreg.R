# linreg() on a remote table against linreg() on the same rows in memory.

remote_reg_data <- function(n, eps = 0.1, seed = 5) {
  set.seed(seed)
  d <- data.frame(t = sample(n), x1 = stats::rnorm(n, 50, 1),
                  x2 = stats::runif(n) * 1000,
                  g = sample(c("north", "south", "west"), n, TRUE),
                  stringsAsFactors = FALSE)
  d$x3 <- d$x1 + eps * stats::rnorm(n)
  d$y <- 3 + d$x1 - 0.5 * d$x3 + 0.002 * d$x2 + (d$g == "south") +
    0.01 * d$x1 * (d$g == "west") + stats::rnorm(n)
  d
}

expect_same_fit <- function(f1, f0, tol = 1e-9, tol_dw_p = tol) {
  expect_equal(f1$coefficients, f0$coefficients, tolerance = tol)
  expect_equal(f1$se, f0$se, tolerance = tol)
  expect_equal(f1$beta, f0$beta, tolerance = tol)
  expect_equal(f1$vif, f0$vif, tolerance = tol)
  expect_equal(f1$gvif, f0$gvif, tolerance = tol)
  expect_equal(f1$cov.unscaled, f0$cov.unscaled, tolerance = tol)
  for (k in c("n", "r.squared", "adj.r.squared", "sigma", "F", "df1", "df2",
              "F.p", "rss", "mss", "logLik", "AIC", "BIC"))
    expect_equal(f1$stats[[k]], f0$stats[[k]], tolerance = tol, label = k)
  expect_equal(f1$condition$number, f0$condition$number, tolerance = 1e-6)
  expect_equal(f1$dw$statistic, f0$dw$statistic, tolerance = tol)
  expect_equal(f1$dw$p.value, f0$dw$p.value, tolerance = tol_dw_p)
  expect_identical(f1$dw$method, f0$dw$method)
}

for (engine in remote_engines) test_that(remote_desc("a remote fit in blocks equals the in-memory fit (factors, interactions, NA rows)", engine), {
  skip_if_no_remote(engine)
  d <- remote_reg_data(400)
  d$y[c(5, 77)] <- NA
  d$x2[9] <- NA
  db <- remote_db(d, engine = engine)
  on.exit(DBI::dbDisconnect(db$con))
  fm <- y ~ x1 + x2 + x3 + g + x1:g + log(x2)
  f1 <- linreg(fm, data = db$tbl, order_by = "t", block_size = 37)
  expect_s3_class(f1, c("linreg_remote", "linreg"))
  expect_gt(f1$qr_info$blocks, 9)
  m <- d[order(d$t), ]
  f0 <- linreg(fm, data = m)
  expect_same_fit(f1, f0)
  # lm() as a second oracle for the coefficients
  expect_equal(unname(f1$coefficients), unname(coef(lm(fm, data = m))),
               tolerance = 1e-9)
})

for (engine in remote_engines) test_that(remote_desc("fewer than 100 rows: the exact Durbin-Watson p-value from the rows", engine), {
  skip_if_no_remote(engine)
  d <- remote_reg_data(60)
  db <- remote_db(d, engine = engine)
  on.exit(DBI::dbDisconnect(db$con))
  f1 <- linreg(y ~ x1 + x2, data = db$tbl, order_by = "t", block_size = 7)
  f0 <- linreg(y ~ x1 + x2, data = d[order(d$t), ])
  expect_same_fit(f1, f0)
  expect_identical(f1$dw$method, "exact (Imhof)")
})

for (engine in remote_engines) test_that(remote_desc("condition numbers up to 1e8: coefficients to 1e-12 after refinement", engine), {
  skip_if_no_remote(engine)
  for (eps in c(1e-3, 1e-5, 1e-6)) {
    d <- remote_reg_data(800, eps = eps, seed = 11)
    db <- remote_db(d, engine = engine)
    f1 <- linreg(y ~ x1 + x2 + x3, data = db$tbl, order_by = "t", block_size = 150)
    f0 <- linreg(y ~ x1 + x2 + x3, data = d[order(d$t), ])
    DBI::dbDisconnect(db$con)
    expect_equal(f1$condition$number, f0$condition$number, tolerance = 1e-6)
    expect_equal(f1$coefficients, f0$coefficients, tolerance = 1e-12)
    # above kappa = 1e5 the covariance comes from X'X summed exactly and
    # inverted in double-double: the standard errors to 1e-9 at kappa 1e8
    kappa <- f0$condition$number
    expect_equal(f1$se, f0$se, tolerance = 1e-9)
    expect_equal(f1$cov.unscaled, f0$cov.unscaled, tolerance = 1e-9)
    expect_equal(f1$vif, f0$vif, tolerance = 1e-9)
    # lm() as a second oracle where it is itself accurate (its QR in double
    # loses about kappa * 1e-16)
    if (kappa < 1e7)
      expect_equal(unname(f1$se), unname(summary(stats::lm(y ~ x1 + x2 + x3, d))$coefficients[, 2]),
                   tolerance = 1e-7)
    expect_equal(f1$stats$r.squared, f0$stats$r.squared, tolerance = 1e-12)
    expect_equal(f1$dw$statistic, f0$dw$statistic, tolerance = 1e-12)
  }
  expect_gt(kappa, 1e8)
})

for (engine in remote_engines) test_that(remote_desc("the Durbin-Watson p-value on ill-conditioned designs, against a stable oracle", engine), {
  skip_if_no_remote(engine)
  # the normal approximation's moments from an orthonormal basis Q of X
  # (Householder, orthonormal to rounding): tr(Q'AQ), ||AQ||^2, ||Q'AQ||^2
  dw_oracle <- function(X, stat) {
    n <- nrow(X); k <- ncol(X)
    Q <- qr.Q(qr(X))
    U <- diff(Q)
    QAQ <- crossprod(U)
    V <- rbind(U[1L, , drop = FALSE], diff(U), -U[nrow(U), , drop = FALSE])
    P <- 2 * (n - 1) - sum(diag(QAQ))
    Qm <- 2 * (3 * n - 4) - 2 * sum(V^2) + sum(QAQ^2)
    dmean <- P / (n - k)
    dvar <- 2 / ((n - k) * (n - k + 2)) * (Qm - P * dmean)
    stats::pnorm(stat, mean = dmean, sd = sqrt(dvar))
  }
  for (eps in c(1e-3, 1e-5)) {
    d <- remote_reg_data(800, eps = eps, seed = 11)
    db <- remote_db(d, engine = engine)
    f1 <- linreg(y ~ x1 + x2 + x3, data = db$tbl, order_by = "t", block_size = 150)
    DBI::dbDisconnect(db$con)
    m <- d[order(d$t), ]
    X <- stats::model.matrix(~ x1 + x2 + x3, m)
    expect_equal(f1$dw$statistic, sum(diff(stats::lm.fit(X, m$y)$residuals)^2) /
                   sum(stats::lm.fit(X, m$y)$residuals^2), tolerance = 1e-9)
    expect_equal(f1$dw$p.value, dw_oracle(X, f1$dw$statistic), tolerance = 1e-9)
    # the in-memory fit takes its moments the same way: the two agree
    f0 <- linreg(y ~ x1 + x2 + x3, data = m)
    expect_equal(f0$dw$p.value, dw_oracle(X, f0$dw$statistic), tolerance = 1e-9)
    expect_equal(f0$dw$p.value, f1$dw$p.value, tolerance = 1e-9)
    # and so does a weighted fit with zero weights (the rows are left out)
    wt <- rep(c(1, 2, 0, 1), length.out = nrow(m))
    fw <- linreg(y ~ x1 + x2 + x3, data = m, weights = wt)
    Xw <- X[wt > 0, ] * sqrt(wt[wt > 0])
    ew <- sqrt(wt[wt > 0]) * stats::lm.wfit(X, m$y, wt)$residuals[wt > 0]
    expect_equal(fw$dw$statistic, sum(diff(ew)^2) / sum(ew^2), tolerance = 1e-9)
    expect_equal(fw$dw$p.value, dw_oracle(Xw, fw$dw$statistic), tolerance = 1e-9)
  }
  expect_gt(f1$condition$number, 1e7)
})

for (engine in remote_engines) test_that(remote_desc("without order_by the Durbin-Watson statistic is NA, with a note", engine), {
  skip_if_no_remote(engine)
  d <- remote_reg_data(150)
  db <- remote_db(d, engine = engine)
  on.exit(DBI::dbDisconnect(db$con))
  f1 <- linreg(y ~ x1 + x2, data = db$tbl)
  f0 <- linreg(y ~ x1 + x2, data = d)
  expect_equal(f1$coefficients, f0$coefficients, tolerance = 1e-12)
  expect_true(is.na(f1$dw$statistic))
  expect_match(f1$dw$note, "order_by")
  expect_snapshot(print(f1))
})

for (engine in remote_engines) test_that(remote_desc("residuals(), fitted() and predict() are lazy tables with the in-memory values", engine), {
  skip_if_no_remote(engine)
  d <- remote_reg_data(120)
  d$y[3] <- NA
  db <- remote_db(d, engine = engine)
  on.exit(DBI::dbDisconnect(db$con))
  fm <- y ~ x1 + x2 + g + x1:g
  f1 <- linreg(fm, data = db$tbl, order_by = "t")
  m <- d[order(d$t), ]
  m <- m[!is.na(m$y), ]
  f0 <- linreg(fm, data = m)
  r <- residuals(f1)
  expect_s3_class(r, "tbl_lazy")
  r <- dplyr::collect(r)
  expect_equal(r$t, m$t)
  expect_equal(r$.resid, unname(residuals(f0)), tolerance = 1e-9)
  f <- dplyr::collect(fitted(f1))
  expect_equal(f$.fitted, unname(fitted(f0)), tolerance = 1e-12)
  nd <- remote_reg_data(10, seed = 9)
  remote_write(db$con, "nd", nd)
  pr <- dplyr::collect(predict(f1, dplyr::tbl(db$con, "nd")))
  expect_equal(pr$.fitted, unname(predict(f0, nd)), tolerance = 1e-12)
  # a data frame as newdata: computed in R
  expect_equal(unname(predict(f1, nd)), unname(predict(f0, nd)), tolerance = 1e-12)
})

for (engine in remote_engines) test_that(remote_desc("what needs the rows in memory, and bad input, give clear errors", engine), {
  skip_if_no_remote(engine)
  d <- remote_reg_data(50)
  d$label <- "a"
  d$x4 <- 2 * d$x1
  db <- remote_db(d, engine = engine)
  f1 <- linreg(y ~ x1, data = db$tbl)
  expect_snapshot(error = TRUE, sensitivity(f1))
  expect_snapshot(error = TRUE, plot(f1))
  expect_snapshot(error = TRUE, model.matrix(f1))
  expect_snapshot(error = TRUE, linreg(y ~ x1 + jobs, data = db$tbl))
  expect_snapshot(error = TRUE, linreg(label ~ x1, data = db$tbl))
  expect_snapshot(error = TRUE, linreg(y ~ x1 + x4, data = db$tbl))
  expect_snapshot(error = TRUE, linreg(y ~ x1, data = db$tbl, weights = x2))
  expect_snapshot(error = TRUE, linreg(y ~ x1, data = db$tbl, order_by = "time"))
  expect_snapshot(error = TRUE, linreg(y ~ x1, data = db$tbl, block_size = 0))
  DBI::dbDisconnect(db$con)
  expect_snapshot(error = TRUE, linreg(y ~ x1, data = db$tbl))
})

test_that("the fitted-value SQL for Spark (HiveQL) is stable", {
  skip_if_no_remote()
  d <- remote_reg_data(60)
  db <- remote_sqlite(d)
  on.exit(DBI::dbDisconnect(db$con))
  f1 <- linreg(y ~ x1 + g + x1:g, data = db$tbl, order_by = "t")
  f1$remote$data <- dbplyr::lazy_frame(t = 1L, y = 1, x1 = 1, g = "north",
                                       con = dbplyr::simulate_hive())
  f1$coefficients[] <- c(0.5, 1.25, -2, 3, 0.125, -0.0625)
  expect_snapshot(dbplyr::sql_render(residuals(f1)))
})

test_that("the double-double Gram matrix and its inverse", {
  set.seed(8)
  # integer entries: X'X is exact in double, so the sums must equal it
  X <- matrix(sample(-50:50, 3000 * 4, TRUE), 3000, 4)
  # (summed in C block by block, as a refinement pass does: here in blocks
  # of 700 rows)
  gram_dd <- function(X, rows = nrow(X)) {
    acc <- NULL
    for (i in split(seq_len(nrow(X)), ceiling(seq_len(nrow(X)) / rows)))
      acc <- .Call(gvcluster:::ffi_lsq_block, X[i, , drop = FALSE], numeric(length(i)),
                   numeric(ncol(X)), acc, TRUE)
    acc
  }
  storage.mode(X) <- "double"
  g <- gram_dd(X, 700L)
  G <- crossprod(X)
  up <- upper.tri(G, diag = TRUE)
  expect_identical((g$gram_hi + g$gram_lo)[up], G[up])
  # hi + lo carries what double rounding loses: 1 + 2^-60 summed exactly
  Y <- cbind(c(1, 2^-30, -1), 1)
  g2 <- gram_dd(Y)
  expect_identical(g2$gram_hi[1L], 1 + 1)           # 1 + 2^-60 + 1 rounds to 2
  expect_identical(g2$gram_lo[1L], 2^-60)
  # the inverse against solve() on a well-conditioned matrix (a hand oracle)
  Z <- matrix(stats::rnorm(200 * 5), 200, 5)
  C <- .Call(gvcluster:::ffi_lsq_cov_dd, gram_dd(Z, 64L))
  expect_equal(C, solve(crossprod(Z)), tolerance = 1e-13)
  # a Gram matrix that is not positive definite: NULL (the caller falls back)
  expect_null(.Call(gvcluster:::ffi_lsq_cov_dd, gram_dd(cbind(Z[, 1], Z[, 1]))))
})

test_that("a response or regressor far beyond 1e150 is fitted exactly (scaled by powers of 2)", {
  skip_if_no_remote()
  d <- remote_reg_data(300)
  # y * 2^520 (about 3e156): its squares overflow a double. A regressor
  # times 2^-450 (about 3e-133): its squares underflow. Both exact scalings,
  # so lm() on the unscaled data, scaled back by hand, is the oracle.
  s <- d
  s$y <- d$y * 2^520
  s$x2 <- d$x2 * 2^-450
  db <- remote_sqlite(s)
  on.exit(DBI::dbDisconnect(db$con))
  f1 <- linreg(y ~ x1 + x2, data = db$tbl, order_by = "t", block_size = 53)
  m <- d[order(d$t), ]
  cf <- summary(stats::lm(y ~ x1 + x2, data = m))$coefficients
  ex <- c(520, 520, 970)     # (Intercept), x1, x2: y's exponent minus the regressor's
  expect_equal(unname(f1$coefficients), unname(cf[, 1] * 2^ex), tolerance = 1e-10)
  expect_equal(unname(f1$se), unname(cf[, 2] * 2^ex), tolerance = 1e-10)
  expect_true(all(is.finite(f1$se)))
  expect_equal(unname(f1$coefficients / f1$se), unname(cf[, 3]), tolerance = 1e-9)
  expect_equal(f1$stats$sigma, summary(stats::lm(y ~ x1 + x2, data = m))$sigma * 2^520,
               tolerance = 1e-10)
  expect_equal(f1$stats$r.squared, summary(stats::lm(y ~ x1 + x2, data = m))$r.squared,
               tolerance = 1e-10)
  e <- stats::residuals(stats::lm(y ~ x1 + x2, data = m))
  expect_equal(f1$dw$statistic, sum(diff(e)^2) / sum(e^2), tolerance = 1e-10)
  # and against the in-memory fit of the same scaled rows
  f0 <- linreg(y ~ x1 + x2, data = s[order(s$t), ])
  expect_same_fit(f1, f0, tol = 1e-9)
})

test_that("a response near 1e300 (the finding i_lr-085 at its extreme) keeps finite SE", {
  skip_if_no_remote()
  d <- remote_reg_data(150)
  s <- d
  s$y <- d$y * 2^990           # about 1e298
  db <- remote_sqlite(s)
  on.exit(DBI::dbDisconnect(db$con))
  f1 <- linreg(y ~ x1 + x2, data = db$tbl, block_size = 40)
  cf <- summary(stats::lm(y ~ x1 + x2, data = d))$coefficients
  expect_equal(unname(f1$coefficients), unname(cf[, 1]) * 2^990, tolerance = 1e-10)
  expect_equal(unname(f1$se), unname(cf[, 2]) * 2^990, tolerance = 1e-10)
  expect_equal(unname(f1$coefficients / f1$se), unname(cf[, 3]), tolerance = 1e-9)
})

test_that("one streamed block in C: residuals and X'r in double-double", {
  set.seed(9)
  # integers: y - X b and X'r are exact in double, so C must return them
  X <- matrix(sample(-40:40, 500 * 3, TRUE), 500, 3) + 0
  y <- sample(-1000:1000, 500, TRUE) + 0
  b <- c(2, -3, 0.5)
  k0 <- .Call(gvcluster:::ffi_lsq_block, X[1:2, ], y[1:2], b, NULL, FALSE)
  k <- .Call(gvcluster:::ffi_lsq_block, X[-(1:2), ], y[-(1:2)], b,
             list(xr_hi = c(1, 2, 3), xr_lo = c(0, 0, 0), sums = k0$sums), FALSE)
  r <- y - drop(X %*% b)
  expect_identical(k$r, r[-(1:2)])
  expect_identical(k$fitted, y[-(1:2)] - r[-(1:2)])
  expect_identical(k$xr_hi + k$xr_lo, drop(crossprod(X[-(1:2), ], r[-(1:2)])) + c(1, 2, 3))
  # the running sums, across the two blocks (integers: exact)
  expect_identical(k$sums[["rss"]], sum(r^2))
  expect_identical(k$sums[["yss"]], sum(y^2))
  expect_identical(k$sums[["ssd"]], sum(diff(r)^2))
  expect_identical(k$sums[["last_r"]], r[500L])
  expect_identical(k$sums[["fit_n"]], 500)
  expect_equal(k$sums[["fit_mean"]], mean(y - r), tolerance = 1e-14)
  expect_equal(k$sums[["fit_m2"]], sum((y - r - mean(y - r))^2), tolerance = 1e-12)
  expect_identical(k$sums[["fit_ss"]], sum((y - r)^2))
  expect_null(k$gram_hi)
  # 1 + 2^-60 - 1 carried in the low part: the products and sums error-free
  k2 <- .Call(gvcluster:::ffi_lsq_block, cbind(c(1, 2^-30, -1)), c(0, 0, 0),
              0, NULL, FALSE)
  k3 <- .Call(gvcluster:::ffi_lsq_block, cbind(c(1, 2^-30, -1)), c(1, 2^-30, -1),
              0, NULL, FALSE)
  expect_identical(c(k2$xr_hi, k2$xr_lo), c(0, 0))
  expect_identical(k3$xr_hi + k3$xr_lo, 2 + 2^-60)
  expect_identical(k3$xr_lo, 2^-60)
})

test_that("the tall-skinny QR merge in C equals one QR of all the rows", {
  set.seed(10)
  A1 <- matrix(stats::rnorm(40 * 4), 40, 4)
  A2 <- matrix(stats::rnorm(3 * 4), 3, 4)      # a short block: fewer rows than columns
  R1 <- .Call(gvcluster:::ffi_lsq_tsqr, NULL, A1)
  R2 <- .Call(gvcluster:::ffi_lsq_tsqr, R1, A2)
  A <- rbind(A1, A2)
  # R is unique up to the signs of its rows: compare |R| and R'R = A'A
  expect_equal(abs(R2), abs(qr.R(qr(A))), tolerance = 1e-12)
  expect_equal(crossprod(R2), crossprod(A), tolerance = 1e-12)
  expect_identical(R2[lower.tri(R2)], rep(0, 6))
  R0 <- .Call(gvcluster:::ffi_lsq_tsqr, NULL, A2)
  expect_identical(R0[4L, ], rep(0, 4))        # 3 rows: the fourth row of R is 0
  expect_equal(crossprod(R0), crossprod(A2), tolerance = 1e-12)
})

test_that("the solves on the streamed R factor in C: coefficients, covariance, condition", {
  set.seed(12)
  X <- cbind(1, stats::rnorm(60, 10, 2), stats::runif(60) * 1e4)
  y <- drop(X %*% c(1, -2, 3e-4)) + stats::rnorm(60)
  R <- .Call(gvcluster:::ffi_lsq_tsqr, NULL, cbind(X, y))
  rf <- .Call(gvcluster:::ffi_lsq_rfactor, R, sqrt(colSums(X^2)), 60, NA_real_)
  expect_identical(rf$aliased, rep(FALSE, 3))
  # oracles: lm(), solve() and svd() of the design with unit columns
  expect_equal(rf$coefficients, unname(stats::coef(stats::lm(y ~ X - 1))), tolerance = 1e-12)
  expect_equal(rf$cov_unscaled, solve(crossprod(X)), tolerance = 1e-10)
  expect_equal(rf$rinv %*% t(rf$rinv), solve(crossprod(X)), tolerance = 1e-10)
  Xs <- sweep(X, 2L, sqrt(colSums(X^2)), "/")
  expect_equal(rf$singular_values, svd(Xs)$d, tolerance = 1e-12)
  # one correction from b = 0 with X'r = X'y solves the normal equations
  cr <- .Call(gvcluster:::ffi_lsq_correct, R,
              list(xr_hi = drop(crossprod(X, y)), xr_lo = numeric(3)), numeric(3))
  expect_equal(cr$coefficients, rf$coefficients, tolerance = 1e-9)
  expect_false(cr$converged)
  cr2 <- .Call(gvcluster:::ffi_lsq_correct, R,
               list(xr_hi = numeric(3), xr_lo = numeric(3)), cr$coefficients)
  expect_true(cr2$converged)
  expect_identical(cr2$coefficients, cr$coefficients)
  # an exactly collinear column is aliased (and nothing else is returned)
  X2 <- cbind(X, X[, 2] * 2)
  R2 <- .Call(gvcluster:::ffi_lsq_tsqr, NULL, cbind(X2, y))
  rf2 <- .Call(gvcluster:::ffi_lsq_rfactor, R2, sqrt(colSums(X2^2)), 60, NA_real_)
  expect_identical(rf2$aliased, c(FALSE, FALSE, FALSE, TRUE))
  expect_true(all(is.na(rf2$coefficients)))
})

test_that("the streamed Durbin-Watson moments in C, in the coordinates X R^-1", {
  set.seed(13)
  n <- 70
  X <- cbind(1, stats::rnorm(n, 5), stats::runif(n))
  Rinv <- solve(qr.R(qr(X)))
  st <- list(ZAZ = matrix(0, 3, 3), AZAZ = matrix(0, 3, 3), last_x = NULL,
             last_u = numeric(3), rinv = Rinv, QQ = matrix(0, 3, 3))
  for (i in list(1:25, 26:26, 27:n))
    st <- .Call(gvcluster:::ffi_linreg_dwmoments, X[i, , drop = FALSE], NULL, 1:3, st)
  # oracle: the Durbin-Watson matrix A written out, Q = X R^-1
  A <- diag(c(1, rep(2, n - 2), 1))
  A[abs(row(A) - col(A)) == 1] <- -1
  Q <- X %*% Rinv
  expect_equal(st$ZAZ, t(Q) %*% A %*% Q, tolerance = 1e-12)
  expect_equal(st$AZAZ + tcrossprod(st$last_u), crossprod(A %*% Q), tolerance = 1e-12)
  expect_equal(st$QQ, crossprod(Q), tolerance = 1e-12)
  expect_equal(st$QQ, diag(3), tolerance = 1e-12)
})

test_that("a streamed fit decides the rank as lm() and linreg() in memory do", {
  skip_if_no_remote()
  d <- remote_reg_data(200, eps = 1e-4)
  db <- remote_sqlite(d)
  on.exit(DBI::dbDisconnect(db$con))
  # the share of x3's norm left once the other columns are projected out
  # (the limited pivoting of lm() and of linreg()'s fallback)
  X <- stats::model.matrix(~ x1 + x2 + x3, d)
  ratio <- abs(qr.R(qr(X))[4L, 4L]) / sqrt(sum(X[, 4L]^2))
  # a tolerance just below it: x3 is kept (linreg()'s first rule, on the
  # diagonal of R, rejects it here; the limited pivoting keeps it)
  tol <- 0.9 * ratio
  l <- stats::lm(y ~ x1 + x2 + x3, data = d, tol = tol)
  f0 <- linreg(y ~ x1 + x2 + x3, data = d, tol = tol, precision = "double")
  f1 <- linreg(y ~ x1 + x2 + x3, data = db$tbl, tol = tol)
  expect_false(anyNA(stats::coef(l)))
  expect_false(any(f0$aliased))
  expect_equal(f1$coefficients, f0$coefficients, tolerance = 1e-8)
  # just above it: x3 is aliased in memory, and an error naming it remotely
  tol <- 1.1 * ratio
  expect_true(is.na(stats::coef(stats::lm(y ~ x1 + x2 + x3, data = d, tol = tol))[["x3"]]))
  expect_identical(names(which(linreg(y ~ x1 + x2 + x3, data = d, tol = tol)$aliased)), "x3")
  expect_error(linreg(y ~ x1 + x2 + x3, data = db$tbl, tol = tol), "aliased\\): x3;")
  expect_error(linreg(y ~ x1 + x2, data = db$tbl, tol = 1), "`tol` must be a single number")
})

test_that("the column statistics merged block by block in C equal those of all rows", {
  set.seed(11)
  A <- cbind(stats::rnorm(257, 1e6, 3), stats::runif(257), 1)
  acc <- NULL
  for (i in split(seq_len(257), rep(1:5, length.out = 257)))
    acc <- .Call(gvcluster:::ffi_lsq_colstats, acc, A[i, , drop = FALSE])
  expect_identical(acc$n, 257)
  expect_equal(acc$mean, colMeans(A), tolerance = 1e-14)
  expect_equal(acc$m2, colSums(sweep(A, 2L, colMeans(A))^2), tolerance = 1e-10)
  expect_equal(acc$ss, colSums(A^2), tolerance = 1e-14)
  expect_identical(acc$m2[3L], 0)
  expect_identical(acc$maxabs, apply(abs(A), 2L, max))
})

test_that("model terms are rebuilt by term, not by name: a dummy g == 'x' and a column gx", {
  skip_if_no_remote()
  d <- remote_reg_data(80)
  d$g[d$g == "west"] <- "x"
  d$gx <- d$x2 / 100
  d$gxsouth <- d$x1 / 10
  db <- remote_sqlite(d)
  on.exit(DBI::dbDisconnect(db$con))
  # gx is both the dummy of level "x" of g and a numeric column; gxsouth is
  # both the dummy of gx:g ... and a column
  for (fm in list(y ~ g + gx, y ~ gx + g, y ~ g * gx + gxsouth, y ~ 0 + g + gx:g)) {
    f1 <- linreg(fm, data = db$tbl, order_by = "t")
    m <- d[order(d$t), ]
    f0 <- linreg(fm, data = m)
    expect_equal(dplyr::collect(residuals(f1))$.resid, unname(residuals(f0)),
                 tolerance = 1e-9, info = deparse(fm))
    # against an independent oracle: stats::lm()
    expect_equal(dplyr::collect(fitted(f1))$.fitted,
                 unname(fitted(stats::lm(fm, data = m))), tolerance = 1e-9,
                 info = deparse(fm))
  }
})

test_that("predict() on a remote newdata: a new factor level is an error, as in memory", {
  skip_if_no_remote()
  d <- remote_reg_data(60)
  db <- remote_sqlite(d)
  on.exit(DBI::dbDisconnect(db$con))
  f1 <- linreg(y ~ x1 + g, data = db$tbl)
  nd <- d[1:4, ]
  nd$g[2:3] <- c("zz", NA)
  DBI::dbWriteTable(db$con, "nd", nd)
  expect_error(predict(stats::lm(y ~ x1 + g, data = d), nd), "factor g has new levels? zz")
  expect_snapshot(error = TRUE, predict(f1, dplyr::tbl(db$con, "nd")))
  expect_error(predict(f1, dplyr::tbl(db$con, "nd")), "factor g has new level zz")
  expect_snapshot(error = TRUE, predict(f1, dplyr::select(dplyr::tbl(db$con, "nd"), -x1)))
  # NULL is not a level: its prediction is NA, as in memory
  nd$g[2] <- "south"
  DBI::dbWriteTable(db$con, "nd2", nd)
  pr <- dplyr::collect(predict(f1, dplyr::tbl(db$con, "nd2")))
  expect_equal(pr$.fitted, unname(predict(stats::lm(y ~ x1 + g, data = d), nd)),
               tolerance = 1e-9)
  expect_true(is.na(pr$.fitted[3]))
})

test_that("poly(), NaN and a one-level factor: clear errors naming the term", {
  skip_if_no_remote()
  d <- remote_reg_data(60)
  d$g1 <- ifelse(seq_len(nrow(d)) == 5, "b", "a")
  d$y[5] <- NA        # g1 has one level in the complete rows
  db <- remote_sqlite(d)
  on.exit(DBI::dbDisconnect(db$con))
  # poly()'s basis depends on all the rows: with blocks of 20 rows it would
  # differ block by block (the in-memory fit has one basis)
  expect_snapshot(error = TRUE, linreg(y ~ poly(x1, 2), data = db$tbl, block_size = 20))
  expect_snapshot(error = TRUE, linreg(y ~ scale(x2), data = db$tbl))
  # raw powers fit, in blocks, as in memory (lm() the oracle)
  f1 <- linreg(y ~ poly(x1, 2, raw = TRUE), data = db$tbl, block_size = 20)
  m <- d[!is.na(d$y), ]
  expect_equal(unname(f1$coefficients),
               unname(stats::coef(stats::lm(y ~ x1 + I(x1^2), data = m))), tolerance = 1e-7)
  expect_snapshot(error = TRUE, residuals(f1))
  expect_snapshot(error = TRUE, linreg(y ~ x1 + g1, data = db$tbl))
  DBI::dbExecute(db$con, "UPDATE t SET x2 = -1 WHERE rowid = 4")
  expect_snapshot(error = TRUE, suppressWarnings(linreg(y ~ x1 + log(x2), data = db$tbl)))
  DBI::dbExecute(db$con, "UPDATE t SET x2 = 0 WHERE rowid = 4")
  expect_snapshot(error = TRUE, linreg(y ~ x1 + log(x2), data = db$tbl))
})

test_that("text in a numeric column: RSQLite's coercion warning, and the fit of the coerced values", {
  skip_if_no_remote()
  d <- remote_reg_data(60)
  d$k <- seq_len(nrow(d)) %% 7L
  db <- remote_sqlite(d)
  on.exit(DBI::dbDisconnect(db$con))
  DBI::dbExecute(db$con, "UPDATE t SET k = 'seven' WHERE rowid = 4")
  # RSQLite reads the column as integer and the text as 0 (as SQLite's
  # CAST does), with a warning: the fit of what dplyr::collect() gives
  w <- testthat::capture_warnings(f1 <- linreg(y ~ k, data = db$tbl))
  expect_match(w, "mixed type", all = TRUE)
  m <- d
  m$k[4] <- 0L
  expect_equal(unname(f1$coefficients), unname(stats::coef(stats::lm(y ~ k, data = m))),
               tolerance = 1e-9)
})
