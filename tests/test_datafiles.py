"""The canonical layout of the data files (`kg format`)."""

from __future__ import annotations

import shutil

from rdflib.compare import isomorphic

from kg.datafiles import format_data
from kg.parsing import parse_file
from kg.shipped import default_data_dir


def test_shipped_data_files_are_in_the_canonical_layout():
    assert format_data(default_data_dir(), check=True) == []


def test_formatting_keeps_every_quad_and_is_stable(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(default_data_dir(), folder)
    messy = folder / "people.trig"
    text = messy.read_text(encoding="utf-8")
    messy.write_text(text.replace("\n\n", "\n").replace("    ", "  "), encoding="utf-8")  # same triples, other layout
    before = parse_file(messy)
    assert format_data(folder) == [messy]
    after = parse_file(messy)
    for name in {g.identifier for g in before.graphs()} | {g.identifier for g in after.graphs()}:
        assert isomorphic(before.graph(name), after.graph(name)), name
    assert format_data(folder, check=True) == []  # a second run changes nothing
    assert messy.read_text(encoding="utf-8") == text


def test_format_check_exits_1_and_names_the_file(run_kg, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(default_data_dir(), folder)
    (folder / "works.trig").write_text((folder / "works.trig").read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    result = run_kg("--data-dir", str(folder), "format", "--check")
    assert result.exit_code == 1
    assert "would reformat" in result.stdout and "works.trig" in result.stdout
