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
#'   names and `total` to the row names. Same dim and dimnames out.
#' * **dgCMatrix**: as for a matrix, in time and memory O(nnz): the result
#'   is a `dgCMatrix` with the same pattern, holding the LQ of every stored
#'   entry. Structural zeros stay zero even in a row or column whose total
#'   is zero or `NA` (where the dense method gives `NA`), so the two agree
#'   wherever the totals are usable. `type = "binary"` keeps the pattern too
#'   (explicit zeros where LQ < `cutoff`); `"additive"`, `"log"` and
#'   `"standardized"` are not zero at a zero cell, so they return a dense
#'   matrix computed as for `as.matrix(x)`. Other `Matrix` classes are
#'   converted to `dgCMatrix` (sparse) or a base matrix (dense) first.
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
  if (!is.finite(hi) || hi <= 0) return(0)
  cnt <- length(v) + length(w)
  if (hi * cnt < 2^1000 && hi > 2^-900) return(0)
  pow2_exponent(hi) - ceiling(log2(cnt))
}

lq_dense_call <- function(x, nr, nc, total, reference, reference_total,
                          na.rm, tp) {
  if (anyNA(x) && any(is.nan(x))) check_nonfinite(x, "x")
  ex <- lq_pow2(x, total)
  if (ex != 0) {
    x <- times_pow2(x, ex)
    if (!is.null(total)) total <- times_pow2(total, ex)
  }
  er <- lq_pow2(reference, reference_total)
  if (er != 0) {
    reference <- times_pow2(reference, er)
    if (!is.null(reference_total)) reference_total <- times_pow2(reference_total, er)
  }
  res <- .Call(ffi_lq_dense, x, c(as.double(nr), as.double(nc)), total,
               reference, reference_total, as.integer(na.rm), tp$type,
               tp$cutoff)
  if (is.list(res)) {
    if (res$status == "infinite" || any(is.infinite(x))) check_nonfinite(x, "x")
    lq_fail(res)
  }
  res
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
  check_dgc(x)
  tp <- lq_check_type(type, cutoff)
  na.rm <- check_flag(na.rm, "na.rm")
  d <- x@Dim
  dn <- x@Dimnames
  reference <- lq_check_margin(reference, "reference", d[2L], dn[[2L]],
                               "columns")
  total <- lq_check_margin(total, "total", d[1L], dn[[1L]], "rows")
  reference_total <- lq_check_scalar_total(reference_total, "reference_total")
  if (!tp$type %in% c("ratio", "binary")) {
    # not zero at zero cells: the result is dense anyway
    return(lq.matrix(as.matrix(x), reference = reference, total = total,
                     reference_total = reference_total, na.rm = na.rm,
                     type = tp$type, cutoff = tp$cutoff))
  }
  xv <- x@x
  check_nonfinite(xv, "x", unit = "non-zero value")
  ex <- lq_pow2(xv, total)
  if (ex != 0) {
    xv <- times_pow2(xv, ex)
    if (!is.null(total)) total <- times_pow2(total, ex)
  }
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
    ri <- match(ri, u) - 1L
    d <- c(length(u), d[2L])
  }
  res <- .Call(ffi_lq_sparse, xv, ri, x@p, d, total, reference,
               reference_total, as.integer(na.rm), tp$type, tp$cutoff)
  if (is.list(res)) {
    if (any(is.infinite(xv))) check_nonfinite(xv, "x", unit = "non-zero value")
    lq_fail(res)
  }
  # same pattern: share i, p, Dim and Dimnames; drop cached factorisations
  out <- x
  out@x <- res
  if (length(out@factors)) out@factors <- list()
  out
}

# ---- data frames -----------------------------------------------------------

# Integer codes for a key column, with a lookup for other values. "range":
# an integer column whose codes are the values themselves (offset min);
# "factor": the factor codes; "match": match() against the unique values.
lq_encode <- function(v, arg, n) {
  if (is.factor(v)) {
    if (anyNA(v)) stop_arg(arg, "column must not contain NA")
    return(list(code = v, off = 1L, n = max(nlevels(v), 1L), kind = "factor",
                levels = levels(v)))
  }
  if (is.list(v) || !is.null(dim(v)))
    stop_arg(arg, "must name an atomic column of `x`")
  if (is.logical(v)) v <- as.integer(v)
  if (is.integer(v)) {
    # min() and max() rather than range(), which copies its argument
    rng <- if (length(v)) c(min(v), max(v)) else c(1L, 1L)
    if (anyNA(rng)) stop_arg(arg, "column must not contain NA")
    span <- as.double(rng[2L]) - rng[1L] + 1
    if (span <= max(1e5, n))
      return(list(code = v, off = rng[1L], n = as.integer(span), kind = "range"))
  }
  if (anyNA(v)) stop_arg(arg, "column must not contain NA")
  u <- unique(v)
  list(code = match(v, u), off = 1L, n = max(length(u), 1L), kind = "match",
       levels = u)
}

# 1-based codes of values w of a key (NA where absent).
lq_lookup <- function(enc, w) {
  switch(enc$kind,
         factor = match(as.character(w), enc$levels),
         range = {
           if (is.factor(w)) w <- as.character(w)
           wi <- suppressWarnings(as.double(w))
           k <- wi - enc$off + 1
           k[is.na(k) | k < 1 | k > enc$n | k != round(k)] <- NA
           as.integer(k)
         },
         match = {
           if (is.factor(w)) w <- as.character(w)
           match(w, enc$levels)
         })
}

# One group code from several `by` columns.
lq_group <- function(x, by, n) {
  encs <- lapply(by, function(b) lq_encode(x[[b]], "by", n))
  if (length(encs) == 1L) return(list(encs = encs, enc = encs[[1L]]))
  key <- rep(0, n)
  mult <- 1
  for (e in encs) {
    key <- key + (as.integer(e$code) - e$off) * mult
    mult <- mult * e$n
  }
  u <- unique(key)
  list(encs = encs, mult = TRUE,
       enc = list(code = match(key, u), off = 1L, n = max(length(u), 1L),
                  kind = "match", levels = u))
}

lq_group_lookup <- function(grp, ref, by) {
  if (length(grp$encs) == 1L) return(lq_lookup(grp$enc, ref[[by]]))
  key <- rep(0, nrow(ref))
  mult <- 1
  for (k in seq_along(grp$encs)) {
    e <- grp$encs[[k]]
    key <- key + (lq_lookup(e, ref[[by[k]]]) - 1) * mult
    mult <- mult * e$n
  }
  match(key, grp$enc$levels)
}

lq_describe_row <- function(x, row, cols) {
  vals <- vapply(cols, function(cl) format(x[[cl]][row]), "")
  paste0(cols, " = ", vals, collapse = ", ")
}

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
  # the defaults name columns "value", "region" and "industry"; without such
  # a column the argument is required
  if (missing(value) && !"value" %in% names(x))
    stop_arg("value", "is required: the column of values (`x` has no column \"value\")")
  if (missing(region) && !"region" %in% names(x))
    stop_arg("region", "is required: the region column (`x` has no column \"region\")")
  if (missing(industry) && !"industry" %in% names(x))
    stop_arg("industry", "is required: the industry column (`x` has no column \"industry\")")
  value <- check_string(value, "value")
  region <- check_string(region, "region")
  industry <- check_string(industry, "industry")
  n <- nrow(x)
  v <- numeric_column(x, value, "value")
  if (anyNA(v) && any(is.nan(v)))
    check_nonfinite(v, "value", sprintf("column \"%s\"", value), unit = "row")
  check_column(x, region, "region")
  check_column(x, industry, "industry")
  if (!is.null(by)) {
    check_column(x, by, "by")
    if (anyDuplicated(by) || any(by %in% c(region, industry)))
      stop_arg("by", "must name distinct columns other than `region` and `industry`")
  }
  renc <- lq_encode(x[[region]], "region", n)
  ienc <- lq_encode(x[[industry]], "industry", n)
  grp <- if (is.null(by)) NULL else lq_group(x, by, n)
  genc <- grp$enc
  ng <- if (is.null(genc)) 1 else genc$n
  # When groups x regions (or x industries, without a reference) would make
  # many more total cells than there are rows, code the (group, region)
  # pairs that occur instead, so the work arrays stay O(rows).
  rcomb <- !is.null(genc) && as.double(ng) * renc$n > max(1e6, n)
  if (rcomb) renc <- lq_combine(genc, renc)
  icomb <- is.null(reference) && !is.null(genc) &&
    as.double(ng) * ienc$n > max(1e6, n)
  if (icomb) ienc <- lq_combine(genc, ienc)
  nrc <- if (rcomb) renc$n else as.double(ng) * renc$n

  # duplicates: in C with a bitmap of the cells when it is small enough
  checkdup <- nrc * ienc$n <= max(2^27, 8 * n)
  if (!checkdup) {
    key <- (as.double(as.integer(renc$code) - renc$off) * ienc$n +
              (as.integer(ienc$code) - ienc$off))
    if (!is.null(genc) && !rcomb)
      key <- key + as.double(as.integer(genc$code) - genc$off) * renc$n * ienc$n
    d <- anyDuplicated(key)
    if (d) lq_dup_error(x, d, region, industry, by, value)
  }

  tot <- NULL
  if (!is.null(total)) {
    total <- check_string(total, "total")
    tot <- numeric_column(x, total, "total")
    lq_check_values(tot, "total")
  }

  refmat <- NULL
  refhave <- NULL
  er <- 0
  rtmode <- 0L
  rtot <- NULL
  if (!is.null(reference)) {
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
    er <- lq_pow2(rv)
    if (er != 0) rv <- times_pow2(rv, er)
    if (anyNA(reference[[industry]]))
      stop_arg("reference", "has NA in its industry column")
    ref_by <- intersect(by, names(reference))
    if (length(ref_by) && length(ref_by) != length(by))
      stop_arg("reference", "must have all the `by` columns or none: missing ",
               paste0('"', setdiff(by, ref_by), '"', collapse = ", "))
    ii <- lq_lookup(ienc, reference[[industry]])
    nind <- ienc$n
    if (length(ref_by)) {
      gg <- lq_group_lookup(grp, reference, by)
      keyr <- paste(do.call(paste, c(unname(as.list(reference[by])), sep = "\r")),
                    reference[[industry]], sep = "\r")
    } else {
      gg <- rep(1L, nrow(reference))
      keyr <- as.character(reference[[industry]])
    }
    if (anyDuplicated(keyr))
      stop_arg("reference", "has more than one row for ",
               lq_describe_row(reference, anyDuplicated(keyr), c(ref_by, industry)))
    refmat <- rep(NA_real_, ng * nind)
    refhave <- integer(ng * nind)
    # groups of the reference table: each group of x gets the sum of its rows
    if (length(ref_by)) {
      ok <- !is.na(ii) & !is.na(gg)
      cell <- (gg[ok] - 1) * nind + ii[ok]
      refmat[cell] <- rv[ok]
      refhave[cell] <- 1L
      okg <- !is.na(gg)
      rs <- rowsum(rv[okg], gg[okg], na.rm = na.rm)
      rtg <- numeric(ng)
      rtg[as.integer(rownames(rs))] <- rs[, 1L]
    } else {
      ok <- !is.na(ii)
      for (g in seq_len(ng)) {
        cell <- (g - 1) * nind + ii[ok]
        refmat[cell] <- rv[ok]
        refhave[cell] <- 1L
      }
      rtg <- rep(sum(rv, na.rm = na.rm), ng)
    }
    rtmode <- 1L
    rtot <- as.double(rtg)
  }
  if (!is.null(reference_total)) {
    reference_total <- check_string(reference_total, "reference_total")
    rtot <- numeric_column(x, reference_total, "reference_total")
    lq_check_values(rtot, "reference_total")
    if (er != 0) rtot <- times_pow2(rtot, er)
    rtmode <- 2L
  }

  # overflow-safe sums, as lq_dense_call()
  ex <- lq_pow2(v, tot)
  if (ex != 0) {
    v <- times_pow2(v, ex)
    if (!is.null(tot)) tot <- times_pow2(tot, ex)
  }
  opts <- c(region_offset = renc$off, n_region = renc$n,
            industry_offset = ienc$off, n_industry = ienc$n,
            group_offset = if (is.null(genc)) 1L else genc$off,
            n_group = if (is.null(genc)) 1L else genc$n,
            na_rm = na.rm, reference_total_mode = rtmode, check_duplicates = checkdup,
            region_combined = rcomb, industry_combined = icomb)
  opts <- vapply(opts, as.integer, 0L)
  res <- .Call(ffi_lq_panel, v, as_int_codes(renc$code), as_int_codes(ienc$code),
               if (is.null(genc)) NULL else as_int_codes(genc$code), opts, tp$type,
               tot, refmat, refhave, rtot, tp$cutoff)
  if (is.list(res)) {
    row <- res$where
    if (res$status == "negative" && any(is.infinite(v)))
      check_nonfinite(v, "value", sprintf("column \"%s\"", value), unit = "row")
    switch(res$status,
           negative = stop_arg("value", "column \"", value, "\" must not contain negative values"),
           infinite = check_nonfinite(v, "value", sprintf("column \"%s\"", value), unit = "row"),
           duplicate = lq_dup_error(x, row, region, industry, by, value),
           no_reference = stop_arg("reference", "has no value for ",
                                   lq_describe_row(x, row, c(by, industry))))
    stop("internal error: unexpected status", call. = FALSE)
  }
  x[["lq"]] <- res
  # a data.table copied by `[[<-` needs its column over-allocation restored
  # (a shallow copy), or a later `:=` on the result warns
  if (inherits(x, "data.table") && requireNamespace("data.table", quietly = TRUE))
    x <- data.table::setalloccol(x)
  x
}

# Codes of the (group, key) pairs that occur.
lq_combine <- function(genc, enc) {
  key <- as.double(as.integer(genc$code) - genc$off) * enc$n +
    (as.integer(enc$code) - enc$off)
  u <- unique(key)
  list(code = match(key, u), off = 1L, n = max(length(u), 1L), kind = "combined")
}

as_int_codes <- function(code) {
  if (is.integer(code)) code else as.integer(code)
}

lq_dup_error <- function(x, row, region, industry, by, value = NULL) {
  cols <- c(by, region, industry)
  keys <- stats::setNames(lapply(cols, function(cl) x[[cl]][row]), cols)
  stop_arg("x", "has more than one row for ",
           lq_describe_row(x, row, cols),
           " (row ", row, "); each region x industry may appear once",
           if (length(by)) " per `by` group", dup_hint(x, keys, skip = value))
}
