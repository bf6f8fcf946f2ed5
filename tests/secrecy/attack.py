#!/usr/bin/python3
"""The attacker of published tables, independent of the code under test: GLPK (glpsol).

Input (JSON file, argv[1]):
  {"tables": [[[value or null, ...], ...], ...],   # each (rows + 1) x (cols + 1), margins last
   "links": [[whole, part], ...],                   # table `part` is a sub-population of `whole`
   "nonnegative": true | false}                     # what the attacker assumes of every value
Output (stdout, JSON): [[table, row, col, low, up], ...] for every masked (null) cell; low/up
null when unbounded.

The attacker's program: a variable per masked cell (and per cell of each link's complement,
whole − part, which is never published), every row and column summing to its published total,
every link whole = part + complement, and the bounds assumed (>= 0, or free: the exact linear
solve). Each masked cell is minimised and maximised by glpsol.
"""
import json
import os
import re
import subprocess
import sys
import tempfile


def main():
    spec = json.load(open(sys.argv[1]))
    tables = spec["tables"]
    nonneg = spec["nonnegative"]
    names = {}  # (kind, t, r, c) -> variable name
    constants = {}

    def term(kind, t, r, c):
        """('var', name) or ('const', value) of a cell."""
        if kind == "cell":
            v = tables[t][r][c]
            if v is not None:
                return ("const", float(v))
        key = (kind, t, r, c)
        if key not in names:
            names[key] = "x%d" % len(names)
        return ("var", names[key])

    rows = []  # list of (list of (coef, term)), each sums to 0

    for t, table in enumerate(tables):
        R, C = len(table) - 1, len(table[0]) - 1
        for r in range(R + 1):
            rows.append([(1.0, term("cell", t, r, c)) for c in range(C)] + [(-1.0, term("cell", t, r, C))])
        for c in range(C + 1):
            rows.append([(1.0, term("cell", t, r, c)) for r in range(R)] + [(-1.0, term("cell", t, R, c))])
    for li, (whole, part) in enumerate(spec.get("links", [])):
        table = tables[whole]
        for r in range(len(table)):
            for c in range(len(table[0])):
                rows.append([(1.0, term("cell", part, r, c)), (1.0, term("rest", li, r, c)),
                             (-1.0, term("cell", whole, r, c))])

    lines = []
    for i, row in enumerate(rows):
        coefs = {}
        rhs = 0.0
        for coef, (kind, what) in row:
            if kind == "const":
                rhs -= coef * what
            else:
                coefs[what] = coefs.get(what, 0.0) + coef
        coefs = {k: v for k, v in coefs.items() if v != 0}
        if not coefs:
            continue
        expr = " ".join("%s %r %s" % ("+" if v >= 0 else "-", abs(v), k) for k, v in coefs.items())
        lines.append(" r%d: %s = %r" % (i, expr, rhs))
    bounds = ["%s %s" % (n, ">= 0" if nonneg else "free") for n in names.values()]

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        lp, sol = os.path.join(tmp, "a.lp"), os.path.join(tmp, "a.sol")
        for (kind, t, r, c), name in names.items():
            if kind != "cell":
                continue
            result = [t, r, c]
            for sense in ("Minimize", "Maximize"):
                with open(lp, "w") as f:
                    f.write("%s\n obj: %s\nSubject To\n%s\nBounds\n%s\nEnd\n"
                            % (sense, name, "\n".join(lines) or " r: %s = %s" % (name, name), "\n".join(bounds)))
                run = subprocess.run(["glpsol", "--lp", lp, "--nopresol", "-w", sol],
                                     capture_output=True, text=True)
                if "UNBOUNDED" in run.stdout:
                    result.append(None)
                    continue
                if "OPTIMAL LP SOLUTION FOUND" not in run.stdout:
                    sys.exit("glpsol failed: " + run.stdout[-400:])
                # The header's objective is rounded: read the column's value, printed in
                # full, on its "j" line (glpsol numbers columns by first appearance).
                text = open(sol).read()
                value = None
                order = appearance_order(lines, name)
                for line in text.splitlines():
                    parts = line.split()
                    if len(parts) >= 4 and parts[0] == "j" and int(parts[1]) == order:
                        value = float(parts[3])
                if value is None:
                    sys.exit("no value for column %s in glpsol's solution" % name)
                result.append(value)
            out.append(result)
    json.dump(out, sys.stdout)


def appearance_order(lines, name):
    """The 1-based index glpsol gives the column `name`: order of first appearance."""
    seen = {}
    for line in lines:
        for tok in re.findall(r"\bx\d+\b", line):
            if tok not in seen:
                seen[tok] = len(seen) + 1
    if name not in seen:  # the objective's column appears first when in no row
        return 1
    # The objective row comes first in the file: its column is column 1, then the rows'.
    order = {name: 1}
    for tok in seen:
        if tok not in order:
            order[tok] = len(order) + 1
    return order[name]


if __name__ == "__main__":
    main()
