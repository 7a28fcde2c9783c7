"""Throughput and latency of the SPARQL endpoint (``kg.serve``) over loopback, with and without a runaway query.

Usage: python benchmarks/serve.py [--clients 8] [--seconds 10] [--workers 2] [--timeout 5] [--stores oxigraph memory]

Starts ``kg.serve.serve`` on the shipped graph in a subprocess (its own interpreter, so the clients here do not
share its GIL) on a free port, warms it up, then has ``--clients`` threads, each with a keep-alive
``httpx.Client``, send a simple query as fast as they can for ``--seconds``. Then one more client sends a
runaway query (a three-way cartesian product) while the others go on, and the table reports when and how it was
stopped and the simple queries' latency meanwhile. The peer is Oxigraph's own server (``oxigraph serve-read-only``,
from the ``oxigraph`` package) over the same quads, measured first with the same clients; it has no time limit, so
it gets no runaway query. Idle memory is the proportional set size of each server with its worker processes, after
one query. With Debian's ``wrk`` installed (``apt-get install wrk``), a second table measures the simple query with
it: a load generator in C, which the Python clients are not. Machines are shared and noisy: one run, figures to
compare. Last comes a reference, not a server to run: kg serve answering each query in the server process
itself, with no workers forked and so no time limit — the ceiling of answering in Python, and the memory of the
server process without them.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import httpx

SIMPLE_QUERY = "SELECT ?s WHERE { ?s a <https://schema.org/TVSeries> }"
RUNAWAY_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SERVER_CODE = (
    "import sys, kg, kg.serve; "
    "sys.argv[4:] and exec(sys.argv[4]); "
    "kg.serve.serve(kg.load(store=sys.argv[3]), port=0, timeout=float(sys.argv[1]), workers=int(sys.argv[2]))"
)
IN_THE_SERVER = """
import concurrent.futures, kg.serve, kg.serve_worker
def schedule_here(endpoint, function, *args, timeout=None):
    kg.serve_worker._worker_dataset = endpoint.dataset
    done = concurrent.futures.Future()
    done.set_result(function(*args))
    return done
kg.serve.SparqlEndpoint.schedule = schedule_here
"""
"""A reference, not a server to run: kg serve with each task of its workers (the warm-up, each query) done in the
server process itself — no worker forked, no process to cross to, and so no time limit (pyoxigraph cannot stop a
query it is evaluating). The ceiling of answering in Python."""


@dataclass
class Tally:
    """Latencies (seconds) of answered requests, and how many failed, from every client thread."""

    latencies: list[float] = field(default_factory=list)
    started_at: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def start_server(timeout: float, workers: int, store: str = "oxigraph", in_the_server: bool = False
                 ) -> tuple[subprocess.Popen, str]:
    """The endpoint in a subprocess, and its /sparql URL (read from the line ``serve`` prints); with
    ``in_the_server``, the reference that answers in the server process (:data:`IN_THE_SERVER`)."""
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER_CODE, str(timeout), str(workers), store, *([IN_THE_SERVER] * in_the_server)],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    match = re.search(r"http://\S+/sparql", line)
    if not match:
        process.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    return process, match.group(0)


def hammer(url: str, deadline: float, tally: Tally) -> None:
    """Send the simple query back to back on one keep-alive connection until ``deadline``."""
    with httpx.Client(timeout=60) as client:
        while (sent := time.perf_counter()) < deadline:
            try:
                response = client.get(url, params={"query": SIMPLE_QUERY})
                ok = response.status_code == 200 and '"bindings"' in response.text
            except httpx.HTTPError:
                ok = False
            elapsed = time.perf_counter() - sent
            with tally.lock:
                if ok:
                    tally.latencies.append(elapsed)
                    tally.started_at.append(sent)
                else:
                    tally.errors += 1


def run_clients(url: str, clients: int, seconds: float) -> Tally:
    tally = Tally()
    deadline = time.perf_counter() + seconds
    threads = [threading.Thread(target=hammer, args=(url, deadline, tally)) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def row(label: str, phase: str, tally: Tally, seconds: float, peer: float, memory: str) -> str:
    answered = len(tally.latencies)
    p50 = percentile(tally.latencies, 0.50) * 1000 if answered else float("nan")
    p99 = percentile(tally.latencies, 0.99) * 1000 if answered else float("nan")
    rate = answered / seconds
    return (f"| {label} | {phase} | {rate:,.0f} | {rate / peer:.2f}× | {p50:.1f} | {p99:.1f} | {tally.errors} "
            f"| {memory} |")


def start_oxigraph_server() -> tuple[subprocess.Popen, str, Path]:
    """Oxigraph's own server (the ``oxigraph`` package's CLI) over the same quads as kg's store holds: the named
    graphs and, in the default graph, their union, each triple once (kg.store materialises it so)."""
    import tempfile

    import kg
    import pyoxigraph

    folder = Path(tempfile.mkdtemp(prefix="kg-bench-oxigraph-"))
    dump = folder / "graph.nq"
    kg.load().oxigraph.dump(str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
    binary = str(Path(sys.executable).with_name("oxigraph"))
    subprocess.run([binary, "load", "--location", str(folder / "store"), "--file", str(dump)], check=True,
                   capture_output=True)
    port = free_port()
    process = subprocess.Popen([binary, "serve-read-only", "--location", str(folder / "store"), "--bind",
                                f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=1)
            return process, url, folder
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("oxigraph serve did not start")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def idle_pss_mib(pid: int) -> float:
    """Proportional set size of a server and its child processes, kg's query workers, in MiB."""
    import psutil

    process = psutil.Process(pid)
    return sum(p.memory_full_info().pss for p in (process, *process.children(recursive=True))) / 2 ** 20


@dataclass
class Measured:
    label: str
    steady: Tally
    idle_mib: float
    during: Tally | None = None
    runaway: dict | None = None
    wrk: dict | None = None


WRK_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
WRK_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
WRK_ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)|Socket errors: connect (\d+), read (\d+), write (\d+), "
                        r"timeout (\d+)")


WRK_SCRIPT = """
local paths = {%(paths)s}
local distinct = %(distinct)s
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local turn = 0
wrk.headers["Accept"] = "application/sparql-results+json"
request = function()
  turn = turn + 1
  local path = paths[(turn - 1) %% #paths + 1]
  if distinct then path = path .. "%%0A%%23%%20" .. id .. "-" .. turn end
  return wrk.format("GET", path)
end
"""


def wrk(url: str, queries: list[str], distinct: bool, connections: int, seconds: float) -> dict | None:
    """Requests per second and latency percentiles from wrk (Debian's ``wrk``), a load generator in C, sending
    ``queries`` in turn; with ``distinct``, each request's text made new by a comment (so that nothing can be
    answered from memory). Python clients cap what they can measure at about a thousand requests a second here."""
    binary = shutil.which("wrk")
    if binary is None:
        return None
    path = httpx.URL(url).path
    paths = ", ".join(f'"{path}?query={urllib.parse.quote(query, safe="")}"' for query in queries)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": paths, "distinct": "true" if distinct else "false"})
    try:
        done = subprocess.run([binary, "-t", "2", "-c", str(connections), "-d", f"{seconds:g}s", "--latency",
                               "-s", script.name, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = {int(p): float(v) * scale[unit] for p, v, unit in WRK_LATENCY.findall(done)}
    errors = sum(int(n) for match in WRK_ERRORS.findall(done) for n in match if n)
    return {"rate": float(WRK_RATE.search(done).group(1)), "p50": latency[50], "p99": latency[99], "errors": errors}


def named_queries() -> list[str]:
    """The named SELECT queries with their example parameters written in, as any server can take them."""
    import kg
    from kg.binding import bind_params, inline_bindings
    from kg.query import query_form
    from scale import example_params

    dataset = kg.load()
    texts = []
    for query in kg.query_catalogue().values():
        if query_form(query.text) == "SELECT":
            text = inline_bindings(query.text, bind_params(dataset, query, example_params(query)))
            # The values are written in: the header's parameters, which kg serve would bind, go.
            texts.append("\n".join(line for line in text.splitlines() if not PARAM_LINE.match(line)))
    return texts


PARAM_LINE = re.compile(r"^#\s*param\s*:")


IN_THE_SERVER_LABEL = "reference: kg's answers in the server process, no workers, no time limit"
WORKLOADS = ("simple query, repeated", "simple query, each one new", "named queries in turn, repeated",
             "named queries, each one new")


def measure(label: str, server: subprocess.Popen, url: str, options, runaway_too: bool) -> Measured:
    httpx.get(url, params={"query": SIMPLE_QUERY}, timeout=10)
    time.sleep(1)
    idle = idle_pss_mib(server.pid)
    run_clients(url, options.clients, 2.0)  # warm-up: connections, imports, caches
    measured = Measured(label, run_clients(url, options.clients, options.seconds), idle)
    simple, named = [SIMPLE_QUERY], options.named
    measured.wrk = {workload: wrk(url, queries, distinct, options.clients, options.wrk_seconds)
                    for workload, queries, distinct in zip(WORKLOADS, (simple, simple, named, named),
                                                           (False, True, False, True), strict=True)}
    if not runaway_too:
        return measured
    runaway: dict = {}

    def send_runaway() -> None:
        started = time.perf_counter()
        with httpx.Client(timeout=options.timeout + 30) as client:
            response = client.get(url, params={"query": RUNAWAY_QUERY})
        runaway.update(status=response.status_code, seconds=time.perf_counter() - started, started=started)
        runaway["message"] = response.text.strip()

    runaway_thread = threading.Thread(target=send_runaway)
    runaway_thread.start()
    during = run_clients(url, options.clients, options.timeout + 2.0)
    runaway_thread.join()
    while_running = Tally(errors=during.errors)
    ended = runaway["started"] + runaway["seconds"]
    for sent, latency in zip(during.started_at, during.latencies, strict=True):
        if runaway["started"] <= sent and sent + latency <= ended:
            while_running.latencies.append(latency)
    runaway["after"] = httpx.get(url, params={"query": SIMPLE_QUERY}, timeout=10).status_code
    measured.during, measured.runaway = while_running, runaway
    return measured


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's per-query time limit")
    parser.add_argument("--stores", nargs="+", choices=("memory", "oxigraph"), default=["oxigraph", "memory"],
                        help="kg.load's stores to serve, one after the other")
    parser.add_argument("--wrk-seconds", type=float, default=5.0, help="how long each wrk workload runs")
    options = parser.parse_args()
    options.named = named_queries()

    results: list[Measured] = []
    server, url, folder = start_oxigraph_server()
    try:
        results.append(measure("`oxigraph serve-read-only` (the peer)", server, url, options, runaway_too=False))
    finally:
        stop(server)
        shutil.rmtree(folder, ignore_errors=True)
    for store in options.stores:
        server, url = start_server(options.timeout, options.workers, store)
        try:
            results.append(measure(f"`kg serve`, {store} store", server, url, options, runaway_too=True))
        finally:
            stop(server)
    if "oxigraph" in options.stores:
        server, url = start_server(options.timeout, options.workers, "oxigraph", in_the_server=True)
        try:
            results.append(measure(IN_THE_SERVER_LABEL, server, url, options, runaway_too=False))
        finally:
            stop(server)

    peer = len(results[0].steady.latencies) / options.seconds
    print("| server | phase | requests/s | × peer | p50 (ms) | p99 (ms) | errors | idle PSS (MiB) | × peer |")
    print("|---|---|---|---|---|---|---|---|---|")
    for result in results:
        print(row(result.label, f"simple queries, {options.seconds:g} s", result.steady, options.seconds, peer,
                  f"{result.idle_mib:.0f} | {result.idle_mib / results[0].idle_mib:.2f}×"))
        if result.during is not None:
            print(row(result.label, "while a runaway query ran", result.during, result.runaway["seconds"], peer,
                      "— | —"))
    if shutil.which("wrk"):
        print(f"\nThe same servers, by wrk ({options.clients} connections, 2 threads, {options.wrk_seconds:g} s each; "
              f"{len(options.named)} named SELECT queries with their example parameters written in):\n")
        print("| server | workload | requests/s | × peer | p50 (ms) | p99 (ms) | errors |")
        print("|---|---|---|---|---|---|---|")
        for workload in WORKLOADS:
            peer = results[0].wrk[workload]["rate"]
            for result in results:
                w = result.wrk[workload]
                print(f"| {result.label} | {workload} | {w['rate']:,.0f} | {w['rate'] / peer:.2f}× | {w['p50']:.2f} "
                      f"| {w['p99']:.2f} | {w['errors']} |")
    print()
    for result in results[1:]:
        runaway = result.runaway
        if runaway is None:
            continue
        print(f"- {result.label}: the runaway query was answered HTTP {runaway['status']} after "
              f"{runaway['seconds']:.2f} s (time limit {options.timeout:g} s), {runaway['message']!r}; "
              f"the next simple query got HTTP {runaway['after']}.")
    print(f"- {options.clients} client threads (httpx, keep-alive) in one process, `{SIMPLE_QUERY}`; kg serve with "
          f"{options.workers} workers.")


if __name__ == "__main__":
    main()
