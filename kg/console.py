"""What the commands print to the terminal, with rich only (no typer, no rdflib), so that :mod:`kg.quick` can use
it too: tables, the two consoles, and a query's result."""

from __future__ import annotations

import csv
import json
import os
import re
import sys

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

PIPED_WIDTH = 1_000_000
"""The width tables are drawn at when standard output is not a terminal: wide enough that nothing is folded or cut,
so a listing saved to a file holds every citation whole (set COLUMNS to choose a width)."""


LISTING_FORMATS = ("table", "csv", "tsv", "json")


def out() -> Console:
    """Standard output, made per call so that it reads this run's terminal width (COLUMNS); unlimited when piped."""
    piped = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return Console(highlight=False, width=PIPED_WIDTH if piped else None)


def listing_format(fmt: str) -> str:
    """``fmt`` checked against the formats a listing command prints."""
    if fmt not in LISTING_FORMATS:
        from kg.errors import UsageError

        raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(LISTING_FORMATS)}")
    return fmt


def emit(tables: list[Table], fmt: str = "table") -> None:
    """Print tables as a listing command's output: drawn (``table``), or their rows as csv, tsv or json.

    Several tables in csv or tsv come one after another, each after a ``# title`` line and a blank line between;
    in json, one table is an array of rows (objects keyed by column), several are an object keyed by title.
    """
    if fmt == "table":
        for shown in tables:
            show(shown)
        return
    listings = [(str(t.title or ""), [str(c.header) for c in t.columns], _rows_of(t)) for t in tables]
    if fmt == "json":
        records = {title: [dict(zip(header, row, strict=True)) for row in rows] for title, header, rows in listings}
        value = next(iter(records.values())) if len(records) == 1 else records
        sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=1) + "\n")
        return
    for index, (title, header, rows) in enumerate(listings):
        if len(listings) > 1:
            sys.stdout.write(("\n" if index else "") + f"# {title}\n")
        if fmt == "csv":
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerows([header, *rows])
        else:
            sys.stdout.writelines("\t".join(_tsv_cell(c) for c in line) + "\n" for line in [header, *rows])


def _rows_of(shown: Table) -> list[list[str]]:
    columns = [[cell.plain if isinstance(cell, Text) else str(cell) for cell in column._cells] for column in shown.columns]
    return [list(row) for row in zip(*columns, strict=True)]


def _tsv_cell(value: str) -> str:
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def err() -> Console:
    """Standard error, for messages and progress."""
    return Console(stderr=True, highlight=False)


def table(*columns: str, title: str | None = None) -> Table:
    """A table whose cells wrap (fold) rather than being cut short with an ellipsis."""
    shown = Table(title=title, title_justify="left")
    for column in columns:
        shown.add_column(column, overflow="fold")
    return shown


def show(shown: Table, console: Console | None = None) -> None:
    """Print a table whose cells wrap between words, not inside one (a date, a slug), when the terminal is
    wide enough; otherwise cells fold so that nothing is cut off."""
    console = console or out()
    natural = _natural_widths(shown)
    if natural is not None:
        least = [min(30, max([cell_len(word) for cell in [column.header, *column._cells] for word in _plain(cell).split()],
                             default=0)) for column in shown.columns]
        fitted = _fitted(natural, least, console.width)
        if fitted is not None:
            # Given rather than left to rich: it need not measure every cell (a fifth of drawing a few hundred
            # rows), and a word is never split where it fits (rich, told a column's least width, can widen the
            # columns past the terminal and cut off the last).
            for column, width, widest in zip(shown.columns, fitted, natural, strict=True):
                column.width = width
                column.no_wrap = width == widest  # every line fits: nothing to wrap (rich then skips looking)
    console.print(shown)


def _fitted(natural: list[int], least: list[int], available: int) -> list[int] | None:
    """Column widths that fit ``available``: each its natural width, capped at the largest common cap that fits, but
    none below its least (so the widest are cut down first); None if even the least widths do not fit."""
    def capped(cap: int) -> list[int]:
        return [max(low, min(width, cap)) for width, low in zip(natural, least, strict=True)]

    if _drawn_width(capped(0)) > available:
        return None
    low, high = 0, max(natural, default=0)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if _drawn_width(capped(middle)) <= available else (low, middle - 1)
    return capped(low)


def _natural_widths(shown: Table) -> list[int] | None:
    """Each column's widest line, header included, in terminal cells, as rich measures it; None if a cell is a string
    rich would read as markup or emoji (its width on screen is not its length)."""
    widths = []
    for column in shown.columns:
        cells = [column.header, *column._cells]
        if any(not isinstance(cell, Text) and ("[" in str(cell) or ":" in str(cell)) for cell in cells):
            return None
        widths.append(max(max((cell_len(line) for line in _plain(cell).splitlines()), default=0) for cell in cells))
    return widths


def _plain(cell) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def _drawn_width(widths: list[int]) -> int:
    """A table's width on screen: its columns, one space either side of each, and the rules between and around."""
    return sum(widths) + 3 * len(widths) + 1


def print_query_result(named, result, fmt: str) -> None:
    """``kg query``'s output: a table on screen for SELECT, else the result serialised in ``fmt``."""
    warn_of_unknown_terms(named.text)
    if fmt != "table" or result.kind != "SELECT":
        sys.stdout.write(result.serialize(fmt if fmt != "table" else "csv"))
        return
    # On screen, an IRI column is left out when its label column is there (csv and json keep both).
    shown = [v for v in result.variables if f"{v}Label" not in result.variables]
    rows = table(*(human_header(v) for v in shown), title=named.title or None)
    for record in result.records():
        rows.add_row(*(Text(record[v] or "") for v in shown))
    show(rows)
    out().print(Text(f"{len(result)} row{'s' * (len(result) != 1)}", style="dim"))


def human_header(variable: str) -> str:
    """A column heading for the screen: ``actorLabel`` → "actor", ``valuePublished`` → "value published".
    CSV, TSV and JSON keep the variable names, as the SPARQL results formats do."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", variable.removesuffix("Label") or variable)
    return words.replace("_", " ").lower()


def warn_of_unknown_terms(text: str) -> None:
    """A famv: term the vocabulary lacks matches nothing: say so, rather than let an empty answer mislead."""
    from kg.vocab import unknown_vocabulary_terms

    for name, close in unknown_vocabulary_terms(text):
        hint = f"; did you mean {', '.join('famv:' + c for c in close)}?" if close else ""
        err().print(Text(f"warning: famv:{name} is not a term of the vocabulary, so it matches nothing{hint}",
                         style="yellow"), soft_wrap=True)
