# Made-up tables written in each publisher's exact layout, for the reader
# tests (and, through tools/make-icio-demo.R, the shipped demo files). The
# numbers are random; the layouts (labels, header rows, totals, primary
# input rows, final-demand codes, China/Mexico splits) are the publishers'.

# A balanced table: Z = A diag(x), x = (I - A)^-1 y, value added the rest.
# Split blocks (names of `splits`) sell to everyone but have no final-demand
# columns; their parents' own rows and columns are zero, as in the OECD
# extended tables.
fake_table <- function(countries, sectors, cats, splits = character(0), seed = 1,
                       negative_inventories = TRUE) {
  set.seed(seed)
  G <- length(countries); N <- length(sectors); n <- G * N; F <- length(cats)
  dest <- countries[!countries %in% names(splits)]
  cc <- rep(countries, each = N)
  A <- matrix(stats::runif(n * n), n, n)
  dom <- outer(cc, cc, "==")
  A <- A * ifelse(dom, 4, 1)
  A <- sweep(A, 2, colSums(A), "/") * stats::runif(n, 0.3, 0.6)
  zero <- cc %in% unique(splits)                 # CHN, MEX body rows/cols
  A[zero, ] <- 0; A[, zero] <- 0
  Y <- matrix(stats::runif(n * length(dest) * F, 1, 100), n, length(dest) * F)
  inv <- grep("INV|INVEN|P5M|P52|Changes in inventories", rep(cats, length(dest)))
  if (negative_inventories && length(inv)) Y[, inv] <- Y[, inv] - 30
  Y[zero, ] <- 0
  x <- solve(diag(n) - A, rowSums(Y))
  x[zero] <- 0
  Z <- A * rep(x, each = n)
  va <- x - colSums(Z)
  tls <- 0.1 * va
  list(Z = Z, Y = Y, x = x, va = va, tls = tls, vaa = va - tls,
       countries = countries, sectors = sectors, cats = cats, dest = dest,
       splits = splits, G = G, N = N, F = F, n = n)
}

num_digits <- 17
num <- function(v) sprintf(paste0("%.", num_digits, "g"), v)

write_lines_csv <- function(rows, file) writeLines(vapply(rows, paste, "", collapse = ","), file)

# OECD ICIO CSV: layouts "2016", "2018", "2021", "2023" (2023 and 2025 are alike).
write_oecd <- function(t, file, layout = "2023") {
  lab <- paste(rep(t$countries, each = t$N), rep(t$sectors, t$G), sep = "_")
  if (layout == "2016") {
    fdl <- paste(rep(t$cats, each = length(t$dest)), rep(t$dest, t$F), sep = "_")
    # category-major columns: permute Y
    perm <- as.vector(t(matrix(seq_len(ncol(t$Y)), t$F)))
    Yw <- t$Y[, perm, drop = FALSE]
  } else {
    fdl <- paste(rep(t$dest, each = t$F), rep(t$cats, length(t$dest)), sep = "_")
    Yw <- t$Y
  }
  totname <- switch(layout, "2016" = NULL, "2023" = "OUT", "TOTAL")
  head <- c(if (layout %in% c("2016", "2023")) "" else "V1", lab, fdl,
            if (layout == "2016") "DISC", totname)
  if (layout == "2016") head <- paste0('"', head, '"')
  rows <- list(head)
  disc <- if (layout == "2016") rep(0, t$n) else NULL
  if (layout == "2016") {   # move part of the own country's inventories into DISC
    own <- rep(t$countries, each = t$N)
    own[own %in% names(t$splits)] <- t$splits[own[own %in% names(t$splits)]]
    invc <- match(paste0("INV_", own), fdl)
    ok <- !is.na(invc)
    disc[ok] <- Yw[cbind(which(ok), invc[ok])] * 0.25
    Yw[cbind(which(ok), invc[ok])] <- Yw[cbind(which(ok), invc[ok])] - disc[ok]
  }
  for (i in seq_len(t$n)) {
    rows[[length(rows) + 1L]] <- c(if (layout == "2016") paste0('"', lab[i], '"') else lab[i],
                                   num(t$Z[i, ]), num(Yw[i, ]),
                                   if (layout == "2016") num(disc[i]),
                                   if (!is.null(totname)) num(t$x[i]))
  }
  fdtax <- rep(1.5, ncol(Yw))          # taxes on final products (ignored by readers)
  emp <- rep("", ncol(Yw) + (layout == "2016"))
  if (layout == "2016") {
    rows[[length(rows) + 1L]] <- c('"VA+TAXSUB"', num(t$va), emp)
    rows[[length(rows) + 1L]] <- c('"OUT"', num(t$x), emp)
  } else if (layout == "2018") {
    # one TAXSUB row per country: split the taxes among them
    w <- seq_along(t$dest) / sum(seq_along(t$dest))
    for (k in seq_along(t$dest))
      rows[[length(rows) + 1L]] <- c(paste0(t$dest[k], "_TAXSUB"), num(t$tls * w[k]),
                                     num(fdtax * w[k]), num(sum(t$tls * w[k]) + sum(fdtax * w[k])))
    rows[[length(rows) + 1L]] <- c("VALU", num(t$vaa), rep("0", ncol(Yw)), num(sum(t$vaa)))
    rows[[length(rows) + 1L]] <- c("OUTPUT", num(t$x), num(colSums(Yw) + fdtax),
                                   num(sum(t$x) + sum(Yw) + sum(fdtax)))
  } else {
    rows[[length(rows) + 1L]] <- c("TLS", num(t$tls), num(fdtax), num(sum(t$tls) + sum(fdtax)))
    rows[[length(rows) + 1L]] <- c("VA", num(t$vaa), rep("0", ncol(Yw)), num(sum(t$vaa)))
    rows[[length(rows) + 1L]] <- c(if (layout == "2023") "OUT" else "OUTPUT", num(t$x),
                                   num(colSums(Yw) + fdtax), num(sum(t$x) + sum(Yw) + sum(fdtax)))
  }
  write_lines_csv(rows, file)
  invisible(file)
}

oecd_fixture <- function(seed = 1) {
  fake_table(c("AUS", "CHN", "MEX", "USA", "ROW", "MX1", "MX2", "CN1", "CN2"),
             c("A01_02", "C23", "C26", "G"),
             c("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"),
             splits = c(MX1 = "MEX", MX2 = "MEX", CN1 = "CHN", CN2 = "CHN"), seed = seed)
}

# WIOD 2016: the `wiot` data frame of the R release.
wiod_wiot <- function(t, year = 2014) {
  N <- t$N
  ids <- c(paste0(rep(t$countries, each = N), rep(seq_len(N), t$G)),
           paste0(rep(t$dest, each = t$F), rep(56L + seq_len(t$F), length(t$dest))))
  body <- cbind(t$Z, t$Y, t$x)
  prim <- rbind(colSums(t$Z), 0.1 * t$va, 0.01 * t$va, 0.02 * t$va, -0.03 * t$va, 0.88 * t$va,
                0.02 * t$va, t$x)
  prim <- cbind(prim, matrix(0, nrow(prim), ncol(t$Y)), rowSums(prim))
  codes <- c("II_fob", "TXSP", "EXP_adj", "PURR", "PURNR", "VA", "IntTTM", "GO")
  w <- data.frame(IndustryCode = c(rep(t$sectors, t$G), codes),
                  IndustryDescription = c(paste("Industry", rep(t$sectors, t$G)), codes),
                  Country = c(rep(t$countries, each = N), rep("TOT", 8L)),
                  RNr = c(rep(seq_len(N), t$G), c(65L, 66L, 67L, 68L, 69L, 71L, 72L, 73L)),
                  Year = year, stringsAsFactors = FALSE)
  m <- rbind(body, prim)
  colnames(m) <- c(ids, "TOT")
  cbind(w, as.data.frame(m, check.names = FALSE))
}

wiod_fixture <- function(seed = 2) {
  fake_table(c("AUS", "CHN", "DEU", "ROW"), c("A01", "C23", "C26"),
             c("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"), seed = seed)
}

# FIGARO industry-by-industry matrix file.
figaro_fixture <- function(seed = 3) {
  fake_table(c("AT", "CN", "DE", "FIGW1"), c("A01", "C23", "C26"),
             c("P3_S13", "P3_S14", "P3_S15", "P51G", "P5M"), seed = seed)
}
figaro_prim <- function(t) {
  r <- rbind(D21X31 = 0.08 * t$va, OP_RES = 0.01 * t$va, OP_NRES = -0.01 * t$va,
             D1 = 0.5 * t$va, D29X39 = 0.02 * t$va, B2A3G = 0.4 * t$va)
  r
}
write_figaro_matrix <- function(t, file) {
  lab <- paste(rep(t$countries, each = t$N), rep(t$sectors, t$G), sep = "_")
  fdl <- paste(rep(t$dest, each = t$F), rep(t$cats, length(t$dest)), sep = "_")
  pr <- figaro_prim(t)
  rows <- list(c("rowLabels", lab, fdl))
  for (i in seq_len(t$n)) rows[[length(rows) + 1L]] <- c(lab[i], num(t$Z[i, ]), num(t$Y[i, ]))
  for (k in seq_len(nrow(pr)))
    rows[[length(rows) + 1L]] <- c(paste0("W2_", rownames(pr)[k]), num(pr[k, ]),
                                   num(rep(0.5, ncol(t$Y))))
  write_lines_csv(rows, file)
}
# peer = TRUE writes the columns of MARIO's FIGARO industry-by-industry flat-file
# fixture (it-is-me-mario/MARIO, tests/test_figaro_parser.py: icioiRow, icioiCol,
# refArea, rowIi, counterpartArea, colIi, obsValue; primary inputs as refArea "W2",
# rowIi "D1", "B2A3G" ...).
write_figaro_flat <- function(t, file, peer = FALSE) {
  lab_c <- rep(t$countries, each = t$N); lab_s <- rep(t$sectors, t$G)
  pr <- figaro_prim(t)
  rc <- c(lab_c, rep("W2", nrow(pr))); rs <- c(lab_s, rownames(pr))
  M <- rbind(cbind(t$Z, t$Y), cbind(pr, matrix(0.5, nrow(pr), ncol(t$Y))))
  cc <- c(lab_c, rep(t$dest, each = t$F)); cs <- c(lab_s, rep(t$cats, length(t$dest)))
  ij <- expand.grid(i = seq_len(nrow(M)), j = seq_len(ncol(M)))
  ij <- ij[sample(nrow(ij)), ]                 # flat files need not be sorted
  d <- if (peer)
    data.frame(icioiRow = paste(rc[ij$i], rs[ij$i], sep = "_"),
               icioiCol = paste(cc[ij$j], cs[ij$j], sep = "_"), refArea = rc[ij$i],
               rowIi = rs[ij$i], counterpartArea = cc[ij$j], colIi = cs[ij$j],
               obsValue = num(M[cbind(ij$i, ij$j)]), stringsAsFactors = FALSE) else
    data.frame(icioTableType = "ind-by-ind", refArea = rc[ij$i], rowIi = rs[ij$i],
               counterpartArea = cc[ij$j], colIi = cs[ij$j], TIME_PERIOD = 2021,
               obsValue = num(M[cbind(ij$i, ij$j)]), stringsAsFactors = FALSE)
  utils::write.csv(d, file, row.names = FALSE, quote = FALSE)
}

# EXIOBASE 3 IOT folder (pandas' to_csv layout of pymrio).
exio_fixture <- function(seed = 4) {
  fake_table(c("AT", "CN", "WA"), c("Cultivation of paddy rice", "Manufacture of cement, lime and plaster",
                                    "Retail trade"),
             c("Final consumption expenditure by households",
               "Final consumption expenditure by non-profit organisations serving households (NPISH)",
               "Final consumption expenditure by government", "Gross fixed capital formation",
               "Changes in inventories", "Changes in valuables", "Exports: Total (fob)"),
             seed = seed)
}
write_exio <- function(t, dir, coefficients = FALSE) {
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  rc <- rep(t$countries, each = t$N); rs <- rep(t$sectors, t$G)
  wr <- function(m, h1, h2, h2name, f) {
    l <- c(paste(c("region", "", h1), collapse = "\t"),
           paste(c(h2name, "", h2), collapse = "\t"),
           paste(c("region", "sector", rep("", ncol(m))), collapse = "\t"),
           vapply(seq_len(nrow(m)), function(i) paste(c(rc[i], rs[i], num(m[i, ])), collapse = "\t"), ""))
    writeLines(l, file.path(dir, f))
  }
  M <- if (coefficients) t$Z / rep(ifelse(t$x > 0, t$x, 1), each = t$n) else t$Z
  wr(M, rc, rs, "sector", if (coefficients) "A.txt" else "Z.txt")
  wr(t$Y, rep(t$dest, each = t$F), rep(t$cats, length(t$dest)), "category", "Y.txt")
  writeLines(c("region\tsector\tindout",
               paste(rc, rs, num(t$x), sep = "\t")), file.path(dir, "x.txt"))
  writeLines(c("region\tsector\tunit", paste(rc, rs, "M.EUR", sep = "\t")), file.path(dir, "unit.txt"))
  invisible(dir)
}

# Eora26 folder: matrices without labels, label files, and the statistical
# discrepancy entry "ROW" (one row/column of T, six columns of FD).
eora_fixture <- function(seed = 5) {
  fake_table(c("AFG", "CHN", "USA"), c("Agriculture", "Fishing", "Petroleum, Chemical and Non-Metallic Mineral Products"),
             c("Household final consumption P.3h", "Non-profit institutions serving households P.3n",
               "Government final consumption P.3g", "Gross fixed capital formation P.51",
               "Changes in inventories P.52", "Acquisitions less disposals of valuables P.53"),
             seed = seed)
}
eora_prim <- function(t) {
  rbind(`Compensation of employees D.1` = 0.5 * t$va, `Taxes on production D.29` = 0.05 * t$va,
        `Subsidies on production D.39` = -0.02 * t$va, `Net operating surplus B.2n` = 0.3 * t$va,
        `Net mixed income B.3n` = 0.07 * t$va, `Consumption of fixed capital K.1` = 0.1 * t$va)
}
# row_name = "ROW" writes the rest-of-world labels as MARIO's Eora26 fixture does
# (it-is-me-mario/MARIO, tests/test_eora_parser.py: "ROW ROW Industries TOTAL");
# pymrio (IndEcol/pymrio, pymrio/tools/ioparser.py, parse_eora26) drops the
# entries whose first label is "ROW".
write_eora <- function(t, dir, year = 2015, discrepancy = 7.5, row_name = "Rest of World") {
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  names_of <- c(AFG = "Afghanistan", CHN = "China", USA = "USA")
  rc <- rep(t$countries, each = t$N); rs <- rep(t$sectors, t$G)
  n <- t$n
  T <- rbind(cbind(t$Z, 0), c(rep(0, n), discrepancy))
  FD <- rbind(cbind(t$Y, matrix(0, n, t$F)), c(rep(0, ncol(t$Y)), discrepancy, rep(0, t$F - 1)))
  VA <- cbind(eora_prim(t), 0)
  wm <- function(m, f) writeLines(apply(m, 1, function(r) paste(num(r), collapse = "\t")),
                                  file.path(dir, f))
  stem <- sprintf("Eora26_%d_bp_", year)
  wm(T, paste0(stem, "T.txt")); wm(FD, paste0(stem, "FD.txt")); wm(VA, paste0(stem, "VA.txt"))
  writeLines(c(paste(names_of[rc], rc, "Industries", rs, sep = "\t"),
               paste(row_name, "ROW\tIndustries",
                     if (row_name == "ROW") "TOTAL" else "Total", sep = "\t")),
             file.path(dir, "labels_T.txt"))
  fdc <- rep(t$dest, each = t$F)
  writeLines(c(paste(names_of[fdc], fdc, "Final Demand", rep(t$cats, length(t$dest)), sep = "\t"),
               paste(row_name, "ROW\tFinal Demand", t$cats, sep = "\t")),
             file.path(dir, "labels_FD.txt"))
  writeLines(paste("Primary Inputs", rownames(eora_prim(t)), sep = "\t"),
             file.path(dir, "labels_VA.txt"))
  invisible(dir)
}

# ADB MRIO sheet: 7 header rows, label columns A-D, data from E8.
adb_fixture <- function(seed = 6) {
  fake_table(c("AUS", "PRC", "USA", "RoW"), paste0("c", 1:3), paste0("F", 1:5), seed = seed)
}
# peer = TRUE writes the layout of MARIO's ADB fixture and parser
# (it-is-me-mario/MARIO, tests/test_adb_parser.py and mario/parsers/specs.py):
# primary-input rows r99, r61, r62, r63, r64, trs between r60 and r69, "ToT" in
# the country row above the column codes and "TOT" as the country of the rows
# below the industries. The data start at E8 as exvatools (cran/exvatools,
# R/extract_mrio.R: rows 8.., columns 5..) and ksreyes/mrio (R/check.R) read them.
adb_prim_codes <- function(peer = FALSE)
  if (peer) c("r99", "r61", "r62", "r63", "r64", "trs") else c("r61", "r62", "r63", "r64", "r65", "r66")
adb_sheet <- function(t, peer = FALSE) {
  N <- t$N; n <- t$n
  prim_codes <- adb_prim_codes(peer)
  prim <- rbind(0.1 * t$va, 0.01 * t$va, 0.01 * t$va, -0.01 * t$va, 0.87 * t$va, 0.02 * t$va)
  ncolv <- n + ncol(t$Y) + 1L
  body <- rbind(cbind(t$Z, t$Y, t$x),
                c(colSums(t$Z), rep(0, ncol(t$Y)), sum(t$Z)),
                cbind(prim, matrix(0, nrow(prim), ncol(t$Y)), rowSums(prim)),
                c(t$x, colSums(t$Y), sum(t$x) + sum(t$Y)))
  hdr <- matrix(NA_character_, 7L, 4L + ncolv)
  hdr[1, 1] <- "Multi-Regional Input-Output Table (MRIOT)"
  hdr[2, 1] <- "(in millions of US$)"
  hdr[5, 4 + seq_len(ncolv)] <- c(rep("Industry", n), rep("Final demand", ncol(t$Y)), "Total output")
  hdr[6, 4 + seq_len(ncolv)] <- c(rep(t$countries, each = N), rep(t$dest, each = t$F),
                                  if (peer) "ToT" else NA)
  hdr[7, 4 + seq_len(ncolv)] <- c(rep(t$sectors, t$G), rep(t$cats, length(t$dest)),
                                  if (peer) NA else "ToT")
  lab <- cbind(NA, c(paste("Industry", rep(t$sectors, t$G)), "Total intermediate consumption",
                     "Taxes less subsidies on products", "Cif/ fob adjustments on exports",
                     "Direct purchases abroad by residents",
                     "Purchases on the domestic territory by non-residents",
                     "Value added at basic prices", "International Transport Margins",
                     "Output at basic prices"),
               c(rep(t$countries, each = N), rep(if (peer) "TOT" else NA, 8L)),
               c(rep(t$sectors, t$G), "r60", prim_codes, "r69"))
  list(hdr = hdr, lab = lab, body = body)
}
write_adb <- function(tabs, file, peer = FALSE) {
  wb <- openxlsx::createWorkbook()
  for (nm in names(tabs)) {
    s <- adb_sheet(tabs[[nm]], peer)
    openxlsx::addWorksheet(wb, nm)
    openxlsx::writeData(wb, nm, as.data.frame(s$hdr), colNames = FALSE, startRow = 1)
    openxlsx::writeData(wb, nm, as.data.frame(s$lab), colNames = FALSE, startRow = 8, startCol = 1)
    openxlsx::writeData(wb, nm, as.data.frame(s$body), colNames = FALSE, startRow = 8, startCol = 5)
  }
  openxlsx::saveWorkbook(wb, file, overwrite = TRUE)
}

# The checks every reader must pass: blocks equal the file's, identities hold.
expect_identities <- function(tab) {
  rel <- function(a, b) max(abs(a - b)) / max(1, max(abs(b)))
  expect_lt(rel(tab$x, rowSums(tab$Z) + rowSums(tab$Y)), 1e-9)
  expect_lt(rel(tab$x, colSums(tab$Z) + tab$va), 1e-9)
}
expect_blocks <- function(tab, t, prim = NULL) {
  expect_equal(unname(tab$Z), t$Z, tolerance = 1e-12)
  expect_equal(unname(tab$Y), t$Y, tolerance = 1e-12)
  expect_equal(unname(tab$x), t$x, tolerance = 1e-12)
  expect_equal(unname(tab$va), t$va, tolerance = 1e-9)
  if (!is.null(prim)) expect_equal(unname(tab$primary), unname(prim), tolerance = 1e-12)
  expect_identical(tab$countries, t$countries)
  expect_identical(tab$sectors, t$sectors)
  expect_identical(tab$final_demand, t$cats)
}

# A temporary file path removed when the calling test ends.
withr_tempfile <- function(name, env = parent.frame()) {
  d <- tempfile("icio")
  dir.create(d)
  do.call(on.exit, list(substitute(unlink(d, recursive = TRUE), list(d = d)), add = TRUE),
          envir = env)
  file.path(d, name)
}
