/* .Call entry points of the clusters area: one CALLDEF(name, nargs) per line (see init.c). */
CALLDEF(rel_cooccurrence, 5)
CALLDEF(rel_density, 7)
