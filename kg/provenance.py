"""Questions about the sources themselves: when each was published, where they agree
and disagree, the graph as it stood on a date, and what became known between two dates.

Every claim sits in the named graph of its source (``GRAPH ?source``), and the
sources graph dates each source, so all of this is read off the dataset:

- :func:`as_of` keeps the sources published on or before a date (a source dated
  only by year or month counts from the first day of that period, the earliest
  it can have been published; a reference work counts from the day its page
  was retrieved);
- :func:`conflicts` lists entity–property pairs where sources give different
  values to a property the vocabulary declares single-valued
  (``famv:SingleValuedProperty``), and characters whose roles in one show name
  different actors; a value that only narrows another (``2026`` and
  ``2026-05-29``) is no disagreement;
- :func:`changes` lists the claims of the sources published in a window,
  grouped by entity.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, Dataset, Literal, URIRef
from rdflib.namespace import SDO

from kg.entities import label_of
from kg.errors import UsageError
from kg.ranking import DEPRECATED, NORMAL, PREFERRED, deprecations, evidence, rank
from kg.explore import SourceInfo, relation_label, source_info, values_disagree
from kg.store import KGDataset
from kg.vocab import ENTITIES_GRAPH, FAMV, SOURCES_GRAPH, VOCAB_GRAPH, is_claim_graph

_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def parse_day(text: str, option: str = "date", *, today: dt.date | None = None) -> dt.date:
    """A YYYY-MM-DD given by a user; a clear :class:`UsageError` if malformed or in the future."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option}: expected a date as YYYY-MM-DD, not {text!r}") from None
    today = today or dt.date.today()
    if day > today:
        raise UsageError(f"{option}: {day.isoformat()} is in the future (today is {today.isoformat()})")
    return day


def earliest_day(published: str | Literal) -> dt.date | None:
    """The first day a publication date can mean: ``2025`` → 2025-01-01, ``2019-11`` → 2019-11-01."""
    match = _DATE.fullmatch(str(published).strip())
    if not match:
        return None
    year, month, day = match.groups()
    return dt.date(int(year), int(month or 1), int(day or 1))


def source_days(dataset: Dataset) -> dict[URIRef, dt.date]:
    """Every described source and the day its claims count from: the earliest day it can have been
    published, or the day a reference work's page was retrieved."""
    described = dataset.graph(SOURCES_GRAPH)
    days = {}
    for predicate in (FAMV.retrieved, SDO.datePublished):
        for source, published in described.subject_objects(predicate):
            day = earliest_day(published)
            if isinstance(source, URIRef) and day is not None:
                days[source] = day
    return days


def as_of(dataset: Dataset, day: dt.date) -> KGDataset:
    """The dataset as it stood on ``day``: identity, vocabulary and the sources published by then.

    Entities keep their identity (types and labels) even when no source of the
    time mentions them yet; sources published later and their claims are left out.
    """
    day = _as_day(day)
    days = source_days(dataset)
    dataset = dataset if isinstance(dataset, KGDataset) else _as_kg_dataset(dataset)

    def known_by_then(quad) -> bool:
        s, _, _, name = quad
        if is_claim_graph(name):
            return name in days and days[name] <= day
        return not (name == SOURCES_GRAPH and s in days and days[s] > day)

    return dataset.subset(known_by_then)


def _as_day(day) -> dt.date:
    """A day given as a date, a datetime or an ISO string (YYYY-MM-DD)."""
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    if isinstance(day, str):
        try:
            return dt.date.fromisoformat(day.strip())
        except ValueError:
            raise UsageError(f"{day!r}: expected a day as YYYY-MM-DD") from None
    raise UsageError(f"expected a day (a datetime.date or YYYY-MM-DD), not {type(day).__name__}")


def _as_kg_dataset(dataset: Dataset) -> KGDataset:
    copy = KGDataset()
    copy.addN((s, p, o, copy.graph(URIRef(str(g)))) for s, p, o, g in dataset.quads((None, None, None, None)))
    return copy


def single_valued(dataset: Dataset) -> set[URIRef]:
    """The properties the vocabulary declares single-valued."""
    return set(dataset.graph(VOCAB_GRAPH).subjects(RDF.type, FAMV.SingleValuedProperty))


@dataclass
class Claimed:
    """One value of a property and the sources that give it, newest first."""

    value: str
    value_label: str
    sources: list[SourceInfo]
    rank: str = "normal"  # preferred, normal or deprecated (see kg.ranking)
    why: str = ""  # for the preferred and the deprecated value: the step of the rule that decided

    @property
    def newest(self) -> str:
        return self.sources[0].date if self.sources else ""


@dataclass
class Conflict:
    """Sources disagree on ``property`` of ``entity``; each value with its sources, newest first."""

    entity: URIRef
    entity_label: str
    property: str
    values: list[Claimed] = field(default_factory=list)


def conflicts(dataset: Dataset) -> list[Conflict]:
    """Every entity and single-valued property on which sources disagree, newest claim first."""
    infos: dict[URIRef, SourceInfo] = {}

    def info(source: URIRef) -> SourceInfo:
        if source not in infos:
            infos[source] = source_info(dataset, source)
        return infos[source]

    def claimed(value, sources) -> Claimed:
        ordered = sorted((info(s) for s in sources), key=lambda i: (i.date, i.cite()), reverse=True)
        return Claimed(str(value), label_of(dataset, value), ordered)

    found: list[Conflict] = []
    wrong = deprecations(dataset)
    for predicate in sorted(single_valued(dataset)):
        by_entity: dict[URIRef, dict] = defaultdict(lambda: defaultdict(set))
        for s, _, o, g in _quads_of_several_valued(dataset, predicate):
            if is_claim_graph(g):
                by_entity[s][o].add(URIRef(str(g)))
        for entity, values in by_entity.items():
            if len(values) > 1 and values_disagree([str(v) for v in values]):
                rows = [claimed(v, s) for v, s in values.items()]
                _rank(rows, {value: [info(g).cite() for g in wrong.get((entity, predicate, value), [])]
                             for value in (r.value for r in rows)})
                found.append(Conflict(entity, label_of(dataset, entity), relation_label(dataset, predicate), rows))
    found += _recast_characters(dataset, claimed)
    return sorted(found, key=lambda c: (c.entity_label.casefold(), c.property, str(c.entity)))


# Subjects with more than one value of ?p across the named graphs: a superset of those whose claims disagree.
SEVERAL_VALUES = "SELECT ?s ?p WHERE { GRAPH ?g { ?s ?p ?v } } GROUP BY ?s ?p HAVING (COUNT(DISTINCT ?v) > 1)"


def _quads_of_several_valued(dataset: Dataset, predicate: URIRef):
    """The quads of ``predicate`` whose subject has more than one value of it: on Oxigraph those subjects are
    found by a query first (at 1M triples reading every quad of every single-valued property took seconds);
    elsewhere every quad of ``predicate``, which the caller sifts the same way."""
    if not isinstance(dataset, KGDataset) or dataset.oxigraph is None:
        yield from dataset.quads((None, predicate, None, None))
        return
    import pyoxigraph as ox

    from kg.oxstore import from_oxigraph

    found = dataset.oxigraph.query(SEVERAL_VALUES, substitutions={ox.Variable("p"): ox.NamedNode(predicate)})
    for subject in sorted((solution["s"] for solution in found), key=str):
        yield from dataset.quads((from_oxigraph(subject), predicate, None, None))


_RANK_ORDER = {PREFERRED: 0, NORMAL: 1, DEPRECATED: 2}


def _rank(rows: list[Claimed], deprecated_by: dict[str, list[str]]) -> None:
    """Rank the values (kg.ranking's rule) and order them: the preferred first, then newest first, the deprecated
    last."""
    ranks = rank([evidence(r.value, r.sources, tuple(deprecated_by.get(r.value, ()))) for r in rows])
    for row in rows:
        row.rank, row.why = ranks[row.value]
    rows.sort(key=lambda r: r.value)
    rows.sort(key=lambda r: r.newest, reverse=True)  # stable sorts: each pass keeps the order of the one before
    rows.sort(key=lambda r: _RANK_ORDER[r.rank])


def _recast_characters(dataset: Dataset, claimed) -> list[Conflict]:
    """Characters for whom sources name different actors in the same show."""
    actors: dict[tuple[URIRef, URIRef], dict] = defaultdict(lambda: defaultdict(set))
    for character, show, actor, source in _actors_by_source(dataset):
        if is_claim_graph(source):
            actors[(character, show)][actor].add(URIRef(str(source)))
    found = []
    for (character, show), named in sorted(actors.items(), key=lambda item: tuple(map(str, item[0]))):
        if len(named) > 1 and not set.intersection(*named.values()):  # one source naming both: twins, ages
            rows = sorted((claimed(a, s) for a, s in named.items()), key=lambda c: (c.newest, c.value), reverse=True)
            found.append(Conflict(character, label_of(dataset, character),
                                  f"actor in {label_of(dataset, show)}", rows))  # not ranked: several actors may be right
    return found


# The (character, show) pairs whose roles name more than one actor, and each actor with the graph that names it:
# a superset of the recast characters (the graph may be no source's), found without reading every role.
SEVERAL_ACTORS = """
PREFIX famv: <https://w3id.org/fam-kg/vocab#>
PREFIX schema: <https://schema.org/>
SELECT ?character ?show ?actor ?g WHERE {
  { SELECT ?character ?show WHERE {
      ?role famv:character ?character ; famv:inShow ?show . GRAPH ?g { ?role schema:actor ?actor } }
    GROUP BY ?character ?show HAVING (COUNT(DISTINCT ?actor) > 1) }
  ?role famv:character ?character ; famv:inShow ?show .
  GRAPH ?g { ?role schema:actor ?actor }
}"""


def _actors_by_source(dataset: Dataset):
    """(character, show, actor, graph) for each role's actor as each graph names it: on Oxigraph only for the
    characters with more than one actor in a show (:data:`SEVERAL_ACTORS`), elsewhere for every role."""
    if isinstance(dataset, KGDataset) and dataset.oxigraph is not None:
        from kg.oxstore import from_oxigraph

        for row in dataset.oxigraph.query(SEVERAL_ACTORS):
            yield tuple(from_oxigraph(term) for term in row)
        return
    shows_of: dict[URIRef, set] = defaultdict(set)
    for role, show in dataset.subject_objects(FAMV.inShow):  # each relation read in one pass, not role by role
        shows_of[role].add(show)
    actors_of: dict[URIRef, set] = defaultdict(set)
    for role, _, actor, g in dataset.quads((None, SDO.actor, None, None)):
        actors_of[role].add((actor, g))
    for role, character in dataset.subject_objects(FAMV.character):
        for actor, graph in actors_of.get(role, ()):
            for show in shows_of.get(role, ()):
                yield character, show, actor, graph


@dataclass
class Change:
    """A claim that became known: stated by a source published in the window."""

    predicate: str
    value_label: str
    incoming: bool
    source: SourceInfo


def changes(dataset: Dataset, since: dt.date, until: dt.date | None = None) -> dict[str, list[Change]]:
    """The claims of sources published from ``since`` to ``until`` (inclusive), by entity label, oldest first."""
    if until is not None and since > until:
        raise UsageError(f"--since {since.isoformat()} is after --until {until.isoformat()}")
    days = source_days(dataset)
    window = {s for s, d in days.items() if d >= since and (until is None or d <= until)}
    entities = dataset.graph(ENTITIES_GRAPH)
    grouped: dict[str, list[Change]] = defaultdict(list)
    for source in sorted(window, key=lambda s: (days[s], str(s))):
        described = source_info(dataset, source)
        for s, p, o in sorted(dataset.graph(source)):
            subject = label_of(dataset, s) if (s, RDF.type, None) in entities else str(s)
            grouped[subject].append(Change(relation_label(dataset, p), label_of(dataset, o), False, described))
    return dict(sorted(grouped.items(), key=lambda item: item[0].casefold()))
