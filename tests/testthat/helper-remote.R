# The engines the remote tests run on: SQLite (in memory) everywhere, and
# PostgreSQL where a server and the RPostgres driver are at hand. A test
# written once runs on each engine:
#   for (engine in remote_engines) test_that(remote_desc("...", engine), {
#     skip_if_no_remote(engine)
#     db <- remote_db(df, engine = engine)
# PostgreSQL's connection comes from the environment (the CI script sets
# these for the cluster it starts):
#   GVCLUSTER_PG_DBNAME (needed: without it the PostgreSQL tests skip),
#   GVCLUSTER_PG_HOST, GVCLUSTER_PG_PORT, GVCLUSTER_PG_USER,
#   GVCLUSTER_PG_PASSWORD (unset: libpq's defaults);
#   GVCLUSTER_PG_REQUIRED=true turns a missing driver or server into a test
#   failure instead of a skip (CI, where PostgreSQL is meant to be there).
remote_engines <- c("sqlite", "postgres")

# the test's name: SQLite's as it always was (its snapshots keep their names)
remote_desc <- function(desc, engine) {
  if (engine == "sqlite") desc else paste0(desc, " [", engine, "]")
}

# NULL when PostgreSQL can be used, else why not
postgres_missing <- function() {
  if (!nzchar(Sys.getenv("GVCLUSTER_PG_DBNAME")))
    return("PostgreSQL not configured: no server named by GVCLUSTER_PG_DBNAME (and GVCLUSTER_PG_HOST, _PORT, _USER, _PASSWORD)")
  # RPostgres is optional and not in Suggests: named through a variable
  drv <- "RPostgres"
  # (loading it loads lubridate, whose Sys.timezone() warns on machines
  # without systemd's timedatectl)
  if (!suppressWarnings(requireNamespace(drv, quietly = TRUE)))
    return("PostgreSQL driver missing: the RPostgres package is not installed (tools/install-deps.sh postgres)")
  con <- tryCatch(postgres_connect(), error = function(e) e)
  if (inherits(con, "error"))
    return(paste0("PostgreSQL server not reachable (database '",
                  Sys.getenv("GVCLUSTER_PG_DBNAME"), "'): ", conditionMessage(con)))
  DBI::dbDisconnect(con)
  NULL
}

postgres_connect <- function() {
  env <- function(v) {
    x <- Sys.getenv(paste0("GVCLUSTER_PG_", v))
    if (nzchar(x)) x else NULL
  }
  args <- c(list(getExportedValue("RPostgres", "Postgres")()),
            dbname = env("DBNAME"), host = env("HOST"), port = env("PORT"),
            user = env("USER"), password = env("PASSWORD"))
  # RPostgres asks Sys.timezone(), which warns on machines without systemd's
  # timedatectl: that warning only is muffled
  withCallingHandlers(do.call(DBI::dbConnect, args), warning = function(w) {
    if (grepl("timedatectl", conditionMessage(w), fixed = TRUE))
      invokeRestart("muffleWarning")
  })
}

skip_if_no_remote <- function(engine = "sqlite") {
  testthat::skip_if_not_installed("DBI")
  testthat::skip_if_not_installed("dbplyr")
  testthat::skip_if_not_installed("dplyr")
  if (engine == "sqlite") testthat::skip_if_not_installed("RSQLite")
  if (engine == "postgres") {
    why <- postgres_missing()
    if (!is.null(why)) {
      if (identical(tolower(Sys.getenv("GVCLUSTER_PG_REQUIRED")), "true"))
        stop(why, " (GVCLUSTER_PG_REQUIRED is true)", call. = FALSE)
      testthat::skip(why)
    }
  }
}

# A connection to the engine with `df` in a table: a temporary table, so that
# nothing is left in a PostgreSQL database when the connection closes.
remote_db <- function(df, name = "t", engine = "sqlite") {
  con <- switch(engine,
    sqlite = DBI::dbConnect(RSQLite::SQLite(), ":memory:"),
    postgres = postgres_connect(),
    stop("unknown engine ", engine))
  remote_write(con, name, df)
  list(con = con, tbl = dplyr::tbl(con, name), engine = engine)
}

# a further table on the same connection (temporary, as above)
remote_write <- function(con, name, df) {
  DBI::dbWriteTable(con, name, df, temporary = TRUE)
}

# An in-memory SQLite database with a table (the tests that need no other
# engine: the SQL rendered for Spark).
remote_sqlite <- function(df, name = "t") remote_db(df, name, "sqlite")

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
