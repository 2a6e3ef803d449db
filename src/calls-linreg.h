/* .Call entry points of the linreg area: one CALLDEF(name, nargs) per line (see init.c). */
CALLDEF(linreg_fit, 9)
CALLDEF(linreg_colstats, 3)
CALLDEF(linreg_dwmoments, 3)
CALLDEF(linreg_nonfinite, 1)
CALLDEF(linreg_dwstat, 3)
