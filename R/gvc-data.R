#' Example inter-country input-output table
#'
#' A small synthetic ICIO table shaped like the published ones (OECD ICIO,
#' WIOD): 5 economies (`CHN`, `USA`, `DEU`, `JPN` and the rest of the world
#' `ROW`) x 4 sectors (`AGR` agriculture and mining, `MAT` materials
#' including silicon-based materials, `MAN` other manufacturing, `SRV`
#' services) x 2 final-demand categories (`HH` households and government,
#' `INV` investment), in USD billion. Domestic input coefficients follow a
#' typical national pattern, openness differs by country (Germany the most
#' open), final demand has a home bias; flows are rounded to 0.1. It is
#' made reproducibly by `data-raw/icio_example.R` in the package sources
#' and serves for examples, tests and the vignette (reading a cluster's
#' position in the chain with [gvc_index()]). It is not real data.
#'
#' @format An [icio()] object: a list with `Z` (20 x 20 intermediate
#'   flows), `Y` (20 x 10 final demand), `x` (gross output), `va` (value
#'   added), `countries`, `sectors`, `final_demand`, `G`, `N`, `F`,
#'   `imbalance`. Row names are `"CHN.AGR"` etc.
#' @source Generated; see `data-raw/icio_example.R`.
#' @examples
#' icio_example
#' gvc_index(icio_example)
"icio_example"
