/* linreg-tsqr.c - the tall-skinny QR (TSQR) of linreg(): the one-pass
 * blocked path of the fit in memory (fit_tsqr, called by linreg.c), and
 * the kernels of the streamed fit (linreg() on a remote table,
 * R/remote-linreg.R), whose row blocks come from R one at a time and are
 * reduced here, so that R holds O(p^2 + block * p) numbers:
 *  - ffi_lsq_tsqr: one merge of the tall-skinny QR of [X y] (dgeqrf, as the
 *    in-memory fit's one-pass path);
 *  - ffi_lsq_colstats: the column statistics, merged block by block;
 *  - ffi_lsq_block: one block of a refinement pass (residuals, X'r and
 *    X'X in double-double, the sums of the statistics);
 *  - ffi_lsq_rfactor, ffi_lsq_correct, ffi_lsq_cov_dd: the rank rule and
 *    the solves on the R factor (through linreg-qr.c, as the in-memory
 *    fit), the refinement's corrections and the double-double covariance. */
#include "gvcluster.h"
#include "linreg.h"
#include "dd.h"
#include <string.h>
#include <stdlib.h>

static void lsq_colstats_block(const double *B, R_xlen_t nb, int k, double n0,
                               double *mean, double *m2, double *ss, double *mx);

/* ---- the one-pass blocked path of the fit in memory ------------------- */
/* For large, well-conditioned designs the QR is built block of rows by block
 * of rows (tall-skinny QR, Demmel et al. 2012): the R factor of
 * [diag(sw) X diag(c), sw y] so far (p + 1 rows) is stacked on the next B
 * rows and refactored with dgeqrf.  The data are read once, each block while
 * it sits in cache; no n x p copy is made.  The Householder vectors are not
 * kept, so this path cannot refine: when R says the design is rank deficient
 * or not well conditioned (reciprocal condition < 1e-3), the caller falls back
 * to fit_double().  The Durbin-Watson moments, when asked for, are summed in
 * the same pass.  The rows are cut into segments, each with its own R, that
 * OpenMP threads share out; the R factors are stacked and refactored at the
 * end. */

/* One thread's share: rows [r0, r1).  R (p1 x p1, p1 = p + 1) receives the
 * R factor of the scaled [X, y] rows; returns 0, or -1 when memory ran out,
 * or the LAPACK info.  Uses malloc (not R_alloc): it may run in a thread. */
static int tsqr_rows(cols_t x, const double *y, const double *sw,
                     const double *c, int n, int p, int r0, int r1, int B,
                     double *R, int dw, double *g1, double *g2)
{
    int p1 = p + 1, ld = p1 + B, info = 0, lwork = -1, have = 0;
    double wq;
    double *buf = malloc(sizeof(double) * (size_t) ld * p1);
    double *tau = malloc(sizeof(double) * (size_t) p1);
    double *D = dw ? malloc(sizeof(double) * (size_t) DW_ROWS * p) : NULL;
    double *E = dw ? malloc(sizeof(double) * (size_t) DW_ROWS * p) : NULL;
    double *work = NULL;
    if (!buf || !tau || (dw && (!D || !E))) { info = -1; goto done; }
    F77_CALL(dgeqrf)(&ld, &p1, buf, &ld, tau, &wq, &lwork, &info);
    lwork = (int) wq;
    work = malloc(sizeof(double) * (size_t) (lwork > 1 ? lwork : 1));
    if (!work) { info = -1; goto done; }
    for (R_xlen_t k = 0; k < (R_xlen_t) p1 * p1; k++) R[k] = 0.0;
    for (int i0 = r0; i0 < r1; i0 += B) {
        int nb = (r1 - i0 < B) ? r1 - i0 : B, off = have ? p1 : 0, m = off + nb;
        for (int j = 0; j <= p; j++) {
            double *bj = buf + (R_xlen_t) ld * j;
            if (have) for (int i = 0; i < p1; i++) bj[i] = R[i + (R_xlen_t) p1 * j];
            bj += off;
            if (j < p) {
                const double *xj = x[j] + i0;
                double cj = c[j];
                if (sw) for (int i = 0; i < nb; i++) bj[i] = sw[i0 + i] * xj[i] * cj;
                else    for (int i = 0; i < nb; i++) bj[i] = xj[i] * cj;
            } else {
                if (sw) for (int i = 0; i < nb; i++) bj[i] = sw[i0 + i] * y[i0 + i];
                else    memcpy(bj, y + i0, sizeof(double) * (size_t) nb);
            }
        }
        if (dw) dw_accumulate(x, sw, n, NULL, p, i0, i0 + nb, DW_ROWS, D, E, g1, g2);
        F77_CALL(dgeqrf)(&m, &p1, buf, &ld, tau, work, &lwork, &info);
        if (info != 0) goto done;
        for (int j = 0; j <= p; j++)
            for (int i = 0; i < p1; i++)
                R[i + (R_xlen_t) p1 * j] = (i <= j && i < m) ? buf[i + (R_xlen_t) ld * j] : 0.0;
        have = 1;
    }
done:
    free(buf); free(tau); free(D); free(E); free(work);
    return info;
}

/* The blocked path over nthreads threads.  Returns 1 with the fit filled in
 * (as fit_double() fills it), or 0 when the caller must fall back; g1 and g2
 * (p x p, upper triangles) receive the Durbin-Watson moments when dw != 0,
 * whatever the return value. */
int fit_tsqr(cols_t x, const double *y, const double *sw,
                    const double *c, int n, int p, double tol, int nthreads,
                    int B, int dw, int *piv, double *beta, double *cov,
                    fitinfo *fi, double *rdiag, double *rhi, double *g1,
                    double *g2)
{
    /* The rows are cut into K segments fixed by n and p alone (at least 4
     * blocks each, at most 64 segments); each segment gets its own R and its
     * own moment sums, and threads take segments as they become free.  The
     * result is therefore the same, to the last bit, whatever the number of
     * threads and however busy the machine is. */
    int p1 = p + 1, one = 1, info = 0, K = n / (4 * B);
    if (K > 64) K = 64;
    if (K < 1) K = 1;
    int nt = nthreads < K ? nthreads : K;
    R_xlen_t pp1 = (R_xlen_t) p1 * p1, pp = (R_xlen_t) p * p;
    double *Rs = (double *) R_alloc((size_t) K * pp1, sizeof(double));
    double *G = (double *) R_alloc(dw ? 2 * (size_t) K * pp : 1, sizeof(double));
    int *infos = (int *) R_alloc((size_t) K, sizeof(int));
    if (dw) for (R_xlen_t k = 0; k < 2 * K * pp; k++) G[k] = 0.0;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
#endif
    for (int t = 0; t < K; t++) {
        int r0 = (int) ((double) n * t / K), r1 = (int) ((double) n * (t + 1) / K);
        infos[t] = tsqr_rows(x, y, sw, c, n, p, r0, r1, B, Rs + pp1 * t, dw,
                             dw ? G + 2 * pp * t : NULL,
                             dw ? G + 2 * pp * t + pp : NULL);
    }
    for (int t = 0; t < K; t++) {
        if (infos[t] == -1) error("cannot allocate the working memory of the QR");
        if (infos[t] != 0) error("internal error: dgeqrf returned %d", infos[t]);
    }
    if (dw)
        for (R_xlen_t k = 0; k < pp; k++) {
            double s1 = 0.0, s2 = 0.0;
            for (int t = 0; t < K; t++) {
                s1 += G[2 * pp * t + k];
                s2 += G[2 * pp * t + pp + k];
            }
            g1[k] = s1;
            g2[k] = s2;
        }

    /* stack the segments' R factors and refactor */
    double *R = Rs;
    if (K > 1) {
        int m = K * p1, lwork = -1;
        double wq;
        double *S = (double *) R_alloc((size_t) m * p1, sizeof(double));
        double *tau = (double *) R_alloc((size_t) p1, sizeof(double));
        for (int t = 0; t < K; t++)
            for (int j = 0; j < p1; j++)
                for (int i = 0; i < p1; i++)
                    S[t * p1 + i + (R_xlen_t) m * j] = Rs[pp1 * t + i + (R_xlen_t) p1 * j];
        F77_CALL(dgeqrf)(&m, &p1, S, &m, tau, &wq, &lwork, &info);
        lwork = (int) wq;
        double *work = (double *) R_alloc((size_t) (lwork > 1 ? lwork : 1), sizeof(double));
        F77_CALL(dgeqrf)(&m, &p1, S, &m, tau, work, &lwork, &info);
        if (info != 0) error("internal error: dgeqrf returned %d", info);
        for (int j = 0; j < p1; j++)
            for (int i = 0; i < p1; i++)
                R[i + (R_xlen_t) p1 * j] = i <= j ? S[i + (R_xlen_t) m * j] : 0.0;
    }

    /* rank and conditioning: anything short of a clearly full-rank,
     * well-conditioned R goes back to the path that pivots and refines */
    for (int k = 0; k < p; k++) rdiag[k] = fabs(R[k + (R_xlen_t) p1 * k]);
    if (!lsq_rank_rule(rdiag, p, p, tol, NULL)) return 0;
    double rc = lsq_tri_rcond(R, p1, p);
    if (!(rc >= 1e-3)) return 0;

    double *z = (double *) R_alloc((size_t) p, sizeof(double));
    for (int k = 0; k < p; k++) z[k] = R[k + (R_xlen_t) p1 * p];
    F77_CALL(dtrtrs)("U", "N", "N", &p, &one, R, &p1, z, &p, &info
                     FCONE FCONE FCONE);
    if (info != 0) error("internal error: dtrtrs returned %d", info);
    for (int k = 0; k < p; k++) {
        piv[k] = k;
        beta[k] = z[k] * c[k];
    }
    lsq_tri_cov(R, p1, p, cov);
    for (int j = 0; j < p; j++)
        for (int i = 0; i < p; i++)
            rhi[i + (R_xlen_t) p * j] = i <= j ? R[i + (R_xlen_t) p1 * j] : 0.0;
    fi->rank = p;
    fi->rcond = rc;
    fi->steps = 0;
    fi->method = 4;
    fi->threads = nt;
    return 1;
}

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

/* Gh + Gl += the upper triangle of X'X of an n x p block (Gh, Gl p x p,
 * column-major), every product split exactly and summed in double-double:
 * the Gram matrix of an ill-conditioned design keeps its digits.          */
static void lsq_block_gram(const double *X, R_xlen_t n, int p, double *Gh,
                           double *Gl)
{
    for (int j = 0; j < p; j++) {
        const double *xj = X + (R_xlen_t) j * n;
        for (int i = 0; i <= j; i++) {
            const double *xi = X + (R_xlen_t) i * n;
            dd s = { 0.0, 0.0 };
            for (R_xlen_t t = 0; t < n; t++) s = dd_add(s, dd_two_prod(xi[t], xj[t]));
            R_xlen_t ij = i + (R_xlen_t) p * j;
            dd g = { Gh[ij], Gl[ij] };
            g = dd_add(g, s);
            Gh[ij] = g.hi; Gl[ij] = g.lo;
        }
    }
}

/* A copy of the element `name` of the running state acc (zeros when acc
 * is NULL): a double vector of length len, or a k x k matrix when k > 0
 * (len = k * k).  Unprotected: the caller stores it at once.             */
static SEXP lsq_state(SEXP acc, const char *name, R_xlen_t len, int k)
{
    SEXP v = k > 0 ? allocMatrix(REALSXP, k, k) : allocVector(REALSXP, len);
    if (isNull(acc)) {
        memset(REAL(v), 0, (size_t) len * sizeof(double));
        return v;
    }
    SEXP a = named_elt(acc, name);
    need_real(a, name);
    need_len(a, len, name);
    memcpy(REAL(v), REAL(a), (size_t) len * sizeof(double));
    return v;
}

/* The running sums of a refinement pass, by name (one table).            */
enum { S_RSS, S_YSS, S_SSD, S_LAST_R, S_FIT_N, S_FIT_MEAN, S_FIT_M2, S_FIT_SS, S_N };
static const char *sum_names[S_N + 1] = {"rss", "yss", "ssd", "last_r", "fit_n",
                                         "fit_mean", "fit_m2", "fit_ss", ""};

/* The fitted values f = y - r of a block (n >= 1) and the running sums s:
 * of r^2, of y^2 and of the squared differences of successive residuals
 * (the Durbin-Watson numerator, across blocks through last_r), and the
 * count, mean, centred and uncentred sums of squares of f (merged as
 * lsq_colstats_block merges); each block's sums in long double.          */
static void lsq_block_sums(const double *r, const double *y, R_xlen_t n,
                           double *f, double *s)
{
    long double rss = 0.0L, yss = 0.0L, ssd = 0.0L;
    for (R_xlen_t i = 0; i < n; i++) {
        f[i] = y[i] - r[i];
        rss += (long double) r[i] * r[i];
        yss += (long double) y[i] * y[i];
    }
    for (R_xlen_t i = s[S_FIT_N] > 0 ? 0 : 1; i < n; i++) {
        double d = r[i] - (i > 0 ? r[i - 1] : s[S_LAST_R]);
        ssd += (long double) (d * d);
    }
    s[S_RSS] += (double) rss;
    s[S_YSS] += (double) yss;
    s[S_SSD] += (double) ssd;
    s[S_LAST_R] = r[n - 1];
    lsq_colstats_block(f, n, 1, s[S_FIT_N], s + S_FIT_MEAN, s + S_FIT_M2, s + S_FIT_SS,
                       NULL);
    s[S_FIT_N] += (double) n;
}

/* ffi_lsq_block(X, y, b, acc, gram): one block of a refinement pass of the
 * streamed fit.  X an n x p double matrix (n >= 1), y and b doubles of
 * length n and p; acc NULL before the first block, else what the previous
 * block returned (read by name: xr_hi, xr_lo, sums and, when gram,
 * gram_hi, gram_lo); gram TRUE: also sum the Gram matrix X'X (upper
 * triangle).  Returns list(r = the residuals, fitted = y - r, sums = the
 * running sums named as sum_names (see lsq_block_sums), xr_hi + xr_lo =
 * the running X'r, gram_hi + gram_lo = the running X'X or NULL), X'r and
 * X'X in double-double.                                                  */
SEXP ffi_lsq_block(SEXP X, SEXP y, SEXP b, SEXP acc, SEXP gram)
{
    need_real(X, "X");
    need_real(y, "y");
    need_real(b, "b");
    R_xlen_t n = XLENGTH(y);
    int p = (int) XLENGTH(b), want_gram = scalar_int(gram, "gram");
    need_len(X, n * p, "X");
    if (n < 1) error("internal error: an empty block");
    int nprot = 0;
    const char *names[] = {"r", "fitted", "sums", "xr_hi", "xr_lo", "gram_hi",
                           "gram_lo", ""};
    SEXP ans = PROTECT(mkNamed(VECSXP, names)); nprot++;
    SET_VECTOR_ELT(ans, 0, allocVector(REALSXP, n));
    SET_VECTOR_ELT(ans, 1, allocVector(REALSXP, n));
    SEXP sums = mkNamed(REALSXP, sum_names);
    SET_VECTOR_ELT(ans, 2, sums);
    SEXP s0 = lsq_state(acc, "sums", S_N, 0);
    memcpy(REAL(sums), REAL(s0), S_N * sizeof(double));
    SET_VECTOR_ELT(ans, 3, lsq_state(acc, "xr_hi", p, 0));
    SET_VECTOR_ELT(ans, 4, lsq_state(acc, "xr_lo", p, 0));
    double *rp = REAL(VECTOR_ELT(ans, 0));
    lsq_block_resid(REAL(X), n, p, REAL(y), REAL(b), rp);
    lsq_block_xr(REAL(X), n, p, rp, REAL(VECTOR_ELT(ans, 3)), REAL(VECTOR_ELT(ans, 4)));
    if (want_gram == 1) {
        SEXP gacc = (isNull(acc) || isNull(named_elt(acc, "gram_hi"))) ? R_NilValue : acc;
        SET_VECTOR_ELT(ans, 5, lsq_state(gacc, "gram_hi", (R_xlen_t) p * p, p));
        SET_VECTOR_ELT(ans, 6, lsq_state(gacc, "gram_lo", (R_xlen_t) p * p, p));
        lsq_block_gram(REAL(X), n, p, REAL(VECTOR_ELT(ans, 5)), REAL(VECTOR_ELT(ans, 6)));
    }
    lsq_block_sums(rp, REAL(y), n, REAL(VECTOR_ELT(ans, 1)), REAL(sums));
    UNPROTECT(nprot);
    return ans;
}

/* (X'X)^-1 from the double-double Gram matrix G = Gh + Gl (upper triangle
 * of p x p) in double-double: G = L L' (Cholesky, L lower triangular, by
 * columns), M = L^-1 (forward substitution), cov = M'M rounded to double
 * (relative error about kappa^2 1e-32).  L and M are p x p scratch.
 * Returns 0 when the factorisation breaks down (a pivot not positive).    */
static int lsq_cov_dd(const double *Gh, const double *Gl, int p, dd *L, dd *M,
                      double *cov)
{
#define IJ(i, j) ((i) + (R_xlen_t) p * (j))
    for (R_xlen_t k = 0; k < (R_xlen_t) p * p; k++) L[k] = M[k] = dd_from(0.0);
    for (int j = 0; j < p; j++) {
        dd d = dd_from(0.0);
        for (int i = j; i < p; i++) {
            dd s = { Gh[IJ(j, i)], Gl[IJ(j, i)] };      /* G[i, j], i >= j */
            for (int k = 0; k < j; k++) s = dd_sub(s, dd_mul(L[IJ(i, k)], L[IJ(j, k)]));
            if (i == j) {
                if (!(s.hi > 0.0)) return 0;
                d = dd_sqrt(s);
                L[IJ(j, j)] = d;
            } else L[IJ(i, j)] = dd_div(s, d);
        }
    }
    for (int i = 0; i < p; i++)              /* row i of M = L^-1 */
        for (int c = 0; c <= i; c++) {
            dd s = dd_from(i == c ? 1.0 : 0.0);
            for (int k = c; k < i; k++) s = dd_sub(s, dd_mul(L[IJ(i, k)], M[IJ(k, c)]));
            M[IJ(i, c)] = dd_div(s, L[IJ(i, i)]);
        }
    for (int b = 0; b < p; b++)              /* cov = M'M, M lower triangular */
        for (int a = 0; a <= b; a++) {
            dd s = dd_from(0.0);
            for (int k = b; k < p; k++) s = dd_add(s, dd_mul(M[IJ(k, a)], M[IJ(k, b)]));
            cov[IJ(a, b)] = cov[IJ(b, a)] = s.hi + s.lo;
        }
#undef IJ
    return 1;
}

/* ffi_lsq_cov_dd(acc): (X'X)^-1 from the double-double Gram matrix of a
 * refinement pass (acc as ffi_lsq_block returns it with gram = TRUE, read
 * by name: gram_hi, gram_lo), a p x p matrix; NULL when the Cholesky
 * factorisation breaks down.                                              */
SEXP ffi_lsq_cov_dd(SEXP acc)
{
    SEXP gh = named_elt(acc, "gram_hi"), gl = named_elt(acc, "gram_lo");
    need_real(gh, "gram_hi");
    need_real(gl, "gram_lo");
    if (!isMatrix(gh) || nrows(gh) != ncols(gh)) error("internal error: 'gram_hi' must be square");
    int p = nrows(gh), nprot = 0;
    need_len(gl, (R_xlen_t) p * p, "gram_lo");
    size_t pp = (size_t) (p > 0 ? p : 1) * (size_t) (p > 0 ? p : 1);
    dd *L = (dd *) R_alloc(pp, sizeof(dd)), *M = (dd *) R_alloc(pp, sizeof(dd));
    SEXP cov = PROTECT(allocMatrix(REALSXP, p, p)); nprot++;
    int ok = lsq_cov_dd(REAL(gh), REAL(gl), p, L, M, REAL(cov));
    UNPROTECT(nprot);
    return ok ? cov : R_NilValue;
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
 * ones (Chan, Golub and LeVeque) when n0 > 0; with mx (not NULL), the
 * largest absolute value too.                                             */
static void lsq_colstats_block(const double *B, R_xlen_t nb, int k, double n0,
                               double *mean, double *m2, double *ss, double *mx)
{
    for (int j = 0; j < k; j++) {
        const double *bj = B + (R_xlen_t) j * nb;
        long double s = 0.0L, q = 0.0L, c = 0.0L;
        double m = (mx && n0 > 0) ? mx[j] : 0.0;
        for (R_xlen_t i = 0; i < nb; i++) {
            s += bj[i];
            q += (long double) bj[i] * bj[i];
            if (fabs(bj[i]) > m) m = fabs(bj[i]);
        }
        if (mx) mx[j] = m;
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
 * (acc: NULL or list(n, mean, m2, ss, maxabs), read by name) updated with
 * the block B (an nb x k double matrix, nb >= 1); returns the new
 * list(n, mean, m2, ss, maxabs) (maxabs: the largest absolute values).    */
SEXP ffi_lsq_colstats(SEXP acc, SEXP B)
{
    need_real(B, "B");
    if (!isMatrix(B)) error("internal error: 'B' must be a matrix");
    R_xlen_t nb = nrows(B);
    int k = ncols(B), nprot = 0;
    if (nb < 1) error("internal error: an empty block");
    const char *names[] = {"n", "mean", "m2", "ss", "maxabs", ""};
    SEXP out = PROTECT(mkNamed(VECSXP, names)); nprot++;
    double n0 = 0.0;
    for (int e = 1; e <= 4; e++) {
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
                       REAL(VECTOR_ELT(out, 2)), REAL(VECTOR_ELT(out, 3)),
                       REAL(VECTOR_ELT(out, 4)));
    SET_VECTOR_ELT(out, 0, ScalarReal(n0 + (double) nb));
    UNPROTECT(nprot);
    return out;
}

/* ---- the solves on the streamed R factor ------------------------------- */

/* The p x p leading block of R (a square matrix of order p + 1: the R
 * factor of [X y]); an internal error unless R is such a matrix.          */
static int lsq_rfactor_order(SEXP R)
{
    need_real(R, "R");
    if (!isMatrix(R) || nrows(R) != ncols(R) || nrows(R) < 2)
        error("internal error: 'R' must be the square R factor of [X y]");
    return nrows(R) - 1;
}

/* The in-memory fit's fallback when the rank rule fails: limited pivoting
 * (lsq_pivot_qr) of the p x p R11 with its columns scaled as the
 * equilibration scales the design's (powers of two near 1 / colnorm,
 * exact; R11 has the design's column norms and angles).  Sets alias[j] for the
 * aliased columns; returns the rank.                                     */
static int lsq_rfactor_pivot(const double *R, int ldr, int p, const double *colnorm,
                             double tol, int *alias)
{
    double *a = (double *) R_alloc((size_t) p * p, sizeof(double));
    double *qraux = (double *) R_alloc((size_t) p, sizeof(double));
    double *work = (double *) R_alloc(2 * (size_t) p, sizeof(double));
    int *piv = (int *) R_alloc((size_t) p, sizeof(int));
    for (int j = 0; j < p; j++) {
        double c = pow2_scale(colnorm[j]);
        for (int i = 0; i < p; i++)
            a[i + (R_xlen_t) p * j] = i <= j ? R[i + (R_xlen_t) ldr * j] * c : 0.0;
    }
    int rk = lsq_pivot_qr(a, p, p, tol, piv, qraux, work);
    for (int k = rk; k < p; k++) alias[piv[k]] = 1;
    return rk;
}

/* From the R factor of [X y] (R, order p + 1, leading dimension ldr) and
 * the column norms of X: the rank rule of the in-memory fit on the
 * diagonal scaled as its equilibration scales it and, if it fails, its
 * limited pivoting (alias: the aliased columns), and when the
 * design is of full rank the coefficients b = R11^-1 z, R11^-1 (rinv),
 * R11^-1 R11^-T (cov) and the singular values of R11 with unit-length
 * columns (sv); returns whether the design is of full rank.              */
static int lsq_rfactor(const double *R, int ldr, int p, const double *colnorm,
                       double tol, int *alias, double *b, double *rinv,
                       double *cov, double *sv)
{
    double *rdiag = (double *) R_alloc((size_t) p, sizeof(double));
    double *f = (double *) R_alloc((size_t) p, sizeof(double));
    for (int k = 0; k < p; k++) alias[k] = 0;
    for (int k = 0; k < p; k++) {
        rdiag[k] = fabs(R[k + (R_xlen_t) ldr * k]) * pow2_scale(colnorm[k]);
        f[k] = 1.0 / (colnorm[k] > 0 ? colnorm[k] : 1.0);
    }
    if (!lsq_rank_rule(rdiag, p, p, tol, NULL) && lsq_rfactor_pivot(R, ldr, p, colnorm, tol, alias) < p)
        return 0;
    int one = 1, info = 0;
    for (int k = 0; k < p; k++) b[k] = R[k + (R_xlen_t) ldr * p];
    F77_CALL(dtrtrs)("U", "N", "N", &p, &one, R, &ldr, b, &p, &info FCONE FCONE FCONE);
    if (info != 0) error("internal error: dtrtrs returned %d", info);
    for (int j = 0; j < p; j++)
        for (int i = 0; i < p; i++)
            rinv[i + (R_xlen_t) p * j] = i <= j ? R[i + (R_xlen_t) ldr * j] : 0.0;
    F77_CALL(dtrtri)("U", "N", &p, rinv, &p, &info FCONE FCONE);
    if (info != 0) error("internal error: dtrtri returned %d", info);
    lsq_tri_cov(R, ldr, p, cov);
    lsq_singular_values(R, ldr, p, f, sv);
    return 1;
}

/* ffi_lsq_rfactor(R, colnorm, n, tol): after the first pass of the
 * streamed fit, with R the R factor of [X y] (order p + 1), colnorm the
 * p column norms of X, n the number of rows and tol the rank tolerance (NA:
 * max(n, p) * DBL_EPSILON).  Returns list(aliased, coefficients, rinv,
 * cov_unscaled, singular_values) (see lsq_rfactor; all but aliased NA
 * when a column is aliased).                                              */
SEXP ffi_lsq_rfactor(SEXP R, SEXP colnorm, SEXP n, SEXP tol)
{
    int p = lsq_rfactor_order(R), nprot = 0;
    need_real(colnorm, "colnorm");
    need_len(colnorm, p, "colnorm");
    double t = lsq_tol(scalar_real(tol, "tol"), scalar_real(n, "n"), p);
    const char *names[] = {"aliased", "coefficients", "rinv", "cov_unscaled",
                           "singular_values", ""};
    SEXP out = PROTECT(mkNamed(VECSXP, names)); nprot++;
    SET_VECTOR_ELT(out, 0, allocVector(LGLSXP, p));
    SET_VECTOR_ELT(out, 1, allocVector(REALSXP, p));
    SET_VECTOR_ELT(out, 2, allocMatrix(REALSXP, p, p));
    SET_VECTOR_ELT(out, 3, allocMatrix(REALSXP, p, p));
    SET_VECTOR_ELT(out, 4, allocVector(REALSXP, p));
    int full = lsq_rfactor(REAL(R), p + 1, p, REAL(colnorm), t,
                           LOGICAL(VECTOR_ELT(out, 0)), REAL(VECTOR_ELT(out, 1)),
                           REAL(VECTOR_ELT(out, 2)), REAL(VECTOR_ELT(out, 3)),
                           REAL(VECTOR_ELT(out, 4)));
    if (!full)
        for (int e = 1; e <= 4; e++) {
            SEXP v = VECTOR_ELT(out, e);
            for (R_xlen_t i = 0; i < XLENGTH(v); i++) REAL(v)[i] = NA_REAL;
        }
    UNPROTECT(nprot);
    return out;
}

/* ffi_lsq_correct(R, acc, b): one correction of the corrected semi-normal
 * equations (Bjorck 1987): d = R11^-1 R11^-T X'r with X'r = xr_hi + xr_lo
 * of a refinement pass (acc, read by name) and R the R factor of [X y].
 * Returns list(coefficients = b + d, converged = whether d no longer
 * matters: |d| <= 4 eps |b| everywhere, or d = 0).                        */
SEXP ffi_lsq_correct(SEXP R, SEXP acc, SEXP b)
{
    int p = lsq_rfactor_order(R), ldr = p + 1, one = 1, info = 0, nprot = 0;
    need_real(b, "b");
    need_len(b, p, "b");
    SEXP hi = named_elt(acc, "xr_hi"), lo = named_elt(acc, "xr_lo");
    need_real(hi, "xr_hi"); need_len(hi, p, "xr_hi");
    need_real(lo, "xr_lo"); need_len(lo, p, "xr_lo");
    const char *names[] = {"coefficients", "converged", ""};
    SEXP out = PROTECT(mkNamed(VECSXP, names)); nprot++;
    SEXP nb = allocVector(REALSXP, p);
    SET_VECTOR_ELT(out, 0, nb);
    double *d = REAL(nb);
    for (int k = 0; k < p; k++) d[k] = REAL(hi)[k] + REAL(lo)[k];
    F77_CALL(dtrtrs)("U", "T", "N", &p, &one, REAL(R), &ldr, d, &p, &info FCONE FCONE FCONE);
    if (info == 0)
        F77_CALL(dtrtrs)("U", "N", "N", &p, &one, REAL(R), &ldr, d, &p, &info FCONE FCONE FCONE);
    if (info != 0) error("internal error: dtrtrs returned %d", info);
    int small = 1, zero = 1;
    for (int k = 0; k < p; k++) {
        double bk = REAL(b)[k];
        if (!(fabs(d[k]) <= 4 * DBL_EPSILON * fabs(bk))) small = 0;
        if (d[k] != 0.0) zero = 0;
        d[k] += bk;
    }
    SET_VECTOR_ELT(out, 1, ScalarLogical(small || zero));
    UNPROTECT(nprot);
    return out;
}
