# The peer of the evaluation benchmark: the same Monte Carlo over method choices written in base R
# (Debian's r-base-core) on the table evaluate_bench wrote — variants prepared once (imputation,
# COINr's outlier rule, normalisation, [1, 2] for geometric), then per draw noisy weights, weighted
# means by matrix products and ranks. Prints JSON: seconds and the mean width of the 5–95 % rank
# intervals. Usage: Rscript evaluate_peer.R DIR DRAWS SEED
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]; draws <- as.integer(args[2]); set.seed(as.integer(args[3]))
x <- as.matrix(read.csv(file.path(dir, "raw.csv")))
meta <- read.csv(file.path(dir, "meta.csv"))
pw <- read.csv(file.path(dir, "pillars.csv"))$weight
t0 <- proc.time()[["elapsed"]]
skew <- function(v) { n <- length(v); d <- v - mean(v); g <- sqrt(n) * sum(d^3) / sum(d^2)^1.5; g * sqrt(n * (n - 1)) / (n - 2) }
kurt <- function(v) { n <- length(v); d <- v - mean(v); r <- n * sum(d^4) / sum(d^2)^2; ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)) }
fails <- function(v) { s <- skew(v); k <- kurt(v); is.finite(s) && is.finite(k) && abs(s) >= 2 && k >= 3.5 }
prepare <- function(norm, imp, outl, geo) {
  out <- matrix(NA_real_, nrow(x), ncol(x))
  for (j in seq_len(ncol(x))) {
    v <- x[, j] * meta$direction[j]
    if (all(is.na(v))) next
    v[is.na(v)] <- if (imp == "mean") mean(v, na.rm = TRUE) else median(v, na.rm = TRUE)
    if (outl) {
      for (round in 1:5) { if (!fails(v)) break; if (skew(v) >= 0) { top <- max(v); v[v == top] <- max(v[v < top]) } else { low <- min(v); v[v == low] <- min(v[v > low]) } }
      if (fails(v)) v <- log(v - min(v) + 0.01 * (max(v) - min(v)))
    }
    y <- switch(norm,
      minmax = if (max(v) > min(v)) (v - min(v)) / (max(v) - min(v)) else rep(0.5, length(v)),
      zscore = if (sd(v) > 0) (v - mean(v)) / sd(v) else rep(0, length(v)),
      percentile = (rank(v, ties.method = "min") - 1) / (length(v) - 1))
    if (geo) y <- (y - min(y)) / (max(y) - min(y)) + 1
    out[, j] <- if (geo) log(y) else y
  }
  out <- out[, cols, drop = FALSE]
  out[!is.finite(out)] <- if (geo) log(1.5) else 0.5
  out
}
cols <- which(colSums(is.na(x)) < nrow(x))
variants <- list()
for (norm in c("minmax", "zscore", "percentile")) for (imp in c("mean", "median")) for (outl in c(TRUE, FALSE)) for (geo in c(FALSE, TRUE))
  variants[[paste(norm, imp, outl, geo)]] <- prepare(norm, imp, outl, geo)
pillar <- meta$pillar[cols] + 1
ranks <- matrix(0L, nrow(x), draws)
for (d in seq_len(draws)) {
  norm <- sample(c("minmax", "zscore", "percentile"), 1); geo <- sample(c(FALSE, TRUE), 1)
  imp <- sample(c("mean", "median"), 1); outl <- sample(c(TRUE, FALSE), 1)
  m <- variants[[paste(norm, imp, outl, geo)]]
  w <- meta$weight[cols] * (1 + runif(length(cols), -0.25, 0.25))
  p <- pw * (1 + runif(length(pw), -0.25, 0.25))
  W <- matrix(0, length(cols), length(pw))
  W[cbind(seq_along(cols), pillar)] <- w
  P <- (m %*% W) %*% diag(1 / colSums(W))
  idx <- as.vector(P %*% p) / sum(p)
  ranks[, d] <- rank(-idx, ties.method = "min")
}
q <- apply(ranks, 1, quantile, probs = c(0.05, 0.95))
elapsed <- proc.time()[["elapsed"]] - t0
cat(sprintf('{"mc_s": %.3f, "mean_interval_width": %.3f}\n', elapsed, mean(q[2, ] - q[1, ])))
