# One duplicate-row message for every panel measure: it names the repeated
# region and industry, and when the repeated rows differ in another column
# (a year, say) it suggests `by` with that column.

panel_dup <- function() {
  data.frame(year = rep(c(2018, 2019), each = 4),
             region = rep(c("A", "A", "B", "B"), 2),
             industry = rep(c("x", "y"), 4),
             value = c(1, 2, 3, 4, 2, 3, 4, 6))
}

test_that("a panel with several years and no `by` is told to pass by = \"year\"", {
  p <- panel_dup()
  expect_snapshot(error = TRUE, lq(p))
  expect_snapshot(error = TRUE, specialization(p, "krugman"))
  expect_snapshot(error = TRUE, concentration(p, "krugman"))
  expect_error(lq(p), 'pass `by = "year"`', fixed = TRUE)
  expect_error(specialization(p, "krugman"), 'pass `by = "year"`', fixed = TRUE)
  expect_error(concentration(p, "krugman"), 'pass `by = "year"`', fixed = TRUE)
  # with `by` the same data work, and equal the years computed one by one
  # (an oracle written out here: shares over shares)
  r <- lq(p, by = "year")
  for (yr in c(2018, 2019)) {
    q <- p[p$year == yr, ]
    m <- xtabs(value ~ region + industry, q)
    want <- (m / rowSums(m)) / rep(colSums(m) / sum(m), each = nrow(m))
    got <- r[r$year == yr, ]
    expect_equal(got$lq, want[cbind(got$region, got$industry)], tolerance = 1e-14)
  }
})

test_that("true duplicates (same year) are told to be aggregated, without a `by` hint", {
  p <- panel_dup()
  p <- rbind(p, p[1, ])
  expect_snapshot(error = TRUE, lq(p, by = "year"))
  expect_error(lq(p, by = "year"), "aggregate them first")
  expect_false(grepl("pass `by", tryCatch(lq(p, by = "year"), error = conditionMessage)))
  # a second measure column that differs is not taken for a grouping column
  p2 <- panel_dup()[1:4, ]
  p2 <- rbind(p2, p2[1, ])
  p2$jobs <- c(10, 20, 30, 40, 11)
  msg <- tryCatch(lq(p2), error = conditionMessage)
  expect_match(msg, "aggregate them first")
  expect_false(grepl("jobs", msg))
})

test_that("lq() and the indices word a duplicate the same way (lq() adds the row)", {
  p <- panel_dup()
  p <- rbind(p, p[2, ])                      # 2018, A, y twice
  msg <- function(expr) tryCatch(expr, error = conditionMessage)
  m_lq <- sub(" \\(row [0-9]+\\)", "", msg(lq(p, by = "year")))
  expect_identical(msg(specialization(p, "krugman", by = "year")), m_lq)
  expect_identical(msg(concentration(p, "krugman", by = "year")), m_lq)
  expect_match(m_lq, "for year = 2018, region = A, industry = y; each region x industry",
               fixed = TRUE)
  expect_match(msg(lq(p, by = "year")), "(row 9)", fixed = TRUE)
})
