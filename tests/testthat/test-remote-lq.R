# lq(), specialization(), concentration(), shift_share() on a remote table:
# the same numbers as the in-memory methods (the oracle) on the same data.

for (engine in remote_engines) test_that(remote_desc("remote lq() equals lq() on the data frame, every type and na.rm", engine), {
  skip_if_no_remote(engine)
  p <- remote_panel()
  db <- remote_db(p, engine = engine)
  on.exit(DBI::dbDisconnect(db$con))
  for (na.rm in c(FALSE, TRUE)) for (type in c("ratio", "binary", "additive",
                                                 "standardized")) {
    r <- lq(db$tbl, "emp", "region", "industry", by = "year", na.rm = na.rm,
            type = type)
    expect_s3_class(r, "tbl_lazy")
    r <- dplyr::collect(r)
    m <- lq(p, "emp", "region", "industry", by = "year", na.rm = na.rm, type = type)
    k <- remote_match(m, r, c("year", "region", "industry"))
    expect_false(anyNA(k))
    expect_equal(is.na(r$lq[k]), is.na(m$lq))
    expect_equal(r$lq[k], m$lq, tolerance = 1e-9)
    expect_equal(r$emp[k], m$emp)
  }
  # NA shows where the zero totals are
  m <- lq(p, "emp", "region", "industry", by = "year", na.rm = TRUE)
  expect_true(all(is.na(m$lq[m$region == "r6" & m$year == 2019])))
})

for (engine in remote_engines) test_that(remote_desc("remote lq() without groups and with total columns", engine), {
  skip_if_no_remote(engine)
  p <- remote_panel()
  p1 <- p[p$year == 2021, ]
  p1$tot <- ave(ifelse(is.na(p1$emp), 0, p1$emp), p1$region, FUN = sum) + 10
  p1$nat <- 5e4
  db <- remote_db(p1, engine = engine)
  on.exit(DBI::dbDisconnect(db$con))
  r <- dplyr::collect(lq(db$tbl, "emp", "region", "industry", na.rm = TRUE))
  m <- lq(p1, "emp", "region", "industry", na.rm = TRUE)
  k <- remote_match(m, r, c("region", "industry"))
  expect_equal(r$lq[k], m$lq, tolerance = 1e-9)
  r <- dplyr::collect(lq(db$tbl, "emp", "region", "industry", total = "tot",
                         reference_total = "nat", na.rm = TRUE))
  m <- lq(p1, "emp", "region", "industry", total = "tot", reference_total = "nat",
          na.rm = TRUE)
  expect_equal(r$lq[k], m$lq, tolerance = 1e-9)
  # a hand computation: (x / T_r) / (R_j / T)
  ok <- !is.na(p1$emp)
  Rj <- tapply(p1$emp[ok], p1$industry[ok], sum)
  hand <- (p1$emp / p1$tot) / (as.vector(Rj[p1$industry]) / 5e4)
  expect_equal(unname(m$lq), unname(hand), tolerance = 1e-12)
})

for (engine in remote_engines) test_that(remote_desc("remote lq() has the data frame method's defaults and argument order", engine), {
  skip_if_no_remote(engine)
  p <- remote_panel()
  names(p)[names(p) == "emp"] <- "value"
  db <- remote_db(p, engine = engine)
  on.exit(DBI::dbDisconnect(db$con))
  expect_identical(names(formals(gvcluster:::lq.tbl_lazy)),
                   names(formals(gvcluster:::lq.data.frame)))
  expect_identical(formals(gvcluster:::lq.tbl_lazy)[c("value", "region", "industry")],
                   formals(gvcluster:::lq.data.frame)[c("value", "region", "industry")])
  r <- dplyr::collect(lq(db$tbl, by = "year"))
  m <- lq(p, by = "year")
  k <- remote_match(m, r, c("year", "region", "industry"))
  expect_equal(r$lq[k], m$lq, tolerance = 1e-9)
  # positional: value, region, industry, by
  r2 <- dplyr::collect(lq(db$tbl, "value", "region", "industry", "year"))
  expect_equal(r2$lq[k], m$lq, tolerance = 1e-9)
  names(p)[names(p) == "value"] <- "emp"
  remote_write(db$con, "p2", p)
  expect_snapshot(error = TRUE, lq(dplyr::tbl(db$con, "p2"), by = "year"))
})

for (engine in remote_engines) test_that(remote_desc("remote lq() with a reference (named vector or table by year) equals lq()", engine), {
  skip_if_no_remote(engine)
  p <- remote_panel()
  db <- remote_db(p, engine = engine)
  on.exit(DBI::dbDisconnect(db$con))
  set.seed(3)
  inds <- paste0("i", 1:5)
  # an industry absent from x enters the background total only
  refv <- c(stats::setNames(stats::runif(5, 1e3, 1e5) / 3, inds), i9 = 7)
  refd <- expand.grid(industry = inds, year = 2018:2021, stringsAsFactors = FALSE)
  refd$emp <- stats::runif(nrow(refd), 10, 1e4) / 7
  refd$emp[3] <- NA
  for (na.rm in c(FALSE, TRUE)) for (type in c("ratio", "binary", "additive",
                                                 "standardized")) {
    for (ref in list(refv, refd)) {
      r <- lq(db$tbl, "emp", "region", "industry", by = "year", reference = ref,
              na.rm = na.rm, type = type)
      expect_s3_class(r, "tbl_lazy")
      r <- dplyr::collect(r)
      m <- lq(p, "emp", "region", "industry", by = "year", reference = ref,
              na.rm = na.rm, type = type)
      k <- remote_match(m, r, c("year", "region", "industry"))
      expect_false(anyNA(k))
      expect_equal(is.na(r$lq[k]), is.na(m$lq))
      expect_equal(r$lq[k], m$lq, tolerance = 1e-9)
    }
  }
  # a hand computation for the named vector: (x / T_r) / (R_j / sum(R))
  r <- dplyr::collect(lq(db$tbl, "emp", "region", "industry", by = "year",
                         reference = refv, na.rm = TRUE))
  Tr <- stats::ave(ifelse(is.na(r$emp), 0, r$emp), r$region, r$year, FUN = sum)
  hand <- (r$emp / Tr) / (refv[r$industry] / sum(refv))
  ok <- Tr > 0
  expect_equal(r$lq[ok], unname(hand[ok]), tolerance = 1e-12)
  # a reference table without the by columns applies to every year
  ref1 <- data.frame(industry = inds, emp = unname(refv[inds]))
  r <- dplyr::collect(lq(db$tbl, "emp", "region", "industry", by = "year",
                         reference = ref1, reference_total = NULL))
  m <- lq(p, "emp", "region", "industry", by = "year", reference = ref1)
  k <- remote_match(m, r, c("year", "region", "industry"))
  expect_equal(r$lq[k], m$lq, tolerance = 1e-9)
  expect_snapshot(error = TRUE, lq(db$tbl, "emp", "region", "industry", by = "year",
                                   reference = refd[-2, ]))
  expect_snapshot(error = TRUE, lq(db$tbl, "emp", "region", "industry",
                                   reference = c(1, 2)))
  expect_snapshot(error = TRUE, lq(db$tbl, "emp", "region", "industry", by = "year",
                                   reference = data.frame(industry = "i1", emp = -1)))
  refy <- refd
  refy$year <- paste0("y", refy$year)
  expect_snapshot(error = TRUE, lq(db$tbl, "emp", "region", "industry", by = "year",
                                   reference = refy))
})

for (engine in remote_engines) test_that(remote_desc("integer values are summed as doubles and an existing lq column is replaced", engine), {
  skip_if_no_remote(engine)
  p <- data.frame(region = c("a", "a", "b", "b"), industry = c("x", "y", "x", "y"),
                  v = c(1L, 3L, 2L, 2L), lq = 0)
  db <- remote_db(p, engine = engine)
  on.exit(DBI::dbDisconnect(db$con))
  r <- dplyr::collect(lq(db$tbl, "v", "region", "industry"))
  expect_identical(names(r), c("region", "industry", "v", "lq"))
  r <- r[order(r$region, r$industry), ]
  # a: 1/4 against 3/8; 3/4 against 5/8; b: 2/4 against 3/8, 5/8
  expect_equal(r$lq, c((1 / 4) / (3 / 8), (3 / 4) / (5 / 8), (2 / 4) / (3 / 8),
                       (2 / 4) / (5 / 8)), tolerance = 1e-14)
})

for (engine in remote_engines) test_that(remote_desc("remote indices and shift-share equal the in-memory ones", engine), {
  skip_if_no_remote(engine)
  p <- remote_panel()
  db <- remote_db(p, engine = engine)
  on.exit(DBI::dbDisconnect(db$con))
  for (na.rm in c(FALSE, TRUE)) {
    expect_equal(specialization(db$tbl, value = "emp", by = "year", na.rm = na.rm),
                 specialization(p, value = "emp", by = "year", na.rm = na.rm),
                 tolerance = 1e-9)
    expect_equal(concentration(db$tbl, value = "emp", by = "year", na.rm = na.rm),
                 concentration(p, value = "emp", by = "year", na.rm = na.rm),
                 tolerance = 1e-9)
    for (meth in c("dunn", "esteban", "dynamic"))
      expect_equal(shift_share(db$tbl, "emp", "region", "industry", "year",
                               method = meth, na.rm = na.rm),
                   shift_share(p, "emp", "region", "industry", "year",
                               method = meth, na.rm = na.rm),
                   tolerance = 1e-9)
  }
  expect_equal(specialization(db$tbl, "krugman", value = "emp", by = "year",
                              compare = "others", na.rm = TRUE),
               specialization(p, "krugman", value = "emp", by = "year",
                              compare = "others", na.rm = TRUE), tolerance = 1e-9)
})

for (engine in remote_engines) test_that(remote_desc("concentration() in the engine (window functions) equals the in-memory one, ties included", engine), {
  skip_if_no_remote(engine)
  set.seed(4)
  p <- expand.grid(region = paste0("r", 1:12), industry = paste0("i", 1:6),
                   year = 1:3, stringsAsFactors = FALSE)
  # values from a small set: many tied values and tied LQs, zero cells, and
  # cells missing from the table
  p$emp <- sample(c(0, 0, 1, 2, 2, 4), nrow(p), TRUE)
  p <- p[p$emp > 0 | seq_len(nrow(p)) %% 3 == 0, ]
  db <- remote_db(p, engine = engine)
  on.exit(DBI::dbDisconnect(db$con))
  a <- concentration(db$tbl, value = "emp", by = "year")
  b <- concentration(p, value = "emp", by = "year")
  expect_equal(a, b, tolerance = 1e-9)
  # an oracle that needs no sort: the Gini as the mean absolute difference,
  # the locational Gini as the r-weighted one of the LQs (pairwise sums)
  regs <- sort(unique(p$region))
  ora <- do.call(rbind, lapply(split(p, p$year), function(d) {
    m <- tapply(d$emp, list(factor(d$region, regs), d$industry), sum)
    m[is.na(m)] <- 0
    r <- rowSums(m) / sum(m)
    t(apply(m, 2, function(x) {
      cc <- x / sum(x)
      q <- ifelse(r > 0, cc / r, 0)
      c(gini = sum(abs(outer(x, x, "-"))) / (2 * length(x) * sum(x)),
        lg = 0.5 * sum(outer(r, r) * abs(outer(q, q, "-"))))
    }))
  }))
  expect_equal(a$gini, unname(ora[, "gini"]), tolerance = 1e-12)
  expect_equal(a$locational_gini, unname(ora[, "lg"]), tolerance = 1e-12)
  # single indices and other orders; no by
  for (idx in list("gini", c("gini_lq", "krugman"), "locational_gini", "hoover"))
    expect_equal(concentration(db$tbl, idx, value = "emp", by = "year"),
                 concentration(p, idx, value = "emp", by = "year"), tolerance = 1e-9)
  p1 <- p[p$year == 2, ]
  remote_write(db$con, "p1", p1)
  expect_equal(concentration(dplyr::tbl(db$con, "p1"), value = "emp"),
               concentration(p1, value = "emp"), tolerance = 1e-9)
  # two by columns, NA cells, a region present in one year only (the Gini
  # counts every region of the table in every group)
  q <- remote_panel()
  q$half <- ifelse(q$industry %in% c("i1", "i2"), "a", "b")
  q <- q[!(q$region == "r5" & q$year != 2020), ]
  remote_write(db$con, "q", q)
  for (na.rm in c(FALSE, TRUE))
    expect_equal(concentration(dplyr::tbl(db$con, "q"), value = "emp",
                               by = c("year", "half"), na.rm = na.rm),
                 concentration(q, value = "emp", by = c("year", "half"), na.rm = na.rm),
                 tolerance = 1e-9)
  # with a reference or weights the cells come to R: the same numbers
  rf <- stats::setNames(seq_along(regs) + 0.5, regs)
  expect_equal(concentration(db$tbl, value = "emp", by = "year", reference = rf),
               concentration(p, value = "emp", by = "year", reference = rf),
               tolerance = 1e-9)
  expect_equal(concentration(db$tbl, "hoover", value = "emp", by = "year", weights = rf),
               concentration(p, "hoover", value = "emp", by = "year", weights = rf),
               tolerance = 1e-9)
})

for (engine in remote_engines) test_that(remote_desc("bad remote input: clear errors naming the argument and column", engine), {
  skip_if_no_remote(engine)
  p <- remote_panel()
  p$label <- "x"
  db <- remote_db(p, engine = engine)
  expect_snapshot(error = TRUE, lq(db$tbl, "jobs", "region", "industry"))
  expect_snapshot(error = TRUE, lq(db$tbl, "emp", "area", "industry"))
  expect_snapshot(error = TRUE, lq(db$tbl, "label", "region", "industry"))
  expect_snapshot(error = TRUE, lq(db$tbl, "emp", "region", "industry"))
  if (engine == "sqlite") {
    expect_snapshot(error = TRUE, lq(db$tbl, "emp", "region", "industry", by = "year",
                                     type = "log"))
  } else {
    # engines with LN() compute the log LQ: the in-memory one
    r <- dplyr::collect(lq(db$tbl, "emp", "region", "industry", by = "year",
                           type = "log", na.rm = TRUE))
    m <- lq(p, "emp", "region", "industry", by = "year", type = "log", na.rm = TRUE)
    k <- remote_match(m, r, c("year", "region", "industry"))
    expect_equal(r$lq[k], m$lq, tolerance = 1e-9)
  }
  expect_snapshot(error = TRUE, lq(db$tbl, "emp", "region", "industry", by = "year",
                                   reference = c(i1 = 1)))
  expect_snapshot(error = TRUE, specialization(db$tbl, value = "label", by = "year"))
  expect_snapshot(error = TRUE, concentration(db$tbl, value = "emp"))
  DBI::dbDisconnect(db$con)
  expect_snapshot(error = TRUE, lq(db$tbl, "emp", "region", "industry", by = "year"))
  expect_snapshot(error = TRUE, specialization(db$tbl, value = "emp", by = "year"))
  q <- data.frame(region = c("a", "b"), industry = "x", v = c(1, -1))
  db2 <- remote_db(q, engine = engine)
  on.exit(DBI::dbDisconnect(db2$con))
  expect_snapshot(error = TRUE, lq(db2$tbl, "v", "region", "industry"))
})

test_that("the SQL for Spark (HiveQL) is stable", {
  skip_if_no_remote()
  lf <- dbplyr::lazy_frame(year = 1L, region = "a", industry = "x", emp = 1,
                           con = dbplyr::simulate_hive())
  tp <- gvcluster:::lq_check_type("ratio", 1)
  expect_snapshot(dbplyr::sql_render(gvcluster:::remote_lq_query(
    lf, "emp", "region", "industry", "year", NULL, NULL, FALSE, tp)))
  tp <- gvcluster:::lq_check_type("log", 1)
  expect_snapshot(dbplyr::sql_render(gvcluster:::remote_lq_query(
    lf, "emp", "region", "industry", NULL, NULL, NULL, TRUE, tp)))
  expect_snapshot(dbplyr::sql_render(gvcluster:::remote_check_query(
    lf, "emp", c("year", "region", "industry"))))
  # a reference pushed inline (hi + lo literals: 1/3 to the last bit)
  proto <- data.frame(year = 1L, region = "a", industry = "x", emp = 1)
  ref <- gvcluster:::remote_reference(c(x = 1 / 3, y = 2), proto, "emp", "industry",
                                      "year", FALSE)
  expect_equal(ref$data$gvc_ref_hi + ref$data$gvc_ref_lo, c(1 / 3, 2), tolerance = 0)
  ref$tbl <- dbplyr::copy_inline(dbplyr::remote_con(lf), ref$data)
  tp <- gvcluster:::lq_check_type("ratio", 1)
  expect_snapshot(dbplyr::sql_render(gvcluster:::remote_lq_query(
    lf, "emp", "region", "industry", "year", NULL, NULL, FALSE, tp, ref = ref)))
  expect_snapshot(dbplyr::sql_render(gvcluster:::remote_cells_query(
    lf, "emp", c("year", "region", "industry"))))
  # concentration(): the Gini family's window functions
  cells <- dbplyr::lazy_frame(year = 1L, region = "a", industry = "x", gvc_s = 1,
                              gvc_na = 0, gvc_n = 1L, con = dbplyr::simulate_hive())
  expect_snapshot(dbplyr::sql_render(gvcluster:::remote_conc_query(
    cells, c("krugman", "gini", "locational_gini", "gini_lq"), "region",
    "industry", "year", 12L)))
})

test_that("DuckDB gives the same LQs where it is installed", {
  # duckdb is optional and not in Suggests (R CMD check would otherwise look
  # it up in the repository): named through a variable
  engine <- "duckdb"
  if (!requireNamespace(engine, quietly = TRUE))
    skip("DuckDB is not installed (optional engine)")
  skip_if_no_remote()
  p <- remote_panel()
  con <- DBI::dbConnect(getExportedValue(engine, "duckdb")())
  on.exit(DBI::dbDisconnect(con, shutdown = TRUE))
  DBI::dbWriteTable(con, "p", p)
  r <- dplyr::collect(lq(dplyr::tbl(con, "p"), "emp", "region", "industry",
                         by = "year", type = "log"))
  m <- lq(p, "emp", "region", "industry", by = "year", type = "log")
  k <- remote_match(m, r, c("year", "region", "industry"))
  expect_equal(r$lq[k], m$lq, tolerance = 1e-9)
})

test_that("remote lq() of a value column called lq, and a reference keyed by such columns", {
  skip_if_no_remote()
  d <- data.frame(gvc_ref_hi = c("a", "a", "b", "b"), industry = c("x", "y", "x", "y"),
                  lq = c(1, 3, 2, 2), gvc_reft_lo = 2020L)
  db <- remote_sqlite(d)
  on.exit(DBI::dbDisconnect(db$con))
  r <- as.data.frame(dplyr::collect(lq(db$tbl, "lq", "gvc_ref_hi", "industry",
                                       by = "gvc_reft_lo")))
  # in place, as for a data frame: 1/4 against 3/8, 3/4 against 5/8, ...
  expect_identical(names(r), names(d))
  r <- r[order(r$gvc_ref_hi, r$industry), ]
  expect_equal(r$lq, c((1 / 4) / (3 / 8), (3 / 4) / (5 / 8), (2 / 4) / (3 / 8),
                       (2 / 4) / (5 / 8)), tolerance = 1e-14)
  ref <- data.frame(gvc_reft_lo = 2020L, industry = c("x", "y"), lq = c(1, 3))
  r <- as.data.frame(dplyr::collect(lq(db$tbl, "lq", "gvc_ref_hi", "industry",
                                       by = "gvc_reft_lo", reference = ref)))
  r <- r[order(r$gvc_ref_hi, r$industry), ]
  # the background 1 : 3 of the reference
  expect_equal(r$lq, c((1 / 4) / (1 / 4), (3 / 4) / (3 / 4), (2 / 4) / (1 / 4),
                       (2 / 4) / (3 / 4)), tolerance = 1e-14)
  # messages name the user's columns, not the query's
  ref2 <- ref[1, ]
  expect_error(lq(db$tbl, "lq", "gvc_ref_hi", "industry", by = "gvc_reft_lo",
                  reference = ref2), "gvc_reft_lo = 2020, industry = y")
  DBI::dbWriteTable(db$con, "dup", rbind(d, d[1, ]))
  expect_error(lq(dplyr::tbl(db$con, "dup"), "lq", "gvc_ref_hi", "industry",
                  by = "gvc_reft_lo"), "gvc_reft_lo = 2020, gvc_ref_hi = a, industry = x")
  expect_error(specialization(dplyr::tbl(db$con, "dup"), value = "lq",
                              region = "gvc_ref_hi", by = "gvc_reft_lo"),
               "gvc_reft_lo = 2020, gvc_ref_hi = a, industry = x")
})

test_that("a column given twice, and an empty table, as for a data frame", {
  skip_if_no_remote()
  p <- remote_panel()
  db <- remote_sqlite(p)
  on.exit(DBI::dbDisconnect(db$con))
  expect_snapshot(error = TRUE, shift_share(db$tbl, "emp", time = "region"))
  expect_snapshot(error = TRUE, specialization(db$tbl, value = "emp", by = "industry"))
  expect_snapshot(error = TRUE, concentration(db$tbl, value = "emp", region = "industry"))
  expect_snapshot(error = TRUE, concentration(db$tbl, value = "emp", by = c("year", "year")))
  # an empty (filtered) table: the empty result of the data frame method
  e <- dplyr::filter(db$tbl, year == 1900)
  for (idx in list("gini", c("krugman", "gini_lq")))
    expect_identical(expect_schema_kept(db$con, concentration(e, idx, value = "emp", by = "year")),
                     concentration(p[0, ], idx, value = "emp", by = "year"))
  expect_identical(specialization(e, "krugman", value = "emp", by = "year"),
                   specialization(p[0, ], "krugman", value = "emp", by = "year"))
})

test_that("remote calls leave the connection as they found it, also on error (no temporary tables, no ANALYZE statistics)", {
  skip_if_no_remote()
  p <- remote_panel()
  db <- remote_sqlite(p)
  on.exit(DBI::dbDisconnect(db$con))
  DBI::dbWriteTable(db$con, "other", data.frame(a = 1:3))
  con <- db$con; tb <- db$tbl
  all_idx <- c("krugman", "hoover", "gini", "locational_gini", "gini_lq")
  expect_schema_kept(con, concentration(tb, all_idx, value = "emp", by = "year"))
  expect_schema_kept(con, concentration(dplyr::filter(tb, year == 2020), "gini",
                                        value = "emp"))
  expect_schema_kept(con, dplyr::collect(lq(tb, "emp", by = "year")))
  expect_schema_kept(con, dplyr::collect(lq(tb, "emp", by = "year",
                                            reference = c(i1 = 1, i2 = 2, i3 = 1,
                                                          i4 = 1, i5 = 3))))
  expect_schema_kept(con, specialization(tb, value = "emp", by = "year"))
  expect_schema_kept(con, shift_share(tb, "emp", time = "year"))
  fit <- expect_schema_kept(con, linreg(emp ~ year, data = dplyr::filter(tb, !is.na(emp))))
  expect_schema_kept(con, dplyr::collect(residuals(fit)))
  # errors: a NULL key, a negative value, a duplicated cell
  q <- p; q$region[3] <- NA
  DBI::dbWriteTable(con, "q", q)
  before <- remote_schema(con)
  e <- expect_schema_kept(con, concentration(dplyr::tbl(con, "q"), value = "emp", by = "year"),
                          error = TRUE)
  expect_match(conditionMessage(e), "must not contain NA")
  DBI::dbExecute(con, "UPDATE t SET emp = -1 WHERE rowid = 5")
  e <- expect_schema_kept(con, concentration(tb, value = "emp", by = "year"), error = TRUE)
  expect_match(conditionMessage(e), "negative")
  e <- expect_schema_kept(con, specialization(dplyr::union_all(tb, tb), value = "emp",
                                              by = "year"), error = TRUE)
  expect_match(conditionMessage(e), "more than one row")
})

test_that("text in a numeric column: RSQLite's warning, and the engine's reading of it", {
  skip_if_no_remote()
  d <- data.frame(region = c("a", "a", "b", "b"), industry = c("x", "y", "x", "y"),
                  value = c(1, 3, 2, 2))
  db <- remote_sqlite(d)
  on.exit(DBI::dbDisconnect(db$con))
  DBI::dbExecute(db$con, "UPDATE t SET value = '12abc' WHERE rowid = 2")
  # the engine casts '12abc' to 12 in the sums; the collected column shows
  # what RSQLite makes of it, with a warning
  expect_warning(r <- dplyr::collect(lq(db$tbl)), "mixed type")
  r <- r[order(r$region, r$industry), ]
  expect_equal(r$lq, c((1 / 13) / (3 / 17), (12 / 13) / (14 / 17), (2 / 4) / (3 / 17),
                       (2 / 4) / (14 / 17)), tolerance = 1e-14)
})
