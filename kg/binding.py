"""A query's parameters: ``NAME=VALUE`` items read, values turned into RDF terms (an entity found by its label,
slug or IRI; a source by slug; a date, a number), and, for engines that take only text, written into the query
as a ``VALUES`` block of escaped terms, never pasted."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import RDF, XSD, BNode, Dataset, Literal, URIRef, Variable
from rdflib.term import Node

from kg.entities import find_entity
from kg.errors import ParameterError, QuerySyntaxError
from kg.vocab import FAM, FAMV, PREFIXES, SOURCES_GRAPH, slug_of

if TYPE_CHECKING:
    from kg.query import NamedQuery

PARAM_KINDS = ("entity", "episode", "source", "iri", "string", "date", "integer")


@dataclass(frozen=True)
class Param:
    """A query parameter declared in the header."""

    name: str
    kind: str
    description: str
    default: str | None = None


def param_assignments(items: Iterable[str], option: str = "--param") -> dict[str, str]:
    """``NAME=VALUE`` items (``kg query -p``, the ``%%sparql`` magic) as a dictionary; a
    :class:`~kg.errors.ParameterError` names the first item that is not one."""
    params: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"{option} {item!r}: expected NAME=VALUE")
        params[name.strip()] = value
    return params


def bind_params(dataset: Dataset, query: NamedQuery, values: Mapping[str, object] | None) -> dict[Variable, Node]:
    """Turn user-given parameter values into RDF terms for ``initBindings``."""
    values = dict(values or {})
    declared = {p.name: p for p in query.params}
    if query.documented:  # its header lists every parameter it takes
        unknown = sorted(set(values) - set(declared))
        if unknown:
            takes = f"it takes {', '.join(declared)}" if declared else "it takes no parameters"
            raise ParameterError(f"{query.name}: unknown parameter {', '.join(unknown)}; {takes}")
    bindings: dict[Variable, Node] = {}
    for param in query.params:
        value = values.get(param.name, param.default)
        if value is None:
            raise ParameterError(
                f"{query.name}: missing parameter {param.name!r} ({param.kind}: {param.description}); "
                f"give it with --param {param.name}=VALUE"
            )
        bindings[Variable(param.name)] = _term(dataset, param, value, query.name)
    for name, value in values.items():
        if name not in declared:  # an undocumented query: IRIs in <…>, anything else a string
            bindings[Variable(name)] = _term(dataset, Param(name, "string", ""), value, query.name)
    return bindings


def _term(dataset: Dataset, param: Param, value: object, origin: str) -> Node:
    if isinstance(value, Node):
        return value
    if not isinstance(value, str):  # a Python value from the API: date, int, float, bool
        return Literal(value)
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if param.kind in ("entity", "episode", "source") and getattr(dataset, "is_remote", False):
        return dataset.resolve(param.kind, text)
    if param.kind == "entity":
        return find_entity(dataset, text)
    if param.kind == "episode":
        from kg.episode import find_episode

        return find_episode(dataset, text, origin=f"{origin}: parameter {param.name!r}").iri
    if param.kind == "source":
        return _source(dataset, text, origin, param.name)
    if param.kind == "iri":
        prefix, colon, local = text.partition(":")
        if colon and prefix in PREFIXES and not local.startswith("//"):
            return URIRef(PREFIXES[prefix] + local)  # schema:startDate
        return URIRef(text) if colon else FAM[text.strip("/")]  # an IRI, or a slug: source/popculture-2025-02-14
    if param.kind == "date":
        try:
            return Literal(dt.date.fromisoformat(text), datatype=XSD.date)
        except ValueError:
            raise ParameterError(f"{origin}: parameter {param.name!r} must be a date YYYY-MM-DD, not {text!r}") from None
    if param.kind == "integer":
        try:
            return Literal(int(text), datatype=XSD.integer)
        except ValueError:
            raise ParameterError(f"{origin}: parameter {param.name!r} must be a whole number, not {text!r}") from None
    return Literal(text)


def _source(dataset: Dataset, text: str, origin: str, name: str) -> URIRef:
    """A described source, named by slug (``source/tass-2019-10-11`` or ``tass-2019-10-11``) or IRI."""
    slug = text if ":" in text else "source/" + text.strip("/").removeprefix("source/")
    source = URIRef(text) if ":" in text else FAM[slug]
    if _is_described_source(dataset, source):
        return source
    described = dataset.graph(SOURCES_GRAPH)
    known = sorted(slug_of(s) for s in described.subjects(RDF.type, FAMV.Source))
    close = difflib.get_close_matches(slug, known, n=3, cutoff=0.5)
    hint = f"; did you mean: {', '.join(close)}?" if close else "; `kg sources` lists them"
    raise ParameterError(f"{origin}: parameter {name!r}: no source is called {text!r}{hint}")


def _is_described_source(dataset: Dataset, source: URIRef) -> bool:
    oxigraph = getattr(dataset, "oxigraph", None)
    if oxigraph is None:
        return (source, RDF.type, FAMV.Source) in dataset.graph(SOURCES_GRAPH)
    import pyoxigraph as ox

    try:
        pattern = (ox.NamedNode(source), ox.NamedNode(RDF.type), ox.NamedNode(FAMV.Source), ox.NamedNode(SOURCES_GRAPH))
    except ValueError:  # not an absolute IRI
        return False
    return next(iter(oxigraph.quads_for_pattern(*pattern)), None) is not None


_NOT_IN_IRIS = r'\x00-\x20<>"{}|^`\\'  # what SPARQL's IRIREF may not hold
IRI_FORBIDDEN = re.compile(f"[{_NOT_IN_IRIS}]")
_IRI_REF = re.compile(f"<[^{_NOT_IN_IRIS}]*>")
_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
)


def inline_bindings(text: str, bindings: Mapping[Variable, Node]) -> str:
    """The query with its parameter values as a ``VALUES`` block opening its WHERE clause.

    For engines that take only query text (Oxigraph, a remote endpoint). Each
    value is written as an escaped RDF term, never pasted as text: an IRI with
    a character IRIs may not hold is refused.
    """
    if not bindings:
        return text
    terms = []
    for variable, term in bindings.items():
        if isinstance(term, URIRef) and IRI_FORBIDDEN.search(str(term)):
            raise ParameterError(f"parameter {variable}: {str(term)!r} is not a valid IRI")
        if isinstance(term, BNode):
            raise ParameterError(f"parameter {variable}: a blank node cannot be sent as a parameter")
        terms.append(term.n3())
    names = " ".join(f"?{variable}" for variable in bindings)
    block = f" VALUES ({names}) {{ ({' '.join(terms)}) }} "
    where = _where_brace(text)
    return text[: where + 1] + block + text[where + 1 :]


def _where_brace(text: str) -> int:
    """Where the outermost WHERE group opens: the first top-level ``{``, or the second for a CONSTRUCT
    with a template. Comments, strings and IRIs are skipped."""
    depth = 0
    construct = where = False  # keywords seen outside any braces
    position = 0
    while position < len(text):
        char = text[position]
        if char == "#":
            end = text.find("\n", position)
            position = len(text) if end < 0 else end
            continue
        if char in "\"'":
            match = _STRING.match(text, position)
            position = match.end() if match else position + 1
            continue
        if char == "<":
            match = _IRI_REF.match(text, position)
            position = match.end() if match else position + 1
            continue
        if char.isalpha() and depth == 0:
            end = position
            while end < len(text) and (text[end].isalnum() or text[end] in "_:-"):
                end += 1
            word = text[position:end].upper()
            construct, where = construct or word == "CONSTRUCT", where or word == "WHERE"
            position = end
            continue
        if char == "{":
            if depth == 0 and not (construct and not where):  # not a CONSTRUCT's template
                return position
            depth += 1
        elif char == "}":
            depth -= 1
        position += 1
    raise QuerySyntaxError("no WHERE clause to bind the parameters in", None, None, "query")
