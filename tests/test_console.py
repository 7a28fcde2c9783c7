"""kg.console draws tables as rich draws them, giving the widths it would measure when every cell fits."""

import io

import pytest
from rich.console import Console
from rich.text import Text

from kg.console import show, table

ROWS = [
    ("sources/nasa-1969", "press", "Apollo 11 — 月面着陸", "NASA", "1969-07-20", "https://www.nasa.gov/a11/", "12"),
    ("sources/wiki", "reference work", "Ed Baldwin\nin season 1 ★", "", "2026-12-01", "(local copy)", "3"),
    ("sources/tabbed", "press", "a\ttab and a 😀", "Apple TV Press", "2025-03-27", "https://example.org/x?a=1&b=2", ""),
]


def drawn(width: int, rows=ROWS, through_show: bool = True) -> str:
    shown = table("source", "kind", "title", "publisher", "date", "URL", "claims", title="Sources")
    for row in rows:
        shown.add_row(*(Text(cell) for cell in row[:-1]), row[-1])
    console = Console(file=io.StringIO(), width=width, highlight=False, color_system=None)
    if through_show:
        show(shown, console)
    else:
        console.print(shown)
    return console.file.getvalue()


@pytest.mark.parametrize("width", [1_000_000, 250, 133])
def test_a_table_that_fits_is_drawn_as_rich_draws_it(width):
    assert drawn(width) == drawn(width, through_show=False)


@pytest.mark.parametrize("width", [132, 121, 111])
def test_a_table_too_wide_wraps_between_words_and_keeps_every_column(width):
    lines = drawn(width).splitlines()
    assert max(len(line) for line in lines) <= width
    assert "claims" in lines[2] and lines[1].endswith("┓")  # the last column is there, not cut off
    assert all(any(word in line for line in lines) for word in ("sources/nasa-1969", "1969-07-20", "https://www.nasa.gov/a11/"))


def test_a_table_narrower_than_its_longest_words_folds_them():
    lines = drawn(80).splitlines()
    assert max(len(line) for line in lines) <= 80 and lines[1].endswith("┓")
    assert not any("https://www.nasa.gov/a11/" in line for line in lines)


def test_a_string_cell_rich_reads_as_markup_or_emoji_is_measured_by_rich():
    rows = [(*ROWS[0][:-1], ":thumbs_up: [bold]12[/bold]")]
    assert drawn(1_000_000, rows) == drawn(1_000_000, rows, through_show=False)
