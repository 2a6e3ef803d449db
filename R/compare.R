#' Put a regression refit side by side with a published table
#'
#' Compares the statistics of a [linreg()] fit, statistic by statistic, with
#' the values a study printed, such as [bengbu_published] (the study's
#' Table 2). Published tables are rounded, so the comparison says, for each
#' value, whether the refit rounds to the published figure.
#'
#' @param fit A [linreg()] fit.
#' @param published A list with a data frame `$coefficients` (column `term`
#'   and one column per statistic, as in `as.data.frame(fit)`), a one-row
#'   data frame `$model` (columns as in `summary(fit)$model`) and the number
#'   of decimals printed, `$digits`; [bengbu_published] has that shape.
#' @param statistics Coefficient-level statistics to compare: any of `"B"`,
#'   `"SE"`, `"Beta"`, `"t"`, `"p"`, `"VIF"`, `"Tolerance"`.
#' @param model Model-level statistics to compare: any of `"r.squared"`,
#'   `"adj.r.squared"`, `"F"`, `"F.p"`, `"dw"`, `"n"`, `"df1"`, `"df2"`.
#'
#' @return A data frame with one row per term and statistic (model-level
#'   statistics have `term = "(model)"`) and columns `term`, `statistic`,
#'   `published`, `refit`, `difference` (refit minus published) and
#'   `agrees`: `TRUE` when the refit, rounded to `published$digits`
#'   decimals, equals the published value. Rows whose published value is
#'   missing (e.g. Beta of the intercept) are dropped.
#' @seealso [sensitivity()] measures how far the rounding of the data can
#'   move each statistic.
#' @export
#' @examples
#' fit <- linreg(LQ ~ infra + sup + tech + phrl + fm + dm, data = bengbu)
#' cmp <- compare_published(fit, bengbu_published)
#' cmp[cmp$statistic == "B", ]
#' # share of the published values the refit reproduces to the printed digits
#' mean(cmp$agrees)
compare_published <- function(fit, published,
                              statistics = c("B", "SE", "Beta", "t", "p",
                                             "VIF", "Tolerance"),
                              model = c("r.squared", "adj.r.squared", "F",
                                        "F.p", "dw")) {
  if (!inherits(fit, "linreg"))
    stop_arg("fit", "must be a linreg() fit, not ", describe(fit))
  if (!is.list(published) || !is.data.frame(published$coefficients) ||
      !is.data.frame(published$model))
    stop_arg("published", "must be a list with data frames `coefficients` ",
             "and `model` (see ?bengbu_published)")
  digits <- published$digits
  if (is.null(digits)) digits <- NA_integer_
  if (!is.numeric(digits) || length(digits) != 1L)
    stop_arg("published", "`digits` must be a single number or NULL")
  coef_stats <- c("B", "SE", "Beta", "t", "p", "VIF", "Tolerance")
  model_stats <- c("r.squared", "adj.r.squared", "F", "F.p", "dw", "n",
                   "df1", "df2")
  if (!is.character(statistics) || !all(statistics %in% coef_stats))
    stop_arg("statistics", "must be a subset of ",
             paste0('"', coef_stats, '"', collapse = ", "))
  if (!is.character(model) || !all(model %in% model_stats))
    stop_arg("model", "must be a subset of ",
             paste0('"', model_stats, '"', collapse = ", "))
  pub <- published$coefficients
  if (!"term" %in% names(pub))
    stop_arg("published", "`coefficients` must have a column `term`")
  miss <- setdiff(statistics, names(pub))
  if (length(miss))
    stop_arg("published", "`coefficients` lacks column(s) ",
             paste(miss, collapse = ", "))
  miss <- setdiff(model, names(published$model))
  if (length(miss))
    stop_arg("published", "`model` lacks column(s) ",
             paste(miss, collapse = ", "))

  ours <- as.data.frame(fit)
  s <- summary(fit)$model
  rows <- list()
  for (v in statistics) {
    rows[[length(rows) + 1L]] <- data.frame(
      term = pub$term, statistic = v, published = as.numeric(pub[[v]]),
      refit = as.numeric(ours[[v]][match(pub$term, ours$term)]),
      stringsAsFactors = FALSE)
  }
  for (v in model) {
    rows[[length(rows) + 1L]] <- data.frame(
      term = "(model)", statistic = v,
      published = as.numeric(published$model[[v]][1L]),
      refit = as.numeric(s[[v]][1L]), stringsAsFactors = FALSE)
  }
  if (!length(rows))
    rows <- list(data.frame(term = character(0), statistic = character(0),
                            published = numeric(0), refit = numeric(0),
                            stringsAsFactors = FALSE))
  out <- do.call(rbind, rows)
  out <- out[!is.na(out$published), , drop = FALSE]
  out$difference <- out$refit - out$published
  out$agrees <- if (is.na(digits)) rep(NA, nrow(out)) else
    !is.na(out$refit) &
      abs(out$refit - out$published) <= 0.5 * 10^(-digits) * (1 + 1e-9)
  rownames(out) <- NULL
  out
}
