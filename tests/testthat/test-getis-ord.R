# getis_ord() against spdep::localG() and the definition written out in
# helper-spatial.R.

spdep_ready <- function() {
  skip_if_not_installed("sf", "1.0")
  skip_if_not_installed("spdep", "1.2")
}

gi_cols <- c("G", "expected", "variance", "z", "p")

test_that("Gi* equals localG() with include.self() and style W, whatever the style", {
  spdep_ready()
  nc <- sp_nc()
  x <- nc$SID79 / nc$BIR79 * 1000
  nb <- spdep::poly2nb(nc)
  ref <- spdep::localG(x, spdep::nb2listw(spdep::include.self(nb), style = "W"),
                       return_internals = TRUE)
  for (style in c("W", "B")) {
    go <- getis_ord(x, spdep::nb2listw(nb, style = style))
    expect_equal(as.matrix(go[, gi_cols]), attr(ref, "internals"), tolerance = 1e-10,
                 ignore_attr = TRUE)
    expect_equal(go$z, as.vector(ref), tolerance = 1e-10)
  }
  expect_identical(getis_ord(x, spatial_weights(nc, region = "FIPS"))$region, nc$FIPS)
  for (seed in 1:2) {
    L <- sp_voronoi_layer(90, seed = seed)
    set.seed(seed)
    x <- rgamma(nrow(L), 2)
    ref <- spdep::localG(x, spdep::nb2listw(spdep::include.self(spdep::poly2nb(L))))
    expect_equal(getis_ord(x, L)$z, as.vector(ref), tolerance = 1e-10)
  }
})

test_that("Gi equals localG() on the weights as given", {
  spdep_ready()
  nc <- sp_nc()
  x <- nc$NWBIR79 / nc$BIR79
  nb <- spdep::poly2nb(nc)
  for (style in c("W", "B", "C")) {
    lw <- spdep::nb2listw(nb, style = style)
    ref <- spdep::localG(x, lw, return_internals = TRUE)
    go <- getis_ord(x, lw, star = FALSE)
    expect_equal(as.matrix(go[, gi_cols]), attr(ref, "internals"), tolerance = 1e-10,
                 ignore_attr = TRUE)
  }
  # general weights from a matrix, and the one-sided p-values
  set.seed(4)
  m <- sp_grid_matrix(6, 5, queen = TRUE) * matrix(runif(900, 0.5, 2), 30, 30)
  x <- rexp(30)
  ref <- spdep::localG(x, sp_listw(m, style = "W"), return_internals = TRUE,
                       alternative = "greater")
  go <- getis_ord(x, m, star = FALSE, alternative = "greater")
  expect_equal(as.matrix(go[, gi_cols]), attr(ref, "internals"), tolerance = 1e-10,
               ignore_attr = TRUE)
})

test_that("Gi* on a grid equals the hand computation", {
  m <- sp_grid_matrix(5, 4)
  x <- c(3, 8, 1, 9, 4, 2, 7, 7, 1, 5, 6, 0, 3, 8, 2, 9, 4, 4, 1, 6)
  z <- sp_ref_gistar(x, m)
  go <- getis_ord(x, m)
  expect_equal(go$z, z, tolerance = 1e-12)
  expect_equal(go$p, 2 * pnorm(-abs(z)), tolerance = 1e-12)
  # G*_i is the share of the total held by the region and its neighbours,
  # averaged over them (row-standardised weights including the region)
  B <- m; diag(B) <- 1
  expect_equal(go$G, drop(sp_rowstd(B) %*% x) / sum(x), tolerance = 1e-12)
  expect_equal(go$expected, rep(1 / 20, 20), tolerance = 1e-12)
  # the same with binary or already row-standardised weights
  expect_equal(getis_ord(x, m, style = "B")$z, z, tolerance = 1e-12)
  # Gi with binary weights: the region left out of its neighbourhood and the reference
  gi <- getis_ord(x, m, star = FALSE, style = "B")
  n <- 20
  zi <- vapply(seq_len(n), function(i) {
    xo <- x[-i]; wi <- m[i, -i]
    mu <- mean(xo); s2 <- mean(xo^2) - mu^2
    (sum(wi * xo) - sum(wi) * mu) /
      sqrt(s2 * ((n - 1) * sum(wi^2) - sum(wi)^2) / (n - 2))
  }, 0)
  expect_equal(gi$z, zi, tolerance = 1e-12)
})

test_that("islands, constant x, NA and bad input", {
  m <- sp_grid_matrix(3, 3)
  m <- rbind(cbind(m, 0), 0)
  x <- c(4, 2, 6, 1, 8, 3, 5, 9, 2, 7)
  expect_error(getis_ord(x, m), "zero.policy")
  gs <- getis_ord(x, m, zero.policy = TRUE)
  expect_equal(gs$z, sp_ref_gistar(x, m), tolerance = 1e-12)   # Gi*: the island is its own neighbourhood
  gi <- getis_ord(x, m, star = FALSE, zero.policy = TRUE)
  expect_true(all(is.na(gi[10, gi_cols])))
  expect_false(anyNA(gi$z[1:9]))
  expect_warning(getis_ord(rep(2, 9), sp_grid_matrix(3, 3)), "constant")
  xn <- x[1:9]; xn[2] <- NA
  expect_snapshot(getis_ord(xn, sp_grid_matrix(3, 3)), error = TRUE)
  g <- suppressMessages(getis_ord(xn, sp_grid_matrix(3, 3), na.rm = TRUE, zero.policy = TRUE))
  expect_true(is.na(g$z[2]))
  mm <- sp_grid_matrix(3, 3)[-2, -2]
  expect_equal(g$z[-2], sp_ref_gistar(x[1:9][-2], mm), tolerance = 1e-12)
  expect_snapshot(getis_ord(1:5, sp_grid_matrix(3, 3)), error = TRUE)
  expect_snapshot(getis_ord(1:9, sp_grid_matrix(3, 3), star = "yes"), error = TRUE)
  expect_snapshot(print(getis_ord(x[1:9], sp_grid_matrix(3, 3)), n = 3))
})
