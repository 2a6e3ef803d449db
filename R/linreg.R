#' Multiple linear regression with the complete diagnostics table
#'
#' Fits a linear model by least squares and reports, in one object, what the
#' study's Table 2 (and SPSS) shows: unstandardised coefficients `B`, their
#' standard errors, standardised coefficients `Beta`, `t`, `p`, 95%
#' confidence intervals, variance inflation factors and tolerances; R²,
#' adjusted R², the F test, the residual standard error, the Durbin-Watson
#' statistic with its p-value, the condition number and condition indices,
#' the log-likelihood, AIC and BIC.
#'
#' @section Computation:
#' The design `X` (rows multiplied by the square roots of the weights) is
#' equilibrated by exact powers of two so that its columns have norms in
#' \[0.5, 1), then factorised once by a QR decomposition; the normal
#' equations are never formed. Coefficients, standard errors, residuals, VIF
#' and tolerance all come from that factorisation: the VIF of a coefficient
#' is the diagonal element of the inverse correlation matrix of the
#' regressors, obtained as `[(X'WX)^-1]_jj * sum(w (x_j - mean_w(x_j))^2)`.
#'
#' Two arithmetic paths are used (argument `precision`):
#' * `"double"`: for long designs (fewer than 1024 columns and at least four
#'   blocks of `16 (p + 1)` rows, within 1024 to 4096 rows a block) a
#'   one-pass blocked QR first: the R factor of `[X, y]` is updated
#'   block of rows by block of rows with LAPACK's `dgeqrf` (a tall-skinny
#'   QR), reading the data once and making no copy of `X`. The rows are cut
#'   into at most 64 segments, fixed by `n` and `p`, whose R factors are
#'   combined by one more QR; with OpenMP, `getOption("gvcluster.threads",
#'   2)` threads share the segments out. The result is the same to the last
#'   bit whatever the number of threads. It is kept when R is clearly of full rank and well
#'   conditioned (reciprocal condition estimate at least 1e-3, where the
#'   solution is accurate to about `1e3` times the machine epsilon without
#'   refinement); otherwise, and for shorter designs, LAPACK's blocked
#'   `dgeqrf` on a copy of `X` for fewer than 64 columns, LINPACK's `dqrdc2`
#'   (the QR of [lm()], with limited column pivoting; faster than `dgeqrf`
#'   with the reference BLAS for wide designs) for 64 or more, or when the
#'   diagonal of R from `dgeqrf` reveals (near) rank deficiency. Unless R is
#'   well conditioned the least-squares solution is then refined on the
#'   augmented system (Bjorck 1967) with residuals accumulated in extended
#'   (`long double`) precision until the correction stops shrinking.
#'   `qr_info$method` says which path was taken.
#' * `"extended"`: a Householder QR (limited pivoting, as `dqrdc2`) carried out entirely in
#'   double-double arithmetic (about 31 significant digits), from which the
#'   coefficients, `(X'WX)^-1` and the residuals are computed and rounded to
#'   double. This reaches at least 9 correct digits on every coefficient and
#'   standard error of NIST's StRD linear regression problems.
#' * `"auto"` (default): extended for small problems (`n p^2 <= 1e6`) and for
#'   ill-conditioned ones (reciprocal condition estimate of the equilibrated
#'   R below 1e-7) up to `n p^2 <= 5e7`; double otherwise.
#'
#' Polynomial terms written `I(x^k)` or `poly(x, d, raw = TRUE)` are rebuilt
#' from `x` in double-double on the extended path, so the powers are not
#' rounded to double first: this is what Filip (degree 10) needs for 9+
#' digits. Powers computed beforehand (a matrix passed to the default method)
#' are data rounded to double; on Filip they limit any method to about 7.6
#' digits.
#'
#' Rank: after equilibration and column pivoting, column k is declared
#' aliased when `|R_kk| <= tol * |R_11|`, with `tol = max(n, p) * 2.2e-16`
#' by default. A column that is identifiable in double precision is kept
#' (unlike [lm()], whose tolerance of 1e-7 drops columns of a degree-10
#' polynomial). Aliased coefficients are `NA`, as in [lm()], and
#' [print()][print.linreg] says which.
#'
#' @section Durbin-Watson:
#' `dw = sum(diff(e)^2) / sum(e^2)` with `e` the residuals (for weighted fits
#' the weighted residuals `sqrt(w) e`, i.e. the statistic of the transformed
#' model). Its p-value follows `lmtest::dwtest()`: for `n < 100` the exact
#' distribution, evaluated by Imhof's (1961) numerical inversion on the
#' non-zero eigenvalues of `M A` (M the residual maker, A the Durbin-Watson
#' matrix); for `n >= 100` a normal approximation with the exact mean and
#' variance of the statistic. The result records the method and the
#' alternative (`dw_alternative`: `"greater"`, positive autocorrelation, by
#' default). The moments of the normal approximation need `X'AX` and
#' `(AX)'(AX)`; on the one-pass path they are summed block by block as the
#' rows are read. The p-value is `NA` (with the reason in `dw_note`) when there are
#' fewer than 3 observations or no residual degrees of freedom.
#'
#' @section Standardised coefficients and VIF:
#' `Beta = B * sd_w(x) / sd_w(y)` computed on the model-matrix column (weighted
#' standard deviations for weighted fits); `NA` for the intercept and for a
#' column with zero variance. With an intercept the VIF is the diagonal of the
#' inverse correlation matrix of the regressors, one value per model-matrix
#' column (so per dummy column of a factor). Without an
#' intercept it is computed from the uncentred cross-products, as
#' `car::vif()` does. With a single regressor the VIF is 1. Both are `NA`
#' for aliased columns; `beta_note` and `vif_note` give the reason for each
#' `NA`.
#'
#' For terms with several columns (factors, interactions with factors,
#' `poly()`), the per-column VIF depends on the coding; the generalised VIF
#' of Fox and Monette (1992) does not. `fit$gvif` (and `summary(fit)$gvif`)
#' gives it per term, as `car::vif()` does: `GVIF = det(R_tt) det(R_rest) /
#' det(R)` with `R` the correlation matrix of the coefficient estimates
#' (intercept excluded), its degrees of freedom `Df` and `GVIF_adj =
#' GVIF^(1 / (2 Df))`, comparable across terms of different size (its square
#' is on the scale of a VIF). `print()` shows it when some term has more
#' than one column.
#'
#' @section NA and bad input:
#' Missing values are handled by `na.action` (default `na.omit`; with
#' `na.exclude`, `residuals()`, `fitted()` and `predict()` without
#' `newdata` are padded with `NA` back to the original rows, as for [lm()];
#' the statistics use the complete rows only). Observations with zero weight count in
#' neither `n` nor the degrees of freedom, as in [lm()]. Infinite
#' values in the response, regressors or weights are an error; so are a
#' non-numeric response, negative weights, fewer than two observations
#' with positive weight and an empty data frame.
#'
#' @param formula a model formula (`y ~ x1 + x2`), with factors, interactions,
#'   `I()`, `offset()`, `0 +` or `- 1` as in [lm()]. For the default method, a
#'   numeric matrix (or vector) of regressors; for the `lm` method, a fitted
#'   `lm` object.
#' @param data a data frame with the variables of `formula`.
#' @param subset,weights,na.action,offset,contrasts as in [lm()].
#' @param precision `"auto"`, `"double"` or `"extended"`: arithmetic of the
#'   factorisation (see Computation).
#' @param tol rank tolerance relative to `|R_11|` after equilibration; `NULL`
#'   for `max(n, p) * .Machine$double.eps`.
#' @param dw_alternative alternative hypothesis of the Durbin-Watson test:
#'   `"greater"` (positive autocorrelation, the default of
#'   `lmtest::dwtest()`), `"two.sided"` or `"less"`.
#' @param dw_pvalue compute the Durbin-Watson p-value? For `n >= 100` its
#'   exact moments cost two passes of `O(n p^2)` over the design, about as
#'   much as the QR itself; `FALSE` skips it (the statistic is always given).
#' @param y for the default method: the numeric response.
#' @param intercept for the default method: add an intercept column?
#' @param ... further arguments passed to methods.
#' @return An object of class `linreg`: a list with `coefficients` (named,
#'   `NA` for aliased columns), `se`, `beta`, `vif`, `gvif` (per term),
#'   `cov.unscaled`,
#'   `residuals`, `fitted.values`, `weights`, `rank`, `df.residual`, `call`,
#'   `terms`, `model` (the model frame, as [lm()]'s), `contrasts`, `xlevels`,
#'   `offset`, `na.action` (as [lm()]'s), `stats` (a list of the model statistics), `dw` (the
#'   Durbin-Watson test), `condition` (condition number and indices), `qr_info`
#'   (method, rank, reciprocal condition estimate, refinement steps, threads) and
#'   `warnings` (the notes that [print()][print.linreg] shows under the table).
#' @references Belsley, D. A., Kuh, E. and Welsch, R. E. (1980) *Regression
#'   Diagnostics*. Wiley. Fox, J. and Monette, G. (1992) Generalized
#'   collinearity diagnostics. *Journal of the American Statistical
#'   Association* 87, 178-183. Durbin, J. and Watson, G. S. (1971) Testing for
#'   serial correlation in least squares regression III. *Biometrika* 58,
#'   1-19. Imhof, J. P. (1961) Computing the distribution of quadratic forms
#'   in normal variables. *Biometrika* 48, 419-426.
#' @seealso [summary.linreg()], [predict.linreg()], [as.data.frame.linreg()].
#'   See also [gvcluster-missing] for NA, NaN, Inf and extreme magnitudes.
#' @examples
#' fit <- linreg(LQ ~ infra + sup + tech + phrl + fm + dm, data = bengbu)
#' fit
#' summary(fit)$model
#' confint(fit)
#' # matrix interface and conversion of an lm fit
#' linreg(as.matrix(bengbu[, c("infra", "tech")]), bengbu$LQ)
#' linreg(lm(LQ ~ infra + tech, data = bengbu))
#' @export
linreg <- function(formula, ...) UseMethod("linreg")

#' @rdname linreg
#' @export
linreg.formula <- function(formula, data, subset, weights, na.action, offset,
                           contrasts = NULL, precision = c("auto", "double", "extended"),
                           tol = NULL, dw_alternative = c("greater", "two.sided", "less"),
                           dw_pvalue = TRUE, ...) {
  if (!missing(data) && is_remote(data))   # a database or Spark table: R/remote-linreg.R
    return(linreg_remote(formula, data, match.call(), c(
      subset = !missing(subset), weights = !missing(weights), na.action = !missing(na.action),
      offset = !missing(offset), contrasts = !is.null(contrasts)),
      dw_alternative = match.arg(dw_alternative), dw_pvalue = dw_pvalue, tol = tol, ...))
  precision <- match.arg(precision)
  dw_alternative <- match.arg(dw_alternative)
  if (!missing(data)) {
    if (!is.data.frame(data) && !is.list(data) && !is.environment(data))
      stop_arg("data", "must be a data frame, not ", describe(data))
    if (is.data.frame(data) && (nrow(data) == 0L))
      stop_arg("data", "has no rows")
  }
  cl <- match.call()
  cl[[1L]] <- quote(linreg)
  mf <- match.call(expand.dots = FALSE)
  m <- match(c("formula", "data", "subset", "weights", "na.action", "offset"),
             names(mf), 0L)
  mf <- mf[c(1L, m)]
  mf$drop.unused.levels <- TRUE
  mf[[1L]] <- quote(stats::model.frame)
  # The default na.omit copies the whole frame even when nothing is missing;
  # build the frame with na.pass and apply na.omit only if there are NAs.
  default_na <- is.null(mf$na.action) &&
    identical(getOption("na.action"), "na.omit")
  if (default_na) mf$na.action <- quote(stats::na.pass)
  mf <- eval(mf, parent.frame())
  has_na <- vapply(mf, anyNA, logical(1), recursive = TRUE)
  # NaN (log of a negative number, 0/0) is not a missing value: an error
  for (j in which(has_na)) {
    v <- mf[[j]]
    if (is.double(v) && any(is.nan(v)))
      linreg_check_finite(as.vector(v), paste0("variable `", names(mf)[j], "`"),
                          row.names(mf), na_ok = TRUE)
  }
  if (default_na && any(has_na))
    mf <- stats::na.omit(mf)
  linreg_frame(mf, cl, contrasts, precision, tol, dw_alternative, dw_pvalue)
}

#' @rdname linreg
#' @export
linreg.default <- function(formula, y, intercept = TRUE,
                           precision = c("auto", "double", "extended"), tol = NULL,
                           dw_alternative = c("greater", "two.sided", "less"),
                           dw_pvalue = TRUE, ...) {
  x <- formula
  precision <- match.arg(precision)
  dw_alternative <- match.arg(dw_alternative)
  cl <- match.call()
  cl[[1L]] <- quote(linreg)
  if (is.data.frame(x)) x <- as.matrix(x)
  if (is.null(dim(x)) && is.numeric(x)) {
    x <- matrix(x, ncol = 1L, dimnames = list(NULL, "x"))
  }
  if (!is.matrix(x) || !is.numeric(x))
    stop_arg("x", "must be a numeric matrix (or a formula or an lm fit), not ",
             describe(formula))
  if (missing(y)) stop_arg("y", "is missing: give the response")
  if (!is.numeric(y) || is.factor(y))
    stop_arg("y", "must be numeric, not ", describe(y))
  if (!is.null(dim(y)) && NCOL(y) != 1L)
    stop_arg("y", "must be a vector (one response)")
  y <- as.vector(y)
  if (length(y) != nrow(x))
    stop_arg("y", "has length ", length(y), " but `x` has ", nrow(x), " rows")
  check_flag(intercept, "intercept")
  cn <- colnames(x)
  if (is.null(cn)) cn <- if (ncol(x)) paste0("x", seq_len(ncol(x))) else character(0)
  cn[!nzchar(cn) | is.na(cn)] <- paste0("x", which(!nzchar(cn) | is.na(cn)))
  if (anyDuplicated(cn)) stop_arg("x", "has duplicated column names")
  yname <- "y"
  while (yname %in% cn) yname <- paste0(".", yname)
  # NaN is not a missing value (?`gvcluster-missing`): na.omit must not drop it
  if (anyNA(x) && any(is.nan(x))) {
    j <- which(colSums(is.nan(x)) > 0)[1L]
    linreg_check_finite(x[, j], paste0("regressor `", cn[j], "`"), rownames(x), na_ok = TRUE)
  }
  if (anyNA(y) && any(is.nan(y)))
    linreg_check_finite(y, "response `y`", rownames(x), na_ok = TRUE)
  if (ncol(x) == 0L && !intercept)
    stop_arg("x", "has no columns and `intercept` is FALSE: nothing to fit")
  df <- data.frame(y, x, check.names = FALSE)
  names(df) <- c(yname, cn)
  # names in backticks, a backtick or backslash inside escaped
  bq <- function(v) paste0("`", gsub("([`\\\\])", "\\\\\\1", v), "`")
  rhs <- paste(c(if (!intercept) "0", if (length(cn)) bq(cn) else "1"), collapse = " + ")
  fo <- stats::as.formula(paste0(bq(yname), " ~ ", rhs), env = baseenv())
  mf <- stats::model.frame(fo, data = df, drop.unused.levels = TRUE)
  linreg_frame(mf, cl, NULL, precision, tol, dw_alternative, dw_pvalue)
}

#' @rdname linreg
#' @export
linreg.lm <- function(formula, precision = c("auto", "double", "extended"), tol = NULL,
                      dw_alternative = c("greater", "two.sided", "less"),
                      dw_pvalue = TRUE, ...) {
  fit <- formula
  precision <- match.arg(precision)
  dw_alternative <- match.arg(dw_alternative)
  if (inherits(fit, c("glm", "mlm")))
    stop_arg("formula", "must be a single-response lm fit, not a ", class(fit)[1L])
  mf <- stats::model.frame(fit)
  cl <- fit$call
  if (is.null(cl)) cl <- match.call()
  cl[[1L]] <- quote(linreg)
  linreg_frame(mf, cl, fit$contrasts, precision, tol, dw_alternative, dw_pvalue)
}

# The fit itself, from a model frame. Everything below works on the model
# frame `mf` (response first, "(weights)", "(offset)" as model.frame makes
# them) so that all interfaces give the same object.
linreg_frame <- function(mf, cl, contrasts, precision, tol, dw_alternative, dw_pvalue) {
  check_flag(dw_pvalue, "dw_pvalue")
  mt <- attr(mf, "terms")
  if (is.null(mt)) stop("internal error: model frame without terms")
  if (attr(mt, "response") == 0L)
    stop_arg("formula", "has no response (left-hand side)")
  if (nrow(mf) == 0L)
    stop_arg("data", "has no complete observations (after removing missing values)")
  y <- mf[[1L]]                      # model.response() would add n names
  if (!is.numeric(y) || is.factor(y))
    stop_arg("formula", "must have a numeric response, not ", describe(y))
  if (!is.null(dim(y))) {
    if (NCOL(y) != 1L) stop_arg("formula", "must have a single response column")
    y <- y[, 1L]
  }
  y <- as.double(y)
  attributes(y) <- NULL
  linreg_check_finite(y, "response", row.names(mf))
  w <- stats::model.weights(mf)
  if (!is.null(w)) {
    if (!is.numeric(w)) stop_arg("weights", "must be numeric, not ", describe(w))
    w <- as.double(w)
    linreg_check_finite(w, "weights", row.names(mf), arg = "weights")
    if (any(w < 0)) stop_arg("weights", "must not be negative")
  }
  # weights far from 1 are rescaled by an even power of two (the fit does not
  # depend on their scale; sums of w x^2 would overflow)
  w_orig <- w
  ew <- 0
  if (!is.null(w) && length(w)) {
    mw <- max(w)
    if (mw > 0 && (mw > 2^400 || mw < 2^-400)) {
      ew <- 2 * round(pow2_exponent(mw) / 2)
      w <- times_pow2(w, ew)
    }
  }
  offset <- stats::model.offset(mf)
  if (!is.null(offset)) {
    offset <- as.double(offset)
    if (length(offset) != length(y))
      stop_arg("offset", "has length ", length(offset), ", not ", length(y))
    linreg_check_finite(offset, "offset", row.names(mf), arg = "offset")
  }
  one <- vapply(mf[-1L], function(v) is.factor(v) && nlevels(v) < 2L, logical(1))
  if (any(one))
    stop_arg("formula", "term `", names(mf)[-1L][which(one)[1L]],
             "` is a factor with fewer than 2 levels in the rows used",
             " (its levels: ", paste0('"', levels(mf[-1L][[which(one)[1L]]]), '"',
                                      collapse = ", "),
             "); it cannot be estimated: drop it from the formula")
  des <- linreg_design(mt, mf, contrasts)
  x <- des$x
  if (length(des$names) == 0L)
    stop_arg("formula", "has no regressors (not even an intercept)")
  threads <- n_threads()
  # column means and sums of squares (for Beta and VIF); a non-finite one
  # flags a column to look at (or a sum that overflowed)
  cs <- .Call(ffi_linreg_colstats, x, w, threads)
  if (!all(is.finite(cs))) {
    nonfin <- .Call(ffi_linreg_nonfinite, x)
    if (any(nonfin)) {
      j <- which(nonfin)[1L]
      v <- if (is.matrix(x)) x[, j] else x[[j]]
      linreg_check_finite(v, paste0("regressor `", des$names[j], "`"), des$rownames)
    }
  }
  # Exact rescaling by powers of two of the columns (and of the response)
  # whose magnitude would overflow or underflow the sums of squares of the
  # factorisation (beyond about 2^+-400): the rank decision and every
  # statistic are then those of the rescaled data, scaled back at the end.
  pw <- linreg_powers(mt, mf, des$assign)
  sc <- linreg_prescale(x, y, cs, pw)
  if (sc$any) {
    x <- sc$x
    des$x <- x
    y <- sc$y
    if (!is.null(offset)) offset <- times_pow2(offset, sc$ey)
    pw$base <- sc$base
    cs <- .Call(ffi_linreg_colstats, x, w, threads)
  }
  n_obs <- if (is.null(w)) length(y) else sum(w > 0)
  if (n_obs < 2L)
    stop_arg("data", "must have at least 2 observations with positive weight (has ",
             n_obs, ")")
  if (is.null(tol)) tol <- NA_real_
  else if (!is.numeric(tol) || length(tol) != 1L || is.na(tol) || tol < 0 || tol >= 1)
    stop_arg("tol", "must be a single number in [0, 1)")
  yfit <- if (is.null(offset)) y else y - offset
  # the one-pass QR can sum the Durbin-Watson moments as it reads the rows;
  # rows with zero weight drop out of the statistic, so not with those
  want_mom <- dw_pvalue && n_obs >= 100L && (is.null(w) || all(w > 0))
  z <- .Call(ffi_linreg_fit, x, yfit, w, precision, as.double(tol), pw$base, pw$pow,
             want_mom, threads)
  mom <- z$dwmom
  out <- linreg_assemble(z, des, y, w, offset, mf, mt, cl, n_obs, dw_alternative,
                         dw_pvalue, cs, mom)
  if (sc$any || ew != 0) {
    out <- linreg_unscale(out, if (sc$any) sc$e else numeric(length(des$names)),
                          if (sc$any) sc$ey else 0, ew)
    out$weights <- w_orig
  }
  out
}

# NA (left in by na.action = na.pass), NaN and Inf in the response,
# regressors, weights or offset: an error naming the first offending row.
linreg_check_finite <- function(v, what, rn, arg = "formula", na_ok = FALSE) {
  bad <- if (na_ok) is.nan(v) | is.infinite(v) else !is.finite(v)
  if (!any(bad)) return(invisible(v))
  k <- which(bad)[1L]
  row <- if (is.null(rn)) k else rn[k]
  kind <- if (is.na(v[k]) && !is.nan(v[k])) "missing values (NA)" else
    "infinite values or NaN"
  hint <- if (is.na(v[k]) && !is.nan(v[k]))
    "; use na.action = na.omit or na.exclude to drop such rows" else
    "; see ?`gvcluster-missing`"
  stop_arg(arg, if (arg == "formula") paste0(what, " ") else "",
           "contains ", kind, ": ", sum(bad), " row(s), the first is row ", row,
           " (", format(v[k]), ")", hint)
}

# src/linreg.c takes the precision path by its name ("auto", "double",
# "extended") and returns its sums named: the column statistics
# (ffi_linreg_colstats: a matrix with rows "mean" and "css"; fitted_stats,
# y_stats: c(mean, css)) and the Durbin-Watson sums (dw_sums,
# ffi_linreg_dwstat: c(ssr, ssd, syy, n)); R reads them by those names.

# Powers of two that bring every column of the design (list or matrix) and
# the response whose magnitude is far from 1 (beyond 2^+-400, where sums of
# squares of a few thousand rows could overflow or underflow) to a largest
# absolute value in [0.5, 1). Columns rebuilt from a base variable on the
# extended path (I(x^k), poly(x, raw = TRUE)) get the k-th power of the
# base's factor, so the two stay consistent. Returns the scaled x and y, the
# exponents e (x'_j = x_j 2^e_j) and ey (y' = y 2^ey), and `any`.
linreg_prescale <- function(x, y, cs, pw) {
  lim <- 2^400
  p <- ncol(cs)
  col <- function(j) if (is.matrix(x)) x[, j] else x[[j]]
  maxabs <- function(v) if (is.null(v) || !length(v)) 0 else max(abs(range(v)))
  m <- cs["mean", ]; ss <- cs["css", ]
  ok <- is.finite(m) & is.finite(ss) &
    (m == 0 | (abs(m) > 1 / lim & abs(m) < lim)) &
    (ss == 0 | (ss > 1 / lim^2 & ss < lim^2)) & !(m == 0 & ss == 0)
  e <- numeric(p)
  for (j in which(!ok)) {
    mx <- maxabs(col(j))
    if (mx > 0 && (mx < 1 / lim || mx > lim)) e[j] <- pow2_exponent(mx)
  }
  base <- pw$base
  if (!is.null(base)) {
    pc <- which(pw$pow$base > 0L)
    for (b in unique(pw$pow$base[pc])) {
      cols <- pc[pw$pow$base[pc] == b]
      if (all(e[cols] == 0)) next
      eb <- pow2_exponent(maxabs(base[, b]))
      e[cols] <- eb * pw$pow$exponent[cols]
      base[, b] <- times_pow2(base[, b], eb)
    }
  }
  my <- maxabs(y)
  ey <- if (my > 0 && (my < 1 / lim || my > lim)) pow2_exponent(my) else 0
  if (all(e == 0) && ey == 0) return(list(any = FALSE))
  for (j in which(e != 0)) {
    if (is.matrix(x)) x[, j] <- times_pow2(x[, j], e[j])
    else x[[j]] <- times_pow2(x[[j]], e[j])
  }
  list(any = TRUE, x = x, y = times_pow2(y, ey), e = e, ey = ey, base = base)
}

# Back from the rescaled fit: b_j = b'_j 2^(e_j - ey), residuals and fitted
# values times 2^-ey, sums of squares times 2^-2ey; weights rescaled by
# 2^ew scale (X'WX)^-1 by 2^-ew and the weighted sums of squares by 2^ew;
# R², F, t, p, Beta, VIF, Durbin-Watson, the log-likelihood (with weights)
# and the condition numbers do not change.
linreg_unscale <- function(out, e, ey, ew = 0) {
  out$coefficients <- times_pow2(out$coefficients, e - ey)
  out$se <- times_pow2(out$se, e - ey)
  out$cov.unscaled[] <- times_pow2(out$cov.unscaled, outer(e, e, "+") + ew)
  out$residuals <- times_pow2(out$residuals, -ey)
  out$fitted.values <- times_pow2(out$fitted.values, -ey)
  if (!is.null(out$offset)) out$offset <- times_pow2(out$offset, -ey)
  out$sigma <- times_pow2(out$sigma, -ey - ew / 2)
  st <- out$stats
  st$sigma <- out$sigma
  st$rss <- times_pow2(st$rss, -2 * ey - ew)
  st$mss <- times_pow2(st$mss, -2 * ey - ew)
  st$logLik <- st$logLik + st$n * ey * log(2)
  st$AIC <- -2 * st$logLik + 2 * st$logLik.df
  st$BIC <- -2 * st$logLik + log(st$n) * st$logLik.df
  out$stats <- st
  out
}

# The design for the C code: the model matrix or, when every term is a
# double variable of the model frame (y ~ x1 + x2, y ~ ., log(x) or I(x^2)
# computed by model.frame), a list of those columns as they are, with NULL
# for the intercept: the C code reads either, and the n x p copy that
# model.matrix() makes is avoided. Returns list(x, names, assign,
# contrasts, rownames, n), names and assign as model.matrix() gives them.
linreg_design <- function(mt, mf, contrasts) {
  labs <- attr(mt, "term.labels")
  plain <- function(v) is.double(v) && is.null(dim(v)) &&
    (is.null(oldClass(v)) || identical(oldClass(v), "AsIs"))
  simple <- length(labs) > 0L && all(attr(mt, "order") == 1L) &&
    all(labs %in% names(mf)) && all(vapply(labs, function(l) plain(mf[[l]]), logical(1)))
  if (!simple) {
    x <- stats::model.matrix(mt, mf, contrasts)
    if (!is.double(x)) storage.mode(x) <- "double"
    return(list(x = x, names = colnames(x), assign = attr(x, "assign"),
                contrasts = attr(x, "contrasts"), rownames = rownames(x), n = nrow(x)))
  }
  x <- lapply(labs, function(l) mf[[l]])
  nms <- labs
  asg <- seq_along(labs)
  if (attr(mt, "intercept") > 0L) {
    x <- c(list(NULL), x)
    nms <- c("(Intercept)", nms)
    asg <- c(0L, asg)
  }
  attr(x, "nrow") <- nrow(mf)
  list(x = x, names = nms, assign = asg, contrasts = NULL,
       rownames = row.names(mf), n = nrow(mf))
}

# The design as a matrix (for the small-sample Durbin-Watson path).
linreg_matrix <- function(des) {
  if (is.matrix(des$x)) return(des$x)
  m <- matrix(1, des$n, length(des$names), dimnames = list(des$rownames, des$names))
  for (j in seq_along(des$x)) if (!is.null(des$x[[j]])) m[, j] <- des$x[[j]]
  m
}

# Power terms: `I(v^k)` (v a numeric variable of the model frame, k a whole
# number) and `poly(v, d, raw = TRUE)`. The extended-precision path rebuilds
# these columns from v in double-double, so x^10 is not rounded to double
# before the factorisation. Returns list(base = n x q matrix, pow =
# list(base = for each of the p columns its base column or 0, exponent =
# its power), both integer and read by C by name) or list(NULL, NULL).
linreg_powers <- function(mt, mf, asg) {
  none <- list(base = NULL, pow = NULL)
  labs <- attr(mt, "term.labels")
  if (is.null(asg) || !length(labs)) return(none)
  pb <- pe <- integer(length(asg))
  bases <- list()
  add_base <- function(v, key) {
    if (is.null(bases[[key]])) bases[[key]] <<- as.double(v)
    match(key, names(bases))
  }
  for (t in seq_along(labs)) {
    cols <- which(asg == t)
    e <- tryCatch(str2lang(labs[t]), error = function(err) NULL)
    if (is.null(e)) next
    if (length(cols) == 1L && is.call(e) && identical(e[[1L]], as.name("I")) &&
        is.call(e[[2L]]) && identical(e[[2L]][[1L]], as.name("^")) &&
        is.name(e[[2L]][[2L]]) && is.numeric(e[[2L]][[3L]])) {
      k <- e[[2L]][[3L]]
      v <- as.character(e[[2L]][[2L]])
      if (length(k) == 1L && k >= 1 && k <= 64 && k == round(k) && v %in% names(mf) &&
          is.numeric(mf[[v]]) && is.null(dim(mf[[v]]))) {
        pb[cols] <- add_base(mf[[v]], v)
        pe[cols] <- as.integer(k)
      }
    } else if (is.call(e) && identical(e[[1L]], as.name("poly")) &&
               isTRUE(as.list(e)$raw) && labs[t] %in% names(mf)) {
      pm <- mf[[labs[t]]]
      if (is.matrix(pm) && ncol(pm) == length(cols)) {
        pb[cols] <- add_base(pm[, 1L], labs[t])
        pe[cols] <- seq_along(cols)
      }
    }
  }
  if (!length(bases)) return(none)
  list(base = do.call(cbind, bases),
       pow = list(base = as.integer(pb), exponent = as.integer(pe)))
}

linreg_assemble <- function(z, des, y, w, offset, mf, mt, cl, n_obs, dw_alternative,
                            dw_pvalue, cs, mom) {
  cn <- des$names
  p <- length(cn)
  coef <- stats::setNames(z$coefficients, cn)
  cov <- z$cov_unscaled
  dimnames(cov) <- list(cn, cn)
  rank <- z$rank
  aliased <- is.na(coef)
  names(aliased) <- cn
  intercept <- attr(mt, "intercept") > 0L
  rdf <- n_obs - rank
  res <- z$residuals
  fitted <- z$fitted
  if (!is.null(offset)) fitted <- fitted + offset
  rn <- des$rownames
  names(res) <- names(fitted) <- rn
  rss <- z$rss
  sigma <- if (rdf > 0) sqrt(rss / rdf) else NaN
  se <- sqrt(diag(cov)) * sigma
  names(se) <- cn

  # R², F (as summary.lm: fitted values net of the offset)
  f <- z$fitted
  mss <- if (intercept) {
    z$fitted_stats[["css"]]
  } else if (is.null(w)) sum(f^2) else sum(w * f^2)
  df.int <- if (intercept) 1L else 0L
  r2 <- if (isTRUE(mss + rss > 0)) mss / (mss + rss) else NaN
  adj <- 1 - (1 - r2) * ((n_obs - df.int) / rdf)
  df1 <- rank - df.int
  Fst <- if (df1 > 0 && rdf > 0) (mss / df1) / (rss / rdf) else NaN
  Fp <- if (is.finite(Fst)) stats::pf(Fst, df1, rdf, lower.tail = FALSE) else NA_real_

  # column statistics for Beta and VIF
  # the fit's own sums of the response it was given (y net of the offset)
  ycss <- if (is.null(offset)) z$y_stats[["css"]] else
    .Call(ffi_linreg_colstats, y, w, 1L)["css", 1L]
  css <- stats::setNames(cs["css", ], cn)
  is_int <- cn == "(Intercept)"
  beta_note <- rep(NA_character_, p)
  beta <- coef * sqrt(css) / sqrt(ycss)
  beta[is_int] <- NA_real_
  beta_note[is_int] <- "intercept"
  zero_var <- !is_int & css == 0
  beta[zero_var] <- NA_real_
  beta_note[zero_var] <- "zero variance"
  beta_note[aliased & !is_int] <- "aliased"
  if (ycss == 0) {
    beta[] <- NA_real_
    beta_note[!is_int] <- "response has zero variance"
  }
  names(beta) <- names(beta_note) <- cn

  vif <- stats::setNames(rep(NA_real_, p), cn)
  vif_note <- stats::setNames(rep(NA_character_, p), cn)
  keep <- !aliased & !is_int
  if (intercept) {
    vif[keep] <- diag(cov)[keep] * css[keep]
  } else {
    vif[keep] <- diag(cov)[keep] * z$colnorm[keep]^2
  }
  vif[keep & zero_var & intercept] <- NA_real_
  vif_note[is_int] <- "intercept"
  vif_note[aliased] <- "aliased"
  vif_note[keep & zero_var & intercept] <- "zero variance"
  gvif <- linreg_gvif(cov, des$assign, attr(mt, "term.labels"), aliased)

  # condition number and indices (Belsley: unit-length columns, with the
  # intercept, not centred) from the R factor of the kept columns
  cond <- linreg_condition(z, cn)

  # Durbin-Watson
  dw <- linreg_dw(des, res, w, z, n_obs, rdf, dw_alternative, dw_pvalue, mom)

  # log-likelihood as logLik.lm (zero weights excluded)
  ll <- 0.5 * ((if (is.null(w)) 0 else sum(log(w[w > 0]))) -
                 n_obs * (log(2 * pi) + 1 - log(n_obs) + log(rss)))
  stats <- linreg_stats(n_obs, r2, adj, sigma, Fst, df1, rdf, Fp, rss, mss, ll, rank)

  out <- list(coefficients = coef, se = se, beta = beta, beta_note = beta_note,
              vif = vif, vif_note = vif_note, gvif = gvif, aliased = aliased,
              cov.unscaled = cov, residuals = res, fitted.values = fitted,
              weights = w, offset = offset, rank = rank, df.residual = rdf,
              na.action = attr(mf, "na.action"),
              call = cl, terms = mt, model = mf,
              contrasts = des$contrasts,
              xlevels = stats::.getXlevels(mt, mf),
              stats = stats, dw = dw, condition = cond,
              qr_info = list(method = z$method, rank = rank, rcond = z$rcond,
                             refine_steps = z$refine_steps, tol = z$tol,
                             pivot = z$pivot, threads = z$threads),
              sigma = sigma)
  class(out) <- "linreg"
  out$warnings <- linreg_warnings(out, p)
  out
}

# Generalised VIF per model term (Fox and Monette 1992), as car::vif()
# computes it: with R the correlation matrix of the coefficient estimates of
# the regressors (intercept excluded), GVIF = det(R_tt) det(R_-t-t) / det(R).
# For a one-column term it is the VIF. NA for a term with an aliased column.
linreg_gvif <- function(cov, assign, labels, aliased) {
  if (is.null(assign) || !length(labels)) return(NULL)
  df <- tabulate(assign[assign > 0L], length(labels))
  out <- data.frame(term = labels, GVIF = NA_real_, Df = df, GVIF_adj = NA_real_,
                    stringsAsFactors = FALSE)
  keep <- !aliased & assign > 0L
  a <- assign[keep]
  if (!length(a)) return(out)
  v <- cov[keep, keep, drop = FALSE]
  d <- sqrt(diag(v))
  R <- v / outer(d, d)
  det_r <- det(R)
  for (t in seq_along(labels)) {
    s <- which(a == t)
    if (!length(s) || length(s) < df[t]) next
    rest <- if (length(s) < nrow(R)) det(R[-s, -s, drop = FALSE]) else 1
    out$GVIF[t] <- det(R[s, s, drop = FALSE]) * rest / det_r
  }
  out$GVIF_adj <- out$GVIF^(1 / (2 * out$Df))
  out
}

linreg_condition <- function(z, cn) {
  rank <- z$rank
  if (rank == 0L) return(list(number = NA_real_, indices = numeric(0)))
  # the singular values of R with unit-length columns, from the fit (C)
  sv <- z$singular_values
  idx <- sv[1L] / sv
  names(idx) <- paste0("dim", seq_len(rank))
  list(number = max(idx), indices = idx, singular.values = sv)
}

linreg_warnings <- function(fit, p) {
  s <- fit$stats
  msgs <- character(0)
  if (s$df2 < 5)
    msgs <- c(msgs, sprintf(
      "Only %d residual degree%s of freedom: standard errors, t, p and F rest on very few observations.",
      s$df2, if (s$df2 == 1) "" else "s"))
  if (s$n <= p)
    msgs <- c(msgs, sprintf("n = %d is not larger than the number of coefficients (%d).", s$n, p))
  v <- fit$vif[!is.na(fit$vif) & fit$vif > 10]
  if (length(v))
    msgs <- c(msgs, sprintf("VIF above 10 (strong collinearity): %s.",
                            paste(names(v), collapse = ", ")))
  if (is.finite(s$r.squared) && s$r.squared > 0.9999)
    msgs <- c(msgs, "R-squared above 0.9999: an essentially perfect fit; check for overfitting or identities.")
  if (any(fit$aliased))
    msgs <- c(msgs, sprintf("Aliased (not estimable, set to NA): %s.",
                            paste(names(fit$aliased)[fit$aliased], collapse = ", ")))
  if (!is.null(fit$dw$note) && nzchar(fit$dw$note) && !grepl("not requested", fit$dw$note))
    msgs <- c(msgs, paste0("Durbin-Watson p-value not available: ", fit$dw$note, "."))
  msgs
}

# ---- Durbin-Watson --------------------------------------------------------

linreg_dw <- function(des, res, w, z, n_obs, rdf, alternative, pvalue = TRUE, mom = NULL) {
  # over the rows with positive weight, e = sqrt(w) res: sum(e^2),
  # sum(diff(e)^2), sum(w (res + fitted)^2) and their number, in one pass
  ds <- if (!is.null(z$dw_sums)) z$dw_sums else
    .Call(ffi_linreg_dwstat, res, z$fitted, w)
  ssr <- ds[["ssr"]]
  n <- ds[["n"]]
  # residuals zero to machine precision (an exact fit): no statistic
  stat <- if (n >= 2 && ssr > (1e-14)^2 * ds[["syy"]]) ds[["ssd"]] / ssr else NA_real_
  out <- list(statistic = stat, p.value = NA_real_, method = NA_character_,
              alternative = alternative, note = "")
  if (!is.finite(stat)) {
    out$note <- "the residuals are zero (an exact fit)"
    return(out)
  }
  if (!pvalue) { out$note <- "not requested (dw_pvalue = FALSE)"; return(out) }
  if (n < 3L) { out$note <- "fewer than 3 observations"; return(out) }
  if (rdf < 1L) { out$note <- "no residual degrees of freedom"; return(out) }
  if (rdf < 2L) {
    out$note <- "with 1 residual degree of freedom the statistic is a constant"
    return(out)
  }
  kept <- sort(z$pivot[seq_len(z$rank)])
  xx <- NULL
  wpos <- if (!is.null(w) && any(w == 0)) w > 0 else NULL
  if (n < 100L || is.null(mom)) {
    xx <- linreg_matrix(des)
    if (!is.null(wpos)) xx <- xx[wpos, , drop = FALSE]
  }
  if (!is.null(wpos)) w <- w[wpos]
  k <- length(kept)
  Q1 <- z$cov_unscaled[kept, kept, drop = FALSE]
  if (n < 100L) {
    Z <- xx[, kept, drop = FALSE]
    if (!is.null(w)) Z <- Z * sqrt(w)
    A <- diag(c(1, rep(2, n - 2), 1))
    A[abs(row(A) - col(A)) == 1] <- -1
    MA <- diag(n) - Z %*% Q1 %*% t(Z)
    MA <- MA %*% A
    ev <- eigen(MA, only.values = TRUE)$values[seq_len(n - k)]
    ev <- Re(ev)
    ev <- ev[ev > 1e-10]
    pdw <- function(d) dw_imhof(d, ev)
    pl <- pdw(stat)
    out$p.value <- switch(alternative,
                          two.sided = 2 * min(pl, 1 - pl),
                          less = 1 - pl,
                          greater = pl)
    out$method <- "exact (Imhof)"
  } else {
    cn <- linreg_condition(z)$number
    if (is.finite(cn) && cn > 1e5) {
      # ill-conditioned: the moments in an orthonormal basis of the design's
      # column space (Householder Q), where they keep their digits; they do
      # not depend on the basis, and the streamed fit takes them the same way
      if (is.null(xx)) {
        xx <- linreg_matrix(des)
        if (!is.null(wpos)) xx <- xx[wpos, , drop = FALSE]
      }
      Zq <- xx[, kept, drop = FALSE]
      if (!is.null(w)) Zq <- Zq * sqrt(w)
      Zq <- qr.Q(qr(Zq, LAPACK = TRUE))
      mom <- .Call(ffi_linreg_dwmoments, Zq, NULL, seq_len(k), NULL)
      Q1 <- solve(crossprod(Zq))
    } else if (is.null(mom)) {
      mom <- .Call(ffi_linreg_dwmoments, xx, w, as.integer(kept), NULL)
    } else {
      mom <- lapply(mom, function(m) m[kept, kept, drop = FALSE])
    }
    out$p.value <- dw_normal_pvalue(stat, n, k, mom$ZAZ, mom$AZAZ, Q1, alternative)
    out$method <- "normal approximation"
  }
  out$p.value <- min(max(out$p.value, 0), 1)
  out
}

# The p-value of the Durbin-Watson statistic d by the normal approximation,
# from the moments Z'AZ and (AZ)'(AZ) of the n x k design Z and Q1 =
# (Z'Z)^-1 (Durbin and Watson 1971; as lmtest::dwtest()): mean P / (n - k),
# variance from tr(Z'AZ Q1), tr((AZ)'(AZ) Q1) and tr((Z'AZ Q1)^2). The fit
# in memory and the streamed fit share it.
dw_normal_pvalue <- function(stat, n, k, ZAZ, AZAZ, Q1, alternative) {
  XAXQ <- ZAZ %*% Q1
  P <- 2 * (n - 1) - sum(diag(XAXQ))
  Q <- 2 * (3 * n - 4) - 2 * sum(diag(AZAZ %*% Q1)) + sum(diag(XAXQ %*% XAXQ))
  dmean <- P / (n - k)
  dvar <- 2 / ((n - k) * (n - k + 2)) * (Q - P * dmean)
  pv <- switch(alternative,
    two.sided = 2 * stats::pnorm(abs(stat - dmean), sd = sqrt(dvar), lower.tail = FALSE),
    less = stats::pnorm(stat, mean = dmean, sd = sqrt(dvar), lower.tail = FALSE),
    greater = stats::pnorm(stat, mean = dmean, sd = sqrt(dvar)))
  min(max(pv, 0), 1)
}

# P(DW < d) for DW = sum(ev_i z_i^2) / sum(z_i^2), z_i iid N(0, 1):
# P(sum (ev_i - d) z_i^2 < 0) by Imhof's formula.
dw_imhof <- function(d, ev) {
  lam <- ev - d
  if (all(lam >= 0)) return(0)
  if (all(lam <= 0)) return(1)
  f <- function(u) {
    th <- 0.5 * colSums(atan(outer(lam, u)))
    rho <- exp(0.25 * colSums(log1p(outer(lam^2, u^2))))
    out <- sin(th) / (u * rho)
    out[u == 0] <- 0.5 * sum(lam)
    out
  }
  val <- stats::integrate(f, 0, Inf, subdivisions = 2000L, rel.tol = 1e-11,
                          abs.tol = 1e-13, stop.on.error = FALSE)$value
  # P(Q > 0) = 1/2 + val / pi, so P(Q < 0) = 1/2 - val / pi
  min(max(0.5 - val / pi, 0), 1)
}

# The model-level figures of a fit (in memory or streamed from a remote
# table): the log-likelihood counts the coefficients and sigma.
linreg_stats <- function(n, r2, adj, sigma, Fst, df1, rdf, Fp, rss, mss, ll, rank) {
  ll_df <- rank + 1L
  list(n = n, r.squared = r2, adj.r.squared = adj, sigma = sigma,
       F = Fst, df1 = df1, df2 = rdf, F.p = Fp, rss = rss, mss = mss,
       logLik = ll, logLik.df = ll_df,
       AIC = -2 * ll + 2 * ll_df, BIC = -2 * ll + log(n) * ll_df)
}
