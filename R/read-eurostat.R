#' Read a Eurostat bulk TSV table
#'
#' Reads a table of Eurostat's bulk download service (for instance
#' `nama_10r_3empers`, employment by NUTS 3 region and industry, or
#' `sbs_r_nuts06_r2`, the regional structural business statistics), gzipped
#' (`.tsv.gz`, as Eurostat serves them) or not, into a long data frame ready
#' for [lq()], [specialization()] and [clusters()].
#'
#' @section The layout:
#' The file is tab-separated. The first header cell names the dimensions,
#' separated by commas, with `\TIME_PERIOD` (or, in older files, `\time`)
#' after the last one, e.g. `freq,unit,nace_r2,geo\TIME_PERIOD`; the other
#' header cells are the periods (`2019 ` with trailing blanks, `2019Q1` or
#' `2019-Q1`, `2019M01` or `2019-01`, ...). Each line then holds the
#' comma-separated codes of one series and one cell per period: a number,
#' optionally followed by a blank and one or more flags (`p` provisional,
#' `e` estimated, `b` break in series, `c` confidential, `u` low
#' reliability, `d` definition differs, `n` not significant, `s` Eurostat
#' estimate, and others, in combinations such as `bep`), or `:` for a
#' missing value, possibly with flags; blanks around a cell are ignored.
#'
#' @param file Path of the TSV file, gzipped or not.
#' @param ... Not used; must be empty.
#' @return A data frame with one row per series and period (a series' periods
#'   together, in the file's order): one text column per dimension, named as
#'   in the header (`freq`, `unit`, `nace_r2`, `geo`, ...), `time` (an
#'   integer when every period is a year, the period's text otherwise),
#'   `values` (a double, `NA` for `:`) and `flags` (text, `""` where there
#'   are none).
#'
#' A file that is not in this layout, has a line with the wrong number of
#' cells (a truncated file) or a cell that is not a number (with flags) or
#' `:` is an error naming the file, the line and the period; nothing is
#' returned then.
#' @references Eurostat, "Bulk download" (the TSV format of the dissemination
#'   database).
#' @seealso [nuts_level()] for the NUTS level of a `geo` code;
#'   [read_qcew()] for the US counterpart.
#' @examples
#' # a small table in the layout of nama_10r_3empers
#' tsv <- tempfile(fileext = ".tsv")
#' writeLines(c(
#'   "freq,wstatus,nace_r2,unit,geo\\TIME_PERIOD\t2018 \t2019 ",
#'   "A,EMP,A,THS,AT11\t12.1 \t11.9 p",
#'   "A,EMP,A,THS,AT12\t70.2 \t69.0 p",
#'   "A,EMP,A,THS,AT13\t0.9 \t: c",
#'   "A,EMP,C,THS,AT11\t25.5 \t26.0 p",
#'   "A,EMP,C,THS,AT12\t130.4 \t133.1 p",
#'   "A,EMP,C,THS,AT13\t60.7 \t61.2 ep",
#'   "A,EMP,G-I,THS,AT11\t40.2 \t40.8 p",
#'   "A,EMP,G-I,THS,AT12\t190.3 \t193.0 p",
#'   "A,EMP,G-I,THS,AT13\t300.1 \t305.6 p"), tsv)
#' emp <- read_eurostat(tsv)
#' head(emp)
#' emp$level <- nuts_level(emp$geo)
#'
#' # location quotients by year, the regions against their sum
#' e <- emp[!is.na(emp$values), ]
#' head(lq(e, value = "values", region = "geo", industry = "nace_r2", by = "time"))
#' specialization(e[e$time == 2018L, ], "krugman", value = "values",
#'                region = "geo", industry = "nace_r2")
#' clusters(e[e$time == 2018L, ], value = "values", region = "geo",
#'          industry = "nace_r2")
#' @export
read_eurostat <- function(file, ...) {
  check_dots(...)
  file <- check_string(file, "file")
  if (!file.exists(file)) stop_arg("file", "names no file: \"", file, "\"")
  if (dir.exists(file)) stop_arg("file", "is a folder, not a file: \"", file, "\"")
  name <- basename(file)
  lines <- es_lines(file, name)
  hdr <- strsplit(lines[1L], "\t", fixed = TRUE)[[1L]]
  pat <- "\\\\(TIME_PERIOD|time) *$"
  if (!grepl(pat, hdr[1L]))
    stop_arg("file", "\"", name, "\" is not a Eurostat bulk TSV file: its first header cell (\"",
             substr(hdr[1L], 1L, 60L), "\") does not end in \\TIME_PERIOD or \\time")
  if (length(hdr) < 2L)
    stop_arg("file", "\"", name, "\" is not a Eurostat bulk TSV file: its header has no ",
             "periods (tab-separated cells after the first)")
  dims <- trimws(strsplit(sub(pat, "", hdr[1L]), ",", fixed = TRUE)[[1L]])
  if (!length(dims) || any(!nzchar(dims)) || anyDuplicated(dims))
    stop_arg("file", "\"", name, "\": the dimension names of its header (\"",
             hdr[1L], "\") are empty or repeated")
  clash <- intersect(dims, c("time", "values", "flags"))
  if (length(clash))
    stop_arg("file", "\"", name, "\": a dimension is named ",
             paste0('"', clash, '"', collapse = ", "),
             ", a name the result gives to its own columns")
  periods <- trimws(hdr[-1L])
  if (any(!nzchar(periods)) || anyDuplicated(periods))
    stop_arg("file", "\"", name, "\": its header has empty or repeated periods")
  body <- lines[-1L]
  nc <- length(hdr)
  cells <- strsplit(body, "\t", fixed = TRUE)
  ntab <- nchar(body) - nchar(gsub("\t", "", body, fixed = TRUE))
  bad <- which(lengths(cells) != nc | ntab != nc - 1L)
  if (length(bad))
    stop_arg("file", "\"", name, "\" is truncated or damaged: line ", bad[1L] + 1L,
             " has ", ntab[bad[1L]] + 1L, " cells, the header ", nc)
  m <- matrix(as.character(unlist(cells, use.names = FALSE)), nrow = nc)
  keys <- strsplit(m[1L, ], ",", fixed = TRUE)
  badk <- which(lengths(keys) != length(dims))
  if (length(badk))
    stop_arg("file", "\"", name, "\": line ", badk[1L] + 1L, " has ",
             lengths(keys)[badk[1L]], " codes (\"", m[1L, badk[1L]], "\"), the header ",
             length(dims), " dimensions")
  nser <- length(body)
  nper <- nc - 1L
  km <- matrix(trimws(as.character(unlist(keys, use.names = FALSE))), nrow = length(dims))
  s <- as.vector(m[-1L, , drop = FALSE])                  # series-major
  ok <- grepl("^ *(?:(?::|[-+]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)) *[a-z]*)? *$", s, perl = TRUE)
  if (!all(ok)) {
    k <- which(!ok)[1L]
    stop_arg("file", "\"", name, "\": line ", (k - 1L) %/% nper + 2L, ", period \"",
             periods[(k - 1L) %% nper + 1L], "\" has \"", trimws(s[k]),
             "\", not a number (with flags) or \":\"")
  }
  lead <- startsWith(s, " ")
  if (any(lead)) s[lead] <- sub("^ +", "", s[lead])
  # the number (or ":") ends at the first blank or flag letter
  p <- regexpr("[ a-z]", s, perl = TRUE)
  has <- p > 0L
  num <- s
  num[has] <- substr(s[has], 1L, p[has] - 1L)
  flags <- character(length(s))
  flags[has] <- gsub(" ", "", substring(s[has], p[has]), fixed = TRUE)
  values <- suppressWarnings(as.double(num))      # ":" and "" are NA
  time <- if (all(grepl("^[0-9]{4}$", periods))) as.integer(periods) else periods
  out <- vector("list", length(dims) + 3L)
  names(out) <- c(dims, "time", "values", "flags")
  for (i in seq_along(dims)) out[[i]] <- rep(km[i, ], each = nper)
  out$time <- rep(time, times = nser)
  out$values <- values
  out$flags <- flags
  as.data.frame(out, stringsAsFactors = FALSE, optional = TRUE)
}

# The lines of a (possibly gzipped) text file, or an error naming it.
es_lines <- function(file, name) {
  con <- gzfile(file, "rb")
  on.exit(close(con))
  lines <- tryCatch(readLines(con, warn = FALSE),
                    error = function(e) stop_arg("file", "\"", name, "\" could not be read: ",
                                                 conditionMessage(e)),
                    warning = function(w) stop_arg("file", "\"", name,
                                                   "\" is damaged or truncated: ",
                                                   conditionMessage(w)))
  lines <- sub("\r$", "", lines)
  while (length(lines) && !nzchar(trimws(lines[length(lines)])))
    lines <- lines[-length(lines)]
  if (!length(lines)) stop_arg("file", "\"", name, "\" is empty: not a Eurostat bulk TSV file")
  if (!all(validUTF8(lines)))
    stop_arg("file", "\"", name, "\" is not a Eurostat bulk TSV file (it is not text)")
  lines
}

#' The NUTS level of a region code
#'
#' The level in the European NUTS classification of each code of a `geo`
#' column (Eurostat's region codes), from the code's length: a country's
#' two letters (`"AT"`, `"EL"`) are level 0, and each further character
#' (a digit or a capital letter) adds one level, so `"AT1"` is level 1,
#' `"AT13"` level 2 and `"AT130"` level 3; the "extra-regio" codes (`"ATZ"`,
#' `"ATZZ"`, `"ATZZZ"`) follow the same rule. Codes that are not NUTS codes
#' give `NA`: the aggregates of the European Union and the euro area
#' (codes starting with `EU` or `EA`, such as `"EU27_2020"`, `"EA20"`),
#' codes with other characters (underscores, lower case, blanks), codes
#' longer than five characters, and `NA`.
#'
#' @param geo A character vector of region codes.
#' @return An integer vector as long as `geo`, 0 to 3 or `NA`.
#' @seealso [read_eurostat()].
#' @examples
#' nuts_level(c("DE", "DE1", "DE11", "DE111", "EL30", "EU27_2020", "EA20", "DEZZZ"))
#' @export
nuts_level <- function(geo) {
  if (is.factor(geo)) geo <- as.character(geo)
  if (!is.character(geo))
    stop_arg("geo", "must be a character vector of region codes, not ", describe(geo))
  u <- unique(geo)
  lv <- nchar(u) - 2L
  lv[!grepl("^[A-Z]{2}[A-Z0-9]{0,3}$", u) | grepl("^E[UA]", u)] <- NA_integer_
  lv[match(geo, u)]
}
