"""Python's cyclic garbage collector held off while one step builds a large structure that stays alive."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector is switched back on after it if it was on before.

    Building the projection of a million triples allocates millions of dicts, sets and lists that all stay alive:
    each collection the allocations trigger scans them again, and every long-lived object already on the heap
    (a large answer, the term caches) with them, for nothing. Reference counting still frees what dies at once.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
