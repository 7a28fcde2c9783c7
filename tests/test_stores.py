"""The stores (rdflib in memory, Oxigraph in memory and on disk), the user's --data files, and remote servers."""

from __future__ import annotations

import datetime as dt
import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from rdflib import Literal, URIRef, Variable

import kg
from tests.conftest import example_params
from kg.errors import DataFileError, ParameterError, QueryTooDeepError, RemoteError, StoreError, UsageError
from kg.binding import inline_bindings
from kg.query import query_catalogue
from kg.remote import Endpoint, push
from kg.datafolder import data_files
from kg.shipped import default_data_dir
from kg.store import FINGERPRINT_FILE, KGDataset
from kg.vocab import FAM

from .conftest import PREFIXES

SOURCED = PREFIXES + """
graph:sources {
    src:my-notes-2026-11-20 a famv:Source ;
        schema:name "My viewing notes" ;
        schema:publisher "Me" ;
        schema:datePublished "2026-11-20"^^xsd:date ;
        schema:url <https://example.org/my-notes> .
}
graph:entities {
    show:my-fan-show a schema:TVSeries ; rdfs:label "My Fan Show"@en .
}
src:my-notes-2026-11-20 {
    show:my-fan-show famv:spinoffOf show:star-city .
}
"""




def comparable(result):
    """Rows as a sorted list; GROUP_CONCAT cells as sorted parts (engines concatenate in any order)."""
    if result.kind == "SELECT":
        return sorted(
            tuple(None if c is None else tuple(sorted(str(c).replace(" | ", ", ").replace(" / ", ", ").split(", "))) for c in row)
            for row in result.rows
        )
    if result.kind == "ASK":
        return result.answer
    return sorted(map(str, result.graph))


@pytest.fixture(scope="module")
def oxigraph_graph():
    return kg.load(store="oxigraph")


# --- Oxigraph against rdflib -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(query_catalogue()))
def test_every_named_query_returns_the_same_rows_on_both_stores(answer, oxigraph_graph, name):
    query = kg.named_query(name)
    expected = comparable(answer(name))
    assert comparable(kg.run_query(oxigraph_graph, query, example_params(query))) == expected


def test_the_library_reads_the_same_graph_from_both_stores(graph, oxigraph_graph):
    assert len(oxigraph_graph) == len(graph)
    assert kg.stats(oxigraph_graph) == kg.stats(graph)
    for name in ("Rhys Ifans", "Wernher von Braun", "Star City"):
        assert kg.describe(oxigraph_graph, name) == kg.describe(graph, name)
    assert kg.conflicts(oxigraph_graph) == kg.conflicts(graph)
    assert sorted(kg.project(oxigraph_graph).edges(keys=True)) == sorted(kg.project(graph).edges(keys=True))
    day = dt.date(2025, 6, 30)
    assert len(kg.as_of(oxigraph_graph, day)) == len(kg.as_of(graph, day)) < len(graph)
    assert kg.as_of(oxigraph_graph, day).store_kind == "oxigraph"


# The build from either store is byte for byte the same: tests/test_reproducible.py.


def test_both_stores_know_which_files_mention_a_node(graph, oxigraph_graph):
    # Oxigraph goes by the graphs that mention the node, so it may name more files, never fewer.
    for node in (FAM["person/rhys-ifans"], FAM["show/star-city"]):
        assert graph.files_of_node(node)
        assert set(graph.files_of_node(node)) <= set(oxigraph_graph.files_of_node(node))


def test_the_union_of_the_named_graphs_is_a_set_on_oxigraph(oxigraph_graph):
    # Rhys Ifans' role is stated by several sources: rdflib's API must still give each triple once.
    role = FAM["role/star-city-rhys-ifans"]
    actors = list(oxigraph_graph.objects(role, URIRef("https://schema.org/actor")))
    assert actors == [FAM["person/rhys-ifans"]]
    assert len({g for *_, g in oxigraph_graph.quads((role, None, None, None))}) > 1


def test_parameters_are_bound_as_terms_on_oxigraph(oxigraph_graph):
    text = PREFIXES.replace("@prefix", "PREFIX").replace(" .\n", "\n") + "SELECT ?s WHERE { ?s rdfs:label ?name }"
    assert len(kg.run_query(oxigraph_graph, text, {"name": Literal("Rhys Ifans", lang="en")})) == 1
    assert len(kg.run_query(oxigraph_graph, text, {"name": 'Rhys Ifans"@en } UNION { ?s ?p ?o'})) == 0


def test_oxigraph_walks_a_transitive_path_too_deep_for_rdflib(tmp_path):
    chain = tmp_path / "chain.nt"
    chain.write_text("".join(f"<http://example.org/p{n}> <https://schema.org/containedInPlace> "
                             f"<http://example.org/p{n - 1}> .\n" for n in range(1, 3001)))
    text = "SELECT (COUNT(?up) AS ?n) WHERE { <http://example.org/p3000> <https://schema.org/containedInPlace>+ ?up }"
    assert int(kg.run_query(kg.load(data=[chain], store="oxigraph"), text).rows[0][0]) == 3000
    with pytest.raises(QueryTooDeepError, match="--store oxigraph"):  # why rdflib's store is not the default
        kg.run_query(kg.load(data=[chain], store="memory"), text)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "# a comment with { a brace\nPREFIX x: <http://x/#> SELECT (\"{\" AS ?b) ?s { ?s ?p ?o }",
])
def test_values_open_the_where_clause(text):
    bound = inline_bindings(text, {Variable("s"): URIRef("http://example.org/a")})
    where = text.rfind("{ ?s ?p ?o }")  # in each of these the WHERE group is the last one
    assert bound == text[: where + 1] + " VALUES (?s) { (<http://example.org/a>) } " + text[where + 1:]


def test_an_iri_that_would_break_out_of_the_query_is_refused():
    with pytest.raises(ParameterError, match="not a valid IRI"):
        inline_bindings("SELECT * { ?s ?p ?o }", {Variable("s"): URIRef("http://x/> } ?a ?b { <y")})


# --- The store on disk --------------------------------------------------------------------------------------------

def test_a_store_on_disk_is_reloaded_only_when_the_data_changed(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    folder = tmp_path / "store"
    first = kg.load(data, store="oxigraph", store_path=folder)
    triples = len(first)
    assert (folder / FINGERPRINT_FILE).is_file()
    first.oxigraph.flush()
    del first  # releases the folder's lock

    parsed: list[Path] = []
    original = KGDataset.add_file
    monkeypatch.setattr(KGDataset, "add_file", lambda self, path, on_bytes=None: (parsed.append(path),
                                                                                 original(self, path, on_bytes)))
    again = kg.load(data, store="oxigraph", store_path=folder)
    assert parsed == [] and len(again) == triples
    assert again.files_of_graph(FAM["graph/entities"]), "which file wrote a graph is remembered with the store"
    del again

    extra = data / "extra.trig"
    extra.write_text(SOURCED, encoding="utf-8")
    changed = kg.load(data, store="oxigraph", store_path=folder)
    assert extra in parsed and len(changed) > triples


def test_a_damaged_store_folder_is_a_clear_error(tmp_path, run_kg):
    folder = tmp_path / "store"
    kg.load(store="oxigraph", store_path=folder)
    (folder / "CURRENT").write_text("garbage\n")
    with pytest.raises(StoreError, match="damaged: then delete the folder"):
        kg.load(store="oxigraph", store_path=folder)
    result = run_kg("--store", "oxigraph", "--store-path", str(folder), "stats")
    assert result.exit_code == 2 and "cannot open the Oxigraph store" in result.stderr
    assert "Traceback" not in result.output


def test_a_folder_that_is_not_a_store_is_left_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a fam-kg store"):
        kg.load(store="oxigraph", store_path=tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize(("args", "message"), [
    (["--store", "sqlite", "stats"], "unknown store 'sqlite'; expected one of memory, oxigraph"),
    (["--store", "memory", "--store-path", "somewhere", "stats"], "--store-path needs --store oxigraph"),
])
def test_store_options_are_checked(run_kg, args, message):
    result = run_kg(*args)
    assert result.exit_code == 2 and message in result.stderr


# --- The user's data ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_user_files_join_the_shipped_graph(tmp_path, graph, store):
    mine = tmp_path / "mine.trig"
    mine.write_text(SOURCED, encoding="utf-8")
    plain = tmp_path / "plain.nt"
    plain.write_text(f"<{FAM['show/my-fan-show']}> <http://www.w3.org/2000/01/rdf-schema#comment> \"a note\" .\n")
    dataset = kg.load(data=[mine, plain], store=store)
    assert len(dataset) == len(graph) + 9  # 5 about the source, 2 of identity, 1 claim, 1 plain triple
    assert (FAM["show/my-fan-show"], None, None) in dataset.graph(FAM["source/my-notes-2026-11-20"])
    assert len(dataset.graph(FAM["graph/plain"])) == 1, "a file of triples gets a graph named after it"
    assert dataset.files_of_graph(FAM["graph/plain"]) == [plain]
    rows = kg.run_query(dataset, kg.named_query("entity-sources"), {"entity": "My Fan Show"}).records()
    assert any("Me" in (row.get("sources") or row.get("publisher") or "") for row in rows), rows


def test_folders_are_read_file_by_file(tmp_path):
    (tmp_path / "a.trig").write_text(SOURCED, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not data")
    dataset = kg.load(data=[tmp_path])
    assert tmp_path / "a.trig" in dataset.files and all(p.suffix != ".txt" for p in dataset.files)


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_a_user_file_with_a_syntax_error_names_file_and_line(tmp_path, store):
    broken = tmp_path / "broken.ttl"
    broken.write_text('<http://x/a> <http://x/b> <http://x/c> .\n<http://x/a> <http://x/b> "open\n', encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        kg.load(data=[broken], store=store)
    assert raised.value.path == broken and raised.value.line == 2


@pytest.mark.parametrize(("make", "message"), [
    (lambda d: d / "missing.ttl", "no such file or folder"),
    (lambda d: (d / "notes.txt").write_text("x") and d / "notes.txt", "not a data file"),
])
def test_bad_data_paths_are_usage_errors(tmp_path, make, message):
    with pytest.raises(UsageError, match=message):
        kg.load(data=[make(tmp_path)])


def test_two_files_that_would_share_a_graph_are_refused(tmp_path):
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.nt").write_text("<http://x/a> <http://x/b> <http://x/c> .\n")
    with pytest.raises(UsageError, match="would share the graph graph/notes"):
        kg.load(data=[tmp_path / "one" / "notes.nt", tmp_path / "two" / "notes.nt"])


def test_cli_checks_user_data_against_the_shapes(run_kg, tmp_path):
    unsourced = tmp_path / "unsourced.nt"
    unsourced.write_text(f"<{FAM['person/rhys-ifans']}> <https://w3id.org/fam-kg/vocab#knownFor> "
                         f"<{FAM['work/notting-hill']}> .\n")
    result = run_kg("--data", str(unsourced), "describe", "Rhys Ifans")
    assert result.exit_code == 1
    assert "unsourced.nt" in result.stderr and "not described as a famv:Source" in result.stderr
    skipped = run_kg("--data", str(unsourced), "--skip-validation", "stats")
    assert skipped.exit_code == 0


def test_cli_with_a_broken_data_file_exits_1_with_file_and_line(run_kg, tmp_path):
    broken = tmp_path / "broken.trig"
    broken.write_text(SOURCED.replace("famv:spinoffOf show:star-city .", "famv:spinoffOf ."), encoding="utf-8")
    for store in ("memory", "oxigraph"):
        result = run_kg("--store", store, "--data", str(broken), "stats")
        assert result.exit_code == 1 and "broken.trig:" in result.stderr and "Traceback" not in result.output


def test_progress_is_reported_in_bytes_up_to_the_total(tmp_path):
    seen: list[tuple[str, int, int]] = []
    mine = tmp_path / "mine.trig"
    mine.write_text(SOURCED, encoding="utf-8")
    kg.load(data=[mine], store="oxigraph", progress=lambda path, done, total: seen.append((path.name, done, total)))
    total = sum(p.stat().st_size for p in data_files(default_data_dir())) + mine.stat().st_size
    assert seen[-1] == ("mine.trig", total, total)
    assert [done for _, done, _ in seen] == sorted(done for _, done, _ in seen)
    assert {name for name, *_ in seen} >= {"people.trig", "mine.trig"}


# --- Remote servers -----------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph server on 127.0.0.1 (the `oxigraph` package's `serve`), stopped afterwards."""
    binary = Path(sys.executable).parent / "oxigraph"
    port = free_port()
    folder = tmp_path_factory.mktemp("oxigraph-server")
    # Its plain default graph: kg push puts the union of the named graphs there, each triple once.
    process = subprocess.Popen([str(binary), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("the Oxigraph server did not start") from None
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def pushed(oxigraph_server):
    push(kg.load(), f"{oxigraph_server}/store")
    return Endpoint(f"{oxigraph_server}/query")


@pytest.mark.parametrize("name", sorted(query_catalogue()))
def test_every_named_query_returns_the_same_rows_on_a_real_server(answer, pushed, name):
    query = kg.named_query(name)
    expected = answer(name).serialize("csv")
    assert kg.run_query(pushed, query, example_params(query)).serialize("csv") == expected


def test_the_server_s_default_graph_holds_each_triple_once(graph, pushed):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(kg.run_query(pushed, count).rows[0][0]) == len(graph)


def test_pushing_again_replaces_the_graphs(graph, oxigraph_server, pushed):
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = int(kg.run_query(pushed, count).rows[0][0])
    result = push(graph, f"{oxigraph_server}/store")
    assert before == result.triples == int(kg.run_query(pushed, count).rows[0][0])
    assert result.graphs == len({g for *_, g in graph.quads((None, None, None, None))})


def test_cli_query_and_push_reach_the_server(run_kg, oxigraph_server, pushed):
    result = run_kg("query", "cast", "-p", "show=star city", "--endpoint", f"{oxigraph_server}/query")
    assert result.exit_code == 0 and "Rhys Ifans" in result.stdout
    constructed = run_kg("query", "-", "--endpoint", f"{oxigraph_server}/query",
                         input="CONSTRUCT WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> \"Star City\"@en }")
    assert constructed.exit_code == 0 and "star-city" in constructed.stdout
    pushed_again = run_kg("push", f"{oxigraph_server}/store")
    assert pushed_again.exit_code == 0 and "named graphs" in pushed_again.stdout


class Recorder(http.server.BaseHTTPRequestHandler):
    """A server that answers every request with one status and counts the requests."""

    status = 500
    requests = 0

    def do_POST(self):  # noqa: N802 - http.server's naming
        type(self).requests += 1
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(b"no luck today\n")

    do_PUT = do_POST

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    Recorder.requests = 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def test_a_failing_server_is_retried_then_reported(recorder):
    Recorder.status = 503
    endpoint = Endpoint(f"http://127.0.0.1:{recorder.server_port}/query", retries=2, backoff=0.01)
    with pytest.raises(RemoteError, match=r"HTTP 503 .*no luck today \(after 3 attempts\)"):
        kg.run_query(endpoint, "SELECT * { ?s ?p ?o }")
    assert Recorder.requests == 3


def test_a_client_error_is_not_retried(recorder):
    Recorder.status = 400
    endpoint = Endpoint(f"http://127.0.0.1:{recorder.server_port}/query", retries=3, backoff=0.01)
    with pytest.raises(RemoteError, match="HTTP 400"):
        kg.run_query(endpoint, "SELECT * { ?s ?p ?o }")
    assert Recorder.requests == 1


def test_updates_and_service_never_reach_the_server(recorder):
    endpoint = Endpoint(f"http://127.0.0.1:{recorder.server_port}/query")
    for text in ("INSERT DATA { <a:b> <a:c> <a:d> }", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"):
        with pytest.raises(UsageError):
            kg.run_query(endpoint, text)
    assert Recorder.requests == 0


def test_an_unreachable_server_exits_3(run_kg):
    result = run_kg("query", "seasons", "--endpoint", f"http://127.0.0.1:{free_port()}/query", "--retries", "1",
                    "--timeout", "2")
    assert result.exit_code == 3
    assert "cannot reach the server" in result.stderr and "after 2 attempts" in result.stderr
    assert "Traceback" not in result.output


def test_endpoint_urls_are_checked(run_kg):
    result = run_kg("query", "seasons", "--endpoint", "file:///etc/passwd")
    assert result.exit_code == 2 and "expected an http:// or https:// URL" in result.stderr
