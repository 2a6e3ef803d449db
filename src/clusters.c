/* clusters.c: the US Cluster Mapping Project's cluster strength
 * (clusters(rule = "uscmp")).
 *
 * Cells are region x cluster x period, stored period-major: cell
 * r + nr * (g + ng * p) (0-based), so the regions of one cluster and period
 * are contiguous.  cl_uscmp_sums() sums employment and establishments of the
 * input rows into their cells; cl_uscmp_lq() computes each cell's LQ against
 * its region's employment in clusters of the same type (traded, local), as
 * data/processing/cluster_calcs_mapper.js of the project does (a quotient
 * that is not finite is 0 there, and here); cl_uscmp_flags() applies the
 * rules of its cluster_calcs_reducer.js to the traded clusters and ranks the
 * regions by LQ within each cluster and period.
 */
#include "stack.h"

/* The sums of the rows into cells; rows whose cluster is NA are skipped. */
static void cl_uscmp_sums(R_xlen_t n, const int *reg, const int *grp,
                          const int *per, const double *emp, const double *est,
                          R_xlen_t nr, R_xlen_t ng, double *E, double *S,
                          int *rows)
{
    for (R_xlen_t i = 0; i < n; i++) {
        if (grp[i] == NA_INTEGER) continue;
        R_xlen_t c = (R_xlen_t) (reg[i] - 1) +
            nr * ((R_xlen_t) (grp[i] - 1) + ng * (R_xlen_t) (per ? per[i] - 1 : 0));
        E[c] += emp[i];
        if (est) S[c] += est[i];
        rows[c]++;
    }
}

/* LQ = (e_rg / e_r,type) / (E_g / E_type) with the national E_g in
 * nat[g + ng * p]; 0 where not finite.  tr[r + nr * (t + 2 * p)] are the
 * region's type totals (scratch), ntr[t + 2 * p] the nation's.            */
static void cl_uscmp_lq(const double *E, const double *nat, const int *traded,
                        R_xlen_t nr, R_xlen_t ng, R_xlen_t np, double *tr,
                        double *ntr, double *lq)
{
    for (R_xlen_t k = 0; k < nr * 2 * np; k++) tr[k] = 0;
    for (R_xlen_t k = 0; k < 2 * np; k++) ntr[k] = 0;
    for (R_xlen_t p = 0; p < np; p++)
        for (R_xlen_t g = 0; g < ng; g++) {
            int t = traded[g] ? 1 : 0;
            const double *e = E + nr * (g + ng * p);
            double *rt = tr + nr * (t + 2 * p);
            for (R_xlen_t r = 0; r < nr; r++) rt[r] += e[r];
            ntr[t + 2 * p] += nat[g + ng * p];
        }
    for (R_xlen_t p = 0; p < np; p++)
        for (R_xlen_t g = 0; g < ng; g++) {
            int t = traded[g] ? 1 : 0;
            const double *e = E + nr * (g + ng * p);
            const double *rt = tr + nr * (t + 2 * p);
            double natl_per = nat[g + ng * p] / ntr[t + 2 * p];
            double *l = lq + nr * (g + ng * p);
            for (R_xlen_t r = 0; r < nr; r++) {
                double v = (e[r] / rt[r]) / natl_per;
                l[r] = isfinite(v) ? v : 0;
            }
        }
}

/* Sorts the non-negative a[0 .. m - 1] ascending with the radix sort of
 * sort.c on their bit patterns (-0 taken as +0); k, k2: m keys of scratch,
 * cnt: IDX_NCNT ints.                                                     */
static void cl_sort(double *a, R_xlen_t m, uint64_t *k, uint64_t *k2, int *cnt)
{
    for (R_xlen_t i = 0; i < m; i++) {
        double v = a[i] + 0.0;
        memcpy(k + i, &v, sizeof v);
    }
    idx_sort_keys(k, NULL, k2, NULL, m, cnt);
    for (R_xlen_t i = 0; i < m; i++) memcpy(a + i, k + i, sizeof a[i]);
}

/* d3.quantile of an ascending array (R's type 7); NaN when empty. */
static double cl_quantile(const double *a, R_xlen_t m, double prob)
{
    if (m == 0) return NAN;
    double H = (double) (m - 1) * prob + 1;
    R_xlen_t h = (R_xlen_t) floor(H);
    double v = a[h - 1], e = H - (double) h;
    return e != 0 ? v + e * (a[h] - v) : v;
}

/* The number of values of the ascending a[0 .. m - 1] greater than v. */
static R_xlen_t cl_n_above(const double *a, R_xlen_t m, double v)
{
    R_xlen_t lo = 0, hi = m;
    while (lo < hi) {
        R_xlen_t mid = lo + (hi - lo) / 2;
        if (a[mid] <= v) lo = mid + 1; else hi = mid;
    }
    return m - lo;
}

/* The flags of one cluster and period (n cells): quantiles over the cells
 * with employment > 0, the rules of cluster_calcs_reducer.js; the rank of
 * each cell with rows among those cells by decreasing LQ (ties share the
 * best rank).  ae, as, al, ar: scratch of n doubles each; k, k2 of n keys,
 * cnt of IDX_NCNT ints.                                                   */
static void cl_uscmp_flags(R_xlen_t n, int traded, const double *e,
                           const double *s, const double *l, const int *rows,
                           double *ae, double *as, double *al, double *ar,
                           uint64_t *k, uint64_t *k2, int *cnt,
                           int *strong, int *strong10, int *signif,
                           int *qualif, int *rank)
{
    R_xlen_t m = 0, np = 0;
    for (R_xlen_t r = 0; r < n; r++) {
        if (rows[r] > 0) ar[np++] = l[r];
        if (e[r] > 0) { ae[m] = e[r]; as[m] = s[r]; al[m] = l[r]; m++; }
    }
    cl_sort(ar, np, k, k2, cnt);
    for (R_xlen_t r = 0; r < n; r++)
        rank[r] = rows[r] > 0 ? (int) (1 + cl_n_above(ar, np, l[r] + 0.0)) : NA_INTEGER;
    for (R_xlen_t r = 0; r < n; r++)
        strong[r] = strong10[r] = signif[r] = qualif[r] = 0;
    if (!traded || m == 0) return;
    cl_sort(ae, m, k, k2, cnt);
    cl_sort(as, m, k, k2, cnt);
    cl_sort(al, m, k, k2, cnt);
    double emp25 = cl_quantile(ae, m, 0.25), est25 = cl_quantile(as, m, 0.25),
        lq90 = cl_quantile(al, m, 0.90), lq75 = cl_quantile(al, m, 0.75),
        lq50 = cl_quantile(al, m, 0.5), lq25 = cl_quantile(al, m, 0.25);
    for (R_xlen_t r = 0; r < n; r++) {
        int size = e[r] > emp25 && s[r] > est25;
        qualif[r] = l[r] > lq25 && size;
        signif[r] = l[r] > lq50 && size;
        strong[r] = l[r] >= lq75 && size && l[r] >= 1;
        strong10[r] = l[r] >= lq90 && size && l[r] >= 1;
    }
}

/* Sums of employment and establishments by cell.  dims: named integer
 * (n_region, n_cluster, n_period); period and est may be NULL. */
SEXP ffi_cl_uscmp_sums(SEXP region, SEXP cluster, SEXP period, SEXP emp,
                       SEXP est, SEXP dims)
{
    int nprot = 0;
    R_xlen_t n = XLENGTH(region);
    need_int(region, "region"); need_int(cluster, "cluster");
    need_real(emp, "emp");
    need_len(cluster, n, "cluster"); need_len(emp, n, "emp");
    if (period != R_NilValue) { need_int(period, "period"); need_len(period, n, "period"); }
    if (est != R_NilValue) { need_real(est, "est"); need_len(est, n, "est"); }
    R_xlen_t nr = named_int(dims, "n_region"), ng = named_int(dims, "n_cluster"),
        np = named_int(dims, "n_period"), nc = nr * ng * np;
    const int *reg = INTEGER(region), *grp = INTEGER(cluster),
        *per = period == R_NilValue ? NULL : INTEGER(period);
    for (R_xlen_t i = 0; i < n; i++)
        if (reg[i] < 1 || reg[i] > nr ||
            (grp[i] != NA_INTEGER && (grp[i] < 1 || grp[i] > ng)) ||
            (per && (per[i] < 1 || per[i] > np)))
            error("internal error: code out of range in row %.0f", (double) i + 1);
    SEXP E = PROTECT(allocVector(REALSXP, nc)); nprot++;
    SEXP S = PROTECT(allocVector(REALSXP, est == R_NilValue ? 0 : nc)); nprot++;
    SEXP rows = PROTECT(allocVector(INTSXP, nc)); nprot++;
    for (R_xlen_t c = 0; c < nc; c++) { REAL(E)[c] = 0; INTEGER(rows)[c] = 0; }
    for (R_xlen_t c = 0; c < XLENGTH(S); c++) REAL(S)[c] = 0;
    cl_uscmp_sums(n, reg, grp, per, REAL(emp),
                  est == R_NilValue ? NULL : REAL(est), nr, ng, REAL(E),
                  REAL(S), INTEGER(rows));
    SEXP out = PROTECT(mkNamed(VECSXP, (const char *[]) {
        "employment", "establishments", "rows", ""})); nprot++;
    SET_VECTOR_ELT(out, 0, E);
    SET_VECTOR_ELT(out, 1, S);
    SET_VECTOR_ELT(out, 2, rows);
    UNPROTECT(nprot);
    return out;
}

/* LQ, the four flags and the rank of every cell, from the sums of
 * ffi_cl_uscmp_sums(), the national employment by cluster and period
 * (nat) and whether each cluster is traded. */
SEXP ffi_cl_uscmp_strength(SEXP emp, SEXP est, SEXP rows, SEXP nat,
                           SEXP traded, SEXP dims)
{
    int nprot = 0;
    R_xlen_t nr = named_int(dims, "n_region"), ng = named_int(dims, "n_cluster"),
        np = named_int(dims, "n_period"), nc = nr * ng * np;
    need_real(emp, "emp"); need_real(est, "est"); need_int(rows, "rows");
    need_real(nat, "nat"); need_int(traded, "traded");
    need_len(emp, nc, "emp"); need_len(est, nc, "est"); need_len(rows, nc, "rows");
    need_len(nat, ng * np, "nat"); need_len(traded, ng, "traded");
    const char *names[] = {"lq", "strong", "strong10", "significant",
                           "qualifying", "rank", ""};
    SEXP out = PROTECT(mkNamed(VECSXP, names)); nprot++;
    SET_VECTOR_ELT(out, 0, allocVector(REALSXP, nc));
    for (int j = 1; j <= 4; j++) SET_VECTOR_ELT(out, j, allocVector(LGLSXP, nc));
    SET_VECTOR_ELT(out, 5, allocVector(INTSXP, nc));
    double *lq = REAL(VECTOR_ELT(out, 0));
    double *tr = (double *) R_alloc((size_t) (nr * 2 * np), sizeof(double));
    double *ntr = (double *) R_alloc((size_t) (2 * np), sizeof(double));
    cl_uscmp_lq(REAL(emp), REAL(nat), INTEGER(traded), nr, ng, np, tr, ntr, lq);
    double *scratch = (double *) R_alloc((size_t) (4 * nr), sizeof(double));
    uint64_t *keys = (uint64_t *) R_alloc((size_t) (2 * nr), sizeof(uint64_t));
    int *cnt = (int *) R_alloc(IDX_NCNT, sizeof(int));
    for (R_xlen_t q = 0; q < ng * np; q++) {
        R_xlen_t off = nr * q;
        cl_uscmp_flags(nr, INTEGER(traded)[q % ng], REAL(emp) + off, REAL(est) + off,
                       lq + off, INTEGER(rows) + off, scratch, scratch + nr,
                       scratch + 2 * nr, scratch + 3 * nr, keys, keys + nr, cnt,
                       LOGICAL(VECTOR_ELT(out, 1)) + off,
                       LOGICAL(VECTOR_ELT(out, 2)) + off,
                       LOGICAL(VECTOR_ELT(out, 3)) + off,
                       LOGICAL(VECTOR_ELT(out, 4)) + off,
                       INTEGER(VECTOR_ELT(out, 5)) + off);
        if (q % 64 == 63) R_CheckUserInterrupt();
    }
    UNPROTECT(nprot);
    return out;
}
