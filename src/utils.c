/* utils.c - helpers shared by every area: choices and options by name
 * (see gvcluster.h).
 */
#include "gvcluster.h"
#include <string.h>

int choice_code(SEXP which, const char *const *names, int n, const char *what)
{
    if (TYPEOF(which) != STRSXP || XLENGTH(which) != 1)
        error("internal error: '%s' must be a single string", what);
    const char *s = CHAR(STRING_ELT(which, 0));
    for (int k = 0; k < n; k++)
        if (strcmp(s, names[k]) == 0) return k;
    error("internal error: unknown %s \"%s\"", what, s);
    return -1;   /* not reached */
}

int *choice_codes(SEXP which, const char *const *names, int n,
                  const char *what)
{
    if (TYPEOF(which) != STRSXP)
        error("internal error: '%s' must be a character vector", what);
    R_xlen_t nw = XLENGTH(which);
    int *code = (int *) R_alloc(nw > 0 ? (size_t) nw : 1, sizeof(int));
    for (R_xlen_t w = 0; w < nw; w++) {
        const char *s = CHAR(STRING_ELT(which, w));
        int k = 0;
        while (k < n && strcmp(s, names[k]) != 0) k++;
        if (k == n) error("internal error: unknown %s \"%s\"", what, s);
        code[w] = k;
    }
    return code;
}

/* The position of the element called `name` of x.                       */
static R_xlen_t named_pos(SEXP x, const char *name)
{
    SEXP nm = getAttrib(x, R_NamesSymbol);
    if (TYPEOF(nm) == STRSXP)
        for (R_xlen_t k = 0; k < XLENGTH(nm); k++)
            if (strcmp(CHAR(STRING_ELT(nm, k)), name) == 0) return k;
    error("internal error: no element \"%s\"", name);
    return -1;   /* not reached */
}

SEXP named_elt(SEXP x, const char *name)
{
    if (TYPEOF(x) != VECSXP) error("internal error: not a list");
    return VECTOR_ELT(x, named_pos(x, name));
}

int named_int(SEXP x, const char *name)
{
    if (TYPEOF(x) != INTSXP) error("internal error: options must be integer");
    return INTEGER(x)[named_pos(x, name)];
}
