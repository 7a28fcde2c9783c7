"""The episodes of the franchise's shows, and how a user names one.

An episode (``schema:TVEpisode``) sits in a season (``schema:partOfSeason``)
and a show (``schema:partOfSeries``) with its number in the season
(``schema:episodeNumber``). :func:`episodes` lists them in story order per
show; :func:`find_episode` turns what a user types into one of them:

- a code, ``S2E4`` (of *For All Mankind*, the show the franchise started
  from) or ``"Star City S1E3"`` (a show's label, then the code);
- a title (``"The Grey"``, any case, accents optional);
- a slug (``episode/for-all-mankind-s2e04``) or an IRI.

An unknown episode, an ambiguous title or a malformed code raises a
:class:`~kg.errors.UsageError` that names close matches.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from rdflib import RDF, Dataset, URIRef
from rdflib.namespace import SDO

from kg.entities import find_entity, label_of, normalise
from kg.errors import AmbiguousEntityError, UnknownEntityError, UsageError
from kg.vocab import ENTITIES_GRAPH, FAM, FAMV

_CODE = re.compile(r"^(?:(?P<show>.+?)\s+)?s(?P<season>\d{1,3})\s*e(?P<number>\d{1,3})$", re.IGNORECASE)
# Looks like an attempt at a code ("S1", "s1e", "S1-E3", "1x03") without being one.
_CODE_LIKE = re.compile(r"^(?:.+\s+)?(?:s\d*\W*e?\d*|\d+x\d+|e\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Episode:
    """One episode: its show, season and number, and its title where a source gives one."""

    iri: URIRef
    show: URIRef
    show_label: str
    season: int
    number: int
    title: str

    @property
    def code(self) -> str:
        """``S2E4``: season and episode number."""
        return f"S{self.season}E{self.number}"

    @property
    def position(self) -> tuple[int, int]:
        """Where the episode falls in its show: (season, number)."""
        return (self.season, self.number)

    def name(self) -> str:
        """``For All Mankind S2E10 "The Grey"``."""
        shown = f"{self.show_label} {self.code}"
        return f'{shown} "{self.title}"' if self.title else shown


def episodes(dataset: Dataset) -> list[Episode]:
    """Every episode with a show, a season number and an episode number, by show, season and number."""
    found = []
    entities = dataset.graph(ENTITIES_GRAPH)

    def first_of(predicate) -> dict:  # one pass a property rather than a lookup an episode (it shows at scale)
        values: dict = {}
        for subject, value in dataset.subject_objects(predicate):
            values.setdefault(subject, value)
        return values

    shows, seasons, numbers = first_of(SDO.partOfSeries), first_of(SDO.partOfSeason), first_of(SDO.episodeNumber)
    season_numbers = first_of(SDO.seasonNumber)
    titles_of: dict = {}
    for episode, title in dataset.subject_objects(SDO.name):
        titles_of.setdefault(episode, set()).add(str(title))
    show_labels: dict = {}
    for episode in set(entities.subjects(RDF.type, SDO.TVEpisode)):
        show, season, number = shows.get(episode), seasons.get(episode), numbers.get(episode)
        season_number = season_numbers.get(season) if season is not None else None
        if show is None or number is None or season_number is None:
            continue
        titles = sorted(titles_of.get(episode, ()))  # sources may spell it two ways
        if show not in show_labels:
            show_labels[show] = label_of(dataset, show)
        found.append(Episode(episode, show, show_labels[show], int(season_number), int(number),
                             titles[0] if titles else ""))
    return sorted(found, key=lambda e: (e.show_label.casefold(), e.position, str(e.iri)))


def main_show(dataset: Dataset) -> URIRef | None:
    """The show the franchise started from: the franchise show that is no one's spinoff."""
    shows = sorted(dataset.graph(ENTITIES_GRAPH).subjects(RDF.type, FAMV.FranchiseShow))
    originals = [s for s in shows if dataset.value(s, FAMV.spinoffOf) is None]
    return originals[0] if len(originals) == 1 else None


def find_episode(dataset: Dataset, text: str, known: list[Episode] | None = None, *,
                 origin: str = "--watched") -> Episode:
    """The episode ``text`` names: a code (``S2E4``, ``"Star City S1E3"``), a title, a slug or an IRI.

    ``origin`` names what was given (an option, a parameter) at the start of error messages.
    """
    known = episodes(dataset) if known is None else known
    given = " ".join(str(text).split())
    if not given:
        raise UsageError(f"{origin}: expected an episode, such as S1E10, \"Star City S1E3\" or a title")
    by_iri = {e.iri: e for e in known}
    if not any(ch.isspace() for ch in given):  # could be an IRI or a slug
        for candidate in (URIRef(given), FAM[given.strip("/")]):
            if candidate in by_iri:
                return by_iri[candidate]
    code = _CODE.match(given)
    if code:
        return _by_code(dataset, given, code, known, origin)
    titled = [e for e in known if e.title and normalise(e.title) == normalise(given)]
    if len(titled) == 1:
        return titled[0]
    if titled:
        raise UsageError(f"{origin}: {given!r} is the title of {len(titled)} episodes: "
                         + ", ".join(e.name() for e in titled) + "; give the show and code instead")
    if _CODE_LIKE.match(given):
        raise UsageError(f"{origin}: {given!r} is not an episode code; write S<season>E<episode>, such as S1E10, "
                         "or put the show first: \"Star City S1E3\"")
    raise UsageError(f"{origin}: no episode is called {given!r}" + _suggestions(given, known))


def _by_code(dataset: Dataset, given: str, code: re.Match, known: list[Episode], origin: str) -> Episode:
    if code["show"]:
        try:
            show = find_entity(dataset, code["show"])
        except (UnknownEntityError, AmbiguousEntityError) as error:
            raise UsageError(f"{origin}: {given!r}: {error}") from None
    else:
        show = main_show(dataset)
        if show is None:
            raise UsageError(f"{origin}: {given!r}: name the show before the code, such as \"Star City S1E3\"")
    season, number = int(code["season"]), int(code["number"])
    of_show = [e for e in known if e.show == show]
    for episode in of_show:
        if episode.position == (season, number):
            return episode
    show_label = label_of(dataset, show)
    if not of_show:
        raise UsageError(f"{origin}: the graph knows no episode of {show_label!r}")
    seasons = sorted({e.season for e in of_show})
    in_season = [e.number for e in of_show if e.season == season]
    if in_season:
        where = f"its season {season} has episodes {min(in_season)}-{max(in_season)} in the graph"
    else:
        where = f"it has seasons {_ranges(seasons)} in the graph"
    close = [e for e in of_show if e.season == season] or [e for e in of_show if e.season == seasons[-1]]
    near = sorted(close, key=lambda e: abs(e.number - number))[:3]
    raise UsageError(f"{origin}: {show_label} has no episode S{season}E{number} ({where}); "
                     f"did you mean {', '.join(e.name() for e in sorted(near, key=lambda e: e.position))}?")


def _ranges(numbers: list[int]) -> str:
    return f"{numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else str(numbers[0])


def _suggestions(given: str, known: list[Episode]) -> str:
    titles = {normalise(e.title): e for e in known if e.title}
    key = normalise(given)
    containing = [t for t in titles if key in t]
    close = difflib.get_close_matches(key, list(titles), n=3, cutoff=0.6)
    picked = list(dict.fromkeys(containing + close))[:3]
    if not picked:
        return "; give a code such as S1E10 or \"Star City S1E3\""
    return "; did you mean " + ", ".join(titles[t].name() for t in picked) + "?"
