idx_plants <- function(n = 300, ni = 5, nreg = 8, seed = 1) {
  set.seed(seed)
  data.frame(emp = round(rexp(n) * 50) + 1,
             ind = sample(paste0("i", seq_len(ni)), n, replace = TRUE),
             reg = sample(paste0("r", seq_len(nreg)), n, replace = TRUE,
                          prob = seq_len(nreg)),
             stringsAsFactors = FALSE)
}

test_that("Ellison-Glaeser and Maurel-Sedillot match the published formulas", {
  p <- idx_plants()
  ref <- ref_agglo(p$emp, p$ind, p$reg)
  eg <- ellison_glaeser(p, "emp", region = "reg", industry = "ind")
  expect_named(eg, c("industry", "plants", "employment", "H", "G", "expected_G", "gamma"))
  expect_identical(eg$industry, ref$ind)
  get <- function(f) vapply(ref$one, `[[`, 0, f)
  expect_equal(eg$plants, as.integer(get("n")))
  expect_equal(eg$employment, get("E"), tolerance = 1e-15)
  expect_equal(eg$H, get("H"), tolerance = 1e-12)
  expect_equal(eg$G, get("G"), tolerance = 1e-12)
  expect_equal(eg$gamma, get("eg"), tolerance = 1e-12)
  expect_equal(eg$expected_G, (1 - ref$sx2) * get("H"), tolerance = 1e-12)
  ms <- maurel_sedillot(p, "emp", region = "reg", industry = "ind")
  expect_equal(ms$gamma, get("ms"), tolerance = 1e-12)
  expect_equal(ms$sum_s2, get("ss"), tolerance = 1e-12)
  expect_equal(ms$expected_sum_s2, ref$sx2 + (1 - ref$sx2) * get("H"), tolerance = 1e-12)
})

test_that("co-agglomeration of all pairs matches EG eq. 15 and MS with two industries", {
  p <- idx_plants(seed = 4)
  ref <- ref_agglo(p$emp, p$ind, p$reg)
  eg <- ellison_glaeser(p, "emp", region = "reg", industry = "ind", pairs = TRUE)
  expect_named(eg, c("industry_1", "industry_2", "gamma_c"))
  expect_identical(nrow(eg), 10L)
  key <- paste(ref$ind[ref$pairs[, 1]], ref$ind[ref$pairs[, 2]])
  o <- match(key, paste(eg$industry_1, eg$industry_2))
  expect_false(anyNA(o))
  expect_equal(eg$gamma_c[o], ref$pairs[, 3], tolerance = 1e-12)
  ms <- maurel_sedillot(p, "emp", region = "reg", industry = "ind", pairs = TRUE)
  expect_equal(ms$gamma_c[o], ref$pairs[, 4], tolerance = 1e-12)
})

test_that("by groups are computed as separate data sets", {
  p1 <- idx_plants(seed = 6); p2 <- idx_plants(200, seed = 7)
  p <- rbind(cbind(p1, year = 2001), cbind(p2, year = 2002))
  p <- p[sample(nrow(p)), ]
  eg <- ellison_glaeser(p, "emp", region = "reg", industry = "ind", by = "year")
  expect_named(eg, c("industry", "year", "plants", "employment", "H", "G", "expected_G", "gamma"))
  a <- ellison_glaeser(p1, "emp", region = "reg", industry = "ind")
  expect_equal(eg$gamma[eg$year == 2001], a$gamma, tolerance = 1e-13)
  pr <- maurel_sedillot(p, "emp", region = "reg", industry = "ind", pairs = TRUE, by = "year")
  b <- maurel_sedillot(p2, "emp", region = "reg", industry = "ind", pairs = TRUE)
  expect_equal(pr$gamma_c[pr$year == 2002], b$gamma_c, tolerance = 1e-13)
})

test_that("REAT::ellison.a agrees", {
  skip_if_not_installed("REAT")
  p <- idx_plants(seed = 9)
  eg <- ellison_glaeser(p, "emp", region = "reg", industry = "ind")
  tot <- tapply(p$emp, p$reg, sum)
  for (j in eg$industry[1:3]) {
    q <- p[p$ind == j, ]
    # REAT wants the regions' total employment in order of first appearance
    r <- REAT::ellison.a(q$emp, tot[unique(q$reg)], q$reg, print.results = FALSE)
    # ... so it sees only the regions where the industry is present
    if (length(unique(q$reg)) == length(tot))
      expect_equal(unname(r[1, "Gamma i"]), eg$gamma[eg$industry == j], tolerance = 1e-12)
    expect_equal(unname(r[1, "HHI i"]), eg$H[eg$industry == j], tolerance = 1e-12)
  }
})

test_that("edge cases and errors", {
  p <- data.frame(emp = c(10, 5, 5, 20), ind = c("a", "b", "b", "b"), reg = c("x", "x", "y", "y"))
  eg <- ellison_glaeser(p, "emp", region = "reg", industry = "ind")
  expect_equal(eg$H[1], 1)
  expect_true(is.na(eg$gamma[1]))         # a single plant
  q <- p; q$emp[2] <- NA
  expect_true(all(is.na(ellison_glaeser(q, "emp", region = "reg", industry = "ind")$gamma)))
  expect_equal(ellison_glaeser(q, "emp", region = "reg", industry = "ind", na.rm = TRUE),
               ellison_glaeser(p[-2, ], "emp", region = "reg", industry = "ind"))
  expect_identical(nrow(ellison_glaeser(p[p$ind == "b", ], "emp", region = "reg", industry = "ind", pairs = TRUE)), 0L)
  q$emp[2] <- -1
  expect_error(ellison_glaeser(q, "emp", region = "reg", industry = "ind"), "`value` must not contain negative")
  expect_error(ellison_glaeser(as.matrix(p), "emp", region = "reg", industry = "ind"), "`x` must be a data frame")
  expect_error(ellison_glaeser(p, "emp", region = "nope", industry = "ind"), "`region` names column")
  expect_error(ellison_glaeser(p, "emp", region = "reg", industry = "ind", pairs = NA), "`pairs` must be TRUE or FALSE")
  expect_error(maurel_sedillot(p, "ind", region = "reg", industry = "ind"), "`value` must name a numeric column")
})

test_that("the data argument is x; the former name `data` still works, with a warning", {
  p <- data.frame(emp = c(5, 3, 8, 2, 6, 4), ind = c(1, 1, 1, 2, 2, 2),
                  reg = c("a", "b", "a", "b", "b", "a"))
  for (f in list(ellison_glaeser, maurel_sedillot)) {
    new <- f(x = p, "emp", region = "reg", industry = "ind")
    expect_warning(old <- f(data = p, value = "emp", industry = "ind", region = "reg"),
                   "use `x` instead")
    expect_identical(old, new)
  }
  # default column names as in the other panel measures
  q <- data.frame(value = p$emp, industry = p$ind, region = p$reg)
  expect_identical(ellison_glaeser(q), ellison_glaeser(p, "emp", region = "reg", industry = "ind"))
  expect_snapshot(invisible(ellison_glaeser(data = p, value = "emp", industry = "ind",
                                            region = "reg")))
  expect_snapshot(error = TRUE, maurel_sedillot(p, data = p))
})

test_that("columns come as (value, region, industry); a positional region or industry warns", {
  p <- idx_plants(60, ni = 3, nreg = 4, seed = 11)
  for (f in c("ellison_glaeser", "maurel_sedillot")) {
    fun <- get(f, asNamespace("gvcluster"))
    named <- fun(p, value = "emp", region = "reg", industry = "ind")
    # the independent oracle: the published formulas
    ref <- ref_agglo(p$emp, p$ind, p$reg)
    expect_identical(named$industry, ref$ind)
    expect_equal(named$gamma, vapply(ref$one, `[[`, 0, if (f == "ellison_glaeser") "eg" else "ms"),
                 tolerance = 1e-12)
    # the new order by position: the same result, with the warning
    expect_warning(new <- fun(p, "emp", "reg", "ind"), "order \\(x, value, region, industry\\)")
    expect_identical(new, named)
    # the old order by position: regions and industries swap, and it warns
    expect_warning(old <- fun(p, "emp", "ind", "reg"), "`region` and `industry` were given by position")
    expect_identical(old$industry, sort(unique(p$reg)))
    # only one of them by position
    expect_warning(fun(p, "emp", "reg", industry = "ind"), "`region` was given by position")
    expect_warning(fun(p, "emp", region = "reg", "ind"), "`industry` was given by position")
    # named, in any order, partially matched, or the value alone by position: silent
    expect_silent(fun(p, "emp", industry = "ind", region = "reg"))
    expect_silent(fun(industry = "ind", x = p, reg = "reg", value = "emp"))
    q <- data.frame(value = p$emp, region = p$reg, industry = p$ind)
    expect_silent(fun(q))
    expect_silent(fun(q, pairs = TRUE, na.rm = TRUE))
    # through do.call and through a wrapper's `...`
    expect_silent(do.call(fun, list(p, value = "emp", region = "reg", industry = "ind")))
    expect_warning(do.call(fun, list(p, "emp", "reg", "ind")), "given by position")
    wrap <- function(...) fun(...)
    expect_silent(wrap(p, "emp", region = "reg", industry = "ind"))
    expect_warning(wrap(p, "emp", "reg", "ind"), "`region` and `industry`")
  }
  expect_snapshot(invisible(ellison_glaeser(p, "emp", "ind", "reg")))
})
