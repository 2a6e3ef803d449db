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

#' The regression table published by the Bengbu study (Table 2)
#'
#' The results of the study's regression of the location quotient on six
#' factors, `LQ ~ infra + sup + tech + phrl + fm + dm` on [bengbu], as
#' printed in its Table 2 (computed there with SPSS), in the shape of
#' `summary()` of a [linreg()] fit so that the two can be compared column by
#' column.
#'
#' @format A list with three elements:
#' \describe{
#'   \item{coefficients}{A data frame with one row per term (`term`, with the
#'     constant named `"(Intercept)"`) and the published columns `B`, `SE`,
#'     `Beta`, `t`, `p`, `VIF` and `Tolerance` (`NA` where the table prints
#'     "-").}
#'   \item{model}{A one-row data frame: `n`, `r.squared`, `adj.r.squared`,
#'     `F`, `df1`, `df2`, `F.p` and the Durbin-Watson statistic `dw`.}
#'   \item{digits}{The number of decimals the table prints (3).}
#' }
#'
#' @details Every value is printed to three decimals, so coefficients below
#'   0.0005 in magnitude appear as 0.000 or -0.000 (the `B` of `sup`, `fm`
#'   and `dm` and several standard errors): they carry no information beyond,
#'   at most, a sign, and are stored here as 0. The study marks p < 0.05 with
#'   one star; the p-value of `tech` (0.050) is printed without one.
#'
#' @source Wang J., Wang X., Niu X., "On Strategic Emerging Industry Cluster
#'   Development in Anhui based on the Perspective of Global Value Chain:
#'   Taking Bengbu Silicon Based New Material Industry as an Example",
#'   Table 2.
#' @examples
#' bengbu_published$coefficients
#' bengbu_published$model
"bengbu_published"
