/* Registration of every .Call entry point of gvcluster (one table, as in
 * R's stats package).  The prototypes live in gvcluster.h, which the file
 * defining each entry point includes; adding an entry point means one
 * prototype there and one CALLDEF line here.  R code calls them by their
 * registered symbols (`.Call(ffi_lq_dense, ...)`, useDynLib with
 * .registration = TRUE).
 */
#include "gvcluster.h"
#include <R_ext/Rdynload.h>
#include <R_ext/Visibility.h>

#define CALLDEF(name, n) {#name, (DL_FUNC) (void (*)(void)) &name, n}

static const R_CallMethodDef callMethods[] = {
    /* lq.c */
    CALLDEF(ffi_lq_dense, 9),
    CALLDEF(ffi_lq_sparse, 11),
    CALLDEF(ffi_lq_panel, 10),
    /* panel.c */
    CALLDEF(ffi_whole_codes, 2),
    CALLDEF(ffi_panel, 6),
    /* specialization.c */
    CALLDEF(ffi_specialization, 10),
    CALLDEF(ffi_specialization_panel, 10),
    /* concentration.c */
    CALLDEF(ffi_concentration, 9),
    CALLDEF(ffi_concentration_panel, 9),
    /* agglomeration.c */
    CALLDEF(ffi_agglomeration, 7),
    /* shift-share.c */
    /* linreg.c; linreg-dw.c (dwmoments, dwstat) */
    CALLDEF(ffi_linreg_fit, 9),
    CALLDEF(ffi_linreg_colstats, 3),
    CALLDEF(ffi_linreg_dwmoments, 4),
    CALLDEF(ffi_linreg_dwstat, 3),
    CALLDEF(ffi_linreg_nonfinite, 1),
    /* sensitivity.c */
    CALLDEF(ffi_sensitivity_draws, 10),
    /* evaluation.c */
    CALLDEF(ffi_entropy_weights, 3),
    /* gvc.c */
    CALLDEF(ffi_gvc_lu, 1),
    CALLDEF(ffi_gvc_lu_solve, 4),
    CALLDEF(ffi_gvc_lu_inverse, 2),
    CALLDEF(ffi_gvc_lu_z, 2),
    CALLDEF(ffi_gvc_blocks_lu, 3),
    CALLDEF(ffi_gvc_blocks_solve, 5),
    CALLDEF(ffi_gvc_ablock, 3),
    CALLDEF(ffi_gvc_self_diag, 4),
    CALLDEF(ffi_gvc_cache_new, 1),
    CALLDEF(ffi_gvc_cache_env, 1),
    CALLDEF(ffi_gvc_zstats, 1),
    CALLDEF(ffi_gvc_bdiag_lu, 2),
    CALLDEF(ffi_gvc_norm1, 2),
    /* read-icio.c */
    CALLDEF(ffi_read_block, 5),
    CALLDEF(ffi_read_shape, 3),
    /* relatedness.c */
    CALLDEF(ffi_rel_cooccurrence, 6),
    CALLDEF(ffi_rel_density, 7),
    CALLDEF(ffi_rel_pattern, 4),
    CALLDEF(ffi_rel_gain, 6),
    /* complexity.c */
    CALLDEF(ffi_cx_complexity, 8),
    /* clusters.c */
    CALLDEF(ffi_cl_uscmp_sums, 6),
    CALLDEF(ffi_cl_uscmp_strength, 6),
    /* spatial.c */
    CALLDEF(ffi_spatial_contiguity, 3),
    CALLDEF(ffi_moran_global, 6),
    CALLDEF(ffi_moran_local, 8),
    CALLDEF(ffi_spatial_lag, 4),
    /* linreg-tsqr.c: the kernels of a streamed fit */
    CALLDEF(ffi_lsq_block, 5),
    CALLDEF(ffi_lsq_tsqr, 2),
    CALLDEF(ffi_lsq_colstats, 2),
    CALLDEF(ffi_lsq_cov_dd, 1),
    CALLDEF(ffi_lsq_rfactor, 4),
    CALLDEF(ffi_lsq_correct, 3),
    CALLDEF(ffi_shift_share_panel, 7),
    {NULL, NULL, 0}
};

void attribute_visible R_init_gvcluster(DllInfo *dll);
void attribute_visible R_init_gvcluster(DllInfo *dll)
{
    R_registerRoutines(dll, NULL, callMethods, NULL, NULL);
    R_useDynamicSymbols(dll, FALSE);
    R_forceSymbols(dll, TRUE);
}
