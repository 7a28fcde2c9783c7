"""Finding entities by what people call them."""

from __future__ import annotations

import pytest

import kg
from kg.entities import normalise
from kg.errors import AmbiguousEntityError, UnknownEntityError
from kg.vocab import FAM


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Rhys Ifans", "person/rhys-ifans"),
        ("  rhys   IFANS ", "person/rhys-ifans"),
        ("Pasilaiciai", "place/pasilaiciai"),  # accents optional
        ("Pašilaičiai", "place/pasilaiciai"),
        ("Вильнюс", "place/vilnius"),  # a Russian label
        ("Zvezdny Gorodok", "place/star-city"),  # an alternative label
        ("Apple TV+", "org/apple-tv"),
        ("person/rhys-ifans", "person/rhys-ifans"),  # a slug
        ("https://w3id.org/fam-kg/show/star-city", "show/star-city"),  # an IRI
        ("agnes o’casey", "person/agnes-ocasey"),  # typographic apostrophe
    ],
)
def test_find_entity_matches_labels_slugs_and_iris(graph, text, slug):
    assert kg.find_entity(graph, text) == FAM[slug]


def test_unknown_entity_suggests_close_names(graph):
    with pytest.raises(UnknownEntityError) as caught:
        kg.find_entity(graph, "Rhys Ifanz")
    assert "Rhys Ifans" in caught.value.suggestions


def test_unknown_entity_suggests_labels_containing_the_text(graph):
    with pytest.raises(UnknownEntityError) as caught:
        kg.find_entity(graph, "Ifans")
    assert caught.value.suggestions[0] == "Rhys Ifans"


def test_same_label_on_two_entities_is_ambiguous(tiny_plus):
    folder = tiny_plus(
        "twins.trig",
        "graph:entities { person:twin-a a schema:Person ; rdfs:label \"Twin\"@en ."
        ' person:twin-b a schema:Person ; rdfs:label "Twin"@en . }',
    )
    with pytest.raises(AmbiguousEntityError) as caught:
        kg.find_entity(kg.load(folder), "twin")
    assert "person/twin-a" in str(caught.value) and "person/twin-b" in str(caught.value)


def test_normalise_folds_case_accents_and_spacing():
    assert normalise("  Pašilaičiai  PARK ") == "pasilaiciai park"


def test_label_of_prefers_english(graph):
    assert kg.label_of(graph, FAM["place/vilnius"]) == "Vilnius"
