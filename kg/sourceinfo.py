"""What the sources graph says of each source (:class:`SourceInfo`) and how many claims each source's graph holds,
without rdflib: :mod:`kg.explore` reads them from any rdflib dataset, :func:`sources_in_store` from an Oxigraph store
directly (so that :mod:`kg.quick` answers ``kg sources`` from the load cache without importing rdflib)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.iris import FAMV, SOURCES_GRAPH, is_claim_graph

SCHEMA = "https://schema.org/"
NAME, PUBLISHER, DATE_PUBLISHED, URL = (SCHEMA + name for name in ("name", "publisher", "datePublished", "url"))
RETRIEVED = FAMV + "retrieved"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class SourceInfo:
    """What the sources graph says of one source."""

    iri: str  # an rdflib URIRef when read through rdflib
    title: str
    publisher: str
    published: str
    url: str
    retrieved: str = ""  # a reference work's retrieval day (it has no publication date)
    weak: bool = False  # a copy, mirror, aggregator, forum or personal blog (its rdfs:comment says so)

    @property
    def reference_work(self) -> bool:
        """True for a reference work (a wiki), cited by the day it was retrieved."""
        return bool(self.retrieved) and not self.published

    @property
    def kind(self) -> str:
        return "reference work" if self.reference_work else "dated"

    @property
    def date(self) -> str:
        """The day the source counts from: its publication date, or a reference work's retrieval date."""
        return self.published or self.retrieved

    @property
    def when(self) -> str:
        """The date as cited: ``2025-02-06``, or ``retrieved 2026-12-01`` for a reference work."""
        return f"retrieved {self.retrieved}" if self.reference_work else self.published

    def cite(self) -> str:
        """A short citation: ``Bleeding Cool, 2025-02-06``, or ``Fandom, retrieved 2026-12-01``."""
        return ", ".join(part for part in (self.publisher or self.title, self.when) if part)


def source_info(iri: str, values: dict[str, list[str]]) -> SourceInfo:
    """A source's description from its values in the sources graph (each predicate IRI's values, as text). A property
    given twice counts by its least value, whatever order a store returns them in."""
    def text(predicate: str) -> str:
        return min(values.get(predicate) or [""])

    return SourceInfo(iri, text(NAME), text(PUBLISHER), text(DATE_PUBLISHED), text(URL), text(RETRIEVED),
                      any("weak source" in comment for comment in values.get(COMMENT, ())))


def claims_by_source(sizes: dict[str, int], infos: dict[str, SourceInfo], described: Iterable[str]
                     ) -> list[tuple[SourceInfo, int]]:
    """Each source with the number of claims in its graph (0 for a source described but stating nothing), most
    first. ``sizes`` are the named graphs' sizes, ``infos`` the sources described, ``described`` every subject typed
    in the sources graph."""
    claims = {name: n for name, n in sizes.items() if is_claim_graph(name)}
    for source in described:
        claims.setdefault(source, 0)
    return sorted(((infos.get(s) or source_info(s, {}), n) for s, n in claims.items()),
                  key=lambda item: (-item[1], item[0].cite(), str(item[0].iri)))


def graph_sizes_in_store(store) -> dict[str, int]:
    """How many quads each non-empty named graph of a pyoxigraph store holds."""
    sizes = {graph.value: sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
             for graph in store.named_graphs()}
    return {name: n for name, n in sizes.items() if n}


def sources_in_store(store) -> tuple[list[tuple[SourceInfo, int]], dict[str, int]]:
    """``(claims by source, graph sizes)`` of a pyoxigraph store holding the project's named graphs, as
    :func:`kg.explore.stats` counts them on rdflib's store."""
    import pyoxigraph

    sizes = graph_sizes_in_store(store)
    values: dict[str, dict[str, list[str]]] = {}
    described = []
    for s, p, o, _ in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(SOURCES_GRAPH)):
        if isinstance(s, pyoxigraph.NamedNode):
            values.setdefault(s.value, {}).setdefault(p.value, []).append(o.value)
            if p.value == TYPE:
                described.append(s.value)
    infos = {s: source_info(s, by_predicate) for s, by_predicate in values.items()}
    return claims_by_source(sizes, infos, described), sizes
