"""SPARQL in Jupyter: ``%load_ext kg.jupyter``, then a ``%%sparql`` cell or a ``%sparql NAME`` line.

::

    %load_ext kg.jupyter

    %%sparql -p show="Star City" -o cast
    PREFIX schema: <https://schema.org/>
    SELECT ?actor ?character WHERE { … }

    %sparql cast -p show="For All Mankind" --watched S1E10

Options (both magics): ``-p NAME=VALUE`` binds a parameter (repeatable; a label for an entity parameter is
resolved as ``kg query`` does), ``--as-of DATE`` and ``--watched EPISODE`` restrict the graph as
:func:`kg.load` does, ``--store oxigraph|memory`` picks the store, ``-o NAME`` keeps the rows as a pandas
DataFrame in the notebook's variable ``NAME``. Each graph is loaded once per kernel and kept.

The result shows as a table whose entity IRIs read as their labels and link to the IRI (every text escaped); an
ASK as its answer; a CONSTRUCT or DESCRIBE as its triples. A mistake — malformed SPARQL, an unknown query or
parameter, a bad option — is one line (IPython's ``UsageError``), never a traceback.
"""

from __future__ import annotations

import html
import shlex
from dataclasses import dataclass

from IPython.core.error import UsageError as IPythonUsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments
from rdflib import Literal, URIRef

from kg.errors import KgError

STORES = ("oxigraph", "memory")


@dataclass
class ShownResult:
    """A query's result as the notebook shows it: an HTML table with labels (``_repr_html_``), or plain text."""

    result: object  # kg.results.QueryResult
    dataset: object

    def columns_and_rows(self) -> tuple[list[str], list[tuple]]:
        if self.result.kind == "SELECT":
            return list(self.result.variables), list(self.result.rows)
        if self.result.kind == "ASK":
            return ["answer"], [(Literal(bool(self.result.answer)),)]
        triples = sorted(self.result.graph, key=lambda triple: tuple(term.n3() for term in triple))
        return ["subject", "predicate", "object"], triples

    def frame(self):
        """The result as a pandas DataFrame of display strings (IRIs as slugs), as ``to_dataframe`` gives it."""
        import pandas as pd

        from kg.results import cell_text

        columns, rows = self.columns_and_rows()
        return pd.DataFrame([[cell_text(cell) for cell in row] for row in rows], columns=columns)

    def _repr_html_(self) -> str:
        columns, rows = self.columns_and_rows()
        head = "".join(f"<th>{html.escape(column)}</th>" for column in columns)
        body = "".join("<tr>" + "".join(f"<td>{self.cell_html(cell)}</td>" for cell in row) + "</tr>" for row in rows)
        count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
        return (f'<table class="kg-sparql"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
                f"<p><small>{count}</small></p>")

    def cell_html(self, cell) -> str:
        if cell is None:
            return ""
        if isinstance(cell, URIRef):
            from kg.entities import label_of

            iri = html.escape(str(cell), quote=True)
            return f'<a href="{iri}" title="{iri}">{html.escape(label_of(self.dataset, cell))}</a>'
        return html.escape(str(cell))

    def __repr__(self) -> str:
        frame = self.frame()
        if not len(frame):
            return f"(no rows; columns: {', '.join(frame.columns)})"
        return frame.fillna("").to_string(index=False)


def one_line(error: Exception) -> IPythonUsageError:
    """A kg error as IPython's UsageError: shown as one line, the cell marked as failed, no traceback."""
    return IPythonUsageError(" ".join(str(error).split()) or type(error).__name__)


@magics_class
class SparqlMagics(Magics):
    """``%%sparql`` and ``%sparql``; the graphs they load are kept, one per (store, as-of, watched)."""

    def __init__(self, shell):
        super().__init__(shell)
        self.graphs: dict[tuple, object] = {}

    def graph(self, store: str | None, as_of: str | None, watched: tuple[str, ...]):
        import kg

        key = (store, as_of, watched)
        if key not in self.graphs:
            options = {"store": store} if store else {}
            self.graphs[key] = kg.load(as_of=as_of, watched=list(watched) or None, **options)
        return self.graphs[key]

    def run(self, line: str, query_text: str | None, magic) -> ShownResult:
        from kg.binding import param_assignments
        from kg.query import NamedQuery, load_query, run_query

        try:
            words = shlex.split(line)  # POSIX quoting, so that -p show="Star City" is one word
        except ValueError as error:
            raise IPythonUsageError(f"%sparql options: {error}") from None
        args = magic.parser.parse_args(words)  # a bad option is IPython's one-line UsageError already
        if args.store is not None and args.store not in STORES:
            raise IPythonUsageError(f"--store {args.store!r}: expected one of {', '.join(STORES)}")
        try:
            params = param_assignments(args.param or [], "-p")
            if query_text is None:
                query = load_query(args.name)
            else:
                if not query_text.strip():
                    raise IPythonUsageError("%%sparql: the cell holds no query")
                query = NamedQuery.from_text(query_text, name="cell")
            dataset = self.graph(args.store, args.as_of, tuple(args.watched or ()))
            shown = ShownResult(run_query(dataset, query, params), dataset)
        except KgError as error:
            raise one_line(error) from None
        if args.output:
            if not args.output.isidentifier():
                raise IPythonUsageError(f"-o {args.output!r}: expected a Python variable name")
            self.shell.user_ns[args.output] = shown.frame()
        return shown

    @magic_arguments()
    @argument("-p", "--param", action="append", metavar="NAME=VALUE", help="a query parameter (repeatable)")
    @argument("--as-of", metavar="DATE", help="the graph as it stood on DATE (YYYY-MM-DD)")
    @argument("--watched", action="append", metavar="EPISODE", help="only what a viewer up to EPISODE knows")
    @argument("--store", metavar="STORE", help="oxigraph (the default) or memory")
    @argument("-o", "--output", metavar="NAME", help="keep the rows as a DataFrame in the variable NAME")
    @cell_magic
    def sparql(self, line: str, cell: str) -> ShownResult:
        """Run the cell's SPARQL on the fam-kg graph and show the result as a table."""
        return self.run(line, cell, self.sparql)

    @magic_arguments()
    @argument("name", help="a named query (kg query's NAME) or a .rq file")
    @argument("-p", "--param", action="append", metavar="NAME=VALUE", help="a query parameter (repeatable)")
    @argument("--as-of", metavar="DATE", help="the graph as it stood on DATE (YYYY-MM-DD)")
    @argument("--watched", action="append", metavar="EPISODE", help="only what a viewer up to EPISODE knows")
    @argument("--store", metavar="STORE", help="oxigraph (the default) or memory")
    @argument("-o", "--output", metavar="NAME", help="keep the rows as a DataFrame in the variable NAME")
    @line_magic("sparql")
    def sparql_line(self, line: str) -> ShownResult:
        """Run a named query on the fam-kg graph and show the result as a table."""
        return self.run(line, None, self.sparql_line)


def load_ipython_extension(ipython) -> None:
    """``%load_ext kg.jupyter``."""
    ipython.register_magics(SparqlMagics)

