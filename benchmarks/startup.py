"""Time `kg` start-up and main commands against `python -c "import rdflib"`, in one run.

Usage: python benchmarks/startup.py [--runs N]

Each command runs N times (default 5) in a fresh process; the table gives the
median wall time and its ratio to importing rdflib, the floor any command that
touches the graph pays. Machines are shared and noisy: compare ratios, not
seconds. The load cache (kg.compiled) is a fresh folder of this run's, written
by each command's unmeasured first run, as a user's is by their first command;
the rows marked "cache off" run with it off (nothing remembered:
no load cache, no remembered validation, no kept build).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
KG = str(Path(PYTHON).with_name("kg"))


# As a user's machine runs them: with compiled bytecode cached (some sandboxes set PYTHONDONTWRITEBYTECODE, which
# makes every start compile every module again); one unmeasured run first writes the cache.
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENVIRONMENT["KG_CACHE_DIR"] = tempfile.mkdtemp(prefix="kg-bench-cache-")


def median_seconds(command: list[str], runs: int) -> float:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENVIRONMENT)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENVIRONMENT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    out = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        commands = {
            'python -c "import rdflib"': [PYTHON, "-c", "import rdflib"],
            "kg --help": [KG, "--help"],
            "kg query cast": [KG, "query", "cast"],
            "kg query cast, cache off": ["env", "KG_CACHE_DIR=off", KG, "query", "cast"],
            "kg --store memory query cast": [KG, "--store", "memory", "query", "cast"],
            'kg describe "Rhys Ifans"': [KG, "describe", "Rhys Ifans"],
            'kg path "Rhys Ifans" "Neil Armstrong"': [KG, "path", "Rhys Ifans", "Neil Armstrong"],
            "kg sources": [KG, "sources"],
            "kg validate": [KG, "validate"],
            "kg validate, cache off": ["env", "KG_CACHE_DIR=off", KG, "validate"],
            "kg build": [KG, "build", "--out-dir", str(out)],
            "kg build, cache off": ["env", "KG_CACHE_DIR=off", KG, "build", "--out-dir", str(out)],
        }
        results = {label: median_seconds(cmd, runs) for label, cmd in commands.items()}
    finally:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(ENVIRONMENT["KG_CACHE_DIR"], ignore_errors=True)
    floor = results['python -c "import rdflib"']
    print(f"| command | median of {runs} (s) | × import rdflib |")
    print("|---|---|---|")
    for label, seconds in results.items():
        print(f"| `{label}` | {seconds:.3f} | {seconds / floor:.2f} |")


if __name__ == "__main__":
    main()
