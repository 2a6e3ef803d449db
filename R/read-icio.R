# Readers for the inter-country input-output tables that publishers
# distribute: WIOD (2016 release), OECD ICIO (2016-2025 releases), ADB MRIO,
# Eurostat FIGARO, EXIOBASE 3 and Eora26. Each reader finds the blocks of
# its layout (intermediate use Z, final demand Y, the primary-input rows and
# gross output) and hands them, with the producer and final-demand labels,
# to assemble_icio(), which orders them and builds the icio() table.

#' Read an inter-country input-output table from a publisher's file
#'
#' Reads the files that WIOD, the OECD, the ADB, Eurostat (FIGARO),
#' EXIOBASE and Eora distribute and returns an [icio()] table, or, for
#' several files (or an ADB workbook with several year sheets), an
#' `icio_series`: a list of tables keyed by year, on which [gvc_index()]
#' and [gvc_decompose()] return one long data frame with a `year` column.
#'
#' Formats (`format = NULL` detects them from the file):
#' * `"oecd"`: OECD ICIO CSV files of the 2016, 2018, 2021, 2023 and 2025
#'   releases (e.g. `ICIO2018_2015.csv`, `2020.csv` of `2016-2020_EXT.zip`).
#'   The layout is recognised from the labels: rows `AUS_01T02` (country
#'   `_` industry; the 2023 codes such as `AUS_A01_02` split at the first
#'   `_`), final-demand columns `AUS_HFCE` (or `HFCE_AUS` in 2016), the
#'   taxes-less-subsidies and value-added rows (`TLS` and `VA` since 2021;
#'   one `TAXSUB` row per country and `VALU` in 2018; `VA+TAXSUB` in
#'   2016), kept together as `va` (each row in `primary`), and the output
#'   row and column (`OUTPUT`/`TOTAL` up to 2021, `OUT` from 2023). The
#'   2016 statistical-discrepancy column `DISC` is added to the inventory
#'   changes of the producer's own country (with a message). The extended
#'   tables' China and Mexico blocks `CN1`, `CN2`, `MX1`, `MX2` (any
#'   `CN<digit>`/`MX<digit>`) are kept as split producers of `CHN` and
#'   `MEX` (`splits = "auto"`; pass `splits = NULL` to treat them as
#'   ordinary countries, which fails as they have no final demand).
#' * `"wiod2016"`: the WIOD November 2016 release as R data
#'   (`WIOT2014_October16_ROW.RData`, object `wiot`, from `WIOTS_in_R.zip`)
#'   or that data frame written as CSV: 43 countries and `ROW`, 56
#'   industries (`RNr` 1-56), 5 final-demand categories (57-61: `CONS_h`,
#'   `CONS_np`, `CONS_g`, `GFCF`, `INVEN`), and the rows below the
#'   industries with `Country == "TOT"`: `II_fob` (total intermediate use,
#'   skipped), `TXSP`, `EXP_adj`, `PURR`, `PURNR`, `VA`, `IntTTM` (summed
#'   into `va`) and `GO` (output). The `.xlsb` workbooks cannot be read by
#'   readxl: use the R data files.
#' * `"adb"`: ADB MRIO Excel workbooks (`.xlsx`, read with readxl), one
#'   sheet per year: header rows with country codes and the codes `c1`..
#'   `c35`, `F1`..`F5` and `ToT`; label columns with country and code;
#'   industry rows `c1`..`c35`, then `r60` (total intermediate use,
#'   skipped), the primary-input rows (summed into `va`, whatever their
#'   codes: `r99`, `r61`..`r64`, `trs` in recent workbooks) and `r69`
#'   (output). `ToT` may head the output column in the code row or in the
#'   country row above it.
#' * `"figaro"`: Eurostat FIGARO industry-by-industry tables, the matrix
#'   files (`matrix_eu-ic-io_ind-by-ind_23ed_2021.csv`: column `rowLabels`,
#'   labels `AT_C10T12`, final-demand codes `P3_S13`, `P3_S14`, `P3_S15`,
#'   `P51G`, `P5M`, primary-input rows `W2_D1` etc.) and the flat files
#'   (columns `refArea`, `rowIi`, `counterpartArea`, `colIi`, `obsValue`;
#'   `rowPp`/`colPp` in the product-by-product files; the primary-input rows
#'   have `refArea` `W2`).
#' * `"exiobase3"`: an EXIOBASE 3 IOT folder or zip (`IOT_2022_ixi`):
#'   `Z.txt` (or `A.txt`), `Y.txt` and `x.txt`, tab separated, with their
#'   region and sector label rows and columns. Value added is output minus
#'   intermediate inputs.
#' * `"eora26"`: an Eora26 folder or zip (`Eora26_2015_bp_T.txt`, `_FD`,
#'   `_VA` and `labels_T.txt`, `labels_FD.txt`, `labels_VA.txt`); the
#'   statistical-discrepancy entries (region `ROW` in the first or second
#'   label column) are dropped with a
#'   message giving their totals.
#'
#' Large CSV and text files are read with `data.table::fread()` (package
#' data.table, suggested); without it only small files are read (with
#' base R), larger ones give an error saying to install it. Progress
#' messages are shown for large files in interactive sessions. Columns of
#' the numeric blocks are copied into the matrices in one pass in C
#' (integer columns become doubles); a column with text in it, or an empty
#' or `NA` cell, is an error naming the column (and the row of the first
#' empty cell).
#'
#' A table keeps the split blocks as producers; the value-chain functions
#' treat them as part of their country.
#'
#' @param file Path of the file (or folder, or zip for EXIOBASE and Eora);
#'   a vector of paths reads a series, and so does a zip of yearly CSV files
#'   (the OECD's `2016-2020_EXT.zip`; `year` then selects files).
#' @param format One of `"oecd"`, `"wiod2016"`, `"adb"`, `"figaro"`,
#'   `"exiobase3"`, `"eora26"`, or `NULL` to detect it.
#' @param year The year (or, for several files, the year labels in the
#'   order of `file`); `NULL` takes it from the data or the file name. For
#'   an ADB workbook, selects the sheet(s) of that year.
#' @param splits For OECD tables: `"auto"` (default) keeps `CN<digit>` and
#'   `MX<digit>` blocks as split producers of `CHN` and `MEX`; or a named
#'   character vector as in [icio()].
#' @param quiet `FALSE` shows progress messages on large files; default
#'   `TRUE` unless the session is interactive.
#' @param ... Unused.
#' @return An [icio()] table with the extra elements `year`, `source` (the
#'   format and layout read) and `primary` (the primary-input rows of the
#'   file, one row each, whose column sums are `va`; `NULL` for EXIOBASE),
#'   or an object of class `icio_series` (a list of such tables named by
#'   year).
#' @seealso [aggregate.icio()] to group countries and sectors,
#'   [gvc_index()], [gvc_decompose()], [plot.gvc_index_series()].
#' @examples
#' f <- system.file("extdata", "icio2023_2016.csv", package = "gvcluster")
#' tab <- read_icio(f)
#' tab
#' tab$splits
#' gvc_index(tab)
#' @export
read_icio <- function(file, format = NULL, year = NULL, splits = "auto",
                      quiet = !interactive(), ...) {
  if (!is.character(file) || length(file) < 1L || anyNA(file))
    stop_arg("file", "must be the path of a file or folder (a character vector), not ",
             describe(file))
  if (!is.null(format)) {
    formats <- c("oecd", "wiod2016", "adb", "figaro", "exiobase3", "eora26")
    if (!is.character(format) || length(format) != 1L || !format %in% formats)
      stop_arg("format", "must be one of ", paste0('"', formats, '"', collapse = ", "),
               " (or NULL to detect it)")
  }
  quiet <- check_flag(quiet, "quiet")
  if (!is.null(year)) {
    if (!(is.numeric(year) || is.character(year)) || anyNA(year))
      stop_arg("year", "must be year labels (numbers or strings), not ", describe(year))
    if (length(file) > 1L && length(year) != length(file))
      stop_arg("year", sprintf("must give one label per file (%d), not %d",
                               length(file), length(year)))
  }
  miss <- file[!file.exists(file)]
  if (length(miss))
    stop_arg("file", "names paths that do not exist: ",
             paste0('"', miss, '"', collapse = ", "))
  if (length(file) > 1L) {
    tabs <- lapply(seq_along(file), function(i) {
      read_icio(file[i], format = format, year = year[i], splits = splits, quiet = quiet)
    })
    return(new_icio_series(tabs))
  }
  if (file_ext(file) == "zip" && !dir.exists(file)) {
    # a zip of yearly CSV files (the OECD's 2016-2020_EXT.zip): a series
    lst <- zip_listing(file)
    csv <- lst[grepl("\\.csv$", lst, ignore.case = TRUE)]
    if (length(csv) && !any(basename(lst) %in% c("Y.txt", "labels_T.txt"))) {
      if (!is.null(year)) {
        csv <- csv[vapply(csv, year_from_name, "") %in% as.character(year)]
        if (!length(csv))
          stop_arg("year", "names years without a CSV file in the zip")
      }
      td <- tempfile("icio")
      dir.create(td)
      on.exit(unlink(td, recursive = TRUE), add = TRUE)
      if (!quiet) message("unzipping ", length(csv), " files ...")
      utils::unzip(file, files = csv, exdir = td, junkpaths = TRUE)
      paths <- file.path(td, basename(csv))
      return(read_icio(paths, format = format, splits = splits, quiet = quiet))
    }
  }
  fmt <- if (is.null(format)) detect_icio_format(file) else format
  if (fmt != "adb" && length(year) > 1L)
    stop_arg("year", "must be a single label for one file")
  switch(fmt,
         oecd = read_oecd(file, year, splits, quiet),
         wiod2016 = read_wiod2016(file, year, quiet),
         adb = read_adb(file, year, quiet),
         figaro = read_figaro(file, year, quiet),
         exiobase3 = read_exiobase3(file, year, quiet),
         eora26 = read_eora26(file, year, quiet))
}

# ---- format detection ---------------------------------------------------------

detect_icio_format <- function(file) {
  if (dir.exists(file)) {
    fl <- list.files(file, recursive = TRUE)
    return(detect_from_listing(fl, file))
  }
  ext <- file_ext(file)
  if (ext %in% c("rdata", "rda")) return("wiod2016")
  if (ext %in% c("xlsx", "xls", "xlsm")) return("adb")
  if (ext == "xlsb")
    stop_arg("file", "is an .xlsb workbook, which readxl cannot read; for WIOD use ",
             "the R data release (WIOTS_in_R.zip), for ADB save the sheet as .xlsx")
  if (ext == "zip") return(detect_from_listing(zip_listing(file), file))
  head <- first_line(file)
  cells <- gsub('^"|"$', "", strsplit(head, ",", fixed = TRUE)[[1]])
  if (all(c("IndustryCode", "Country", "RNr") %in% cells)) return("wiod2016")
  if ("refArea" %in% cells && any(c("rowIi", "rowPp", "rowPi") %in% cells)) return("figaro")
  if (identical(cells[1], "rowLabels") || any(grepl("_P3_S1[345]$", cells))) return("figaro")
  oecd_like <- grepl("^[A-Z0-9]{3}_[A-Z0-9_]+$", cells) |
    cells %in% c("TOTAL", "OUT", "DISC") |
    grepl("^(HFCE|NPISH|NPS|GGFC|GFCF|INVNT|INV|DIRP|DPABR|P33)_[A-Z]{3}$", cells)
  if (length(cells) > 2L && mean(oecd_like[-1]) > 0.9) return("oecd")
  stop_arg("file", "is in no layout read_icio() knows: expected an OECD ICIO CSV ",
           "(header cells such as \"AUS_01T02\", \"AUS_HFCE\", \"OUT\"), a FIGARO file ",
           "(\"rowLabels\" or \"refArea\"), a WIOD `wiot` table (\"IndustryCode\"), an ",
           "ADB .xlsx, or an EXIOBASE/Eora folder; found header cells ",
           paste0('"', utils::head(cells, 4L), '"', collapse = ", "),
           if (length(cells) > 4L) ", ..." else "")
}

detect_from_listing <- function(fl, file) {
  b <- basename(fl)
  eora <- any(grepl("^Eora26_.*_T\\.txt$", b)) || "labels_T.txt" %in% b
  exio <- "Y.txt" %in% b && any(c("Z.txt", "A.txt") %in% b)
  if (eora && exio)
    stop_arg("file", sprintf("(%s) holds both an Eora26 and an EXIOBASE 3 table (%s); read one table at a time",
                             basename(file), paste0('"', utils::head(fl[b %in% c("Y.txt", "Z.txt", "A.txt", "labels_T.txt") |
                                                                          grepl("^Eora26_.*_T\\.txt$", b)], 6L),
                                                    '"', collapse = ", ")))
  if (eora) return("eora26")
  if (exio) return("exiobase3")
  stop_arg("file", "is a folder or zip that holds neither an EXIOBASE 3 table ",
           "(Z.txt or A.txt, Y.txt, x.txt) nor an Eora26 table (Eora26_<year>_bp_T.txt, ",
           "labels_T.txt); found ", if (length(b)) paste0('"', utils::head(b, 6L), '"',
                                                    collapse = ", ") else "no files")
}

file_ext <- function(file) {
  b <- basename(file)
  if (grepl(".", b, fixed = TRUE)) tolower(sub(".*\\.", "", b)) else ""
}

first_line <- function(file) {
  con <- file(file, "r")
  on.exit(close(con))
  l <- readLines(con, n = 1L, warn = FALSE)
  if (!length(l)) stop_arg("file", "is empty")
  l
}

year_from_name <- function(file) {
  m <- regmatches(basename(file), gregexpr("(?<![0-9])(19|20)[0-9]{2}(?![0-9])",
                                           basename(file), perl = TRUE))[[1]]
  if (length(m)) utils::tail(m, 1L) else NA_character_
}

# ---- fast text reading ----------------------------------------------------------

# A delimited file as a list of columns (a data.table when data.table is
# there). fread is used for everything but tiny files; without data.table,
# files over 5 MB are refused with a clear message (read.csv would take
# minutes on an OECD table).
read_delim_fast <- function(file, sep = ",", header = TRUE, skip = 0L, quiet = TRUE) {
  big <- isTRUE(file.size(file) > 5e6)
  # option gvcluster.fread = FALSE forces the base-R path (used by the tests)
  use_fread <- isTRUE(getOption("gvcluster.fread", TRUE)) &&
    requireNamespace("data.table", quietly = TRUE)
  if (big && !use_fread)
    stop_arg("file", sprintf("(%s, %.0f MB) is too large to read without the data.table package: install.packages(\"data.table\")",
                             basename(file), file.size(file) / 1e6))
  check_text_table(file, sep, skip)
  if (use_fread) {
    if (!quiet && big) message(sprintf("reading %s (%.0f MB) ...", basename(file),
                                       file.size(file) / 1e6))
    # fread() keeps the lines above one it cannot read with a warning: an
    # error here (check_text_table() has named such lines already)
    return(withCallingHandlers(
      data.table::fread(file, sep = sep, header = header, skip = skip,
                        showProgress = !quiet && big, data.table = TRUE,
                        check.names = FALSE, na.strings = c("", "NA"),
                        integer64 = "double"),
      warning = function(w) {
        if (grepl("Stopped early|Discarded single-line footer", conditionMessage(w)))
          stop_arg("file", sprintf("(%s) could not be read to its end: %s", basename(file),
                                   conditionMessage(w)))
      }))
  }
  utils::read.table(file, sep = sep, header = header, skip = skip, quote = "\"",
                    comment.char = "", check.names = FALSE, stringsAsFactors = FALSE,
                    na.strings = c("", "NA"))
}

# A delimited text table, checked before it is parsed: not empty, not
# binary, every line with the first line's number of fields (a ragged line
# would make fread() stop there and keep the lines above), no blank line
# inside the table. One pass in C (ffi_read_shape); errors name the file,
# the line and the counts.
check_text_table <- function(file, sep = ",", skip = 0L) {
  b <- basename(file)
  if (is.na(file.size(file)) || file.size(file) == 0)
    stop_arg("file", sprintf("(%s) is empty", b))
  head <- readBin(file, "raw", 4096L)
  ctrl <- head < as.raw(9L) | (head > as.raw(13L) & head < as.raw(32L))
  if (any(head == as.raw(0L)) || mean(ctrl) > 0.05)
    stop_arg("file", sprintf(
      "(%s) is not a delimited text table: it holds binary data (expected lines of fields separated by %s)",
      b, if (sep == "\t") "tabs" else sprintf("\"%s\"", sep)))
  sh <- .Call(ffi_read_shape, file, sep, as.double(skip))
  if (sh$lines <= skip || sh$header < 0L)
    stop_arg("file", sprintf("(%s) is empty: it has no line%s", b,
                             if (skip > 0) sprintf(" below its %d header lines", skip) else ""))
  if (sh$blank_line > 0)
    stop_arg("file", sprintf("(%s) has a blank line (line %.0f) inside the table; remove it",
                             b, sh$blank_line))
  if (sh$bad_line > 0)
    stop_arg("file", sprintf(
      "(%s) has a ragged line: line %.0f has %d fields where line %d (%s) has %d; every line of the table needs as many fields",
      b, sh$bad_line, sh$bad_fields, skip + 1L, if (skip > 0) "the first of the table" else "the header",
      sh$header))
  invisible(sh)
}

# Numeric block of a list of columns (fread's data.table, a data frame):
# rows `i` of columns `j` (indices), copied in one pass by C into a new
# matrix that carries `dimnames` from the start, so that icio() need not
# copy it again to name it. Integer and logical columns become doubles; a
# column that is not numeric (a logical one is accepted only when all NA:
# fread's type of an empty column) is an error naming it, and so are empty
# or NA cells (counted by the copy) unless `na_ok`.
num_block <- function(dt, i, j, file, what, dimnames = NULL, na_ok = FALSE) {
  i <- as.integer(i); j <- as.integer(j)
  num <- vapply(.subset(dt, j), is.numeric, NA)
  for (k in which(!num)) {
    v <- .subset2(dt, j[k])
    if (!(is.logical(v) && !is.object(v) && all(is.na(v[i]))))
      stop_arg("file", sprintf("has non-numeric values in column \"%s\" of the %s block (%s)",
                               names(dt)[j[k]], what, basename(file)))
  }
  b <- .Call(ffi_read_block, dt, i, j, dimnames, n_threads())
  if (!na_ok && length(b$na_first)) {
    r <- i[b$na_first[["row"]]]
    lab <- .subset2(dt, 1L)
    lab <- if (is.character(lab)) sprintf(" (\"%s\")", lab[r]) else ""
    stop_arg("file", sprintf(
      "has %.0f empty or NA cell%s in the %s block (%s); the first in column \"%s\", data row %d%s",
      b$na_count, if (b$na_count == 1) "" else "s", what, basename(file),
      names(dt)[j[b$na_first[["column"]]]], r, lab))
  }
  b$block
}

# Row and column names of the blocks as icio() names them ("CHN.C23").
dot_labels <- function(a, b) paste(a, b, sep = ".")

# ---- assembling a table -----------------------------------------------------------

# Z (n x n, rows and columns in the order of prod), Y (n x m, columns in the
# order of fd), prim (primary-input rows, k x n, or NULL), x (or NULL);
# prod: data frame of producer country and sector; fd: of destination
# country and category.
assemble_icio <- function(Z, Y, prim, x, prod, fd, splits, year, source, file) {
  countries <- unique(prod$country)
  cnt <- table(factor(prod$country, levels = countries))
  ref <- countries[which(cnt == as.integer(names(which.max(table(cnt)))))[1L]]
  sectors <- unique(prod$sector[prod$country == ref])
  G <- length(countries); N <- length(sectors)
  ci <- match(prod$country, countries); si <- match(prod$sector, sectors)
  if (anyNA(si) || nrow(prod) != G * N || anyDuplicated(paste(ci, si))) {
    bad <- names(cnt)[cnt != N]
    stop_arg("file", sprintf(
      "does not hold a complete country x industry grid: expected %d industries for each of %d countries (as %s), found %s",
      N, G, ref, if (length(bad)) paste0(bad[1L], " with ", cnt[bad[1L]])
      else "industries that the first country lacks"))
  }
  ord <- order(ci, si)
  if (is.unsorted(ord)) {
    Z <- Z[ord, ord]; Y <- Y[ord, , drop = FALSE]
    if (!is.null(prim)) prim <- prim[, ord, drop = FALSE]
    if (!is.null(x)) x <- x[ord]
  }
  if (identical(splits, "auto")) {
    sp <- countries[grepl("^(CN|MX)[0-9]+$", countries)]
    splits <- stats::setNames(ifelse(startsWith(sp, "CN"), "CHN", "MEX"), sp)
    splits <- splits[splits %in% countries]
    if (!length(splits)) splits <- NULL
  }
  splits <- check_splits(splits, countries)
  dest <- countries[!countries %in% names(splits)]
  cats <- unique(fd$category)
  bad <- setdiff(unique(fd$country), dest)
  if (length(bad))
    stop_arg("file", "has final-demand columns of codes that are no producing country ",
             "(or are split blocks): ", paste0('"', bad, '"', collapse = ", "))
  want <- paste(rep(dest, each = length(cats)), rep(cats, length(dest)), sep = "\r")
  have <- paste(fd$country, fd$category, sep = "\r")
  j <- match(want, have)
  if (anyNA(j) || length(have) != length(want)) {
    w <- want[is.na(j)][1L]
    stop_arg("file", sprintf(
      "does not hold each of the %d final-demand categories (%s) for each of the %d countries%s",
      length(cats), paste(cats, collapse = ", "), length(dest),
      if (!is.na(w)) paste0("; missing ", sub("\r", " ", w)) else ""))
  }
  if (!identical(j, seq_along(j))) Y <- Y[, j, drop = FALSE]
  va <- NULL
  if (!is.null(prim)) {
    va <- colSums(prim)
    if (!all(is.finite(va))) {
      k <- which(!is.finite(va))[1L]
      stop_arg("file", sprintf(paste0(
        "(%s, its value-added block) has sums past the largest double (%.3g): the column of %s.%s ",
        "sums to %s; rescale the table (for example to millions) so that its sums are finite"),
        basename(file), .Machine$double.xmax, countries[(k - 1L) %/% N + 1L],
        sectors[(k - 1L) %% N + 1L], va[k]))
    }
    colnames(prim) <- paste(rep(countries, each = N), rep(sectors, G), sep = ".")
  }
  tab <- tryCatch(icio(Z, Y, countries, sectors, cats, x = x, va = va, splits = splits),
                  gvcluster_overflow = function(e)
                    stop_arg("file", sprintf("(%s, its %s block) %s", basename(file),
                                             if (e$part == "Z") "intermediate (Z)" else "final-demand (Y)",
                                             e$detail)))
  tab$year <- if (is.null(year) || is.na(year)) NA_character_ else as.character(year)
  tab$source <- source
  tab$primary <- prim
  tab
}

split_first <- function(lab) {
  pos <- regexpr("_", lab, fixed = TRUE)
  ok <- pos > 0L
  list(a = ifelse(ok, substr(lab, 1L, pos - 1L), NA_character_),
       b = ifelse(ok, substr(lab, pos + 1L, nchar(lab)), NA_character_))
}

# ---- OECD ICIO ------------------------------------------------------------------

read_oecd <- function(file, year, splits, quiet) {
  dt <- read_delim_fast(file, quiet = quiet)
  rn <- as.character(dt[[1L]])
  cn <- names(dt)
  out_row <- which(rn %in% c("OUT", "OUTPUT"))
  va_row <- which(rn %in% c("TLS", "VA", "VALU", "TAXSUB", "VA+TAXSUB") |
                    grepl("_TAXSUB$", rn))
  tot_col <- which(cn %in% c("TOTAL", "OUT", "OUTPUT"))
  found <- sprintf("found last rows %s and last columns %s",
                   paste0('"', utils::tail(rn, 3L), '"', collapse = ", "),
                   paste0('"', utils::tail(cn, 3L), '"', collapse = ", "))
  if (!length(va_row) || length(out_row) != 1L)
    stop_arg("file", "is not an OECD ICIO table in a known layout: expected industry rows ",
             "such as \"AUS_01T02\", value-added rows TLS and VA (2021-2025; TAXSUB and ",
             "VALU in 2018; VA+TAXSUB in 2016) and one output row OUT (2023-2025) or ",
             "OUTPUT; ", found)
  # the value-added rows of each layout come as a set: one missing would
  # leave value added short (and show only as an imbalance)
  vr <- rn[va_row]
  tax18 <- any(vr == "TAXSUB" | grepl("_TAXSUB$", vr))
  miss_va <- if ("VA+TAXSUB" %in% vr) character(0) else
    if (tax18 || "VALU" %in% vr) setdiff(c(if (!tax18) "TAXSUB", if (!"VALU" %in% vr) "VALU"), "") else
      setdiff(c("TLS", "VA"), vr)
  if (length(miss_va))
    stop_arg("file", sprintf(paste0(
      "(%s) has the value-added row%s %s but not %s: OECD tables give value added in two ",
      "rows, TLS and VA (2021-2025) or TAXSUB and VALU (2018), and one alone is incomplete"),
      basename(file), if (length(vr) > 1L) "s" else "", paste0('"', utils::head(vr, 3L), '"', collapse = ", "),
      paste0('"', miss_va, '"', collapse = " and ")))
  ind <- setdiff(seq_along(rn), c(out_row, va_row))
  lab <- rn[ind]
  p <- split_first(lab)
  badl <- is.na(p$a) | !nzchar(p$a) | !nzchar(p$b)
  if (any(badl))
    stop_arg("file", "(", basename(file), ") has industry rows that are not country_industry codes: ",
             paste0('"', utils::head(lab[badl], 3L), '"', collapse = ", "),
             " (line ", ind[which(badl)[1L]] + 1L, "); expected e.g. \"AUS_01T02\"")
  zc <- match(lab, cn)
  if (anyNA(zc))
    stop_arg("file", "has industry rows without a matching column: ",
             paste0('"', utils::head(lab[is.na(zc)], 3L), '"', collapse = ", "))
  if (is.unsorted(zc))
    stop_arg("file", "has industry columns in another order than its rows")
  prod_c <- unique(p$a)
  rest <- setdiff(seq_along(cn)[-1L], c(zc, tot_col))
  disc <- rest[cn[rest] == "DISC"]
  rest <- setdiff(rest, disc)
  q <- split_first(cn[rest])
  first_is_country <- q$a %in% prod_c
  second_is_country <- q$b %in% prod_c
  if (any(!(first_is_country | second_is_country)))
    stop_arg("file", "has columns that are neither industries, final demand of a country ",
             "(\"AUS_HFCE\") nor totals (\"OUT\", \"TOTAL\"): ",
             paste0('"', utils::head(cn[rest][!(first_is_country | second_is_country)], 3L),
                    '"', collapse = ", "))
  fd <- data.frame(country = ifelse(first_is_country, q$a, q$b),
                   category = ifelse(first_is_country, q$b, q$a), stringsAsFactors = FALSE)
  layout <- if (length(disc) || any(!first_is_country)) "2016" else
    if (any(grepl("TAXSUB$", rn[va_row])) || "VALU" %in% rn[va_row]) "2018" else
      if ("OUT" %in% cn) "2023-2025" else "2021"
  if (!quiet) message("OECD ICIO, ", layout, " layout: building the table ...")
  pl <- dot_labels(p$a, p$b)
  Z <- num_block(dt, ind, zc, file, "intermediate", list(pl, pl))
  Y <- num_block(dt, ind, rest, file, "final-demand",
                 list(pl, dot_labels(fd$country, fd$category)))
  prim <- num_block(dt, va_row, zc, file, "value-added", list(rn[va_row], NULL))
  x <- if (length(tot_col)) num_block(dt, ind, tot_col[1L], file, "output")[, 1L] else
    num_block(dt, out_row, zc, file, "output")[1L, ]
  if (length(disc)) {
    d <- num_block(dt, ind, disc, file, "discrepancy", na_ok = TRUE)[, 1L]
    d[is.na(d)] <- 0
    own <- p$a
    own[grepl("^CN[0-9]+$", own)] <- "CHN"
    own[grepl("^MX[0-9]+$", own)] <- "MEX"
    inv <- which(fd$category %in% c("INVNT", "INV"))
    k <- inv[match(own, fd$country[inv])]
    if (anyNA(k[d != 0]))
      stop_arg("file", "has a DISC column but no inventory-change column (INV or INVNT) to hold it")
    Y[cbind(which(d != 0), k[d != 0])] <- Y[cbind(which(d != 0), k[d != 0])] + d[d != 0]
    message(sprintf("the statistical discrepancy column DISC (total %.6g) is added to inventory changes",
                    sum(d)))
  }
  rm(dt)
  if (is.null(year)) year <- year_from_name(file)
  assemble_icio(Z, Y, prim, x, data.frame(country = p$a, sector = p$b, stringsAsFactors = FALSE),
                fd, splits, year, paste("oecd", layout), file)
}

# ---- WIOD 2016 ----------------------------------------------------------------------

wiod_fd_codes <- c(`57` = "CONS_h", `58` = "CONS_np", `59` = "CONS_g", `60` = "GFCF",
                   `61` = "INVEN")

read_wiod2016 <- function(file, year, quiet) {
  ext <- file_ext(file)
  if (ext %in% c("rdata", "rda")) {
    env <- new.env()
    nm <- tryCatch(load(file, envir = env), error = function(e)
      stop_arg("file", sprintf("(%s) is not a readable R data file: it is truncated or corrupt (load() says: %s)",
                               basename(file), conditionMessage(e))),
      warning = function(w)
      stop_arg("file", sprintf("(%s) is not a readable R data file: it is truncated or corrupt (load() says: %s)",
                               basename(file), conditionMessage(w))))
    if (!"wiot" %in% nm)
      stop_arg("file", "is an R data file without the object `wiot` of the WIOD 2016 ",
               "release; found ", paste0("`", nm, "`", collapse = ", "))
    w <- env$wiot
  } else {
    w <- read_delim_fast(file, quiet = quiet)
  }
  need <- c("IndustryCode", "Country", "RNr", "TOT")
  miss <- setdiff(need, names(w))
  if (length(miss))
    stop_arg("file", "is not a WIOD 2016 table: expected columns ",
             paste0('"', need, '"', collapse = ", "), " and AUS1 .. ROW61; missing ",
             paste0('"', miss, '"', collapse = ", "))
  ctry <- as.character(w$Country)
  code <- as.character(w$IndustryCode)
  ind <- which(ctry != "TOT")
  tot <- which(ctry == "TOT")
  go <- tot[code[tot] == "GO"]
  prim_rows <- tot[!code[tot] %in% c("II_fob", "GO")]
  if (length(go) != 1L || !length(prim_rows))
    stop_arg("file", "is not a WIOD 2016 table: expected rows with Country \"TOT\" ",
             "below the industries (II_fob, TXSP, EXP_adj, PURR, PURNR, VA, IntTTM, GO); found ",
             if (length(tot)) paste0('"', code[tot], '"', collapse = ", ") else "none")
  rnr <- as.integer(w$RNr)
  N <- max(rnr[ind])
  cn <- names(w)
  num <- regmatches(cn, regexec("^([A-Z]{3})([0-9]+)$", cn))
  ok <- lengths(num) == 3L
  cc <- vapply(num[ok], `[`, "", 2L); cr <- as.integer(vapply(num[ok], `[`, "", 3L))
  jj <- which(ok)
  zc <- jj[cr <= N]
  fc <- jj[cr > N]
  want <- paste0(ctry[ind], rnr[ind])
  zc <- zc[match(want, cn[zc])]
  if (anyNA(zc))
    stop_arg("file", "is not a WIOD 2016 table: industry rows without matching columns, e.g. ",
             want[is.na(zc)][1L])
  sect_of <- code[ind][match(seq_len(N), rnr[ind])]
  fcr <- cr[cr > N]
  fd <- data.frame(country = cc[cr > N],
                   category = ifelse(as.character(fcr) %in% names(wiod_fd_codes),
                                     wiod_fd_codes[as.character(fcr)], paste0("F", fcr)),
                   stringsAsFactors = FALSE)
  pl <- dot_labels(ctry[ind], sect_of[rnr[ind]])
  Z <- num_block(w, ind, zc, file, "intermediate", list(pl, pl))
  Y <- num_block(w, ind, fc, file, "final-demand",
                 list(pl, dot_labels(fd$country, fd$category)))
  prim <- num_block(w, prim_rows, zc, file, "value-added", list(code[prim_rows], NULL))
  x <- num_block(w, ind, match("TOT", cn), file, "output")[, 1L]
  if (is.null(year)) {
    year <- if (!is.null(w$Year)) as.character(w$Year[1L]) else year_from_name(file)
  }
  rm(w)
  assemble_icio(Z, Y, prim, x,
                data.frame(country = ctry[ind], sector = sect_of[rnr[ind]],
                           stringsAsFactors = FALSE),
                fd, NULL, year, "wiod2016", file)
}

# ---- ADB MRIO -----------------------------------------------------------------------

# An Excel workbook by its first bytes: .xlsx/.xlsm are zip archives
# ("PK\003\004"), .xls an OLE2 compound file (D0 CF 11 E0); anything else
# (a CSV renamed, an HTML error page saved by a browser) is an error naming
# the file, not readxl's "zip file cannot be opened" or libxls's "Unable to
# open file".
check_workbook <- function(file) {
  ext <- file_ext(file)
  magic <- readBin(file, "raw", 8L)
  want <- if (ext == "xls") as.raw(c(0xd0, 0xcf, 0x11, 0xe0)) else as.raw(c(0x50, 0x4b, 0x03, 0x04))
  if (length(magic) < 4L || !identical(magic[1:4], want)) {
    txt <- length(magic) && all(magic >= as.raw(9L) & magic < as.raw(127L))
    stop_arg("file", sprintf("(%s) is not an Excel workbook: %s; save the sheet as .xlsx from Excel, or pass the file with its own extension",
                             basename(file), if (!length(magic)) "it is empty" else
                               if (txt) "it holds text" else sprintf("its first bytes are not those of an .%s file", ext)))
  }
}

read_adb <- function(file, year, quiet) {
  if (!requireNamespace("readxl", quietly = TRUE))
    stop("reading ADB MRIO workbooks needs the readxl package: install.packages(\"readxl\")",
         call. = FALSE)
  check_workbook(file)
  sheets <- readxl::excel_sheets(file)
  yr <- vapply(sheets, function(s) {
    m <- regmatches(s, regexpr("(19|20)[0-9]{2}", s))
    if (length(m)) m else NA_character_
  }, "")
  if (!is.null(year)) {
    pick <- which(yr %in% as.character(year))
    if (length(pick) != length(year)) {
      if (length(sheets) == 1L && length(year) == 1L) pick <- 1L else
        stop_arg("year", "names years without a sheet in the workbook; its sheets are ",
                 paste0('"', sheets, '"', collapse = ", "))
    }
  } else {
    pick <- which(!is.na(yr))
    if (!length(pick)) pick <- 1L
  }
  tabs <- lapply(pick, function(k) {
    if (!quiet) message("reading sheet \"", sheets[k], "\" ...")
    read_adb_sheet(file, sheets[k], if (!is.null(year) && length(year) == 1L) year else yr[k])
  })
  if (length(tabs) == 1L) tabs[[1L]] else new_icio_series(tabs)
}

read_adb_sheet <- function(file, sheet, year) {
  raw <- suppressMessages(readxl::read_excel(file, sheet = sheet, col_names = FALSE,
                                             col_types = "text", .name_repair = "minimal"))
  raw <- as.data.frame(raw, stringsAsFactors = FALSE)
  top <- min(nrow(raw), 12L)
  hit <- which(as.matrix(raw[seq_len(top), , drop = FALSE]) == "c1", arr.ind = TRUE)
  hrow <- if (nrow(hit)) min(hit[, "row"]) else NA
  codecol <- NA
  left <- min(ncol(raw), 8L)
  for (j in seq_len(left)) if (any(raw[[j]] %in% "c1")) { codecol <- j; break }
  if (is.na(hrow) || is.na(codecol) || codecol < 2L || hrow < 2L)
    stop_arg("file", sprintf(
      "sheet \"%s\" is not an ADB MRIO table: expected a header row of codes c1 .. c35, F1 .. F5, ToT with country codes above it, and label columns of country and code (c1 .. c35, r60 .. r69); found first cells %s",
      sheet, paste0('"', stats::na.omit(unlist(raw[seq_len(min(3L, nrow(raw))), seq_len(min(3L, ncol(raw)))]))[1:3], '"', collapse = ", ")))
  hcode <- as.character(raw[hrow, ])
  hctry <- as.character(raw[hrow - 1L, ])
  rcode <- raw[[codecol]]
  rctry <- raw[[codecol - 1L]]
  ind <- which(grepl("^c[0-9]+$", rcode) & seq_along(rcode) > hrow)
  zc <- which(grepl("^c[0-9]+$", hcode) & seq_along(hcode) > codecol)
  fc <- which(grepl("^F[0-9]+$", hcode))
  # "ToT" heads the output column in the code row or, as in the workbooks MARIO
  # parses, in the country row above it
  totc <- which(toupper(hcode) == "TOT")
  if (!length(totc)) totc <- which(toupper(hctry) == "TOT" & seq_along(hctry) > codecol)
  r60 <- which(rcode == "r60"); r69 <- which(rcode == "r69")
  if (length(r60) != 1L || length(r69) != 1L || r69 <= r60 + 1L || length(totc) != 1L)
    stop_arg("file", sprintf(
      "sheet \"%s\" is not an ADB MRIO table: expected rows r60 (intermediate total), primary inputs and r69 (output) below the industries, and a ToT column; found row codes %s",
      sheet, paste0('"', utils::tail(stats::na.omit(rcode), 4L), '"', collapse = ", ")))
  if (!identical(paste(rctry[ind], rcode[ind]), paste(hctry[zc], hcode[zc])))
    stop_arg("file", sprintf("sheet \"%s\" has industry columns that do not match its rows", sheet))
  prim_rows <- seq.int(r60 + 1L, r69 - 1L)
  nb <- function(i, j, what) {
    m <- suppressWarnings(matrix(as.numeric(as.matrix(raw[i, j, drop = FALSE])), length(i)))
    if (anyNA(m))
      stop_arg("file", sprintf("sheet \"%s\" has empty or non-numeric cells in the %s block",
                               sheet, what))
    m
  }
  Z <- nb(ind, zc, "intermediate")
  Y <- nb(ind, fc, "final-demand")
  prim <- nb(prim_rows, zc, "value-added")
  rownames(prim) <- rcode[prim_rows]
  x <- nb(ind, totc, "output")[, 1L]
  assemble_icio(Z, Y, prim, x,
                data.frame(country = rctry[ind], sector = rcode[ind], stringsAsFactors = FALSE),
                data.frame(country = hctry[fc], category = hcode[fc], stringsAsFactors = FALSE),
                NULL, year, "adb", file)
}

# ---- FIGARO ---------------------------------------------------------------------

figaro_fd_codes <- c("P3_S13", "P3_S14", "P3_S15", "P51G", "P5M")

read_figaro <- function(file, year, quiet) {
  dt <- read_delim_fast(file, quiet = quiet)
  if (is.null(year)) year <- year_from_name(file)
  if ("refArea" %in% names(dt)) return(read_figaro_flat(dt, file, year))
  rn <- as.character(dt[[1L]])
  cn <- names(dt)
  read_figaro_matrix(dt, rn, cn, file, year)
}

read_figaro_matrix <- function(dt, rn, cn, file, year, skip_first = TRUE) {
  p <- split_first(rn)
  prim_rows <- which(p$a %in% c("W2", "W1"))
  ind <- which(!is.na(p$a) & !p$a %in% c("W2", "W1"))
  q <- split_first(cn)
  zc <- match(rn[ind], cn)
  fc <- which(q$b %in% figaro_fd_codes)
  if (length(prim_rows) && length(fc) && anyNA(zc))
    stop_arg("file", "(", basename(file), ") has industry rows without a matching column: ",
             paste0('"', utils::head(rn[ind][is.na(zc)], 3L), '"', collapse = ", "),
             if (sum(is.na(zc)) > 3L) sprintf(" and %d more", sum(is.na(zc)) - 3L) else "",
             "; every industry of the rows must also be a column")
  if (!length(prim_rows) || !length(fc) || anyNA(zc))
    stop_arg("file", "is not a FIGARO industry-by-industry table: expected rows and columns ",
             "such as \"AT_C10T12\", final-demand columns \"AT_P3_S14\" (P3_S13, P3_S14, ",
             "P3_S15, P51G, P5M) and primary-input rows \"W2_D1\", \"W2_B2A3G\" ...; found rows ",
             paste0('"', utils::tail(rn, 2L), '"', collapse = ", "), " and columns ",
             paste0('"', utils::tail(cn, 2L), '"', collapse = ", "))
  other <- setdiff(seq_along(cn)[if (skip_first) -1L else TRUE], c(zc, fc))
  other <- other[!cn[other] %in% c("TOTAL", "OUTPUT", "P1")]
  if (length(other))
    stop_arg("file", "has columns that are neither industries nor final demand: ",
             paste0('"', utils::head(cn[other], 3L), '"', collapse = ", "))
  pl <- dot_labels(p$a[ind], p$b[ind])
  Z <- num_block(dt, ind, zc, file, "intermediate", list(pl, pl))
  Y <- num_block(dt, ind, fc, file, "final-demand", list(pl, dot_labels(q$a[fc], q$b[fc])))
  prim <- num_block(dt, prim_rows, zc, file, "value-added", list(p$b[prim_rows], NULL))
  assemble_icio(Z, Y, prim, NULL,
                data.frame(country = p$a[ind], sector = p$b[ind], stringsAsFactors = FALSE),
                data.frame(country = q$a[fc], category = q$b[fc], stringsAsFactors = FALSE),
                NULL, year, "figaro", file)
}

read_figaro_flat <- function(dt, file, year) {
  # rowIi/colIi: industry-by-industry flat files, rowPp/colPp: product-by-product
  # (it-is-me-mario/MARIO, tests/test_figaro_parser.py); rowPi/colPi name the
  # supply and use flat files' codes there; still accepted as before
  rowc <- intersect(c("rowIi", "rowPp", "rowPi"), names(dt))[1L]
  colc <- intersect(c("colIi", "colPp", "colPi"), names(dt))[1L]
  need <- c("refArea", "counterpartArea", "obsValue")
  miss <- setdiff(need, names(dt))
  if (length(miss) || is.na(rowc) || is.na(colc))
    stop_arg("file", "is not a FIGARO flat file: expected columns refArea, rowIi (or rowPp), ",
             "counterpartArea, colIi (or colPp), obsValue; found ",
             paste0('"', names(dt), '"', collapse = ", "))
  keys <- c("refArea", rowc, "counterpartArea", colc)
  for (k in keys) {
    kv <- as.character(dt[[k]])
    bad <- which(is.na(kv) | !nzchar(trimws(kv)))
    if (length(bad))
      stop_arg("file", sprintf("(%s) has %d empty or NA %s cell%s; the first on line %d (data row %d)",
                               basename(file), length(bad), k, if (length(bad) > 1L) "s" else "",
                               bad[1L] + 1L, bad[1L]))
  }
  rl <- paste(dt$refArea, dt[[rowc]], sep = "_")
  cl <- paste(dt$counterpartArea, dt[[colc]], sep = "_")
  v <- dt$obsValue
  if (!is.numeric(v)) stop_arg("file", "has a non-numeric obsValue column")
  dup <- which(duplicated(paste(rl, cl, sep = "\r")))
  if (length(dup)) {
    k <- dup[1L]
    first <- match(paste(rl[k], cl[k], sep = "\r"), paste(rl, cl, sep = "\r"))
    stop_arg("file", sprintf(paste0(
      "(%s) has %d duplicated key%s: %s %s, %s %s, %s %s, %s %s is on lines %d and %d",
      " (obsValue %s and %s); each cell of the table must appear once"),
      basename(file), length(dup), if (length(dup) > 1L) "s" else "",
      "refArea", dt$refArea[k], rowc, dt[[rowc]][k], "counterpartArea", dt$counterpartArea[k],
      colc, dt[[colc]][k], first + 1L, k + 1L, format(v[first]), format(v[k])))
  }
  # flat files need not be sorted: countries alphabetically (the FIGARO
  # rest of the world FIGW1 last), industries alphabetically (NACE order),
  # final-demand categories in FIGARO's order, primary inputs last
  key <- function(area, code) {
    fdk <- match(code, figaro_fd_codes, nomatch = 0L)
    order(area %in% c("W2", "W1"), startsWith(area, "FIGW"), area, fdk, code)
  }
  rk <- !duplicated(rl); ck <- !duplicated(cl)
  urow <- rl[rk][key(dt$refArea[rk], dt[[rowc]][rk])]
  ucol <- cl[ck][key(dt$counterpartArea[ck], dt[[colc]][ck])]
  M <- matrix(0, length(urow), length(ucol))
  M[cbind(match(rl, urow), match(cl, ucol))] <- v
  M <- as.data.frame(M)
  names(M) <- ucol
  read_figaro_matrix(M, urow, ucol, file, year, skip_first = FALSE)
}

# ---- EXIOBASE 3 -------------------------------------------------------------------

# The names in a zip archive; a file that is no zip archive is an error
# naming it (not unzip()'s "zip file cannot be opened").
zip_listing <- function(path) {
  lst <- tryCatch(utils::unzip(path, list = TRUE)$Name, error = function(e) NULL,
                  warning = function(w) NULL)
  if (is.null(lst))
    stop_arg("file", sprintf("(%s) is not a readable zip archive", basename(path)))
  lst
}

# A folder or zip: the formats read from several files need one.
need_folder <- function(path, format) {
  if (!dir.exists(path) && file_ext(path) != "zip")
    stop_arg("file", sprintf("(%s) is a single file: format \"%s\" needs a folder or zip of the table's files",
                             basename(path), format))
}

# Files of a folder or zip, extracted to a temporary folder when zipped.
# The files of one table live in one folder: files named `want` in more
# than one folder (two tables, or one table's files spread over folders)
# are an error listing the folders and what each holds, never one of them
# read silently.
table_files <- function(path, want, what) {
  lst <- if (dir.exists(path)) list.files(path, recursive = TRUE) else zip_listing(path)
  sel <- lst[basename(lst) %in% want]
  grp <- split(basename(sel), dirname(sel))
  if (length(grp) > 1L)
    stop_arg("file", sprintf(
      "(%s) holds %s table files in %d folders: %s; the files of one table must be in one folder: read one table at a time (a folder, or a zip of one folder)",
      basename(path), what, length(grp),
      paste0("\"", names(grp), "\" (", vapply(grp, paste, "", collapse = ", "), ")",
             collapse = "; ")))
  if (dir.exists(path)) return(file.path(path, sel))
  td <- tempfile("icio")
  dir.create(td)
  utils::unzip(path, files = sel, exdir = td, junkpaths = TRUE)
  file.path(td, basename(sel))
}

read_exiobase3 <- function(path, year, quiet) {
  need_folder(path, "exiobase3")
  fl <- table_files(path, c("Z.txt", "A.txt", "Y.txt", "x.txt"), "EXIOBASE 3")
  pick <- function(b) { f <- fl[basename(fl) == b]; if (length(f)) f[1L] else NA_character_ }
  fz <- pick("Z.txt"); fa <- pick("A.txt"); fy <- pick("Y.txt"); fx <- pick("x.txt")
  if ((is.na(fz) && is.na(fa)) || is.na(fy) || is.na(fx))
    stop_arg("file", "is not an EXIOBASE 3 IOT folder: expected Z.txt (or A.txt), Y.txt and ",
             "x.txt; found ", if (length(fl)) paste0('"', basename(fl), '"', collapse = ", ")
             else "none of them")
  hdr <- function(f) {
    l <- readLines(f, n = 3L, warn = FALSE)
    s <- strsplit(l, "\t", fixed = TRUE)
    if (length(s) < 3L || !identical(s[[1L]][1L], "region") || !identical(s[[3L]][1:2], c("region", "sector")))
      stop_arg("file", sprintf(
        "has %s not in the EXIOBASE 3 layout: expected header lines \"region\", \"sector\" (or \"category\") and \"region<TAB>sector\"; found \"%s\"",
        basename(f), substr(paste(l[1L], collapse = ""), 1L, 40L)))
    list(a = s[[1L]][-(1:2)], b = s[[2L]][-(1:2)])
  }
  fm <- if (!is.na(fz)) fz else fa
  hz <- hdr(fm); hy <- hdr(fy)
  zt <- read_delim_fast(fm, sep = "\t", header = FALSE, skip = 3L, quiet = quiet)
  yt <- read_delim_fast(fy, sep = "\t", header = FALSE, skip = 3L, quiet = quiet)
  xt <- read_delim_fast(fx, sep = "\t", header = TRUE, quiet = quiet)
  n <- nrow(zt)
  if (length(hz$a) != n || ncol(zt) != n + 2L)
    stop_arg("file", sprintf("has a %s with %d label columns and %d rows, not square", basename(fm),
                             length(hz$a), n))
  rr <- as.character(zt[[1L]]); rs <- as.character(zt[[2L]])
  if (!identical(paste(rr, rs), paste(hz$a, hz$b)))
    stop_arg("file", sprintf("has a %s whose rows and columns carry different labels", basename(fm)))
  pl <- dot_labels(rr, rs)
  Z <- num_block(zt, seq_len(n), 3:(n + 2L), fm, "intermediate", list(pl, pl))
  rm(zt)
  Y <- num_block(yt, seq_len(n), 3:ncol(yt), fy, "final-demand",
                 if (length(hy$a) == ncol(yt) - 2L) list(pl, dot_labels(hy$a, hy$b)))
  if (!identical(paste(as.character(yt[[1L]]), as.character(yt[[2L]])), paste(rr, rs)))
    stop_arg("file", "has a Y.txt whose rows differ from those of ", basename(fm))
  xk <- which(names(xt) %in% c("indout", "x"))
  if (length(xk) != 1L || nrow(xt) != n)
    stop_arg("file", "has an x.txt without the column \"indout\" for each of the ", n, " rows")
  # x.txt is matched to Z.txt by its labels, not by position: a reordered
  # file or the x.txt of another table (other labels) is an error
  if (ncol(xt) >= 3L && identical(names(xt)[1:2], c("region", "sector"))) {
    xl <- paste(as.character(xt[[1L]]), as.character(xt[[2L]]))
    bad <- which(xl != paste(rr, rs))
    if (length(bad))
      stop_arg("file", sprintf(paste0(
        "has an x.txt whose rows are not those of %s: line %d of x.txt is \"%s\" where %s has \"%s\"",
        " (%d rows differ); x.txt must come from the same table, in the same order"),
        basename(fm), bad[1L] + 1L, paste(xt[[1L]][bad[1L]], xt[[2L]][bad[1L]], sep = ", "), basename(fm),
        paste(rr[bad[1L]], rs[bad[1L]], sep = ", "), length(bad)))
  }
  xv <- xt[[xk]]
  x <- suppressWarnings(as.double(xv))
  if (anyNA(x) || !is.numeric(xv)) {
    k <- which(is.na(x))[1L]
    stop_arg("file", sprintf(
      "has an x.txt whose column \"%s\" is not a number on line %d (%s, %s): \"%s\"%s",
      names(xt)[xk], k + 1L, rr[k], rs[k], as.character(xv[k]),
      if (sum(is.na(x)) > 1L) sprintf(" (%d such cells)", sum(is.na(x))) else ""))
  }
  if (is.na(fz)) Z <- Z * rep(x, each = n)      # A to Z: column j times x_j
  if (is.null(year)) year <- year_from_name(path)
  assemble_icio(Z, Y, NULL, x, data.frame(country = rr, sector = rs, stringsAsFactors = FALSE),
                data.frame(country = hy$a, category = hy$b, stringsAsFactors = FALSE),
                NULL, year, "exiobase3", path)
}

# ---- Eora26 ---------------------------------------------------------------------

read_eora26 <- function(path, year, quiet) {
  need_folder(path, "eora26")
  full <- if (dir.exists(path)) list.files(path, recursive = TRUE) else zip_listing(path)
  lst <- basename(full)
  tf <- grep("^Eora26_.*_T\\.txt$", lst, value = TRUE)
  if (length(tf) > 1L)
    stop_arg("file", sprintf("(%s) holds %d Eora26 tables: %s; read one table at a time",
                             basename(path), length(tf),
                             paste0("\"", full[grepl("^Eora26_.*_T\\.txt$", lst)], "\"", collapse = ", ")))
  if (length(tf) != 1L)
    stop_arg("file", "is not an Eora26 folder: expected one Eora26_<year>_<bp|pp>_T.txt ",
             "with its _FD.txt, _VA.txt and labels_T.txt, labels_FD.txt, labels_VA.txt; found ",
             if (length(lst)) paste0('"', utils::head(lst, 6L), '"', collapse = ", ") else "no files")
  stem <- sub("_T\\.txt$", "", tf)
  want <- c(tf, paste0(stem, c("_FD.txt", "_VA.txt")), "labels_T.txt", "labels_FD.txt",
            "labels_VA.txt")
  fl <- table_files(path, want, "Eora26")
  miss <- setdiff(want, basename(fl))
  if (length(miss))
    stop_arg("file", "is an Eora26 folder without ", paste0('"', miss, '"', collapse = ", "))
  f <- function(b) fl[basename(fl) == b][1L]
  lab <- function(b) {
    l <- utils::read.delim(f(b), header = FALSE, quote = "", colClasses = "character",
                           comment.char = "", na.strings = character(0))
    l[vapply(l, function(v) any(nzchar(v)), TRUE)]
  }
  lt <- lab("labels_T.txt"); lf <- lab("labels_FD.txt"); lv <- lab("labels_VA.txt")
  if (ncol(lt) < 4L || ncol(lf) < 4L)
    stop_arg("file", "has Eora26 label files not in the layout country name, code, ",
             "Industries/Final Demand, name (4 tab-separated columns); found ", ncol(lt), " columns")
  tt <- read_delim_fast(f(tf), sep = "\t", header = FALSE, quiet = quiet)
  ft <- read_delim_fast(f(paste0(stem, "_FD.txt")), sep = "\t", header = FALSE, quiet = quiet)
  vt <- read_delim_fast(f(paste0(stem, "_VA.txt")), sep = "\t", header = FALSE, quiet = quiet)
  n0 <- nrow(lt)
  # the rest-of-world block holds Eora's statistical discrepancy; pymrio keys it by
  # the first label column ("ROW"), the code column reads "ROW" as well
  is_disc <- function(l) l[[1L]] == "ROW" | l[[2L]] == "ROW" |
    grepl("discrepanc", l[[1L]], ignore.case = TRUE) | grepl("discrepanc", l[[4L]], ignore.case = TRUE)
  dropT <- is_disc(lt)
  dropF <- is_disc(lf)
  if (nrow(tt) != n0 || ncol(tt) < n0 || nrow(ft) != n0 || ncol(ft) < nrow(lf) ||
      ncol(vt) < n0 || nrow(vt) != nrow(lv))
    stop_arg("file", sprintf(
      "has Eora26 matrices whose sizes do not match the labels: T is %d x %d, FD %d x %d, VA %d x %d for %d labels_T, %d labels_FD, %d labels_VA rows",
      nrow(tt), ncol(tt), nrow(ft), ncol(ft), nrow(vt), ncol(vt), n0, nrow(lf), nrow(lv)))
  keep <- which(!dropT); keepF <- which(!dropF)
  pl <- dot_labels(lt[[2L]][keep], lt[[4L]][keep])
  Z <- num_block(tt, keep, keep, f(tf), "T", list(pl, pl))
  Y <- num_block(ft, keep, keepF, f(tf), "FD",
                 list(pl, dot_labels(lf[[2L]][keepF], lf[[4L]][keepF])))
  prim <- num_block(vt, seq_len(nrow(vt)), keep, f(tf), "VA", list(lv[[ncol(lv)]], NULL))
  if (any(dropT) || any(dropF)) {
    lost_t <- sum(num_block(tt, seq_len(n0), which(dropT), f(tf), "T")) +
      sum(num_block(tt, which(dropT), keep, f(tf), "T"))
    lost_f <- sum(num_block(ft, seq_len(n0), which(dropF), f(tf), "FD")) +
      sum(num_block(ft, which(dropT), keepF, f(tf), "FD"))
    message(sprintf(paste0("dropped the statistical-discrepancy entries (%d row/column of T, ",
                           "%d columns of FD): %.6g of intermediate flows, %.6g of final demand"),
                    sum(dropT), sum(dropF), lost_t, lost_f))
  }
  rm(tt, ft, vt)
  if (is.null(year)) year <- year_from_name(tf)
  assemble_icio(Z, Y, prim, NULL,
                data.frame(country = lt[[2L]][keep], sector = lt[[4L]][keep],
                           stringsAsFactors = FALSE),
                data.frame(country = lf[[2L]][keepF], category = lf[[4L]][keepF],
                           stringsAsFactors = FALSE),
                NULL, year, "eora26", path)
}
