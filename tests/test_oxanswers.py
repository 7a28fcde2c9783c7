"""kg.oxanswers: a SELECT answer read through Oxigraph's TSV gives the terms the cell-by-cell reading gives."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kg.oxanswers import rows_from_tsv, term_from_tsv
from kg.oxstore import from_oxigraph

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"  # a string: pytest probing rdflib's XSD namespace object warns
TYPED = [("2024-07-10", XSD + "date"), ("1.5", XSD + "decimal"), ("-5", XSD + "integer"), ("1000", XSD + "double"),
         ("INF", XSD + "double"), ("true", XSD + "boolean"), ("P1Y", XSD + "duration"), ("x", EX + "custom")]


def written(term) -> tuple | None:
    """A term as it would be written out: its kind, text, language and datatype."""
    return None if term is None else (type(term).__name__, str(term), getattr(term, "language", None),
                                      getattr(term, "datatype", None))


@pytest.fixture(scope="module")
def store():
    """Objects of every kind: text with every ASCII character and some beyond, tagged and typed literals."""
    found = ox.Store()
    subject, predicate = ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p")
    objects = [ox.Literal(f"a{chr(code)}b") for code in [*range(128), 0xE9, 0x2028, 0x1F680]]
    objects += [ox.Literal(""), ox.Literal("Ed Baldwin", language="en"), ox.Literal("x", language="en-GB"),
                ox.NamedNode(EX + "o?q=1#f"), ox.BlankNode("b1"), ox.Literal('say "hi" \\ there\t\n\r')]
    objects += [ox.Literal(value, datatype=ox.NamedNode(datatype)) for value, datatype in TYPED]
    for obj in objects:
        found.add(ox.Quad(subject, predicate, obj))
    return found


def both_readings(store, text):
    cells = [tuple(map(from_oxigraph, row)) for row in store.query(text)]
    found = store.query(text)
    tsv = rows_from_tsv(found.serialize(format=ox.QueryResultsFormat.TSV), len(found.variables))
    return [tuple(map(written, row)) for row in cells], [tuple(map(written, row)) for row in tsv]


@pytest.mark.parametrize("text", [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "SELECT ?o ?missing WHERE { ?s ?p ?o OPTIONAL { ?o ?p ?missing } }",  # an unbound last cell
    "SELECT ?missing WHERE { ?s ?p ?o OPTIONAL { ?o ?p ?missing } }",  # rows that are one unbound cell
    "SELECT (COUNT(*) AS ?n) (AVG(1.5) AS ?mean) (STRLEN('x') > 0 AS ?yes) WHERE { ?s ?p ?o }",
])
def test_the_tsv_reading_gives_the_terms_cell_by_cell_reading_gives(store, text):
    cells, tsv = both_readings(store, text)
    assert tsv == cells and cells


def test_no_columns_and_no_rows_read_as_such(store):
    assert both_readings(store, "SELECT * WHERE { }") == ([()], [()])
    assert both_readings(store, "SELECT ?o WHERE { ?s ?p ?o FILTER (false) }") == ([], [])


def test_every_ascii_character_survives_the_round_trip(store):
    cells, tsv = both_readings(store, "SELECT ?o WHERE { ?s ?p ?o FILTER (STRSTARTS(STR(?o), 'a')) }")
    assert {row[0][1] for row in tsv} >= {f"a{chr(code)}b" for code in range(128)}
    assert tsv == cells


def test_a_querys_own_literals_read_as_oxigraph_evaluates_them(store):
    # The writer writes "1"^^xsd:boolean as true; Oxigraph has made it true before then, as the cells show.
    constants = ['"1"^^xsd:boolean', '"0"^^xsd:boolean', '"042"^^xsd:integer', '"1.50"^^xsd:decimal', "1.0",
                 '"1e3"^^xsd:double', '"x"@EN-gb', 'STRDT("1", xsd:boolean)']
    for constant in constants:
        text = f"PREFIX xsd: <{XSD}> SELECT ?b WHERE {{ BIND ({constant} AS ?b) }}"
        cells, tsv = both_readings(store, text)
        assert tsv == cells, constant
    assert both_readings(store, f'SELECT ?b WHERE {{ BIND ("1"^^<{XSD}boolean> AS ?b) }}')[1] == [
        (written(Literal("true", datatype=URIRef(XSD + "boolean"))),)]


def test_a_token_the_reader_does_not_know_is_an_error_not_a_wrong_term():
    with pytest.raises(ValueError, match="unexpected term"):
        term_from_tsv("<<<http://a> <http://b> <http://c>>>")
    with pytest.raises(ValueError, match="unexpected term"):
        term_from_tsv("maybe")


def test_ctrl_c_stops_a_long_query_while_oxigraph_still_writes_its_answer():
    # The answer is written a chunk at a time through Python, so the signal is seen; one native call would hold it
    # until the end of an answer that here never ends.
    script = """
import os, signal, threading, time
import kg
dataset = kg.load()
threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT)).start()
start = time.perf_counter()
try:
    kg.run_query(dataset, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
except KeyboardInterrupt:
    print(f"stopped after {time.perf_counter() - start:.1f} s")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("stopped after ")
    assert float(done.stdout.split()[2]) < 10
