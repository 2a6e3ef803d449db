#' Location quotients
#'
#' Location quotients (LQ) of regions by industry, computed in C, for a
#' region's values by sector against a background (a numeric vector), for a
#' regions x industries matrix (dense or a sparse `Matrix::dgCMatrix`), and
#' for a long data frame (a panel with one row per region x industry
#' \[x year\]).
#'
#' @section Formula:
#' The study's location quotient (Wang, Wang and Niu, section 3.1; Isard,
#' 1960) of region \eqn{r} in industry \eqn{j} is
#' \deqn{LQ_{rj} = \frac{x_{rj} / T_r}{R_j / T},}{LQ[r, j] = (x[r, j] / T[r]) / (R[j] / T),}
#' with \eqn{x_{rj}} the region's value (employment, output, ...) in the
#' industry, \eqn{T_r} the region's all-sector total (`total`; by default
#' the sum of the region's values), \eqn{R_j} the background's value of the
#' industry (`reference`; by default the sum over all regions, i.e. the
#' column total) and \eqn{T} the background's all-sector total
#' (`reference_total`; by default the sum of \eqn{R}). An LQ above 1 means
#' the industry's share in the region exceeds its share in the background.
#'
#' Official statistics do not always divide by the table's own margins. The
#' US Bureau of Labor Statistics' QCEW, for instance, divides an area's
#' ownership-sector employment by the area's all-ownership total and
#' compares it with the same share for the nation; pass those denominators
#' as `total` and `reference_total`.
#'
#' @section Variants (`type`):
#' * `"ratio"`: the LQ above. Range \eqn{[0, \infty)}.
#' * `"binary"`: 1 where \eqn{LQ \ge}{LQ >=} `cutoff`, else 0 (a double
#'   0/1), the specialisation indicator of Hidalgo et al. (2007) with
#'   `cutoff = 1`. The comparison is made on the computed (floating-point)
#'   LQ.
#' * `"additive"`: the difference of shares
#'   \eqn{x_{rj}/T_r - R_j/T}{x[r, j] / T[r] - R[j] / T} (Hoen and
#'   Oosterhaven, 2006). Range \eqn{[-1, 1]}; it is defined (it is
#'   \eqn{-R_j/T}) also where \eqn{R_j = 0}.
#' * `"log"`: \eqn{\log LQ}{log(LQ)} (Vollrath, 1991), symmetric around 0.
#'   Where the LQ is 0 the result is `NA` (never `-Inf`).
#' * `"standardized"`: the symmetric LQ \eqn{(LQ - 1)/(LQ + 1)} (Laursen,
#'   2015; Dalum, Laursen and Villumsen, 1998), in \eqn{[-1, 1)}: -1 where
#'   the region has none of the industry, 0 where shares are equal.
#'
#' @section Zero totals, NA and bad input:
#' One rule for every method: where \eqn{T_r}, \eqn{R_j} or \eqn{T} is zero
#' or `NA` the quotient is `NA`, never `Inf` or `NaN` (for `"additive"`
#' only \eqn{T_r} and \eqn{T} matter). With `na.rm = FALSE` (the default) an
#' `NA` in `x` spoils every total it enters: its region's total, its
#' industry's total and, when `reference` is not given, the background total,
#' so that every quotient that depends on it is `NA`. With `na.rm = TRUE` the
#' totals skip `NA`s and a quotient is `NA` only where its own cell is `NA`
#' (or a total is zero). Negative or infinite values, non-numeric input,
#' lengths that do not match, duplicated region x industry rows within a
#' panel group, and unknown column names are errors that name the argument.
#'
#' Totals are accumulated with compensated (Neumaier) summation over plain
#' runs of at most 32 values, so sums over millions of values keep full
#' double precision. The input is never modified.
#'
#' @section Methods:
#' * **numeric vector**: `x` holds one region's values by sector and
#'   `reference` (required) the background's; `total` and `reference_total`
#'   are single numbers. Names are kept.
#' * **matrix**: rows are regions, columns industries. `reference` is a
#'   vector over the columns (say national totals when the matrix holds only
#'   some regions), `total` a vector over the rows, `reference_total` one
#'   number. Where both are named, `reference` is matched to the column
#'   names and `total` to the row names. Same dim and dimnames out. From
#'   262,144 cells the two passes over the matrix (totals, then the result)
#'   share its columns between `getOption("gvcluster.threads", 2)` threads;
#'   the totals are summed in the same order as on one thread, so the
#'   result is the same to the last bit.
#' * **dgCMatrix**: as for a matrix, in time and memory O(nnz): the result
#'   is a `dgCMatrix` with the same pattern, holding the LQ of every stored
#'   entry. Structural zeros stay zero even in a row or column whose total
#'   is zero or `NA` (where the dense method gives `NA`), so the two agree
#'   wherever the totals are usable. `type = "binary"` keeps the pattern too
#'   (explicit zeros where LQ < `cutoff`); `"additive"`, `"log"` and
#'   `"standardized"` are not zero at a zero cell, so they return a dense
#'   matrix computed as for `as.matrix(x)`. Other `Matrix` classes are
#'   converted to `dgCMatrix` (sparse) or a base matrix (dense) first. From
#'   262,144 stored entries the pass that writes the result is shared
#'   between the threads (the same result).
#' * **data.frame** (a long panel): `value`, `region` and `industry` name
#'   columns of `x`, `by` optionally names grouping columns (e.g. the year);
#'   each `by` group is computed on its own, as the matrix of its rows. The
#'   panel may be unbalanced: a region missing some industries has zeros
#'   there, never recycled values. `total` and `reference_total` name numeric
#'   columns of `x` holding each row's region total and background total.
#'   `reference` is a data frame keyed by the `industry` column (and the
#'   `by` columns, if it has them; otherwise it applies to every group) with
#'   the background's values in a column named like `value`, or a numeric
#'   vector named by industry; its `reference_total` defaults to the sum of
#'   the table's values in each group (industries absent from `x` included).
#'   Every industry (and group) of `x` must be in `reference`. The result is
#'   `x` with a column `lq` (replaced if present), rows in the input order.
#'
#' @param x A numeric vector, a numeric matrix, a `Matrix::dgCMatrix` or a
#'   data frame (see the methods).
#' @param reference The background's values by industry: a numeric vector
#'   (over the columns for matrices); for a data frame, a data frame keyed by
#'   industry (and `by`) or a named numeric vector. `NULL` (matrix and data
#'   frame only): the column totals of `x` (by group).
#' @param total The regions' all-sector totals: a numeric vector over the
#'   regions (a single number for a vector), or for a data frame the name of
#'   a numeric column. `NULL`: the sums of the regions' values.
#' @param reference_total The background's all-sector total: a single
#'   number, or for a data frame the name of a numeric column. `NULL`: the
#'   sum of `reference`.
#' @param na.rm `FALSE` (default) or `TRUE`: whether totals skip `NA`s.
#' @param type Which quotient: `"ratio"` (the LQ), `"binary"`, `"additive"`,
#'   `"log"` or `"standardized"` (see Variants).
#' @param cutoff For `type = "binary"`: the threshold, a positive number
#'   (default 1).
#' @param value,region,industry Names of the columns of `x` holding the
#'   values, the region and the industry.
#' @param by `NULL` or names of columns of `x` defining groups (such as the
#'   year) computed separately.
#' @param ... Not used; must be empty.
#'
#' @return The location quotients, shaped like `x`: a named vector, a matrix
#'   with `x`'s dimnames, a `dgCMatrix` with `x`'s pattern (or a matrix, see
#'   the methods), or `x` with a column `lq`.
#'
#' @references
#' Wang J., Wang X., Niu X., "On Strategic Emerging Industry Cluster
#' Development in Anhui based on the Perspective of Global Value Chain:
#' Taking Bengbu Silicon Based New Material Industry as an Example",
#' section 3.1.
#'
#' Isard W. (1960). *Methods of Regional Analysis*. MIT Press.
#'
#' US Bureau of Labor Statistics, "Location quotients explained",
#' Quarterly Census of Employment and Wages.
#'
#' Hidalgo C. A., Klinger B., Barabási A.-L., Hausmann R. (2007). The
#' product space conditions the development of nations. *Science* 317,
#' 482-487.
#'
#' Hoen A. R., Oosterhaven J. (2006). On the measurement of comparative
#' advantage. *The Annals of Regional Science* 40, 677-691.
#'
#' Vollrath T. L. (1991). A theoretical evaluation of alternative trade
#' intensity measures of revealed comparative advantage.
#' *Weltwirtschaftliches Archiv* 127, 265-280.
#'
#' Dalum B., Laursen K., Villumsen G. (1998). Structural change in OECD
#' export specialisation patterns: de-specialisation and 'stickiness'.
#' *International Review of Applied Economics* 12, 423-443.
#'
#' Laursen K. (2015). Revealed comparative advantage and the alternatives as
#' measures of international specialization. *Eurasian Business Review* 5,
#' 99-115.
#'
#' @seealso [gvcluster-missing] for NA, NaN, Inf and extreme magnitudes.
#' @examples
#' # one region against a background
#' lq(c(a = 20, b = 30, c = 50), reference = c(a = 100, b = 400, c = 500))
#'
#' # regions x industries
#' m <- matrix(c(10, 0, 5, 20, 5, 5, 30, 10, 0), 3,
#'             dimnames = list(c("r1", "r2", "r3"), c("i1", "i2", "i3")))
#' lq(m)
#' lq(m, type = "standardized")
#'
#' # sparse
#' lq(Matrix::Matrix(m, sparse = TRUE))
#'
#' # a long panel with a year dimension
#' p <- data.frame(year = rep(2020:2021, each = 4),
#'                 region = rep(c("A", "A", "B", "B"), 2),
#'                 industry = rep(c("x", "y"), 4),
#'                 emp = c(10, 30, 20, 20, 12, 30, 20, 25))
#' lq(p, "emp", "region", "industry", by = "year")
#' @export
lq <- function(x, ...) UseMethod("lq")

lq_types <- c("ratio", "binary", "additive", "log", "standardized")

lq_check_type <- function(type, cutoff) {
  if (!is.character(type) || length(type) < 1L || anyNA(type))
    stop_arg("type", "must be one of ", paste0('"', lq_types, '"', collapse = ", "))
  if (length(type) > 1L) {
    if (!identical(type, lq_types))
      stop_arg("type", "must be a single string")
    type <- type[1L]
  }
  k <- pmatch(type, lq_types)
  if (is.na(k))
    stop_arg("type", "must be one of ", paste0('"', lq_types, '"', collapse = ", "),
             ', not "', type, '"')
  if (!is.numeric(cutoff) || length(cutoff) != 1L || is.na(cutoff) ||
      !is.finite(cutoff) || cutoff <= 0)
    stop_arg("cutoff", "must be a single positive finite number")
  list(type = lq_types[k], cutoff = as.double(cutoff))
}

# An optional nonnegative numeric vector of a given length, matched by names
# to `against` when both have names.
lq_check_margin <- function(v, arg, n, against, what) {
  if (is.null(v)) return(NULL)
  if (is.data.frame(v) || !is.numeric(v) || is.factor(v))
    stop_arg(arg, "must be a numeric vector, not ", describe(v))
  if (length(v) != n)
    stop_arg(arg, "must have length ", n, " (", what, "), not ", length(v))
  lq_check_values(v, arg)
  nm <- names(v)
  if (!is.null(nm) && !is.null(against) && !identical(nm, against)) {
    if (anyDuplicated(nm) || !setequal(nm, against) || anyDuplicated(against))
      stop_arg(arg, "has names that do not match the ", what, " of `x`")
    v <- v[match(against, nm)]
  }
  if (!is.double(v)) v <- as.double(v)
  v
}

# No negative or infinite values (NA allowed), without allocating a logical
# vector as long as v.
lq_check_values <- function(v, arg) {
  if (!length(v)) return(invisible(v))
  lo <- suppressWarnings(min(v, na.rm = TRUE))   # Inf when all NA
  hi <- suppressWarnings(max(v, na.rm = TRUE))
  if (lo == -Inf || hi == Inf || anyNA(v) && any(is.nan(v))) check_nonfinite(v, arg)
  if (lo < 0) stop_arg(arg, "must not contain negative values")
  invisible(v)
}

lq_check_scalar_total <- function(v, arg) {
  if (is.null(v)) return(NULL)
  if (!is.numeric(v) || is.factor(v) || length(v) != 1L || is.na(v) ||
      !is.finite(v) || v < 0)
    stop_arg(arg, "must be a single non-negative finite number")
  as.double(v)
}

# Turn the list(status, where) a C routine returns on bad input into an
# error naming the argument.
lq_fail <- function(res, arg = "x") {
  switch(res$status,
         negative = stop_arg(arg, "must not contain negative values"),
         infinite = stop_arg(arg, "must not contain infinite values"),
         stop("internal error: unexpected status", call. = FALSE))
}

# The LQ is invariant to scaling the values (with their totals) and the
# reference (with its total) by constants, but their sums overflow near
# 1e308 and lose digits in the subnormal range. The exponent e so that
# 2^e * v (and 2^e * its totals w) sum to at most 1 when the sums could leave
# [2^-900, 2^1000]; 0 otherwise (no pass over the data beyond max()).
lq_pow2 <- function(v, w = NULL) {
  hi <- suppressWarnings(max(if (length(v)) max(v, na.rm = TRUE) else 0,
                             if (length(w)) max(w, na.rm = TRUE) else 0))
  lq_pow2_hi(hi, length(v) + length(w))
}

# lq_pow2() from the largest value hi of cnt values (C finds hi in its pass
# over a dense matrix and asks for the rescaling with status "rescale").
lq_pow2_hi <- function(hi, cnt) {
  if (!is.finite(hi) || hi <= 0) return(0)
  if (hi * cnt < 2^1000 && hi > 2^-900) return(0)
  pow2_exponent(hi) - ceiling(log2(cnt))
}

# The dense and vector paths: C makes one pass for the totals, the checks
# (NaN, negative, infinite) and the largest value; when the values' sums
# could leave the double range it returns status "rescale" and the call is
# repeated on x (and total) times a power of 2 (lq_pow2()).
lq_dense_call <- function(x, nr, nc, total, reference, reference_total,
                          na.rm, tp) {
  er <- lq_pow2(reference, reference_total)
  if (er != 0) {
    reference <- times_pow2(reference, er)
    if (!is.null(reference_total)) reference_total <- times_pow2(reference_total, er)
  }
  for (attempt in 1:2) {
    res <- .Call(ffi_lq_dense, x, c(as.double(nr), as.double(nc)), total,
                 reference, reference_total, as.integer(na.rm), tp$type,
                 tp$cutoff, n_threads())
    if (!is.list(res)) return(res)
    if (res$status != "rescale") break
    ex <- lq_pow2_hi(res$where, length(x) + length(total))
    x <- times_pow2(x, ex)
    if (!is.null(total)) total <- times_pow2(total, ex)
  }
  if (res$status %in% c("nan", "infinite") || any(is.infinite(x)))
    check_nonfinite(x, "x")
  lq_fail(res)
}

#' @rdname lq
#' @export
lq.default <- function(x, reference, total = NULL, reference_total = NULL,
                       na.rm = FALSE, type = c("ratio", "binary", "additive",
                                               "log", "standardized"),
                       cutoff = 1, ...) {
  if (methods::is(x, "Matrix")) {
    if (methods::is(x, "sparseMatrix")) {
      x <- methods::as(methods::as(methods::as(x, "CsparseMatrix"),
                                   "generalMatrix"), "dMatrix")
    } else {
      x <- as.matrix(x)
    }
    return(lq(x, reference = if (missing(reference)) NULL else reference,
              total = total, reference_total = reference_total,
              na.rm = na.rm, type = type, cutoff = cutoff, ...))
  }
  check_dots(...)
  if (!is.numeric(x) || is.factor(x) || is.object(x) && !is.null(dim(x)))
    stop_arg("x", "must be a numeric vector, matrix, dgCMatrix or data frame, not ",
             describe(x))
  if (!is.null(dim(x)) && length(dim(x)) != 1L)
    stop_arg("x", "must be a vector or a two-dimensional matrix")
  tp <- lq_check_type(type, cutoff)
  na.rm <- check_flag(na.rm, "na.rm")
  if (missing(reference) || is.null(reference))
    stop_arg("reference", "is required when `x` is a vector (the background's ",
             "values by sector)")
  reference <- lq_check_margin(reference, "reference", length(x), names(x),
                               "sectors")
  total <- lq_check_scalar_total(total, "total")
  reference_total <- lq_check_scalar_total(reference_total, "reference_total")
  if (!is.double(x)) storage.mode(x) <- "double"
  lq_dense_call(x, 1, length(x), total, reference, reference_total, na.rm, tp)
}

#' @rdname lq
#' @export
lq.matrix <- function(x, reference = NULL, total = NULL, reference_total = NULL,
                      na.rm = FALSE, type = c("ratio", "binary", "additive",
                                              "log", "standardized"),
                      cutoff = 1, ...) {
  check_dots(...)
  if (!is.numeric(x))
    stop_arg("x", "must be a numeric matrix, not ", describe(x))
  tp <- lq_check_type(type, cutoff)
  na.rm <- check_flag(na.rm, "na.rm")
  d <- dim(x)
  reference <- lq_check_margin(reference, "reference", d[2L], colnames(x),
                               "columns")
  total <- lq_check_margin(total, "total", d[1L], rownames(x), "rows")
  reference_total <- lq_check_scalar_total(reference_total, "reference_total")
  if (!is.double(x)) storage.mode(x) <- "double"
  lq_dense_call(x, d[1L], d[2L], total, reference, reference_total, na.rm, tp)
}

#' @rdname lq
#' @export
lq.dgCMatrix <- function(x, reference = NULL, total = NULL,
                         reference_total = NULL, na.rm = FALSE,
                         type = c("ratio", "binary", "additive", "log",
                                  "standardized"),
                         cutoff = 1, ...) {
  check_dots(...)
  tp <- lq_check_type(type, cutoff)
  na.rm <- check_flag(na.rm, "na.rm")
  d <- x@Dim
  check_dgc_quick(x)
  dn <- x@Dimnames
  reference <- lq_check_margin(reference, "reference", d[2L], dn[[2L]],
                               "columns")
  total <- lq_check_margin(total, "total", d[1L], dn[[1L]], "rows")
  reference_total <- lq_check_scalar_total(reference_total, "reference_total")
  if (!tp$type %in% c("ratio", "binary")) {
    # not zero at zero cells: the result is dense anyway
    check_dgc(x)
    return(lq.matrix(as.matrix(x), reference = reference, total = total,
                     reference_total = reference_total, na.rm = na.rm,
                     type = tp$type, cutoff = tp$cutoff))
  }
  xv <- x@x
  er <- lq_pow2(reference, reference_total)
  if (er != 0) {
    reference <- times_pow2(reference, er)
    if (!is.null(reference_total)) reference_total <- times_pow2(reference_total, er)
  }
  # O(nnz) memory: with many empty rows (and no row totals given, which
  # would be as long as the rows), the rows that hold values are renumbered
  # 0..k-1; empty rows have no entries, so the result is the same
  ri <- x@i
  if (is.null(total) && as.double(d[1L]) > 2 * length(ri) + 1e5) {
    u <- sort.int(unique(ri))
    if (length(u) && (u[1L] < 0L || u[length(u)] >= d[1L])) check_dgc(x)
    ri <- match(ri, u) - 1L
    d <- c(length(u), d[2L])
  }
  # as lq_dense_call(): values whose sums could leave the double range come
  # back as status "rescale" and are scaled by a power of 2 (with total)
  for (attempt in 1:2) {
    res <- .Call(ffi_lq_sparse, xv, ri, x@p, d, total, reference,
                 reference_total, as.integer(na.rm), tp$type, tp$cutoff,
                 n_threads())
    if (!is.list(res) || res$status != "rescale") break
    ex <- lq_pow2_hi(res$where, length(xv) + length(total))
    xv <- times_pow2(xv, ex)
    if (!is.null(total)) total <- times_pow2(total, ex)
  }
  if (is.list(res)) {
    if (res$status == "malformed") stop_malformed_dgc(x)
    # (-Inf is reported as negative by C)
    if (res$status %in% c("nan", "infinite") || any(is.infinite(x@x)))
      check_nonfinite(x@x, "x", unit = "non-zero value")
    lq_fail(res)
  }
  # same pattern: share i, p, Dim and Dimnames; drop cached factorisations
  out <- x
  out@x <- res
  if (length(out@factors)) out@factors <- list()
  out
}

# ---- data frames -----------------------------------------------------------
#
# A long panel goes through the long-panel entry (R/panel.R, src/panel.c):
# the keys are planned by panel_keys() (integer, whole-number and factor keys
# read in place by C, other numeric keys sorted there, strings coded here
# once), with one NA rule and one size threshold, and the quotients come
# from one call to C; duplicates are reported by panel_dup_stop().  C keeps
# the totals per (group, region) and (group, industry) and writes each row's
# quotient in the input order.

#' @rdname lq
#' @export
lq.data.frame <- function(x, value = "value", region = "region", industry = "industry",
                          by = NULL,
                          reference = NULL, total = NULL,
                          reference_total = NULL, na.rm = FALSE,
                          type = c("ratio", "binary", "additive", "log",
                                   "standardized"),
                          cutoff = 1, ...) {
  check_dots(...)
  tp <- lq_check_type(type, cutoff)
  na.rm <- check_flag(na.rm, "na.rm")
  cols <- panel_columns(x, value, region, industry, by, defaults = c(
    "value", "region", "industry")[c(missing(value), missing(region), missing(industry))])
  v <- cols$v
  if (anyNA(v) && any(is.nan(v)))
    check_nonfinite(v, "value", sprintf("column \"%s\"", cols$value), unit = "row")
  keys <- panel_keys(x, cols$region, cols$industry, by,
                     na = "column must not contain NA")
  tot <- NULL
  if (!is.null(total)) {
    tot <- numeric_column(x, check_string(total, "total"), "total")
    lq_check_values(tot, "total")
  }
  ref <- lq_panel_reference(reference, x, keys, cols, by, na.rm)
  rtot <- NULL
  if (!is.null(reference_total)) {
    reference_total <- check_string(reference_total, "reference_total")
    rtot <- numeric_column(x, reference_total, "reference_total")
    lq_check_values(rtot, "reference_total")
    if (ref$pow2 != 0) rtot <- times_pow2(rtot, ref$pow2)
  }
  # overflow-safe sums, as lq_dense_call()
  ex <- lq_pow2(v, tot)
  if (ex != 0) {
    v <- times_pow2(v, ex)
    if (!is.null(tot)) tot <- times_pow2(tot, ex)
  }
  res <- lq_panel_call(v, keys, x, cols, by, tot, ref$table, rtot, na.rm, tp)
  x[["lq"]] <- res
  # a data.table copied by `[[<-` needs its column over-allocation restored
  # (a shallow copy), or a later `:=` on the result warns
  if (inherits(x, "data.table") && requireNamespace("data.table", quietly = TRUE))
    x <- data.table::setalloccol(x)
  x
}

# The one call to C; its statuses turned into errors.
lq_panel_call <- function(v, keys, x, cols, by, tot, ref, rtot, na.rm, tp) {
  opts <- c(na_rm = as.integer(na.rm), reference_total_mode = as.integer(!is.null(rtot)))
  res <- .Call(ffi_lq_panel, v, keys$region$v, keys$industry$v, keys$by$v,
               opts, tp$type, tot, ref, rtot, tp$cutoff)
  if (!is.list(res)) return(res)
  if (!is.null(res$na_key)) stop_arg(res$na_key, "column must not contain NA")
  lq_panel_fail(res, v, x, cols, by)
}

lq_panel_fail <- function(res, v, x, cols, by) {
  what <- sprintf("column \"%s\"", cols$value)
  if (res$status == "negative" && any(is.infinite(v)))
    check_nonfinite(v, "value", what, unit = "row")
  switch(res$status,
         negative = stop_arg("value", "column \"", cols$value, "\" must not contain negative values"),
         infinite = check_nonfinite(v, "value", what, unit = "row"),
         duplicate = panel_dup_stop(x, res$where, cols$region, cols$industry, by, cols$value),
         no_reference = stop_arg("reference", "has no value for ",
                                 lq_describe_row(x, res$where, c(by, cols$industry))))
  stop("internal error: unexpected status", call. = FALSE)
}

# `reference` of a long panel as a data frame of industry (and `by`) keys
# and values: a named vector becomes one; the value column is checked
# (numeric, finite, not negative), its industry keys not NA, its `by`
# columns all or none of `by`, one row per key. Shared by the data frame
# and remote methods of lq().
lq_reference_frame <- function(reference, industry, value, by = NULL) {
  if (is.numeric(reference) && is.null(dim(reference)) && !is.factor(reference)) {
    if (is.null(names(reference)) || anyNA(names(reference)))
      stop_arg("reference", "must be a data frame or a numeric vector named by industry")
    reference <- structure(list(names(reference), unname(reference)),
                           names = c(industry, value), class = "data.frame",
                           row.names = .set_row_names(length(reference)))
  }
  if (!is.data.frame(reference))
    stop_arg("reference", "must be a data frame keyed by `industry` (and `by`) ",
             "or a numeric vector named by industry, not ", describe(reference))
  check_column(reference, c(industry, value), "reference", "reference")
  rv <- numeric_column(reference, value, "reference", "reference")
  lq_check_values(rv, "reference")
  if (anyNA(reference[[industry]]))
    stop_arg("reference", "has NA in its industry column")
  ref_by <- intersect(by, names(reference))
  if (length(ref_by) && length(ref_by) != length(by))
    stop_arg("reference", "must have all the `by` columns or none: missing ",
             paste0('"', setdiff(by, ref_by), '"', collapse = ", "))
  keyr <- if (length(ref_by))
    paste(do.call(paste, c(unname(as.list(reference[ref_by])), sep = "\r")),
          reference[[industry]], sep = "\r") else as.character(reference[[industry]])
  if (anyDuplicated(keyr))
    stop_arg("reference", "has more than one row for ",
             lq_describe_row(reference, anyDuplicated(keyr), c(ref_by, industry)))
  list(frame = reference, values = rv, by = ref_by)
}

# The reference as the kernel takes it: list(industry, by, value) with its
# keys in the terms of the panel's keys (see lq_ref_key()), the values
# scaled by 2^pow2 when their sum could overflow.
lq_panel_reference <- function(reference, x, keys, cols, by, na.rm) {
  if (is.null(reference)) return(list(table = NULL, pow2 = 0))
  value <- cols$value
  industry <- cols$industry
  ref <- lq_reference_frame(reference, industry, value, by)
  reference <- ref$frame
  rv <- ref$values
  ref_by <- ref$by
  er <- lq_pow2(rv)
  if (er != 0) rv <- times_pow2(rv, er)
  tab <- list(industry = reference[[industry]],
              by = if (length(ref_by)) {
                if (length(by) == 1L) reference[[by]] else reference[by]
              },
              value = as.double(rv))
  tab <- list(industry = lq_ref_key(keys$industry, tab$industry),
              by = if (length(ref_by)) lq_ref_key(keys$by, tab$by), value = tab$value)
  if (is.null(tab$by)) tab["by"] <- list(NULL)
  list(table = tab, pow2 = er)
}

# Values w of a reference key in the terms of the panel key `key`: codes
# into its labels when the key is coded (or a factor), else the values as
# numbers (C finds their offsets; NA or a non-number: not in the panel).
lq_ref_key <- function(key, w) {
  if (is.data.frame(w)) {
    labs <- key$labels
    return(match(do.call(paste, c(lapply(unname(w), as.character), sep = "\r")),
                 do.call(paste, c(lapply(unname(labs), as.character), sep = "\r"))))
  }
  if (is.factor(w)) w <- as.character(w)
  if (!is.null(key$labels)) {
    labs <- key$labels
    if (is.data.frame(labs)) labs <- labs[[1L]]
    if (is.factor(labs) || is.character(w) && !is.character(labs)) {
      return(match(w, as.character(labs)))
    }
    return(match(w, labs))
  }
  if (is.character(w)) w <- suppressWarnings(as.double(w))
  as.double(w)
}

lq_describe_row <- function(x, row, cols) {
  vals <- vapply(cols, function(cl) format(x[[cl]][row]), "")
  paste0(cols, " = ", vals, collapse = ", ")
}
