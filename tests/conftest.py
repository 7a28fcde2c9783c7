"""Shared fixtures: the shipped graph (loaded once), fixture data folders, the CLI runner, the browser."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg
from tests.browsing import browser  # noqa: F401 - one Chromium for each module's browser tests

FIXTURES = Path(__file__).parent / "data"

# The load cache (kg.compiled) of this test run, in a folder of its own: the user's cache is left alone, and the
# run starts from no cache (so the first load parses the files, and later loads of the same files use the cache).
os.environ["KG_CACHE_DIR"] = tempfile.mkdtemp(prefix="kg-test-cache-")
atexit.register(shutil.rmtree, os.environ["KG_CACHE_DIR"], True)


@pytest.fixture(scope="session")
def graph():
    """The shipped dataset. Tests must not modify it."""
    return kg.load()


def example_params(query) -> dict[str, str]:
    """Parameters to run a named query with: its defaults, and a source for the queries that need one."""
    params = {p.name: p.default for p in query.params if p.default is None}
    if "source" in params:
        params["source"] = "source/popculture-2025-02-14"
    return params


@pytest.fixture(scope="session")
def answer(graph):
    """A named query's answer on the shipped graph (rdflib's store) with its example parameters, computed once a
    session: several test files check the same answers, and some queries take seconds on rdflib."""
    cache: dict[str, object] = {}

    def run(name: str):
        if name not in cache:
            query = kg.named_query(name)
            cache[name] = kg.run_query(graph, query, example_params(query))
        return cache[name]

    return run


@pytest.fixture
def tiny_dir(tmp_path) -> Path:
    """A copy of the tiny valid data folder, safe to add files to."""
    target = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "tiny", target)
    return target


@pytest.fixture
def tiny_with(tiny_dir):
    """The tiny folder plus one fixture file (from tests/data or tests/data/invalid)."""

    def add(name: str) -> Path:
        source = FIXTURES / name
        if not source.exists():
            source = FIXTURES / "invalid" / name
        shutil.copy(source, tiny_dir / source.name)
        return tiny_dir

    return add


PREFIXES = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix famv: <https://w3id.org/fam-kg/vocab#> .
@prefix graph: <https://w3id.org/fam-kg/graph/> .
@prefix src: <https://w3id.org/fam-kg/source/> .
@prefix show: <https://w3id.org/fam-kg/show/> .
@prefix person: <https://w3id.org/fam-kg/person/> .
@prefix event: <https://w3id.org/fam-kg/event/> .
"""


@pytest.fixture
def tiny_plus(tiny_dir):
    """The tiny folder plus a TriG file written from ``body`` (with the data files' prefixes)."""

    def add(name: str, body: str) -> Path:
        (tiny_dir / name).write_text(PREFIXES + body, encoding="utf-8")
        return tiny_dir

    return add


@pytest.fixture
def run_kg():
    """Run the ``kg`` CLI in-process; returns the result (exit_code, stdout, stderr)."""
    from kg.cli import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        # A wide terminal, so that table cells are not folded across lines.
        return runner.invoke(app, list(args), input=input, catch_exceptions=False, env={"COLUMNS": "250"})

    return invoke
