/* linreg.c - least squares for linreg(): one QR of the weighted, equilibrated
 * design, with iterative refinement, or a Householder QR in double-double
 * arithmetic for small or ill-conditioned problems.
 *
 * Scaling.  Column j of diag(sqrt(w)) X is multiplied by a power of two c_j
 * close to 1 / ||column||, so the equilibration is exact (no rounding).
 *
 * Paths (argument `precision`, by name: "auto", "double", "extended"):
 *  - double: blocked dgeqrf for p < 64; LINPACK's dqrdc2 (limited column
 *    pivoting, as lm; faster than dgeqrf with the reference BLAS for wide
 *    designs) for p >= 64, or when the diagonal of R from dgeqrf says the
 *    design is rank deficient.
 *    Unless R is well conditioned (reciprocal condition >= 1e-3) the
 *    solution is refined on the augmented system with residuals accumulated
 *    in long double until the correction stops shrinking (at most 5 steps).
 *  - extended: Householder QR with column pivoting carried out entirely in
 *    double-double arithmetic (about 31 significant digits; Dekker 1971,
 *    Knuth TAOCP vol. 2, with fma() for the exact product).  Coefficients,
 *    (R'R)^-1 and residuals come from it, then are rounded to double.
 *  - auto: extended when n p^2 <= 1e6, or when the double QR is ill
 *    conditioned (reciprocal condition < 1e-7) and n p^2 <= 5e7; double
 *    otherwise.
 *
 * Rank: column k (after pivoting) is aliased when |R_kk| <= tol |R_11| with
 * tol = max(n, p) * DBL_EPSILON by default; a column identifiable to double
 * precision is kept.
 */
#include "gvcluster.h"
#include "linreg.h"
#include "dd.h"
#include <string.h>
#include <R_ext/Applic.h>
#include <stdlib.h>
#include <stdint.h>

/* The precision paths, by name (the one table; R passes the name).      */
enum { PREC_AUTO, PREC_DOUBLE, PREC_EXTENDED, PREC_N };
static const char *const prec_names[PREC_N] = {"auto", "double", "extended"};

/* The names of col_stats()'s results, as R reads them (dw_sums(): see
 * linreg-dw.c).                                                          */
static const char *colstat_names[] = {"mean", "css", ""};

/* double-double arithmetic: dd.h */

/* ---- shared pieces ------------------------------------------------------ */


/* The design: a double matrix, or a list of double vectors of one length
 * (a NULL element stands for a column of ones, the intercept), so that a
 * model frame's numeric columns can be used where they are, without building
 * the model matrix.  Fills col[0..p-1]; returns p and sets *n. */
int design_cols(SEXP x, R_xlen_t *n, const double ***col)
{
    int p;
    if (TYPEOF(x) == VECSXP) {
        R_xlen_t np = XLENGTH(x), nr = -1;
        if (np > INT_MAX) error("internal error: too many columns");
        p = (int) np;
        for (int j = 0; j < p; j++) {
            SEXP v = VECTOR_ELT(x, j);
            if (isNull(v)) continue;
            if (TYPEOF(v) != REALSXP) error("internal error: design column %d is not double", j + 1);
            if (nr < 0) nr = XLENGTH(v);
            else if (XLENGTH(v) != nr) error("internal error: design columns differ in length");
        }
        if (nr < 0) {
            SEXP nn = getAttrib(x, install("nrow"));
            if (TYPEOF(nn) != INTSXP || XLENGTH(nn) != 1 || INTEGER(nn)[0] < 0)
                error("internal error: a design of intercepts needs its 'nrow'");
            nr = INTEGER(nn)[0];
        }
        *n = nr;
        const double **cl = (const double **) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double *));
        double *ones = NULL;
        for (int j = 0; j < p; j++) {
            SEXP v = VECTOR_ELT(x, j);
            if (isNull(v)) {
                if (!ones) {
                    ones = (double *) R_alloc((size_t) (nr > 0 ? nr : 1), sizeof(double));
                    for (R_xlen_t i = 0; i < nr; i++) ones[i] = 1.0;
                }
                cl[j] = ones;
            } else cl[j] = REAL(v);
        }
        *col = cl;
        return p;
    }
    need_real(x, "x");
    SEXP dim = getAttrib(x, R_DimSymbol);
    if (isNull(dim)) {                    /* a plain vector is one column */
        *n = XLENGTH(x);
        p = 1;
    } else {
        if (TYPEOF(dim) != INTSXP || XLENGTH(dim) != 2)
            error("internal error: 'x' must be a vector or a matrix");
        *n = INTEGER(dim)[0];
        p = INTEGER(dim)[1];
    }
    const double **cl = (const double **) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double *));
    for (int j = 0; j < p; j++) cl[j] = REAL(x) + *n * j;
    *col = cl;
    return p;
}

/* Blocked summation: sums of 256 terms in double, block sums added in
 * double; error about (256 + n / 256) eps instead of n eps, and the inner
 * loops vectorise. */
#define GVC_BLK 256

/* Weighted column norms. */
static void col_norms(cols_t x, const double *w, int n, int p,
                      double *nrm, int nthr)
{
#ifdef _OPENMP
#pragma omp parallel for num_threads(nthr) schedule(static) if (nthr > 1 && (double) n * p >= 1e6)
#endif
    for (int j = 0; j < p; j++) {
        const double *xj = x[j];
        double tot = 0.0;
        for (int i0 = 0; i0 < n; i0 += GVC_BLK) {
            int i1 = (n - i0 < GVC_BLK) ? n : i0 + GVC_BLK;
            double s = 0.0;
            if (w) for (int i = i0; i < i1; i++) s += w[i] * xj[i] * xj[i];
            else   for (int i = i0; i < i1; i++) s += xj[i] * xj[i];
            tot += s;
        }
        nrm[j] = sqrt(tot);
    }
}

/* r_i = sw_i (y_i - sum_j x_ij beta_j) for the first `rank` pivoted columns,
 * accumulated in long double.  beta is in original units. */
static void resid_ld(cols_t x, const double *y, const double *sw,
                     int n, int rank, const int *piv, const double *beta,
                     long double *acc, double *r)
{
    for (int i = 0; i < n; i++) acc[i] = y[i];
    for (int k = 0; k < rank; k++) {
        int j = piv[k];
        const double *xj = x[j];
        long double b = beta[j];
        for (int i = 0; i < n; i++) acc[i] -= b * xj[i];
    }
    for (int i = 0; i < n; i++)
        r[i] = (double) (sw ? sw[i] * acc[i] : acc[i]);
}

/* ---- the double path ---------------------------------------------------- */
/* Load a = diag(sw) X diag(c) (exact up to the sqrt-weight product). */
static void load_scaled(cols_t x, const double *sw, const double *c,
                        int n, int p, double *a)
{
    for (int j = 0; j < p; j++) {
        const double *xj = x[j];
        double *aj = a + (R_xlen_t) n * j;
        if (sw) for (int i = 0; i < n; i++) aj[i] = sw[i] * xj[i] * c[j];
        else    for (int i = 0; i < n; i++) aj[i] = xj[i] * c[j];
    }
}

/* v <- Q'v for the dgeqrf (pivot = 0) or dqrdc2 (pivot = 1) factor;
 * scratch has length n. */
static void apply_qt(int pivot, int n, int mn, int rank, double *a,
                     double *tau, double *v, double *work, int lwork,
                     double *scratch)
{
    int info = 0, one = 1;
    if (!pivot) {
        F77_CALL(dormqr)("L", "T", &n, &one, &mn, a, &n, tau, v, &n, work,
                         &lwork, &info FCONE FCONE);
        if (info != 0) error("internal error: dormqr returned %d", info);
    } else {
        int k = rank;
        F77_CALL(dqrqty)(a, &n, &k, tau, v, &one, scratch);
        memcpy(v, scratch, sizeof(double) * (size_t) n);
    }
}

/* v <- Q v, as apply_qt. */
static void apply_q(int pivot, int n, int mn, int rank, double *a,
                    double *tau, double *v, double *work, int lwork,
                    double *scratch)
{
    int info = 0, one = 1;
    if (!pivot) {
        F77_CALL(dormqr)("L", "N", &n, &one, &mn, a, &n, tau, v, &n, work,
                         &lwork, &info FCONE FCONE);
        if (info != 0) error("internal error: dormqr returned %d", info);
    } else {
        int k = rank;
        F77_CALL(dqrqy)(a, &n, &k, tau, v, &one, scratch);
        memcpy(v, scratch, sizeof(double) * (size_t) n);
    }
}

static void fit_double(cols_t x, const double *y, const double *sw,
                       const double *c, int n, int p, double tol, int pivot,
                       int *piv, double *beta, double *cov, fitinfo *fi,
                       double *rdiag, double *rhi)
{
    double *a = (double *) R_alloc((size_t) n * p, sizeof(double));
    double *tau = (double *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double));
    double *qtb = (double *) R_alloc((size_t) n, sizeof(double));
    long double *acc = NULL;
    int info = 0, lwork = -1, one = 1, mn = n < p ? n : p;
    double wq;

    load_scaled(x, sw, c, n, p, a);
    for (int j = 0; j < p; j++) piv[j] = 0;
    int full = 0;
    if (!pivot) {
        F77_CALL(dgeqrf)(&n, &p, a, &n, tau, &wq, &lwork, &info);
        lwork = (int) wq;
        double *work = (double *) R_alloc((size_t) (lwork > 1 ? lwork : 1), sizeof(double));
        /* the QR and rank rule shared with sensitivity() (linreg-qr.c) */
        full = lsq_qr(a, n, p, tau, work, lwork, tol, rdiag);
        for (int j = 0; j < p; j++) piv[j] = j;
        fi->method = 1;
    } else {
        /* LINPACK's limited pivoting (as lm), shared with the streamed fit */
        double *wk = (double *) R_alloc(2 * (size_t) (p > 0 ? p : 1), sizeof(double));
        fi->method = 2;
        fi->rank = lsq_pivot_qr(a, n, p, tol, piv, tau, wk);
    }

    /* rank from the diagonal of R */
    int rank = pivot ? fi->rank : 0;
    if (pivot) for (int k = 0; k < mn; k++) rdiag[k] = fabs(a[k + (R_xlen_t) n * k]);
    if (!pivot) {
        /* without pivoting any small diagonal entry means "pivot" */
        if (!full) { fi->rank = -1; return; }
        rank = p;
    }
    fi->rank = rank;
    fi->rcond = lsq_tri_rcond(a, n, rank);

    /* z = R11^-1 (Q'b)_1:rank, then refine with long double residuals */
    double *z = (double *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double));
    double *rr = (double *) R_alloc((size_t) (n > 0 ? n : 1), sizeof(double));
    for (int i = 0; i < n; i++) qtb[i] = sw ? sw[i] * y[i] : y[i];
    double *work = NULL;
    if (!pivot) {
        lwork = -1;
        F77_CALL(dormqr)("L", "T", &n, &one, &mn, a, &n, tau, qtb, &n, &wq, &lwork,
                         &info FCONE FCONE);
        lwork = (int) wq;
        work = (double *) R_alloc((size_t) (lwork > 1 ? lwork : 1), sizeof(double));
    }
    apply_qt(pivot, n, mn, rank, a, tau, qtb, work, lwork, rr);
    if (rank > 0)
        F77_CALL(dtrtrs)("U", "N", "N", &rank, &one, a, &n, qtb, &n, &info
                         FCONE FCONE FCONE);
    if (info != 0) error("internal error: dtrtrs returned %d", info);
    for (int k = 0; k < rank; k++) z[k] = qtb[k];
    for (int k = 0; k < rank; k++) beta[piv[k]] = z[k] * c[piv[k]];

    /* Iterative refinement on the augmented system [I A; A' 0][r; z] =
     * [b; 0] (Bjorck 1967): residuals f = b - r - A z and g = -A'r in long
     * double, corrections from the same QR.  Unlike refining z alone, this
     * removes the kappa^2 term of nonzero-residual problems. */
    double prev = R_PosInf, *rv = NULL, *f = NULL, *g = NULL;
    fi->steps = 0;
    /* a well-conditioned problem (kappa_1(R) < 1e3) is already accurate to
     * about kappa * eps: no refinement */
    int maxit = (fi->rcond >= 1e-3) ? 0 : 5;
    if (maxit > 0 && rank > 0) {
        acc = R_allocLD((size_t) n);
        rv = (double *) R_alloc((size_t) n, sizeof(double));
        f = (double *) R_alloc((size_t) n, sizeof(double));
        g = (double *) R_alloc((size_t) p, sizeof(double));
        resid_ld(x, y, sw, n, rank, piv, beta, acc, rv);
    }
    for (int it = 0; it < maxit && rank > 0; it++) {
        R_CheckUserInterrupt();      /* between refinement steps: R_alloc'd scratch */
        for (int i = 0; i < n; i++) acc[i] = y[i];
        for (int k = 0; k < rank; k++) {
            int j = piv[k];
            const double *xj = x[j];
            long double bj = beta[j];
            for (int i = 0; i < n; i++) acc[i] -= bj * xj[i];
        }
        for (int i = 0; i < n; i++)
            f[i] = (double) ((sw ? sw[i] * acc[i] : acc[i]) - rv[i]);
        for (int k = 0; k < rank; k++) {
            int j = piv[k];
            const double *xj = x[j];
            long double t = 0.0L;
            if (sw) for (int i = 0; i < n; i++) t += (long double) sw[i] * xj[i] * rv[i];
            else    for (int i = 0; i < n; i++) t += (long double) xj[i] * rv[i];
            g[k] = (double) (-t * c[j]);
        }
        apply_qt(pivot, n, mn, rank, a, tau, f, work, lwork, qtb);   /* f <- Q'f */
        F77_CALL(dtrtrs)("U", "T", "N", &rank, &one, a, &n, g, &p, &info
                         FCONE FCONE FCONE);                        /* g <- R^-T g */
        double dn = 0.0, zn = 0.0;
        for (int k = 0; k < rank; k++) { double t = f[k]; f[k] = g[k]; g[k] = t - g[k]; }
        F77_CALL(dtrtrs)("U", "N", "N", &rank, &one, a, &n, g, &p, &info
                         FCONE FCONE FCONE);                        /* dz */
        for (int k = 0; k < rank; k++) {
            dn = fmax(dn, fabs(g[k]));
            zn = fmax(zn, fabs(z[k]));
        }
        if (!(dn < prev)) break;     /* correction stopped shrinking */
        apply_q(pivot, n, mn, rank, a, tau, f, work, lwork, qtb);    /* dr = Q [h; d2] */
        for (int i = 0; i < n; i++) rv[i] += f[i];
        for (int k = 0; k < rank; k++) z[k] += g[k];
        for (int k = 0; k < rank; k++) beta[piv[k]] = z[k] * c[piv[k]];
        fi->steps++;
        prev = dn;
        if (dn <= 2.0 * DBL_EPSILON * zn) break;
    }
    lsq_tri_cov(a, n, rank, cov);
    for (int j = 0; j < rank; j++)
        for (int i = 0; i < rank; i++)
            rhi[i + (R_xlen_t) rank * j] = i <= j ? a[i + (R_xlen_t) n * j] : 0.0;
}

/* ---- the one-pass blocked path (TSQR): fit_tsqr() in linreg-tsqr.c ---- */

/* ---- the double-double path --------------------------------------------- */
/* Column j of the design in double-double: x_j, or base^e exactly to about
 * 31 digits when the column is a power term (pidx[j] > 0). */
static void dd_column(cols_t x, const double *pbase, const int *pidx,
                      const int *pexp, int n, int j, dd *out)
{
    if (pidx && pidx[j] > 0 && pexp[j] >= 1) {
        const double *v = pbase + (R_xlen_t) n * (pidx[j] - 1);
        int e = pexp[j];
        for (int i = 0; i < n; i++) {
            dd r = dd_from(1.0), b = dd_from(v[i]);
            int k = e;
            while (k > 0) {
                if (k & 1) r = dd_mul(r, b);
                k >>= 1;
                if (k) b = dd_mul(b, b);
            }
            out[i] = r;
        }
    } else {
        const double *xj = x[j];
        for (int i = 0; i < n; i++) out[i] = dd_from(xj[i]);
    }
}

static void fit_dd(cols_t x, const double *y, const double *sw,
                   const double *c, int n, int p, double tol,
                   const double *pbase, const int *pidx, const int *pexp,
                   int *piv, double *beta, double *cov, fitinfo *fi,
                   double *rdiag, double *rhi, double *res, double *fit,
                   const double *w, double *rss)
{
    dd *a = (dd *) R_alloc((size_t) n * (p > 0 ? p : 1), sizeof(dd));
    dd *b = (dd *) R_alloc((size_t) n, sizeof(dd));
    int mn = n < p ? n : p;

    for (int j = 0; j < p; j++) {
        dd *aj = a + (R_xlen_t) n * j;
        dd_column(x, pbase, pidx, pexp, n, j, aj);
        for (int i = 0; i < n; i++)
            aj[i] = sw ? dd_mul_d(dd_mul_d(aj[i], sw[i]), c[j]) : dd_mul_d(aj[i], c[j]);
        piv[j] = j;
    }
    for (int i = 0; i < n; i++) b[i] = sw ? dd_two_prod(sw[i], y[i]) : dd_from(y[i]);

    /* limited pivoting as LINPACK's dqrdc2 (and so lm): a column whose
     * remaining norm is at most tol times its original norm is moved to the
     * end and declared aliased; the others keep their order */
    double *onrm = (double *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double));
    for (int j = 0; j < p; j++) {
        dd s = dd_from(0.0);
        const dd *aj = a + (R_xlen_t) n * j;
        for (int i = 0; i < n; i++) s = dd_add(s, dd_mul(aj[i], aj[i]));
        onrm[j] = dd_sqrt(s).hi;
    }
    int rank = 0, pa = p;           /* columns k..pa-1 are still candidates */
    dd *tmp = (dd *) R_alloc((size_t) (n > 0 ? n : 1), sizeof(dd));
    for (int k = 0; k < mn && k < pa; ) {
        dd s = dd_from(0.0);
        const dd *akc = a + (R_xlen_t) n * k;
        for (int i = k; i < n; i++) s = dd_add(s, dd_mul(akc[i], akc[i]));
        dd nrm = dd_sqrt(s);
        if (!(nrm.hi > tol * onrm[k]) || nrm.hi == 0.0) {
            /* rotate column k to position p - 1 */
            memcpy(tmp, akc, sizeof(dd) * (size_t) n);
            int pk = piv[k];
            double ok = onrm[k];
            for (int j = k; j < p - 1; j++) {
                memcpy(a + (R_xlen_t) n * j, a + (R_xlen_t) n * (j + 1), sizeof(dd) * (size_t) n);
                piv[j] = piv[j + 1];
                onrm[j] = onrm[j + 1];
            }
            memcpy(a + (R_xlen_t) n * (p - 1), tmp, sizeof(dd) * (size_t) n);
            piv[p - 1] = pk;
            onrm[p - 1] = ok;
            pa--;
            continue;
        }
        dd *ak = a + (R_xlen_t) n * k;
        dd x0 = ak[k];
        dd alpha = x0.hi >= 0.0 ? dd_neg(nrm) : nrm;     /* -sign(x0) ||x|| */
        dd v0 = dd_sub(x0, alpha);
        dd den = dd_mul(alpha, v0);                       /* = -v'v / 2 */
        ak[k] = v0;                                       /* v stored in place */
        for (int j = k + 1; j <= p; j++) {
            dd *aj = (j < p) ? a + (R_xlen_t) n * j : b;
            dd s = dd_from(0.0);
            for (int i = k; i < n; i++) s = dd_add(s, dd_mul(ak[i], aj[i]));
            dd f = dd_div(s, den);
            for (int i = k; i < n; i++) aj[i] = dd_add(aj[i], dd_mul(f, ak[i]));
        }
        ak[k] = alpha;
        rank++;
        k++;
    }
    fi->rank = rank;
    fi->method = 3;
    fi->steps = 0;
    for (int k = 0; k < rank; k++) rdiag[k] = fabs(a[k + (R_xlen_t) n * k].hi);

    /* z = R^-1 (Q'b)_1:rank */
    dd *z = (dd *) R_alloc((size_t) (rank > 0 ? rank : 1), sizeof(dd));
    for (int k = rank - 1; k >= 0; k--) {
        dd s = b[k];
        for (int j = k + 1; j < rank; j++)
            s = dd_sub(s, dd_mul(a[k + (R_xlen_t) n * j], z[j]));
        z[k] = dd_div(s, a[k + (R_xlen_t) n * k]);
    }
    for (int k = 0; k < rank; k++) beta[piv[k]] = dd_mul_d(z[k], c[piv[k]]).hi;

    /* residuals and fitted values in double-double from the kept columns */
    dd *acc = (dd *) R_alloc((size_t) (n > 0 ? n : 1), sizeof(dd));
    dd *col = (dd *) R_alloc((size_t) (n > 0 ? n : 1), sizeof(dd));
    for (int i = 0; i < n; i++) acc[i] = dd_from(0.0);
    for (int k = 0; k < rank; k++) {
        dd bk = dd_mul_d(z[k], c[piv[k]]);
        dd_column(x, pbase, pidx, pexp, n, piv[k], col);
        for (int i = 0; i < n; i++) acc[i] = dd_add(acc[i], dd_mul(bk, col[i]));
    }
    dd ss = dd_from(0.0);
    for (int i = 0; i < n; i++) {
        dd r = dd_sub(dd_from(y[i]), acc[i]);
        res[i] = r.hi;
        fit[i] = acc[i].hi;
        dd r2 = dd_mul(r, r);
        ss = dd_add(ss, w ? dd_mul_d(r2, w[i]) : r2);
    }
    *rss = ss.hi;

    /* Rinv (upper triangular, rank x rank), then cov = Rinv Rinv' */
    dd *ri = (dd *) R_alloc((size_t) rank * (rank > 0 ? rank : 1), sizeof(dd));
    for (int j = 0; j < rank; j++) {
        for (int i = 0; i < rank; i++) ri[i + (R_xlen_t) rank * j] = dd_from(0.0);
        ri[j + (R_xlen_t) rank * j] = dd_div(dd_from(1.0), a[j + (R_xlen_t) n * j]);
        for (int i = j - 1; i >= 0; i--) {
            dd s = dd_from(0.0);
            for (int k = i + 1; k <= j; k++)
                s = dd_add(s, dd_mul(a[i + (R_xlen_t) n * k], ri[k + (R_xlen_t) rank * j]));
            ri[i + (R_xlen_t) rank * j] = dd_neg(dd_div(s, a[i + (R_xlen_t) n * i]));
        }
    }
    for (int i = 0; i < rank; i++)
        for (int j = i; j < rank; j++) {
            dd s = dd_from(0.0);
            for (int k = j; k < rank; k++)
                s = dd_add(s, dd_mul(ri[i + (R_xlen_t) rank * k], ri[j + (R_xlen_t) rank * k]));
            cov[i + (R_xlen_t) rank * j] = cov[j + (R_xlen_t) rank * i] = s.hi;
        }
    for (int j = 0; j < rank; j++)
        for (int i = 0; i < rank; i++)
            rhi[i + (R_xlen_t) rank * j] = i <= j ? a[i + (R_xlen_t) n * j].hi : 0.0;
    fi->rcond = lsq_tri_rcond(rhi, rank, rank);
}

/* ---- entry point -------------------------------------------------------- */
/* The O(n) sums of the statistics (defined with the entry points that
 * return them alone, below).                                             */
static double weight_sum(const double *wp, R_xlen_t n);
static void col_stats(const double *xj, R_xlen_t n, const double *wp, double sw,
                      double *out);

/* The state of one fit, shared by the steps of ffi_linreg_fit.          */
typedef struct {
    cols_t x;
    const double *y, *w, *sw;   /* sw = sqrt(w), NULL without weights */
    int n, p, prec, nthr;
    double tol;
    const double *pb;           /* power terms (fit_dd): base variables */
    const int *pidx, *pexp;
    double *nrm, *c;            /* column norms, their power-of-2 scales */
    int *piv;
    double *beta, *covs, *rdiag, *rhi;
    fitinfo fi;
    double rss_dd;
} lsfit;

/* Power terms: ppow NULL or list(base, exponent), integer vectors of
 * length p read by name (for each column, its column of pbase, 0 for
 * none, and its power); pbase an n x q double matrix of base variables. */
static void fit_powers(lsfit *F, SEXP pbase, SEXP ppow)
{
    F->pb = NULL; F->pidx = NULL; F->pexp = NULL;
    if (isNull(ppow)) return;
    const int p = F->p, n = F->n;
    SEXP pcol = named_elt(ppow, "base"), pexp = named_elt(ppow, "exponent");
    need_int(pcol, "ppow$base");
    need_len(pcol, p, "ppow$base");
    need_int(pexp, "ppow$exponent");
    need_len(pexp, p, "ppow$exponent");
    need_real(pbase, "pbase");
    R_xlen_t q = n > 0 ? XLENGTH(pbase) / n : 0;
    if (q * n != XLENGTH(pbase)) error("internal error: 'pbase' has a wrong length");
    int *pi = (int *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(int));
    int *pe = (int *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(int));
    for (int j = 0; j < p; j++) {
        pi[j] = INTEGER(pcol)[j];
        pe[j] = INTEGER(pexp)[j];
        if (pi[j] < 0 || pi[j] > q) error("internal error: bad power index");
    }
    F->pb = REAL(pbase); F->pidx = pi; F->pexp = pe;
}

/* Scratch of a fit: square-root weights, column norms and scales, the
 * pivot, coefficients and the triangular factors.                       */
static void fit_alloc(lsfit *F)
{
    const int n = F->n, p = F->p, p1 = p > 0 ? p : 1, mn = n < p ? n : p;
    double *sw = NULL;
    if (F->w) {
        sw = (double *) R_alloc((size_t) n, sizeof(double));
        for (int i = 0; i < n; i++) sw[i] = sqrt(F->w[i]);
    }
    F->sw = sw;
    F->nrm = (double *) R_alloc((size_t) p1, sizeof(double));
    F->c = (double *) R_alloc((size_t) p1, sizeof(double));
    col_norms(F->x, F->w, n, p, F->nrm, F->nthr);
    for (int j = 0; j < p; j++) F->c[j] = pow2_scale(F->nrm[j]);
    F->piv = (int *) R_alloc((size_t) p1, sizeof(int));
    F->beta = (double *) R_alloc((size_t) p1, sizeof(double));
    F->covs = (double *) R_alloc((size_t) p1 * p1, sizeof(double));
    F->rdiag = (double *) R_alloc((size_t) (mn > 0 ? mn : 1), sizeof(double));
    F->rhi = (double *) R_alloc((size_t) p1 * p1, sizeof(double));
    fitinfo fi0 = { 0, 0.0, 0, 0, 1 };
    F->fi = fi0;
    F->rss_dd = 0.0;
    for (int j = 0; j < p; j++) F->beta[j] = NA_REAL;
}

/* Rows per block of the one-pass path: 16 (p + 1) rows keep the stacked R
 * (p + 1 rows) a small part of the work, within 1024 to 4096 rows so that
 * a block stays near the cache; very wide designs (p > 1023) take the
 * other path.  0: not the one-pass path.                                 */
static int fit_tsqr_rows(const lsfit *F, int use_dd)
{
    int B = 16 * (F->p + 1);
    if (B < 1024) B = 1024;
    if (B > 4096) B = 4096;
    return (!use_dd && F->p >= 1 && F->p < 1024 && F->n >= 4 * B) ? B : 0;
}

/* The choice of path and the fit: the one-pass blocked QR (with the
 * Durbin-Watson moments g1, g2 when asked), the QR in double with
 * refinement, or double-double for small or ill-conditioned designs
 * (which also writes the residuals and fitted values).                  */
static void fit_solve(lsfit *F, int B, double *g1, double *g2, double *res,
                      double *fit)
{
    const int n = F->n, p = F->p;
    const double size = (double) n * p * p;
    int use_dd = (F->prec == PREC_EXTENDED) || (F->prec == PREC_AUTO && size <= 1e6);
    int done = B > 0 &&
        fit_tsqr(F->x, F->y, F->sw, F->c, n, p, F->tol, F->nthr, B, g1 != NULL,
                 F->piv, F->beta, F->covs, &F->fi, F->rdiag, F->rhi, g1, g2);
    if (!use_dd && !done) {
        for (int j = 0; j < p; j++) F->beta[j] = NA_REAL;
        fit_double(F->x, F->y, F->sw, F->c, n, p, F->tol, p >= 64, F->piv, F->beta,
                   F->covs, &F->fi, F->rdiag, F->rhi);
        int ill = (F->fi.rank < 0) || F->fi.rcond < 1e-7;
        if (ill && F->prec == PREC_AUTO && size <= 5e7) use_dd = 1;
        else if (F->fi.rank < 0) {
            for (int j = 0; j < p; j++) F->beta[j] = NA_REAL;
            fit_double(F->x, F->y, F->sw, F->c, n, p, F->tol, 1, F->piv, F->beta,
                       F->covs, &F->fi, F->rdiag, F->rhi);
        }
    }
    if (use_dd) {
        for (int j = 0; j < p; j++) F->beta[j] = NA_REAL;
        fit_dd(F->x, F->y, F->sw, F->c, n, p, F->tol, F->pb, F->pidx, F->pexp,
               F->piv, F->beta, F->covs, &F->fi, F->rdiag, F->rhi, res, fit, F->w,
               &F->rss_dd);
    }
    /* aliased columns after the kept ones, in original order */
    if (F->fi.method == 2 || F->fi.method == 3) {
        const int rank = F->fi.rank;
        int *seen = (int *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(int));
        for (int j = 0; j < p; j++) seen[j] = 0;
        for (int k = 0; k < rank; k++) seen[F->piv[k]] = 1;
        int k = rank;
        for (int j = 0; j < p; j++) if (!seen[j]) F->piv[k++] = j;
    }
}

/* Residuals and fitted values in long double, block of rows by block of
 * rows; the blocks' sums of squares are added in order afterwards, so the
 * result does not depend on the number of threads.  Returns the
 * (weighted) residual sum of squares.                                    */
static long double fit_residuals(const lsfit *F, double *rp, double *fp)
{
    if (F->fi.method == 3) return F->rss_dd;   /* fit_dd wrote them */
    enum { RB = 256 };
    const int n = F->n, rank = F->fi.rank, nthr = F->nthr;
    const double *wp = F->w, *yp = F->y;
    int nblk = n / RB + (n % RB != 0);
    long double *part = R_allocLD((size_t) (nblk > 0 ? nblk : 1));
    (void) nthr;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nthr) schedule(static) if (nthr > 1 && (double) n * rank >= 1e6)
#endif
    for (int b = 0; b < nblk; b++) {
        long double acc[RB], ss = 0.0L;
        int i0 = b * RB, nb = (n - i0 < RB) ? n - i0 : RB;
        for (int r = 0; r < nb; r++) acc[r] = 0.0L;
        for (int k = 0; k < rank; k++) {
            int j = F->piv[k];
            const double *xj = F->x[j] + i0;
            long double bj = F->beta[j];
            for (int r = 0; r < nb; r++) acc[r] += bj * xj[r];
        }
        for (int r = 0; r < nb; r++) {
            int i = i0 + r;
            long double e = (long double) yp[i] - acc[r];
            rp[i] = (double) e;
            fp[i] = (double) acc[r];
            ss += wp ? wp[i] * e * e : e * e;
        }
        part[b] = ss;
    }
    long double rss = 0.0L;
    for (int b = 0; b < nblk; b++) rss += part[b];
    return rss;
}

static const char *fit_method_name(int method)
{
    return method == 3 ? "double-double QR" :
        method == 2 ? "QR with limited pivoting (dqrdc2) with refinement" :
        method == 4 ? "blocked one-pass QR (dgeqrf on row blocks)" :
        "QR (dgeqrf) with refinement";
}

/* The singular values of the R factor of the kept columns scaled to unit
 * length (Belsley: with the intercept, not centred), for the condition
 * number and indices.                                                    */
static void fit_singular_values(const lsfit *F, double *sv)
{
    const int rank = F->fi.rank;
    double *fix = (double *) R_alloc((size_t) (rank > 0 ? rank : 1), sizeof(double));
    for (int k = 0; k < rank; k++) {
        int j = F->piv[k];
        fix[k] = 1.0 / (F->c[j] * F->nrm[j]);
    }
    lsq_singular_values(F->rhi, rank, rank, fix, sv);
}

/* The fit's named list: coefficients and cov_unscaled in original units
 * and the original column order (NA for aliased columns), the factors,
 * residuals and fitted values, and the O(n) sums of the statistics
 * (fitted_stats, y_stats: mean and centred sum of squares; dw_sums: see
 * dw_sums) and the singular values of the unit-column R factor, here
 * rather than by further .Calls.                          */
static SEXP fit_result(const lsfit *F, SEXP res, SEXP fit, long double rss, SEXP mom)
{
    const int p = F->p, rank = F->fi.rank;
    const char *nm[] = { "coefficients", "cov_unscaled", "pivot", "rank",
                         "residuals", "fitted", "rss", "R", "rdiag", "scale",
                         "colnorm", "rcond", "method", "refine_steps", "tol",
                         "dwmom", "threads", "fitted_stats", "y_stats",
                         "dw_sums", "singular_values", "" };
    int nprot = 0;
    SEXP out = PROTECT(mkNamed(VECSXP, nm)); nprot++;
    SEXP coef = allocVector(REALSXP, p);       SET_VECTOR_ELT(out, 0, coef);
    SEXP cov = allocMatrix(REALSXP, p, p);     SET_VECTOR_ELT(out, 1, cov);
    SEXP pv = allocVector(INTSXP, p);          SET_VECTOR_ELT(out, 2, pv);
    SEXP rmat = allocMatrix(REALSXP, rank, rank); SET_VECTOR_ELT(out, 7, rmat);
    SEXP rd = allocVector(REALSXP, rank);      SET_VECTOR_ELT(out, 8, rd);
    SEXP sc = allocVector(REALSXP, p);         SET_VECTOR_ELT(out, 9, sc);
    SEXP nr = allocVector(REALSXP, p);         SET_VECTOR_ELT(out, 10, nr);
    double *cp = REAL(cov);
    for (R_xlen_t i = 0; i < (R_xlen_t) p * p; i++) cp[i] = NA_REAL;
    for (int j = 0; j < p; j++) {
        REAL(coef)[j] = F->beta[j];
        INTEGER(pv)[j] = F->piv[j] + 1;
        REAL(sc)[j] = F->c[j];
        REAL(nr)[j] = F->nrm[j];
    }
    for (int a1 = 0; a1 < rank; a1++)
        for (int b1 = 0; b1 < rank; b1++) {
            int ja = F->piv[a1], jb = F->piv[b1];
            cp[ja + (R_xlen_t) p * jb] =
                F->covs[a1 + (R_xlen_t) rank * b1] * F->c[ja] * F->c[jb];
        }
    for (int k = 0; k < rank; k++) REAL(rd)[k] = F->rdiag[k];
    if (rank > 0) memcpy(REAL(rmat), F->rhi, sizeof(double) * (size_t) rank * rank);
    SET_VECTOR_ELT(out, 3, ScalarInteger(rank));
    SET_VECTOR_ELT(out, 4, res);
    SET_VECTOR_ELT(out, 5, fit);
    SET_VECTOR_ELT(out, 6, ScalarReal((double) rss));
    SET_VECTOR_ELT(out, 11, ScalarReal(F->fi.rcond));
    SET_VECTOR_ELT(out, 12, mkString(fit_method_name(F->fi.method)));
    SET_VECTOR_ELT(out, 13, ScalarInteger(F->fi.steps));
    SET_VECTOR_ELT(out, 14, ScalarReal(F->tol));
    SET_VECTOR_ELT(out, 15, mom);
    SET_VECTOR_ELT(out, 16, ScalarInteger(F->fi.method == 4 ? F->fi.threads : 1));
    SEXP fst = mkNamed(REALSXP, colstat_names); SET_VECTOR_ELT(out, 17, fst);
    SEXP yst = mkNamed(REALSXP, colstat_names); SET_VECTOR_ELT(out, 18, yst);
    SEXP dws = mkNamed(REALSXP, dw_sum_names);  SET_VECTOR_ELT(out, 19, dws);
    const double swt = weight_sum(F->w, F->n);
    col_stats(REAL(fit), F->n, F->w, swt, REAL(fst));
    col_stats(F->y, F->n, F->w, swt, REAL(yst));
    dw_sums(REAL(res), REAL(fit), F->w, F->n, REAL(dws));
    SEXP sv = allocVector(REALSXP, rank);      SET_VECTOR_ELT(out, 20, sv);
    fit_singular_values(F, REAL(sv));
    UNPROTECT(nprot);
    return out;
}

/* ffi_linreg_fit(x, y, w, precision, tol, pbase, ppow, dwmom, threads):
 * x n x p double matrix (or list of columns), y length n, w NULL or
 * non-negative weights of length n, precision one of prec_names, tol the
 * rank tolerance factor (NA: max(n, p) * DBL_EPSILON), power terms (see
 * fit_powers), dwmom: also the Durbin-Watson moments on the one-pass
 * path.  Returns the list of fit_result().                               */
SEXP ffi_linreg_fit(SEXP x, SEXP y, SEXP w, SEXP precision, SEXP tol,
                SEXP pbase, SEXP ppow, SEXP dwmom, SEXP threads)
{
    int nprot = 0;
    lsfit F;
    need_real(y, "y");
    R_xlen_t nx;
    const double **xcols;
    F.p = lapack_dim(design_cols(x, &nx, &xcols), "ncol(x)");
    F.n = lapack_dim(nx, "nrow(x)");
    F.x = xcols;
    need_len(y, F.n, "y");
    F.y = REAL(y);
    F.w = NULL;
    if (!isNull(w)) { need_real(w, "w"); need_len(w, F.n, "w"); F.w = REAL(w); }
    F.prec = choice_code(precision, prec_names, PREC_N, "precision");
    int want_dw = scalar_int(dwmom, "dwmom");
    if (want_dw == NA_INTEGER) error("internal error: bad 'dwmom'");
    F.nthr = n_threads(threads);
    F.tol = lsq_tol(scalar_real(tol, "tol"), F.n, F.p);
    if ((double) F.n * F.p > (double) R_XLEN_T_MAX) error("internal error: design too large");
    fit_powers(&F, pbase, ppow);
    fit_alloc(&F);

    SEXP res = PROTECT(allocVector(REALSXP, F.n)); nprot++;
    SEXP fit = PROTECT(allocVector(REALSXP, F.n)); nprot++;
    const int use_dd = (F.prec == PREC_EXTENDED) ||
        (F.prec == PREC_AUTO && (double) F.n * F.p * F.p <= 1e6);
    const int B = fit_tsqr_rows(&F, use_dd);
    SEXP mom = R_NilValue;
    double *g1 = NULL, *g2 = NULL;
    if (want_dw && B > 0) {
        mom = PROTECT(allocVector(VECSXP, 2)); nprot++;
        SET_VECTOR_ELT(mom, 0, allocMatrix(REALSXP, F.p, F.p));
        SET_VECTOR_ELT(mom, 1, allocMatrix(REALSXP, F.p, F.p));
        g1 = REAL(VECTOR_ELT(mom, 0));
        g2 = REAL(VECTOR_ELT(mom, 1));
    }
    fit_solve(&F, B, g1, g2, REAL(res), REAL(fit));
    if (g1) {
        mom = PROTECT(dw_moments_list(VECTOR_ELT(mom, 0), VECTOR_ELT(mom, 1), F.p)); nprot++;
    }
    long double rss = fit_residuals(&F, REAL(res), REAL(fit));
    SEXP out = fit_result(&F, res, fit, rss, mom);
    UNPROTECT(nprot);
    return out;
}

/* Sum of the weights (n without weights), blocked.                      */
static double weight_sum(const double *wp, R_xlen_t n)
{
    if (!wp) return (double) n;
    double sw = 0.0;
    for (R_xlen_t i0 = 0; i0 < n; i0 += GVC_BLK) {
        R_xlen_t i1 = (n - i0 < GVC_BLK) ? n : i0 + GVC_BLK;
        double s = 0.0;
        for (R_xlen_t i = i0; i < i1; i++) s += wp[i];
        sw += s;
    }
    return sw;
}

/* Weighted mean and centred sum of squares of one column (two passes,
 * blocked summation, the mean corrected after the second pass: Chan, Golub
 * and LeVeque); out[0] the mean, out[1] the sum of squares.              */
static void col_stats(const double *xj, R_xlen_t n, const double *wp, double sw,
                      double *out)
{
    double s = 0.0;
    for (R_xlen_t i0 = 0; i0 < n; i0 += GVC_BLK) {
        R_xlen_t i1 = (n - i0 < GVC_BLK) ? n : i0 + GVC_BLK;
        double b = 0.0;
        if (wp) for (R_xlen_t i = i0; i < i1; i++) b += wp[i] * xj[i];
        else    for (R_xlen_t i = i0; i < i1; i++) b += xj[i];
        s += b;
    }
    double m = sw > 0 ? s / sw : 0.0, ss = 0.0, corr = 0.0;
    for (R_xlen_t i0 = 0; i0 < n; i0 += GVC_BLK) {
        R_xlen_t i1 = (n - i0 < GVC_BLK) ? n : i0 + GVC_BLK;
        double b = 0.0, c = 0.0;
        if (wp) for (R_xlen_t i = i0; i < i1; i++) {
            double d = xj[i] - m;
            b += wp[i] * d * d;
            c += wp[i] * d;
        } else for (R_xlen_t i = i0; i < i1; i++) {
            double d = xj[i] - m;
            b += d * d;
            c += d;
        }
        ss += b;
        corr += c;
    }
    if (sw > 0) ss -= corr * corr / sw;
    out[0] = m + (sw > 0 ? corr / sw : 0.0);
    out[1] = ss > 0 ? ss : 0.0;
}

/* ffi_linreg_colstats(x, w, threads): weighted column means and centred sums of
 * squares (col_stats) of a matrix or a vector; w NULL for unit weights;
 * columns shared among `threads` threads.  Returns a 2 x p matrix with
 * rows "mean" and "css" (centred sum of squares); a column holding a non-finite value gets a non-finite
 * mean or sum of squares. */
SEXP ffi_linreg_colstats(SEXP x, SEXP w, SEXP threads)
{
    int nthr = n_threads(threads);
    R_xlen_t n;
    const double **xcols;
    int p = design_cols(x, &n, &xcols);
    const double *wp = NULL;
    if (!isNull(w)) { need_real(w, "w"); need_len(w, n, "w"); wp = REAL(w); }
    int nprot = 0;
    SEXP out = PROTECT(allocMatrix(REALSXP, 2, p)); nprot++;
    SEXP dn = PROTECT(allocVector(VECSXP, 2)); nprot++;
    SEXP rn = allocVector(STRSXP, 2);
    SET_VECTOR_ELT(dn, 0, rn);
    for (int r = 0; r < 2; r++) SET_STRING_ELT(rn, r, mkChar(colstat_names[r]));
    setAttrib(out, R_DimNamesSymbol, dn);
    const double sw = weight_sum(wp, n);
    double *op = REAL(out);
#ifdef _OPENMP
#pragma omp parallel for num_threads(nthr) schedule(static) if (nthr > 1 && (double) n * p >= 1e6)
#endif
    for (int j = 0; j < p; j++) col_stats(xcols[j], n, wp, sw, op + 2 * j);
    UNPROTECT(nprot);
    return out;
}

/* ffi_linreg_nonfinite(x): for each column of the double matrix x, does it hold
 * a non-finite value (NA, NaN, Inf)?  One pass, no copy. */
SEXP ffi_linreg_nonfinite(SEXP x)
{
    R_xlen_t n;
    const double **xcols;
    int p = design_cols(x, &n, &xcols);
    int nprot = 0;
    SEXP out = PROTECT(allocVector(LGLSXP, p)); nprot++;
    for (int j = 0; j < p; j++) {
        const double *xj = xcols[j];
        int bad = 0;
        for (R_xlen_t i = 0; i < n && !bad; i++) if (!R_FINITE(xj[i])) bad = 1;
        LOGICAL(out)[j] = bad;
    }
    UNPROTECT(nprot);
    return out;
}
