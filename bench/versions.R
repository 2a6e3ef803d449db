# Every benchmark that bench/ held at 68f0fc3 (lq, linreg, indices,
# indices-sort, evaluation, sensitivity, gvc), at its full size, for two
# installed copies of gvcluster side by side: gvcluster's own calls only (the
# peers do not change between versions). Each group of operations runs in its
# own Rscript process per library, the two libraries alternating and their
# order swapped every round; each operation is timed `reps` times per process
# (elapsed and user + sys CPU seconds, the package's default threads unless
# the operation says otherwise).
#   Rscript bench/versions.R <lib before> <lib after> [rounds] [reps]
# (VERSIONS_GROUPS=lq,gvc runs only those groups, VERSIONS_OPS=<regex> only
# the operations whose names match). Prints, per operation, the
# minimum and median elapsed seconds with each library and their ratios
# (after / before); with VERSIONS_OUT=<file> every timing is written to that
# CSV file too (bench/versions-results.csv holds those of runs 3 to 5).
a <- commandArgs(TRUE)
if (length(a) >= 1L && a[1L] == "--group") {
  lib <- a[2L]; group <- a[3L]; reps <- as.integer(a[4L])
  suppressPackageStartupMessages({
    library(gvcluster, lib.loc = lib); library(Matrix)
  })
  ops <- list()
  op <- function(name, expr, threads = NULL)
    ops[[name]] <<- list(f = eval(call("function", NULL, substitute(expr)), parent.frame()),
                         threads = threads)
  if (group == "lq") {                     # bench/lq.R
    set.seed(42)
    x <- matrix(rexp(3000 * 10000) * 100, 3000, 10000); x[runif(length(x)) < 0.6] <- 0
    s <- as(x, "CsparseMatrix")
    p <- expand.grid(industry = 1:100, region = 1:5000, year = 2000:2019,
                     KEEP.OUT.ATTRS = FALSE)
    p$emp <- rexp(nrow(p)) * 100; p$emp[runif(nrow(p)) < 0.3] <- 0
    op("floor x + 0 (dense)", x + 0)
    op("lq dense 3000 x 10000", lq(x))
    op("lq sparse dgCMatrix", lq(s))
    op("lq panel 1e7 rows", lq(p, "emp", "region", "industry", by = "year"))
  } else if (group == "linreg") {          # bench/linreg.R
    mk <- function(n, pp) {
      set.seed(42)
      d <- as.data.frame(matrix(rnorm(n * pp), n, pp)); names(d) <- paste0("x", seq_len(pp))
      d$y <- drop(as.matrix(d[, 1:5]) %*% c(1, -1, 0.5, 2, 0)) + rnorm(n)
      d
    }
    d1 <- mk(1e6, 20); d2 <- mk(1e5, 200)
    op("linreg 1e6 x 20", linreg(y ~ ., data = d1))
    op("linreg 1e6 x 20, 1 thread", linreg(y ~ ., data = d1), threads = 1L)
    op("linreg 1e6 x 20, no DW p", linreg(y ~ ., data = d1, dw_pvalue = FALSE))
    op("linreg 1e5 x 200", linreg(y ~ ., data = d2))
  } else if (group %in% c("indices", "indices-sort")) {  # bench/indices*.R
    set.seed(2024)
    nr <- 3000; nc <- 1000
    x <- matrix(rexp(nr * nc) * 100, nr, nc,
                dimnames = list(paste0("r", seq_len(nr)), paste0("i", seq_len(nc))))
    xs <- x; xs[runif(nr * nc) < 0.6] <- 0
    sp <- as(xs, "CsparseMatrix")
    if (group == "indices-sort") dimnames(x) <- dimnames(xs) <- NULL
    ny <- 10; per <- 1e6
    cells <- unlist(lapply(seq_len(ny), function(t) sample.int(nr * nc, per)))
    panel <- data.frame(region = (cells - 1L) %% nr + 1L,
                        industry = (cells - 1L) %/% nr + 1L,
                        year = rep(2011L:2020L, each = per), value = rexp(ny * per) * 100)
    rm(cells)
    if (group == "indices") {
      for (ix in c("krugman", "hoover", "hhi", "hhi_normalized", "entropy", "theil_t",
                   "theil_l", "duranton_puga", "lq_average", "hachman")) {
        eval(bquote(op(.(paste("spec", ix, "dense")), specialization(x, .(ix)))))
        eval(bquote(op(.(paste("spec", ix, "sparse")), specialization(sp, .(ix)))))
      }
      wts <- runif(nc) * 10
      op("spec hoover weighted dense", specialization(x, "hoover", weights = wts))
      op("spec hoover weighted sparse", specialization(sp, "hoover", weights = wts))
      op("spec all 10 dense", specialization(x))
      op("spec all 10 sparse", specialization(sp))
      for (ix in c("krugman", "hoover", "gini", "locational_gini", "gini_lq")) {
        eval(bquote(op(.(paste("conc", ix, "dense")), concentration(x, .(ix)))))
        eval(bquote(op(.(paste("conc", ix, "sparse")), concentration(sp, .(ix)))))
      }
      wr <- runif(nr) * 10
      op("conc hoover weighted dense", concentration(x, "hoover", weights = wr))
      op("conc hoover weighted sparse", concentration(sp, "hoover", weights = wr))
      op("conc all 5 dense", concentration(x))
      op("conc all 5 sparse", concentration(sp))
      op("spec krugman panel", specialization(panel, "krugman", by = "year"))
      op("spec all 10 panel", specialization(panel, by = "year"))
      op("conc gini panel", concentration(panel, "gini", by = "year"))
      op("conc all 5 panel", concentration(panel, by = "year"))
      op("shift dunn panel", shift_share(panel, "value", "region", "industry", "year"))
      op("shift esteban panel", shift_share(panel, "value", "region", "industry", "year",
                                            method = "esteban"))
      op("shift dynamic panel", shift_share(panel, "value", "region", "industry", "year",
                                            method = "dynamic"))
      np <- 1e6
      plants <- data.frame(emp = ceiling(rexp(np) * 20),
                           ind = sample.int(nc, np, replace = TRUE),
                           reg = sample.int(nr, np, replace = TRUE, prob = rexp(nr)))
      op("ellison_glaeser plants", ellison_glaeser(plants, value = "emp", region = "reg", industry = "ind"))
      op("maurel_sedillot plants", maurel_sedillot(plants, value = "emp", region = "reg", industry = "ind"))
      op("ellison_glaeser pairs plants",
         ellison_glaeser(plants, value = "emp", region = "reg", industry = "ind",
                         pairs = TRUE))
    } else {
      for (th in 1:2) for (ix in c("locational_gini", "gini_lq", "gini")) {
        eval(bquote(op(.(paste(ix, "dense", th, "thr")), concentration(x, .(ix)), .(th))))
        eval(bquote(op(.(paste(ix, "dense 60%0", th, "thr")), concentration(xs, .(ix)), .(th))))
        eval(bquote(op(.(paste(ix, "sparse", th, "thr")), concentration(sp, .(ix)), .(th))))
      }
      for (th in 1:2) {
        eval(bquote(op(.(paste("all 5 dense", th, "thr")), concentration(x), .(th))))
        eval(bquote(op(.(paste("gini panel", th, "thr")),
                       concentration(panel, "gini", by = "year"), .(th))))
        eval(bquote(op(.(paste("all 5 panel", th, "thr")),
                       concentration(panel, by = "year"), .(th))))
      }
    }
  } else if (group == "evaluation") {      # bench/evaluation.R
    set.seed(1)
    for (s in list(c(1e3, 10), c(1e5, 10), c(1e6, 5))) {
      xe <- matrix(rlnorm(s[1] * s[2]), s[1], s[2])
      ce <- rep(c(FALSE, TRUE), length.out = s[2])
      eval(bquote(op(.(sprintf("entropy_weights %g x %g", s[1], s[2])),
                     entropy_weights(.(xe), cost = .(ce)))))
    }
    sc <- replicate(6, runif(1e6, 1, 10), simplify = FALSE)
    op("gem_score 1e6 clusters", do.call(gem_score, sc))
    op("gem_score bengbu mapping",
       gem_score(bengbu, id = "year",
                 mapping = list(infrastructure = c("infra", "sup"),
                                resources = c("phrl", "tech"),
                                local_market = "dm", external_market = "fm")))
  } else if (group == "sensitivity") {     # bench/sensitivity.R
    fit <- lm(LQ ~ infra + sup + tech + phrl + fm + dm, data = bengbu)
    op("sensitivity 10000 draws", sensitivity(fit, draws = 10000L))
  } else if (group == "gvc") {             # bench/gvc.R, WIOD size
    set.seed(42)
    G <- 44L; N <- 56L; F <- 5L; n <- G * N
    cc <- rep(seq_len(G), each = N)
    Z <- matrix(rexp(n * n), n, n) * ifelse(outer(cc, cc, "=="), 20, 0.5)
    Y <- matrix(rexp(n * G * F), n, G * F) *
      ifelse(outer(cc, rep(seq_len(G), each = F), "=="), 200, 5)
    tab <- icio(Z, Y, sprintf("C%02d", seq_len(G)), sprintf("S%02d", seq_len(N)))
    rm(Z, Y)
    op("leontief()", leontief(tab))
    op("gvc_decompose kww", gvc_decompose(tab, "kww"))
    op("gvc_decompose wwz", gvc_decompose(tab, "wwz"))
    op("gvc_decompose bm bilateral", gvc_decompose(tab, "bm", level = "bilateral"))
    op("gvc_decompose leontief (HIY)", gvc_decompose(tab, "leontief"))
    op("gvc_decompose wwyz", gvc_decompose(tab, "wwyz"))
    op("gvc_index", gvc_index(tab))
    op("all: leontief + kww + wwz + bm", {
      B <- leontief(tab)
      gvc_decompose(tab, "kww")
      gvc_decompose(tab, "wwz", leontief = B)
      gvc_decompose(tab, "bm", level = "bilateral", leontief = B)
    })
  } else stop("unknown group ", group)
  keep <- Sys.getenv("VERSIONS_OPS")
  for (nm in names(ops)) {
    if (nzchar(keep) && !grepl(keep, nm)) next
    o <- ops[[nm]]
    old <- options(gvcluster.threads = o$threads)
    w <- tryCatch(system.time(o$f())[["elapsed"]], error = function(e) {
      cat("#", nm, "error:", conditionMessage(e), "\n"); NA })
    # operations under 0.1 s are timed k times in a row (k calls >= 0.2 s)
    k <- if (is.na(w) || w >= 0.1) 1L else as.integer(ceiling(0.2 / max(w, 0.002)))
    for (r in seq_len(if (is.na(w)) 0L else reps)) {
      t <- system.time(for (i in seq_len(k)) o$f(), gcFirst = TRUE) / k
      cat(sprintf("%s\t%s\t%s\t%.5f\t%.5f\n", group, nm, lib, t[["elapsed"]],
                  t[["user.self"]] + t[["sys.self"]]))
    }
    options(old)
  }
  quit(save = "no")
}
if (length(a) < 2L) {
  message("bench/versions.R compares installed copies of gvcluster: ", "Rscript bench/versions.R <lib before> <lib after> [rounds] [reps]",
          "; given fewer than two libraries, nothing to compare")
  quit(save = "no")
}
libs <- a[1:2]
rounds <- if (length(a) >= 3L) as.integer(a[3L]) else 2L
reps <- if (length(a) >= 4L) as.integer(a[4L]) else 3L
groups <- c("lq", "linreg", "indices", "indices-sort", "evaluation", "sensitivity", "gvc")
if (nzchar(Sys.getenv("VERSIONS_GROUPS")))
  groups <- strsplit(Sys.getenv("VERSIONS_GROUPS"), ",")[[1L]]
me <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
lines <- character()
for (g in groups) for (r in seq_len(rounds)) {
  for (lib in if (r %% 2L) libs else rev(libs)) {
    out <- system2(file.path(R.home("bin"), "Rscript"),
                   c(me, "--group", lib, g, reps), stdout = TRUE)
    cat(out, sep = "\n")
    lines <- c(lines, grep("\t", out, value = TRUE))
  }
}
d <- read.table(text = lines, sep = "\t", quote = "",
                col.names = c("group", "operation", "lib", "elapsed", "cpu"))
if (nzchar(Sys.getenv("VERSIONS_OUT")))
  write.csv(d, Sys.getenv("VERSIONS_OUT"), row.names = FALSE)
key <- unique(d[c("group", "operation")])
res <- do.call(rbind, lapply(seq_len(nrow(key)), function(i) {
  s <- d[d$group == key$group[i] & d$operation == key$operation[i], ]
  b <- s$elapsed[s$lib == libs[1L]]; f <- s$elapsed[s$lib == libs[2L]]
  data.frame(key[i, ], before_min = min(b), after_min = min(f),
             before_median = median(b), after_median = median(f),
             ratio_min = min(f) / min(b), ratio_median = median(f) / median(b))
}))
print(res, row.names = FALSE, digits = 3)
