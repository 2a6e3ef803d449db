#' Economic complexity of regions and industries
#'
#' Diversity, ubiquity, the economic complexity index of regions (ECI) and
#' the complexity index of industries (PCI, "product" complexity) by the
#' eigenvector method or the method of reflections (Hidalgo and Hausmann,
#' 2009), or the fitness and complexity of Tacchella et al. (2012); with the
#' complexity outlook of each region and the outlook gain of each region x
#' industry (Hausmann et al., 2014).
#'
#' @section Definitions:
#' \eqn{M} is the RCA incidence matrix of `x` (\eqn{M_{rp} = 1} where the
#' location quotient is at least `cutoff`, see [relatedness()]), the
#' diversity of a region is \eqn{d_r = \sum_p M_{rp}} and the ubiquity of an
#' industry \eqn{u_p = \sum_r M_{rp}}. Regions with no RCA and industries in
#' no region are left out of the computation and get `NA`.
#'
#' * `"eigenvector"`: ECI is the eigenvector of
#'   \eqn{D^{-1} M U^{-1} M^\top}{D^-1 M U^-1 M'} for its second largest
#'   eigenvalue (the largest, 1, belongs to a constant vector), and PCI that
#'   of \eqn{U^{-1} M^\top D^{-1} M}{U^-1 M' D^-1 M}. Both come from the
#'   second singular pair of \eqn{D^{-1/2} M U^{-1/2}}, found by Lanczos
#'   iterations (with full reorthogonalisation, deflated against the known
#'   first pair, from a fixed start) on the smaller side until the residual
#'   norm is below `tol` (relative to the eigenvalue); the number of
#'   matrix-vector products is reported. The iteration runs in C, each
#'   product one pass over the cells with an RCA (their row and column
#'   indices; the method of reflections and fitness likewise). If the network of regions and
#'   industries falls apart into two unconnected pieces the second eigenvalue is
#'   1 and a warning says that ECI then only tells the pieces apart; with
#'   three or more pieces the eigenvalue 1 is repeated, its eigenvector is
#'   not unique and ECI is undefined: an error (compute each piece
#'   separately).

#' * `"reflections"`: \eqn{k_{r,0} = d_r}, \eqn{k_{p,0} = u_p},
#'   \eqn{k_{r,n} = \frac{1}{d_r}\sum_p M_{rp} k_{p,n-1}}{k[r, n] = sum_p M[r, p] k[p, n - 1] / d[r]},
#'   \eqn{k_{p,n} = \frac{1}{u_p}\sum_r M_{rp} k_{r,n-1}}{k[p, n] = sum_r M[r, p] k[r, n - 1] / u[p]};
#'   as in economiccomplexity (and the Atlas), ECI is the standardised
#'   \eqn{k_{r,N-2}} and PCI the standardised \eqn{k_{p,N-1}} with
#'   \eqn{N} = `iterations` (default 20), a fixed number of steps: the
#'   stopping rule of the method. The d-weighted mean is subtracted after
#'   each step (which changes nothing after standardisation, since the
#'   averaging operators keep it) so the deviations, which shrink
#'   geometrically, do not drown in rounding.
#' * `"fitness"`: \eqn{\tilde F_r = \sum_p M_{rp} Q_p}{F~[r] = sum_p M[r, p] Q[p]},
#'   \eqn{\tilde Q_p = 1 / \sum_r M_{rp} / F_r}{Q~[p] = 1 / sum_r M[r, p] / F[r]},
#'   each then divided by its mean, from \eqn{F = Q = 1}, both updated from
#'   the previous step's values (Tacchella et al., 2012). Stopping rule: when
#'   the largest change of any \eqn{F_r} or \eqn{Q_p} between two steps is
#'   below `tol` (default 1e-8; both have mean 1), or after `iterations`
#'   steps (default 1000; `converged` says which). The fitness `F` fills the
#'   `eci` column and the complexity `Q` the `pci` column, not standardised
#'   (they are positive with mean 1).
#'
#' ECI and PCI are undefined, and an error says why, where they cannot vary:
#' an incidence matrix of all ones (every region has every industry), or one
#' where every region has the same diversity and its industries the same
#' ubiquities (each industry in one region only, say) for the eigenvector and
#' reflections methods. The fitness method is defined for both (all 1).
#'
#' @section Normalisation and sign:
#' As in Hidalgo and Hausmann (2009) and the Atlas, ECI and PCI are
#' standardised: \eqn{(v - \bar v) / s(v)} with the sample standard
#' deviation over the regions (industries) in the computation. An
#' eigenvector's sign is arbitrary; it is fixed here so that ECI correlates
#' positively with diversity (Pearson), and PCI so that the average PCI of
#' each region's industries correlates positively with ECI (for the
#' eigenvector method, ECI is that average up to a positive factor). Peers
#' differ: EconGeo's `kci()` signs by the correlation with its own
#' reflections and `tci()` against ubiquity, and scales to sum 1 rather than
#' standardising; economiccomplexity's eigenvalue method takes the sign of
#' its own 20 reflections, which can be the opposite of this one. Up to sign
#' and these scalings the values agree (the tests check it).
#'
#' @section Outlook:
#' The proximity's diagonal is zero: an industry is not related to itself,
#' so an industry a region lacks does not raise its own density, and the
#' outlook gain of an industry counts only the other industries it opens.
#' With \eqn{\phi} the proximity ([relatedness()], zero diagonal) and the
#' density \eqn{\omega_{rp}} ([relatedness_density()]), the complexity
#' outlook of a region is \eqn{\sum_p \omega_{rp} (1 - M_{rp}) PCI_p} and the
#' outlook gain of region \eqn{r} from industry \eqn{p} is
#' \eqn{(1 - M_{rp}) \sum_{p'} (1 - M_{rp'}) \frac{\phi_{p'p}}{\sum_{p''} \phi_{p'p''}} PCI_{p'}}
#' (Hausmann et al., 2014, as economiccomplexity's `complexity_outlook()`),
#' with the method's industry complexity in place of PCI. Industries in no
#' region, and industries related to no other (whose density is not
#' defined), add nothing to the outlook; regions with no RCA get `NA`
#' outlook and gain. As \eqn{\phi} is symmetric, the outlook is the sum of
#' the gain's inner sums over the industries the region has, so one pass
#' over \eqn{\phi} gives both. Set `outlook = FALSE` to skip them (they
#' need the proximity matrix, the larger part of the work).
#'
#' @section Relation to other packages:
#' economiccomplexity's `proximity()` keeps 1 on the diagonal of the
#' proximity (every industry fully related to itself), where [relatedness()]
#' has 0; the off-diagonal values are the same. Its
#' `complexity_outlook(M, proximity(M)$proximity_product, pci)` therefore
#' gives another outlook and outlook gain than `complexity()`; with that
#' proximity's diagonal set to zero (or with `relatedness(x)` as the
#' proximity) both equal this function's. Its `balassa_index()` is the
#' binary RCA used here, its `density()` is [relatedness_density()], and its
#' ECI and PCI agree with these up to the sign of the eigenvector method and
#' the scalings described above (checked numerically in the package's
#' tests).
#'
#' @inheritParams relatedness
#' @param method `"eigenvector"`, `"reflections"` or `"fitness"`.
#' @param iterations The number of reflections (default 20), or the most
#'   fitness steps (default 1000) or Lanczos products (default 1000).
#' @param tol Convergence tolerance: of the Lanczos residual (default 1e-10)
#'   or of the fitness steps (default 1e-8).
#' @param outlook Compute the complexity outlook and outlook gain (default
#'   `TRUE`)?
#' @return An object of class `complexity`: a list with `regions` (a data
#'   frame: `region`, `diversity`, `eci`, `outlook`), `industries` (`industry`,
#'   `ubiquity`, `pci`), `gain` (regions x industries matrix, or `NULL`),
#'   `method`, `iterations`, `converged` and, for the eigenvector method,
#'   `eigenvalue` (the second eigenvalue). `as.data.frame()` gives the two
#'   tables stacked, one row per region and per industry: `level`
#'   (`"region"` or `"industry"`), `name`, and the measures under their own
#'   names, `diversity` and `eci` filled for regions, `ubiquity` and `pci`
#'   for industries (`NA` in the other rows), and `outlook`. `tidy()` gives
#'   the same rows, `glance()` one row describing the fit.
#' @references
#' Hidalgo C. A., Hausmann R. (2009). The building blocks of economic
#' complexity. *PNAS* 106, 10570-10575.
#'
#' Hausmann R., Hidalgo C. A., Bustos S., Coscia M., Simoes A., Yildirim
#' M. A. (2014). *The Atlas of Economic Complexity*. MIT Press.
#'
#' Tacchella A., Cristelli M., Caldarelli G., Gabrielli A., Pietronero L.
#' (2012). A new metrics for countries' fitness and products' complexity.
#' *Scientific Reports* 2, 723.
#' @seealso [relatedness()], [relatedness_density()], [clusters()].
#' @examples
#' ex <- cluster_example[cluster_example$year == 2019, ]
#' cx <- complexity(ex, value = "emp", region = "region", industry = "industry")
#' cx
#' head(cx$regions)
#' complexity(ex, "fitness", value = "emp", region = "region",
#'            industry = "industry", outlook = FALSE)
#' @export
complexity <- function(x, method = c("eigenvector", "reflections", "fitness"),
                       value = "value", region = "region", industry = "industry",
                       cutoff = 1, rca = TRUE, iterations = NULL, tol = NULL,
                       outlook = TRUE, na.rm = FALSE, ...) {
  check_dots(...)
  method <- match.arg(method)
  check_flag(outlook, "outlook")
  check_flag(na.rm, "na.rm")
  if (is.null(iterations))
    iterations <- if (method == "reflections") 20L else 1000L
  iterations <- check_count(iterations, "iterations",
                            min = if (method == "reflections") 2 else 1)
  if (is.null(tol)) tol <- if (method == "fitness") 1e-8 else 1e-10
  if (!is.numeric(tol) || length(tol) != 1L || is.na(tol) || !(tol > 0) || !is.finite(tol))
    stop_arg("tol", "must be a single positive number")
  inc <- cl_incidence(x, value, region, industry, rca, cutoff, na.rm,
                      size = function(nr, ni) 80 * (nr + ni) +
                        if (outlook) 8 * nr * ni + 8 * ni^2 else 0)
  M <- inc$M
  # the iterations run in C on the pattern of M in both orientations (the
  # industries of each region, the regions of each industry): one pass over
  # the nonzeros per product with M or M'
  s <- cl_slots(M)
  pt <- .Call(ffi_rel_pattern, s$x, s$i, s$p, s$dims)
  d <- diff(pt$tp); u <- diff(pt$p)
  kr <- d > 0; kp <- u > 0
  nr <- sum(kr); np <- sum(kp)
  if (nr < 2L || np < 2L)
    stop_arg("x", "must have at least two regions and two industries with an RCA ",
             "(found ", nr, " and ", np, ")")
  dk <- d[kr]
  none <- "`x` gives no ECI or PCI: "
  if (method != "fitness" && all(dk == np))
    stop(none, "every region with an RCA has one in every industry with an RCA ",
         "(the incidence matrix is all ones), so no region or industry is more ",
         "complex than another", call. = FALSE)
  res <- cx_iterate(pt, s$dims, method, iterations, tol)
  if (method == "eigenvector" && res$eigenvalue > 1 - 1e-9) {
    k <- cx_components(pt, kr, kp)
    if (k > 2L)
      stop(none, "its regions and industries form ", k, " unconnected groups ",
           "(no region of one group has an RCA in an industry of another): the ",
           "second eigenvalue, 1, is repeated and its eigenvector is not unique; ",
           "compute complexity() for each group separately", call. = FALSE)
    warning("the regions and industries form two unconnected groups: the second ",
            "eigenvalue is 1 and ECI/PCI only tell the groups apart", call. = FALSE)
  }
  eci <- rep(NA_real_, length(d)); pci <- rep(NA_real_, length(u))
  if (method == "fitness") {
    eci[kr] <- res$eci; pci[kp] <- res$pci
  } else {
    e <- cx_standardise(res$eci); q <- cx_standardise(res$pci)
    if (!all(is.finite(e)) || !all(is.finite(q)))
      stop(none, "they do not vary (every region has the same diversity and ",
           "its industries the same ubiquities, e.g. each industry is in one ",
           "region only), so they cannot be standardised", call. = FALSE)
    # the sign convention: ECI rises with diversity, PCI with its regions' ECI
    # (res$avg = M pci / d, an increasing affine function of the average of
    # the standardised PCI, so the correlation is the same)
    e <- cx_sign(e, dk) * e
    q <- cx_sign(q, NULL, res$avg, e) * q
    eci[kr] <- e; pci[kp] <- q
  }
  regions <- data.frame(region = inc$regions, diversity = d, eci = eci,
                        stringsAsFactors = FALSE)
  industries <- data.frame(industry = inc$industries, ubiquity = u, pci = pci,
                           stringsAsFactors = FALSE)
  gain <- NULL
  if (outlook) {
    phi <- cl_cooccurrence(M, "proximity")      # symmetric
    pc <- pci; pc[is.na(pc)] <- 0
    rs <- rowSums(phi)
    g <- ifelse(rs > 0, pc / rs, 0)
    # A[p', p] = phi[p', p] PCI[p'] / rs[p']; one pass in C gives the gain,
    # (1 - M) A summed over the industries each region lacks, and the
    # outlook, those sums added over the industries it has (phi symmetric)
    og <- .Call(ffi_rel_gain, s$x, s$i, s$p, s$dims,
                phi * rep(g, each = nrow(phi)), n_threads())   # t(A)
    regions$outlook <- og$outlook
    regions$outlook[!kr] <- NA
    gain <- og$gain
    gain[!kr, ] <- NA
    gain[, !kp] <- NA
    dimnames(gain) <- list(inc$regions, inc$industries)
  }
  structure(list(regions = regions, industries = industries, gain = gain,
                 method = method, iterations = res$iterations,
                 converged = res$converged,
                 eigenvalue = if (method == "eigenvector") res$eigenvalue,
                 cutoff = if (rca) cl_check_cutoff(cutoff) else NA_real_),
            class = "complexity")
}

# The iterations in C (src/complexity.c) on the pattern `pt` of the incidence
# matrix (ffi_rel_pattern: p, i the columns, tp, ti the rows): ECI and PCI
# before standardisation over the regions and industries with an RCA, avg =
# M pci / d, iterations, converged, eigenvalue. `basis`: the most Lanczos
# vectors kept before a restart (also at most 5e6 numbers and n - 1).
cx_iterate <- function(pt, dims, method, iterations, tol, basis = 200L) {
  .Call(ffi_cx_complexity, pt$p, pt$i, pt$tp, pt$ti, as.double(dims), method,
        c(iterations = as.integer(iterations), basis = as.integer(basis)),
        as.double(tol))
}

# The number of connected pieces of the bipartite graph of regions and
# industries with an RCA (pattern `pt` of ffi_rel_pattern(), kr/kp the
# regions/industries in it): labels spread along the links until they stop
# changing, each round one vectorised pass over the links.
cx_components <- function(pt, kr, kp) {
  ri <- pt$i + 1L
  cj <- rep(seq_along(kp), diff(pt$p))
  lr <- seq_along(kr)
  lp <- rep(NA_integer_, length(kp))
  repeat {
    mp <- tapply(lr[ri], cj, min)
    lp[as.integer(names(mp))] <- mp
    mr <- tapply(lp[cj], ri, min)
    nr <- lr
    k <- as.integer(names(mr))
    nr[k] <- pmin(lr[k], mr)
    if (identical(nr, lr)) break
    lr <- nr
  }
  length(unique(lr[kr]))
}

cx_standardise <- function(v) (v - mean(v)) / stats::sd(v)

# +1 or -1: the sign making cor(v, ref) positive (or cor(a, b) when ref is
# NULL); ties (zero or undefined correlation) broken by the first entry of v
# that is not zero.
cx_sign <- function(v, ref, a = v, b = ref) {
  cc <- suppressWarnings(stats::cor(a, b))
  if (is.finite(cc) && cc != 0) return(if (cc > 0) 1 else -1)
  nz <- v[v != 0]
  if (length(nz) && nz[1L] < 0) -1 else 1
}

#' @export
print.complexity <- function(x, n = 5L, ...) {
  lab <- c(eigenvector = "eigenvector method", reflections = "method of reflections",
           fitness = "fitness and complexity")[x$method]
  cat(sprintf("<complexity> %s: %d regions x %d industries",
              lab, nrow(x$regions), nrow(x$industries)))
  if (!is.na(x$cutoff)) cat(sprintf(", RCA >= %g", x$cutoff))
  cat("\n")
  it <- sprintf("%d %s", x$iterations,
                if (x$method == "eigenvector") "matrix-vector products" else "iterations")
  if (isTRUE(x$converged)) it <- paste(it, "(converged)")
  if (identical(x$converged, FALSE)) it <- paste(it, "(NOT converged)")
  cat(it, if (!is.null(x$eigenvalue)) sprintf(", second eigenvalue %.6g", x$eigenvalue), "\n", sep = "")
  ec <- if (x$method == "fitness") "fitness" else "ECI"
  pc <- if (x$method == "fitness") "complexity" else "PCI"
  r <- x$regions[order(-x$regions$eci, na.last = NA), , drop = FALSE]
  p <- x$industries[order(-x$industries$pci, na.last = NA), , drop = FALSE]
  cat(sprintf("top regions by %s:\n", ec))
  print(utils::head(r, n), row.names = FALSE, digits = 4)
  cat(sprintf("top industries by %s:\n", pc))
  print(utils::head(p, n), row.names = FALSE, digits = 4)
  invisible(x)
}

#' @export
summary.complexity <- function(object, ...) {
  r <- object$regions; p <- object$industries
  out <- list(method = object$method, iterations = object$iterations,
              converged = object$converged,
              regions = summary(r[, setdiff(names(r), "region"), drop = FALSE]),
              industries = summary(p[, setdiff(names(p), "industry"), drop = FALSE]),
              cor_eci_diversity = suppressWarnings(stats::cor(r$eci, r$diversity, use = "complete.obs")),
              cor_pci_ubiquity = suppressWarnings(stats::cor(p$pci, p$ubiquity, use = "complete.obs")))
  class(out) <- "summary.complexity"
  out
}

#' @export
print.summary.complexity <- function(x, ...) {
  cat(sprintf("Complexity (%s), %d iterations\n", x$method, x$iterations))
  cat(sprintf("correlation of ECI with diversity: %.3f; of PCI with ubiquity: %.3f\n",
              x$cor_eci_diversity, x$cor_pci_ubiquity))
  cat("regions:\n"); print(x$regions)
  cat("industries:\n"); print(x$industries)
  invisible(x)
}

#' @export
as.data.frame.complexity <- function(x, row.names = NULL, optional = FALSE, ...) {
  r <- x$regions; p <- x$industries
  nr <- rep(NA_real_, nrow(r)); np <- rep(NA_real_, nrow(p))
  ni <- rep(NA_integer_, nrow(r)); npi <- rep(NA_integer_, nrow(p))
  data.frame(level = c(rep("region", nrow(r)), rep("industry", nrow(p))),
             name = c(r$region, p$industry),
             diversity = c(r$diversity, npi),
             ubiquity = c(ni, p$ubiquity),
             eci = c(r$eci, np),
             pci = c(nr, p$pci),
             outlook = c(if (is.null(r$outlook)) nr else r$outlook, np),
             stringsAsFactors = FALSE)
}
