"""Bad input and rough edges: each one a user hit, each now a clear message (or a whole answer), never a traceback."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from rdflib import Literal, URIRef

import kg
from kg.cli import VIEW_KINDS
from kg.errors import KgError, UnknownEntityError, UsageError
from kg.network import KIND_NAMES
from kg.serve import create_app
from kg.vocab import FAM, SOURCES_GRAPH
from tests.test_serve import served

ROOT = Path(__file__).resolve().parent.parent
NAME = URIRef("https://schema.org/name")
DEEP = ("PREFIX schema: <https://schema.org/> SELECT (COUNT(?c) AS ?n) "
        "WHERE { <https://w3id.org/fam-kg/place/c0> schema:containedInPlace+ ?c }")


def kg_piped(*args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    """The console script in a fresh process, its output piped (not a terminal), as a user's `kg … > file`."""
    environment = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | env
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, input=stdin,
                          env=environment, cwd=ROOT)


@pytest.fixture(scope="module")
def chain(tmp_path_factory) -> Path:
    """A chain of 3,000 places, each contained in the next."""
    path = tmp_path_factory.mktemp("chain") / "chain.nq"
    path.write_text("".join(
        f"<https://w3id.org/fam-kg/place/c{i}> <https://schema.org/containedInPlace> "
        f"<https://w3id.org/fam-kg/place/c{i + 1}> <https://w3id.org/fam-kg/graph/chain> .\n" for i in range(3000)))
    return path


# ── output that is whole, in the format asked for ──────────────────────────────────────────────────────────────

def test_a_piped_listing_is_printed_whole(graph):
    titles = {str(t) for t in graph.graph(SOURCES_GRAPH).objects(None, NAME)}
    shown = kg_piped("sources")
    assert shown.returncode == 0
    lines = shown.stdout.splitlines()
    assert all(any(title in line for line in lines) for title in titles)  # each on one line, not folded or cut


@pytest.mark.parametrize("command", [["sources"], ["conflicts"], ["queries"], ["stats"], ["describe", "Wernher von Braun"],
                                     ["stats", "--network", "--top", "3"]])
def test_every_listing_command_prints_csv_tsv_and_json(run_kg, command):
    as_csv = run_kg(*command, "--format", "csv")
    as_tsv = run_kg(*command, "--format", "tsv")
    as_json = run_kg(*command, "--format", "json")
    assert as_csv.exit_code == as_tsv.exit_code == as_json.exit_code == 0
    parsed = json.loads(as_json.stdout)
    tables = [parsed] if isinstance(parsed, list) else list(parsed.values())
    assert tables and all(isinstance(rows, list) and rows for rows in tables)
    first_header = next(csv.reader(io.StringIO(as_csv.stdout.split("# ", 1)[-1].split("\n", 1)[-1]
                                               if as_csv.stdout.startswith("# ") else as_csv.stdout)))
    assert first_header == list(tables[0][0])
    assert "\t".join(first_header) in as_tsv.stdout
    assert run_kg(*command, "--format", "xml").exit_code == 2


def test_coverage_prints_tsv_too(run_kg):
    shown = run_kg("coverage", "-f", "tsv")
    assert shown.exit_code == 0 and shown.stdout.splitlines()[0].split("\t")[:3] == ["show", "season", "expected"]


def test_describe_as_csv_cites_each_source_whole(run_kg):
    rows = list(csv.DictReader(io.StringIO(run_kg("describe", "Wernher von Braun", "-f", "csv").stdout)))
    deaths = {r["value"]: r for r in rows if r["relation"] == "death date"}
    assert deaths["1977-06-15"]["disputed"] == "yes"
    assert "Saint Louis Science Center, 2020-06-15" in deaths["1977-06-15"]["sources"]


def test_query_tables_have_human_headings_and_csv_keeps_the_variables(run_kg):
    table = run_kg("query", "conflicts")
    assert "value published" in table.stdout and "valuePublished" not in table.stdout
    assert "entityLabel" not in table.stdout.splitlines()[2]
    assert run_kg("query", "conflicts", "-f", "csv").stdout.splitlines()[0].split(",")[:2] == [
        "entityLabel", "property"]


def test_changes_list_a_claim_once_with_all_its_sources(run_kg):
    shown = run_kg("changes", "--since", "2026-01-21", "--until", "2026-01-21").stdout
    lines = [line.strip() for line in shown.splitlines() if line.startswith("  ")]
    claims = [line.rsplit("   [", 1)[0] for line in lines]
    assert len(claims) == len(set(zip(claims, range(len(claims)), strict=True)))
    assert any("; " in line.rsplit("   [", 1)[1] for line in lines)  # a claim two sources of that day state


def test_help_shows_no_type_for_a_flag_and_viz_lists_the_classes(run_kg):
    assert "<bool>" not in run_kg("stats", "--help").stdout
    assert VIEW_KINDS == tuple(k.replace(" ", "-") for k in KIND_NAMES)
    viz = " ".join(run_kg("viz", "--help").stdout.split())
    assert all(kind in viz for kind in VIEW_KINDS)


# ── mistakes, each one line and a non-zero exit ───────────────────────────────────────────────────────────────────

def test_an_ill_typed_literal_is_a_violation_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.trig"
    bad.write_text('<https://w3id.org/fam-kg/source/x> { <https://w3id.org/fam-kg/show/star-city> '
                   '<https://schema.org/startDate> "2025-13-45"^^<http://www.w3.org/2001/XMLSchema#date> . }\n')
    shown = kg_piped("--data", str(bad), "validate")
    assert shown.returncode == 1
    assert "Traceback" not in shown.stderr and "Failed to convert" not in shown.stderr
    assert "2025-13-45" in shown.stdout + shown.stderr


def test_a_deep_path_on_rdflib_names_the_oxigraph_store(run_kg, chain, tmp_path):
    query = tmp_path / "deep.rq"
    query.write_text(DEEP)
    on_rdflib = run_kg("--store", "memory", "--data", str(chain), "--skip-validation", "query", str(query))
    assert on_rdflib.exit_code == 2 and "--store oxigraph" in on_rdflib.stderr
    on_oxigraph = run_kg("--data", str(chain), "--skip-validation", "query", str(query), "-f", "csv")  # the default
    assert on_oxigraph.exit_code == 0 and on_oxigraph.stdout.splitlines()[1] == "3000"


def test_kg_serve_answers_a_deep_path_with_a_400_naming_the_oxigraph_store(chain):
    memory = kg.load(data=[chain], store="memory")
    with served(create_app(memory, timeout=20, max_rows=100, max_body=8192, workers=1)) as endpoint:
        answer = httpx.get(f"{endpoint.base}/sparql", params={"query": DEEP}, timeout=60)
    assert answer.status_code == 400 and "--store oxigraph" in answer.text


def test_validation_of_a_large_file_shows_progress_on_a_terminal():
    shown = kg_piped("validate", FORCE_COLOR="1", TERM="xterm")
    assert shown.returncode == 0 and "triples against the shapes" in shown.stderr


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["query", "-"], "", "the query is empty"),
    (["query", "-"], "# only a comment\n", "the query is empty"),
    (["--data", "/dev/null", "stats"], None, "not a regular file or folder"),
])
def test_mistakes_get_a_specific_message(run_kg, args, stdin, message):
    shown = run_kg(*args, input=stdin)
    assert shown.exit_code == 2 and message in shown.stderr


def test_a_path_from_an_entity_to_itself_says_so(run_kg):
    shown = run_kg("path", "Rhys Ifans", "rhys ifans")
    assert shown.exit_code == 0 and "the same entity" in shown.stdout


def test_a_misspelt_vocabulary_term_is_pointed_out(run_kg):
    shown = run_kg("query", "-", input="PREFIX famv: <https://w3id.org/fam-kg/vocab#>\n"
                                       "SELECT ?r WHERE { ?r famv:relationshipKnd ?k }")
    assert shown.exit_code == 0 and "famv:relationshipKnd is not a term" in shown.stderr
    assert "famv:relationshipKind" in shown.stderr
    assert "warning" not in run_kg("query", "relationships").stderr


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_an_unclosed_brace_is_reported_where_the_file_ends(run_kg, tmp_path, store):
    broken = tmp_path / "open.trig"
    broken.write_text('<https://w3id.org/fam-kg/graph/x> {\n  <https://w3id.org/fam-kg/show/a> '
                      '<https://schema.org/name> "A" .\n')
    shown = run_kg("--store", store, "--data", str(broken), "stats")
    assert shown.exit_code != 0 and f"{broken}:3:1" in shown.stderr and "Traceback" not in shown.stderr


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_a_byte_order_mark_is_read_past(tmp_path, store):
    marked = tmp_path / "bom.trig"
    marked.write_bytes(b'\xef\xbb\xbf<https://w3id.org/fam-kg/graph/x> { <https://w3id.org/fam-kg/show/a> '
                       b'<https://schema.org/name> "A" . }\n')
    dataset = kg.load(data=marked, store=store)
    assert (FAM["show/a"], NAME, Literal("A")) in dataset


# ── the Python API: KgError, never a bare Python or networkx error ───────────────────────────────────────────────

def test_the_python_api_takes_one_path_and_names_its_mistakes(graph):
    assert kg.load(data=str(ROOT / "data" / "people.trig")).files[-1].name == "people.trig"
    with pytest.raises(UsageError, match="a string"):
        kg.find_entity(graph, None)
    assert len(kg.as_of(graph, "2025-06-30")) < len(graph)
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        kg.as_of(graph, "June")
    network = kg.project(graph)
    with pytest.raises(UnknownEntityError, match="person/rhys-ifans"):
        kg.connections(network, "person/rhys-ifan", "show/star-city")
    assert issubclass(UnknownEntityError, KgError)
