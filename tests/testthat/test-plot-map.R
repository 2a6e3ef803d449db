# plot_map(): the join, the classes and colours it draws, and its errors.
# Drawing goes to a null device; what is drawn is checked through the
# joined values plot_map() returns.

map_ready <- function() {
  skip_if_not_installed("sf", "1.0")
  grDevices::pdf(NULL)
  withr::defer(grDevices::dev.off(), envir = parent.frame())
}

test_that("rows join by key or by position; unknown keys are an error", {
  map_ready()
  g <- sp_grid_layer(4, 3)
  tab <- data.frame(region = rev(g$id), lq = c(12:1) / 4)
  out <- plot_map(tab, g, by = c(region = "id"))
  expect_equal(out$value, tab$lq[match(g$id, tab$region)])
  names(tab)[1] <- "id"
  expect_equal(plot_map(tab, g, by = "id")$value, rev(tab$lq))
  expect_equal(plot_map(tab$lq, g)$value, tab$lq)                    # by position
  # polygons without a row are drawn as "no data"
  part <- plot_map(tab[1:10, ], g, by = "id")
  expect_identical(sum(is.na(part$value)), 2L)
  expect_identical(part$colour[is.na(part$value)], c("white", "white"))
  expect_snapshot(plot_map(tab[1:10, ], g), error = TRUE)
  bad <- tab; bad$id[3] <- "c999"
  expect_snapshot(plot_map(bad, g, by = "id"), error = TRUE)
  expect_snapshot(plot_map(tab, g, by = c(id = "nope")), error = TRUE)
  expect_snapshot(plot_map(rbind(tab, tab[1, ]), g, by = "id"), error = TRUE)
  expect_snapshot(plot_map(tab, g, value = "nope"), error = TRUE)
  expect_snapshot(plot_map(tab, as.data.frame(g)), error = TRUE)
})

test_that("numeric values are classed by quantiles or given breaks", {
  map_ready()
  g <- sp_grid_layer(5, 4)
  v <- c(1:20) / 2
  out <- plot_map(v, g, breaks = 4)
  br <- quantile(v, 0:4 / 4)
  expect_identical(as.integer(out$class), as.integer(cut(v, br, include.lowest = TRUE)))
  expect_identical(nlevels(out$class), 4L)
  expect_identical(length(unique(out$colour)), 4L)
  out2 <- plot_map(v, g, breaks = c(0, 1, 5, 10), palette = c("red", "green", "blue"))
  expect_identical(out2$colour, c("red", "red", rep("green", 8), rep("blue", 10)))
  expect_snapshot(plot_map(v, g, breaks = "a"), error = TRUE)
})

test_that("LISA colours follow the quadrant where significant, grey elsewhere", {
  map_ready()
  g <- sp_grid_layer(4, 4)
  res <- structure(data.frame(region = g$id, I = 0, p = rep(c(0.01, 0.2), 8),
                              quadrant = factor(rep(c("High-High", "Low-Low", "High-Low", "Low-High"), 4),
                                                levels = c("High-High", "Low-Low", "High-Low", "Low-High"))),
                   class = c("local_moran", "data.frame"))
  out <- plot_map(res, g)
  sig <- res$p <= 0.05
  expected <- ifelse(sig, c("High-High" = "#D7191C", "Low-Low" = "#2C7BB6", "High-Low" = "#F4A6B7",
                            "Low-High" = "#9ECAE1")[as.character(res$quadrant)], "#D9D9D9")
  expect_identical(out$colour, unname(expected))
  expect_identical(as.character(out$class[!sig]), rep("Not significant", 8))
  # the level and the p-value column are arguments; quadrant itself is unchanged
  out2 <- plot_map(res, g, alpha = 0.5)
  expect_identical(as.character(out2$class), as.character(res$quadrant))
  res$p_sim <- 1
  expect_true(all(plot_map(res, g)$class == "Not significant"))     # p_sim preferred
  expect_identical(as.character(plot_map(res, g, p_value = "p")$class), as.character(out$class))
})

test_that("Gi* z is mapped in hot- and cold-spot classes", {
  map_ready()
  g <- sp_grid_layer(4, 2)
  res <- structure(data.frame(region = g$id, z = c(-3, -2, -1.7, 0, 1.7, 2, 3, NA)),
                   class = c("getis_ord", "data.frame"))
  out <- plot_map(res, g)
  expect_identical(as.character(out$class),
                   c("Cold spot 99%", "Cold spot 95%", "Cold spot 90%", "Not significant",
                     "Hot spot 90%", "Hot spot 95%", "Hot spot 99%", NA))
  expect_identical(out$colour[8], "white")
})

test_that("real results map on nc.shp, and categories get one colour each", {
  map_ready()
  skip_if_not_installed("spdep", "1.2")
  nc <- sp_nc()
  x <- nc$SID79 / nc$BIR79 * 1000
  lm1 <- local_moran(x, nc)
  out <- plot_map(lm1, nc)
  expect_identical(nrow(out), 100L)
  expect_identical(out$class == "Not significant", !(lm1$p <= 0.05))
  expect_silent(plot_map(getis_ord(x, nc), nc, legend = "bottomleft"))
  cat <- plot_map(data.frame(region = nc$NAME, type = ifelse(x > 2, "high", "low")), nc,
                  value = "type")
  expect_identical(length(unique(cat$colour)), 2L)
})
