# The block solves with the diagonal blocks B_ss of the global inverse (C,
# LAPACK), the self perspective's diagonals computed only when asked, and
# leontief() on the decompositions' LU.

test_that("blockdiag(B_ss)^-1 M and ^-T M in C match solve() on each block", {
  t <- gvc_small(G = 3L, N = 3L)
  R <- gvc_ref(t)
  x <- gvc_icio(t)
  p <- gvcluster:::icio_parts(x)
  bd <- gvcluster:::bdiag_of(p)
  set.seed(3)
  M <- matrix(rnorm(R$n * 2), R$n, 2)
  ref_s <- ref_t <- ref_m <- M
  for (s in seq_len(R$G)) {
    i <- R$ix(s)
    b <- R$B[i, i]                          # B_ss from base R's inverse
    ref_s[i, ] <- solve(b, M[i, ])
    ref_t[i, ] <- solve(t(b), M[i, ])
    ref_m[i, ] <- b %*% M[i, ]
  }
  expect_equal(gvcluster:::bdiag_apply(p, bd, M, "solve"), ref_s, tolerance = 1e-10)
  expect_equal(gvcluster:::bdiag_apply(p, bd, M, "tsolve"), ref_t, tolerance = 1e-10)
  expect_equal(gvcluster:::bdiag_apply(p, bd, M, "mul"), ref_m, tolerance = 1e-10)
  # a vector is one right-hand side
  expect_equal(as.vector(gvcluster:::bdiag_apply(p, bd, M[, 1], "solve")), ref_s[, 1],
               tolerance = 1e-10)
  # the exact 1-norms, of M and of I - M
  expect_equal(.Call(gvcluster:::ffi_gvc_norm1, R$B, 0L), max(colSums(abs(R$B))))
  expect_equal(.Call(gvcluster:::ffi_gvc_norm1, R$A, 1L), max(colSums(abs(diag(R$n) - R$A))))
})

test_that("the self perspective's diagonals come with the blocks and agree in any order", {
  t <- gvc_small(G = 3L, N = 3L)
  x <- gvc_icio(t)
  env <- gvcluster:::icio_cache(x)
  gvc_decompose(x, "bm", level = "bilateral")
  gvc_decompose(x, "wwz")
  # taken with the blocks from the one inverse: O(n^2) against the inverse's
  # O(n^3), where computing them later would form the inverse again
  expect_false(is.null(env$bdiag$S))
  late <- gvc_decompose(x, "bm", perspective = "self", level = "bilateral")$terms
  first <- gvc_decompose(gvc_icio(t), "bm", perspective = "self", level = "bilateral")$terms
  expect_identical(late, first)
  # S against its definition, S[(s,j), r] = (A_sr B_rs)_jj
  R <- gvc_ref(t)
  S <- matrix(0, R$n, R$G)
  for (s in seq_len(R$G)) for (r in seq_len(R$G)) if (r != s)
    S[R$ix(s), r] <- diag(R$A[R$ix(s), R$ix(r)] %*% R$B[R$ix(r), R$ix(s)])
  expect_equal(unname(env$bdiag$S), S, tolerance = 1e-10)
})

test_that("leontief() on the decompositions' LU matches solve(), with and without splits", {
  t <- gvc_small(G = 4L, N = 3L, zero = FALSE)
  R <- gvc_ref(t)
  x <- gvc_icio(t)
  B <- leontief(x)
  expect_equal(unclass(as.matrix(B)), R$B, ignore_attr = TRUE, tolerance = 1e-12)
  expect_identical(dimnames(B), dimnames(x$Z))
  for (s in seq_len(R$G))
    expect_equal(attr(B, "local")[, , s], R$L[[s]], ignore_attr = TRUE, tolerance = 1e-12)
  expect_identical(dimnames(attr(B, "local")), list(x$sectors, x$sectors, x$countries))
  # the LU is the one the decompositions use: cached with the table
  expect_false(is.null(gvcluster:::icio_cache(x)$lu))
  # split producer blocks (DDD split from BBB, away from it): B in the
  # table's own order, local inverses of every producer block
  xs <- icio(t$Z, t$Y[, 1:(3 * t$F)], t$countries, t$sectors, splits = c(DDD = "BBB"))
  Rs <- gvc_ref(t)                                     # Z and x are the same
  xs_x <- rowSums(t$Z) + rowSums(t$Y[, 1:(3 * t$F)])
  As <- sweep(t$Z, 2, xs_x, "/")
  Bs <- leontief(xs)
  expect_equal(unclass(as.matrix(Bs)), solve(diag(R$n) - As), ignore_attr = TRUE,
               tolerance = 1e-12)
  expect_identical(dimnames(Bs), dimnames(xs$Z))
  for (s in seq_len(R$G)) {
    i <- R$ix(s)
    expect_equal(attr(Bs, "local")[, , s], solve(diag(R$N) - As[i, i]), ignore_attr = TRUE,
                 tolerance = 1e-12)
  }
  # a coefficient matrix: blocks of N
  A <- R$A
  BA <- leontief(A, N = 3)
  expect_equal(unclass(as.matrix(BA)), R$B, ignore_attr = TRUE, tolerance = 1e-12)
  expect_equal(attr(BA, "local")[, , 2], R$L[[2]], tolerance = 1e-12)
})
