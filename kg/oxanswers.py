"""A SELECT answer from Oxigraph read as rdflib terms through its TSV serialisation.

Turning a large answer into rdflib terms cell by cell makes a pyoxigraph object for every cell and looks each up:
at a million triples, about 8 of the 18 s the largest named query took (3 million cells). Oxigraph writes the same
answer as SPARQL TSV in Rust, each term in its Turtle form, and Python splits it with ``str.split``: each distinct
token becomes one rdflib term, once. The terms are the ones :func:`kg.oxstore.from_oxigraph` makes (tested
against it, cell for cell).

The writer writes an ``xsd:boolean`` "1" as ``true``, but Oxigraph holds and computes every boolean, number and
language tag in its canonical form already (a query's own ``"1"^^xsd:boolean`` included), so nothing is lost.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.compat import decodeUnicodeEscape

from kg.gc_pause import collector_paused
from kg.oxstore import _iri, _text

_QUOTED = re.compile(r'"(?P<text>(?:[^"\\]|\\.)*)"(?:@(?P<language>[^"@\s]+)|\^\^<(?P<datatype>[^<>\s]*)>)?', re.DOTALL)
_BARE = [  # Turtle's short forms, as the writer uses them
    (re.compile(r"true|false"), XSD.boolean),
    (re.compile(r"[+-]?\d+"), XSD.integer),
    (re.compile(r"[+-]?\d*\.\d+"), XSD.decimal),
    (re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+"), XSD.double),
]


def read_rows(solutions) -> list[tuple]:
    """The rows of a pyoxigraph ``QuerySolutions``, each cell an rdflib term or None (unbound)."""
    written = _Chunks()
    solutions.serialize(written, format=ox.QueryResultsFormat.TSV)
    return rows_from_tsv(b"".join(written), len(solutions.variables))


class _Chunks(list):
    """Where Oxigraph writes the answer, a chunk at a time. Each chunk is a call of Python code, so a signal
    (Ctrl-C, a time limit's alarm) stops a long query while Oxigraph evaluates it, as reading the answer row by
    row did: serialising to bytes in one call would hold the signal until the whole answer was written."""

    def write(self, chunk) -> int:
        self.append(bytes(chunk))
        return len(chunk)

    def flush(self) -> None:
        pass


@collector_paused()  # every row made stays alive in the answer: nothing to collect
def rows_from_tsv(data: bytes, width: int) -> list[tuple]:
    """The rows of a TSV answer with ``width`` columns, each cell an rdflib term or None (unbound)."""
    lines = data.decode().split("\n")  # not splitlines: a literal may hold a form feed or a vertical tab unescaped
    if lines[-1] == "":
        lines.pop()
    del lines[0]  # the header: the caller has the variables
    if width == 0:
        return [()] * len(lines)
    terms = _Terms()
    term = terms.__getitem__
    return [tuple(map(term, line.split("\t"))) for line in lines]


class _Terms(dict):
    """Each token's term, made once: an answer repeats its IRIs and labels row after row."""

    def __missing__(self, token: str):
        found = self[token] = term_from_tsv(token)
        return found


def term_from_tsv(token: str):
    """The rdflib term a TSV cell writes; None for an empty cell (unbound)."""
    if not token:
        return None
    first = token[0]
    if first == "<" and not token.startswith("<<"):
        return _iri(token[1:-1])
    if first == '"':
        found = _QUOTED.fullmatch(token)
        if found:
            text = decodeUnicodeEscape(found.group("text"))
            datatype = found.group("datatype")
            if datatype is None or datatype == XSD.string:
                return _text(text, found.group("language"))
            return Literal(text, datatype=URIRef(datatype))
    elif token.startswith("_:"):
        return BNode(token[2:])
    else:
        for pattern, datatype in _BARE:
            if pattern.fullmatch(token):
                return Literal(token, datatype=datatype)
    raise ValueError(f"unexpected term in Oxigraph's TSV answer: {token[:80]!r}")
