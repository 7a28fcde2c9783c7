"""What ``kg serve`` says about itself: a SPARQL 1.1 Service Description at ``GET /sparql`` (no query), and the
dataset's VoID + DCAT description (:mod:`kg.void`) at ``/.well-known/void`` (RFC 5785's registered name for it).

Both are graphs, negotiated like a CONSTRUCT result (Turtle by default, or N-Triples, RDF/XML, JSON-LD), and both
name the endpoint by the URL the client used. The counts behind them are taken once, on the first request.
"""

from __future__ import annotations

import threading

from rdflib import RDF, RDFS, VOID, BNode, Dataset, Graph, Literal, Namespace, URIRef

from kg.answers import Answer
from kg.serve_formats import FORMATS, GRAPHS, first_fitting
from kg.vocab import PREFIXES
from kg.explore import graph_sizes
from kg.void import DATASET, describe

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
W3C_FORMAT = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
              "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples", "rdfxml": "RDF_XML",
              "jsonld": "JSON-LD"}
"""Each result format's name in the W3C's list of format IRIs (http://www.w3.org/ns/formats/)."""
WELL_KNOWN_VOID = "/.well-known/void"


class SelfDescription:
    """The service description and the VoID description of one served dataset, built on first use."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self._lock = threading.Lock()
        self._void: Graph | None = None
        self._graph_sizes: list[tuple[URIRef, int]] | None = None

    def void(self, endpoint_url: str) -> Graph:
        """The dataset's VoID + DCAT description, naming ``endpoint_url`` as its SPARQL endpoint."""
        with self._lock:
            if self._void is None:
                self._void = describe(self.dataset)
        graph = Graph()
        for prefix, namespace in self._void.namespaces():
            graph.bind(prefix, namespace)
        graph += self._void
        graph.add((DATASET, VOID.sparqlEndpoint, URIRef(endpoint_url)))
        return graph

    def service(self, endpoint_url: str, void_url: str) -> Graph:
        """The SPARQL 1.1 Service Description of the endpoint at ``endpoint_url``."""
        graph = Graph()
        graph.bind("sd", SD)
        graph.bind("void", VOID)
        service = BNode("service")
        add = graph.add
        add((service, RDF.type, SD.Service))
        add((service, SD.endpoint, URIRef(endpoint_url)))
        add((service, SD.supportedLanguage, SD.SPARQL11Query))
        add((service, SD.feature, SD.UnionDefaultGraph))  # the default graph is the union of the named graphs
        add((service, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
        for fmt in FORMATS:
            add((service, SD.resultFormat, FORMATS_NS[W3C_FORMAT[fmt.name]]))
        add((service, SD.defaultDataset, DATASET))
        add((DATASET, RDF.type, SD.Dataset))
        add((DATASET, RDFS.seeAlso, URIRef(void_url)))
        default = BNode("default-graph")
        add((DATASET, SD.defaultGraph, default))
        add((default, RDF.type, SD.Graph))
        sizes = self.graph_sizes()
        add((default, VOID.triples, Literal(len(self.dataset))))
        for number, (name, size) in enumerate(sizes, start=1):
            named, described = BNode(f"named-graph-{number}"), BNode(f"graph-{number}")
            add((DATASET, SD.namedGraph, named))
            add((named, RDF.type, SD.NamedGraph))
            add((named, SD.name, name))
            add((named, SD.graph, described))
            add((described, RDF.type, SD.Graph))
            add((described, VOID.triples, Literal(size)))
        return graph

    def graph_sizes(self) -> list[tuple[URIRef, int]]:
        """Each named graph's IRI and triple count, in the order of the IRIs."""
        with self._lock:
            if self._graph_sizes is None:
                self._graph_sizes = sorted(graph_sizes(self.dataset).items())
        return self._graph_sizes


def graph_answer(graph: Graph, acceptable: tuple[str, ...]) -> Answer:
    """``graph`` in the first acceptable graph format, or a 406 saying which it could be."""
    chosen = first_fitting(acceptable, "CONSTRUCT")
    if chosen is None:
        possible = ", ".join(fmt.media_type for fmt in FORMATS if fmt.kinds == GRAPHS)
        return Answer(406, "text/plain; charset=utf-8", f"this description can be given as {possible}\n".encode())
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    return Answer(200, chosen.content_type, graph.serialize(format=chosen.rdflib_name, encoding="utf-8"))
