# spatial_weights(): contiguity from polygons against spdep::poly2nb(), the
# other readers against hand-built matrices, and the bad-input messages.

nb_list <- function(nb) lapply(unclass(nb), function(v) as.integer(v[v != 0L]))

test_that("queen and rook contiguity equal poly2nb() on nc.shp", {
  skip_if_not_installed("sf", "1.0")
  skip_if_not_installed("spdep", "1.2")
  nc <- sp_nc()
  for (queen in c(TRUE, FALSE)) {
    nb <- spdep::poly2nb(nc, queen = queen)
    w <- spatial_weights(nc, queen = queen)
    expect_identical(w$neighbours, nb_list(nb))
    expect_identical(w$regions, attr(nb, "region.id"))
  }
  expect_identical(spatial_weights(nc, region = "FIPS")$regions, nc$FIPS)
  expect_identical(spatial_weights(sf::st_geometry(nc))$neighbours,
                   nb_list(spdep::poly2nb(nc)))
})

test_that("contiguity equals poly2nb() on random layers", {
  skip_if_not_installed("sf", "1.0")
  skip_if_not_installed("spdep", "1.2")
  layers <- list(sp_grid_layer(7, 5), sp_grid_layer(9, 6, jitter = 0.3, seed = 2),
                 sp_voronoi_layer(60, seed = 3), sp_voronoi_layer(150, seed = 4))
  for (L in layers) for (queen in c(TRUE, FALSE)) {
    expect_identical(spatial_weights(L, queen = queen)$neighbours,
                     nb_list(spdep::poly2nb(L, queen = queen)))
  }
  # integer coordinates (which sf keeps as given) read as numbers
  expect_identical(spatial_weights(sp_grid_layer(5, 4, integer = TRUE))$neighbours,
                   spatial_weights(sp_grid_layer(5, 4))$neighbours)
  # a grid: queen adds the diagonal cells, rook only the four sides
  g <- sp_grid_layer(4, 3)
  expect_equal(unname(as.matrix(spatial_weights(g, queen = FALSE, style = "B"))),
               sp_grid_matrix(4, 3))
  expect_equal(unname(as.matrix(spatial_weights(g, style = "B"))),
               sp_grid_matrix(4, 3, queen = TRUE))
})

test_that("snap decides which nearby boundary points count as shared", {
  skip_if_not_installed("sf", "1.0")
  skip_if_not_installed("spdep", "1.2")
  sq <- function(x0, y0) sf::st_polygon(list(rbind(c(x0, y0), c(x0 + 1, y0), c(x0 + 1, y0 + 1),
                                                 c(x0, y0 + 1), c(x0, y0))))
  L <- sf::st_sf(id = c("a", "b", "c"),
                 geometry = sf::st_sfc(sq(0, 0), sq(1 + 1e-3, 0), sq(5, 5)))
  w <- spatial_weights(L, zero.policy = TRUE)
  expect_identical(w$islands, c("1", "2", "3"))
  w2 <- spatial_weights(L, snap = 2e-3, zero.policy = TRUE, region = "id")
  expect_identical(w2$neighbours, nb_list(spdep::poly2nb(L, snap = 2e-3)))
  expect_identical(w2$islands, "c")
})

test_that("a multipolygon layer reads as poly2nb() reads it", {
  skip_if_not_installed("sf", "1.0")
  skip_if_not_installed("spdep", "1.2")
  nc <- sp_nc()
  expect_true(inherits(sf::st_geometry(nc), "sfc_MULTIPOLYGON"))
  nc1 <- sf::st_cast(nc[c(1:20, 50:60), ], "POLYGON", warn = FALSE)
  expect_identical(spatial_weights(nc1, zero.policy = TRUE)$neighbours,
                   nb_list(spdep::poly2nb(nc1)))
})

test_that("a 3 x 3 rook grid gives the hand-computed weights", {
  m <- sp_grid_matrix(3, 3)
  w <- spatial_weights(m)
  # corner cells have 2 neighbours, edge cells 3, the centre 4
  expect_identical(lengths(w$neighbours), c(2L, 3L, 2L, 3L, 4L, 3L, 2L, 3L, 2L))
  expect_identical(w$neighbours[[5]], c(2L, 4L, 6L, 8L))
  expect_equal(as.matrix(w)[1, ], c(0, 0.5, 0, 0.5, 0, 0, 0, 0, 0), ignore_attr = TRUE)
  expect_equal(as.matrix(w)[5, ], c(0, 0.25, 0, 0.25, 0, 0.25, 0, 0.25, 0), ignore_attr = TRUE)
  expect_equal(unname(as.matrix(spatial_weights(m, style = "B"))), m)
  expect_equal(unname(rowSums(as.matrix(w))), rep(1, 9))
  s <- summary(w)
  expect_identical(s$links, 24L)
  expect_equal(s$mean_neighbours, 24 / 9)
  expect_true(s$symmetric)
  expect_identical(as.integer(s$neighbours), c(0L, 0L, 4L, 4L, 1L))
})

test_that("dense, dgCMatrix, nb and listw inputs agree", {
  m <- sp_grid_matrix(4, 4, queen = TRUE)
  set.seed(7)
  g <- m * matrix(runif(256, 0.5, 2), 16, 16)          # general weights
  dimnames(g) <- list(letters[1:16], letters[1:16])
  wd <- spatial_weights(g)
  ws <- spatial_weights(methods::as(g, "CsparseMatrix"))
  expect_equal(as.matrix(ws), as.matrix(wd))
  expect_identical(wd$regions, letters[1:16])
  expect_equal(unname(as.matrix(wd)), sp_rowstd(unname(g)))
  expect_equal(unname(as.matrix(spatial_weights(g, style = "B"))), m)
  nb <- structure(lapply(1:16, function(i) which(m[i, ] > 0)), class = "nb",
                  region.id = LETTERS[1:16])
  wn <- spatial_weights(nb)
  expect_identical(wn$regions, LETTERS[1:16])
  expect_equal(unname(as.matrix(wn)), sp_rowstd(m))
  # a listw keeps its own weights and style unless style is given
  lw <- list(style = "U", neighbours = nb, weights = lapply(1:16, function(i) g[i, g[i, ] > 0] / sum(g)))
  class(lw) <- c("listw", "nb")
  wl <- spatial_weights(lw)
  expect_identical(wl$style, "U")
  expect_equal(unname(as.matrix(wl)), unname(g) / sum(g))
  expect_equal(unname(as.matrix(spatial_weights(lw, style = "W"))), sp_rowstd(unname(g)))
  # an object is returned as it is, or restyled
  expect_identical(spatial_weights(wd), wd)
  expect_equal(unname(as.matrix(spatial_weights(wd, style = "B"))), m)
})

test_that("nb and listw objects from spdep read without change", {
  skip_if_not_installed("spdep", "1.2")
  skip_if_not_installed("sf", "1.0")
  nc <- sp_nc()
  nb <- spdep::poly2nb(nc)
  for (style in c("W", "B", "C", "S")) {
    lw <- spdep::nb2listw(nb, style = style)
    w <- spatial_weights(lw)
    expect_equal(as.matrix(w), spdep::listw2mat(lw), ignore_attr = TRUE, tolerance = 1e-14)
  }
})

test_that("regions without neighbours are reported by name and kept on request", {
  m <- sp_grid_matrix(3, 2)
  m <- rbind(cbind(m, 0), 0)
  dimnames(m) <- list(c(letters[1:6], "island"), c(letters[1:6], "island"))
  expect_snapshot(spatial_weights(m), error = TRUE)
  w <- spatial_weights(m, zero.policy = TRUE)
  expect_identical(w$islands, "island")
  expect_identical(w$neighbours[[7]], integer(0))
  expect_equal(unname(as.matrix(w)[7, ]), rep(0, 7))
  expect_snapshot(print(w))
  expect_snapshot(summary(w))
})

test_that("bad input is an error naming the argument", {
  m <- sp_grid_matrix(3, 3)
  expect_snapshot(spatial_weights(m[, -1]), error = TRUE)
  neg <- m; neg[1, 2] <- -1
  expect_snapshot(spatial_weights(neg), error = TRUE)
  na <- m; na[2, 1] <- NA
  expect_snapshot(spatial_weights(na), error = TRUE)
  self <- m; self[3, 3] <- 1
  expect_snapshot(spatial_weights(self), error = TRUE)
  expect_snapshot(spatial_weights(list(1, 2)), error = TRUE)
  expect_snapshot(spatial_weights(m, style = "C"), error = TRUE)
  expect_snapshot(spatial_weights(m, zero.policy = NA), error = TRUE)
  expect_snapshot(spatial_weights(m, foo = 1), error = TRUE)
  bad_nb <- structure(list(2L, c(1L, 5L), 2L), class = "nb")
  expect_snapshot(spatial_weights(bad_nb), error = TRUE)
  skip_if_not_installed("sf", "1.0")
  pts <- sf::st_sf(id = 1:3, geometry = sf::st_sfc(sf::st_point(c(0, 0)), sf::st_point(c(1, 0)),
                                                  sf::st_point(c(2, 0))))
  expect_snapshot(spatial_weights(pts), error = TRUE)
  expect_snapshot(spatial_weights(sp_grid_layer(2, 2), region = "nope"), error = TRUE)
})
