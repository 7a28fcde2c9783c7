"""What the page needs to hide spoilers and late facts by itself: marks the projection carries from the dataset.

:func:`kg.network.project` calls :func:`mark_story` on a dataset's projection:

- each story element's node gets ``revealed``: per show slug, ``[season, episode]``
  of the episode from which a viewer knows it (:func:`kg.spoilers.revealed_by`);
- each relationship's node gets ``relationship_kind``, the label of its kind;
- each source described in ``G.graph["sources"]`` gets ``day``, the day from which
  it counts as known (its publication day, or a reference work's retrieval day);
- ``G.graph["shows"]`` lists the franchise's shows with their episodes in order
  (code, title, air date), for the page's "watched up to" pickers.

The marks survive :func:`kg.network.view`'s subgraphs, so a page drawn around
one entity can still hide what a viewer has not seen.
"""

from __future__ import annotations

import networkx as nx
from rdflib import RDF, Dataset
from rdflib.namespace import RDFS, SDO

from kg.vocab import ENTITIES_GRAPH, FAMV, VOCAB_GRAPH, slug_of


def mark_story(graph: nx.MultiDiGraph, dataset: Dataset) -> None:
    from kg.episode import episodes
    from kg.provenance import source_days
    from kg.spoilers import revealed_by

    known = episodes(dataset)
    for element, per_show in revealed_by(dataset, known).items():
        node = slug_of(element)
        if node in graph:
            graph.nodes[node]["revealed"] = {slug_of(show): list(e.position) for show, e in sorted(per_show.items())}
    entities, vocab = dataset.graph(ENTITIES_GRAPH), dataset.graph(VOCAB_GRAPH)
    for relationship in entities.subjects(RDF.type, FAMV.Relationship):
        node = slug_of(relationship)
        if node not in graph:
            continue
        kinds = sorted(str(vocab.value(kind, RDFS.label) or slug_of(kind))
                       for kind in dataset.objects(relationship, FAMV.relationshipKind))
        graph.nodes[node]["relationship_kind"] = kinds[0] if kinds else "related"
    days = {slug_of(source): day.isoformat() for source, day in source_days(dataset).items()}
    for slug, attrs in graph.graph.get("sources", {}).items():
        if slug in days:
            attrs["day"] = days[slug]
    aired: dict = {}
    for episode, day in dataset.subject_objects(SDO.datePublished):
        if (episode, RDF.type, SDO.TVEpisode) in entities:
            aired[episode] = min(aired.get(episode, str(day)), str(day))  # sources may differ: the earliest
    shows: dict[str, dict] = {}
    for episode in known:
        show = shows.setdefault(slug_of(episode.show), {"slug": slug_of(episode.show), "label": episode.show_label,
                                                        "episodes": []})
        show["episodes"].append({"season": episode.season, "number": episode.number, "code": episode.code,
                                 "title": episode.title, "aired": aired.get(episode.iri, "")})
    graph.graph["shows"] = [shows[slug] for slug in sorted(shows)]
