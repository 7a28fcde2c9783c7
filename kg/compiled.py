"""The load cache: a loaded graph kept as one N-Quads file, reused while the data files are unchanged.

Parsing the data files is most of a load. After an in-memory Oxigraph load, :func:`save` writes the store's quads
(the named graphs and the union) to one file in the cache folder, headed by a comment line that records the
fingerprint of what was loaded (every file's path and bytes, this cache's layout, pyoxigraph's version) and which
file wrote which graph. :func:`open_store` gives that store back, by Oxigraph's bulk loader, when the fingerprint
still matches; any change to a data file, a file added or taken away, makes it miss, and the next load parses the
files again and rewrites the cache. The file is written to a temporary name and renamed, so a reader sees a whole
cache or none; two processes writing at once leave one whole file.

Where: ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/fam-kg``, else ``~/.cache/fam-kg``. ``KG_CACHE_DIR=off`` turns
the cache off. Loads over :data:`CACHE_LIMIT` bytes of data are not cached (use ``--store-path`` for those: an
on-disk store that is likewise reloaded only when the data changed). A cache that cannot be written is skipped
without a word: it only ever saves time.

The same folder remembers which graphs conformed to which shapes (:func:`known_to_conform`), so that checking
unchanged data against unchanged shapes does not run pySHACL again (:func:`kg.validation.validate`), and keeps the
last few builds (:func:`cached_build`): ``kg build`` of the same quads by the same code and libraries gives the same
bytes, so it copies them rather than rendering them again. Likewise the last few networkx projections
(:func:`kept_result`, pickled), which ``kg path`` and ``kg stats --network`` would otherwise compute again. What
keys those (:func:`code_digest`, a digest of kg's code and its libraries' versions) is itself remembered there.

This module imports no rdflib.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from kg.gc_pause import collector_paused

CACHE_LAYOUT = "1"
CACHE_LIMIT = 64 * 1024 * 1024
KEPT_BUILDS = 3
RESULT_LIMIT = 500_000
RENDERING_LIBRARIES = ("rdflib", "pyoxigraph", "pyshacl", "networkx", "pyvis", "jinja2")
HEADER = "# fam-kg load cache "


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off."""
    chosen = os.environ.get("KG_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "fam-kg"


def fingerprint(files: list[Path]) -> str | None:
    """What a load of ``files`` is made of, or None when it is too large to cache (or a file cannot be read)."""
    import pyoxigraph

    digest = hashlib.blake2b(f"{CACHE_LAYOUT}\0{pyoxigraph.__version__}\n".encode(), digest_size=20)
    size = 0
    try:
        for path in files:
            content = path.read_bytes()
            size += len(content)
            if size > CACHE_LIMIT:
                return None
            digest.update(f"{path.resolve()}\0{len(content)}\n".encode())
            digest.update(content)
    except OSError:
        return None
    return digest.hexdigest()


def _slot(files: list[Path]) -> Path | None:
    """The cache file for this list of files (one per list: a new fingerprint overwrites the old cache)."""
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.blake2b("\n".join(str(p.resolve()) for p in files).encode(), digest_size=10).hexdigest()
    return folder / f"load-{key}.nq"


def open_store(files: list[Path]):
    """``(pyoxigraph store, {graph IRI: [file, …]})`` from the cache, or None when it has no load of these files."""
    slot = _slot(files)
    if slot is None or not slot.is_file():
        return None
    try:
        with slot.open("rb") as cached:
            header = cached.readline().decode("utf-8")
        if not header.startswith(HEADER):
            return None
        recorded = json.loads(header[len(HEADER):])
        if recorded.get("fingerprint") != fingerprint(files):
            return None
        import pyoxigraph

        store = pyoxigraph.Store()
        store.bulk_load(path=str(slot), format=pyoxigraph.RdfFormat.N_QUADS)
    except (OSError, ValueError, SyntaxError):
        return None
    return store, recorded.get("graphs", {})


def save(files: list[Path], store, graphs: dict[str, list[str]]) -> None:
    """Keep ``store`` (just loaded from ``files``) as the cache of that load; skipped if it cannot be written."""
    slot = _slot(files)
    found = fingerprint(files) if slot is not None else None
    if found is None:
        return
    import pyoxigraph

    header = HEADER + json.dumps({"fingerprint": found, "graphs": graphs}, sort_keys=True) + "\n"
    try:
        slot.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=slot.parent, prefix=slot.name, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as written:
                written.write(header.encode("utf-8"))
                store.dump(written, format=pyoxigraph.RdfFormat.N_QUADS)
            os.replace(temporary, slot)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return


def _conformance_marker(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"conforms-{key}"


def known_to_conform(key: str) -> bool:
    """Whether a validation keyed ``key`` (see :func:`kg.validation.validate`) found no violation before."""
    marker = _conformance_marker(key)
    return marker is not None and marker.is_file()


def remember_conformance(key: str) -> None:
    """Record that the validation keyed ``key`` found no violation (skipped if the cache cannot be written)."""
    marker = _conformance_marker(key)
    if marker is None:
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        return


def store_digest(store) -> str:
    """A digest of a pyoxigraph store's quads, whatever order they were added in."""
    import pyoxigraph

    quads = store.dump(format=pyoxigraph.RdfFormat.N_QUADS).splitlines()
    quads.sort()  # Oxigraph dumps in the order the quads were added: a parse and the load cache differ
    return hashlib.blake2b(b"\n".join(quads), digest_size=20).hexdigest()


def result_key(dataset, *parts: str | bytes) -> str | None:
    """A key for a result computed from ``dataset``'s quads and ``parts`` (versions, code, shapes), or None when it is
    not to be remembered: rdflib's store (whose quads have no cheap dump), a store over :data:`RESULT_LIMIT` quads
    (whose digest and kept results would cost more than they save), or the cache turned off."""
    if getattr(dataset, "oxigraph", None) is None or cache_dir() is None or len(dataset.oxigraph) > RESULT_LIMIT:
        return None
    digest = hashlib.blake2b(digest_size=20)
    for part in (CACHE_LAYOUT, store_digest(dataset.oxigraph), *parts):
        digest.update((part.encode() if isinstance(part, str) else part) + b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of kg's own files (code, templates, vendored scripts) and the versions of the libraries that render
    the build: what, besides the data, decides its bytes.

    Worked out once for a state of those files and of the folders the libraries are installed in, and remembered in
    the cache folder (:data:`CODE_DIGESTS`) under the files' and folders' status (inode, size, times): reading a
    megabyte of kg's files and importing ``importlib.metadata`` (about 60 ms) was most of a kept answer's time. A
    change to a file, or a package installed, upgraded or removed (which changes its folder), is a new status.
    """
    package = Path(__file__).resolve().parent
    files = sorted(path for path in package.rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    status = _status_digest([*files, *(Path(entry or ".") for entry in sys.path)])
    folder = cache_dir()
    remembered = _read_json(folder / CODE_DIGESTS) if folder is not None else {}
    if isinstance(remembered.get(status), str):
        return remembered[status]
    from importlib import metadata

    digest = hashlib.blake2b(CACHE_LAYOUT.encode(), digest_size=20)
    for name in RENDERING_LIBRARIES:
        digest.update(f"\0{name} {metadata.version(name)}".encode())
    for path in files:
        digest.update(f"\0{path.relative_to(package)}\0".encode())
        digest.update(path.read_bytes())
    found = digest.hexdigest()
    if folder is not None:
        from kg.atomic import write_atomically
        from kg.errors import UsageError

        kept = dict(list(remembered.items())[-(KEPT_CODE_DIGESTS - 1):], **{status: found})
        with contextlib.suppress(UsageError):  # a folder that cannot be written is skipped: the cache only saves time
            write_atomically(folder / CODE_DIGESTS, json.dumps(kept).encode())
    return found


CODE_DIGESTS = "code-digests.json"
KEPT_CODE_DIGESTS = 8


def _status_digest(paths: list[Path]) -> str:
    """A digest of the paths' status: writing or replacing a file, or adding or removing a folder's entry, alters it."""
    digest = hashlib.blake2b(CACHE_LAYOUT.encode(), digest_size=20)
    for path in paths:
        try:
            st = path.stat()
            digest.update(f"{path}\0{st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}\0".encode())
        except OSError:
            digest.update(f"{path}\0missing\0".encode())
    return digest.hexdigest()


def _read_json(path: Path) -> dict:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


KEPT_RESULTS = 3


def kept_result(kind: str, key: str):
    """A result of ``kind`` computed before under ``key`` (:func:`keep_result`), as a fresh object; else None."""
    import pickle

    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{kind}-{key}.pickle", "rb") as kept, collector_paused():  # 7× faster at 200k triples
            return pickle.load(kept)  # noqa: S301 - written by keep_result into the user's own cache folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None


def keep_result(kind: str, key: str, value, keep: int = KEPT_RESULTS) -> None:
    """Keep ``value`` (picklable) under ``key``, and only the last ``keep`` of its ``kind``."""
    import pickle

    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / f"{kind}-{key}.pickle")
        kept = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in kept[keep:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _build_folder(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"build-{key}"


def cached_build(key: str) -> list[Path] | None:
    """The files of an earlier build keyed ``key``, or None."""
    folder = _build_folder(key)
    if folder is None or not (folder / "files.json").is_file():
        return None
    try:
        names = json.loads((folder / "files.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = [folder / name for name in names]
    return files if all(path.is_file() for path in files) else None


def save_build(key: str, files: list[Path]) -> None:
    """Keep a copy of a build's ``files`` under ``key`` (and only the last :data:`KEPT_BUILDS` builds)."""
    folder = _build_folder(key)
    if folder is None:
        return
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=folder.name, suffix=".part"))
    except OSError:
        return
    try:
        for path in files:
            shutil.copyfile(path, staging / path.name)
        (staging / "files.json").write_text(json.dumps([path.name for path in files]), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(staging, folder)
        builds = [path for path in folder.parent.glob("build-*") if not path.name.endswith(".part")]
        for old in sorted(builds, key=lambda path: path.stat().st_mtime, reverse=True)[KEPT_BUILDS:]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError:
        return
    finally:
        shutil.rmtree(staging, ignore_errors=True)
