"""Load the data files into a dataset: the embedded default store.

``load()`` reads every Turtle, TriG, N-Triples, N-Quads and JSON-LD file of the
data directory into one in-memory rdflib :class:`~rdflib.Dataset` whose default
graph is the union of its named graphs. TriG files name their graphs; a Turtle
or N-Triples file ``NAME.ttl`` goes into the graph ``graph/NAME``. The SHACL
shapes (``shapes.ttl``) are not data and are left out.

Two stores hold the dataset (``store=``): ``oxigraph`` (the default),
pyoxigraph's embedded store behind rdflib's Store API (:mod:`kg.oxstore`), so the rdflib API stays the same
while parsing and SPARQL run in Rust, and ``memory``, rdflib's own in-memory
store. Both give the same answers, byte for byte (``tests/test_stores.py``,
``tests/test_reproducible.py``). An Oxigraph store lives in memory, or on disk
with ``store_path``, where it is reloaded only when the data files changed;
both are installed by pip, no server needed. An in-memory Oxigraph load of
files unchanged since the last one comes from the load cache (:mod:`kg.compiled`).

A file that cannot be read or parsed raises :class:`~kg.errors.DataFileError`
naming the file, line and column.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.atomic import write_atomically
from kg.errors import DataFileError, StoreError, UsageError
from kg.datafolder import data_files, data_paths
from kg.parsing import CountingReader, parse_file, parser_for
from kg.shipped import default_data_dir
from kg.vocab import FAM

STORE_KINDS = ("memory", "oxigraph")
DEFAULT_STORE = "oxigraph"
FINGERPRINT_FILE = "fam-kg-fingerprint.json"
# A store on disk from another layout is rebuilt. 2: the default graph holds the union of the named graphs.
STORE_LAYOUT = "2"

Progress = Callable[[Path, int, int], None]
"""Called while loading with (file, bytes read so far in all files, bytes in all files)."""


class KGDataset(Dataset):
    """An rdflib Dataset that also remembers which file each subject and graph came from.

    It behaves as any rdflib Dataset (query it, serialise it, iterate its quads);
    ``files``, :meth:`files_of_node` and :meth:`files_of_graph` let reports
    point at the file to fix. ``oxigraph`` is the pyoxigraph store underneath,
    or None for rdflib's in-memory store.
    """

    def __init__(self, oxigraph=None) -> None:
        if oxigraph is None:
            super().__init__(default_union=True)
        else:
            from kg.oxstore import UnionOxigraphStore

            super().__init__(store=UnionOxigraphStore(oxigraph), default_union=True)
        self.oxigraph = oxigraph
        self.files: list[Path] = []
        self._node_files: dict[object, set[Path]] = defaultdict(set)
        self._graph_files: dict[URIRef, set[Path]] = defaultdict(set)

    def quads(self, quad=None):
        """Every quad matching ``quad`` (s, p, o, graph name), straight from Oxigraph when it holds the data."""
        if self.oxigraph is None:
            yield from super().quads(quad)
            return
        from kg.oxstore import from_oxigraph, to_oxigraph

        s, p, o, g = quad if quad is not None and len(quad) == 4 else (*(quad or (None, None, None)), None)
        if s is None and p is None and o is None and g is None:
            yield from self.named_graph_quads()
            return
        for found in self.oxigraph.quads_for_pattern(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), to_oxigraph(g)):
            name = found.graph_name
            if isinstance(name, _ox().DefaultGraph):
                continue  # the union's copy (see kg.oxstore), not a quad of the data
            yield (from_oxigraph(found.subject), from_oxigraph(found.predicate), from_oxigraph(found.object),
                   URIRef(name.value))

    def named_graph_quads(self, which: Callable[[URIRef], bool] | None = None):
        """Every quad (s, p, o, graph name) of the named graphs for which ``which`` is true (all by default).

        On Oxigraph the store is read graph by graph, so that the union's copy of each triple is never read and
        ``which`` is asked once a graph rather than once a quad.
        """
        if self.oxigraph is None:
            for s, p, o, g in super().quads((None, None, None, None)):
                name = URIRef(str(g))
                if which is None or which(name):
                    yield s, p, o, name
            return
        from kg.oxstore import from_oxigraph

        for graph in self.oxigraph.named_graphs():
            name = URIRef(graph.value)
            if which is not None and not which(name):
                continue
            for found in self.oxigraph.quads_for_pattern(None, None, None, graph):
                yield from_oxigraph(found.subject), from_oxigraph(found.predicate), from_oxigraph(found.object), name

    def __repr__(self) -> str:  # rdflib's names a random blank node, so a saved notebook would change on every run
        return f"<KGDataset: {self.store_kind} store, {len(self.files)} data files>"

    @property
    def store_kind(self) -> str:
        return "memory" if self.oxigraph is None else "oxigraph"

    def empty_like(self) -> KGDataset:
        """A new, empty dataset in the same kind of store (in memory)."""
        if self.oxigraph is None:
            return KGDataset()
        import pyoxigraph

        return KGDataset(pyoxigraph.Store())

    def subset(self, keep: Callable[[tuple], bool]) -> KGDataset:
        """A new dataset of the same kind holding the quads (s, p, o, graph name) for which ``keep`` is true.

        It remembers the same files, so that reports on it still point at the file to fix.
        """
        kept = self.empty_like()
        kept.files = list(self.files)
        kept._node_files = self._node_files
        kept._graph_files = self._graph_files
        graphs: dict[URIRef, Graph] = {}
        quads = []
        for s, p, o, g in self.quads((None, None, None, None)):
            name = URIRef(str(g))
            if keep((s, p, o, name)):
                if name not in graphs:
                    graphs[name] = kept.graph(name)
                quads.append((s, p, o, graphs[name]))
        kept.addN(quads)
        return kept

    def files_of_node(self, node) -> list[Path]:
        """Files that mention ``node`` as the subject or object of a triple."""
        if node in self._node_files:
            return sorted(self._node_files[node])
        if self.oxigraph is None or not isinstance(node, URIRef):
            return []
        # Oxigraph loads do not index nodes by file (it would cost a Python step per quad); the graphs
        # that mention the node lead to the files instead.
        mentions = (*self.quads((node, None, None, None)), *self.quads((None, None, node, None)))
        graphs = {graph for *_, graph in mentions}
        return sorted({f for g in graphs for f in self._graph_files.get(g, ())})

    def files_of_graph(self, graph_name) -> list[Path]:
        """Files that write triples into the named graph ``graph_name``."""
        return sorted(self._graph_files.get(URIRef(str(graph_name)), ()))

    def add_file(self, path: Path, on_bytes: Callable[[int], None] | None = None) -> None:
        """Parse one data file and add its triples, recording where they came from.

        ``on_bytes`` is told how many bytes of the file have been read, as reading goes on.
        """
        path = Path(path)
        if self.oxigraph is not None:
            self._add_file_to_oxigraph(path, on_bytes)
        else:
            self._add_file_to_memory(path)
        if on_bytes is not None:
            on_bytes(path.stat().st_size)
        self.files.append(path)

    def _add_file_to_memory(self, path: Path) -> None:
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

    def _add_file_to_oxigraph(self, path: Path, on_bytes: Callable[[int], None] | None) -> None:
        import pyoxigraph as ox

        parser_for(path)  # refuses an unknown suffix with the same message as the rdflib path
        fmt = ox.RdfFormat.from_extension(path.suffix.lower().lstrip("."))
        own_graph = ox.NamedNode(str(FAM["graph/" + path.stem]))
        seen: set = set()

        union = ox.DefaultGraph()

        def named(quads):
            for quad in quads:
                if isinstance(quad.graph_name, ox.DefaultGraph):
                    quad = ox.Quad(quad.subject, quad.predicate, quad.object, own_graph)
                seen.add(quad.graph_name)
                yield quad
                yield ox.Quad(quad.subject, quad.predicate, quad.object, union)

        try:
            with path.open("rb") as raw:
                if raw.read(3) != b"\xef\xbb\xbf":  # skip a UTF-8 byte-order mark, as the rdflib path does
                    raw.seek(0)
                stream = CountingReader(raw, on_bytes)
                self.oxigraph.bulk_extend(named(ox.parse(input=stream, format=fmt, base_iri=path.resolve().as_uri())))
        except SyntaxError as error:
            # rdflib's parser raises its own report of the mistake, so that a broken file reads the same on either
            # store; Oxigraph's report stands only for a file rdflib reads.
            parse_file(path)
            position = error.args[1] if len(error.args) > 1 and isinstance(error.args[1], tuple) else ()
            line, column = (position[1], position[2]) if len(position) >= 3 else (None, None)
            message = str(error.args[0]) if error.args else str(error)
            raise DataFileError(path, message.split(": ", 1)[-1], line, column) from None
        except (OSError, ValueError) as error:
            parse_file(path)  # as above
            raise DataFileError(path, f"cannot read: {error}") from None
        for graph_name in seen:
            self._graph_files[URIRef(graph_name.value)].add(path)


def _ox():
    import pyoxigraph

    return pyoxigraph


def named_graph_quads(dataset: Dataset, which: Callable[[URIRef], bool] | None = None):
    """(s, p, o, graph name) of every named graph of ``dataset`` for which ``which`` is true (all by default):
    :meth:`KGDataset.named_graph_quads` for a dataset from :func:`load`, else rdflib's quads outside the default
    graph, for any other rdflib Dataset."""
    if isinstance(dataset, KGDataset):
        return dataset.named_graph_quads(which)
    return _rdflib_named_graph_quads(dataset, which)


def _rdflib_named_graph_quads(dataset: Dataset, which: Callable[[URIRef], bool] | None):
    default = str(DATASET_DEFAULT_GRAPH_ID)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if g is None or str(g) == default:
            continue
        name = URIRef(str(g))
        if which is None or which(name):
            yield s, p, o, name


def load(
    data_dir: Path | str | None = None,
    *,
    data: Sequence[Path | str] | Path | str | None = (),
    store: str = DEFAULT_STORE,
    store_path: Path | str | None = None,
    progress: Progress | None = None,
) -> KGDataset:
    """Load the graph: every data file of ``data_dir`` (default: the shipped data), and the user's ``data``.

    Returns a dataset whose default graph is the union of all named graphs, so
    plain SPARQL patterns see every claim and ``GRAPH ?source { … }`` tells
    which source states it.

    Parameters
    ----------
    data
        more files or folders of Turtle, TriG, N-Triples, N-Quads or JSON-LD (None: none).
        Triples outside a named graph go into ``graph/<file name>``.
    store
        ``oxigraph`` (the default: pyoxigraph behind rdflib's API, :mod:`kg.oxstore`) or ``memory`` (rdflib's own store).
    store_path
        with ``oxigraph``: a folder to keep the store in; it is reloaded only
        when the data files changed since it was written. Without it, an
        Oxigraph load of unchanged files is read from the load cache
        (:mod:`kg.compiled`; ``KG_CACHE_DIR=off`` turns it off).
    progress
        called as reading goes on with (file, bytes read, bytes in all).

    Raises
    ------
    DataFileError
        a file is not UTF-8 or does not parse (with file, line and column);
        nothing of it is kept.
    NoDataError
        the directory holds no data files.
    StoreError
        the store folder cannot be opened (in use, or damaged).
    """
    if store not in STORE_KINDS:
        raise UsageError(f"unknown store {store!r}; expected one of {', '.join(STORE_KINDS)}")
    if store_path is not None and store != "oxigraph":
        raise UsageError("--store-path needs --store oxigraph")
    if data is None:
        data = ()
    elif isinstance(data, (str, Path)):  # one file or folder, not a sequence of one-letter paths
        data = [data]
    files = data_files(Path(data_dir) if data_dir is not None else default_data_dir()) + data_paths(data)
    _refuse_graph_name_clashes(files)
    if store == "memory":
        dataset = KGDataset()
    elif store_path is None:
        return _load_in_memory_oxigraph(files, progress)
    else:
        return _load_persistent(files, Path(store_path), progress)
    _add_files(dataset, files, progress)
    return dataset


def _load_in_memory_oxigraph(files: list[Path], progress: Progress | None) -> KGDataset:
    """An in-memory Oxigraph store: from the load cache (:mod:`kg.compiled`) while the files are unchanged."""
    from kg import compiled

    cached = compiled.open_store(files)
    if cached is not None:
        ox_store, graphs = cached
        dataset = KGDataset(ox_store)
        dataset.files = list(files)
        _record_graph_files(dataset, graphs)
        return dataset
    import pyoxigraph

    dataset = KGDataset(pyoxigraph.Store())
    _add_files(dataset, files, progress)
    compiled.save(files, dataset.oxigraph, _graph_files_record(dataset))
    return dataset


def _graph_files_record(dataset: KGDataset) -> dict[str, list[str]]:
    return {str(g): sorted(str(f) for f in fs) for g, fs in dataset._graph_files.items()}


def _record_graph_files(dataset: KGDataset, graphs: dict[str, list[str]]) -> None:
    for graph, sources in graphs.items():
        dataset._graph_files[URIRef(graph)] = {Path(s) for s in sources}


def _add_files(dataset: KGDataset, files: list[Path], progress: Progress | None) -> None:
    total = sum(path.stat().st_size for path in files)
    done = 0
    for path in files:
        def on_bytes(read: int, path: Path = path, before: int = done) -> None:
            if progress is not None:
                progress(path, before + read, total)

        dataset.add_file(path, on_bytes)
        done += path.stat().st_size


def _refuse_graph_name_clashes(files: list[Path]) -> None:
    """Triples outside a named graph go into ``graph/<file name>``: two such files must not share a name."""
    by_stem: dict[str, Path] = {}
    for path in files:
        if path.suffix.lower() not in (".ttl", ".nt", ".jsonld"):
            continue
        if path.stem in by_stem and by_stem[path.stem].resolve() != path.resolve():
            raise UsageError(
                f"{path} and {by_stem[path.stem]} would share the graph graph/{path.stem}; rename one of them"
            )
        by_stem[path.stem] = path


def _fingerprint(files: list[Path]) -> str:
    """What the store on disk was built from: each file's path, size and modification time."""
    digest = hashlib.sha256(STORE_LAYOUT.encode())
    for path in files:
        status = path.stat()
        digest.update(f"{path.resolve()}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _load_persistent(files: list[Path], folder: Path, progress: Progress | None) -> KGDataset:
    """An Oxigraph store on disk, rebuilt only when the data files changed."""
    import pyoxigraph

    if folder.exists() and not folder.is_dir():
        raise StoreError(f"{folder}: not a folder; --store-path needs a folder for the Oxigraph store")
    marker = folder / FINGERPRINT_FILE
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8")) if marker.is_file() else {}
    except (OSError, ValueError):
        recorded = {}
    if folder.is_dir() and any(folder.iterdir()) and not marker.is_file():
        raise StoreError(f"{folder}: this folder is not a fam-kg store (no {FINGERPRINT_FILE}); "
                         "give an empty or new folder")
    try:
        ox_store = pyoxigraph.Store(str(folder))
    except (OSError, RuntimeError) as error:  # RocksDB reports a lock as OSError, damage as RuntimeError
        raise StoreError(f"{folder}: cannot open the Oxigraph store ({_first_line(error)}); another kg process may "
                         "be using it, or it is damaged: then delete the folder and it is rebuilt from the data files"
                         ) from None
    dataset = KGDataset(ox_store)
    fingerprint = _fingerprint(files)
    if recorded.get("fingerprint") == fingerprint:
        dataset.files = list(files)
        _record_graph_files(dataset, recorded.get("graphs", {}))
        return dataset
    marker.unlink(missing_ok=True)  # a load cut short leaves no fingerprint, so the next run reloads
    ox_store.clear()
    _add_files(dataset, files, progress)
    ox_store.flush()
    write_atomically(marker, json.dumps({"fingerprint": fingerprint, "graphs": _graph_files_record(dataset)}).encode())
    return dataset


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
