"""``kg coverage``: what the graph holds and lacks, per season and per area (registered in :mod:`kg.cli`)."""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Annotated, Optional

import typer
from rich.text import Text

from kg.cli_support import AS_OF_OPTION, WATCHED_OPTION, load_dataset, reports_errors
from kg.console import out, show, table

COVERAGE_FORMATS = ("table", "csv", "tsv", "json", "markdown")


@reports_errors
def coverage(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv, json or markdown (as in the manual).")]
    = "table",
    as_of: Annotated[Optional[str], AS_OF_OPTION] = None,
    watched: Annotated[Optional[list[str]], WATCHED_OPTION] = None,
) -> None:
    """What the graph still lacks: per season, episodes expected against known and with each field; then
    characters, events and places with and without the facts they need."""
    from kg.completeness import coverage as measure
    from kg.errors import UsageError

    if fmt not in COVERAGE_FORMATS:
        raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(COVERAGE_FORMATS)}")
    found = measure(load_dataset(ctx, as_of, watched))
    seasons, areas = found.season_rows(), found.area_rows()
    if fmt == "json":
        sys.stdout.write(json.dumps({"seasons": seasons, "areas": areas, "episodes": found.totals()},
                                    ensure_ascii=False, indent=2) + "\n")
        return
    if fmt in ("csv", "tsv"):
        sys.stdout.write(_csv(seasons, fmt) + "\n" + _csv(areas, fmt))
        return
    if fmt == "markdown":
        sys.stdout.write(_markdown(found))
        return
    episodes = table("show", "season", "expected", "known", "missing", "title", "air date", "director", "writer",
                     title="Episodes per season")
    for s in found.seasons:
        episodes.add_row(Text(s.show), str(s.season), _n(s.expected), str(s.known), _n(s.missing), str(s.titled),
                         str(s.dated), str(s.directed), str(s.written))
    show(episodes)
    listing = table("area", "entities", "with", "have it", "lack it", title="Story and places")
    for a in found.areas:
        listing.add_row(Text(a.area), str(a.total), Text(a.what), str(a.having), str(a.lacking))
    show(listing)
    t = found.totals()
    out().print(Text(f"{t['known']} of {t['expected']} expected episodes known; {t['titled']} with a title, "
                     f"{t['dated']} with an air date, {t['directed']} with a director, {t['written']} with a writer",
                     style="dim"))


def _n(value: int | None) -> str:
    return "?" if value is None else str(value)


def _csv(rows: list[dict], fmt: str = "csv") -> str:
    buffer = io.StringIO()
    dialect = {"delimiter": "\t", "quoting": csv.QUOTE_NONE, "escapechar": "\\"} if fmt == "tsv" else {}
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else [], lineterminator="\r\n", **dialect)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _markdown(found) -> str:
    lines = ["| show | season | expected | known | title | air date | director | writer |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {s.show} | {s.season} | {_n(s.expected)} | {s.known} | {s.titled} | {s.dated} | {s.directed} | "
              f"{s.written} |" for s in found.seasons]
    lines += ["", "| area | entities | with | have it | lack it |", "|---|---|---|---|---|"]
    lines += [f"| {a.area} | {a.total} | {a.what} | {a.having} | {a.lacking} |" for a in found.areas]
    return "\n".join(lines) + "\n"
