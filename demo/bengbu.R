## Reproduce the Bengbu silicon-based new materials study end to end:
## the data (Table 1), the location quotient series (Figure 1), the
## regression table (Table 2) and how far it survives the rounding of the
## published data. Figures are written as PNG files to the directory given by
## options(gvcluster.demo_dir = ...), by default a folder of the session's
## temporary directory (never the working directory); the paths are printed.
library(gvcluster)

out_dir <- getOption("gvcluster.demo_dir",
                     file.path(tempdir(), "gvcluster-demo"))
if (!dir.exists(out_dir)) dir.create(out_dir, recursive = TRUE)
out_dir <- normalizePath(out_dir)
rule <- function(title) cat("\n", title, "\n", strrep("=", nchar(title)), "\n", sep = "")

rule("Table 1: the study's data (bengbu)")
print(bengbu, row.names = FALSE)

rule("Location quotients, 2012-2019")
print(setNames(bengbu$LQ, bengbu$year))
cat("LQ > 1 in every year:", all(bengbu$LQ > 1), "\n")
fig1 <- file.path(out_dir, "bengbu-figure1.png")
grDevices::png(fig1, width = 1600, height = 1000, res = 200)
plot_lq(bengbu)
grDevices::dev.off()
cat("Figure 1 written to", fig1, "\n")

rule("Table 2: LQ ~ infra + sup + tech + phrl + fm + dm")
fit <- linreg(LQ ~ infra + sup + tech + phrl + fm + dm, data = bengbu)
print(fit)

rule("Sensitivity to the rounding of the published data")
set.seed(2012)
sens <- sensitivity(fit, draws = 10000)
print(sens)
fig2 <- file.path(out_dir, "bengbu-sensitivity.png")
# B, t and p for seven terms: about 1.8 inches of height per term
grDevices::png(fig2, width = 7, height = 13, units = "in", res = 150)
plot(sens, published = bengbu_published$coefficients)
grDevices::dev.off()
cat("Sensitivity plot written to", fig2, "\n")
