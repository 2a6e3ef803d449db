# icio_example: a small, synthetic but realistically shaped inter-country
# input-output table (5 countries x 4 sectors x 2 final-demand categories,
# USD billion), generated reproducibly. Run from the package root after
# installing the package:  Rscript data-raw/icio_example.R
library(gvcluster)

set.seed(20230611)
countries <- c("CHN", "USA", "DEU", "JPN", "ROW")
sectors <- c("AGR", "MAT", "MAN", "SRV")   # agriculture & mining; materials
                                           # (incl. silicon-based); other
                                           # manufacturing; services
fd <- c("HH", "INV")                        # households & government; investment
G <- length(countries); N <- length(sectors); F <- length(fd); n <- G * N

# Domestic input coefficients by sector pair (rows supply columns), the
# typical shape of a national table: manufacturing buys a lot of materials,
# services buy mostly services.
base <- matrix(c(0.10, 0.12, 0.08, 0.02,
                 0.05, 0.20, 0.22, 0.03,
                 0.04, 0.08, 0.18, 0.06,
                 0.08, 0.10, 0.12, 0.22), N, N, byrow = TRUE)
# Openness: share of each country's inputs bought abroad.
openness <- c(CHN = 0.12, USA = 0.10, DEU = 0.30, JPN = 0.15, ROW = 0.18)
size <- c(CHN = 30, USA = 32, DEU = 8, JPN = 9, ROW = 55)   # final demand scale

A <- matrix(0, n, n)
for (r in seq_len(G)) for (s in seq_len(G)) {
  rows <- (s - 1) * N + seq_len(N); cols <- (r - 1) * N + seq_len(N)
  noise <- matrix(runif(N * N, 0.7, 1.3), N, N)
  if (r == s) {
    A[rows, cols] <- base * noise * (1 - openness[r])
  } else {
    w <- size[s] / sum(size[-r])             # bigger suppliers sell more
    A[rows, cols] <- base * noise * openness[r] * w
  }
}
# Final demand: home bias, more services at home, more goods traded.
goods_share <- c(0.08, 0.10, 0.35, 0.47)
Y <- matrix(0, n, G * F)
for (r in seq_len(G)) for (s in seq_len(G)) {
  rows <- (s - 1) * N + seq_len(N)
  home <- if (r == s) 0.85 else 0.15 * size[s] / sum(size[-r])
  trade_adj <- if (r == s) c(1, 1, 1, 1.2) else c(1.2, 1.4, 1.6, 0.3)
  tot <- size[r] * 100 * home * goods_share * trade_adj * runif(N, 0.8, 1.2)
  Y[rows, (r - 1) * F + 1] <- tot * 0.75   # households & government
  Y[rows, (r - 1) * F + 2] <- tot * 0.25   # investment
}
x <- solve(diag(n) - A, rowSums(Y))
Z <- round(A * rep(x, each = n), 1)
Y <- round(Y, 1)

icio_example <- icio(Z, Y, countries, sectors, fd)
usethis_save <- function(obj, file) save(list = obj, file = file, compress = "xz")
usethis_save("icio_example", "data/icio_example.rda")
