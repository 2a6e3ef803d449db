#' Aggregate an ICIO table into country and sector groups
#'
#' Sums the rows and columns of an [icio()] table into groups of countries
#' (e.g. the EU27) and of sectors (e.g. ISIC sections): intermediate flows,
#' final demand (by destination group), value added (and each primary-input
#' row) and output are summed over the members, so the table's accounting
#' identities (output = row sums of `Z` and `Y` = column sums of `Z` plus
#' value added) hold after as before. Codes not named by any group stay on
#' their own. This changes the table, and with it every value-chain figure
#' computed from it (flows inside a group stop being exports): it is the
#' user's choice to lose detail.
#'
#' Split producer blocks (the OECD tables' `CN1`, `CN2`, `MX1`, `MX2`) are
#' never merged unless a group names them: a group of split blocks only
#' (say `list(CNX = c("CN1", "CN2"))`) stays a split block of its country;
#' a group that names a split block together with other countries
#' (`list(CHN = c("CHN", "CN1", "CN2"))`) becomes an ordinary country, and
#' the other split blocks stay splits of that group.
#'
#' @param x An [icio()] table.
#' @param countries Country groups: a named list of character vectors of
#'   country codes (`list(EU = c("DEU", "FRA"))`), or a concordance data
#'   frame whose first column holds country codes of the table and whose
#'   second column holds the group of each. `NULL` keeps the countries.
#' @param sectors Sector groups, in the same two forms (e.g. industry codes
#'   to ISIC sections). `NULL` keeps the sectors.
#' @param ... Unused.
#' @return An [icio()] table with the groups in the order of their first
#'   member in `x`; `year`, `source` and `primary` (summed) are kept.
#' @examples
#' agg <- aggregate(icio_example, countries = list(DJ = c("DEU", "JPN")),
#'                  sectors = data.frame(code = icio_example$sectors,
#'                                       group = c("A", "B", "B", "C")))
#' agg
#' all.equal(sum(agg$va), sum(icio_example$va))
#' @importFrom stats aggregate
#' @export
aggregate.icio <- function(x, countries = NULL, sectors = NULL, ...) {
  check_icio(x)
  cmap <- group_map(countries, x$countries, "countries", "country")
  smap <- group_map(sectors, x$sectors, "sectors", "sector")
  G <- x$G; N <- x$N
  ng <- unique(cmap); ns <- unique(smap)
  # splits after grouping: a group is a split block when all its members are
  splits <- x$splits
  if (is.null(splits)) splits <- stats::setNames(character(0), character(0))
  new_splits <- character(0)
  for (g in ng) {
    memb <- x$countries[cmap == g]
    if (all(memb %in% names(splits))) {
      par <- unique(cmap[match(splits[memb], x$countries)])
      if (length(par) != 1L)
        stop_arg("countries", sprintf("group \"%s\" joins split blocks of different countries (%s)",
                                      g, paste(unique(splits[memb]), collapse = ", ")))
      if (par == g)
        stop_arg("countries", sprintf("group \"%s\" of split blocks takes the name of their country", g))
      new_splits[g] <- par
    }
  }
  # a split block's parent must stay a destination
  dest_new <- setdiff(ng, names(new_splits))
  bad <- setdiff(unname(new_splits), dest_new)
  if (length(bad))
    stop_arg("countries", "leaves split blocks whose country is itself grouped away: ",
             paste(bad, collapse = ", "))
  rkey <- (match(rep(cmap, each = N), ng) - 1L) * length(ns) + match(rep(smap, G), ns)
  Zr <- rowsum(x$Z, rkey, reorder = TRUE)
  Z <- t(rowsum(t(Zr), rkey, reorder = TRUE))
  Yr <- rowsum(x$Y, rkey, reorder = TRUE)
  dest <- x$destinations
  if (is.null(dest)) dest <- x$countries
  F <- x$F
  ckey <- (match(rep(cmap[match(dest, x$countries)], each = F), dest_new) - 1L) * F +
    rep(seq_len(F), length(dest))
  if (anyNA(ckey))
    stop_arg("countries", "groups a final-demand country into a group of split blocks")
  Y <- t(rowsum(t(Yr), ckey, reorder = TRUE))
  xs <- as.vector(rowsum(x$x, rkey, reorder = TRUE))
  vas <- as.vector(rowsum(x$va, rkey, reorder = TRUE))
  # the Inf policy on the sums of the groups, as icio() applies it to a table
  for (part in list(list("Z", Z), list("Y", Y), list("x", xs), list("va", vas))) {
    if (!all(is.finite(part[[2L]])))
      stop_arg("x", sprintf(paste0(
        "summed into these groups has `%s` cells past the largest double (%.3g); ",
        "rescale the table (for example to millions) before aggregating it"),
        part[[1L]], .Machine$double.xmax))
  }
  out <- icio(unname(Z), unname(Y), ng, ns, x$final_demand, x = xs, va = vas,
              splits = if (length(new_splits)) new_splits else NULL)
  out$year <- x$year
  out$source <- x$source
  if (!is.null(x$primary)) {
    pr <- t(rowsum(t(x$primary), rkey, reorder = TRUE))
    colnames(pr) <- rownames(out$Z)
    out$primary <- pr
  }
  out
}

# Named vector: original code -> group, from a named list or a concordance
# data frame (code, group).
group_map <- function(groups, codes, arg, what) {
  map <- stats::setNames(codes, codes)
  if (is.null(groups)) return(map)
  if (is.data.frame(groups)) {
    if (ncol(groups) < 2L)
      stop_arg(arg, "as a data frame must have two columns: ", what, " code and group")
    from <- as.character(groups[[1L]]); to <- as.character(groups[[2L]])
    if (anyNA(from) || anyNA(to)) stop_arg(arg, "must not contain NA codes or groups")
    if (anyDuplicated(from))
      stop_arg(arg, "lists a ", what, " code twice: ",
               paste0('"', unique(from[duplicated(from)]), '"', collapse = ", "))
  } else if (is.list(groups) && length(groups) && !is.null(names(groups))) {
    nm <- names(groups)
    if (anyNA(nm) || !all(nzchar(nm)))
      stop_arg(arg, sprintf("has a group without a name (group %d is named %s): every group needs a name, as in list(EU = c(\"DEU\", \"FRA\"))",
                            which(is.na(nm) | !nzchar(nm))[1L],
                            if (anyNA(nm[which(is.na(nm) | !nzchar(nm))[1L]])) "NA" else "\"\""))
    if (!all(vapply(groups, is.character, TRUE)))
      stop_arg(arg, "must list ", what, " codes as character vectors")
    if (anyNA(unlist(groups, use.names = FALSE)))
      stop_arg(arg, "must not contain NA ", what, " codes")
    from <- unlist(groups, use.names = FALSE)
    to <- rep(names(groups), lengths(groups))
    if (anyDuplicated(from))
      stop_arg(arg, "puts a ", what, " in two groups: ",
               paste0('"', unique(from[duplicated(from)]), '"', collapse = ", "))
  } else {
    stop_arg(arg, "must be a named list of ", what, " codes or a concordance data frame ",
             "(code, group), not ", describe(groups))
  }
  bad <- setdiff(from, codes)
  if (length(bad))
    stop_arg(arg, "names ", what, " codes that are not in the table: ",
             paste0('"', utils::head(bad, 10L), '"', collapse = ", "),
             if (length(bad) > 10L) sprintf(" and %d more", length(bad) - 10L) else "")
  clash <- intersect(unique(to), setdiff(codes, from))
  if (length(clash))
    stop_arg(arg, "uses group names that are codes left on their own: ",
             paste0('"', clash, '"', collapse = ", "))
  map[from] <- to
  map
}
