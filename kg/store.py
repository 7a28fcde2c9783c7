"""Load the data files into a dataset: the embedded default store.

``load()`` reads every Turtle, TriG, N-Triples, N-Quads and JSON-LD file of the
data directory into one in-memory rdflib :class:`~rdflib.Dataset` whose default
graph is the union of its named graphs. TriG files name their graphs; a Turtle
or N-Triples file ``NAME.ttl`` goes into the graph ``graph/NAME``. The SHACL
shapes (``shapes.ttl``) are not data and are left out.

A file that cannot be read or parsed raises :class:`~kg.errors.DataFileError`
naming the file, line and column.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.errors import DataFileError, NoDataError, UsageError
from kg.vocab import FAM

PARSER_BY_SUFFIX = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
}
SHAPES_FILE = "shapes.ttl"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped_dir(name: str) -> Path:
    """A folder shipped with the package: inside it when installed from a wheel,
    at the repository root in a checkout (an editable install)."""
    inside = _PACKAGE_DIR / name
    return inside if inside.is_dir() else _PACKAGE_DIR.parent / name


def default_data_dir() -> Path:
    """The curated data shipped with fam-kg."""
    return _shipped_dir("data")


def shapes_path(data_dir: Path | str | None = None) -> Path:
    """The SHACL shapes for a data directory: its own ``shapes.ttl``, else the shipped one."""
    own = Path(data_dir) / SHAPES_FILE if data_dir is not None else None
    return own if own is not None and own.is_file() else default_data_dir() / SHAPES_FILE


def default_queries_dir() -> Path:
    """The named SPARQL queries shipped with fam-kg."""
    return _shipped_dir("queries")


class KGDataset(Dataset):
    """An rdflib Dataset that also remembers which file each subject and graph came from.

    It behaves as any rdflib Dataset (query it, serialise it, iterate its quads);
    ``files``, :meth:`files_of_subject` and :meth:`files_of_graph` let reports
    point at the file to fix.
    """

    def __init__(self) -> None:
        super().__init__(default_union=True)
        self.files: list[Path] = []
        self._node_files: dict[object, set[Path]] = defaultdict(set)
        self._graph_files: dict[URIRef, set[Path]] = defaultdict(set)

    def files_of_node(self, node) -> list[Path]:
        """Files that mention ``node`` as the subject or object of a triple."""
        return sorted(self._node_files.get(node, ()))

    def files_of_graph(self, graph_name) -> list[Path]:
        """Files that write triples into the named graph ``graph_name``."""
        return sorted(self._graph_files.get(URIRef(str(graph_name)), ()))

    def add_file(self, path: Path) -> None:
        """Parse one data file and add its triples, recording where they came from."""
        path = Path(path)
        parsed = parse_file(path)
        graphs: dict[URIRef, object] = {}
        quads = []
        for s, p, o, graph_name in parsed.quads((None, None, None, None)):
            name = URIRef(str(graph_name))
            if name not in graphs:
                graphs[name] = self.graph(name)
                self._graph_files[name].add(path)
            quads.append((s, p, o, graphs[name]))
            self._node_files[s].add(path)
            if isinstance(o, URIRef):
                self._node_files[o].add(path)
        self.addN(quads)
        self.files.append(path)


def parse_file(path: Path) -> Dataset:
    """Parse one data file into a dataset of its own; errors name the file, line and column.

    Triples outside any named graph (all of a Turtle or N-Triples file, the
    default graph of a TriG file) go into the graph ``graph/<file name>``, so
    that validation names this file when they have no source.
    """
    path = Path(path)
    fmt = PARSER_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise DataFileError(path, f"unknown file type {path.suffix!r}; expected one of {', '.join(PARSER_BY_SUFFIX)}")
    text = _read_utf8(path)
    parsed = Dataset()
    try:
        parsed.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except BadSyntax as error:
        line, column = _position_of(error)
        raise DataFileError(path, error._why, line, column) from None
    except Exception as error:  # noqa: BLE001 - every parser failure is reported the same way
        raise DataFileError(path, f"cannot parse as {fmt}: {error}") from None
    default = parsed.graph(DATASET_DEFAULT_GRAPH_ID)
    if len(default):
        own = parsed.graph(FAM["graph/" + path.stem])
        for triple in list(default):
            own.add(triple)
            default.remove(triple)
    return parsed


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


def load(data_dir: Path | str | None = None) -> KGDataset:
    """Load the graph: every data file of ``data_dir`` (default: the shipped data).

    Returns an in-memory dataset whose default graph is the union of all named
    graphs, so plain SPARQL patterns see every claim and ``GRAPH ?source { … }``
    tells which source states it.

    Raises
    ------
    DataFileError
        a file is not UTF-8 or does not parse (with file, line and column).
    NoDataError
        the directory holds no data files.
    """
    dataset = KGDataset()
    for path in data_files(Path(data_dir) if data_dir is not None else default_data_dir()):
        dataset.add_file(path)
    return dataset


def parse_turtle_file(path: Path) -> Graph:
    """Parse one Turtle file into a plain graph (the SHACL shapes), with file:line:col errors."""
    graph = Graph()
    try:
        graph.parse(data=_read_utf8(Path(path)), format="turtle", publicID=Path(path).resolve().as_uri())
    except BadSyntax as error:
        raise DataFileError(Path(path), error._why, *_position_of(error)) from None
    return graph


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _read_utf8(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataFileError(path, f"cannot read: {error.strerror}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - raw.rfind(b"\n", 0, error.start)
        raise DataFileError(
            path, f"not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded; save the file as UTF-8", line, column
        ) from None


def _position_of(error: BadSyntax) -> tuple[int | None, int | None]:
    """Line and column (both from 1) of a notation3/TriG parser error."""
    text, offset = error._str, error._i
    if isinstance(text, str):
        text = text.encode("utf-8")
    if not isinstance(text, bytes) or not isinstance(offset, int):
        return None, None
    offset = max(0, min(offset, len(text)))
    line = text.count(b"\n", 0, offset) + 1
    column = len(text[text.rfind(b"\n", 0, offset) + 1 : offset].decode("utf-8", "replace")) + 1
    return line, column


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
        os.chmod(temporary, 0o666 & ~_current_umask())
        os.replace(temporary, path)
    except OSError as error:
        raise UsageError(f"{path}: cannot write: {error.strerror or error}") from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    return path


EXPORT_FORMATS = {"fam-kg.trig": "trig", "fam-kg.nq": "nquads", "fam-kg.jsonld": "json-ld"}
"""The files ``export`` writes, and their rdflib serialisation formats."""


def export(dataset: Dataset, out_dir: Path | str) -> list[Path]:
    """Write the dataset as TriG, N-Quads and JSON-LD into ``out_dir``, atomically.

    Every file is written to a temporary name first and renamed only once all
    three are complete, so a failure leaves no partial file behind.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"{out_dir}: cannot create the output directory: {error.strerror}") from None
    pending: list[tuple[Path, Path]] = []
    try:
        for name, fmt in EXPORT_FORMATS.items():
            final = out_dir / name
            handle = tempfile.NamedTemporaryFile("wb", dir=out_dir, prefix=f".{name}.", suffix=".tmp", delete=False)
            temporary = Path(handle.name)
            pending.append((temporary, final))
            with handle:
                dataset.serialize(destination=handle, format=fmt, encoding="utf-8")
            os.chmod(temporary, 0o666 & ~_current_umask())  # temp files are private; the build is not
        for temporary, final in pending:
            os.replace(temporary, final)
    except OSError as error:
        raise UsageError(f"{out_dir}: cannot write the build: {error.strerror or error}") from None
    finally:
        for temporary, _ in pending:
            temporary.unlink(missing_ok=True)
    return [final for _, final in pending]
