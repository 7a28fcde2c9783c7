"""Provenance: sources, corroboration, conflicts, the graph as of a date, and what changed.

Asserted on the shipped data (real disagreements the sources have) and on the
tiny fixture with a planted conflict and a planted late source.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from rdflib import Literal, URIRef

import kg
from kg.errors import UsageError
from kg.provenance import as_of, changes, conflicts, earliest_day, parse_day
from kg.shipped import default_data_dir
from kg.vocab import FAM, FAMV

SDO = "https://schema.org/"
TODAY = dt.date.today()


@pytest.fixture
def planted(tiny_plus):
    """Tiny data plus the vocabulary, a source that contradicts the first, and one published later."""
    folder = tiny_plus("planted.trig", """
        graph:sources {
            src:rival-2025-02-01 a famv:Source ; schema:name "A rival source" ; schema:publisher "Rival Times" ;
                schema:datePublished "2025-02-01"^^xsd:date ; schema:url <https://example.org/rival> .
            src:late-2026-03-01 a famv:Source ; schema:name "A later source" ; schema:publisher "Late News" ;
                schema:datePublished "2026-03-01"^^xsd:date ; schema:url <https://example.org/late> .
            src:vague-2025 a famv:Source ; schema:name "A source dated by year" ; schema:publisher "Vague Weekly" ;
                schema:datePublished "2025"^^xsd:gYear ; schema:url <https://example.org/vague> .
        }
        src:rival-2025-02-01 { show:tiny-show schema:startDate "2025-06-01"^^xsd:date . }
        src:late-2026-03-01 {
            show:tiny-show schema:numberOfEpisodes 8 ; schema:creator person:ada-tester .
        }
        src:vague-2025 { show:tiny-show schema:endDate "2025"^^xsd:gYear . }
    """)
    shutil.copy(default_data_dir() / "vocab.ttl", folder / "vocab.ttl")
    return folder


# ── dates ───────────────────────────────────────────────────────────────────


def test_a_source_dated_by_year_or_month_counts_from_the_first_day():
    assert earliest_day("2025") == dt.date(2025, 1, 1)
    assert earliest_day(Literal("2019-11")) == dt.date(2019, 11, 1)
    assert earliest_day("2026-05-29") == dt.date(2026, 5, 29)
    assert earliest_day("sometime") is None


@pytest.mark.parametrize(("text", "message"), [
    ("2025-13-01", "expected a date as YYYY-MM-DD"),
    ("yesterday", "expected a date as YYYY-MM-DD"),
    ("2999-01-01", "is in the future"),
])
def test_bad_dates_are_usage_errors(text, message):
    with pytest.raises(UsageError, match=message):
        parse_day(text, "--as-of")


# ── as of a date ────────────────────────────────────────────────────────────


def test_as_of_mid_2025_star_city_has_only_an_expected_release(graph):
    star_city = FAM["show/star-city"]
    then = as_of(graph, dt.date(2025, 6, 30))
    assert list(then.objects(star_city, URIRef(SDO + "startDate"))) == []
    assert {str(v) for v in then.objects(star_city, FAMV.expectedRelease)} == {"mid-to-late 2026"}
    assert {str(v) for v in graph.objects(star_city, URIRef(SDO + "startDate"))} == {"2026-05-29"}
    assert (star_city, None, None) in then  # identity stays
    assert len(then) < len(graph)


def test_as_of_keeps_identity_but_drops_later_sources(planted):
    full = kg.load(planted)
    before = as_of(full, dt.date(2025, 12, 31))
    show = FAM["show/tiny-show"]
    assert list(before.objects(show, URIRef(SDO + "numberOfEpisodes"))) == []
    assert list(full.objects(show, URIRef(SDO + "numberOfEpisodes"))) == [Literal(8)]
    assert (FAM["source/late-2026-03-01"], None, None) not in before
    assert (FAM["person/ada-tester"], None, None) in before


def test_kg_describe_as_of_shows_the_contrast(run_kg):
    then = run_kg("describe", "Star City", "--as-of", "2025-06-30")
    now = run_kg("describe", "Star City")
    assert then.exit_code == now.exit_code == 0
    assert "mid-to-late 2026" in then.stdout and "2026-05-29" not in then.stdout
    assert "2026-05-29" in now.stdout


def test_kg_query_and_viz_take_as_of(run_kg, tmp_path):
    then = run_kg("query", "release-expected-vs-actual", "--as-of", "2025-06-30", "-f", "csv")
    assert "mid-to-late 2026" in then.stdout and "Star City,premiere" not in then.stdout
    page = tmp_path / "then.html"
    assert run_kg("viz", "-o", str(page), "--as-of", "2019-12-31").exit_code == 0
    drawn = page.read_text()
    assert '"id":"person/joel-kinnaman"' in drawn and '"id":"person/rhys-ifans"' not in drawn  # cast in 2025


# ── sources and corroboration ───────────────────────────────────────────────


def test_kg_sources_lists_each_source_with_its_claims(run_kg, graph):
    result = run_kg("sources")
    assert result.exit_code == 0
    assert re.search(r"source/tass-2019-10-11\s.*TASS\s.*2019-10-11\s.*https://tass\.com/science/1082691\s.*\d+",
                     result.stdout)
    assert "(local copy)" in result.stdout  # the preview article has no URL
    counted = int(re.search(r"(\d+) sources, (\d+) claims", result.stdout).group(1))
    assert counted == len(set(graph.graph(FAM["graph/sources"]).subjects(None, FAMV.Source)))


def test_kg_sources_as_of_lists_only_earlier_sources(run_kg):
    result = run_kg("sources", "--as-of", "2012-12-31")
    dates = re.findall(r"\s(\d{4}-\d{2}(?:-\d{2})?)\s", result.stdout)
    assert dates and all(d <= "2012-12-31" for d in dates)


def test_describe_counts_how_many_sources_agree(graph):
    facts = kg.describe(graph, "Alexei Leonov").facts
    died = [f for f in facts if f.relation == "death date"]
    assert len(died) == 1 and len(died[0].sources) >= 3 and not died[0].disputed


def test_kg_describe_marks_a_disputed_value(run_kg):
    result = run_kg("describe", "Wernher von Braun")
    assert re.search(r"death date ✗ deprecated\s+│ 1977-06-15\s+│ 2 ", result.stdout)
    assert re.search(r"death date ★ preferred\s+│ 1977-06-16\s+│ 3 ", result.stdout)
    assert "the preferred one by the rule kg conflicts explains" in result.stdout


# ── conflicts ───────────────────────────────────────────────────────────────


def test_the_shipped_data_keeps_real_disagreements(graph):
    found = {(c.entity_label, c.property): c for c in conflicts(graph)}
    braun = found[("Wernher von Braun", "death date")]
    assert {v.value for v in braun.values} == {"1977-06-15", "1977-06-16"}
    assert "Saint Louis Science Center" in {s.publisher for v in braun.values for s in v.sources}
    assert ("Aleida Rosales", "actor in For All Mankind") in found  # the character is recast as she grows up


def test_each_value_lists_its_sources_newest_first(graph):
    for conflict in conflicts(graph):
        for claimed in conflict.values:
            dates = [s.date for s in claimed.sources]  # publication, or a reference work's retrieval
            assert dates == sorted(dates, reverse=True)


def test_a_planted_conflict_is_found_and_a_narrowing_is_not(planted):
    found = conflicts(kg.load(planted))
    assert [(c.entity_label, c.property) for c in found] == [("Tiny Show", "start date")]
    values = {v.value: [s.publisher for s in v.sources] for v in found[0].values}
    assert values == {"2025-05-01": ["Test Gazette"], "2025-06-01": ["Rival Times"]}


def test_kg_conflicts_on_fixture_and_as_of(run_kg, planted):
    result = run_kg("--data-dir", str(planted), "conflicts")
    assert result.exit_code == 0 and "Tiny Show" in result.stdout and "Rival Times" in result.stdout
    before = run_kg("--data-dir", str(planted), "conflicts", "--as-of", "2025-01-15")
    assert "no two sources disagree" in before.stdout


# ── what changed ────────────────────────────────────────────────────────────


def test_changes_in_a_window_come_from_its_sources_only(planted):
    found = changes(kg.load(planted), dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert list(found) == ["Tiny Show"]
    assert {(c.predicate, c.value_label) for c in found["Tiny Show"]} == {
        ("number of episodes", "8"), ("creator", "Ada Tester")}
    assert {c.source.publisher for c in found["Tiny Show"]} == {"Late News"}


def test_kg_changes_on_the_shipped_data(run_kg):
    result = run_kg("changes", "--since", "2026-02-26", "--until", "2026-02-27")
    assert result.exit_code == 0
    assert "Star City season 1" in result.stdout and "start date: 2026-05-29" in result.stdout
    assert "[BroadwayWorld, 2026-02-26]" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["changes", "--since", "2026-03-01", "--until", "2026-01-01"], "is after --until"),
    (["changes", "--since", "2026-02-30"], "expected a date as YYYY-MM-DD"),
    (["changes", "--since", "2999-01-01"], "is in the future"),
    (["describe", "Star City", "--as-of", "2999-01-01"], "is in the future"),
    (["conflicts", "--as-of", "last week"], "expected a date"),
    (["query", "claims-of-source", "-p", "source=tass-2019-10-1"], "did you mean: source/tass-2019-10-11"),
    (["query", "claims-of-source", "-p", "source=nothing-like-it"], "no source is called 'nothing-like-it'"),
])
def test_bad_input_exits_2_with_a_message(run_kg, args, message):
    result = run_kg(*args)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output
