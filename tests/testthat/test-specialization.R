all_spec <- c("krugman", "hoover", "hhi", "hhi_normalized", "hhi_equivalent", "entropy",
              "theil_t", "theil_l", "duranton_puga", "lq_average", "hachman")

expect_spec <- function(res, ref, tol = 1e-12) {
  for (k in all_spec) expect_equal(res[[k]], unname(ref[, k]), tolerance = tol, info = k)
}

test_that("every index matches the plain-R formulas on dense and sparse matrices", {
  x <- idx_rand(40, 15, seed = 11)
  x[3, ] <- 0                                      # an empty region
  res <- specialization(x, all_spec)
  expect_named(res, c("region", all_spec))
  expect_identical(res$region, rownames(x))
  expect_spec(res, ref_spec(x))
  expect_true(all(is.na(res[3, -1])))
  sp <- Matrix::Matrix(x, sparse = TRUE)
  expect_s4_class(sp, "dgCMatrix")
  expect_equal(specialization(sp, all_spec), res, tolerance = 1e-13)
  # against a reference structure and against the other regions
  ref <- setNames(runif(15) * 10, colnames(x))
  expect_spec(specialization(x, all_spec, reference = ref), ref_spec(x, ref = ref))
  expect_spec(specialization(sp, all_spec, reference = rev(ref)),
              ref_spec(x, ref = ref))   # matched by name
  # a reference share of zero for an industry the regions have: infinite
  # LQs and Theil T, and the dense (branch-free) and sparse paths agree
  ref0 <- ref; ref0[5] <- 0
  r0 <- specialization(x, all_spec, reference = ref0)
  expect_spec(r0, ref_spec(x, ref = ref0))
  has5 <- x[, 5] > 0
  expect_true(any(has5) && all(is.infinite(r0$lq_average[has5]) & is.infinite(r0$theil_t[has5])))
  expect_equal(specialization(sp, all_spec, reference = ref0), r0, tolerance = 1e-13)
  o <- specialization(x, c("krugman", "hoover", "duranton_puga"), compare = "others")
  r <- ref_spec(x, others = TRUE)
  expect_equal(o$krugman, unname(r[, "krugman"]), tolerance = 1e-12)
  expect_equal(o$duranton_puga, unname(r[, "duranton_puga"]), tolerance = 1e-12)
  expect_equal(specialization(sp, "krugman", compare = "others")$krugman, o$krugman,
               tolerance = 1e-13)
})

test_that("an unbalanced long panel gives each year's matrix result in one call", {
  set.seed(3)
  mats <- list(idx_rand(12, 6, seed = 1), idx_rand(12, 6, seed = 2), idx_rand(12, 6, seed = 5))
  mats[[2]][5, ] <- 0                               # region absent in year 2
  d <- idx_long(mats, c(2001, 2002, 2003))
  res <- specialization(d, all_spec, by = "year")
  expect_named(res, c("region", "year", all_spec))
  expect_identical(res$year, rep(c(2001, 2002, 2003), each = 12))
  for (t in 1:3) {
    rows <- res$year == 2000 + t
    expect_identical(res$region[rows], sort(rownames(mats[[t]])))
    o <- match(res$region[rows], rownames(mats[[t]]))
    expect_spec(res[rows, ], ref_spec(mats[[t]])[o, ])
  }
  # other column names, a factor key and two by columns
  d2 <- data.frame(reg = factor(d$region), ind = d$industry, y = d$year, q = "a",
                   emp = d$value)
  res2 <- specialization(d2, "hhi", value = "emp", region = "reg", industry = "ind",
                         by = c("y", "q"))
  expect_equal(res2$hhi, res$hhi, tolerance = 1e-15)
  expect_identical(unique(res2$q), "a")
})

test_that("hand-worked example", {
  # region A: shares (.5, .5, 0); totals (20, 20, 20) -> reference (1/3 each)
  x <- rbind(A = c(10, 10, 0), B = c(5, 5, 10), C = c(5, 5, 10))
  r <- specialization(x)
  expect_equal(r$krugman[1], 1/6 + 1/6 + 1/3)
  expect_equal(r$hoover[1], 1/3)
  expect_equal(r$hhi[1], 0.5)
  expect_equal(r$hhi_normalized[1], (0.5 - 1/3) / (2/3))
  expect_equal(r$entropy[1], log(2))
  expect_equal(r$theil_t[1], log(1.5))
  expect_equal(r$theil_l[1], Inf)
  expect_equal(r$duranton_puga[1], 1.5)
  expect_equal(r$lq_average[1], 1.5)
  expect_equal(r$hachman[1], 2/3)
  # a region identical to the reference
  y <- rbind(A = c(1, 2, 3), B = c(2, 4, 6))
  r <- specialization(y)
  expect_equal(r$krugman, c(0, 0))
  expect_equal(r$theil_t, c(0, 0), tolerance = 1e-15)
  expect_equal(r$theil_l, c(0, 0), tolerance = 1e-15)
  expect_equal(r$hachman, c(1, 1))
  expect_equal(r$duranton_puga, c(Inf, Inf))
})

test_that("edge cases: one region, one industry, NA, zero columns", {
  x <- idx_rand(6, 4, seed = 9)
  x[, 2] <- 0
  expect_spec(specialization(x, all_spec), ref_spec(x))
  one_r <- x[1, , drop = FALSE]
  r <- specialization(one_r, all_spec)
  expect_equal(r$krugman, 0)
  expect_true(is.na(specialization(one_r, "krugman", compare = "others")$krugman))
  one_i <- x[, 1, drop = FALSE]
  r <- specialization(one_i[one_i[, 1] > 0, , drop = FALSE], c("hhi", "hhi_normalized", "entropy"))
  expect_true(all(r$hhi == 1))
  expect_true(all(is.na(r$hhi_normalized)))
  expect_true(all(r$entropy == 0))
  # NA: the totals become NA, so every region; with a reference only its row
  y <- idx_rand(5, 4, zero = 0, seed = 4)
  y[2, 3] <- NA
  expect_true(all(is.na(specialization(y, "krugman")$krugman)))
  r <- specialization(y, "krugman", reference = rep(1, 4))
  expect_true(is.na(r$krugman[2]))
  expect_equal(r$krugman[-2], unname(ref_spec(y, ref = rep(1, 4))[-2, "krugman"]),
               tolerance = 1e-12)
  y0 <- y; y0[2, 3] <- 0
  expect_equal(specialization(y, all_spec, na.rm = TRUE), specialization(y0, all_spec))
  expect_equal(specialization(Matrix::Matrix(y, sparse = TRUE), "hhi", na.rm = TRUE)$hhi,
               specialization(y0, "hhi")$hhi, tolerance = 1e-14)
  # no regions, no industries
  expect_identical(nrow(specialization(matrix(numeric(), 0, 3))), 0L)
  expect_true(all(is.na(specialization(matrix(numeric(), 2, 0))$krugman)))
})

test_that("errors name the argument", {
  x <- idx_rand(4, 3)
  expect_error(specialization(-x), "`x` must not contain negative values")
  expect_error(specialization(Matrix::Matrix(-x, sparse = TRUE)), "`x` must not contain negative")
  expect_error(specialization(x, "gini"), "`index` has unknown index \"gini\"")
  expect_error(specialization(x, reference = 1:2), "`reference` must have one value per industry")
  expect_error(specialization(x, reference = c(a = 1, b = 2, c = 3)), "`reference` has no value")
  expect_error(specialization(x, reference = c(1, NA, 1)), "`reference` must not contain NA")
  expect_error(specialization(x, reference = c(1, 1, 1), compare = "others"), "`compare`")
  expect_error(specialization("a"), "`x` must be a numeric matrix")
  expect_error(specialization(x, na.rm = NA), "`na.rm` must be TRUE or FALSE")
  expect_error(specialization(x, by = "year"), "`by` applies only")
  expect_error(specialization(x, foo = 1), "`...` must be empty; unknown argument\\(s\\): foo")
  d <- data.frame(region = c("a", "a", "b"), industry = c("x", "x", "y"), value = 1:3)
  expect_error(specialization(d), "`x` has more than one row for region = a, industry = x; each region x industry may appear once")
  d$value <- c(1, -1, 2)
  d$industry <- c("x", "y", "y")
  expect_error(specialization(d), "`value` must not contain negative values")
  d$value <- letters[1:3]
  expect_error(specialization(d), "`value` must name a numeric column")
  expect_error(specialization(d, region = "nope"), "`region` names column")
  d$value <- 1:3
  d$region[1] <- NA
  expect_error(specialization(d), "`region` must not contain NA")
  expect_error(specialization(Matrix::Matrix(x, sparse = TRUE) > 1), "convert it")
})

test_that("REAT and EconGeo agree where they use the same formula", {
  skip_if_not_installed("EconGeo")
  x <- idx_rand(20, 8, zero = 0.2, seed = 21)
  r <- specialization(x, all_spec)
  expect_equal(unname(EconGeo::krugman_index(x)), r$krugman, tolerance = 1e-12)
  expect_equal(unname(EconGeo::spec_coeff(x)), r$hoover, tolerance = 1e-12)
  expect_equal(unname(EconGeo::herfindahl(x)), r$hhi, tolerance = 1e-12)
  expect_equal(unname(EconGeo::hachman(x)), r$hachman, tolerance = 1e-12)
  expect_equal(unname(EconGeo::location_quotient_avg(x)), r$lq_average, tolerance = 1e-12)
  # EconGeo::entropy uses log2(s + 1e-9) and rounds to 3 decimals
  expect_equal(unname(EconGeo::entropy(x)), r$entropy / log(2), tolerance = 2e-3)
  skip_if_not_installed("REAT")
  for (i in 1:3) {
    expect_equal(REAT::durpug(x[i, ], colSums(x)), r$duranton_puga[i], tolerance = 1e-12)
    expect_equal(REAT::herf(x[i, ]), r$hhi[i], tolerance = 1e-12)
  }
  # REAT::theil is the mean log deviation of the region's values, i.e. our
  # theil_l against a uniform reference (it needs positive values)
  y <- idx_rand(5, 6, zero = 0, seed = 2)
  rl <- specialization(y, "theil_l", reference = rep(1, 6))$theil_l
  for (i in 1:5) expect_equal(REAT::theil(y[i, ]), rl[i], tolerance = 1e-12)
})

test_that("large sparse input is not densified and matches dense", {
  skip_on_cran()
  skip_if(nzchar(Sys.getenv("GVCLUSTER_VALGRIND")))
  x <- idx_rand(300, 200, zero = 0.6, seed = 8)
  sp <- Matrix::Matrix(x, sparse = TRUE)
  expect_equal(specialization(sp), specialization(x), tolerance = 1e-13)
  expect_spec(specialization(x, all_spec), ref_spec(x))
})

test_that("integer, factor and character keys give the same result", {
  m <- idx_rand(7, 5, seed = 13)
  d <- idx_long(list(m))
  base <- specialization(d, c("krugman", "entropy"))
  # integer codes with gaps in their range
  d2 <- d
  d2$region <- as.integer(sub("r", "", d$region)) * 10L
  d2$industry <- as.integer(sub("i", "", d$industry)) + 100L
  r2 <- specialization(d2, c("krugman", "entropy"))
  expect_identical(r2$region, sort(unique(d2$region)))
  o <- match(paste0("r", r2$region / 10), base$region)
  expect_equal(r2$krugman, base$krugman[o], tolerance = 1e-14)
  # whole doubles are counted, fractional ones sorted: the same codes
  d4 <- d2
  d4$region <- as.double(d2$region) / 4
  r4 <- specialization(d4, "krugman")
  expect_identical(r4$region, sort(unique(d4$region)))
  expect_equal(r4$krugman, r2$krugman, tolerance = 1e-15)
  d4$region <- -as.double(d2$region)
  r4 <- specialization(d4, "krugman")
  expect_equal(r4$krugman, rev(r2$krugman), tolerance = 1e-15)
  # whole doubles beyond 2^53 are sorted and matched, not counted
  d4$region <- as.double(d2$region) * 2^50
  r4 <- specialization(d4, "krugman")
  expect_identical(r4$region, sort(unique(d4$region)))
  expect_equal(r4$krugman, r2$krugman, tolerance = 1e-15)
  # factors with unused levels: the unused levels are dropped
  d3 <- d
  d3$industry <- factor(d$industry, levels = c("zz", sort(unique(d$industry))))
  r3 <- specialization(d3, c("krugman", "entropy", "hhi_normalized"))
  expect_equal(r3$krugman, base$krugman, tolerance = 1e-14)
  expect_equal(r3$hhi_normalized, specialization(m, "hhi_normalized")$hhi_normalized,
               tolerance = 1e-12)
})

# Weighted Hoover, written out cell by cell: 1/2 sum_j w_j |s_ij - r_j| with
# the weights normalised to sum to one (REAT::hoover's `weighting`)
ref_hoover_w <- function(x, w, ref = NULL, others = FALSE) {
  w <- w / sum(w)
  vapply(seq_len(nrow(x)), function(i) {
    s <- x[i, ] / sum(x[i, ])
    r <- if (others) colSums(x[-i, , drop = FALSE]) / sum(x[-i, ])
         else if (is.null(ref)) colSums(x) / sum(x) else ref / sum(ref)
    h <- 0
    for (j in seq_along(s)) h <- h + w[j] * abs(s[j] - r[j])
    if (sum(x[i, ]) > 0) h / 2 else NA_real_
  }, numeric(1))
}

test_that("weighted Hoover matches the plain-R formula on dense, sparse and panel data", {
  x <- idx_rand(40, 15, seed = 41)
  x[5, ] <- 0
  w <- setNames(runif(15) * 3, colnames(x))
  w[4] <- 0
  res <- specialization(x, c("krugman", "hoover"), weights = w)
  expect_equal(res$hoover, ref_hoover_w(x, w), tolerance = 1e-12)
  expect_true(is.na(res$hoover[5]))
  # the weights change only the Hoover column
  expect_equal(res$krugman, specialization(x, "krugman")$krugman, tolerance = 1e-15)
  sp <- Matrix::Matrix(x, sparse = TRUE)
  expect_equal(specialization(sp, "hoover", weights = w)$hoover, ref_hoover_w(x, w),
               tolerance = 1e-12)
  # matched by name, against a reference and against the other regions
  expect_equal(specialization(x, "hoover", weights = rev(w))$hoover, res$hoover,
               tolerance = 1e-15)
  ref <- runif(15) * 10
  expect_equal(specialization(sp, "hoover", reference = ref, weights = unname(w))$hoover,
               ref_hoover_w(x, w, ref = ref), tolerance = 1e-12)
  y <- x[-5, ]
  expect_equal(specialization(y, "hoover", weights = w, compare = "others")$hoover,
               ref_hoover_w(y, w, others = TRUE), tolerance = 1e-12)
  expect_equal(specialization(Matrix::Matrix(y, sparse = TRUE), "hoover", weights = w,
                              compare = "others")$hoover,
               ref_hoover_w(y, w, others = TRUE), tolerance = 1e-12)
  # unbalanced long panel, the same weights in every year
  mats <- list(idx_rand(12, 6, seed = 42), idx_rand(12, 6, seed = 43))
  mats[[2]][3, ] <- 0
  d <- idx_long(mats, c(2010, 2011))
  wp <- setNames(c(1, 5, 2, 0.5, 3, 1), colnames(mats[[1]]))
  rp <- specialization(d, c("hoover", "hhi"), by = "year", weights = wp)
  for (t in 1:2) {
    rows <- rp$year == 2009 + t
    o <- match(rp$region[rows], rownames(mats[[t]]))
    expect_equal(rp$hoover[rows], ref_hoover_w(mats[[t]], wp)[o], tolerance = 1e-12)
  }
})

test_that("weighted Hoover: hand-worked example and REAT::hoover", {
  # reference shares (1/3, 1/3, 1/3); weights (1, 1, 2) -> (1/4, 1/4, 1/2)
  # A: |s - r| = (1/6, 1/6, 1/3): H = (1/24 + 1/24 + 1/6) / 2 = 1/8
  # B, C: |s - r| = (1/12, 1/12, 1/6): H = (1/48 + 1/48 + 1/12) / 2 = 1/16
  x <- rbind(A = c(10, 10, 0), B = c(5, 5, 10), C = c(5, 5, 10))
  expect_equal(specialization(x, "hoover", weights = c(1, 1, 2))$hoover,
               c(1/8, 1/16, 1/16))
  # equal weights: the unweighted index divided by the number of industries
  expect_equal(specialization(x, "hoover", weights = c(2, 2, 2))$hoover,
               specialization(x, "hoover")$hoover / 3)
  skip_if_not_installed("REAT")
  y <- idx_rand(10, 7, zero = 0.3, seed = 44)
  w <- runif(7)
  r <- specialization(y, "hoover", weights = w)$hoover
  for (i in 1:10)
    expect_equal(r[i], REAT::hoover(y[i, ], colSums(y), weighting = w), tolerance = 1e-12)
  ref <- runif(7)
  r <- specialization(y, "hoover", reference = ref, weights = w)$hoover
  for (i in 1:10)
    expect_equal(r[i], REAT::hoover(y[i, ], ref, weighting = w), tolerance = 1e-12)
})

test_that("bad Hoover weights are errors naming `weights`", {
  x <- idx_rand(4, 3)
  expect_error(specialization(x, "krugman", weights = c(1, 1, 1)),
               "`weights` applies only to index \"hoover\"")
  expect_error(specialization(x, "hoover", weights = c(1, 1)),
               "`weights` must have one value per industry \\(3\\), not 2")
  expect_error(specialization(x, "hoover", weights = c(a = 1, b = 1, c = 1)),
               "`weights` has no value for industry \"i1\"")
  expect_error(specialization(x, "hoover", weights = c(1, -1, 1)),
               "`weights` must not contain negative values")
  expect_error(specialization(x, "hoover", weights = c(1, NA, 1)),
               "`weights` must not contain NA")
  expect_error(specialization(x, "hoover", weights = c(0, 0, 0)),
               "`weights` must not sum to zero")
  expect_error(specialization(x, "hoover", weights = c(1, Inf, 1)),
               "`weights` must not contain infinite")
  expect_error(specialization(x, "hoover", weights = letters[1:3]), "`weights` must be numeric")
})

test_that("the HHI family alone (one pass on a dense matrix) matches the formulas", {
  x <- idx_rand(30, 37, seed = 61)
  x[4, ] <- 0
  h <- c("hhi", "hhi_normalized", "hhi_equivalent")
  r <- specialization(x, h)
  for (k in h) expect_equal(r[[k]], unname(ref_spec(x)[, k]), tolerance = 1e-12, info = k)
  expect_true(all(is.na(r[4, -1])))
  expect_equal(specialization(x, h, reference = runif(37))[, h], r[, h], tolerance = 1e-15)
  # sparse input: the same one pass over the stored entries
  sp <- Matrix::Matrix(x, sparse = TRUE)
  rs <- specialization(sp, h)
  for (k in h) expect_equal(rs[[k]], unname(ref_spec(x)[, k]), tolerance = 1e-12, info = k)
  expect_true(all(is.na(rs[4, -1])))
  # NA cells take the general path: every region NA, or left out with na.rm
  y <- x; y[2, 5] <- NA
  expect_true(all(is.na(specialization(y, "hhi")$hhi)))
  y0 <- y; y0[2, 5] <- 0
  expect_equal(specialization(y, h, na.rm = TRUE), specialization(y0, c(h, "krugman"))[, c("region", h)],
               tolerance = 1e-14)
  expect_error(specialization(-x, "hhi"), "`x` must not contain negative values \\(")
})

test_that("the entropy alone (one pass on a dense matrix) matches -sum s log s", {
  # written out cell by cell, independently of the kernel's ln X - sum x ln x / X
  ent <- function(x) apply(x, 1, function(r) {
    s <- r / sum(r)
    -sum(ifelse(s > 0, s * log(s), 0))
  })
  x <- idx_rand(40, 25, seed = 62)
  x[7, ] <- 0                                   # an empty region: NA
  x[8, ] <- c(5, rep(0, 24))                    # one industry: exactly 0
  x[9, ] <- c(1e6, 1e-3, rep(0, 23))            # nearly concentrated: tiny
  x[10, ] <- c(1e12, rep(1e-4, 24))             # tiny, many cells
  x[11, ] <- c(1e-300, 1e-310, rep(0, 23))      # tiny and subnormal values
  x[12, ] <- c(1e300, 1e299, rep(1, 23))        # x log x overflows: general path
  r <- specialization(x, "entropy")$entropy
  e <- ent(x)
  expect_true(is.na(r[7]))
  expect_identical(r[8], 0)
  expect_equal(r[-c(7, 9:12)], unname(e[-c(7, 9:12)]), tolerance = 1e-12)
  # rows 9 to 11 have one share within 1e-9 of 1: even -s log s per cell
  # loses digits in log(s) there (and the plain-R formula above with it), so
  # these rows are checked, relatively, against log1p() of the small shares
  near1 <- function(big, small) {
    s <- small / (big + sum(small))
    -(1 - sum(s)) * log1p(-sum(s)) - sum(s * log(s))
  }
  expect_equal(r[9], near1(1e6, 1e-3), tolerance = 1e-6)
  expect_equal(r[10], near1(1e12, rep(1e-4, 24)), tolerance = 1e-2)
  expect_equal(r[11], near1(1e-300, 1e-310), tolerance = 1e-6)
  expect_equal(r[12], unname(e[12]), tolerance = 1e-12)
  # sparse input: the same values (the flagged rows recomputed from the
  # entries), NA for the empty region
  rsp <- specialization(Matrix::Matrix(x, sparse = TRUE), "entropy")$entropy
  expect_true(is.na(rsp[7]))
  expect_identical(rsp[8], 0)
  expect_equal(rsp[-c(7, 9:12)], unname(e[-c(7, 9:12)]), tolerance = 1e-12)
  expect_equal(rsp[9:11], r[9:11], tolerance = 1e-6)
  expect_equal(rsp[12], unname(e[12]), tolerance = 1e-12)
  # with the HHI family and alone agree; the general path (with Theil) too
  both <- specialization(x, c("hhi", "entropy"))
  expect_identical(both$entropy, r)
  expect_equal(specialization(x, c("entropy", "theil_t"))$entropy, r, tolerance = 1e-13)
  # many nearly concentrated regions: the general path, same values
  y <- idx_rand(40, 25, seed = 63)
  y[, 1] <- y[, 1] * 1e9
  expect_equal(specialization(y, "entropy")$entropy, unname(ent(y)), tolerance = 1e-12)
  expect_equal(specialization(Matrix::Matrix(y, sparse = TRUE), "entropy")$entropy,
               unname(ent(y)), tolerance = 1e-12)
  # NA cells: general path
  y[3, 4] <- NA
  expect_true(all(is.na(specialization(y, "entropy")$entropy)))
  y0 <- y; y0[3, 4] <- 0
  expect_equal(specialization(y, "entropy", na.rm = TRUE)$entropy, unname(ent(y0)),
               tolerance = 1e-12)
})
