#!/usr/bin/env bash
# Matching organisations to SIREN at the issue's scale: 10,000 organisations (a directory's
# names, perturbed) against 1,000,000 legal units written by examples/make_siren_labelled_set.py
# in INSEE's StockUniteLegale layout. No record-linkage peer is packaged in Debian 12 (no
# recordlinkage, splink, dedupe or rapidfuzz), so the section reports Pôles alone, with the
# precision and recall the run reached on that set. Prints a markdown section on stdout.
# Usage: bench/resolve.sh RESOLVE_BENCH_BINARY
set -euo pipefail
bin=$(realpath "${1:?resolve_bench binary}")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$root/examples/make_siren_labelled_set.py" "$work" --units 1000000 --queries 10000 --seed 20261130
echo "## Matching organisations to SIREN"
echo
echo "10,000 organisations against 1,000,000 legal units (\`bench/resolve.sh\`, seed 20261130). The"
echo "set is denser in homonyms than SIRENE (its names are drawn from a few hundred surnames, coined"
echo "words and activities: most names exist in several départements), so its recall is lower than on"
echo "the test's 20,000 units. No record-linkage peer is packaged in Debian 12."
echo
"$bin" "$work"
