/* .Call entry points of the indices area: one CALLDEF(name, nargs) per line (see init.c). */
