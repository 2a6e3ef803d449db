#' Clusters of related industries and their strength in each region
#'
#' Groups industries into clusters of related industries and reports, for
#' every region and cluster, the cluster's location quotient, employment,
#' share of national employment, which strength thresholds it passes and its
#' rank among regions, in the style of the US Cluster Mapping Project
#' (Delgado, Porter and Stern, 2016).
#'
#' @section Grouping:
#' With `groups` given, it is the definition: a character vector naming each
#' industry's cluster, named by industry (or a data frame with columns
#' `industry` and `cluster`), such as a published benchmark definition; every
#' industry of `x` must have a cluster. Otherwise the industries are grouped
#' by average-linkage hierarchical clustering ([stats::hclust()]) of the
#' distance \eqn{1 - \phi} between industries, with \eqn{\phi} the
#' `relatedness` matrix (by default the proximity of [relatedness()] computed
#' from `x`; it must lie in \[0, 1\], as proximity, cosine and input-output
#' relatedness do), and the tree is cut at height `h` (default 0.5: the
#' industries of a cluster have an average relatedness of at least 0.5 to
#' those of any cluster merged into it) or into `k` groups. The industries
#' are put in the order of their labels before clustering, so ties between
#' equal distances are broken by that order and the result does not depend on
#' the order of the input. A cluster is named after its core industry, the
#' one with the largest sum of relatedness to the other members (the first
#' label among equals).
#'
#' @section Strength:
#' For region \eqn{r} and cluster \eqn{g}, `employment` is
#' \eqn{e_{rg} = \sum_{j \in g} x_{rj}}, `lq` the location quotient of the
#' regions x clusters table ([lq()]), `share` the region's share of the
#' cluster's national employment \eqn{e_{rg} / \sum_{r'} e_{r'g}} and `rank`
#' the region's rank among all regions by that LQ (1 = most specialised;
#' ties share the best rank). The thresholds, each an argument:
#' * `pass_lq`: LQ at least `min_lq` (default 1.25, a specialisation clearly
#'   above the national average);
#' * `pass_top`: rank within the top `top` share of regions (default 0.25,
#'   the top quarter of regions by specialisation, the US Cluster Mapping
#'   Project's criterion for a strong cluster);
#' * `pass_share`: at least `min_share` of the cluster's national employment
#'   (default 0.01);
#' * `pass_employment`: employment at least `min_employment` (default 0,
#'   i.e. no floor: set one in the units of `x`).
#'
#' A cluster is `strong` in a region when it passes all four. Rows are
#' sorted by region (in the order of the table) and, within a region, by
#' decreasing LQ. Region x cluster cells with no employment are left out.
#'
#' @section Input:
#' `x` is one period's regions x industries table (a matrix, a
#' `dgCMatrix` or a long data frame with `value`, `region` and `industry`
#' columns); subset a panel to one year first. Values must be non-negative
#' and finite; `NA` is an error unless `na.rm = TRUE` leaves those cells out
#' (of the totals, the RCAs and the clusters' employment).
#'
#' @inheritParams relatedness
#' @param relatedness `NULL` (proximity from `x`) or an industries x
#'   industries matrix with values in \[0, 1\], named by industry or in the
#'   order of the industries of `x`. Ignored when `groups` is given.
#' @param groups `NULL` or a cluster definition (see Grouping).
#' @param h,k The height at which the tree is cut (distance \eqn{1 - \phi}),
#'   or the number of clusters (`k`, used when given).
#' @param min_lq,top,min_share,min_employment The thresholds (see Strength).
#' @return An object of class `clusters`: a list with `groups` (data frame
#'   `industry`, `cluster`, `total`), `strength` (the table above), `tree`
#'   (the `hclust` object, or `NULL` for given groups), `h`, `k` and
#'   `thresholds`. `as.data.frame()` and `tidy()` return the strength table,
#'   `glance()` one row: industries, clusters, regions, strong region x
#'   cluster cells and how the clusters were formed.
#' @references
#' Delgado M., Porter M. E., Stern S. (2016). Defining clusters of related
#' industries. *Journal of Economic Geography* 16, 1-38.
#'
#' Porter M. E. (2003). The economic performance of regions. *Regional
#' Studies* 37, 549-578.
#' @seealso [plot_clusters()] for the bubble chart, [relatedness()].
#' @examples
#' ex <- cluster_example[cluster_example$year == 2019, ]
#' cl <- clusters(ex, value = "emp", region = "region", industry = "industry")
#' cl
#' summary(cl)
#' head(as.data.frame(cl))
#' @export
clusters <- function(x, relatedness = NULL, value = "value", region = "region",
                     industry = "industry", groups = NULL, h = 0.5, k = NULL,
                     min_lq = 1.25, top = 0.25, min_share = 0.01,
                     min_employment = 0, cutoff = 1, na.rm = FALSE, ...,
                     rule = c("thresholds", "uscmp"), establishments = NULL,
                     by = NULL, reference = NULL) {
  check_dots(...)
  check_flag(na.rm, "na.rm")
  if (cl_rule(rule, establishments, by, reference) == "uscmp")
    return(clusters_uscmp(x, value, region, industry, groups, establishments, by, reference,
                          na.rm))
  chk <- function(v, arg, lo = 0, hi = Inf) {
    if (!is.numeric(v) || length(v) != 1L || is.na(v) || v < lo || v > hi)
      stop_arg(arg, "must be a single number in [", lo, ", ", hi, "]")
    as.double(v)
  }
  min_lq <- chk(min_lq, "min_lq"); top <- chk(top, "top", 0, 1)
  min_share <- chk(min_share, "min_share", 0, 1)
  min_employment <- chk(min_employment, "min_employment")
  tab <- cl_table(x, value, region, industry, na.rm = na.rm)
  # the regions x clusters tables (dense) and the industries' distances
  cl_check_size(tab, function(nr, ni) 80 * (nr + ni) + 8 * nr * ni + 16 * ni^2)
  inds <- cl_labels(tab, 2L)
  tot <- if (is.matrix(tab)) colSums(tab) else Matrix::colSums(tab)
  tree <- NULL
  if (!is.null(groups)) {
    memb <- cl_groups(groups, inds)
  } else {
    if (is.null(relatedness)) {
      relatedness <- relatedness(tab, "proximity", cutoff = cutoff)
    }
    phi <- cl_check_relatedness(relatedness, inds, named = !is.null(dimnames(tab)[[2L]]))
    if (any(phi > 1))
      stop_arg("relatedness", "must lie in [0, 1] for clustering (largest value ",
               format(max(phi)), "); use proximity, cosine or io relatedness, ",
               "or rescale, e.g. r / (1 + r) for association strength")
    if (length(inds) < 2L) stop_arg("x", "must have at least two industries")
    o <- order(inds, method = "radix")
    D <- 1 - (phi[o, o] + t(phi[o, o])) / 2
    tree <- stats::hclust(stats::as.dist(D), method = "average")
    if (!is.null(k)) {
      k <- check_count(k, "k")
      if (k > length(inds)) stop_arg("k", "must be at most the number of industries (", length(inds), ")")
      cut <- stats::cutree(tree, k = k)
    } else {
      h <- chk(h, "h", 0, 1)
      cut <- stats::cutree(tree, h = h)
    }
    memb <- integer(length(inds))
    memb[o] <- cut
    # name each cluster after its core industry: the one most related to the
    # other members (first label among equals)
    Ps <- (phi + t(phi)) / 2
    same <- outer(memb, memb, "==")
    core <- rowSums(Ps * same)
    ord <- order(memb, -core, inds, method = "radix")
    lead <- ord[!duplicated(memb[ord])]
    memb <- inds[lead][match(memb, memb[lead])]
  }
  gdf <- data.frame(industry = inds, cluster = memb, total = unname(tot),
                    stringsAsFactors = FALSE)
  cls <- sort(unique(memb), method = "radix")
  G <- Matrix::sparseMatrix(i = seq_along(inds), j = match(memb, cls), x = 1,
                            dims = c(length(inds), length(cls)))
  E <- as.matrix(tab %*% G)
  dimnames(E) <- list(cl_labels(tab, 1L), cls)
  L <- lq(E)
  S <- sweep(E, 2, colSums(E), "/")
  S[!is.finite(S)] <- NA
  nr <- nrow(E)
  R <- apply(-L, 2, function(v) rank(v, ties.method = "min", na.last = "keep"))
  R <- matrix(R, nrow = nr, dimnames = dimnames(E))
  keep <- which(E > 0, arr.ind = TRUE)
  keep <- keep[order(keep[, 1], -L[keep], keep[, 2]), , drop = FALSE]
  st <- data.frame(region = rownames(E)[keep[, 1]], cluster = cls[keep[, 2]],
                   industries = tabulate(match(memb, cls), length(cls))[keep[, 2]],
                   employment = E[keep], lq = L[keep], share = S[keep],
                   rank = as.integer(R[keep]), stringsAsFactors = FALSE)
  st$pass_lq <- !is.na(st$lq) & st$lq >= min_lq
  st$pass_top <- !is.na(st$rank) & st$rank <= top * nr
  st$pass_share <- !is.na(st$share) & st$share >= min_share
  st$pass_employment <- st$employment >= min_employment
  st$strong <- st$pass_lq & st$pass_top & st$pass_share & st$pass_employment
  rownames(st) <- NULL
  structure(list(groups = gdf, strength = st, tree = tree,
                 h = if (is.null(tree) || !is.null(k)) NULL else h, k = k,
                 thresholds = c(min_lq = min_lq, top = top, min_share = min_share,
                                min_employment = min_employment)),
            class = "clusters")
}

# A user's cluster definition -> the cluster of each industry in `inds`.
cl_groups <- function(groups, inds) {
  if (is.data.frame(groups)) {
    check_column(groups, c("industry", "cluster"), "groups", "groups")
    groups <- stats::setNames(as.character(groups$cluster), as.character(groups$industry))
  }
  if (is.factor(groups)) groups <- stats::setNames(as.character(groups), names(groups))
  if (!is.character(groups) || is.null(names(groups)) || anyNA(groups))
    stop_arg("groups", "must be a character vector of clusters named by industry, ",
             "or a data frame with columns industry and cluster")
  if (anyDuplicated(names(groups)))
    stop_arg("groups", "names an industry more than once")
  m <- match(inds, names(groups))
  if (anyNA(m))
    stop_arg("groups", "has no cluster for industry ",
             paste0('"', utils::head(inds[is.na(m)], 3), '"', collapse = ", "))
  unname(groups[m])
}

#' @export
print.clusters <- function(x, n = 10L, ...) {
  g <- x$groups
  ncl <- length(unique(g$cluster))
  how <- if (is.null(x$tree)) "given definition" else if (!is.null(x$k))
    sprintf("average linkage, %d groups", x$k) else
      sprintf("average linkage cut at h = %g", x$h)
  cat(sprintf("<clusters> %d industries in %d clusters (%s)\n", nrow(g), ncl, how))
  mem <- split(g$industry, g$cluster)
  mem <- mem[order(-vapply(mem, length, 1L), names(mem))]
  for (nm in utils::head(names(mem), n))
    cat(sprintf("  %s: %s\n", nm, paste(mem[[nm]], collapse = ", ")))
  if (length(mem) > n) cat(sprintf("  ... and %d more\n", length(mem) - n))
  th <- x$thresholds
  cat(sprintf("strong = LQ >= %g, top %g of regions by LQ, share >= %g, employment >= %g\n",
              th[["min_lq"]], th[["top"]], th[["min_share"]], th[["min_employment"]]))
  s <- x$strength[x$strength$strong, c("region", "cluster", "employment", "lq", "share", "rank")]
  cat(sprintf("%d strong regional clusters%s\n", nrow(s), if (nrow(s)) ":" else ""))
  if (nrow(s)) print(utils::head(s, n), row.names = FALSE, digits = 3)
  if (nrow(s) > n) cat(sprintf("... and %d more\n", nrow(s) - n))
  invisible(x)
}

#' @export
summary.clusters <- function(object, ...) {
  st <- object$strength
  g <- object$groups
  cls <- sort(unique(g$cluster), method = "radix")
  out <- data.frame(
    cluster = cls,
    industries = as.integer(tabulate(match(g$cluster, cls), length(cls))),
    employment = vapply(cls, function(c) sum(st$employment[st$cluster == c]), 0),
    regions = vapply(cls, function(c) sum(st$cluster == c), 0L),
    strong = vapply(cls, function(c) sum(st$strong[st$cluster == c]), 0L),
    top_region = vapply(cls, function(c) {
      s <- st[st$cluster == c, , drop = FALSE]
      if (!nrow(s)) NA_character_ else s$region[order(s$rank, s$region)[1L]]
    }, ""),
    top_lq = vapply(cls, function(c) {
      v <- st$lq[st$cluster == c]; if (all(is.na(v))) NA_real_ else max(v, na.rm = TRUE)
    }, 0),
    stringsAsFactors = FALSE)
  out <- out[order(-out$employment, out$cluster), ]
  rownames(out) <- NULL
  class(out) <- c("summary.clusters", "data.frame")
  out
}

#' @export
print.summary.clusters <- function(x, ...) {
  cat("Clusters by national employment (strong: regions where the cluster is strong)\n")
  print(structure(x, class = "data.frame"), row.names = FALSE, digits = 3)
  invisible(x)
}

#' @export
as.data.frame.clusters <- function(x, row.names = NULL, optional = FALSE, ...) {
  x$strength
}
