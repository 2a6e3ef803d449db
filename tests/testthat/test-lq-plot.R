test_that("plot_lq() draws the study's Figure 1 and returns its input invisibly", {
  f <- tempfile(fileext = ".pdf")
  grDevices::pdf(f)
  on.exit({ grDevices::dev.off(); unlink(f) })
  expect_invisible(out <- plot_lq(bengbu))
  expect_identical(out, bengbu)
  v <- c(`2018` = 0.9, `2019` = 1.1, `2020` = 1.3)
  expect_identical(withVisible(plot_lq(v))$value, v)
  expect_false(withVisible(plot_lq(v))$visible)
  expect_identical(plot_lq(unname(v), time = 2001:2003, labels = FALSE,
                           main = "m", col = "red"), unname(v))
  expect_identical(plot_lq(c(1.2, NA, 0.8)), c(1.2, NA, 0.8))
  p <- data.frame(t = 1:3, lq = c(1, 2, 3))
  expect_identical(plot_lq(p, time = "t"), p)
})

test_that("`years` still works this release, with a deprecation warning", {
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  v <- c(0.9, 1.1, 1.3)
  expect_warning(out <- plot_lq(v, years = 2001:2003), "`years` is deprecated; use `time`")
  expect_identical(out, v)
  p <- data.frame(t = 1:3, lq = c(1, 2, 3))
  expect_warning(plot_lq(p, years = "t"), "`years` is deprecated")
  expect_warning(expect_error(plot_lq(bengbu, years = "yr"), "`time` names column"),
                 "deprecated")
  expect_no_warning(plot_lq(p, time = "t"))
})

# a panel as lq() returns it: 3 cities x 2 industries x 3 years, rows shuffled
panel_lq <- function() {
  g <- expand.grid(year = 2017:2019, city = c("A", "B", "C"),
                   industry = c("glass", "chips"), stringsAsFactors = FALSE)
  g$lq <- seq(0.5, by = 0.1, length.out = nrow(g))
  g[c(18:1), ]
}

test_that("a panel gives one series per region x industry, each sorted by time", {
  p <- panel_lq()
  s <- gvcluster:::lq_series(p)
  expect_identical(s$keys, c("city", "industry"))
  expect_setequal(names(s$series), c("A / glass", "B / glass", "C / glass",
                                     "A / chips", "B / chips", "C / chips"))
  # by hand: B / chips is rows 13:15 of the grid, values 0.5 + 0.1 * (12:14)
  expect_equal(s$series[["B / chips"]]$t, c(2017, 2018, 2019))
  expect_equal(s$series[["B / chips"]]$y, 0.5 + 0.1 * (12:14), tolerance = 1e-12)
  # selections by column values and by labels
  s2 <- gvcluster:::lq_series(p, series = list(city = "A"))
  expect_setequal(names(s2$series), c("A / glass", "A / chips"))
  s3 <- gvcluster:::lq_series(p, series = c("C / glass", "A / chips"))
  expect_identical(names(s3$series), c("C / glass", "A / chips"))
  expect_equal(s3$series[["C / glass"]]$y, 0.5 + 0.1 * (6:8), tolerance = 1e-12)
  # explicit key columns; one key gives one series per city (then duplicates)
  s4 <- gvcluster:::lq_series(p, region = "city", industry = "industry")
  expect_identical(names(s4$series), names(s$series))
  expect_error(gvcluster:::lq_series(p, region = "city"),
               "has more than one row for series \"[ABC]\" at year 20")
  # the result of lq() on a panel
  q <- lq(data.frame(year = rep(2018:2019, each = 4),
                     r = rep(c("a", "a", "b", "b"), 2),
                     i = rep(c("x", "y"), 4),
                     v = c(1, 3, 2, 2, 1, 4, 2, 2)), "v", "r", "i", by = "year")
  sq <- gvcluster:::lq_series(q)
  expect_identical(sort(names(sq$series)), c("a / x", "a / y", "b / x", "b / y"))
  expect_equal(sq$series[["a / x"]]$y, c((1 / 4) / (3 / 8), (1 / 5) / (3 / 9)))
})

test_that("plot_lq() draws a panel with a legend and refuses too many series", {
  f <- tempfile(fileext = ".png")
  grDevices::png(f, width = 800, height = 500)
  p <- panel_lq()
  expect_identical(plot_lq(p), p)
  expect_identical(plot_lq(p, series = list(industry = "glass"), col = "black"), p)
  grDevices::dev.off()
  expect_gt(file.size(f), 3000)
  unlink(f)
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  many <- expand.grid(year = 1:2, r = letters[1:3], i = LETTERS[1:3],
                      stringsAsFactors = FALSE)
  many$lq <- 1
  expect_error(plot_lq(many), "holds 9 series \\(r x i\\); plot_lq\\(\\) draws at most 8")
  expect_identical(plot_lq(many, series = list(r = "a")), many)
})

test_that("plot_lq() rejects bad input naming the argument", {
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_error(plot_lq("a"), "`x` must be a numeric vector or a data frame")
  expect_error(plot_lq(data.frame(year = 1, v = 2)), "`x` must have a column named")
  expect_error(plot_lq(bengbu, time = "yr"), "`time` names column")
  expect_error(plot_lq(c(1, 2), time = 1), "`time` must be numeric")
  expect_error(plot_lq(data.frame(year = "a", LQ = 1)), "`time` must name a numeric")
  expect_error(plot_lq(c(1, 2), labels = NA), "`labels` must be TRUE or FALSE")
  p <- panel_lq()
  expect_snapshot(error = TRUE, {
    plot_lq(p, series = c("A / glass", "Z / none"))
    plot_lq(p, series = list(town = "A"))
    plot_lq(p, series = list(city = "Z"))
    plot_lq(p, series = 3)
    plot_lq(c(1, 2), series = "a")
    plot_lq(rbind(p, p))
  })
})

test_that("plot_lq() refuses empty input and infinite values with clear errors", {
  pdf(NULL)
  on.exit(dev.off())
  expect_snapshot(error = TRUE, plot_lq(numeric(0)))
  expect_snapshot(error = TRUE, plot_lq(c(`2010` = NA_real_, `2011` = NA_real_)))
  expect_snapshot(error = TRUE, plot_lq(c(`2010` = 1, `2011` = Inf)))
  # a series with one NA still draws
  expect_silent(plot_lq(c(`2010` = 1, `2011` = NA, `2012` = 1.2)))
})

test_that("plot_lq(): beyond 8 series the error suggests a selection that plot_lq() accepts", {
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  # 3 regions x 10 industries: the first region alone still has 10 series,
  # the first industry has 3
  many <- expand.grid(year = 1:2, r = c("a", "b", "c"), i = sprintf("i%02d", 1:10),
                      stringsAsFactors = FALSE)
  many$lq <- 1
  msg <- tryCatch(plot_lq(many), error = conditionMessage)
  expect_match(msg, "holds 30 series")
  sel <- regmatches(msg, regexpr("series = list\\([^)]*\\)", msg))
  expect_length(sel, 1L)
  expect_match(sel, 'i = "i01"', fixed = TRUE)
  expect_match(msg, "(3 series)", fixed = TRUE)
  # the suggestion, evaluated as written, is accepted
  expect_identical(eval(parse(text = sprintf("plot_lq(many, %s)", sel))), many)
  # when no single value leaves at most 8, the labels of a few series
  big <- expand.grid(year = 1:2, r = sprintf("r%02d", 1:9), i = sprintf("i%02d", 1:9),
                     stringsAsFactors = FALSE)
  big$lq <- 1
  msg <- tryCatch(plot_lq(big), error = conditionMessage)
  sel <- regmatches(msg, regexpr("series = c\\([^)]*\\)", msg))
  expect_length(sel, 1L)
  expect_identical(eval(parse(text = sprintf("plot_lq(big, %s)", sel))), big)
})

test_that("plot_lq(): long legend entries are wrapped onto lines of at most 22 characters", {
  lab <- c("Bengbu / silicon", "Wuhu and Ma'anshan metropolitan area / photovoltaic glass",
           "x / averyveryveryverylongindustrynamewithoutspaces")
  w <- gvcluster:::lq_legend_labels(lab)
  expect_identical(w[1], lab[1])
  lines <- strsplit(w, "\n", fixed = TRUE)
  expect_true(all(nchar(unlist(lines)) <= 22L))
  # nothing but the cut long word is lost: the words come back in order
  expect_identical(paste(lines[[2]], collapse = " "), lab[2])
  expect_match(w[3], "...", fixed = TRUE)
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  p <- expand.grid(year = 2018:2019, region = c("Wuhu and Ma'anshan metropolitan area", "Bengbu"),
                   industry = "photovoltaic glass", stringsAsFactors = FALSE)
  p$lq <- c(1.2, 1.3, 0.8, 0.9)
  expect_identical(plot_lq(p), p)
})

test_that("`time` and `years` together, and unknown graphical arguments, are errors", {
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  pd <- data.frame(year = rep(2015:2019, each = 4), region = rep(c("A", "A", "B", "B"), 5),
                   industry = rep(c("x", "y"), 10), value = 1:20)
  l <- lq(pd, by = "year")
  expect_snapshot(error = TRUE, plot_lq(l, time = "year", years = "year"))
  expect_error(plot_lq(c(1, 2), time = 1:2, years = 1:2), "give only `time`")
  expect_snapshot(error = TRUE, plot_lq(l, foo = 1))
  expect_no_warning(plot_lq(l, col = 1:4, lwd = 1, cex.main = 0.8))
})
