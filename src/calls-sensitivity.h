/* .Call entry points of the sensitivity area: one CALLDEF(name, nargs) per line (see init.c). */
CALLDEF(sensitivity_draws, 9)
