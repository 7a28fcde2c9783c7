"""Measure the interactive page: generation time, file size, and time until the layout is still in Chromium.

Usage: python benchmarks/page.py [--sizes 1000 5000 20000] [--chromium /usr/bin/chromium]

Graphs: the shipped one, and synthetic franchise-shaped graphs (a preferential-
attachment network with the projection's node kinds, labels, facts and sourced
edges) of the sizes given. For each: the seconds `page_html` takes, the page's
size, and in headless Chromium (all network blocked) the milliseconds from
navigation until the page reports a still layout, plus the time one search
takes once it is still (a check that it still responds). Machines are shared and
noisy: read ratios, not absolute numbers.
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
from kg.network import KIND_NAMES, project  # noqa: E402
from kg.page import PHYSICS_LIMIT, page_html  # noqa: E402

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def synthetic(nodes: int, seed: int = 1969) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    shape = nx.barabasi_albert_graph(nodes, 1, seed=seed)
    shape.add_edges_from((rng.randrange(nodes), rng.randrange(nodes)) for _ in range(nodes // 3))
    graph = nx.MultiDiGraph(sources={f"source/s{i}": {"cite": f"Source {i}, 2026-01-01"} for i in range(50)})
    for n in shape:
        graph.add_node(f"n/{n}", label=f"Entity {n}", labels={}, kind=rng.choice(KIND_NAMES), iri=f"urn:n:{n}",
                       facts=[{"relation": "start date", "value": "1969-07-20", "sources": [f"source/s{n % 50}"]}])
    for a, b in shape.edges():
        if a != b:
            graph.add_edge(f"n/{a}", f"n/{b}", key="related", relation="related to",
                           sources=[f"source/s{(a + b) % 50}"])
    return graph


def in_browser(browser, path: Path, name: str) -> tuple[float, float]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    start = time.perf_counter()
    page.goto(path.as_uri(), timeout=300_000)
    while not page.evaluate("() => !!(window.famkg && window.famkg.stable)"):
        time.sleep(0.05)
    settled = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    page.fill("#search-input", name)
    page.press("#search-input", "Enter", timeout=300_000)
    page.wait_for_function("() => window.famkg.network.getSelectedNodes().length === 1", timeout=300_000)
    search = (time.perf_counter() - start) * 1000
    context.close()
    return settled, search


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
            path = Path(folder) / "page.html"
            path.write_text(html, encoding="utf-8")
            settled, search = in_browser(browser, path, "Rhys Ifans" if name == "shipped" else "Entity 7")
            layout = "physics, then still" if len(graph) <= PHYSICS_LIMIT else "precomputed, no physics"
            rows.append((name, len(graph), graph.number_of_edges(), generated, len(html.encode()) / 1e6, layout,
                         settled, search))
            print(f"measured {name}", file=sys.stderr)
        browser.close()
    print("| graph | nodes | edges | generate (s) | size (MB) | layout | still after (ms) | one search (ms) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, nodes, edges, generated, size, layout, settled, search in rows:
        print(f"| {name} | {nodes:,} | {edges:,} | {generated:.2f} | {size:.2f} | {layout} | {settled:,.0f} | {search:,.0f} |")


if __name__ == "__main__":
    main()
