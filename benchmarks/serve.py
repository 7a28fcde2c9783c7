"""Throughput and latency of the SPARQL endpoint (``kg.serve``) over loopback, with and without a runaway query.

Usage: python benchmarks/serve.py [--clients 8] [--seconds 10] [--workers 2] [--timeout 5] [--store memory]

Starts ``kg.serve.serve`` on the shipped graph in a subprocess (its own interpreter, so the clients here do not
share its GIL) on a free port, warms it up, then has ``--clients`` threads, each with a keep-alive
``httpx.Client``, send a simple query as fast as they can for ``--seconds``. Then one more client sends a
runaway query (a three-way cartesian product) while the others go on, and the table reports when and how it was
stopped and the simple queries' latency meanwhile. Machines are shared and noisy: one run, figures to compare.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import httpx

SIMPLE_QUERY = "SELECT ?s WHERE { ?s a <https://schema.org/TVSeries> }"
RUNAWAY_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SERVER_CODE = (
    "import sys, kg, kg.serve; "
    "kg.serve.serve(kg.load(store=sys.argv[3]), port=0, timeout=float(sys.argv[1]), workers=int(sys.argv[2]))"
)


@dataclass
class Tally:
    """Latencies (seconds) of answered requests, and how many failed, from every client thread."""

    latencies: list[float] = field(default_factory=list)
    started_at: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def start_server(timeout: float, workers: int, store: str = "oxigraph") -> tuple[subprocess.Popen, str]:
    """The endpoint in a subprocess, and its /sparql URL (read from the line ``serve`` prints)."""
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER_CODE, str(timeout), str(workers), store],
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


def row(label: str, tally: Tally, seconds: float) -> str:
    answered = len(tally.latencies)
    p50 = percentile(tally.latencies, 0.50) * 1000 if answered else float("nan")
    p99 = percentile(tally.latencies, 0.99) * 1000 if answered else float("nan")
    return f"| {label} | {answered / seconds:,.0f} | {p50:.1f} | {p99:.1f} | {tally.errors} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's per-query time limit")
    parser.add_argument("--store", choices=("memory", "oxigraph"), default="oxigraph", help="kg.load's store")
    options = parser.parse_args()

    server, url = start_server(options.timeout, options.workers, options.store)
    try:
        run_clients(url, options.clients, 2.0)  # warm-up: connections, imports, caches

        steady = run_clients(url, options.clients, options.seconds)

        runaway: dict[str, float] = {}

        def send_runaway() -> None:
            started = time.perf_counter()
            with httpx.Client(timeout=options.timeout + 30) as client:
                response = client.get(url, params={"query": RUNAWAY_QUERY})
            runaway.update(status=response.status_code, seconds=time.perf_counter() - started, started=started)
            runaway["message"] = response.text.strip()  # type: ignore[assignment]

        runaway_thread = threading.Thread(target=send_runaway)
        runaway_thread.start()
        during_window = options.timeout + 2.0
        during = run_clients(url, options.clients, during_window)
        runaway_thread.join()

        while_running = Tally(errors=during.errors)
        ended = runaway["started"] + runaway["seconds"]
        for sent, latency in zip(during.started_at, during.latencies, strict=True):
            if runaway["started"] <= sent and sent + latency <= ended:
                while_running.latencies.append(latency)
        after_check = httpx.get(url, params={"query": SIMPLE_QUERY}, timeout=10).status_code
    finally:
        server.terminate()
        server.wait(timeout=10)

    import rdflib

    print(
        f"{os.cpu_count()} cores, Python {platform.python_version()}, rdflib {rdflib.__version__}, "
        f"{options.store} store, {options.workers} workers, {options.clients} clients, "
        f"simple query: `{SIMPLE_QUERY}`\n"
    )
    print("| phase | requests/s | p50 (ms) | p99 (ms) | errors |")
    print("|---|---|---|---|---|")
    print(row(f"simple queries, {options.seconds:g} s", steady, options.seconds))
    print(row(f"simple queries, {during_window:g} s with a runaway query", during, during_window))
    print(row("… of which while the runaway query ran", while_running, runaway["seconds"]))
    print(
        f"\nrunaway query: HTTP {runaway['status']} after {runaway['seconds']:.2f} s "
        f"(time limit {options.timeout:g} s): {runaway['message']!r}; "
        f"simple query afterwards: HTTP {after_check}"
    )
    print(
        f"simple-query latency while it ran: p50 {percentile(while_running.latencies, 0.5) * 1000:.1f} ms, "
        f"p99 {percentile(while_running.latencies, 0.99) * 1000:.1f} ms, max "
        f"{max(while_running.latencies) * 1000:.1f} ms"
        if while_running.latencies
        else "no simple query completed while the runaway query ran"
    )
    print(f"median simple-query latency, steady: {statistics.median(steady.latencies) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
