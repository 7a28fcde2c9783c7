"""The project's IRIs as plain strings, and the helpers on them, for code that runs without rdflib (:mod:`kg.quick`
answering ``kg sources`` from the load cache). :mod:`kg.vocab` makes its rdflib terms from these. Imports nothing."""

from __future__ import annotations

FAM = "https://w3id.org/fam-kg/"
"""Base of every entity, source and graph IRI of the project."""

FAMV = FAM + "vocab#"
ENTITIES_GRAPH = FAM + "graph/entities"
SOURCES_GRAPH = FAM + "graph/sources"
VOCAB_GRAPH = FAM + "graph/vocab"
RDFLIB_DEFAULT_GRAPH = "urn:x-rdflib:default"
"""rdflib's name for a dataset's default graph (``rdflib.graph.DATASET_DEFAULT_GRAPH_ID``)."""

BOOKKEEPING_GRAPHS = frozenset({ENTITIES_GRAPH, SOURCES_GRAPH, VOCAB_GRAPH, RDFLIB_DEFAULT_GRAPH})
"""Named graphs that are not a source's claims."""


def slug_of(iri: str) -> str:
    """The readable part of a project IRI (``person/rhys-ifans``), else the IRI."""
    text = str(iri)
    return text[len(FAM):] if text.startswith(FAM) else text


def is_claim_graph(graph_name: str | None) -> bool:
    """True for the named graph of a source (anything but the bookkeeping graphs)."""
    return graph_name is not None and str(graph_name) not in BOOKKEEPING_GRAPHS  # no URIRef made: it runs per quad
