#' Plot location-quotient time series
#'
#' Draws location quotients against time with base graphics, with a dashed
#' reference line at LQ = 1 (above it the industry is over-represented in the
#' region). With the study's data, `plot_lq(bengbu)` draws its Figure 1, the
#' location quotient of Bengbu's silicon-based new materials industry
#' 2012-2019. On a panel (the result of [lq()] on a long data frame with
#' several regions or industries) it draws one line per region x industry
#' series, with a legend.
#'
#' @section Series:
#' The columns that tell the series apart are `region` and `industry` (by
#' default every column that is not numeric, such as the region and industry
#' columns of a [lq()] result; the time column and the LQ column are never
#' among them). Each combination of their values that occurs is one series,
#' labelled `"region / industry"`. At most 8 series are drawn (one colour
#' and symbol each); a panel with more is an error that asks for a
#' selection through `series`:
#' * a character vector of series labels as the legend prints them
#'   (`series = c("Bengbu / silicon", "Hefei / silicon")`), or
#' * a named list of values to keep, by column
#'   (`series = list(city = "Bengbu")`: every industry of Bengbu;
#'   `series = list(industry = "silicon")`: every city's silicon series).
#'
#' A series must have at most one row per time point; a duplicated time
#' point is an error that names it (name the missing key columns in
#' `region` or `industry`).
#'
#' @param x The series: a data frame with a time column and an `LQ` (or
#'   `lq`) column, such as [bengbu] or the result of [lq()] on a panel; or a
#'   numeric vector of location quotients, named by year or with the time
#'   points given in `time`.
#' @param time For a data frame, the name of the time column (default
#'   `"year"`); for a vector, the time points, numbers as long as `x`
#'   (default: the names of `x`, or `1, 2, ...` when it has none).
#' @param region,industry For a data frame, the names of the columns that
#'   tell the series apart (see Series); `NULL` (default) for both: every
#'   column that is not numeric.
#' @param series `NULL` (every series) or a selection of series: a character
#'   vector of labels or a named list of values by column (see Series).
#' @param main,xlab,ylab Title and axis labels. The default title names the
#'   period covered; the default x label is `"Year"` (or the name of the
#'   time column).
#' @param labels `TRUE` to print each value above its point, as the study's
#'   figure does; `NULL` (default) does so when one series is drawn.
#' @param ... Further graphical parameters: `col`, `pch`, `lty`, `lwd` and
#'   `type` apply to the series (one value, or one per series); the others
#'   (e.g. `ylim`, `cex.main`) are passed to [graphics::plot()].
#' @param years Deprecated: the former name of `time`, still accepted in this
#'   release with a warning.
#'
#' @return `x`, invisibly.
#' @examples
#' plot_lq(bengbu)
#' plot_lq(c(`2018` = 0.9, `2019` = 1.1, `2020` = 1.3), main = "A region")
#'
#' # a panel: one line per city x industry
#' p <- data.frame(year = rep(2017:2019, each = 4),
#'                 city = rep(c("A", "A", "B", "B"), 3),
#'                 industry = rep(c("glass", "chips"), 6),
#'                 emp = c(10, 30, 20, 20, 12, 30, 20, 25, 15, 28, 21, 24))
#' out <- lq(p, "emp", "city", "industry", by = "year")
#' plot_lq(out)
#' plot_lq(out, series = list(industry = "glass"))
#' @export
plot_lq <- function(x, time = NULL, region = NULL, industry = NULL,
                    series = NULL, main = NULL, xlab = NULL,
                    ylab = "Location quotient (LQ)", labels = NULL, ...,
                    years = NULL) {
  if (!missing(years)) {
    if (!is.null(time))
      stop_arg("years", "is the former name of `time`; give only `time`")
    warning("`years` is deprecated; use `time` (it takes the same values)",
            call. = FALSE)
    time <- years
  }
  check_graphics_dots(list(...), c("col", "pch", "lty", "lwd", "type"))
  s <- lq_series(x, time = time, region = region, industry = industry,
                 series = series)
  if (!is.null(labels)) labels <- check_flag(labels, "labels")
  else labels <- length(s$series) == 1L
  ns <- length(s$series)
  t_all <- unlist(lapply(s$series, `[[`, "t"), use.names = FALSE)
  y_all <- unlist(lapply(s$series, `[[`, "y"), use.names = FALSE)
  if (!length(y_all) || all(is.na(y_all)))
    stop_arg("x", "has no location quotients to draw (", describe(x), ")")
  if (any(is.infinite(y_all) | is.nan(y_all)))
    stop_arg("x", "must not contain infinite values or NaN (",
             sum(is.infinite(y_all) | is.nan(y_all)),
             " found); see ?`gvcluster-missing`")
  if (is.null(main)) {
    period <- if (length(t_all) && any(is.finite(t_all)))
      paste0(", ", min(t_all, na.rm = TRUE), "-", max(t_all, na.rm = TRUE)) else ""
    main <- paste0("Location quotient", period)
  }
  if (is.null(xlab)) xlab <- s$xlab
  rng <- range(c(1, y_all), na.rm = TRUE, finite = TRUE)
  ylim <- c(min(0, rng[1L]), rng[2L] + 0.1 * diff(c(0, rng[2L])))
  xlim <- if (any(is.finite(t_all))) range(t_all, finite = TRUE) else c(0, 1)

  dots <- list(...)
  per <- c("col", "pch", "lty", "lwd", "type")
  sty <- list(col = if (ns == 1L) "steelblue4" else lq_palette[seq_len(ns)],
              pch = if (ns == 1L) 19 else lq_symbols[seq_len(ns)],
              lty = 1, lwd = 2, type = "b")
  for (nm in per) {
    if (!is.null(dots[[nm]])) sty[[nm]] <- dots[[nm]]
    sty[[nm]] <- rep_len(sty[[nm]], ns)
  }
  dots[per] <- NULL
  leg <- lq_legend_labels(names(s$series))
  if (ns > 1L) {
    # room on the right for the legend, outside the plotting region
    width <- max(nchar(unlist(strsplit(leg, "\n", fixed = TRUE))), 6L) * 0.45 + 4
    op <- graphics::par(mar = c(5.1, 4.1, 4.1, min(width, 22)))
    on.exit(graphics::par(op))
  }
  args <- c(list(x = xlim, y = ylim, type = "n"), dots)
  dflt <- list(ylim = ylim, main = main, xlab = xlab, ylab = ylab, xaxt = "n")
  for (nm in names(dflt)) if (is.null(args[[nm]])) args[[nm]] <- dflt[[nm]]
  do.call(graphics::plot, args)
  if (identical(args$xaxt, "n")) graphics::axis(1, at = sort(unique(t_all)))
  graphics::abline(h = 1, lty = 2, col = "grey40")
  for (i in seq_len(ns)) {
    si <- s$series[[i]]
    graphics::lines(si$t, si$y, type = sty$type[i], col = sty$col[i],
                    pch = sty$pch[i], lty = sty$lty[i], lwd = sty$lwd[i])
    if (labels && length(si$y))
      graphics::text(si$t, si$y, labels = formatC(si$y, format = "f", digits = 2),
                     pos = 3, cex = 0.8, col = if (ns > 1L) sty$col[i] else 1)
  }
  if (ns > 1L)
    graphics::legend("topleft", inset = c(1.02, 0), xpd = TRUE, bty = "n",
                     legend = leg, col = sty$col, pch = sty$pch, y.intersp = 1.2,
                     lty = sty$lty, lwd = sty$lwd, cex = 0.85,
                     title = paste(s$keys, collapse = " / "))
  invisible(x)
}

# Colour-blind-safe colours (Okabe and Ito) and distinct symbols, one per
# series; their length is the most series plot_lq() draws.
lq_palette <- c("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
                "#56B4E9", "#000000", "#999999")
lq_symbols <- c(19, 17, 15, 18, 1, 2, 0, 5)
lq_max_series <- length(lq_palette)

# The series plot_lq() draws: a named list (names are the legend's labels)
# of lists with sorted `t` and `y`, the key columns and the x label.
lq_series <- function(x, time = NULL, region = NULL, industry = NULL,
                      series = NULL) {
  if (!is.data.frame(x)) {
    if (!is.numeric(x) || is.factor(x) || !is.null(dim(x)) && length(dim(x)) > 1L)
      stop_arg("x", "must be a numeric vector or a data frame, not ", describe(x))
    if (!is.null(region) || !is.null(industry) || !is.null(series))
      stop_arg(if (!is.null(series)) "series" else if (!is.null(region)) "region"
               else "industry", "applies to a data frame `x` only")
    if (is.null(time)) {
      t <- suppressWarnings(as.numeric(names(x)))
      if (is.null(names(x)) || anyNA(t)) t <- seq_along(x)
    } else {
      if (!is.numeric(time) || length(time) != length(x))
        stop_arg("time", "must be numeric with one value per element of `x`")
      t <- time
    }
    o <- order(t)
    return(list(series = list(LQ = list(t = as.double(t)[o], y = as.double(x)[o])),
                keys = character(), xlab = "Year"))
  }
  tcol <- if (is.null(time)) "year" else check_string(time, "time")
  check_column(x, tcol, "time")
  lcol <- intersect(c("LQ", "lq"), names(x))
  if (!length(lcol))
    stop_arg("x", "must have a column named \"LQ\" or \"lq\"")
  lcol <- lcol[1L]
  t <- x[[tcol]]
  if (!is.numeric(t) || is.factor(t))
    stop_arg("time", "must name a numeric column of `x`; \"", tcol,
             "\" is ", describe(t))
  y <- x[[lcol]]
  if (!is.numeric(y) || is.factor(y))
    stop_arg("x", "must hold numeric location quotients in column \"", lcol, "\"")
  if (is.null(region) && is.null(industry)) {
    keys <- names(x)[!vapply(x, function(v) is.numeric(v) && !is.factor(v), NA)]
    keys <- setdiff(keys, c(tcol, lcol))
  } else {
    if (!is.null(region)) check_column(x, check_string(region, "region"), "region")
    if (!is.null(industry)) check_column(x, check_string(industry, "industry"), "industry")
    keys <- c(region, industry)
    if (any(keys %in% c(tcol, lcol)))
      stop_arg(if (!is.null(region) && region %in% c(tcol, lcol)) "region" else "industry",
               "must name a column other than the time and LQ columns")
  }
  keep <- rep(TRUE, nrow(x))
  lab <- if (length(keys))
    do.call(paste, c(lapply(keys, function(k) as.character(x[[k]])), sep = " / "))
  else rep("LQ", nrow(x))
  if (!is.null(series)) {
    if (is.character(series) && is.null(names(series)) && !anyNA(series)) {
      bad <- setdiff(series, lab)
      if (length(bad))
        stop_arg("series", "names series not in `x`: ",
                 paste0('"', bad, '"', collapse = ", "), "; series are labelled ",
                 "\"", paste(keys, collapse = " / "), "\", e.g. \"", lab[1L], "\"")
      keep <- lab %in% series
    } else if (is.list(series) && length(series) && !is.null(names(series)) &&
               all(nzchar(names(series)))) {
      check_column(x, names(series), "series")
      for (k in names(series)) keep <- keep & x[[k]] %in% series[[k]]
    } else {
      stop_arg("series", "must be a character vector of series labels or a ",
               "named list of values by column, not ", describe(series))
    }
    if (!any(keep)) stop_arg("series", "selects no rows of `x`")
  }
  f <- factor(lab[keep], levels = unique(lab[keep]))
  if (!is.null(series) && is.character(series) && is.null(names(series)))
    f <- factor(lab[keep], levels = intersect(series, lab[keep]))
  ns <- nlevels(f)
  if (ns > lq_max_series)
    stop_arg("x", "holds ", ns, " series (", paste(keys, collapse = " x "),
             "); plot_lq() draws at most ", lq_max_series,
             ": choose some with `series`, e.g. ",
             lq_suggest_series(x[keep, , drop = FALSE], keys, levels(f)))
  tt <- as.double(t[keep])
  yy <- as.double(y[keep])
  out <- lapply(split(seq_along(tt), f), function(i) {
    o <- i[order(tt[i])]
    list(t = tt[o], y = yy[o])
  })
  for (nm in names(out)) {
    d <- out[[nm]]$t
    d <- d[!is.na(d)]
    if (anyDuplicated(d))
      stop_arg("x", "has more than one row for ",
               if (length(keys)) paste0("series \"", nm, "\" ") else "",
               "at ", tcol, " ", d[duplicated(d)][1L],
               ": name the columns that tell the series apart in `region` ",
               "and `industry`")
  }
  list(series = out, keys = keys,
       xlab = if (identical(tcol, "year")) "Year" else tcol)
}

# Legend labels: a label longer than `width` characters is wrapped at its
# spaces and " / " onto lines of at most `width` characters (a word longer
# than that is cut, with an ellipsis), so that the legend stays inside the
# device.
lq_legend_labels <- function(lab, width = 22L) {
  vapply(lab, function(l) {
    if (nchar(l) <= width) return(l)
    w <- strwrap(l, width = width)
    long <- nchar(w) > width
    w[long] <- paste0(substr(w[long], 1L, width - 3L), "...")
    paste(w, collapse = "\n")
  }, "", USE.NAMES = FALSE)
}

# A selection plot_lq() accepts: the first value of a key column that leaves
# between 1 and the maximum number of series; else the first series' labels.
lq_suggest_series <- function(x, keys, labels) {
  for (k in keys) {
    v <- as.character(x[[k]])
    for (val in unique(v)) {
      lab_k <- do.call(paste, c(lapply(keys, function(kk) as.character(x[[kk]][v == val])),
                                sep = " / "))
      n <- length(unique(lab_k))
      if (n >= 1L && n <= lq_max_series)
        return(sprintf('series = list(%s = "%s") (%d series)', k, val, n))
    }
  }
  sel <- utils::head(labels, min(3L, lq_max_series))
  sprintf("series = c(%s)", paste0('"', sel, '"', collapse = ", "))
}

# The graphical parameters of par() and the arguments of plot.default() /
# plot.window(): what `...` of the package's plotting functions may hold.
graphics_par_names <- c(
  "adj", "ann", "ask", "bg", "bty", "cex", "cex.axis", "cex.lab", "cex.main",
  "cex.sub", "col", "col.axis", "col.lab", "col.main", "col.sub", "crt", "err",
  "family", "fg", "fig", "fin", "font", "font.axis", "font.lab", "font.main",
  "font.sub", "lab", "las", "lend", "lheight", "ljoin", "lmitre", "lty", "lwd",
  "mai", "mar", "mex", "mfcol", "mfg", "mfrow", "mgp", "mkh", "new", "oma",
  "omd", "omi", "pch", "pin", "plt", "ps", "pty", "smo", "srt", "tck", "tcl",
  "usr", "xaxp", "xaxs", "xaxt", "xlog", "xpd", "yaxp", "yaxs", "yaxt",
  "ylbias", "ylog",
  "xlim", "ylim", "log", "main", "sub", "xlab", "ylab", "axes", "frame.plot",
  "panel.first", "panel.last", "asp", "xgap.axis", "ygap.axis", "type")

# `...` of a plotting function: named graphical parameters only (an unknown
# name would otherwise give one warning per graphics call, or be ignored).
check_graphics_dots <- function(dots, extra = character()) {
  nm <- names(dots)
  if (length(dots) && (is.null(nm) || any(!nzchar(nm))))
    stop_arg("...", "must hold named graphical parameters (such as cex = 0.8); ",
             "found an unnamed argument")
  bad <- setdiff(nm, c(graphics_par_names, extra))
  if (length(bad))
    stop_arg("...", "has argument(s) that are not graphical parameters: ",
             paste0('"', bad, '"', collapse = ", "), "; see ?par for their names")
  invisible(dots)
}
