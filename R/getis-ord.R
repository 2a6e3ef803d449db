# Getis-Ord local statistics: Gi* and Gi as spdep's localG() computes them.

#' Getis-Ord Gi* and Gi hot spots
#'
#' For each region, the Getis-Ord local statistic as a standard deviate
#' (`z`), equal to `spdep::localG()`, with its value, expectation, variance
#' and two-sided normal p-value.
#'
#' With `star = TRUE` (Gi*), each region is added to its own neighbourhood
#' and the weights are row-standardised again, whatever style they came in
#' (spdep's `nb2listw(include.self(nb), style = "W")`): the statistic
#' compares the mean of a region and its neighbours with the mean of all
#' regions. With `star = FALSE` (Gi), the weights are used as given and the
#' region itself is left out of both the neighbourhood and the reference.
#' Large positive `z` marks a hot spot (high values surrounded by high
#' values), large negative `z` a cold spot.
#'
#' @inheritParams global_moran
#' @param star `TRUE` (the default) for Gi*, `FALSE` for Gi.
#' @param alternative `"two.sided"` (the default), `"greater"` or `"less"`,
#'   for `p`.
#' @return A data frame of class `getis_ord`, one row per region: `region`,
#'   `G` (the statistic), `expected`, `variance`, `z` and `p` (those of
#'   `localG(..., return_internals = TRUE)`). Regions without neighbours
#'   (Gi) get `NA`; regions dropped by `na.rm = TRUE` are kept as rows of
#'   `NA`. [plot_map()] maps `z` in the usual hot- and cold-spot classes.
#' @seealso [local_moran()], [plot_map()].
#' @examples
#' cell <- expand.grid(col = 1:5, row = 1:5)
#' rook <- outer(seq_len(25), seq_len(25), function(a, b)
#'   as.numeric(abs(cell$col[a] - cell$col[b]) + abs(cell$row[a] - cell$row[b]) == 1))
#' x <- cell$col * cell$row
#' head(getis_ord(x, rook))
#' head(getis_ord(x, rook, star = FALSE))
#' @export
getis_ord <- function(x, weights, star = TRUE, alternative = "two.sided",
                      na.rm = FALSE, ...) {
  check_flag(star, "star")
  alternative <- moran_alternative(alternative, c("two.sided", "greater", "less"))
  d <- sw_data(x, weights, na.rm, list(...))
  x <- sw_scale(d$x); w <- d$w
  n <- length(x)
  if (star) w <- gi_include_self(w)
  lx <- sw_lag(w, x)
  Wi <- sw_rowsums(w, w$x)
  S1i <- sw_rowsums(w, w$x^2)
  if (star) {
    xibar <- rep(mean(x), n)
    si2 <- rep(sum((x - mean(x))^2) / n, n)
    VG <- si2 * ((n * S1i - Wi^2) / (n - 1))
    denom <- rep(sum(x), n)
  } else {
    xibar <- (sum(x) - x) / (n - 1)
    si2 <- ((sum(x^2) - x^2) / (n - 1)) - xibar^2
    VG <- si2 * (((n - 1) * S1i - Wi^2) / (n - 2))
    denom <- sum(x) - x
  }
  if (!(sum((x - mean(x))^2) > 0))
    warning("`x` is constant: the Getis-Ord statistic is undefined", call. = FALSE)
  EG <- Wi * xibar
  z <- (lx - EG) / sqrt(VG)
  out <- data.frame(G = lx / denom, expected = EG / denom, variance = VG / denom^2,
                    z = z, p = moran_p_normal(z, alternative))
  island <- diff(w$p) == 0L
  out[island, ] <- NA_real_
  out <- moran_pad(out, d$keep)
  out <- cbind(region = d$regions, out, stringsAsFactors = FALSE)
  structure(out, class = c("getis_ord", "data.frame"), star = star,
            alternative = alternative)
}

# Each region added to its own neighbours, the weights row-standardised
# (binary links, whatever the weights were).
gi_include_self <- function(w) {
  n <- length(w$neighbours)
  card <- diff(w$p) + 1L
  i <- c(rep.int(seq_len(n), diff(w$p)), seq_len(n))
  j <- c(w$j + 1L, seq_len(n))
  o <- order(i, j)
  list(p = c(0L, cumsum(card)), j = as.integer(j[o]) - 1L, x = rep(1 / card, card),
       regions = w$regions)
}

#' @export
print.getis_ord <- function(x, digits = 4, n = 10, ...) {
  alt <- attr(x, "alternative")
  cat(sprintf("Getis-Ord %s%s, %d regions\n",
              if (isTRUE(attr(x, "star"))) "Gi*" else if (is.null(alt)) "Gi or Gi*" else "Gi",
              if (is.null(alt)) "" else sprintf(" (alternative \"%s\")", alt), nrow(x)))
  df <- as.data.frame(unclass(x)[names(x)], stringsAsFactors = FALSE, optional = TRUE)
  print(format(utils::head(df, n), digits = digits), row.names = FALSE)
  if (nrow(x) > n) cat(sprintf("... %d more regions\n", nrow(x) - n))
  invisible(x)
}
