"""A second real SPARQL server: Virtuoso Open Source (the engine behind DBpedia), started for these tests.

``kg push`` loads the graph into its authenticated Graph Store with credentials from the environment or a file, and
the whole named-query library run with ``--endpoint`` gives the embedded store's answers, except where Virtuoso is
known to differ (:data:`DIFFERENCES`, documented in docs/stores.md): those are checked to differ still, so the
documentation is corrected the day Virtuoso changes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import kg
from kg.query import query_catalogue
from kg.remote import Endpoint
from tests.virtuoso import Virtuoso, running_virtuoso

DIFFERENCES = {
    "place-hierarchy": "Virtuoso 7.2 does not apply a VALUES binding to the start of a property path "
                       "(schema:containedInPlace+), so it answers for every place at once",
}


def example_params(query) -> dict[str, str]:
    return {"source": "source/popculture-2025-02-14"} if any(p.name == "source" and p.default is None
                                                             for p in query.params) else {}


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[Virtuoso]:
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="module")
def pushed(virtuoso, tmp_path_factory) -> Virtuoso:
    """The shipped graph pushed into Virtuoso with the password read from a file."""
    from typer.testing import CliRunner

    from kg.cli import app

    password_file = tmp_path_factory.mktemp("secret") / "password"
    password_file.write_text(virtuoso.password + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["push", virtuoso.graph_store, "--no-default-graph", "--user", virtuoso.user,
                                      "--password-file", str(password_file)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    graphs = len({name for *_, name in kg.load().named_graph_quads()})
    assert f"in {graphs} named graphs to {virtuoso.graph_store}" in result.stdout
    return virtuoso


def test_a_wrong_password_is_one_line_exit_3_and_nothing_is_pushed(virtuoso, run_kg, monkeypatch):
    monkeypatch.setenv("KG_PUSH_PASSWORD", "not-the-password")
    result = run_kg("push", virtuoso.graph_store, "--user", virtuoso.user, "--no-default-graph")
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert "HTTP 401 Unauthorized: the server refused the user name or password; nothing was pushed" in result.stderr
    assert "not-the-password" not in result.output


def test_no_credentials_for_an_authenticated_store_says_how_to_give_them(virtuoso, run_kg, monkeypatch):
    monkeypatch.delenv("KG_PUSH_PASSWORD", raising=False)
    result = run_kg("push", virtuoso.graph_store, "--no-default-graph")
    assert result.exit_code == 3 and "--user NAME and KG_PUSH_PASSWORD" in result.stderr
    missing = run_kg("push", virtuoso.graph_store, "--user", "dba")
    assert missing.exit_code == 2 and "give the password in KG_PUSH_PASSWORD" in missing.stderr


def test_a_push_the_server_refuses_halfway_says_which_graphs_were_pushed(pushed, run_kg, monkeypatch):
    # Virtuoso's Graph Store refuses a PUT to its default graph (it reads the default graph as the union anyway):
    # every named graph is in, and the message says so.
    monkeypatch.setenv("KG_PUSH_PASSWORD", pushed.password)
    result = run_kg("push", pushed.graph_store, "--user", pushed.user, "--retries", "0")
    graphs = len({name for *_, name in kg.load().named_graph_quads()})
    assert result.exit_code == 3 and result.stderr.count("\n") == 1
    assert f"; {graphs} of {graphs + 1} graphs were pushed (in IRI order, up to " in result.stderr
    assert "the others are as they were" in result.stderr


@pytest.mark.parametrize("name", sorted(query_catalogue()))
def test_every_named_query_gives_the_embedded_answer_on_virtuoso(pushed, name):
    query = query_catalogue()[name]
    params = example_params(query)
    expected = kg.run_query(kg.load(), query, params).serialize("csv")
    answered = kg.run_query(Endpoint(pushed.sparql, timeout=60, retries=1), query, params).serialize("csv")
    if name in DIFFERENCES:
        assert answered != expected, f"{name} now agrees on Virtuoso: drop it from DIFFERENCES and docs/stores.md"
    else:
        assert answered == expected


def test_ask_answers_come_back_as_booleans(pushed):
    endpoint = Endpoint(pushed.sparql, retries=0)
    assert kg.run_query(endpoint, "ASK { ?s a <https://schema.org/TVSeries> }").answer is True
    assert kg.run_query(endpoint, "ASK { ?s a <https://w3id.org/fam-kg/vocab#NoSuchClass> }").answer is False


def test_a_server_that_is_down_is_one_line_exit_3(run_kg):
    from tests.virtuoso import _free_port

    result = run_kg("query", "cast", "--endpoint", f"http://127.0.0.1:{_free_port()}/sparql", "--retries", "0")
    assert result.exit_code == 3 and "cannot reach the server" in result.stderr
    assert result.stderr.count("\n") == 1
