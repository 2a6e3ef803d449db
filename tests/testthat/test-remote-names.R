# The names the remote methods make up for their own columns, aliases and
# internal column names never collide with a user's: every measure on a
# remote table with such names in every role equals the in-memory method
# (the oracle) on the same data. (A file of its own, out of test-remote-lq.R,
# so that the test run's two shards can share the remote tests: each remote
# call spends about a second of CPU time in dbplyr building its SQL.)

# The names the engine's queries use for their own columns and aliases (and
# the internal names the user's columns take in them), upper-case variants
# (SQLite compares names without case) and "lq".
remote_working_names <- c("gvc_s", "gvc_T", "gvc_X", "gvc_k", "gvc_n", "gvc_gt_s",
                          "GVC_V", "lq", "col1", "gvc_it_na")

test_that("columns named like the queries' own names keep their values (every remote measure)", {
  skip_if_no_remote()
  set.seed(9)
  base <- expand.grid(region = c("A", "B", "C", "D"), industry = c("x", "y", "z"),
                      year = 2020:2021, stringsAsFactors = FALSE)
  base$value <- round(runif(nrow(base), 1, 100))
  base$extra <- seq_len(nrow(base))
  roles <- c("value", "region", "industry", "year")
  con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
  on.exit(DBI::dbDisconnect(con))
  for (i in seq_along(remote_working_names)) {
    nm <- remote_working_names[i]
    # the name in turn for each role, and for a column the measure does not use
    role <- roles[(i - 1L) %% 4L + 1L]
    d <- base
    names(d)[names(d) == role] <- nm
    other <- remote_working_names[i %% length(remote_working_names) + 1L]
    if (!tolower(other) %in% tolower(names(d))) names(d)[names(d) == "extra"] <- other
    cn <- stats::setNames(as.list(c("value", "region", "industry", "year")), roles)
    cn[[role]] <- nm
    DBI::dbWriteTable(con, "t", d, overwrite = TRUE)
    tb <- dplyr::tbl(con, "t")
    info <- paste("column", nm, "as", role)
    expect_schema_kept(con, {
      r <- as.data.frame(dplyr::collect(lq(tb, cn$value, cn$region, cn$industry,
                                           by = cn$year)))
    })
    m <- lq(d, cn$value, cn$region, cn$industry, by = cn$year)
    expect_identical(names(r), names(m), info = info)
    k <- remote_match(m, r, c(cn$year, cn$region, cn$industry))
    expect_false(anyNA(k), info = info)
    for (col in names(m)) expect_equal(r[[col]][k], m[[col]], tolerance = 1e-12,
                                       info = paste(info, col))
    expect_schema_kept(con, {
      expect_equal(specialization(tb, c("krugman", "hoover"), value = cn$value, region = cn$region,
                                  industry = cn$industry, by = cn$year),
                   specialization(d, c("krugman", "hoover"), value = cn$value, region = cn$region,
                                  industry = cn$industry, by = cn$year),
                   tolerance = 1e-12, info = info)
      idx <- c("krugman", "gini", "locational_gini", "gini_lq")
      expect_equal(concentration(tb, idx, value = cn$value, region = cn$region,
                                 industry = cn$industry, by = cn$year),
                   concentration(d, idx, value = cn$value, region = cn$region,
                                 industry = cn$industry, by = cn$year),
                   tolerance = 1e-12, info = info)
      # without `by` (the query's constant join key)
      if (i %% 2L == 0L) {
        d1 <- d[d[[cn$year]] == 2020, ]
        t1 <- dplyr::filter(tb, !!rlang::sym(cn$year) == 2020)
        expect_equal(concentration(t1, idx, value = cn$value, region = cn$region,
                                   industry = cn$industry),
                     concentration(d1, idx, value = cn$value, region = cn$region,
                                   industry = cn$industry),
                     tolerance = 1e-12, info = info)
      }
      expect_equal(shift_share(tb, cn$value, cn$region, cn$industry, cn$year),
                   shift_share(d, cn$value, cn$region, cn$industry, cn$year),
                   tolerance = 1e-12, info = info)
    })
  }
})
