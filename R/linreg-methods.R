# Methods for class "linreg".

# Significant-digit formatting: never "0.000" for a non-zero number, keep the
# sign; scientific notation for very small or very large magnitudes.
fmt_sig <- function(x, digits = 4L) {
  out <- rep("", length(x))
  ok <- !is.na(x)
  ax <- abs(x[ok])
  sci <- ax != 0 & (ax < 1e-3 | ax >= 1e6)
  s <- character(sum(ok))
  s[sci] <- formatC(x[ok][sci], digits = digits - 1L, format = "e")
  s[!sci] <- formatC(signif(x[ok][!sci], digits), digits = digits, format = "fg",
                     flag = "#")
  s <- sub("\\.$", "", s)
  s[ax == 0] <- "0"
  out[ok] <- s
  out
}

fmt_p <- function(p) {
  out <- rep("", length(p))
  ok <- !is.na(p)
  out[ok] <- ifelse(p[ok] < 0.001, "<0.001", formatC(p[ok], digits = 3, format = "f"))
  out
}

# a p-value in running text: "p = 0.009", "p < 0.001"
fmt_p_text <- function(p) {
  ifelse(!is.na(p) & p < 0.001, "p < 0.001", paste("p =", fmt_p(p)))
}

stars <- function(p) {
  s <- rep("", length(p))
  ok <- !is.na(p)
  s[ok] <- as.character(cut(p[ok], c(-Inf, 0.001, 0.01, 0.05, 0.1, Inf),
                            c("***", "**", "*", ".", ""), right = FALSE))
  s
}

coef_table <- function(object, level = 0.95, arg = "level") {
  level <- check_level(level, arg)
  cf <- object$coefficients
  se <- object$se
  rdf <- object$df.residual
  tval <- cf / se
  pval <- if (rdf > 0) 2 * stats::pt(-abs(tval), rdf) else rep(NA_real_, length(cf))
  q <- if (rdf > 0) stats::qt((1 + level) / 2, rdf) else NA_real_
  data.frame(term = names(cf), B = unname(cf), SE = unname(se),
             Beta = unname(object$beta), t = unname(tval), p = unname(pval),
             lower = unname(cf - q * se), upper = unname(cf + q * se),
             VIF = unname(object$vif), Tolerance = unname(1 / object$vif),
             stringsAsFactors = FALSE)
}

#' Methods for linreg fits
#'
#' Printing, summaries, extractors and predictions for [linreg()] fits.
#' `print()` lays the result out like the study's Table 2; `summary()` returns
#' the coefficient table and a one-row data frame of model statistics;
#' `as.data.frame()` returns the coefficient table (ready for
#' `knitr::kable()`).
#'
#' @param x,object a `linreg` fit (or a `summary.linreg` for its print method).
#' @param digits significant digits shown for coefficients and statistics.
#' @param signif.stars show significance stars and their legend?
#' @param level for `confint()`: the confidence level (the name the
#'   [stats::confint()] generic fixes). For `summary()` and `predict()`,
#'   the former name of `conf.level`, still accepted in this release with a
#'   warning.
#' @param conf.level confidence level of the intervals, as in
#'   [stats::t.test()] and the [tidiers] (`level` means an aggregation level
#'   elsewhere in the package).
#' @param parm coefficients (names or indices) for `confint()`; all by default.
#' @param newdata a data frame for `predict()`; the fitted data by default.
#' @param interval `"none"`, `"confidence"` or `"prediction"`.
#' @param se.fit return standard errors of the fitted values?
#' @param type for `residuals()`: `"response"` (default) or `"weighted"`
#'   (`sqrt(w) * e`).
#' @param which for `plot()`: which of the four panels to draw (residuals vs
#'   fitted, normal Q-Q, scale-location, residuals in observation order).
#' @param row.names,optional ignored (for the generic).
#' @param ... further arguments (ignored, or passed to graphics).
#' @return `print()` returns `x` invisibly. `summary()` returns class
#'   `summary.linreg`: a list with `coefficients` (data frame with columns
#'   `term, B, SE, Beta, t, p, lower, upper, VIF, Tolerance`), `model` (one-row
#'   data frame `n, r.squared, adj.r.squared, sigma, F, df1, df2, F.p, dw,
#'   dw.p, condition, logLik, AIC, BIC`), `gvif` (data frame `term, GVIF, Df,
#'   GVIF_adj`: the generalised VIF per term), `dw` (the Durbin-Watson test with its
#'   method and alternative), `condition_indices` and `warnings`.
#'   `predict()` returns a vector, or a matrix with columns `fit, lwr, upr`,
#'   or with `se.fit = TRUE` a list as `predict.lm()`. `predict()` with
#'   `interval = "prediction"` assumes unit prediction weights.
#' @examples
#' fit <- linreg(LQ ~ infra + sup + tech + phrl + fm + dm, data = bengbu)
#' s <- summary(fit)
#' s$model
#' as.data.frame(fit)
#' predict(fit, newdata = bengbu[1:2, ], interval = "prediction")
#' AIC(fit)
#' @param formula for `model.frame()`: the `linreg` fit.
#' @name linreg-methods
#' @importFrom stats coef vcov confint predict residuals fitted nobs formula
#'   terms model.frame model.matrix logLik
NULL

#' @rdname linreg-methods
#' @export
print.linreg <- function(x, digits = 4L, signif.stars = TRUE, ...) {
  print_linreg_table(coef_table(x), x$stats, x$dw, x$warnings,
                     response = deparse1(x$terms[[2L]]), digits, signif.stars,
                     gvif = x$gvif)
  invisible(x)
}

print_linreg_table <- function(ct, st, dw, warns, response, digits, signif.stars,
                               gvif = NULL) {
  cat(sprintf("Linear regression (n = %d)\n\n", st$n))
  tab <- data.frame(
    B = fmt_sig(ct$B, digits), SE = fmt_sig(ct$SE, digits),
    Beta = ifelse(is.na(ct$Beta), "-", fmt_sig(ct$Beta, digits)),
    t = fmt_sig(ct$t, digits), p = fmt_p(ct$p),
    VIF = ifelse(is.na(ct$VIF), "-", fmt_sig(ct$VIF, digits)),
    Tolerance = ifelse(is.na(ct$Tolerance), "-", fmt_sig(ct$Tolerance, digits)),
    stringsAsFactors = FALSE, check.names = FALSE)
  al <- is.na(ct$B)
  tab$B[al] <- "(aliased)"
  tab$SE[al] <- tab$t[al] <- tab$p[al] <- ""
  if (signif.stars) tab[[" "]] <- stars(ct$p)
  rownames(tab) <- ct$term
  print(tab, right = TRUE)
  cat("\n")
  cat(sprintf("R\u00b2 = %s, adjusted R\u00b2 = %s\n", fmt_sig(st$r.squared, digits),
              fmt_sig(st$adj.r.squared, digits)))
  if (is.finite(st$F)) {
    cat(sprintf("F(%d, %d) = %s, %s\n", st$df1, st$df2, fmt_sig(st$F, digits),
                fmt_p_text(st$F.p)))
  } else cat("F: not available\n")
  cat(sprintf("Residual SE = %s on %d df\n", fmt_sig(st$sigma, digits), st$df2))
  dwp <- if (is.na(dw$p.value)) "p not available" else
    sprintf("%s (%s, alternative: %s)", fmt_p_text(dw$p.value), dw$method, dw$alternative)
  if (is.na(dw$statistic)) cat("D-W: not available\n") else
    cat(sprintf("D-W = %s, %s\n", fmt_sig(dw$statistic, digits), dwp))
  cat(sprintf("Dependent variable: %s\n", response))
  if (signif.stars) cat("Signif.: *** p<0.001  ** p<0.01  * p<0.05  . p<0.1\n")
  if (!is.null(gvif) && any(gvif$Df > 1L)) {
    cat("\nGeneralised VIF of terms with more than one column:\n")
    g <- gvif[gvif$Df > 1L, , drop = FALSE]
    gt <- data.frame(GVIF = ifelse(is.na(g$GVIF), "-", fmt_sig(g$GVIF, digits)),
                     Df = g$Df,
                     `GVIF^(1/(2 Df))` = ifelse(is.na(g$GVIF_adj), "-",
                                                fmt_sig(g$GVIF_adj, digits)),
                     check.names = FALSE, stringsAsFactors = FALSE)
    rownames(gt) <- g$term
    print(gt, right = TRUE)
  }
  if (length(warns)) {
    cat("\nWarnings:\n")
    cat(paste0("- ", warns, "\n"), sep = "")
  }
}

#' @rdname linreg-methods
#' @export
summary.linreg <- function(object, conf.level = 0.95, ..., level) {
  if (!missing(level))
    conf.level <- renamed_arg(level, "level", "conf.level", !missing(conf.level), "summary")
  ct <- coef_table(object, conf.level, "conf.level")
  rownames(ct) <- NULL
  st <- object$stats
  model <- data.frame(n = st$n, r.squared = st$r.squared,
                      adj.r.squared = st$adj.r.squared, sigma = st$sigma,
                      F = st$F, df1 = st$df1, df2 = st$df2, F.p = st$F.p,
                      dw = object$dw$statistic, dw.p = object$dw$p.value,
                      condition = object$condition$number, logLik = st$logLik,
                      AIC = st$AIC, BIC = st$BIC)
  out <- list(coefficients = ct, model = model, gvif = object$gvif, dw = object$dw,
              condition_indices = object$condition$indices,
              warnings = object$warnings, call = object$call,
              response = deparse1(object$terms[[2L]]), conf.level = conf.level,
              qr_info = object$qr_info)
  class(out) <- "summary.linreg"
  out
}

#' @rdname linreg-methods
#' @export
print.summary.linreg <- function(x, digits = 4L, signif.stars = TRUE, ...) {
  cat("Call: ", deparse1(x$call), "\n\n", sep = "")
  st <- as.list(x$model)
  print_linreg_table(x$coefficients, st, x$dw, x$warnings, x$response, digits,
                     signif.stars, gvif = x$gvif)
  cat(sprintf("\nCondition number %s (indices: %s)\n", fmt_sig(st$condition, digits),
              paste(fmt_sig(x$condition_indices, 3L), collapse = ", ")))
  cat(sprintf("logLik = %s, AIC = %s, BIC = %s\n", fmt_sig(st$logLik, digits),
              fmt_sig(st$AIC, digits), fmt_sig(st$BIC, digits)))
  cat(sprintf("Fitted by %s\n", x$qr_info$method))
  invisible(x)
}

#' @rdname linreg-methods
#' @export
as.data.frame.linreg <- function(x, row.names = NULL, optional = FALSE, ...) {
  ct <- coef_table(x)
  rownames(ct) <- NULL
  ct
}

#' @rdname linreg-methods
#' @export
coef.linreg <- function(object, ...) object$coefficients

#' @rdname linreg-methods
#' @export
vcov.linreg <- function(object, ...) {
  object$cov.unscaled * object$sigma^2
}

#' @rdname linreg-methods
#' @export
confint.linreg <- function(object, parm, level = 0.95, ...) {
  cf <- object$coefficients
  pnames <- names(cf)
  level <- check_level(level)
  if (missing(parm)) parm <- pnames
  else if (is.numeric(parm)) {
    if (anyNA(parm) || any(parm < 1 | parm > length(pnames) | parm != round(parm)))
      stop_arg("parm", "must be coefficient names or positions in 1..", length(pnames))
    parm <- pnames[parm]
  } else if (!is.character(parm) || anyNA(parm) || !all(parm %in% pnames)) {
    stop_arg("parm", "must be coefficient names or positions; unknown: ",
             paste0('"', setdiff(as.character(parm), pnames), '"', collapse = ", "),
             " (the coefficients are ", paste0('"', pnames, '"', collapse = ", "), ")")
  }
  a <- (1 - level) / 2
  a <- c(a, 1 - a)
  pct <- paste(format(100 * a, trim = TRUE, scientific = FALSE, digits = 3), "%")
  fac <- if (object$df.residual > 0) stats::qt(a, object$df.residual) else c(NA_real_, NA_real_)
  ci <- array(NA_real_, dim = c(length(parm), 2L), dimnames = list(parm, pct))
  ci[] <- cf[parm] + object$se[parm] %o% fac
  ci
}

#' @rdname linreg-methods
#' @export
predict.linreg <- function(object, newdata, se.fit = FALSE,
                           interval = c("none", "confidence", "prediction"),
                           conf.level = 0.95, ..., level) {
  if (!missing(level))
    conf.level <- renamed_arg(level, "level", "conf.level", !missing(conf.level), "predict")
  interval <- match.arg(interval)
  conf.level <- check_level(conf.level, "conf.level")
  tt <- stats::delete.response(object$terms)
  if (missing(newdata) || is.null(newdata)) {
    mf <- object$model
    X <- stats::model.matrix(object)
    offset <- object$offset
    if (is.null(offset)) offset <- rep(0, nrow(X))
  } else {
    if (!is.data.frame(newdata) && !is.list(newdata))
      stop_arg("newdata", "must be a data frame, not ", describe(newdata))
    need <- all.vars(tt)
    env <- environment(tt)
    miss <- need[!need %in% names(newdata) &
                   !vapply(need, function(v) !is.null(env) && exists(v, envir = env),
                           logical(1))]
    if (length(miss))
      stop_arg("newdata", "lacks the variable(s) of the model: ",
               paste0('"', miss, '"', collapse = ", "))
    mf <- stats::model.frame(tt, newdata, na.action = stats::na.pass,
                             xlev = object$xlevels)
    X <- stats::model.matrix(tt, mf, contrasts.arg = object$contrasts)
    offset <- rep(0, nrow(X))
    if (!is.null(off.num <- attr(tt, "offset")))
      for (i in off.num) offset <- offset + eval(attr(tt, "variables")[[i + 1]], newdata)
    if (!is.null(object$call$offset))
      offset <- offset + eval(object$call$offset, newdata)
  }
  keep <- !object$aliased
  b <- object$coefficients[keep]
  Xk <- X[, keep, drop = FALSE]
  fit <- drop(Xk %*% b) + offset
  names(fit) <- rownames(X)
  # without newdata, rows dropped by na.exclude come back as NA (as lm)
  na_act <- if (missing(newdata) || is.null(newdata)) object$na.action
  if (!se.fit && interval == "none") return(stats::napredict(na_act, fit))
  V <- vcov(object)[keep, keep, drop = FALSE]
  se <- sqrt(unname(rowSums((Xk %*% V) * Xk)))   # unnamed, as predict.lm
  rdf <- object$df.residual
  if (interval != "none") {
    q <- if (rdf > 0) stats::qt((1 + conf.level) / 2, rdf) else NA_real_
    w <- if (interval == "confidence") se else sqrt(se^2 + object$sigma^2)
    fit <- cbind(fit = fit, lwr = fit - q * w, upr = fit + q * w)
  }
  fit <- stats::napredict(na_act, fit)
  se <- stats::napredict(na_act, se)
  if (se.fit) list(fit = fit, se.fit = se, df = rdf, residual.scale = object$sigma)
  else fit
}

#' @rdname linreg-methods
#' @export
residuals.linreg <- function(object, type = c("response", "weighted"), ...) {
  type <- match.arg(type)
  r <- object$residuals
  if (type == "weighted" && !is.null(object$weights)) r <- r * sqrt(object$weights)
  stats::naresid(object$na.action, r)
}

#' @rdname linreg-methods
#' @export
fitted.linreg <- function(object, ...)
  stats::napredict(object$na.action, object$fitted.values)

#' @rdname linreg-methods
#' @export
nobs.linreg <- function(object, ...) object$stats$n

#' @rdname linreg-methods
#' @export
formula.linreg <- function(x, ...) stats::formula(x$terms)

#' @rdname linreg-methods
#' @export
terms.linreg <- function(x, ...) x$terms

#' @rdname linreg-methods
#' @export
model.frame.linreg <- function(formula, ...) formula$model

#' @rdname linreg-methods
#' @export
model.matrix.linreg <- function(object, ...) {
  stats::model.matrix(object$terms, object$model, object$contrasts)
}

#' @rdname linreg-methods
#' @export
logLik.linreg <- function(object, ...) {
  structure(object$stats$logLik, df = object$stats$logLik.df,
            nobs = object$stats$n, class = "logLik")
}

#' @rdname linreg-methods
#' @export
plot.linreg <- function(x, which = 1:4, ...) {
  r <- x$residuals
  if (!is.null(x$weights)) r <- r * sqrt(x$weights)
  f <- x$fitted.values
  s <- if (is.finite(x$sigma) && x$sigma > 0) x$sigma else 1
  rs <- r / s
  which <- intersect(which, 1:4)
  if (length(which) > 1L) {
    op <- graphics::par(mfrow = c(2L, 2L))
    on.exit(graphics::par(op))
  }
  if (1L %in% which) {
    plot(f, r, xlab = "Fitted values", ylab = "Residuals",
         main = "Residuals vs fitted", ...)
    graphics::abline(h = 0, lty = 3)
  }
  if (2L %in% which) {
    stats::qqnorm(rs, main = "Normal Q-Q", ylab = "Standardised residuals", ...)
    stats::qqline(rs, lty = 3)
  }
  if (3L %in% which)
    plot(f, sqrt(abs(rs)), xlab = "Fitted values",
         ylab = expression(sqrt("|standardised residuals|")),
         main = "Scale-location", ...)
  if (4L %in% which) {
    plot(seq_along(r), r, type = "b", xlab = "Observation", ylab = "Residuals",
         main = sprintf("Residuals in order (D-W = %.3f)", x$dw$statistic), ...)
    graphics::abline(h = 0, lty = 3)
  }
  invisible(x)
}
