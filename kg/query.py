"""Named SPARQL queries: the catalogue, and safe evaluation on either store (parameters: :mod:`kg.binding`;
the answer and its formats: :mod:`kg.results`).

Each ``queries/NAME.rq`` opens with a header of comment lines::

    # title: Cast of a show
    # description: Who plays whom in a show, with the sources that say so.
    # param: show: entity = Star City -- the show (a label, slug or IRI)
    # columns: actor, character, sources

Parameter kinds: ``entity`` (found by label, slug or IRI), ``episode`` (a code
such as ``S2E4`` or ``Star City S1E3``, a title, a slug or an IRI), ``source`` (a
described source, by slug or IRI), ``iri`` (``prefix:name``, an IRI or a slug),
``string``, ``date`` (YYYY-MM-DD), ``integer``. A parameter is bound with rdflib's
``initBindings``, never pasted into the query text. Queries are read-only and
never reach the network: updates, ``SERVICE`` and ``FROM`` are refused before
anything is evaluated.
"""

from __future__ import annotations

import difflib
import functools
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from kg.binding import PARAM_KINDS, Param, bind_params, inline_bindings
from kg.errors import (
    ParameterError,
    QuerySyntaxError,
    QueryEvaluationError,
    QueryTooDeepError,
    ReadOnlyError,
    RemoteAccessRefused,
    UnknownQueryError,
    UsageError,
)
from kg.ordering import canonical, orders_by_projected, without_comments, without_final_order
from kg.results import QueryResult
from kg.shipped import default_queries_dir

_HEADER_LINE = re.compile(r"^#\s*(?P<key>title|description|param|columns)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<kind>\w+)"
    r"(?:\s*=\s*(?P<default>.*?))?\s*(?:--|—)\s*(?P<description>.+)$"
)


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with the header that documents it."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    columns: tuple[str, ...] = ()
    path: Path | None = None

    @property
    def documented(self) -> bool:
        """True when the query has a header; then it takes only the parameters the header declares."""
        return bool(self.title)

    @classmethod
    def from_text(cls, text: str, name: str = "query", path: Path | None = None) -> "NamedQuery":
        """Parse the header of ``text``; a query without one is valid, just undocumented."""
        fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "columns": []}
        last_key = None
        for line in text.splitlines():
            stripped = line.strip()
            if not stripped.startswith("#"):
                if stripped:
                    break
                continue
            match = _HEADER_LINE.match(stripped)
            if match:
                last_key = match["key"]
                fields[last_key].append(match["value"].strip())
            elif last_key in ("description", "param") and stripped.lstrip("#").strip():
                fields[last_key][-1] += " " + stripped.lstrip("#").strip()  # continuation line
        where = str(path or name)
        params = tuple(_parse_param(spec, where) for spec in fields["param"])
        columns = tuple(c.strip() for spec in fields["columns"] for c in spec.split(",") if c.strip())
        return cls(
            name=name,
            text=text,
            title=" ".join(fields["title"]),
            description=" ".join(fields["description"]),
            params=params,
            columns=columns,
            path=path,
        )

    @classmethod
    def from_file(cls, path: Path) -> "NamedQuery":
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"{path}: cannot read the query: {error}") from None
        return cls.from_text(text, name=path.stem, path=path)


def _parse_param(spec: str, where: str) -> Param:
    match = _PARAM.match(spec)
    if not match or match["kind"] not in PARAM_KINDS:
        raise UsageError(
            f"{where}: cannot read the parameter line {spec!r}; expected "
            f"'NAME: KIND [= DEFAULT] -- description' with KIND one of {', '.join(PARAM_KINDS)}"
        )
    default = match["default"].strip() if match["default"] else None
    return Param(match["name"], match["kind"], match["description"].strip(), default)


def query_catalogue(queries_dir: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query, by name (the file name without ``.rq``), sorted."""
    folder = Path(queries_dir) if queries_dir else default_queries_dir()
    return {path.stem: NamedQuery.from_file(path) for path in sorted(folder.glob("*.rq"))}


def named_query(name: str, queries_dir: Path | None = None) -> NamedQuery:
    """The named query ``name``; suggests close names when there is none."""
    catalogue = query_catalogue(queries_dir)
    if name in catalogue:
        return catalogue[name]
    close = difflib.get_close_matches(name, list(catalogue), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `kg queries` lists them"
    raise UnknownQueryError(f"no query named {name!r}{hint}")


def load_query(spec: str, queries_dir: Path | None = None) -> NamedQuery:
    """What ``kg query`` accepts: ``-`` (standard input), a ``.rq`` file, or a query name."""
    if spec == "-":
        return NamedQuery.from_text(sys.stdin.read(), name="stdin")
    path = Path(spec)
    if path.suffix == ".rq" or path.is_file():
        if not path.is_file():
            raise UsageError(f"{path}: no such query file")
        return NamedQuery.from_file(path)
    return named_query(spec, queries_dir)


@functools.lru_cache(maxsize=256)
def prepare(query: NamedQuery):
    """Parse and check a query: read-only, nothing fetched. Returns rdflib's prepared query.

    Remembered per query: parsing is most of what a simple query costs in rdflib (about 1.5 of 2.2 ms), and a
    server is sent the same texts again and again. Refused and malformed queries raise, so they are not kept.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery, traverse
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not without_comments(query.text).strip():
        raise UsageError(f"{query.name}: the query is empty (give a SELECT, ASK, CONSTRUCT or DESCRIBE query)")
    try:
        parsed = parseQuery(query.text)
    except ParseException as error:
        try:
            parseUpdate(query.text)
        except ParseException:
            raise QuerySyntaxError(error.msg, error.lineno, error.col, query.name) from None
        raise ReadOnlyError(
            f"{query.name}: updates (INSERT, DELETE, LOAD, CLEAR, DROP …) are refused; queries are read-only"
        ) from None
    prepared = translateQuery(parsed)
    if prepared.algebra.get("datasetClause"):
        raise RemoteAccessRefused(
            f"{query.name}: FROM and FROM NAMED are refused (they would load graphs from the network); "
            "use GRAPH ?g { … } over the loaded dataset instead"
        )

    def refuse_service(node):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            raise RemoteAccessRefused(f"{query.name}: SERVICE is refused; queries never reach the network")

    traverse(prepared.algebra, visitPre=refuse_service)
    return prepared


def run_query(
    dataset: Dataset,
    query: NamedQuery | str,
    params: Mapping[str, object] | None = None,
) -> QueryResult:
    """Run a query on the dataset.

    Parameters
    ----------
    dataset
        from :func:`kg.load`, or a :class:`kg.remote.Endpoint` to run it on a SPARQL server.
    query
        a :class:`NamedQuery` (see :func:`named_query`), or SPARQL text.
    params
        values for the query's parameters, by name: labels or slugs for
        ``entity`` parameters, text for the others, rdflib terms, or Python values
        (a ``datetime.date``, a number) which become typed literals.

    Examples
    --------
    >>> import kg
    >>> graph = kg.load()
    >>> rows = kg.run_query(graph, kg.named_query("cast"), {"show": "Star City"}).records()
    >>> any(row["actorLabel"] == "Rhys Ifans" for row in rows)
    True
    """
    if isinstance(query, str):
        query = NamedQuery.from_text(query)
    if getattr(dataset, "oxigraph", None) is not None and _plainly_read_only(query.text):
        result = _run_unparsed_on_oxigraph(dataset, query, params)
    else:
        prepared = prepare(query)
        bindings = bind_params(dataset, query, params)
        kind = prepared.algebra.name.removesuffix("Query").upper()
        if getattr(dataset, "is_remote", False):
            result = dataset.query(inline_bindings(query.text, bindings), kind)
        elif getattr(dataset, "oxigraph", None) is not None:
            result = _run_text_on_oxigraph(dataset, query.text, bindings, kind)
        else:
            result = _run_on_rdflib(dataset, prepared, bindings)
    if result.kind == "SELECT":  # one order of rows and of concatenated lists, whichever engine answered
        result.rows = canonical(query.text, result.variables, result.rows)
    return result


# A word that may start an update, a SERVICE call or a FROM clause. A query without any (outside comments) can go
# to Oxigraph without rdflib parsing it first; one with any, even inside a string, is checked by :func:`prepare`.
_NOT_PLAINLY_READ_ONLY = re.compile(
    r"\b(SERVICE|FROM|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH|USING)\b", re.IGNORECASE)
_QUERY_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def _plainly_read_only(text: str) -> bool:
    return not _NOT_PLAINLY_READ_ONLY.search(without_comments(text))


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such word outside comments and IRIs ("" if none)."""
    found = _QUERY_FORM.search(re.sub(r"<[^<>\s]*>", " ", without_comments(text)))
    return found.group(1).upper() if found else ""


def _run_unparsed_on_oxigraph(dataset, query: NamedQuery, params) -> QueryResult:
    """Oxigraph parses and evaluates the text itself; rdflib's parser (a tenth of a second on a cold start) is used
    only when something is wrong, so that a malformed query is reported in the same words as on rdflib's store,
    and before a parameter error, as there."""
    try:
        bindings = bind_params(dataset, query, params)
        return _run_text_on_oxigraph(dataset, query.text, bindings, query_form(query.text))
    except (QuerySyntaxError, ParameterError, UsageError):
        prepare(query)  # raises the parser's own report if the query is malformed
        raise


def _run_text_on_oxigraph(dataset, text: str, bindings, kind: str) -> QueryResult:
    """Oxigraph evaluates the text itself, the parameters inlined (its own substitution needs the variables
    projected, VALUES does not); a SELECT's final ORDER BY is left to :func:`canonical` when it can apply it."""
    unordered = without_final_order(text) if kind == "SELECT" else None
    if unordered is not None:
        result = _run_on_oxigraph(dataset, inline_bindings(unordered, bindings), kind)
        if orders_by_projected(text, result.variables):
            return result
    return _run_on_oxigraph(dataset, inline_bindings(text, bindings), kind)


def _run_on_rdflib(dataset, prepared, bindings) -> QueryResult:
    try:
        result = dataset.query(prepared, initBindings=bindings)
        rows = [tuple(row) for row in result] if result.type == "SELECT" else None
    except RecursionError:
        raise QueryTooDeepError() from None
    except (TypeError, ValueError, AttributeError, KeyError) as error:  # rdflib's evaluator failing on a valid query
        raise QueryEvaluationError(f"rdflib could not evaluate the query ({type(error).__name__}: {error}); "
                                   "try it with --store oxigraph") from None
    if result.type == "SELECT":
        variables = [str(v) for v in result.vars]
        return QueryResult("SELECT", variables, rows)
    if result.type == "ASK":
        return QueryResult("ASK", answer=bool(result.askAnswer))
    return QueryResult(result.type, graph=result.graph)


def _run_on_oxigraph(dataset, text: str, kind: str) -> QueryResult:
    import pyoxigraph as ox

    from kg.oxanswers import read_rows
    from kg.oxstore import from_oxigraph

    try:
        found = dataset.oxigraph.query(text)  # its default graph holds the union, each triple once
    except SyntaxError as error:
        raise QuerySyntaxError(str(error)) from None
    if isinstance(found, ox.QueryBoolean):
        return QueryResult("ASK", answer=bool(found))
    if isinstance(found, ox.QuerySolutions):
        variables = [v.value for v in found.variables]
        rows = read_rows(found)
        return QueryResult("SELECT", variables, rows)
    graph = Graph()
    for triple in found:
        graph.add((from_oxigraph(triple.subject), from_oxigraph(triple.predicate), from_oxigraph(triple.object)))
    return QueryResult(kind, graph=graph)
