# Builds data/bengbu.rda from inst/extdata/bengbu.csv, which holds Table 1 of
# the study as published (rows reordered to run 2012-2019; infra converted
# from percent to a proportion). Run from the package root.
bengbu <- utils::read.csv("inst/extdata/bengbu.csv")
bengbu$year <- as.integer(bengbu$year)
save(bengbu, file = "data/bengbu.rda", compress = "bzip2", version = 2)
