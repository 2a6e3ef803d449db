#' Missing, infinite and extreme values: one policy for every function
#'
#' Every function of gvcluster treats unusual numbers the same way.
#'
#' @section NA (missing values):
#' An `NA` is a value that is not known. Functions with an `na.rm` argument
#' leave such cells (or rows) out when `na.rm = TRUE` and otherwise let the
#' `NA` spoil every total it enters, so the results it touches are `NA`
#' ([lq()], [specialization()], [concentration()], [shift_share()],
#' [ellison_glaeser()], [maurel_sedillot()], [entropy_weights()] and
#' [gem_score()], which say what they leave out). [relatedness()],
#' [relatedness_density()], [complexity()] and [clusters()] leave such cells
#' out with `na.rm = TRUE` too; with `na.rm = FALSE` an `NA` is an error
#' naming the argument and the first position, because every revealed
#' comparative advantage depends on the table's totals and one `NA` would
#' make the whole result `NA` (as [base::eigen()] and [stats::hclust()] refuse `NA`
#' rather than return it). [linreg()] and
#' [sensitivity()] follow `na.action` as [lm()] does; with
#' `na.action = na.pass` a remaining `NA` is an error naming the variable
#' and the first row. Functions that cannot leave anything out ([icio()],
#' [leontief()], [gvc_decompose()], keys such as `region`, `industry`, `by`
#' and `time`) reject `NA` with an error naming the argument.
#'
#' @section NaN, Inf and -Inf:
#' These are not missing values but the trace of a computation that went
#' wrong before (`0/0`, `log(-1)`, an overflow). Every exported function
#' rejects them in its numeric input with an error that names the argument
#' (or the column of a data frame) and gives how many there are and the
#' position (row, or row and column) of the first. They are never turned
#' into `NA` silently, and `na.rm = TRUE` does not remove them.
#'
#' @section Zero totals:
#' A zero total gives `NA`, never `Inf` or `NaN` (an LQ in a region without
#' employment, say).
#'
#' @section Extreme magnitudes:
#' Results do not depend on the units of the data: values anywhere from
#' about `1e-300` to `1e300` (and up to the largest double where only sums
#' of the values are formed) give the results of the same data rescaled to
#' ordinary magnitudes. Where a sum or a sum of squares could overflow or
#' underflow, the data are first multiplied by a power of two, which is
#' exact, and the results are scaled back: the columns of the design and
#' the response in [linreg()] (so the rank decision does not depend on the
#' scale), the values and totals of [lq()], employment in
#' [ellison_glaeser()] and [maurel_sedillot()], the indicators of
#' [entropy_weights()]. A result that itself cannot be represented in double
#' precision (a residual sum of squares of 1e400) is `Inf`. An input-output
#' table is the exception: its sums (gross output, the rows and columns of
#' `Z` and `Y`) are the table itself, so [icio()] and [read_icio()] refuse a
#' table whose row or column sums pass the largest double, as they refuse a
#' non-finite cell, naming the first such row or column (and the file).
#'
#' @section Malformed objects:
#' A `Matrix::dgCMatrix` whose slots are inconsistent (row indices out of
#' range, unsorted or duplicated within a column, an integer `x` slot, a
#' `p` slot that decreases) and an `icio` object modified after [icio()]
#' built it are errors naming the part that is wrong.
#'
#' @name gvcluster-missing
#' @aliases gvcluster-na gvcluster-inf
#' @seealso [lq()], [linreg()], [specialization()], [leontief()].
#' @examples
#' # NA: handled as na.rm says
#' lq(matrix(c(1, NA, 3, 4), 2), na.rm = TRUE)
#' # Inf and NaN: an error naming the argument and the first position
#' try(lq(matrix(c(1, Inf, 3, 4), 2)))
#' try(specialization(matrix(c(1, NaN, 3, 4), 2)))
#' # extreme magnitudes: the same result as on rescaled data
#' lq(matrix(c(10, 1, 1, 10), 2) * 1e307)
NULL
