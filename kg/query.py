"""Named SPARQL queries: the catalogue, parameters, safe evaluation and result formats.

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

import csv
import datetime as dt
import difflib
import functools
import io
import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, XSD, BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.term import Node

from kg.entities import find_entity
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
from kg.ordering import canonical, without_comments
from kg.shipped import default_queries_dir
from kg.vocab import FAM, FAMV, PREFIXES, SOURCES_GRAPH, slug_of

PARAM_KINDS = ("entity", "episode", "source", "iri", "string", "date", "integer")
RESULT_FORMATS = ("table", "csv", "tsv", "json")
_HEADER_LINE = re.compile(r"^#\s*(?P<key>title|description|param|columns)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<kind>\w+)"
    r"(?:\s*=\s*(?P<default>.*?))?\s*(?:--|—)\s*(?P<description>.+)$"
)


@dataclass(frozen=True)
class Param:
    """A query parameter declared in the header."""

    name: str
    kind: str
    description: str
    default: str | None = None


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


def param_assignments(items: Iterable[str], option: str = "--param") -> dict[str, str]:
    """``NAME=VALUE`` items (``kg query -p``, the ``%%sparql`` magic) as a dictionary; a
    :class:`~kg.errors.ParameterError` names the first item that is not one."""
    params: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"{option} {item!r}: expected NAME=VALUE")
        params[name.strip()] = value
    return params


def bind_params(dataset: Dataset, query: NamedQuery, values: Mapping[str, object] | None) -> dict[Variable, Node]:
    """Turn user-given parameter values into RDF terms for ``initBindings``."""
    values = dict(values or {})
    declared = {p.name: p for p in query.params}
    if query.documented:  # its header lists every parameter it takes
        unknown = sorted(set(values) - set(declared))
        if unknown:
            takes = f"it takes {', '.join(declared)}" if declared else "it takes no parameters"
            raise ParameterError(f"{query.name}: unknown parameter {', '.join(unknown)}; {takes}")
    bindings: dict[Variable, Node] = {}
    for param in query.params:
        value = values.get(param.name, param.default)
        if value is None:
            raise ParameterError(
                f"{query.name}: missing parameter {param.name!r} ({param.kind}: {param.description}); "
                f"give it with --param {param.name}=VALUE"
            )
        bindings[Variable(param.name)] = _term(dataset, param, value, query.name)
    for name, value in values.items():
        if name not in declared:  # an undocumented query: IRIs in <…>, anything else a string
            bindings[Variable(name)] = _term(dataset, Param(name, "string", ""), value, query.name)
    return bindings


def _term(dataset: Dataset, param: Param, value: object, origin: str) -> Node:
    if isinstance(value, Node):
        return value
    if not isinstance(value, str):  # a Python value from the API: date, int, float, bool
        return Literal(value)
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if param.kind in ("entity", "episode", "source") and getattr(dataset, "is_remote", False):
        return dataset.resolve(param.kind, text)
    if param.kind == "entity":
        return find_entity(dataset, text)
    if param.kind == "episode":
        from kg.episode import find_episode

        return find_episode(dataset, text, origin=f"{origin}: parameter {param.name!r}").iri
    if param.kind == "source":
        return _source(dataset, text, origin, param.name)
    if param.kind == "iri":
        prefix, colon, local = text.partition(":")
        if colon and prefix in PREFIXES and not local.startswith("//"):
            return URIRef(PREFIXES[prefix] + local)  # schema:startDate
        return URIRef(text) if colon else FAM[text.strip("/")]  # an IRI, or a slug: source/popculture-2025-02-14
    if param.kind == "date":
        try:
            return Literal(dt.date.fromisoformat(text), datatype=XSD.date)
        except ValueError:
            raise ParameterError(f"{origin}: parameter {param.name!r} must be a date YYYY-MM-DD, not {text!r}") from None
    if param.kind == "integer":
        try:
            return Literal(int(text), datatype=XSD.integer)
        except ValueError:
            raise ParameterError(f"{origin}: parameter {param.name!r} must be a whole number, not {text!r}") from None
    return Literal(text)


def _source(dataset: Dataset, text: str, origin: str, name: str) -> URIRef:
    """A described source, named by slug (``source/tass-2019-10-11`` or ``tass-2019-10-11``) or IRI."""
    slug = text if ":" in text else "source/" + text.strip("/").removeprefix("source/")
    source = URIRef(text) if ":" in text else FAM[slug]
    if _is_described_source(dataset, source):
        return source
    described = dataset.graph(SOURCES_GRAPH)
    known = sorted(slug_of(s) for s in described.subjects(RDF.type, FAMV.Source))
    close = difflib.get_close_matches(slug, known, n=3, cutoff=0.5)
    hint = f"; did you mean: {', '.join(close)}?" if close else "; `kg sources` lists them"
    raise ParameterError(f"{origin}: parameter {name!r}: no source is called {text!r}{hint}")


def _is_described_source(dataset: Dataset, source: URIRef) -> bool:
    oxigraph = getattr(dataset, "oxigraph", None)
    if oxigraph is None:
        return (source, RDF.type, FAMV.Source) in dataset.graph(SOURCES_GRAPH)
    import pyoxigraph as ox

    try:
        pattern = (ox.NamedNode(source), ox.NamedNode(RDF.type), ox.NamedNode(FAMV.Source), ox.NamedNode(SOURCES_GRAPH))
    except ValueError:  # not an absolute IRI
        return False
    return next(iter(oxigraph.quads_for_pattern(*pattern)), None) is not None


@dataclass
class QueryResult:
    """What a query returned: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    answer: bool | None = None
    graph: Graph | None = None

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "SELECT" else len(self.graph or ())

    def records(self) -> list[dict[str, str | None]]:
        """The rows as dictionaries of display strings (IRIs as slugs, literals as text)."""
        return [{var: cell_text(cell) for var, cell in zip(self.variables, row, strict=True)} for row in self.rows]

    def to_dataframe(self):
        """The rows as a pandas DataFrame (needs pandas: ``pip install fam-kg[notebooks]``)."""
        import pandas as pd

        return pd.DataFrame(self.records(), columns=self.variables)

    def serialize(self, fmt: str) -> str:
        """The result as ``csv``, ``tsv``, ``json`` or ``xml`` (SPARQL 1.1 Query Results); a graph as Turtle, or
        N-Triples with ``nt``."""
        if self.kind in ("CONSTRUCT", "DESCRIBE"):
            return self.graph.serialize(format="nt" if fmt == "nt" else "turtle")
        if fmt == "json":
            return json.dumps(self._json(), ensure_ascii=False, indent=2) + "\n"
        if fmt == "xml":
            return self._xml()
        if self.kind == "ASK":
            return ("true" if self.answer else "false") + "\n"
        if fmt == "csv":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as the SPARQL CSV spec asks
            writer.writerow(self.variables)
            writer.writerows(["" if c is None else str(c) for c in row] for row in self.rows)
            return out.getvalue()
        if fmt == "tsv":
            lines = ["\t".join("?" + v for v in self.variables)]
            lines += ["\t".join("" if c is None else c.n3() for c in row) for row in self.rows]
            return "\n".join(lines) + "\n"
        raise UsageError(f"unknown result format {fmt!r}; expected one of {', '.join(RESULT_FORMATS)}")

    def _xml(self) -> str:
        """SPARQL Query Results XML, written by rdflib's serializer (which escapes text and attributes)."""
        from rdflib.plugins.sparql.results.xmlresults import XMLResultSerializer
        from rdflib.query import Result

        result = Result(self.kind)
        if self.kind == "ASK":
            result.askAnswer = bool(self.answer)
        else:
            variables = [Variable(name) for name in self.variables]
            result.vars = variables
            result.bindings = [
                {variable: cell for variable, cell in zip(variables, row, strict=True) if cell is not None}
                for row in self.rows
            ]
        out = io.BytesIO()
        XMLResultSerializer(result).serialize(out, encoding="utf-8")
        return out.getvalue().decode("utf-8")

    def _json(self) -> dict:
        if self.kind == "ASK":
            return {"head": {}, "boolean": bool(self.answer)}
        bindings = [
            {var: _json_term(cell) for var, cell in zip(self.variables, row, strict=True) if cell is not None}
            for row in self.rows
        ]
        return {"head": {"vars": self.variables}, "results": {"bindings": bindings}}


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def cell_text(cell: Node | None) -> str | None:
    """How a result cell reads to a person: an IRI as its slug, a literal as its text."""
    if cell is None:
        return None
    if isinstance(cell, URIRef):
        return slug_of(cell)
    return str(cell)


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
            # Oxigraph evaluates the text itself; its own substitution needs the variables projected, VALUES does not.
            result = _run_on_oxigraph(dataset, inline_bindings(query.text, bindings), kind)
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
        return _run_on_oxigraph(dataset, inline_bindings(query.text, bindings), query_form(query.text))
    except (QuerySyntaxError, ParameterError, UsageError):
        prepare(query)  # raises the parser's own report if the query is malformed
        raise


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

    from kg.oxstore import from_oxigraph

    try:
        found = dataset.oxigraph.query(text)  # its default graph holds the union, each triple once
    except SyntaxError as error:
        raise QuerySyntaxError(str(error)) from None
    if isinstance(found, ox.QueryBoolean):
        return QueryResult("ASK", answer=bool(found))
    if isinstance(found, ox.QuerySolutions):
        variables = [v.value for v in found.variables]
        rows = [tuple(None if cell is None else from_oxigraph(cell) for cell in solution) for solution in found]
        return QueryResult("SELECT", variables, rows)
    graph = Graph()
    for triple in found:
        graph.add((from_oxigraph(triple.subject), from_oxigraph(triple.predicate), from_oxigraph(triple.object)))
    return QueryResult(kind, graph=graph)


_NOT_IN_IRIS = r'\x00-\x20<>"{}|^`\\'  # what SPARQL's IRIREF may not hold
IRI_FORBIDDEN = re.compile(f"[{_NOT_IN_IRIS}]")
_IRI_REF = re.compile(f"<[^{_NOT_IN_IRIS}]*>")
_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
)


def inline_bindings(text: str, bindings: Mapping[Variable, Node]) -> str:
    """The query with its parameter values as a ``VALUES`` block opening its WHERE clause.

    For engines that take only query text (Oxigraph, a remote endpoint). Each
    value is written as an escaped RDF term, never pasted as text: an IRI with
    a character IRIs may not hold is refused.
    """
    if not bindings:
        return text
    terms = []
    for variable, term in bindings.items():
        if isinstance(term, URIRef) and IRI_FORBIDDEN.search(str(term)):
            raise ParameterError(f"parameter {variable}: {str(term)!r} is not a valid IRI")
        if isinstance(term, BNode):
            raise ParameterError(f"parameter {variable}: a blank node cannot be sent as a parameter")
        terms.append(term.n3())
    names = " ".join(f"?{variable}" for variable in bindings)
    block = f" VALUES ({names}) {{ ({' '.join(terms)}) }} "
    where = _where_brace(text)
    return text[: where + 1] + block + text[where + 1 :]


def _where_brace(text: str) -> int:
    """Where the outermost WHERE group opens: the first top-level ``{``, or the second for a CONSTRUCT
    with a template. Comments, strings and IRIs are skipped."""
    depth = 0
    construct = where = False  # keywords seen outside any braces
    position = 0
    while position < len(text):
        char = text[position]
        if char == "#":
            end = text.find("\n", position)
            position = len(text) if end < 0 else end
            continue
        if char in "\"'":
            match = _STRING.match(text, position)
            position = match.end() if match else position + 1
            continue
        if char == "<":
            match = _IRI_REF.match(text, position)
            position = match.end() if match else position + 1
            continue
        if char.isalpha() and depth == 0:
            end = position
            while end < len(text) and (text[end].isalnum() or text[end] in "_:-"):
                end += 1
            word = text[position:end].upper()
            construct, where = construct or word == "CONSTRUCT", where or word == "WHERE"
            position = end
            continue
        if char == "{":
            if depth == 0 and not (construct and not where):  # not a CONSTRUCT's template
                return position
            depth += 1
        elif char == "}":
            depth -= 1
        position += 1
    raise QuerySyntaxError("no WHERE clause to bind the parameters in", None, None, "query")
