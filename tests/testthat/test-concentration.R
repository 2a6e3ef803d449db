all_conc <- c("krugman", "hoover", "gini", "locational_gini", "gini_lq")

expect_conc <- function(res, ref, tol = 1e-12) {
  for (k in all_conc) expect_equal(res[[k]], unname(ref[, k]), tolerance = tol, info = k)
}

test_that("every index matches the plain-R formulas on dense and sparse matrices", {
  x <- idx_rand(30, 12, seed = 12)
  x[, 4] <- 0                                      # an empty industry
  x[7, ] <- 0                                      # an empty region
  res <- concentration(x)
  expect_named(res, c("industry", all_conc))
  expect_identical(res$industry, colnames(x))
  expect_conc(res, ref_conc(x))
  expect_true(all(is.na(res[4, -1])))
  sp <- Matrix::Matrix(x, sparse = TRUE)
  expect_equal(concentration(sp), res, tolerance = 1e-13)
  pop <- setNames(runif(30, 1, 5), rownames(x))
  expect_conc(concentration(x, reference = pop), ref_conc(x, ref = pop))
  expect_conc(concentration(sp, reference = rev(pop)), ref_conc(x, ref = pop))
})

test_that("ties in the sorting do not change the Gini indices", {
  # integer data with many equal values and equal LQs
  set.seed(5)
  x <- matrix(sample(0:3, 400, replace = TRUE), 40, 10)
  x[1:10, ] <- x[11:20, ]
  expect_conc(concentration(x), ref_conc(x))
  expect_equal(concentration(x[40:1, ]), concentration(x), tolerance = 1e-14)
  # all regions equal: no concentration
  y <- matrix(5, 6, 3)
  r <- concentration(y)
  expect_equal(r$gini, rep(0, 3))
  expect_equal(r$locational_gini, rep(0, 3), tolerance = 1e-15)
  expect_equal(r$krugman, rep(0, 3))
})

test_that("hand-worked example", {
  # industry 1 all in region 1; regions have equal totals
  x <- rbind(c(4, 0), c(0, 4), c(0, 4), c(0, 4))
  r <- concentration(x)
  # shares (1, 0, 0, 0) vs (1/4, 1/4, 1/4, 1/4)
  expect_equal(r$krugman[1], 1.5)
  expect_equal(r$hoover[1], 0.75)
  expect_equal(r$gini[1], 0.75)          # (n - 1) / n
  # Lorenz: 3/4 of the weight with nothing, then the rest: LG = 3/4
  expect_equal(r$locational_gini[1], 0.75)
  expect_equal(r$gini_lq[1], 0.75)
})

test_that("an unbalanced long panel gives each year's matrix result", {
  mats <- list(idx_rand(15, 5, seed = 31), idx_rand(15, 5, seed = 32))
  mats[[2]][, 3] <- 0
  d <- idx_long(mats, c("2019", "2020"))
  res <- concentration(d, by = "year")
  expect_named(res, c("industry", "year", all_conc))
  for (t in 1:2) {
    rows <- res$year == c("2019", "2020")[t]
    # regions are the union over the panel: every region of every matrix
    o <- match(res$industry[rows], colnames(mats[[t]]))
    m <- mats[[t]][sort(rownames(mats[[t]])), ]
    expect_conc(res[rows, ], ref_conc(m)[o, ])
  }
})

test_that("edge cases: one region, one industry, NA", {
  x <- matrix(c(1, 2, 3), 1)
  r <- concentration(x)
  expect_equal(r$gini, c(0, 0, 0))
  expect_equal(r$krugman, c(0, 0, 0))
  y <- idx_rand(8, 1, zero = 0.3, seed = 2)
  r <- concentration(y)
  expect_equal(r$krugman, 0)
  expect_equal(r$gini, ref_gini(y[, 1]), tolerance = 1e-12)
  z <- idx_rand(6, 3, zero = 0, seed = 7)
  z[2, 2] <- NA
  expect_true(all(is.na(concentration(z)$gini)))
  r <- concentration(z, reference = rep(1, 6))
  expect_true(is.na(r$gini[2]))
  expect_equal(r$gini[-2], unname(ref_conc(z, ref = rep(1, 6))[-2, "gini"]), tolerance = 1e-12)
  z0 <- z; z0[2, 2] <- 0
  expect_equal(concentration(z, na.rm = TRUE), concentration(z0))
  expect_identical(nrow(concentration(matrix(numeric(), 3, 0))), 0L)
})

test_that("errors name the argument", {
  x <- idx_rand(4, 3)
  expect_error(concentration(-x), "`x` must not contain negative values")
  expect_error(concentration(x, "entropy"), "`index` has unknown index")
  expect_error(concentration(x, reference = 1:3), "one value per region")
  expect_error(concentration(x, reference = c(0, 0, 0, 0)), "must not sum to zero")
  expect_error(concentration(x, reference = c(1, -1, 1, 1)), "`reference` must not contain negative")
})

test_that("REAT and EconGeo agree where they use the same formula", {
  skip_if_not_installed("EconGeo")
  x <- idx_rand(25, 6, zero = 0.2, seed = 23)
  r <- concentration(x)
  # EconGeo rounds to 3 decimals (Gini) and to 2 decimals in percent (Hoover)
  eg <- suppressWarnings(EconGeo::gini(x))
  expect_equal(eg$Gini, r$gini, tolerance = 1e-3)
  ho <- EconGeo::hoover_index(x, pop = rowSums(x))
  expect_equal(ho$hoover_index / 100, r$hoover, tolerance = 1e-4)
  # EconGeo::locational_gini is half our value: it divides the area between
  # the diagonal and the Lorenz curve by 2 instead of by 1/2 the square
  lg <- EconGeo::locational_gini(x)$Loc_gini
  expect_equal(abs(lg) * 2, r$locational_gini, tolerance = 1e-12)
  skip_if_not_installed("REAT")
  # REAT::gini.conc is the (unweighted) Gini of the LQs
  for (j in 1:3)
    expect_equal(REAT::gini.conc(x[, j], rowSums(x)), r$gini_lq[j], tolerance = 1e-12)
  for (j in 1:3)
    expect_equal(REAT::gini(x[, j]), r$gini[j], tolerance = 1e-12)
})

test_that("long columns (radix sort) with ties and zeros match the pairwise formulas", {
  set.seed(17)
  x <- matrix(sample(0:20, 600 * 8, replace = TRUE), 600, 8)
  x[, 2] <- rexp(600)
  x[sample(600, 300), 3] <- 0
  expect_conc(concentration(x), ref_conc(x))
  expect_conc(concentration(Matrix::Matrix(x, sparse = TRUE)), ref_conc(x))
  pop <- runif(600)
  expect_conc(concentration(x, reference = pop), ref_conc(x, ref = pop))
})

# Weighted Hoover per industry, written out cell by cell:
# 1/2 sum_i w_i |c_ij - r_i| with the weights normalised to sum to one
ref_hoover_wc <- function(x, w, ref = NULL) {
  w <- w / sum(w)
  r <- if (is.null(ref)) rowSums(x) / sum(x) else ref / sum(ref)
  vapply(seq_len(ncol(x)), function(j) {
    c <- x[, j] / sum(x[, j])
    h <- 0
    for (i in seq_along(c)) h <- h + w[i] * abs(c[i] - r[i])
    if (sum(x[, j]) > 0) h / 2 else NA_real_
  }, numeric(1))
}

test_that("weighted Hoover matches the plain-R formula on dense, sparse and panel data", {
  x <- idx_rand(30, 12, seed = 51)
  x[, 6] <- 0
  w <- setNames(runif(30) * 2, rownames(x))
  w[c(2, 9)] <- 0
  res <- concentration(x, c("hoover", "gini"), weights = w)
  expect_equal(res$hoover, ref_hoover_wc(x, w), tolerance = 1e-12)
  expect_true(is.na(res$hoover[6]))
  expect_equal(res$gini, concentration(x, "gini")$gini, tolerance = 1e-15)
  sp <- Matrix::Matrix(x, sparse = TRUE)
  expect_equal(concentration(sp, "hoover", weights = rev(w))$hoover, ref_hoover_wc(x, w),
               tolerance = 1e-12)
  pop <- runif(30, 1, 5)
  expect_equal(concentration(sp, "hoover", reference = pop, weights = unname(w))$hoover,
               ref_hoover_wc(x, w, ref = pop), tolerance = 1e-12)
  mats <- list(idx_rand(15, 5, seed = 52), idx_rand(15, 5, seed = 53))
  mats[[1]][, 2] <- 0
  d <- idx_long(mats, c("2019", "2020"))
  wr <- setNames(runif(15), rownames(mats[[1]]))
  rp <- concentration(d, "hoover", by = "year", weights = wr)
  for (t in 1:2) {
    rows <- rp$year == c("2019", "2020")[t]
    o <- match(rp$industry[rows], colnames(mats[[t]]))
    expect_equal(rp$hoover[rows], ref_hoover_wc(mats[[t]], wr)[o], tolerance = 1e-12)
  }
})

test_that("weighted Hoover: hand-worked example and REAT::hoover", {
  # reference (1/4 each); weights (2, 1, 1, 0) -> (1/2, 1/4, 1/4, 0)
  # industry 1: |c - r| = (3/4, 1/4, 1/4, 1/4): H = (3/8 + 1/16 + 1/16) / 2 = 1/4
  # industry 2: |c - r| = (1/4, 1/12, 1/12, 1/12): H = (1/8 + 1/48 + 1/48) / 2 = 1/12
  x <- rbind(c(4, 0), c(0, 4), c(0, 4), c(0, 4))
  expect_equal(concentration(x, "hoover", weights = c(2, 1, 1, 0))$hoover, c(1/4, 1/12))
  skip_if_not_installed("REAT")
  y <- idx_rand(12, 5, zero = 0.3, seed = 54)
  w <- runif(12)
  r <- concentration(y, "hoover", weights = w)$hoover
  for (j in 1:5)
    expect_equal(r[j], REAT::hoover(y[, j], rowSums(y), weighting = w), tolerance = 1e-12)
  pop <- runif(12)
  r <- concentration(y, "hoover", reference = pop, weights = w)$hoover
  for (j in 1:5)
    expect_equal(r[j], REAT::hoover(y[, j], pop, weighting = w), tolerance = 1e-12)
})

test_that("bad Hoover weights are errors naming `weights`", {
  x <- idx_rand(4, 3)
  expect_error(concentration(x, "gini", weights = rep(1, 4)),
               "`weights` applies only to index \"hoover\"")
  expect_error(concentration(x, "hoover", weights = rep(1, 3)),
               "`weights` must have one value per region \\(4\\), not 3")
  expect_error(concentration(x, "hoover", weights = c(a = 1, b = 1, c = 1, d = 1)),
               "`weights` has no value for region \"r1\"")
  expect_error(concentration(x, "hoover", weights = c(1, 1, -1, 1)),
               "`weights` must not contain negative values")
  expect_error(concentration(x, "hoover", weights = c(1, 1, NA, 1)),
               "`weights` must not contain NA")
  expect_error(concentration(x, "hoover", weights = rep(0, 4)),
               "`weights` must not sum to zero")
})

test_that("values equal in their leading bits are still sorted exactly", {
  # the sort orders by the upper bytes of the keys and finishes with an
  # insertion sort, or the full radix sort when many keys share those bytes
  set.seed(19)
  n <- 500
  x <- cbind(
    sample(c(1 + sample(n / 2) * 1e-12, 3 + sample(n / 2) * 1e-12)),  # two clusters
    rexp(n) + rep(c(0, 1e-9), each = n / 2),       # a few near-equal pairs
    c(rexp(n / 2), 3 + sample(n / 2) * 1e-13),
    rexp(n))
  x[, 2] <- x[sample(n), 2]
  expect_conc(concentration(x), ref_conc(x))
  pop <- runif(n)
  expect_conc(concentration(x, reference = pop), ref_conc(x, ref = pop))
  # equal reference shares: the LQs of industry 1 form two tight clusters
  # (the sort with a payload falls back to the full radix sort)
  r <- concentration(x, reference = rep(1, n))
  expect_conc(r, ref_conc(x, ref = rep(1, n)))
  expect_equal(r$gini_lq[1], 0.25, tolerance = 1e-6)
})

test_that("the Gini alone (no region totals) follows the NA and zero rules of the others", {
  # alone, each industry's total comes from its own cells; with another
  # index, from the totals pass: the same values and NA wherever either is
  x <- idx_rand(30, 12, zero = 0.4, seed = 81)
  x[, 3] <- 0                                       # an empty industry
  x[5, ] <- 0
  g_ref <- function(m) vapply(seq_len(ncol(m)), function(j)
    if (isTRUE(sum(m[, j]) > 0)) ref_gini(m[, j]) else NA_real_, numeric(1))
  both <- function(m, ...) concentration(m, c("gini", "krugman"), ...)$gini
  for (m in list(x, Matrix::Matrix(x, sparse = TRUE))) {
    g <- concentration(m, "gini")$gini
    expect_equal(g, g_ref(x), tolerance = 1e-12)
    expect_true(is.na(g[3]))
    expect_equal(g, both(m), tolerance = 1e-14)
  }
  # an NA cell: every industry NA, or that column left out with na.rm; with
  # a reference, only its industry
  y <- x; y[7, 4] <- NA
  for (m in list(y, Matrix::Matrix(y, sparse = TRUE))) {
    expect_true(all(is.na(concentration(m, "gini")$gini)))
    g <- concentration(m, "gini", na.rm = TRUE)$gini
    y0 <- y; y0[7, 4] <- 0
    expect_equal(g, g_ref(y0), tolerance = 1e-12)
    expect_equal(g, both(m, na.rm = TRUE), tolerance = 1e-14)
    gr <- concentration(m, "gini", reference = rep(1, 30))$gini
    expect_true(is.na(gr[4]))
    expect_equal(gr[-4], g_ref(y0)[-4], tolerance = 1e-12)
  }
  # a panel whose second year is empty but for zeros, and negative values
  d <- idx_long(list(x, x * 0), years = 1:2, drop_zero = FALSE)
  r <- concentration(d, "gini", by = "year")
  r1 <- r[r$year == 1, ]
  expect_equal(r1$gini, g_ref(x)[match(r1$industry, colnames(x))], tolerance = 1e-12)
  expect_true(all(is.na(r$gini[r$year == 2])))
  expect_error(concentration(-x, "gini"), "`x` must not contain negative values")
  expect_error(concentration(Matrix::Matrix(-x, sparse = TRUE), "gini"),
               "must not contain negative values")
})
