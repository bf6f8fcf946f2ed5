#!/usr/bin/env bash
# The cooperation network of the `national` demo (about 1 M links): Pôles against python-igraph
# (Debian's python3-igraph, the same C library underneath) doing the same work on the same graph
# in the same run. Prints a markdown section.
# Usage: bench/network.sh NETWORK_BENCH_BINARY NATIONAL_DB
set -euo pipefail
bench=$(realpath "${1:?network_bench binary}")
db=${2:?national demo database}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ours=$("$bench" "$db" "$work/edges.txt")
peer=$(/usr/bin/python3 -I "$root/bench/network_peer.py" "$work/edges.txt")
python3 - "$ours" "$peer" <<'PY'
import json, sys
o, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("## Cooperation network (national demo)")
print()
print(f"{o['nodes']:,} organisations, {o['edges']:,} links. Same work on both sides: graph construction, then")
print("degree, strength, PageRank, eigenvector, local clustering, betweenness of paths of at most 2 links and")
print("Leiden communities (modularity). Pôles builds the graph from the Snapshot (joining participations and")
print("computing Newman weights); python-igraph reads the finished weighted edge list. Goal: within 1.2x of")
print("python-igraph end to end; ego-network queries under 200 ms.")
print()
print("| Step | Pôles (s) | python-igraph (s) |")
print("|---|---:|---:|")
print(f"| graph construction | {o['build_s']:.2f} | {p['build_s']:.2f} |")
print(f"| metrics and communities | {o['metrics_s']:.2f} | {p['metrics_s']:.2f} |")
print(f"| … of which betweenness (paths of at most 2 links) | {o['betweenness_s']:.2f} | {p['betweenness_s']:.2f} |")
print(f"| … of which the others (igraph on both sides) | {o['others_s']:.2f} | {p['others_s']:.2f} |")
ours, theirs = o['build_s'] + o['metrics_s'], p['build_s'] + p['metrics_s']
print(f"| **end to end** | **{ours:.2f}** | **{theirs:.2f}** ({ours / theirs:.2f}x) |")
print(f"| modularity reached | {o['modularity']:.4f} | {p['modularity']:.4f} |")
print()
print(f"Loading the network tables from SQLite into a Snapshot: {o['load_s']:.1f} s (once per data version in the server).")
print(f"The server's full analysis (the above, with betweenness estimated from {o['betweenness_sources']} sampled sources —")
print(f"median relative standard error {100 * o['betweenness_rel_error']:.1f} % over the 100 most central — and the recommender's")
print(f"features): {o['analysis_s']:.1f} s, cached per data version and filter. On it, over 200 random organisations:")
print(f"ego network p50 {o['ego_p50_ms']:.1f} ms, p99 {o['ego_p99_ms']:.1f} ms; ten recommended partners p50")
print(f"{o['recommend_p50_ms']:.1f} ms, p99 {o['recommend_p99_ms']:.1f} ms (JSON included).")
PY
