# Benchmarks of the value-chain measures on a random table of WIOD size
# (44 countries x 56 sectors x 5 final-demand categories), side by side
# with decompr and exvatools and with one solve(diag(GN) - A) as the floor.
# Run from the package root:  Rscript bench/gvc.R
# (uses an installed gvcluster; set R_LIBS to a development library first).
# Peers run once each (they take tens of seconds to minutes); exvatools'
# Borin-Mancini decomposition is timed for a few exporters and scaled to
# all 44, as its cost is one extraction inverse per exporter.
suppressMessages({
  library(gvcluster)
  library(bench)
})
set.seed(42)
G <- 44L; N <- 56L; F <- 5L; n <- G * N
cc <- rep(seq_len(G), each = N)
Z <- matrix(rexp(n * n), n, n) * ifelse(outer(cc, cc, "=="), 20, 0.5)
Y <- matrix(rexp(n * G * F), n, G * F) *
  ifelse(outer(cc, rep(seq_len(G), each = F), "=="), 200, 5)
countries <- sprintf("C%02d", seq_len(G)); sectors <- sprintf("S%02d", seq_len(N))
tab <- icio(Z, Y, countries, sectors)
p <- gvcluster:::icio_parts(tab)
A <- p$A

one <- function(expr, it = 3L) {
  bench::mark(exprs = list(substitute(expr)), env = parent.frame(),
              iterations = it, check = FALSE, memory = TRUE, filter_gc = FALSE)
}
row <- function(label, b) {
  data.frame(task = label, median_s = as.numeric(b$median),
             mem_alloc_MB = as.numeric(b$mem_alloc) / 2^20)
}
res <- list()
res[[length(res) + 1]] <- row("floor: solve(diag(GN) - A)", one(solve(diag(n) - A)))
res[[length(res) + 1]] <- row("gvcluster leontief()", one(leontief(tab)))
res[[length(res) + 1]] <- row("gvcluster KWW", one(gvc_decompose(tab, "kww")))
res[[length(res) + 1]] <- row("gvcluster WWZ", one(gvc_decompose(tab, "wwz")))
res[[length(res) + 1]] <- row("gvcluster BM", one(gvc_decompose(tab, "bm", level = "bilateral")))
res[[length(res) + 1]] <- row("gvcluster leontief (HIY)", one(gvc_decompose(tab, "leontief")))
res[[length(res) + 1]] <- row("gvcluster WWYZ", one(gvc_decompose(tab, "wwyz")))
res[[length(res) + 1]] <- row("gvcluster gvc_index (t3)", one(gvc_index(tab)))
res[[length(res) + 1]] <- row("gvcluster all: leontief + KWW + WWZ + BM (shared inverse)", one({
  B <- leontief(tab)
  gvc_decompose(tab, "kww")
  gvc_decompose(tab, "wwz", leontief = B)
  gvc_decompose(tab, "bm", level = "bilateral", leontief = B)
}))
print(do.call(rbind, res))

# GVC_BENCH_PEERS=false skips the peers (minutes) to time gvcluster alone.
peers <- !identical(Sys.getenv("GVC_BENCH_PEERS"), "false")
if (peers && requireNamespace("decompr", quietly = TRUE)) {
  res[[length(res) + 1]] <- row("decompr load_tables_vectors", one(
    decompr::load_tables_vectors(x = Z, y = Y, k = countries, i = sectors), 1L))
  res[[length(res) + 1]] <- row("decompr kww (incl. load)", one(suppressMessages(
    decompr::decomp(x = Z, y = Y, k = countries, i = sectors, method = "kww")), 1L))
  res[[length(res) + 1]] <- row("decompr wwz (incl. load)", one(suppressMessages(
    decompr::decomp(x = Z, y = Y, k = countries, i = sectors, method = "wwz")), 1L))
  if ("bm" %in% getNamespaceExports("decompr"))
    res[[length(res) + 1]] <- row("decompr bm bilateral (incl. load)", one(suppressMessages(
      decompr::decomp(x = Z, y = Y, k = countries, i = sectors, method = "bm",
                      aggregation = "bilateral")), 1L))
  print(do.call(rbind, res))
}
if (peers && requireNamespace("exvatools", quietly = TRUE)) {
  df <- as.data.frame(cbind(Z, Y))
  b <- one(w <- exvatools::make_custom_wio(df, g_names = countries, n_names = sectors,
                                           quiet = TRUE), 1L)
  res[[length(res) + 1]] <- row("exvatools make_custom_wio", b)
  k <- 2L
  bx <- one(for (e in countries[seq_len(k)])
    exvatools::make_exvadec(w, exporter = e, method = "bm_src", quiet = TRUE), 1L)
  r <- row(sprintf("exvatools bm_src, %d exporters", k), bx)
  res[[length(res) + 1]] <- r
  res[[length(res) + 1]] <- data.frame(
    task = "exvatools bm_src, all 44 exporters (scaled) + make_custom_wio",
    median_s = r$median_s * G / k + res[[length(res) - 1]]$median_s, mem_alloc_MB = NA)
}
out <- do.call(rbind, res)
print(out, digits = 3)
