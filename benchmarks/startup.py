"""Time `kg` start-up and main commands against `python -c "import rdflib"`, in one run.

Usage: python benchmarks/startup.py [--runs N]

Each command runs N times (default 5) in a fresh process; the table gives the
median wall time and its ratio to importing rdflib, the floor any command that
touches the graph pays. Machines are shared and noisy: compare ratios, not
seconds. The load cache (kg.compiled) is a fresh folder of this run's, written
by each command's unmeasured first run, as a user's is by their first command.
A plain command asked again prints its kept answer (kg.kept_answers) without
loading the graph; the rows marked "answer not kept" forget the kept answers
(not the load cache) before each run, as a command asked for the first time of
unchanged data is; the rows marked "cache off" run with it off (nothing
remembered: no load cache, no kept answer or projection, no remembered
validation, no kept build).
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


def forget_answers() -> None:
    for kept in Path(ENVIRONMENT["KG_CACHE_DIR"]).glob("answer-*.pickle"):
        kept.unlink()


def median_seconds(command: list[str], runs: int, forget: bool = False) -> float:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENVIRONMENT)
    times = []
    for _ in range(runs):
        if forget:
            forget_answers()
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
        off = ["env", "KG_CACHE_DIR=off"]
        plain = {
            "kg query cast": [KG, "query", "cast"],
            'kg describe "Rhys Ifans"': [KG, "describe", "Rhys Ifans"],
            'kg path "Rhys Ifans" "Neil Armstrong"': [KG, "path", "Rhys Ifans", "Neil Armstrong"],
            "kg sources": [KG, "sources"],
        }
        commands: dict[str, tuple[list[str], bool]] = {
            'python -c "import rdflib"': ([PYTHON, "-c", "import rdflib"], False),
            "kg --help": ([KG, "--help"], False),
        }
        for label, command in plain.items():
            commands[label] = (command, False)
            commands[f"{label}, answer not kept"] = (command, True)
        commands |= {
            "kg query cast, cache off": ([*off, KG, "query", "cast"], False),
            'kg path "Rhys Ifans" "Neil Armstrong", cache off': ([*off, *plain['kg path "Rhys Ifans" "Neil Armstrong"']],
                                                                 False),
            "kg --store memory query cast": ([KG, "--store", "memory", "query", "cast"], False),
            "kg validate": ([KG, "validate"], False),
            "kg validate, cache off": ([*off, KG, "validate"], False),
            "kg build": ([KG, "build", "--out-dir", str(out)], False),
            "kg build, cache off": ([*off, KG, "build", "--out-dir", str(out)], False),
        }
        results = {label: median_seconds(cmd, runs, forget) for label, (cmd, forget) in commands.items()}
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
