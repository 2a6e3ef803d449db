# References: the eigenvectors of the published matrices through base R's
# eigen(), and the reflections and fitness iterations written plainly.
ref_eci <- function(M) {
  d <- rowSums(M); u <- colSums(M)
  Mr <- (M / d) %*% t(sweep(M, 2, u, "/"))          # D^-1 M U^-1 M'
  Mp <- t(sweep(M, 2, u, "/")) %*% (M / d)          # U^-1 M' D^-1 M
  e <- ref_std(Re(eigen(Mr)$vectors[, 2]))
  p <- ref_std(Re(eigen(Mp)$vectors[, 2]))
  if (cor(e, d) < 0) e <- -e
  if (cor(as.vector(M %*% p) / d, e) < 0) p <- -p
  list(eci = e, pci = p, value = Re(eigen(Mr)$values[2]))
}

test_that("the eigenvector method matches eigen() with the stated sign", {
  x <- cl_rand(60, 20, seed = 11)
  M <- ref_incidence(x)
  ref <- ref_eci(M)
  for (inp in list(x, Matrix::Matrix(x, sparse = TRUE))) {
    cx <- complexity(inp, outlook = FALSE)
    expect_equal(cx$regions$eci, ref$eci, tolerance = 1e-8)
    expect_equal(cx$industries$pci, ref$pci, tolerance = 1e-8)
    expect_equal(cx$eigenvalue, ref$value, tolerance = 1e-10)
    expect_true(cx$converged)
    expect_gt(cor(cx$regions$eci, cx$regions$diversity), 0)
  }
  expect_equal(complexity(x)$regions$diversity, unname(rowSums(M)))
  expect_equal(complexity(x)$industries$ubiquity, unname(colSums(M)))
  # more industries than regions: the other side is iterated
  xt <- cl_rand(15, 40, seed = 12)
  ref <- ref_eci(ref_incidence(xt))
  cx <- complexity(xt, outlook = FALSE)
  expect_equal(cx$regions$eci, ref$eci, tolerance = 1e-8)
  expect_equal(cx$industries$pci, ref$pci, tolerance = 1e-8)
})

test_that("the Lanczos restarts and the product limit keep the eigenpair", {
  # a basis of 4 vectors forces restarts from the Ritz vector; the result is
  # the same eigenpair as eigen()'s
  x <- cl_rand(80, 30, seed = 21)
  M <- ref_incidence(x)
  ref <- ref_eci(M)
  Ms <- Matrix::Matrix(M, sparse = TRUE)
  Mt <- Matrix::t(Ms)
  pt <- list(p = Ms@p, i = Ms@i, tp = Mt@p, ti = Mt@i)
  cx_iterate <- gvcluster:::cx_iterate
  full <- cx_iterate(pt, dim(M), "eigenvector", 1000L, 1e-10)
  small <- cx_iterate(pt, dim(M), "eigenvector", 1000L, 1e-10, basis = 4L)
  expect_true(small$converged)
  expect_gt(small$iterations, full$iterations)
  expect_equal(small$eigenvalue, ref$value, tolerance = 1e-10)
  e <- ref_std(small$eci); if (cor(e, rowSums(M)) < 0) e <- -e
  expect_equal(e, ref$eci, tolerance = 1e-8)
  # stopped by `iterations`: not converged, the count says so
  cx <- complexity(x, iterations = 3, outlook = FALSE)
  expect_false(cx$converged)
  expect_equal(cx$iterations, 3L)
})

test_that("reflections and fitness leave out regions and industries without RCA", {
  x <- cl_rand(30, 12, seed = 22)
  x["r3", ] <- 0
  x[, "i7"] <- 0
  x[, "i1"] <- 0
  M <- unname(ref_incidence(x)[-3, -c(1, 7)])
  d <- rowSums(M); u <- colSums(M)
  kc <- d; kp <- u
  for (j in 2:20) {
    kc_new <- as.vector(M %*% kp) / d
    kp <- as.vector(t(M) %*% kc) / u
    kc <- kc_new
    if (j == 19) e <- kc
  }
  e <- ref_std(e); p <- ref_std(kp)
  if (cor(e, d) < 0) e <- -e
  if (cor(as.vector(M %*% p) / d, e) < 0) p <- -p
  cx <- complexity(x, "reflections", outlook = FALSE)
  expect_true(is.na(cx$regions$eci[3]))
  expect_true(all(is.na(cx$industries$pci[c(1, 7)])))
  expect_equal(cx$regions$eci[-3], e, tolerance = 1e-6)
  expect_equal(cx$industries$pci[-c(1, 7)], p, tolerance = 1e-6)
  Fv <- rep(1, nrow(M)); Q <- rep(1, ncol(M))
  for (it in 1:1000) {
    Fn <- as.vector(M %*% Q); Qn <- 1 / as.vector(t(M) %*% (1 / Fv))
    ch <- max(abs(Fn / mean(Fn) - Fv), abs(Qn / mean(Qn) - Q))
    Fv <- Fn / mean(Fn); Q <- Qn / mean(Qn)
    if (ch < 1e-8) break
  }
  cx <- complexity(x, "fitness", outlook = FALSE)
  expect_equal(cx$iterations, it)
  expect_equal(cx$regions$eci[-3], Fv, tolerance = 1e-12)
  expect_equal(cx$industries$pci[-c(1, 7)], Q, tolerance = 1e-12)
})

test_that("results are deterministic and do not depend on the row order", {
  x <- cl_rand(50, 18, seed = 13)
  a <- complexity(x)
  expect_identical(a, complexity(x))
  o <- rev(seq_len(nrow(x)))
  b <- complexity(x[o, ])
  expect_equal(b$regions$eci[order(o)], a$regions$eci, tolerance = 1e-8)
  expect_equal(b$industries$pci, a$industries$pci, tolerance = 1e-8)
})

test_that("reflections follow Hidalgo and Hausmann (as economiccomplexity)", {
  x <- cl_rand(40, 15, seed = 14)
  M <- ref_incidence(x)
  d <- rowSums(M); u <- colSums(M)
  N <- 20
  kc <- matrix(0, nrow(M), N); kp <- matrix(0, ncol(M), N)
  kc[, 1] <- d; kp[, 1] <- u
  for (j in 2:N) {
    kc[, j] <- (M %*% kp[, j - 1]) / d
    kp[, j] <- (t(M) %*% kc[, j - 1]) / u
  }
  e <- ref_std(kc[, N - 1]); p <- ref_std(kp[, N])
  if (cor(e, d) < 0) e <- -e
  if (cor(as.vector(M %*% p) / d, e) < 0) p <- -p
  cx <- complexity(x, "reflections", outlook = FALSE)
  # the plain iteration loses digits to the shrinking deviations
  expect_equal(cx$regions$eci, e, tolerance = 1e-6)
  expect_equal(cx$industries$pci, p, tolerance = 1e-6)
  expect_equal(cx$iterations, 20L)
  # many reflections converge to the eigenvector
  cx <- complexity(x, "reflections", iterations = 400, outlook = FALSE)
  expect_equal(abs(cor(cx$regions$eci, ref_eci(M)$eci)), 1, tolerance = 1e-6)
})

test_that("fitness follows Tacchella et al. with the stated stopping rule", {
  x <- cl_rand(30, 12, seed = 15)
  M <- ref_incidence(x)
  Fv <- rep(1, nrow(M)); Q <- rep(1, ncol(M))
  for (it in 1:5000) {
    Fn <- as.vector(M %*% Q); Qn <- 1 / as.vector(t(M) %*% (1 / Fv))
    Fn <- Fn / mean(Fn); Qn <- Qn / mean(Qn)
    ch <- max(abs(Fn - Fv), abs(Qn - Q))
    Fv <- Fn; Q <- Qn
    if (ch < 1e-8) break
  }
  cx <- complexity(x, "fitness", outlook = FALSE)
  expect_equal(cx$iterations, it)
  expect_true(cx$converged)
  expect_equal(cx$regions$eci, Fv, tolerance = 1e-12)
  expect_equal(cx$industries$pci, Q, tolerance = 1e-12)
  cx2 <- complexity(x, "fitness", iterations = 3, outlook = FALSE)
  expect_false(cx2$converged)
  expect_equal(cx2$iterations, 3L)
})

test_that("complexity outlook and gain follow the Atlas", {
  x <- cl_rand(35, 14, seed = 16)
  M <- ref_incidence(x)
  cx <- complexity(x)
  phi <- ref_relatedness(M, "proximity")
  dens <- ref_density(M, phi)
  pci <- cx$industries$pci
  coi <- sapply(seq_len(nrow(M)), function(r) sum(dens[r, ] * (1 - M[r, ]) * pci))
  expect_equal(cx$regions$outlook, coi, tolerance = 1e-12)
  gain <- M * 0
  for (r in seq_len(nrow(M))) for (p in seq_len(ncol(M))) {
    s <- 0
    for (q in seq_len(ncol(M))) s <- s + (1 - M[r, q]) * phi[q, p] / sum(phi[q, ]) * pci[q]
    gain[r, p] <- (1 - M[r, p]) * s
  }
  expect_equal(cx$gain, gain, tolerance = 1e-12)
})

test_that("regions without RCA and absent industries get NA", {
  x <- cl_rand(20, 8, seed = 17)
  x["r2", ] <- 0
  x[, "i5"] <- 0
  cx <- complexity(x)
  expect_true(is.na(cx$regions$eci[2]))
  expect_true(is.na(cx$industries$pci[5]))
  ref <- ref_eci(ref_incidence(x)[-2, -5])
  expect_equal(cx$regions$eci[-2], ref$eci, tolerance = 1e-8)
  # the outlook leaves them out: the Atlas formula on the others
  expect_true(is.na(cx$regions$outlook[2]))
  expect_true(all(is.na(cx$gain[2, ])) && all(is.na(cx$gain[, 5])))
  M <- ref_incidence(x)[-2, -5]
  phi <- ref_relatedness(M, "proximity")
  dens <- ref_density(M, phi)
  pci <- cx$industries$pci[-5]
  coi <- sapply(seq_len(nrow(M)), function(r) sum(dens[r, ] * (1 - M[r, ]) * pci))
  expect_equal(cx$regions$outlook[-2], coi, tolerance = 1e-12)
})

test_that("agrees with EconGeo up to its scaling and rounding", {
  skip_if_not_installed("EconGeo")
  x <- cl_rand(60, 20, seed = 18)
  cx <- complexity(x, outlook = FALSE)
  k <- EconGeo::kci(x, rca = TRUE)       # eigenvector scaled to sum 1
  expect_gt(abs(cor(k, cx$regions$eci)), 0.999)
  expect_equal(EconGeo::diversity(x, rca = TRUE), setNames(cx$regions$diversity, rownames(x)))
  expect_equal(EconGeo::ubiquity(x, rca = TRUE), setNames(cx$industries$ubiquity, colnames(x)))
})

test_that("agrees with economiccomplexity, up to its eigenvector sign", {
  skip_if_not_installed("economiccomplexity")
  x <- cl_rand(40, 12, seed = 3)
  M <- ref_incidence(x)
  expect_equal(economiccomplexity::balassa_index(x), M, ignore_attr = TRUE)
  # proximity: theirs keeps the diagonal (1)
  P <- economiccomplexity::proximity(M)$proximity_product
  diag(P) <- 0
  expect_equal(relatedness(x), P, tolerance = 1e-14)
  ec <- economiccomplexity::complexity_measures(M, method = "reflections")
  cx <- complexity(x, "reflections", outlook = FALSE)
  expect_equal(cx$regions$eci, unname(ec$complexity_index_country), tolerance = 1e-8)
  expect_equal(cx$industries$pci, unname(ec$complexity_index_product), tolerance = 1e-8)
  # the eigenvalue method: equal up to the sign, which economiccomplexity
  # takes from its reflections; here it is the opposite of ours
  ec <- suppressMessages(economiccomplexity::complexity_measures(M, method = "eigenvalues"))
  cx <- complexity(x, outlook = FALSE)
  expect_equal(abs(cx$regions$eci), abs(unname(ec$complexity_index_country)), tolerance = 1e-8)
  expect_equal(abs(cx$industries$pci), abs(unname(ec$complexity_index_product)), tolerance = 1e-8)
  expect_gt(cor(cx$regions$eci, cx$regions$diversity), 0)
  # fitness, both iterated to convergence
  ec <- economiccomplexity::complexity_measures(M, method = "fitness", iterations = 400)
  cx <- complexity(x, "fitness", outlook = FALSE, tol = 1e-12)
  expect_equal(cx$regions$eci, unname(ec$complexity_index_country), tolerance = 1e-6)
  expect_equal(cx$industries$pci, unname(ec$complexity_index_product), tolerance = 1e-6)
  # outlook and gain, given the same (zero-diagonal) proximity and PCI
  cx <- complexity(x)
  co <- economiccomplexity::complexity_outlook(M, relatedness(x), cx$industries$pci)
  expect_equal(cx$regions$outlook, unname(co$complexity_outlook_index), tolerance = 1e-12)
  expect_equal(cx$gain, co$complexity_outlook_gain, tolerance = 1e-12, ignore_attr = TRUE)
  expect_equal(relatedness_density(x, relatedness(x)),
               economiccomplexity::density(M, relatedness(x)), tolerance = 1e-12,
               ignore_attr = TRUE)
})

test_that("print, summary, as.data.frame and errors", {
  ex <- cluster_example[cluster_example$year == 2019, ]
  cx <- complexity(ex, value = "emp", region = "region", industry = "industry")
  expect_snapshot(print(cx))
  sm <- summary(cx)
  expect_s3_class(sm, "summary.complexity")
  expect_equal(sm$cor_eci_diversity, cor(cx$regions$eci, cx$regions$diversity))
  expect_output(print(sm), "correlation of ECI with diversity")
  df <- as.data.frame(cx)
  expect_equal(nrow(df), 16 + 28)
  # the measures keep their names: regions' rows carry diversity and eci,
  # industries' rows ubiquity and pci
  expect_named(df, c("level", "name", "diversity", "ubiquity", "eci", "pci", "outlook"))
  reg <- df$level == "region"
  expect_identical(df$name[reg], cx$regions$region)
  expect_identical(df$diversity[reg], cx$regions$diversity)
  expect_identical(df$eci[reg], cx$regions$eci)
  expect_identical(df$outlook[reg], cx$regions$outlook)
  expect_identical(df$ubiquity[!reg], cx$industries$ubiquity)
  expect_identical(df$pci[!reg], cx$industries$pci)
  expect_true(all(is.na(df$ubiquity[reg])) && all(is.na(df$pci[reg])) &&
                all(is.na(df$diversity[!reg])) && all(is.na(df$eci[!reg])) &&
                all(is.na(df$outlook[!reg])))
  # diversity and ubiquity by hand: RCA counts of the published incidence
  tab <- xtabs(emp ~ region + industry, ex)
  M <- ref_incidence(unclass(tab))
  expect_equal(df$diversity[reg], unname(rowSums(M)[df$name[reg]]))
  expect_equal(df$ubiquity[!reg], unname(colSums(M)[df$name[!reg]]))
  x <- cl_rand(6, 5)
  expect_snapshot(error = TRUE, complexity(x, "nope"))
  expect_snapshot(error = TRUE, complexity(x, iterations = 0))
  expect_snapshot(error = TRUE, complexity(x, iterations = 1e10))
  expect_snapshot(error = TRUE, complexity(x, iterations = Inf))
  expect_snapshot(error = TRUE, complexity(x, tol = -1))
  expect_snapshot(error = TRUE, complexity(matrix(1:3, 1)))
  # two unconnected blocks: a warning
  blk <- matrix(0, 6, 4); blk[1:3, 1:2] <- 1; blk[4:6, 3:4] <- 1
  expect_warning(complexity(blk, rca = FALSE, outlook = FALSE), "unconnected")
})

test_that("complexity(): column defaults as in lq(), na.rm, tidy and glance", {
  x <- cl_rand(12, 7, zero = 0.3, seed = 21)
  long <- data.frame(region = rep(rownames(x), ncol(x)),
                     industry = rep(colnames(x), each = nrow(x)),
                     value = as.vector(x), stringsAsFactors = FALSE)
  M <- ref_incidence(x)
  # the published eigenvector definition, on the reference incidence
  d <- rowSums(M); u <- colSums(M)
  Mt <- (M / d) %*% t(M / rep(u, each = nrow(M)))
  ev <- eigen(Mt)
  e2 <- Re(ev$vectors[, 2]); e2 <- ref_std(e2)
  if (cor(e2, d) < 0) e2 <- -e2
  cx <- complexity(long, outlook = FALSE)
  expect_equal(cx$regions$eci[match(rownames(x), cx$regions$region)], e2, tolerance = 1e-8)
  expect_identical(complexity(long, outlook = FALSE)$regions,
                   complexity(long, "eigenvector", "value", "region", "industry",
                              outlook = FALSE)$regions)
  # a default column that is absent: the argument is required
  names(long)[3] <- "emp"
  expect_snapshot(error = TRUE, complexity(long))
  # NA: an error naming the column and the first row, unless na.rm = TRUE
  # leaves the cell out (the same as a zero for the totals and the RCAs)
  y <- x; y[3, 2] <- NA; y[5, 6] <- NA
  expect_snapshot(error = TRUE, complexity(y))
  long$emp[c(7, 30)] <- NA
  expect_snapshot(error = TRUE, complexity(long, value = "emp"))
  y0 <- y; y0[is.na(y0)] <- 0
  M0 <- ref_incidence(y0)
  a <- complexity(y, "reflections", na.rm = TRUE, outlook = FALSE)
  expect_equal(a$regions$diversity, unname(rowSums(M0)))
  expect_equal(a$industries$ubiquity, unname(colSums(M0)))
  expect_equal(a, complexity(y0, "reflections", outlook = FALSE))
  expect_error(complexity(x, na.rm = NA), "`na.rm` must be TRUE or FALSE")
  # tidy() and glance()
  skip_if_not_installed("generics")
  cx <- complexity(x)
  td <- generics::tidy(cx)
  expect_identical(td, as.data.frame(cx))
  gl <- generics::glance(cx)
  expect_identical(nrow(gl), 1L)
  expect_identical(gl$method, "eigenvector")
  expect_identical(gl$regions, sum(rowSums(M) > 0))
  expect_identical(gl$industries, sum(colSums(M) > 0))
  expect_equal(gl$eigenvalue, Re(ev$values[2]), tolerance = 1e-8)
  expect_equal(gl$cutoff, 1)
  expect_equal(gl$cor.eci.diversity, cor(e2, d), tolerance = 1e-8)
  expect_true(is.na(generics::glance(complexity(x, "fitness", outlook = FALSE))$eigenvalue))
})

test_that("economiccomplexity's outlook differs unless its proximity's diagonal is zeroed (as ?complexity says)", {
  skip_if_not_installed("economiccomplexity")
  x <- cl_rand(30, 10, seed = 12)
  M <- ref_incidence(x)
  P <- as.matrix(economiccomplexity::proximity(M)$proximity_product)
  # theirs keeps 1 on the diagonal; ours has 0, the rest equal
  expect_equal(unname(diag(P)), rep(1, ncol(x)))
  expect_equal(unname(diag(relatedness(x))), rep(0, ncol(x)))
  cx <- complexity(x)
  co1 <- economiccomplexity::complexity_outlook(M, P, cx$industries$pci)
  expect_gt(max(abs(cx$regions$outlook - co1$complexity_outlook_index)), 1e-3)
  P0 <- P
  diag(P0) <- 0
  co0 <- economiccomplexity::complexity_outlook(M, P0, cx$industries$pci)
  expect_equal(cx$regions$outlook, unname(co0$complexity_outlook_index), tolerance = 1e-12)
  expect_equal(cx$gain, as.matrix(co0$complexity_outlook_gain), tolerance = 1e-12,
               ignore_attr = TRUE)
})

test_that("degenerate incidences: undefined ECI is an error, two pieces a warning", {
  # all ones: every region has every industry
  for (m in c("eigenvector", "reflections"))
    expect_snapshot(error = TRUE, complexity(matrix(1, 4, 4), m, rca = FALSE))
  # fitness is defined there: F = Q = 1 (its fixed point, by hand)
  f <- complexity(matrix(1, 4, 4), "fitness", rca = FALSE)
  expect_equal(f$regions$eci, rep(1, 4)); expect_equal(f$industries$pci, rep(1, 4))
  # the identity and three blocks: the eigenvalue 1 is repeated (as many
  # times as pieces, by eigen()), its eigenvector not unique
  expect_equal(sum(abs(Re(eigen(diag(4))$values) - 1) < 1e-12), 4L)
  expect_snapshot(error = TRUE, complexity(diag(4), rca = FALSE))
  expect_snapshot(error = TRUE, complexity(diag(4), "reflections", rca = FALSE))
  x3 <- rbind(cbind(diag(2) * 5 + 1, 0), c(0, 0, 7))      # its RCA is diag(3)
  expect_error(complexity(x3), "3 unconnected groups")
  blocks3 <- kronecker(diag(3), matrix(1, 2, 2)); blocks3[1, 2] <- 0
  expect_error(complexity(blocks3, rca = FALSE), "3 unconnected groups")
  # two pieces: the eigenvector separates them (a warning says so); the
  # eigenvector of eigen() as the oracle
  b2 <- kronecker(diag(2), matrix(1, 2, 2))
  expect_warning(cx <- complexity(b2, rca = FALSE), "two unconnected groups")
  expect_equal(abs(cx$regions$eci), rep(sqrt(3) / 2, 4), tolerance = 1e-12)
  expect_equal(sign(cx$regions$eci[1]) == sign(cx$regions$eci[2]), TRUE)
  expect_equal(sign(cx$regions$eci[1]) != sign(cx$regions$eci[3]), TRUE)
})
