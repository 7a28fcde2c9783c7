"""The worker side of ``kg serve``: what runs in the forked processes of the pool (see :mod:`kg.serve` for why
processes). Each worker keeps the graph it inherited, evaluates one query at a time and sends back only the
response bytes, serialised in the first acceptable format that fits the result."""

from __future__ import annotations

import logging
import os
import signal
import socket
from collections.abc import Sequence

from rdflib import Dataset

from kg.answers import Answer
from kg.errors import QuerySyntaxError, ReadOnlyError, RemoteAccessRefused, UsageError
from kg.query import NamedQuery, run_query
from kg.serve_formats import FORMAT_BY_NAME, FORMATS, first_fitting, serialize

logger = logging.getLogger("kg.serve")
PLAIN_TEXT = "text/plain; charset=utf-8"


def message(status: int, text: str) -> Answer:
    """A plain-text answer of one line."""
    return Answer(status, PLAIN_TEXT, (text + "\n").encode("utf-8"))


_worker_dataset: Dataset | None = None


def start_worker(dataset: Dataset) -> None:
    """Pool initializer: keep the inherited graph, die at once when stopped, and let go of the server's sockets.

    pebble stops a worker with SIGTERM, which its Python handler only acts on between bytecodes: a query evaluated
    in native code (pyoxigraph counting a cartesian product) would run on for pebble's 3 s grace period until
    SIGKILL. The default action ends the process at once; pebble holds the channel lock meanwhile, so no lock dies
    with it. A worker forked while clients are connected (pebble forks a replacement after stopping one) would
    otherwise hold those connections, and the listening socket, open for as long as it lives.
    """
    global _worker_dataset
    _worker_dataset = dataset
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _release_inherited_network_sockets()


def _release_inherited_network_sockets() -> None:
    """Point every inherited TCP socket descriptor at /dev/null.

    ``dup2`` rather than ``close``: Python objects copied from the parent still own those descriptor numbers, and
    a number closed here could be reused and then closed again under them.
    """
    try:
        descriptors = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        for descriptor in descriptors:
            if descriptor == devnull:
                continue
            try:
                probe = socket.socket(fileno=descriptor)
            except OSError:
                continue
            family = probe.family
            probe.detach()
            if family in (socket.AF_INET, socket.AF_INET6):
                os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)


def worker_is_ready() -> bool:
    """The warm-up task: true once the initializer has given this worker the graph."""
    return _worker_dataset is not None


def answer_query(query_text: str, acceptable: Sequence[str], max_rows: int) -> Answer:
    """Evaluate one query in a worker and serialise the result in the first acceptable format that fits it."""
    if _worker_dataset is None:
        raise RuntimeError("answer_query runs in a worker started by create_app's pool")
    try:
        result = run_query(_worker_dataset, NamedQuery.from_text(query_text, name="request"))
        chosen = first_fitting(acceptable, result.kind)
        if chosen is None:
            asked = ", ".join(FORMAT_BY_NAME[name].media_type for name in acceptable)
            possible = ", ".join(fmt.media_type for fmt in FORMATS if result.kind in fmt.kinds)
            return message(406, f"a {result.kind} result cannot be given as {asked}; it can be {possible}")
        if result.kind != "ASK" and len(result) > max_rows:
            unit = "rows" if result.kind == "SELECT" else "triples"
            return message(400, f"result has more than {max_rows} {unit}; add a LIMIT")
        return Answer(200, chosen.content_type, serialize(result, chosen))
    except (ReadOnlyError, RemoteAccessRefused) as refused:
        return message(403, str(refused))
    except QuerySyntaxError as error:
        return message(400, syntax_errormessage(error))
    except UsageError as error:
        return message(400, str(error))
    except Exception:  # noqa: BLE001 - the client gets no detail; the log gets all of it
        logger.exception("query failed: %s", query_text)
        return message(500, "internal error")


def syntax_errormessage(error: QuerySyntaxError) -> str:
    """The parser's message, saying where: ``SPARQL syntax error at line 1, column 19: Expected SelectQuery``."""
    if error.line is None:
        return str(error)
    detail = str(error).partition("SPARQL syntax error: ")[2] or str(error)
    return f"SPARQL syntax error at line {error.line}, column {error.column}: {detail}"
