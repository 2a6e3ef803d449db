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
#' * `"bm"`: Borin and Mancini (2019, 2023), exporter perspective, source
#'   based: `GEXP DC DVA VAX DAVAX REF DDC FC FVA FDC GVC GVCB GVCF`, with
#'   `DC = DVA + DDC`, `DVA = VAX + REF`, `FC = FVA + FDC`, `GVC = GEXP -
#'   DAVAX = GVCB + GVCF`, `GVCB = DDC + FC` (backward) and `GVCF = DVA -
#'   DAVAX` (forward). Country, sector or bilateral (exporting
#'   country-sector x importer; bilateral rows sum to the sector rows).
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
#' @param x An [icio()] table.
#' @param method One of `"kww"`, `"wwz"`, `"bm"`, `"leontief"`, `"wwyz"`.
#' @param level `"country"`, `"sector"` (exporting country-sector) or
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
#'   global inverse across several calls (only WWZ and BM use it).
#' @return An object of class `gvc_decomposition`: a list with `terms` (a
#'   data frame with identifying columns `country` and, by level, `sector`,
#'   `importer`, then the terms), `method`, `level`, `countries`, `sectors`
#'   and, for `"leontief"`, `origin`. Use [as.data.frame()] for the table.
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
#' @seealso [gvcluster-missing] for NA, NaN, Inf and extreme magnitudes.
#' @examples
#' k <- gvc_decompose(icio_example, "kww")
#' k
#' head(as.data.frame(gvc_decompose(icio_example, "bm", level = "sector")))
#' summary(gvc_decompose(icio_example, "wwz"))
#' @export
gvc_decompose <- function(x, method = c("kww", "wwz", "bm", "leontief", "wwyz"),
                          level = NULL, groups = NULL, sector_groups = NULL,
                          leontief = NULL) {
  if (inherits(x, "icio_series"))   # tables over years: one long data frame
    return(gvc_decompose_series(x, method = method, level = level, groups = groups,
                                sector_groups = sector_groups))
  if (!inherits(x, "icio"))
    stop_arg("x", "must be an `icio` table (see icio()), not ", describe(x))
  method <- match.arg(method)
  allowed <- switch(method,
                    kww = "country",
                    wwz = c("bilateral", "sector", "country"),
                    bm = c("country", "sector", "bilateral"),
                    leontief = c("country", "sector"),
                    wwyz = c("sector", "country"))
  if (is.null(level)) level <- allowed[1L]
  if (!is.character(level) || length(level) != 1L || !level %in% allowed)
    stop_arg("level", sprintf("must be one of %s for method \"%s\"",
                              paste0('"', allowed, '"', collapse = ", "), method))
  gmap <- check_groups(groups, x$countries)
  smap <- check_groups(sector_groups, x$sectors, "sector_groups", "sector")
  p <- icio_parts(x)
  B <- NULL
  if (!is.null(leontief)) {
    if (!inherits(leontief, "leontief") || nrow(leontief) != p$n)
      stop_arg("leontief", "must be the result of leontief() for `x`")
    check_inverse_of(leontief, p)
    B <- leontief
  }
  out <- switch(method,
                kww = decompose_kww(p),
                wwz = decompose_wwz(p, B),
                bm = decompose_bm(p, B),
                leontief = decompose_leontief(p),
                wwyz = decompose_wwyz(p))
  shape_terms(out, p, method, level, gmap, smap)
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

# VB[(u,j), t] = (V_t B_tu)_j: G right-hand sides on the transposed LU.
vb_of <- function(p, lu) lu_solve(lu, blockcol(p$v, p), trans = TRUE)

decompose_leontief <- function(p, lu = lu_of(p)) {
  VB <- vb_of(p, lu)
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

decompose_kww <- function(p, lu = lu_of(p)) {
  VB <- vb_of(p, lu)
  cc <- p$cc; G <- p$G
  Y <- p$Yc
  yown <- Y[p$own]
  yex <- rowSums(Y) - yown
  vbd <- VB[p$own]                               # (V_s B_ss)_j on rows of s
  fvb <- rowSums(VB) - vbd                       # sum_t!=s (V_t B_ts)_j
  off <- outer(cc, seq_len(G), "!=")             # rows outside column's country
  VBo <- VB * off
  csum <- function(h) as.vector(rowsum(h, cc))
  T1 <- csum(vbd * yex)
  T2 <- colSums(VBo * yown)
  VBY <- crossprod(VB, Y)                        # G x G: origin x absorber
  VAX <- rowSums(VBY) - diag(VBY)
  T3 <- VAX - T1 - T2
  T4 <- colSums(VBo * Y)
  lY <- local_solve(p, yown)                     # L_ss Y_ss
  lE <- local_solve(p, p$E)                      # L_ss E_s*
  T5 <- colSums(VB * ablock(p, lY))              # V_s B_sr A_rs L_ss Y_ss
  T6 <- colSums(VB * ablock(p, lE))
  T7 <- csum(fvb * yex)
  T8 <- csum(fvb * rowSums(ablock(p, lY)))       # A_sr L_rr Y_rr
  E <- csum(p$E)
  T9 <- E - (T1 + T2 + T3 + T4 + T5 + T6 + T7 + T8)
  m <- cbind(T1, T2, T3, T4, T5, T6, T7, T8, T9, E)
  colnames(m) <- c(kww_names, "GEXP")
  list(country = m)
}

# A supplied Leontief inverse must belong to the table: (I - A) (B e) = e
# for a fixed vector e, two O(n^2) products. An inverse of another table of
# the same size leaves a residual of the order of e itself.
check_inverse_of <- function(B, p) {
  n <- p$n
  e <- 1 + (seq_len(n) %% 7) / 7
  Be <- as.vector(as.matrix(B) %*% e)
  r <- Be - as.vector(p$A %*% Be) - e
  scale <- (1 + max(colSums(abs(p$A)))) * max(abs(Be), 1)
  if (!all(is.finite(r)) || max(abs(r)) > 1e-8 * scale)
    stop_arg("leontief", sprintf(paste0(
      "is not the Leontief inverse of `x`: (I - A) B e differs from e by up to %.3g",
      " (relative %.3g) for a test vector e; pass leontief(x) of this table,",
      " or leave `leontief` NULL"), max(abs(r)), max(abs(r)) / scale))
  invisible(B)
}

# Full inverse and its diagonal blocks, from a supplied leontief() or anew.
global_B <- function(p, B) {
  if (is.null(B)) {
    M <- -p$A
    diag(M) <- diag(M) + 1
    B <- leontief_lu(M, p$A, p$rn, inverse = TRUE)$B
  } else {
    B <- as.matrix(B)
  }
  B
}

decompose_wwz <- function(p, B = NULL) {
  B <- global_B(p, B)
  G <- p$G; N <- p$N; n <- p$n; cc <- p$cc; own <- p$own
  Y <- p$Yc
  Ym <- Y; Ym[own] <- 0
  yown <- Y[own]
  VB <- crossprod(B, blockcol(p$v, p))           # (V_t B_ts)_j
  vbd <- VB[own]
  fvb <- rowSums(VB) - vbd
  W <- as.vector(local_solve(p, p$v, trans = TRUE))   # (V_s L_ss)_j
  BY <- B %*% Y
  P1 <- B %*% blockcol(yown, p)                  # B_rt Y_tt
  P2 <- B %*% blockcol(rowSums(Ym), p)           # B_rs sum_t!=s Y_st
  P3 <- B %*% blockcol(rowSums(Y), p)            # B_rs y_s
  Drr <- matrix(0, n, G)                         # B_rr Y_rl
  for (r in seq_len(G)) {
    i <- which(cc == r)
    Drr[i, ] <- B[i, i, drop = FALSE] %*% Y[i, , drop = FALSE]
  }
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

decompose_bm <- function(p, B = NULL) {
  B <- global_B(p, B)
  G <- p$G; N <- p$N; n <- p$n; cc <- p$cc; own <- p$own
  Y <- p$Yc
  Ym <- Y; Ym[own] <- 0
  yown <- Y[own]
  ESR <- p$ESR
  VB <- crossprod(B, blockcol(p$v, p))
  vbd <- VB[own]
  fvb <- rowSums(VB) - vbd
  W <- as.vector(local_solve(p, p$v, trans = TRUE))   # V_s L_ss = V_s Bx_ss
  # foreign VA with the exports of s extracted: sum_t (V_t Bx_ts) =
  # (sum_t V_t B_ts) B_ss^-1 L_ss, since Bx_ts = B_ts B_ss^-1 L_ss.
  u <- numeric(n)
  for (s in seq_len(G)) {
    i <- which(cc == s)
    u[i] <- solve(t(B[i, i, drop = FALSE]), fvb[i])
  }
  fx <- as.vector(local_solve(p, u, trans = TRUE))
  BY <- B %*% Y
  Q <- p$A %*% BY                                # sum_j!=r A_rj B_jk Y_kl
  for (r in seq_len(G)) {
    i <- which(cc == r)
    Q[i, ] <- Q[i, , drop = FALSE] - p$A[i, i, drop = FALSE] %*% BY[i, , drop = FALSE]
  }
  LY <- local_solve(p, Y)                        # L_rr Y_rl
  LQ <- local_solve(p, Q)                        # L_rr Q_rl
  lyd <- LY[own]
  ab <- function(h) ablock(p, h)
  DAVAX <- W * (Ym + ab(lyd))
  VAX3 <- W * ab(rowSums(LY) - lyd - LY)
  VAX4 <- W * ab(rowSums(LQ) - LQ)
  REF <- W * (ab(LY) + ab(LQ))
  VAX <- DAVAX + VAX3 + VAX4
  DVA <- VAX + REF
  DC <- vbd * ESR
  DDC <- DC - DVA
  FC <- fvb * ESR
  FVA <- fx * ESR
  FDC <- FC - FVA
  GVCB <- DDC + FC
  GVCF <- DVA - DAVAX
  terms <- list(GEXP = ESR, DC = DC, DVA = DVA, VAX = VAX, DAVAX = DAVAX,
                REF = REF, DDC = DDC, FC = FC, FVA = FVA, FDC = FDC,
                GVC = GVCB + GVCF, GVCB = GVCB, GVCF = GVCF)
  terms <- lapply(terms, function(m) { m[own] <- 0; m })
  list(bilateral = terms)
}

decompose_wwyz <- function(p) {
  lu <- lu_of(p)
  G <- p$G; n <- p$n; cc <- p$cc; own <- p$own
  A <- p$A; v <- p$v
  Y <- p$Yc
  y <- rowSums(Y)                                # final goods output
  yD <- Y[own]                                   # domestic final use
  yF <- y - yD
  x <- p$x
  AF <- function(h) rowSums(ablock(p, h))        # A^F h (foreign blocks)
  AFt <- function(h) {                           # h' A^F
    g <- crossprod(A, h)
    for (r in seq_len(G)) {
      i <- which(cc == r)
      g[i] <- g[i] - crossprod(A[i, i, drop = FALSE], h[i])
    }
    as.vector(g)
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
  Bxo <- Bx                                      # B x
  U <- ifelse(x > 0, Bxo / x, NA_real_)
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

shape_terms <- function(out, p, method, level, gmap, smap = NULL) {
  G <- p$G; N <- p$N
  ctry <- p$countries
  sect <- p$sectors
  cgrp <- function(codes) if (is.null(gmap)) codes else unname(gmap[codes])
  sgrp <- function(codes) if (is.null(smap)) codes else unname(smap[codes])
  origin <- NULL
  if (!is.null(out$bilateral)) {
    terms <- out$bilateral
    if (level == "bilateral") {
      # rows exporter-major: country, sector, then importer
      df <- data.frame(country = rep(ctry, each = N * G),
                       sector = rep(rep(sect, each = G), G),
                       importer = rep(ctry, p$n),
                       stringsAsFactors = FALSE)
      for (k in names(terms)) df[[k]] <- as.vector(t(terms[[k]]))
      df <- df[df$country != df$importer, , drop = FALSE]
      if (!is.null(gmap) || !is.null(smap)) {
        df$country <- cgrp(df$country); df$importer <- cgrp(df$importer)
        df$sector <- sgrp(df$sector)
        df <- aggregate_df(df, c("country", "sector", "importer"))
      }
      rownames(df) <- NULL
    } else {
      m <- vapply(terms, rowSums, numeric(p$n))
      if (!is.matrix(m)) m <- matrix(m, nrow = p$n, dimnames = list(NULL, names(terms)))
      out <- list(sector = m)
    }
  }
  if (!is.null(out$sector)) {
    m <- out$sector
    df <- data.frame(country = rep(ctry, each = N), sector = rep(sect, G),
                     stringsAsFactors = FALSE)
    df <- cbind(df, as.data.frame(m, row.names = NULL))
    if (level == "country") {
      df$sector <- NULL
      df$country <- cgrp(df$country)
      # upstreamness and downstreamness are sector indices, not additive
      df <- df[setdiff(names(df), c("upstreamness", "downstreamness"))]
      df <- aggregate_df(df, "country")
    } else if (!is.null(gmap) || !is.null(smap)) {
      df$country <- cgrp(df$country)
      df$sector <- sgrp(df$sector)
      if (!is.null(smap))
        df <- df[setdiff(names(df), c("upstreamness", "downstreamness"))]
      df <- aggregate_df(df, c("country", "sector"))
    }
    if (method == "leontief" && !is.null(out$origin)) origin <- out$origin
  }
  if (!is.null(out$country)) {
    df <- data.frame(country = ctry, out$country, stringsAsFactors = FALSE,
                     row.names = NULL)
    if (!is.null(gmap)) {
      df$country <- cgrp(df$country)
      df <- aggregate_df(df, "country")
    }
  }
  if (method == "wwyz") {
    # at country (group) level the lengths are ratios of the summed
    # length-weighted flows to the summed GVC flows
    df <- add_wwyz_ratios(df)
  }
  rownames(df) <- NULL
  structure(list(terms = df, method = method, level = level,
                 countries = ctry, sectors = sect, groups = gmap,
                 sector_groups = smap, origin = origin),
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
