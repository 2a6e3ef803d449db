# Small ICIO tables and plain-R reference computations for test-gvc*.R.
# The references follow the papers' block formulas literally (solve() on
# the whole I - A, explicit loops over countries), sharing no code with
# the package.

gvc_small <- function(G = 3L, N = 3L, F = 2L, seed = 1L, zero = TRUE) {
  set.seed(seed)
  n <- G * N
  Z <- matrix(runif(n * n, 0, 10), n, n)
  cc <- rep(seq_len(G), each = N)
  Z[outer(cc, cc, "==")] <- Z[outer(cc, cc, "==")] * 4   # home bias
  Y <- matrix(runif(n * G * F, 5, 40), n, G * F)
  if (zero) {                    # sector 2 of the last country produces nothing
    k <- (G - 1L) * N + 2L
    Z[k, ] <- 0; Z[, k] <- 0; Y[k, ] <- 0
  }
  list(Z = Z, Y = Y, countries = c("AAA", "BBB", "CCC", "DDD")[seq_len(G)],
       sectors = paste0("S", seq_len(N)), G = G, N = N, F = F)
}

gvc_ref <- function(t) {
  G <- t$G; N <- t$N; F <- t$F; n <- G * N
  ix <- function(s) ((s - 1) * N + 1):(s * N)
  x <- rowSums(t$Z) + rowSums(t$Y)
  A <- t$Z
  for (j in seq_len(n)) A[, j] <- if (x[j] > 0) t$Z[, j] / x[j] else 0
  v <- ifelse(x > 0, (x - colSums(t$Z)) / x, 0)
  B <- solve(diag(n) - A)
  L <- lapply(seq_len(G), function(s) solve(diag(N) - A[ix(s), ix(s)]))
  Yc <- matrix(0, n, G)
  for (r in seq_len(G)) Yc[, r] <- rowSums(t$Y[, ((r - 1) * F + 1):(r * F), drop = FALSE])
  # bilateral gross exports E_sr (n x G)
  Esr <- matrix(0, n, G)
  for (s in seq_len(G)) for (r in seq_len(G)) if (r != s)
    Esr[ix(s), r] <- rowSums(t$Z[ix(s), ix(r), drop = FALSE]) + Yc[ix(s), r]
  list(x = x, A = A, v = v, B = B, L = L, Yc = Yc, Esr = Esr, E = rowSums(Esr),
       ix = ix, G = G, N = N, n = n)
}

gvc_icio <- function(t) icio(t$Z, t$Y, t$countries, t$sectors)

# KWW (2014) eq. (36), one country at a time.
ref_kww <- function(R) {
  G <- R$G; ix <- R$ix; B <- R$B; A <- R$A; Y <- R$Yc
  V <- function(s) R$v[ix(s)]
  out <- matrix(0, G, 10)
  for (s in seq_len(G)) {
    o <- setdiff(seq_len(G), s)
    Es <- R$E[ix(s)]
    t1 <- t2 <- t4 <- t5 <- t6 <- t7 <- t8 <- 0
    for (r in o) {
      t1 <- t1 + sum(V(s) %*% B[ix(s), ix(s)] %*% Y[ix(s), r])
      t2 <- t2 + sum(V(s) %*% B[ix(s), ix(r)] %*% Y[ix(r), r])
      t4 <- t4 + sum(V(s) %*% B[ix(s), ix(r)] %*% Y[ix(r), s])
      t5 <- t5 + sum(V(s) %*% B[ix(s), ix(r)] %*% A[ix(r), ix(s)] %*% R$L[[s]] %*% Y[ix(s), s])
      t6 <- t6 + sum(V(s) %*% B[ix(s), ix(r)] %*% A[ix(r), ix(s)] %*% R$L[[s]] %*% Es)
    }
    # DVA_INTrex = VAX - DVA_FIN - DVA_INT, VAX = V_s sum_r!=s sum_t B_st Y_tr
    vax <- 0
    for (r in o) for (tt in seq_len(G))
      vax <- vax + sum(V(s) %*% B[ix(s), ix(tt)] %*% Y[ix(tt), r])
    t3 <- vax - t1 - t2
    yex <- rowSums(Y[ix(s), o, drop = FALSE])
    for (tt in o) {
      t7 <- t7 + sum(V(tt) %*% B[ix(tt), ix(s)] %*% yex)
      for (r in o)
        t8 <- t8 + sum(V(tt) %*% B[ix(tt), ix(s)] %*% A[ix(s), ix(r)] %*% R$L[[r]] %*% Y[ix(r), r])
    }
    t9 <- sum(Es) - (t1 + t2 + t3 + t4 + t5 + t6 + t7 + t8)
    out[s, ] <- c(t1, t2, t3, t4, t5, t6, t7, t8, t9, sum(Es))
  }
  colnames(out) <- c("DVA_FIN", "DVA_INT", "DVA_INTrex", "RDV_FIN", "RDV_INT",
                     "DDC", "FVA_FIN", "FVA_INT", "FDC", "GEXP")
  out
}

# WWZ (2013) eq. (37): 16 N-vectors for each exporter s and importer r.
ref_wwz <- function(R) {
  G <- R$G; N <- R$N; ix <- R$ix; B <- R$B; A <- R$A; Y <- R$Yc; L <- R$L
  V <- function(s) R$v[ix(s)]
  x <- R$x
  rows <- list()
  for (s in seq_len(G)) for (r in setdiff(seq_len(G), s)) {
    o <- setdiff(seq_len(G), c(s, r))
    VB <- as.vector(V(s) %*% B[ix(s), ix(s)])
    VL <- as.vector(V(s) %*% L[[s]])
    Asr <- A[ix(s), ix(r)]
    z <- numeric(N)
    s3 <- s4 <- s5 <- s7 <- z
    for (tt in o) {
      s3 <- s3 + B[ix(r), ix(tt)] %*% Y[ix(tt), tt]
      s4 <- s4 + Y[ix(r), tt]
      s7 <- s7 + B[ix(r), ix(tt)] %*% Y[ix(tt), s]
      for (u in setdiff(seq_len(G), c(s, tt)))
        s5 <- s5 + B[ix(r), ix(tt)] %*% Y[ix(tt), u]
    }
    yexs <- rowSums(Y[ix(s), -s, drop = FALSE])
    VrB <- as.vector(V(r) %*% B[ix(r), ix(s)])
    VtB <- numeric(N)
    for (tt in o) VtB <- VtB + as.vector(V(tt) %*% B[ix(tt), ix(s)])
    Er <- R$E[ix(r)]
    m <- vcbind(
      DVA_FIN = VB * Y[ix(s), r],
      DVA_INT = VL * (Asr %*% B[ix(r), ix(r)] %*% Y[ix(r), r]),
      DVA_INTrexI1 = VL * (Asr %*% s3),
      DVA_INTrexF = VL * (Asr %*% B[ix(r), ix(r)] %*% s4),
      DVA_INTrexI2 = VL * (Asr %*% s5),
      RDV_FIN = VL * (Asr %*% B[ix(r), ix(r)] %*% Y[ix(r), s]),
      RDV_FIN2 = VL * (Asr %*% s7),
      RDV_INT = VL * (Asr %*% B[ix(r), ix(s)] %*% Y[ix(s), s]),
      DDC_FIN = VL * (Asr %*% B[ix(r), ix(s)] %*% yexs),
      DDC_INT = (VB - VL) * (Asr %*% x[ix(r)]),
      MVA_FIN = VrB * Y[ix(s), r],
      OVA_FIN = VtB * Y[ix(s), r],
      MVA_INT = VrB * (Asr %*% L[[r]] %*% Y[ix(r), r]),
      OVA_INT = VtB * (Asr %*% L[[r]] %*% Y[ix(r), r]),
      MDC = VrB * (Asr %*% L[[r]] %*% Er),
      ODC = VtB * (Asr %*% L[[r]] %*% Er),
      GEXP = R$Esr[ix(s), r])
    rows[[length(rows) + 1L]] <- data.frame(s = s, j = seq_len(N), r = r, m)
  }
  do.call(rbind, rows)
}

# Borin-Mancini source-based exporter perspective, with the extraction
# inverse Bx = (I - A with s's export blocks set to 0)^-1 formed anew per s.
ref_bm <- function(R) {
  G <- R$G; N <- R$N; ix <- R$ix; B <- R$B; A <- R$A; Y <- R$Yc; L <- R$L
  n <- R$n
  rows <- list()
  for (s in seq_len(G)) {
    Ax <- A
    for (r in setdiff(seq_len(G), s)) Ax[ix(s), ix(r)] <- 0
    Bx <- solve(diag(n) - Ax)
    Vs <- R$v[ix(s)]
    VBx <- as.vector(Vs %*% Bx[ix(s), ix(s)])
    VB <- as.vector(Vs %*% B[ix(s), ix(s)])
    FVx <- FV <- numeric(N)
    for (t in setdiff(seq_len(G), s)) {
      FVx <- FVx + as.vector(R$v[ix(t)] %*% Bx[ix(t), ix(s)])
      FV <- FV + as.vector(R$v[ix(t)] %*% B[ix(t), ix(s)])
    }
    for (r in setdiff(seq_len(G), s)) {
      Ex <- R$Esr[ix(s), r]
      Asr <- A[ix(s), ix(r)]
      # output of r's foreign suppliers absorbed in l: sum_j!=r A_rj sum_k B_jk Y_kl
      q <- function(l) {
        h <- numeric(N)
        for (j in setdiff(seq_len(G), r)) h <- h + A[ix(r), ix(j)] %*% (B[ix(j), ] %*% Y[, l])
        h
      }
      davax <- VBx * (Y[ix(s), r] + Asr %*% L[[r]] %*% Y[ix(r), r])
      vax3 <- vax4 <- 0
      for (l in setdiff(seq_len(G), c(s, r))) vax3 <- vax3 + VBx * (Asr %*% L[[r]] %*% Y[ix(r), l])
      for (l in setdiff(seq_len(G), s)) vax4 <- vax4 + VBx * (Asr %*% L[[r]] %*% q(l))
      ref <- VBx * (Asr %*% L[[r]] %*% (Y[ix(r), s] + q(s)))
      DVA <- VBx * Ex
      m <- vcbind(GEXP = Ex, DC = VB * Ex, DVA = DVA, VAX = davax + vax3 + vax4,
                 DAVAX = davax, REF = ref, DDC = (VB - VBx) * Ex, FC = FV * Ex,
                 FVA = FVx * Ex, FDC = (FV - FVx) * Ex)
      rows[[length(rows) + 1L]] <- data.frame(s = s, j = seq_len(N), r = r, m)
    }
  }
  out <- do.call(rbind, rows)
  out$GVC <- out$GEXP - out$DAVAX
  out$GVCB <- out$DDC + out$FC
  out$GVCF <- out$DVA - out$DAVAX
  out
}

# a equals b to `tol` relative to the largest |b| (at least 1); NA where b is NA.
rel_equal <- function(a, b, tol = 1e-10) {
  a <- as.vector(unlist(a), "double"); b <- as.vector(unlist(b), "double")
  expect_identical(length(a), length(b))
  expect_identical(is.na(a), is.na(b))
  k <- !is.na(b)
  expect_lte(max(abs(a[k] - b[k]), 0) / max(1, abs(b[k])), tol)
}

vcbind <- function(...) do.call(cbind, lapply(list(...), as.vector))
