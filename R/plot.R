#' Plot a location-quotient time series
#'
#' Draws location quotients against time with base graphics, with a dashed
#' reference line at LQ = 1 (above it the industry is over-represented in the
#' region). With the study's data, `plot_lq(bengbu)` draws its Figure 1, the
#' location quotient of Bengbu's silicon-based new materials industry
#' 2012-2019.
#'
#' @param x The series: a data frame with a `year` column and an `LQ` (or
#'   `lq`) column, such as [bengbu] or the result of [lq()] on a single
#'   region's panel; or a numeric vector of location quotients, named by year
#'   or with the years given in `years`.
#' @param years The time points: for a vector, numbers as long as `x`
#'   (default: the names of `x`, or `1, 2, ...` when it has none); for a data
#'   frame, the name of the time column (default `"year"`).
#' @param main,xlab,ylab Title and axis labels. The default title names the
#'   period covered.
#' @param labels `TRUE` (default) to print each value above its point, as the
#'   study's figure does.
#' @param ... Further graphical parameters passed to [graphics::plot()]
#'   (e.g. `col`, `ylim`, `type`).
#'
#' @return `x`, invisibly.
#' @examples
#' plot_lq(bengbu)
#' plot_lq(c(`2018` = 0.9, `2019` = 1.1, `2020` = 1.3), main = "A region")
#' @export
plot_lq <- function(x, years = NULL, main = NULL, xlab = "Year",
                    ylab = "Location quotient (LQ)", labels = TRUE, ...) {
  if (is.data.frame(x)) {
    ycol <- if (is.null(years)) "year" else check_string(years, "years")
    check_column(x, ycol, "years")
    lcol <- intersect(c("LQ", "lq"), names(x))
    if (!length(lcol))
      stop_arg("x", "must have a column named \"LQ\" or \"lq\"")
    t <- x[[ycol]]
    if (!is.numeric(t) || is.factor(t))
      stop_arg("years", "must name a numeric column of `x`; \"", ycol,
               "\" is ", describe(t))
    y <- x[[lcol[1L]]]
  } else {
    if (!is.numeric(x) || is.factor(x) || !is.null(dim(x)) && length(dim(x)) > 1L)
      stop_arg("x", "must be a numeric vector or a data frame, not ", describe(x))
    y <- x
    if (is.null(years)) {
      t <- suppressWarnings(as.numeric(names(x)))
      if (is.null(names(x)) || anyNA(t)) t <- seq_along(x)
    } else {
      if (!is.numeric(years) || length(years) != length(x))
        stop_arg("years", "must be numeric with one value per element of `x`")
      t <- years
    }
  }
  if (!is.numeric(y) || is.factor(y))
    stop_arg("x", "must hold numeric location quotients")
  labels <- check_flag(labels, "labels")
  y <- as.double(y)
  t <- as.double(t)
  o <- order(t)
  t <- t[o]
  y <- y[o]
  if (is.null(main)) {
    period <- if (length(t) && any(is.finite(t)))
      paste0(", ", min(t, na.rm = TRUE), "-", max(t, na.rm = TRUE)) else ""
    main <- paste0("Location quotient", period)
  }
  rng <- range(c(1, y), na.rm = TRUE, finite = TRUE)
  ylim <- c(min(0, rng[1L]), rng[2L] + 0.1 * diff(c(0, rng[2L])))
  args <- list(x = t, y = y, ...)
  dflt <- list(type = "b", pch = 19, lwd = 2, col = "steelblue4", ylim = ylim,
               main = main, xlab = xlab, ylab = ylab, xaxt = "n")
  for (nm in names(dflt)) if (is.null(args[[nm]])) args[[nm]] <- dflt[[nm]]
  do.call(graphics::plot, args)
  if (identical(args$xaxt, "n")) graphics::axis(1, at = t)
  graphics::abline(h = 1, lty = 2, col = "grey40")
  if (labels && length(y))
    graphics::text(t, y, labels = formatC(y, format = "f", digits = 2),
                   pos = 3, cex = 0.8)
  invisible(x)
}
