#' The Bengbu silicon-based new materials study data (Table 1)
#'
#' The time series on which the study of the silicon-based new materials
#' industry cluster of Bengbu (Anhui, China) estimates its location quotients
#' and its regression of the location quotient on six GEM-model factors
#' (Wang, Wang and Niu; see `citation("gvcluster")`). Values are exactly as
#' published in the study's Table 1, with the rows put in time order and
#' `infra` converted from a percentage to a proportion.
#'
#' @format A data frame with 8 rows (years 2012-2019) and 8 columns:
#' \describe{
#'   \item{year}{Calendar year (integer).}
#'   \item{LQ}{Location quotient of the silicon-based new materials industry
#'     in Bengbu, published to two decimals.}
#'   \item{infra}{Infrastructure: employees in electricity, gas and water
#'     supply and in transport, storage and post, as a proportion of all
#'     employees in Bengbu (published as a percentage with two decimals,
#'     i.e. to four decimals as a proportion).}
#'   \item{sup}{Support: government fixed investment in urban construction
#'     (unit not stated in the study).}
#'   \item{tech}{Technology level: Bengbu's science and technology expenditure
#'     (stated as "billion yuan").}
#'   \item{phrl}{Specialised human resources: employees of technical and
#'     scientific units (stated as "million people").}
#'   \item{fm}{Foreign (international) market demand: export sales revenue of
#'     new high-tech products of the industry (stated as "million units").}
#'   \item{dm}{Domestic market demand: gross domestic product (stated as
#'     "billion yuan").}
#' }
#'
#' @details Caveats given by, or evident in, the study:
#' * the data are published rounded (`LQ` to two decimals, `infra` to two
#'   decimals of a percent), so a refit reproduces the published regression
#'   table only approximately; see [sensitivity()];
#' * `sup` stands in for the strength of social support because micro data
#'   were missing, and `dm` (GDP) stands in for domestic market capacity;
#' * the units are given in the English text as translated and some look
#'   mistranslated (for example "million people" for `phrl`, whose values are
#'   below 1); they do not affect location quotients, t statistics or
#'   standardised coefficients, only the scale of the unstandardised ones;
#' * eight annual observations for seven coefficients leave one residual
#'   degree of freedom.
#'
#' The same values are shipped as a CSV file:
#' `system.file("extdata", "bengbu.csv", package = "gvcluster")`.
#'
#' @source Wang J., Wang X., Niu X., "On Strategic Emerging Industry Cluster
#'   Development in Anhui based on the Perspective of Global Value Chain:
#'   Taking Bengbu Silicon Based New Material Industry as an Example",
#'   Table 1.
#' @examples
#' bengbu
#' range(bengbu$LQ)
"bengbu"
