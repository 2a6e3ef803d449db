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
#' @section Options:
#' * `gvcluster.threads` (default 2): threads that [linreg()] (the one-pass
#'   QR of large designs), [lq()] on a large dense matrix and the index
#'   functions ([specialization()],
#'   [concentration()], panels of [shift_share()], [ellison_glaeser()],
#'   [maurel_sedillot()]) use on large inputs, through OpenMP where the
#'   compiler has it; never more than the machine's processors or
#'   `OMP_THREAD_LIMIT`. Results are identical for any number; set it to 1
#'   for strictly single-threaded runs.
#' * `gvcluster.demo_dir` (default the working directory): where
#'   `demo("bengbu")` writes its figures.
#'
#' @keywords internal
#' @importFrom stats setNames
#' @importFrom graphics plot
#' @importFrom grDevices dev.off
#' @importFrom utils head
#' @importFrom methods is
#' @importFrom Matrix sparseMatrix
#' @useDynLib gvcluster, .registration = TRUE
"_PACKAGE"
