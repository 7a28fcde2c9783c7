"""What the graph holds and what it still lacks, measured.

:func:`coverage` counts, per show and season, the episodes a season should
have (``schema:numberOfEpisodes``) against the episodes the graph knows, and
how many of those have a title, an air date, a director and a writer; then,
per area of the story, how many entities have the facts that area needs
(characters with an actor and a description, story events with a date and the
episode revealing them, places with coordinates). Everything is counted on the
graph it is given, so ``kg coverage --as-of`` and ``--watched`` measure those
graphs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from rdflib import RDF, Dataset, Literal, URIRef
from rdflib.namespace import SDO

from kg.entities import label_of
from kg.episode import episodes
from kg.vocab import ENTITIES_GRAPH, FAMV, is_claim_graph

WRITER_PREDICATES = (SDO.author, FAMV.teleplayBy, FAMV.storyBy)


@dataclass(frozen=True)
class SeasonCoverage:
    """One season: the episodes it should have, the episodes known, and how many have each field."""

    show: str
    season: int
    expected: int | None
    known: int
    titled: int
    dated: int
    directed: int
    written: int

    @property
    def missing(self) -> int | None:
        return None if self.expected is None else max(self.expected - self.known, 0)


@dataclass(frozen=True)
class AreaCoverage:
    """One area: how many entities it has, and how many have ``what`` (and so how many lack it)."""

    area: str
    what: str
    total: int
    having: int

    @property
    def lacking(self) -> int:
        return self.total - self.having


@dataclass
class Coverage:
    seasons: list[SeasonCoverage] = field(default_factory=list)
    areas: list[AreaCoverage] = field(default_factory=list)

    def season_rows(self) -> list[dict]:
        return [{**asdict(s), "missing": s.missing} for s in self.seasons]

    def area_rows(self) -> list[dict]:
        return [{**asdict(a), "lacking": a.lacking} for a in self.areas]

    def totals(self) -> dict[str, int]:
        """Episodes over all seasons: expected (where known), known, and with each field."""
        keys = ("expected", "known", "titled", "dated", "directed", "written")
        return {k: sum(getattr(s, k) or 0 for s in self.seasons) for k in keys}


def _claimed(dataset: Dataset, subject, predicate) -> list:
    """The values sources give ``subject`` for ``predicate`` (identity graphs not counted)."""
    return [o for _, _, o, g in dataset.quads((subject, predicate, None, None)) if is_claim_graph(g)]


def _expected_episodes(dataset: Dataset, season) -> int | None:
    """The number of episodes sources give a season: the value most sources state, the larger on a tie."""
    counts = Counter(int(v) for v in _claimed(dataset, season, SDO.numberOfEpisodes) if isinstance(v, Literal))
    if not counts:
        return None
    return max(counts, key=lambda n: (counts[n], n))


def coverage(dataset: Dataset) -> Coverage:
    """Count episodes per season and the facts each area of the graph has (see the module docstring)."""
    entities = dataset.graph(ENTITIES_GRAPH)
    known = episodes(dataset)
    by_season: dict[tuple[URIRef, int], list] = {}
    for episode in known:
        by_season.setdefault((episode.show, episode.season), []).append(episode)
    found = Coverage()
    seasons = []
    for season in set(entities.subjects(RDF.type, SDO.TVSeason)):
        show, number = dataset.value(season, SDO.partOfSeries), dataset.value(season, SDO.seasonNumber)
        if show is None or number is None:
            continue
        listed = by_season.get((show, int(number)), [])

        def having(*predicates, listed=listed) -> int:
            return sum(1 for e in listed if any(_claimed(dataset, e.iri, p) for p in predicates))

        seasons.append(SeasonCoverage(
            show=label_of(dataset, show), season=int(number), expected=_expected_episodes(dataset, season),
            known=len(listed), titled=having(SDO.name), dated=having(SDO.datePublished),
            directed=having(SDO.director), written=having(*WRITER_PREDICATES),
        ))
    found.seasons = sorted(seasons, key=lambda s: (s.show.casefold(), s.season))
    found.areas = _areas(dataset)
    return found


def _areas(dataset: Dataset) -> list[AreaCoverage]:
    entities = dataset.graph(ENTITIES_GRAPH)

    def members(cls) -> list[URIRef]:
        return sorted({s for s in entities.subjects(RDF.type, cls) if isinstance(s, URIRef)})

    def count(area: str, what: str, nodes: list[URIRef], test) -> AreaCoverage:
        return AreaCoverage(area, what, len(nodes), sum(1 for n in nodes if test(n)))

    def has(*predicates, incoming: bool = False):
        if incoming:
            return lambda n: any((None, p, n) in dataset for p in predicates)
        return lambda n: any(_claimed(dataset, n, p) for p in predicates)

    characters = members(FAMV.Character)
    invented = members(FAMV.InUniverseEvent)
    real = members(FAMV.RealEvent)
    places = members(SDO.Place)
    invented_places = members(FAMV.InUniversePlace)
    return [
        count("characters", "an actor", characters, has(FAMV.character, incoming=True)),
        count("characters", "a description", characters, has(SDO.description)),
        count("invented events", "a story date", invented, has(SDO.startDate)),
        count("invented events", "a revealing episode", invented, has(FAMV.revealedIn)),
        count("invented events", "a real event it departs from", invented, has(FAMV.divergesFrom)),
        count("real events", "a date", real, has(SDO.startDate)),
        count("places", "coordinates", places, lambda n: bool(_claimed(dataset, n, SDO.latitude)
                                                               and _claimed(dataset, n, SDO.longitude))),
        count("in-universe places", "a real site they are set at", invented_places, has(FAMV.setAt)),
    ]
