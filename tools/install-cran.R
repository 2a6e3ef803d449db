# Installs R packages that are not installed yet from R's configured
# repository, one at a time with a line of progress each.
# Usage: Rscript tools/install-cran.R [--require "PKG PKG"] PKG...
# --require: packages that must be installed at the end (already present or
# just installed); the script fails when one is missing.
args <- commandArgs(trailingOnly = TRUE)
required <- character()
if (length(args) >= 2L && args[[1L]] == "--require") {
  required <- strsplit(trimws(args[[2L]]), "[[:space:]]+")[[1L]]
  required <- required[nzchar(required)]
  args <- args[-(1:2)]
}
want <- args

# The repository: R's own setting (options(repos) in Rprofile.site or
# ~/.Rprofile); when it is unset or still the "@CRAN@" placeholder, this one
# default, the CRAN mirror network's redirector.
repos <- getOption("repos")
if (!length(repos) || anyNA(repos) || any(repos == "@CRAN@"))
  repos <- c(CRAN = "https://cloud.r-project.org")
options(repos = repos)

have <- rownames(utils::installed.packages())
need <- setdiff(want, have)
if (!length(want))
  cat("R packages: none to install in this layer\n")
if (length(want))
  cat(sprintf("R packages: %d wanted, %d already installed%s\n", length(want),
              length(want) - length(need),
              if (length(need)) paste0(", installing from ",
                                       paste(repos, collapse = " ")) else ""))
ncpus <- max(1L, min(2L, parallel::detectCores(), na.rm = TRUE))
for (i in seq_along(need)) {
  p <- need[[i]]
  if (p %in% rownames(utils::installed.packages())) next  # came as a dependency
  cat(sprintf("[%d/%d] %s (%s)\n", i, length(need), p, format(Sys.time(), "%H:%M:%S")))
  utils::install.packages(p, Ncpus = ncpus, quiet = TRUE)
}
miss <- setdiff(c(required, need), rownames(utils::installed.packages()))
if (length(miss)) stop("could not install: ", paste(miss, collapse = ", "))
