# An in-memory SQLite database with a table, for the remote-table tests.
remote_sqlite <- function(df, name = "t") {
  con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
  DBI::dbWriteTable(con, name, df)
  list(con = con, tbl = dplyr::tbl(con, name))
}

skip_if_no_remote <- function() {
  testthat::skip_if_not_installed("DBI")
  testthat::skip_if_not_installed("dbplyr")
  testthat::skip_if_not_installed("dplyr")
  testthat::skip_if_not_installed("RSQLite")
}

# A panel with several regions, industries and years, NA values, a missing
# cell, a region with a zero total in one year and an industry that is zero
# everywhere in one year.
remote_panel <- function() {
  set.seed(17)
  p <- expand.grid(region = paste0("r", 1:6), industry = paste0("i", 1:5),
                   year = 2018:2021, stringsAsFactors = FALSE)
  p$emp <- round(stats::runif(nrow(p), 0, 1000), 3)
  p$emp[p$region == "r6" & p$year == 2019] <- 0       # zero region total
  p$emp[p$industry == "i5" & p$year == 2020] <- 0     # zero industry total
  p$emp[c(7, 40)] <- NA
  p[-c(3, 61), ]                                      # missing cells
}

# match remote rows to in-memory rows by key
remote_match <- function(mem, rem, keys) {
  match(do.call(paste, mem[keys]), do.call(paste, rem[keys]))
}

# Every table, index, view and trigger of a SQLite connection, in its main
# and temporary schemas (sqlite_stat1 and sqlite_stat4 from ANALYZE
# included): what a remote call must leave as it found it.
remote_schema <- function(con) {
  DBI::dbGetQuery(con, paste(
    "SELECT 'main' AS db, type, name FROM sqlite_master UNION ALL",
    "SELECT 'temp' AS db, type, name FROM sqlite_temp_master ORDER BY 1, 2, 3"))
}

# Run `expr` and check that the connection's schema and table list are
# unchanged; with error = TRUE the error `expr` must raise is returned.
expect_schema_kept <- function(con, expr, error = FALSE) {
  before <- remote_schema(con); tabs <- DBI::dbListTables(con)
  out <- tryCatch(expr, error = function(e) e)
  if (inherits(out, "error") != error)
    testthat::fail(if (error) "no error" else paste("error:", conditionMessage(out)))
  testthat::expect_identical(remote_schema(con), before)
  testthat::expect_identical(DBI::dbListTables(con), tabs)
  invisible(out)
}
