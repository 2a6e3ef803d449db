# Benchmarks of the spatial area against spdep at 3,000 regions: a 60 x 50
# grid of square polygons (an sf layer without CRS), queen contiguity.
#   - contiguity from the polygons: spatial_weights() vs spdep::poly2nb()
#   - global_moran(nsim = 999) vs spdep::moran.mc(nsim = 999)
#   - local_moran(nsim = 999) vs spdep::localmoran_perm(nsim = 999), with
#     the default shared draws and with draws = "independent" (spdep's)
#   - the analytic statistics (no permutations) vs moran.test(), localmoran()
#     and localG(), for reference (no target)
# Run from the package root after `make install`:
#   R_LIBS=.lib Rscript bench/spatial.R
# The machine is shared, so each contender is timed `reps` times in
# alternation (gvcluster, spdep, gvcluster, spdep, ...) and the table keeps
# the minimum and the median of the CPU time of the R process (user +
# system; everything here runs on one thread), with the minimum elapsed
# time. The ratio uses the minima of CPU time.
suppressPackageStartupMessages({
  library(gvcluster); library(sf); library(spdep)
})

nx <- 60; ny <- 50
if (nzchar(Sys.getenv("BENCH_SMALL"))) { nx <- 12; ny <- 10 }   # a dry run
reps <- as.integer(Sys.getenv("BENCH_REPS", "5"))

cells <- vector("list", nx * ny)
k <- 0L
for (r in seq_len(ny)) for (c in seq_len(nx)) {
  k <- k + 1L
  x0 <- c - 1; y0 <- r - 1
  cells[[k]] <- st_polygon(list(rbind(c(x0, y0), c(x0 + 1, y0), c(x0 + 1, y0 + 1),
                                      c(x0, y0 + 1), c(x0, y0))))
}
grid <- st_sf(id = sprintf("g%04d", seq_len(nx * ny)), geometry = st_sfc(cells))
set.seed(2026)
# a spatially smooth variable plus noise
x <- sin(rep(seq_len(nx), ny) / 7) + cos(rep(seq_len(ny), each = nx) / 5) + rnorm(nx * ny, sd = 0.5)

nb <- poly2nb(grid)
lw <- nb2listw(nb)
w <- spatial_weights(grid)
stopifnot(identical(w$neighbours, lapply(unclass(nb), as.integer)))
lw_star <- nb2listw(include.self(nb))

cpu <- function(expr) {
  e <- substitute(expr); env <- parent.frame()
  invisible(gc())
  st <- system.time(eval(e, env), gcFirst = FALSE)
  c(cpu = unname(st[1] + st[2]), elapsed = unname(st[3]))
}

# Times the named expressions `reps` times each, in alternation.
duel <- function(task, exprs, reps) {
  env <- parent.frame()
  res <- lapply(exprs, function(e) matrix(NA_real_, reps, 2))
  for (r in seq_len(reps)) for (nm in names(exprs)) {
    invisible(gc())
    st <- system.time(eval(exprs[[nm]], env), gcFirst = FALSE)
    res[[nm]][r, ] <- c(st[1] + st[2], st[3])
  }
  out <- do.call(rbind, lapply(names(res), function(nm) data.frame(
    task = task, impl = nm, cpu_min = min(res[[nm]][, 1]), cpu_median = median(res[[nm]][, 1]),
    elapsed_min = min(res[[nm]][, 2]))))
  out$ratio <- out$cpu_min / out$cpu_min[1]
  print(out, row.names = FALSE, digits = 3)
  out
}

cat(sprintf("%d regions, %d links; reps = %d; load: %s\n", nx * ny, length(w$j), reps,
            if (file.exists("/proc/loadavg")) readLines("/proc/loadavg") else "NA"))
tab <- rbind(
  duel("contiguity (queen)", list(
    gvcluster = quote(spatial_weights(grid)),
    spdep = quote(poly2nb(grid))), reps),
  duel("contiguity (rook)", list(
    gvcluster = quote(spatial_weights(grid, queen = FALSE)),
    spdep = quote(poly2nb(grid, queen = FALSE))), reps),
  duel("global Moran, nsim = 999", list(
    gvcluster = quote({ set.seed(1); global_moran(x, w, nsim = 999) }),
    spdep = quote({ set.seed(1); moran.mc(x, lw, nsim = 999) })), reps),
  duel("local Moran, nsim = 999", list(
    gvcluster = quote({ set.seed(1); local_moran(x, w, nsim = 999) }),
    spdep = quote({ set.seed(1); localmoran_perm(x, lw, nsim = 999) })), reps),
  duel("local Moran, nsim = 999, independent draws", list(
    gvcluster = quote({ set.seed(1); local_moran(x, w, nsim = 999, draws = "independent") }),
    spdep = quote({ set.seed(1); localmoran_perm(x, lw, nsim = 999) })), reps),
  duel("global Moran, analytic", list(
    gvcluster = quote(global_moran(x, w)),
    spdep = quote(moran.test(x, lw))), reps),
  duel("local Moran, analytic", list(
    gvcluster = quote(local_moran(x, w)),
    spdep = quote(localmoran(x, lw))), reps),
  duel("Gi*", list(
    gvcluster = quote(getis_ord(x, w)),
    spdep = quote(localG(x, nb2listw(include.self(nb))))), reps)
)

# the same draws give the same p-values (not timed)
set.seed(1); a <- global_moran(x, w, nsim = 999)$p_sim
set.seed(1); b <- moran.mc(x, lw, nsim = 999)$p.value
set.seed(1); la <- local_moran(x, w, nsim = 999, draws = "independent")$p_sim
set.seed(1); lb <- unname(localmoran_perm(x, lw, nsim = 999)[, "Pr(z != E(Ii)) Sim"])
cat(sprintf("p_sim equal to spdep's under the same seed: global %s, local (independent draws) %s (max diff %.3g)\n",
            isTRUE(all.equal(a, b)), isTRUE(all.equal(la, lb)), max(abs(la - lb))))
cat("speed-up (spdep CPU minimum / gvcluster CPU minimum):\n")
sp <- tab[tab$impl == "spdep", ]
print(data.frame(task = sp$task, speedup = round(sp$ratio, 1)), row.names = FALSE)
cat(sprintf("load at the end: %s\n", if (file.exists("/proc/loadavg")) readLines("/proc/loadavg") else "NA"))
