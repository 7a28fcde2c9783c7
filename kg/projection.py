"""The networkx projection of the graph (:func:`project`): the entities as nodes keyed by slug
(``person/rhys-ifans``), the relations between them as edges, literal facts as node attributes.

Performance-role nodes are folded away: an actor gets an edge to the show (``plays the Chief Designer in``) and one
to the character, each carrying the character, the seasons and the sources. Every edge and every fact keeps the
slugs of the sources that state it; ``G.graph["sources"]`` describes each of them. The analytics, connections and
views over a projection are in :mod:`kg.network`.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SDO, SKOS

from kg import compiled
from kg.errors import UsageError
from kg.explore import relation_label, source_info, source_infos
from kg.gc_pause import collector_paused
from kg.store import named_graph_quads
from kg.vocab import ENTITIES_GRAPH, FAMV, is_claim_graph
from kg.vocab import slug_of as slug_of_iri

# Each entity gets one kind, the first of its classes in this list: it decides
# the colour and shape on the page and what --classes selects.
KINDS: tuple[tuple[str, URIRef], ...] = (
    ("invented event", FAMV.InUniverseEvent),
    ("real event", FAMV.RealEvent),
    ("historical figure", FAMV.HistoricalFigure),
    ("character", FAMV.Character),
    ("show", FAMV.FranchiseShow),
    ("season", SDO.TVSeason),
    ("work", SDO.TVSeries),
    ("work", SDO.Movie),
    ("person", SDO.Person),
    ("organization", SDO.Organization),
    ("place", SDO.Place),
    ("event", SDO.Event),
)
KIND_NAMES: tuple[str, ...] = tuple(dict.fromkeys(name for name, _ in KINDS))
IDENTITY = frozenset({RDF.type, RDFS.label, SKOS.altLabel})
ROLE_PARTS = frozenset({SDO.actor, FAMV.character, FAMV.inShow, FAMV.inSeason})


def kind_of(classes: Iterable[URIRef]) -> str:
    classes = set(classes)
    for name, cls in KINDS:
        if cls in classes:
            return name
    return "other"


def parse_kinds(names: Iterable[str] | None) -> set[str] | None:
    """``["person", "real-event"]`` → the kinds named; a clear error on an unknown one."""
    if names is None:
        return None
    chosen = set()
    for name in names:
        for part in str(name).split(","):
            key = " ".join(part.replace("-", " ").replace("_", " ").lower().split())
            if not key:
                continue
            key = {"people": "person", "places": "place", "shows": "show", "works": "work", "events": "event",
                   "characters": "character", "seasons": "season", "organizations": "organization"}.get(key, key)
            if key not in KIND_NAMES:
                raise UsageError(f"unknown class {part.strip()!r}; choose from: {', '.join(KIND_NAMES)}")
            chosen.add(key)
    return chosen


def _claim_quads(data: Graph):
    """(s, p, o, source) for every claim; a plain Graph's triples have no source."""
    if isinstance(data, Dataset):
        yield from named_graph_quads(data, is_claim_graph)
    else:
        for s, p, o in data:
            yield s, p, o, None


def project(
    data: Graph,
    *,
    classes: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    labels_from: Dataset | None = None,
) -> nx.MultiDiGraph:
    """The entities of ``data`` and the relations between them, as a MultiDiGraph.

    ``data`` is the dataset from :func:`kg.load` or any rdflib graph (a
    CONSTRUCT result, a subset). ``classes`` keeps only entities of those kinds
    (see :data:`KIND_NAMES`); ``exclude`` leaves kinds out. Types and labels are
    read from ``data`` and, when given, from ``labels_from`` (so a CONSTRUCT
    result that lacks them still gets readable nodes).

    The whole projection of a dataset on the Oxigraph store is kept in the load cache's folder
    (:func:`kg.compiled.kept_result`): projecting the same quads with the same code gives the same graph, so the
    next process (``kg path``, ``kg stats --network``) reads it back instead of projecting again. The caller gets
    its own copy either way.
    """
    if classes is None and exclude is None and labels_from is None:
        key = compiled.result_key(data, "projection", compiled.code_digest())
        if key is not None:
            kept = compiled.kept_result("projection", key)
            if kept is None:
                kept = _project(data, None, None, None)
                compiled.keep_result("projection", key, kept)
            return kept
    return _project(data, classes, exclude, labels_from)


@collector_paused()
def _project(data: Graph, classes, exclude, labels_from) -> nx.MultiDiGraph:
    keep, drop = parse_kinds(classes), parse_kinds(exclude) or set()
    slug_of = functools.lru_cache(maxsize=None)(slug_of_iri)  # an IRI's slug, worked out once per IRI
    lookups = [g for g in (data, labels_from) if g is not None]
    identity = [g.graph(ENTITIES_GRAPH) if isinstance(g, Dataset) else g for g in lookups]

    # Types and labels read in one pass each, not looked up node by node (a lookup per node dominated at 1M triples).
    types_of: dict = defaultdict(set)
    labels_of: dict = defaultdict(list)
    for order, g in enumerate(identity):
        for node, cls in _subject_objects(g, RDF.type):
            types_of[node].add(cls)
        if order == 0:
            typed_in_data = list(types_of)
        for node, label in _subject_objects(g, RDFS.label):
            if isinstance(label, Literal):
                labels_of[node].append((order, label))

    def types(node) -> set[URIRef]:
        return types_of.get(node, set())

    def labels(node) -> dict[str, str]:
        found: dict[str, str] = {}
        for _, label in sorted(labels_of.get(node, ())):  # each graph in turn, its labels sorted, as before
            found.setdefault(label.language or "", str(label))
        return dict(sorted(found.items()))

    quads = list(_claim_quads(data))
    nodes: dict[URIRef, dict] = {}
    roles: dict[URIRef, dict] = {}

    def node_for(term) -> dict | None:
        if not isinstance(term, URIRef):
            return None
        if term in nodes:
            return nodes[term]
        classes_of = types(term)
        if not classes_of:
            return None
        if PERFORMANCE_ROLE in classes_of:
            roles.setdefault(term, {"parts": defaultdict(set), "sources": set()})
            return None
        names = labels(term)
        nodes[term] = {
            "label": names.get("en") or next(iter(names.values()), slug_of(term)),
            "labels": names,
            "kind": kind_of(classes_of),
            "iri": str(term),
            "facts": [],
        }
        return nodes[term]

    edges: dict[tuple[URIRef, URIRef, URIRef], set] = defaultdict(set)
    facts: dict[tuple[URIRef, URIRef, Literal], set] = defaultdict(set)
    vocab_source = labels_from if labels_from is not None else (data if isinstance(data, Dataset) else None)
    for s, p, o, source in quads:
        if p in IDENTITY:
            continue
        subject = node_for(s)
        if s in roles:
            if p in ROLE_PARTS:
                roles[s]["parts"][p].add(o)
            if source is not None:
                roles[s]["sources"].add(source)
            continue
        if subject is None:
            continue
        if isinstance(o, Literal):
            facts[(s, p, o)].add(source)
        elif node_for(o) is not None:
            edges[(s, p, o)].add(source)

    for term in sorted(typed_in_data, key=str):  # the entities of ``data`` with no claim yet are nodes too
        node_for(term)

    graph = nx.MultiDiGraph()
    cited: set[URIRef] = set()
    # in one order, so that layouts and communities repeat
    graph.add_nodes_from((slug_of(term), attrs) for term, attrs in sorted(nodes.items(), key=_by_text))

    @functools.lru_cache(maxsize=None)
    def source_slugs(sources: frozenset) -> list[str]:  # many facts and edges share one set of sources
        named = sorted((x for x in sources if x is not None), key=str)
        cited.update(named)
        return [slug_of(x) for x in named]

    @functools.lru_cache(maxsize=None)
    def relation(predicate) -> str:
        if vocab_source is not None:
            return relation_label(vocab_source, predicate)
        return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", _local(predicate)).lower()

    # Sorting IRIs by their text (C) rather than rdflib's __lt__ (Python) orders them the same way, faster.
    for (s, p, o), sources in sorted(facts.items(), key=lambda item: (str(item[0][0]), str(item[0][1]), item[0][2])):
        attrs = graph.nodes[slug_of(s)]
        value = _number(o) if o.datatype in _NUMERIC else str(o)
        cites = list(source_slugs(frozenset(sources)))  # a list of its own: the caller may change it
        attrs["facts"].append({"relation": relation(p), "value": str(o), "sources": cites})
        attrs.setdefault(_local(p), value)
    for (s, p, o), sources in sorted(edges.items(), key=_by_text):  # IRIs all: their text orders them as rdflib does
        graph.add_edge(slug_of(s), slug_of(o), key=_local(p), predicate=str(p), relation=relation(p),
                       sources=list(source_slugs(frozenset(sources))))
    @functools.lru_cache(maxsize=None)
    def season_number(season) -> int | str:  # many roles share a season: look each up once
        return _season_number(lookups, season)

    for _, role in sorted(roles.items(), key=_by_text):
        parts, named = role["parts"], sorted(role["sources"], key=str)
        cited.update(named)
        characters = [nodes[c]["label"] for c in sorted(parts[CHARACTER], key=str) if c in nodes]
        seasons = sorted(season_number(s) for s in parts[IN_SEASON])
        for actor in sorted(parts[ACTOR], key=str):
            if actor not in nodes:
                continue
            as_whom = " / ".join(sorted(characters)) or "a role"
            for show in sorted(parts[IN_SHOW], key=str):
                if show in nodes:
                    graph.add_edge(slug_of(actor), slug_of(show), key="plays", predicate=str(ACTOR),
                                   relation=f"plays {as_whom} in", character=as_whom, seasons=seasons,
                                   sources=[slug_of(x) for x in named])
            for character in sorted(parts[CHARACTER], key=str):
                if character in nodes:
                    shows = ", ".join(sorted(nodes[s]["label"] for s in parts[IN_SHOW] if s in nodes))
                    graph.add_edge(slug_of(actor), slug_of(character), key="plays", predicate=str(ACTOR),
                                   relation="plays" + (f" (in {shows})" if shows else ""), character=as_whom,
                                   seasons=seasons, sources=[slug_of(x) for x in named])
    describing = labels_from if labels_from is not None else data
    if isinstance(describing, Dataset):
        infos = source_infos(describing)
        graph.graph["sources"] = {slug_of(s): _source_attrs(infos.get(s) or source_info(describing, s))
                                  for s in sorted(cited, key=str)}
    else:
        graph.graph["sources"] = {slug_of(s): {"cite": slug_of(s)} for s in cited}

    cited_at: dict[str, set[str]] = defaultdict(set)  # the sources of each node's facts and edges, either way
    for start, end, named in graph.edges(data="sources"):  # one pass over the edges, not two views per node
        cited_at[start].update(named)
        cited_at[end].update(named)
    for node, attrs in graph.nodes(data=True):
        attrs["source_count"] = len(cited_at[node].union(*(f["sources"] for f in attrs["facts"])))
        attrs["disputed"] = []
    if isinstance(data, Dataset):
        from kg.provenance import conflicts
        from kg.storymarks import mark_story

        mark_story(graph, data)

        for conflict in conflicts(data):
            node = slug_of(conflict.entity)
            if node in graph:
                graph.nodes[node]["disputed"].append(conflict.property)
                _mark_ranks(graph.nodes[node], conflict)

    if keep is not None or drop:
        graph.remove_nodes_from([n for n, k in graph.nodes(data="kind")
                                 if (keep is not None and k not in keep) or k in drop])
    return graph


PERFORMANCE_ROLE, ACTOR = SDO.PerformanceRole, SDO.actor  # looked up once: DefinedNamespace attributes are slow
CHARACTER, IN_SEASON, IN_SHOW = FAMV.character, FAMV.inSeason, FAMV.inShow


def _subject_objects(graph: Graph, predicate: URIRef):
    """(subject, object) pairs of ``predicate`` in ``graph``, straight from the Oxigraph store when it is one."""
    fast = getattr(graph.store, "subject_object_pairs", None)
    if fast is not None:
        return fast(predicate, graph.identifier)
    return ((s, o) for s, _, o in graph.triples((None, predicate, None)))


def _by_text(item) -> tuple:
    """An item keyed by an IRI or a tuple of IRIs, in rdflib's order of IRIs (their text), compared as plain str."""
    key = item[0]
    return tuple(str(term) for term in key) if isinstance(key, tuple) else str(key)


_NUMERIC = {URIRef("http://www.w3.org/2001/XMLSchema#" + t) for t in ("decimal", "double", "float", "integer")}


def _number(literal: Literal) -> int | float:
    value = literal.toPython()
    return value if isinstance(value, int) else float(value)


def _local(predicate: URIRef) -> str:
    return str(predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _season_number(lookups, season) -> int | str:
    for g in lookups:
        number = g.value(season, SDO.seasonNumber)
        if number is not None:
            return int(number)
    return slug_of_iri(season)


def _source_attrs(info) -> dict[str, str]:
    return {"cite": info.cite(), "title": info.title, "url": info.url, "published": info.date,
            "kind": info.kind}



_RANK_ORDER = {"preferred": 0, "normal": 1, "deprecated": 2}


def _mark_ranks(attrs: dict, conflict) -> None:
    """Each disputed value's rank on its fact, the preferred value first among its property's facts."""
    ranks = {claimed.value: claimed.rank for claimed in conflict.values}
    first_of: dict[str, int] = {}
    for index, fact in enumerate(attrs["facts"]):
        first_of.setdefault(fact["relation"], index)
        if fact["relation"] == conflict.property and fact["value"] in ranks:
            fact["rank"] = ranks[fact["value"]]
    order = {id(f): i for i, f in enumerate(attrs["facts"])}
    attrs["facts"].sort(key=lambda f: (first_of[f["relation"]], _RANK_ORDER.get(f.get("rank"), 1), order[id(f)]))
