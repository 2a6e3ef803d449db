/* stack.c - the region x industry stack shared by the index kernels:
 * reading a stack from its .Call arguments, the compensated margins of one
 * group (pass 1 of every kernel) and the normalised weights of the
 * weighted Hoover indices.  A long panel becomes a stack in panel.c.
 */
#include "stack.h"

/* ---- the stack ---------------------------------------------------------- */

void idx_stack_from(idx_stack *m, SEXP x, SEXP ri, SEXP cp, SEXP dims)
{
    if (!idx_stack_read(m, x, ri, cp, dims, 0))
        error("internal error: malformed stack ('cp' or 'ri')");
}

SEXP idx_malformed(void)
{
    const char *names[] = {"malformed", ""};
    SEXP ans = PROTECT(mkNamed(VECSXP, names));
    SET_VECTOR_ELT(ans, 0, ScalarLogical(1));
    UNPROTECT(1);
    return ans;
}

int idx_stack_read(idx_stack *m, SEXP x, SEXP ri, SEXP cp, SEXP dims, int strict)
{
    need_real(x, "x");
    need_int(dims, "dims");
    need_len(dims, 3, "dims");
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
        need_len(x, (R_xlen_t) m->nr * m->nc, "x");
        m->ri = NULL;
        m->cp = NULL;
        return 1;
    }
    need_int(ri, "ri");
    need_len(ri, XLENGTH(x), "ri");
    need_len(cp, ncol + 1, "cp");
    R_xlen_t *p = (R_xlen_t *) R_alloc(ncol + 1, sizeof(R_xlen_t));
    if (TYPEOF(cp) == INTSXP) {
        const int *q = INTEGER(cp);
        for (R_xlen_t c = 0; c <= ncol; c++) p[c] = q[c];
    } else if (TYPEOF(cp) == REALSXP) {
        const double *q = REAL(cp);
        for (R_xlen_t c = 0; c <= ncol; c++) p[c] = (R_xlen_t) q[c];
    } else error("internal error: 'cp' must be integer or double");
    if (p[0] != 0 || p[ncol] != XLENGTH(x)) return 0;
    for (R_xlen_t c = 0; c < ncol; c++)
        if (p[c + 1] < p[c]) return 0;
    const int *r = INTEGER(ri);
    const R_xlen_t nx = XLENGTH(x);
    const unsigned nru = (unsigned) m->nr;
    int bad = 0;
    if (strict) {
        /* one pass: in range and increasing (the first entry of a column
         * compared with -1); the unsigned compare also catches r < 0    */
        for (R_xlen_t c = 0; c < ncol; c++) {
            int prev = -1;
            for (R_xlen_t k = p[c]; k < p[c + 1]; k++) {
                const int v = r[k];
                bad |= ((unsigned) v >= nru) | (v <= prev);
                prev = v;
            }
        }
    } else {
        for (R_xlen_t k = 0; k < nx; k++) bad |= (unsigned) r[k] >= nru;
    }
    if (bad) return 0;
    m->ri = r;
    m->cp = p;
    return 1;
}

/* Pass 1.  Column sums: Kahan summation of pairwise sums of eight cells
 * (relative error a few eps; a single Kahan sum is a chain of four
 * dependent additions per cell, which made this pass compute-bound).  A
 * non-finite column sum means NA (or Inf) cells: that column is summed
 * again cell by cell, skipping and flagging the NAs.  Row sums: one Kahan
 * accumulator per region; for a dense matrix, fed with plain partial sums
 * over blocks of IDX_BLOCK columns (at most IDX_BLOCK - 1 roundings each),
 * so the per-cell work is one addition (IDX_BLOCK in stack.h).           */

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
        KAHAN(s, sc, v);
        if (rix) KAHAN(rs[i], rc[i], v);
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
                    KAHAN(rs[i], rc[i], rp[i]);
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
    ksum tot = {0.0, 0.0};
    for (int j = 0; j < nc; j++) {
        double s = 0.0, sc = 0.0;
        int cna = 0;
        for (int sg = 0; sg < nseg; sg++) {
            KAHAN(s, sc, colp[(size_t) sg * nc1 + j]);
            cna |= segna[(size_t) sg * nc1 + j];
        }
        cs[j] = isnan(sc) ? s : s - sc;
        colna[j] = cna;
        ksum_add(&tot, cs[j]);
    }
    for (int i = 0; i < nr; i++) rs[i] -= rc[i];
    *total = ksum_value(&tot);
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
                    KAHAN(rsp[i], rcp[i], v);
                }
            }
            colna[j] = cna;
            cs[j] = col;
        }
        nnaS[sg] = nna;
        nnegS[sg] = nneg;
    }
    ksum tot = {0.0, 0.0};
    for (int j = 0; j < nc; j++) ksum_add(&tot, cs[j]);
    R_xlen_t nna = 0, nneg = 0;
    for (int sg = 0; sg < nseg; sg++) { nna += nnaS[sg]; nneg += nnegS[sg]; }
    for (int i = 0; i < nr; i++) {
        double s = 0.0, sc = 0.0;
        int na = 0;
        for (int sg = 0; sg < nseg; sg++) {
            KAHAN(s, sc, rsS[nr1 * sg + i] - rcS[nr1 * sg + i]);
            na |= naS[nr1 * sg + i];
        }
        rs[i] = isnan(sc) ? s : s - sc;
        rowna[i] = na;
    }
    *total = ksum_value(&tot);
    *neg += nneg;
    return nna;
}

/* Weights of the weighted Hoover index (NULL: unweighted), normalised to
 * sum to one; n values.                                                    */
const double *idx_norm_weights(SEXP weights, int n)
{
    if (isNull(weights)) return NULL;
    need_real(weights, "weights");
    need_len(weights, n, "weights");
    double ws = ksum_array(REAL(weights), n);
    if (!(ws > 0)) error("internal error: weights sum to zero");
    double *w = (double *) R_alloc(n > 0 ? n : 1, sizeof(double));
    for (int i = 0; i < n; i++) w[i] = REAL(weights)[i] / ws;
    return w;
}

SEXP idx_result(SEXP values, R_xlen_t neg, int suspect)
{
    const char *names[] = {"values", "negatives", "suspect", ""};
    int nprot = 0;
    SEXP ans = PROTECT(mkNamed(VECSXP, names)); nprot++;
    SET_VECTOR_ELT(ans, 0, values);
    SET_VECTOR_ELT(ans, 1, ScalarReal((double) neg));
    SET_VECTOR_ELT(ans, 2, ScalarLogical(suspect != 0));
    UNPROTECT(nprot);
    return ans;
}
