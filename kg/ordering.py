"""One order for every answer: the same rows, in the same order, with the same lists, on every run and store.

SPARQL leaves two things to the engine: the order of the values GROUP_CONCAT
joins, and the order of rows that ORDER BY ranks equal (or of all rows, when
there is no ORDER BY). rdflib's order changes with Python's hash seed, and
Oxigraph's differs from rdflib's. :func:`canonical` fixes both after the
engine has answered:

- each column made by ``GROUP_CONCAT(…; separator="…")`` is split on its
  separator and its parts sorted: parts ending in a date (the sources' cites,
  "Collider, 2024-07-10", "… retrieved 2026-12-01") by date, then by text;
  numbers as numbers; the rest as text;
- rows are sorted on all their cells, then (stably) on the query's final
  ORDER BY keys, so ties fall in one order. The keys it can read are
  variables, optionally in ``ASC``/``DESC``, ``STR(…)`` or ``!BOUND(…)``; a
  query ordered by another expression keeps the engine's order
  (:func:`order_keys` returns None for it; the named queries avoid that, and a
  test holds them to it).

Terms compare as SPARQL orders them: unbound first, then blank nodes, IRIs and
literals; numbers by value, other literals by their lexical form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import XSD, BNode, Literal, URIRef

from kg.gc_pause import collector_paused

_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\(\s*(?:DISTINCT\s+)?.*?;\s*SEPARATOR\s*=\s*(?P<q>[\"'])(?P<sep>.*?)(?P=q)\s*\)\s*AS\s+\?(?P<var>\w+)",
    re.IGNORECASE | re.DOTALL)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b(?P<keys>.*?)(?:\bLIMIT\b|\bOFFSET\b|$)", re.IGNORECASE | re.DOTALL)
_KEY = re.compile(
    r"\s*(?:(?P<dir>ASC|DESC)\s*\(\s*(?P<inner>(?:STR\s*\(\s*\?\w+\s*\))|\?\w+)\s*\)"
    r"|\(\s*!\s*BOUND\s*\(\s*\?(?P<unbound>\w+)\s*\)\s*\)"
    r"|(?P<plain>(?:STR\s*\(\s*\?\w+\s*\))|\?\w+))\s*",
    re.IGNORECASE)
_TRAILING_DATE = re.compile(r"(\d{4}(?:-\d{2}){0,2})\s*$")
_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger,
            XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger, XSD.unsignedInt, XSD.byte}


@dataclass(frozen=True)
class OrderKey:
    """One ORDER BY key: a projected variable, how it is read, and the direction."""

    variable: str
    descending: bool = False
    as_string: bool = False
    unbound_last: bool = False  # ``(!BOUND(?v))``: rows with ?v bound come first


def concat_columns(text: str) -> dict[str, str]:
    """The variables the query makes with GROUP_CONCAT, and the separator each uses."""
    return {m.group("var"): m.group("sep") for m in _CONCAT.finditer(without_comments(text))}


def order_keys(text: str) -> list[OrderKey] | None:
    """The keys of the query's last ORDER BY; [] without one; None when a key is an expression not read here."""
    found = _final_order_by(_comments_blanked(text))
    return _read_keys(found.group("keys")) if found else []


def without_final_order(text: str) -> str | None:
    """The SELECT query without its final ORDER BY, for an engine whose order :func:`canonical` replaces anyway;
    None when the order matters (a LIMIT or OFFSET follows it, or a key is not one :func:`canonical` reads).

    Ranking the answer was a quarter to a half of what Oxigraph spent on the largest named queries (200k triples),
    and :func:`canonical` then sorted them again. Comment lines are kept as blank lines, so an engine's error
    still names the line the user wrote. The caller checks that every key is a projected variable (only the
    answer says which are) and asks again with the ORDER BY when one is not.
    """
    blanked = _comments_blanked(text)
    found = _final_order_by(blanked)
    if not found or not _read_keys(found.group("keys")):
        return None
    if re.search(r"\b(LIMIT|OFFSET)\b", blanked[found.start():], re.IGNORECASE):
        return None  # the order picks which rows come back
    return blanked[: found.start()]


def orders_by_projected(text: str, variables: list[str]) -> bool:
    """Whether every key of the query's final ORDER BY is one of ``variables`` (so :func:`canonical` orders it)."""
    return _all_projected(order_keys(text), variables)


def _all_projected(keys: list[OrderKey] | None, variables: list[str]) -> bool:
    return keys is not None and all(key.variable in variables for key in keys)


def _comments_blanked(text: str) -> str:
    """The query with its comment lines (see :func:`without_comments`) left blank, so positions keep their line."""
    return "".join("\n" if line.lstrip().startswith("#") else line for line in text.splitlines(keepends=True))


def _final_order_by(text: str) -> re.Match | None:
    """The outer query's ORDER BY (after the last ``}``, so not a subquery's), or None."""
    found = [m for m in _ORDER_BY.finditer(text) if m.start() > text.rfind("}")]
    return found[-1] if found else None


def _read_keys(spec: str) -> list[OrderKey] | None:
    """The keys an ORDER BY lists; None when one is an expression not read here."""
    keys, position = [], 0
    while position < len(spec.rstrip()):
        match = _KEY.match(spec, position)
        if not match or match.end() == position:
            return None
        if match.group("unbound"):
            keys.append(OrderKey(match.group("unbound"), unbound_last=True))
        else:
            term = match.group("inner") or match.group("plain")
            variable = re.search(r"\?(\w+)", term).group(1)
            keys.append(OrderKey(variable, descending=(match.group("dir") or "").upper() == "DESC",
                                 as_string=term.upper().startswith("STR")))
        position = match.end()
    return keys


def term_key(term) -> tuple:
    """Where a term sorts, as SPARQL orders terms (unbound, blank nodes, IRIs, then literals)."""
    if isinstance(term, Literal):  # the commonest cell first
        datatype = term.datatype
        if datatype in _NUMERIC:
            try:
                return (3, 0, Decimal(str(term)), str(term))
            except InvalidOperation:
                pass
        return (3, 1, str(term), term.language or "", str(datatype or ""))
    if term is None:
        return (0,)
    if isinstance(term, BNode):
        return (1, str(term))
    if isinstance(term, URIRef):
        return (2, str(term))
    return (3, 1, str(term), "", "")


def list_part_key(part: str) -> tuple:
    """Where one part of a concatenated list sorts: by a trailing date, then text; numbers as numbers."""
    stripped = part.strip()
    if re.fullmatch(r"-?\d+", stripped):
        return (0, int(stripped), stripped)
    date = _TRAILING_DATE.search(stripped)
    if date:
        return (1, date.group(1), stripped.casefold(), stripped)
    return (2, stripped.casefold(), stripped)


def sorted_list(value: Literal, separator: str) -> Literal:
    """The concatenation with its parts in the canonical order."""
    parts = sorted(str(value).split(separator), key=list_part_key)
    return Literal(separator.join(parts), lang=value.language, datatype=value.datatype)


@collector_paused()  # the answer's rows and its sort keys stay alive until the sort ends: nothing to collect
def canonical(text: str, variables: list[str], rows: list[tuple]) -> list[tuple]:
    """The rows of a SELECT answer in the canonical order, with concatenated lists sorted (see the module)."""
    lists = {variables.index(v): sep for v, sep in concat_columns(text).items() if v in variables and sep}
    if lists:
        rows = [tuple(sorted_list(cell, lists[i]) if i in lists and isinstance(cell, Literal) and cell else cell
                      for i, cell in enumerate(row)) for row in rows]
    keys = order_keys(text)
    if not _all_projected(keys, variables):
        return rows  # ordered by something this module does not evaluate: the engine's order stands
    if len(rows) < 2 or not variables:
        return list(rows)
    # "All cells, then (stably) the keys" is one sort on (the keys…, all the cells). Each cell is first replaced
    # by its term's rank among the answer's terms, so that sort compares small integers, not term keys: at half
    # a million rows, comparing term keys in several passes was most of this function's time.
    columns = list(zip(*rows))
    ranks = [_ranks(column) for column in columns]
    sort_key = [_ranked_key(key, columns[variables.index(key.variable)], ranks[variables.index(key.variable)])
                for key in keys]
    decorated = sorted(zip(*sort_key, *ranks, range(len(rows))))  # all integers; the row's index last
    return [rows[item[-1]] for item in decorated]


def _ranks(column: tuple) -> list[int]:
    """Each cell's rank among the column's terms as SPARQL orders them (equal terms, equal rank)."""
    ids = list(map(id, column))
    distinct = dict(zip(ids, column))  # a store's answer repeats one object for a recurring term
    keyed = sorted(zip(map(term_key, distinct.values()), distinct))
    rank_of, rank, previous = {}, -1, None
    for key, ident in keyed:
        if key != previous:
            rank, previous = rank + 1, key
        rank_of[ident] = rank
    return list(map(rank_of.__getitem__, ids))


def _ranked_key(key: OrderKey, column: tuple, ranks: list[int]) -> list[int]:
    """One ORDER BY key of every row, as integers that sort ascending in the key's order."""
    if key.unbound_last:
        return [cell is None for cell in column]
    if key.as_string:
        texts = ["" if cell is None else str(cell) for cell in column]
        rank_of = {text: rank for rank, text in enumerate(sorted(set(texts)))}
        ranks = list(map(rank_of.__getitem__, texts))
    return [-rank for rank in ranks] if key.descending else ranks


def without_comments(text: str) -> str:
    """The query without its comment lines (a ``#`` inside an IRI or string is not a comment, so only whole
    lines that start with one are dropped: enough for the header the named queries carry)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
