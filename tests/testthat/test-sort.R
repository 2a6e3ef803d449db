# The Gini-type concentration indices sort each industry's cells: up to 64
# by insertion sort, more by a radix sort of the keys' offsets from their
# minimum, finished by an insertion sort that hands over to the full radix
# sort when keys crowd together.  These tests aim at each path and check
# against the Lorenz curve written out in plain R.

# Locational Gini from the Lorenz curve: regions in increasing order of LQ
# (a region of reference share 0 holding a positive cell has LQ Inf and
# comes last), cumulated industry shares against the reference shares,
# trapezoids; zero cells add no area.
sort_lg <- function(x, ref = rowSums(x)) {
  r <- ref / sum(ref)
  vapply(seq_len(ncol(x)), function(j) {
    v <- x[, j]
    if (!(sum(v) > 0)) return(NA_real_)
    c <- v / sum(v)
    keep <- c > 0
    c <- c[keep]; w <- r[keep]
    o <- order(c / w)
    C <- cumsum(c[o])
    1 - sum(w[o] * (C + c(0, C[-length(C)])))
  }, numeric(1))
}

# Gini of the LQs of the regions of positive reference share; NA when a
# region of reference share 0 holds a positive cell (an infinite LQ).
sort_glq <- function(x, ref = rowSums(x)) {
  r <- ref / sum(ref)
  vapply(seq_len(ncol(x)), function(j) {
    v <- x[, j]
    if (!(sum(v) > 0) || any(v[r == 0] > 0)) return(NA_real_)
    ref_gini((v / sum(v))[r > 0] / r[r > 0])
  }, numeric(1))
}

sort_gini <- function(x) {
  vapply(seq_len(ncol(x)), function(j) {
    if (sum(x[, j]) > 0) ref_gini(x[, j]) else NA_real_
  }, numeric(1))
}

expect_sorted_conc <- function(x, ref = NULL, tol = 1e-12) {
  res <- concentration(x, c("gini", "locational_gini", "gini_lq"), reference = ref)
  rr <- if (is.null(ref)) rowSums(x) else ref
  expect_equal(res$gini, sort_gini(x), tolerance = tol)
  expect_equal(res$locational_gini, sort_lg(x, rr), tolerance = tol)
  expect_equal(res$gini_lq, sort_glq(x, rr), tolerance = tol)
  sp <- Matrix::Matrix(x, sparse = TRUE)
  expect_equal(concentration(sp, c("gini", "locational_gini", "gini_lq"), reference = ref),
               res, tolerance = 1e-13)
  # asked alone, each index takes its own path (the Gini of the LQs sorts
  # without the cells' order) with the same arithmetic
  for (k in c("gini", "locational_gini", "gini_lq"))
    expect_identical(concentration(x, k, reference = ref)[[k]], res[[k]])
  invisible(res)
}

test_that("the Lorenz-curve oracle agrees with the pairwise formula", {
  x <- idx_rand(25, 6, seed = 61)
  expect_equal(sort_lg(x), unname(ref_conc(x)[, "locational_gini"]), tolerance = 1e-12)
  expect_equal(sort_glq(x), unname(ref_conc(x)[, "gini_lq"]), tolerance = 1e-12)
})

test_that("a tight cluster beside far outliers (the full radix fallback) sorts exactly", {
  # 300 keys within a relative 3e-11 of each other and one key 200 decades
  # away: the offsets' digits cannot tell the cluster apart, the insertion
  # sort would need some n^2 / 4 moves and the full radix sort takes over
  set.seed(62)
  n <- 300
  x <- cbind(
    c(1 + sample(n - 1) * 1e-13, 1e200),
    c(5 + sample(n - 2) * 1e-12, 1e-8, 1e8)[sample(n)],
    c(rep(7, n - 1), 1e-100),                          # ties and one tiny key
    10^runif(n, -150, 150),                            # 300 decades
    c(2 + sample(n / 2) * 1e-14, 3 + sample(n / 2) * 1e-14)[sample(n)])
  expect_sorted_conc(x, ref = rep(1, n))
  pop <- runif(n, 1, 2)
  expect_sorted_conc(x, ref = pop)
  # equal reference shares: the cluster beside the outlier is a Lorenz curve
  # with all but the last region at nearly equal LQ
  r <- concentration(x, "gini_lq", reference = rep(1, n))
  expect_equal(r$gini_lq[1], (n - 1) / n, tolerance = 1e-6)
})

test_that("infinite LQs (regions of reference share 0) sort last", {
  set.seed(63)
  for (n in c(20, 100)) {                   # insertion sort and radix paths
    x <- matrix(rexp(n * 5) * 10, n, 5)
    x[sample(n * 5, n)] <- 0
    pop <- runif(n)
    pop[c(2, 5, 9)] <- 0
    x[c(2, 5, 9), 1] <- 0                   # industry 1: no infinite LQ
    x[-c(2, 5, 9), 5] <- 0                  # industry 5: only infinite LQs
    x[c(2, 5, 9), 5] <- c(1, 2, 3)
    res <- expect_sorted_conc(x, ref = pop)
    expect_false(is.na(res$gini_lq[1]))
    expect_true(all(is.na(res$gini_lq[2:5])))
    # industry 5 lies wholly where the reference has nothing: the Lorenz
    # curve stays at 0 until the last step, the maximum locational Gini
    expect_equal(res$locational_gini[5], 1)
  }
})

test_that("columns of 1 to 66 cells, around the insertion sort's limit of 64", {
  set.seed(64)
  for (n in c(1, 2, 3, 63, 64, 65, 66)) {
    x <- matrix(sample(c(0, 0, 1:4, rexp(6)), n * 4, replace = TRUE), n, 4)
    x[1, ] <- x[1, ] + 1                    # no empty industry
    if (n > 1) x[n, 3] <- 1e6               # an outlier
    ref <- if (n > 1) NULL else 1
    expect_sorted_conc(x, ref = ref)
    expect_sorted_conc(x, ref = runif(n, 0.5, 1))
  }
})

test_that("the sorts give identical results on one and two threads", {
  skip_if(nzchar(Sys.getenv("GVCLUSTER_VALGRIND")))
  set.seed(65)
  n <- 2000
  x <- cbind(matrix(rexp(n * 6) * 100, n, 6),
             c(1 + sample(n - 1) * 1e-13, 1e200),
             round(rexp(n) * 3))
  x[sample(length(x), length(x) / 3)] <- 0
  pop <- runif(n)
  pop[1:5] <- 0
  conc_threads <- function(th, ...) {
    old <- options(gvcluster.threads = th)
    on.exit(options(old))
    concentration(...)
  }
  for (ref in list(NULL, pop)) {
    one <- conc_threads(1, x, reference = ref)
    expect_identical(conc_threads(2, x, reference = ref), one)
    rr <- if (is.null(ref)) rowSums(x) else ref
    expect_equal(one$locational_gini, sort_lg(x, rr), tolerance = 1e-12)
    expect_equal(one$gini_lq, sort_glq(x, rr), tolerance = 1e-12)
    expect_equal(one$gini, sort_gini(x), tolerance = 1e-12)
  }
})
