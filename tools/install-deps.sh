#!/usr/bin/env bash
# Installs what gvcluster needs, in layers; each make target installs only its
# own layer (see the README's table):
#   study  the package and its demo: base and recommended R packages only,
#          so nothing is installed (R and a C compiler are assumed)
#   test   building the tarball (knitr, rmarkdown, pandoc), testthat and the
#          packages the tests compare against
#   check  R CMD check --as-cran and the memory checks (qpdf, valgrind)
#   bench  the benchmark tools and the peers only benchmarks use
#   dev    documentation and the site (roxygen2, pkgdown, a headless browser)
#   postgres  the PostgreSQL server and the RPostgres driver, for the remote
#          tests on PostgreSQL (optional: without them those tests skip)
#   all    every layer: what `make deps` and CI install
# Usage: bash tools/install-deps.sh LAYER...
# Debian's prebuilt r-cran-* packages (built for the system R, seconds to
# install) come first; what Debian lacks comes from R's configured repository
# (tools/install-cran.R). One package name per word: add a name to the line
# of the layer that needs it.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
cd "$(dirname "$0")/.."

DEB_study=""
CRAN_study=""

DEB_test="pandoc r-cran-knitr r-cran-rmarkdown r-cran-testthat
  r-cran-car r-cran-lmtest r-cran-zoo r-cran-generics r-cran-data.table
  r-cran-matrixstats r-cran-reshape r-cran-reshape2 r-cran-openxlsx
  r-cran-rdpack r-cran-xtable
  r-cran-dbi r-cran-dbplyr r-cran-dplyr r-cran-rsqlite r-cran-readxl
  r-cran-sf r-cran-spdep"
# every compiled dependency of these comes from Debian above (decompr and icio
# compile small C/C++ sources of their own); economiccomplexity needs igraph
# >= 2.0, newer than Debian's, so it sits in the bench layer and its test
# comparisons skip without it
CRAN_test="REAT EconGeo decompr exvatools lm.beta icio"

DEB_check="qpdf valgrind"
CRAN_check=""

DEB_bench="r-cran-bench r-cran-rcppeigen r-cran-igraph"
CRAN_bench="gvc economiccomplexity"

DEB_dev="r-cran-roxygen2 r-cran-pkgbuild r-cran-pkgdown chromium chromium-driver"
CRAN_dev=""

# RPostgres is not in Debian: it builds from R's repository against libpq-dev
# (Debian's RPostgreSQL lacks dbIsValid(), which the remote methods call);
# its dependencies come from Debian (DBI newer than Debian's is pure R)
DEB_postgres="postgresql libpq-dev r-cran-bit64 r-cran-blob r-cran-dbi r-cran-hms
  r-cran-lubridate r-cran-withr r-cran-cpp11 r-cran-plogr r-cran-rcpp"
CRAN_postgres="RPostgres"

# Packages a layer cannot do without (for the tests, the peers their oracles
# come from): the layer fails when one of these is missing after the install
# (study: the recommended package the package imports)
REQUIRED_study="Matrix"
REQUIRED_test="testthat knitr rmarkdown REAT EconGeo decompr"
REQUIRED_postgres="RPostgres"

layers=("$@")
if [ ${#layers[@]} -eq 0 ]; then layers=(all); fi
if [ "${layers[*]}" = "all" ]; then layers=(study test check bench dev postgres); fi

t0=$(date +%s)
say() { echo "[install-deps $(( $(date +%s) - t0 ))s] $*"; }

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

apt_install() {
  # try without refreshing the index first (fast when it is recent), then
  # refresh once and retry
  # shellcheck disable=SC2086
  if ! $SUDO apt-get install -y -q --no-install-recommends "$@"; then
    say "refreshing the Debian package index"
    $SUDO apt-get update -q
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -q --no-install-recommends "$@"
  fi
}

for layer in "${layers[@]}"; do
  deb_var="DEB_${layer}"; cran_var="CRAN_${layer}"; req_var="REQUIRED_${layer}"
  if [ -z "${!deb_var+x}" ]; then
    echo "unknown layer '$layer' (study, test, check, bench, dev, postgres, all)" >&2
    exit 2
  fi
  deb="$(echo ${!deb_var})"; cran="$(echo ${!cran_var})"
  say "layer '$layer'"
  if [ -n "$deb" ]; then
    missing=""
    for p in $deb; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
    done
    if [ -n "$missing" ]; then
      say "Debian packages to install:$missing"
      # shellcheck disable=SC2086
      apt_install $missing
    else
      say "Debian packages: all installed"
    fi
  fi
  # shellcheck disable=SC2086
  Rscript --vanilla tools/install-cran.R --require "${!req_var:-}" $cran
done
say "done"
