/* dd.h - double-double arithmetic (about 31 significant digits; Dekker
 * 1971, Knuth TAOCP vol. 2, with fma() for the exact product): a value is
 * the unevaluated sum hi + lo with |lo| <= ulp(hi) / 2.  Used by the
 * least-squares core: the double-double QR of linreg.c and the streamed
 * fit's residuals and X'r (linreg-tsqr.c).                              */
#ifndef GVCLUSTER_DD_H
#define GVCLUSTER_DD_H

#include <math.h>

typedef struct { double hi, lo; } dd;

static inline dd dd_two_sum(double a, double b)
{
    double s = a + b, bb = s - a;
    dd r = { s, (a - (s - bb)) + (b - bb) };
    return r;
}
static inline dd dd_quick(double a, double b)
{
    double s = a + b;
    dd r = { s, b - (s - a) };
    return r;
}
static inline dd dd_two_prod(double a, double b)
{
    double p = a * b;
    dd r = { p, fma(a, b, -p) };
    return r;
}
static inline dd dd_add(dd a, dd b)
{
    dd s = dd_two_sum(a.hi, b.hi), t = dd_two_sum(a.lo, b.lo);
    s.lo += t.hi;
    s = dd_quick(s.hi, s.lo);
    s.lo += t.lo;
    return dd_quick(s.hi, s.lo);
}
static inline dd dd_neg(dd a) { dd r = { -a.hi, -a.lo }; return r; }
static inline dd dd_sub(dd a, dd b) { return dd_add(a, dd_neg(b)); }
static inline dd dd_mul(dd a, dd b)
{
    dd p = dd_two_prod(a.hi, b.hi);
    p.lo += a.hi * b.lo + a.lo * b.hi;
    return dd_quick(p.hi, p.lo);
}
static inline dd dd_mul_d(dd a, double b)
{
    dd p = dd_two_prod(a.hi, b);
    p.lo += a.lo * b;
    return dd_quick(p.hi, p.lo);
}
static inline dd dd_div(dd a, dd b)
{
    double q1 = a.hi / b.hi;
    dd r = dd_sub(a, dd_mul_d(b, q1));
    double q2 = r.hi / b.hi;
    r = dd_sub(r, dd_mul_d(b, q2));
    double q3 = r.hi / b.hi;
    dd q = dd_quick(q1, q2), q3d = { q3, 0.0 };
    return dd_add(q, q3d);
}
static inline dd dd_sqrt(dd a)
{
    dd z = { 0.0, 0.0 };
    if (a.hi <= 0.0) return z;
    double x = 1.0 / sqrt(a.hi), ax = a.hi * x;
    dd d = dd_sub(a, dd_two_prod(ax, ax));
    return dd_two_sum(ax, d.hi * (x * 0.5));
}
static inline dd dd_from(double a) { dd r = { a, 0.0 }; return r; }

#endif
