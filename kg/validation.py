"""SHACL validation of the dataset against ``data/shapes.ttl`` (pySHACL).

SHACL validates one graph, and a fact's source is a *named* graph. So the data
graph given to pySHACL is the union of all named graphs plus one triple per
claim graph, ``<graph> a famv:ClaimGraph``, which lets a shape demand that
every claim graph is also described as a source with a URL and a date.

A graph on the Oxigraph store that conformed once is not checked again while nothing that decides the answer has
changed: the quads (as Oxigraph dumps them), the shapes, pySHACL's version and this module's own code make the key
of a marker in the load cache's folder (:mod:`kg.compiled`). Only a pass is remembered; a graph with violations
is always checked, so they are reported in full.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SDO, SH

from kg.entities import label_of
from kg.datafolder import shapes_path as default_shapes_path
from kg.parsing import parse_turtle_file
from kg.store import KGDataset
from kg.vocab import FAM, FAMV, compact, is_claim_graph, slug_of


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with the file(s) to look in."""

    focus: str
    focus_label: str
    path: str
    message: str
    severity: str
    value: str
    files: tuple[Path, ...]


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`: ``conforms`` and the violations, if any."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.conforms


def shapes_graph(shapes_path: Path | None = None) -> Graph:
    """The SHACL shapes (default: ``shapes.ttl`` of the shipped data)."""
    return parse_turtle_file(Path(shapes_path) if shapes_path else default_shapes_path())


def validation_graph(dataset: KGDataset) -> Graph:
    """The union of every named graph, with each claim graph typed ``famv:ClaimGraph``."""
    union = Graph()
    union += dataset.triples((None, None, None))
    for context in dataset.graphs():
        if is_claim_graph(context.identifier) and len(context):
            union.add((URIRef(str(context.identifier)), RDF.type, FAMV.ClaimGraph))
    return union


# The shipped shapes' one SPARQL target: every IRI of the project that a fact mentions. pySHACL evaluates it with
# rdflib's SPARQL engine, which took about 60 % of validation; kg computes the same nodes in one pass over the
# triples instead (a test checks both give the same nodes). A target whose text differs is left to pySHACL.
MENTIONED_ENTITIES = """
    SELECT DISTINCT ?this WHERE {
        { ?this ?p ?o } UNION { ?s ?p ?this FILTER (?p NOT IN (<https://schema.org/url>, <https://schema.org/sameAs>)) }
        FILTER (isIRI(?this) && STRSTARTS(STR(?this), "https://w3id.org/fam-kg/"))
        FILTER (!STRSTARTS(STR(?this), "https://w3id.org/fam-kg/vocab#"))
        FILTER (!STRSTARTS(STR(?this), "https://w3id.org/fam-kg/source/"))
        FILTER (!STRSTARTS(STR(?this), "https://w3id.org/fam-kg/graph/"))
    }
"""
_NOT_ENTITIES = tuple(str(FAM) + part for part in ("vocab#", "source/", "graph/"))
_NOT_MENTIONS = frozenset({SDO.url, SDO.sameAs})


def mentioned_entities(graph: Graph) -> set[URIRef]:
    """What :data:`MENTIONED_ENTITIES` selects, in one pass over the triples."""
    found: set[URIRef] = set()
    for s, p, o in graph:
        if isinstance(s, URIRef):
            found.add(s)
        if isinstance(o, URIRef) and p not in _NOT_MENTIONS:
            found.add(o)
    return {n for n in found if str(n).startswith(str(FAM)) and not str(n).startswith(_NOT_ENTITIES)}


def _with_computed_targets(shapes: Graph, data: Graph) -> Graph:
    """The shapes with each :data:`MENTIONED_ENTITIES` target replaced by the nodes it selects (``sh:targetNode``)."""
    wanted = " ".join(MENTIONED_ENTITIES.split())
    for shape, target in list(shapes.subject_objects(SH.target)):
        select = shapes.value(target, SH.select)
        if (target, RDF.type, SH.SPARQLTarget) not in shapes or select is None or " ".join(str(select).split()) != wanted:
            continue
        shapes.remove((shape, SH.target, target))
        shapes.remove((target, None, None))
        for node in mentioned_entities(data):
            shapes.add((shape, SH.targetNode, node))
    return shapes


def validate(dataset: KGDataset, shapes_path: Path | None = None) -> ValidationReport:
    """Check the dataset against the SHACL shapes; return the report (does not raise)."""
    from kg import compiled

    key = _conformance_key(dataset, shapes_path)
    if key is not None and compiled.known_to_conform(key):
        return ValidationReport(True, [])
    import pyshacl  # heavy: imported only when validating

    data = validation_graph(dataset)
    conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=_with_computed_targets(shapes_graph(shapes_path), data),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    violations = [_violation(dataset, results, result) for result in results.subjects(RDF.type, SH.ValidationResult)]
    violations.sort(key=lambda v: (str(v.files), v.focus, v.path, v.message))
    if conforms and key is not None:
        compiled.remember_conformance(key)
    return ValidationReport(bool(conforms), violations)


def _conformance_key(dataset: KGDataset, shapes_path: Path | None) -> str | None:
    """What decides whether ``dataset`` conforms, as a digest; None when the answer is not to be remembered (rdflib's
    store, whose quads have no cheap dump, or the cache turned off)."""
    from kg import compiled

    return compiled.result_key(dataset, metadata.version("pyshacl"), Path(__file__).read_bytes(),
                               Path(shapes_path or default_shapes_path()).read_bytes())


def _violation(dataset: KGDataset, results: Graph, result) -> Violation:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    severity = results.value(result, SH.resultSeverity)
    message = results.value(result, SH.resultMessage)
    files = dataset.files_of_node(focus) or dataset.files_of_graph(focus)
    return Violation(
        focus=slug_of(focus) if focus is not None else "",
        focus_label=label_of(dataset, focus) if focus is not None else "",
        path=compact(path) if isinstance(path, URIRef) else "",
        message=_message(message, value),
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        value=compact(value) if isinstance(value, URIRef) else ("" if value is None else str(value)),
        files=tuple(files),
    )


def _message(message, value) -> str:
    """pySHACL's message, with the offending value when the message does not already show it."""
    text = str(message) if message is not None else "violates a shape"
    if value is None:
        return text
    shown = compact(value) if isinstance(value, URIRef) else repr(str(value))
    return text if shown in text else f"{text}: {shown}"
