# Writes the demo OECD ICIO files of inst/extdata: made-up numbers in the
# exact layout of the OECD ICIO 2023 release (one CSV per year, as in
# 2016-2020_EXT.zip), with China and Mexico split into CN1/CN2 and MX1/MX2.
# Run from the package root: Rscript tools/make-icio-demo.R
source("tests/testthat/helper-read-icio.R")
num_digits <- 12
for (k in seq_along(yrs <- c(2016, 2018, 2020))) {
  t <- oecd_fixture(seed = 100 + k)
  t$countries <- c("CHN", "DEU", "MEX", "USA", "ROW", "MX1", "MX2", "CN1", "CN2")
  t <- fake_table(t$countries, t$sectors, t$cats, t$splits, seed = 100 + k)
  # round to 4 decimals as the OECD files do, keeping the table balanced
  t$Z <- round(t$Z, 4); t$Y <- round(t$Y, 4)
  t$x <- rowSums(t$Z) + rowSums(t$Y)
  t$va <- t$x - colSums(t$Z); t$tls <- round(0.1 * t$va, 4); t$vaa <- t$va - t$tls
  write_oecd(t, sprintf("inst/extdata/icio2023_%d.csv", yrs[k]), "2023")
}
