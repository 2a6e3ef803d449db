# Runs gvcluster's testthat suite against an installed copy of the package
# and ends with one plain line "N passed, N failed" (failures include
# errors). Usage: Rscript tools/run-tests.R [library]  (default: .lib)
# The exit status is non-zero when any expectation failed or errored, or
# when a process running part of the suite died.
# Every test runs, the snapshot tests and those marked skip_on_cran()
# included (NOT_CRAN=true, as devtools::test() sets it); set NOT_CRAN=false
# in the environment to run the suite as CRAN would.
#
# On a machine with two or more processors the files are split into two
# shards that run side by side in separate R processes (GVCLUSTER_JOBS = 1
# runs them in this process, one after the other; GVCLUSTER_JOBS = n uses n
# processes). A line is printed as each file finishes; at the end come the
# skips and failures of every shard, and the counts summed over the shards.
if (!nzchar(Sys.getenv("NOT_CRAN"))) Sys.setenv(NOT_CRAN = "true")
args <- commandArgs(trailingOnly = TRUE)
lib <- if (length(args)) args[[1L]] else ".lib"
if (dir.exists(lib)) .libPaths(c(normalizePath(lib), .libPaths()))
# Under valgrind (GVCLUSTER_VALGRIND set) the run leaves out the test files
# that exercise no C code of their own: readers, remote engines, plots,
# tidiers, documentation; their C calls are the kernels the other files test.
# (The readers of text files also compare numbers parsed by R's strtod, which
# accumulates in long double: valgrind emulates long double as double, so
# parsed values can differ from fread's in the last bit under valgrind only.)
# GVCLUSTER_SHARD = "i/n" runs the i-th of n shards of the files (the
# valgrind run starts its two shards itself, under valgrind).
files <- sub("^test-(.*)[.]R$", "\\1",
             list.files("tests/testthat", "^test-.*[.]R$"))
if (nzchar(Sys.getenv("GVCLUSTER_VALGRIND"))) {
  r_only <- c("citation", "compare", "data", "demo", "edges-policy",
              "linreg-nist", "lq-plot", "pkgdown", "plot-clusters", "read-eurostat",
              "read-icio", "read-icio-formats", "read-icio-series", "read-qcew",
              "remote-linreg", "remote-lq", "remote-names", "sensitivity-plot", "tidy")
  files <- setdiff(files, r_only)
}
shard <- Sys.getenv("GVCLUSTER_SHARD")
jobs <- Sys.getenv("GVCLUSTER_JOBS")
jobs <- if (nzchar(jobs)) as.integer(jobs) else
  min(2L, max(1L, parallel::detectCores(), na.rm = TRUE))
if (is.na(jobs) || jobs < 1L)
  stop("GVCLUSTER_JOBS must be a positive whole number, not \"",
       Sys.getenv("GVCLUSTER_JOBS"), "\"")

# ---- several shards side by side: start them, follow them, add them up ----
if (!nzchar(shard) && jobs > 1L) {
  rscript <- file.path(R.home("bin"), "Rscript")
  work <- tempfile("gvcluster-tests-")
  dir.create(work)
  path <- function(i, what) file.path(work, sprintf("shard%d.%s", i, what))
  for (i in seq_len(jobs)) {
    cmd <- sprintf("GVCLUSTER_SHARD=%d/%d GVCLUSTER_JOBS=1 GVCLUSTER_PROGRESS=%s %s %s %s > %s 2>&1; echo $? > %s",
                   i, jobs, shQuote(path(i, "progress")), shQuote(rscript),
                   shQuote(normalizePath("tools/run-tests.R")), shQuote(lib),
                   shQuote(path(i, "log")), shQuote(path(i, "rc")))
    system2("sh", c("-c", shQuote(cmd)), wait = FALSE)
  }
  cat(sprintf("%d test files in %d shards side by side (GVCLUSTER_JOBS=1 for one process)\n",
              length(files), jobs))
  t0 <- proc.time()[["elapsed"]]
  seen <- integer(jobs)
  done <- 0L
  follow <- function() {
    for (i in seq_len(jobs)) {
      p <- path(i, "progress")
      if (!file.exists(p)) next
      l <- readLines(p, warn = FALSE)
      l <- l[seq_len(max(0L, length(l) - !grepl("\n$", readChar(p, file.size(p), TRUE))))]
      new <- l[seq_along(l) > seen[i]]
      for (x in new) {
        done <<- done + 1L
        cat(sprintf("[%2d/%d %5.0fs] %s\n", done, length(files),
                    proc.time()[["elapsed"]] - t0, x))
      }
      seen[i] <<- length(l)
    }
    flush(stdout())
  }
  while (!all(file.exists(path(seq_len(jobs), "rc")))) {
    follow()
    Sys.sleep(0.5)
  }
  Sys.sleep(0.2)
  follow()
  passed <- failed <- skipped <- 0
  status <- 0L
  for (i in seq_len(jobs)) {
    log <- readLines(path(i, "log"), warn = FALSE)
    rc <- suppressWarnings(as.integer(readLines(path(i, "rc"), warn = FALSE)[1L]))
    cnt <- regmatches(log, regexec("^([0-9]+) passed, ([0-9]+) failed$", log))
    cnt <- Filter(length, cnt)
    skp <- regmatches(log, regexec("^([0-9]+) skipped$", log))
    skp <- Filter(length, skp)
    # the shard's report of skips, warnings and failures (testthat's summary)
    from <- grep("^\u2550\u2550 |^== ", log)
    ok <- length(cnt) && identical(rc, 0L)
    if (length(from) || !ok) {
      cat(sprintf("\n---- shard %d/%d%s\n", i, jobs,
                  if (ok) "" else sprintf(" (exit status %s)", rc)))
      keep <- if (length(from)) log[from[1L]:length(log)] else utils::tail(log, 40L)
      keep <- keep[!grepl("^([0-9]+ passed, [0-9]+ failed|[0-9]+ skipped)$", keep)]
      if (!length(cnt)) keep <- utils::tail(log, 40L)   # died: its last words
      cat(keep, sep = "\n")
    }
    if (!length(cnt)) {
      cat(sprintf("shard %d/%d ended without its counts (exit status %s)\n", i, jobs, rc))
      failed <- failed + 1
      status <- 1L
      next
    }
    passed <- passed + as.numeric(cnt[[length(cnt)]][2L])
    failed <- failed + as.numeric(cnt[[length(cnt)]][3L])
    if (length(skp)) skipped <- skipped + as.numeric(skp[[length(skp)]][2L])
    if (!identical(rc, 0L)) status <- 1L
  }
  if (failed > 0) status <- 1L
  cat(sprintf("\n%.0f s; %d skipped\n", proc.time()[["elapsed"]] - t0, skipped))
  cat(sprintf("%d passed, %d failed\n", passed, failed))
  unlink(work, recursive = TRUE)
  quit(status = status, save = "no")
}

# ---- one process: all files, or one shard of them ----
suppressPackageStartupMessages(library(testthat))
library(gvcluster)
if (nzchar(shard)) {
  k <- as.integer(strsplit(shard, "/", fixed = TRUE)[[1L]])
  if (length(k) != 2L || anyNA(k) || k[1L] < 1L || k[1L] > k[2L])
    stop("GVCLUSTER_SHARD must be \"i/n\" with 1 <= i <= n, not \"", shard, "\"")
  # costliest files first, each to the shard with least so far. A file's
  # cost is its size at the suite's average CPU time per byte (about 0.2 s
  # per kB), except for the remote tests, whose time goes to dbplyr building
  # SQL for each remote call: their measured CPU seconds instead
  size <- file.size(file.path("tests/testthat", paste0("test-", files, ".R"))) * 2e-4
  heavy <- c("remote-lq" = 100, "remote-names" = 55, "remote-linreg" = 13)
  k2 <- match(files, names(heavy))
  size[!is.na(k2)] <- heavy[k2[!is.na(k2)]]
  load <- numeric(k[2L]); owner <- integer(length(files))
  for (j in order(-size)) {
    owner[j] <- which.min(load)
    load[owner[j]] <- load[owner[j]] + size[j]
  }
  files <- files[owner == k[1L]]
}
reporter <- testthat::SummaryReporter$new(show_praise = FALSE)
progress <- Sys.getenv("GVCLUSTER_PROGRESS")
if (nzchar(progress)) {
  # one line per finished file, appended to the file GVCLUSTER_PROGRESS
  # (read by the process that started the shards)
  FileLines <- R6::R6Class("FileLines", inherit = testthat::Reporter, public = list(
    counts = NULL, t0 = NULL, name = NULL,
    start_file = function(filename) {
      self$name <- sub("^test-(.*)[.]R$", "\\1", basename(filename))
      self$counts <- c(passed = 0, failed = 0, skipped = 0)
      self$t0 <- proc.time()
    },
    add_result = function(context, test, result) {
      k <- if (inherits(result, "expectation_success")) "passed" else
        if (inherits(result, c("expectation_failure", "expectation_error"))) "failed" else
          if (inherits(result, "expectation_skip")) "skipped" else NA
      if (!is.na(k)) self$counts[[k]] <- self$counts[[k]] + 1
    },
    end_file = function() {
      t <- proc.time() - self$t0
      cat(sprintf("%s: %d passed, %d failed%s (%.1f s, %.1f s CPU; shard %s)\n",
                  self$name, as.integer(self$counts[["passed"]]),
                  as.integer(self$counts[["failed"]]),
                  if (self$counts[["skipped"]] > 0)
                    sprintf(", %d skipped", as.integer(self$counts[["skipped"]])) else "",
                  t[["elapsed"]], t[["user.self"]] + t[["sys.self"]], shard),
          file = progress, append = TRUE)
    }))
  reporter <- testthat::MultiReporter$new(list(reporter, FileLines$new()))
}
res <- testthat::test_dir("tests/testthat", package = "gvcluster",
                          filter = paste0("^(", paste(files, collapse = "|"), ")$"),
                          load_package = "installed",
                          reporter = reporter,
                          stop_on_failure = FALSE, stop_on_warning = FALSE)
df <- as.data.frame(res)
passed <- sum(df$passed)
failed <- sum(df$failed) + sum(df$error)
skipped <- sum(df$skipped)
cat(sprintf("\n%d skipped\n", skipped))
cat(sprintf("%d passed, %d failed\n", passed, failed))
quit(status = if (failed > 0) 1L else 0L, save = "no")
