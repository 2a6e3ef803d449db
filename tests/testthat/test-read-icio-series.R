# aggregate() on icio tables, tables over years, and their plots.

test_that("aggregate() sums blocks as a hand computation does", {
  io <- icio_example
  agg <- aggregate(io, countries = list(DJ = c("DEU", "JPN")),
                   sectors = data.frame(code = io$sectors, group = c("A", "B", "B", "C")))
  expect_identical(agg$countries, c("CHN", "USA", "DJ", "ROW"))
  expect_identical(agg$sectors, c("A", "B", "C"))
  expect_identities(agg)
  # hand computation: the DJ.B row and CHN.B column sum four rows/two columns
  rows <- c("DEU.MAT", "DEU.MAN", "JPN.MAT", "JPN.MAN")
  cols <- c("CHN.MAT", "CHN.MAN")
  expect_equal(agg$Z["DJ.B", "CHN.B"], sum(io$Z[rows, cols]))
  expect_equal(agg$Z["DJ.B", "DJ.B"], sum(io$Z[rows, rows]))
  expect_equal(agg$Y["DJ.B", "DJ.INV"], sum(io$Y[rows, c("DEU.INV", "JPN.INV")]))
  expect_equal(unname(agg$x["DJ.B"]), sum(io$x[rows]))
  expect_equal(unname(agg$va["DJ.B"]), sum(io$va[rows]))
  expect_equal(sum(agg$va), sum(io$va))
  expect_equal(sum(agg$Y), sum(io$Y))
  # nothing to group gives the same table
  same <- aggregate(io)
  expect_equal(same$Z, io$Z)
  expect_equal(same$Y, io$Y)
})

test_that("aggregate() keeps the China/Mexico splits unless a group names them", {
  tab <- read_icio(system.file("extdata", "icio2023_2016.csv", package = "gvcluster"))
  a <- aggregate(tab, countries = list(NAM = c("USA", "DEU")))
  expect_identical(a$splits, tab$splits)
  expect_identities(a)
  expect_equal(unname(a$primary["TLS", "NAM.C23"]), sum(tab$primary["TLS", c("USA.C23", "DEU.C23")]))
  expect_equal(sum(a$primary), sum(tab$primary))
  b <- aggregate(tab, countries = list(CNX = c("CN1", "CN2")))
  expect_identical(b$splits, c(MX1 = "MEX", MX2 = "MEX", CNX = "CHN"))
  expect_identities(b)
  m <- aggregate(tab, countries = list(CHN = c("CHN", "CN1", "CN2"), MEX = c("MEX", "MX1", "MX2")))
  expect_length(m$splits, 0L)
  expect_identical(m$countries, c("CHN", "DEU", "MEX", "USA", "ROW"))
  expect_identities(m)
  expect_equal(m$Z["CHN.C23", "USA.C23"],
               sum(tab$Z[c("CHN.C23", "CN1.C23", "CN2.C23"), "USA.C23"]))
  k <- aggregate(tab, countries = list(NAFTA = c("USA", "MEX")))
  expect_identical(unname(k$splits[c("MX1", "MX2")]), c("NAFTA", "NAFTA"))
  expect_identities(k)
})

test_that("aggregate() errors name the argument and the codes", {
  tab <- read_icio(system.file("extdata", "icio2023_2016.csv", package = "gvcluster"))
  expect_snapshot(aggregate(tab, countries = list(EU = c("DEU", "FRA", "ITA"))), error = TRUE)
  expect_snapshot(aggregate(tab, sectors = data.frame(a = "C99", b = "X")), error = TRUE)
  expect_snapshot(aggregate(tab, countries = list(A = "DEU", B = "DEU")), error = TRUE)
  expect_snapshot(aggregate(tab, countries = list(X = c("CN1", "MX1"))), error = TRUE)
  expect_snapshot(aggregate(tab, countries = list(DEU = "USA")), error = TRUE)
  expect_snapshot(aggregate(tab, countries = c("DEU", "USA")), error = TRUE)
})

test_that("a series gives one long data frame by year, equal to the years' own", {
  f <- list.files(system.file("extdata", package = "gvcluster"), "^icio2023_", full.names = TRUE)
  s <- read_icio(f)
  expect_s3_class(s, "icio_series")
  expect_identical(names(s), c("2016", "2018", "2020"))
  gi <- gvc_index(s, level = "sector")
  expect_s3_class(gi, "gvc_index_series")
  expect_identical(unique(gi$year), c(2016, 2018, 2020))
  one <- as.data.frame(gvc_index(s[["2018"]], level = "sector"))
  got <- as.data.frame(gi)[gi$year == 2018, -1]
  rownames(got) <- NULL
  expect_equal(got, one)
  d <- gvc_decompose(s, "kww")
  expect_identical(names(d)[1:2], c("year", "country"))
  k20 <- as.data.frame(gvc_decompose(s[["2020"]], "kww"))
  got <- d[d$year == 2020, -1]
  rownames(got) <- NULL
  expect_equal(got, k20)
  # year labels given
  s2 <- read_icio(f[1:2], year = c("a", "b"))
  expect_identical(names(s2), c("a", "b"))
  s3 <- icio_series(icio_example, icio_example, year = 2001:2002)
  expect_identical(names(s3), c("2001", "2002"))
  expect_snapshot(print(s))
  expect_snapshot(icio_series(icio_example, 1), error = TRUE)
  expect_snapshot(icio_series(icio_example, year = 1:2), error = TRUE)
})

test_that("plot() draws participation and position over time and one year's scatter", {
  f <- list.files(system.file("extdata", package = "gvcluster"), "^icio2023_", full.names = TRUE)
  gi <- gvc_index(read_icio(f), level = "sector")
  png(tmp <- tempfile(fileext = ".png"))
  on.exit({ grDevices::dev.off(); unlink(tmp) }, add = TRUE)
  expect_invisible(plot(gi, country = c("DEU", "USA"), sector = "C23"))
  expect_invisible(plot(gi, year = 2020))
  expect_snapshot(plot(gi, country = "FRA"), error = TRUE)
  expect_snapshot(plot(gi, year = 1999), error = TRUE)
  expect_snapshot(plot(gi), error = TRUE)
})

test_that("a zip of yearly OECD CSV files reads as a series, or the years asked for", {
  f <- list.files(system.file("extdata", package = "gvcluster"), "^icio2023_", full.names = TRUE)
  d <- dirname(withr_tempfile("x"))
  file.copy(f, file.path(d, sub("icio2023_", "", basename(f))))
  z <- file.path(d, "2016-2020_EXT.zip")
  old <- setwd(d); on.exit(setwd(old), add = TRUE)
  utils::zip(z, c("2016.csv", "2018.csv", "2020.csv"), flags = "-q")
  setwd(old)
  s <- read_icio(z)
  expect_identical(names(s), c("2016", "2018", "2020"))
  expect_equal(s[["2018"]]$Z, read_icio(f[2])$Z)
  one <- read_icio(z, year = 2020)
  expect_s3_class(one, "icio")
  expect_identical(one$year, "2020")
})

test_that("aggregate(): unnamed groups and corrupted tables are clear errors (issue 27)", {
  tab <- icio_example
  expect_error(aggregate(tab, countries = stats::setNames(list(c("USA", "DEU")), NA)),
               "`countries` has a group without a name \\(group 1 is named NA\\)")
  expect_error(aggregate(tab, sectors = stats::setNames(list(tab$sectors[1:2], tab$sectors[3]), c("AB", ""))),
               "`sectors` has a group without a name \\(group 2 is named \"\"\\)")
  expect_error(aggregate(tab, countries = list(DJ = c("DEU", NA))), "`countries` must not contain NA country codes")
  u <- unclass(tab); u$Z <- u$Z[-1, ]; class(u) <- "icio"
  expect_error(aggregate(u, countries = list(DJ = c("DEU", "JPN"))), "`x` is not a valid `icio` table \\(`Z` is not")
  u <- unclass(tab); u$countries <- u$countries[-1]; class(u) <- "icio"
  expect_error(aggregate(u), "`x` is not a valid `icio` table \\(`G` differs")
})

test_that("an empty series prints as empty (issue 27)", {
  s <- icio_series(icio_example, icio_example, year = c(2001, 2002))
  expect_output(print(s[0]), "<icio_series> empty: no tables")
  expect_length(s[0], 0L)
})
