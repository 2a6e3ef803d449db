# The long-panel entry (lq() and the indices on a long data frame) against
# other installed versions of gvcluster, alternating: each round runs every
# version once, each in its own R process, and each case `reps` times in it;
# the figure kept is the minimum CPU time (user + system, all threads) over
# all repeats and rounds, the steadier guide on a shared machine.
#
#   Rscript bench/panel.R <library of version A> <library of version B> ...
#
# (each argument a library holding one installed gvcluster, e.g. .lib and a
# library with the 0.1.0 release installed). The panels are those of
# bench/lq.R (10 million rows: 5,000 regions x 100 industries x 20 years)
# and bench/indices.R (10 million rows: 10 years x 1,000,000 cells of
# 3,000 x 1,000).
args <- commandArgs(TRUE)
if (length(args) && args[1] == "--one") {
  lib <- args[2]
  reps <- as.integer(args[3])
  .libPaths(c(lib, .libPaths()))
  suppressMessages(library(gvcluster))
  set.seed(1)
  p <- expand.grid(industry = 1:100, region = 1:5000, year = 2000:2019,
                   KEEP.OUT.ATTRS = FALSE)
  p$emp <- rexp(nrow(p)) * 100
  p$emp[runif(nrow(p)) < 0.3] <- 0
  nr <- 3000; nc <- 1000; ny <- 10; per <- 1e6
  cells <- unlist(lapply(seq_len(ny), function(t) sample.int(nr * nc, per)))
  panel <- data.frame(region = (cells - 1L) %% nr + 1L, industry = (cells - 1L) %/% nr + 1L,
                      year = rep(2011L:2020L, each = per), value = rexp(ny * per) * 100)
  rm(cells); invisible(gc())
  cases <- list(
    "lq, bench/lq.R panel" = quote(lq(p, "emp", "region", "industry", by = "year")),
    "krugman (spec)" = quote(specialization(panel, "krugman", by = "year")),
    "all 10 spec" = quote(specialization(panel, by = "year")),
    "gini (conc)" = quote(concentration(panel, "gini", by = "year")),
    "all 5 conc" = quote(concentration(panel, by = "year")),
    "shift dunn" = quote(shift_share(panel, "value", "region", "industry", "year")))
  for (nm in names(cases)) {
    t <- numeric(reps)
    for (i in seq_len(reps)) {
      invisible(gc(FALSE))
      t0 <- proc.time()
      r <- eval(cases[[nm]])
      t1 <- proc.time()
      t[i] <- sum((t1 - t0)[c("user.self", "sys.self")])
    }
    cat(sprintf("%s\t%s\t%.3f\n", lib, nm, min(t)))
  }
  quit(save = "no")
}
if (length(args) < 2L) {
  message("bench/panel.R compares installed copies of gvcluster: ", "Rscript bench/panel.R <lib A> <lib B> ...",
          "; given fewer than two libraries, nothing to compare")
  quit(save = "no")
}
libs <- args
rounds <- 3
rows <- NULL
for (r in seq_len(rounds)) {
  for (lib in libs) {
    out <- system2(file.path(R.home("bin"), "Rscript"),
                   c("bench/panel.R", "--one", lib, "3"), stdout = TRUE)
    rows <- rbind(rows, utils::read.delim(text = out, header = FALSE,
                                          col.names = c("lib", "case", "cpu")))
  }
}
m <- tapply(rows$cpu, list(rows$case, rows$lib), min)
print(round(m[, libs, drop = FALSE], 3))
