/* sort.c - the stable sort of non-negative doubles (as IEEE bit patterns)
 * behind the Gini-type concentration indices.
 */
#include "stack.h"
#include <string.h>

/* LSD radix sort of the keys, optionally carrying an int payload, on bytes
 * dlo..7: one pass builds the byte histograms, then one stable scatter per
 * byte, skipping bytes that are equal in every key.                       */
static void idx_radix(uint64_t *k, int *ix, uint64_t *k2, int *ix2, R_xlen_t n,
                      int dlo)
{
    R_xlen_t cnt[8][256];
    memset(cnt[dlo], 0, (size_t) (8 - dlo) * sizeof(cnt[0]));
    for (R_xlen_t i = 0; i < n; i++) {
        uint64_t v = k[i];
        for (int d = dlo; d < 8; d++) cnt[d][(v >> (8 * d)) & 0xFF]++;
    }
    uint64_t *src = k, *dst = k2;
    int *isrc = ix, *idst = ix ? ix2 : NULL;
    for (int d = dlo; d < 8; d++) {
        R_xlen_t *c = cnt[d];
        if (c[(src[0] >> (8 * d)) & 0xFF] == n) continue;   /* one bucket */
        R_xlen_t sum = 0;
        for (int b = 0; b < 256; b++) { R_xlen_t t = c[b]; c[b] = sum; sum += t; }
        for (R_xlen_t i = 0; i < n; i++) {
            R_xlen_t at = c[(src[i] >> (8 * d)) & 0xFF]++;
            dst[at] = src[i];
            if (isrc) idst[at] = isrc[i];
        }
        uint64_t *t = src; src = dst; dst = t;
        int *it = isrc; isrc = idst; idst = it;
    }
    if (src != k) {
        memcpy(k, src, (size_t) n * sizeof(uint64_t));
        if (ix) memcpy(ix, isrc, (size_t) n * sizeof(int));
    }
}

/* Stable insertion sort of the keys (and payload ix, or NULL).  Gives up,
 * returning 0, once it has moved keys more than `budget` places in all.  */
static int idx_insertion(uint64_t *k, int *ix, R_xlen_t n, R_xlen_t budget)
{
    R_xlen_t moves = 0;
    for (R_xlen_t i = 1; i < n; i++) {
        if (k[i - 1] <= k[i]) continue;
        uint64_t t = k[i];
        int ti = ix ? ix[i] : 0;
        R_xlen_t j = i - 1;
        if (ix) {
            while (j >= 0 && k[j] > t) { k[j + 1] = k[j]; ix[j + 1] = ix[j]; j--; }
            ix[j + 1] = ti;
        } else {
            while (j >= 0 && k[j] > t) { k[j + 1] = k[j]; j--; }
        }
        k[j + 1] = t;
        moves += i - 1 - j;
        if (moves > budget) return 0;
    }
    return 1;
}

/* Stable sort of n keys in place (with payload ix, or NULL); k2, ix2 and
 * cnt are scratch (cnt: IDX_NCNT ints).  Up to 64 keys: insertion sort.
 * Otherwise an LSD radix sort of two digits of db bits each (db at most
 * 11, 2 db about log2(256 n)) of the offset of each key from the smallest,
 * shifted right so that the largest finite key's offset fits in the two
 * digits (+Inf, above every finite key, takes the largest digits).  One
 * pass finds the range, one counts both digits, one stable scatter per
 * digit: two scatters where a byte-wise radix sort on the upper three bytes
 * needs three, over at most 2^11 buckets (whose write positions stay in
 * cache).  The 3,000 LQs or values of an industry spread over 15 to 25
 * binades then get some 4e4 steps per binade, so only near-equal keys stay
 * out of order; an insertion sort on the full keys finishes in O(n + such
 * pairs).  Should there be many (more than 8n moves: a tight cluster beside
 * a far outlier), the full eight-byte radix sort runs instead, so the sort
 * is never quadratic.                                                     */

void idx_sort_keys(uint64_t *k, int *ix, uint64_t *k2, int *ix2, R_xlen_t n,
                   int *cnt)
{
    if (n <= 64) {
        idx_insertion(k, ix, n, n * n);
        return;
    }
    /* the range: smallest key, largest finite key (two of each, so that
     * no chain of dependent comparisons runs through every key)          */
    uint64_t mn0 = k[0], mn1 = k[0], mx0 = 0, mx1 = 0;
    R_xlen_t r = 0;
#define IDX_RANGE(B, MN, MX) do {                                              \
        uint64_t b_ = (B), bf_ = b_ < IDX_INF_BITS ? b_ : 0;                   \
        MN = b_ < MN ? b_ : MN;                                                \
        MX = bf_ > MX ? bf_ : MX;                                              \
    } while (0)
    for (; r + 2 <= n; r += 2) {
        IDX_RANGE(k[r], mn0, mx0);
        IDX_RANGE(k[r + 1], mn1, mx1);
    }
    if (r < n) IDX_RANGE(k[r], mn0, mx0);
#undef IDX_RANGE
    const uint64_t mn = mn1 < mn0 ? mn1 : mn0;
    uint64_t mx = mx1 > mx0 ? mx1 : mx0;
    if (mx < mn) mx = mn;                      /* no finite key */
    int db = 4;
    while (db < IDX_DIGIT && ((R_xlen_t) 1 << (2 * db)) < 256 * n) db++;
    const uint64_t top = ((uint64_t) 1 << (2 * db)) - 1, mask = ((uint64_t) 1 << db) - 1;
    const uint64_t range = mx - mn;
    int sh = 0;
    while ((range >> sh) > top) sh++;
    const int nd = (int) mask + 1;
    int *c0 = cnt, *c1 = cnt + nd;
    memset(cnt, 0, (size_t) (2 * nd) * sizeof(int));
    for (R_xlen_t i = 0; i < n; i++) {
        uint64_t d = (k[i] - mn) >> sh;
        d = d < top ? d : top;
        c0[d & mask]++;
        c1[d >> db]++;
    }
    int s0 = 0, s1 = 0;
    for (int b = 0; b < nd; b++) {
        int t0 = c0[b], t1 = c1[b];
        c0[b] = s0; s0 += t0;
        c1[b] = s1; s1 += t1;
    }
    /* pass 1: low digit, k -> k2; pass 2: high digit, k2 -> k            */
#define IDX_DIGITS(B) (((B) - mn) >> sh < top ? ((B) - mn) >> sh : top)
    if (ix) {
        for (R_xlen_t i = 0; i < n; i++) {
            int at = c0[IDX_DIGITS(k[i]) & mask]++;
            k2[at] = k[i];
            ix2[at] = ix[i];
        }
        for (R_xlen_t i = 0; i < n; i++) {
            int at = c1[IDX_DIGITS(k2[i]) >> db]++;
            k[at] = k2[i];
            ix[at] = ix2[i];
        }
    } else {
        for (R_xlen_t i = 0; i < n; i++) k2[c0[IDX_DIGITS(k[i]) & mask]++] = k[i];
        for (R_xlen_t i = 0; i < n; i++) k[c1[IDX_DIGITS(k2[i]) >> db]++] = k2[i];
    }
#undef IDX_DIGITS
    if (!idx_insertion(k, ix, n, 8 * n)) idx_radix(k, ix, k2, ix2, n, 0);
}
