/* .Call entry points of the linreg area: one CALLDEF(name, nargs) per line (see init.c). */
