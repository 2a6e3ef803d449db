# Plain-R reference computations for the index tests, written straight from
# the textbook formulas (no shortcut over zero cells, no sorting tricks) so
# that they are independent of the C kernels.

idx_rand <- function(nr, nc, zero = 0.4, seed = 1) {
  set.seed(seed)
  x <- matrix(rexp(nr * nc) * 100, nr, nc)
  x[runif(nr * nc) < zero] <- 0
  dimnames(x) <- list(paste0("r", seq_len(nr)), paste0("i", seq_len(nc)))
  x
}

# long data frame of a list of matrices (one per year), zero cells dropped
# (so the panel is unbalanced) and rows shuffled
idx_long <- function(mats, years = seq_along(mats), drop_zero = TRUE) {
  out <- do.call(rbind, lapply(seq_along(mats), function(t) {
    m <- mats[[t]]
    d <- data.frame(region = rep(rownames(m), ncol(m)),
                    industry = rep(colnames(m), each = nrow(m)),
                    year = years[t], value = as.vector(m),
                    stringsAsFactors = FALSE)
    if (drop_zero) d <- d[d$value != 0, ]
    d
  }))
  out[sample(nrow(out)), ]
}

ref_spec <- function(x, ref = NULL, others = FALSE) {
  nr <- nrow(x); nc <- ncol(x)
  rs <- rowSums(x)
  s <- x / rs
  sj <- if (is.null(ref)) colSums(x) / sum(x) else ref / sum(ref)
  S <- matrix(sj, nr, nc, byrow = TRUE)
  if (others) {
    rest <- matrix(colSums(x), nr, nc, byrow = TRUE) - x
    S2 <- rest / (sum(x) - rs)
    K <- rowSums(abs(s - S2))
  } else K <- rowSums(abs(s - S))
  xlogy <- function(a, b) ifelse(a == 0, 0, a * log(b))
  hhi <- rowSums(s^2)
  lqa <- rowSums(ifelse(s == 0, 0, s * s / S))
  out <- cbind(
    krugman = K, hoover = K / 2, hhi = hhi,
    hhi_normalized = if (nc > 1) (hhi - 1 / nc) / (1 - 1 / nc) else NA_real_,
    hhi_equivalent = 1 / hhi,
    entropy = -rowSums(xlogy(s, s)),
    theil_t = rowSums(xlogy(s, s / S)),
    theil_l = rowSums(xlogy(S, S / s)),
    duranton_puga = 1 / K, lq_average = lqa, hachman = 1 / lqa)
  out[!(rs > 0) | is.na(rs), ] <- NA
  rownames(out) <- NULL
  out
}

ref_gini <- function(y) {
  n <- length(y)
  sum(abs(outer(y, y, "-"))) / (2 * n^2 * mean(y))
}

ref_conc <- function(x, ref = NULL) {
  cs <- colSums(x)
  r <- if (is.null(ref)) rowSums(x) / sum(x) else ref / sum(ref)
  out <- t(vapply(seq_len(ncol(x)), function(j) {
    c <- x[, j] / cs[j]
    K <- sum(abs(c - r))
    pos <- r > 0
    lq <- c[pos] / r[pos]
    lg <- 0.5 * sum(outer(r[pos], r[pos]) * abs(outer(lq, lq, "-"))) / sum(r)^2
    if (isTRUE(any(c[!pos] > 0))) glq <- NA_real_ else glq <- ref_gini(lq)
    c(krugman = K, hoover = K / 2, gini = ref_gini(x[, j]),
      locational_gini = lg, gini_lq = glq)
  }, numeric(5)))
  out[!(cs > 0) | is.na(cs), ] <- NA
  out
}

# Ellison-Glaeser 1997 eq. 5 and 15, Maurel-Sedillot 1999, per industry and
# per pair (the pair from the group formula with the weights w_j)
ref_agglo <- function(emp, ind, reg) {
  regs <- sort(unique(reg)); inds <- sort(unique(ind))
  x <- tapply(emp, factor(reg, regs), sum); x[is.na(x)] <- 0
  x <- as.vector(x) / sum(emp)
  one <- lapply(inds, function(j) {
    e <- emp[ind == j]; r <- reg[ind == j]
    s <- tapply(e, factor(r, regs), sum); s[is.na(s)] <- 0
    s <- as.vector(s) / sum(e)
    H <- sum((e / sum(e))^2)
    G <- sum((s - x)^2)
    list(E = sum(e), s = s, H = H, G = G,
         eg = (G - (1 - sum(x^2)) * H) / ((1 - sum(x^2)) * (1 - H)),
         ms = ((sum(s^2) - sum(x^2)) / (1 - sum(x^2)) - H) / (1 - H),
         ss = sum(s^2), n = length(e))
  })
  pairs <- NULL
  if (length(inds) > 1) {
    cmb <- utils::combn(length(inds), 2)
    pairs <- t(apply(cmb, 2, function(p) {
      a <- one[[p[1]]]; b <- one[[p[2]]]
      w <- c(a$E, b$E) / (a$E + b$E)
      s <- w[1] * a$s + w[2] * b$s
      H <- w[1]^2 * a$H + w[2]^2 * b$H
      G <- sum((s - x)^2)
      eg <- (G / (1 - sum(x^2)) - H - (a$eg * w[1]^2 * (1 - a$H) + b$eg * w[2]^2 * (1 - b$H))) /
        (1 - sum(w^2))
      ms <- ((sum(s^2) - sum(x^2)) / (1 - sum(x^2)) - H -
               (a$ms * w[1]^2 * (1 - a$H) + b$ms * w[2]^2 * (1 - b$H))) / (1 - sum(w^2))
      c(p, eg, ms)
    }))
  }
  list(ind = inds, one = one, pairs = pairs, sx2 = sum(x^2))
}

# Dunn and Esteban-Marquillas for all regions, cell by cell
ref_shift <- function(e0, e1) {
  E0 <- sum(e0); E1 <- sum(e1); G <- E1 / E0 - 1
  gj <- colSums(e1) / colSums(e0) - 1
  t(vapply(seq_len(nrow(e0)), function(r) {
    a <- e0[r, ]; b <- e1[r, ]
    ns <- sum(a) * G
    im <- sum(ifelse(a > 0, a * (gj - G), 0))
    grj <- ifelse(a > 0, b / a - 1, gj)
    rs <- sum(ifelse(a > 0, a * (grj - gj), b))
    h <- sum(a) * colSums(e0) / E0
    ce <- sum(ifelse(a > 0 | b > 0, h * (grj - gj), 0))
    al <- sum(ifelse(a > 0 | b > 0, (a - h) * (grj - gj), 0))
    if (any(a == 0 & b > 0)) ce <- al <- NA
    c(sum(a), sum(b), sum(b) - sum(a), ns, im, rs, ce, al)
  }, numeric(8)))
}
