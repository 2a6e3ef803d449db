# Inter-country input-output (ICIO) tables and their Leontief inverses.
#
# Layout used throughout the gvc_* functions: G countries with N sectors
# each, n = G * N rows and columns ordered country-major (C1.S1 .. C1.SN,
# C2.S1, ...); final demand has G * F columns, F categories per destination
# country, also country-major.

#' Inter-country input-output table
#'
#' Builds a validated inter-country input-output (ICIO, or multi-regional
#' MRIO) table, the input of [leontief()], [gvc_decompose()] and
#' [gvc_index()].
#'
#' Gross output is `x = Z 1 + Y 1` and value added `va = x - 1'Z` when they
#' are not supplied. When they are supplied they are kept (they define the
#' technical coefficients `A = Z diag(1/x)` and the value-added coefficients
#' `v = va / x`) and compared with the values computed from `Z` and `Y`; the
#' largest absolute difference is stored as the table's imbalance, shown by
#' `print()` and `summary()`, and a warning is given when it exceeds
#' `sqrt(.Machine$double.eps)` times the largest output.
#'
#' Negative entries are allowed in final demand (inventory changes) but not
#' in `Z`, `x` or `va` (an error names the argument). A sector with zero
#' output gets a zero column in `A` and a zero value-added coefficient, as
#' decompr and most ICIO tools do. Missing values are an error, and so are
#' rows or columns of `Z` and `Y` (or gross output) whose sums pass the
#' largest double, naming the first (see [gvcluster-missing]).
#'
#' A table's labels can be changed with `$<-`: `tab$countries <- new`
#' (as many unique codes as before) renames the countries everywhere (the
#' names of `Z`, `Y`, `x` and `va`, the destinations and the split blocks),
#' and likewise `tab$sectors` and `tab$final_demand`. A replaced structural
#' part (`splits`, `destinations`, `G`, `N`, `F`) is checked at once; other
#' parts are checked when the table is used. A modified copy never sees the
#' results cached for the original; replacing a part that no result depends
#' on (`year`, `source`) keeps the cache.
#'
#' @param Z Intermediate flows, an `n x n` numeric matrix, `n = G * N`,
#'   rows (selling sectors) and columns (buying sectors) country-major.
#' @param Y Final demand, an `n x (G * F)` numeric matrix: `F` categories
#'   per destination country, country-major.
#' @param countries Character vector of the `G` country codes (unique).
#' @param sectors Character vector of the `N` sector codes (unique).
#' @param final_demand Optional character vector of the `F` final-demand
#'   categories; `NULL` gives `"F1"`, `"F2"`, ...
#' @param x Optional gross output (length `n`).
#' @param va Optional value added (length `n`).
#' @param splits Optional named character vector for tables whose producers
#'   include blocks that are not final-demand destinations, as the OECD
#'   extended ICIO tables split China and Mexico by kind of producer:
#'   `c(CN1 = "CHN", CN2 = "CHN", MX1 = "MEX", MX2 = "MEX")`. The names are
#'   producer blocks among `countries`; each value is the country (also among
#'   `countries`, not itself a split) they belong to. The split blocks keep
#'   their own rows and columns in `Z` (they are separate producers in every
#'   computation), but have no final-demand columns: `Y` then has
#'   `D * F` columns for the `D` countries that are not splits, in the order
#'   of `countries`.
#' @return An object of class `icio`: a list with `Z`, `Y`, `x`, `va`,
#'   `countries`, `sectors`, `final_demand`, `G`, `N`, `F`, `splits` (a named
#'   character vector, empty when there are none), `destinations` (the
#'   countries with final-demand columns), and `imbalance`
#'   (maximum absolute difference of supplied `x` and `va` from the computed
#'   ones, 0 when not supplied). Row and column names are `"CHN.S1"` style.
#' @seealso [leontief()], [gvc_decompose()], [gvc_index()], [icio_example].
#'   See also [gvcluster-missing] for NA, NaN, Inf and extreme magnitudes.
#' @examples
#' tab <- icio(icio_example$Z, icio_example$Y, icio_example$countries,
#'             icio_example$sectors, icio_example$final_demand)
#' tab
#' summary(tab)
#' @export
icio <- function(Z, Y, countries, sectors, final_demand = NULL, x = NULL,
                 va = NULL, splits = NULL) {
  if (is.data.frame(Z)) Z <- as.matrix(Z)
  if (is.data.frame(Y)) Y <- as.matrix(Y)
  if (!is.character(countries) || anyNA(countries) || length(countries) < 1L)
    stop_arg("countries", "must be a character vector of country codes")
  if (anyDuplicated(countries))
    stop_arg("countries", "must not contain duplicates")
  if (!is.character(sectors) || anyNA(sectors) || length(sectors) < 1L)
    stop_arg("sectors", "must be a character vector of sector codes")
  if (anyDuplicated(sectors))
    stop_arg("sectors", "must not contain duplicates")
  G <- length(countries); N <- length(sectors); n <- G * N
  splits <- check_splits(splits, countries)
  destinations <- countries[!countries %in% names(splits)]
  D <- length(destinations)
  Z <- check_numeric(Z, "Z")
  # one pass over Z for its row and column sums, smallest value and
  # finiteness; the element-wise checks (and their errors) only when needed
  zs <- .Call(ffi_gvc_zstats, Z)
  if (!zs$finite) Z <- check_numeric(Z, "Z", allow_na = FALSE, finite = TRUE)
  Y <- check_numeric(Y, "Y", allow_na = FALSE, finite = TRUE)
  if (!is.matrix(Z) || nrow(Z) != n || ncol(Z) != n)
    stop_arg("Z", sprintf("must be a %d x %d matrix (G = %d countries x N = %d sectors), not %s",
                          n, n, G, N, dim_text(Z)))
  if (!is.matrix(Y)) Y <- matrix(Y, ncol = 1L)
  if (nrow(Y) != n)
    stop_arg("Y", sprintf("must have %d rows (G * N), not %d", n, nrow(Y)))
  if (ncol(Y) %% D != 0L || ncol(Y) == 0L)
    stop_arg("Y", if (length(splits))
      sprintf("must have D * F columns (a multiple of the %d countries that are not splits), not %d",
              D, ncol(Y))
    else sprintf("must have G * F columns (a multiple of %d countries), not %d",
                 G, ncol(Y)))
  F <- ncol(Y) %/% D
  if (is.null(final_demand)) {
    final_demand <- paste0("F", seq_len(F))
  } else {
    if (!is.character(final_demand) || anyNA(final_demand) ||
        length(final_demand) != F || anyDuplicated(final_demand))
      stop_arg("final_demand", sprintf("must be %d unique category names", F))
  }
  if (zs$min < 0) check_nonnegative(Z, "Z")
  rn <- paste(rep(countries, each = N), rep(sectors, G), sep = ".")
  fn <- paste(rep(destinations, each = F), rep(final_demand, D), sep = ".")
  # a matrix that already has these names (read_icio() builds them so) is
  # kept as it is: naming a 3,465 x 3,465 argument would copy it
  if (!identical(dimnames(Z), list(rn, rn))) dimnames(Z) <- list(rn, rn)
  if (!identical(dimnames(Y), list(rn, fn))) dimnames(Y) <- list(rn, fn)
  cz <- zs$col_sums
  ys <- rowSums(Y)
  x_calc <- zs$row_sums + ys
  icio_check_sums(zs$row_sums, cz, ys, x_calc, rn)
  va_calc <- x_calc - cz
  imbalance <- 0
  tol <- sqrt(.Machine$double.eps) * max(1, abs(x_calc))
  if (is.null(x)) {
    x <- x_calc
  } else {
    x <- check_numeric(x, "x", allow_na = FALSE, finite = TRUE)
    if (length(x) != n) stop_arg("x", sprintf("must have length %d (G * N)", n))
    check_nonnegative(x, "x")
    zx <- x == 0 & (cz > 0 | x_calc > 0)
    if (any(zx))
      stop_arg("x", "(gross output) is zero for sector(s) that buy inputs or sell output: ",
               paste(utils::head(rn[zx], 10L), collapse = ", "),
               if (sum(zx) > 10L) sprintf(" and %d more", sum(zx) - 10L) else "",
               "; give their output or leave `x` NULL to compute it from `Z` and `Y`")
    imbalance <- max(imbalance, abs(x - x_calc))
    x <- as.vector(x)
  }
  if (is.null(va)) {
    va <- x - cz
  } else {
    va <- check_numeric(va, "va", allow_na = FALSE, finite = TRUE)
    if (length(va) != n) stop_arg("va", sprintf("must have length %d (G * N)", n))
    imbalance <- max(imbalance, abs(va - (x - cz)), abs(va - va_calc))
    va <- as.vector(va)
  }
  if (any(x < 0))
    stop_arg("x", "(gross output) must not be negative; computed from Z and Y it is negative for ",
             paste(rn[x < 0], collapse = ", "))
  if (any(va < -tol))
    warning(sprintf("value added is negative for %s: inputs exceed output",
                    paste(rn[va < -tol], collapse = ", ")), call. = FALSE)
  if (imbalance > tol)
    warning(sprintf("supplied `x`/`va` differ from the values implied by `Z` and `Y` (largest absolute difference %.6g)",
                    imbalance), call. = FALSE)
  names(x) <- names(va) <- rn
  new_icio_cache(structure(list(Z = Z, Y = Y, x = x, va = va, countries = countries,
                 sectors = sectors, final_demand = final_demand,
                 G = G, N = N, F = F, splits = splits,
                 destinations = destinations, imbalance = imbalance),
            class = "icio"))
}

# The NaN/Inf policy on sums: finite cells whose row or column sums pass
# the largest double (about 1.8e308) are an error naming the first row or
# column, as a non-finite cell is (see ?`gvcluster-missing`). The condition
# has class "gvcluster_overflow" so that read_icio() can name the file.
icio_check_sums <- function(zr, zc, yr, x_calc, rn) {
  first <- function(v) which(!is.finite(v))[1L]
  hit <- if (!is.na(k <- first(zr))) c("Z", sprintf("the row of %s", rn[k]), zr[k])
    else if (!is.na(k <- first(zc))) c("Z", sprintf("the column of %s", rn[k]), zc[k])
    else if (!is.na(k <- first(yr))) c("Y", sprintf("the row of %s", rn[k]), yr[k])
    else if (!is.na(k <- first(x_calc)))
      c("Z", sprintf("the gross output (row of Z plus row of Y) of %s", rn[k]), x_calc[k])
  if (is.null(hit)) return(invisible())
  msg <- sprintf(paste0(
    "has sums past the largest double (%.3g): %s sums to %s; ",
    "rescale the table (for example to millions) so that its sums are finite"),
    .Machine$double.xmax, hit[2L], hit[3L])
  stop(structure(class = c("gvcluster_overflow", "error", "condition"),
                 list(message = sprintf("`%s` %s", hit[1L], msg), call = NULL,
                      part = hit[1L], detail = msg)))
}

# Split producer blocks (names) and the countries they belong to (values).
check_splits <- function(splits, countries) {
  if (is.null(splits) || length(splits) == 0L)
    return(stats::setNames(character(0), character(0)))
  if (!is.character(splits) || is.null(names(splits)) || anyNA(splits) ||
      anyNA(names(splits)) || any(!nzchar(names(splits))))
    stop_arg("splits", "must be a named character vector: split block = country, ",
             "e.g. c(CN1 = \"CHN\", CN2 = \"CHN\")")
  if (anyDuplicated(names(splits)))
    stop_arg("splits", "names each split block once; repeated: ",
             paste0('"', unique(names(splits)[duplicated(names(splits))]), '"', collapse = ", "))
  miss <- setdiff(c(names(splits), splits), countries)
  if (length(miss))
    stop_arg("splits", "names codes that are not in `countries`: ",
             paste0('"', miss, '"', collapse = ", "))
  if (any(splits %in% names(splits)))
    stop_arg("splits", "maps a split block to another split block: ",
             paste0('"', intersect(splits, names(splits)), '"', collapse = ", "))
  splits
}

# Final demand summed by destination country, one column per producer block
# (split blocks, which are no destinations, get zero columns).
final_by_country <- function(x) {
  G <- x$G; F <- x$F
  dest <- x$destinations
  if (is.null(dest)) dest <- x$countries
  Yd <- x$Y %*% kronecker(diag(length(dest)), matrix(1, F, 1))
  Yc <- matrix(0, nrow(x$Y), G)
  Yc[, match(dest, x$countries)] <- Yd
  dimnames(Yc) <- list(paste(rep(x$countries, each = x$N), rep(x$sectors, G), sep = "."),
                       x$countries)
  Yc
}

dim_text <- function(x) {
  if (is.null(dim(x))) describe(x) else paste(dim(x), collapse = " x ")
}

#' @export
print.icio <- function(x, ...) {
  cat(sprintf("<icio> %d countries x %d sectors, %d final-demand categories\n",
              x$G, x$N, x$F))
  cat("countries:", paste(utils::head(x$countries, 10L), collapse = " "),
      if (x$G > 10L) "..." else "", "\n")
  cat("sectors:  ", paste(utils::head(x$sectors, 10L), collapse = " "),
      if (x$N > 10L) "..." else "", "\n")
  if (length(x$splits))
    cat("split producers:", paste0(names(x$splits), " (", x$splits, ")",
                                   collapse = ", "), "\n")
  cat(sprintf("output %s, value added %s, imbalance %.3g\n",
              format(sum(x$x), big.mark = ","), format(sum(x$va), big.mark = ","),
              x$imbalance))
  invisible(x)
}

#' @export
summary.icio <- function(object, ...) {
  p <- icio_parts(object)
  cc <- p$cc
  # by country, split producer blocks counted with their country
  by_country <- data.frame(
    country = p$countries,
    output = as.vector(rowsum(p$x, cc)),
    value_added = as.vector(rowsum(if (is.null(p$perm)) object$va else object$va[p$perm], cc)),
    exports = as.vector(rowsum(p$E, cc)),
    imports = vapply(seq_len(p$G), function(r) sum(p$ESR[cc != r, r]), 0),
    final_demand = colSums(p$Yc),
    zero_output = as.vector(rowsum(as.integer(p$x == 0), cc)),
    stringsAsFactors = FALSE)
  structure(list(G = object$G, N = object$N, F = object$F,
                 total_output = sum(object$x), total_va = sum(object$va),
                 total_final = sum(object$Y), imbalance = object$imbalance,
                 # world GDP identity: value added = final demand
                 va_minus_final = sum(object$va) - sum(object$Y),
                 by_country = by_country),
            class = "summary.icio")
}

#' @export
print.summary.icio <- function(x, digits = getOption("digits") - 2L, ...) {
  cat(sprintf("ICIO table: %d countries x %d sectors, %d final-demand categories\n",
              x$G, x$N, x$F))
  cat(sprintf("total output %s; value added %s; final demand %s\n",
              format(x$total_output, digits = digits),
              format(x$total_va, digits = digits),
              format(x$total_final, digits = digits)))
  cat(sprintf("balance: value added - final demand = %.3g; supplied x/va imbalance = %.3g\n",
              x$va_minus_final, x$imbalance))
  print(x$by_country, digits = digits, row.names = FALSE)
  invisible(x)
}

# An object of class icio that was not built by icio() (or was modified
# since): an error naming the first inconsistent part, before any arithmetic.
check_icio <- function(x, arg = "x") {
  bad <- function(what)
    stop_arg(arg, "is not a valid `icio` table (", what,
             "); build it with icio() and do not modify its parts")
  if (!is.list(x)) bad(paste("it is", describe(unclass(x))))
  miss <- setdiff(c("Z", "Y", "x", "va", "countries", "sectors", "G", "N", "F"), names(x))
  if (length(miss)) bad(paste0("missing: ", paste(miss, collapse = ", ")))
  cnt <- function(v) is.numeric(v) && length(v) == 1L && !is.na(v) && v >= 1 && v == round(v)
  for (k in c("G", "N", "F")) if (!cnt(x[[k]])) bad(paste0("`", k, "` is not a count"))
  if (length(x$countries) != x$G) bad("`G` differs from the number of countries")
  if (length(x$sectors) != x$N) bad("`N` differs from the number of sectors")
  labs <- function(v) is.character(v) && !anyNA(v) && all(nzchar(v)) && !anyDuplicated(v)
  for (k in c("countries", "sectors"))
    if (!labs(x[[k]])) bad(paste0("`", k, "` are not unique, non-missing codes"))
  if (!is.null(x$final_demand) && (!labs(x$final_demand) || length(x$final_demand) != x$F))
    bad("`final_demand` are not `F` unique category names")
  sp <- tryCatch(check_splits(x$splits, x$countries), error = function(e)
    bad(conditionMessage(e)))
  if (!is.null(x$destinations)) {
    want <- x$countries[!x$countries %in% names(sp)]
    if (!identical(as.vector(x$destinations), want))
      bad(sprintf(paste0("`destinations` (%s) are not the countries without split blocks (%s):",
                         " `splits` or `countries` were changed without them"),
                  paste(utils::head(x$destinations, 6L), collapse = ", "),
                  paste(utils::head(want, 6L), collapse = ", ")))
  }
  n <- x$G * x$N
  num <- function(v) is.numeric(v) && !is.factor(v)
  if (!is.matrix(x$Z) || !num(x$Z) || nrow(x$Z) != n || ncol(x$Z) != n)
    bad(sprintf("`Z` is not a numeric %.0f x %.0f matrix", n, n))
  D <- if (is.null(x$destinations)) x$G else length(x$destinations)
  if (!is.matrix(x$Y) || !num(x$Y) || nrow(x$Y) != n || ncol(x$Y) != D * x$F)
    bad(sprintf("`Y` is not a numeric %.0f x %.0f matrix", n, D * x$F))
  if (!num(x$x) || length(x$x) != n) bad(sprintf("`x` is not %.0f numbers", n))
  if (!num(x$va) || length(x$va) != n) bad(sprintf("`va` is not %.0f numbers", n))
  for (k in c("Z", "Y", "x", "va")) {
    if (anyNA(x[[k]]) || any(is.infinite(x[[k]])))
      bad(paste0("`", k, "` holds NA, NaN or infinite values"))
  }
  invisible(x)
}

# ---- the per-table cache -----------------------------------------------------
#
# A table factorises once. Its cache is an environment held by an external
# pointer in the attribute "gvc_cache" (see gvc_cache_new() in src/gvc.c):
# serialize() writes no address, so saveRDS() carries no cache, and copies
# made with `y <- x` share it. Two guards keep a modified copy from being
# served stale results: the replacement methods `$<-`, `[[<-` and `[<-`
# give the copy a fresh, empty cache (unless the part replaced is outside
# the fingerprint, see icio_revalidate()), and every use compares the matrices
# the cache was built from with the table's own (identical(), which returns
# at once for the same objects and compares contents otherwise), emptying
# the cache on a mismatch. What it holds, lazily: the shared parts (final
# demand and exports by destination, a permuted Z when there are splits),
# the LU of I - A (n^2 doubles), the LU factors of the local blocks, the
# diagonal blocks B_ss of the global inverse when a method needs them, and
# products with G columns (V B, B Y, ...).

new_icio_cache <- function(x) {
  attr(x, "gvc_cache") <- .Call(ffi_gvc_cache_new, new.env(parent = emptyenv()))
  x
}

#' @export
`$<-.icio` <- function(x, name, value) icio_replace(x, name, value)

#' @export
`[[<-.icio` <- function(x, i, value) icio_replace(x, i, value)

#' @export
`[<-.icio` <- function(x, i, value) {
  u <- unclass(x)
  u[i] <- value
  nm <- if (is.character(i)) i else names(u)[i]
  icio_revalidate(unclass(x), u, nm)
}

# A part replaced: the copy gets a fresh cache. New labels (countries,
# sectors, final-demand categories) relabel the whole table: the names of
# Z, Y, x and va, the destinations and the split blocks follow them. A
# replaced label or structural part (splits, destinations, G, N, F) is
# checked at once; the numbers are checked when the table is used.
icio_replace <- function(x, name, value) {
  u <- unclass(x)
  u[[name]] <- value
  icio_revalidate(unclass(x), u, if (is.character(name)) name else names(u)[name])
}

icio_label_parts <- c("countries", "sectors", "final_demand")
icio_structure_parts <- c(icio_label_parts, "splits", "destinations", "G", "N", "F")

# The parts every cached result depends on (the cache's fingerprint).
icio_fingerprint_parts <- c("Z", "Y", "x", "va", "splits", "countries", "sectors",
                            "destinations", "final_demand", "G", "N", "F")

# A part outside the fingerprint (`year`, `source`, `primary`, as read_icio()
# sets them) changes no result: the copy keeps sharing the cache, so no
# throwaway cache is built while a table is read.
icio_revalidate <- function(old, u, names) {
  for (k in intersect(names, icio_label_parts)) u <- icio_relabel(old, u, k)
  y <- structure(u, class = "icio")
  if (!is.character(names) || anyNA(names) || any(names %in% icio_fingerprint_parts))
    y <- new_icio_cache(y)
  if (any(names %in% icio_structure_parts)) check_icio(y)
  y
}

# Labels `k` replaced in `u` (a copy of `old`): the parts named by them
# follow, when the new labels are as many as the old and unique.
icio_relabel <- function(old, u, k) {
  new <- u[[k]]
  prev <- old[[k]]
  if (!is.character(new) || anyNA(new) || !all(nzchar(new)) || length(new) != length(prev) ||
      anyDuplicated(new))
    stop_arg(k, sprintf("must be %d unique, non-empty %s (one for each of the table's)",
                        length(prev), switch(k, countries = "country codes",
                                             sectors = "sector codes",
                                             final_demand = "category names")))
  if (k == "countries") {
    if (!is.null(old$destinations))
      u$destinations <- new[match(old$destinations, prev)]
    if (length(old$splits))
      u$splits <- stats::setNames(new[match(old$splits, prev)], new[match(names(old$splits), prev)])
  }
  icio_name_parts(u)
}

# The dimnames of Z and Y and the names of x and va, from the labels.
icio_name_parts <- function(u) {
  dest <- if (is.null(u$destinations)) u$countries else u$destinations
  rn <- paste(rep(u$countries, each = length(u$sectors)), rep(u$sectors, length(u$countries)), sep = ".")
  fd <- if (is.null(u$final_demand)) paste0("F", seq_len(u$F)) else u$final_demand
  fn <- paste(rep(dest, each = length(fd)), rep(fd, length(dest)), sep = ".")
  if (is.matrix(u$Z) && all(dim(u$Z) == length(rn))) dimnames(u$Z) <- list(rn, rn)
  if (is.matrix(u$Y) && nrow(u$Y) == length(rn) && ncol(u$Y) == length(fn))
    dimnames(u$Y) <- list(rn, fn)
  if (length(u$x) == length(rn)) names(u$x) <- rn
  if (length(u$va) == length(rn)) names(u$va) <- rn
  u
}

# The cache of a table, emptied when the table is no longer the one it was
# built from; a throwaway environment for tables without one (read back
# with readRDS(), or made before caches existed) and for an attribute that
# is not a cache of this package (ffi_gvc_cache_env() recognises its own
# pointers and returns NULL for anything else). The fingerprint holds every
# part a result depends on, labels included.
icio_cache <- function(x) {
  key <- attr(x, "gvc_cache", exact = TRUE)
  env <- if (typeof(key) == "externalptr") .Call(ffi_gvc_cache_env, key) else NULL
  if (!is.environment(env)) env <- new.env(parent = emptyenv())
  u <- unclass(x)
  fp <- lapply(icio_fingerprint_parts, function(k) u[[k]])
  if (!is.null(env$.fp) && !identical(env$.fp, fp)) {
    rm(list = ls(env, all.names = TRUE), envir = env)
  }
  if (is.null(env$.fp)) env$.fp <- fp
  env
}

# The value `name` of the cache, computed by `expr` on first use.
memo <- function(env, name, expr) {
  v <- env[[name]]
  if (is.null(v)) {
    v <- expr
    assign(name, v, envir = env)
  }
  v
}

# Everything the measures share, computed once from an icio (and cached).
#
# The computations see D "countries": the final-demand destinations, each
# with its split producer blocks (OECD's CN1/CN2 for CHN), so flows between
# a country and its splits are domestic. Rows are permuted to make each
# country's blocks contiguous (block s spans rows bounds[s] + 1 ..
# bounds[s + 1]); without splits the permutation is the identity and Z is
# not copied. A = Z diag(inv) is never formed.
icio_parts <- function(x) {
  env <- icio_cache(x)
  p <- memo(env, "parts", {check_icio(x); build_parts(x)})
  p$cache <- env
  p
}

build_parts <- function(x) {
  G0 <- x$G; N <- x$N; n <- G0 * N; F <- x$F
  splits <- x$splits
  if (is.null(splits)) splits <- stats::setNames(character(0), character(0))
  dest <- x$destinations
  if (is.null(dest)) dest <- x$countries
  D <- length(dest)
  parent <- x$countries
  parent[match(names(splits), parent)] <- splits
  pidx <- match(parent, dest)
  bord <- order(pidx, parent != x$countries, seq_len(G0))
  same <- identical(bord, seq_len(G0))
  perm <- as.vector(outer(seq_len(N), (bord - 1L) * N, "+"))
  Z <- if (same) x$Z else x$Z[perm, perm]
  xx <- x$x[perm]
  inv <- ifelse(xx > 0, 1 / xx, 0)
  per <- tabulate(pidx, D) * N
  bounds <- as.integer(c(0L, cumsum(per)))
  cc <- rep(seq_len(D), per)
  own <- cbind(seq_len(n), cc)
  Yp <- if (same) x$Y else x$Y[perm, , drop = FALSE]
  Yc <- matrix(0, n, D)
  for (d in seq_len(D)) Yc[, d] <- rowSums(Yp[, (d - 1L) * F + seq_len(F), drop = FALSE])
  ESR <- .Call(ffi_gvc_ablock, Z, matrix(1, n, 1L), bounds) + Yc
  ESR[own] <- 0
  rn <- paste(rep(x$countries, each = N), rep(x$sectors, G0), sep = ".")[perm]
  dimnames(Yc) <- dimnames(ESR) <- list(rn, dest)
  blk <- rep(x$countries[bord], each = N)
  list(Z = Z, inv = inv, v = x$va[perm] * inv, x = xx, Yc = Yc, ESR = ESR,
       E = rowSums(ESR), cc = cc, own = own, G = D, N = N, n = n,
       bounds = bounds, countries = dest, sectors = x$sectors, rn = rn,
       row_ctry = dest[cc], row_block = blk, row_sector = rep(x$sectors, G0),
       perm = if (same) NULL else perm, has_splits = length(splits) > 0L,
       blocks = x$countries)
}

# n x G matrix with vector h on its own country's column (block diagonal).
blockcol <- function(h, p) {
  m <- matrix(0, p$n, p$G)
  m[p$own] <- h
  m
}

# Solvers on the one (cached) LU of I - A (C, LAPACK dgetrf/dgetrs), checked
# once for (numerical) singularity: A = Z diag(inv) is never formed, its
# column sums and the 1-norm of I - A come from Z's column sums.
lu_of <- function(p) memo(p$cache, "lu", {
  lu_checked(lu_regular(.Call(ffi_gvc_lu_z, p$Z, p$inv)), colSums(p$Z) * p$inv,
             iminusa_norm1(p), p$n, p$rn)
})

# ||I - A||_1 from Z's column sums and diagonal (Z is not negative).
iminusa_norm1 <- function(p) {
  if (!p$n) return(0)
  cz <- colSums(p$Z) * p$inv
  dz <- diag(p$Z) * p$inv
  max(abs(1 - dz) + cz - dz)
}

# The LU factors of the diagonal blocks I - A_ss, cached.
local_of <- function(p) memo(p$cache, "local", .Call(ffi_gvc_blocks_lu, p$Z, p$inv, p$bounds))

# I - A whose reciprocal condition number (1-norm) is below this is treated as
# singular: the inverse would keep fewer than about 4 correct digits.
leontief_rcond_min <- 1e-12

# The LU of M = I - A, an error when M is (numerically) singular: it gives
# the reciprocal condition number and, as a hint, the sectors whose input
# coefficients (column sums of A) are 1 or more; when M is regular but such
# sectors exist (negative value added), a warning names them. With
# `inverse = TRUE` the inverse B is computed (returned as `$B`) and the
# condition number is exact, otherwise it uses Hager's estimate of
# ||M^-1||_1 from a few solves with the LU.
leontief_lu <- function(M, A, names, arg = "x", inverse = FALSE) {
  n <- nrow(M)
  lu <- lu_regular(.Call(ffi_gvc_lu, unname(M)))
  B <- if (inverse && !is.null(lu)) .Call(ffi_gvc_lu_inverse, lu$lu, lu$ipiv)
  lu <- lu_checked(lu, colSums(A), .Call(ffi_gvc_norm1, M, 0L), n, names, arg, B)
  if (inverse) lu$B <- B
  lu
}

# A factorisation, or NULL when LAPACK met an exactly zero pivot (the
# status `zero_pivot` that C returns with the factors).
lu_regular <- function(lu) {
  if (lu$zero_pivot > 0L) NULL else lu
}

# The checks of leontief_lu() on a factorisation `lu` of M = I - A (NULL when
# exactly singular), given the column sums `cs` of A and the 1-norm of M;
# with the inverse `B` the condition number is exact, without it estimated.
lu_checked <- function(lu, cs, norm_M, n, names, arg = "x", B = NULL) {
  if (is.null(lu)) leontief_singular(0, cs, names, arg)
  if (n > 0L) {
    ninv <- if (!is.null(B)) .Call(ffi_gvc_norm1, B, 0L) else lu_inv_norm1(lu, n)
    rc <- 1 / (norm_M * ninv)
    if (!is.finite(rc) || rc < leontief_rcond_min)
      leontief_singular(if (is.finite(rc)) rc else 0, cs, names, arg)
  }
  hi <- which(cs >= 1)
  if (length(hi))
    warning(sprintf(paste0(
      "the input coefficients (column sums of A) are 1 or more for %s",
      " (negative value added); I - A is regular, so the inverse is computed"),
      coefficients_hint(cs, names)), call. = FALSE)
  lu
}

# The sectors whose input coefficients (column sums `cs` of A) are 1 or more.
coefficients_hint <- function(cs, names) {
  hi <- which(cs >= 1)
  lab <- if (is.null(names)) paste("column", hi) else names[hi]
  paste0(paste(utils::head(sprintf("%s (sum %.6g)", lab, cs[hi]), 10L), collapse = ", "),
         if (length(hi) > 10L) sprintf(" and %d more", length(hi) - 10L) else "")
}

# The error for a (numerically) singular I - A of reciprocal condition rc.
leontief_singular <- function(rc, cs, names, arg = "x") {
  stop_arg(arg, sprintf(paste0(
    "gives a singular or numerically singular I - A: its reciprocal condition",
    " number is %.3g (below %g), so the Leontief inverse is not reliable%s"),
    rc, leontief_rcond_min,
    if (any(cs >= 1)) paste0("; the input coefficients (column sums of A) are 1 or more for ",
                             coefficients_hint(cs, names)) else ""))
}

# Hager's (1984) estimate of the 1-norm of M^-1 from the LU of M (Higham's
# refinement of its start), a lower bound that is nearly always within a
# factor 3: a few O(n^2) solves instead of the O(n^3) inverse.
lu_inv_norm1 <- function(lu, n) {
  x <- rep(1 / n, n)
  est <- 0
  for (it in 1:5) {
    y <- as.vector(lu_solve(lu, x))
    if (!all(is.finite(y))) return(Inf)
    est_new <- sum(abs(y))
    z <- as.vector(lu_solve(lu, ifelse(y >= 0, 1, -1), trans = TRUE))
    if (!all(is.finite(z))) return(Inf)
    j <- which.max(abs(z))
    if (it > 1L && (est_new <= est || abs(z[j]) <= sum(z * x))) {
      est <- max(est, est_new)
      break
    }
    est <- est_new
    x <- numeric(n); x[j] <- 1
  }
  # Higham's alternating vector catches the cases Hager's start misses
  alt <- (-1)^(seq_len(n) + 1) * (1 + (seq_len(n) - 1) / max(n - 1, 1))
  y <- as.vector(lu_solve(lu, alt))
  if (!all(is.finite(y))) return(Inf)
  max(est, 2 * sum(abs(y)) / (3 * n))
}
lu_solve <- function(lu, R, trans = FALSE) {
  if (!is.matrix(R)) R <- matrix(R, ncol = 1L)
  storage.mode(R) <- "double"
  .Call(ffi_gvc_lu_solve, lu$lu, lu$ipiv, R, as.integer(trans))
}
# blockdiag(I - A_ss)^-1 R (or its transpose), on cached local factors.
local_solve <- function(p, R, trans = FALSE) {
  if (!is.matrix(R)) R <- matrix(R, ncol = 1L)
  storage.mode(R) <- "double"
  lf <- local_of(p)
  .Call(ffi_gvc_blocks_solve, lf$lu, lf$piv, p$bounds, R, as.integer(trans))
}
# out[(s,j), r] = A_sr h_r (h a vector) or A_sr H[(r), s] (H with G columns)
ablock <- function(p, H) {
  if (!is.matrix(H)) H <- matrix(H, ncol = 1L)
  .Call(ffi_gvc_ablock, p$Z, H * p$inv, p$bounds)
}

#' Leontief inverse of an ICIO table
#'
#' The global Leontief inverse `B = (I - A)^-1` and the local (domestic)
#' inverses `L_ss = (I - A_ss)^-1` of every country's domestic block.
#' `B` comes from one LU factorisation of `I - A` (LAPACK `dgetrf`) and
#' `dgetri`, for a table the same factorisation [gvc_decompose()] uses and
#' keeps with the table; the local inverses from the LU factors of the
#' `N x N` domestic blocks (`dgetrf`, `dgetrs`). Besides its result it
#' allocates at most three `n x n` matrices (the factors; for a table with
#' split producer blocks also the inverse in the permuted order and a
#' permuted `Z`).
#'
#' @section Singular tables:
#' When `I - A` is singular or numerically singular, that is when its
#' reciprocal condition number in the 1-norm, `1 / (||I - A||_1 ||B||_1)`,
#' is below `1e-12` (the inverse would keep fewer than about four correct
#' digits), `leontief()` stops with an error that gives the reciprocal
#' condition number and, as a hint, the sectors whose input coefficients
#' (column sums of `A`) are 1 or more. A table with a few such sectors
#' (negative value added) whose `I - A` is still regular is inverted, with a
#' warning naming them. [gvc_decompose()] and [gvc_index()], which factor
#' `I - A` without always forming `B`, apply the same rule to an estimate of
#' the condition number (Hager's 1-norm estimator, a few solves with the LU).
#' Non-finite values in `x` are an error (see [gvcluster-missing]).
#'
#' @param x An [icio()] table, or a square numeric matrix `A` of technical
#'   coefficients (then there is one "country" unless `N` is given).
#' @param N For a matrix `A`: the number of sectors per country (the block
#'   size of the local inverses); default `nrow(A)`.
#' @return The `n x n` matrix `B` with dimnames `"CHN.S1"` etc. (for a
#'   matrix input, its dimnames or none), and attribute `"local"`: an
#'   `N x N x G` array whose slice `[, , s]` is `(I - A_ss)^-1`, with
#'   dimnames sectors x sectors x countries. The class is
#'   `c("leontief", "matrix", "array")`; `unclass()` or `as.matrix()` give
#'   the plain matrix.
#' @seealso [gvcluster-missing] for NA, NaN, Inf and extreme magnitudes.
#' @examples
#' B <- leontief(icio_example)
#' dim(B)
#' attr(B, "local")[, , "CHN"]
#' # each column of B times (I - A) gives the identity
#' A <- matrix(c(0.2, 0.1, 0.3, 0.4), 2)
#' all.equal(unclass(leontief(A)), solve(diag(2) - A), check.attributes = FALSE)
#' @export
leontief <- function(x, N = NULL) {
  if (inherits(x, "icio")) return(leontief_icio(x))
  A <- check_numeric(x, "x", allow_na = FALSE, finite = TRUE)
  if (!is.matrix(A) || nrow(A) != ncol(A))
    stop_arg("x", "must be an `icio` table or a square matrix of technical coefficients")
  n <- nrow(A)
  if (n == 0L) stop_arg("x", "is an empty (0 x 0) matrix: there is nothing to invert")
  if (is.null(N)) N <- n
  if (!is.numeric(N) || length(N) != 1L || is.na(N) || N != round(N) || N < 1 ||
      N > n || n %% N != 0)
    stop_arg("N", sprintf("must divide nrow(x) = %d (a whole number of sectors per country)", n))
  N <- as.integer(N)
  if (!is.double(A)) storage.mode(A) <- "double"
  one <- rep(1, n)
  # I - A formed in the LU's own storage (A times 1): the LU and B are the
  # only n x n matrices allocated
  lu <- lu_regular(.Call(ffi_gvc_lu_z, A, one))
  B <- if (!is.null(lu)) .Call(ffi_gvc_lu_inverse, lu$lu, lu$ipiv)
  lu_checked(lu, colSums(A), .Call(ffi_gvc_norm1, A, 1L), n, dimnames(A)[[2L]], "x", B)
  rm(lu)
  bounds <- as.integer(seq.int(0L, n, by = N))
  loc <- local_inverses(.Call(ffi_gvc_blocks_lu, A, one, bounds), bounds, N)
  # attributes set here, not in a helper: B passed to a function and
  # modified there would be copied
  dimnames(B) <- dimnames(A)
  attr(B, "local") <- loc
  class(B) <- c("leontief", "matrix", "array")
  B
}

# leontief() of a table: the inverse from the decompositions' LU of I - A
# (cached with the table; its singularity check there is an estimate, the
# exact one follows from B), the local inverses from the cached factors of
# the domestic blocks. A table with split blocks is factored in its
# permuted order (a country's blocks together) and B is put back in the
# table's; its local inverses are those of every producer block, split
# blocks apart. At most four n x n matrices: the LU, B, B reordered (splits
# only) and the permuted Z (splits only, cached).
leontief_icio <- function(x) {
  p <- icio_parts(x)                   # checks the table
  lu <- lu_of(p)
  B <- .Call(ffi_gvc_lu_inverse, lu$lu, lu$ipiv)
  cs <- colSums(p$Z) * p$inv
  if (p$n > 0L) {
    rc <- 1 / (iminusa_norm1(p) * .Call(ffi_gvc_norm1, B, 0L))
    if (!is.finite(rc) || rc < leontief_rcond_min)
      leontief_singular(if (is.finite(rc)) rc else 0, cs, p$rn)
  }
  N <- x$N
  if (p$has_splits) {
    ip <- order(p$perm)
    B <- B[ip, ip]
    xx <- x$x
    bounds <- as.integer(seq.int(0L, p$n, by = N))
    lf <- .Call(ffi_gvc_blocks_lu, x$Z, ifelse(xx > 0, 1 / xx, 0), bounds)
  } else {
    bounds <- p$bounds
    lf <- local_of(p)
  }
  loc <- local_inverses(lf, bounds, N)
  dimnames(loc) <- list(x$sectors, x$sectors, x$countries)
  dimnames(B) <- dimnames(x$Z)
  attr(B, "local") <- loc
  class(B) <- c("leontief", "matrix", "array")
  B
}

# The local inverses (I - A_ss)^-1 of blocks of N from their LU factors:
# an N x N x G array.
local_inverses <- function(lf, bounds, N) {
  n <- bounds[length(bounds)]
  G <- n %/% N
  I <- matrix(0, n, N)
  I[cbind(seq_len(n), rep(seq_len(N), G))] <- 1
  L <- .Call(ffi_gvc_blocks_solve, lf$lu, lf$piv, bounds, I, 0L)
  aperm(array(L, c(N, G, N)), c(1L, 3L, 2L))
}

#' @export
print.leontief <- function(x, ...) {
  loc <- attr(x, "local")
  cat(sprintf("<leontief> %d x %d global inverse (I - A)^-1; %d local inverses of %d x %d\n",
              nrow(x), ncol(x), dim(loc)[3], dim(loc)[1], dim(loc)[2]))
  m <- unclass(x); attr(m, "local") <- NULL
  k <- min(nrow(m), 6L)
  print(m[seq_len(k), seq_len(k), drop = FALSE], digits = 4)
  if (nrow(m) > k) cat("...\n")
  invisible(x)
}

#' @export
as.matrix.leontief <- function(x, ...) {
  m <- unclass(x)
  attr(m, "local") <- NULL
  m
}
