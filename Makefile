# Developer and CI recipes for gvcluster. `.ci/run` calls these targets; run
# them by hand the same way. Everything works from the repository root.
PKG      := gvcluster
VERSION  := $(shell sed -n 's/^Version: *//p' DESCRIPTION)
TARBALL  := $(PKG)_$(VERSION).tar.gz
R        ?= R
RSCRIPT  ?= Rscript
LIB      := .lib
CHECKDIR := check

OUTDIR   := output
# Processors for compiling the C code (R CMD build's and R CMD INSTALL's make)
NPROC    := $(shell nproc 2>/dev/null || echo 1)

.PHONY: deps deps-study deps-test deps-check deps-bench deps-dev document check-roxygen build \
  install install-src check test valgrind ubsan bench clean warnings study \
  site site-check site-deps site-index postgres-start postgres-stop

# Dependencies in layers (tools/install-deps.sh lists each layer's packages):
# Debian's prebuilt r-cran-* packages where they exist, R's configured
# repository otherwise. `deps` is every layer: what CI needs.
deps:
	bash tools/install-deps.sh all

# The package and its demo: base and recommended packages only (nothing to
# install beyond R and a C compiler).
deps-study:
	bash tools/install-deps.sh study

# Building the tarball with its vignettes, and the test suite with its peers.
deps-test:
	bash tools/install-deps.sh test

# R CMD check --as-cran and the valgrind run.
deps-check:
	bash tools/install-deps.sh check

# Benchmark tools and the peers only bench/ compares against.
deps-bench:
	bash tools/install-deps.sh bench

# roxygen2, pkgdown and a headless browser.
deps-dev:
	bash tools/install-deps.sh dev

document:
	$(RSCRIPT) -e 'roxygen2::roxygenise()'

# NAMESPACE and man/ must be what roxygen2 writes from R/: roxygenise a copy
# of the package (loaded as `make document` loads it) and compare.
check-roxygen:
	rm -rf $(CHECKDIR)/roxygen && mkdir -p $(CHECKDIR)/roxygen
	cp -R DESCRIPTION NAMESPACE R man src $(CHECKDIR)/roxygen/
	if [ -d data ]; then cp -R data $(CHECKDIR)/roxygen/; fi
	rm -f $(CHECKDIR)/roxygen/src/*.o $(CHECKDIR)/roxygen/src/*.so
	cd $(CHECKDIR)/roxygen && $(RSCRIPT) -e 'roxygen2::roxygenise()' > roxygenise.log 2>&1 || { cat roxygenise.log; exit 1; }
	diff -r man $(CHECKDIR)/roxygen/man && diff NAMESPACE $(CHECKDIR)/roxygen/NAMESPACE \
	  && echo "man/ and NAMESPACE match roxygen2" \
	  || { echo "man/ or NAMESPACE differ from what roxygen2 generates: run make document"; exit 1; }

# R CMD build installs the package in a temporary library to build the
# vignettes, and R CMD INSTALL compiles it again: both compile on every
# processor (MAKEFLAGS=-j$(NPROC)).
build: deps-test
	mkdir -p $(CHECKDIR)
	cd $(CHECKDIR) && MAKEFLAGS=-j$(NPROC) $(R) CMD build $(CURDIR)

install: build
	mkdir -p $(LIB)
	MAKEFLAGS=-j$(NPROC) $(R) CMD INSTALL --library=$(LIB) $(CHECKDIR)/$(TARBALL)

# Straight from the source directory, without building the tarball (and so
# without the vignettes): needs nothing beyond base and recommended packages.
install-src:
	mkdir -p $(LIB)
	$(R) CMD INSTALL --no-multiarch --library=$(LIB) .

# R CMD check --as-cran on the built tarball; fails on any ERROR or WARNING
# and lists every NOTE. Suggested packages of other layers (economiccomplexity
# comes with the bench layer) may be missing: their tests skip.
check: deps-check build
	cd $(CHECKDIR) && _R_CHECK_CRAN_INCOMING_REMOTE_=false _R_CHECK_SYSTEM_CLOCK_=0 \
	  _R_CHECK_FORCE_SUGGESTS_=false \
	  $(R) CMD check --as-cran --no-manual $(TARBALL) || true
	bash tools/check-log.sh $(CHECKDIR)/$(PKG).Rcheck/00check.log

# The README's test command: its dependencies (through build), then the whole suite
# of testthat on the installed tarball, ending with "N passed, N failed". On
# two or more processors the test files run in two shards side by side
# (tools/run-tests.R; GVCLUSTER_JOBS=1 for one process), a line as each file
# finishes, the counts of both summed in the last line.
test: install
	$(RSCRIPT) tools/run-tests.R $(LIB)

# The suite under valgrind memcheck; fails on any invalid read or write or
# use of an uninitialised value whose stack passes through gvcluster.so.
# The test files that exercise C code (tools/run-tests.R leaves out the rest
# under valgrind) run in two shards side by side, one per processor; add
# --track-origins=yes to VALGRIND to find where an uninitialised value came
# from (it makes the run about 2.5 times as long).
VALGRIND ?= valgrind --tool=memcheck
valgrind: deps-check install
	rm -f $(CHECKDIR)/valgrind-*.log
	for i in 1 2; do \
	  GVCLUSTER_VALGRIND=true GVCLUSTER_SHARD=$$i/2 $(R) -d "$(VALGRIND) --log-file=$(CHECKDIR)/valgrind-$$i.log" \
	    --vanilla --slave -f tools/run-tests.R --args $(LIB) > $(CHECKDIR)/valgrind-tests-$$i.txt 2>&1 & \
	done; wait
	tail -n 3 $(CHECKDIR)/valgrind-tests-1.txt $(CHECKDIR)/valgrind-tests-2.txt
	status=0; for i in 1 2; do \
	  tail -n 1 $(CHECKDIR)/valgrind-tests-$$i.txt | grep -qE '^[0-9]+ passed, 0 failed' || status=1; \
	  bash tools/valgrind-log.sh $(CHECKDIR)/valgrind-$$i.log || status=1; \
	done; exit $$status

# The suite with the C code built under UBSan, aborting on the first report
# (in two shards, as `make test`; a shard that aborts fails the target and
# its last lines are shown).
ubsan: build
	mkdir -p $(LIB)-ubsan
	printf 'CFLAGS=-g -O1 -fno-omit-frame-pointer -fsanitize=undefined -fno-sanitize-recover=all\nLDFLAGS=-fsanitize=undefined\n' > $(CHECKDIR)/Makevars-ubsan
	R_MAKEVARS_USER=$(CURDIR)/$(CHECKDIR)/Makevars-ubsan MAKEFLAGS=-j$(NPROC) $(R) CMD INSTALL --preclean --library=$(LIB)-ubsan $(CHECKDIR)/$(TARBALL)
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(RSCRIPT) tools/run-tests.R $(LIB)-ubsan

bench: deps-bench install
	for f in bench/*.R; do R_LIBS=$(LIB) $(RSCRIPT) $$f || exit 1; done

clean:
	rm -rf $(CHECKDIR) $(OUTDIR) $(LIB) $(LIB)-ubsan src/*.o src/*.so

# Compile the C code with the warnings the project treats as defects.
warnings:
	mkdir -p $(CHECKDIR)
	printf 'CFLAGS=-g -O2 -Wall -Wextra -pedantic -Wstrict-prototypes -Wmissing-prototypes\n' > $(CHECKDIR)/Makevars-warn
	rm -f src/*.o src/*.so
	cd src && R_MAKEVARS_USER=$(CURDIR)/$(CHECKDIR)/Makevars-warn $(R) CMD SHLIB -o $(CURDIR)/$(CHECKDIR)/warn.so *.c 2>&1 | grep -E 'warning|error' && exit 1 || echo "no compiler warnings"
	rm -f src/*.o

# The README's main command: install the package from the sources and
# reproduce the study in a terminal; the figures go to $(OUTDIR)/ (ignored by
# git and R CMD build).
study: deps-study install-src
	R_LIBS=$(CURDIR)/$(LIB) $(RSCRIPT) -e 'options(gvcluster.demo_dir = "$(OUTDIR)"); demo("bengbu", package = "gvcluster", ask = FALSE, echo = FALSE)'

# The pkgdown site, built with the installed pkgdown into docs/ (git- and
# build-ignored), its maths rendered to MathML so that it needs no network.
# `make site-deps` installs pkgdown, Chromium and the npm packages of
# tools/site.
site-deps:
	bash tools/install-deps.sh dev
	npm ci --prefix tools/site --no-audit --no-fund --loglevel=error

# Debian's PostgreSQL cluster for the remote tests on PostgreSQL (the
# `postgres` layer of tools/install-deps.sh installs it and RPostgres):
# `eval "$$(make -s postgres-start)"` starts it and sets GVCLUSTER_PG_*;
# `make postgres-stop` stops it again if postgres-start started it.
postgres-start:
	@bash tools/postgres.sh start

postgres-stop:
	@bash tools/postgres.sh stop

site:
	$(RSCRIPT) tools/build-site.R

# Only the check that _pkgdown.yml indexes every help topic and article
# (seconds; the test suite runs it too, in tests/testthat/test-pkgdown.R).
site-index:
	$(RSCRIPT) -e 'options(pkgdown.internet = FALSE); pkgdown::check_pkgdown()'

# Every page of docs/ in headless Chromium: internal links and anchors,
# figures loaded, no R errors in rendered examples, no raw LaTeX. Lists the
# CDN assets that cannot load offline; screenshots go to check/site/.
site-check:
	node tools/site/check-site.js docs --screenshots=$(CHECKDIR)/site
