# The value-chain methods of gvc_decompose(), one entry each. Everything that
# says what a method is lives here: gvc_decompose() reads its options,
# levels and kernel and the ratios it recomputes after aggregation;
# print(), summary() and plot() its label, accounting identities, ratio
# columns and stacked terms; tidy() and glance() its reference total and
# the denominators of the shares; gvc_index() calls kernels through it.
# Adding a method is one entry here plus its kernel (in R/gvc-decompose.R)
# and its name in the choices of gvc_decompose()'s `method` (a test checks
# that the two lists agree).
#
# The fields of an entry (`o` is the list of the method's options, or the
# result; `df` the terms table):
#   label(o)          title of print(), summary() and plot()
#   options           names of the method's own arguments (only "bm" has any)
#   check(o, given)   normalises and checks them (`given`: which were given)
#   levels(o)         the levels offered, the first the default
#   level_note(o)     what the levels depend on, for the error message
#   no_keep(o)        NULL when splits = "keep" is offered, else what to
#                     name in the error
#   kernel(p, B, o, level)  the measures: a list with one of `sector`,
#                     `bilateral` (lists of n x G matrices), `country` or
#                     `imports`, optionally `origin` and `extra`
#   nonadditive       columns dropped when rows are summed (sector indices)
#   ratios(df)        adds the ratio columns, from the (summed) terms
#   ratio_cols        the ratio and index columns (not totalled by summary())
#   reference(df)     the reference total(s): the shares' denominators
#   shares(terms, ref) the denominator of each term, NA for none
#   identities(df)    the accounting identities, a named list of residuals
#   stack(df)         the terms plot() stacks

# The sum of the columns `k` of `df`.
term_sum <- function(df, k) Reduce(`+`, lapply(k, function(nm) df[[nm]]))

# Every term a part of the first reference total.
shares_of_ref <- function(terms, ref) rep(ref[1L], length(terms))

gvc_methods <- list(
  kww = list(
    label = "Koopman-Wang-Wei (2014) 9 terms",
    levels = "country",
    no_keep = "KWW",
    kernel = function(p, B, o, level) decompose_kww(p),
    reference = "GEXP",
    identities = function(df)
      list(`sum of 9 terms - GEXP` = term_sum(df, kww_names) - df$GEXP),
    stack = function(df) kww_names),
  wwz = list(
    label = "Wang-Wei-Zhu (2013) 16 terms",
    levels = c("bilateral", "sector", "country"),
    kernel = function(p, B, o, level) decompose_wwz(p, B),
    reference = "GEXP",
    identities = function(df)
      list(`sum of 16 terms - GEXP` = term_sum(df, wwz_names) - df$GEXP),
    stack = function(df) wwz_names),
  bm = list(
    label = function(o) {
      if (is.null(o$perspective)) "Borin-Mancini"
      else if (o$flow == "imports") "Borin-Mancini, importer perspective, imports"
      else sprintf("Borin-Mancini, %s perspective, %s-based", o$perspective, o$approach)
    },
    options = c("perspective", "approach", "flow"),
    check = function(o, given) bm_check_options(o, given),
    levels = function(o) switch(o$perspective,
                                exporter = c("country", "sector", "bilateral"),
                                world = "country",
                                self = c("sector", "bilateral"),
                                importer = c("country", "bilateral")),
    level_note = function(o) sprintf(" with perspective \"%s\"", o$perspective),
    no_keep = function(o) if (o$perspective == "world") "the world perspective",
    kernel = function(p, B, o, level)
      decompose_bm(p, B, o$perspective, o$approach, o$flow, level),
    reference = function(df) if ("GIMP" %in% names(df)) "GIMP" else "GEXP",
    identities = function(df) {
      if ("GIMP" %in% names(df)) return(list(`GIMP - (VA + DC)` = df$GIMP - term_sum(df, c("VA", "DC"))))
      c(list(`DC - (DVA + DDC)` = df$DC - term_sum(df, c("DVA", "DDC")),
             `DVA - (VAX + REF)` = df$DVA - term_sum(df, c("VAX", "REF")),
             `GEXP - (DC + FC)` = df$GEXP - term_sum(df, c("DC", "FC")),
             `FC - (FVA + FDC)` = df$FC - term_sum(df, c("FVA", "FDC"))),
        if ("GVC" %in% names(df))
          list(`GVC - (GVCB + GVCF)` = df$GVC - term_sum(df, c("GVCB", "GVCF")),
               `GVC - (GEXP - DAVAX)` = df$GVC - (df$GEXP - df$DAVAX)))
    },
    stack = function(df) {
      if ("GIMP" %in% names(df)) c("VA", "DC")
      else if ("DAVAX" %in% names(df)) c("DAVAX", "VAX", "REF", "DDC", "FVA", "FDC")
      else c("VAX", "REF", "DDC", "FVA", "FDC")
    }),
  leontief = list(
    label = "Leontief / Hummels-Ishii-Yi value-added origin of exports",
    levels = c("country", "sector"),
    kernel = function(p, B, o, level) decompose_leontief(p),
    reference = "E",
    identities = function(df) list(`E - (DV + FV)` = df$E - term_sum(df, c("DV", "FV"))),
    stack = c("DV", "FV")),
  wwyz = list(
    label = "Wang-Wei-Yu-Zhu (2017) production-based participation",
    levels = c("sector", "country"),
    kernel = function(p, B, o, level) decompose_wwyz(p),
    nonadditive = c("upstreamness", "downstreamness"),
    ratios = function(df) add_wwyz_ratios(df),
    ratio_cols = c("upstreamness", "downstreamness", "GVCPt_f", "GVCPt_b", "PLv_GVC",
                   "PLy_GVC", "GVCPs"),
    reference = c("VA", "FG"),
    # forward terms of value added, backward terms of final goods output
    shares = function(terms, ref)
      ifelse(grepl("^V_", terms), "VA", ifelse(grepl("^Y_", terms), "FG", NA_character_)),
    identities = function(df)
      list(`VA - forward terms` = df$VA - term_sum(df, c("V_D", "V_RT", "V_GVC_S", "V_GVC_C")),
           `FG - backward terms` = df$FG - term_sum(df, c("Y_D", "Y_RT", "Y_GVC_S", "Y_GVC_C"))),
    stack = c("V_D", "V_RT", "V_GVC_S", "V_GVC_C")),
  tiva = list(
    label = "TiVA-style indicators (OECD TiVA; Johnson-Noguera 2012)",
    levels = c("country", "sector"),
    kernel = function(p, B, o, level) decompose_tiva(p),
    ratios = function(df) add_tiva_ratios(df),
    ratio_cols = c("DVA_share", "FVA_share", "VAX_ratio"),
    reference = "GEXP",
    # value added (VA) is no part of gross exports
    shares = function(terms, ref) ifelse(terms %in% c("DVA", "FVA", "VAX"), "GEXP", NA_character_),
    identities = function(df) list(`GEXP - (DVA + FVA)` = df$GEXP - term_sum(df, c("DVA", "FVA"))),
    stack = c("DVA", "FVA")),
  bmt = list(
    label = "Borin-Mancini-Taglioni (2025) tripartite GVC trade",
    levels = c("country", "sector", "bilateral"),
    kernel = function(p, B, o, level) decompose_bmt(p),
    ratios = function(df) add_bmt_ratios(df),
    ratio_cols = c("GVC_share", "PF_share", "TS_share", "PB_share"),
    reference = "GEXP",
    identities = function(df)
      list(`GEXP - (DAVAX + GVC_PF + GVC_TS + GVC_PB)` =
             df$GEXP - term_sum(df, c("DAVAX", "GVC_PF", "GVC_TS", "GVC_PB"))),
    stack = c("DAVAX", "GVC_PF", "GVC_TS", "GVC_PB")),
  bmt_output = list(
    label = "Borin-Mancini-Taglioni (2025) output-based tripartite GVC participation",
    levels = c("country", "sector"),
    kernel = function(p, B, o, level) decompose_bmt_output(p),
    ratios = function(df) add_bmt_output_ratios(df),
    ratio_cols = c("DOM_share", "TRAD_share", "GVC_share", "PF_share", "TS_share", "PB_share"),
    reference = "X",
    identities = function(df)
      list(`X - (DOM + TRAD + GVC)` = df$X - term_sum(df, c("DOM", "TRAD", "GVC")),
           `TRAD - (TRAD_X + TRAD_M)` = df$TRAD - term_sum(df, c("TRAD_X", "TRAD_M")),
           `GVC - (GVC_PF + GVC_TS + GVC_PB)` =
             df$GVC - term_sum(df, c("GVC_PF", "GVC_TS", "GVC_PB"))),
    stack = c("DOM", "TRAD_X", "TRAD_M", "GVC_PF", "GVC_TS", "GVC_PB"))
)

# The entry of `method`, or an error naming `arg` for anything that is not
# one (a result whose parts were modified).
gvc_method <- function(method, arg = "x") {
  known <- names(gvc_methods)
  if (!is.character(method) || length(method) != 1L || !method %in% known)
    stop_arg(arg, "is not a gvc_decompose() result: its method is ",
             if (is.character(method) && length(method) == 1L) paste0('"', method, '"') else describe(method),
             ", not one of ", paste0('"', known, '"', collapse = ", "),
             "; do not modify its parts")
  gvc_methods[[method]]
}

# The field `field` of an entry: the value, or a function's value for `...`.
gvc_field <- function(entry, field, ...) {
  f <- entry[[field]]
  if (is.function(f)) f(...) else f
}

# The measures of `method` on the parts p of a table (what gvc_index()
# takes from the decompositions).
gvc_kernel <- function(method, p, B = NULL, o = list(), level = NULL) {
  gvc_methods[[method]]$kernel(p, B, o, level)
}

# Borin-Mancini's perspective, approach and flow: either of perspective =
# "importer" and flow = "imports" implies the other; "sink" is an approach
# of the exporter and world perspectives only.
bm_check_options <- function(o, given) {
  if (o$perspective == "importer" && !given[["flow"]]) o$flow <- "imports"
  if (o$flow == "imports" && !given[["perspective"]]) o$perspective <- "importer"
  if ((o$flow == "imports") != (o$perspective == "importer"))
    stop_arg("flow", "\"imports\" goes with perspective = \"importer\" and \"exports\" with ",
             "the other perspectives; got flow = \"", o$flow, "\", perspective = \"",
             o$perspective, "\"")
  if (o$perspective %in% c("self", "importer") && o$approach == "sink")
    stop_arg("approach", "\"sink\" is not defined for perspective = \"", o$perspective,
             "\" (it has one approach)")
  o
}
