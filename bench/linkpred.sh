#!/usr/bin/env bash
# The recommender judged on CORDIS H2020's real network (docs/network.md, "Judged on a real
# network"): the whole hold-out timed, its table written into docs/network.md, and the peer
# (tests/network/linkpred_peer.py, numpy) timed on the same sample of organisations as Pôles.
# Prints a markdown section.
# Usage: bench/linkpred.sh POLES_BINARY SHARED_DATA_DIR
set -euo pipefail
poles=$(realpath "${1:?poles binary}")
data=${2:?../shared/data}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -d "$data/cordis/h2020" ]; then
  echo "## Recommender on CORDIS H2020"
  echo
  echo "Skipped: $data/cordis/h2020 is absent."
  exit 0
fi
t0=$(date +%s.%N)
"$poles" -q network judge-recommender --cordis-h2020 "$data/cordis/h2020" --json > "$work/all.json"
t1=$(date +%s.%N)
"$root/bench/linkpred_table.py" "$work/all.json" "$root/docs/network.md"
"$poles" -q network judge-recommender --cordis-h2020 "$data/cordis/h2020" --sample 500 --json > "$work/sample.json"
t2=$(date +%s.%N)
/usr/bin/python3 -I "$root/tests/network/linkpred_peer.py" "$data/cordis/h2020" "$work/sample.json" 500 1 > "$work/peer.json"
t3=$(date +%s.%N)
python3 - "$work/all.json" "$work/sample.json" "$work/peer.json" "$t0" "$t1" "$t2" "$t3" <<'PY'
import json, sys
a, s, p = (json.load(open(f)) for f in sys.argv[1:4])
t0, t1, t2, t3 = map(float, sys.argv[4:8])
print("## Recommender judged on CORDIS H2020")
print()
print(f"`poles network judge-recommender` on the whole hold-out ({a['evaluated']:,} organisations evaluated, every")
print(f"other train organisation ranked for each, {a['train_nodes']:,} in the train graph): **{t1 - t0:.1f} s**,")
print("the fit on the year before included (its table: docs/network.md). On a sample of 500 organisations,")
print("Pôles (fit included) against the independent peer (numpy, the coefficients given) on the same sample:")
print()
print("| Run | Seconds | Model precision@10 | Model AUC |")
print("|---|---:|---:|---:|")
ms = next(m for m in s['methods'] if m['method'] == 'model')
mp = next(m for m in p['methods'] if m['method'] == 'model')
print(f"| Pôles, sample of 500 | {t2 - t1:.1f} | {ms['precision_at_k']:.4f} | {ms['auc']:.4f} |")
print(f"| peer (Python, numpy), same sample | {t3 - t2:.1f} | {mp['precision_at_k']:.4f} | {mp['auc']:.4f} |")
PY
