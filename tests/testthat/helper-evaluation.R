# A plain-R entropy weight computation, written independently of the C code
# straight from the textbook formulas, used as the oracle in test-entropy.R
# and test-gem.R. Constant columns get weight 0 (no information).
entropy_reference <- function(x, cost = rep(FALSE, ncol(x))) {
  x <- as.matrix(x)
  n <- nrow(x)
  z <- x
  for (j in seq_len(ncol(x))) {
    r <- max(x[, j]) - min(x[, j])
    z[, j] <- if (r == 0) NA else if (cost[j]) (max(x[, j]) - x[, j]) / r
              else (x[, j] - min(x[, j])) / r
  }
  e <- numeric(ncol(x))
  for (j in seq_len(ncol(x))) {
    if (anyNA(z[, j])) { e[j] <- 1; next }
    p <- z[, j] / sum(z[, j])
    plogp <- ifelse(p == 0, 0, p * log(p))
    e[j] <- -sum(plogp) / log(n)
  }
  d <- 1 - e
  w <- d / sum(d)
  zz <- z
  zz[is.na(zz)] <- 0
  list(entropy = e, weights = w, normalized = z, scores = drop(zz %*% w))
}
