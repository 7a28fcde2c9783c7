"""What every ``kg`` command shares: consoles, tables, error reporting, progress, and the graph it reads.

The graph a command sees is loaded, checked and restricted here, once
(:func:`load_dataset`): by ``--as-of`` and ``--watched`` when given. No command
filters the graph on its own.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import typer
from rich.text import Text

from kg.console import err, show, table
from kg.errors import KgError, ValidationFailed


@dataclass
class GraphOptions:
    """Where every command's graph comes from: the global options."""

    data_dir: Path | None = None
    data: list[Path] = field(default_factory=list)
    store: str = "oxigraph"
    store_path: Path | None = None
    skip_validation: bool = False

    def load_options(self) -> dict:
        return {"data": self.data, "store": self.store, "store_path": self.store_path}


FORMAT_OPTION = typer.Option("--format", "-f", metavar="FORMAT",
                             help="table (the default), csv, tsv or json; the column names stay the table's.")


def reports_errors(command):
    """Turn a KgError into a one-line message and its exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ValidationFailed as failure:
            print_violations(failure.report)
            err().print(Text(f"error: {failure}", style="red"), soft_wrap=True)
            raise typer.Exit(failure.exit_code) from None
        except KgError as error:
            err().print(Text(f"error: {error}", style="red"), soft_wrap=True)
            raise typer.Exit(error.exit_code) from None

    return wrapper


def load_dataset(ctx: typer.Context, as_of: str | None = None, watched: list[str] | None = None, *,
                 check_data: bool = True):
    """The graph from the chosen data and store, restricted once: with ``as_of``, to the sources known by that
    day; with ``watched``, to what a viewer who has seen up to those episodes knows (see :mod:`kg.loading`).

    Files given with ``--data`` are checked against the shapes first (unless
    ``--skip-validation``); violations stop the command with exit 1.
    """
    from rich.progress import BarColumn, DownloadColumn, TextColumn, TimeRemainingColumn

    from kg.store import load

    source: GraphOptions = ctx.obj
    with progress_bar(TextColumn("loading {task.description}"), BarColumn(), DownloadColumn(),
                      TimeRemainingColumn()) as bar:
        task = bar.add_task("the graph", total=None)

        def progress(path: Path, done: int, total: int) -> None:
            bar.update(task, description=path.name, completed=done, total=total)

        dataset = load(source.data_dir, progress=progress, **source.load_options())
    if source.data and check_data and not source.skip_validation:
        check_shapes(dataset, source.data_dir, "checking your --data")
    if as_of is None and not watched:
        return dataset
    from kg.loading import restrict

    return restrict(dataset, as_of=as_of, watched=watched)


def check_shapes(dataset, data_dir: Path | None, doing: str) -> None:
    """Validate against the data folder's shapes, showing ``doing`` meanwhile; raise ValidationFailed if not."""
    from kg.datafolder import shapes_path
    from kg.validation import validate as run_validation

    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    # pySHACL reports no progress of its own: on a large graph say how much it checks, and keep the clock running.
    with progress_bar(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn()) as bar:
        bar.add_task(f"{doing} ({len(dataset):,} triples against the shapes)", total=None)
        report = run_validation(dataset, shapes_path(data_dir))
    if not report.conforms:
        raise ValidationFailed(report)


def progress_bar(*columns):
    """A transient progress bar on stderr, shown only on a terminal (nothing in logs or pipes)."""
    from rich.progress import Progress

    console = err()
    return Progress(*columns, console=console, transient=True, disable=not console.is_terminal)


AS_OF_OPTION = typer.Option(
    "--as-of", metavar="YYYY-MM-DD", help="Use only the sources published (or, for a wiki, retrieved) on or before "
    "this day."
)
WATCHED_OPTION = typer.Option(
    "--watched", metavar="EPISODE", help="Hide the story revealed after this episode: S2E4 (For All Mankind), "
    "\"Star City S1E3\", a title or a slug. One per show (repeatable); a show not given is taken as unwatched."
)
MARKDOWN_OPTION = typer.Option("--markdown", help="Print Markdown tables (as in the manual) instead.")


def shown_path(path: Path) -> str:
    """A path relative to the working directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def print_violations(report) -> None:
    violations = table("entity", "property", "message", "file", title="SHACL violations")
    for v in report.violations:
        entity = f"{v.focus_label} ({v.focus})" if v.focus_label != v.focus else v.focus
        files = ", ".join(shown_path(f) for f in v.files) or "?"
        violations.add_row(Text(entity), Text(v.path), Text(v.message), Text(files))
    show(violations, err())
