/* linreg-dw.c - the Durbin-Watson statistic's sums and the moments of its
 * normal approximation, for linreg() in memory (ffi_linreg_fit sums the
 * moments in its one-pass QR; ffi_linreg_dwmoments for the other paths)
 * and streamed from a remote table (ffi_linreg_dwmoments block by block).
 *
 * With A the Durbin-Watson matrix (d = r'Ar / r'r) and Z the (weighted)
 * design, the moments are Z'AZ and (AZ)'(AZ), summed from the first and
 * second differences of Z's rows (no n x n or n x p copy); R turns them into
 * the mean and variance of d (dw_normal_pvalue() in R/linreg.R).          */
#include "gvcluster.h"
#include "linreg.h"
#include <string.h>

/* The names of dw_sums()'s results, as R reads them.                     */
const char *dw_sum_names[] = {"ssr", "ssd", "syy", "n", ""};

/* C += D D' on the upper triangle, D p x nb (one data row per column).
 * Register blocks of 4 x 4 entries of C are summed over the nb rows and then
 * added to C, so each block row of data is read once per block of C and C
 * stays out of the inner loop (the reference dsyrk updates C once per row:
 * about 2.5x slower here). */
static void gram_acc(int p, int nb, const double *D, double *C)
{
    for (int ib = 0; ib < p; ib += 4)
        for (int jb = ib; jb < p; jb += 4) {
            int ni = p - ib < 4 ? p - ib : 4, nj = p - jb < 4 ? p - jb : 4;
            if (ni == 4 && nj == 4) {
                double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0,
                    c12 = 0, c13 = 0, c20 = 0, c21 = 0, c22 = 0, c23 = 0,
                    c30 = 0, c31 = 0, c32 = 0, c33 = 0;
                const double *a = D + ib, *b = D + jb;
                for (int l = 0; l < nb; l++, a += p, b += p) {
                    double a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
                    double b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
                    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
                }
                double cc[16] = { c00, c01, c02, c03, c10, c11, c12, c13,
                                  c20, c21, c22, c23, c30, c31, c32, c33 };
                for (int r = 0; r < 4; r++)
                    for (int q = 0; q < 4; q++)
                        if (ib + r <= jb + q)
                            C[ib + r + (R_xlen_t) p * (jb + q)] += cc[4 * r + q];
            } else {
                for (int r = 0; r < ni; r++)
                    for (int q = 0; q < nj; q++) {
                        int i = ib + r, j = jb + q;
                        if (i > j) continue;
                        double t = 0.0;
                        for (int l = 0; l < nb; l++)
                            t += D[i + (R_xlen_t) p * l] * D[j + (R_xlen_t) p * l];
                        C[i + (R_xlen_t) p * j] += t;
                    }
            }
        }
}

/* accumulate Z'AZ (g1) and (AZ)'(AZ) (g2), upper triangles, over rows
 * [r0, r1) of Z = diag(sw) X[, cl] (cl 1-based, NULL for the first p
 * columns; sw NULL for unit weights); D and E hold B x p */
void dw_accumulate(cols_t xp, const double *sw, int n,
                          const int *cl, int p, int r0, int r1, int B,
                          double *D, double *E, double *g1, double *g2)
{
#define ZV(i, j) ((sw ? sw[i] : 1.0) * xp[cl ? cl[j] - 1 : (j)][i])
    for (int t0 = r0; t0 < r1; t0 += B) {
        int nb = (r1 - t0 < B) ? r1 - t0 : B;
        int nd = 0;
        for (int j = 0; j < p; j++) {
            nd = 0;
            double zprev = (t0 >= 1) ? ZV(t0 - 1, j) : 0.0, zt = ZV(t0, j);
            for (int r = 0; r < nb; r++) {
                int t = t0 + r;
                double znext = (t + 1 < n) ? ZV(t + 1, j) : 0.0;
                double dt = (t >= 1) ? zt - zprev : 0.0;
                double dn = (t + 1 < n) ? znext - zt : 0.0;
                if (t >= 1) D[j + (R_xlen_t) p * nd++] = dt;
                E[j + (R_xlen_t) p * r] = dt - dn;
                zprev = zt;
                zt = znext;
            }
        }
        if (nd > 0) gram_acc(p, nd, D, g1);
        gram_acc(p, nb, E, g2);
    }
#undef ZV
}

/* The same moments over the rows of one block of a stream (a design read
 * block by block): x holds n rows of p columns; lastx (p values) is the
 * last row of the previous block (have_last 0 for the first block), lastu
 * its difference x_t - x_{t-1} (zero before the second row).  Adds the
 * block's rows of Z'AZ and (AZ)'(AZ) except the final row of AZ, -u_n,
 * which the caller adds once the stream ends; updates lastx and lastu. */
static void dw_stream_block(cols_t x, int n, int p, double *lastx, int have_last,
                            double *lastu, int B, double *D, double *E,
                            double *g1, double *g2)
{
    for (int t0 = 0; t0 < n; t0 += B) {
        int nb = (n - t0 < B) ? n - t0 : B, nd = 0;
        for (int j = 0; j < p; j++) {
            double prev = t0 >= 1 ? x[j][t0 - 1] : lastx[j], pu = lastu[j];
            nd = 0;
            for (int r = 0; r < nb; r++) {
                int t = t0 + r;
                double xt = x[j][t];
                if (t == 0 && !have_last) { prev = xt; continue; }
                double u = xt - prev;
                D[j + (R_xlen_t) p * nd] = u;
                E[j + (R_xlen_t) p * nd] = pu - u;
                pu = u;
                prev = xt;
                nd++;
            }
            lastu[j] = pu;
        }
        if (nd > 0) { gram_acc(p, nd, D, g1); gram_acc(p, nd, E, g2); }
    }
    if (n > 0) for (int j = 0; j < p; j++) lastx[j] = x[j][n - 1];
}

/* g (k x k) with its lower triangle copied from its upper one.          */
static void sym_from_upper(double *g, int k)
{
    for (int j = 0; j < k; j++)
        for (int i = j + 1; i < k; i++) g[i + (R_xlen_t) k * j] = g[j + (R_xlen_t) k * i];
}

/* list(ZAZ, AZAZ) from the upper triangles (k x k) in m1, m2: the
 * moments of the fit and of the whole design (the stream's state is built
 * by dw_stream).                                                         */
SEXP dw_moments_list(SEXP m1, SEXP m2, int k)
{
    sym_from_upper(REAL(m1), k);
    sym_from_upper(REAL(m2), k);
    const char *nm[] = {"ZAZ", "AZAZ", ""};
    int nprot = 0;
    SEXP out = PROTECT(mkNamed(VECSXP, nm)); nprot++;
    SET_VECTOR_ELT(out, 0, m1);
    SET_VECTOR_ELT(out, 1, m2);
    UNPROTECT(nprot);
    return out;
}

/* One block x (n x k, a double matrix, columns xcols) of a stream: the
 * new state (see ffi_linreg_dwmoments) from the old one.  With rinv (k x k,
 * upper triangular R^-1) the moments are those of the rows of Q = X R^-1
 * (dgemm), and QQ += Q'Q (dsyrk), as %*% and crossprod() would form them.
 * m1, m2 k x k (protected), D and E scratch of DW_ROWS x k.              */
static SEXP dw_stream(SEXP x, cols_t xcols, int n, int k, SEXP state, SEXP m1,
                      SEXP m2, double *D, double *E)
{
    const char *nm[] = {"ZAZ", "AZAZ", "last_x", "last_u", "rinv", "QQ", ""};
    int nprot = 0, have = !isNull(named_elt(state, "last_x"));
    SEXP out = PROTECT(mkNamed(VECSXP, nm)); nprot++;
    const char *st[] = {"ZAZ", "AZAZ", "last_x", "last_u"};
    SEXP sv[] = {m1, m2, allocVector(REALSXP, k), R_NilValue};
    SET_VECTOR_ELT(out, 2, sv[2]);
    sv[3] = allocVector(REALSXP, k);
    SET_VECTOR_ELT(out, 3, sv[3]);
    for (int e = 0; e < 4; e++) {
        SEXP v = named_elt(state, st[e]);
        R_xlen_t len = e < 2 ? (R_xlen_t) k * k : k;
        if (e == 2 && !have) { memset(REAL(sv[e]), 0, sizeof(double) * (size_t) k); continue; }
        need_real(v, st[e]); need_len(v, len, st[e]);
        memcpy(REAL(sv[e]), REAL(v), sizeof(double) * (size_t) len);
    }
    SEXP rinv = named_elt(state, "rinv");
    SET_VECTOR_ELT(out, 0, m1);
    SET_VECTOR_ELT(out, 1, m2);
    SET_VECTOR_ELT(out, 4, rinv);
    if (!isNull(rinv) && k > 0) {
        SEXP q0 = named_elt(state, "QQ");
        need_real(rinv, "rinv"); need_len(rinv, (R_xlen_t) k * k, "rinv");
        need_real(q0, "QQ"); need_len(q0, (R_xlen_t) k * k, "QQ");
        need_real(x, "x");
        SEXP qq = allocMatrix(REALSXP, k, k);
        SET_VECTOR_ELT(out, 5, qq);
        memcpy(REAL(qq), REAL(q0), sizeof(double) * (size_t) k * k);
        double one = 1.0, zero = 0.0;
        double *xq = (double *) R_alloc((size_t) (n > 0 ? n : 1) * k, sizeof(double));
        const double **qc = (const double **) R_alloc((size_t) k, sizeof(double *));
        F77_CALL(dgemm)("N", "N", &n, &k, &k, &one, REAL(x), &n, REAL(rinv), &k,
                        &zero, xq, &n FCONE FCONE);
        F77_CALL(dsyrk)("U", "T", &k, &n, &one, xq, &n, &one, REAL(qq), &k FCONE FCONE);
        sym_from_upper(REAL(qq), k);
        for (int j = 0; j < k; j++) qc[j] = xq + (R_xlen_t) n * j;
        xcols = qc;
    }
    dw_stream_block(xcols, n, k, REAL(sv[2]), have, REAL(sv[3]), DW_ROWS, D, E,
                    REAL(m1), REAL(m2));
    sym_from_upper(REAL(m1), k);
    sym_from_upper(REAL(m2), k);
    UNPROTECT(nprot);
    return out;
}

/* ffi_linreg_dwmoments(x, w, cols, state): with Z = diag(sqrt(w)) X[, cols]
 * and A the Durbin-Watson matrix, returns list(ZAZ = Z'AZ, AZAZ =
 * (AZ)'(AZ)), computed block by block from first and second differences
 * (no n x p copy).  state NULL: x is the whole design.  Otherwise x is one
 * block of a stream (a double matrix, w NULL, all columns) and state
 * list(ZAZ, AZAZ, last_x, last_u, rinv, QQ) what the previous blocks left
 * (last_x NULL before the first; rinv NULL, or R^-1 for the moments of Q =
 * X R^-1, whose Q'Q is summed in QQ): the result is the new state, read
 * by name (see dw_stream, dw_stream_block).                              */
SEXP ffi_linreg_dwmoments(SEXP x, SEXP w, SEXP cols, SEXP state)
{
    need_int(cols, "cols");
    R_xlen_t nx;
    const double **xcols;
    int px = design_cols(x, &nx, &xcols);
    int n = lapack_dim(nx, "nrow(x)");
    int k = (int) XLENGTH(cols);
    const int *cl = INTEGER(cols);
    for (int j = 0; j < k; j++)
        if (cl[j] < 1 || cl[j] > px) error("internal error: bad column index");
    const double *wp = NULL;
    if (!isNull(w)) { need_real(w, "w"); need_len(w, n, "w"); wp = REAL(w); }
    int nprot = 0;
    SEXP m1 = PROTECT(allocMatrix(REALSXP, k, k)); nprot++;
    SEXP m2 = PROTECT(allocMatrix(REALSXP, k, k)); nprot++;
    double *g1 = REAL(m1), *g2 = REAL(m2);
    for (R_xlen_t i = 0; i < (R_xlen_t) k * k; i++) g1[i] = g2[i] = 0.0;
    const int B = DW_ROWS;
    double *D = (double *) R_alloc((size_t) B * (k > 0 ? k : 1), sizeof(double));
    double *E = (double *) R_alloc((size_t) B * (k > 0 ? k : 1), sizeof(double));
    if (!isNull(state)) {
        if (wp || k != px) error("internal error: bad stream state");
        SEXP out = dw_stream(x, xcols, n, k, state, m1, m2, D, E);
        UNPROTECT(nprot);
        return out;
    }
    double *sw = NULL;
    if (wp) {
        sw = (double *) R_alloc((size_t) (n > 0 ? n : 1), sizeof(double));
        for (int i = 0; i < n; i++) sw[i] = sqrt(wp[i]);
    }
    if (k > 0) dw_accumulate(xcols, sw, n, cl, k, 0, n, B, D, E, g1, g2);
    SEXP out = dw_moments_list(m1, m2, k);
    UNPROTECT(nprot);
    return out;
}

/* What the Durbin-Watson statistic needs, in one pass without copies: over
 * the rows with positive weight (all rows when wp is NULL), with e =
 * sqrt(w) res, out[0] the sum of e^2, out[1] of (e_t - e_{t-1})^2 (t
 * running over those rows), out[2] the sum of w (res + fit)^2 and out[3]
 * the number of rows; sums in long double.                              */
void dw_sums(const double *rp, const double *fp, const double *wp,
                    R_xlen_t n, double *out)
{
    long double ssr = 0.0L, sdiff = 0.0L, ysz = 0.0L, prev = 0.0L;
    R_xlen_t m = 0;
    for (R_xlen_t i = 0; i < n; i++) {
        double wi = wp ? wp[i] : 1.0;
        if (!(wi > 0)) continue;
        long double e = wp ? sqrtl((long double) wi) * rp[i] : (long double) rp[i];
        long double yi = (long double) rp[i] + fp[i];
        ssr += e * e;
        ysz += wi * yi * yi;
        if (m > 0) sdiff += (e - prev) * (e - prev);
        prev = e;
        m++;
    }
    out[0] = (double) ssr;
    out[1] = (double) sdiff;
    out[2] = (double) ysz;
    out[3] = (double) m;
}

/* ffi_linreg_dwstat(res, fit, w): dw_sums() of residuals computed outside
 * ffi_linreg_fit (the streamed fit of a remote table), named as
 * dw_sum_names.                                                           */
SEXP ffi_linreg_dwstat(SEXP res, SEXP fit, SEXP w)
{
    need_real(res, "res");
    R_xlen_t n = XLENGTH(res);
    need_real(fit, "fit");
    need_len(fit, n, "fit");
    const double *wp = NULL;
    if (!isNull(w)) { need_real(w, "w"); need_len(w, n, "w"); wp = REAL(w); }
    int nprot = 0;
    SEXP out = PROTECT(mkNamed(REALSXP, dw_sum_names)); nprot++;
    dw_sums(REAL(res), REAL(fit), wp, n, REAL(out));
    UNPROTECT(nprot);
    return out;
}

