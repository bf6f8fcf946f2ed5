#!/usr/bin/python3
"""python-igraph doing what bench/network_bench.cpp times: read the weighted edge list, build the
graph, then degree, strength, PageRank, eigenvector, local clustering, betweenness of paths of at
most 2 links, Leiden communities (modularity). Prints JSON timings. Debian's /usr/bin/python3."""
import json
import sys
import time

import igraph

t0 = time.perf_counter()
g = igraph.Graph.Read_Ncol(sys.argv[1], names=False, weights=True, directed=False)
t1 = time.perf_counter()
g.degree()
g.strength(weights="weight")
g.pagerank(weights="weight", directed=False)
g.eigenvector_centrality(weights="weight", directed=False, scale=True)
g.transitivity_local_undirected(mode="zero")
c = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
tb = time.perf_counter()
g.betweenness(directed=False, cutoff=2)
t2 = time.perf_counter()
print(json.dumps({"nodes": g.vcount(), "edges": g.ecount(), "build_s": t1 - t0, "metrics_s": t2 - t1,
                  "others_s": tb - t1, "betweenness_s": t2 - tb,
                  "modularity": g.modularity(c.membership, weights="weight")}))
