/* linreg-qr.c - the least-squares core that linreg() (linreg.c) and
 * sensitivity() (sensitivity.c) share: the equilibration of the design's
 * columns by powers of two and the Householder QR with its rank rule, so
 * that a design is of full rank for both or for neither.
 *
 * Equilibration.  Column j of diag(sqrt(w)) X is multiplied by a power of
 * two c_j close to 1 / ||column||: exact (no rounding), and the QR of the
 * scaled design is the QR of the original one with R scaled by diag(c),
 * bit for bit, so coefficients, residuals and standard errors do not move.
 *
 * Rank rule.  With |R_kk| the diagonal of R of the equilibrated design,
 * the design is of full column rank when n >= p and every
 * |R_kk| > tol * max_l |R_ll|, tol = max(n, p) * DBL_EPSILON unless the
 * user gives one (linreg(tol =)).  One function, lsq_rank_rule(), for the
 * in-memory fit (its QR and its one-pass blocked QR), sensitivity() and
 * the streamed fit of a remote table (whose R factor, of the unscaled
 * design, has its diagonal scaled by the same powers of two first).  A
 * design that fails it is refactored with LINPACK's limited pivoting
 * (lsq_pivot_qr(), dqrdc2 as lm(): a column whose norm drops to tol times
 * its original norm or below is aliased and moves to the end); the streamed
 * fit does so on its R factor, which has the design's column norms and
 * geometry.
 *
 * Also the covariance R^-1 R^-T and the singular values of the R factor
 * with unit-length columns (the condition number and indices), for the
 * in-memory and the streamed fit.
 */
#include "gvcluster.h"
#include <R_ext/Applic.h>

double pow2_scale(double nrm)
{
    if (!(nrm > 0.0) || !R_FINITE(nrm)) return 1.0;
    int e;
    frexp(nrm, &e);              /* nrm = f 2^e, f in [0.5, 1) */
    return ldexp(1.0, -e);       /* scaled norm in [0.5, 1) */
}

double lsq_tol(double tol, double n, int p)
{
    return ISNAN(tol) ? (n > p ? n : (double) p) * DBL_EPSILON : tol;
}

int lsq_rank_rule(const double *rdiag, int mn, int p, double tol, int *alias)
{
    double dmax = 0.0;
    for (int k = 0; k < mn; k++) if (rdiag[k] > dmax) dmax = rdiag[k];
    int ok = (mn == p);
    for (int k = 0; k < p; k++) {
        int bad = k >= mn || !(rdiag[k] > tol * dmax);
        if (bad) ok = 0;
        if (alias) alias[k] = bad;
        else if (!ok) break;
    }
    return ok;
}

int lsq_full_rank(const double *a, int n, int p, double tol, double *rdiag)
{
    const int mn = n < p ? n : p;
    for (int k = 0; k < mn; k++) rdiag[k] = fabs(a[k + (R_xlen_t) n * k]);
    return lsq_rank_rule(rdiag, mn, p, tol, NULL);
}

int lsq_qr(double *a, int n, int p, double *tau, double *work, int lwork,
           double tol, double *rdiag)
{
    int info = 0;
    F77_CALL(dgeqrf)(&n, &p, a, &n, tau, work, &lwork, &info);
    if (info != 0) error("internal error: dgeqrf returned %d", info);
    return lsq_full_rank(a, n, p, tol, rdiag);
}

int lsq_pivot_qr(double *a, int n, int p, double tol, int *piv, double *qraux,
                 double *work)
{
    int rk = 0;
    double tl = tol;
    for (int j = 0; j < p; j++) piv[j] = j + 1;
    F77_CALL(dqrdc2)(a, &n, &n, &p, &tl, &rk, qraux, piv, work);
    for (int j = 0; j < p; j++) piv[j] -= 1;
    return rk;
}

void lsq_tri_cov(const double *R, int ldr, int rank, double *cov)
{
    /* cov = R^-1 R^-T (rank x rank) via dtrtri and dlauum (as chol2inv()) */
    int info = 0;
    for (int j = 0; j < rank; j++)
        for (int i = 0; i < rank; i++)
            cov[i + (R_xlen_t) rank * j] = (i <= j) ? R[i + (R_xlen_t) ldr * j] : 0.0;
    if (rank == 0) return;
    F77_CALL(dtrtri)("U", "N", &rank, cov, &rank, &info FCONE FCONE);
    if (info != 0) error("internal error: dtrtri returned %d", info);
    F77_CALL(dlauum)("U", &rank, cov, &rank, &info FCONE);
    if (info != 0) error("internal error: dlauum returned %d", info);
    for (int j = 0; j < rank; j++)
        for (int i = j + 1; i < rank; i++)
            cov[i + (R_xlen_t) rank * j] = cov[j + (R_xlen_t) rank * i];
}

void lsq_singular_values(const double *R, int ldr, int k, const double *f, double *sv)
{
    if (k <= 0) return;
    int info = 0, lwork = -1;
    double wq, dum[1];
    double *a = (double *) R_alloc((size_t) k * k, sizeof(double));
    int *iwork = (int *) R_alloc(8 * (size_t) k, sizeof(int));
    for (int j = 0; j < k; j++)
        for (int i = 0; i < k; i++)
            a[i + (R_xlen_t) k * j] = i <= j ? R[i + (R_xlen_t) ldr * j] * f[j] : 0.0;
    /* jobz "N", as svd(x, nu = 0, nv = 0) asks LAPACK */
    F77_CALL(dgesdd)("N", &k, &k, a, &k, sv, dum, &k, dum, &k, &wq, &lwork,
                     iwork, &info FCONE);
    lwork = (int) wq;
    double *work = (double *) R_alloc((size_t) (lwork > 1 ? lwork : 1), sizeof(double));
    F77_CALL(dgesdd)("N", &k, &k, a, &k, sv, dum, &k, dum, &k, work, &lwork,
                     iwork, &info FCONE);
    if (info != 0) error("internal error: dgesdd returned %d", info);
}

double lsq_tri_rcond(const double *R, int ldr, int rank)
{
    if (rank == 0) return 0.0;
    double rc = 0.0;
    int info = 0, ld = ldr;
    double *work = (double *) R_alloc(3 * (size_t) rank, sizeof(double));
    int *iwork = (int *) R_alloc((size_t) rank, sizeof(int));
    F77_CALL(dtrcon)("1", "U", "N", &rank, R, &ld, &rc, work, iwork, &info
                     FCONE FCONE FCONE);
    return info == 0 ? rc : 0.0;
}
