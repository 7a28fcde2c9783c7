"""Find entities by what people call them, and name them back.

A user types "rhys ifans", "Pasilaiciai" or "Звёздный городок"; the graph holds
IRIs. :func:`find_entity` matches labels case- and accent-insensitively
(English and other-language labels, then alternative labels), accepts an IRI or
a slug (``person/rhys-ifans``) too, and on a miss suggests close names.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from rdflib import RDF, RDFS, Dataset, Literal, URIRef
from rdflib.namespace import SKOS

from kg.errors import AmbiguousEntityError, UnknownEntityError, UsageError
from kg.vocab import ENTITIES_GRAPH, FAM, slug_of

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalise(text: str) -> str:
    """Fold case, accents, typographic quotes and spacing: ``"Pašilaičiai" → "pasilaiciai"``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class LabelIndex:
    """Every entity's labels, normalised, ranked: main labels before alternative ones."""

    main: dict[str, set[URIRef]]
    alternative: dict[str, set[URIRef]]
    display: dict[str, str]  # normalised → one label as written, for suggestions

    @classmethod
    def of(cls, dataset: Dataset) -> "LabelIndex":
        entities = dataset.graph(ENTITIES_GRAPH)
        main: dict[str, set[URIRef]] = {}
        alternative: dict[str, set[URIRef]] = {}
        display: dict[str, str] = {}
        for predicate, bucket in ((RDFS.label, main), (SKOS.altLabel, alternative)):
            for subject, label in entities.subject_objects(predicate):
                if isinstance(subject, URIRef) and isinstance(label, Literal):
                    key = normalise(str(label))
                    bucket.setdefault(key, set()).add(subject)
                    display.setdefault(key, str(label))
        return cls(main, alternative, display)


def find_entity(dataset: Dataset, text: str) -> URIRef:
    """The entity that ``text`` names: a label, an IRI, or a slug like ``person/rhys-ifans``.

    Raises
    ------
    UnknownEntityError
        nothing matches; the error carries up to five close names.
    AmbiguousEntityError
        several entities carry this label; the error lists their slugs.
    """
    if isinstance(text, URIRef):
        text = str(text)
    if not isinstance(text, str):
        raise UsageError(f"an entity is named by a label, slug or IRI (a string), not {type(text).__name__}")
    text = text.strip()
    exact = _exactly_named(dataset, text)
    if exact is not None:
        return exact
    index = LabelIndex.of(dataset)
    key = normalise(text)
    for bucket in (index.main, index.alternative):
        found = bucket.get(key, set())
        if len(found) == 1:
            return next(iter(found))
        if found:
            raise AmbiguousEntityError(
                text, [f"{slug_of(e)} ({label_of(dataset, e)})" for e in sorted(found)]
            )
    raise UnknownEntityError(text, suggest(index, key))


def _exactly_named(dataset: Dataset, text: str) -> URIRef | None:
    """The entity whose IRI or slug is ``text``, or the one entity with the English label ``text``; else None.

    An exact label names one entity most of the time: one lookup instead of indexing every label. On Oxigraph the
    lookups go to pyoxigraph directly (all that :mod:`kg.quick` has).
    """
    candidates = [text, FAM[text.strip("/")]] if text and not any(ch.isspace() for ch in text) else []
    oxigraph = getattr(dataset, "oxigraph", None)
    if oxigraph is not None:
        import pyoxigraph as ox

        graph = ox.NamedNode(ENTITIES_GRAPH)
        for candidate in candidates:
            try:
                node = ox.NamedNode(candidate)
            except ValueError:  # not an absolute IRI, so no entity's
                continue
            if next(iter(oxigraph.quads_for_pattern(node, ox.NamedNode(RDF.type), None, graph)), None) is not None:
                return URIRef(candidate)
        labelled = oxigraph.quads_for_pattern(None, ox.NamedNode(RDFS.label), ox.Literal(text, language="en"), graph)
        exact = {URIRef(q.subject.value) for q in labelled if isinstance(q.subject, ox.NamedNode)}
        return exact.pop() if len(exact) == 1 else None
    entities = dataset.graph(ENTITIES_GRAPH)
    for candidate in candidates:
        if (URIRef(candidate), RDF.type, None) in entities:
            return URIRef(candidate)
    exact = {s for s in entities.subjects(RDFS.label, Literal(text, lang="en")) if isinstance(s, URIRef)}
    return exact.pop() if len(exact) == 1 else None


def suggest(index: LabelIndex, key: str, limit: int = 5) -> list[str]:
    """Labels close to ``key``: those containing it first, then similar spellings."""
    names = sorted(set(index.main) | set(index.alternative))
    containing = [n for n in names if key and key in n]
    similar = difflib.get_close_matches(key, names, n=limit, cutoff=0.6)
    ranked = list(dict.fromkeys(containing + similar))[:limit]
    return [index.display[n] for n in ranked]


def label_of(dataset: Dataset, node, lang: str = "en") -> str:
    """A human name for ``node``: its label in ``lang``, else any label, else its slug."""
    if isinstance(node, Literal):
        return str(node)
    labels = list(dataset.objects(node, RDFS.label))
    for label in labels:
        if isinstance(label, Literal) and label.language == lang:
            return str(label)
    if labels:
        return str(sorted(labels)[0])
    return slug_of(node)
