# Builds the pkgdown site into docs/ (see _pkgdown.yml) with the installed
# pkgdown, offline: pkgdown's look-ups of the package on CRAN and
# Bioconductor are switched off. Then renders the pages' TeX maths to MathML
# (tools/site/render-math.js), so that formulas show without the MathJax
# script pkgdown would load from a content delivery network.
# Run from the repository root: `make site` (`make site-deps` first installs
# pkgdown and the npm packages of tools/site; `make site-index` checks only
# that _pkgdown.yml indexes every topic).
if (!requireNamespace("pkgdown", quietly = TRUE))
  stop("pkgdown is not installed: `make site-deps` (or apt-get install r-cran-pkgdown)")
options(pkgdown.internet = FALSE)
t0 <- Sys.time()
pkgdown::build_site(preview = FALSE, new_process = TRUE, install = TRUE)
if (!dir.exists("tools/site/node_modules"))
  stop("tools/site/node_modules is missing: `make site-deps` (npm ci in tools/site)")
status <- system2("node", c("tools/site/render-math.js", "docs"))
if (status != 0) stop("rendering the maths failed")
message(sprintf("site built in docs/ in %.0f s", difftime(Sys.time(), t0, units = "secs")))
