# A table factorises once; a modified copy never gets the cached results.

cache_of <- function(x) gvcluster:::icio_cache(x)

test_that("later decompositions reuse the factorisation of the table", {
  x <- gvc_icio(gvc_small())
  k1 <- gvc_decompose(x, "kww")
  env <- cache_of(x)
  expect_true(all(c("parts", "lu", "local", "VB") %in% ls(env)))
  expect_false("bdiag" %in% ls(env))          # only methods needing B_ss take it
  b1 <- gvc_decompose(x, "bm")
  expect_true("bdiag" %in% ls(env))
  lu <- env$lu
  expect_identical(gvc_decompose(x, "kww"), k1)
  expect_identical(gvc_decompose(x, "bm"), b1)
  expect_identical(cache_of(x)$lu, lu)       # not recomputed
  # results equal the uncached computation (a fresh table)
  y <- gvc_icio(gvc_small())
  expect_equal(gvc_decompose(y, "bm")$terms, b1$terms)
})

test_that("a modified copy does not see the cache: replacement methods", {
  t <- gvc_small()
  x <- gvc_icio(t)
  b0 <- gvc_decompose(x, "bm")$terms
  y <- x
  y$Z[1, 2] <- 0                              # `$<-.icio`: a fresh cache
  expect_false(identical(attr(y, "gvc_cache"), attr(x, "gvc_cache")))
  Z2 <- t$Z; Z2[1, 2] <- 0
  ref <- gvc_decompose(suppressWarnings(icio(Z2, t$Y, t$countries, t$sectors, x = x$x, va = x$va)), "bm")$terms
  expect_equal(gvc_decompose(y, "bm")$terms, ref)
  expect_equal(gvc_decompose(x, "bm")$terms, b0)
  y2 <- x
  y2[["Y"]][1, 1] <- 0
  expect_false(identical(attr(y2, "gvc_cache"), attr(x, "gvc_cache")))
  y3 <- x
  y3["va"] <- list(x$va * 0.5)
  expect_false(identical(attr(y3, "gvc_cache"), attr(x, "gvc_cache")))
})

test_that("a modified copy does not see the cache: the fingerprint", {
  t <- gvc_small()
  x <- gvc_icio(t)
  b0 <- gvc_decompose(x, "wwz")$terms
  z <- unclass(x)                             # bypasses the replacement methods
  z$Z[1, 2] <- 0
  class(z) <- "icio"
  expect_identical(attr(z, "gvc_cache"), attr(x, "gvc_cache"))   # shared ...
  Z2 <- t$Z; Z2[1, 2] <- 0
  ref <- gvc_decompose(suppressWarnings(icio(Z2, t$Y, t$countries, t$sectors, x = x$x, va = x$va)), "wwz")$terms
  expect_equal(gvc_decompose(z, "wwz")$terms, ref)                 # ... but not served
  expect_equal(gvc_decompose(x, "wwz")$terms, b0)
})

test_that("saveRDS() of a table does not carry its cache", {
  x <- gvc_icio(gvc_small(G = 4L, N = 10L, F = 2L))
  before <- length(serialize(x, NULL))
  invisible(gvc_decompose(x, "bm", perspective = "importer"))
  invisible(gvc_decompose(x, "wwz"))
  expect_gt(sum(vapply(mget(ls(cache_of(x)), envir = cache_of(x)), object.size, 0)),
            as.numeric(object.size(x$Z)))
  expect_identical(length(serialize(x, NULL)), before)
  f <- tempfile(fileext = ".rds")
  saveRDS(x, f)
  y <- readRDS(f)
  unlink(f)
  expect_equal(gvc_decompose(y, "bm")$terms, gvc_decompose(x, "bm")$terms)
})

# issue 27: the cache attribute is validated before use, and the labels are
# part of its fingerprint.

test_that("a foreign or forged cache attribute is ignored, never dereferenced", {
  t <- gvc_small()
  x <- gvc_icio(t)
  ref <- gvc_decompose(gvc_icio(t), "kww")$terms        # a table of its own
  invisible(gvc_decompose(x, "wwz"))
  # an external pointer the package did not make: a native routine's address
  p <- getDLLRegisteredRoutines("gvcluster")$.Call[[1]]$address
  attr(p, "class") <- NULL
  q <- getDLLRegisteredRoutines("base")$.Call[[1]]$address   # another DLL's
  attr(q, "class") <- NULL
  forged <- list(p, q, new.env(), "cache", 1L, list(a = 1))
  for (f in forged) {
    y <- x
    attr(y, "gvc_cache") <- f
    expect_equal(gvc_decompose(y, "kww")$terms, ref)
    expect_equal(as.data.frame(gvc_index(y)), as.data.frame(gvc_index(gvc_icio(t))))
  }
  # the cache of another table (same size) is not served to this one
  t2 <- gvc_small(seed = 2L)
  y <- gvc_icio(t2)
  attr(y, "gvc_cache") <- attr(x, "gvc_cache")
  expect_equal(gvc_decompose(y, "kww")$terms, gvc_decompose(gvc_icio(t2), "kww")$terms)
})

test_that("a copy whose labels changed gets its own labels, not the cached ones", {
  t <- gvc_small(G = 3L, N = 2L)
  x <- gvc_icio(t)
  invisible(gvc_decompose(x, "wwz")); invisible(gvc_decompose(x, "bm", perspective = "self"))
  invisible(gvc_index(x))
  # sectors renamed behind the replacement methods: results name P, Q
  u <- unclass(x); u$sectors <- c("P", "Q"); class(u) <- "icio"
  w <- gvc_decompose(u, "wwyz", level = "sector")$terms
  expect_setequal(unique(w$sector), c("P", "Q"))
  t2 <- t; t2$sectors <- c("P", "Q")
  expect_equal(w, gvc_decompose(gvc_icio(t2), "wwyz", level = "sector")$terms)
  # countries renamed with `$<-`: the whole table follows (names of Z, Y,
  # x, va and the destinations), results name the new countries
  y <- x
  y$countries <- c("X", "Y", "W")
  expect_identical(rownames(y$Z)[1:2], c("X.S1", "X.S2"))
  expect_identical(y$destinations, c("X", "Y", "W"))
  t3 <- t; t3$countries <- c("X", "Y", "W")
  expect_equal(gvc_decompose(y, "kww")$terms, gvc_decompose(gvc_icio(t3), "kww")$terms)
  expect_identical(gvc_index(y)$country, c("X", "Y", "W"))
  # countries renamed behind the replacement methods, destinations stale:
  # the validity error names them, never an internal error
  u <- unclass(x); u$countries <- c("X", "Y", "W"); class(u) <- "icio"
  expect_error(gvc_decompose(u, "kww"), "`destinations` \\(AAA, BBB, CCC\\) are not the countries")
  expect_error(gvc_index(u), "`destinations`")
  attr(u, "gvc_cache") <- NULL
  expect_error(gvc_decompose(u, "kww"), "`destinations`")
  # a bad label or split set with `$<-` is an error at once
  y <- x
  expect_snapshot(error = TRUE, y$splits <- c(CCC = "AAA"))
  expect_error(y$countries <- c("X", "X", "W"), "`countries` must be 3 unique")
  expect_error(y$sectors <- "P", "`sectors` must be 2 unique")
  expect_identical(y$countries, x$countries)
})

test_that("renaming countries with `$<-` carries the split blocks along (issue 27)", {
  t <- gvc_small(G = 3L, N = 2L, F = 1L, zero = FALSE)
  Y <- t$Y[, 1:2]                                   # CCC is a split block of BBB
  x <- suppressWarnings(icio(t$Z, Y, t$countries, t$sectors, splits = c(CCC = "BBB")))
  ref <- gvc_decompose(x, "kww")$terms
  y <- x
  y$countries <- c("A", "B", "B2")
  expect_identical(y$splits, c(B2 = "B"))
  expect_identical(y$destinations, c("A", "B"))
  expect_identical(colnames(y$Y), c("A.F1", "B.F1"))
  k <- gvc_decompose(y, "kww")$terms
  expect_identical(k$country, c("A", "B"))
  expect_equal(k[, -1], ref[, -1])
  expect_equal(gvc_decompose(x, "kww")$terms, ref)  # the original keeps its names
})

test_that("replacing a part no result depends on keeps the cache; reading builds none", {
  t <- gvc_small()
  x <- gvc_icio(t)
  b0 <- gvc_decompose(x, "bm")$terms
  y <- x
  y$year <- "2020"                            # not in the fingerprint
  y[["source"]] <- "test"
  expect_identical(attr(y, "gvc_cache"), attr(x, "gvc_cache"))
  expect_identical(gvc_decompose(y, "bm")$terms, b0)
  expect_identical(y$year, "2020")
  y$Z[1, 2] <- 0                              # a number: a fresh cache
  expect_false(identical(attr(y, "gvc_cache"), attr(x, "gvc_cache")))
  # read_icio() sets year, source and primary on the table icio() built:
  # one cache, not four (counted through the cache constructor)
  cnt <- new.env()
  cnt$n <- 0L
  suppressMessages(trace(gvcluster:::new_icio_cache, bquote(assign("n", get("n", envir = .(cnt)) + 1L, envir = .(cnt))),
                         print = FALSE, where = asNamespace("gvcluster")))
  on.exit(suppressMessages(untrace(gvcluster:::new_icio_cache, where = asNamespace("gvcluster"))))
  x2 <- icio(t$Z, t$Y, t$countries, t$sectors)
  expect_identical(cnt$n, 1L)
  x2$year <- "2019"; x2$source <- "s"; x2$primary <- NULL
  expect_identical(cnt$n, 1L)
  x2$countries <- c("X1", "X2", "X3")        # a label: a fresh cache
  expect_identical(cnt$n, 2L)
})
