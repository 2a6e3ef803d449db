# Generates data/cluster_example.rda: a made-up employment panel of 16
# cities x 28 industries in two years, shaped like the provincial tables a
# cluster study starts from. The city names are those of Anhui's
# prefecture-level cities; the numbers are invented (not statistics).
#
# Industries belong to six groups that tend to locate together (silicon-based
# materials, automotive, electronics, food, textiles, chemicals) plus four
# local industries found everywhere. Each city has a size and a strength in
# each group; employment is size x the industry's national weight x the
# city's strength in its group x noise, rounded to whole jobs. Between the
# two years every group grows at its own national rate and each city's
# groups drift; Bengbu is made strong and growing in silicon-based
# materials, specialised but shrinking in textiles, and Hefei strong in
# electronics and automotive.
set.seed(20191231)
groups <- list(
  silicon = c("float glass", "silicon materials", "photovoltaic glass",
              "display glass"),
  automotive = c("vehicle assembly", "auto parts", "tyres", "batteries"),
  electronics = c("semiconductors", "electronic components", "computers",
                  "telecom equipment"),
  food = c("grain milling", "meat processing", "beverages", "food machinery"),
  textiles = c("spinning", "weaving", "garments", "footwear"),
  chemicals = c("basic chemicals", "plastics", "pharmaceuticals",
                "fertilisers"),
  local = c("retail", "construction", "logistics", "public services"))
industry <- unlist(groups, use.names = FALSE)
group <- rep(names(groups), lengths(groups))
cities <- c("Hefei", "Wuhu", "Bengbu", "Huainan", "Ma'anshan", "Huaibei",
            "Tongling", "Anqing", "Huangshan", "Fuyang", "Suzhou", "Chuzhou",
            "Lu'an", "Xuancheng", "Chizhou", "Bozhou")
size <- c(9, 4, 3, 2.5, 2.2, 1.8, 1.2, 2.6, 1, 3.2, 2.8, 2.4, 2.6, 1.6, 0.9,
          2.2) * 1e5
weight <- stats::runif(length(industry), 0.5, 1.5) / length(industry)
weight[group == "local"] <- weight[group == "local"] * 4
G <- length(groups) - 1L
strength <- matrix(exp(stats::rnorm(length(cities) * G, 0, 0.9)),
                   length(cities), G, dimnames = list(cities, names(groups)[1:G]))
strength <- cbind(strength, local = 1)
strength["Bengbu", "silicon"] <- 3.5
strength["Bengbu", "textiles"] <- 2.5
strength["Hefei", c("electronics", "automotive")] <- c(3, 2.5)
strength["Wuhu", "automotive"] <- 4
emp0 <- outer(size, weight) * strength[, group] *
  matrix(exp(stats::rnorm(length(cities) * length(industry), 0, 0.35)),
         length(cities))
# national growth by group and city drift by city x group
g_nat <- c(silicon = 0.25, automotive = 0.10, electronics = 0.30, food = 0.02,
           textiles = -0.20, chemicals = 0.05, local = 0.08)
drift <- matrix(stats::rnorm(length(cities) * length(groups), 0, 0.10),
                length(cities), dimnames = list(cities, names(groups)))
drift["Bengbu", c("silicon", "textiles")] <- c(0.30, -0.15)
drift["Hefei", "electronics"] <- 0.15
growth <- (1 + g_nat[group])[col(emp0)] * (1 + drift[, group]) *
  matrix(exp(stats::rnorm(length(emp0), 0, 0.05)), nrow(emp0))
emp1 <- emp0 * growth
cluster_example <- data.frame(
  year = rep(c(2015L, 2019L), each = length(emp0)),
  region = rep(rep(cities, length(industry)), 2),
  industry = rep(rep(industry, each = length(cities)), 2),
  emp = as.integer(round(c(emp0, emp1))),
  stringsAsFactors = FALSE)
save(cluster_example, file = "data/cluster_example.rda", compress = "xz")
