test_that("Dunn and Esteban-Marquillas match the cell-by-cell formulas and add up", {
  e0 <- idx_rand(10, 6, zero = 0.2, seed = 41)
  e1 <- e0 * matrix(runif(60, 0.5, 1.5), 10)
  e1[1, 1] <- 0                                      # an exit
  e0[2, ][e0[2, ] == 0] <- 0; e1[2, ][e0[2, ] == 0] <- 0
  e1[3, ][e0[3, ] == 0] <- 7                         # entries: EM undefined
  d <- idx_long(list(e0, e1), c(2000, 2010))
  ref <- ref_shift(e0, e1)
  res <- shift_share(d, "value", "region", "industry", "year")
  expect_named(res, c("region", "from", "to", "start", "end", "change", "national_share",
                      "industry_mix", "regional_shift"))
  expect_identical(res$region, rownames(e0)[order(rownames(e0))])
  o <- match(res$region, rownames(e0))
  expect_equal(as.matrix(res[, 4:9]), ref[o, 1:6], tolerance = 1e-12, ignore_attr = TRUE)
  expect_equal(res$national_share + res$industry_mix + res$regional_shift, res$change,
               tolerance = 1e-12)
  em <- shift_share(d, "value", "region", "industry", "year", method = "esteban")
  expect_equal(as.matrix(em[, 4:11]), ref[o, ], tolerance = 1e-12, ignore_attr = TRUE)
  ok <- !is.na(em$competitive)
  expect_equal(em$competitive[ok] + em$allocation[ok], em$regional_shift[ok], tolerance = 1e-12)
  expect_true(is.na(em$competitive[em$region == "r3"]) || all(e0[3, ] > 0))
})

test_that("the dynamic form chains the periods and sums to the total change", {
  m <- lapply(1:4, function(t) idx_rand(6, 4, zero = 0.1, seed = 50 + t))
  d <- idx_long(m, 2001:2004)
  dy <- shift_share(d, "value", "region", "industry", "year", method = "dynamic")
  expect_identical(nrow(dy), 18L)
  expect_identical(unique(dy$from), 2001:2003)
  for (t in 1:3) {
    rows <- dy$from == 2000 + t
    ref <- ref_shift(m[[t]], m[[t + 1]])
    expect_equal(as.matrix(dy[rows, 4:9]), ref[, 1:6], tolerance = 1e-12, ignore_attr = TRUE)
  }
  tot <- rowsum(dy$national_share + dy$industry_mix + dy$regional_shift, dy$region)
  expect_equal(as.vector(tot), unname(rowSums(m[[4]]) - rowSums(m[[1]])), tolerance = 1e-10)
})

test_that("REAT::shift agrees for one region", {
  skip_if_not_installed("REAT")
  e0 <- idx_rand(5, 4, zero = 0, seed = 61)
  e1 <- e0 * matrix(runif(20, 0.8, 1.3), 5)
  d <- idx_long(list(e0, e1))
  dn <- shift_share(d, "value", "region", "industry", "year")
  es <- shift_share(d, "value", "region", "industry", "year", method = "esteban")
  # REAT's names: e_ij = region's industries, e_i = nation's industries
  for (r in 1:2) {
    s <- REAT::shift(e0[r, ], e1[r, ], colSums(e0), colSums(e1), print.results = FALSE)$components
    expect_equal(s[2:4, 1], c(dn$national_share[r], dn$industry_mix[r], dn$regional_shift[r]),
                 tolerance = 1e-12, ignore_attr = TRUE)
    s <- REAT::shift(e0[r, ], e1[r, ], colSums(e0), colSums(e1), shift.method = "Esteban",
                     print.results = FALSE)$components
    expect_equal(s[4:5, 1], c(es$competitive[r], es$allocation[r]), tolerance = 1e-12,
                 ignore_attr = TRUE)
  }
})

test_that("NA, duplicates and errors", {
  d <- idx_long(list(idx_rand(3, 2, zero = 0, seed = 1), idx_rand(3, 2, zero = 0, seed = 2)))
  d2 <- d; d2$value[1] <- NA
  expect_true(all(is.na(shift_share(d2, "value", "region", "industry", "year")$change)))
  d3 <- d2; d3$value[1] <- 0
  expect_equal(shift_share(d2, "value", "region", "industry", "year", na.rm = TRUE),
               shift_share(d3, "value", "region", "industry", "year"))
  expect_error(shift_share(rbind(d, d[1, ]), "value", "region", "industry", "year"),
               "more than one row for year = .*, region = .*, industry = .*; each region x industry may appear once per `time` group")
  expect_error(shift_share(d[d$year == 1, ], "value", "region", "industry", "year"),
               "`time` must have at least two")
  expect_error(shift_share(d, "value", "region", "industry", "yr"), "`time` names column")
  expect_error(shift_share(as.matrix(d), "value", "region", "industry", "year"),
               "`x` must be a long data frame")
  expect_error(shift_share(d, "value", "region", "industry", "year", method = "x"))
  d$value[2] <- -1
  expect_error(shift_share(d, "value", "region", "industry", "year"), "`value` must not contain negative")
})

test_that("shift_share() defaults to the columns value, region and industry", {
  p <- data.frame(region = rep(c("a", "b"), each = 4), industry = rep(c("x", "y"), 4),
                  year = rep(c(1, 1, 2, 2), 2), value = c(4, 1, 5, 2, 2, 3, 2, 5))
  expect_identical(shift_share(p, time = "year"),
                   shift_share(p, "value", "region", "industry", "year"))
  # the change of each region, by hand
  expect_equal(shift_share(p, time = "year")$change, c(7 - 5, 7 - 5))
})
