# Plain-R references for the clusters area, written from the published
# definitions (Hidalgo et al. 2007; Hidalgo and Hausmann 2009; Tacchella et
# al. 2012; van Eck and Waltman 2009; Hausmann et al. 2014), independent of
# the C kernels: dense matrices, textbook formulas, no shortcuts.

cl_rand <- function(nr, nc, zero = 0.5, seed = 1) {
  set.seed(seed)
  x <- matrix(round(rexp(nr * nc) * 100), nr, nc)
  x[runif(nr * nc) < zero] <- 0
  dimnames(x) <- list(paste0("r", seq_len(nr)), paste0("i", seq_len(nc)))
  x
}

# RCA incidence: share of the industry in the region over its national share
ref_incidence <- function(x, cutoff = 1) {
  rs <- rowSums(x); cs <- colSums(x); tot <- sum(x)
  M <- matrix(0, nrow(x), ncol(x), dimnames = dimnames(x))
  for (r in seq_len(nrow(x))) for (j in seq_len(ncol(x))) {
    if (rs[r] > 0 && cs[j] > 0) {
      lqv <- (x[r, j] / rs[r]) / (cs[j] / tot)
      M[r, j] <- as.numeric(lqv >= cutoff)
    }
  }
  M
}

ref_relatedness <- function(M, method) {
  nc <- ncol(M)
  out <- matrix(0, nc, nc, dimnames = list(colnames(M), colnames(M)))
  u <- colSums(M)
  C <- matrix(0, nc, nc)
  for (j in seq_len(nc)) for (k in seq_len(nc)) C[j, k] <- sum(M[, j] * M[, k])
  s <- rowSums(C) - diag(C)
  for (j in seq_len(nc)) for (k in seq_len(nc)) {
    if (j == k) next
    v <- switch(method,
                proximity = C[j, k] / max(u[j], u[k]),
                cosine = C[j, k] / sqrt(u[j] * u[k]),
                association = C[j, k] * sum(s) / (s[j] * s[k]))
    out[j, k] <- if (is.finite(v)) v else 0
  }
  out
}

ref_density <- function(M, phi) {
  out <- M * NA
  for (r in seq_len(nrow(M))) for (j in seq_len(ncol(M))) {
    den <- sum(phi[, j])
    out[r, j] <- if (den > 0) sum(M[r, ] * phi[, j]) / den else NA
  }
  out
}

ref_std <- function(v) (v - mean(v)) / sd(v)
