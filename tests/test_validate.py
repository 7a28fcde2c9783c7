"""SHACL validation: the shipped data conforms; each planted fault is found and located."""

from __future__ import annotations

import pytest

import kg
from kg.validation import validation_graph
from kg.vocab import FAM, FAMV


def test_shipped_data_conforms(graph):
    report = kg.validate(graph)
    assert report.conforms, [(v.focus, v.path, v.message) for v in report.violations]


def test_tiny_fixture_conforms(tiny_dir):
    assert kg.validate(kg.load(tiny_dir)).conforms


def test_every_claim_graph_is_typed_for_validation(graph):
    union = validation_graph(graph)
    claim_graphs = set(union.subjects(predicate=None, object=FAMV.ClaimGraph))
    assert FAM["source/popculture-2025-02-14"] in claim_graphs
    assert FAM["graph/entities"] not in claim_graphs


@pytest.mark.parametrize(
    "fixture, focus, path, message",
    [
        ("missing_label.trig", "person/no-label", "rdfs:label", "no English label"),
        ("no_english_label.trig", "person/only-russian", "rdfs:label", "no English label"),
        ("untyped_entity.trig", "person/nobody-typed-me", "rdf:type", "has no type"),
        ("undescribed_source.trig", "source/never-described", "", "not described as a famv:Source"),
        ("claim_outside_graph.trig", "graph/claim_outside_graph", "", "not described as a famv:Source"),
        ("date_as_string.trig", "show/tiny-show", "schema:startDate", "xsd:date"),
        ("wrong_class.trig", "show/tiny-show", "schema:creator", "schema:Person"),
        ("reference_work_without_retrieval_date.trig", "source/undated-wiki", "famv:retrieved",
         "the day its page was retrieved"),
        ("story_element_without_episode.trig", "event/unrevealed-twist", "famv:revealedIn",
         "the episode that reveals it"),
        ("relationship_family_kind_between.trig", "relationship/ann--ben--married", "",
         "with famv:relative when its kind is a family kind"),
        ("relationship_family_kind_between.trig", "relationship/ann--ben--married", "",
         "must be one of its two characters"),
    ],
)
def test_planted_fault_is_reported_with_its_file(tiny_with, fixture, focus, path, message):
    report = kg.validate(kg.load(tiny_with(fixture)))
    assert not report.conforms
    matching = [v for v in report.violations if v.focus == focus and v.path == path and message in v.message]
    assert matching, [(v.focus, v.path, v.message) for v in report.violations]
    assert fixture in {f.name for v in matching for f in v.files}


def test_every_class_in_the_data_has_a_shape(graph):
    from rdflib import RDF
    from rdflib.namespace import SH

    from kg.validation import shapes_graph
    from kg.vocab import ENTITIES_GRAPH

    targeted = set(shapes_graph().objects(None, SH.targetClass))
    used = set(graph.graph(ENTITIES_GRAPH).objects(None, RDF.type))
    assert used - targeted == set()


@pytest.mark.parametrize(
    "body, focus, message",
    [
        pytest.param(
            'src:tiny-2025-01-01 { show:tiny-show schema:startDate "2025-13-45"^^xsd:date . }',
            "show/tiny-show", "xsd:date", id="ill-typed date",
        ),
        pytest.param(
            "graph:entities { event:muddle a schema:Event , famv:RealEvent , famv:InUniverseEvent ;"
            ' rdfs:label "Muddle"@en . }',
            "event/muddle", "either a famv:RealEvent or a famv:InUniverseEvent", id="real and invented",
        ),
        pytest.param(
            'graph:entities { show:a-film a schema:Movie ; rdfs:label "A film"@en . }\n'
            "src:tiny-2025-01-01 { show:a-film famv:network show:tiny-show . }",
            "show/a-film", "a film has no network", id="film with a network",
        ),
        pytest.param(
            'graph:entities { show:moon a schema:Place , famv:CelestialBody ; rdfs:label "Moon"@en .'
            ' show:crater a schema:Place ; rdfs:label "Crater"@en . }\n'
            "src:tiny-2025-01-01 { show:crater schema:containedInPlace show:moon ; schema:latitude -89.6 ;"
            " schema:longitude 132.3 . }",
            "show/crater", "its coordinates need famv:onBody", id="coordinates off Earth without their body",
        ),
        pytest.param(
            'src:tiny-2025-01-01 { show:tiny-show schema:datePublished "2025"^^xsd:gYear . }\n'
            'graph:sources { src:undated a famv:Source ; schema:name "Undated" ; schema:publisher "Nobody" ;'
            " schema:url <https://example.org/undated> . }",
            "source/undated", "needs a publication date", id="dated source without a date",
        ),
    ],
)
def test_planted_snippet_is_reported(tiny_plus, body, focus, message):
    report = kg.validate(kg.load(tiny_plus("planted.trig", body)))
    assert any(v.focus == focus and message in v.message for v in report.violations), report.violations


def test_the_computed_target_selects_what_the_shapes_sparql_target_selects(graph):
    from kg.validation import MENTIONED_ENTITIES, _with_computed_targets, mentioned_entities, shapes_graph, \
        validation_graph
    from rdflib.namespace import SH

    data = validation_graph(graph)
    by_sparql = {row[0] for row in data.query(MENTIONED_ENTITIES)}
    assert mentioned_entities(data) == by_sparql and len(by_sparql) > 400
    shapes = shapes_graph()
    texts = [" ".join(str(t).split()) for t in shapes.objects(None, SH.select)]
    assert " ".join(MENTIONED_ENTITIES.split()) in texts  # the shipped shapes still carry the standard SHACL target
    computed = _with_computed_targets(shapes, data)
    assert not any(computed.objects(None, SH.target)) and set(computed.objects(None, SH.targetNode)) == by_sparql
