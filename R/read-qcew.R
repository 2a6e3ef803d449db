#' Read the BLS QCEW open-data CSV files
#'
#' Reads the US Bureau of Labor Statistics' Quarterly Census of Employment
#' and Wages (QCEW) files as BLS publishes them: the annual and quarterly
#' "singlefile" CSVs, the CSV slices by area and by industry (which add five
#' `*_title` columns), and the zip archives they come in. The result is a
#' plain data frame with BLS's column names, ready for [lq()],
#' [specialization()] and [clusters()].
#'
#' @section Layouts:
#' A file's layout is recognised from its header, which must be one of BLS's
#' (NAICS-based) layouts exactly, in BLS's order:
#' * annual: the eight codes `area_fips`, `own_code`, `industry_code`,
#'   `agglvl_code`, `size_code`, `year`, `qtr` (always `"A"`),
#'   `disclosure_code`; then `annual_avg_estabs`, `annual_avg_emplvl`,
#'   `total_annual_wages`, `taxable_annual_wages`, `annual_contributions`,
#'   `annual_avg_wkly_wage`, `avg_annual_pay`; `lq_disclosure_code` and the
#'   seven `lq_` location quotients; `oty_disclosure_code` and the
#'   over-the-year changes `oty_<value>_chg`, `oty_<value>_pct_chg` (38
#'   columns);
#' * quarterly: the codes (`qtr` 1 to 4), then `qtrly_estabs`,
#'   `month1_emplvl`, `month2_emplvl`, `month3_emplvl`, `total_qtrly_wages`,
#'   `taxable_qtrly_wages`, `qtrly_contributions`, `avg_wkly_wage`, and their
#'   `lq_` and `oty_` variants (42 columns);
#' * by area and by industry: the same with `area_title`, `own_title`,
#'   `industry_title`, `agglvl_title`, `size_title` after the codes (43 and
#'   47 columns). Older slices name the establishment count
#'   `annual_avg_estabs_count` (`qtrly_estabs_count`); they are read too, and
#'   their names are kept.
#'
#' A zip archive is read as one table: every CSV it holds (or those picked
#' by `files`) is read and the rows are stacked in the archive's order; all
#' must share one layout. The archive is unpacked into a temporary folder
#' that is removed on exit.
#'
#' @section Types:
#' The codes `area_fips`, `own_code`, `industry_code`, `agglvl_code`,
#' `size_code`, `qtr` and the three disclosure codes are text, with their
#' leading zeros (`"01000"`, `"0"`); the titles are text; `year` is an
#' integer; every other column is a double (wages exceed the integer
#' range). With the data.table package the file is read by
#' `data.table::fread()`; without it by [utils::read.table()], with the same
#' result.
#'
#' @section Suppressed cells:
#' BLS withholds the figures of a row whose `disclosure_code` is `"N"` and
#' publishes them as 0. In such a row every value published as 0 becomes
#' `NA`, in the `lq_` and `oty_` columns too; the same holds for the `lq_`
#' columns of a row whose `lq_disclosure_code` is `"N"` and the `oty_`
#' columns of a row whose `oty_disclosure_code` is `"N"` (last year's figure
#' was withheld). Establishment counts (and their LQ and changes) are
#' published for every row and are kept. A message gives the number of rows
#' and values concerned (`quiet = TRUE` silences it); the counts are also in
#' the attribute `"suppressed"`, a named integer vector: `rows` (disclosure
#' code `"N"`), `partial` (other rows with suppressed LQs or changes) and
#' `values` (the cells set to `NA`).
#'
#' @section Area types:
#' `area_type` keeps rows by the form of `area_fips` (see
#' [qcew_area_type()]):
#' * `"national"`: `US000`, the United States;
#' * `"state"`: two digits and `000` (`SS000`: the states, DC, Puerto Rico
#'   `72000`, the Virgin Islands `78000`);
#' * `"county"`: five digits `SSCCC` with `CCC` neither `000` nor `999`;
#' * `"unknown"`: `SS999`, BLS's "Unknown or undefined" county of a state
#'   (kept only when asked for);
#' * `"msa"`: `C` and four digits, the metropolitan and micropolitan
#'   statistical areas (`agglvl_code` 40-48 for metropolitan, 80 for
#'   micropolitan areas tells them apart);
#' * `"csa"`: `CS` and three digits, the combined statistical areas;
#' * `"us_aggregate"`: `USMSA`, `USCMS`, `USNMS`, the totals of all MSAs,
#'   all CSAs and the non-metropolitan areas (BLS publishes their LQ as the
#'   aggregate's share of the US total).
#'
#' Every filter is applied as soon as the codes are read, before the values
#' are converted or suppressed cells handled, and each file of an archive is
#' filtered before the files are stacked. With data.table, a file over 64 MB
#' read with filters is read in two steps: first the filter columns of every
#' row, then only the blocks of 500,000 rows that hold rows to keep, each cut
#' to those rows before the next is read; memory then stays near the size of
#' the result rather than that of the whole file, and a cut of contiguous
#' rows (one state's counties) skips most of the file.
#'
#' @param file Path of a QCEW CSV file or of a zip archive of them.
#' @param own_code,agglvl_code,industry_code,size_code `NULL` (all) or the
#'   codes to keep, as text or numbers (`own_code = c(0, 5)`,
#'   `agglvl_code = 70:78`, `industry_code = "1013"`).
#' @param area_type `NULL` (all) or one or more of `"national"`, `"state"`,
#'   `"county"`, `"msa"`, `"csa"`, `"unknown"`, `"us_aggregate"` (see Area
#'   types).
#' @param year `NULL` or the years to keep (whole numbers).
#' @param qtr `NULL` or the quarters to keep: `1` to `4` or `"A"` (annual).
#' @param files For a zip archive: `NULL` (every CSV in it) or the names of
#'   the CSV files to read (without folders), or regular expressions matched
#'   against them; each must pick at least one file. BLS names the files of
#'   a by-area archive like `"2019.annual 37183 Wake County, North
#'   Carolina.csv"`, so `files = " 37[0-9]{3} "` picks North Carolina's
#'   areas.
#' @param quiet `FALSE` (default) or `TRUE`: whether to keep quiet about
#'   suppressed cells and empty selections.
#' @param ... Not used; must be empty.
#'
#' @return A data frame with BLS's columns, one row per published row kept
#'   by the filters, in the file's order, with the attribute `"suppressed"`
#'   and, for a zip archive, `"files"` (the names of the CSVs read).
#'
#' @references
#' US Bureau of Labor Statistics, "QCEW Open Data Access" and "QCEW Field
#' Layouts for NAICS-Based Annual (Quarterly) CSV Files";
#' "Location quotients explained".
#'
#' @seealso [qcew_area_type()], [read_eurostat()], [lq()].
#' @examples
#' f <- system.file("extdata", "qcew-2019-annual-nc.csv", package = "gvcluster")
#' nc <- read_qcew(f, area_type = "county", own_code = c(1, 2, 3, 5))
#' head(nc[c("area_fips", "own_code", "annual_avg_emplvl", "lq_annual_avg_emplvl")])
#'
#' # BLS's LQs: each county's ownership sectors against the county's total
#' # and the nation's sectors against the national total
#' all <- read_qcew(f, quiet = TRUE)
#' tot <- all[all$own_code == "0", ]
#' us <- all[all$area_fips == "US000", ]
#' nc$county_total <- tot$annual_avg_emplvl[match(nc$area_fips, tot$area_fips)]
#' nc$us_total <- us$annual_avg_emplvl[us$own_code == "0"]
#' out <- lq(nc, value = "annual_avg_emplvl", region = "area_fips",
#'           industry = "own_code", na.rm = TRUE,
#'           reference = us[c("own_code", "annual_avg_emplvl")],
#'           total = "county_total", reference_total = "us_total")
#' head(out[c("area_fips", "own_code", "lq", "lq_annual_avg_emplvl")])
#'
#' # specialisation of the counties across ownership sectors (without the
#' # counties with a suppressed sector)
#' ok <- !nc$area_fips %in% nc$area_fips[is.na(nc$annual_avg_emplvl)]
#' head(specialization(nc[ok, ], "krugman", value = "annual_avg_emplvl",
#'                     region = "area_fips", industry = "own_code"))
#'
#' # clusters of the ownership sectors by co-location
#' clusters(nc[ok, ], value = "annual_avg_emplvl", region = "area_fips",
#'          industry = "own_code")
#' @export
read_qcew <- function(file, own_code = NULL, agglvl_code = NULL, area_type = NULL,
                      year = NULL, qtr = NULL, industry_code = NULL, size_code = NULL,
                      files = NULL, quiet = FALSE, ...) {
  check_dots(...)
  file <- check_string(file, "file")
  quiet <- check_flag(quiet, "quiet")
  filt <- list(own_code = qcew_codes(own_code, "own_code"),
               agglvl_code = qcew_codes(agglvl_code, "agglvl_code"),
               industry_code = qcew_codes(industry_code, "industry_code"),
               size_code = qcew_codes(size_code, "size_code"),
               qtr = qcew_codes(qtr, "qtr"))
  if (!is.null(filt$qtr) && !all(filt$qtr %in% c("A", "1", "2", "3", "4")))
    stop_arg("qtr", "must hold quarters 1 to 4 or \"A\", not ",
             paste0('"', setdiff(filt$qtr, c("A", "1", "2", "3", "4")), '"', collapse = ", "))
  if (!is.null(area_type)) area_type <- check_choices(area_type, qcew_area_types, "area_type")
  if (!is.null(year)) {
    if (!is.numeric(year) || !length(year) || anyNA(year) || any(year != round(year)) ||
        any(abs(year) > 9999))
      stop_arg("year", "must be NULL or years (whole numbers), not ",
               if (is.numeric(year) && length(year) == 1L) format(year) else describe(year))
    year <- as.integer(year)
  }
  if (!file.exists(file)) stop_arg("file", "names no file: \"", file, "\"")
  if (dir.exists(file)) stop_arg("file", "is a folder, not a file: \"", file, "\"")
  paths <- file
  names(paths) <- basename(file)
  if (qcew_is_zip(file)) {
    td <- tempfile("qcew")
    dir.create(td)
    on.exit(unlink(td, recursive = TRUE), add = TRUE)
    paths <- qcew_unzip(file, files, td)
  } else if (!is.null(files)) {
    stop_arg("files", "applies to zip archives only; \"", basename(file), "\" is not one")
  }
  lays <- vapply(names(paths), function(nm) qcew_layout(paths[[nm]], nm), "")
  if (length(unique(lays)) > 1L)
    stop_arg("file", "(\"", basename(file), "\") holds CSV files of different layouts: ",
             paste0(names(lays), " (", lays, ")", collapse = ", "),
             "; pick files of one layout with `files`")
  use_dt <- isTRUE(getOption("gvcluster.fread", TRUE)) &&
    requireNamespace("data.table", quietly = TRUE)
  parts <- lapply(names(paths), function(nm)
    qcew_read_one(paths[[nm]], nm, lays[[1L]], filt, area_type, year, use_dt))
  out <- if (length(parts) == 1L) parts[[1L]] else if (use_dt)
    data.table::setDF(data.table::rbindlist(parts)) else do.call(rbind, parts)
  attr(out, "row.names") <- .set_row_names(nrow(out))
  sup <- qcew_suppress(out, use_dt)
  out <- sup$x
  if (!quiet && sup$values > 0L)
    message(sprintf("read_qcew(): %s row%s suppressed (disclosure code \"N\")%s; %s value%s published as 0 set to NA",
                    format(sup$rows, big.mark = ","), if (sup$rows == 1L) "" else "s",
                    if (sup$partial > 0L)
                      sprintf(" and %s with suppressed LQs or over-the-year changes only",
                              format(sup$partial, big.mark = ",")) else "",
                    format(sup$values, big.mark = ","), if (sup$values == 1L) "" else "s"))
  if (!quiet && !nrow(out)) {
    filtered <- !all(vapply(filt, is.null, NA)) || !is.null(area_type) || !is.null(year)
    message("read_qcew(): \"", basename(file), "\" has ",
            if (filtered) "no row that matches the filters" else "no data rows")
  }
  attr(out, "suppressed") <- c(rows = sup$rows, partial = sup$partial, values = sup$values)
  if (length(paths) > 1L || qcew_is_zip(file)) attr(out, "files") <- names(paths)
  out
}

qcew_area_types <- c("national", "state", "county", "msa", "csa", "unknown",
                     "us_aggregate")

#' The type of QCEW areas
#'
#' The kind of area a QCEW `area_fips` code denotes, from the code's form
#' alone: `"national"` (`US000`), `"state"` (`SS000`: two digits and
#' `000`), `"county"` (`SSCCC`, five digits, `CCC` neither `000` nor `999`),
#' `"unknown"` (`SS999`, the "Unknown or undefined" county of a state),
#' `"msa"` (`C` and four digits: metropolitan and micropolitan statistical
#' areas), `"csa"` (`CS` and three digits: combined statistical areas) and
#' `"us_aggregate"` (`USMSA`, `USCMS`, `USNMS`). Any other code, and `NA`,
#' give `NA`.
#'
#' @param area_fips A character vector of QCEW area codes.
#' @return A character vector as long as `area_fips`.
#' @seealso [read_qcew()], whose `area_type` filter uses it.
#' @examples
#' qcew_area_type(c("US000", "37000", "37183", "37999", "C3958", "CS450",
#'                  "USMSA", "EU27"))
#' @export
qcew_area_type <- function(area_fips) {
  if (!is.character(area_fips))
    stop_arg("area_fips", "must be a character vector, not ", describe(area_fips))
  u <- unique(area_fips)
  tu <- rep(NA_character_, length(u))
  num5 <- grepl("^[0-9]{5}$", u)
  tu[num5] <- "county"
  tu[num5 & endsWith(u, "999")] <- "unknown"
  tu[num5 & endsWith(u, "000")] <- "state"
  tu[grepl("^C[0-9]{4}$", u)] <- "msa"
  tu[grepl("^CS[0-9]{3}$", u)] <- "csa"
  tu[u %in% c("USMSA", "USCMS", "USNMS")] <- "us_aggregate"
  tu[u == "US000"] <- "national"
  tu[match(area_fips, u)]
}

# ---- layouts ----------------------------------------------------------------

qcew_keys <- c("area_fips", "own_code", "industry_code", "agglvl_code", "size_code",
               "year", "qtr", "disclosure_code")
qcew_titles <- c("area_title", "own_title", "industry_title", "agglvl_title",
                 "size_title")
qcew_text_cols <- c(qcew_keys[qcew_keys != "year"], qcew_titles,
                    "lq_disclosure_code", "oty_disclosure_code")

qcew_layout_cols <- function(period, titles, count = FALSE) {
  vals <- if (period == "annual")
    c("annual_avg_estabs", "annual_avg_emplvl", "total_annual_wages",
      "taxable_annual_wages", "annual_contributions", "annual_avg_wkly_wage",
      "avg_annual_pay")
  else c("qtrly_estabs", "month1_emplvl", "month2_emplvl", "month3_emplvl",
         "total_qtrly_wages", "taxable_qtrly_wages", "qtrly_contributions",
         "avg_wkly_wage")
  if (count) vals[1L] <- paste0(vals[1L], "_count")
  c(qcew_keys, if (titles) qcew_titles, vals, "lq_disclosure_code",
    paste0("lq_", vals), "oty_disclosure_code",
    as.vector(rbind(paste0("oty_", vals, "_chg"), paste0("oty_", vals, "_pct_chg"))))
}

qcew_layouts <- local({
  g <- expand.grid(count = c(FALSE, TRUE), titles = c(FALSE, TRUE),
                   period = c("annual", "quarterly"), stringsAsFactors = FALSE)
  l <- lapply(seq_len(nrow(g)), function(i)
    qcew_layout_cols(g$period[i], g$titles[i], g$count[i]))
  names(l) <- paste0(g$period, ifelse(g$titles, " by-area/by-industry", " singlefile"),
                     ifelse(g$count, " (estabs_count)", ""))
  l
})

# The names in the first line of a CSV file.
qcew_header <- function(path, name) {
  con <- file(path, "rb")
  on.exit(close(con))
  h <- tryCatch(readLines(con, n = 1L, warn = FALSE), error = function(e) character())
  if (!length(h) || !nzchar(trimws(h)))
    stop_arg("file", "\"", name, "\" is empty: not a QCEW CSV file")
  h <- sub("\r$", "", h)
  if (!validUTF8(h) || grepl("[^ -~]", h, useBytes = TRUE))
    stop_arg("file", "\"", name, "\" is not a QCEW CSV file (its first line is not plain text)")
  gsub("^ *\"?|\"? *$", "", strsplit(h, ",", fixed = TRUE)[[1L]])
}

# Which layout a file has, or an error naming the file and what was found.
qcew_layout <- function(path, name) {
  h <- qcew_header(path, name)
  for (nm in names(qcew_layouts)) if (identical(h, qcew_layouts[[nm]])) return(nm)
  overlap <- vapply(qcew_layouts, function(l) sum(h %in% l) / length(l), 0)
  best <- which.max(overlap)
  if (overlap[best] < 0.5 || !all(c("area_fips", "own_code") %in% h)) {
    shown <- if (length(h) > 6L) c(h[1:6], "...") else h
    stop_arg("file", "\"", name, "\" is not a QCEW open-data CSV file: its header has ",
             length(h), " column", if (length(h) != 1L) "s", " (",
             paste0('"', shown, '"', collapse = ", "), ")")
  }
  want <- qcew_layouts[[best]]
  miss <- setdiff(want, h)
  extra <- setdiff(h, want)
  dup <- unique(h[duplicated(h)])
  stop_arg("file", "\"", name, "\" is not in a QCEW layout: nearest is the ",
           names(qcew_layouts)[best], " layout, but ",
           paste(c(if (length(miss)) paste0("column", if (length(miss) > 1L) "s", " ",
                                            paste0('"', miss, '"', collapse = ", "),
                                            " missing"),
                   if (length(extra)) paste0("column", if (length(extra) > 1L) "s", " ",
                                             paste0('"', extra, '"', collapse = ", "),
                                             " not in it"),
                   if (length(dup)) paste0("column", if (length(dup) > 1L) "s", " ",
                                           paste0('"', dup, '"', collapse = ", "),
                                           " repeated"),
                   if (!length(miss) && !length(extra) && !length(dup))
                     "the columns are in another order"), collapse = "; "))
}

# ---- reading -----------------------------------------------------------------

qcew_is_zip <- function(file) {
  con <- file(file, "rb")
  on.exit(close(con))
  magic <- readBin(con, "raw", 4L)
  identical(magic, as.raw(c(0x50, 0x4b, 0x03, 0x04))) ||
    identical(magic, as.raw(c(0x50, 0x4b, 0x05, 0x06))) ||
    grepl("\\.zip$", file, ignore.case = TRUE)
}

# An archive of no entries: only the 22-byte end-of-central-directory record
# (and perhaps a comment); utils::unzip() cannot open it.
qcew_is_empty_zip <- function(file) {
  con <- file(file, "rb")
  on.exit(close(con))
  b <- readBin(con, "raw", 22L)
  length(b) == 22L && identical(b[1:4], as.raw(c(0x50, 0x4b, 0x05, 0x06))) &&
    all(b[9:12] == 0)
}

# Unpack the CSVs of a zip archive into `td`; their paths named by file name.
qcew_unzip <- function(file, files, td) {
  if (qcew_is_empty_zip(file))
    stop_arg("file", "(\"", basename(file), "\") is a zip archive without CSV files (it is empty)")
  lst <- tryCatch(utils::unzip(file, list = TRUE),
                  error = function(e) stop_arg("file", "(\"", basename(file),
                                               "\") is not a readable zip archive: ",
                                               conditionMessage(e)),
                  warning = function(w) stop_arg("file", "(\"", basename(file),
                                                 "\") is not a readable zip archive: ",
                                                 conditionMessage(w)))
  mem <- lst$Name[!grepl("/$", lst$Name) & grepl("\\.csv$", lst$Name, ignore.case = TRUE)]
  if (!length(mem))
    stop_arg("file", "(\"", basename(file), "\") is a zip archive without CSV files",
             if (nrow(lst)) paste0(" (it holds ", nrow(lst), " other entr",
                                   if (nrow(lst) == 1L) "y" else "ies", ")"))
  if (!is.null(files)) {
    if (!is.character(files) || !length(files) || anyNA(files))
      stop_arg("files", "must be NULL or a character vector of file names or patterns")
    base <- basename(mem)
    pick <- rep(FALSE, length(mem))
    for (f in files) {
      hit <- base == f | mem == f |
        tryCatch(grepl(f, base), error = function(e)
          stop_arg("files", "\"", f, "\" is neither a file of the archive nor a valid regular expression"))
      if (!any(hit))
        stop_arg("files", "\"", f, "\" matches no CSV file of \"", basename(file),
                 "\" (it holds ", paste0('"', utils::head(base, 5L), '"', collapse = ", "),
                 if (length(base) > 5L) ", ...", ")")
      pick <- pick | hit
    }
    mem <- mem[pick]
  }
  if (anyDuplicated(basename(mem)))
    stop_arg("file", "(\"", basename(file), "\") holds several CSV files named ",
             paste0('"', unique(basename(mem)[duplicated(basename(mem))]), '"', collapse = ", "),
             " in different folders; pick one with `files`")
  ok <- tryCatch(utils::unzip(file, files = mem, exdir = td, junkpaths = TRUE),
                 error = function(e) NULL, warning = function(w) NULL)
  paths <- file.path(td, basename(mem))
  if (is.null(ok) || !all(file.exists(paths)))
    stop_arg("file", "(\"", basename(file), "\"): the zip archive could not be unpacked")
  names(paths) <- basename(mem)
  paths
}

qcew_codes <- function(v, arg) {
  if (is.null(v)) return(NULL)
  if (is.factor(v)) v <- as.character(v)
  if (!(is.character(v) || is.numeric(v)) || !length(v) || anyNA(v))
    stop_arg(arg, "must be NULL or codes (text or whole numbers), not ", describe(v))
  if (is.numeric(v)) {
    if (any(v != round(v)) || any(v < 0))
      stop_arg(arg, "must hold codes (whole numbers >= 0 or text)")
    v <- formatC(v, format = "d", big.mark = "")
  }
  unique(v)
}

# Rows of the code columns `cols` (a list) that pass the filters.
qcew_keep <- function(cols, filt, area_type, year) {
  keep <- NULL
  and <- function(k) if (is.null(keep)) k else keep & k
  for (nm in names(filt)) if (!is.null(filt[[nm]]))
    keep <- and(cols[[nm]] %in% filt[[nm]])
  if (!is.null(area_type)) {
    u <- unique(cols$area_fips)
    ok <- qcew_area_type(u) %in% area_type
    keep <- and(ok[match(cols$area_fips, u)])
  }
  if (!is.null(year)) keep <- and(cols$year %in% year)
  if (is.null(keep)) NULL else which(keep)
}

qcew_read_one <- function(path, name, layout, filt, area_type, year, use_dt) {
  cols <- qcew_layouts[[layout]]
  txt <- intersect(cols, qcew_text_cols)
  num <- setdiff(cols, c(txt, "year"))
  filtered <- !all(vapply(filt, is.null, NA)) || !is.null(area_type) || !is.null(year)
  block <- getOption("gvcluster.qcew_block", 5e5)
  if (use_dt && filtered && (file.size(path) > 64 * 2^20 ||
                             !is.null(getOption("gvcluster.qcew_block"))))
    return(qcew_read_blocks(path, name, cols, txt, num, filt, area_type, year, block))
  x <- if (use_dt) qcew_fread(path, name, cols, txt, num, header = TRUE)
       else qcew_base_read(path, name, cols)
  if (!identical(names(x), cols))
    stop_arg("file", "\"", name, "\": the columns read do not match its header")
  # filter on the codes, before any conversion
  if (!is.integer(x$year)) x$year <- qcew_year(x$year, name)
  rows <- qcew_keep(x, filt, area_type, year)
  if (!is.null(rows)) x <- qcew_rows(x, rows)
  qcew_numbers(x, num, name, rows)
}

# Numeric columns fread left as text (a non-numeric cell): converted, or an
# error naming the row (`rows`: the file's row of each row of `x`).
qcew_numbers <- function(x, num, name, rows) {
  for (cl in num) {
    v <- x[[cl]]
    if (is.double(v)) next
    x[[cl]] <- qcew_number(v, cl, name, rows)
  }
  x
}

# A large file with filters: the filter columns first (a few columns of
# every row), then only the blocks of `block` rows that hold kept rows, each
# cut to its kept rows before the next is read. Memory: the filter columns,
# one block and the result, never the whole file.
qcew_read_blocks <- function(path, name, cols, txt, num, filt, area_type, year, block) {
  block <- max(1L, as.integer(block))
  need <- c(names(filt)[!vapply(filt, is.null, NA)],
            if (!is.null(area_type)) "area_fips", if (!is.null(year)) "year")
  need <- cols[cols %in% need]
  codes <- qcew_fread(path, name, need, intersect(need, txt), character(),
                      header = TRUE, select = need)
  if (!is.null(codes$year) && !is.integer(codes$year)) codes$year <- qcew_year(codes$year, name)
  rows <- qcew_keep(codes, filt, area_type, year)
  n <- nrow(codes)
  rm(codes)
  if (!length(rows)) {
    x <- qcew_rows(qcew_fread(path, name, cols, txt, num, header = TRUE, nrows = 1L), integer())
    if (!is.integer(x$year)) x$year <- qcew_year(x$year, name)
    return(qcew_numbers(x, num, name, integer()))
  }
  blocks <- unique((rows - 1L) %/% block)
  parts <- lapply(blocks, function(b) {
    start <- b * block
    nr <- min(block, n - start)
    x <- qcew_fread(path, name, cols, match(txt, cols), match(num, cols), header = FALSE,
                    skip = 1 + start, nrows = nr, col.names = cols,
                    yr = match("year", cols))
    if (nrow(x) != nr)
      stop_arg("file", "\"", name, "\" changed while it was read")
    r <- rows[rows > start & rows <= start + nr]
    x <- qcew_rows(x, r - start)
    if (!is.integer(x$year)) x$year <- qcew_year(x$year, name)
    qcew_numbers(x, num, name, r)
  })
  if (length(parts) == 1L) parts[[1L]] else data.table::setDF(data.table::rbindlist(parts))
}

# Rows of a data frame, as a plain data frame (no row names to build).
qcew_rows <- function(x, rows) {
  out <- lapply(x, function(v) v[rows])
  class(out) <- "data.frame"
  attr(out, "row.names") <- .set_row_names(length(rows))
  out
}

qcew_year <- function(v, name) {
  if (is.integer(v)) return(v)
  s <- trimws(as.character(v))
  y <- suppressWarnings(as.integer(s))
  bad <- is.na(y) & !(s %in% c("", "NA"))
  if (any(bad)) {
    k <- which(bad)[1L]
    stop_arg("file", "\"", name, "\": column \"year\" is not a whole number in row ",
             k, " (line ", k + 1L, "): \"", s[k], "\"")
  }
  y
}

# A numeric column read as text (a non-numeric cell): the numbers, or an
# error naming the file, the column and the first offending row.
qcew_number <- function(v, cl, name, rows) {
  s <- if (is.character(v)) trimws(v) else as.character(v)
  d <- suppressWarnings(as.double(s))
  bad <- is.na(d) & !(s %in% c("", "NA")) | (!is.na(d) & !is.finite(d))
  if (any(bad)) {
    k <- which(bad)[1L]
    r <- if (is.null(rows)) k else rows[k]
    stop_arg("file", "\"", name, "\": column \"", cl, "\" is not numeric: row ", r,
             " (line ", r + 1L, ") has \"", s[k], "\"")
  }
  d
}

qcew_fread <- function(path, name, cols, txt, num, ..., yr = if ("year" %in% cols) "year") {
  cc <- list(character = txt, integer = yr, numeric = num)
  cc <- cc[lengths(cc) > 0L]
  problem <- NULL
  x <- withCallingHandlers(
    tryCatch(data.table::fread(path, sep = ",", colClasses = cc,
                               na.strings = "NA", showProgress = FALSE,
                               check.names = FALSE, fill = FALSE, quote = "\"",
                               strip.white = TRUE, integer64 = "double",
                               data.table = TRUE, ...),
             error = function(e) {
               stop_arg("file", "\"", name, "\" could not be read as a QCEW CSV file: ",
                        conditionMessage(e))
             }),
    warning = function(w) {
      m <- conditionMessage(w)
      # a non-numeric cell: fread leaves the column as text; checked below
      if (grepl("was requested to be|Bumped column|Attempt to override column", m))
        invokeRestart("muffleWarning")
      problem <<- c(problem, m)
      invokeRestart("muffleWarning")
    })
  if (length(problem))
    stop_arg("file", "\"", name, "\" is damaged or truncated: ",
             qcew_fread_problem(problem[1L], length(cols)))
  data.table::setDF(x)
  x
}

# fread's warning about a ragged line, in the words of the base-R path.
qcew_fread_problem <- function(m, nc) {
  r <- regmatches(m, regexec("Stopped early on line ([0-9]+)\\. Expected [0-9]+ fields but found ([0-9]+)", m))[[1L]]
  if (length(r) == 3L)
    return(sprintf("line %s has %s cells, the header %d", r[2L], r[3L], nc))
  if (grepl("Discarded single-line footer", m, fixed = TRUE))
    return(sprintf("its last line has fewer cells than the header's %d", nc))
  m <- sub("\\s+$", "", m)
  if (nchar(m) > 200L) paste0(substr(m, 1L, 200L), " ...") else m
}

qcew_base_read <- function(path, name, cols) {
  # every line must have the header's cells (read.table() would size the
  # table by its first lines and blame the wrong line)
  nf <- tryCatch(utils::count.fields(path, sep = ",", quote = "\"", comment.char = "",
                                     blank.lines.skip = FALSE),
                 error = function(e) stop_arg("file", "\"", name, "\" is damaged or truncated: ",
                                              conditionMessage(e)),
                 warning = function(w) NULL)
  if (!is.null(nf)) {
    bad <- which(is.na(nf) | (nf != length(cols) & nf != 0L))   # 0: a blank line
    if (length(bad)) {
      k <- bad[1L]
      stop_arg("file", "\"", name, "\" is damaged or truncated: ",
               if (is.na(nf[k])) sprintf("line %d opens a quote that is not closed", k)
               else sprintf("line %d has %d cells, the header %d", k, nf[k], length(cols)))
    }
  }
  tryCatch(
    utils::read.table(path, sep = ",", header = TRUE, colClasses = "character",
                      quote = "\"", na.strings = character(), comment.char = "",
                      fill = FALSE, check.names = FALSE, strip.white = TRUE,
                      blank.lines.skip = TRUE, stringsAsFactors = FALSE),
    error = function(e) stop_arg("file", "\"", name, "\" is damaged or truncated: ",
                                 conditionMessage(e)),
    warning = function(w) stop_arg("file", "\"", name, "\" is damaged or truncated: ",
                                   conditionMessage(w)))
}

# Suppressed cells: NA where a withheld figure was published as 0.
qcew_suppress <- function(x, use_dt) {
  nms <- names(x)
  if (!nrow(x)) return(list(x = x, rows = 0L, partial = 0L, values = 0L))
  estab <- grepl("estabs", nms)
  num <- vapply(x, is.double, NA) & !estab
  main_n <- x$disclosure_code == "N"
  fam <- list(
    list(cols = nms[num & !grepl("^(lq|oty)_", nms)], rows = main_n),
    list(cols = nms[num & startsWith(nms, "lq_")],
         rows = main_n | x$lq_disclosure_code == "N"),
    list(cols = nms[num & startsWith(nms, "oty_")],
         rows = main_n | x$oty_disclosure_code == "N"))
  nv <- 0
  hit <- rep(FALSE, nrow(x))
  for (f in fam) {
    r <- which(f$rows)
    if (!length(r)) next
    for (cl in f$cols) {
      v <- x[[cl]]
      z <- r[!is.na(v[r]) & v[r] == 0]
      if (!length(z)) next
      nv <- nv + length(z)
      hit[z] <- TRUE
      if (use_dt) data.table::set(x, i = z, j = cl, value = NA_real_)
      else x[[cl]][z] <- NA_real_
    }
  }
  list(x = x, rows = sum(main_n), partial = sum(hit & !main_n), values = as.integer(nv))
}
