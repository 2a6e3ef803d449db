# Reference data for the tests.
# * Shipped under tests/testthat/testdata/ (each folder has a README with the
#   source): the NIST StRD linear regression problems (public-domain NIST
#   data with certified values) and a sample of the BLS QCEW 2019 file with
#   its published location quotients (public-domain US government data).
# * Optional, not shipped: the full QCEW file
#   (qcew/qcew_2019_annual_industry10_allareas.csv, 3.5 MB). It is looked for
#   in the folder named by the environment variable GVCLUSTER_TESTDATA, then
#   in a folder shared/testdata above the working directory; the test that
#   needs it skips with a message saying what is missing.
testdata_shipped <- function(sub) {
  d <- testthat::test_path("testdata", sub)
  if (!dir.exists(d)) stop("shipped test data '", sub, "' missing from tests/testthat/testdata")
  d
}

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

# The optional file `file` of the folder `sub`, or a skip naming what is missing.
skip_if_no_testdata <- function(sub, file) {
  d <- testdata_dir(sub)
  if (is.null(d) || !file.exists(file.path(d, file)))
    testthat::skip(paste0("optional reference file '", sub, "/", file,
                          "' not found (set GVCLUSTER_TESTDATA to the folder that holds '",
                          sub, "/')"))
  d
}
