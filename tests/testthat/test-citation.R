# citation("gvcluster") as a reader sees it: a proper author for the
# package, and the study with what its text says of its publication.
test_that("citation() names the package's authors and the study", {
  cit <- citation("gvcluster")
  txt <- paste(format(cit, style = "citation"), collapse = "\n")
  expect_false(grepl("developers g", txt, fixed = TRUE))
  pkg <- format(cit[1L], style = "text")
  expect_match(pkg, "^The gvcluster developers \\(")
  expect_match(pkg, paste("R package version", packageVersion("gvcluster")), fixed = TRUE)
  study <- cit[2L]
  expect_identical(format(study$author, include = c("given", "family")),
                   c("Jia Wang", "Xinyue Wang", "Xingyu Niu"))
  expect_match(study$title, "Taking Bengbu Silicon Based New Material Industry", fixed = TRUE)
  st <- paste(format(study, style = "citation"), collapse = " ")
  # the text of the study gives no venue or year of publication: say so
  expect_match(st, "Venue and year of publication not stated", fixed = TRUE)
  expect_match(st, "XSKY23115", fixed = TRUE)
  expect_false(grepl("????", st, fixed = TRUE))
  # every style prints "n.d." where the year would be, never R's "????"
  for (style in c("text", "R", "bibtex", "html")) {
    s <- paste(format(study, style = style), collapse = " ")
    expect_false(grepl("????", s, fixed = TRUE), label = style)
    expect_match(s, "n.d.", fixed = TRUE, label = style)
  }
  expect_false(grepl("????", paste(utils::capture.output(print(cit)), collapse = " "),
                     fixed = TRUE))
})
