# Overflow, malformed and huge sparse matrices in lq() and the indices (fuzz run 2026-12).

test_that("lq() is scale invariant up to 1e308 and down to subnormals", {
  # the LQ by hand: (x_ij / x_i.) / (x_.j / x_..)
  lq_hand <- function(m) (m / rowSums(m)) / rep(colSums(m) / sum(m), each = nrow(m))
  m <- matrix(c(10, 1, 1, 10), 2)
  ref <- lq_hand(m)
  expect_equal(ref[1, 1], 20 / 11)
  expect_equal(lq(matrix(1e308, 2, 2)), matrix(1, 2, 2))
  expect_equal(lq(m * 1e307), ref, tolerance = 1e-14)
  expect_equal(lq(m * 1e-310), ref, tolerance = 1e-3)   # subnormal inputs keep ~4 digits
  expect_equal(lq(m * 2^-1060), ref, tolerance = 1e-14)
  expect_equal(lq(c(a = 1e308, b = 1e308), reference = c(a = 1, b = 1)), c(a = 1, b = 1))
  expect_equal(lq(c(a = 1, b = 3), reference = c(a = 1e308, b = 1e308)),
               lq(c(a = 1, b = 3), reference = c(a = 1, b = 1)))
  expect_equal(lq(m * 1e307, total = rowSums(m) * 1e307), ref, tolerance = 1e-14)
  S <- Matrix::Matrix(m * 1e307, sparse = TRUE)
  expect_equal(as.matrix(lq(S)), ref, tolerance = 1e-14, ignore_attr = TRUE)
  # the sparse path decides on rescaling from its totals: every magnitude,
  # with zeros, with row totals given, and a single huge value among small
  # (a dgCMatrix built by hand: Matrix() and as() take tiny values for a
  # symmetric matrix and return a dsCMatrix)
  dgc <- function(m) {
    w <- which(m != 0, arr.ind = TRUE)
    Matrix::sparseMatrix(i = w[, 1], j = w[, 2], x = m[w], dims = dim(m))
  }
  m3 <- matrix(c(10, 0, 1, 1, 10, 0, 0, 2, 5), 3)
  ref3 <- lq_hand(m3)
  for (k in c(1e-300, 2^-1060, 1e-200, 1, 1e200, 1e300, 1e307)) {
    S3 <- dgc(m3 * k)
    expect_equal(as.matrix(lq(S3)), ref3, tolerance = 1e-13, ignore_attr = TRUE,
                 info = format(k))
    expect_equal(as.matrix(lq(S3, total = rowSums(m3) * k)), ref3, tolerance = 1e-13,
                 ignore_attr = TRUE, info = format(k))
  }
  m4 <- m3; m4[1, 1] <- 1e308
  expect_equal(as.matrix(lq(dgc(m4))), lq_hand(m4 / 1e300),
               tolerance = 1e-13, ignore_attr = TRUE)
  pn <- data.frame(r = rep(c("a", "b"), 2), i = rep(c("x", "y"), each = 2),
                   v = as.vector(m) * 1e307)
  expect_equal(lq(pn, "v", "r", "i")$lq, as.vector(ref), tolerance = 1e-14)
})

malformed <- function() {
  S <- Matrix::Matrix(c(1, 0, 2, 3, 0, 4, 5, 0, 6), 3, sparse = TRUE)
  m <- list()
  a <- S; a@x <- as.integer(a@x); m$integer_x <- a
  a <- S; a@i[1] <- 7L; m$i_out_of_range <- a
  a <- S; a@i[1] <- -1L; m$i_negative <- a
  a <- S; a@p[2] <- 5L; m$bad_p <- a
  a <- S; a@x <- a@x[-1]; m$short_x <- a
  a <- S; a@i[1:2] <- a@i[2:1]; m$unsorted_i <- a
  a <- S; a@i[2] <- a@i[1]; m$duplicated_i <- a
  a <- S; a@Dim <- c(2L, 3L); m$small_dim <- a
  a <- S; a@p[4] <- 7L; m$p_past_end <- a
  a <- S; a@i[6] <- 0L; m$unsorted_last <- a
  a <- S; attr(a, "Dimnames") <- list(c("a", "b"), NULL); m$short_dimnames <- a
  m
}

test_that("malformed dgCMatrix objects are errors naming the slot", {
  m <- malformed()
  for (k in names(m)) {
    expect_error(lq(m[[k]]), "malformed dgCMatrix", info = k)
    expect_error(specialization(m[[k]]), "malformed dgCMatrix", info = k)
    expect_error(concentration(m[[k]]), "malformed dgCMatrix", info = k)
  }
  expect_snapshot(error = TRUE, lq(m$integer_x))
  expect_snapshot(error = TRUE, lq(m$i_out_of_range))
  expect_snapshot(error = TRUE, specialization(m$bad_p))
  expect_snapshot(error = TRUE, concentration(m$short_x))
  expect_snapshot(error = TRUE, lq(m$unsorted_i))
  expect_snapshot(error = TRUE, lq(m$duplicated_i))
})

test_that("a 2^31-1 x 3 sparse matrix with three non-zeros costs O(nnz) in lq()", {
  H <- methods::new("dgCMatrix", i = c(0L, 4L, 2147483646L), p = 0:3, x = c(1, 2, 3),
                    Dim = c(2147483647L, 3L))
  r <- lq(H)
  # by hand: one value per row and column, so LQ_ij = x.. / x.j = 6 / x_ij
  expect_equal(r@x, 6 / c(1, 2, 3))
  expect_identical(r@i, H@i)
  expect_snapshot(error = TRUE, specialization(H))
  expect_error(concentration(H), "about 160 GB")
})
