"""Ranked values, as Wikidata ranks statements: where sources disagree on a single-valued property, one value is
*preferred*, the others *normal*, and a value a source shows wrong *deprecated*.

The rule, applied in order until one value stands out:

1. a value some source shows wrong (a ``famv:Deprecation`` in that source's graph) is deprecated, whatever else
   states it;
2. of the rest, the value more independent publishers state in dated sources that are not marked weak (a
   reference work, such as the fan wiki, or a copy or blog counts only in the next step);
3. then the value more publishers state at all;
4. then the value with the newer dated source (a later statement over an earlier expectation);
5. then the value whose newest reference work is newer.

Values still level after that stay normal, and none is preferred: the graph does not pick between them. The rank
is computed from the sources each time (it is not data), so it follows the sources as they change; ``kg
conflicts`` says which value is preferred and why, ``kg describe`` marks each disputed value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import Dataset, URIRef

from kg.vocab import FAMV, is_claim_graph

PREFERRED, NORMAL, DEPRECATED = "preferred", "normal", "deprecated"


@dataclass(frozen=True)
class Evidence:
    """What one value has for it: its sources, as the rule reads them."""

    value: str
    strong_publishers: frozenset[str]
    publishers: frozenset[str]
    newest_dated: str
    newest_reference: str
    deprecated_by: tuple[str, ...] = ()

    def key(self) -> tuple:
        return (len(self.strong_publishers), len(self.publishers), self.newest_dated, self.newest_reference)


def evidence(value: str, sources, deprecated_by: tuple[str, ...] = ()) -> Evidence:
    """The evidence for ``value`` from its sources (:class:`kg.explore.SourceInfo`)."""
    dated = [s for s in sources if not s.reference_work]
    return Evidence(
        value,
        frozenset(s.publisher for s in dated if not s.weak),
        frozenset(s.publisher for s in sources),
        max((s.published for s in dated), default=""),
        max((s.retrieved for s in sources if s.reference_work), default=""),
        deprecated_by,
    )


def rank(candidates: list[Evidence]) -> dict[str, tuple[str, str]]:
    """Each value's rank and, for the preferred and the deprecated, why."""
    ranks: dict[str, tuple[str, str]] = {}
    standing = []
    for item in candidates:
        if item.deprecated_by:
            ranks[item.value] = (DEPRECATED, "shown wrong by " + "; ".join(item.deprecated_by))
        else:
            standing.append(item)
    for item in standing:
        ranks[item.value] = (NORMAL, "")
    if not standing:
        return ranks
    best = max(standing, key=Evidence.key)
    if len(standing) == 1:
        ranks[best.value] = (PREFERRED, "the other values are shown wrong")
        return ranks
    runner_up = max((i for i in standing if i is not best), key=Evidence.key)
    if best.key() == runner_up.key():
        return ranks  # level on every count: none preferred
    ranks[best.value] = (PREFERRED, _why(best, runner_up))
    return ranks


def _why(best: Evidence, other: Evidence) -> str:
    if len(best.strong_publishers) != len(other.strong_publishers):
        return (f"{_count(best.strong_publishers, 'independent dated publisher')} against "
                f"{len(other.strong_publishers)}")
    if len(best.publishers) != len(other.publishers):
        return f"{_count(best.publishers, 'publisher')} against {len(other.publishers)}"
    if best.newest_dated != other.newest_dated:
        return f"a newer dated source ({best.newest_dated} against {other.newest_dated or 'none'})"
    return f"a newer reference work ({best.newest_reference} against {other.newest_reference or 'none'})"


def _count(items, noun: str) -> str:
    return f"{len(items)} {noun}{'s' * (len(items) != 1)}"


def deprecations(dataset: Dataset) -> dict[tuple[URIRef, URIRef, str], list[URIRef]]:
    """(entity, property, wrong value as text) → the source graphs that show it wrong."""
    found: dict[tuple[URIRef, URIRef, str], list[URIRef]] = defaultdict(list)
    for node, _, _, graph in dataset.quads((None, FAMV.aboutEntity, None, None)):
        if not is_claim_graph(graph):
            continue
        source = URIRef(str(graph))
        for entity in dataset.graph(source).objects(node, FAMV.aboutEntity):
            for prop in dataset.graph(source).objects(node, FAMV.onProperty):
                for wrong in dataset.graph(source).objects(node, FAMV.wrongValue):
                    found[(entity, prop, str(wrong))].append(source)
    return {key: sorted(set(value)) for key, value in found.items()}
