"""The commands that look into the graph's evidence: ``describe``, ``path``, ``sources``, ``conflicts`` and
``changes`` (registered in :mod:`kg.cli`)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.text import Text

from kg.cli_support import (
    AS_OF_OPTION,
    FORMAT_OPTION,
    WATCHED_OPTION,
    load_dataset,
    reports_errors,
)
from kg.console import emit, listing_format, out, table


@reports_errors
def describe(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="A label (any case, accents optional), a slug or an IRI.")],
    as_of: Annotated[Optional[str], AS_OF_OPTION] = None,
    watched: Annotated[Optional[list[str]], WATCHED_OPTION] = None,
    fmt: Annotated[str, FORMAT_OPTION] = "table",
) -> None:
    """Everything about an entity, each fact with the sources that state it and how many agree."""
    from kg.listings import print_description

    print_description(load_dataset(ctx, as_of, watched), entity, fmt)

@reports_errors
def path(
    ctx: typer.Context,
    start: Annotated[str, typer.Argument(help="Where the connection starts: a label, slug or IRI.")],
    end: Annotated[str, typer.Argument(help="Where it ends.")],
    every: Annotated[bool, typer.Option("--all", help="Every shortest connection, not just one.")] = False,
    as_of: Annotated[Optional[str], AS_OF_OPTION] = None,
    watched: Annotated[Optional[list[str]], WATCHED_OPTION] = None,
) -> None:
    """How two entities are connected: the shortest path, edge by edge, each edge with its sources."""
    from kg.listings import print_path

    print_path(load_dataset(ctx, as_of, watched), start, end, every)


@reports_errors
def sources(
    ctx: typer.Context,
    as_of: Annotated[Optional[str], AS_OF_OPTION] = None,
    watched: Annotated[Optional[list[str]], WATCHED_OPTION] = None,
    fmt: Annotated[str, FORMAT_OPTION] = "table",
) -> None:
    """Every source: kind (dated or reference work), title, publisher, date, URL and claims, oldest first."""
    from kg.listings import print_sources

    print_sources(load_dataset(ctx, as_of, watched), fmt)

@reports_errors
def conflicts(
    ctx: typer.Context,
    as_of: Annotated[Optional[str], AS_OF_OPTION] = None,
    watched: Annotated[Optional[list[str]], WATCHED_OPTION] = None,
    fmt: Annotated[str, FORMAT_OPTION] = "table",
) -> None:
    """Where sources disagree on a single-valued property: each value with its rank (preferred, normal, deprecated:
    see kg.ranking for the rule) and why, and its sources, newest first."""
    from kg.provenance import conflicts as find_conflicts

    fmt = listing_format(fmt)
    found = find_conflicts(load_dataset(ctx, as_of, watched))
    if not found:
        out().print(Text("✓ no two sources disagree on a single-valued property", style="green"))
        return
    listing = table("entity", "property", "value", "rank", "why", "sources (newest first)")
    for conflict in found:
        for number, claimed in enumerate(conflict.values):
            first = number == 0 or fmt != "table"  # on screen, an entity's later values leave its name out
            listing.add_row(Text(conflict.entity_label if first else ""), Text(conflict.property if first else ""),
                            Text(claimed.value_label), Text(claimed.rank), Text(claimed.why),
                            Text("; ".join(s.cite() for s in claimed.sources)))
    emit([listing], fmt)
    if fmt == "table":
        out().print(Text(f"{len(found)} disagreement{'s' * (len(found) != 1)}", style="dim"))


@reports_errors
def changes(
    ctx: typer.Context,
    since: Annotated[str, typer.Option("--since", metavar="YYYY-MM-DD", help="First day of the window.")],
    until: Annotated[Optional[str], typer.Option("--until", metavar="YYYY-MM-DD", help="Last day (default: today).")] = None,
    watched: Annotated[Optional[list[str]], WATCHED_OPTION] = None,
) -> None:
    """What became known: the claims of the sources published in a window, grouped by entity."""
    from kg.provenance import changes as find_changes
    from kg.provenance import parse_day

    start = parse_day(since, "--since")
    end = parse_day(until, "--until") if until is not None else None
    found = find_changes(load_dataset(ctx, watched=watched), start, end)
    window = f"{start.isoformat()} – {end.isoformat() if end else 'today'}"
    if not found:
        out().print(Text(f"no source in the graph was published {window}"))
        return
    grouped = {entity: _by_claim(claims) for entity, claims in found.items()}
    total = sum(len(claims) for claims in grouped.values())
    out().print(Text(f"{total} claims about {len(found)} entities from sources published {window}", style="bold"))
    for entity, claims in grouped.items():
        out().print(Text(entity, style="bold"))
        for (predicate, value), cites in sorted(claims.items()):
            out().print(Text(f"  {predicate}: {value}   [{'; '.join(cites)}]"), soft_wrap=True)


def _by_claim(changes) -> dict[tuple[str, str], list[str]]:
    """Each claim once, with every source in the window that states it (oldest first)."""
    claims: dict[tuple[str, str], list[str]] = {}
    for change in sorted(changes, key=lambda c: (c.source.date, c.source.cite())):
        cites = claims.setdefault((change.predicate, change.value_label), [])
        if change.source.cite() not in cites:
            cites.append(change.source.cite())
    return claims
