"""The named queries written up in Markdown: the table ``kg queries --markdown`` prints, and the query catalogue
page of the documentation site (``docs/gen_pages.py``), both read from the ``.rq`` headers."""

from __future__ import annotations

from collections.abc import Mapping

from kg.query import NamedQuery


def catalogue_table(catalogue: Mapping[str, NamedQuery], linked: bool = False) -> str:
    """One row a query: its name (``linked`` to its section of the catalogue page), what it answers, its parameters
    with their kinds and defaults."""
    lines = ["| query | what it answers | parameters |", "|---|---|---|"]
    for name, query in catalogue.items():
        params = ", ".join(
            f"`{p.name}` ({p.kind}" + (f", default {p.default})" if p.default else ")") for p in query.params
        )
        shown = f"[`{name}`](#{name})" if linked else f"`{name}`"
        lines.append(f"| {shown} | {query.title}: {query.description} | {params or '–'} |")
    return "\n".join(lines) + "\n"


def catalogue_page(catalogue: Mapping[str, NamedQuery], introduction: str) -> str:
    """The whole catalogue: the table, then each query with its parameters, columns, the command that runs it and
    its SPARQL text."""
    sections = ["# Query catalogue\n", introduction.strip() + "\n", catalogue_table(catalogue, linked=True)]
    for name, query in catalogue.items():
        sections.append(f'## {query.title or name} {{ #{name} }}\n')
        if query.description:
            sections.append(query.description + "\n")
        if query.params:
            sections.append("Parameters:\n\n" + "\n".join(
                f"- `{p.name}` ({p.kind}{', default ' + p.default if p.default else ''})"
                f"{': ' + p.description if p.description else ''}" for p in query.params) + "\n")
        if query.columns:
            sections.append("Columns: " + ", ".join(f"`{column}`" for column in query.columns) + "\n")
        example = " ".join([f"kg query {name}", *(f'-p {p.name}="{p.default}"' for p in query.params if p.default)])
        sections.append(f"```console\n$ {example}\n```\n")
        sections.append(f"```sparql\n{query.text.rstrip()}\n```\n")
    return "\n".join(sections)
