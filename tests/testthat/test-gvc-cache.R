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
