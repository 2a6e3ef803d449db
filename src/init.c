/* Registration of every .Call entry point of gvcluster.
 *
 * Each area lists its entry points in its own file calls-<area>.h as lines
 * CALLDEF(name, nargs).  This file includes every list twice: once to declare
 * the prototypes (with the right number of SEXP arguments) and once to build
 * the registration table, so adding an entry point means touching only the
 * area's own list.  R code calls them as C_<name> (useDynLib .fixes = "C_").
 */
#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>
#include <R_ext/Visibility.h>

#define GVC_ARGS0 void
#define GVC_ARGS1 SEXP
#define GVC_ARGS2 SEXP, SEXP
#define GVC_ARGS3 SEXP, SEXP, SEXP
#define GVC_ARGS4 SEXP, SEXP, SEXP, SEXP
#define GVC_ARGS5 SEXP, SEXP, SEXP, SEXP, SEXP
#define GVC_ARGS6 SEXP, SEXP, SEXP, SEXP, SEXP, SEXP
#define GVC_ARGS7 SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP
#define GVC_ARGS8 SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP
#define GVC_ARGS9 SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP
#define GVC_ARGS10 SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP
#define GVC_ARGS11 GVC_ARGS10, SEXP
#define GVC_ARGS12 GVC_ARGS10, SEXP, SEXP
#define GVC_ARGS13 GVC_ARGS10, SEXP, SEXP, SEXP
#define GVC_ARGS14 GVC_ARGS10, SEXP, SEXP, SEXP, SEXP
#define GVC_ARGS15 GVC_ARGS10, SEXP, SEXP, SEXP, SEXP, SEXP
#define GVC_ARGS16 GVC_ARGS10, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP

/* 1. prototypes */
#define CALLDEF(name, n) SEXP name(GVC_ARGS##n);
#include "calls-lq.h"
#include "calls-linreg.h"
#include "calls-sensitivity.h"
#include "calls-evaluation.h"
#include "calls-gvc.h"
#include "calls-indices.h"
#include "calls-clusters.h"
#undef CALLDEF

/* 2. the registration table */
#define CALLDEF(name, n) {#name, (DL_FUNC) (void (*)(void)) &name, n},
static const R_CallMethodDef callMethods[] = {
#include "calls-lq.h"
#include "calls-linreg.h"
#include "calls-sensitivity.h"
#include "calls-evaluation.h"
#include "calls-gvc.h"
#include "calls-indices.h"
#include "calls-clusters.h"
    {NULL, NULL, 0}
};
#undef CALLDEF

void attribute_visible R_init_gvcluster(DllInfo *dll)
{
    R_registerRoutines(dll, NULL, callMethods, NULL, NULL);
    R_useDynamicSymbols(dll, FALSE);
    R_forceSymbols(dll, TRUE);
}
