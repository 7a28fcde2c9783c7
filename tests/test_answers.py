"""The endpoint remembers its successful answers (kg.answers): the same bytes again, without a worker."""

from __future__ import annotations

import httpx
import pytest

import kg
from kg.answers import LARGEST_ANSWER, Answer, AnswerCache
from kg.serve import create_app
from tests.test_serve import SHOWS, served

JSON = ("json",)


def ok(body: bytes) -> Answer:
    return Answer(200, "text/plain", body)


def test_only_successful_answers_are_kept():
    cache = AnswerCache()
    cache.put("q", JSON, Answer(400, "text/plain", b"SPARQL syntax error"))
    cache.put("r", JSON, Answer(503, "text/plain", b"stopped"))
    assert cache.get("q", JSON) is None and cache.get("r", JSON) is None
    cache.put("s", JSON, ok(b"rows"))
    assert cache.get("s", JSON) == ok(b"rows")
    assert cache.get("s", ("csv",)) is None  # another format is another answer


def test_the_least_recently_used_go_first_and_large_answers_are_not_kept():
    cache = AnswerCache(budget=10)
    cache.put("a", JSON, ok(b"aaaa"))
    cache.put("b", JSON, ok(b"bbbb"))
    assert cache.get("a", JSON) is not None  # now b is the least recently used
    cache.put("c", JSON, ok(b"cccc"))
    assert cache.get("b", JSON) is None
    assert cache.get("a", JSON) is not None and cache.get("c", JSON) is not None
    assert cache.size == 8
    cache.put("huge", JSON, ok(b"x" * 11))
    assert cache.get("huge", JSON) is None
    assert AnswerCache().budget > LARGEST_ANSWER


@pytest.fixture(scope="module")
def endpoint():
    app = create_app(kg.load(), timeout=2.0, workers=1)
    with served(app) as running:
        yield running


def test_a_query_asked_again_is_answered_without_a_worker_with_the_same_bytes(endpoint, monkeypatch):
    url = endpoint.base + "/sparql"
    first = httpx.get(url, params={"query": SHOWS}, headers={"Accept": "text/csv"})
    state = endpoint.app.state.endpoint

    def no_worker(*args, **kwargs):
        raise AssertionError("a worker was asked; the remembered answer should have been sent")

    monkeypatch.setattr(state, "schedule", no_worker)
    again = httpx.get(url, params={"query": SHOWS}, headers={"Accept": "text/csv"})
    assert (again.status_code, again.headers["content-type"], again.content) == (
        first.status_code, first.headers["content-type"], first.content)
    assert first.status_code == 200 and b"star-city" in first.content
    assert again.headers["x-content-type-options"] == "nosniff"  # the same headers as any answer


def test_errors_are_asked_of_a_worker_every_time(endpoint, monkeypatch):
    url = endpoint.base + "/sparql"
    state = endpoint.app.state.endpoint
    asked = []
    real = state.schedule
    monkeypatch.setattr(state, "schedule", lambda *a, **k: asked.append(1) or real(*a, **k))
    for _ in range(2):
        assert httpx.get(url, params={"query": "SELECT ?x WHERE { ?x"}).status_code == 400
    assert len(asked) == 2


def test_a_posted_query_asked_again_is_answered_from_memory_too(endpoint, monkeypatch):
    url = endpoint.base + "/sparql"
    posted = SHOWS + " # posted"
    first = httpx.post(url, content=posted, headers={"Content-Type": "application/sparql-query"})
    state = endpoint.app.state.endpoint
    monkeypatch.setattr(state, "schedule", lambda *a, **k: pytest.fail("a worker was asked"))
    again = httpx.post(url, content=posted, headers={"Content-Type": "application/sparql-query"})
    assert first.status_code == again.status_code == 200 and first.content == again.content


def test_another_accept_header_or_query_string_is_another_answer(endpoint):
    url = endpoint.base + "/sparql"
    as_json = httpx.get(url, params={"query": SHOWS + " # accept"}, headers={"Accept": "application/sparql-results+json"})
    as_csv = httpx.get(url, params={"query": SHOWS + " # accept"}, headers={"Accept": "text/csv"})
    as_xml = httpx.get(url, params={"query": SHOWS + " # accept", "format": "xml"})
    assert as_json.headers["content-type"].startswith("application/sparql-results+json")
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_xml.headers["content-type"].startswith("application/sparql-results+xml")
