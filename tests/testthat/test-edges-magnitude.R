# Every exported measure on data scaled by 1e300 and 1e-300 gives the result
# of the unscaled data (scale-free results) or that result scaled.

same_at_scales <- function(f, scales = c(1e300, 1e-300), tol = 1e-10) {
  a <- f(1)
  for (k in scales) expect_equal(f(k), a, tolerance = tol, ignore_attr = TRUE,
                                 info = format(k))
}

test_that("indices, shift-share and LQ panels are scale free from 1e-300 to 1e300", {
  m <- matrix(c(10, 1, 3, 2, 10, 5, 4, 4, 1), 3)
  same_at_scales(function(k) unlist(specialization(m * k)[-1]))
  same_at_scales(function(k) unlist(concentration(m * k)[-1]))
  same_at_scales(function(k) lq(m * k))
  panel <- data.frame(region = rep(c("A", "B"), each = 6),
                      industry = rep(rep(c("agri", "manu", "serv"), 2), 2),
                      year = rep(rep(c(2010, 2020), each = 3), 2),
                      emp = c(10, 20, 30, 8, 26, 40, 5, 5, 10, 6, 4, 15))
  same_at_scales(function(k) {
    p <- panel; p$emp <- p$emp * k
    unlist(shift_share(p, "emp", "region", "industry", "year")[, 4:9]) / k
  })
  same_at_scales(function(k) {
    p <- panel; p$emp <- p$emp * k
    lq(p, "emp", "region", "industry", by = "year")$lq
  })
  # the Dunn identity by hand on the unscaled panel: change = the three parts
  s <- shift_share(panel, "emp", "region", "industry", "year")
  expect_equal(s$change, s$national_share + s$industry_mix + s$regional_shift)
})

test_that("value-chain measures are scale free from 1e-300 to 1e300", {
  tab <- function(k) icio(icio_example$Z * k, icio_example$Y * k, icio_example$countries,
                          icio_example$sectors)
  same_at_scales(function(k) as.matrix(leontief(tab(k))))
  same_at_scales(function(k) unlist(gvc_decompose(tab(k), "kww")$terms[, -1]) / k)
  same_at_scales(function(k) unlist(gvc_index(tab(k))[, c("participation", "position")]))
  same_at_scales(function(k) unlist(gvc_index(c(1, 2) * k, fv = c(3, 1) * k,
                                              exports = c(10, 5) * k)[, c("participation",
                                                                          "position")]))
  # B by base R on the unscaled table
  t1 <- tab(1)
  A <- t1$Z / rep(t1$x, each = nrow(t1$Z))
  expect_equal(as.matrix(leontief(t1)), solve(diag(nrow(A)) - A), tolerance = 1e-12,
               ignore_attr = TRUE)
})

test_that("entropy weights and sensitivity are scale free from 1e-300 to 1e300", {
  m <- matrix(c(10, 1, 3, 2, 10, 5, 4, 4, 1), 3)
  same_at_scales(function(k) entropy_weights(m * k)$weights)
  same_at_scales(function(k) {
    d <- bengbu; d$LQ <- d$LQ * k
    set.seed(1)
    # the same rounding error relative to the data at every scale
    s <- sensitivity(linreg(LQ ~ infra, data = d), draws = 20,
                     error = c(LQ = 0.005 * k, infra = 0.005))
    c(s$t, s$p, s$r.squared, s$B[, "infra"] / k, s$SE[, "infra"] / k)
  }, tol = 1e-8)
})
