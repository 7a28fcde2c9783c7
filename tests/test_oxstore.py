"""kg.oxstore: rdflib's API over Oxigraph, the default graph the set union of the named graphs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rdflib import Literal, URIRef

import kg
from kg.oxstore import from_oxigraph, to_oxigraph

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def twice_said(tiny_plus):
    """A triple two sources state, in two named graphs."""
    body = "graph:one { person:someone a schema:Person . }\ngraph:two { person:someone a schema:Person . }\n"
    return kg.load(tiny_plus("twice.trig", body))


def test_a_triple_two_sources_state_counts_once_through_every_api(twice_said):
    memory = kg.load(twice_said.files[0].parent, store="memory")
    expected = len(memory)
    assert len(twice_said) == expected
    assert int(next(iter(twice_said.query(COUNT)))[0]) == expected  # rdflib's query API, answered by Oxigraph
    assert int(kg.run_query(twice_said, COUNT).rows[0][0]) == expected
    person = URIRef("https://w3id.org/fam-kg/person/someone")
    assert len(list(twice_said.triples((person, None, None)))) == 1
    assert {str(g) for *_, g in twice_said.quads((person, None, None, None))} == {
        "https://w3id.org/fam-kg/graph/one", "https://w3id.org/fam-kg/graph/two"}


def test_a_named_graph_keeps_its_own_triples(twice_said):
    one = twice_said.graph(URIRef("https://w3id.org/fam-kg/graph/one"))
    assert len(one) == 1
    assert int(next(iter(one.query(COUNT)))[0]) == 1


def test_rdflibs_query_api_gives_the_rows_rdflibs_store_gives():
    text = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX schema: <https://schema.org/>
SELECT ?s ?label ?date WHERE { ?s rdfs:label ?label OPTIONAL { ?s schema:datePublished ?date } }"""

    def rows(store):
        return sorted(tuple((type(cell).__name__, str(cell), getattr(cell, "language", None),
                             str(getattr(cell, "datatype", None))) if cell is not None else () for cell in row)
                      for row in kg.load(store=store).query(text))

    found = rows("oxigraph")
    assert found == rows("memory")
    assert any(row[2] == () for row in found) and any(row[2] and row[2][0] == "Literal" for row in found)


def test_the_datasets_are_built_not_edited(twice_said):
    triple = next(iter(twice_said.triples((None, None, None))))
    with pytest.raises(NotImplementedError, match="built, not edited"):
        twice_said.remove(triple)
    with pytest.raises(NotImplementedError, match="built, not edited"):
        twice_said.update("DELETE WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("term", [
    URIRef("https://w3id.org/fam-kg/show/star-city"),
    Literal("Star City", lang="en"),
    Literal("2026-07-24", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")),
    Literal("plain"),
    Literal(""),
    Literal("Звёздный городок", lang="ru"),
    Literal("colour", lang="en-GB"),
    Literal("1969", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
])
def test_terms_go_to_oxigraph_and_back_unchanged(term):
    there = to_oxigraph(term)
    back = from_oxigraph(there)
    assert back == term
    # built without rdflib's constructor (Oxigraph lowercases a language tag): still what the constructor makes
    made = URIRef(there.value) if isinstance(term, URIRef) else Literal(
        there.value, lang=there.language, datatype=None if there.language or term.datatype is None else term.datatype)
    assert type(back) is type(made) and hash(back) == hash(made) and back.n3() == made.n3()
    if isinstance(term, Literal):
        assert (back.value, back.language, back.datatype, back.ill_typed) == (
            made.value, made.language, made.datatype, made.ill_typed)
        assert back.eq(made) and not back.neq(made)


def test_loading_the_graph_does_not_import_rdflibs_sparql_engine():
    code = ("import sys, kg; g = kg.load(); len(g); list(g.triples((None, None, None)))[:1]; "
            "print(sorted(m for m in sys.modules if m.startswith(('rdflib.plugins.sparql', 'oxrdflib'))))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    assert shown.stdout.strip() == "[]"
