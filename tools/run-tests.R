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
# Under valgrind (GVCLUSTER_VALGRIND set) the run leaves out the test files
# that exercise no C code of their own: readers, remote engines, plots,
# tidiers, documentation; their C calls are the kernels the other files test.
# (The readers of text files also compare numbers parsed by R's strtod, which
# accumulates in long double: valgrind emulates long double as double, so
# parsed values can differ from fread's in the last bit under valgrind only.)
# GVCLUSTER_SHARD = "i/n" runs the i-th of n shards of the files, so that
# the valgrind run can use both processors.
files <- sub("^test-(.*)[.]R$", "\\1",
             list.files("tests/testthat", "^test-.*[.]R$"))
if (nzchar(Sys.getenv("GVCLUSTER_VALGRIND"))) {
  r_only <- c("citation", "compare", "data", "demo", "edges-policy",
              "linreg-nist", "lq-plot", "pkgdown", "plot-clusters", "read-eurostat",
              "read-icio", "read-icio-formats", "read-icio-series", "read-qcew",
              "remote-linreg", "remote-lq", "sensitivity-plot", "tidy")
  files <- setdiff(files, r_only)
}
shard <- Sys.getenv("GVCLUSTER_SHARD")
if (nzchar(shard)) {
  k <- as.integer(strsplit(shard, "/", fixed = TRUE)[[1L]])
  if (length(k) != 2L || anyNA(k) || k[1L] < 1L || k[1L] > k[2L])
    stop("GVCLUSTER_SHARD must be \"i/n\" with 1 <= i <= n, not \"", shard, "\"")
  # largest files first, each to the shard with least so far (by size)
  size <- file.size(file.path("tests/testthat", paste0("test-", files, ".R")))
  load <- numeric(k[2L]); owner <- integer(length(files))
  for (j in order(-size)) {
    owner[j] <- which.min(load)
    load[owner[j]] <- load[owner[j]] + size[j]
  }
  files <- files[owner == k[1L]]
}
res <- testthat::test_dir("tests/testthat", package = "gvcluster",
                          filter = paste0("^(", paste(files, collapse = "|"), ")$"),
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
