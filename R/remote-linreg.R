# linreg() on a remote table: the rows are read in blocks and reduced by a
# tall-skinny QR (TSQR), so R holds O(p^2 + block * p) numbers, never the
# n x p design.

#' Linear regression on a table held in a database or Spark
#'
#' `linreg(formula, data = tbl)` with `tbl` a remote table (a dbplyr
#' `tbl_lazy` on any DBI connection, or a Spark table through `sparklyr`)
#' fits the model without bringing the table into R, and returns the same
#' `linreg` object and printed table as for a data frame (class
#' `c("linreg_remote", "linreg")`).
#'
#' @section Computation:
#' The engine selects the variables of the formula and drops the rows with
#' a `NULL` in any of them (`na.omit` in SQL); for character columns (factors
#' in the formula) it lists their distinct values (the factor levels, sorted
#' as R sorts them). The rows then come to R in blocks of `block_size`; each
#' block's model matrix is built by [model.matrix()] (so every term R can
#' write works: factors, interactions, `log()`, `I(x^2)`, ...), with the
#' response appended, and reduced with the R factor of the rows so far by a
#' Householder QR (LAPACK's `dgeqrf`, without pivoting, in the package's C
#' code, as the one-pass QR of [linreg()] in memory): a tall-skinny QR whose
#' block factors merge exactly, needing memory O(p^2 + block * p). Column
#' means and centred sums of squares (for `Beta` and the VIF) are merged
#' block by block with Chan, Golub and LeVeque's pairwise update. The rank
#' rule, the triangular solves, the covariance and the condition number are
#' those of the in-memory fit, by the same C functions.
#'
#' A second pass over the blocks computes the residuals `y - X b` in
#' double-double arithmetic, `X'r` with the products split exactly, and
#' corrects `b` by the corrected semi-normal equations `R'R d = X'r`
#' (Bjorck 1987); the pass is repeated (at most `refine` times) until the
#' correction stops mattering. Each correction shrinks the error by a factor
#' of about `kappa * 1e-16` (kappa the condition number of the column-scaled
#' design), so designs with condition numbers up to about 1e10 reach the same
#' coefficients as [linreg()] in memory to 1e-9 relative or better. The last
#' pass also sums the residual sum of squares, the fitted values' spread
#' (for R²) and, with `order_by`, the Durbin-Watson statistic and the moments
#' of its normal approximation.
#'
#' Standard errors, the VIF and the covariance come from the R factor of
#' the double-precision TSQR when the design is well conditioned: they agree
#' with the in-memory fit (which factorises in double-double on small or
#' ill-conditioned designs) to about `kappa * 2e-17` relative, below 1e-11
#' for `kappa` up to 1e5. Above that condition number (of the column-scaled
#' design) the first refinement pass also sums the Gram matrix `X'X` exactly
#' (each product split into two doubles, the sums in double-double), and
#' `(X'X)^-1` is formed from it in double-double arithmetic (a Cholesky
#' factor, its inverse and their product), good to about
#' `kappa^2 * 1e-32`: the standard errors agree with the in-memory fit to
#' 1e-9 or better at condition numbers of 1e8 (the tests check 1e-9 at
#' 1.4e8). The pass then costs about twice as much.
#'
#' The Durbin-Watson p-value's normal approximation needs the moments
#' `tr(X'AX (X'X)^-1)`, `tr(X'A'AX (X'X)^-1)` and `tr((X'AX (X'X)^-1)^2)`.
#' Summed from `X` (as [linreg()] in memory and `lmtest::dwtest()` do) they
#' lose about `kappa^2 * 1e-16` in absolute terms. Here they are summed from
#' the rows of `Q = X R^-1` (R from the TSQR), whose columns are orthonormal
#' to about `kappa * 1e-16`, with `(Q'Q)^-1` in place of `(X'X)^-1`, which
#' leaves the traces unchanged in exact arithmetic and magnifies no error by
#' `kappa^2`. Against moments from an orthonormal basis of `X` (Householder
#' `qr.Q()`), the p-value agrees to 1e-9 at condition numbers up to 1.4e7 in
#' the tests (2e-15 at 1.4e5); the in-memory fit's p-value is itself off by
#' about `kappa^2 * 1e-20` relative (1e-10 at 1.4e5, 1e-5 at 1.4e7), so the
#' two differ by that much. At 1e8 both lose digits (1e-3 relative here).
#'
#' A column that is (numerically) a linear combination of the others is an
#' error on a remote table: drop it from the formula. `weights`, `subset`,
#' `offset` and `na.action` are not supported (filter and mutate the table
#' with dplyr first).
#'
#' @section Durbin-Watson:
#' The rows of a SQL table have no order. `order_by` names the column(s) that
#' order them (time, say); the rows are then read in that order and the
#' statistic and its p-value are computed as in memory (from 100 rows on, the
#' normal approximation with moments summed block by block; below, the exact
#' distribution from the few rows). Without `order_by` the statistic is `NA`
#' and the fit says why.
#'
#' @section Residuals and predictions:
#' `residuals()`, `fitted()` and `predict()` on a remote fit return remote
#' tables: the model's rows (complete cases, with the `order_by` columns)
#' with a column `.resid` or `.fitted` computed in the engine from the
#' coefficients; `predict(fit, newdata)` does the same for another remote
#' table, or computes in R for a data frame. Terms the engine must compute
#' (factor dummies, products of interactions, functions that dbplyr
#' translates such as `log()`) are written in SQL, rebuilt term by term
#' (so a dummy `gx` of factor `g` and a column `gx` are told apart). A
#' level of a factor in a remote `newdata` that the fit did not see is an
#' error, as in memory; a term with several columns, such as
#' `poly(x, 2, raw = TRUE)`, cannot be written in SQL (write its columns as
#' terms: `x + I(x^2)`). Terms whose values depend on all the rows at once
#' (`poly()` without `raw = TRUE`, `scale()`, splines) are an error in the
#' fit: the rows are read in blocks, each of which would get its own basis.
#' A character column with one value among the complete rows cannot be a
#' factor (an error naming it). `sensitivity()`,
#' `plot()`, `model.frame()` and `model.matrix()` need the rows in memory and
#' give an error on a remote fit.
#'
#' @param formula a model formula.
#' @param data a remote table (`tbl_lazy`).
#' @param order_by `NULL` or the name(s) of column(s) of `data` that order
#'   the rows, for the Durbin-Watson statistic.
#' @param block_size rows per block read into R (default 100,000).
#' @param refine at most this many refinement passes (default 3).
#' @param dw_alternative,dw_pvalue as for [linreg()].
#' @param tol rank tolerance, as for [linreg()]: with the columns scaled to
#'   about unit length (by powers of two), a column whose diagonal entry of R
#'   is at most `tol` times the largest is aliased (an error); `NULL` for
#'   `max(n, p) * 2.2e-16`.
#' @return An object of class `c("linreg_remote", "linreg")`, as [linreg()]
#'   but with `residuals`, `fitted.values` and `model` left out, and a
#'   `remote` element (the table of complete rows and `order_by`).
#' @references Bjorck, A. (1987) Stability analysis of the method of
#'   seminormal equations for linear least squares problems. *Linear Algebra
#'   and its Applications* 88/89, 31-48. Demmel, J., Grigori, L., Hoemmen, M.
#'   and Langou, J. (2012) Communication-optimal parallel and sequential QR
#'   and LU factorizations. *SIAM Journal on Scientific Computing* 34,
#'   A206-A239. Chan, T. F., Golub, G. H. and LeVeque, R. J. (1979) Updating
#'   formulae and a pairwise algorithm for computing sample variances.
#'   Stanford CS report STAN-CS-79-773.
#' @seealso [lq-remote] for location quotients and indices on remote tables.
#' @examples
#' if (requireNamespace("RSQLite", quietly = TRUE) &&
#'     requireNamespace("dbplyr", quietly = TRUE)) {
#'   con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
#'   DBI::dbWriteTable(con, "bengbu", bengbu)
#'   tb <- dplyr::tbl(con, "bengbu")
#'   fit <- linreg(LQ ~ infra + tech + fm, data = tb, order_by = "year")
#'   print(fit)
#'   print(dplyr::collect(residuals(fit)))
#'   DBI::dbDisconnect(con)
#' }
#' @name linreg-remote
NULL

linreg_remote <- function(formula, data, cl, unsupported, order_by = NULL,
                          block_size = 1e5, refine = 3L,
                          dw_alternative = "greater", dw_pvalue = TRUE, tol = NULL, ...) {
  if (...length())
    stop_arg("...", "has argument(s) a remote fit does not use: ",
             paste(names(list(...)), collapse = ", "))
  bad <- names(unsupported)[unsupported]
  if (length(bad))
    stop_arg(bad[1L], "is not supported when `data` is a remote table; ",
             "filter or mutate the table with dplyr first")
  check_flag(dw_pvalue, "dw_pvalue")
  block_size <- check_count(block_size, "block_size", min = 1)
  refine <- check_count(refine, "refine", min = 0)
  if (is.null(tol)) tol <- NA_real_
  else if (!is.numeric(tol) || length(tol) != 1L || is.na(tol) || tol < 0 || tol >= 1)
    stop_arg("tol", "must be a single number in [0, 1)")
  proto <- remote_proto(data, "data")
  if (!is.null(order_by)) check_column(proto, order_by, "order_by", "data")
  mt <- stats::terms(formula, data = proto)
  if (attr(mt, "response") == 0L)
    stop_arg("formula", "has no response (left-hand side)")
  vars <- all.vars(mt)
  miss <- setdiff(vars, names(proto))
  if (length(miss))
    stop_arg("formula", "names column(s) not in `data`: ",
             paste0('"', miss, '"', collapse = ", "))
  yname <- all.vars(mt[[2L]])
  for (v in vars) {
    col <- proto[[v]]
    ok <- is.numeric(col) || is.logical(col) || is.character(col) || is.factor(col)
    if (!ok || (v %in% yname && !(is.numeric(col) || is.logical(col))))
      stop_arg("formula", "needs numeric columns", if (!v %in% yname)
        " (or character columns, as factors)", "; column \"", v, "\" of `data` is ",
        describe_type(col), " in the engine")
  }
  # complete rows, in the engine
  q <- dplyr::select(data, !!!rlang::syms(unique(c(order_by, vars))))
  for (v in vars) q <- dplyr::filter(q, !is.na(!!rlang::sym(v)))
  chars <- vars[vapply(vars, function(v) is.character(proto[[v]]) ||
                         is.factor(proto[[v]]), logical(1))]
  xlev <- list()
  for (v in chars) {
    u <- dplyr::pull(dplyr::distinct(q, !!rlang::sym(v)))
    xlev[[v]] <- sort(unique(as.character(u)))
    # as model.matrix() would refuse it, in the user's terms
    if (length(xlev[[v]]) == 1L)
      stop_arg("formula", "uses column \"", v, "\" as a factor, but it has one ",
               "value (\"", xlev[[v]], "\") in the complete rows of `data`: a factor ",
               "needs at least two levels; drop it from the formula")
  }
  qd <- q
  if (!is.null(order_by)) q <- dplyr::arrange(q, !!!rlang::syms(order_by))
  con <- dbplyr::remote_con(data)
  sql <- dbplyr::sql_render(q, con = con)
  # sc: the powers of 2 that scale the columns of X (e) and y (ey) when their
  # magnitudes would overflow or underflow the sums (as the in-memory fit's
  # linreg_prescale()); every pass sees the scaled blocks
  sc <- NULL
  blocks <- function(f) remote_blocks(con, sql, block_size, mt, xlev,
    if (is.null(sc)) f else function(X, y) f(remote_times_pow2(X, sc$e), times_pow2(y, sc$ey)))

  # pass 1: TSQR of [X y], column statistics and largest magnitudes; again on
  # the scaled blocks if a column needs scaling
  st <- remote_pass1(blocks)
  sc <- remote_prescale(st$mx)
  if (!is.null(sc)) st <- remote_pass1(blocks)
  n <- if (is.null(st$cs)) 0 else st$cs$n
  if (n < 2)
    stop_arg("data", "must have at least 2 complete rows (has ", n, ")")
  cn <- st$cn
  p <- length(cn)
  if (!p) stop_arg("formula", "has no regressors (not even an intercept)")
  colnorm <- sqrt(st$cs$ss[seq_len(p)])
  # the R factor of [X y]: the in-memory fit's rank rule, the coefficients,
  # R^-1, (R'R)^-1 and the singular values of R with unit columns, in C
  rf <- .Call(ffi_lsq_rfactor, st$R, colnorm, as.double(n), as.double(tol))
  if (any(rf$aliased))
    stop_arg("formula", "has column(s) that are linear combinations of the others ",
             "(aliased): ", paste(cn[rf$aliased], collapse = ", "),
             "; drop them for a remote fit")
  b <- rf$coefficients

  # refinement passes; the last one sums the statistics
  intercept <- attr(mt, "intercept") > 0L
  want_dw <- !is.null(order_by)
  want_mom <- want_dw && dw_pvalue && n >= 100
  steps <- 0L
  # an ill-conditioned design (of unit columns): the first refinement pass
  # also sums X'X in double-double, for the covariance (ffi_lsq_cov_dd())
  sv <- rf$singular_values
  want_gram <- is.finite(sv[1L] / sv[p]) && sv[1L] / sv[p] > 1e5
  cov <- NULL
  # the Durbin-Watson moments are summed over the rows of Q = X R^-1, whose
  # columns are (nearly) orthonormal (see remote_dw())
  Rinv <- if (want_mom) rf$rinv else NULL
  repeat {
    acc <- remote_pass(blocks, b, p, want_dw, want_mom, want_dw && n < 100,
                       want_gram && steps == 0L, Rinv)
    # (X'X)^-1 from the Gram matrix of the first pass, in double-double in C
    # (NULL if its Cholesky factorisation breaks down)
    if (want_gram && steps == 0L) cov <- .Call(ffi_lsq_cov_dd, acc$xr)
    # the corrected semi-normal equations R'R d = X'r
    cr <- .Call(ffi_lsq_correct, st$R, acc$xr, b)
    if (cr$converged || steps >= refine) break
    b <- cr$coefficients
    steps <- steps + 1L
  }
  if (is.null(cov)) cov <- rf$cov_unscaled
  out <- remote_assemble(b, cov, rf, acc, st, mt, xlev, cl, n, p, cn, intercept,
                         colnorm, dw_alternative, dw_pvalue, order_by, qd, steps,
                         block_size, sql, con)
  if (is.null(sc)) return(out)
  out <- linreg_unscale(out, sc$e, sc$ey)
  out[c("residuals", "fitted.values")] <- list(NULL, NULL)
  out
}

# Pass 1 over the blocks: the R factor of [X y] (TSQR), the column
# statistics and the largest absolute value of each column.
remote_pass1 <- function(blocks) {
  st <- new.env()
  st$R <- NULL; st$cs <- NULL; st$nb <- 0L; st$cn <- NULL; st$assign <- NULL
  st$contrasts <- NULL
  blocks(function(X, y) {
    if (is.null(st$cn)) {
      st$cn <- colnames(X); st$assign <- attr(X, "assign")
      st$contrasts <- attr(X, "contrasts")
    }
    Xy <- cbind(X, y)
    st$cs <- colstats_merge(st$cs, Xy)
    st$R <- tsqr_merge(st$R, Xy)
    st$nb <- st$nb + 1L
  })
  st$mx <- st$cs$maxabs
  st
}

# The exponents that bring the columns of X (e) and y (ey) whose largest
# magnitude mx lies beyond 2^+-400 to [0.5, 1), as linreg_prescale() does in
# memory; NULL when none does.
remote_prescale <- function(mx) {
  if (is.null(mx)) return(NULL)
  lim <- 2^400
  e <- ifelse(mx > 0 & (mx < 1 / lim | mx > lim), pow2_exponent(mx), 0)
  if (all(e == 0)) return(NULL)
  k <- length(e)
  list(e = e[-k], ey = e[k])
}

# X with column j times 2^e[j] (attributes kept).
remote_times_pow2 <- function(X, e) {
  for (j in which(e != 0)) X[, j] <- times_pow2(X[, j], e[j])
  X
}

# Run f(X, y) on each block of complete rows.
remote_blocks <- function(con, sql, block_size, mt, xlev, f) {
  res <- DBI::dbSendQuery(con, sql)
  on.exit(DBI::dbClearResult(res))
  repeat {
    blk <- DBI::dbFetch(res, n = block_size)
    if (!nrow(blk)) break
    for (v in names(xlev)) blk[[v]] <- factor(blk[[v]], levels = xlev[[v]])
    mf <- stats::model.frame(mt, blk, na.action = stats::na.pass, xlev = xlev)
    remote_check_predvars(mt, mf)
    X <- stats::model.matrix(mt, mf)
    y <- mf[[1L]]
    if (!is.numeric(y)) y <- as.numeric(y)
    if (!is.double(X)) storage.mode(X) <- "double"
    # NaN (log of a negative number, 0/0) and Inf named as such, as in memory
    kind <- function(v) if (any(is.nan(v))) "NaN (e.g. the log of a negative number or 0/0)"
                        else "infinite values"
    if (any(!is.finite(y)))
      stop_arg("formula", "response ", deparse1(mt[[2L]]), " contains ", kind(y))
    if (any(!is.finite(X))) {
      bad <- colnames(X)[colSums(!is.finite(X)) > 0]
      stop_arg("formula", "regressor(s) contain ", kind(X[, bad, drop = FALSE]), ": ",
               paste(bad, collapse = ", "))
    }
    f(X, as.double(y))
    if (DBI::dbHasCompleted(res)) break
  }
  invisible(NULL)
}

# Terms whose values depend on all the rows at once (poly(), scale(),
# splines: their `predvars` differ from the variables once a frame is
# built) would be computed block by block with different bases: an error.
remote_check_predvars <- function(mt, mf) {
  pv <- attr(attr(mf, "terms"), "predvars")
  vv <- attr(mt, "variables")
  if (is.null(pv) || identical(pv, vv)) return(invisible())
  a <- as.list(vv)[-1L]; b <- as.list(pv)[-1L]
  bad <- vapply(a, deparse1, "")[!mapply(identical, a, b)]
  stop_arg("formula", "has term(s) computed from all the rows at once (",
           paste(bad, collapse = ", "), "): a remote fit reads the rows in blocks, ",
           "each of which would get its own basis; write them from the columns ",
           "(x + I(x^2) for poly(x, 2); a dplyr::mutate() of the table for scale()) ",
           "or collect the table and fit it in memory")
}

# R factor of rbind(R, B): Householder QR without pivoting in C
# (ffi_lsq_tsqr, LAPACK dgeqrf, as the in-memory fit's blocked QR).
tsqr_merge <- function(R, B) .Call(ffi_lsq_tsqr, R, B)

# Chan-Golub-LeVeque merge of counts, means and centred sums of squares (and
# uncentred sums of squares, largest magnitudes), in C (ffi_lsq_colstats).
colstats_merge <- function(acc, B) .Call(ffi_lsq_colstats, acc, B)

# One pass: in C (ffi_lsq_block), the residuals, X'r (and X'X) in
# double-double, the residual and fitted statistics and the Durbin-Watson
# numerator; with an order and many rows, the Durbin-Watson moments.
remote_pass <- function(blocks, b, p, want_dw, want_mom, keep_small, want_gram = FALSE,
                        Rinv = NULL) {
  a <- new.env()
  # the Durbin-Watson moments' running state (ffi_linreg_dwmoments), taken
  # in the coordinates Q = X R^-1 (well conditioned), with Q'Q
  a$mom <- list(ZAZ = matrix(0, p, p), AZAZ = matrix(0, p, p), last_x = NULL,
                last_u = numeric(p), rinv = Rinv, QQ = matrix(0, p, p))
  a$small <- NULL
  a$xr <- NULL
  blocks(function(X, y) {
    # carried across blocks in C (the block's sum of X'r is large even where
    # the total is near 0)
    k <- .Call(ffi_lsq_block, X, y, b, a$xr, want_gram)
    a$xr <- k[c("xr_hi", "xr_lo", "gram_hi", "gram_lo", "sums")]
    # the rows of this block through the C helper the in-memory fit uses
    # (dw_stream_block() in src/linreg.c)
    if (want_mom) a$mom <- .Call(ffi_linreg_dwmoments, X, NULL, seq_len(p), a$mom)
    if (keep_small)
      a$small <- list(X = rbind(a$small$X, X), r = c(a$small$r, k$r),
                      f = c(a$small$f, k$fitted))
  })
  a$ZAZ <- a$mom$ZAZ; a$QQ <- a$mom$QQ
  # the last row of A X, u_{n-1} - 0, which the stream cannot know is last
  a$AZAZ <- a$mom$AZAZ + tcrossprod(a$mom$last_u)
  s <- a$xr$sums
  a$rss <- s[["rss"]]; a$yss <- s[["yss"]]; a$dnum <- s[["ssd"]]
  a$fs <- list(n = s[["fit_n"]], mean = s[["fit_mean"]], m2 = s[["fit_m2"]],
               ss = s[["fit_ss"]])
  as.list(a)
}

remote_assemble <- function(b, cov, rf, acc, st, mt, xlev, cl, n, p, cn, intercept,
                            colnorm, dw_alternative, dw_pvalue, order_by, q, steps,
                            block_size, sql, con) {
  coef <- stats::setNames(b, cn)
  dimnames(cov) <- list(cn, cn)
  rank <- p
  rdf <- n - rank
  rss <- acc$rss
  sigma <- if (rdf > 0) sqrt(rss / rdf) else NaN
  se <- stats::setNames(sqrt(diag(cov)) * sigma, cn)
  mss <- unname(if (intercept) acc$fs$m2 else acc$fs$ss)
  df.int <- if (intercept) 1L else 0L
  r2 <- if (mss + rss > 0) mss / (mss + rss) else NaN
  adj <- 1 - (1 - r2) * ((n - df.int) / rdf)
  df1 <- rank - df.int
  Fst <- if (df1 > 0 && rdf > 0) (mss / df1) / (rss / rdf) else NaN
  Fp <- if (is.finite(Fst)) stats::pf(Fst, df1, rdf, lower.tail = FALSE) else NA_real_
  css <- stats::setNames(st$cs$m2[seq_len(p)], cn)
  ysd2 <- st$cs$m2[p + 1L]
  is_int <- cn == "(Intercept)"
  aliased <- stats::setNames(rep(FALSE, p), cn)
  beta <- coef * sqrt(css) / sqrt(ysd2)
  beta_note <- rep(NA_character_, p)
  beta[is_int] <- NA_real_
  beta_note[is_int] <- "intercept"
  zero_var <- !is_int & css == 0
  beta[zero_var] <- NA_real_
  beta_note[zero_var] <- "zero variance"
  if (ysd2 == 0) {
    beta[] <- NA_real_
    beta_note[!is_int] <- "response has zero variance"
  }
  names(beta) <- names(beta_note) <- cn
  vif <- stats::setNames(rep(NA_real_, p), cn)
  vif_note <- stats::setNames(rep(NA_character_, p), cn)
  keep <- !is_int
  vif[keep] <- if (intercept) diag(cov)[keep] * css[keep] else
    diag(cov)[keep] * colnorm[keep]^2
  vif[keep & zero_var & intercept] <- NA_real_
  vif_note[is_int] <- "intercept"
  vif_note[keep & zero_var & intercept] <- "zero variance"
  gvif <- linreg_gvif(cov, st$assign, attr(mt, "term.labels"), aliased)
  sv <- rf$singular_values
  idx <- stats::setNames(sv[1L] / sv, paste0("dim", seq_len(p)))
  cond <- list(number = max(idx), indices = idx, singular.values = sv)
  dw <- remote_dw(acc, n, p, rdf, cov, dw_alternative, dw_pvalue, order_by)
  ll <- 0.5 * (-n * (log(2 * pi) + 1 - log(n) + log(rss)))
  stats <- linreg_stats(n, r2, adj, sigma, Fst, df1, rdf, Fp, rss, mss, ll, rank)
  out <- list(coefficients = coef, se = se, beta = beta, beta_note = beta_note,
              vif = vif, vif_note = vif_note, gvif = gvif, aliased = aliased,
              cov.unscaled = cov, residuals = NULL, fitted.values = NULL,
              weights = NULL, offset = NULL, rank = rank, df.residual = rdf,
              na.action = NULL, call = cl, terms = mt, model = NULL,
              contrasts = st$contrasts, xlevels = xlev,
              stats = stats, dw = dw, condition = cond,
              qr_info = list(method = "tsqr (remote, blocks)", rank = rank,
                             rcond = 1 / cond$number, refine_steps = steps,
                             tol = NA_real_, pivot = seq_len(p), threads = 1L,
                             blocks = st$nb, block_size = block_size),
              sigma = sigma,
              remote = list(data = q, order_by = order_by, sql = sql))
  class(out) <- c("linreg_remote", "linreg")
  out$warnings <- linreg_warnings(out, p)
  out
}

remote_dw <- function(acc, n, k, rdf, cov, alternative, pvalue, order_by) {
  out <- list(statistic = NA_real_, p.value = NA_real_, method = NA_character_,
              alternative = alternative, note = "")
  if (is.null(order_by)) {
    out$note <- "the rows of a remote table have no order; give `order_by`"
    return(out)
  }
  ssr <- acc$rss
  stat <- if (ssr > (1e-14)^2 * acc$yss) acc$dnum / ssr else NA_real_
  out$statistic <- stat
  if (!is.finite(stat)) { out$note <- "the residuals are zero (an exact fit)"; return(out) }
  if (!pvalue) { out$note <- "not requested (dw_pvalue = FALSE)"; return(out) }
  if (n < 3L) { out$note <- "fewer than 3 observations"; return(out) }
  if (rdf < 2L) {
    out$note <- if (rdf < 1L) "no residual degrees of freedom" else
      "with 1 residual degree of freedom the statistic is a constant"
    return(out)
  }
  if (n < 100L) {
    # the few rows are in memory: the exact distribution as for a data frame
    des <- list(x = acc$small$X, names = colnames(acc$small$X), n = n)
    z <- list(pivot = seq_len(k), rank = k, cov_unscaled = cov, fitted = acc$small$f)
    return(linreg_dw(des, acc$small$r, NULL, z, n, rdf, alternative, TRUE, NULL))
  }
  # tr(X'AX (X'X)^-1) = tr(Q'AQ (Q'Q)^-1) for Q = X R^-1, and so on: with
  # Q'Q near the identity, no error of X'AX is magnified by kappa^2
  out$p.value <- dw_normal_pvalue(stat, n, k, acc$ZAZ, acc$AZAZ, solve(acc$QQ), alternative)
  out$method <- "normal approximation"
  out
}

# ---- methods -----------------------------------------------------------------

# The SQL expression (an R call dbplyr translates) of the fitted values.
# The model matrix's columns are rebuilt term by term, in model.matrix()'s
# order (the first variable of a term varying fastest), each from the
# variables of its own term: a factor's dummies (treatment contrasts) and the
# numeric variables. The names so built must be the coefficients' names in
# order; the coefficients are then matched by position, so that a dummy and
# a numeric column of the same name (factor g with level "x", column gx)
# cannot be confused.
remote_fitted_expr <- function(object) {
  cf <- object$coefficients
  mt <- object$terms
  xlev <- object$xlevels
  ctr <- object$contrasts
  for (f in names(ctr)) {
    if (!identical(ctr[[f]], "contr.treatment"))
      stop_arg("object", "uses contrasts \"", ctr[[f]], "\" for \"", f,
               "\"; only treatment contrasts are written in SQL")
  }
  fac <- attr(mt, "factors")
  vexpr <- as.list(attr(mt, "variables"))[-1L]
  vnames <- vapply(vexpr, deparse1, "")
  # the columns of one variable in a term: list(name, expr) pairs
  parts <- function(v, code) {
    if (v %in% names(xlev)) {
      lev <- xlev[[v]]
      if (code == 1L) lev <- lev[-1L]      # contrasts: the first level is the base
      return(lapply(lev, function(l) list(
        name = paste0(v, l), expr = rlang::expr(ifelse(!!rlang::sym(v) == !!l, 1, 0)))))
    }
    e <- vexpr[[match(v, vnames)]]
    if (is.call(e) && identical(e[[1L]], as.name("I"))) e <- e[[2L]]
    list(list(name = v, expr = e))
  }
  cols <- list()
  if (attr(mt, "intercept") > 0L) {
    cols <- list(list(name = "(Intercept)", expr = NULL))
  } else {
    # no intercept: the first factor of the first term with a factor gets a
    # dummy for every level, as model.matrix() codes it
    for (t in seq_len(ncol(fac))) {
      f1 <- rownames(fac)[fac[, t] > 0 & rownames(fac) %in% names(xlev)]
      if (length(f1)) { fac[f1[1L], t] <- 2L; break }
    }
  }
  for (t in seq_len(ncol(fac))) {
    vs <- rownames(fac)[fac[, t] > 0]
    tc <- list(list(name = NULL, expr = NULL))
    for (v in vs) {
      pv <- parts(v, fac[v, t])
      tc <- unlist(lapply(pv, function(b) lapply(tc, function(a) list(
        name = c(a$name, b$name),
        expr = if (is.null(a$expr)) b$expr else rlang::expr(!!a$expr * !!b$expr)))),
        recursive = FALSE)
    }
    for (k in seq_along(tc)) tc[[k]]$name <- paste(tc[[k]]$name, collapse = ":")
    cols <- c(cols, tc)
  }
  nm <- vapply(cols, `[[`, "", "name")
  if (!identical(nm, names(cf))) {
    bad <- names(cf)[!names(cf) %in% nm]
    stop_arg("object", "has term(s) that cannot be written in SQL",
             if (length(bad)) paste0(" (", paste(utils::head(bad, 3), collapse = ", "),
                                     ": a term with several columns, such as poly())"),
             "; write each column as a term of its own (x + I(x^2)) or collect the ",
             "rows and predict in memory")
  }
  terms <- list()
  for (j in seq_along(cf)) {
    # all 17 digits of the coefficient (dbplyr would write 15)
    bj <- dbplyr::sql(sprintf("(%.17g)", cf[[j]]))
    e <- cols[[j]]$expr
    terms[[j]] <- if (is.null(e)) bj else rlang::expr(!!bj * !!e)
  }
  Reduce(function(a, b) rlang::expr(!!a + !!b), terms)
}

# The factors of the fit have no level in `newdata` (remote) that the fit
# did not see: the error predict() gives in memory.
remote_check_levels <- function(object, newdata) {
  proto <- remote_proto(newdata, "newdata")
  vars <- all.vars(stats::delete.response(object$terms))
  miss <- setdiff(vars, names(proto))
  if (length(miss))
    stop_arg("newdata", "lacks the column(s) of the model: ",
             paste0('"', miss, '"', collapse = ", "))
  for (v in names(object$xlevels)) {
    u <- dplyr::pull(dplyr::distinct(dplyr::select(newdata, !!rlang::sym(v))))
    u <- as.character(u[!is.na(u)])
    new <- setdiff(u, object$xlevels[[v]])
    if (length(new))
      stop_arg("newdata", "has values the fit did not see: factor ", v,
               " has new level", if (length(new) > 1L) "s", " ",
               paste(utils::head(new, 5), collapse = ", "), " (the fit's levels: ",
               paste(utils::head(object$xlevels[[v]], 5), collapse = ", "),
               if (length(object$xlevels[[v]]) > 5L) ", ...", ")")
  }
  invisible(proto)
}

#' @export
residuals.linreg_remote <- function(object, ...) {
  y <- object$terms[[2L]]
  out <- dplyr::mutate(object$remote$data, .fitted = !!remote_fitted_expr(object))
  out <- dplyr::mutate(out, .resid = !!y - .fitted)
  remote_order(dplyr::select(out, -.fitted), object)
}

#' @export
fitted.linreg_remote <- function(object, ...) {
  remote_order(dplyr::mutate(object$remote$data, .fitted = !!remote_fitted_expr(object)),
               object)
}

remote_order <- function(q, object) {
  ob <- object$remote$order_by
  if (is.null(ob)) q else dplyr::arrange(q, !!!rlang::syms(ob))
}

#' @export
predict.linreg_remote <- function(object, newdata, ...) {
  if (missing(newdata) || is.null(newdata)) return(fitted(object))
  if (is_remote(newdata)) {
    remote_check_levels(object, newdata)
    return(dplyr::mutate(newdata, .fitted = !!remote_fitted_expr(object)))
  }
  NextMethod()
}

remote_unsupported <- function(what) {
  stop_arg("fit", "is a fit on a remote table; ", what, " needs the rows in ",
           "memory: collect the table and fit it with linreg(formula, data = ",
           "dplyr::collect(tbl))")
}

#' @export
sensitivity.linreg_remote <- function(fit, error = NULL, draws = 10000,
                                      distribution = c("uniform", "normal"),
                                      level = 0.05, ...) remote_unsupported("sensitivity()")

#' @export
plot.linreg_remote <- function(x, ...) remote_unsupported("plot()")

#' @export
model.frame.linreg_remote <- function(formula, ...) remote_unsupported("model.frame()")

#' @export
model.matrix.linreg_remote <- function(object, ...) remote_unsupported("model.matrix()")
