"""What ``kg describe``, ``kg path`` and ``kg sources`` print, with rich only (no typer), so that :mod:`kg.quick`
prints the same."""

from __future__ import annotations

from rich.text import Text

from kg.console import emit, listing_format, out, show, table


def print_description(dataset, entity: str, fmt: str = "table") -> None:
    """Everything about an entity, each fact with the sources that state it and how many agree."""
    from kg.explore import describe as look_up

    fmt = listing_format(fmt)
    d = look_up(dataset, entity)
    if fmt != "table":
        return describe_listing(d, fmt)
    out().print(Text(d.label, style="bold"), Text(f"  {d.iri}", style="dim"))
    out().print(Text("class: " + ", ".join(d.classes)))
    for lang, names in sorted(d.labels.items()):
        if names and lang != "en":
            out().print(Text(f"{lang}: " + ", ".join(names)))
    numbers = {source: i for i, source in enumerate(sorted(d.sources, key=lambda s: d.sources[s].cite()), 1)}
    facts = table("relation", "value", "agree", "sources")
    for fact in d.facts:
        cited = " ".join(f"[{n}]" for n in sorted(numbers[s] for s in fact.sources)) or "identity"
        relation = Text(fact.relation) + RANK_MARKS.get(fact.rank if fact.disputed else None, Text(""))
        if fact.reference_only:
            relation += Text(" (reference work only)", style="dim")
        facts.add_row(relation, Text(fact.value_label), str(len(fact.sources)) if fact.sources else "", Text(cited))
    show(facts)
    if any(fact.incoming for fact in d.facts):
        out().print(Text("← marks what another entity states about this one", style="dim"))
    if any(fact.reference_only for fact in d.facts):
        out().print(Text("(reference work only): stated only by a reference work such as the fan wiki, dated by the day "
                         "its page was retrieved; no dated source states it", style="dim"))
    if any(fact.disputed for fact in d.facts):
        out().print(Text("★ preferred, ⚠ disputed, ✗ deprecated: sources give this single-valued property different "
                         "values; the preferred one by the rule kg conflicts explains", style="dim"))
        for fact in d.facts:
            if fact.disputed and fact.why:
                out().print(Text(f"  {fact.relation} {fact.value_label}: {fact.rank}, {fact.why}", style="dim"),
                            soft_wrap=True)
    for source, number in numbers.items():
        info = d.sources[source]
        link = f" <{info.url}>" if info.url else ""
        out().print(Text(f"[{number}] {info.cite()} — {info.title}{link}"), soft_wrap=True)



RANK_MARKS = {"preferred": Text(" ★ preferred", style="green"), "normal": Text(" ⚠ disputed", style="red"),
              "deprecated": Text(" ✗ deprecated", style="red"), "": Text(" ⚠ disputed", style="red")}


def describe_listing(d, fmt: str) -> None:
    """An entity's facts as rows, each with its sources cited in full (for csv, tsv and json)."""
    from kg.ordering import list_part_key

    facts = table("entity", "relation", "value", "disputed", "rank", "reference work only", "sources")
    for fact in d.facts:
        facts.add_row(d.label, fact.relation, fact.value_label, "yes" if fact.disputed else "", fact.rank,
                      "yes" if fact.reference_only else "",
                      " | ".join(sorted((d.sources[s].cite() for s in fact.sources), key=list_part_key)))
    emit([facts], fmt)


def print_sources(dataset, fmt: str = "table") -> None:
    """Every source: kind, title, publisher, date, URL and claims, oldest first."""
    from kg.explore import source_claims

    claims, sizes = source_claims(dataset)
    print_source_listing(claims, sum(sizes.values()), fmt)


def print_source_listing(claims: list, statements: int, fmt: str = "table") -> None:
    """:func:`print_sources` from the sources with their claims (:mod:`kg.sourceinfo`) and the number of statements."""
    from kg.iris import slug_of

    fmt = listing_format(fmt)
    listing = table("source", "kind", "title", "publisher", "date", "URL", "claims")
    for info, n in sorted(claims, key=lambda item: (item[0].date, item[0].cite())):
        listing.add_row(Text(slug_of(info.iri)), Text(info.kind), Text(info.title), Text(info.publisher), Text(info.when),
                        Text(info.url or "(local copy)"), str(n))
    emit([listing], fmt)
    if fmt == "table":
        out().print(Text(f"{len(claims)} sources, {statements} claims", style="dim"))



def print_path(dataset, start: str, end: str, every: bool = False) -> None:
    """How two entities are connected: the shortest path, edge by edge, each edge with its sources."""
    from kg.network import connections, entity_node, project
    from kg.ordering import list_part_key

    graph = project(dataset)
    a, b = (entity_node(dataset, graph, text) for text in (start, end))
    found = connections(graph, a, b, every=every)
    label_a, label_b = graph.nodes[a]["label"], graph.nodes[b]["label"]
    if a == b:
        out().print(Text(f"{label_a} is both ends: the same entity, so there is no connection to show."))
        return
    if not found:
        out().print(Text(f"{label_a} and {label_b} are not connected: no chain of relations joins them in the graph."))
        return
    sources = graph.graph["sources"]
    for number, connection in enumerate(found, 1):
        if every:
            out().print(Text(f"{number}.", style="bold"), end=" ")
        out().print(Text(connection.words(graph), style="bold"), soft_wrap=True)
        for step in connection.steps:
            left, right = graph.nodes[step.start]["label"], graph.nodes[step.end]["label"]
            said = f"{left} — {step.relation} → {right}" if step.forward else f"{left} ← {step.relation} — {right}"
            cited = "; ".join(sorted((sources.get(s, {}).get("cite", s) for s in step.sources), key=list_part_key)
                              ) or "no source"
            out().print(Text(f"   {said}   [{cited}]"), soft_wrap=True)
    if len(found) > 1 or every:
        steps = len(found[0].steps)
        out().print(Text(f"{len(found)} shortest connection{'s' * (len(found) != 1)} of {steps} step{'s' * (steps != 1)}",
                         style="dim"))
