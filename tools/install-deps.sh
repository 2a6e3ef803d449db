#!/usr/bin/env bash
# Installs everything gvcluster needs to build, check, test and benchmark on
# a fresh Debian machine with R: Debian's prebuilt r-cran-* packages (built
# for the system R, seconds to install), then CRAN for what Debian lacks.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

# Developer tools for the pkgdown site (make site, make site-check): pkgdown,
# headless Chromium and the two npm packages of tools/site (KaTeX,
# puppeteer-core). `bash tools/install-deps.sh site` installs only these.
install_site_tools() {
  $SUDO apt-get install -y -qq --no-install-recommends r-cran-pkgdown chromium chromium-driver >/dev/null
  npm ci --prefix "$(dirname "$0")/site" --no-audit --no-fund --silent
}
if [ "${1:-}" = "site" ]; then $SUDO apt-get update -qq; install_site_tools; exit 0; fi

DEB_PKGS="pandoc valgrind qpdf
  r-cran-knitr r-cran-rmarkdown r-cran-roxygen2
  r-cran-car r-cran-lmtest r-cran-zoo r-cran-generics r-cran-data.table
  r-cran-matrixstats r-cran-reshape r-cran-reshape2 r-cran-openxlsx
  r-cran-bench r-cran-rcppeigen r-cran-igraph r-cran-rdpack r-cran-xtable
  r-cran-pkgbuild r-cran-dbi r-cran-dbplyr r-cran-dplyr r-cran-rsqlite r-cran-readxl"

$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $DEB_PKGS >/dev/null

# CRAN packages not in Debian: peers used by tests (Suggests) and benchmarks.
Rscript --vanilla -e '
  options(repos = c(CRAN = "https://cloud.r-project.org"))
  want <- c("REAT", "EconGeo", "decompr", "exvatools", "gvc", "lm.beta",
            "economiccomplexity", "icio")
  have <- rownames(installed.packages())
  need <- setdiff(want, have)
  if (length(need)) install.packages(need, Ncpus = 2L, quiet = TRUE)
  miss <- setdiff(c("REAT", "EconGeo", "decompr"), rownames(installed.packages()))
  if (length(miss)) stop("could not install: ", paste(miss, collapse = ", "))
'

# Developer tools: the pkgdown site and its check (see install_site_tools).
install_site_tools
