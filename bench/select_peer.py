"""The reviewer assignment of bench/select_bench as a minimum-cost flow solved by networkx
(network simplex), on the same candidate pairs and capacities. Prints JSON: time and optimum.
Usage: /usr/bin/python3 -I select_peer.py PAIRS_FILE K"""
import json
import sys
import time

import networkx as nx

pairs_file, k = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
g = nx.DiGraph()
proposals = set()
for line in open(pairs_file):
    f = line.split()
    if f[0] == "p":
        p, r, cost = ("p" + f[1]), ("r" + f[2]), int(f[3])
        proposals.add(p)
        g.add_edge(p, r, capacity=1, weight=cost)
    else:
        g.add_edge("r" + f[1], "t", capacity=int(f[2]), weight=0)
for p in proposals:
    g.add_edge("s", p, capacity=k, weight=0)
g.nodes["s"]["demand"] = -k * len(proposals)
g.nodes["t"]["demand"] = k * len(proposals)
cost, flow = nx.network_simplex(g)
seconds = time.perf_counter() - start
print(json.dumps({"assign_s": seconds, "assign_affinity": -cost / 1e6, "pairs": sum(1 for p in proposals for r, x in flow[p].items() if x > 0)}))
