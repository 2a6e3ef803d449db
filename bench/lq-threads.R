# Dense lq() at 3,000 x 10,000 (60% zeros, as bench/lq.R) with its default
# two threads and with one, beside its floor `x + 0`, for several installed
# copies of gvcluster, alternating (their order reversed every round), each
# in its own Rscript process:
#   Rscript bench/lq-threads.R <lib> [<lib> ...] [--rounds 6]
# Prints one line per process: elapsed minimum and median of 12 calls, and
# the CPU (user + system) minimum. A library without the threaded passes
# (0.1.0, say) times the same code in both columns.
a <- commandArgs(TRUE)
if (length(a) >= 1L && a[1L] == "--one") {
  lib <- a[2L]
  suppressPackageStartupMessages(library(gvcluster, lib.loc = lib))
  set.seed(42)
  x <- matrix(rexp(3000 * 10000) * 100, 3000, 10000)
  x[runif(length(x)) < 0.6] <- 0
  invisible(gc())
  tm <- function(f) {
    r <- replicate(12, {
      g <- system.time(f())
      c(g[["elapsed"]], g[["user.self"]] + g[["sys.self"]])
    })
    c(min(r[1, ]), stats::median(r[1, ]), min(r[2, ]))
  }
  fl <- tm(function() x + 0)
  t2 <- tm(function() lq(x))
  options(gvcluster.threads = 1)
  t1 <- tm(function() lq(x))
  cat(sprintf(paste("%s %s | floor %.3f %.3f | 2 threads %.3f %.3f cpu %.3f |",
                    "1 thread %.3f %.3f cpu %.3f\n"),
              lib, packageVersion("gvcluster", lib.loc = lib),
              fl[1], fl[2], t2[1], t2[2], t2[3], t1[1], t1[2], t1[3]))
  quit(save = "no")
}
rounds <- 6L
if (length(k <- which(a == "--rounds"))) {
  rounds <- as.integer(a[k + 1L])
  a <- a[-c(k, k + 1L)]
}
if (!length(a)) a <- .libPaths()[1L]
rs <- file.path(R.home("bin"), "Rscript")
this <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
for (r in seq_len(rounds)) {
  libs <- if (r %% 2L) a else rev(a)
  for (lib in libs) system2(rs, c(this, "--one", lib))
}
