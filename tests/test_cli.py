"""The `kg` command: exit codes 0/1/2, readable messages, no tracebacks, no partial files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def test_validate_passes_on_shipped_data(run_kg):
    result = run_kg("validate")
    assert result.exit_code == 0
    assert "conform to the shapes" in result.stdout


def test_validate_prints_a_violation_table_and_exits_1(run_kg, tiny_with):
    folder = tiny_with("missing_label.trig")
    result = run_kg("--data-dir", str(folder), "validate")
    assert result.exit_code == 1
    assert "SHACL violations" in result.stderr
    assert "person/no-label" in result.stderr and "missing_label.trig" in result.stderr
    assert "Traceback" not in result.output


def test_build_writes_the_dataset_three_ways_the_page_its_description_and_a_summary(run_kg, tmp_path):
    out = tmp_path / "build"
    result = run_kg("build", "--out-dir", str(out))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["fam-kg.jsonld", "fam-kg.nq", "fam-kg.trig", "fam-kg.void.ttl", "graph.html"]
    assert "entities" in result.stdout and "sources" in result.stdout


@pytest.mark.parametrize("fixture", ["missing_label.trig", "bad_syntax.trig"])
def test_build_of_bad_data_exits_1_and_writes_nothing(run_kg, tiny_with, tmp_path, fixture):
    out = tmp_path / "build"
    result = run_kg("--data-dir", str(tiny_with(fixture)), "build", "--out-dir", str(out))
    assert result.exit_code == 1
    assert not out.exists() or list(out.iterdir()) == []


def test_build_into_an_unwritable_place_exits_2(run_kg, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_kg("build", "--out-dir", str(blocker / "build"))
    assert result.exit_code == 2
    assert "cannot create the output directory" in result.stderr


@pytest.mark.parametrize(
    "fixture, message",
    [
        ("bad_syntax.trig", "bad_syntax.trig:5:"),
        ("bad_unknown_prefix.ttl", 'bad_unknown_prefix.ttl:3:1: Prefix "shows:" not bound'),
        ("bad_not_utf8.ttl", "bad_not_utf8.ttl:2:50: not UTF-8"),
    ],
)
def test_broken_data_file_is_one_line_with_its_position(run_kg, tiny_with, fixture, message):
    result = run_kg("--data-dir", str(tiny_with(fixture)), "stats")
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_empty_data_dir_exits_1(run_kg, tmp_path):
    result = run_kg("--data-dir", str(tmp_path), "validate")
    assert result.exit_code == 1 and "no data files" in result.stderr


def test_stats_counts_classes_and_sources(run_kg):
    result = run_kg("stats")
    assert result.exit_code == 0
    assert "Entities by class" in result.stdout and "Claims by source" in result.stdout
    assert "popculture-2025-02-14" in result.stdout


def test_queries_lists_every_named_query(run_kg):
    from kg.query import query_catalogue

    result = run_kg("queries")
    assert result.exit_code == 0
    for name in query_catalogue():
        assert name in result.stdout


def test_query_by_name_with_a_parameter(run_kg):
    result = run_kg("query", "cast", "--param", "show=star city")
    assert result.exit_code == 0, result.output
    assert "Rhys Ifans" in result.stdout and "the Chief Designer" in result.stdout
    assert "person/rhys-ifans" not in result.stdout  # the IRI column gives way to its label on screen


def test_query_json_format_is_valid_sparql_results(run_kg):
    result = run_kg("query", "cast", "-f", "json")
    assert json.loads(result.stdout)["head"]["vars"][0] == "actor"


def test_query_from_stdin_and_from_a_file(run_kg, tmp_path):
    text = 'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nASK { ?s rdfs:label "Rhys Ifans"@en }'
    assert run_kg("query", "-", input=text).stdout.strip() == "true"
    path = tmp_path / "ask.rq"
    path.write_text(text, encoding="utf-8")
    assert run_kg("query", str(path)).stdout.strip() == "true"


@pytest.mark.parametrize(
    "args, message",
    [
        (["query", "no-such-query"], "no query named 'no-such-query'"),
        (["query", "claims-of-source"], "missing parameter 'source'"),
        (["query", "cast", "--param", "show"], "expected NAME=VALUE"),
        (["query", "cast", "--param", "show=Star Citty"], "did you mean: 'Star City'"),
        (["query", "cast", "--format", "xml"], "unknown format 'xml'"),
        (["query", "missing.rq"], "no such query file"),
        (["describe", "Rhys Ifanz"], "did you mean: 'Rhys Ifans'"),
    ],
)
def test_usage_errors_exit_2_with_a_message(run_kg, args, message):
    result = run_kg(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "text, message",
    [
        ("SELECT * WHERE {\n ?s ?p }", "stdin:2:"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "read-only"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", "SERVICE is refused"),
    ],
)
def test_bad_queries_exit_2(run_kg, text, message):
    result = run_kg("query", "-", input=text)
    assert result.exit_code == 2
    assert message in result.stderr


def test_describe_lists_facts_with_numbered_sources(run_kg):
    result = run_kg("describe", "rhys ifans")
    assert result.exit_code == 0, result.output
    assert "Rhys Ifans" in result.stdout
    assert "known for" in result.stdout and "House of the Dragon" in result.stdout
    assert "[1]" in result.stdout and "https://" in result.stdout


def test_markup_in_data_is_printed_as_text(run_kg, tiny_plus):
    folder = tiny_plus(
        "markup.trig",
        'graph:entities { person:odd a schema:Person ; rdfs:label "[bold red]Odd[/] <img src=x>"@en . }',
    )
    result = run_kg("--data-dir", str(folder), "describe", "person/odd")
    assert "[bold red]Odd[/] <img src=x>" in result.stdout


def test_console_script_help_is_fast_to_import():
    """`kg --help` must not import the heavy libraries."""
    code = "import sys, kg.cli; print(sorted(m for m in ('rdflib', 'pyshacl', 'pyvis', 'networkx') if m in sys.modules))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    assert shown.stdout.strip() == "[]"


def test_stats_and_queries_print_the_readme_tables_as_markdown(run_kg):
    from kg.query import query_catalogue

    stats = run_kg("stats", "--markdown").stdout
    assert stats.startswith("**") and "| class | entities |" in stats
    assert "| [popculture-2025-02-14](https://popculture.com/" in stats
    listing = run_kg("queries", "--markdown").stdout.splitlines()
    assert listing[0] == "| query | what it answers | parameters |"
    assert len(listing) == 2 + len(query_catalogue())
