"""The query layer: catalogue headers, safe parameter binding, read-only and offline evaluation, formats."""

from __future__ import annotations

import csv
import http.server
import io
import json
import threading

import pytest
from rdflib import BNode, Literal, URIRef

import kg
from kg.errors import (
    ParameterError,
    QuerySyntaxError,
    ReadOnlyError,
    RemoteAccessRefused,
    UnknownEntityError,
    UnknownQueryError,
)
from kg.query import NamedQuery, load_query, query_catalogue
from kg.results import QueryResult

PREFIXES = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX schema: <https://schema.org/>\n"


def test_catalogue_has_at_least_fifteen_documented_queries():
    catalogue = query_catalogue()
    assert len(catalogue) >= 15
    for name, query in catalogue.items():
        assert query.title and query.description and query.columns, name


@pytest.mark.parametrize("name", sorted(query_catalogue()))
def test_declared_columns_are_the_columns_returned(answer, name):
    assert tuple(answer(name).variables) == kg.named_query(name).columns


def test_header_parses_params_with_defaults_and_continuations():
    query = NamedQuery.from_text(
        "# title: T\n# description: first line\n#   second line\n"
        "# param: show: entity = Star City -- the show\n# columns: a, b\nSELECT ?a ?b {}"
    )
    assert query.description == "first line second line"
    assert query.params[0].name == "show" and query.params[0].kind == "entity"
    assert query.params[0].default == "Star City"
    assert query.columns == ("a", "b")


def test_entity_parameter_is_data_not_query_text(graph):
    with pytest.raises(UnknownEntityError):
        kg.run_query(graph, kg.named_query("cast"), {"show": 'Star City" } ?s ?p ?o { "'})


def test_string_parameter_is_bound_not_pasted(graph):
    text = PREFIXES + "SELECT ?s WHERE { ?s rdfs:label ?name }"
    injected = kg.run_query(graph, text, {"name": 'Rhys Ifans"@en } UNION { ?s ?p ?o'})
    assert len(injected) == 0
    from rdflib import Literal

    plain = kg.run_query(graph, text, {"name": Literal("Rhys Ifans", lang="en")})
    assert len(plain) == 1


def test_missing_parameter_is_named(graph):
    with pytest.raises(ParameterError, match="missing parameter 'source'"):
        kg.run_query(graph, kg.named_query("claims-of-source"), {})


def test_unknown_parameter_is_refused(graph):
    with pytest.raises(ParameterError, match="unknown parameter shoe"):
        kg.run_query(graph, kg.named_query("cast"), {"shoe": "Star City"})


def test_documented_query_without_parameters_refuses_one(graph):
    with pytest.raises(ParameterError, match="it takes no parameters"):
        kg.run_query(graph, kg.named_query("sources"), {"source": "x"})


def test_badly_formed_date_parameter_is_refused(graph):
    text = "# title: t\n# description: d\n# param: day: date -- a day\n# columns: day\nSELECT ?day {}"
    with pytest.raises(ParameterError, match="YYYY-MM-DD"):
        kg.run_query(graph, text, {"day": "29 May 2026"})


def test_unknown_query_name_suggests_close_names():
    with pytest.raises(UnknownQueryError, match="did you mean cast"):
        kg.named_query("casts")


def test_syntax_error_gives_line_and_column(graph):
    with pytest.raises(QuerySyntaxError) as caught:
        kg.run_query(graph, "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER( }")
    assert (caught.value.line, caught.value.column) == (3, 3)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <file:///etc/passwd>",
        "CLEAR ALL",
        "DROP GRAPH <https://w3id.org/fam-kg/graph/entities>",
    ],
)
def test_updates_are_refused_and_change_nothing(graph, update):
    before = len(graph)
    with pytest.raises(ReadOnlyError, match="read-only"):
        kg.run_query(graph, update)
    assert len(graph) == before


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def listening_port():
    """A local HTTP server that counts the requests it receives."""
    _CountingHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE SILENT <http://127.0.0.1:{port}/q> { ?s ?p ?o } } }",
        "SELECT * FROM <http://127.0.0.1:{port}/graph.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/graph.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_remote_access_is_refused_and_nothing_is_fetched(graph, listening_port, template):
    with pytest.raises(RemoteAccessRefused):
        kg.run_query(graph, template.replace("{port}", str(listening_port)))
    assert _CountingHandler.requests == []


def test_json_result_is_sparql_results_json(graph):
    result = kg.run_query(graph, kg.named_query("cast"), {"show": "Star City"})
    document = json.loads(result.serialize("json"))
    assert document["head"]["vars"] == list(result.variables)
    first = document["results"]["bindings"][0]
    assert first["actor"]["type"] == "uri"
    assert first["actorLabel"] == {"type": "literal", "value": first["actorLabel"]["value"], "xml:lang": "en"}


ODD_CELLS = [
    (None, None),
    (URIRef("http://example.org/é"), Literal('a line\n"quoted"\t\\', lang="en")),
    (BNode("b1"), Literal("5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))),
    (Literal("Звёздный городок"), None),
]


@pytest.mark.parametrize("result", [
    QueryResult("SELECT", ["a", 'b"c'], ODD_CELLS),
    QueryResult("SELECT", ["x"], []),
    QueryResult("SELECT", [], [()]),
    QueryResult("ASK", answer=False),
])
def test_json_is_written_as_the_json_module_would_indent_it(result):
    assert result.serialize("json") == json.dumps(result._json(), ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("name", sorted(query_catalogue()))
def test_each_named_querys_json_is_written_as_the_json_module_would_indent_it(answer, name):
    result = answer(name)
    assert result.serialize("json") == json.dumps(result._json(), ensure_ascii=False, indent=2) + "\n"


def test_csv_and_tsv_have_a_header_and_one_line_per_row(graph):
    result = kg.run_query(graph, kg.named_query("cast"), {"show": "Star City"})
    rows = list(csv.reader(io.StringIO(result.serialize("csv"))))
    assert rows[0] == list(result.variables) and len(rows) == len(result) + 1
    lines = result.serialize("tsv").splitlines()
    assert lines[0].split("\t") == ["?" + v for v in result.variables]
    assert len(lines) == len(result) + 1
    assert lines[1].split("\t")[0].startswith("<https://w3id.org/fam-kg/person/")


def test_ask_and_construct_queries(graph):
    ask = kg.run_query(graph, PREFIXES + 'ASK { ?s rdfs:label "Rhys Ifans"@en }')
    assert ask.answer is True and ask.serialize("json").strip().endswith("}")
    construct = kg.run_query(graph, PREFIXES + "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a schema:Person ; rdfs:label ?l }")
    assert len(construct) > 10 and "Rhys Ifans" in construct.serialize("table")


def test_load_query_reads_files_and_names(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\nSELECT * {}", encoding="utf-8")
    assert load_query(str(path)).title == "Mine"
    assert load_query("cast").name == "cast"


def test_records_and_dataframe_share_the_variables(graph):
    result = kg.run_query(graph, kg.named_query("seasons"))
    assert list(result.records()[0]) == result.variables


def test_oxigraph_answers_a_plain_query_without_rdflibs_parser_and_in_the_same_order(graph, monkeypatch):
    import kg.query as query_module

    expected = kg.run_query(kg.load(store="memory"), kg.named_query("cast")).rows
    query_module.prepare.cache_clear()
    calls = []
    original = query_module.prepare
    monkeypatch.setattr(query_module, "prepare", lambda q: calls.append(q) or original(q))
    assert kg.run_query(graph, kg.named_query("cast")).rows == expected
    assert calls == []
    with pytest.raises(kg.errors.QuerySyntaxError) as on_oxigraph:
        kg.run_query(graph, "SELECT ?s WHERE { ?s ?p }")
    with pytest.raises(kg.errors.QuerySyntaxError) as on_rdflib:
        kg.run_query(kg.load(store="memory"), "SELECT ?s WHERE { ?s ?p }")
    assert str(on_oxigraph.value) == str(on_rdflib.value) and calls  # the parser, only to report the mistake
    with pytest.raises(kg.errors.RemoteAccessRefused):  # a query naming SERVICE is still checked first
        kg.run_query(graph, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


def test_the_query_form_read_from_the_text_is_the_parsers_for_every_named_query():
    from kg.query import prepare, query_form

    for name, query in kg.query_catalogue().items():
        assert query_form(query.text) == prepare(query).algebra.name.removesuffix("Query").upper(), name
