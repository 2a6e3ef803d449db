# The site's reference index (_pkgdown.yml) lists every help topic and
# article: pkgdown::check_pkgdown() fails on a topic added without an entry.
# Runs where the package's sources are at hand (the test suite run from the
# repository, as `make test` and CI run it); skips in an installed or checked
# copy, which has no _pkgdown.yml, and where pkgdown is not installed.
test_that("_pkgdown.yml indexes every help topic and vignette", {
  skip_if_not_installed("pkgdown")
  root <- normalizePath(test_path("..", ".."), mustWork = FALSE)
  if (!file.exists(file.path(root, "_pkgdown.yml")) ||
      !file.exists(file.path(root, "DESCRIPTION")) || !dir.exists(file.path(root, "man")))
    skip("the package's source directory (with _pkgdown.yml) is not reachable")
  withr::local_options(pkgdown.internet = FALSE)
  # pkgdown is a developer's tool, not in Suggests: named through a variable
  pk <- "pkgdown"
  out <- tryCatch({
    suppressMessages(getExportedValue(pk, "check_pkgdown")(root))
    NULL
  }, error = function(e) conditionMessage(e))
  expect_null(out)
  # an independent look: every page of man/ is in the index through its
  # name, one of its aliases or a matches() selector (as pkgdown reads them),
  # unless it is internal
  yml <- readLines(file.path(root, "_pkgdown.yml"))
  rd <- list.files(file.path(root, "man"), "[.]Rd$", full.names = TRUE)
  listed <- sub("^ *- *", "", grep("^ *- *[A-Za-z0-9._-]+ *$", yml, value = TRUE))
  sel <- sub("^ *- *matches\\(\"(.*)\"\\) *$", "\\1",
             grep("^ *- *matches\\(", yml, value = TRUE))
  missing <- character()
  for (f in rd) {
    l <- readLines(f)
    if (any(grepl("^\\\\keyword\\{internal\\}", l))) next
    nm <- sub("^\\\\(name|alias)\\{(.*)\\}$", "\\2",
              grep("^\\\\(name|alias)\\{", l, value = TRUE))
    hit <- any(nm %in% listed) ||
      any(vapply(sel, function(p) any(grepl(p, nm)), NA))
    if (!hit) missing <- c(missing, nm[1L])
  }
  expect_identical(missing, character())
  vig <- sub("[.]Rmd$", "", list.files(file.path(root, "vignettes"), "[.]Rmd$"))
  expect_identical(setdiff(vig, listed), character())
})
