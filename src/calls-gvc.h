/* .Call entry points of the gvc area: one CALLDEF(name, nargs) per line (see init.c). */
CALLDEF(gvc_lu, 1)
CALLDEF(gvc_lu_solve, 4)
CALLDEF(gvc_lu_inverse, 2)
CALLDEF(gvc_local, 3)
CALLDEF(gvc_local_solve, 5)
CALLDEF(gvc_ablock, 4)
