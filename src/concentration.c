/* concentration.c - concentration indices of industries (one row per
 * industry) of dense matrices, dgCMatrix and panel stacks.  Two passes as
 * in specialization.c; the Gini-type indices sort the non-zero cells of
 * each industry once (sort.c): O(m log m).
 */
#include "stack.h"
#include <string.h>

/* ---- concentration of industries ----------------------------------------
 * The indices, as R names them in `index`.                                */
enum { CONC_KRUGMAN, CONC_HOOVER, CONC_GINI, CONC_LOCATIONAL_GINI, CONC_GINI_LQ,
       CONC_N };
static const char *const conc_names[CONC_N] = {
    "krugman", "hoover", "gini", "locational_gini", "gini_lq"
};

/* Everything the concentration kernels share: the stack, what is asked
 * for and the scratch buffers, allocated once by the shell.               */
typedef struct {
    idx_stack m;
    SEXP reference;
    const int *wh;
    const double *wn;
    int nt, nw, want_gini, want_lgi, want_glq, want_k, want_lg, na_rm,
        has_ref, nr, nc, ng, need_sort, col_only;
    R_xlen_t nout, neg;
    int suspect;
    double *out, refsum;
    size_t nr1, nc1, nts, ns1, nb1;
    double *rs, *wt, *cs, *iw;
    int *rowna, *colna, *cnt_all, *ri1_all, *ri2_all;
    uint64_t *rk1_all, *rk2_all;
    R_xlen_t *nnaJ, *nnegJ;
} conc_ws;

/* What one group's industries share.                                      */
typedef struct {
    double X, den, wsum, hsum;
    int group_na, npos;
} conc_grp;

/* Each kernel copies the fields it reads into locals of the same names at
 * its top (`const int nr = S->nr`), so a reader sees where each comes from. */
/* The compensated sum of column c = g * nc + j (cells beg .. end - 1),
 * its NA and negative cells, as idx_margins would form them (the Gini
 * alone reads no margins).                                              */
static void conc_colsum(const conc_ws *S, int j, R_xlen_t beg, R_xlen_t end)
{
    idx_stack m = S->m;
    double *cs = S->cs;
    int *colna = S->colna;
    R_xlen_t *nnaJ = S->nnaJ, *nnegJ = S->nnegJ;
    /* the column's compensated sum, NA and negative cells, as
     * idx_margins would form them                            */
    const double *xv = m.x + beg;
    R_xlen_t na_j = 0, neg_j = 0;
    int cna = 0;
    double tj = idx_colsum(xv, end - beg);
    if (!isfinite(tj)) {
        double s0 = 0.0, s1 = 0.0;
        for (R_xlen_t k = 0; k < end - beg; k++) {
            double v = xv[k];
            if (isnan(v)) { cna = 1; na_j++; continue; }
            neg_j += v < 0;
            KAHAN(s0, s1, v);
        }
        tj = isnan(s1) ? s0 : s0 - s1;
    } else {
        for (R_xlen_t k = 0; k < end - beg; k++) neg_j += xv[k] < 0;
    }
    cs[j] = tj;
    colna[j] = cna;
    nnaJ[j] = na_j;
    nnegJ[j] = neg_j;
}

/* The Gini of the n cells xv of an industry of total T over nr regions;
 * rk1, rk2 (n keys), cnt: sort scratch.                                 */
static double conc_gini(const double *xv, R_xlen_t n, int nr, double T,
                        uint64_t *rk1, uint64_t *rk2, int *cnt)
{
    /* G = sum_k (2 rank_k - n - 1) y_(k) / (n sum y); the n - nv
     * zero cells take ranks 1 .. n - nv and add nothing.  The
     * positive cells are gathered branch-free (every cell is
     * written, only a positive one is kept).                   */
    R_xlen_t nv = 0;
    for (R_xlen_t k = 0; k < n; k++) {
        double v = xv[k];
        rk1[nv] = idx_bits(v);
        nv += v > 0;
    }
    idx_sort_keys(rk1, NULL, rk2, NULL, nv, cnt);
    const uint64_t *sv = rk1;
    kahan gk = {0.0, 0.0};
    const double a0 = 2.0 * (nr - nv + 1) - nr - 1;
    /* Kahan sum over pairwise sums of eight terms */
#define IDX_GTERM(k) ((a0 + 2.0 * (k)) * idx_dbl(sv[k]))
    R_xlen_t k = 0;
    for (; k + 8 <= nv; k += 8)
        kahan_add(&gk, ((IDX_GTERM(k) + IDX_GTERM(k + 1)) +
                            (IDX_GTERM(k + 2) + IDX_GTERM(k + 3))) +
                           ((IDX_GTERM(k + 4) + IDX_GTERM(k + 5)) +
                            (IDX_GTERM(k + 6) + IDX_GTERM(k + 7))));
    for (; k < nv; k++) kahan_add(&gk, IDX_GTERM(k));
#undef IDX_GTERM
    double gini = (gk.s - gk.c) / ((double) nr * T);
    return gini < 0 ? 0 : gini;
}

/* The locational Gini from the ntr positive cells in increasing order of
 * LQ (sx: their positions in xv; rix their regions, NULL for dense), iT
 * the industry's 1 / total, wt the regions' reference shares.           */
static double conc_locational_gini(const double *xv, const int *rix,
                                   const int *sx, int ntr, double iT,
                                   const double *wt, double wsum)
{
    /* Area = sum_k w_k (C_k + C_k-1), C_k the cumulated
     * shares.  Blocks of four cells: P, the compensated
     * prefix before the block, enters as 2 P (w_0 + .. +
     * w_3), the prefixes L_k within the block as plain
     * sums; the Kahan sums of the prefix and of the area
     * advance once per block (no chain of dependent
     * additions per cell; blocks of eight were no faster,
     * the reads through the cell index bounding the loop). */
    kahan P = {0.0, 0.0}, A = {0.0, 0.0};
#define IDX_CELL(k) (xv[sx[k]] * iT)
#define IDX_WGT(k) (wt[rix ? rix[sx[k]] : sx[k]])
    int k = 0;
    for (; k + 4 <= ntr; k += 4) {
        double c0 = IDX_CELL(k), c1 = IDX_CELL(k + 1),
            c2 = IDX_CELL(k + 2), c3 = IDX_CELL(k + 3);
        double w0 = IDX_WGT(k), w1 = IDX_WGT(k + 1),
            w2 = IDX_WGT(k + 2), w3 = IDX_WGT(k + 3);
        double L1 = c0 + c1, L2 = L1 + c2, L3 = L2 + c3;
        double Pv = P.s - P.c;
        kahan_add(&A, 2.0 * Pv * ((w0 + w1) + (w2 + w3)) +
                          ((w0 * c0 + w1 * (L1 + c0)) +
                           (w2 * (L2 + L1) + w3 * (L3 + L2))));
        kahan_add(&P, L3);
    }
    for (; k < ntr; k++) {
        double c0 = IDX_CELL(k), w0 = IDX_WGT(k);
        kahan_add(&A, w0 * (2.0 * (P.s - P.c) + c0));
        kahan_add(&P, c0);
    }
#undef IDX_WGT
#undef IDX_CELL
    double lg = 1.0 - (A.s - A.c) / wsum;
    return lg < 0 ? 0 : lg;
}

/* The Gini of the LQs, sk their ntr sorted bit patterns, over the npos
 * regions of positive reference share.                                  */
static double conc_gini_lq(const uint64_t *sk, int ntr, int npos)
{
    /* G = sum_k (2 rank_k - npos - 1) LQ_(k) / (npos sum LQ)
     * over the npos regions of positive reference share;
     * those with a zero cell take the lowest ranks.        */
    kahan Q = {0.0, 0.0}, GQ = {0.0, 0.0};
    const double a0 = 2.0 * (npos - ntr + 1) - npos - 1;
    /* both Kahan sums in one pass, over pairwise sums of
     * eight terms: short dependency chains per LQ       */
#define IDX_LQ(k) (idx_dbl(sk[k]))
    int k = 0;
    for (; k + 8 <= ntr; k += 8) {
        double q0 = IDX_LQ(k), q1 = IDX_LQ(k + 1),
            q2 = IDX_LQ(k + 2), q3 = IDX_LQ(k + 3),
            q4 = IDX_LQ(k + 4), q5 = IDX_LQ(k + 5),
            q6 = IDX_LQ(k + 6), q7 = IDX_LQ(k + 7);
        double ak = a0 + 2.0 * k;
        kahan_add(&Q, ((q0 + q1) + (q2 + q3)) + ((q4 + q5) + (q6 + q7)));
        kahan_add(&GQ, ((ak * q0 + (ak + 2.0) * q1) +
                            ((ak + 4.0) * q2 + (ak + 6.0) * q3)) +
                           (((ak + 8.0) * q4 + (ak + 10.0) * q5) +
                            ((ak + 12.0) * q6 + (ak + 14.0) * q7)));
    }
    for (; k < ntr; k++) {
        kahan_add(&Q, IDX_LQ(k));
        kahan_add(&GQ, (a0 + 2.0 * k) * IDX_LQ(k));
    }
#undef IDX_LQ
    double glq = (GQ.s - GQ.c) / ((double) npos * (Q.s - Q.c));
    return glq < 0 ? 0 : glq;
}

/* Industry j of group g: its Krugman, Hoover, Gini, locational Gini and
 * Gini of LQs.  Called from the parallel loop of conc_group(): plain C, no
 * R API; each industry with the same arithmetic whichever thread runs it. */
static void conc_industry(const conc_ws *S, const conc_grp *G, int g, int j)
{
    idx_stack m = S->m;
    const int *wh = S->wh;
    const double *wn = S->wn;
    const int nw = S->nw, want_gini = S->want_gini, want_lgi = S->want_lgi,
        want_glq = S->want_glq, want_k = S->want_k, want_lg = S->want_lg,
        na_rm = S->na_rm, nr = S->nr, nc = S->nc, col_only = S->col_only;
    const R_xlen_t nout = S->nout;
    double *out = S->out;
    const size_t ns1 = S->ns1, nb1 = S->nb1;
    double *wt = S->wt, *cs = S->cs, *iw = S->iw;
    int *colna = S->colna, *cnt_all = S->cnt_all, *ri1_all = S->ri1_all,
        *ri2_all = S->ri2_all;
    uint64_t *rk1_all = S->rk1_all, *rk2_all = S->rk2_all;
    const double X = G->X, den = G->den, wsum = G->wsum, hsum = G->hsum;
    const int group_na = G->group_na, npos = G->npos;
    (void) X; (void) den; (void) wsum; (void) hsum; (void) group_na; (void) npos;
    int tid = 0;
#ifdef _OPENMP
    tid = omp_get_thread_num();
#endif
    int *cnt = cnt_all + (size_t) tid * nb1;
    uint64_t *rk1 = rk1_all + (size_t) tid * ns1;
    uint64_t *rk2 = rk2_all + (size_t) tid * ns1;
    int *ri1 = ri1_all + (size_t) tid * ns1;
    int *ri2 = ri2_all + (size_t) tid * ns1;
    R_xlen_t c = (R_xlen_t) g * nc + j;
    R_xlen_t beg = idx_beg(&m, c), end = idx_beg(&m, c + 1);
    double *o = out + c;
    if (col_only) conc_colsum(S, j, beg, end);
    double T = cs[j];
    /* (with col_only, the group's NA rule and total are applied
     * after the industries)                                      */
    if (group_na || (colna[j] && !na_rm) || !(T > 0) || (!col_only && !(den > 0))) {
        for (int w = 0; w < nw; w++) o[(R_xlen_t) w * nout] = NA_REAL;
        return;
    }
    /* Krugman (and weighted Hoover) terms over every stored cell,
     * branch-free (a zero, NA or negative cell adds exactly 0),
     * summed by KAHAN_SUM4.                                     */
    const R_xlen_t n = end - beg;
    const double *xv = m.x + beg;
    const int *rix = m.ri ? m.ri + beg : NULL;
    const double iT = 1.0 / T;
    kahan kk = {0.0, 0.0}, hw = {0.0, 0.0};
#define IDX_KTERM(k) (rix ? (xv[k] > 0 ? fabs(xv[k] * iT - wt[rix[k]]) - wt[rix[k]] : 0.0) \
                  : (xv[k] > 0 ? fabs(xv[k] * iT - wt[k]) - wt[k] : 0.0))
#define IDX_WTERM(k) (wn[rix ? rix[k] : k] * IDX_KTERM(k))
    if (want_k) KAHAN_SUM4(kk, IDX_KTERM, n);
    if (wn) KAHAN_SUM4(hw, IDX_WTERM, n);
#undef IDX_WTERM
#undef IDX_KTERM
    double K = kk.s + wsum;
    if (K < 0) K = 0;
    double H = K / 2;
    if (wn) {
        H = (hw.s + hsum) / 2;
        if (H < 0) H = 0;
    }
    double gini = NA_REAL, lg = NA_REAL, glq = NA_REAL;
    if (want_gini) gini = conc_gini(xv, n, nr, T, rk1, rk2, cnt);
    if (want_lg) {
        /* Lorenz curve of the industry's regional shares against the
         * reference shares, regions in increasing order of LQ; the
         * zero cells come first and add no area.  The sort carries
         * each LQ's cell; share and weight are read through it.    */
        int ntr = 0;
        if (rix) {
            for (R_xlen_t k = 0; k < n; k++) {
                double v = xv[k];
                rk1[ntr] = idx_bits((v * iT) * iw[rix[k]]);
                ri1[ntr] = (int) k;
                ntr += v > 0;
            }
        } else {
            for (R_xlen_t k = 0; k < n; k++) {
                double v = xv[k];
                rk1[ntr] = idx_bits((v * iT) * iw[k]);
                ri1[ntr] = (int) k;
                ntr += v > 0;
            }
        }
        /* the cells' order is needed for the locational Gini only */
        idx_sort_keys(rk1, want_lgi ? ri1 : NULL, rk2, ri2, ntr, cnt);
        const uint64_t *sk = rk1;
        const int *sx = ri1;
        /* An infinite LQ (a positive cell of a region of reference
         * share 0) sorts last; the Gini of the LQs is then NA.     */
        const int inf_lq = ntr > 0 && sk[ntr - 1] >= IDX_INF_BITS;
        if (want_lgi) lg = conc_locational_gini(xv, rix, sx, ntr, iT, wt, wsum);
        if (want_glq && !inf_lq) glq = conc_gini_lq(sk, ntr, npos);
    }
    for (int w = 0; w < nw; w++) {
        double val;
        switch (wh[w]) {
        case CONC_KRUGMAN: val = K; break;
        case CONC_HOOVER: val = H; break;
        case CONC_GINI: val = gini; break;
        case CONC_LOCATIONAL_GINI: val = lg; break;
        default: val = glq; break;   /* CONC_GINI_LQ */
        }
        o[(R_xlen_t) w * nout] = val;
    }
}

/* Group (year) g: margins, regional shares, every industry (in parallel)
 * and, for the Gini alone, the group's total and NA rule afterwards.      */
static void conc_group(conc_ws *S, int g)
{
    idx_stack m = S->m;
    SEXP reference = S->reference;
    const double *wn = S->wn;
    const int nt = S->nt, nw = S->nw, na_rm = S->na_rm, has_ref = S->has_ref,
        nr = S->nr, nc = S->nc, need_sort = S->need_sort,
        col_only = S->col_only;
    const R_xlen_t nout = S->nout;
    double *out = S->out;
    const double refsum = S->refsum;
    double *rs = S->rs, *wt = S->wt, *cs = S->cs, *iw = S->iw;
    int *rowna = S->rowna, *colna = S->colna;
    R_xlen_t *nnaJ = S->nnaJ, *nnegJ = S->nnegJ;
    double X = 0.0;
    R_xlen_t nna = 0;
    if (!col_only) {
        nna = idx_margins(&m, g, rs, cs, rowna, colna, &X, &S->neg);
        S->suspect |= idx_suspect(nna, X);
    }
    int group_na = (nna > 0 && !na_rm && !has_ref);
    double den = has_ref ? refsum : X;
    ksum wk = {0.0, 0.0}, hk = {0.0, 0.0};
    int npos = 0;
    for (int i = 0; i < nr && !col_only; i++) {
        wt[i] = (has_ref ? REAL(reference)[i] : rs[i]) / den;
        ksum_add(&wk, wt[i]);
        if (wn) ksum_add(&hk, wn[i] * wt[i]);
        if (wt[i] > 0) npos++;
        /* LQs as products: exactly tied LQs may come out unequal (and
         * sort either way), which leaves the Lorenz area unchanged    */
        iw[i] = wt[i] > 0 ? 1.0 / wt[i] : R_PosInf;
    }
    double wsum = ksum_value(&wk), hsum = ksum_value(&hk);
    /* Each industry is computed on its own, with the same arithmetic
     * whichever thread takes it: results do not depend on nt.  Plain C
     * only inside the parallel loop (no R API).                       */
    const R_xlen_t ncell = idx_beg(&m, (R_xlen_t) (g + 1) * nc) -
                           idx_beg(&m, (R_xlen_t) g * nc);
    const double work = (double) ncell * (need_sort ? 8.0 : 1.0);
    (void) work;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(dynamic, 8) \
    if (nt > 1 && nc > 1 && work >= IDX_PAR_MIN)
#endif
    for (int j = 0; j < nc; j++) {
        conc_grp G = {X, den, wsum, hsum, group_na, npos};
        conc_industry(S, &G, g, j);
    }
    if (col_only) {
        /* the group's total, NA cells and negatives, in industry order */
        ksum tot = {0.0, 0.0};
        for (int j = 0; j < nc; j++) {
            ksum_add(&tot, cs[j]);
            nna += nnaJ[j];
            S->neg += nnegJ[j];
        }
        X = ksum_value(&tot);
        S->suspect |= idx_suspect(nna, X);
        den = has_ref ? refsum : X;
        if ((nna > 0 && !na_rm && !has_ref) || !(den > 0))
            for (int j = 0; j < nc; j++)
                for (int w = 0; w < nw; w++)
                    out[(R_xlen_t) g * nc + j + (R_xlen_t) w * nout] = NA_REAL;
    }
}

/* The scratch of ffi_concentration(): per-region and per-industry sums and
 * NA flags, and the sorts' buffers (one slice of nr elements per thread). */
static void conc_workspace(conc_ws *S, int nr, int nc, int nt, int need_sort,
                           int col_only)
{
    size_t nr1 = nr > 0 ? nr : 1, nc1 = nc > 0 ? nc : 1;
    const size_t nts = (size_t) nt;
    const size_t ns1 = need_sort ? nr1 : 1;
    const size_t nb1 = need_sort ? IDX_NCNT : 1;
    S->rs = (double *) R_alloc(nr1, sizeof(double));
    S->wt = (double *) R_alloc(nr1, sizeof(double));
    S->rowna = (int *) R_alloc(nr1, sizeof(int));
    S->cs = (double *) R_alloc(nc1, sizeof(double));
    S->colna = (int *) R_alloc(nc1, sizeof(int));
    S->cnt_all = (int *) R_alloc(nb1 * nts, sizeof(int));
    S->iw = (double *) R_alloc(nr1, sizeof(double));
    S->rk1_all = (uint64_t *) R_alloc(ns1 * nts, sizeof(uint64_t));
    S->rk2_all = (uint64_t *) R_alloc(ns1 * nts, sizeof(uint64_t));
    S->ri1_all = (int *) R_alloc(ns1 * nts, sizeof(int));
    S->ri2_all = (int *) R_alloc(ns1 * nts, sizeof(int));
    S->nnaJ = col_only ? (R_xlen_t *) R_alloc(nc1, sizeof(R_xlen_t)) : NULL;
    S->nnegJ = col_only ? (R_xlen_t *) R_alloc(nc1, sizeof(R_xlen_t)) : NULL;
    S->nr1 = nr1; S->nc1 = nc1; S->nts = nts; S->ns1 = ns1; S->nb1 = nb1;
}

/* ffi_concentration() on slots from R (strict) or a panel's stack.      */
static SEXP conc_run(SEXP x, SEXP ri, SEXP cp, SEXP dims, SEXP which,
                     SEXP reference, SEXP narm, SEXP weights, SEXP threads,
                     int strict)
{
    conc_ws S;
    idx_stack m;
    if (!idx_stack_read(&m, x, ri, cp, dims, strict)) return idx_malformed();
    const int nt = n_threads(threads);
    m.nt = nt;
    const int nw = (int) XLENGTH(which);
    const int *wh = choice_codes(which, conc_names, CONC_N, "index");
    int want_gini = 0, want_lgi = 0, want_glq = 0, want_k = 0;
    for (int w = 0; w < nw; w++) {
        if (wh[w] == CONC_KRUGMAN || (wh[w] == CONC_HOOVER && isNull(weights))) want_k = 1;
        if (wh[w] == CONC_GINI) want_gini = 1;
        if (wh[w] == CONC_LOCATIONAL_GINI) want_lgi = 1;
        if (wh[w] == CONC_GINI_LQ) want_glq = 1;
    }
    const int want_lg = want_lgi || want_glq;
    const int na_rm = scalar_int(narm, "narm");
    const int has_ref = !isNull(reference);
    const int nr = m.nr, nc = m.nc, ng = m.ng;
    if (has_ref) { need_real(reference, "reference"); need_len(reference, nr, "reference"); }
    /* weighted Hoover: H_j = 1/2 sum_i w_i |c_ij - r_i|                    */
    const double *wn = idx_norm_weights(weights, nr);

    R_xlen_t nout = (R_xlen_t) nc * ng;
    if (nout > INT_MAX) error("too many industry x group rows");
    int nprot = 0;
    SEXP res = PROTECT(allocMatrix(REALSXP, (int) nout, nw)); nprot++;
    double *out = REAL(res);

    const int need_sort = want_gini || want_lg;
    /* The Gini alone needs no region totals: each industry's total (and its
     * NA and negative cells) is formed in its own pass below, from the
     * cells it reads anyway, and the group's total and NA rule are applied
     * after the industries.                                                */
    const int col_only = want_gini && !want_k && !want_lg && !wn;
    conc_workspace(&S, nr, nc, nt, need_sort, col_only);
    double refsum = has_ref ? ksum_array(REAL(reference), nr) : 0.0;

    S.m = m; S.reference = reference; S.wh = wh; S.wn = wn;
    S.nt = nt; S.nw = nw; S.want_gini = want_gini; S.want_lgi = want_lgi;
    S.want_glq = want_glq; S.want_k = want_k; S.want_lg = want_lg;
    S.na_rm = na_rm; S.has_ref = has_ref; S.nr = nr; S.nc = nc; S.ng = ng;
    S.need_sort = need_sort; S.col_only = col_only;
    S.nout = nout; S.neg = 0; S.out = out; S.refsum = refsum; S.suspect = 0;
    for (int g = 0; g < ng; g++) {
        if (g > 0) R_CheckUserInterrupt();   /* between groups: R_alloc'd scratch */
        conc_group(&S, g);
    }
    SEXP ans = PROTECT(idx_result(res, S.neg, S.suspect)); nprot++;
    UNPROTECT(nprot);
    return ans;
}

/* The long-panel entry of concentration() (panel_entry; the reference
 * and weights over regions).                                             */
SEXP ffi_concentration(SEXP x, SEXP ri, SEXP cp, SEXP dims, SEXP which,
                       SEXP reference, SEXP narm, SEXP weights, SEXP threads)
{
    return conc_run(x, ri, cp, dims, which, reference, narm, weights, threads, 1);
}

static SEXP conc_on_stack(SEXP x, SEXP ri, SEXP cp, SEXP dims, const SEXP *a)
{
    return conc_run(x, ri, cp, dims, a[0], a[1], a[2], a[3], a[4], 0);
}

SEXP ffi_concentration_panel(SEXP region, SEXP industry, SEXP group, SEXP value,
                             SEXP which, SEXP reference, SEXP narm, SEXP weights,
                             SEXP threads)
{
    const SEXP a[] = {which, reference, narm, weights, threads};
    return panel_entry(region, industry, group, value, threads, 0, conc_on_stack, a);
}
