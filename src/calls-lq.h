/* .Call entry points of the lq area: one CALLDEF(name, nargs) per line (see init.c). */
CALLDEF(lq_dense, 8)
CALLDEF(lq_sparse, 10)
CALLDEF(lq_panel, 10)
