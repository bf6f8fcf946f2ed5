#!/usr/bin/python3
"""Independent peer of network/linkpred (the recommender judged on CORDIS H2020).

Reads the same files with Python's csv and gzip, builds the train graph, the new partnerships,
the sample, the features and the scores with numpy, and prints the precision@k and AUC of every
method as JSON. The logistic coefficients are inputs (argv[2], a JSON result of
`poles network judge-recommender --json`): this checks the protocol, the features and the
measures, not the fit. Sums run in the engine's order (np.add.at is sequential), so the
common-neighbour family's ties are the same and the figures agree to rounding.

usage: linkpred_peer.py DIR RESULT.json SAMPLE SEED
"""
import csv
import gzip
import json
import math
import sys

import numpy as np

MASK = (1 << 64) - 1


def mix(x):
    z = (x + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def key(seed, a, b=0, c=0):
    return mix(mix(mix(mix(seed) ^ a) ^ b) ^ c)


def mode(counts):
    best, n = '', -1
    for v in sorted(counts):
        if counts[v] > n:
            best, n = v, counts[v]
    return best


def main():
    folder, result_file, sample, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    result = json.load(open(result_file))
    train_to, test_to, k = result['train_to'], result['test_to'], result['k']
    model = [c['value'] for c in result['model']]
    base = [c['value'] for c in result['baseline_logit']]

    types, countries, projects = {}, {}, {}
    with gzip.open(f'{folder}/h2020_participations.csv.gz', 'rt', newline='') as f:
        for r in csv.DictReader(f):
            o = r['pic']
            types.setdefault(o, {}).setdefault(r['type'], 0)
            types[o][r['type']] += 1
            countries.setdefault(o, {}).setdefault(r['country'], 0)
            countries[o][r['country']] += 1
            year = 0 if r['start_year'] in ('', 'NA') else int(r['start_year'])
            p = projects.setdefault(r['rcn'], [0, set()])
            if year > 0:
                p[0] = year
            p[1].add(o)
    parts = {}
    with gzip.open(f'{folder}/h2020_programme_parts.csv.gz', 'rt', newline='') as f:
        for r in csv.DictReader(f):
            parts.setdefault(r['rcn'], []).append(r['programme_part'])

    orgs = sorted(types)
    index = {o: i for i, o in enumerate(orgs)}
    n = len(orgs)
    type_index, country_index = {}, {}
    otype = [type_index.setdefault(mode(types[o]), len(type_index)) for o in orgs]
    ocountry = [country_index.setdefault(mode(countries[o]), len(country_index)) for o in orgs]
    part_index = {}
    kept = []
    for rcn in sorted(projects):
        year, members = projects[rcn]
        if year <= 0 or not 2 <= len(members) <= 50:
            continue
        kept.append((year, sorted(index[m] for m in members),
                     [part_index.setdefault(p, len(part_index)) for p in parts.get(rcn, [])]))

    # The train graph.
    adj = [set() for _ in range(n)]
    nproj = np.zeros(n)
    pcount = [dict() for _ in range(n)]
    for year, members, ps in kept:
        if year > train_to:
            continue
        for u in members:
            nproj[u] += 1
            for p in ps:
                pcount[u][p] = pcount[u].get(p, 0.0) + 1
            adj[u].update(m for m in members if m != u)
    adj = [sorted(a) for a in adj]
    deg = np.array([len(a) for a in adj], dtype=float)
    edges = int(deg.sum()) // 2
    pvec = [sorted(d.items()) for d in pcount]
    pnorm = [math.sqrt(sum(c * c for _, c in v)) for v in pvec]

    def lift(cat, m):
        pairs = [[0.0] * m for _ in range(m)]
        ends = [0.0] * m
        for u in range(n):
            for v in adj[u]:
                a, b = cat[u], cat[v]
                ends[a] += 1
                if u < v:
                    pairs[min(a, b)][max(a, b)] += 1
        e, total = float(edges), 2.0 * edges
        out = [[1.0] * m for _ in range(m)]
        for a in range(m):
            for b in range(a, m):
                expected = (1.0 if a == b else 2.0) * (ends[a] / total) * (ends[b] / total) * e
                out[a][b] = out[b][a] = (pairs[a][b] + 1) / (expected + 1)
        return out

    tlift, clift = lift(otype, len(type_index)), lift(ocountry, len(country_index))
    adjset = [set(a) for a in adj]

    fresh = [set() for _ in range(n)]
    for year, members, _ in kept:
        if year < train_to + 1 or year > test_to:
            continue
        for a in members:
            if deg[a] == 0:
                continue
            for b in members:
                if b != a and deg[b] > 0 and b not in adjset[a]:
                    fresh[a].add(b)
    new_pairs = sum(len(f) for f in fresh) // 2
    nodes = [v for v in range(n) if fresh[v]]
    if 0 < sample < len(nodes):
        nodes = sorted(sorted(nodes, key=lambda v: key(seed, 2, v))[:sample])

    tie = np.array([key(seed, 1, v) for v in range(n)], dtype=np.uint64)
    inv_log = np.array([1 / math.log(d) if d > 1 else 0.0 for d in deg])
    inv = np.array([1 / d if d > 0 else 0.0 for d in deg])
    inv_sqrt = np.array([1 / math.sqrt(d) if d > 0 else 0.0 for d in deg])
    sqrt_deg = np.array([math.sqrt(d) for d in deg])
    log1p_proj = np.array([math.log1p(x) for x in nproj])
    methods = ['common_neighbours', 'adamic_adar', 'resource_allocation', 'preferential_attachment',
               'baseline_logit', 'model']
    hits = np.zeros(len(methods))
    auc = np.zeros(len(methods))
    auc_pairs = 0
    for u in nodes:
        cand = np.array([v for v in range(n) if v != u and deg[v] > 0 and v not in adjset[u]])
        via = adj[u]
        idx = np.concatenate([np.array(adj[a], dtype=np.int64) for a in via])
        rep = np.repeat(np.arange(len(via)), [len(adj[a]) for a in via])
        va = np.array(via)[rep]
        cn, aa, ra, w2, l3 = (np.zeros(n) for _ in range(5))
        np.add.at(cn, idx, 1.0)
        np.add.at(aa, idx, inv_log[va])
        np.add.at(ra, idx, inv[va])
        np.add.at(w2, idx, inv_sqrt[va])
        # L3 over the nodes b reached in two steps, in the order they were first reached.
        _, first = np.unique(idx, return_index=True)
        two = idx[np.sort(first)]
        w = w2[two] / sqrt_deg[two]
        idx3 = np.concatenate([np.array(adj[b], dtype=np.int64) for b in two])
        rep3 = np.repeat(w, [len(adj[b]) for b in two])
        np.add.at(l3, idx3, rep3)

        c = cand
        pa = deg[u] * deg[c]
        cosv = np.zeros(len(c))  # the dot product in part order, as the engine's merge
        pu = dict(pvec[u])
        for i, v in enumerate(c):
            if pnorm[u] > 0 and pnorm[v] > 0:
                dot = 0.0
                for p, x in pvec[v]:
                    if p in pu:
                        dot += pu[p] * x
                cosv[i] = dot / (pnorm[u] * pnorm[v])
        tl = np.array([tlift[otype[u]][otype[v]] for v in c])
        cl = np.array([math.log(clift[ocountry[u]][ocountry[v]]) for v in c])
        f_l3 = np.array([math.log1p(x) for x in l3[c]])
        lpa = np.array([math.log1p(x) for x in pa])
        lb = base[0] + base[1] * cn[c] + base[2] * aa[c] + base[3] * ra[c] + base[4] * lpa
        lm = (model[0] + model[1] * f_l3 + model[2] * ra[c] + model[3] * tl + model[4] * cl +
              model[5] * cosv + model[6] * log1p_proj[c])
        scores = [cn[c], aa[c], ra[c], pa, lb, lm]
        pos = fresh[u]
        kk = min(k, len(c))
        for m, s in enumerate(scores):
            # By score, then by the tie key, both descending (lexsort's last key is primary).
            order = np.lexsort((tie[c], s))[::-1]
            top = c[order[:kk]]
            hits[m] += sum(1 for v in top if v in pos) / k
        score_of = [dict(zip(c.tolist(), s.tolist())) for s in scores]
        clist = c.tolist()
        pairs_base = u * n
        for v in sorted(pos):
            drawn = []
            j = 0
            while len(drawn) < 20 and j < 50 * 20:
                wv = clist[key(seed, 3, pairs_base + v, j) % len(clist)]
                if wv not in pos:
                    drawn.append(wv)
                j += 1
            for wv in drawn:
                auc_pairs += 1
                for m in range(len(methods)):
                    a, b = score_of[m][v], score_of[m][wv]
                    auc[m] += 1.0 if a > b else 0.5 if a == b else 0.0
    print(json.dumps({
        'train_nodes': int((deg > 0).sum()), 'train_edges': edges, 'new_pairs': new_pairs,
        'evaluated': len(nodes),
        'methods': [{'method': m, 'precision_at_k': hits[i] / len(nodes), 'auc': auc[i] / auc_pairs}
                    for i, m in enumerate(methods)]}))


if __name__ == '__main__':
    main()
