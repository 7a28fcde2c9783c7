"""The console script's quick path (kg.quick): the same output as the full CLI, or no answer at all."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import kg
from kg.quick import answer
from tests.conftest import example_params

HEAVY = ("typer", "click", "pydantic", "oxrdflib", "rdflib.plugins.sparql", "pyshacl", "networkx")


@pytest.fixture
def quick(capsys, monkeypatch):
    """Run the quick path in-process at the width run_kg uses; returns (answered, stdout)."""
    monkeypatch.setenv("COLUMNS", "250")
    kg.load()  # so that the cache holds the shipped graph

    def run(*argv: str):
        capsys.readouterr()
        answered = answer(list(argv))
        return answered, capsys.readouterr().out

    return run


def argv_of(name: str, fmt: str) -> list[str]:
    params = [f"--param={key}={value}" for key, value in example_params(kg.named_query(name)).items()]
    return ["query", name, "-f", fmt, *params]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_every_named_query_prints_what_the_full_cli_prints(quick, run_kg, fmt):
    for name in kg.query_catalogue():
        argv = argv_of(name, fmt)
        answered, printed = quick(*argv)
        assert answered == 0, name
        full = run_kg(*argv)
        assert full.exit_code == 0
        assert printed.encode() == full.stdout_bytes, name


@pytest.mark.parametrize("argv", [
    ["describe", "Rhys Ifans"], ["describe", "ed baldwin"], ["describe", "show/star-city", "-f", "csv"],
    ["describe", "Star City", "--format=json"], ["sources"], ["sources", "-f", "tsv"], ["sources", "--format", "json"],
    ["path", "Rhys Ifans", "For All Mankind"], ["path", "Rhys Ifans", "Neil Armstrong"],
    ["path", "Rhys Ifans", "rhys ifans"],
])
def test_describe_path_and_sources_print_what_the_full_cli_prints(quick, run_kg, argv):
    answered, printed = quick(*argv)
    assert answered == 0
    full = run_kg(*argv)
    assert full.exit_code == 0
    assert printed.encode() == full.stdout_bytes
    assert printed.strip()


def test_a_parameter_given_by_label_slug_or_iri_is_bound_as_the_full_cli_binds_it(quick, run_kg):
    for show in ("For All Mankind", "show/for-all-mankind", "<https://w3id.org/fam-kg/show/for-all-mankind>"):
        answered, printed = quick("query", "cast", "-p", f"show={show}")
        assert answered == 0
        assert printed == run_kg("query", "cast", "-p", f"show={show}").stdout
        assert "Joel Kinnaman" in printed


@pytest.mark.parametrize(
    "argv",
    [
        ["stats"],
        ["query", "cast", "--as-of", "2025-06-01"],
        ["query", "cast", "--watched", "S1E1"],
        ["query", "-"],
        ["query", "cast", "extra"],
        ["query", "cast", "--endpoint", "http://127.0.0.1:9/sparql"],
        ["query", "cast", "-p", "show"],
        ["query", "cast", "-p", "show=Nobody At All"],  # an error to report: the full CLI reports it
        ["query", "cast", "-p", "colour=blue"],
        ["query", "no-such-query"],
        ["query", "cast", "-f", "xml"],
        ["query", "cast", "-f"],
        ["query", "--help"],
        ["describe"],
        ["describe", "No Such Entity"],
        ["describe", "Rhys Ifans", "--as-of", "2025-06-01"],
        ["describe", "Rhys Ifans", "-p", "x=y"],
        ["sources", "extra"],
        ["path", "Rhys Ifans"],
        ["path", "Rhys Ifans", "For All Mankind", "--all"],
        ["path", "Nobody At All", "For All Mankind"],
        ["path", "Rhys Ifans", "For All Mankind", "-f", "csv"],
        ["sources", "-f", "xml"],
        ["--store", "memory", "query", "cast"],
    ],
)
def test_anything_else_is_left_to_the_full_cli(quick, argv):
    assert quick(*argv) == (None, "")


@pytest.mark.parametrize("variable, value", [("KG_STORE", "memory"), ("KG_DATA_DIR", "/nowhere"),
                                             ("KG_STORE_PATH", "/tmp/store")])
def test_an_environment_that_changes_the_graph_leaves_it_to_the_full_cli(quick, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    assert quick("query", "cast") == (None, "")


def console_script(*argv: str) -> subprocess.CompletedProcess:
    code = "import sys; sys.argv[0] = 'kg'; from kg.quick import main; main()"
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=os.environ)


@pytest.mark.parametrize("cache", ["warm", "off"])
def test_the_console_script_answers_without_typer_or_rdflibs_sparql_engine(cache, monkeypatch):
    kg.load()
    if cache == "off":
        monkeypatch.setenv("KG_CACHE_DIR", "off")
    code = (
        "import sys; from kg.quick import answer; answered = answer(['query', 'cast']); "
        f"print(answered, sorted(m for m in sys.modules if m.startswith({HEAVY!r})), file=sys.stderr)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True)
    assert shown.stderr.strip() == "0 []"
    assert "Rhys Ifans" in shown.stdout


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_sources_from_the_load_cache_print_what_rdflibs_store_gives(quick, run_kg, fmt):
    answered, printed = quick("sources", "-f", fmt)
    assert answered == 0
    read_by_rdflib = run_kg("--store", "memory", "sources", "-f", fmt)  # the sources graph read through rdflib's API
    assert read_by_rdflib.exit_code == 0
    assert printed.encode() == read_by_rdflib.stdout_bytes


@pytest.mark.parametrize("cache", ["warm", "off"])
def test_sources_from_the_load_cache_import_no_rdflib(cache, monkeypatch):
    kg.load()
    if cache == "off":
        monkeypatch.setenv("KG_CACHE_DIR", "off")
    code = (
        "import sys; from kg.quick import answer; answered = answer(['sources']); "
        "print(answered, 'rdflib' in sys.modules, file=sys.stderr)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True)
    assert shown.stderr.strip() == ("0 False" if cache == "warm" else "0 True")  # no cache: loaded as always
    assert "source/deseret-news-1993-06-14" in shown.stdout


def test_the_console_script_hands_the_rest_to_the_full_cli_with_its_errors_and_exit_codes():
    unknown = console_script("query", "no-such-query")
    assert unknown.returncode == 2
    assert "no query named 'no-such-query'" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    assert console_script("--help").returncode == 0
