"""The exceptions of fam-kg. The CLI maps each to a message and an exit code.

Exit codes: 0 success, 1 the data is invalid (a data file is broken or fails
validation), 2 a usage error (unknown name, bad SPARQL, missing parameter, bad
path on the command line), 3 a remote SPARQL server that cannot be reached or
that answers with an error.
"""

from __future__ import annotations

from pathlib import Path


class KgError(Exception):
    """Base of every error fam-kg reports to a user."""

    exit_code = 2


class UsageError(KgError):
    """The command or call was given something it cannot use."""

    exit_code = 2


class DataError(KgError):
    """The data is broken or invalid."""

    exit_code = 1


class DataFileError(DataError):
    """A data file cannot be read or parsed; names the file, line and column."""

    def __init__(self, path: Path, message: str, line: int | None = None, column: int | None = None):
        self.path = Path(path)
        self.line = line
        self.column = column
        self.reason = message
        where = str(self.path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class NoDataError(DataError):
    """A data directory holds no data files."""


class ValidationFailed(DataError):
    """The data does not conform to the SHACL shapes; carries the report."""

    def __init__(self, report):  # report: kg.validate.ValidationReport
        self.report = report
        count = len(report.violations)
        super().__init__(f"the data does not conform to the shapes: {count} violation{'s' * (count != 1)}")


class QuerySyntaxError(UsageError):
    """A SPARQL query does not parse; names the line and column."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None, origin: str = "query"):
        self.line = line
        self.column = column
        where = origin if line is None else f"{origin}:{line}:{column}"
        super().__init__(f"{where}: SPARQL syntax error: {message}")


class ReadOnlyError(UsageError):
    """An update (INSERT, DELETE, LOAD, CLEAR …) was sent to a read-only query."""


class RemoteAccessRefused(UsageError):
    """A query asked to fetch something from the network (SERVICE, FROM <url>)."""


class UnknownQueryError(UsageError):
    """No named query has this name."""


class ParameterError(UsageError):
    """A query parameter is missing, unknown or of the wrong form."""


class UnknownEntityError(UsageError):
    """No entity matches a label; carries close matches to suggest."""

    def __init__(self, text: str, suggestions: list[str]):
        self.text = text
        self.suggestions = suggestions
        message = f"no entity is labelled {text!r}"
        if suggestions:
            message += "; did you mean: " + ", ".join(repr(s) for s in suggestions) + "?"
        super().__init__(message)


class AmbiguousEntityError(UsageError):
    """Several entities match a label; carries them so the user can pick one."""

    def __init__(self, text: str, candidates: list[str]):
        self.text = text
        self.candidates = candidates
        super().__init__(
            f"{text!r} names {len(candidates)} entities; give one of their IRIs or slugs: " + ", ".join(candidates)
        )


class StoreError(UsageError):
    """A store folder that cannot be used: in use by another process, damaged, or not a store."""


class QueryEvaluationError(UsageError):
    """A valid query that rdflib's evaluator fails on (a bug of its own); Oxigraph may answer it."""


class QueryTooDeepError(UsageError):
    """rdflib's evaluator recursed too deep (a long property path, deeply nested groups)."""

    def __init__(self) -> None:
        super().__init__("the query goes too deep for rdflib's evaluator (a property path over a long chain, or "
                         "deeply nested patterns); run it with --store oxigraph (kg --store oxigraph query …), "
                         "whose evaluator does not recurse")


class RemoteError(KgError):
    """A remote SPARQL server cannot be reached, or answers with an error (after the retries)."""

    exit_code = 3
