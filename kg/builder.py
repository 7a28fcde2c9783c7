"""``kg build``: load, validate, then export the merged dataset and the page.

A build of the same quads, by the same kg and libraries, gives the same bytes: it is kept in the load cache's
folder (:mod:`kg.compiled`, the last few builds) and copied from there the next time, without validating or
rendering again (which is most of a build).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg import compiled
from kg.dumps import write_files
from kg.errors import ValidationFailed
from kg.explore import Stats, stats
from kg.datafolder import shapes_path
from kg.store import load


@dataclass
class BuildResult:
    """The files written and what they hold."""

    files: list[Path]
    stats: Stats


def build(data_dir: Path | str | None = None, out_dir: Path | str = "build", **load_options) -> BuildResult:
    """Load and validate the data, then write it to ``out_dir`` as TriG, N-Quads and JSON-LD, the whole graph as
    an interactive page, ``graph.html``, and the dataset's VoID + DCAT description, ``fam-kg.void.ttl``.

    Raises :class:`~kg.errors.ValidationFailed` (nothing is written) when the
    data does not conform to the shapes. ``load_options`` go to :func:`kg.load`
    (``data``, ``store``, ``store_path``).
    """
    dataset = load(data_dir, **load_options)
    shapes = shapes_path(data_dir)
    key = _build_key(dataset, shapes)
    earlier = compiled.cached_build(key) if key is not None else None
    if earlier is not None:
        files = write_files(out_dir, {path.name: path.read_bytes for path in earlier})
        return BuildResult(files, stats(dataset))

    from kg.dumps import export
    from kg.network import project
    from kg.page import write_page
    from kg.validation import validate

    report = validate(dataset, shapes)
    if not report.conforms:
        raise ValidationFailed(report)
    from kg.void import VOID_FILE, void_text

    files = export(dataset, out_dir)
    files.append(write_page(project(dataset), Path(out_dir) / "graph.html"))
    dumps = list(files)
    files += write_files(out_dir, {VOID_FILE: lambda: void_text(dataset, dumps)})
    if key is not None:
        compiled.save_build(key, files)
    return BuildResult(files, stats(dataset))


def _build_key(dataset, shapes: Path) -> str | None:
    """What decides a build's bytes, as a digest; None on rdflib's store or with the cache off."""
    from kg.about import version

    return compiled.result_key(dataset, "build", compiled.code_digest(), version(), shapes.read_bytes())
