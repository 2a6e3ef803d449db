/* agglomeration.c - Ellison-Glaeser (1997) and Maurel-Sedillot (1999)
 * agglomeration and co-agglomeration from plant-level data.
 *
 * Plants are summed into a stack of region x industry matrices (one per
 * group) by panel_stack; the plant Herfindahl H_j = sum_k e_k^2 / E_j^2 is
 * accumulated from the plants themselves.  Per industry, with s_ij the share
 * of industry j's employment in region i and x_i region i's share of all
 * employment:
 *   G_j     = sum_i (s_ij - x_i)^2
 *   gamma_j = (G_j - (1 - sum x^2) H_j) / ((1 - sum x^2)(1 - H_j))   (EG)
 *   gamma_j = ((sum s^2 - sum x^2) / (1 - sum x^2) - H_j) / (1 - H_j)  (MS)
 * For a pair of industries the group indices (EG 1997 eq. 15, MS 1999 eq.
 * 12) reduce exactly to
 *   gamma_jl = sum_i (s_ij - x_i)(s_il - x_i) / (1 - sum x^2)           (EG)
 *   gamma_jl = (sum_i s_ij s_il - sum x^2) / (1 - sum x^2)             (MS)
 * and sum_i s_ij s_il for all pairs is one BLAS dsyrk of the share matrix.
 */
#include "stack.h"

/* The columns of the two results (one row per industry and group; one per
 * pair of industries and group), which R reads by name.                  */
#define AGG_NI 9
static const char *const ind_cols[AGG_NI] = {
    "plants", "employment", "H", "G", "expected_G", "gamma_eg", "sum_s2",
    "gamma_ms", "sum_x2"
};
#define AGG_NP 5
static const char *const pair_cols[AGG_NP] = {
    "industry_1", "industry_2", "group", "gamma_eg", "gamma_ms"
};

/* An nrow x ncol double matrix with column names.                        */
static SEXP agglo_matrix(R_xlen_t nrow, const char *const *cols, int ncol)
{
    int nprot = 0;
    SEXP m = PROTECT(allocMatrix(REALSXP, (int) nrow, ncol)); nprot++;
    SEXP cn = PROTECT(allocVector(STRSXP, ncol)); nprot++;
    for (int k = 0; k < ncol; k++) SET_STRING_ELT(cn, k, mkChar(cols[k]));
    SEXP dn = PROTECT(allocVector(VECSXP, 2)); nprot++;
    SET_VECTOR_ELT(dn, 1, cn);
    setAttrib(m, R_DimNamesSymbol, dn);
    UNPROTECT(nprot);
    return m;
}

/* The scratch and outputs of one call, shared by the groups.             */
typedef struct {
    idx_stack m;
    const double *cnt;          /* plants per industry and group */
    const ksum *sq;             /* their sums of squares */
    double *oi, *op;            /* industry and pair results */
    R_xlen_t ncol, npair, ip, neg;
    double *rs, *xs, *cs, *a, *S, *P;
    int *rowna, *colna, inr, inc;
} agglo_ws;

/* Plants per industry and group: count and compensated sum of squares.  */
static void agglo_counts(const int *j, const int *g, const double *v, R_xlen_t n,
                         int nc, R_xlen_t ncol, double *cnt, ksum *sq)
{
    for (R_xlen_t c = 0; c < ncol; c++) { cnt[c] = 0; sq[c].s = sq[c].c = 0.0; }
    for (R_xlen_t k = 0; k < n; k++) {
        R_xlen_t c = (R_xlen_t) (g[k] - 1) * nc + (j[k] - 1);
        cnt[c] += 1;
        ksum_add(&sq[c], v[k] * v[k]);
    }
}

/* Group gg: the margins, each industry's Ellison-Glaeser and
 * Maurel-Sedillot terms and, with pairs (A->S), the pairs' coagglomeration
 * from one dsyrk of the industries' regional shares.                     */
static void agglo_group(agglo_ws *A, int gg)
{
    const idx_stack m = A->m;
    const int nr = m.nr, nc = m.nc;
    const R_xlen_t ncol = A->ncol, npair = A->npair;
    double *rs = A->rs, *xs = A->xs, *cs = A->cs, *a = A->a, *S = A->S, *P = A->P;
    double *oi = A->oi, *op = A->op;
    const double *cnt = A->cnt;
    const ksum *sq = A->sq;
    int *rowna = A->rowna, *colna = A->colna;
    const int inr = A->inr, inc = A->inc;
    R_xlen_t neg = A->neg, ip = A->ip;
    double X;
    R_xlen_t nna = idx_margins(&m, gg, rs, cs, rowna, colna, &X, &neg);
    int group_na = nna > 0 || !(X > 0);
    ksum xk = {0.0, 0.0};
    for (int i = 0; i < nr; i++) {
        xs[i] = rs[i] / X;
        ksum_add(&xk, xs[i] * xs[i]);
    }
    double sx2 = ksum_value(&xk), om = 1.0 - sx2;
    if (S) for (size_t k = 0; k < (size_t) nr * nc; k++) S[k] = 0.0;
    for (int jj = 0; jj < nc; jj++) {
        R_xlen_t c = (R_xlen_t) gg * nc + jj;
        R_xlen_t beg = idx_beg(&m, c), end = idx_beg(&m, c + 1);
        double E = cs[jj];
        ksum gk = {0.0, 0.0}, s2 = {0.0, 0.0}, ak = {0.0, 0.0};
        for (R_xlen_t k = beg; k < end; k++) {
            double e = m.x[k];
            if (!(e > 0)) continue;
            int i = idx_row(&m, k, beg);
            double s = e / E, d = s - xs[i];
            ksum_add(&gk, d * d - xs[i] * xs[i]);
            ksum_add(&s2, s * s);
            ksum_add(&ak, s * xs[i]);
            if (S) S[(size_t) jj * nr + i] = s;
        }
        double G = ksum_value(&gk) + sx2;
        double H = ksum_value(&sq[c]) / (E * E);
        double ss = ksum_value(&s2);
        a[jj] = ksum_value(&ak);
        double *o = oi + c;
        int na = group_na || !(E > 0);
        o[0] = cnt[c];
        o[ncol] = colna[jj] ? NA_REAL : E;
        o[2 * ncol] = na ? NA_REAL : H;
        o[3 * ncol] = na ? NA_REAL : G;
        o[4 * ncol] = na ? NA_REAL : om * H;
        int one_plant = !(1.0 - H > 0);   /* H = 1: gamma undefined */
        o[5 * ncol] = na || one_plant ? NA_REAL : (G - om * H) / (om * (1.0 - H));
        o[6 * ncol] = na ? NA_REAL : ss;
        o[7 * ncol] = na || one_plant ? NA_REAL : ((ss - sx2) / om - H) / (1.0 - H);
        o[8 * ncol] = group_na ? NA_REAL : sx2;
        if (na) a[jj] = NA_REAL;
    }
    A->neg = neg;
    if (!A->S) return;
    const double one1 = 1.0, zero = 0.0;
    F77_CALL(dsyrk)("U", "T", &inc, &inr, &one1, S, &inr, &zero, P, &inc FCONE FCONE);
    for (int l = 1; l < nc; l++)
        for (int jj = 0; jj < l; jj++) {
            double p = P[(size_t) l * nc + jj];
            int na = group_na || ISNAN(a[jj]) || ISNAN(a[l]);
            op[ip] = jj + 1;
            op[ip + npair] = l + 1;
            op[ip + 2 * npair] = gg + 1;
            op[ip + 3 * npair] = na ? NA_REAL : (p - a[jj] - a[l] + sx2) / om;
            op[ip + 4 * npair] = na ? NA_REAL : (p - sx2) / om;
            ip++;
        }
    A->ip = ip;
}

/* ffi_agglomeration(region, industry, group, value, dims, pairs, threads):
 * plants (keys coded 1..dims[q] in R) summed into cells by panel_stack,
 * then agglo_group() per group.  Returns list(industries, pairs).       */
SEXP ffi_agglomeration(SEXP region, SEXP industry, SEXP group, SEXP value,
                       SEXP dims, SEXP pairs, SEXP threads)
{
    need_int(industry, "industry");
    need_int(group, "group");
    need_real(value, "value");
    need_int(dims, "dims");
    need_len(dims, 3, "dims");
    const int want_pairs = scalar_int(pairs, "pairs");
    R_xlen_t n = XLENGTH(value);
    need_len(industry, n, "industry");
    need_len(group, n, "group");
    int nprot = 0;
    /* the plants summed into cells; every key already coded in R          */
    SEXP st = PROTECT(panel_stack(region, industry, group, value, 1,
                                  n_threads(threads))); nprot++;
    /* the codes must be exactly 1..dims[q], every one used               */
    const char *used[3] = {"regions", "industries", "groups"};
    if (isNull(named_elt(st, "x"))) error("internal error: bad codes of plant keys");
    for (int q = 0; q < 3; q++) {
        SEXP u = named_elt(st, used[q]);
        R_xlen_t nu = XLENGTH(u), d = INTEGER(dims)[q];
        if (nu != d || (nu > 0 && (REAL(u)[0] != 1 || REAL(u)[nu - 1] != (double) d)))
            error("internal error: codes of plant keys do not match dims");
    }
    agglo_ws A;
    idx_stack_from(&A.m, named_elt(st, "x"), named_elt(st, "ri"), named_elt(st, "cp"), dims);
    const int nr = A.m.nr, nc = A.m.nc, ng = A.m.ng;
    const R_xlen_t ncol = A.ncol = (R_xlen_t) nc * ng;
    double *cnt = (double *) R_alloc(ncol > 0 ? ncol : 1, sizeof(double));
    ksum *sq = (ksum *) R_alloc(ncol > 0 ? ncol : 1, sizeof(ksum));
    agglo_counts(INTEGER(industry), INTEGER(group), REAL(value), n, nc, ncol, cnt, sq);
    A.cnt = cnt;
    A.sq = sq;

    if (ncol > INT_MAX) error("too many industry x group rows");
    SEXP ind = PROTECT(agglo_matrix(ncol, ind_cols, AGG_NI)); nprot++;
    A.npair = want_pairs ? (R_xlen_t) nc * (nc - 1) / 2 * ng : 0;
    if (A.npair > INT_MAX) error("too many industry pairs");
    SEXP pr = PROTECT(agglo_matrix(A.npair, pair_cols, AGG_NP)); nprot++;
    A.oi = REAL(ind);
    A.op = REAL(pr);
    size_t nr1 = nr > 0 ? nr : 1, nc1 = nc > 0 ? nc : 1;
    A.rs = (double *) R_alloc(nr1, sizeof(double));
    A.xs = (double *) R_alloc(nr1, sizeof(double));
    A.rowna = (int *) R_alloc(nr1, sizeof(int));
    A.cs = (double *) R_alloc(nc1, sizeof(double));
    A.colna = (int *) R_alloc(nc1, sizeof(int));
    A.a = (double *) R_alloc(nc1, sizeof(double));
    A.S = A.P = NULL;
    A.inr = A.inc = 0;
    if (want_pairs && nc > 1) {
        A.inr = lapack_dim(nr, "regions");
        A.inc = lapack_dim(nc, "industries");
        A.S = (double *) R_alloc((size_t) nr1 * nc1, sizeof(double));
        A.P = (double *) R_alloc((size_t) nc1 * nc1, sizeof(double));
    }
    A.neg = A.ip = 0;
    for (int gg = 0; gg < ng; gg++) agglo_group(&A, gg);
    const char *names[] = {"industries", "pairs", ""};
    SEXP ans = PROTECT(mkNamed(VECSXP, names)); nprot++;
    SET_VECTOR_ELT(ans, 0, ind);
    SET_VECTOR_ELT(ans, 1, pr);
    UNPROTECT(nprot);
    return ans;
}
