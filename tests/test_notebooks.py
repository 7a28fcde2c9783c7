"""The notebooks: each runs top to bottom in a fresh kernel, uses only the public API, and ships with its outputs."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_at_least_four_notebooks():
    assert [p.stem for p in NOTEBOOKS][:4] == ["01-tour", "02-sparql-cookbook", "03-network", "04-history"]


def outputs(book) -> list:
    """What a notebook shows: each code cell's outputs (execution counts and timings aside), consecutive prints to
    one stream joined (the kernel splits them into messages as timing has it)."""
    shown = []
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        kept: list[dict] = []
        for output in cell.outputs:
            output = {k: v for k, v in output.items() if k != "execution_count"}
            if output["output_type"] == "stream" and kept and kept[-1]["output_type"] == "stream" \
                    and kept[-1]["name"] == output["name"]:
                kept[-1] = {**kept[-1], "text": kept[-1]["text"] + output["text"]}
            else:
                kept.append(output)
        shown.append(kept)
    return shown


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_notebook_runs_in_a_fresh_kernel_and_shows_what_it_was_saved_with(path, tmp_path, monkeypatch):
    saved = nbformat.read(path, as_version=4)
    book = nbformat.read(path, as_version=4)
    # A fresh kernel with another hash seed than the one it was saved from: the outputs may not depend on it.
    monkeypatch.setenv("PYTHONHASHSEED", "4242")
    # Run from an empty folder: a notebook may not depend on the working directory or on files beside it.
    NotebookClient(book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for cell in book.cells if cell.cell_type == "code" for o in cell.outputs if o.output_type == "error"]
    assert errors == []
    assert list(tmp_path.iterdir()) == []  # and leaves nothing behind
    assert outputs(book) == outputs(saved), "re-run the notebook (the data or the code changed) and save it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_notebook_is_saved_with_its_outputs_and_is_small(path):
    book = nbformat.read(path, as_version=4)
    code = [cell for cell in book.cells if cell.cell_type == "code"]
    assert code and all(cell.execution_count for cell in code), "re-run the notebook and save it with outputs"
    assert sum(1 for cell in code if cell.outputs) >= len(code) // 2
    assert path.stat().st_size < 3_000_000
    first = book.cells[0]
    assert first.cell_type == "markdown" and "jupyter lab notebooks/" in first.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_notebook_uses_the_public_api_and_no_absolute_paths(path):
    source = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code")
    assert re.findall(r"^\s*(?:from kg\.|import kg\.)|\bkg\._", source, re.M) == []
    assert not re.search(r"['\"](/(?:home|work|tmp|Users)/|[A-Z]:\\\\)", source)
    assert "http://" not in source.replace("http://www.w3.org", "") and "https://" not in re.sub(
        r"https://(schema\.org|w3id\.org/fam-kg)/", "", source)
