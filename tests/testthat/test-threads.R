# The kernels split the work between threads (getOption("gvcluster.threads"))
# only from 50,000 cells; the data below are above that (600 x 150 cells, 70%
# non-zero) so that the parallel loops really run, and small enough for
# valgrind.  Results must be the same bit for bit for any number of threads.

with_threads <- function(n, code) {
  old <- options(gvcluster.threads = n)
  on.exit(options(old))
  force(code)
}

# The largest relative difference of a from b over their cells (NA where
# b is NA)
rel_err <- function(a, b) {
  expect_identical(is.na(a), is.na(b))
  ok <- !is.na(b)
  max(abs(a[ok] - b[ok]) / pmax(abs(b[ok]), .Machine$double.xmin))
}

idx_thread_data <- function() {
  x <- idx_rand(600, 150, zero = 0.3, seed = 71)
  x[, 5] <- 0                                      # an empty industry
  x[9, ] <- 0                                      # an empty region
  x
}

test_that("specialization() gives identical results with one and two threads", {
  x <- idx_thread_data()
  sp <- Matrix::Matrix(x, sparse = TRUE)
  all_spec <- c("krugman", "hoover", "hhi", "hhi_normalized", "hhi_equivalent",
                "entropy", "theil_t", "theil_l", "duranton_puga", "lq_average",
                "hachman")
  w <- setNames(seq(1, 3, length.out = 150), colnames(x))
  ref <- setNames(c(0, runif(149, 1, 5)), colnames(x))    # one zero share
  calls <- list(
    function(m) specialization(m, all_spec),
    function(m) specialization(m, c("hhi", "hhi_normalized", "hhi_equivalent")),
    function(m) specialization(m, "entropy"),
    function(m) specialization(m, c("krugman", "hoover"), compare = "others"),
    function(m) specialization(m, "hoover", weights = w),
    function(m) specialization(m, all_spec, reference = ref))
  for (f in calls) {
    one <- with_threads(1, f(x))
    expect_identical(with_threads(2, f(x)), one)
    expect_identical(with_threads(2, f(sp)), with_threads(1, f(sp)))
  }
  # NA cells, skipped with na.rm = TRUE
  y <- x
  y[cbind(c(3, 400, 599), c(7, 80, 150))] <- NA
  for (narm in c(FALSE, TRUE))
    expect_identical(with_threads(2, specialization(y, all_spec, na.rm = narm)),
                     with_threads(1, specialization(y, all_spec, na.rm = narm)))
  expect_identical(with_threads(2, specialization(y, "hhi", na.rm = TRUE)),
                   with_threads(1, specialization(y, "hhi", na.rm = TRUE)))
})

test_that("concentration() gives identical results with one and two threads", {
  x <- idx_thread_data()
  sp <- Matrix::Matrix(x, sparse = TRUE)
  all_conc <- c("krugman", "hoover", "gini", "locational_gini", "gini_lq")
  w <- setNames(seq(1, 3, length.out = 600), rownames(x))
  ref <- setNames(runif(600, 1, 5), rownames(x))
  calls <- list(
    function(m) concentration(m, all_conc),
    function(m) concentration(m, "krugman"),
    function(m) concentration(m, "gini"),
    function(m) concentration(m, c("hoover", "gini_lq"), weights = w),
    function(m) concentration(m, all_conc, reference = ref))
  for (f in calls) {
    expect_identical(with_threads(2, f(x)), with_threads(1, f(x)))
    expect_identical(with_threads(2, f(sp)), with_threads(1, f(sp)))
  }
  y <- x
  y[cbind(c(3, 400, 599), c(7, 80, 150))] <- NA
  for (narm in c(FALSE, TRUE))
    expect_identical(with_threads(2, concentration(y, na.rm = narm)),
                     with_threads(1, concentration(y, na.rm = narm)))
})

test_that("panels give identical results with one and two threads", {
  x1 <- idx_thread_data()
  x2 <- idx_rand(600, 150, zero = 0.3, seed = 72)
  dimnames(x2) <- dimnames(x1)
  d <- idx_long(list(x1, x2), years = c(2001, 2002))
  expect_identical(with_threads(2, specialization(d, by = "year")),
                   with_threads(1, specialization(d, by = "year")))
  expect_identical(with_threads(2, concentration(d, by = "year")),
                   with_threads(1, concentration(d, by = "year")))
  # integer and whole-double keys (coded by counting on several threads from
  # 100,000 rows) give the same result as character keys
  expect_gt(nrow(d), 1e5)
  di <- d
  di$region <- as.integer(sub("r", "", d$region))
  di$industry <- as.numeric(sub("i", "", d$industry)) * 10
  ri <- with_threads(2, specialization(di, by = "year"))
  expect_identical(ri, with_threads(1, specialization(di, by = "year")))
  rc <- with_threads(2, specialization(d, by = "year"))
  # (industries in another order: the sums run in another order)
  expect_equal(ri[order(ri$year, ri$region), -1],
               rc[order(rc$year, as.integer(sub("r", "", rc$region))), -1],
               ignore_attr = TRUE, tolerance = 1e-13)
  # each year as its own matrix
  y1 <- ri[ri$year == 2001, ]
  expect_equal(y1$krugman, specialization(x1, "krugman")$krugman, tolerance = 1e-12)
  expect_identical(with_threads(2, concentration(di, "gini", by = "year")),
                   with_threads(1, concentration(di, "gini", by = "year")))
  # a duplicated row: the same error (the same cell) with one or two threads
  dd <- rbind(d, d[5000, ])
  msg <- function(th) tryCatch(with_threads(th, specialization(dd, by = "year")),
                               error = conditionMessage)
  expect_identical(msg(2), msg(1))
  expect_match(msg(2), paste0("more than one row for year = ", d$year[5000],
                              ", region = ", d$region[5000],
                              ", industry = ", d$industry[5000], ";"))
  # shift-share and plant data go through the same counting sort
  ss <- function() shift_share(d, "value", "region", "industry", "year")
  expect_identical(with_threads(2, ss()), with_threads(1, ss()))
  set.seed(73)
  plants <- data.frame(emp = rexp(120000) * 20,
                       ind = sample(40, 120000, replace = TRUE),
                       reg = sample(300, 120000, replace = TRUE))
  eg <- function() ellison_glaeser(plants, "emp", region = "reg", industry = "ind")
  expect_identical(with_threads(2, eg()), with_threads(1, eg()))
})

test_that("the parallel paths match the plain-R formulas", {
  skip_on_cran()
  skip_if(nzchar(Sys.getenv("GVCLUSTER_VALGRIND")))
  x <- idx_thread_data()
  x <- x[1:400, 1:130]                         # 52,000 cells: still parallel
  res <- with_threads(2, specialization(x))
  ref <- ref_spec(x)
  for (k in colnames(ref)[colnames(ref) %in% names(res)])
    expect_equal(res[[k]], unname(ref[, k]), tolerance = 1e-12, info = k)
  # sparse: 4 column segments from 50,000 stored cells
  sp <- Matrix::Matrix(idx_thread_data(), sparse = TRUE)
  expect_gt(length(sp@x), 5e4)
  res <- with_threads(2, specialization(sp))
  ref <- ref_spec(as.matrix(sp))
  for (k in colnames(ref)[colnames(ref) %in% names(res)])
    expect_equal(res[[k]], unname(ref[, k]), tolerance = 1e-12, info = k)
  res <- with_threads(2, concentration(x))
  ref <- ref_conc(x)
  for (k in colnames(ref))
    expect_equal(res[[k]], unname(ref[, k]), tolerance = 1e-12, info = k)
})

test_that("a bad thread option is an error naming it", {
  x <- idx_rand(5, 4)
  expect_error(with_threads(0, specialization(x)), "gvcluster.threads")
  expect_error(with_threads("2", concentration(x)), "gvcluster.threads")
})

test_that("lq() on a dense matrix gives identical results with one and two threads", {
  # 600 x 450 = 270,000 cells: both passes split their columns between
  # threads from 262,144 cells, in whole blocks of 32 columns (15 blocks
  # here, 7 for the first thread). Magnitudes over 12 decades; row 7 holds
  # 2^53 and then ones, which a plain sum over a block of columns loses, so
  # a block split in the wrong place would change that row's total.
  set.seed(5)
  x <- matrix(10^runif(600 * 450, -6, 6), 600, 450)
  x[runif(length(x)) < 0.3] <- 0
  x[7, ] <- 1
  x[7, 1] <- 2^53
  # row 8: one value in each of blocks 0, 7, 13 and 14 of 32 columns (the
  # second thread's range starts at block 7). Its compensated total depends
  # on the order in which the blocks are added: 2^53, 1, 2^-53, 2^-53 in
  # column order ends at 2^53, with the last three reversed at 2^53 + 2
  x[8, ] <- 0
  x[8, c(1, 7 * 32 + 1, 13 * 32 + 1, 14 * 32 + 1)] <- c(2^53, 1, 2^-53, 2^-53)
  dimnames(x) <- list(paste0("r", 1:600), paste0("i", 1:450))
  for (tp in c("ratio", "binary", "additive", "log", "standardized"))
    expect_identical(with_threads(2, lq(x, type = tp)),
                     with_threads(1, lq(x, type = tp)))
  # against the LQ by hand, cell by cell (base R's sums are in long double,
  # which valgrind runs as double: then they are good to about 1e-12 on
  # these data, hence the bound; natively the two agree to 4e-15)
  hand <- sweep(x / rowSums(x), 2, colSums(x) / sum(x), "/")
  expect_lt(rel_err(with_threads(2, lq(x)), hand), 1e-11)
  expect_lt(rel_err(with_threads(2, lq(x))[7, 2],
                    (1 / (2^53 + 449)) / (sum(x[, 2]) / sum(x))), 1e-11)
  # NA cells, skipped with na.rm = TRUE
  y <- x
  y[cbind(c(3, 400, 599), c(7, 80, 450))] <- NA
  expect_identical(with_threads(2, lq(y, na.rm = TRUE)),
                   with_threads(1, lq(y, na.rm = TRUE)))
  hand_na <- sweep(y / rowSums(y, na.rm = TRUE), 2,
                   colSums(y, na.rm = TRUE) / sum(y, na.rm = TRUE), "/")
  expect_lt(rel_err(with_threads(2, lq(y, na.rm = TRUE)), hand_na), 1e-11)
  # margins given
  tot <- rowSums(x) * 1.5
  ref <- setNames(colSums(x) + 1, colnames(x))
  expect_identical(with_threads(2, lq(x, total = tot, reference = ref)),
                   with_threads(1, lq(x, total = tot, reference = ref)))
  # values near the top of the double range: rescaled by a power of 2 after
  # the first pass (the largest value comes from both threads' columns)
  big <- x * 2^960
  expect_identical(with_threads(2, lq(big)), with_threads(1, lq(big)))
  expect_lt(rel_err(with_threads(2, lq(big)), hand), 1e-11)
  # the same errors from a bad value in the second thread's columns
  inf <- x
  inf[500, 300] <- Inf
  e0 <- tryCatch(with_threads(1, lq(inf)), error = conditionMessage)
  expect_match(e0, "infinite")
  expect_identical(tryCatch(with_threads(2, lq(inf)), error = conditionMessage), e0)
  z <- x
  z[500, 300] <- -1
  e1 <- tryCatch(with_threads(1, lq(z)), error = conditionMessage)
  expect_match(e1, "negative")
  expect_identical(tryCatch(with_threads(2, lq(z)), error = conditionMessage), e1)
})

test_that("lq() on a dgCMatrix gives identical results with one and two threads", {
  # 700 x 500 with 20% zeros: about 280,000 stored entries, so the pass
  # that writes the result is split between threads (from 262,144)
  set.seed(6)
  m <- matrix(10^runif(700 * 500, -6, 6), 700, 500)
  m[runif(length(m)) < 0.2] <- 0
  dimnames(m) <- list(paste0("r", 1:700), paste0("i", 1:500))
  s <- methods::as(m, "CsparseMatrix")
  expect_s4_class(s, "dgCMatrix")
  expect_gt(length(s@x), 262144)
  for (tp in c("ratio", "binary"))
    expect_identical(with_threads(2, lq(s, type = tp)),
                     with_threads(1, lq(s, type = tp)))
  hand <- sweep(m / rowSums(m), 2, colSums(m) / sum(m), "/")
  out <- with_threads(2, lq(s))
  nz <- m != 0
  expect_lt(rel_err(as.matrix(out)[nz], hand[nz]), 1e-11)
  expect_true(all(as.matrix(out)[!nz] == 0))
  tot <- rowSums(m) * 1.5
  expect_identical(with_threads(2, lq(s, total = tot)),
                   with_threads(1, lq(s, total = tot)))
})
