"""A described, citable dataset: ``kg --version``, the VoID + DCAT file of every build, the licence and citation
files, and what ``kg serve`` says about itself (Service Description, ``/.well-known/void``)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, Namespace, URIRef

import kg
from kg.builder import build
from kg.query import NamedQuery
from kg.serve import create_app
from kg.vocab import SOURCES_GRAPH
from tests.serving import served

ROOT = Path(__file__).resolve().parent.parent
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SDO = Namespace("https://schema.org/")
RETRIEVED = URIRef("https://w3id.org/fam-kg/vocab#retrieved")
DATASET = URIRef("https://w3id.org/fam-kg/dataset")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")


def count(dataset, query: str) -> int:
    return int(kg.run_query(dataset, NamedQuery.from_text(query, name="count")).rows[0][0])


@pytest.fixture(scope="module")
def dataset():
    return kg.load()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    build(out_dir=out)
    return out


@pytest.fixture(scope="module")
def void(built) -> rdflib.Graph:
    return rdflib.Graph().parse(built / "fam-kg.void.ttl", format="turtle", publicID=built.as_uri() + "/")


def test_kg_version_prints_the_installed_version_by_both_ways_in(run_kg):
    expected = f"fam-kg {metadata.version('fam-kg')}"
    quick = subprocess.run([sys.executable, "-c", "import sys; from kg.quick import main; sys.argv[0] = 'kg'; main()",
                            "--version"], capture_output=True, text=True, check=True)
    assert quick.stdout.strip() == expected
    full = run_kg("--version")
    assert full.exit_code == 0 and full.stdout.strip() == expected


def test_the_build_describes_its_size_the_same_as_sparql_counts_it(void, dataset):
    triples = count(dataset, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
    assert void.value(DATASET, VOID.triples) == Literal(triples) and triples > 5000
    assert int(void.value(DATASET, VOID.entities)) == kg.stats(dataset).entities
    people = count(dataset, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?p a <https://schema.org/Person> } }")
    by_class = {void.value(part, VOID["class"]): int(void.value(part, VOID.entities))
                for part in void.objects(DATASET, VOID.classPartition)}
    assert by_class[SDO.Person] == people > 100
    assert int(void.value(DATASET, VOID.classes)) == len(by_class)
    by_property = {void.value(part, VOID.property): int(void.value(part, VOID.triples))
                   for part in void.objects(DATASET, VOID.propertyPartition)}
    labels = count(dataset, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o WHERE { GRAPH ?g { ?s "
                   "<http://www.w3.org/2000/01/rdf-schema#label> ?o } } }")
    assert by_property[RDFS.label] == labels and sum(by_property.values()) == triples


def test_the_build_lists_its_dumps_with_their_sizes_licence_version_and_newest_source(void, built, dataset):
    assert (DATASET, RDF.type, DCAT.Dataset) in void and void.value(DATASET, DCTERMS.license) == CC_BY
    assert str(void.value(DATASET, DCAT.version)) == metadata.version("fam-kg")
    dumps = {Path(str(dump).removeprefix("file://")).name for dump in void.objects(DATASET, VOID.dataDump)}
    assert dumps == {"fam-kg.trig", "fam-kg.nq", "fam-kg.jsonld"}
    for distribution in void.objects(DATASET, DCAT.distribution):
        path = Path(str(void.value(distribution, DCAT.downloadURL)).removeprefix("file://"))
        assert path.parent == built and int(void.value(distribution, DCAT.byteSize)) == path.stat().st_size
    newest = max(str(date) for p in (SDO.datePublished, RETRIEVED)
                 for date in dataset.graph(SOURCES_GRAPH).objects(None, p))
    assert str(void.value(DATASET, DCTERMS.modified)) == newest[:10]
    cited = {str(url) for url in void.objects(DATASET, DCTERMS.source)}
    assert len(cited) > 300 and "http://svdaily.com/2026/02/27/apple-tv-to-air-star-city-drama-on-may-29/" in cited


def test_licence_citation_and_changelog_are_there_and_agree_with_the_package():
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    citation = (ROOT / "CITATION.cff").read_text()
    assert "cff-version: 1.2.0" in citation and f'version: "{metadata.version("fam-kg")}"' in citation
    assert f"## [{metadata.version('fam-kg')}]" in (ROOT / "CHANGELOG.md").read_text()
    assert "CC BY 4.0" in (ROOT / "README.md").read_text()


@pytest.fixture(scope="module")
def client(dataset) -> Iterator[httpx.Client]:
    with served(create_app(dataset, workers=1)) as endpoint, httpx.Client(base_url=endpoint.base) as http_client:
        yield http_client


def test_a_bare_get_of_the_endpoint_is_its_service_description(client, dataset):
    response = client.get("/sparql")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    described = rdflib.Graph().parse(data=response.text, format="turtle")
    service = described.value(None, RDF.type, SD.Service)
    assert described.value(service, SD.endpoint) == URIRef(str(client.base_url).rstrip("/") + "/sparql")
    assert {SD.SPARQL11Query} == set(described.objects(service, SD.supportedLanguage))
    formats = {str(f).rsplit("/", 1)[1] for f in described.objects(service, SD.resultFormat)}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_XML", "Turtle", "RDF_XML", "JSON-LD"} <= formats
    assert (service, SD.feature, SD.UnionDefaultGraph) in described
    names = {described.value(named, SD.name) for named in described.objects(DATASET, SD.namedGraph)}
    expected = {name for *_, name in dataset.named_graph_quads()}
    assert names == expected and len(names) > 300
    as_jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert as_jsonld.headers["content-type"] == "application/ld+json"
    assert len(rdflib.Graph().parse(data=as_jsonld.text, format="json-ld")) == len(described)
    assert client.get("/sparql", headers={"Accept": "text/csv"}).status_code == 406


def test_the_void_file_is_served_at_its_well_known_address_naming_the_endpoint(client, void):
    response = client.get("/.well-known/void")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    served_void = rdflib.Graph().parse(data=response.text, format="turtle")
    assert str(served_void.value(DATASET, VOID.sparqlEndpoint)).endswith("/sparql")
    assert served_void.value(DATASET, VOID.triples) == void.value(DATASET, VOID.triples)
    assert client.get("/.well-known/void", params={"format": "rdfxml"}).headers["content-type"] == "application/rdf+xml"
