"""What kg remembers in its cache folder (kg.compiled) besides loads: a validation that passed, and the last
builds. Unchanged inputs are not checked or rendered again; anything that could change the answer is."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pyshacl
import pytest

import kg
import kg.datafolder
import kg.dumps
import kg.parsing
import kg.page
from kg import compiled
from kg.builder import build
from kg.errors import ValidationFailed
from tests.conftest import FIXTURES


@pytest.fixture
def calls(tmp_path, monkeypatch):
    """How many times pySHACL ran, with a fresh cache folder."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    counted = []
    real = pyshacl.validate

    def counting(*args, **kwargs):
        counted.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pyshacl, "validate", counting)
    return counted


def test_a_pass_is_remembered_for_the_same_quads_and_shapes(calls, tiny_dir):
    assert kg.validate(kg.load(tiny_dir)).conforms
    assert kg.validate(kg.load(tiny_dir)).conforms
    assert len(calls) == 1


def test_changed_data_is_checked_again_and_its_violation_reported(calls, tiny_dir):
    assert kg.validate(kg.load(tiny_dir)).conforms
    shutil.copy(FIXTURES / "invalid" / "missing_label.trig", tiny_dir)
    report = kg.validate(kg.load(tiny_dir))
    assert not report.conforms and report.violations
    assert len(calls) == 2


def test_violations_are_never_remembered(calls, tiny_dir):
    shutil.copy(FIXTURES / "invalid" / "missing_label.trig", tiny_dir)
    first = kg.validate(kg.load(tiny_dir))
    second = kg.validate(kg.load(tiny_dir))
    assert first.violations == second.violations and first.violations
    assert len(calls) == 2


def test_changed_shapes_are_checked_again(calls, tiny_dir, tmp_path):
    dataset = kg.load(tiny_dir)
    assert kg.validate(dataset).conforms
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(kg.datafolder.shapes_path().read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert kg.validate(dataset, shapes).conforms
    assert len(calls) == 2


def test_a_subset_of_a_graph_that_passed_is_checked_again(calls, graph):
    kg.validate(graph)
    before = len(calls)
    kg.validate(kg.load(as_of="2025-06-01"))
    assert len(calls) == before + 1


@pytest.mark.parametrize("how", ["memory store", "cache off"])
def test_nothing_is_remembered_on_rdflibs_store_or_with_the_cache_off(calls, tiny_dir, monkeypatch, how):
    store = "memory" if how == "memory store" else "oxigraph"
    if how == "cache off":
        monkeypatch.setenv("KG_CACHE_DIR", "off")
    kg.validate(kg.load(tiny_dir, store=store))
    kg.validate(kg.load(tiny_dir, store=store))
    assert len(calls) == 2


def contents(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture
def no_rendering(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("rendered again; the cached build should have been copied")

    def set_up():
        monkeypatch.setattr(kg.dumps, "export", refuse)
        monkeypatch.setattr(kg.page, "write_page", refuse)

    return set_up


def test_a_build_of_unchanged_data_is_copied_from_the_cache_byte_for_byte(calls, tiny_dir, tmp_path, no_rendering):
    first = build(tiny_dir, tmp_path / "one")
    no_rendering()
    second = build(tiny_dir, tmp_path / "two")
    assert contents(tmp_path / "one") == contents(tmp_path / "two")
    assert [p.name for p in first.files] == [p.name for p in second.files]
    assert second.stats == first.stats
    assert len(calls) == 1  # validated once


def test_changed_data_or_code_is_built_again(calls, tiny_dir, tiny_plus, tmp_path, monkeypatch):
    build(tiny_dir, tmp_path / "one")
    tiny_plus("extra.trig", 'graph:entities { person:someone a schema:Person ; rdfs:label "Someone Else"@en . }\n')
    build(tiny_dir, tmp_path / "two")
    assert b"Someone Else" in (tmp_path / "two" / "fam-kg.nq").read_bytes()
    monkeypatch.setattr(compiled, "code_digest", lambda: "another version of kg")
    rendered = []
    real_export = kg.dumps.export
    monkeypatch.setattr(kg.dumps, "export", lambda *a: rendered.append(1) or real_export(*a))
    build(tiny_dir, tmp_path / "three")
    assert rendered == [1]
    assert contents(tmp_path / "two") == contents(tmp_path / "three")


def test_data_that_does_not_conform_is_never_built_from_the_cache(calls, tiny_dir, tmp_path):
    build(tiny_dir, tmp_path / "one")
    shutil.copy(FIXTURES / "invalid" / "missing_label.trig", tiny_dir)
    with pytest.raises(ValidationFailed):
        build(tiny_dir, tmp_path / "two")
    assert not (tmp_path / "two").exists()


def test_only_the_last_builds_are_kept(calls, tiny_dir, tiny_plus, tmp_path):
    for number in range(compiled.KEPT_BUILDS + 2):
        tiny_plus("extra.trig", f'graph:entities {{ person:p{number} a schema:Person ; rdfs:label "P {number}"@en . }}\n')
        build(tiny_dir, tmp_path / "out")
    kept = [path for path in (tmp_path / "cache").glob("build-*")]
    assert len(kept) == compiled.KEPT_BUILDS


# ── kg's own code, remembered by the status of its files ───────────────────


def test_the_code_digest_is_remembered_and_read_back_without_importlib_metadata(tmp_path):
    code = ("import sys; from kg import compiled; print(compiled.code_digest()); "
            "print('importlib.metadata' in sys.modules)")
    cache, elsewhere = tmp_path / "cache", tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, KG_CACHE_DIR=str(cache))
    first, second = (subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                    env=env, cwd=elsewhere).stdout.split() for _ in range(2))
    assert first[0] == second[0] and len(first[0]) == 40
    assert (first[1], second[1]) == ("True", "False")  # worked out the first time, read back the second
    assert list(json.loads((cache / compiled.CODE_DIGESTS).read_text()).values()) == [first[0]]


def test_a_remembered_digest_counts_only_for_the_status_it_was_worked_out_for(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    compiled.code_digest.cache_clear()
    real = compiled.code_digest()
    remembered = tmp_path / compiled.CODE_DIGESTS
    status = next(iter(json.loads(remembered.read_text())))
    remembered.write_text(f'{{"{status}": "what was remembered"}}')
    compiled.code_digest.cache_clear()
    assert compiled.code_digest() == "what was remembered"
    remembered.write_text('{"the status of other files": "what was remembered"}')
    compiled.code_digest.cache_clear()
    assert compiled.code_digest() == real
    compiled.code_digest.cache_clear()


def test_the_status_changes_when_a_file_is_rewritten_or_a_folder_gains_an_entry(tmp_path):
    source, folder = tmp_path / "module.py", tmp_path / "site-packages"
    source.write_text("x = 1\n")
    folder.mkdir()
    before = compiled._status_digest([source, folder])
    assert compiled._status_digest([source, folder]) == before
    source.write_text("x = 22\n")
    rewritten = compiled._status_digest([source, folder])
    (folder / "rdflib-9.0.0.dist-info").mkdir()  # what installing or upgrading a package does to its folder
    assert len({before, rewritten, compiled._status_digest([source, folder])}) == 3
