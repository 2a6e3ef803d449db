#' Shift-share decomposition of regional change
#'
#' Splits each region's change in employment (or any extensive quantity)
#' between two periods into the part due to national growth, to its industry
#' mix and to its own competitiveness, for all regions at once from a long
#' panel.
#'
#' @section Formulas:
#' With \eqn{e^0_{rj}, e^1_{rj}} region \eqn{r}'s value in industry \eqn{j}
#' at the start and end, \eqn{E^0_j, E^1_j} the industry totals over all
#' regions, \eqn{E^0, E^1} the grand totals, \eqn{G = E^1/E^0 - 1} and
#' \eqn{g_j = E^1_j / E^0_j - 1} (Dunn 1960):
#' \describe{
#' \item{`national_share`}{\eqn{e^0_r G}}
#' \item{`industry_mix`}{\eqn{\sum_j e^0_{rj} (g_j - G)}}
#' \item{`regional_shift`}{\eqn{\sum_j (e^1_{rj} - e^0_{rj}(1 + g_j))},
#'   i.e. \eqn{\sum_j e^0_{rj} (g_{rj} - g_j)} where the region's own growth
#'   rate \eqn{g_{rj}} exists.}
#' }
#' The three add up to `change` \eqn{= e^1_r - e^0_r} exactly (up to
#' rounding). `method = "esteban"` (Esteban-Marquillas 1972) splits the
#' regional shift with the homothetic employment \eqn{h_{rj} = e^0_r E^0_j /
#' E^0} into `competitive` \eqn{\sum_j h_{rj}(g_{rj} - g_j)} and `allocation`
#' \eqn{\sum_j (e^0_{rj} - h_{rj})(g_{rj} - g_j)}; a cell empty in both
#' periods adds nothing, and a region with a cell that grows from zero (no
#' growth rate) gets NA for both. `method = "dynamic"` applies Dunn's
#' decomposition to each pair of consecutive periods (the chained, year by
#' year form); summed over the periods the components add up to the change
#' over the whole span.
#'
#' @section Missing values:
#' Negative values are an error. A cell missing from a period is a zero; the
#' same region, industry and period twice is an error. With `na.rm = FALSE`
#' an NA value makes the whole comparison that involves its period NA;
#' `na.rm = TRUE` leaves NA cells out. Periods with a zero national total
#' give NA.
#'
#' @param x a long data frame.
#' @param value,region,industry,time column names of `x`. `time` must be
#'   sortable; `"dunn"` and `"esteban"` compare its first and last values,
#'   `"dynamic"` every pair of consecutive values.
#' @param method `"dunn"`, `"esteban"` or `"dynamic"`.
#' @param na.rm leave NA cells out.
#' @return A data frame with `region`, `from`, `to`, `start` and `end`
#'   (the region's totals), `change`, `national_share`, `industry_mix`,
#'   `regional_shift` and, for `"esteban"`, `competitive` and `allocation`.
#' @references
#' Dunn, E. S. (1960) A statistical and analytical technique for regional
#'   analysis. *Papers and Proceedings of the Regional Science Association*
#'   6, 97-112.
#' Esteban-Marquillas, J. M. (1972) A reinterpretation of shift-share
#'   analysis. *Regional and Urban Economics* 2(3), 249-255.
#' @seealso [gvcluster-missing] for NA, NaN, Inf and extreme magnitudes.
#' @examples
#' panel <- data.frame(
#'   region = rep(c("A", "B"), each = 6),
#'   industry = rep(rep(c("agri", "manu", "serv"), 2), 2),
#'   year = rep(rep(c(2010, 2020), each = 3), 2),
#'   emp = c(10, 20, 30, 8, 26, 40, 5, 5, 10, 6, 4, 15))
#' shift_share(panel, "emp", "region", "industry", "year")
#' shift_share(panel, "emp", "region", "industry", "year", method = "esteban")
#' @export
shift_share <- function(x, value = "value", region = "region", industry = "industry", time,
                        method = c("dunn", "esteban", "dynamic"), na.rm = FALSE) {
  if (is_remote(x)) x <- remote_cells(x, value, region, industry, time, na.rm,
                                      by_arg = "time")
  if (!is.data.frame(x))
    stop_arg("x", "must be a long data frame, not ", describe(x))
  method <- match.arg(method)
  check_flag(na.rm, "na.rm")
  check_string(time, "time")
  check_column(x, time, "time")
  if (anyNA(x[[time]]))
    stop_arg("time", "column \"", time, "\" must not contain NA (row ",
             which(is.na(x[[time]]))[1L], ")")
  # one .Call: the panel stacked and decomposed (R/panel.R plans the keys)
  p <- panel_plan(x, value, region, industry, time, na.rm, FALSE, "x", "time",
                  check = FALSE)
  sr <- .Call(ffi_shift_share_panel, p$keys$region$v, p$keys$industry$v,
              p$keys$by$v, p$v, method, as.integer(na.rm), n_threads())
  st <- panel_stack_labels(sr$stack, p$keys, p$x, value, region, industry,
                           time, "x", "time")
  if (isTRUE(sr$result$suspect)) p$verify()
  times <- st$groups[[time]]
  nt <- length(times)
  if (nt < 2) stop_arg("time", "must have at least two distinct values")
  res <- sr$result
  idx_check_negative(res$negatives, "value")
  nr <- length(st$regions)
  if (method == "dynamic") {
    from <- rep(times[-nt], each = nr); to <- rep(times[-1], each = nr)
  } else {
    from <- rep(times[1], nr); to <- rep(times[nt], nr)
  }
  m <- res$values
  nm <- colnames(m)
  out <- data.frame(region = rep(st$regions, length.out = nrow(m)),
                    stringsAsFactors = FALSE)
  out$from <- from
  out$to <- to
  for (k in seq_along(nm)) out[[nm[k]]] <- m[, k]
  out
}
