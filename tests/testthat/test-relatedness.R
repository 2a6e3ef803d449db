test_that("co-location relatedness matches the published definitions", {
  x <- cl_rand(30, 12, seed = 3)
  M <- ref_incidence(x)
  for (m in c("proximity", "cosine", "association")) {
    expect_equal(relatedness(x, m), ref_relatedness(M, m), tolerance = 1e-14,
                 info = m)
  }
  # a hand-sized case: two industries sharing one region of their two
  M2 <- matrix(c(1, 1, 0,
                 1, 0, 1,
                 0, 1, 1), 3, byrow = TRUE,
               dimnames = list(c("A", "B", "C"), c("p", "q", "r")))
  # each pair co-occurs in one region; every ubiquity is 2
  expect_equal(unname(relatedness(M2, rca = FALSE)),
               matrix(c(0, .5, .5, .5, 0, .5, .5, .5, 0), 3))
  # s = 2 co-occurrences per industry, T = 6: 1 * 6 / (2 * 2)
  expect_equal(unname(relatedness(M2, "association", rca = FALSE)),
               matrix(c(0, 1.5, 1.5, 1.5, 0, 1.5, 1.5, 1.5, 0), 3))
})

test_that("dense, sparse and long inputs agree; sparse in gives sparse out", {
  x <- cl_rand(40, 15, seed = 4)
  xs <- Matrix::Matrix(x, sparse = TRUE)
  long <- data.frame(reg = rep(rownames(x), ncol(x)),
                     ind = rep(colnames(x), each = nrow(x)), v = as.vector(x))
  long <- long[long$v > 0, ][sample(sum(x > 0)), ]
  r1 <- relatedness(x, "cosine")
  r2 <- relatedness(xs, "cosine")
  expect_s4_class(r2, "dgCMatrix")
  expect_equal(as.matrix(r2), r1)
  r3 <- relatedness(long, "cosine", value = "v", region = "reg", industry = "ind")
  expect_equal(r3[colnames(x), colnames(x)], r1)
  expect_false(methods::is(relatedness(xs, sparse = FALSE), "Matrix"))
})

test_that("both co-occurrence kernels (bit sets and pairs) count alike", {
  # many industries with few per region: the pairs kernel; dense: bit sets
  set.seed(5)
  sp <- matrix(0, 400, 300)
  sp[cbind(sample(400, 900, TRUE), sample(300, 900, TRUE))] <- 1
  dn <- matrix(rbinom(60 * 20, 1, 0.5), 60, 20)
  for (M in list(sp, dn)) {
    C <- crossprod(M)
    u <- diag(C)
    ref <- C / outer(u, u, pmax)
    ref[!is.finite(ref)] <- 0
    diag(ref) <- 0
    expect_equal(unname(relatedness(M, rca = FALSE)), unname(ref))
  }
})

test_that("relatedness agrees with EconGeo where the definitions agree", {
  skip_if_not_installed("EconGeo")
  x <- cl_rand(50, 14, seed = 6)
  M <- EconGeo::rca(x, binary = TRUE)
  expect_equal(unname(M), unname(ref_incidence(x)))
  co <- EconGeo::co_occurrence(t(M))
  expect_equal(unname(relatedness(x, "association")),
               unname(EconGeo::relatedness(co, method = "association")),
               tolerance = 1e-12)
  phi <- relatedness(x)
  # EconGeo: 100 times the density, rounded to two decimals
  eg <- EconGeo::relatedness_density(M, phi)
  expect_lte(max(abs(relatedness_density(x, phi) * 100 - eg)), 0.005 + 1e-9)
})

test_that("relatedness density lies in [0, 1], also for regions without RCA", {
  x <- cl_rand(25, 10, seed = 7)
  x["r3", ] <- 0                          # a region with nothing
  x["r4", ] <- 0; x["r4", "i2"] <- 5      # and one whose only RCA is i2
  for (m in c("proximity", "cosine", "association")) {
    phi <- relatedness(x, m)
    d <- relatedness_density(x, phi)
    expect_equal(d, ref_density(ref_incidence(x), phi), tolerance = 1e-14)
    expect_true(all(d >= 0 & d <= 1, na.rm = TRUE))
    expect_true(all(d["r3", ] == 0, na.rm = TRUE))
    expect_true(any(!is.na(d["r3", ])))
  }
  # the complement path (regions with more than half the industries) too
  M <- matrix(rbinom(30 * 8, 1, 0.8), 30, 8)
  phi <- matrix(runif(64), 8); diag(phi) <- 0
  d <- relatedness_density(M, phi, rca = FALSE)
  expect_equal(unname(d), unname(ref_density(M, phi)), tolerance = 1e-14)
  expect_true(all(d >= 0 & d <= 1))
  # an industry related to no other has no density
  phi[, 3] <- 0
  expect_true(all(is.na(relatedness_density(M, phi, rca = FALSE)[, 3])))
})

test_that("input-output relatedness follows Delgado, Porter and Stern", {
  tab <- icio_example
  r <- relatedness(tab, "io")
  # by hand: flows summed over countries, shares of gross output
  N <- tab$N; sec <- tab$sectors
  Z <- matrix(0, N, N, dimnames = list(sec, sec)); y <- setNames(numeric(N), sec)
  for (a in seq_len(nrow(tab$Z))) {
    sa <- (a - 1) %% N + 1
    y[sa] <- y[sa] + tab$x[a]
    for (b in seq_len(ncol(tab$Z))) {
      sb <- (b - 1) %% N + 1
      Z[sa, sb] <- Z[sa, sb] + tab$Z[a, b]
    }
  }
  ref <- matrix(0, N, N, dimnames = list(sec, sec))
  for (j in 1:N) for (k in 1:N) if (j != k)
    ref[j, k] <- max(Z[j, k] / y[j], Z[k, j] / y[j], Z[k, j] / y[k], Z[j, k] / y[k])
  expect_equal(r, ref, tolerance = 1e-12)
  # a concordance merging two sectors
  cc <- c(AGR = "primary", MAT = "industry", MAN = "industry", SRV = "services")
  r2 <- relatedness(tab, "io", concordance = cc)
  expect_equal(dim(r2), c(3L, 3L))
  g <- c(primary = "AGR", services = "SRV")
  Zc <- rbind(Z["AGR", ], Z["MAT", ] + Z["MAN", ], Z["SRV", ])
  Zc <- cbind(Zc[, "AGR"], Zc[, "MAT"] + Zc[, "MAN"], Zc[, "SRV"])
  yc <- c(y["AGR"], y["MAT"] + y["MAN"], y["SRV"])
  nm <- c("primary", "industry", "services")
  ref2 <- matrix(0, 3, 3, dimnames = list(nm, nm))
  for (j in 1:3) for (k in 1:3) if (j != k)
    ref2[j, k] <- max(Zc[j, k] / yc[j], Zc[k, j] / yc[j], Zc[k, j] / yc[k], Zc[j, k] / yc[k])
  expect_equal(r2[nm, nm], ref2, tolerance = 1e-12)
})

test_that("bad input gives clear errors", {
  x <- cl_rand(5, 4)
  expect_snapshot(error = TRUE, relatedness(x, "nope"))
  expect_snapshot(error = TRUE, relatedness(-x))
  expect_snapshot(error = TRUE, relatedness("a"))
  expect_snapshot(error = TRUE, relatedness(x, "io"))
  expect_snapshot(error = TRUE, relatedness(x, cutoff = 0))
  expect_snapshot(error = TRUE, relatedness(x * 2, rca = FALSE))
  expect_snapshot(error = TRUE, relatedness(icio_example, "io", concordance = c(AGR = "a")))
  expect_snapshot(error = TRUE, relatedness_density(x, matrix(1, 3, 3)))
  expect_snapshot(error = TRUE, relatedness_density(x, -diag(4)))
  expect_snapshot(error = TRUE, relatedness(data.frame(a = 1), value = "v"))
  big <- x; big[1, 1] <- Inf
  expect_snapshot(error = TRUE, relatedness(big))
  # extreme magnitudes are fine: only the RCA pattern matters
  expect_equal(relatedness(x * 1e-300), relatedness(x))
  expect_equal(relatedness(x * 1e300), relatedness(x))
})

test_that("relatedness(): column defaults as in lq() and na.rm", {
  x <- cl_rand(15, 6, zero = 0.3, seed = 8)
  long <- data.frame(region = rep(rownames(x), ncol(x)),
                     industry = rep(colnames(x), each = nrow(x)),
                     value = as.vector(x), stringsAsFactors = FALSE)
  ref <- ref_relatedness(ref_incidence(x), "proximity")
  expect_equal(as.matrix(relatedness(long))[colnames(x), colnames(x)], ref, tolerance = 1e-14)
  expect_equal(relatedness_density(long, ref)[rownames(x), colnames(x)],
               ref_density(ref_incidence(x), ref), tolerance = 1e-14)
  names(long)[1] <- "reg"
  expect_snapshot(error = TRUE, relatedness(long))
  expect_equal(as.matrix(relatedness(long, region = "reg"))[colnames(x), colnames(x)], ref,
               tolerance = 1e-14)
  # NA: an error unless na.rm = TRUE, which leaves the cells out of the
  # totals (the reference: the table with those cells zero)
  y <- x; y[2, 3] <- NA
  expect_snapshot(error = TRUE, relatedness(y))
  expect_snapshot(error = TRUE, relatedness(Matrix::Matrix(y, sparse = TRUE)))
  y0 <- y; y0[2, 3] <- 0
  for (m in c("proximity", "cosine", "association"))
    expect_equal(relatedness(y, m, na.rm = TRUE), ref_relatedness(ref_incidence(y0), m),
                 tolerance = 1e-14, info = m)
  expect_equal(as.matrix(relatedness(Matrix::Matrix(y, sparse = TRUE), na.rm = TRUE)),
               ref_relatedness(ref_incidence(y0), "proximity"), tolerance = 1e-14)
  long$value[c(4, 40)] <- NA
  expect_error(relatedness(long, region = "reg"), "row 4\\)")
  z <- long; z$value[c(4, 40)] <- 0
  expect_identical(relatedness(long, region = "reg", na.rm = TRUE), relatedness(z, region = "reg"))
  expect_equal(relatedness_density(y, ref, na.rm = TRUE),
               ref_density(ref_incidence(y0), ref), tolerance = 1e-14)
  expect_error(relatedness_density(y, ref), "use `na.rm = TRUE`")
  # NaN stays an error with na.rm = TRUE
  y[1, 1] <- NaN
  expect_error(relatedness(y, na.rm = TRUE), "infinite values or NaN")
})

test_that("a relatedness matrix is matched by name wherever it carries names", {
  x <- cl_rand(12, 6, seed = 3)
  phi <- relatedness(x)
  want <- ref_density(ref_incidence(x), phi)
  o <- c(4, 6, 1, 3, 5, 2)
  # both sides named, permuted (rows and columns each by its own names)
  expect_equal(relatedness_density(x, phi[o, o]), want, tolerance = 1e-14)
  expect_equal(relatedness_density(x, phi[o, rev(o)]), want, tolerance = 1e-14)
  # one side named, in the industries' order: the other side in that order too
  p1 <- phi; colnames(p1) <- NULL
  expect_equal(relatedness_density(x, p1), want, tolerance = 1e-14)
  p2 <- phi; rownames(p2) <- NULL
  expect_equal(relatedness_density(x, p2), want, tolerance = 1e-14)
  # one side named and permuted: the other side's order cannot be confirmed
  p3 <- phi[o, o]; colnames(p3) <- NULL
  expect_snapshot(error = TRUE, relatedness_density(x, p3))
  p4 <- phi[o, o]; rownames(p4) <- NULL
  expect_snapshot(error = TRUE, relatedness_density(x, p4))
  expect_error(clusters(x, relatedness = p3), "cannot be confirmed")
  # names that are not the industries' or a duplicated name
  p5 <- phi; rownames(p5)[2] <- "zz"
  expect_snapshot(error = TRUE, relatedness_density(x, p5))
  p6 <- phi; colnames(p6)[2] <- colnames(p6)[1]
  expect_snapshot(error = TRUE, relatedness_density(x, p6))
  # unnamed on both sides: by position; an unnamed x and a named relatedness
  expect_equal(relatedness_density(x, unname(phi)), want, tolerance = 1e-14)
  expect_snapshot(error = TRUE, relatedness_density(unname(x), phi))
  expect_equal(unname(relatedness_density(unname(x), unname(phi))), unname(want),
               tolerance = 1e-14)
})

test_that("NaN and NA cells, and a corrupted icio table, are errors in the user's terms", {
  x <- cl_rand(5, 4)
  x[2, 3] <- NaN
  expect_snapshot(error = TRUE, relatedness(x))
  expect_snapshot(error = TRUE, relatedness(Matrix::Matrix(x, sparse = TRUE)))
  x[2, 3] <- NA
  expect_snapshot(error = TRUE, relatedness(x))
  expect_snapshot(error = TRUE, complexity(x))
  u <- unclass(icio_example); u$Z <- NULL; class(u) <- "icio"
  expect_snapshot(error = TRUE, relatedness(u, "io"))
})

test_that("sizes are checked before allocation; a tall sparse table's empty rows cost nothing", {
  # a billion rows, four non-zeros: relatedness needs only the rows with values
  S <- methods::new("dgCMatrix", i = c(0L, 5L, 7L, 5L), p = c(0L, 2L, 3L, 4L),
                    x = c(1, 2, 3, 4), Dim = c(1000000000L, 3L))
  # its rows with values (1, 6, 8), written out: subsetting a billion-row
  # dgCMatrix would itself allocate vectors of a billion entries
  small <- rbind(c(1, 0, 0), c(2, 0, 4), c(0, 3, 0))
  t0 <- proc.time()[["elapsed"]]
  r <- relatedness(S)
  expect_s4_class(r, "dgCMatrix")
  expect_equal(as.matrix(r), unname(ref_relatedness(ref_incidence(small), "proximity")),
               ignore_attr = TRUE)
  expect_equal(dimnames(r), list(c("1", "2", "3"), c("1", "2", "3")))
  expect_lt(proc.time()[["elapsed"]] - t0, 30)
  # what has a row per region refuses at once, saying how much memory
  expect_snapshot(error = TRUE, relatedness_density(S, diag(3)))
  expect_snapshot(error = TRUE, complexity(S))
  expect_error(clusters(S), "GB")
  # and a wide one: industries x industries
  W <- methods::new("dgCMatrix", i = c(0L, 1L), p = c(0L, 1L, rep(2L, 99999L)),
                    x = c(1, 2), Dim = c(2L, 100000L))
  expect_snapshot(error = TRUE, relatedness(W))
})
