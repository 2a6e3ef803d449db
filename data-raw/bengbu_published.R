# Builds data/bengbu_published.rda: the regression results the study
# publishes in its Table 2, typed from the article, in the shape of
# summary(<linreg>) so that the two can be put side by side.
coefficients <- data.frame(
  term = c("(Intercept)", "infra", "sup", "tech", "phrl", "fm", "dm"),
  B    = c(0.554, 9.295, -0.000, 0.018, -0.461, 0.000, 0.000),
  SE   = c(0.071, 0.588, 0.000, 0.001, 0.017, 0.000, 0.000),
  Beta = c(NA, 0.307, -0.116, 0.298, -0.206, 0.757, 0.014),
  t    = c(7.810, 15.812, -6.796, 12.597, -27.019, 37.031, 0.611),
  p    = c(0.081, 0.040, 0.093, 0.050, 0.024, 0.017, 0.651),
  VIF  = c(NA, 15.673, 12.058, 23.295, 2.423, 17.356, 20.548),
  Tolerance = c(NA, 0.064, 0.083, 0.043, 0.413, 0.058, 0.049),
  stringsAsFactors = FALSE
)
model <- data.frame(n = 8L, r.squared = 1.000, adj.r.squared = 1.000,
                    F = 6917.228, df1 = 6L, df2 = 1L, F.p = 0.009, dw = 2.938)
bengbu_published <- list(coefficients = coefficients, model = model,
                         digits = 3L)
save(bengbu_published, file = "data/bengbu_published.rda", compress = "bzip2",
     version = 2)
