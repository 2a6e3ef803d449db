# Split producer blocks (OECD's CN1/CN2, MX1/MX2): domestic for their
# country in every measure, reported merged by default.

splits_oecd <- c(MX1 = "MEX", MX2 = "MEX", CN1 = "CHN", CN2 = "CHN")

# exvatools' example table in the OECD extended layout (ships with exvatools)
exva_table <- function() {
  d <- as.matrix(exvatools::iciotest_data)
  list(Z = d[, 1:30], Y = d[, 31:42],
       countries = c("ESP", "FRA", "MEX", "USA", "CHN", "ROW", "MX1", "MX2", "CN1", "CN2"),
       sectors = c("01T09", "10T39", "41T98"), fd = c("CONS", "INVST"))
}

# the same table with every split block added to its country first
merge_first <- function(t) {
  M <- diag(30)[1:18, ]
  for (k in 1:3) {
    M[6 + k, 18 + k] <- M[6 + k, 21 + k] <- 1
    M[12 + k, 24 + k] <- M[12 + k, 27 + k] <- 1
  }
  icio(M %*% t$Z %*% t(M), M %*% t$Y, t$countries[1:6], t$sectors, t$fd)
}

test_that("Spain's domestic content of exports: 2165.175 with the splits, 2162.794 merged first", {
  skip_if_not_installed("exvatools")
  t <- exva_table()
  x <- icio(t$Z, t$Y, t$countries, t$sectors, t$fd, splits = splits_oecd)
  b <- as.data.frame(gvc_decompose(x, "bm"))
  expect_identical(b$country, c("ESP", "FRA", "MEX", "USA", "CHN", "ROW"))
  expect_lt(abs(b$DC[b$country == "ESP"] - 2165.175), 5e-4)   # published to 3 decimals
  m <- as.data.frame(gvc_decompose(merge_first(t), "bm"))
  expect_lt(abs(m$DC[m$country == "ESP"] - 2162.794), 5e-4)
  # every term of every country equals exvatools' (which keeps the splits)
  # make_wio("iciotest") looks its data up from the global environment
  utils::data("iciotest_data", package = "exvatools", envir = globalenv())
  withr::defer(rm("iciotest_data", envir = globalenv()))
  w <- exvatools::make_wio("iciotest", quiet = TRUE)
  ex <- exvatools::make_exvadec(w, exporter = "all", method = "bm_src", quiet = TRUE)
  for (nm in c("DC", "DVA", "VAX", "DAVAX", "REF", "DDC", "FC", "FVA", "FDC", "GVC", "GVCB", "GVCF")) {
    e <- vapply(b$country, function(s) as.numeric(exvatools::get_data(ex, nm, s)), 0)
    rel_equal(b[[nm]], unname(e))
  }
})

test_that("a split block is domestic for its country: hand computation", {
  # countries A (with split A1) and B, 2 sectors
  set.seed(4)
  n <- 6
  Z <- matrix(runif(n * n, 1, 5), n)
  Z[1:2, ] <- Z[1:2, ] * 3
  Y <- matrix(runif(n * 4, 5, 20), n, 4)
  x <- icio(Z, Y, c("A", "B", "A1"), c("s1", "s2"), splits = c(A1 = "A"))
  xo <- rowSums(Z) + rowSums(Y)
  A <- sweep(Z, 2, xo, "/"); v <- 1 - colSums(A)
  B <- solve(diag(n) - A)
  dom <- c(1, 2, 5, 6); fo <- 3:4
  E <- rowSums(Z[dom, fo]) + rowSums(Y[dom, 3:4])        # A's exports (to B)
  DC <- sum((v[dom] %*% B[dom, dom]) * E)
  FC <- sum((v[fo] %*% B[fo, dom]) * E)
  DVA <- sum((v[dom] %*% solve(diag(4) - A[dom, dom])) * E)
  g <- as.data.frame(gvc_decompose(x, "bm"))
  expect_identical(g$country, c("A", "B"))
  rel_equal(g[1, c("GEXP", "DC", "FC", "DVA")], c(sum(E), DC, FC, DVA))
  k <- as.data.frame(gvc_decompose(x, "bm", splits = "keep"))
  expect_identical(k$country, c("A", "A1", "B"))
  rel_equal(k$DC[1:2], c(sum((v[dom] %*% B[dom, dom])[1:2] * E[1:2]),
                         sum((v[dom] %*% B[dom, dom])[3:4] * E[3:4])))
  # sector level: merged rows are sums of the kept rows
  ks <- as.data.frame(gvc_decompose(x, "bm", level = "sector", splits = "keep"))
  ms <- as.data.frame(gvc_decompose(x, "bm", level = "sector"))
  rel_equal(ms$DVA[ms$country == "A"], ks$DVA[ks$country == "A"] + ks$DVA[ks$country == "A1"])
  # KWW sums to exports with the split counted at home; TiVA VAX ratio from sums
  kw <- as.data.frame(gvc_decompose(x, "kww"))
  rel_equal(kw$GEXP[1], sum(E))
  rel_equal(rowSums(kw[1, 2:10]), sum(E))
  tv <- as.data.frame(gvc_decompose(x, "tiva", splits = "keep"))
  tm <- as.data.frame(gvc_decompose(x, "tiva"))
  rel_equal(tm$VAX_ratio[1], sum(tv$VAX[1:2]) / sum(tv$GEXP[1:2]))
  # indices: E, FV summed, ratios recomputed
  gi <- gvc_index(x, method = "vs1")
  gk <- gvc_index(x, method = "vs1", splits = "keep")
  rel_equal(gi$E[1], sum(gk$E[gk$country %in% c("A", "A1")]))
  rel_equal(gi$FV[1], FC)
  expect_snapshot(error = TRUE, gvc_decompose(x, "kww", splits = "keep"))
})
