/* shift-share.c - shift-share decompositions of regional employment change
 * between two periods, for all regions at once.
 *
 * With e0_rj, e1_rj region r's employment in industry j at the start and
 * end, E0_j, E1_j the national industry totals and E0, E1 the national
 * totals, G = E1/E0 - 1 and g_j = E1_j/E0_j - 1 (Dunn 1960):
 *   national share  NS_r = e0_r G
 *   industry mix    IM_r = sum_j e0_rj (g_j - G)
 *   regional shift  RS_r = sum_j (e1_rj - e0_rj (1 + g_j))
 * and NS + IM + RS = e1_r - e0_r.  Esteban-Marquillas (1972) split RS with
 * the homothetic employment h_rj = e0_r E0_j / E0:
 *   competitive     CE_r = sum_j h_rj (g_rj - g_j)
 *   allocation      AE_r = sum_j (e0_rj - h_rj)(g_rj - g_j)
 * where g_rj = e1_rj/e0_rj - 1; a cell empty in both periods adds nothing; a
 * cell that grows from zero has no growth rate and makes CE and AE NA.
 */
#include "stack.h"

/* one pair of periods (groups a, b); writes the columns of `out` (stride
 * ldo) for rows row0 .. row0 + nr - 1.                                     */
static void shift_pair(const idx_stack *m, int a, int b, int esteban, int na_rm,
                       double *out, R_xlen_t ldo, R_xlen_t row0, double *work,
                       int *iwork, R_xlen_t *neg, int *suspect)
{
    const int nr = m->nr, nc = m->nc;
    double *rs0 = work, *rs1 = work + nr, *A = work + 2 * nr, *CE = work + 3 * nr,
           *AE = work + 4 * nr, *t1 = work + 5 * nr;
    double *cs0 = work + 6 * nr, *cs1 = cs0 + nc;
    int *rowna = iwork, *seen = iwork + nr, *entry = iwork + 2 * nr, *colna = iwork + 3 * nr;
    double X0, X1;
    R_xlen_t nna = idx_margins(m, a, rs0, cs0, rowna, colna, &X0, neg);
    nna += idx_margins(m, b, rs1, cs1, rowna, colna, &X1, neg);
    *suspect |= idx_suspect(nna, X0) || !isfinite(X1);
    int all_na = (nna > 0 && !na_rm) || !(X0 > 0);
    double G = X1 / X0 - 1.0;
    for (int i = 0; i < nr; i++) {
        A[i] = CE[i] = AE[i] = t1[i] = 0.0;
        seen[i] = entry[i] = 0;
    }
    for (int j = 0; j < nc; j++) {
        R_xlen_t ca = (R_xlen_t) a * nc + j, cb = (R_xlen_t) b * nc + j;
        R_xlen_t ba = idx_beg(m, ca), ea = idx_beg(m, ca + 1);
        R_xlen_t bb = idx_beg(m, cb), eb = idx_beg(m, cb + 1);
        double gj = cs1[j] / cs0[j] - 1.0;
        if (esteban)
            for (R_xlen_t k = bb; k < eb; k++) {
                double v = m->x[k];
                if (v > 0) t1[idx_row(m, k, bb)] = v;
            }
        for (R_xlen_t k = ba; k < ea; k++) {
            double e0 = m->x[k];
            if (!(e0 > 0)) continue;
            int i = idx_row(m, k, ba);
            A[i] += e0 * gj;
            if (esteban) {
                double d = t1[i] / e0 - cs1[j] / cs0[j];
                double h = rs0[i] * cs0[j] / X0;
                CE[i] += h * d;
                AE[i] += (e0 - h) * d;
                seen[i] = 1;
            }
        }
        if (esteban) {
            for (R_xlen_t k = bb; k < eb; k++) {
                int i = idx_row(m, k, bb);
                if (t1[i] > 0 && !seen[i]) entry[i] = 1;
                t1[i] = 0.0;
            }
            for (R_xlen_t k = ba; k < ea; k++) seen[idx_row(m, k, ba)] = 0;
        }
    }
    for (int i = 0; i < nr; i++) {
        R_xlen_t r = row0 + i;
        int na = all_na;
        double v[8];
        v[0] = rs0[i];
        v[1] = rs1[i];
        v[2] = rs1[i] - rs0[i];
        v[3] = rs0[i] * G;
        v[4] = A[i] - rs0[i] * G;
        v[5] = rs1[i] - rs0[i] - A[i];
        v[6] = entry[i] ? NA_REAL : CE[i];
        v[7] = entry[i] ? NA_REAL : AE[i];
        int nv = esteban ? 8 : 6;
        for (int w = 0; w < nv; w++) out[r + w * ldo] = na ? NA_REAL : v[w];
    }
}

/* The methods, as R names them, and the columns of the result.           */
enum { SHIFT_DUNN, SHIFT_ESTEBAN, SHIFT_DYNAMIC, SHIFT_N };
static const char *const shift_methods[SHIFT_N] = {"dunn", "esteban", "dynamic"};
static const char *const shift_cols[8] = {
    "start", "end", "change", "national_share", "industry_mix",
    "regional_shift", "competitive", "allocation"
};

SEXP ffi_shift_share(SEXP x, SEXP ri, SEXP cp, SEXP dims, SEXP method, SEXP narm)
{
    idx_stack m;
    idx_stack_from(&m, x, ri, cp, dims);
    const int meth = choice_code(method, shift_methods, SHIFT_N, "method");
    const int na_rm = scalar_int(narm, "narm");
    const int nr = m.nr, nc = m.nc, nt = m.ng;
    if (nt < 2) error("internal error: shift-share needs two periods");
    int esteban = meth == SHIFT_ESTEBAN;
    int npairs = meth == SHIFT_DYNAMIC ? nt - 1 : 1;
    R_xlen_t nout = (R_xlen_t) nr * npairs;
    if (nout > INT_MAX) error("too many region x period rows");
    int nprot = 0;
    const int ncol = esteban ? 8 : 6;
    SEXP res = PROTECT(allocMatrix(REALSXP, (int) nout, ncol)); nprot++;
    SEXP cn = PROTECT(allocVector(STRSXP, ncol)); nprot++;
    for (int k = 0; k < ncol; k++) SET_STRING_ELT(cn, k, mkChar(shift_cols[k]));
    SEXP dn = PROTECT(allocVector(VECSXP, 2)); nprot++;
    SET_VECTOR_ELT(dn, 1, cn);
    setAttrib(res, R_DimNamesSymbol, dn);
    double *work = (double *) R_alloc((size_t) 6 * nr + 2 * (size_t) nc + 1, sizeof(double));
    int *iwork = (int *) R_alloc((size_t) 3 * nr + nc + 1, sizeof(int));
    R_xlen_t neg = 0;
    int suspect = 0;
    for (int p = 0; p < npairs; p++) {
        int a = meth == SHIFT_DYNAMIC ? p : 0, b = meth == SHIFT_DYNAMIC ? p + 1 : nt - 1;
        shift_pair(&m, a, b, esteban, na_rm, REAL(res), nout, (R_xlen_t) p * nr,
                   work, iwork, &neg, &suspect);
    }
    SEXP ans = PROTECT(idx_result(res, neg, suspect)); nprot++;
    UNPROTECT(nprot);
    return ans;
}

/* The long-panel entry of shift_share() (panel_entry, at least two
 * periods; R reports fewer).                                             */
static SEXP shift_on_stack(SEXP x, SEXP ri, SEXP cp, SEXP dims, const SEXP *a)
{
    return ffi_shift_share(x, ri, cp, dims, a[0], a[1]);
}

SEXP ffi_shift_share_panel(SEXP region, SEXP industry, SEXP time, SEXP value,
                           SEXP method, SEXP narm, SEXP threads)
{
    const SEXP a[] = {method, narm};
    return panel_entry(region, industry, time, value, threads, 2, shift_on_stack, a);
}
