# Issue 27 (the hard edges, round two): files that are empty, ragged, of
# another format, or hold several tables; sums past the double range; the
# imbalance warnings that were errors in disguise. Every message names the
# file and says what was wrong in the publisher's terms.

# One cell of a CSV file replaced (row r, field k).
csv_set <- function(f, r, k, val) {
  l <- readLines(f)
  s <- strsplit(l[r], ",", fixed = TRUE)[[1]]
  s[k] <- val
  l[r] <- paste(s, collapse = ",")
  writeLines(l, f)
  invisible(f)
}
oecd_csv <- function(name = "ICIO2023_2019.csv", seed = 1, env = parent.frame()) {
  f <- withr_tempfile(name, env)
  write_oecd(oecd_fixture(seed), f, "2023")
  f
}

test_that("sums past the double range are an error naming the file and the row", {
  f <- oecd_csv()
  for (k in 3:5) csv_set(f, 2, k, "1e308")
  expect_snapshot(error = TRUE, read_icio(f), transform = function(l) gsub("ICIO[^ ]*csv", "<file>", l))
  # a column that overflows (one cell each in three rows of one column)
  f <- oecd_csv()
  for (r in 2:4) csv_set(f, r, 3, "1e308")
  expect_error(read_icio(f), "ICIO2023_2019.csv, its intermediate \\(Z\\) block.*column of AUS")
})

# A zip of the folders in `dirs` (relative to their parent).
zip_dirs <- function(zf, parent, dirs) {
  old <- setwd(parent)
  on.exit(setwd(old))
  utils::zip(zf, dirs, flags = "-r -q")
  zf
}

test_that("a zip or folder with several tables is refused with their names", {
  skip_if(!nzchar(Sys.which("zip")), "no zip program")
  f <- withr_tempfile("x")
  w <- dirname(f)
  write_exio(exio_fixture(), file.path(w, "IOT_2022_ixi"))
  write_exio(exio_fixture(9), file.path(w, "IOT_2021_ixi"))
  for (ord in list(c("IOT_2021_ixi", "IOT_2022_ixi"), c("IOT_2022_ixi", "IOT_2021_ixi"))) {
    zf <- zip_dirs(file.path(w, paste0("both", ord[1], ".zip")), w, ord)
    expect_error(read_icio(zf), "holds EXIOBASE 3 table files in 2 folders: \"IOT_2021_ixi\" .*\"IOT_2022_ixi\"")
  }
  expect_snapshot(error = TRUE, read_icio(zf))
  # the folder holding both
  dir.create(file.path(w, "all"))
  file.rename(file.path(w, c("IOT_2021_ixi", "IOT_2022_ixi")), file.path(w, "all", c("IOT_2021_ixi", "IOT_2022_ixi")))
  expect_error(read_icio(file.path(w, "all")), "in 2 folders")
  # one table's files spread over two folders (x.txt of another table)
  unlink(file.path(w, "all", "IOT_2022_ixi", "x.txt"))
  unlink(file.path(w, "all", "IOT_2021_ixi", c("Z.txt", "Y.txt")))
  zf <- zip_dirs(file.path(w, "mix.zip"), file.path(w, "all"), c("IOT_2022_ixi", "IOT_2021_ixi"))
  expect_error(read_icio(zf), "\"IOT_2021_ixi\" \\(x.txt\\); \"IOT_2022_ixi\" \\(Z.txt, Y.txt\\)")
  # Eora26: two years in one folder
  e <- file.path(w, "eora")
  write_eora(eora_fixture(), e, year = 2015)
  write_eora(eora_fixture(), e, year = 2016)
  expect_error(read_icio(e), "holds 2 Eora26 tables: \"Eora26_2015_bp_T.txt\", \"Eora26_2016_bp_T.txt\"")
  # one table in a zip of its folder still reads
  write_exio(exio_fixture(), file.path(w, "one", "IOT_2022_ixi"))
  zf <- zip_dirs(file.path(w, "one.zip"), file.path(w, "one"), "IOT_2022_ixi")
  expect_blocks(read_icio(zf), exio_fixture())
})

test_that("EXIOBASE x.txt: reordered, foreign or non-numeric rows are errors naming x.txt", {
  t <- exio_fixture()
  d <- file.path(dirname(withr_tempfile("x")), "IOT_2022_ixi")
  write_exio(t, d)
  fx <- file.path(d, "x.txt")
  l <- readLines(fx)
  writeLines(c(l[1], rev(l[-1])), fx)                         # rows in another order
  expect_snapshot(error = TRUE, read_icio(d))
  t9 <- t; t9$sectors[2] <- "Manufacture of glass"          # x.txt of another table
  write_exio(t9, file.path(dirname(d), "other"))
  file.copy(file.path(dirname(d), "other", "x.txt"), fx, overwrite = TRUE)
  expect_error(read_icio(d), "line 3 of x.txt is \"AT, Manufacture of glass\" where Z.txt has \"AT, Manufacture of cement")
  for (v in c("abc", "NA", "")) {
    l2 <- l
    l2[3] <- sub("[^\t]*$", v, l2[3])
    writeLines(l2, fx)
    expect_error(read_icio(d), sprintf("x.txt whose column \"indout\" is not a number on line 3 \\(AT, Manufacture of cement, lime and plaster\\): \"%s\"",
                                       if (v == "abc") "abc" else "NA"))
  }
  writeLines(l, fx)
  expect_blocks(read_icio(d), t)
})

test_that("a single file read with a folder format says the format needs a folder or zip", {
  f <- oecd_csv()
  expect_snapshot(error = TRUE, read_icio(f, format = "exiobase3"))
  expect_error(read_icio(f, format = "eora26"), "\\(ICIO2023_2019.csv\\) is a single file: format \"eora26\" needs a folder or zip")
  z <- withr_tempfile("table.zip")
  writeLines("not a zip", z)
  expect_error(read_icio(z), "\\(table.zip\\) is not a readable zip archive")
  expect_error(read_icio(z, format = "exiobase3"), "\\(table.zip\\) is not a readable zip archive")
})

test_that("empty, binary, ragged files and blank lines are named with the line and counts", {
  e <- withr_tempfile("e.csv")
  file.create(e)
  expect_snapshot(error = TRUE, read_icio(e, format = "oecd"))
  for (fmt in c("figaro", "wiod2016")) expect_error(read_icio(e, format = fmt), "\\(e.csv\\) is empty")
  expect_error(read_icio(e), "is empty")
  g <- withr_tempfile("g.csv")
  set.seed(1)
  writeBin(as.raw(sample(0:255, 5000, TRUE)), g)
  expect_error(read_icio(g, format = "oecd"), "\\(g.csv\\) is not a delimited text table: it holds binary data")
  f <- oecd_csv()
  l <- readLines(f)
  h <- length(strsplit(l[1], ",")[[1]])
  l5 <- l; l5[5] <- sub(",[^,]*$", "", l5[5])                 # one field fewer
  writeLines(l5, f)
  expect_snapshot(error = TRUE, read_icio(f))
  l5 <- l; l5[5] <- paste0(l5[5], ",7")                        # one more
  writeLines(l5, f)
  expect_error(read_icio(f), sprintf("line 5 has %d fields where line 1 \\(the header\\) has %d", h + 1L, h))
  l2 <- l; l2[2] <- "AUS_A01_02,1"                             # the first data line
  writeLines(l2, f)
  expect_error(read_icio(f), "line 2 has 2 fields")
  l1 <- l; l1[length(l1)] <- sub(",[^,]*$", "", l1[length(l1)])  # the last (fread: "footer")
  writeLines(l1, f)
  expect_error(read_icio(f), sprintf("line %d has %d fields", length(l), h - 1L))
  writeLines(c(l[1:10], "", l[-(1:10)]), f)                    # a blank line inside
  expect_error(read_icio(f), "\\(ICIO2023_2019.csv\\) has a blank line \\(line 11\\) inside the table")
  writeLines(c(l[1:10], "  \r", l[-(1:10)]), f)
  expect_error(read_icio(f), "blank line \\(line 11\\)")
  # what is fine: blank lines at the end, CRLF line ends, quoted labels
  t <- oecd_fixture(1)
  writeLines(c(l, "", ""), f)
  expect_blocks(read_icio(f), t)
  writeBin(charToRaw(paste0(paste(l, collapse = "\r\n"), "\r\n")), f)
  expect_blocks(read_icio(f), t)
  lq <- l; lq[-1] <- sub("^([^,]*)", "\"\\1\"", lq[-1])
  writeLines(lq, f)
  expect_blocks(read_icio(f), t)
  # a tab-separated file (EXIOBASE) below its three header lines
  d <- file.path(dirname(f), "IOT_2022_ixi")
  write_exio(exio_fixture(), d)
  fz <- file.path(d, "Z.txt")
  lz <- readLines(fz); lz[6] <- paste0(lz[6], "\t1")
  writeLines(lz, fz)
  expect_error(read_icio(d), "\\(Z.txt\\) has a ragged line: line 6 has .* where line 4 \\(the first of the table\\)")
  # the base-R reader (without data.table) is checked alike
  withr_opts <- options(gvcluster.fread = FALSE)
  on.exit(options(withr_opts), add = TRUE)
  writeLines(l5, f)
  expect_error(read_icio(f), "line 5 has")
})

test_that("OECD: a label without its industry, a value-added row missing", {
  f <- oecd_csv()
  l <- readLines(f)
  writeLines(gsub("AUS_A01_02", "AUS_", l), f)
  expect_error(read_icio(f), "industry rows that are not country_industry codes: \"AUS_\" \\(line 2\\)")
  # the VA row removed (TLS alone): value added would be short -- an error,
  # no longer only the imbalance warning
  writeLines(l[!grepl("^VA,", l)], f)
  expect_snapshot(error = TRUE, read_icio(f))
  writeLines(l[!grepl("^TLS,", l)], f)
  expect_error(read_icio(f), "has the value-added row \"VA\" but not \"TLS\"")
  f18 <- withr_tempfile("ICIO2018_2010.csv")
  write_oecd(oecd_fixture(2), f18, "2018")
  l18 <- readLines(f18)
  writeLines(l18[!grepl("^VALU,", l18)], f18)
  expect_error(read_icio(f18), "but not \"VALU\"")
  writeLines(l18[!grepl("_TAXSUB,", l18)], f18)
  expect_error(read_icio(f18), "has the value-added row \"VALU\" but not \"TAXSUB\"")
  # an OUT column off by 10 % stays a warning: the table is complete and
  # the imbalance is reported (issue 27, b_read-065)
  writeLines(l, f)
  for (r in 2:37) {
    s <- strsplit(l[r], ",")[[1]]
    s[length(s)] <- format(as.numeric(s[length(s)]) * 1.1, digits = 17)
    l[r] <- paste(s, collapse = ",")
  }
  writeLines(l, f)
  expect_warning(tab <- read_icio(f), "supplied `x`/`va` differ")
  expect_gt(tab$imbalance, 0)
})

test_that("a truncated R data file and text files named .xlsx/.xls are named as such", {
  w <- wiod_wiot(wiod_fixture())
  f <- withr_tempfile("WIOT2014_October16_ROW.RData")
  wiot <- w
  save(wiot, file = f)
  b <- readBin(f, "raw", file.size(f))
  writeBin(b[1:200], f)
  expect_snapshot(error = TRUE, read_icio(f), transform = function(l) sub("says: .*\\)", "says: <msg>)", l))
  writeLines("not R data", f)
  expect_error(read_icio(f), "\\(WIOT2014_October16_ROW.RData\\) is not a readable R data file")
  x <- withr_tempfile("ADB-MRIO-2019.xlsx")
  writeLines(c("a,b", "1,2"), x)
  expect_snapshot(error = TRUE, read_icio(x))
  x2 <- withr_tempfile("a.xls")
  writeLines(c("a,b", "1,2"), x2)
  expect_error(read_icio(x2), "\\(a.xls\\) is not an Excel workbook: it holds text")
  file.create(x2)   # empties it (a second argument would be a second file)
  expect_error(read_icio(x2), "\\(a.xls\\) is not an Excel workbook: it is empty")
})

test_that("FIGARO: NA keys, duplicated keys and a deleted column are named", {
  tf <- figaro_fixture()
  f <- withr_tempfile("flat_ind-by-ind_2021.csv")
  set.seed(5)
  write_figaro_flat(tf, f)
  d0 <- utils::read.csv(f, stringsAsFactors = FALSE)
  d <- d0
  k <- which(d$refArea == "AT")[1]
  d$refArea[k] <- NA
  utils::write.csv(d, f, row.names = FALSE, quote = FALSE)
  expect_error(read_icio(f), sprintf("1 empty or NA refArea cell; the first on line %d", k + 1L))
  d <- d0
  d$colIi[3] <- ""
  utils::write.csv(d, f, row.names = FALSE, quote = FALSE)
  expect_error(read_icio(f), "empty or NA colIi cell; the first on line 4")
  # one observation twice with another value: an error, no longer only the
  # imbalance warning (one of the two values was dropped silently)
  d <- d0
  k <- which(d$refArea != "W2" & d$counterpartArea == "AT" & d$colIi == "A01")[1]
  dd <- d[k, ]
  dd$obsValue <- dd$obsValue + 1000
  utils::write.csv(rbind(d, dd), f, row.names = FALSE, quote = FALSE)
  expect_snapshot(error = TRUE, read_icio(f))
  utils::write.csv(rbind(d, d[k, ]), f, row.names = FALSE, quote = FALSE)   # same value
  expect_error(read_icio(f), "1 duplicated key")
  # missing observations are zero cells: the imbalance warning (b_read-155)
  d <- d0[-which(d0$refArea != "W2" & d0$obsValue > 0)[1:10], ]
  utils::write.csv(d, f, row.names = FALSE, quote = FALSE)
  expect_warning(read_icio(f), "supplied `x`/`va` differ")
  # the matrix file with an industry column deleted
  m <- withr_tempfile("matrix_eu-ic-io_ind-by-ind_23ed_2021.csv")
  write_figaro_matrix(tf, m)
  s <- strsplit(readLines(m), ",")
  lab <- s[[1]][3]
  writeLines(vapply(s, function(v) paste(v[-3], collapse = ","), ""), m)
  expect_error(read_icio(m), sprintf("has industry rows without a matching column: \"%s\"", lab))
})

test_that("subnormal cells are read as the numbers they are, the imbalance reported (issue 27)", {
  f <- oecd_csv()
  t <- oecd_fixture(1)
  for (k in 3:5) csv_set(f, 2, k, "1e-320")
  expect_warning(tab <- read_icio(f), "supplied `x`/`va` differ")
  expect_identical(unname(tab$Z[1, 2:4]), rep(1e-320, 3))
  expect_equal(tab$imbalance, sum(t$Z[1, 2:4]), tolerance = 1e-9)
})

test_that("the Inf policy on value-added sums and on aggregated groups; mixed archives", {
  f <- oecd_csv()
  l <- readLines(f)
  r <- grep("^(TLS|VA),", l)
  for (k in r) csv_set(f, k, 2, "1e308")
  expect_error(read_icio(f), "\\(ICIO2023_2019.csv, its value-added block\\) has sums past the largest double .*column of AUS.A01_02 sums to Inf")
  # aggregate(): every cell and every row and column sum finite, the
  # sums of the groups not
  t <- gvc_small(G = 3L, N = 2L, F = 1L, zero = FALSE)
  Z <- t$Z
  Z[1, 3] <- Z[2, 4] <- 1e308
  tab <- suppressWarnings(icio(Z, t$Y, t$countries, t$sectors))
  expect_s3_class(suppressWarnings(aggregate(tab, countries = list(BC = c("BBB", "CCC")))), "icio")
  expect_error(suppressWarnings(aggregate(tab, countries = list(BC = c("BBB", "CCC")),
                                          sectors = list(S = c("S1", "S2")))),
               "`x` summed into these groups has `Z` cells past the largest double")
  # a folder with an Eora26 and an EXIOBASE table
  w <- dirname(f)
  write_exio(exio_fixture(), file.path(w, "mixed", "exio"))
  write_eora(eora_fixture(), file.path(w, "mixed", "eora"))
  expect_error(read_icio(file.path(w, "mixed")), "\\(mixed\\) holds both an Eora26 and an EXIOBASE 3 table")
})
