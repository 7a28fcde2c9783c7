"""The spoiler boundary: what a viewer who has watched up to an episode sees, in the API and in every command.

The fixture (tests/data/story) has a show of three known episodes and one story element, "Ada betrays Bob",
revealed in episode 3.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, URIRef

import kg
from kg.spoilers import hidden_story, story_elements
from kg.vocab import FAM, FAMV

FIXTURES = Path(__file__).parent / "data"
TWIST = FAM["event/ada-betrays-bob"]


@pytest.fixture
def story_dir(tmp_path) -> Path:
    target = tmp_path / "story"
    shutil.copytree(FIXTURES / "story", target)
    return target


@pytest.fixture(scope="module")
def story_graph():
    return kg.load(FIXTURES / "story")


def mentions(dataset, node) -> bool:
    return any(True for _ in dataset.quads((node, None, None, None))) or any(
        True for _ in dataset.quads((None, None, node, None)))


@pytest.mark.parametrize("watched, seen", [("S1E2", False), ("S1E3", True), ("The Reveal", True),
                                           ("Second Wind", False), ("episode/tiny-show-s1e03", True),
                                           ("Tiny Show S1E1", False)])
def test_a_fact_revealed_in_episode_3_is_seen_from_episode_3(story_graph, watched, seen):
    assert mentions(kg.watched(story_graph, watched), TWIST) is seen
    assert mentions(kg.restrict(story_graph, watched=watched), TWIST) is seen


def test_hiding_a_story_element_removes_every_triple_that_touches_it_and_nothing_else(story_graph):
    before = set(story_graph.quads((None, None, None, None)))
    after = set(kg.watched(story_graph, "S1E2").quads((None, None, None, None)))
    removed = before - after
    assert removed and all(TWIST in (s, o) for s, _, o, _ in removed)
    assert {q for q in before if TWIST not in (q[0], q[2])} == after


def test_load_takes_watched_and_as_of_together(story_graph):
    assert mentions(kg.load(FIXTURES / "story", watched="S1E3"), TWIST)
    assert not mentions(kg.load(FIXTURES / "story", watched="S1E2"), TWIST)
    # as of a day before the guide was published, the twist's claims are unknown, and its episode with them
    early = kg.load(FIXTURES / "story", watched="S1E3", as_of="2024-12-31")
    assert not any(True for _ in early.quads((TWIST, FAMV.revealedIn, None, None)))


def run(run_kg, folder, *args, **options):
    return run_kg("--data-dir", str(folder), *args, **options)


@pytest.mark.parametrize("watched, seen", [("S1E2", False), ("S1E3", True)])
def test_describe_shows_the_fact_only_once_watched(run_kg, story_dir, watched, seen):
    result = run(run_kg, story_dir, "describe", "Ada", "--watched", watched)
    assert result.exit_code == 0, result.output
    assert ("Ada betrays Bob" in result.stdout) is seen


@pytest.mark.parametrize("watched, rows", [("S1E2", "0 rows"), ("S1E3", "1 row")])
def test_query_sees_the_fact_only_once_watched(run_kg, story_dir, watched, rows):
    query = "PREFIX famv: <https://w3id.org/fam-kg/vocab#> SELECT ?e WHERE { ?e a famv:InUniverseEvent }"
    result = run(run_kg, story_dir, "query", "-", "--watched", watched, input=query)
    assert result.exit_code == 0, result.output
    assert rows in result.stdout


def test_path_reaches_the_fact_only_once_watched(run_kg, story_dir):
    shown = run(run_kg, story_dir, "path", "Ada Actor", "Ada betrays Bob", "--watched", "S1E3")
    assert shown.exit_code == 0 and "participant" in shown.stdout
    hidden = run(run_kg, story_dir, "path", "Ada Actor", "Ada betrays Bob", "--watched", "S1E2")
    assert hidden.exit_code == 2 and "no entity is labelled 'Ada betrays Bob'" in hidden.stderr


@pytest.mark.parametrize("watched, seen", [("S1E2", False), ("S1E3", True)])
def test_the_page_holds_the_fact_only_once_watched(run_kg, story_dir, tmp_path, watched, seen):
    page = tmp_path / "page.html"
    result = run(run_kg, story_dir, "viz", "-o", str(page), "--watched", watched)
    assert result.exit_code == 0, result.output
    html = page.read_text()
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1))
    assert ("Ada betrays Bob" in html) is seen  # nowhere in the page, not merely hidden: it can be shared
    # The page's own "watched up to" control opens at the episode given, and offers nothing later.
    assert list(data["watched"].values()) == [[1, int(watched[-1])]]


@pytest.mark.parametrize("watched, entities", [("S1E2", 10), ("S1E3", 11)])
def test_stats_count_the_fact_only_once_watched(run_kg, story_dir, watched, entities):
    result = run(run_kg, story_dir, "stats", "--watched", watched, "--markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"**{entities} entities,")


@pytest.mark.parametrize("given, expected", [
    ("S9E99", "Tiny Show has no episode S9E99 (it has seasons 1 in the graph); did you mean"),
    ("S1E7", "its season 1 has episodes 1-3 in the graph"),
    ("S1-E3", "is not an episode code; write S<season>E<episode>"),
    ("The Revael", "no episode is called 'The Revael'; did you mean Tiny Show S1E3 \"The Reveal\"?"),
    ("Nowhere S1E1", "no entity is labelled 'Nowhere'"),
])
def test_a_bad_episode_is_one_line_naming_close_matches(run_kg, story_dir, given, expected):
    result = run(run_kg, story_dir, "describe", "Ada", "--watched", given)
    assert result.exit_code == 2
    assert expected in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_ambiguous_title_names_every_episode_it_could_be(story_graph):
    from kg.episode import Episode, find_episode
    from kg.errors import UsageError

    twin = [Episode(URIRef(f"https://example.org/{n}"), URIRef(f"https://example.org/show{n}"), f"Show {n}", 1, 1, "Pilot")
            for n in (1, 2)]
    with pytest.raises(UsageError, match=r"'pilot' is the title of 2 episodes: Show 1 S1E1 \"Pilot\", Show 2 S1E1"):
        find_episode(story_graph, "pilot", twin)


def test_one_episode_per_show(story_graph):
    from kg.errors import UsageError

    with pytest.raises(UsageError, match="give one episode per show"):
        kg.watched(story_graph, "S1E1", "S1E2")


# ── the shipped data ────────────────────────────────────────────────────────


def test_watching_the_pilot_hides_only_story_revealed_later(graph):
    seen = kg.watched(graph, "S1E1")
    hidden = hidden_story(graph, ["S1E1"])
    story = set(story_elements(graph))
    assert hidden and hidden <= story
    assert FAM["event/soviet-moon-landing"] not in hidden  # shown in "Red Moon" itself
    assert {FAM["event/molly-cobb-lands-on-the-moon"], FAM["event/gordo-and-tracy-stevens-die"]} <= hidden
    # every production fact is kept: exactly the quads touching a hidden story element are gone
    before = set(graph.quads((None, None, None, None)))
    assert set(seen.quads((None, None, None, None))) == {q for q in before if q[0] not in hidden and q[2] not in hidden}


def test_watching_one_show_implies_nothing_about_the_other(graph):
    # a fan of For All Mankind who has seen it all has seen no episode of Star City: its story stays hidden
    hidden = hidden_story(graph, ["S5E10"])
    reveals = {node: set(graph.objects(node, FAMV.revealedIn)) for node in hidden}
    star_city = FAM["show/star-city"]
    assert all(any((e, URIRef("https://schema.org/partOfSeries"), star_city) in graph for e in eps) or not eps
               for eps in reveals.values())


def test_every_story_element_on_the_shipped_data_has_a_revealing_episode_that_exists(graph):
    episodes = set(graph.subjects(RDF.type, URIRef("https://schema.org/TVEpisode")))
    elements = story_elements(graph)
    assert len(elements) >= 14
    for node, revealing in elements.items():
        assert revealing and revealing <= episodes, node
