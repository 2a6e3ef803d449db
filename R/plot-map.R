# Choropleth maps in base graphics over an sf polygon layer.

# The usual LISA colours: high-high red, low-low blue, high-low pink,
# low-high light blue; not significant grey.
lisa_colours <- c("High-High" = "#D7191C", "Low-Low" = "#2C7BB6",
                  "High-Low" = "#F4A6B7", "Low-High" = "#9ECAE1")
lisa_grey <- "#D9D9D9"

#' Choropleth maps of LQs, clusters and hot spots
#'
#' Draws a base-graphics choropleth of a table over an sf polygon layer: an
#' LQ table, a cluster strength table, a [local_moran()] result (the LISA
#' map), a [getis_ord()] result (the hot-spot map) or any numeric or
#' categorical column.
#'
#' Rows of `x` are joined to the polygons of `shapes` by the key columns
#' `by` names; without `by`, by position when the numbers of rows and
#' polygons agree (a result computed from weights built on `shapes` is in
#' the polygons' order). A key of `x` that matches no polygon is an error;
#' polygons without a row are drawn as "no data".
#'
#' What is drawn depends on `value`:
#' * `"quadrant"` (the default for a `local_moran` result): the LISA
#'   quadrants in the usual colours (high-high red, low-low blue, high-low
#'   pink, low-high light blue) where the region is significant at `alpha`,
#'   grey where it is not. The p-value used is the first of `p_sim_adjusted`,
#'   `p_adjusted`, `p_sim`, `p` that `x` has (or the column `p_value` names).
#' * the `z` of a `getis_ord` result (its default): hot and cold spots at
#'   the 90%, 95% and 99% levels (|z| above 1.645, 1.960, 2.576), reds and
#'   blues, grey between.
#' * any other numeric column (`lq` by default when `x` has one): classes
#'   from `breaks` (quantiles by default) in a sequential palette, with a
#'   classed legend.
#' * a factor, character or logical column: one colour per category.
#'
#' @param x A data frame (an LQ table, a strength table, a `local_moran` or
#'   `getis_ord` result, any table with a column to map) or a numeric vector
#'   (one value per polygon, in their order).
#' @param shapes An sf polygon layer (class `sf`).
#' @param by Key column(s) joining `x` to `shapes`: a character vector of
#'   column names present in both, or named (`c(region = "FIPS")`: the names
#'   are columns of `x`, the values columns of `shapes`). `NULL` (the
#'   default) matches by position.
#' @param value The column of `x` to map (see Details for the defaults).
#' @param breaks For a numeric column: the number of quantile classes (5 by
#'   default) or a vector of class boundaries.
#' @param alpha Significance level for the LISA map (0.05).
#' @param p_value For the LISA map: the column of p-values to compare with
#'   `alpha` (see Details for the default).
#' @param palette For a numeric column: a vector of colours, one per class,
#'   or the name of a [grDevices::hcl.colors()] palette (`"YlOrRd"`).
#' @param main Title (by default the mapped column's name).
#' @param legend Where the legend goes: `"right"` (the default) draws it in
#'   a panel to the right of the map; another keyword of [graphics::legend()]
#'   (`"bottomleft"`) draws it inside the map; `NULL` draws none.
#' @param border Colour of the polygons' borders.
#' @param ... Further arguments to sf's `plot()` method for geometries.
#' @return The joined values, invisibly: a data frame with one row per
#'   polygon, the mapped `value`, its `class` label and `colour`.
#' @seealso [local_moran()], [getis_ord()], [spatial_weights()].
#' @examples
#' if (requireNamespace("sf", quietly = TRUE)) {
#'   nc <- sf::st_read(system.file("shape/nc.shp", package = "sf"), quiet = TRUE)
#'   rate <- nc$SID79 / nc$BIR79 * 1000
#'   plot_map(rate, nc, main = "SIDS per 1,000 births, 1979-84")
#'   lisa <- local_moran(rate, nc)
#'   plot_map(lisa, nc)
#'   plot_map(getis_ord(rate, nc), nc)
#' }
#' @export
plot_map <- function(x, shapes, by = NULL, value = NULL, breaks = 5, alpha = 0.05,
                     p_value = NULL, palette = "YlOrRd", main = NULL,
                     legend = "right", border = "grey40", ...) {
  if (!requireNamespace("sf", quietly = TRUE))
    stop("plot_map() needs the sf package to draw polygons: install.packages(\"sf\") ",
         "(on Debian or Ubuntu: apt-get install r-cran-sf)", call. = FALSE)
  if (!inherits(shapes, "sf"))
    stop_arg("shapes", "must be an sf polygon layer (class sf), not ", describe(shapes))
  if (is.numeric(x) && is.null(dim(x))) {
    x <- data.frame(value = as.double(x))
    if (is.null(value)) value <- "value"
  }
  if (!is.data.frame(x))
    stop_arg("x", "must be a data frame or a numeric vector, not ", describe(x))
  value <- map_value_column(x, value)
  idx <- map_join(x, shapes, by)
  v <- x[[value]][idx]
  kind <- if (identical(value, "quadrant")) "lisa"
          else if (inherits(x, "getis_ord") && identical(value, "z")) "hotspot"
          else if (is.numeric(v) && !is.factor(v)) "numeric" else "category"
  cls <- switch(kind,
                lisa = map_lisa(x, idx, alpha, p_value),
                hotspot = map_hotspot(v),
                numeric = map_numeric(v, breaks, palette),
                category = map_category(v))
  colour <- cls$colours[as.integer(cls$class)]
  nodata <- is.na(colour)
  colour[nodata] <- "white"
  if (is.null(main))
    main <- switch(kind, lisa = "LISA clusters", hotspot = "Getis-Ord hot spots", value)
  labs <- levels(cls$class); fill <- cls$colours
  if (kind == "category" || kind == "lisa") {
    used <- seq_along(labs) %in% as.integer(cls$class)
    labs <- labs[used]; fill <- fill[used]
  }
  if (any(nodata)) { labs <- c(labs, "no data"); fill <- c(fill, "white") }
  side <- identical(legend, "right")
  op <- graphics::par(no.readonly = TRUE)
  on.exit({ if (side) graphics::layout(1); graphics::par(op) }, add = TRUE)
  if (side) graphics::layout(matrix(1:2, 1L), widths = c(3.2, 1))
  # narrow margins: a map has no axes, and sf keeps its aspect ratio
  graphics::par(mar = c(0.2, 0.2, if (nzchar(main)) 1.6 else 0.2, 0.2))
  graphics::plot(sf::st_geometry(shapes), col = colour, border = border, main = main, ...)
  if (!is.null(legend)) {
    if (side) {
      graphics::par(mar = c(0, 0, 0, 0))
      graphics::plot.new()
      legend <- "left"
    }
    graphics::legend(legend, legend = labs, fill = fill, border = "grey40",
                     bty = "n", cex = 0.8, title = cls$title, title.adj = 0)
  }
  invisible(data.frame(value = v, class = cls$class, colour = colour,
                       stringsAsFactors = FALSE))
}

map_value_column <- function(x, value) {
  if (is.null(value)) {
    value <- if (inherits(x, "local_moran")) "quadrant"
             else if (inherits(x, "getis_ord")) "z"
             else if ("lq" %in% names(x)) "lq"
             else {
               num <- names(x)[vapply(x, function(v) is.numeric(v) && !is.factor(v), TRUE)]
               if (!length(num)) stop_arg("value", "must name the column of `x` to map (`x` has no numeric column)")
               num[1L]
             }
  }
  check_string(value, "value")
  check_column(x, value, "value")
  value
}

# For each polygon of shapes, the row of x (NA for none).
map_join <- function(x, shapes, by) {
  np <- nrow(shapes)
  if (is.null(by)) {
    if (nrow(x) != np)
      stop_arg("by", "is needed: `x` has ", nrow(x), " rows and `shapes` ", np,
               " polygons, so rows cannot be matched by position; give the key column(s), ",
               "e.g. `by = c(", map_guess_key(x), " = \"", map_guess_key(shapes), "\")`")
    return(seq_len(np))
  }
  if (!is.character(by) || !length(by) || anyNA(by))
    stop_arg("by", "must name key column(s) of `x` and `shapes`")
  bx <- if (is.null(names(by))) by else ifelse(nzchar(names(by)), names(by), by)
  bs <- unname(by)
  check_column(x, bx, "by", "x")
  miss <- setdiff(bs, names(shapes))
  if (length(miss))
    stop_arg("by", "names column(s) not in `shapes`: ", paste0('"', miss, '"', collapse = ", "))
  kx <- do.call(paste, c(lapply(bx, function(b) as.character(x[[b]])), sep = "\r"))
  ks <- do.call(paste, c(lapply(bs, function(b) as.character(shapes[[b]])), sep = "\r"))
  dup <- anyDuplicated(kx)
  if (dup)
    stop_arg("x", "has several rows for the key ", sub("\r", " / ", kx[dup], fixed = TRUE),
             " of `by`; keep one row per polygon (one industry, one period) before mapping")
  unknown <- unique(kx[!kx %in% ks])
  if (length(unknown))
    stop_arg("by", "leaves ", length(unknown), " key(s) of `x` without a polygon in `shapes`: ",
             sw_names(gsub("\r", " / ", unknown, fixed = TRUE)))
  match(ks, kx)
}

# A likely key column of a table: its first character or factor column.
map_guess_key <- function(d) {
  d <- as.data.frame(d)
  chr <- names(d)[vapply(d, function(v) is.character(v) || is.factor(v), TRUE)]
  if (length(chr)) chr[1L] else names(d)[1L]
}

map_lisa <- function(x, idx, alpha, p_value) {
  check_level(alpha, "alpha")
  if (is.null(p_value)) {
    cand <- c("p_sim_adjusted", "p_adjusted", "p_sim", "p")
    p_value <- cand[cand %in% names(x)][1L]
    if (is.na(p_value)) stop_arg("p_value", "must name the column of p-values of `x`")
  }
  check_string(p_value, "p_value")
  pv <- numeric_column(x, p_value, "p_value")[idx]
  q <- as.character(x$quadrant)[idx]
  lab <- ifelse(!is.na(pv) & pv <= alpha & !is.na(q), q, "Not significant")
  lab[is.na(q)] <- NA
  levs <- c(names(lisa_colours), "Not significant")
  list(class = factor(lab, levels = levs), colours = c(unname(lisa_colours), lisa_grey),
       title = sprintf("%s <= %g", p_value, alpha))
}

map_hotspot <- function(z) {
  cuts <- c(-Inf, -2.576, -1.960, -1.645, 1.645, 1.960, 2.576, Inf)
  levs <- c("Cold spot 99%", "Cold spot 95%", "Cold spot 90%", "Not significant",
            "Hot spot 90%", "Hot spot 95%", "Hot spot 99%")
  list(class = cut(z, cuts, labels = levs), colours = c("#2166AC", "#67A9CF", "#D1E5F0",
       lisa_grey, "#FDDBC7", "#EF8A62", "#B2182B"), title = "Getis-Ord z")
}

map_numeric <- function(v, breaks, palette) {
  fin <- v[is.finite(v)]
  if (!length(fin)) stop_arg("value", "has no finite values to map")
  if (!is.numeric(breaks) || anyNA(breaks) || !length(breaks))
    stop_arg("breaks", "must be a number of classes or a vector of class boundaries")
  br <- if (length(breaks) == 1L) {
    k <- check_count(breaks, "breaks", min = 1, max = 12)
    unique(stats::quantile(fin, seq(0, 1, length.out = k + 1L), names = FALSE, type = 7))
  } else sort(unique(as.double(breaks)))
  if (length(br) < 2L) br <- c(min(fin), max(fin) + 1)
  br[1L] <- min(br[1L], min(fin)); br[length(br)] <- max(br[length(br)], max(fin))
  nk <- length(br) - 1L
  lab <- sprintf("%s - %s", format_num(br[-length(br)]), format_num(br[-1L]))
  cols <- if (length(palette) == 1L && !palette %in% grDevices::colors())
    grDevices::hcl.colors(max(nk, 2L), palette, rev = TRUE)[seq_len(nk)]
  else rep_len(palette, nk)
  list(class = cut(v, br, labels = lab, include.lowest = TRUE), colours = cols, title = NULL)
}

format_num <- function(v) trimws(formatC(signif(v, 3), format = "fg", digits = 3, big.mark = ","))

map_category <- function(v) {
  f <- if (is.factor(v)) droplevels(v) else factor(v)
  k <- nlevels(f)
  cols <- if (k <= 8L) grDevices::palette.colors(k + 1L, "Okabe-Ito")[-1L]
          else grDevices::hcl.colors(k, "Dynamic")
  list(class = f, colours = unname(cols), title = NULL)
}
