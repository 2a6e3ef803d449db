# read_qcew(): the BLS QCEW open-data CSV files. Expected values come from
# utils::read.csv() of the same text (helper-read-regional.R), from BLS's
# published location quotients, and from BLS's layout descriptions.

rq <- function(..., quiet = TRUE) read_qcew(..., quiet = quiet)
`%||%` <- function(a, b) if (is.null(a)) b else a

# both reading paths: data.table::fread() and base R
both_paths <- function(code) {
  res <- list(fread = NULL, base = NULL)
  if (requireNamespace("data.table", quietly = TRUE))
    res$fread <- withr::with_options(list(gvcluster.fread = TRUE), code())
  res$base <- withr::with_options(list(gvcluster.fread = FALSE), code())
  res
}

test_that("the shipped North Carolina file reads with codes as text and suppressed cells NA", {
  txt <- qcew_nc_text()
  exp <- qcew_expected(txt)
  expect_identical(names(txt), bls_annual)
  r <- both_paths(function() rq(qcew_nc_path()))
  for (x in Filter(Negate(is.null), r)) {
    expect_s3_class(x, "data.frame")
    expect_identical(class(x), "data.frame")
    expect_identical(dim(x), c(513L, 38L))
    expect_identical(names(x), bls_annual)
    expect_identical(strip_attrs(x), exp)
    expect_true(all(grepl("^[0-9]{5}$|^US000$", x$area_fips)))
    expect_identical(x$area_fips[x$area_fips == "37001"][1], "37001")
    expect_type(x$year, "integer")
    expect_type(x$annual_avg_emplvl, "double")
    n_sup <- sum(txt$disclosure_code == "N")
    expect_gt(n_sup, 0L)
    expect_identical(sum(is.na(x$annual_avg_emplvl)), n_sup)
    # establishments are published for suppressed rows and kept
    expect_false(anyNA(x$annual_avg_estabs))
    expect_identical(unname(attr(x, "suppressed")[["values"]]),
                     sum(vapply(exp, function(v) sum(is.na(v)), 0L)))
  }
  if (!is.null(r$fread)) expect_identical(r$fread, r$base)
})

test_that("read_qcew() says how many cells were suppressed, unless quiet", {
  txt <- qcew_nc_text()
  n_rows <- sum(txt$disclosure_code == "N")
  n_part <- sum(txt$disclosure_code != "N" &
                  (txt$lq_disclosure_code == "N" | txt$oty_disclosure_code == "N"))
  exp <- qcew_expected(txt)
  n_val <- sum(vapply(exp, function(v) sum(is.na(v)), 0L))
  msg <- sprintf("%d rows suppressed (disclosure code \"N\")%s; %d values published as 0 set to NA",
                 n_rows, if (n_part) sprintf(" and %d with suppressed LQs or over-the-year changes only",
                                             n_part) else "", n_val)
  expect_message(read_qcew(qcew_nc_path()), msg, fixed = TRUE)
  x <- read_qcew(qcew_nc_path(), quiet = TRUE)
  expect_identical(attr(x, "suppressed"), c(rows = n_rows, partial = n_part, values = n_val))
  expect_silent(read_qcew(qcew_nc_path(), quiet = TRUE))
})

# BLS's definition: LQ(area, own) = [E(area, own)/E(area, 0)] / [E(US000, own)/E(US000, 0)];
# the national aggregates USMSA, USCMS, USNMS: E(aggregate, 0) / E(US000, 0).
qcew_lq_check <- function(x) {
  e <- x$annual_avg_emplvl
  pub <- x$lq_annual_avg_emplvl
  area0 <- e[x$own_code == "0"][match(x$area_fips, x$area_fips[x$own_code == "0"])]
  us <- x[x$area_fips == "US000", ]
  us_own <- us$annual_avg_emplvl[match(x$own_code, us$own_code)]
  us0 <- us$annual_avg_emplvl[us$own_code == "0"]
  agg <- x$area_fips %in% c("USMSA", "USCMS", "USNMS")
  mine <- ifelse(agg, e / us0, (e / area0) / (us_own / us0))
  # suppressed rows: both NA; every other row within BLS's rounding
  expect_identical(is.na(mine), is.na(pub))
  expect_lt(max(abs(mine - pub), na.rm = TRUE), 0.005 + 1e-9)
  expect_gt(sum(!is.na(pub)), 0L)
  # through lq(), all rows but the national aggregates
  y <- x[!agg & !is.na(e), ]
  y$area_total <- y$annual_avg_emplvl[y$own_code == "0"][
    match(y$area_fips, y$area_fips[y$own_code == "0"])]
  y$us_total <- us0
  out <- lq(y, value = "annual_avg_emplvl", region = "area_fips", industry = "own_code",
            reference = us[c("own_code", "annual_avg_emplvl")],
            total = "area_total", reference_total = "us_total")
  expect_false(anyNA(out$lq))
  expect_lt(max(abs(out$lq - out$lq_annual_avg_emplvl)), 0.005 + 1e-9)
  nrow(y)
}

test_that("every published employment LQ of the North Carolina file is reproduced", {
  x <- rq(qcew_nc_path())
  n <- qcew_lq_check(x)
  expect_identical(n, sum(qcew_nc_text()$disclosure_code != "N"))
})

test_that("the real BLS file (every area) reads, and every published employment LQ is reproduced", {
  skip_if(nzchar(Sys.getenv("GVCLUSTER_VALGRIND")))
  f <- "qcew_2019_annual_industry10_allareas.csv"
  d <- skip_if_no_testdata("qcew", f)
  path <- file.path(d, f)
  txt <- utils::read.csv(path, colClasses = "character", na.strings = character())
  r <- both_paths(function() rq(path))
  x <- r$fread %||% r$base
  if (!is.null(r$fread)) expect_identical(r$fread, r$base)
  expect_identical(dim(x), c(19238L, 38L))
  expect_identical(strip_attrs(x), qcew_expected(txt))
  expect_identical(x$area_fips, txt$area_fips)
  expect_true(all(nchar(x$area_fips) == 5L))
  expect_identical(sort(unique(x$own_code)), c("0", "1", "2", "3", "5", "8", "9"))
  expect_identical(sum(is.na(x$annual_avg_emplvl)), 907L)   # disclosure code "N"
  # 907 rows "N"; 59 more with only the over-the-year changes withheld
  expect_identical(attr(x, "suppressed")[c("rows", "partial")], c(rows = 907L, partial = 59L))
  expect_identical(qcew_lq_check(x), 19238L - 907L - 3L)
  # filters on the real file against base subsets
  cty <- rq(path, area_type = "county", own_code = 5)
  keep <- grepl("^[0-9]{5}$", txt$area_fips) & !grepl("000$|999$", txt$area_fips) &
    txt$own_code == "5"
  expect_identical(strip_attrs(cty), qcew_expected(txt[keep, ]))
  msa <- rq(path, area_type = "msa", agglvl_code = 40)
  expect_identical(msa$area_fips, txt$area_fips[grepl("^C[0-9]{4}$", txt$area_fips) &
                                                  txt$agglvl_code == "40"])
})

test_that("filters keep what base subsetting keeps", {
  txt <- qcew_nc_text()
  p <- qcew_nc_path()
  chk <- function(x, keep) expect_identical(strip_attrs(x), qcew_expected(txt[keep, ]))
  chk(rq(p, own_code = c(0, 5)), txt$own_code %in% c("0", "5"))
  chk(rq(p, own_code = "5"), txt$own_code == "5")
  chk(rq(p, agglvl_code = 71), txt$agglvl_code == "71")
  chk(rq(p, area_type = "state"), txt$area_fips == "37000")
  chk(rq(p, area_type = "national"), txt$area_fips == "US000")
  chk(rq(p, area_type = c("county", "national")), txt$area_fips != "37000")
  chk(rq(p, area_type = "county", own_code = 3), !txt$area_fips %in% c("37000", "US000") &
        txt$own_code == "3")
  chk(rq(p, year = 2019), rep(TRUE, nrow(txt)))
  chk(rq(p, qtr = "A"), rep(TRUE, nrow(txt)))
  chk(rq(p, industry_code = 10, size_code = 0), rep(TRUE, nrow(txt)))
  withr::with_options(list(gvcluster.fread = FALSE),
                      chk(rq(p, own_code = 1, area_type = "county"),
                          txt$own_code == "1" & !txt$area_fips %in% c("37000", "US000")))
  # nothing kept: a zero-row frame with every column, and a message
  none <- rq(p, year = 2020)
  expect_identical(dim(none), c(0L, 38L))
  expect_identical(vapply(none, typeof, ""), vapply(qcew_expected(txt), typeof, ""))
  expect_message(read_qcew(p, qtr = 1), "\"qcew-2019-annual-nc.csv\" has no row that matches the filters")
  # a file with the header only
  h <- file.path(withr::local_tempdir(), "header.csv")
  writeLines(readLines(p, 1L), h)
  expect_message(read_qcew(h), "\"header.csv\" has no data rows")
  r <- both_paths(function() rq(h))
  for (x in Filter(Negate(is.null), r))
    expect_identical(strip_attrs(x), qcew_expected(txt[0, ]))
})

test_that("bad filter arguments are errors naming the argument", {
  p <- qcew_nc_path()
  expect_error(rq(p, area_type = "city"), "`area_type` has unknown area_type \"city\"")
  expect_error(rq(p, qtr = 5), "`qtr` must hold quarters 1 to 4 or \"A\", not \"5\"")
  expect_error(rq(p, year = 2019.5), "`year` must be NULL or years \\(whole numbers\\), not 2019.5")
  expect_error(rq(p, year = 1e10), "`year` must be NULL or years")
  expect_error(rq(p, year = "2019"), "`year` must be NULL or years \\(whole numbers\\), not a character vector")
  expect_error(rq(p, own_code = NA), "`own_code` must be NULL or codes")
  expect_error(rq(p, own_code = -1), "`own_code` must hold codes")
  expect_error(rq(p, agglvl_code = list(70)), "`agglvl_code` must be NULL or codes")
  expect_error(rq(p, quiet = NA), "`quiet` must be TRUE or FALSE")
  expect_error(rq(p, files = "x.csv"), "`files` applies to zip archives only")
  expect_error(rq(p, ownership = 5), "`...` must be empty")
  expect_error(rq(c(p, p)), "`file` must be a single non-empty string")
  expect_error(rq(file.path(tempdir(), "no-such-file.csv")), "`file` names no file")
  expect_error(rq(tempdir()), "`file` is a folder")
})

test_that("the layouts with titles, the quarterly layouts and the older names read", {
  txt <- qcew_nc_text()
  td <- withr::local_tempdir()
  cases <- list(
    annual_titles = qcew_with_titles(txt),
    quarterly = qcew_as_quarterly(txt),
    quarterly_titles = qcew_with_titles(qcew_as_quarterly(txt)))
  old <- qcew_with_titles(txt)
  names(old) <- sub("^(lq_|oty_)?annual_avg_estabs", "\\1annual_avg_estabs_count", names(old))
  cases$annual_titles_count <- old
  expect_identical(names(cases$quarterly), bls_quarterly)
  expect_identical(names(cases$annual_titles),
                   c(bls_annual[1:8], bls_titles, bls_annual[-(1:8)]))
  for (nm in names(cases)) {
    q <- cases[[nm]]
    path <- qcew_write(q, file.path(td, paste0(nm, ".csv")))
    r <- both_paths(function() rq(path))
    for (x in Filter(Negate(is.null), r))
      expect_identical(strip_attrs(x), qcew_expected(q), info = nm)
    if (!is.null(r$fread)) expect_identical(r$fread, r$base, info = nm)
  }
  # a title with a comma stays one cell
  x <- rq(file.path(td, "annual_titles.csv"))
  expect_identical(x$area_title[x$area_fips == "37183"][1], "County 37183, North Carolina")
  # quarters
  qq <- rq(file.path(td, "quarterly.csv"), qtr = c(2, 4), area_type = "county")
  keep <- cases$quarterly$qtr %in% c("2", "4") &
    !cases$quarterly$area_fips %in% c("37000", "US000")
  expect_identical(strip_attrs(qq), qcew_expected(cases$quarterly[keep, ]))
  expect_identical(sort(unique(qq$qtr)), c("2", "4"))
  expect_identical(sum(is.na(qq$month3_emplvl)),
                   2L * sum(txt$disclosure_code == "N" & !txt$area_fips %in% c("37000", "US000")))
})

test_that("a zip archive of several CSVs of one layout reads as one table", {
  txt <- qcew_nc_text()
  td <- withr::local_tempdir()
  parts <- split(txt, txt$own_code)
  paths <- vapply(names(parts), function(o)
    qcew_write(parts[[o]], file.path(td, sprintf("2019.annual own %s.csv", o))), "")
  z <- make_zip(file.path(td, "2019_annual_by_own.zip"), paths)
  r <- both_paths(function() rq(z))
  exp <- qcew_expected(do.call(rbind, parts))
  for (x in Filter(Negate(is.null), r)) {
    expect_identical(strip_attrs(x), exp)
    expect_identical(attr(x, "files"), basename(paths))
  }
  # picking files by name and by pattern; filters apply to each file
  x <- rq(z, files = basename(paths[2]))
  expect_identical(strip_attrs(x), qcew_expected(parts[[2]]))
  x <- rq(z, files = "own [05]\\.csv$", area_type = "county")
  keep <- txt$own_code %in% c("0", "5") & !txt$area_fips %in% c("37000", "US000")
  k <- do.call(rbind, parts)
  expect_identical(strip_attrs(x), qcew_expected(k[k$own_code %in% c("0", "5") &
                                                     !k$area_fips %in% c("37000", "US000"), ]))
  expect_identical(nrow(x), sum(keep))
  expect_error(rq(z, files = "own 7"), "`files` \"own 7\" matches no CSV file of \"2019_annual_by_own.zip\"")
  # no temporary files left behind
  before <- list.files(tempdir(), pattern = "^qcew")
  rq(z)
  expect_identical(list.files(tempdir(), pattern = "^qcew"), before)
})

test_that("bad zip archives are clear errors", {
  txt <- qcew_nc_text()
  td <- withr::local_tempdir()
  # an empty archive (the 22 bytes of an end-of-central-directory record)
  empty <- file.path(td, "empty.zip")
  writeBin(c(as.raw(c(0x50, 0x4b, 0x05, 0x06)), raw(18)), empty)
  expect_error(rq(empty), "`file` \\(\"empty.zip\"\\) is a zip archive without CSV files")
  # two layouts in one archive
  a <- qcew_write(txt[1:20, ], file.path(td, "a.csv"))
  b <- qcew_write(qcew_as_quarterly(txt[1:5, ]), file.path(td, "b.csv"))
  z <- make_zip(file.path(td, "mixed.zip"), c(a, b))
  expect_error(rq(z), "holds CSV files of different layouts: a.csv \\(annual singlefile\\), b.csv \\(quarterly singlefile\\)")
  expect_identical(nrow(rq(z, files = "a.csv")), 20L)
  # no CSV inside
  n <- file.path(td, "notes.txt"); writeLines("hello", n)
  z2 <- make_zip(file.path(td, "notes.zip"), n)
  expect_error(rq(z2), "is a zip archive without CSV files \\(it holds 1 other entry\\)")
  # not a zip although named so
  fake <- file.path(td, "fake.zip"); writeLines("area_fips,own_code", fake)
  expect_error(rq(fake), "`file` \\(\"fake.zip\"\\) is not a readable zip archive")
})

test_that("files in another layout, with missing columns, non-numeric cells or truncated are errors", {
  txt <- qcew_nc_text()
  td <- withr::local_tempdir()
  for (fr in c(TRUE, FALSE)) withr::with_options(list(gvcluster.fread = fr), {
    # another layout altogether
    es <- file.path(td, "eurostat.csv")
    writeLines(c("geo,unit,value", "AT11,THS,12"), es)
    expect_error(rq(es), "`file` \"eurostat.csv\" is not a QCEW open-data CSV file: its header has 3 columns \\(\"geo\", \"unit\", \"value\"\\)")
    # a missing column
    m <- qcew_write(txt[1:10, names(txt) != "avg_annual_pay"], file.path(td, "missing.csv"))
    expect_error(rq(m), "\"missing.csv\" is not in a QCEW layout: nearest is the annual singlefile layout, but column \"avg_annual_pay\" missing")
    # an extra column, and columns in another order
    e <- qcew_write(cbind(txt[1:10, ], extra = 1), file.path(td, "extra.csv"))
    expect_error(rq(e), "column \"extra\" not in it")
    o <- qcew_write(txt[1:10, c(2, 1, 3:38)], file.path(td, "order.csv"))
    expect_error(rq(o), "the columns are in another order")
    # a non-numeric cell: file, column and first offending row named
    bad <- txt[1:10, ]
    bad$total_annual_wages[7] <- "12x4"
    bad$total_annual_wages[9] <- "n/a"
    b <- qcew_write(bad, file.path(td, "bad.csv"))
    expect_error(rq(b), "`file` \"bad.csv\": column \"total_annual_wages\" is not numeric: row 7 \\(line 8\\) has \"12x4\"")
    # ... also when filters drop rows before it (the row number is the file's);
    # a row the filters drop is not converted
    expect_error(rq(b, own_code = bad$own_code[7]), "row 7 \\(line 8\\)")
    expect_identical(nrow(rq(b, own_code = 1)), 2L)
    bad$year[3] <- "2O19"
    b2 <- qcew_write(bad, file.path(td, "badyear.csv"))
    expect_error(rq(b2), "column \"year\" is not a whole number in row 3 \\(line 4\\): \"2O19\"")
    # a truncated file: the last line cut in the middle
    full <- qcew_write(txt[1:10, ], file.path(td, "full.csv"))
    lines <- readLines(full)
    tr <- file.path(td, "truncated.csv")
    writeLines(c(lines[1:10], substr(lines[11], 1, 60)), tr)
    expect_error(rq(tr), "`file` \"truncated.csv\" is damaged or truncated")
    # a line with too many cells in the middle
    tr2 <- file.path(td, "ragged.csv")
    writeLines(c(lines[1:4], paste0(lines[5], ",1"), lines[6:11]), tr2)
    expect_error(rq(tr2), "`file` \"ragged.csv\" is damaged or truncated")
    # empty, binary
    em <- file.path(td, "empty.csv"); file.create(em)
    expect_error(rq(em), "`file` \"empty.csv\" is empty: not a QCEW CSV file")
    bin <- file.path(td, "bin.csv"); writeBin(as.raw(c(0x1f, 0x8b, 0x08, 0, 0xff, 0xfe, 10)), bin)
    expect_error(rq(bin), "`file` \"bin.csv\" is not a QCEW CSV file \\(its first line is not plain text\\)")
  })
})

test_that("qcew_area_type() recognises BLS's area codes", {
  codes <- c("US000", "01000", "72000", "01001", "37183", "37999", "C1018", "C3958",
             "CS450", "USMSA", "USCMS", "USNMS", "EU27", "3700", NA, "c1018")
  expect_identical(qcew_area_type(codes),
                   c("national", "state", "state", "county", "county", "unknown", "msa",
                     "msa", "csa", "us_aggregate", "us_aggregate", "us_aggregate",
                     NA, NA, NA, NA))
  expect_identical(qcew_area_type(character()), character())
  expect_error(qcew_area_type(37000), "`area_fips` must be a character vector")
})

test_that("read_qcew() results go into lq(), specialization() and clusters()", {
  x <- rq(qcew_nc_path(), area_type = "county", own_code = c(1, 2, 3, 5))
  ok <- !x$area_fips %in% x$area_fips[is.na(x$annual_avg_emplvl)]
  y <- x[ok, ]
  # Krugman index of each county against the other counties' sum, by hand
  m <- tapply(y$annual_avg_emplvl, list(y$area_fips, y$own_code), sum)
  m[is.na(m)] <- 0
  s <- specialization(y, "krugman", value = "annual_avg_emplvl", region = "area_fips",
                      industry = "own_code")
  ref <- colSums(m)
  hand <- rowSums(abs(m / rowSums(m) - matrix(ref / sum(ref), nrow(m), ncol(m), byrow = TRUE)))
  expect_equal(s$krugman[match(rownames(m), s$region)], unname(hand), tolerance = 1e-12)
  cl <- clusters(y, value = "annual_avg_emplvl", region = "area_fips", industry = "own_code")
  expect_s3_class(cl, "clusters")
  expect_setequal(cl$groups$industry, c("1", "2", "3", "5"))
})

test_that("error messages read well", {
  withr::local_options(list(gvcluster.fread = FALSE))  # the same with or without data.table
  txt <- qcew_nc_text()
  td <- withr::local_tempdir()
  es <- file.path(td, "nama_10r_3empers.csv")
  writeLines(c("freq,unit,nace_r2,geo,2019", "A,THS,C,AT11,12"), es)
  expect_snapshot(read_qcew(es), error = TRUE)
  m <- qcew_write(txt[1:10, !names(txt) %in% c("avg_annual_pay", "lq_avg_annual_pay")],
                  file.path(td, "2019.annual.singlefile.csv"))
  expect_snapshot(read_qcew(m), error = TRUE)
  bad <- txt[1:10, ]
  bad$annual_avg_emplvl[4] <- "1,234"
  b <- qcew_write(bad, file.path(td, "2019.q1-q4 37000 North Carolina.csv"))
  expect_snapshot(read_qcew(b), error = TRUE)
  lines <- readLines(qcew_write(txt[1:10, ], file.path(td, "full.csv")))
  tr <- file.path(td, "2019.annual.singlefile.csv")
  writeLines(c(lines[1:10], substr(lines[11], 1, 60)), tr)
  expect_snapshot(read_qcew(tr), error = TRUE)
  empty <- file.path(td, "2019_annual_singlefile.zip")
  writeBin(c(as.raw(c(0x50, 0x4b, 0x05, 0x06)), raw(18)), empty)
  expect_snapshot(read_qcew(empty), error = TRUE)
  expect_snapshot(read_qcew(qcew_nc_path(), area_type = c("county", "metro")), error = TRUE)
})

test_that("a large file with filters is read in blocks, with the same result", {
  skip_if_not_installed("data.table")
  txt <- qcew_nc_text()
  p <- qcew_nc_path()
  withr::local_options(list(gvcluster.fread = TRUE))
  cases <- list(list(area_type = "county", own_code = 5), list(own_code = c(1, 2)),
                list(area_type = "national"), list(year = 2019, agglvl_code = 71),
                list(year = 2020))
  for (a in cases) for (b in c(1, 7, 100, 1000)) {
    withr::local_options(list(gvcluster.qcew_block = b))
    blocked <- do.call(rq, c(list(p), a))
    withr::local_options(list(gvcluster.qcew_block = NULL))
    whole <- do.call(rq, c(list(p), a))
    expect_identical(blocked, whole, info = paste(deparse(a), b))
  }
  expect_identical(nrow(whole), 0L)
  # a non-numeric cell is named by its row of the file
  td <- withr::local_tempdir()
  bad <- txt
  bad$total_annual_wages[300] <- "x"
  f <- qcew_write(bad, file.path(td, "bad.csv"))
  withr::local_options(list(gvcluster.qcew_block = 64))
  expect_error(rq(f, own_code = bad$own_code[300]), "row 300 \\(line 301\\) has \"x\"")
  expect_silent(rq(f, own_code = "8"))
  # a truncated file is found by the pass over the filter columns
  lines <- readLines(qcew_nc_path())
  tr <- file.path(td, "truncated.csv")
  writeLines(c(lines[1:100], substr(lines[101], 1, 30)), tr)
  expect_error(rq(tr, own_code = 5), "\"truncated.csv\" is damaged or truncated")
})
