"""Same data, same command, same bytes: on every run (each in a fresh process with its own hash seed) and store.

(The notebooks' saved outputs are held to the same rule in test_notebooks.py.)
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef

from kg.ordering import canonical, list_part_key, order_keys, term_key, without_final_order
from kg.query import query_catalogue

ALL_QUERIES = """
import sys, kg
from tests.conftest import example_params
dataset = kg.load(store=sys.argv[1])
for name, query in kg.query_catalogue().items():
    sys.stdout.write(f"## {name}\\n" + kg.run_query(dataset, query, example_params(query)).serialize("csv"))
"""
BUILD = "import sys, kg; kg.build(out_dir=sys.argv[1], store=sys.argv[2])"
ROOT = Path(__file__).resolve().parent.parent


def run(code: str, seed: int, *args: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, check=True, env=env,
                          cwd=ROOT).stdout


def test_every_named_query_gives_the_same_bytes_on_every_run_and_on_both_stores():
    # Two processes, two hash seeds, two stores: rdflib's order follows the seed, Oxigraph's its own indexes, so
    # equal bytes mean neither leaks into the answer (a third run, same store and another seed, adds a minute).
    first = run(ALL_QUERIES, 1, "memory")
    assert first.count(b"## ") == len(query_catalogue()) and len(first) > 50_000
    assert run(ALL_QUERIES, 2, "oxigraph") == first


def test_the_build_gives_the_same_bytes_on_every_run_and_from_either_store(tmp_path):
    run(BUILD, 1, str(tmp_path / "a"), "memory")
    run(BUILD, 2, str(tmp_path / "b"), "oxigraph")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == ["fam-kg.jsonld", "fam-kg.nq", "fam-kg.trig", "fam-kg.void.ttl", "graph.html"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.parametrize("name", sorted(query_catalogue()))
def test_every_named_query_orders_by_keys_the_canonical_order_can_read(name):
    # A key that kg.ordering cannot evaluate would leave ties in the engine's order.
    query = query_catalogue()[name]
    keys = order_keys(query.text)
    assert keys is not None and keys, "ORDER BY variables (ASC/DESC, STR(), !BOUND()) only"


def test_concatenated_sources_sort_by_date_then_name():
    cites = ["TVLine, 2026-01-21", "Collider, 2024-07-10", "For All Mankind Wiki (Fandom), retrieved 2026-12-01",
             "BroadwayWorld, 2026-02-26", "macerkopf.de, 2026-02-26", "unnamed (the 2025 preview article), 2025"]
    assert sorted(cites, key=list_part_key) == [
        "Collider, 2024-07-10", "unnamed (the 2025 preview article), 2025", "TVLine, 2026-01-21",
        "BroadwayWorld, 2026-02-26", "macerkopf.de, 2026-02-26", "For All Mankind Wiki (Fandom), retrieved 2026-12-01"]
    assert sorted(["10", "2", "1"], key=list_part_key) == ["1", "2", "10"]


def test_order_keys_reads_the_outer_order_by_only():
    assert order_keys("SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?c LIMIT 3 } }") == []
    keys = order_keys("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY DESC(STR(?b)) ?a LIMIT 5")
    assert [(k.variable, k.descending, k.as_string) for k in keys] == [("b", True, True), ("a", False, False)]
    assert order_keys("SELECT ?a WHERE { ?a ?p ?b } ORDER BY STRLEN(?a)") is None


def test_the_final_order_by_is_left_out_only_where_the_canonical_order_replaces_it():
    text = "# a comment\nSELECT ?a ?b WHERE {\n  ?a ?p ?b\n}\n# ranked\nORDER BY DESC(?b) ?a\n"
    unordered = without_final_order(text)
    assert "ORDER" not in unordered and unordered.startswith("\nSELECT ?a ?b WHERE {")
    assert unordered.count("\n") == text.count("\n") - 1  # comment lines kept as blank lines: error lines stay put
    assert without_final_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a LIMIT 5") is None  # the order picks rows
    assert without_final_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a OFFSET 5") is None
    assert without_final_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY STRLEN(?a)") is None  # not read by canonical
    assert without_final_order("SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a } }") is None


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_an_order_by_a_variable_not_projected_keeps_the_engines_order(store):
    # canonical() cannot rank by a variable the answer lacks, so the engine is asked again with the ORDER BY.
    import kg
    dataset = kg.load(store=store)
    text = """PREFIX schema: <https://schema.org/>
SELECT ?episode WHERE { ?episode schema:episodeNumber ?number } ORDER BY DESC(?number) DESC(STR(?episode))"""
    numbers = dict(kg.run_query(dataset, text.replace("SELECT ?episode", "SELECT ?episode ?number")).rows)
    rows = [episode for (episode,) in kg.run_query(dataset, text).rows]
    assert len(rows) == len(numbers) > 10
    assert rows == sorted(rows, key=lambda e: (int(numbers[e]), str(e)), reverse=True)


def test_canonical_order_ranks_by_the_order_by_keys_and_breaks_ties_on_all_cells():
    # The order canonical() promises, spelled out the slow way: all cells, then (stably) each key, last first.
    rng = random.Random(7)
    pool = [None, URIRef("https://example.org/a"), URIRef("https://example.org/b"), BNode("n1"), Literal("x"),
            Literal("x", lang="en"), Literal("y"), Literal(2), Literal(10), Literal("10")]
    rows = [tuple(rng.choice(pool) for _ in range(3)) for _ in range(400)]
    text = "SELECT ?a ?b ?c WHERE { ?a ?b ?c } ORDER BY DESC(?a) STR(?b) (!BOUND(?c))"
    expected = sorted(rows, key=lambda row: tuple(term_key(cell) for cell in row))
    expected.sort(key=lambda row: row[2] is None)
    expected.sort(key=lambda row: "" if row[1] is None else str(row[1]))
    expected.sort(key=lambda row: term_key(row[0]), reverse=True)
    assert canonical(text, ["a", "b", "c"], rows) == expected
    assert canonical("SELECT * WHERE { ?a ?b ?c }", ["a", "b", "c"], rows) == sorted(
        rows, key=lambda row: tuple(term_key(cell) for cell in row))
