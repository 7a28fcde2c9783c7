"""Set semantics on Oxigraph: two ways to make the default graph the union of the named graphs, each triple once.

Usage: python benchmarks/union.py [--size 1000000]

- "union mode": pyoxigraph's ``use_default_graph_as_union=True``. Fast, but a
  triple held by three source graphs is seen three times, so every COUNT is
  off; the fix a query author would reach for is ``SELECT DISTINCT`` in a
  subquery, measured here as "union mode + DISTINCT".
- "materialised" (what ``kg.store`` does): each triple added to a named graph
  is also added to the default graph, where the store keeps it once; queries
  read the plain default graph.

For the shipped data plus the synthetic franchise data (``synthetic.py``) at
``--size`` quads, each in a fresh in-memory store: load time, peak memory, and
the median of three runs of each query. Printed as a markdown table with the
ratio to union mode.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

PREFIXES = ("PREFIX schema: <https://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "PREFIX famv: <https://w3id.org/fam-kg/vocab#> ")
PATTERNS = {
    "count triples": "?s ?p ?o",
    "roles' actors' labels": "?role a schema:PerformanceRole ; schema:actor ?a . ?a rdfs:label ?l",
    "labels": "?s rdfs:label ?l",
}
QUERIES = {name: f"{PREFIXES}SELECT (COUNT(*) AS ?n) WHERE {{ {body} }}" for name, body in PATTERNS.items()}
DISTINCT = {name: f"{PREFIXES}SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT * WHERE {{ {body} }} }}"
            for name, body in PATTERNS.items()}


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(run, repeats: int = 3) -> tuple[float, str]:
    times, answer = [], ""
    for _ in range(repeats):
        start = time.perf_counter()
        answer = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()
    import pyoxigraph as ox

    import kg
    from kg.datafolder import data_files
    from kg.shipped import default_data_dir

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.nq"
        synthetic.write(args.size, path)
        rows = []
        # Union mode: the named graphs only, as oxigraph loads them.
        start = time.perf_counter()
        plain = ox.Store()
        for data_file in [*data_files(default_data_dir()), path]:
            fmt = ox.RdfFormat.from_extension(data_file.suffix[1:])
            graph = {} if fmt == ox.RdfFormat.N_QUADS else {
                "to_graph": ox.NamedNode(f"https://w3id.org/fam-kg/graph/{data_file.stem}")}
            plain.bulk_load(path=str(data_file), format=fmt, **graph)
        rows.append(("union mode", time.perf_counter() - start, peak_mib(), {
            name: timed(lambda q=q: str(next(iter(plain.query(q, use_default_graph_as_union=True)))[0]))
            for name, q in QUERIES.items()}))
        rows.append(("union mode + DISTINCT", 0.0, peak_mib(), {
            name: timed(lambda q=q: str(next(iter(plain.query(q, use_default_graph_as_union=True)))[0]))
            for name, q in DISTINCT.items()}))
        # Materialised: kg.load's Oxigraph store (the union kept in the default graph).
        start = time.perf_counter()
        dataset = kg.load(data=[path], store="oxigraph")
        rows.append(("materialised (kg.store)", time.perf_counter() - start, peak_mib(), {
            name: timed(lambda q=q: str(next(iter(dataset.oxigraph.query(q)))[0])) for name, q in QUERIES.items()}))
    base = rows[0][3]
    print("| approach | load (s) | peak RSS (MiB) | " + " | ".join(f"{n} (s) | answer | × union mode" for n in QUERIES) + " |")
    print("|---|---|---|" + "---|---|---|" * len(QUERIES))
    for approach, load, peak, measured in rows:
        cells = []
        for name in QUERIES:
            seconds, answer = measured[name]
            cells.append(f"{seconds:.3f} | {answer.split('^^')[0]} | {seconds / base[name][0]:.2f}×")
        print(f"| {approach} | {load:.2f} | {peak:,.0f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
