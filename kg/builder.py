"""``kg build``: load, validate, then export the merged dataset."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.errors import ValidationFailed
from kg.explore import Stats, stats
from kg.network import project
from kg.page import write_page
from kg.dumps import export
from kg.store import load, shapes_path
from kg.validation import validate


@dataclass
class BuildResult:
    """The files written and what they hold."""

    files: list[Path]
    stats: Stats


def build(data_dir: Path | str | None = None, out_dir: Path | str = "build", **load_options) -> BuildResult:
    """Load and validate the data, then write it to ``out_dir`` as TriG, N-Quads and JSON-LD,
    and the whole graph as an interactive page, ``graph.html``.

    Raises :class:`~kg.errors.ValidationFailed` (nothing is written) when the
    data does not conform to the shapes. ``load_options`` go to :func:`kg.load`
    (``data``, ``store``, ``store_path``).
    """
    dataset = load(data_dir, **load_options)
    report = validate(dataset, shapes_path(data_dir))
    if not report.conforms:
        raise ValidationFailed(report)
    files = export(dataset, out_dir)
    files.append(write_page(project(dataset), Path(out_dir) / "graph.html"))
    return BuildResult(files, stats(dataset))
