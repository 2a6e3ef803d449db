#' The cluster bubble chart
#'
#' Draws the bubble chart of regional economic development practice with
#' base graphics: one bubble per industry (or cluster) of a region, at its
#' location quotient (x) and its growth against the nation (y), with an area
#' proportional to its employment; dashed lines at LQ = 1 and zero growth
#' split the chart into four quadrants, named in their corners.
#'
#' @section Quadrants:
#' * **Stars** (LQ > 1, growing against the nation): specialised and gaining.
#' * **Emerging** (LQ < 1, growing): not (yet) specialised but gaining.
#' * **Mature / declining** (LQ > 1, not growing): specialised but losing
#'   ground.
#' * **Transforming** (LQ < 1, not growing): neither.
#'
#' @section Inputs:
#' * A long panel (`value`, `region`, `industry` and `time` columns, as for
#'   [lq()] and [shift_share()]) and the `focus` region: the bubbles are the
#'   region's industries, or its clusters when `groups` is a [clusters()]
#'   result or a cluster definition (a character vector of clusters named by
#'   industry), the values being summed over each cluster's industries. The
#'   first and last `time` values are compared. The x axis is the LQ in the
#'   last period (computed by [lq()] on the regions x industries table of
#'   each period); the y axis (`growth`) is
#'   - `"lq_change"`: the LQ in the last period minus that in the first;
#'   - `"relative_growth"`: the region's growth rate in the industry minus
#'     the nation's, in percentage points (`NA`, and not drawn, where the
#'     region had none of it at the start);
#'   - `"competitive"`: the shift-share competitive (regional shift) effect
#'     of the industry, \eqn{e^1_{rj} - e^0_{rj} E^1_j / E^0_j}, in the
#'     units of `value`; summed over the region's industries it is the
#'     `regional_shift` that [shift_share()] reports for the region.
#'
#'   Bubble areas are the region's values in the last period.
#' * A [shift_share()] result: the bubbles are its regions, the y axis their
#'   competitive effect (`competitive` for the Esteban-Marquillas method,
#'   otherwise `regional_shift`) as a percentage of their start value, the
#'   areas their end values, and the x axis the location quotients given in
#'   `lq` (a numeric vector named by region: say each region's LQ in the
#'   industry or cluster whose panel rows went into `shift_share()`).
#'
#' @section Labels:
#' The `labels` largest bubbles are labelled, largest first. Each label is
#' tried above its bubble, then below, right and left of it, and placed at
#' the first position where it overlaps no label placed before, covers the
#' centre of no other bubble to be labelled and stays in the plotting region
#' (a label that fits inside its bubble goes there first; the diagonals are
#' tried last). A label with no free position is left out rather than
#' overprinted: a message names those left out, and the returned table says
#' which were drawn. The procedure is deterministic. The axis limits are
#' chosen so that every bubble lies inside the frame whatever its size, and a
#' size legend in the right margin shows the areas of round values.
#'
#' @param x A long data frame (panel), a [shift_share()] result or a
#'   `clusters(rule = "uscmp")` result.
#' @param focus For a panel: the region whose industries are drawn.
#' @param value,region,industry,time For a panel: column names.
#' @param groups For a panel: `NULL`, a [clusters()] result or a cluster
#'   definition (see Inputs).
#' @param growth For a panel: `"lq_change"`, `"relative_growth"` or
#'   `"competitive"`.
#' @param lq For a [shift_share()] result: the regions' location quotients,
#'   a numeric vector named by region.
#' @param labels How many of the largest bubbles to label (default 10).
#' @param col Bubble colours: one per quadrant (stars, emerging, mature,
#'   transforming) or one for all.
#' @param inches The radius of the largest bubble, in inches (as for
#'   [graphics::symbols()]).
#' @param main,xlab,ylab Title and axis labels.
#' @param cex Size of the label text.
#' @param ... Further graphical parameters passed to [graphics::plot()].
#' @return Invisibly, a data frame with one row per bubble: `label`, `lq`,
#'   `growth`, `size`, `quadrant` and `labelled` (whether its label was
#'   drawn). Its attribute `"layout"` records the drawing: `usr` and `pin`
#'   (as [graphics::par()]), `bubbles` (centres and radii in inches), `boxes`
#'   (the drawn labels' boxes in user coordinates) and `legend` (the values
#'   of the size legend).
#' @examples
#' plot_clusters(cluster_example, focus = "Bengbu", value = "emp",
#'               region = "region", industry = "industry", time = "year")
#' cl <- clusters(cluster_example[cluster_example$year == 2019, ],
#'                value = "emp", region = "region", industry = "industry")
#' plot_clusters(cluster_example, focus = "Bengbu", value = "emp",
#'               region = "region", industry = "industry", time = "year",
#'               groups = cl, growth = "competitive")
#' @export
plot_clusters <- function(x, focus = NULL, value = NULL, region = NULL,
                          industry = NULL, time = NULL, groups = NULL,
                          growth = c("lq_change", "relative_growth", "competitive"),
                          lq = NULL, labels = 10L, col = NULL, inches = 0.4,
                          main = NULL, xlab = NULL, ylab = NULL, cex = 0.75, ...) {
  if (!is.data.frame(x) && !inherits(x, "clusters_uscmp"))
    stop_arg("x", "must be a long data frame (panel), a shift_share() result or a ",
             "clusters(rule = \"uscmp\") result, not ", describe(x))
  labels <- check_count(labels, "labels", min = 0)
  check_graphics_dots(list(...))
  if (!is.numeric(inches) || length(inches) != 1L || is.na(inches) || inches <= 0)
    stop_arg("inches", "must be a single positive number")
  ss_cols <- c("region", "from", "to", "start", "end", "change", "regional_shift")
  if (inherits(x, "clusters_uscmp")) {
    u <- pc_uscmp(x, focus, match.arg(growth))    # R/clusters-uscmp.R
    b <- u$bubbles; dx <- u$xlab; dy <- u$ylab; dmain <- u$main
  } else if (all(ss_cols %in% names(x)) && is.null(value)) {
    b <- pc_shift_share(x, lq)
    dx <- "Location quotient"
    dy <- "Competitive effect (% of start value)"
    dmain <- sprintf("Regions, %s-%s", format(x$from[1]), format(x$to[1]))
  } else {
    growth <- match.arg(growth)
    b <- pc_panel(x, focus, value, region, industry, time, groups, growth)
    dx <- sprintf("Location quotient, %s", format(b$to))
    dy <- switch(growth,
                 lq_change = sprintf("Change of LQ, %s-%s", format(b$from), format(b$to)),
                 relative_growth = sprintf("Growth minus national growth (pp), %s-%s",
                                           format(b$from), format(b$to)),
                 competitive = sprintf("Competitive effect, %s-%s", format(b$from), format(b$to)))
    dmain <- sprintf("%s: %s", focus, if (is.null(groups)) "industries" else "clusters")
    b <- b$bubbles
  }
  ok <- is.finite(b$lq) & is.finite(b$growth) & is.finite(b$size) & b$size > 0
  b$quadrant <- ifelse(b$lq >= 1, ifelse(b$growth > 0, "stars", "mature"),
                       ifelse(b$growth > 0, "emerging", "transforming"))
  b$quadrant[!ok] <- NA
  b$labelled <- FALSE
  if (is.null(col))
    col <- grDevices::adjustcolor(c("#1b7837", "#2166ac", "#b2182b", "#7f7f7f"), 0.55)
  if (!length(col) %in% c(1L, 4L)) stop_arg("col", "must have one or four colours")
  col <- rep(col, length.out = 4L)
  d <- b[ok, , drop = FALSE]
  o <- order(-d$size, d$label, method = "radix")   # big ones first, drawn under
  d <- d[o, , drop = FALSE]
  rad <- if (nrow(d)) inches * sqrt(d$size) / sqrt(max(d$size)) else numeric()
  args <- list(...)
  # the right margin holds the size legend; tick labels horizontal on the y
  # axis so that none is dropped for want of room
  # (the left margin as wide as the widest tick label needs, the axis title
  # beyond it)
  yl_guess <- range(c(0, d$growth))
  ywid <- max(graphics::strwidth(format(pretty(yl_guess), trim = TRUE, scientific = FALSE),
                                 units = "inches")) / graphics::par("csi")
  op <- graphics::par(mar = pmax(graphics::par("mar"), c(5.1, ywid + 3.2, 4.1, 7.5)),
                      las = 1)
  on.exit(graphics::par(op), add = TRUE)
  # plot region in inches, as plot() will lay it out on this device
  pin <- graphics::par("fin") - c(sum(graphics::par("mai")[c(2, 4)]),
                                  sum(graphics::par("mai")[c(1, 3)]))
  # limits that keep every bubble inside the frame, with room for a line of
  # label text above the top bubble and below the bottom one
  lab_in <- 1.6 * cex * graphics::par("cin")[2]
  xl <- pc_limits(c(1, d$lq), c(0, rad + 0.05), pin[1], 0.06)
  yl <- pc_limits(c(0, d$growth), c(0, rad + lab_in), pin[2], 0.06)
  pargs <- list(x = NA, y = NA, xlim = xl, ylim = yl, type = "n",
                xaxs = "i", yaxs = "i",
                xlab = if (is.null(xlab)) dx else xlab,
                ylab = "", main = if (is.null(main)) dmain else main)
  for (nm in names(args)) pargs[[nm]] <- args[[nm]]
  do.call(graphics::plot, pargs)
  graphics::title(ylab = if (is.null(ylab)) dy else ylab, line = ywid + 1.6)
  graphics::abline(v = 1, h = 0, lty = 2, col = "grey40")
  usr <- graphics::par("usr")
  qx <- c(usr[2], usr[1], usr[2], usr[1]); qy <- c(usr[4], usr[4], usr[3], usr[3])
  adj <- list(c(1.05, 1.5), c(-0.05, 1.5), c(1.05, -0.6), c(-0.05, -0.6))
  qn <- c("Stars", "Emerging", "Mature / declining", "Transforming")
  for (q in 1:4)
    graphics::text(qx[q], qy[q], qn[q], adj = adj[[q]], col = "grey45", font = 3,
                   cex = 0.85)
  layout <- list(usr = usr, pin = graphics::par("pin"), boxes = matrix(numeric(), 0, 4),
                 bubbles = data.frame(label = d$label, x = d$lq, y = d$growth,
                                      r_inches = rad, stringsAsFactors = FALSE),
                 legend = numeric())
  if (nrow(d)) {
    qcol <- col[match(d$quadrant, c("stars", "emerging", "mature", "transforming"))]
    graphics::symbols(d$lq, d$growth, circles = sqrt(d$size), inches = inches,
                      add = TRUE, bg = qcol, fg = "grey25")
    pl <- pc_place_labels(d, rad, labels, cex)
    placed <- pl$drawn
    layout$boxes <- pl$boxes
    b$labelled[match(d$label[placed], b$label)] <- TRUE
    want <- seq_len(min(labels, nrow(d)))
    left <- setdiff(want, placed)
    if (length(left))
      message(sprintf("plot_clusters(): %d of the %d largest bubbles left unlabelled (no room without overprinting): %s",
                      length(left), length(want),
                      paste0('"', d$label[left], '"', collapse = ", ")))
    layout$legend <- pc_size_legend(max(d$size), inches, usr)
  }
  rownames(b) <- NULL
  attr(b, "layout") <- layout
  invisible(b)
}

# Axis limits in which points at `v` with radii `r` (inches) fit a plot
# region `pin` inches long: the units per inch s solve
# s * pin = max(v + r s) - min(v - r s) (iterated; r << pin), plus `pad` of
# the range on each side.
pc_limits <- function(v, r, pin, pad) {
  span <- diff(range(v))
  if (span == 0) span <- max(1, abs(v[1])) * 0.1
  s <- span / pin
  for (k in 1:100) {
    lo <- min(v - r * s); hi <- max(v + r * s)
    s_new <- (hi - lo) * (1 + 2 * pad) / pin
    if (abs(s_new - s) <= 1e-12 * s) break
    s <- s_new
  }
  lo <- min(v - r * s); hi <- max(v + r * s)
  c(lo, hi) + c(-1, 1) * pad * (hi - lo)
}

# The size legend in the right margin: circles for the largest value and
# two smaller round values, as symbols() scales them. Returns the values.
pc_size_legend <- function(smax, inches, usr) {
  vals <- signif(smax * c(1, 0.25, 0.05), 1)
  vals <- unique(vals[vals > 0 & vals <= smax])
  r_in <- inches * sqrt(vals) / sqrt(smax)
  pin <- graphics::par("pin")
  ux <- diff(usr[1:2]) / pin[1]; uy <- diff(usr[3:4]) / pin[2]
  x0 <- usr[2] + (0.1 + max(r_in)) * ux               # centre column, inches right
  ytop <- usr[4] - 0.35 * uy
  graphics::text(x0, usr[4], "Size", xpd = NA, adj = c(0.5, 1), cex = 0.8, font = 2)
  # circles stacked, bottoms aligned, the largest at the back
  ybot <- ytop - 2 * inches * uy
  # each value to the right of the circles, joined to its circle's top by a
  # leader line, so that no value is written over a larger circle
  xlab <- x0 + (max(r_in) + 0.06) * ux
  for (k in seq_along(vals)) {
    yc <- ybot + r_in[k] * uy
    graphics::symbols(x0, yc, circles = r_in[k] * ux, inches = FALSE, add = TRUE,
                      fg = "grey25", bg = NA, xpd = NA)
    graphics::segments(x0, yc + r_in[k] * uy, xlab - 0.02 * ux, yc + r_in[k] * uy,
                       col = "grey50", lwd = 0.7, xpd = NA)
    graphics::text(xlab, yc + r_in[k] * uy, format(vals[k], big.mark = ",", scientific = FALSE,
                                                   trim = TRUE),
                   adj = c(0, 0.5), cex = 0.65, xpd = NA)
  }
  vals
}

# Greedy deterministic label placement: the largest bubbles first; for each,
# the first position (inside the bubble when the text fits in it, then above,
# below, right, left and the four diagonals) whose text box is inside the
# plot, overlaps no box placed before and covers the centre of no other of
# the bubbles to label. Returns the indices drawn and their boxes
# (x0, x1, y0, y1 in user coordinates).
pc_place_labels <- function(d, rad, n, cex) {
  n <- min(n, nrow(d))
  boxes <- matrix(numeric(), 0, 4, dimnames = list(NULL, c("x0", "x1", "y0", "y1")))
  if (!n) return(list(drawn = integer(), boxes = boxes))
  usr <- graphics::par("usr"); pin <- graphics::par("pin")
  ux <- diff(usr[1:2]) / pin[1]; uy <- diff(usr[3:4]) / pin[2]   # units per inch
  drawn <- integer()
  for (i in seq_len(n)) {
    w <- graphics::strwidth(d$label[i], cex = cex) / 2
    h <- graphics::strheight(d$label[i], cex = cex) / 2 * 1.3
    rx <- rad[i] * ux; ry <- rad[i] * uy
    dg <- 0.72
    cand <- rbind(c(d$lq[i], d$growth[i] + ry + h),                  # above
                  c(d$lq[i], d$growth[i] - ry - h),                  # below
                  c(d$lq[i] + rx + w * 1.05, d$growth[i]),           # right
                  c(d$lq[i] - rx - w * 1.05, d$growth[i]),           # left
                  c(d$lq[i] + dg * rx + w, d$growth[i] + dg * ry + h),
                  c(d$lq[i] - dg * rx - w, d$growth[i] + dg * ry + h),
                  c(d$lq[i] + dg * rx + w, d$growth[i] - dg * ry - h),
                  c(d$lq[i] - dg * rx - w, d$growth[i] - dg * ry - h))
    # inside the bubble when the text box fits in its circle
    if ((w / ux)^2 + (h / uy)^2 <= rad[i]^2) cand <- rbind(c(d$lq[i], d$growth[i]), cand)
    for (k in seq_len(nrow(cand))) {
      bx <- c(cand[k, 1] - w, cand[k, 1] + w, cand[k, 2] - h, cand[k, 2] + h)
      inside <- bx[1] >= usr[1] && bx[2] <= usr[2] && bx[3] >= usr[3] && bx[4] <= usr[4]
      clash <- nrow(boxes) > 0 && any(bx[1] < boxes[, 2] & bx[2] > boxes[, 1] &
                                        bx[3] < boxes[, 4] & bx[4] > boxes[, 3])
      # nor the centre of another labelled bubble
      oth <- setdiff(seq_len(n), i)
      clash <- clash || any(d$lq[oth] > bx[1] & d$lq[oth] < bx[2] &
                              d$growth[oth] > bx[3] & d$growth[oth] < bx[4])
      if (inside && !clash) {
        graphics::text(cand[k, 1], cand[k, 2], d$label[i], cex = cex)
        boxes <- rbind(boxes, bx)
        drawn <- c(drawn, i)
        break
      }
    }
  }
  list(drawn = drawn, boxes = boxes)
}

pc_shift_share <- function(x, lq) {
  if (is.null(lq) || !is.numeric(lq) || is.null(names(lq)))
    stop_arg("lq", "is required with a shift_share() result: the regions' location ",
             "quotients as a numeric vector named by region")
  if (length(unique(x$from)) > 1L)
    stop_arg("x", "must compare one pair of periods (a \"dunn\" or \"esteban\" shift_share())")
  eff <- if ("competitive" %in% names(x)) x$competitive else x$regional_shift
  m <- match(as.character(x$region), names(lq))
  if (anyNA(m))
    stop_arg("lq", "has no value for region ",
             paste0('"', utils::head(as.character(x$region)[is.na(m)], 3), '"', collapse = ", "))
  data.frame(label = as.character(x$region), lq = unname(lq[m]),
             growth = ifelse(x$start > 0, 100 * eff / x$start, NA_real_),
             size = x$end, stringsAsFactors = FALSE)
}

# Bubbles of one region from a long panel: the first and last period.
pc_panel <- function(x, focus, value, region, industry, time, groups, growth) {
  for (a in c("value", "region", "industry", "time")) {
    v <- get(a)
    if (is.null(v)) stop_arg(a, "is required for a panel `x`")
    check_string(v, a)
  }
  check_column(x, c(value, region, industry), "value")
  check_column(x, time, "time")
  if (is.null(focus) || length(focus) != 1L || is.na(focus))
    stop_arg("focus", "must name one region of `x`")
  tt <- x[[time]]
  if (anyNA(tt)) stop_arg("time", "column must not contain NA")
  ut <- sort(unique(tt))
  if (length(ut) < 2L) stop_arg("time", "must have at least two distinct values")
  t0 <- ut[1L]; t1 <- ut[length(ut)]
  m0 <- cl_table(x[tt == t0, , drop = FALSE], value, region, industry)
  m1 <- cl_table(x[tt == t1, , drop = FALSE], value, region, industry)
  regs <- sort(union(rownames(m0), rownames(m1)), method = "radix")
  inds <- sort(union(colnames(m0), colnames(m1)), method = "radix")
  if (!as.character(focus) %in% regs)
    stop_arg("focus", "names no region of `x`: \"", focus, "\"")
  align <- function(m) {
    out <- matrix(0, length(regs), length(inds), dimnames = list(regs, inds))
    out[rownames(m), colnames(m)] <- as.matrix(m)
    out
  }
  m0 <- align(m0); m1 <- align(m1)
  if (!is.null(groups)) {
    memb <- if (inherits(groups, "clusters")) {
      stats::setNames(groups$groups$cluster, groups$groups$industry)
    } else groups
    memb <- cl_groups(memb, inds)
    cls <- sort(unique(memb), method = "radix")
    G <- outer(memb, cls, "==") * 1
    m0 <- m0 %*% G; m1 <- m1 %*% G
    colnames(m0) <- colnames(m1) <- cls
  }
  f <- match(as.character(focus), regs)
  L0 <- lq(m0)[f, ]; L1 <- lq(m1)[f, ]
  e0 <- m0[f, ]; e1 <- m1[f, ]
  E0 <- colSums(m0); E1 <- colSums(m1)
  g <- switch(growth,
    lq_change = L1 - L0,
    relative_growth = ifelse(e0 > 0, 100 * ((e1 / e0 - 1) - (E1 / E0 - 1)), NA_real_),
    competitive = ifelse(E0 > 0, e1 - e0 * E1 / E0, NA_real_))
  keep <- e0 > 0 | e1 > 0
  if (!any(keep))
    stop_arg("focus", "region \"", focus, "\" has no values (all zero or absent) in the ",
             "first and last periods (", time, " ", format(t0), " and ", format(t1),
             "): there is nothing to draw")
  list(bubbles = data.frame(label = colnames(m1)[keep], lq = unname(L1[keep]),
                            growth = unname(g[keep]), size = unname(e1[keep]),
                            stringsAsFactors = FALSE),
       from = t0, to = t1)
}
