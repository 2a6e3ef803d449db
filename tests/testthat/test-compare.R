# compare_published() builds the vignette's comparison with the study's
# Table 2. The published values are typed here again, independently of
# data-raw/bengbu_published.R, and the refit column is checked against lm()
# and car::vif computed in the test.

typed_table2 <- data.frame(
  term = c("(Intercept)", "infra", "sup", "tech", "phrl", "fm", "dm"),
  B = c(0.554, 9.295, -0.000, 0.018, -0.461, 0.000, 0.000),
  SE = c(0.071, 0.588, 0.000, 0.001, 0.017, 0.000, 0.000),
  Beta = c(NA, 0.307, -0.116, 0.298, -0.206, 0.757, 0.014),
  t = c(7.810, 15.812, -6.796, 12.597, -27.019, 37.031, 0.611),
  p = c(0.081, 0.040, 0.093, 0.050, 0.024, 0.017, 0.651),
  VIF = c(NA, 15.673, 12.058, 23.295, 2.423, 17.356, 20.548),
  Tolerance = c(NA, 0.064, 0.083, 0.043, 0.413, 0.058, 0.049)
)
typed_model <- c(r.squared = 1.000, adj.r.squared = 1.000, F = 6917.228,
                 F.p = 0.009, dw = 2.938)

skip_if_not(exists("linreg", asNamespace("gvcluster")))

f <- LQ ~ infra + sup + tech + phrl + fm + dm
fit <- linreg(f, data = bengbu)
cmp <- compare_published(fit, bengbu_published)

test_that("the published column is the study's Table 2", {
  for (v in c("B", "SE", "Beta", "t", "p", "VIF", "Tolerance")) {
    got <- cmp[cmp$statistic == v, ]
    want <- typed_table2[[v]][match(got$term, typed_table2$term)]
    expect_equal(got$published, want, info = v)
    # every non-missing published value appears exactly once
    expect_equal(nrow(got), sum(!is.na(typed_table2[[v]])), info = v)
  }
  got <- cmp[cmp$term == "(model)", ]
  expect_equal(got$published, unname(typed_model[got$statistic]))
})

test_that("the refit column is what lm() and car::vif give", {
  ref <- lm(f, data = bengbu)
  s <- summary(ref)$coefficients
  pick <- function(v) {
    x <- cmp[cmp$statistic == v, ]
    setNames(x$refit, x$term)
  }
  expect_equal(pick("B")[rownames(s)], s[, 1], tolerance = 1e-10)
  expect_equal(pick("SE")[rownames(s)], s[, 2], tolerance = 1e-10)
  expect_equal(pick("t")[rownames(s)], s[, 3], tolerance = 1e-10)
  expect_equal(pick("p")[rownames(s)], s[, 4], tolerance = 1e-8)
  X <- model.matrix(ref)[, -1]
  beta <- coef(ref)[-1] * apply(X, 2, sd) / sd(bengbu$LQ)
  expect_equal(pick("Beta")[names(beta)], beta, tolerance = 1e-10)
  vif <- diag(solve(cor(X)))
  expect_equal(pick("VIF")[names(vif)], vif, tolerance = 1e-8)
  expect_equal(pick("Tolerance")[names(vif)], 1 / vif, tolerance = 1e-8)
  m <- cmp[cmp$term == "(model)", ]
  sm <- summary(ref)
  expect_equal(m$refit[m$statistic == "r.squared"], sm$r.squared,
               tolerance = 1e-12)
  expect_equal(m$refit[m$statistic == "F"], unname(sm$fstatistic[1]),
               tolerance = 1e-10)
  e <- residuals(ref)
  expect_equal(m$refit[m$statistic == "dw"], sum(diff(e)^2) / sum(e^2),
               tolerance = 1e-10)
  expect_equal(cmp$difference, cmp$refit - cmp$published)
})

test_that("agreement is judged at the published number of decimals", {
  agrees <- abs(cmp$refit - cmp$published) <= 0.0005 * (1 + 1e-9)
  expect_identical(cmp$agrees, agrees)
  # the refit reproduces the printed B of infra (9.295 -> within 0.0005?)
  # only if the rounding of the data allows; at least the signs agree
  b <- cmp[cmp$statistic == "B" & cmp$published != 0, ]
  expect_true(all(sign(b$refit) == sign(b$published)))
})

test_that("bad input is refused with the argument's name", {
  expect_error(compare_published(lm(f, data = bengbu), bengbu_published),
               "`fit`")
  expect_error(compare_published(fit, list(a = 1)), "`published`")
  expect_error(compare_published(fit, bengbu_published, statistics = "R2"),
               "`statistics`")
  expect_error(compare_published(fit, bengbu_published, model = "AIC"),
               "`model`")
})
