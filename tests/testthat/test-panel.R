# Long panels: integer, whole-number double and factor keys are read in
# place by the counting sort (offsets from each key's minimum); strings are
# coded in R before the call; other numeric keys, and keys whose range is
# too long to count over, are sorted in C.
# Every form must give the matrices' results, with the same labels.

panel_mats <- function() {
  list(idx_rand(9, 5, zero = 0.3, seed = 21), idx_rand(9, 5, zero = 0.3, seed = 22),
       idx_rand(9, 5, zero = 0.3, seed = 23))
}

# per-year results of the matrices, rows in the order of `regions`
per_year <- function(mats, f, regions) {
  do.call(rbind, lapply(mats, function(m) f(m)[match(regions, rownames(m)), , drop = FALSE]))
}

test_that("keys with gaps in their ranges give the matrices' results", {
  mats <- panel_mats()
  mats[[2]][4, ] <- 0                                  # region 4 absent in year 2
  d <- idx_long(mats, c(2001, 2005, 2009))             # years with gaps
  reg <- as.integer(sub("r", "", d$region))
  ind <- as.integer(sub("i", "", d$industry))
  keys <- list(
    int = data.frame(region = reg * 7L + 3L, industry = ind * 100L, year = as.integer(d$year)),
    dbl = data.frame(region = reg * 7 + 3, industry = ind * 100 - 1e5, year = d$year),
    neg = data.frame(region = -reg * 7L, industry = ind, year = -as.integer(d$year)),
    fac = data.frame(region = factor(d$region, levels = c("zz", paste0("r", 9:1))),
                     industry = factor(d$industry), year = factor(d$year)),
    chr = data.frame(region = d$region, industry = d$industry, year = as.character(d$year)))
  base <- NULL
  for (k in names(keys)) {
    p <- keys[[k]]
    p$value <- d$value
    r <- specialization(p, c("krugman", "entropy", "hhi"), by = "year")
    cc <- concentration(p, c("gini", "locational_gini"), by = "year")
    # one row per region and year (region 4 in year 2: NA)
    expect_identical(nrow(r), 9L * 3L, info = k)
    # labels: the values that occur, sorted (factors: the levels that occur,
    # in level order, as strings)
    if (k == "fac") {
      expect_identical(unique(r$region), levels(p$region)[-1], info = k)
      expect_identical(unique(cc$industry), levels(p$industry), info = k)
      expect_identical(unique(r$year), levels(p$year), info = k)
    } else {
      expect_identical(unique(r$region), sort(unique(p$region)), info = k)
      expect_identical(unique(cc$industry), sort(unique(p$industry)), info = k)
      expect_identical(unique(r$year), sort(unique(p$year)), info = k)
    }
    # the values: each year's matrix, in the panel's region order
    for (t in 1:3) {
      yr <- sort(unique(p$year), decreasing = k == "neg")[t]
      rows <- r$year == yr
      m <- mats[[t]]
      lab <- switch(k, int = , dbl = paste0("r", (r$region[rows] - 3) / 7),
                    neg = paste0("r", -r$region[rows] / 7), as.character(r$region[rows]))
      ref <- ref_spec(m)[match(lab, rownames(m)), , drop = FALSE]
      if (t == 2) expect_true(all(is.na(r[rows, ][lab == "r4", c("krugman", "entropy")])))
      expect_equal(r$krugman[rows], unname(ref[, "krugman"]), tolerance = 1e-12, info = k)
      expect_equal(r$entropy[rows], unname(ref[, "entropy"]), tolerance = 1e-12, info = k)
      expect_equal(r$hhi[rows], unname(ref[, "hhi"]), tolerance = 1e-12, info = k)
    }
  }
})

test_that("keys too long to count over are sorted first, with the same result", {
  mats <- panel_mats()
  d <- idx_long(mats, c(1, 2, 3))
  reg <- as.integer(sub("r", "", d$region))
  ind <- as.integer(sub("i", "", d$industry))
  small <- data.frame(region = reg, industry = ind, year = as.integer(d$year), value = d$value)
  r0 <- specialization(small, c("krugman", "theil_t"), by = "year")
  # region range 2e9 (longer than 1e6): sorted in C
  big <- small
  big$region <- ifelse(reg == 1L, -1e9L, reg * 1e8L)
  rb <- specialization(big, c("krugman", "theil_t"), by = "year")
  expect_identical(rb$region, ifelse(r0$region == 1L, -1e9L, r0$region * 1e8L))
  expect_equal(rb[, -1], r0[, -1], tolerance = 1e-15)
  # industries x years with a range product above 4e6 cells: industry sorted
  wide <- small
  wide$industry <- ind * 200000L
  wide$year <- as.integer(d$year) * 3L
  rw <- concentration(wide, c("krugman", "gini"), by = "year")
  r0c <- concentration(small, c("krugman", "gini"), by = "year")
  expect_identical(rw$industry, r0c$industry * 200000L)
  expect_identical(rw$year, r0c$year * 3L)
  expect_equal(rw[, c("krugman", "gini")], r0c[, c("krugman", "gini")], tolerance = 1e-15)
  # ... and the years too when they alone are that long
  wide$year <- as.integer(d$year) * 1500000L
  rw <- concentration(wide, c("krugman", "gini"), by = "year")
  expect_identical(rw$year, r0c$year * 1500000L)
  expect_equal(rw[, c("krugman", "gini")], r0c[, c("krugman", "gini")], tolerance = 1e-15)
})

test_that("NA keys are errors naming the key, whatever its type", {
  d <- data.frame(region = c(1L, 2L, 2L), industry = c(1L, 1L, 2L), year = 1L, value = 1:3)
  for (col in c("region", "industry", "year")) {
    for (conv in list(identity, as.double, factor, as.character)) {
      p <- d
      p[[col]] <- conv(p[[col]])
      p[[col]][2] <- NA
      arg <- if (col == "year") "by" else col
      expect_error(specialization(p, "krugman", by = "year"),
                   paste0("`", arg, "` must not contain NA"), info = col)
    }
  }
})

test_that("duplicates are reported with their labels; empty panels give no rows", {
  d <- data.frame(region = c(10L, 30L, 30L, 10L), industry = c(5, 5, 7, 5),
                  year = c(2001L, 2001L, 2001L, 2003L), value = 1:4)
  expect_silent(specialization(d, "krugman", by = "year"))
  d$year[4] <- 2001L
  expect_error(specialization(d, "krugman", by = "year"),
               "more than one row for year = 2001, region = 10, industry = 5; each region x industry may appear once per `by` group")
  d$region <- factor(d$region, levels = c("30", "10"))
  expect_error(specialization(d, "krugman", by = "year"),
               "more than one row for year = 2001, region = 10, industry = 5; each region x industry may appear once per `by` group")
  e <- d[0, ]
  expect_identical(nrow(specialization(e, "krugman", by = "year")), 0L)
  expect_identical(nrow(specialization(e, "krugman")), 0L)
  expect_identical(nrow(concentration(e, "gini", by = "year")), 0L)
})

test_that("shift_share() takes in-place keys too", {
  m0 <- idx_rand(6, 4, zero = 0.2, seed = 31)
  m1 <- m0 * matrix(runif(24, 0.8, 1.3), 6, 4)
  d <- idx_long(list(m0, m1), c(2010L, 2020L), drop_zero = FALSE)
  ss <- shift_share(d, "value", "region", "industry", "year")
  p <- d
  p$region <- as.integer(sub("r", "", d$region)) * 11L
  p$industry <- as.double(sub("i", "", d$industry)) + 0.0
  s2 <- shift_share(p, "value", "region", "industry", "year")
  expect_identical(s2$region, sort(unique(p$region)))
  o <- match(paste0("r", s2$region / 11L), ss$region)
  expect_equal(s2[, -1], ss[o, -1], tolerance = 1e-14, ignore_attr = TRUE)
})

test_that("long panels of integer keys match the same keys coded as strings", {
  # from 100,000 rows the counting sort runs in segments (on two threads);
  # strings are coded in R and sorted the same way, so the stacks and every
  # result are identical
  set.seed(41)
  regs <- c(5:400, 900L)                         # 397 regions, 600 industries
  cell_keys <- function(cells)
    list(region = regs[(cells - 1L) %% 397L + 1L], industry = ((cells - 1L) %/% 397L + 1L) * 3L)
  d <- do.call(rbind, lapply(c(2003L, 2001L, 2002L), function(y) {
    k <- cell_keys(sample(397L * 600L, 40000))
    data.frame(region = k$region, industry = k$industry, year = y, value = rexp(40000))
  }))
  d <- d[sample(nrow(d)), ]
  expect_gt(nrow(d), 1e5)
  enc <- function(v) sprintf("%08d", v + 1000000L)     # sorts as the numbers
  str_keys <- function(p) {
    p$region <- enc(p$region)
    p$industry <- enc(p$industry)
    if (!is.null(p$year)) p$year <- as.character(p$year)
    p
  }
  idx <- c("krugman", "hhi", "entropy")
  check <- function(p) {
    pc <- str_keys(p)
    ri <- specialization(p, idx, by = "year")
    rc <- specialization(pc, idx, by = "year")
    expect_identical(enc(ri$region), rc$region)
    expect_identical(ri[, idx], rc[, idx])
    ci <- concentration(p, c("krugman", "gini"), by = "year")
    cc <- concentration(pc, c("krugman", "gini"), by = "year")
    expect_identical(enc(ci$industry), cc$industry)
    expect_identical(ci[, c("krugman", "gini")], cc[, c("krugman", "gini")])
  }
  check(d)
  # double keys (with an integer, a double year), and mixed types
  dd <- d
  dd$region <- as.double(d$region)
  dd$industry <- as.double(d$industry)
  check(dd)
  dd$year <- as.double(d$year)
  check(dd)
  dd$region <- d$region
  check(dd)
  # negative codes
  dn <- d
  dn$industry <- -d$industry
  dn$region <- d$region - 300L
  check(dn)
  # an industry far away: more industry x year cells than rows / 16, one
  # segment
  dw <- d
  dw$industry[dw$industry == 30L] <- 900000L
  check(dw)
  # no `by`: one group
  k <- cell_keys(sample(397L * 600L, 110000))
  d1 <- data.frame(region = k$region, industry = k$industry, value = rexp(110000))
  expect_identical(specialization(d1, idx)[, idx], specialization(str_keys(d1), idx)[, idx])
  # one and two threads
  old <- options(gvcluster.threads = 1)
  r1 <- specialization(d, idx, by = "year")
  options(old)
  expect_identical(specialization(d, idx, by = "year"), r1)
  # an NA far into the rows is an error naming the key
  da <- d
  da$industry[nrow(da) - 5] <- NA
  expect_error(specialization(da, "krugman", by = "year"), "`industry` must not contain NA")
  da <- d
  da$region[70000] <- NA
  expect_error(specialization(da, "krugman", by = "year"), "`region` must not contain NA")
  da <- d
  da$year[90000] <- NA
  expect_error(specialization(da, "krugman", by = "year"), "`by` must not contain NA")
})

test_that("numeric keys that cannot be counted over are sorted in C, as R sorts them", {
  # keys not whole, negative, extreme, -0 beside 0, Inf, or with ranges far
  # beyond 1e6: the oracle is the same panel with each key replaced by the
  # rank of its value among R's sort(unique()) written as a string (coded in
  # R, never sorted in C); labels, indices and LQs must agree
  set.seed(5)
  d <- expand.grid(region = 1:7, industry = 1:5, year = 1:3)
  d$value <- rexp(nrow(d))
  d <- d[-c(3, 17, 40), ]
  rank_str <- function(k) sprintf("k%03d", match(k, sort(unique(k))))
  check <- function(p) {
    ps <- p
    for (cl in c("region", "industry", "year")) ps[[cl]] <- rank_str(p[[cl]])
    a <- specialization(p, c("krugman", "theil_t"), by = "year")
    b <- specialization(ps, c("krugman", "theil_t"), by = "year")
    expect_identical(rank_str(p$region)[match(a$region, p$region)], b$region)
    expect_identical(rank_str(p$year)[match(a$year, p$year)], b$year)
    expect_identical(a[, c("krugman", "theil_t")], b[, c("krugman", "theil_t")])
    ca <- concentration(p, "gini", by = "year")
    cb <- concentration(ps, "gini", by = "year")
    expect_identical(rank_str(p$industry)[match(ca$industry, p$industry)], cb$industry)
    expect_identical(ca$gini, cb$gini)
    expect_identical(lq(p, by = "year")$lq, lq(ps, by = "year")$lq)
  }
  p <- d
  p$region <- p$region * 1.5 - 4                      # not whole, negative
  check(p)
  p <- d
  p$industry <- c(-1e300, -2.5, 0, 1e-300, Inf)[p$industry]
  p$industry[which(p$industry == 0)[2]] <- -0        # the same key as 0
  check(p)
  p <- d
  p$region <- p$region * 1e12                         # ranges far beyond 1e6
  p$year <- p$year * 3e9
  check(p)
  p <- d
  p$region <- as.integer(p$region * 3e8 - 1e9)        # integer, range 1.8e9
  check(p)
  # a reference keyed by sorted industries
  p <- d
  p$industry <- p$industry * 1e12 + 0.5
  ref <- data.frame(industry = (1:5) * 1e12 + 0.5, value = c(5, 3, 2, 9, 1))
  ps <- p
  ps$industry <- rank_str(p$industry)
  refs <- data.frame(industry = rank_str(ref$industry), value = ref$value)
  expect_identical(lq(p, by = "year", reference = ref)$lq,
                   lq(ps, by = "year", reference = refs)$lq)
  # NaN in a double key that is not whole: an NA error naming the key
  p <- d
  p$region <- p$region + 0.5
  p$region[4] <- NaN
  expect_error(lq(p, by = "year"), "`region` column must not contain NA")
  expect_error(specialization(p, by = "year"), "`region` must not contain NA")
})

test_that("lq() finds a duplicate by sorting the cells when a bitmap would be too large", {
  # 20,000 regions x 20,000 industries (4e8 cells): the repeated cell is
  # found by sorting, and the row reported is the first that repeats an
  # earlier one (as anyDuplicated())
  n <- 20000
  d <- data.frame(region = (1:n) * 1e7, industry = (1:n) * 1e7, value = 1)
  expect_identical(lq(d)$lq, rep(as.double(n), n))   # (1 / 1) / (1 / n)
  d <- d[c(1:n, 7, 3), ]
  expect_error(lq(d), "more than one row for region = 7e\\+07, industry = 7e\\+07 \\(row 20001\\)")
})

test_that("one column checker for the long-panel entries, with one wording", {
  d <- data.frame(region = c(1L, 2L, 2L), industry = c(1L, 1L, 2L), year = 1L, value = 1:3)
  msg_val <- "`value` names the column \"region\", which is already `region`"
  expect_error(lq(d, "region"), msg_val)
  expect_error(specialization(d, "krugman", value = "region"), msg_val)
  expect_error(ellison_glaeser(d, "region"), msg_val)
  msg_by <- "`by` names the column \"industry\", which is already `industry`: `by` must be another column"
  expect_error(lq(d, by = "industry"), msg_by)
  expect_error(concentration(d, "gini", by = "industry"), msg_by)
  expect_error(lq(d, by = c("year", "year")), "`by` names the column \"year\" twice")
  expect_error(specialization(d, "krugman", by = c("year", "year")),
               "`by` names the column \"year\" twice")
  expect_error(maurel_sedillot(d, by = "nope"), "`by` names column\\(s\\) not in `x`: \"nope\"")
})
