#' Methods for value-added decompositions
#'
#' `as.data.frame()` returns the table of terms (identifying columns
#' `country`, and by level `sector` and `importer`); `print()` shows the
#' head of it; `summary()` gives the column totals and the accounting
#' checks of the method (largest absolute residual of each identity);
#' `plot()` draws stacked bars of the term shares of gross exports (or of
#' value added for WWYZ, of gross output for
#' `"bmt_output"`) per country.
#'
#' @param x,object A [gvc_decompose()] result.
#' @param n Rows to print.
#' @param terms For `plot()`: the terms to stack (default: the method's
#'   exhaustive set).
#' @param row.names,optional Ignored (for the generic).
#' @param ... Passed on (to [graphics::barplot()] for `plot()`).
#' @return `as.data.frame()` a data frame; `summary()` an object of class
#'   `summary.gvc_decomposition`; `print()` and `plot()` `x`, invisibly.
#' @name gvc_decomposition-methods
#' @examples
#' d <- gvc_decompose(icio_example, "kww")
#' as.data.frame(d)
#' summary(d)
#' plot(d)
NULL

# The title of a result (the method's label, which for Borin-Mancini names
# the perspective and approach).
method_label <- function(m, x = NULL) gvc_field(gvc_method(m), "label", x)

#' @rdname gvc_decomposition-methods
#' @export
as.data.frame.gvc_decomposition <- function(x, row.names = NULL, optional = FALSE, ...) {
  x$terms
}

#' @rdname gvc_decomposition-methods
#' @export
print.gvc_decomposition <- function(x, n = 10L, ...) {
  cat(sprintf("<gvc_decomposition> %s, %s level, %d rows\n",
              method_label(x$method, x), x$level, nrow(x$terms)))
  print(utils::head(x$terms, n), digits = 4, row.names = FALSE)
  if (nrow(x$terms) > n) cat(sprintf("... %d more rows\n", nrow(x$terms) - n))
  invisible(x)
}

# The method's accounting identities (those whose terms the result has: the
# perspectives of Borin-Mancini differ), as the largest absolute residual.
decomposition_checks <- function(df, method) {
  chk <- gvc_field(gvc_method(method), "identities", df)
  vapply(chk, function(r) max(abs(r), 0, na.rm = TRUE), 0)
}

#' @rdname gvc_decomposition-methods
#' @export
summary.gvc_decomposition <- function(object, ...) {
  df <- object$terms
  num <- vapply(df, is.numeric, TRUE)
  totals <- colSums(df[num], na.rm = TRUE)
  totals <- totals[setdiff(names(totals), gvc_method(object$method)$ratio_cols)]
  structure(list(method = object$method, label = method_label(object$method, object),
                 level = object$level, rows = nrow(df),
                 totals = totals, checks = decomposition_checks(df, object$method)),
            class = "summary.gvc_decomposition")
}

#' @export
print.summary.gvc_decomposition <- function(x, ...) {
  cat(sprintf("%s, %s level, %d rows\n", x$label, x$level, x$rows))
  cat("\nWorld totals:\n")
  print(signif(x$totals, 6))
  cat("\nAccounting identities (largest absolute residual):\n")
  print(signif(x$checks, 3))
  invisible(x)
}

#' @rdname gvc_decomposition-methods
#' @export
plot.gvc_decomposition <- function(x, terms = NULL, ...) {
  df <- x$terms
  if (is.null(terms)) terms <- gvc_field(gvc_method(x$method), "stack", df)
  bad <- setdiff(terms, names(df))
  if (length(bad)) stop_arg("terms", "names columns not in the decomposition: ",
                            paste(bad, collapse = ", "))
  m <- rowsum(as.matrix(df[terms]), df$country, reorder = FALSE)
  tot <- rowSums(m)
  sh <- t(m / ifelse(tot != 0, tot, NA_real_))
  # the legend beside the bars, not over the last ones: the x range is
  # widened by the legend's share of the plot's width (in inches)
  w <- ncol(sh) * 1.2 + 0.2
  leg <- max(graphics::strwidth(terms, units = "inches", cex = 0.7)) + 0.45
  f <- min(leg / graphics::par("pin")[1L], 0.6)
  args <- utils::modifyList(
    list(sh, legend.text = terms, col = grDevices::hcl.colors(length(terms)),
         ylab = "share", main = method_label(x$method, x), xlim = c(0, w / (1 - f)),
         args.legend = list(x = "topright", cex = 0.7, bg = "white")),
    list(...))
  do.call(graphics::barplot, args)
  invisible(x)
}

#' Map WWZ terms to KWW terms
#'
#' Sums the 16 Wang-Wei-Zhu terms of a `"wwz"` [gvc_decompose()] result
#' into the 9 Koopman-Wang-Wei terms (at the same level): `DVA_FIN`,
#' `DVA_INT` unchanged; `DVA_INTrex = DVA_INTrexI1 + DVA_INTrexF +
#' DVA_INTrexI2`; `RDV_FIN = RDV_FIN + RDV_FIN2`; `RDV_INT`; `DDC = DDC_FIN
#' + DDC_INT`; `FVA_FIN = MVA_FIN + OVA_FIN`; `FVA_INT = MVA_INT +
#' OVA_INT`; `FDC = MDC + ODC`.
#'
#' At country level every mapped term equals the KWW term except the split
#' between `DVA_INT` and `DVA_INTrex`: KWW's `DVA_INT` is `V_s B_sr Y_rr`,
#' WWZ's is `V_s L_ss A_sr B_rr Y_rr` (value added counted where it first
#' leaves the country), so value added that KWW books as absorbed by the
#' direct importer WWZ books partly as re-exported. Their sum (with
#' `DVA_FIN`, the value-added exports VAX) is the same.
#' @param x A `gvc_decomposition` with `method = "wwz"`.
#' @return A data frame with the identifying columns, the 9 KWW terms and
#'   `GEXP`.
#' @examples
#' wwz_to_kww(gvc_decompose(icio_example, "wwz", level = "country"))
#' @export
wwz_to_kww <- function(x) {
  if (!inherits(x, "gvc_decomposition") || x$method != "wwz")
    stop_arg("x", "must be a WWZ result of gvc_decompose(method = \"wwz\")")
  d <- x$terms
  id <- d[intersect(c("country", "sector", "importer"), names(d))]
  cbind(id, data.frame(
    DVA_FIN = d$DVA_FIN, DVA_INT = d$DVA_INT,
    DVA_INTrex = d$DVA_INTrexI1 + d$DVA_INTrexF + d$DVA_INTrexI2,
    RDV_FIN = d$RDV_FIN + d$RDV_FIN2, RDV_INT = d$RDV_INT,
    DDC = d$DDC_FIN + d$DDC_INT, FVA_FIN = d$MVA_FIN + d$OVA_FIN,
    FVA_INT = d$MVA_INT + d$OVA_INT, FDC = d$MDC + d$ODC, GEXP = d$GEXP))
}
