# lq(): every number against the plain-R oracle of helper-lq.R, published
# QCEW location quotients, or hand-worked values.

test_that("the formula on a hand-worked table", {
  # region A: 10 of 40 in x, 30 of 40 in y; background: 30 of 80 in x
  m <- matrix(c(10, 20, 30, 20), 2, dimnames = list(c("A", "B"), c("x", "y")))
  out <- lq(m)
  expect_identical(dim(out), dim(m))
  expect_identical(dimnames(out), dimnames(m))
  expect_equal(out["A", "x"], (10 / 40) / (30 / 80))
  expect_equal(out["A", "y"], (30 / 40) / (50 / 80))
  expect_equal(out["B", "x"], (20 / 40) / (30 / 80))
  # the study's vector form: region against a background
  v <- lq(c(a = 20, b = 30, c = 50), reference = c(a = 100, b = 400, c = 500))
  expect_identical(names(v), c("a", "b", "c"))
  expect_equal(unname(v), c(0.2 / 0.1, 0.3 / 0.4, 0.5 / 0.5))
})

test_that("Bengbu's published LQ stays above 1 through 2012-2019", {
  expect_identical(bengbu$year, 2012:2019)
  expect_true(all(bengbu$LQ > 1))
  # and lq() gives an LQ above 1 for a region whose share exceeds the
  # background's: 1.39 is e.g. 13.9% locally against 10% in the background
  expect_equal(lq(c(13.9, 86.1), reference = c(10, 90))[1], 1.39)
})

test_that("dense matrices match the oracle (zeros, NA, explicit totals)", {
  set.seed(1)
  x <- lq_random_matrix(23, 17, zeros = 0.6)
  x[4, ] <- 0            # a zero region
  x[, 5] <- 0            # a zero industry
  expect_lq_equal(lq(x), lq_oracle(x))
  xn <- x
  xn[c(3, 40, 77)] <- NA
  expect_lq_equal(lq(xn), lq_oracle(xn))               # all NA: total spoilt
  expect_true(all(is.na(lq(xn))))
  expect_lq_equal(lq(xn, na.rm = TRUE), lq_oracle(xn, na.rm = TRUE))
  ref <- colSums(x) * runif(ncol(x), 1, 3)
  ref[2] <- 0
  tot <- rowSums(x) * 1.5
  expect_lq_equal(lq(x, reference = ref), lq_oracle(x, reference = ref))
  expect_lq_equal(lq(x, total = tot), lq_oracle(x, total = tot))
  expect_lq_equal(lq(x, reference = ref, total = tot, reference_total = 1e5),
                  lq_oracle(x, reference = ref, total = tot, reference_total = 1e5))
  expect_lq_equal(lq(xn, reference = ref, na.rm = TRUE),
                  lq_oracle(xn, reference = ref, na.rm = TRUE))
  expect_lq_equal(lq(xn, reference = ref, total = tot),
                  lq_oracle(xn, reference = ref, total = tot))
  # one region (a one-row matrix, and vectors), with zeros and NA
  x1 <- x[1, , drop = FALSE]
  x1[1, 3] <- NA
  for (tp in c("ratio", "additive", "log")) {
    expect_lq_equal(lq(x1, type = tp), lq_oracle(x1, type = tp))
    expect_lq_equal(lq(x1, na.rm = TRUE, type = tp),
                    lq_oracle(x1, na.rm = TRUE, type = tp))
    expect_lq_equal(lq(x1, reference = ref, na.rm = TRUE, type = tp),
                    lq_oracle(x1, reference = ref, na.rm = TRUE, type = tp))
    expect_lq_equal(lq(x1[1, ], reference = ref, type = tp),
                    lq_oracle(x1, reference = ref, type = tp)[1, ])
    expect_lq_equal(lq(x1[1, ], reference = ref, total = 500, type = tp,
                       reference_total = 7000),
                    lq_oracle(x1, reference = ref, total = 500, type = tp,
                              reference_total = 7000)[1, ])
  }
  # integer input, no dimnames
  xi <- matrix(as.integer(round(x)), nrow(x))
  expect_lq_equal(lq(xi), lq_oracle(xi))
})

test_that("every type matches the oracle on dense, sparse and panel data", {
  set.seed(2)
  x <- lq_random_matrix(15, 9, zeros = 0.5)
  x[2, ] <- 0
  for (tp in c("ratio", "binary", "additive", "log", "standardized")) {
    expect_lq_equal(lq(x, type = tp), lq_oracle(x, type = tp))
    s <- Matrix::Matrix(x, sparse = TRUE)
    d <- lq(s, type = tp)
    if (tp %in% c("ratio", "binary")) {
      expect_s4_class(d, "dgCMatrix")
      expect_identical(d@i, s@i)
      expect_identical(d@p, s@p)
      # stored entries agree with the dense result
      dense <- lq_oracle(x, type = tp)
      expect_lq_equal(d@x, dense[cbind(s@i + 1L, rep(seq_len(ncol(s)), diff(s@p)))])
    } else {
      expect_lq_equal(d, lq_oracle(x, type = tp))
    }
  }
  expect_lq_equal(lq(x, type = "binary", cutoff = 1.5),
                  lq_oracle(x, type = "binary", cutoff = 1.5))
  p <- lq_long(list(`2001` = x, `2002` = x[, 9:1]))
  for (tp in c("ratio", "binary", "additive", "log", "standardized"))
    expect_lq_equal(lq(p, "emp", "region", "industry", by = "year", type = tp)$lq,
                    lq_oracle_panel(p, type = tp))
  # formulas by hand on one cell
  m <- matrix(c(10, 20, 30, 20), 2)
  q <- (10 / 40) / (30 / 80)
  expect_equal(lq(m, type = "additive")[1, 1], 10 / 40 - 30 / 80)
  expect_equal(lq(m, type = "log")[1, 1], log(q))
  expect_equal(lq(m, type = "standardized")[1, 1], (q - 1) / (q + 1))
  expect_identical(lq(m, type = "binary")[, 1], c(0, 1))
  expect_identical(lq(c(0, 1), c(1, 1), type = "log"), c(NA_real_, log(2)))
  expect_identical(lq(c(0, 1), c(1, 1), type = "standardized")[1], -1)
})

test_that("sparse matrices match the oracle in O(nnz) with the same pattern", {
  set.seed(3)
  x <- lq_random_matrix(40, 30, zeros = 0.7)
  x[7, ] <- 0
  x[, 11] <- 0
  s <- Matrix::Matrix(x, sparse = TRUE)
  expect_s4_class(s, "dgCMatrix")
  out <- lq(s)
  expect_s4_class(out, "dgCMatrix")
  expect_identical(out@i, s@i)
  expect_identical(out@p, s@p)
  expect_identical(out@Dimnames, s@Dimnames)
  # no zero totals touch a stored entry here: dense and sparse agree fully
  expect_lq_equal(out@x, lq_oracle(x)[x != 0])
  dense <- lq(x)
  dense[is.na(dense)] <- 0   # the zero row and column: NA dense, 0 sparse
  expect_lq_equal(as.matrix(out), dense)
  # NA among the stored values, with and without na.rm
  sn <- s
  sn@x[c(5, 50, 100)] <- NA
  xn <- as.matrix(sn)
  pos <- cbind(sn@i + 1L, rep(seq_len(ncol(sn)), diff(sn@p)))
  expect_lq_equal(lq(sn, na.rm = TRUE)@x, lq_oracle(xn, na.rm = TRUE)[pos])
  expect_lq_equal(lq(sn)@x, lq_oracle(xn)[pos])
  ref <- runif(30, 100, 1000)
  tot <- rowSums(x) + 10
  expect_lq_equal(lq(s, reference = ref, total = tot, reference_total = 5e4)@x,
                  lq_oracle(x, reference = ref, total = tot, reference_total = 5e4)[pos])
  # a very sparse matrix (row totals counted per row rather than by blocks)
  set.seed(31)
  h <- Matrix::sparseMatrix(i = sample(100, 200, TRUE), j = sample(150, 200, TRUE),
                            x = rexp(200), dims = c(100, 150))
  hd <- as.matrix(h)
  hpos <- cbind(h@i + 1L, rep(seq_len(ncol(h)), diff(h@p)))
  expect_lq_equal(lq(h)@x, lq_oracle(hd)[hpos])
  expect_lq_equal(lq(h, reference = 1:150, total = 1:100)@x,
                  lq_oracle(hd, reference = 1:150, total = 1:100)[hpos])
  # explicit zeros are stored entries and get NA where their totals are zero
  e <- Matrix::sparseMatrix(i = c(1, 2, 2), j = c(1, 1, 2), x = c(0, 3, 4),
                            dims = c(2, 2))
  expect_identical(lq(e)@x, c(NA, 1, 1))
  # the input is untouched and cached factorisations are dropped
  s0 <- s
  lq(s)
  expect_identical(s, s0)
  # other Matrix classes are converted
  expect_lq_equal(as.matrix(lq(as(s, "TsparseMatrix"))), as.matrix(out))
  expect_lq_equal(lq(Matrix::Matrix(x[1:3, 1:3] + 1, sparse = FALSE)),
                  lq_oracle(x[1:3, 1:3] + 1))
})

test_that("panels match the oracle: unbalanced, by group, zeros and NA", {
  set.seed(4)
  mats <- list(`2018` = lq_random_matrix(12, 8, zeros = 0.5),
               `2019` = lq_random_matrix(12, 8, zeros = 0.5),
               `2020` = lq_random_matrix(9, 6, zeros = 0.4))
  p <- lq_long(mats)
  p <- rbind(p, data.frame(year = 2019L, region = "r99", industry = "i1", emp = 0))
  out <- lq(p, "emp", "region", "industry", by = "year")
  expect_identical(out[names(p)], p)     # rows in the input order
  expect_lq_equal(out$lq, lq_oracle_panel(p))
  expect_true(is.na(out$lq[nrow(p)]))    # zero region total
  # each group equals the matrix method on that year's matrix
  for (y in names(mats)) {
    sub <- out[out$year == as.integer(y), ]
    sub <- sub[sub$region != "r99", ]
    ref <- lq(mats[[y]])
    expect_lq_equal(sub$lq, ref[cbind(sub$region, sub$industry)])
  }
  pn <- p
  pn$emp[c(3, 30)] <- NA
  expect_lq_equal(lq(pn, "emp", "region", "industry", by = "year")$lq,
                  lq_oracle_panel(pn))
  expect_lq_equal(lq(pn, "emp", "region", "industry", by = "year", na.rm = TRUE)$lq,
                  lq_oracle_panel(pn, na.rm = TRUE))
  # factor, integer and character keys give the same answer; two by columns
  pf <- p
  pf$region <- factor(pf$region)
  pf$industry <- as.integer(sub("i", "", pf$industry))
  expect_lq_equal(lq(pf, "emp", "region", "industry", by = "year")$lq, out$lq)
  p2 <- p
  p2$half <- p2$year %% 2
  p2$year2 <- p2$year - p2$half
  expect_lq_equal(lq(p2, "emp", "region", "industry", by = c("year2", "half"))$lq,
                  out$lq)
  # one row per group in 1,100 groups: (group, key) pairs coded (cheap check)
  pg <- data.frame(year = 1:1100, region = rep_len(1:1000, 1100),
                   industry = rep_len(1:1000, 1100), emp = c(0, rep(2, 1099)))
  expect_identical(lq(pg, "emp", "region", "industry", by = "year")$lq,
                   c(NA, rep(1, 1099)))
  # no by: one table
  p1 <- p[p$year == 2018L, ]
  expect_lq_equal(lq(p1, "emp", "region", "industry")$lq, lq_oracle_panel(p1))
  expect_identical(nrow(lq(p[0, ], "emp", "region", "industry")), 0L)
})

test_that("panels with many groups x regions x industries match the oracle", {
  skip_if(nzchar(Sys.getenv("GVCLUSTER_VALGRIND")))
  # many groups x many regions and industries (codes of the pairs that
  # occur), integer keys with a huge range
  set.seed(41)
  nn <- 2000
  pm <- data.frame(year = sample(900L, nn, TRUE),
                   region = sample(c(1L, 1e9L), nn, TRUE) + sample(0:1999, nn, TRUE),
                   industry = sample(2000L, nn, TRUE), emp = rexp(nn))
  pm <- pm[!duplicated(pm[c("year", "region", "industry")]), ]
  expect_lq_equal(lq(pm, "emp", "region", "industry", by = "year")$lq,
                  lq_oracle_panel(pm))
  pm$emp[5] <- NA
  expect_lq_equal(lq(pm, "emp", "region", "industry", by = "year", na.rm = TRUE)$lq,
                  lq_oracle_panel(pm, na.rm = TRUE))
  expect_error(lq(rbind(pm, pm[7, ]), "emp", "region", "industry", by = "year"),
               "`x` has more than one row")
})

test_that("panels take explicit totals and a reference table", {
  set.seed(5)
  m1 <- lq_random_matrix(6, 4, zeros = 0.3)
  m2 <- lq_random_matrix(6, 4, zeros = 0.3)
  p <- lq_long(list(`2018` = m1, `2019` = m2))
  nat <- data.frame(year = rep(2018:2019, each = 5),
                    industry = rep(paste0("i", 1:5), 2),
                    emp = c(1000, 2000, 3000, 4000, 500, 1100, 2100, 3100, 4100, 600))
  out <- lq(p, "emp", "region", "industry", by = "year", reference = nat)
  exp <- numeric(nrow(p))
  for (k in seq_len(nrow(p))) {
    y <- p$year[k]
    t <- sum(p$emp[p$year == y & p$region == p$region[k]])
    rj <- nat$emp[nat$year == y & nat$industry == p$industry[k]]
    rt <- sum(nat$emp[nat$year == y])     # i5 is absent from the panel
    exp[k] <- (p$emp[k] / t) / (rj / rt)
  }
  expect_lq_equal(out$lq, exp)
  # the same through the matrix method with reference and reference_total
  sub <- out[out$year == 2018L, ]
  mm <- lq(m1, reference = setNames(nat$emp[1:4], paste0("i", 1:4)),
           reference_total = sum(nat$emp[1:5]))
  expect_lq_equal(sub$lq, mm[cbind(sub$region, sub$industry)])
  # total and reference_total as columns
  p$tot <- 1000
  p$rtot <- 2e4
  out2 <- lq(p, "emp", "region", "industry", by = "year", reference = nat,
             total = "tot", reference_total = "rtot")
  rj <- nat$emp[match(paste(p$year, p$industry), paste(nat$year, nat$industry))]
  expect_lq_equal(out2$lq, (p$emp / 1000) / (rj / 2e4))
  # a reference without by columns applies to every group; a named vector too
  natv <- c(i1 = 10, i2 = 20, i3 = 30, i4 = 40)
  out3 <- lq(p, "emp", "region", "industry", by = "year", reference = natv)
  out4 <- lq(p, "emp", "region", "industry", by = "year",
             reference = data.frame(industry = names(natv), emp = natv))
  expect_identical(out3$lq, out4$lq)
  t <- ave(p$emp, p$year, p$region, FUN = sum)
  expect_lq_equal(out3$lq, (p$emp / t) / (unname(natv[p$industry]) / 100))
})

test_that("a data.table panel keeps its class", {
  p <- data.frame(region = c("a", "a", "b"), industry = c("x", "y", "x"),
                  v = c(1, 2, 3))
  exp <- lq(p, "v", "region", "industry")$lq
  skip_if_not_installed("data.table")
  dt <- data.table::as.data.table(p)
  out <- lq(dt, "v", "region", "industry")
  expect_s3_class(out, "data.table")
  expect_identical(out$lq, exp)
  expect_false("lq" %in% names(dt))
  # over-allocated again, so a later `:=` adds columns without a warning
  expect_gt(data.table::truelength(out), length(out))
})

test_that("vector, matrix, sparse and panel methods agree on the same data", {
  set.seed(6)
  x <- lq_random_matrix(10, 7, zeros = 0.5) + 0   # no zero totals here
  x[x == 0 & runif(length(x)) < 0.3] <- 0.5
  stopifnot(all(rowSums(x) > 0), all(colSums(x) > 0))
  dense <- lq(x)
  sparse <- as.matrix(lq(Matrix::Matrix(x, sparse = TRUE)))
  expect_lq_equal(sparse, dense)
  vec <- t(sapply(seq_len(nrow(x)), function(r) lq(x[r, ], reference = colSums(x))))
  dimnames(vec) <- dimnames(x)
  expect_lq_equal(vec, dense)
  p <- lq_long(list(`1` = x))
  pan <- lq(p, "emp", "region", "industry")
  expect_lq_equal(pan$lq, dense[cbind(pan$region, pan$industry)])
})

test_that("the zero-total and NA rules hold", {
  x <- matrix(c(0, 0, 1, 2, 0, 3), 2)   # row 1 not zero; column 1 zero
  out <- lq(x)
  expect_true(all(is.na(out[, 1])))
  expect_false(anyNA(out[, 2:3]))
  expect_true(all(is.na(lq(matrix(0, 2, 2)))))
  expect_true(all(is.na(lq(x, reference_total = 0))))
  expect_true(all(is.na(lq(x, total = c(0, 0)))))
  expect_identical(lq(c(1, 2), reference = c(0, 3)), c(NA, (2 / 3) / (3 / 3)))
  # additive: a zero industry is a zero share, not NA
  expect_identical(lq(c(1, 3), reference = c(0, 3), type = "additive"), c(0.25, -0.25))
  # NA: spoils the totals it enters, or only itself with na.rm
  y <- matrix(c(1, NA, 2, 3, 4, 5), 2)
  expect_true(all(is.na(lq(y))))
  expect_identical(is.na(lq(y, na.rm = TRUE)), is.na(y))
  z <- lq(y, reference = c(10, 10, 10), total = c(7, 8))
  expect_identical(is.na(z), is.na(y))
  expect_true(is.na(lq(c(1, NA), c(1, 1))[1]))
  expect_equal(lq(c(1, NA), c(1, 1), na.rm = TRUE), c(2, NA))
  # never NaN or Inf, also with tiny and huge totals (division path)
  w <- lq(c(1e-310, 2e-310), reference = c(1, 1))
  expect_equal(w, c(2 / 3, 4 / 3))
  w <- lq(c(1e300, 1e300), reference = c(1e-300, 3e-300))
  expect_equal(w, c(2, 2 / 3))
  expect_identical(lq(matrix(numeric(0), 0, 3)), matrix(numeric(0), 0, 3))
})

test_that("totals keep full precision (compensated summation)", {
  skip_if(nzchar(Sys.getenv("GVCLUSTER_VALGRIND")))
  n <- 1e5
  v <- c(1e16, rep(1, n))              # naive summation loses all the 1s
  out <- lq(v, reference = rep(1, n + 1), reference_total = n + 1)
  expect_equal(out[2], (n + 1) / (1e16 + n), tolerance = 1e-13)
  m <- matrix(v, nrow = 1)
  expect_equal(lq(m, reference = rep(1, n + 1), reference_total = n + 1)[1, 2],
               (n + 1) / (1e16 + n), tolerance = 1e-13)
  s <- Matrix::Matrix(matrix(v, nrow = 1), sparse = TRUE)
  expect_equal(lq(s, reference = rep(1, n + 1), reference_total = n + 1)@x[2],
               (n + 1) / (1e16 + n), tolerance = 1e-13)
  h <- Matrix::sparseMatrix(i = rep(2, n + 1), j = seq_len(n + 1), x = v,
                            dims = c(1000, n + 1))     # per-row counting
  expect_equal(lq(h, reference = rep(1, n + 1), reference_total = n + 1)@x[2],
               (n + 1) / (1e16 + n), tolerance = 1e-13)
  p <- data.frame(region = "a", industry = seq_len(n + 1), emp = v, ref = 1)
  out <- lq(p, "emp", "region", "industry",
            reference = data.frame(industry = seq_len(n + 1), emp = 1))
  expect_equal(out$lq[2], (n + 1) / (1e16 + n), tolerance = 1e-13)
})

test_that("the caller's objects are never modified", {
  x <- matrix(c(1, 2, 3, 4), 2)
  x0 <- x + 0
  ref <- c(5, 5)
  out <- lq(x, reference = ref)
  expect_identical(x, x0)
  expect_identical(ref, c(5, 5))
  p <- data.frame(r = c("a", "b"), i = c("x", "x"), v = c(1, 2))
  p0 <- p
  lq(p, "v", "r", "i")
  expect_identical(p, p0)
})

test_that("bad input gets an error naming the argument", {
  x <- matrix(c(1, 2, 3, 4), 2)
  expect_error(lq(matrix(c(1, -2, 3, 4), 2)), "`x` must not contain negative")
  expect_error(lq(matrix(c(1, Inf, 3, 4), 2)), "`x` must not contain infinite")
  expect_error(lq(matrix(c(1, NA, 3, Inf), 2), na.rm = TRUE), "`x` must not contain infinite")
  expect_error(lq(c(1, -1), c(1, 1)), "`x` must not contain negative")
  expect_error(lq(Matrix::Matrix(matrix(c(1, -2, 0, 4), 2), sparse = TRUE)),
               "`x` must not contain negative")
  expect_error(lq(Matrix::Matrix(matrix(c(1, Inf, 0, 4), 2), sparse = TRUE)),
               "`x` must not contain infinite")
  expect_error(lq(matrix(letters[1:4], 2)), "`x` must be a numeric matrix")
  expect_error(lq(c(TRUE, FALSE), c(1, 1)), "`x` must be a numeric")
  expect_error(lq("a", 1), "`x` must be a numeric")
  expect_error(lq(list(1, 2)), "`x` must be a numeric")
  expect_error(lq(array(1, c(2, 2, 2))), "`x` must be a vector or a two-dimensional")
  expect_error(lq(c(1, 2)), "`reference` is required")
  expect_error(lq(c(1, 2), c(1, 2, 3)), "`reference` must have length 2")
  expect_error(lq(x, reference = c(1, 2, 3)), "`reference` must have length 2")
  expect_error(lq(x, reference = c(1, -2)), "`reference` must not contain negative")
  expect_error(lq(x, reference = c(1, Inf)), "`reference` must not contain infinite")
  expect_error(lq(x, reference = c("a", "b")), "`reference` must be a numeric vector")
  expect_error(lq(x, total = 1), "`total` must have length 2")
  expect_error(lq(x, total = c(-1, 1)), "`total` must not contain negative")
  expect_error(lq(x, reference_total = c(1, 2)), "`reference_total` must be a single")
  expect_error(lq(x, reference_total = -1), "`reference_total` must be a single")
  expect_error(lq(x, reference_total = NA), "`reference_total` must be a single")
  expect_error(lq(c(1, 2), c(1, 2), total = c(1, 2)), "`total` must be a single")
  expect_error(lq(x, na.rm = NA), "`na.rm` must be TRUE or FALSE")
  expect_error(lq(x, type = "foo"), "`type` must be one of")
  expect_error(lq(x, type = c("log", "ratio")), "`type` must be a single")
  expect_error(lq(x, type = "binary", cutoff = 0), "`cutoff` must be a single positive")
  expect_error(lq(x, cutoff = NA), "`cutoff` must be a single positive")
  expect_error(lq(x, foo = 1), "`...` must be empty; unknown argument\\(s\\): foo")
  mx <- matrix(1, 2, 2, dimnames = list(c("a", "b"), c("u", "v")))
  expect_error(lq(mx, reference = c(w = 1, u = 2)), "`reference` has names that do not match")
  expect_equal(lq(mx, reference = c(v = 1, u = 3)), lq(mx, reference = c(3, 1)))
  s <- Matrix::Matrix(x, sparse = TRUE)
  expect_error(lq(s, reference = 1:3), "`reference` must have length 2")
  expect_error(lq(s, total = c(1, -1)), "`total` must not contain negative")

  p <- data.frame(year = c(1, 1, 1, 2), r = c("a", "a", "b", "a"),
                  i = c("x", "y", "x", "x"), v = c(1, 2, 3, 4), s = "t")
  expect_error(lq(p, "v", "r"), "`industry` is required")
  expect_error(lq(p, "w", "r", "i"), "`value` names column\\(s\\) not in `x`: \"w\"")
  expect_error(lq(p, "s", "r", "i"), "`value` must name a numeric column")
  expect_error(lq(p, "v", "q", "i"), "`region` names column\\(s\\) not in `x`")
  expect_error(lq(p, "v", "r", "j"), "`industry` names column\\(s\\) not in `x`")
  expect_error(lq(p, "v", "r", "i", by = "yr"), "`by` names column\\(s\\) not in `x`")
  expect_error(lq(p, "v", "r", "i", by = "r"),
               "`by` names the column \"r\", which is already `region`: `by` must be another column")
  expect_error(lq(p, "v", "r", "i", total = "tt"), "`total` names column\\(s\\) not in `x`")
  expect_error(lq(p, "v", "r", "i", reference_total = "s"), "`reference_total` must name a numeric")
  expect_error(lq(p, c("v", "year"), "r", "i"), "`value` must be a single")
  pd <- rbind(p, p[2, ])
  expect_error(lq(pd, "v", "r", "i", by = "year"),
               "`x` has more than one row for year = 1, r = a, i = y \\(row 5\\)")
  expect_silent(lq(p, "v", "r", "i", by = "year"))
  expect_error(lq(p, "v", "r", "i"), "`x` has more than one row")
  pn <- p
  pn$v[2] <- -1
  expect_error(lq(pn, "v", "r", "i", by = "year"), "`value` column \"v\" must not contain negative")
  pn$v[2] <- Inf
  expect_error(lq(pn, "v", "r", "i", by = "year"), "`value` column \"v\" must not contain infinite")
  pn <- p
  pn$r[1] <- NA
  expect_error(lq(pn, "v", "r", "i", by = "year"), "`region` column must not contain NA")
  pn <- p
  pn$tt <- c(1, -1, 1, 1)
  expect_error(lq(pn, "v", "r", "i", by = "year", total = "tt"), "`total` must not contain negative")
  ref <- data.frame(i = c("x", "y"), v = c(10, 20))
  expect_error(lq(p, "v", "r", "i", reference = ref[1, ]), "`reference` has no value for i = y")
  expect_error(lq(p, "v", "r", "i", reference = rbind(ref, ref)),
               "`reference` has more than one row for i = x")
  expect_error(lq(p, "v", "r", "i", reference = data.frame(i = "x", w = 1)),
               "`reference` names column\\(s\\) not in `reference`: \"v\"")
  expect_error(lq(p, "v", "r", "i", reference = transform(ref, v = -v)),
               "`reference` must not contain negative")
  expect_error(lq(p, "v", "r", "i", reference = c(10, 20)), "`reference` must be a data frame or a numeric vector named")
  expect_error(lq(p, "v", "r", "i", reference = "x"), "`reference` must be a data frame keyed")
  expect_error(lq(p, "v", "r", "i", by = c("year", "s"),
                  reference = data.frame(i = "x", v = 1, year = 1)),
               "`reference` must have all the `by` columns or none")
})

# BLS's location quotients: each area's ownership rows against the area's
# all-ownership total, with the nation (US000) as the reference area.
qcew_check <- function(q, rows) {
  q <- q[q$disclosure_code != "N", ]       # suppressed: published as 0
  # the three national aggregates are published as shares of the US total
  q <- q[!q$area_fips %in% c("USMSA", "USCMS", "USNMS"), ]
  us <- q[q$area_fips == "US000", ]
  own0 <- q[q$own_code == 0, ]
  for (col in c("annual_avg_emplvl", "annual_avg_estabs", "total_annual_wages")) {
    # denominators: the area's all-ownership total, and the nation's
    q$area_total <- own0[[col]][match(q$area_fips, own0$area_fips)]
    q$us_total <- us[[col]][us$own_code == 0]
    out <- lq(q, value = col, region = "area_fips", industry = "own_code",
              reference = us[c("own_code", col)], total = "area_total",
              reference_total = "us_total")
    pub <- q[[paste0("lq_", col)]]
    expect_identical(nrow(out), rows)
    expect_false(anyNA(out$lq))
    # BLS rounds to 2 decimals
    expect_true(all(abs(out$lq - pub) <= 0.005 + 1e-9),
                info = paste(col, "max difference", max(abs(out$lq - pub))))
  }
}

qcew_read <- function(path) {
  utils::read.csv(path, colClasses = c(area_fips = "character",
                                       disclosure_code = "character"))
}

test_that("BLS QCEW published location quotients are reproduced (shipped sample)", {
  q <- qcew_read(file.path(testdata_shipped("qcew"), "qcew_2019_sample.csv"))
  expect_identical(nrow(q), 452L)
  qcew_check(q, 440L)   # 452 rows less 11 suppressed and the USMSA aggregate
})

test_that("BLS QCEW published location quotients are reproduced (full file)", {
  skip_if(nzchar(Sys.getenv("GVCLUSTER_VALGRIND")))
  f <- "qcew_2019_annual_industry10_allareas.csv"
  d <- skip_if_no_testdata("qcew", f)
  qcew_check(qcew_read(file.path(d, f)), 18328L)
})

test_that("error messages read well", {
  p <- data.frame(year = c(1, 1, 1), r = c("a", "a", "b"), i = c("x", "x", "x"),
                  v = c(1, 2, 3), s = "t")
  expect_snapshot(error = TRUE, {
    lq(matrix(c(1, -2, 3, 4), 2))
    lq(matrix(c(1, 2, 3, 4), 2), reference = 1:3)
    lq(p, "s", "r", "i")
    lq(p, "v", "r", "i", by = "year")
    lq(p, "v", "r", "i", reference = data.frame(i = "y", v = 1))
  })
})

test_that("lq() on a data frame defaults to the columns value, region and industry", {
  p <- data.frame(region = rep(c("a", "b"), each = 2), industry = rep(c("x", "y"), 2),
                  value = c(4, 1, 2, 3))
  # hand computation: LQ = (v / region total) / (industry total / grand total)
  rt <- c(5, 5, 5, 5); it <- c(6, 4, 6, 4)
  expect_equal(lq(p)$lq, (p$value / rt) / (it / 10))
  expect_identical(lq(p), lq(p, "value", "region", "industry"))
  q <- p; names(q)[3] <- "emp"
  expect_error(lq(q), "`value` is required")
})

test_that("lq() takes table and xtabs objects as matrices or vectors", {
  p <- data.frame(city = c("A", "A", "B", "B", "C"),
                  ind = c("x", "y", "x", "y", "y"),
                  v = c(10, 30, 20, 20, 40))
  tab <- xtabs(v ~ city + ind, data = p)
  # by hand: LQ[r, j] = (x[r, j] / row total) / (column total / grand total)
  x <- matrix(c(10, 20, 0, 30, 20, 40), 3,
              dimnames = list(city = c("A", "B", "C"), ind = c("x", "y")))
  ref <- (x / rowSums(x)) / rep(colSums(x) / sum(x), each = 3)
  out <- lq(tab)
  expect_equal(out, ref, tolerance = 1e-15)
  expect_identical(dimnames(out), dimnames(x))
  expect_null(attr(out, "call"))
  counts <- matrix(c(1, 1, 0, 1, 1, 1), 3,
                   dimnames = list(c("A", "B", "C"), c("x", "y")))
  names(dimnames(counts)) <- c("", "")          # as table() names them
  expect_equal(lq(table(p$city, p$ind)),
               (counts / rowSums(counts)) / rep(colSums(counts) / 5, each = 3),
               tolerance = 1e-15)
  expect_equal(lq(tab, type = "binary"), (ref >= 1) + 0)
  # one-dimensional: a named vector against a reference
  t1 <- xtabs(v ~ ind, data = p)
  expect_equal(lq(t1, reference = c(x = 50, y = 50)),
               c(x = (30 / 120) / 0.5, y = (90 / 120) / 0.5), tolerance = 1e-15)
  expect_error(lq(table(p$city, p$ind, p$v)), "`x` must be a one- or two-dimensional table")
})
