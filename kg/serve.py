"""A read-only SPARQL 1.1 Protocol endpoint over the graph (``kg serve``).

Routes
------
``GET /sparql?query=…``, ``POST /sparql`` with ``application/x-www-form-urlencoded`` (``query=…``) or with an
``application/sparql-query`` body
    Evaluate one query. The result format comes from a ``format`` parameter (``json``, ``xml``, ``csv``, ``tsv``,
    ``turtle``, ``ntriples``, ``rdfxml``, ``jsonld``, or their media types) or else from the ``Accept`` header
    (:mod:`kg.serve_formats`). SELECT and ASK give ``application/sparql-results+json`` (the default),
    ``application/sparql-results+xml``, ``text/csv`` or ``text/tab-separated-values``; CONSTRUCT and DESCRIBE give
    ``text/turtle`` (the default), ``application/n-triples``, ``application/rdf+xml`` or ``application/ld+json``.
    A query that opens with a named-query header (``# param: show: entity = Star City -- …``) has its parameters'
    defaults bound, as ``kg query`` does, so the page's examples run as listed.
``GET /sparql`` without a query
    The SPARQL 1.1 Service Description of the endpoint (:mod:`kg.serve_description`): result formats, features,
    the default and named graphs with their sizes; a graph, negotiated like a CONSTRUCT result.
``GET /.well-known/void``
    The dataset's VoID + DCAT description (:mod:`kg.void`), naming this endpoint.
``GET /``
    A small query page (:mod:`kg.serve_page`): a text area, a format menu, and the named queries as examples.

Status codes
------------
=====  ==============================================================================================
200    the result
400    no query, more than one, malformed SPARQL (the parser's message with line and column), a bad
       parameter, or a result over ``max_rows`` ("result has more than N rows; add a LIMIT")
403    an update (``application/sparql-update``, an ``update`` field, INSERT/DELETE/LOAD/CLEAR/DROP in the
       query), ``SERVICE``, ``FROM``/``FROM NAMED``, ``default-graph-uri``/``named-graph-uri``: all refused
       before anything is evaluated, and nothing is fetched
406    an unknown ``format``, or nothing in ``Accept`` that this endpoint can give for the result
413    a request body over ``max_body`` bytes (``Content-Length`` is checked first, then the bytes are counted
       as they arrive; reading stops at the limit)
415    a POST body of another Content-Type
503    the query ran longer than ``timeout`` seconds and was stopped
500    ``internal error`` and nothing else; the details go to the server's log
=====  ==============================================================================================

A result over ``max_rows`` is answered 400 rather than 413 (which is about the request's own size) or 422: the
request is at fault and the fix is the client's, to add a LIMIT, which is what 400 says. The limit is checked on
the evaluated result, so it bounds the response; the time limit is what bounds the work.

Why worker processes
--------------------
rdflib evaluates SPARQL in pure Python: a thread cannot be stopped and holds the GIL. Each query therefore runs in
a worker process of a :class:`pebble.ProcessPool` created after the graph is loaded; the workers are forked, so
they inherit the graph without copying or pickling it. A query over its time limit has its worker killed (pebble
starts another) while the other workers go on answering, and a query whose client hangs up is stopped the same
way. The worker serialises the result, so only the response bytes cross back to the server. The data can never
change: every worker holds its own copy, and updates are refused before evaluation anyway. So the server remembers
its successful answers (:mod:`kg.answers`, 32 MiB of the most recently used): the same request, or the same query
asked for the same formats, is answered with the same bytes at once, without a worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import math
import multiprocessing
import urllib.parse
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future
from dataclasses import dataclass

from pebble import ProcessExpired, ProcessPool
from rdflib import Dataset
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.answers import Answer, AnswerCache, RememberedResponses
from kg.errors import UsageError
from kg.query import NamedQuery, prepare, query_catalogue
from kg.serve_description import WELL_KNOWN_VOID, SelfDescription, graph_answer
from kg.serve_formats import FORMATS, acceptable_formats, formats_named
from kg.serve_page import PAGE_POLICY, query_page_html
from kg.serve_worker import PLAIN_TEXT, answer_query, message, start_worker, worker_is_ready

logger = logging.getLogger(__name__)

FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


class Refusal(Exception):
    """A request answered with an error before any query is evaluated."""

    def __init__(self, status: int, message: str, *, close: bool = False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.close = close

    def response(self) -> Response:
        headers = {"Connection": "close"} if self.close else None
        return Response((self.message + "\n").encode("utf-8"), self.status, headers, PLAIN_TEXT)


@dataclass(frozen=True)
class Limits:
    """What one request may cost."""

    timeout: float
    max_rows: int
    max_body: int
    workers: int

    def check(self) -> None:
        if not (self.timeout > 0 and math.isfinite(self.timeout)):
            raise UsageError(f"the time limit must be a positive number of seconds, not {self.timeout!r}")
        for name in ("max_rows", "max_body", "workers"):
            if getattr(self, name) < 1:
                raise UsageError(f"{name} must be at least 1, not {getattr(self, name)!r}")


class SparqlEndpoint:
    """The endpoint's state: the graph, the limits, the worker pool (created at start-up, stopped at shutdown)."""

    def __init__(self, dataset: Dataset, limits: Limits):
        self.dataset = dataset
        self.limits = limits
        self.pool: ProcessPool | None = None
        self.page = query_page_html(query_catalogue().values(), limits)
        self.answers = AnswerCache()
        self.description = SelfDescription(dataset)

    def schedule(self, function: Callable[..., object], *args: object, timeout: float | None = None) -> Future:
        """Run ``function`` in a worker, creating the pool if none is running (or the last one broke).

        pebble forks the workers on the pool's first task, so they inherit the graph as loaded by then.
        """
        if self.pool is None or not self.pool.active:
            if self.pool is not None:
                self.pool.stop()
            self.pool = ProcessPool(
                max_workers=self.limits.workers,
                initializer=start_worker,
                initargs=(self.dataset,),
                context=multiprocessing.get_context("fork"),
            )
        return self.pool.schedule(function, args=args, timeout=timeout)

    def stop_pool(self) -> None:
        """Stop the workers, and any query still running, without waiting for them to finish."""
        if self.pool is not None:
            self.pool.stop()
            self.pool.join(timeout=5)
            self.pool = None

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        """Fork the workers before any client connects, and stop them at shutdown.

        pebble forks its workers on the first task, so a warm-up task is sent now: workers forked later, while
        connections and other children's pipes are open, would inherit those. The SPARQL parser is imported and
        built here first, so that each worker, including those forked to replace a stopped one, starts with it.

        What is loaded by then lives as long as the server: it is moved out of the cyclic collector's reach
        (``gc.freeze``), in the server and in the workers forked from it, so that no collection scans it again
        while clients wait (the slowest 1 % of new simple queries took 30 ms by wrk, 9 ms frozen).
        """
        prepare(NamedQuery.from_text("ASK {}", name="warm-up"))
        gc.freeze()
        try:
            if not await asyncio.wrap_future(self.schedule(worker_is_ready)):
                raise RuntimeError("the query workers did not receive the graph")
            yield
        finally:
            self.stop_pool()
            gc.unfreeze()

    async def query_page(self, request: Request) -> Response:
        return Response(self.page, 200, {"Content-Security-Policy": PAGE_POLICY}, "text/html; charset=utf-8")

    async def void(self, request: Request) -> Response:
        """The dataset's VoID + DCAT description."""
        return await self.describe(request, lambda base: self.description.void(base + "/sparql"))

    async def describe(self, request: Request, build: Callable[[str], object]) -> Response:
        """A description graph built by ``build(base URL)``, in the format the request asks for."""
        try:
            acceptable = self.requested_formats(request.query_params.getlist("format"), request)
        except Refusal as refusal:
            return refusal.response()
        base = str(request.base_url).rstrip("/")
        graph = await asyncio.to_thread(build, base)  # the first one counts the graph: off the event loop
        answer = graph_answer(graph, acceptable)
        return Response(answer.body, answer.status, media_type=answer.content_type)

    async def sparql(self, request: Request) -> Response:
        if request.method == "GET" and not {"query", "update"} & set(request.query_params):
            return await self.describe(request, lambda base: self.description.service(base + "/sparql",
                                                                                         base + WELL_KNOWN_VOID))
        try:
            query_text, acceptable = await self.read_request(request)
            answer = await self.evaluate(request, query_text, acceptable)
        except Refusal as refusal:
            return refusal.response()
        except Exception:  # noqa: BLE001 - never a traceback in a response
            logger.exception("request failed: %s %s", request.method, request.url.path)
            return Response(b"internal error\n", 500, media_type=PLAIN_TEXT)
        return Response(answer.body, answer.status, media_type=answer.content_type)

    async def read_request(self, request: Request) -> tuple[str, tuple[str, ...]]:
        """The query text and the acceptable format names, or a :class:`Refusal`."""
        fields = list(request.query_params.multi_items())
        if request.method == "POST":
            content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
            if content_type == UPDATE_TYPE:
                raise Refusal(403, "SPARQL updates are refused: this endpoint is read-only", close=True)
            if content_type not in (FORM_TYPE, QUERY_TYPE):
                raise Refusal(
                    415, f"unsupported Content-Type {content_type or '(none)'!r}; send {FORM_TYPE} or {QUERY_TYPE}",
                    close=True,
                )
            body = _decode(await read_limited_body(request, self.limits.max_body))
            if content_type == FORM_TYPE:
                fields += urllib.parse.parse_qsl(body, keep_blank_values=True)
            else:
                fields = [(name, value) for name, value in fields if name != "query"] + [("query", body)]
        names = {name for name, _ in fields}
        if "update" in names:
            raise Refusal(403, "SPARQL updates are refused: this endpoint is read-only")
        if names & {"default-graph-uri", "named-graph-uri"}:
            raise Refusal(403, "default-graph-uri and named-graph-uri are refused; use GRAPH ?g { … } instead")
        queries = [value for name, value in fields if name == "query"]
        if len(queries) > 1:
            raise Refusal(400, "more than one query; send exactly one")
        if not queries or not queries[0].strip():
            raise Refusal(400, f"missing query: send ?query=… or POST it (a form field query, or {QUERY_TYPE})")
        return queries[0], self.requested_formats([value for name, value in fields if name == "format"], request)

    @staticmethod
    def requested_formats(format_values: list[str], request: Request) -> tuple[str, ...]:
        chosen = next((value.strip() for value in reversed(format_values) if value.strip()), None)
        if chosen is not None:
            named = formats_named(chosen)
            if not named:
                names = ", ".join(fmt.name for fmt in FORMATS)
                raise Refusal(406, f"unknown format {chosen!r}; expected one of {names} (or their media types)")
            return named
        accept = request.headers.get("accept")
        acceptable = acceptable_formats(accept)
        if not acceptable:
            offered = ", ".join(fmt.media_type for fmt in FORMATS)
            raise Refusal(406, f"nothing in Accept: {accept} can be given; this endpoint gives {offered}")
        return acceptable

    async def evaluate(self, request: Request, query_text: str, acceptable: tuple[str, ...]) -> Answer:
        """The answer given before to the same query and formats, else the worker's (see :meth:`run`)."""
        answer = self.answers.get(query_text, acceptable)
        if answer is None:
            answer = await self.run(request, query_text, acceptable)
            self.answers.put(query_text, acceptable, answer)
        return answer

    async def run(self, request: Request, query_text: str, acceptable: tuple[str, ...]) -> Answer:
        """Run the query in a worker; stop it at the time limit, or as soon as the client hangs up."""
        future = self.schedule(answer_query, query_text, acceptable, self.limits.max_rows, timeout=self.limits.timeout)
        answered = asyncio.wrap_future(future)
        hung_up = asyncio.ensure_future(wait_for_disconnect(request.receive))
        try:
            await asyncio.wait((answered, hung_up), return_when=asyncio.FIRST_COMPLETED)
            if not answered.done():
                future.cancel()  # pebble stops the worker running it
                return message(503, "client disconnected")
            return answered.result()
        except TimeoutError:
            return message(503, f"query stopped after {self.limits.timeout:g} s (time limit)")
        except ProcessExpired as expired:
            logger.error("a query worker died (exit code %s) running: %s", expired.exitcode, query_text)
            return message(500, "internal error")
        finally:
            hung_up.cancel()
            answered.cancel()


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal(400, "the request body is not UTF-8") from None


async def read_limited_body(request: Request, max_body: int) -> bytes:
    """The request body, refused with 413 once it is known to exceed ``max_body``; never reads past the limit."""
    too_large = Refusal(413, f"request body over {max_body} bytes", close=True)
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise Refusal(400, "invalid Content-Length", close=True)
        if int(declared) > max_body:
            raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_body:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


async def wait_for_disconnect(receive: Receive) -> None:
    """Return when the client has gone (the request body must already be read)."""
    while (await receive())["type"] != "http.disconnect":
        pass


class SecurityHeaders:
    """Pure ASGI middleware: no sniffing, no framing, no referrer, and no active content in any response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def internal_error(request: Request, error: Exception) -> Response:
    logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return Response(b"internal error\n", 500, media_type=PLAIN_TEXT)


def create_app(
    dataset: Dataset,
    *,
    timeout: float = 10.0,
    max_rows: int = 10_000,
    max_body: int = 64 * 1024,
    workers: int = 2,
) -> Starlette:
    """The endpoint as an ASGI app over ``dataset`` (from :func:`kg.load`).

    The worker pool starts with the app (its lifespan) and is stopped, with any running query, when it shuts down.
    ``timeout`` is seconds per query, ``max_rows`` the most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) a
    result may have, ``max_body`` the largest request body in bytes, ``workers`` how many queries run at once.
    """
    limits = Limits(float(timeout), int(max_rows), int(max_body), int(workers))
    limits.check()
    endpoint = SparqlEndpoint(dataset, limits)
    app = Starlette(
        routes=[
            Route("/", endpoint.query_page, methods=["GET"]),
            Route("/sparql", endpoint.sparql, methods=["GET", "POST"]),
            Route(WELL_KNOWN_VOID, endpoint.void, methods=["GET"]),
        ],
        middleware=[Middleware(RememberedResponses), Middleware(SecurityHeaders)],
        exception_handlers={Exception: internal_error},
        lifespan=endpoint.lifespan,
    )
    app.state.endpoint = endpoint
    return app


def serve(dataset: Dataset, host: str = "127.0.0.1", port: int = 7878, **limits: float) -> None:
    """Serve the endpoint with uvicorn until interrupted; prints its URL once it is listening.

    ``limits`` are :func:`create_app`'s keyword arguments. ``port=0`` picks a free port (the URL printed says
    which). Binds to the loopback interface unless told otherwise.
    """
    import uvicorn

    app = create_app(dataset, **limits)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C once it has shut down cleanly
        asyncio.run(_serve_and_announce(server))


async def _serve_and_announce(server) -> None:
    """Run ``server``, printing its URL once it listens (so ``port=0`` shows the port it got)."""
    running = asyncio.ensure_future(server.serve())
    while not server.started and not running.done():
        await asyncio.sleep(0.05)
    if server.started:
        bound_host, bound_port = server.servers[0].sockets[0].getsockname()[:2]
        shown_host = f"[{bound_host}]" if ":" in bound_host else bound_host
        print(f"SPARQL endpoint at http://{shown_host}:{bound_port}/sparql (query page: http://{shown_host}:"
              f"{bound_port}/)", flush=True)
    await running
