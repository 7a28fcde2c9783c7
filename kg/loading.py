"""The graph a command sees: the loaded graph restricted once, by date and by episode.

``--as-of DATE`` keeps the sources known on that day (:func:`kg.as_of`);
``--watched EPISODE`` hides the story a viewer has not seen yet
(:func:`kg.watched`). Both are one restriction, applied where the graph is
loaded and passed on, so that every command and every Python call answers from
the same graph. The spoiler boundary is drawn on the whole graph first (which
episode reveals what does not depend on when a source said so), then the date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from kg.errors import UsageError
from kg.store import KGDataset
from kg.store import load as load_files


def restrict(
    dataset: KGDataset,
    *,
    as_of: dt.date | str | None = None,
    watched: str | Iterable[str] | None = None,
) -> KGDataset:
    """``dataset`` as known on ``as_of`` by a viewer who has watched up to ``watched`` (one episode per show).

    Either may be left out; with neither, the dataset itself is returned.
    ``as_of`` is a date or ``YYYY-MM-DD``; ``watched`` an episode (``S2E4``,
    ``"Star City S1E3"``, a title, a slug or an IRI) or several, one per show.
    """
    from kg.provenance import as_of as known_on
    from kg.provenance import parse_day
    from kg.spoilers import watched as seen

    episodes = [watched] if isinstance(watched, str) else list(watched or ())
    if episodes:
        dataset = seen(dataset, *episodes)
    if as_of is not None:
        if isinstance(as_of, dt.datetime):
            as_of = as_of.date()
        if not isinstance(as_of, dt.date):
            if not isinstance(as_of, str):
                raise UsageError(f"--as-of: expected a date or YYYY-MM-DD, not {as_of!r}")
            as_of = parse_day(as_of, "--as-of")
        dataset = known_on(dataset, as_of)
    return dataset


def load(
    data_dir: Path | str | None = None,
    *,
    as_of: dt.date | str | None = None,
    watched: str | Iterable[str] | None = None,
    **options,
) -> KGDataset:
    """Load the graph (see :func:`kg.store.load` for ``data_dir`` and ``options``), restricted by
    ``as_of`` and ``watched`` as :func:`restrict` does.

    >>> import kg
    >>> fan = kg.load(watched="S1E10")   # only what season 1 of For All Mankind shows
    """
    return restrict(load_files(data_dir, **options), as_of=as_of, watched=watched)
