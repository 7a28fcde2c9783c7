"""A query's answer, and how it is written: CSV, TSV, JSON or XML as SPARQL 1.1 Query Results, Turtle for a
graph, dictionaries of display strings or a pandas DataFrame for people."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from json.encoder import encode_basestring as quoted  # what json.dumps(ensure_ascii=False) quotes strings with

from rdflib import BNode, Graph, URIRef, Variable
from rdflib.term import Node

from kg.errors import UsageError
from kg.vocab import slug_of

RESULT_FORMATS = ("table", "csv", "tsv", "json")


@dataclass
class QueryResult:
    """What a query returned: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    answer: bool | None = None
    graph: Graph | None = None

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "SELECT" else len(self.graph or ())

    def records(self) -> list[dict[str, str | None]]:
        """The rows as dictionaries of display strings (IRIs as slugs, literals as text)."""
        return [{var: cell_text(cell) for var, cell in zip(self.variables, row, strict=True)} for row in self.rows]

    def to_dataframe(self):
        """The rows as a pandas DataFrame (needs pandas: ``pip install fam-kg[notebooks]``)."""
        import pandas as pd

        return pd.DataFrame(self.records(), columns=self.variables)

    def serialize(self, fmt: str) -> str:
        """The result as ``csv``, ``tsv``, ``json`` or ``xml`` (SPARQL 1.1 Query Results); a graph as Turtle, or
        N-Triples with ``nt``."""
        if self.kind in ("CONSTRUCT", "DESCRIBE"):
            return self.graph.serialize(format="nt" if fmt == "nt" else "turtle")
        if fmt == "json":
            return _json_text(self.variables, self.rows) if self.kind == "SELECT" else _indented(self._json()) + "\n"
        if fmt == "xml":
            return self._xml()
        if self.kind == "ASK":
            return ("true" if self.answer else "false") + "\n"
        if fmt == "csv":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as the SPARQL CSV spec asks
            writer.writerow(self.variables)
            writer.writerows(["" if c is None else str(c) for c in row] for row in self.rows)
            return out.getvalue()
        if fmt == "tsv":
            lines = ["\t".join("?" + v for v in self.variables)]
            lines += ["\t".join("" if c is None else c.n3() for c in row) for row in self.rows]
            return "\n".join(lines) + "\n"
        raise UsageError(f"unknown result format {fmt!r}; expected one of {', '.join(RESULT_FORMATS)}")

    def _xml(self) -> str:
        """SPARQL Query Results XML, written by rdflib's serializer (which escapes text and attributes)."""
        from rdflib.plugins.sparql.results.xmlresults import XMLResultSerializer
        from rdflib.query import Result

        result = Result(self.kind)
        if self.kind == "ASK":
            result.askAnswer = bool(self.answer)
        else:
            variables = [Variable(name) for name in self.variables]
            result.vars = variables
            result.bindings = [
                {variable: cell for variable, cell in zip(variables, row, strict=True) if cell is not None}
                for row in self.rows
            ]
        out = io.BytesIO()
        XMLResultSerializer(result).serialize(out, encoding="utf-8")
        return out.getvalue().decode("utf-8")

    def _json(self) -> dict:
        if self.kind == "ASK":
            return {"head": {}, "boolean": bool(self.answer)}
        bindings = [
            {var: _json_term(cell) for var, cell in zip(self.variables, row, strict=True) if cell is not None}
            for row in self.rows
        ]
        return {"head": {"vars": self.variables}, "results": {"bindings": bindings}}


def _indented(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _json_text(variables: list[str], rows: list[tuple]) -> str:
    """SPARQL Results JSON of a SELECT answer, the bytes ``json.dumps(..., indent=2)`` gives for it (tested), written
    a cell at a time: with an indent, the json module encodes in Python, which was most of the time of a served
    query. Each distinct term object is encoded once, its strings by the json module's own (C) string encoder."""
    names = [" " * 8 + quoted(name) + ": " for name in variables]
    encoded: dict[int, str] = {}
    bindings = []
    for row in rows:
        parts = []
        for name, cell in zip(names, row, strict=True):
            if cell is not None:
                text = encoded.get(id(cell))
                if text is None:
                    fields = ",\n".join(f"{' ' * 10}{quoted(k)}: {quoted(v)}" for k, v in _json_term(cell).items())
                    text = encoded[id(cell)] = "{\n" + fields + "\n" + " " * 8 + "}"
                parts.append(name + text)
        bindings.append("{\n" + ",\n".join(parts) + "\n      }" if parts else "{}")
    listed = "[\n" + ",\n".join(" " * 6 + b for b in bindings) + "\n    ]" if bindings else "[]"
    head = _indented({"vars": variables}).replace("\n", "\n  ")
    return f'{{\n  "head": {head},\n  "results": {{\n    "bindings": {listed}\n  }}\n}}\n'


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def cell_text(cell: Node | None) -> str | None:
    """How a result cell reads to a person: an IRI as its slug, a literal as its text."""
    if cell is None:
        return None
    if isinstance(cell, URIRef):
        return slug_of(cell)
    return str(cell)
