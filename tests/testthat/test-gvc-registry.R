# The registry of value-chain methods (R/gvc-registry.R): one entry per
# method, read by gvc_decompose(), print/summary/plot and the tidiers.

test_that("the registry and gvc_decompose()'s choices list the same methods", {
  reg <- gvcluster:::gvc_methods
  expect_identical(names(reg), eval(formals(gvc_decompose)$method))
  for (m in names(reg)) {
    e <- reg[[m]]
    expect_true(is.function(e$kernel), info = m)
    for (f in c("label", "levels", "reference", "identities", "stack"))
      expect_false(is.null(e[[f]]), info = paste(m, f))
  }
})

test_that("every method's result reads its entry: label, reference, stacked terms", {
  reg <- gvcluster:::gvc_methods
  for (m in names(reg)) {
    d <- gvc_decompose(icio_example, m)
    e <- reg[[m]]
    # the first level offered is the default
    lev <- if (is.function(e$levels)) e$levels(d) else e$levels
    expect_identical(d$level, lev[1L], info = m)
    s <- summary(d)
    lab <- if (is.function(e$label)) e$label(d) else e$label
    expect_identical(s$label, lab, info = m)
    expect_true(startsWith(capture.output(print(d))[1L],
                           paste0("<gvc_decomposition> ", lab)), info = m)
    # the reference total is a column, every identity holds
    ref <- if (is.function(e$reference)) e$reference(d$terms) else e$reference
    expect_true(all(ref %in% names(d$terms)), info = m)
    expect_lt(max(s$checks), 1e-6 * sum(abs(d$terms[[ref[1L]]])))
    g <- generics::glance(d)
    expect_identical(g$total.of, ref[1L], info = m)
    # ratio columns are not totalled
    expect_length(intersect(names(s$totals), e$ratio_cols), 0L)
    st <- if (is.function(e$stack)) e$stack(d$terms) else e$stack
    expect_true(all(st %in% names(d$terms)), info = m)
  }
})

test_that("a method's own options are refused by the others, naming their method", {
  expect_error(gvc_decompose(icio_example, "kww", approach = "sink"),
               "`approach` applies to method \"bm\" only")
  expect_error(gvc_decompose(icio_example, "tiva", flow = "imports"),
               "`flow` applies to method \"bm\" only")
  d <- gvc_decompose(icio_example, "bm", flow = "imports")
  expect_identical(c(d$perspective, d$approach, d$flow), c("importer", "source", "imports"))
  expect_null(gvc_decompose(icio_example, "tiva")$perspective)
})
