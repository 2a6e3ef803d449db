# Measures on remote tables: a dbplyr `tbl` on any DBI connection (SQLite,
# DuckDB, Postgres, ...) and Spark through sparklyr, which exposes its tables
# the same way. The group sums are computed by the SQL that dbplyr generates,
# in the engine; R receives only small results (one row of checks, the
# margins or the non-empty cells when a measure needs them).

#' Location quotients and indices of tables held in a database or Spark
#'
#' [lq()], [specialization()], [concentration()] and [shift_share()] accept
#' a remote table (a dbplyr `tbl_lazy`: `dplyr::tbl(con, "name")` on any DBI
#' connection, or a Spark table from `sparklyr`) with the same column
#' arguments as for a data frame. Nothing is pulled into R that the measure
#' does not need.
#'
#' @section Location quotients:
#' `lq()` on a remote table returns a remote (lazy) table: the rows of `x`
#' with a column `lq`. The region totals, industry totals and group totals are
#' `GROUP BY` sums in the engine, joined back to the rows; the query runs when
#' you `dplyr::collect()` it, `dplyr::compute()` it into a table, or write it
#' elsewhere. Before returning, `lq()` runs one checking query in the engine
#' (its answer is one row): the value column has no negative or infinite
#' values, the key columns no `NULL`, and no region x industry appears twice
#' in a `by` group. Zero totals, `NA` (SQL `NULL`) and `na.rm` behave as for
#' a data frame (see [lq()]): with `na.rm = FALSE` a `NULL` value makes every
#' total it enters `NULL`. The arguments, their order and their defaults are
#' those of the data frame method: `value`, `region` and `industry` default to
#' the columns `"value"`, `"region"` and `"industry"`. `total` and
#' `reference_total` name columns of `x`.
#'
#' `reference` (a background other than the table's own margins) is given as
#' for a data frame: a numeric vector named by industry, or a data frame keyed
#' by the `industry` column (and the `by` columns, if it has them) with the
#' values in a column named like `value`. It is checked in R (no negative or
#' infinite values, one row per key), its total (per `by` group) is summed in
#' R as [lq()] sums it, and it is pushed into the query as an inline table
#' (`dbplyr::copy_inline()`: a `VALUES` list, which SQLite, DuckDB, Postgres
#' and Spark SQL read), each number written as two literals whose sum is the
#' value to the last bit. One more query checks that every industry (in every
#' `by` group) of `x` has a reference value. A reference of many thousand
#' rows makes a long SQL text: write it to a table of the database and join
#' it to `x` yourself, passing its columns as `total` and `reference_total`.
#' `type = "log"` needs the engine's `LN()`, which SQLite lacks (an error
#' says so).
#'
#' @section Indices and shift-share:
#' Which path each index takes:
#' * `concentration()` without `reference` and `weights`, every index (the
#'   Krugman and Hoover indices and the Gini family: `gini`,
#'   `locational_gini`, `gini_lq`): **in the engine**. The rows are reduced to
#'   one row per non-empty `by` x region x industry cell (`GROUP BY`; stored
#'   in a temporary table when the connection allows it, else repeated inside
#'   the query), the margins are `GROUP BY` sums, and each industry's sort is
#'   a window function: `ROW_NUMBER() OVER (PARTITION BY by, industry ORDER BY
#'   value)` gives the ranks of the Gini, and `SUM(share) OVER (PARTITION BY
#'   by, industry ORDER BY lq ROWS UNBOUNDED PRECEDING)` the cumulated shares
#'   of the Lorenz curve of the locational Gini (a `ROWS` frame, so that tied
#'   LQs each get their own running sum; as in memory, the order of ties does
#'   not change the result: tied values add the same terms in either order).
#'   Only one row per `by` group x industry comes to R, with the sums each
#'   index is made of. Window functions need SQLite 3.25 or later (RSQLite
#'   has shipped it since 2.1.1), Postgres, DuckDB or Spark.
#' * `concentration()` with `reference` or `weights`, `specialization()` and
#'   `shift_share()`: **the cells come to R**. The engine reduces the rows to
#'   one row per non-empty cell as above; only these cells (the key columns
#'   and the sum: not the other columns of the table, not zero cells) are
#'   fetched, in blocks, and the index is computed by the same C code as for
#'   a data frame. Memory is therefore proportional to the number of
#'   non-empty cells, not to the rows of the table (and not to regions x
#'   industries x groups): for a table with several rows per cell
#'   (establishments, ownership types, quarters to be added up) much less
#'   than the table. None of these indices needs a sort of more than one
#'   industry's or region's cells.
#'
#' A cell with more than one row is an error, as for a data frame, unless
#' the rows were meant to be added: then aggregate in the engine first
#' (`dplyr::summarise()`).
#'
#' @section How each engine sums:
#' The sums are the engine's `SUM()` over double values (integer columns are
#' cast to double first, so they cannot overflow): SQLite adds in scan order
#' in plain double precision before version 3.43 and with Kahan-Babuska-
#' Neumaier compensation from 3.43 on; DuckDB adds in parallel segments in
#' double precision (its `fsum()` is the compensated form); Spark adds each
#' partition in double precision and then the partial sums, in an order that
#' can change from run to run; Postgres adds `double precision` in scan order
#' (`numeric` exactly). R's in-memory methods use compensated sums, so the
#' results agree to about `n * 1e-16` relative at worst (n the number of
#' values summed) and typically far better; the package's tests check 1e-9 on
#' SQLite.
#'
#' @section Spark and DuckDB:
#' With Spark, connect and use the same calls:
#' ```
#' sc <- sparklyr::spark_connect(master = "yarn")   # or "local", a URL
#' emp <- dplyr::tbl(sc, "qcew")                    # a table of the cluster
#' lq(emp, "emp", "area", "naics", by = "year")     # a Spark table with `lq`
#' ```
#' DuckDB reads Parquet and CSV files in place, which makes it the engine of
#' choice for data bigger than memory on one machine:
#' ```
#' con <- DBI::dbConnect(duckdb::duckdb())
#' emp <- dplyr::tbl(con, "read_parquet('qcew/*.parquet')")
#' ```
#'
#' @section Errors:
#' A closed connection, a column named in `value`, `region`, `industry`,
#' `by`, `total` or `reference_total` that the table lacks, or a value column
#' that is not numeric in the engine give an error naming the argument and
#' the column; so does a column named in two of `value`, `region`,
#' `industry` and `by` (`time`), as for a data frame.
#'
#' @section Names and what is left in the database:
#' The queries rename the columns they read (`col1`, `col2`, ...) and give
#' their own working columns other names, so any column names work (also
#' names such as `gvc_s` or `lq`) and the results carry the table's names.
#' A column of `x` named `lq` is replaced by the quotient, in place, as for
#' a data frame. `concentration()` in the engine keeps the cells in a
#' temporary table (without `ANALYZE`, which would leave `sqlite_stat1` and
#' `sqlite_stat4` behind in SQLite) and drops it when it ends, also on an
#' error: a remote call leaves the connection's tables as it found them.
#'
#' @param x a remote table (`tbl_lazy`).
#' @param value,region,industry,by,total,reference_total,na.rm,type,cutoff as
#'   for the data frame method of [lq()], with the same defaults.
#' @param reference `NULL` (the table's own industry totals) or the
#'   background's values by industry, as for the data frame method of [lq()]:
#'   a numeric vector named by industry or a data frame keyed by industry (and
#'   `by`).
#' @param ... must be empty.
#' @return A remote table (`tbl_lazy`) with the columns of `x` and `lq`.
#' @seealso [linreg()] on a remote table; `vignette("bigger-than-memory")`.
#' @examples
#' if (requireNamespace("RSQLite", quietly = TRUE) &&
#'     requireNamespace("dbplyr", quietly = TRUE)) {
#'   con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
#'   p <- data.frame(year = rep(2020:2021, each = 4),
#'                   region = rep(c("A", "A", "B", "B"), 2),
#'                   industry = rep(c("x", "y"), 4),
#'                   emp = c(10, 30, 20, 20, 12, 30, 20, 25))
#'   DBI::dbWriteTable(con, "emp", p)
#'   emp <- dplyr::tbl(con, "emp")
#'   res <- lq(emp, "emp", "region", "industry", by = "year")
#'   dplyr::show_query(res)
#'   print(dplyr::collect(res))
#'   print(specialization(emp, "krugman", value = "emp", by = "year"))
#'   DBI::dbDisconnect(con)
#' }
#' @name lq-remote
#' @exportS3Method lq tbl_lazy
lq.tbl_lazy <- function(x, value = "value", region = "region", industry = "industry",
                        by = NULL, reference = NULL, total = NULL,
                        reference_total = NULL, na.rm = FALSE,
                        type = c("ratio", "binary", "additive", "log", "standardized"),
                        cutoff = 1, ...) {
  check_dots(...)
  tp <- lq_check_type(type, cutoff)
  na.rm <- check_flag(na.rm, "na.rm")
  proto <- remote_proto(x)
  # the defaults name columns "value", "region" and "industry", as for a data
  # frame; without such a column the argument is required
  if (missing(value) && !"value" %in% names(proto))
    stop_arg("value", "is required: the column of values (`x` has no column \"value\")")
  if (missing(region) && !"region" %in% names(proto))
    stop_arg("region", "is required: the region column (`x` has no column \"region\")")
  if (missing(industry) && !"industry" %in% names(proto))
    stop_arg("industry", "is required: the industry column (`x` has no column \"industry\")")
  value <- check_string(value, "value")
  region <- check_string(region, "region")
  industry <- check_string(industry, "industry")
  remote_numeric(proto, value, "value")
  remote_key(proto, region, "region")
  remote_key(proto, industry, "industry")
  if (!is.null(by)) {
    remote_key(proto, by, "by")
    if (anyDuplicated(by) || any(by %in% c(region, industry)))
      stop_arg("by", "must name distinct columns other than `region` and `industry`")
  }
  if (!is.null(total)) remote_numeric(proto, check_string(total, "total"), "total")
  if (!is.null(reference_total))
    remote_numeric(proto, check_string(reference_total, "reference_total"),
                   "reference_total")
  if (tp$type == "log" && inherits(dbplyr::remote_con(x), "SQLiteConnection"))
    stop_arg("type", "\"log\" needs the SQL function LN(), which SQLite lacks; ",
             "collect the ratio and take log() in R")
  # the queries work on the columns renamed col1, col2, ...: the names they
  # make up cannot collide with the user's, whatever those are called
  rn <- remote_rename(x)
  ci <- rn$int
  ref <- NULL
  if (!is.null(reference))
    ref <- remote_reference(reference, proto, value, industry, by, na.rm, ci)
  remote_check_panel(rn$x, ci(value), ci(region), ci(industry), ci(by),
                     extra = c(total = ci(total), reference_total = ci(reference_total)),
                     label = rn$user)
  if (!is.null(ref)) {
    ref$tbl <- dbplyr::copy_inline(dbplyr::remote_con(x), ref$data)
    remote_reference_cover(rn$x, ref, ci(industry), ci(by), rn$user)
  }
  y <- remote_lq_query(rn$x, ci(value), ci(region), ci(industry), ci(by), ci(total),
                       ci(reference_total), na.rm, tp, ref = ref)
  # back to the user's names; a column of `x` called "lq" is replaced in
  # place by the quotient, as for a data frame. The query so far becomes a
  # subquery of its own first: dbplyr would otherwise fold the renaming into
  # the joins, where a user's name such as "gvc_gt_s" meets the joined
  # column of that name.
  y <- remote_subquery(y)
  cols <- rn$cols
  sel <- rlang::set_names(rlang::syms(ifelse(cols == "lq", "gvc_lq", rn$names)), cols)
  if (!"lq" %in% cols) sel$lq <- rlang::sym("gvc_lq")
  dplyr::select(y, !!!sel)
}

# The columns `cols` of the remote table x (default all) selected and renamed
# col1, col2, ... at once (one SELECT ... AS ...): the names the queries make
# up (gvc_*) can then never collide with a user's column, whatever it is
# called and however the engine compares names. `int()` maps user names to
# internal ones, `user()` back; `names` are the internal names of `cols`.
remote_rename <- function(x, cols = colnames(x)) {
  int <- paste0("col", seq_along(cols))
  list(x = remote_subquery(dplyr::select(x, !!!rlang::set_names(rlang::syms(cols), int))),
       int = function(nm) if (is.null(nm)) NULL else int[match(nm, cols)],
       user = function(nm) { u <- cols[match(nm, int)]; ifelse(is.na(u), nm, u) },
       cols = cols, names = int)
}

# ---- a reference pushed to the engine ----------------------------------------

# `reference` as lq.data.frame() takes it (a data frame keyed by industry and
# optionally the `by` columns, values in the column named like `value`, or a
# numeric vector named by industry), checked as there, its keys converted to
# the engine's types of the columns of `x`, and its totals (by `by` group when
# it has the `by` columns) summed here as lq.data.frame() sums them. The
# values travel as two literals, hi + lo, hi the value rounded to the 15
# significant digits that SQL literals carry: the engine's hi + lo is the
# value to the last bit.
remote_reference <- function(reference, proto, value, industry, by, na.rm,
                             int = identity) {
  if (is_remote(reference))
    stop_arg("reference", "must be a data frame or a named numeric vector; ",
             "collect a remote reference first (it has one row per industry)")
  if (utils::packageVersion("dbplyr") < "2.2.0")
    stop_arg("reference", "on a remote table needs dbplyr 2.2.0 or later ",
             "(for copy_inline()); update dbplyr")
  ref <- lq_reference_frame(reference, industry, value, by)
  reference <- ref$frame
  rv <- ref$values
  ref_by <- ref$by
  out <- list()
  # the key columns under the query's internal names (see remote_rename())
  for (k in c(ref_by, industry))
    out[[int(k)]] <- remote_as_key(reference[[k]], proto[[k]], k)
  hi <- as.numeric(as.character(rv))
  out$gvc_ref_hi <- hi
  out$gvc_ref_lo <- ifelse(is.finite(hi), rv - hi, 0)
  if (length(ref_by)) {
    g <- do.call(paste, c(unname(as.list(reference[ref_by])), sep = "\r"))
    tt <- rowsum(rv, g, na.rm = na.rm)
    tot <- tt[match(g, rownames(tt)), 1L]
  } else {
    tot <- rep(sum(rv, na.rm = na.rm), length(rv))
  }
  hi <- as.numeric(as.character(tot))
  out$gvc_reft_hi <- hi
  out$gvc_reft_lo <- ifelse(is.finite(hi), tot - hi, 0)
  list(data = as.data.frame(out, stringsAsFactors = FALSE, optional = TRUE),
       by = int(ref_by))
}

# A key column of the reference in the type the engine gives column `name`
# of `x`, so that the join compares like with like.
remote_as_key <- function(v, like, name) {
  if (is.factor(v)) v <- as.character(v)
  if (is.character(like)) return(as.character(v))
  w <- if (is.integer(like)) suppressWarnings(as.integer(v)) else
    suppressWarnings(as.numeric(v))
  if (anyNA(w))
    stop_arg("reference", "has values of \"", name, "\" that are not ",
             describe_type(like), " as in `x`: ",
             paste0('"', utils::head(unique(v[is.na(w)]), 3), '"', collapse = ", "))
  w
}

# Every industry (in every `by` group) of x has a row in the reference: one
# query, whose answer is at most one row.
remote_reference_cover <- function(x, ref, industry, by, label = identity) {
  keys <- c(by, industry)
  have <- dplyr::distinct(dplyr::select(ref$tbl, !!!rlang::syms(c(ref$by, industry))))
  need <- dplyr::distinct(dplyr::select(x, !!!rlang::syms(keys)))
  miss <- dplyr::collect(utils::head(dplyr::anti_join(need, have,
                                                      by = c(ref$by, industry)), 1L))
  if (nrow(miss)) {
    miss <- as.data.frame(miss)[keys]
    names(miss) <- label(keys)
    stop_arg("reference", "has no value for ", lq_describe_row(miss, 1L, label(keys)))
  }
  invisible(NULL)
}

# ---- checks ----------------------------------------------------------------

is_remote <- function(x) inherits(x, "tbl_lazy")

remote_need <- function() {
  for (p in c("DBI", "dbplyr", "dplyr", "rlang"))
    if (!requireNamespace(p, quietly = TRUE))
      stop("package \"", p, "\" is needed for remote tables; install it", call. = FALSE)
}

# A zero-row data frame with the columns of the remote table and the R types
# its driver gives them; an error naming `x` when the connection is gone.
remote_proto <- function(x, arg = "x") {
  remote_need()
  con <- dbplyr::remote_con(x)
  if (!is.null(con) && inherits(con, "DBIConnection") && !DBI::dbIsValid(con))
    stop_arg(arg, "is a remote table whose database connection is closed; ",
             "connect again and make the table again with dplyr::tbl()")
  tryCatch(dplyr::collect(utils::head(x, 0L)), error = function(e)
    stop_arg(arg, "is a remote table the engine cannot read: ",
             conditionMessage(e)))
}

remote_numeric <- function(proto, name, arg, data_arg = "x") {
  check_column(proto, name, arg, data_arg)
  if (length(name) != 1L) stop_arg(arg, "must name exactly one column")
  v <- proto[[name]]
  if (!is.numeric(v) || is.factor(v))
    stop_arg(arg, "must name a numeric column of `", data_arg, "`; \"", name,
             "\" is ", describe_type(v), " in the engine")
  invisible(name)
}

remote_key <- function(proto, name, arg, data_arg = "x") {
  check_column(proto, name, arg, data_arg)
  for (nm in name) {
    v <- proto[[nm]]
    if (!is.atomic(v))
      stop_arg(arg, "must name atomic columns of `", data_arg, "`; \"", nm,
               "\" is ", describe_type(v))
  }
  invisible(name)
}

describe_type <- function(v) {
  cl <- class(v)[1L]
  if (is.character(v)) "character" else if (is.logical(v)) "logical" else
    if (inherits(v, "blob") || is.list(v)) "binary (a list column)" else cl
}

# One query whose answer is one row (two on PostgreSQL): the most rows of
# one cell, the smallest and largest value and the rows with a NULL key.
remote_check_panel <- function(x, value, region, industry, by, extra = NULL,
                               sum_dup = FALSE, label = identity) {
  keys <- c(by, region, industry)
  if (remote_is_postgres(x)) {
    # PostgreSQL groups a table of many cells by hashing in batches that
    # spill to disk, then sorting: there the grouping carries only the count
    # of rows per cell (a sixth to a third less time at 1e6 cells), and the
    # range of the values and the NULL keys come from one ungrouped scan
    ck <- c(dplyr::collect(remote_check_scan(x, value, keys, extra)),
            dplyr::collect(remote_check_cells(x, keys)))
  } else {
    ck <- dplyr::collect(remote_check_query(x, value, keys, extra))
  }
  if (isTRUE(ck$nullkey > 0)) {
    for (k in c(region, industry, by)) {
      nk <- dplyr::collect(dplyr::summarise(
        dplyr::filter(x, is.na(!!rlang::sym(k))), n = dplyr::n()))$n
      if (isTRUE(nk > 0))
        stop_arg(if (k %in% by) "by" else if (k == region) "region" else "industry",
                 "column \"", label(k), "\" must not contain NA (NULL)")
    }
  }
  if (isTRUE(ck$vmin < 0))
    stop_arg("value", "column \"", label(value), "\" must not contain negative values")
  if (isTRUE(ck$vmax == Inf))
    stop_arg("value", "column \"", label(value), "\" must not contain infinite values")
  for (e in names(extra)) {
    lo <- ck[[paste0("lo_", e)]]
    hi <- ck[[paste0("hi_", e)]]
    if (isTRUE(lo < 0))
      stop_arg(e, "column \"", label(extra[[e]]), "\" must not contain negative values")
    if (isTRUE(hi == Inf))
      stop_arg(e, "column \"", label(extra[[e]]), "\" must not contain infinite values")
  }
  if (!sum_dup && isTRUE(ck$nmax > 1)) {
    d <- dplyr::collect(utils::head(dplyr::filter(
      dplyr::summarise(dplyr::group_by(x, !!!rlang::syms(keys)), gvc_n = dplyr::n(),
                       .groups = "drop"), gvc_n > 1), 1L))
    where <- paste0(label(keys), " = ", vapply(keys, function(k) format(d[[k]][1L]), ""),
                    collapse = ", ")
    stop_arg("x", "has more than one row for ", where,
             "; each region x industry may appear once",
             if (length(by)) " per `by` group", "; aggregate them first")
  }
  invisible(ck)
}

remote_check_query <- function(x, value, keys, extra = NULL) {
  v <- rlang::sym(value)
  per_cell <- list(gvc_n = quote(dplyr::n()),
                   gvc_lo = rlang::expr(min(!!v, na.rm = TRUE)),
                   gvc_hi = rlang::expr(max(!!v, na.rm = TRUE)))
  nullk <- Reduce(function(a, b) rlang::expr(!!a | !!b),
                  lapply(keys, function(k) rlang::expr(is.na(!!rlang::sym(k)))))
  per_cell$gvc_nk <- rlang::expr(max(ifelse(!!nullk, 1L, 0L), na.rm = TRUE))
  for (e in names(extra)) {
    ev <- rlang::sym(extra[[e]])
    per_cell[[paste0("gvc_lo_", e)]] <- rlang::expr(min(!!ev, na.rm = TRUE))
    per_cell[[paste0("gvc_hi_", e)]] <- rlang::expr(max(!!ev, na.rm = TRUE))
  }
  cells <- dplyr::summarise(dplyr::group_by(x, !!!rlang::syms(keys)),
                            !!!per_cell, .groups = "drop")
  outer <- list(nmax = quote(max(gvc_n, na.rm = TRUE)),
                vmin = quote(min(gvc_lo, na.rm = TRUE)),
                vmax = quote(max(gvc_hi, na.rm = TRUE)),
                nullkey = quote(max(gvc_nk, na.rm = TRUE)))
  for (e in names(extra)) {
    outer[[paste0("lo_", e)]] <- rlang::expr(min(!!rlang::sym(paste0("gvc_lo_", e)), na.rm = TRUE))
    outer[[paste0("hi_", e)]] <- rlang::expr(max(!!rlang::sym(paste0("gvc_hi_", e)), na.rm = TRUE))
  }
  dplyr::summarise(cells, !!!outer)
}

# The checks of remote_check_query() in two queries: the value's range and
# the NULL keys over the rows (no grouping), and the most rows of one cell.
remote_check_scan <- function(x, value, keys, extra = NULL) {
  v <- rlang::sym(value)
  nullk <- Reduce(function(a, b) rlang::expr(!!a | !!b),
                  lapply(keys, function(k) rlang::expr(is.na(!!rlang::sym(k)))))
  s <- list(vmin = rlang::expr(min(!!v, na.rm = TRUE)),
            vmax = rlang::expr(max(!!v, na.rm = TRUE)),
            nullkey = rlang::expr(max(ifelse(!!nullk, 1L, 0L), na.rm = TRUE)))
  for (e in names(extra)) {
    ev <- rlang::sym(extra[[e]])
    s[[paste0("lo_", e)]] <- rlang::expr(min(!!ev, na.rm = TRUE))
    s[[paste0("hi_", e)]] <- rlang::expr(max(!!ev, na.rm = TRUE))
  }
  dplyr::summarise(x, !!!s)
}

remote_check_cells <- function(x, keys) {
  cells <- dplyr::summarise(dplyr::group_by(x, !!!rlang::syms(keys)),
                            gvc_n = dplyr::n(), .groups = "drop")
  dplyr::summarise(cells, nmax = max(gvc_n, na.rm = TRUE))
}

remote_is_postgres <- function(x) {
  inherits(dbplyr::remote_con(x),
           c("PqConnection", "PostgreSQLConnection", "RedshiftConnection"))
}

# ---- the LQ query ------------------------------------------------------------

# A column as a double in the engine. dbplyr translates as.numeric() (and
# as.double()) to a cast to NUMERIC on PostgreSQL: exact decimals, whose sums
# and quotients take two to three times as long as those of DOUBLE PRECISION
# (float8), the type of R's doubles and of the hand-written SQL one would
# compare with. There the cast is to float8; elsewhere as dbplyr translates.
remote_double <- function(x, col) {
  v <- rlang::sym(col)
  if (remote_is_postgres(x)) rlang::call2("float8", v) else rlang::expr(as.numeric(!!v))
}

# Sum of a column as double, and the number of NULLs in it.
remote_sums <- function(x, keys, value, prefix) {
  v <- rlang::sym(value)
  s <- list()
  s[[paste0(prefix, "_s")]] <- rlang::expr(sum(!!remote_double(x, value), na.rm = TRUE))
  s[[paste0(prefix, "_na")]] <- rlang::expr(sum(ifelse(is.na(!!v), 1, 0), na.rm = TRUE))
  g <- if (length(keys)) dplyr::group_by(x, !!!rlang::syms(keys)) else x
  dplyr::summarise(g, !!!s, .groups = "drop")
}

# The lazy query that adds `lq` to the rows of x (no checks; see lq.tbl_lazy).
remote_lq_query <- function(x, value, region, industry, by, total, reference_total,
                            na.rm, tp, ref = NULL) {
  # x has the internal column names of remote_rename(): no gvc_* among them
  keep <- colnames(x)
  rt <- remote_sums(x, c(by, region), value, "gvc_rt")
  it <- remote_sums(x, c(by, industry), value, "gvc_it")
  gt <- dplyr::summarise(if (length(by)) dplyr::group_by(rt, !!!rlang::syms(by)) else rt,
                         gvc_gt_s = sum(gvc_rt_s, na.rm = TRUE),
                         gvc_gt_na = sum(gvc_rt_na, na.rm = TRUE), .groups = "drop")
  gby <- by
  if (!length(by)) {
    # one background for the whole table: join on a constant
    gt <- dplyr::mutate(gt, gvc_k = 1L)
    x <- dplyr::mutate(x, gvc_k = 1L)
    gby <- "gvc_k"
  }
  y <- dplyr::left_join(x, rt, by = c(by, region))
  if (is.null(ref)) {
    y <- dplyr::left_join(y, it, by = c(by, industry))
    y <- dplyr::left_join(y, gt, by = gby)
  } else {
    # the background's values (and totals) from the reference table
    y <- dplyr::left_join(y, ref$tbl, by = c(ref$by, industry))
  }
  v <- remote_double(x, value)
  # with na.rm = FALSE a NULL value spoils every total it enters
  tot <- function(s, na) if (na.rm) rlang::sym(s) else
    rlang::expr(ifelse(!!rlang::sym(na) > 0, NA, !!rlang::sym(s)))
  Tr <- if (is.null(total)) tot("gvc_rt_s", "gvc_rt_na") else
    remote_double(x, total)
  Rj <- if (is.null(ref)) tot("gvc_it_s", "gvc_it_na") else
    quote(gvc_ref_hi + gvc_ref_lo)
  Tt <- if (!is.null(reference_total))
    remote_double(x, reference_total) else
      if (is.null(ref)) tot("gvc_gt_s", "gvc_gt_na") else quote(gvc_reft_hi + gvc_reft_lo)
  y <- dplyr::mutate(y, gvc_v = !!v, gvc_tr = !!Tr, gvc_rj = !!Rj, gvc_tt = !!Tt)
  ratio <- quote(dplyr::case_when(gvc_tr > 0 & gvc_rj > 0 & gvc_tt > 0 ~
                                    (gvc_v / gvc_tr) / (gvc_rj / gvc_tt)))
  y <- switch(tp$type,
    ratio = dplyr::mutate(y, gvc_lq = !!ratio),
    additive = dplyr::mutate(y, gvc_lq = dplyr::case_when(
      gvc_tr > 0 & gvc_tt > 0 ~ gvc_v / gvc_tr - gvc_rj / gvc_tt)),
    binary = dplyr::mutate(dplyr::mutate(y, gvc_q = !!ratio),
      gvc_lq = dplyr::case_when(gvc_q >= !!tp$cutoff ~ 1, gvc_q < !!tp$cutoff ~ 0)),
    log = dplyr::mutate(dplyr::mutate(y, gvc_q = !!ratio),
      gvc_lq = dplyr::case_when(gvc_q > 0 ~ log(gvc_q))),
    standardized = dplyr::mutate(dplyr::mutate(y, gvc_q = !!ratio),
      gvc_lq = (gvc_q - 1) / (gvc_q + 1)))
  dplyr::select(y, !!!rlang::syms(c(keep, "gvc_lq")))
}

# ---- indices: the non-empty cells --------------------------------------------

# The column arguments of an index on a remote table: single strings naming
# a numeric value column and key columns of the table.
remote_check_columns <- function(x, value, region, industry, by, by_arg = "by") {
  check_string(value, "value"); check_string(region, "region")
  check_string(industry, "industry")
  proto <- remote_proto(x)
  remote_numeric(proto, value, "value")
  remote_key(proto, region, "region")
  remote_key(proto, industry, "industry")
  if (!is.null(by)) remote_key(proto, by, by_arg)
  # distinct columns, with the messages of the data frame methods
  # (panel_columns())
  check_distinct_keys(region, industry, value, by, by_arg)
  invisible(proto)
}

# For specialization(), concentration(), shift_share(): the table reduced in
# the engine to one row per non-empty cell (checked as lq.tbl_lazy checks),
# fetched in blocks into a data frame with the key columns and the value.
remote_cells <- function(x, value, region, industry, by, na.rm, block = 1e6,
                         by_arg = "by") {
  remote_check_columns(x, value, region, industry, by, by_arg)
  ukeys <- c(by, region, industry)
  # the columns under internal names (remote_rename()): the query's own
  # (gvc_s, gvc_na, gvc_n) cannot collide with them
  rn <- remote_rename(x, c(ukeys, value))
  keys <- rn$int(ukeys)
  q <- remote_cells_query(rn$x, rn$int(value), keys)
  con <- dbplyr::remote_con(x)
  res <- DBI::dbSendQuery(con, dbplyr::sql_render(q, con = con))
  on.exit(DBI::dbClearResult(res))
  parts <- list()
  repeat {
    b <- DBI::dbFetch(res, n = block)
    if (!nrow(b)) break
    parts[[length(parts) + 1L]] <- b
    if (DBI::dbHasCompleted(res)) break
  }
  # no rows: the empty block has the columns (no second query while the
  # result set is open)
  cells <- if (length(parts)) do.call(rbind, parts) else as.data.frame(b)
  for (k in keys) if (anyNA(cells[[k]])) {
    u <- rn$user(k)
    stop_arg(if (u %in% by) by_arg else if (u == region) "region" else "industry",
             "column \"", u, "\" must not contain NA (NULL)")
  }
  if (any(cells$gvc_n > 1)) {
    r <- which(cells$gvc_n > 1)[1L]
    stop_arg("x", "has more than one row for ",
             paste0(ukeys, " = ", vapply(keys, function(k) format(cells[[k]][r]), ""),
                    collapse = ", "), "; aggregate them first")
  }
  v <- cells$gvc_s
  if (!na.rm) v[cells$gvc_na > 0] <- NA_real_
  if (any(v == Inf, na.rm = TRUE))
    stop_arg("value", "column \"", value, "\" must not contain infinite values")
  out <- cells[keys]
  names(out) <- ukeys
  out[[value]] <- v
  out
}

remote_cells_query <- function(x, value, keys) {
  v <- rlang::sym(value)
  dplyr::summarise(dplyr::group_by(x, !!!rlang::syms(keys)),
                   gvc_s = sum(!!remote_double(x, value), na.rm = TRUE),
                   gvc_na = sum(ifelse(is.na(!!v), 1, 0), na.rm = TRUE),
                   gvc_n = dplyr::n(), .groups = "drop")
}

# column names used inside dplyr verbs on remote tables
utils::globalVariables(c("gvc_n", "gvc_lo", "gvc_hi", "gvc_nk", "gvc_rt_s",
                         "gvc_rt_na", "gvc_q", "gvc_tr", "gvc_rj", "gvc_tt",
                         "gvc_v", ".fitted"))

# ---- concentration() in the engine --------------------------------------------

# concentration() of a remote table without `reference` or `weights`: every
# index, the Gini family included, is computed in the engine. The rows are
# reduced to cells (GROUP BY by, region, industry), the margins are GROUP BY
# sums, and the sorts of each industry's cells are window functions:
# ROW_NUMBER() and SUM() OVER (PARTITION BY by, industry ORDER BY ... ROWS
# UNBOUNDED PRECEDING). One row per by x industry comes back, with the sums
# each index is made of; the few divisions and the NA rules are done here, as
# concentration.c does them.
remote_concentration <- function(x, index, value, region, industry, by, na.rm) {
  proto <- remote_check_columns(x, value, region, industry, by)
  # the user's columns under internal names (remote_rename()): the names the
  # queries make up (gvc_s, gvc_T, gvc_X, gvc_k, ...) cannot collide with them
  ub <- by; ui <- industry
  rn <- remote_rename(x, c(by, region, industry, value))
  x <- rn$x
  value <- rn$int(value); region <- rn$int(region)
  industry <- rn$int(industry); by <- rn$int(by)
  remote_check_panel(x, value, region, industry, by, label = rn$user)
  # the cells, stored in a temporary table of the engine when it lets us
  # (the query below reads them several times); else inlined in the query
  xk <- if (is.null(by)) dplyr::mutate(x, gvc_k = 1L) else x
  cells <- remote_cells_query(xk, value, c(if (is.null(by)) "gvc_k" else by,
                                           region, industry))
  con <- dbplyr::remote_con(x)
  tmp <- remote_temp_table(cells, con)
  if (!is.null(tmp)) {
    cells <- tmp$tbl
    on.exit(remote_drop(con, tmp), add = TRUE)
  }
  # the number of regions of the whole table (every group has them all); as
  # an R integer: engines return COUNT() as a 64-bit integer (bit64's
  # integer64 through RPostgres), whose arithmetic with doubles truncates
  nr <- as.integer(dplyr::collect(dplyr::count(dplyr::distinct(
    dplyr::select(cells, !!rlang::sym(region)))))$n)
  q <- remote_conc_query(cells, index, region, industry, by, nr)
  res <- as.data.frame(dplyr::collect(q))
  # an empty table: the empty result of the data frame method
  if (!nrow(res))
    return(concentration(as.data.frame(proto), index, value = rn$user(value),
                         region = rn$user(region), industry = ui, by = ub,
                         na.rm = na.rm))
  na_grp <- !na.rm & res$gvc_gna > 0
  ok <- !na_grp & res$gvc_T > 0 & res$gvc_X > 0
  ok[is.na(ok)] <- FALSE
  val <- list()
  K <- pmax(res$gvc_kt + res$gvc_wsum, 0)
  val$krugman <- K
  val$hoover <- K / 2
  if ("gini" %in% index) val$gini <- pmax(res$gvc_gs / (nr * res$gvc_T), 0)
  if ("locational_gini" %in% index)
    val$locational_gini <- pmax(1 - res$gvc_A / res$gvc_wsum, 0)
  if ("gini_lq" %in% index)
    val$gini_lq <- pmax(res$gvc_qg / (res$gvc_npos * res$gvc_qs), 0)
  # the labels in the order of the in-memory result: the stack of the by x
  # industry keys that occur (a constant region and a zero value under
  # names that are none of the keys)
  keys <- res[c(if (!is.null(by)) by, industry)]
  kr <- fresh_name("r", c(by, industry)); kv <- fresh_name("v", c(by, industry, kr))
  keys[[kr]] <- rep(1L, nrow(keys))
  keys[[kv]] <- rep(0, nrow(keys))
  st <- panel_stack(keys, kv, kr, industry, by, FALSE)
  ni <- length(st$industries)
  ng <- if (is.null(by)) 1L else nrow(st$groups)
  fkey <- rep(as.character(st$industries), times = ng)
  rkey <- as.character(res[[industry]])
  if (!is.null(by)) {
    gk <- do.call(paste, c(unname(as.list(st$groups[by])), sep = "\r"))
    fkey <- paste(rep(gk, each = ni), fkey, sep = "\r")
    rkey <- paste(do.call(paste, c(unname(as.list(res[by])), sep = "\r")), rkey,
                  sep = "\r")
  }
  m <- match(fkey, rkey)
  values <- vapply(index, function(k) {
    v <- val[[k]][m]
    v[!ok[m] | is.na(m)] <- NA_real_
    v
  }, numeric(length(m)))
  if (!is.matrix(values)) values <- matrix(values, ncol = length(index))
  out <- idx_frame("industry", st$industries, st$groups, values, index)
  # the by columns under the user's names again
  if (!is.null(by)) names(out)[match(by, names(out))] <- ub
  out
}

# `base`, lengthened with "_" until it is none of `taken` (compared without
# case, as SQL engines compare names).
fresh_name <- function(base, taken) {
  while (tolower(base) %in% tolower(taken)) base <- paste0(base, "_")
  base
}

# The lazy query q as a subquery of its own (its SQL text as the table):
# dbplyr then folds no later select, rename or join into it, where the
# user's names would meet the query's own.
remote_subquery <- function(q) {
  con <- dbplyr::remote_con(q)
  dplyr::tbl(con, dbplyr::sql(dbplyr::sql_render(q, con = con)), vars = colnames(q))
}

# A temporary table of the engine holding the query q, under a name that no
# table of the connection has; NULL when the engine does not let us create
# one. No ANALYZE: that would leave sqlite_stat1/sqlite_stat4 (SQLite) in the
# user's connection.
remote_temp_table <- function(q, con) {
  have <- tryCatch(DBI::dbListTables(con), error = function(e) character())
  nm <- fresh_name("gvc_cells", have)
  tbl <- tryCatch(dplyr::compute(q, name = nm, temporary = TRUE, analyze = FALSE),
                  error = function(e) NULL)
  if (is.null(tbl)) return(NULL)
  list(tbl = tbl, name = nm)
}

remote_drop <- function(con, tmp) {
  tryCatch(DBI::dbRemoveTable(con, tmp$name, temporary = TRUE, fail_if_missing = FALSE),
           error = function(e) tryCatch(DBI::dbRemoveTable(con, tmp$name),
                                        error = function(e) NULL))
  invisible(NULL)
}

# `cells`: remote_cells_query() of the table (with a constant column gvc_k
# when there is no `by`).
remote_conc_query <- function(cells, index, region, industry, by, nr) {
  if (is.null(by)) by <- "gvc_k"
  s <- rlang::syms
  gt <- dplyr::summarise(dplyr::group_by(cells, !!!s(by)),
                         gvc_X = sum(gvc_s, na.rm = TRUE),
                         gvc_gna = sum(gvc_na, na.rm = TRUE), .groups = "drop")
  rt <- dplyr::summarise(dplyr::group_by(cells, !!!s(c(by, region))),
                         gvc_rs = sum(gvc_s, na.rm = TRUE), .groups = "drop")
  rt <- dplyr::inner_join(rt, dplyr::select(gt, !!!s(c(by, "gvc_X"))), by = by)
  # the regions' shares r_i (NULL where the group's total is 0)
  rt <- dplyr::mutate(rt, gvc_w = dplyr::case_when(gvc_X > 0 ~ gvc_rs / gvc_X))
  gw <- dplyr::summarise(dplyr::group_by(rt, !!!s(by)),
                         gvc_wsum = sum(gvc_w, na.rm = TRUE),
                         gvc_npos = sum(ifelse(gvc_w > 0, 1, 0), na.rm = TRUE),
                         .groups = "drop")
  it <- dplyr::summarise(dplyr::group_by(cells, !!!s(c(by, industry))),
                         gvc_T = sum(gvc_s, na.rm = TRUE), .groups = "drop")
  # the positive cells with their share c = x / T_j, r_i and LQ = c / r_i
  pc <- dplyr::select(dplyr::filter(cells, gvc_s > 0), !!!s(c(by, region, industry,
                                                                "gvc_s")))
  pc <- dplyr::inner_join(pc, dplyr::select(rt, !!!s(c(by, region, "gvc_w"))),
                          by = c(by, region))
  pc <- dplyr::inner_join(pc, it, by = c(by, industry))
  pc <- dplyr::inner_join(pc, dplyr::select(gw, !!!s(c(by, "gvc_npos"))), by = by)
  pc <- dplyr::mutate(pc, gvc_c = gvc_s / gvc_T)
  pc <- dplyr::mutate(pc, gvc_q = gvc_c / gvc_w)
  pc <- dplyr::group_by(pc, !!!s(c(by, industry)))
  sums <- list(gvc_kt = quote(sum(abs(gvc_c - gvc_w) - gvc_w, na.rm = TRUE)))
  if ("gini" %in% index) {
    # rank among the positive cells by value; the n - nv zero cells take
    # the ranks below: G = sum (2 k - n - 1) x_(k) / (n T)
    pc <- dbplyr::window_order(pc, gvc_s)
    pc <- dplyr::mutate(pc, gvc_r1 = dplyr::row_number(), gvc_nv = dplyr::n())
    sums$gvc_gs <- rlang::expr(sum((2 * (!!nr - gvc_nv + gvc_r1) - !!nr - 1) * gvc_s,
                                   na.rm = TRUE))
  }
  if (any(c("locational_gini", "gini_lq") %in% index)) {
    # cells by increasing LQ: the Lorenz area sum r_k (C_k + C_k-1) with C the
    # running sum of the shares (a ROWS frame: tied LQs each get their own
    # running sum, and the area does not depend on their order)
    pc <- dbplyr::window_order(pc, gvc_q)
    pc <- dplyr::mutate(pc, gvc_r2 = dplyr::row_number(), gvc_nq = dplyr::n(),
                        gvc_P = cumsum(gvc_c))
    sums$gvc_A <- quote(sum(gvc_w * (2 * gvc_P - gvc_c), na.rm = TRUE))
    sums$gvc_qs <- quote(sum(gvc_q, na.rm = TRUE))
    sums$gvc_qg <- quote(sum((2 * (gvc_npos - gvc_nq + gvc_r2) - gvc_npos - 1) * gvc_q,
                             na.rm = TRUE))
  }
  pc <- dplyr::summarise(pc, !!!sums, .groups = "drop")
  out <- dplyr::left_join(it, gt, by = by)
  out <- dplyr::left_join(out, gw, by = by)
  out <- dplyr::left_join(out, pc, by = c(by, industry))
  out
}

utils::globalVariables(c("gvc_s", "gvc_na", "gvc_X", "gvc_rs", "gvc_w", "gvc_T",
                         "gvc_c", "gvc_q", "gvc_r1", "gvc_nv", "gvc_r2", "gvc_nq",
                         "gvc_P", "gvc_npos", "gvc_k"))
