"""Ranked values: the rule (kg.ranking), and what kg conflicts, kg describe, the named query and the page make of it."""

from __future__ import annotations

from dataclasses import dataclass

import kg
from kg.ranking import DEPRECATED, NORMAL, PREFERRED, evidence, rank


@dataclass
class Source:  # what kg.ranking reads of a kg.explore.SourceInfo
    publisher: str
    published: str = ""
    retrieved: str = ""
    weak: bool = False

    @property
    def reference_work(self) -> bool:
        return bool(self.retrieved) and not self.published


def ranks(**values) -> dict[str, str]:
    return {value: decided[0] for value, decided in rank([evidence(v, s, d) for v, (s, d) in values.items()]).items()}


def test_more_independent_dated_publishers_win_over_weak_copies_and_wikis():
    strong = [Source("Variety", "2025-02-05")]
    many_weak = [Source("a blog", "2025-03-01", weak=True), Source("a mirror", "2025-03-02", weak=True),
                 Source("Fan wiki", retrieved="2026-12-01")]
    assert ranks(a=(strong, ()), b=(many_weak, ())) == {"a": PREFERRED, "b": NORMAL}


def test_then_more_publishers_then_the_newer_dated_source_then_the_newer_reference_work():
    assert ranks(a=([Source("x", "2020-01-01", weak=True), Source("y", "2020-01-01", weak=True)], ()),
                 b=([Source("z", "2024-01-01", weak=True)], ())) == {"a": PREFERRED, "b": NORMAL}
    assert ranks(a=([Source("x", "2020-01-01")], ()), b=([Source("y", "2024-01-01")], ())) == {
        "a": NORMAL, "b": PREFERRED}
    assert ranks(a=([Source("w", retrieved="2026-12-02")], ()), b=([Source("v", retrieved="2026-12-01")], ())) == {
        "a": PREFERRED, "b": NORMAL}


def test_a_value_shown_wrong_is_deprecated_whatever_states_it_and_a_tie_prefers_none():
    many = [Source(f"p{i}", "2024-01-01") for i in range(5)]
    assert ranks(a=(many, ("Find a Grave",)), b=([Source("q", "2001-01-01")], ())) == {
        "a": DEPRECATED, "b": PREFERRED}
    assert ranks(a=([Source("x", "2020-01-01")], ()), b=([Source("y", "2020-01-01")], ())) == {
        "a": NORMAL, "b": NORMAL}


def test_von_braun_died_on_the_16th_and_the_15th_is_deprecated_by_the_source_that_shows_it(graph):
    found = next(c for c in kg.conflicts(graph) if c.entity_label == "Wernher von Braun")
    assert [(v.value, v.rank) for v in found.values] == [("1977-06-16", PREFERRED), ("1977-06-15", DEPRECATED)]
    assert "Find a Grave" in found.values[1].why
    facts = [f for f in kg.describe(graph, "Wernher von Braun").facts if f.relation == "death date"]
    assert [(f.value_label, f.rank) for f in facts] == [("1977-06-16", PREFERRED), ("1977-06-15", DEPRECATED)]


def test_every_conflict_ranks_its_values_and_the_named_query_agrees(graph):
    rows = kg.run_query(graph, kg.named_query("preferred-values")).records()
    first_standing: dict[tuple[str, str], str] = {}
    for row in rows:
        if not row["deprecated"]:
            first_standing.setdefault((row["entity"], row["property"]), row["value"])
    ranked = [c for c in kg.conflicts(graph) if not c.property.startswith("actor in")]
    assert len(ranked) >= 4
    for conflict in ranked:
        preferred = [v.value for v in conflict.values if v.rank == PREFERRED]
        assert len(preferred) <= 1 and conflict.values[0].rank != DEPRECATED
        if preferred:
            key = next(k for k in first_standing if k[0] == kg.vocab.slug_of(conflict.entity))
            assert first_standing[key] == preferred[0], conflict.entity_label


def test_the_cli_and_the_page_show_the_preferred_value_first(run_kg, graph):
    shown = run_kg("conflicts", "-f", "csv").stdout.splitlines()
    braun = [line for line in shown if line.startswith("Wernher von Braun")]
    assert braun[0].split(",")[2:4] == ["1977-06-16", "preferred"] and ",deprecated," in braun[1]
    described = run_kg("describe", "Wernher von Braun").stdout
    assert described.index("★ preferred") < described.index("✗ deprecated")
    facts = [f for f in kg.project(graph).nodes["person/wernher-von-braun"]["facts"] if f["relation"] == "death date"]
    assert [(f["value"], f["rank"]) for f in facts] == [("1977-06-16", PREFERRED), ("1977-06-15", DEPRECATED)]
