# GEM cluster scores (Padmore and Gibson, 1998) from determinant scores or
# from raw indicators combined with entropy weights.

gem_determinants <- c("resources", "infrastructure", "suppliers", "firms",
                      "local_market", "external_market")
gem_pairs <- c("groundings", "enterprises", "markets")

#' GEM scores of industrial clusters (Padmore and Gibson)
#'
#' The GEM model rates a cluster on six determinants in three pairs:
#' **G**roundings (resources, infrastructure), **E**nterprises (suppliers and
#' related industries; firm structure, strategy and rivalry) and **M**arkets
#' (local markets, external markets). Each determinant is scored from 1 to 10
#' (10 = world best, 5 = national average, 1 = very poor); the pairs are
#' combined multiplicatively, so a weak pair holds the whole cluster back.
#'
#' @section The GEM formula:
#' With the default `pair = "sum"`,
#' \deqn{PAIR_k = D_{k1} + D_{k2}, \quad k = G, E, M,}{PAIR_k = D_k1 + D_k2, k = G, E, M,}
#' \deqn{GEM = 2.5 \, (PAIR_G \cdot PAIR_E \cdot PAIR_M)^{2/3},}{GEM = 2.5 (PAIR_G PAIR_E PAIR_M)^(2/3),}
#' so that a cluster at the national average on every determinant (all 5)
#' scores 250, the maximum (all 10) is 1000 and the minimum (all 1) is 10.
#' This is the form of Padmore and Gibson (1998), who introduced the model.
#' With `pair = "mean"` a pair is the mean of its two determinants,
#' \eqn{PAIR_k = (D_{k1} + D_{k2}) / 2}{PAIR_k = (D_k1 + D_k2) / 2}, and the same formula gives GEM
#' between 2.5 and 250 (62.5 at the national average): the scale with a
#' maximum of 250 quoted by some later applications of the model. Both forms rank
#' clusters identically (one is the other times \eqn{8^{2/3} = 4}{8^(2/3) = 4}).
#'
#' The weakest pair (`weakest`) is the binding constraint of the
#' multiplicative form: raising it raises GEM the most. Ties go to the first
#' pair in the order groundings, enterprises, markets; it is `NA` when a pair
#' is missing.
#'
#' @section Three ways to call it:
#' * Six numeric vectors of scores, one element per cluster:
#'   `gem_score(resources, infrastructure, suppliers, firms, local_market,
#'   external_market)`.
#' * A data frame of scores with columns of those six names (other columns
#'   are ignored), one row per cluster or cluster-year: `gem_score(data)`.
#'   A data frame given as the first argument is taken as `data`.
#' * A data frame of raw indicators with a `mapping` of indicators to
#'   determinants: `gem_score(data, mapping = list(...))`, described next.
#'
#' Scores must lie in 1-10 and must not be `NA`; vectors must have equal
#' lengths.
#'
#' @section From indicators to determinant scores (`mapping`):
#' `mapping` is a named list: each name is one of the six determinants, each
#' element the names of the indicator columns of `data` that measure it.
#' For each determinant:
#' 1. its indicators are combined with [entropy_weights()] computed over the
#'    units (rows), with the indicators named in `cost` reversed; the
#'    composite \eqn{S_i} lies in 0-1 (a single indicator is simply
#'    min-max normalised);
#' 2. the composite is rescaled to the 1-10 scale over the units:
#'    \eqn{D_i = 1 + 9 (S_i - \min S) / (\max S - \min S)}{D_i = 1 + 9 (S_i - min S) / (max S - min S)}, so the best
#'    unit scores 10 and the worst 1. The scale is relative to the units
#'    compared: 10 means "best of these units", not world best.
#' 3. With `benchmark` (raw values of every mapped indicator for a reference,
#'    typically the national average), the benchmark is normalised with the
#'    units' minima and ranges and weighted with the same weights into a
#'    composite \eqn{B}, which maps to 5. With \eqn{L = \min(S, B)}{L = min(S, B)} and
#'    \eqn{H = \max(S, B)}{H = max(S, B)}: \eqn{D_i = 1 + 4 (S_i - L) / (B - L)} for
#'    \eqn{S_i \le B}{S_i <= B} and \eqn{D_i = 5 + 5 (S_i - B) / (H - B)} for
#'    \eqn{S_i > B} (a unit equal to the benchmark scores 5).
#'
#' A determinant with no indicator is a gap: its score, its pair and GEM are
#' `NA`, never filled in, and `print()` and `plot()` show which determinants
#' are missing. Alongside, `gem_partial` (printed as `GEM*`) reports GEM over
#' the pairs that are present: since \eqn{GEM = 2.5 g^2} with \eqn{g} the
#' geometric mean of the three pairs, `gem_partial` uses the geometric mean
#' of the available pairs instead. It keeps GEM's scale (250 at the national
#' average in the sum form) and equals GEM when no pair is missing, but it is
#' not a full GEM: it says nothing about the missing pairs. At least two units are needed; `NA` in an indicator is an
#' error unless `na.rm = TRUE` (see [entropy_weights()]).
#'
#' @section The Bengbu study:
#' The study's six indicators ([bengbu]) cover four determinants:
#' infrastructure (`infra`, the share of employees in utilities and
#' transport, and `sup`, government investment in urban construction),
#' resources (`phrl`, employees of technical and scientific units, and
#' `tech`, science and technology expenditure), local market (`dm`, GDP) and
#' external market (`fm`, export sales of new high-tech products). Suppliers
#' and firm structure have no indicator, so the Enterprises pair and GEM stay
#' `NA`; the trajectory is read from the Groundings and Markets pairs and
#' `gem_partial`. All six are benefit indicators: the study (section 3.2) calls
#' specialised human resources "extremely important" to the cluster and
#' explains the negative regression coefficient of `phrl` by their low
#' quality and internationalisation, not by more of them being worse; so
#' `phrl` is not a cost indicator.
#'
#' @param resources,infrastructure,suppliers,firms,local_market,external_market
#'   Numeric vectors of determinant scores (1-10), one element per cluster.
#'   A data frame given as `resources` is taken as `data`.
#' @param pair `"sum"` (default, Padmore and Gibson) or `"mean"`: how a pair
#'   combines its two determinants.
#' @param data A data frame: scores in columns named after the determinants,
#'   or raw indicators when `mapping` is given.
#' @param mapping `NULL`, or a named list mapping determinants to indicator
#'   columns of `data` (see the section on `mapping`).
#' @param cost Names of the mapped indicators that are cost indicators
#'   (lower is better); the others are benefit indicators.
#' @param benchmark `NULL`, or the reference values (a named numeric vector,
#'   named list or one-row data frame) of every mapped indicator; the
#'   benchmark maps to 5.
#' @param id Labels of the clusters: a column name of `data`, or a vector
#'   with one label per cluster. By default the names of `resources`, or the
#'   row names of `data` when they are not 1, 2, ...
#' @param na.rm Passed to [entropy_weights()] in mapping mode.
#' @param x A `gem` object.
#' @param digits Decimals to show for scores.
#' @param n Largest number of clusters to format or print (`NULL`: all).
#' @param ... Unused, or passed to [graphics::barplot()] by `plot()`.
#'
#' @return An object of class `gem`, a list with `determinants` (a data
#'   frame of the six scores), `pairs` (the three pair scores), `gem`,
#'   `weakest` (a factor), `gem_partial` and `n_pairs` (GEM over the
#'   available pairs, and their number), `pair`, `labels`, `missing`
#'   (determinants without indicators) and, in mapping mode, `mapping`, `weights` (one
#'   [entropy_weights()] object per mapped determinant), `composite` and
#'   `benchmark`. `as.data.frame()` gives one row per cluster with columns
#'   `resources`, `infrastructure`, `suppliers`, `firms`, `local_market`,
#'   `external_market`, `groundings`, `enterprises`, `markets`, `gem`,
#'   `weakest`, and `gem_partial`.
#' @references Padmore, T. and Gibson, H. (1998). Modelling systems of
#'   innovation: II. A framework for industrial cluster analysis in regions.
#'   *Research Policy* 26(6), 625-641. \doi{10.1016/S0048-7333(97)00038-5}
#' @seealso [entropy_weights()]
#'   See also [gvcluster-missing] for NA, NaN, Inf and extreme magnitudes.
#' @export
#' @examples
#' # two clusters scored by hand
#' g <- gem_score(resources = c(6, 4), infrastructure = c(7, 5),
#'                suppliers = c(5, 3), firms = c(6, 4),
#'                local_market = c(8, 5), external_market = c(4, 2))
#' g
#' as.data.frame(g)
#' gem_score(5, 5, 5, 5, 5, 5)$gem      # national average: 250
#'
#' # the Bengbu GEM trajectory 2012-2019 from the study's indicators
#' bb <- gem_score(bengbu, id = "year",
#'                 mapping = list(infrastructure = c("infra", "sup"),
#'                                resources = c("phrl", "tech"),
#'                                local_market = "dm",
#'                                external_market = "fm"))
#' bb
#' plot(bb)
gem_score <- function(resources, infrastructure, suppliers, firms,
                      local_market, external_market, pair = c("sum", "mean"),
                      data = NULL, mapping = NULL, cost = NULL,
                      benchmark = NULL, id = NULL, na.rm = FALSE) {
  if (!is.character(pair) || length(pair) < 1L)
    stop_arg("pair", 'must be "sum" or "mean"')
  pair <- tryCatch(match.arg(pair), error = function(e)
    stop_arg("pair", 'must be "sum" or "mean", not "', pair[1L], '"'))
  check_flag(na.rm, "na.rm")
  given <- c(resources = !missing(resources),
             infrastructure = !missing(infrastructure),
             suppliers = !missing(suppliers), firms = !missing(firms),
             local_market = !missing(local_market),
             external_market = !missing(external_market))
  if (given[["resources"]] && (is.data.frame(resources))) {
    if (!is.null(data))
      stop_arg("resources", "is a data frame while `data` is also given")
    data <- resources
    given[["resources"]] <- FALSE
  }
  mapped <- NULL
  if (!is.null(data)) {
    if (!is.data.frame(data))
      stop_arg("data", "must be a data frame, not ", describe(data))
    if (any(given))
      stop_arg(names(given)[given][1L], "must not be given together with ",
               "`data`")
    if (nrow(data) < 1L) stop_arg("data", "must have at least one row")
    labels <- gem_labels(id, data, nrow(data))
    if (is.null(mapping)) {
      for (a in c("cost", "benchmark"))
        if (!is.null(get(a))) stop_arg(a, "is used only with `mapping`")
      if (na.rm) stop_arg("na.rm", "is used only with `mapping`")
      miss <- setdiff(gem_determinants, names(data))
      if (length(miss))
        stop_arg("data", "must have columns named after the six determinants",
                 " (or give `mapping`); missing: ",
                 paste0('"', miss, '"', collapse = ", "))
      D <- lapply(gem_determinants, function(d)
        gem_check_scores(data[[d]], sprintf("data$%s", d), nrow(data)))
    } else {
      mapped <- gem_map(data, mapping, cost, benchmark, na.rm)
      D <- mapped$scores
    }
  } else {
    for (a in c("mapping", "cost", "benchmark"))
      if (!is.null(get(a))) stop_arg(a, "is used only with `data`")
    if (!all(given))
      stop_arg(names(given)[!given][1L], "is missing: give all six ",
               "determinant scores, or a data frame")
    args <- list(resources, infrastructure, suppliers, firms, local_market,
                 external_market)
    n <- length(resources)
    if (n < 1L) stop_arg("resources", "must have at least one element")
    D <- Map(gem_check_scores, args, gem_determinants, n)
    labels <- gem_labels(id, NULL, n, names(resources))
  }
  names(D) <- gem_determinants
  rn <- if (is.null(labels)) .set_row_names(length(D[[1L]])) else labels
  det <- structure(D, class = "data.frame", row.names = rn)
  P <- gem_compute(det, pair)
  structure(list(
    determinants = det,
    pairs = P$pairs,
    gem = setNames(P$gem, labels),
    weakest = setNames(P$weakest, labels),
    gem_partial = setNames(P$partial, labels),
    n_pairs = setNames(P$n_pairs, labels),
    pair = pair,
    labels = labels,
    missing = if (is.null(mapped)) character(0) else mapped$missing,
    mapping = mapped$mapping,
    weights = mapped$weights,
    composite = mapped$composite,
    benchmark = mapped$benchmark
  ), class = "gem")
}

# Pairs, GEM and the weakest pair from a data frame of the six scores.
# Vectorised over the clusters; no row-wise loops.
gem_compute <- function(det, pair) {
  div <- if (pair == "sum") 1 else 2
  G <- (det$resources + det$infrastructure) / div
  E <- (det$suppliers + det$firms) / div
  M <- (det$local_market + det$external_market) / div
  P <- structure(list(groundings = G, enterprises = E, markets = M),
                 class = "data.frame", row.names = attr(det, "row.names"))
  gem <- 2.5 * (G * E * M)^(2 / 3)
  # weakest pair, ties to the first of G, E, M; NA when a pair is missing
  # (1 when G <= min(E, M), else 2 when E <= M, else 3; NA propagates)
  weakest <- as.integer(1L + (G > pmin(E, M)) * (1L + (E > M)))
  miss <- is.na(gem)
  # GEM over the available pairs: 2.5 (G E M)^(2/3) = 2.5 g^2 with g the
  # geometric mean of the three pairs; replacing g by the geometric mean of
  # the pairs present keeps the scale and equals GEM when none is missing.
  partial <- gem
  k <- rep(3L, length(G))
  if (any(miss)) {
    Ms <- cbind(G, E, M)[miss, , drop = FALSE]
    km <- rowSums(!is.na(Ms))
    lg <- rowSums(log(Ms), na.rm = TRUE)
    partial[miss] <- ifelse(km > 0, 2.5 * exp(2 * lg / pmax(km, 1)), NA_real_)
    k[miss] <- km
  }
  list(pairs = P, gem = gem, partial = partial, n_pairs = k,
       weakest = structure(weakest, levels = gem_pairs, class = "factor"))
}

gem_check_scores <- function(v, arg, n) {
  if (is.logical(v) && length(v) && all(is.na(v))) v <- as.double(v)
  if (!is.numeric(v) || is.factor(v) || !is.null(dim(v)))
    stop_arg(arg, "must be a numeric vector of scores, not ", describe(v))
  if (length(v) != n)
    stop_arg(arg, "must have length ", n, " (one score per cluster), not ",
             length(v))
  if (anyNA(v)) {
    check_nonfinite(v, arg)                  # NaN: the policy's error
    stop_arg(arg, "must not contain NA (", sum(is.na(v)), " found)")
  }
  if (min(v) < 1 || max(v) > 10) {           # no temporaries in the common case
    bad <- v < 1 | v > 10
    stop_arg(arg, "must hold scores between 1 and 10; found ",
             paste(utils::head(format(v[bad]), 3L), collapse = ", "),
             if (sum(bad) > 3L) ", ..." else "")
  }
  as.double(v)
}

gem_labels <- function(id, data, n, default = NULL) {
  # NULL labels mean the clusters are numbered 1, 2, ... (cheap for many)
  if (is.null(id)) {
    if (!is.null(data)) {
      rn <- attr(data, "row.names")
      if (is.character(rn)) return(rn)
      return(NULL)
    }
    if (!is.null(default) && !anyNA(default) && !anyDuplicated(default))
      return(as.character(default))
    return(NULL)
  }
  if (!is.null(data) && is.character(id) && length(id) == 1L &&
      (n != 1L || id %in% names(data))) {
    check_column(data, id, "id", "data")
    id <- data[[id]]
  }
  if (length(id) != n)
    stop_arg("id", "must be a column name of `data` or have one label per ",
             "cluster (", n, "), not ", describe(id))
  id <- as.character(id)
  if (anyNA(id) || anyDuplicated(id))
    stop_arg("id", "must hold distinct, non-missing labels")
  id
}

# Mapping mode: determinant scores from indicators.
gem_map <- function(data, mapping, cost, benchmark, na.rm) {
  if (!is.list(mapping) || is.data.frame(mapping) || length(mapping) < 1L ||
      is.null(names(mapping)) || any(!nzchar(names(mapping))))
    stop_arg("mapping", "must be a named list, e.g. list(infrastructure = ",
             'c("infra", "sup"))')
  unknown <- setdiff(names(mapping), gem_determinants)
  if (length(unknown))
    stop_arg("mapping", "has unknown determinant names: ",
             paste0('"', unknown, '"', collapse = ", "), "; determinants are ",
             paste0('"', gem_determinants, '"', collapse = ", "))
  if (anyDuplicated(names(mapping)))
    stop_arg("mapping", "names a determinant twice: ",
             paste0('"', unique(names(mapping)[duplicated(names(mapping))]),
                    '"', collapse = ", "))
  for (d in names(mapping)) {
    v <- mapping[[d]]
    if (is.null(v)) next
    if (!is.character(v) || anyNA(v))
      stop_arg("mapping", "must give column names (character) for `", d,
               "`, not ", describe(v))
    check_column(data, v, sprintf("mapping$%s", d), "data")
  }
  inds <- unlist(mapping, use.names = FALSE)
  if (!length(inds))
    stop_arg("mapping", "maps no indicator to any determinant")
  if (anyDuplicated(inds))
    stop_arg("mapping", "maps an indicator to more than one determinant: ",
             paste0('"', unique(inds[duplicated(inds)]), '"', collapse = ", "))
  if (!is.null(cost)) {
    if (!is.character(cost) || anyNA(cost))
      stop_arg("cost", "must name mapped indicators (character), not ",
               describe(cost))
    bad <- setdiff(cost, inds)
    if (length(bad))
      stop_arg("cost", "names indicators not in `mapping`: ",
               paste0('"', bad, '"', collapse = ", "))
  }
  if (!is.null(benchmark)) benchmark <- gem_benchmark(benchmark, inds)
  if (nrow(data) < 2L)
    stop_arg("data", "must have at least 2 rows (units) in mapping mode: ",
             "scores are rescaled over the units")
  n <- nrow(data)
  scores <- setNames(rep(list(rep(NA_real_, n)), 6L), gem_determinants)
  weights <- list()
  composite <- matrix(NA_real_, n, 6L, dimnames = list(NULL, gem_determinants))
  bcomp <- setNames(rep(NA_real_, 6L), gem_determinants)
  for (d in gem_determinants) {
    v <- mapping[[d]]
    if (!length(v)) next
    X <- entropy_matrix(data[v], sprintf("mapping$%s", d))$x
    ew <- tryCatch(entropy_weights(X, cost = intersect(cost, v), na.rm = na.rm),
                   error = function(e)
                     stop(sprintf("determinant `%s`: %s", d, conditionMessage(e)),
                          call. = FALSE))
    S <- unname(ew$scores)
    composite[, d] <- S
    weights[[d]] <- ew
    if (is.null(benchmark)) {
      lo <- min(S, na.rm = TRUE); hi <- max(S, na.rm = TRUE)
      if (!(hi > lo))
        stop(sprintf("determinant `%s`: its composite indicator does not vary %s",
                     d, "across the units, so it cannot be rescaled to 1-10"),
             call. = FALSE)
      scores[[d]] <- 1 + 9 * (S - lo) / (hi - lo)
    } else {
      B <- gem_benchmark_composite(ew, X, benchmark[v])
      bcomp[[d]] <- B
      lo <- min(S, B, na.rm = TRUE); hi <- max(S, B, na.rm = TRUE)
      D <- rep(NA_real_, n)
      below <- !is.na(S) & S <= B
      above <- !is.na(S) & S > B
      D[below] <- if (B > lo) 1 + 4 * (S[below] - lo) / (B - lo) else 5
      D[above] <- 5 + 5 * (S[above] - B) / (hi - B)
      scores[[d]] <- D
    }
  }
  list(scores = scores, weights = weights, composite = composite,
       missing = setdiff(gem_determinants, names(weights)),
       mapping = mapping[intersect(gem_determinants, names(mapping))],
       benchmark = if (is.null(benchmark)) NULL else
         list(values = benchmark, composite = bcomp))
}

gem_benchmark <- function(benchmark, inds) {
  if (is.data.frame(benchmark)) {
    if (nrow(benchmark) != 1L)
      stop_arg("benchmark", "as a data frame must have exactly one row")
    benchmark <- as.list(benchmark)
  }
  if (is.list(benchmark)) {
    if (!all(vapply(benchmark, function(v) is.numeric(v) && length(v) == 1L, NA)))
      stop_arg("benchmark", "must hold one number per indicator")
    benchmark <- unlist(benchmark)
  }
  if (!is.numeric(benchmark) || is.null(names(benchmark)))
    stop_arg("benchmark", "must be a named numeric vector (one value per ",
             "mapped indicator), not ", describe(benchmark))
  miss <- setdiff(inds, names(benchmark))
  if (length(miss))
    stop_arg("benchmark", "has no value for the mapped indicators ",
             paste0('"', miss, '"', collapse = ", "))
  b <- benchmark[inds]
  if (anyNA(b) || any(!is.finite(b)))
    stop_arg("benchmark", "must hold finite values, no NA")
  setNames(as.double(b), inds)
}

# The benchmark's composite: normalised with the units' minima and ranges,
# weighted with the units' entropy weights (constant indicators weigh 0).
gem_benchmark_composite <- function(ew, X, b) {
  X <- X[ew$used, , drop = FALSE]
  lo <- apply(X, 2L, min); hi <- apply(X, 2L, max)
  keep <- !(names(ew$weights) %in% ew$constant)
  z <- ifelse(ew$cost, hi - b, b - lo) / (hi - lo)
  sum(ew$weights[keep] * z[keep])
}

gem_label_text <- function(x) {
  if (is.null(x$labels)) as.character(seq_along(x$gem)) else x$labels
}

#' @rdname gem_score
#' @export
format.gem <- function(x, digits = 1L, n = NULL, ...) {
  df <- as.data.frame(x)
  if (!is.null(n)) df <- df[seq_len(min(n, nrow(df))), , drop = FALSE]
  f <- function(v, d) ifelse(is.na(v), "--", formatC(v, digits = d, format = "f"))
  tab <- data.frame(
    lapply(df[gem_determinants], f, d = digits),
    lapply(df[gem_pairs], f, d = digits),
    GEM = f(df$gem, digits),
    weakest = ifelse(is.na(df$weakest), "--", as.character(df$weakest)),
    row.names = row.names(df), check.names = FALSE, stringsAsFactors = FALSE)
  names(tab) <- c("res", "infra", "supp", "firms", "local", "extern",
                  "G", "E", "M", "GEM", "weakest")
  if (anyNA(df$gem)) tab[["GEM*"]] <- f(df$gem_partial, digits)
  utils::capture.output(print(tab, right = TRUE))
}

#' @rdname gem_score
#' @export
print.gem <- function(x, digits = 1L, n = 20L, ...) {
  rng <- if (x$pair == "sum") "10-1000, national average 250" else
    "2.5-250, national average 62.5"
  cat(sprintf("GEM scores (Padmore & Gibson): %d unit%s, pair = \"%s\"\n",
              length(x$gem), if (length(x$gem) == 1L) "" else "s", x$pair))
  cat(sprintf("  PAIR = %s; GEM = 2.5 (G E M)^(2/3), range %s\n",
              if (x$pair == "sum") "D1 + D2" else "(D1 + D2) / 2", rng))
  writeLines(format(x, digits = digits, n = n))
  if (length(x$gem) > n)
    cat(sprintf("... and %d more units\n", length(x$gem) - n))
  cat("  G = groundings (resources, infrastructure), E = enterprises",
      "(suppliers, firms),\n  M = markets (local, external); -- = missing\n")
  if (length(x$missing)) {
    gone <- gem_pairs[c(any(x$missing %in% gem_determinants[1:2]),
                        any(x$missing %in% gem_determinants[3:4]),
                        any(x$missing %in% gem_determinants[5:6]))]
    cat(sprintf("Missing determinants (no indicator): %s\n  -> %s and GEM are NA, not filled in\n",
                paste(x$missing, collapse = ", "),
                paste(gone, collapse = ", ")))
    cat("  GEM* = 2.5 x (geometric mean of the available pairs)^2, on GEM's scale;\n",
        " it leaves the missing pairs out and is not a full GEM\n")
  }
  if (length(x$weights)) {
    cat("Determinants from indicators (entropy weights, then rescaled to 1-10",
        if (is.null(x$benchmark)) "over the units):\n" else
          "with the benchmark at 5):\n")
    for (d in names(x$weights)) {
      ew <- x$weights[[d]]
      terms <- sprintf("%.3f %s%s", ew$weights, names(ew$weights),
                       ifelse(ew$cost, " (cost)", ""))
      cat(sprintf("  %-15s = %s\n", d, paste(terms, collapse = " + ")))
    }
  }
  invisible(x)
}

#' @rdname gem_score
#' @param row.names,optional Ignored; for compatibility with the generic.
#' @export
as.data.frame.gem <- function(x, row.names = NULL, optional = FALSE, ...) {
  out <- c(unclass(x$determinants), unclass(x$pairs),
           list(gem = unname(x$gem), weakest = unname(x$weakest),
                gem_partial = unname(x$gem_partial)))
  structure(out, class = "data.frame",
            row.names = attr(x$determinants, "row.names"))
}

#' @rdname gem_score
#' @param main Plot title.
#' @param legend Draw a legend of the determinants.
#' @export
plot.gem <- function(x, main = "GEM determinants", legend = TRUE, ...) {
  D <- t(as.matrix(x$determinants))          # 6 x clusters
  colnames(D) <- gem_label_text(x)
  col <- c("#08519C", "#6BAED6", "#006D2C", "#74C476", "#A63603", "#FD8D3C")
  k <- ncol(D)
  op <- graphics::par(mar = c(if (k > 8) 5 else 4, 4, 4, 1) + 0.1)
  on.exit(graphics::par(op))
  Dp <- D
  Dp[is.na(Dp)] <- 0
  bp <- graphics::barplot(Dp, beside = TRUE, col = col, border = NA,
                          ylim = c(0, 13), las = if (k > 8) 2 else 1,
                          axes = FALSE, ylab = "score (1-10)", main = main, ...)
  graphics::axis(2, at = c(0, 2, 4, 6, 8, 10), las = 1)
  if (length(x$weights) && is.null(x$benchmark)) {
    # min-max over the units: 5 is no national average here
    graphics::mtext("scores relative to these units: 1 = worst, 10 = best",
                    side = 1, line = if (k > 8) 4 else 2.5, adj = 0,
                    cex = 0.7, col = "grey30")
  } else {
    graphics::abline(h = 5, lty = 2, col = "grey40")
    graphics::mtext(if (is.null(x$benchmark)) "5 = national average" else
                      "5 = benchmark", side = 4, at = 5, line = 0,
                    cex = 0.7, col = "grey40", las = 3)
  }
  # gaps: a small cross at the foot of every missing determinant
  if (anyNA(D))
    graphics::points(bp[is.na(D)], rep(0.25, sum(is.na(D))), pch = 4,
                     col = "grey30", cex = 0.7)
  # GEM (or GEM* over the available pairs) above each cluster's group
  g <- ifelse(!is.na(x$gem), sprintf("GEM %.0f", x$gem),
              ifelse(is.na(x$gem_partial), "GEM NA",
                     sprintf("GEM* %.0f", x$gem_partial)))
  graphics::text(colMeans(bp), 10.6, g, cex = if (k > 8) 0.6 else 0.8)
  if (legend) {
    lab <- c("resources", "infrastructure", "suppliers", "firms",
             "local market", "external market")
    miss <- gem_determinants %in% x$missing
    lab[miss] <- paste(lab[miss], "(x = no data)")
    graphics::legend("top", legend = lab, fill = col, border = NA, ncol = 3,
                     bty = "n", cex = 0.75)
  }
  if (anyNA(x$gem) && any(!is.na(x$gem_partial)))
    graphics::mtext("GEM* = over the available pairs only", side = 1,
                    line = if (k > 8) 4 else 2.5, adj = 1, cex = 0.7,
                    col = "grey30")
  invisible(x)
}
