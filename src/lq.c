/* lq.c - location quotients for dense matrices (and vectors), sparse
 * dgCMatrix values and long panels.
 *
 *   LQ[r, j] = (x[r, j] / T[r]) / (R[j] / RT)
 *
 * T[r]: the region's all-sector total (row sums of x unless given),
 * R[j]: the background's value of sector j (column sums unless given),
 * RT:   the background's all-sector total (sum of R unless given).
 * A total that is zero or NA makes the quotients it enters NA (never Inf or
 * NaN).  Variants (type): binary (LQ >= cutoff as 0/1), additive
 * (x/T - R/RT), log (log LQ, NA where LQ = 0) and standardised
 * ((LQ - 1) / (LQ + 1)).
 *
 * Every routine makes two passes over the data: one for the totals (and the
 * checks for negative and infinite values) and one that writes the result.
 * Totals are accumulated as plain sums over runs of at most LQ_RUN values,
 * folded into a compensated (Neumaier, ksum) sum: the error of every
 * total stays O(LQ_RUN * eps) relative, whatever the number of values, while
 * the inner loops stay free of the compensation's branches.
 *
 * Input problems are not raised here: the entry points return
 * list(status, where) and R turns it into a message naming the argument.
 */
#include "gvcluster.h"
#include "stack.h"
#include <string.h>
#include <stdint.h>

#define LQ_RUN 32

/* The types of LQ, as R names them in `type`.                            */
enum { LQ_RATIO, LQ_BINARY, LQ_ADDITIVE, LQ_LOG, LQ_STD, LQ_NTYPE };
static const char *const lq_type_names[LQ_NTYPE] = {
    "ratio", "binary", "additive", "log", "standardized"
};

/* Problems with the input, reported to R by name (see lq_status).        */
enum { LQ_OK, LQ_NEGATIVE, LQ_INFINITE, LQ_DUPLICATE, LQ_NOREF, LQ_NAN,
       LQ_RESCALE, LQ_MALFORMED, LQ_NSTATUS };
static const char *const lq_status_names[LQ_NSTATUS] = {
    "ok", "negative", "infinite", "duplicate", "no_reference", "nan", "rescale",
    "malformed"
};

/* list(status = its name, where = the row it concerns, or 0).            */
static SEXP lq_status(int status, double where)
{
    const char *names[] = {"status", "where", ""};
    int nprot = 0;
    SEXP ans = PROTECT(mkNamed(VECSXP, names)); nprot++;
    SET_VECTOR_ELT(ans, 0, mkString(lq_status_names[status]));
    SET_VECTOR_ELT(ans, 1, ScalarReal(where));
    UNPROTECT(nprot);
    return ans;
}

static int lq_type_arg(SEXP type)
{
    return choice_code(type, lq_type_names, LQ_NTYPE, "type");
}

/* An optional double vector: NULL or of length n. */
static const double *lq_opt_real(SEXP x, R_xlen_t n, const char *what)
{
    if (isNull(x)) return NULL;
    need_real(x, what);
    need_len(x, n, what);
    return REAL(x);
}

/* ---- the last step, shared by all shapes ----------------------------- */

static inline double lq_finish(double r, int type, double cutoff)
{
    if (ISNAN(r)) return NA_REAL;
    switch (type) {
    case LQ_BINARY: return r >= cutoff ? 1.0 : 0.0;
    case LQ_LOG:    return r > 0.0 ? log(r) : NA_REAL;
    case LQ_STD:    return (r - 1.0) / (r + 1.0);
    default:        return r;
    }
}

/* One cell from its four ingredients, by divisions (the panel and the
 * fallback path).  !(t > 0) is true for 0 and NaN alike. */
static inline double lq_cell(double v, double t, double rj, double rt,
                             int type, double cutoff)
{
    if (!(t > 0.0) || !(rt > 0.0)) return NA_REAL;
    if (type == LQ_ADDITIVE) {
        double s = v / t - rj / rt;
        return ISNAN(s) ? NA_REAL : s;
    }
    if (!(rj > 0.0)) return NA_REAL;
    return lq_finish((v / t) / (rj / rt), type, cutoff);
}

static inline int lq_normal(double f) { return R_FINITE(f) && f >= DBL_MIN; }

/* Row and column factors of the multiplication path:
 *   ratio-like: a[r] = 1 / T[r], b[j] = RT / R[j], LQ = x * a * b;
 *   additive:   a[r] = 1 / T[r], b[j] = R[j] / RT, x * a - b.
 * Unusable totals give NA factors.  Returns 0 when some usable total is so
 * small or large that its reciprocal is not a normal number: the caller then
 * uses division (a[r] = T[r], b[j] = R[j] / RT) instead. */
static int lq_factors(const double *T, R_xlen_t nr, const double *R, R_xlen_t nc,
                      double rt, int type, double *a, double *b, int fast)
{
    int ok = 1;
    if (fast) {
        for (R_xlen_t r = 0; r < nr; r++) {
            double t = T[r];
            a[r] = (t > 0.0) ? 1.0 / t : NA_REAL;
            if (t > 0.0 && !lq_normal(a[r])) ok = 0;
        }
        for (R_xlen_t j = 0; j < nc; j++) {
            double rj = R[j];
            if (!(rt > 0.0)) b[j] = NA_REAL;
            else if (type == LQ_ADDITIVE) b[j] = rj / rt;
            else {
                b[j] = (rj > 0.0) ? rt / rj : NA_REAL;
                if (rj > 0.0 && !lq_normal(b[j])) ok = 0;
            }
        }
        if (ok) return 1;
    }
    for (R_xlen_t r = 0; r < nr; r++) a[r] = (T[r] > 0.0) ? T[r] : NA_REAL;
    for (R_xlen_t j = 0; j < nc; j++)
        b[j] = (rt > 0.0 && (type == LQ_ADDITIVE || R[j] > 0.0)) ? R[j] / rt : NA_REAL;
    return 0;
}

/* Compensated total of n values (the background total), NaN skipped when
 * narm. */
static double lq_sum(const double *x, R_xlen_t n, int narm)
{
    ksum k = {0.0, 0.0};
    for (R_xlen_t i = 0; i < n; i++) {
        double v = x[i];
        if (narm && ISNAN(v)) continue;
        ksum_add(&k, v);
    }
    return ksum_value(&k);
}

static int lq_has_inf(const double *x, R_xlen_t n)
{
    for (R_xlen_t i = 0; i < n; i++)
        if (isinf(x[i])) return 1;
    return 0;
}

/* ---- dense ----------------------------------------------------------- */

/* Pass 1 over the columns c0 .. c1 - 1 (c0 a multiple of LQ_RUN) of a
 * column-major matrix with nr rows: column totals into ck, negative values
 * flagged (bit 1), an NA or NaN skipped under narm flagged (bit 2), the
 * largest value (NaN ignored) into *hi.  Each column is summed over runs of
 * 4 * LQ_RUN rows in four lanes; rows plainly over blocks of LQ_RUN columns
 * (in work), each block's sums then folded into rk, or, with rk NULL,
 * accumulated in a slice of B of their own (B zeroed, one slice of nr per
 * block) for the caller to fold in order.                               */
static inline int dense_totals_part(const double *restrict x, R_xlen_t nr,
                                    R_xlen_t c0, R_xlen_t c1, const int narm,
                                    ksum *restrict rk, double *restrict work,
                                    double *restrict B, ksum *restrict ck,
                                    double *hi)
{
    int neg = 0, nan = 0;
    double m0 = 0.0, m1 = 0.0, m2 = 0.0, m3 = 0.0;
    if (rk) for (R_xlen_t r = 0; r < nr; r++) work[r] = 0.0;
    for (R_xlen_t j0 = c0; j0 < c1; j0 += LQ_RUN) {
        R_xlen_t j1 = (c1 - j0 > LQ_RUN) ? j0 + LQ_RUN : c1;
        double *restrict w = rk ? work : B + ((j0 - c0) / LQ_RUN) * nr;
        for (R_xlen_t j = j0; j < j1; j++) {
            const double *restrict xj = x + j * nr;
            ksum k = {0.0, 0.0};
            for (R_xlen_t i0 = 0; i0 < nr; i0 += 4 * LQ_RUN) {
                R_xlen_t i1 = (nr - i0 > 4 * LQ_RUN) ? i0 + 4 * LQ_RUN : nr, i = i0;
                double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
                for (; i + 4 <= i1; i += 4) {
                    double v0 = xj[i], v1 = xj[i + 1], v2 = xj[i + 2], v3 = xj[i + 3];
                    if (narm) {
                        nan |= (v0 != v0) | (v1 != v1) | (v2 != v2) | (v3 != v3);
                        v0 = (v0 == v0) ? v0 : 0.0; v1 = (v1 == v1) ? v1 : 0.0;
                        v2 = (v2 == v2) ? v2 : 0.0; v3 = (v3 == v3) ? v3 : 0.0;
                    }
                    neg |= (v0 < 0.0) | (v1 < 0.0) | (v2 < 0.0) | (v3 < 0.0);
                    m0 = (v0 > m0) ? v0 : m0; m1 = (v1 > m1) ? v1 : m1;
                    m2 = (v2 > m2) ? v2 : m2; m3 = (v3 > m3) ? v3 : m3;
                    w[i] += v0; w[i + 1] += v1; w[i + 2] += v2; w[i + 3] += v3;
                    s0 += v0; s1 += v1; s2 += v2; s3 += v3;
                }
                for (; i < i1; i++) {
                    double v = xj[i];
                    if (narm) { nan |= (v != v); v = (v == v) ? v : 0.0; }
                    neg |= (v < 0.0);
                    m0 = (v > m0) ? v : m0;
                    w[i] += v;
                    s0 += v;
                }
                ksum_add(&k, (s0 + s1) + (s2 + s3));
            }
            ck[j] = k;
        }
        if (rk) {
            for (R_xlen_t r = 0; r < nr; r++) {
                ksum_add(&rk[r], work[r]);
                work[r] = 0.0;
            }
        }
    }
    m0 = (m1 > m0) ? m1 : m0; m2 = (m3 > m2) ? m3 : m2;
    *hi = (m2 > m0) ? m2 : m0;
    return neg | (nan << 1);
}

/* Pass 1 over a column-major nr x nc matrix: row totals into rk (zeroed
 * here), column totals into ck, the flags and *hi of dense_totals_part().
 * With nt > 1 threads the columns are split into nt ranges of whole
 * blocks; the first range folds its rows into rk as it goes, the others
 * keep their blocks' row sums in B, folded into rk after them in column
 * order: every addition and its order are those of one thread, so the
 * totals are the same bit for bit.  B costs nr doubles per block of the
 * later ranges (about 1/LQ_RUN of x with two threads).  The one pass over
 * the data before the result is written.                                */
/* Cells (entries) from which lq()'s passes share their columns between
 * threads: a pass does far less per cell than an index kernel (whose
 * threshold is IDX_PAR_MIN), so the threads pay for themselves only on
 * larger inputs.  LQ_PAR_FOR splits a loop over columns when `par` holds
 * (with `nt` threads) in the passes that write the result cell by cell,
 * so that the result does not depend on the threads.                    */
#define LQ_PAR_MIN 262144
#ifdef _OPENMP
#define LQ_PAR_FOR _Pragma("omp parallel for num_threads(nt) schedule(static) if (par)")
#else
#define LQ_PAR_FOR
#endif
static int dense_totals(const double *restrict x, R_xlen_t nr, R_xlen_t nc,
                        const int narm, int nt, ksum *restrict rk,
                        double *restrict work, ksum *restrict ck, double *hi)
{
    for (R_xlen_t r = 0; r < nr; r++) rk[r].s = rk[r].c = 0.0;
    R_xlen_t nblk = (nc + LQ_RUN - 1) / LQ_RUN;
    if (nt > nblk) nt = (int) nblk;
    if (nt < 2 || (double) nr * (double) nc < LQ_PAR_MIN)
        return narm ? dense_totals_part(x, nr, 0, nc, 1, rk, work, NULL, ck, hi)
                    : dense_totals_part(x, nr, 0, nc, 0, rk, work, NULL, ck, hi);
    /* range t holds blocks first[t] .. first[t + 1] - 1 */
    R_xlen_t *first = (R_xlen_t *) R_alloc(nt + 1, sizeof(R_xlen_t));
    for (int t = 0; t <= nt; t++) first[t] = (R_xlen_t) ((double) nblk * t / nt);
    R_xlen_t later = nblk - first[1];
    double *B = (double *) R_alloc(later * nr, sizeof(double));
    memset(B, 0, (size_t) (later * nr) * sizeof(double));
    int *flag = (int *) R_alloc(nt, sizeof(int));
    double *his = (double *) R_alloc(nt, sizeof(double));
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static, 1)
#endif
    for (int t = 0; t < nt; t++) {
        R_xlen_t c0 = first[t] * LQ_RUN, c1 = first[t + 1] * LQ_RUN;
        if (c1 > nc) c1 = nc;
        ksum *rkt = t == 0 ? rk : NULL;
        double *Bt = t == 0 ? NULL : B + (first[t] - first[1]) * nr;
        flag[t] = narm ? dense_totals_part(x, nr, c0, c1, 1, rkt, work, Bt, ck, &his[t])
                       : dense_totals_part(x, nr, c0, c1, 0, rkt, work, Bt, ck, &his[t]);
    }
    for (R_xlen_t b = 0; b < later; b++) {
        const double *Bb = B + b * nr;
        for (R_xlen_t r = 0; r < nr; r++) ksum_add(&rk[r], Bb[r]);
    }
    int flags = 0;
    double h = 0.0;
    for (int t = 0; t < nt; t++) {
        flags |= flag[t];
        h = his[t] > h ? his[t] : h;
    }
    *hi = h;
    return flags;
}

/* The largest of n values, NaN ignored, and 0 if none is positive.      */
static double lq_max(const double *x, R_xlen_t n)
{
    double m = 0.0;
    if (x) for (R_xlen_t i = 0; i < n; i++) m = (x[i] > m) ? x[i] : m;
    return m;
}

static int lq_has_nan(const double *x, R_xlen_t n)
{
    for (R_xlen_t i = 0; i < n; i++) if (R_IsNaN(x[i])) return 1;
    return 0;
}

/* The checks after pass 1, in the order R reports them: a NaN (looked for
 * only when a total is not finite or one was skipped), a negative value,
 * an infinite one, then values so large or small (hi, the largest of x and
 * its given totals; cnt values) that R must rescale them by a power of 2
 * first (lq_pow2() in R; the LQ is invariant to it).                     */
static int lq_pass1_status(const double *xx, R_xlen_t n, int flags, int nonfinite,
                           double hi, double cnt)
{
    if ((nonfinite || (flags & 2)) && lq_has_nan(xx, n)) return LQ_NAN;
    if (flags & 1) return LQ_NEGATIVE;
    if (nonfinite && lq_has_inf(xx, n)) return LQ_INFINITE;
    if (R_FINITE(hi) && hi > 0.0 &&
        !(hi * cnt < ldexp(1.0, 1000) && hi > ldexp(1.0, -900)))
        return LQ_RESCALE;
    return LQ_OK;
}

/* The row and column factors of the LQ from the margins T (regions) and R
 * (industries), after replacing them by those given (T0, R0, RT0: the
 * reference margins, NULL when not given). Returns lq_factors()'s fast
 * flag; a and b are R_alloc'd. */
static int lq_given_factors(double *T, R_xlen_t nr, double *R, R_xlen_t nc,
                            const double *T0, const double *R0, const double *RT0,
                            int narm, int type, double **a, double **b)
{
    if (T0) memcpy(T, T0, nr * sizeof(double));
    if (R0) memcpy(R, R0, nc * sizeof(double));
    double rt = RT0 ? RT0[0] : lq_sum(R, nc, narm);
    *a = (double *) R_alloc(nr > 0 ? nr : 1, sizeof(double));
    *b = (double *) R_alloc(nc > 0 ? nc : 1, sizeof(double));
    return lq_factors(T, nr, R, nc, rt, type, *a, *b, 1);
}

/* One region (a vector, or a one-row matrix): no scratch arrays as long as
 * x; each column total is the value itself. */
static SEXP lq_vector(SEXP x, R_xlen_t nc, const double *T0, const double *R0,
                      const double *RT0, int narm, int type, double cutoff)
{
    const double *xx = REAL(x);
    int neg = 0, nan = 0;
    double hi = lq_max(T0, 1);
    ksum k = {0.0, 0.0};
    for (R_xlen_t j0 = 0; j0 < nc; j0 += 4 * LQ_RUN) {
        R_xlen_t j1 = (nc - j0 > 4 * LQ_RUN) ? j0 + 4 * LQ_RUN : nc, j = j0;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        for (; j + 4 <= j1; j += 4) {
            double v0 = xx[j], v1 = xx[j + 1], v2 = xx[j + 2], v3 = xx[j + 3];
            if (narm) {
                nan |= (v0 != v0) | (v1 != v1) | (v2 != v2) | (v3 != v3);
                v0 = (v0 == v0) ? v0 : 0.0; v1 = (v1 == v1) ? v1 : 0.0;
                v2 = (v2 == v2) ? v2 : 0.0; v3 = (v3 == v3) ? v3 : 0.0;
            }
            neg |= (v0 < 0.0) | (v1 < 0.0) | (v2 < 0.0) | (v3 < 0.0);
            hi = (v0 > hi) ? v0 : hi; hi = (v1 > hi) ? v1 : hi;
            hi = (v2 > hi) ? v2 : hi; hi = (v3 > hi) ? v3 : hi;
            s0 += v0; s1 += v1; s2 += v2; s3 += v3;
        }
        for (; j < j1; j++) {
            double v = xx[j];
            if (narm) { nan |= (v != v); v = (v == v) ? v : 0.0; }
            neg |= (v < 0.0);
            hi = (v > hi) ? v : hi;
            s0 += v;
        }
        ksum_add(&k, (s0 + s1) + (s2 + s3));
    }
    double sx = ksum_value(&k);
    int st = lq_pass1_status(xx, nc, neg | (nan << 1), !R_FINITE(sx), hi,
                             (double) nc + (T0 ? 1.0 : 0.0));
    if (st != LQ_OK) return lq_status(st, st == LQ_RESCALE ? hi : 0);
    double t = T0 ? T0[0] : sx;
    /* the background total: of the reference, or of x's column totals */
    double rt = RT0 ? RT0[0] : (R0 ? lq_sum(R0, nc, narm) : sx);
    int nprot = 0;
    SEXP ans = PROTECT(allocVector(REALSXP, nc)); nprot++;
    double *out = REAL(ans);
    for (R_xlen_t j = 0; j < nc; j++) {
        double v = xx[j];
        double rj = R0 ? R0[j] : ((narm && ISNAN(v)) ? 0.0 : v);
        out[j] = lq_cell(v, t, rj, rt, type, cutoff);
    }
    DUPLICATE_ATTRIB(ans, x);
    UNPROTECT(nprot);
    return ans;
}

/* Pass 1 of the dense path: the row totals T and column totals R (NAs
 * skipped with narm), the largest value into *hi (with T0's, the totals
 * given); lq_pass1_status()'s verdict.                                   */
static int lq_dense_margins(const double *xx, R_xlen_t nr, R_xlen_t nc, int narm,
                            int nt, const double *T0, double *T, double *R,
                            double *hi)
{
    ksum *rk = (ksum *) R_alloc(nr > 0 ? nr : 1, sizeof(ksum));
    ksum *ck = (ksum *) R_alloc(nc > 0 ? nc : 1, sizeof(ksum));
    double *work = (double *) R_alloc(nr > 0 ? nr : 1, sizeof(double));
    int flags = dense_totals(xx, nr, nc, narm, nt, rk, work, ck, hi);
    double h0 = lq_max(T0, nr);
    if (h0 > *hi || !(*hi == *hi)) *hi = h0;

    /* totals; a non-finite one means an NA or an infinite value went in
     * (or an overflow, which the rescaling check catches) */
    int nonfinite = 0;
    for (R_xlen_t r = 0; r < nr; r++) {
        T[r] = ksum_value(&rk[r]);
        if (!R_FINITE(T[r])) nonfinite = 1;
    }
    for (R_xlen_t j = 0; j < nc; j++) {
        R[j] = ksum_value(&ck[j]);
        if (!R_FINITE(R[j])) nonfinite = 1;
    }
    return lq_pass1_status(xx, nr * nc, flags, nonfinite, *hi,
                           (double) nr * (double) nc + (T0 ? (double) nr : 0.0));
}

/* Pass 2 of the dense path: every cell from its row and column factors
 * (lq_factors; fast: multiplications, else divisions).                  */
static void lq_dense_write(const double *restrict xx, R_xlen_t nr, R_xlen_t nc,
                           const double *restrict a, const double *restrict b,
                           int fast, int type, double cutoff, int nt,
                           double *restrict out)
{
    const int par = nt > 1 && (double) nr * (double) nc >= LQ_PAR_MIN;
    (void) par;
#define LQ_DENSE_LOOP(BODY)                                              \
    LQ_PAR_FOR                                                           \
    for (R_xlen_t j = 0; j < nc; j++) {                                  \
        const double *restrict xj = xx + j * nr;                         \
        double *restrict oj = out + j * nr;                              \
        const double bj = b[j];                                          \
        for (R_xlen_t i = 0; i < nr; i++) {                              \
            const double v = xj[i], ai = a[i];                           \
            BODY;                                                        \
        }                                                                \
    }
    if (fast && type == LQ_RATIO) {
        LQ_DENSE_LOOP(double q = v * ai * bj; oj[i] = (q == q) ? q : NA_REAL)
    } else if (type == LQ_ADDITIVE) {
        if (fast) {
            LQ_DENSE_LOOP(double q = v * ai - bj; oj[i] = (q == q) ? q : NA_REAL)
        } else {
            LQ_DENSE_LOOP(double q = v / ai - bj; oj[i] = (q == q) ? q : NA_REAL)
        }
    } else if (fast) {
        LQ_DENSE_LOOP(oj[i] = lq_finish(v * ai * bj, type, cutoff))
    } else {
        LQ_DENSE_LOOP(oj[i] = lq_finish((v / ai) / bj, type, cutoff))
    }
#undef LQ_DENSE_LOOP
}

/* ffi_lq_dense(x, dims, total, reference, reference_total, na_rm, type, cutoff,
 *              threads)
 * x: a double vector holding an nr x nc column-major matrix (dims =
 * c(nr, nc) as doubles, so that a long vector can be one row).  total,
 * reference, reference_total: NULL or double vectors of length nr, nc, 1.
 * threads: the most threads for the two passes over a large x (the result
 * is the same with any number).
 * Returns a double vector with x's attributes, or list(status, where). */
SEXP ffi_lq_dense(SEXP x, SEXP dims, SEXP total, SEXP reference, SEXP reftot,
              SEXP na_rm, SEXP type_, SEXP cutoff_, SEXP threads)
{
    need_real(x, "x");
    need_real(dims, "dims");
    need_len(dims, 2, "dims");
    double dnr = REAL(dims)[0], dnc = REAL(dims)[1];
    if (!(dnr >= 0 && dnc >= 0) || dnr * dnc != (double) XLENGTH(x))
        error("internal error: 'dims' do not match the length of 'x'");
    R_xlen_t nr = (R_xlen_t) dnr, nc = (R_xlen_t) dnc, n = XLENGTH(x);
    const double *T0 = lq_opt_real(total, nr, "total");
    const double *R0 = lq_opt_real(reference, nc, "reference");
    const double *RT0 = lq_opt_real(reftot, 1, "reference_total");
    int narm = scalar_int(na_rm, "na_rm");
    int type = lq_type_arg(type_);
    double cutoff = scalar_real(cutoff_, "cutoff");
    int nt = n_threads(threads);
    if (nr == 1) return lq_vector(x, nc, T0, R0, RT0, narm, type, cutoff);
    const double *xx = REAL(x);

    double *T = (double *) R_alloc(nr > 0 ? nr : 1, sizeof(double));
    double *R = (double *) R_alloc(nc > 0 ? nc : 1, sizeof(double));
    double hi;
    int st = lq_dense_margins(xx, nr, nc, narm, nt, T0, T, R, &hi);
    if (st != LQ_OK) return lq_status(st, st == LQ_RESCALE ? hi : 0);
    double *a, *b;
    int fast = lq_given_factors(T, nr, R, nc, T0, R0, RT0, narm, type, &a, &b);

    int nprot = 0;
    SEXP ans = PROTECT(allocVector(REALSXP, n)); nprot++;
    lq_dense_write(xx, nr, nc, a, b, fast, type, cutoff, nt, REAL(ans));

    DUPLICATE_ATTRIB(ans, x);
    UNPROTECT(nprot);
    return ans;
}

/* ---- sparse (the x slot of a dgCMatrix) ------------------------------- */

/* Pass 1 over the entries of a dgCMatrix: column totals into R (four lanes
 * over runs of 4 * LQ_RUN entries), row totals into rk by scatter into plain
 * partial sums that are folded either after every block of LQ_RUN columns
 * (blocks) or after LQ_RUN additions to the row (a counter per row).  The
 * same pass checks the slots (row indices in range, increasing within each
 * column: *badi) and flags NaN (with narm; without, a NaN leaves a total
 * not finite): R checks nothing O(nnz) before the call. */
#define LQ_SCATTER(r, v)                                                   \
    do {                                                                   \
        if ((unsigned) (r) >= (unsigned) nr) { *badi = 1; break; }         \
        work[r] += (v);                                                    \
        if (!blocks && ++cnt[r] == LQ_RUN) {                               \
            ksum_add(&rk[r], work[r]);                                 \
            work[r] = 0.0;                                                 \
            cnt[r] = 0;                                                    \
        }                                                                  \
    } while (0)
static inline int sparse_totals(const double *restrict xx, const int *restrict ri,
                                const int *restrict pp, R_xlen_t nr, R_xlen_t nc,
                                const int narm, const int blocks,
                                ksum *restrict rk, double *restrict work,
                                unsigned char *restrict cnt, double *restrict R,
                                int *badi, int *nan)
{
    int neg = 0, isnan_ = 0, order = 0;
    for (R_xlen_t j = 0; j < nc; j++) {
        ksum k = {0.0, 0.0};
        int prev = -1;
        for (R_xlen_t k0 = pp[j]; k0 < pp[j + 1]; k0 += 4 * LQ_RUN) {
            R_xlen_t k1 = (pp[j + 1] - k0 > 4 * LQ_RUN) ? k0 + 4 * LQ_RUN : pp[j + 1];
            R_xlen_t kk = k0;
            double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
            for (; kk + 4 <= k1; kk += 4) {
                double v0 = xx[kk], v1 = xx[kk + 1], v2 = xx[kk + 2], v3 = xx[kk + 3];
                if (narm) {
                    isnan_ |= (v0 != v0) | (v1 != v1) | (v2 != v2) | (v3 != v3);
                    v0 = (v0 == v0) ? v0 : 0.0; v1 = (v1 == v1) ? v1 : 0.0;
                    v2 = (v2 == v2) ? v2 : 0.0; v3 = (v3 == v3) ? v3 : 0.0;
                }
                neg |= (v0 < 0.0) | (v1 < 0.0) | (v2 < 0.0) | (v3 < 0.0);
                const int r0 = ri[kk], r1 = ri[kk + 1], r2 = ri[kk + 2], r3 = ri[kk + 3];
                order |= (r0 <= prev) | (r1 <= r0) | (r2 <= r1) | (r3 <= r2);
                prev = r3;
                LQ_SCATTER(ri[kk], v0);
                LQ_SCATTER(ri[kk + 1], v1);
                LQ_SCATTER(ri[kk + 2], v2);
                LQ_SCATTER(ri[kk + 3], v3);
                s0 += v0; s1 += v1; s2 += v2; s3 += v3;
            }
            for (; kk < k1; kk++) {
                double v = xx[kk];
                if (narm) { isnan_ |= (v != v); v = (v == v) ? v : 0.0; }
                neg |= (v < 0.0);
                order |= ri[kk] <= prev;
                prev = ri[kk];
                LQ_SCATTER(ri[kk], v);
                s0 += v;
            }
            ksum_add(&k, (s0 + s1) + (s2 + s3));
        }
        R[j] = ksum_value(&k);
        if (blocks && ((j + 1) % LQ_RUN == 0 || j + 1 == nc)) {
            for (R_xlen_t r = 0; r < nr; r++) {
                ksum_add(&rk[r], work[r]);
                work[r] = 0.0;
            }
        }
    }
    *nan = isnan_;
    *badi |= order;
    return neg;
}
#undef LQ_SCATTER

/* Pass 1 of the sparse path: row totals T and column totals R over the
 * stored entries; LQ_NEGATIVE, LQ_INFINITE or LQ_OK.                    */
static int lq_sparse_margins(const double *xx, const int *ri, const int *pp,
                             R_xlen_t nr, R_xlen_t nc, int narm, const double *T0,
                             double *T, double *R, double *hi_out)
{
    ksum *rk = (ksum *) R_alloc(nr > 0 ? nr : 1, sizeof(ksum));
    double *work = (double *) R_alloc(nr > 0 ? nr : 1, sizeof(double));
    unsigned char *cnt = (unsigned char *) R_alloc(nr > 0 ? nr : 1, 1);
    for (R_xlen_t r = 0; r < nr; r++) { rk[r].s = rk[r].c = 0.0; work[r] = 0.0; cnt[r] = 0; }
    /* fold every row after each block of LQ_RUN columns while that costs
     * O(nnz) (at least one entry in LQ_RUN cells); otherwise count each
     * row's additions */
    int blocks = (double) pp[nc] * LQ_RUN >= (double) nr * (double) nc;
    int neg, badi = 0, nan = 0;
    if (narm) neg = blocks ? sparse_totals(xx, ri, pp, nr, nc, 1, 1, rk, work, cnt, R, &badi, &nan)
                           : sparse_totals(xx, ri, pp, nr, nc, 1, 0, rk, work, cnt, R, &badi, &nan);
    else      neg = blocks ? sparse_totals(xx, ri, pp, nr, nc, 0, 1, rk, work, cnt, R, &badi, &nan)
                           : sparse_totals(xx, ri, pp, nr, nc, 0, 0, rk, work, cnt, R, &badi, &nan);
    if (badi) return LQ_MALFORMED;
    int nonfinite = 0;
    for (R_xlen_t r = 0; r < nr; r++) {
        ksum_add(&rk[r], work[r]);
        T[r] = ksum_value(&rk[r]);
        if (!R_FINITE(T[r])) nonfinite = 1;
    }
    /* the largest value (rescaling, see lq_pass1_status) from the column
     * totals when they bound it well enough, max(R) / cnt <= max x <=
     * max(R) (values >= 0), so no pass of its own; otherwise (totals near
     * the ends of the double range, all zero, or not finite) looked up */
    const double nval = (double) pp[nc] + (T0 ? (double) nr : 0.0);
    const double mr = lq_max(R, nc), mt = lq_max(T0, nr);
    double lo = mr / nval > mt ? mr / nval : mt, hi = mr > mt ? mr : mt;
    if (!(hi * nval < ldexp(1.0, 1000) && lo > ldexp(1.0, -900)))
    {
        const double mx = lq_max(xx, pp[nc]);
        hi = mx > mt ? mx : mt;
    }
    *hi_out = hi;
    return lq_pass1_status(xx, pp[nc], neg | (nan << 1), nonfinite, hi, nval);
}

/* Pass 2 of the sparse path: every stored entry from its row and column
 * factors.                                                              */
static void lq_sparse_write(const double *restrict xx, const int *restrict ri,
                            const int *restrict pp, R_xlen_t nc,
                            const double *restrict a, const double *restrict b,
                            int fast, int type, double cutoff, int nt,
                            double *restrict out)
{
    const int par = nt > 1 && (double) pp[nc] >= LQ_PAR_MIN;
    (void) par;
#define LQ_SPARSE_LOOP(BODY)                                             \
    LQ_PAR_FOR                                                           \
    for (R_xlen_t j = 0; j < nc; j++) {                                  \
        const double bj = b[j];                                          \
        for (R_xlen_t kk = pp[j]; kk < pp[j + 1]; kk++) {                \
            const double v = xx[kk], ai = a[ri[kk]];                     \
            BODY;                                                        \
        }                                                                \
    }
    if (fast && type == LQ_RATIO) {
        LQ_SPARSE_LOOP(double q = v * ai * bj; out[kk] = (q == q) ? q : NA_REAL)
    } else if (fast) {
        LQ_SPARSE_LOOP(out[kk] = lq_finish(v * ai * bj, type, cutoff))
    } else {
        LQ_SPARSE_LOOP(out[kk] = lq_finish((v / ai) / bj, type, cutoff))
    }
#undef LQ_SPARSE_LOOP
}

/* ffi_lq_sparse(x, i, p, dims, total, reference, reference_total, na_rm, type,
 * cutoff, threads): x, i, p the slots of a dgCMatrix with dims = c(nr, nc)
 * (integer); threads, the most threads for the pass that writes the result.
 * Returns the new x slot (same pattern), or list(status, where).  Time and
 * memory O(nnz + nr + nc). */
SEXP ffi_lq_sparse(SEXP x, SEXP i_, SEXP p_, SEXP dims, SEXP total, SEXP reference,
               SEXP reftot, SEXP na_rm, SEXP type_, SEXP cutoff_, SEXP threads)
{
    need_real(x, "x");
    need_int(i_, "i");
    need_int(p_, "p");
    need_int(dims, "Dim");
    need_len(dims, 2, "Dim");
    R_xlen_t nr = INTEGER(dims)[0], nc = INTEGER(dims)[1], nnz = XLENGTH(x);
    need_len(i_, nnz, "i");
    need_len(p_, nc + 1, "p");
    const int *ri = INTEGER(i_), *pp = INTEGER(p_);
    if (pp[0] != 0 || (R_xlen_t) pp[nc] != nnz) return lq_status(LQ_MALFORMED, 0);
    for (R_xlen_t j = 0; j < nc; j++)
        if (pp[j] > pp[j + 1]) return lq_status(LQ_MALFORMED, 0);
    const double *T0 = lq_opt_real(total, nr, "total");
    const double *R0 = lq_opt_real(reference, nc, "reference");
    const double *RT0 = lq_opt_real(reftot, 1, "reference_total");
    int narm = scalar_int(na_rm, "na_rm");
    int type = lq_type_arg(type_);
    double cutoff = scalar_real(cutoff_, "cutoff");
    int nt = n_threads(threads);
    if (type != LQ_RATIO && type != LQ_BINARY)
        error("internal error: sparse 'type' must be ratio or binary");
    const double *xx = REAL(x);

    double *R = (double *) R_alloc(nc > 0 ? nc : 1, sizeof(double));
    double *T = (double *) R_alloc(nr > 0 ? nr : 1, sizeof(double));
    double hi;
    int st = lq_sparse_margins(xx, ri, pp, nr, nc, narm, T0, T, R, &hi);
    if (st != LQ_OK) return lq_status(st, st == LQ_RESCALE ? hi : 0);
    double *a, *b;
    int fast = lq_given_factors(T, nr, R, nc, T0, R0, RT0, narm, type, &a, &b);

    int nprot = 0;
    SEXP ans = PROTECT(allocVector(REALSXP, nnz)); nprot++;
    lq_sparse_write(xx, ri, pp, nc, a, b, fast, type, cutoff, nt, REAL(ans));
    UNPROTECT(nprot);
    return ans;
}

/* ---- long panel ------------------------------------------------------- */

/* Scatter-add of v into cell c of a plain partial sum, folded into the
 * compensated sum every LQ_RUN additions. */
static inline void lq_scatter(ksum *k, double *work, unsigned char *cnt,
                              R_xlen_t c, double v)
{
    work[c] += v;
    if (++cnt[c] == LQ_RUN) {
        ksum_add(&k[c], work[c]);
        work[c] = 0.0;
        cnt[c] = 0;
    }
}

static void lq_fold(ksum *k, double *work, R_xlen_t n, double *out)
{
    for (R_xlen_t c = 0; c < n; c++) {
        ksum_add(&k[c], work[c]);
        out[c] = ksum_value(&k[c]);
    }
}

/* ---- panel keys, the reference table, the two passes ------------------
 * The key columns are read as the index panels read them (panel_keys in
 * panel.c: integer and whole-number keys in place, offsets from their
 * minimum; other numeric keys sorted there, strings coded in R), so lq()
 * and the indices share one NA rule and one size threshold.  Totals are
 * kept per (group, region) and per (group, industry) cell of the key
 * offsets; when such cells would be many more than the rows, the key and
 * then the group are sorted (codes of the values that occur) and, if that
 * is not enough, the key is replaced by the codes of the (group, key)
 * pairs that occur (rcomb, icomb).  All of it here: nothing goes back to R.
 */

typedef struct {
    idx_key K[3];            /* region, industry, group                 */
    int has_group, rcomb, icomb, narm, type;
    R_xlen_t n, sr, sj, sg;  /* rows; spans of the three keys           */
    R_xlen_t nrc, nic;       /* region and industry total cells         */
    double cutoff;
} lq_panel;

static inline R_xlen_t lq_rcell(const lq_panel *P, R_xlen_t ro, R_xlen_t go)
{
    return P->rcomb ? ro : go * P->sr + ro;
}

static inline R_xlen_t lq_icell(const lq_panel *P, R_xlen_t jo, R_xlen_t go)
{
    return P->icomb ? jo : go * P->sj + jo;
}

/* Key q replaced by the codes 0..k-1 of its (group, key) pairs.          */
static void lq_combine(idx_key *q, const idx_key *g, R_xlen_t n)
{
    const size_t n1 = n > 0 ? (size_t) n : 1;
    uint64_t *key = (uint64_t *) R_alloc(n1, sizeof(uint64_t));
    int *ix = (int *) R_alloc(n1, sizeof(int));
    int *code = (int *) R_alloc(n1, sizeof(int));
    for (R_xlen_t k = 0; k < n; k++)
        key[k] = (uint64_t) idx_key_off(g, k) * (uint64_t) q->span +
                 (uint64_t) idx_key_off(q, k);
    R_xlen_t nk = panel_sort_codes(key, ix, n, code, NULL);
    q->iv = code;
    q->dv = NULL;
    q->vals = NULL;
    q->lo = 0.0;
    q->span = nk;
}

/* Key q (0: region, 1: industry) sorted, then the group, then combined
 * with the group, while its cells per group exceed lim.                  */
static void lq_shrink(lq_panel *P, int q, double lim, int combine)
{
    idx_key *K = P->K;
    if ((double) K[2].span * K[q].span > lim) panel_key_sort(&K[q], P->n);
    if ((double) K[2].span * K[q].span > lim && P->has_group) panel_key_sort(&K[2], P->n);
    if ((double) K[2].span * K[q].span > lim && combine) {
        lq_combine(&K[q], &K[2], P->n);
        if (q == 0) P->rcomb = 1; else P->icomb = 1;
    }
}

/* Reads the keys and sizes the totals; returns R_NilValue, or
 * list(na_key = name) for a key with an NA.  *checkdup: whether the
 * duplicates fit a bitmap (else lq_first_dup() sorts the cells).         */
static SEXP lq_panel_plan(lq_panel *P, SEXP kv[3], int need_rt, int need_it,
                          int *checkdup)
{
    int q = 0;
    if (panel_keys(kv, P->n, 1, P->K, &q) == KEY_NA)
        return panel_key_status("na_key", q);
    const double lim = 4 * idx_key_span_max(P->n);
    P->rcomb = P->icomb = 0;
    if (need_rt) lq_shrink(P, 0, lim, 1);
    lq_shrink(P, 1, lim, need_it);
    P->sr = P->K[0].span; P->sj = P->K[1].span; P->sg = P->K[2].span;
    P->nrc = P->rcomb ? P->sr : P->sg * P->sr;
    P->nic = P->icomb ? P->sj : P->sg * P->sj;
    *checkdup = !((double) P->nrc * P->sj > fmax(134217728.0, 8.0 * P->n));
    return R_NilValue;
}

/* The first row (1-based) that repeats an earlier row's (group, region,
 * industry) cell, or 0: by sorting the cells (a bitmap would be too big). */
static double lq_first_dup(const lq_panel *P)
{
    const R_xlen_t n = P->n;
    if (n > INT_MAX) error("a panel of more than %d rows cannot be checked for duplicates", INT_MAX);
    const size_t n1 = n > 0 ? (size_t) n : 1;
    uint64_t *key = (uint64_t *) R_alloc(n1, sizeof(uint64_t));
    uint64_t *k2 = (uint64_t *) R_alloc(n1, sizeof(uint64_t));
    int *ix = (int *) R_alloc(n1, sizeof(int)), *ix2 = (int *) R_alloc(n1, sizeof(int));
    int *cnt = (int *) R_alloc(IDX_NCNT, sizeof(int));
    for (R_xlen_t k = 0; k < n; k++) {
        R_xlen_t cr = lq_rcell(P, idx_key_off(&P->K[0], k), idx_key_off(&P->K[2], k));
        key[k] = (uint64_t) cr * (uint64_t) P->sj + (uint64_t) idx_key_off(&P->K[1], k);
        ix[k] = (int) k;
    }
    idx_sort_keys(key, ix, k2, ix2, n, cnt);
    R_xlen_t first = n;          /* stable: the later row of a pair follows */
    for (R_xlen_t i = 1; i < n; i++)
        if (key[i] == key[i - 1] && ix[i] < first) first = ix[i];
    return first < n ? (double) first + 1 : 0;
}

/* Offset of value t of w (integer codes or whole numbers, as R looked them
 * up in the key's terms) in key q, or -1 where x has no such key value. */
static R_xlen_t lq_key_find(const idx_key *q, SEXP w, R_xlen_t t)
{
    double d = TYPEOF(w) == INTSXP ?
        (INTEGER(w)[t] == NA_INTEGER ? NA_REAL : INTEGER(w)[t]) : REAL(w)[t];
    if (!(d == d)) return -1;
    if (q->vals) {               /* a sorted key: the code of value d */
        R_xlen_t lo = 0, hi = q->span;
        while (lo < hi) {
            R_xlen_t mid = lo + (hi - lo) / 2;
            if (q->vals[mid] < d) lo = mid + 1; else hi = mid;
        }
        return (lo < q->span && q->vals[lo] == d) ? lo : -1;
    }
    if (d != floor(d)) return -1;
    double o = d - q->lo;
    return (o >= 0 && o < (double) q->span) ? (R_xlen_t) o : -1;
}

/* The reference table list(industry =, by =, value =) over the cells of the
 * industry key (per group when it has `by` columns, else one row for
 * every group): RM values, RH flags, rtg the background total of each
 * group (the sum of the table's values, industries absent from x
 * included).  Returns whether the table has groups.                      */
static int lq_ref_table(const lq_panel *P, SEXP ref, double **RM, int **RH,
                        double *rtg)
{
    SEXP ind = named_elt(ref, "industry"), grp = named_elt(ref, "by"),
         val = named_elt(ref, "value");
    need_real(val, "reference");
    const R_xlen_t nt = XLENGTH(val);
    need_len(ind, nt, "reference industry");
    const int bygrp = !isNull(grp);
    if (bygrp) need_len(grp, nt, "reference group");
    const R_xlen_t ncell = bygrp ? P->sg * P->sj : P->sj, nc1 = ncell > 0 ? ncell : 1;
    *RM = (double *) R_alloc(nc1, sizeof(double));
    *RH = (int *) R_alloc(nc1, sizeof(int));
    for (R_xlen_t c = 0; c < ncell; c++) { (*RM)[c] = NA_REAL; (*RH)[c] = 0; }
    const R_xlen_t sg1 = P->sg > 0 ? P->sg : 1;
    ksum *gk = (ksum *) R_alloc(sg1, sizeof(ksum));
    memset(gk, 0, sg1 * sizeof(ksum));
    const double *rv = REAL(val);
    for (R_xlen_t t = 0; t < nt; t++) {
        R_xlen_t go = bygrp ? lq_key_find(&P->K[2], grp, t) : 0;
        if (go < 0) continue;
        if (!(P->narm && ISNAN(rv[t]))) ksum_add(&gk[go], rv[t]);
        R_xlen_t jo = lq_key_find(&P->K[1], ind, t);
        if (jo < 0) continue;
        R_xlen_t c = bygrp ? go * P->sj + jo : jo;
        (*RM)[c] = rv[t];
        (*RH)[c] = 1;
    }
    for (R_xlen_t g = 0; g < P->sg; g++) rtg[g] = ksum_value(&gk[bygrp ? g : 0]);
    return bygrp;
}

/* Zeroed accumulators for n totals (n1 = max(n, 1) allocated): the
 * compensated sums, a second sum and a flag each. */
static void lq_zeroed_acc(R_xlen_t n, R_xlen_t n1, ksum **k, double **w,
                          unsigned char **flag)
{
    *k = (ksum *) R_alloc(n1, sizeof(ksum));
    *w = (double *) R_alloc(n1, sizeof(double));
    *flag = (unsigned char *) R_alloc(n1, 1);
    memset(*k, 0, n * sizeof(ksum));
    memset(*w, 0, n * sizeof(double));
    memset(*flag, 0, n);
}

/* Pass 1: region totals (rtot, unless given), industry totals (itot,
 * unless a reference), the duplicate bitmap and the reference check.
 * Returns LQ_OK or a status with *where the row.                         */
static int lq_panel_totals(const lq_panel *P, const double *v, const int *RH,
                           int refgrp, int checkdup, double *rtot, double *itot,
                           int *igrp, double *where)
{
    const R_xlen_t nrc1 = P->nrc > 0 ? P->nrc : 1, nic1 = P->nic > 0 ? P->nic : 1;
    ksum *rk = NULL, *ik = NULL;
    double *rw = NULL, *iw = NULL;
    unsigned char *rn = NULL, *in = NULL, *seen = NULL;
    if (rtot) lq_zeroed_acc(P->nrc, nrc1, &rk, &rw, &rn);
    if (itot) lq_zeroed_acc(P->nic, nic1, &ik, &iw, &in);
    if (checkdup) {
        size_t nbytes = (size_t) ((double) P->nrc * P->sj / 8.0) + 1;
        seen = (unsigned char *) R_alloc(nbytes, 1);
        memset(seen, 0, nbytes);
    }
    const idx_key *K0 = &P->K[0], *K1 = &P->K[1], *K2 = &P->K[2];
    int neg = 0, inf = 0;
    for (R_xlen_t k = 0; k < P->n; k++) {
        const R_xlen_t ro = idx_key_off(K0, k), jo = idx_key_off(K1, k),
            go = idx_key_off(K2, k);
        const R_xlen_t cr = lq_rcell(P, ro, go), ci = lq_icell(P, jo, go);
        if (igrp) igrp[ci] = (int) go;
        if (seen) {
            R_xlen_t cell = cr * P->sj + jo;
            unsigned char bit = (unsigned char) (1u << (cell & 7));
            if (seen[cell >> 3] & bit) { *where = (double) k + 1; return LQ_DUPLICATE; }
            seen[cell >> 3] |= bit;
        }
        if (RH && !RH[refgrp ? go * P->sj + jo : jo]) {
            *where = (double) k + 1;
            return LQ_NOREF;
        }
        double x = v[k];
        if (P->narm && ISNAN(x)) x = 0.0;
        neg |= (x < 0.0);
        inf |= (x == R_PosInf);
        if (rtot) lq_scatter(rk, rw, rn, cr, x);
        if (itot) lq_scatter(ik, iw, in, ci, x);
    }
    *where = 0;
    if (neg) return LQ_NEGATIVE;
    if (inf) return LQ_INFINITE;
    if (rtot) lq_fold(rk, rw, P->nrc, rtot);
    if (itot) lq_fold(ik, iw, P->nic, itot);
    return LQ_OK;
}

/* Background totals by group from the panel's own industry totals.       */
static void lq_panel_grand(const lq_panel *P, const double *itot, const int *igrp,
                           double *rtg)
{
    if (igrp) {
        ksum *gk = (ksum *) R_alloc(P->sg > 0 ? P->sg : 1, sizeof(ksum));
        memset(gk, 0, P->sg * sizeof(ksum));
        for (R_xlen_t c = 0; c < P->nic; c++)
            if (!(P->narm && ISNAN(itot[c]))) ksum_add(&gk[igrp[c]], itot[c]);
        for (R_xlen_t g = 0; g < P->sg; g++) rtg[g] = ksum_value(&gk[g]);
    } else {
        for (R_xlen_t g = 0; g < P->sg; g++)
            rtg[g] = lq_sum(itot + g * P->sj, P->sj, P->narm);
    }
}

/* Pass 2: the quotient of every row.                                    */
static void lq_panel_out(const lq_panel *P, const double *v, const double *T0,
                         const double *rtot, const double *RI, int refcell,
                         const double *rtg, const double *RT0, double *out)
{
    const idx_key *K0 = &P->K[0], *K1 = &P->K[1], *K2 = &P->K[2];
    for (R_xlen_t k = 0; k < P->n; k++) {
        const R_xlen_t ro = idx_key_off(K0, k), jo = idx_key_off(K1, k),
            go = idx_key_off(K2, k);
        double t = T0 ? T0[k] : rtot[lq_rcell(P, ro, go)];
        double rj = RI[refcell == 1 ? go * P->sj + jo : refcell == 2 ? jo :
                       lq_icell(P, jo, go)];
        double rt = rtg ? rtg[go] : RT0[k];
        out[k] = lq_cell(v[k], t, rj, rt, P->type, P->cutoff);
    }
}

/* ffi_lq_panel(value, region, industry, group, opts, type, total,
 *              reference, reftot, cutoff)
 * value: double, n rows; region, industry, group (or NULL): key columns
 * as R planned them (see lq_panel_plan).  opts: na_rm,
 * reference_total_mode (0: the sum of the reference by group, 1: reftot
 * per row).  total: NULL or per row.  reference: NULL (the panel's
 * industry totals) or list(industry, by (or NULL), value), its keys looked
 * up by R in the panel keys' terms.  Returns the LQ per row, list(status,
 * where) for a negative or infinite value, a duplicate or a row without a
 * reference value, or list(na_key = name) for a key with an NA.          */
SEXP ffi_lq_panel(SEXP value, SEXP region, SEXP industry, SEXP group,
                  SEXP opts, SEXP type_, SEXP total, SEXP reference, SEXP reftot,
                  SEXP cutoff_)
{
    need_real(value, "value");
    lq_panel P;
    P.n = XLENGTH(value);
    P.has_group = !isNull(group);
    P.narm = named_int(opts, "na_rm");
    P.type = lq_type_arg(type_);
    P.cutoff = scalar_real(cutoff_, "cutoff");
    int rtmode = named_int(opts, "reference_total_mode");
    const double *T0 = lq_opt_real(total, P.n, "total");
    const double *RT0 = rtmode == 1 ? lq_opt_real(reftot, P.n, "reference_total") : NULL;
    if (rtmode == 1 && !RT0) error("internal error: no reference total");
    if (!isNull(reference) && (TYPEOF(reference) != VECSXP || XLENGTH(reference) != 3))
        error("internal error: 'reference' must be list(industry, by, value)");
    SEXP kv[3] = {region, industry, group};
    int checkdup = 1;
    SEXP plan = lq_panel_plan(&P, kv, T0 == NULL, isNull(reference), &checkdup);
    if (!isNull(plan)) return plan;
    if (P.icomb && !isNull(reference))
        error("internal error: reference with combined industry codes");
    if (!checkdup) {
        double d = lq_first_dup(&P);
        if (d > 0) return lq_status(LQ_DUPLICATE, d);
    }

    const double *v = REAL(value);
    double *rtot = T0 ? NULL : (double *) R_alloc(P.nrc > 0 ? P.nrc : 1, sizeof(double));
    double *itot = NULL, *RM = NULL, *rtg = NULL;
    int *RH = NULL, *igrp = NULL, refgrp = 0;
    if (rtmode == 0) rtg = (double *) R_alloc(P.sg > 0 ? P.sg : 1, sizeof(double));
    if (!isNull(reference)) {
        double *rtg_ref = rtg ? rtg : (double *) R_alloc(P.sg > 0 ? P.sg : 1, sizeof(double));
        refgrp = lq_ref_table(&P, reference, &RM, &RH, rtg_ref);
    } else {
        itot = (double *) R_alloc(P.nic > 0 ? P.nic : 1, sizeof(double));
        if (P.icomb && rtmode == 0) igrp = (int *) R_alloc(P.nic > 0 ? P.nic : 1, sizeof(int));
    }
    double where = 0;
    int st = lq_panel_totals(&P, v, RH, refgrp, checkdup, rtot, itot, igrp, &where);
    if (st != LQ_OK) return lq_status(st, where);
    if (itot && rtmode == 0) lq_panel_grand(&P, itot, igrp, rtg);

    int nprot = 0;
    SEXP ans = PROTECT(allocVector(REALSXP, P.n)); nprot++;
    lq_panel_out(&P, v, T0, rtot, itot ? itot : RM, itot ? 0 : refgrp ? 1 : 2,
                 rtg, RT0, REAL(ans));
    UNPROTECT(nprot);
    return ans;
}
