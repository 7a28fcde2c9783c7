"""Pages the documentation site generates at build time (mkdocs-gen-files), so that they cannot drift from what
they describe: the query catalogue from the ``.rq`` headers, and the benchmark tables from benchmarks/README.md."""

from __future__ import annotations

import re
from pathlib import Path

import mkdocs_gen_files

from kg.query import query_catalogue
from kg.query_docs import catalogue_page

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

INTRODUCTION = """Every named query in `queries/`, as `kg queries` lists them: what each answers, its parameters, the
columns it returns, the command that runs it with its defaults, and its SPARQL.

""" + (HERE / "queries-intro.txt").read_text(encoding="utf-8")

with mkdocs_gen_files.open("queries.md", "w") as page:
    page.write(catalogue_page(query_catalogue(), INTRODUCTION))

benchmarks = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
# Its links point at files beside it in the repository, which the site does not hold: keep their text.
benchmarks = re.sub(r"\[([^\]]+)\]\((?!https?:|#)[^)]+\)", r"\1", benchmarks)
with mkdocs_gen_files.open("benchmarks.md", "w") as page:
    page.write(benchmarks)

import click  # noqa: E402
import typer.cli  # noqa: E402
import typer.main  # noqa: E402

import kg  # noqa: E402 - the exports are what the API page documents
from kg.cli import app  # noqa: E402

# typer's own Markdown for a click app (what `typer MODULE utils docs` prints), made in-process so a failure fails
command = typer.main.get_command(app)
with mkdocs_gen_files.open("cli-reference.md", "w") as page:
    page.write(typer.cli.get_docs_for_click(obj=command, ctx=click.Context(command, info_name="kg"), name="kg",
                                            title="Command reference"))

API_INTRODUCTION = """# API reference

Every name `import kg` gives, documented from its docstring (the prose guide is [Python API](python.md)).
They are imported on first use, so `import kg` stays fast.

"""
with mkdocs_gen_files.open("api.md", "w") as page:
    page.write(API_INTRODUCTION)
    for name in sorted(kg._EXPORTS, key=str.lower):
        page.write(f"::: {kg._EXPORTS[name]}.{name}\n\n")
    page.write("## Errors\n\n::: kg.errors\n    options:\n      show_root_heading: false\n      heading_level: 3\n")
