# demo("bengbu") reproduces the study in a terminal and writes its two
# figures as PNG files to getOption("gvcluster.demo_dir").

skip_if_not(exists("sensitivity", asNamespace("gvcluster")) &&
              exists("linreg", asNamespace("gvcluster")))
skip_if(!nzchar(system.file("demo", "bengbu.R", package = "gvcluster")),
        "demo not installed")
skip_if_not(capabilities("png"), "no PNG device")

is_png <- function(path) {
  sig <- readBin(path, "raw", n = 8L)
  identical(sig, as.raw(c(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)))
}

test_that("the demo prints the study's tables and writes both figures", {
  dir <- tempfile("demo-")
  old <- options(gvcluster.demo_dir = dir)
  on.exit({ options(old); unlink(dir, recursive = TRUE) }, add = TRUE)
  out <- capture.output(
    demo("bengbu", package = "gvcluster", ask = FALSE, echo = FALSE))
  txt <- paste(out, collapse = "\n")
  expect_match(txt, "Linear regression (n = 8)", fixed = TRUE)
  expect_match(txt, "Table 1", fixed = TRUE)
  # the LQ series as the data give it, year by year
  for (v in formatC(bengbu$LQ, format = "f", digits = 2))
    expect_match(txt, v, fixed = TRUE)
  files <- file.path(dir, c("bengbu-figure1.png", "bengbu-sensitivity.png"))
  expect_true(all(file.exists(files)))
  expect_true(all(vapply(files, is_png, logical(1))))
  expect_true(all(file.size(files) > 5000))
})

test_that("without gvcluster.demo_dir the figures go to tempdir(), not the working directory", {
  wd <- tempfile("wd-")
  dir.create(wd)
  old <- options(gvcluster.demo_dir = NULL)
  owd <- setwd(wd)
  on.exit({ setwd(owd); options(old); unlink(wd, recursive = TRUE) }, add = TRUE)
  out <- capture.output(
    demo("bengbu", package = "gvcluster", ask = FALSE, echo = FALSE))
  expect_length(list.files(wd), 0L)
  dest <- normalizePath(file.path(tempdir(), "gvcluster-demo"))
  written <- trimws(sub("^Figure 1 written to ", "", grep("^Figure 1 written to ", out, value = TRUE)))
  expect_identical(written, file.path(dest, "bengbu-figure1.png"))
  expect_true(file.exists(written))
})
