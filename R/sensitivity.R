#' How far a regression table can be trusted when its data are rounded
#'
#' Refits a linear regression on many perturbed copies of its data and
#' records how the coefficients, their t statistics and p-values, the
#' standardised coefficients, the variance inflation factors, R-squared and
#' the F test move. Published data are usually rounded; when a refit of the
#' rounded data changes a significance call under perturbations no larger
#' than the rounding, the published table says more than its data can carry.
#'
#' @section What is perturbed:
#' The raw variables of the model frame: the response and every numeric
#' variable that enters the model as a term of its own. Factor (and logical
#' or character) variables enter through their dummies and are never
#' perturbed; neither is the intercept. Models with transformed variables
#' (`log(x)`, `I(x^2)`, `poly(x, 2)`), interactions or offsets are refused
#' with an error: create the transformed variable in the data first.
#' Observations dropped by the fit's `na.action` stay dropped. Prior weights
#' (the model frame's `"(weights)"` column) are kept fixed and every refit is
#' weighted as [lm()] weights it; zero weights are refused.
#'
#' @section Rounding units:
#' With `error = NULL` each perturbed variable's rounding unit is inferred
#' from the number of decimals its values carry: every value is written with
#' at most 15 significant digits (so that `0.1 + 0.2` counts as `0.3`), the
#' largest number of decimals `d` over the values is taken, and the
#' half-width is `0.5 * 10^-d` (half the last reported digit). The inferred
#' decimals are kept in `$decimals` and printed, so they can be checked and
#' overridden: `error` may be a single number used for every variable, or a
#' numeric vector named by variable (response included) that replaces the
#' inferred value for the variables it names and keeps the others. With
#' `distribution = "uniform"` a value `h` means a perturbation uniform on
#' `[-h, h]`; with `"normal"`, a normal perturbation with standard deviation
#' `h`. An error of 0 leaves a variable as it is.
#'
#' @section Draw order:
#' All draws run in C with R's random number generator, so [set.seed()]
#' reproduces a run. For each draw, for each perturbed variable in
#' model-frame order (response first) whose error `h` is positive, the
#' variable's perturbed values are exactly `x + runif(n, -h, h)` (or
#' `x + rnorm(n, 0, h)`), drawn in the order of the observations; variables
#' with `h = 0` consume no random numbers (as `runif()` and `rnorm()` do
#' not). A plain R loop over draws doing the same and calling [lm()] on the
#' result gives the same numbers, to about 1e-10 relative; only a draw whose
#' refit is exact to rounding (`1 - R^2` near `1e-15`) has t and F values
#' that are undetermined in double precision, by either program.
#'
#' @section Each refit:
#' The perturbed design is factorised by a Householder QR (LAPACK `dgeqrf`,
#' `dormqr`, `dtrtrs`), the numerical path of a QR regression; the standard
#' errors come from the rows of the inverse of R. `Beta` is
#' `B * sd(x) / sd(y)` for every non-intercept column (unweighted standard
#' deviations, also for a weighted fit). `VIF` is the diagonal of the inverse
#' correlation matrix of the (non-intercept) model-matrix columns (weighted
#' correlations for a weighted fit); for a model with an intercept and no
#' factor it equals `car::vif()`. Columns aliased in the original fit (`NA` coefficients) are
#' left out of every refit and reported as `NA`. Every draw is refitted
#' through the QR and rank rule of [linreg()] (columns equilibrated, then
#' `|R[k, k]| > tol * max |R[l, l]|` with the `tol` of a `linreg()` fit, or
#' `max(n, p) * 2.2e-16`), so a design is of full rank for both or for
#' neither. A draw whose design loses rank is `NA` in every statistic and
#' counted in `$rank_deficient`; summaries over draws ignore such draws.
#'
#' @section Verdicts:
#' For each term, `flip` is the share of draws in which the significance
#' call at `sig.level` (`p < sig.level`) differs from the original fit's, and
#' `sign_change` the share of draws in which the coefficient's sign differs
#' from the original. A term is `"fragile"` when `flip > 0.1` or
#' `sign_change > 0.05`, `"robust"` otherwise. For the model, `flip` is the
#' share of draws in which the F test's call at `sig.level` differs.
#'
#' @param fit a `linreg()` fit (or an [lm()] fit). Only its `terms`, `model`
#'   (the model frame) and `coefficients` are used.
#' @param error `NULL` (infer each variable's rounding unit, see Rounding
#'   units), a single non-negative number for every perturbed variable, or a
#'   non-negative numeric vector named by variable.
#' @param draws number of perturbed refits, a whole number >= 1.
#' @param distribution `"uniform"` (on `[-error, error]`) or `"normal"`
#'   (standard deviation `error`).
#' @param sig.level significance level for the flip shares, in (0, 1) (the
#'   name of [stats::power.t.test()]; `level` means an aggregation level
#'   elsewhere in the package).
#' @param level the former name of `sig.level`, still accepted in this
#'   release with a warning.
#' @param ... not used.
#' @return An object of class `linreg_sensitivity`: a list with
#'   * `B`, `SE`, `t`, `p`, `Beta`, `VIF`: draws x terms matrices (column
#'     names = the fit's coefficient names);
#'   * `r.squared`, `adj.r.squared`, `F`, `F.p`: vectors over draws;
#'   * `error`: the half-widths (or SDs) used, named by variable;
#'     `decimals`: the inferred decimals, named by variable; `inferred`:
#'     `TRUE` where the error was inferred rather than given;
#'   * `original`: the same statistics for the unperturbed data (a list of
#'     named vectors and scalars);
#'   * `draws`, `distribution`, `sig.level`, `n`, `df` (model and residual
#'     degrees of freedom), `rank_deficient`, `call`.
#' @seealso [print.linreg_sensitivity()] and the other methods.
#'   See also [gvcluster-missing] for NA, NaN, Inf and extreme magnitudes.
#' @examples
#' fit <- lm(LQ ~ infra + sup + tech + phrl + fm + dm, data = bengbu)
#' set.seed(1)
#' s <- sensitivity(fit, draws = 1000)
#' s
#' as.data.frame(s)
#' quantile(s, which = "t")
#' @export
sensitivity <- function(fit, ...) {
  UseMethod("sensitivity")
}

#' @rdname sensitivity
#' @export
sensitivity.default <- function(fit, error = NULL, draws = 10000,
                                distribution = c("uniform", "normal"),
                                sig.level = 0.05, ..., level) {
  stop_arg("fit", "must be a linreg() or lm() fit, not ",
           paste(class(fit), collapse = "/"))
}

#' @rdname sensitivity
#' @export
sensitivity.lm <- function(fit, error = NULL, draws = 10000,
                           distribution = c("uniform", "normal"),
                           sig.level = 0.05, ..., level) {
  if (inherits(fit, c("glm", "mlm")))
    stop_arg("fit", "must be a single-response linear model fit, not ",
             paste(class(fit), collapse = "/"))
  mf <- if (is.null(fit$model)) stats::model.frame(fit) else fit$model
  sensitivity_fit(fit$terms, mf, stats::coef(fit), fit$contrasts,
                  error = error, draws = draws, distribution = distribution,
                  sig.level = sens_sig_level(sig.level, level, missing(sig.level)), call = match.call())
}

#' @rdname sensitivity
#' @export
sensitivity.linreg <- function(fit, error = NULL, draws = 10000,
                               distribution = c("uniform", "normal"),
                               sig.level = 0.05, ..., level) {
  if (is.null(fit$model) || is.null(fit$terms) || is.null(fit$coefficients))
    stop_arg("fit", "must keep its model frame, terms and coefficients")
  tol <- fit$qr_info$tol
  sensitivity_fit(fit$terms, fit$model, fit$coefficients, fit$contrasts,
                  error = error, draws = draws, distribution = distribution,
                  sig.level = sens_sig_level(sig.level, level, missing(sig.level)), call = match.call(),
                  tol = if (is.numeric(tol) && length(tol) == 1L) tol else NA_real_)
}

# ---- the work shared by the methods --------------------------------------

# Decimals a number carries when written with at most 15 significant digits.
count_decimals <- function(x) {
  x <- x[is.finite(x)]
  if (!length(x)) return(0L)
  s <- sprintf("%.15g", abs(x))
  mant <- sub("e.*$", "", s)
  ex <- ifelse(grepl("e", s), as.integer(sub("^.*e", "", s)), 0L)
  dec <- ifelse(grepl(".", mant, fixed = TRUE),
                nchar(sub("^[^.]*\\.", "", mant)), 0L)
  max(0L, as.integer(max(dec - ex)))
}

sensitivity_fit <- function(terms, mf, coefficients, contrasts, error, draws,
                            distribution, sig.level, call, tol = NA_real_) {
  a <- sens_check_args(draws, coefficients, distribution, sig.level)
  md <- sens_model(terms, mf)
  ds <- sens_design(terms, mf, contrasts, coefficients, md$labs, md$pert)
  er <- sens_errors(error, md$V, md$pert)
  normal <- as.integer(a$distribution == "normal")
  fits <- sens_run(md$V, er$err, ds$Xk, ds$xvar, ds$icol, a$draws, normal,
                   md$wts, tol)
  so <- sens_object(fits$res, fits$orig, ds$cn, ds$keep)
  obj <- so$obj
  obj$error <- er$err
  obj$decimals <- er$decimals
  obj$inferred <- er$inferred
  obj$original <- so$original
  obj$draws <- a$draws
  obj$distribution <- a$distribution
  obj$sig.level <- sig.level
  obj$n <- ds$n
  obj$df <- c(model = ds$pk - (ds$icol > 0L), residual = ds$n - ds$pk)
  obj$rank_deficient <- fits$res$rank_deficient
  obj$call <- call
  class(obj) <- "linreg_sensitivity"
  obj
}

# `level`, the former name of `sig.level` (a significance level, where
# `level` means an aggregation level elsewhere in the package).
sens_sig_level <- function(sig.level, level, sig_missing) {
  if (missing(level)) return(sig.level)
  renamed_arg(level, "level", "sig.level", !sig_missing, "sensitivity")
}

# The arguments of sensitivity(): draws (within memory), distribution, sig.level.
sens_check_args <- function(draws, coefficients, distribution, sig.level) {
  requested <- draws
  draws <- check_count(draws, "draws", min = 1, max = Inf)
  # the results hold six draws x terms matrices and a few vectors over draws;
  # the refits need about as much again
  need <- as.double(requested) * 8 * 2 * (6 * length(coefficients) + 8)
  if (is.na(draws) || need > 2^32 || draws > .Machine$integer.max %/% 64L)
    stop_arg("draws", sprintf(paste0(
      "= %.0f would need about %.1f GB of memory for %d coefficients (the limit is 4 GB);",
      " use fewer draws: 10000 estimate a share to within 1 percentage point"),
      as.double(requested), need / 2^30, length(coefficients)))
  if (!is.character(distribution) || anyNA(distribution))
    stop_arg("distribution", 'must be "uniform" or "normal"')
  distribution <- tryCatch(match.arg(distribution, c("uniform", "normal")),
                           error = function(e)
                             stop_arg("distribution", 'must be "uniform" or "normal"'))
  if (!is.numeric(sig.level) || length(sig.level) != 1L || is.na(sig.level) ||
      sig.level <= 0 || sig.level >= 1)
    stop_arg("sig.level", "must be a single number strictly between 0 and 1")

  list(draws = draws, distribution = distribution)
}

# What the model is made of: weights, the variables, the terms and the
# perturbed variables (the response and the plain numeric regressors, in
# model-frame order) with their values V.
sens_model <- function(terms, mf) {
  if (!is.null(stats::model.offset(mf)) || length(attr(terms, "offset")))
    stop_arg("fit", "has an offset; sensitivity() supports models without offsets")
  wts <- mf[["(weights)"]]
  if (is.null(wts)) wts <- numeric(0) else {
    wts <- as.double(wts)
    if (any(!is.finite(wts)) || any(wts <= 0))
      stop_arg("fit", "has zero, negative or non-finite weights; refit ",
               "without the observations of weight zero")
  }
  if (attr(terms, "response") != 1L)
    stop_arg("fit", "has no response")
  vars <- vapply(as.list(attr(terms, "variables"))[-1L],
                 function(v) paste(deparse(v, width.cutoff = 500L), collapse = ""),
                 character(1))
  vexpr <- as.list(attr(terms, "variables"))[-1L]
  if (any(attr(terms, "order") > 1L))
    stop_arg("fit", "has interaction terms; sensitivity() supports main ",
             "effects of numeric variables and factors only")
  resp <- vars[1L]
  y <- mf[[resp]]
  if (!is.name(vexpr[[1L]]) || !is.numeric(y) || is.matrix(y))
    stop_arg("fit", "must have a plain numeric variable as response (got `",
             resp, "`); create transformed variables in the data first")
  labs <- attr(terms, "term.labels")
  pert <- resp
  for (lab in labs) {
    v <- mf[[lab]]
    if (is.null(v)) stop_arg("fit", "has a term `", lab, "` not in its model frame")
    if (is.factor(v) || is.character(v) || is.logical(v)) next
    if (!is.numeric(v) || is.matrix(v) || !is.name(vexpr[[match(lab, vars)]]))
      stop_arg("fit", "has the term `", lab, "`, which is not a plain numeric ",
               "variable or a factor; create transformed variables in the ",
               "data first")
    pert <- c(pert, lab)
  }
  pert <- vars[vars %in% pert]            # model-frame order, response first
  V <- do.call(cbind, lapply(pert, function(v) as.double(mf[[v]])))
  colnames(V) <- pert
  if (any(!is.finite(V)))
    stop_arg("fit", "has non-finite values in its model frame")

  list(wts = wts, labs = labs, pert = pert, V = V)
}

# The model matrix's estimable columns Xk, each column's perturbed variable
# (xvar, 0 for none) and the intercept's column (icol, 0 for none).
sens_design <- function(terms, mf, contrasts, coefficients, labs, pert) {
  X <- stats::model.matrix(terms, mf, contrasts.arg = contrasts)
  cn <- colnames(X)
  if (!identical(sort(names(coefficients)), sort(cn)))
    stop_arg("fit", "has coefficients that do not match its model matrix")
  coefficients <- coefficients[cn]
  keep <- !is.na(coefficients)
  Xk <- X[, keep, drop = FALSE]
  storage.mode(Xk) <- "double"
  n <- nrow(Xk)
  pk <- ncol(Xk)
  if (pk < 1L) stop_arg("fit", "has no estimable coefficients")
  if (n - pk < 1L)
    stop_arg("fit", "has no residual degrees of freedom (n = ", n,
             ", coefficients = ", pk, ")")
  asg <- attr(X, "assign")[keep]
  xvar <- integer(pk)
  for (j in seq_len(pk)) {
    if (asg[j] == 0L) next
    lab <- labs[asg[j]]
    m <- match(lab, pert)
    if (!is.na(m)) xvar[j] <- m
  }
  icol <- if (attr(terms, "intercept") == 1L) match(0L, asg, nomatch = 0L) else 0L

  list(Xk = Xk, cn = cn, keep = keep, xvar = xvar, icol = icol, n = n, pk = pk)
}

# The errors of the perturbed variables: given, or inferred from their
# decimals (half a unit of the last decimal).
sens_errors <- function(error, V, pert) {
  decimals <- vapply(pert, function(v) count_decimals(V[, v]), integer(1))
  inferred_err <- 0.5 * 10^-decimals
  names(inferred_err) <- pert
  inferred <- stats::setNames(rep(TRUE, length(pert)), pert)
  err <- inferred_err
  if (!is.null(error)) {
    if (!is.numeric(error) || is.matrix(error))
      stop_arg("error", "must be NULL or a numeric vector, not ", describe(error))
    if (anyNA(error) || any(!is.finite(error)))
      stop_arg("error", "must contain finite values only")
    if (any(error < 0))
      stop_arg("error", "must not contain negative values")
    nm <- names(error)
    if (is.null(nm)) {
      if (length(error) != 1L)
        stop_arg("error", "must be a single number or a vector named by ",
                 "variable (", paste(pert, collapse = ", "), ")")
      err[] <- as.double(error)
      inferred[] <- FALSE
    } else {
      if (any(is.na(nm) | !nzchar(nm)) || anyDuplicated(nm))
        stop_arg("error", "must have unique, non-empty names")
      bad <- setdiff(nm, pert)
      if (length(bad))
        stop_arg("error", "names variables that are not perturbed: ",
                 paste0('"', bad, '"', collapse = ", "), "; perturbed are ",
                 paste0('"', pert, '"', collapse = ", "))
      err[nm] <- as.double(error)
      inferred[nm] <- FALSE
    }
  }

  list(err = err, decimals = decimals, inferred = inferred)
}

# The original fit and the perturbed refits, in C.
sens_run <- function(V, err, Xk, xvar, icol, draws, normal, wts, tol) {
  # variables far from 1 (beyond 2^+-400) are rescaled by powers of two with
  # their errors, as in linreg(), so that sums of squares neither overflow
  # nor underflow; B and SE are scaled back, the other statistics are free
  # of the scale
  ev <- vapply(seq_len(ncol(V)), function(j) {
    mx <- max(abs(range(V[, j])))
    if (mx > 0 && (mx > 2^400 || mx < 2^-400)) pow2_exponent(mx) else 0
  }, 0)
  errs <- as.double(err)
  if (any(ev != 0)) {
    for (j in which(ev != 0)) {
      V[, j] <- times_pow2(V[, j], ev[j])
      errs[j] <- times_pow2(errs[j], ev[j])
      Xk[, xvar == j] <- times_pow2(Xk[, xvar == j], ev[j])
    }
  }
  # tol: the rank tolerance of the linreg() fit (NA: linreg's default)
  orig <- .Call(ffi_sensitivity_draws, V, errs, Xk, as.integer(xvar),
                as.integer(icol), 1L, normal, 0L, wts, as.double(tol))
  res <- .Call(ffi_sensitivity_draws, V, errs, Xk, as.integer(xvar),
               as.integer(icol), as.integer(draws), normal, 1L, wts, as.double(tol))
  if (any(ev != 0)) {
    # B_j = B'_j 2^(e_j - e_y), column j's exponent that of its variable
    eb <- ifelse(xvar > 0L, ev[pmax(xvar, 1L)], 0) - ev[1L]
    back <- function(m) {
      for (j in which(eb != 0)) m[, j] <- times_pow2(m[, j], eb[j])
      m
    }
    for (s in c("B", "SE")) {
      res[[s]] <- back(res[[s]])
      orig[[s]] <- back(orig[[s]])
    }
  }

  list(orig = orig, res = res)
}

# The result's matrices over draws (obj) and the original fit's statistics
# (original), with columns for every coefficient (NA for the aliased ones).
sens_object <- function(res, orig, cn, keep) {
  expand <- function(m) {
    out <- matrix(NA_real_, nrow(m), length(cn), dimnames = list(NULL, cn))
    out[, keep] <- m
    out
  }
  stats_names <- c("B", "SE", "t", "p", "Beta", "VIF")
  obj <- list()
  for (s in stats_names) obj[[s]] <- expand(res[[s]])
  for (s in c("r.squared", "adj.r.squared", "F", "F.p")) obj[[s]] <- res[[s]]
  original <- list()
  for (s in stats_names) original[[s]] <- expand(orig[[s]])[1L, ]
  for (s in c("r.squared", "adj.r.squared", "F", "F.p"))
    original[[s]] <- orig[[s]]
  list(obj = obj, original = original)
}

# ---- summaries over draws ------------------------------------------------

sens_quantiles <- function(m, probs) {
  if (is.matrix(m)) {
    out <- t(apply(m, 2L, function(v)
      if (all(is.na(v))) rep(NA_real_, length(probs))
      else stats::quantile(v, probs, na.rm = TRUE, names = FALSE)))
    if (length(probs) == 1L) out <- t(out)
    dimnames(out) <- list(colnames(m), paste0(format(100 * probs, trim = TRUE), "%"))
    out
  } else {
    stats::setNames(stats::quantile(m, probs, na.rm = TRUE, names = FALSE),
                    paste0(format(100 * probs, trim = TRUE), "%"))
  }
}

sens_flip <- function(p, p0, sig.level) {
  s0 <- p0 < sig.level
  vapply(seq_along(p0), function(j) {
    if (is.na(s0[j])) return(NA_real_)
    mean((p[, j] < sig.level) != s0[j], na.rm = TRUE)
  }, numeric(1))
}

sens_table <- function(x) {
  o <- x$original
  qB <- sens_quantiles(x$B, c(0.05, 0.5, 0.95))
  qt <- sens_quantiles(x$t, c(0.05, 0.5, 0.95))
  qp <- sens_quantiles(x$p, c(0.05, 0.5, 0.95))
  flip <- sens_flip(x$p, o$p, x$sig.level)
  sgn <- vapply(seq_along(o$B), function(j) {
    if (is.na(o$B[j])) return(NA_real_)
    mean(sign(x$B[, j]) != sign(o$B[j]), na.rm = TRUE)
  }, numeric(1))
  verdict <- ifelse(is.na(flip), NA_character_,
                    ifelse(flip > 0.1 | sgn > 0.05, "fragile", "robust"))
  data.frame(term = names(o$B), B = unname(o$B), t = unname(o$t),
             p = unname(o$p),
             B_q05 = qB[, 1], B_q50 = qB[, 2], B_q95 = qB[, 3],
             t_q05 = qt[, 1], t_q50 = qt[, 2], t_q95 = qt[, 3],
             p_q05 = qp[, 1], p_q50 = qp[, 2], p_q95 = qp[, 3],
             flip = flip, sign_change = sgn, verdict = verdict,
             row.names = NULL, stringsAsFactors = FALSE)
}

sens_model_table <- function(x) {
  o <- x$original
  q <- rbind(sens_quantiles(x$r.squared, c(0.05, 0.5, 0.95)),
             sens_quantiles(x$F, c(0.05, 0.5, 0.95)),
             sens_quantiles(x$F.p, c(0.05, 0.5, 0.95)))
  fl <- if (is.na(o$F.p)) NA_real_ else
    mean((x$F.p < x$sig.level) != (o$F.p < x$sig.level), na.rm = TRUE)
  data.frame(statistic = c("R-squared", "F", "F p-value"),
             original = c(o$r.squared, o$F, o$F.p),
             q05 = q[, 1], q50 = q[, 2], q95 = q[, 3],
             flip = c(NA, fl, fl), row.names = NULL)
}

#' Methods for sensitivity results
#'
#' Print, summarise, convert and plot the result of [sensitivity()].
#'
#' @param x,object a `linreg_sensitivity` object.
#' @param digits significant digits to print.
#' @param row.names,optional ignored (for the generic).
#' @param probs probabilities for [stats::quantile()].
#' @param which the statistic: one of `"B"`, `"SE"`, `"t"`, `"p"`, `"Beta"`,
#'   `"VIF"` (a terms x probs matrix) or `"r.squared"`, `"adj.r.squared"`,
#'   `"F"`, `"F.p"` (a vector).
#' @param terms for `plot()`: names of the terms to show (default: all with a
#'   coefficient).
#' @param published for `plot()`: `NULL` or a data frame with a column
#'   `term` and columns `B`, `t` or `p` (such as
#'   `bengbu_published$coefficients`) whose values are marked as dashed
#'   lines. A published value of exactly 0 (printed 0.000 or -0.000) is a
#'   value rounded to zero: it is named in the panel, not drawn at 0.
#' @param trim for `plot()`: the most draws cut from each tail of a panel's
#'   x axis. The axis spans all the draws unless a tail reaches more than 3
#'   interquartile ranges beyond the quartiles (t statistics with one
#'   residual degree of freedom have very long tails); then it stops there,
#'   or at the `trim` and `1 - trim` quantiles if those lie further out. It
#'   is widened to show the original and published values and the critical
#'   value; each panel says what share of the draws falls outside it.
#' @param breaks passed to [graphics::hist()].
#' @param ... further arguments (passed to [graphics::hist()] by `plot()`,
#'   ignored otherwise).
#' @return `print()` and `plot()` return `x` invisibly. `plot()` draws, per
#'   term, histograms of B, t and p over the draws with the original value
#'   (red, solid), the published one (blue, dashed) and the critical value
#'   at `sig.level` (orange, dotted: the t of `p = sig.level` on the original's side,
#'   and `sig.level` itself for p) marked, and one legend below the panels. At
#'   about 1.8 inches of height per term the panels stay readable (the
#'   vignette draws seven terms at 7 x 13 inches). `as.data.frame()`
#'   gives one row per term: `term`, the original `B`, `t`, `p`, their 5%,
#'   50% and 95% quantiles over draws (`B_q05`, ..., `p_q95`), `flip` (the
#'   share of draws whose significance call at `sig.level` differs from the
#'   original), `sign_change` and `verdict`. `summary()` gives a
#'   `summary.linreg_sensitivity` object with that table (`$coefficients`)
#'   and the model table (`$model`: R-squared, F and its p-value).
#'   `quantile()` gives quantiles over draws, ignoring rank-deficient draws.
#' @examples
#' fit <- lm(LQ ~ infra + sup + tech + phrl + fm + dm, data = bengbu)
#' set.seed(2)
#' s <- sensitivity(fit, draws = 500)
#' summary(s)
#' quantile(s, probs = c(0.025, 0.975), which = "p")
#' plot(s, terms = c("infra", "phrl"),
#'      published = bengbu_published$coefficients)
#' @name sensitivity-methods
NULL

# Each row formatted on its own scale (coefficients differ by orders of
# magnitude between terms), as a character matrix for print(quote = FALSE).
format_rows <- function(m, digits) {
  out <- t(apply(m, 1L, function(r) format(r, digits = digits)))
  if (ncol(m) == 1L) out <- t(out)
  dimnames(out) <- dimnames(m)
  out
}

#' @rdname sensitivity-methods
#' @export
print.linreg_sensitivity <- function(x, digits = max(3L, getOption("digits") - 3L),
                                     ...) {
  cat(sprintf("Sensitivity of a regression to %s perturbations of its data\n",
              x$distribution))
  cat(sprintf("%d draws, n = %d, residual df = %d, significance level %g\n",
              x$draws, x$n, x$df[["residual"]], x$sig.level))
  if (x$rank_deficient > 0L)
    cat(sprintf("%d draw(s) lost rank and are left out\n", x$rank_deficient))
  cat(sprintf("\nPerturbation per variable (%s):\n",
              if (x$distribution == "uniform") "half-width of a uniform"
              else "standard deviation of a normal"))
  et <- data.frame(error = x$error, decimals = x$decimals,
                   source = ifelse(x$inferred, "inferred from decimals", "given"))
  print(et, digits = digits)
  tab <- sens_table(x)
  rn <- tab$term
  for (s in c("B", "t", "p")) {
    m <- as.matrix(tab[, paste0(s, c("", "_q05", "_q50", "_q95"))])
    dimnames(m) <- list(rn, c("original", "5%", "50%", "95%"))
    cat(sprintf("\n%s:\n", switch(s, B = "Coefficients (B)", t = "t statistics",
                                   p = "p-values")))
    print(format_rows(m, digits), quote = FALSE, right = TRUE)
  }
  cat("\nSignificance flips and verdicts:\n")
  v <- data.frame(flip = round(tab$flip, 3), sign_change = round(tab$sign_change, 3),
                  verdict = tab$verdict, row.names = rn)
  print(v)
  cat("\nModel:\n")
  mt <- sens_model_table(x)
  mm <- as.matrix(mt[, c("original", "q05", "q50", "q95")])
  dimnames(mm) <- list(mt$statistic, c("original", "5%", "50%", "95%"))
  mm <- cbind(format_rows(mm, digits),
              flip = ifelse(is.na(mt$flip), "", format(round(mt$flip, 3))))
  print(mm, quote = FALSE, right = TRUE)
  cat("\nflip: share of draws whose call at `sig.level` differs from the original;",
      "\nfragile: flip > 0.1 or the sign of B changes in more than 5% of draws.\n")
  invisible(x)
}

#' @rdname sensitivity-methods
#' @export
as.data.frame.linreg_sensitivity <- function(x, row.names = NULL,
                                             optional = FALSE, ...) {
  sens_table(x)
}

#' @rdname sensitivity-methods
#' @importFrom stats quantile
#' @export
quantile.linreg_sensitivity <- function(x, probs = c(0.05, 0.5, 0.95),
                                        which = "B", ...) {
  choices <- c("B", "SE", "t", "p", "Beta", "VIF", "r.squared",
               "adj.r.squared", "F", "F.p")
  if (!is.character(which) || length(which) != 1L || !which %in% choices)
    stop_arg("which", "must be one of ", paste0('"', choices, '"', collapse = ", "))
  if (!is.numeric(probs) || !length(probs) || anyNA(probs) ||
      any(probs < 0 | probs > 1))
    stop_arg("probs", "must be numbers in [0, 1]")
  sens_quantiles(x[[which]], probs)
}

#' @rdname sensitivity-methods
#' @export
summary.linreg_sensitivity <- function(object, ...) {
  structure(list(coefficients = sens_table(object),
                 model = sens_model_table(object),
                 error = object$error, draws = object$draws,
                 distribution = object$distribution, sig.level = object$sig.level,
                 rank_deficient = object$rank_deficient),
            class = "summary.linreg_sensitivity")
}

#' @rdname sensitivity-methods
#' @export
print.summary.linreg_sensitivity <- function(x, digits = max(3L, getOption("digits") - 3L),
                                             ...) {
  cat(sprintf("Sensitivity over %d %s draws (significance level %g)\n\n", x$draws,
              x$distribution, x$sig.level))
  co <- x$coefficients
  f <- function(v) formatC(v, digits = digits, format = "g")
  rng <- function(a, b) paste0("[", f(a), ", ", f(b), "]")
  tab <- data.frame(term = co$term,
                    B = f(co$B), `B 5-95%` = rng(co$B_q05, co$B_q95),
                    t = f(co$t), `t 5-95%` = rng(co$t_q05, co$t_q95),
                    p = f(co$p), `p 5-95%` = rng(co$p_q05, co$p_q95),
                    flip = format(round(co$flip, 3)),
                    verdict = co$verdict, check.names = FALSE)
  print(tab, row.names = FALSE, right = TRUE)
  cat("\n")
  mo <- x$model
  mm <- as.matrix(mo[, c("original", "q05", "q50", "q95")])
  dimnames(mm) <- list(mo$statistic, c("original", "5%", "50%", "95%"))
  mm <- cbind(format_rows(mm, digits),
              flip = ifelse(is.na(mo$flip), "", format(round(mo$flip, 3))))
  print(mm, quote = FALSE, right = TRUE)
  invisible(x)
}

#' @rdname sensitivity-methods
#' @export
plot.linreg_sensitivity <- function(x, terms = NULL, published = NULL,
                                    trim = 0.05, breaks = 30, ...) {
  pan <- sens_panels(x, terms = terms, published = published, trim = trim)
  terms <- unique(pan$term)
  stats <- c("B", "t", "p")
  has_pub <- any(is.finite(pan$published) | pan$published_zero)
  op <- graphics::par(mfrow = c(length(terms), 3L), oma = c(2.2, 0, 0, 0),
                      mar = c(2.6, 3.9, 3.5, 0.8), mgp = c(1.6, 0.5, 0),
                      cex = 0.75, cex.main = 1, tcl = -0.3)
  on.exit(graphics::par(op))
  for (i in seq_len(nrow(pan))) {
    pi <- pan[i, ]
    v <- x[[pi$stat]][, pi$term]
    v <- v[is.finite(v)]
    shown <- v[v >= pi$lo & v <= pi$hi]
    br <- seq(pi$lo, pi$hi, length.out = breaks + 1L)
    if (length(shown)) {
      graphics::hist(shown, breaks = br, xlim = c(pi$lo, pi$hi), main = "",
                     xlab = pi$stat, ylab = "", col = "grey85", border = "grey60",
                     axes = FALSE, ...)
    } else {
      graphics::plot(c(pi$lo, pi$hi), c(0, 1), type = "n", main = "",
                     xlab = pi$stat, ylab = "", axes = FALSE)
    }
    # tick labels in plain numbers, as many as fit without one being dropped
    ax <- sens_axis_ticks(pi$lo, pi$hi)
    graphics::axis(1, at = ax$at, labels = ax$labels)
    graphics::axis(2, las = 1)
    graphics::title(ylab = "Frequency", line = 2.7)
    graphics::title(main = paste0(pi$stat, ": ", pi$term), line = 2.1)
    notes <- c(if (pi$off_share > 0)
                 sprintf("%s of draws off scale", sens_percent(pi$off_share)),
               if (pi$published_zero) "published 0.000: rounded to zero")
    for (k in seq_along(notes))
      graphics::mtext(notes[k], side = 3, line = 1.0 - 0.8 * (k - 1L), cex = 0.7,
                      col = if (grepl("^published", notes[k])) "blue" else "grey20")
    if (is.finite(pi$critical)) {
      graphics::abline(v = pi$critical, col = "darkorange3", lwd = 1.5, lty = 3)
    }
    graphics::abline(v = pi$original, col = "red", lwd = 2)
    if (is.finite(pi$published))
      graphics::abline(v = pi$published, col = "blue", lwd = 2, lty = 2)
  }
  # one legend for all panels, in the outer margin below them
  graphics::par(fig = c(0, 1, 0, 1), oma = c(0, 0, 0, 0), mar = c(0, 0, 0, 0),
                new = TRUE)
  graphics::plot.new()
  lab <- c("original fit", if (has_pub) "published",
           sprintf("critical value at level %g", x$sig.level))
  graphics::legend("bottom", legend = lab, horiz = TRUE, bty = "n", cex = 0.85,
                   col = c("red", if (has_pub) "blue", "darkorange3"),
                   lty = c(1, if (has_pub) 2, 3), lwd = c(2, if (has_pub) 2, 1.5))
  invisible(x)
}

# The x range of a panel: all the draws, unless a tail reaches beyond 3
# interquartile ranges from the quartiles (t with one residual degree of
# freedom has Cauchy-like tails); then the axis stops there, but never cuts
# more than `trim` of the draws from a tail.
sens_scale <- function(v, trim) {
  q <- stats::quantile(v, c(trim, 0.25, 0.75, 1 - trim), names = FALSE)
  iqr <- q[3L] - q[2L]
  c(max(min(v), min(q[2L] - 3 * iqr, q[1L])),
    min(max(v), max(q[3L] + 3 * iqr, q[4L])))
}

sens_percent <- function(share) {
  if (share < 0.001) "<0.1%" else sprintf("%.1f%%", 100 * share)
}

# What each panel of the plot shows, one row per term x statistic (B, t, p):
# the drawn range [lo, hi] (sens_scale(), widened to show the original and published values and, for t and p, the
# critical value on the original's side), the share of draws outside it,
# the values marked, and whether the published value is a rounded zero.
sens_panels <- function(x, terms = NULL, published = NULL, trim = 0.05) {
  avail <- colnames(x$B)[colSums(!is.na(x$B)) > 0L]
  if (is.null(terms)) terms <- avail
  if (!is.character(terms) || !length(terms) || anyNA(terms))
    stop_arg("terms", "must name terms of the fit")
  bad <- setdiff(terms, avail)
  if (length(bad))
    stop_arg("terms", "names terms without draws: ",
             paste0('"', bad, '"', collapse = ", "))
  if (!is.null(published)) {
    if (!is.data.frame(published) || !"term" %in% names(published) ||
        !any(c("B", "t", "p") %in% names(published)))
      stop_arg("published", "must be a data frame with a column term and ",
               "columns B, t or p")
  }
  if (!is.numeric(trim) || length(trim) != 1L || is.na(trim) ||
      trim < 0 || trim >= 0.5)
    stop_arg("trim", "must be a single number in [0, 0.5)")
  df <- x$df[["residual"]]
  tcrit <- if (df > 0) stats::qt(1 - x$sig.level / 2, df) else NA_real_
  rows <- list()
  for (tm in terms) for (s in c("B", "t", "p")) {
    v <- x[[s]][, tm]
    v <- v[is.finite(v)]
    o <- x$original[[s]][[tm]]
    pub <- NA_real_
    if (!is.null(published) && s %in% names(published)) {
      k <- match(tm, published$term)
      if (!is.na(k)) pub <- as.double(published[[s]][k])
    }
    # a published 0 (0.000, -0.000) is a value rounded to zero, not a zero:
    # marked in words, not drawn as a line at 0
    pub_zero <- isTRUE(pub == 0)
    if (pub_zero) pub <- NA_real_
    crit <- switch(s, B = NA_real_,
                   t = if (is.finite(o) && o != 0) sign(o) * tcrit else NA_real_,
                   p = x$sig.level)
    lim <- if (length(v)) sens_scale(v, trim) else c(NA_real_, NA_real_)
    rng <- range(c(lim, o, pub, crit), na.rm = TRUE, finite = TRUE)
    if (s == "p") rng <- c(0, min(1, max(rng[2L], 2 * x$sig.level)))
    if (diff(rng) == 0) rng <- rng + c(-0.5, 0.5) * max(abs(rng[1L]), 1)
    off <- if (length(v)) mean(v < rng[1L] | v > rng[2L]) else 0
    rows[[length(rows) + 1L]] <- data.frame(
      term = tm, stat = s, lo = rng[1L], hi = rng[2L], off_share = off,
      original = o, published = pub, published_zero = pub_zero,
      critical = crit, stringsAsFactors = FALSE)
  }
  do.call(rbind, rows)
}

# Ticks for a sensitivity panel's x axis: pretty values inside [lo, hi],
# labelled in plain (not scientific) notation, fewer of them until their
# labels fit between the ticks, so that axis() drops none.
sens_axis_ticks <- function(lo, hi) {
  lab_of <- function(at) {
    d <- max(0L, min(15L, -floor(log10(min(diff(at)))) + 1L))
    lab <- formatC(at, format = "f", digits = d)
    dec <- grepl(".", lab, fixed = TRUE)
    lab[dec] <- sub("[.]$", "", sub("0+$", "", lab[dec]))
    lab[lab == "-0"] <- "0"
    lab
  }
  for (n in c(5L, 4L, 3L, 2L, 1L)) {
    at <- pretty(c(lo, hi), n = n)
    at <- at[at >= lo - 1e-9 * (hi - lo) & at <= hi + 1e-9 * (hi - lo)]
    if (length(at) < 2L) {
      at <- c(lo, hi)
    }
    lab <- lab_of(at)
    w <- max(graphics::strwidth(lab, cex = graphics::par("cex.axis")))
    if (w * 1.4 < min(diff(at))) break
  }
  list(at = at, labels = lab)
}
