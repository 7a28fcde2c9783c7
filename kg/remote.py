"""Remote SPARQL 1.1 servers: run queries on one, and push the dataset into one.

``Endpoint(url)`` stands in for a dataset in :func:`kg.run_query`: the query is
checked here (read-only, no SERVICE or FROM), its parameters are written into
it as a ``VALUES`` block of escaped RDF terms, and it is sent with the SPARQL
1.1 Protocol (an HTML form POST); SELECT and ASK answers come back as SPARQL
Query Results JSON, CONSTRUCT and DESCRIBE as N-Triples.

:func:`push` loads a dataset into a server through the SPARQL 1.1 Graph Store
HTTP Protocol: one ``PUT ?graph=IRI`` per named graph, which replaces that
graph, so pushing twice leaves the server as pushing once.

A Graph Store that asks for a user and password gets :class:`Credentials` (``kg push --user``, the password from
``KG_PUSH_PASSWORD`` or a file, never the command line), answering its Digest or Basic challenge. A push that fails
partway says how many graphs went in.

Connection failures, time-outs and answers 429 or 5xx are retried with
exponential backoff; a 4xx answer is not (the request itself is wrong). What
still fails raises :class:`~kg.errors.RemoteError` (exit code 3).

Our queries read the default graph as the union of the named graphs, each
triple once. ``push`` also puts that union, as a set, into the server's
default graph (``PUT ?default``), so a server queried with its plain default
graph answers as the embedded stores do. A server set to read its default
graph as the union of all graphs (``oxigraph serve --union-default-graph``,
Fuseki's ``tdb2:unionDefaultGraph``) would instead count a triple once per
source graph, plus once for the pushed union: push with ``default_graph=False``
(``kg push --no-default-graph``) to such a server, and expect its aggregates to
differ.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable

from kg.errors import RemoteError, UnknownEntityError, UsageError

USER_AGENT = "fam-kg (+https://w3id.org/fam-kg)"
RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Credentials:
    """A user name and password for a server's authenticated endpoint (HTTP Digest or Basic, as it asks)."""

    user: str
    password: str

    def __repr__(self) -> str:  # never print the password
        return f"Credentials(user={self.user!r}, password=…)"


PASSWORD_VARIABLE = "KG_PUSH_PASSWORD"
USER_VARIABLE = "KG_PUSH_USER"


def credentials_from(user: str | None, password_file: str | None, environ: dict[str, str]) -> Credentials | None:
    """The credentials ``kg push`` was given: the user from ``--user`` or ``KG_PUSH_USER``, the password from
    ``--password-file`` (its first line) or ``KG_PUSH_PASSWORD``; never a password on the command line."""
    user = user or environ.get(USER_VARIABLE) or None
    password = None
    if password_file is not None:
        try:
            with open(password_file, encoding="utf-8") as handle:
                password = handle.readline().rstrip("\r\n")
        except OSError as error:
            raise UsageError(f"--password-file {password_file}: cannot read it: {error.strerror}") from None
        if not password:
            raise UsageError(f"--password-file {password_file}: its first line is empty; put the password there")
    elif environ.get(PASSWORD_VARIABLE):
        password = environ[PASSWORD_VARIABLE]
    if user is None and password is None:
        return None
    if user is None:
        raise UsageError(f"a password was given but no user: add --user NAME (or set {USER_VARIABLE})")
    if password is None:
        raise UsageError(f"--user {user}: give the password in {PASSWORD_VARIABLE} or in a file with --password-file")
    return Credentials(user, password)


@dataclass
class Endpoint:
    """A SPARQL 1.1 query endpoint, such as ``http://localhost:7878/query``."""

    url: str
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5

    def __post_init__(self) -> None:
        _check_http_url(self.url, "--endpoint ")

    is_remote = True

    def query(self, text: str, kind: str = "SELECT"):
        """Send a query; returns a :class:`~kg.results.QueryResult`."""
        from kg.results import QueryResult

        accept = "application/n-triples" if kind in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"
        body = urllib.parse.urlencode({"query": text}).encode()
        answer = request(self.url, "POST", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                  "Accept": accept}, self.timeout, self.retries, self.backoff)
        if kind in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            try:
                graph.parse(data=answer.decode("utf-8"), format="nt")
            except Exception as error:  # noqa: BLE001 - any parser failure means the server sent something else
                raise RemoteError(f"{self.url}: the answer is not N-Triples: {error}") from None
            return QueryResult(kind, graph=graph)
        try:
            document = json.loads(answer)
        except ValueError:
            raise RemoteError(f"{self.url}: the answer is not SPARQL Query Results JSON") from None
        if "boolean" in document:
            return QueryResult("ASK", answer=bool(document["boolean"]))
        if kind == "ASK":  # Virtuoso 7 answers ASK as a SELECT of ?__ASK_RETVAL: one row of 1, or no row
            if document.get("head", {}).get("vars") != ["__ASK_RETVAL"]:
                raise RemoteError(f"{self.url}: the answer to an ASK query holds no boolean")
            rows = document.get("results", {}).get("bindings", [])
            return QueryResult("ASK", answer=bool(rows) and rows[0].get("__ASK_RETVAL", {}).get("value") != "0")
        variables = document.get("head", {}).get("vars", [])
        rows = [tuple(_term(binding.get(v)) for v in variables) for binding in document.get("results", {}).get(
            "bindings", [])]
        return QueryResult("SELECT", variables, rows)

    def resolve(self, kind: str, text: str) -> URIRef:
        """An ``entity``, ``episode`` or ``source`` parameter: an IRI or slug the server knows, or a label (main
        labels before alternative ones; an episode by its title). Episode codes such as ``S1E1`` need the local
        graph."""
        from kg.binding import IRI_FORBIDDEN, inline_bindings
        from kg.vocab import FAM, PREFIXES

        candidates = []
        if not IRI_FORBIDDEN.search(text):  # could be an IRI or a slug
            candidates = [URIRef(text)] if ":" in text else []
            candidates.append(FAM[("source/" + text.removeprefix("source/")) if kind == "source" else text.strip("/")])
        for candidate in candidates:
            ask = "ASK { { ?candidate ?p ?o } UNION { GRAPH ?candidate { ?s ?p ?o } } }"
            if self.query(inline_bindings(ask, {Variable("candidate"): candidate}), "ASK").answer:
                return candidate
        found = []
        for labels in ("rdfs:label", "skos:altLabel"):  # main labels first, as kg.find_entity does
            lookup = (f"PREFIX rdfs: <{PREFIXES['rdfs']}>\nPREFIX skos: <{PREFIXES['skos']}>\n"
                      f"SELECT DISTINCT ?entity WHERE {{ ?entity {labels} ?label . "
                      "FILTER (LCASE(STR(?label)) = LCASE(STR(?text))) }")
            found = self.query(inline_bindings(lookup, {Variable("text"): Literal(text)})).rows
            if found:
                break
        if len(found) == 1:
            return found[0][0]
        if found:
            raise UsageError(f"{text!r} names {len(found)} entities on {self.url}; give an IRI or slug")
        raise UnknownEntityError(text, [])


def _check_http_url(url: str, option: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{option}{url!r}: expected an http:// or https:// URL")
    return parts


def _term(cell: dict | None):
    if cell is None:
        return None
    kind, value = cell.get("type"), cell.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in cell:
        return Literal(value, lang=cell["xml:lang"])
    return Literal(value, datatype=URIRef(cell["datatype"]) if "datatype" in cell else None)


def _opener(url: str, credentials: Credentials | None) -> urllib.request.OpenerDirector:
    """urllib's opener, answering the server's Digest or Basic challenge with ``credentials`` when given."""
    if credentials is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, credentials.user, credentials.password)
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords),
                                       urllib.request.HTTPBasicAuthHandler(passwords))


def request(url: str, method: str, body: bytes | None, headers: dict[str, str], timeout: float, retries: int,
            backoff: float, credentials: Credentials | None = None) -> bytes:
    """One HTTP request with retries: the body of a 2xx answer, or RemoteError."""
    last = ""
    opener = _opener(url, credentials)
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        call = urllib.request.Request(url, data=body, method=method, headers={"User-Agent": USER_AGENT, **headers})
        try:
            with opener.open(call, timeout=timeout) as answer:  # noqa: S310 - the user gave this URL
                return answer.read()
        except urllib.error.HTTPError as error:
            detail = error.read(2000) if error.fp is not None else b""  # urllib's auth handlers may leave no body
            detail = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail or "")
            message = detail.strip().splitlines()
            last = f"HTTP {error.code} {error.reason}" + (f": {message[0]}" if message else "")
            if error.code == 401:
                hint = ("the server refused the user name or password" if credentials is not None
                        else f"the server asks for a user and password: --user NAME and {PASSWORD_VARIABLE}")
                raise RemoteError(f"{url}: HTTP 401 Unauthorized: {hint}") from None
            if error.code not in RETRY_STATUSES:
                raise RemoteError(f"{url}: {last}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
            reason = getattr(error, "reason", error)
            last = f"cannot reach the server ({reason})"
    raise RemoteError(f"{url}: {last} (after {retries + 1} attempts)")


@dataclass
class PushResult:
    graphs: int
    triples: int


def push(dataset: Dataset, url: str, *, timeout: float = 60.0, retries: int = 3, backoff: float = 0.5,
         default_graph: bool = True, progress: Callable[[int, int], None] | None = None,
         credentials: Credentials | None = None) -> PushResult:
    """Put every named graph of ``dataset`` into the Graph Store at ``url`` (e.g. ``http://host:7878/store``).

    Each graph replaces the server's graph of the same name; graphs on the
    server that the dataset does not have are left alone. With
    ``default_graph`` (the default) the union of the named graphs, each triple
    once, also replaces the server's default graph (see the module's notes).
    """
    parts = _check_http_url(url, "")
    graphs: dict[URIRef, Graph] = defaultdict(Graph)
    union = Graph()
    from kg.store import named_graph_quads

    for s, p, o, name in named_graph_quads(dataset):
        graphs[name].add((s, p, o))
        union.add((s, p, o))
    separator = "&" if parts.query else "?"
    targets = [(f"{url}{separator}{urllib.parse.urlencode({'graph': str(name)})}", graph, str(name))
               for name, graph in sorted(graphs.items())]
    if default_graph:
        targets.append((f"{url}{separator}default", union, ""))
    triples = 0
    for done, (target, graph, name) in enumerate(targets, start=1):
        try:
            request(target, "PUT", _sorted_ntriples(graph), {"Content-Type": "application/n-triples"}, timeout,
                    retries, backoff, credentials)
        except RemoteError as error:
            last_pushed = targets[done - 2][2] or "the default graph"
            pushed = ("nothing was pushed" if done == 1 else
                      f"{done - 1} of {len(targets)} graphs were pushed (in IRI order, up to {last_pushed}); "
                      "the others are as they were")
            raise RemoteError(f"{error}; {pushed}") from None
        triples += len(graph) if name else 0
        if progress is not None:
            progress(done, len(targets))
    return PushResult(len(graphs), triples)


def _sorted_ntriples(graph: Graph) -> bytes:
    lines = sorted(set(graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()))
    return "".join(f"{line}\n" for line in lines if line.strip()).encode("utf-8")
