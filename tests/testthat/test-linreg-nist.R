# NIST StRD linear regression problems: at least 9 correct significant digits
# (LRE >= 9) in every coefficient and standard error, no column dropped;
# absolute error below 1e-9 on the exact fits Wampler1 and Wampler2.
nist_problem <- function(dir, name) {
  dat <- read.csv(file.path(dir, paste0(name, ".csv")))
  cert <- read.csv(file.path(dir, paste0(name, "_certified.csv")))
  k <- nrow(cert) - 2L
  fo <- switch(name,
    Longley = y ~ x1 + x2 + x3 + x4 + x5 + x6,
    NoInt1 = , NoInt2 = y ~ 0 + x,
    Norris = y ~ x,
    as.formula(paste("y ~ x +", paste0("I(x^", 2:(k - 1L), ")", collapse = " + "))))
  list(data = dat, formula = fo, k = k,
       b = cert$estimate[seq_len(k)], se = cert$sd[seq_len(k)],
       rsd = cert$estimate[k + 1L], r2 = cert$estimate[k + 2L])
}

nist_names <- c("Norris", "Pontius", "NoInt1", "NoInt2", "Longley", "Filip",
                "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5")

test_that("linreg reaches LRE >= 9 on all eleven NIST StRD linear problems", {
  # accuracy, not memory: the valgrind run keeps to the two smaller tests below
  skip_if(nzchar(Sys.getenv("GVCLUSTER_VALGRIND")))
  dir <- testdata_shipped("nist")
  for (nm in nist_names) {
    pr <- nist_problem(dir, nm)
    f <- linreg(pr$formula, data = pr$data)
    expect_equal(f$rank, pr$k, label = paste(nm, "rank"))
    expect_false(anyNA(coef(f)), label = paste(nm, "no column dropped"))
    if (nm %in% c("Wampler1", "Wampler2")) {
      expect_lt(max(abs(coef(f) - pr$b)), 1e-9, label = paste(nm, "coefficients"))
      expect_lt(max(abs(f$se - pr$se)), 1e-9, label = paste(nm, "SE"))
      expect_lt(abs(f$sigma - pr$rsd), 1e-9, label = paste(nm, "residual SD"))
    } else {
      expect_gte(min(lre(coef(f), pr$b)), 9, label = paste(nm, "coefficients LRE"))
      expect_gte(min(lre(f$se, pr$se)), 9, label = paste(nm, "SE LRE"))
      expect_gte(lre(f$sigma, pr$rsd), 9, label = paste(nm, "residual SD LRE"))
    }
    r2 <- if (nm %in% c("NoInt1", "NoInt2")) f$stats$r.squared else f$stats$r.squared
    expect_gte(lre(r2, pr$r2), 9, label = paste(nm, "R2 LRE"))
  }
})

test_that("poly(raw = TRUE) terms are rebuilt in extended precision as well", {
  dir <- testdata_shipped("nist")
  pr <- nist_problem(dir, "Filip")
  f <- linreg(y ~ poly(x, 10, raw = TRUE), data = pr$data)
  expect_gte(min(lre(coef(f), pr$b)), 9)
  expect_gte(min(lre(f$se, pr$se)), 9)
})

test_that("the double path with refinement is accurate on the milder NIST problems", {
  dir <- testdata_shipped("nist")
  for (nm in c("Norris", "Pontius", "NoInt1", "NoInt2", "Longley", "Wampler3")) {
    pr <- nist_problem(dir, nm)
    f <- linreg(pr$formula, data = pr$data, precision = "double")
    expect_gte(min(lre(coef(f), pr$b)), 9, label = paste(nm, "coefficients LRE (double)"))
    expect_gte(min(lre(f$se, pr$se)), 9, label = paste(nm, "SE LRE (double)"))
  }
})
