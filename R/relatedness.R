# Relatedness between industries and the relatedness density of regions.
#
# Shared with complexity() and clusters(): cl_incidence() turns a regions x
# industries table (matrix, dgCMatrix or long data frame) into the incidence
# matrix M of revealed comparative advantage, M = 1[LQ >= cutoff], computed
# by lq(); the C kernels (src/relatedness.c) read M's pattern.

# The table as a matrix or dgCMatrix with dimnames (a long data frame goes
# through the panel sort shared with the index functions). The column
# arguments default to "value", "region" and "industry" as in lq()
# (panel_columns(): without such a column the argument is required; NULL
# means the default). NA: every incidence depends on every cell through the
# totals of its region, its industry and the whole table, so an NA would
# make the whole result NA (as in eigen() and hclust(), an error here);
# na.rm = TRUE leaves such cells out, which for the totals, the RCAs and the
# sums of clusters() is the same as a zero.
cl_table <- function(x, value = "value", region = "region", industry = "industry",
                     arg = "x", na.rm = FALSE) {
  if (is.data.frame(x)) {
    if (is.null(value)) value <- "value"
    if (is.null(region)) region <- "region"
    if (is.null(industry)) industry <- "industry"
    cols <- panel_columns(x, value, region, industry, arg = arg, defaults = c(
      "value", "region", "industry")[c(identical(value, "value"),
                                       identical(region, "region"),
                                       identical(industry, "industry"))])
    v <- cols$v
    check_nonfinite(v, "value", sprintf("column \"%s\"", cols$value), unit = "row")
    if (anyNA(v)) {
      if (!na.rm) cl_na_stop(v, "value", sprintf("column \"%s\"", cols$value), "row")
      v[is.na(v)] <- 0
      x[[cols$value]] <- v
    }
    st <- panel_stack(x, cols$value, cols$region, cols$industry, NULL, FALSE, arg = arg)
    if (any(st$x < 0)) stop_arg("value", "must not contain negative values")
    # the panel sort leaves rows unordered within a column: sparseMatrix() sorts
    return(Matrix::sparseMatrix(i = as.integer(st$ri), p = as.integer(st$cp),
                                x = as.double(st$x), dims = as.integer(st$dims[1:2]),
                                dimnames = list(as.character(st$regions),
                                                as.character(st$industries)),
                                index1 = FALSE))
  }
  if (methods::is(x, "Matrix")) {
    x <- if (methods::is(x, "sparseMatrix"))
      methods::as(methods::as(methods::as(x, "CsparseMatrix"), "generalMatrix"), "dMatrix")
    else as.matrix(x)
  }
  if (methods::is(x, "dgCMatrix")) {
    check_dgc(x, arg)
    # NaN and Inf first (named as such, with the cell's row and column),
    # then NA; labels are read with cl_labels() (made up here they would
    # cost memory per row)
    bad <- which(is.nan(x@x) | is.infinite(x@x))
    if (length(bad))
      stop_arg(arg, "must not contain infinite values or NaN (", length(bad),
               " found; the first, ", format(x@x[bad[1L]]), ", at ",
               cl_dgc_pos(x, bad[1L]), "); see ?`gvcluster-missing`")
    lq_check_values(x@x, arg)
    if (anyNA(x@x)) {
      if (!na.rm) cl_na_stop(x, arg, NULL, NULL)
      x@x[is.na(x@x)] <- 0
      x <- Matrix::drop0(x)
    }
    return(x)
  }
  if (is.matrix(x) && (is.numeric(x) || is.logical(x))) {
    if (is.logical(x)) storage.mode(x) <- "double"
    x <- check_numeric(x, arg)
    lq_check_values(x, arg)
    if (anyNA(x)) {
      if (!na.rm) cl_na_stop(x, arg, NULL, NULL)
      x[is.na(x)] <- 0
    }
    # labels are read with cl_labels(): setting dimnames would copy the data
    return(x)
  }
  stop_arg(arg, "must be a numeric matrix (regions in rows, industries in ",
           "columns), a Matrix::dgCMatrix or a long data frame, not ", describe(x))
}

# Memory in proportion to the regions and industries of a table (however
# few its non-zero cells), checked before anything is allocated: `size` is
# function(nr, ni) giving the bytes a function needs; beyond 16 GB (the
# limit of the indices) an error says how much and what to do.
cl_check_size <- function(tab, size, arg = "x") {
  d <- as.double(dim(tab))
  need <- size(d[1L], d[2L])
  if (need > 2^34) {
    nnz <- if (is.matrix(tab)) d[1L] * d[2L] else as.double(length(tab@x))
    stop_arg(arg, sprintf(paste0(
      "has %.0f rows (regions) and %.0f columns (industries): the result needs ",
      "memory in proportion to them (about %.0f GB here), however few the ",
      "non-zero cells (%.0f); drop the empty rows and columns first, e.g. ",
      "x[Matrix::rowSums(x != 0) > 0, ]"), d[1L], d[2L], need / 2^30, nnz))
  }
  invisible(tab)
}

# A tall sparse table without its empty rows (regions with no value have no
# RCA and add nothing to any total): what relatedness() needs, in O(nnz).
cl_drop_empty_rows <- function(tab) {
  if (is.matrix(tab) || as.double(tab@Dim[1L]) <= 2 * length(tab@i) + 1e5) return(tab)
  u <- sort.int(unique(tab@i))
  rn <- tab@Dimnames[[1L]]
  methods::new("dgCMatrix", i = match(tab@i, u) - 1L, p = tab@p, x = tab@x,
               Dim = c(length(u), tab@Dim[2L]),
               Dimnames = list(if (!is.null(rn)) rn[u + 1L], tab@Dimnames[[2L]]))
}

# The error for an NA with na.rm = FALSE: how many, where the first is, and
# what to do.
cl_na_stop <- function(v, arg, what, unit) {
  if (methods::is(v, "dgCMatrix")) {
    k <- which(is.na(v@x))
    pos <- cl_dgc_pos(v, k[1L])
  } else {
    k <- which(is.na(v))
    pos <- cl_na_pos(v, k[1L], unit)
  }
  stop_arg(arg, if (is.null(what)) "" else paste0(what, " "),
           "must not contain NA (", length(k), " found; the first at ", pos,
           "): every RCA depends on the totals, which an NA would make unknown; ",
           "use `na.rm = TRUE` to leave such cells out; see ?`gvcluster-missing`")
}

# "[row, column]" (labels where it has them) of the k-th stored value of a
# dgCMatrix.
cl_dgc_pos <- function(v, k) {
  rc <- c(v@i[k] + 1L, findInterval(k - 1, v@p))
  dn <- v@Dimnames
  sprintf("[%s, %s]", if (is.null(dn[[1L]])) rc[1L] else paste0('"', dn[[1L]][rc[1L]], '"'),
          if (is.null(dn[[2L]])) rc[2L] else paste0('"', dn[[2L]][rc[2L]], '"'))
}

cl_na_pos <- function(v, k, unit) {
  if (!is.null(dim(v))) {
    r <- (k - 1L) %% nrow(v) + 1L; cc <- (k - 1L) %/% nrow(v) + 1L
    rn <- rownames(v); cn <- colnames(v)
    sprintf("[%s, %s]", if (is.null(rn)) r else paste0('"', rn[r], '"'),
            if (is.null(cn)) cc else paste0('"', cn[cc], '"'))
  } else sprintf("%s %.0f", unit, as.numeric(k))
}

cl_check_cutoff <- function(cutoff) {
  if (!is.numeric(cutoff) || length(cutoff) != 1L || is.na(cutoff) ||
      !is.finite(cutoff) || cutoff <= 0)
    stop_arg("cutoff", "must be a single positive finite number")
  as.double(cutoff)
}

# Incidence matrix: the RCA indicator (rca = TRUE) or x itself, which must
# then hold only 0 and 1. Dense stays dense, sparse stays sparse; a region or
# industry whose total is zero has no RCA anywhere.
cl_incidence <- function(x, value, region, industry, rca = TRUE, cutoff = 1,
                         na.rm = FALSE, size = function(nr, ni) 80 * (nr + ni),
                         drop_empty = FALSE) {
  check_flag(rca, "rca")
  cutoff <- cl_check_cutoff(cutoff)
  tab <- cl_table(x, value, region, industry, na.rm = na.rm)
  if (drop_empty) tab <- cl_drop_empty_rows(tab)
  cl_check_size(tab, size)
  if (rca) {
    M <- lq(tab, type = "binary", cutoff = cutoff)
    if (is.matrix(M)) {
      if (anyNA(M)) M[is.na(M)] <- 0
    } else M <- Matrix::drop0(M)
  } else {
    v <- if (is.matrix(tab)) tab else tab@x
    if (any(v != 0 & v != 1))
      stop_arg("x", "must hold only 0 and 1 when `rca = FALSE` (an incidence matrix)")
    M <- if (is.matrix(tab)) tab else Matrix::drop0(tab)
  }
  list(M = M, table = tab, regions = cl_labels(tab, 1L), industries = cl_labels(tab, 2L))
}

# Row (k = 1) or column (k = 2) labels of a table, "1", "2", ... when unnamed.
cl_labels <- function(tab, k) {
  lab <- dimnames(tab)[[k]]
  if (is.null(lab)) as.character(seq_len(dim(tab)[k])) else lab
}

# .Call arguments for an incidence matrix.
cl_slots <- function(M) {
  if (is.matrix(M)) list(x = M, i = NULL, p = NULL, dims = as.double(dim(M)))
  else list(x = M@x, i = M@i, p = M@p, dims = as.double(M@Dim))
}

# Co-occurrence counts (method "counts") or a co-location relatedness,
# normalised in C.
cl_cooccurrence <- function(M, method = "counts", labels = cl_labels(M, 2L)) {
  s <- cl_slots(M)
  C <- .Call(ffi_rel_cooccurrence, s$x, s$i, s$p, s$dims, n_threads(), method)
  dimnames(C) <- list(labels, labels)
  C
}

#' Relatedness between industries
#'
#' Industry x industry relatedness from the co-location of industries
#' across regions (Hidalgo et al., 2007, and the co-occurrence
#' normalisations of van Eck and Waltman, 2009) or from the input-output
#' links of an [icio()] table (Delgado, Porter and Stern, 2016).
#'
#' @section Co-location methods:
#' Let \eqn{M_{rk} = 1} where region \eqn{r} has a revealed comparative
#' advantage in industry \eqn{k}, i.e. where its location quotient
#' ([lq()]) is at least `cutoff` (default 1, the binarisation of Hidalgo et
#' al.), and 0 elsewhere (also where the region's or the industry's total is
#' zero). With `rca = FALSE`, `x` is taken as this 0/1 matrix itself. Let
#' \eqn{C = M^\top M}{C = M'M} count the regions where two industries are
#' both specialised, so that \eqn{C_{kk} = u_k} is the ubiquity of
#' \eqn{k} (the number of regions specialised in it). Then for
#' \eqn{j \ne k}{j != k}:
#' * `"proximity"`: the minimum of the two conditional probabilities,
#'   \eqn{\phi_{jk} = C_{jk} / \max(u_j, u_k)}{phi[j, k] = C[j, k] / max(u[j], u[k])}
#'   (Hidalgo et al., 2007). In \[0, 1\].
#' * `"cosine"`: the cosine of the two industries' columns of \eqn{M},
#'   \eqn{C_{jk} / \sqrt{u_j u_k}}{C[j, k] / sqrt(u[j] u[k])}. In \[0, 1\].
#' * `"association"`: the association strength of the co-occurrence matrix
#'   (van Eck and Waltman, 2009), observed over expected co-occurrences,
#'   \eqn{C_{jk} T / (s_j s_k)} with \eqn{s_k = \sum_{j \ne k} C_{jk}}{s[k] = sum over j != k of C[j, k]}
#'   and \eqn{T = \sum_k s_k}: the ratio of the observed co-occurrences to
#'   those expected if they were formed at random in proportion to the
#'   totals, in \eqn{[0, \infty)}.
#'
#' The diagonal is 0 for every method (an industry's relatedness to itself
#' carries no information and would inflate densities). An industry found
#' in no region has relatedness 0 to all others. Values must be
#' non-negative and finite; `NA` is an error unless `na.rm = TRUE` leaves
#' those cells out; negative or infinite values are errors. Only the RCA pattern matters, so the
#' scale of the values does not (1e-300 or 1e300 alike).
#'
#' @section Input-output method (`"io"`):
#' `x` is an [icio()] table. Its intermediate flows are summed over
#' countries into a sector x sector matrix \eqn{Z} (and gross output
#' \eqn{y} likewise); with a `concordance` the sectors are first summed into
#' the panel's industries. With \eqn{\mathrm{out}_{jk} = Z_{jk} / y_j}{out[j, k] = Z[j, k] / y[j]}
#' (the share of \eqn{j}'s output sold to \eqn{k}) and
#' \eqn{\mathrm{in}_{jk} = Z_{kj} / y_j}{in[j, k] = Z[k, j] / y[j]} (the share
#' of \eqn{j}'s output value spent on inputs from \eqn{k}), the relatedness
#' is the largest of the four links,
#' \eqn{\max(\mathrm{in}_{jk}, \mathrm{in}_{kj}, \mathrm{out}_{jk}, \mathrm{out}_{kj})},
#' the input-output measure of Delgado, Porter and Stern (2016). Flows of a
#' sector with itself are left out (diagonal 0); a sector with zero output
#' has no links.
#'
#' @section Peers:
#' EconGeo's `relatedness()` takes a co-occurrence matrix: its
#' `"association"` applied to `co_occurrence(t(M))` equals this
#' `"association"`; its `"cosine"` normalises by the co-occurrence totals
#' \eqn{s_k} rather than the ubiquities \eqn{u_k}, and its `"prob"` is a
#' probabilistic normalisation, not Hidalgo's proximity. economiccomplexity's
#' `proximity()` gives Hidalgo's proximity with the diagonal kept (1 where
#' \eqn{u_k > 0}); off the diagonal the two agree.
#'
#' @param x For the co-location methods: a regions x industries table of
#'   non-negative values (employment, output, exports), as a numeric matrix,
#'   a `Matrix::dgCMatrix` or a long data frame with one row per region and
#'   industry; for `"io"`, an [icio()] table.
#' @param method `"proximity"`, `"cosine"`, `"association"` or `"io"`.
#' @param value,region,industry For a data frame `x`: the names of its
#'   value, region and industry columns; by default "value", "region" and
#'   "industry" as in [lq()] (without such a column the argument is
#'   required).
#' @param cutoff The RCA threshold: an industry counts as present in a
#'   region where its location quotient is at least `cutoff` (default 1).
#' @param rca `TRUE` (default): binarise `x` by its location quotients;
#'   `FALSE`: `x` already is the 0/1 incidence matrix.
#' @param concordance For `"io"`: `NULL` (the table's sectors are the
#'   industries) or a character vector named by the table's sectors giving
#'   the industry of each (several sectors may map to one industry; every
#'   sector must be mapped).
#' @param sparse Return a `dgCMatrix` (zeros not stored)? Default: when `x`
#'   is a `dgCMatrix`.
#' @param na.rm `FALSE` (default): an `NA` in `x` (or its value column) is
#'   an error, since it would make every RCA total, and so the whole result,
#'   unknown; `TRUE`: such cells are left out (counted as zero in the totals
#'   and as no RCA). `NaN` and `Inf` are errors either way (see
#'   [gvcluster-missing]).
#' @param ... Not used.
#'
#' @return A symmetric industries x industries matrix (dense or
#'   `dgCMatrix`) with the industries as dimnames and a zero diagonal.
#' @references
#' Hidalgo C. A., Klinger B., Barabási A.-L., Hausmann R. (2007). The
#' product space conditions the development of nations. *Science* 317,
#' 482-487.
#'
#' van Eck N. J., Waltman L. (2009). How to normalize cooccurrence data? An
#' analysis of some well-known similarity measures. *Journal of the
#' American Society for Information Science and Technology* 60, 1635-1651.
#'
#' Delgado M., Porter M. E., Stern S. (2016). Defining clusters of related
#' industries. *Journal of Economic Geography* 16, 1-38.
#' @seealso [relatedness_density()], [complexity()], [clusters()].
#' @examples
#' m <- matrix(c(5, 0, 3, 1,
#'               4, 1, 0, 2,
#'               0, 6, 1, 0,
#'               1, 5, 0, 3), 4, byrow = TRUE,
#'             dimnames = list(paste0("r", 1:4), c("a", "b", "c", "d")))
#' relatedness(m)
#' relatedness(m, "cosine")
#' relatedness(Matrix::Matrix(m, sparse = TRUE), "association")
#' relatedness(icio_example, "io")
#' @export
relatedness <- function(x, method = c("proximity", "cosine", "association", "io"),
                        value = "value", region = "region", industry = "industry",
                        cutoff = 1, rca = TRUE, concordance = NULL,
                        sparse = NULL, na.rm = FALSE, ...) {
  check_dots(...)
  method <- match.arg(method)
  check_flag(na.rm, "na.rm")
  if (!is.null(sparse)) check_flag(sparse, "sparse")
  if (method == "io") {
    if (!inherits(x, "icio"))
      stop_arg("x", "must be an icio table for method \"io\", not ", describe(x))
    check_icio(x)
    out <- rel_io(x, concordance)
    return(if (isTRUE(sparse)) methods::as(Matrix::Matrix(out, sparse = TRUE), "generalMatrix") else out)
  }
  if (!is.null(concordance))
    stop_arg("concordance", "applies only to method \"io\"")
  if (inherits(x, "icio"))
    stop_arg("method", "must be \"io\" for an icio table")
  # the industries x industries result (and its co-occurrence counts); the
  # empty rows of a tall sparse table are dropped first
  inc <- cl_incidence(x, value, region, industry, rca, cutoff, na.rm,
                      size = function(nr, ni) 80 * (nr + ni) + 24 * ni^2,
                      drop_empty = TRUE)
  if (is.null(sparse)) sparse <- methods::is(x, "sparseMatrix")
  out <- cl_cooccurrence(inc$M, method, inc$industries)
  if (sparse) out <- methods::as(Matrix::Matrix(out, sparse = TRUE), "generalMatrix")
  out
}

# Input-output relatedness (Delgado, Porter and Stern 2016) from an icio table.
rel_io <- function(x, concordance) {
  N <- x$N
  sec <- x$sectors
  code <- rep(seq_len(N), x$G)            # sector of each row/column
  if (is.null(concordance)) {
    ind <- sec
    grp <- code
  } else {
    if (!is.character(concordance) || is.null(names(concordance)) || anyNA(concordance))
      stop_arg("concordance", "must be a character vector of industries named by the table's sectors")
    if (anyDuplicated(names(concordance)))
      stop_arg("concordance", "names a sector more than once")
    miss <- setdiff(sec, names(concordance))
    if (length(miss))
      stop_arg("concordance", "has no industry for sector(s) ",
               paste0('"', utils::head(miss, 3), '"', collapse = ", "))
    extra <- setdiff(names(concordance), sec)
    if (length(extra))
      stop_arg("concordance", "names sector(s) not in the table: ",
               paste0('"', utils::head(extra, 3), '"', collapse = ", "))
    map <- concordance[sec]
    ind <- sort(unique(unname(map)))
    grp <- match(map, ind)[code]
  }
  K <- length(ind)
  G <- Matrix::sparseMatrix(i = seq_along(grp), j = grp, x = 1, dims = c(length(grp), K))
  Z <- as.matrix(Matrix::crossprod(G, x$Z %*% G))
  y <- as.vector(Matrix::crossprod(G, x$x))
  diag(Z) <- 0
  out_sh <- Z / y                     # out[j, k] = Z[j, k] / y[j]
  in_sh <- t(Z) / y                   # in[j, k]  = Z[k, j] / y[j]
  out_sh[!is.finite(out_sh)] <- 0
  in_sh[!is.finite(in_sh)] <- 0
  r <- pmax(out_sh, t(out_sh), in_sh, t(in_sh))
  dimnames(r) <- list(ind, ind)
  r
}

# A relatedness matrix for the density and the clusters: square over the
# industries, non-negative and finite; reordered by names when they match.
cl_check_relatedness <- function(relatedness, industries, arg = "relatedness",
                                 named = TRUE) {
  if (methods::is(relatedness, "Matrix")) relatedness <- as.matrix(relatedness)
  if (!is.matrix(relatedness) || !is.numeric(relatedness))
    stop_arg(arg, "must be a square numeric matrix (industries x industries), not ",
             describe(relatedness))
  k <- length(industries)
  if (nrow(relatedness) != k || ncol(relatedness) != k)
    stop_arg(arg, "must be ", k, " x ", k, " (one row and column per industry of `x`), not ",
             nrow(relatedness), " x ", ncol(relatedness))
  if (anyNA(relatedness)) stop_arg(arg, "must not contain NA")
  if (any(is.infinite(relatedness))) stop_arg(arg, "must not contain infinite values")
  if (any(relatedness < 0)) stop_arg(arg, "must not contain negative values")
  # matched by name where it carries names: rows by row names, columns by
  # column names; names on one side only must be in the industries' order
  # (the other side's order cannot be confirmed otherwise)
  rn <- rownames(relatedness); cn <- colnames(relatedness)
  q <- function(v) paste0('"', utils::head(v, 3), '"', collapse = ", ")
  find <- function(nm, side) {
    m <- match(industries, nm)
    if (anyNA(m) || anyDuplicated(nm)) {
      if (!named)
        stop_arg(arg, "has ", side, " names (", q(nm), ") but the industries of `x` ",
                 "have none: name the columns of `x` so the two can be matched")
      if (anyDuplicated(nm))
        stop_arg(arg, "names industry \"", nm[anyDuplicated(nm)], "\" twice in its ", side, "s")
      stop_arg(arg, "has no ", side, " for industry ", q(industries[is.na(m)]))
    }
    m
  }
  if (!is.null(rn) && !is.null(cn)) {
    relatedness <- relatedness[find(rn, "row"), find(cn, "column"), drop = FALSE]
  } else if (!is.null(rn) || !is.null(cn)) {
    side <- if (is.null(rn)) "column" else "row"
    m <- find(if (is.null(rn)) cn else rn, side)
    if (!identical(m, seq_len(k)))
      stop_arg(arg, "has ", side, " names but no ", if (side == "row") "column" else "row",
               " names, and its ", side, "s are in another order than the industries ",
               "of `x` (", q(industries), "): the order of its ",
               if (side == "row") "columns" else "rows", " cannot be confirmed; ",
               "give it both row and column names")
  }
  storage.mode(relatedness) <- "double"
  dimnames(relatedness) <- list(industries, industries)
  relatedness
}

# Density (scale = TRUE) or the plain product M %*% phi (scale = FALSE).
cl_density <- function(M, phi, scale = TRUE) {
  s <- cl_slots(M)
  .Call(ffi_rel_density, s$x, s$i, s$p, s$dims, t(phi), n_threads(),
        as.integer(scale))
}

#' Relatedness density
#'
#' How much of what is related to an industry a region already does: the
#' relatedness density of Hidalgo et al. (2007), for every region and
#' industry.
#'
#' @section Formula:
#' With \eqn{M} the RCA incidence matrix of `x` (see [relatedness()]) and
#' \eqn{\phi} the relatedness matrix,
#' \deqn{d_{rj} = \frac{\sum_k M_{rk} \phi_{kj}}{\sum_k \phi_{kj}}.}{d[r, j] = sum_k M[r, k] phi[k, j] / sum_k phi[k, j].}
#' Because \eqn{M} is 0 or 1 and \eqn{\phi \ge 0}{phi >= 0}, the density
#' lies in \[0, 1\] by construction: 0 for a region with no RCA at all, 1
#' where the region has every industry related to \eqn{j}. It is `NA` for an
#' industry related to no other (a zero column of \eqn{\phi}). With a zero
#' diagonal (as [relatedness()] returns), whether the region has \eqn{j}
#' itself does not count.
#'
#' EconGeo's `relatedness_density()` multiplies by 100, rounds to two
#' decimals and does not binarise its input: given a matrix of values rather
#' than 0/1 it returns "densities" above 100. On a 0/1 matrix it equals 100
#' times this density, rounded.
#'
#' The work is one pass over the rows of \eqn{\phi} per industry a region
#' has (or lacks, when it has more than half of them), shared between
#' `getOption("gvcluster.threads", 2)` threads.
#'
#' @inheritParams relatedness
#' @param relatedness An industries x industries non-negative matrix, such
#'   as [relatedness()] returns (dense or sparse); when named, matched to
#'   the industries of `x` by name.
#' @return A regions x industries numeric matrix with values in \[0, 1\]
#'   (or `NA`, see above).
#' @examples
#' m <- matrix(c(5, 0, 3, 1,
#'               4, 1, 0, 2,
#'               0, 6, 1, 0,
#'               1, 5, 0, 3), 4, byrow = TRUE,
#'             dimnames = list(paste0("r", 1:4), c("a", "b", "c", "d")))
#' phi <- relatedness(m)
#' relatedness_density(m, phi)
#' @export
relatedness_density <- function(x, relatedness, value = "value", region = "region",
                                industry = "industry", cutoff = 1, rca = TRUE,
                                na.rm = FALSE, ...) {
  check_dots(...)
  check_flag(na.rm, "na.rm")
  if (missing(relatedness)) stop_arg("relatedness", "is required: an industries x industries matrix")
  # the regions x industries result, dense
  inc <- cl_incidence(x, value, region, industry, rca, cutoff, na.rm,
                      size = function(nr, ni) 80 * (nr + ni) + 8 * nr * ni + 8 * ni^2)
  phi <- cl_check_relatedness(relatedness, inc$industries,
                              named = !is.null(dimnames(inc$table)[[2L]]))
  out <- cl_density(inc$M, phi)
  dimnames(out) <- list(inc$regions, inc$industries)
  out
}
