"""The ``kg`` console script: plain ``query``, ``describe``, ``path`` and ``sources`` commands without typer, the rest
by the full CLI.

typer's option handling (with pydantic) costs more than a tenth of a second on every start. The commonest commands
in their plain forms — ``kg query NAME|FILE`` with ``--format``/``--param``, ``kg describe ENTITY``,
``kg path A B`` and ``kg sources`` with ``--format`` — on the shipped data and the default store are parsed here and
answered by the same functions as :mod:`kg.cli` (:func:`kg.console.print_query_result`, :mod:`kg.listings`) over
the same :func:`kg.load` (from the load cache when the data is unchanged); an answer given before to the same graph
is printed again from :mod:`kg.kept_answers`. Anything else — another option or command, ``--help``, an environment
variable that changes the graph, any error to report — goes to the full CLI, which answers it (errors in the same
words and exit codes as always).
"""

from __future__ import annotations

import os
import sys

GRAPH_VARIABLES = ("KG_DATA_DIR", "KG_STORE_PATH")
"""Environment variables that choose another graph than the shipped data (KG_STORE is checked on its own)."""

COMMANDS = {"query": (1, ("format", "param")), "describe": (1, ("format",)), "sources": (0, ("format",)),
            "path": (2, ())}
"""Each quick command: how many arguments it takes, and which options."""

OPTIONS = {"-f": "format", "--format": "format", "-p": "param", "--param": "param"}


def main() -> None:
    code = answer(sys.argv[1:])
    if code is None:
        from kg.cli import app

        app()
    sys.exit(code)


def answer(argv: list[str]) -> int | None:
    """Print the answer to a plain command and return 0, or return None when the full CLI must answer."""
    if argv == ["--version"]:
        from kg.about import version

        print(f"fam-kg {version()}")
        return 0
    if not argv or argv[0] not in COMMANDS or any(os.environ.get(name) for name in GRAPH_VARIABLES):
        return None
    if os.environ.get("KG_STORE", "oxigraph") != "oxigraph":
        return None
    parsed = parse(argv[1:], *COMMANDS[argv[0]])
    if parsed is None:
        return None
    arguments, fmt, params = parsed

    from kg.kept_answers import answer_key, answer_kept

    key = answer_key([*argv, _file_digest(argv, arguments)])
    return answer_kept(key, lambda: _load_and_print(argv[0], arguments, fmt, params))


def _load_and_print(command: str, arguments: list[str], fmt: str, params: dict[str, str]) -> int | None:
    from kg.errors import KgError

    try:
        if command == "sources" and _sources_from_load_cache(fmt):
            return 0
        import kg

        return _print(kg.load(), command, arguments, fmt, params)
    except KgError:
        return None  # nothing printed yet: the full CLI reports it in its words


def _sources_from_load_cache(fmt: str) -> bool:
    """``kg sources`` from the load cache's Oxigraph store, read without rdflib (whose import was a third of the
    command's first run on unchanged data); False when the cache holds no load of the shipped data."""
    from kg import compiled
    from kg.datafolder import data_files
    from kg.shipped import default_data_dir

    opened = compiled.open_store(data_files(default_data_dir()))
    if opened is None:
        return False
    from kg.listings import print_source_listing
    from kg.sourceinfo import sources_in_store

    claims, sizes = sources_in_store(opened[0])
    print_source_listing(claims, sum(sizes.values()), fmt)
    return True


def _print(dataset, command: str, arguments: list[str], fmt: str, params: dict[str, str]) -> int:
    if command == "query":
        return _query(dataset, arguments[0], fmt, params)
    if command == "describe":
        from kg.listings import print_description

        print_description(dataset, arguments[0], fmt)
    elif command == "path":
        from kg.listings import print_path

        print_path(dataset, *arguments)
    else:
        from kg.listings import print_sources

        print_sources(dataset, fmt)
    return 0


def _file_digest(argv: list[str], arguments: list[str]) -> str:
    """For ``kg query FILE``, a digest of the file: its text, not only its name, decides the answer."""
    import hashlib

    if argv[0] != "query" or not os.path.isfile(arguments[0]):
        return ""
    with open(arguments[0], "rb") as query_file:
        return hashlib.blake2b(query_file.read(), digest_size=16).hexdigest()


def _query(dataset, spec: str, fmt: str, params: dict[str, str]) -> int:
    from kg.console import print_query_result
    from kg.errors import UsageError
    from kg.query import load_query, run_query
    from kg.results import RESULT_FORMATS

    if fmt not in RESULT_FORMATS:
        raise UsageError(f"unknown format {fmt!r}")
    named = load_query(spec)
    print_query_result(named, run_query(dataset, named, params), fmt)
    return 0


def parse(arguments: list[str], takes: int, options: tuple[str, ...]) -> tuple[list[str], str, dict[str, str]] | None:
    """``(arguments, format, params)`` from ``ARG… [-f FORMAT] [-p NAME=VALUE]…``, or None for anything else."""
    positional: list[str] = []
    fmt = "table"
    params: dict[str, str] = {}
    remaining = list(arguments)
    while remaining:
        word = remaining.pop(0)
        option, equals, attached = word.partition("=") if word.startswith("--") else (word, "", "")
        if OPTIONS.get(option) in options:
            if not equals:
                if not remaining:
                    return None
                attached = remaining.pop(0)
            if OPTIONS[option] == "format":
                fmt = attached
                continue
            name, sep, value = attached.partition("=")
            if not sep or not name.strip():
                return None
            params[name.strip()] = value
        elif word.startswith("-"):
            return None  # another option, or stdin (-): the full CLI says what it makes of it
        else:
            positional.append(word)
    return (positional, fmt, params) if len(positional) == takes else None
