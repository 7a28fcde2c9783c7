"""Kept answers (kg.kept_answers) and kept projections (kg.projection.project): what the second run of a command prints
is what the first printed, it is keyed by everything that decides those bytes, and it is never kept when the
command warned."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import kg
import kg.projection
from kg import kept_answers
from kg.quick import answer

CHECK_IMPORTS = ("import sys; from kg.quick import answer; code = answer(sys.argv[1:]); "
                 "print(code, 'rdflib' in sys.modules, file=sys.stderr)")


def run_quick(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHECK_IMPORTS, *argv], capture_output=True, text=True, env=env,
                          check=True)


def test_an_answer_asked_again_is_printed_again_without_loading_rdflib(tmp_path):
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")}
    for argv in (["sources"], ["path", "Rhys Ifans", "Neil Armstrong"], ["query", "cast", "-f", "csv"]):
        first = run_quick(*argv, env=env)
        again = run_quick(*argv, env=env)
        assert first.stderr.strip() == "0 True" and again.stderr.strip() == "0 False", argv
        assert again.stdout == first.stdout and first.stdout.strip()
        off = run_quick(*argv, env={**env, "KG_CACHE_DIR": "off"})
        assert off.stdout == first.stdout and off.stderr.strip() == "0 True"


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped data that answer_key reads instead."""
    import kg.shipped

    copy = tmp_path / "data"
    shutil.copytree(kg.shipped.default_data_dir(), copy)
    monkeypatch.setattr(kg.shipped, "default_data_dir", lambda: copy)
    return copy


def test_the_key_changes_with_the_data_the_command_and_the_terminal(data_copy, monkeypatch):
    key = kept_answers.answer_key(["sources"])
    assert key is not None and key == kept_answers.answer_key(["sources"])
    assert kept_answers.answer_key(["sources", "-f", "csv"]) != key
    monkeypatch.setenv("COLUMNS", "91")
    assert kept_answers.answer_key(["sources"]) != key
    monkeypatch.delenv("COLUMNS")
    (data_copy / "people.trig").write_bytes((data_copy / "people.trig").read_bytes() + b"\n")
    changed = kept_answers.answer_key(["sources"])
    assert changed is not None and changed != key
    (data_copy / "notes.trig").write_text("", encoding="utf-8")  # a file added counts too
    assert kept_answers.answer_key(["sources"]) not in (key, changed)
    monkeypatch.setenv("KG_CACHE_DIR", "off")
    assert kept_answers.answer_key(["sources"]) is None


def test_a_query_file_is_keyed_by_its_text_not_its_name(tmp_path, capsys):
    query = tmp_path / "mine.rq"
    query.write_text('SELECT ?x WHERE { BIND ("first" AS ?x) }', encoding="utf-8")
    assert answer(["query", str(query), "-f", "csv"]) == 0
    assert "first" in capsys.readouterr().out
    query.write_text('SELECT ?x WHERE { BIND ("second" AS ?x) }', encoding="utf-8")
    assert answer(["query", str(query), "-f", "csv"]) == 0
    assert "second" in capsys.readouterr().out


def test_an_answer_that_warned_is_not_kept_so_it_warns_every_time(tmp_path, capsys):
    query = tmp_path / "typo.rq"
    query.write_text("PREFIX famv: <https://w3id.org/fam-kg/vocab#>\nSELECT ?s WHERE { ?s famv:appearsInn ?o }",
                     encoding="utf-8")
    for _ in range(2):
        assert answer(["query", str(query), "-f", "csv"]) == 0
        assert "famv:appearsInn is not a term of the vocabulary" in capsys.readouterr().err


def test_the_whole_projection_is_kept_and_read_back_equal(monkeypatch):
    dataset = kg.load()
    first = kg.project(dataset)

    def not_again(*args):
        raise AssertionError("projected again although the same quads were projected before")

    monkeypatch.setattr(kg.projection, "_project", not_again)
    again = kg.project(dataset)
    assert again is not first
    assert nx.utils.graphs_equal(again, first) and again.graph == first.graph
    with pytest.raises(AssertionError, match="projected again"):
        kg.project(dataset, classes=["person"])  # a part of the graph is projected each time
