"""fam-kg: a sourced knowledge graph of *For All Mankind* and *Star City*.

>>> import kg
>>> graph = kg.load()                                   # the shipped data, in memory
>>> fan = kg.load(watched="S1E10")                      # as a viewer of season 1 alone knows it
>>> kg.validate(graph).conforms
True
>>> result = kg.run_query(graph, kg.named_query("cast"), {"show": "Star City"})
>>> kg.describe(graph, "Rhys Ifans").label
'Rhys Ifans'

The names below are imported on first use, so ``import kg`` (and ``kg --help``)
stays fast.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "load": "kg.loading",
    "restrict": "kg.loading",
    "watched": "kg.spoilers",
    "episodes": "kg.episode",
    "find_episode": "kg.episode",
    "coverage": "kg.completeness",
    "export": "kg.dumps",
    "KGDataset": "kg.store",
    "validate": "kg.validation",
    "ValidationReport": "kg.validation",
    "run_query": "kg.query",
    "named_query": "kg.query",
    "query_catalogue": "kg.query",
    "NamedQuery": "kg.query",
    "QueryResult": "kg.results",
    "find_entity": "kg.entities",
    "label_of": "kg.entities",
    "describe": "kg.explore",
    "stats": "kg.explore",
    "build": "kg.builder",
    "project": "kg.projection",
    "view": "kg.network",
    "centrality": "kg.network",
    "communities": "kg.network",
    "connections": "kg.network",
    "neighbourhood": "kg.network",
    "show_world": "kg.network",
    "node_for": "kg.network",
    "as_of": "kg.provenance",
    "conflicts": "kg.provenance",
    "changes": "kg.provenance",
    "page_html": "kg.page",
    "write_page": "kg.page",
    "display_page": "kg.page",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
