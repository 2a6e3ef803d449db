/* relatedness.c - co-occurrence counts and relatedness density for the
 * clusters area (relatedness(), relatedness_density(), complexity()).
 *
 * Both work on the incidence matrix M of a regions x industries table
 * (M[r, k] = 1 where the cell is positive, i.e. where R has already put the
 * RCA >= cutoff indicator; NA and zero are 0), given either dense
 * (column-major doubles) or as the slots of a dgCMatrix (x, i, p).
 *
 *  - ffi_rel_cooccurrence: C = M'M (industries x industries; C[k, k] is the
 *    ubiquity of k).  Exact integer counts held in doubles.  Two kernels:
 *    bit sets (each industry a column of nr bits, C[j, k] the population
 *    count of the AND of two columns: nc^2 nr / 128 word operations,
 *    independent of the density) or pairs of the industries of each region
 *    (sum over regions of d_r^2 / 2 increments); the cheaper is chosen.
 *  - ffi_rel_density: D[r, j] = sum_k M[r, k] phi[k, j] / sum_k phi[k, j], from
 *    the rows of phi of the industries the region has, or, when it has more
 *    than half of them, from the column sums minus the rows it lacks.  A
 *    column of phi summing to zero gives NA.  Without the scaling, the plain
 *    sums M phi (phi of any sign).
 *  - ffi_rel_gain: the same pass for the complexity outlook gain and the
 *    outlook: the sums over the industries a region lacks.
 */
#include "gvcluster.h"
#include <string.h>
#include <stdint.h>

/* Portable population count (SWAR). */
static inline int rel_popcount(uint64_t v)
{
    v = v - ((v >> 1) & 0x5555555555555555ULL);
    v = (v & 0x3333333333333333ULL) + ((v >> 2) & 0x3333333333333333ULL);
    v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (int) ((v * 0x0101010101010101ULL) >> 56);
}

/* The incidence pattern in compressed rows: rp (nr + 1) and ci (column
 * indices, increasing within a row), from a dense matrix or CSC slots. */
typedef struct {
    R_xlen_t nr, nc;
    R_xlen_t *rp;
    int *ci;
} rel_rows;

static int rel_on(double v) { return v > 0; }   /* false for NaN */

static rel_rows rel_make_rows(const double *x, const int *ix, const int *px,
                              R_xlen_t nr, R_xlen_t nc)
{
    rel_rows m;
    m.nr = nr; m.nc = nc;
    m.rp = (R_xlen_t *) R_alloc(nr + 1, sizeof(R_xlen_t));
    memset(m.rp, 0, (size_t) (nr + 1) * sizeof(R_xlen_t));
    if (ix == NULL) {
        for (R_xlen_t k = 0; k < nc; k++) {
            const double *col = x + k * nr;
            for (R_xlen_t r = 0; r < nr; r++) m.rp[r + 1] += rel_on(col[r]);
        }
    } else {
        for (R_xlen_t k = 0; k < nc; k++)
            for (R_xlen_t q = px[k]; q < px[k + 1]; q++)
                m.rp[ix[q] + 1] += rel_on(x[q]);
    }
    for (R_xlen_t r = 0; r < nr; r++) m.rp[r + 1] += m.rp[r];
    R_xlen_t nnz = m.rp[nr];
    m.ci = (int *) R_alloc(nnz > 0 ? nnz : 1, sizeof(int));
    R_xlen_t *fill = (R_xlen_t *) R_alloc(nr + 1, sizeof(R_xlen_t));
    memcpy(fill, m.rp, (size_t) (nr + 1) * sizeof(R_xlen_t));
    /* columns in increasing order, so each row's list is sorted */
    if (ix == NULL) {
        for (R_xlen_t k = 0; k < nc; k++) {
            const double *col = x + k * nr;
            for (R_xlen_t r = 0; r < nr; r++)
                if (rel_on(col[r])) m.ci[fill[r]++] = (int) k;
        }
    } else {
        for (R_xlen_t k = 0; k < nc; k++)
            for (R_xlen_t q = px[k]; q < px[k + 1]; q++)
                if (rel_on(x[q])) m.ci[fill[ix[q]]++] = (int) k;
    }
    return m;
}

/* Re-checks of the incidence arguments; returns the CSC pointers or NULLs. */
static void rel_check_input(SEXP x, SEXP i, SEXP p, SEXP dims, R_xlen_t *nr,
                            R_xlen_t *nc, const int **ix, const int **px)
{
    need_real(x, "x");
    need_real(dims, "dims");
    need_len(dims, 2, "dims");
    *nr = (R_xlen_t) REAL(dims)[0];
    *nc = (R_xlen_t) REAL(dims)[1];
    if (*nr < 0 || *nc < 0 || *nc > INT_MAX)
        error("internal error: bad 'dims'");
    if (isNull(i)) {
        need_len(x, *nr * *nc, "x");
        *ix = NULL; *px = NULL;
    } else {
        need_int(i, "i");
        need_int(p, "p");
        need_len(p, *nc + 1, "p");
        need_len(i, XLENGTH(x), "i");
        *ix = INTEGER(i); *px = INTEGER(p);
        if (px[0][0] != 0 || px[0][*nc] != XLENGTH(x))
            error("internal error: bad column pointers");
        for (R_xlen_t q = 0; q < XLENGTH(x); q++)
            if (ix[0][q] < 0 || ix[0][q] >= *nr)
                error("internal error: row index out of range");
    }
}

/* C = M'M by bit sets; C is nc x nc, column-major, both triangles. */
static void rel_cooc_bits(const rel_rows *m, double *C, int nthr)
{
    R_xlen_t nr = m->nr, nc = m->nc, W = (nr + 63) / 64;
    uint64_t *bits = (uint64_t *) R_alloc(nc * W > 0 ? nc * W : 1, sizeof(uint64_t));
    memset(bits, 0, (size_t) (nc * W) * sizeof(uint64_t));
    for (R_xlen_t r = 0; r < nr; r++)
        for (R_xlen_t q = m->rp[r]; q < m->rp[r + 1]; q++)
            bits[(R_xlen_t) m->ci[q] * W + r / 64] |= (uint64_t) 1 << (r % 64);
#ifdef _OPENMP
#pragma omp parallel for num_threads(nthr) schedule(dynamic, 8) \
    if (nthr > 1 && (double) nc * nc * W > 4e6)
#endif
    for (R_xlen_t j = 0; j < nc; j++) {
        const uint64_t *bj = bits + j * W;
        for (R_xlen_t k = j; k < nc; k++) {
            const uint64_t *bk = bits + k * W;
            long s = 0;
            for (R_xlen_t w = 0; w < W; w++) s += rel_popcount(bj[w] & bk[w]);
            C[j + k * nc] = (double) s;
            C[k + j * nc] = (double) s;
        }
    }
    (void) nthr;
}

/* C = M'M by the pairs of industries of each region. */
static void rel_cooc_pairs(const rel_rows *m, double *C)
{
    R_xlen_t nc = m->nc;
    memset(C, 0, (size_t) (nc * nc) * sizeof(double));
    for (R_xlen_t r = 0; r < m->nr; r++) {
        if (r % 4096 == 0) R_CheckUserInterrupt();
        const int *L = m->ci + m->rp[r];
        R_xlen_t d = m->rp[r + 1] - m->rp[r];
        for (R_xlen_t a = 0; a < d; a++) {
            double *Ca = C + (R_xlen_t) L[a] * nc;   /* column L[a] */
            for (R_xlen_t b = a; b < d; b++) Ca[L[b]] += 1.0;
        }
    }
    /* the loop filled C[L[b], L[a]] with L[b] >= L[a]: mirror it */
    for (R_xlen_t j = 0; j < nc; j++)
        for (R_xlen_t k = j + 1; k < nc; k++) C[j + k * nc] = C[k + j * nc];
}

/* The co-occurrence normalisations, as R names them in `method`: the one
 * table both sides go by. */
enum { REL_COUNTS, REL_PROXIMITY, REL_COSINE, REL_ASSOCIATION, REL_N };
static const char *const rel_names[REL_N] = {
    "counts", "proximity", "cosine", "association"
};

/* C (counts, diagonal = ubiquities) -> relatedness in place: proximity
 * C[j,k] / max(u_j, u_k), cosine C[j,k] / sqrt(u_j u_k), association
 * C[j,k] T / (s_j s_k), s_k = sum_{j != k} C[j,k], T = sum_k s_k; 0 / 0 -> 0,
 * diagonal 0. */
static void rel_normalise(double *C, R_xlen_t nc, int method)
{
    double *u = (double *) R_alloc(nc > 0 ? nc : 1, sizeof(double));
    double *s = (double *) R_alloc(nc > 0 ? nc : 1, sizeof(double));
    double T = 0;
    for (R_xlen_t k = 0; k < nc; k++) {
        u[k] = C[k + k * nc];
        double acc = 0;
        for (R_xlen_t j = 0; j < nc; j++) acc += C[j + k * nc];
        s[k] = acc - u[k];     /* exact: integer counts */
        T += s[k];
    }
    for (R_xlen_t k = 0; k < nc; k++) {
        double *Ck = C + k * nc;
        for (R_xlen_t j = 0; j < nc; j++) {
            double den;
            if (method == REL_PROXIMITY) den = u[j] > u[k] ? u[j] : u[k];
            else if (method == REL_COSINE) den = sqrt(u[j] * u[k]);
            else den = s[j] * s[k] / T;       /* REL_ASSOCIATION */
            Ck[j] = (den > 0 && Ck[j] > 0) ? Ck[j] / den : 0;
        }
        Ck[k] = 0;
    }
}

SEXP ffi_rel_cooccurrence(SEXP x, SEXP i, SEXP p, SEXP dims, SEXP threads,
                          SEXP method)
{
    int nprot = 0;
    R_xlen_t nr, nc;
    const int *ix, *px;
    rel_check_input(x, i, p, dims, &nr, &nc, &ix, &px);
    int nthr = n_threads(threads);
    if ((double) nc * nc > (double) R_XLEN_T_MAX)
        error("too many industries (%.0f) for an industry x industry matrix",
              (double) nc);
    rel_rows m = rel_make_rows(REAL(x), ix, px, nr, nc);
    SEXP C = PROTECT(allocMatrix(REALSXP, (int) nc, (int) nc)); nprot++;
    /* cost of each kernel in word operations (pairs: two per increment) */
    double pairs = 0;
    for (R_xlen_t r = 0; r < nr; r++) {
        double d = (double) (m.rp[r + 1] - m.rp[r]);
        pairs += d * (d + 1) / 2;
    }
    double bitcost = (double) nc * (nc + 1) / 2 * (double) ((nr + 63) / 64) / nthr;
    if (bitcost <= 2 * pairs) rel_cooc_bits(&m, REAL(C), nthr);
    else rel_cooc_pairs(&m, REAL(C));
    int meth = choice_code(method, rel_names, REL_N, "method");
    if (meth != REL_COUNTS) rel_normalise(REAL(C), nc, meth);
    UNPROTECT(nprot);
    return C;
}

/* Density of a block of at most 8 regions (rows r0 .. r0 + nb - 1 of m).
 * Each region adds the rows of phi (columns of phit) of the industries it has
 * or, when it has more than half of them, starts from the column sums and
 * subtracts the rows of those it lacks.  One bit per region in a mask over
 * the industries says which rows go where, so each row of phi is read once
 * per block and column tile (kept in cache) for all the block's regions. */
#define REL_BLOCK 8
#define REL_TILE 512
enum { REL_SUMS, REL_DENSITY, REL_GAIN };
static void rel_density_block(const rel_rows *m, R_xlen_t r0, int nb,
                              const double *phit, const double *cs,
                              R_xlen_t nc, double *acc, unsigned char *addm,
                              unsigned char *subm, int mode, double *outl)
{
    memset(addm, 0, (size_t) nc);
    memset(subm, 0, (size_t) nc);
    for (int b = 0; b < nb; b++) {
        const int *L = m->ci + m->rp[r0 + b];
        R_xlen_t d = m->rp[r0 + b + 1] - m->rp[r0 + b];
        double *ab = acc + (R_xlen_t) b * nc;
        unsigned char bit = (unsigned char) (1u << b);
        if (2 * d <= nc) {
            memset(ab, 0, (size_t) nc * sizeof(double));
            for (R_xlen_t a = 0; a < d; a++) addm[L[a]] |= bit;
        } else {
            memcpy(ab, cs, (size_t) nc * sizeof(double));
            for (R_xlen_t k = 0; k < nc; k++) subm[k] |= bit;
            for (R_xlen_t a = 0; a < d; a++) subm[L[a]] &= (unsigned char) ~bit;
        }
    }
    for (R_xlen_t j0 = 0; j0 < nc; j0 += REL_TILE) {
        R_xlen_t j1 = j0 + REL_TILE < nc ? j0 + REL_TILE : nc;
        for (R_xlen_t k = 0; k < nc; k++) {
            unsigned am = addm[k], sm = subm[k];
            if (!(am | sm)) continue;
            const double *row = phit + k * nc;
            for (int b = 0; b < nb; b++) {
                double *ab = acc + (R_xlen_t) b * nc;
                if (am & (1u << b))
                    for (R_xlen_t j = j0; j < j1; j++) ab[j] += row[j];
                else if (sm & (1u << b))
                    for (R_xlen_t j = j0; j < j1; j++) ab[j] -= row[j];
            }
        }
    }
    if (mode == REL_SUMS) return;
    if (mode == REL_GAIN) {
        /* the sums over the industries the region lacks, zero where it has
         * them; their sum over those it has is its outlook */
        for (int b = 0; b < nb; b++) {
            double *ab = acc + (R_xlen_t) b * nc, s = 0;
            const int *L = m->ci + m->rp[r0 + b];
            R_xlen_t d = m->rp[r0 + b + 1] - m->rp[r0 + b];
            for (R_xlen_t j = 0; j < nc; j++) ab[j] = cs[j] - ab[j];
            for (R_xlen_t a = 0; a < d; a++) {
                s += ab[L[a]];
                ab[L[a]] = 0;
            }
            outl[r0 + b] = s;
        }
        return;
    }
    for (int b = 0; b < nb; b++) {
        double *ab = acc + (R_xlen_t) b * nc;
        for (R_xlen_t j = 0; j < nc; j++) {
            if (cs[j] > 0) {
                double v = ab[j] / cs[j];
                /* the complement's rounding must not leave [0, 1] */
                ab[j] = v < 0 ? 0 : (v > 1 ? 1 : v);
            } else {
                ab[j] = NA_REAL;
            }
        }
    }
}

/* The nr x nc result o of mode (REL_SUMS, REL_DENSITY, REL_GAIN) for the
 * pattern m and phit, the transpose of phi (nc x nc, finite); outl: the
 * outlook (nr) for REL_GAIN. */
static void rel_density_run(const rel_rows *m, const double *ph, int nthr,
                            int mode, double *o, double *outl)
{
    R_xlen_t nr = m->nr, nc = m->nc;
    /* column sums of phi = row sums of phit's columns: cs[j] = sum_k phit[j + k nc] */
    double *cs = (double *) R_alloc(nc > 0 ? nc : 1, sizeof(double));
    memset(cs, 0, (size_t) nc * sizeof(double));
    for (R_xlen_t k = 0; k < nc; k++)
        for (R_xlen_t j = 0; j < nc; j++) cs[j] += ph[j + k * nc];
    /* regions in blocks: each row of phi serves the whole block, and the
     * strided writes of a block share cache lines */
    const R_xlen_t B = REL_BLOCK;
    R_xlen_t nblk = (nr + B - 1) / B;
    size_t ncs = (size_t) (nc > 0 ? nc : 1);
    double *accs = (double *) R_alloc((size_t) nthr * B * ncs, sizeof(double));
    unsigned char *masks = (unsigned char *) R_alloc((size_t) nthr * 2 * ncs, 1);
#ifdef _OPENMP
#pragma omp parallel for num_threads(nthr) schedule(dynamic, 2) \
    if (nthr > 1 && (double) nr * nc > 1e6)
#endif
    for (R_xlen_t b = 0; b < nblk; b++) {
        int t = 0;
#ifdef _OPENMP
        t = omp_get_thread_num();
#endif
        double *acc = accs + (size_t) t * B * ncs;
        unsigned char *addm = masks + (size_t) t * 2 * ncs, *subm = addm + ncs;
        R_xlen_t r0 = b * B, r1 = r0 + B < nr ? r0 + B : nr;
        rel_density_block(m, r0, (int) (r1 - r0), ph, cs, nc, acc, addm, subm,
                          mode, outl);
        for (R_xlen_t j = 0; j < nc; j++)
            for (R_xlen_t r = r0; r < r1; r++)
                o[r + j * nr] = acc[(r - r0) * nc + j];
    }
}

/* phit: the transpose of phi (nc x nc, finite); returns the nr x nc density
 * matrix (scale = 1; phi non-negative) or the plain sums
 * sum_k M[r, k] phi[k, j] (scale = 0). */
SEXP ffi_rel_density(SEXP x, SEXP i, SEXP p, SEXP dims, SEXP phit, SEXP threads,
                     SEXP scale)
{
    int nprot = 0;
    R_xlen_t nr, nc;
    const int *ix, *px;
    rel_check_input(x, i, p, dims, &nr, &nc, &ix, &px);
    need_real(phit, "phit");
    need_len(phit, nc * nc, "phit");
    int nthr = n_threads(threads);
    int sc = scalar_int(scale, "scale");
    rel_rows m = rel_make_rows(REAL(x), ix, px, nr, nc);
    SEXP out = PROTECT(allocMatrix(REALSXP, (int) nr, (int) nc)); nprot++;
    rel_density_run(&m, REAL(phit), nthr, sc ? REL_DENSITY : REL_SUMS,
                    REAL(out), NULL);
    UNPROTECT(nprot);
    return out;
}

/* The complexity outlook gain and outlook (complexity()): with A = phi
 * scaled by rows (A[k, j] = PCI[k] phi[k, j] / sum_j phi[k, j], phi
 * symmetric), gain[r, j] = (1 - M[r, j]) sum_k (1 - M[r, k]) A[k, j] and
 * outlook[r] = sum_j M[r, j] sum_k (1 - M[r, k]) A[k, j], which for a
 * symmetric phi is sum_j density[r, j] (1 - M[r, j]) PCI[j].  at: the
 * transpose of A.  Returns list(gain, outlook). */
SEXP ffi_rel_gain(SEXP x, SEXP i, SEXP p, SEXP dims, SEXP at, SEXP threads)
{
    int nprot = 0;
    R_xlen_t nr, nc;
    const int *ix, *px;
    rel_check_input(x, i, p, dims, &nr, &nc, &ix, &px);
    need_real(at, "at");
    need_len(at, nc * nc, "at");
    int nthr = n_threads(threads);
    rel_rows m = rel_make_rows(REAL(x), ix, px, nr, nc);
    SEXP gain = PROTECT(allocMatrix(REALSXP, (int) nr, (int) nc)); nprot++;
    SEXP outl = PROTECT(allocVector(REALSXP, nr)); nprot++;
    rel_density_run(&m, REAL(at), nthr, REL_GAIN, REAL(gain), REAL(outl));
    const char *nms[] = {"gain", "outlook", ""};
    SEXP ans = PROTECT(mkNamed(VECSXP, nms)); nprot++;
    SET_VECTOR_ELT(ans, 0, gain);
    SET_VECTOR_ELT(ans, 1, outl);
    UNPROTECT(nprot);
    return ans;
}

/* The pattern of the cells > 0 as the slots of two dgCMatrix objects: the
 * matrix (CSC: p, i) and its transpose (the compressed rows: tp, ti). */
SEXP ffi_rel_pattern(SEXP x, SEXP i, SEXP p, SEXP dims)
{
    int nprot = 0;
    R_xlen_t nr, nc;
    const int *ix, *px;
    rel_check_input(x, i, p, dims, &nr, &nc, &ix, &px);
    if (nr > INT_MAX) error("too many regions (%.0f)", (double) nr);
    rel_rows m = rel_make_rows(REAL(x), ix, px, nr, nc);
    R_xlen_t nnz = m.rp[nr];
    if (nnz > INT_MAX) error("too many cells with an RCA (%.0f)", (double) nnz);
    SEXP cp = PROTECT(allocVector(INTSXP, nc + 1)); nprot++;
    SEXP ci = PROTECT(allocVector(INTSXP, nnz)); nprot++;
    SEXP tp = PROTECT(allocVector(INTSXP, nr + 1)); nprot++;
    SEXP ti = PROTECT(allocVector(INTSXP, nnz)); nprot++;
    int *pc = INTEGER(cp), *ic = INTEGER(ci), *pt = INTEGER(tp), *it = INTEGER(ti);
    for (R_xlen_t r = 0; r <= nr; r++) pt[r] = (int) m.rp[r];
    for (R_xlen_t q = 0; q < nnz; q++) it[q] = m.ci[q];
    /* transpose the rows back into columns, rows increasing */
    memset(pc, 0, (size_t) (nc + 1) * sizeof(int));
    for (R_xlen_t q = 0; q < nnz; q++) pc[m.ci[q] + 1]++;
    for (R_xlen_t k = 0; k < nc; k++) pc[k + 1] += pc[k];
    int *fill = (int *) R_alloc(nc > 0 ? nc : 1, sizeof(int));
    for (R_xlen_t k = 0; k < nc; k++) fill[k] = pc[k];
    for (R_xlen_t r = 0; r < nr; r++)
        for (R_xlen_t q = m.rp[r]; q < m.rp[r + 1]; q++)
            ic[fill[m.ci[q]]++] = (int) r;
    const char *nms[] = {"p", "i", "tp", "ti", ""};
    SEXP ans = PROTECT(mkNamed(VECSXP, nms)); nprot++;
    SET_VECTOR_ELT(ans, 0, cp);
    SET_VECTOR_ELT(ans, 1, ci);
    SET_VECTOR_ELT(ans, 2, tp);
    SET_VECTOR_ELT(ans, 3, ti);
    UNPROTECT(nprot);
    return ans;
}
