/* linreg-tsqr.c - the kernels of the streamed fit (linreg() on a remote
 * table, R/remote-linreg.R): the row blocks come from R one at a time and
 * are reduced here, so that R holds O(p^2 + block * p) numbers.
 *  - ffi_lsq_tsqr: one merge of the tall-skinny QR of [X y] (dgeqrf, as the
 *    in-memory fit's one-pass path in linreg.c);
 *  - ffi_lsq_colstats: the column statistics, merged block by block;
 *  - ffi_lsq_block: one block of a refinement pass (residuals and X'r in
 *    double-double).                                                      */
#include "gvcluster.h"
#include "dd.h"
#include <string.h>

/* ---- one block of a streamed fit (R/remote-linreg.R) -------------------- */

/* Residuals r = y - X b of an n x p column-major block, each row summed in
 * double-double and rounded once.                                          */
static void lsq_block_resid(const double *X, R_xlen_t n, int p, const double *y,
                            const double *b, double *r)
{
    for (R_xlen_t i = 0; i < n; i++) {
        dd acc = dd_from(y[i]);
        for (int j = 0; j < p; j++)
            if (b[j] != 0.0) acc = dd_add(acc, dd_two_prod(X[i + (R_xlen_t) j * n], -b[j]));
        r[i] = acc.hi + acc.lo;
    }
}

/* g[j] (+ gl[j]) += sum_i X_ij r_i, every product and sum error-free in
 * double-double: the refinement's right-hand side X'r is small where the
 * block's terms are not.                                                   */
static void lsq_block_xr(const double *X, R_xlen_t n, int p, const double *r,
                         double *g, double *gl)
{
    for (int j = 0; j < p; j++) {
        const double *xj = X + (R_xlen_t) j * n;
        dd s = { 0.0, 0.0 };
        for (R_xlen_t i = 0; i < n; i++) s = dd_add(s, dd_two_prod(xj[i], r[i]));
        dd t = { g[j], gl[j] };
        t = dd_add(t, s);
        g[j] = t.hi; gl[j] = t.lo;
    }
}

/* ffi_lsq_block(X, y, b, g): one block of a refinement pass of the streamed
 * fit.  X an n x p double matrix, y and b doubles of length n and p, g the
 * running X'r as c(hi, lo) (length 2p).  Returns list(r = the residuals,
 * g = the updated c(hi, lo), rss = sum r^2, yss = sum y^2) (sums in long
 * double).                                                                 */
SEXP ffi_lsq_block(SEXP X, SEXP y, SEXP b, SEXP g)
{
    need_real(X, "X");
    need_real(y, "y");
    need_real(b, "b");
    need_real(g, "g");
    R_xlen_t n = XLENGTH(y);
    int p = (int) XLENGTH(b);
    need_len(X, n * p, "X");
    need_len(g, 2 * (R_xlen_t) p, "g");
    int nprot = 0;
    const char *names[] = {"r", "g", "rss", "yss", ""};
    SEXP ans = PROTECT(mkNamed(VECSXP, names)); nprot++;
    SEXP r = allocVector(REALSXP, n);
    SET_VECTOR_ELT(ans, 0, r);
    SEXP g2 = allocVector(REALSXP, 2 * (R_xlen_t) p);
    SET_VECTOR_ELT(ans, 1, g2);
    double *rp = REAL(r), *gp = REAL(g2);
    memcpy(gp, REAL(g), 2 * (size_t) p * sizeof(double));
    const double *yp = REAL(y);
    lsq_block_resid(REAL(X), n, p, yp, REAL(b), rp);
    lsq_block_xr(REAL(X), n, p, rp, gp, gp + p);
    long double rss = 0.0L, yss = 0.0L;
    for (R_xlen_t i = 0; i < n; i++) {
        rss += (long double) rp[i] * rp[i];
        yss += (long double) yp[i] * yp[i];
    }
    SET_VECTOR_ELT(ans, 2, ScalarReal((double) rss));
    SET_VECTOR_ELT(ans, 3, ScalarReal((double) yss));
    UNPROTECT(nprot);
    return ans;
}

/* ffi_lsq_tsqr(R, B): the k x k R factor of rbind(R, B) (Householder QR,
 * LAPACK dgeqrf, no pivoting; rows past min(rows, k) zero), R NULL or a
 * k x k matrix, B an n x k double matrix: one merge step of the streamed
 * fit's tall-skinny QR of [X y].                                          */
SEXP ffi_lsq_tsqr(SEXP R, SEXP B)
{
    need_real(B, "B");
    if (!isMatrix(B)) error("internal error: 'B' must be a matrix");
    int nb = nrows(B), k = ncols(B), nr = 0;
    if (!isNull(R)) {
        need_real(R, "R");
        need_len(R, (R_xlen_t) k * k, "R");
        nr = k;
    }
    int m = nr + nb, mn = m < k ? m : k, nprot = 0;
    double *a = (double *) R_alloc((size_t) (m > 0 ? m : 1) * (k > 0 ? k : 1), sizeof(double));
    for (int j = 0; j < k; j++) {
        if (nr) memcpy(a + (R_xlen_t) j * m, REAL(R) + (R_xlen_t) j * k, (size_t) k * sizeof(double));
        memcpy(a + (R_xlen_t) j * m + nr, REAL(B) + (R_xlen_t) j * nb, (size_t) nb * sizeof(double));
    }
    SEXP out = PROTECT(allocMatrix(REALSXP, k, k)); nprot++;
    double *op = REAL(out);
    memset(op, 0, (size_t) k * k * sizeof(double));
    if (m > 0 && k > 0) {
        double wq, *tau = (double *) R_alloc(mn > 0 ? mn : 1, sizeof(double));
        int lwork = -1, info = 0;
        F77_CALL(dgeqrf)(&m, &k, a, &m, tau, &wq, &lwork, &info);
        lwork = (int) wq > k ? (int) wq : k;
        double *work = (double *) R_alloc(lwork, sizeof(double));
        F77_CALL(dgeqrf)(&m, &k, a, &m, tau, work, &lwork, &info);
        if (info != 0) error("internal error: dgeqrf returned %d", info);
        for (int j = 0; j < k; j++)
            for (int i = 0; i <= j && i < mn; i++)
                op[i + (R_xlen_t) j * k] = a[i + (R_xlen_t) j * m];
    }
    UNPROTECT(nprot);
    return out;
}

/* Count, mean, centred and uncentred sums of squares of column j of an
 * nb x k block (two passes, sums in long double), merged into the running
 * ones (Chan, Golub and LeVeque) when n0 > 0.                             */
static void lsq_colstats_block(const double *B, R_xlen_t nb, int k, double n0,
                               double *mean, double *m2, double *ss)
{
    for (int j = 0; j < k; j++) {
        const double *bj = B + (R_xlen_t) j * nb;
        long double s = 0.0L, q = 0.0L, c = 0.0L;
        for (R_xlen_t i = 0; i < nb; i++) { s += bj[i]; q += (long double) bj[i] * bj[i]; }
        double mb = (double) (s / nb);
        for (R_xlen_t i = 0; i < nb; i++) { double d = bj[i] - mb; c += (long double) d * d; }
        if (n0 > 0) {
            double n = n0 + (double) nb, delta = mb - mean[j];
            mean[j] += delta * (double) nb / n;
            m2[j] += (double) c + delta * delta * n0 * (double) nb / n;
            ss[j] += (double) q;
        } else {
            mean[j] = mb; m2[j] = (double) c; ss[j] = (double) q;
        }
    }
}

/* ffi_lsq_colstats(acc, B): the column statistics of the rows seen so far
 * (acc: NULL or list(n, mean, m2, ss), read by name) updated with the
 * block B (an nb x k double matrix, nb >= 1); returns the new
 * list(n, mean, m2, ss).                                                  */
SEXP ffi_lsq_colstats(SEXP acc, SEXP B)
{
    need_real(B, "B");
    if (!isMatrix(B)) error("internal error: 'B' must be a matrix");
    R_xlen_t nb = nrows(B);
    int k = ncols(B), nprot = 0;
    if (nb < 1) error("internal error: an empty block");
    const char *names[] = {"n", "mean", "m2", "ss", ""};
    SEXP out = PROTECT(mkNamed(VECSXP, names)); nprot++;
    double n0 = 0.0;
    for (int e = 1; e <= 3; e++) {
        SEXP v = allocVector(REALSXP, k);
        SET_VECTOR_ELT(out, e, v);
        if (!isNull(acc)) {
            SEXP a = named_elt(acc, names[e]);
            need_real(a, names[e]);
            need_len(a, k, names[e]);
            memcpy(REAL(v), REAL(a), (size_t) k * sizeof(double));
        }
    }
    if (!isNull(acc)) n0 = scalar_real(named_elt(acc, "n"), "n");
    lsq_colstats_block(REAL(B), nb, k, n0, REAL(VECTOR_ELT(out, 1)),
                       REAL(VECTOR_ELT(out, 2)), REAL(VECTOR_ELT(out, 3)));
    SET_VECTOR_ELT(out, 0, ScalarReal(n0 + (double) nb));
    UNPROTECT(nprot);
    return out;
}
