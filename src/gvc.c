/* gvc.c - Leontief inverses and block kernels for inter-country
 * input-output (ICIO) tables.
 *
 * A table has G countries of N sectors each, rows and columns ordered
 * country-major (C1S1..C1SN, C2S1, ...), n = G*N.  The R side (R/gvc.R)
 * builds the technical-coefficient matrix A and calls:
 *
 *   ffi_gvc_lu(M)             one LU factorisation (dgetrf) of M = I - A,
 *                             returned as list(lu, ipiv) and reused for
 *                             every right-hand side;
 *   ffi_gvc_lu_solve(lu, ipiv, R, trans)   M^-1 R or M^-T R (dgetrs);
 *   ffi_gvc_lu_inverse(lu, ipiv)  M^-1 from the factors (dgetri);
 *   ffi_gvc_lu_z(Z, inv)          the LU of I - Z diag(inv) without forming A;
 *   ffi_gvc_blocks_lu(Z, inv, bounds), ffi_gvc_blocks_solve(lu, piv, bounds, R, tr)
 *                             the local factors of the diagonal blocks (of
 *                             any size: a country with its split blocks) and
 *                             solves with them;
 *   ffi_gvc_ablock(Z, H, bounds)  out[(s,j), r] = sum_i Z[(s,j),(r,i)] H[(r,i), c]
 *                             for r != s (0 for r == s), with c = 1 when H
 *                             has one column and c = s when it has G: the
 *                             products A_sr h_r that every value-added
 *                             decomposition needs, in one O(n^2) pass;
 *   ffi_gvc_bdiag_lu(B, bounds)   the LU factors of the diagonal blocks B_ss of
 *                             the global inverse, for ffi_gvc_blocks_solve();
 *   ffi_gvc_norm1(M, imat)        the 1-norm of M (or of I - M);
 *   ffi_gvc_cache_new(env), ffi_gvc_cache_env(ptr)  the per-table cache.
 */
#include "gvcluster.h"

static void gvc_need_matrix(SEXP x, const char *what, R_xlen_t nr, R_xlen_t nc)
{
    need_real(x, what);
    if (!isMatrix(x))
        error("internal error: '%s' must be a matrix", what);
    SEXP d = getAttrib(x, R_DimSymbol);
    if (nr >= 0 && INTEGER(d)[0] != nr)
        error("internal error: '%s' has %d rows, expected %.0f", what,
              INTEGER(d)[0], (double) nr);
    if (nc >= 0 && INTEGER(d)[1] != nc)
        error("internal error: '%s' has %d columns, expected %.0f", what,
              INTEGER(d)[1], (double) nc);
}

static int gvc_nrow(SEXP x) { return INTEGER(getAttrib(x, R_DimSymbol))[0]; }
static int gvc_ncol(SEXP x) { return INTEGER(getAttrib(x, R_DimSymbol))[1]; }

/* The named result of an LU factorization, list(lu, <pivname>, zero_pivot):
 * `pivname` is "ipiv" for one matrix and "piv" for the diagonal blocks (R
 * reads the pivots by that name); lu and piv are protected by the caller. */
static SEXP gvc_lu_result(SEXP lu, SEXP piv, const char *pivname, int zero_pivot)
{
    int nprot = 0;
    const char *nms[] = {"lu", pivname, "zero_pivot", ""};
    SEXP out = PROTECT(mkNamed(VECSXP, nms)); nprot++;
    SET_VECTOR_ELT(out, 0, lu);
    SET_VECTOR_ELT(out, 1, piv);
    SET_VECTOR_ELT(out, 2, ScalarInteger(zero_pivot));
    UNPROTECT(nprot);
    return out;
}

/* LU (dgetrf) of the n x n matrix `lu`, in place (the caller protects it):
 * the list(lu, ipiv) that ffi_gvc_lu_solve() takes, and the status
 * `zero_pivot`: 0, or the (1-based) row of an exactly zero pivot, where
 * the matrix is singular and R reports it (no message to parse). */
static SEXP lu_in_place(SEXP lu, int n)
{
    int nprot = 0;
    SEXP ipiv = PROTECT(allocVector(INTSXP, n)); nprot++;
    int info = 0;
    if (n > 0) F77_CALL(dgetrf)(&n, &n, REAL(lu), &n, INTEGER(ipiv), &info);
    if (info < 0) error("internal error: dgetrf argument %d", -info);
    SEXP out = gvc_lu_result(lu, ipiv, "ipiv", info);
    UNPROTECT(nprot);
    return out;
}

SEXP ffi_gvc_lu(SEXP M)
{
    int nprot = 0;
    gvc_need_matrix(M, "M", -1, -1);
    int n = gvc_nrow(M);
    if (gvc_ncol(M) != n) error("internal error: 'M' must be square");
    SEXP lu = PROTECT(duplicate(M)); nprot++;
    SEXP out = lu_in_place(lu, n);
    UNPROTECT(nprot);
    return out;
}

SEXP ffi_gvc_lu_solve(SEXP lu, SEXP ipiv, SEXP R, SEXP trans)
{
    int nprot = 0;
    gvc_need_matrix(lu, "lu", -1, -1);
    int n = gvc_nrow(lu);
    need_int(ipiv, "ipiv");
    need_len(ipiv, n, "ipiv");
    gvc_need_matrix(R, "R", n, -1);
    int k = gvc_ncol(R), info = 0;
    const char *tr = scalar_int(trans, "trans") ? "T" : "N";
    SEXP out = PROTECT(duplicate(R)); nprot++;
    if (n > 0 && k > 0)
        F77_CALL(dgetrs)(tr, &n, &k, REAL(lu), &n, INTEGER(ipiv), REAL(out),
                         &n, &info FCONE);
    if (info != 0) error("internal error: dgetrs info %d", info);
    UNPROTECT(nprot);
    return out;
}

SEXP ffi_gvc_lu_inverse(SEXP lu, SEXP ipiv)
{
    int nprot = 0;
    gvc_need_matrix(lu, "lu", -1, -1);
    int n = gvc_nrow(lu), info = 0, lwork = -1;
    need_int(ipiv, "ipiv");
    need_len(ipiv, n, "ipiv");
    SEXP out = PROTECT(duplicate(lu)); nprot++;
    if (n > 0) {
        double wq = 0;
        F77_CALL(dgetri)(&n, REAL(out), &n, INTEGER(ipiv), &wq, &lwork, &info);
        lwork = (int) wq;
        if (lwork < n) lwork = n;
        double *work = (double *) R_alloc((size_t) lwork, sizeof(double));
        F77_CALL(dgetri)(&n, REAL(out), &n, INTEGER(ipiv), work, &lwork, &info);
        if (info != 0) error("internal error: dgetri info %d", info);
    }
    UNPROTECT(nprot);
    return out;
}

/* ---- blocks of any size -------------------------------------------------
 * The decompositions work on "countries" that may span several producer
 * blocks (a country and its split blocks, made contiguous by the R side):
 * block s holds rows bounds[s] .. bounds[s+1]-1.  The coefficients are never
 * formed: A = Z diag(inv), inv = 1/x (0 where x = 0). */

static void gvc_need_bounds(SEXP bounds, R_xlen_t n)
{
    need_int(bounds, "bounds");
    R_xlen_t G = XLENGTH(bounds) - 1;
    const int *b = INTEGER(bounds);
    if (G < 1 || b[0] != 0 || b[G] != n)
        error("internal error: bad 'bounds'");
    for (R_xlen_t s = 0; s < G; s++)
        if (b[s + 1] <= b[s]) error("internal error: bad 'bounds'");
}

/* LU of M = I - Z diag(inv), formed in the result (one n x n allocation). */
SEXP ffi_gvc_lu_z(SEXP Z, SEXP inv)
{
    gvc_need_matrix(Z, "Z", -1, -1);
    int n = gvc_nrow(Z);
    gvc_need_matrix(Z, "Z", n, n);
    need_real(inv, "inv");
    need_len(inv, n, "inv");
    int nprot = 0;
    SEXP lu = PROTECT(allocMatrix(REALSXP, n, n)); nprot++;
    double *m = REAL(lu);
    const double *z = REAL(Z), *w = REAL(inv);
    for (R_xlen_t j = 0; j < n; j++) {
        double *mj = m + j * n;
        const double *zj = z + j * n;
        for (R_xlen_t i = 0; i < n; i++) mj[i] = -zj[i] * w[j];
        mj[j] += 1.0;
    }
    SEXP out = lu_in_place(lu, n);
    UNPROTECT(nprot);
    return out;
}

/* The cells of G diagonal blocks stored one after another: sum_s N_s^2. */
static R_xlen_t gvc_blocks_cells(const int *b, int G)
{
    R_xlen_t tot = 0;
    for (int s = 0; s < G; s++)
        tot += (R_xlen_t) (b[s + 1] - b[s]) * (b[s + 1] - b[s]);
    return tot;
}

/* LU factors of every diagonal block I - A_ss, concatenated (block s at
 * offset sum_{t<s} N_t^2), with their pivots (offset bounds[s]). */
SEXP ffi_gvc_blocks_lu(SEXP Z, SEXP inv, SEXP bounds)
{
    gvc_need_matrix(Z, "Z", -1, -1);
    int n = gvc_nrow(Z);
    gvc_need_matrix(Z, "Z", n, n);
    need_real(inv, "inv");
    need_len(inv, n, "inv");
    gvc_need_bounds(bounds, n);
    int G = (int) XLENGTH(bounds) - 1;
    const int *b = INTEGER(bounds);
    R_xlen_t tot = gvc_blocks_cells(b, G);
    int nprot = 0;
    SEXP lu = PROTECT(allocVector(REALSXP, tot)); nprot++;
    SEXP piv = PROTECT(allocVector(INTSXP, n)); nprot++;
    const double *z = REAL(Z), *w = REAL(inv);
    double *m = REAL(lu);
    for (int s = 0; s < G; s++) {
        R_CheckUserInterrupt();
        int N = b[s + 1] - b[s], off = b[s], info = 0;
        for (int j = 0; j < N; j++)
            for (int i = 0; i < N; i++)
                m[i + (R_xlen_t) j * N] = (i == j ? 1.0 : 0.0) -
                    z[(off + i) + (R_xlen_t) (off + j) * n] * w[off + j];
        F77_CALL(dgetrf)(&N, &N, m, &N, INTEGER(piv) + off, &info);
        if (info > 0)
            error("I - A_ss is singular for country block %d: no local "
                  "Leontief inverse", s + 1);
        m += (R_xlen_t) N * N;
    }
    const char *nms[] = {"lu", "piv", ""};
    SEXP out = PROTECT(mkNamed(VECSXP, nms)); nprot++;
    SET_VECTOR_ELT(out, 0, lu);
    SET_VECTOR_ELT(out, 1, piv);
    UNPROTECT(nprot);
    return out;
}

/* blockdiag(F_s)^-1 R (or ^-T) for factors F_s from ffi_gvc_blocks_lu(); the
 * same kernel solves with the diagonal blocks B_ss of the global inverse
 * when given their LU factors. */
SEXP ffi_gvc_blocks_solve(SEXP lu, SEXP piv, SEXP bounds, SEXP R, SEXP trans)
{
    int nprot = 0;
    need_real(lu, "lu");
    need_int(piv, "piv");
    gvc_need_matrix(R, "R", XLENGTH(piv), -1);
    int n = (int) XLENGTH(piv);
    gvc_need_bounds(bounds, n);
    int G = (int) XLENGTH(bounds) - 1, k = gvc_ncol(R);
    const int *b = INTEGER(bounds);
    const char *tr = scalar_int(trans, "trans") ? "T" : "N";
    SEXP out = PROTECT(duplicate(R)); nprot++;
    double *o = REAL(out);
    const double *m = REAL(lu);
    int maxN = 0;
    for (int s = 0; s < G; s++) if (b[s + 1] - b[s] > maxN) maxN = b[s + 1] - b[s];
    double *buf = (double *) R_alloc((size_t) maxN * (k > 0 ? k : 1), sizeof(double));
    for (int s = 0; s < G && k > 0; s++) {
        int N = b[s + 1] - b[s], off = b[s], info = 0;
        for (int c = 0; c < k; c++)
            for (int i = 0; i < N; i++)
                buf[i + (R_xlen_t) c * N] = o[off + i + (R_xlen_t) c * n];
        F77_CALL(dgetrs)(tr, &N, &k, m, &N, INTEGER(piv) + off, buf, &N, &info
                         FCONE);
        if (info != 0) error("internal error: dgetrs info %d", info);
        for (int c = 0; c < k; c++)
            for (int i = 0; i < N; i++)
                o[off + i + (R_xlen_t) c * n] = buf[i + (R_xlen_t) c * N];
        m += (R_xlen_t) N * N;
    }
    UNPROTECT(nprot);
    return out;
}

/* LU factors (dgetrf) of the diagonal blocks M[b[s]..b[s+1]-1, same] of the
 * n x n matrix M, in the layout of ffi_gvc_blocks_lu() (block s at offset
 * sum_{t<s} N_t^2, pivots at b[s]), so that ffi_gvc_blocks_solve() solves
 * with them.  Returns 0, the 1-based number of the first block with an
 * exactly zero pivot, or -1 when LAPACK refused its arguments. */
static int gvc_bdiag_lu_kernel(const double *M, R_xlen_t n, int G, const int *b,
                               double *lu, int *piv)
{
    for (int s = 0; s < G; s++) {
        int N = b[s + 1] - b[s], off = b[s], info = 0;
        for (int j = 0; j < N; j++)
            for (int i = 0; i < N; i++)
                lu[i + (R_xlen_t) j * N] = M[(off + i) + (R_xlen_t) (off + j) * n];
        F77_CALL(dgetrf)(&N, &N, lu, &N, piv + off, &info);
        if (info < 0) return -1;
        if (info > 0) return s + 1;
        lu += (R_xlen_t) N * N;
    }
    return 0;
}

/* The diagonal blocks B_ss of the global Leontief inverse factored once, for
 * the solves with blockdiag(B_ss) (and its transpose) that Borin-Mancini and
 * WWZ need: list(lu, piv, zero_pivot), zero_pivot the first singular block
 * (1-based) or 0. */
SEXP ffi_gvc_bdiag_lu(SEXP B, SEXP bounds)
{
    int nprot = 0;
    gvc_need_matrix(B, "B", -1, -1);
    R_xlen_t n = gvc_nrow(B);
    gvc_need_matrix(B, "B", n, n);
    gvc_need_bounds(bounds, n);
    int G = (int) XLENGTH(bounds) - 1;
    const int *b = INTEGER(bounds);
    R_xlen_t tot = gvc_blocks_cells(b, G);
    SEXP lu = PROTECT(allocVector(REALSXP, tot)); nprot++;
    SEXP piv = PROTECT(allocVector(INTSXP, n)); nprot++;
    int bad = gvc_bdiag_lu_kernel(REAL(B), n, G, b, REAL(lu), INTEGER(piv));
    if (bad < 0) error("internal error: dgetrf refused a diagonal block");
    SEXP out = gvc_lu_result(lu, piv, "piv", bad);
    UNPROTECT(nprot);
    return out;
}

/* The 1-norm (largest column sum of absolute values) of M, or of I - M
 * when imat is true, without forming either: the exact condition number of
 * I - A from B = (I - A)^-1 with no n x n temporary. */
static double gvc_norm1_kernel(const double *m, R_xlen_t nr, R_xlen_t nc, int imat)
{
    double best = 0.0;
    for (R_xlen_t j = 0; j < nc; j++) {
        const double *c = m + j * nr;
        long double s = 0.0;
        for (R_xlen_t i = 0; i < nr; i++) {
            double v = imat ? (i == j ? 1.0 : 0.0) - c[i] : c[i];
            s += fabs(v);
        }
        if (!(s <= best)) best = (double) s;     /* NaN propagates */
    }
    return best;
}

SEXP ffi_gvc_norm1(SEXP M, SEXP imat)
{
    gvc_need_matrix(M, "M", -1, -1);
    return ScalarReal(gvc_norm1_kernel(REAL_RO(M), gvc_nrow(M), gvc_ncol(M),
                                       scalar_int(imat, "imat")));
}

/* out[(s,j), r] = sum_{i in r} Z[(s,j), i] H[i, c] for r != s (0 for
 * r == s), c = 0 when H has one column, c = s when it has G: the products
 * A_sr h_r (H already scaled by 1/x) in one pass over Z. */
static void gvc_ablock_kernel(const double *Z, R_xlen_t n, int G,
                              const int *b, const int *blk, const double *H,
                              int kH, double *out)
{
    for (R_xlen_t i = 0; i < n * G; i++) out[i] = 0.0;
    for (R_xlen_t col = 0; col < n; col++) {
        int r = blk[col];
        const double *a = Z + col * n;
        double *o = out + (R_xlen_t) r * n;
        if (kH == 1) {
            double h = H[col];
            if (h == 0.0) continue;
            for (R_xlen_t row = 0; row < b[r]; row++) o[row] += a[row] * h;
            for (R_xlen_t row = b[r + 1]; row < n; row++) o[row] += a[row] * h;
        } else {
            for (int s = 0; s < G; s++) {
                if (s == r) continue;
                double h = H[col + (R_xlen_t) s * n];
                if (h == 0.0) continue;
                for (R_xlen_t row = b[s]; row < b[s + 1]; row++)
                    o[row] += a[row] * h;
            }
        }
        if ((col & 255) == 255) R_CheckUserInterrupt();
    }
}

SEXP ffi_gvc_ablock(SEXP Z, SEXP H, SEXP bounds)
{
    int nprot = 0;
    gvc_need_matrix(Z, "Z", -1, -1);
    R_xlen_t n = gvc_nrow(Z);
    gvc_need_matrix(Z, "Z", n, n);
    gvc_need_matrix(H, "H", n, -1);
    gvc_need_bounds(bounds, n);
    int G = (int) XLENGTH(bounds) - 1, kH = gvc_ncol(H);
    if (kH != 1 && kH != G)
        error("internal error: 'H' must have 1 or G columns");
    const int *b = INTEGER(bounds);
    int *blk = (int *) R_alloc((size_t) (n > 0 ? n : 1), sizeof(int));
    for (int s = 0; s < G; s++)
        for (int i = b[s]; i < b[s + 1]; i++) blk[i] = s;
    SEXP out = PROTECT(allocMatrix(REALSXP, (int) n, G)); nprot++;
    gvc_ablock_kernel(REAL(Z), n, G, b, blk, REAL(H), kH, REAL(out));
    UNPROTECT(nprot);
    return out;
}

/* S[(s,j), r] = sum_{i in r} A[(s,j), i] B[i, (s,j)] for r != s (0 for
 * r == s): the diagonals of A_sr B_rs, read from Z, 1/x and the global
 * inverse B without forming A or a transpose. */
SEXP ffi_gvc_self_diag(SEXP Z, SEXP inv, SEXP B, SEXP bounds)
{
    int nprot = 0;
    gvc_need_matrix(Z, "Z", -1, -1);
    R_xlen_t n = gvc_nrow(Z);
    gvc_need_matrix(Z, "Z", n, n);
    gvc_need_matrix(B, "B", n, n);
    need_real(inv, "inv");
    need_len(inv, n, "inv");
    gvc_need_bounds(bounds, n);
    int G = (int) XLENGTH(bounds) - 1;
    const int *b = INTEGER(bounds);
    const double *z = REAL(Z), *w = REAL(inv), *bb = REAL(B);
    SEXP out = PROTECT(allocMatrix(REALSXP, (int) n, G)); nprot++;
    double *o = REAL(out);
    for (R_xlen_t i = 0; i < n * G; i++) o[i] = 0.0;
    for (int r = 0; r < G; r++) {
        for (R_xlen_t i = b[r]; i < b[r + 1]; i++) {
            const double *zi = z + i * n;
            double *orr = o + (R_xlen_t) r * n;
            if (w[i] == 0.0) continue;
            for (R_xlen_t row = 0; row < n; row++) {
                if (row == b[r]) { row = b[r + 1] - 1; continue; }
                orr[row] += zi[row] * w[i] * bb[i + row * n];
            }
        }
        R_CheckUserInterrupt();
    }
    UNPROTECT(nprot);
    return out;
}

/* ---- the per-table cache --------------------------------------------------
 * An icio table carries an external pointer whose address is an environment
 * (kept alive with R_PreserveObject, released by the pointer's finalizer).
 * serialize() writes no address, so saveRDS() of a table carries no cache,
 * and a table read back has a NULL address: no cache, computed anew.
 * The attribute can be replaced by anything (attr<-), so a pointer is ours
 * only when its tag is the package's symbol and its protected value is the
 * one sentinel object of this session (pointer identity: R code cannot set
 * the protected value of an external pointer, and a pointer read back from
 * a file has a copy of it and no address). Anything else is ignored, never
 * dereferenced. */

static SEXP gvc_cache_sentinel = NULL;

static SEXP gvc_cache_tag(void) { return install("gvcluster_icio_cache"); }

static void gvc_cache_finalize(SEXP ptr)
{
    SEXP env = (SEXP) R_ExternalPtrAddr(ptr);
    if (env != NULL) {
        R_ClearExternalPtr(ptr);
        R_ReleaseObject(env);
    }
}

SEXP ffi_gvc_cache_new(SEXP env)
{
    int nprot = 0;
    if (TYPEOF(env) != ENVSXP) error("internal error: 'env' must be an environment");
    if (gvc_cache_sentinel == NULL) {
        gvc_cache_sentinel = allocVector(RAWSXP, 1);
        R_PreserveObject(gvc_cache_sentinel);
    }
    R_PreserveObject(env);
    SEXP ptr = PROTECT(R_MakeExternalPtr((void *) env, gvc_cache_tag(), gvc_cache_sentinel)); nprot++;
    R_RegisterCFinalizerEx(ptr, gvc_cache_finalize, TRUE);
    UNPROTECT(nprot);
    return ptr;
}

SEXP ffi_gvc_cache_env(SEXP ptr)
{
    if (TYPEOF(ptr) != EXTPTRSXP || gvc_cache_sentinel == NULL ||
        R_ExternalPtrTag(ptr) != gvc_cache_tag() ||
        R_ExternalPtrProtected(ptr) != gvc_cache_sentinel)
        return R_NilValue;
    SEXP env = (SEXP) R_ExternalPtrAddr(ptr);
    return (env == NULL || TYPEOF(env) != ENVSXP) ? R_NilValue : env;
}

/* ---- the sums icio() checks and keeps -----------------------------------
 * One pass over Z (nr x nc, column-major) for what icio() needs of it: the
 * row and column sums (long double accumulators, added in the order of R's
 * rowSums() and colSums(), so the results are the same), the smallest
 * value, and whether every sum is finite (a NaN, NA or infinite value makes
 * some sum not finite; so can an overflow, which R's sums share). Four
 * passes over a 100 MB table become one.                                   */

static void gvc_zstats_kernel(const double *z, R_xlen_t nr, R_xlen_t nc,
                              long double *racc, double *rs, double *cs,
                              double *zmin, int *finite)
{
    double m = R_PosInf;
    int fin = 1;
    for (R_xlen_t i = 0; i < nr; i++) racc[i] = 0.0;
    for (R_xlen_t j = 0; j < nc; j++) {
        const double *c = z + j * nr;
        long double s = 0.0;
        for (R_xlen_t i = 0; i < nr; i++) {
            double v = c[i];
            s += v;
            racc[i] += v;
            if (v < m) m = v;
        }
        cs[j] = (double) s;
        if (!R_FINITE(cs[j])) fin = 0;
    }
    for (R_xlen_t i = 0; i < nr; i++) {
        rs[i] = (double) racc[i];
        if (!R_FINITE(rs[i])) fin = 0;
    }
    *zmin = m;
    *finite = fin;
}

SEXP ffi_gvc_zstats(SEXP Z)
{
    need_real(Z, "Z");
    SEXP dim = getAttrib(Z, R_DimSymbol);
    R_xlen_t nr = XLENGTH(Z), nc = 1;
    if (TYPEOF(dim) == INTSXP && XLENGTH(dim) == 2) {
        nr = INTEGER(dim)[0];
        nc = INTEGER(dim)[1];
    }
    int nprot = 0;
    const char *names[] = {"row_sums", "col_sums", "min", "finite", ""};
    SEXP res = PROTECT(mkNamed(VECSXP, names)); nprot++;
    SEXP rs = PROTECT(allocVector(REALSXP, nr)); nprot++;
    SEXP cs = PROTECT(allocVector(REALSXP, nc)); nprot++;
    long double *racc = R_allocLD(nr > 0 ? (size_t) nr : 1);
    double zmin;
    int finite;
    gvc_zstats_kernel(REAL_RO(Z), nr, nc, racc, REAL(rs), REAL(cs), &zmin, &finite);
    SET_VECTOR_ELT(res, 0, rs);
    SET_VECTOR_ELT(res, 1, cs);
    SET_VECTOR_ELT(res, 2, ScalarReal(zmin));
    SET_VECTOR_ELT(res, 3, ScalarLogical(finite));
    UNPROTECT(nprot);
    return res;
}
