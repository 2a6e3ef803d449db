#' gvcluster: industrial clusters in global value chains
#'
#' Location quotients and agglomeration indices, regression with an
#' SPSS-style diagnostics table, sensitivity of a regression table to the
#' rounding of its data, GEM cluster scores and entropy weights, and
#' value-chain measures from inter-country input-output tables. The
#' arithmetic runs in C (registered `.Call` routines, R's BLAS and LAPACK);
#' the R functions validate their input and build S3 result objects.
#'
#' Conventions shared by every function:
#' * a zero total gives `NA`, never `Inf` or `NaN`;
#' * `na.rm = FALSE` by default: an `NA` spoils every total it enters;
#' * negative values where a share is meant are an error naming the argument.
#'
#' @keywords internal
#' @importFrom stats setNames
#' @importFrom graphics plot
#' @importFrom grDevices dev.off
#' @importFrom utils head
#' @importFrom methods is
#' @importFrom Matrix sparseMatrix
#' @useDynLib gvcluster, .registration = TRUE, .fixes = "C_"
"_PACKAGE"
