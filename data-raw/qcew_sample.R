# Generates inst/extdata/qcew-sample-made-up.csv: a MADE-UP file in the
# layout of the US Bureau of Labor Statistics' QCEW annual averages
# "singlefile" CSV (the 38 columns of BLS's open-data files), for the
# examples of clusters(rule = "uscmp") and the vignette "From a QCEW file to
# strong clusters". The numbers are invented, not BLS statistics.
#
# Areas: the counties of North Carolina (37001-37199, odd codes) and South
# Carolina (45001-45091), the two states (37000, 45000); years 2018 and 2019.
# Rows:
# * agglvl_code 78 (county, 6-digit NAICS, by ownership): private ownership
#   (own_code 5) in about 80 industries, one or two of each cluster of
#   us_clusters plus 999999 ("unclassified", outside the cluster list), and
#   local government (own_code 3) in 611110 and 622110;
# * agglvl_code 70 (county total, own_code 0) and 71 (county, by ownership:
#   own_code 3 and 5), both industry "10", the sums of the county's rows;
# * agglvl_code 50 (state total, own_code 0, industry "10").
# Codes are NAICS 2007 (the cluster list's vintage), so the sample matches
# us_clusters without a concordance; real QCEW files of those years use
# NAICS 2017.
#
# Each county has a size (log-normal) and a strength in each cluster
# (log-normal, a few counties made clearly specialised); a cell's
# employment is size x the industry's weight x the strength x noise,
# rounded; cells of small expected size (and half the others, the same in both years) are left empty, as most are in a
# county x 6-digit table. Establishments are employment over a size drawn
# per industry, at least 1. Wages are employment x a pay level. About one
# in five private cells under 250 jobs is suppressed as BLS does:
# disclosure code "N", employment and wages published as 0, establishments
# kept.
set.seed(20261207)
load("data/us_clusters.rda")
nc <- sprintf("37%03d", seq(1, 199, by = 2))
sc <- sprintf("45%03d", seq(1, 91, by = 2))
counties <- c(nc, sc)
nco <- length(counties)
# one or two industries per cluster (two for the larger clusters)
pick <- do.call(rbind, lapply(split(us_clusters, us_clusters$cluster_code), function(d)
  d[seq_len(min(nrow(d), if (nrow(d) >= 30) 2L else 1L)), ]))
ind <- c(pick$industry, "999999")
clu <- c(pick$cluster_code, NA)
typ <- c(pick$type, "local")
ni <- length(ind)
size <- exp(rnorm(nco, log(20000), 1.1))
weight <- exp(rnorm(ni, 0, 0.8)) * ifelse(typ == "local", 4, 1)
weight <- weight / sum(weight)
absent <- matrix(runif(nco * ni) < 0.5, nco, ni)   # the same empty cells both years
ucl <- unique(clu[!is.na(clu)])
strength <- matrix(exp(rnorm(nco * length(ucl), 0, 0.7)), nco, dimnames = list(NULL, ucl))
strength[, as.character(ucl[pick$type[match(ucl, pick$cluster_code)] == "local"])] <-
  exp(rnorm(nco * sum(pick$type[match(ucl, pick$cluster_code)] == "local"), 0, 0.2))
# a few clear specialisations (traded clusters), e.g. Mecklenburg (37119)
# in financial services, Forsyth (37067) in tobacco
spec <- list(c("37119", 16), c("37067", 48), c("37063", 39), c("37183", 7),
             c("37081", 20), c("45045", 5), c("45019", 49), c("37155", 47))
for (s in spec) strength[match(s[1], counties), s[2]] <- 6
for (s in spec) absent[match(s[1], counties), which(clu == as.integer(s[2]))] <- FALSE
str_of <- function(i) if (is.na(clu[i])) rep(1, nco) else strength[, as.character(clu[i])]
plant <- exp(rnorm(ni, log(15), 0.7))
pay <- exp(rnorm(ni, log(50000), 0.3))
rows <- list()
for (yr in 2018:2019) {
  grow <- if (yr == 2018) 1 else exp(rnorm(nco * ni, 0.02, 0.08))
  mu <- outer(size, weight) * sapply(seq_len(ni), str_of) * grow
  emp <- round(mu * exp(rnorm(nco * ni, 0, 0.3)))
  emp[mu < 150 | emp < 1 | absent] <- 0
  k <- which(emp > 0, arr.ind = TRUE)
  e <- emp[k]
  est <- pmax(1, round(e / (plant[k[, 2]] * exp(rnorm(length(e), 0, 0.3)))))
  rows[[length(rows) + 1L]] <- data.frame(area_fips = counties[k[, 1]], own_code = 5L,
    industry_code = ind[k[, 2]], agglvl_code = 78L, year = yr, estabs = est, emp = e,
    wages = round(e * pay[k[, 2]]), stringsAsFactors = FALSE)
  # local government schools and hospitals
  for (gi in c("611110", "622110")) {
    e <- round(size * (if (gi == "611110") 0.05 else 0.01) * exp(rnorm(nco, 0, 0.2)))
    rows[[length(rows) + 1L]] <- data.frame(area_fips = counties, own_code = 3L,
      industry_code = gi, agglvl_code = 78L, year = yr, estabs = pmax(1, round(e / 200)),
      emp = e, wages = round(e * 45000), stringsAsFactors = FALSE)
  }
}
d78 <- do.call(rbind, rows)
# suppressed cells: BLS withholds the figures of some small cells and
# publishes them as 0 with disclosure code "N" (the totals include them)
d78$disclosure <- ""
supp <- d78$own_code == 5L & d78$emp < 250 & runif(nrow(d78)) < 0.2
tot <- function(d, keys) aggregate(d[c("estabs", "emp", "wages")], d[keys], sum)
d71 <- tot(d78, c("area_fips", "own_code", "year"))
d71$industry_code <- "10"; d71$agglvl_code <- 71L
d70 <- tot(d78, c("area_fips", "year"))
d70$own_code <- 0L; d70$industry_code <- "10"; d70$agglvl_code <- 70L
d50 <- d70
d50$area_fips <- paste0(substr(d50$area_fips, 1, 2), "000")
d50 <- tot(d50, c("area_fips", "year"))
d50$own_code <- 0L; d50$industry_code <- "10"; d50$agglvl_code <- 50L
d50$disclosure <- d70$disclosure <- d71$disclosure <- ""
d78$disclosure[supp] <- "N"
d <- rbind(d50[names(d78)], d70[names(d78)], d71[names(d78)], d78)
d <- d[order(d$year, d$area_fips, d$own_code, d$industry_code, method = "radix"), ]
hide <- d$disclosure == "N"
d$emp[hide] <- 0
d$wages[hide] <- 0
out <- data.frame(area_fips = d$area_fips, own_code = d$own_code,
                  industry_code = d$industry_code, agglvl_code = d$agglvl_code,
                  size_code = 0L, year = d$year, qtr = "A", disclosure_code = d$disclosure,
                  annual_avg_estabs = d$estabs, annual_avg_emplvl = d$emp,
                  total_annual_wages = d$wages, taxable_annual_wages = 0,
                  annual_contributions = 0,
                  annual_avg_wkly_wage = ifelse(hide, 0, round(d$wages / d$emp / 52)),
                  avg_annual_pay = ifelse(hide, 0, round(d$wages / d$emp)),
                  stringsAsFactors = FALSE)
# the remaining columns of the layout (location quotients and over-the-year
# changes), not used here: empty disclosure codes and zeros
for (nm in c("lq_disclosure_code", "lq_annual_avg_estabs", "lq_annual_avg_emplvl",
             "lq_total_annual_wages", "lq_taxable_annual_wages", "lq_annual_contributions",
             "lq_annual_avg_wkly_wage", "lq_avg_annual_pay", "oty_disclosure_code",
             "oty_annual_avg_estabs_chg", "oty_annual_avg_estabs_pct_chg",
             "oty_annual_avg_emplvl_chg", "oty_annual_avg_emplvl_pct_chg",
             "oty_total_annual_wages_chg", "oty_total_annual_wages_pct_chg",
             "oty_taxable_annual_wages_chg", "oty_taxable_annual_wages_pct_chg",
             "oty_annual_contributions_chg", "oty_annual_contributions_pct_chg",
             "oty_annual_avg_wkly_wage_chg", "oty_annual_avg_wkly_wage_pct_chg",
             "oty_avg_annual_pay_chg", "oty_avg_annual_pay_pct_chg"))
  out[[nm]] <- if (grepl("disclosure", nm)) "" else 0
stopifnot(ncol(out) == 38L)
chr <- c("area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year",
         "qtr", "disclosure_code", "lq_disclosure_code", "oty_disclosure_code")
for (nm in chr) out[[nm]] <- as.character(out[[nm]])
# BLS's files quote the codes and end lines with CR LF
utils::write.csv(out, "inst/extdata/qcew-sample-made-up.csv", row.names = FALSE,
                 quote = match(chr, names(out)), eol = "\r\n")
