"""Scale: the shipped graph plus synthetic franchise-shaped data at 10k, 100k and 1M triples, per store.

Usage: python benchmarks/scale.py [--sizes 10000 100000 1000000] [--stores memory oxigraph] [--limit 60]

For each store and size, a fresh process loads the shipped data plus the
synthetic file (``benchmarks/synthetic.py``), then runs every named query
(with its example parameters) and two transitive-path queries, then projects
the graph to networkx. Reported: load time, peak memory (RSS) after loading
and at the end, each query's time, the whole library's time, the projection's
time. On Oxigraph, each query is also timed on Oxigraph alone: the SPARQL texts
kg sent it for that query, evaluated again by pyoxigraph with the answer
written as TSV and thrown away — the floor for anything that reads the answer
in Python. A query that takes longer than ``--limit`` seconds is stopped and shown
as "> limit"; one that fails shows its error. Printed as markdown tables with
the ratio oxigraph / rdflib, and how each cost grows with the data: the
exponent k of time ∝ triples^k between one size and the next (1 is linear,
above 1 faster than the data). Everything runs in one go, so the ratios compare
like with like on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

TRANSITIVE = {
    "spinoff-ancestry (+)": """PREFIX famv: <https://w3id.org/fam-kg/vocab#>
SELECT (COUNT(*) AS ?pairs) WHERE { ?show famv:spinoffOf+ ?ancestor }""",
    # ?start is bound to the bottom of the synthetic chain of places (see LEAF_PLACE).
    "containment chain (+)": """PREFIX schema: <https://schema.org/>
SELECT (COUNT(?container) AS ?above) WHERE { ?start schema:containedInPlace+ ?container }""",
}


LEAF_PLACE = """PREFIX schema: <https://schema.org/>
SELECT ?start WHERE {
  ?start schema:containedInPlace ?up .
  FILTER (REGEX(STR(?start), "/place/p[0-9]+$"))
  FILTER NOT EXISTS { ?below schema:containedInPlace ?start }
}
ORDER BY DESC(STRLEN(STR(?start))) DESC(STR(?start)) LIMIT 1"""


class Recorder:
    """A pyoxigraph store that notes each SPARQL text (and its options) kg sends it."""

    def __init__(self, store) -> None:
        self.store, self.sent = store, []

    def query(self, text: str, **options):
        self.sent.append((text, options))
        return self.store.query(text, **options)

    def __getattr__(self, name: str):
        return getattr(self.store, name)

    def __len__(self) -> int:
        return len(self.store)


class Discarded:
    """A sink for pyoxigraph's serialisers that keeps nothing."""

    def write(self, chunk) -> int:
        return len(chunk)

    def flush(self) -> None:
        pass


def oxigraph_alone(store, sent: list[tuple[str, dict]]) -> float:
    """Seconds for pyoxigraph to evaluate ``sent`` again and write each answer (TSV for solutions) to nowhere."""
    import pyoxigraph as ox

    start = time.perf_counter()
    for text, options in sent:
        found = store.query(text, **options)
        if isinstance(found, ox.QuerySolutions):
            found.serialize(Discarded(), format=ox.QueryResultsFormat.TSV)
        elif isinstance(found, ox.QueryTriples):
            for _ in found:
                pass
    return time.perf_counter() - start


def worker(store: str, path: str, limit: float) -> None:
    """Runs in its own process: load, query, project; prints one JSON line per measurement."""
    import resource
    import signal

    import kg
    from kg.network import project

    def emit(**fields) -> None:
        print(json.dumps(fields), flush=True)

    def peak_mib() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    class TimeLimit(Exception):
        pass

    def stop(*_):
        raise TimeLimit

    signal.signal(signal.SIGALRM, stop)
    start = time.perf_counter()
    dataset = kg.load(data=[path], store=store)
    seconds, peak = time.perf_counter() - start, peak_mib()
    emit(kind="load", seconds=seconds, peak=peak, triples=len(dataset))  # counting distinct triples costs memory too
    queries = {name: (query, example_params(query)) for name, query in kg.query_catalogue().items()}
    leaf = kg.run_query(dataset, LEAF_PLACE).rows[0][0]
    recorder = None
    if dataset.oxigraph is not None:
        recorder = dataset.oxigraph = Recorder(dataset.oxigraph)
    queries.update({name: (kg.NamedQuery.from_text(text, name), {"start": leaf} if "?start" in text else {})
                    for name, text in TRANSITIVE.items()})
    for name, (query, params) in queries.items():
        signal.setitimer(signal.ITIMER_REAL, limit)
        start = time.perf_counter()
        try:
            if recorder is not None:
                recorder.sent.clear()
            rows = len(kg.run_query(dataset, query, params).rows)
            fields = {"seconds": time.perf_counter() - start, "rows": rows}
            if recorder is not None:  # under a time limit of its own: kg's query has finished, whatever this does
                signal.setitimer(signal.ITIMER_REAL, limit)
                try:
                    fields["alone"] = oxigraph_alone(recorder.store, recorder.sent)
                except TimeLimit:
                    fields["alone"] = None
            emit(kind="query", name=name, **fields)
        except TimeLimit:
            emit(kind="query", name=name, seconds=None, error=f"> {limit:g} s")
        except RecursionError:
            emit(kind="query", name=name, seconds=None, error="RecursionError")
        except Exception as error:  # noqa: BLE001 - reported in the table
            emit(kind="query", name=name, seconds=None, error=type(error).__name__)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    signal.setitimer(signal.ITIMER_REAL, limit * 5)
    start = time.perf_counter()
    try:
        graph = project(dataset)
        emit(kind="project", seconds=time.perf_counter() - start, nodes=graph.number_of_nodes())
    except TimeLimit:
        emit(kind="project", seconds=None, error=f"> {limit * 5:g} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    emit(kind="end", peak=peak_mib())


def example_params(query) -> dict[str, str]:
    """A named query's example parameters: its defaults, and a source for the queries that need one."""
    params = {p.name: p.default for p in query.params if p.default is None}
    if "source" in params:
        params["source"] = "source/popculture-2025-02-14"
    return params


def measure(store: str, path: Path, limit: float) -> dict:
    """Run the worker for one store and file; returns what it printed, collected."""
    command = [sys.executable, __file__, "--worker", store, str(path), "--limit", str(limit)]
    # The cache off: these rows measure parsing, evaluating and projecting, not reading back what a run kept.
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env={**os.environ, "KG_CACHE_DIR": "off"})
    result: dict = {"queries": {}}
    for line in done.stdout.splitlines():
        fields = json.loads(line)
        if fields["kind"] == "query":
            result["queries"][fields["name"]] = fields
        else:
            result[fields["kind"]] = fields
    if done.returncode:
        result["failed"] = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
    return result


def seconds(fields: dict | None) -> str:
    if not fields:
        return "—"
    return fields.get("error") or f"{fields['seconds']:.3f}"


def ratio(a: dict | None, b: dict | None) -> str:
    if not a or not b or a.get("seconds") is None or b.get("seconds") is None or not b["seconds"]:
        return "—"
    return f"{a['seconds'] / b['seconds']:.2f}×"


def library_seconds(result: dict, key: str = "seconds") -> tuple[float, int] | None:
    """The seconds (or another timing, ``key``) of the queries that finished, and how many were stopped; None if
    none has that timing."""
    if not any(key in q for q in result["queries"].values()):
        return None
    times = [q.get(key) for q in result["queries"].values()]
    return sum(t for t in times if t is not None), sum(1 for t in times if t is None)


def library_total(result: dict, key: str = "seconds") -> str:
    """The whole library's seconds (``key="alone"``: on Oxigraph alone), with how many queries were stopped."""
    found = library_seconds(result, key)
    if found is None:
        return "—"
    known, stopped = found
    return f"{known:.2f}" + (f" + {stopped} stopped" if stopped else "")


def alone(fields: dict | None) -> str:
    """A query's seconds on Oxigraph alone, or "—" where it was not measured."""
    return f"{fields['alone']:.3f}" if fields and fields.get("alone") is not None else "—"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--stores", nargs="+", default=["memory", "oxigraph"])
    parser.add_argument("--limit", type=float, default=60.0, help="seconds before a query is stopped")
    parser.add_argument("--worker", nargs=2, metavar=("STORE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1], args.limit)
        return
    results: dict[tuple[str, int], dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = Path(folder) / f"synthetic-{size}.nq"
            made = synthetic.write(size, path)
            for store in args.stores:
                print(f"… {store}, {made:,} synthetic quads", file=sys.stderr, flush=True)
                results[store, size] = measure(store, path, args.limit)
    print_tables(results, args.sizes, args.stores)


def print_tables(results: dict, sizes: list[int], stores: list[str]) -> None:
    print("| store | synthetic size | triples loaded | load (s) | peak after load (MiB) | whole library (s) "
          "| of it, Oxigraph alone (s) | projection (s) | peak at end (MiB) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        for store in stores:
            r = results[store, size]
            load = r.get("load", {})
            print(f"| {store} | {size:,} | {load.get('triples', 0):,} | {seconds(load)} | {load.get('peak', 0):,.0f} "
                  f"| {library_total(r)} | {library_total(r, 'alone')} | {seconds(r.get('project'))} "
                  f"| {r.get('end', {}).get('peak', 0):,.0f} |"
                  + (f" failed: {r['failed'][0]}" if "failed" in r else ""))
    if set(stores) >= {"memory", "oxigraph"}:
        print()
        print("Each query (seconds; ratio oxigraph / rdflib; alone: Oxigraph's own evaluation of what kg sent it):")
        print()
        print("| query | " + " | ".join(f"rdflib {s:,} | oxigraph {s:,} | ratio | alone {s:,}" for s in sizes) + " |")
        print("|---|" + "---|---|---|---|" * len(sizes))
        names = list(results["oxigraph", sizes[0]]["queries"])
        for name in names:
            cells = []
            for size in sizes:
                a = results["oxigraph", size]["queries"].get(name)
                b = results["memory", size]["queries"].get(name)
                cells += [seconds(b), seconds(a), ratio(a, b), alone(a)]
            print(f"| {name} | " + " | ".join(cells) + " |")
    else:
        print()
        print("Each query (seconds):")
        print()
        columns = [(store, size) for size in sizes for store in stores]
        print("| query | " + " | ".join(f"{store} {size:,}" + (f" | alone {size:,}" if store == "oxigraph" else "")
                                         for store, size in columns) + " |")
        print("|---|" + "".join("---|---|" if store == "oxigraph" else "---|" for store, _ in columns))
        for name in results[columns[0]]["queries"]:
            cells = []
            for column in columns:
                fields = results[column]["queries"].get(name)
                cells += [seconds(fields)] + ([alone(fields)] if column[0] == "oxigraph" else [])
            print(f"| {name} | " + " | ".join(cells) + " |")
    if len(sizes) > 1:
        print_growth(results, sizes, stores)


GROWING_FASTER = 1.2  # an exponent above this, from the last size but one to the last, is listed
NOTICEABLE = 0.1  # seconds at the largest size: below it a query's exponent is mostly noise


def exponent(small: tuple[int, float | None], large: tuple[int, float | None]) -> float | None:
    """k in cost ∝ triples^k from one (triples, cost) to another; None if either cost is missing."""
    (n1, c1), (n2, c2) = small, large
    if not c1 or not c2 or not n1 or not n2 or n2 <= n1:
        return None
    return math.log(c2 / c1) / math.log(n2 / n1)


def print_growth(results: dict, sizes: list[int], stores: list[str]) -> None:
    """How load, library, projection and memory grow from one size to the next, and the queries that grow faster
    than the data on Oxigraph."""
    def measured(kind: str, key: str):
        return lambda store, size: results[store, size].get(kind, {}).get(key)

    def library(store, size) -> float | None:
        found = library_seconds(results[store, size])
        return found[0] if found and not found[1] else None

    triples = measured("load", "triples")
    costs = {
        "load (s)": measured("load", "seconds"),
        "whole library (s)": library,
        "projection (s)": measured("project", "seconds"),
        "peak at end (MiB)": measured("end", "peak"),
    }
    steps = list(zip(sizes, sizes[1:]))
    print()
    print("How each cost grows with the data (k in cost ∝ triples^k; 1 is linear, \"—\" where a query was stopped):")
    print()
    print("| store | cost | " + " | ".join(f"{a:,} → {b:,}" for a, b in steps) + " |")
    print("|---|---|" + "---|" * len(steps))
    for store in stores:
        for label, cost in costs.items():
            cells = []
            for a, b in steps:
                k = exponent((triples(store, a), cost(store, a)), (triples(store, b), cost(store, b)))
                cells.append("—" if k is None else f"{k:.2f}")
            print(f"| {store} | {label} | " + " | ".join(cells) + " |")
    if "oxigraph" not in stores:
        return
    a, b = steps[-1]
    faster = []
    for name, fields in results["oxigraph", b]["queries"].items():
        before = results["oxigraph", a]["queries"].get(name) or {}
        k = exponent((triples("oxigraph", a), before.get("seconds")), (triples("oxigraph", b), fields.get("seconds")))
        if k is not None and k > GROWING_FASTER and fields["seconds"] >= NOTICEABLE:
            faster.append((k, name, before["seconds"], fields["seconds"]))
    print()
    print(f"Queries on Oxigraph whose time grows faster than the data from {a:,} to {b:,} "
          f"(k above {GROWING_FASTER}, at least {NOTICEABLE} s at {b:,}):")
    print()
    print(f"| query | {a:,} (s) | {b:,} (s) | k |")
    print("|---|---|---|---|")
    for k, name, before, after in sorted(faster, reverse=True):
        print(f"| {name} | {before:.3f} | {after:.3f} | {k:.2f} |")
    if not faster:
        print("| (none) | | | |")


if __name__ == "__main__":
    main()
