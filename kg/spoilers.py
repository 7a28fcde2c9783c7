"""The spoiler boundary: the graph as a viewer who has watched up to an episode knows it.

What happens in the story lives on *story elements* — in-universe events, a
character's fate, a relationship — each carrying the episode that first
reveals it (``famv:revealedIn``). Production facts (cast, crew, dates, filming)
are never hidden. :func:`watched` drops every story element revealed after
the episodes watched, with every triple that touches it (as subject or
object, in any graph): its type, labels, dates and links.

The rules:

- Watching is per show. ``watched(g, "S2E4")`` means seasons 1 and 2 up to
  episode 4 of *For All Mankind*, and nothing of *Star City*: watching one
  show implies nothing about the other's episodes. Give one episode per show
  to have watched both.
- A story element may be revealed in each show (a prequel can show what the
  original told); it is seen once any of those episodes is watched.
- Where sources name different episodes of one show for the same element, the
  latest counts, so that nothing is shown too early. An element with no
  revealing episode at all is hidden from every viewer who gives
  ``watched`` (the shapes forbid it in the data).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import RDF, RDFS, Dataset, URIRef

from kg.episode import Episode, episodes, find_episode
from kg.errors import UsageError
from kg.store import KGDataset
from kg.vocab import ENTITIES_GRAPH, FAMV, VOCAB_GRAPH


def story_classes(dataset: Dataset) -> set[URIRef]:
    """``famv:StoryElement`` and every class the vocabulary declares a subclass of it (transitively)."""
    vocab = dataset.graph(VOCAB_GRAPH)
    found = {FAMV.StoryElement, FAMV.InUniverseEvent}
    frontier = set(found)
    while frontier:
        frontier = {c for parent in frontier for c in vocab.subjects(RDFS.subClassOf, parent)} - found
        found |= frontier
    return found


def story_elements(dataset: Dataset) -> dict[URIRef, set[URIRef]]:
    """Every story element and the episodes sources say reveal it (possibly none)."""
    entities = dataset.graph(ENTITIES_GRAPH)
    found: dict[URIRef, set[URIRef]] = defaultdict(set)
    for cls in story_classes(dataset):
        for node in entities.subjects(RDF.type, cls):
            if isinstance(node, URIRef):
                found.setdefault(node, set())
    for node, episode in dataset.subject_objects(FAMV.revealedIn):
        if isinstance(node, URIRef) and isinstance(episode, URIRef):
            found[node].add(episode)
    return dict(found)


def revealed_by(dataset: Dataset, known: list[Episode] | None = None) -> dict[URIRef, dict[URIRef, Episode]]:
    """For each story element, per show, the episode from which a viewer knows it (the latest sources name)."""
    known = episodes(dataset) if known is None else known
    by_iri = {e.iri: e for e in known}
    reveals: dict[URIRef, dict[URIRef, Episode]] = {}
    for node, revealing in story_elements(dataset).items():
        per_show: dict[URIRef, Episode] = {}
        for episode in (by_iri[e] for e in revealing if e in by_iri):
            current = per_show.get(episode.show)
            if current is None or episode.position > current.position:
                per_show[episode.show] = episode
        reveals[node] = per_show
    return reveals


def resolve_watched(dataset: Dataset, watched: Iterable[str | URIRef | Episode],
                    known: list[Episode] | None = None) -> dict[URIRef, Episode]:
    """The episodes given by a user, one per show at most: the furthest point watched in each show."""
    known = episodes(dataset) if known is None else known
    points: dict[URIRef, Episode] = {}
    for given in watched:
        episode = given if isinstance(given, Episode) else find_episode(dataset, str(given), known)
        if episode.show in points and points[episode.show] != episode:
            raise UsageError(f"--watched: {points[episode.show].name()} and {episode.name()} are both of "
                             f"{episode.show_label}; give one episode per show (the last one watched)")
        points[episode.show] = episode
    return points


def hidden_story(dataset: Dataset, watched: Iterable[str | URIRef | Episode]) -> set[URIRef]:
    """The story elements a viewer who has watched up to ``watched`` has not seen yet."""
    known = episodes(dataset)
    points = resolve_watched(dataset, watched, known)
    hidden = set()
    for node, per_show in revealed_by(dataset, known).items():
        seen = any(show in points and episode.position <= points[show].position
                   for show, episode in per_show.items())
        if not seen:
            hidden.add(node)
    return hidden


def watched(dataset: KGDataset, *episodes_watched: str | URIRef | Episode) -> KGDataset:
    """The dataset as a viewer knows it who has watched up to each of ``episodes_watched`` (one per show).

    >>> import kg
    >>> graph = kg.load()
    >>> before = kg.watched(graph, "S1E1")
    >>> len(before) < len(graph)
    True
    """
    hidden = hidden_story(dataset, episodes_watched)
    return dataset.subset(lambda quad: quad[0] not in hidden and quad[2] not in hidden)
