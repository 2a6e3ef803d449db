/* .Call entry points of the indices area: one CALLDEF(name, nargs) per line (see init.c). */
CALLDEF(idx_panel, 7)
CALLDEF(idx_specialization, 10)
CALLDEF(idx_concentration, 9)
CALLDEF(idx_agglomeration, 7)
CALLDEF(idx_shift_share, 6)
CALLDEF(idx_whole_codes, 2)
