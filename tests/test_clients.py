"""``kg serve`` as real clients use it, with their defaults: SPARQLWrapper for every query form and return format,
and rdflib's SPARQLStore. Each answer is checked against the embedded store's answer to the same query."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Iterator

import pytest
import rdflib
import rdflib.compare
from rdflib import RDFS, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

import kg
from kg.query import NamedQuery
from kg.serve import create_app
from tests.serving import Endpoint, served

SHOWS = ("SELECT ?show ?label WHERE { ?show a <https://w3id.org/fam-kg/vocab#FranchiseShow> ; "
         "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?show ?label")
ASK = "ASK { ?show a <https://schema.org/TVSeries> }"
ROLES = ("CONSTRUCT { ?role <https://schema.org/actor> ?actor } WHERE { ?role a <https://schema.org/PerformanceRole> ; "
         "<https://schema.org/actor> ?actor }")
STAR_CITY = URIRef("https://w3id.org/fam-kg/show/star-city")
DESCRIBE = f"DESCRIBE <{STAR_CITY}>"


@pytest.fixture(scope="module")
def dataset():
    return kg.load()


@pytest.fixture(scope="module")
def endpoint(dataset) -> Iterator[Endpoint]:
    with served(create_app(dataset, timeout=20, workers=2)) as running:
        yield running


def embedded(dataset, query: str):
    return kg.run_query(dataset, NamedQuery.from_text(query, name="client-test"))


def embedded_rows(dataset, query: str) -> list[tuple[str, ...]]:
    return [tuple(str(cell) for cell in row) for row in embedded(dataset, query).rows]


def wrapper(endpoint: Endpoint, query: str, return_format: str | None = None) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint.base + "/sparql")
    client.setQuery(query)
    if return_format is not None:
        client.setReturnFormat(return_format)
    return client


def test_the_shipped_graph_has_what_these_tests_ask_about(dataset):
    assert len(embedded_rows(dataset, SHOWS)) >= 2
    assert len(embedded(dataset, ROLES)) > 5
    assert len(embedded(dataset, DESCRIBE)) > 3


def test_sparqlwrapper_select_in_its_default_xml_and_in_json_csv_and_tsv(endpoint, dataset):
    expected = embedded_rows(dataset, SHOWS)
    document = wrapper(endpoint, SHOWS).query().convert()  # XML, SPARQLWrapper's default: a DOM document
    from_xml = [tuple(result.getElementsByTagName(tag)[0].firstChild.data for tag in ("uri", "literal"))
                for result in document.getElementsByTagName("result")]
    assert from_xml == expected
    from_json = wrapper(endpoint, SHOWS, JSON).query().convert()
    assert [(b["show"]["value"], b["label"]["value"]) for b in from_json["results"]["bindings"]] == expected
    from_csv = list(csv.reader(io.StringIO(wrapper(endpoint, SHOWS, CSV).query().convert().decode("utf-8"))))
    assert from_csv[0] == ["show", "label"] and [tuple(row) for row in from_csv[1:]] == expected
    from_tsv = wrapper(endpoint, SHOWS, TSV).query().convert().decode("utf-8").splitlines()
    assert from_tsv[0] == "?show\t?label" and len(from_tsv) == len(expected) + 1


def test_sparqlwrapper_ask_in_xml_and_json(endpoint):
    document = wrapper(endpoint, ASK).query().convert()
    assert document.getElementsByTagName("boolean")[0].firstChild.data == "true"
    assert wrapper(endpoint, ASK, JSON).query().convert()["boolean"] is True


@pytest.mark.parametrize("query", [ROLES, DESCRIBE], ids=["construct", "describe"])
@pytest.mark.parametrize("return_format", [None, RDFXML, TURTLE, N3, JSONLD], ids=lambda f: f or "default")
def test_sparqlwrapper_graph_results_in_every_rdf_format_it_asks_for(endpoint, dataset, query, return_format):
    expected = embedded(dataset, query).graph
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # SPARQLWrapper warns when it cannot read what it got
        converted = wrapper(endpoint, query, return_format).query().convert()
    if isinstance(converted, bytes):  # SPARQLWrapper hands back Turtle, N3 and JSON-LD unparsed
        parse_as = {TURTLE: "turtle", N3: "turtle", JSONLD: "json-ld"}[return_format]
        converted = rdflib.Graph().parse(data=converted.decode("utf-8"), format=parse_as)
    assert isinstance(converted, rdflib.Graph)
    assert rdflib.compare.isomorphic(converted, expected)


def test_sparqlwrapper_default_response_types(endpoint):
    response = wrapper(endpoint, ROLES).query().response
    assert response.headers["Content-Type"] == "application/rdf+xml"
    with pytest.warns(RuntimeWarning, match="Sending Accept header"):  # SPARQLWrapper: JSON is for SELECT
        response = wrapper(endpoint, ROLES, JSON).query().response  # so a graph comes as JSON-LD, as Virtuoso does
    assert response.headers["Content-Type"] == "application/ld+json"
    json.loads(response.read())
    response = wrapper(endpoint, SHOWS, XML).query().response
    assert response.headers["Content-Type"] == "application/sparql-results+xml"


def test_rdflib_sparqlstore_selects_constructs_and_reads_triples(endpoint, dataset):
    remote = rdflib.Graph(store=SPARQLStore(endpoint.base + "/sparql"))
    assert [tuple(str(cell) for cell in row) for row in remote.query(SHOWS)] == embedded_rows(dataset, SHOWS)
    assert remote.query(ASK).askAnswer is True
    constructed = remote.query(ROLES).graph
    assert rdflib.compare.isomorphic(constructed, embedded(dataset, ROLES).graph)
    labels = {str(label) for label in remote.objects(STAR_CITY, RDFS.label)}
    assert labels == {label for label, in embedded_rows(dataset, f"SELECT ?l WHERE {{ <{STAR_CITY}> <{RDFS.label}> ?l }}")}
    assert "Star City" in labels
