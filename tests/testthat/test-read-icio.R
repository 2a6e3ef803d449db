# read_icio(): OECD ICIO (2016, 2018, 2021, 2023/2025 layouts) and WIOD 2016.
# Oracles: the matrices the fixtures were written from (helper-read-icio.R),
# the accounting identities, and exvatools' shipped ICIO test table.

test_that("OECD 2023/2025 layout: blocks, splits, identities", {
  t <- oecd_fixture(1)
  f <- withr_tempfile("2020.csv")
  write_oecd(t, f, "2023")
  tab <- read_icio(f)
  expect_s3_class(tab, "icio")
  expect_blocks(tab, t, rbind(TLS = t$tls, VA = t$vaa))
  expect_identities(tab)
  expect_identical(tab$splits, c(MX1 = "MEX", MX2 = "MEX", CN1 = "CHN", CN2 = "CHN"))
  expect_identical(tab$destinations, c("AUS", "CHN", "MEX", "USA", "ROW"))
  expect_identical(tab$year, "2020")
  expect_identical(tab$source, "oecd 2023-2025")
  # the CHN and MEX body rows are zero; their final demand comes from the splits
  expect_true(all(tab$Z[grep("^(CHN|MEX)\\.", rownames(tab$Z)), ] == 0))
  expect_gt(sum(tab$Y[grep("^CN1\\.", rownames(tab$Y)), grep("^USA\\.", colnames(tab$Y))]), 0)
  # independent read with base R gives the same Z
  raw <- utils::read.csv(f, check.names = FALSE, row.names = 1)
  expect_equal(unname(as.matrix(raw[1:36, 1:36])), unname(tab$Z), tolerance = 1e-15)
})

test_that("OECD 2021 and 2018 layouts (TOTAL/OUTPUT, TLS/VA or TAXSUB/VALU)", {
  t <- oecd_fixture(2)
  f21 <- withr_tempfile("ICIO2021_2015.csv")
  write_oecd(t, f21, "2021")
  tab <- read_icio(f21)
  expect_blocks(tab, t, rbind(TLS = t$tls, VA = t$vaa))
  expect_identities(tab)
  expect_identical(tab$year, "2015")
  expect_identical(tab$source, "oecd 2021")
  f18 <- withr_tempfile("ICIO2018_2010.CSV")
  write_oecd(t, f18, "2018")
  tab <- read_icio(f18)
  expect_blocks(tab, t)
  expect_identical(rownames(tab$primary), c(paste0(t$dest, "_TAXSUB"), "VALU"))
  expect_equal(unname(colSums(tab$primary[1:5, ])), t$tls, tolerance = 1e-12)
  expect_identities(tab)
  expect_identical(tab$source, "oecd 2018")
  expect_identical(tab$year, "2010")
})

test_that("OECD 2016 layout: category-first final demand and DISC", {
  t <- fake_table(c("AUS", "NZL", "CHN", "PER", "CN1", "CN2"),
                  c("C01T05AGR", "C10T14MIN", "C26NMM"),
                  c("HFCE", "NPS", "GGFC", "GFCF", "INV", "DIRP"),
                  splits = c(CN1 = "CHN", CN2 = "CHN"), seed = 3)
  f <- withr_tempfile("ICIO2016_2003.csv")
  write_oecd(t, f, "2016")
  expect_message(tab <- read_icio(f), "DISC .* added to inventory changes")
  expect_blocks(tab, t, rbind(`VA+TAXSUB` = t$va))
  expect_identities(tab)
  expect_identical(tab$source, "oecd 2016")
  expect_identical(tab$year, "2003")
})

test_that("OECD: splits can be given, and the demo file reads", {
  t <- oecd_fixture(4)
  f <- withr_tempfile("x.csv")
  write_oecd(t, f, "2023")
  sp <- c(MX1 = "MEX", MX2 = "MEX", CN1 = "CHN", CN2 = "CHN")
  expect_identical(read_icio(f, splits = sp, year = 2001)$splits, sp)
  expect_identical(read_icio(f, year = 2001)$year, "2001")
  expect_error(read_icio(f, splits = NULL), "final-demand categories .* missing MX1 HFCE")
  # whole numbers beyond 2^31 in a column (fread's integer64) read as doubles
  t$Y[, 1] <- round(t$Y[, 1] * 1e9)
  t$x <- rowSums(t$Z) + rowSums(t$Y)
  t$va <- t$x - colSums(t$Z); t$tls <- 0.1 * t$va; t$vaa <- t$va - t$tls
  write_oecd(t, f, "2023")
  expect_blocks(read_icio(f), t)
  demo <- system.file("extdata", "icio2023_2018.csv", package = "gvcluster")
  tab <- read_icio(demo)
  expect_identical(tab$countries, c("CHN", "DEU", "MEX", "USA", "ROW", "MX1", "MX2", "CN1", "CN2"))
  expect_identical(tab$sectors, c("A01_02", "C23", "C26", "G"))
  expect_identities(tab)
})

test_that("OECD: changed or wrong layouts give errors that say what was expected", {
  t <- oecd_fixture(5)
  f <- withr_tempfile("ICIO_bad.csv")
  write_oecd(t, f, "2023")
  l <- readLines(f)
  # value-added rows renamed (a changed release)
  l2 <- l; l2[length(l2) - 2L] <- sub("^TLS", "TAXES", l2[length(l2) - 2L])
  l2[length(l2) - 1L] <- sub("^VA", "GVA", l2[length(l2) - 1L])
  writeLines(l2, f)
  expect_snapshot(read_icio(f, format = "oecd"), error = TRUE)
  # an industry missing for one country
  l3 <- l[-3L]
  writeLines(l3, f)
  expect_snapshot(read_icio(f), error = TRUE)
  # a final-demand category missing for one country
  h <- strsplit(l[1L], ",")[[1]]
  drop <- which(h == "USA_NPISH")
  writeLines(vapply(strsplit(l, ","), function(r) paste(r[-drop], collapse = ","), ""), f)
  expect_snapshot(read_icio(f), error = TRUE)
  # not an ICIO file at all
  writeLines(c("a,b,c", "1,2,3"), f)
  expect_snapshot(read_icio(f), error = TRUE)
  expect_snapshot(read_icio(f, format = "oecd"), error = TRUE)
})

test_that("read_icio() argument errors", {
  expect_snapshot(read_icio(1), error = TRUE)
  expect_snapshot(read_icio("no/such/file.csv"), error = TRUE)
  f <- system.file("extdata", "icio2023_2016.csv", package = "gvcluster")
  expect_snapshot(read_icio(f, format = "oecd2023"), error = TRUE)
  expect_snapshot(read_icio(c(f, f), year = 2001), error = TRUE)
  expect_snapshot(read_icio(c(f, f)), error = TRUE)
  expect_snapshot(read_icio(f, quiet = NA), error = TRUE)
})

test_that("exvatools' ICIO test table, written in the OECD layout, reads as exvatools reads it", {
  skip_if_not_installed("exvatools")
  e <- new.env()
  utils::data("iciotest_data", package = "exvatools", envir = e)
  m <- e$iciotest_data                      # 30 producers x (30 + 12), OECD labels
  rn <- rownames(m); cn <- colnames(m)
  zc <- match(rn, cn); fc <- setdiff(seq_along(cn), zc)
  Z <- m[, zc]; Yfd <- m[, fc]
  x <- rowSums(Z) + rowSums(Yfd)
  va <- x - colSums(Z)
  f <- withr_tempfile("2022.csv")
  rows <- c(paste(c("", rn, cn[fc], "OUT"), collapse = ","),
            vapply(seq_along(rn), function(i)
              paste(c(rn[i], num(Z[i, ]), num(Yfd[i, ]), num(x[i])), collapse = ","), ""),
            paste(c("TLS", num(0.1 * va), rep(0, length(fc)), num(0.1 * sum(va))), collapse = ","),
            paste(c("VA", num(0.9 * va), rep(0, length(fc)), num(0.9 * sum(va))), collapse = ","),
            paste(c("OUT", num(x), num(colSums(Yfd)), num(sum(x))), collapse = ","))
  writeLines(rows, f)
  tab <- read_icio(f)
  expect_identities(tab)
  expect_identical(tab$splits, c(MX1 = "MEX", MX2 = "MEX", CN1 = "CHN", CN2 = "CHN"))
  expect_identical(tab$final_demand, c("CONS", "INVST"))
  # make_wio() finds its data on the search path
  suppressPackageStartupMessages(library(exvatools))
  on.exit(detach("package:exvatools"), add = TRUE)
  w <- suppressMessages(exvatools::make_wio("iciotest", quiet = TRUE))
  expect_equal(unname(tab$Z), unname(w$Z), tolerance = 1e-12)
  expect_equal(unname(tab$x), as.vector(w$X), tolerance = 1e-12)
  expect_equal(unname(tab$va), as.vector(w$VA), tolerance = 1e-9)
  # exvatools' final demand by destination country = ours summed over categories
  Yc <- tab$Y %*% kronecker(diag(6), matrix(1, 2, 1))
  expect_equal(unname(Yc), unname(w$Y[, 1:6]), tolerance = 1e-12)
})

test_that("WIOD 2016: R data and CSV export of `wiot`", {
  t <- wiod_fixture()
  w <- wiod_wiot(t, 2014)
  f <- withr_tempfile("WIOT2014_October16_ROW.RData")
  wiot <- w
  save(wiot, file = f)
  tab <- read_icio(f)
  prim <- rbind(TXSP = 0.1 * t$va, EXP_adj = 0.01 * t$va, PURR = 0.02 * t$va,
                PURNR = -0.03 * t$va, VA = 0.88 * t$va, IntTTM = 0.02 * t$va)
  expect_blocks(tab, t, prim)
  expect_identities(tab)
  expect_identical(tab$year, "2014")
  expect_identical(tab$final_demand, c("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"))
  fc <- withr_tempfile("wiot2014.csv")
  utils::write.csv(w, fc, row.names = FALSE)
  tab2 <- read_icio(fc)
  expect_equal(tab2$Z, tab$Z, tolerance = 1e-14)
  expect_identical(tab2$source, "wiod2016")
  # wrong objects and layouts
  other <- 1
  fo <- withr_tempfile("other.RData")
  save(other, file = fo)
  expect_snapshot(read_icio(fo), error = TRUE)
  wiot <- w[w$IndustryCode != "GO", ]
  save(wiot, file = f)
  expect_snapshot(read_icio(f), error = TRUE)
  wiot <- w[, names(w) != "RNr"]
  save(wiot, file = f)
  expect_snapshot(read_icio(f), error = TRUE)
})

test_that("without data.table small files are read with base R, large ones refused", {
  t <- oecd_fixture(8)
  f <- withr_tempfile("2019.csv")
  write_oecd(t, f, "2023")
  old <- options(gvcluster.fread = FALSE)
  on.exit(options(old), add = TRUE)
  tab <- read_icio(f)
  expect_blocks(tab, t, rbind(TLS = t$tls, VA = t$vaa))
  expect_identical(tab$splits, c(MX1 = "MEX", MX2 = "MEX", CN1 = "CHN", CN2 = "CHN"))
  big <- withr_tempfile("2018.csv")
  writeLines(c(readLines(f, n = 1L), rep(paste(rep("1.5", 1500L), collapse = ","), 1200L)), big)
  expect_snapshot(read_icio(big), error = TRUE, transform = function(x) sub("[0-9]+ MB", "N MB", x))
})

test_that("numeric blocks: integer columns read as the numbers the file holds", {
  t <- oecd_fixture(9)
  # whole numbers everywhere in the industry columns, so that the readers
  # return them as integer columns; the final-demand columns hold the taxes
  # 1.5 of the file's TLS row, so they stay doubles
  t$Z <- round(t$Z * 1000)
  t$Y <- round(t$Y * 1000)
  t$x <- rowSums(t$Z) + rowSums(t$Y)
  t$va <- t$x - colSums(t$Z); t$tls <- round(0.1 * t$va); t$vaa <- t$va - t$tls
  f <- withr_tempfile("2017.csv")
  write_oecd(t, f, "2023")
  raw <- utils::read.csv(f, check.names = FALSE, row.names = 1)
  n <- t$n
  zcols <- colnames(raw)[1:n]
  expect_true(all(vapply(raw[zcols], is.integer, NA)))
  expect_true(all(vapply(raw[n + seq_len(ncol(t$Y))], is.double, NA)))
  lab <- paste(rep(t$countries, each = t$N), rep(t$sectors, t$G), sep = ".")
  fdl <- paste(rep(t$dest, each = t$F), rep(t$cats, length(t$dest)), sep = ".")
  check <- function(tab) {
    # oracle: base R's matrix of the data frame read by read.csv
    Zo <- as.matrix(raw[1:n, 1:n]); storage.mode(Zo) <- "double"
    expect_identical(unname(tab$Z), unname(Zo))
    expect_identical(unname(tab$Y), unname(as.matrix(raw[1:n, n + seq_len(ncol(t$Y))])))
    expect_identical(dimnames(tab$Z), list(lab, lab))
    expect_identical(dimnames(tab$Y), list(lab, fdl))
    expect_identical(unname(tab$x), as.numeric(raw[1:n, "OUT"]))
    expect_equal(unname(tab$primary), unname(rbind(t$tls, t$vaa)), tolerance = 0)
    expect_identities(tab)
  }
  if (requireNamespace("data.table", quietly = TRUE)) {
    dt <- data.table::fread(f)
    expect_true(all(vapply(dt[, 2:(n + 1L)], is.integer, NA)))
    check(read_icio(f))
  }
  old <- options(gvcluster.fread = FALSE)
  on.exit(options(old), add = TRUE)
  check(read_icio(f))
})

test_that("numeric blocks: a non-numeric column or empty cells give errors naming them", {
  t <- oecd_fixture(10)
  f <- withr_tempfile("2016.csv")
  write_oecd(t, f, "2023")
  l <- readLines(f)
  cells <- strsplit(l, ",", fixed = TRUE)
  h <- cells[[1L]]
  put <- function(row, col, value) {
    cl <- cells
    for (k in seq_along(row)) cl[[row[k] + 1L]][match(col[k], h)] <- value
    writeLines(vapply(cl, paste, "", collapse = ","), f)
  }
  # text in one industry column (a changed or damaged file)
  put(3L, "USA_C23", "1.5x")
  expect_snapshot(read_icio(f), error = TRUE)
  # and in a final-demand column, read by base R as well
  put(7L, "ROW_GFCF", "n/a")
  expect_snapshot(read_icio(f), error = TRUE)
  old <- options(gvcluster.fread = FALSE)
  expect_error(read_icio(f), "non-numeric values in column \"ROW_GFCF\" of the final-demand block")
  options(old)
  # empty and NA cells: counted, the first named (column-major order)
  put(c(5L, 2L, 9L), c("CHN_C26", "MEX_G", "USA_G"), "")
  expect_snapshot(read_icio(f), error = TRUE)
  put(4L, "AUS_NPISH", "NA")
  expect_snapshot(read_icio(f), error = TRUE)
  # an empty cell in a value-added row
  lv <- l
  lv[length(lv) - 1L] <- sub("^VA,[^,]*,", "VA,,", lv[length(lv) - 1L])
  writeLines(lv, f)
  expect_error(read_icio(f), "1 empty or NA cell in the value-added block .* column \"AUS_A01_02\"")
  # no industry rows at all: the layout error, before any block is copied
  writeLines(l[c(1L, length(l) - 2:0)], f)
  expect_error(read_icio(f), "neither industries, final demand")
})

test_that("numeric blocks: the copy against base R's matrix of the data frame", {
  num_block <- gvcluster:::num_block
  df <- data.frame(lab = c("r1", "r2", "r3", "r4"), i = c(1L, NA, 3L, -4L),
                   d = c(1.5, 2.5, NaN, 1e300), e = NA, s = c("1", "2", "x", "4"),
                   stringsAsFactors = FALSE)
  oracle <- function(rows, cols) {
    m <- as.matrix(df[rows, cols, drop = FALSE])
    storage.mode(m) <- "double"
    unname(m)
  }
  # contiguous rows, rows in another order, zero rows, zero columns
  expect_identical(num_block(df, 1:4, 2:3, "f", "test", na_ok = TRUE), oracle(1:4, 2:3))
  expect_identical(num_block(df, c(4L, 1L, 3L), c(3L, 2L), "f", "test", na_ok = TRUE),
                   oracle(c(4L, 1L, 3L), c(3L, 2L)))
  expect_identical(num_block(df, 2:3, 2:4, "f", "test", na_ok = TRUE), oracle(2:3, 2:4))
  expect_identical(num_block(df, integer(0), 2:3, "f", "test"), oracle(integer(0), 2:3))
  expect_identical(num_block(df, 1:4, integer(0), "f", "test"), oracle(1:4, integer(0)))
  expect_identical(num_block(df, c(1L, 3L), 2L, "f", "test"), oracle(c(1L, 3L), 2L))
  # dimnames arrive with the block
  dn <- list(c("a", "b"), c("I", "D"))
  expect_identical(num_block(df, c(1L, 4L), 2:3, "f", "test", dn),
                   structure(oracle(c(1L, 4L), 2:3), dimnames = dn))
  # NA (an integer NA, a NaN, an all-NA column) counted, the first named
  expect_error(num_block(df, 1:4, 2:4, "f.csv", "test"),
               "has 6 empty or NA cells in the test block \\(f.csv\\); the first in column \"i\", data row 2 \\(\"r2\"\\)")
  expect_error(num_block(df, 3:4, 3L, "f.csv", "test"), "1 empty or NA cell in .* column \"d\", data row 3")
  expect_error(num_block(df, 1:4, c(2L, 5L), "f.csv", "test"),
               "non-numeric values in column \"s\" of the test block \\(f.csv\\)")
  df$e <- c(NA, TRUE, NA, NA)
  expect_error(num_block(df, 1:4, 4L, "f.csv", "test", na_ok = TRUE), "non-numeric values in column \"e\"")
  expect_identical(num_block(df, c(1L, 3L), 4L, "f.csv", "test", na_ok = TRUE), oracle(c(1L, 3L), 4L))
  # an integer column at the limits of int
  df$i <- c(.Machine$integer.max, -.Machine$integer.max, 0L, 1L)
  expect_identical(num_block(df, 1:4, 2L, "f", "test"), oracle(1:4, 2L))
})

test_that("icio() keeps a Z that already carries its names, without copying it", {
  skip_if_not(capabilities("profmem"), "R built without memory profiling")
  t <- oecd_fixture(11)
  lab <- paste(rep(t$countries, each = t$N), rep(t$sectors, t$G), sep = ".")
  fdl <- paste(rep(t$dest, each = t$F), rep(t$cats, length(t$dest)), sep = ".")
  Z <- t$Z; Y <- t$Y
  dimnames(Z) <- list(lab, lab); dimnames(Y) <- list(lab, fdl)
  tracemem(Z); tracemem(Y)
  copies <- utils::capture.output(
    tab <- icio(Z, Y, t$countries, t$sectors, t$cats, splits = t$splits))
  untracemem(Z); untracemem(Y)
  expect_identical(copies, character(0))
  # the same table as from unnamed matrices, which icio() names
  tab0 <- icio(t$Z, t$Y, t$countries, t$sectors, t$cats, splits = t$splits)
  for (k in c("Z", "Y", "x", "va")) expect_identical(tab[[k]], tab0[[k]])
  # output and value added from icio()'s one pass over Z equal base R's sums
  expect_identical(unname(tab$x), unname(rowSums(t$Z) + rowSums(t$Y)))
  expect_identical(unname(tab$va), unname(tab$x) - unname(colSums(t$Z)))
  Zm <- t$Z; Zm[2, 3] <- -1e-300
  expect_error(icio(Zm, Y, t$countries, t$sectors, t$cats, splits = t$splits),
               "`Z` must not contain negative values \\(1 found\\)")
  # a Z with other names is renamed (a copy, as before), the caller's left alone
  Zb <- Z; rownames(Zb)[1] <- "other"
  tabb <- icio(Zb, Y, t$countries, t$sectors, t$cats, splits = t$splits)
  expect_identical(dimnames(tabb$Z), list(lab, lab))
  expect_identical(rownames(Zb)[1], "other")
})
