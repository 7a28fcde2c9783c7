"""The ``kg`` command: a thin layer that parses arguments, calls the library, prints.

Every library error is a :class:`~kg.errors.KgError`; it is printed as one line
(``error: …``) with its exit code: 1 for invalid data, 2 for a usage error. Text
from the data is printed as plain text, never interpreted as rich markup.
Heavy modules (rdflib, pySHACL) are imported inside the commands so that
``kg --help`` starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperOption
from rich.text import Text

from kg.cli_support import (
    AS_OF_OPTION,
    FORMAT_OPTION,
    MARKDOWN_OPTION,
    WATCHED_OPTION,
    GraphOptions,
    check_shapes,
    load_dataset,
    progress_bar,
    reports_errors,
    shown_path,
)
from kg.console import emit, err, listing_format, out, print_query_result, table

VIEW_KINDS = ("invented-event", "real-event", "historical-figure", "character", "show", "season", "work", "person",
              "organization", "place", "event")
"""What ``kg viz --classes`` takes (kg.network.KIND_NAMES, written out so that ``--help`` imports no networkx; a test
keeps the two in step)."""


def _flag_shows_no_type(display_type_rich):
    """typer draws a flag's type as ``<bool>`` in --help; a flag takes no value, so show none."""

    def shown(self, ctx):
        return None if getattr(self, "is_flag", False) and self.metavar is None else display_type_rich(self, ctx)

    return shown


TyperOption.display_type_rich = _flag_shows_no_type(TyperOption.display_type_rich)

app = typer.Typer(
    help="fam-kg: a sourced knowledge graph of For All Mankind and Star City.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def print_version(wanted: bool) -> None:
    if wanted:
        from kg.about import version

        out().print(Text(f"fam-kg {version()}"))
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    data_dir: Annotated[
        Optional[Path],
        typer.Option("--data-dir", envvar="KG_DATA_DIR", help="Folder of data files (default: the shipped data)."),
    ] = None,
    data: Annotated[
        Optional[list[Path]],
        typer.Option("--data", metavar="PATH", help="Your own data file or folder to add (repeatable): Turtle, TriG, "
                     "N-Triples, N-Quads, JSON-LD. Validated with the same shapes."),
    ] = None,
    store: Annotated[
        str, typer.Option("--store", envvar="KG_STORE", help="oxigraph (embedded, the default) or memory (rdflib's "
                          "own store); both give the same answers.")
    ] = "oxigraph",
    store_path: Annotated[
        Optional[Path],
        typer.Option("--store-path", envvar="KG_STORE_PATH", metavar="DIR",
                     help="Keep the Oxigraph store in this folder, reloaded only when the data changed."),
    ] = None,
    skip_validation: Annotated[
        bool, typer.Option("--skip-validation", help="Do not check --data files against the shapes (large files).")
    ] = False,
    show_version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=print_version, help="Print fam-kg's version and exit.")
    ] = False,
) -> None:
    """fam-kg: a sourced knowledge graph of For All Mankind and Star City."""
    ctx.obj = GraphOptions(data_dir, list(data or []), store, store_path, skip_validation)


@app.command()
@reports_errors
def validate(ctx: typer.Context) -> None:
    """Check the data against the SHACL shapes; print violations and exit 1 if any."""
    dataset = load_dataset(ctx, check_data=False)
    check_shapes(dataset, ctx.obj.data_dir, "validating")
    out().print(Text(f"✓ {len(dataset)} triples in {len(dataset.files)} files conform to the shapes", style="green"))


@app.command()
@reports_errors
def build(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out-dir", "-o", help="Where to write the build.")] = Path("build"),
) -> None:
    """Validate, then write the merged dataset as TriG, N-Quads and JSON-LD (atomically)."""
    from kg.builder import build as run_build

    with err().status("loading, validating and writing the graph…"):
        result = run_build(ctx.obj.data_dir, out_dir, **ctx.obj.load_options())
    s = result.stats
    out().print(Text(f"✓ built {s.statements} statements ({s.triples} distinct triples): "
                     f"{s.entities} entities, {len(s.claims_by_source)} sources"))
    for path in result.files:
        out().print(Text(f"  wrote {path} ({path.stat().st_size:,} bytes)"))


@app.command(name="format")
@reports_errors
def format_files(
    ctx: typer.Context,
    check: Annotated[bool, typer.Option("--check", help="Only report files not in the layout; exit 1 if any.")] = False,
) -> None:
    """Rewrite the TriG data files in the canonical layout (sorted, one block per source)."""
    from kg.datafiles import format_data
    from kg.errors import DataError
    from kg.shipped import default_data_dir

    changed = format_data(ctx.obj.data_dir or default_data_dir(), check=check)
    for path in changed:
        out().print(Text(f"{'would reformat' if check else 'reformatted'} {shown_path(path)}"))
    if check and changed:
        raise DataError(f"{len(changed)} data file(s) not in the canonical layout; run `kg format`")
    if not changed:
        out().print(Text("✓ data files are in the canonical layout", style="green"))



@app.command()
@reports_errors
def stats(
    ctx: typer.Context,
    markdown: Annotated[bool, MARKDOWN_OPTION] = False,
    network: Annotated[bool, typer.Option("--network", help="Rank entities by centrality instead.")] = False,
    top: Annotated[int, typer.Option("--top", min=1, help="How many entities --network lists.")] = 15,
    as_of: Annotated[Optional[str], AS_OF_OPTION] = None,
    watched: Annotated[Optional[list[str]], WATCHED_OPTION] = None,
    fmt: Annotated[str, FORMAT_OPTION] = "table",
) -> None:
    """Count triples, entities by class and the claims of each source (or, with --network, rank by centrality)."""
    from kg.explore import stats as count
    from kg.vocab import slug_of

    fmt = listing_format(fmt)
    if network:
        return network_stats(load_dataset(ctx, as_of, watched), top, fmt)
    s = count(load_dataset(ctx, as_of, watched))
    summary = (f"{s.entities} entities, {len(s.claims_by_source)} sources, {s.statements} statements "
               f"({s.triples} distinct triples)")
    if markdown:
        lines = [f"**{summary}** in {s.graphs} named graphs.", "", "| class | entities |", "|---|---|"]
        lines += [f"| {name} | {n} |" for name, n in s.by_class]
        lines += ["", "| source | publisher | date | claims |", "|---|---|---|---|"]
        for info, n in s.claims_by_source:
            name = slug_of(info.iri).removeprefix("source/")
            shown = f"[{name}]({info.url})" if info.url else f"{name} (local copy)"
            lines.append(f"| {shown} | {info.publisher} | {info.when} | {n} |")
        sys.stdout.write("\n".join(lines) + "\n")
        return
    if fmt == "table":
        out().print(Text(f"{summary} in {s.graphs} named graphs"))
    classes = table("class", "entities", title="Entities by class")
    for name, n in s.by_class:
        classes.add_row(Text(name), str(n))
    sources = table("source", "publisher", "date", "claims", title="Claims by source")
    for info, n in s.claims_by_source:
        sources.add_row(Text(slug_of(info.iri)), Text(info.publisher), Text(info.when), str(n))
    emit([classes, sources], fmt)


def network_stats(dataset, top: int, fmt: str = "table") -> None:
    from kg.network import centrality, communities, project

    graph = project(dataset)
    if fmt == "table":
        out().print(Text(f"{graph.number_of_nodes()} entities and {graph.number_of_edges()} relations in the network"))
    ranked = table("entity", "class", "betweenness", "degree", title=f"The {top} most central entities")
    for c in centrality(graph)[:top]:
        ranked.add_row(Text(c.label), Text(c.kind), f"{c.betweenness:.3f}", f"{c.degree:.3f}")
    groups = communities(graph)
    listing = table("community", "entities", "its most central members", title=f"{len(groups)} communities (Louvain)")
    between = {c.node: c.betweenness for c in centrality(graph)}
    for number, members in enumerate(groups[:8], 1):
        leaders = sorted(members, key=lambda n: -between[n])[:4]
        listing.add_row(str(number), str(len(members)), Text(", ".join(graph.nodes[n]["label"] for n in leaders)))
    emit([ranked, listing], fmt)


@app.command()
@reports_errors
def queries(ctx: typer.Context, markdown: Annotated[bool, MARKDOWN_OPTION] = False,
            fmt: Annotated[str, FORMAT_OPTION] = "table") -> None:
    """List the named queries with their descriptions and parameters."""
    from kg.query import query_catalogue

    catalogue = query_catalogue()
    if markdown:
        from kg.query_docs import catalogue_table

        sys.stdout.write(catalogue_table(catalogue))
        return
    listing = table("name", "description", "parameters")
    for name, q in catalogue.items():
        params = ", ".join(f"{p.name}={p.default}" if p.default else p.name for p in q.params)
        listing.add_row(Text(name, style="bold"), Text(f"{q.title}. {q.description}"), Text(params))
    emit([listing], listing_format(fmt))


@app.command()
@reports_errors
def query(
    ctx: typer.Context,
    spec: Annotated[str, typer.Argument(metavar="NAME|FILE|-", help="A named query, a .rq file, or - for stdin.")],
    param: Annotated[
        Optional[list[str]], typer.Option("--param", "-p", metavar="NAME=VALUE", help="A query parameter (repeatable).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv or json (SPARQL 1.1 Results JSON).")] = "table",
    as_of: Annotated[Optional[str], AS_OF_OPTION] = None,
    watched: Annotated[Optional[list[str]], WATCHED_OPTION] = None,
    endpoint: Annotated[
        Optional[str], typer.Option("--endpoint", metavar="URL", help="Run it on this SPARQL 1.1 server instead.")
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for --endpoint.")] = 30.0,
    retries: Annotated[int, typer.Option("--retries", min=0, max=10, help="Retries when --endpoint fails.")] = 3,
) -> None:
    """Run a SPARQL query (read-only; nothing is fetched from the network unless you give --endpoint)."""
    from kg.errors import UsageError
    from kg.binding import param_assignments
    from kg.query import load_query, run_query
    from kg.results import RESULT_FORMATS

    if fmt not in RESULT_FORMATS:
        raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(RESULT_FORMATS)}")
    params = param_assignments(param or [])
    named = load_query(spec)
    if endpoint is not None:
        from kg.remote import Endpoint

        if as_of is not None or watched:
            raise UsageError("--as-of and --watched work on the local graph, not with --endpoint")
        target = Endpoint(endpoint, timeout=timeout, retries=retries)
        with err().status(f"asking {endpoint}…"):
            result = run_query(target, named, params)
    else:
        result = run_query(load_dataset(ctx, as_of, watched), named, params)
    print_query_result(named, result, fmt)


@app.command()
@reports_errors
def viz(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("graph.html"),
    focus: Annotated[Optional[str], typer.Option("--focus", help="Draw this entity's neighbourhood only.")] = None,
    depth: Annotated[int, typer.Option("--depth", help="How many steps around --focus (1-5).")] = 1,
    show_name: Annotated[Optional[str], typer.Option("--show", help="Draw one show's world only.")] = None,
    classes: Annotated[
        Optional[list[str]], typer.Option("--classes", metavar="KIND", help="Kinds of entity to draw (repeatable or "
                                          "comma-separated): " + ", ".join(VIEW_KINDS) + ".")
    ] = None,
    open_page: Annotated[bool, typer.Option("--open", help="Open the page in a browser, if there is one.")] = False,
    as_of: Annotated[Optional[str], AS_OF_OPTION] = None,
    watched: Annotated[Optional[list[str]], WATCHED_OPTION] = None,
    view_name: Annotated[str, typer.Option("--view", help="The view the page opens on: network, timeline, map or "
                                           "relations (the page has all four as tabs).")] = "network",
) -> None:
    """Write the graph as one self-contained, offline HTML page: network, timeline, map and relations views,
    search, spoiler controls, sourced tooltips."""
    from kg.network import view
    from kg.errors import UsageError
    from kg.page import VIEWS, PageOptions, opening_point, write_page

    if view_name not in VIEWS:
        raise UsageError(f"--view: unknown view {view_name!r}; choose from: {', '.join(VIEWS)}")
    dataset = load_dataset(ctx, as_of, watched)
    graph = view(dataset, focus=focus, depth=depth, show=show_name, classes=classes, sourced_only=as_of is not None)
    options = PageOptions(view=view_name, **opening_point(dataset, watched, as_of))
    with err().status(f"drawing {graph.number_of_nodes()} entities…"):
        written = write_page(graph, output, options)
    out().print(Text(f"✓ wrote {shown_path(written)} ({written.stat().st_size:,} bytes): "
                     f"{graph.number_of_nodes()} entities, {graph.number_of_edges()} relations"))
    if open_page:
        open_in_browser(written)


def open_in_browser(page: Path) -> None:
    """Open ``page`` in the user's browser when one is known; otherwise say where the file is."""
    import webbrowser

    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        browser = None
    if browser is None or not browser.open(page.resolve().as_uri()):
        err().print(Text(f"no browser to open here; open {page.resolve()} yourself"))


@app.command()
@reports_errors
def push(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The server's Graph Store endpoint, e.g. http://localhost:7878/store.")],
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for each request.")] = 60.0,
    retries: Annotated[int, typer.Option("--retries", min=0, max=10, help="Retries of a failed request.")] = 3,
    default_graph: Annotated[bool, typer.Option(
        "--default-graph/--no-default-graph",
        help="Also put the union of the named graphs, each triple once, into the server's default graph (for a "
             "server that does not read its default graph as the union of all graphs).")] = True,
    user: Annotated[Optional[str], typer.Option(
        "--user", metavar="NAME", help="User for an authenticated Graph Store (or KG_PUSH_USER); the password comes "
        "from KG_PUSH_PASSWORD or --password-file, never the command line.")] = None,
    password_file: Annotated[Optional[str], typer.Option(
        "--password-file", metavar="FILE", help="A file whose first line is the password.")] = None,
) -> None:
    """Load the graph into a SPARQL server (Graph Store Protocol): one PUT per named graph, replacing it."""
    import os

    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn

    from kg.remote import credentials_from
    from kg.remote import push as push_graphs

    credentials = credentials_from(user, password_file, dict(os.environ))
    dataset = load_dataset(ctx)
    with progress_bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()) as bar:
        task = bar.add_task("pushing graphs", total=None)
        result = push_graphs(dataset, url, timeout=timeout, retries=retries, default_graph=default_graph,
                             progress=lambda done, total: bar.update(task, completed=done, total=total),
                             credentials=credentials)
    union = " and their union to the default graph" if default_graph else ""
    out().print(Text(f"✓ pushed {result.triples:,} triples in {result.graphs} named graphs{union} to {url}"))


@app.command()
@reports_errors
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on (loopback unless you say otherwise).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port (0: any free port).")] = 7878,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds a query may run before it is stopped.")]
    = 10.0,
    max_rows: Annotated[int, typer.Option("--max-rows", min=1, help="Most rows (or triples) in one result.")] = 10_000,
    max_body: Annotated[int, typer.Option("--max-body", min=1, help="Largest request body, in bytes.")] = 64 * 1024,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Queries evaluated at once.")] = 2,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint (/sparql) with a query page (/); Ctrl-C stops it."""
    from kg.serve import serve as run_server

    dataset = load_dataset(ctx)
    run_server(dataset, host=host, port=port, timeout=timeout, max_rows=max_rows, max_body=max_body, workers=workers)


from kg import cli_explore, cli_story  # noqa: E402 - registered after the app exists

for command in (cli_explore.describe, cli_explore.path, cli_explore.sources, cli_explore.conflicts,
                cli_explore.changes, cli_story.coverage):
    app.command()(command)

if __name__ == "__main__":  # pragma: no cover
    app()
