"""describe and stats on the shipped graph."""

from __future__ import annotations

import kg
from kg.vocab import FAM


def test_describe_gives_each_fact_its_sources(graph):
    description = kg.describe(graph, "Anna Maxwell Martin")
    assert description.iri == FAM["person/anna-maxwell-martin"]
    assert "person" in description.classes
    known_for = {f.value_label: f for f in description.facts if f.relation == "known for"}
    assert {"Motherland", "A Spy Among Friends"} <= set(known_for)
    motherland_sources = {description.sources[s].publisher for s in known_for["Motherland"].sources}
    assert {"BroadwayWorld", "unnamed (the 2025 preview article)"} <= motherland_sources


def test_describe_includes_incoming_facts(graph):
    description = kg.describe(graph, "Star City")
    incoming = {(f.relation, f.value_label) for f in description.facts if f.incoming}
    assert ("← in show", "Rhys Ifans in Star City, as the Chief Designer") in incoming


def test_describe_shows_labels_in_other_languages(graph):
    description = kg.describe(graph, "Vilnius")
    assert description.labels["ru"] == ["Вильнюс"]
    assert description.labels["lt"] == ["Vilnius"]


def test_stats_counts_entities_by_class_and_claims_by_source(graph):
    counted = kg.stats(graph)
    by_class = dict(counted.by_class)
    assert by_class["TV season"] >= 6
    assert counted.entities >= 60
    sources = {info.iri: n for info, n in counted.claims_by_source}
    assert len(sources) >= 10
    assert all(n > 0 for n in sources.values()), "a described source states nothing"
    assert counted.triples == len(graph)
    assert counted.statements > counted.triples  # some facts are stated by several sources
