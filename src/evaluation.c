/* evaluation.c - the entropy weight method.
 *
 * For an n x m matrix of indicators (rows = units, columns = indicators):
 *   x'_ij = (x_ij - min_j) / (max_j - min_j)        benefit indicator
 *   x'_ij = (max_j - x_ij) / (max_j - min_j)        cost indicator
 *   p_ij  = x'_ij / sum_i x'_ij
 *   e_j   = -(1 / ln n) sum_i p_ij ln p_ij,  with 0 ln 0 = 0
 *   d_j   = 1 - e_j,  w_j = d_j / sum_j d_j,  S_i = sum_j w_j x'_ij
 * A constant indicator (max_j == min_j over the rows used) carries no
 * information: its normalised column is NA, e_j = 1 (every unit holds the
 * share 1/n), d_j = 0 and w_j = 0.  With na_rm, rows holding any NaN are
 * left out (their normalised values and score are NA) and n counts the rows
 * used.  Column sums use Neumaier summation (ksum): n may be large.
 */
#include "gvcluster.h"

/* The kernel: no R API.  keep[i] != 0 marks the rows used, nk of them
 * (nk >= 2).  Returns 0 when every indicator is constant (the weights are
 * then undefined and set to NaN), 1 otherwise. */
static int entropy_kernel(const double *x, R_xlen_t n, R_xlen_t m,
                          const int *cost, const int *keep, R_xlen_t nk,
                          double *norm, double *ent, double *div, double *w,
                          double *score, int *constant)
{
    const double lnn = log((double) nk);
    ksum dsum = {0.0, 0.0};

    for (R_xlen_t j = 0; j < m; j++) {
        const double *xj = x + j * n;
        double *zj = norm + j * n;
        double lo = R_PosInf, hi = R_NegInf;
        for (R_xlen_t i = 0; i < n; i++) {
            if (!keep[i]) continue;
            if (xj[i] < lo) lo = xj[i];
            if (xj[i] > hi) hi = xj[i];
        }
        double range = hi - lo;
        if (!(range > 0.0)) {              /* constant indicator */
            constant[j] = 1;
            for (R_xlen_t i = 0; i < n; i++) zj[i] = NA_REAL;
            ent[j] = 1.0;
            div[j] = 0.0;
            continue;
        }
        constant[j] = 0;
        ksum colsum = {0.0, 0.0};
        for (R_xlen_t i = 0; i < n; i++) {
            if (!keep[i]) { zj[i] = NA_REAL; continue; }
            double z = cost[j] ? (hi - xj[i]) / range : (xj[i] - lo) / range;
            zj[i] = z;
            ksum_add(&colsum, z);
        }
        /* colsum >= 1: the best unit has x' = 1 */
        double tot = ksum_value(&colsum);
        ksum h = {0.0, 0.0};
        for (R_xlen_t i = 0; i < n; i++) {
            if (!keep[i]) continue;
            double p = zj[i] / tot;
            if (p > 0.0) ksum_add(&h, p * log(p));
        }
        double e = -ksum_value(&h) / lnn;
        if (e > 1.0) e = 1.0;              /* rounding: entropy is at most 1 */
        if (e <= 0.0) e = 0.0;             /* and no negative zero */
        ent[j] = e;
        div[j] = 1.0 - e;
        ksum_add(&dsum, div[j]);
    }

    double D = ksum_value(&dsum);
    int ok = D > 0.0;
    for (R_xlen_t j = 0; j < m; j++) w[j] = ok ? div[j] / D : R_NaN;

    for (R_xlen_t i = 0; i < n; i++) {
        if (!keep[i] || !ok) { score[i] = NA_REAL; continue; }
        ksum s = {0.0, 0.0};
        for (R_xlen_t j = 0; j < m; j++)
            if (!constant[j]) ksum_add(&s, w[j] * norm[i + j * n]);
        score[i] = ksum_value(&s);
    }
    return ok;
}

/* .Call entry: x a double matrix (n x m), cost a logical vector of length
 * m, na_rm TRUE/FALSE.  Returns list(normalized, entropy, divergence,
 * weights, scores, constant, used). */
SEXP ffi_entropy_weights(SEXP x, SEXP cost, SEXP na_rm)
{
    int nprot = 0;
    need_real(x, "x");
    SEXP dim = getAttrib(x, R_DimSymbol);
    if (TYPEOF(dim) != INTSXP || XLENGTH(dim) != 2)
        error("internal error: 'x' must be a matrix");
    R_xlen_t n = INTEGER(dim)[0], m = INTEGER(dim)[1];
    if (TYPEOF(cost) != LGLSXP)
        error("internal error: 'cost' must be a logical vector");
    need_len(cost, m, "cost");
    int narm = scalar_int(na_rm, "na_rm");
    if (m < 1) error("internal error: 'x' has no columns");

    const double *px = REAL(x);
    const int *pc = LOGICAL(cost);
    for (R_xlen_t j = 0; j < m; j++)
        if (pc[j] == NA_LOGICAL) error("internal error: 'cost' contains NA");

    int *keep = (int *) R_alloc((size_t) (n > 0 ? n : 1), sizeof(int));
    R_xlen_t nk = 0;
    for (R_xlen_t i = 0; i < n; i++) {
        int ok = 1;
        for (R_xlen_t j = 0; j < m; j++) {
            double v = px[i + j * n];
            if (ISNAN(v)) {
                if (!narm) error("internal error: 'x' contains NA");
                ok = 0;
                break;
            }
            if (!R_FINITE(v)) error("internal error: 'x' is not finite");
        }
        keep[i] = ok;
        nk += ok;
    }
    if (nk < 2) error("internal error: fewer than 2 complete rows in 'x'");

    SEXP norm = PROTECT(allocMatrix(REALSXP, (int) n, (int) m)); nprot++;
    SEXP ent = PROTECT(allocVector(REALSXP, m)); nprot++;
    SEXP dv = PROTECT(allocVector(REALSXP, m)); nprot++;
    SEXP w = PROTECT(allocVector(REALSXP, m)); nprot++;
    SEXP sc = PROTECT(allocVector(REALSXP, n)); nprot++;
    SEXP con = PROTECT(allocVector(LGLSXP, m)); nprot++;

    entropy_kernel(px, n, m, pc, keep, nk, REAL(norm), REAL(ent), REAL(dv),
                   REAL(w), REAL(sc), LOGICAL(con));

    SEXP used = PROTECT(allocVector(LGLSXP, n)); nprot++;
    for (R_xlen_t i = 0; i < n; i++) LOGICAL(used)[i] = keep[i];

    const char *nms[] = {"normalized", "entropy", "divergence", "weights",
                         "scores", "constant", "used", ""};
    SEXP out = PROTECT(mkNamed(VECSXP, nms)); nprot++;
    SET_VECTOR_ELT(out, 0, norm);
    SET_VECTOR_ELT(out, 1, ent);
    SET_VECTOR_ELT(out, 2, dv);
    SET_VECTOR_ELT(out, 3, w);
    SET_VECTOR_ELT(out, 4, sc);
    SET_VECTOR_ELT(out, 5, con);
    SET_VECTOR_ELT(out, 6, used);
    UNPROTECT(nprot);
    return out;
}
