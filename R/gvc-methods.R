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

method_label <- function(m, x = NULL) {
  switch(m,
         kww = "Koopman-Wang-Wei (2014) 9 terms",
         wwz = "Wang-Wei-Zhu (2013) 16 terms",
         bm = if (is.null(x$perspective)) "Borin-Mancini"
              else if (x$flow == "imports") "Borin-Mancini, importer perspective, imports"
              else sprintf("Borin-Mancini, %s perspective, %s-based", x$perspective, x$approach),
         leontief = "Leontief / Hummels-Ishii-Yi value-added origin of exports",
         wwyz = "Wang-Wei-Yu-Zhu (2017) production-based participation",
         tiva = "TiVA-style indicators (OECD TiVA; Johnson-Noguera 2012)",
         bmt = "Borin-Mancini-Taglioni (2025) tripartite GVC trade",
         bmt_output = "Borin-Mancini-Taglioni (2025) output-based tripartite GVC participation")
}

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

# The method's exhaustive terms and its accounting identities (those whose
# terms the result has: the perspectives of Borin-Mancini differ).
decomposition_checks <- function(df, method) {
  s <- function(...) Reduce(`+`, lapply(c(...), function(k) df[[k]]))
  has <- function(...) all(c(...) %in% names(df))
  chk <- switch(method,
    kww = list(`sum of 9 terms - GEXP` = s(kww_names) - df$GEXP),
    wwz = list(`sum of 16 terms - GEXP` = s(wwz_names) - df$GEXP),
    bm = if (has("GIMP")) list(`GIMP - (VA + DC)` = df$GIMP - s("VA", "DC")) else c(
      list(`DC - (DVA + DDC)` = df$DC - s("DVA", "DDC"),
           `DVA - (VAX + REF)` = df$DVA - s("VAX", "REF"),
           `GEXP - (DC + FC)` = df$GEXP - s("DC", "FC"),
           `FC - (FVA + FDC)` = df$FC - s("FVA", "FDC")),
      if (has("GVC")) list(`GVC - (GVCB + GVCF)` = df$GVC - s("GVCB", "GVCF"),
                           `GVC - (GEXP - DAVAX)` = df$GVC - (df$GEXP - df$DAVAX))),
    leontief = list(`E - (DV + FV)` = df$E - s("DV", "FV")),
    wwyz = list(`VA - forward terms` = df$VA - s("V_D", "V_RT", "V_GVC_S", "V_GVC_C"),
                `FG - backward terms` = df$FG - s("Y_D", "Y_RT", "Y_GVC_S", "Y_GVC_C")),
    tiva = list(`GEXP - (DVA + FVA)` = df$GEXP - s("DVA", "FVA")),
    bmt = list(`GEXP - (DAVAX + GVC_PF + GVC_TS + GVC_PB)` =
                 df$GEXP - s("DAVAX", "GVC_PF", "GVC_TS", "GVC_PB")),
    bmt_output = list(`X - (DOM + TRAD + GVC)` = df$X - s("DOM", "TRAD", "GVC"),
                      `TRAD - (TRAD_X + TRAD_M)` = df$TRAD - s("TRAD_X", "TRAD_M"),
                      `GVC - (GVC_PF + GVC_TS + GVC_PB)` =
                        df$GVC - s("GVC_PF", "GVC_TS", "GVC_PB")))
  vapply(chk, function(r) max(abs(r), 0, na.rm = TRUE), 0)
}

stack_terms <- function(method, df = NULL) {
  switch(method, kww = kww_names, wwz = wwz_names,
         bm = if ("GIMP" %in% names(df)) c("VA", "DC")
              else if ("DAVAX" %in% names(df)) c("DAVAX", "VAX", "REF", "DDC", "FVA", "FDC")
              else c("VAX", "REF", "DDC", "FVA", "FDC"),
         leontief = c("DV", "FV"),
         wwyz = c("V_D", "V_RT", "V_GVC_S", "V_GVC_C"),
         tiva = c("DVA", "FVA"),
         bmt = c("DAVAX", "GVC_PF", "GVC_TS", "GVC_PB"),
         bmt_output = c("DOM", "TRAD_X", "TRAD_M", "GVC_PF", "GVC_TS", "GVC_PB"))
}

#' @rdname gvc_decomposition-methods
#' @export
summary.gvc_decomposition <- function(object, ...) {
  df <- object$terms
  num <- vapply(df, is.numeric, TRUE)
  totals <- colSums(df[num], na.rm = TRUE)
  ratio_cols <- intersect(names(totals), c("upstreamness", "downstreamness", "GVCPt_f",
                                           "GVCPt_b", "PLv_GVC", "PLy_GVC", "GVCPs",
                                           "DVA_share", "FVA_share", "VAX_ratio", "GVC_share",
                                           "PF_share", "TS_share", "PB_share", "DOM_share",
                                           "TRAD_share"))
  totals <- totals[setdiff(names(totals), ratio_cols)]
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
  if (is.null(terms)) terms <- stack_terms(x$method, df)
  bad <- setdiff(terms, names(df))
  if (length(bad)) stop_arg("terms", "names columns not in the decomposition: ",
                            paste(bad, collapse = ", "))
  m <- rowsum(as.matrix(df[terms]), df$country, reorder = FALSE)
  tot <- rowSums(m)
  sh <- t(m / ifelse(tot != 0, tot, NA_real_))
  graphics::barplot(sh, legend.text = terms, col = grDevices::hcl.colors(length(terms)),
                    ylab = "share", main = method_label(x$method, x),
                    args.legend = list(x = "topright", cex = 0.7, bg = "white"), ...)
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
