# The Monte Carlo of bench/select_bench in R: products on the market over `draws` seeded draws of
# the funded projects (independent successes), vectorised with rbinom. Prints JSON.
# Usage: Rscript select_peer.R ITEMS_FILE DRAWS SEED
args <- commandArgs(trailingOnly = TRUE)
x <- read.table(args[1])
draws <- as.integer(args[2])
set.seed(as.integer(args[3]))
t <- system.time({
  total <- numeric(draws)
  for (i in seq_len(nrow(x))) total <- total + x[i, 2] * rbinom(draws, 1, x[i, 1])
  q <- quantile(total, c(0.05, 0.5, 0.95), type = 1)
})[["elapsed"]]
cat(sprintf('{"mc_s": %.3f, "mc_mean": %.4f, "mc_sd": %.4f, "p05": %g, "p50": %g, "p95": %g}\n', t, mean(total), sd(total), q[1], q[2], q[3]))
