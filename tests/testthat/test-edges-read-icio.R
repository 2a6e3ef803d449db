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
