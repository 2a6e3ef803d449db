# Output-based tripartite GVC participation (Borin, Mancini and Taglioni):
# hand computations, plain-R dense solves and the identities.

test_that("two countries, one sector each: every term by hand", {
  # producer rows, destination columns; x = (100, 100)
  Z <- matrix(c(10, 4, 5, 20), 2)                 # z11 10, z21 4, z12 5, z22 20
  Y <- matrix(c(60, 6, 25, 70), 2)                # y11 60, y21 6, y12 25, y22 70
  x <- icio(Z, Y, c("H", "F"), "S")
  d <- as.data.frame(gvc_decompose(x, "bmt_output"))
  # country H: a11 = .1, a21 = .04, a12 = .05, a22 = .2; v1 = .86
  # w = v1 / (1 - a11), mu = a21 / (1 - a11); F's exports e2 = 4 + 6
  w <- 0.86 / 0.9; mu <- 0.04 / 0.9
  qD <- 60 / 0.9                                  # L11 y11
  q1 <- (25 + 0.05 * 70 / 0.8) / 0.9              # L11 (y12 + a12 L22 y22)
  q2 <- (0.05 * 10 / 0.8) / 0.9                   # L11 a12 L22 e2
  expect_equal(qD + q1 + q2, 100, tolerance = 1e-12)
  h <- d[d$country == "H", ]
  rel_equal(h$X, 100)
  rel_equal(h$DOM, w * qD)                        # 63.7037...
  rel_equal(h$TRAD_X, w * q1)
  rel_equal(h$TRAD_M, mu * qD)
  rel_equal(h$GVC_PB, mu * q1)
  rel_equal(h$GVC_PF, w * q2)
  rel_equal(h$GVC_TS, mu * q2)
  rel_equal(h$GVC, mu * q1 + w * q2 + mu * q2)
  expect_equal(h$DOM, 63.7037037037, tolerance = 1e-11)
  expect_equal(h$GVC_TS, 0.0308641975309, tolerance = 1e-11)   # 0.025 / 0.81
  rel_equal(h$GVC_share, h$GVC / 100)
})

# plain-R reference: the output of each producing sector and its split
ref_bmt_output <- function(R) {
  G <- R$G; N <- R$N; ix <- R$ix; A <- R$A; Y <- R$Yc
  out <- matrix(0, R$n, 6, dimnames = list(NULL, c("DOM", "TRAD_X", "TRAD_M",
                                                   "GVC_PB", "GVC_PF", "GVC_TS")))
  for (s in seq_len(G)) {
    Ls <- R$L[[s]]
    w <- as.vector(R$v[ix(s)] %*% Ls)
    mu <- as.vector(colSums(A[-ix(s), ix(s), drop = FALSE]) %*% Ls)
    qD <- as.vector(Ls %*% Y[ix(s), s])
    h1 <- h2 <- numeric(N)
    for (r in setdiff(seq_len(G), s)) {
      Asr <- A[ix(s), ix(r), drop = FALSE]
      h1 <- h1 + Y[ix(s), r] + Asr %*% R$L[[r]] %*% Y[ix(r), r]
      h2 <- h2 + Asr %*% R$L[[r]] %*% R$E[ix(r)]
    }
    q1 <- as.vector(Ls %*% h1); q2 <- as.vector(Ls %*% h2)
    out[ix(s), ] <- cbind(w * qD, w * q1, mu * qD, mu * q1, w * q2, mu * q2)
  }
  out
}

test_that("two countries x two sectors: dense solves in base R", {
  Z <- matrix(c(12, 3, 2, 1,
                4, 15, 1, 3,
                3, 1, 20, 5,
                2, 2, 6, 18), 4, byrow = TRUE)
  Y <- matrix(c(30, 5, 8, 2,
                25, 6, 4, 3,
                3, 1, 40, 9,
                5, 2, 22, 12), 4, byrow = TRUE)   # 2 categories per country
  x <- icio(Z, Y, c("H", "F"), c("a", "b"), final_demand = c("hh", "inv"))
  t <- list(Z = Z, Y = Y, G = 2L, N = 2L, F = 2L)
  R <- gvc_ref(t)
  ref <- ref_bmt_output(R)
  s <- as.data.frame(gvc_decompose(x, "bmt_output", level = "sector"))
  expect_identical(s$country, c("H", "H", "F", "F"))
  expect_identical(s$sector, c("a", "b", "a", "b"))
  for (k in colnames(ref)) rel_equal(s[[k]], ref[, k])
  rel_equal(s$X, R$x)
  # country level: sums over sectors, ratios recomputed from the sums
  cty <- as.data.frame(gvc_decompose(x, "bmt_output"))
  refc <- rowsum(ref, c(1, 1, 2, 2))
  for (k in colnames(ref)) rel_equal(cty[[k]], refc[, k])
  gvc <- refc[, "GVC_PB"] + refc[, "GVC_PF"] + refc[, "GVC_TS"]
  rel_equal(cty$GVC_share, gvc / c(sum(R$x[1:2]), sum(R$x[3:4])))
  rel_equal(cty$PF_share, refc[, "GVC_PF"] / gvc)
  rel_equal(cty$DOM_share, refc[, "DOM"] / c(sum(R$x[1:2]), sum(R$x[3:4])))
})

test_that("the parts add up to gross output and the shares lie in [0, 1]", {
  t <- gvc_small(G = 3L, N = 3L, F = 2L, seed = 21L)
  R <- gvc_ref(t)
  x <- gvc_icio(t)
  s <- as.data.frame(gvc_decompose(x, "bmt_output", level = "sector"))
  ref <- ref_bmt_output(R)
  for (k in colnames(ref)) rel_equal(s[[k]], ref[, k])
  tol <- 1e-10 * max(R$x)
  expect_lt(max(abs(s$DOM + s$TRAD + s$GVC - R$x)), tol)
  expect_lt(max(abs(s$GVC_PB + s$GVC_PF + s$GVC_TS - s$GVC)), tol)
  expect_lt(max(abs(s$TRAD_X + s$TRAD_M - s$TRAD)), tol)
  # output for home final demand, L_ss Y_ss, is DOM + TRAD_M (w + mu = 1)
  lyd <- unlist(lapply(1:3, function(k) R$L[[k]] %*% R$Yc[R$ix(k), k]))
  expect_lt(max(abs(s$DOM + s$TRAD_M - lyd)), tol)
  sh <- unlist(s[c("DOM_share", "TRAD_share", "GVC_share", "PF_share", "TS_share", "PB_share")])
  expect_true(all(sh[!is.na(sh)] >= 0 & sh[!is.na(sh)] <= 1))
  rel_equal(s$DOM_share + s$TRAD_share + s$GVC_share, ifelse(R$x > 0, 1, NA))
  expect_true(is.na(s$GVC_share[8]))              # the zero-output sector
  expect_identical(unname(unlist(s[8, c("X", "DOM", "GVC")])), c(0, 0, 0))
  # the world: one group of every country, equal to the column totals
  w <- as.data.frame(gvc_decompose(x, "bmt_output", groups = list(World = t$countries)))
  rel_equal(w$X, sum(R$x))
  rel_equal(w$GVC, sum(ref[, c("GVC_PB", "GVC_PF", "GVC_TS")]))
  rel_equal(w$GVC_share, w$GVC / w$X)
  expect_true(all(summary(gvc_decompose(x, "bmt_output"))$checks < tol))
})

test_that("without domestic intermediate flows output and trade measures coincide", {
  # A_ss = 0: L_ss = I, the output exports need is the exports themselves,
  # so the output terms of each sector are the trade-based BMT terms
  t <- gvc_small(G = 3L, N = 2L, F = 1L, seed = 5L, zero = FALSE)
  cc <- rep(1:3, each = 2)
  t$Z[outer(cc, cc, "==")] <- 0
  x <- gvc_icio(t)
  o <- as.data.frame(gvc_decompose(x, "bmt_output", level = "sector"))
  b <- as.data.frame(gvc_decompose(x, "bmt", level = "sector"))
  rel_equal(o$TRAD_X, b$DAVAX)
  rel_equal(o$GVC_PB, b$GVC_PB)
  rel_equal(o$GVC_PF, b$GVC_PF)
  rel_equal(o$GVC_TS, b$GVC_TS)
})

test_that("split blocks: terms summed over the splits, ratios recomputed", {
  set.seed(4)
  n <- 6
  Z <- matrix(runif(n * n, 1, 5), n)
  Y <- matrix(runif(n * 4, 5, 20), n, 4)
  x <- icio(Z, Y, c("A", "B", "A1"), c("s1", "s2"), splits = c(A1 = "A"))
  m <- as.data.frame(gvc_decompose(x, "bmt_output"))
  k <- as.data.frame(gvc_decompose(x, "bmt_output", splits = "keep"))
  expect_identical(m$country, c("A", "B"))
  expect_identical(k$country, c("A", "A1", "B"))
  for (nm in c("X", "DOM", "TRAD", "GVC", "GVC_PB", "GVC_PF", "GVC_TS"))
    rel_equal(m[[nm]][1], sum(k[[nm]][1:2]))
  rel_equal(m$GVC_share[1], sum(k$GVC[1:2]) / sum(k$X[1:2]))
  # the split is domestic: A's output for A's final demand uses the
  # combined domestic block of A and A1 (hand computation)
  xo <- rowSums(Z) + rowSums(Y)
  A <- sweep(Z, 2, xo, "/"); v <- 1 - colSums(A)
  dom <- c(1, 2, 5, 6)
  Ld <- solve(diag(4) - A[dom, dom])
  w <- as.vector(v[dom] %*% Ld)
  qD <- as.vector(Ld %*% rowSums(Y[dom, 1:2]))
  rel_equal(m$DOM[1], sum(w * qD))
})

test_that("bmt_output rejects levels and arguments it does not have", {
  expect_snapshot(error = TRUE, gvc_decompose(icio_example, "bmt_output", level = "bilateral"))
  expect_snapshot(error = TRUE, gvc_decompose(icio_example, "bmt_output", perspective = "world"))
  expect_output(print(gvc_decompose(icio_example, "bmt_output")), "output-based tripartite")
})
