#!/usr/bin/python3
"""Writes the H2020 judgement of the recommender into docs/network.md (between the markers
<!-- h2020:begin --> and <!-- h2020:end -->) from `poles network judge-recommender --json`.

usage: linkpred_table.py RESULT.json DOCS/network.md
"""
import json
import re
import sys

NAMES = {
    'model': 'model (logistic, six features)',
    'baseline_logit': 'logistic on the four baselines',
    'common_neighbours': 'common neighbours',
    'adamic_adar': 'Adamic–Adar',
    'resource_allocation': 'resource allocation',
    'preferential_attachment': 'preferential attachment',
}
FEATURES = {
    'ln_1_plus_l3': 'ln(1 + L3)', 'resource_allocation': 'RA', 'type_lift': 'type lift',
    'ln_country_lift': 'ln country lift', 'programme_cosine': 'programme cosine',
    'ln_1_plus_projects': 'ln(1 + projects of v)',
}


def main():
    r = json.load(open(sys.argv[1]))
    doc = sys.argv[2]
    who = 'all' if r['evaluated'] else ''
    lines = [
        f"Train graph: the projects of 2 to 50 organisations started up to {r['train_to']} "
        f"({r['train_nodes']:,} organisations, {r['train_edges']:,} partnerships; {r['projects']:,} "
        f"dated projects and {r['organisations']:,} organisations in the files); truth: the "
        f"{r['new_pairs']:,} new partnerships of {r['test_from']}–{r['test_to']} between them; "
        f"{r['evaluated']:,} organisations evaluated ({who} those with a new partner); k = {r['k']}; "
        f"seed {r['seed']}.",
        '',
        '| Method | Precision@10 | AUC |',
        '|---|---:|---:|',
    ]
    for m in sorted(r['methods'], key=lambda m: -m['precision_at_k']):
        lines.append(f"| {NAMES.get(m['method'], m['method'])} | {m['precision_at_k']:.4f} | {m['auc']:.4f} |")
    terms = ' '.join(f"{'+' if c['value'] >= 0 else '−'} {abs(c['value']):.3g}·{FEATURES.get(c['feature'], c['feature'])}"
                     for c in r['model'][1:])
    intercept = f"{r['model'][0]['value']:.3g}".replace('-', '−')
    lines += ['', f"The model as scored: {intercept} {terms} (proximity scale "
              f"{r['model_proximity_scale']:g} chosen on {r['train_to'] - 1} → {r['train_to']}; the baselines' "
              f"logistic model: scale {r['baseline_proximity_scale']:g})."]
    block = '\n'.join(lines)
    text = open(doc).read()
    new, n = re.subn(r'(<!-- h2020:begin[^>]*-->\n).*?(<!-- h2020:end -->)',
                     lambda m: m.group(1) + block + '\n' + m.group(2), text, flags=re.S)
    if n != 1:
        sys.exit(f'{doc}: no h2020 markers')
    open(doc, 'w').write(new)


if __name__ == '__main__':
    main()
