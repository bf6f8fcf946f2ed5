#!/usr/bin/python3
"""Independent computation of the cooperation network's metrics, for the network tests.

Usage: peer.py NODES.txt PARTICIPATION.csv OUT.json [GRAPHML]
  NODES.txt          one organisation id per line, in the order of Pôles' nodes
  PARTICIPATION.csv  project,organisation pairs (the bipartite graph)
  GRAPHML            optional: a GraphML file written by `poles network export`, read back

The projection with Newman weights is computed by networkx (collaboration_weighted_projected_graph);
the metrics by python-igraph on that projection; GraphML is read by networkx.
Run under Debian's /usr/bin/python3, where python3-igraph and python3-networkx are installed.
"""
import csv
import json
import sys

import igraph
import networkx as nx
from networkx.algorithms import bipartite


def main():
    nodes = [line.strip() for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    index = {n: i for i, n in enumerate(nodes)}
    b = nx.Graph()
    projects = set()
    with open(sys.argv[2], encoding="utf-8") as f:
        for row in csv.reader(f):
            p = "project:" + row[0]
            projects.add(p)
            b.add_edge(p, row[1])
    proj = bipartite.collaboration_weighted_projected_graph(b, nodes)
    edges, weights = [], []
    for u, v, d in proj.edges(data=True):
        a, c = index[u], index[v]
        edges.append((min(a, c), max(a, c)))
        weights.append(d["weight"])
    g = igraph.Graph(n=len(nodes), edges=edges, directed=False)
    g.es["weight"] = weights
    leiden = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
    out = {
        "edges": [[nodes[a], nodes[c], w] for (a, c), w in zip(edges, weights)],
        "degree": g.degree(),
        "strength": g.strength(weights="weight"),
        "betweenness": g.betweenness(directed=False),
        "betweenness_2": g.betweenness(directed=False, cutoff=2),
        "pagerank": g.pagerank(weights="weight", directed=False, implementation="prpack"),
        "eigenvector": g.eigenvector_centrality(weights="weight", directed=False, scale=True),
        "clustering": g.transitivity_local_undirected(mode="zero"),
        "leiden_modularity": g.modularity(leiden.membership, weights="weight"),
        "components": len(g.connected_components()),
    }
    # networkx as a second peer for betweenness on a few nodes (unnormalised, undirected).
    nxg = nx.Graph()
    nxg.add_nodes_from(range(len(nodes)))
    nxg.add_edges_from(edges)
    bc = nx.betweenness_centrality(nxg, normalized=False) if len(nodes) <= 1500 else {}
    out["networkx_betweenness"] = [bc[i] for i in range(len(nodes))] if bc else []
    if len(sys.argv) > 4:
        gm = nx.read_graphml(sys.argv[4])
        out["graphml"] = {
            "nodes": gm.number_of_nodes(),
            "edges": gm.number_of_edges(),
            "weight_sum": sum(float(d["weight"]) for _, _, d in gm.edges(data=True)),
            "first_node": dict(gm.nodes[nodes[0]]) if nodes and nodes[0] in gm else None,
        }
    json.dump(out, open(sys.argv[3], "w", encoding="utf-8"))


if __name__ == "__main__":
    main()
