"""The ``kg`` console script: a plain ``kg query`` answered from the load cache, anything else by the full CLI.

Most of a cold ``kg query`` used to be imports (typer with pydantic; rdflib's whole SPARQL engine, through oxrdflib)
and the parsing of the data files. When the command is ``kg query NAME|FILE`` with at most ``--format`` and
``--param`` options, on the shipped data and the default store, and the load cache (:mod:`kg.compiled`) holds the
current data, it is answered here with pyoxigraph and rich alone, by the same :func:`kg.query.run_query` and the
same printing as :func:`kg.cli.query`. Whatever this path cannot answer in exactly the same way (another option, an
environment variable that changes the graph, no cache yet, an error to report, an entity parameter that needs
the label index) goes to the full CLI, which answers it and writes the cache for next time.
"""

from __future__ import annotations

import os
import sys

GRAPH_VARIABLES = ("KG_DATA_DIR", "KG_STORE_PATH")
"""Environment variables that choose another graph than the shipped data (KG_STORE is checked on its own)."""


class NeedsFullGraph(Exception):
    """The query needs more of the graph than the cached store offers (the rdflib API): use the full CLI."""


class CachedGraph:
    """The cached Oxigraph store, as :func:`kg.query.run_query` uses it on Oxigraph; nothing more."""

    is_remote = False

    def __init__(self, store) -> None:
        self.oxigraph = store

    def __getattr__(self, name: str):
        raise NeedsFullGraph(name)


def main() -> None:
    code = answer_query(sys.argv[1:])
    if code is None:
        from kg.cli import app

        app()
    sys.exit(code)


def answer_query(argv: list[str]) -> int | None:
    """Print the answer to ``kg query …`` and return 0, or return None when the full CLI must answer."""
    if argv[:1] != ["query"] or any(os.environ.get(name) for name in GRAPH_VARIABLES):
        return None
    if os.environ.get("KG_STORE", "oxigraph") != "oxigraph":
        return None
    parsed = _query_arguments(argv[1:])
    if parsed is None:
        return None
    spec, fmt, params = parsed

    from kg import compiled
    from kg.errors import KgError
    from kg.store import data_files, default_data_dir

    try:
        cached = compiled.open_store(data_files(default_data_dir()))
    except KgError:
        return None
    if cached is None:
        return None

    from kg.console import print_query_result
    from kg.query import RESULT_FORMATS, load_query, run_query

    if fmt not in RESULT_FORMATS:
        return None
    try:
        named = load_query(spec)
        result = run_query(CachedGraph(cached[0]), named, params)
    except (KgError, NeedsFullGraph):
        return None
    print_query_result(named, result, fmt)
    return 0


def _query_arguments(arguments: list[str]) -> tuple[str, str, dict[str, str]] | None:
    """``(spec, format, params)`` from ``NAME [-f FORMAT] [-p NAME=VALUE]…``, or None for anything else."""
    spec: str | None = None
    fmt = "table"
    params: dict[str, str] = {}
    remaining = list(arguments)
    while remaining:
        word = remaining.pop(0)
        option, equals, attached = word.partition("=") if word.startswith("--") else (word, "", "")
        if option in ("-f", "--format", "-p", "--param"):
            if not equals:
                if not remaining:
                    return None
                attached = remaining.pop(0)
            if option in ("-f", "--format"):
                fmt = attached
                continue
            name, sep, value = attached.partition("=")
            if not sep or not name.strip():
                return None
            params[name.strip()] = value
        elif word.startswith("-") or spec is not None:
            return None  # another option, stdin (-), or a second argument: the full CLI says what it makes of it
        else:
            spec = word
    return None if spec is None else (spec, fmt, params)
