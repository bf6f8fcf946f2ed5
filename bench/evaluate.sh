#!/usr/bin/env bash
# The evaluation at the issue's scale (71 clusters × 20 years, 10,000 Monte Carlo draws over the
# method's choices, Sobol N = 500) against the same Monte Carlo in base R on the same table, in the
# same run. Prints a markdown section.
# Usage: bench/evaluate.sh EVALUATE_BENCH_BINARY DEMO_DB
set -euo pipefail
bench=$(realpath "${1:?evaluate_bench binary}")
db=$(realpath "${2:?demo database}")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ours=$("$bench" "$db" "$root/methods/default.toml" "$work")
peer=$(Rscript "$root/bench/evaluate_peer.R" "$work" 10000 1)
python3 - "$ours" "$peer" <<'PY'
import json, sys
o, r = (json.loads(a) for a in sys.argv[1:3])
total = o["catalogue_s"] + o["composite_s"] + o["mc_s"]
print(f"## Evaluation ({o['clusters']} clusters × {o['years']} years, {o['indicators']} indicators)")
print()
print("The default method (methods/default.toml) on the france demo, every cluster in every year 2005–2024 pooled")
print(f"({o['units']:,} cluster-years). The Monte Carlo draws the normalisation (min-max, z-score, percentile), the")
print("aggregation (arithmetic, geometric), the imputation (mean, median), the outlier rule (on, off) and ±25 % noise")
print("on every weight, and reports each unit's 5–95 % rank interval. R runs the same draws in base R (matrix")
print("products, `rank`) on the same table, its variants prepared once as ours are. Goal: the full evaluation")
print("(catalogue, composite, 10,000 draws) within 1 s.")
print()
print("| Step | Pôles (s) | R (s) | Result |")
print("|---|---:|---:|---|")
print(f"| indicator catalogue, 20 years | {o['catalogue_s']:.2f} | — | {o['indicators']} indicators × {o['units']:,} cluster-years (store loaded in {o['load_s']:.1f} s) |")
print(f"| nominal composite | {o['composite_s']:.3f} | — | |")
print(f"| Monte Carlo, {o['mc_draws']:,} draws | {o['mc_s']:.2f} | {r['mc_s']:.2f} | mean 5–95 % interval width {o['mean_interval_width']:.1f} ranks (R {r['mean_interval_width']:.1f}) |")
print(f"| **full evaluation** | **{total:.2f}** | | catalogue + composite + draws |")
print(f"| Sobol indices, {o['sobol_runs']:,} runs | {o['sobol_s']:.2f} | — | first-order and total, 5 inputs |")
PY
