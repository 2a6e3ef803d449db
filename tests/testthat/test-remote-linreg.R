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

test_that("a remote fit in blocks equals the in-memory fit (factors, interactions, NA rows)", {
  skip_if_no_remote()
  d <- remote_reg_data(400)
  d$y[c(5, 77)] <- NA
  d$x2[9] <- NA
  db <- remote_sqlite(d)
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

test_that("fewer than 100 rows: the exact Durbin-Watson p-value from the rows", {
  skip_if_no_remote()
  d <- remote_reg_data(60)
  db <- remote_sqlite(d)
  on.exit(DBI::dbDisconnect(db$con))
  f1 <- linreg(y ~ x1 + x2, data = db$tbl, order_by = "t", block_size = 7)
  f0 <- linreg(y ~ x1 + x2, data = d[order(d$t), ])
  expect_same_fit(f1, f0)
  expect_identical(f1$dw$method, "exact (Imhof)")
})

test_that("condition numbers up to 1e8: coefficients to 1e-12 after refinement", {
  skip_if_no_remote()
  for (eps in c(1e-3, 1e-5, 1e-6)) {
    d <- remote_reg_data(800, eps = eps, seed = 11)
    db <- remote_sqlite(d)
    f1 <- linreg(y ~ x1 + x2 + x3, data = db$tbl, order_by = "t", block_size = 150)
    f0 <- linreg(y ~ x1 + x2 + x3, data = d[order(d$t), ])
    DBI::dbDisconnect(db$con)
    expect_equal(f1$condition$number, f0$condition$number, tolerance = 1e-6)
    expect_equal(f1$coefficients, f0$coefficients, tolerance = 1e-12)
    # the standard errors come from the R factor: about kappa * 1e-17
    # the standard errors come from the R factor of the double-precision
    # TSQR: relative accuracy about kappa * 2e-17 (1e-9 up to kappa = 5e7)
    kappa <- f0$condition$number
    expect_equal(f1$se, f0$se, tolerance = max(1e-9, kappa * 3e-17))
    expect_equal(f1$stats$r.squared, f0$stats$r.squared, tolerance = 1e-12)
    expect_equal(f1$dw$statistic, f0$dw$statistic, tolerance = 1e-12)
  }
  expect_gt(kappa, 1e8)
})

test_that("without order_by the Durbin-Watson statistic is NA, with a note", {
  skip_if_no_remote()
  d <- remote_reg_data(150)
  db <- remote_sqlite(d)
  on.exit(DBI::dbDisconnect(db$con))
  f1 <- linreg(y ~ x1 + x2, data = db$tbl)
  f0 <- linreg(y ~ x1 + x2, data = d)
  expect_equal(f1$coefficients, f0$coefficients, tolerance = 1e-12)
  expect_true(is.na(f1$dw$statistic))
  expect_match(f1$dw$note, "order_by")
  expect_snapshot(print(f1))
})

test_that("residuals(), fitted() and predict() are lazy tables with the in-memory values", {
  skip_if_no_remote()
  d <- remote_reg_data(120)
  d$y[3] <- NA
  db <- remote_sqlite(d)
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
  DBI::dbWriteTable(db$con, "nd", nd)
  pr <- dplyr::collect(predict(f1, dplyr::tbl(db$con, "nd")))
  expect_equal(pr$.fitted, unname(predict(f0, nd)), tolerance = 1e-12)
  # a data frame as newdata: computed in R
  expect_equal(unname(predict(f1, nd)), unname(predict(f0, nd)), tolerance = 1e-12)
})

test_that("what needs the rows in memory, and bad input, give clear errors", {
  skip_if_no_remote()
  d <- remote_reg_data(50)
  d$label <- "a"
  d$x4 <- 2 * d$x1
  db <- remote_sqlite(d)
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
