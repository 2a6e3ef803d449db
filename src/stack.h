/* stack.h - internal helpers shared by the index kernels (stack.c,
 * specialization.c, concentration.c, sort.c, panel.c, agglomeration.c,
 * shift-share.c).
 *
 * A "stack" is one or more region x industry matrices (one per group, e.g.
 * year) stored column by column: column c = g * nc + j holds industry j of
 * group g.  Dense input: one group, ri == NULL, column c starts at c * nr.
 * Sparse input (a dgCMatrix or a panel sorted by panel_stack): ri holds the
 * 0-based region of each entry and cp[c] .. cp[c + 1] - 1 the entries of
 * column c.
 */
#ifndef GVCLUSTER_STACK_H
#define GVCLUSTER_STACK_H

#include "gvcluster.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    const double *x;
    const int *ri;        /* NULL for a dense matrix */
    const R_xlen_t *cp;   /* NULL for a dense matrix */
    int nr, nc, ng;
    int nt;               /* threads for idx_margins on a dense matrix (1) */
} idx_stack;

static inline R_xlen_t idx_beg(const idx_stack *m, R_xlen_t c)
{
    return m->cp ? m->cp[c] : c * (R_xlen_t) m->nr;
}

static inline int idx_row(const idx_stack *m, R_xlen_t k, R_xlen_t beg)
{
    return m->ri ? m->ri[k] : (int) (k - beg);
}

/* Columns per block of plain partial row sums before a Kahan step.     */
#define IDX_BLOCK 16

/* Column segments of a sparse group with IDX_PAR_MIN entries or more.    */
#define IDX_CSEG 4

/* Parallel loops run only from this much work (cells, a sort counting as
 * eight); below it, starting the threads costs more than they save.      */
#define IDX_PAR_MIN 50000.0

/* Compensated sum of n values: Kahan over pairwise sums of eight (no chain
 * of dependent additions per value); NaN or Inf when a value is.           */
static inline double idx_colsum(const double *xv, R_xlen_t n)
{
    double s = 0.0, sc = 0.0;
    R_xlen_t k = 0;
    for (; k + 8 <= n; k += 8) {
        double a = ((xv[k] + xv[k + 1]) + (xv[k + 2] + xv[k + 3])) +
                   ((xv[k + 4] + xv[k + 5]) + (xv[k + 6] + xv[k + 7]));
        KAHAN(s, sc, a);
    }
    for (; k < n; k++) KAHAN(s, sc, xv[k]);
    return s - sc;
}

/* Reads x, ri, cp, dims (integer nr, nc, ng) into a stack and checks the
 * sparse slots in one pass over ri: cp spans x without decreasing, row
 * indices in range and, when strict (the slots of a dgCMatrix from R; a
 * stack panel_stack built keeps its rows in any order), strictly
 * increasing within each column.  Returns 0 when they are malformed
 * (R words the error, see idx_malformed()); idx_stack_from() makes that an
 * internal error, for stacks the package built itself.                   */
int idx_stack_read(idx_stack *m, SEXP x, SEXP ri, SEXP cp, SEXP dims, int strict);
void idx_stack_from(idx_stack *m, SEXP x, SEXP ri, SEXP cp, SEXP dims);

/* What an index kernel returns for malformed slots: list(malformed = TRUE). */
SEXP idx_malformed(void);

/* Pass 1 over group g: compensated row and column sums, NA flags, count of
 * negative entries.  NA entries are skipped (the flags say where they were).
 * rs has nr, cs has nc elements; rowna/colna likewise; returns the number of
 * NA entries and adds the negatives to *neg.                               */
R_xlen_t idx_margins(const idx_stack *m, int g, double *rs, double *cs,
                     int *rowna, int *colna, double *total, R_xlen_t *neg);

/* Number of column segments of group g of a sparse stack (idx_margins and
 * the sparse specialisation kernel cut the columns the same way).          */
int idx_nseg_sparse(const idx_stack *m, int g);

/* First industry of column segment sg of nseg over nc industries.        */
static inline int idx_cseg_at(int nc, int sg, int nseg)
{
    return (int) ((R_xlen_t) nc * sg / nseg);
}

/* Long panel -> stack by a counting sort (panel.c): what ffi_panel returns
 * to R, also the first step of ffi_agglomeration.                        */
SEXP panel_stack(SEXP region, SEXP industry, SEXP group, SEXP value, int sum,
                 int nt);

/* A long-panel entry, one .Call per operation: the panel (keys planned in
 * R) stacked by panel_stack, then, when it stacked (no NA key, no
 * duplicate cell) into at least min_groups groups, the measure fn on the
 * stack's x, ri, cp and dims (regions, industries, groups) with the
 * caller's other arguments.  list(stack = what ffi_panel returns, result
 * = what fn returns or NULL); R reports the stack's status.              */
typedef SEXP (*panel_measure)(SEXP x, SEXP ri, SEXP cp, SEXP dims, const SEXP *args);
SEXP panel_entry(SEXP region, SEXP industry, SEXP group, SEXP value, SEXP threads,
                 int min_groups, panel_measure fn, const SEXP *args);

/* ---- key columns of a long panel (panel.c; also lq.c's panels) -------
 * R plans the keys before the one call: a factor goes as its codes, a
 * string (or another non-numeric) key coded 1..k in R, a plain integer or
 * double key as it is.  C reads integer keys (also codes) and whole-number
 * doubles within a range of idx_key_span_max(n) in place, as offsets from
 * their minimum lo; any other numeric key it codes itself by sorting
 * (panel_key_sort: codes 0..k-1 in increasing order of the value, vals the
 * value of each code).  An NA in a key is KEY_NA, the only status.       */
typedef struct {
    const int *iv;        /* an integer key (or codes), or */
    const double *dv;     /* a whole-number double key; neither: no key */
    const double *vals;   /* sorted keys: the value of each code, else NULL */
    double lo;
    R_xlen_t span;        /* maximum - minimum + 1 */
} idx_key;

static inline R_xlen_t idx_key_off(const idx_key *q, R_xlen_t k)
{
    return q->iv ? (R_xlen_t) q->iv[k] - (R_xlen_t) q->lo :
           q->dv ? (R_xlen_t) (q->dv[k] - q->lo) : 0;
}

/* What reading the keys found: all can be read, or key *which has an NA. */
enum { KEY_OK, KEY_NA };

/* The longest key range read in place: max(1e6, n).                       */
double idx_key_span_max(R_xlen_t n);

/* Reads the key columns kv[0..2] (region, industry, group; group
 * R_NilValue for none) of n rows, sorting those that cannot be read in
 * place.                                                                  */
int panel_keys(SEXP kv[3], R_xlen_t n, int nt, idx_key K[3], int *which);

/* Key q recoded 0..k-1 by sorting its values (when a product of key ranges
 * would be too long to count over); a no-op for a key already sorted.     */
void panel_key_sort(idx_key *q, R_xlen_t n);

/* Codes 0..k-1 of n 64-bit keys in increasing order (the keys are sorted
 * in place, payload ix from 0..n-1); returns k; first[c], when not NULL,
 * gets the key of code c (k <= n entries).                                */
R_xlen_t panel_sort_codes(uint64_t *key, int *ix, R_xlen_t n, int *code,
                          uint64_t *first);

/* list(na_key = "region" / "industry" / "by"): key q has an NA.           */
SEXP panel_key_status(const char *name, int q);

/* What an index kernel returns: list(values = the result matrix,
 * negatives = the number of negative entries seen, suspect = TRUE when
 * pass 1 met an NA or NaN cell or a total that is not finite).  R checks
 * the values for NaN and infinities only when suspect is TRUE: the check
 * costs a pass over the data, the flag nothing (idx_suspect()).          */
SEXP idx_result(SEXP values, R_xlen_t neg, int suspect);

/* Whether pass 1's NA count and total leave room for a NaN or an infinite
 * cell: an infinite cell makes its column's sum and so the total
 * infinite or NaN; a NaN cell is counted with the NAs.                   */
static inline int idx_suspect(R_xlen_t nna, double total)
{
    return nna > 0 || !isfinite(total);
}

/* Weights of the weighted Hoover index (NULL: unweighted), normalised to
 * sum to one; n values (stack.c).                                          */
const double *idx_norm_weights(SEXP weights, int n);

/* The sorts order the IEEE bit patterns of non-negative doubles as unsigned
 * integers (the same order as the values; +Inf above every finite value). */
#define IDX_INF_BITS UINT64_C(0x7FF0000000000000)

static inline uint64_t idx_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

static inline double idx_dbl(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}


/* Stable sort of n bit-pattern keys (sort.c); cnt: IDX_NCNT ints.         */
#define IDX_DIGIT 11
#define IDX_NCNT (2 << IDX_DIGIT)
void idx_sort_keys(uint64_t *k, int *ix, uint64_t *k2, int *ix2, R_xlen_t n,
                   int *cnt);

#endif
