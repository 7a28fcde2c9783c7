"""The dataset described in VoID and DCAT (``fam-kg.void.ttl`` in every build, ``/.well-known/void`` in ``kg serve``).

What it says: the size (``void:triples``, ``void:entities``, distinct subjects and objects, how many classes and
properties), one class partition and one property partition for each class and property used, the licence, the
version of fam-kg that built it, the date of its newest source (so the same data gives the same bytes on every
day), the sources' pages (``dcterms:source``), and either the dumps beside it (``void:dataDump`` and one
``dcat:Distribution`` each, by relative IRI, so the description stays right wherever the build folder goes) or the
endpoint serving it (``void:sparqlEndpoint``).

Partitions are named by IRIs under the dataset's (``…/dataset#class-1``, numbered in the order of the class's IRI),
not blank nodes, so the Turtle is sorted the same way on every run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from rdflib import DCAT, DCTERMS, OWL, RDF, SDO, VOID, XSD, Dataset, Graph, Literal, Namespace, URIRef

from kg.about import version
from kg.explore import stats
from kg.store import named_graph_quads
from kg.vocab import FAM, FAMV, SOURCES_GRAPH

DATASET = URIRef(FAM["dataset"])
DATA_LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
"""The data's licence (the code's is MIT, in LICENSE); the README says why."""
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")
"""DCAT 3's ``dcat:version`` (rdflib's DCAT namespace is DCAT 2's, which has none)."""
IANA = Namespace("https://www.iana.org/assignments/media-types/")
DUMP_TYPES = {".trig": "application/trig", ".nq": "application/n-quads", ".jsonld": "application/ld+json"}
VOID_FILE = "fam-kg.void.ttl"
DESCRIPTION = ("A sourced knowledge graph of the For All Mankind franchise (the series and its spinoff Star City): "
               "people, shows, seasons, episodes, places, real history and the shows' invented history, every claim "
               "in the named graph of its source.")


def describe(dataset: Dataset, dumps: Iterable[Path] = (), endpoint: str | None = None) -> Graph:
    """The VoID + DCAT description of ``dataset``: with the ``dumps`` written beside it, or the ``endpoint`` URL
    that serves it."""
    graph = Graph()
    for prefix, namespace in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("owl", OWL), ("xsd", XSD)):
        graph.bind(prefix, namespace)
    add = graph.add
    add((DATASET, RDF.type, VOID.Dataset))
    add((DATASET, RDF.type, DCAT.Dataset))
    add((DATASET, DCTERMS.title, Literal("fam-kg: the For All Mankind knowledge graph", lang="en")))
    add((DATASET, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    add((DATASET, DCTERMS.license, DATA_LICENCE))
    add((DATASET, DCAT_VERSION, Literal(version())))
    add((DATASET, OWL.versionInfo, Literal(version())))
    add((DATASET, VOID.uriSpace, Literal(str(FAM))))
    add((DATASET, VOID.feature, URIRef("http://www.w3.org/ns/formats/TriG")))
    newest = newest_source_date(dataset)
    if newest:
        add((DATASET, DCTERMS.modified, Literal(newest, datatype=XSD.date)))
    for url in sorted(source_urls(dataset)):
        add((DATASET, DCTERMS.source, URIRef(url)))

    triples = {(s, p, o) for s, p, o, _ in named_graph_quads(dataset)}
    properties = Counter(p for _, p, _ in triples)
    classes: dict[URIRef, set] = {}
    for s, p, o in triples:
        if p == RDF.type and isinstance(o, URIRef):
            classes.setdefault(o, set()).add(s)
    add((DATASET, VOID.triples, Literal(len(triples))))
    add((DATASET, VOID.entities, Literal(stats(dataset).entities)))
    add((DATASET, VOID.distinctSubjects, Literal(len({s for s, _, _ in triples}))))
    add((DATASET, VOID.distinctObjects, Literal(len({o for _, _, o in triples}))))
    add((DATASET, VOID.classes, Literal(len(classes))))
    add((DATASET, VOID.properties, Literal(len(properties))))
    for number, cls in enumerate(sorted(classes, key=str), start=1):
        partition = URIRef(f"{DATASET}#class-{number}")
        add((DATASET, VOID.classPartition, partition))
        add((partition, VOID["class"], cls))
        add((partition, VOID.entities, Literal(len(classes[cls]))))
    for number, prop in enumerate(sorted(properties, key=str), start=1):
        partition = URIRef(f"{DATASET}#property-{number}")
        add((DATASET, VOID.propertyPartition, partition))
        add((partition, VOID.property, prop))
        add((partition, VOID.triples, Literal(properties[prop])))

    for path in sorted(dumps, key=lambda p: p.name):
        if path.suffix not in DUMP_TYPES:
            continue
        dump = URIRef(path.name)  # relative: resolved against where the description is read from
        distribution = URIRef(f"{DATASET}#distribution-{path.name}")
        add((DATASET, VOID.dataDump, dump))
        add((DATASET, DCAT.distribution, distribution))
        add((distribution, RDF.type, DCAT.Distribution))
        add((distribution, DCAT.downloadURL, dump))
        add((distribution, DCAT.mediaType, IANA[DUMP_TYPES[path.suffix]]))
        add((distribution, DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)))
        add((distribution, DCTERMS.license, DATA_LICENCE))
    if endpoint is not None:
        add((DATASET, VOID.sparqlEndpoint, URIRef(endpoint)))
    return graph


def newest_source_date(dataset: Dataset) -> str:
    """The latest publication or retrieval date among the sources, as ``YYYY-MM-DD`` (empty with no sources)."""
    described = dataset.graph(SOURCES_GRAPH)
    dates = [str(date)[:10] for predicate in (SDO.datePublished, FAMV.retrieved)
             for date in described.objects(None, predicate)]
    return max(dates, default="")


def source_urls(dataset: Dataset) -> set[str]:
    described = dataset.graph(SOURCES_GRAPH)
    return {str(url) for source in described.subjects(RDF.type, FAMV.Source)
            for url in described.objects(source, SDO.url)}


def void_text(dataset: Dataset, dumps: Iterable[Path] = (), endpoint: str | None = None) -> bytes:
    """The description as Turtle."""
    return describe(dataset, dumps, endpoint).serialize(format="turtle", encoding="utf-8")
