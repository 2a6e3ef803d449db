# read_qcew() against data.table::fread() on a full-size QCEW annual
# singlefile (about 3.6 million rows x 38 columns, BLS's layout: text columns
# quoted, numbers bare, CRLF line ends), generated into tempdir() from the
# shipped North Carolina rows with made-up industry codes.
#
# Filtered reads: a cut spread over the whole file (every county's private
# sector: 701,754 rows) and a contiguous one (one industry: 513 rows).
#
# Run from the repository root after installing into .lib:
#   R_LIBS=.lib Rscript bench/read-qcew.R [rows]
# Times are CPU seconds (user + system, all threads) and elapsed seconds;
# the contenders alternate, three rounds, minima reported. Memory is R's
# heap peak during the call (gc() "max used", reset before each call) and
# the result's size (object.size()).
suppressPackageStartupMessages({
  library(gvcluster)
  library(data.table)
})
args <- commandArgs(TRUE)
n_target <- if (length(args)) as.numeric(args[1]) else 3.6e6

src <- system.file("extdata", "qcew-2019-annual-nc.csv", package = "gvcluster")
base <- fread(src, colClasses = "character")
text_cols <- c("area_fips", "own_code", "industry_code", "agglvl_code", "size_code",
               "qtr", "disclosure_code", "lq_disclosure_code", "oty_disclosure_code")
num_cols <- setdiff(names(base), c(text_cols, "year"))
for (cl in num_cols) set(base, j = cl, value = as.numeric(base[[cl]]))

# replicate the rows over made-up six-digit industries (about 7,000 of them)
set.seed(1)
reps <- ceiling(n_target / nrow(base))
big <- base[rep(seq_len(nrow(base)), reps)]
big[, industry_code := rep(sprintf("%06d", 100000L + seq_len(reps)), each = nrow(base))]
big <- big[seq_len(n_target)]
jit <- runif(nrow(big), 0.5, 1.5)
for (cl in num_cols) {
  v <- big[[cl]]
  digits <- if (grepl("^lq_|pct_chg$", cl)) 2L else 0L
  set(big, j = cl, value = round(v * jit, digits))
}
f <- file.path(tempdir(), "qcew_bench_annual_singlefile.csv")
fwrite(big, f, quote = TRUE, eol = "\r\n")
# (quote = TRUE quotes the header and the text columns, year included, as BLS
# does; numbers are written bare)
rm(big, base); invisible(gc())
cat(sprintf("file: %s rows x %d columns, %.0f MB\n",
            format(n_target, big.mark = ","), 38L, file.size(f) / 2^20))
cat("fread threads:", getDTthreads(), "; load average:",
    tryCatch(readLines("/proc/loadavg"), error = function(e) "?"), "\n")

run <- function(fun) {
  invisible(gc(reset = TRUE))
  before <- sum(gc()[, 2])
  t <- system.time(res <- fun())
  peak <- sum(gc()[, 6]) - before
  size <- as.numeric(utils::object.size(res)) / 2^20
  rm(res); invisible(gc())
  c(cpu = t[["user.self"]] + t[["sys.self"]], elapsed = t[["elapsed"]],
    peak_mb = peak, result_mb = size)
}
contenders <- list(
  read_qcew = function() read_qcew(f, quiet = TRUE),
  read_qcew_county_private = function() read_qcew(f, area_type = "county", own_code = 5,
                                                  quiet = TRUE),
  read_qcew_one_industry = function() read_qcew(f, industry_code = "103000", quiet = TRUE),
  fread = function() fread(f),
  fread_typed = function() fread(f, colClasses = list(character = text_cols)))
out <- list()
for (round in 1:3) for (nm in names(contenders)) {
  out[[length(out) + 1L]] <- c(round = round, run(contenders[[nm]]))
  names(out)[length(out)] <- nm
}
tab <- do.call(rbind, out)
res <- data.frame(contender = names(out), tab, row.names = NULL)
print(res, digits = 4)
mins <- aggregate(cbind(cpu, elapsed, peak_mb, result_mb) ~ contender, res, min)
print(mins, digits = 4)
r <- mins[mins$contender == "read_qcew", ]
fr <- mins[mins$contender == "fread", ]
cat(sprintf("read_qcew / fread: CPU %.2fx, elapsed %.2fx; read_qcew peak / result %.2fx\n",
            r$cpu / fr$cpu, r$elapsed / fr$elapsed, r$peak_mb / r$result_mb))
cat("load average after:", tryCatch(readLines("/proc/loadavg"), error = function(e) "?"), "\n")
unlink(f)
