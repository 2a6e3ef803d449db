#' Ellison-Glaeser and Maurel-Sedillot agglomeration indices
#'
#' Agglomeration of every industry (or co-agglomeration of every pair of
#' industries) from plant-level data: one row per plant with its employment,
#' industry and region. The Herfindahl index of plant sizes is computed from
#' the plants; all industries, pairs and `by` groups in one call.
#'
#' @section Formulas:
#' For industry \eqn{j} with plants \eqn{k} of employment \eqn{e_k} and total
#' \eqn{E_j}, region shares \eqn{s_{ij}} of the industry's employment and
#' \eqn{x_i} of all employment (all plants of the group):
#' \deqn{G_j = \sum_i (s_{ij} - x_i)^2, \quad H_j = \sum_k (e_k / E_j)^2,}
#' \deqn{\gamma^{EG}_j = \frac{G_j - (1 - \sum_i x_i^2) H_j}
#'   {(1 - \sum_i x_i^2)(1 - H_j)}}
#' (Ellison and Glaeser 1997, eq. 5). \eqn{E[G_j] = (1 - \sum_i x_i^2) H_j}
#' is the expected raw concentration when plants locate at random
#' (\eqn{\gamma = 0}). Maurel and Sedillot (1999):
#' \deqn{\gamma^{MS}_j = \frac{(\sum_i s_{ij}^2 - \sum_i x_i^2)/(1 - \sum_i
#'   x_i^2) - H_j}{1 - H_j}.}
#' Both estimate the same \eqn{\gamma} (range about \eqn{(-1, 1]}; 0 when
#' plants locate as at random, negative when they spread more evenly); NA
#' for an industry with a single plant (\eqn{H = 1}).
#'
#' For a pair of industries \eqn{j, l} the co-agglomeration index of Ellison
#' and Glaeser (1997, eq. 15) with two industries reduces exactly to
#' \eqn{\gamma^c_{jl} = \sum_i (s_{ij} - x_i)(s_{il} - x_i) / (1 - \sum_i
#' x_i^2)}, and that of Maurel and Sedillot (1999) to
#' \eqn{(\sum_i s_{ij} s_{il} - \sum_i x_i^2)/(1 - \sum_i x_i^2)}; all pairs
#' come from one matrix product.
#'
#' @section Missing values:
#' Negative employment is an error. With `na.rm = FALSE` a plant with NA
#' employment makes every index of its group NA; `na.rm = TRUE` drops it.
#'
#' @param x a data frame with one row per plant.
#' @param value,region,industry column names of `x`: plant employment,
#'   the plant's region and its industry. Up to version 0.1.0 the order was
#'   `value, industry, region`; in this release a call that gives `region`
#'   or `industry` by position warns that the order changed: name them.
#' @param pairs if `TRUE`, co-agglomeration of every pair of industries
#'   instead of the agglomeration of each industry.
#' @param by optional column name(s) of `x` defining groups (e.g. year).
#' @param na.rm drop plants with NA employment.
#' @param data deprecated: the former name of `x`, still accepted in this
#'   release with a warning.
#' @return Without `pairs`: a data frame with `industry`, the `by` columns,
#'   `plants`, `employment`, `H`, and for `ellison_glaeser()` `G`,
#'   `expected_G` and `gamma`, for `maurel_sedillot()` `sum_s2`
#'   (\eqn{\sum_i s_{ij}^2}), `expected_sum_s2` (its value under random
#'   location, \eqn{\sum_i x_i^2 + (1 - \sum_i x_i^2) H_j}) and `gamma`. With
#'   `pairs = TRUE`: `industry_1`, `industry_2`, the `by` columns and
#'   `gamma_c`.
#' @references
#' Ellison, G. and Glaeser, E. L. (1997) Geographic concentration in U.S.
#'   manufacturing industries: a dartboard approach. *Journal of Political
#'   Economy* 105(5), 889-927.
#' Maurel, F. and Sedillot, B. (1999) A measure of the geographic
#'   concentration in French manufacturing industries. *Regional Science and
#'   Urban Economics* 29(5), 575-604.
#' @seealso [gvcluster-missing] for NA, NaN, Inf and extreme magnitudes.
#' @examples
#' plants <- data.frame(
#'   emp = c(50, 30, 20, 40, 5, 5, 60, 10, 10, 25),
#'   ind = c("a", "a", "a", "a", "b", "b", "b", "b", "b", "b"),
#'   reg = c("r1", "r1", "r2", "r1", "r1", "r2", "r3", "r2", "r3", "r3"))
#' ellison_glaeser(plants, value = "emp", region = "reg", industry = "ind")
#' ellison_glaeser(plants, value = "emp", region = "reg", industry = "ind",
#'                 pairs = TRUE)
#' maurel_sedillot(plants, value = "emp", region = "reg", industry = "ind")
#' @export
ellison_glaeser <- function(x, value = "value", region = "region",
                            industry = "industry", pairs = FALSE, by = NULL,
                            na.rm = FALSE, data) {
  if (!missing(data)) x <- renamed_arg(data, "data", "x", !missing(x), "ellison_glaeser")
  agglo_order_warning(sys.call(), sys.function(), parent.frame(), "ellison_glaeser")
  agglomeration(x, value, industry, region, pairs, by, na.rm, "eg")
}

#' @rdname ellison_glaeser
#' @export
maurel_sedillot <- function(x, value = "value", region = "region",
                            industry = "industry", pairs = FALSE, by = NULL,
                            na.rm = FALSE, data) {
  if (!missing(data)) x <- renamed_arg(data, "data", "x", !missing(x), "maurel_sedillot")
  agglo_order_warning(sys.call(), sys.function(), parent.frame(), "maurel_sedillot")
  agglomeration(x, value, industry, region, pairs, by, na.rm, "ms")
}

# The column order changed in 0.2.0 from (value, industry, region) to
# (value, region, industry): a call that gives `region` or `industry` by
# position may mean the old order, so it warns for this release. R's own
# matcher decides which arguments were positional: the call's unnamed
# arguments (with any `...` it forwards expanded) are replaced by markers
# and matched against the formals.
agglo_order_warning <- function(call, def, env, fun) {
  args <- as.list(call)[-1L]
  dots <- vapply(args, identical, NA, quote(...))
  if (any(dots)) {
    fwd <- tryCatch(eval(quote(as.list(substitute(list(...)))[-1L]), env),
                    error = function(e) list())
    args <- do.call(c, lapply(seq_along(args), function(i)
      if (dots[i]) fwd else args[i]))
  }
  if (!length(args)) return(invisible())
  marks <- paste0(".gvcluster_pos_", seq_along(args))
  nm <- names(args)
  if (is.null(nm)) nm <- character(length(args))
  pos <- !nzchar(nm)
  args[pos] <- lapply(marks[pos], as.name)
  names(args) <- nm
  mc <- match.call(def, as.call(c(as.name(fun), args)))
  positional <- vapply(c("region", "industry"), function(a)
    !is.null(mc[[a]]) && is.name(mc[[a]]) && as.character(mc[[a]]) %in% marks[pos], NA)
  if (any(positional)) {
    which <- names(positional)[positional]
    warning(sprintf(paste0(
      "%s() now takes its columns in the order (x, value, region, industry), ",
      "as every other measure; up to 0.1.0 it was (x, value, industry, region). ",
      "%s given by position: name the columns (value = , region = , industry = )"),
      fun, if (length(which) == 2L) "`region` and `industry` were" else
        sprintf("`%s` was", which)),
      call. = FALSE)
  }
  invisible()
}

agglomeration <- function(data, value, industry, region, pairs, by, na.rm, kind) {
  if (!is.data.frame(data))
    stop_arg("x", "must be a data frame of plants, not ", describe(data))
  check_flag(pairs, "pairs")
  check_flag(na.rm, "na.rm")
  v <- panel_columns(data, value, region, industry, by)$v
  if (!length(v)) stop_arg("x", "has no plants")
  if (na.rm && anyNA(v)) {
    keep <- !is.na(v)
    data <- data[keep, , drop = FALSE]
    v <- v[keep]
    if (!length(v)) stop_arg("x", "has no plants with non-missing `value`")
  }
  check_nonfinite(v, "value", sprintf("column \"%s\"", value), unit = "row")
  check_nonnegative(v, "value")
  # the indices are ratios of employment: invariant to a common factor, but
  # squares of employment near 1e300 overflow; rescale by a power of two
  ev <- lq_pow2(v)
  if (ev != 0) v <- times_pow2(v, ev)
  rc <- panel_codes(data[[region]], "region")
  jc <- panel_codes(data[[industry]], "industry")
  gc <- panel_groups(data, by, length(v))
  dims <- as.integer(c(length(rc$labels), length(jc$labels), gc$ng))
  res <- .Call(ffi_agglomeration, rc$code, jc$code, gc$code, v, dims, pairs,
               n_threads())
  ind <- res$industries
  if (pairs) {
    pr <- res$pairs
    out <- list(industry_1 = jc$labels[pr[, "industry_1"]],
                industry_2 = jc$labels[pr[, "industry_2"]])
    if (!is.null(by))
      for (b in names(gc$labels)) out[[b]] <- gc$labels[[b]][pr[, "group"]]
    out$gamma_c <- if (kind == "eg") pr[, "gamma_eg"] else pr[, "gamma_ms"]
    out <- as.data.frame(out, stringsAsFactors = FALSE, optional = TRUE)
    return(out)
  }
  cols <- cbind(plants = ind[, "plants"], employment = times_pow2(ind[, "employment"], -ev),
                H = ind[, "H"])
  if (kind == "eg") {
    cols <- cbind(cols, G = ind[, "G"], expected_G = ind[, "expected_G"],
                  gamma = ind[, "gamma_eg"])
  } else {
    sx2 <- ind[, "sum_x2"]
    cols <- cbind(cols, sum_s2 = ind[, "sum_s2"],
                  expected_sum_s2 = sx2 + (1 - sx2) * ind[, "H"],
                  gamma = ind[, "gamma_ms"])
  }
  out <- idx_frame("industry", jc$labels, gc$labels, cols, colnames(cols))
  out$plants <- as.integer(out$plants)
  out
}
