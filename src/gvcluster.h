/* gvcluster.h - the small set of C helpers shared by every area.
 *
 * Conventions (see DESIGN.md):
 *  - SEXP shells validate, allocate and dispatch; kernels take plain pointers
 *    and lengths (R_xlen_t) and use no R API, so they can be reused.
 *  - user-facing checks live in R; the re-checks here raise internal errors.
 *  - LAPACK/BLAS through R's headers, USE_FC_LEN_T defined before any of them.
 */
#ifndef GVCLUSTER_H
#define GVCLUSTER_H

#define USE_FC_LEN_T
#include <R.h>
#include <Rinternals.h>
#include <R_ext/BLAS.h>
#include <R_ext/Lapack.h>
#include <limits.h>
#include <math.h>
#include <float.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#ifndef FCONE
# define FCONE
#endif

/* ---- re-checks of what R should already have guaranteed ---------------- */

static inline void gvc_need_real(SEXP x, const char *what)
{
    if (TYPEOF(x) != REALSXP)
        error("internal error: '%s' must be a double vector (got %s)",
              what, type2char(TYPEOF(x)));
}

static inline void gvc_need_int(SEXP x, const char *what)
{
    if (TYPEOF(x) != INTSXP)
        error("internal error: '%s' must be an integer vector (got %s)",
              what, type2char(TYPEOF(x)));
}

static inline void gvc_need_len(SEXP x, R_xlen_t n, const char *what)
{
    if (XLENGTH(x) != n)
        error("internal error: '%s' has length %.0f, expected %.0f",
              what, (double) XLENGTH(x), (double) n);
}

static inline int gvc_scalar_int(SEXP x, const char *what)
{
    if ((TYPEOF(x) != INTSXP && TYPEOF(x) != LGLSXP) || XLENGTH(x) != 1)
        error("internal error: '%s' must be a single integer", what);
    return INTEGER(x)[0];
}

static inline double gvc_scalar_real(SEXP x, const char *what)
{
    if (TYPEOF(x) != REALSXP || XLENGTH(x) != 1)
        error("internal error: '%s' must be a single double", what);
    return REAL(x)[0];
}

/* BLAS and LAPACK take C int dimensions. */
static inline int gvc_lapack_dim(R_xlen_t n, const char *what)
{
    if (n > INT_MAX)
        error("'%s' = %.0f exceeds the largest dimension LAPACK accepts (%d)",
              what, (double) n, INT_MAX);
    return (int) n;
}

/* ---- threads ------------------------------------------------------------
 * Threads to use (the R side passes getOption("gvcluster.threads", 2)): as
 * asked, but no more than the processors and the OpenMP thread limit; 1
 * without OpenMP. */
static inline int gvc_threads(SEXP threads)
{
    int nthr = gvc_scalar_int(threads, "threads");
    if (nthr == NA_INTEGER || nthr < 1) error("internal error: bad 'threads'");
#ifdef _OPENMP
    if (nthr > omp_get_num_procs()) nthr = omp_get_num_procs();
    if (nthr > omp_get_thread_limit()) nthr = omp_get_thread_limit();
#else
    nthr = 1;
#endif
    return nthr;
}

/* ---- compensated (Neumaier) summation ----------------------------------
 * Used wherever many values are accumulated (panel totals with millions of
 * rows): the error stays O(eps) instead of O(n eps).                       */
typedef struct { double s, c; } gvc_ksum;

static inline void gvc_ksum_add(gvc_ksum *k, double x)
{
    double t = k->s + x;
    if (fabs(k->s) >= fabs(x)) k->c += (k->s - t) + x;
    else                       k->c += (x - t) + k->s;
    k->s = t;
}

static inline double gvc_ksum_value(const gvc_ksum *k) { return k->s + k->c; }

/* Compensated sum of n doubles. */
static inline double gvc_ksum_array(const double *x, R_xlen_t n)
{
    gvc_ksum k = {0.0, 0.0};
    for (R_xlen_t i = 0; i < n; i++) gvc_ksum_add(&k, x[i]);
    return gvc_ksum_value(&k);
}

#endif
