# clusters(rule = "uscmp") against a computation written here from the US
# Cluster Mapping Project's rules (cluster_calcs_mapper.js for the LQ,
# cluster_calcs_reducer.js for the flags), with base R's aggregate() and
# quantile(type = 7) in a plain loop; and us_clusters against figures of the
# project's published list.

# The oracle: a data frame with region, cluster_code, year, type, emp, est,
# lq, the four flags and rank, one row per region x cluster x year that has
# rows in x. `nat` (optional): a data frame year, cluster_code, E (the
# nation's employment by cluster).
uscmp_oracle <- function(x, groups, nat = NULL) {
  m <- match(x$industry, groups$industry)
  x <- x[!is.na(m), ]
  x$cluster_code <- groups$cluster_code[m[!is.na(m)]]
  x$type <- groups$type[m[!is.na(m)]]
  a <- aggregate(cbind(emp, est) ~ region + cluster_code + type + year, data = x, FUN = sum)
  out <- list()
  for (yr in sort(unique(a$year))) {
    d <- a[a$year == yr, ]
    d$lq <- NA_real_
    for (i in seq_len(nrow(d))) {
      e_rT <- sum(d$emp[d$region == d$region[i] & d$type == d$type[i]])
      if (is.null(nat)) {
        E_c <- sum(d$emp[d$cluster_code == d$cluster_code[i]])
        E_T <- sum(d$emp[d$type == d$type[i]])
      } else {
        n <- nat[nat$year == yr, ]
        E_c <- sum(n$E[n$cluster_code == d$cluster_code[i]])
        E_T <- sum(n$E[n$type == d$type[i]])
      }
      v <- (d$emp[i] / e_rT) / (E_c / E_T)
      d$lq[i] <- if (is.finite(v)) v else 0      # the project's safeSet()
    }
    d$strong <- d$strong10 <- d$significant <- d$qualifying <- FALSE
    d$rank <- NA_integer_
    for (cc in unique(d$cluster_code)) {
      k <- which(d$cluster_code == cc)
      d$rank[k] <- rank(-d$lq[k], ties.method = "min")
      if (d$type[k[1]] != "traded") next
      pos <- k[d$emp[k] > 0]
      if (!length(pos)) next
      q <- function(v, p) unname(quantile(v, p, type = 7))
      size <- d$emp[k] > q(d$emp[pos], 0.25) & d$est[k] > q(d$est[pos], 0.25)
      d$strong[k] <- d$lq[k] >= q(d$lq[pos], 0.75) & d$lq[k] >= 1 & size
      d$strong10[k] <- d$lq[k] >= q(d$lq[pos], 0.90) & d$lq[k] >= 1 & size
      d$significant[k] <- d$lq[k] > q(d$lq[pos], 0.5) & size
      d$qualifying[k] <- d$lq[k] > q(d$lq[pos], 0.25) & size
    }
    out[[length(out) + 1L]] <- d
  }
  out <- do.call(rbind, out)
  out[order(out$year, out$cluster_code, out$region), ]
}

# A made-up definition: six traded clusters (one, T6, with a single
# industry that only one region has) and three local ones (L3 found in no
# region), plus the panel: 24 regions x 3 years, integer employment and
# establishments, many empty cells, rows with zero employment, regions r21
# and r22 exact copies of r1 and r2 (ties of LQ, employment and
# establishments), region r23 without local employment, region r24 with
# only local employment, region r25 with local rows of zero employment
# only, and two industries outside the definition.
uscmp_groups <- function() {
  data.frame(industry = sprintf("%06d", c(111111:111114, 222221:222223, 333331:333334,
                                          444441:444442, 555551:555553, 666661,
                                          911111:911113, 922221:922222, 933331)),
             cluster_code = c(rep(1, 4), rep(2, 3), rep(3, 4), rep(4, 2), rep(5, 3), 6,
                              rep(101, 3), rep(102, 2), 103),
             cluster = c(rep("T1", 4), rep("T2", 3), rep("T3", 4), rep("T4", 2),
                         rep("T5", 3), "T6", rep("L1", 3), rep("L2", 2), "L3"),
             type = c(rep("traded", 17), rep("local", 6)),
             stringsAsFactors = FALSE)
}

uscmp_panel <- function(seed = 7) {
  set.seed(seed)
  g <- uscmp_groups()
  inds <- c(setdiff(g$industry, c("666661", "933331")), "777777", "888888")
  regs <- sprintf("r%d", 1:20)
  out <- list()
  for (yr in 2017:2019) {
    d <- expand.grid(region = regs, industry = inds, stringsAsFactors = FALSE)
    d$year <- yr
    d$emp <- round(rexp(nrow(d)) * c(1, 5, 20)[1 + (seq_len(nrow(d)) %% 3)] * 30)
    d$est <- pmax(0, round(d$emp / 12 + rnorm(nrow(d), 0, 2)))
    d <- d[runif(nrow(d)) > 0.35, ]                  # empty cells: no row
    z <- runif(nrow(d)) < 0.08
    d$emp[z] <- 0                                    # rows with no employment
    cp <- d[d$region %in% c("r1", "r2"), ]
    cp$region <- ifelse(cp$region == "r1", "r21", "r22")
    nl <- d[d$region == "r3" & !d$industry %in% g$industry[g$type == "local"], ]
    nl$region <- "r23"
    ol <- d[d$region == "r4" & d$industry %in% g$industry[g$type == "local"], ]
    ol$region <- "r24"
    zl <- d[d$region == "r6", ]
    zl$region <- "r25"
    zl$emp[zl$industry %in% g$industry[g$type == "local"]] <- 0
    one <- data.frame(region = "r5", industry = "666661", year = yr, emp = 40 + yr %% 3,
                      est = 3, stringsAsFactors = FALSE)
    out[[length(out) + 1L]] <- rbind(d, cp, nl, ol, zl, one)
  }
  out <- do.call(rbind, out)
  rownames(out) <- NULL
  out
}

uscmp_run <- function(x, groups = uscmp_groups(), ...) {
  suppressMessages(clusters(x, value = "emp", region = "region", industry = "industry",
                            groups = groups, rule = "uscmp", establishments = "est",
                            by = "year", ...))
}

uscmp_compare <- function(res, ref) {
  st <- as.data.frame(res)
  expect_identical(nrow(st), nrow(ref))
  key_s <- paste(st$year, st$cluster_code, st$region)
  key_r <- paste(ref$year, ref$cluster_code, ref$region)
  m <- match(key_r, key_s)
  expect_false(anyNA(m))
  st <- st[m, ]
  expect_equal(st$employment, ref$emp)
  expect_equal(st$establishments, ref$est)
  expect_equal(st$type, ref$type)
  expect_equal(st$lq, ref$lq, tolerance = 1e-13)
  for (f in c("strong", "strong10", "significant", "qualifying"))
    expect_identical(st[[f]], ref[[f]], label = f)
  expect_identical(st$rank, as.integer(ref$rank))
}

test_that("uscmp LQs, flags and ranks match the rules on every cell", {
  x <- uscmp_panel()
  g <- uscmp_groups()
  res <- uscmp_run(x)
  ref <- uscmp_oracle(x, g)
  uscmp_compare(res, ref)
  st <- as.data.frame(res)
  # the panel's features are there: ties, local clusters, one-region cluster
  expect_true(any(st$strong) && any(st$strong10) && any(st$significant) && any(st$qualifying))
  expect_false(any(st$strong[st$type == "local"] | st$qualifying[st$type == "local"]))
  expect_false(any(st$strong[st$cluster == "T6"]))
  expect_identical(sum(st$cluster == "T6"), 3L)
  expect_true(any(st$employment == 0))
  expect_false(any(st$region == "r23" & st$type == "local"))
  t21 <- st[st$region == "r21", c("cluster", "year", "lq", "strong", "rank")]
  t1 <- st[st$region == "r1", c("cluster", "year", "lq", "strong", "rank")]
  rownames(t21) <- rownames(t1) <- NULL
  expect_identical(t21, t1)                           # exact copies tie
  # a region without employment of a type: LQ 0/0, which is 0 (the
  # project's rule)
  expect_true(all(st$lq[st$region == "r25" & st$type == "local"] == 0))
  expect_true(any(st$region == "r25" & st$type == "local"))
  expect_true(all(st$lq[st$region == "r24" & st$type == "local" & st$employment > 0] > 0))
  expect_named(st, c("region", "cluster", "cluster_code", "year", "type", "employment",
                     "establishments", "lq", "strong", "strong10", "significant",
                     "qualifying", "rank"))
})

test_that("several seeds, and the inequalities at quantile ties", {
  for (s in 1:3) {
    x <- uscmp_panel(seed = 100 + s)
    uscmp_compare(uscmp_run(x), uscmp_oracle(x, uscmp_groups()))
  }
  # four regions, one traded cluster and one local: LQs 2, 2, 1, 1 exactly,
  # so q75 = q90 = 2 and the median 1.5; employment and establishments with
  # ties at their quartile (q25 of 10, 10, 20, 20 is 10)
  g <- data.frame(industry = c("a", "b"), cluster = c("T", "L"),
                  type = c("traded", "local"), stringsAsFactors = FALSE)
  x <- data.frame(region = rep(c("p", "q", "r", "s"), each = 2),
                  industry = rep(c("a", "b"), 4),
                  emp = c(20, 10, 20, 10, 10, 20, 10, 20),
                  est = c(5, 1, 6, 1, 5, 1, 5, 1), year = 1)
  st <- as.data.frame(uscmp_run(x, g))
  st <- st[st$cluster == "T", ]
  # LQ of p: (20 / 20) / (60 / 60) ... by hand: traded totals 20, 20, 10, 10
  # and each region is all traded in T, so every LQ is 1; make them differ:
  expect_equal(st$lq, c(1, 1, 1, 1))
  x$emp[x$region %in% c("r", "s") & x$industry == "a"] <- 5
  x$emp[x$industry == "b"] <- 10
  g2 <- data.frame(industry = c("a", "a2", "b"), cluster = c("T", "U", "L"),
                   type = c("traded", "traded", "local"), stringsAsFactors = FALSE)
  x2 <- rbind(x, data.frame(region = c("p", "q", "r", "s"), industry = "a2",
                            emp = c(20, 20, 35, 35), est = 2, year = 1))
  st <- as.data.frame(uscmp_run(x2, g2))
  st <- st[st$cluster == "T", ]
  # traded totals 40, 40, 40, 40; T: 20, 20, 5, 5; national 50 of 160
  expect_equal(st$lq, c(20 / 40, 20 / 40, 5 / 40, 5 / 40) / (50 / 160))
  # LQs 1.6, 1.6, 0.4, 0.4: q75 = q90 = 1.6 (>= holds), median 1;
  # employment q25 = 5 (strictly above: p and q), establishments 5, 6, 5, 5:
  # q25 = 5, so p (5) fails and q (6) passes
  expect_identical(st$strong, c(FALSE, TRUE, FALSE, FALSE))
  expect_identical(st$strong10, c(FALSE, TRUE, FALSE, FALSE))
  expect_identical(st$significant, c(FALSE, TRUE, FALSE, FALSE))
  expect_identical(st$qualifying, c(FALSE, TRUE, FALSE, FALSE))
  expect_identical(st$rank, c(1L, 1L, 3L, 3L))
  uscmp_compare(uscmp_run(x2, transform(g2, cluster_code = c(1, 2, 101))),
                uscmp_oracle(x2, transform(g2, cluster_code = c(1, 2, 101))))
})

test_that("a reference gives the nation's employment", {
  x <- uscmp_panel(seed = 11)
  g <- uscmp_groups()
  inds <- unique(x$industry)
  ref <- expand.grid(industry = inds, year = 2017:2019, stringsAsFactors = FALSE)
  set.seed(3)
  ref$emp <- round(runif(nrow(ref), 1000, 50000))
  nat <- merge(ref, g, by = "industry")
  nat <- aggregate(emp ~ year + cluster_code + type, data = nat, FUN = sum)
  names(nat)[names(nat) == "emp"] <- "E"
  res <- uscmp_run(x, reference = ref)
  uscmp_compare(res, uscmp_oracle(x, g, nat = nat))
  # a reference without years applies to every year
  r1 <- ref[ref$year == 2018, c("industry", "emp")]
  res1 <- uscmp_run(x, reference = r1)
  nat1 <- merge(r1, g, by = "industry")
  nat1 <- aggregate(emp ~ cluster_code + type, data = nat1, FUN = sum)
  nat1 <- do.call(rbind, lapply(2017:2019, function(y) cbind(year = y, nat1)))
  names(nat1)[names(nat1) == "emp"] <- "E"
  uscmp_compare(res1, uscmp_oracle(x, g, nat = nat1))
  # the same as a named vector
  res2 <- uscmp_run(x, reference = stats::setNames(r1$emp, r1$industry))
  expect_identical(as.data.frame(res2), as.data.frame(res1))
})

test_that("each period is computed on its own; magnitudes do not matter", {
  x <- uscmp_panel(seed = 5)
  all <- as.data.frame(uscmp_run(x))
  one <- as.data.frame(uscmp_run(x[x$year == 2018, ]))
  a18 <- all[all$year == 2018, ]
  rownames(a18) <- NULL
  expect_identical(a18, one)
  for (p in c(-990, 990)) {
    y <- x
    y$emp <- y$emp * 2^p
    s <- as.data.frame(uscmp_run(y))
    expect_equal(s$lq, all$lq, tolerance = 1e-13)
    expect_identical(s[c("strong", "strong10", "significant", "qualifying", "rank")],
                     all[c("strong", "strong10", "significant", "qualifying", "rank")])
  }
})

test_that("na.rm = TRUE skips NA values in the sums", {
  x <- uscmp_panel(seed = 9)
  y <- x
  set.seed(1)
  ie <- sample(nrow(y), 40); is <- sample(nrow(y), 25)
  y$emp[ie] <- NA
  y$est[is] <- NA
  z <- x
  z$emp[ie] <- 0
  z$est[is] <- 0
  expect_identical(as.data.frame(uscmp_run(y, na.rm = TRUE)), as.data.frame(uscmp_run(z)))
  uscmp_compare(uscmp_run(y, na.rm = TRUE), uscmp_oracle(z, uscmp_groups()))
})

test_that("industries outside the definition are left out with a message", {
  x <- uscmp_panel(seed = 2)
  n_out <- sum(x$industry %in% c("777777", "888888"))
  expect_message(uscmp_res <- clusters(x, value = "emp", region = "region",
                                       industry = "industry", groups = uscmp_groups(),
                                       rule = "uscmp", establishments = "est", by = "year"),
                 sprintf("2 industries of `x` \\(%d rows\\) not in `groups`: left out", n_out))
  expect_identical(uscmp_res$left_out[["rows"]], n_out)
  # factor and integer industry codes match as text
  y <- x[!x$industry %in% c("777777", "888888"), ]
  y$industry <- factor(y$industry)
  expect_identical(as.data.frame(uscmp_run(y)), as.data.frame(uscmp_run(x)))
  y$industry <- as.integer(as.character(y$industry))
  g <- uscmp_groups(); g$industry <- as.integer(g$industry)
  expect_identical(as.data.frame(uscmp_run(y, g))$lq, as.data.frame(uscmp_run(x))$lq)
})

test_that("bad input gives errors naming the argument", {
  x <- uscmp_panel(seed = 1)
  g <- uscmp_groups()
  run <- function(...) suppressMessages(clusters(..., rule = "uscmp"))
  g2 <- rbind(g, data.frame(industry = "111111", cluster_code = 2, cluster = "T2",
                            type = "traded"))
  g3 <- g; g3$type[3] <- "tradable"
  g4 <- g; g4$type[1] <- "local"
  expect_snapshot(error = TRUE, {
    run(x, value = "emp", region = "region", industry = "industry", groups = g2,
        establishments = "est", by = "year")
    run(x, value = "emp", region = "region", industry = "industry", groups = g3,
        establishments = "est", by = "year")
    run(x, value = "emp", region = "region", industry = "industry", groups = g4,
        establishments = "est", by = "year")
    run(x, value = "emp", region = "region", industry = "industry", groups = g,
        by = "year")
    run(x, value = "emp", region = "region", industry = "industry", groups = g,
        establishments = "estabs", by = "year")
    run(x, value = "emp", region = "region", industry = "industry",
        establishments = "est", by = "year")
    run(as.matrix(x[1:3]), groups = g, establishments = "est")
    run(x, value = "emp", region = "region", industry = "industry", groups = g[-4],
        establishments = "est", by = "year")
    clusters(x, value = "emp", region = "region", industry = "industry", groups = g,
             rule = "cmp")
    clusters(x, value = "emp", region = "region", industry = "industry", groups = g,
             establishments = "est")
  })
  neg <- x; neg$emp[5] <- -1
  nest <- x; nest$est[7] <- -2
  nae <- x; nae$emp[3] <- NA
  inf <- x; inf$est[2] <- Inf
  big <- x; big$emp[] <- 1e308
  expect_snapshot(error = TRUE, {
    run(neg, value = "emp", region = "region", industry = "industry", groups = g,
        establishments = "est", by = "year")
    run(nest, value = "emp", region = "region", industry = "industry", groups = g,
        establishments = "est", by = "year")
    run(nae, value = "emp", region = "region", industry = "industry", groups = g,
        establishments = "est", by = "year")
    run(inf, value = "emp", region = "region", industry = "industry", groups = g,
        establishments = "est", by = "year")
    run(big, value = "emp", region = "region", industry = "industry", groups = g,
        establishments = "est", by = "year")
    run(x, value = "emp", region = "region", industry = "industry", groups = g,
        establishments = "est", by = "year",
        reference = data.frame(industry = "111111", emp = 5))
  })
})

test_that("us_clusters has the project's list", {
  expect_identical(nrow(us_clusters), 1099L)
  expect_identical(anyDuplicated(us_clusters$industry), 0L)
  expect_true(all(grepl("^[0-9]{6}$", us_clusters$industry)))
  expect_identical(length(unique(us_clusters$cluster_code)), 67L)
  expect_identical(length(unique(us_clusters$cluster)), 67L)
  ty <- unique(us_clusters[c("cluster_code", "type")])
  expect_identical(sum(ty$type == "traded"), 51L)
  expect_identical(sum(ty$type == "local"), 16L)
  expect_true(all((ty$cluster_code >= 101 & ty$cluster_code <= 116) == (ty$type == "local")))
  # entries of clusters-list.json, copied by hand
  known <- data.frame(
    industry = c("336411", "336413", "115111", "311222", "721120", "236118", "339116"),
    cluster_code = c(2L, 2L, 11L, 1001L, 1011L, 115L, 103L),
    cluster = c("Aerospace Vehicles and Defense", "Aerospace Vehicles and Defense",
                "Agricultural Products (11)", "Agricultural Products (1001)", "Casino Hotels",
                "Local Real Estate, Construction, and Development", "Local Health Services"),
    type = c("traded", "traded", "traded", "traded", "traded", "local", "local"),
    stringsAsFactors = FALSE)
  got <- us_clusters[match(known$industry, us_clusters$industry), ]
  rownames(got) <- NULL
  expect_identical(got, known)
  expect_identical(sum(us_clusters$cluster_code == 115L), 52L)
  expect_identical(sum(us_clusters$cluster_code == 7L), 37L)
})

test_that("the methods: print, summary, tidy, as.data.frame", {
  res <- uscmp_run(uscmp_panel(seed = 4))
  st <- as.data.frame(res)
  expect_s3_class(res, "clusters_uscmp")
  expect_output(print(res), "25 regions, 9 clusters \\(6 traded, 3 local\\), 3 periods")
  expect_output(print(res), sprintf("strong: %d, strong10: %d", sum(st$strong), sum(st$strong10)))
  s <- summary(res)
  expect_s3_class(s, "summary.clusters_uscmp")
  # counts by cluster and year, by base R
  for (i in seq_len(nrow(s))) {
    k <- st$cluster == s$cluster[i] & st$year == s$year[i]
    expect_identical(s$strong[i], sum(st$strong[k]))
    expect_identical(s$regions[i], sum(st$employment[k] > 0))
    expect_equal(s$employment[i], sum(st$employment[k]))
    if (s$regions[i] > 0) expect_equal(s$top_lq[i], max(st$lq[k & st$employment > 0]))
  }
  expect_output(print(s), "Clusters by employment")
  skip_if_not_installed("generics")
  expect_identical(generics::tidy(res), st)
})

test_that("plot_clusters() draws a region's traded clusters from a uscmp result", {
  x <- uscmp_panel(seed = 12)
  x <- x[x$year %in% c(2017, 2019), ]
  res <- uscmp_run(x)
  ref <- uscmp_oracle(x, uscmp_groups())
  g <- uscmp_groups()
  nat <- aggregate(emp ~ cluster_code + year,
                   data = transform(x, cluster_code = g$cluster_code[match(industry, g$industry)]),
                   FUN = sum)
  pdf(NULL)
  on.exit(grDevices::dev.off())
  for (gr in c("lq_change", "relative_growth", "competitive")) {
    b <- plot_clusters(res, focus = "r7", growth = gr)
    r <- ref[ref$region == "r7" & ref$type == "traded", ]
    cc <- sort(unique(r$cluster_code))
    get <- function(d, yr, col, key = "cluster_code") {
      v <- d[[col]][match(paste(cc, yr), paste(d[[key]], d$year))]
      ifelse(is.na(v), 0, v)
    }
    e0 <- get(r, 2017, "emp"); e1 <- get(r, 2019, "emp")
    E0 <- get(nat, 2017, "emp"); E1 <- get(nat, 2019, "emp")
    want <- switch(gr, lq_change = get(r, 2019, "lq") - get(r, 2017, "lq"),
                   relative_growth = ifelse(e0 > 0, 100 * ((e1 / e0 - 1) - (E1 / E0 - 1)), NA),
                   competitive = e1 - e0 * E1 / E0)
    lab <- paste0("T", cc)
    expect_identical(b$label, lab)
    expect_equal(b$lq, get(r, 2019, "lq"))
    expect_equal(b$size, e1)
    expect_equal(b$growth, want)
  }
  expect_snapshot(error = TRUE, {
    plot_clusters(res, focus = "nowhere")
    plot_clusters(uscmp_run(x[x$year == 2017, ]), focus = "r7")
  })
})
