#!/usr/bin/env bash
# Calls and selection at the issue's scale, against peers on the same instance in the same run:
# the reviewer assignment against networkx's network simplex (Debian's python3-networkx, under
# /usr/bin/python3), the Monte Carlo against R's rbinom. Prints a markdown section.
# Usage: bench/select.sh SELECT_BENCH_BINARY
set -euo pipefail
bench=$(realpath "${1:?select_bench binary}")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ours=$("$bench" "$work" 1)
k=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["k"])' "$ours")
flow=$(/usr/bin/python3 -I "$root/bench/select_peer.py" "$work/pairs.txt" "$k")
mc=$(Rscript "$root/bench/select_peer.R" "$work/items.txt" 100000 1)
python3 - "$ours" "$flow" "$mc" <<'PY'
import json, sys
o, f, r = (json.loads(a) for a in sys.argv[1:4])
print(f"## Calls and selection ({o['proposals']:,} proposals, {o['reviewers']} reviewers)")
print()
print("A synthetic call (seeded): proposals with sectors and themes, reviewers with two of each, conflicts of")
print("interest found among 6,000 organisations and 3,000 past projects. Assignment: k =", o['k'], "reviewers per")
print(f"proposal, at most {o['L']} each, {o['conflicts']} conflicts excluded, the 40 best-matching eligible reviewers of")
print("each proposal in the program; Pôles' time includes finding the conflicts and computing every affinity,")
print("networkx reads the finished candidate list and solves the same program as a minimum-cost flow.")
print("Portfolio: the call's rules (minimum 60 % of a request, cap per cluster, 30 % to SMEs) and at most 15 % of")
print("the aid per theme. Monte Carlo: the funded projects' successes, 100,000 seeded draws. Goals: assignment")
print("and portfolio within 10 s each, the draws within 2 s.")
print()
print("| Step | Pôles (s) | Peer | Peer (s) | Result |")
print("|---|---:|---|---:|---|")
print(f"| assignment (CBC) | {o['assign_s']:.2f} | networkx network simplex | {f['assign_s']:.2f} | "
      f"total affinity {o['assign_affinity']:.3f} vs {f['assign_affinity']:.3f} (costs rounded to 10⁻⁶ for the peer); "
      f"{'complete' if o['assign_complete'] else 'INCOMPLETE'}, {'optimal' if o['assign_optimal'] else 'NOT OPTIMAL'} |")
print(f"| portfolio (CBC) | {o['portfolio_s']:.2f} | — | — | {o['funded']} funded, {o['granted'] / 1e6:,.0f} of {o['budget'] / 1e6:,.0f} M€, "
      f"{'optimal' if o['portfolio_optimal'] else 'NOT OPTIMAL'} |")
print(f"| Monte Carlo, {o['mc_draws']:,} draws of {o['mc_items']} projects | {o['mc_s']:.2f} | R rbinom | {r['mc_s']:.2f} | "
      f"mean {o['mc_mean']:.2f} (exact {o['mc_expected']:.2f}, R {r['mc_mean']:.2f}), SD {o['mc_sd']:.2f} (R {r['mc_sd']:.2f}) |")
print()
print("The Monte Carlo also ranks every project by its over-representation among the failures of the worst 5 %")
print("of draws (the most fragile projects); R's loop only sums the draws.")
PY
