/* .Call entry points of the lq area: one CALLDEF(name, nargs) per line (see init.c). */
