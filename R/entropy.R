#' Entropy weights of indicators and composite scores
#'
#' The entropy weight method turns several indicators measured on the same
#' units (regions, clusters, years) into objective weights and one composite
#' score per unit: an indicator whose values differ more across the units
#' carries more information and receives more weight.
#'
#' For `n` units (rows) and `m` indicators (columns):
#' 1. min-max normalisation, reversed for cost indicators:
#'    \eqn{x'_{ij} = (x_{ij} - \min_j) / (\max_j - \min_j)}{x'_ij = (x_ij - min_j) / (max_j - min_j)} for a benefit
#'    indicator (higher is better) and
#'    \eqn{x'_{ij} = (\max_j - x_{ij}) / (\max_j - \min_j)}{x'_ij = (max_j - x_ij) / (max_j - min_j)} for a cost
#'    indicator (lower is better), so that 1 is always the best unit;
#' 2. shares \eqn{p_{ij} = x'_{ij} / \sum_i x'_{ij}}{p_ij = x'_ij / sum_i x'_ij};
#' 3. entropy \eqn{e_j = -(1/\ln n) \sum_i p_{ij} \ln p_{ij}}{e_j = -(1 / ln n) sum_i p_ij ln p_ij}, with
#'    \eqn{0 \ln 0 = 0}{0 ln 0 = 0};
#' 4. divergence \eqn{d_j = 1 - e_j} and weight
#'    \eqn{w_j = d_j / \sum_j d_j}{w_j = d_j / sum_j d_j};
#' 5. composite score \eqn{S_i = \sum_j w_j x'_{ij}}{S_i = sum_j w_j x'_ij}, between 0 and 1.
#'
#' The numerics run in C, with compensated (Neumaier) sums over the units.
#'
#' @section Edge cases:
#' * **Constant indicator** (the same value for every unit used): it cannot
#'   tell the units apart, so its weight is 0, its entropy 1 and its
#'   normalised column `NA` (min-max is 0/0); a message names it. When every
#'   indicator is constant the weights are undefined and `entropy_weights()`
#'   stops with an error.
#' * **One unit** (`n = 1`, or one complete row with `na.rm = TRUE`): every
#'   indicator is constant and \eqn{\ln n = 0}{ln n = 0}; this is an error. At least two
#'   units are needed.
#' * **`NA`**: an error unless `na.rm = TRUE`, in which case rows with any
#'   `NA` are left out of the computation (complete cases; `n` counts the
#'   rows used), and get `NA` normalised values and an `NA` score. Infinite
#'   values are always an error.
#' * **Negative values** are fine: min-max normalisation maps every
#'   indicator onto 0-1 whatever its sign.
#'
#' @param x A numeric matrix or a data frame of numeric columns: rows are
#'   units, columns are indicators. Column names name the indicators
#'   (`x1`, `x2`, ... when absent); row names, when present, name the scores
#'   (a data frame's row names unless they are the automatic `1, 2, ...`:
#'   years given as row names, or a subset's original row numbers, are kept).
#' @param cost Which indicators are cost indicators (lower is better): a
#'   character vector of column names, a vector of column indexes, or a
#'   logical vector with one element per column. `NULL` (the default) means
#'   all indicators are benefit indicators.
#' @param na.rm If `TRUE`, rows with `NA` are left out (see Edge cases);
#'   if `FALSE` (the default), `NA` is an error.
#' @param ... Unused, or passed to [graphics::barplot()] by `plot()`.
#'
#' @return An object of class `entropy_weights`, a list with
#'   \item{weights}{named weights, summing to 1;}
#'   \item{entropy, divergence}{named \eqn{e_j} and \eqn{d_j};}
#'   \item{normalized}{the matrix \eqn{x'} (same dimnames as `x`);}
#'   \item{scores}{composite scores, one per row of `x`;}
#'   \item{cost}{named logical, `TRUE` for cost indicators;}
#'   \item{constant}{names of the constant indicators;}
#'   \item{n, used}{the number of units used and a logical marking them.}
#' @seealso [gem_score()], which combines indicators of one GEM determinant
#'   with these weights.
#'   See also [gvcluster-missing] for NA, NaN, Inf and extreme magnitudes.
#' @export
#' @examples
#' # Bengbu's six indicators, 2012-2019 (all treated as benefit indicators)
#' ind <- bengbu[, c("infra", "sup", "tech", "phrl", "fm", "dm")]
#' rownames(ind) <- bengbu$year      # the scores are named by the row names
#' entropy_weights(ind)
#'
#' # a cost indicator and a hand-sized example
#' x <- cbind(output = c(2, 4, 6), pollution = c(3, 1, 2))
#' entropy_weights(x, cost = "pollution")$weights
entropy_weights <- function(x, cost = NULL, na.rm = FALSE) {
  check_flag(na.rm, "na.rm")
  xm <- entropy_matrix(x)
  x <- xm$x
  nm <- xm$names
  cost <- entropy_cost(cost, nm)
  n_ok <- nrow(x)
  lo <- suppressWarnings(min(x, na.rm = TRUE)); hi <- suppressWarnings(max(x, na.rm = TRUE))
  if (is.infinite(lo) || is.infinite(hi) || anyNA(x) && any(is.nan(x)))
    check_nonfinite(x, "x")
  if (anyNA(x)) {
    if (!na.rm)
      stop_arg("x", "contains NA (", sum(is.na(x)),
               " values); use `na.rm = TRUE` to leave out incomplete rows")
    n_ok <- sum(stats::complete.cases(x))
  }
  if (n_ok < 2L)
    stop_arg("x", "must have at least 2 ",
             if (na.rm && n_ok < nrow(x)) "complete " else "",
             "rows (units): entropy weights compare units, found ", n_ok)
  # the weights are invariant to scaling a column, but max - min overflows
  # near +-1e308 and subnormal values lose digits: then each column is
  # rescaled by a power of two (exact) to a largest magnitude in [0.25, 0.5)
  big <- max(abs(lo), abs(hi))
  if (big > 2^1000 || (big > 0 && big < 2^-900)) {
    for (j in seq_len(ncol(x))) {
      mj <- suppressWarnings(max(abs(range(x[, j], na.rm = TRUE))))
      if (is.finite(mj) && mj > 0) x[, j] <- times_pow2(x[, j], pow2_exponent(mj) - 1)
    }
  }
  res <- .Call(ffi_entropy_weights, x, cost, na.rm)
  if (all(res$constant))
    stop_arg("x", "has no indicator that varies across the units: ",
             "the entropy weights are undefined")
  constant <- nm[res$constant]
  if (length(constant))
    message(sprintf("constant indicator%s %s: no information, weight 0",
                    if (length(constant) > 1L) "s" else "",
                    paste0('"', constant, '"', collapse = ", ")))
  dimnames(res$normalized) <- list(rownames(x), nm)
  structure(list(
    weights = setNames(res$weights, nm),
    entropy = setNames(res$entropy, nm),
    divergence = setNames(res$divergence, nm),
    normalized = res$normalized,
    scores = setNames(res$scores, rownames(x)),
    cost = setNames(cost, nm),
    constant = constant,
    n = n_ok,
    used = setNames(res$used, rownames(x))
  ), class = "entropy_weights")
}

# A double matrix with column names from a matrix or data frame.
entropy_matrix <- function(x, arg = "x") {
  if (is.data.frame(x)) {
    bad <- !vapply(x, function(v) is.numeric(v) && !is.factor(v), logical(1))
    if (any(bad))
      stop_arg(arg, "must have numeric columns only; not numeric: ",
               paste0('"', names(x)[bad], '"', collapse = ", "))
    # row names the user gave (years, a subset's original row numbers) name
    # the scores; only automatic row names 1..n are dropped
    auto <- .row_names_info(x) < 0L
    rn <- row.names(x)
    x <- if (length(x)) as.matrix(x) else matrix(numeric(0), nrow(x), 0L)
    rownames(x) <- if (auto) NULL else rn
  } else if (is.matrix(x) || is.vector(x)) {
    if (!is.numeric(x))
      stop_arg(arg, "must be a numeric matrix or a data frame, not ", describe(x))
    if (!is.matrix(x)) x <- matrix(x, ncol = 1L)
  } else {
    stop_arg(arg, "must be a numeric matrix or a data frame, not ",
             class(x)[1L])
  }
  if (ncol(x) < 1L) stop_arg(arg, "must have at least one column (indicator)")
  # (assigning names would copy a large matrix; keep them aside instead)
  nm <- colnames(x)
  if (is.null(nm)) nm <- paste0("x", seq_len(ncol(x)))
  if (anyDuplicated(nm))
    stop_arg(arg, "has duplicated column names: ",
             paste0('"', unique(nm[duplicated(nm)]), '"', collapse = ", "))
  if (!is.double(x)) storage.mode(x) <- "double"
  list(x = x, names = nm)
}

# `cost` as a logical vector over the indicators `nm`.
entropy_cost <- function(cost, nm, arg = "cost") {
  m <- length(nm)
  if (is.null(cost)) return(rep(FALSE, m))
  if (is.logical(cost)) {
    if (length(cost) != m || anyNA(cost))
      stop_arg(arg, "as a logical vector must have one TRUE/FALSE per ",
               "indicator (", m, "), not ", describe(cost))
    return(unname(cost))
  }
  if (is.character(cost)) {
    bad <- setdiff(cost, nm)
    if (anyNA(cost) || length(bad))
      stop_arg(arg, "names indicators that do not exist: ",
               paste0('"', bad, '"', collapse = ", "),
               "; indicators are ", paste0('"', nm, '"', collapse = ", "))
    return(nm %in% cost)
  }
  if (is.numeric(cost)) {
    if (anyNA(cost) || any(cost != round(cost)) || any(cost < 1 | cost > m))
      stop_arg(arg, "as column indexes must be whole numbers between 1 and ", m)
    return(seq_len(m) %in% cost)
  }
  stop_arg(arg, "must be NULL, column names, column indexes or a logical ",
           "vector, not ", describe(cost))
}

#' @rdname entropy_weights
#' @param digits Number of decimals to show.
#' @export
format.entropy_weights <- function(x, digits = 4L, ...) {
  tab <- data.frame(
    type = ifelse(x$cost, "cost", "benefit"),
    entropy = formatC(x$entropy, digits = digits, format = "f"),
    divergence = formatC(x$divergence, digits = digits, format = "f"),
    weight = formatC(x$weights, digits = digits, format = "f"),
    row.names = names(x$weights), stringsAsFactors = FALSE)
  tab$weight[names(x$weights) %in% x$constant] <-
    paste(tab$weight[names(x$weights) %in% x$constant], "(constant)")
  out <- utils::capture.output(print(tab, right = TRUE))
  c(sprintf("Entropy weights: %d indicators, %d units%s", length(x$weights),
            x$n, if (x$n < length(x$used))
              sprintf(" (%d incomplete rows left out)", length(x$used) - x$n)
            else ""),
    out)
}

#' @rdname entropy_weights
#' @export
print.entropy_weights <- function(x, digits = 4L, ...) {
  writeLines(format(x, digits = digits))
  s <- x$scores
  lab <- names(s)
  if (is.null(lab)) lab <- as.character(seq_along(s))
  cat("\nComposite scores (0-1):\n")
  shown <- utils::head(seq_along(s), 10L)
  print(setNames(round(s[shown], digits), lab[shown]))
  if (length(s) > 10L) cat(sprintf("... and %d more\n", length(s) - 10L))
  invisible(x)
}

#' @rdname entropy_weights
#' @param row.names,optional Ignored; for compatibility with the generic.
#' @param what `"weights"` (one row per indicator: `indicator`, `type`,
#'   `entropy`, `divergence`, `weight`) or `"scores"` (one row per unit:
#'   `unit`, `score`, and the normalised indicators).
#' @export
as.data.frame.entropy_weights <- function(x, row.names = NULL, optional = FALSE,
                                          ..., what = c("weights", "scores")) {
  what <- match.arg(what)
  if (what == "weights") {
    return(data.frame(indicator = names(x$weights),
                      type = ifelse(x$cost, "cost", "benefit"),
                      entropy = unname(x$entropy),
                      divergence = unname(x$divergence),
                      weight = unname(x$weights),
                      stringsAsFactors = FALSE))
  }
  unit <- rownames(x$normalized)
  if (is.null(unit)) unit <- as.character(seq_len(nrow(x$normalized)))
  data.frame(unit = unit, score = unname(x$scores),
             as.data.frame(unname_rows(x$normalized)),
             stringsAsFactors = FALSE, check.names = FALSE)
}

unname_rows <- function(m) { rownames(m) <- NULL; m }

#' @rdname entropy_weights
#' @param main Plot title.
#' @export
plot.entropy_weights <- function(x, main = "Entropy weights", ...) {
  w <- x$weights
  o <- order(w)
  col <- ifelse(x$cost[o], "#D55E00", "#0072B2")
  op <- graphics::par(mar = c(4, max(4, 0.6 * max(nchar(names(w)))) + 1, 3, 2))
  on.exit(graphics::par(op))
  bp <- graphics::barplot(w[o], horiz = TRUE, las = 1, col = col,
                          border = NA, xlim = c(0, max(w) * 1.2),
                          xlab = "weight", main = main, ...)
  graphics::text(w[o], bp, sprintf("%.3f", w[o]), pos = 4, cex = 0.8, xpd = TRUE)
  if (any(x$cost))
    graphics::legend("bottomright", fill = c("#0072B2", "#D55E00"),
                     legend = c("benefit", "cost"), border = NA, bty = "n")
  invisible(x)
}
