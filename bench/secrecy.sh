#!/usr/bin/env bash
# The secrecy audit of every table published from the firm panel on the france demo (/stats/firms:
# 9 measures × 25 years × all firms and members; the sector sheets; the services' financing), on 2 threads, with the information loss before (the former
# suppression: no line with one masked cell; and primary suppression alone) and after (secondary
# suppression by linear programming over the linked tables). Prints a markdown section.
# Usage: bench/secrecy.sh POLES_BINARY DEMO_DB
set -euo pipefail
poles=$(realpath "${1:?poles binary}")
db=$(realpath "${2:?demo database}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The audit alone, as anyone runs it (timed), then with the baselines for the loss.
start=$(date +%s.%N)
"$poles" -q --db "$db" secrecy audit --threads 2 --json > "$work/audit.json"
end=$(date +%s.%N)
"$poles" -q --db "$db" secrecy audit --threads 2 --baselines --primaries-only --json > "$work/baselines.json"
python3 - "$work/audit.json" "$work/baselines.json" "$start" "$end" <<'PY'
import json, sys
audit, base = (json.load(open(p)) for p in sys.argv[1:3])
seconds = float(sys.argv[4]) - float(sys.argv[3])
pubs = audit["publishers"]
pub = pubs[0]
tables = sum(p["tables"] for p in pubs)
print(f"## Statistical secrecy audit ({tables} published tables)")
print()
print("`poles secrecy audit --threads 2` on the france demo: each table published from the firm panel is built,")
print("protected and attacked — each masked cell minimised and maximised subject to every published value, the")
print("margins, the links and non-negativity (Clp). The tables of /stats/firms (9 measures × 25 years × all firms")
print("and members, the two linked: all firms ⊃ members), of the sector sheets (jobs of member firms by")
print("region, one table per NAF division; the results' jobs and revenue, per division and projects' start year),")
print("and of the SME services summary (financing raised by cluster, one table per year: a period is the sum of")
print("its years). For these two (a period the caller picks), every period of several years whose cell fails the")
periods = sum(p.get("period_cells", 0) for p in pubs)
print(f"rule is attacked too, from its years' intervals ({periods:,} period cells).")
print(f"Protection interval ±{100 * audit['protection']:g} %. Goal: every")
print("published table of the demo audited within 60 s on 2 cores. The baselines are attacked on their primary cells.")
print()
print(f"Wall time of the audit: **{seconds:.1f} s** ({sum(p['attacked'] for p in pubs):,} masked cells attacked, "
      f"{sum(p['exact'] for p in pubs)} of them recovered exactly, none primary; {'passed' if audit['passed'] else 'FAILED'}).")
print()
print("| Publisher | Suppression | Cells masked (primary + secondary) | Share of cells | Share of value | Primary cells narrower than ±15 % | Narrowest primary interval |")
print("|---|---|---:|---:|---:|---:|---|")
names = {"linked": "linear programming (published)",
         "line_rule": "former: no line with one masked cell",
         "primary_only": "primary suppression only"}
for p in base["publishers"]:
    n = p.get("narrowest")
    w = n.get("relative_half_width") if n else None
    where = f"±{100 * max(w, 0):.1f} % ({n['table']}, {n['row']} × {n['column']})" if w is not None else "—"
    print(f"| {p['publisher']} ({p['tables']} tables) | {names[p['suppression']]} | {p['primary']:,} + {p['secondary']:,} | "
          f"{100 * p['cells_masked_share']:.2f} % | {100 * p['value_masked_share']:.2f} % | {p['failures']:,} | {where} |")
PY
