/* panel.c - long panels (one row per region, industry and group,
 * e.g. year) sorted into a stack of sparse matrices, one per group, by a
 * counting sort; and the integer coding of whole-number key columns.
 *
 * R plans the keys before the call (R/panel.R, panel_key()): factors go as
 * their codes, strings and other non-numeric keys coded 1..k in R, plain
 * numeric keys as they are.  Integer keys and whole-number doubles in a
 * modest range are read in place: each value's offset from the column's
 * minimum indexes the counting sort directly, so no code vector is written
 * and read back.  Offsets that never occur are dropped afterwards:
 * industries and groups by skipping their empty columns, regions by one
 * renumbering pass over the sorted entries (only when some offset in the
 * regions' range is unused).  Any other numeric key (a huge range, values
 * that are not whole) is coded here by a radix sort (panel_key_sort), as
 * is a key whose range times the groups' would be too long to count over;
 * nothing goes back to R to be coded.
 */
#include "stack.h"
#include <string.h>

/* Rows per segment of the counting sort (at most 8 segments).           */
#define IDX_PANEL_SEG 50000

/* Rows from which the scans of the key columns run on several threads.   */
#define IDX_KEY_PAR 100000

/* Minimum and maximum of a whole-number key, on up to nt threads: an
 * integer vector, or a double one whose values are whole and within
 * +-2^53.  Returns 1 (and *lo, *hi); 0 when the key does not qualify (not
 * numeric, empty, a non-whole value or NaN); -1 for an integer NA.  The
 * reductions are exact, so the result does not depend on nt.               */
static int idx_key_range(SEXP v, int nt, double *lo, double *hi)
{
    R_xlen_t n = XLENGTH(v);
    int isint = TYPEOF(v) == INTSXP;
    if ((!isint && TYPEOF(v) != REALSXP) || n == 0) return 0;
    const int par = nt > 1 && n >= IDX_KEY_PAR;
    (void) par;
    if (isint) {
        const int *iv = INTEGER(v);
        /* NA_INTEGER is INT_MIN: an NA shows as the minimum */
        int ilo = INT_MAX, ihi = INT_MIN;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) if (par) \
        reduction(min:ilo) reduction(max:ihi)
#endif
        for (R_xlen_t k = 0; k < n; k++) {
            int x = iv[k];
            ilo = x < ilo ? x : ilo;
            ihi = x > ihi ? x : ihi;
        }
        if (ilo == NA_INTEGER) return -1;
        *lo = ilo;
        *hi = ihi;
        return 1;
    }
    const double *dv = REAL(v);
    double dlo = R_PosInf, dhi = R_NegInf;
    int bad = 0;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) if (par) \
        reduction(min:dlo) reduction(max:dhi) reduction(|:bad)
#endif
    for (R_xlen_t k = 0; k < n; k++) {
        double x = dv[k];
        /* whole and within +-2^53 (NaN fails the range test); the cast
         * instead of floor(), a library call without SSE4.1               */
        int nw = !(x >= -9007199254740992.0 && x <= 9007199254740992.0);
        bad |= nw || (double) (long long) (nw ? 0.0 : x) != (nw ? 0.0 : x);
        dlo = x < dlo ? x : dlo;
        dhi = x > dhi ? x : dhi;
    }
    if (bad) return 0;
    *lo = dlo;
    *hi = dhi;
    return 1;
}

/* The longest key range read in place (or coded by counting): max(1e6, n). */
double idx_key_span_max(R_xlen_t n)
{
    return n > 1000000 ? (double) n : 1e6;
}

/* ---- integer codes of a whole-number key column -------------------------
 * For integer or double keys whose values are whole numbers in a range no
 * longer than max(1e6, n): codes 1..k in increasing order of the value by
 * counting (two passes, three when values inside the range are missing; no
 * sort, no hashing).  Returns NULL when the key does not qualify; R then
 * sorts and matches.  (Plant-level data; panels read their keys in place.) */
SEXP ffi_whole_codes(SEXP v, SEXP threads)
{
    const int nt = n_threads(threads);
    (void) nt;
    R_xlen_t n = XLENGTH(v);
    double lo, hi;
    if (idx_key_range(v, nt, &lo, &hi) <= 0) return R_NilValue;
    int isint = TYPEOF(v) == INTSXP;
    const int *iv = isint ? INTEGER(v) : NULL;
    const double *dv = isint ? NULL : REAL(v);
    const int par = nt > 1 && n >= IDX_KEY_PAR;
    (void) par;
    double span = hi - lo + 1;
    if (span > idx_key_span_max(n) || span > INT_MAX) return R_NilValue;
    R_xlen_t ns = (R_xlen_t) span;
    int *lut = (int *) R_alloc(ns, sizeof(int));
    for (R_xlen_t s = 0; s < ns; s++) lut[s] = 0;
    int nprot = 0;
    SEXP code = PROTECT(allocVector(INTSXP, n)); nprot++;
    int *pc = INTEGER(code);
    /* mark the values that occur and code each by its offset + 1; when
     * values in the range are missing, renumber the codes (third pass)    */
    {
        const R_xlen_t off = (R_xlen_t) lo;   /* exact: lo is a whole number */
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) if (par)
#endif
        for (R_xlen_t k = 0; k < n; k++) {
            R_xlen_t o = isint ? (R_xlen_t) iv[k] - off : (R_xlen_t) (dv[k] - lo);
            int seen;
#ifdef _OPENMP
#pragma omp atomic read
#endif
            seen = lut[o];
            if (!seen) {     /* no write once set: no cache line ping-pong */
#ifdef _OPENMP
#pragma omp atomic write
#endif
                lut[o] = 1;
            }
            pc[k] = (int) o + 1;
        }
    }
    int used = 0;
    for (R_xlen_t s = 0; s < ns; s++) if (lut[s]) lut[s] = ++used;
    if (used < ns) {
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) if (par)
#endif
        for (R_xlen_t k = 0; k < n; k++) pc[k] = lut[pc[k] - 1];
    }
    SEXP lab = PROTECT(allocVector(REALSXP, used)); nprot++;
    double *pl = REAL(lab);
    for (R_xlen_t s = 0; s < ns; s++) if (lut[s]) pl[lut[s] - 1] = lo + (double) s;
    const char *names[] = {"code", "labels", ""};
    SEXP ans = PROTECT(mkNamed(VECSXP, names)); nprot++;
    SET_VECTOR_ELT(ans, 0, code);
    SET_VECTOR_ELT(ans, 1, lab);
    UNPROTECT(nprot);
    return ans;
}

/* ---- the counting sort of a panel --------------------------------------- */

/* The loop over rows k0 .. k1 - 1 of a segment, with the offsets ro, jo,
 * go of the row's region, industry and group in scope of the body: one
 * loop per usual combination of key types (integer keys; double regions
 * and industries with an integer, double or no group), so the types are
 * not tested per row, and the general one otherwise.                     */
#define IDX_ROWS(...) do {                                                    \
        if (kt == 1) {                                                        \
            const int *r_ = K0->iv, *j_ = K1->iv, *g_ = K2->iv;               \
            const R_xlen_t rl_ = (R_xlen_t) K0->lo, jl_ = (R_xlen_t) K1->lo,  \
                gl_ = (R_xlen_t) K2->lo;                                      \
            for (R_xlen_t k = k0; k < k1; k++) {                              \
                const R_xlen_t ro = r_[k] - rl_, jo = j_[k] - jl_;            \
                const R_xlen_t go = g_ ? g_[k] - gl_ : 0;                     \
                __VA_ARGS__                                                   \
            }                                                                 \
        } else if (kt == 2 || kt == 3) {                                      \
            const double *r_ = K0->dv, *j_ = K1->dv, *gd_ = K2->dv;           \
            const int *gi_ = K2->iv;                                          \
            const double rl_ = K0->lo, jl_ = K1->lo, gl_ = K2->lo;            \
            for (R_xlen_t k = k0; k < k1; k++) {                              \
                const R_xlen_t ro = (R_xlen_t) (r_[k] - rl_);                 \
                const R_xlen_t jo = (R_xlen_t) (j_[k] - jl_);                 \
                const R_xlen_t go = kt == 3 ? (R_xlen_t) (gd_[k] - gl_) :     \
                    gi_ ? (R_xlen_t) gi_[k] - (R_xlen_t) gl_ : 0;             \
                __VA_ARGS__                                                   \
            }                                                                 \
        } else {                                                              \
            for (R_xlen_t k = k0; k < k1; k++) {                              \
                const R_xlen_t ro = idx_key_off(K0, k), jo = idx_key_off(K1, k); \
                const R_xlen_t go = idx_key_off(K2, k);                       \
                __VA_ARGS__                                                   \
            }                                                                 \
        }                                                                     \
    } while (0)

/* First row of segment s of nseg over n rows.                           */
static inline R_xlen_t idx_seg_at(R_xlen_t n, int s, int nseg)
{
    return (R_xlen_t) ((double) n * s / nseg);
}

/* The values of a key that occur (map[o] >= 0), in increasing order.     */
static SEXP idx_key_used(const idx_key *q, const int *map, int nused)
{
    int nprot = 0;
    SEXP u = PROTECT(allocVector(REALSXP, nused)); nprot++;
    for (R_xlen_t o = 0; o < q->span; o++)
        if (map[o] >= 0) REAL(u)[map[o]] = q->vals ? q->vals[o] : q->lo + (double) o;
    UNPROTECT(nprot);
    return u;
}

/* The key columns, as R names them (options and messages go by these).   */
static const char *const key_names[3] = {"region", "industry", "by"};

/* list(name = the name of key q): what to tell R about key q.             */
SEXP panel_key_status(const char *name, int q)
{
    const char *names[] = {name, ""};
    int nprot = 0;
    SEXP ans = PROTECT(mkNamed(VECSXP, names)); nprot++;
    SET_VECTOR_ELT(ans, 0, mkString(key_names[q]));
    UNPROTECT(nprot);
    return ans;
}

/* The stack of a panel with its key values.                               */
static SEXP panel_result(SEXP dup, SEXP xx, SEXP ri, SEXP cp, SEXP used_r,
                         SEXP used_j, SEXP used_g)
{
    const char *names[] = {"dup", "x", "ri", "cp", "regions", "industries",
                           "groups", ""};
    int nprot = 0;
    SEXP ans = PROTECT(mkNamed(VECSXP, names)); nprot++;
    SEXP el[7] = {dup, xx, ri, cp, used_r, used_j, used_g};
    for (int k = 0; k < 7; k++) SET_VECTOR_ELT(ans, k, el[k]);
    UNPROTECT(nprot);
    return ans;
}

/* panel_result() with the values of the keys that occur (maps: offset ->
 * code, -1 for none).                                                     */
static SEXP panel_finish(SEXP dup, SEXP xx, SEXP ri, SEXP cp, const idx_key *K,
                         const int *rmap, const int *jmap, const int *gmap,
                         int nr, int nc, int ng, int has_group)
{
    int nprot = 0;
    SEXP ur = PROTECT(idx_key_used(&K[0], rmap, nr)); nprot++;
    SEXP uj = PROTECT(idx_key_used(&K[1], jmap, nc)); nprot++;
    SEXP ug = R_NilValue;
    if (has_group) { ug = PROTECT(idx_key_used(&K[2], gmap, ng)); nprot++; }
    SEXP res = panel_result(dup, xx, ri, cp, ur, uj, ug);
    UNPROTECT(nprot);
    return res;
}

/* ---- keys that cannot be read in place: coded by a radix sort --------- */

R_xlen_t panel_sort_codes(uint64_t *key, int *ix, R_xlen_t n, int *code,
                          uint64_t *first)
{
    if (n > INT_MAX) error("a key column of more than %d rows cannot be sorted", INT_MAX);
    const size_t n1 = n > 0 ? (size_t) n : 1;
    uint64_t *k2 = (uint64_t *) R_alloc(n1, sizeof(uint64_t));
    int *ix2 = (int *) R_alloc(n1, sizeof(int));
    int *cnt = (int *) R_alloc(IDX_NCNT, sizeof(int));
    for (R_xlen_t i = 0; i < n; i++) ix[i] = (int) i;
    idx_sort_keys(key, ix, k2, ix2, n, cnt);
    R_xlen_t k = 0;
    for (R_xlen_t i = 0; i < n; i++) {
        if (i == 0 || key[i] != key[i - 1]) {
            if (first) first[k] = key[i];
            k++;
        }
        code[ix[i]] = (int) (k - 1);
    }
    return k;
}

/* Order-preserving 64-bit image of a double (no NaN; -0 as 0) and back.  */
static inline uint64_t key_dbl_bits(double x)
{
    uint64_t b = idx_bits(x + 0.0);
    return (b >> 63) ? ~b : b | ((uint64_t) 1 << 63);
}

static inline double key_bits_dbl(uint64_t b)
{
    return idx_dbl((b >> 63) ? b & ~((uint64_t) 1 << 63) : ~b);
}

/* Key q recoded 0..k-1 by sorting: from its in-place offsets (iv or dv),
 * or from any double values dv0 (not whole, or a range beyond 2^53).     */
static void key_sort(idx_key *q, const double *dv0, R_xlen_t n)
{
    const size_t n1 = n > 0 ? (size_t) n : 1;
    uint64_t *key = (uint64_t *) R_alloc(n1, sizeof(uint64_t));
    uint64_t *first = (uint64_t *) R_alloc(n1, sizeof(uint64_t));
    int *ix = (int *) R_alloc(n1, sizeof(int));
    int *code = (int *) R_alloc(n1, sizeof(int));
    for (R_xlen_t k = 0; k < n; k++)
        key[k] = dv0 ? key_dbl_bits(dv0[k]) : (uint64_t) idx_key_off(q, k);
    R_xlen_t nk = panel_sort_codes(key, ix, n, code, first);
    double *vals = (double *) R_alloc(nk > 0 ? (size_t) nk : 1, sizeof(double));
    for (R_xlen_t c = 0; c < nk; c++)
        vals[c] = dv0 ? key_bits_dbl(first[c]) : q->lo + (double) first[c];
    q->iv = code;
    q->dv = NULL;
    q->vals = vals;
    q->lo = 0.0;
    q->span = nk;
}

void panel_key_sort(idx_key *q, R_xlen_t n)
{
    if (q->vals || (!q->iv && !q->dv)) return;
    key_sort(q, NULL, n);
}

/* The key columns kv (group: R_NilValue for none): K[q] gets the column's
 * type, minimum and span, or its codes from a sort.                       */
int panel_keys(SEXP kv[3], R_xlen_t n, int nt, idx_key K[3], int *which)
{
    for (int q = 0; q < 3; q++) {
        K[q].iv = NULL;
        K[q].dv = NULL;
        K[q].vals = NULL;
        K[q].lo = 0.0;
        K[q].span = n > 0 ? 1 : 0;
        if (q == 2 && isNull(kv[2])) { K[q].span = 1; continue; }
        if (TYPEOF(kv[q]) != INTSXP && TYPEOF(kv[q]) != REALSXP)
            error("internal error: key %d is not numeric", q + 1);
        need_len(kv[q], n, "key");
        if (n == 0) continue;
        double hi;
        int ok = idx_key_range(kv[q], nt, &K[q].lo, &hi);
        if (ok < 0) { *which = q; return KEY_NA; }
        if (!ok) {                     /* doubles: NaN, or not whole */
            const double *d = REAL(kv[q]);
            for (R_xlen_t k = 0; k < n; k++)
                if (ISNAN(d[k])) { *which = q; return KEY_NA; }
            key_sort(&K[q], d, n);
            continue;
        }
        if (TYPEOF(kv[q]) == INTSXP) K[q].iv = INTEGER(kv[q]);
        else K[q].dv = REAL(kv[q]);
        double span = hi - K[q].lo + 1;
        if (span > idx_key_span_max(n) || span > INT_MAX) {
            K[q].span = 0;             /* offsets up to 2^54: sorted */
            key_sort(&K[q], NULL, n);
        } else {
            K[q].span = (R_xlen_t) span;
        }
    }
    return KEY_OK;
}

/* Duplicates of the sorted stack (pri, pxx; column c in cnt[c] ..
 * cnt[c + 1] - 1): with sum, rows of the same cell are added up and the
 * stack compacted (cnt updated); without, the first duplicate's region,
 * industry and group codes go to dup and -1 is returned.  Returns the
 * number of rows kept.                                                    */
static R_xlen_t panel_dedup(int *pri, double *pxx, R_xlen_t *cnt, R_xlen_t ncol,
                            R_xlen_t n, int nr, int nc, int sum, int nseg, int nt,
                            int *dup)
{
    /* duplicates: stamp[i] = 1 + the last column region i was seen in;
     * slot[i] = where it was stored in that column.                        */
    R_xlen_t *stamp = (R_xlen_t *) R_alloc(nr > 0 ? nr : 1, sizeof(R_xlen_t));
    R_xlen_t *slot = (R_xlen_t *) R_alloc(nr > 0 ? nr : 1, sizeof(R_xlen_t));
    for (int i = 0; i < nr; i++) stamp[i] = 0;
    /* Without summing (sum_dup = 0) on a segmented panel: first a check of
     * the columns on up to nt threads (per-thread stamps, a column per
     * thread at a time).  No duplicate (the usual case): nothing moves, so
     * the serial scan below is skipped.  Otherwise the serial scan finds
     * and reports the first one.                                          */
    int scan = 1;
    if (!sum && nseg > 1) {
        const size_t nr1 = nr > 0 ? nr : 1;
        R_xlen_t *stt = (R_xlen_t *) R_alloc(nr1 * nt, sizeof(R_xlen_t));
        for (size_t q = 0; q < nr1 * nt; q++) stt[q] = 0;
        int any = 0;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) reduction(|:any) if (nt > 1)
#endif
        for (R_xlen_t c = 0; c < ncol; c++) {
            int tid = 0;
#ifdef _OPENMP
            tid = omp_get_thread_num();
#endif
            R_xlen_t *st = stt + nr1 * tid;
            for (R_xlen_t k = cnt[c]; k < cnt[c + 1]; k++) {
                int i = pri[k];
                any |= st[i] == c + 1;
                st[i] = c + 1;
            }
        }
        scan = any;
    }
    R_xlen_t out = scan ? 0 : n;
    for (R_xlen_t c = 0; c < ncol && scan; c++) {
        if ((c & 0xFFFF) == 0xFFFF) R_CheckUserInterrupt();
        R_xlen_t beg = cnt[c], end = cnt[c + 1];
        cnt[c] = out;
        for (R_xlen_t k = beg; k < end; k++) {
            int i = pri[k];
            if (stamp[i] == c + 1) {
                if (!sum) {
                    dup[0] = i + 1;
                    dup[1] = (int) (c % (nc > 0 ? nc : 1)) + 1;
                    dup[2] = (int) (c / (nc > 0 ? nc : 1)) + 1;
                    return -1;
                }
                pxx[slot[i]] += pxx[k];
                continue;
            }
            stamp[i] = c + 1;
            slot[i] = out;
            if (out != k) {        /* only after a summed duplicate */
                pri[out] = i;
                pxx[out] = pxx[k];
            }
            out++;
        }
    }
    return out;
}

/* The offsets of each key that occur, numbered 0.. in increasing order
 * (-1: none): regions from the segments' seen flags, industries and groups
 * from the counts of their columns.                                       */
static void panel_maps(const unsigned char *seen, const R_xlen_t *cnts, R_xlen_t sr,
                       R_xlen_t sj, R_xlen_t sg, int nseg, int *rmap, int *jmap,
                       int *gmap, int *nr, int *nc, int *ng)
{
    const size_t sr1 = sr > 0 ? (size_t) sr : 1, nc1 = (size_t) (sj * sg) + 1;
    for (R_xlen_t o = 0; o < sr; o++) {
        int any = 0;
        for (int s = 0; s < nseg; s++) any |= seen[sr1 * s + o];
        rmap[o] = any ? (*nr)++ : -1;
    }
    for (R_xlen_t o = 0; o < sj; o++) jmap[o] = -1;
    for (R_xlen_t o = 0; o < sg; o++) gmap[o] = -1;
    for (R_xlen_t go = 0; go < sg; go++)
        for (R_xlen_t jo = 0; jo < sj; jo++) {
            R_xlen_t t = 0;
            for (int s = 0; s < nseg; s++) t += cnts[nc1 * s + go * sj + jo];
            if (t > 0) gmap[go] = jmap[jo] = 1;
        }
    for (R_xlen_t o = 0; o < sj; o++) if (jmap[o] >= 0) jmap[o] = (*nc)++;
    for (R_xlen_t o = 0; o < sg; o++) if (gmap[o] >= 0) gmap[o] = (*ng)++;
}

/* cnt[c]: start of column c = g * nc + j (codes); cnts[s][raw column]:
 * where segment s writes next.  The raw columns in increasing order are
 * the used columns in increasing order, with empty ones between.  Returns
 * the rows counted.                                                       */
static R_xlen_t panel_starts(R_xlen_t *cnts, R_xlen_t sj, R_xlen_t sg, int nseg,
                             const int *jmap, const int *gmap, int nc,
                             R_xlen_t *cnt, R_xlen_t ncol)
{
    const size_t nc1 = (size_t) (sj * sg) + 1;
    R_xlen_t run = 0;
    for (R_xlen_t go = 0; go < sg; go++) {
        if (gmap[go] < 0) continue;
        for (R_xlen_t jo = 0; jo < sj; jo++) {
            if (jmap[jo] < 0) continue;
            const R_xlen_t rc = go * sj + jo;
            cnt[(R_xlen_t) gmap[go] * nc + jmap[jo]] = run;
            for (int s = 0; s < nseg; s++) {
                R_xlen_t t = cnts[nc1 * s + rc];
                cnts[nc1 * s + rc] = run;
                run += t;
            }
        }
    }
    cnt[ncol] = run;
    return run;
}

/* region, industry: key columns; group: a key column or NULL (one group);
 * value: the values; sum_dup: add up rows of the same cell (else the first
 * such pair is reported).  Returns list(na_key = name) when that key has
 * an NA; otherwise list(dup, x, ri, cp, regions, industries, groups): the
 * values of the keys that occur (groups NULL without a group key); dup is
 * NA, or the region, industry and group code of the first duplicate (and
 * x, ri, cp are NULL).  Also the panel step of ffi_agglomeration.         */
SEXP panel_stack(SEXP region, SEXP industry, SEXP group, SEXP value, int sum,
                 int nt)
{
    need_real(value, "value");
    const R_xlen_t n = XLENGTH(value);
    const double *v = REAL(value);
    SEXP kv[3] = {region, industry, group};
    idx_key K[3];
    int q = 0;
    if (panel_keys(kv, n, nt, K, &q) == KEY_NA) return panel_key_status("na_key", q);
    /* industry x group offsets: columns of the count; when they are many
     * more than the rows, the industries and then the groups are sorted   */
    const double lim = 4 * idx_key_span_max(n);
    if ((double) K[1].span * K[2].span > lim) panel_key_sort(&K[1], n);
    if ((double) K[1].span * K[2].span > lim) panel_key_sort(&K[2], n);
    const R_xlen_t sr = K[0].span, sj = K[1].span, sg = K[2].span;
    const double ncold = (double) sj * (double) sg;
    if (ncold >= (double) R_XLEN_T_MAX / 16) error("too many industry x group cells");
    const R_xlen_t ncr = (R_xlen_t) ncold;

    /* The rows are cut into nseg segments (fixed by n and the key ranges
     * alone), counted and scattered on up to nt threads: each segment has
     * its own counts and positions, segment s's rows of column c going after
     * those of segments 0 .. s - 1.  The result is the stable counting
     * sort, identical for any number of threads.                         */
    int nseg = n < IDX_PANEL_SEG ? 1 : (int) (n / IDX_PANEL_SEG < 8 ? n / IDX_PANEL_SEG : 8);
    if (ncr > n / 16 || sr > n / 16) nseg = 1;
    const size_t nc1 = (size_t) ncr + 1, sr1 = sr > 0 ? (size_t) sr : 1;
    R_xlen_t *cnts = (R_xlen_t *) R_alloc(nc1 * nseg, sizeof(R_xlen_t));
    unsigned char *seen = (unsigned char *) R_alloc(sr1 * nseg, 1);
    const idx_key *K0 = &K[0], *K1 = &K[1], *K2 = &K[2];
    /* the combination of key types, for IDX_ROWS                          */
    const int kt = K0->iv && K1->iv && !K2->dv ? 1 :
                   K0->dv && K1->dv && !K2->dv ? 2 :
                   K0->dv && K1->dv && K2->dv ? 3 : 0;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) if (nt > 1 && nseg > 1)
#endif
    for (int s = 0; s < nseg; s++) {
        const R_xlen_t k0 = idx_seg_at(n, s, nseg), k1 = idx_seg_at(n, s + 1, nseg);
        R_xlen_t *cn = cnts + nc1 * s;
        unsigned char *sn = seen + sr1 * s;
        memset(cn, 0, nc1 * sizeof(R_xlen_t));
        memset(sn, 0, sr1);
        IDX_ROWS(cn[go * sj + jo]++; sn[ro] = 1;);
    }

    /* User interrupts are checked between the phases (never inside the
     * parallel regions); all scratch memory is R_alloc'd.                 */
    R_CheckUserInterrupt();

    /* the offsets that occur: codes 0.. in increasing order (-1: none)    */
    int *rmap = (int *) R_alloc(sr1, sizeof(int));
    int *jmap = (int *) R_alloc(sj > 0 ? sj : 1, sizeof(int));
    int *gmap = (int *) R_alloc(sg > 0 ? sg : 1, sizeof(int));
    int nr = 0, nc = 0, ng = 0;
    panel_maps(seen, cnts, sr, sj, sg, nseg, rmap, jmap, gmap, &nr, &nc, &ng);
    if (isNull(group)) { gmap[0] = 0; ng = 1; }     /* one group, even empty */
    const R_xlen_t ncol = (R_xlen_t) nc * ng;
    R_xlen_t *cnt = (R_xlen_t *) R_alloc((size_t) ncol + 1, sizeof(R_xlen_t));
    if (panel_starts(cnts, sj, sg, nseg, jmap, gmap, nc, cnt, ncol) != n)
        error("internal error: counting sort lost rows");

    int nprot = 0;
    SEXP ri = PROTECT(allocVector(INTSXP, n)); nprot++;
    SEXP xx = PROTECT(allocVector(REALSXP, n)); nprot++;
    int *pri = INTEGER(ri);
    double *pxx = REAL(xx);
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) if (nt > 1 && nseg > 1)
#endif
    for (int s = 0; s < nseg; s++) {
        const R_xlen_t k0 = idx_seg_at(n, s, nseg), k1 = idx_seg_at(n, s + 1, nseg);
        R_xlen_t *pos = cnts + nc1 * s;
        IDX_ROWS(const R_xlen_t at = pos[go * sj + jo]++;
                 pri[at] = (int) ro;
                 pxx[at] = v[k];);
    }
    /* regions: offsets to codes, when some offset does not occur         */
    if (nr < sr) {
        const int par = nt > 1 && n >= IDX_KEY_PAR;
        (void) par;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static) if (par)
#endif
        for (R_xlen_t k = 0; k < n; k++) pri[k] = rmap[pri[k]];
    }

    R_CheckUserInterrupt();
    const char *dnames[] = {"region", "industry", "group", ""};
    SEXP dup = PROTECT(mkNamed(INTSXP, dnames)); nprot++;
    INTEGER(dup)[0] = INTEGER(dup)[1] = INTEGER(dup)[2] = NA_INTEGER;
    R_xlen_t out = panel_dedup(pri, pxx, cnt, ncol, n, nr, nc, sum, nseg, nt,
                               INTEGER(dup));
    if (out < 0) {                 /* a duplicate, reported by its codes */
        SEXP res = panel_finish(dup, R_NilValue, R_NilValue, R_NilValue, K,
                                rmap, jmap, gmap, nr, nc, ng, !isNull(group));
        UNPROTECT(nprot);
        return res;
    }
    cnt[ncol] = out;
    if (out < n) {
        ri = PROTECT(xlengthgets(ri, out)); nprot++;
        xx = PROTECT(xlengthgets(xx, out)); nprot++;
    }
    SEXP cp = PROTECT(allocVector(REALSXP, ncol + 1)); nprot++;
    for (R_xlen_t c = 0; c <= ncol; c++) REAL(cp)[c] = (double) cnt[c];
    SEXP res = panel_finish(dup, xx, ri, cp, K, rmap, jmap, gmap, nr, nc, ng,
                            !isNull(group));
    UNPROTECT(nprot);
    return res;
}

SEXP panel_entry(SEXP region, SEXP industry, SEXP group, SEXP value, SEXP threads,
                 int min_groups, panel_measure fn, const SEXP *args)
{
    int nprot = 0;
    SEXP st = PROTECT(panel_stack(region, industry, group, value, 0,
                                  n_threads(threads))); nprot++;
    SEXP res = R_NilValue;
    /* a status (an NA key) is a list of one element; a duplicate has no x */
    if (XLENGTH(st) > 1 && !isNull(named_elt(st, "x"))) {
        SEXP dims = PROTECT(allocVector(INTSXP, 3)); nprot++;
        int *d = INTEGER(dims);
        d[0] = (int) XLENGTH(named_elt(st, "regions"));
        d[1] = (int) XLENGTH(named_elt(st, "industries"));
        d[2] = isNull(group) ? 1 : (int) XLENGTH(named_elt(st, "groups"));
        if (d[2] >= min_groups) {
            res = PROTECT(fn(named_elt(st, "x"), named_elt(st, "ri"),
                             named_elt(st, "cp"), dims, args)); nprot++;
        }
    }
    const char *nms[] = {"stack", "result", ""};
    SEXP ans = PROTECT(mkNamed(VECSXP, nms)); nprot++;
    SET_VECTOR_ELT(ans, 0, st);
    SET_VECTOR_ELT(ans, 1, res);
    UNPROTECT(nprot);
    return ans;
}

/* The .Call shell of panel_stack.                                        */
SEXP ffi_panel(SEXP region, SEXP industry, SEXP group, SEXP value, SEXP sum_dup,
               SEXP threads)
{
    return panel_stack(region, industry, group, value,
                       scalar_int(sum_dup, "sum_dup"), n_threads(threads));
}
