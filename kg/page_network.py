"""The page's network view, as vis-network nodes, edges and options.

Nodes and edges are written as vis-network's own data (pyvis supplies the
library; its ``Network.add_edge`` checks every earlier edge, which takes
seconds at 20,000 entities, so the data is built here directly). A node's size
is its importance: betweenness (sampled from 100 sources above 100 entities) up
to :data:`EXACT_BETWEENNESS_LIMIT` entities, degree above it (sampled
betweenness costs a minute at 20,000). Only the
:data:`LABELLED` most important nodes are labelled at the page's opening zoom;
the page labels the rest once the user zooms in, and every node on hover.
"""

from __future__ import annotations

import math

import networkx as nx

from kg.network import EXACT_BETWEENNESS_LIMIT, KIND_NAMES, simple_graph

# Colour and vis-network shape of each kind of entity (colour-blind-safe palette).
STYLE: dict[str, tuple[str, str]] = {
    "show": ("#d55e00", "star"),
    "season": ("#e69f00", "diamond"),
    "person": ("#0072b2", "dot"),
    "historical figure": ("#56b4e9", "triangle"),
    "character": ("#cc79a7", "dot"),
    "work": ("#999999", "square"),
    "organization": ("#117733", "hexagon"),
    "place": ("#009e73", "triangleDown"),
    "real event": ("#f0e442", "square"),
    "invented event": ("#cc3311", "diamond"),
    "event": ("#f0e442", "dot"),
    "other": ("#bbbbbb", "dot"),
}
LEGEND_ORDER = tuple(KIND_NAMES) + ("other",)
DISPUTED = "#d00000"
SINGLE_SOURCE_EDGE = "#d5dbe0"
LABELLED = 20

# Above this many nodes the page does not run the physics simulation in the
# browser (it would take minutes to settle); the layout is computed here instead.
PHYSICS_LIMIT = 800


# Betweenness from this many seeded sample sources (exact below it): the ranking it gives the top entities is
# what the page uses, and 100 breadth-first searches cost a fifth of 500.
BETWEENNESS_SAMPLES = 100


def importance(graph: nx.MultiDiGraph) -> tuple[dict[str, float], str]:
    """Each node's importance in [0, 1] and what it measures."""
    simple = simple_graph(graph)
    if len(simple) <= EXACT_BETWEENNESS_LIMIT:
        sample = {"k": BETWEENNESS_SAMPLES, "seed": 1969} if len(simple) > BETWEENNESS_SAMPLES else {}
        scores, measure = nx.betweenness_centrality(simple, **sample), "betweenness"
    else:
        scores, measure = dict(simple.degree()), "degree"
    top = max(scores.values(), default=0) or 1
    return {n: s / top for n, s in scores.items()}, measure


def physics_options(enabled: bool) -> dict:
    return {
        "enabled": enabled,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "springConstant": 0.06,
                             "avoidOverlap": 0.4},
        "stabilization": {"enabled": enabled, "iterations": 400, "updateInterval": 50, "fit": True},
        "minVelocity": 1.0,
        "maxVelocity": 60,
        "timestep": 0.5,
    }


def positions(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions for graphs too large for in-browser physics: each connected component a disc on a
    sunflower spiral, largest in the middle, its nodes placed breadth-first from its most linked one so
    that neighbours sit near each other. Linear in the graph's size."""
    simple = simple_graph(graph)
    golden = math.pi * (3 - math.sqrt(5))
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    placed: dict[str, tuple[float, float]] = {}
    spread = 25 * math.sqrt(max(len(simple), 1))
    for index, component in enumerate(components):
        centre = (spread * math.sqrt(index) * math.cos(index * golden), spread * math.sqrt(index) * math.sin(index * golden))
        hub = max(component, key=lambda n: (simple.degree(n), n))
        order = list(nx.bfs_tree(simple, hub, sort_neighbors=sorted)) if len(component) > 1 else component
        radius = 15 * math.sqrt(len(component))
        for k, node in enumerate(order):
            r = radius * math.sqrt((k + 0.5) / len(order))
            placed[node] = (round(centre[0] + r * math.cos(k * golden), 2), round(centre[1] + r * math.sin(k * golden), 2))
    return placed


def network(graph: nx.MultiDiGraph, physics: bool | None = None) -> dict:
    """The network view's data: vis-network nodes and edges (ids are node slugs and ``e0``, ``e1``…)."""
    physics = physics if physics is not None else len(graph) <= PHYSICS_LIMIT
    weight, measure = importance(graph)
    labelled = set(sorted(weight, key=lambda n: (-weight[n], n))[:LABELLED])
    placed = {} if physics else positions(graph)
    dashed = len(graph) <= PHYSICS_LIMIT
    nodes = []
    for node, attrs in sorted(graph.nodes(data=True), key=lambda item: item[0]):  # same order, same layout
        kind = attrs.get("kind", "other")
        colour, shape = STYLE.get(kind, STYLE["other"])
        item = {"id": node, "kind": kind, "shape": shape, "size": round(10 + 30 * math.sqrt(weight.get(node, 0)), 3),
                "name": attrs.get("label", node), "major": node in labelled}
        if node in placed:
            item["x"], item["y"] = placed[node]
        if attrs.get("disputed"):  # sources disagree: a thick red ring
            item["color"] = {"background": colour, "border": DISPUTED,
                             "highlight": {"background": colour, "border": DISPUTED}}
            item["borderWidth"] = 4
        else:
            item["color"] = colour
        if dashed and attrs.get("source_count", 0) == 1:  # everything known about it comes from one source
            item["shapeProperties"] = {"borderDashes": [3, 3]}
            item.setdefault("borderWidth", 2)
        nodes.append(item)
    edges = []
    for index, (start, end, key, attrs) in enumerate(sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])):
        item = {"id": f"e{index}", "from": start, "to": end, "label": attrs.get("relation", key),
                "sources": attrs.get("sources", []), "seasons": attrs.get("seasons", [])}
        if len(item["sources"]) == 1:
            item["single"] = True
            # Dashed lines cost the canvas dearly; on large graphs a single source is shown by a paler line instead.
            item |= {"dashes": True} if dashed else {"color": {"color": SINGLE_SOURCE_EDGE}}
        edges.append(item)
    options = {
        "physics": physics_options(physics),
        "layout": {"improvedLayout": len(graph) <= 300, "randomSeed": 1},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False,
                        "hideEdgesOnDrag": len(graph) > 1000},
        "edges": {"arrows": "to", "font": {"size": 9, "align": "middle", "color": "#555555", "strokeWidth": 2},
                  "color": {"color": "#9aa5b1", "highlight": "#333333"},
                  "smooth": {"enabled": len(graph) <= 1000, "type": "continuous"}, "width": 1},
        "nodes": {"font": {"size": 13, "face": "sans-serif"}, "borderWidth": 1},
    }
    used = {n["kind"] for n in nodes}
    return {
        "nodes": nodes, "edges": edges, "options": options, "physics": physics, "dashed": dashed,
        "measure": measure, "legend": [{"kind": k, "colour": STYLE[k][0], "shape": STYLE[k][1]}
                                       for k in LEGEND_ORDER if k in used],
    }
