"""Loading data files: the embedded store, provenance bookkeeping, and errors with file:line:col."""

from __future__ import annotations

import os

import pytest
from rdflib import URIRef

import kg
from kg.errors import DataFileError, NoDataError, UsageError
from kg.vocab import ENTITIES_GRAPH, FAM, SOURCES_GRAPH, VOCAB_GRAPH


def test_load_returns_a_dataset_whose_default_graph_is_the_union(graph):
    star_city = FAM["show/star-city"]
    assert (star_city, None, None) in graph  # seen through the union default graph
    names = {URIRef(str(c.identifier)) for c in graph.graphs()}
    assert {ENTITIES_GRAPH, SOURCES_GRAPH, VOCAB_GRAPH} <= names
    assert FAM["source/popculture-2025-02-14"] in names


def test_turtle_files_go_into_a_graph_named_after_the_file(graph):
    assert len(graph.graph(VOCAB_GRAPH)) > 50
    assert len(graph.graph(SOURCES_GRAPH)) > 40


def test_shapes_are_not_loaded_as_data(graph):
    assert all(path.name != "shapes.ttl" for path in graph.files)


def test_triples_outside_any_graph_go_to_the_files_own_graph(tiny_with):
    dataset = kg.load(tiny_with("claim_outside_graph.trig"))
    own_graph = dataset.graph(FAM["graph/claim_outside_graph"])
    assert len(own_graph) == 1


def test_files_of_node_names_the_files_that_mention_it(graph):
    files = {p.name for p in graph.files_of_node(FAM["person/rhys-ifans"])}
    assert {"people.trig"} <= files


def test_malformed_turtle_names_file_line_and_column(tiny_with):
    with pytest.raises(DataFileError) as caught:
        kg.load(tiny_with("bad_syntax.trig"))
    error = caught.value
    assert error.path.name == "bad_syntax.trig"
    assert error.line == 5
    assert error.column is not None and error.column > 1
    assert str(error).startswith(f"{error.path}:5:")


def test_unknown_prefix_is_reported_with_its_name_and_line(tiny_with):
    with pytest.raises(DataFileError) as caught:
        kg.load(tiny_with("bad_unknown_prefix.ttl"))
    assert caught.value.line == 3
    assert 'Prefix "shows:" not bound' in str(caught.value)


def test_non_utf8_file_names_the_byte_and_its_position(tiny_with):
    with pytest.raises(DataFileError) as caught:
        kg.load(tiny_with("bad_not_utf8.ttl"))
    error = caught.value
    assert (error.line, error.column) == (2, 50)
    assert "not UTF-8" in str(error) and "0xb9" in str(error)


def test_empty_data_dir_is_a_data_error(tmp_path):
    with pytest.raises(NoDataError, match="no data files"):
        kg.load(tmp_path)


def test_no_extra_data_given_as_none_loads_the_data_dir_alone(tiny_dir):
    assert len(kg.load(tiny_dir, data=None)) == len(kg.load(tiny_dir)) > 0


def test_missing_data_dir_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no such data directory"):
        kg.load(tmp_path / "nowhere")


def test_export_writes_three_formats_that_round_trip(graph, tmp_path):
    from rdflib import Dataset

    written = kg.export(graph, tmp_path / "out")
    assert sorted(p.name for p in written) == ["fam-kg.jsonld", "fam-kg.nq", "fam-kg.trig"]
    for path, fmt in zip(sorted(written), ["json-ld", "nquads", "trig"], strict=True):
        reread = Dataset()
        reread.parse(path, format=fmt)
        assert len(reread) == len(graph), path.name
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]  # no temp files left
    mask = os.umask(0)
    os.umask(mask)
    assert all(p.stat().st_mode & 0o777 == 0o666 & ~mask for p in written)


def test_export_failure_leaves_no_partial_file(tmp_path, monkeypatch):
    graph = kg.load(store="memory")  # serialised as it is (an Oxigraph dataset is copied to memory first)
    out = tmp_path / "out"
    calls = []
    original = type(graph).serialize

    def serialize_then_fail(self, *args, **kwargs):
        calls.append(kwargs.get("format"))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(graph), "serialize", serialize_then_fail)
    with pytest.raises(UsageError, match="No space left"):
        kg.export(graph, out)
    assert list(out.iterdir()) == []



def test_public_names_stay_functions_after_every_submodule_is_imported():
    import importlib
    import inspect
    import pkgutil

    for module in pkgutil.iter_modules(kg.__path__):
        importlib.import_module(f"kg.{module.name}")
    for name in kg.__all__:
        assert not inspect.ismodule(getattr(kg, name)), f"kg.{name} is shadowed by a submodule"
