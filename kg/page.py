"""The interactive page: one self-contained HTML file drawn with pyvis and vis-network.

The page works with no network: vis-network's JavaScript and CSS (shipped
inside pyvis) are inlined. Labels, facts and sources travel as JSON in a
``<script type="application/json">`` block (with ``<``, ``>`` and ``&``
escaped) and are put into the page with ``textContent``, never as markup, so a
label such as ``<img src=x onerror=alert(1)>`` shows as text and runs nothing.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from jinja2 import Environment, PackageLoader, select_autoescape
from pyvis.network import Network

from kg.network import KIND_NAMES, centrality, simple_graph
from kg.store import write_atomically

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

# Above this many nodes the page does not run the physics simulation in the
# browser (it would take minutes to settle); networkx lays the graph out instead.
PHYSICS_LIMIT = 1500


@dataclass(frozen=True)
class PageOptions:
    title: str = "For All Mankind and Star City: the knowledge graph"
    height: str = "100vh"
    physics: bool | None = None  # None: on up to PHYSICS_LIMIT nodes


def _physics_options(enabled: bool) -> dict:
    return {
        "enabled": enabled,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "springConstant": 0.06,
                             "avoidOverlap": 0.4},
        "stabilization": {"enabled": enabled, "iterations": 600, "updateInterval": 50, "fit": True},
        "minVelocity": 1.0,
        "maxVelocity": 60,
        "timestep": 0.5,
    }


def _positions(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions for graphs too large for in-browser physics: each community (label
    propagation, linear time) a disc, the discs on a sunflower spiral, largest in the middle."""
    simple = simple_graph(graph)
    groups = sorted((sorted(g) for g in nx.community.label_propagation_communities(simple)), key=len, reverse=True)
    golden = math.pi * (3 - math.sqrt(5))
    positions: dict[str, tuple[float, float]] = {}
    spread = 25 * math.sqrt(max(len(simple), 1))
    for index, group in enumerate(groups):
        centre = (spread * math.sqrt(index) * math.cos(index * golden), spread * math.sqrt(index) * math.sin(index * golden))
        radius = 15 * math.sqrt(len(group))
        for k, node in enumerate(group):
            r = radius * math.sqrt((k + 0.5) / len(group))
            positions[node] = (centre[0] + r * math.cos(k * golden), centre[1] + r * math.sin(k * golden))
    return positions


def page_html(graph: nx.MultiDiGraph, options: PageOptions | None = None) -> str:
    """The page for ``graph`` (a projection from :func:`kg.network.project`) as one HTML string."""
    options = options or PageOptions()
    physics = options.physics if options.physics is not None else len(graph) <= PHYSICS_LIMIT
    ranking = {c.node: c for c in centrality(graph)}
    top = max((c.betweenness for c in ranking.values()), default=0.0) or 1.0
    positions = {} if physics else _positions(graph)
    dashed = len(graph) <= PHYSICS_LIMIT

    net = Network(height=options.height, width="100%", directed=True, cdn_resources="in_line")
    details: dict[str, dict] = {}
    for node, attrs in sorted(graph.nodes(data=True), key=lambda item: item[0]):  # same order, same layout
        kind = attrs.get("kind", "other")
        colour, shape = STYLE.get(kind, STYLE["other"])
        weight = ranking[node].betweenness / top if node in ranking else 0.0
        extra = {"x": positions[node][0], "y": positions[node][1]} if node in positions else {}
        if attrs.get("disputed"):  # sources disagree: a thick red ring
            extra |= {"color": {"background": colour, "border": DISPUTED, "highlight": {"background": colour,
                      "border": DISPUTED}}, "borderWidth": 4}
        else:
            extra["color"] = colour
        if dashed and attrs.get("source_count", 0) == 1:  # everything known about it comes from one source
            extra["shapeProperties"] = {"borderDashes": [3, 3]}
            extra.setdefault("borderWidth", 2)
        net.add_node(node, label=attrs.get("label", node), shape=shape, kind=kind, size=round(10 + 30 * math.sqrt(weight), 3),
                     **extra)
        details[node] = {
            "label": attrs.get("label", node),
            "kind": kind,
            "labels": {k: v for k, v in (attrs.get("labels") or {}).items() if k != "en"},
            "facts": attrs.get("facts", []),
            "disputed": attrs.get("disputed", []),
        }
    for index, (start, end, key, attrs) in enumerate(sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])):
        single = len(attrs.get("sources", [])) == 1
        # Dashed lines cost the canvas dearly; on large graphs a single source is shown by a paler line instead.
        mark = {"dashes": True} if dashed else {"color": {"color": SINGLE_SOURCE_EDGE}}
        net.add_edge(start, end, id=f"e{index}", label=attrs.get("relation", key), arrows="to",
                     sources=attrs.get("sources", []), seasons=attrs.get("seasons", []), single=single,
                     **(mark if single else {}))
    net.set_options(json.dumps({
        "physics": _physics_options(physics),
        "layout": {"improvedLayout": len(graph) <= 300, "randomSeed": 1},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "hideEdgesOnDrag": len(graph) > 1000},
        "edges": {"font": {"size": 9, "align": "middle", "color": "#555555", "strokeWidth": 2}, "color": {"color": "#9aa5b1", "highlight": "#333333"},
                  "smooth": {"enabled": len(graph) <= 1000, "type": "continuous"}, "width": 1},
        "nodes": {"font": {"size": 13, "face": "sans-serif"}, "borderWidth": 1},
    }))
    nodes, edges, _, _, _, vis_options = net.get_network_data()
    used = {kind for kind in (d["kind"] for d in details.values())}
    payload = {
        "nodes": nodes,
        "edges": edges,
        "details": details,
        "sources": graph.graph.get("sources", {}),
        "legend": [{"kind": k, "colour": STYLE[k][0], "shape": STYLE[k][1]} for k in LEGEND_ORDER if k in used],
        "options": json.loads(vis_options),
        "physics": physics,
        "dashed": dashed,
    }
    vis_dir = Path(__import__("pyvis").__file__).parent / "lib" / "vis-9.1.2"
    environment = Environment(loader=PackageLoader("kg", "templates"), autoescape=select_autoescape(["html"]))
    return environment.get_template("graph.html").render(
        title=options.title,
        height=options.height,
        vis_js=(vis_dir / "vis-network.min.js").read_text(encoding="utf-8"),
        vis_css=(vis_dir / "vis-network.css").read_text(encoding="utf-8"),
        payload=_script_json(payload),
        node_count=len(graph),
        edge_count=graph.number_of_edges(),
    )


def _script_json(value) -> str:
    """JSON that is safe inside a <script> element: no character can end the element or open markup."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def write_page(graph: nx.MultiDiGraph, path: Path | str, options: PageOptions | None = None) -> Path:
    """Write the page for ``graph`` to ``path`` atomically (no partial file on failure)."""
    return write_atomically(path, page_html(graph, options).encode("utf-8"))


def display_page(graph: nx.MultiDiGraph, options: PageOptions | None = None, height: int = 650):
    """The page, for showing inline in Jupyter: an iframe whose document is the whole (offline) page."""
    from html import escape

    from IPython.display import HTML

    document = page_html(graph, options or PageOptions(height=f"{height - 10}px"))
    # Wrapped in a div: IPython warns about a bare <iframe> (it would rather have a URL, which an offline page lacks).
    return HTML(f'<div><iframe srcdoc="{escape(document, quote=True)}" style="width:100%;height:{height}px;border:0" '
                f'sandbox="allow-scripts"></iframe></div>')
