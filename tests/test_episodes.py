"""Episodes on the shipped data, reference works as sources, and ``kg coverage``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from rdflib import URIRef

import kg
from kg.episode import episodes, find_episode
from kg.vocab import FAM, FAMV

FIXTURES = Path(__file__).parent / "data"
SDO = "https://schema.org/"


def values(graph, episode: URIRef, predicate: str) -> set[str]:
    return {str(v) for v in graph.objects(episode, URIRef(SDO + predicate))}


def labels(graph, nodes) -> set[str]:
    return {kg.label_of(graph, n) for n in nodes}


# (code, title, air date, directors, writers); None where no source gives it
KNOWN = [
    ("S1E1", "Red Moon", "2019-11-01", {"Seth Gordon"}, set()),
    ("S1E7", "Hi Bob", None, {"Meera Menon"}, {"Ronald D. Moore"}),
    ("S1E10", "A City Upon a Hill", "2019-12-20", {"John Dahl"}, {"Matt Wolpert", "Ben Nedivi"}),
    ("S2E3", "Rules of Engagement", "2021-03-05", {"Andrew Stanton"}, {"Stephanie Shannon"}),
    ("S2E9", "Triage", "2021-04-16", {"Sergio Mimica-Gezzan"}, {"Bradley Thompson", "David Weddle"}),
    ("S3E4", "Happy Valley", "2022-07-01", {"Wendey Stanzler"}, {"Joe Menosky"}),
    ("S3E10", "Stranger in a Strange Land", "2022-08-12", {"Craig Zisk"}, {"Matt Wolpert", "Ben Nedivi"}),
    ("S4E2", "Have a Nice Sol", "2023-11-17", {"Lukas Ettlin"}, {"David Weddle", "Bradley Thompson", "Eric W. Phillips"}),
    ("S4E9", "Brazil", "2024-01-05", {"Sergio Mimica-Gezzan"}, {"David Weddle", "Bradley Thompson", "Kate Burns"}),
]


@pytest.mark.parametrize("code, title, aired, directors, writers", KNOWN)
def test_known_episodes_have_their_fields(graph, code, title, aired, directors, writers):
    episode = find_episode(graph, code).iri
    assert title in values(graph, episode, "name")
    if aired:
        assert values(graph, episode, "datePublished") == {aired}
    assert labels(graph, graph.objects(episode, URIRef(SDO + "director"))) == directors
    assert labels(graph, graph.objects(episode, URIRef(SDO + "author"))) == writers


def test_the_pilot_keeps_story_and_teleplay_apart(graph):
    pilot = find_episode(graph, "Red Moon").iri
    story = labels(graph, graph.objects(pilot, FAMV.storyBy))
    teleplay = labels(graph, graph.objects(pilot, FAMV.teleplayBy))
    assert story == {"Ronald D. Moore", "Matt Wolpert", "Ben Nedivi"} and teleplay == {"Ronald D. Moore"}


def test_sources_that_disagree_on_an_air_date_are_both_kept(graph):
    hi_bob = find_episode(graph, "S1E7").iri
    assert values(graph, hi_bob, "datePublished") == {"2019-11-28", "2019-11-29"}
    assert any(c.entity == hi_bob for c in kg.conflicts(graph))


def test_every_episode_is_in_its_show_and_season_in_order(graph):
    listed = episodes(graph)
    by_show = {}
    for e in listed:
        by_show.setdefault(e.show_label, []).append(e.position)
    assert len(by_show["For All Mankind"]) == 50 and len(by_show["Star City"]) == 8
    assert by_show["For All Mankind"] == sorted(by_show["For All Mankind"])


def test_the_guide_reads_in_order_with_credits(run_kg):
    result = run_kg("query", "episodes", "-p", "show=For All Mankind", "-p", "season=1", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["code"] for r in rows] == [f"S1E{n}" for n in range(1, 11)]
    assert rows[0]["title"] == "Red Moon" and "Ronald D. Moore (teleplay)" in rows[0]["writers"]
    assert "retrieved 2026-12-01" in rows[1]["sources"]  # the fan wiki, a reference work


def test_an_unknown_episode_parameter_is_one_line(run_kg):
    result = run_kg("query", "episode", "-p", "episode=S9E99")
    assert result.exit_code == 2
    assert "For All Mankind has no episode S9E99" in result.stderr and "Traceback" not in result.output


def test_directors_and_writers_are_credited_people(run_kg):
    result = run_kg("query", "filmography", "-p", "person=Meera Menon", "-f", "csv")
    assert "director of Hi Bob (For All Mankind S1E7)" in result.stdout
    both = run_kg("query", "people-on-both-shows", "-f", "csv").stdout
    assert "Ronald D. Moore,For All Mankind,\"creator, executive producer, writer\"" in both


# ── reference works ─────────────────────────────────────────────────────────


def test_a_reference_work_counts_from_the_day_it_was_retrieved():
    graph = kg.load(FIXTURES / "story")
    pilot = FAM["episode/tiny-show-s1e01"]
    director = URIRef(SDO + "director")
    assert (pilot, director, None) in kg.as_of(graph, dt.date(2025, 6, 1))
    assert (pilot, director, None) not in kg.as_of(graph, dt.date(2025, 5, 31))


def test_sources_say_which_are_reference_works(run_kg):
    result = run_kg("--data-dir", str(FIXTURES / "story"), "sources")
    assert result.exit_code == 0
    wiki = next(line for line in result.stdout.splitlines() if "tiny-wiki" in line)
    assert "reference work" in wiki and "retrieved 2025-06-01" in wiki


def test_describe_marks_a_fact_only_a_reference_work_states(run_kg):
    result = run_kg("--data-dir", str(FIXTURES / "story"), "describe", "Pilot (Tiny Show S1E1)")
    directed = next(line for line in result.stdout.splitlines() if "Dee Director" in line)
    assert "reference work only" in directed


def test_single_source_facts_give_the_kind_of_source(answer):
    rows = answer("single-source-facts").records()
    kinds = {r["kind"] for r in rows}
    assert kinds == {"dated", "reference work"}


# ── kg coverage ─────────────────────────────────────────────────────────────


def test_coverage_counts_the_known_gaps_of_the_fixture():
    found = kg.coverage(kg.load(FIXTURES / "story"))
    (season,) = found.seasons
    assert (season.show, season.season, season.expected, season.known, season.missing) == ("Tiny Show", 1, 4, 3, 1)
    assert (season.titled, season.dated, season.directed, season.written) == (3, 2, 1, 0)
    areas = {(a.area, a.what): (a.total, a.having) for a in found.areas}
    assert areas[("invented events", "a revealing episode")] == (1, 1)
    assert areas[("characters", "an actor")] == (2, 1)


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "table"])
def test_coverage_prints_in_every_format(run_kg, fmt):
    result = run_kg("--data-dir", str(FIXTURES / "story"), "coverage", "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["seasons"][0]["missing"] == 1 and data["episodes"]["known"] == 3
    elif fmt == "csv":
        assert "show,season,expected,known,titled,dated,directed,written,missing" in result.stdout
    else:
        assert "Tiny Show" in result.stdout


def test_coverage_refuses_an_unknown_format(run_kg):
    result = run_kg("coverage", "--format", "xml")
    assert result.exit_code == 2 and "expected one of table, csv, tsv, json, markdown" in result.stderr


def test_coverage_of_the_shipped_graph_meets_the_episode_targets(graph):
    totals = kg.coverage(graph).totals()
    assert totals["known"] == 58 and totals["expected"] == 58
    assert totals["titled"] >= 40 and totals["dated"] >= 40
    assert max(totals["directed"], totals["written"]) >= 30


def test_the_2026_seasons_have_what_their_sources_give_and_nothing_more(graph):
    finale = find_episode(graph, "S5E10").iri
    assert values(graph, finale, "datePublished") == {"2026-05-29"} and values(graph, finale, "name") == set()
    bad_dancer = find_episode(graph, "Star City S1E3")
    assert bad_dancer.title == "Bad Dancer" and values(graph, bad_dancer.iri, "datePublished") == set()
    assert values(graph, find_episode(graph, "Star City S1E1").iri, "datePublished") == {"2026-05-29"}
