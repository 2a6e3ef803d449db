# Benchmarks of the clusters area (relatedness(), relatedness_density(),
# complexity(), clusters()) against EconGeo and economiccomplexity on 3,000
# regions x 1,000 industries: dense (all cells positive) and 5% sparse
# (dgCMatrix). Every pipeline starts from the raw values, so each includes
# its own RCA step. Run from the package root after `make install`:
#   R_LIBS=.lib Rscript bench/clusters.R
# Peers run once (they take seconds to minutes); gvcluster 3 times.
# The ECI floor is the number of operator applications our Lanczos
# iteration needed times one sparse product `M %*% v` (Matrix) with the RCA
# incidence matrix M; the script prints time / floor.
suppressPackageStartupMessages({
  library(gvcluster); library(Matrix)
})
have <- function(p) requireNamespace(p, quietly = TRUE)
rows <- list()
# Each expression is timed `iterations` times with system.time(); the table
# keeps the median CPU time of the R process (user + system, all its
# threads: two for gvcluster's kernels, one for the peers) and the median
# elapsed time. On a shared machine the CPU time is the steadier measure of
# the work done; the elapsed time includes waiting for a core.
run <- function(task, input, impl, expr, iterations = 3) {
  e <- substitute(expr)
  env <- parent.frame()
  tt <- tryCatch({
    invisible(gc())
    t(vapply(seq_len(iterations), function(i) {
      st <- system.time(eval(e, env), gcFirst = FALSE)
      c(cpu = unname(st[1] + st[2]), elapsed = unname(st[3]))
    }, c(cpu = 0, elapsed = 0)))
  }, error = function(err) { message(conditionMessage(err)); NULL })
  cpu <- if (is.null(tt)) NA_real_ else median(tt[, "cpu"])
  el <- if (is.null(tt)) NA_real_ else median(tt[, "elapsed"])
  rows[[length(rows) + 1]] <<- data.frame(task = task, input = input, impl = impl,
                                          cpu = cpu, elapsed = el)
  cat(sprintf("%-12s %-7s %-52s cpu %8.3f s  elapsed %8.3f s\n", task, input, impl,
              cpu, el))
  invisible(cpu)
}
slow <- function(...) run(..., iterations = 1)

set.seed(2026)
nr <- 3000; nc <- 1000
if (nzchar(Sys.getenv("BENCH_SMALL"))) { nr <- 300; nc <- 100 }   # a dry run
x <- matrix(rexp(nr * nc) * 100, nr, nc,
            dimnames = list(paste0("r", seq_len(nr)), paste0("i", seq_len(nc))))
sp <- rsparsematrix(nr, nc, 0.05, rand.x = function(n) rexp(n) * 100)
dimnames(sp) <- dimnames(x)
sp_dense <- as.matrix(sp)          # the peers take base matrices
cat("threads:", getOption("gvcluster.threads", 2), "; sparse nnz:", length(sp@x), "\n")
loadavg <- function() if (file.exists("/proc/loadavg")) readLines("/proc/loadavg") else NA
cat("load average at the start:", loadavg(), "\n")
t_start <- proc.time()

for (input in c("dense", "sparse")) {
  X <- if (input == "dense") x else sp
  XB <- if (input == "dense") x else sp_dense
  phi <- relatedness(X)
  inc <- gvcluster:::cl_incidence(X, NULL, NULL, NULL)$M
  Minc <- as(as(inc, "CsparseMatrix"), "generalMatrix")
  run("proximity", input, "gvcluster relatedness()", relatedness(X))
  run("cosine", input, "gvcluster relatedness(, \"cosine\")", relatedness(X, "cosine"))
  run("association", input, "gvcluster relatedness(, \"association\")",
      relatedness(X, "association"))
  run("density", input, "gvcluster relatedness_density()", relatedness_density(X, phi))
  t_val <- run("eci", input, "gvcluster complexity(outlook = FALSE)",
               complexity(X, outlook = FALSE))
  t_inc <- run("eci", input, "gvcluster, from the incidence matrix",
               complexity(Minc, rca = FALSE, outlook = FALSE))
  run("reflections", input, "gvcluster complexity(\"reflections\")",
      complexity(X, "reflections", outlook = FALSE))
  run("fitness", input, "gvcluster complexity(\"fitness\")",
      complexity(X, "fitness", outlook = FALSE))
  run("outlook", input, "gvcluster complexity() with outlook", complexity(X))
  run("clusters", input, "gvcluster clusters()", clusters(X, phi))
  # the ECI floor
  it <- complexity(Minc, rca = FALSE, outlook = FALSE)$iterations
  v <- rnorm(nc)
  one <- system.time(for (i in 1:200) Minc %*% v)
  one <- unname(one[1] + one[2]) / 200
  rows[[length(rows) + 1]] <- data.frame(task = "eci floor", input = input,
    impl = sprintf("%d products x one M %%*%% v (%.2f ms)", it, 1e3 * one),
    cpu = it * one, elapsed = NA_real_)
  cat(sprintf("%-12s %-7s %-52s cpu %8.3f s\n", "eci floor", input,
              sprintf("%d x M %%*%% v (%.2f ms cpu)", it, 1e3 * one), it * one))
  cat(sprintf("%-12s %-7s time / floor: %.2f from the values, %.2f from the incidence\n",
              "eci floor", input, t_val / (it * one), t_inc / (it * one)))
  if (have("economiccomplexity")) {
    ec <- asNamespace("economiccomplexity")
    B <- ec$balassa_index(XB)
    slow("proximity", input, "economiccomplexity proximity(balassa_index())",
         ec$proximity(ec$balassa_index(XB), compute = "product"))
    P <- ec$proximity(B, compute = "product")$proximity_product
    slow("density", input, "economiccomplexity density(balassa_index())",
         ec$density(ec$balassa_index(XB), as.matrix(phi)))
    # its "eigenvalues" method eigen-decomposes dense 3,000 x 3,000 and
    # 1,000 x 1,000 matrices after running the reflections (minutes with the
    # reference LAPACK): not run; its ECI by reflections is the fast one
    slow("reflections", input, "economiccomplexity complexity_measures(reflections)",
         ec$complexity_measures(ec$balassa_index(XB), "reflections"))
    slow("fitness", input, "economiccomplexity complexity_measures(fitness)",
         ec$complexity_measures(ec$balassa_index(XB), "fitness"))
    slow("outlook", input, "economiccomplexity outlook pipeline", {
      B <- ec$balassa_index(XB)
      P <- ec$proximity(B, compute = "product")$proximity_product
      cm <- ec$complexity_measures(B, "reflections")
      ec$complexity_outlook(B, P, cm$complexity_index_product)
    })
  }
  if (have("EconGeo")) {
    eg <- asNamespace("EconGeo")
    slow("association", input, "EconGeo relatedness(co_occurrence(rca))",
         eg$relatedness(eg$co_occurrence(t(eg$rca(XB, binary = TRUE))), "association"))
    slow("cosine", input, "EconGeo relatedness(, \"cosine\") (its cosine)",
         eg$relatedness(eg$co_occurrence(t(eg$rca(XB, binary = TRUE))), "cosine"))
    slow("density", input, "EconGeo relatedness_density(rca)",
         eg$relatedness_density(eg$rca(XB, binary = TRUE), as.matrix(phi)))
    slow("pci", input, "EconGeo tci(rca = TRUE)", eg$tci(XB, rca = TRUE))
    slow("reflections", input, "EconGeo mort(rca = TRUE)", eg$mort(XB, rca = TRUE))
  }
}
res <- do.call(rbind, rows)
print(res, row.names = FALSE)
tt <- proc.time() - t_start
cat(sprintf("whole script: cpu %.1f s, elapsed %.1f s; load average at the end: %s\n",
            tt[[1]] + tt[[2]], tt[[3]], loadavg()))
