# Installs R packages that are not installed yet from R's configured
# repository, one at a time with a line of progress each.
# Usage: Rscript tools/install-cran.R [--require "PKG PKG"] PKG...
# --require: packages that must be installed at the end (already present or
# just installed); the script fails when one is missing.
#
# The dependencies a wanted package needs (Depends, Imports, LinkingTo,
# recursively) that are missing or older than it requires are resolved first
# and installed one by one as well, dependencies before the packages that need
# them, so that nothing compiles for minutes without a line on the screen:
# each package gets a line saying what it is and whether it compiles code, and
# a line with the time it took.
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

installed_version <- function(p) {
  v <- tryCatch(utils::packageDescription(p, fields = "Version"),
                warning = function(w) NA_character_)
  if (is.null(v) || is.na(v)) NA_character_ else v
}

# "pkg (>= 1.2), other" -> data frame of name, op, version
parse_deps <- function(field) {
  if (is.na(field) || !nzchar(trimws(field))) return(NULL)
  parts <- trimws(strsplit(gsub("\n", " ", field), ",")[[1L]])
  parts <- parts[nzchar(parts)]
  name <- trimws(sub("[[:space:]]*\\(.*$", "", parts))
  op <- ifelse(grepl("\\(", parts), sub("^.*\\(\\s*([<>=]+).*$", "\\1", parts), "")
  ver <- ifelse(grepl("\\(", parts), trimws(sub("^.*\\(\\s*[<>=]+\\s*([^)]*)\\).*$", "\\1", parts)), "")
  data.frame(name = name, op = op, version = ver, stringsAsFactors = FALSE)
}

satisfied <- function(have, op, ver) {
  if (is.na(have)) return(FALSE)
  if (!nzchar(op)) return(TRUE)
  cmp <- utils::compareVersion(have, ver)
  switch(op, ">=" = cmp >= 0, ">" = cmp > 0, "==" = cmp == 0,
         "<=" = cmp <= 0, "<" = cmp < 0, TRUE)
}

base_pkgs <- rownames(utils::installed.packages(priority = "base"))
need <- Filter(function(p) is.na(installed_version(p)), want)
if (!length(want))
  cat("R packages: none to install in this layer\n")

order <- character()
if (length(need)) {
  avail <- utils::available.packages()
  # depth-first: a package enters `order` after everything it needs
  visiting <- character()
  visit <- function(p) {
    if (p %in% order || p %in% visiting || p %in% base_pkgs || p == "R") return(invisible())
    if (!p %in% rownames(avail))
      stop("package '", p, "' is not in the repository ", paste(repos, collapse = " "))
    visiting <<- c(visiting, p)
    deps <- do.call(rbind, lapply(c("Depends", "Imports", "LinkingTo"),
                                  function(f) parse_deps(avail[p, f])))
    if (!is.null(deps)) for (i in seq_len(nrow(deps))) {
      d <- deps$name[[i]]
      if (d %in% base_pkgs || d == "R") next
      if (!satisfied(installed_version(d), deps$op[[i]], deps$version[[i]])) visit(d)
    }
    order <<- c(order, p)
  }
  for (p in need) visit(p)
  compiles <- avail[order, "NeedsCompilation"] %in% "yes"
  cat(sprintf("R packages: %d wanted, %d already installed; %d to install from %s (%s)\n",
              length(want), length(want) - length(need), length(order),
              paste(repos, collapse = " "),
              paste0(order, ifelse(compiles, "*", ""), collapse = " ")))
  if (any(compiles))
    cat("  (* compiles C/C++/Fortran code: can take minutes each)\n")
}

ncpus <- max(1L, min(2L, parallel::detectCores(), na.rm = TRUE))
Sys.setenv(MAKEFLAGS = paste0("-j", ncpus))
for (i in seq_along(order)) {
  p <- order[[i]]
  t0 <- Sys.time()
  cat(sprintf("[%d/%d] %s %s%s (%s) ...\n", i, length(order), p, avail[p, "Version"],
              if (compiles[[i]]) ", compiling" else "", format(t0, "%H:%M:%S")))
  utils::install.packages(p, dependencies = FALSE, quiet = TRUE)
  ok <- !is.na(installed_version(p))
  cat(sprintf("[%d/%d] %s %s in %.0f s\n", i, length(order), p,
              if (ok) "installed" else "FAILED",
              as.numeric(difftime(Sys.time(), t0, units = "secs"))))
}
miss <- Filter(function(p) is.na(installed_version(p)), c(required, want))
if (length(miss)) stop("could not install: ", paste(miss, collapse = ", "))
