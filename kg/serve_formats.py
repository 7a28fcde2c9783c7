"""The endpoint's result formats and how a request picks one (a ``format`` parameter or the ``Accept`` header).

SELECT and ASK are given as SPARQL 1.1 Query Results (JSON, XML, CSV, TSV); CONSTRUCT and DESCRIBE as Turtle,
N-Triples, RDF/XML or JSON-LD. The two families never overlap, so a request may accept formats of both and each
result takes the first of its own kind: ``format=xml`` gives SPARQL Results XML for a SELECT and RDF/XML for a
CONSTRUCT, as SPARQLWrapper's default ``XML`` expects; ``format=json`` gives JSON-LD for a graph.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kg.results import QueryResult
from kg.vocab import PREFIXES

SOLUTIONS = frozenset({"SELECT", "ASK"})
GRAPHS = frozenset({"CONSTRUCT", "DESCRIBE"})


@dataclass(frozen=True)
class ResultFormat:
    """A result format: its ``format`` name, the media type it is served as, the result kinds it can carry, and
    rdflib's name for it (graph formats only)."""

    name: str
    media_type: str
    kinds: frozenset[str]
    label: str
    other_names: tuple[str, ...] = ()
    rdflib_name: str = ""

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/")
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


XML_NAMES = ("xml", "application/xml", "text/xml")
JSON_NAMES = ("json", "application/json")
TURTLE_NAMES = ("ttl", "application/x-turtle", "application/turtle", "n3", "text/n3", "text/rdf+n3", "application/n3")
"""Turtle is a subset of N3, so a client asking for N3 (SPARQLWrapper's ``N3``) can read the Turtle it gets."""

FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("json", "application/sparql-results+json", SOLUTIONS, "JSON (SELECT, ASK)", JSON_NAMES[1:]),
    ResultFormat("turtle", "text/turtle", GRAPHS, "Turtle (CONSTRUCT, DESCRIBE)", TURTLE_NAMES, "turtle"),
    ResultFormat("xml", "application/sparql-results+xml", SOLUTIONS, "XML (SELECT, ASK)", XML_NAMES[1:]),
    ResultFormat("csv", "text/csv", SOLUTIONS, "CSV (SELECT)"),
    ResultFormat("tsv", "text/tab-separated-values", SOLUTIONS, "TSV (SELECT)"),
    ResultFormat("ntriples", "application/n-triples", GRAPHS, "N-Triples (CONSTRUCT, DESCRIBE)", ("nt", "n-triples"),
                 "nt"),
    ResultFormat("rdfxml", "application/rdf+xml", GRAPHS, "RDF/XML (CONSTRUCT, DESCRIBE)",
                 ("rdf", "rdf+xml", *XML_NAMES), "xml"),
    ResultFormat("jsonld", "application/ld+json", GRAPHS, "JSON-LD (CONSTRUCT, DESCRIBE)",
                 ("json-ld", "application/x-json+ld", *JSON_NAMES), "json-ld"),
)
"""In default order: with no preference a result is given in the first format that can carry it."""

FORMAT_BY_NAME: dict[str, ResultFormat] = {fmt.name: fmt for fmt in FORMATS}


def formats_named(value: str) -> tuple[str, ...]:
    """The names of the formats a ``format`` value means: a name, media type or alias (any case), or several
    separated by commas (SPARQLWrapper sends ``application/ld+json,application/x-json+ld``); ``xml`` and ``json``
    mean one format of each family. Empty when it means none."""
    names: list[str] = []
    for piece in value.split(","):
        wanted = piece.partition(";")[0].strip().lower()
        names += [fmt.name for fmt in FORMATS
                  if wanted in (fmt.name, fmt.media_type, *fmt.other_names) and fmt.name not in names]
    return tuple(names)


def first_fitting(acceptable: tuple[str, ...] | list[str], kind: str) -> ResultFormat | None:
    """The first of the ``acceptable`` formats that can carry a ``kind`` result."""
    return next((FORMAT_BY_NAME[name] for name in acceptable if kind in FORMAT_BY_NAME[name].kinds), None)


def serialize(result: QueryResult, fmt: ResultFormat) -> bytes:
    """The result's bytes in ``fmt`` (which must be able to carry the result's kind)."""
    if fmt.kinds == GRAPHS:
        if result.graph is None:
            raise ValueError(f"a {result.kind} result has no graph to give as {fmt.name}")
        for prefix, namespace in PREFIXES.items():  # so that Turtle reads famv:knownFor, not the whole IRI
            result.graph.bind(prefix, namespace, replace=True)
        return result.graph.serialize(format=fmt.rdflib_name, encoding="utf-8")
    return result.serialize(fmt.name).encode("utf-8")


def acceptable_formats(accept: str | None) -> tuple[str, ...]:
    """Names of the formats an ``Accept`` header allows, best first (by q, then the header's order, then ours).

    Each format takes the q of the most specific range that matches it; ``q=0`` rules it out. No header, or an
    empty one, accepts everything.
    """
    if not accept or not accept.strip():
        return tuple(fmt.name for fmt in FORMATS)
    ranges: list[tuple[str, float]] = []
    for part in accept.split(","):
        media_range, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media_range and math.isfinite(quality):
            ranges.append((media_range.lower(), quality))
    ranked: list[tuple[float, int, int, str]] = []
    for order, fmt in enumerate(FORMATS):
        best: tuple[int, float, int] | None = None
        for position, (media_range, quality) in enumerate(ranges):
            specificity = _specificity(media_range, fmt)
            if specificity and (best is None or specificity > best[0]):
                best = (specificity, quality, position)
        if best is not None and best[1] > 0:
            ranked.append((-best[1], best[2], order, fmt.name))
    return tuple(name for *_, name in sorted(ranked))


def _specificity(media_range: str, fmt: ResultFormat) -> int:
    """3 when the range names the format (its media type or an alias), 2 for ``type/*`` over its media type, 1 for
    ``*/*``, else 0. Wildcards match the media type served, so ``text/*`` never brings an XML response."""
    if media_range == "*/*":
        return 1
    if media_range.endswith("/*"):
        return 2 if fmt.media_type.startswith(media_range[:-1]) else 0
    return 3 if media_range == fmt.media_type or media_range in fmt.other_names else 0
