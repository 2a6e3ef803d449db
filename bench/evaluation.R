# Benchmarks of the evaluation area: entropy_weights() and gem_score().
# No CRAN peer for the entropy weight method is installed, so the reference
# is a vectorised plain-R implementation of the same formulas (the natural
# way to write it in R). Run: R_LIBS=.lib Rscript bench/evaluation.R
library(gvcluster)
library(bench)

ew_plain <- function(x, cost = rep(FALSE, ncol(x))) {
  lo <- apply(x, 2, min); hi <- apply(x, 2, max)
  z <- sweep(sweep(x, 2, lo), 2, hi - lo, "/")
  z[, cost] <- 1 - z[, cost]
  p <- sweep(z, 2, colSums(z), "/")
  plogp <- ifelse(p > 0, p * log(p), 0)
  e <- -colSums(plogp) / log(nrow(x))
  w <- (1 - e) / sum(1 - e)
  list(weights = w, scores = drop(z %*% w))
}

set.seed(1)
sizes <- list(c(1e3, 10), c(1e5, 10), c(1e6, 5))
res <- list()
for (s in sizes) {
  x <- matrix(rlnorm(s[1] * s[2]), s[1], s[2])
  cost <- rep(c(FALSE, TRUE), length.out = s[2])
  b <- bench::mark(
    gvcluster = entropy_weights(x, cost = cost)$weights,
    plain_R = ew_plain(x, cost)$weights,
    iterations = 5, check = function(a, b) isTRUE(all.equal(unname(a), unname(b))))
  b$size <- sprintf("%g x %g", s[1], s[2])
  res[[length(res) + 1]] <- b
}

# GEM on a million clusters (vector mode) and the Bengbu mapping
n <- 1e6
sc <- replicate(6, runif(n, 1, 10), simplify = FALSE)
g <- bench::mark(
  gvcluster = do.call(gem_score, sc)$gem,
  plain_R = 2.5 * ((sc[[1]] + sc[[2]]) * (sc[[3]] + sc[[4]]) * (sc[[5]] + sc[[6]]))^(2 / 3),
  iterations = 5, check = function(a, b) isTRUE(all.equal(unname(a), b)))
g$size <- "1e6 clusters"
res[[length(res) + 1]] <- g
m <- bench::mark(
  gvcluster = gem_score(bengbu, id = "year",
                        mapping = list(infrastructure = c("infra", "sup"),
                                       resources = c("phrl", "tech"),
                                       local_market = "dm", external_market = "fm")),
  iterations = 50, check = FALSE)
m$size <- "bengbu mapping (8 x 6)"
res[[length(res) + 1]] <- m

out <- do.call(rbind, lapply(res, function(b)
  data.frame(size = b$size, expr = as.character(b$expression),
             median = format(b$median), mem_alloc = format(b$mem_alloc))))
print(out, row.names = FALSE)
