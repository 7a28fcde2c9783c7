"""Look at one entity with the sources of each fact, and count what the graph holds."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from rdflib import RDF, RDFS, Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import SDO, SKOS
from rdflib.term import Node

from kg.entities import find_entity, label_of
from kg.sourceinfo import SourceInfo, claims_by_source, graph_sizes_in_store, sources_in_store
from kg.sourceinfo import source_info as info_from_values
from kg.vocab import ENTITIES_GRAPH, FAMV, SOURCES_GRAPH, VOCAB_GRAPH, is_claim_graph

IDENTITY_PREDICATES = frozenset({RDF.type, RDFS.label, SKOS.altLabel})


@dataclass(frozen=True)
class Fact:
    """One statement about the entity, in words, with the sources that state it."""

    predicate: URIRef
    relation: str
    value: Node
    value_label: str
    incoming: bool
    sources: tuple[URIRef, ...]
    disputed: bool = False  # another source gives this single-valued property another value
    reference_only: bool = False  # every source stating it is a reference work (a wiki)
    rank: str = ""  # for a disputed value: preferred, normal or deprecated (kg.ranking)
    why: str = ""  # why the preferred or deprecated value is ranked so


@dataclass
class EntityDescription:
    """Everything the graph says about one entity."""

    iri: URIRef
    label: str
    classes: list[str]
    labels: dict[str, list[str]]
    facts: list[Fact] = field(default_factory=list)
    sources: dict[URIRef, SourceInfo] = field(default_factory=dict)


def source_info(dataset: Dataset, source: URIRef) -> SourceInfo:
    """The description of ``source`` from the sources graph."""
    described = dataset.graph(SOURCES_GRAPH)
    values: dict = {}
    for _, p, o in described.triples((source, None, None)):
        values.setdefault(p, []).append(o)
    return _source_info(source, values)


def source_infos(dataset: Dataset) -> dict[URIRef, SourceInfo]:
    """Every described source's :class:`SourceInfo`, read in one pass over the sources graph."""
    by_source: dict = {}
    for s, p, o in dataset.graph(SOURCES_GRAPH).triples((None, None, None)):
        by_source.setdefault(s, {}).setdefault(p, []).append(o)
    return {s: _source_info(s, values) for s, values in by_source.items() if isinstance(s, URIRef)}


def _source_info(source: URIRef, values: dict) -> SourceInfo:
    return info_from_values(source, {str(p): [str(o) for o in objects] for p, objects in values.items()})


def relation_label(dataset: Dataset, predicate: URIRef) -> str:
    """The vocabulary's label for a predicate, else its local name in words."""
    label = dataset.graph(VOCAB_GRAPH).value(predicate, RDFS.label)
    if label is not None:
        return str(label)
    local = re.split(r"[#/]", str(predicate))[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


def describe(dataset: Dataset, entity: str | URIRef) -> EntityDescription:
    """Everything about ``entity`` (a label, slug or IRI), each fact with its sources.

    Facts in both directions are listed: what the entity states (``creator``:
    Ronald D. Moore) and, marked ``←``, what other entities state about it
    (``← in show``: Rhys Ifans in Star City).
    """
    iri = entity if isinstance(entity, URIRef) else find_entity(dataset, entity)
    entities = dataset.graph(ENTITIES_GRAPH)
    labels: dict[str, list[str]] = defaultdict(list)
    for label in sorted(entities.objects(iri, RDFS.label)):
        labels[label.language or ""].append(str(label))
    for label in sorted(entities.objects(iri, SKOS.altLabel)):
        labels["also known as"].append(str(label))
    labels = defaultdict(list, sorted(labels.items(), key=lambda item: (item[0] != "en", item[0])))
    classes = sorted(label_of(dataset, c) for c in entities.objects(iri, RDF.type))

    graphs_of: dict[tuple[URIRef, Node, bool], set[URIRef]] = defaultdict(set)
    for _, predicate, value, graph in dataset.quads((iri, None, None, None)):
        if not (graph == ENTITIES_GRAPH and predicate in IDENTITY_PREDICATES):
            graphs_of[(predicate, value, False)].add(graph)
    for subject, predicate, _, graph in dataset.quads((None, None, iri, None)):
        graphs_of[(predicate, subject, True)].add(graph)

    facts = []
    sources: dict[URIRef, SourceInfo] = {}
    for (predicate, value, incoming), graphs in graphs_of.items():
        claim_sources = tuple(sorted(URIRef(str(g)) for g in graphs if is_claim_graph(g)))
        for source in claim_sources:
            sources.setdefault(source, source_info(dataset, source))
        relation = relation_label(dataset, predicate)
        facts.append(
            Fact(
                predicate=predicate,
                relation=f"← {relation}" if incoming else relation,
                value=value,
                value_label=_value_label(dataset, value),
                incoming=incoming,
                sources=claim_sources,
            )
        )
    single = set(dataset.graph(VOCAB_GRAPH).subjects(RDF.type, FAMV.SingleValuedProperty))
    values_of: dict[URIRef, list[str]] = defaultdict(list)
    for fact in facts:
        if not fact.incoming and fact.predicate in single and fact.sources:
            values_of[fact.predicate].append(str(fact.value))
    disputed = {p for p, values in values_of.items() if values_disagree(values)}
    facts = [replace(f, disputed=not f.incoming and f.predicate in disputed,
                     reference_only=bool(f.sources) and all(sources[s].reference_work for s in f.sources))
             for f in facts]
    facts = _ranked(dataset, iri, facts, sources)
    order = {"preferred": 0, "": 1, "normal": 1, "deprecated": 2}
    facts.sort(key=lambda f: (f.incoming, f.relation, order[f.rank], f.value_label))
    return EntityDescription(iri, label_of(dataset, iri), classes, dict(labels), facts, sources)


def _ranked(dataset: Dataset, iri: URIRef, facts: list[Fact], sources: dict[URIRef, SourceInfo]) -> list[Fact]:
    """The disputed facts with their rank (kg.ranking): which value is preferred, which deprecated, and why."""
    from kg.ranking import deprecations, evidence, rank

    disputed = defaultdict(list)
    for fact in facts:
        if fact.disputed and fact.sources:
            disputed[fact.predicate].append(fact)
    if not disputed:
        return facts
    wrong = deprecations(dataset)
    decided: dict[tuple[URIRef, str], tuple[str, str]] = {}
    for predicate, claimed in disputed.items():
        candidates = [evidence(str(f.value), [sources[s] for s in f.sources],
                               tuple(source_info(dataset, g).cite() for g in wrong.get((iri, predicate, str(f.value)), [])))
                      for f in claimed]
        decided.update({(predicate, value): ranked for value, ranked in rank(candidates).items()})
    return [replace(f, rank=decided[(f.predicate, str(f.value))][0], why=decided[(f.predicate, str(f.value))][1])
            if (f.predicate, str(f.value)) in decided else f for f in facts]


_DATE_LIKE = re.compile(r"\d{4}(-\d{2}){0,2}")


def values_disagree(values: list[str]) -> bool:
    """True when two of ``values`` differ, unless one only narrows the other (``2026`` and ``2026-05-29``)."""
    def narrows(a: str, b: str) -> bool:
        return bool(_DATE_LIKE.fullmatch(a) and _DATE_LIKE.fullmatch(b)) and (a.startswith(b) or b.startswith(a))

    distinct = sorted(set(values))
    return any(not narrows(a, b) for i, a in enumerate(distinct) for b in distinct[i + 1:])


def _value_label(dataset: Dataset, value) -> str:
    """A value's label; a performance role also names the character(s) it plays."""
    label = label_of(dataset, value)
    if isinstance(value, URIRef) and (value, RDF.type, SDO.PerformanceRole) in dataset:
        characters = sorted(label_of(dataset, c) for c in dataset.objects(value, FAMV.character))
        if characters:
            label += ", as " + " / ".join(characters)
    return label


@dataclass
class Stats:
    """What the graph holds: triples, entities by class, claims per source.

    ``statements`` counts every (triple, graph) pair: a fact stated by three
    sources counts three times. ``triples`` counts distinct triples.
    """

    statements: int
    triples: int
    graphs: int
    entities: int
    by_class: list[tuple[str, int]]
    claims_by_source: list[tuple[SourceInfo, int]]


def graph_sizes(dataset: Dataset) -> dict[URIRef, int]:
    """How many quads each non-empty named graph holds (the default graph, where the Oxigraph store keeps the
    union, is not a graph of the data). On Oxigraph, counted in the store, without making rdflib terms."""
    store = getattr(dataset, "oxigraph", None)
    if store is not None:
        return {URIRef(name): n for name, n in graph_sizes_in_store(store).items()}
    sizes = {URIRef(str(context.identifier)): len(context) for context in dataset.graphs()
             if context.identifier != DATASET_DEFAULT_GRAPH_ID}
    return {name: n for name, n in sizes.items() if n}


def source_claims(dataset: Dataset) -> tuple[list[tuple[SourceInfo, int]], dict[str, int]]:
    """``(each source with its number of claims, most first; each named graph's size)``: on Oxigraph read from the
    store, as :mod:`kg.quick` reads them without rdflib."""
    store = getattr(dataset, "oxigraph", None)
    if store is not None:
        return sources_in_store(store)
    sizes = graph_sizes(dataset)
    described = [s for s in dataset.graph(SOURCES_GRAPH).subjects(RDF.type, None) if isinstance(s, URIRef)]
    return claims_by_source(sizes, source_infos(dataset), described), sizes


def stats(dataset: Dataset) -> Stats:
    """Count triples, entities by class, and the claims of each source."""
    entities = dataset.graph(ENTITIES_GRAPH)
    by_class = Counter(label_of(dataset, cls) for cls in entities.objects(None, RDF.type))
    claims, sizes = source_claims(dataset)
    return Stats(
        statements=sum(sizes.values()),
        triples=len(dataset),
        graphs=len(sizes),
        entities=len({s for s in entities.subjects(RDF.type, None) if isinstance(s, URIRef)}),
        by_class=sorted(by_class.items(), key=lambda item: (-item[1], item[0])),
        claims_by_source=claims,
    )

