# One policy for NaN, Inf and -Inf across the exported functions
# (?`gvcluster-missing`): an error naming the argument and the first position.

policy_cases <- function(bad) {
  m <- matrix(c(1, 2, 3, 4, 5, 6), 3, dimnames = list(c("r1", "r2", "r3"), c("a", "b")))
  m[2, 1] <- bad
  d <- data.frame(g = c("a", "a", "b", "b"), r = c("r1", "r2", "r1", "r2"),
                  t = c(1, 1, 2, 2), y = c(1, bad, 3, 4))
  pn <- data.frame(r = rep(c("A", "B"), each = 4), i = rep(c("x", "y"), 4),
                   t = rep(rep(c(1, 2), each = 2), 2), y = c(1, bad, 3:8))
  fit <- linreg(LQ ~ infra, data = bengbu)
  scores <- c(1, 2, 3)
  list(
    lq_matrix = list(quote(lq(m)), "`x`"),
    lq_vector = list(quote(lq(m[, 1], reference = c(1, 1, 1))), "`x`"),
    lq_reference = list(quote(lq(c(1, 2, 3), reference = m[, 1])), "`reference`"),
    lq_sparse = list(quote(lq(Matrix::Matrix(m, sparse = TRUE))), "`x`"),
    lq_panel = list(quote(lq(d, "y", "r", "g")), "`value`"),
    specialization = list(quote(specialization(m)), "`x`"),
    specialization_df = list(quote(specialization(d, value = "y", region = "r", industry = "g")), "`value`"),
    concentration = list(quote(concentration(m)), "`x`"),
    concentration_sparse = list(quote(concentration(Matrix::Matrix(m, sparse = TRUE))), "`x`"),
    shift_share = list(quote(shift_share(pn, "y", "r", "i", "t")), "`value`"),
    ellison_glaeser = list(quote(ellison_glaeser(d, "y", region = "r", industry = "g")), "`value`"),
    maurel_sedillot = list(quote(maurel_sedillot(d, "y", region = "r", industry = "g")), "`value`"),
    entropy_weights = list(quote(entropy_weights(m)), "`x`"),
    gem_score = list(quote(gem_score(c(1, bad, 3), scores, scores, scores, scores, scores)),
                     "`resources`"),
    gvc_index = list(quote(gvc_index(m[, 1], fv = c(1, 1, 1), exports = c(5, 5, 5))), "`iv`"),
    icio = list(quote(icio(matrix(c(1, bad, 1, 1), 2), matrix(1, 2, 1), "A", c("s1", "s2"))),
                "`Z`"),
    leontief = list(quote(leontief(matrix(c(0.1, bad, 0.1, 0.1), 2))), "`x`"),
    linreg = list(quote(linreg(y ~ t, data = d)), "`formula`"),
    linreg_matrix = list(quote(linreg(m, c(1, 2, 3))), "`formula`"),
    sensitivity = list(quote(sensitivity(fit, error = c(bad, 0.1), draws = 10)), "`error`")
  )
}

test_that("NaN, Inf and -Inf are an error naming the argument in every function", {
  for (bad in c(Inf, -Inf, NaN)) {
    cases <- policy_cases(bad)
    env <- environment(policy_cases)
    for (k in names(cases)) {
      ev <- list2env(list(bad = bad), parent = globalenv())
      # rebuild the case's data in an environment of its own
      body <- cases[[k]][[1L]]
      f <- function() NULL
      body(f) <- call("{", quote(m <- matrix(c(1, 2, 3, 4, 5, 6), 3,
                                             dimnames = list(c("r1", "r2", "r3"), c("a", "b")))),
                      quote(m[2, 1] <- bad),
                      quote(d <- data.frame(g = c("a", "a", "b", "b"), r = c("r1", "r2", "r1", "r2"),
                                            t = c(1, 1, 2, 2), y = c(1, bad, 3, 4))),
                      quote(pn <- data.frame(r = rep(c("A", "B"), each = 4), i = rep(c("x", "y"), 4),
                                             t = rep(rep(c(1, 2), each = 2), 2), y = c(1, bad, 3:8))),
                      quote(fit <- linreg(LQ ~ infra, data = bengbu)),
                      quote(scores <- c(1, 2, 3)),
                      body)
      environment(f) <- ev
      err <- tryCatch({ f(); NULL }, error = function(e) conditionMessage(e))
      expect_false(is.null(err), info = paste(k, bad))
      if (is.null(err)) next
      expect_true(grepl(cases[[k]][[2L]], err, fixed = TRUE), info = paste(k, bad, err))
      # NaN is not reported as a missing value, Inf not as anything else
      if (k != "sensitivity" && !(k == "gem_score" && is.infinite(bad)))
        expect_true(grepl("infinite values or NaN", err), info = paste(k, bad, err))
    }
  }
})

test_that("the errors give the position of the first offending value", {
  m <- matrix(c(1, 2, 3, 4, 5, Inf), 3, dimnames = list(c("r1", "r2", "r3"), c("a", "b")))
  expect_snapshot(error = TRUE, specialization(m))
  expect_snapshot(error = TRUE, lq(c(1, NaN, Inf)[c(1, 3, 2)], reference = c(1, 1, 1)))
  d <- data.frame(g = c("a", "a", "b", "b"), r = c("r1", "r2", "r1", "r2"),
                  y = c(1, 2, -Inf, 4))
  expect_snapshot(error = TRUE, ellison_glaeser(d, "y", region = "r", industry = "g"))
  expect_snapshot(error = TRUE, lq(d, "y", "r", "g"))
})

test_that("NA is handled as na.rm says, NaN is not removed by na.rm", {
  m <- matrix(c(1, NA, 3, 4, 5, 6), 3)
  # lq with na.rm: the NA cell left out of the totals (by hand)
  r <- lq(m, na.rm = TRUE)
  expect_equal(r[1, 1], (1 / 5) / (4 / 19))
  expect_true(is.na(r[2, 1]))
  expect_true(all(is.na(lq(m)[2, ])))
  m[2, 1] <- NaN
  expect_error(lq(m, na.rm = TRUE), "infinite values or NaN")
  expect_error(specialization(m, na.rm = TRUE), "infinite values or NaN")
  expect_error(entropy_weights(m, na.rm = TRUE), "infinite values or NaN")
})

test_that("every index finds NaN and infinities on every input, whatever the path", {
  # the indices check the values only when their first pass saw room for a
  # NaN or an infinity (an NA-like cell or a total that is not finite):
  # every index, input kind, na.rm, reference and weights is tried here
  set.seed(11)
  base <- matrix(rexp(40 * 30) * 10, 40, 30,
                 dimnames = list(paste0("r", 1:40), paste0("i", 1:30)))
  base[runif(length(base)) < 0.4] <- 0
  spec_idx <- c("krugman", "hoover", "hhi", "hhi_normalized", "hhi_equivalent",
                "entropy", "theil_t", "theil_l", "duranton_puga", "lq_average",
                "hachman")
  conc_idx <- c("krugman", "hoover", "gini", "locational_gini", "gini_lq")
  long <- function(m) {
    d <- as.data.frame(as.table(m), stringsAsFactors = FALSE)
    names(d) <- c("region", "industry", "value")
    d$year <- rep(1:2, length.out = nrow(d))
    d
  }
  kinds <- function(m) list(dense = m, sparse = as(m, "CsparseMatrix"),
                            panel = long(m))
  bads <- list("Inf" = Inf, "-Inf" = -Inf, "NaN" = NaN,
               both = c(Inf, -Inf))
  for (b in names(bads)) {
    m <- base
    m[3, 5] <- bads[[b]][1]
    if (length(bads[[b]]) > 1) m[9, 5] <- bads[[b]][2]
    for (k in names(kinds(m))) {
      x <- kinds(m)[[k]]
      for (na.rm in c(FALSE, TRUE)) {
        by <- if (k == "panel") "year"
        expect_error(if (k == "panel") lq(x, by = "year", na.rm = na.rm) else lq(x, na.rm = na.rm),
                     "infinite values or NaN", info = paste(b, k, na.rm, "lq"))
        for (ix in c(as.list(spec_idx), list(spec_idx))) {
          info <- paste(b, k, na.rm, paste(ix, collapse = "+"))
          expect_error(specialization(x, ix, na.rm = na.rm, by = by),
                       "infinite values or NaN", info = info)
          expect_error(specialization(x, ix, na.rm = na.rm, by = by, compare = "others"),
                       "infinite values or NaN", info = info)
          expect_error(specialization(x, ix, na.rm = na.rm, by = by,
                                      reference = rep(1, 30)),
                       "infinite values or NaN", info = info)
        }
        expect_error(specialization(x, "hoover", na.rm = na.rm, by = by,
                                    weights = seq_len(30)),
                     "infinite values or NaN", info = paste(b, k, "weights"))
        for (ix in c(as.list(conc_idx), list(conc_idx))) {
          info <- paste(b, k, na.rm, paste(ix, collapse = "+"))
          expect_error(concentration(x, ix, na.rm = na.rm, by = by),
                       "infinite values or NaN", info = info)
          expect_error(concentration(x, ix, na.rm = na.rm, by = by,
                                     reference = rep(1, 40)),
                       "infinite values or NaN", info = info)
        }
        expect_error(concentration(x, "hoover", na.rm = na.rm, by = by,
                                   weights = seq_len(40)),
                     "infinite values or NaN", info = paste(b, k, "weights"))
        if (k == "panel")
          for (meth in c("dunn", "esteban", "dynamic"))
            expect_error(shift_share(x, "value", "region", "industry", "year",
                                     method = meth, na.rm = na.rm),
                         "infinite values or NaN", info = paste(b, meth, na.rm))
      }
    }
  }
  # finite values whose sums overflow are not mistaken for infinities
  big <- base
  big[1:3, 1] <- 1e308
  for (x in kinds(big)) {
    by <- if (is.data.frame(x)) "year"
    expect_no_error(if (is.null(by)) lq(x) else lq(x, by = by))
    expect_no_error(specialization(x, by = by))
    expect_no_error(concentration(x, by = by))
  }
})
