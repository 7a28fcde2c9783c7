"""Namespaces, graph names and IRI helpers. Imports nothing else from ``kg``.

Entity IRIs are readable slugs under :data:`FAM` (``person/rhys-ifans``); the
project's own terms live in :class:`FAMV`, a closed namespace, so a misspelt
term fails at import time instead of silently matching nothing in a query.
Every term of :class:`FAMV` is declared, with a label and a comment, in
``data/vocab.ttl`` (a test keeps the two in step). The IRIs themselves, as
plain strings, are :mod:`kg.iris`'s, the one module of ``kg`` this imports.
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, RDFS, SDO, SH, SKOS, XSD, DefinedNamespace

from kg import iris

FAM = Namespace(iris.FAM)
"""Base of every entity, source and graph IRI of the project."""

SOURCE = Namespace(FAM["source/"])
"""Sources: the IRI of a source is also the name of the graph holding its claims."""

ENTITIES_GRAPH = URIRef(iris.ENTITIES_GRAPH)
"""Identity: types and labels of every entity."""
SOURCES_GRAPH = URIRef(iris.SOURCES_GRAPH)
"""Descriptions of the sources (URL, publisher, publication date)."""
VOCAB_GRAPH = URIRef(iris.VOCAB_GRAPH)
"""The project vocabulary (``data/vocab.ttl``)."""

BOOKKEEPING_GRAPHS = frozenset({ENTITIES_GRAPH, SOURCES_GRAPH, VOCAB_GRAPH, DATASET_DEFAULT_GRAPH_ID})
"""Named graphs that are not a source's claims."""

slug_of = iris.slug_of
is_claim_graph = iris.is_claim_graph


class FAMV(DefinedNamespace):
    """The fam-kg vocabulary: what schema.org lacks for this domain."""

    _NS = Namespace("https://w3id.org/fam-kg/vocab#")
    _fail = True

    # classes
    FranchiseShow: URIRef  # a show of the For All Mankind franchise
    Character: URIRef  # a character of a show
    HistoricalFigure: URIRef  # a real person the shows depict or draw on
    RealEvent: URIRef  # an event of real history
    InUniverseEvent: URIRef  # an event of the shows' alternate history
    Source: URIRef  # a published source whose claims form one named graph
    ReferenceWork: URIRef  # a source cited by the date its page was retrieved (a wiki), not a publication date
    StoryElement: URIRef  # what happens in the story: carries the episode that reveals it
    Relationship: URIRef  # a relationship between two characters, a story element
    RelationshipKind: URIRef  # what a relationship asserts (married, parent and child, handler and asset …)
    FamilyKind: URIRef  # a kind of relationship that makes the two characters family
    ClaimGraph: URIRef  # added at validation time to every claim graph's name
    SingleValuedProperty: URIRef  # a property with one value per entity: differing sources conflict

    # shows and seasons
    showrunner: URIRef
    executiveProducer: URIRef
    network: URIRef
    spinoffOf: URIRef
    filmingLocation: URIRef
    productionStart: URIRef
    expectedRelease: URIRef
    announced: URIRef
    renamedOn: URIRef
    storyStartYear: URIRef
    storyEndYear: URIRef

    # people, roles and characters
    character: URIRef
    inShow: URIRef
    inSeason: URIRef
    appearsIn: URIRef
    depicts: URIRef
    knownFor: URIRef

    # places and history
    CelestialBody: URIRef  # the Moon, Mars: a body other than Earth on which places lie
    InUniversePlace: URIRef  # a place that exists only in the story (a base, a colony)
    onBody: URIRef
    setAt: URIRef
    standsInFor: URIRef
    near: URIRef
    participant: URIRef
    divergesFrom: URIRef

    # episodes and the spoiler boundary
    teleplayBy: URIRef
    storyBy: URIRef
    revealedIn: URIRef

    # relationships between characters, and their kinds (what each asserts: see data/vocab.ttl)
    Married: URIRef
    Divorced: URIRef
    ParentChild: URIRef
    AdoptiveParentChild: URIRef
    Siblings: URIRef
    RomanticPartners: URIRef
    Affair: URIRef
    CommanderCrew: URIRef
    HandlerAsset: URIRef
    MentorProtege: URIRef
    Rivals: URIRef
    Friends: URIRef
    Adversaries: URIRef
    BusinessPartners: URIRef
    relationshipKind: URIRef
    relative: URIRef
    between: URIRef
    senior: URIRef

    # ranked values: a source that shows a value wrong
    Deprecation: URIRef
    aboutEntity: URIRef
    onProperty: URIRef
    wrongValue: URIRef

    # sources
    localCopy: URIRef
    retrieved: URIRef


def compact(iri: URIRef | str) -> str:
    """A short name for an IRI: a slug for the project's entities, ``prefix:name`` for terms."""
    text = str(iri)
    if text.startswith(str(FAM)) and not text.startswith(str(FAMV._NS)):
        return text[len(FAM) :]
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text


PREFIXES = {
    "famv": str(FAMV._NS),
    "schema": str(SDO),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "sh": str(SH),
}
"""Prefixes used when printing terms."""


def unknown_vocabulary_terms(text: str) -> list[tuple[str, list[str]]]:
    """The ``famv:`` terms a query uses that the vocabulary does not declare, each with close matches.

    A misspelt term matches nothing, so the query quietly answers no rows; ``kg query`` warns instead. Reads
    terms written with any prefix bound to the vocabulary's namespace, and full IRIs.
    """
    import difflib

    namespace = str(FAMV._NS)
    known = [name for name in FAMV.__annotations__ if not name.startswith("_")]
    prefixes = re.findall(r"PREFIX\s+(\w*):\s*<" + re.escape(namespace) + ">", text, re.IGNORECASE)
    used = set(re.findall(r"<" + re.escape(namespace) + r"([^>]*)>", text))
    for prefix in prefixes:
        used |= set(re.findall(r"(?<![\w:])" + re.escape(prefix) + r":([A-Za-z_][\w-]*)", text))
    return [(name, difflib.get_close_matches(name, known, n=3, cutoff=0.6))
            for name in sorted(used - set(known) - {""})]
