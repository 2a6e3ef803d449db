#' Concentration indices of industries
#'
#' How unevenly each industry is spread over the regions, compared with the
#' regions' share of all activity (or of a reference such as population or
#' area), for every industry at once and, for a long panel, for every `by`
#' group in one call.
#'
#' @section Formulas:
#' With \eqn{c_{ij} = x_{ij} / \sum_i x_{ij}} region \eqn{i}'s share of
#' industry \eqn{j}, \eqn{r_i} the reference shares of the regions (region
#' totals over the grand total, or `reference / sum(reference)`), \eqn{n} the
#' number of regions and \eqn{LQ_{ij} = c_{ij} / r_i}:
#' \describe{
#' \item{`krugman`}{Krugman (1991) concentration index
#'   \eqn{\sum_i |c_{ij} - r_i|}; range \eqn{[0, 2)}.}
#' \item{`hoover`}{Hoover (1936) localisation coefficient, half the Krugman
#'   index, \eqn{H_j = \frac{1}{2} \sum_i |c_{ij} - r_i|}{H_j = 1/2 sum_i |c_ij - r_i|}; range \eqn{[0, 1)}.
#'   With `reference` (population, area, ...) the reference shares come from
#'   it. With `weights` \eqn{v_i} (one per region) it is the weighted form of
#'   REAT's `hoover(x, ref, weighting)`:
#'   \eqn{H_j = \frac{1}{2} \sum_i w_i |c_{ij} - r_i|}{H_j = 1/2 sum_i w_i |c_ij - r_i|} with the weights
#'   normalised to sum to one, \eqn{w_i = v_i / \sum_l v_l}{w_i = v_i / sum_l v_l}; range
#'   \eqn{[0, 1/2]}. Equal weights give the unweighted index divided by
#'   \eqn{n}.}
#' \item{`gini`}{Gini coefficient of the industry's values over the \eqn{n}
#'   regions (all rows, empty ones included),
#'   \eqn{\sum_k (2k - n - 1) x_{(k)j} / (n \sum_i x_{ij})} with the values
#'   sorted increasingly; range \eqn{[0, 1 - 1/n]}. Ties do not matter.}
#' \item{`locational_gini`}{Krugman's (1991) locational Gini: one minus twice
#'   the area under the Lorenz curve of the industry's regional shares
#'   \eqn{c_{ij}} against the reference shares \eqn{r_i}, regions ordered by
#'   increasing \eqn{LQ_{ij}}, i.e. the \eqn{r}-weighted Gini of the LQs,
#'   \eqn{\frac12 \sum_i \sum_l r_i r_l |LQ_{ij} - LQ_{lj}|}; range
#'   \eqn{[0, 1)}. One sort per industry, \eqn{O(m \log m)} in its
#'   \eqn{m} non-zero cells; ties do not matter.}
#' \item{`gini_lq`}{Gini coefficient (unweighted) of the industry's LQs over
#'   the regions with a positive reference share; range \eqn{[0, 1)}; NA when
#'   a region with a zero reference share has some of the industry.}
#' }
#'
#' @section Relation to other packages:
#' The same measures under other definitions or scales (each relation is
#' checked numerically in the package's tests):
#' * EconGeo's `locational_gini()` is **half** of `locational_gini` here: it
#'   divides the area between the diagonal and the Lorenz curve by the whole
#'   unit square, where this divides it by the half square under the
#'   diagonal (so that the index reaches 1). Multiply EconGeo's value by 2.
#' * EconGeo's `gini()` is `gini`, rounded to 3 decimals; its
#'   `hoover_index(x, pop = rowSums(x))` is `hoover` in percent, rounded to 2
#'   decimals.
#' * REAT's `gini.conc(x[, j], rowSums(x))` is `gini_lq` (the unweighted Gini
#'   of the location quotients); REAT's `gini(x[, j])` is `gini`, and its
#'   `hoover(x[, j], rowSums(x), weighting = w)` is `hoover` with
#'   `weights = w`.
#'
#' @section Remote tables:
#' `x` may be a database or Spark table (see [lq-remote]). Without
#' `reference` and `weights` every index is computed in the engine, the Gini
#' family with window functions (ranks and running sums within each
#' industry), and only one row per industry and `by` group comes back; with
#' `reference` or `weights` the table's non-empty cells are summed in the
#' engine and fetched, and the indices computed in memory.
#'
#' @section Threads:
#' On large inputs (dense, sparse or panel; from 50,000 cells per `by` group)
#' the industries are shared between `getOption("gvcluster.threads", 2)`
#' threads (at most the number of processors). Each industry is computed the
#' same way whichever thread takes it, so the results are identical, bit for
#' bit, for any number of threads.
#'
#' @section Missing values and zeros:
#' As in [specialization()], with the roles of regions and industries
#' swapped: an industry whose total is zero gets NA; an NA cell makes its
#' industry NA and, when the reference comes from the data, every industry of
#' its group; `na.rm = TRUE` leaves NA cells out.
#'
#' @inheritParams specialization
#' @param index indices to compute (all by default).
#' @param reference optional non-negative reference values per region (e.g.
#'   total employment, population or area), in row order or named by region;
#'   by default the region totals of `x` (per `by` group).
#' @param weights optional non-negative weights per region for the `hoover`
#'   index only (an error if `index` does not include `"hoover"`), in row
#'   order or named by region like `reference`; normalised to sum to one. The
#'   same weights apply to every `by` group.
#' @return A data frame with `industry`, the `by` columns and one column per
#'   index.
#' @references
#' Hoover, E. M. (1936) The measurement of industrial localization. *Review
#'   of Economics and Statistics* 18(4), 162-171.
#' Krugman, P. (1991) *Geography and Trade*. MIT Press.
#' Wieland, T. (2021) REAT: Regional Economic Analysis Toolbox. R package
#'   version 3.0.3,
#'   function `hoover()` (the weighted Hoover index).
#' @seealso [specialization()].
#'   See also [gvcluster-missing] for NA, NaN, Inf and extreme magnitudes.
#' @examples
#' x <- matrix(c(10, 0, 5,
#'               2, 8, 4,
#'               1, 1, 9), 3, byrow = TRUE,
#'             dimnames = list(c("A", "B", "C"), c("agri", "manu", "serv")))
#' concentration(x)
#' # Hoover against population
#' concentration(x, "hoover", reference = c(A = 100, B = 50, C = 50))
#' # ... and with regional weights (REAT's weighted Hoover)
#' concentration(x, "hoover", weights = c(A = 2, B = 1, C = 1))
#' @export
concentration <- function(x, index = c("krugman", "hoover", "gini", "locational_gini",
                                       "gini_lq"),
                          reference = NULL, value = "value", region = "region",
                          industry = "industry", ..., weights = NULL, by = NULL,
                          na.rm = FALSE) {
  check_dots(...)
  all_idx <- c("krugman", "hoover", "gini", "locational_gini", "gini_lq")
  index <- check_choices(index, all_idx, "index")
  check_flag(na.rm, "na.rm")
  if (is_remote(x)) {
    # in the engine (window functions for the Gini family), except with a
    # reference or weights: then the cells come to R (R/remote.R)
    if (is.null(reference) && is.null(weights))
      return(remote_concentration(x, index, value, region, industry, by, na.rm))
    x <- remote_cells(x, value, region, industry, by, na.rm)
  }
  if (is.data.frame(x)) {
    # one .Call, as in specialization(); a reference or weights over regions
    p <- panel_plan(x, value, region, industry, by, na.rm, FALSE, "x", "by",
                    check = FALSE)
    lab <- if (!is.null(reference) || !is.null(weights))
      panel_used_labels(p$keys$region)
    ref <- idx_reference(reference, lab, "region")
    w <- idx_weights(weights, index, lab, "region")
    r <- .Call(ffi_concentration_panel, p$keys$region$v, p$keys$industry$v,
               p$keys$by$v, p$v, index, ref, as.integer(na.rm), w, n_threads())
    st <- panel_stack_labels(r$stack, p$keys, p$x, value, region, industry, by, "x", "by")
    res <- r$result
    verify <- p$verify
  } else {
    st <- panel_stack(x, value, region, industry, by, na.rm, check = FALSE)
    verify <- st$verify
    ref <- idx_reference(reference, st$regions, "region")
    w <- idx_weights(weights, index, st$regions, "region")
    res <- .Call(ffi_concentration, st$x, st$ri, st$cp, st$dims, index, ref,
                 as.integer(na.rm), w, n_threads())
  }
  idx_check_result(res, verify, st$value_arg, st$slots)
  idx_frame("industry", st$industries, st$groups, res$values, index)
}
