# TiVA-style indicators against plain-R block formulas.

test_that("TiVA indicators follow diag(v) B Y and V B E", {
  t <- gvc_small(G = 3L, N = 3L, F = 2L, seed = 7L)
  R <- gvc_ref(t)
  x <- gvc_icio(t)
  cc <- rep(1:3, each = 3)
  own <- outer(cc, 1:3, "==")
  VBY <- diag(R$v) %*% R$B %*% R$Yc               # origin sector x destination
  VBE <- diag(R$v) %*% R$B %*% diag(R$E)          # origin sector x exporting sector
  d <- gvc_decompose(x, "tiva")
  df <- as.data.frame(d)
  E <- as.vector(rowsum(R$E, cc))
  dva <- vapply(1:3, function(s) sum(VBE[cc == s, cc == s]), 0)
  vax <- vapply(1:3, function(s) sum(VBY[cc == s, -s]), 0)
  rel_equal(df$GEXP, E)
  rel_equal(df$DVA, dva)
  rel_equal(df$FVA, E - dva)
  rel_equal(df$DVA_share, dva / E)
  rel_equal(df$VAX_ratio, vax / E)
  rel_equal(df$VA, as.vector(rowsum(R$v * R$x, cc)))
  rel_equal(d$extra$va_fd, rowsum(VBY, cc))       # country x country
  rel_equal(d$extra$va_fd_sector, VBY)            # country-sector x country
  Oc <- rowsum(t(rowsum(t(VBE), cc)), cc)
  rel_equal(d$extra$va_origin, Oc)                # foreign VA by source country
  # world GDP identity: value added by origin, summed over destinations
  rel_equal(rowSums(d$extra$va_fd), df$VA)
  s <- as.data.frame(gvc_decompose(x, "tiva", level = "sector"))
  rel_equal(s$VAX, rowSums(VBY * !own))
  expect_true(is.na(s$DVA_share[8]))              # zero-output sector: no exports
})

test_that("BMT tripartite GVC trade follows its block formulas and adds up", {
  t <- gvc_small(G = 3L, N = 2L, F = 2L, seed = 9L, zero = FALSE)
  R <- gvc_ref(t)
  x <- gvc_icio(t)
  ix <- R$ix; A <- R$A; Y <- R$Yc; L <- R$L
  b <- as.data.frame(gvc_decompose(x, "bmt", level = "bilateral"))
  for (s in 1:3) for (r in setdiff(1:3, s)) {
    m <- colSums(A[-ix(s), ix(s)])                 # imported inputs per unit
    er <- R$E[ix(r)]
    h1 <- Y[ix(s), r] + A[ix(s), ix(r)] %*% L[[r]] %*% Y[ix(r), r]
    h2 <- A[ix(s), ix(r)] %*% L[[r]] %*% er
    row <- b$country == t$countries[s] & b$importer == t$countries[r]
    rel_equal(sum(b$DAVAX[row]), sum(R$v[ix(s)] %*% L[[s]] %*% h1))
    rel_equal(sum(b$GVC_PB[row]), sum(m %*% L[[s]] %*% h1))
    rel_equal(sum(b$GVC_PF[row]), sum(R$v[ix(s)] %*% L[[s]] %*% h2))
    rel_equal(sum(b$GVC_TS[row]), sum(m %*% L[[s]] %*% h2))
  }
  rel_equal(b$GEXP, b$DAVAX + b$GVC_PB + b$GVC_PF + b$GVC_TS)
  # DAVAX is the Borin-Mancini term of the same name
  bm <- as.data.frame(gvc_decompose(x, "bm", level = "bilateral"))
  rel_equal(b$DAVAX, bm$DAVAX)
  cty <- as.data.frame(gvc_decompose(x, "bmt"))
  rel_equal(cty$GVC_share, cty$GVC / cty$GEXP)
  rel_equal(cty$PF_share + cty$TS_share + cty$PB_share, rep(1, 3))
})

test_that("summary() checks the identities of every new method and perspective", {
  x <- icio_example
  tol <- 1e-8 * sum(x$x)
  ds <- list(gvc_decompose(x, "tiva"), gvc_decompose(x, "bmt", level = "bilateral"),
             gvc_decompose(x, "bm", perspective = "world", approach = "sink"),
             gvc_decompose(x, "bm", perspective = "self", level = "bilateral"),
             gvc_decompose(x, "bm", approach = "sink", level = "sector"),
             gvc_decompose(x, "bm", flow = "imports", level = "bilateral"))
  for (d in ds) {
    s <- summary(d)
    expect_true(length(s$checks) >= 1L)
    expect_true(all(s$checks < tol))
    expect_output(print(s), "Accounting identities")
    f <- tempfile(fileext = ".pdf"); grDevices::pdf(f)
    expect_invisible(plot(d))
    grDevices::dev.off(); unlink(f)
  }
  expect_output(print(ds[[3]]), "world perspective, sink-based")
  expect_output(print(ds[[6]]), "importer perspective, imports")
})
