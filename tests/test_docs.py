"""The documentation site builds with warnings as errors, and its generated pages hold everything they document:
every command and option, every named query with its SPARQL, every name ``import kg`` gives."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg.query import query_catalogue

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)], cwd=ROOT,
                           capture_output=True, text=True, env=env, timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    return out


def page(site: Path, name: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", (site / name / "index.html").read_text(encoding="utf-8")))


def test_the_query_catalogue_holds_every_named_query_with_its_text(site):
    catalogue = (site / "queries" / "index.html").read_text(encoding="utf-8")
    text = page(site, "queries")
    for name, query in query_catalogue().items():
        assert f'id="{name}"' in catalogue, name
        assert f"kg query {name}" in text, name
        first_pattern = next(line for line in query.text.splitlines() if line.startswith("SELECT")
                             or line.startswith("CONSTRUCT") or line.startswith("ASK"))
        assert first_pattern.strip() in text, name


def test_the_command_reference_holds_every_command_and_option(site):
    from kg.cli import app

    text = page(site, "cli-reference")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")
        assert f"kg {name}" in text, name
    for option in ("--data-dir", "--watched", "--as-of", "--max-rows", "--version", "--endpoint"):
        assert option in text, option


def test_the_api_reference_documents_every_export_from_its_docstring(site):
    text = page(site, "api")
    for name in kg.__all__:
        assert f"{kg._EXPORTS[name]}.{name}" in text, name
    assert "Load the graph" in text  # kg.load's docstring


def test_every_page_of_the_manual_is_built_and_the_pictures_travel(site):
    for name in ("cli", "spoilers", "python", "stores", "notebooks", "page", "graph", "model", "adding-a-fact",
                 "speed", "benchmarks", "layout", "licence"):
        assert (site / name / "index.html").exists(), name
    for picture in (ROOT / "docs").glob("*.png"):
        assert (site / picture.name).read_bytes() == picture.read_bytes()
