/* spatial.c - spatial weights and the permutation tests of Moran's I.
 *
 * Weights cross from R as one row-compressed structure: row pointers `p`
 * (n + 1 offsets from 0), column indices `j` (0-based) and weights `w`.
 *
 *  - contiguity from polygons' boundary points, as spdep::poly2nb() decides
 *    it: two polygons are neighbours when at least one (queen) or at least
 *    two (rook) pairs of their boundary points lie within `snap` of each
 *    other (|dx| <= snap, |dy| <= snap and hypot(dx, dy) <= snap); each
 *    polygon's points are its rings concatenated without the feature's first
 *    point, as poly2nb() takes them from sf::st_coordinates().  Instead of
 *    comparing every candidate pair of polygons point by point, all points
 *    are sorted by x once and swept, so the cost is O(P log P) in the number
 *    of points P;
 *  - the conditional and total permutation tests of Moran's I, drawing with
 *    R's RNG exactly as spdep draws (sample() without replacement for
 *    moran.mc(), sample(replace = TRUE) for localmoran_perm()), so that
 *    set.seed() reproduces a result.
 *
 * The draws go through R_unif_index(), the one use of R's API in the
 * kernels below (R's RNG is the point of them).
 */
#include "gvcluster.h"
#include <stdlib.h>
#include <string.h>

/* ---- contiguity --------------------------------------------------------- */

typedef struct { double x, y; int f; } sp_point;

static int sp_cmp_point(const void *a, const void *b)
{
    const sp_point *p = a, *q = b;
    if (p->x < q->x) return -1;
    if (p->x > q->x) return 1;
    if (p->y < q->y) return -1;
    if (p->y > q->y) return 1;
    return (p->f > q->f) - (p->f < q->f);
}

static int sp_cmp_u64(const void *a, const void *b)
{
    uint64_t u = *(const uint64_t *) a, v = *(const uint64_t *) b;
    return (u > v) - (u < v);
}

/* Sweep the points sorted by x: the pairs of points of different features
 * within snap, as codes a * n + b (a < b).  With `out` NULL only counts. */
static R_xlen_t sp_close_pairs(const sp_point *pt, R_xlen_t np, double snap,
                               uint64_t n, uint64_t *out)
{
    R_xlen_t k = 0;
    for (R_xlen_t a = 0; a < np; a++) {
        for (R_xlen_t b = a + 1; b < np; b++) {
            double dx = pt[b].x - pt[a].x;
            if (dx > snap) break;
            if (pt[a].f == pt[b].f) continue;
            double dy = fabs(pt[b].y - pt[a].y);
            if (dy > snap || hypot(dx, dy) > snap) continue;
            if (out) {
                uint64_t fa = (uint64_t) pt[a].f, fb = (uint64_t) pt[b].f;
                out[k] = fa < fb ? fa * n + fb : fb * n + fa;
            }
            k++;
        }
    }
    return k;
}

/* Links from the sorted pair codes: a pair of features is linked when its
 * code occurs at least `need` times.  card[] counts each feature's links;
 * link_a/link_b (may be NULL) receive them.  Returns the number of links. */
static R_xlen_t sp_links(const uint64_t *code, R_xlen_t nc, int need,
                         uint64_t n, int *card, int *link_a, int *link_b)
{
    R_xlen_t nl = 0;
    for (R_xlen_t s = 0; s < nc; ) {
        R_xlen_t e = s;
        while (e < nc && code[e] == code[s]) e++;
        if (e - s >= need) {
            int a = (int) (code[s] / n), b = (int) (code[s] % n);
            card[a]++; card[b]++;
            if (link_a) { link_a[nl] = a; link_b[nl] = b; }
            nl++;
        }
        s = e;
    }
    return nl;
}

/* The coordinates of one sfg polygon (a list of ring matrices) or
 * multipolygon (a list of such lists), appended to pt (or counted when pt
 * is NULL); `skip` is set while the feature's first point is still due. */
static R_xlen_t sp_feature_points(SEXP g, int f, sp_point *pt, R_xlen_t k,
                                  int *skip)
{
    if (TYPEOF(g) == VECSXP) {
        for (R_xlen_t r = 0; r < XLENGTH(g); r++)
            k = sp_feature_points(VECTOR_ELT(g, r), f, pt, k, skip);
        return k;
    }
    if (TYPEOF(g) != REALSXP && TYPEOF(g) != INTSXP)
        error("internal error: a ring is not numeric");
    SEXP dim = getAttrib(g, R_DimSymbol);
    if (TYPEOF(dim) != INTSXP || XLENGTH(dim) != 2 || INTEGER(dim)[1] < 2)
        error("internal error: a ring is not a coordinate matrix");
    R_xlen_t nr = INTEGER(dim)[0];
    int real = TYPEOF(g) == REALSXP;   /* sf keeps integer coordinates as given */
    for (R_xlen_t i = 0; i < nr; i++) {
        if (*skip) { *skip = 0; continue; }
        if (pt) {
            pt[k].x = real ? REAL(g)[i] : (double) INTEGER(g)[i];
            pt[k].y = real ? REAL(g)[i + nr] : (double) INTEGER(g)[i + nr];
            pt[k].f = f;
        }
        k++;
    }
    return k;
}

/* Contiguity neighbours of the polygons `geoms` (a list of sfg polygons or
 * multipolygons): list(p = row pointers, j = 1-based neighbours, sorted). */
SEXP ffi_spatial_contiguity(SEXP geoms, SEXP snap_, SEXP queen_)
{
    int nprot = 0;
    if (TYPEOF(geoms) != VECSXP) error("internal error: 'geoms' must be a list");
    double snap = scalar_real(snap_, "snap");
    int need = scalar_int(queen_, "queen") ? 1 : 2;
    R_xlen_t n = XLENGTH(geoms), np = 0;
    if (n >= INT_MAX) error("internal error: too many polygons");
    for (R_xlen_t f = 0; f < n; f++) {
        int skip = 1;
        np = sp_feature_points(VECTOR_ELT(geoms, f), (int) f, NULL, np, &skip);
    }
    sp_point *pt = (sp_point *) R_alloc(np > 0 ? (size_t) np : 1, sizeof(sp_point));
    for (R_xlen_t f = 0, k = 0; f < n; f++) {
        int skip = 1;
        k = sp_feature_points(VECTOR_ELT(geoms, f), (int) f, pt, k, &skip);
    }
    qsort(pt, (size_t) np, sizeof(sp_point), sp_cmp_point);
    R_CheckUserInterrupt();
    R_xlen_t nc = sp_close_pairs(pt, np, snap, (uint64_t) n, NULL);
    uint64_t *code = (uint64_t *) R_alloc(nc > 0 ? (size_t) nc : 1, sizeof(uint64_t));
    sp_close_pairs(pt, np, snap, (uint64_t) n, code);
    qsort(code, (size_t) nc, sizeof(uint64_t), sp_cmp_u64);
    int *card = (int *) R_alloc((size_t) n + 1, sizeof(int));
    memset(card, 0, ((size_t) n + 1) * sizeof(int));
    R_xlen_t nl = sp_links(code, nc, need, (uint64_t) n, card, NULL, NULL);
    int *la = (int *) R_alloc(nl > 0 ? (size_t) nl : 1, sizeof(int));
    int *lb = (int *) R_alloc(nl > 0 ? (size_t) nl : 1, sizeof(int));
    memset(card, 0, ((size_t) n + 1) * sizeof(int));
    sp_links(code, nc, need, (uint64_t) n, card, la, lb);

    const char *nms[] = {"p", "j", ""};
    SEXP ans = PROTECT(mkNamed(VECSXP, nms)); nprot++;
    SEXP p = PROTECT(allocVector(INTSXP, n + 1)); nprot++;
    SEXP j = PROTECT(allocVector(INTSXP, 2 * nl)); nprot++;
    int *pp = INTEGER(p), *jj = INTEGER(j);
    pp[0] = 0;
    for (R_xlen_t f = 0; f < n; f++) pp[f + 1] = pp[f] + card[f];
    for (R_xlen_t f = 0; f < n; f++) card[f] = pp[f];      /* fill cursor */
    for (R_xlen_t l = 0; l < nl; l++) {    /* links come sorted by (a, b) */
        jj[card[la[l]]++] = lb[l] + 1;
        jj[card[lb[l]]++] = la[l] + 1;
    }
    for (R_xlen_t f = 0; f < n; f++)
        if (pp[f + 1] - pp[f] > 1) R_isort(jj + pp[f], pp[f + 1] - pp[f]);
    SET_VECTOR_ELT(ans, 0, p);
    SET_VECTOR_ELT(ans, 1, j);
    UNPROTECT(nprot);
    return ans;
}

/* ---- Moran's I ------------------------------------------------------------ */

/* The spatial lag (W z)_i, summed in the order of the row's neighbours. */
static double sp_lag1(const int *p, const int *j, const double *w,
                      const double *z, R_xlen_t i)
{
    double s = 0.0;
    for (int k = p[i]; k < p[i + 1]; k++) s += w[k] * z[j[k]];
    return s;
}

/* sum_i z_i (W z)_i, accumulated in long double. */
static double sp_cross(const int *p, const int *j, const double *w,
                       const double *z, R_xlen_t n)
{
    long double s = 0.0L;
    for (R_xlen_t i = 0; i < n; i++) s += (long double) z[i] * sp_lag1(p, j, w, z, i);
    return (double) s;
}

/* nsim values of sum z W z over permutations of z, drawn as R's
 * sample(x) draws (sample.int() without replacement). */
static void sp_moran_perm(const int *p, const int *j, const double *w,
                          const double *z, R_xlen_t n, int nsim, double *sims)
{
    int *pool = (int *) R_alloc((size_t) n, sizeof(int));
    double *zp = (double *) R_alloc((size_t) n, sizeof(double));
    for (int s = 0; s < nsim; s++) {
        for (R_xlen_t i = 0; i < n; i++) pool[i] = (int) i;
        R_xlen_t left = n;
        for (R_xlen_t i = 0; i < n; i++) {
            R_xlen_t k = (R_xlen_t) R_unif_index((double) left);
            zp[i] = z[pool[k]];
            pool[k] = pool[--left];
        }
        sims[s] = sp_cross(p, j, w, zp, n);
        if ((s & 63) == 63) R_CheckUserInterrupt();
    }
}

static void need_csr(SEXP p, SEXP j, SEXP w, R_xlen_t n)
{
    need_int(p, "p"); need_int(j, "j"); need_real(w, "w");
    need_len(p, n + 1, "p");
    need_len(w, XLENGTH(j), "w");
    if (INTEGER(p)[0] != 0 || INTEGER(p)[n] != XLENGTH(j))
        error("internal error: row pointers do not span the weights");
}

/* Global Moran: the observed cross product sum z W z and, for nsim > 0,
 * its values under nsim random permutations of z. */
SEXP ffi_moran_global(SEXP p, SEXP j, SEXP w, SEXP z, SEXP nsim_)
{
    int nprot = 0;
    need_real(z, "z");
    R_xlen_t n = XLENGTH(z);
    need_csr(p, j, w, n);
    int nsim = scalar_int(nsim_, "nsim");
    if (nsim == NA_INTEGER || nsim < 0) error("internal error: bad 'nsim'");
    const char *nms[] = {"cross", "sims", ""};
    SEXP ans = PROTECT(mkNamed(VECSXP, nms)); nprot++;
    SET_VECTOR_ELT(ans, 0, ScalarReal(sp_cross(INTEGER(p), INTEGER(j), REAL(w),
                                               REAL(z), n)));
    SEXP sims = PROTECT(allocVector(REALSXP, nsim)); nprot++;
    if (nsim > 0) {
        GetRNGstate();
        sp_moran_perm(INTEGER(p), INTEGER(j), REAL(w), REAL(z), n, nsim, REAL(sims));
        PutRNGstate();
    }
    SET_VECTOR_ELT(ans, 1, sims);
    UNPROTECT(nprot);
    return ans;
}

/* Conditional permutations of local Moran for region i: the draws of
 * localmoran_perm() (nsim * card values of sample(z[-i], replace = TRUE),
 * filling an nsim x card matrix by column), each simulated
 * I_i = (z_i / s2) * sum_k w_k z_draw compared with the observed Ii.
 * Counts the simulated values below and equal to Ii.                      */
static void sp_local_perm1(const int *p, const double *w,
                           const double *z, R_xlen_t n, R_xlen_t i, double s2,
                           double Ii, int nsim, int *draw, int *below, int *tie)
{
    int crd = p[i + 1] - p[i];
    R_xlen_t nd = (R_xlen_t) nsim * crd;
    for (R_xlen_t d = 0; d < nd; d++)
        draw[d] = (int) R_unif_index((double) (n - 1));
    double c = z[i] / s2;
    int lo = 0, eq = 0;
    for (int s = 0; s < nsim; s++) {
        double lz = 0.0;
        for (int k = 0; k < crd; k++) {
            R_xlen_t d = draw[s + (R_xlen_t) k * nsim];
            lz += w[p[i] + k] * z[d < i ? d : d + 1];
        }
        double Is = c * lz;
        if (Is < Ii) lo++;
        else if (Is == Ii) eq++;
    }
    *below = lo; *tie = eq;
}

/* Local Moran: Ii = (z_i / s2) (W z)_i and, for nsim > 0, per region the
 * number of conditional-permutation values below and equal to Ii (NA for
 * a region without neighbours). */
SEXP ffi_moran_local(SEXP p, SEXP j, SEXP w, SEXP z, SEXP s2_, SEXP nsim_)
{
    int nprot = 0;
    need_real(z, "z");
    R_xlen_t n = XLENGTH(z);
    need_csr(p, j, w, n);
    double s2 = scalar_real(s2_, "s2");
    int nsim = scalar_int(nsim_, "nsim");
    if (nsim == NA_INTEGER || nsim < 0) error("internal error: bad 'nsim'");
    const int *pp = INTEGER(p), *jj = INTEGER(j);
    const double *ww = REAL(w), *zz = REAL(z);
    const char *nms[] = {"I", "below", "tie", ""};
    SEXP ans = PROTECT(mkNamed(VECSXP, nms)); nprot++;
    SEXP I = PROTECT(allocVector(REALSXP, n)); nprot++;
    SEXP below = PROTECT(allocVector(INTSXP, nsim > 0 ? n : 0)); nprot++;
    SEXP tie = PROTECT(allocVector(INTSXP, nsim > 0 ? n : 0)); nprot++;
    double *Ii = REAL(I);
    int maxcrd = 0;
    for (R_xlen_t i = 0; i < n; i++) {
        Ii[i] = (zz[i] / s2) * sp_lag1(pp, jj, ww, zz, i);
        if (pp[i + 1] - pp[i] > maxcrd) maxcrd = pp[i + 1] - pp[i];
    }
    if (nsim > 0) {
        if ((double) nsim * maxcrd > (double) R_XLEN_T_MAX / sizeof(int))
            error("'nsim' times the largest number of neighbours is too large");
        int *draw = (int *) R_alloc((size_t) nsim * (maxcrd > 0 ? maxcrd : 1), sizeof(int));
        int *lo = INTEGER(below), *eq = INTEGER(tie);
        GetRNGstate();
        for (R_xlen_t i = 0; i < n; i++) {
            if (pp[i + 1] == pp[i] || n < 2) { lo[i] = eq[i] = NA_INTEGER; continue; }
            sp_local_perm1(pp, ww, zz, n, i, s2, Ii[i], nsim, draw, lo + i, eq + i);
            if ((i & 255) == 255) R_CheckUserInterrupt();
        }
        PutRNGstate();
    }
    SET_VECTOR_ELT(ans, 0, I);
    SET_VECTOR_ELT(ans, 1, below);
    SET_VECTOR_ELT(ans, 2, tie);
    UNPROTECT(nprot);
    return ans;
}

/* The spatial lag W x of a vector. */
SEXP ffi_spatial_lag(SEXP p, SEXP j, SEXP w, SEXP x)
{
    need_real(x, "x");
    R_xlen_t n = XLENGTH(x);
    need_csr(p, j, w, n);
    SEXP ans = PROTECT(allocVector(REALSXP, n));
    for (R_xlen_t i = 0; i < n; i++)
        REAL(ans)[i] = sp_lag1(INTEGER(p), INTEGER(j), REAL(w), REAL(x), i);
    UNPROTECT(1);
    return ans;
}
