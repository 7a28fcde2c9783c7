"""rdflib's Store API over a pyoxigraph store whose default graph is the set union of the named graphs.

Oxigraph 0.5 yields a triple once per named graph holding it when asked for the union (oxigraph issue #1919), so
every aggregate would count a triple as often as it has sources. Instead each triple added to a named graph is also
added to the default graph, where a store holds it once: a query of the default graph (SPARQL or the rdflib API)
sees each triple once, as on rdflib's store, and ``GRAPH ?g`` still ranges over the named graphs only.

Why not oxrdflib's ``OxigraphStore``, which this replaced: kg overrode most of it (adding, matching, counting, to
keep the union a set), and importing it imports rdflib's whole SPARQL engine (for two type names), a tenth of a
second on every start of every command, though a store that Oxigraph answers never needs that engine. The rest —
contexts, queries, prefixes — follows oxrdflib 0.5's behaviour, except that a SPARQL query of the union is
answered by the default graph (each triple once) rather than by Oxigraph's union mode.

The datasets are built, not edited: removing a triple or a graph, and SPARQL updates, are refused.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import XSD, BNode, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.store import Store

XSD_STRING = str(XSD.string)
UNION = ox.DefaultGraph()
NOT_EDITED = "fam-kg's Oxigraph datasets are built, not edited: make a subset instead"


@functools.lru_cache(maxsize=1 << 20)  # results repeat their IRIs and labels row after row; a million terms fit
def from_oxigraph(term):
    """An rdflib term for a pyoxigraph one; a plain string stays a plain literal, as rdflib's parsers make it.
    None (an unbound cell of an answer) stays None."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return _text(term.value, term.language)
        datatype = term.datatype.value
        return _text(term.value, None) if datatype == XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    raise ValueError(f"unexpected Oxigraph term: {term!r}")


# Oxigraph has checked every IRI and language tag it holds, so its terms skip rdflib's checks (a third of the time
# of turning a large answer into rdflib terms). The result is the term rdflib's constructor gives (tested).
def _iri(value: str) -> URIRef:
    return str.__new__(URIRef, value)


def _text(value: str, language: str | None) -> Literal:
    """A string literal, as ``Literal(value, lang=language)`` makes it: its value is its text, it has no datatype."""
    literal = str.__new__(Literal, value)
    literal._language, literal._datatype, literal._value, literal._ill_typed = language, None, value, None
    return literal


def to_oxigraph(term):
    """A pyoxigraph term for an rdflib one (a graph, or rdflib's default graph name, as a graph name); None stays."""
    if term is None:
        return None
    if isinstance(term, Graph):
        term = term.identifier
    if term == DATASET_DEFAULT_GRAPH_ID:
        return UNION
    if isinstance(term, URIRef):
        return ox.NamedNode(term)
    if isinstance(term, BNode):
        return ox.BlankNode(term)
    if isinstance(term, Literal):
        return ox.Literal(term, language=term.language,
                          datatype=ox.NamedNode(term.datatype) if term.datatype else None)
    raise ValueError(f"unexpected rdflib term: {term!r}")


def _graph_named(name, store: Store) -> Graph:
    if isinstance(name, ox.DefaultGraph):
        return Graph(store=store, identifier=DATASET_DEFAULT_GRAPH_ID)
    return Graph(store=store, identifier=from_oxigraph(name))


class UnionOxigraphStore(Store):
    """An rdflib store over ``oxigraph`` (a ``pyoxigraph.Store``), its default graph the union of the others."""

    context_aware = True
    formula_aware = False
    transaction_aware = False
    graph_aware = True

    def __init__(self, oxigraph: ox.Store) -> None:
        super().__init__()
        self.oxigraph = oxigraph
        self._namespace_for_prefix: dict[str, URIRef] = {}
        self._prefix_for_namespace: dict[URIRef, str] = {}

    def add(self, triple, context, quoted: bool = False) -> None:
        s, p, o = (to_oxigraph(term) for term in triple)
        graph = to_oxigraph(context)
        if graph is not None and not isinstance(graph, ox.DefaultGraph):
            self.oxigraph.add(ox.Quad(s, p, o, graph))
        self.oxigraph.add(ox.Quad(s, p, o, UNION))

    def addN(self, quads: Iterable[tuple]) -> None:  # noqa: N802 - rdflib's name
        converted = [(*(to_oxigraph(term) for term in (s, p, o)), to_oxigraph(c)) for s, p, o, c in quads]
        self.oxigraph.extend([ox.Quad(s, p, o, g) for s, p, o, g in converted if not isinstance(g, ox.DefaultGraph)])
        self.oxigraph.extend([ox.Quad(s, p, o, UNION) for s, p, o, _ in converted])

    def remove(self, triple, context=None) -> None:
        raise NotImplementedError(NOT_EDITED)

    def triples(self, triple_pattern, context=None) -> Iterator:
        graph = UNION if context is None else to_oxigraph(context)
        try:
            pattern = [to_oxigraph(term) for term in triple_pattern]
            found = self.oxigraph.quads_for_pattern(*pattern, graph)
        except (TypeError, ValueError):  # a literal as subject, say: nothing matches
            return iter(())
        return (((from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)), iter((context,)))
                for q in found)

    def subject_object_pairs(self, predicate, context=None) -> Iterator:
        """(subject, object) of each triple with ``predicate`` in ``context``: :meth:`triples` without rdflib's
        layers, for the passes that read one property whole (the projection's types and labels)."""
        graph = UNION if context is None else to_oxigraph(context)
        return ((from_oxigraph(q.subject), from_oxigraph(q.object))
                for q in self.oxigraph.quads_for_pattern(None, to_oxigraph(predicate), None, graph))

    def __len__(self, context=None) -> int:
        graph = UNION if context is None else to_oxigraph(context)
        found = self.oxigraph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graph)
        return int(next(iter(found))[0].value)

    def contexts(self, triple=None) -> Iterator[Graph]:
        if triple is None:
            return (_graph_named(name, self) for name in self.oxigraph.named_graphs())
        pattern = [to_oxigraph(term) for term in triple]
        return (_graph_named(quad.graph_name, self) for quad in self.oxigraph.quads_for_pattern(*pattern))

    def add_graph(self, graph: Graph) -> None:
        name = to_oxigraph(graph)
        if not isinstance(name, ox.DefaultGraph):
            self.oxigraph.add_graph(name)

    def remove_graph(self, graph: Graph) -> None:
        raise NotImplementedError(NOT_EDITED)

    def query(self, query, initNs, initBindings, queryGraph, **kwargs) -> Result:  # noqa: N803 - rdflib's names
        """A SPARQL query given as text, evaluated by Oxigraph (rdflib evaluates a parsed one itself)."""
        if not isinstance(query, str) or kwargs:
            raise NotImplementedError("Oxigraph evaluates SPARQL text, without further options")
        union = queryGraph in ("__UNION__", DATASET_DEFAULT_GRAPH_ID)
        found = self.oxigraph.query(
            query,
            default_graph=None if union else to_oxigraph(queryGraph),
            prefixes=dict(self._namespace_for_prefix, **initNs),
            substitutions={ox.Variable(str(name)): to_oxigraph(value) for name, value in initBindings.items()},
        )
        if isinstance(found, ox.QueryBoolean):
            result = Result("ASK")
            result.askAnswer = bool(found)
        elif isinstance(found, ox.QuerySolutions):
            from kg.oxanswers import read_rows  # kg.oxanswers builds on this module

            result = Result("SELECT")
            result.vars = [Variable(v.value) for v in found.variables]
            result.bindings = [{v: cell for v, cell in zip(result.vars, row) if cell is not None}
                               for row in read_rows(found)]
        else:
            result = Result("CONSTRUCT")
            result.graph = Graph()
            result.graph += ((from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
                             for t in found)
        return result

    def update(self, update, initNs, initBindings, queryGraph, **kwargs) -> None:  # noqa: N803
        raise NotImplementedError(NOT_EDITED)

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        if not override and (prefix in self._namespace_for_prefix or namespace in self._prefix_for_namespace):
            return
        old_namespace = self._namespace_for_prefix.pop(prefix, None)
        if old_namespace is not None:
            self._prefix_for_namespace.pop(old_namespace, None)
        old_prefix = self._prefix_for_namespace.pop(namespace, None)
        if old_prefix is not None:
            self._namespace_for_prefix.pop(old_prefix, None)
        self._namespace_for_prefix[prefix] = namespace
        self._prefix_for_namespace[namespace] = prefix

    def prefix(self, namespace: URIRef) -> str | None:
        return self._prefix_for_namespace.get(namespace)

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespace_for_prefix.get(prefix)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from self._namespace_for_prefix.items()
