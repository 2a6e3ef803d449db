# The study's Table 1, typed here independently from the published text
# (rows as printed there, 2019 first; infra as printed, in percent).
table1 <- data.frame(
  year  = 2019:2012,
  LQ    = c(1.87, 1.83, 1.74, 1.72, 1.51, 1.35, 1.34, 1.39),
  infra = c(5.37, 6.52, 6.80, 6.73, 6.68, 7.04, 7.81, 7.52),
  sup   = c(324825.51, 344420.2, 257664, 277859, 356451, 673339, 574061, 752062),
  tech  = c(16.62, 10.64, 12.68, 13.38, 11.22, 7.62, 7.24, 5.68),
  phrl  = c(0.4, 0.53, 0.55, 0.59, 0.6, 0.7, 0.69, 0.5),
  fm    = c(29987751, 31035707, 24580831.7, 24546514.7, 18325892.3,
            16675566.4, 12985822.4, 14646226),
  dm    = c(986515.2, 919281.13, 832035.95, 746395.06, 688858.22, 643563.1,
            592963.23, 538579.95)
)

test_that("bengbu holds Table 1 of the study, in time order", {
  b <- gvcluster::bengbu
  expect_s3_class(b, "data.frame")
  expect_identical(names(b), c("year", "LQ", "infra", "sup", "tech", "phrl", "fm", "dm"))
  expect_identical(b$year, 2012:2019)
  ref <- table1[order(table1$year), ]
  for (v in c("LQ", "sup", "tech", "phrl", "fm", "dm"))
    expect_equal(b[[v]], ref[[v]], tolerance = 0, info = v)
  expect_equal(b$infra, ref$infra / 100, tolerance = 1e-15)
})

test_that("the CSV in inst/extdata is the same data", {
  f <- system.file("extdata", "bengbu.csv", package = "gvcluster")
  expect_true(nzchar(f))
  csv <- utils::read.csv(f)
  expect_equal(csv$LQ, gvcluster::bengbu$LQ)
  expect_equal(csv$infra, gvcluster::bengbu$infra)
  expect_equal(as.integer(csv$year), gvcluster::bengbu$year)
})

test_that("bengbu_published holds Table 2 as printed in the study", {
  # Typed again here, independently of data-raw/, row by row from the article.
  B    <- c(0.554, 9.295, 0, 0.018, -0.461, 0, 0)
  SE   <- c(0.071, 0.588, 0, 0.001, 0.017, 0, 0)
  Beta <- c(NA, 0.307, -0.116, 0.298, -0.206, 0.757, 0.014)
  t    <- c(7.810, 15.812, -6.796, 12.597, -27.019, 37.031, 0.611)
  p    <- c(0.081, 0.040, 0.093, 0.050, 0.024, 0.017, 0.651)
  VIF  <- c(NA, 15.673, 12.058, 23.295, 2.423, 17.356, 20.548)
  tol  <- c(NA, 0.064, 0.083, 0.043, 0.413, 0.058, 0.049)
  pub <- gvcluster::bengbu_published
  cf <- pub$coefficients
  expect_identical(cf$term, c("(Intercept)", "infra", "sup", "tech", "phrl", "fm", "dm"))
  expect_equal(cf$B, B, tolerance = 0)
  expect_equal(cf$SE, SE, tolerance = 0)
  expect_equal(cf$Beta, Beta, tolerance = 0)
  expect_equal(cf$t, t, tolerance = 0)
  expect_equal(cf$p, p, tolerance = 0)
  expect_equal(cf$VIF, VIF, tolerance = 0)
  expect_equal(cf$Tolerance, tol, tolerance = 0)
  m <- pub$model
  expect_equal(c(m$n, m$df1, m$df2), c(8, 6, 1))
  expect_equal(c(m$r.squared, m$adj.r.squared, m$F, m$F.p, m$dw),
               c(1, 1, 6917.228, 0.009, 2.938), tolerance = 0)
  # the published tolerances are the reciprocals of the published VIFs
  expect_equal(cf$Tolerance[-1], round(1 / VIF[-1], 3), tolerance = 0)
})
