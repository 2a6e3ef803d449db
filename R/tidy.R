# tidy() and glance() for the generics package (in Suggests, and re-exported
# by broom): registered lazily by NAMESPACE lines such as
# `S3method(generics::tidy, linreg)`, so the methods are found as soon as
# generics (or broom) is loaded, without a hard dependency. Column names
# follow broom's glossary where one applies; results are plain data frames
# (broom's own methods return tibbles; `tibble::as_tibble()` converts).

#' Tidy and glance: results as data frames for broom-style workflows
#'
#' Methods for the [generics::tidy()] and [generics::glance()] generics
#' (also exported by broom), so that gvcluster results can be stacked,
#' filtered and joined like any other model output. `tidy()` gives one row
#' per coefficient (or per term and country, sector or importer); `glance()`
#' gives one row per object. Columns use broom's names where one applies
#' (`term`, `estimate`, `std.error`, `statistic`, `p.value`, `conf.low`,
#' `conf.high`; `r.squared`, `df`, `df.residual`, `nobs`, ...). Results are
#' plain data frames (convert with `tibble::as_tibble()` if wanted).
#'
#' * `linreg` ([linreg()]): `tidy()` has `term`, `estimate`, `std.error`,
#'   `statistic` (t), `p.value`, with `conf.int = TRUE` `conf.low` and
#'   `conf.high`, then the standardised coefficient `std.estimate` (Beta)
#'   and `vif`; an aliased coefficient is a row of `NA`s (as in `coef()`).
#'   `glance()` has `r.squared`, `adj.r.squared`, `sigma`, `statistic` (F),
#'   `p.value`, `df` (model degrees of freedom), `logLik`, `AIC`, `BIC`,
#'   `deviance` (the (weighted) residual sum of squares), `df.residual` and
#'   `nobs`, as `broom::glance()` for an [lm()] fit, then the Durbin-Watson
#'   statistic `dw`, its `dw.p.value` and the condition number `condition`.
#' * `gvc_decomposition` ([gvc_decompose()]): `tidy()` is the long form of
#'   the terms table: the identifying columns (`country`, and by level
#'   `sector`, `importer`), `term`, `value` and `share`, one row per
#'   identifying combination and term, in the order of the wide table. The
#'   reference totals (`GEXP` for KWW, WWZ, Borin-Mancini, TiVA and BMT,
#'   `GIMP` for Borin-Mancini imports, `E` for Leontief, `X` for BMT
#'   output-based, `VA` and `FG` for WWYZ) are not rows but the
#'   denominators of `share`: every term relative to the row's gross
#'   exports (imports, output), WWYZ's forward terms `V_*` to value added
#'   and backward terms `Y_*` to final goods output; `share` is `NA` for
#'   ratios and lengths, for TiVA's `VA` (and for a zero total).
#'   `terms` selects terms. `glance()` has `method`, `level`, `nobs` (rows
#'   of the terms table), `countries`, `sectors`, `total` (world sum of the
#'   reference total: gross exports, imports, output, or value added for
#'   WWYZ), `total.of`
#'   (its name) and `max.residual`, the largest absolute residual of the
#'   method's accounting identities (see [summary.gvc_decomposition()]).
#' * `gvc_index` ([gvc_index()]): `tidy()` is the table itself, one row
#'   per country (or country-sector): `country`, (`sector`), `E`, `IV`,
#'   `FV`, `participation`, `position`. `glance()` has `iv` (the IV
#'   reading), `level`, `nobs`, the sums `E`, `IV` and `FV`, and the
#'   `participation` and `position` of all rows together, computed from the
#'   sums as for a country group.
#' * `linreg_sensitivity` ([sensitivity()]): `tidy()` has one row per
#'   coefficient: `term`, the unperturbed fit's `estimate`, `std.error`,
#'   `statistic` and `p.value`; with `conf.int = TRUE`, `conf.low` and
#'   `conf.high`, the `(1 - conf.level) / 2` and `(1 + conf.level) / 2`
#'   quantiles of the coefficient over the draws (default `conf.level`
#'   0.9: the 5% and 95% quantiles that `print()` shows); then `flip`, the
#'   share of draws whose significance call at the object's `sig.level` differs
#'   from the original, `sign.change`, the share of draws in which the
#'   coefficient changes sign, and `verdict` (`"robust"` or `"fragile"`,
#'   see [sensitivity()]). `glance()` has `draws`, `distribution`, `sig.level`,
#'   `nobs`, `df`, `df.residual`, `rank.deficient` (draws left out), the
#'   unperturbed `r.squared`, `statistic` (F) and `p.value`, `flip` (the
#'   share of draws whose F test call differs) and `fragile` (the number of
#'   fragile terms).
#' * `complexity` ([complexity()]): `tidy()` is `as.data.frame()` of the
#'   result, one row per region and per industry: `level` (`"region"` or
#'   `"industry"`), `name`, `diversity` and `eci` (regions), `ubiquity` and
#'   `pci` (industries), `outlook` (regions). `glance()` has `method`,
#'   `regions`, `industries` (the number of each with an RCA, i.e. with an
#'   ECI or PCI), `iterations`, `converged`, `eigenvalue` (the second
#'   eigenvalue, `NA` for the other methods), `cutoff` (`NA` without RCA)
#'   and `cor.eci.diversity`.
#' * `clusters` ([clusters()]): `tidy()` is the strength table, one row per
#'   region and cluster with employment (`region`, `cluster`, `industries`,
#'   `employment`, `lq`, `share`, `rank`, the four `pass_*` columns and
#'   `strong`). `glance()` has `industries`, `clusters`, `regions` (with
#'   employment in some cluster), `strong` (the number of strong region x
#'   cluster cells), `grouping` (`"given"` or `"average linkage"`), `h` and
#'   `k` (`NA` when not used).
#'
#' A [relatedness()] matrix has no method: it is a plain (or sparse)
#' matrix, and `as.data.frame(as.table(as.matrix(r)))` gives its long form.
#'
#' @param x A [linreg()] fit, a [gvc_decompose()] result, a [gvc_index()]
#'   result, a [sensitivity()] result, a [complexity()] result or a
#'   [clusters()] result.
#' @param conf.int Add the columns `conf.low` and `conf.high`? (`TRUE` or
#'   `FALSE`.)
#' @param conf.level Confidence level of the interval, a number strictly
#'   between 0 and 1 (for a sensitivity result: the central share of the
#'   draws).
#' @param terms For a `gvc_decomposition`: `NULL` (all terms) or the names
#'   of the terms to keep.
#' @param ... Unused.
#' @return A data frame: `tidy()` one row per coefficient or term,
#'   `glance()` one row.
#' @name tidiers
#' @examplesIf requireNamespace("generics", quietly = TRUE)
#' fit <- linreg(LQ ~ infra + sup + tech, data = bengbu)
#' generics::tidy(fit, conf.int = TRUE)
#' generics::glance(fit)
#'
#' d <- gvc_decompose(icio_example, "kww")
#' head(generics::tidy(d))
#' generics::glance(d)
#'
#' generics::glance(gvc_index(icio_example))
#'
#' set.seed(1)
#' s <- sensitivity(fit, draws = 200)
#' generics::tidy(s, conf.int = TRUE)
#' generics::glance(s)
#'
#' ex <- cluster_example[cluster_example$year == 2019, ]
#' cx <- complexity(ex, value = "emp", outlook = FALSE)
#' head(generics::tidy(cx))
#' generics::glance(cx)
#' cl <- clusters(ex, value = "emp")
#' generics::glance(cl)
NULL

check_conf_level <- function(x, arg = "conf.level") {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x <= 0 || x >= 1)
    stop_arg(arg, "must be a single number strictly between 0 and 1")
  as.double(x)
}

# ---- linreg ----------------------------------------------------------------

#' @rdname tidiers
#' @exportS3Method generics::tidy
tidy.linreg <- function(x, conf.int = FALSE, conf.level = 0.95, ...) {
  check_flag(conf.int, "conf.int")
  conf.level <- check_conf_level(conf.level)
  ct <- coef_table(x, conf.level)
  out <- data.frame(term = ct$term, estimate = ct$B, std.error = ct$SE,
                    statistic = ct$t, p.value = ct$p, stringsAsFactors = FALSE)
  if (conf.int) {
    out$conf.low <- ct$lower
    out$conf.high <- ct$upper
  }
  out$std.estimate <- ct$Beta
  out$vif <- ct$VIF
  out
}

#' @rdname tidiers
#' @exportS3Method generics::glance
glance.linreg <- function(x, ...) {
  s <- summary(x)$model
  data.frame(r.squared = s$r.squared, adj.r.squared = s$adj.r.squared,
             sigma = s$sigma, statistic = s$F, p.value = s$F.p, df = s$df1,
             logLik = s$logLik, AIC = s$AIC, BIC = s$BIC,
             deviance = x$stats$rss, df.residual = s$df2, nobs = s$n,
             dw = s$dw, dw.p.value = s$dw.p, condition = s$condition)
}

# ---- gvc_decomposition -----------------------------------------------------

# The denominator of each term's share: the name of the reference total
# column, or NA for terms that are not parts of one (ratios, lengths).
decomposition_totals <- function(method, terms, df = NULL) {
  entry <- gvc_method(method)
  ref <- gvc_field(entry, "reference", df)
  out <- if (is.null(entry$shares)) shares_of_ref(terms, ref) else entry$shares(terms, ref)
  out[grepl("_share$|_ratio$", terms)] <- NA_character_   # ratios are not parts
  stats::setNames(out, terms)
}

decomposition_reference <- function(method, df = NULL) {
  gvc_field(gvc_method(method), "reference", df)
}

#' @rdname tidiers
#' @exportS3Method generics::tidy
tidy.gvc_decomposition <- function(x, terms = NULL, ...) {
  df <- x$terms
  id <- intersect(c("country", "sector", "importer"), names(df))
  avail <- setdiff(names(df)[vapply(df, is.numeric, TRUE)],
                   c(id, decomposition_reference(x$method, df)))
  if (is.null(terms)) {
    terms <- avail
  } else {
    if (!is.character(terms) || anyNA(terms))
      stop_arg("terms", "must be NULL or a character vector of term names, not ", describe(terms))
    if (!length(terms))
      stop_arg("terms", "names no term (character(0)): give at least one, or NULL for all: ",
               paste(avail, collapse = ", "))
    bad <- setdiff(terms, avail)
    if (length(bad))
      stop_arg("terms", "names terms not in the ", x$method, " decomposition: ",
               paste0('"', bad, '"', collapse = ", "),
               "; available: ", paste(avail, collapse = ", "))
  }
  den <- decomposition_totals(x$method, terms, df)
  k <- length(terms)
  n <- nrow(df)
  idx <- rep(seq_len(n), each = k)          # row-major: all terms of a row together
  out <- df[idx, id, drop = FALSE]
  out$term <- rep(terms, n)
  vals <- as.matrix(df[terms])
  out$value <- as.vector(t(vals))
  tot <- vapply(terms, function(tm) {
    if (is.na(den[[tm]])) rep(NA_real_, n) else as.double(df[[den[[tm]]]])
  }, numeric(n))
  tot <- matrix(tot, n, k)
  share <- ifelse(!is.na(tot) & tot != 0, vals / tot, NA_real_)
  out$share <- as.vector(t(share))
  rownames(out) <- NULL
  out
}

#' @rdname tidiers
#' @exportS3Method generics::glance
glance.gvc_decomposition <- function(x, ...) {
  df <- x$terms
  ref <- decomposition_reference(x$method, df)[1L]
  chk <- decomposition_checks(df, x$method)
  data.frame(method = x$method, level = x$level, nobs = nrow(df),
             countries = length(unique(df$country)),
             sectors = if (is.null(df$sector)) NA_integer_ else length(unique(df$sector)),
             total = sum(df[[ref]]), total.of = ref,
             max.residual = if (length(chk)) max(chk) else NA_real_,
             stringsAsFactors = FALSE)
}

# ---- gvc_index -------------------------------------------------------------

#' @rdname tidiers
#' @exportS3Method generics::tidy
tidy.gvc_index <- function(x, ...) {
  as.data.frame(x)
}

#' @rdname tidiers
#' @exportS3Method generics::glance
glance.gvc_index <- function(x, ...) {
  df <- as.data.frame(x)
  E <- sum(df$E)
  IV <- sum(df$IV)
  FV <- sum(df$FV)
  r_iv <- if (isTRUE(E > 0)) IV / E else NA_real_
  r_fv <- if (isTRUE(E > 0)) FV / E else NA_real_
  data.frame(iv = attr(x, "iv"), level = attr(x, "level"), nobs = nrow(df),
             E = E, IV = IV, FV = FV, participation = r_iv + r_fv,
             position = log1p(r_iv) - log1p(r_fv), stringsAsFactors = FALSE)
}

# ---- linreg_sensitivity ----------------------------------------------------

#' @rdname tidiers
#' @exportS3Method generics::tidy
tidy.linreg_sensitivity <- function(x, conf.int = FALSE, conf.level = 0.9, ...) {
  check_flag(conf.int, "conf.int")
  conf.level <- check_conf_level(conf.level)
  tab <- sens_table(x)
  o <- x$original
  out <- data.frame(term = tab$term, estimate = unname(o$B),
                    std.error = unname(o$SE), statistic = unname(o$t),
                    p.value = unname(o$p), stringsAsFactors = FALSE)
  if (conf.int) {
    q <- sens_quantiles(x$B, c((1 - conf.level) / 2, (1 + conf.level) / 2))
    out$conf.low <- unname(q[, 1L])
    out$conf.high <- unname(q[, 2L])
  }
  out$flip <- tab$flip
  out$sign.change <- tab$sign_change
  out$verdict <- tab$verdict
  out
}

#' @rdname tidiers
#' @exportS3Method generics::glance
glance.linreg_sensitivity <- function(x, ...) {
  o <- x$original
  mt <- sens_model_table(x)
  tab <- sens_table(x)
  data.frame(draws = x$draws, distribution = x$distribution, sig.level = x$sig.level,
             nobs = x$n, df = unname(x$df[["model"]]),
             df.residual = unname(x$df[["residual"]]),
             rank.deficient = x$rank_deficient, r.squared = o$r.squared,
             statistic = o$F, p.value = o$F.p,
             flip = mt$flip[mt$statistic == "F"],
             fragile = sum(tab$verdict == "fragile", na.rm = TRUE),
             stringsAsFactors = FALSE)
}

# ---- complexity ------------------------------------------------------------

#' @rdname tidiers
#' @exportS3Method generics::tidy
tidy.complexity <- function(x, ...) {
  as.data.frame(x)
}

#' @rdname tidiers
#' @exportS3Method generics::glance
glance.complexity <- function(x, ...) {
  r <- x$regions; p <- x$industries
  data.frame(method = x$method, regions = sum(!is.na(r$eci)),
             industries = sum(!is.na(p$pci)), iterations = x$iterations,
             converged = x$converged,
             eigenvalue = if (is.null(x$eigenvalue)) NA_real_ else x$eigenvalue,
             cutoff = x$cutoff,
             cor.eci.diversity = suppressWarnings(
               stats::cor(r$eci, r$diversity, use = "complete.obs")),
             stringsAsFactors = FALSE)
}

# ---- clusters --------------------------------------------------------------

#' @rdname tidiers
#' @exportS3Method generics::tidy
tidy.clusters <- function(x, ...) {
  x$strength
}

#' @rdname tidiers
#' @exportS3Method generics::glance
glance.clusters <- function(x, ...) {
  st <- x$strength
  data.frame(industries = nrow(x$groups), clusters = length(unique(x$groups$cluster)),
             regions = length(unique(st$region)), strong = sum(st$strong),
             grouping = if (is.null(x$tree)) "given" else "average linkage",
             h = if (is.null(x$h)) NA_real_ else x$h,
             k = if (is.null(x$k)) NA_integer_ else as.integer(x$k),
             stringsAsFactors = FALSE)
}
