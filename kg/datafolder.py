"""Which data files a folder or a list of paths holds, and where the SHACL shapes are, with no rdflib (so that
:mod:`kg.quick` finds the load cache of the shipped data without importing it); :mod:`kg.parsing` parses them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.errors import NoDataError, UsageError
from kg.shipped import default_data_dir

PARSER_BY_SUFFIX = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
}
SHAPES_FILE = "shapes.ttl"


def shapes_path(data_dir: Path | str | None = None) -> Path:
    """The SHACL shapes for a data directory: its own ``shapes.ttl``, else the shipped one."""
    own = Path(data_dir) / SHAPES_FILE if data_dir is not None else None
    return own if own is not None and own.is_file() else default_data_dir() / SHAPES_FILE


def data_files(data_dir: Path) -> list[Path]:
    """The data files of a directory, sorted, without the SHACL shapes."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise UsageError(f"{data_dir}: no such data directory")
    files = sorted(
        p
        for p in data_dir.iterdir()
        if p.is_file() and p.suffix.lower() in PARSER_BY_SUFFIX and p.name != SHAPES_FILE
    )
    if not files:
        raise NoDataError(f"{data_dir}: no data files (expected {', '.join('*' + s for s in PARSER_BY_SUFFIX)})")
    return files


def data_paths(paths: Iterable[Path | str]) -> list[Path]:
    """The data files named by ``paths``: files as they are, folders by their data files (sorted)."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += data_files(path)
        elif path.is_file():
            if path.suffix.lower() not in PARSER_BY_SUFFIX:
                raise UsageError(f"{path}: not a data file; expected one of {', '.join(PARSER_BY_SUFFIX)}")
            found.append(path)
        elif path.exists():  # /dev/null, a pipe, a socket
            raise UsageError(f"{path}: not a regular file or folder; --data takes data files "
                             f"({', '.join(PARSER_BY_SUFFIX)}) or folders of them")
        else:
            raise UsageError(f"{path}: no such file or folder")
    return found
