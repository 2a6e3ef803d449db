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

# A plain description of what an object is, for error messages.
describe <- function(x) {
  if (is.null(x)) return("NULL")
  if (is.factor(x)) return("a factor")
  if (is.data.frame(x)) return("a data frame")
  if (is.matrix(x)) return(sprintf("a %s matrix", typeof(x)))
  sprintf("%s of length %.0f", typeof(x), as.numeric(length(x)))
}

# Numeric (integer, double or logical-free) vector or matrix, returned as double.
check_numeric <- function(x, arg, allow_na = TRUE, finite = FALSE) {
  if (!(is.numeric(x) && !is.factor(x)))
    stop_arg(arg, "must be numeric, not ", describe(x))
  if (!allow_na && anyNA(x))
    stop_arg(arg, "must not contain NA")
  if (finite && any(is.infinite(x)))
    stop_arg(arg, "must not contain infinite values")
  if (!is.double(x)) storage.mode(x) <- "double"
  x
}

check_nonnegative <- function(x, arg) {
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

check_count <- function(x, arg, min = 1) {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x != round(x) || x < min)
    stop_arg(arg, "must be a single whole number >= ", min)
  as.integer(x)
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

# No arguments beyond the named ones.
check_dots <- function(...) {
  if (...length()) {
    nm <- names(list(...))
    nm <- if (is.null(nm)) rep("", ...length()) else nm
    nm[!nzchar(nm)] <- "(unnamed)"
    stop_arg("...", "must be empty; unknown argument(s): ",
             paste(nm, collapse = ", "))
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
