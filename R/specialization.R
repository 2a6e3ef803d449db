#' Specialisation indices of regions
#'
#' How far each region's industry structure departs from a reference
#' structure (by default the total of all regions), for every region at once
#' and, for a long panel, for every `by` group (e.g. year) in one call.
#'
#' @section Formulas:
#' With \eqn{x_{ij}} the value (e.g. employment) of region \eqn{i} in
#' industry \eqn{j}, \eqn{s_{ij} = x_{ij} / \sum_j x_{ij}} the region's
#' industry shares, \eqn{s_j} the reference shares (industry totals over all
#' regions divided by the grand total, or `reference / sum(reference)`) and
#' \eqn{k} the number of industries:
#' \describe{
#' \item{`krugman`}{Krugman (1991) specialisation index
#'   \eqn{K_i = \sum_j |s_{ij} - s_j|}; range \eqn{[0, 2)}. With
#'   `compare = "others"` the reference is the rest of the country,
#'   \eqn{(x_{\cdot j} - x_{ij}) / (x_{\cdot\cdot} - x_{i\cdot})}
#'   (Midelfart-Knarvik et al. 2000).}
#' \item{`hoover`}{Hoover (1936) coefficient of specialisation
#'   \eqn{H_i = K_i / 2 = \frac{1}{2} \sum_j |s_{ij} - s_j|}{H_i = K_i / 2 = 1/2 sum_j |s_ij - s_j|}; range
#'   \eqn{[0, 1)}. With `weights` \eqn{v_j} (one per industry) it is the
#'   weighted form of REAT's `hoover(x, ref, weighting)`:
#'   \eqn{H_i = \frac{1}{2} \sum_j w_j |s_{ij} - s_j|}{H_i = 1/2 sum_j w_j |s_ij - s_j|} with the weights
#'   normalised to sum to one, \eqn{w_j = v_j / \sum_l v_l}{w_j = v_j / sum_l v_l}; range
#'   \eqn{[0, 1/2]} (each \eqn{|s_{ij} - s_j| \le 1}). Because the weights sum
#'   to one, equal weights give the unweighted index divided by \eqn{k},
#'   not the unweighted index. With `compare = "others"` the rest of the
#'   country replaces \eqn{s_j} as for `krugman`.}
#' \item{`hhi`}{Herfindahl-Hirschman index \eqn{\sum_j s_{ij}^2}; range
#'   \eqn{[1/k, 1]}. `hhi_normalized` is \eqn{(H - 1/k)/(1 - 1/k)}, range
#'   \eqn{[0, 1]} (NA when \eqn{k = 1}); `hhi_equivalent` is the equivalent
#'   number of industries \eqn{1/H}, range \eqn{[1, k]}.}
#' \item{`entropy`}{Shannon entropy \eqn{-\sum_j s_{ij} \ln s_{ij}} (natural
#'   log, \eqn{0 \ln 0 = 0}); range \eqn{[0, \ln k]}.}
#' \item{`theil_t`}{Theil's T, the relative entropy (Kullback-Leibler
#'   divergence) of the region from the reference,
#'   \eqn{\sum_j s_{ij} \ln(s_{ij} / s_j)} (Theil 1967); range
#'   \eqn{[0, -\ln \min_j s_j]}. With uniform reference shares it is
#'   \eqn{\ln k} minus the entropy.}
#' \item{`theil_l`}{Theil's L, the mean log deviation
#'   \eqn{\sum_j s_j \ln(s_j / s_{ij})} (Theil 1967); range
#'   \eqn{[0, \infty]}: `Inf` when the region has none of an industry with a
#'   positive reference share.}
#' \item{`duranton_puga`}{Duranton and Puga (2000) relative diversity index
#'   \eqn{1 / \sum_j |s_{ij} - s_j| = 1/K_i}; range \eqn{(1/2, \infty]}.}
#' \item{`lq_average`}{average location quotient of the region weighted by
#'   its own industry shares, \eqn{\sum_j s_{ij} LQ_{ij} = \sum_j
#'   s_{ij}^2 / s_j}; range \eqn{[1, \infty)} (as EconGeo's
#'   `location_quotient_avg()`).}
#' \item{`hachman`}{Hachman index \eqn{1 / \sum_j s_{ij} LQ_{ij}} (Mack,
#'   Grubesic and Kessler 2007); range \eqn{(0, 1]}, 1 when the region
#'   mirrors the reference.}
#' }
#'
#' @section Relation to other packages:
#' The same measures under other definitions or scales (each relation is
#' checked numerically in the package's tests):
#' * EconGeo: `krugman_index()` is `krugman`, `spec_coeff()` is `hoover`,
#'   `herfindahl()` is `hhi`, `hachman()` is `hachman` and
#'   `location_quotient_avg()` is `lq_average`. Its `entropy()` is `entropy`
#'   in bits (divided by \eqn{\log 2}), computed with
#'   \eqn{\log_2(s + 10^{-9})} and rounded to 3 decimals.
#' * REAT: `durpug(x[i, ], colSums(x))` is `duranton_puga`, `herf(x[i, ])` is
#'   `hhi`, and `theil(x[i, ])` is the mean log deviation of the region's
#'   values: `theil_l` against a uniform reference,
#'   `specialization(x, "theil_l", reference = rep(1, ncol(x)))`.
#'
#' @section Threads:
#' On large inputs (from 50,000 cells, or stored entries per `by` group) the
#' work is shared between `getOption("gvcluster.threads", 2)` threads (at most
#' the number of processors): blocks of regions of a dense matrix, fixed
#' segments of industries of a sparse matrix or panel, and the sorting of a
#' long panel. The results are identical, bit for bit, for any number of
#' threads; `options(gvcluster.threads = 1)` runs on one.
#'
#' @section Missing values and zeros:
#' Negative values are an error. A region whose total is zero gets NA. With
#' `na.rm = FALSE` an NA cell makes its region's indices NA and, when the
#' reference shares come from the data, the industry totals NA and so every
#' region of that group; with `na.rm = TRUE` NA cells are left out (counted as
#' zero). In a long panel a region x industry cell missing from a group is a
#' zero, so every region of the panel appears in every group (with NA where
#' its total is zero); the same region and industry twice in one group is an
#' error.
#'
#' @param x a numeric matrix (regions in rows, industries in columns), a
#'   `Matrix::dgCMatrix` of the same layout (never densified), or a long data
#'   frame with columns `value`, `region`, `industry` (and `by`).
#' @param index indices to compute (any of those in the usage; all by
#'   default), plus `"hhi_equivalent"`.
#' @param reference optional non-negative reference values per industry (e.g.
#'   national employment), in column order or named by industry; by default
#'   the industry totals of `x` (per `by` group).
#' @param ... not used; named arguments below must be named.
#' @param weights optional non-negative weights per industry for the
#'   `hoover` index only (an error if `index` does not include `"hoover"`),
#'   in column order or named by industry like `reference`; normalised to
#'   sum to one (see the formulas). The same weights apply to every `by`
#'   group.
#' @param value,region,industry column names of a long data frame `x`.
#' @param by optional column name(s) of `x` that define groups (e.g. year);
#'   each group is handled as its own matrix.
#' @param compare for `krugman`, `hoover` and `duranton_puga`: against the
#'   `"reference"` shares or the sum of the `"others"` (all other regions).
#' @param na.rm drop NA cells (see the section on missing values).
#' @return A data frame with `region`, the `by` columns and one column per
#'   index.
#' @references
#' Duranton, G. and Puga, D. (2000) Diversity and specialisation in cities.
#'   *Urban Studies* 37(3), 533-555.
#' Hoover, E. M. (1936) The measurement of industrial localization. *Review
#'   of Economics and Statistics* 18(4), 162-171.
#' Krugman, P. (1991) *Geography and Trade*. MIT Press.
#' Mack, E., Grubesic, T. H. and Kessler, E. (2007) Indices of industrial
#'   diversity and regional economic composition. *Growth and Change* 38(3),
#'   474-509.
#' Midelfart-Knarvik, K. H., Overman, H. G., Redding, S. and Venables, A. J.
#'   (2000) The location of European industry. European Commission Economic
#'   Papers 142.
#' Theil, H. (1967) *Economics and Information Theory*. North-Holland.
#' Wieland, T. (2021) REAT: Regional Economic Analysis Toolbox. R package
#'   version 3.0.3,
#'   function `hoover()` (the weighted Hoover index).
#' @seealso [concentration()] for the same questions asked of industries.
#'   See also [gvcluster-missing] for NA, NaN, Inf and extreme magnitudes.
#' @examples
#' x <- matrix(c(10, 0, 5,
#'               2, 8, 4,
#'               1, 1, 9), 3, byrow = TRUE,
#'             dimnames = list(c("A", "B", "C"), c("agri", "manu", "serv")))
#' specialization(x, c("krugman", "hhi", "entropy", "theil_t"))
#' specialization(x, "krugman", compare = "others")
#' # Hoover weighted by industry (e.g. wage levels)
#' specialization(x, "hoover", weights = c(agri = 1, manu = 3, serv = 2))
#'
#' # a long panel, all years in one call
#' panel <- data.frame(region = rep(c("A", "B"), each = 4),
#'                     industry = rep(c("agri", "manu"), 4),
#'                     year = rep(c(2020, 2020, 2021, 2021), 2),
#'                     value = c(5, 1, 6, 2, 1, 7, 1, 9))
#' specialization(panel, c("krugman", "hachman"), by = "year")
#' @export
specialization <- function(x, index = c("krugman", "hoover", "hhi", "hhi_normalized",
                                        "entropy", "theil_t", "theil_l", "duranton_puga",
                                        "lq_average", "hachman"),
                           reference = NULL, value = "value", region = "region",
                           industry = "industry", ..., weights = NULL, by = NULL,
                           compare = c("reference", "others"), na.rm = FALSE) {
  check_dots(...)
  all_idx <- c("krugman", "hoover", "hhi", "hhi_normalized", "hhi_equivalent",
               "entropy", "theil_t", "theil_l", "duranton_puga", "lq_average",
               "hachman")
  index <- check_choices(index, all_idx, "index")
  compare <- match.arg(compare)
  check_flag(na.rm, "na.rm")
  if (is_remote(x)) x <- remote_cells(x, value, region, industry, by, na.rm)
  others <- as.integer(compare == "others")
  if (is.data.frame(x)) {
    # one .Call: the panel stacked and the indices computed (R/panel.R plans
    # the keys; a reference or weights is matched to the industries first)
    p <- panel_plan(x, value, region, industry, by, na.rm, FALSE, "x", "by",
                    check = FALSE)
    lab <- if (!is.null(reference) || !is.null(weights))
      panel_used_labels(p$keys$industry)
    ref <- idx_spec_reference(reference, lab, compare)
    w <- idx_weights(weights, index, lab, "industry")
    r <- .Call(ffi_specialization_panel, p$keys$region$v, p$keys$industry$v,
               p$keys$by$v, p$v, index, ref, others, as.integer(na.rm), w, n_threads())
    st <- panel_stack_labels(r$stack, p$keys, p$x, value, region, industry, by, "x", "by")
    res <- r$result
    verify <- p$verify
  } else {
    st <- panel_stack(x, value, region, industry, by, na.rm, check = FALSE)
    verify <- st$verify
    ref <- idx_spec_reference(reference, st$industries, compare)
    w <- idx_weights(weights, index, st$industries, "industry")
    res <- .Call(ffi_specialization, st$x, st$ri, st$cp, st$dims, index, ref,
                 others, as.integer(na.rm), w, n_threads())
  }
  idx_check_result(res, verify, st$value_arg, st$slots)
  idx_frame("region", st$regions, st$groups, res$values, index)
}

# specialization()'s reference over industries (idx_reference()), which
# excludes compare = "others".
idx_spec_reference <- function(reference, labels, compare) {
  ref <- idx_reference(reference, labels, "industry")
  if (!is.null(ref) && compare == "others")
    stop_arg("compare", "must be \"reference\" when `reference` is given")
  ref
}
