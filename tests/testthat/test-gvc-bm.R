# Borin-Mancini perspectives (exporter, world, self, importer), approaches
# and flows: the identities between terms, and the icio package (the R
# port of the Stata command) on random tables.

bm_cfgs <- list(
  c("exporter", "source", "exports", "country"), c("exporter", "source", "exports", "sector"),
  c("exporter", "source", "exports", "bilateral"), c("exporter", "sink", "exports", "country"),
  c("exporter", "sink", "exports", "sector"), c("exporter", "sink", "exports", "bilateral"),
  c("world", "source", "exports", "country"), c("world", "sink", "exports", "country"),
  c("self", "source", "exports", "sector"), c("self", "source", "exports", "bilateral"),
  c("importer", "source", "imports", "country"), c("importer", "source", "imports", "bilateral"))

bm_run <- function(x, cfg)
  as.data.frame(gvc_decompose(x, "bm", perspective = cfg[1], approach = cfg[2],
                              flow = cfg[3], level = cfg[4]))

test_that("every perspective equals the icio package on random tables", {
  skip_if_not_installed("icio")
  for (t in list(gvc_small(G = 4L, N = 3L, F = 2L, seed = 5L),
                 gvc_small(G = 3L, N = 2L, F = 1L, seed = 8L, zero = FALSE))) {
    x <- gvc_icio(t)
    ic <- icio::load_icio(t$Z, t$Y, t$countries, t$sectors)
    for (cfg in bm_cfgs) {
      b <- as.data.frame(icio::bm(ic, aggregation = cfg[4], perspective = cfg[1],
                                  approach = cfg[2], flow = cfg[3]))
      g <- bm_run(x, cfg)
      expect_identical(nrow(g), nrow(b))
      key <- if (cfg[3] == "imports" && cfg[4] == "bilateral")
        match(paste(b$Importing_Country, b$Origin_Country), paste(g$country, g$origin))
      else if (cfg[4] == "bilateral")
        match(paste(b$Exporting_Country, b$Exporting_Industry, b$Importing_Country),
              paste(g$country, g$sector, g$importer))
      else if (cfg[4] == "sector")
        match(paste(b$Exporting_Country, b$Exporting_Industry), paste(g$country, g$sector))
      else match(if (cfg[3] == "imports") b$Importing_Country else b$Exporting_Country, g$country)
      expect_false(anyNA(key))
      nm <- setdiff(names(b), c("Exporting_Country", "Exporting_Industry",
                                "Importing_Country", "Origin_Country", "VAXIM"))
      expect_true(all(nm %in% names(g)), info = paste(cfg, collapse = "/"))
      rel_equal(g[key, nm], b[nm])
    }
  }
})

test_that("the identities between Borin-Mancini terms hold in every perspective", {
  x <- gvc_icio(gvc_small(G = 4L, N = 3L, F = 2L, seed = 2L))
  R <- gvc_ref(gvc_small(G = 4L, N = 3L, F = 2L, seed = 2L))
  cc <- rep(1:4, each = 3)
  for (cfg in bm_cfgs[vapply(bm_cfgs, `[`, "", 3) == "exports"]) {
    g <- bm_run(x, cfg)
    rel_equal(g$GEXP, g$DC + g$FC)
    rel_equal(g$DC, g$DVA + g$DDC)
    rel_equal(g$DVA, g$VAX + g$REF)
    rel_equal(g$FC, g$FVA + g$FDC)
    if (!is.null(g$GVC)) {
      rel_equal(g$GVC, g$GEXP - g$DAVAX)
      rel_equal(g$GVC, g$GVCB + g$GVCF)
      rel_equal(g$GVCB, g$DDC + g$FC)
    }
    # domestic and foreign content are the same in every perspective
    gc <- bm_run(x, c("exporter", "source", "exports", "country"))
    if (cfg[4] == "country") {
      rel_equal(g$DC, gc$DC); rel_equal(g$FC, gc$FC)
    }
  }
  # the world perspective counts foreign value added once in world exports:
  # the two approaches book it in different exports but give the same total
  ws <- bm_run(x, c("world", "source", "exports", "country"))
  wk <- bm_run(x, c("world", "sink", "exports", "country"))
  rel_equal(sum(ws$FVA), sum(wk$FVA))
  # exporter sink and source: same DVA at country level
  es <- bm_run(x, c("exporter", "sink", "exports", "sector"))
  eo <- bm_run(x, c("exporter", "source", "exports", "sector"))
  rel_equal(rowsum(es$DVA, es$country)[, 1], rowsum(eo$DVA, eo$country)[, 1])
  # importer: value added plus double counting equals gross imports
  im <- bm_run(x, c("importer", "source", "imports", "country"))
  rel_equal(im$GIMP, vapply(1:4, function(r) sum(R$Esr[cc != r, r]), 0))
  ib <- bm_run(x, c("importer", "source", "imports", "bilateral"))
  rel_equal(rowsum(ib$GIMP, ib$country)[x$countries, 1], im$GIMP)
})

test_that("exporter source-based DVA is the extraction definition, by hand", {
  # 2 countries x 1 sector: B^(s)_ss = L_ss = 1 / (1 - a_ss)
  Z <- matrix(c(10, 5, 8, 20), 2)
  Y <- matrix(c(30, 6, 4, 50), 2)
  x <- icio(Z, Y, c("A", "B"), "s")
  xo <- rowSums(Z) + rowSums(Y)
  A <- sweep(Z, 2, xo, "/"); v <- 1 - colSums(A)
  B <- solve(diag(2) - A)
  E1 <- Z[1, 2] + Y[1, 2]
  g <- as.data.frame(gvc_decompose(x, "bm"))
  expect_equal(g$GEXP[1], E1)
  expect_equal(g$DVA[1], v[1] / (1 - A[1, 1]) * E1)
  expect_equal(g$DC[1], v[1] * B[1, 1] * E1)
  expect_equal(g$FC[1], v[2] * B[2, 1] * E1)
  expect_equal(g$FVA[1], v[2] * B[2, 1] / B[1, 1] / (1 - A[1, 1]) * E1)
  # DAVAX: final exports plus intermediates absorbed by the importer's final demand
  expect_equal(g$DAVAX[1], v[1] / (1 - A[1, 1]) * (Y[1, 2] + A[1, 2] / (1 - A[2, 2]) * Y[2, 2]))
})

test_that("world/sink is the corrected KWW and the arguments are checked", {
  x <- gvc_icio(gvc_small())
  k <- as.data.frame(gvc_decompose(x, "kww"))
  w <- bm_run(x, c("world", "sink", "exports", "country"))
  rel_equal(w$GEXP, k$GEXP)
  rel_equal(w$DC, rowSums(k[c("DVA_FIN", "DVA_INT", "DVA_INTrex", "RDV_FIN", "RDV_INT", "DDC")]))
  rel_equal(w$FC, k$FVA_FIN + k$FVA_INT + k$FDC)
  d <- gvc_decompose(x, "bm", perspective = "importer")
  expect_identical(d$flow, "imports")
  expect_identical(gvc_decompose(x, "bm", flow = "imports")$perspective, "importer")
  expect_snapshot(error = TRUE, gvc_decompose(x, "bm", perspective = "world", level = "sector"))
  expect_snapshot(error = TRUE, gvc_decompose(x, "bm", perspective = "self", approach = "sink"))
  expect_snapshot(error = TRUE, gvc_decompose(x, "bm", perspective = "exporter", flow = "imports"))
  expect_snapshot(error = TRUE, gvc_decompose(x, "kww", perspective = "world"))
})
