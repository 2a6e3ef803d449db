#' The US Cluster Mapping Project's cluster list
#'
#' The 67 clusters of the US Cluster Mapping Project's published cluster
#' list, one row per 6-digit NAICS 2007 industry (1,099 industries): 51
#' traded clusters (codes 1-49 and 1001-1011) and 16 local clusters (codes
#' 101-116, whose names begin with "Local"). Pass it as `groups` to
#' [clusters()] with `rule = "uscmp"`.
#'
#' @section Source:
#' Built by `data-raw/us_clusters.R` in the package sources from a copy of
#' `cms/modules/hbs_homepage/js/clusters-list.json` of the project's public
#' repository (<https://github.com/clustermapping/cmp>, GPL-2, commit of
#' 2020-06-09): each entry's `id` gives `cluster_code`, `name_t` the name and
#' `naics_txt` the industries; the list says its codes are NAICS 2007
#' (`year_t`). The list names the sub-clusters of each cluster but does not
#' say which industries belong to which sub-cluster, so no sub-cluster
#' column is given.
#'
#' Two clusters share the name "Agricultural Products" (codes 11 and 1001).
#' A name used by more than one cluster has its code appended in
#' parentheses, so `cluster` is unique: "Agricultural Products (11)" and
#' "Agricultural Products (1001)". Group by `cluster_code`.
#'
#' The names and codes of this list are not those of the 51 traded clusters
#' of Delgado, Porter and Stern (2016) used in the project's
#' cluster-relatedness file (`data/web/viz/json/relatedClusters.json` of the
#' same repository, where code 1 is "Aerospace Vehicles and Defense" rather
#' than "Aerospace Engines"): the two files come from different vintages of
#' the definitions, which is why that relatedness table is not shipped.
#'
#' @section NAICS vintages:
#' The codes are NAICS 2007. Data coded in a later vintage (QCEW uses NAICS
#' 2012 for 2011-2016, NAICS 2017 from 2017, NAICS 2022 from 2022) should be
#' mapped to NAICS 2007 first, through a concordance the user applies (the
#' Census Bureau's concordances are in the CRAN package concordance);
#' industries of `x` that are not in the list are left out of the cluster
#' sums, and [clusters()] says how many.
#'
#' @format A data frame with 1,099 rows and 4 columns, sorted by
#'   `cluster_code` and `industry`:
#' \describe{
#'   \item{industry}{6-digit NAICS 2007 code (character).}
#'   \item{cluster_code}{The cluster's code in the list (integer).}
#'   \item{cluster}{The cluster's name, unique (see Source).}
#'   \item{type}{`"traded"` or `"local"`.}
#' }
#' @references
#' Delgado M., Porter M. E., Stern S. (2016). Defining clusters of related
#' industries. *Journal of Economic Geography* 16, 1-38.
#'
#' US Cluster Mapping Project, Institute for Strategy and Competitiveness,
#' Harvard Business School. Source code: <https://github.com/clustermapping/cmp>.
#' @seealso [clusters()] with `rule = "uscmp"`.
#' @examples
#' head(us_clusters)
#' table(us_clusters$type)
#' us_clusters[us_clusters$industry == "336411", ]
"us_clusters"
