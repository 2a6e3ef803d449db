/* linreg.h - what the files of the least-squares fit share among
 * themselves (linreg.c, linreg-tsqr.c, linreg-dw.c): the design as
 * columns, the state of a fit, the one-pass blocked QR and the
 * Durbin-Watson sums.  The .Call entry points are in gvcluster.h; the core
 * that linreg() and sensitivity() share is in linreg-qr.c.                */
#ifndef GVCLUSTER_LINREG_H
#define GVCLUSTER_LINREG_H

#include "gvcluster.h"

/* The design: a double matrix, or a list of double vectors of one length
 * (NULL: a column of ones); design_cols() fills col[0..p-1] with the
 * columns, returns p and sets *n (linreg.c).                              */
typedef const double *const *cols_t;
int design_cols(SEXP x, R_xlen_t *n, const double ***col);

/* What a path of the fit reports besides its arrays (which it fills: piv
 * 0-based, beta in original units for the kept columns, the covariance
 * R^-1 R^-T in scaled units and pivoted order, the diagonal of R).        */
typedef struct {
    int rank;
    double rcond;
    int steps;
    int method;          /* 1 dgeqrf, 2 dqrdc2, 3 double-double, 4 blocked */
    int threads;         /* threads of the blocked path */
} fitinfo;

/* The one-pass blocked path over nthreads threads (linreg-tsqr.c): 1 with
 * the fit filled in as fit_double() fills it, or 0 when the caller must
 * fall back; g1 and g2 (p x p, upper triangles) receive the Durbin-Watson
 * moments when dw != 0.                                                   */
int fit_tsqr(cols_t x, const double *y, const double *sw, const double *c, int n,
             int p, double tol, int nthreads, int B, int dw, int *piv, double *beta,
             double *cov, fitinfo *fi, double *rdiag, double *rhi, double *g1,
             double *g2);

/* ---- linreg-dw.c --------------------------------------------------------- */

/* rows per block of the Durbin-Watson moment sums */
#define DW_ROWS 512

/* Z'AZ (g1) and (AZ)'(AZ) (g2), upper triangles, accumulated over rows
 * [r0, r1) of Z = diag(sw) X[, cl] (cl 1-based, NULL for the first p
 * columns; sw NULL for unit weights); D and E hold B x p doubles.         */
void dw_accumulate(cols_t xp, const double *sw, int n, const int *cl, int p,
                   int r0, int r1, int B, double *D, double *E, double *g1,
                   double *g2);

/* list(ZAZ, AZAZ) from the upper triangles (k x k) in m1, m2.             */
SEXP dw_moments_list(SEXP m1, SEXP m2, int k);

/* The Durbin-Watson sums of residuals rp and fitted values fp (weights wp
 * or NULL): out[0..3] named as dw_sum_names (ssr, ssd, syy, n).          */
extern const char *dw_sum_names[];
void dw_sums(const double *rp, const double *fp, const double *wp, R_xlen_t n,
             double *out);

#endif
