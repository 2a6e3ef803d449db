# Singular Leontief systems, foreign inverses and corrupted tables (fuzz run 2026-12).

icio_table <- function() {
  icio(icio_example$Z, icio_example$Y, icio_example$countries, icio_example$sectors)
}

test_that("a singular or numerically singular I - A is an error with rcond and a hint", {
  A <- matrix(c(0.3, 0.7, 0.3, 0.7), 2)          # columns of A sum to 1
  # the condition number's last digits depend on the LAPACK build
  expect_snapshot(error = TRUE, leontief(A),
                  transform = function(x) gsub("is [0-9.]+e-[0-9]+ ", "is <rcond> ", x))
  # base R refuses the same matrix: the independent judgement of singularity
  expect_error(solve(diag(2) - A), "singular")
  An <- A; An[2, 2] <- 0.7 - 4e-16                 # rcond about 1e-16
  expect_error(leontief(An), "reciprocal condition number is")
  expect_lt(rcond(diag(2) - An), 1e-12)
  tab <- icio_table()
  t2 <- suppressWarnings(icio(icio_example$Z, icio_example$Y, icio_example$countries,
                              icio_example$sectors, x = colSums(icio_example$Z)))
  expect_error(leontief(t2), "numerically singular I - A")
  expect_error(gvc_decompose(t2, "kww"), "numerically singular I - A")
  expect_error(gvc_decompose(t2, "wwz"), "numerically singular I - A")
  expect_error(gvc_index(t2), "numerically singular I - A")
})

test_that("a regular I - A with input coefficients >= 1 works, with a warning", {
  A <- matrix(c(0.3, 0.8, 0.1, 0.2), 2)          # column 1 sums to 1.1
  expect_snapshot(B <- leontief(A))
  expect_equal(unclass(as.matrix(B)), solve(diag(2) - A), tolerance = 1e-14,
               ignore_attr = TRUE)
  # the estimate of ||M^-1||_1 used when B is not formed: within a factor 3
  # of the exact norm, on a well and an ill conditioned matrix
  for (M in list(diag(3) - matrix(c(0.2, 0.1, 0.3, 0.1, 0.4, 0.2, 0.3, 0.2, 0.1), 3),
                 diag(3) - matrix(c(0.5, 0.5, 0, 0.5, 0.5 - 1e-9, 0, 0, 0, 0.1), 3))) {
    lu <- suppressWarnings(gvcluster:::leontief_lu(M, diag(3) - M, NULL))
    est <- gvcluster:::lu_inv_norm1(lu, 3)
    exact <- max(colSums(abs(solve(M))))
    expect_lte(est, exact * (1 + 1e-12))
    expect_gte(est, exact / 3)
  }
})

test_that("gvc_decompose() refuses the inverse of another table of the same size", {
  tab <- icio_table()
  n <- nrow(tab$Z)
  other <- leontief(matrix(0.01, n, n))
  expect_snapshot(error = TRUE,
                  gvc_decompose(tab, "wwz", level = "country", leontief = other))
  expect_error(gvc_decompose(tab, "bm", leontief = other), "not the Leontief inverse")
  # its own inverse is accepted and gives the same terms as computing it anew
  own <- gvc_decompose(tab, "wwz", level = "country", leontief = leontief(tab))
  expect_equal(own$terms, gvc_decompose(tab, "wwz", level = "country")$terms)
})

test_that("corrupted or fake icio objects and a huge N give clear errors", {
  tab <- icio_table()
  t3 <- tab; t3$x <- t3$x[-1]
  expect_snapshot(error = TRUE, leontief(t3))
  t3 <- tab; t3$Z[] <- "a"
  expect_snapshot(error = TRUE, leontief(t3))
  expect_snapshot(error = TRUE, leontief(structure(list(), class = "icio")))
  # a structural part replaced with `$<-` is checked at once (issue 27)
  t3 <- tab
  expect_snapshot(error = TRUE, t3$N <- 7L)
  expect_error(t3$F <- 3L, "not a valid `icio` table")
  t3 <- unclass(tab); t3$F <- 3L; class(t3) <- "icio"
  expect_error(gvc_decompose(t3, "wwz"), "not a valid `icio` table")
  t3 <- tab; t3$Z <- rbind(t3$Z, 1)
  expect_error(gvc_index(t3), "not a valid `icio` table")
  expect_snapshot(error = TRUE, leontief(matrix(0.1, 2, 2), N = 1e10))
})

test_that("icio(): sums past the double range are an error naming the row (issue 27)", {
  t <- gvc_small(G = 2L, N = 2L, F = 2L)
  Z <- t$Z; Z[1, 2:4] <- 1e308                 # every cell finite, the row sum not
  expect_snapshot(error = TRUE, icio(Z, t$Y, t$countries, t$sectors))
  x <- rowSums(t$Z) + rowSums(t$Y)
  expect_error(icio(Z, t$Y, t$countries, t$sectors, x = x, va = x - colSums(t$Z)),
               "`Z` has sums past the largest double.*row of AAA.S1")
  Z <- t$Z; Z[2:4, 1] <- 1e308                  # a column
  expect_error(icio(Z, t$Y, t$countries, t$sectors), "column of AAA.S1 sums to Inf")
  Y <- t$Y; Y[3, 1:2] <- 1e308                  # final demand
  expect_error(icio(t$Z, Y, t$countries, t$sectors), "`Y` has sums .*row of BBB.S1")
  Z <- t$Z; Z[2, 1] <- 1e308; Y <- t$Y; Y[2, 1] <- 1e308   # Z 1 + Y 1
  expect_error(icio(Z, Y, t$countries, t$sectors), "gross output .* of AAA.S2 sums to Inf")
  # large but finite sums are kept
  Z <- t$Z * 1e300; Y <- t$Y * 1e300
  expect_equal(unname(icio(Z, Y, t$countries, t$sectors)$x), (rowSums(t$Z) + rowSums(t$Y)) * 1e300)
})

test_that("one-country and one-by-one tables: WWZ and gvc_index() give zero exports (issue 27)", {
  balanced <- function(G, N, F, seed = 1) {          # Z = A diag(x), va > 0
    set.seed(seed)
    n <- G * N
    A <- matrix(runif(n * n), n, n)
    A <- sweep(A, 2, colSums(A), "/") * 0.5
    Y <- matrix(runif(n * G * F, 1, 10), n, G * F)
    x <- solve(diag(n) - A, rowSums(Y))
    icio(A * rep(x, each = n), Y, paste0("C", seq_len(G)), paste0("S", seq_len(N)))
  }
  for (N in c(3L, 1L)) {
    tab <- balanced(1L, N, 2L)
    # no partner: every export term is zero (a one-country table has no trade)
    for (lv in c("country", "sector")) {
      w <- gvc_decompose(tab, "wwz", level = lv)$terms
      expect_identical(nrow(w), if (lv == "country") 1L else N)
      num <- vapply(w, is.numeric, NA)
      expect_true(all(unlist(w[num]) == 0))
    }
    b <- gvc_decompose(tab, "wwz")$terms                 # bilateral: no pairs
    expect_identical(nrow(b), 0L)
    expect_true(all(c("importer", "DVA_FIN", "GEXP") %in% names(b)))
    for (iv in c("t3", "vs1")) for (lv in c("country", "sector")) {
      g <- gvc_index(tab, method = iv, level = lv)
      expect_true(all(g$E == 0 & g$IV == 0 & g$FV == 0))
      expect_true(all(is.na(g$participation) & is.na(g$position)))
    }
  }
})

test_that("leontief() of a 0 x 0 matrix and a plot without defined indices say so (issue 27)", {
  expect_error(leontief(matrix(numeric(0), 0, 0)), "`x` is an empty \\(0 x 0\\) matrix")
  pdf(NULL)
  on.exit(grDevices::dev.off(), add = TRUE)
  g <- gvc_index(c(0, 0), fv = c(0, 0), exports = c(0, 0))
  expect_true(all(is.na(g$participation)))
  expect_error(plot(g), "`x` has no country with defined indices")
  t1 <- gvc_small(G = 1L, N = 2L, zero = FALSE)
  g1 <- gvc_index(icio(t1$Z * 0.1, t1$Y, t1$countries, t1$sectors), level = "sector")
  expect_error(plot(g1), "no country-sector with defined indices")
  expect_silent(plot(gvc_index(c(1, 0), fv = c(2, 0), exports = c(10, 0))))   # one point defined
})

test_that("warnings kept by design: supplied x or negative va, inputs >= output (issue 27)", {
  t <- gvc_small(G = 2L, N = 2L, F = 1L, zero = FALSE)
  x <- rowSums(t$Z) + rowSums(t$Y)
  # a supplied output that contradicts Z and Y: kept, with the imbalance
  expect_warning(tab <- icio(t$Z, t$Y, t$countries, t$sectors, x = x + 1),
                 "largest absolute difference 1\\)")
  expect_equal(tab$imbalance, 1)
  va <- x - colSums(t$Z); va[1] <- -1
  expect_warning(expect_warning(icio(t$Z, t$Y, t$countries, t$sectors, va = va),
                                "value added is negative for AAA.S1"), "supplied `x`/`va` differ")
  # a sector buying more inputs than it produces (negative value added):
  # every method warns and computes; KWW against the reference
  t <- gvc_small(G = 3L, N = 2L, F = 2L, zero = FALSE)
  x <- rowSums(t$Z) + rowSums(t$Y)
  t$Z[2, 1] <- t$Z[2, 1] + 1.5 * x[1]
  tab <- suppressWarnings(gvc_icio(t))
  calls <- list(list("kww"), list("wwz", level = "country"), list("wwz"), list("bm"),
                list("bm", approach = "sink"), list("bm", perspective = "world"),
                list("bm", perspective = "world", approach = "sink"),
                list("bm", perspective = "self"), list("bm", perspective = "importer"),
                list("leontief"), list("wwyz"), list("tiva"))
  for (a in calls) {
    tb <- unserialize(serialize(tab, NULL))           # no cache: each call warns
    expect_warning(r <- do.call(gvc_decompose, c(list(tb), a)),
                   "input coefficients \\(column sums of A\\) are 1 or more for AAA.S1")
    expect_true(all(is.finite(unlist(Filter(is.numeric, r$terms))) |
                      is.na(unlist(Filter(is.numeric, r$terms)))))
  }
  ref <- ref_kww(gvc_ref(t))
  k <- suppressWarnings(gvc_decompose(unserialize(serialize(tab, NULL)), "kww"))$terms
  expect_equal(unname(as.matrix(k[, colnames(ref)])), unname(ref), tolerance = 1e-9)
})
