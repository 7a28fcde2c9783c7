"""Write a file whole or not at all: through a temporary file in the same folder, renamed when complete."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kg.errors import UsageError


def write_atomically(path: Path | str, content: bytes) -> Path:
    """Write ``content`` to ``path`` through a temporary file in the same folder, renamed when complete.

    A failure (an unwritable folder, a full disk) raises :class:`UsageError`
    and leaves neither a partial file nor the temporary one behind.
    """
    path = Path(path)
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp",
                                         delete=False) as handle:
            temporary = Path(handle.name)
            handle.write(content)
        os.chmod(temporary, 0o666 & ~current_umask())
        os.replace(temporary, path)
    except OSError as error:
        raise UsageError(f"{path}: cannot write: {error.strerror or error}") from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    return path


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
