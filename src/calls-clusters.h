/* .Call entry points of the clusters area: one CALLDEF(name, nargs) per line (see init.c). */
CALLDEF(rel_cooccurrence, 6)
CALLDEF(rel_density, 7)
CALLDEF(rel_pattern, 4)
