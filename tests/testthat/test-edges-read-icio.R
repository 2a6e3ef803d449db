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
