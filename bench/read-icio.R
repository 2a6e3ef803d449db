# Reading an OECD ICIO table of the 2023 release's size: 77 producer blocks
# (73 countries and CN1, CN2, MX1, MX2) x 45 industries = 3,465 rows, and
# 3,465 + 73 x 6 final-demand + 1 output = 3,904 columns, written in the
# 2023 layout (TLS, VA, OUT rows; OUT column) with made-up numbers to a
# temporary file. Side by side: data.table::fread alone (the floor the
# target is set against: read_icio() within 2x of its time) and
# read_icio(), five runs each, interleaved; time as elapsed and CPU (user +
# system) with the load average before and after; memory as the peak of
# R's heap above the baseline (gc "max used"), against the target of 3x the
# table's numeric size.
# Base R's read.csv is left out: it takes minutes at this size.
# Run from the package root:  R_LIBS=.lib nice -n 10 Rscript bench/read-icio.R
suppressMessages({
  library(gvcluster)
  library(data.table)
})
setDTthreads(2L)
set.seed(7)
ctry <- c(sprintf("C%02d", 1:69), "CHN", "MEX", "USA", "ROW", "CN1", "CN2", "MX1", "MX2")
sect <- sprintf("D%02d", 1:45)
dest <- ctry[1:73]
fdc <- c("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR")
n <- length(ctry) * length(sect)
lab <- paste(rep(ctry, each = length(sect)), rep(sect, length(ctry)), sep = "_")
fdl <- paste(rep(dest, each = 6L), rep(fdc, length(dest)), sep = "_")
Z <- matrix(round(runif(n * n), 4), n, n)
Y <- matrix(round(runif(n * length(fdl), 0, 20), 4), n, length(fdl))
x <- rowSums(Z) + rowSums(Y)
va <- x - colSums(Z)
tls <- round(0.1 * va, 4)
body <- data.table(V1 = c(lab, "TLS", "VA", "OUT"))
m <- rbind(cbind(Z, Y, x), c(tls, rep(0, ncol(Y)), sum(tls)),
           c(va - tls, rep(0, ncol(Y)), sum(va - tls)), c(x, colSums(Y), sum(x) + sum(Y)))
rm(Z, Y)
colnames(m) <- c(lab, fdl, "OUT")
dt <- cbind(body, as.data.table(m))
rm(m)
setnames(dt, "V1", "")
f <- tempfile(fileext = ".csv")
fwrite(dt, f)
rm(dt); invisible(gc())
table_mb <- (n + 3) * (n + length(fdl) + 1) * 8 / 2^20
cat(sprintf("file: %d rows x %d columns, %.0f MB on disk; numeric table %.0f MB in memory\n",
            n + 3L, n + length(fdl) + 2L, file.size(f) / 2^20, table_mb))

peak <- function(expr) {
  invisible(gc(reset = TRUE))
  base <- sum(gc()[, 2])                       # MB in use before
  t0 <- proc.time()
  res <- expr
  d <- proc.time() - t0
  el <- d[["elapsed"]]; cpu <- d[["user.self"]] + d[["sys.self"]]
  mx <- sum(gc()[, "max used"] * c(56, 8) / 2^20)    # Ncells 56 bytes, Vcells 8
  rm(res); invisible(gc())
  c(seconds = el, cpu = cpu, peak_MB = mx - base)
}
# the machine's load (a shared machine slows both readers, not alike)
load_avg <- function() if (file.exists("/proc/loadavg"))
  paste(strsplit(readLines("/proc/loadavg"), " ")[[1]][1:3], collapse = " ") else "n/a"
cat("load average before:", load_avg(), "\n")
# interleaved runs, so that a change of load during the run hits both alike
runs <- 5L
r_fread <- r_read <- NULL
for (k in seq_len(runs)) {
  r_fread <- cbind(r_fread, peak(fread(f, showProgress = FALSE)))
  r_read <- cbind(r_read, peak(read_icio(f, quiet = TRUE)))
}
cat("load average after: ", load_avg(), "\n")
out <- data.frame(
  task = c("data.table::fread(file)", "read_icio(file)"),
  median_s = c(median(r_fread["seconds", ]), median(r_read["seconds", ])),
  min_s = c(min(r_fread["seconds", ]), min(r_read["seconds", ])),
  cpu_s = c(median(r_fread["cpu", ]), median(r_read["cpu", ])),
  peak_MB = c(median(r_fread["peak_MB", ]), median(r_read["peak_MB", ])))
out$time_vs_fread <- out$median_s / out$median_s[1L]
out$cpu_vs_fread <- out$cpu_s / out$cpu_s[1L]
out$peak_vs_table <- out$peak_MB / table_mb
print(out, digits = 3, row.names = FALSE)
tab <- read_icio(f, quiet = TRUE)
cat(sprintf("read: %d countries (%d splits) x %d sectors, %d final-demand categories, imbalance %.3g\n",
            tab$G, length(tab$splits), tab$N, tab$F, tab$imbalance))
unlink(f)
