# The decompositions against decompr and exvatools on the same tables.

peer_key <- function(...) paste(..., sep = "\r")

test_that("KWW and WWZ equal decompr", {
  skip_if_not_installed("decompr")
  for (t in list(gvc_small(), gvc_small(G = 4L, N = 2L, F = 1L, seed = 3L, zero = FALSE))) {
    x <- gvc_icio(t)
    d <- suppressMessages(decompr::decomp(x = t$Z, y = t$Y, k = t$countries,
                                          i = t$sectors, method = "kww"))
    k <- as.data.frame(gvc_decompose(x, "kww"))
    rel_equal(k[2:10], d[2:10])
    dw <- suppressMessages(decompr::decomp(x = t$Z, y = t$Y, k = t$countries,
                                           i = t$sectors, method = "wwz"))
    w <- as.data.frame(gvc_decompose(x, "wwz"))
    key <- match(peer_key(w$country, w$sector, w$importer),
                 peer_key(dw$Exporting_Country, dw$Exporting_Industry, dw$Importing_Country))
    nm <- gvcluster:::wwz_names
    rel_equal(w[nm], dw[key, nm])
    rel_equal(w$GEXP, dw$texp[key])
  }
})

test_that("Leontief origin of exports equals decompr::leontief", {
  skip_if_not_installed("decompr")
  t <- gvc_small()
  x <- gvc_icio(t)
  dl <- suppressMessages(decompr::decomp(x = t$Z, y = t$Y, k = t$countries, i = t$sectors,
                                         method = "leontief", long = FALSE))
  # rows: source country-sector, columns: exporting country-sector
  dl <- as.matrix(dl)
  cc <- rep(1:3, each = 3)
  own <- outer(cc, cc, "==")
  s <- as.data.frame(gvc_decompose(x, "leontief", level = "sector"))
  rel_equal(s$DV, colSums(dl * own))
  rel_equal(s$FV, colSums(dl * !own))
  rel_equal(s$IV, rowSums(dl * !own))
})

test_that("Borin-Mancini source-based terms equal exvatools", {
  skip_if_not_installed("exvatools")
  for (x in list(icio_example, gvc_icio(gvc_small(zero = FALSE)))) {
    df <- as.data.frame(cbind(x$Z, x$Y))
    w <- exvatools::make_custom_wio(df, g_names = x$countries, n_names = x$sectors,
                                    quiet = TRUE)
    ex <- exvatools::make_exvadec(w, exporter = "all", method = "bm_src", quiet = TRUE)
    b <- as.data.frame(gvc_decompose(x, "bm", level = "bilateral"))
    for (nm in gvcluster:::bm_names) {
      e <- if (nm == "GEXP") ex$EXGR else ex[[nm]]
      key <- cbind(match(paste(b$country, b$sector, sep = "_"), rownames(e)),
                   match(b$importer, colnames(e)))
      rel_equal(b[[nm]], e[key])
    }
  }
})

test_that("Borin-Mancini terms equal decompr::bm at every aggregation", {
  skip_if_not_installed("decompr")
  skip_if_not("bm" %in% getNamespaceExports("decompr"))
  t <- gvc_small()
  x <- gvc_icio(t)
  nm <- gvcluster:::bm_names
  d <- suppressMessages(decompr::decomp(x = t$Z, y = t$Y, k = t$countries, i = t$sectors,
                                        method = "bm", aggregation = "country"))
  b <- as.data.frame(gvc_decompose(x, "bm"))
  rel_equal(b[nm], d[match(b$country, d$Exporting_Country), nm])
  d <- suppressMessages(decompr::decomp(x = t$Z, y = t$Y, k = t$countries, i = t$sectors,
                                        method = "bm", aggregation = "bilateral"))
  b <- as.data.frame(gvc_decompose(x, "bm", level = "bilateral"))
  key <- match(peer_key(b$country, b$sector, b$importer),
               peer_key(d$Exporting_Country, d$Exporting_Industry, d$Importing_Country))
  expect_false(anyNA(key))
  rel_equal(b[nm], d[key, nm])
})
