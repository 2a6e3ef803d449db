# Files in the layouts of the regional statistics readers, written by code
# for the tests of read_qcew() and read_eurostat(). The column lists below
# are copied from the publishers' layout descriptions (BLS, "QCEW Field
# Layouts for NAICS-Based Annual / Quarterly CSV Files"; Eurostat, "Bulk
# download"), not from the package, so that the tests check the package's
# own tables against them.

bls_annual <- c(
  "area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year",
  "qtr", "disclosure_code", "annual_avg_estabs", "annual_avg_emplvl",
  "total_annual_wages", "taxable_annual_wages", "annual_contributions",
  "annual_avg_wkly_wage", "avg_annual_pay", "lq_disclosure_code",
  "lq_annual_avg_estabs", "lq_annual_avg_emplvl", "lq_total_annual_wages",
  "lq_taxable_annual_wages", "lq_annual_contributions", "lq_annual_avg_wkly_wage",
  "lq_avg_annual_pay", "oty_disclosure_code", "oty_annual_avg_estabs_chg",
  "oty_annual_avg_estabs_pct_chg", "oty_annual_avg_emplvl_chg",
  "oty_annual_avg_emplvl_pct_chg", "oty_total_annual_wages_chg",
  "oty_total_annual_wages_pct_chg", "oty_taxable_annual_wages_chg",
  "oty_taxable_annual_wages_pct_chg", "oty_annual_contributions_chg",
  "oty_annual_contributions_pct_chg", "oty_annual_avg_wkly_wage_chg",
  "oty_annual_avg_wkly_wage_pct_chg", "oty_avg_annual_pay_chg",
  "oty_avg_annual_pay_pct_chg")

bls_quarterly <- c(
  "area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year",
  "qtr", "disclosure_code", "qtrly_estabs", "month1_emplvl", "month2_emplvl",
  "month3_emplvl", "total_qtrly_wages", "taxable_qtrly_wages",
  "qtrly_contributions", "avg_wkly_wage", "lq_disclosure_code", "lq_qtrly_estabs",
  "lq_month1_emplvl", "lq_month2_emplvl", "lq_month3_emplvl",
  "lq_total_qtrly_wages", "lq_taxable_qtrly_wages", "lq_qtrly_contributions",
  "lq_avg_wkly_wage", "oty_disclosure_code", "oty_qtrly_estabs_chg",
  "oty_qtrly_estabs_pct_chg", "oty_month1_emplvl_chg", "oty_month1_emplvl_pct_chg",
  "oty_month2_emplvl_chg", "oty_month2_emplvl_pct_chg", "oty_month3_emplvl_chg",
  "oty_month3_emplvl_pct_chg", "oty_total_qtrly_wages_chg",
  "oty_total_qtrly_wages_pct_chg", "oty_taxable_qtrly_wages_chg",
  "oty_taxable_qtrly_wages_pct_chg", "oty_qtrly_contributions_chg",
  "oty_qtrly_contributions_pct_chg", "oty_avg_wkly_wage_chg",
  "oty_avg_wkly_wage_pct_chg")

bls_titles <- c("area_title", "own_title", "industry_title", "agglvl_title", "size_title")
bls_text <- c("area_fips", "own_code", "industry_code", "agglvl_code", "size_code",
              "qtr", "disclosure_code", "lq_disclosure_code", "oty_disclosure_code",
              bls_titles)

# The shipped real sample (North Carolina), every cell as text.
qcew_nc_path <- function() {
  p <- system.file("extdata", "qcew-2019-annual-nc.csv", package = "gvcluster")
  if (!nzchar(p)) p <- testthat::test_path("..", "..", "inst", "extdata", "qcew-2019-annual-nc.csv")
  p
}
qcew_nc_text <- function() {
  utils::read.csv(qcew_nc_path(), colClasses = "character", na.strings = character())
}

# Add BLS's title columns after the codes (one title with a comma, quoted).
qcew_with_titles <- function(q) {
  own <- c("0" = "Total Covered", "1" = "Federal Government", "2" = "State Government",
           "3" = "Local Government", "5" = "Private", "8" = "Total Government",
           "9" = "Total U.I. Covered (Excludes Federal Government)")
  ti <- data.frame(area_title = ifelse(q$area_fips == "US000", "U.S. TOTAL",
                                       paste0("County ", q$area_fips, ", North Carolina")),
                   own_title = unname(own[q$own_code]),
                   industry_title = "10 Total, all industries",
                   agglvl_title = paste("Aggregation level", q$agglvl_code),
                   size_title = "All establishment sizes", stringsAsFactors = FALSE)
  cbind(q[1:8], ti, q[-(1:8)])
}

# The annual rows as quarters 1-4 in the quarterly layout (text cells).
qcew_as_quarterly <- function(q) {
  one <- function(k) {
    bump <- function(v) ifelse(q$disclosure_code == "N" | v == "0", v,
                               as.character(as.numeric(v) + k))
    data.frame(
      q[c("area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year")],
      qtr = as.character(k), disclosure_code = q$disclosure_code,
      qtrly_estabs = q$annual_avg_estabs, month1_emplvl = q$annual_avg_emplvl,
      month2_emplvl = bump(q$annual_avg_emplvl), month3_emplvl = bump(bump(q$annual_avg_emplvl)),
      total_qtrly_wages = q$total_annual_wages, taxable_qtrly_wages = q$taxable_annual_wages,
      qtrly_contributions = q$annual_contributions, avg_wkly_wage = q$annual_avg_wkly_wage,
      lq_disclosure_code = q$lq_disclosure_code, lq_qtrly_estabs = q$lq_annual_avg_estabs,
      lq_month1_emplvl = q$lq_annual_avg_emplvl, lq_month2_emplvl = q$lq_annual_avg_emplvl,
      lq_month3_emplvl = q$lq_annual_avg_emplvl, lq_total_qtrly_wages = q$lq_total_annual_wages,
      lq_taxable_qtrly_wages = q$lq_taxable_annual_wages,
      lq_qtrly_contributions = q$lq_annual_contributions,
      lq_avg_wkly_wage = q$lq_annual_avg_wkly_wage,
      oty_disclosure_code = q$oty_disclosure_code,
      oty_qtrly_estabs_chg = q$oty_annual_avg_estabs_chg,
      oty_qtrly_estabs_pct_chg = q$oty_annual_avg_estabs_pct_chg,
      oty_month1_emplvl_chg = q$oty_annual_avg_emplvl_chg,
      oty_month1_emplvl_pct_chg = q$oty_annual_avg_emplvl_pct_chg,
      oty_month2_emplvl_chg = q$oty_annual_avg_emplvl_chg,
      oty_month2_emplvl_pct_chg = q$oty_annual_avg_emplvl_pct_chg,
      oty_month3_emplvl_chg = q$oty_annual_avg_emplvl_chg,
      oty_month3_emplvl_pct_chg = q$oty_annual_avg_emplvl_pct_chg,
      oty_total_qtrly_wages_chg = q$oty_total_annual_wages_chg,
      oty_total_qtrly_wages_pct_chg = q$oty_total_annual_wages_pct_chg,
      oty_taxable_qtrly_wages_chg = q$oty_taxable_annual_wages_chg,
      oty_taxable_qtrly_wages_pct_chg = q$oty_taxable_annual_wages_pct_chg,
      oty_qtrly_contributions_chg = q$oty_annual_contributions_chg,
      oty_qtrly_contributions_pct_chg = q$oty_annual_contributions_pct_chg,
      oty_avg_wkly_wage_chg = q$oty_annual_avg_wkly_wage_chg,
      oty_avg_wkly_wage_pct_chg = q$oty_annual_avg_wkly_wage_pct_chg,
      stringsAsFactors = FALSE)
  }
  do.call(rbind, lapply(1:4, one))
}

# Write text cells as BLS does: text columns quoted, numbers bare, CRLF.
qcew_write <- function(q, path) {
  utils::write.table(q, path, sep = ",", row.names = FALSE, col.names = TRUE,
                     quote = which(names(q) %in% bls_text),
                     eol = "\r\n", qmethod = "double")
  invisible(path)
}

# What read_qcew() should return for text cells `q`, written independently:
# codes as text, year integer, other columns double, and in rows whose
# disclosure code is "N" the zeros of every column other than the
# establishment counts NA (lq_ and oty_ columns also by their own codes).
qcew_expected <- function(q) {
  out <- q
  num <- setdiff(names(q), c(bls_text, "year"))
  for (cl in num) out[[cl]] <- as.double(q[[cl]])
  out$year <- as.integer(q$year)
  for (cl in num) {
    if (grepl("estabs", cl)) next
    n <- q$disclosure_code == "N" |
      (startsWith(cl, "lq_") & q$lq_disclosure_code == "N") |
      (startsWith(cl, "oty_") & q$oty_disclosure_code == "N")
    out[[cl]][n & out[[cl]] == 0] <- NA
  }
  rownames(out) <- NULL
  out
}

strip_attrs <- function(x) {
  attr(x, "suppressed") <- NULL
  attr(x, "files") <- NULL
  x
}

# A zip archive of `files` (paths), named `zipfile`; skips without a zip program.
make_zip <- function(zipfile, files) {
  if (!nzchar(Sys.which("zip"))) testthat::skip("no zip program to write test archives")
  old <- setwd(dirname(files[1L]))
  on.exit(setwd(old))
  utils::zip(zipfile, basename(files), flags = "-q")
  zipfile
}

# ---- Eurostat -----------------------------------------------------------------

# A bulk TSV written from dimension codes (a data frame), period labels and a
# character matrix of cells (series x periods).
es_write <- function(path, codes, periods, cells, header = "TIME_PERIOD", gz = FALSE,
                     pad = TRUE) {
  first <- paste0(paste(names(codes), collapse = ","), "\\", header)
  hdr <- paste(c(first, if (pad) paste0(periods, " ") else periods), collapse = "\t")
  keys <- do.call(paste, c(codes, sep = ","))
  body <- vapply(seq_len(nrow(cells)), function(i)
    paste(c(keys[i], cells[i, ]), collapse = "\t"), "")
  con <- if (gz) gzfile(path, "wb") else file(path, "wb")
  on.exit(close(con))
  writeLines(c(hdr, body), con)
  invisible(path)
}
