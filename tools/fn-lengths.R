# Lengths in lines of the package's functions, longest first: C functions
# in src/*.c (from the line of the name to the closing brace in column 1)
# and top-level R functions in R/*.R (from their source references).
# Run from the repository root: Rscript tools/fn-lengths.R [top]
args <- commandArgs(TRUE)
top <- if (length(args)) as.integer(args[1]) else 10L

c_lengths <- function(file) {
  src <- readLines(file, warn = FALSE)
  start <- grep("^[A-Za-z_][A-Za-z0-9_ *]*[ *]([A-Za-z_][A-Za-z0-9_]*)\\(", src)
  start <- start[!grepl(";\\s*$", src[start])]
  ends <- grep("^}", src)
  out <- lapply(start, function(s) {
    e <- ends[ends > s][1L]
    # a prototype spread over lines ends with ";" before any body
    body <- src[s:e]
    if (is.na(e) || !any(grepl("\\{", body))) return(NULL)
    pre <- body[seq_len(which(grepl("\\{", body))[1L])]
    if (any(grepl(";\\s*$", pre))) return(NULL)
    name <- sub("^.*?([A-Za-z_][A-Za-z0-9_]*)\\(.*$", "\\1", src[s], perl = TRUE)
    data.frame(lang = "C", file = basename(file), name = name, lines = e - s + 1L)
  })
  do.call(rbind, out)
}

r_lengths <- function(file) {
  ex <- parse(file, keep.source = TRUE)
  out <- lapply(seq_along(ex), function(k) {
    e <- ex[[k]]
    if (!is.call(e) || !deparse(e[[1L]]) %in% c("<-", "=")) return(NULL)
    if (!is.call(e[[3L]]) || !identical(e[[3L]][[1L]], as.name("function"))) return(NULL)
    sr <- attr(ex, "srcref")[[k]]
    data.frame(lang = "R", file = basename(file), name = as.character(e[[2L]]),
               lines = sr[3L] - sr[1L] + 1L)
  })
  do.call(rbind, out)
}

tab <- rbind(do.call(rbind, lapply(Sys.glob("src/*.c"), c_lengths)),
             do.call(rbind, lapply(Sys.glob("R/*.R"), r_lengths)))
for (l in c("C", "R")) {
  t <- tab[tab$lang == l, ]
  t <- t[order(-t$lines), ][seq_len(min(top, nrow(t))), ]
  cat(sprintf("%s functions, longest %d:\n", l, nrow(t)))
  cat(sprintf("  %4d  %-30s %s\n", t$lines, t$name, t$file), sep = "")
}
