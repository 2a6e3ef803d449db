# Generates data/us_clusters.rda: the US Cluster Mapping Project's cluster
# definitions (Delgado, Porter and Stern 2016), one row per NAICS 2007
# industry, from the project's published cluster list.
#
# Source: data-raw/uscmp-clusters-list.json is an unchanged copy of
# cms/modules/hbs_homepage/js/clusters-list.json in the project's public
# repository https://github.com/clustermapping/cmp (commit
# f1b2b674482e3016a90dccfce9dc2c0c4638898b, 2020-06-09), licensed under the
# GNU General Public License version 2 (see data-raw/uscmp-SOURCE.md).
# The script runs offline; it needs the jsonlite package.
#
# The list has 67 clusters ("id": "clusterData/<code>") and 1,099 6-digit
# NAICS 2007 codes ("naics_txt"). Codes 101-116 are the 16 local clusters
# (their names begin with "Local"); the other 51 (below 100, or from 1001)
# are traded. The list's "sub_clusters" are names only: it has no
# industry-to-subcluster map, so none is made up here. Two clusters share
# the name "Agricultural Products" (codes 11 and 1001): a name used by more
# than one cluster gets its code appended, "Agricultural Products (11)" and
# "Agricultural Products (1001)", so that names are unique for display.
lst <- jsonlite::fromJSON("data-raw/uscmp-clusters-list.json", simplifyVector = FALSE)
code <- as.integer(sub("^clusterData/", "", vapply(lst, `[[`, "", "id")))
name <- vapply(lst, `[[`, "", "name_t")
stopifnot(!anyNA(code), !anyDuplicated(code), all(vapply(lst, `[[`, "", "year_t") == "2007"))
dup <- name %in% name[duplicated(name)]
name[dup] <- sprintf("%s (%d)", name[dup], code[dup])
type <- ifelse(code >= 101L & code <= 116L, "local", "traded")
stopifnot(all(grepl("^Local", name) == (type == "local")))
naics <- lapply(lst, function(e) as.character(unlist(e$naics_txt)))
us_clusters <- data.frame(
  industry = unlist(naics),
  cluster_code = rep(code, lengths(naics)),
  cluster = rep(name, lengths(naics)),
  type = rep(type, lengths(naics)),
  stringsAsFactors = FALSE)
us_clusters <- us_clusters[order(us_clusters$cluster_code, us_clusters$industry,
                                 method = "radix"), ]
rownames(us_clusters) <- NULL
stopifnot(nrow(us_clusters) == 1099L, !anyDuplicated(us_clusters$industry),
          all(grepl("^[0-9]{6}$", us_clusters$industry)),
          length(unique(us_clusters$cluster_code)) == 67L,
          sum(type == "traded") == 51L, sum(type == "local") == 16L)
save(us_clusters, file = "data/us_clusters.rda", compress = "xz", version = 2)
