


test_that("icio() computes output and value added and validates input", {
  t <- gvc_small()
  x <- gvc_icio(t)
  expect_s3_class(x, "icio")
  expect_equal(unname(x$x), rowSums(t$Z) + rowSums(t$Y))
  expect_equal(unname(x$va), rowSums(t$Z) + rowSums(t$Y) - colSums(t$Z))
  expect_identical(rownames(x$Z)[1:2], c("AAA.S1", "AAA.S2"))
  expect_identical(colnames(x$Y)[1:3], c("AAA.F1", "AAA.F2", "BBB.F1"))
  expect_equal(x$imbalance, 0)
  expect_error(icio(t$Z[-1, ], t$Y, t$countries, t$sectors), "`Z` must be a 9 x 9")
  expect_error(icio(t$Z, t$Y[-1, ], t$countries, t$sectors), "`Y` must have 9 rows")
  expect_error(icio(t$Z, t$Y[, -1], t$countries, t$sectors), "`Y` must have G \\* F")
  expect_error(icio(t$Z, t$Y, c("A", "A", "B"), t$sectors), "`countries` must not contain duplicates")
  expect_error(icio(t$Z, t$Y, 1:3, t$sectors), "`countries` must be a character")
  expect_error(icio(t$Z, t$Y, t$countries, t$sectors, final_demand = "x"), "`final_demand`")
  Zn <- t$Z; Zn[1, 2] <- -1
  expect_error(icio(Zn, t$Y, t$countries, t$sectors), "`Z` must not contain negative")
  Zna <- t$Z; Zna[1, 2] <- NA
  expect_error(icio(Zna, t$Y, t$countries, t$sectors), "`Z` must not contain NA")
  # negative final demand (inventories) is allowed
  Yn <- t$Y; Yn[1, 2] <- -3
  expect_silent(icio(t$Z, Yn, t$countries, t$sectors))
  # supplied output is checked and the imbalance reported
  xs <- rowSums(t$Z) + rowSums(t$Y); xs[1] <- xs[1] + 1
  expect_warning(xi <- icio(t$Z, t$Y, t$countries, t$sectors, x = xs), "largest absolute difference 1")
  expect_equal(xi$imbalance, 1)
  expect_error(icio(t$Z, t$Y, t$countries, t$sectors, x = 1:3), "`x` must have length 9")
  s <- summary(x)
  expect_s3_class(s, "summary.icio")
  expect_equal(s$by_country$zero_output, c(0, 0, 1))
  expect_equal(s$va_minus_final, 0, tolerance = 1e-10)
  expect_output(print(x), "3 countries x 3 sectors")
  expect_output(print(s), "value added - final demand")
})

test_that("leontief() equals solve() and the local inverses", {
  t <- gvc_small()
  R <- gvc_ref(t)
  B <- leontief(gvc_icio(t))
  rel_equal(as.matrix(B), R$B)
  expect_identical(rownames(B)[4], "BBB.S1")
  loc <- attr(B, "local")
  expect_equal(dim(loc), c(3, 3, 3))
  for (s in 1:3) rel_equal(loc[, , s], R$L[[s]])
  # a plain A matrix, with and without blocks
  A <- R$A
  rel_equal(as.matrix(leontief(A)), solve(diag(9) - A))
  loc2 <- attr(leontief(A, N = 3), "local")
  rel_equal(loc2[, , 2], solve(diag(3) - A[4:6, 4:6]))
  expect_error(leontief(A, N = 4), "`N` must divide")
  expect_error(leontief("a"), "`x` must be numeric")
  expect_error(leontief(matrix(1, 2, 3)), "square matrix")
  expect_error(leontief(diag(2)), "singular")
  expect_output(print(B), "local inverses")
})

test_that("KWW terms equal the paper's block formulas and sum to exports", {
  for (seed in 1:2) {
    t <- gvc_small(seed = seed, zero = seed == 1)
    R <- gvc_ref(t)
    k <- as.data.frame(gvc_decompose(gvc_icio(t), "kww"))
    ref <- ref_kww(R)
    expect_identical(names(k), c("country", colnames(ref)))
    rel_equal(k[-1], ref)
    rel_equal(rowSums(k[2:10]), k$GEXP)
    rel_equal(k$GEXP, as.vector(rowsum(R$E, rep(1:3, each = 3))))
  }
})

test_that("Leontief/HIY decomposition equals diag(v) B diag(E)", {
  t <- gvc_small()
  R <- gvc_ref(t)
  d <- gvc_decompose(gvc_icio(t), "leontief", level = "sector")
  VBE <- diag(R$v) %*% R$B %*% diag(R$E)
  cc <- rep(1:3, each = 3)
  own <- outer(cc, cc, "==")
  df <- as.data.frame(d)
  rel_equal(df$DV, colSums(VBE * own))
  rel_equal(df$FV, colSums(VBE * !own))
  rel_equal(df$IV, rowSums(VBE * !own))    # VS1 by sector of origin
  dc <- as.data.frame(gvc_decompose(gvc_icio(t), "leontief"))
  Oc <- rowsum(t(rowsum(t(VBE), cc)), cc)   # origin country x exporter country
  rel_equal(dc$DV, diag(Oc))
  rel_equal(dc$FV, colSums(Oc) - diag(Oc))
  rel_equal(dc$IV, rowSums(Oc) - diag(Oc))
  # value-added shares of each exporting sector sum to one (zero-export sector excepted)
  sh <- colSums(diag(R$v) %*% R$B)
  expect_equal(sh[R$x > 0], rep(1, sum(R$x > 0)), tolerance = 1e-12)
})

test_that("WWZ 16 terms equal eq. (37), sum to exports, and map to KWW", {
  t <- gvc_small()
  R <- gvc_ref(t)
  x <- gvc_icio(t)
  w <- as.data.frame(gvc_decompose(x, "wwz"))
  ref <- ref_wwz(R)
  key <- match(paste(t$countries[ref$s], t$sectors[ref$j], t$countries[ref$r]),
               paste(w$country, w$sector, w$importer))
  expect_false(anyNA(key))
  expect_identical(names(w)[4:19], gvcluster:::wwz_names)
  rel_equal(w[key, 4:20], ref[4:20])
  rel_equal(rowSums(w[4:19]), w$GEXP)
  # mapping to KWW at country level: all terms equal except the VAX split
  kw <- wwz_to_kww(gvc_decompose(x, "wwz", level = "country"))
  k <- as.data.frame(gvc_decompose(x, "kww"))
  same <- c("DVA_FIN", "RDV_FIN", "RDV_INT", "DDC", "FVA_FIN", "FVA_INT", "FDC", "GEXP")
  rel_equal(kw[same], k[same])
  rel_equal(kw$DVA_INT + kw$DVA_INTrex, k$DVA_INT + k$DVA_INTrex)
  # levels aggregate consistently
  ws <- as.data.frame(gvc_decompose(x, "wwz", level = "sector"))
  agg <- rowsum(w$DVA_INTrexF, paste(w$country, w$sector))
  rel_equal(ws$DVA_INTrexF, agg[paste(ws$country, ws$sector), 1])
})

test_that("Borin-Mancini source-based terms equal the extraction definition", {
  t <- gvc_small()
  R <- gvc_ref(t)
  x <- gvc_icio(t)
  b <- as.data.frame(gvc_decompose(x, "bm", level = "bilateral"))
  ref <- ref_bm(R)
  key <- match(paste(t$countries[ref$s], t$sectors[ref$j], t$countries[ref$r]),
               paste(b$country, b$sector, b$importer))
  expect_identical(names(b)[-(1:3)], gvcluster:::bm_names)
  rel_equal(b[key, -(1:3)], ref[gvcluster:::bm_names])
  rel_equal(b$GVC, b$GVCB + b$GVCF)
  rel_equal(b$GEXP, b$DVA + b$DDC + b$FC)
  bc <- as.data.frame(gvc_decompose(x, "bm"))
  rel_equal(bc$GVC, bc$GVCB + bc$GVCF)
  # source-based country DVA + DDC equals KWW's domestic content
  k <- as.data.frame(gvc_decompose(x, "kww"))
  rel_equal(bc$DDC, k$DDC)
  rel_equal(bc$DC, rowSums(k[2:7]))
  rel_equal(bc$FC, k$FVA_FIN + k$FVA_INT + k$FDC)
  expect_equal(nrow(as.data.frame(gvc_decompose(x, "bm", level = "sector"))), 9L)
})

test_that("WWYZ participation, lengths, upstreamness and downstreamness follow the textbook", {
  t <- gvc_small()
  R <- gvc_ref(t)
  n <- R$n; cc <- rep(1:3, each = 3); own <- outer(cc, cc, "==")
  Ld <- matrix(0, n, n)
  for (s in 1:3) Ld[R$ix(s), R$ix(s)] <- R$L[[s]]
  AF <- R$A * !own
  y <- rowSums(R$Yc)
  yD <- R$Yc[cbind(1:n, cc)]
  V <- diag(R$v); Yh <- diag(y); YD <- diag(yD); YF <- diag(y - yD)
  w <- as.data.frame(gvc_decompose(gvc_icio(t), "wwyz"))
  VD <- V %*% Ld %*% YD; VRT <- V %*% Ld %*% YF
  VS <- V %*% Ld %*% AF %*% Ld %*% YD
  VC <- V %*% Ld %*% AF %*% (R$B %*% Yh - Ld %*% YD)
  rel_equal(w$V_D, rowSums(VD)); rel_equal(w$V_RT, rowSums(VRT))
  rel_equal(w$V_GVC_S, rowSums(VS)); rel_equal(w$V_GVC_C, rowSums(VC))
  rel_equal(w$Y_D, colSums(VD)); rel_equal(w$Y_RT, colSums(VRT))
  rel_equal(w$Y_GVC_S, colSums(VS)); rel_equal(w$Y_GVC_C, colSums(VC))
  rel_equal(w$VA, rowSums(V %*% R$B %*% Yh))
  rel_equal(w$FG, colSums(V %*% R$B %*% Yh))
  Xv <- V %*% Ld %*% Ld %*% AF %*% R$B %*% R$B %*% Yh
  rel_equal(w$Xv_GVC, rowSums(Xv)); rel_equal(w$Xy_GVC, colSums(Xv))
  k <- R$x > 0
  fwd <- rowSums(VS + VC); bwd <- colSums(VS + VC)
  rel_equal(w$GVCPt_f[k], (fwd / (R$v * R$x))[k])
  rel_equal(w$PLv_GVC[k], (rowSums(Xv) / fwd)[k])
  rel_equal(w$GVCPs[k], ((rowSums(Xv) / fwd) / (colSums(Xv) / bwd))[k])
  # Antras-Chor upstreamness: (I - Delta)^-1 1, Delta = diag(1/x) Z, whole table
  Z <- t$Z
  Delta <- Z[k, k] / R$x[k]
  rel_equal(w$upstreamness[k], solve(diag(sum(k)) - Delta, rep(1, sum(k))))
  expect_true(all(is.na(w$upstreamness[!k])))
  # Fally downstreamness: D = 1 + A' D
  Dn <- solve(diag(n) - t(R$A), rep(1, n))
  rel_equal(w$downstreamness[k], Dn[k])
  wc <- as.data.frame(gvc_decompose(gvc_icio(t), "wwyz", level = "country"))
  rel_equal(wc$VA, as.vector(rowsum(w$VA, cc)))
  expect_false("upstreamness" %in% names(wc))
})

test_that("gvc_index() follows KPWW with either IV reading", {
  t <- gvc_small()
  R <- gvc_ref(t)
  x <- gvc_icio(t)
  k <- ref_kww(R)
  gi <- gvc_index(x)
  expect_s3_class(gi, "gvc_index")
  expect_identical(attr(gi, "iv"), "t3")
  E <- k[, "GEXP"]; IV <- k[, "DVA_INTrex"]; FV <- k[, "FVA_FIN"] + k[, "FVA_INT"] + k[, "FDC"]
  rel_equal(gi$IV, IV); rel_equal(gi$FV, FV)
  rel_equal(gi$participation, (IV + FV) / E)
  rel_equal(gi$position, log(1 + IV / E) - log(1 + FV / E))
  VBE <- diag(R$v) %*% R$B %*% diag(R$E)
  cc <- rep(1:3, each = 3)
  Oc <- rowsum(t(rowsum(t(VBE), cc)), cc)
  gv <- gvc_index(x, method = "vs1")
  rel_equal(gv$IV, rowSums(Oc) - diag(Oc))
  rel_equal(gv$FV, FV)
  gs <- gvc_index(x, method = "vs1", level = "sector")
  rel_equal(gs$IV, rowSums(VBE * !outer(cc, cc, "==")))
  expect_true(is.na(gs$position[8]))              # zero-output sector: E = 0
  gt <- gvc_index(x, level = "sector")
  w <- ref_wwz(R)
  ivs <- rowsum(w$DVA_INTrexI1 + w$DVA_INTrexF + w$DVA_INTrexI2, (w$s - 1) * 3 + w$j)
  rel_equal(gt$IV, ivs)
  # components supplied directly
  d <- gvc_index(c(A = 10, B = 0), fv = c(20, 5), exports = c(100, 0))
  expect_equal(d$participation, c(0.3, NA))
  expect_equal(d$position, c(log(1.1) - log(1.2), NA))
  expect_identical(d$country, c("A", "B"))
  d2 <- gvc_index(iv = c(A = 10, B = 0), fv = c(20, 5), exports = c(100, 0), label = "TiVA")
  expect_equal(d2$position, d$position)
  expect_identical(attr(d2, "iv"), "TiVA")
  expect_error(gvc_index(), "`x` is required")
  expect_error(gvc_index(1:2, fv = 1, exports = 1:2), "`fv` must have the length")
  expect_error(gvc_index(1:2, exports = 1:2), "`fv` is required")
  expect_error(gvc_index(x, method = "t4"), "should be one of")
  # groups sum E, IV, FV and recompute the ratios
  gg <- gvc_index(x, groups = list(G1 = c("AAA", "BBB")))
  expect_identical(gg$country, c("G1", "CCC"))
  rel_equal(gg$E[1], sum(E[1:2])); rel_equal(gg$IV[1], sum(IV[1:2]))
  rel_equal(gg$position[1], log1p(sum(IV[1:2]) / sum(E[1:2])) - log1p(sum(FV[1:2]) / sum(E[1:2])))
  expect_output(print(gi), "KWW T3")
  expect_output(print(gv), "VS1")
  expect_output(print(summary(gi)), "most upstream")
  expect_s3_class(as.data.frame(gi), "data.frame")
})

test_that("gvc_decompose() validates its arguments and groups countries", {
  x <- gvc_icio(gvc_small())
  expect_error(gvc_decompose(1), "`x` must be an `icio` table")
  expect_error(gvc_decompose(x, "kww", level = "sector"), "`level` must be one of \"country\"")
  expect_error(gvc_decompose(x, "foo"), "should be one of")
  expect_error(gvc_decompose(x, groups = list(G = "ZZZ")), "country codes not in the table: ZZZ")
  expect_error(gvc_decompose(x, groups = list(G = "AAA", H = "AAA")), "twice")
  expect_error(gvc_decompose(x, groups = c("AAA")), "named list")
  expect_error(gvc_decompose(x, "wwz", leontief = diag(2)), "`leontief` must be")
  k <- as.data.frame(gvc_decompose(x, "kww"))
  kg <- as.data.frame(gvc_decompose(x, "kww", groups = list(G1 = c("AAA", "CCC"))))
  expect_identical(kg$country, c("G1", "BBB"))
  rel_equal(kg[1, -1], colSums(k[c(1, 3), -1]))
  # a supplied leontief() is reused and gives the same numbers
  B <- leontief(x)
  rel_equal(as.data.frame(gvc_decompose(x, "wwz", leontief = B))[-(1:3)],
            as.data.frame(gvc_decompose(x, "wwz"))[-(1:3)])
  bb <- as.data.frame(gvc_decompose(x, "bm", level = "bilateral", groups = list(G1 = c("AAA", "BBB"))))
  expect_setequal(unique(bb$importer), c("G1", "CCC"))
  # sector groups: sums of the member sectors
  sg <- list(M = c("S1", "S2"))
  ws <- as.data.frame(gvc_decompose(x, "wwz", level = "sector"))
  wg <- as.data.frame(gvc_decompose(x, "wwz", level = "sector", sector_groups = sg))
  expect_identical(wg$sector[1:2], c("M", "S3"))
  rel_equal(wg$DVA_FIN[1], sum(ws$DVA_FIN[1:2]))
  yg <- as.data.frame(gvc_decompose(x, "wwyz", sector_groups = sg))
  expect_false("upstreamness" %in% names(yg))
  rel_equal(yg$GVCPt_f[1], (sum(gvc_decompose(x, "wwyz")$terms[1:2, c("V_GVC_S", "V_GVC_C")])) /
              sum(gvc_decompose(x, "wwyz")$terms$VA[1:2]))
  gi <- gvc_index(x, level = "sector", method = "vs1", sector_groups = sg)
  g0 <- gvc_index(x, level = "sector", method = "vs1")
  rel_equal(gi$IV[1], sum(g0$IV[1:2]))
  expect_error(gvc_decompose(x, sector_groups = list(M = "S9")), "`sector_groups` names sector codes not in the table: S9")
})

test_that("methods print, summarise and plot", {
  x <- icio_example
  expect_s3_class(x, "icio")
  for (m in c("kww", "wwz", "bm", "leontief", "wwyz")) {
    d <- gvc_decompose(x, m)
    expect_s3_class(d, "gvc_decomposition")
    expect_output(print(d), "gvc_decomposition")
    s <- summary(d)
    expect_true(all(s$checks < 1e-8 * sum(x$x)))
    expect_output(print(s), "Accounting identities")
    f <- tempfile(fileext = ".pdf"); grDevices::pdf(f)
    expect_invisible(plot(d))
    grDevices::dev.off(); unlink(f)
  }
  f <- tempfile(fileext = ".pdf"); grDevices::pdf(f)
  expect_invisible(plot(gvc_index(x)))
  grDevices::dev.off(); unlink(f)
  expect_error(plot(gvc_decompose(x, "kww"), terms = "nope"), "`terms` names columns")
  # the legend stands beside the bars, not over the last ones: the room right
  # of the last bar (bars of width 1, spaced 0.2) holds the widest term name
  f <- tempfile(fileext = ".pdf"); grDevices::pdf(f, width = 7, height = 5)
  d <- gvc_decompose(x, "wwz")
  plot(d)
  usr <- graphics::par("usr")
  per_inch <- (usr[2] - usr[1]) / graphics::par("pin")[1]
  last_bar <- length(unique(d$terms$country)) * 1.2 + 0.2
  wwz_terms <- grep("^(DVA|RDV|DDC|MVA|OVA|MDC|ODC)", names(d$terms), value = TRUE)
  expect_gte(length(wwz_terms), 16L)
  widest <- max(graphics::strwidth(wwz_terms, units = "inches", cex = 0.7))
  expect_gt((usr[2] - last_bar) / per_inch, widest)
  # the caller's own x range and title win
  plot(d, xlim = c(0, 20), main = "mine")
  expect_equal(graphics::par("usr")[1:2], c(0, 20) + c(-1, 1) * 0.04 * 20)
  grDevices::dev.off(); unlink(f)
  expect_snapshot(print(gvc_index(x), digits = 3))
  expect_snapshot(error = TRUE, icio(x$Z, x$Y[-1, ], x$countries, x$sectors))
})

test_that("icio() keeps split producer blocks that are no final-demand destinations", {
  # 3 producer blocks (A, A1 split of A, B), 2 sectors, 2 final-demand
  # categories for the 2 destinations A and B only.
  set.seed(11)
  n <- 6
  Z <- matrix(runif(n * n), n)
  Z[1:2, ] <- 0; Z[, 1:2] <- 0          # the parent block's rows/columns are zero
  Y <- matrix(runif(n * 4) + 1, n, 4)
  Y[1:2, ] <- 0
  tab <- icio(Z, Y, c("A", "A1", "B"), c("s1", "s2"), c("hh", "gov"),
              splits = c(A1 = "A"))
  expect_identical(tab$destinations, c("A", "B"))
  expect_identical(colnames(tab$Y), c("A.hh", "A.gov", "B.hh", "B.gov"))
  expect_equal(unname(tab$x), rowSums(Z) + rowSums(Y))
  expect_equal(unname(tab$va), rowSums(Z) + rowSums(Y) - colSums(Z))
  # final demand by destination: A's columns summed, none for the split block
  Yc <- gvcluster:::final_by_country(tab)
  expect_equal(unname(Yc[, "A"]), Y[, 1] + Y[, 2])
  expect_equal(unname(Yc[, "A1"]), rep(0, n))
  expect_equal(unname(Yc[, "B"]), Y[, 3] + Y[, 4])
  expect_error(icio(Z, Y, c("A", "A1", "B"), c("s1", "s2"), splits = c(A1 = "C")),
               "`splits` names codes that are not in `countries`")
  expect_error(icio(Z, Y, c("A", "A1", "B"), c("s1", "s2"), splits = "A"),
               "`splits` must be a named character vector")
  expect_error(icio(Z, Y[, 1:3], c("A", "A1", "B"), c("s1", "s2"), splits = c(A1 = "A")),
               "multiple of the 2 countries that are not splits")
  # without splits nothing changes
  t0 <- icio(Z, cbind(Y, Y[, 1:2]), c("A", "A1", "B"), c("s1", "s2"))
  expect_identical(t0$destinations, t0$countries)
  expect_length(t0$splits, 0L)
})

test_that("plot.gvc_index() leaves room for the labels and honours user limits", {
  x <- icio(icio_example$Z, icio_example$Y, icio_example$countries, icio_example$sectors)
  f <- tempfile(fileext = ".pdf"); grDevices::pdf(f)
  on.exit({grDevices::dev.off(); unlink(f)})
  for (g in list(gvc_index(x), gvc_index(x, level = "sector"))) {
    lab <- if (!is.null(g$sector)) paste(g$country, g$sector, sep = ".") else g$country
    plot(g)
    usr <- graphics::par("usr")
    # text(pos = 3) centres each label above its point, offset by half a
    # character: every label's box must lie inside the plot region
    w <- graphics::strwidth(lab, cex = 0.8)
    h <- graphics::strheight("M", cex = 0.8) + 0.5 * graphics::par("cxy")[2] * 0.8
    expect_true(all(g$position - w / 2 >= usr[1]))
    expect_true(all(g$position + w / 2 <= usr[2]))
    expect_true(all(g$participation + h <= usr[4]))
  }
  plot(gvc_index(x), ylim = c(0, 1), main = "mine")
  # xaxs = "r" widens a given range by 4% on each side
  expect_equal(graphics::par("usr")[3:4], c(-0.04, 1.04))
})

test_that("gvc_index(): `method` chooses the IV measure, `iv` is data; the old use warns", {
  x <- icio_example
  new <- gvc_index(x, method = "vs1", level = "sector")
  expect_warning(old <- gvc_index(x, iv = "vs1", level = "sector"),
                 "`iv` of gvc_index\\(\\) is deprecated; use `method` instead")
  expect_identical(old, new)
  expect_identical(gvc_index(x, "vs1", level = "sector"), new)       # by position
  expect_identical(attr(new, "iv"), "vs1")
  expect_error(suppressWarnings(gvc_index(x, iv = c(1, 2))), "`iv` is the numeric IV")
  expect_error(suppressWarnings(gvc_index(x, method = "vs1", iv = "t3")),
               "`iv` is the former name of `method`")
  # iv as data, by name or by position
  a <- gvc_index(iv = c(A = 10, B = 0), fv = c(5, 5), exports = c(100, 50))
  b <- gvc_index(c(A = 10, B = 0), c(5, 5), c(100, 50))
  expect_identical(a, b)
  expect_equal(a$participation, c(15 / 100, 5 / 50))
  expect_equal(a$position, c(log1p(0.1) - log1p(0.05), log1p(0) - log1p(0.1)))
})
