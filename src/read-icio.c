/* read-icio.c - the numeric blocks of an input-output table read from a
 * publisher's file (R/read-icio.R).
 *
 * A delimited reader (data.table::fread, or read.table for small files)
 * gives one vector per column; the value-chain code wants column-major
 * matrices. ffi_read_block() copies a set of rows of a set of columns into
 * one freshly allocated matrix in a single pass (memcpy when the rows are
 * a contiguous run of a double column), converting integer and logical
 * columns (NA kept as NA), counts the NA cells while each column is still
 * in cache, and attaches the dimnames given, so that the matrix reaches
 * icio() without further copies. The R side has already
 * checked that every selected column is numeric (or all NA) and named the
 * first that is not; the checks here are internal errors.
 */
#include "gvcluster.h"
#include <string.h>
#include <stdint.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

/* A hint that the large block about to be filled be backed by huge pages
 * where the system gives them on request (Linux, transparent huge pages in
 * "madvise" mode, the default of several distributions): a table of 100 MB
 * then takes some 50 page faults instead of 25,000, which on virtual
 * machines costs more than the copy itself. Only whole 2 MB pages inside
 * the block are advised; the hint changes no value and failure is ignored. */
static void hint_huge_pages(double *p, R_xlen_t n)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t) 1 << 21;
    if (n < (R_xlen_t) 1 << 20) return;           /* under 8 MB: not worth it */
    uintptr_t s = ((uintptr_t) p + huge - 1) & ~(huge - 1);
    uintptr_t e = ((uintptr_t) (p + n)) & ~(huge - 1);
    if (e > s) (void) madvise((void *) s, (size_t) (e - s), MADV_HUGEPAGE);
#else
    (void) p; (void) n;
#endif
}

/* Kinds of source column. */
enum { BLOCK_DOUBLE = 0, BLOCK_INT = 1 };

/* out[, k] = col[k][rows] for k in 0 .. nc - 1, out column-major with nr
 * rows. kind[k] says whether col[k] points at doubles or at ints (R's
 * integers and logicals; na_int becomes na_real). rows holds nr 0-based
 * indices; when `first` >= 0 they are the run first .. first + nr - 1.
 * Each copied column is scanned for NA and NaN while it is still in cache:
 * nna[k] is their number in column k and na_at[k] the row of the first
 * (-1 when none). Columns are independent, so they are shared among nthr
 * threads. */
static void block_copy(double *out, const void *const *col, const int *kind,
                       R_xlen_t nc, const int *rows, R_xlen_t nr, R_xlen_t first,
                       int na_int, double na_real, int nthr,
                       R_xlen_t *nna, R_xlen_t *na_at)
{
#ifdef _OPENMP
#pragma omp parallel for num_threads(nthr) schedule(static) if (nthr > 1 && (double) nr * nc >= 1e6)
#endif
    for (R_xlen_t k = 0; k < nc; k++) {
        double *o = out + k * nr;
        if (kind[k] == BLOCK_DOUBLE) {
            const double *v = (const double *) col[k];
            if (first >= 0) {
                if (nr > 0) memcpy(o, v + first, (size_t) nr * sizeof(double));
            } else {
                for (R_xlen_t i = 0; i < nr; i++) o[i] = v[rows[i]];
            }
        } else {
            const int *v = (const int *) col[k];
            for (R_xlen_t i = 0; i < nr; i++) {
                int a = v[first >= 0 ? first + i : rows[i]];
                o[i] = a == na_int ? na_real : (double) a;
            }
        }
        R_xlen_t cnt = 0, at = -1;
        for (R_xlen_t i = 0; i < nr; i++) {
            if (isnan(o[i])) {
                if (at < 0) at = i;
                cnt++;
            }
        }
        nna[k] = cnt;
        na_at[k] = at;
    }
#ifndef _OPENMP
    (void) nthr;
#endif
}

/* The 1-based row indices as 0-based ones; *rmax the largest, *first the
 * first row when the rows are consecutive (-1 otherwise). */
static int *block_rows(SEXP rows, R_xlen_t nr, int *rmax, R_xlen_t *first)
{
    const int *ri = INTEGER(rows);
    int *r0 = (int *) R_alloc(nr > 0 ? (size_t) nr : 1, sizeof(int));
    *rmax = 0;
    *first = nr > 0 ? (R_xlen_t) ri[0] - 1 : 0;
    for (R_xlen_t i = 0; i < nr; i++) {
        if (ri[i] == NA_INTEGER || ri[i] < 1)
            error("internal error: row index %.0f is %d", (double) i + 1, ri[i]);
        r0[i] = ri[i] - 1;
        if (ri[i] > *rmax) *rmax = ri[i];
        if (*first >= 0 && r0[i] != *first + i) *first = -1;
    }
    return r0;
}

/* Pointers to the chosen columns of the list and their kinds, each checked
 * to be numeric and long enough for row rmax. */
static const void **block_cols(SEXP cols, SEXP j, R_xlen_t nc, int rmax, int **kind_out)
{
    const int *ji = INTEGER(j);
    R_xlen_t ncols = XLENGTH(cols);
    const void **col = (const void **) R_alloc(nc > 0 ? (size_t) nc : 1, sizeof(void *));
    int *kind = (int *) R_alloc(nc > 0 ? (size_t) nc : 1, sizeof(int));
    for (R_xlen_t k = 0; k < nc; k++) {
        if (ji[k] == NA_INTEGER || ji[k] < 1 || ji[k] > ncols)
            error("internal error: column index %d outside 1 .. %.0f", ji[k], (double) ncols);
        SEXP v = VECTOR_ELT(cols, ji[k] - 1);
        if (XLENGTH(v) < rmax)
            error("internal error: column %d has %.0f values, row %d asked for",
                  ji[k], (double) XLENGTH(v), rmax);
        switch (TYPEOF(v)) {
        case REALSXP: kind[k] = BLOCK_DOUBLE; col[k] = REAL_RO(v); break;
        case INTSXP:  kind[k] = BLOCK_INT;    col[k] = INTEGER_RO(v); break;
        case LGLSXP:  kind[k] = BLOCK_INT;    col[k] = LOGICAL_RO(v); break;
        default:
            error("internal error: column %d is %s, not numeric", ji[k],
                  type2char(TYPEOF(v)));
        }
    }
    *kind_out = kind;
    return col;
}

/* The NA cells counted by the copy: their total, and c(row =, column =) of
 * the first, 1-based (an empty vector when there is none). */
static SEXP block_na_first(const R_xlen_t *nna, const R_xlen_t *na_at, R_xlen_t nc,
                           double *total)
{
    int nprot = 0;
    R_xlen_t kfirst = -1;
    *total = 0;
    for (R_xlen_t k = 0; k < nc; k++) {
        *total += (double) nna[k];
        if (kfirst < 0 && na_at[k] >= 0) kfirst = k;
    }
    if (kfirst < 0) {
        UNPROTECT(nprot);
        return allocVector(INTSXP, 0);
    }
    const char *nms[] = {"row", "column", ""};
    SEXP where = PROTECT(mkNamed(INTSXP, nms)); nprot++;
    INTEGER(where)[0] = (int) (na_at[kfirst] + 1);
    INTEGER(where)[1] = (int) (kfirst + 1);
    UNPROTECT(nprot);
    return where;
}

static void block_set_dimnames(SEXP ans, SEXP dimnames, R_xlen_t nr, R_xlen_t nc)
{
    if (isNull(dimnames)) return;
    if (TYPEOF(dimnames) != VECSXP || XLENGTH(dimnames) != 2)
        error("internal error: 'dimnames' must be a list of two");
    SEXP rn = VECTOR_ELT(dimnames, 0), cn = VECTOR_ELT(dimnames, 1);
    if ((!isNull(rn) && XLENGTH(rn) != nr) || (!isNull(cn) && XLENGTH(cn) != nc))
        error("internal error: 'dimnames' do not fit a %.0f x %.0f block",
              (double) nr, (double) nc);
    setAttrib(ans, R_DimNamesSymbol, dimnames);
}

/* The rows `rows` (1-based integers) of the columns `j` (1-based integers)
 * of the list `cols`, as a double matrix with dimnames `dimnames` (a list
 * of two, or NULL): list(block = <the matrix>, na_count = <number of NA
 * and NaN cells>, na_first = <row and column of the first, 1-based within
 * the block, column-major order; integer(0) when there is none>). */
SEXP ffi_read_block(SEXP cols, SEXP rows, SEXP j, SEXP dimnames, SEXP threads)
{
    int nprot = 0;
    if (TYPEOF(cols) != VECSXP)
        error("internal error: 'cols' must be a list (got %s)", type2char(TYPEOF(cols)));
    need_int(rows, "rows");
    need_int(j, "j");
    int nthr = n_threads(threads), rmax, *kind;
    R_xlen_t nr = XLENGTH(rows), nc = XLENGTH(j), first;
    if (nr > INT_MAX || nc > INT_MAX)
        error("internal error: a block of %.0f x %.0f", (double) nr, (double) nc);
    int *r0 = block_rows(rows, nr, &rmax, &first);
    const void **col = block_cols(cols, j, nc, rmax, &kind);
    SEXP ans = PROTECT(allocMatrix(REALSXP, (int) nr, (int) nc)); nprot++;
    hint_huge_pages(REAL(ans), nr * nc);
    /* a phase at a time, so that a user interrupt is seen between them */
    R_xlen_t *nna = (R_xlen_t *) R_alloc(nc > 0 ? (size_t) nc : 1, sizeof(R_xlen_t));
    R_xlen_t *na_at = (R_xlen_t *) R_alloc(nc > 0 ? (size_t) nc : 1, sizeof(R_xlen_t));
    const R_xlen_t step = 1024;
    for (R_xlen_t k0 = 0; k0 < nc; k0 += step) {
        R_xlen_t m = nc - k0 < step ? nc - k0 : step;
        block_copy(REAL(ans) + k0 * nr, col + k0, kind + k0, m, r0, nr, first,
                   NA_INTEGER, NA_REAL, nthr, nna + k0, na_at + k0);
        R_CheckUserInterrupt();
    }
    double total;
    SEXP where = PROTECT(block_na_first(nna, na_at, nc, &total)); nprot++;
    block_set_dimnames(ans, dimnames, nr, nc);
    const char *names[] = {"block", "na_count", "na_first", ""};
    SEXP res = PROTECT(mkNamed(VECSXP, names)); nprot++;
    SET_VECTOR_ELT(res, 0, ans);
    SET_VECTOR_ELT(res, 1, ScalarReal(total));
    SET_VECTOR_ELT(res, 2, where);
    UNPROTECT(nprot);
    return res;
}

/* ---- the shape of a delimited file ------------------------------------------
 * One pass over the bytes of a text file: the number of fields of every
 * line (separators outside double quotes, plus one), compared with the
 * first line's. The first line whose count differs, and the first blank
 * line (nothing but spaces and a carriage return) followed by more data,
 * are reported, so that the reader can name them instead of letting
 * fread() stop early and keep the lines above. Trailing blank lines at the
 * end of the file are allowed; the first `skip` lines are not counted.
 * Returns 0, or -1 when the file cannot be opened. */

typedef struct {
    double lines;        /* lines read (the last one without newline counted) */
    int header;          /* fields of the first line */
    double bad_line;     /* first line with another count (1-based), 0 if none */
    int bad_fields;
    double blank_line;   /* first blank line followed by data, 0 if none */
} read_shape;

static int read_shape_kernel(const char *path, char sep, double skip, read_shape *out)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) return -1;
    char buf[1 << 16];
    double line = 1, pending_blank = 0;
    int fields = 1, quoted = 0, blank = 1, any = 0;
    out->lines = 0; out->header = -1; out->bad_line = 0; out->bad_fields = 0;
    out->blank_line = 0;
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0) {
        for (size_t k = 0; k < got; k++) {
            char c = buf[k];
            any = 1;
            if (c == '"') { quoted = !quoted; blank = 0; continue; }
            if (quoted) continue;
            if (c == '\n') {
                if (line <= skip) {
                    /* the lines above the table (EXIOBASE's three header lines) */
                } else if (blank) {
                    if (pending_blank == 0 && out->header >= 0) pending_blank = line;
                } else {
                    if (pending_blank > 0 && out->blank_line == 0) out->blank_line = pending_blank;
                    if (out->header < 0) out->header = fields;
                    else if (fields != out->header && out->bad_line == 0) {
                        out->bad_line = line; out->bad_fields = fields;
                    }
                }
                line++; fields = 1; blank = 1; any = 0;
                continue;
            }
            if (c == sep) fields++;
            if (c != ' ' && c != '\r') blank = 0;
        }
    }
    fclose(fp);
    if (any && !blank && line > skip) {   /* a last line without newline */
        if (pending_blank > 0 && out->blank_line == 0) out->blank_line = pending_blank;
        if (out->header < 0) out->header = fields;
        else if (fields != out->header && out->bad_line == 0) {
            out->bad_line = line; out->bad_fields = fields;
        }
        out->lines = line;
    } else {
        out->lines = line - 1;
    }
    return 0;
}

SEXP ffi_read_shape(SEXP path, SEXP sep, SEXP skip)
{
    need_real(skip, "skip");
    if (XLENGTH(skip) != 1) error("internal error: 'skip' must be one number");
    if (TYPEOF(path) != STRSXP || XLENGTH(path) != 1 || STRING_ELT(path, 0) == NA_STRING)
        error("internal error: 'path' must be one file name");
    if (TYPEOF(sep) != STRSXP || XLENGTH(sep) != 1 || LENGTH(STRING_ELT(sep, 0)) != 1)
        error("internal error: 'sep' must be one character");
    const char *p = R_ExpandFileName(translateChar(STRING_ELT(path, 0)));
    read_shape s;
    if (read_shape_kernel(p, CHAR(STRING_ELT(sep, 0))[0], REAL(skip)[0], &s) != 0)
        error("cannot open file '%s'", p);
    const char *names[] = {"lines", "header", "bad_line", "bad_fields", "blank_line", ""};
    int nprot = 0;
    SEXP res = PROTECT(mkNamed(VECSXP, names)); nprot++;
    SET_VECTOR_ELT(res, 0, ScalarReal(s.lines));
    SET_VECTOR_ELT(res, 1, ScalarInteger(s.header));
    SET_VECTOR_ELT(res, 2, ScalarReal(s.bad_line));
    SET_VECTOR_ELT(res, 3, ScalarInteger(s.bad_fields));
    SET_VECTOR_ELT(res, 4, ScalarReal(s.blank_line));
    UNPROTECT(nprot);
    return res;
}
