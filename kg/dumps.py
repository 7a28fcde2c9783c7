"""The build's dumps: the dataset as TriG, N-Quads and JSON-LD, the same bytes on every run and store.

rdflib's serialisers write graphs and subjects in the order its store yields
them, which changes from run to run (hash seeds) and between stores. Here:

- ``fam-kg.trig`` uses the canonical layout of the data files (``kg format``):
  the entities graph, then one block per source graph oldest first, subjects
  and objects sorted;
- ``fam-kg.nq`` is one quad a line, the lines sorted;
- ``fam-kg.jsonld`` is rdflib's JSON-LD with every list sorted and keys in order.

Blank nodes get fresh labels on each load, so a dataset holding them (only a
``--data`` file can bring them) is the one case whose dumps differ between runs.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import RDF, SDO, Dataset, URIRef

from kg.datafiles import canonical_trig
from kg.errors import UsageError
from kg.atomic import current_umask
from kg.vocab import FAMV, SOURCES_GRAPH

TRIG_COMMENT = ("# fam-kg: every named graph of the dataset, in the layout of its data files: the entities, then\n"
                "# each source's graph, oldest source first.\n")


def trig_text(dataset: Dataset) -> str:
    """The dataset as TriG in the canonical layout."""
    described = dataset.graph(SOURCES_GRAPH)
    dates = {s: str(d) for p in (FAMV.retrieved, SDO.datePublished) for s, d in described.subject_objects(p)
             if isinstance(s, URIRef) and (s, RDF.type, FAMV.Source) in described}
    return canonical_trig(dataset, TRIG_COMMENT, dates, blank_nodes=True)


def nquads_text(dataset: Dataset) -> str:
    """The dataset as N-Quads, one quad a line, sorted."""
    lines = _named_graphs_only(dataset).serialize(format="nquads").splitlines()
    return "".join(f"{line}\n" for line in sorted(set(lines)) if line.strip())


def jsonld_text(dataset: Dataset) -> str:
    """The dataset as JSON-LD (a list of named graphs), every list sorted."""
    return json.dumps(_sorted_json(json.loads(_named_graphs_only(dataset).serialize(format="json-ld"))), ensure_ascii=False, indent=2,
                      sort_keys=True) + "\n"


def _named_graphs_only(dataset: Dataset) -> Dataset:
    """The dataset in rdflib's memory store: rdflib's serialisers would also write the union that the
    Oxigraph store keeps in its default graph."""
    if getattr(dataset, "oxigraph", None) is None:
        return dataset
    copy = Dataset()
    copy.addN((s, p, o, copy.graph(g)) for s, p, o, g in dataset.quads((None, None, None, None)))
    return copy


def _sorted_json(value):
    if isinstance(value, dict):
        return {key: _sorted_json(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True))
    return value


DUMPS = {"fam-kg.trig": trig_text, "fam-kg.nq": nquads_text, "fam-kg.jsonld": jsonld_text}
"""The files ``export`` writes, and what writes each."""


def export(dataset: Dataset, out_dir: Path | str) -> list[Path]:
    """Write the dataset as TriG, N-Quads and JSON-LD into ``out_dir``, atomically.

    Every file is written to a temporary name first and renamed only once all
    three are complete, so a failure leaves no partial file behind. The same
    data gives the same bytes on every run, from either store.
    """
    dataset = _named_graphs_only(dataset)  # copied once for all three renderers, not once for each
    return write_files(out_dir, {name: functools.partial(render, dataset) for name, render in DUMPS.items()})


def write_files(out_dir: Path | str, contents: dict[str, Callable[[], str | bytes]]) -> list[Path]:
    """Write each ``name: content()`` into ``out_dir``: all to temporary names first, then each renamed, so that a
    failure leaves no partial file behind."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"{out_dir}: cannot create the output directory: {error.strerror}") from None
    pending: list[tuple[Path, Path]] = []
    try:
        for name, content in contents.items():
            final = out_dir / name
            handle = tempfile.NamedTemporaryFile("wb", dir=out_dir, prefix=f".{name}.", suffix=".tmp", delete=False)
            temporary = Path(handle.name)
            pending.append((temporary, final))
            with handle:
                produced = content()
                handle.write(produced.encode("utf-8") if isinstance(produced, str) else produced)
            os.chmod(temporary, 0o666 & ~current_umask())  # temp files are private; the build is not
        for temporary, final in pending:
            os.replace(temporary, final)
    except OSError as error:
        raise UsageError(f"{out_dir}: cannot write the build: {error.strerror or error}") from None
    finally:
        for temporary, _ in pending:
            temporary.unlink(missing_ok=True)
    return [final for _, final in pending]
