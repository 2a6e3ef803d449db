/* complexity.c - the iterations of complexity(): the eigenvector method
 * (Lanczos), the method of reflections and fitness and complexity, on the
 * pattern of the RCA incidence matrix M (regions x industries, 0/1).
 *
 * M is given by its index arrays alone, in both orientations (as
 * ffi_rel_pattern returns them): the columns (p, i: the regions of each
 * industry) and the rows (tp, ti: the industries of each region).  A
 * product with M or M' is then a gather over one of them, y[t] = sum of
 * v[s] over the list of t: one pass over the nonzeros, no values read, no
 * scatter.  Regions and industries without any RCA are left out (renumbered
 * away); the R side puts NA there.
 *
 *  - eigenvector: the second eigenpair of the symmetric operator
 *    S'S = U^-1/2 M' D^-1 M U^-1/2 (on the industries; on the regions,
 *    SS' = D^-1/2 M U^-1 M' D^-1/2, when there are fewer of them), by
 *    Lanczos with full reorthogonalisation, deflated against the known first
 *    eigenvector sqrt(u) (sqrt(d)), restarted from the Ritz vector when the
 *    basis is full; the Ritz pair is checked every 4 steps.  One operator
 *    application = two passes over the nonzeros.
 *  - reflections: N fixed steps, k_r = M k_p / d, k_p = M' k_r / u, the
 *    d (u) weighted mean removed and the pair rescaled after each step.
 *  - fitness: F = M Q, Q = 1 / M' (1 / F), each divided by its mean, until
 *    the largest change is below tol.
 * Everything is deterministic (fixed start vector, no RNG, sequential sums).
 */
#include "gvcluster.h"
#include <string.h>

static const char *const cx_method_names[] = {"eigenvector", "reflections",
                                              "fitness"};
enum { CX_EIGENVECTOR, CX_REFLECTIONS, CX_FITNESS, CX_N_METHODS };

/* The pattern in both orientations, without empty rows or columns. */
typedef struct {
    R_xlen_t nr, nc;
    const int *rp, *rc;     /* row r: columns rc[rp[r] .. rp[r + 1] - 1] */
    const int *cp, *cr;     /* column k: rows cr[cp[k] .. cp[k + 1] - 1] */
    double *d, *u;          /* diversities (row counts), ubiquities */
} cx_pattern;

/* out[t] = sum over the list of t of v[s], t < m (lists in ptr / idx);
 * four partial sums so that the additions do not wait on each other. */
static void cx_gather(const int *ptr, const int *idx, R_xlen_t m,
                      const double *v, double *out)
{
    for (R_xlen_t t = 0; t < m; t++) {
        const int *L = idx + ptr[t];
        R_xlen_t n = ptr[t + 1] - ptr[t], q = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (; q + 4 <= n; q += 4) {
            s0 += v[L[q]];
            s1 += v[L[q + 1]];
            s2 += v[L[q + 2]];
            s3 += v[L[q + 3]];
        }
        for (; q < n; q++) s0 += v[L[q]];
        out[t] = (s0 + s1) + (s2 + s3);
    }
}

/* M v / d (regions) and M' w / u (industries). */
static void cx_rows(const cx_pattern *M, const double *v, double *out)
{
    cx_gather(M->rp, M->rc, M->nr, v, out);
    for (R_xlen_t r = 0; r < M->nr; r++) out[r] /= M->d[r];
}

static void cx_cols(const cx_pattern *M, const double *w, double *out)
{
    cx_gather(M->cp, M->cr, M->nc, w, out);
    for (R_xlen_t k = 0; k < M->nc; k++) out[k] /= M->u[k];
}

static double cx_dot(const double *a, const double *b, R_xlen_t n)
{
    double s = 0;
    for (R_xlen_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

/* ---- the eigenvector method --------------------------------------------- */

/* The operator on the side iterated (n entries; the other side has m):
 * out = sc * B (A (sc * v) / odeg), where A gathers the side's entries for
 * each entry of the other side and B the reverse. */
typedef struct {
    R_xlen_t n, m;
    const int *ap, *ai, *bp, *bi;
    const double *sc, *odeg;
    double *w, *y;            /* scratch, n and m */
} cx_op;

static void cx_apply(const cx_op *o, const double *v, double *out)
{
    for (R_xlen_t s = 0; s < o->n; s++) o->w[s] = o->sc[s] * v[s];
    cx_gather(o->ap, o->ai, o->m, o->w, o->y);
    for (R_xlen_t t = 0; t < o->m; t++) o->y[t] /= o->odeg[t];
    cx_gather(o->bp, o->bi, o->n, o->y, out);
    for (R_xlen_t s = 0; s < o->n; s++) out[s] *= o->sc[s];
}

/* v -= w1 (w1'v), w1 of unit length. */
static void cx_deflate(double *v, const double *w1, R_xlen_t n)
{
    double c = cx_dot(w1, v, n);
    for (R_xlen_t i = 0; i < n; i++) v[i] -= c * w1[i];
}

/* Largest eigenpair of the operator on the complement of w1, from q (the
 * start, overwritten): Lanczos with full reorthogonalisation (classical
 * Gram-Schmidt, twice) and explicit restarts from the Ritz vector, a basis
 * of at most kmax vectors.  Converged when the residual norm |b_k s_k| is at
 * most tol |theta|.  Returns 0, or the LAPACK info of a failed dstevx. */
static int cx_lanczos(const cx_op *o, double *q, const double *w1, int kmax,
                      int maxit, double tol, double *value, double *y,
                      int *used, int *conv)
{
    R_xlen_t n = o->n;
    int nn = (int) n, one = 1;
    double d1 = 1.0, d0 = 0.0, dm1 = -1.0;
    double *V = (double *) R_alloc((size_t) n * kmax, sizeof(double));
    double *a = (double *) R_alloc(kmax, sizeof(double));
    double *b = (double *) R_alloc(kmax, sizeof(double));
    double *h = (double *) R_alloc(kmax, sizeof(double));
    double *td = (double *) R_alloc(kmax, sizeof(double));
    double *te = (double *) R_alloc(kmax, sizeof(double));
    double *s = (double *) R_alloc(kmax, sizeof(double));
    double *work = (double *) R_alloc(5 * (size_t) kmax, sizeof(double));
    int *iwork = (int *) R_alloc(5 * (size_t) kmax, sizeof(int));
    int *ifail = (int *) R_alloc(kmax, sizeof(int));
    double *w = (double *) R_alloc(n, sizeof(double));
    double theta = 0, abstol = 2 * DBL_MIN;
    *used = 0; *conv = 0;
    cx_deflate(q, w1, n);
    double nq = sqrt(cx_dot(q, q, n));
    for (R_xlen_t i = 0; i < n; i++) q[i] /= nq;
    for (;;) {
        memcpy(V, q, (size_t) n * sizeof(double));
        int k = 0, done = 0;
        for (int j = 0; j < kmax; j++) {
            R_CheckUserInterrupt();
            const double *vj = V + (R_xlen_t) j * n;
            cx_apply(o, vj, w);
            cx_deflate(w, w1, n);
            (*used)++;
            a[j] = cx_dot(w, vj, n);
            int jj = j + 1;
            for (int pass = 0; pass < 2; pass++) {   /* twice is enough */
                F77_CALL(dgemv)("T", &nn, &jj, &d1, V, &nn, w, &one, &d0, h,
                                &one FCONE);
                F77_CALL(dgemv)("N", &nn, &jj, &dm1, V, &nn, h, &one, &d1, w,
                                &one FCONE);
            }
            cx_deflate(w, w1, n);
            b[j] = sqrt(cx_dot(w, w, n));
            k = jj;
            if (jj == kmax || b[j] < 1e-14 || *used >= maxit || jj % 4 == 0) {
                /* the largest eigenpair of the k x k tridiagonal matrix */
                int m = 0, info = 0;
                memcpy(td, a, (size_t) k * sizeof(double));
                if (k > 1) memcpy(te, b, (size_t) (k - 1) * sizeof(double));
                F77_CALL(dstevx)("V", "I", &k, td, te, &d0, &d0, &k, &k,
                                 &abstol, &m, &theta, s, &k, work, iwork,
                                 ifail, &info FCONE FCONE);
                if (info != 0 || m != 1) return info != 0 ? info : -1;
                double resid = fabs(b[j] * s[k - 1]);
                double scale = fabs(theta) > 1e-300 ? fabs(theta) : 1e-300;
                if (resid <= tol * scale || b[j] < 1e-14) {
                    done = 1;
                    break;
                }
                if (*used >= maxit) break;
            }
            if (jj < kmax) {
                double *vn = V + (R_xlen_t) jj * n;
                for (R_xlen_t i = 0; i < n; i++) vn[i] = w[i] / b[j];
            }
        }
        /* the Ritz vector */
        F77_CALL(dgemv)("N", &nn, &k, &d1, V, &nn, s, &one, &d0, y, &one FCONE);
        double ny = sqrt(cx_dot(y, y, n));
        for (R_xlen_t i = 0; i < n; i++) y[i] /= ny;
        if (done || *used >= maxit) {
            *value = theta;
            *conv = done;
            return 0;
        }
        memcpy(q, y, (size_t) n * sizeof(double));
    }
}

/* ECI (e, regions) and PCI (p, industries) directions of the second
 * eigenpair; the iteration runs on the smaller side. */
static int cx_eigenvector(const cx_pattern *M, int maxit, int basis,
                          double tol, double *e, double *p, double *value,
                          int *used, int *conv)
{
    int side_p = M->nc <= M->nr;            /* iterate on the industries */
    cx_op o;
    const double *deg = side_p ? M->u : M->d;
    o.n = side_p ? M->nc : M->nr;
    o.m = side_p ? M->nr : M->nc;
    o.ap = side_p ? M->rp : M->cp; o.ai = side_p ? M->rc : M->cr;
    o.bp = side_p ? M->cp : M->rp; o.bi = side_p ? M->cr : M->rc;
    o.odeg = side_p ? M->d : M->u;
    R_xlen_t n = o.n;
    double *sc = (double *) R_alloc(n, sizeof(double));
    double *w1 = (double *) R_alloc(n, sizeof(double));
    double *q = (double *) R_alloc(n, sizeof(double));
    double *v = (double *) R_alloc(n, sizeof(double));
    o.w = (double *) R_alloc(n, sizeof(double));
    o.y = (double *) R_alloc(o.m, sizeof(double));
    o.sc = sc;
    for (R_xlen_t s = 0; s < n; s++) {
        sc[s] = 1 / sqrt(deg[s]);
        w1[s] = sqrt(deg[s]);
    }
    double nw = sqrt(cx_dot(w1, w1, n));
    for (R_xlen_t s = 0; s < n; s++) w1[s] /= nw;
    /* start: the first reflection (the average degree of the other side),
     * scaled to the symmetric operator, plus a small fixed perturbation so
     * that it is never orthogonal to the wanted vector */
    cx_gather(o.bp, o.bi, n, o.odeg, q);
    for (R_xlen_t s = 0; s < n; s++) q[s] = sqrt(deg[s]) * (q[s] / deg[s]);
    double eps = 1e-3 * sqrt(cx_dot(q, q, n) / (double) n);
    for (R_xlen_t s = 0; s < n; s++) q[s] += eps * cos((double) (s + 1));
    /* at most `basis` vectors (200 from R), 5e6 numbers, n - 1; at least 2 */
    double km = basis;
    if ((double) (n - 1) < km) km = (double) (n - 1);
    if (floor(5e6 / (double) n) < km) km = floor(5e6 / (double) n);
    if (km < 2) km = 2;
    int info = cx_lanczos(&o, q, w1, (int) km, maxit, tol, value, v, used, conv);
    if (info != 0) return info;
    if (side_p) {
        for (R_xlen_t k = 0; k < M->nc; k++) p[k] = sc[k] * v[k];
        cx_rows(M, p, e);                    /* ECI = region average of PCI */
    } else {
        for (R_xlen_t r = 0; r < M->nr; r++) e[r] = sc[r] * v[r];
        cx_cols(M, e, p);
    }
    return 0;
}

/* ---- reflections and fitness -------------------------------------------- */

/* v -= sum(wt v) / sum(wt), wt the degrees: the part along the constant
 * vector that the averaging operators keep. */
static void cx_center(double *v, const double *wt, R_xlen_t n)
{
    double sw = 0, s = 0;
    for (R_xlen_t i = 0; i < n; i++) sw += wt[i];
    for (R_xlen_t i = 0; i < n; i++) s += (wt[i] / sw) * v[i];
    for (R_xlen_t i = 0; i < n; i++) v[i] -= s;
}

/* N steps from k_r = d, k_p = u; e = k_r after N - 1, p = k_p after N. */
static void cx_reflections(const cx_pattern *M, int N, double *e, double *p)
{
    R_xlen_t nr = M->nr, nc = M->nc;
    double *kr = (double *) R_alloc(nr, sizeof(double));
    double *kp = (double *) R_alloc(nc, sizeof(double));
    double *krn = (double *) R_alloc(nr, sizeof(double));
    double *kpn = (double *) R_alloc(nc, sizeof(double));
    memcpy(kr, M->d, (size_t) nr * sizeof(double));
    memcpy(kp, M->u, (size_t) nc * sizeof(double));
    memcpy(e, kr, (size_t) nr * sizeof(double));
    for (int it = 2; it <= N; it++) {
        R_CheckUserInterrupt();
        cx_rows(M, kp, krn);
        cx_cols(M, kr, kpn);
        cx_center(krn, M->d, nr);
        cx_center(kpn, M->u, nc);
        double sc = 0;
        for (R_xlen_t r = 0; r < nr; r++) if (fabs(krn[r]) > sc) sc = fabs(krn[r]);
        for (R_xlen_t k = 0; k < nc; k++) if (fabs(kpn[k]) > sc) sc = fabs(kpn[k]);
        if (sc > 0) {
            for (R_xlen_t r = 0; r < nr; r++) krn[r] /= sc;
            for (R_xlen_t k = 0; k < nc; k++) kpn[k] /= sc;
        }
        double *t = kr; kr = krn; krn = t;
        t = kp; kp = kpn; kpn = t;
        if (it == N - 1) memcpy(e, kr, (size_t) nr * sizeof(double));
    }
    memcpy(p, kp, (size_t) nc * sizeof(double));
}

/* Fitness F (regions, in f) and complexity Q (industries, in q) from 1;
 * returns the steps taken; *conv when the largest change fell below tol. */
static int cx_fitness(const cx_pattern *M, int maxit, double tol, double *f,
                      double *q, int *conv)
{
    R_xlen_t nr = M->nr, nc = M->nc;
    double *fn = (double *) R_alloc(nr, sizeof(double));
    double *qn = (double *) R_alloc(nc, sizeof(double));
    double *inv = (double *) R_alloc(nr, sizeof(double));
    for (R_xlen_t r = 0; r < nr; r++) f[r] = 1;
    for (R_xlen_t k = 0; k < nc; k++) q[k] = 1;
    *conv = 0;
    int it;
    for (it = 1; it <= maxit; it++) {
        if (it % 64 == 0) R_CheckUserInterrupt();
        cx_gather(M->rp, M->rc, nr, q, fn);
        for (R_xlen_t r = 0; r < nr; r++) inv[r] = 1 / f[r];
        cx_gather(M->cp, M->cr, nc, inv, qn);
        double mf = 0, mq = 0;
        for (R_xlen_t k = 0; k < nc; k++) { qn[k] = 1 / qn[k]; mq += qn[k]; }
        for (R_xlen_t r = 0; r < nr; r++) mf += fn[r];
        mf /= (double) nr; mq /= (double) nc;
        double ch = 0;
        int bad = 0;
        for (R_xlen_t r = 0; r < nr; r++) {
            fn[r] /= mf;
            double dd = fabs(fn[r] - f[r]);
            if (!R_FINITE(dd)) bad = 1; else if (dd > ch) ch = dd;
            f[r] = fn[r];
        }
        for (R_xlen_t k = 0; k < nc; k++) {
            qn[k] /= mq;
            double dd = fabs(qn[k] - q[k]);
            if (!R_FINITE(dd)) bad = 1; else if (dd > ch) ch = dd;
            q[k] = qn[k];
        }
        if (bad) break;
        if (ch < tol) { *conv = 1; break; }
    }
    return it > maxit ? maxit : it;
}

/* ---- the shell ------------------------------------------------------------ */

/* Checks a compressed index (ptr: n + 1 pointers, idx: values < m). */
static void cx_check_index(SEXP ptr, SEXP idx, R_xlen_t n, R_xlen_t m,
                           const char *what)
{
    need_int(ptr, what);
    need_int(idx, what);
    need_len(ptr, n + 1, what);
    const int *pp = INTEGER(ptr), *ii = INTEGER(idx);
    if (pp[0] != 0 || pp[n] != XLENGTH(idx))
        error("internal error: bad pointers in '%s'", what);
    for (R_xlen_t t = 0; t < n; t++)
        if (pp[t + 1] < pp[t]) error("internal error: bad pointers in '%s'", what);
    for (R_xlen_t q = 0; q < XLENGTH(idx); q++)
        if (ii[q] < 0 || ii[q] >= m)
            error("internal error: index out of range in '%s'", what);
}

/* One orientation renumbered without the empty lists of the other side:
 * list t of the kept ones gets idx mapped through map. */
static void cx_compact(const int *ptr, const int *idx, R_xlen_t n,
                       const int *map, int **optr, int **oidx, R_xlen_t *nk)
{
    R_xlen_t k = 0;
    int *op_ = (int *) R_alloc(n + 1, sizeof(int));
    int *oi = (int *) R_alloc(ptr[n] > 0 ? ptr[n] : 1, sizeof(int));
    op_[0] = 0;
    for (R_xlen_t t = 0; t < n; t++) {
        if (ptr[t + 1] == ptr[t]) continue;
        for (int q = ptr[t]; q < ptr[t + 1]; q++) oi[q] = map[idx[q]];
        op_[++k] = ptr[t + 1];
    }
    *optr = op_; *oidx = oi; *nk = k;
}

/* The pattern of the regions and industries with an RCA (the others are
 * left out and the rest renumbered), with its row and column degrees. */
static void cx_pattern_from(cx_pattern *Mp, SEXP p, SEXP i, SEXP tp, SEXP ti,
                            R_xlen_t nr, R_xlen_t nc)
{
    cx_pattern M;
    /* renumber the regions and industries with an RCA */
    const int *pp = INTEGER(p), *tpp = INTEGER(tp);
    int *rmap = (int *) R_alloc(nr > 0 ? nr : 1, sizeof(int));
    int *cmap = (int *) R_alloc(nc > 0 ? nc : 1, sizeof(int));
    R_xlen_t kr = 0, kc = 0;
    for (R_xlen_t r = 0; r < nr; r++) rmap[r] = tpp[r + 1] > tpp[r] ? (int) kr++ : -1;
    for (R_xlen_t k = 0; k < nc; k++) cmap[k] = pp[k + 1] > pp[k] ? (int) kc++ : -1;
    if (kr < 2 || kc < 2) error("internal error: fewer than two regions or industries");
    if (kr == nr && kc == nc) {
        M.rp = tpp; M.rc = INTEGER(ti); M.cp = pp; M.cr = INTEGER(i);
    } else {
        int *a, *b;
        cx_compact(tpp, INTEGER(ti), nr, cmap, &a, &b, &kr);
        M.rp = a; M.rc = b;
        cx_compact(pp, INTEGER(i), nc, rmap, &a, &b, &kc);
        M.cp = a; M.cr = b;
    }
    M.nr = kr; M.nc = kc;
    M.d = (double *) R_alloc(kr, sizeof(double));
    M.u = (double *) R_alloc(kc, sizeof(double));
    for (R_xlen_t r = 0; r < kr; r++) M.d[r] = M.rp[r + 1] - M.rp[r];
    for (R_xlen_t k = 0; k < kc; k++) M.u[k] = M.cp[k + 1] - M.cp[k];
    *Mp = M;
}

/* p, i: columns (CSC); tp, ti: rows; dims: regions, industries; method by
 * name; opts: iterations (the number of reflections or the most
 * products / steps) and basis (the most Lanczos vectors before a restart).
 * Returns eci and pci over the regions and industries with an RCA, avg =
 * M pci / d (for the sign of PCI), iterations, converged, eigenvalue. */
SEXP ffi_cx_complexity(SEXP p, SEXP i, SEXP tp, SEXP ti, SEXP dims,
                       SEXP method, SEXP opts, SEXP tol)
{
    int nprot = 0;
    need_real(dims, "dims");
    need_len(dims, 2, "dims");
    double dnr = REAL(dims)[0], dnc = REAL(dims)[1];
    if (!(dnr >= 0 && dnr <= INT_MAX && dnc >= 0 && dnc <= INT_MAX))
        error("internal error: bad 'dims'");
    R_xlen_t nr = (R_xlen_t) dnr, nc = (R_xlen_t) dnc;
    cx_check_index(p, i, nc, nr, "p, i");
    cx_check_index(tp, ti, nr, nc, "tp, ti");
    if (XLENGTH(i) != XLENGTH(ti)) error("internal error: 'i' and 'ti' differ in length");
    int meth = choice_code(method, cx_method_names, CX_N_METHODS, "method");
    int maxit = named_int(opts, "iterations");
    int basis = named_int(opts, "basis");
    double tl = scalar_real(tol, "tol");
    if (maxit == NA_INTEGER || maxit < 1 || (meth == CX_REFLECTIONS && maxit < 2))
        error("internal error: bad 'iterations'");
    if (basis == NA_INTEGER || basis < 2) error("internal error: bad 'basis'");
    if (!(tl > 0)) error("internal error: bad 'tol'");
    cx_pattern M;
    cx_pattern_from(&M, p, i, tp, ti, nr, nc);

    SEXP eci = PROTECT(allocVector(REALSXP, M.nr)); nprot++;
    SEXP pci = PROTECT(allocVector(REALSXP, M.nc)); nprot++;
    SEXP avg = PROTECT(allocVector(REALSXP, M.nr)); nprot++;
    double value = NA_REAL;
    int used = maxit, conv = NA_LOGICAL;
    if (meth == CX_EIGENVECTOR) {
        int info = cx_eigenvector(&M, maxit, basis, tl, REAL(eci), REAL(pci),
                                  &value, &used, &conv);
        if (info != 0) error("LAPACK dstevx failed (info = %d)", info);
    } else if (meth == CX_REFLECTIONS) {
        cx_reflections(&M, maxit, REAL(eci), REAL(pci));
    } else {
        used = cx_fitness(&M, maxit, tl, REAL(eci), REAL(pci), &conv);
    }
    cx_rows(&M, REAL(pci), REAL(avg));
    const char *nms[] = {"eci", "pci", "avg", "iterations", "converged",
                         "eigenvalue", ""};
    SEXP ans = PROTECT(mkNamed(VECSXP, nms)); nprot++;
    SET_VECTOR_ELT(ans, 0, eci);
    SET_VECTOR_ELT(ans, 1, pci);
    SET_VECTOR_ELT(ans, 2, avg);
    SET_VECTOR_ELT(ans, 3, ScalarInteger(used));
    SET_VECTOR_ELT(ans, 4, ScalarLogical(conv));
    SET_VECTOR_ELT(ans, 5, ScalarReal(value));
    UNPROTECT(nprot);
    return ans;
}
