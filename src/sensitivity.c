/* sensitivity.c - refit a linear regression on many perturbed copies of its
 * data, all in one .Call.
 *
 * The R side (R/sensitivity.R) hands over
 *   V     n x k  the raw variables that are perturbed (column 1 = response,
 *                then the numeric regressors in model-frame order),
 *   h     k      their half-widths (uniform) or standard deviations (normal),
 *   X     n x p  the model matrix of the original fit (aliased columns
 *                already dropped),
 *   xvar  p      for each column of X: 0 if it is never perturbed (intercept,
 *                factor dummies), else the 1-based column of V it copies,
 *   icol         1-based column of X that is the intercept, 0 if none,
 *   w     n or 0 prior weights (positive), or none.
 *
 * Draw order (documented in ?sensitivity, relied upon by the tests): for each
 * draw, for each column j of V with h[j] > 0, for each observation i, one
 * unif_rand() (value V[i,j] + (-h + 2h * u), as runif(n, -h, h)) or one
 * norm_rand() (value V[i,j] + (0 + h * z), as rnorm(n, 0, h)).  A column with
 * h = 0 consumes no random numbers, exactly as runif()/rnorm() do.
 *
 * Each draw is refitted through the least-squares core of linreg()
 * (linreg-qr.c): the weighted design's columns equilibrated by powers of
 * two, a Householder QR (dgeqrf) and linreg's rank rule (|R_kk| > tol
 * max |R_ll|, tol that of the linreg() fit, or max(n, p) eps), so a design
 * is of full rank for both or for neither.  Then Q'y by dormqr, R b = Q'y
 * by dtrtrs, residuals Q (0, Q'y tail) by dormqr, the same numerical path
 * as a QR regression (and as lm()); the standard errors come from the rows
 * of R^-1 (dtrtri).  The equilibration is exact, so these are the numbers
 * of the unscaled QR.  VIFs are the diagonal of the inverse correlation
 * matrix of the regressors, from the QR of the centred regressors scaled
 * to unit length (the same rank rule).  A draw whose design loses rank
 * gives NA throughout.
 * Sums run over n observations of one small model, so plain summation is
 * used.  All scratch memory is allocated once, with R_alloc.
 */
#include "gvcluster.h"
#include <Rmath.h>

/* Draws between checks for a user interrupt (all memory is R_alloc'd).   */
#define SENS_CHECK 256

typedef struct {
    /* inputs */
    const double *V, *h, *X0;
    const double *sw, *wt;  /* weights and their square roots; NULL if unweighted */
    double sumw;            /* sum of the weights (n if unweighted) */
    const int *xvar;
    int n, k, p, icol, draws, normal, perturb;
    /* outputs, draws x p (column-major) and draws */
    double *B, *SE, *T, *P, *Beta, *VIF, *r2, *ar2, *F, *Fp;
    /* workspace */
    double *Vp, *X, *A, *tau, *qty, *Rinv, *Z, *ztau, *Zinv, *work, *xnorm,
        *xsd, *fit, *c, *rdiag;
    double tol;             /* the rank tolerance (linreg-qr.c) */
    int lwork;
    int ndef;
} sens_ws;

static double col_sd(const double *x, int n)
{
    double m = 0.0, s = 0.0;
    for (int i = 0; i < n; i++) m += x[i];
    m /= n;
    for (int i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m);
    return sqrt(s / (n - 1));
}

static void set_na_row(sens_ws *w, int d)
{
    R_xlen_t D = w->draws;
    for (int j = 0; j < w->p; j++) {
        R_xlen_t o = d + D * (R_xlen_t) j;
        w->B[o] = w->SE[o] = w->T[o] = w->P[o] = w->Beta[o] = w->VIF[o] =
            NA_REAL;
    }
    w->r2[d] = w->ar2[d] = w->F[d] = w->Fp[d] = NA_REAL;
}

/* Upper-triangular inverse of the leading m x m block of a (lda rows) into
 * out (m x m); returns LAPACK's info. */
static int tri_inverse(const double *a, int lda, int m, double *out)
{
    int info = 0;
    for (int c = 0; c < m; c++)
        for (int r = 0; r < m; r++)
            out[r + (R_xlen_t) m * c] = r <= c ? a[r + (R_xlen_t) lda * c] : 0.0;
    F77_CALL(dtrtri)("U", "N", &m, out, &m, &info FCONE FCONE);
    return info;
}

/* sens_one, step 1: the perturbed raw variables (R's RNG).             */
static void sens_perturb(sens_ws *w)
{
    const int n = w->n, p = w->p, k = w->k, one = 1;
    const R_xlen_t N = n, D = w->draws;
    int info = 0;
    (void) n; (void) p; (void) k; (void) one; (void) N; (void) D; (void) info;
    /* 1. perturbed raw variables */
    for (int j = 0; j < k; j++) {
        const double *v = w->V + N * j;
        double *vp = w->Vp + N * j, hj = w->h[j];
        if (w->perturb && hj > 0.0) {
            if (w->normal)
                for (int i = 0; i < n; i++) vp[i] = v[i] + (0.0 + hj * norm_rand());
            else
                for (int i = 0; i < n; i++)
                    vp[i] = v[i] + (-hj + (hj - (-hj)) * unif_rand());
        } else {
            for (int i = 0; i < n; i++) vp[i] = v[i];
        }
    }
}

/* Step 2: the design from the perturbed variables, and the equilibrated
 * copy the QR factors.                                                  */
static void sens_design(sens_ws *w)
{
    const int n = w->n, p = w->p, k = w->k, one = 1;
    const R_xlen_t N = n, D = w->draws;
    int info = 0;
    (void) n; (void) p; (void) k; (void) one; (void) N; (void) D; (void) info;
    /* 2. design: perturbed columns refreshed, fixed ones kept from X0 */
    for (int j = 0; j < p; j++) {
        if (w->xvar[j] > 0) {
            const double *src = w->Vp + N * (w->xvar[j] - 1);
            double *dst = w->X + N * j, s = 0.0;
            for (int i = 0; i < n; i++) {
                double a = w->sw ? w->sw[i] * src[i] : src[i];
                dst[i] = src[i];
                s += a * a;
            }
            w->xnorm[j] = sqrt(s);
            w->xsd[j] = col_sd(dst, n);
        }
    }
    /* the QR works on diag(sqrt(w)) X diag(c) and diag(sqrt(w)) y, as
     * lm.wfit, with c the powers of two of linreg's equilibration         */
    for (int j = 0; j < p; j++) {
        const double cj = w->c[j] = pow2_scale(w->xnorm[j]);
        const double *xj = w->X + N * j;
        double *aj = w->A + N * j;
        if (w->sw) for (int i = 0; i < n; i++) aj[i] = w->sw[i] * xj[i] * cj;
        else       for (int i = 0; i < n; i++) aj[i] = xj[i] * cj;
    }

}

/* Steps 4 and 5 after the QR of step 3: coefficients into w->qty[0..p-1]
 * (original units), fitted values into w->fit, the residual and model
 * sums of squares.  Returns 0 or a negative LAPACK code.                */
static int sens_coef(sens_ws *w, double *rss_out, double *mss_out)
{
    const int n = w->n, p = w->p, k = w->k, one = 1;
    const R_xlen_t N = n, D = w->draws;
    int info = 0;
    (void) n; (void) p; (void) k; (void) one; (void) N; (void) D; (void) info;
    const double *y = w->Vp;
    /* 4. coefficients: Q'y, then R b = (Q'y)[1:p] */
    for (int i = 0; i < n; i++) w->qty[i] = w->sw ? w->sw[i] * y[i] : y[i];
    F77_CALL(dormqr)("L", "T", &n, &one, &p, w->A, &n, w->tau, w->qty, &n,
                     w->work, &w->lwork, &info FCONE FCONE);
    if (info != 0) return -abs(info) - 2000;
    double *b = w->qty;               /* first p entries become b in place */
    F77_CALL(dtrtrs)("U", "N", "N", &p, &one, w->A, &n, b, &n, &info
                     FCONE FCONE FCONE);
    if (info != 0) return -abs(info) - 3000;
    for (int j = 0; j < p; j++) b[j] *= w->c[j];   /* back to original units */

    /* 5. residuals r = Q (0, (Q'y)[p+1:n]) and fitted values y - r, as
     * lm() computes them: no cancellation in y - X b when the fit is
     * nearly exact (one residual degree of freedom makes that common). */
    double rss = 0.0, mss = 0.0, fm = 0.0;
    for (int i = 0; i < n; i++) {
        w->fit[i] = i < p ? 0.0 : w->qty[i];
        rss += w->fit[i] * w->fit[i];
    }
    F77_CALL(dormqr)("L", "N", &n, &one, &p, w->A, &n, w->tau, w->fit, &n,
                     w->work, &w->lwork, &info FCONE FCONE);
    if (info != 0) return -abs(info) - 2500;
    /* summary.lm: weighted mean of the fitted values, weighted mss */
    for (int i = 0; i < n; i++) {
        double wi = w->sw ? w->wt[i] : 1.0;
        w->fit[i] = y[i] - (w->sw ? w->fit[i] / w->sw[i] : w->fit[i]);
        fm += wi * w->fit[i];
    }
    fm /= w->sumw;
    for (int i = 0; i < n; i++) {
        double wi = w->sw ? w->wt[i] : 1.0;
        double f = w->icol > 0 ? w->fit[i] - fm : w->fit[i];
        mss += wi * f * f;
    }
    *rss_out = rss;
    *mss_out = mss;
    return 0;
}

/* Step 6: coefficients, standard errors, t, p and Beta of draw d.       */
static int sens_se(sens_ws *w, int d, double s2, int rdf)
{
    const int n = w->n, p = w->p, k = w->k, one = 1;
    const R_xlen_t N = n, D = w->draws;
    int info = 0;
    (void) n; (void) p; (void) k; (void) one; (void) N; (void) D; (void) info;
    const double *y = w->Vp, *b = w->qty;
    /* 6. standard errors from the rows of R^-1 */
    info = tri_inverse(w->A, n, p, w->Rinv);
    if (info != 0) return -abs(info) - 4000;
    const double ysd = col_sd(y, n);
    for (int j = 0; j < p; j++) {
        double ss = 0.0;
        for (int c = j; c < p; c++) {
            double r = w->Rinv[j + (R_xlen_t) p * c];
            ss += r * r;
        }
        R_xlen_t o = d + D * (R_xlen_t) j;
        ss *= w->c[j] * w->c[j];        /* row j of R^-1 = c_j (row j of R_c^-1) */
        double se = sqrt(s2 * ss), t = b[j] / se;
        w->B[o] = b[j];
        w->SE[o] = se;
        w->T[o] = t;
        w->P[o] = 2.0 * pt(-fabs(t), (double) rdf, 1, 0);
        w->Beta[o] = (j + 1 == w->icol) ? NA_REAL : b[j] * w->xsd[j] / ysd;
    }

    return 0;
}

/* Step 7: the VIFs of draw d.                                           */
static int sens_vif(sens_ws *w, int d)
{
    const int n = w->n, p = w->p, k = w->k, one = 1;
    const R_xlen_t N = n, D = w->draws;
    int info = 0;
    (void) n; (void) p; (void) k; (void) one; (void) N; (void) D; (void) info;
    /* 7. VIF: centred regressors scaled to unit length, Z'Z = correlation
     * (weighted centring and scaling for a weighted fit, as car::vif) */
    int m = 0;
    for (int j = 0; j < p; j++) {
        if (j + 1 == w->icol) { w->VIF[d + D * (R_xlen_t) j] = NA_REAL; continue; }
        const double *x = w->X + N * j;
        double *z = w->Z + N * m, mu = 0.0, s = 0.0;
        for (int i = 0; i < n; i++)
            mu += w->sw ? w->sw[i] * w->sw[i] * x[i] : x[i];
        mu /= w->sumw;
        for (int i = 0; i < n; i++) {
            z[i] = w->sw ? w->sw[i] * (x[i] - mu) : x[i] - mu;
            s += z[i] * z[i];
        }
        s = sqrt(s);
        for (int i = 0; i < n; i++) z[i] = s > 0.0 ? z[i] / s : 0.0;
        m++;
    }
    if (m > 0) {
        int vif_ok = lsq_qr(w->Z, n, m, w->ztau, w->work, w->lwork, w->tol, w->rdiag);
        if (vif_ok) {
            info = tri_inverse(w->Z, n, m, w->Zinv);
            if (info != 0) return -abs(info) - 6000;
        }
        int jj = 0;
        for (int j = 0; j < p; j++) {
            if (j + 1 == w->icol) continue;
            double ss = 0.0;
            if (vif_ok)
                for (int c = jj; c < m; c++) {
                    double r = w->Zinv[jj + (R_xlen_t) m * c];
                    ss += r * r;
                }
            w->VIF[d + D * (R_xlen_t) j] = vif_ok ? ss : NA_REAL;
            jj++;
        }
    }

    return 0;
}

/* One draw; returns 0 on success, a negative LAPACK info on failure, and
 * 1 when the draw's design lost rank (row left NA). */
static int sens_one(sens_ws *w, int d)
{
    const int n = w->n, p = w->p;
    sens_perturb(w);
    sens_design(w);
    /* 3. QR and rank check, as linreg() */
    if (!lsq_qr(w->A, n, p, w->tau, w->work, w->lwork, w->tol, w->rdiag)) {
        set_na_row(w, d);
        return 1;
    }
    double rss = 0.0, mss = 0.0;
    int info = sens_coef(w, &rss, &mss);
    if (info != 0) return info;
    const int dfint = w->icol > 0 ? 1 : 0, rdf = n - p, numdf = p - dfint;
    const double s2 = rss / rdf;
    if ((info = sens_se(w, d, s2, rdf)) != 0) return info;
    if ((info = sens_vif(w, d)) != 0) return info;
    /* 8. model statistics, as summary.lm */
    w->r2[d] = mss / (mss + rss);
    w->ar2[d] = 1.0 - (1.0 - w->r2[d]) * ((double) (n - dfint) / rdf);
    if (numdf > 0) {
        w->F[d] = (mss / numdf) / s2;
        w->Fp[d] = pf(w->F[d], (double) numdf, (double) rdf, 0, 0);
    } else {
        w->F[d] = w->Fp[d] = NA_REAL;
    }
    return 0;
}

/* Weights of a weighted fit (sw of length 0: none): their square roots
 * and their sum.                                                        */
static void sens_weights(sens_ws *w, SEXP sw)
{
    const int n = w->n;
    w->sw = w->wt = NULL;
    w->sumw = n;
    if (XLENGTH(sw) == 0) return;
    const double *wt = REAL(sw);
    double *r = (double *) R_alloc(n, sizeof(double));
    w->sumw = 0.0;
    for (int i = 0; i < n; i++) {
        if (!R_FINITE(wt[i]) || wt[i] <= 0.0)
            error("internal error: weights must be positive and finite");
        r[i] = sqrt(wt[i]);
        w->sumw += wt[i];
    }
    w->sw = r;
    w->wt = wt;
}

/* The scratch of the draws, allocated once: perturbed variables, design,
 * QR, inverses, the fixed columns' norms and standard deviations, and
 * LAPACK's workspace (the larger of dgeqrf's and dormqr's).              */
static void sens_workspace(sens_ws *w)
{
    /* workspace, allocated once for all draws */
    const int n = w->n, p = w->p, k = w->k;
    const R_xlen_t N = n;
    w->Vp = (double *) R_alloc(N * k, sizeof(double));
    w->X = (double *) R_alloc(N * p, sizeof(double));
    w->A = (double *) R_alloc(N * p, sizeof(double));
    w->Z = (double *) R_alloc(N * p, sizeof(double));
    w->tau = (double *) R_alloc(p, sizeof(double));
    w->ztau = (double *) R_alloc(p, sizeof(double));
    w->qty = (double *) R_alloc(N, sizeof(double));
    w->fit = (double *) R_alloc(N, sizeof(double));
    w->Rinv = (double *) R_alloc((R_xlen_t) p * p, sizeof(double));
    w->Zinv = (double *) R_alloc((R_xlen_t) p * p, sizeof(double));
    w->xnorm = (double *) R_alloc(p, sizeof(double));
    w->xsd = (double *) R_alloc(p, sizeof(double));
    w->c = (double *) R_alloc(p, sizeof(double));
    w->rdiag = (double *) R_alloc(p, sizeof(double));
    memcpy(w->X, w->X0, sizeof(double) * N * p);
    for (int j = 0; j < p; j++) {
        const double *x = w->X0 + N * j;
        double s = 0.0;
        for (int i = 0; i < n; i++) {
            double a = w->sw ? w->sw[i] * x[i] : x[i];
            s += a * a;
        }
        w->xnorm[j] = sqrt(s);
        w->xsd[j] = col_sd(x, n);
    }
    /* workspace queries: the largest of dgeqrf and dormqr */
    {
        int info = 0, one = 1, lq = -1;
        double q1 = 0.0, q2 = 0.0;
        F77_CALL(dgeqrf)(&n, &p, w->A, &n, w->tau, &q1, &lq, &info);
        F77_CALL(dormqr)("L", "T", &n, &one, &p, w->A, &n, w->tau, w->qty, &n,
                         &q2, &lq, &info FCONE FCONE);
        double q = q1 > q2 ? q1 : q2;
        w->lwork = q > (double) p ? (int) q : p;
        if (w->lwork < 1) w->lwork = 1;
        w->work = (double *) R_alloc(w->lwork, sizeof(double));
    }
}

/* The draws (R's RNG when any variable is perturbed); returns 0 or the
 * first LAPACK failure's code.                                          */
static int sens_loop(sens_ws *w)
{
    int any_h = 0;
    for (int j = 0; j < w->k; j++) if (w->h[j] > 0.0) any_h = 1;
    const int use_rng = w->perturb && any_h;
    if (use_rng) GetRNGstate();
    int fail = 0;
    for (int d = 0; d < w->draws; d++) {
        if (d % SENS_CHECK == SENS_CHECK - 1) R_CheckUserInterrupt();
        int rc = sens_one(w, d);
        if (rc < 0) { fail = rc; break; }
        if (rc == 1) w->ndef++;
    }
    if (use_rng) PutRNGstate();
    return fail;
}

/* The named result list, its draws x p matrices and vectors over draws
 * pointed at by w.                                                      */
static SEXP sens_result(sens_ws *w)
{
    int nprot = 0;
    const char *names[] = {"B", "SE", "t", "p", "Beta", "VIF", "r.squared",
                           "adj.r.squared", "F", "F.p", "rank_deficient", ""};
    SEXP out = PROTECT(mkNamed(VECSXP, names)); nprot++;
    double **mats[] = {&w->B, &w->SE, &w->T, &w->P, &w->Beta, &w->VIF};
    double **vecs[] = {&w->r2, &w->ar2, &w->F, &w->Fp};
    for (int i = 0; i < 6; i++) {
        SEXP m = allocMatrix(REALSXP, w->draws, w->p);
        SET_VECTOR_ELT(out, i, m);
        *mats[i] = REAL(m);
    }
    for (int i = 0; i < 4; i++) {
        SEXP v = allocVector(REALSXP, w->draws);
        SET_VECTOR_ELT(out, 6 + i, v);
        *vecs[i] = REAL(v);
    }
    UNPROTECT(nprot);
    return out;
}

/* ffi_sensitivity_draws(V, h, X, xvar, icol, draws, normal, perturb, w,
 * tol): the refits of sensitivity(); V the raw variables (response
 * first), h their errors, X the design, xvar each column's variable (0:
 * fixed), icol the intercept's column.                                  */
SEXP ffi_sensitivity_draws(SEXP sV, SEXP sh, SEXP sX, SEXP sxvar, SEXP sicol,
                           SEXP sdraws, SEXP snormal, SEXP sperturb, SEXP sw,
                           SEXP stol)
{
    int nprot = 0;
    need_real(sV, "V");
    need_real(sh, "h");
    need_real(sX, "X");
    need_int(sxvar, "xvar");
    need_real(sw, "w");
    if (!isMatrix(sV) || !isMatrix(sX))
        error("internal error: 'V' and 'X' must be matrices");
    const int n = nrows(sV), k = ncols(sV), p = ncols(sX);
    if (nrows(sX) != n) error("internal error: 'V' and 'X' differ in rows");
    need_len(sh, k, "h");
    need_len(sxvar, p, "xvar");
    if (XLENGTH(sw) != 0) need_len(sw, n, "w");
    sens_ws w;
    w.icol = scalar_int(sicol, "icol");
    w.draws = scalar_int(sdraws, "draws");
    w.normal = scalar_int(snormal, "normal");
    w.perturb = scalar_int(sperturb, "perturb");
    if (k < 1 || p < 1 || n <= p) error("internal error: need n > p >= 1, k >= 1");
    if (w.draws < 1 || w.draws == NA_INTEGER) error("internal error: 'draws' < 1");
    if (w.icol < 0 || w.icol > p) error("internal error: 'icol' out of range");
    const int *xvar = INTEGER(sxvar);
    for (int j = 0; j < p; j++)
        if (xvar[j] < 0 || xvar[j] > k || xvar[j] == 1)
            error("internal error: 'xvar' out of range");
    const double *h = REAL(sh), *V = REAL(sV);
    for (int j = 0; j < k; j++)
        if (!R_FINITE(h[j]) || h[j] < 0.0) error("internal error: bad 'h'");
    for (R_xlen_t i = 0; i < (R_xlen_t) n * k; i++)
        if (!R_FINITE(V[i])) error("internal error: non-finite data");
    /* products of dimensions must fit LAPACK's int as well */
    lapack_dim((R_xlen_t) n * p, "n * p");
    lapack_dim((R_xlen_t) n * k, "n * k");
    w.V = V; w.h = h; w.X0 = REAL(sX); w.xvar = xvar;
    w.n = n; w.k = k; w.p = p; w.ndef = 0;
    w.tol = lsq_tol(scalar_real(stol, "tol"), n, p);
    sens_weights(&w, sw);
    SEXP out = PROTECT(sens_result(&w)); nprot++;
    sens_workspace(&w);
    int fail = sens_loop(&w);
    if (fail) error("LAPACK failed in sensitivity() (code %d)", fail);
    SET_VECTOR_ELT(out, 10, ScalarInteger(w.ndef));
    UNPROTECT(nprot);
    return out;
}
