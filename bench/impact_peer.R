# The R peers of bench/impact.sh, on the data impact_bench wrote:
#   collapse DIR   collapse's one-way demeaning iterated to convergence (alternating projections,
#                  tolerance 1e-8) + lm.fit on DIR/ols.bin
#   estimatr DIR   estimatr's lm_robust(fixed_effects =) on DIR/ols.bin (it builds the dummies:
#                  small data only)
#   match DIR              MatchIt nearest neighbour on DIR/match.csv
#   glm DIR        glm(family = poisson) with the fixed effects as dummies on DIR/ppml.bin, and
#                  sandwich's vcovCL (HC0, clustered by the first) for the slope's error
# Prints one JSON object.
args <- commandArgs(trailingOnly = TRUE)
mode <- args[1]
dir <- args[2]
read_ols <- function(dir, name = "ols.bin") {
  con <- file(file.path(dir, name), "rb")
  h <- readBin(con, "double", 2); n <- h[1]; G <- h[2]
  y <- readBin(con, "double", n); x <- readBin(con, "double", n)
  fe <- lapply(seq_len(G), function(q) readBin(con, "integer", n))
  close(con)
  list(n = n, G = G, y = y, x = x, fe = fe)
}
if (mode == "collapse") {
  suppressMessages(library(collapse))
  o <- read_ols(dir); y <- o$y; x <- o$x; fe <- o$fe
  t0 <- proc.time()[[3]]
  groups <- lapply(fe, GRP)
  d <- cbind(y, x); it <- 0
  repeat {
    it <- it + 1; old <- d
    for (g in groups) d <- fwithin(d, g)
    if (max(abs(d - old)) < 1e-8 || it >= 10000) break
    rm(old)
  }
  fit <- lm.fit(d[, 2, drop = FALSE], d[, 1])
  t_collapse <- proc.time()[[3]] - t0
  cat(sprintf('{"seconds": %.3f, "iterations": %d, "coef": %.10f}\n', t_collapse, it, coef(fit)[[1]]))
} else if (mode == "estimatr") {
  suppressMessages(library(estimatr))
  o <- read_ols(dir); G <- o$G
  sub <- data.frame(y = o$y, x = o$x)
  for (q in seq_len(G)) sub[[paste0("f", q)]] <- factor(o$fe[[q]])
  t0 <- proc.time()[[3]]
  e <- if (G == 2) lm_robust(y ~ x, fixed_effects = ~ f1 + f2, data = sub, se_type = "HC1") else
    lm_robust(y ~ x, fixed_effects = ~ f1 + f2 + f3, data = sub, se_type = "HC1")
  t_estimatr <- proc.time()[[3]] - t0
  cat(sprintf('{"rows": %d, "seconds": %.3f, "coef": %.10f}\n', nrow(sub), t_estimatr, coef(e)[["x"]]))
} else if (mode == "match") {
  suppressMessages(library(MatchIt))
  d <- read.csv(file.path(dir, "match.csv"))
  t0 <- proc.time()[[3]]
  m <- matchit(treat ~ x1 + x2 + x3 + x4 + x5, data = d, method = "nearest", distance = "glm")
  t <- proc.time()[[3]] - t0
  cat(sprintf('{"rows": %d, "seconds": %.3f, "matched": %d}\n', nrow(d), t, sum(m$weights > 0 & d$treat == 1)))
} else if (mode == "glm") {
  suppressMessages(library(sandwich))
  o <- read_ols(dir, "ppml.bin")
  d <- data.frame(y = o$y, x = o$x, f1 = factor(o$fe[[1]]), f2 = factor(o$fe[[2]]),
                  f3 = factor(o$fe[[3]]))
  t0 <- proc.time()[[3]]
  m <- glm(y ~ x + f1 + f2 + f3, family = poisson, data = d)
  t <- proc.time()[[3]] - t0
  se <- sqrt(vcovCL(m, cluster = ~f1, type = "HC0")["x", "x"])
  cat(sprintf('{"rows": %d, "seconds": %.3f, "coef": %.10f, "se": %.10f, "columns": %d}\n', nrow(d), t,
              coef(m)[["x"]], se, length(coef(m))))
}
