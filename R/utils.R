# Checks shared by every user-facing function. Each raises an error that
# names the argument and says what was wrong with it.

stop_arg <- function(arg, ...) {
  stop(sprintf("`%s` %s", arg, paste0(...)), call. = FALSE)
}

# An argument renamed this release: its value, with a warning that names the
# new argument (an error when both names are given).
renamed_arg <- function(value, old, new, new_given, fun) {
  if (new_given)
    stop_arg(old, "is the former name of `", new, "`; give only `", new, "`")
  warning(sprintf("`%s` of %s() is deprecated; use `%s` instead", old, fun, new),
          call. = FALSE)
  value
}

# A plain description of what an object is, for error messages: its class
# when it has one ("a Date vector of length 2", "an lm fit"), its type
# otherwise.
describe <- function(x) {
  if (is.null(x)) return("NULL")
  if (is.factor(x)) return(sprintf("a factor of length %.0f", as.numeric(length(x))))
  if (is.data.frame(x))
    return(sprintf("a data frame (%.0f x %.0f)", as.numeric(nrow(x)), as.numeric(ncol(x))))
  if (is.function(x)) return("a function")
  if (is.environment(x)) return("an environment")
  cls <- oldClass(x)
  if (is.matrix(x) && (is.null(cls) || identical(cls, c("matrix", "array"))))
    return(sprintf("%s %s matrix (%.0f x %.0f)",
                   if (typeof(x) == "integer") "an" else "a", typeof(x),
                   as.numeric(nrow(x)), as.numeric(ncol(x))))
  if (inherits(x, "lm"))
    return(sprintf("%s %s fit", if (inherits(x, "glm")) "a" else "an", cls[1L]))
  if (!is.null(cls)) {
    cl <- cls[1L]
    art <- if (grepl("^[aeiouAEIOU]", cl)) "an" else "a"
    if (is.atomic(x) && !is.null(dim(x)))
      return(sprintf("%s %s (%s, %s)", art, cl, typeof(x), paste(dim(x), collapse = " x ")))
    if (is.atomic(x))
      return(sprintf("%s %s vector of length %.0f", art, cl, as.numeric(length(x))))
    return(sprintf("%s %s object", art, cl))
  }
  if (is.list(x)) return(sprintf("a list of length %.0f", as.numeric(length(x))))
  sprintf("%s %s vector of length %.0f", if (typeof(x) == "integer") "an" else "a",
          typeof(x), as.numeric(length(x)))
}

# The policy for non-finite numbers, shared by every function (documented in
# ?gvcluster-missing): NA is missing and handled as each function's `na.rm`
# or `na.action` says; NaN, Inf and -Inf are an error naming the argument and
# the first offending element (row, or row and column).
check_nonfinite <- function(x, arg, what = NULL, unit = NULL) {
  if (!is.double(x)) return(invisible(x))
  # fast path, one pass and no allocation: R sums doubles in long double, so
  # the sum of finite values is finite and any NA, NaN or Inf makes it not
  if (is.finite(sum(x))) return(invisible(x))
  bad <- is.infinite(x) | is.nan(x)
  if (!any(bad)) return(invisible(x))
  k <- which(bad)[1L]
  pos <- if (!is.null(dim(x)) && length(dim(x)) == 2L) {
    rn <- rownames(x); cn <- colnames(x)
    r <- (k - 1L) %% nrow(x) + 1L; cc <- (k - 1L) %/% nrow(x) + 1L
    sprintf("[%s, %s]", if (is.null(rn)) r else paste0('"', rn[r], '"'),
            if (is.null(cn)) cc else paste0('"', cn[cc], '"'))
  } else if (!is.null(unit)) {
    sprintf("%s %.0f", unit, as.numeric(k))
  } else if (!is.null(names(x)) && nzchar(names(x)[k])) {
    sprintf("[%.0f] (\"%s\")", as.numeric(k), names(x)[k])
  } else sprintf("[%.0f]", as.numeric(k))
  stop_arg(arg, if (is.null(what)) "" else paste0(what, " "),
           "must not contain infinite values or NaN (", sum(bad), " found; the first, ",
           format(x[k]), ", at ", pos, "); see ?`gvcluster-missing`")
}

# A Matrix::dgCMatrix whose slots are consistent (Matrix's own validity
# method, O(nnz)): an `x` slot of doubles as long as `i`, `p` starting at 0
# and non-decreasing, row indices in range, sorted and unique within each
# column. A malformed one is an error naming the slot.
check_dgc <- function(x, arg = "x") {
  msg <- methods::validObject(x, test = TRUE)
  if (!isTRUE(msg))
    stop_arg(arg, "is a malformed dgCMatrix: ", paste(sub("^invalid class .*object: ", "", msg),
                                                      collapse = "; "),
             "; rebuild it with Matrix::sparseMatrix()")
  invisible(x)
}

# The O(1) part of check_dgc(): the slots' types and lengths and the
# Dimnames. The C pass over the entries checks p and the row indices (range,
# order) and returns status "malformed" (lq) or `malformed` (the indices),
# for which check_dgc() words the error: no O(nnz) pass in R before C's.
check_dgc_quick <- function(x, arg = "x") {
  d <- x@Dim
  dn <- x@Dimnames
  ok_dn <- function(v, n) is.null(v) || (is.character(v) && length(v) == n)
  if (!is.double(x@x) || !is.integer(x@i) || !is.integer(x@p) || !is.integer(d) ||
      length(d) != 2L || anyNA(d) || any(d < 0L) || length(x@i) != length(x@x) ||
      length(x@p) != d[2L] + 1 || !is.list(dn) || length(dn) != 2L ||
      !ok_dn(dn[[1L]], d[1L]) || !ok_dn(dn[[2L]], d[2L]))
    check_dgc(x, arg)
  invisible(x)
}

# What C's pass found malformed, worded by check_dgc().
stop_malformed_dgc <- function(x, arg = "x") {
  check_dgc(x, arg)
  stop("internal error: the dgCMatrix `", arg, "` passed Matrix's validity",
       " check but not gvcluster's", call. = FALSE)
}

# Exact scaling by powers of two, for sums that would overflow or underflow:
# pow2_exponent(m) is the e with m * 2^e in [0.5, 1) (0 for m == 0 or not
# finite), times_pow2(v, e) is v * 2^e without forming 2^e (which itself
# overflows for |e| > 1023).
pow2_exponent <- function(m) {
  e <- -(floor(log2(m)) + 1)
  e[!is.finite(e) | m == 0] <- 0
  e
}
times_pow2 <- function(v, e) {
  h <- trunc(e / 2)
  v * 2^h * 2^(e - h)
}

# Numeric (integer, double or logical-free) vector or matrix, returned as double.
check_numeric <- function(x, arg, allow_na = TRUE, finite = FALSE) {
  if (!(is.numeric(x) && !is.factor(x)))
    stop_arg(arg, "must be numeric, not ", describe(x))
  # one pass for the common case: a finite (long double) sum of doubles
  # means no NA, NaN or infinite value, so anyNA() need not pass again
  if (finite && is.double(x) && is.finite(sum(x))) return(x)
  if (finite) check_nonfinite(x, arg)
  if (!allow_na && anyNA(x))
    stop_arg(arg, "must not contain NA")
  if (!is.double(x)) storage.mode(x) <- "double"
  x
}

check_nonnegative <- function(x, arg) {
  if (!length(x) || !(suppressWarnings(min(x, na.rm = TRUE)) < 0))
    return(invisible(x))           # one pass without allocation
  if (any(x < 0, na.rm = TRUE))
    stop_arg(arg, "must not contain negative values (",
             sum(x < 0, na.rm = TRUE), " found)")
  invisible(x)
}

check_flag <- function(x, arg) {
  if (!is.logical(x) || length(x) != 1L || is.na(x))
    stop_arg(arg, "must be TRUE or FALSE")
  x
}

check_count <- function(x, arg, min = 1, max = .Machine$integer.max) {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x != round(x) || x < min)
    stop_arg(arg, "must be a single whole number >= ", min)
  if (x > max)
    stop_arg(arg, "must be at most ", format(max, big.mark = ","), ", not ", format(x))
  if (x > .Machine$integer.max) NA_integer_ else as.integer(x)
}

# A confidence level: one number strictly between 0 and 1.
check_level <- function(x, arg = "level") {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x <= 0 || x >= 1)
    stop_arg(arg, "must be a single number between 0 and 1 (exclusive), not ",
             if (length(x) == 1L && (is.numeric(x) || is.na(x))) format(x) else describe(x))
  as.double(x)
}

check_string <- function(x, arg) {
  if (!is.character(x) || length(x) != 1L || is.na(x) || !nzchar(x))
    stop_arg(arg, "must be a single non-empty string")
  x
}

# A choice argument: one or more of `choices`, duplicates dropped.
check_choices <- function(x, choices, arg) {
  quoted <- paste0('"', choices, '"', collapse = ", ")
  if (!is.character(x) || !length(x) || anyNA(x))
    stop_arg(arg, "must name one or more of ", quoted)
  bad <- setdiff(x, choices)
  if (length(bad))
    stop_arg(arg, "has unknown ", arg, " ", paste0('"', bad, '"', collapse = ", "),
             "; choose from ", quoted)
  unique(x)
}

# No arguments beyond the named ones (those after `...` must be named).
check_dots <- function(...) {
  if (...length()) {
    nm <- names(list(...))
    nm <- if (is.null(nm)) rep("", ...length()) else nm
    shown <- ifelse(nzchar(nm), nm,
                    sprintf("an unnamed argument in position %d after `...`", seq_along(nm)))
    stop_arg("...", "must be empty; unknown argument(s): ", paste(shown, collapse = ", "),
             if (!all(nzchar(nm))) "; the arguments after `...` must be given by name")
  }
}

# A column name (or several) of a data frame `data`.
check_column <- function(data, name, arg, data_arg = "x") {
  if (!is.character(name) || anyNA(name) || length(name) < 1L)
    stop_arg(arg, "must name column(s) of `", data_arg, "`")
  miss <- setdiff(name, names(data))
  if (length(miss))
    stop_arg(arg, "names column(s) not in `", data_arg, "`: ",
             paste0('"', miss, '"', collapse = ", "))
  name
}

# A numeric column of a data frame, returned as double.
numeric_column <- function(data, name, arg, data_arg = "x") {
  check_column(data, name, arg, data_arg)
  if (length(name) != 1L) stop_arg(arg, "must name exactly one column")
  v <- data[[name]]
  if (!is.numeric(v) || is.factor(v))
    stop_arg(arg, "must name a numeric column of `", data_arg, "`; \"",
             name, "\" is ", describe(v))
  as.double(v)
}

# Threads for the C code's parallel parts: option gvcluster.threads (default
# 2, the most CRAN allows by default); the C side never uses more than the
# machine's processors.
n_threads <- function() {
  th <- getOption("gvcluster.threads", 2L)
  if (!is.numeric(th) || length(th) != 1L || is.na(th) || th < 1 || th != round(th))
    stop_arg("options(gvcluster.threads)", "must be a single whole number >= 1")
  as.integer(min(th, 1024L))
}

# The end of every duplicate-row message of the panel measures: the rows of
# `x` whose key columns equal `keys` (a named list: column = value) are
# duplicates; when they differ in another column (a year, say), that column
# is what `by` should name; otherwise they are to be aggregated.
dup_hint <- function(x, keys, skip = character(), by_arg = "by") {
  same <- rep(TRUE, nrow(x))
  for (cl in names(keys))
    same <- same & !is.na(x[[cl]]) & as.character(x[[cl]]) == as.character(keys[[cl]])
  others <- setdiff(names(x), c(names(keys), skip))
  # a grouping column: it takes several values among the duplicates, and is
  # not numeric or is whole numbers repeated across the data (a year, a
  # quarter), not another measure
  differ <- others[vapply(others, function(cl) {
    v <- x[[cl]][same]
    if (length(unique(v)) < 2L) return(FALSE)
    if (!is.numeric(v) || is.factor(v)) return(TRUE)
    all(v == round(v), na.rm = TRUE) &&
      length(unique(x[[cl]])) <= max(2, nrow(x) / 2)
  }, logical(1))]
  if (length(differ))
    sprintf("; these rows differ in %s: to compute each %s separately pass `%s = \"%s\"`, or aggregate them first",
            paste0("\"", differ, "\"", collapse = ", "), differ[1L], by_arg, differ[1L])
  else "; aggregate them first"
}
