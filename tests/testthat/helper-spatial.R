# Layers and plain-R references for the spatial tests, independent of the
# package's code: polygons built from coordinates, weights as dense
# matrices, statistics from their textbook definitions with explicit loops.

# An sf layer of nx x ny square cells (row by row from the bottom left);
# `jitter` moves the shared interior vertices at random, so cells stay
# contiguous through identical vertices but are no longer squares.
sp_grid_layer <- function(nx, ny, jitter = 0, seed = 1, integer = FALSE) {
  set.seed(seed)
  vx <- matrix(rep(0:nx, ny + 1L), nx + 1L, ny + 1L)
  vy <- matrix(rep(0:ny, each = nx + 1L), nx + 1L, ny + 1L)
  if (!integer) { storage.mode(vx) <- "double"; storage.mode(vy) <- "double" }
  if (jitter > 0) {
    inner <- row(vx) > 1 & row(vx) <= nx & col(vx) > 1 & col(vx) <= ny
    vx[inner] <- vx[inner] + stats::runif(sum(inner), -jitter, jitter)
    vy[inner] <- vy[inner] + stats::runif(sum(inner), -jitter, jitter)
  }
  polys <- vector("list", nx * ny)
  k <- 0L
  for (r in seq_len(ny)) for (c in seq_len(nx)) {
    k <- k + 1L
    idx <- rbind(c(c, r), c(c + 1L, r), c(c + 1L, r + 1L), c(c, r + 1L), c(c, r))
    polys[[k]] <- sf::st_polygon(list(cbind(vx[idx], vy[idx])))
  }
  sf::st_sf(id = sprintf("c%03d", seq_len(nx * ny)), geometry = sf::st_sfc(polys))
}

# Voronoi cells of n random points in the unit square (a layer of irregular
# polygons whose neighbours share vertices computed by GEOS).
sp_voronoi_layer <- function(n, seed = 1) {
  set.seed(seed)
  pts <- sf::st_multipoint(cbind(stats::runif(n), stats::runif(n)))
  box <- sf::st_polygon(list(rbind(c(0, 0), c(1, 0), c(1, 1), c(0, 1), c(0, 0))))
  v <- sf::st_collection_extract(sf::st_voronoi(pts, sf::st_sfc(box)[[1]]), "POLYGON")
  v <- sf::st_intersection(sf::st_sfc(v), sf::st_sfc(box))
  sf::st_sf(id = paste0("v", seq_along(v)), geometry = v)
}

sp_nc <- function() {
  sf::st_read(system.file("shape/nc.shp", package = "sf"), quiet = TRUE)
}

# Binary rook or queen contiguity of an nx x ny grid of cells as a dense
# matrix, from the cells' row and column numbers.
sp_grid_matrix <- function(nx, ny, queen = FALSE) {
  cell <- expand.grid(col = seq_len(nx), row = seq_len(ny))
  n <- nrow(cell)
  m <- matrix(0, n, n)
  for (a in seq_len(n)) for (b in seq_len(n)) {
    dc <- abs(cell$col[a] - cell$col[b]); dr <- abs(cell$row[a] - cell$row[b])
    if (a != b && (dc + dr == 1 || (queen && dc == 1 && dr == 1))) m[a, b] <- 1
  }
  m
}

# Row-standardise a dense weights matrix (rows of zeros stay zero).
sp_rowstd <- function(m) {
  s <- rowSums(m)
  m[s > 0, ] <- m[s > 0, ] / s[s > 0]
  m
}

# Moran's I from its definition, with loops; n counts regions with
# neighbours (as moran.test()'s adjust.n).
sp_ref_moran <- function(x, W) {
  n <- sum(rowSums(W) > 0)
  z <- x - mean(x)
  num <- 0
  for (i in seq_along(x)) for (j in seq_along(x)) num <- num + W[i, j] * z[i] * z[j]
  (n / sum(W)) * num / sum(z^2)
}

# Cliff and Ord's moments of I under normality and randomisation.
sp_ref_moran_moments <- function(x, W) {
  n <- sum(rowSums(W) > 0)
  S0 <- sum(W)
  S1 <- 0
  for (i in seq_len(nrow(W))) for (j in seq_len(ncol(W))) S1 <- S1 + (W[i, j] + W[j, i])^2
  S1 <- S1 / 2
  S2 <- sum((rowSums(W) + colSums(W))^2)
  z <- x - mean(x)
  b2 <- length(x) * sum(z^4) / sum(z^2)^2
  EI <- -1 / (n - 1)
  EI2n <- (n^2 * S1 - n * S2 + 3 * S0^2) / ((n^2 - 1) * S0^2)
  EI2r <- (n * ((n^2 - 3 * n + 3) * S1 - n * S2 + 3 * S0^2) -
             b2 * ((n^2 - n) * S1 - 2 * n * S2 + 6 * S0^2)) /
    ((n - 1) * (n - 2) * (n - 3) * S0^2)
  list(expected = EI, var_normal = EI2n - EI^2, var_random = EI2r - EI^2)
}

# Local Moran from its definition (Anselin 1995; the conditional moments of
# Sokal, Oden and Thomson 1998 as spdep's localmoran() computes them).
sp_ref_local <- function(x, W) {
  n <- length(x)
  z <- x - mean(x)
  m2 <- sum(z^2) / n
  I <- E <- V <- numeric(n)
  for (i in seq_len(n)) {
    lag <- 0
    for (j in seq_len(n)) lag <- lag + W[i, j] * z[j]
    I[i] <- z[i] / m2 * lag
    wi <- sum(W[i, ]); wi2 <- sum(W[i, ]^2)
    E[i] <- -z[i]^2 * wi / ((n - 1) * m2)
    V[i] <- (z[i] / m2)^2 * (n / (n - 2)) * (wi2 - wi^2 / (n - 1)) * (m2 - z[i]^2 / (n - 1))
  }
  data.frame(I = I, expected = E, variance = V, z = (I - E) / sqrt(V))
}

# Getis and Ord (1992) / Ord and Getis (1995) z of Gi* with binary weights
# including the region itself.
sp_ref_gistar <- function(x, B) {
  n <- length(x)
  diag(B) <- 1
  xbar <- mean(x); s <- sqrt(sum(x^2) / n - xbar^2)
  z <- numeric(n)
  for (i in seq_len(n)) {
    wi <- sum(B[i, ]); s1 <- sum(B[i, ]^2)
    z[i] <- (sum(B[i, ] * x) - wi * xbar) / (s * sqrt((n * s1 - wi^2) / (n - 1)))
  }
  z
}

sp_listw <- function(W, style = "W") {
  nb <- lapply(seq_len(nrow(W)), function(i) { v <- which(W[i, ] != 0); if (length(v)) v else 0L })
  class(nb) <- "nb"
  attr(nb, "region.id") <- as.character(seq_len(nrow(W)))
  glist <- lapply(seq_len(nrow(W)), function(i) W[i, W[i, ] != 0])
  spdep::nb2listw(nb, glist = glist, style = style, zero.policy = TRUE)
}
