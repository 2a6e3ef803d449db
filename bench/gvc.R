# Benchmarks of the value-chain measures on a random table of WIOD size
# (44 countries x 56 sectors x 5 final-demand categories; GVC_BENCH_SIZE=oecd
# for the OECD 2023 size, 77 x 45 x 6; GVC_BENCH_SIZE=small for 20 x 20 x 5,
# where icio's WWZ takes seconds), side by side with the icio package
# (1.0.0, the R port of the Stata command) and one solve(diag(GN) - A).
# Run from the package root:  R_LIBS=.lib Rscript bench/gvc.R
# GVC_BENCH_WWZ_PEER=false skips icio's WWZ (several minutes at WIOD size; the raw
# icio WWZ pair, load_icio() + wwz(), runs at the small size only).
suppressMessages({
  library(gvcluster)
  library(bench)
})
size <- Sys.getenv("GVC_BENCH_SIZE", "wiod")
dims <- switch(size, oecd = c(G = 77L, N = 45L, F = 6L), small = c(G = 20L, N = 20L, F = 5L),
               c(G = 44L, N = 56L, F = 5L))
G <- dims[["G"]]; N <- dims[["N"]]; F <- dims[["F"]]; n <- G * N
set.seed(42)
cc <- rep(seq_len(G), each = N)
Z <- matrix(rexp(n * n), n, n) * ifelse(outer(cc, cc, "=="), 20, 0.5)
Y <- matrix(rexp(n * G * F), n, G * F) *
  ifelse(outer(cc, rep(seq_len(G), each = F), "=="), 200, 5)
countries <- sprintf("C%02d", seq_len(G)); sectors <- sprintf("S%02d", seq_len(N))
cat(sprintf("table: %d x %d = %d country-sectors, %d final-demand categories\n", G, N, n, F))

one <- function(expr, it = 1L) {
  bench::mark(exprs = list(substitute(expr)), env = parent.frame(),
              iterations = it, check = FALSE, memory = TRUE, filter_gc = FALSE)
}
res <- list()
add <- function(label, b) {
  r <- data.frame(task = label, median_s = as.numeric(b$median),
                  mem_alloc_MB = as.numeric(b$mem_alloc) / 2^20)
  res[[length(res) + 1L]] <<- r
  print(r, digits = 3)
}
bm_cfgs <- list(
  c("exporter", "source", "exports", "bilateral"), c("exporter", "sink", "exports", "bilateral"),
  c("world", "source", "exports", "country"), c("world", "sink", "exports", "country"),
  c("self", "source", "exports", "bilateral"), c("importer", "source", "imports", "bilateral"))
run_bm <- function(x, cfg) gvc_decompose(x, "bm", perspective = cfg[1], approach = cfg[2],
                                         flow = cfg[3], level = cfg[4])

A <- Z * rep(1 / (rowSums(Z) + rowSums(Y)), each = n)
add("floor: solve(diag(GN) - A)", one(solve(diag(n) - A)))
rm(A); invisible(gc())

# a loaded table: gvcluster's caches warm after one earlier run of every
# method; icio after load_icio(). Pairs run back to back.
peer <- requireNamespace("icio", quietly = TRUE)
if (peer) add("icio::load_icio", one(ic <- icio::load_icio(Z, Y, countries, sectors)))
tab <- icio(Z, Y, countries, sectors)
invisible(gvc_decompose(tab, "kww")); invisible(gvc_decompose(tab, "wwz"))
for (cfg in bm_cfgs) run_bm(tab, cfg)
env <- gvcluster:::icio_cache(tab)
cache_mb <- sum(vapply(mget(ls(env), envir = env), function(o) as.numeric(object.size(o)), 0)) / 2^20
fp_mb <- as.numeric(object.size(env$.fp)) / 2^20      # the table's own matrices, shared
cat(sprintf("cache after every method: %.1f MB (of which %.1f MB are references to the table's own Z, Y, x, va)\n",
            cache_mb, fp_mb))
cat(sprintf("serialized table: %.1f MB; Z alone %.1f MB\n",
            length(serialize(tab, NULL)) / 2^20, as.numeric(object.size(Z)) / 2^20))
add("loaded: KWW", one(gvc_decompose(tab, "kww"), 3L))
if (peer) add("icio loaded: kww", one(icio::kww(ic)))
add("loaded: BM exporter/source (sector)", one(gvc_decompose(tab, "bm", level = "sector"), 3L))
if (peer) add("icio loaded: bm sector", one(icio::bm(ic, aggregation = "sector")))
add("loaded: BM exporter/source (bilateral)", one(gvc_decompose(tab, "bm", level = "bilateral"), 3L))
if (peer) add("icio loaded: bm bilateral", one(icio::bm(ic, aggregation = "bilateral")))
add("loaded: BM exporter/sink (bilateral)", one(run_bm(tab, bm_cfgs[[2]]), 3L))
if (peer) add("icio loaded: bm sink bilateral", one(icio::bm(ic, aggregation = "bilateral", approach = "sink")))
add("loaded: BM world/sink (corrected KWW)", one(run_bm(tab, bm_cfgs[[4]]), 3L))
if (peer) add("icio loaded: bm world sink", one(icio::bm(ic, perspective = "world", approach = "sink")))
add("loaded: BM importer (bilateral)", one(run_bm(tab, bm_cfgs[[6]]), 3L))
add("loaded: BMT output-based (sector)", one(gvc_decompose(tab, "bmt_output", level = "sector"), 3L))
wwz_peer <- peer && !identical(Sys.getenv("GVC_BENCH_WWZ_PEER"), "false")
add("loaded: WWZ (bilateral)", one(gvc_decompose(tab, "wwz"), 3L))
if (wwz_peer) add("icio loaded: wwz", one(icio::wwz(ic)))
if (peer) { rm(ic); invisible(gc()) }
rm(tab, env); invisible(gc())

# from a raw table: icio() + the decomposition, a fresh table each time
add("raw: icio() + KWW", one(gvc_decompose(icio(Z, Y, countries, sectors), "kww")))
if (peer) add("icio raw: load_icio + kww", one(icio::kww(icio::load_icio(Z, Y, countries, sectors))))
add("raw: icio() + WWZ (bilateral)", one(gvc_decompose(icio(Z, Y, countries, sectors), "wwz")))
if (wwz_peer && size == "small") add("icio raw: load_icio + wwz", one(icio::wwz(icio::load_icio(Z, Y, countries, sectors))))
add("raw: icio() + BM exporter/source (sector)",
    one(gvc_decompose(icio(Z, Y, countries, sectors), "bm", level = "sector")))
add("raw: icio() + everything (KWW, WWZ, 6 BM perspectives/approaches, TiVA, BMT trade and output, WWYZ, HIY, gvc_index x2)", one({
  x <- icio(Z, Y, countries, sectors)
  gvc_decompose(x, "kww"); gvc_decompose(x, "wwz")
  for (cfg in bm_cfgs) run_bm(x, cfg)
  gvc_decompose(x, "tiva"); gvc_decompose(x, "bmt"); gvc_decompose(x, "bmt_output")
  gvc_decompose(x, "wwyz")
  gvc_decompose(x, "leontief"); gvc_index(x); gvc_index(x, iv = "vs1")
}))
out <- do.call(rbind, res)
print(out, digits = 3)
cat(sprintf("R process CPU (user + system): %.1f s; load average at the end: %s\n",
            sum(proc.time()[c("user.self", "sys.self")]),
            tryCatch(paste(readLines("/proc/loadavg", warn = FALSE), collapse = " "),
                     error = function(e) "unknown")))
