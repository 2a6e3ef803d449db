# Draws the package logo (man/figures/logo.png, shown by the pkgdown site)
# and the site's favicons (pkgdown/favicon/), so that pkgdown does not ask
# an online service to make them. Run from the repository root:
# Rscript tools/site/make-logo.R
hex_logo <- function(file, width, height = width, text = TRUE) {
  grDevices::png(file, width = width, height = height, bg = "transparent",
                 type = "cairo")
  on.exit(grDevices::dev.off())
  graphics::par(mar = c(0, 0, 0, 0))
  graphics::plot.new()
  graphics::plot.window(c(-1, 1), c(-1.16, 1.16), asp = 1)
  a <- seq(90, 450, by = 60) * pi / 180
  lwd <- max(1, width / 40)
  graphics::polygon(cos(a), sin(a), col = "#1f4e79", border = "#f2b134", lwd = lwd)
  # a small value chain: three linked stages
  x <- c(-0.45, 0, 0.45)
  y <- if (text) c(-0.15, 0.2, -0.15) else c(-0.2, 0.25, -0.2)
  graphics::segments(x[-3], y[-3], x[-1], y[-1], col = "#f2b134", lwd = lwd * 0.8)
  graphics::points(x, y, pch = 21, bg = "white", col = "#f2b134",
                   cex = width / 75, lwd = lwd * 0.5)
  if (text) graphics::text(0, -0.55, "gvcluster", col = "white",
                           cex = width / 140, font = 2)
}
dir.create("man/figures", showWarnings = FALSE, recursive = TRUE)
hex_logo("man/figures/logo.png", 240, 278)
dir.create("pkgdown/favicon", showWarnings = FALSE, recursive = TRUE)
for (s in c(16, 32))
  hex_logo(sprintf("pkgdown/favicon/favicon-%dx%d.png", s, s), s, text = FALSE)
hex_logo("pkgdown/favicon/apple-touch-icon.png", 180, text = FALSE)
for (s in c(120, 76, 60))
  hex_logo(sprintf("pkgdown/favicon/apple-touch-icon-%dx%d.png", s, s), s, text = FALSE)
