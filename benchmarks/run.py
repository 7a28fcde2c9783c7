"""Run the benchmarks and write their tables into benchmarks/README.md, with the machine and versions they ran on.

Usage: python benchmarks/run.py [--only startup page serve union scale] [--quick] [--dry-run]

Each benchmark script prints markdown tables on stdout; this script runs them
one after another (in one go, so that their figures compare like with like on a
shared machine) and replaces what stands between its markers in
benchmarks/README.md (and in the project's README, where it repeats a table)::

    <!-- table: startup -->
    …
    <!-- end table -->

The text around the markers (what the numbers say) is written by hand and left
as it is. ``--quick`` runs smaller sizes (for trying the script, not for the
README's figures); ``--dry-run`` prints the tables instead of writing the file.
The "Machine" block records the date, the CPU, the memory and the versions of
Python and of the libraries measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
PROJECT_README = HERE.parent / "README.md"
DOCS_SPEED = HERE.parent / "docs" / "speed.md"
PYTHON = sys.executable
# Each benchmark: its command, and a quicker one for trying the script.
BENCHMARKS = {
    "startup": (["startup.py", "--runs", "7"], ["startup.py", "--runs", "2"]),
    "page": (["page.py", "--sizes", "1000", "5000", "20000"], ["page.py", "--sizes", "1000"]),
    "serve": (["serve.py", "--seconds", "10"], ["serve.py", "--seconds", "2"]),
    "union": (["union.py", "--size", "1000000"], ["union.py", "--size", "20000"]),
    "scale": (["scale.py"], ["scale.py", "--sizes", "10000"]),
}
PACKAGES = ("rdflib", "pyoxigraph", "pyshacl", "networkx", "pyvis", "typer", "starlette", "uvicorn", "httptools", "uvloop",
            "playwright")
_BLOCK = re.compile(r"(<!-- table: (?P<name>[\w-]+) -->\n).*?(\n<!-- end table -->)", re.S)


def machine() -> str:
    """The machine and versions, as a markdown list."""
    memory = ""
    try:
        total = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        memory = f", {int(total.split()[1]) / 1024 ** 2:.0f} GiB"
    except (OSError, StopIteration):
        pass
    chromium = ""
    try:
        chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True,
                                  timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        chromium = "not found"
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return "\n".join([
        f"- date: {dt.date.today().isoformat()}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores{memory}, {platform.platform()}",
        f"- Python {platform.python_version()}; {', '.join(versions)}",
        f"- browser: {chromium}",
    ])


def splice(text: str, tables: dict[str, str], every: bool = True) -> str:
    """``text`` with the block between each named marker pair replaced. With ``every``, a table whose marker is
    missing from the text is an error, so that a table is never silently left out of date."""
    found = {match["name"] for match in _BLOCK.finditer(text)}
    missing = sorted(set(tables) - found)
    if missing and every:
        raise SystemExit(f"benchmarks/README.md has no '<!-- table: {missing[0]} -->' … '<!-- end table -->' block")
    return _BLOCK.sub(lambda m: m.group(1) + tables[m["name"]].strip() + m.group(3) if m["name"] in tables
                      else m.group(0), text)


def run(name: str, quick: bool) -> str:
    full, short = BENCHMARKS[name]
    command = [PYTHON, str(HERE / (short if quick else full)[0]), *(short if quick else full)[1:]]
    print(f"running {name}: {' '.join(command[1:])}", file=sys.stderr, flush=True)
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), default=list(BENCHMARKS))
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for trying the script")
    parser.add_argument("--dry-run", action="store_true", help="print the tables; leave the README alone")
    args = parser.parse_args()
    tables = {"machine": machine()} | {name: run(name, args.quick) for name in args.only}
    if args.dry_run:
        for name, table in tables.items():
            print(f"## {name}\n\n{table.strip()}\n")
        return
    # benchmarks/README.md holds every table; the project's README and the docs' speed page repeat some of them
    # between the same markers.
    for path, every in ((README, True), (PROJECT_README, False), (DOCS_SPEED, False)):
        updated = splice(path.read_text(encoding="utf-8"), tables, every)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".md") as out:
            out.write(updated)
        os.replace(out.name, path)
    print(f"wrote {README}, {PROJECT_README} and {DOCS_SPEED} ({', '.join(tables)})", file=sys.stderr)


if __name__ == "__main__":
    main()
