"""fam-kg's version, as installed (``kg --version``, the VoID description, ``kg.__version__``)."""

from __future__ import annotations

from importlib import metadata


def version() -> str:
    """The installed distribution's version; ``0+unknown`` when run from a checkout that was never installed."""
    try:
        return metadata.version("fam-kg")
    except metadata.PackageNotFoundError:
        return "0+unknown"
