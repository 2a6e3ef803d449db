# clusters(rule = "uscmp"): the US Cluster Mapping Project's cluster LQs and
# strength flags. The rules follow the project's processing code
# (data/processing/cluster_calcs_mapper.js and cluster_calcs_reducer.js of
# github.com/clustermapping/cmp); the sums, LQs, flags and ranks are computed
# in src/clusters.c.

#' @section The US Cluster Mapping Project's rule:
#' With `rule = "uscmp"`, `x` is a long data frame (one row per region,
#' industry and period, e.g. a QCEW file; `value`, `region` and `industry`
#' default to the columns of those names) and `groups` (required) a data
#' frame with columns `industry`, `cluster` and/or `cluster_code` (clusters
#' are keyed by `cluster_code` when there is one) and `type`, `"traded"` or
#' `"local"`, such as [us_clusters]. Industries of `x` outside `groups` are
#' left out, with a message saying how many. For each region \eqn{r},
#' cluster \eqn{c} and period, `employment` \eqn{e_{rc}} and
#' `establishments` are summed over the cluster's industries, and
#' \deqn{LQ_{rc} = \frac{e_{rc} / e_{rT}}{E_c / E_T}}{LQ = (e_rc / e_rT) / (E_c / E_T)}
#' with \eqn{e_{rT}} the region's employment in all clusters of the
#' cluster's type \eqn{T} (traded against traded, local against local),
#' \eqn{E_c} the nation's employment in the cluster (the sum over the
#' regions of `x`, or from `reference`) and \eqn{E_T} the nation's in the
#' type. As in the project's code (`cluster_calcs_mapper.js`), an LQ that is
#' not finite (a region with no employment of the type) is 0.
#'
#' The flags follow the project's `cluster_calcs_reducer.js`, inequality by
#' inequality. For traded clusters only, within each cluster and period, the
#' quantiles are taken among the regions with employment > 0 in it, as
#' `quantile(type = 7)` (which is d3's `quantile`): \eqn{q_p} of the LQs,
#' \eqn{q_{25}} of employment and of establishments. With "size" meaning
#' employment \eqn{> q_{25}} and establishments \eqn{> q_{25}} (both
#' strictly above):
#' * `strong`: LQ \eqn{\ge q_{75}}, LQ \eqn{\ge 1} and size;
#' * `strong10`: LQ \eqn{\ge q_{90}}, LQ \eqn{\ge 1} and size;
#' * `significant`: LQ \eqn{> q_{50}} (strictly) and size;
#' * `qualifying`: LQ \eqn{> q_{25}} (strictly) and size.
#'
#' Local clusters are never flagged (`FALSE`), nor is a region without
#' employment in the cluster; a cluster present in one region only is not
#' flagged there (its employment is not above its own quartile). Pass the
#' regions of one level (counties, or states) at a time: the project takes
#' the quantiles within a region type. `rank` is the region's rank by LQ
#' among the regions with rows in the cluster and period (1 = highest; ties
#' share the best rank).
#'
#' `NA` in the employment or establishment column is an error, unless
#' `na.rm = TRUE` skips those values in the sums (a QCEW row whose
#' employment is suppressed, `NA` from [read_qcew()], then adds its
#' establishments but no employment, which understates the employment of
#' clusters with suppressed cells; the project itself fills such cells with
#' estimates).
#'
#' The strength table has one row per region, cluster and period with at
#' least one row of `x`, sorted by period, cluster and region: `region`,
#' `cluster` (the name), `cluster_code` (when `groups` has it), the `by`
#' columns under their own names, `type`, `employment`, `establishments`,
#' `lq`, `strong`, `strong10`, `significant`, `qualifying` and `rank`.
#'
#' With `rule = "uscmp"`, `clusters()` returns an object of class
#' `c("clusters_uscmp", "clusters")`: a list with `strength` (the strength
#' table), `groups` (the definition: `industry`, `cluster`, `type`,
#' `cluster_code`), `national` (the nation's employment by cluster and
#' period: the sums over the regions, or from `reference`), `rule`, `by`,
#' `reference` (whether one was given) and
#' `left_out` (the number of industries and rows of `x` outside `groups`);
#' see [clusters_uscmp-methods].
#' @param rule `"thresholds"` (default: the thresholds of Strength) or
#'   `"uscmp"` (the US Cluster Mapping Project's rule, see that section).
#'   The arguments after it are read by the uscmp rule only.
#' @param establishments The name of the column of `x` with the
#'   establishment counts (required).
#' @param by `NULL` or the name(s) of the period column(s) of `x`; each
#'   period is computed on its own.
#' @param reference `NULL` (the nation is the sum of the regions of `x`) or
#'   the nation's employment by industry, as [lq()] takes it for a data
#'   frame: a data frame keyed by `industry` (and the `by` columns, if it has
#'   them) with the values in a column named like `value`, or a numeric
#'   vector named by industry. Every industry of `x` in `groups` must be in
#'   it; its industries outside `groups` are left out.
#' @examples
#'
#' # the US Cluster Mapping Project's rule on a made-up file in QCEW's layout
#' f <- system.file("extdata", "qcew-sample-made-up.csv", package = "gvcluster")
#' qc <- read_qcew(f, area_type = "county", own_code = 5, agglvl_code = 78, quiet = TRUE)
#' us <- clusters(qc, value = "annual_avg_emplvl", region = "area_fips",
#'                industry = "industry_code", groups = us_clusters,
#'                rule = "uscmp", establishments = "annual_avg_estabs", by = "year",
#'                na.rm = TRUE)
#' st <- as.data.frame(us)
#' head(st[st$strong, ])
#' @rdname clusters
#' @name clusters
NULL

# The rule of clusters(): "thresholds" (the default) or "uscmp"; the
# arguments only the uscmp rule reads must be NULL under "thresholds".
cl_rule <- function(rule, establishments, by, reference) {
  if (identical(rule, c("thresholds", "uscmp"))) rule <- "thresholds"
  if (!is.character(rule) || length(rule) != 1L || is.na(rule) ||
      !rule %in% c("thresholds", "uscmp"))
    stop_arg("rule", "must be \"thresholds\" or \"uscmp\"")
  if (rule == "thresholds") {
    for (a in c("establishments", "by", "reference"))
      if (!is.null(get(a)))
        stop_arg(a, "is used only with `rule = \"uscmp\"`")
  }
  rule
}

# A uscmp cluster definition: a data frame with industry, type and cluster
# and/or cluster_code. Clusters are keyed by cluster_code when there is one
# (else by cluster); `name` is each cluster's display name, made unique by
# appending the code when two codes share a name.
cl_uscmp_groups <- function(groups) {
  if (is.null(groups))
    stop_arg("groups", "is required for `rule = \"uscmp\"`: a data frame with columns ",
             "industry, cluster (or cluster_code) and type, such as `us_clusters`")
  if (!is.data.frame(groups))
    stop_arg("groups", "must be a data frame with columns industry, cluster (or ",
             "cluster_code) and type for `rule = \"uscmp\"`, not ", describe(groups))
  has <- c("cluster", "cluster_code") %in% names(groups)
  if (!any(has))
    stop_arg("groups", "must have a column cluster or cluster_code")
  miss <- setdiff(c("industry", "type"), names(groups))
  if (length(miss))
    stop_arg("groups", "must have columns industry and type; missing ",
             paste0('"', miss, '"', collapse = ", "))
  ind <- groups$industry
  ind <- if (is.factor(ind)) as.character(ind) else as.character(ind)
  if (anyNA(ind)) stop_arg("groups", "has NA in its industry column")
  key <- groups[[if (has[2L]) "cluster_code" else "cluster"]]
  if (is.factor(key)) key <- as.character(key)
  if (anyNA(key))
    stop_arg("groups", "has NA in its ", if (has[2L]) "cluster_code" else "cluster", " column")
  type <- as.character(groups$type)
  bad <- is.na(type) | !type %in% c("traded", "local")
  if (any(bad))
    stop_arg("groups", "has type \"", type[bad][1L], "\" (industry \"", ind[bad][1L],
             "\"); each type must be \"traded\" or \"local\"")
  d <- anyDuplicated(ind)
  if (d) {
    other <- key[match(ind[d], ind)]
    stop_arg("groups", if (!identical(other, key[d]))
      sprintf("puts industry \"%s\" in more than one cluster (%s and %s)", ind[d], other, key[d])
      else sprintf("lists industry \"%s\" more than once", ind[d]))
  }
  ucl <- sort(unique(key), method = "radix")
  code <- match(key, ucl)
  traded <- tapply(type == "traded", code, function(v) if (all(v)) 1L else if (!any(v)) 0L else NA)
  if (anyNA(traded))
    stop_arg("groups", "gives cluster \"", ucl[is.na(traded)][1L],
             "\" both types, \"traded\" and \"local\"")
  name <- as.character(ucl)
  if (all(has)) {
    nm <- as.character(groups$cluster)
    if (anyNA(nm)) stop_arg("groups", "has NA in its cluster column")
    per <- tapply(nm, code, function(v) length(unique(v)))
    if (any(per > 1L))
      stop_arg("groups", "names cluster_code ", ucl[per > 1L][1L], " differently in its cluster column")
    name <- nm[match(seq_along(ucl), code)]
    dup <- name %in% name[duplicated(name)]
    name[dup] <- sprintf("%s (%s)", name[dup], ucl[dup])
  }
  list(industry = ind, code = code, key = ucl, name = name,
       traded = as.integer(traded), has_code = has[2L])
}

# The dims vector of the C shells.
cl_uscmp_dims <- function(nr, ng, np) {
  if (as.double(nr) * ng * np > 2^31 - 1)
    stop_arg("x", "has too many region x cluster x period cells (", nr, " x ", ng, " x ", np,
             "); split the periods into separate calls")
  c(n_region = as.integer(nr), n_cluster = as.integer(ng), n_period = as.integer(np))
}

# The national employment by cluster and period (cell g + ng * p) from a
# reference as lq() takes it: a data frame keyed by industry (and the `by`
# columns) with the values in a column named like `value`, or a numeric
# vector named by industry.
cl_uscmp_reference <- function(reference, g, cols, by, periods, used_ind) {
  ref <- lq_reference_frame(reference, cols$industry, cols$value, by)
  rind <- as.character(ref$frame[[cols$industry]])
  miss <- setdiff(used_ind, rind)
  if (length(miss))
    stop_arg("reference", "has no value for industry \"", miss[1L], "\" of `x`",
             if (length(miss) > 1L) sprintf(" (and %d more)", length(miss) - 1L))
  np <- if (is.null(periods)) 1L else nrow(periods)
  per <- NULL
  if (length(ref$by)) {
    kx <- do.call(paste, c(unname(lapply(periods[by], as.character)), sep = "\r"))
    kr <- do.call(paste, c(unname(lapply(ref$frame[by], as.character)), sep = "\r"))
    per <- match(kr, kx)
    gone <- setdiff(seq_len(np), per)
    if (length(gone))
      stop_arg("reference", "has no rows for the period ",
               paste(unlist(periods[gone[1L], by]), collapse = ", "), " of `x`")
  }
  gc <- g$code[match(rind, g$industry)]
  if (!is.null(per)) {
    gc[is.na(per)] <- NA_integer_                 # periods not in x: skipped
    per[is.na(per)] <- 1L
  }
  s <- .Call(ffi_cl_uscmp_sums, rep.int(1L, length(rind)), as.integer(gc),
             if (is.null(per)) NULL else as.integer(per), ref$values, NULL,
             cl_uscmp_dims(1L, length(g$key), if (is.null(per)) 1L else np))
  if (is.null(per) && np > 1L) rep(s$employment, np) else s$employment
}

# clusters(rule = "uscmp").
clusters_uscmp <- function(x, value, region, industry, groups, establishments,
                           by, reference, na.rm = FALSE) {
  if (!is.data.frame(x))
    stop_arg("x", "must be a long data frame for `rule = \"uscmp\"`, not ", describe(x))
  if (is.null(value)) value <- "value"
  if (is.null(region)) region <- "region"
  if (is.null(industry)) industry <- "industry"
  if (is.null(establishments))
    stop_arg("establishments", "is required for `rule = \"uscmp\"`: name the column of `x` ",
             "with the establishment counts")
  for (a in c("value", "region", "industry", "establishments")) {
    check_string(get(a), a)
    check_column(x, get(a), a)
  }
  g <- cl_uscmp_groups(groups)
  taken <- c("region", "cluster", "cluster_code", "type", "employment", "establishments",
             "lq", "strong", "strong10", "significant", "qualifying", "rank")
  if (!is.null(by)) {
    check_column(x, by, "by")
    if (any(by %in% taken))
      stop_arg("by", "names a column called \"", by[by %in% taken][1L], "\", a name the ",
               "strength table uses for its own column; rename it in `x`")
  }
  n <- nrow(x)
  emp <- numeric_column(x, value, "value")
  est <- numeric_column(x, establishments, "establishments")
  if (na.rm) {
    emp[is.na(emp)] <- 0                          # skipped in the sums
    est[is.na(est)] <- 0
  }
  for (a in c("value", "establishments")) {
    v <- if (a == "value") emp else est
    if (anyNA(v))
      stop_arg(a, "column must not contain NA (", sum(is.na(v)), " found); ",
               "drop or fill those rows, or pass `na.rm = TRUE` to skip them in the sums")
    check_nonfinite(v, a, unit = "row")
    check_nonnegative(v, a)
  }
  ind <- x[[industry]]
  if (anyNA(ind)) stop_arg("industry", "column must not contain NA")
  if (is.factor(ind)) {
    gcode <- g$code[match(levels(ind), g$industry)][as.integer(ind)]
  } else {
    gcode <- g$code[match(as.character(ind), g$industry)]
  }
  out <- is.na(gcode)
  if (any(out)) {
    ui <- unique(as.character(ind[out]))
    message(sprintf("%d %s of `x` (%d row%s) not in `groups`: left out",
                    length(ui), if (length(ui) == 1L) "industry" else "industries",
                    sum(out), if (sum(out) == 1L) "" else "s"))
  }
  if (all(out))
    stop_arg("x", "has no rows of industries in `groups`",
             if (n) "; are its industry codes those of the definition (e.g. 6-digit NAICS 2007 text)?")
  rc <- panel_codes(x[[region]], "region")
  pc <- panel_groups(x, by, n)
  dims <- cl_uscmp_dims(length(rc$labels), length(g$key), pc$ng)
  s <- .Call(ffi_cl_uscmp_sums, as.integer(rc$code), gcode,
             if (is.null(by)) NULL else as.integer(pc$code), emp, est, dims)
  for (a in c("value", "establishments"))
    if (!is.finite(sum(s[[if (a == "value") "employment" else "establishments"]])))
      stop_arg(a, "sums overflow (beyond the largest double); rescale the values")
  nat <- if (is.null(reference)) {
    colSums(matrix(s$employment, dims[[1L]]))
  } else {
    cl_uscmp_reference(reference, g, list(value = value, industry = industry), by,
                       pc$labels, unique(as.character(ind[!out])))
  }
  if (!all(is.finite(nat)))
    stop_arg("reference", "sums overflow (beyond the largest double); rescale the values")
  f <- .Call(ffi_cl_uscmp_strength, s$employment, s$establishments, s$rows,
             as.double(nat), g$traded, dims)
  keep <- which(s$rows > 0L)
  nr <- dims[[1L]]; ng <- dims[[2L]]
  ri <- (keep - 1L) %% nr + 1L
  gi <- ((keep - 1L) %/% nr) %% ng + 1L
  pp <- (keep - 1L) %/% (nr * ng) + 1L
  st <- list(region = rc$labels[ri], cluster = g$name[gi])
  if (g$has_code) st$cluster_code <- g$key[gi]
  for (b in by) st[[b]] <- pc$labels[[b]][pp]
  st <- c(st, list(type = c("local", "traded")[g$traded[gi] + 1L],
                   employment = s$employment[keep],
                   establishments = s$establishments[keep], lq = f$lq[keep],
                   strong = f$strong[keep], strong10 = f$strong10[keep],
                   significant = f$significant[keep], qualifying = f$qualifying[keep],
                   rank = f$rank[keep]))
  st <- structure(st, class = "data.frame", row.names = .set_row_names(length(keep)))
  gdf <- data.frame(industry = g$industry, cluster = g$name[g$code],
                    type = c("local", "traded")[g$traded[g$code] + 1L],
                    stringsAsFactors = FALSE)
  if (g$has_code) gdf$cluster_code <- g$key[g$code]
  na <- list(cluster = rep(g$name, pc$ng))
  for (b in by) na[[b]] <- rep(pc$labels[[b]], each = ng)
  na$type <- rep(c("local", "traded")[g$traded + 1L], pc$ng)
  na$employment <- as.double(nat)
  na <- structure(na, class = "data.frame", row.names = .set_row_names(length(nat)))
  structure(list(strength = st, groups = gdf, national = na, rule = "uscmp", by = by,
                 reference = !is.null(reference),
                 left_out = c(industries = if (any(out)) length(unique(ind[out])) else 0L,
                              rows = sum(out))),
            class = c("clusters_uscmp", "clusters"))
}

#' Methods for the result of `clusters(rule = "uscmp")`
#'
#' `as.data.frame()` and `tidy()` give the strength table (see
#' [clusters()]); `summary()` one row per cluster and period: the regions
#' with employment in it, how many pass each flag, the national employment
#' and the region with the highest LQ; `print()` the counts and the
#' strongest region-clusters.
#'
#' @param x,object A `clusters_uscmp` object, from `clusters(rule = "uscmp")`.
#' @param n The number of strong region-clusters to print.
#' @param row.names,optional Ignored (for the generic).
#' @param ... Unused.
#' @return `as.data.frame()`, `tidy()`: the strength table, a data frame.
#'   `summary()`: a data frame of class `summary.clusters_uscmp` with
#'   columns `cluster`, the `by` columns, `type`, `regions`, `employment`,
#'   `strong`, `strong10`, `significant`, `qualifying`, `top_region` and
#'   `top_lq`. `print()`: `x`, invisibly.
#' @examples
#' f <- system.file("extdata", "qcew-sample-made-up.csv", package = "gvcluster")
#' qc <- read_qcew(f, area_type = "county", own_code = 5, agglvl_code = 78, quiet = TRUE)
#' cl <- clusters(qc, value = "annual_avg_emplvl", region = "area_fips",
#'                industry = "industry_code", groups = us_clusters,
#'                rule = "uscmp", establishments = "annual_avg_estabs", by = "year",
#'                na.rm = TRUE)
#' cl
#' head(summary(cl))
#' head(as.data.frame(cl))
#' @name clusters_uscmp-methods
NULL

#' @rdname clusters_uscmp-methods
#' @export
as.data.frame.clusters_uscmp <- function(x, row.names = NULL, optional = FALSE, ...) {
  x$strength
}

#' @rdname clusters_uscmp-methods
#' @exportS3Method generics::tidy
tidy.clusters_uscmp <- function(x, ...) {
  x$strength
}

#' @rdname clusters_uscmp-methods
#' @export
print.clusters_uscmp <- function(x, n = 10L, ...) {
  st <- x$strength
  g <- x$groups
  ncl <- length(unique(g$cluster))
  ntr <- length(unique(g$cluster[g$type == "traded"]))
  np <- if (is.null(x$by)) 1L else nrow(unique(st[x$by]))
  cat(sprintf("<clusters: US Cluster Mapping Project rule> %d regions, %d clusters (%d traded, %d local)%s\n",
              length(unique(st$region)), ncl, ntr, ncl - ntr,
              if (np > 1L) sprintf(", %d periods", np) else ""))
  cat(sprintf("LQ against the region's %s; flags among regions with employment in the cluster\n",
              if (isTRUE(x$reference)) "employment of the same type, relative to the reference"
              else "employment of the same type, relative to the sum of the regions"))
  if (x$left_out[["industries"]] > 0)
    cat(sprintf("(%d %s of x not in the definition left out)\n", x$left_out[["industries"]],
                if (x$left_out[["industries"]] == 1) "industry" else "industries"))
  cat(sprintf("strong: %d, strong10: %d, significant: %d, qualifying: %d region-clusters\n",
              sum(st$strong), sum(st$strong10), sum(st$significant), sum(st$qualifying)))
  s <- st[st$strong, c("region", "cluster", x$by, "employment", "establishments", "lq", "rank")]
  s <- s[order(-s$lq, method = "radix"), , drop = FALSE]
  if (nrow(s)) {
    cat("Strongest (by LQ):\n")
    print(utils::head(s, n), row.names = FALSE, digits = 3)
  }
  if (nrow(s) > n) cat(sprintf("... and %d more\n", nrow(s) - n))
  invisible(x)
}

#' @rdname clusters_uscmp-methods
#' @export
summary.clusters_uscmp <- function(object, ...) {
  st <- object$strength
  by <- object$by
  key <- if (is.null(by)) st$cluster else
    do.call(paste, c(list(st$cluster), unname(lapply(st[by], as.character)), sep = "\r"))
  first <- !duplicated(key)
  f <- factor(key, levels = unique(key))
  cnt <- function(v) as.vector(tapply(v, f, sum))
  top <- vapply(split(seq_len(nrow(st)), f), function(i) {
    i <- i[st$employment[i] > 0]
    if (!length(i)) NA_integer_ else i[order(-st$lq[i], st$rank[i])[1L]]
  }, 1L)
  out <- data.frame(cluster = st$cluster[first], stringsAsFactors = FALSE)
  for (b in by) out[[b]] <- st[[b]][first]
  out$type <- st$type[first]
  out$regions <- as.vector(tapply(st$employment > 0, f, sum))
  out$employment <- cnt(st$employment)
  for (fl in c("strong", "strong10", "significant", "qualifying")) out[[fl]] <- cnt(st[[fl]])
  out$top_region <- st$region[top]
  out$top_lq <- st$lq[top]
  o <- do.call(order, c(unname(as.list(out[by])), list(-(out$type == "traded"),
                                                        -out$employment, out$cluster)))
  out <- out[o, , drop = FALSE]
  rownames(out) <- NULL
  class(out) <- c("summary.clusters_uscmp", "data.frame")
  out
}

#' @export
print.summary.clusters_uscmp <- function(x, ...) {
  cat("Clusters by employment (regions: with employment; strong ...: regions flagged)\n")
  print(structure(x, class = "data.frame"), row.names = FALSE, digits = 3)
  invisible(x)
}

#' @section A uscmp result:
#' `x` may also be the result of `clusters(rule = "uscmp")` with one `by`
#' column of at least two periods: the bubbles are the traded clusters of the
#' `focus` region, at their cluster LQ (against the region's traded
#' employment, as the rule computes it) in the last period, with areas their
#' employment in the last period; `growth` compares the first and the last
#' period, against the nation's employment in the cluster (the result's
#' `national`): `"lq_change"` the change of the cluster LQ,
#' `"relative_growth"` and `"competitive"` as for a panel.
#' @examples
#'
#' # the traded clusters of a county, from the US Cluster Mapping Project's rule
#' f <- system.file("extdata", "qcew-sample-made-up.csv", package = "gvcluster")
#' qc <- read_qcew(f, area_type = "county", own_code = 5, agglvl_code = 78, quiet = TRUE)
#' us <- suppressMessages(clusters(qc, value = "annual_avg_emplvl", region = "area_fips",
#'                                 industry = "industry_code", groups = us_clusters,
#'                                 rule = "uscmp", establishments = "annual_avg_estabs",
#'                                 by = "year", na.rm = TRUE))
#' plot_clusters(us, focus = "37119", growth = "relative_growth")
#' @rdname plot_clusters
#' @name plot_clusters
NULL

# The bubbles of plot_clusters() for a uscmp result: the traded clusters of
# region `focus`, at their LQ in the last period (x), their growth between
# the first and last period (y, as plot_clusters() defines it, against the
# nation's employment in the cluster) and their employment in the last
# period (area).
pc_uscmp <- function(x, focus, growth) {
  st <- x$strength
  by <- x$by
  if (length(by) != 1L)
    stop_arg("x", "must have one period column (`by`) with at least two periods ",
             "for the bubble chart")
  per <- sort(unique(st[[by]]))
  if (length(per) < 2L)
    stop_arg("x", "must have at least two periods for the bubble chart")
  if (is.null(focus) || length(focus) != 1L || is.na(focus) ||
      !as.character(focus) %in% as.character(st$region))
    stop_arg("focus", "must name one region of the result")
  t0 <- per[1L]; t1 <- per[length(per)]
  s <- st[as.character(st$region) == as.character(focus) & st$type == "traded", ]
  cls <- sort(unique(s$cluster))
  pick <- function(d, t, col) {
    d <- d[d[[by]] == t, ]
    v <- d[[col]][match(cls, d$cluster)]
    v[is.na(v)] <- 0
    v
  }
  e0 <- pick(s, t0, "employment"); e1 <- pick(s, t1, "employment")
  L0 <- pick(s, t0, "lq"); L1 <- pick(s, t1, "lq")
  na <- x$national
  E0 <- pick(na, t0, "employment"); E1 <- pick(na, t1, "employment")
  g <- switch(growth,
    lq_change = L1 - L0,
    relative_growth = ifelse(e0 > 0 & E0 > 0, 100 * ((e1 / e0 - 1) - (E1 / E0 - 1)), NA_real_),
    competitive = ifelse(E0 > 0, e1 - e0 * E1 / E0, NA_real_))
  span <- sprintf("%s-%s", format(t0), format(t1))
  list(bubbles = data.frame(label = cls, lq = L1, growth = g, size = e1,
                            stringsAsFactors = FALSE),
       xlab = sprintf("Location quotient (traded clusters), %s", format(t1)),
       ylab = switch(growth, lq_change = sprintf("Change of LQ, %s", span),
                     relative_growth = sprintf("Growth minus national growth (pp), %s", span),
                     competitive = sprintf("Competitive effect, %s", span)),
       main = sprintf("%s: traded clusters", focus))
}
