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
 * The draws are R_unif_index()'s: sp_unif_index() below is its algorithm
 * (R's RNG.c: rejection sampling of ceil(log2(n)) random bits made 16 at a
 * time from unif_rand(), or floor(n * unif_rand()) under
 * RNGkind(sample.kind = "Rounding")) with the number of bits computed once
 * per draw size instead of once per draw, which makes a draw about three
 * times cheaper and leaves the stream of numbers unchanged.  unif_rand() is
 * the one use of R's API in the kernels below (R's RNG is their point).
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

/* ---- draws ---------------------------------------------------------------- */

/* R's sample.kind, by name. */
static const char *const sp_sample_kinds[] = {"Rejection", "Rounding"};
enum { SP_REJECTION, SP_ROUNDING };

/* A uniform draw from {0, ..., dn - 1}, as R_unif_index(dn) draws it;
 * `bits` is ceil(log2(dn)). */
typedef struct { double dn; int bits, rounding; } sp_sampler;

static sp_sampler sp_sampler_new(double dn, int kind)
{
    sp_sampler s = {dn, dn > 0 ? (int) ceil(log2(dn)) : 0, kind == SP_ROUNDING};
    return s;
}

/* (int) (u * 65536) is floor(u * 65536) for u in [0, 1), without a call
 * to floor(). */
static inline double sp_unif_index(const sp_sampler *s)
{
    if (s->rounding) return floor(s->dn * unif_rand());
    if (s->dn <= 0) return 0.0;
    const int_least64_t mask = (((int_least64_t) 1) << s->bits) - 1;
    double dv;
    do {
        int_least64_t v = 0;
        for (int b = 0; b <= s->bits; b += 16)
            v = 65536 * v + (int) (unif_rand() * 65536);
        dv = (double) (v & mask);
    } while (s->dn <= dv);
    return dv;
}

/* nd draws into out, the same numbers as nd calls of sp_unif_index(): the
 * candidates are made in batches of as many as are still needed and kept
 * when below dn by a branch-free compaction (a rejection, one time in four
 * or so, no longer costs a mispredicted branch); never more candidates are
 * made than R would make, so the stream and the RNG's state stay R's. */
static void sp_unif_fill(const sp_sampler *s, int *out, R_xlen_t nd)
{
    if (s->rounding || s->dn <= 0) {
        for (R_xlen_t d = 0; d < nd; d++) out[d] = (int) sp_unif_index(s);
        return;
    }
    const int_least64_t mask = (((int_least64_t) 1) << s->bits) - 1;
    const int_least64_t lim = (int_least64_t) s->dn;
    R_xlen_t k = 0;
    while (k < nd) {
        R_xlen_t m = nd - k;
        for (R_xlen_t c = 0; c < m; c++) {    /* k <= nd - 1 at each store */
            int_least64_t v = 0;
            for (int b = 0; b <= s->bits; b += 16)
                v = 65536 * v + (int) (unif_rand() * 65536);
            v &= mask;
            out[k] = (int) v;
            k += (v < lim);
        }
    }
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

/* The links as unordered pairs a <= b with the weights of both directions
 * summed, w_ab + w_ba: sum_ij w_ij z_i z_j = sum_pairs w z_a z_b visits
 * each symmetric link once instead of twice.                              */
typedef struct { int a, b; double w; } sp_pair;

static int sp_cmp_pair(const void *x, const void *y)
{
    const sp_pair *u = x, *v = y;
    if (u->a != v->a) return (u->a > v->a) - (u->a < v->a);
    return (u->b > v->b) - (u->b < v->b);
}

static R_xlen_t sp_pairs(const int *p, const int *j, const double *w, R_xlen_t n,
                         sp_pair *pr)
{
    R_xlen_t k = 0;
    for (R_xlen_t i = 0; i < n; i++)
        for (int l = p[i]; l < p[i + 1]; l++) {
            int a = (int) i, b = j[l];
            pr[k].a = a < b ? a : b; pr[k].b = a < b ? b : a; pr[k].w = w[l];
            k++;
        }
    qsort(pr, (size_t) k, sizeof(sp_pair), sp_cmp_pair);
    R_xlen_t m = 0;
    for (R_xlen_t l = 0; l < k; l++) {
        if (m > 0 && pr[m - 1].a == pr[l].a && pr[m - 1].b == pr[l].b)
            pr[m - 1].w += pr[l].w;
        else pr[m++] = pr[l];
    }
    return m;
}

/* sum_ij w_ij z_i z_j over the pairs, in four interleaved double partial
 * sums (independent chains the processor overlaps; the error stays a few
 * units in the last place of the sum of |terms| for the tens of thousands
 * of links of a map); the observed value and every permutation go through
 * this one function, so that equal values compare equal. */
static double sp_cross(const sp_pair *pr, R_xlen_t np, const double *z)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    R_xlen_t l = 0;
    for (; l + 3 < np; l += 4) {
        s0 += pr[l].w * z[pr[l].a] * z[pr[l].b];
        s1 += pr[l + 1].w * z[pr[l + 1].a] * z[pr[l + 1].b];
        s2 += pr[l + 2].w * z[pr[l + 2].a] * z[pr[l + 2].b];
        s3 += pr[l + 3].w * z[pr[l + 3].a] * z[pr[l + 3].b];
    }
    for (; l < np; l++) s0 += pr[l].w * z[pr[l].a] * z[pr[l].b];
    return (s0 + s1) + (s2 + s3);
}

/* Cliff and Ord's S1 = sum_ij (w_ij + w_ji)^2 / 2, the sum over the
 * unordered pairs of their summed weight squared, and
 * S2 = sum_i (w_i. + w_.i)^2 (row plus column sums), as spdep's
 * spweights.constants(). */
static void sp_constants(const int *p, const int *j, const double *w, R_xlen_t n,
                         const sp_pair *pr, R_xlen_t np, double *S)
{
    double *rc = (double *) R_alloc((size_t) n > 0 ? (size_t) n : 1, sizeof(double));
    for (R_xlen_t i = 0; i < n; i++) rc[i] = 0.0;
    for (R_xlen_t i = 0; i < n; i++)
        for (int l = p[i]; l < p[i + 1]; l++) { rc[i] += w[l]; rc[j[l]] += w[l]; }
    long double s1 = 0.0L, s2 = 0.0L;
    for (R_xlen_t l = 0; l < np; l++)
        s1 += (long double) pr[l].w * pr[l].w * (pr[l].a == pr[l].b ? 2 : 1);
    for (R_xlen_t i = 0; i < n; i++) s2 += (long double) rc[i] * rc[i];
    S[0] = (double) s1; S[1] = (double) s2;
}

/* nsim values of sum z W z over permutations of z, drawn as R's
 * sample(x) draws (sample.int() without replacement). */
/* One random permutation of z into zp, drawn as R's sample() draws it
 * (sample.int(n): position i takes pool[k], k = R_unif_index(n - i), and
 * pool[k] is replaced by the last of the pool).  When every candidate
 * takes one uniform (n <= 32768: at most 15 bits), the uniforms are made
 * in batches of as many as are still needed at least (one per position
 * left), then consumed in order, a candidate at or above n - i rejected as
 * R rejects it: the same numbers in the same order, none made in excess. */
static void sp_permute(const double *z, R_xlen_t n, const sp_sampler *smp,
                       int *pool, double *buf, double *zp)
{
    for (R_xlen_t i = 0; i < n; i++) pool[i] = (int) i;
    R_xlen_t left = n;
    if (n > 32768 || smp[0].rounding) {
        for (R_xlen_t i = 0; i < n; i++) {
            R_xlen_t k = (R_xlen_t) sp_unif_index(smp + i);
            zp[i] = z[pool[k]];
            pool[k] = pool[--left];
        }
        return;
    }
    R_xlen_t i = 0;
    while (i < n) {
        R_xlen_t m = n - i;
        for (R_xlen_t c = 0; c < m; c++) buf[c] = unif_rand();
        for (R_xlen_t c = 0; c < m; c++) {
            int_least64_t v = ((int_least64_t) (int) (buf[c] * 65536)) &
                ((((int_least64_t) 1) << smp[i].bits) - 1);
            if ((double) v < smp[i].dn) {
                zp[i] = z[pool[v]];
                pool[v] = pool[--left];
                i++;
            }
        }
    }
}

/* nsim values of sum z W z over permutations of z. */
static void sp_moran_perm(const sp_pair *pr, R_xlen_t np, const double *z,
                          R_xlen_t n, int nsim, int kind, double *sims)
{
    sp_sampler *smp = (sp_sampler *) R_alloc((size_t) n, sizeof(sp_sampler));
    for (R_xlen_t i = 0; i < n; i++) smp[i] = sp_sampler_new((double) (n - i), kind);
    int *pool = (int *) R_alloc((size_t) n, sizeof(int));
    double *zp = (double *) R_alloc((size_t) n, sizeof(double));
    double *buf = (double *) R_alloc((size_t) n, sizeof(double));
    for (int s = 0; s < nsim; s++) {
        sp_permute(z, n, smp, pool, buf, zp);
        sims[s] = sp_cross(pr, np, zp);
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
SEXP ffi_moran_global(SEXP p, SEXP j, SEXP w, SEXP z, SEXP nsim_, SEXP kind_)
{
    int nprot = 0;
    int kind = choice_code(kind_, sp_sample_kinds, 2, "sample kind");
    need_real(z, "z");
    R_xlen_t n = XLENGTH(z);
    need_csr(p, j, w, n);
    int nsim = scalar_int(nsim_, "nsim");
    if (nsim == NA_INTEGER || nsim < 0) error("internal error: bad 'nsim'");
    const char *nms[] = {"cross", "sims", "S1", "S2", ""};
    SEXP ans = PROTECT(mkNamed(VECSXP, nms)); nprot++;
    R_xlen_t nl = XLENGTH(j);
    sp_pair *pr = (sp_pair *) R_alloc(nl > 0 ? (size_t) nl : 1, sizeof(sp_pair));
    R_xlen_t np = sp_pairs(INTEGER(p), INTEGER(j), REAL(w), n, pr);
    SET_VECTOR_ELT(ans, 0, ScalarReal(sp_cross(pr, np, REAL(z))));
    double S[2];
    sp_constants(INTEGER(p), INTEGER(j), REAL(w), n, pr, np, S);
    SET_VECTOR_ELT(ans, 2, ScalarReal(S[0]));
    SET_VECTOR_ELT(ans, 3, ScalarReal(S[1]));
    SEXP sims = PROTECT(allocVector(REALSXP, nsim)); nprot++;
    if (nsim > 0) {
        GetRNGstate();
        sp_moran_perm(pr, np, REAL(z), n, nsim, kind, REAL(sims));
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
                           const double *z, R_xlen_t i, double s2,
                           double Ii, int nsim, const sp_sampler *smp, int *draw,
                           int *below, int *tie)
{
    int crd = p[i + 1] - p[i];
    R_xlen_t nd = (R_xlen_t) nsim * crd;
    sp_unif_fill(smp, draw, nd);
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

/* Conditional permutations shared by all regions (as PySAL's esda and
 * GeoDa draw them): for each simulation, maxcrd indices drawn without
 * replacement from the n - 1 other regions (R's sample.int(n - 1, maxcrd)),
 * index d standing for region d, or d + 1 from region i on; region i takes
 * the first card(i) of them.  Each region's simulated values are a
 * conditional permutation sample; the draws are reused across regions.   */
static void sp_local_shared(const int *p, const double *w, const double *z,
                            R_xlen_t n, double s2, const double *Ii, int nsim,
                            int maxcrd, int kind, int *lo, int *eq)
{
    int *draw = (int *) R_alloc((size_t) nsim * maxcrd, sizeof(int));
    int *pool = (int *) R_alloc((size_t) n, sizeof(int));
    sp_sampler *smp = (sp_sampler *) R_alloc((size_t) maxcrd, sizeof(sp_sampler));
    for (int k = 0; k < maxcrd; k++) smp[k] = sp_sampler_new((double) (n - 1 - k), kind);
    for (int s = 0; s < nsim; s++) {
        for (R_xlen_t t = 0; t < n - 1; t++) pool[t] = (int) t;
        R_xlen_t left = n - 1;
        for (int k = 0; k < maxcrd; k++) {
            R_xlen_t d = (R_xlen_t) sp_unif_index(smp + k);
            draw[(R_xlen_t) s * maxcrd + k] = pool[d];
            pool[d] = pool[--left];
        }
    }
    for (R_xlen_t i = 0; i < n; i++) {
        int crd = p[i + 1] - p[i];
        if (crd == 0) { lo[i] = eq[i] = NA_INTEGER; continue; }
        const double *wi = w + p[i];
        double c = z[i] / s2;
        int below = 0, tie = 0;
        for (int s = 0; s < nsim; s++) {
            const int *ds = draw + (R_xlen_t) s * maxcrd;
            double lz = 0.0;
            for (int k = 0; k < crd; k++) lz += wi[k] * z[ds[k] + (ds[k] >= i)];
            double Is = c * lz;
            below += Is < Ii[i];
            tie += Is == Ii[i];
        }
        lo[i] = below; eq[i] = tie;
        if ((i & 255) == 255) R_CheckUserInterrupt();
    }
}

/* Local Moran: Ii = (z_i / s2) (W z)_i and, for nsim > 0, per region the
 * number of conditional-permutation values below and equal to Ii (NA for
 * a region without neighbours). */
static const char *const sp_draw_schemes[] = {"shared", "independent"};
enum { SP_SHARED, SP_INDEPENDENT };

SEXP ffi_moran_local(SEXP p, SEXP j, SEXP w, SEXP z, SEXP s2_, SEXP nsim_,
                     SEXP kind_, SEXP draws_)
{
    int nprot = 0;
    int kind = choice_code(kind_, sp_sample_kinds, 2, "sample kind");
    int scheme = choice_code(draws_, sp_draw_schemes, 2, "draws");
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
        int *lo = INTEGER(below), *eq = INTEGER(tie);
        GetRNGstate();
        if (scheme == SP_SHARED) {
            if (maxcrd > 0 && n > 1)
                sp_local_shared(pp, ww, zz, n, s2, Ii, nsim, maxcrd, kind, lo, eq);
            else for (R_xlen_t i = 0; i < n; i++) lo[i] = eq[i] = NA_INTEGER;
        } else {
            int *draw = (int *) R_alloc((size_t) nsim * (maxcrd > 0 ? maxcrd : 1), sizeof(int));
            sp_sampler smp = sp_sampler_new((double) (n - 1), kind);
            for (R_xlen_t i = 0; i < n; i++) {
                if (pp[i + 1] == pp[i] || n < 2) { lo[i] = eq[i] = NA_INTEGER; continue; }
                sp_local_perm1(pp, ww, zz, i, s2, Ii[i], nsim, &smp, draw, lo + i, eq + i);
                if ((i & 255) == 255) R_CheckUserInterrupt();
            }
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
