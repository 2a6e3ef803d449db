/* gvc.c - Leontief inverses and block kernels for inter-country
 * input-output (ICIO) tables.
 *
 * A table has G countries of N sectors each, rows and columns ordered
 * country-major (C1S1..C1SN, C2S1, ...), n = G*N.  The R side (R/gvc.R)
 * builds the technical-coefficient matrix A and calls:
 *
 *   ffi_gvc_lu(M)                 one LU factorisation (dgetrf) of M = I - A,
 *                             returned as list(lu, ipiv) and reused for
 *                             every right-hand side;
 *   ffi_gvc_lu_solve(lu, ipiv, R, trans)   M^-1 R or M^-T R (dgetrs);
 *   ffi_gvc_lu_inverse(lu, ipiv)  M^-1 from the factors (dgetri);
 *   ffi_gvc_local(A, N, G)        the G local inverses (I - A_ss)^-1 as an
 *                             N x N x G array (N x N LU solves);
 *   ffi_gvc_local_solve(A, N, G, R, trans)  blockdiag(I - A_ss)^-1 R (or its
 *                             transpose), without forming any GN x GN matrix;
 *   ffi_gvc_ablock(A, H, N, G)    out[(s,j), r] = sum_i A[(s,j),(r,i)] H[(r,i), c]
 *                             for r != s (0 for r == s), with c = 1 when H
 *                             has one column and c = s when it has G: the
 *                             products A_sr h_r that every value-added
 *                             decomposition needs, in one O(n^2) pass.
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

SEXP ffi_gvc_lu(SEXP M)
{
    gvc_need_matrix(M, "M", -1, -1);
    int n = gvc_nrow(M);
    if (gvc_ncol(M) != n) error("internal error: 'M' must be square");
    int nprot = 0;
    SEXP lu = PROTECT(duplicate(M)); nprot++;
    SEXP ipiv = PROTECT(allocVector(INTSXP, n)); nprot++;
    int info = 0;
    if (n > 0) F77_CALL(dgetrf)(&n, &n, REAL(lu), &n, INTEGER(ipiv), &info);
    if (info < 0) error("internal error: dgetrf argument %d", -info);
    if (info > 0)
        error("I - A is singular (zero pivot at row %d): the table has no "
              "Leontief inverse", info);
    SEXP out = PROTECT(allocVector(VECSXP, 2)); nprot++;
    SET_VECTOR_ELT(out, 0, lu);
    SET_VECTOR_ELT(out, 1, ipiv);
    SEXP nms = PROTECT(allocVector(STRSXP, 2)); nprot++;
    SET_STRING_ELT(nms, 0, mkChar("lu"));
    SET_STRING_ELT(nms, 1, mkChar("ipiv"));
    setAttrib(out, R_NamesSymbol, nms);
    UNPROTECT(nprot);
    return out;
}

SEXP ffi_gvc_lu_solve(SEXP lu, SEXP ipiv, SEXP R, SEXP trans)
{
    gvc_need_matrix(lu, "lu", -1, -1);
    int n = gvc_nrow(lu);
    need_int(ipiv, "ipiv");
    need_len(ipiv, n, "ipiv");
    gvc_need_matrix(R, "R", n, -1);
    int k = gvc_ncol(R), info = 0;
    const char *tr = scalar_int(trans, "trans") ? "T" : "N";
    SEXP out = PROTECT(duplicate(R));
    if (n > 0 && k > 0)
        F77_CALL(dgetrs)(tr, &n, &k, REAL(lu), &n, INTEGER(ipiv), REAL(out),
                         &n, &info FCONE);
    if (info != 0) error("internal error: dgetrs info %d", info);
    UNPROTECT(1);
    return out;
}

SEXP ffi_gvc_lu_inverse(SEXP lu, SEXP ipiv)
{
    gvc_need_matrix(lu, "lu", -1, -1);
    int n = gvc_nrow(lu), info = 0, lwork = -1;
    need_int(ipiv, "ipiv");
    need_len(ipiv, n, "ipiv");
    SEXP out = PROTECT(duplicate(lu));
    if (n > 0) {
        double wq = 0;
        F77_CALL(dgetri)(&n, REAL(out), &n, INTEGER(ipiv), &wq, &lwork, &info);
        lwork = (int) wq;
        if (lwork < n) lwork = n;
        double *work = (double *) R_alloc((size_t) lwork, sizeof(double));
        F77_CALL(dgetri)(&n, REAL(out), &n, INTEGER(ipiv), work, &lwork, &info);
        if (info != 0) error("internal error: dgetri info %d", info);
    }
    UNPROTECT(1);
    return out;
}

/* Copy I - A_ss (block s) into an N x N column-major buffer. */
static void gvc_block_imat(const double *A, R_xlen_t n, int N, int s, double *M)
{
    R_xlen_t off = (R_xlen_t) s * N;
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++)
            M[i + (R_xlen_t) j * N] = (i == j ? 1.0 : 0.0) -
                A[(off + i) + (off + j) * n];
}

static int gvc_block_zero(const double *A, R_xlen_t n, int N, int s)
{
    R_xlen_t off = (R_xlen_t) s * N;
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++)
            if (A[(off + i) + (off + j) * n] != 0.0) return 0;
    return 1;
}

/* Solve (I - A_ss) X = R_s (or its transpose) in place for k right-hand
 * sides held in rows off..off+N-1 of the n x k matrix X.  A zero block has
 * I as its inverse and is skipped. */
static void gvc_block_solve(const double *A, R_xlen_t n, int N, int s,
                            double *X, int k, int trans, double *M, int *piv,
                            double *buf)
{
    if (gvc_block_zero(A, n, N, s)) return;
    gvc_block_imat(A, n, N, s, M);
    int info = 0;
    F77_CALL(dgetrf)(&N, &N, M, &N, piv, &info);
    if (info > 0)
        error("I - A_ss is singular for country %d: no local Leontief inverse",
              s + 1);
    R_xlen_t off = (R_xlen_t) s * N;
    for (int c = 0; c < k; c++)
        for (int i = 0; i < N; i++)
            buf[i + (R_xlen_t) c * N] = X[off + i + (R_xlen_t) c * n];
    F77_CALL(dgetrs)(trans ? "T" : "N", &N, &k, M, &N, piv, buf, &N, &info
                     FCONE);
    if (info != 0) error("internal error: dgetrs info %d", info);
    for (int c = 0; c < k; c++)
        for (int i = 0; i < N; i++)
            X[off + i + (R_xlen_t) c * n] = buf[i + (R_xlen_t) c * N];
}

SEXP ffi_gvc_local(SEXP A, SEXP sN, SEXP sG)
{
    int N = scalar_int(sN, "N"), G = scalar_int(sG, "G");
    R_xlen_t n = (R_xlen_t) N * G;
    lapack_dim(n, "n");
    gvc_need_matrix(A, "A", n, n);
    SEXP dim = PROTECT(allocVector(INTSXP, 3));
    INTEGER(dim)[0] = N; INTEGER(dim)[1] = N; INTEGER(dim)[2] = G;
    SEXP out = PROTECT(allocArray(REALSXP, dim));
    double *o = REAL(out);
    const double *a = REAL(A);
    double *M = (double *) R_alloc((size_t) N * N + 1, sizeof(double));
    int *piv = (int *) R_alloc((size_t) N + 1, sizeof(int));
    for (int s = 0; s < G; s++) {
        R_CheckUserInterrupt();       /* between countries: scratch is R_alloc'd */
        double *L = o + (R_xlen_t) s * N * N;
        for (R_xlen_t i = 0; i < (R_xlen_t) N * N; i++) L[i] = 0.0;
        for (int i = 0; i < N; i++) L[i + (R_xlen_t) i * N] = 1.0;
        if (gvc_block_zero(a, n, N, s)) continue;
        gvc_block_imat(a, n, N, s, M);
        int info = 0;
        F77_CALL(dgesv)(&N, &N, M, &N, piv, L, &N, &info);
        if (info > 0)
            error("I - A_ss is singular for country %d: no local Leontief "
                  "inverse", s + 1);
    }
    UNPROTECT(2);
    return out;
}

SEXP ffi_gvc_local_solve(SEXP A, SEXP sN, SEXP sG, SEXP R, SEXP trans)
{
    int N = scalar_int(sN, "N"), G = scalar_int(sG, "G");
    R_xlen_t n = (R_xlen_t) N * G;
    lapack_dim(n, "n");
    gvc_need_matrix(A, "A", n, n);
    gvc_need_matrix(R, "R", n, -1);
    int k = gvc_ncol(R), tr = scalar_int(trans, "trans");
    SEXP out = PROTECT(duplicate(R));
    if (k > 0 && N > 0) {
        double *M = (double *) R_alloc((size_t) N * N, sizeof(double));
        int *piv = (int *) R_alloc((size_t) N, sizeof(int));
        double *buf = (double *) R_alloc((size_t) N * k, sizeof(double));
        for (int s = 0; s < G; s++) {
            R_CheckUserInterrupt();
            gvc_block_solve(REAL(A), n, N, s, REAL(out), k, tr, M, piv, buf);
        }
    }
    UNPROTECT(1);
    return out;
}

/* out[(s,j), r] = sum_i A[(s,j),(r,i)] H[(r,i), c], r != s. */
static void gvc_ablock_kernel(const double *A, R_xlen_t n, int N, int G,
                              const double *H, int kH, double *out)
{
    for (R_xlen_t i = 0; i < n * G; i++) out[i] = 0.0;
    for (R_xlen_t col = 0; col < n; col++) {
        int r = (int) (col / N);
        const double *a = A + col * n;
        double *o = out + (R_xlen_t) r * n;
        if (kH == 1) {
            double h = H[col];
            if (h == 0.0) continue;
            for (R_xlen_t row = 0; row < n; row++) o[row] += a[row] * h;
            /* the diagonal block r == s is cleared below */
        } else {
            for (int s = 0; s < G; s++) {
                if (s == r) continue;
                double h = H[col + (R_xlen_t) s * n];
                if (h == 0.0) continue;
                R_xlen_t lo = (R_xlen_t) s * N, hi = lo + N;
                for (R_xlen_t row = lo; row < hi; row++) o[row] += a[row] * h;
            }
        }
    }
    if (kH == 1)
        for (int r = 0; r < G; r++)
            for (int i = 0; i < N; i++)
                out[(R_xlen_t) r * N + i + (R_xlen_t) r * n] = 0.0;
}

SEXP ffi_gvc_ablock(SEXP A, SEXP H, SEXP sN, SEXP sG)
{
    int N = scalar_int(sN, "N"), G = scalar_int(sG, "G");
    R_xlen_t n = (R_xlen_t) N * G;
    lapack_dim(n, "n");
    gvc_need_matrix(A, "A", n, n);
    gvc_need_matrix(H, "H", n, -1);
    int kH = gvc_ncol(H);
    if (kH != 1 && kH != G)
        error("internal error: 'H' must have 1 or G columns");
    SEXP out = PROTECT(allocMatrix(REALSXP, (int) n, G));
    gvc_ablock_kernel(REAL(A), n, N, G, REAL(H), kH, REAL(out));
    UNPROTECT(1);
    return out;
}
