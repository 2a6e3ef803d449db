# global_moran() and local_moran() against spdep's moran.test(), moran.mc(),
# localmoran() and localmoran_perm(), and against the definitions written
# out in helper-spatial.R.

spdep_ready <- function() {
  skip_if_not_installed("sf", "1.0")
  skip_if_not_installed("spdep", "1.2")
}

test_that("global Moran equals moran.test() on nc.shp", {
  spdep_ready()
  nc <- sp_nc()
  x <- nc$SID79 / nc$BIR79 * 1000
  nb <- spdep::poly2nb(nc)
  for (style in c("W", "B")) for (rnd in c(TRUE, FALSE))
    for (alt in c("greater", "less", "two.sided")) {
      mt <- spdep::moran.test(x, spdep::nb2listw(nb, style = style),
                              randomisation = rnd, alternative = alt)
      gm <- global_moran(x, nc, randomisation = rnd, alternative = alt, style = style)
      expect_equal(unlist(gm[1, c("I", "expected", "variance")]),
                   mt$estimate, tolerance = 1e-10, ignore_attr = TRUE)
      expect_equal(gm$z, unname(mt$statistic), tolerance = 1e-10)
      expect_equal(gm$p, mt$p.value, tolerance = 1e-10)
    }
})

test_that("global Moran equals moran.test() on random layers and general weights", {
  spdep_ready()
  for (seed in 1:3) {
    L <- sp_voronoi_layer(80, seed = seed)
    set.seed(seed)
    x <- rlnorm(nrow(L))
    mt <- spdep::moran.test(x, spdep::nb2listw(spdep::poly2nb(L)))
    gm <- global_moran(x, L)
    expect_equal(c(gm$I, gm$expected, gm$variance, gm$z, gm$p),
                 unname(c(mt$estimate, mt$statistic, mt$p.value)), tolerance = 1e-10)
  }
  # general (asymmetric) weights given as a matrix
  set.seed(11)
  m <- sp_grid_matrix(6, 5, queen = TRUE) * matrix(runif(900, 0.2, 3), 30, 30)
  x <- rnorm(30)
  lw <- sp_listw(m, style = "W")
  mt <- spdep::moran.test(x, lw)
  gm <- global_moran(x, m)
  expect_equal(c(gm$I, gm$variance, gm$p), unname(c(mt$estimate[c(1, 3)], mt$p.value)),
               tolerance = 1e-10)
})

test_that("global Moran on a 5 x 4 grid equals the hand computation", {
  m <- sp_grid_matrix(5, 4)
  W <- sp_rowstd(m)
  x <- c(3, 8, 1, 9, 4, 2, 7, 7, 1, 5, 6, 0, 3, 8, 2, 9, 4, 4, 1, 6)
  mom <- sp_ref_moran_moments(x, W)
  gm <- global_moran(x, m)
  expect_equal(gm$I, sp_ref_moran(x, W), tolerance = 1e-12)
  expect_equal(gm$expected, -1 / 19)
  expect_equal(gm$variance, mom$var_random, tolerance = 1e-12)
  gn <- global_moran(x, m, randomisation = FALSE, alternative = "two.sided")
  expect_equal(gn$variance, mom$var_normal, tolerance = 1e-12)
  zn <- (sp_ref_moran(x, W) + 1 / 19) / sqrt(mom$var_normal)
  expect_equal(gn$z, zn, tolerance = 1e-12)
  expect_equal(gn$p, 2 * pnorm(-abs(zn)), tolerance = 1e-12)
  # binary weights
  gb <- global_moran(x, m, style = "B")
  expect_equal(gb$I, sp_ref_moran(x, m), tolerance = 1e-12)
  expect_equal(gb$variance, sp_ref_moran_moments(x, m)$var_random, tolerance = 1e-12)
})

test_that("p_sim draws as moran.mc() draws and is a valid permutation p-value", {
  spdep_ready()
  nc <- sp_nc()
  x <- nc$SID79 / nc$BIR79 * 1000
  lw <- spdep::nb2listw(spdep::poly2nb(nc))
  for (alt in c("greater", "less", "two.sided")) {
    set.seed(42); mc <- spdep::moran.mc(x, lw, nsim = 499, alternative = alt)
    set.seed(42); gm <- global_moran(x, lw, nsim = 499, alternative = alt)
    expect_equal(attr(gm, "sims"), mc$res[1:499], tolerance = 1e-12)
    expect_equal(gm$p_sim, mc$p.value)
  }
  # under RNGkind(sample.kind = "Rounding") the draws follow sample() too
  old_kind <- RNGkind()[3]
  suppressWarnings(RNGkind(sample.kind = "Rounding"))
  set.seed(5); mc <- spdep::moran.mc(x, lw, nsim = 99)
  set.seed(5); gm <- global_moran(x, lw, nsim = 99)
  set.seed(5); lp <- spdep::localmoran_perm(x, lw, nsim = 49)
  set.seed(5); l1 <- local_moran(x, lw, nsim = 49, draws = "independent")
  suppressWarnings(RNGkind(sample.kind = old_kind))
  expect_equal(attr(gm, "sims"), mc$res[1:99], tolerance = 1e-12)
  expect_equal(l1$p_sim, unname(lp[, "Pr(z != E(Ii)) Sim"]))
  # the same seed reproduces, another seed agrees within Monte-Carlo error
  set.seed(1); a <- global_moran(x, lw, nsim = 999)
  set.seed(1); b <- global_moran(x, lw, nsim = 999)
  expect_identical(a, b)
  set.seed(2); mc <- spdep::moran.mc(x, lw, nsim = 999)
  se <- sqrt(a$p_sim * (1 - a$p_sim) / 999)
  expect_lt(abs(a$p_sim - mc$p.value), 4 * se + 2 / 1000)
  # greater: the share of simulated values above the observed, or 1/(nsim + 1)
  s <- attr(a, "sims")
  expect_equal(a$p_sim, max(sum(s > a$I), 1) / 1000)
  # under the null hypothesis (independent values) p_sim is about uniform
  m <- sp_grid_matrix(6, 6)
  set.seed(3)
  p <- vapply(1:300, function(k) global_moran(rnorm(36), m, nsim = 99)$p_sim, 0)
  expect_true(all(p >= 1 / 100 & p <= 1))
  expect_equal(mean(p <= 0.1), 0.1, tolerance = 0.5)
  expect_gt(suppressWarnings(ks.test(p, "punif")$p.value), 0.001)
})

test_that("local Moran equals localmoran() on nc.shp and random layers", {
  spdep_ready()
  nc <- sp_nc()
  x <- nc$SID79 / nc$BIR79 * 1000
  nb <- spdep::poly2nb(nc)
  for (style in c("W", "B")) {
    lw <- spdep::nb2listw(nb, style = style)
    lm0 <- spdep::localmoran(x, lw)
    lm1 <- local_moran(x, nc, style = style)
    expect_equal(as.matrix(lm1[, c("I", "expected", "variance", "z", "p")]),
                 unclass(lm0)[, 1:5], tolerance = 1e-10, ignore_attr = TRUE)
    expect_identical(as.character(lm1$quadrant), as.character(attr(lm0, "quadr")$pysal))
  }
  expect_identical(local_moran(x, spatial_weights(nc, region = "FIPS"))$region, nc$FIPS)
  for (seed in 4:5) {
    L <- sp_voronoi_layer(70, seed = seed)
    set.seed(seed)
    x <- rexp(nrow(L))
    lm0 <- spdep::localmoran(x, spdep::nb2listw(spdep::poly2nb(L)))
    lm1 <- local_moran(x, L)
    expect_equal(as.matrix(lm1[, c("I", "expected", "variance", "z", "p")]),
                 unclass(lm0)[, 1:5], tolerance = 1e-10, ignore_attr = TRUE)
  }
})

test_that("local Moran on a grid equals the hand computation", {
  m <- sp_grid_matrix(4, 4, queen = TRUE)
  x <- c(5, 1, 4, 9, 2, 8, 8, 3, 0, 6, 7, 7, 1, 2, 9, 4)
  ref <- sp_ref_local(x, sp_rowstd(m))
  lm1 <- local_moran(x, m)
  expect_equal(lm1$I, ref$I, tolerance = 1e-12)
  expect_equal(lm1$expected, ref$expected, tolerance = 1e-12)
  expect_equal(lm1$variance, ref$variance, tolerance = 1e-12)
  expect_equal(lm1$z, ref$z, tolerance = 1e-12)
  expect_equal(lm1$p, 2 * pnorm(-abs(ref$z)), tolerance = 1e-12)
  # quadrants from the centred value and the mean of the neighbours' centred values
  z <- x - mean(x)
  lag <- drop(sp_rowstd(m) %*% z)
  q <- paste0(ifelse(z > 0, "High", "Low"), "-", ifelse(lag > 0, "High", "Low"))
  expect_identical(as.character(lm1$quadrant), q)
  expect_identical(levels(lm1$quadrant), c("High-High", "Low-Low", "High-Low", "Low-High"))
  # the adjusted p-values are p.adjust()'s
  lh <- local_moran(x, m, p.adjust = "holm")
  expect_equal(lh$p_adjusted, p.adjust(ref$p <- 2 * pnorm(-abs(ref$z)), "holm"))
  # quadrant does not depend on significance or on nsim
  set.seed(9)
  expect_identical(local_moran(x, m, nsim = 99)$quadrant, lm1$quadrant)
})

test_that("p_sim draws as localmoran_perm() draws and is a valid permutation p-value", {
  spdep_ready()
  nc <- sp_nc()
  x <- nc$SID79 / nc$BIR79 * 1000
  lw <- spdep::nb2listw(spdep::poly2nb(nc))
  set.seed(7); lp <- spdep::localmoran_perm(x, lw, nsim = 499)
  set.seed(7); l1 <- local_moran(x, lw, nsim = 499, draws = "independent")
  expect_equal(l1$p_sim, unname(lp[, "Pr(z != E(Ii)) Sim"]))
  # the RNG is left where localmoran_perm() leaves it
  expect_identical(runif(1), { set.seed(7); invisible(spdep::localmoran_perm(x, lw, nsim = 499)); runif(1) })
  # reproducible; another seed agrees within Monte-Carlo error
  set.seed(8); a <- local_moran(x, lw, nsim = 999)
  set.seed(8); b <- local_moran(x, lw, nsim = 999)
  expect_identical(a, b)
  set.seed(9); lp <- spdep::localmoran_perm(x, lw, nsim = 999)
  pa <- a$p_sim; pb <- unname(lp[, "Pr(z != E(Ii)) Sim"])
  # the folded p is twice a proportion q = p / 2 estimated from 999 draws;
  # two independent estimates differ by sqrt(2) standard errors
  q <- pmax(pa / 2, 1 / 1000)
  se <- 2 * sqrt(q * (1 - q) / 999)
  expect_true(all(abs(pa - pb) < 5 * sqrt(2) * se + 4 / 1000))
  expect_lt(mean(abs(pa - pb) / (sqrt(2) * se)), 1.5)
  # the values lie on the grid 2k/(nsim + 1) of the folded rank, in (0, 1]
  expect_true(all(abs(pa * 1000 / 2 - round(pa * 1000 / 2)) < 1e-9))
  expect_true(all(pa > 0 & pa <= 1))
  # one-sided: the share of simulated values at least as extreme (plus one)
  set.seed(10)
  g <- local_moran(x, lw, nsim = 199, alternative = "greater")
  expect_true(all(g$p_sim >= 1 / 200 & g$p_sim <= 1))
  expect_equal(g$p, pnorm(g$z, lower.tail = FALSE))
})

test_that("the local permutation p-value is about uniform without clustering", {
  m <- sp_grid_matrix(8, 8, queen = TRUE)
  set.seed(12)
  p <- unlist(lapply(1:20, function(k) local_moran(rnorm(64), m, nsim = 99)$p_sim))
  expect_equal(mean(p <= 0.1), 0.1, tolerance = 0.35)
  expect_equal(mean(p <= 0.5), 0.5, tolerance = 0.15)
})

test_that("islands, constant x, one and two regions", {
  m <- sp_grid_matrix(3, 3)
  m <- rbind(cbind(m, 0), 0)
  x <- c(4, 2, 6, 1, 8, 3, 5, 9, 2, 7)
  expect_error(global_moran(x, m), "zero.policy")
  gm <- global_moran(x, m, zero.policy = TRUE)
  W <- sp_rowstd(m)
  expect_equal(gm$I, sp_ref_moran(x, W), tolerance = 1e-12)
  expect_equal(gm$expected, -1 / 8)                  # n counts regions with neighbours
  expect_equal(gm$variance, sp_ref_moran_moments(x, W)$var_random, tolerance = 1e-12)
  lm1 <- local_moran(x, m, zero.policy = TRUE)
  expect_true(all(is.na(lm1[10, c("I", "z", "p", "quadrant")])))
  expect_equal(lm1$I[1:9], sp_ref_local(x, W)$I[1:9], tolerance = 1e-12)
  set.seed(1)
  expect_true(is.na(local_moran(x, m, nsim = 19, zero.policy = TRUE)$p_sim[10]))
  if (requireNamespace("spdep", quietly = TRUE)) {
    lw <- suppressWarnings(sp_listw(m))
    mt <- spdep::moran.test(x, lw, zero.policy = TRUE)
    expect_equal(gm$variance, unname(mt$estimate[3]), tolerance = 1e-10)
  }
  # constant x: I undefined, with a warning
  expect_warning(g <- global_moran(rep(3, 9), sp_grid_matrix(3, 3)), "constant")
  expect_true(is.nan(g$I))
  expect_warning(local_moran(rep(3, 9), sp_grid_matrix(3, 3)), "constant")
  # two regions, neighbours of each other: I = -1 = E(I); one region: an error
  two <- matrix(c(0, 1, 1, 0), 2)
  g2 <- suppressWarnings(global_moran(c(1, 5), two, randomisation = FALSE))
  expect_equal(g2$I, -1)
  expect_equal(g2$expected, -1)
  expect_snapshot(global_moran(1, matrix(0, 1, 1), zero.policy = TRUE), error = TRUE)
})

test_that("extreme magnitudes give the statistics of the rescaled values", {
  m <- sp_grid_matrix(4, 3)
  x <- c(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8)
  ref_g <- global_moran(x, m); ref_l <- local_moran(x, m); ref_gi <- getis_ord(x, m)
  for (s in c(1e-300, 1e300, 2^-1060)) {
    expect_equal(global_moran(x * s, m)$z, ref_g$z, tolerance = 1e-12)
    expect_equal(global_moran(x * s, m)$variance, ref_g$variance, tolerance = 1e-12)
    expect_equal(local_moran(x * s, m)$z, ref_l$z, tolerance = 1e-12)
    expect_equal(getis_ord(x * s, m)$z, ref_gi$z, tolerance = 1e-12)
  }
})

test_that("NA: an error unless na.rm, which drops the region and its links", {
  m <- sp_grid_matrix(4, 3)
  x <- c(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8)
  xn <- x; xn[6] <- NA
  expect_snapshot(global_moran(xn, m), error = TRUE)
  expect_snapshot(global_moran(xn, m, na.rm = TRUE))
  gm <- suppressMessages(global_moran(xn, m, na.rm = TRUE))
  keep <- -6
  expect_equal(gm$I, sp_ref_moran(x[keep], sp_rowstd(m[keep, keep])), tolerance = 1e-12)
  lm1 <- suppressMessages(local_moran(xn, m, na.rm = TRUE))
  expect_identical(nrow(lm1), 12L)
  expect_true(is.na(lm1$I[6]))
  expect_equal(lm1$I[keep], sp_ref_local(x[keep], sp_rowstd(m[keep, keep]))$I, tolerance = 1e-12)
  # dropping a region can leave its neighbours without any: an error naming
  # them, unless zero.policy = TRUE (also for weights built beforehand)
  line <- sp_grid_matrix(5, 1)
  w <- spatial_weights(line)
  xl <- c(1, NA, 4, 2, 6)
  expect_error(suppressMessages(global_moran(xl, w, na.rm = TRUE)), "\"1\"")
  g <- suppressMessages(global_moran(xl, w, na.rm = TRUE, zero.policy = TRUE))
  expect_equal(g$I, sp_ref_moran(xl[-2], sp_rowstd(line[-2, -2])), tolerance = 1e-12)
})

test_that("bad input is an error naming the argument", {
  m <- sp_grid_matrix(3, 3)
  x <- 1:9
  expect_snapshot(global_moran(1:8, m), error = TRUE)
  expect_snapshot(global_moran(x, m[, -1]), error = TRUE)
  neg <- m; neg[1, 2] <- -0.5
  expect_snapshot(local_moran(x, neg), error = TRUE)
  expect_snapshot(global_moran(letters[1:9], m), error = TRUE)
  expect_snapshot(global_moran(c(1:8, Inf), m), error = TRUE)
  expect_snapshot(global_moran(x, m, nsim = -1), error = TRUE)
  expect_snapshot(global_moran(x, m, alternative = "up"), error = TRUE)
  expect_snapshot(local_moran(x, m, p.adjust = "nope"), error = TRUE)
  expect_snapshot(local_moran(x), error = TRUE)
  expect_snapshot(global_moran(x, m, stlye = "B"), error = TRUE)
})

test_that("print and the Moran scatterplot", {
  m <- sp_grid_matrix(4, 4)
  x <- c(5, 1, 4, 9, 2, 8, 8, 3, 0, 6, 7, 7, 1, 2, 9, 4)
  expect_snapshot(print(global_moran(x, m)))
  expect_snapshot(print(local_moran(x, m), n = 4))
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_identical(plot(global_moran(x, m)), global_moran(x, m))
  expect_invisible(plot(local_moran(x, m)))
  # the slope of the scatterplot's line is I for row-standardised weights
  gm <- global_moran(x, m)
  expect_equal(unname(coef(lm(attr(gm, "lag") ~ I(x - mean(x))))[2]), gm$I, tolerance = 1e-12)
})
