# GEM = 2.5 (G E M)^(2/3); sum form: a pair is D1 + D2, mean form (D1 + D2) / 2.

test_that("GEM of hand-scored clusters, both pair forms", {
  # cluster 1: D = (6, 7, 5, 6, 8, 4): G = 13, E = 11, M = 12, G E M = 1716
  #   sum:  2.5 * 1716^(2/3) = 2.5 * 143.33 = 358.33
  #   mean: pairs 6.5, 5.5, 6, product 214.5; 2.5 * 214.5^(2/3) = 89.58
  # cluster 2: D = (4, 5, 3, 4, 5, 2): G = 9, E = 7, M = 7, G E M = 441
  #   sum:  2.5 * 441^(2/3) = 2.5 * 57.93 = 144.84
  # cluster 3: D = (1, 10, 2, 9, 10, 10): G = 11, E = 11, M = 20, 2420
  #   sum:  2.5 * 2420^(2/3) = 2.5 * 180.25 = 450.63 (cube root of 2420 = 13.4256)
  args <- list(resources = c(6, 4, 1), infrastructure = c(7, 5, 10),
               suppliers = c(5, 3, 2), firms = c(6, 4, 9),
               local_market = c(8, 5, 10), external_market = c(4, 2, 10))
  g <- do.call(gem_score, args)
  expect_s3_class(g, "gem")
  expect_equal(unname(g$gem), 2.5 * c(1716, 441, 2420)^(2 / 3))
  expect_equal(unname(g$gem), c(358.33, 144.84, 450.63), tolerance = 1e-4)
  expect_equal(g$pairs$groundings, c(13, 9, 11))
  expect_equal(g$pairs$enterprises, c(11, 7, 11))
  expect_equal(g$pairs$markets, c(12, 7, 20))
  expect_identical(as.character(g$weakest), c("enterprises", "enterprises", "groundings"))

  gm <- do.call(gem_score, c(args, pair = "mean"))
  expect_equal(unname(gm$gem), 2.5 * c(214.5, 441 / 8, 2420 / 8)^(2 / 3))
  expect_equal(unname(gm$gem)[1], 89.58, tolerance = 1e-4)
  expect_equal(gm$pairs$groundings, c(6.5, 4.5, 5.5))
  # the two forms differ by the factor 8^(2/3) = 4
  expect_equal(unname(g$gem / gm$gem), rep(4, 3))
})

test_that("reference points: national average 250, maximum 1000, minimum 10", {
  all_at <- function(v, pair = "sum") gem_score(v, v, v, v, v, v, pair = pair)$gem
  expect_equal(unname(all_at(5)), 250)
  expect_equal(unname(all_at(10)), 1000)
  expect_equal(unname(all_at(1)), 10)
  expect_equal(unname(all_at(5, "mean")), 62.5)
  expect_equal(unname(all_at(10, "mean")), 250)
  expect_equal(unname(all_at(1, "mean")), 2.5)
})

test_that("the weakest pair: ties go to the first of G, E, M", {
  g <- gem_score(c(5, 6, 4, 6), c(5, 6, 4, 6), c(5, 4, 5, 6), c(5, 4, 5, 6),
                 c(5, 4, 5, 3), c(5, 4, 5, 3))
  # pairs: (10,10,10) (12,8,8) (8,10,10) (12,12,6)
  expect_identical(as.character(g$weakest),
                   c("groundings", "enterprises", "groundings", "markets"))
  expect_identical(levels(g$weakest), c("groundings", "enterprises", "markets"))
})

test_that("a data frame of scores gives the same result as vectors", {
  df <- data.frame(name = c("A", "B"), resources = c(6, 4), infrastructure = c(7, 5),
                   suppliers = c(5, 3), firms = c(6, 4), local_market = c(8, 5),
                   external_market = c(4, 2))
  g1 <- gem_score(df, id = "name")
  g2 <- gem_score(df$resources, df$infrastructure, df$suppliers, df$firms,
                  df$local_market, df$external_market, id = df$name)
  expect_equal(g1$gem, g2$gem)
  expect_identical(names(g1$gem), c("A", "B"))
  expect_equal(gem_score(data = df)$gem, unname(g1$gem))
  d <- as.data.frame(g1)
  expect_identical(names(d), c("resources", "infrastructure", "suppliers", "firms",
                               "local_market", "external_market", "groundings",
                               "enterprises", "markets", "gem", "weakest",
                               "gem_partial"))
  expect_identical(row.names(d), c("A", "B"))
  expect_s3_class(d$weakest, "factor")
  expect_equal(d$gem_partial, d$gem)
  # names of the vector label the clusters
  g3 <- gem_score(c(x = 5, y = 6), c(5, 5), c(5, 5), c(5, 5), c(5, 5), c(5, 5))
  expect_identical(g3$labels, c("x", "y"))
})

test_that("bad scores give errors that name the argument", {
  expect_error(gem_score(11, 5, 5, 5, 5, 5), "`resources` must hold scores between 1 and 10")
  expect_error(gem_score(5, 0.5, 5, 5, 5, 5), "`infrastructure` must hold scores between 1 and 10")
  expect_error(gem_score(5, 5, NA, 5, 5, 5), "`suppliers` must not contain NA")
  expect_error(gem_score(c(5, 6), 5, 5, 5, 5, 5), "`infrastructure` must have length 2")
  expect_error(gem_score(5, 5, 5, "5", 5, 5), "`firms` must be a numeric vector")
  expect_error(gem_score(5, 5, 5, 5, 5), "`external_market` is missing")
  expect_error(gem_score(5, 5, 5, 5, 5, 5, pair = "product"), '`pair` must be "sum" or "mean"')
  expect_error(gem_score(5, 5, 5, 5, 5, 5, mapping = list()), "`mapping` is used only with `data`")
  expect_error(gem_score(numeric(0), numeric(0), numeric(0), numeric(0), numeric(0),
                         numeric(0)), "`resources` must have at least one element")
  df <- data.frame(resources = 5, infrastructure = 5, suppliers = 5, firms = 5,
                   local_market = 5, external = 5)
  expect_error(gem_score(df), 'missing: "external_market"')
  df$external_market <- 12
  expect_error(gem_score(df), "`data\\$external_market` must hold scores between 1 and 10")
  expect_error(gem_score(df, 5), "`infrastructure` must not be given together with `data`")
  expect_error(gem_score(data = 1:3), "`data` must be a data frame")
  expect_error(gem_score(df[0, ]), "`data` must have at least one row")
  df$external_market <- 5
  expect_error(gem_score(df, id = c("a", "b")), "`id` must be a column name")
  expect_error(gem_score(df, cost = "x"), "`cost` is used only with `mapping`")
})

bengbu_mapping <- list(infrastructure = c("infra", "sup"),
                       resources = c("phrl", "tech"),
                       local_market = "dm", external_market = "fm")

test_that("mapping mode: entropy composites rescaled to 1-10, gaps kept", {
  g <- gem_score(bengbu, mapping = bengbu_mapping, id = "year")
  rescale <- function(s) 1 + 9 * (s - min(s)) / (max(s) - min(s))
  infra <- rescale(entropy_reference(bengbu[c("infra", "sup")])$scores)
  res <- rescale(entropy_reference(bengbu[c("phrl", "tech")])$scores)
  dm <- rescale(bengbu$dm)           # one indicator: min-max directly
  fm <- rescale(bengbu$fm)
  expect_equal(g$determinants$infrastructure, unname(infra))
  expect_equal(g$determinants$resources, unname(res))
  expect_equal(g$determinants$local_market, dm)
  expect_equal(g$determinants$external_market, fm)
  expect_equal(range(g$determinants$resources), c(1, 10))
  # the gaps: no indicator for suppliers and firms
  expect_identical(g$missing, c("suppliers", "firms"))
  expect_true(all(is.na(g$determinants$suppliers)))
  expect_true(all(is.na(g$pairs$enterprises)))
  expect_true(all(is.na(g$gem)))
  expect_true(all(is.na(g$weakest)))
  expect_equal(g$pairs$groundings, unname(res + infra))
  expect_equal(g$pairs$markets, dm + fm)
  # GEM over the two pairs present: 2.5 (sqrt(G M))^2 = 2.5 G M
  expect_equal(unname(g$gem_partial), 2.5 * (res + infra) * (dm + fm))
  expect_identical(names(g$gem), as.character(2012:2019))
  expect_identical(names(g$weights), c("resources", "infrastructure",
                                       "local_market", "external_market"))
  out <- capture.output(print(g))
  expect_true(any(grepl("Missing determinants (no indicator): suppliers, firms",
                        out, fixed = TRUE)))
  expect_true(any(grepl("infrastructure  = 0.\\d+ infra \\+ 0.\\d+ sup", out)))
})

test_that("mapping mode: cost indicators and the benchmark rule", {
  d <- data.frame(a = c(0, 10, 20), b = c(3, 2, 1), c = c(1, 5, 9))
  map <- list(resources = "a", infrastructure = "b", suppliers = "c",
              firms = "c2", local_market = "a2", external_market = "b2")
  d$c2 <- d$c; d$a2 <- d$a; d$b2 <- d$b
  g <- gem_score(d, mapping = map, cost = "b")
  expect_equal(g$determinants$infrastructure, c(1, 5.5, 10))   # reversed
  expect_equal(g$determinants$resources, c(1, 5.5, 10))
  # G = E = (2, 11, 20); M = a2 + b2 = (1, 5.5, 10) + (10, 5.5, 1) = 11
  expect_equal(unname(g$gem), 2.5 * (c(2, 11, 20)^2 * 11)^(2 / 3))
  expect_identical(as.character(g$weakest), c("groundings", "groundings", "markets"))
  # benchmark a = 5: S = (0, 0.5, 1), B = 0.25 maps to 5;
  #   0 -> 1, 0.5 -> 5 + 5 (0.25 / 0.75) = 6.667, 1 -> 10
  gb <- gem_score(d[c("a", "b")], mapping = list(resources = "a", local_market = "b"),
                  benchmark = c(a = 5, b = 2))
  expect_equal(gb$determinants$resources, c(1, 5 + 5 / 3, 10))
  # b = (3, 2, 1), benchmark 2 equals the middle unit: (1 + 9 ... ) -> (10, 5, 1)
  expect_equal(gb$determinants$local_market, c(10, 5, 1))
  # cost b with benchmark 2: S = (0, 0.5, 1) reversed, B = 0.5
  gc <- gem_score(d[c("a", "b")], mapping = list(resources = "a", local_market = "b"),
                  benchmark = list(a = 5, b = 2), cost = "b")
  expect_equal(gc$determinants$local_market, c(1, 5, 10))
  # the benchmark as a one-row data frame gives the same scores
  gd <- gem_score(d[c("a", "b")], mapping = list(resources = "a", local_market = "b"),
                  benchmark = data.frame(a = 5, b = 2), cost = "b")
  expect_equal(gd$determinants, gc$determinants)
  expect_equal(gc$benchmark$composite[["local_market"]], 0.5)
  # a benchmark above every unit: x = (0, 10), b = 20 -> S = (0, 1), B = 2
  #   0 -> 1, 1 -> 1 + 4 (1 / 2) = 3; nobody reaches 5
  g2 <- gem_score(data.frame(a = c(0, 10)), mapping = list(resources = "a"),
                  benchmark = c(a = 20))
  expect_equal(g2$determinants$resources, c(1, 3))
  # a benchmark below every unit: b = -10 -> B = -1, units score above 5
  g3 <- gem_score(data.frame(a = c(0, 10)), mapping = list(resources = "a"),
                  benchmark = c(a = -10))
  expect_equal(g3$determinants$resources, c(5 + 5 / 2, 10))
})

test_that("mapping mode: bad input gives errors that name the argument", {
  expect_error(gem_score(bengbu, mapping = list(resource = "phrl")),
               '`mapping` has unknown determinant names: "resource"')
  expect_error(gem_score(bengbu, mapping = list(resources = "nope")),
               '`mapping\\$resources` names column\\(s\\) not in `data`: "nope"')
  expect_error(gem_score(bengbu, mapping = list(resources = "phrl", firms = "phrl")),
               "more than one determinant")
  expect_error(gem_score(bengbu, mapping = c(resources = "phrl")), "`mapping` must be a named list")
  expect_error(gem_score(bengbu, mapping = list(resources = 3)), "must give column names")
  expect_error(gem_score(bengbu, mapping = bengbu_mapping, cost = "LQ"),
               '`cost` names indicators not in `mapping`: "LQ"')
  expect_error(gem_score(bengbu, mapping = bengbu_mapping, benchmark = c(infra = 1)),
               "`benchmark` has no value for the mapped indicators")
  expect_error(gem_score(bengbu[1, ], mapping = bengbu_mapping), "at least 2 rows")
  expect_error(suppressMessages(gem_score(data.frame(a = c(1, 1, 1)),
                                          mapping = list(firms = "a"))),
               "determinant `firms`: .*no indicator that varies")
  expect_error(gem_score(data.frame(a = c(1, NA, 3)), mapping = list(firms = "a")),
               "determinant `firms`: `x` contains NA")
  g <- gem_score(data.frame(a = c(1, NA, 3, 2)), mapping = list(firms = "a"), na.rm = TRUE)
  expect_equal(g$determinants$firms, c(1, NA, 10, 5.5))
  # suppliers missing too: no pair is complete, so not even GEM* exists
  expect_true(all(is.na(g$gem_partial)))
  expect_identical(g$missing, setdiff(c("resources", "infrastructure", "suppliers",
                                        "firms", "local_market", "external_market"),
                                      "firms"))
})

test_that("print, format and plot", {
  g <- gem_score(c(a = 6, b = 4), c(7, 5), c(5, 3), c(6, 4), c(8, 5), c(4, 2))
  expect_output(print(g), "GEM scores \\(Padmore & Gibson\\): 2 units")
  out <- capture.output(vis <- withVisible(print(g)))
  expect_false(vis$visible)
  expect_type(format(g), "character")
  v <- seq(1, 10, length.out = 30); f <- rep(5, 30)
  big <- gem_score(v, f, f, f, f, f)
  expect_output(print(big, n = 5), "... and 25 more units", fixed = TRUE)
  expect_length(format(big, n = 5), 6L)
  expect_false(any(grepl("GEM\\*", format(g))))
  gb <- gem_score(bengbu, mapping = bengbu_mapping, id = "year")
  expect_true(any(grepl("GEM*", format(gb), fixed = TRUE)))
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_invisible(plot(g))
  expect_invisible(plot(gb))
})

test_that("the printed Bengbu trajectory is stable", {
  expect_snapshot(gem_score(bengbu, mapping = bengbu_mapping, id = "year"))
})
