/* .Call entry points of the evaluation area: one CALLDEF(name, nargs) per line (see init.c). */
CALLDEF(entropy_weights, 3)
