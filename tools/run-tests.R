# Runs gvcluster's testthat suite against an installed copy of the package
# and ends with one plain line "N passed, N failed" (failures include
# errors). Usage: Rscript tools/run-tests.R [library]  (default: .lib)
# The exit status is non-zero when any expectation failed or errored.
# Every test runs, the snapshot tests and those marked skip_on_cran()
# included (NOT_CRAN=true, as devtools::test() sets it); set NOT_CRAN=false
# in the environment to run the suite as CRAN would.
if (!nzchar(Sys.getenv("NOT_CRAN"))) Sys.setenv(NOT_CRAN = "true")
args <- commandArgs(trailingOnly = TRUE)
lib <- if (length(args)) args[[1L]] else ".lib"
if (dir.exists(lib)) .libPaths(c(normalizePath(lib), .libPaths()))
suppressPackageStartupMessages(library(testthat))
library(gvcluster)
res <- testthat::test_dir("tests/testthat", package = "gvcluster",
                          load_package = "installed",
                          reporter = testthat::SummaryReporter$new(show_praise = FALSE),
                          stop_on_failure = FALSE, stop_on_warning = FALSE)
df <- as.data.frame(res)
passed <- sum(df$passed)
failed <- sum(df$failed) + sum(df$error)
skipped <- sum(df$skipped)
cat(sprintf("\n%d skipped\n", skipped))
cat(sprintf("%d passed, %d failed\n", passed, failed))
quit(status = if (failed > 0) 1L else 0L, save = "no")
