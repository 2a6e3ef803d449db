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
 * user gives one (linreg(tol =)).
 */
#include "gvcluster.h"

double pow2_scale(double nrm)
{
    if (!(nrm > 0.0) || !R_FINITE(nrm)) return 1.0;
    int e;
    frexp(nrm, &e);              /* nrm = f 2^e, f in [0.5, 1) */
    return ldexp(1.0, -e);       /* scaled norm in [0.5, 1) */
}

double lsq_tol(double tol, int n, int p)
{
    return ISNAN(tol) ? (double) (n > p ? n : p) * DBL_EPSILON : tol;
}

int lsq_full_rank(const double *a, int n, int p, double tol, double *rdiag)
{
    const int mn = n < p ? n : p;
    double dmax = 0.0;
    for (int k = 0; k < mn; k++) {
        rdiag[k] = fabs(a[k + (R_xlen_t) n * k]);
        if (rdiag[k] > dmax) dmax = rdiag[k];
    }
    int ok = (mn == p);
    for (int k = 0; k < mn && ok; k++) if (!(rdiag[k] > tol * dmax)) ok = 0;
    return ok;
}

int lsq_qr(double *a, int n, int p, double *tau, double *work, int lwork,
           double tol, double *rdiag)
{
    int info = 0;
    F77_CALL(dgeqrf)(&n, &p, a, &n, tau, work, &lwork, &info);
    if (info != 0) error("internal error: dgeqrf returned %d", info);
    return lsq_full_rank(a, n, p, tol, rdiag);
}
