"""The vocabulary: the Python namespace and data/vocab.ttl agree, and the data uses only documented terms."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, URIRef

from kg.store import default_data_dir
from kg.vocab import ENTITIES_GRAPH, FAMV, VOCAB_GRAPH, compact

DATA = default_data_dir()


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
    for s, p, o, g in graph.quads((None, None, None, None)):
        if g == VOCAB_GRAPH:
            continue
        used.add(p)
        if p == RDF.type and g == ENTITIES_GRAPH:
            used.add(o)
    undocumented = sorted(compact(term) for term in used - documented if "famv:" in compact(term) or "schema:" in compact(term))
    assert undocumented == []


def _source_dates() -> dict[str, str]:
    import re

    text = (DATA / "sources.ttl").read_text(encoding="utf-8")
    pattern = r'^src:(\S+) a famv:Source ;(?:\n    .*)*?\n    schema:datePublished "([^"]+)"'
    return dict(re.findall(pattern, text, re.M))


@pytest.mark.parametrize("path", sorted(DATA.glob("*.trig")), ids=lambda p: p.name)
def test_data_file_layout(path):
    """Same prefixes in the same order; entities first; source graphs by date, one block each."""
    import re

    text = path.read_text(encoding="utf-8")
    prefixes = re.findall(r"^@prefix .*$", text, re.M)
    standard = re.findall(r"^@prefix .*$", (DATA / "people.trig").read_text(encoding="utf-8"), re.M)
    assert prefixes == standard
    graphs = re.findall(r"^(\S+) \{$", text, re.M)
    assert graphs[0] == "graph:entities"
    dates = _source_dates()
    sources = [g.removeprefix("src:") for g in graphs[1:]]
    assert len(sources) == len(set(sources)), "one block per source"
    assert sources == sorted(sources, key=lambda s: (dates[s], s)), "source graphs in order of publication"
