"""Measure the interactive page: generation against pyvis's, size, and how soon each view is drawn in Chromium.

Usage: python benchmarks/page.py [--sizes 1000 5000 20000] [--chromium /usr/bin/chromium]

Graphs: the shipped one, and synthetic franchise-shaped graphs of the sizes
given: a preferential-attachment network with the projection's node kinds,
labels, facts and sourced edges, where events have dates and a revealing
episode, places have coordinates (some via a containing place, some on the
Moon or Mars, some standing in for another), and relationships join
characters — in about the shipped graph's proportions. For each graph:

- generate: seconds `page_html` takes, next to the peer, pyvis building its own
  page for the same graph (`Network.from_nx` + `generate_html`), and the ratio;
- in headless Chromium (all network blocked): milliseconds from navigation
  until the network is still, then for each other view from clicking its tab
  until it reports itself drawn, and one search once the network is still.

Machines are shared and noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import kg  # noqa: E402
from kg.network import project  # noqa: E402
from kg.page import PHYSICS_LIMIT, page_html  # noqa: E402

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
# Kinds in about the shipped projection's proportions (of 491 entities: 101 people, 91 characters, 62
# relationships, 58 episodes, 38 invented and 29 real events, 35 historical figures, 32 works, 30 places).
KIND_WEIGHTS = {"person": 20, "character": 18, "relationship": 12, "other": 12, "invented event": 8,
                "real event": 6, "historical figure": 7, "work": 6, "place": 6, "season": 1, "organization": 1}
SHOWS = ["show/a", "show/b"]


def synthetic(nodes: int, seed: int = 1969) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    shape = nx.barabasi_albert_graph(nodes, 1, seed=seed)
    shape.add_edges_from((rng.randrange(nodes), rng.randrange(nodes)) for _ in range(nodes // 3))
    episodes = [{"season": s, "number": e, "code": f"S{s}E{e}", "title": f"Episode {s}.{e}",
                 "aired": f"{2018 + s}-0{1 + e % 9}-1{e % 10}"} for s in range(1, 6) for e in range(1, 11)]
    graph = nx.MultiDiGraph(sources={f"source/s{i}": {"cite": f"Source {i}, 2026-01-01", "day": f"20{10 + i % 16}-01-01"}
                                     for i in range(50)},
                            shows=[{"slug": s, "label": s[-1].upper(), "episodes": episodes} for s in SHOWS])
    kinds = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=nodes)
    characters = [n for n in shape if kinds[n] == "character"] or [0]
    places = [n for n in shape if kinds[n] == "place"]
    for n in shape:
        kind = "other" if kinds[n] == "relationship" else kinds[n]
        attrs = {"label": f"Entity {n}", "labels": {}, "kind": kind, "iri": f"urn:n:{n}", "disputed": [],
                 "facts": [{"relation": "start date", "value": "1969-07-20", "sources": [f"source/s{n % 50}"]}]}
        if kind.endswith("event"):
            attrs["startDate"] = f"{rng.randrange(1950, 2030)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        if kind == "invented event" or kinds[n] == "relationship":
            attrs["revealed"] = {rng.choice(SHOWS): [rng.randrange(1, 6), rng.randrange(1, 11)]}
        if kind == "place" and rng.random() < 0.8:
            attrs["latitude"], attrs["longitude"] = rng.uniform(-60, 70), rng.uniform(-180, 180)
        if kinds[n] == "relationship":
            attrs["relationship_kind"] = rng.choice(["married", "rivals", "friends", "parent and child"])
        graph.add_node(f"n/{n}", **attrs)
    graph.add_node("place/moon", label="Moon", labels={}, kind="place", facts=[], disputed=[])
    for a, b in shape.edges():
        if a != b:
            graph.add_edge(f"n/{a}", f"n/{b}", key="related", relation="related to", sources=[f"source/s{(a + b) % 50}"])
    for n in shape:
        if kinds[n] == "relationship":
            for end in rng.sample(characters, 2) if len(characters) > 1 else characters * 2:
                graph.add_edge(f"n/{n}", f"n/{end}", key="between", relation="between", sources=[f"source/s{n % 50}"])
    for n in places[::7]:
        graph.add_edge(f"n/{n}", "place/moon", key="onBody", relation="on body", sources=["source/s1"])
    for a, b in zip(places[1::5], places[2::5]):
        graph.add_edge(f"n/{a}", f"n/{b}", key="standsInFor", relation="stands in for", sources=["source/s2"])
    return graph


def pyvis_page(graph: nx.MultiDiGraph) -> str:
    """The peer: pyvis's own page for the same graph, its data inlined as kg's is."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    simple = nx.DiGraph()
    simple.add_nodes_from((n, {"label": a.get("label", n), "title": a.get("kind", "")}) for n, a in graph.nodes(data=True))
    simple.add_edges_from((u, v, {"title": k}) for u, v, k in graph.edges(keys=True))
    net.from_nx(simple)
    return net.generate_html()


def in_browser(browser, path: Path, name: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    timings = {}
    start = time.perf_counter()
    page.goto(path.as_uri(), timeout=300_000)
    page.wait_for_function("() => !!(window.famkg && window.famkg.stable)", timeout=300_000, polling=50)
    timings["network"] = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    page.fill("#search-input", name)
    page.press("#search-input", "Enter", timeout=300_000)
    page.wait_for_function("() => window.famkg.network.getSelectedNodes().length === 1", timeout=300_000)
    timings["search"] = (time.perf_counter() - start) * 1000
    for view in ("timeline", "map", "relations"):
        start = time.perf_counter()
        page.click(f'#tabs button[data-view="{view}"]', timeout=300_000)
        page.wait_for_function(f"() => window.famkg.ready[{view!r}] === true", timeout=300_000, polling=50)
        timings[view] = (time.perf_counter() - start) * 1000
    context.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000, 20000])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    graphs = {"shipped": project(kg.load())} | {f"synthetic {n:,}": synthetic(n) for n in args.sizes}
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as folder:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=FLAGS)
        for name, graph in graphs.items():
            start = time.perf_counter()
            html = page_html(graph)
            generated = time.perf_counter() - start
            start = time.perf_counter()
            pyvis_page(graph)
            peer = time.perf_counter() - start
            path = Path(folder) / "page.html"
            path.write_text(html, encoding="utf-8")
            timings = in_browser(browser, path, "Rhys Ifans" if name == "shipped" else "Entity 7")
            layout = "physics, then still" if len(graph) <= PHYSICS_LIMIT else "precomputed"
            rows.append((name, len(graph), graph.number_of_edges(), generated, peer, len(html.encode()) / 1e6,
                         layout, timings))
            print(f"measured {name}", file=sys.stderr)
        browser.close()
    print("| graph | nodes | edges | generate (s) | pyvis's page (s) | ratio | size (MB) | layout "
          "| network still (ms) | timeline (ms) | map (ms) | relations (ms) | one search (ms) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, nodes, edges, generated, peer, size, layout, t in rows:
        print(f"| {name} | {nodes:,} | {edges:,} | {generated:.2f} | {peer:.2f} | {generated / peer:.2f}× | {size:.2f} "
              f"| {layout} | {t['network']:,.0f} | {t['timeline']:,.0f} | {t['map']:,.0f} | {t['relations']:,.0f} "
              f"| {t['search']:,.0f} |")


if __name__ == "__main__":
    main()
