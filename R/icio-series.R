# Tables over years: a list of icio tables keyed by year, and the value-chain
# measures of every year in one long data frame.

new_icio_series <- function(tabs) {
  yrs <- vapply(tabs, function(t) if (is.null(t$year)) NA_character_ else as.character(t$year), "")
  if (anyNA(yrs))
    stop_arg("year", "is needed: no year could be read from ",
             sum(is.na(yrs)), " of the tables (give `year =` labels)")
  if (anyDuplicated(yrs))
    stop_arg("year", "labels must differ between tables; repeated: ",
             paste0('"', unique(yrs[duplicated(yrs)]), '"', collapse = ", "))
  names(tabs) <- yrs
  structure(tabs, class = "icio_series")
}

#' Tables over years
#'
#' [read_icio()] on several files returns an `icio_series`, a list of
#' [icio()] tables named by year. `icio_series()` builds one from tables
#' already in memory. [gvc_index()] and [gvc_decompose()] on a series
#' compute every year and return one long data frame with a `year` column
#' first; [plot.gvc_index_series()] draws it.
#'
#' @param ... `icio` tables, or one list of them.
#' @param year Year labels, one per table (default: the tables' `year`
#'   elements, as set by [read_icio()]).
#' @return An object of class `icio_series`.
#' @examples
#' s <- icio_series(icio_example, icio_example, year = c(2019, 2020))
#' s
#' @export
icio_series <- function(..., year = NULL) {
  tabs <- list(...)
  if (length(tabs) == 1L && is.list(tabs[[1L]]) && !inherits(tabs[[1L]], "icio"))
    tabs <- unclass(tabs[[1L]])
  ok <- vapply(tabs, inherits, TRUE, "icio")
  if (!length(tabs) || !all(ok))
    stop_arg("...", "must be `icio` tables (or one list of them); element ",
             which(!ok)[1L], " is ", describe(tabs[[which(!ok)[1L]]]))
  if (!is.null(year)) {
    if (length(year) != length(tabs))
      stop_arg("year", sprintf("must give one label per table (%d), not %d",
                               length(tabs), length(year)))
    for (i in seq_along(tabs)) tabs[[i]]$year <- as.character(year[i])
  }
  new_icio_series(unname(tabs))
}

#' @export
print.icio_series <- function(x, ...) {
  if (!length(x)) {
    cat("<icio_series> empty: no tables\n")
    return(invisible(x))
  }
  t1 <- x[[1L]]
  cat(sprintf("<icio_series> %d tables (%s), first: %d countries x %d sectors\n",
              length(x), paste(utils::head(names(x), 8L), collapse = ", "), t1$G, t1$N))
  if (length(x) > 8L) cat("...\n")
  invisible(x)
}

#' @export
`[.icio_series` <- function(x, i) {
  structure(unclass(x)[i], class = "icio_series")
}

series_years <- function(x) {
  y <- names(x)
  if (!anyNA(suppressWarnings(as.numeric(y)))) as.numeric(y) else y
}

#' @rdname gvc_index
#' @export
gvc_index.icio_series <- function(x, ...) {
  res <- lapply(x, gvc_index, ...)
  yrs <- series_years(x)
  df <- do.call(rbind, Map(function(r, y) cbind(year = rep(y, nrow(r)), as.data.frame(r)),
                           res, yrs))
  rownames(df) <- NULL
  structure(df, iv = attr(res[[1L]], "iv"), level = attr(res[[1L]], "level"),
            class = c("gvc_index_series", "gvc_index", "data.frame"))
}

# gvc_decompose() on a series: the terms of every year, stacked.
gvc_decompose_series <- function(x, ...) {
  res <- lapply(x, function(t) gvc_decompose(t, ...))
  yrs <- series_years(x)
  df <- do.call(rbind, Map(function(r, y) cbind(year = rep(y, nrow(r$terms)), r$terms),
                           res, yrs))
  rownames(df) <- NULL
  attr(df, "method") <- res[[1L]]$method
  attr(df, "level") <- res[[1L]]$level
  df
}

#' @export
as.data.frame.gvc_index_series <- function(x, ...) {
  attr(x, "iv") <- NULL
  attr(x, "level") <- NULL
  class(x) <- "data.frame"
  x
}

#' @export
print.gvc_index_series <- function(x, digits = 4L, ...) {
  yrs <- unique(x$year)
  cat(sprintf("<gvc_index_series> KPWW (2010) GVC participation and position, %s level, %d years (%s)\n",
              attr(x, "level"), length(yrs),
              paste(range(yrs), collapse = "-")))
  cat(iv_label(attr(x, "iv"), attr(x, "level")), "\n")
  df <- as.data.frame(x)
  print(utils::head(df, 20L), digits = digits, row.names = FALSE)
  if (nrow(df) > 20L) cat(sprintf("... %d more rows\n", nrow(df) - 20L))
  invisible(x)
}

#' Plot value-chain indices over time
#'
#' For a [gvc_index()] result on an [icio_series()]: without `year`, two
#' line charts over the years, GVC participation (top) and position
#' (bottom, upstream above the zero line), one line per selected country
#' (or country-sector), the study's reading of a cluster's place in the
#' value chain; with `year`, the participation-position scatter of that
#' year (as [plot.gvc_index()]).
#'
#' @param x A `gvc_index_series` from `gvc_index()` on an `icio_series`.
#' @param country Country codes to draw (default: all, at most 8).
#' @param sector For sector-level indices: the sector(s) to draw.
#' @param year `NULL` for the lines over time, or one year for the scatter.
#' @param ... Passed to [graphics::matplot()] (or to [plot.gvc_index()]).
#' @return `x`, invisibly.
#' @examples
#' s <- icio_series(icio_example, icio_example, year = c(2019, 2020))
#' gi <- gvc_index(s, level = "sector")
#' plot(gi, country = "CHN", sector = "MAN")
#' plot(gi, year = 2020)
#' @export
plot.gvc_index_series <- function(x, country = NULL, sector = NULL, year = NULL, ...) {
  df <- as.data.frame(x)
  if (!is.null(country)) {
    bad <- setdiff(country, df$country)
    if (length(bad)) stop_arg("country", "names codes not in the indices: ",
                              paste0('"', bad, '"', collapse = ", "))
    df <- df[df$country %in% country, , drop = FALSE]
  }
  if (!is.null(sector)) {
    if (is.null(df$sector)) stop_arg("sector", "needs sector-level indices (level = \"sector\")")
    bad <- setdiff(sector, df$sector)
    if (length(bad)) stop_arg("sector", "names codes not in the indices: ",
                              paste0('"', bad, '"', collapse = ", "))
    df <- df[df$sector %in% sector, , drop = FALSE]
  }
  if (!is.null(year)) {
    if (length(year) != 1L || !year %in% df$year)
      stop_arg("year", "must be one of the years of `x`: ",
               paste(unique(df$year), collapse = ", "))
    one <- df[df$year == year, setdiff(names(df), "year"), drop = FALSE]
    one <- structure(one, iv = attr(x, "iv"), level = attr(x, "level"),
                     class = c("gvc_index", "data.frame"))
    plot.gvc_index(one, ...)
    graphics::title(sub = paste("year", year))
    return(invisible(x))
  }
  id <- if (!is.null(df$sector)) paste(df$country, df$sector, sep = ".") else df$country
  ids <- unique(id)
  if (length(ids) > 8L) {
    if (is.null(country))
      stop_arg("country", sprintf("must choose what to draw: %d series are too many for one chart (at most 8)",
                                  length(ids)))
    stop_arg("sector", sprintf("must choose what to draw: %d series are too many for one chart (at most 8)",
                               length(ids)))
  }
  yrs <- sort(unique(df$year))
  wide <- function(v) {
    m <- matrix(NA_real_, length(yrs), length(ids))
    m[cbind(match(df$year, yrs), match(id, ids))] <- df[[v]]
    m
  }
  xs <- if (is.numeric(yrs)) yrs else seq_along(yrs)
  cols <- grDevices::hcl.colors(max(2L, length(ids)), "Dark 3")[seq_along(ids)]
  op <- graphics::par(mfrow = c(2L, 1L), mar = c(2.5, 4.2, 2, 1), oma = c(1.5, 0, 0, 0))
  on.exit(graphics::par(op))
  part <- wide("participation")
  rp <- range(part, na.rm = TRUE)
  if (!all(is.finite(rp))) rp <- c(0, 1)
  rp[2L] <- rp[2L] + 0.35 * max(diff(rp), 0.01)     # room for the legend
  graphics::matplot(xs, part, type = "o", pch = 19, lty = 1, col = cols, ylim = rp,
                    xlab = "", ylab = "GVC participation", xaxt = "n",
                    main = sprintf("GVC participation and position (IV: %s)", attr(x, "iv")), ...)
  graphics::axis(1, at = xs, labels = yrs)
  graphics::legend("top", legend = ids, col = cols, lty = 1, pch = 19, bty = "n", cex = 0.8,
                   ncol = min(4L, length(ids)))
  pos <- wide("position")
  graphics::matplot(xs, pos, type = "o", pch = 19, lty = 1, col = cols, xaxt = "n",
                    xlab = "", ylab = "GVC position", ylim = range(c(0, pos), na.rm = TRUE), ...)
  graphics::axis(1, at = xs, labels = yrs)
  graphics::abline(h = 0, lty = 2, col = "grey50")
  graphics::mtext("upstream", side = 4, line = 0, adj = 1, cex = 0.7, col = "grey40")
  graphics::mtext("downstream", side = 4, line = 0, adj = 0, cex = 0.7, col = "grey40")
  graphics::mtext("year", side = 1, outer = TRUE, line = 0.3)
  invisible(x)
}
