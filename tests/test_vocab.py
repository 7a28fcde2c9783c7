"""The vocabulary: the Python namespace and data/vocab.ttl agree, and the data uses only documented terms."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, URIRef

from kg.vocab import ENTITIES_GRAPH, FAMV, VOCAB_GRAPH, compact


def declared_terms(graph) -> set[URIRef]:
    vocab = graph.graph(VOCAB_GRAPH)
    return {s for s in vocab.subjects(RDFS.label, None) if str(s).startswith(str(FAMV._NS))}


def test_every_python_term_is_declared_with_label_and_comment(graph):
    vocab = graph.graph(VOCAB_GRAPH)
    python_terms = {FAMV[name] for name in FAMV.__annotations__}
    assert python_terms == declared_terms(graph)
    for term in python_terms:
        assert vocab.value(term, RDFS.comment) is not None, term


def test_misspelt_term_fails_at_once():
    with pytest.raises(AttributeError):
        FAMV.showRunner  # noqa: B018 - the closed namespace must refuse it


def test_every_predicate_and_class_in_the_data_is_labelled_in_the_vocabulary(graph):
    vocab = graph.graph(VOCAB_GRAPH)
    documented = set(vocab.subjects(RDFS.label, None)) | {RDF.type, RDFS.label, RDFS.comment}
    used = set()
    for _s, p, o, g in graph.quads((None, None, None, None)):
        if g == VOCAB_GRAPH:
            continue
        used.add(p)
        if p == RDF.type and g == ENTITIES_GRAPH:
            used.add(o)
    undocumented = sorted(compact(term) for term in used - documented if "famv:" in compact(term) or "schema:" in compact(term))
    assert undocumented == []



def test_the_plain_string_iris_are_the_vocabularys_terms():
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
    from rdflib.namespace import RDF, RDFS, SDO

    from kg import iris, sourceinfo
    from kg.vocab import BOOKKEEPING_GRAPHS, FAMV

    assert iris.BOOKKEEPING_GRAPHS == {str(name) for name in BOOKKEEPING_GRAPHS}
    assert iris.RDFLIB_DEFAULT_GRAPH == str(DATASET_DEFAULT_GRAPH_ID)
    assert (sourceinfo.NAME, sourceinfo.PUBLISHER, sourceinfo.DATE_PUBLISHED, sourceinfo.URL) == (
        str(SDO.name), str(SDO.publisher), str(SDO.datePublished), str(SDO.url))
    assert (sourceinfo.RETRIEVED, sourceinfo.COMMENT, sourceinfo.TYPE) == (str(FAMV.retrieved), str(RDFS.comment),
                                                                          str(RDF.type))
