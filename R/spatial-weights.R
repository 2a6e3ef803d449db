# Spatial weights: one row-compressed structure built once (row pointers,
# 0-based column indices, weights), read by every spatial statistic.

#' Spatial weights from polygons, neighbour lists or matrices
#'
#' Builds the neighbours and weights that [global_moran()], [local_moran()]
#' and [getis_ord()] use, once, as a sparse row-compressed structure.
#'
#' * An **sf polygon layer** (or its geometry column): contiguity neighbours
#'   computed in C from the polygons' boundary points, equal to
#'   `spdep::poly2nb()` with its defaults: two polygons are neighbours when
#'   at least one (`queen = TRUE`) or at least two (`queen = FALSE`, rook)
#'   pairs of their boundary points lie within `snap` of each other. The
#'   layer's geometry is read as plain lists, so sf need not be loaded.
#' * An spdep **`nb`** (a list of integer vectors, `0L` for no neighbours) or
#'   **`listw`** object, read as plain lists without spdep. A `listw` keeps
#'   its own weights and style unless `style` is given.
#' * A **square matrix**, dense or a `Matrix::dgCMatrix`: its non-zero
#'   entries are the links and their values the weights.
#'
#' @param x An sf polygon layer (`sf` or `sfc`), an `nb` or `listw` object,
#'   a square numeric matrix or `dgCMatrix`, or a `spatial_weights` object
#'   (returned as it is).
#' @param style `"W"` (the default) divides each region's weights by their
#'   sum (row standardisation); `"B"` gives every link the weight 1. `NULL`
#'   means `"W"`, except for a `listw`, whose weights are then kept as given.
#' @param queen For polygons: `TRUE` (queen contiguity: one shared boundary
#'   point suffices) or `FALSE` (rook: at least two).
#' @param zero.policy `FALSE` (the default) makes regions without neighbours
#'   an error that names them; `TRUE` keeps them, with zero weights (as
#'   spdep's `zero.policy = TRUE`).
#' @param snap For polygons: the distance within which two boundary points
#'   count as shared (`spdep::poly2nb()`'s default).
#' @param region For an sf layer: the name of a column holding the regions'
#'   names (by default the layer's row names, as `spdep::poly2nb()` uses).
#' @param ... Unused; must be empty.
#' @return An object of class `spatial_weights`: a list with `p` (row
#'   pointers, `n + 1` offsets from 0), `j` (0-based column indices), `x`
#'   (the weights), `raw` (the weights before standardisation), `style`,
#'   `regions` (names), `neighbours` (a list of 1-based neighbour indices,
#'   `integer(0)` for a region without neighbours), `islands` (names of the
#'   regions without neighbours) and `zero.policy`. `as.matrix()` gives the
#'   dense matrix, `summary()` counts links, neighbours and islands.
#' @seealso [global_moran()], [local_moran()], [getis_ord()], [plot_map()].
#' @examples
#' # a 3 x 3 grid of cells as a binary contiguity (rook) matrix
#' cell <- expand.grid(col = 1:3, row = 1:3)
#' m <- outer(seq_len(9), seq_len(9), function(a, b)
#'   as.numeric(abs(cell$col[a] - cell$col[b]) + abs(cell$row[a] - cell$row[b]) == 1))
#' w <- spatial_weights(m)
#' w
#' summary(w)
#' round(as.matrix(w)[1:3, 1:4], 3)
#'
#' if (requireNamespace("sf", quietly = TRUE)) {
#'   nc <- sf::st_read(system.file("shape/nc.shp", package = "sf"), quiet = TRUE)
#'   summary(spatial_weights(nc, region = "FIPS"))
#' }
#' @export
spatial_weights <- function(x, style = NULL, queen = TRUE, zero.policy = FALSE,
                            snap = sqrt(.Machine$double.eps), region = NULL, ...) {
  check_dots(...)
  sw_build(x, style = style, queen = queen, zero.policy = zero.policy,
           snap = snap, region = region, arg = "x")
}

# The work of spatial_weights(), with the name of the argument that holds
# `x` for the messages (`weights` when a statistic builds the weights).
sw_build <- function(x, style = NULL, queen = TRUE, zero.policy = FALSE,
                     snap = sqrt(.Machine$double.eps), region = NULL, arg = "x") {
  check_flag(zero.policy, "zero.policy")
  if (!is.null(style)) style <- sw_style(style)
  if (inherits(x, "spatial_weights")) {
    # zero.policy = TRUE lets a statistic drop regions (na.rm) even when
    # that leaves some without neighbours
    if (zero.policy) x$zero.policy <- TRUE
    if (!is.null(style) && !identical(style, x$style))
      x <- sw_new(x$neighbours, x$raw, style, x$regions, x$zero.policy, arg)
    return(x)
  }
  if (inherits(x, c("sf", "sfc"))) {
    check_flag(queen, "queen")
    if (!is.numeric(snap) || length(snap) != 1L || is.na(snap) || !is.finite(snap))
      stop_arg("snap", "must be a single finite number")
    parts <- sw_from_sf(x, abs(as.double(snap)), queen, region, arg)
  } else if (inherits(x, "listw")) {
    parts <- sw_from_listw(x, arg)
    if (is.null(style)) style <- parts$style
  } else if (inherits(x, "nb")) {
    parts <- sw_from_nb(x, arg)
  } else if (is.matrix(x) || inherits(x, "Matrix")) {
    parts <- sw_from_matrix(x, arg)
  } else {
    stop_arg(arg, "must be an sf polygon layer, an nb or listw object, a square ",
             "matrix or a spatial_weights object, not ", describe(x))
  }
  if (is.null(style)) style <- "W"
  sw_new(parts$neighbours, parts$raw, style, parts$regions, zero.policy, arg)
}

sw_style <- function(style) {
  if (!is.character(style) || length(style) != 1L || is.na(style) ||
      !style %in% c("W", "B"))
    stop_arg("style", "must be \"W\" (row-standardised) or \"B\" (binary)",
             if (is.character(style) && length(style) == 1L) paste0(", not \"", style, "\""))
  style
}

# The object from neighbour lists and their raw weights. `style` "W" and
# "B" are computed; any other (a listw's own, such as "C" or "U") keeps the
# raw weights as they are.
sw_new <- function(neighbours, raw, style, regions, zero.policy, arg) {
  n <- length(neighbours)
  card <- lengths(neighbours)
  islands <- regions[card == 0L]
  if (length(islands) && !zero.policy)
    stop_arg(arg, "leaves ", length(islands), " region(s) without neighbours: ",
             sw_names(islands), "; pass `zero.policy = TRUE` to keep them with zero weights")
  rawv <- as.double(unlist(raw, use.names = FALSE))
  rowid <- rep.int(seq_len(n), card)
  w <- switch(style,
              W = { s <- vapply(raw, sum, 0)
                    if (any(s[card > 0L] <= 0))
                      stop_arg(arg, "has regions whose weights sum to zero: ",
                               sw_names(regions[card > 0L & s <= 0]),
                               "; row standardisation (`style = \"W\"`) needs a positive sum")
                    rawv / s[rowid] },
              B = rep(1, length(rawv)),
              rawv)
  structure(list(p = c(0L, cumsum(card)), j = as.integer(unlist(neighbours, use.names = FALSE)) - 1L,
                 x = w, raw = rawv, style = style, regions = regions,
                 neighbours = neighbours, islands = islands, zero.policy = zero.policy),
            class = "spatial_weights")
}

# Region names in messages: quoted, the first ten.
sw_names <- function(x) {
  s <- paste0('"', utils::head(x, 10L), '"', collapse = ", ")
  if (length(x) > 10L) paste0(s, " and ", length(x) - 10L, " more") else s
}

# -- readers -----------------------------------------------------------------

sw_from_sf <- function(x, snap, queen, region, arg) {
  if (inherits(x, "sf")) {
    geom <- x[[attr(x, "sf_column")]]
    regions <- if (is.null(region)) row.names(x) else {
      check_string(region, "region")
      check_column(x, region, "region", arg)
      as.character(x[[region]])
    }
  } else {
    geom <- x
    regions <- if (!is.null(names(geom))) names(geom) else as.character(seq_along(geom))
  }
  if (!length(geom)) stop_arg(arg, "has no polygons")
  type <- vapply(geom, function(g) class(g)[2L], "")
  bad <- which(!type %in% c("POLYGON", "MULTIPOLYGON"))
  if (length(bad))
    stop_arg(arg, "must hold polygons; feature ", bad[1L], " is a ", type[bad[1L]],
             if (length(bad) > 1L) paste0(" (", length(bad), " non-polygon features)"))
  empty <- which(lengths(geom) == 0L)
  if (length(empty))
    stop_arg(arg, "has ", length(empty), " empty geometries (the first is feature ",
             empty[1L], ")")
  if (anyNA(regions) || anyDuplicated(regions))
    stop_arg(if (is.null(region)) arg else "region",
             "must give each polygon a distinct, non-missing name")
  nb <- .Call(ffi_spatial_contiguity, unclass(geom), snap, queen)
  neighbours <- sw_split(nb$j, nb$p, length(geom))
  list(neighbours = neighbours, raw = lapply(neighbours, function(v) rep(1, length(v))),
       regions = regions)
}

sw_split <- function(j, p, n) {
  card <- diff(p)
  out <- split(as.integer(j), factor(rep.int(seq_len(n), card), levels = seq_len(n)))
  names(out) <- NULL
  out
}

sw_check_nb <- function(nb, arg, what = "") {
  n <- length(nb)
  ok <- vapply(nb, function(v) is.numeric(v) && !anyNA(v), TRUE)
  if (!all(ok))
    stop_arg(arg, what, "must be a list of integer neighbour indices; element ",
             which(!ok)[1L], " is not")
  nb <- lapply(nb, function(v) { v <- as.integer(v); v[v != 0L] })
  for (i in seq_len(n)) {
    v <- nb[[i]]
    if (length(v) && (any(v < 1L | v > n) || any(v == i) || anyDuplicated(v)))
      stop_arg(arg, what, "has bad neighbours for region ", i,
               " (indices must lie in 1..", n, ", be distinct and differ from the region's own)")
  }
  nb
}

sw_regions <- function(ids, n) {
  if (is.null(ids)) return(as.character(seq_len(n)))
  ids <- as.character(ids)
  if (length(ids) != n || anyNA(ids) || anyDuplicated(ids)) return(as.character(seq_len(n)))
  ids
}

sw_from_nb <- function(x, arg) {
  nb <- sw_check_nb(unclass(x), arg)
  list(neighbours = nb, raw = lapply(nb, function(v) rep(1, length(v))),
       regions = sw_regions(attr(x, "region.id"), length(nb)))
}

sw_from_listw <- function(x, arg) {
  if (!is.list(x$neighbours) || !is.list(x$weights) ||
      length(x$neighbours) != length(x$weights))
    stop_arg(arg, "must be a listw object with `neighbours` and `weights` of equal length")
  nb <- sw_check_nb(unclass(x$neighbours), arg, "'s `neighbours` ")
  raw <- lapply(x$weights, as.double)
  if (!identical(lengths(nb), lengths(raw)))
    stop_arg(arg, "has `weights` whose lengths differ from its `neighbours`")
  v <- unlist(raw, use.names = FALSE)
  if (anyNA(v) || any(!is.finite(v))) stop_arg(arg, "has missing or infinite weights")
  if (any(v < 0)) stop_arg(arg, "must not contain negative weights (", sum(v < 0), " found)")
  ids <- attr(x, "region.id")
  if (is.null(ids)) ids <- attr(x$neighbours, "region.id")
  style <- if (is.character(x$style) && length(x$style) == 1L && !is.na(x$style)) x$style else "asis"
  list(neighbours = nb, raw = raw, regions = sw_regions(ids, length(nb)), style = style)
}

sw_from_matrix <- function(x, arg) {
  if (length(dim(x)) != 2L || nrow(x) != ncol(x))
    stop_arg(arg, "must be a square matrix, not ", nrow(x), " x ", ncol(x))
  n <- nrow(x)
  dn <- dimnames(x)
  if (inherits(x, "Matrix")) {
    t <- methods::as(methods::as(x, "CsparseMatrix"), "TsparseMatrix")
    i <- t@i + 1L; jj <- t@j + 1L
    v <- if (methods::.hasSlot(t, "x")) as.double(t@x) else rep(1, length(i))
  } else {
    if (!(is.numeric(x) || is.logical(x))) stop_arg(arg, "must be a numeric matrix, not ", describe(x))
    if (anyNA(x)) stop_arg(arg, "must not contain missing values")
    nz <- which(x != 0, arr.ind = TRUE)
    i <- nz[, 1L]; jj <- nz[, 2L]
    v <- as.double(x[nz])
  }
  if (anyNA(v) || any(!is.finite(v))) stop_arg(arg, "must not contain missing or infinite weights")
  if (any(v < 0)) stop_arg(arg, "must not contain negative weights (", sum(v < 0), " found)")
  keep <- v != 0
  i <- i[keep]; jj <- jj[keep]; v <- v[keep]
  if (any(i == jj))
    stop_arg(arg, "must have a zero diagonal (region ", i[i == jj][1L],
             " is its own neighbour)")
  o <- order(i, jj)
  i <- i[o]; jj <- jj[o]; v <- v[o]
  f <- factor(i, levels = seq_len(n))
  nb <- unname(split(as.integer(jj), f))
  raw <- unname(split(v, f))
  ids <- if (!is.null(dn[[1L]])) dn[[1L]] else dn[[2L]]
  list(neighbours = nb, raw = raw, regions = sw_regions(ids, n))
}

# -- methods -----------------------------------------------------------------

#' @rdname spatial_weights
#' @export
as.matrix.spatial_weights <- function(x, ...) {
  n <- length(x$neighbours)
  m <- matrix(0, n, n, dimnames = list(x$regions, x$regions))
  m[cbind(rep.int(seq_len(n), diff(x$p)), x$j + 1L)] <- x$x
  m
}

#' @export
print.spatial_weights <- function(x, ...) {
  n <- length(x$neighbours)
  cat(sprintf("<spatial_weights> %d regions, %d links, style \"%s\"\n", n,
              length(x$j), x$style))
  if (length(x$islands))
    cat(sprintf("%d region(s) without neighbours: %s\n", length(x$islands),
                sw_names(x$islands)))
  invisible(x)
}

#' @rdname spatial_weights
#' @param object A `spatial_weights` object.
#' @export
summary.spatial_weights <- function(object, ...) {
  card <- lengths(object$neighbours)
  n <- length(card)
  out <- list(n = n, links = length(object$j),
              percent_nonzero = if (n) 100 * length(object$j) / n^2 else NA_real_,
              mean_neighbours = if (n) mean(card) else NA_real_,
              neighbours = table(factor(card, levels = seq(0L, max(c(0L, card))))),
              islands = object$islands, style = object$style,
              symmetric = sw_is_symmetric(object))
  class(out) <- "summary.spatial_weights"
  out
}

sw_is_symmetric <- function(w) {
  n <- length(w$neighbours)
  i <- rep.int(seq_len(n), diff(w$p)); j <- w$j + 1L
  a <- paste(i, j); b <- paste(j, i)
  all(b %in% a)
}

#' @export
print.summary.spatial_weights <- function(x, ...) {
  cat(sprintf("Spatial weights: %d regions, %d links (%.4g%% of all pairs), style \"%s\"\n",
              x$n, x$links, x$percent_nonzero, x$style))
  cat(sprintf("Mean number of neighbours: %.4g; links %s\n", x$mean_neighbours,
              if (x$symmetric) "symmetric" else "not symmetric"))
  cat("Regions by number of neighbours:\n")
  print(stats::setNames(as.vector(x$neighbours), names(x$neighbours)))
  if (length(x$islands))
    cat(sprintf("%d region(s) without neighbours: %s\n", length(x$islands),
                sw_names(x$islands)))
  else cat("No region without neighbours\n")
  invisible(x)
}

# -- shared by the statistics ------------------------------------------------

# The weights a statistic uses: `weights` as given (any form spatial_weights()
# reads, built with `wargs`), checked against the length of `x`.
sw_for <- function(weights, n, wargs = list()) {
  if (missing(weights) || is.null(weights)) stop_arg("weights", "is missing")
  known <- c("style", "queen", "zero.policy", "snap", "region")
  nm <- names(wargs)
  if (length(wargs) && (is.null(nm) || !all(nm %in% known))) {
    bad <- if (is.null(nm)) rep("", length(wargs)) else nm
    bad <- ifelse(nzchar(bad), bad, "(unnamed)")[!bad %in% known]
    stop_arg("...", "has unknown argument(s) ", paste(bad, collapse = ", "),
             "; the arguments after `...` go to spatial_weights(): ",
             paste0("`", known, "`", collapse = ", "))
  }
  w <- do.call(sw_build, c(list(weights), wargs, list(arg = "weights")))
  nw <- length(w$neighbours)
  if (nw != n)
    stop_arg("x", "has ", n, " values but `weights` has ", nw, " regions")
  w
}

# The weights restricted to the regions `keep` (logical): links to dropped
# regions removed, styles "W" and "B" computed again.
sw_subset <- function(w, keep) {
  n <- length(w$neighbours)
  newid <- cumsum(keep); newid[!keep] <- 0L
  rowid <- rep.int(seq_len(n), diff(w$p))
  nb <- vector("list", sum(keep)); raw <- nb
  ok <- keep[rowid] & keep[w$j + 1L]
  f <- factor(newid[rowid[ok]], levels = seq_len(sum(keep)))
  nb <- unname(split(newid[w$j[ok] + 1L], f))
  raw <- unname(split(w$raw[ok], f))
  sw_new(nb, raw, w$style, w$regions[keep], w$zero.policy, "weights")
}

# `x` for a statistic: numeric, finite, one value per region; NA an error
# unless na.rm, which drops those regions and their links (with a message).
sw_data <- function(x, weights, na.rm, wargs) {
  x <- check_numeric(x, "x")
  if (!is.null(dim(x)) && !(length(dim(x)) == 2L && min(dim(x)) == 1L))
    stop_arg("x", "must be a numeric vector, not ", describe(x))
  x <- as.vector(x)
  check_nonfinite(x, "x")
  check_flag(na.rm, "na.rm")
  w <- sw_for(weights, length(x), wargs)
  miss <- is.na(x)
  regions <- w$regions
  if (any(miss)) {
    if (!na.rm)
      stop_arg("x", "has ", sum(miss), " missing value(s) (region(s) ",
               sw_names(w$regions[miss]), "); pass `na.rm = TRUE` to drop them and their links")
    message(sprintf("Dropped %d region(s) with missing values and their links%s", sum(miss),
                    if (w$style %in% c("W", "B")) paste0("; weights computed again (style \"", w$style, "\")") else ""))
    w <- sw_subset(w, !miss)
  }
  if (length(x) - sum(miss) < 2L)
    stop_arg("x", "must have at least 2 non-missing values (one per region)")
  list(x = x[!miss], w = w, keep = !miss, regions = regions)
}

sw_lag <- function(w, v) .Call(ffi_spatial_lag, w$p, w$j, w$x, as.double(v))

# Row sums of per-link values v (zero for a region without neighbours).
sw_rowsums <- function(w, v) {
  n <- length(w$p) - 1L
  out <- numeric(n)
  if (!length(v)) return(out)
  s <- rowsum(v, rep.int(seq_len(n), diff(w$p)), reorder = TRUE)
  out[as.integer(rownames(s))] <- s[, 1L]
  out
}

# x times the power of two that brings its largest magnitude into [0.5, 1):
# the statistics are invariant to the scale of x, and the scaling is exact,
# so values near 1e-300 or 1e300 neither underflow nor overflow in squares
# and fourth powers.
sw_scale <- function(x) {
  m <- max(abs(x))
  if (!is.finite(m) || m == 0) return(x)
  times_pow2(x, pow2_exponent(m))
}
