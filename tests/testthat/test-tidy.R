# tidy() and glance() methods, checked against the objects' documented
# fields and against oracles that share no code with the package: lm() and
# summary.lm(), the plain-R input-output references of helper-gvc.R, and
# shares recomputed here from the sensitivity draws.

broom_tidy_cols <- c("term", "estimate", "std.error", "statistic", "p.value",
                     "conf.low", "conf.high")
broom_glance_lm_cols <- c("r.squared", "adj.r.squared", "sigma", "statistic",
                          "p.value", "df", "logLik", "AIC", "BIC", "deviance",
                          "df.residual", "nobs")

test_that("tidy.linreg matches lm() and summary.lm() with broom's columns", {
  skip_if_not_installed("generics")
  f <- linreg(LQ ~ infra + sup + tech, data = bengbu)
  l <- lm(LQ ~ infra + sup + tech, data = bengbu)
  cf <- coef(summary(l))
  td <- generics::tidy(f)
  expect_s3_class(td, "data.frame")
  expect_identical(names(td)[1:5], broom_tidy_cols[1:5])
  expect_identical(td$term, rownames(cf))
  expect_equal(td$estimate, unname(cf[, "Estimate"]), tolerance = 1e-9)
  expect_equal(td$std.error, unname(cf[, "Std. Error"]), tolerance = 1e-9)
  expect_equal(td$statistic, unname(cf[, "t value"]), tolerance = 1e-9)
  expect_equal(td$p.value, unname(cf[, "Pr(>|t|)"]), tolerance = 1e-9)
  expect_false("conf.low" %in% names(td))

  td90 <- generics::tidy(f, conf.int = TRUE, conf.level = 0.9)
  expect_identical(names(td90)[1:7], broom_tidy_cols)
  ci <- confint(l, level = 0.9)
  expect_equal(td90$conf.low, unname(ci[, 1]), tolerance = 1e-9)
  expect_equal(td90$conf.high, unname(ci[, 2]), tolerance = 1e-9)

  # standardised coefficients and VIFs by hand
  X <- as.matrix(bengbu[c("infra", "sup", "tech")])
  beta <- coef(l)[-1] * apply(X, 2, sd) / sd(bengbu$LQ)
  expect_equal(td$std.estimate, c(NA, unname(beta)), tolerance = 1e-9)
  expect_equal(td$vif, c(NA, unname(diag(solve(cor(X))))), tolerance = 1e-8)
})

test_that("glance.linreg matches lm(), weighted too", {
  skip_if_not_installed("generics")
  w <- seq(0.5, 2, length.out = nrow(bengbu))
  for (wt in list(NULL, w)) {
    dat <- bengbu
    dat$w <- if (is.null(wt)) rep(1, nrow(dat)) else wt
    f <- if (is.null(wt)) linreg(LQ ~ infra + sup + tech, data = dat) else
      linreg(LQ ~ infra + sup + tech, data = dat, weights = w)
    l <- lm(LQ ~ infra + sup + tech, data = dat, weights = w)
    s <- summary(l)
    gl <- generics::glance(f)
    expect_identical(names(gl)[1:12], broom_glance_lm_cols)
    expect_equal(nrow(gl), 1L)
    expect_equal(gl$r.squared, s$r.squared, tolerance = 1e-9)
    expect_equal(gl$adj.r.squared, s$adj.r.squared, tolerance = 1e-9)
    expect_equal(gl$sigma, s$sigma, tolerance = 1e-9)
    expect_equal(gl$statistic, unname(s$fstatistic["value"]), tolerance = 1e-9)
    expect_equal(gl$p.value, pf(s$fstatistic[1], s$fstatistic[2], s$fstatistic[3],
                                lower.tail = FALSE)[[1]], tolerance = 1e-8)
    expect_equal(gl$df, 3)
    expect_equal(gl$logLik, as.numeric(logLik(l)), tolerance = 1e-9)
    expect_equal(gl$AIC, AIC(l), tolerance = 1e-9)
    expect_equal(gl$BIC, BIC(l), tolerance = 1e-9)
    expect_equal(gl$deviance, deviance(l), tolerance = 1e-9)
    expect_equal(gl$df.residual, df.residual(l))
    expect_equal(gl$nobs, nobs(l))
  }
})

test_that("tidy.linreg keeps an aliased coefficient as a row of NAs", {
  skip_if_not_installed("generics")
  dat <- transform(bengbu, infra2 = 2 * infra)
  f <- suppressWarnings(linreg(LQ ~ infra + infra2 + tech, data = dat))
  td <- generics::tidy(f, conf.int = TRUE)
  expect_identical(td$term, c("(Intercept)", "infra", "infra2", "tech"))
  expect_true(all(is.na(unlist(td[3, -1]))))
  l <- lm(LQ ~ infra + tech, data = dat)
  expect_equal(td$estimate[-3], unname(coef(l)), tolerance = 1e-9)
})

test_that("tidy.gvc_decomposition: KWW terms sum to gross exports", {
  skip_if_not_installed("generics")
  t <- gvc_small()
  R <- gvc_ref(t)
  d <- gvc_decompose(gvc_icio(t), "kww")
  td <- generics::tidy(d)
  expect_identical(names(td), c("country", "term", "value", "share"))
  expect_equal(nrow(td), 3L * 9L)
  expect_false("GEXP" %in% td$term)
  ref <- ref_kww(R)
  # long rows against the wide documented table and the plain-R reference
  for (s in seq_len(3)) {
    rows <- td[td$country == t$countries[s], ]
    expect_identical(rows$term, colnames(ref)[1:9])
    expect_equal(rows$value, unname(unlist(d$terms[s, rows$term])))
    expect_equal(rows$value, unname(ref[s, 1:9]), tolerance = 1e-9)
    gexp <- sum(R$E[R$ix(s)])                  # gross exports from Z and Y
    expect_equal(sum(rows$value), gexp, tolerance = 1e-10)
    expect_equal(d$terms$GEXP[s], gexp, tolerance = 1e-10)
    expect_equal(sum(rows$share), 1, tolerance = 1e-12)
    expect_equal(rows$share, rows$value / gexp, tolerance = 1e-12)
  }
  gl <- generics::glance(d)
  expect_equal(nrow(gl), 1L)
  expect_identical(gl$method, "kww")
  expect_identical(gl$level, "country")
  expect_equal(gl$nobs, 3L)
  expect_equal(gl$countries, 3L)
  expect_equal(gl$total, sum(R$E), tolerance = 1e-12)
  expect_identical(gl$total.of, "GEXP")
  expect_lt(gl$max.residual, 1e-10 * sum(R$E))
})

test_that("tidy.gvc_decomposition: WWZ bilateral terms sum to bilateral exports", {
  skip_if_not_installed("generics")
  t <- gvc_small()
  R <- gvc_ref(t)
  d <- gvc_decompose(gvc_icio(t), "wwz")
  td <- generics::tidy(d)
  expect_identical(names(td), c("country", "sector", "importer", "term", "value", "share"))
  expect_equal(nrow(td), nrow(d$terms) * 16L)
  key <- paste(td$country, td$sector, td$importer)
  tot <- tapply(td$value, factor(key, unique(key)), sum)
  # the same sums from the reference's bilateral exports E_sr
  ci <- match(d$terms$country, t$countries)
  ji <- match(d$terms$sector, t$sectors)
  ri <- match(d$terms$importer, t$countries)
  esr <- R$Esr[cbind((ci - 1L) * t$N + ji, ri)]
  expect_equal(unname(c(tot)), esr, tolerance = 1e-9)
  sh <- tapply(td$share, factor(key, unique(key)), sum)
  expect_equal(unname(c(sh))[esr > 0], rep(1, sum(esr > 0)), tolerance = 1e-12)
  expect_true(all(is.na(td$share[key %in% unique(key)[esr == 0]])))
  # selecting terms
  ts <- generics::tidy(d, terms = c("DVA_FIN", "MDC"))
  expect_identical(unique(ts$term), c("DVA_FIN", "MDC"))
  expect_equal(ts$value[ts$term == "MDC"], d$terms$MDC)
})

test_that("tidy.gvc_decomposition: Leontief and WWYZ shares have their own totals", {
  skip_if_not_installed("generics")
  t <- gvc_small()
  R <- gvc_ref(t)
  x <- gvc_icio(t)
  le <- generics::tidy(gvc_decompose(x, "leontief"))
  dv <- le$value[le$term == "DV"]
  fv <- le$value[le$term == "FV"]
  E <- vapply(seq_len(3), function(s) sum(R$E[R$ix(s)]), 0)
  expect_equal(dv + fv, E, tolerance = 1e-10)
  # FV by hand: sum over t != s of v_t B_ts E_s
  fv_ref <- vapply(seq_len(3), function(s) {
    sum(vapply(setdiff(1:3, s), function(u)
      sum(R$v[R$ix(u)] %*% R$B[R$ix(u), R$ix(s)] %*% R$E[R$ix(s)]), 0))
  }, 0)
  expect_equal(fv, fv_ref, tolerance = 1e-10)
  expect_equal(le$share[le$term == "FV"], fv_ref / E, tolerance = 1e-10)

  d <- gvc_decompose(x, "wwyz")
  w <- generics::tidy(d)
  key <- paste(w$country, w$sector)
  fwd <- grepl("^V_", w$term)
  bwd <- grepl("^Y_", w$term)
  va <- tapply(w$value[fwd], factor(key[fwd], unique(key)), sum)
  fg <- tapply(w$value[bwd], factor(key[bwd], unique(key)), sum)
  # value added and final goods output by hand from Z and Y
  va_ref <- R$x - colSums(t$Z)
  expect_equal(unname(c(va)), va_ref, tolerance = 1e-9)
  expect_equal(unname(c(fg)), rowSums(t$Y), tolerance = 1e-9)
  expect_true(all(is.na(w$share[!fwd & !bwd])))
  vaw <- va_ref[match(key, paste(d$terms$country, d$terms$sector))]
  expect_equal(w$share[fwd & vaw > 0], (w$value / vaw)[fwd & vaw > 0], tolerance = 1e-12)
  expect_true(all(is.na(w$share[fwd & vaw == 0])))      # the zero-output sector
  gl <- generics::glance(d)
  expect_identical(gl$total.of, "VA")
  expect_equal(gl$total, sum(va_ref), tolerance = 1e-12)
  expect_equal(gl$sectors, 3L)
})

test_that("tidy and glance for gvc_index agree with the table and a world group", {
  skip_if_not_installed("generics")
  t <- gvc_small()
  R <- gvc_ref(t)
  x <- gvc_icio(t)
  gi <- gvc_index(x)
  td <- generics::tidy(gi)
  expect_identical(class(td), "data.frame")
  expect_identical(names(td), c("country", "E", "IV", "FV", "participation", "position"))
  expect_equal(td$participation, (td$IV + td$FV) / td$E)
  expect_equal(td$position, log(1 + td$IV / td$E) - log(1 + td$FV / td$E))
  gl <- generics::glance(gi)
  expect_equal(nrow(gl), 1L)
  expect_identical(gl$iv, "t3")
  expect_equal(gl$nobs, 3L)
  expect_equal(gl$E, sum(R$E), tolerance = 1e-12)
  # every country in one group: the package's own group aggregation
  w <- gvc_index(x, groups = list(World = t$countries))
  expect_equal(gl$participation, w$participation, tolerance = 1e-12)
  expect_equal(gl$position, w$position, tolerance = 1e-12)
  expect_equal(c(gl$IV, gl$FV), c(w$IV, w$FV), tolerance = 1e-12)
  # and by hand from the sums
  expect_equal(gl$participation, (sum(td$IV) + sum(td$FV)) / sum(R$E), tolerance = 1e-12)
  # supplied components, sector level
  g2 <- generics::glance(gvc_index(c(A = 1, B = 3), fv = c(2, 2), exports = c(10, 30)))
  expect_equal(g2$participation, 8 / 40)
  expect_equal(g2$position, log(1 + 4 / 40) - log(1 + 4 / 40))
  gs <- generics::glance(gvc_index(x, level = "sector"))
  expect_identical(gs$level, "sector")
  expect_equal(gs$nobs, 9L)
})

test_that("tidy and glance for linreg_sensitivity recompute from the draws", {
  skip_if_not_installed("generics")
  l <- lm(LQ ~ infra + sup + tech, data = bengbu)
  sl <- summary(l)
  set.seed(3)
  s <- sensitivity(l, draws = 300, error = c(LQ = 0.1))
  td <- generics::tidy(s, conf.int = TRUE)
  expect_identical(names(td), c(broom_tidy_cols, "flip", "sign.change", "verdict"))
  cf <- coef(sl)
  expect_equal(td$estimate, unname(cf[, 1]), tolerance = 1e-9)
  expect_equal(td$std.error, unname(cf[, 2]), tolerance = 1e-9)
  expect_equal(td$statistic, unname(cf[, 3]), tolerance = 1e-9)
  expect_equal(td$p.value, unname(cf[, 4]), tolerance = 1e-8)
  sig0 <- cf[, 4] < 0.05
  flip <- vapply(1:4, function(j) mean((s$p[, j] < 0.05) != sig0[j]), 0)
  sgn <- vapply(1:4, function(j) mean(sign(s$B[, j]) != sign(cf[j, 1])), 0)
  expect_equal(td$flip, flip)
  expect_equal(td$sign.change, sgn)
  expect_true(any(flip > 0) && any(sgn > 0))          # the shares are not trivial
  expect_identical(td$verdict, ifelse(flip > 0.1 | sgn > 0.05, "fragile", "robust"))
  lo <- vapply(1:4, function(j) quantile(s$B[, j], 0.05, names = FALSE), 0)
  hi <- vapply(1:4, function(j) quantile(s$B[, j], 0.95, names = FALSE), 0)
  expect_equal(td$conf.low, lo)
  expect_equal(td$conf.high, hi)
  t8 <- generics::tidy(s, conf.int = TRUE, conf.level = 0.8)
  expect_equal(t8$conf.low[2], quantile(s$B[, 2], 0.1, names = FALSE))

  gl <- generics::glance(s)
  expect_equal(nrow(gl), 1L)
  expect_equal(gl$draws, 300L)
  expect_equal(gl$nobs, 8L)
  expect_equal(c(gl$df, gl$df.residual), c(3, 4))
  expect_equal(gl$rank.deficient, sum(is.na(s$r.squared)))
  expect_equal(gl$r.squared, sl$r.squared, tolerance = 1e-9)
  expect_equal(gl$statistic, unname(sl$fstatistic[1]), tolerance = 1e-9)
  fp0 <- pf(sl$fstatistic[1], 3, 4, lower.tail = FALSE)[[1]]
  expect_equal(gl$p.value, fp0, tolerance = 1e-8)
  expect_equal(gl$flip, mean((s$F.p < 0.05) != (fp0 < 0.05)))
  expect_gt(gl$flip, 0)
  expect_equal(gl$fragile, sum(flip > 0.1 | sgn > 0.05))
})

test_that("tidiers reject bad arguments by name", {
  skip_if_not_installed("generics")
  f <- linreg(LQ ~ infra + sup, data = bengbu)
  d <- gvc_decompose(icio_example, "kww")
  set.seed(1)
  s <- sensitivity(f, draws = 20)
  expect_snapshot(error = TRUE, {
    generics::tidy(f, conf.int = NA)
    generics::tidy(f, conf.int = TRUE, conf.level = 1.5)
    generics::tidy(s, conf.int = TRUE, conf.level = NA)
    generics::tidy(d, terms = c("DVA_FIN", "GEXP", "nope"))
    generics::tidy(d, terms = 1)
  })
})

test_that("tidy/glance of BMT (trade, output), TiVA and Borin-Mancini imports: shares of their own totals", {
  skip_if_not_installed("generics")
  t <- gvc_small(G = 3L, N = 2L, F = 2L, seed = 11L, zero = FALSE)
  R <- gvc_ref(t)
  x <- gvc_icio(t)
  xc <- vapply(1:3, function(s) sum(R$x[R$ix(s)]), 0)      # output by country
  ec <- vapply(1:3, function(s) sum(R$E[R$ix(s)]), 0)      # gross exports
  o <- generics::tidy(gvc_decompose(x, "bmt_output"))
  dom <- o[o$term == "DOM", ]
  expect_equal(dom$share, dom$value / xc, tolerance = 1e-12)
  expect_true(all(is.na(o$share[o$term %in% c("GVC_share", "PB_share")])))
  expect_false("X" %in% o$term)
  g <- generics::glance(gvc_decompose(x, "bmt_output"))
  expect_identical(g$total.of, "X")
  expect_equal(g$total, sum(R$x), tolerance = 1e-12)
  expect_lt(g$max.residual, 1e-9 * sum(R$x))
  b <- generics::tidy(gvc_decompose(x, "bmt"))
  pf <- b[b$term == "GVC_PF", ]
  expect_equal(pf$share, pf$value / ec, tolerance = 1e-12)
  expect_equal(generics::glance(gvc_decompose(x, "bmt"))$total, sum(R$E), tolerance = 1e-12)
  tv <- generics::tidy(gvc_decompose(x, "tiva"))
  expect_true(all(is.na(tv$share[tv$term %in% c("VA", "DVA_share", "VAX_ratio")])))
  dva <- tv[tv$term == "DVA", ]
  expect_equal(dva$share, dva$value / ec, tolerance = 1e-12)
  expect_identical(generics::glance(gvc_decompose(x, "tiva"))$total.of, "GEXP")
  im <- gvc_decompose(x, "bm", flow = "imports")
  ti <- generics::tidy(im)
  # gross imports of each country by hand: the other countries' exports to it
  gimp <- vapply(1:3, function(r) sum(R$Esr[-R$ix(r), r]), 0)
  va <- ti[ti$term == "VA", ]
  dc <- ti[ti$term == "DC", ]
  expect_equal(va$value + dc$value, gimp, tolerance = 1e-10)
  expect_equal(va$share + dc$share, rep(1, 3), tolerance = 1e-12)
  gi <- generics::glance(im)
  expect_identical(gi$total.of, "GIMP")
  expect_equal(gi$total, sum(gimp), tolerance = 1e-12)
})

test_that("tidy(terms = character(0)) and a decomposition with a foreign method are clear errors (issue 27)", {
  k <- gvc_decompose(icio_example, "kww")
  expect_error(generics::tidy(k, terms = character(0)),
               "`terms` names no term \\(character\\(0\\)\\): give at least one, or NULL for all: DVA_FIN")
  g <- k
  g$method <- "foo"
  expect_error(generics::glance(g), "`x` is not a gvc_decompose\\(\\) result: its method is \"foo\"")
  expect_error(generics::tidy(g), "its method is \"foo\"")
  g$method <- NULL
  expect_error(generics::glance(g), "its method is NULL")
})
