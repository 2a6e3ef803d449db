#' GVC participation and position (Koopman, Powers, Wang and Wei, 2010)
#'
#' The GVC participation index `(IV + FV) / E` and position index
#' `ln(1 + IV / E) - ln(1 + FV / E)` of each country (or country-sector).
#' A positive position means the country supplies more value added to
#' other countries' exports (upstream) than it uses from abroad in its own
#' (downstream).
#'
#' `FV` is the foreign value added in gross exports (Hummels-Ishii-Yi VS,
#' `FVA_FIN + FVA_INT + FDC` in KWW terms). `IV`, the indirect value-added
#' exports, has two readings in the literature, chosen by `method`:
#' * `"t3"` (default): the KWW (2014) re-exported term `DVA_INTrex`, the
#'   country's value added exported in intermediates that the importer
#'   re-exports to third countries - Koopman et al. (2010)'s own definition
#'   and the one the cluster-upgrading literature uses. At sector level
#'   it is the WWZ sum `DVA_INTrexI1 + DVA_INTrexF + DVA_INTrexI2` of the
#'   exporting sector.
#' * `"vs1"`: the VS1 forward measure used by OECD TiVA: all of the
#'   country's (or sector's) value added embodied in other countries' gross
#'   exports (it includes value added that returns home and double
#'   counting).
#' The reading used is stored in the result and printed.
#'
#' Called with numeric vectors, `gvc_index(iv, fv, exports)` (positionally
#' or with those names: `iv` is always data, the IV values) computes the
#' indices from components a user already has (e.g. from TiVA); names are taken from `names(exports)` (or
#' `names(iv)`). `E = 0` gives `NA`
#' indices. `NA` components give `NA` indices.
#'
#' @param x An [icio()] table, or a numeric vector of indirect value-added
#'   exports `IV` (then `fv` and `exports` are required).
#' @param ... Passed to the methods (unused by them).
#' @return An object of class `gvc_index`: a data frame with `country`
#'   (and `sector`), `E`, `IV`, `FV`, `participation` and `position`, and
#'   attributes `iv` (the IV reading) and `level`.
#' @references Koopman R, Powers W, Wang Z, Wei S-J (2010) Give credit
#'   where credit is due: tracing value added in global production chains.
#'   NBER Working Paper 16426.
#' @seealso [gvcluster-missing] for NA, NaN, Inf and extreme magnitudes.
#' @examples
#' gi <- gvc_index(icio_example)
#' gi
#' gvc_index(icio_example, method = "vs1", level = "sector")
#' gvc_index(c(CHN = 120, DEU = 80), fv = c(300, 150), exports = c(1500, 900))
#' @export
gvc_index <- function(x, ...) {
  if (missing(x)) {
    dots <- list(...)
    if (is.numeric(dots$iv)) {        # gvc_index(iv = , fv = , exports = )
      x <- dots$iv
      dots$iv <- NULL
      return(do.call(gvc_index.default, c(list(x), dots)))
    }
    stop_arg("x", "is required: an `icio` table or numeric `iv` components")
  }
  UseMethod("gvc_index")
}

#' @rdname gvc_index
#' @param method Which indirect value-added measure: `"t3"` or `"vs1"`.
#' @param iv For an [icio()] table: the former name of `method` (as a
#'   string), still accepted in this release with a warning; `iv` now means
#'   only the numeric IV components of the default method.
#' @param level `"country"` or `"sector"`.
#' @param groups Optional named list of country groups (sums of `E`,
#'   `IV` and `FV` of the members, ratios recomputed).
#' @param sector_groups Optional named list of sector groups (sector level).
#' @param splits For tables with split producer blocks (see [icio()]):
#'   `"merge"` (default) reports each country with its splits summed
#'   (`E`, `IV`, `FV` summed, the indices recomputed from the sums), `"keep"`
#'   reports the split blocks on their own rows. Either way flows between a
#'   country and its splits are domestic.
#' @export
gvc_index.icio <- function(x, method = c("t3", "vs1"), level = c("country", "sector"),
                           groups = NULL, sector_groups = NULL,
                           splits = c("merge", "keep"), ..., iv) {
  if (!missing(iv)) {
    if (!is.character(iv))
      stop_arg("iv", "is the numeric IV of the default method; for an icio table ",
               "choose the measure with `method` (\"t3\" or \"vs1\")")
    method <- renamed_arg(iv, "iv", "method", !missing(method), "gvc_index")
  }
  iv <- match.arg(method, c("t3", "vs1"))
  level <- match.arg(level)
  splits <- match.arg(splits)
  keep <- splits == "keep" && length(x$splits) > 0L
  if (keep && iv == "t3" && level == "country")
    stop_arg("splits", "\"keep\" needs level = \"sector\" or iv = \"vs1\" (the KWW re-exported ",
             "term is defined by country of origin)")
  p <- icio_parts(x)
  gmap <- check_groups(groups, if (keep) x$countries else p$countries)
  smap <- check_groups(sector_groups, x$sectors, "sector_groups", "sector")
  le <- gvc_kernel("leontief", p)$sector             # E, DV, FV, IV(vs1)
  if (iv == "vs1") {
    ivv <- le[, "IV"]
  } else if (level == "country") {
    k <- gvc_kernel("kww", p)$country
    ivv <- rep(0, p$n)
    ivv[match(seq_len(p$G), p$cc)] <- k[, "DVA_INTrex"]   # put on 1st sector
  } else {
    w <- gvc_kernel("wwz", p)$bilateral
    ivv <- rowSums(w$DVA_INTrexI1 + w$DVA_INTrexF + w$DVA_INTrexI2)
  }
  df <- data.frame(country = if (keep) p$row_block else p$row_ctry,
                   sector = p$row_sector,
                   E = le[, "E"], IV = ivv, FV = le[, "FV"],
                   stringsAsFactors = FALSE)
  if (!is.null(gmap)) df$country <- unname(gmap[df$country])
  if (!is.null(smap)) df$sector <- unname(smap[df$sector])
  if (level == "country") {
    df$sector <- NULL
    df <- aggregate_df(df, "country")
  } else if (!is.null(gmap) || !is.null(smap) || (p$has_splits && !keep)) {
    df <- aggregate_df(df, c("country", "sector"))
  }
  new_gvc_index(df, iv, level)
}

#' @rdname gvc_index
#' @param fv Foreign value added in gross exports (default method).
#' @param exports Gross exports (default method).
#' @param label Description of the supplied IV (default method).
#' @export
gvc_index.default <- function(x, fv, exports, label = "supplied", ...) {
  ivv <- check_numeric(x, "iv")
  if (missing(fv)) stop_arg("fv", "is required with numeric `iv` components")
  if (missing(exports)) stop_arg("exports", "is required with numeric `iv` components")
  fv <- check_numeric(fv, "fv")
  exports <- check_numeric(exports, "exports")
  n <- length(ivv)
  if (length(fv) != n) stop_arg("fv", sprintf("must have the length of `iv` (%d)", n))
  if (length(exports) != n) stop_arg("exports", sprintf("must have the length of `iv` (%d)", n))
  check_nonnegative(exports, "exports")
  check_nonfinite(ivv, "iv"); check_nonfinite(fv, "fv"); check_nonfinite(exports, "exports")
  # value added in exports: negative components have no meaning, and
  # log1p() of a share below -1 is NaN
  check_nonnegative(ivv, "iv")
  check_nonnegative(fv, "fv")
  iv <- check_string(label, "label")
  nm <- names(exports)
  if (is.null(nm)) nm <- names(ivv)
  if (is.null(nm)) nm <- as.character(seq_len(n))
  df <- data.frame(country = nm, E = as.vector(exports), IV = as.vector(ivv),
                   FV = as.vector(fv), stringsAsFactors = FALSE)
  new_gvc_index(df, iv, "country")
}

new_gvc_index <- function(df, iv, level) {
  E <- df$E
  r_iv <- ifelse(E > 0, df$IV / E, NA_real_)
  r_fv <- ifelse(E > 0, df$FV / E, NA_real_)
  df$participation <- r_iv + r_fv
  df$position <- log1p(r_iv) - log1p(r_fv)
  rownames(df) <- NULL
  structure(df, iv = iv, level = level, class = c("gvc_index", "data.frame"))
}

iv_label <- function(iv, level = "country") {
  switch(iv,
         t3 = if (identical(level, "sector"))
           "IV = re-exported domestic value added (WWZ DVA_INTrexI1 + DVA_INTrexF + DVA_INTrexI2, sector-level KWW T3)"
         else "IV = re-exported domestic value added (KWW T3, DVA_INTrex)",
         vs1 = "IV = value added embodied in other countries' exports (VS1, forward)",
         paste0("IV = ", iv))
}

#' @export
print.gvc_index <- function(x, digits = 4L, ...) {
  cat(sprintf("<gvc_index> KPWW (2010) GVC participation and position, %s level\n",
              attr(x, "level")))
  cat(iv_label(attr(x, "iv"), attr(x, "level")), "\n")
  cat("FV = foreign value added in gross exports\n")
  df <- as.data.frame(x)
  print(df, digits = digits, row.names = FALSE)
  invisible(x)
}

#' @export
as.data.frame.gvc_index <- function(x, ...) {
  attr(x, "iv") <- NULL
  attr(x, "level") <- NULL
  class(x) <- "data.frame"
  x
}

#' @export
summary.gvc_index <- function(object, ...) {
  df <- as.data.frame(object)
  s <- list(iv = attr(object, "iv"), level = attr(object, "level"),
            n = nrow(df),
            participation = summary(df$participation),
            position = summary(df$position),
            most_upstream = df[which.max(df$position), , drop = FALSE],
            most_downstream = df[which.min(df$position), , drop = FALSE])
  class(s) <- "summary.gvc_index"
  s
}

#' @export
print.summary.gvc_index <- function(x, ...) {
  cat(sprintf("GVC index (KPWW 2010), %d rows at %s level\n", x$n, x$level))
  cat(iv_label(x$iv, x$level), "\n\nparticipation:\n")
  print(x$participation)
  cat("position:\n")
  print(x$position)
  id <- function(r) paste(r[intersect(c("country", "sector"), names(r))], collapse = ".")
  if (nrow(x$most_upstream))
    cat(sprintf("\nmost upstream: %s (%.4f); most downstream: %s (%.4f)\n",
                id(x$most_upstream), x$most_upstream$position,
                id(x$most_downstream), x$most_downstream$position))
  invisible(x)
}

#' Plot GVC participation against position
#'
#' A scatter of the position index (x axis, upstream to the right) against
#' participation, one labelled point per country or country-sector.
#' @param x A [gvc_index()] result.
#' @param ... Passed to [graphics::plot()].
#' @return `x`, invisibly.
#' @examples
#' plot(gvc_index(icio_example))
#' @export
plot.gvc_index <- function(x, ...) {
  if (!any(is.finite(x$position) & is.finite(x$participation)))
    stop_arg("x", "has no ", if (!is.null(x$sector)) "country-sector" else "country",
             " with defined indices (participation and position are NA where exports are zero): ",
             "nothing to plot")
  lab <- if (!is.null(x$sector)) paste(x$country, x$sector, sep = ".") else x$country
  dots <- list(...)
  # Room for the labels, which sit centred above the points: widen the x
  # range by half the widest label and raise the top by a label's height
  # plus its offset (as fractions of the plot region, measured in inches on
  # the current device), unless the user gives the limits.
  pin <- graphics::par("pin")
  cex <- 0.8
  half_w <- max(graphics::strwidth(lab, units = "inches", cex = cex), 0) / 2
  lab_h <- graphics::strheight("M", units = "inches", cex = cex) +
    0.5 * graphics::par("csi") * cex
  pad <- function(v, lo, hi) {
    r <- range(v[is.finite(v)])
    if (!all(is.finite(r))) return(NULL)
    d <- diff(r)
    if (d == 0) d <- max(abs(r[1L]), 1)
    k <- d / max(1 - lo - hi, 0.4)
    c(r[1L] - lo * k, r[2L] + hi * k)
  }
  fx <- min(half_w / pin[1L], 0.25) + 0.01
  fy <- min(lab_h / pin[2L], 0.25) + 0.01
  if (is.null(dots$xlim)) dots$xlim <- pad(x$position, fx, fx)
  if (is.null(dots$ylim)) dots$ylim <- pad(x$participation, 0, fy)
  args <- list(x$position, x$participation, pch = 19,
               xlab = "GVC position  (downstream < 0 < upstream)",
               ylab = "GVC participation",
               main = sprintf("GVC index (IV: %s)", attr(x, "iv")))
  args[names(dots)] <- dots
  do.call(graphics::plot, args)
  graphics::abline(v = 0, lty = 2, col = "grey50")
  graphics::text(x$position, x$participation, lab, pos = 3, cex = cex, xpd = NA)
  invisible(x)
}
