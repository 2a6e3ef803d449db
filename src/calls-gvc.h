/* .Call entry points of the gvc area: one CALLDEF(name, nargs) per line (see init.c). */
