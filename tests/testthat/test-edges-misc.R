# The remaining rows of the fuzz run 2026-12: comparisons, sensitivity,
# value-chain indices, shift-share, agglomeration, entropy and messages.

test_that("compare_published() with empty selections returns an empty data frame", {
  fit <- linreg(LQ ~ infra, data = bengbu)
  full <- compare_published(fit, bengbu_published)
  e <- compare_published(fit, bengbu_published, statistics = character(0),
                         model = character(0))
  expect_s3_class(e, "data.frame")
  expect_identical(nrow(e), 0L)
  expect_identical(names(e), names(full))
  expect_identical(vapply(e, typeof, ""), vapply(full, typeof, ""))
  m <- compare_published(fit, bengbu_published, statistics = character(0), model = "r.squared")
  expect_identical(nrow(m), 1L)
  expect_equal(m$refit, summary(lm(LQ ~ infra, data = bengbu))$r.squared)
})

test_that("sensitivity() refuses draws that need more memory than it allows", {
  fit <- linreg(LQ ~ infra, data = bengbu)
  expect_snapshot(error = TRUE, sensitivity(fit, draws = 33554431))
  expect_snapshot(error = TRUE, sensitivity(fit, draws = 2.5))
})

test_that("gvc_index() refuses negative value-added components instead of NaN", {
  expect_snapshot(error = TRUE, gvc_index(c(a = -1, b = 2), fv = c(1, 1), exports = c(5, 5)))
  expect_error(gvc_index(c(1, 2), fv = c(-6, 1), exports = c(5, 5)), "`fv` must not contain negative")
  # valid input against the definitions, by hand
  g <- gvc_index(c(a = 1, b = 2), fv = c(3, 1), exports = c(10, 5))
  expect_equal(g$participation, c(0.4, 0.6))
  expect_equal(g$position, c(log(1.1) - log(1.3), log(1.4) - log(1.2)))
})

test_that("icio() refuses a supplied output of zero for an active sector", {
  Z <- matrix(c(1, 2, 3, 4), 2)
  Y <- matrix(c(5, 6), 2)
  expect_snapshot(error = TRUE, icio(Z, Y, "A", c("s1", "s2"), x = c(0, 0)))
  # supplied and consistent: no warning, the same table
  t1 <- icio(Z, Y, "A", c("s1", "s2"))
  expect_no_warning(t2 <- icio(Z, Y, "A", c("s1", "s2"), x = rowSums(Z) + rowSums(Y)))
  expect_equal(t2$x, t1$x)
})

test_that("shift_share() and the indices name the argument that is wrong", {
  ps <- data.frame(region = rep(c("A", "B"), each = 2), industry = "i",
                   year = c(NA, 2020, 2010, 2020), emp = 1:4)
  expect_snapshot(error = TRUE, shift_share(ps, "emp", "region", "industry", "year"))
  panel <- data.frame(region = rep(c("A", "B"), each = 6),
                      industry = rep(rep(c("agri", "manu", "serv"), 2), 2),
                      year = rep(rep(c(2010, 2020), each = 3), 2),
                      emp = c(10, 20, 30, 8, 26, 40, 5, 5, 10, 6, 4, 15))
  expect_snapshot(error = TRUE, shift_share(panel, "emp", "region", "industry", "region"))
  expect_snapshot(error = TRUE, specialization(panel, value = "emp", by = "region"))
  expect_snapshot(error = TRUE, specialization(matrix(1:4 + 0, 2), "hhi", NULL, "value",
                                                "region", "industry", 5))
  plants <- data.frame(emp = 1:4, ind = c("a", "a", "b", "b"), reg = c("r1", "r2", "r1", "r2"))
  expect_snapshot(error = TRUE, ellison_glaeser(plants))
})

test_that("Ellison-Glaeser and Maurel-Sedillot at 1e300 equal those at 1", {
  pl <- data.frame(emp = c(50, 30, 20, 40, 5, 5, 60, 10, 10, 25),
                   ind = rep(c("a", "b"), c(4, 6)),
                   reg = c("r1", "r1", "r2", "r1", "r1", "r2", "r3", "r2", "r3", "r3"))
  a <- ellison_glaeser(pl, "emp", region = "reg", industry = "ind")
  # gamma by hand from the definition, industry a
  s <- tapply(pl$emp, pl$reg, sum) / sum(pl$emp)
  ea <- pl[pl$ind == "a", ]
  sa <- tapply(ea$emp, factor(ea$reg, names(s)), sum); sa[is.na(sa)] <- 0
  sa <- sa / sum(ea$emp)
  G <- sum((sa - s)^2); H <- sum((ea$emp / sum(ea$emp))^2)
  expect_equal(a$gamma[1], (G - (1 - sum(s^2)) * H) / ((1 - sum(s^2)) * (1 - H)))
  for (k in c(1e300, 1e-300)) {
    pk <- pl; pk$emp <- pl$emp * k
    b <- ellison_glaeser(pk, "emp", region = "reg", industry = "ind")
    expect_equal(b$gamma, a$gamma, tolerance = 1e-13)
    expect_equal(b$employment / k, a$employment, tolerance = 1e-13)
    expect_equal(maurel_sedillot(pk, "emp", region = "reg", industry = "ind")$gamma,
                 maurel_sedillot(pl, "emp", region = "reg", industry = "ind")$gamma, tolerance = 1e-13)
    expect_equal(ellison_glaeser(pk, "emp", region = "reg", industry = "ind", pairs = TRUE)$gamma_c,
                 ellison_glaeser(pl, "emp", region = "reg", industry = "ind", pairs = TRUE)$gamma_c, tolerance = 1e-13)
  }
})

test_that("entropy weights near +-1e308 equal those of the rescaled data", {
  x <- cbind(a = c(-1, 1, 0), b = c(1, 2, 3))
  w0 <- entropy_weights(x)
  # by hand: min-max normalisation of both columns gives (0, 1, 0.5) and
  # (0, 0.5, 1), the same entropy, so equal weights
  expect_equal(unname(w0$weights), c(0.5, 0.5))
  w <- entropy_weights(cbind(a = c(-1e308, 1e308, 0), b = c(1, 2, 3)))
  expect_equal(w$weights, w0$weights, tolerance = 1e-14)
  expect_equal(w$scores, w0$scores, tolerance = 1e-14)
  expect_false(anyNA(w$scores))
  w <- entropy_weights(x * 1e-310)
  expect_equal(w$weights, w0$weights, tolerance = 1e-12)
})

test_that("describe() names classes in messages", {
  expect_snapshot(error = TRUE, lq(as.Date(c("2020-01-01", "2021-01-01"))))
  expect_snapshot(error = TRUE, compare_published(lm(LQ ~ infra, data = bengbu), bengbu_published))
  expect_snapshot(error = TRUE, linreg(list(1, 2)))
})

test_that("describe() names classes, dimensions and types", {
  d <- gvcluster:::describe
  expect_identical(d(as.Date(c("2020-01-01", "2021-01-01"))), "a Date vector of length 2")
  expect_identical(d(lm(LQ ~ infra, data = bengbu)), "an lm fit")
  expect_identical(d(table(c(1, 1, 2), c(1, 2, 2))), "a table (integer, 2 x 2)")
  expect_identical(d(matrix(1:4, 2)), "an integer matrix (2 x 2)")
  expect_identical(d(list(1, 2)), "a list of length 2")
  expect_identical(d("a"), "a character vector of length 1")
  expect_identical(d(factor("a")), "a factor of length 1")
})

test_that("icio() keeps its documented warnings for supplied x and va", {
  Z <- matrix(c(1, 2, 3, 4), 2)
  Y <- matrix(c(5, 6), 2)
  xs <- rowSums(Z) + rowSums(Y)
  expect_snapshot(t1 <- icio(Z, Y, "A", c("s1", "s2"), x = xs + c(1, 0)))
  expect_equal(t1$imbalance, 1)
  expect_snapshot(t2 <- icio(Z, Y, "A", c("s1", "s2"), va = c(-1, 5)))
  expect_identical(unname(t2$va), c(-1, 5))
})
