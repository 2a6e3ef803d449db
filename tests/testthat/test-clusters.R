test_that("the strength table follows its definitions for given groups", {
  x <- cl_rand(12, 6, zero = 0.2, seed = 21)
  grp <- c(i1 = "A", i2 = "A", i3 = "B", i4 = "B", i5 = "B", i6 = "C")
  cl <- clusters(x, groups = grp, min_lq = 1.1, top = 0.25, min_share = 0.05,
                 min_employment = 200)
  st <- cl$strength
  # by hand, cell by cell
  E <- cbind(A = x[, "i1"] + x[, "i2"], B = x[, "i3"] + x[, "i4"] + x[, "i5"],
             C = x[, "i6"])
  for (k in seq_len(nrow(st))) {
    r <- st$region[k]; g <- st$cluster[k]
    e <- E[r, g]
    lqv <- (e / sum(E[r, ])) / (sum(E[, g]) / sum(E))
    all_lq <- (E[, g] / rowSums(E)) / (sum(E[, g]) / sum(E))
    expect_equal(st$employment[k], e)
    expect_equal(st$lq[k], lqv, tolerance = 1e-14)
    expect_equal(st$share[k], e / sum(E[, g]), tolerance = 1e-14)
    expect_equal(st$rank[k], sum(all_lq > lqv + 1e-12) + 1)
    expect_equal(st$pass_lq[k], lqv >= 1.1)
    expect_equal(st$pass_top[k], st$rank[k] <= 3)
    expect_equal(st$pass_share[k], e / sum(E[, g]) >= 0.05)
    expect_equal(st$pass_employment[k], e >= 200)
    expect_equal(st$strong[k], lqv >= 1.1 && st$rank[k] <= 3 &&
                   e / sum(E[, g]) >= 0.05 && e >= 200)
  }
  expect_equal(nrow(st), sum(E > 0))
  expect_equal(cl$groups$cluster, unname(grp))
  # a data frame definition gives the same
  cl2 <- clusters(x, groups = data.frame(industry = names(grp), cluster = grp),
                  min_lq = 1.1, min_share = 0.05, min_employment = 200)
  expect_equal(cl2$strength, st)
})

test_that("grouping is average-linkage hclust of 1 - relatedness, order-free", {
  x <- cl_rand(40, 10, seed = 22)
  phi <- relatedness(x)
  cl <- clusters(x, phi, h = 0.6)
  o <- order(colnames(x))
  hc <- hclust(as.dist(1 - phi[o, o]), method = "average")
  ct <- cutree(hc, h = 0.6)
  memb <- cl$groups$cluster[match(names(ct), cl$groups$industry)]
  # the same partition
  expect_equal(outer(memb, memb, "=="), outer(ct, ct, "=="), ignore_attr = TRUE)
  # named after the industry most related to the other members
  for (g in unique(memb)) {
    ind <- names(ct)[memb == g]
    sc <- if (length(ind) > 1) rowSums(phi[ind, ind, drop = FALSE]) else setNames(0, ind)
    expect_equal(g, sort(ind[sc == max(sc)])[1])
  }
  # input order does not matter
  p <- rev(seq_len(ncol(x)))
  cl_p <- clusters(x[, p], phi[p, p], h = 0.6)
  expect_equal(cl_p$groups$cluster[match(colnames(x), cl_p$groups$industry)],
               cl$groups$cluster)
  # k groups
  expect_length(unique(clusters(x, phi, k = 4)$groups$cluster), 4)
  # the default relatedness is the proximity
  expect_equal(clusters(x)$groups, clusters(x, phi)$groups)
})

test_that("the example finds its silicon cluster strong in Bengbu", {
  ex <- cluster_example[cluster_example$year == 2019, ]
  cl <- clusters(ex, value = "emp", region = "region", industry = "industry")
  g <- cl$groups
  sil <- g$cluster[g$industry == "silicon materials"]
  expect_true(all(c("float glass", "display glass", "photovoltaic glass") %in%
                    g$industry[g$cluster == sil]))
  s <- cl$strength
  expect_true(s$strong[s$region == "Bengbu" & s$cluster == sil])
  expect_equal(s$rank[s$region == "Bengbu" & s$cluster == sil], 1L)
  expect_snapshot(print(cl))
  sm <- summary(cl)
  expect_equal(sum(sm$employment), sum(ex$emp))
  expect_equal(sum(sm$industries), 28L)
  expect_identical(as.data.frame(cl), cl$strength)
})

test_that("bad input gives clear errors", {
  x <- cl_rand(8, 4)
  expect_snapshot(error = TRUE, clusters(x, groups = c(i1 = "a")))
  expect_snapshot(error = TRUE, clusters(x, groups = 1:4))
  expect_snapshot(error = TRUE, clusters(x, relatedness(x, "association") + 2))
  expect_snapshot(error = TRUE, clusters(x, min_lq = -1))
  expect_snapshot(error = TRUE, clusters(x, top = 2))
  expect_snapshot(error = TRUE, clusters(x, k = 10))
  expect_snapshot(error = TRUE, clusters(x, h = NA))
})

test_that("clusters(): column defaults as in lq(), na.rm, tidy and glance", {
  ex <- cluster_example[cluster_example$year == 2019, ]
  names(ex)[names(ex) == "emp"] <- "value"
  cl <- clusters(ex)
  # the oracle: employment per region and cluster summed by hand
  memb <- setNames(cl$groups$cluster, cl$groups$industry)
  hand <- tapply(ex$value, list(ex$region, memb[ex$industry]), sum)
  st <- cl$strength
  expect_equal(st$employment, hand[cbind(st$region, st$cluster)])
  expect_identical(clusters(ex, value = "value", region = "region", industry = "industry")$strength,
                   st)
  names(ex)[names(ex) == "industry"] <- "ind"
  expect_snapshot(error = TRUE, clusters(ex))
  names(ex)[names(ex) == "ind"] <- "industry"
  # NA: an error unless na.rm = TRUE leaves the rows out
  i <- which(ex$region == ex$region[1])[1:2]
  na <- ex; na$value[i] <- NA
  expect_error(clusters(na), "use `na.rm = TRUE`")
  a <- clusters(na, na.rm = TRUE, groups = memb)
  b <- clusters(ex[-i, ], groups = memb)
  hand2 <- tapply(ex$value[-i], list(ex$region[-i], memb[ex$industry[-i]]), sum)
  expect_equal(a$strength$employment, hand2[cbind(a$strength$region, a$strength$cluster)])
  expect_equal(a$strength, b$strength)
  expect_error(clusters(ex, na.rm = 1), "`na.rm` must be TRUE or FALSE")
  skip_if_not_installed("generics")
  expect_identical(generics::tidy(cl), cl$strength)
  gl <- generics::glance(cl)
  expect_identical(gl$industries, length(unique(ex$industry)))
  expect_identical(gl$clusters, length(unique(memb)))
  expect_identical(gl$regions, length(unique(ex$region[ex$value > 0])))
  expect_identical(gl$strong, sum(st$strong))
  expect_identical(gl$grouping, "average linkage")
  expect_identical(gl$h, 0.5)
  expect_true(is.na(gl$k))
  g2 <- generics::glance(clusters(ex, groups = memb))
  expect_identical(g2$grouping, "given")
  expect_true(is.na(g2$h))
})
