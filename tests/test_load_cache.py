"""The load cache (kg.compiled): a load of unchanged files comes from it, whole and equal; any change is read anew."""

from __future__ import annotations

import pytest

import kg
from kg import compiled
from kg.datafolder import data_files
from kg.store import KGDataset


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    return folder


def quads(dataset):
    return sorted(dataset.quads((None, None, None, None)), key=lambda quad: tuple(t.n3() for t in quad))


def no_parsing(monkeypatch):
    def refuse(self, path, on_bytes=None):
        raise AssertionError(f"{path} was parsed; the cache should have answered")

    monkeypatch.setattr(KGDataset, "add_file", refuse)


def test_a_second_load_of_the_same_files_comes_from_the_cache_and_is_the_same(cache, tiny_dir, monkeypatch):
    parsed = kg.load(tiny_dir)
    assert len(list(cache.glob("load-*.nq"))) == 1
    no_parsing(monkeypatch)
    cached = kg.load(tiny_dir)
    assert quads(cached) == quads(parsed)
    assert len(cached) == len(parsed)
    assert cached.files == parsed.files
    graphs = {str(g) for *_, g in quads(parsed)}
    assert all(cached.files_of_graph(g) == parsed.files_of_graph(g) for g in graphs)
    answer = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert kg.run_query(cached, answer).rows == kg.run_query(parsed, answer).rows


def test_the_shipped_graph_from_the_cache_gives_the_same_answers(cache, graph):
    cached = kg.load()  # the session's graph was loaded before this test's cache folder existed; now it is written
    again = kg.load()
    assert quads(again) == quads(cached) == quads(graph)


def test_a_changed_added_or_removed_file_is_read_again(cache, tiny_dir, tiny_plus):
    before = len(kg.load(tiny_dir))
    tiny_plus("extra.trig", 'graph:extra { person:someone a schema:Person ; rdfs:label "Someone"@en . }\n')
    added = kg.load(tiny_dir)
    assert len(added) == before + 2
    (tiny_dir / "extra.trig").write_text((tiny_dir / "extra.trig").read_text().replace("Someone", "Someone else"))
    changed = kg.load(tiny_dir)
    assert "Someone else" in {str(o) for o in changed.objects()}
    (tiny_dir / "extra.trig").unlink()
    assert len(kg.load(tiny_dir)) == before


def test_a_broken_file_is_reported_even_after_a_good_load(cache, tiny_dir, tiny_with):
    kg.load(tiny_dir)
    tiny_with("bad_syntax.trig")
    with pytest.raises(kg.errors.DataFileError, match="bad_syntax.trig"):
        kg.load(tiny_dir)


def test_a_damaged_cache_is_ignored_and_written_again(cache, tiny_dir, monkeypatch):
    parsed = kg.load(tiny_dir)
    slot = next(cache.glob("load-*.nq"))
    header = slot.read_bytes().split(b"\n", 1)[0]
    slot.write_bytes(header + b"\n<broken\n")
    assert quads(kg.load(tiny_dir)) == quads(parsed)
    no_parsing(monkeypatch)
    assert quads(kg.load(tiny_dir)) == quads(parsed)


@pytest.mark.parametrize("setting", ["off", ""])
def test_the_cache_can_be_turned_off(tmp_path, monkeypatch, tiny_dir, setting):
    monkeypatch.setenv("KG_CACHE_DIR", setting)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    kg.load(tiny_dir)
    assert compiled.cache_dir() is None
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_without_a_setting_the_cache_is_in_the_users_cache_folder(tmp_path, monkeypatch, tiny_dir):
    monkeypatch.delenv("KG_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    kg.load(tiny_dir)
    assert len(list((tmp_path / "xdg" / "fam-kg").glob("load-*.nq"))) == 1


def test_a_load_over_the_limit_is_not_cached(cache, tiny_dir, monkeypatch):
    monkeypatch.setattr(compiled, "CACHE_LIMIT", sum(p.stat().st_size for p in data_files(tiny_dir)) - 1)
    kg.load(tiny_dir)
    assert not cache.exists() or not list(cache.glob("load-*.nq"))


def test_an_unwritable_cache_folder_only_costs_time(tmp_path, monkeypatch, tiny_dir):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker))
    assert len(kg.load(tiny_dir)) == len(kg.load(tiny_dir, store="memory"))


def test_rdflibs_store_and_an_on_disk_store_do_not_use_it(cache, tiny_dir, tmp_path):
    kg.load(tiny_dir, store="memory")
    kg.load(tiny_dir, store_path=tmp_path / "store")
    assert not cache.exists()
