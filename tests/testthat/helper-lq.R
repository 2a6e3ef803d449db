# Independent plain-R location quotients, written from the formula cell by
# cell (no code shared with the package):
#   LQ[r, j] = (x[r, j] / T[r]) / (R[j] / RT)
# NA where T[r], R[j] or RT is 0 or NA (for "additive" only T[r] and RT).
lq_oracle_cell <- function(v, t, rj, rt, type = "ratio", cutoff = 1) {
  if (is.na(t) || t == 0 || is.na(rt) || rt == 0) return(NA_real_)
  if (type == "additive") return(v / t - rj / rt)
  if (is.na(rj) || rj == 0 || is.na(v)) return(NA_real_)
  q <- (v / t) / (rj / rt)
  switch(type,
         ratio = q,
         binary = if (q >= cutoff) 1 else 0,
         log = if (q > 0) log(q) else NA_real_,
         standardized = (q - 1) / (q + 1))
}

lq_oracle <- function(x, reference = NULL, total = NULL, reference_total = NULL,
                      na.rm = FALSE, type = "ratio", cutoff = 1) {
  x <- as.matrix(x)
  tot <- if (is.null(total)) apply(x, 1, function(v) sum(v, na.rm = na.rm)) else total
  ref <- if (is.null(reference)) apply(x, 2, function(v) sum(v, na.rm = na.rm)) else reference
  rt <- if (is.null(reference_total)) sum(ref, na.rm = na.rm) else reference_total
  out <- matrix(NA_real_, nrow(x), ncol(x), dimnames = dimnames(x))
  for (r in seq_len(nrow(x))) for (j in seq_len(ncol(x)))
    out[r, j] <- lq_oracle_cell(x[r, j], tot[r], ref[j], rt, type, cutoff)
  out
}

# The same for a long panel: totals from the rows of each group.
lq_oracle_panel <- function(d, type = "ratio", na.rm = FALSE) {
  out <- numeric(nrow(d))
  for (k in seq_len(nrow(d))) {
    g <- d$year == d$year[k]
    t <- sum(d$emp[g & d$region == d$region[k]], na.rm = na.rm)
    rj <- sum(d$emp[g & d$industry == d$industry[k]], na.rm = na.rm)
    rt <- sum(d$emp[g], na.rm = na.rm)
    out[k] <- lq_oracle_cell(d$emp[k], t, rj, rt, type)
  }
  out
}

# Random nonnegative data with about `zeros` zeros and `nas` NAs.
lq_random_matrix <- function(nr, nc, zeros = 0.6, nas = 0) {
  x <- matrix(rexp(nr * nc) * 100, nr, nc,
              dimnames = list(paste0("r", seq_len(nr)), paste0("i", seq_len(nc))))
  x[runif(nr * nc) < zeros] <- 0
  if (nas > 0) x[sample(nr * nc, nas)] <- NA
  x
}

# A long panel from a matrix per year, dropping the zero cells (so the panel
# is unbalanced), rows shuffled.
lq_long <- function(mats) {
  d <- do.call(rbind, lapply(names(mats), function(y) {
    m <- mats[[y]]
    data.frame(year = as.integer(y),
               region = rownames(m)[row(m)], industry = colnames(m)[col(m)],
               emp = as.vector(m), stringsAsFactors = FALSE)
  }))
  d <- d[is.na(d$emp) | d$emp != 0, ]
  d <- d[sample(nrow(d)), ]
  rownames(d) <- NULL
  d
}

# Same NA cells, same attributes, and every value within 1e-12 relative
# (absolute below 1, for the variants that cross 0).
expect_lq_equal <- function(object, expected) {
  expect_identical(attributes(object), attributes(expected))
  o <- as.vector(object)
  e <- as.vector(expected)
  expect_identical(is.na(o), is.na(e))
  expect_false(any(is.nan(o) | is.infinite(o)))
  ok <- !is.na(e)
  err <- abs(o[ok] - e[ok]) / pmax(abs(e[ok]), 1)
  expect_true(all(err <= 1e-12), info = sprintf("max error %g", max(c(0, err))))
}
