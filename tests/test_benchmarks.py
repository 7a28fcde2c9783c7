"""benchmarks/run.py writes each table between its markers and nothing else (the benchmarks themselves are not run
here: speed targets are ratios measured by hand, not timed tests)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent.parent / "benchmarks"


def benchmark_module(name: str):
    """A script of benchmarks/ imported as a module (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # where dataclasses look a module's names up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def runner():
    return benchmark_module("run")


def test_splice_replaces_only_the_named_blocks(runner):
    text = "intro\n<!-- table: a -->\nold a\n<!-- end table -->\nmiddle\n<!-- table: b -->\nold b\n<!-- end table -->\n"
    spliced = runner.splice(text, {"b": "| new | b |\n"})
    assert spliced == text.replace("old b", "| new | b |")
    assert runner.splice(text, {"c": "x"}, every=False) == text
    with pytest.raises(SystemExit, match="no '<!-- table: c -->'"):
        runner.splice(text, {"c": "x"})


def test_every_benchmark_has_its_block_in_the_readme_and_the_machine_is_described(runner):
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    assert runner.splice(readme, {name: "x" for name in [*runner.BENCHMARKS, "machine"]}).count("\nx\n") == \
        len(runner.BENCHMARKS) + 1
    described = runner.machine()
    assert "cores" in described and "rdflib" in described and "Python" in described


@pytest.fixture(scope="module")
def scale():
    return benchmark_module("scale")


def test_the_growth_exponent_is_one_for_linear_cost_two_for_quadratic_and_missing_for_a_stopped_query(scale):
    assert scale.exponent((10_000, 0.5), (100_000, 5.0)) == pytest.approx(1.0)
    assert scale.exponent((10_000, 0.5), (100_000, 50.0)) == pytest.approx(2.0)
    assert scale.exponent((10_000, 0.5), (100_000, None)) is None


def test_the_growth_table_lists_the_queries_that_grow_faster_than_the_data(scale, capsys):
    def run(load, fast, slow):
        return {"load": {"seconds": load[1], "triples": load[0]}, "project": {"seconds": load[1]},
                "end": {"peak": 100.0}, "queries": {"linear": {"seconds": fast}, "quadratic": {"seconds": slow}}}

    results = {(store, size): run((size, size / 1e4), size / 1e4, (size / 1e4) ** 2)
               for store in ("memory", "oxigraph") for size in (10_000, 100_000)}
    scale.print_growth(results, [10_000, 100_000], ["memory", "oxigraph"])
    printed = capsys.readouterr().out
    assert "| oxigraph | load (s) | 1.00 |" in printed
    assert "| quadratic | 1.000 | 100.000 | 2.00 |" in printed
    assert "| linear |" not in printed


def test_oxigraph_alone_times_again_what_kg_sent_the_store_and_the_tables_total_it(scale, capsys):
    import pyoxigraph as ox

    import kg

    dataset = kg.load()
    recorder = dataset.oxigraph = scale.Recorder(dataset.oxigraph)
    rows = kg.run_query(dataset, kg.named_query("cast")).rows
    assert rows and recorder.sent and all("SELECT" in text for text, _ in recorder.sent)
    assert len(recorder) == len(recorder.store)  # what kg asks of the store besides queries still reaches it
    slow = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"  # every quad, written out
    assert scale.oxigraph_alone(recorder.store, [(slow, {})]) > scale.oxigraph_alone(recorder.store, [("ASK {}", {})])
    assert isinstance(recorder.store, ox.Store)

    timed = {"seconds": 2.0, "alone": 1.5}
    result = {"load": {"seconds": 1.0, "triples": 10}, "project": {"seconds": 1.0}, "end": {"peak": 1.0},
              "queries": {"a": timed, "b": {"seconds": 1.0, "alone": 0.25}}}
    scale.print_tables({("oxigraph", 10): result}, [10], ["oxigraph"])
    printed = capsys.readouterr().out
    assert "| 3.00 | 1.75 |" in printed  # the whole library, then of it Oxigraph alone
    assert "| a | 2.000 | 1.500 |" in printed


@pytest.mark.parametrize("in_the_server", [False, True])
def test_the_serve_reference_answers_like_kg_serve_without_forking_a_worker(in_the_server):
    import httpx
    import psutil

    serve = benchmark_module("serve")
    server, url = serve.start_server(timeout=5, workers=2, in_the_server=in_the_server)
    try:
        response = httpx.get(url, params={"query": serve.SIMPLE_QUERY},
                             headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert response.status_code == 200 and response.json()["results"]["bindings"]
        workers = psutil.Process(server.pid).children(recursive=True)
        assert len(workers) == (0 if in_the_server else 2)  # its idle memory is then the server's alone
    finally:
        serve.stop(server)


def test_a_library_whose_queries_were_all_stopped_totals_them_and_has_no_oxigraph_alone(scale):
    stopped = {"queries": {"a": {"seconds": None, "error": "> 60 s"}, "b": {"seconds": None, "error": "> 60 s"}}}
    assert scale.library_total(stopped) == "0.00 + 2 stopped"
    assert scale.library_total(stopped, "alone") == "—"
    one_alone_stopped = {"queries": {"a": {"seconds": 1.0, "alone": 0.5}, "b": {"seconds": 2.0, "alone": None}}}
    assert scale.library_total(one_alone_stopped, "alone") == "0.50 + 1 stopped"
