#' @rdname lq
#' @section Contingency tables:
#' A `table` or `xtabs` object (from [table()] or [stats::xtabs()]) is
#' treated by the shape of its counts: a two-dimensional table as a region x
#' industry matrix (its first dimension the regions), keeping its dimnames
#' and their names; a one-dimensional table as a named vector. Other
#' dimensions are refused: select a slice first (`x[, , "2019"]`). The
#' `"call"` attribute of an `xtabs` object is not carried over.
#' @export
lq.table <- function(x, ...) {
  d <- dim(x)
  if (!is.numeric(x))
    stop_arg("x", "must be a table of counts or sums, not ", describe(unclass(x)))
  if (length(d) == 1L) {
    v <- as.vector(x)
    names(v) <- names(x)
    return(lq(v, ...))
  }
  if (length(d) != 2L)
    stop_arg("x", "must be a one- or two-dimensional table, not one with ",
             length(d), " dimensions; select a slice first, e.g. x[, , 1]")
  m <- array(as.double(x), dim = d, dimnames = dimnames(x))
  lq(m, ...)
}
