"""The graph as a network: the networkx projection of the entities (:func:`project`, from :mod:`kg.projection`),
its analytics, "how are these two connected", and the views the page draws."""

from __future__ import annotations

import difflib
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
from rdflib import Dataset

from kg.entities import normalise
from kg.errors import AmbiguousEntityError, UnknownEntityError, UsageError
from kg.projection import KIND_NAMES, KINDS, kind_of, parse_kinds, project
from kg.vocab import slug_of

__all__ = ["KIND_NAMES", "KINDS", "kind_of", "parse_kinds", "project", "node_for", "centrality", "communities",
           "connections", "neighbourhood", "show_world", "view", "entity_node", "simple_graph",
           "EXACT_BETWEENNESS_LIMIT", "Centrality", "Connection", "Step", "MAX_DEPTH"]

# ── finding nodes ───────────────────────────────────────────────────────────


def node_for(graph: nx.MultiDiGraph, text: str) -> str:
    """The node that ``text`` names: a slug, an IRI or a label (any language, any case or accents)."""
    text = text.strip()
    if text in graph:
        return text
    for node, iri in graph.nodes(data="iri"):
        if iri == text:
            return node
    index: dict[str, set[str]] = defaultdict(set)
    shown: dict[str, str] = {}
    for node, names in graph.nodes(data="labels"):
        for name in (names or {}).values():
            index[normalise(name)].add(node)
            shown.setdefault(normalise(name), name)
    found = index.get(normalise(text), set())
    if len(found) == 1:
        return next(iter(found))
    if found:
        raise AmbiguousEntityError(text, sorted(found))
    key = normalise(text)
    containing = [k for k in sorted(index) if key and key in k]
    similar = difflib.get_close_matches(key, list(index), n=5, cutoff=0.6)
    raise UnknownEntityError(text, [shown[k] for k in dict.fromkeys(containing + similar)][:5])


# ── analytics ───────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Centrality:
    node: str
    label: str
    kind: str
    degree: float
    betweenness: float


EXACT_BETWEENNESS_LIMIT = 1000


def centrality(graph: nx.MultiDiGraph) -> list[Centrality]:
    """Degree and betweenness centrality of every node, most between first.

    Measured on the undirected simple graph: two entities are linked once
    however many relations and sources join them. Above
    :data:`EXACT_BETWEENNESS_LIMIT` nodes betweenness is estimated from 300
    sampled sources (seeded, so it repeats): exact betweenness grows with
    nodes × edges.
    """
    simple = nx.Graph(graph.to_undirected(as_view=True))
    degree = nx.degree_centrality(simple) if len(simple) > 1 else {n: 0.0 for n in simple}
    sample = {"k": 300, "seed": 1969} if len(simple) > EXACT_BETWEENNESS_LIMIT else {}
    between = nx.betweenness_centrality(simple, **sample)
    ranked = [Centrality(n, graph.nodes[n]["label"], graph.nodes[n]["kind"], degree[n], between[n]) for n in simple]
    return sorted(ranked, key=lambda c: (-c.betweenness, -c.degree, c.label))


def simple_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph of ``graph``, its nodes and edges added in sorted order: networkx's community
    algorithms walk nodes in insertion order, so the same graph built in another order would split differently."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in graph.edges()}))
    return simple


def communities(graph: nx.MultiDiGraph, seed: int = 1969) -> list[list[str]]:
    """Groups of densely linked entities (Louvain, seeded so the answer repeats), largest first."""
    simple = simple_graph(graph)
    found = nx.community.louvain_communities(simple, seed=seed) if len(simple) else []
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c))


@dataclass(frozen=True)
class Step:
    """One edge of a path, walked forward (along the relation) or backward."""

    start: str
    end: str
    relation: str
    forward: bool
    sources: tuple[str, ...]


@dataclass
class Connection:
    """A path between two entities, with the words to say it."""

    steps: list[Step] = field(default_factory=list)

    def nodes(self) -> list[str]:
        return [self.steps[0].start] + [s.end for s in self.steps] if self.steps else []

    def words(self, graph: nx.MultiDiGraph) -> str:
        """``Rhys Ifans — plays the Chief Designer in → Star City — spinoff of → For All Mankind``."""
        if not self.steps:
            return ""
        text = graph.nodes[self.steps[0].start]["label"]
        for step in self.steps:
            arrow = f" — {step.relation} → " if step.forward else f" ← {step.relation} — "
            text += arrow + graph.nodes[step.end]["label"]
        return text


def connections(graph: nx.MultiDiGraph, start: str, end: str, *, every: bool = False) -> list[Connection]:
    """The shortest connection from ``start`` to ``end`` (node slugs), or every shortest one.

    Relations are followed in either direction. Where two entities are joined
    by several relations, the step uses the one stated by the most sources.
    An empty list means they are not connected. Of several shortest
    connections, the one whose entities' slugs come first in order is given,
    whatever order the graph holds its edges in (a load from the cache and a
    parse of the files hold them differently).
    """
    for node in (start, end):
        if node not in graph:
            close = difflib.get_close_matches(str(node), [str(n) for n in graph.nodes], n=3, cutoff=0.6)
            raise UnknownEntityError(str(node), close)
    simple = graph.to_undirected(as_view=True)
    if start == end:
        return [Connection()]
    if every:
        try:
            paths = sorted(nx.all_shortest_paths(simple, start, end))
        except nx.NetworkXNoPath:
            return []
    else:
        distance = nx.single_source_shortest_path_length(simple, end)  # the same whatever the edges' order
        if start not in distance:
            return []
        path = [start]
        while path[-1] != end:
            path.append(min(n for n in simple.neighbors(path[-1]) if distance.get(n) == distance[path[-1]] - 1))
        paths = [path]
    return [Connection([_step(graph, a, b) for a, b in itertools.pairwise(path)]) for path in paths]


def _step(graph: nx.MultiDiGraph, a: str, b: str) -> Step:
    choices = [(data, True) for data in (graph.get_edge_data(a, b) or {}).values()]
    choices += [(data, False) for data in (graph.get_edge_data(b, a) or {}).values()]
    data, forward = max(choices, key=lambda c: (len(c[0]["sources"]), c[1], c[0]["relation"]))
    return Step(a, b, data["relation"], forward, tuple(data["sources"]))


# ── views ───────────────────────────────────────────────────────────────────

MAX_DEPTH = 5


def neighbourhood(graph: nx.MultiDiGraph, node: str, depth: int = 1) -> nx.MultiDiGraph:
    """The entities within ``depth`` steps of ``node`` (either direction), and the edges among them."""
    if not 1 <= depth <= MAX_DEPTH:
        raise UsageError(f"depth must be between 1 and {MAX_DEPTH}, not {depth}")
    near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), node, cutoff=depth)
    return graph.subgraph(near).copy()


def show_world(graph: nx.MultiDiGraph, show: str, depth: int = 2) -> nx.MultiDiGraph:
    """One show's world: what lies within ``depth`` steps of it without passing through another franchise show."""
    if graph.nodes[show].get("kind") != "show":
        raise UsageError(f"{graph.nodes[show]['label']!r} is not one of the franchise's shows")
    others = [n for n, k in graph.nodes(data="kind") if k == "show" and n != show]
    rest = graph.subgraph(n for n in graph if n not in others)
    near = nx.single_source_shortest_path_length(rest.to_undirected(as_view=True), show, cutoff=depth)
    return graph.subgraph(near).copy()


def view(
    dataset: Dataset,
    *,
    focus: str | None = None,
    depth: int = 1,
    show: str | None = None,
    classes: Iterable[str] | None = None,
    sourced_only: bool = False,
) -> nx.MultiDiGraph:
    """The part of the graph a page or a notebook draws.

    ``focus`` (a label, slug or IRI) keeps the entities within ``depth`` steps
    of it; ``show`` keeps one show's world; ``classes`` keeps entities of those
    kinds; ``sourced_only`` leaves out entities no source says anything about
    (in a graph restricted with :func:`kg.as_of`, those not known yet). Raises :class:`UsageError` (after the entity look-up's own errors)
    when the depth is out of range or nothing is left to draw.
    """
    if focus is not None and not 1 <= depth <= MAX_DEPTH:
        raise UsageError(f"--depth must be between 1 and {MAX_DEPTH}, not {depth}")
    kinds = parse_kinds(classes)
    graph = project(dataset)
    if sourced_only:
        graph = graph.subgraph(n for n, count in graph.nodes(data="source_count") if count).copy()
    if show is not None:
        graph = show_world(graph, entity_node(dataset, graph, show))
    if focus is not None:
        centre = entity_node(dataset, graph, focus)
        graph = neighbourhood(graph, centre, depth)
    if kinds is not None:
        graph = graph.subgraph(n for n, k in graph.nodes(data="kind") if k in kinds).copy()
    if not len(graph):
        asked = ", ".join(part for part in (f"focus {focus!r}" if focus else "", f"show {show!r}" if show else "",
                                            f"classes {', '.join(sorted(kinds))}" if kinds else "") if part)
        raise UsageError(f"nothing to draw: no entity is left with {asked or 'this data'}")
    return graph


def entity_node(dataset: Dataset, graph: nx.MultiDiGraph, text: str) -> str:
    from kg.entities import find_entity, label_of

    iri = find_entity(dataset, text)
    node = slug_of(iri)
    if node not in graph:
        raise UsageError(f"{label_of(dataset, iri)!r} is not drawn as a node of this view"
                         + (" (a performance role: give the actor or the character)" if node.startswith("role/") else ""))
    return node
