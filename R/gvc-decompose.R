# Value-added decompositions of gross exports (KWW, WWZ, Borin-Mancini,
# Leontief/HIY) and production-based participation (WWYZ).
#
# Notation (comments and help): s exporter, r importer, t third country;
# V_s value-added coefficients of s, B global and L_ss local Leontief
# inverses, A_sr technical coefficients, Y_sr final demand of r for s's
# goods, E_s* gross exports. Everything is computed from one LU of I - A:
# transposed solves give VB (G x n: VB[t, (s,j)] = (V_t B_ts)_j) with G
# right-hand sides; N x N solves give the local terms; gvc_ablock() forms
# the A_sr h_r products in one pass over A. Only WWZ and Borin-Mancini need
# diagonal blocks B_rr of the global inverse, and take them from one full
# inverse (dgetri) which can be shared through `leontief =`.

kww_names <- c("DVA_FIN", "DVA_INT", "DVA_INTrex", "RDV_FIN", "RDV_INT",
               "DDC", "FVA_FIN", "FVA_INT", "FDC")
wwz_names <- c("DVA_FIN", "DVA_INT", "DVA_INTrexI1", "DVA_INTrexF",
               "DVA_INTrexI2", "RDV_FIN", "RDV_FIN2", "RDV_INT", "DDC_FIN",
               "DDC_INT", "MVA_FIN", "OVA_FIN", "MVA_INT", "OVA_INT", "MDC",
               "ODC")
bm_names <- c("GEXP", "DC", "DVA", "VAX", "DAVAX", "REF", "DDC", "FC", "FVA",
              "FDC", "GVC", "GVCB", "GVCF")

#' Decompose gross exports by the origin of their value added
#'
#' Gross exports of an [icio()] table broken down into domestic and foreign
#' value added and double counting, by the methods in use in the
#' global-value-chain literature.
#'
#' * `"leontief"`: Hummels, Ishii and Yi (2001) / Leontief origin of gross
#'   exports, `diag(v) B diag(E)`. Columns `E` (gross exports), `DV`
#'   (domestic value added in exports, `V_s B_ss E_s`), `FV` (foreign value
#'   added, `sum_t!=s V_t B_ts E_s`, the VS measure) and `IV` (VS1: value
#'   added of the country, or country-sector, embodied in other countries'
#'   gross exports, a forward measure). At `level = "sector"` `DV` and `FV`
#'   refer to the exporting sector and `IV` to the sector of origin. The
#'   full origin x exporter matrix is element `origin`.
#' * `"kww"`: Koopman, Wang and Wei (2014), nine terms per exporting
#'   country (`level = "country"` only): `DVA_FIN DVA_INT DVA_INTrex RDV_FIN
#'   RDV_INT DDC FVA_FIN FVA_INT FDC`, summing to `GEXP`.
#' * `"wwz"`: Wang, Wei and Zhu (2013), sixteen terms per exporting
#'   country-sector and importer (`level = "bilateral"`, default), summed
#'   over importers (`"sector"`) or sectors and importers (`"country"`).
#'   KWW terms are sums of WWZ terms: `DVA_INTrex` = `DVA_INTrexI1 +
#'   DVA_INTrexF + DVA_INTrexI2`, `RDV_FIN` = `RDV_FIN + RDV_FIN2`, `DDC` =
#'   `DDC_FIN + DDC_INT`, `FVA_FIN` = `MVA_FIN + OVA_FIN`, `FVA_INT` =
#'   `MVA_INT + OVA_INT`, `FDC` = `MDC + ODC` (see [wwz_to_kww()]; the
#'   split of value-added exports between `DVA_INT` and `DVA_INTrex`
#'   differs between the two papers).
#' * `"bm"`: Borin and Mancini (2019, 2023), with the perspectives,
#'   approaches and flows of the Stata command `icio` (Belotti, Borin and
#'   Mancini 2021); each of `perspective`, `approach` and `flow` takes one
#'   value, the first by default:
#'   - `perspective = "exporter"` (default), `approach = "source"`
#'     (default): value added recorded the first time it leaves the
#'     country. Terms `GEXP DC DVA VAX DAVAX REF DDC FC FVA FDC GVC GVCB
#'     GVCF`, with `DC = V_s B_ss E_s*`, `DVA = V_s L_ss E_s*` (the
#'     exports of `s` extracted: `B^(s)_ss = L_ss`), `FVA = sum_t!=s V_t
#'     B_ts B_ss^-1 L_ss E_s*`, `DAVAX = V_s L_ss (Y_sr + A_sr L_rr Y_rr)`
#'     and `VAX = V_s L_ss (Y_sr + A_sr (x_r - sum_k B_rk Y_ks))`; the
#'     identities `GEXP = DC + FC`, `DC = DVA + DDC`, `DVA = VAX + REF`,
#'     `FC = FVA + FDC`, `GVC = GEXP - DAVAX = GVCB + GVCF`, `GVCB = DDC +
#'     FC` (backward) and `GVCF = DVA - DAVAX` (forward). Country, sector
#'     or bilateral (exporting country-sector x importer).
#'   - `perspective = "exporter"`, `approach = "sink"`: value added
#'     recorded the last time it leaves the exporter; terms `GEXP DC DVA
#'     VAX REF DDC FC FVA FDC` at sector and bilateral level (at country
#'     level source and sink coincide and the source terms are given).
#'   - `perspective = "world"`, `approach = "source"` or `"sink"` (country
#'     level): value added counted once in world trade; only `FVA` (and so
#'     `FDC`) differs from the exporter perspective. The world perspective
#'     with the sink approach is the corrected KWW decomposition (Borin and
#'     Mancini 2019, sect. 4: KWW's split of foreign value added and double
#'     counting, made consistent).
#'   - `perspective = "self"` (sector, bilateral): the exporter's value
#'     added and foreign inputs counted once in its own exports.
#'   - `perspective = "importer"` with `flow = "imports"` (either implies
#'     the other): gross imports `GIMP = VA + DC` of each importer split
#'     into value added and double counting, at country level or by
#'     importer x country of origin (`level = "bilateral"`, column
#'     `origin`).
#'   The bilateral `VAXIM` term of the R package icio (exporter/sink) is
#'   not offered: it needs every off-diagonal block of the global inverse.
#' * `"tiva"`: TiVA-style indicators (OECD Trade in Value Added; Johnson
#'   and Noguera 2012) per exporting country or country-sector: `GEXP`,
#'   `DVA = V_s B_ss E_s*` (TiVA EXGR_DVA), `FVA = sum_t!=s V_t B_ts E_s*`
#'   (EXGR_FVA), value added `VA`, value-added exports `VAX = v_i sum_d!=s
#'   (B Y)_id` (by sector of origin, absorbed abroad), `DVA_share =
#'   DVA / GEXP` (EXGR_DVASH), `FVA_share` and the VAX ratio `VAX_ratio =
#'   VAX / GEXP`. Element `extra` holds the matrices: `va_fd`, value added
#'   by origin country (rows) and destination of final demand (columns),
#'   `V B Y` (TiVA FD_VA); `va_fd_sector`, the same by origin
#'   country-sector; `va_origin`, value added by source country (rows) in
#'   each country's gross exports (columns), `V B diag(E)`: the diagonal
#'   is `DVA`, the columns without it foreign value added by source.
#' * `"bmt"`: Borin, Mancini and Taglioni (2025) trade-based tripartite
#'   GVC participation. Exports split into what the direct importer
#'   absorbs, `h1 = Y_sr + A_sr L_rr Y_rr`, and what it re-exports, `h2 =
#'   A_sr L_rr e_r*`; the output `L_ss h` that `s` needs for each splits
#'   into domestic value added `V_s L_ss h` and imported inputs `m_s L_ss h`
#'   (`m_s` the column sums of the foreign blocks `A_ts`), so that `GEXP =
#'   DAVAX + GVC_PB + GVC_PF + GVC_TS`: traditional trade `DAVAX = V_s L_ss
#'   h1`, pure backward `GVC_PB = m_s L_ss h1`, pure forward `GVC_PF = V_s
#'   L_ss h2` and two-sided `GVC_TS = m_s L_ss h2`; `GVC = GEXP - DAVAX`,
#'   `GVC_share = GVC / GEXP` and the shares of each GVC type in `GVC`.
#' * `"bmt_output"`: Borin, Mancini and Taglioni (2021, 2025) output-based
#'   tripartite GVC participation, by producing country-sector (`level =
#'   "sector"`) or country: the gross output `X` of each sector, including
#'   what it supplies to domestic exporters, split by how many borders the
#'   production it takes part in crosses. Output satisfies `x_s = L_ss
#'   (Y_ss + sum_r h1_sr + sum_r h2_sr)` (`h1`, `h2` as for `"bmt"`: exports
#'   absorbed by the direct importer and exports it re-exports), and each
#'   unit of output of sector `i` embodies domestic value added `w_i =
#'   (V_s L_ss)_i` and imported inputs `mu_i = (m_s L_ss)_i` (`w + mu = 1`
#'   on a balanced table). With `q_D = L_ss Y_ss`, `q_1 = L_ss sum_r h1_sr`,
#'   `q_2 = L_ss sum_r h2_sr` (element by element), see the list below.
#'   `X = DOM + TRAD + GVC` always; `GVC = GVC_PB + GVC_PF + GVC_TS` when
#'   the table is balanced (`x = Z 1 + Y 1`, `va = x - 1'Z`). This is the
#'   split of `"bmt"` applied to the output `L_ss h` that exports need
#'   instead of the exports `h` themselves (summed over the exporting
#'   sectors instead of the producing ones, `w h1` is `DAVAX`, `mu h1`
#'   `GVC_PB` and so on), which is how the output-based measures reach the
#'   sectors that take part in value chains only as domestic suppliers.
#'   Imported inputs are counted as a whole (the domestic value added that
#'   returns home in them is not separated), as in `"bmt"`. World figures:
#'   `groups = list(World = <all countries>)` or `summary()`. The
#'   classification (domestic, one crossing, two or more; backward,
#'   forward, two-sided) is the paper's; the formulas are this
#'   construction on the package's trade-based terms and have not been
#'   checked against figures published by the authors or a peer
#'   implementation. The terms:
#'   - `DOM = w q_D`: produced and absorbed at home, no border crossed;
#'   - `TRAD = TRAD_X + TRAD_M`, traditional trade (one crossing):
#'     `TRAD_X = w q_1` exports absorbed by the direct importer, made with
#'     domestic inputs, and `TRAD_M = mu q_D` imported inputs into output
#'     absorbed at home;
#'   - `GVC = X - DOM - TRAD` (at least two crossings) = `GVC_PB + GVC_PF +
#'     GVC_TS`: pure backward `GVC_PB = mu q_1` (imported inputs in exports
#'     the importer absorbs), pure forward `GVC_PF = w q_2` (domestic
#'     content of exports the importer re-exports) and two-sided `GVC_TS =
#'     mu q_2`;
#'   - ratios `DOM_share`, `TRAD_share`, `GVC_share` (of `X`) and
#'     `PF_share`, `TS_share`, `PB_share` (of `GVC`).
#'
#' All decompositions and indicators built on the value-added factorisation
#' are methods of `gvc_decompose()`, one scheme, because they share its
#' levels, country and sector groups, split handling and the table's cache;
#' [gvc_index()] keeps the KPWW participation and position indices.
#' * `"wwyz"`: Wang, Wei, Yu and Zhu (2017) production-based measures per
#'   country-sector (or country): value added by destination of use
#'   (`V_D`, `V_RT`, `V_GVC_S`, `V_GVC_C`, forward, summing to value added
#'   `VA`) and final goods by source (`Y_D`, `Y_RT`, `Y_GVC_S`, `Y_GVC_C`,
#'   backward, summing to final goods output `FG`), participation
#'   `GVCPt_f = (V_GVC_S + V_GVC_C) / VA` and `GVCPt_b = (Y_GVC_S +
#'   Y_GVC_C) / FG`, the GVC production lengths `PLv_GVC = (V L L A^F B B
#'   Y) / (V L A^F B Y)` (row sums, forward) and `PLy_GVC` (column sums,
#'   backward) and the position `GVCPs = PLv_GVC / PLy_GVC`; plus
#'   upstreamness (Antras and Chor, 2012/2013: `U = (I - Delta)^-1 1`,
#'   `Delta = diag(1/x) Z`) and downstreamness (Fally, 2012: `D' = 1'(I -
#'   A)^-1`), both from the whole of `A`, domestic blocks included.
#'
#' Ratios with a zero denominator are `NA`. Zero-output sectors contribute
#' zeros.
#'
#' **Split producer blocks** (a table made with `icio(splits = )`, as the
#' OECD extended tables split China and Mexico into CN1/CN2 and MX1/MX2):
#' every method treats a split block as domestic for its country (flows
#' between CN1, CN2 and CHN are not exports), as exvatools and OECD TiVA
#' do. By default (`splits = "merge"`) the results are reported for CHN and
#' MEX: additive terms summed over the splits, ratios recomputed from the
#' summed terms (upstreamness and downstreamness, not additive, are then
#' dropped at sector level); `splits = "keep"` shows the split blocks on
#' their own rows (not for KWW and the world perspective, whose terms are
#' defined by country of origin). Merging the table before computing gives
#' other figures (it averages the split technologies).
#'
#' **One factorisation per table.** An `icio` table keeps, in a cache that
#' the user never handles, what its decompositions share: the LU of
#' `I - A` (`n^2` doubles), the LU factors of the domestic blocks, the
#' diagonal blocks `B_ss` of the global inverse once a method needs them
#' (WWZ, BM; taken from one inverse that is then dropped) and products with
#' one column per country (`V B`, `B Y`, ...). Later decompositions of the
#' same table pay no set-up. About `8 (n^2 + 16 n G)` bytes once every
#' method has run (plus a copy of `Z` when there are splits): 61 MB
#' measured at WIOD size (n = 2,464, G = 44), 125 MB at OECD 2023
#' size (n = 3,465, G = 77); computing the diagonal blocks of the inverse
#' needs one more `n x n` matrix for a moment. A copy modified with `$<-`,
#' `[[<-` or `[<-` starts with an empty cache, and every use compares the
#' table with the matrices the cache was built from, so a modified copy is
#' never served stale results; `saveRDS()` does not write the cache (a
#' table read back computes afresh each time). `leontief =` still reuses a
#' global inverse the user has.
#'
#' @param x An [icio()] table.
#' @param method One of `"kww"`, `"wwz"`, `"bm"`, `"leontief"`, `"wwyz"`,
#'   `"tiva"`, `"bmt"`, `"bmt_output"`.
#' @param level `"country"`, `"sector"` (exporting country-sector; the
#'   producing one for `"wwyz"` and `"bmt_output"`) or
#'   `"bilateral"` (exporting country-sector x importer); what each method
#'   offers is listed above. Default: `"country"`, except `"bilateral"` for
#'   WWZ and `"sector"` for WWYZ.
#' @param groups Optional aggregation of countries into groups: a named
#'   list of character vectors of country codes (e.g. `list(EU = c("DEU",
#'   "FRA"))`); countries not listed stay on their own. The additive terms of
#'   the member countries are summed (exports to other members count as
#'   exports, as in the country tables). Ratios are recomputed from the sums.
#'   For `"wwyz"` the country (group) participation and production
#'   lengths are ratios of summed flows; upstreamness and downstreamness are
#'   given per country-sector only.
#' @param sector_groups Optional aggregation of sectors, a named list of
#'   character vectors of sector codes, applied at `"sector"` and
#'   `"bilateral"` levels by summing the additive terms (WWYZ ratios are
#'   recomputed from the sums; upstreamness and downstreamness, which are
#'   not additive, are then dropped).
#' @param leontief Optional result of [leontief()] for `x`, to reuse one
#'   global inverse (WWZ and BM take the diagonal blocks they need from it
#'   when the table's cache does not have them yet).
#' @param perspective,approach,flow For `method = "bm"`: the accounting
#'   perspective (`"exporter"`, `"world"`, `"self"`, `"importer"`), the
#'   approach (`"source"`, `"sink"`) and the flow (`"exports"`,
#'   `"imports"`), one value each; see above for the levels each offers.
#' @param splits `"merge"` (default) or `"keep"`: how split producer
#'   blocks are reported (see above); no effect on tables without splits.
#' @return An object of class `gvc_decomposition`: a list with `terms` (a
#'   data frame with identifying columns `country` and, by level, `sector`,
#'   `importer` (or `origin` for imports), then the terms), `method`,
#'   `level`, `countries`, `sectors`, `splits`, for `"bm"` `perspective`,
#'   `approach` and `flow`, for `"leontief"` `origin` and for `"tiva"`
#'   `extra`. Use [as.data.frame()] for the table.
#' @references Koopman R, Wang Z, Wei S-J (2014) Tracing value-added and
#'   double counting in gross exports. American Economic Review 104(2),
#'   459-494. Wang Z, Wei S-J, Zhu K (2013) Quantifying international
#'   production sharing at the bilateral and sector levels. NBER WP 19677.
#'   Borin A, Mancini M (2019) Measuring what matters in global value
#'   chains and value-added trade. World Bank PRWP 8804. Wang Z, Wei S-J,
#'   Yu X, Zhu K (2017) Measures of participation in global value chains
#'   and global business cycles; Characterizing global value chains:
#'   production length and upstreamness. NBER WP 23222, 23261. Hummels D,
#'   Ishii J, Yi K-M (2001) The nature and growth of vertical specialization
#'   in world trade. Journal of International Economics 54, 75-96. Antras
#'   P, Chor D (2013) Organizing the global value chain. Econometrica 81(6).
#'   Fally T (2012) Production staging: measurement and facts.
#'   Borin A, Mancini M (2023) Measuring what matters in value-added trade.
#'   Economic Systems Research 35(4), 586-613. Belotti F, Borin A, Mancini
#'   M (2021) icio: Economic analysis with intercountry input-output
#'   tables. Stata Journal 21(3), 708-755. Borin A, Mancini M, Taglioni D
#'   (2025) Economic consequences of trade and global value chain
#'   integration: a measurement perspective. World Bank Economic Review.
#'   Borin A, Mancini M, Taglioni D (2021) Countries and sectors in global
#'   value chains. World Bank Policy Research Working Paper 9785.
#'   Johnson R C, Noguera G (2012) Accounting for intermediates: production
#'   sharing and trade in value added. Journal of International Economics
#'   86(2), 224-236. OECD (2023) Guide to OECD TiVA indicators.
#' @seealso [gvcluster-missing] for NA, NaN, Inf and extreme magnitudes.
#' @examples
#' k <- gvc_decompose(icio_example, "kww")
#' k
#' head(as.data.frame(gvc_decompose(icio_example, "bm", level = "sector")))
#' summary(gvc_decompose(icio_example, "wwz"))
#' # the corrected KWW: world perspective, sink approach
#' gvc_decompose(icio_example, "bm", perspective = "world", approach = "sink")
#' gvc_decompose(icio_example, "bm", flow = "imports", level = "bilateral")
#' tv <- gvc_decompose(icio_example, "tiva")
#' tv$extra$va_fd
#' gvc_decompose(icio_example, "bmt")
#' gvc_decompose(icio_example, "bmt_output")
#' @export
gvc_decompose <- function(x, method = c("kww", "wwz", "bm", "leontief", "wwyz", "tiva", "bmt",
                                         "bmt_output"),
                          level = NULL, groups = NULL, sector_groups = NULL,
                          leontief = NULL,
                          perspective = c("exporter", "world", "self", "importer"),
                          approach = c("source", "sink"), flow = c("exports", "imports"),
                          splits = c("merge", "keep")) {
  if (inherits(x, "icio_series")) {   # tables over years: one long data frame
    # pass on only the arguments given, so each table's call sees the rest
    # as missing (the defaults of perspective/flow depend on that)
    args <- lapply(as.list(match.call())[-1L], eval, envir = parent.frame())
    args$x <- NULL
    return(do.call(gvc_decompose_series, c(list(x), args)))
  }
  if (!inherits(x, "icio"))
    stop_arg("x", "must be an `icio` table (see icio()), not ", describe(x))
  method <- match.arg(method)
  splits <- match.arg(splits)
  entry <- gvc_methods[[method]]
  given <- c(perspective = !missing(perspective), approach = !missing(approach),
             flow = !missing(flow))
  o <- list(perspective = match.arg(perspective), approach = match.arg(approach),
            flow = match.arg(flow))
  foreign <- given & !names(given) %in% entry$options
  if (any(foreign)) {
    arg <- names(given)[foreign][1L]
    owners <- names(gvc_methods)[vapply(gvc_methods, function(e) arg %in% e$options, TRUE)]
    stop_arg(arg, "applies to method ", paste0('"', owners, '"', collapse = ", "), " only")
  }
  o <- if (is.null(entry$check)) o[entry$options] else entry$check(o[entry$options], given)
  allowed <- gvc_field(entry, "levels", o)
  if (is.null(level)) level <- allowed[1L]
  if (!is.character(level) || length(level) != 1L || !level %in% allowed)
    stop_arg("level", sprintf("must be one of %s for method \"%s\"%s",
                              paste0('"', allowed, '"', collapse = ", "), method,
                              if (is.null(entry$level_note)) "" else gvc_field(entry, "level_note", o)))
  keep <- splits == "keep" && length(x$splits) > 0L
  no_keep <- if (keep) gvc_field(entry, "no_keep", o)
  if (!is.null(no_keep))
    stop_arg("splits", "\"keep\" is not available for ", no_keep,
             ", whose terms are defined by country of origin; use splits = \"merge\"")
  p <- icio_parts(x)
  ctry <- if (keep) x$countries else p$countries
  gmap <- check_groups(groups, ctry)
  smap <- check_groups(sector_groups, x$sectors, "sector_groups", "sector")
  B <- NULL
  if (!is.null(leontief)) {
    if (!inherits(leontief, "leontief") || nrow(leontief) != p$n)
      stop_arg("leontief", "must be the result of leontief() for `x`")
    check_inverse_of(leontief, x)
    B <- leontief
  }
  out <- entry$kernel(p, B, o, level)
  res <- shape_terms(out, p, method, level, gmap, smap, keep)
  res[names(o)] <- o
  res$splits <- if (length(x$splits)) splits else "none"
  res
}

check_groups <- function(groups, countries, arg = "groups", what = "country") {
  if (is.null(groups)) return(NULL)
  if (!is.list(groups) || is.null(names(groups)) || any(!nzchar(names(groups))))
    stop_arg(arg, "must be a named list of character vectors of ", what, " codes")
  memb <- unlist(groups, use.names = FALSE)
  if (!is.character(memb)) stop_arg(arg, "must list ", what, " codes as character")
  bad <- setdiff(memb, countries)
  if (length(bad))
    stop_arg(arg, "names ", what, " codes not in the table: ", paste(bad, collapse = ", "))
  if (anyDuplicated(memb)) stop_arg(arg, "must not list a ", what, " twice")
  clash <- intersect(names(groups), setdiff(countries, memb))
  if (length(clash))
    stop_arg(arg, "names clash with ungrouped ", what, " codes: ", paste(clash, collapse = ", "))
  map <- stats::setNames(countries, countries)
  for (g in names(groups)) map[groups[[g]]] <- g
  map
}

# ---- the measures ------------------------------------------------------------
#
# Every function takes the parts p of icio_parts() (D countries, each with
# its split blocks; rows permuted so a country's blocks are contiguous) and
# memoises in p$cache what another method can reuse.

mem <- function(p, name, expr) memo(p$cache, name, expr)

# VB[(u,j), t] = (V_t B_tu)_j: G right-hand sides on the transposed LU.
vb_of <- function(p) mem(p, "VB", lu_solve(lu_of(p), blockcol(p$v, p), trans = TRUE))
# B Y by destination, n x G.
by_of <- function(p) mem(p, "BY", lu_solve(lu_of(p), p$Yc))
# V_s L_ss (row vector on the rows of s).
w_of <- function(p) mem(p, "W", as.vector(local_solve(p, p$v, trans = TRUE)))

# Diagonal blocks B_ss of the global inverse (a list, one per country), their
# LU factors (for the solves with blockdiag(B_ss)) and S[(s,j), r] =
# (A_sr B_rs)_jj, r != s (the self perspective's diagonal): from one dgetri
# on the cached LU (or from a supplied leontief()); the full inverse is
# dropped once they are taken. S is taken with the blocks although only the
# self perspective reads it: it is one O(n^2) pass over the inverse (0.05 s
# at WIOD size), while computing it when first asked would form the
# O(n^3) inverse again (about 10 s) whenever another method came first.
bdiag_of <- function(p, B = NULL) {
  have <- p$cache$bdiag
  if (!is.null(have)) return(have)
  if (is.null(B)) {
    lu <- lu_of(p)
    B <- .Call(ffi_gvc_lu_inverse, lu$lu, lu$ipiv)
  } else {
    B <- unclass(B)
    attr(B, "local") <- NULL
    if (!is.null(p$perm)) B <- B[p$perm, p$perm]
  }
  blocks <- lapply(seq_len(p$G), function(s) {
    i <- (p$bounds[s] + 1L):p$bounds[s + 1L]
    B[i, i, drop = FALSE]
  })
  f <- .Call(ffi_gvc_bdiag_lu, B, p$bounds)
  if (f$zero_pivot > 0L)
    stop(sprintf("the diagonal block B_ss of the Leontief inverse is singular for %s",
                 p$countries[f$zero_pivot]), call. = FALSE)
  out <- list(blocks = blocks, lu = f, S = .Call(ffi_gvc_self_diag, p$Z, p$inv, B, p$bounds))
  rm(B)
  assign("bdiag", out, envir = p$cache)
  out
}

# blockdiag(B_ss) M, blockdiag(B_ss)^-1 M or blockdiag(B_ss)^-T M (the
# solves in C on the blocks' cached LU factors).
bdiag_apply <- function(p, bd, M, how = c("mul", "solve", "tsolve")) {
  how <- match.arg(how)
  if (!is.matrix(M)) M <- matrix(M, ncol = 1L)
  storage.mode(M) <- "double"
  if (how != "mul")
    return(.Call(ffi_gvc_blocks_solve, bd$lu$lu, bd$lu$piv, p$bounds, M,
                 as.integer(how == "tsolve")))
  out <- M
  for (s in seq_len(p$G)) {
    i <- (p$bounds[s] + 1L):p$bounds[s + 1L]
    out[i, ] <- bd$blocks[[s]] %*% M[i, , drop = FALSE]
  }
  out
}

decompose_leontief <- function(p) {
  lu <- lu_of(p)
  VB <- vb_of(p)
  E <- p$E
  dv <- VB[p$own]
  fv <- rowSums(VB) - dv
  origin <- crossprod(VB, blockcol(E, p))       # G x G: origin t x exporter s
  dimnames(origin) <- list(origin = p$countries, exporter = p$countries)
  BE <- lu_solve(lu, blockcol(E, p))            # (B Emask)[i, r]
  iv <- p$v * (rowSums(BE) - BE[p$own])         # VS1 by sector of origin
  list(sector = cbind(E = E, DV = dv * E, FV = fv * E, IV = iv),
       origin = origin)
}

decompose_kww <- function(p) {
  VB <- vb_of(p)
  cc <- p$cc; G <- p$G
  Y <- p$Yc
  yown <- Y[p$own]
  yex <- rowSums(Y) - yown
  vbd <- VB[p$own]                               # (V_s B_ss)_j on rows of s
  fvb <- rowSums(VB) - vbd                       # sum_t!=s (V_t B_ts)_j
  VBo <- VB
  VBo[p$own] <- 0                                # rows outside column's country
  csum <- function(h) as.vector(rowsum(h, cc, reorder = FALSE))
  T1 <- csum(vbd * yex)
  T2 <- colSums(VBo * yown)
  VBY <- crossprod(VB, Y)                        # G x G: origin x absorber
  VAX <- rowSums(VBY) - diag(VBY)
  T3 <- VAX - T1 - T2
  T4 <- colSums(VBo * Y)
  lY <- local_solve(p, yown)                     # L_ss Y_ss
  lE <- local_solve(p, p$E)                      # L_ss E_s*
  alY <- ablock(p, lY)
  T5 <- colSums(VB * alY)                        # V_s B_sr A_rs L_ss Y_ss
  T6 <- colSums(VB * ablock(p, lE))
  T7 <- csum(fvb * yex)
  T8 <- csum(fvb * rowSums(alY))                 # A_sr L_rr Y_rr
  E <- csum(p$E)
  T9 <- E - (T1 + T2 + T3 + T4 + T5 + T6 + T7 + T8)
  m <- cbind(T1, T2, T3, T4, T5, T6, T7, T8, T9, E)
  colnames(m) <- c(kww_names, "GEXP")
  list(country = m)
}

# A supplied Leontief inverse must belong to the table: (I - A) (B e) = e
# for a fixed vector e, two O(n^2) products in the table's own order (A =
# Z diag(1/x) is not formed). An inverse of another table of the same size
# leaves a residual of the order of e itself.
check_inverse_of <- function(B, x) {
  n <- length(x$x)
  inv <- ifelse(x$x > 0, 1 / x$x, 0)
  e <- 1 + (seq_len(n) %% 7) / 7
  Be <- as.vector(as.matrix(B) %*% e)
  r <- Be - as.vector(x$Z %*% (inv * Be)) - e
  scale <- (1 + max(colSums(x$Z) * inv)) * max(abs(Be), 1)
  if (!all(is.finite(r)) || max(abs(r)) > 1e-8 * scale)
    stop_arg("leontief", sprintf(paste0(
      "is not the Leontief inverse of `x`: (I - A) B e differs from e by up to %.3g",
      " (relative %.3g) for a test vector e; pass leontief(x) of this table,",
      " or leave `leontief` NULL"), max(abs(r)), max(abs(r)) / scale))
  invisible(B)
}

decompose_wwz <- function(p, B = NULL) {
  lu <- lu_of(p)
  bd <- bdiag_of(p, B)
  G <- p$G; n <- p$n; own <- p$own
  Y <- p$Yc
  Ym <- Y; Ym[own] <- 0
  yown <- Y[own]
  VB <- vb_of(p)
  vbd <- VB[own]
  fvb <- rowSums(VB) - vbd
  W <- w_of(p)                                   # (V_s L_ss)_j
  BY <- by_of(p)
  P <- mem(p, "P123", lu_solve(lu, cbind(blockcol(yown, p), blockcol(rowSums(Ym), p),
                                         blockcol(rowSums(Y), p))))
  P1 <- P[, seq_len(G), drop = FALSE]                       # B_rt Y_tt
  P3 <- P[, 2L * G + seq_len(G), drop = FALSE]              # B_rs y_s
  P2 <- P[, G + seq_len(G), drop = FALSE]                   # B_rs sum_t!=s Y_st
  Drr <- bdiag_apply(p, bd, Y)                   # B_rr Y_rl
  p1d <- P1[own]; p3d <- P3[own]; drd <- Drr[own]
  rP1 <- rowSums(P1); rD <- rowSums(Drr)
  X <- p$x
  g3 <- rP1 - p1d - P1
  g4 <- rD - drd - Drr
  g7 <- BY - P1 - Drr
  g5 <- (X - P3 - p3d) - (rP1 - p1d - P1) - g7
  ab <- function(h) ablock(p, h)
  lY <- local_solve(p, yown)
  lE <- local_solve(p, p$E)
  aX <- ab(X); alY <- ab(lY); alE <- ab(lE)
  VBo <- VB; VBo[own] <- 0
  ovb <- fvb - VBo                               # sum_t!=s,r (V_t B_ts)_j
  terms <- list(
    DVA_FIN = vbd * Ym,
    DVA_INT = W * ab(p1d),
    DVA_INTrexI1 = W * ab(g3),
    DVA_INTrexF = W * ab(g4),
    DVA_INTrexI2 = W * ab(g5),
    RDV_FIN = W * ab(Drr),
    RDV_FIN2 = W * ab(g7),
    RDV_INT = W * ab(P1),
    DDC_FIN = W * ab(P2),
    DDC_INT = (vbd - W) * aX,
    MVA_FIN = VBo * Ym,
    OVA_FIN = ovb * Ym,
    MVA_INT = VBo * alY,
    OVA_INT = ovb * alY,
    MDC = VBo * alE,
    ODC = ovb * alE)
  terms <- lapply(terms, function(m) { m[own] <- 0; m })
  terms$GEXP <- p$ESR
  list(bilateral = terms)
}

# Pieces shared by the Borin-Mancini perspectives (Borin and Mancini 2019,
# 2023; Belotti, Borin and Mancini 2021). With E_sr bilateral exports:
#   DC_sr  = V_s B_ss E_sr                 (domestic content)
#   DVA_sr = V_s L_ss E_sr                 (source: B^(s)_ss = L_ss once s's
#                                           exports are extracted)
#   FC_sr  = sum_t!=s V_t B_ts E_sr,  FVA_sr = sum_t!=s V_t B^(s)_ts E_sr
#            with B^(s)_ts = B_ts B_ss^-1 L_ss
#   DAVAX_sr = V_s L_ss (Y_sr + A_sr L_rr Y_rr)
#   VAX_sr   = V_s L_ss (Y_sr + A_sr (x_r - sum_k B_rk Y_ks)): exports not
#              coming back to be absorbed at home.
bm_pieces <- function(p, B = NULL) {
  mem(p, "bm", {
    bd <- bdiag_of(p, B)
    own <- p$own
    Y <- p$Yc
    Ym <- Y; Ym[own] <- 0
    VB <- vb_of(p)
    vbd <- VB[own]
    fvb <- rowSums(VB) - vbd
    W <- w_of(p)
    BY <- by_of(p)
    u <- bdiag_apply(p, bd, fvb, "tsolve")
    fx <- as.vector(local_solve(p, u, trans = TRUE))   # sum_t V_t B^(s)_ts
    lyd <- local_solve(p, Y[own])                       # L_rr Y_rr
    aBY <- ablock(p, BY)                                # A_sr sum_k B_rk Y_ks
    DAE <- Ym + ablock(p, lyd)
    VAXE <- Ym + ablock(p, p$x) - aBY
    list(bd = bd, Ym = Ym, vbd = vbd, fvb = fvb, W = W, fx = fx, BY = BY,
         aBY = aBY, DAE = DAE, VAXE = VAXE)
  })
}

bm_source <- function(p, B = NULL) {
  k <- bm_pieces(p, B)
  ESR <- p$ESR
  DC <- k$vbd * ESR
  DVA <- k$W * ESR
  VAX <- k$W * k$VAXE
  DAVAX <- k$W * k$DAE
  FC <- k$fvb * ESR
  FVA <- k$fx * ESR
  DDC <- DC - DVA
  GVC <- ESR - DAVAX
  GVCB <- FC + DDC
  list(GEXP = ESR, DC = DC, DVA = DVA, VAX = VAX, DAVAX = DAVAX,
       REF = DVA - VAX, DDC = DDC, FC = FC, FVA = FVA, FDC = FC - FVA,
       GVC = GVC, GVCB = GVCB, GVCF = GVC - GVCB)
}

# Exporter perspective, sink approach: value added counted the last time it
# leaves the exporter. With the exports of s extracted, output becomes
# x~(s) = x - B_.s B_ss^-1 L_ss E_s*, and
#   DVA_sr = V_s B_ss (Y_sr + A_sr x~_r(s)),  FVA_sr = sum_t!=s V_t B_ts (...)
#   REF_sr = V_s B_ss A_sr x~_r^(s)(s), x~^(s) = B Y_.s - B_.s B_ss^-1 L_ss
#            sum_j!=s A_sj (B Y)_js (the part coming home to be absorbed).
bm_sink <- function(p, B = NULL) {
  k <- bm_pieces(p, B)
  lu <- lu_of(p)
  ESR <- p$ESR
  s <- mem(p, "bm_sink", {
    ehat <- bdiag_apply(p, k$bd, local_solve(p, p$E), "solve")
    XT <- p$x - lu_solve(lu, blockcol(ehat, p))
    rhs <- rowSums(k$aBY)                         # sum_j!=s A_sj (B Y)_js
    fs <- bdiag_apply(p, k$bd, local_solve(p, rhs), "solve")
    XTs <- k$BY - lu_solve(lu, blockcol(fs, p))
    list(Phi = k$Ym + ablock(p, XT), Phir = ablock(p, XTs))
  })
  DC <- k$vbd * ESR
  DVA <- k$vbd * s$Phi
  REF <- k$vbd * s$Phir
  FC <- k$fvb * ESR
  FVA <- k$fvb * s$Phi
  list(GEXP = ESR, DC = DC, DVA = DVA, VAX = DVA - REF, REF = REF,
       DDC = DC - DVA, FC = FC, FVA = FVA, FDC = FC - FVA)
}

# Self perspective (value added of the exporter counted once in its own
# exports, wherever it later goes): the exporter's domestic and foreign
# content scaled by 1 / (1 + (A_s* B_*s)_jj) of the exporting sector.
bm_self <- function(p, B = NULL, level) {
  k <- bm_pieces(p, B)
  ESR <- p$ESR
  S <- bdiag_of(p, B)$S
  d <- if (level == "bilateral") 1 + S else 1 + rowSums(S)
  DC <- k$vbd * ESR
  FC <- k$fvb * ESR
  DVA <- k$vbd / d * ESR
  VAX <- k$vbd / d * k$VAXE
  FVA <- k$fvb / d * ESR
  out <- list(GEXP = ESR, DC = DC, DVA = DVA, VAX = VAX, REF = DVA - VAX,
              DDC = DC - DVA, FC = FC, FVA = FVA, FDC = FC - FVA)
  lapply(out, function(m) { m[p$own] <- 0; m })
}

# World perspective (country level): value added counted once in world
# trade. Source: the foreign value added in the exports of s counted where
# it first crosses a border, sum_t!=s V_t L_tt A_ts L_ss E_s*. Sink (the
# corrected KWW): counted the last time.
bm_world <- function(p, approach, B = NULL) {
  sec <- lapply(bm_source(p, B), rowSums)
  k <- bm_pieces(p, B)
  cc <- p$cc
  csum <- function(h) as.vector(rowsum(h, cc, reorder = FALSE))
  cty <- lapply(sec, csum)
  if (approach == "source") {
    lE <- local_solve(p, p$E)
    FVA <- colSums(k$W * ablock(p, lE))
  } else {
    VB <- vb_of(p)
    lyd <- local_solve(p, p$Yc[p$own])
    wv <- rowSums(k$Ym) + rowSums(ablock(p, lyd))
    Wrex <- local_solve(p, wv)
    TC <- VB * ablock(p, Wrex)
    fva <- k$fvb * rowSums(k$DAE) + (rowSums(TC) - TC[p$own])
    FVA <- csum(fva)
  }
  cty$FVA <- FVA
  cty$FDC <- cty$FC - FVA
  m <- do.call(cbind, cty[c("GEXP", "DC", "DVA", "VAX", "REF", "DDC", "FC", "FVA", "FDC")])
  list(country = m)
}

# Importer perspective, imports: the value added (VA) and double counting
# (DC) in the gross imports of r by country of origin, with r's own
# production chain extracted: B~ = B - B_.r B_rr^-1 (B_r. - ...) (Belotti,
# Borin and Mancini 2021, sect. imports).
bm_imports <- function(p, B = NULL) {
  bd <- bdiag_of(p, B)
  lu <- lu_of(p)
  own <- p$own
  BESR <- mem(p, "BESR", lu_solve(lu, p$ESR))
  til <- function(M) {
    g <- bdiag_apply(p, bd, M[own], "solve")
    M - lu_solve(lu, blockcol(g, p)) + blockcol(local_solve(p, g), p)
  }
  mem(p, "bm_imports", {
    h <- ablock(p, BESR[own])
    list(imports = list(VA = p$v * til(BESR), DC = p$v * til(lu_solve(lu, h))))
  })
}

decompose_bm <- function(p, B = NULL, perspective, approach, flow, level) {
  if (flow == "imports") return(bm_imports(p, B))
  switch(perspective,
         exporter = if (approach == "source" || level == "country")
           list(bilateral = bm_source(p, B)) else list(bilateral = bm_sink(p, B)),
         self = list(bilateral = bm_self(p, B, level)),
         world = bm_world(p, approach, B))
}

# TiVA-style indicators (OECD TiVA; Johnson and Noguera 2012) from the same
# factorisation: per exporting country-sector GEXP, DVA = V_s B_ss E_s*
# (EXGR_DVA), FVA = sum_t!=s V_t B_ts E_s* (EXGR_FVA), value added VA and
# value-added exports VAX = v_i sum_d!=s (B Y)_id (value added of the
# sector absorbed in other countries' final demand, by sector of origin).
decompose_tiva <- function(p) {
  VB <- vb_of(p)
  BY <- by_of(p)
  own <- p$own
  vbd <- VB[own]
  fvb <- rowSums(VB) - vbd
  E <- p$E
  vby <- p$v * BY
  m <- cbind(GEXP = E, DVA = vbd * E, FVA = fvb * E, VA = p$v * p$x,
             VAX = rowSums(vby) - vby[own])
  va_fd <- crossprod(VB, p$Yc)                   # origin x destination
  dimnames(va_fd) <- list(origin = p$countries, destination = p$countries)
  dimnames(vby) <- list(p$rn, p$countries)
  va_origin <- crossprod(VB, blockcol(E, p))     # origin x exporter
  dimnames(va_origin) <- list(origin = p$countries, exporter = p$countries)
  list(sector = m, extra = list(va_fd = va_fd, va_fd_sector = vby, va_origin = va_origin))
}

# Borin, Mancini and Taglioni (2025) trade-based tripartite GVC measures.
# Exports E_sr = Y_sr + A_sr L_rr Y_rr + A_sr L_rr e_r* (e_r* all exports
# of r): the first two are absorbed by the direct importer, the last is
# re-exported by it. The gross value u'g of the output g = L_ss h that s
# needs to ship h splits, by the column identity u'(I - A_ss) = V_s +
# m_s (m_s the imported inputs per unit of output), into V_s L_ss h
# (domestic value added) and m_s L_ss h (imported inputs):
#   DAVAX  = V_s L_ss (Y_sr + A_sr L_rr Y_rr)   traditional trade
#   GVC_PB = m_s L_ss (Y_sr + A_sr L_rr Y_rr)   pure backward
#   GVC_PF = V_s L_ss A_sr L_rr e_r*            pure forward
#   GVC_TS = m_s L_ss A_sr L_rr e_r*            two-sided
# so GEXP = DAVAX + GVC_PB + GVC_PF + GVC_TS and GVC = GEXP - DAVAX.
decompose_bmt <- function(p) {
  own <- p$own
  Y <- p$Yc
  Ym <- Y; Ym[own] <- 0
  W <- w_of(p)
  mL <- ml_of(p)
  DAE <- Ym + ablock(p, local_solve(p, Y[own]))
  RE <- ablock(p, local_solve(p, p$E))           # A_sr L_rr e_r*
  DAVAX <- W * DAE
  PB <- mL * DAE
  PF <- W * RE
  TS <- mL * RE
  list(bilateral = list(GEXP = p$ESR, DAVAX = DAVAX, GVC = p$ESR - DAVAX,
                        GVC_PF = PF, GVC_TS = TS, GVC_PB = PB))
}

# m_s L_ss: the imported inputs embodied in one unit of output of each
# sector of s through its domestic chain (m_s the column sums of the
# foreign blocks A_ts, t != s); with W = V_s L_ss, W + m_s L_ss = 1' on a
# balanced table (va = x - 1'Z).
ml_of <- function(p) mem(p, "mL", {
  cs <- colSums(p$Z) * p$inv                     # column sums of A
  dom <- as.vector(rowsum(p$Z, p$cc, reorder = FALSE)[cbind(p$cc, seq_len(p$n))]) * p$inv
  as.vector(local_solve(p, cs - dom, trans = TRUE))
})

# Output-based tripartite GVC participation (Borin, Mancini and Taglioni
# 2021, 2025), by producing country-sector. The output of s satisfies
#   x_s = L_ss (Y_ss + sum_r!=s h1_sr + sum_r!=s h2_sr),
#   h1_sr = Y_sr + A_sr L_rr Y_rr (exports absorbed by the direct importer),
#   h2_sr = A_sr L_rr e_r*        (exports the importer re-exports),
# since x_r = L_rr (Y_rr + e_r*). Each of the three output vectors q is
# split, sector by sector, by the value of what one unit of the sector's
# output embodies (u' = V_s L_ss + m_s L_ss): domestic value added w =
# V_s L_ss and imported inputs mu = m_s L_ss. This is the trade-based split
# of decompose_bmt() applied to gross output q = L_ss h instead of gross
# exports h, so the domestic suppliers of exporters are counted:
#   DOM    = w  L_ss Y_ss   no border crossed
#   TRAD_X = w  L_ss h1     one crossing: exports made with domestic inputs
#   TRAD_M = mu L_ss Y_ss   one crossing: imported inputs, output absorbed
#                           at home
#   GVC_PB = mu L_ss h1     two crossings, backward only
#   GVC_PF = w  L_ss h2     two or more crossings, forward only
#   GVC_TS = mu L_ss h2     both (two-sided)
decompose_bmt_output <- function(p) {
  own <- p$own
  yd <- p$Yc[own]                                 # Y_ss
  W <- w_of(p)
  mL <- ml_of(p)
  qd <- as.vector(local_solve(p, yd))             # L_ss Y_ss
  h1 <- rowSums(p$Yc) - yd + rowSums(ablock(p, qd))
  h2 <- rowSums(ablock(p, local_solve(p, p$E)))
  q <- local_solve(p, cbind(h1, h2))
  q1 <- q[, 1L]; q2 <- q[, 2L]
  DOM <- W * qd
  TRAD_X <- W * q1
  TRAD_M <- mL * qd
  X <- p$x
  list(sector = cbind(X = X, DOM = DOM, TRAD = TRAD_X + TRAD_M, TRAD_X = TRAD_X,
                      TRAD_M = TRAD_M, GVC = X - DOM - TRAD_X - TRAD_M,
                      GVC_PF = W * q2, GVC_TS = mL * q2, GVC_PB = mL * q1))
}

add_bmt_output_ratios <- function(df) {
  df$DOM_share <- ratio(df$DOM, df$X)
  df$TRAD_share <- ratio(df$TRAD, df$X)
  df$GVC_share <- ratio(df$GVC, df$X)
  df$PF_share <- ratio(df$GVC_PF, df$GVC)
  df$TS_share <- ratio(df$GVC_TS, df$GVC)
  df$PB_share <- ratio(df$GVC_PB, df$GVC)
  df
}

add_bmt_ratios <- function(df) {
  df$GVC_share <- ratio(df$GVC, df$GEXP)
  df$PF_share <- ratio(df$GVC_PF, df$GVC)
  df$TS_share <- ratio(df$GVC_TS, df$GVC)
  df$PB_share <- ratio(df$GVC_PB, df$GVC)
  df
}

add_tiva_ratios <- function(df) {
  df$DVA_share <- ratio(df$DVA, df$GEXP)
  df$FVA_share <- ratio(df$FVA, df$GEXP)
  df$VAX_ratio <- ratio(df$VAX, df$GEXP)
  df
}

decompose_wwyz <- function(p) {
  lu <- lu_of(p)
  G <- p$G; n <- p$n; own <- p$own
  v <- p$v
  Y <- p$Yc
  y <- rowSums(Y)                                # final goods output
  yD <- Y[own]                                   # domestic final use
  yF <- y - yD
  x <- p$x
  AF <- function(h) rowSums(ablock(p, h))        # A^F h (foreign blocks)
  AFt <- function(h) {                           # h' A^F
    g <- as.vector(crossprod(p$Z, h)) * p$inv
    for (r in seq_len(G)) {
      i <- (p$bounds[r] + 1L):p$bounds[r + 1L]
      g[i] <- g[i] - as.vector(crossprod(p$Z[i, i, drop = FALSE], h[i])) * p$inv[i]
    }
    g
  }
  L <- function(h) as.vector(local_solve(p, h))
  Lt <- function(h) as.vector(local_solve(p, h, trans = TRUE))
  # forward, by sector of origin (row sums of V L ... Y-hat)
  LyD <- L(yD)
  V_D <- v * LyD
  V_RT <- v * L(yF)
  V_GVC_S <- v * L(AF(LyD))
  V_GVC <- v * L(AF(x))
  V_GVC_C <- V_GVC - V_GVC_S
  Bx <- as.vector(lu_solve(lu, x))               # B B y
  Xv <- v * L(L(AF(Bx)))                         # V L L A^F B B y
  # backward, by sector of final production (column sums)
  vL <- Lt(v)
  Y_D <- vL * yD
  Y_RT <- vL * yF
  vLAF <- AFt(vL)
  vLAFL <- Lt(vLAF)
  Y_GVC_S <- vLAFL * yD
  vLAFB <- as.vector(lu_solve(lu, vLAF, trans = TRUE))
  Y_GVC <- vLAFB * y
  Y_GVC_C <- Y_GVC - Y_GVC_S
  vLLAFBB <- as.vector(lu_solve(lu, lu_solve(lu, AFt(Lt(vL)), trans = TRUE),
                                trans = TRUE))
  Xy <- vLLAFBB * y
  # upstreamness (Antras-Chor) and downstreamness (Fally) from the whole A
  U <- ifelse(x > 0, Bx / x, NA_real_)
  D <- as.vector(lu_solve(lu, rep(1, n), trans = TRUE))
  D[x == 0] <- NA_real_
  m <- cbind(VA = v * x, V_D = V_D, V_RT = V_RT, V_GVC_S = V_GVC_S,
             V_GVC_C = V_GVC_C, FG = y, Y_D = Y_D, Y_RT = Y_RT,
             Y_GVC_S = Y_GVC_S, Y_GVC_C = Y_GVC_C,
             Xv_GVC = Xv, Xy_GVC = Xy, upstreamness = U, downstreamness = D)
  list(sector = m)
}

# ---- shaping into data frames ------------------------------------------------

ratio <- function(a, b) ifelse(b != 0, a / b, NA_real_)

add_wwyz_ratios <- function(df) {
  df$GVCPt_f <- ratio(df$V_GVC_S + df$V_GVC_C, df$VA)
  df$GVCPt_b <- ratio(df$Y_GVC_S + df$Y_GVC_C, df$FG)
  df$PLv_GVC <- ratio(df$Xv_GVC, df$V_GVC_S + df$V_GVC_C)
  df$PLy_GVC <- ratio(df$Xy_GVC, df$Y_GVC_S + df$Y_GVC_C)
  df$GVCPs <- ratio(df$PLv_GVC, df$PLy_GVC)
  df
}

shape_terms <- function(out, p, method, level, gmap, smap = NULL, keep = FALSE) {
  G <- p$G; n <- p$n
  rowc <- if (keep) p$row_block else p$row_ctry
  sect <- p$row_sector
  imp <- p$countries
  merge_rows <- p$has_splits && !keep
  cgrp <- function(codes) if (is.null(gmap)) codes else unname(gmap[codes])
  sgrp <- function(codes) if (is.null(smap)) codes else unname(smap[codes])
  entry <- gvc_methods[[method]]
  nonadd <- entry$nonadditive
  origin <- out$origin
  extra <- out$extra
  if (!is.null(out$imports)) {
    VA <- out$imports$VA; DC <- out$imports$DC
    if (level == "country") {
      df <- data.frame(country = imp, GIMP = colSums(VA) + colSums(DC),
                       VA = colSums(VA), DC = colSums(DC), stringsAsFactors = FALSE)
      if (!is.null(gmap)) {
        df$country <- cgrp(df$country)
        df <- aggregate_df(df, "country")
      }
    } else {
      df <- data.frame(country = rep(imp, each = n), origin = rep(rowc, G),
                       VA = as.vector(VA), DC = as.vector(DC), stringsAsFactors = FALSE)
      df$country <- cgrp(df$country); df$origin <- cgrp(df$origin)
      df <- aggregate_df(df, c("country", "origin"))
      df$GIMP <- df$VA + df$DC
      df <- df[c("country", "origin", "GIMP", "VA", "DC")]
    }
    out <- list()
  }
  if (!is.null(out$bilateral)) {
    terms <- out$bilateral
    if (level == "bilateral") {
      df <- data.frame(country = rep(rowc, each = G), sector = rep(sect, each = G),
                       importer = rep(imp, n), stringsAsFactors = FALSE)
      for (k in names(terms)) df[[k]] <- as.vector(t(terms[[k]]))
      df <- df[rep(p$row_ctry, each = G) != df$importer, , drop = FALSE]
      if (merge_rows || !is.null(gmap) || !is.null(smap)) {
        df$country <- cgrp(df$country); df$importer <- cgrp(df$importer)
        df$sector <- sgrp(df$sector)
        df <- aggregate_df(df, c("country", "sector", "importer"))
      }
      rownames(df) <- NULL
    } else {
      m <- vapply(terms, rowSums, numeric(n))
      if (!is.matrix(m)) m <- matrix(m, nrow = n, dimnames = list(NULL, names(terms)))
      out <- list(sector = m)
    }
  }
  if (!is.null(out$sector)) {
    df <- data.frame(country = rowc, sector = sect, stringsAsFactors = FALSE)
    df <- cbind(df, as.data.frame(out$sector, row.names = NULL))
    if (level == "country") {
      df$sector <- NULL
      df$country <- cgrp(df$country)
      df <- df[setdiff(names(df), nonadd)]
      df <- aggregate_df(df, "country")
    } else if (merge_rows || !is.null(gmap) || !is.null(smap)) {
      df$country <- cgrp(df$country)
      df$sector <- sgrp(df$sector)
      # upstreamness and downstreamness are sector indices, not additive
      if (!is.null(smap) || merge_rows) df <- df[setdiff(names(df), nonadd)]
      df <- aggregate_df(df, c("country", "sector"))
    }
  }
  if (!is.null(out$country)) {
    df <- data.frame(country = imp, out$country, stringsAsFactors = FALSE,
                     row.names = NULL)
    if (!is.null(gmap)) {
      df$country <- cgrp(df$country)
      df <- aggregate_df(df, "country")
    }
  }
  # ratios are recomputed from the summed terms
  if (!is.null(entry$ratios)) df <- entry$ratios(df)
  rownames(df) <- NULL
  structure(list(terms = df, method = method, level = level,
                 countries = imp, sectors = p$sectors, groups = gmap,
                 sector_groups = smap, origin = origin, extra = extra),
            class = "gvc_decomposition")
}

# Sum numeric columns within the groups given by the `by` columns, keeping
# first-appearance order.
aggregate_df <- function(df, by) {
  key <- do.call(paste, c(unname(df[by]), sep = "\r"))
  ukey <- unique(key)
  f <- factor(key, levels = ukey)
  num <- setdiff(names(df), by)
  sums <- rowsum(as.matrix(df[num]), f, reorder = FALSE)
  first <- df[match(ukey, key), by, drop = FALSE]
  out <- cbind(first, as.data.frame(sums, row.names = NULL))
  rownames(out) <- NULL
  out
}
