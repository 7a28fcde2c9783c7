"""The page's timeline, map and relations views, as data for its script.

Each function reads a projection (:func:`kg.network.project`, or a view of it)
and returns plain JSON-ready data whose items are keyed by node slug, so that
the page's side panel, search and spoiler filters work the same in every view.
"""

from __future__ import annotations

import re

import networkx as nx

from kg.basemap import earth_land_path
from kg.page_network import positions

_DAY = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
BODIES = {"place/moon": "moon", "place/mars": "mars"}
# Above this many characters the relations diagram is laid out here, not simulated in the browser.
RELATIONS_PHYSICS_LIMIT = 300
# Colour of each kind of relationship (the colour-blind-safe palette of the network, then Paul Tol's muted one).
KIND_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#882255", "#117733",
                "#332288", "#999933", "#44aa99", "#aa4499", "#661100", "#888888")


def story_day(value) -> tuple[str, str] | None:
    """``("1983-01-01", "1983")`` for a year, ``("1970-09-01", "1970-09")`` for a month, a day as itself."""
    match = _DAY.match(str(value or ""))
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{month or '01'}-{day or '01'}", match.group(0)


def _targets(graph: nx.MultiDiGraph, node: str, key: str) -> list[str]:
    return sorted({end for _, end, k in graph.out_edges(node, keys=True) if k == key})


def _sources(graph: nx.MultiDiGraph, start: str, end: str, key: str) -> list[str]:
    return graph.edges[start, end, key].get("sources", [])


def timeline(graph: nx.MultiDiGraph) -> dict:
    """Real events on one track, invented ones on another, each invented event joined to the real events it
    departs from; every event also at the air date of the episode revealing it, for the air-date axis."""
    aired = {(show["slug"], e["season"], e["number"]): e["aired"] for show in graph.graph.get("shows", [])
             for e in show["episodes"]}
    items, undated = [], []
    for node, attrs in sorted(graph.nodes(data=True)):
        if attrs["kind"] not in ("real event", "invented event"):
            continue
        start = story_day(attrs.get("startDate"))
        end = story_day(attrs.get("endDate"))
        revealed = attrs.get("revealed", {})
        reveal_days = [aired.get((show, *position), "") for show, position in revealed.items()]
        item = {
            "id": node,
            "track": "real" if attrs["kind"] == "real event" else "invented",
            "start": start[0] if start else None,
            "shown": start[1] if start else None,
            "end": end[0] if end and start and end[0] > start[0] else None,
            "aired": min((day for day in reveal_days if day), default=None),
            "shows": sorted(revealed),
            "seasons": sorted({f"{show}:{position[0]}" for show, position in revealed.items()}),
            "departs": [{"to": real, "sources": _sources(graph, node, real, "divergesFrom")}
                        for real in _targets(graph, node, "divergesFrom")],
        }
        items.append(item)
        if not start:
            undated.append(node)
    return {"items": items, "undated": undated}


def _body_and_place(graph: nx.MultiDiGraph, node: str) -> tuple[str, str | None]:
    """The body a place is on (earth unless it or a place containing it is on the Moon or Mars) and the
    nearest place, itself or one containing it, with coordinates."""
    body, located, seen, frontier = None, None, set(), [node]
    while frontier:
        here = frontier.pop(0)
        if here in seen:
            continue
        seen.add(here)
        attrs = graph.nodes[here]
        if located is None and "latitude" in attrs and "longitude" in attrs:
            located = here
        for target in _targets(graph, here, "onBody") + _targets(graph, here, "containedInPlace"):
            if target in BODIES and body is None:
                body = BODIES[target]
            elif target in graph:
                frontier.append(target)
    return body or "earth", located


def places(graph: nx.MultiDiGraph) -> dict:
    """Every place that can be put on a body's map (its own coordinates, or those of a place containing it),
    the filming-location → setting lines, and the places that cannot be placed, with why."""
    placed, unplaced = [], []
    for node, attrs in sorted(graph.nodes(data=True)):
        if attrs["kind"] != "place" or node in BODIES:
            continue
        body, located = _body_and_place(graph, node)
        if located is None:
            unplaced.append({"id": node, "body": body})
            continue
        at = graph.nodes[located]
        placed.append({"id": node, "body": body, "lat": float(at["latitude"]), "lon": float(at["longitude"]),
                       "via": None if located == node else located,
                       "filming": any(k == "filmingLocation" for _, _, k in graph.in_edges(node, keys=True))
                       or "standsInFor" in {k for _, _, k in graph.out_edges(node, keys=True)}})
    where = {p["id"]: p for p in placed}
    lines = [{"from": start, "to": end, "sources": attrs.get("sources", [])}
             for start, end, key, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])
             if key == "standsInFor" and start in where and end in where
             and where[start]["body"] == where[end]["body"] == "earth"]
    return {"earth": earth_land_path(), "places": placed, "lines": lines, "unplaced": unplaced}


def relations(graph: nx.MultiDiGraph) -> dict:
    """Characters joined by their relationships (each an edge keyed by the relationship's slug, from its senior
    character where it has one), every actor of each character, and a legend of the kinds."""
    edges, kinds = [], set()
    for node, attrs in sorted(graph.nodes(data=True)):
        if "relationship_kind" not in attrs:
            continue
        senior = _targets(graph, node, "senior")
        pair = sorted(set(_targets(graph, node, "between") + _targets(graph, node, "relative")),
                      key=lambda c: (c not in senior, c))
        if len(pair) != 2:
            continue
        kind = attrs["relationship_kind"]
        kinds.add(kind)
        cited = sorted({s for _, end, key, edge in graph.out_edges(node, keys=True, data=True)
                        if key in ("between", "relative", "senior") for s in edge.get("sources", [])})
        edges.append({"id": node, "from": pair[0], "to": pair[1], "kind": kind, "sources": cited,
                      "directed": bool(senior)})
    characters = sorted({end for e in edges for end in (e["from"], e["to"])})
    nodes = []
    for character in characters:
        actors = sorted({start for start, _, key in graph.in_edges(character, keys=True) if key == "plays"},
                        key=lambda a: graph.nodes[a]["label"])
        nodes.append({"id": character, "actors": actors, "shows": _targets(graph, character, "appearsIn")})
    colours = {kind: KIND_COLOURS[i % len(KIND_COLOURS)] for i, kind in enumerate(sorted(kinds))}
    for edge in edges:
        edge["colour"] = colours[edge["kind"]]
    physics = len(nodes) <= RELATIONS_PHYSICS_LIMIT
    if not physics:  # the browser's simulation would take seconds: lay the characters out here
        diagram = nx.MultiDiGraph()
        diagram.add_nodes_from(characters)
        diagram.add_edges_from((e["from"], e["to"]) for e in edges)
        placed = positions(diagram)
        for node in nodes:
            node["x"], node["y"] = (round(4 * c, 2) for c in placed[node["id"]])  # boxes need more room than dots
    return {"nodes": nodes, "edges": edges, "kinds": [{"kind": k, "colour": c} for k, c in colours.items()],
            "physics": physics}
