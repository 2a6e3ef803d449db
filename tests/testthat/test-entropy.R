test_that("a hand-worked example gives the textbook weights", {
  # a = (10, 20, 30): x' = (0, 1/2, 1), sum 3/2, p = (0, 1/3, 2/3)
  #   e_a = -(1/ln 3)(1/3 ln 1/3 + 2/3 ln 2/3) = 1 - 2 ln 2 / (3 ln 3)
  #       = 1 - 1.386294 / 3.295837 = 0.579380;  d_a = 0.420620
  # b = (5, 5, 8):    x' = (0, 0, 1), p = (0, 0, 1), e_b = 0, d_b = 1
  # w_a = 0.420620 / 1.420620 = 0.296082, w_b = 1 / 1.420620 = 0.703918
  # S = w_a (0, 1/2, 1) + w_b (0, 0, 1) = (0, 0.148041, 1)
  x <- cbind(a = c(10, 20, 30), b = c(5, 5, 8))
  ew <- entropy_weights(x)
  da <- 2 * log(2) / (3 * log(3))
  expect_equal(unname(ew$entropy), c(1 - da, 0))
  expect_equal(unname(ew$divergence), c(da, 1))
  expect_equal(ew$weights, c(a = da / (1 + da), b = 1 / (1 + da)))
  expect_equal(unname(ew$weights), c(0.296082, 0.703918), tolerance = 1e-5)
  expect_equal(unname(ew$scores), c(0, 0.148041, 1), tolerance = 1e-5)
  expect_equal(unname(ew$normalized), cbind(c(0, 0.5, 1), c(0, 0, 1)))
  expect_identical(colnames(ew$normalized), c("a", "b"))

  # b as a cost indicator: x' = (1, 1, 0), p = (1/2, 1/2, 0),
  #   e_b = -(1/ln 3)(2 * 1/2 ln 1/2) = ln 2 / ln 3 = 0.630930; d_b = 0.369070
  ec <- entropy_weights(x, cost = "b")
  db <- 1 - log(2) / log(3)
  expect_equal(unname(ec$entropy), c(1 - da, log(2) / log(3)))
  expect_equal(unname(ec$weights), c(da, db) / (da + db))
  expect_equal(unname(ec$normalized[, "b"]), c(1, 1, 0))
})

test_that("weights, entropies and scores agree with a plain-R computation", {
  set.seed(42)
  for (k in 1:5) {
    n <- sample(3:40, 1); m <- sample(1:7, 1)
    x <- matrix(rlnorm(n * m), n, m, dimnames = list(NULL, paste0("v", 1:m)))
    cost <- sample(c(TRUE, FALSE), m, replace = TRUE)
    ew <- entropy_weights(x, cost = cost)
    ref <- entropy_reference(x, cost)
    expect_equal(unname(ew$weights), ref$weights, tolerance = 1e-12)
    expect_equal(unname(ew$entropy), ref$entropy, tolerance = 1e-12)
    expect_equal(unname(ew$scores), ref$scores, tolerance = 1e-12)
    expect_equal(unname(ew$normalized), unname(ref$normalized), tolerance = 1e-12)
    expect_equal(sum(ew$weights), 1, tolerance = 1e-14)
    expect_true(all(ew$scores >= 0 & ew$scores <= 1))
  }
})

test_that("cost reversal equals a benefit indicator with the sign flipped", {
  set.seed(1)
  x <- data.frame(a = rnorm(12), b = runif(12), c = rpois(12, 5) + 0.5)
  flipped <- transform(x, b = -b)
  expect_equal(entropy_weights(x, cost = "b")[c("weights", "scores")],
               entropy_weights(flipped)[c("weights", "scores")])
  # cost by name, index and logical vector agree
  expect_equal(entropy_weights(x, cost = 2)$weights,
               entropy_weights(x, cost = "b")$weights)
  expect_equal(entropy_weights(x, cost = c(FALSE, TRUE, FALSE))$weights,
               entropy_weights(x, cost = "b")$weights)
  expect_identical(entropy_weights(x, cost = "b")$cost,
                   c(a = FALSE, b = TRUE, c = FALSE))
})

test_that("negative values are fine: min-max makes the method shift and scale free", {
  set.seed(7)
  x <- matrix(runif(30), 10, 3)
  expect_equal(entropy_weights(x - 5)$weights, entropy_weights(x)$weights)
  expect_equal(entropy_weights(3 * x - 100)$scores, entropy_weights(x)$scores)
})

test_that("a constant indicator gets weight 0 with a message", {
  x <- cbind(a = c(1, 4, 2, 8), k = 3, b = c(2, 2, 9, 1))
  expect_message(ew <- entropy_weights(x), 'constant indicator "k"')
  expect_identical(ew$constant, "k")
  expect_identical(ew$weights[["k"]], 0)
  expect_identical(ew$entropy[["k"]], 1)
  expect_true(all(is.na(ew$normalized[, "k"])))
  ref <- entropy_reference(x[, c("a", "b")])
  expect_equal(unname(ew$weights[c("a", "b")]), ref$weights)
  expect_equal(unname(ew$scores), ref$scores)
  expect_error(suppressMessages(entropy_weights(cbind(a = c(2, 2), b = 1))),
               "no indicator that varies")
})

test_that("n = 1 and NA follow the documented rules", {
  expect_error(entropy_weights(cbind(a = 1, b = 2)), "at least 2 rows")
  x <- data.frame(a = c(1, 2, NA, 4, 6), b = c(3, 1, 2, 5, 0))
  expect_error(entropy_weights(x), "`x` contains NA .*na.rm = TRUE")
  ew <- entropy_weights(x, na.rm = TRUE)
  ok <- c(1, 2, 4, 5)
  ref <- entropy_reference(x[ok, ])
  expect_equal(unname(ew$weights), ref$weights)
  expect_equal(unname(ew$scores[ok]), unname(ref$scores))
  expect_true(is.na(ew$scores[3]))
  expect_identical(unname(ew$used), c(TRUE, TRUE, FALSE, TRUE, TRUE))
  expect_identical(ew$n, 4L)
  expect_error(entropy_weights(data.frame(a = c(1, NA), b = c(2, 3)), na.rm = TRUE),
               "at least 2 complete rows")
})

test_that("bad input gives errors that name the argument", {
  expect_error(entropy_weights("a"), "`x` must be a numeric matrix")
  expect_error(entropy_weights(data.frame(a = 1:3, b = letters[1:3])),
               '`x` must have numeric columns only; not numeric: "b"')
  expect_error(entropy_weights(cbind(a = c(1, Inf, 2))), "`x` must not contain infinite")
  expect_error(entropy_weights(cbind(a = 1:3, b = 3:1), cost = "z"),
               '`cost` names indicators that do not exist: "z"')
  expect_error(entropy_weights(cbind(a = 1:3, b = 3:1), cost = 3),
               "`cost` as column indexes")
  expect_error(entropy_weights(cbind(a = 1:3, b = 3:1), cost = TRUE),
               "`cost` as a logical vector")
  expect_error(entropy_weights(cbind(a = 1:3, b = 3:1), cost = list(1)),
               "`cost` must be NULL")
  expect_error(entropy_weights(cbind(a = 1:3), na.rm = NA), "`na.rm` must be TRUE or FALSE")
  expect_error(entropy_weights(matrix(1:4, 2, 2, dimnames = list(NULL, c("a", "a")))),
               "duplicated column names")
})

test_that("names, data frames and the methods", {
  x <- data.frame(a = c(10, 20, 30), b = c(5, 5, 8), row.names = c("p", "q", "r"))
  ew <- entropy_weights(x)
  expect_s3_class(ew, "entropy_weights")
  expect_identical(names(ew$scores), c("p", "q", "r"))
  expect_identical(dimnames(ew$normalized), list(c("p", "q", "r"), c("a", "b")))
  w <- as.data.frame(ew)
  expect_identical(names(w), c("indicator", "type", "entropy", "divergence", "weight"))
  expect_equal(w$weight, unname(ew$weights))
  s <- as.data.frame(ew, what = "scores")
  expect_identical(names(s), c("unit", "score", "a", "b"))
  expect_identical(s$unit, c("p", "q", "r"))
  expect_output(print(ew), "Entropy weights: 2 indicators, 3 units")
  out <- capture.output(vis <- withVisible(print(ew)))
  expect_false(vis$visible)
  expect_type(format(ew), "character")
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_invisible(plot(entropy_weights(x, cost = "b")))
})

test_that("the study's indicators: plain-R oracle on the bengbu data", {
  ind <- c("infra", "sup", "tech", "phrl", "fm", "dm")
  ew <- entropy_weights(bengbu[ind])
  ref <- entropy_reference(bengbu[ind])
  expect_equal(unname(ew$weights), ref$weights, tolerance = 1e-12)
  expect_equal(unname(ew$scores), ref$scores, tolerance = 1e-12)
})

test_that("long columns: compensated sums keep the weights accurate", {
  skip_if(nzchar(Sys.getenv("GVCLUSTER_VALGRIND")))
  set.seed(3)
  x <- cbind(a = runif(2e5), b = rexp(2e5), c = rnorm(2e5))
  ew <- entropy_weights(x)
  ref <- entropy_reference(x)
  expect_equal(unname(ew$weights), ref$weights, tolerance = 1e-10)
})

test_that("the printed table is stable", {
  x <- data.frame(a = c(10, 20, 30), b = c(5, 5, 8), k = 1,
                  row.names = c("p", "q", "r"))
  expect_snapshot(print(entropy_weights(x, cost = "b")))
})

test_that("scores are named by the rows' names, numeric ones and subsets included", {
  x <- data.frame(a = c(10, 20, 30, 40), b = c(5, 5, 8, 1))
  # by hand: min-max normalised, shares, entropy, weights, scores
  nx <- cbind(a = (x$a - 10) / 30, b = (x$b - 1) / 7)
  e <- apply(nx, 2, function(v) { p <- v / sum(v); -sum(p[p > 0] * log(p[p > 0])) / log(4) })
  w <- (1 - e) / sum(1 - e)
  sc <- drop(nx %*% w)
  y <- x
  rownames(y) <- 2016:2019                       # integer row names
  ew <- entropy_weights(y)
  expect_equal(ew$scores, setNames(sc, c("2016", "2017", "2018", "2019")),
               tolerance = 1e-14)
  expect_identical(rownames(ew$normalized), c("2016", "2017", "2018", "2019"))
  # a subset keeps the original row numbers
  z <- rbind(x[1, ], x)[-1, ]
  expect_identical(names(entropy_weights(z)$scores), c("2", "3", "4", "5"))
  # automatic row names name nothing
  expect_null(names(entropy_weights(x)$scores))
  expect_output(print(ew), "2016")
})
