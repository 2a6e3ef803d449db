# Global and local Moran's I: moments as spdep's moran.test() and
# localmoran() compute them; permutation tests in C (src/spatial.c) with R's
# RNG, drawn as spdep's moran.mc() and localmoran_perm() draw.

#' Global Moran's I
#'
#' Tests whether similar values cluster in space: Moran's I of `x` with its
#' expectation, variance, standard deviate and p-value equal to
#' `spdep::moran.test()` under randomisation (the default) or normality, and
#' optionally a permutation p-value as `spdep::moran.mc()` defines it.
#'
#' With \eqn{z = x - \bar x}, weights \eqn{w_{ij}}, \eqn{S_0 = \sum_{ij} w_{ij}}
#' and \eqn{n} the number of regions with neighbours (spdep's `adjust.n`),
#' \eqn{I = (n / S_0) \sum_{ij} w_{ij} z_i z_j / \sum_i z_i^2}, with
#' \eqn{E(I) = -1/(n-1)}.
#'
#' The permutation test draws `nsim` permutations of `x` with R's random
#' number generator exactly as `moran.mc()` draws them (one `sample(x)` per
#' simulation), so `set.seed()` reproduces it and gives the same draws as
#' `moran.mc()` after the same `set.seed()`. With `rank` the observed I's
#' rank among the `nsim + 1` values (ties averaged) and
#' \eqn{d = \max(nsim - rank, 0)}: `"greater"` gives \eqn{(d + 1)/(nsim + 1)},
#' `"less"` \eqn{1 - (d + 1)/(nsim + 1)} and `"two.sided"`
#' \eqn{1 - 2|rank - (nsim + 1)/2|/(nsim + 1)}, as `moran.mc()` does. Without
#' ties, `"greater"` is the share of simulated values above the observed one
#' (at least \eqn{1/(nsim + 1)}).
#'
#' @param x A numeric vector, one value per region, in the order of the
#'   weights' regions.
#' @param weights Spatial weights: a [spatial_weights()] object, or anything
#'   it reads (an sf polygon layer, an `nb` or `listw` object, a square
#'   matrix), built with the arguments in `...`.
#' @param nsim Number of permutations for `p_sim` (0, the default, for none).
#' @param randomisation `TRUE` (the default): the variance under
#'   randomisation; `FALSE`: under normality.
#' @param alternative `"greater"` (the default), `"less"` or `"two.sided"`.
#' @param na.rm `FALSE` (the default) makes `NA` in `x` an error; `TRUE`
#'   drops those regions and their links (weights computed again for styles
#'   `"W"` and `"B"`) with a message saying how many.
#' @param ... Arguments of [spatial_weights()] (`style`, `queen`,
#'   `zero.policy`, `snap`, `region`) used when `weights` is not yet a
#'   `spatial_weights` object.
#' @return A data frame of class `global_moran` with one row and columns `I`,
#'   `expected`, `variance`, `z`, `p` and, when `nsim > 0`, `p_sim`;
#'   attributes keep `x`, its spatial lag and (for `nsim > 0`) the
#'   simulated values (`sims`). `plot()` draws the Moran scatterplot. With a
#'   constant `x`, I is undefined (`NaN`, with a warning); with fewer than
#'   four regions the variance under randomisation is undefined.
#' @seealso [local_moran()], [getis_ord()], [spatial_weights()].
#' @examples
#' cell <- expand.grid(col = 1:5, row = 1:5)
#' rook <- outer(seq_len(25), seq_len(25), function(a, b)
#'   as.numeric(abs(cell$col[a] - cell$col[b]) + abs(cell$row[a] - cell$row[b]) == 1))
#' x <- cell$col + cell$row          # a smooth gradient: strongly clustered
#' global_moran(x, rook)
#' set.seed(1)
#' global_moran(x, rook, nsim = 99)
#' @export
global_moran <- function(x, weights, nsim = 0, randomisation = TRUE,
                         alternative = "greater", na.rm = FALSE, ...) {
  nsim <- check_count(nsim, "nsim", min = 0)
  check_flag(randomisation, "randomisation")
  alternative <- moran_alternative(alternative, c("greater", "less", "two.sided"))
  d <- sw_data(x, weights, na.rm, list(...))
  x <- d$x; w <- d$w
  z <- sw_scale(x)
  z <- z - mean(z)
  zz <- sum(z^2)
  if (!(zz > 0)) warning("`x` is constant: Moran's I is undefined", call. = FALSE)
  card <- diff(w$p)
  n <- as.double(sum(card > 0L))
  res <- .Call(ffi_moran_global, w$p, w$j, w$x, z, nsim, sample_kind())
  k <- list(S0 = sum(w$x), S1 = res$S1, S2 = res$S2)
  I <- (n / k$S0) * (res$cross / zz)
  K <- (length(x) * sum(z^4)) / zz^2
  EI <- -1 / (n - 1)
  S02 <- k$S0^2; nn <- n * n
  VI <- if (randomisation) {
    num <- n * (k$S1 * (nn - 3 * n + 3) - n * k$S2 + 3 * S02) -
      K * (k$S1 * (nn - n) - 2 * n * k$S2 + 6 * S02)
    num / ((n - 1) * (n - 2) * (n - 3) * S02) - EI^2
  } else (nn * k$S1 - n * k$S2 + 3 * S02) / (S02 * (nn - 1)) - EI^2
  ZI <- (I - EI) / sqrt(VI)
  out <- data.frame(I = I, expected = EI, variance = VI, z = ZI,
                    p = moran_p_normal(ZI, alternative))
  sims <- NULL
  if (nsim > 0) {
    sims <- (n / k$S0) * (res$sims / zz)
    out$p_sim <- moran_p_mc(sims, I, nsim, alternative)
  }
  lagx <- sw_lag(w, x)
  structure(out, class = c("global_moran", "data.frame"), x = x, lag = lagx,
            sims = sims, nsim = nsim, alternative = alternative,
            randomisation = randomisation, style = w$style, regions = w$regions)
}

# R's current sample.kind ("Rejection", the default since R 3.6.0, or
# "Rounding"), which the C draws follow as sample() does.
sample_kind <- function() RNGkind()[3L]

moran_alternative <- function(alternative, choices) moran_choice(alternative, choices, "alternative")

moran_choice <- function(x, choices, arg) {
  if (!is.character(x) || length(x) != 1L || is.na(x) || !x %in% choices)
    stop_arg(arg, "must be one of ", paste0('"', choices, '"', collapse = ", "))
  x
}

moran_p_normal <- function(z, alternative) {
  switch(alternative,
         two.sided = 2 * stats::pnorm(abs(z), lower.tail = FALSE),
         greater = stats::pnorm(z, lower.tail = FALSE),
         less = stats::pnorm(z))
}

# moran.mc()'s p-value from the simulated values and the observed one.
moran_p_mc <- function(sims, obs, nsim, alternative) {
  xrank <- rank(c(sims, obs))[nsim + 1L]
  diff <- max(nsim - xrank, 0)
  switch(alternative,
         greater = (diff + 1) / (nsim + 1),
         less = 1 - (diff + 1) / (nsim + 1),
         two.sided = 1 - 2 * abs(xrank - (nsim + 1) / 2) / (nsim + 1))
}

#' @export
print.global_moran <- function(x, digits = 4, ...) {
  a <- attributes(x)
  if (is.null(a$alternative)) {
    cat("Global Moran's I\n")
    print(format(as.data.frame(unclass(x)[names(x)], optional = TRUE), digits = digits),
          row.names = FALSE)
    return(invisible(x))
  }
  cat(sprintf("Global Moran's I (%s; alternative \"%s\"), %d regions, weights style \"%s\"%s\n",
              if (a$randomisation) "randomisation" else "normality", a$alternative,
              length(a$x), a$style,
              if (a$nsim > 0) sprintf(", %d permutations", a$nsim) else ""))
  print(format(as.data.frame(unclass(x)[names(x)], optional = TRUE), digits = digits),
        row.names = FALSE)
  invisible(x)
}

#' Local Moran's I (LISA)
#'
#' Local indicators of spatial association: for each region, its local
#' Moran's I with the conditional expectation and variance, standard deviate
#' and two-sided p-value equal to `spdep::localmoran()` with its defaults,
#' the LISA quadrant, and optionally a conditional-permutation p-value as
#' `spdep::localmoran_perm()` reports it.
#'
#' With \eqn{z = x - \bar x} and \eqn{m_2 = \sum z_i^2 / n},
#' \eqn{I_i = (z_i / m_2) \sum_j w_{ij} z_j}.
#'
#' `quadrant` is `"High-High"` when the region's centred value and its
#' spatial lag are both positive, `"Low-Low"` when both are not positive,
#' `"High-Low"` and `"Low-High"` otherwise (spdep's `"pysal"` quadrants); it
#' never depends on significance: compare `p` (or `p_sim`, or the adjusted
#' p-values) with a level yourself, or let [plot_map()] do it.
#'
#' The permutation test (`nsim > 0`) holds each region's value fixed and
#' gives its neighbours values drawn from the other regions' (conditional
#' permutation), with R's random number generator, so `set.seed()`
#' reproduces it. `draws = "shared"` (the default, as PySAL's esda and GeoDa
#' draw): for each simulation one set of regions is drawn without
#' replacement and every region takes as many of them as it has neighbours
#' (leaving itself out), so each region's values are a conditional
#' permutation sample and the work of drawing is done once for all regions.
#' `draws = "independent"`: each region's values are drawn separately, with
#' replacement, exactly as spdep 1.2-7's `localmoran_perm()` draws them
#' (`nsim` times the number of neighbours draws per region; after the same
#' `set.seed()` the p-values equal `localmoran_perm()`'s), several times
#' slower. For `"two.sided"`, `p_sim` is `localmoran_perm()`'s
#' `Pr(z != E(Ii)) Sim`: with \eqn{k} the observed value's rank among the
#' \eqn{nsim + 1} values (ties averaged, truncated to a whole number),
#' \eqn{2 \min(k, nsim + 2 - k)/(nsim + 1)}. For `"greater"` it is
#' \eqn{(b + 1)/(nsim + 1)} with \eqn{b} the simulated values at least as
#' large as the observed one, for `"less"` those at most as large.
#'
#' @inheritParams global_moran
#' @param alternative `"two.sided"` (the default), `"greater"` or `"less"`.
#' @param draws How the permutations are drawn: `"shared"` (the default) or
#'   `"independent"` (as `spdep::localmoran_perm()`); see Details.
#' @param p.adjust A method of [stats::p.adjust()] (`"none"`, the default,
#'   adds nothing): adds `p_adjusted` (and `p_sim_adjusted` when
#'   `nsim > 0`).
#' @return A data frame of class `local_moran`, one row per region: `region`
#'   (the weights' region names), `I`, `expected`, `variance`, `z`, `p`,
#'   `quadrant` (a factor), `p_sim` when `nsim > 0` and the adjusted
#'   p-values on request. Regions without neighbours get `NA` statistics
#'   and quadrant; regions dropped by `na.rm = TRUE` are kept as rows of
#'   `NA`. `plot()` draws the Moran scatterplot.
#' @seealso [global_moran()], [getis_ord()], [plot_map()].
#' @examples
#' cell <- expand.grid(col = 1:5, row = 1:5)
#' rook <- outer(seq_len(25), seq_len(25), function(a, b)
#'   as.numeric(abs(cell$col[a] - cell$col[b]) + abs(cell$row[a] - cell$row[b]) == 1))
#' x <- cell$col * cell$row
#' lm1 <- local_moran(x, rook)
#' head(lm1)
#' table(lm1$quadrant)
#' set.seed(1)
#' head(local_moran(x, rook, nsim = 199, p.adjust = "holm"))
#' @export
local_moran <- function(x, weights, nsim = 0, alternative = "two.sided",
                        p.adjust = "none", draws = "shared", na.rm = FALSE, ...) {
  nsim <- check_count(nsim, "nsim", min = 0)
  draws <- moran_choice(draws, c("shared", "independent"), "draws")
  alternative <- moran_alternative(alternative, c("two.sided", "greater", "less"))
  p.adjust <- moran_alternative_adjust(p.adjust)
  d <- sw_data(x, weights, na.rm, list(...))
  x <- d$x; w <- d$w
  n <- length(x)
  z <- sw_scale(x)
  z <- z - mean(z)
  m2 <- sum(z^2) / n
  if (!(m2 > 0)) warning("`x` is constant: local Moran's I is undefined", call. = FALSE)
  res <- .Call(ffi_moran_local, w$p, w$j, w$x, z, m2, nsim, sample_kind(), draws)
  Wi <- sw_rowsums(w, w$x)
  Wi2 <- sw_rowsums(w, w$x^2)
  EI <- -(z^2 * Wi) / ((n - 1) * m2)
  VI <- (z / m2)^2 * (n / (n - 2)) * (Wi2 - Wi^2 / (n - 1)) * (m2 - z^2 / (n - 1))
  ZI <- (res$I - EI) / sqrt(VI)
  lz <- sw_lag(w, z)
  island <- diff(w$p) == 0L
  q <- ifelse(z > 0, ifelse(lz > 0, "High-High", "High-Low"),
              ifelse(lz > 0, "Low-High", "Low-Low"))
  q[island] <- NA
  out <- data.frame(I = res$I, expected = EI, variance = VI, z = ZI,
                    p = moran_p_normal(ZI, alternative),
                    quadrant = factor(q, levels = lisa_levels))
  out[island, c("I", "expected", "variance", "z", "p")] <- NA_real_
  if (nsim > 0) out$p_sim <- lisa_p_sim(res$below, res$tie, nsim, alternative)
  out <- moran_pad(out, d$keep)
  out <- cbind(region = d$regions, out, stringsAsFactors = FALSE)
  if (p.adjust != "none") {
    out$p_adjusted <- stats::p.adjust(out$p, p.adjust)
    if (nsim > 0) out$p_sim_adjusted <- stats::p.adjust(out$p_sim, p.adjust)
  }
  structure(out, class = c("local_moran", "data.frame"),
            x = moran_pad_vec(x, d$keep), lag = moran_pad_vec(sw_lag(w, x), d$keep),
            nsim = nsim, alternative = alternative, style = w$style)
}

lisa_levels <- c("High-High", "Low-Low", "High-Low", "Low-High")

moran_alternative_adjust <- function(p.adjust) {
  if (!is.character(p.adjust) || length(p.adjust) != 1L || is.na(p.adjust) ||
      !p.adjust %in% stats::p.adjust.methods)
    stop_arg("p.adjust", "must be one of ",
             paste0('"', stats::p.adjust.methods, '"', collapse = ", "))
  p.adjust
}

# localmoran_perm()'s rank p-values from the counts below and tied.
lisa_p_sim <- function(below, tie, nsim, alternative) {
  switch(alternative,
         two.sided = {
           k <- as.integer(below + 1 + tie / 2)
           2 * pmin(k, nsim + 2 - k) / (nsim + 1)
         },
         greater = (nsim - below + 1) / (nsim + 1),
         less = (below + tie + 1) / (nsim + 1))
}

# Rows of a result for all regions, NA where na.rm dropped one.
moran_pad <- function(out, keep) {
  if (all(keep)) return(out)
  idx <- rep(NA_integer_, length(keep)); idx[keep] <- seq_len(sum(keep))
  out <- out[idx, , drop = FALSE]
  rownames(out) <- NULL
  out
}
moran_pad_vec <- function(v, keep) {
  if (all(keep)) return(v)
  out <- rep(NA_real_, length(keep)); out[keep] <- v
  out
}

#' @export
print.local_moran <- function(x, digits = 4, n = 10, ...) {
  a <- attributes(x)
  # rows or columns taken with `[` keep the class but not the attributes
  if (is.null(a$alternative)) cat(sprintf("Local Moran's I, %d regions\n", nrow(x)))
  else cat(sprintf("Local Moran's I (alternative \"%s\"), %d regions, weights style \"%s\"%s\n",
                   a$alternative, nrow(x), a$style,
                   if (isTRUE(a$nsim > 0)) sprintf(", %d permutations", a$nsim) else ""))
  df <- as.data.frame(unclass(x)[names(x)], stringsAsFactors = FALSE, optional = TRUE)
  print(format(utils::head(df, n), digits = digits), row.names = FALSE)
  if (nrow(x) > n) cat(sprintf("... %d more regions\n", nrow(x) - n))
  invisible(x)
}

#' Moran scatterplot
#'
#' `plot()` of a [global_moran()] or [local_moran()] result draws the Moran
#' scatterplot: each region's value against its spatial lag, with the means
#' as dashed lines and the least-squares line (whose slope is Moran's I for
#' row-standardised weights).
#'
#' @param x A `global_moran` or `local_moran` result.
#' @param xlab,ylab,main Axis labels and title.
#' @param col Point colours; by default the LISA quadrant colours of
#'   [plot_map()] for a `local_moran` result and one colour otherwise.
#' @param ... Further arguments to [graphics::plot.default()].
#' @return `x`, invisibly.
#' @examples
#' cell <- expand.grid(col = 1:5, row = 1:5)
#' rook <- outer(seq_len(25), seq_len(25), function(a, b)
#'   as.numeric(abs(cell$col[a] - cell$col[b]) + abs(cell$row[a] - cell$row[b]) == 1))
#' plot(global_moran(cell$col * cell$row, rook))
#' @name plot.global_moran
#' @export
plot.global_moran <- function(x, xlab = "x", ylab = "Spatial lag of x",
                              main = "Moran scatterplot", col = NULL, ...) {
  moran_scatter(x, xlab, ylab, main, col, sprintf("I = %.3f", x$I[1L]), ...)
}

#' @rdname plot.global_moran
#' @export
plot.local_moran <- function(x, xlab = "x", ylab = "Spatial lag of x",
                             main = "Moran scatterplot", col = NULL, ...) {
  if (is.null(col)) {
    col <- lisa_colours[as.character(x$quadrant)]
    col[is.na(col)] <- "grey60"
  }
  moran_scatter(x, xlab, ylab, main, col, NULL, ...)
}

moran_scatter <- function(x, xlab, ylab, main, col, note, ...) {
  v <- attr(x, "x"); lg <- attr(x, "lag")
  if (is.null(col)) col <- "#2166AC"
  graphics::plot(v, lg, xlab = xlab, ylab = ylab, main = main, pch = 21,
                 bg = grDevices::adjustcolor(col, 0.7), col = "grey30", ...)
  graphics::abline(v = mean(v, na.rm = TRUE), h = mean(lg, na.rm = TRUE),
                   lty = 2, col = "grey50")
  ok <- is.finite(v) & is.finite(lg)
  if (sum(ok) > 1L && stats::var(v[ok]) > 0)
    graphics::abline(stats::lm.fit(cbind(1, v[ok]), lg[ok])$coefficients, col = "#B2182B", lwd = 2)
  if (!is.null(note)) graphics::mtext(note, side = 3, line = 0.2, adj = 1, cex = 0.9)
  invisible(x)
}
