# Input handling shared by lq(), specialization(), concentration(),
# ellison_glaeser(), maurel_sedillot() and shift_share(): the long-panel
# entry.
#
# Every input becomes a "stack": one or more region x industry matrices (one
# per `by` group) that the C kernels read column by column.  A dense matrix
# is passed as it is; a dgCMatrix passes its slots (never densified); a long
# data frame is sorted into one sparse matrix per group by a counting sort in
# C (panel_stack), so cells missing from a group are zeros.
#
# The keys of a long panel are planned here, before the one call to C
# (panel_keys()): a factor goes as its codes, a plain integer or double key
# as it is (C reads it in place, or sorts it when its range is too long to
# count over), any other key (strings, dates, logicals) is coded 1..k here,
# once.  C never asks R to code a key.

# Integer codes 1..k of a key column and its labels (sorted unique values, or
# the levels of a factor that occur): for the measures whose C code takes
# every key coded (agglomeration, cluster mapping).
panel_codes <- function(v, arg, na = "must not contain NA") {
  if (anyNA(v)) stop_arg(arg, na)
  if (is.factor(v)) {
    # levels that occur, via a lookup table (droplevels() re-matches strings)
    used <- tabulate(v, nlevels(v)) > 0L
    lut <- cumsum(used)
    return(list(code = lut[as.integer(v)], labels = levels(v)[used]))
  }
  if (!is.atomic(v) || is.null(v))
    stop_arg(arg, "must name an atomic column, not ", describe(v))
  if (is.numeric(v) && is.null(attributes(v))) {
    # whole-number keys with a modest range: counting in C instead of
    # sort + match
    wc <- .Call(ffi_whole_codes, v, n_threads())
    if (!is.null(wc)) {
      labels <- if (is.integer(v)) as.integer(wc$labels) else wc$labels
      return(list(code = wc$code, labels = labels))
    }
  }
  u <- sort(unique(v))
  list(code = match(v, u), labels = u)
}

# Group codes from one or more `by` columns, each coded once (labels: a data
# frame with one column per `by` column).
panel_groups <- function(x, by, n, na = "must not contain NA", by_arg = "by") {
  if (is.null(by)) return(list(code = rep.int(1L, n), labels = NULL, ng = 1L))
  labs <- list()
  if (length(by) == 1L) {
    cb <- panel_codes(x[[by]], by_arg, na)
    labs[[by]] <- cb$labels
    return(list(code = cb$code, ng = length(cb$labels),
                labels = as.data.frame(labs, stringsAsFactors = FALSE, optional = TRUE)))
  }
  code <- 1
  radix <- 1
  for (b in by) {
    cb <- panel_codes(x[[b]], by_arg, na)
    labs[[b]] <- cb$labels
    code <- code + (cb$code - 1) * radix
    radix <- radix * length(cb$labels)
  }
  u <- sort(unique(code))
  gcode <- match(code, u)
  # decode the combined code back into one label per `by` column
  rest <- u - 1
  groups <- list()
  for (b in by) {
    k <- length(labs[[b]])
    groups[[b]] <- labs[[b]][rest %% k + 1]
    rest <- rest %/% k
  }
  list(code = gcode, labels = as.data.frame(groups, stringsAsFactors = FALSE,
                                            optional = TRUE),
       ng = length(u))
}

# One key column as C takes it: a factor as its codes (labels its levels), a
# plain integer or double key as it is (labels NULL: C reports the values
# that occur), any other key coded 1..k here.  `na`: the message for an NA
# found here (C reports NAs of the keys it reads).
panel_key <- function(v, arg, na) {
  if (is.factor(v)) return(list(v = v, labels = levels(v)))
  if (is.numeric(v) && is.null(attributes(v))) return(list(v = v, labels = NULL))
  if (!is.atomic(v) || is.null(v))
    stop_arg(arg, "must name an atomic column, not ", describe(v))
  if (anyNA(v)) stop_arg(arg, na)
  u <- sort(unique(v))
  list(v = match(v, u), labels = u)
}

# The keys of a long panel, planned for the one C call: region, industry and
# the `by` key (none; one column, `by` holding its name; or the combined
# code of several columns, each coded once, labels a data frame).
panel_keys <- function(x, region, industry, by, na = "must not contain NA",
                       by_arg = "by") {
  bk <- if (is.null(by)) list(v = NULL) else if (length(by) == 1L) {
    c(panel_key(x[[by]], by_arg, na), list(by = by))
  } else {
    gc <- panel_groups(x, by, nrow(x), na, by_arg)
    list(v = gc$code, labels = gc$labels)
  }
  list(region = panel_key(x[[region]], "region", na),
       industry = panel_key(x[[industry]], "industry", na), by = bk)
}

# The duplicate-row message of a long panel whose repeated row is known
# (lq()): the repeated key values and the later row, and (as the indices'
# message in panel_stack()) a hint to pass `by` when the repeated rows differ in a column such as
# a year (dup_hint()), else to aggregate them.
panel_dup_stop <- function(x, row, region, industry, by, value, arg = "x",
                           by_arg = "by") {
  cols <- c(by, region, industry)
  keys <- stats::setNames(lapply(cols, function(cl) x[[cl]][row]), cols)
  panel_dup_error(x, keys, row, by, value, arg, by_arg)
}

# The one duplicate-row message of the panel measures (lq() and the
# indices): the repeated cell as `column = value` pairs in the order by
# columns, region, industry; the later row when it is known; and the hint
# (dup_hint()) to pass `by` when the repeated rows differ in a column such
# as a year, else to aggregate them.
panel_dup_error <- function(x, keys, row, by, value, arg = "x", by_arg = "by") {
  desc <- paste0(names(keys), " = ", vapply(keys, function(v) format(v), ""),
                 collapse = ", ")
  stop_arg(arg, "has more than one row for ", desc,
           if (!is.null(row)) paste0(" (row ", row, ")"),
           "; each region x industry may appear once",
           if (length(by)) paste0(" per `", by_arg, "` group"),
           dup_hint(x, keys, skip = value, by_arg = by_arg))
}

# Labels of the key values that occur (`used`: the values C saw, in
# increasing order; for coded keys and factors, codes into the labels).
panel_key_labels <- function(key, used) {
  lab <- if (is.null(key$labels)) {
    if (is.integer(key$v)) as.integer(used) else used
  } else if (is.data.frame(key$labels)) {
    out <- key$labels[used, , drop = FALSE]
    rownames(out) <- NULL
    out
  } else key$labels[used]
  if (!is.null(key$by)) {
    lab <- list(lab)
    names(lab) <- key$by
    lab <- as.data.frame(lab, stringsAsFactors = FALSE, optional = TRUE)
  }
  lab
}

# The labels of the values a planned key holds (panel_keys()), in the order
# C reports them, known here before the one call: a reference or weights is
# matched to them by name, or counted against them, before C stacks the
# panel.  A numeric key read in place by C: its distinct values, sorted; a
# factor: the levels that occur; a key coded here: its labels.
panel_used_labels <- function(key) {
  used <- if (is.null(key$labels)) sort(unique(key$v))
          else if (is.factor(key$v)) which(tabulate(key$v, length(key$labels)) > 0L)
          else seq_along(key$labels)
  panel_key_labels(key, used)
}

idx_labels <- function(names, n) if (is.null(names)) seq_len(n) else names

# A long data frame -> stack: the columns checked, the keys planned, one
# call to the counting sort.
panel_stack_frame <- function(x, value, region, industry, by, na.rm, sum_dup,
                              arg, by_arg, check = TRUE) {
  p <- panel_plan(x, value, region, industry, by, na.rm, sum_dup, arg, by_arg,
                  check)
  st <- .Call(ffi_panel, p$keys$region$v, p$keys$industry$v, p$keys$by$v, p$v,
              as.integer(sum_dup), n_threads())
  st <- panel_stack_labels(st, p$keys, p$x, value, region, industry, by, arg, by_arg)
  st$verify <- p$verify
  st
}

# What C takes for a long data frame: the columns checked, the value column
# as double (rows with NA dropped when NAs are removed and duplicates
# summed) and the keys planned (panel_keys()). `verify()` checks the values
# for NaN and infinities; check = FALSE leaves it to the caller, who calls
# it when the kernel found room for them (idx_check_result()).
panel_plan <- function(x, value, region, industry, by, na.rm, sum_dup, arg,
                       by_arg, check = TRUE) {
  v <- panel_columns(x, value, region, industry, by, by_arg, arg)$v
  verify <- function()
    check_nonfinite(v, "value", sprintf("column \"%s\"", value), unit = "row")
  if (check) verify()
  if (na.rm && sum_dup && anyNA(v)) {
    keep <- !is.na(v)
    x <- x[keep, , drop = FALSE]
    v <- v[keep]
  }
  list(x = x, v = v, keys = panel_keys(x, region, industry, by, by_arg = by_arg),
       verify = verify)
}

# The stack C built from a planned panel (`st`, what ffi_panel returns),
# labelled; its status (an NA key, a duplicate cell) as the error.
panel_stack_labels <- function(st, keys, x, value, region, industry, by, arg,
                               by_arg) {
  if (!is.null(st$na_key))
    stop_arg(if (st$na_key == "by") by_arg else st$na_key, "must not contain NA")
  regions <- panel_key_labels(keys$region, st$regions)
  industries <- panel_key_labels(keys$industry, st$industries)
  groups <- if (is.null(by)) NULL else panel_key_labels(keys$by, st$groups)
  if (!is.na(st$dup[["region"]])) {
    d <- st$dup
    keys <- list()
    if (!is.null(by)) for (cl in by) keys[[cl]] <- groups[d[["group"]], cl]
    keys[[region]] <- regions[d[["region"]]]
    keys[[industry]] <- industries[d[["industry"]]]
    panel_dup_error(x, keys, NULL, by, value, arg, by_arg)
  }
  dims <- c(length(regions), length(industries), if (is.null(by)) 1L else NROW(groups))
  list(x = st$x, ri = st$ri, cp = st$cp, dims = as.integer(dims),
       regions = regions, industries = industries, groups = groups,
       value_arg = "value")
}

# x: matrix, dgCMatrix or data frame -> stack (list) for the C kernels; its
# `verify()` checks the values for NaN and infinities, which check = FALSE
# leaves to the caller (see panel_plan()).
panel_stack <- function(x, value, region, industry, by, na.rm, sum_dup = FALSE,
                        arg = "x", by_arg = "by", check = TRUE) {
  if (is.data.frame(x))
    return(panel_stack_frame(x, value, region, industry, by, na.rm, sum_dup,
                             arg, by_arg, check))
  if (!is.null(by))
    stop_arg("by", "applies only to a long data frame `", arg, "`")
  if (methods::is(x, "dgCMatrix")) {
    # the slots: in O(1) here, then in C's first pass (idx_check_result())
    if (check) check_dgc(x, arg) else check_dgc_quick(x, arg)
    verify <- function() check_nonfinite(x@x, arg, unit = "non-zero value")
    if (check) verify()
    d <- x@Dim
    # the kernels keep a few doubles per region and per industry (up to 80
    # bytes each): refuse clearly what no machine of today can allocate
    need <- 80 * (as.double(d[1L]) + d[2L])
    if (need > 2^34)
      stop_arg(arg, sprintf(paste0(
        "has %.0f rows and %.0f columns: the indices need memory in proportion to them",
        " (about %.0f GB here), however few the non-zero cells (%.0f); drop the empty",
        " rows and columns first, e.g. x[Matrix::rowSums(x != 0) > 0, ]"),
        as.double(d[1L]), as.double(d[2L]), need / 2^30, as.double(length(x@x))))
    dn <- x@Dimnames
    return(list(x = x@x, ri = x@i, cp = x@p, dims = as.integer(c(d, 1L)),
                regions = idx_labels(dn[[1]], d[1]),
                industries = idx_labels(dn[[2]], d[2]), groups = NULL,
                value_arg = arg, verify = verify,
                slots = function() stop_malformed_dgc(x, arg)))
  }
  if (methods::is(x, "Matrix"))
    stop_arg(arg, "is a ", class(x)[1], "; convert it with as(x, \"dgCMatrix\") or as.matrix()")
  if (is.matrix(x)) {
    x <- check_numeric(x, arg)
    verify <- function() check_nonfinite(x, arg)
    if (check) verify()
    dn <- dimnames(x)
    return(list(x = x, ri = NULL, cp = NULL,
                dims = as.integer(c(nrow(x), ncol(x), 1L)),
                regions = idx_labels(dn[[1]], nrow(x)),
                industries = idx_labels(dn[[2]], ncol(x)), groups = NULL,
                value_arg = arg, verify = verify))
  }
  stop_arg(arg, "must be a numeric matrix (regions in rows, industries in ",
           "columns), a Matrix::dgCMatrix or a long data frame, not ", describe(x))
}

# A reference (or weight) vector over `labels` (industries or regions): in
# label order or named by label; non-negative, finite, not all zero.
idx_reference <- function(reference, labels, what, arg = "reference") {
  if (is.null(reference)) return(NULL)
  reference <- check_numeric(reference, arg, allow_na = FALSE, finite = TRUE)
  check_nonnegative(reference, arg)
  if (!is.null(names(reference))) {
    m <- match(as.character(labels), names(reference))
    if (anyNA(m))
      stop_arg(arg, "has no value for ", what, " ",
               paste0('"', utils::head(as.character(labels)[is.na(m)], 3), '"',
                      collapse = ", "))
    reference <- reference[m]
  } else if (length(reference) != length(labels)) {
    stop_arg(arg, "must have one value per ", what, " (",
             length(labels), "), not ", length(reference))
  }
  if (!(sum(reference) > 0)) stop_arg(arg, "must not sum to zero")
  as.double(unname(reference))
}

# Hoover weights: only with index "hoover"; otherwise as a reference vector.
idx_weights <- function(weights, index, labels, what) {
  if (is.null(weights)) return(NULL)
  if (!"hoover" %in% index)
    stop_arg("weights", "applies only to index \"hoover\", which `index` does not ask for")
  idx_reference(weights, labels, what, "weights")
}

# What an index kernel returned (idx_result() in C) checked: a dgCMatrix's
# slots that C found malformed (`slots()` words the error), the values for
# NaN and infinities when pass 1 found room for them (`suspect`; the check
# costs a pass over the data), then for negatives.
idx_check_result <- function(res, verify, arg, slots = NULL) {
  if (isTRUE(res$malformed)) {
    if (is.null(slots)) stop("internal error: malformed stack", call. = FALSE)
    slots()
  }
  if (isTRUE(res$suspect)) verify()
  idx_check_negative(res$negatives, arg)
}

idx_check_negative <- function(neg, arg) {
  if (neg > 0)
    stop_arg(arg, "must not contain negative values (", format(neg), " found)")
}

# Result frame: key column (+ by columns) and the index columns.
idx_frame <- function(key, labels, groups, values, names) {
  n <- length(labels)
  ng <- if (is.null(groups)) 1L else nrow(groups)
  out <- list()
  out[[key]] <- rep(labels, times = ng)
  if (!is.null(groups))
    for (b in names(groups)) out[[b]] <- rep(groups[[b]], each = n)
  for (k in seq_along(names)) out[[names[k]]] <- values[, k]
  out <- as.data.frame(out, stringsAsFactors = FALSE, optional = TRUE)
  rownames(out) <- NULL
  out
}

# The key columns of a panel are distinct: `industry` is not `region`,
# `value` is neither, and the `by` (or `time`) columns are none of region,
# industry and value, nor one named twice. One wording for the data frame
# and the remote methods.
check_distinct_keys <- function(region, industry, value, by, by_arg) {
  if (region == industry)
    stop_arg("industry", "names the same column as `region` (\"", region, "\")")
  if (value %in% c(region, industry))
    stop_arg("value", "names the column \"", value, "\", which is already `",
             if (value == region) "region" else "industry", "`")
  same <- intersect(by, c(region, industry, value))
  if (length(same))
    stop_arg(by_arg, "names the column \"", same[1L], "\", which is already `",
             c("region", "industry", "value")[match(same[1L], c(region, industry, value))],
             "`: `", by_arg, "` must be another column (",
             if (by_arg == "by") "groups computed separately, such as a year" else
               "the period", ")")
  if (anyDuplicated(by))
    stop_arg(by_arg, "names the column \"", by[anyDuplicated(by)], "\" twice")
  invisible(TRUE)
}

# The one column checker of the long-panel entries (lq(), the indices,
# agglomeration, relatedness and clusters): value, region and industry
# single strings naming columns of `x` (`arg`), the `by` columns too, all
# the value column numeric, all distinct (check_distinct_keys()).  `defaults`:
# the column arguments left at their defaults ("value", "region",
# "industry"), each then required by name when `x` has no such column.
# Returns the names and the values as double.
panel_columns <- function(x, value, region, industry, by = NULL, by_arg = "by",
                          arg = "x", defaults = character()) {
  what <- c(value = "the column of values", region = "the region column",
            industry = "the industry column")
  for (a in defaults)
    if (!a %in% names(x))
      stop_arg(a, "is required: ", what[[a]], " (`", arg, "` has no column \"", a, "\")")
  value <- check_string(value, "value")
  region <- check_string(region, "region")
  industry <- check_string(industry, "industry")
  check_column(x, region, "region", arg)
  check_column(x, industry, "industry", arg)
  if (!is.null(by)) check_column(x, by, by_arg, arg)
  v <- numeric_column(x, value, "value", arg)
  check_distinct_keys(region, industry, value, by, by_arg)
  list(value = value, region = region, industry = industry, v = v)
}
