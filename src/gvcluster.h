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
#include <stdint.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#ifndef FCONE
# define FCONE
#endif

/* ---- re-checks of what R should already have guaranteed ---------------- */

static inline void need_real(SEXP x, const char *what)
{
    if (TYPEOF(x) != REALSXP)
        error("internal error: '%s' must be a double vector (got %s)",
              what, type2char(TYPEOF(x)));
}

static inline void need_int(SEXP x, const char *what)
{
    if (TYPEOF(x) != INTSXP)
        error("internal error: '%s' must be an integer vector (got %s)",
              what, type2char(TYPEOF(x)));
}

static inline void need_len(SEXP x, R_xlen_t n, const char *what)
{
    if (XLENGTH(x) != n)
        error("internal error: '%s' has length %.0f, expected %.0f",
              what, (double) XLENGTH(x), (double) n);
}

static inline int scalar_int(SEXP x, const char *what)
{
    if ((TYPEOF(x) != INTSXP && TYPEOF(x) != LGLSXP) || XLENGTH(x) != 1)
        error("internal error: '%s' must be a single integer", what);
    return INTEGER(x)[0];
}

static inline double scalar_real(SEXP x, const char *what)
{
    if (TYPEOF(x) != REALSXP || XLENGTH(x) != 1)
        error("internal error: '%s' must be a single double", what);
    return REAL(x)[0];
}

/* BLAS and LAPACK take C int dimensions. */
static inline int lapack_dim(R_xlen_t n, const char *what)
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
static inline int n_threads(SEXP threads)
{
    int nthr = scalar_int(threads, "threads");
    if (nthr == NA_INTEGER || nthr < 1) error("internal error: bad 'threads'");
#ifdef _OPENMP
    if (nthr > omp_get_num_procs()) nthr = omp_get_num_procs();
    if (nthr > omp_get_thread_limit()) nthr = omp_get_thread_limit();
#else
    nthr = 1;
#endif
    return nthr;
}

/* ---- summation: one family, Kahan's compensated summation ---------------
 * Every long sum of doubles in the package (outside the least-squares core,
 * which works in long double and double-double for its refinement) is a
 * compensated sum: a running sum s and a compensation c that carries the
 * rounding error of each addition, so the error stays O(eps) instead of
 * O(n eps) over millions of terms. Two forms of the one scheme:
 *  - ksum: Neumaier's form (Kahan-Babuska), c accumulates the exact error of
 *    each addition whichever of s and x is larger, the value is s + c. For
 *    sums whose terms can be larger than the running sum or of either sign:
 *    the totals of partial sums (blocks, column segments, groups).
 *  - kahan / KAHAN(): Kahan's original step, c the error of the last step
 *    subtracted from the next term, the value s - c. Branch-free, so it runs
 *    at memory speed in the per-cell loops; used only where every term is
 *    non-negative or bounded by the running sum's scale, where Kahan's bound
 *    (2 eps sum|x|) holds and the two forms agree to the last bit or so.
 * Why not one form: Neumaier's branch costs time in the per-cell loops,
 * and Kahan's step loses the small addend when a term exceeds the sum.    */
typedef struct { double s, c; } ksum;

static inline void ksum_add(ksum *k, double x)
{
    double t = k->s + x;
    if (fabs(k->s) >= fabs(x)) k->c += (k->s - t) + x;
    else                       k->c += (x - t) + k->s;
    k->s = t;
}

static inline double ksum_value(const ksum *k) { return k->s + k->c; }

/* Compensated sum of n doubles. */
static inline double ksum_array(const double *x, R_xlen_t n)
{
    ksum k = {0.0, 0.0};
    for (R_xlen_t i = 0; i < n; i++) ksum_add(&k, x[i]);
    return ksum_value(&k);
}

/* Kahan's step on a sum S and compensation C (lvalues: struct fields or the
 * elements of separate arrays, the per-region accumulators of the kernels):
 * the one definition of the step. The value is S - C.                    */
#define KAHAN(S, C, X) do {                                                   \
        double y_ = (X) - (C);                                                \
        double t_ = (S) + y_;                                                 \
        (C) = (t_ - (S)) - y_;                                                \
        (S) = t_;                                                             \
    } while (0)

typedef struct { double s, c; } kahan;

static inline void kahan_add(kahan *k, double x) { KAHAN(k->s, k->c, x); }

/* ACC (a kahan) += TERM(0) + ... + TERM(N - 1), TERM a macro or
 * function of the index: Kahan sums of pairwise sums of four terms, so that
 * the running sum is no chain of dependent additions per term.            */
#define KAHAN_SUM4(ACC, TERM, N) do {                                         \
        R_xlen_t k4_ = 0, n4_ = (N);                                          \
        for (; k4_ + 4 <= n4_; k4_ += 4)                                      \
            kahan_add(&(ACC), (TERM(k4_) + TERM(k4_ + 1)) +                   \
                                  (TERM(k4_ + 2) + TERM(k4_ + 3)));           \
        for (; k4_ < n4_; k4_++) kahan_add(&(ACC), TERM(k4_));                \
    } while (0)

/* Long double scratch comes from R's own R_allocLD() (R >= 3.2), which
 * aligns for long double as R_alloc() does not.                          */

/* ---- choices and results by name (utils.c) ------------------------------
 * Nothing crosses the R/C boundary by position: a choice (an index, a
 * method, a type) comes from R as its name and is looked up in the one
 * table of names the C file defines; options come as named vectors and
 * results go back as named lists (mkNamed).                               */

/* The position in names[0 .. n - 1] of each string of `which` (a character
 * vector), in R_alloc'd memory; an unknown name is an internal error.    */
int *choice_codes(SEXP which, const char *const *names, int n,
                  const char *what);

/* The same for a single string.                                           */
int choice_code(SEXP which, const char *const *names, int n,
                const char *what);

/* The element called `name` of the named list or vector `x` (an internal
 * error when there is none).                                              */
SEXP named_elt(SEXP x, const char *name);

/* The integer element called `name` of the named integer vector `x`.     */
int named_int(SEXP x, const char *name);

/* ---- the least-squares core (linreg-qr.c) --------------------------------
 * Shared by linreg.c, linreg-tsqr.c and sensitivity.c: one equilibration,
 * one QR, one rank rule.                                                   */

/* The power of two nearest 1 / nrm (1 for a zero or non-finite norm).    */
double pow2_scale(double nrm);

/* The rank tolerance: tol, or max(n, p) * DBL_EPSILON when tol is NA.    */
double lsq_tol(double tol, double n, int p);

/* The rank rule on rdiag[0..mn-1], the |diagonal| of the R factor of the
 * equilibrated design (mn = min(rows, p)): full column rank (1) when
 * mn == p and rdiag[k] > tol max_l rdiag[l] for every k.  alias NULL, or
 * p flags: 1 for a column that fails the rule (every k >= mn).           */
int lsq_rank_rule(const double *rdiag, int mn, int p, double tol, int *alias);

/* Is the QR factor in a (n x p, leading dimension n, R in its upper
 * triangle) of full column rank: n >= p and |R_kk| > tol max_l |R_ll| for
 * every k?  Fills rdiag[k] = |R_kk|, k < min(n, p).                       */
int lsq_full_rank(const double *a, int n, int p, double tol, double *rdiag);

/* dgeqrf of the equilibrated design a (n x p, overwritten by the factor;
 * lwork from a workspace query), then lsq_full_rank.                      */
int lsq_qr(double *a, int n, int p, double *tau, double *work, int lwork,
           double tol, double *rdiag);

/* LINPACK's limited pivoting (dqrdc2, as lm()) of a (n x p, leading
 * dimension n, overwritten): a column whose remaining norm falls to tol
 * times its original norm or below is aliased and moves to the end, the
 * others keep their order.  Returns the rank; piv (0-based) the order;
 * qraux p, work 2p doubles.                                               */
int lsq_pivot_qr(double *a, int n, int p, double tol, int *piv, double *qraux,
                 double *work);

/* The reciprocal condition number (1-norm, dtrcon) of the upper triangular
 * R (rank x rank, leading dimension ldr); 0 when LAPACK fails.            */
double lsq_tri_rcond(const double *R, int ldr, int rank);

/* cov = R^-1 R^-T (rank x rank, full) of the upper triangular R (leading
 * dimension ldr), by dtrtri and dlauum as chol2inv().                     */
void lsq_tri_cov(const double *R, int ldr, int rank, double *cov);

/* The singular values (descending) of R diag(f), R k x k upper triangular
 * (leading dimension ldr), into sv[0..k-1] (dgesdd, as svd()).            */
void lsq_singular_values(const double *R, int ldr, int k, const double *f, double *sv);

/* ---- .Call entry points -------------------------------------------------
 * Every entry point (an `ffi_` shell: validates, allocates, calls kernels)
 * is declared here, once, and registered in init.c; the file that defines
 * it includes this header, so the compiler checks definition, prototype
 * and table against each other (-Wmissing-prototypes).                   */

/* lq.c (location quotients) */
SEXP ffi_lq_dense(SEXP x, SEXP dims, SEXP total, SEXP reference, SEXP reftot,
                  SEXP na_rm, SEXP type_, SEXP cutoff_, SEXP threads);
SEXP ffi_lq_sparse(SEXP x, SEXP i_, SEXP p_, SEXP dims, SEXP total,
                   SEXP reference, SEXP reftot, SEXP na_rm, SEXP type_,
                   SEXP cutoff_, SEXP threads);
SEXP ffi_lq_panel(SEXP value, SEXP region, SEXP industry, SEXP group,
                  SEXP opts, SEXP type_, SEXP total,
                  SEXP reference, SEXP reftot, SEXP cutoff_);

/* panel.c (panels) */
SEXP ffi_whole_codes(SEXP v, SEXP threads);
SEXP ffi_panel(SEXP region, SEXP industry, SEXP group, SEXP value,
               SEXP sum_dup, SEXP threads);

/* specialization.c (specialisation) */
SEXP ffi_specialization(SEXP x, SEXP ri, SEXP cp, SEXP dims, SEXP which,
                        SEXP reference, SEXP others, SEXP narm, SEXP weights,
                        SEXP threads);
SEXP ffi_specialization_panel(SEXP region, SEXP industry, SEXP group, SEXP value,
                              SEXP which, SEXP reference, SEXP others, SEXP narm,
                              SEXP weights, SEXP threads);

/* concentration.c (concentration) */
SEXP ffi_concentration(SEXP x, SEXP ri, SEXP cp, SEXP dims, SEXP which,
                       SEXP reference, SEXP narm, SEXP weights, SEXP threads);
SEXP ffi_concentration_panel(SEXP region, SEXP industry, SEXP group, SEXP value,
                             SEXP which, SEXP reference, SEXP narm, SEXP weights,
                             SEXP threads);

/* agglomeration.c (agglomeration) */
SEXP ffi_agglomeration(SEXP region, SEXP industry, SEXP group, SEXP value,
                       SEXP dims, SEXP pairs, SEXP threads);

/* shift-share.c (shift-share) */
SEXP ffi_shift_share(SEXP x, SEXP ri, SEXP cp, SEXP dims, SEXP method,
                     SEXP narm);
SEXP ffi_shift_share_panel(SEXP region, SEXP industry, SEXP time, SEXP value,
                           SEXP method, SEXP narm, SEXP threads);

/* linreg.c (linear regression), linreg-dw.c (its Durbin-Watson sums and moments) */
SEXP ffi_linreg_fit(SEXP x, SEXP y, SEXP w, SEXP precision, SEXP tol,
                    SEXP pbase, SEXP ppow, SEXP dwmom, SEXP threads);
SEXP ffi_linreg_colstats(SEXP x, SEXP w, SEXP threads);
SEXP ffi_linreg_dwmoments(SEXP x, SEXP w, SEXP cols, SEXP state);
SEXP ffi_linreg_dwstat(SEXP res, SEXP fit, SEXP w);
SEXP ffi_linreg_nonfinite(SEXP x);

/* sensitivity.c (sensitivity) */
SEXP ffi_sensitivity_draws(SEXP sV, SEXP sh, SEXP sX, SEXP sxvar, SEXP sicol,
                           SEXP sdraws, SEXP snormal, SEXP sperturb, SEXP sw,
                           SEXP stol);

/* evaluation.c (evaluation (entropy weights)) */
SEXP ffi_entropy_weights(SEXP x, SEXP cost, SEXP na_rm);

/* gvc.c (value chains) */
SEXP ffi_gvc_lu(SEXP M);
SEXP ffi_gvc_lu_solve(SEXP lu, SEXP ipiv, SEXP R, SEXP trans);
SEXP ffi_gvc_lu_inverse(SEXP lu, SEXP ipiv);
SEXP ffi_gvc_lu_z(SEXP Z, SEXP inv);
SEXP ffi_gvc_blocks_lu(SEXP Z, SEXP inv, SEXP bounds);
SEXP ffi_gvc_blocks_solve(SEXP lu, SEXP piv, SEXP bounds, SEXP R, SEXP trans);
SEXP ffi_gvc_ablock(SEXP Z, SEXP H, SEXP bounds);
SEXP ffi_gvc_self_diag(SEXP Z, SEXP inv, SEXP B, SEXP bounds);
SEXP ffi_gvc_cache_new(SEXP env);
SEXP ffi_gvc_cache_env(SEXP ptr);
SEXP ffi_gvc_zstats(SEXP Z);
SEXP ffi_gvc_bdiag_lu(SEXP B, SEXP bounds);
SEXP ffi_gvc_norm1(SEXP M, SEXP imat);

/* read-icio.c (value chains: the numeric blocks of a table read from a file) */
SEXP ffi_read_block(SEXP cols, SEXP rows, SEXP j, SEXP dimnames, SEXP threads);
SEXP ffi_read_shape(SEXP path, SEXP sep, SEXP skip);

/* relatedness.c (clusters: relatedness and complexity) */
SEXP ffi_rel_cooccurrence(SEXP x, SEXP i, SEXP p, SEXP dims, SEXP threads,
                          SEXP method);
SEXP ffi_rel_density(SEXP x, SEXP i, SEXP p, SEXP dims, SEXP phit, SEXP threads,
                     SEXP scale);
SEXP ffi_rel_pattern(SEXP x, SEXP i, SEXP p, SEXP dims);
SEXP ffi_rel_gain(SEXP x, SEXP i, SEXP p, SEXP dims, SEXP at, SEXP threads);

/* complexity.c (clusters: the iterations of complexity()) */
SEXP ffi_cx_complexity(SEXP p, SEXP i, SEXP tp, SEXP ti, SEXP dims,
                       SEXP method, SEXP opts, SEXP tol);

/* clusters.c (clusters(rule = "uscmp"): cell sums, LQs, flags, ranks) */
SEXP ffi_cl_uscmp_sums(SEXP region, SEXP cluster, SEXP period, SEXP emp,
                       SEXP est, SEXP dims);
SEXP ffi_cl_uscmp_strength(SEXP emp, SEXP est, SEXP rows, SEXP nat,
                           SEXP traded, SEXP dims);
/* spatial.c (space: contiguity, Moran's I and its permutation tests) */
SEXP ffi_spatial_contiguity(SEXP geoms, SEXP snap_, SEXP queen_);
SEXP ffi_moran_global(SEXP p, SEXP j, SEXP w, SEXP z, SEXP nsim_, SEXP kind_);
SEXP ffi_moran_local(SEXP p, SEXP j, SEXP w, SEXP z, SEXP s2_, SEXP nsim_,
                     SEXP kind_, SEXP draws_);
SEXP ffi_spatial_lag(SEXP p, SEXP j, SEXP w, SEXP x);

/* linreg-tsqr.c: the kernels of a streamed fit (R/remote-linreg.R) */
SEXP ffi_lsq_block(SEXP X, SEXP y, SEXP b, SEXP acc, SEXP gram);
SEXP ffi_lsq_tsqr(SEXP R, SEXP B);
SEXP ffi_lsq_colstats(SEXP acc, SEXP B);
SEXP ffi_lsq_cov_dd(SEXP acc);
SEXP ffi_lsq_rfactor(SEXP R, SEXP colnorm, SEXP n, SEXP tol);
SEXP ffi_lsq_correct(SEXP R, SEXP acc, SEXP b);

#endif

