"""The SPARQL endpoint (kg.serve) over a real socket: protocol, formats, the query page, refusals, limits."""

from __future__ import annotations

import base64
import csv
import gc
import hashlib
import html
import http.server
import io
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import psutil
import pytest
import rdflib
import rdflib.compare

import kg
from kg.query import NamedQuery, query_catalogue
from kg.serve import Limits, create_app, query_page_html
from tests.serving import Endpoint, served

TIMEOUT = 2.0
MAX_ROWS = 5000
MAX_BODY = 8 * 1024
SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"
SHOWS = "SELECT ?show WHERE { ?show a <https://schema.org/TVSeries> } ORDER BY ?show"
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 4000"  # under MAX_ROWS as the graph grows
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ROLE_PATTERN = "WHERE { ?role a <https://schema.org/PerformanceRole> ; <https://schema.org/actor> ?actor }"
ROLES = "CONSTRUCT { ?role <https://schema.org/actor> ?actor } " + ROLE_PATTERN


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    """The endpoint over the shipped graph, with a short time limit and small limits."""
    with served(create_app(kg.load(), timeout=TIMEOUT, max_rows=MAX_ROWS, max_body=MAX_BODY, workers=2)) as running:
        yield running


@pytest.fixture(scope="module")
def client(endpoint) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=endpoint.base, timeout=30) as http_client:
        yield http_client


def bindings(response: httpx.Response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/sparql-results+json"
    return response.json()["results"]["bindings"]


def quad_count(client: httpx.Client) -> int:
    return int(bindings(client.get("/sparql", params={"query": COUNT_QUADS}))[0]["n"]["value"])


# ----------------------------------------------------------------------------------------------------------------
# The protocol


def test_get_and_both_kinds_of_post_give_the_same_rows_of_a_shipped_query(client, graph):
    cast = kg.named_query("cast").text  # its header binds ?show to its default, Star City
    by_get = bindings(client.get("/sparql", params={"query": cast}))
    by_form = bindings(client.post("/sparql", data={"query": cast}))
    by_body = bindings(
        client.post("/sparql", content=cast.encode(), headers={"Content-Type": "application/sparql-query"})
    )
    as_the_page_posts = bindings(  # fetch() with URLSearchParams names the charset
        client.post(
            "/sparql",
            content=urllib.parse.urlencode({"query": cast, "format": "json"}),
            headers={"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"},
        )
    )
    assert by_get == by_form == by_body == as_the_page_posts
    roles = {row["actorLabel"]["value"]: row.get("characterLabel", {}).get("value") for row in by_get}
    assert roles["Rhys Ifans"] == "the Chief Designer"
    in_process = kg.run_query(graph, kg.named_query("cast"), {"show": "Star City"}).records()
    assert roles == {row["actorLabel"]: row["characterLabel"] for row in in_process}


def test_missing_duplicate_or_blank_query_is_400(client):
    assert client.post("/sparql", data={"format": "json"}).status_code == 400  # a bare GET is the service description
    assert client.get("/sparql", params={"query": "  "}).status_code == 400
    twice = client.get("/sparql", params=[("query", SHOWS), ("query", SHOWS)])
    assert twice.status_code == 400 and "more than one" in twice.text


def test_other_content_types_are_415(client):
    response = client.post("/sparql", content=SHOWS, headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert "application/sparql-query" in response.text


# ----------------------------------------------------------------------------------------------------------------
# Result formats


def test_every_select_format_parses_and_has_the_same_rows(client):
    shows = [row["show"]["value"] for row in bindings(client.get("/sparql", params={"query": SHOWS}))]
    assert "https://w3id.org/fam-kg/show/star-city" in shows and len(shows) > 10

    def fetch(fmt: str, media_type: str) -> str:
        by_name = client.get("/sparql", params={"query": SHOWS, "format": fmt})
        by_accept = client.get("/sparql", params={"query": SHOWS}, headers={"Accept": media_type})
        for response in (by_name, by_accept):
            assert response.status_code == 200, response.text
            assert response.headers["content-type"].split(";")[0] == media_type
        assert by_name.content == by_accept.content
        return by_name.text

    table = list(csv.reader(io.StringIO(fetch("csv", "text/csv"))))
    assert table[0] == ["show"] and [row[0] for row in table[1:]] == shows

    tsv = fetch("tsv", "text/tab-separated-values").splitlines()
    assert tsv[0] == "?show" and tsv[1:] == [f"<{show}>" for show in shows]

    root = ET.fromstring(fetch("xml", "application/sparql-results+xml").encode())
    assert root.tag == f"{SPARQL_RESULTS}sparql"
    assert [v.get("name") for v in root.iter(f"{SPARQL_RESULTS}variable")] == ["show"]
    assert [uri.text for uri in root.iter(f"{SPARQL_RESULTS}uri")] == shows


def test_xml_results_escape_markup_in_literals(client):
    query = 'SELECT ?text WHERE { BIND ("<b>a & b</b> \\"q\\"" AS ?text) }'
    root = ET.fromstring(client.get("/sparql", params={"query": query, "format": "xml"}).content)
    assert [literal.text for literal in root.iter(f"{SPARQL_RESULTS}literal")] == ['<b>a & b</b> "q"']


def test_text_beyond_ascii_survives_every_format(client):
    query = 'SELECT ?text WHERE { BIND ("Звёздный городок — 宇宙 ✓" AS ?text) }'
    expected = "Звёздный городок — 宇宙 ✓"
    assert bindings(client.get("/sparql", params={"query": query}))[0]["text"]["value"] == expected
    for fmt in ("csv", "tsv", "xml"):
        response = client.get("/sparql", params={"query": query, "format": fmt})
        assert expected in response.content.decode("utf-8"), fmt
    form = client.post("/sparql", data={"query": query})
    assert bindings(form)[0]["text"]["value"] == expected
    not_utf8 = client.post(
        "/sparql", content=query.encode("utf-16"), headers={"Content-Type": "application/sparql-query"}
    )
    assert not_utf8.status_code == 400 and "UTF-8" in not_utf8.text


def test_ask_gives_a_boolean_in_json_and_xml(client):
    ask = "ASK { <https://w3id.org/fam-kg/person/rhys-ifans> ?p ?o }"
    assert client.get("/sparql", params={"query": ask}).json() == {"head": {}, "boolean": True}
    root = ET.fromstring(client.get("/sparql", params={"query": ask, "format": "xml"}).content)
    assert root.find(f"{SPARQL_RESULTS}boolean").text == "true"


def test_construct_gives_turtle_by_default_and_n_triples_on_request(client):
    expected = len(bindings(client.get("/sparql", params={"query": "SELECT DISTINCT * " + ROLE_PATTERN})))
    turtle = client.get("/sparql", params={"query": ROLES})
    assert turtle.headers["content-type"].startswith("text/turtle")
    ntriples = client.get("/sparql", params={"query": ROLES}, headers={"Accept": "application/n-triples"})
    assert ntriples.headers["content-type"] == "application/n-triples"
    from_turtle = rdflib.Graph().parse(data=turtle.text, format="turtle")
    from_ntriples = rdflib.Graph().parse(data=ntriples.text, format="nt")
    assert "schema:actor" in turtle.text  # the project's prefixes are used
    assert len(from_turtle) == len(from_ntriples) == expected > 5
    assert rdflib.compare.isomorphic(from_turtle, from_ntriples)


def test_accept_header_is_negotiated_by_quality(client):
    preferred = client.get("/sparql", params={"query": SHOWS}, headers={"Accept": "text/csv;q=0.5, text/*;q=0.9"})
    assert preferred.headers["content-type"].startswith("text/tab-separated-values")
    fallback = client.get("/sparql", params={"query": ROLES}, headers={"Accept": "text/csv, */*;q=0.1"})
    assert fallback.status_code == 200 and fallback.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize(
    ("query", "params", "headers"),
    [
        (SHOWS, {"format": "yaml"}, {}),
        (SHOWS, {}, {"Accept": "image/png"}),
        (SHOWS, {"format": "turtle"}, {}),
        (ROLES, {"format": "csv"}, {}),
        (SHOWS, {}, {"Accept": "application/sparql-results+json;q=0, text/turtle"}),
    ],
)
def test_formats_that_cannot_be_given_are_406(client, query, params, headers):
    response = client.get("/sparql", params={"query": query, **params}, headers=headers)
    assert response.status_code == 406
    assert response.text.count("\n") == 1


# ----------------------------------------------------------------------------------------------------------------
# The query page


class PageReader(HTMLParser):
    """Collects the example buttons (title, query text), the inline scripts and styles, and external references."""

    def __init__(self):
        super().__init__()
        self.examples: list[tuple[str, str]] = []
        self.inline: dict[str, list[str]] = {"script": [], "style": []}
        self.references: list[str] = []
        self._open: tuple[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.references += [attributes[key] for key in ("src", "href") if key in attributes]
        if tag == "button" and "data-query" in attributes:
            self._open = ("example", attributes["data-query"])
            self.examples.append(("", attributes["data-query"]))
        elif tag in self.inline:
            self._open = (tag, "")
            self.inline[tag].append("")

    def handle_endtag(self, tag):
        self._open = None

    def handle_data(self, data):
        if self._open is None:
            return
        kind, query = self._open
        if kind == "example":
            title, _ = self.examples[-1]
            self.examples[-1] = (title + data, query)
        else:
            self.inline[kind][-1] += data


def csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def test_query_page_lists_every_named_query_escaped_and_loads_nothing_else(client):
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    reader = PageReader()
    reader.feed(page)
    catalogue = query_catalogue()
    assert reader.examples == [(query.title, query.text) for query in catalogue.values()]
    for query in catalogue.values():
        assert html.escape(query.description, quote=False).replace("'", "&#39;") in page
    assert "Where the shows' history departs from ours" not in page  # the apostrophe is escaped
    assert "PREFIX schema: <https://schema.org/>" not in page  # query texts sit escaped in attributes
    assert reader.references == [] and "<script src=" not in page and "@import" not in page

    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy and "connect-src 'self'" in policy
    assert [csp_hash(script) in policy for script in reader.inline["script"]] == [True]
    assert [csp_hash(style) in policy for style in reader.inline["style"]] == [True]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_page_escapes_markup_in_query_titles_descriptions_and_text():
    hostile = NamedQuery.from_text(
        '# title: <script>alert("t")</script>\n# description: a </textarea><img src=x onerror=alert(1)> & co\n'
        '# columns: x\nSELECT ?x WHERE { BIND("</button><script>alert(2)</script>" AS ?x) }',
        name="hostile",
    )
    page = query_page_html([hostile], Limits(1.0, 10, 100, 1)).decode()
    assert "<script>alert" not in page and "<img" not in page and "</button><script>" not in page
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in page
    reader = PageReader()
    reader.feed(page)
    assert reader.examples == [(hostile.title, hostile.text)]


CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]


SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output"


def test_query_page_runs_an_example_in_a_browser_under_its_own_policy():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does")
    from playwright.sync_api import sync_playwright

    # Its own server, whose workers are forked before Playwright opens pipes to its driver: a worker forked later
    # (the module's server replaces the ones it stops) would inherit those pipes and keep the driver from exiting.
    with served(create_app(kg.load(), timeout=10, workers=1)) as endpoint, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()  # the Content-Security-Policy is enforced
            problems: list[str] = []
            elsewhere: list[str] = []
            page.on("console", lambda message: message.type == "error" and problems.append(message.text))
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("request", lambda request: request.url.startswith(endpoint.base) or elsewhere.append(request.url))
            page.goto(endpoint.base + "/")
            page.get_by_role("button", name=kg.named_query("cast").title).click()
            assert page.input_value("#query") == kg.named_query("cast").text
            page.select_option("#format", "csv")
            page.get_by_role("button", name="Run query").click()
            page.wait_for_selector("#result:has-text('Rhys Ifans')", timeout=10_000)
            assert page.inner_text("#status").startswith("200")
            assert "the Chief Designer" in page.inner_text("#result")
            SCREENSHOTS.mkdir(exist_ok=True)
            page.set_viewport_size({"width": 1100, "height": 1000})
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(SCREENSHOTS / "query-page.png"))  # the manual's picture, docs/query-page.png
            page.fill("#query", "SELECT ?s WHERE { ?s ?p }")
            page.get_by_role("button", name="Run query").click()
            page.wait_for_selector("#status:has-text('400')", timeout=10_000)
            assert "line 1, column" in page.inner_text("#result")
            page.fill("#query", ROLES)
            page.select_option("#format", "jsonld")
            page.get_by_role("button", name="Run query").click()
            page.wait_for_selector("#status:has-text('application/ld+json')", timeout=10_000)
            from_page = rdflib.Graph().parse(data=page.inner_text("#result"), format="json-ld")
            assert len(from_page) > 5 and (None, rdflib.SDO.actor, None) in from_page
        finally:
            browser.close()
    assert elsewhere == []
    # Chromium reports every 4xx response (the favicon, the malformed query) as "Failed to load resource".
    assert [problem for problem in problems if not problem.startswith("Failed to load resource")] == []


# ----------------------------------------------------------------------------------------------------------------
# Refusals


def test_malformed_sparql_is_400_with_line_and_column(client):
    malformed = "PREFIX schema: <https://schema.org/>\nSELECT ?s WHERE { ?s ?p }"
    response = client.get("/sparql", params={"query": malformed})
    assert response.status_code == 400
    assert "line 2, column" in response.text and "SPARQL syntax error" in response.text
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert response.text.count("\n") == 1


UPDATES = [
    "INSERT DATA { <https://w3id.org/fam-kg/x> <https://w3id.org/fam-kg/p> 'hacked' }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <file:///etc/passwd>",
    "CLEAR ALL",
    "DROP ALL",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_every_way_they_can_be_sent(client, update):
    before = quad_count(client)
    attempts = [
        client.get("/sparql", params={"query": update}),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-query"}),
        client.post("/sparql", data={"update": update}),
        client.get("/sparql", params={"update": update}),
        client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"}),
    ]
    for response in attempts:
        assert response.status_code == 403, (update, response.text)
        assert response.text.count("\n") == 1 and "read-only" in response.text
        assert "root:" not in response.text
    assert [quad_count(client) for _ in range(4)] == [before] * 4  # asked four times, so both workers answer


@pytest.fixture
def bait_server() -> Iterator[tuple[str, list[str]]]:
    """A tiny HTTP server on another free port that records every request made to it."""
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_service_from_and_load_never_reach_the_network(client, bait_server):
    bait, requests = bait_server
    httpx.get(bait + "/ping")
    assert requests == ["/ping"]  # the bait server does record requests
    refused = [
        f"SELECT * WHERE {{ SERVICE <{bait}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{bait}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{bait}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{bait}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"LOAD <{bait}/data.ttl>",
    ]
    for query in refused:
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 403, (query, response.text)
    graph_uri = client.get("/sparql", params={"query": SHOWS, "default-graph-uri": f"{bait}/g"})
    assert graph_uri.status_code == 403
    time.sleep(0.5)
    assert requests == ["/ping"]


def test_a_body_over_the_limit_is_413_whether_declared_or_streamed(client):
    oversized = "SELECT * WHERE { ?s ?p ?o } #" + "x" * MAX_BODY
    declared = client.post("/sparql", content=oversized, headers={"Content-Type": "application/sparql-query"})
    assert declared.status_code == 413 and "bytes" in declared.text

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(oversized), 1024):
            yield oversized[start : start + 1024].encode()

    streamed = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert streamed.request.headers.get("transfer-encoding") == "chunked"
    assert streamed.status_code == 413
    assert client.post("/sparql", data={"query": SHOWS}).status_code == 200


def test_a_declared_length_over_the_limit_is_refused_before_any_body_is_sent(endpoint):
    with socket.create_connection(("127.0.0.1", endpoint.port), timeout=5) as connection:
        connection.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100000000\r\n\r\nSELECT"
        )
        assert connection.recv(4096).startswith(b"HTTP/1.1 413")


def test_a_result_over_the_row_limit_is_an_error_saying_so(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 6000"})
    assert response.status_code == 400
    assert f"more than {MAX_ROWS} rows; add a LIMIT" in response.text
    under = client.get("/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 4000"})
    assert len(bindings(under)) == 4000


# ----------------------------------------------------------------------------------------------------------------
# Time limit, concurrency and clients that go away


def pool_workers() -> list[psutil.Process]:
    """The forked pool workers: children of this process running this interpreter and command line."""
    me = psutil.Process()
    return [child for child in me.children() if child.cmdline() == me.cmdline()]


def test_a_runaway_query_is_stopped_while_other_queries_are_answered(client, endpoint):
    outcome: dict[str, object] = {}

    def run_away() -> None:
        started = time.monotonic()
        with httpx.Client(base_url=endpoint.base, timeout=30) as own_client:
            response = own_client.get("/sparql", params={"query": RUNAWAY})
        outcome.update(status=response.status_code, text=response.text, seconds=time.monotonic() - started)

    runaway = threading.Thread(target=run_away)
    runaway.start()
    time.sleep(0.5)
    answered_during = []
    while runaway.is_alive() and len(answered_during) < 5:
        started = time.monotonic()
        shows = bindings(client.get("/sparql", params={"query": SHOWS}))
        answered_during.append((time.monotonic() - started, runaway.is_alive(), len(shows)))
    runaway.join()

    assert outcome["status"] == 503
    assert outcome["text"] == f"query stopped after {TIMEOUT:g} s (time limit)\n"
    assert TIMEOUT <= outcome["seconds"] < TIMEOUT + 3
    assert len(answered_during) == 5 and all(still_running for _, still_running, _ in answered_during)
    assert all(seconds < 1.0 and rows > 10 for seconds, _, rows in answered_during)
    assert quad_count(client) > 2000  # still answering, from the restarted worker as well
    assert [worker.net_connections(kind="inet") for worker in pool_workers()] == [[], []]


def test_an_oxigraph_backed_graph_is_served_and_its_runaway_queries_stopped_on_time(graph):
    with served(create_app(kg.load(store="oxigraph"), timeout=TIMEOUT, workers=2)) as oxigraph:
        with httpx.Client(base_url=oxigraph.base, timeout=30) as own_client:
            cast = bindings(own_client.get("/sparql", params={"query": kg.named_query("cast").text}))
            in_process = kg.run_query(graph, kg.named_query("cast"), {"show": "Star City"}).records()
            assert sorted(row["actorLabel"]["value"] for row in cast) == sorted(r["actorLabel"] for r in in_process)
            assert own_client.get("/sparql", params={"query": UPDATES[0]}).status_code == 403

            statuses: list[int] = []
            started = time.monotonic()
            runaway = threading.Thread(
                target=lambda: statuses.append(own_client.get("/sparql", params={"query": RUNAWAY}).status_code)
            )
            with httpx.Client(base_url=oxigraph.base, timeout=30) as other_client:
                runaway.start()
                time.sleep(0.3)
                assert bindings(other_client.get("/sparql", params={"query": SHOWS}))
                assert runaway.is_alive()
                runaway.join()
            # Oxigraph counts in native code: only a signal's default action, not Python's handler, stops it on time.
            assert statuses == [503] and time.monotonic() - started < TIMEOUT + 1.0
            assert bindings(own_client.get("/sparql", params={"query": SHOWS}))


def raw_request(port: int, query: str, receive_buffer: int | None = None) -> socket.socket:
    """A plain socket that has sent a GET for ``query`` and read nothing yet."""
    connection = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if receive_buffer:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    connection.connect(("127.0.0.1", port))
    target = "/sparql?" + urllib.parse.urlencode({"query": query})
    connection.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n".encode())
    return connection


@pytest.fixture
def server_errors() -> Iterator[list[logging.LogRecord]]:
    """Errors uvicorn (which does not propagate to the root logger) or the endpoint log meanwhile."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = records.append
    loggers = [logging.getLogger("uvicorn.error"), logging.getLogger("kg.serve")]
    for logger in loggers:
        logger.addHandler(handler)
    yield records
    for logger in loggers:
        logger.removeHandler(handler)


def test_clients_hanging_up_mid_response_do_not_disturb_the_server(client, endpoint, server_errors):
    expected = len(bindings(client.get("/sparql", params={"query": ALL_QUADS})))
    assert expected > 2000
    for _ in range(3):
        connection = raw_request(endpoint.port, ALL_QUADS, receive_buffer=4096)
        head = connection.recv(4096)
        assert head.startswith(b"HTTP/1.1 200")
        content_length = int(re.search(rb"content-length: (\d+)", head, re.IGNORECASE).group(1))
        assert content_length > 1_000_000  # far more than the socket buffers: the server is mid-response
        connection.close()
    assert len(bindings(client.get("/sparql", params={"query": ALL_QUADS}))) == expected
    assert bindings(client.get("/sparql", params={"query": SHOWS}))
    assert server_errors == []


def test_a_client_that_hangs_up_while_its_query_runs_frees_the_worker(client, endpoint, server_errors):
    hung_up = [raw_request(endpoint.port, RUNAWAY) for _ in range(2)]  # one per worker
    time.sleep(0.4)
    for connection in hung_up:
        connection.close()
    time.sleep(0.2)
    started = time.monotonic()
    assert bindings(client.get("/sparql", params={"query": SHOWS}))
    assert time.monotonic() - started < 1.0  # both runaways would otherwise hold the workers until the time limit
    assert server_errors == []


def test_a_failure_inside_a_worker_is_500_internal_error_and_nothing_else():
    failing = 'SELECT ?x WHERE { BIND (REGEX("a", "[") AS ?x) }'  # rdflib raises re.error while evaluating
    with served(create_app(kg.load(store="memory"), timeout=TIMEOUT, workers=1)) as running, \
            httpx.Client(base_url=running.base, timeout=30) as client:
        for _ in range(3):
            response = client.get("/sparql", params={"query": failing})
            assert response.status_code == 500 and response.text == "internal error\n"
        assert bindings(client.get("/sparql", params={"query": SHOWS}))


def test_what_is_loaded_is_kept_from_the_collector_while_serving_and_handed_back_at_shutdown():
    gc.unfreeze()  # another endpoint of this module may be serving, frozen
    with served(create_app(kg.load(), timeout=TIMEOUT, workers=1)) as running, \
            httpx.Client(base_url=running.base, timeout=30) as client:
        assert gc.get_freeze_count() > 0
        assert bindings(client.get("/sparql", params={"query": SHOWS}))
    assert gc.get_freeze_count() == 0


def test_a_failure_in_the_server_is_500_internal_error_and_logged(client, endpoint, monkeypatch, caplog):
    endpoint_state = endpoint.app.state.endpoint

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(endpoint_state, "schedule", broken)
    never_asked = SHOWS + " # not asked before, so not answered from memory"
    response = client.get("/sparql", params={"query": never_asked})
    assert response.status_code == 500 and response.text == "internal error\n"
    assert "secret detail" in caplog.text  # logged on the server


def test_unknown_paths_and_methods_do_not_leak(client):
    assert client.get("/nothing").status_code == 404
    assert client.put("/sparql", content=b"x").status_code == 405
    assert client.get("/nothing").headers["content-security-policy"].startswith("default-src 'none'")


def test_kg_serve_prints_its_url_answers_and_stops_its_workers_on_ctrl_c():
    command = [str(Path(sys.executable).with_name("kg")), "serve", "--port", "0", "--timeout", "5", "--workers", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/sparql", process.stdout.readline()).group(0)
        assert len(bindings(httpx.get(url, params={"query": SHOWS}, timeout=10))) > 10
        workers = psutil.Process(process.pid).children()
        assert len(workers) == 2
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
        assert process.stderr.read() == ""
        assert not any(worker.is_running() and worker.status() != psutil.STATUS_ZOMBIE for worker in workers)
    finally:
        process.kill()
        process.wait()


def test_limits_are_checked():
    with pytest.raises(kg.errors.UsageError):
        create_app(rdflib.Dataset(), timeout=0)
    with pytest.raises(kg.errors.UsageError):
        create_app(rdflib.Dataset(), workers=0)
