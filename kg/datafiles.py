"""Keep the TriG data files in one canonical layout, so diffs stay small.

Layout of a topic file (``data/*.trig``):

``sources.ttl`` gets the same treatment: one block per source, oldest first.

1. its opening comment, kept as written;
2. the project's prefixes, always the same, in the same order;
3. the ``graph:entities`` block, then one block per source graph in order of
   the source's publication date (from ``sources.ttl``), then any other graph;
4. inside a block, subjects sorted by slug, a blank line between them; for each
   subject ``a`` first, then labels, then the other predicates alphabetically,
   objects sorted.

``kg format`` rewrites the files; ``kg format --check`` only reports which
files are not in this layout (a test runs it on the shipped data).
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib.namespace import SDO, SKOS, NamespaceManager

from kg.errors import DataError
from kg.parsing import parse_file, parse_turtle_file, read_utf8
from kg.vocab import ENTITIES_GRAPH, FAM, FAMV

DATA_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "https://schema.org/",
    "famv": "https://w3id.org/fam-kg/vocab#",
    "graph": str(FAM["graph/"]),
    "src": str(FAM["source/"]),
    "show": str(FAM["show/"]),
    "season": str(FAM["season/"]),
    "work": str(FAM["work/"]),
    "org": str(FAM["org/"]),
    "person": str(FAM["person/"]),
    "character": str(FAM["character/"]),
    "role": str(FAM["role/"]),
    "place": str(FAM["place/"]),
    "event": str(FAM["event/"]),
    "episode": str(FAM["episode/"]),
    "relationship": str(FAM["relationship/"]),
}
"""The prefixes every TriG data file declares, in this order."""

_FIRST_PREDICATES = (RDF.type, RDFS.label, SKOS.altLabel, SDO.name, SDO.publisher, SDO.datePublished, FAMV.retrieved,
                     SDO.url)
SOURCES_PREFIXES = ("rdf", "rdfs", "skos", "xsd", "schema", "famv", "src")


def source_dates(data_dir: Path) -> dict[URIRef, str]:
    """Each source's publication date as written in ``sources.ttl`` (for ordering blocks)."""
    path = Path(data_dir) / "sources.ttl"
    if not path.is_file():
        return {}
    described = parse_turtle_file(path)
    return {s: str(d) for p in (FAMV.retrieved, SDO.datePublished) for s, d in described.subject_objects(p)
            if isinstance(s, URIRef)}


def format_trig(path: Path, dates: dict[URIRef, str]) -> str:
    """The canonical text of one TriG data file."""
    return canonical_trig(parse_file(path), _opening_comment(read_utf8(path)), dates, path)


def canonical_trig(dataset, opening_comment: str, dates: dict[URIRef, str], path: Path | None = None,
                   blank_nodes: bool = False) -> str:
    """Write ``dataset`` as a TriG data file in the canonical layout (see the module docstring).

    Blank nodes are refused, unless ``blank_nodes`` (the build's dump, of whatever ``--data`` brought)."""
    names = NamespaceManager(dataset, bind_namespaces="none")
    for prefix, namespace in DATA_PREFIXES.items():
        names.bind(prefix, namespace, override=True, replace=True)

    blocks: dict[URIRef, dict] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if not blank_nodes and (isinstance(s, BNode) or isinstance(o, BNode)):
            raise DataError(f"{path or 'data'}: blank nodes are not allowed in data files; give the node an IRI")
        blocks[URIRef(str(g))][s][p].add(o)

    def block_order(graph: URIRef):
        return (graph != ENTITIES_GRAPH, graph not in dates, dates.get(graph, ""), str(graph))

    out = [opening_comment]
    out += [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in DATA_PREFIXES.items()]
    for graph in sorted(blocks, key=block_order):
        out.append("")
        out.append(f"{_term(graph, names)} {{")
        subjects = blocks[graph]
        for index, subject in enumerate(sorted(subjects, key=lambda s: _term(s, names))):
            if index:
                out.append("")
            out.extend(_subject_lines(subject, subjects[subject], names))
        out.append("}")
    return "\n".join(out) + "\n"


def _opening_comment(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if line.startswith("#") or (lines and not line.strip()):
            lines.append(line)
        else:
            break
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def format_sources(path: Path) -> str:
    """The canonical text of ``sources.ttl``: one block per source, oldest first."""
    described = parse_turtle_file(path)
    names = NamespaceManager(described, bind_namespaces="none")
    for prefix in SOURCES_PREFIXES:
        names.bind(prefix, DATA_PREFIXES[prefix], override=True, replace=True)
    by_subject: dict = defaultdict(lambda: defaultdict(set))
    for s, p, o in described:
        by_subject[s][p].add(o)
    dates = {s: str(described.value(s, SDO.datePublished) or described.value(s, FAMV.retrieved) or "")
             for s in by_subject}
    out = [_opening_comment(read_utf8(path))]
    out += [f"@prefix {prefix}: <{DATA_PREFIXES[prefix]}> ." for prefix in SOURCES_PREFIXES]
    for subject in sorted(by_subject, key=lambda s: (dates[s], str(s))):
        out.append("")
        out.extend(_subject_lines(subject, by_subject[subject], names, indent=""))
    return "\n".join(out) + "\n"


def _subject_lines(subject, predicates: dict, names: NamespaceManager, indent: str = "    ") -> list[str]:
    def order(p):
        return (_FIRST_PREDICATES.index(p) if p in _FIRST_PREDICATES else len(_FIRST_PREDICATES), _term(p, names))

    parts = []
    for p in sorted(predicates, key=order):
        shown = "a" if p == RDF.type else _term(p, names)
        objects = " , ".join(sorted(_term(o, names) for o in predicates[p]))
        parts.append(f"{shown} {objects}")
    lines = [f"{indent}{_term(subject, names)} {parts[0]}"]
    lines += [f"{indent}    {part}" for part in parts[1:]]
    return [line + (" ;" if i < len(lines) - 1 else " .") for i, line in enumerate(lines)]


def _term(term, names: NamespaceManager) -> str:
    if isinstance(term, Literal):
        return term._literal_n3(use_plain=True, qname_callback=names.normalizeUri)
    return term.n3(names)


def format_data(data_dir: Path, check: bool = False) -> list[Path]:
    """Put every TriG file of ``data_dir`` in the canonical layout.

    Returns the files that were not (and, unless ``check``, are now). Files are
    rewritten atomically; nothing is written when ``check`` is true.
    """
    data_dir = Path(data_dir)
    dates = source_dates(data_dir)
    changed = []
    jobs = [(path, lambda path=path: format_trig(path, dates)) for path in sorted(data_dir.glob("*.trig"))]
    if (data_dir / "sources.ttl").is_file():
        jobs.append((data_dir / "sources.ttl", lambda: format_sources(data_dir / "sources.ttl")))
    for path, render in jobs:
        formatted = render()
        if formatted == read_utf8(path):
            continue
        changed.append(path)
        if not check:
            handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=data_dir, suffix=".tmp", delete=False)
            with handle:
                handle.write(formatted)
            os.chmod(handle.name, path.stat().st_mode & 0o777)
            os.replace(handle.name, path)
    return changed
