"""Where the data and the named queries shipped with fam-kg are (no rdflib, so that :mod:`kg.kept_answers` can find
them before anything heavy is imported)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """A folder shipped with the package: inside it when installed from a wheel, at the repository root in a
    checkout (an editable install)."""
    inside = _PACKAGE_DIR / name
    return inside if inside.is_dir() else _PACKAGE_DIR.parent / name


def default_data_dir() -> Path:
    """The curated data shipped with fam-kg."""
    return shipped_dir("data")


def default_queries_dir() -> Path:
    """The named SPARQL queries shipped with fam-kg."""
    return shipped_dir("queries")
