# Reference data (NIST StRD, BLS QCEW) live outside the package, in the
# project's shared/testdata folder. Tests find it through the environment
# variable GVCLUSTER_TESTDATA or by walking up from the working directory,
# and skip when it is absent. The files are never copied into the package.
testdata_dir <- function(sub = NULL) {
  cand <- Sys.getenv("GVCLUSTER_TESTDATA", "")
  if (!nzchar(cand) || !dir.exists(cand)) {
    cand <- ""
    d <- normalizePath(getwd(), mustWork = FALSE)
    repeat {
      p <- file.path(d, "shared", "testdata")
      if (dir.exists(p)) { cand <- p; break }
      up <- dirname(d)
      if (identical(up, d)) break
      d <- up
    }
  }
  if (!nzchar(cand)) return(NULL)
  if (!is.null(sub)) cand <- file.path(cand, sub)
  if (dir.exists(cand)) cand else NULL
}

skip_if_no_testdata <- function(sub) {
  d <- testdata_dir(sub)
  if (is.null(d)) testthat::skip(paste0("reference data '", sub, "' not found"))
  d
}
