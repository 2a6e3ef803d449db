# What the sensitivity plot shows, panel by panel (sens_panels() holds the
# numbers the plot method draws), checked by hand.
sens_plot_fit <- function(draws = 400) {
  fit <- lm(LQ ~ infra + sup + tech + phrl + fm + dm, data = bengbu)
  set.seed(11)
  sensitivity(fit, draws = draws)
}

test_that("B, t and p panels with the true share of draws off scale", {
  s <- sens_plot_fit()
  pub <- bengbu_published$coefficients
  pan <- gvcluster:::sens_panels(s, published = pub)
  expect_identical(unique(pan$stat), c("B", "t", "p"))
  expect_identical(nrow(pan), 3L * 7L)
  for (i in seq_len(nrow(pan))) {
    v <- s[[pan$stat[i]]][, pan$term[i]]
    v <- v[is.finite(v)]
    # the share printed is the share outside the drawn axis, by hand
    expect_equal(pan$off_share[i], mean(v < pan$lo[i] | v > pan$hi[i]))
    # never more than trim (5%) cut from a tail
    expect_lte(mean(v < pan$lo[i]), 0.05 + 1 / length(v))
    expect_lte(mean(v > pan$hi[i]), 0.05 + 1 / length(v))
  }
  # the coefficients spread without long tails: every draw is on scale
  # (the former plot cut 10% of every panel whatever the data)
  expect_true(all(pan$off_share[pan$stat == "B"] == 0))
  # and the title says so: no note at all, not "10.0%"
  expect_identical(gvcluster:::sens_percent(0.1), "10.0%")
  expect_identical(gvcluster:::sens_percent(0.0004), "<0.1%")
})

test_that("published 0.000 values are marked as rounded, not drawn at 0", {
  s <- sens_plot_fit(100)
  pub <- bengbu_published$coefficients
  pan <- gvcluster:::sens_panels(s, published = pub)
  b <- pan[pan$stat == "B", ]
  zero <- pub$term[pub$B == 0]
  expect_setequal(zero, c("sup", "fm", "dm"))
  expect_identical(b$published_zero, b$term %in% zero)
  expect_true(all(is.na(b$published[b$published_zero])))
  expect_equal(b$published[!b$published_zero], pub$B[!pub$term %in% zero])
  # the axis of a rounded-zero panel is not stretched to 0: sup's B draws
  # all lie below 0
  expect_lt(b$hi[b$term == "sup"], 0)
})

test_that("critical values: t at level on the original's side, p at level", {
  s <- sens_plot_fit(100)
  pan <- gvcluster:::sens_panels(s)
  tc <- stats::qt(1 - 0.05 / 2, df = 1)            # 12.706
  tp <- pan[pan$stat == "t", ]
  expect_equal(tp$critical, sign(s$original$t[tp$term]) * tc, ignore_attr = TRUE)
  expect_true(all(pan$critical[pan$stat == "p"] == 0.05))
  expect_true(all(is.na(pan$critical[pan$stat == "B"])))
  # the drawn range shows the critical value
  expect_true(all(tp$lo <= tp$critical & tp$critical <= tp$hi))
})

test_that("the plot draws at the vignette's size and names its arguments in errors", {
  s <- sens_plot_fit(100)
  f <- tempfile(fileext = ".png")
  grDevices::png(f, width = 7, height = 13, units = "in", res = 72)
  expect_invisible(plot(s, published = bengbu_published$coefficients))
  grDevices::dev.off()
  expect_gt(file.size(f), 20000)
  unlink(f)
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_snapshot(error = TRUE, {
    plot(s, published = data.frame(term = "infra", beta = 1))
    plot(s, terms = c("infra", "nope"))
    plot(s, trim = 0.5)
  })
})

test_that("the panels' x ticks are plain numbers inside the range, their labels fitting between them", {
  grDevices::pdf(NULL, width = 7, height = 13)
  on.exit(grDevices::dev.off())
  graphics::par(mfrow = c(7, 3), cex = 0.75)
  graphics::plot.new()
  for (r in list(c(-2.1e-7, -0.9e-7), c(2.16e-8, 2.68e-8), c(0.3, 0.8),
                 c(-250, 12), c(0, 1), c(1e5, 3e5), c(-1.2e-7, 1.3e-7))) {
    graphics::plot.window(r, c(0, 1))
    ax <- gvcluster:::sens_axis_ticks(r[1], r[2])
    expect_false(any(grepl("e", ax$labels, fixed = TRUE)))
    expect_true(all(ax$at >= r[1] - 1e-12 & ax$at <= r[2] + 1e-12))
    expect_gte(length(ax$at), 2L)
    # the labels read back as the ticks (to the digits they show)
    expect_equal(as.numeric(ax$labels), ax$at, tolerance = 1e-9)
    w <- max(graphics::strwidth(ax$labels, cex = graphics::par("cex.axis")))
    expect_lt(w, min(diff(ax$at)))
  }
})
