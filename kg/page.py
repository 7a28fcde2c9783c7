"""The interactive page: one self-contained HTML file with four views of the graph.

The views are tabs of one page — the network (vis-network, shipped in pyvis),
a timeline (vis-timeline with timeline-arrows), a map (SVG on Natural Earth's
outline) and the characters' relations — because they share one payload, one
side panel and one set of spoiler controls, and one file is what a fan shares.
The page works with no network: every library is inlined. Labels, facts and
sources travel as JSON in a ``<script type="application/json">`` block (with
``<``, ``>`` and ``&`` escaped) and are put into the page with
``textContent``, never as markup, so a label such as ``<img src=x
onerror=alert(1)>`` shows as text and runs nothing in any view.

The page holds only what it was made from: a page made with ``--watched`` or
``--as-of`` holds no later fact, and its spoiler controls open at that point.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from jinja2 import Environment, PackageLoader, select_autoescape

from kg.basemap import static_text
from kg.page_network import PHYSICS_LIMIT, network
from kg.page_views import places, relations, timeline
from kg.atomic import write_atomically

VIEWS = ("network", "timeline", "map", "relations")
__all__ = ["PHYSICS_LIMIT", "VIEWS", "PageOptions", "display_page", "page_html", "write_page"]


@dataclass(frozen=True)
class PageOptions:
    title: str = "For All Mankind and Star City: the knowledge graph"
    height: str = "100vh"
    physics: bool | None = None  # None: on up to PHYSICS_LIMIT nodes
    view: str = "network"  # the tab the page opens on
    views: tuple[str, ...] = VIEWS  # the tabs it has (and the libraries it inlines); a notebook may want one
    # Where the page's spoiler controls open: per show slug, the [season, episode] watched, or None for a show
    # not watched; None (the default) when no --watched was given. as_of: YYYY-MM-DD, or None.
    watched: dict[str, list[int] | None] | None = None
    as_of: str | None = None


def opening_point(dataset, watched=None, as_of=None) -> dict:
    """``PageOptions`` fields for a page made with ``--watched`` / ``--as-of``: where its controls open."""
    points = None
    if watched:
        from kg.episode import episodes
        from kg.spoilers import resolve_watched
        from kg.vocab import slug_of

        given = {slug_of(show): list(e.position) for show, e in resolve_watched(dataset, watched).items()}
        points = {slug_of(e.show): given.get(slug_of(e.show)) for e in episodes(dataset)}
    day = None
    if as_of is not None:
        from kg.provenance import _as_day

        day = _as_day(as_of).isoformat()
    return {"watched": points, "as_of": day}


def _details(graph: nx.MultiDiGraph) -> dict[str, dict]:
    """What the side panel, the tooltips and the filters know of each node: its facts with their sources, the
    episode per show that reveals it (story elements), and the first day any source says anything of it."""
    days = {slug: info.get("day", "") for slug, info in graph.graph.get("sources", {}).items()}
    first: dict[str, str] = {}

    def note(node: str, cited) -> None:
        for day in (days.get(s, "") for s in cited):
            if day and (node not in first or day < first[node]):
                first[node] = day

    for start, end, attrs in graph.edges(data=True):
        note(start, attrs.get("sources", []))
        note(end, attrs.get("sources", []))
    details = {}
    for node, attrs in graph.nodes(data=True):
        facts = attrs.get("facts", [])
        note(node, (s for f in facts for s in f["sources"]))
        details[node] = {
            "label": attrs.get("label", node),
            "kind": attrs.get("kind", "other"),
            "labels": {k: v for k, v in (attrs.get("labels") or {}).items() if k != "en"},
            "facts": facts,
            "disputed": attrs.get("disputed", []),
            "known": first.get(node, ""),
        }
        if "revealed" in attrs:
            details[node]["revealed"] = attrs["revealed"]
    return details


def page_html(graph: nx.MultiDiGraph, options: PageOptions | None = None) -> str:
    """The page for ``graph`` (a projection from :func:`kg.network.project`) as one HTML string."""
    options = options or PageOptions()
    unknown = [v for v in (options.view, *options.views) if v not in VIEWS]
    if unknown or options.view not in options.views:
        raise ValueError(f"unknown view {(unknown or [options.view])[0]!r}; choose from: {', '.join(options.views)}")
    tabs = [v for v in VIEWS if v in options.views]
    drawn_with_vis_network = {"network", "relations"} & set(tabs)
    sources = {slug: {"cite": info.get("cite", slug), "day": info.get("day", "")}
               for slug, info in graph.graph.get("sources", {}).items()}
    payload = {
        "details": _details(graph),
        "sources": sources,
        "shows": graph.graph.get("shows", []),
        "watched": options.watched,
        "asOf": options.as_of,
        "network": network(graph, options.physics),
    }
    for name, build in (("timeline", timeline), ("map", places), ("relations", relations)):
        if name in tabs:
            payload[name] = build(graph)
    vis_dir = Path(__import__("pyvis").__file__).parent / "lib" / "vis-9.1.2"
    environment = Environment(loader=PackageLoader("kg", "templates"), autoescape=select_autoescape(["html"]))
    return environment.get_template("graph.html").render(
        title=options.title,
        height=options.height,
        view=options.view,
        tabs=tabs,
        vis_js=(vis_dir / "vis-network.min.js").read_text(encoding="utf-8") if drawn_with_vis_network else "",
        vis_css=(vis_dir / "vis-network.css").read_text(encoding="utf-8") if drawn_with_vis_network else "",
        timeline_js=static_text("vis-timeline-graph2d.min.js") if "timeline" in tabs else "",
        # timeline-arrows ships as an ES module; the page's scripts are classic ones, so its class is declared plainly.
        arrows_js=static_text("timeline-arrows.js").replace("export default class Arrow", "class Arrow", 1)
        if "timeline" in tabs else "",
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


def display_page(graph: nx.MultiDiGraph, options: PageOptions | None = None, height: int = 650,
                 view: str | None = None, only: bool = False):
    """The page, for showing inline in Jupyter: an iframe whose document is the whole (offline) page, open on
    ``view`` (network, timeline, map or relations; the options' view when not given). With ``only``, the page has
    that one view and inlines only its libraries, which keeps a notebook small."""
    from dataclasses import replace
    from html import escape

    from IPython.display import HTML

    options = options or PageOptions(height=f"{height - 10}px")
    options = replace(options, view=view) if view else options
    options = replace(options, views=(options.view,)) if only else options
    document = page_html(graph, options)
    # Wrapped in a div: IPython warns about a bare <iframe> (it would rather have a URL, which an offline page lacks).
    return HTML(f'<div><iframe srcdoc="{escape(document, quote=True)}" style="width:100%;height:{height}px;border:0" '
                f'sandbox="allow-scripts"></iframe></div>')
