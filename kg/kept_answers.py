"""The console script's answers, kept: a plain command (:mod:`kg.quick`) asked again of the same graph prints the
bytes it printed before, without evaluating, projecting or drawing a table again.

An answer is keyed by what decides its bytes: every file of the shipped data (the quick path answers only on the
shipped data, the default store, no option that changes the graph), kg's code and the versions of the libraries
that read and render it (:func:`kg.compiled.code_digest`), the named queries' files, the command line (and a query
file's text), and where it is printed — a terminal or not, its size, and the environment variables rich reads for
colour and width. The key is computed from the files alone, so a kept answer is printed without importing rdflib
or loading the graph. It is kept only when the command succeeded
and wrote nothing to standard error (a warning is printed every time). The last :data:`KEPT_ANSWERS` answers are
kept, in the load cache's folder; ``KG_CACHE_DIR=off`` turns this off with the rest of the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable

from kg import compiled

KEPT_ANSWERS = 64
RICH_VARIABLES = ("COLUMNS", "LINES", "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE",
                  "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES")


class Recording:
    """Standard output as rich sees it (a terminal or not, its size), recording what is written."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.written: list[str] = []

    def write(self, text: str) -> int:
        self.written.append(text)
        return self.stream.write(text)

    def __getattr__(self, name: str):  # isatty, fileno, encoding, flush …: the real stream's
        return getattr(self.stream, name)


def where_printed() -> str:
    """What, besides the command, decides how rich draws it."""
    terminal = sys.stdout.isatty()
    size = tuple(shutil.get_terminal_size((0, 0))) if terminal else ()
    return json.dumps([terminal, size, sys.stdout.encoding, {name: os.environ.get(name) for name in RICH_VARIABLES}])


def answer_key(argv: list[str]) -> str | None:
    """The key of the answer to ``argv`` on the shipped data, or None with the cache off (or a file unreadable)."""
    from kg.shipped import default_data_dir, default_queries_dir

    if compiled.cache_dir() is None:
        return None
    digest = hashlib.blake2b(f"answer {compiled.CACHE_LAYOUT}\0{compiled.code_digest()}\0".encode(), digest_size=20)
    try:
        for folder in (default_data_dir(), default_queries_dir()):
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest.update(f"{path.relative_to(folder.parent)}\0".encode() + path.read_bytes() + b"\0")
    except OSError:
        return None
    digest.update(json.dumps(argv).encode() + b"\0" + where_printed().encode())
    return digest.hexdigest()


def answer_kept(key: str | None, compute: Callable[[], int | None]) -> int | None:
    """Print the answer kept under ``key`` if there is one, else run ``compute`` (which prints it) and keep what it
    printed."""
    if key is None:
        return compute()
    kept = compiled.kept_result("answer", key)
    if kept is not None:
        sys.stdout.write(kept)
        return 0
    recording, errors = Recording(sys.stdout), Recording(sys.stderr)
    sys.stdout, sys.stderr = recording, errors
    try:
        code = compute()
    finally:
        sys.stdout, sys.stderr = recording.stream, errors.stream
    if code == 0 and not errors.written:
        compiled.keep_result("answer", key, "".join(recording.written), keep=KEPT_ANSWERS)
    return code
