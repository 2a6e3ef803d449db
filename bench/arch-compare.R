# CPU time of the operations the architecture change (issue 13) touched,
# before and after, in the same run: two installed copies of the package
# (say main's in .lib-before, the branch's in .lib), each operation run
# alternately with each library in separate Rscript processes (the machine
# is shared: user + sys CPU time is steadier than wall-clock), one thread.
#   Rscript bench/arch-compare.R .lib-before .lib [rounds] [reps]
# (ARCH_OPS=lq_panel,linreg ... runs only those operations; ARCH_THREADS=2
# runs them on two threads, CPU time then summing both)
# prints, per operation, the median CPU seconds of rounds x reps timings
# with each library and their ratio (after / before).
a <- commandArgs(TRUE)
if (length(a) >= 1L && a[1L] == "--op") {
  # child: Rscript bench/arch-compare.R --op <lib> <op> <reps>
  lib <- a[2L]; op <- a[3L]; reps <- as.integer(a[4L])
  suppressPackageStartupMessages(library(gvcluster, lib.loc = lib))
  options(gvcluster.threads = as.integer(Sys.getenv("ARCH_THREADS", "1")))
  set.seed(42)
  if (op %in% c("lq_dense", "dense_floor")) {  # bench/lq.R's dense matrix
    x <- matrix(rexp(3000 * 10000) * 100, 3000, 10000)
    x[runif(length(x)) < 0.6] <- 0
    f <- if (op == "lq_dense") function() lq(x) else function() x + 0
  } else if (op %in% c("linreg_1e6", "lm_fit_1e6")) {  # bench/linreg.R, p = 20
    n <- 1e6; pp <- 20
    d <- as.data.frame(matrix(rnorm(n * pp), n, pp)); names(d) <- paste0("x", seq_len(pp))
    d$y <- drop(as.matrix(d[, 1:5]) %*% c(1, -1, 0.5, 2, 0)) + rnorm(n)
    X <- cbind(1, as.matrix(d[, seq_len(pp)])); y <- d$y
    f <- if (op == "linreg_1e6") function() linreg(y ~ ., data = d)
         else function() .lm.fit(X, y)
  } else if (op == "lq_panel") {            # bench/lq.R's panel, 10 million rows
    p <- expand.grid(industry = 1:100, region = 1:5000, year = 2000:2019,
                     KEEP.OUT.ATTRS = FALSE)
    p$emp <- rexp(nrow(p)) * 100; p$emp[runif(nrow(p)) < 0.3] <- 0
    f <- function() lq(p, "emp", "region", "industry", by = "year")
  } else if (op == "lq_panel_chr") { # string keys and a reference table
    p <- expand.grid(industry = 1:100, region = 1:2000, year = 2000:2009,
                     KEEP.OUT.ATTRS = FALSE)
    p$emp <- rexp(nrow(p)) * 100
    p$region <- paste0("r", p$region); p$industry <- paste0("i", p$industry)
    nat <- data.frame(industry = paste0("i", 1:100), emp = runif(100) * 1e4)
    f <- function() lq(p, "emp", "region", "industry", by = "year", reference = nat)
  } else if (op %in% c("spec_panel", "conc_panel", "shift_panel")) {
    # bench/indices.R's 10-million-row panel
    nr <- 3000; nc <- 1000; ny <- 10; per <- 1e6
    cells <- unlist(lapply(seq_len(ny), function(t) sample.int(nr * nc, per)))
    panel <- data.frame(region = (cells - 1L) %% nr + 1L,
                        industry = (cells - 1L) %/% nr + 1L,
                        year = rep(2011L:2020L, each = per), value = rexp(ny * per) * 100)
    rm(cells)
    f <- switch(op,
      spec_panel = function() specialization(panel, "krugman", by = "year"),
      conc_panel = function() concentration(panel, "gini", by = "year"),
      shift_panel = function() shift_share(panel, "value", "region", "industry", "year"))
  } else if (op %in% c("spec_dense", "conc_dense")) {
    x <- matrix(rexp(3000 * 1000) * 100, 3000, 1000); x[runif(length(x)) < 0.3] <- 0
    f <- if (op == "spec_dense") function() specialization(x) else function() concentration(x)
  } else if (op == "linreg") {       # bench/linreg.R's design at n = 5e5
    n <- 5e5; pp <- 20
    d <- as.data.frame(matrix(rnorm(n * pp), n, pp)); names(d) <- paste0("x", seq_len(pp))
    d$y <- drop(as.matrix(d[, 1:5]) %*% c(1, -1, 0.5, 2, 0)) + rnorm(n)
    f <- function() linreg(y ~ ., data = d)
  } else if (op == "sensitivity") {  # bench/sensitivity.R
    fit <- lm(LQ ~ infra + sup + tech + phrl + fm + dm, data = bengbu)
    f <- function() sensitivity(fit, draws = 10000L)
  } else stop("unknown operation ", op)
  invisible(f()); invisible(gc())
  for (r in seq_len(reps)) {
    t <- system.time(f(), gcFirst = TRUE)
    cat(op, lib, t[["user.self"]] + t[["sys.self"]], "\n")
  }
  quit(save = "no")
}
if (length(a) < 2L) {
  message("bench/arch-compare.R compares installed copies of gvcluster: ", "Rscript bench/arch-compare.R <lib before> <lib after> [rounds] [reps]",
          "; given fewer than two libraries, nothing to compare")
  quit(save = "no")
}
libs <- a[1:2]
rounds <- if (length(a) >= 3L) as.integer(a[3L]) else 5L
reps <- if (length(a) >= 4L) as.integer(a[4L]) else 2L
ops <- c("lq_panel", "lq_panel_chr", "linreg", "sensitivity", "spec_panel",
         "conc_panel", "spec_dense", "conc_dense", "shift_panel")
if (nzchar(Sys.getenv("ARCH_OPS"))) ops <- strsplit(Sys.getenv("ARCH_OPS"), ",")[[1L]]
me <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
rows <- list()
for (op in ops) for (r in seq_len(rounds)) for (lib in libs) {
  out <- system2(file.path(R.home("bin"), "Rscript"),
                 c(me, "--op", lib, op, reps), stdout = TRUE)
  rows[[length(rows) + 1L]] <- read.table(text = out, col.names = c("op", "lib", "cpu"))
}
tab <- do.call(rbind, rows)
med <- tapply(tab$cpu, list(tab$op, tab$lib), stats::median)[ops, libs, drop = FALSE]
mn <- tapply(tab$cpu, list(tab$op, tab$lib), min)[ops, libs, drop = FALSE]
print(data.frame(operation = ops, before_s = med[, 1], after_s = med[, 2],
                 ratio = round(med[, 2] / med[, 1], 3),
                 min_before_s = mn[, 1], min_after_s = mn[, 2],
                 min_ratio = round(mn[, 2] / mn[, 1], 3), row.names = NULL))
