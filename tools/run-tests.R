# Runs gvcluster's testthat suite against an installed copy of the package
# and ends with one plain line "N passed, N failed" (failures include
# errors). Usage: Rscript tools/run-tests.R [library]  (default: .lib)
# The exit status is non-zero when any expectation failed or errored.
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
