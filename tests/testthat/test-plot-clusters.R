ex_panel <- function() cluster_example

test_that("panel bubbles: LQ, its change, relative growth and competitive effect", {
  p <- ex_panel()
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  b1 <- plot_clusters(p, focus = "Bengbu", value = "emp", region = "region",
                      industry = "industry", time = "year")
  b2 <- plot_clusters(p, focus = "Bengbu", value = "emp", region = "region",
                      industry = "industry", time = "year", growth = "relative_growth")
  b3 <- plot_clusters(p, focus = "Bengbu", value = "emp", region = "region",
                      industry = "industry", time = "year", growth = "competitive")
  # by hand from the two years' tables
  tab <- function(y) {
    s <- p[p$year == y, ]
    m <- tapply(s$emp, list(s$region, s$industry), sum)
    m[is.na(m)] <- 0
    m
  }
  m0 <- tab(2015); m1 <- tab(2019)
  lqh <- function(m) (m["Bengbu", ] / sum(m["Bengbu", ])) / (colSums(m) / sum(m))
  ind <- b1$label
  expect_equal(b1$lq, unname(lqh(m1)[ind]), tolerance = 1e-14)
  expect_equal(b1$growth, unname((lqh(m1) - lqh(m0))[ind]), tolerance = 1e-12)
  expect_equal(b1$size, unname(m1["Bengbu", ind]))
  rg <- 100 * ((m1["Bengbu", ] / m0["Bengbu", ] - 1) - (colSums(m1) / colSums(m0) - 1))
  expect_equal(b2$growth, unname(rg[ind]), tolerance = 1e-12)
  ce <- m1["Bengbu", ] - m0["Bengbu", ] * colSums(m1) / colSums(m0)
  expect_equal(b3$growth, unname(ce[ind]), tolerance = 1e-9)
  # the competitive effects add up to shift_share()'s regional shift
  ss <- shift_share(p, "emp", "region", "industry", "year")
  expect_equal(sum(b3$growth), ss$regional_shift[ss$region == "Bengbu"],
               tolerance = 1e-10)
  # quadrants
  q <- ifelse(b1$lq >= 1, ifelse(b1$growth > 0, "stars", "mature"),
              ifelse(b1$growth > 0, "emerging", "transforming"))
  expect_equal(b1$quadrant, q)
  expect_equal(b1$quadrant[b1$label == "silicon materials"], "stars")
  expect_lte(sum(b1$labelled), 10)
  expect_gt(sum(b1$labelled), 0)
  b0 <- plot_clusters(p, focus = "Bengbu", value = "emp", region = "region",
                      industry = "industry", time = "year", labels = 0)
  expect_false(any(b0$labelled))
})

test_that("cluster bubbles sum the industries of each cluster", {
  p <- ex_panel()
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  grp <- setNames(rep(c("g1", "g2"), 14), sort(unique(p$industry)))
  b <- plot_clusters(p, focus = "Hefei", value = "emp", region = "region",
                     industry = "industry", time = "year", groups = grp)
  s <- p[p$year == 2019, ]
  s$g <- grp[s$industry]
  m <- tapply(s$emp, list(s$region, s$g), sum)
  lqv <- (m["Hefei", ] / sum(m["Hefei", ])) / (colSums(m) / sum(m))
  expect_equal(b$label, c("g1", "g2"))
  expect_equal(b$lq, unname(lqv), tolerance = 1e-14)
  expect_equal(b$size, unname(m["Hefei", ]))
  cl <- clusters(s, value = "emp", region = "region", industry = "industry")
  b2 <- plot_clusters(p, focus = "Hefei", value = "emp", region = "region",
                      industry = "industry", time = "year", groups = cl)
  expect_setequal(b2$label, unique(cl$groups$cluster))
})

test_that("shift_share() output: regions by competitive growth", {
  p <- ex_panel()
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  sil <- p[p$industry %in% c("float glass", "silicon materials",
                             "photovoltaic glass", "display glass"), ]
  ss <- shift_share(sil, "emp", "region", "industry", "year", method = "esteban")
  tot <- tapply(p$emp[p$year == 2019], p$region[p$year == 2019], sum)
  s19 <- tapply(sil$emp[sil$year == 2019], sil$region[sil$year == 2019], sum)
  lqs <- (s19 / tot[names(s19)]) / (sum(s19) / sum(tot))
  b <- plot_clusters(ss, lq = lqs)
  expect_equal(b$label, ss$region)
  expect_equal(b$growth, 100 * ss$competitive / ss$start)
  expect_equal(b$lq, as.vector(lqs[ss$region]))
  expect_equal(b$size, ss$end)
  expect_snapshot(error = TRUE, plot_clusters(ss))
  expect_snapshot(error = TRUE, plot_clusters(ss, lq = c(Hefei = 1)))
})

test_that("bad input gives clear errors", {
  p <- ex_panel()
  expect_snapshot(error = TRUE, plot_clusters(1:3))
  expect_snapshot(error = TRUE, plot_clusters(p, focus = "Nowhere", value = "emp",
                                              region = "region", industry = "industry",
                                              time = "year"))
  expect_snapshot(error = TRUE, plot_clusters(p, focus = "Bengbu", value = "emp",
                                              region = "region", industry = "industry"))
  expect_snapshot(error = TRUE, plot_clusters(p[p$year == 2019, ], focus = "Bengbu",
                                              value = "emp", region = "region",
                                              industry = "industry", time = "year"))
  expect_snapshot(error = TRUE, plot_clusters(p, focus = "Bengbu", value = "emp",
                                              region = "region", industry = "industry",
                                              time = "year", growth = "x"))
})

test_that("a focus region with no values, and unknown graphical arguments: clear errors", {
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  cx <- cluster_example
  cx$emp[cx$region == "Bengbu"] <- 0
  expect_snapshot(error = TRUE, plot_clusters(cx, focus = "Bengbu", value = "emp",
                                              region = "region", industry = "industry",
                                              time = "year"))
  expect_snapshot(error = TRUE, plot_clusters(cluster_example, focus = "Bengbu", value = "emp",
                                              region = "region", industry = "industry",
                                              time = "year", foo = 3))
  # graphical parameters still pass
  expect_no_warning(plot_clusters(cluster_example, focus = "Bengbu", value = "emp",
                                  region = "region", industry = "industry",
                                  time = "year", cex.main = 0.8, las = 1, bty = "l"))
})
