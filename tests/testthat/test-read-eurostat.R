# read_eurostat() and nuts_level(): Eurostat's bulk TSV tables, written by
# es_write() (helper-read-regional.R) from cells defined here; the expected
# values, times and flags are written out by hand beside the cells.

es_codes <- data.frame(freq = "A", unit = "THS",
                       nace_r2 = c("A", "A", "C", "C", "TOTAL", "TOTAL"),
                       geo = c("AT11", "EU27_2020", "AT11", "EU27_2020", "AT11", "EU27_2020"),
                       stringsAsFactors = FALSE)
es_cells <- matrix(c(
  "12.1 ",   "11.9 p",   ": ",
  "9000 ",   "9100.5 e", "9200 bep",
  ": c",     "26 ",      "27.25 p ",
  "32000 ",  ":",        "-1.5 ",
  "100 ",    "101 ",     "102 p",
  "200000",  "201000 ",  ": z"), 6, byrow = TRUE)
es_values <- c(12.1, 11.9, NA, 9000, 9100.5, 9200, NA, 26, 27.25, 32000, NA, -1.5,
               100, 101, 102, 200000, 201000, NA)
es_flags <- c("", "p", "", "", "e", "bep", "c", "", "p", "", "", "", "", "", "p",
              "", "", "z")

es_expect <- function(time) {
  data.frame(freq = "A", unit = "THS",
             nace_r2 = rep(c("A", "A", "C", "C", "TOTAL", "TOTAL"), each = 3),
             geo = rep(c("AT11", "EU27_2020"), each = 3, times = 3),
             time = rep(time, 6), values = es_values, flags = es_flags,
             stringsAsFactors = FALSE)
}

test_that("both header variants, gzipped or not, read to the same long table", {
  td <- withr::local_tempdir()
  exp <- es_expect(2017:2019)
  for (h in c("TIME_PERIOD", "time")) for (gz in c(FALSE, TRUE)) {
    p <- file.path(td, paste0("nama_10r_3empers_", h, if (gz) ".tsv.gz" else ".tsv"))
    es_write(p, es_codes, c("2017", "2018", "2019"), es_cells, header = h, gz = gz)
    x <- read_eurostat(p)
    expect_identical(x, exp, info = basename(p))
    expect_type(x$time, "integer")
    expect_type(x$values, "double")
    expect_identical(class(x), "data.frame")
  }
  # a gzipped file is gzipped
  p <- file.path(td, "nama_10r_3empers_time.tsv.gz")
  con <- file(p, "rb"); magic <- readBin(con, "raw", 2L); close(con)
  expect_identical(magic, as.raw(c(0x1f, 0x8b)))
  # CRLF line ends and no trailing blanks after the periods
  p2 <- file.path(td, "crlf.tsv")
  es_write(p2, es_codes, c("2017", "2018", "2019"), es_cells, pad = FALSE)
  writeBin(charToRaw(gsub("\n", "\r\n", paste(readLines(p2), collapse = "\n"))), p2)
  expect_identical(read_eurostat(p2), exp)
})

test_that("quarterly and monthly periods stay text", {
  td <- withr::local_tempdir()
  for (per in list(c("2019Q1", "2019Q2", "2019Q3"), c("2019-Q1", "2019-Q2", "2019-Q3"),
                   c("2019M01", "2019M02", "2019M03"), c("2019-01", "2019-02", "2019-03"))) {
    p <- file.path(td, "q.tsv")
    es_write(p, es_codes, per, es_cells)
    x <- read_eurostat(p)
    expect_identical(x, es_expect(per))
    expect_type(x$time, "character")
  }
})

test_that("an empty table (header only) gives zero rows with every column", {
  td <- withr::local_tempdir()
  p <- file.path(td, "empty.tsv")
  writeLines("unit,geo\\TIME_PERIOD\t2019 \t2020 ", p)
  x <- read_eurostat(p)
  expect_identical(names(x), c("unit", "geo", "time", "values", "flags"))
  expect_identical(nrow(x), 0L)
  expect_type(x$time, "integer")
})

test_that("bad files are errors naming the file and what was found", {
  td <- withr::local_tempdir()
  p <- function(nm) file.path(td, nm)
  writeLines(c("geo,unit,value", "AT11,THS,12"), p("a.csv"))
  expect_error(read_eurostat(p("a.csv")),
               "`file` \"a.csv\" is not a Eurostat bulk TSV file: its first header cell \\(\"geo,unit,value\"\\) does not end in \\\\TIME_PERIOD or \\\\time")
  es_write(p("ok.tsv"), es_codes, c("2017", "2018", "2019"), es_cells)
  lines <- readLines(p("ok.tsv"))
  # truncated: the last line cut after its codes and first cell
  # ("A,THS,TOTAL,EU27_2020" is 21 characters, then a tab and "200000")
  writeLines(c(lines[1:6], substr(lines[7], 1, 28)), p("cut.tsv"))
  expect_error(read_eurostat(p("cut.tsv")),
               "`file` \"cut.tsv\" is truncated or damaged: line 7 has 2 cells, the header 4")
  # a cell that is not a number
  bad <- lines; bad[3] <- sub("9100.5 e", "91O0.5 e", bad[3], fixed = TRUE)
  writeLines(bad, p("bad.tsv"))
  expect_error(read_eurostat(p("bad.tsv")),
               "`file` \"bad.tsv\": line 3, period \"2018\" has \"91O0.5 e\", not a number \\(with flags\\) or \":\"")
  # codes that do not match the dimensions
  bad <- lines; bad[4] <- sub("A,THS,C,AT11", "A,THS,AT11", bad[4], fixed = TRUE)
  writeLines(bad, p("dims.tsv"))
  expect_error(read_eurostat(p("dims.tsv")),
               "\"dims.tsv\": line 4 has 3 codes \\(\"A,THS,AT11\"\\), the header 4 dimensions")
  # a dimension named like a result column
  writeLines(c("unit,time\\TIME_PERIOD\t2019 ", "THS,x\t1 "), p("clash.tsv"))
  expect_error(read_eurostat(p("clash.tsv")), "a dimension is named \"time\"")
  # empty and binary files, a corrupt gzip
  file.create(p("empty.tsv"))
  expect_error(read_eurostat(p("empty.tsv")), "`file` \"empty.tsv\" is empty")
  gz <- memCompress(charToRaw(paste(lines, collapse = "\n")), "gzip")
  writeBin(gz[seq_len(length(gz) %/% 2)], p("half.tsv.gz"))
  expect_error(read_eurostat(p("half.tsv.gz")), "\"half.tsv.gz\"")
  expect_error(read_eurostat(p("none.tsv")), "`file` names no file")
  expect_error(read_eurostat(c("a", "b")), "`file` must be a single non-empty string")
  expect_error(read_eurostat(p("ok.tsv"), 1), "`...` must be empty")
})

test_that("nuts_level() follows the NUTS code lengths", {
  expect_identical(nuts_level(c("AT", "AT1", "AT13", "AT130", "EL30", "ATZ", "ATZZZ",
                                "EU27_2020", "EA20", "EU28", "EA", "at13", "AT1300",
                                "A", NA, "")),
                   c(0L, 1L, 2L, 3L, 2L, 1L, 3L, NA, NA, NA, NA, NA, NA, NA, NA, NA))
  expect_identical(nuts_level(factor(c("DE", "DE1"))), c(0L, 1L))
  expect_identical(nuts_level(character()), integer())
  expect_error(nuts_level(1:3), "`geo` must be a character vector")
})

test_that("read_eurostat() results go into lq() and specialization()", {
  td <- withr::local_tempdir()
  p <- file.path(td, "t.tsv")
  codes <- data.frame(nace_r2 = rep(c("A", "C", "G"), each = 3),
                      geo = rep(c("AT11", "AT12", "AT13"), 3), stringsAsFactors = FALSE)
  cells <- matrix(c("10 ", "11 p", "20 ", "22 p", "30 ", ": c",
                    "5 ", "6 p", "15 ", "16 p", "25 e", "26 p",
                    "1 ", "2 p", "3 ", "4 p", "5 ", "6 p"), 9, byrow = TRUE)
  es_write(p, codes, c("2018", "2019"), cells)
  x <- read_eurostat(p)
  y <- x[x$time == 2018L, ]
  out <- lq(y, value = "values", region = "geo", industry = "nace_r2")
  # by hand: 2018 table, rows A, C, G; columns AT11, AT12, AT13
  m <- matrix(c(10, 20, 30, 5, 15, 25, 1, 3, 5), 3, byrow = TRUE)
  hand <- (m / rep(colSums(m), each = 3)) / (rowSums(m) / sum(m))
  expect_equal(out$lq, as.vector(t(hand)), tolerance = 1e-14)
  s <- specialization(y, "krugman", value = "values", region = "geo", industry = "nace_r2")
  sh <- m / rep(colSums(m), each = 3)
  expect_equal(s$krugman, unname(colSums(abs(sh - rowSums(m) / sum(m)))), tolerance = 1e-14)
  # the NA of 2019 (": c") is kept as NA with its flag
  z <- x[x$time == 2019L & x$geo == "AT13" & x$nace_r2 == "A", ]
  expect_true(is.na(z$values)); expect_identical(z$flags, "c")
})

test_that("error messages read well", {
  td <- withr::local_tempdir()
  p <- file.path(td, "nama_10r_3empers.tsv")
  es_write(p, es_codes, c("2017", "2018", "2019"), es_cells)
  lines <- readLines(p)
  writeLines(c(lines[1:6], substr(lines[7], 1, 28)), p)
  expect_snapshot(read_eurostat(p), error = TRUE)
  bad <- lines; bad[6] <- sub("100 ", "100 P", bad[6], fixed = TRUE)
  writeLines(bad, p)
  expect_snapshot(read_eurostat(p), error = TRUE)
  writeLines(c("geo;unit;2019", "AT11;THS;12"), p)
  expect_snapshot(read_eurostat(p), error = TRUE)
  writeLines(c("geo\\TIME_PERIOD", "AT11"), p)
  expect_snapshot(read_eurostat(p), error = TRUE)
})
