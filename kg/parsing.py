"""Read the data files (which ones, :mod:`kg.datafolder` says): each file parsed on its own.

A file that cannot be read or parsed raises :class:`~kg.errors.DataFileError`
naming the file, line and column; :mod:`kg.store` loads what these return.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.datafolder import PARSER_BY_SUFFIX
from kg.errors import DataFileError
from kg.vocab import FAM


class _IllTypedLiteralFilter(logging.Filter):
    """rdflib logs a traceback for every literal whose text does not fit its datatype ("2025-13-45"^^xsd:date);
    validation reports each one, with the file to fix, so the traceback is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form to value")


logging.getLogger("rdflib.term").addFilter(_IllTypedLiteralFilter())

class CountingReader:
    """A binary file wrapper that reports how far reading has got, for progress bars."""

    def __init__(self, raw, on_bytes: Callable[[int], None] | None) -> None:
        self._raw = raw
        self._on_bytes = on_bytes
        self._read = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._raw.read(size)
        self._read += len(chunk)
        if self._on_bytes is not None:
            self._on_bytes(self._read)
        return chunk

    def readinto(self, buffer) -> int:
        count = self._raw.readinto(buffer)
        self._read += count or 0
        if self._on_bytes is not None:
            self._on_bytes(self._read)
        return count


def parser_for(path: Path) -> str:
    """rdflib's parser name for a data file, by its suffix; an unknown suffix is a DataFileError."""
    fmt = PARSER_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise DataFileError(path, f"unknown file type {path.suffix!r}; expected one of {', '.join(PARSER_BY_SUFFIX)}")
    return fmt


def parse_file(path: Path) -> Dataset:
    """Parse one data file into a dataset of its own; errors name the file, line and column.

    Triples outside any named graph (all of a Turtle or N-Triples file, the
    default graph of a TriG file) go into the graph ``graph/<file name>``, so
    that validation names this file when they have no source.
    """
    path = Path(path)
    fmt = parser_for(path)
    text = read_utf8(path)
    parsed = Dataset()
    try:
        parsed.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except BadSyntax as error:
        line, column = _position_of(error)
        if "found end" in str(error._why):  # the parser reports running out of text at 1:1; say where the file ends
            line, column = text.count("\n") + 1, len(text) - text.rfind("\n")
        raise DataFileError(path, error._why, line, column) from None
    except Exception as error:  # noqa: BLE001 - every parser failure is reported the same way
        raise DataFileError(path, f"cannot parse as {fmt}: {error}") from None
    default = parsed.graph(DATASET_DEFAULT_GRAPH_ID)
    if len(default):
        own = parsed.graph(FAM["graph/" + path.stem])
        for triple in list(default):
            own.add(triple)
            default.remove(triple)
    return parsed


def parse_turtle_file(path: Path) -> Graph:
    """Parse one Turtle file into a plain graph (the SHACL shapes), with file:line:col errors."""
    graph = Graph()
    try:
        graph.parse(data=read_utf8(Path(path)), format="turtle", publicID=Path(path).resolve().as_uri())
    except BadSyntax as error:
        raise DataFileError(Path(path), error._why, *_position_of(error)) from None
    return graph


def read_utf8(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataFileError(path, f"cannot read: {error.strerror}") from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark is allowed, and not data
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - raw.rfind(b"\n", 0, error.start)
        raise DataFileError(
            path, f"not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded; save the file as UTF-8", line, column
        ) from None


def _position_of(error: BadSyntax) -> tuple[int | None, int | None]:
    """Line and column (both from 1) of a notation3/TriG parser error."""
    text, offset = error._str, error._i
    if isinstance(text, str):
        text = text.encode("utf-8")
    if not isinstance(text, bytes) or not isinstance(offset, int):
        return None, None
    offset = max(0, min(offset, len(text)))
    line = text.count(b"\n", 0, offset) + 1
    column = len(text[text.rfind(b"\n", 0, offset) + 1 : offset].decode("utf-8", "replace")) + 1
    return line, column
