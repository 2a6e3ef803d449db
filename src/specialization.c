/* specialization.c - specialisation indices of regions (one row per
 * region, one column per index) of dense matrices, dgCMatrix and panel
 * stacks.
 *
 * The kernel makes two passes over the stored entries: pass 1 forms the
 * region and industry totals (compensated, see idx_margins in stack.c),
 * pass 2 accumulates each index over the non-zero cells only (a dense
 * matrix: over every cell, branch-free, zeros adding exactly 0); the
 * contribution of the zero cells is added in closed form (e.g. Krugman:
 * sum over zero cells of s_j = sum_j s_j - sum over non-zero cells of s_j).
 */
#include "stack.h"
#include <string.h>

/* ---- specialisation of regions ------------------------------------------
 * The indices, as R names them in `index` (the columns of the result, in
 * the order asked for): the one table both sides go by.                  */
enum {
    SPEC_KRUGMAN, SPEC_HOOVER, SPEC_HHI, SPEC_HHI_NORMALIZED,
    SPEC_HHI_EQUIVALENT, SPEC_ENTROPY, SPEC_THEIL_T, SPEC_THEIL_L,
    SPEC_DURANTON_PUGA, SPEC_LQ_AVERAGE, SPEC_HACHMAN, SPEC_N
};
static const char *const spec_names[SPEC_N] = {
    "krugman", "hoover", "hhi", "hhi_normalized", "hhi_equivalent",
    "entropy", "theil_t", "theil_l", "duranton_puga", "lq_average",
    "hachman"
};

/* Everything the specialisation kernels share: the stack, what is asked
 * for and the scratch buffers, all allocated once by the shell.           */
typedef struct {
    idx_stack m;
    SEXP reference;
    const int *wh;
    const double *wn;
    int nt, nw, par_r, rch, oth, na_rm, has_ref, nr, nc, ng, suspect;
    int want_log, want_theil, want_ent, need_k, need_h, need_q;
    R_xlen_t nout, neg;
    double *out, refsum;
    size_t nr1, nc1, nsg1;
    double *rs, *inv, *kp, *wp, *ah, *ae, *at, *al, *aq;   /* per region */
    int *rowna, *cntl;
    kahan *ak, *awk;
    double *cs, *sh, *lsh, *ish;                          /* per industry */
    int *colna;
    kahan *akS, *awS;                 /* per region and column segment */
    double *ahS, *aqS, *aeS, *atS, *alS;
    int *cnS;
} spec_ws;

/* Each kernel copies the fields it reads into locals of the same names at
 * its top (`const int nr = S->nr`): plain locals in the hot loops, which
 * the compiler keeps in registers, and a reader sees where each comes from. */
/* The per-region compensations of spec_fast's sums: of x (rc), of x^2
 * (qs + qc) and of x ln x (es + ec).                                     */
typedef struct { double *rc, *qs, *qc, *es, *ec; } spec_fast_acc;

/* spec_fast, dense: blocks of regions; returns the negative cells.       */
static R_xlen_t spec_fast_dense(spec_ws *S, const spec_fast_acc *F)
{
    idx_stack m = S->m;
    const int nt = S->nt, par_r = S->par_r, rch = S->rch, nr = S->nr,
        nc = S->nc;
    const int want_ent = S->want_ent, need_h = S->need_h;
    double *rs = S->rs, *kp = S->kp, *wp = S->wp, *ae = S->ae, *al = S->al;
    double *rc = F->rc, *qs = F->qs, *qc = F->qc, *es = F->es, *ec = F->ec;
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
                    KAHAN(rs[i], rc[i], kp[i]);
                    KAHAN(qs[i], qc[i], wp[i]);
                    KAHAN(es[i], ec[i], ae[i]);
                    kp[i] = wp[i] = ae[i] = 0.0;
                }
        }
    }
    return nneg;
}

/* spec_fast, sparse: column segments; returns the negative cells.        */
static R_xlen_t spec_fast_sparse(spec_ws *S, const spec_fast_acc *F)
{
    idx_stack m = S->m;
    const int nt = S->nt, nr = S->nr, nc = S->nc;
    const int want_ent = S->want_ent;
    const size_t nr1 = S->nr1;
    double *rs = S->rs, *al = S->al;
    kahan *akS = S->akS, *awS = S->awS;
    double *ahS = S->ahS, *alS = S->alS;
    double *rc = F->rc, *qs = F->qs, *es = F->es, *ec = F->ec;
    R_xlen_t nneg = 0;
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
        kahan *sx = akS + nr1 * sg, *sl = awS + nr1 * sg;
        double *sq = ahS + nr1 * sg, *mn = alS + nr1 * sg;
        for (int i = 0; i < nr; i++) {
            sx[i].s = sx[i].c = sl[i].s = sl[i].c = sq[i] = 0.0;
            mn[i] = R_PosInf;
        }
        for (R_xlen_t k = idx_beg(&m, j0); k < idx_beg(&m, j1); k++) {
            const double v = m.x[k];
            const int i = m.ri[k];
            nneg += v < 0;
            kahan_add(&sx[i], v);
            sq[i] += v * v;
            if (want_ent && v > 0) {
                kahan_add(&sl[i], v * log(v));
                mn[i] = v < mn[i] ? v : mn[i];
            }
        }
    }
    for (int sg = 0; sg < nseg; sg++) {
        const size_t o = nr1 * sg;
        for (int i = 0; i < nr; i++) {
            KAHAN(rs[i], rc[i], akS[o + i].s - akS[o + i].c);
            KAHAN(es[i], ec[i], awS[o + i].s - awS[o + i].c);
            qs[i] += ahS[o + i];
            al[i] = alS[o + i] < al[i] ? alS[o + i] : al[i];
        }
    }
    return nneg;
}

/* spec_fast's results: the entropies flagged NA recomputed as -sum s ln s
 * (sparse: one pass over the entries; dense: along their rows), then the
 * indices of every region; X the total.                                  */
static void spec_fast_write(spec_ws *S, const spec_fast_acc *F, double X,
                            int nexact)
{
    idx_stack m = S->m;
    const int *wh = S->wh;
    const int nw = S->nw, has_ref = S->has_ref, nr = S->nr, nc = S->nc;
    const int want_ent = S->want_ent;
    const R_xlen_t nout = S->nout;
    double *out = S->out;
    const double refsum = S->refsum;
    double *rs = S->rs, *ae = S->ae, *at = S->at;
    double *qs = F->qs;
    const double den = has_ref ? refsum : X;
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
            double val = wh[w] == SPEC_HHI ? h : wh[w] == SPEC_HHI_EQUIVALENT ? 1.0 / h :
                wh[w] == SPEC_ENTROPY ? ae[i] :
                (nc > 1 ? (h - 1.0 / nc) / (1.0 - 1.0 / nc) : NA_REAL);
            out[i + (R_xlen_t) w * nout] = na ? NA_REAL : val;
        }
    }
}

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
 * the general path runs instead.
 * Returns 1 when it has written the result, 0 when the general path
 * (spec_group) must run.                                                  */
static int spec_fast(spec_ws *S)
{
    idx_stack m = S->m;
    const double *wn = S->wn;
    const int nr = S->nr, ng = S->ng;
    const int want_theil = S->want_theil, want_ent = S->want_ent,
        need_k = S->need_k, need_h = S->need_h, need_q = S->need_q;
    const size_t nr1 = S->nr1;
    double *rs = S->rs, *kp = S->kp, *wp = S->wp, *ae = S->ae, *al = S->al;
    if (!((!m.ri || ng == 1) && (need_h || want_ent) && !need_k && !need_q && !want_theil &&
          !wn && nr > 0))
        return 0;
    spec_fast_acc Fa;
    double *rc = Fa.rc = (double *) R_alloc(nr1, sizeof(double));
    double *qs = Fa.qs = (double *) R_alloc(nr1, sizeof(double));
    double *qc = Fa.qc = (double *) R_alloc(nr1, sizeof(double));
    double *es = Fa.es = (double *) R_alloc(nr1, sizeof(double));
    double *ec = Fa.ec = (double *) R_alloc(nr1, sizeof(double));
    for (int i = 0; i < nr; i++) {
        rs[i] = rc[i] = qs[i] = qc[i] = kp[i] = wp[i] = 0.0;
        es[i] = ec[i] = ae[i] = 0.0;
        al[i] = R_PosInf;
    }
    const R_xlen_t nneg = m.ri ? spec_fast_sparse(S, &Fa) : spec_fast_dense(S, &Fa);
    int finite = 1;
    ksum tk = {0.0, 0.0};
    for (int i = 0; i < nr; i++) {
        rs[i] -= rc[i];
        qs[i] -= qc[i];
        es[i] -= ec[i];
        finite &= R_FINITE(rs[i]) && R_FINITE(qs[i]) && R_FINITE(es[i]);
        ksum_add(&tk, rs[i]);
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
        spec_fast_write(S, &Fa, ksum_value(&tk), nexact);
        S->neg += nneg;
        return 1;
    }
    return 0;
}

/* One group (year) g of the general path: margins (pass 1), industry
 * shares, pass 2 over the cells (dense or sparse) and the indices of each
 * region.                                                                 */
/* What pass 1 of a group leaves for the others: the group's total, the
 * denominator of the shares, the sums of the shares (and weighted), the
 * industries with a positive share, and whether NAs spoil the group.     */
typedef struct {
    double X, den, ssum, wsum;
    int npos, group_na;
} spec_grp;

/* Pass 1 of group g: margins (idx_margins), the industries' shares and
 * their logs and reciprocals, and the per-region accumulators reset.    */
static void spec_shares(spec_ws *S, int g, spec_grp *G)
{
    idx_stack m = S->m;
    SEXP reference = S->reference;
    const double *wn = S->wn;
    const int oth = S->oth, na_rm = S->na_rm, has_ref = S->has_ref, nr = S->nr,
        nc = S->nc;
    const double refsum = S->refsum;
    double *rs = S->rs, *inv = S->inv, *kp = S->kp, *wp = S->wp, *ah = S->ah,
        *ae = S->ae, *at = S->at, *al = S->al, *aq = S->aq;
    int *rowna = S->rowna, *cntl = S->cntl;
    kahan *ak = S->ak, *awk = S->awk;
    double *cs = S->cs, *sh = S->sh, *lsh = S->lsh, *ish = S->ish;
    int *colna = S->colna;
    double X;
    R_xlen_t nna = idx_margins(&m, g, rs, cs, rowna, colna, &X, &S->neg);
    S->suspect |= idx_suspect(nna, X);
    G->X = X;
    G->group_na = (nna > 0 && !na_rm && !has_ref);
    const double den = G->den = has_ref ? refsum : X;
    ksum sk = {0.0, 0.0}, wsk = {0.0, 0.0};
    int npos = 0;
    for (int j = 0; j < nc; j++) {
        sh[j] = (has_ref ? REAL(reference)[j] : cs[j]) / den;
        ksum_add(&sk, sh[j]);
        /* zero cells of the weighted Hoover: sum_j w_j s_j, or
         * sum_j w_j x_.j (divided by the rest below) against others */
        if (wn) ksum_add(&wsk, wn[j] * (oth ? cs[j] : sh[j]));
        if (sh[j] > 0) { npos++; lsh[j] = log(sh[j]); } else lsh[j] = 0.0;
        ish[j] = 1.0 / sh[j];
    }
    G->ssum = ksum_value(&sk);
    G->wsum = ksum_value(&wsk);
    G->npos = npos;
    for (int i = 0; i < nr; i++) {
        inv[i] = 1.0 / rs[i];
        ak[i].s = ak[i].c = 0.0;
        awk[i].s = awk[i].c = 0.0;
        kp[i] = wp[i] = 0.0;
        ah[i] = ae[i] = at[i] = al[i] = aq[i] = 0.0;
        cntl[i] = 0;
    }
}

/* Pass 2, dense: every index family over each column.                   */
static void spec_dense_pass(spec_ws *S, double X)
{
    idx_stack m = S->m;
    const double *wn = S->wn;
    const int nt = S->nt, par_r = S->par_r, rch = S->rch, oth = S->oth,
        nr = S->nr, nc = S->nc;
    const int want_log = S->want_log, want_theil = S->want_theil,
        need_k = S->need_k, need_h = S->need_h, need_q = S->need_q;
    double *rs = S->rs, *inv = S->inv, *kp = S->kp, *wp = S->wp, *ah = S->ah,
        *ae = S->ae, *at = S->at, *al = S->al, *aq = S->aq;
    int *cntl = S->cntl;
    kahan *ak = S->ak, *awk = S->awk;
    double *cs = S->cs, *sh = S->sh, *lsh = S->lsh, *ish = S->ish;
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
                    kahan_add(&ak[i], kp[i]);
                    kahan_add(&awk[i], wp[i]);
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
}

/* Pass 2, sparse.                                                       */
static void spec_sparse_pass(spec_ws *S, int g, double X)
{
    idx_stack m = S->m;
    const double *wn = S->wn;
    const int nt = S->nt, oth = S->oth, nr = S->nr, nc = S->nc;
    const int want_log = S->want_log;
    const size_t nr1 = S->nr1;
    double *rs = S->rs, *inv = S->inv, *ah = S->ah, *ae = S->ae, *at = S->at,
        *al = S->al, *aq = S->aq;
    int *cntl = S->cntl;
    kahan *ak = S->ak, *awk = S->awk;
    double *cs = S->cs, *sh = S->sh, *lsh = S->lsh, *ish = S->ish;
    kahan *akS = S->akS, *awS = S->awS;
    double *ahS = S->ahS, *aqS = S->aqS, *aeS = S->aeS, *atS = S->atS,
        *alS = S->alS;
    int *cnS = S->cnS;
    /* pass 2, sparse: the stored non-zero cells only, in the column
     * segments of idx_margins, each with its own per-region sums (a
     * region's cells lie in every segment), added in segment order.   */
    const int nseg = m.ri ? idx_nseg_sparse(&m, g) : 0;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) if (nt > 1 && nseg > 1)
#endif
    for (int sg = 0; sg < nseg; sg++) {
        const int j0 = idx_cseg_at(nc, sg, nseg), j1 = idx_cseg_at(nc, sg + 1, nseg);
        kahan *akp = akS + nr1 * sg, *awp = awS + nr1 * sg;
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
                kahan_add(&akp[i], d);
                if (wn) kahan_add(&awp[i], wn[j] * d);
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
            kahan_add(&ak[i], akS[o + i].s - akS[o + i].c);
            kahan_add(&awk[i], awS[o + i].s - awS[o + i].c);
            ah[i] += ahS[o + i];
            aq[i] += aqS[o + i];
            ae[i] += aeS[o + i];
            at[i] += atS[o + i];
            al[i] += alS[o + i];
            cntl[i] += cnS[o + i];
        }
    }
}

/* The indices of the regions of group g from the accumulators.          */
static void spec_write(spec_ws *S, int g, const spec_grp *G)
{
    const int *wh = S->wh;
    const double *wn = S->wn;
    const int nw = S->nw, oth = S->oth, na_rm = S->na_rm, nr = S->nr,
        nc = S->nc;
    const R_xlen_t nout = S->nout;
    double *out = S->out;
    double *rs = S->rs, *ah = S->ah, *ae = S->ae, *at = S->at, *al = S->al,
        *aq = S->aq;
    int *rowna = S->rowna, *cntl = S->cntl;
    kahan *ak = S->ak, *awk = S->awk;
    const double X = G->X, den = G->den, ssum = G->ssum, wsum = G->wsum;
    const int npos = G->npos, group_na = G->group_na;
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
            case SPEC_KRUGMAN: val = K; break;
            case SPEC_HOOVER: val = H; break;
            case SPEC_HHI: val = ah[i]; break;
            case SPEC_HHI_NORMALIZED:
                val = nc > 1 ? (ah[i] - 1.0 / nc) / (1.0 - 1.0 / nc) : NA_REAL; break;
            case SPEC_HHI_EQUIVALENT: val = 1.0 / ah[i]; break;
            case SPEC_ENTROPY: val = ae[i] == 0 ? 0.0 : -ae[i]; break;
            case SPEC_THEIL_T: val = at[i]; break;
            case SPEC_THEIL_L: val = cntl[i] < npos ? R_PosInf : al[i]; break;
            case SPEC_DURANTON_PUGA: val = 1.0 / K; break;
            case SPEC_LQ_AVERAGE: val = aq[i]; break;
            default: val = 1.0 / aq[i]; break;   /* SPEC_HACHMAN */
            }
            o[(R_xlen_t) w * nout] = na ? NA_REAL : val;
        }
    }
}

/* One group: pass 1 (margins and shares), pass 2 (dense or sparse), the
 * results.                                                              */
static void spec_group(spec_ws *S, int g)
{
    spec_grp G;
    spec_shares(S, g, &G);
    if (S->m.ri) spec_sparse_pass(S, g, G.X);
    else spec_dense_pass(S, G.X);
    spec_write(S, g, &G);
}

/* The scratch buffers of the kernels (R_alloc'd: freed by R even when an
 * error or a user interrupt jumps out).                                   */
static void spec_alloc(spec_ws *S, int nr, int nc, int sparse)
{
    const size_t nr1 = S->nr1 = nr > 0 ? nr : 1, nc1 = S->nc1 = nc > 0 ? nc : 1;
    S->rs = (double *) R_alloc(nr1, sizeof(double));
    S->inv = (double *) R_alloc(nr1, sizeof(double));
    S->rowna = (int *) R_alloc(nr1, sizeof(int));
    S->cntl = (int *) R_alloc(nr1, sizeof(int));
    S->ak = (kahan *) R_alloc(nr1, sizeof(kahan));
    S->awk = (kahan *) R_alloc(nr1, sizeof(kahan));
    S->kp = (double *) R_alloc(nr1, sizeof(double));
    S->wp = (double *) R_alloc(nr1, sizeof(double));
    S->ah = (double *) R_alloc(nr1, sizeof(double));
    S->ae = (double *) R_alloc(nr1, sizeof(double));
    S->at = (double *) R_alloc(nr1, sizeof(double));
    S->al = (double *) R_alloc(nr1, sizeof(double));
    S->aq = (double *) R_alloc(nr1, sizeof(double));
    S->cs = (double *) R_alloc(nc1, sizeof(double));
    S->sh = (double *) R_alloc(nc1, sizeof(double));
    S->lsh = (double *) R_alloc(nc1, sizeof(double));
    S->ish = (double *) R_alloc(nc1, sizeof(double));
    S->colna = (int *) R_alloc(nc1, sizeof(int));
    /* per-segment sums of the sparse pass 2 (IDX_CSEG segments at most) */
    const size_t nsg1 = S->nsg1 = sparse ? IDX_CSEG : 1;
    S->akS = (kahan *) R_alloc(nr1 * nsg1, sizeof(kahan));
    S->awS = (kahan *) R_alloc(nr1 * nsg1, sizeof(kahan));
    S->ahS = (double *) R_alloc(nr1 * nsg1, sizeof(double));
    S->aqS = (double *) R_alloc(nr1 * nsg1, sizeof(double));
    S->aeS = (double *) R_alloc(nr1 * nsg1, sizeof(double));
    S->atS = (double *) R_alloc(nr1 * nsg1, sizeof(double));
    S->alS = (double *) R_alloc(nr1 * nsg1, sizeof(double));
    S->cnS = (int *) R_alloc(nr1 * nsg1, sizeof(int));
}

/* ffi_specialization() on slots from R (strict) or a panel's stack.     */
static SEXP spec_run(SEXP x, SEXP ri, SEXP cp, SEXP dims, SEXP which,
                     SEXP reference, SEXP others, SEXP narm, SEXP weights,
                     SEXP threads, int strict)
{
    spec_ws S;
    idx_stack m;
    if (!idx_stack_read(&m, x, ri, cp, dims, strict)) return idx_malformed();
    const int nt = n_threads(threads);
    m.nt = nt;
    const int nw = (int) XLENGTH(which);
    const int *wh = choice_codes(which, spec_names, SPEC_N, "index");
    /* Regions per block of the dense loops over regions: one contiguous
     * block per thread (a multiple of 8, so that no two blocks share a
     * cache line of the per-region accumulators).  Every accumulator
     * belongs to one region and sees the same operations in the same order
     * whatever the blocks are, so the results do not depend on nt.        */
    const int par_r = nt > 1 && m.nr >= 16 && (double) m.nr * m.nc >= IDX_PAR_MIN;
    const int rch = par_r ? (((m.nr + nt - 1) / nt + 7) / 8) * 8 : (m.nr > 0 ? m.nr : 1);
    const int oth = scalar_int(others, "others");
    const int na_rm = scalar_int(narm, "narm");
    const int has_ref = !isNull(reference);
    const int nr = m.nr, nc = m.nc, ng = m.ng;
    if (has_ref) { need_real(reference, "reference"); need_len(reference, nc, "reference"); }
    /* weighted Hoover: H_i = 1/2 sum_j w_j |s_ij - s_j|, accumulated like
     * Krugman over the non-zero cells plus sum_j w_j s_j for the zeros    */
    const double *wn = idx_norm_weights(weights, nc);
    int want_log = 0, want_theil = 0, need_k = 0, need_h = 0, need_q = 0;
    for (int w = 0; w < nw; w++) {
        const int c = wh[w];
        if (c == SPEC_ENTROPY || c == SPEC_THEIL_T || c == SPEC_THEIL_L) want_log = 1;
        if (c == SPEC_THEIL_T || c == SPEC_THEIL_L) want_theil = 1;
        if (c == SPEC_KRUGMAN || c == SPEC_DURANTON_PUGA || (c == SPEC_HOOVER && !wn))
            need_k = 1;
        if (c == SPEC_HHI || c == SPEC_HHI_NORMALIZED || c == SPEC_HHI_EQUIVALENT)
            need_h = 1;
        if (c == SPEC_LQ_AVERAGE || c == SPEC_HACHMAN) need_q = 1;
    }

    R_xlen_t nout = (R_xlen_t) nr * ng;
    if (nout > INT_MAX) error("too many region x group rows");
    int nprot = 0;
    SEXP res = PROTECT(allocMatrix(REALSXP, (int) nout, nw)); nprot++;
    double *out = REAL(res);

    spec_alloc(&S, nr, nc, m.ri != NULL);

    double refsum = has_ref ? ksum_array(REAL(reference), nc) : 0.0;

    S.m = m; S.reference = reference; S.wh = wh; S.wn = wn;
    S.nt = nt; S.nw = nw; S.par_r = par_r; S.rch = rch; S.oth = oth;
    S.na_rm = na_rm; S.has_ref = has_ref; S.nr = nr; S.nc = nc; S.ng = ng;
    S.want_log = want_log; S.want_theil = want_theil;
    S.want_ent = want_log && !want_theil;
    S.need_k = need_k; S.need_h = need_h; S.need_q = need_q;
    S.nout = nout; S.neg = 0; S.out = out; S.refsum = refsum; S.suspect = 0;
    if (!spec_fast(&S))
        for (int g = 0; g < ng; g++) {
            if (g > 0) R_CheckUserInterrupt();   /* between groups: R_alloc'd scratch */
            spec_group(&S, g);
        }
    SEXP ans = PROTECT(idx_result(res, S.neg, S.suspect)); nprot++;
    UNPROTECT(nprot);
    return ans;
}

/* The long-panel entry of specialization() (panel_entry; a reference or
 * weights matched by R to the industries the keys hold).                 */
SEXP ffi_specialization(SEXP x, SEXP ri, SEXP cp, SEXP dims, SEXP which,
                        SEXP reference, SEXP others, SEXP narm, SEXP weights,
                        SEXP threads)
{
    return spec_run(x, ri, cp, dims, which, reference, others, narm, weights,
                    threads, 1);
}

static SEXP spec_on_stack(SEXP x, SEXP ri, SEXP cp, SEXP dims, const SEXP *a)
{
    return spec_run(x, ri, cp, dims, a[0], a[1], a[2], a[3], a[4], a[5], 0);
}

SEXP ffi_specialization_panel(SEXP region, SEXP industry, SEXP group, SEXP value,
                              SEXP which, SEXP reference, SEXP others, SEXP narm,
                              SEXP weights, SEXP threads)
{
    const SEXP a[] = {which, reference, others, narm, weights, threads};
    return panel_entry(region, industry, group, value, threads, 0, spec_on_stack, a);
}
