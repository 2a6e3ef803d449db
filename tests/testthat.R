library(testthat)
library(gvcluster)

test_check("gvcluster")
