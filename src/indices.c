/* indices.c - specialisation (per region) and concentration (per industry)
 * indices of region x industry matrices, for dense matrices, dgCMatrix and
 * long panels (built into a stack of sparse matrices by idx_panel in
 * indices-panel.c).
 *
 * Every kernel makes two passes over the stored entries: pass 1 forms the
 * region and industry totals (compensated, see idx_margins), pass 2
 * accumulates each index over the non-zero cells only (a dense matrix: over
 * every cell, branch-free, zeros adding exactly 0); the contribution of
 * the zero cells is added in closed form (e.g. Krugman: sum over zero cells
 * of s_j = sum_j s_j - sum over non-zero cells of s_j).  The Gini-type
 * indices sort the non-zero cells of each industry once: O(m log m).
 */
#include "indices.h"
#include <stdint.h>
#include <string.h>

/* ---- the stack ---------------------------------------------------------- */

void idx_stack_from(idx_stack *m, SEXP x, SEXP ri, SEXP cp, SEXP dims)
{
    gvc_need_real(x, "x");
    gvc_need_int(dims, "dims");
    gvc_need_len(dims, 3, "dims");
    m->nr = INTEGER(dims)[0];
    m->nc = INTEGER(dims)[1];
    m->ng = INTEGER(dims)[2];
    if (m->nr < 0 || m->nc < 0 || m->ng < 0)
        error("internal error: negative dimension");
    m->x = REAL(x);
    m->nt = 1;
    R_xlen_t ncol = (R_xlen_t) m->nc * m->ng;
    if (isNull(ri)) {
        if (m->ng != 1) error("internal error: a dense stack has one group");
        gvc_need_len(x, (R_xlen_t) m->nr * m->nc, "x");
        m->ri = NULL;
        m->cp = NULL;
        return;
    }
    gvc_need_int(ri, "ri");
    gvc_need_len(ri, XLENGTH(x), "ri");
    gvc_need_len(cp, ncol + 1, "cp");
    R_xlen_t *p = (R_xlen_t *) R_alloc(ncol + 1, sizeof(R_xlen_t));
    if (TYPEOF(cp) == INTSXP) {
        const int *q = INTEGER(cp);
        for (R_xlen_t c = 0; c <= ncol; c++) p[c] = q[c];
    } else if (TYPEOF(cp) == REALSXP) {
        const double *q = REAL(cp);
        for (R_xlen_t c = 0; c <= ncol; c++) p[c] = (R_xlen_t) q[c];
    } else error("internal error: 'cp' must be integer or double");
    if (p[0] != 0 || p[ncol] != XLENGTH(x))
        error("internal error: 'cp' does not span 'x'");
    for (R_xlen_t c = 0; c < ncol; c++)
        if (p[c + 1] < p[c]) error("internal error: 'cp' decreases");
    const int *r = INTEGER(ri);
    const R_xlen_t nx = XLENGTH(x);
    const unsigned nru = (unsigned) m->nr;
    int bad = 0;
    for (R_xlen_t k = 0; k < nx; k++) bad |= (unsigned) r[k] >= nru;
    if (bad) error("internal error: row index out of range");
    m->ri = r;
    m->cp = p;
}

/* Pass 1.  Column sums: Kahan summation of pairwise sums of eight cells
 * (relative error a few eps; a single Kahan sum is a chain of four
 * dependent additions per cell, which made this pass compute-bound).  A
 * non-finite column sum means NA (or Inf) cells: that column is summed
 * again cell by cell, skipping and flagging the NAs.  Row sums: one Kahan
 * accumulator per region; for a dense matrix, fed with plain partial sums
 * over blocks of IDX_BLOCK columns (at most IDX_BLOCK - 1 roundings each),
 * so the per-cell work is one addition.                                  */
#define IDX_BLOCK 16

/* Parallel loops run only from this much work (cells, a sort counting as
 * eight); below it, starting the threads costs more than they save.      */
#define IDX_PAR_MIN 50000.0

/* Compensated sum of n values: Kahan over pairwise sums of eight (no chain
 * of dependent additions per value); NaN or Inf when a value is.           */
static inline double idx_colsum(const double *xv, R_xlen_t n)
{
    double s = 0.0, sc = 0.0;
    R_xlen_t k = 0;
    for (; k + 8 <= n; k += 8) {
        double a = ((xv[k] + xv[k + 1]) + (xv[k + 2] + xv[k + 3])) +
                   ((xv[k + 4] + xv[k + 5]) + (xv[k + 6] + xv[k + 7]));
        IDX_KAHAN(s, sc, a);
    }
    for (; k < n; k++) IDX_KAHAN(s, sc, xv[k]);
    return s - sc;
}

/* The slow path for a column holding NaN or Inf: its compensated sum
 * without the NaNs, which flag their regions (rowna[i] = 1, *cna = 1,
 * counted in *nna); negatives counted in *nneg; each other value added to
 * its region's sum, plainly into rp[k] (dense: rix NULL, region k of the
 * segment) or compensated into rs[rix[k]], rc[rix[k]] (sparse).           */
static double idx_colsum_na(const double *xv, R_xlen_t n, const int *rix,
                            double *rp, double *rs, double *rc, int *rowna,
                            int *cna, R_xlen_t *nna, R_xlen_t *nneg)
{
    double s = 0.0, sc = 0.0;
    for (R_xlen_t k = 0; k < n; k++) {
        double v = xv[k];
        int i = rix ? rix[k] : (int) k;
        if (isnan(v)) { rowna[i] = 1; *cna = 1; (*nna)++; continue; }
        *nneg += v < 0;
        IDX_KAHAN(s, sc, v);
        if (rix) IDX_KAHAN(rs[i], rc[i], v);
        else rp[k] += v;
    }
    return isnan(sc) ? s : s - sc;
}

/* Dense matrix: the regions are cut into segments of IDX_MSEG rows (fixed
 * by nr alone), which may run on different threads (m->nt).  Each segment
 * forms its regions' sums exactly as described above and one partial sum
 * per column of its rows; the column sums then add the segments' partials
 * in segment order (Kahan).  The same segments and the same order for any
 * number of threads: results do not depend on it.  Plain C inside the
 * parallel loop (isnan/isfinite, no R API).                              */
#define IDX_MSEG 512

/* Column segments of a sparse group with IDX_PAR_MIN entries or more.    */
#define IDX_CSEG 4

static R_xlen_t idx_margins_dense(const idx_stack *m, double *rs, double *cs,
                                  int *rowna, int *colna, double *total,
                                  R_xlen_t *neg)
{
    const int nr = m->nr, nc = m->nc, nt = m->nt;
    const int nseg = nr > 0 ? (nr + IDX_MSEG - 1) / IDX_MSEG : 0;
    const size_t nr1 = nr > 0 ? nr : 1, ns1 = nseg > 0 ? nseg : 1, nc1 = nc > 0 ? nc : 1;
    double *rc = (double *) R_alloc(nr1, sizeof(double));
    double *rp = (double *) R_alloc(nr1, sizeof(double));
    double *colp = (double *) R_alloc(ns1 * nc1, sizeof(double));
    int *segna = (int *) R_alloc(ns1 * nc1, sizeof(int));
    R_xlen_t *nna_s = (R_xlen_t *) R_alloc(ns1, sizeof(R_xlen_t));
    R_xlen_t *nneg_s = (R_xlen_t *) R_alloc(ns1, sizeof(R_xlen_t));
    for (int i = 0; i < nr; i++) { rs[i] = rc[i] = rp[i] = 0.0; rowna[i] = 0; }
    (void) nt;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) \
        if (nt > 1 && nseg > 1 && (double) nr * nc >= IDX_PAR_MIN)
#endif
    for (int sg = 0; sg < nseg; sg++) {
        const int i0 = sg * IDX_MSEG, i1 = i0 + IDX_MSEG < nr ? i0 + IDX_MSEG : nr;
        const R_xlen_t n = i1 - i0;
        R_xlen_t nna = 0, nneg = 0;
        double *rpv = rp + i0;
        for (int j = 0; j < nc; j++) {
            const double *xv = m->x + (R_xlen_t) j * nr + i0;
            double col = idx_colsum(xv, n);
            int cna = 0;
            if (!isfinite(col)) {
                col = idx_colsum_na(xv, n, NULL, rpv, NULL, NULL, rowna + i0,
                                    &cna, &nna, &nneg);
            } else {
                for (R_xlen_t k = 0; k < n; k++) {
                    double v = xv[k];
                    nneg += v < 0;
                    rpv[k] += v;
                }
            }
            if ((j + 1) % IDX_BLOCK == 0 || j == nc - 1)
                for (int i = i0; i < i1; i++) {
                    IDX_KAHAN(rs[i], rc[i], rp[i]);
                    rp[i] = 0.0;
                }
            colp[(size_t) sg * nc1 + j] = col;
            segna[(size_t) sg * nc1 + j] = cna;
        }
        nna_s[sg] = nna;
        nneg_s[sg] = nneg;
    }
    R_xlen_t nna = 0, nneg = 0;
    for (int sg = 0; sg < nseg; sg++) { nna += nna_s[sg]; nneg += nneg_s[sg]; }
    gvc_ksum tot = {0.0, 0.0};
    for (int j = 0; j < nc; j++) {
        double s = 0.0, sc = 0.0;
        int cna = 0;
        for (int sg = 0; sg < nseg; sg++) {
            IDX_KAHAN(s, sc, colp[(size_t) sg * nc1 + j]);
            cna |= segna[(size_t) sg * nc1 + j];
        }
        cs[j] = isnan(sc) ? s : s - sc;
        colna[j] = cna;
        gvc_ksum_add(&tot, cs[j]);
    }
    for (int i = 0; i < nr; i++) rs[i] -= rc[i];
    *total = gvc_ksum_value(&tot);
    *neg += nneg;
    return nna;
}

/* Sparse stack: the columns of group g are cut into idx_nseg_sparse()
 * segments (fixed by the data alone), which may run on different threads;
 * each segment keeps its own per-region Kahan sums, added in segment order
 * afterwards.  Each column sum is formed by one segment as before.        */
int idx_nseg_sparse(const idx_stack *m, int g)
{
    R_xlen_t c0 = (R_xlen_t) g * m->nc;
    R_xlen_t nnz = idx_beg(m, c0 + m->nc) - idx_beg(m, c0);
    return ((double) nnz >= IDX_PAR_MIN && m->nc >= 2 * IDX_CSEG) ? IDX_CSEG : 1;
}

R_xlen_t idx_margins(const idx_stack *m, int g, double *rs, double *cs,
                     int *rowna, int *colna, double *total, R_xlen_t *neg)
{
    if (!m->ri) return idx_margins_dense(m, rs, cs, rowna, colna, total, neg);
    const int nr = m->nr, nc = m->nc, nt = m->nt;
    const int nseg = idx_nseg_sparse(m, g);
    const size_t nr1 = nr > 0 ? nr : 1;
    double *rsS = (double *) R_alloc(nr1 * nseg, sizeof(double));
    double *rcS = (double *) R_alloc(nr1 * nseg, sizeof(double));
    int *naS = (int *) R_alloc(nr1 * nseg, sizeof(int));
    R_xlen_t *nnaS = (R_xlen_t *) R_alloc(nseg, sizeof(R_xlen_t));
    R_xlen_t *nnegS = (R_xlen_t *) R_alloc(nseg, sizeof(R_xlen_t));
    (void) nt;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) if (nt > 1 && nseg > 1)
#endif
    for (int sg = 0; sg < nseg; sg++) {
        const int j0 = idx_cseg_at(nc, sg, nseg), j1 = idx_cseg_at(nc, sg + 1, nseg);
        double *rsp = rsS + nr1 * sg, *rcp = rcS + nr1 * sg;
        int *nap = naS + nr1 * sg;
        for (int i = 0; i < nr; i++) { rsp[i] = rcp[i] = 0.0; nap[i] = 0; }
        R_xlen_t nna = 0, nneg = 0;
        for (int j = j0; j < j1; j++) {
            R_xlen_t c = (R_xlen_t) g * nc + j;
            R_xlen_t beg = idx_beg(m, c), n = idx_beg(m, c + 1) - beg;
            const double *xv = m->x + beg;
            const int *rix = m->ri + beg;
            double col = idx_colsum(xv, n);
            int cna = 0;
            if (!isfinite(col)) {
                col = idx_colsum_na(xv, n, rix, NULL, rsp, rcp, nap, &cna, &nna,
                                    &nneg);
            } else {
                for (R_xlen_t k = 0; k < n; k++) {
                    double v = xv[k];
                    int i = rix[k];
                    nneg += v < 0;
                    IDX_KAHAN(rsp[i], rcp[i], v);
                }
            }
            colna[j] = cna;
            cs[j] = col;
        }
        nnaS[sg] = nna;
        nnegS[sg] = nneg;
    }
    gvc_ksum tot = {0.0, 0.0};
    for (int j = 0; j < nc; j++) gvc_ksum_add(&tot, cs[j]);
    R_xlen_t nna = 0, nneg = 0;
    for (int sg = 0; sg < nseg; sg++) { nna += nnaS[sg]; nneg += nnegS[sg]; }
    for (int i = 0; i < nr; i++) {
        double s = 0.0, sc = 0.0;
        int na = 0;
        for (int sg = 0; sg < nseg; sg++) {
            IDX_KAHAN(s, sc, rsS[nr1 * sg + i] - rcS[nr1 * sg + i]);
            na |= naS[nr1 * sg + i];
        }
        rs[i] = isnan(sc) ? s : s - sc;
        rowna[i] = na;
    }
    *total = gvc_ksum_value(&tot);
    *neg += nneg;
    return nna;
}

/* ---- specialisation of regions ------------------------------------------
 * Index codes (columns of the result), in the order of `which`:
 *  0 krugman  1 hoover  2 hhi  3 hhi_normalized  4 hhi_equivalent
 *  5 entropy  6 theil_t  7 theil_l  8 duranton_puga  9 lq_average
 *  10 hachman                                                              */
#define SPEC_N 11

/* Weights of the weighted Hoover index (NULL: unweighted), normalised to
 * sum to one; n values.                                                    */
static const double *idx_norm_weights(SEXP weights, int n)
{
    if (isNull(weights)) return NULL;
    gvc_need_real(weights, "weights");
    gvc_need_len(weights, n, "weights");
    double ws = gvc_ksum_array(REAL(weights), n);
    if (!(ws > 0)) error("internal error: weights sum to zero");
    double *w = (double *) R_alloc(n > 0 ? n : 1, sizeof(double));
    for (int i = 0; i < n; i++) w[i] = REAL(weights)[i] / ws;
    return w;
}

SEXP idx_specialization(SEXP x, SEXP ri, SEXP cp, SEXP dims, SEXP which,
                        SEXP reference, SEXP others, SEXP narm, SEXP weights,
                        SEXP threads)
{
    idx_stack m;
    idx_stack_from(&m, x, ri, cp, dims);
    const int nt = gvc_threads(threads);
    m.nt = nt;
    gvc_need_int(which, "which");
    const int nw = (int) XLENGTH(which), *wh = INTEGER(which);
    for (int w = 0; w < nw; w++)
        if (wh[w] < 0 || wh[w] >= SPEC_N) error("internal error: bad index code");
    /* Regions per block of the dense loops over regions: one contiguous
     * block per thread (a multiple of 8, so that no two blocks share a
     * cache line of the per-region accumulators).  Every accumulator
     * belongs to one region and sees the same operations in the same order
     * whatever the blocks are, so the results do not depend on nt.        */
    const int par_r = nt > 1 && m.nr >= 16 && (double) m.nr * m.nc >= IDX_PAR_MIN;
    const int rch = par_r ? (((m.nr + nt - 1) / nt + 7) / 8) * 8 : (m.nr > 0 ? m.nr : 1);
    const int oth = gvc_scalar_int(others, "others");
    const int na_rm = gvc_scalar_int(narm, "narm");
    const int has_ref = !isNull(reference);
    const int nr = m.nr, nc = m.nc, ng = m.ng;
    if (has_ref) { gvc_need_real(reference, "reference"); gvc_need_len(reference, nc, "reference"); }
    /* weighted Hoover: H_i = 1/2 sum_j w_j |s_ij - s_j|, accumulated like
     * Krugman over the non-zero cells plus sum_j w_j s_j for the zeros    */
    const double *wn = idx_norm_weights(weights, nc);
    int want_log = 0, want_theil = 0, need_k = 0, need_h = 0, need_q = 0;
    for (int w = 0; w < nw; w++) {
        if (wh[w] == 5 || wh[w] == 6 || wh[w] == 7) want_log = 1;
        if (wh[w] == 6 || wh[w] == 7) want_theil = 1;
        if (wh[w] == 0 || wh[w] == 8 || (wh[w] == 1 && !wn)) need_k = 1;
        if (wh[w] == 2 || wh[w] == 3 || wh[w] == 4) need_h = 1;
        if (wh[w] == 9 || wh[w] == 10) need_q = 1;
    }

    R_xlen_t nout = (R_xlen_t) nr * ng;
    if (nout > INT_MAX) error("too many region x group rows");
    int nprot = 0;
    SEXP res = PROTECT(allocMatrix(REALSXP, (int) nout, nw)); nprot++;
    double *out = REAL(res);

    size_t nr1 = nr > 0 ? nr : 1, nc1 = nc > 0 ? nc : 1;
    double *rs = (double *) R_alloc(nr1, sizeof(double));
    double *inv = (double *) R_alloc(nr1, sizeof(double));
    int *rowna = (int *) R_alloc(nr1, sizeof(int));
    int *cntl = (int *) R_alloc(nr1, sizeof(int));
    idx_kahan *ak = (idx_kahan *) R_alloc(nr1, sizeof(idx_kahan));
    idx_kahan *awk = (idx_kahan *) R_alloc(nr1, sizeof(idx_kahan));
    double *kp = (double *) R_alloc(nr1, sizeof(double));
    double *wp = (double *) R_alloc(nr1, sizeof(double));
    double *ah = (double *) R_alloc(nr1, sizeof(double));
    double *ae = (double *) R_alloc(nr1, sizeof(double));
    double *at = (double *) R_alloc(nr1, sizeof(double));
    double *al = (double *) R_alloc(nr1, sizeof(double));
    double *aq = (double *) R_alloc(nr1, sizeof(double));
    double *cs = (double *) R_alloc(nc1, sizeof(double));
    double *sh = (double *) R_alloc(nc1, sizeof(double));
    double *lsh = (double *) R_alloc(nc1, sizeof(double));
    double *ish = (double *) R_alloc(nc1, sizeof(double));
    int *colna = (int *) R_alloc(nc1, sizeof(int));
    R_xlen_t neg = 0;
    int ng_done = 0;
    /* per-segment sums of the sparse pass 2 (IDX_CSEG segments at most) */
    const size_t nsg1 = m.ri ? IDX_CSEG : 1;
    idx_kahan *akS = (idx_kahan *) R_alloc(nr1 * nsg1, sizeof(idx_kahan));
    idx_kahan *awS = (idx_kahan *) R_alloc(nr1 * nsg1, sizeof(idx_kahan));
    double *ahS = (double *) R_alloc(nr1 * nsg1, sizeof(double));
    double *aqS = (double *) R_alloc(nr1 * nsg1, sizeof(double));
    double *aeS = (double *) R_alloc(nr1 * nsg1, sizeof(double));
    double *atS = (double *) R_alloc(nr1 * nsg1, sizeof(double));
    double *alS = (double *) R_alloc(nr1 * nsg1, sizeof(double));
    int *cnS = (int *) R_alloc(nr1 * nsg1, sizeof(int));

    double refsum = has_ref ? gvc_ksum_array(REAL(reference), nc) : 0.0;

    /* The HHI family and the entropy, alone on a dense or sparse matrix
     * (one group), need no industry totals: one pass forms each region's
     * sum of x and of x^2 (HHI: H_i = sum x^2 / (sum x)^2) or of x ln x
     * (entropy: E_i = ln X_i - sum x ln x / X_i); dense: in plain partial
     * sums over blocks of IDX_BLOCK columns combined by Kahan; sparse: in
     * the column segments of idx_margins.  Non-finite sums (NA or Inf
     * cells) take the general path.  The entropy's difference cancels when
     * E_i is small against ln X_i and the mean |ln x|: such regions (bound
     * below) are recomputed as sum s ln s, s = x / X_i (dense: along their
     * row; sparse: in one more pass over the entries); if there are many,
     * the general path runs instead.                                      */
    const int want_ent = want_log && !want_theil;
    if ((!m.ri || ng == 1) && (need_h || want_ent) && !need_k && !need_q && !want_theil &&
        !wn && nr > 0) {
        double *rc = (double *) R_alloc(nr1, sizeof(double));
        double *qs = (double *) R_alloc(nr1, sizeof(double));
        double *qc = (double *) R_alloc(nr1, sizeof(double));
        double *es = (double *) R_alloc(nr1, sizeof(double));
        double *ec = (double *) R_alloc(nr1, sizeof(double));
        for (int i = 0; i < nr; i++) {
            rs[i] = rc[i] = qs[i] = qc[i] = kp[i] = wp[i] = 0.0;
            es[i] = ec[i] = ae[i] = 0.0;
            al[i] = R_PosInf;
        }
        R_xlen_t nneg = 0;
        /* every accumulator belongs to one region: blocks of regions run in
         * parallel with the same arithmetic per region whatever nt is     */
        const int nrb = m.ri ? 0 : (nr + rch - 1) / rch;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) reduction(+:nneg) \
        if (par_r && nrb > 1)
#endif
        for (int b = 0; b < nrb; b++) {
            const int i0 = b * rch, i1 = i0 + rch < nr ? i0 + rch : nr;
            double *restrict kpb = kp, *restrict wpb = wp, *restrict aeb = ae,
                *restrict alb = al;
            for (int j = 0; j < nc; j++) {
                const double *restrict xv = m.x + (R_xlen_t) j * nr;
                if (want_ent)
                    for (int i = i0; i < i1; i++) {
                        double v = xv[i];
                        kpb[i] += v;
                        if (!(v > 0)) { nneg += v < 0; continue; }
                        double e = v * log(v);
                        aeb[i] += e;
                        alb[i] = v < alb[i] ? v : alb[i];   /* smallest x > 0 */
                    }
                else
                    for (int i = i0; i < i1; i++) {
                        double v = xv[i];
                        nneg += v < 0;
                        kpb[i] += v;
                    }
                if (need_h)
                    for (int i = i0; i < i1; i++) wpb[i] += xv[i] * xv[i];
                if ((j + 1) % IDX_BLOCK == 0 || j == nc - 1)
                    for (int i = i0; i < i1; i++) {
                        IDX_KAHAN(rs[i], rc[i], kp[i]);
                        IDX_KAHAN(qs[i], qc[i], wp[i]);
                        IDX_KAHAN(es[i], ec[i], ae[i]);
                        kp[i] = wp[i] = ae[i] = 0.0;
                    }
            }
        }
        /* sparse: the stored entries in the column segments of idx_margins,
         * each with its own per-region sums (Kahan for x and x ln x),
         * added in segment order                                          */
        const int nseg = m.ri ? idx_nseg_sparse(&m, 0) : 0;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) reduction(+:nneg) \
        if (nt > 1 && nseg > 1)
#endif
        for (int sg = 0; sg < nseg; sg++) {
            const int j0 = idx_cseg_at(nc, sg, nseg), j1 = idx_cseg_at(nc, sg + 1, nseg);
            idx_kahan *sx = akS + nr1 * sg, *sl = awS + nr1 * sg;
            double *sq = ahS + nr1 * sg, *mn = alS + nr1 * sg;
            for (int i = 0; i < nr; i++) {
                sx[i].s = sx[i].c = sl[i].s = sl[i].c = sq[i] = 0.0;
                mn[i] = R_PosInf;
            }
            for (R_xlen_t k = idx_beg(&m, j0); k < idx_beg(&m, j1); k++) {
                const double v = m.x[k];
                const int i = m.ri[k];
                nneg += v < 0;
                idx_kahan_add(&sx[i], v);
                sq[i] += v * v;
                if (want_ent && v > 0) {
                    idx_kahan_add(&sl[i], v * log(v));
                    mn[i] = v < mn[i] ? v : mn[i];
                }
            }
        }
        for (int sg = 0; sg < nseg; sg++) {
            const size_t o = nr1 * sg;
            for (int i = 0; i < nr; i++) {
                IDX_KAHAN(rs[i], rc[i], akS[o + i].s - akS[o + i].c);
                IDX_KAHAN(es[i], ec[i], awS[o + i].s - awS[o + i].c);
                qs[i] += ahS[o + i];
                al[i] = alS[o + i] < al[i] ? alS[o + i] : al[i];
            }
        }
        int finite = 1;
        gvc_ksum tk = {0.0, 0.0};
        for (int i = 0; i < nr; i++) {
            rs[i] -= rc[i];
            qs[i] -= qc[i];
            es[i] -= ec[i];
            finite &= R_FINITE(rs[i]) && R_FINITE(qs[i]) && R_FINITE(es[i]);
            gvc_ksum_add(&tk, rs[i]);
        }
        /* entropy: E_i, and the regions whose E_i is below 1e-3 times a
         * bound on what the difference can lose relative to eps: 16 A + |ln
         * X_i| + 16, with A = max(|ln x|) >= sum s |ln x| the scale of the
         * sum, and |ln x| <= max(|ln min x|, |ln X_i|) as 0 < x <= X_i
         * (relative error then below about 1e-12)                        */
        int nexact = 0;
        if (finite && want_ent)
            for (int i = 0; i < nr; i++) {
                if (!(rs[i] > 0)) continue;
                double lx = log(rs[i]), lm = fabs(log(al[i]));
                double A = lm > fabs(lx) ? lm : fabs(lx);
                ae[i] = lx - es[i] / rs[i];
                if (ae[i] < 1e-3 * (16.0 * A + fabs(lx) + 16.0)) {
                    ae[i] = NA_REAL;     /* recomputed below */
                    nexact++;
                }
            }
        if (finite && nexact <= nr / 16 + 1) {
            double X = gvc_ksum_value(&tk), den = has_ref ? refsum : X;
            if (m.ri && nexact) {
                /* sparse: the flagged regions' -sum s ln s in one pass over
                 * the entries, column by column                          */
                for (int i = 0; i < nr; i++) at[i] = 0.0;
                for (R_xlen_t k = 0; k < idx_beg(&m, nc); k++) {
                    const int i = m.ri[k];
                    const double v = m.x[k];
                    if (!ISNAN(ae[i]) || !(v > 0)) continue;
                    const double sv = v * (1.0 / rs[i]);
                    at[i] += sv * log(sv);
                }
                for (int i = 0; i < nr; i++)
                    if (ISNAN(ae[i])) ae[i] = at[i] == 0 ? 0.0 : -at[i];
            }
            for (int i = 0; i < nr; i++) {
                if (!(rs[i] > 0)) continue;
                if (want_ent && ISNAN(ae[i])) {
                    const double ir = 1.0 / rs[i];
                    double e = 0.0;
                    for (int j = 0; j < nc; j++) {
                        double v = m.x[i + (R_xlen_t) j * nr];
                        if (!(v > 0)) continue;
                        double sv = v * ir;
                        e += sv * log(sv);
                    }
                    ae[i] = e == 0 ? 0.0 : -e;
                }
                if (ae[i] < 0) ae[i] = 0;   /* rounding below an exact zero */
            }
            for (int i = 0; i < nr; i++) {
                double h = qs[i] / (rs[i] * rs[i]);
                int na = !(rs[i] > 0) || !(den > 0);
                for (int w = 0; w < nw; w++) {
                    double val = wh[w] == 2 ? h : wh[w] == 4 ? 1.0 / h : wh[w] == 5 ? ae[i] :
                        (nc > 1 ? (h - 1.0 / nc) / (1.0 - 1.0 / nc) : NA_REAL);
                    out[i + (R_xlen_t) w * nout] = na ? NA_REAL : val;
                }
            }
            neg += nneg;
            ng_done = 1;
        }
    }

    for (int g = 0; g < ng && !ng_done; g++) {
        double X;
        R_xlen_t nna = idx_margins(&m, g, rs, cs, rowna, colna, &X, &neg);
        int group_na = (nna > 0 && !na_rm && !has_ref);
        double den = has_ref ? refsum : X;
        gvc_ksum sk = {0.0, 0.0}, wsk = {0.0, 0.0};
        int npos = 0;
        for (int j = 0; j < nc; j++) {
            sh[j] = (has_ref ? REAL(reference)[j] : cs[j]) / den;
            gvc_ksum_add(&sk, sh[j]);
            /* zero cells of the weighted Hoover: sum_j w_j s_j, or
             * sum_j w_j x_.j (divided by the rest below) against others */
            if (wn) gvc_ksum_add(&wsk, wn[j] * (oth ? cs[j] : sh[j]));
            if (sh[j] > 0) { npos++; lsh[j] = log(sh[j]); } else lsh[j] = 0.0;
            ish[j] = 1.0 / sh[j];
        }
        double ssum = gvc_ksum_value(&sk), wsum = gvc_ksum_value(&wsk);
        for (int i = 0; i < nr; i++) {
            inv[i] = 1.0 / rs[i];
            ak[i].s = ak[i].c = 0.0;
            awk[i].s = awk[i].c = 0.0;
            kp[i] = wp[i] = 0.0;
            ah[i] = ae[i] = at[i] = al[i] = aq[i] = 0.0;
            cntl[i] = 0;
        }
        /* pass 2, dense: index family by family over each column (which
         * stays in cache), branch-free: a zero, NA or negative cell enters
         * as 0, which adds exactly 0 to every sum below.  The Krugman
         * terms go into plain per-region partial sums, flushed into the
         * Kahan accumulators every IDX_BLOCK columns.                      */
        /* blocks of rch regions in parallel (see rch above) */
        const int nrb = m.ri ? 0 : (nr + rch - 1) / rch;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) \
        if (par_r && nrb > 1)
#endif
        for (int b = 0; b < nrb; b++) {
            const int i0 = b * rch, i1 = i0 + rch < nr ? i0 + rch : nr;
            for (int j = 0; j < nc; j++) {
                const double *xv = m.x + (R_xlen_t) j * nr;
                const double sj = sh[j], lsj = lsh[j], isj = ish[j];
                if (need_k) {
                    if (oth) {
                        const double cj = cs[j];
                        for (int i = i0; i < i1; i++) {
                            double v = xv[i] > 0 ? xv[i] : 0.0, rest = X - rs[i];
                            kp[i] += fabs(v * inv[i] - (cj - v) / rest) - cj / rest;
                        }
                    } else {
                        for (int i = i0; i < i1; i++) {
                            double v = xv[i] > 0 ? xv[i] : 0.0;
                            kp[i] += fabs(v * inv[i] - sj) - sj;
                        }
                    }
                }
                if (wn) {
                    const double wj = wn[j];
                    if (oth) {
                        const double cj = cs[j];
                        for (int i = i0; i < i1; i++) {
                            double v = xv[i] > 0 ? xv[i] : 0.0, rest = X - rs[i];
                            wp[i] += wj * (fabs(v * inv[i] - (cj - v) / rest) - cj / rest);
                        }
                    } else {
                        for (int i = i0; i < i1; i++) {
                            double v = xv[i] > 0 ? xv[i] : 0.0;
                            wp[i] += wj * (fabs(v * inv[i] - sj) - sj);
                        }
                    }
                }
                if ((need_k || wn) && ((j + 1) % IDX_BLOCK == 0 || j == nc - 1))
                    for (int i = i0; i < i1; i++) {
                        idx_kahan_add(&ak[i], kp[i]);
                        idx_kahan_add(&awk[i], wp[i]);
                        kp[i] = wp[i] = 0.0;
                    }
                if (need_q && !(sj > 0)) {
                    /* infinite LQs where the region has some of the industry */
                    for (int i = i0; i < i1; i++) {
                        double v = xv[i] > 0 ? xv[i] : 0.0, s = v * inv[i];
                        ah[i] += s * s;
                        if (v > 0) aq[i] = R_PosInf;
                    }
                } else if (need_q) {
                    for (int i = i0; i < i1; i++) {
                        double v = xv[i] > 0 ? xv[i] : 0.0, s = v * inv[i];
                        ah[i] += s * s;
                        aq[i] += s * s * isj;
                    }
                } else if (need_h) {
                    for (int i = i0; i < i1; i++) {
                        double v = xv[i] > 0 ? xv[i] : 0.0, s = v * inv[i];
                        ah[i] += s * s;
                    }
                }
                if (want_log && !want_theil) {
                    for (int i = i0; i < i1; i++) {
                        double v = xv[i];
                        if (!(v > 0)) continue;
                        double s = v * inv[i];
                        ae[i] += s * log(s);
                    }
                } else if (want_log) {
                    for (int i = i0; i < i1; i++) {
                        double v = xv[i];
                        if (!(v > 0)) continue;
                        double s = v * inv[i], ls = log(s);
                        ae[i] += s * ls;
                        if (sj > 0) {
                            at[i] += s * (ls - lsj);
                            al[i] += sj * (lsj - ls);
                            cntl[i]++;
                        } else at[i] = R_PosInf;
                    }
                }
            }
        }
        /* pass 2, sparse: the stored non-zero cells only, in the column
         * segments of idx_margins, each with its own per-region sums (a
         * region's cells lie in every segment), added in segment order.   */
        const int nseg = m.ri ? idx_nseg_sparse(&m, g) : 0;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) if (nt > 1 && nseg > 1)
#endif
        for (int sg = 0; sg < nseg; sg++) {
            const int j0 = idx_cseg_at(nc, sg, nseg), j1 = idx_cseg_at(nc, sg + 1, nseg);
            idx_kahan *akp = akS + nr1 * sg, *awp = awS + nr1 * sg;
            double *ahp = ahS + nr1 * sg, *aqp = aqS + nr1 * sg, *aep = aeS + nr1 * sg;
            double *atp = atS + nr1 * sg, *alp = alS + nr1 * sg;
            int *cnp = cnS + nr1 * sg;
            for (int i = 0; i < nr; i++) {
                akp[i].s = akp[i].c = awp[i].s = awp[i].c = 0.0;
                ahp[i] = aqp[i] = aep[i] = atp[i] = alp[i] = 0.0;
                cnp[i] = 0;
            }
            for (int j = j0; j < j1; j++) {
                R_xlen_t c = (R_xlen_t) g * nc + j;
                R_xlen_t beg = idx_beg(&m, c), end = idx_beg(&m, c + 1);
                const double sj = sh[j], lsj = lsh[j], isj = ish[j];
                for (R_xlen_t k = beg; k < end; k++) {
                    double v = m.x[k];
                    if (!(v > 0)) continue;          /* zero, negative or NA */
                    int i = m.ri[k];
                    double s = v * inv[i];
                    double d;
                    if (oth) {
                        double rest = X - rs[i];
                        d = fabs(s - (cs[j] - v) / rest) - cs[j] / rest;
                    } else {
                        d = fabs(s - sj) - sj;
                    }
                    idx_kahan_add(&akp[i], d);
                    if (wn) idx_kahan_add(&awp[i], wn[j] * d);
                    ahp[i] += s * s;
                    aqp[i] += s * s * isj;
                    if (want_log) {
                        double ls = log(s);
                        aep[i] += s * ls;
                        atp[i] += sj > 0 ? s * (ls - lsj) : R_PosInf;
                        if (sj > 0) { alp[i] += sj * (lsj - ls); cnp[i]++; }
                    }
                }
            }
        }
        for (int sg = 0; sg < nseg; sg++) {
            const size_t o = nr1 * sg;
            for (int i = 0; i < nr; i++) {
                idx_kahan_add(&ak[i], akS[o + i].s - akS[o + i].c);
                idx_kahan_add(&awk[i], awS[o + i].s - awS[o + i].c);
                ah[i] += ahS[o + i];
                aq[i] += aqS[o + i];
                ae[i] += aeS[o + i];
                at[i] += atS[o + i];
                al[i] += alS[o + i];
                cntl[i] += cnS[o + i];
            }
        }
        for (int i = 0; i < nr; i++) {
            double *o = out + (R_xlen_t) g * nr + i;
            int na = group_na || (rowna[i] && !na_rm) || !(rs[i] > 0) ||
                     !(den > 0) || (oth && !(X - rs[i] > 0));
            double K = ak[i].s + (oth ? X / (X - rs[i]) : ssum);
            if (K < 0) K = 0;   /* rounding below an exact zero */
            double H = K / 2;
            if (wn) {
                H = (awk[i].s + (oth ? wsum / (X - rs[i]) : wsum)) / 2;
                if (H < 0) H = 0;
            }
            for (int w = 0; w < nw; w++) {
                double val;
                switch (wh[w]) {
                case 0: val = K; break;
                case 1: val = H; break;
                case 2: val = ah[i]; break;
                case 3: val = nc > 1 ? (ah[i] - 1.0 / nc) / (1.0 - 1.0 / nc) : NA_REAL; break;
                case 4: val = 1.0 / ah[i]; break;
                case 5: val = ae[i] == 0 ? 0.0 : -ae[i]; break;
                case 6: val = at[i]; break;
                case 7: val = cntl[i] < npos ? R_PosInf : al[i]; break;
                case 8: val = 1.0 / K; break;
                case 9: val = aq[i]; break;
                default: val = 1.0 / aq[i]; break;
                }
                o[(R_xlen_t) w * nout] = na ? NA_REAL : val;
            }
        }
    }
    SEXP negs = PROTECT(ScalarReal((double) neg)); nprot++;
    SEXP ans = PROTECT(allocVector(VECSXP, 2)); nprot++;
    SET_VECTOR_ELT(ans, 0, res);
    SET_VECTOR_ELT(ans, 1, negs);
    UNPROTECT(nprot);
    return ans;
}

/* ---- concentration of industries ----------------------------------------
 * Index codes: 0 krugman  1 hoover  2 gini  3 locational_gini  4 gini_lq    */
#define CONC_N 5

/* The sorts order the IEEE bit patterns of non-negative doubles as unsigned
 * integers (the same order as the values; +Inf above every finite value). */
#define IDX_INF_BITS UINT64_C(0x7FF0000000000000)

static inline uint64_t idx_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

static inline double idx_dbl(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

/* LSD radix sort of the keys, optionally carrying an int payload, on bytes
 * dlo..7: one pass builds the byte histograms, then one stable scatter per
 * byte, skipping bytes that are equal in every key.                       */
static void idx_radix(uint64_t *k, int *ix, uint64_t *k2, int *ix2, R_xlen_t n,
                      int dlo)
{
    R_xlen_t cnt[8][256];
    memset(cnt[dlo], 0, (size_t) (8 - dlo) * sizeof(cnt[0]));
    for (R_xlen_t i = 0; i < n; i++) {
        uint64_t v = k[i];
        for (int d = dlo; d < 8; d++) cnt[d][(v >> (8 * d)) & 0xFF]++;
    }
    uint64_t *src = k, *dst = k2;
    int *isrc = ix, *idst = ix ? ix2 : NULL;
    for (int d = dlo; d < 8; d++) {
        R_xlen_t *c = cnt[d];
        if (c[(src[0] >> (8 * d)) & 0xFF] == n) continue;   /* one bucket */
        R_xlen_t sum = 0;
        for (int b = 0; b < 256; b++) { R_xlen_t t = c[b]; c[b] = sum; sum += t; }
        for (R_xlen_t i = 0; i < n; i++) {
            R_xlen_t at = c[(src[i] >> (8 * d)) & 0xFF]++;
            dst[at] = src[i];
            if (isrc) idst[at] = isrc[i];
        }
        uint64_t *t = src; src = dst; dst = t;
        int *it = isrc; isrc = idst; idst = it;
    }
    if (src != k) {
        memcpy(k, src, (size_t) n * sizeof(uint64_t));
        if (ix) memcpy(ix, isrc, (size_t) n * sizeof(int));
    }
}

/* Stable insertion sort of the keys (and payload ix, or NULL).  Gives up,
 * returning 0, once it has moved keys more than `budget` places in all.  */
static int idx_insertion(uint64_t *k, int *ix, R_xlen_t n, R_xlen_t budget)
{
    R_xlen_t moves = 0;
    for (R_xlen_t i = 1; i < n; i++) {
        if (k[i - 1] <= k[i]) continue;
        uint64_t t = k[i];
        int ti = ix ? ix[i] : 0;
        R_xlen_t j = i - 1;
        if (ix) {
            while (j >= 0 && k[j] > t) { k[j + 1] = k[j]; ix[j + 1] = ix[j]; j--; }
            ix[j + 1] = ti;
        } else {
            while (j >= 0 && k[j] > t) { k[j + 1] = k[j]; j--; }
        }
        k[j + 1] = t;
        moves += i - 1 - j;
        if (moves > budget) return 0;
    }
    return 1;
}

/* Stable sort of n keys in place (with payload ix, or NULL); k2, ix2 and
 * cnt are scratch (cnt: IDX_NCNT ints).  Up to 64 keys: insertion sort.
 * Otherwise an LSD radix sort of two digits of db bits each (db at most
 * 11, 2 db about log2(256 n)) of the offset of each key from the smallest,
 * shifted right so that the largest finite key's offset fits in the two
 * digits (+Inf, above every finite key, takes the largest digits).  One
 * pass finds the range, one counts both digits, one stable scatter per
 * digit: two scatters where a byte-wise radix sort on the upper three bytes
 * needs three, over at most 2^11 buckets (whose write positions stay in
 * cache).  The 3,000 LQs or values of an industry spread over 15 to 25
 * binades then get some 4e4 steps per binade, so only near-equal keys stay
 * out of order; an insertion sort on the full keys finishes in O(n + such
 * pairs).  Should there be many (more than 8n moves: a tight cluster beside
 * a far outlier), the full eight-byte radix sort runs instead, so the sort
 * is never quadratic.                                                     */
#define IDX_DIGIT 11
#define IDX_NCNT (2 << IDX_DIGIT)

static void idx_sort_keys(uint64_t *k, int *ix, uint64_t *k2, int *ix2, R_xlen_t n,
                          int *cnt)
{
    if (n <= 64) {
        idx_insertion(k, ix, n, n * n);
        return;
    }
    /* the range: smallest key, largest finite key (two of each, so that
     * no chain of dependent comparisons runs through every key)          */
    uint64_t mn0 = k[0], mn1 = k[0], mx0 = 0, mx1 = 0;
    R_xlen_t r = 0;
#define IDX_RANGE(B, MN, MX) do {                                              \
        uint64_t b_ = (B), bf_ = b_ < IDX_INF_BITS ? b_ : 0;                   \
        MN = b_ < MN ? b_ : MN;                                                \
        MX = bf_ > MX ? bf_ : MX;                                              \
    } while (0)
    for (; r + 2 <= n; r += 2) {
        IDX_RANGE(k[r], mn0, mx0);
        IDX_RANGE(k[r + 1], mn1, mx1);
    }
    if (r < n) IDX_RANGE(k[r], mn0, mx0);
#undef IDX_RANGE
    const uint64_t mn = mn1 < mn0 ? mn1 : mn0;
    uint64_t mx = mx1 > mx0 ? mx1 : mx0;
    if (mx < mn) mx = mn;                      /* no finite key */
    int db = 4;
    while (db < IDX_DIGIT && ((R_xlen_t) 1 << (2 * db)) < 256 * n) db++;
    const uint64_t top = ((uint64_t) 1 << (2 * db)) - 1, mask = ((uint64_t) 1 << db) - 1;
    const uint64_t range = mx - mn;
    int sh = 0;
    while ((range >> sh) > top) sh++;
    const int nd = (int) mask + 1;
    int *c0 = cnt, *c1 = cnt + nd;
    memset(cnt, 0, (size_t) (2 * nd) * sizeof(int));
    for (R_xlen_t i = 0; i < n; i++) {
        uint64_t d = (k[i] - mn) >> sh;
        d = d < top ? d : top;
        c0[d & mask]++;
        c1[d >> db]++;
    }
    int s0 = 0, s1 = 0;
    for (int b = 0; b < nd; b++) {
        int t0 = c0[b], t1 = c1[b];
        c0[b] = s0; s0 += t0;
        c1[b] = s1; s1 += t1;
    }
    /* pass 1: low digit, k -> k2; pass 2: high digit, k2 -> k            */
#define IDX_DIGITS(B) (((B) - mn) >> sh < top ? ((B) - mn) >> sh : top)
    if (ix) {
        for (R_xlen_t i = 0; i < n; i++) {
            int at = c0[IDX_DIGITS(k[i]) & mask]++;
            k2[at] = k[i];
            ix2[at] = ix[i];
        }
        for (R_xlen_t i = 0; i < n; i++) {
            int at = c1[IDX_DIGITS(k2[i]) >> db]++;
            k[at] = k2[i];
            ix[at] = ix2[i];
        }
    } else {
        for (R_xlen_t i = 0; i < n; i++) k2[c0[IDX_DIGITS(k[i]) & mask]++] = k[i];
        for (R_xlen_t i = 0; i < n; i++) k[c1[IDX_DIGITS(k2[i]) >> db]++] = k2[i];
    }
#undef IDX_DIGITS
    if (!idx_insertion(k, ix, n, 8 * n)) idx_radix(k, ix, k2, ix2, n, 0);
}

SEXP idx_concentration(SEXP x, SEXP ri, SEXP cp, SEXP dims, SEXP which,
                       SEXP reference, SEXP narm, SEXP weights, SEXP threads)
{
    idx_stack m;
    idx_stack_from(&m, x, ri, cp, dims);
    const int nt = gvc_threads(threads);
    m.nt = nt;
    gvc_need_int(which, "which");
    const int nw = (int) XLENGTH(which), *wh = INTEGER(which);
    int want_gini = 0, want_lgi = 0, want_glq = 0, want_k = 0;
    for (int w = 0; w < nw; w++) {
        if (wh[w] < 0 || wh[w] >= CONC_N) error("internal error: bad index code");
        if (wh[w] == 0 || (wh[w] == 1 && isNull(weights))) want_k = 1;
        if (wh[w] == 2) want_gini = 1;
        if (wh[w] == 3) want_lgi = 1;
        if (wh[w] == 4) want_glq = 1;
    }
    const int want_lg = want_lgi || want_glq;
    const int na_rm = gvc_scalar_int(narm, "narm");
    const int has_ref = !isNull(reference);
    const int nr = m.nr, nc = m.nc, ng = m.ng;
    if (has_ref) { gvc_need_real(reference, "reference"); gvc_need_len(reference, nr, "reference"); }
    /* weighted Hoover: H_j = 1/2 sum_i w_i |c_ij - r_i|                    */
    const double *wn = idx_norm_weights(weights, nr);

    R_xlen_t nout = (R_xlen_t) nc * ng;
    if (nout > INT_MAX) error("too many industry x group rows");
    int nprot = 0;
    SEXP res = PROTECT(allocMatrix(REALSXP, (int) nout, nw)); nprot++;
    double *out = REAL(res);

    size_t nr1 = nr > 0 ? nr : 1, nc1 = nc > 0 ? nc : 1;
    double *rs = (double *) R_alloc(nr1, sizeof(double));
    double *wt = (double *) R_alloc(nr1, sizeof(double));
    int *rowna = (int *) R_alloc(nr1, sizeof(int));
    double *cs = (double *) R_alloc(nc1, sizeof(double));
    int *colna = (int *) R_alloc(nc1, sizeof(int));
    /* scratch of the sorts: one slice of nr1 elements per thread */
    const size_t nts = (size_t) nt;
    const int need_sort = want_gini || want_lg;
    const size_t ns1 = need_sort ? nr1 : 1;
    const size_t nb1 = need_sort ? IDX_NCNT : 1;
    int *cnt_all = (int *) R_alloc(nb1 * nts, sizeof(int));
    double *iw = (double *) R_alloc(nr1, sizeof(double));
    uint64_t *rk1_all = (uint64_t *) R_alloc(ns1 * nts, sizeof(uint64_t));
    uint64_t *rk2_all = (uint64_t *) R_alloc(ns1 * nts, sizeof(uint64_t));
    int *ri1_all = (int *) R_alloc(ns1 * nts, sizeof(int));
    int *ri2_all = (int *) R_alloc(ns1 * nts, sizeof(int));
    R_xlen_t neg = 0;

    double refsum = has_ref ? gvc_ksum_array(REAL(reference), nr) : 0.0;
    /* The Gini alone needs no region totals: each industry's total (and its
     * NA and negative cells) is formed in its own pass below, from the
     * cells it reads anyway, and the group's total and NA rule are applied
     * after the industries.                                                */
    const int col_only = want_gini && !want_k && !want_lg && !wn;
    R_xlen_t *nnaJ = col_only ? (R_xlen_t *) R_alloc(nc1, sizeof(R_xlen_t)) : NULL;
    R_xlen_t *nnegJ = col_only ? (R_xlen_t *) R_alloc(nc1, sizeof(R_xlen_t)) : NULL;

    for (int g = 0; g < ng; g++) {
        double X = 0.0;
        R_xlen_t nna = 0;
        if (!col_only) nna = idx_margins(&m, g, rs, cs, rowna, colna, &X, &neg);
        int group_na = (nna > 0 && !na_rm && !has_ref);
        double den = has_ref ? refsum : X;
        gvc_ksum wk = {0.0, 0.0}, hk = {0.0, 0.0};
        int npos = 0;
        for (int i = 0; i < nr && !col_only; i++) {
            wt[i] = (has_ref ? REAL(reference)[i] : rs[i]) / den;
            gvc_ksum_add(&wk, wt[i]);
            if (wn) gvc_ksum_add(&hk, wn[i] * wt[i]);
            if (wt[i] > 0) npos++;
            /* LQs as products: exactly tied LQs may come out unequal (and
             * sort either way), which leaves the Lorenz area unchanged    */
            iw[i] = wt[i] > 0 ? 1.0 / wt[i] : R_PosInf;
        }
        double wsum = gvc_ksum_value(&wk), hsum = gvc_ksum_value(&hk);
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
            if (col_only) {
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
                        IDX_KAHAN(s0, s1, v);
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
            double T = cs[j];
            /* (with col_only, the group's NA rule and total are applied
             * after the industries)                                      */
            if (group_na || (colna[j] && !na_rm) || !(T > 0) || (!col_only && !(den > 0))) {
                for (int w = 0; w < nw; w++) o[(R_xlen_t) w * nout] = NA_REAL;
                continue;
            }
            /* Krugman (and weighted Hoover) terms over every stored cell,
             * branch-free (a zero, NA or negative cell adds exactly 0),
             * summed by IDX_KAHAN_SUM4.                                     */
            const R_xlen_t n = end - beg;
            const double *xv = m.x + beg;
            const int *rix = m.ri ? m.ri + beg : NULL;
            const double iT = 1.0 / T;
            idx_kahan kk = {0.0, 0.0}, hw = {0.0, 0.0};
#define IDX_KTERM(k) (rix ? (xv[k] > 0 ? fabs(xv[k] * iT - wt[rix[k]]) - wt[rix[k]] : 0.0) \
                          : (xv[k] > 0 ? fabs(xv[k] * iT - wt[k]) - wt[k] : 0.0))
#define IDX_WTERM(k) (wn[rix ? rix[k] : k] * IDX_KTERM(k))
            if (want_k) IDX_KAHAN_SUM4(kk, IDX_KTERM, n);
            if (wn) IDX_KAHAN_SUM4(hw, IDX_WTERM, n);
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
            if (want_gini) {
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
                idx_kahan gk = {0.0, 0.0};
                const double a0 = 2.0 * (nr - nv + 1) - nr - 1;
                /* Kahan sum over pairwise sums of eight terms */
#define IDX_GTERM(k) ((a0 + 2.0 * (k)) * idx_dbl(sv[k]))
                R_xlen_t k = 0;
                for (; k + 8 <= nv; k += 8)
                    idx_kahan_add(&gk, ((IDX_GTERM(k) + IDX_GTERM(k + 1)) +
                                        (IDX_GTERM(k + 2) + IDX_GTERM(k + 3))) +
                                       ((IDX_GTERM(k + 4) + IDX_GTERM(k + 5)) +
                                        (IDX_GTERM(k + 6) + IDX_GTERM(k + 7))));
                for (; k < nv; k++) idx_kahan_add(&gk, IDX_GTERM(k));
#undef IDX_GTERM
                gini = (gk.s - gk.c) / ((double) nr * T);
                if (gini < 0) gini = 0;
            }
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
                if (want_lgi) {
                    /* Area = sum_k w_k (C_k + C_k-1), C_k the cumulated
                     * shares.  Blocks of four cells: P, the compensated
                     * prefix before the block, enters as 2 P (w_0 + .. +
                     * w_3), the prefixes L_k within the block as plain
                     * sums; the Kahan sums of the prefix and of the area
                     * advance once per block (no chain of dependent
                     * additions per cell; blocks of eight were no faster,
                     * the reads through the cell index bounding the loop). */
                    idx_kahan P = {0.0, 0.0}, A = {0.0, 0.0};
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
                        idx_kahan_add(&A, 2.0 * Pv * ((w0 + w1) + (w2 + w3)) +
                                          ((w0 * c0 + w1 * (L1 + c0)) +
                                           (w2 * (L2 + L1) + w3 * (L3 + L2))));
                        idx_kahan_add(&P, L3);
                    }
                    for (; k < ntr; k++) {
                        double c0 = IDX_CELL(k), w0 = IDX_WGT(k);
                        idx_kahan_add(&A, w0 * (2.0 * (P.s - P.c) + c0));
                        idx_kahan_add(&P, c0);
                    }
#undef IDX_WGT
#undef IDX_CELL
                    lg = 1.0 - (A.s - A.c) / wsum;
                    if (lg < 0) lg = 0;
                }
                if (want_glq && !inf_lq) {
                    /* G = sum_k (2 rank_k - npos - 1) LQ_(k) / (npos sum LQ)
                     * over the npos regions of positive reference share;
                     * those with a zero cell take the lowest ranks.        */
                    idx_kahan Q = {0.0, 0.0}, GQ = {0.0, 0.0};
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
                        idx_kahan_add(&Q, ((q0 + q1) + (q2 + q3)) + ((q4 + q5) + (q6 + q7)));
                        idx_kahan_add(&GQ, ((ak * q0 + (ak + 2.0) * q1) +
                                            ((ak + 4.0) * q2 + (ak + 6.0) * q3)) +
                                           (((ak + 8.0) * q4 + (ak + 10.0) * q5) +
                                            ((ak + 12.0) * q6 + (ak + 14.0) * q7)));
                    }
                    for (; k < ntr; k++) {
                        idx_kahan_add(&Q, IDX_LQ(k));
                        idx_kahan_add(&GQ, (a0 + 2.0 * k) * IDX_LQ(k));
                    }
#undef IDX_LQ
                    glq = (GQ.s - GQ.c) / ((double) npos * (Q.s - Q.c));
                    if (glq < 0) glq = 0;
                }
            }
            for (int w = 0; w < nw; w++) {
                double val;
                switch (wh[w]) {
                case 0: val = K; break;
                case 1: val = H; break;
                case 2: val = gini; break;
                case 3: val = lg; break;
                default: val = glq; break;
                }
                o[(R_xlen_t) w * nout] = val;
            }
        }
        if (col_only) {
            /* the group's total, NA cells and negatives, in industry order */
            gvc_ksum tot = {0.0, 0.0};
            for (int j = 0; j < nc; j++) {
                gvc_ksum_add(&tot, cs[j]);
                nna += nnaJ[j];
                neg += nnegJ[j];
            }
            X = gvc_ksum_value(&tot);
            den = has_ref ? refsum : X;
            if ((nna > 0 && !na_rm && !has_ref) || !(den > 0))
                for (int j = 0; j < nc; j++)
                    for (int w = 0; w < nw; w++)
                        out[(R_xlen_t) g * nc + j + (R_xlen_t) w * nout] = NA_REAL;
        }
    }
    SEXP negs = PROTECT(ScalarReal((double) neg)); nprot++;
    SEXP ans = PROTECT(allocVector(VECSXP, 2)); nprot++;
    SET_VECTOR_ELT(ans, 0, res);
    SET_VECTOR_ELT(ans, 1, negs);
    UNPROTECT(nprot);
    return ans;
}
