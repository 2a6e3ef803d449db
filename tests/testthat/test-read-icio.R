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
