"""The shipped graph: every named query's expected answer, and competency questions.

Each named query has an entry in EXPECTED: the parameters to run it with and
rows that must be among its answer (only the columns named are compared; the
order of sources inside a GROUP_CONCAT is not fixed by SPARQL). A query added
without an entry fails test_every_query_has_an_expected_answer.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import RDF, RDFS, Literal, URIRef

import kg
from tests.conftest import example_params
from kg.query import query_catalogue
from kg.vocab import ENTITIES_GRAPH, FAM, FAMV, SOURCES_GRAPH, is_claim_graph

SDO = "https://schema.org/"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"

EXPECTED: dict[str, tuple[dict[str, str], list[dict[str, str]]]] = {
    "cast": (
        {"show": "Star City"},
        [
            {"actorLabel": "Rhys Ifans", "characterLabel": "the Chief Designer"},
            {"actorLabel": "Anna Maxwell Martin", "characterLabel": "Lyudmilla"},
            {"actorLabel": "Solly McLeod", "characterLabel": "Sasha"},
            {"actorLabel": "Agnes O'Casey", "characterLabel": "Irina"},
            {"actorLabel": "Alice Englert", "characterLabel": "Anastasia"},
            {"actorLabel": "Priya Kansara", "characterLabel": None},
        ],
    ),
    "show-crew": (
        {},
        [
            {"showLabel": "Star City", "role": "creator", "personLabel": "Ronald D. Moore", "sourceCount": "4"},
            {"showLabel": "Star City", "role": "showrunner", "personLabel": "Ben Nedivi"},
            {"showLabel": "Star City", "role": "executive producer", "personLabel": "Steve Oster"},
            {"showLabel": "For All Mankind", "role": "showrunner", "personLabel": "Matt Wolpert"},
            {"showLabel": "For All Mankind", "role": "executive producer", "personLabel": "Kira Snyder"},
        ],
    ),
    "production": (
        {},
        [
            {"showLabel": "Star City", "relation": "network", "organizationLabel": "Apple TV"},
            {"showLabel": "Star City", "relation": "production company", "organizationLabel": "Sony Pictures Television"},
            {"showLabel": "For All Mankind", "relation": "production company", "organizationLabel": "Tall Ship Productions"},
        ],
    ),
    "filming-locations": (
        {},
        [
            {"showLabel": "Star City", "locationLabel": "Vingis Park", "containedInLabel": "Vilnius",
             "standsInForLabel": "Star City (Zvezdny Gorodok)"},
            {"showLabel": "Star City", "locationLabel": "Pašilaičiai", "standsInForLabel": "Star City (Zvezdny Gorodok)"},
            {"showLabel": "Star City", "locationLabel": "Vilnius", "containedInLabel": "Lithuania"},
        ],
    ),
    "story-settings": (
        {},
        [
            {"showLabel": "Star City", "settingLabel": "Star City (Zvezdny Gorodok)", "nearOrInLabel": "Moscow",
             "standInLabel": "Vingis Park"},
            {"showLabel": "For All Mankind", "settingLabel": "Jamestown (NASA Moon base)", "nearOrInLabel": "the Moon"},
        ],
    ),
    "historical-figures": (
        {},
        [
            {"figureLabel": "Deke Slayton", "characterLabel": "Deke Slayton (For All Mankind character)",
             "actorLabel": "Chris Bauer", "showLabel": "For All Mankind"},
            {"figureLabel": "Wernher von Braun", "actorLabel": "Colm Feore"},
            {"figureLabel": "Alexei Leonov", "died": "2019-10-11"},
            {"figureLabel": "Yuri Gagarin"},
        ],
    ),
    "people-on-both-shows": (
        {},
        [
            {"personLabel": "Ronald D. Moore", "showLabel": "Star City", "capacities": "creator, executive producer"},
            {"personLabel": "Maril Davis", "showLabel": "For All Mankind", "capacities": "executive producer"},
        ],
    ),
    "earlier-credits": (
        {"show": "Star City"},
        [
            {"actorLabel": "Rhys Ifans", "workLabel": "Notting Hill", "kind": "film"},
            {"actorLabel": "Rhys Ifans", "workLabel": "House of the Dragon", "kind": "TV series"},
            {"actorLabel": "Josef Davies", "workLabel": "Andor"},
            {"actorLabel": "Ruby Ashbourne Serkis", "workLabel": "The Serpent"},
        ],
    ),
    "seasons": (
        {},
        [
            {"showLabel": "For All Mankind", "season": "1", "premiere": "2019-11-01", "finale": "2019-12-20", "episodes": "10"},
            {"showLabel": "For All Mankind", "season": "4", "premiere": "2023-11-10", "storyStart": "2003"},
            {"showLabel": "For All Mankind", "season": "5", "premiere": "2026-03-27", "finale": "2026-05-29"},
            {"showLabel": "Star City", "season": "1", "premiere": "2026-05-29", "finale": "2026-07-10", "episodes": "8"},
        ],
    ),
    "entity-sources": (
        {"entity": "Lyudmilla"},
        [
            {"source": "source/bleedingcool-2025-02-06-martin", "publisher": "Bleeding Cool"},
            {"source": "source/tvinsider-2025-04-05", "publisher": "TV Insider"},
        ],
    ),
    "single-source-entities": (
        {},
        [
            {"entityLabel": "Al (Jamestown commander)", "source": "source/fam-wiki-the-bleeding-edge"},
            {"entityLabel": "Zvezda (Soviet Moon base)", "source": "source/for-all-mankind-wiki-zvezda"},
        ],
    ),
    "sources": (
        {},
        [
            {"source": "source/star-city-preview-2025", "published": "2025", "url": None},
            {"source": "source/popculture-2025-02-14", "publisher": "PopCulture.com", "claims": "25",
             "url": "https://popculture.com/streaming/news/for-all-mankind-spinoff-casts-three-series-regulars/"},
        ],
    ),
    "claims-of-source": (
        {"source": "source/bleedingcool-2025-02-06-martin"},
        [
            {"subjectLabel": "Anna Maxwell Martin in Star City", "property": "character", "object": "Lyudmilla"},
            {"subjectLabel": "Lyudmilla", "property": "description",
             "object": "the head of the KGB surveillance department at Star City"},
        ],
    ),
    "release-expected-vs-actual": (
        {},
        [
            {"showLabel": "Star City", "claim": "expected release", "value": "mid-to-late 2026", "published": "2025"},
            {"showLabel": "Star City", "claim": "premiere", "value": "2026-05-29", "publisher": "Bleeding Cool"},
        ],
    ),
    "place-hierarchy": ({"place": "Vingis Park"}, [{"containerLabel": "Vilnius", "steps": "1"},
                                                   {"containerLabel": "Lithuania", "steps": "2"}]),
    "filmography": (
        {"person": "Rhys Ifans"},
        [
            {"workLabel": "Star City", "capacity": "actor", "characterLabel": "the Chief Designer"},
            {"workLabel": "Notting Hill", "capacity": "known for"},
        ],
    ),
    "fact-sources": (
        {"entity": "Wernher von Braun", "property": "schema:deathDate"},
        [
            {"value": "1977-06-15", "publisher": "Saint Louis Science Center", "published": "2020-06-15",
             "url": "https://www.slsc.org/astronomy-fact-of-the-day-june-15-2020/"},
            {"value": "1977-06-16", "publisher": "Datastorica (blog)"},
        ],
    ),
    "corroboration": (
        {},
        [
            {"subjectLabel": "Star City season 1", "property": "number of episodes", "object": "8"},
            {"subjectLabel": "Alexei Leonov", "property": "death date", "object": "2019-10-11", "sourceCount": "4"},
        ],
    ),
    "conflicts": (
        {},
        [
            {"entityLabel": "Wernher von Braun", "property": "death date", "value": "1977-06-15",
             "valueSource": "Saint Louis Science Center", "otherValue": "1977-06-16", "otherSource": "Datastorica (blog)"},
        ],
    ),
    "single-source-facts": (
        {},
        [
            {"subjectLabel": "Star City", "property": "expected release", "object": "mid-to-late 2026",
             "source": "source/star-city-preview-2025"},
        ],
    ),
    "episodes": (
        {"show": "For All Mankind"},
        [
            {"code": "S1E1", "title": "Red Moon", "aired": "2019-11-01", "directors": "Seth Gordon"},
            {"code": "S2E10", "title": "The Grey", "aired": "2021-04-23"},
            {"code": "S4E5", "title": "Goldilocks", "aired": "2023-12-08", "directors": "Sylvain White",
             "writers": "Jovan Robinson"},
        ],
    ),
    "episode": (
        {"episode": "S1E5"},
        [
            {"relation": "title", "value": "Into the Abyss"},
            {"relation": "directed by", "valueLabel": "Sergio Mimica-Gezzan"},
            {"relation": "reveals", "valueLabel": "Molly Cobb becomes the first American woman on the Moon (alternate history)"},
        ],
    ),
    "relationships": (
        {"character": "Ed Baldwin", "kind": "married"},
        [{"oneLabel": "Ed Baldwin", "otherLabel": "Karen Baldwin", "revealedIn": "Red Moon (For All Mankind S1E1)"}],
    ),
    "family": (
        {"character": "Ed Baldwin"},
        [{"relativeLabel": "Karen Baldwin"}, {"relativeLabel": "Shane Baldwin", "directTie": "parent and child, the younger"},
         {"relativeLabel": "Kelly Baldwin", "directTie": "adoptive parent and child, the younger"}],
    ),
    "played-by-several": (
        {},
        [{"characterLabel": "Aleida Rosales", "actorLabel": "Coral Peña"},
        ],
    ),
    "alternate-history": (
        {},
        [
            {"inventedLabel": "Soviet Moon landing (alternate history)", "inventedDate": "1969-06-26",
             "realLabel": "Apollo 11 Moon landing", "realDate": "1969-07-20"},
        ],
    ),
    "preferred-values": (
        {},
        [
            {"entityLabel": "Wernher von Braun", "value": "1977-06-15", "deprecated": "yes"},
            {"entityLabel": "Wernher von Braun", "value": "1977-06-16", "deprecated": ""},
        ],
    ),
}


def test_every_query_has_an_expected_answer():
    assert set(query_catalogue()) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_named_query_answers_as_expected(graph, answer, name):
    params, expected_rows = EXPECTED[name]
    query = kg.named_query(name)
    records = (answer(name) if params == example_params(query) else kg.run_query(graph, query, params)).records()
    for expected in expected_rows:
        assert any(all(row.get(k) == v for k, v in expected.items()) for row in records), (expected, records[:5])


def test_seasons_come_in_order_of_premiere(graph):
    premieres = [r["premiere"] for r in kg.run_query(graph, kg.named_query("seasons")).records() if r["premiere"]]
    assert premieres == sorted(premieres)


def test_place_hierarchy_is_nearest_first(graph):
    rows = kg.run_query(graph, kg.named_query("place-hierarchy"), {"place": "Pašilaičiai"}).records()
    assert [r["containerLabel"] for r in rows] == ["Vilnius", "Lithuania"]


# ── competency questions and the floor ──────────────────────────────


def test_graph_has_at_least_sixty_labelled_entities_and_ten_sources_with_urls(graph):
    entities = {s for s in graph.graph(ENTITIES_GRAPH).subjects(RDF.type, None)}
    assert len(entities) >= 60
    assert all(graph.graph(ENTITIES_GRAPH).value(e, RDFS.label) is not None for e in entities)
    with_url = set(graph.graph(SOURCES_GRAPH).subjects(URIRef(SDO + "url"), None))
    assert len(with_url) >= 10


def test_every_claim_graph_has_claims_and_a_described_source(graph):
    sources = set(graph.graph(SOURCES_GRAPH).subjects(RDF.type, FAMV.Source))
    claim_graphs = {URIRef(str(g.identifier)) for g in graph.graphs() if is_claim_graph(g.identifier) and len(g)}
    assert claim_graphs == sources


def test_who_plays_the_chief_designer(graph):
    q = """PREFIX famv: <https://w3id.org/fam-kg/vocab#> PREFIX schema: <https://schema.org/>
           SELECT DISTINCT ?actor WHERE { ?role famv:character ?character ; schema:actor ?actor }"""
    rows = kg.run_query(graph, q, {"character": f"<{FAM['character/the-chief-designer']}>"}).records()
    assert rows == [{"actor": "person/rhys-ifans"}]


def test_star_city_premiered_on_29_may_2026_with_eight_episodes(graph):
    star_city, season = FAM["show/star-city"], FAM["season/star-city-1"]
    assert set(graph.objects(star_city, URIRef(SDO + "startDate"))) == {Literal("2026-05-29", datatype=URIRef(XSD_NS + "date"))}
    assert set(graph.objects(season, URIRef(SDO + "numberOfEpisodes"))) == {Literal(8)}


def test_preview_article_keeps_its_2025_expectation(graph):
    preview = graph.graph(FAM["source/star-city-preview-2025"])
    assert (FAM["show/star-city"], FAMV.expectedRelease, Literal("mid-to-late 2026", lang="en")) in preview
    assert (FAM["show/star-city"], FAMV.productionStart, Literal("2025-02", datatype=URIRef(XSD_NS + "gYearMonth"))) in preview


def test_the_preview_article_names_the_eight_cast_members_and_a_later_source_the_ninth(graph):
    actor = URIRef(SDO + "actor")
    preview = {o for o in graph.graph(FAM["source/star-city-preview-2025"]).objects(None, actor)}
    apple = {o for o in graph.graph(FAM["source/broadwayworld-2026-02-26"]).objects(None, actor)}
    assert len(preview) == 8 and len(apple) == 9 and apple - preview == {FAM["person/priya-kansara"]}


def test_real_and_invented_events_are_kept_apart(graph):
    real = set(graph.subjects(RDF.type, FAMV.RealEvent))
    invented = set(graph.subjects(RDF.type, FAMV.InUniverseEvent))
    assert real and invented and not real & invented
    for event in invented:
        assert set(graph.objects(event, FAMV.divergesFrom)) <= real


def test_russian_and_lithuanian_labels(graph):
    labels = {(str(l), l.language) for l in graph.objects(FAM["place/vingis-park"], RDFS.label)}
    assert ("Vingio parkas", "lt") in labels
    assert ("Звёздный городок", "ru") in {(str(l), l.language) for l in graph.objects(FAM["place/star-city"], RDFS.label)}


def test_no_source_states_a_fact_twice_under_two_names(graph):
    urls = Counter(str(u) for u in graph.graph(SOURCES_GRAPH).objects(None, URIRef(SDO + "url")))
    assert [u for u, n in urls.items() if n > 1] == []
