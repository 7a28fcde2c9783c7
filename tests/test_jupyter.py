"""The ``%%sparql`` and ``%sparql`` magics (kg.jupyter), run as a user runs them: cells of a notebook executed in a
fresh kernel."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

import kg

CAST = '%sparql cast -p show="Star City" -o cast'
CELLS = [
    "%load_ext kg.jupyter",
    CAST,
    "print(type(cast).__name__, len(cast), sorted(cast.columns)[:2])",
    '%%sparql --store memory\nSELECT ?text WHERE { BIND ("<b>bold</b> & co" AS ?text) }',
    "%%sparql\nSELECT ?s WHERE { ?s ?p }",
    "%sparql no-such-query",
    "%sparql cast --no-such-option",
    '%sparql cast -p show',
    '%%sparql --watched S1E01 -o early\n'
    'SELECT DISTINCT ?event WHERE { ?event a <https://w3id.org/fam-kg/vocab#InUniverseEvent> }',
    "print(len(early))",
    "%%sparql\nASK { ?s a <https://schema.org/TVSeries> }",
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> list:
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS])
    folder = tmp_path_factory.mktemp("magic")
    NotebookClient(book, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return [cell.outputs for cell in book.cells]


def html_of(outputs) -> str:
    (result,) = [o for o in outputs if o.output_type == "execute_result"]
    return result.data["text/html"]


def stderr_of(outputs) -> str:
    assert not [o for o in outputs if o.output_type == "error"], "a traceback was shown"
    return "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stderr")


def test_a_named_query_shows_entities_as_linked_labels_and_keeps_its_rows(executed):
    expected = kg.run_query(kg.load(), kg.named_query("cast"), {"show": "Star City"})
    page = html_of(executed[1])
    assert '<a href="https://w3id.org/fam-kg/person/rhys-ifans" title="https://w3id.org/fam-kg/person/rhys-ifans">' \
           "Rhys Ifans</a>" in page
    assert page.count("<tr>") == len(expected) + 1 and f"{len(expected)} rows" in page
    assert executed[2][0].text.strip() == f"DataFrame {len(expected)} ['actor', 'actorLabel']"


def test_text_from_the_graph_is_escaped(executed):
    page = html_of(executed[3])
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in page and "<b>" not in page


@pytest.mark.parametrize(("cell", "expected"), [
    (4, "UsageError: cell:1:19: SPARQL syntax error"),
    (5, "UsageError: no query named 'no-such-query'"),
    (6, "UsageError: unrecognized arguments: --no-such-option"),
    (7, "UsageError: -p 'show': expected NAME=VALUE"),
])
def test_mistakes_are_one_line_without_a_traceback(executed, cell, expected):
    message = stderr_of(executed[cell])
    assert message.startswith(expected) and message.count("\n") == 1, message


def test_watched_restricts_the_graph_as_kg_load_does(executed):
    query = "SELECT DISTINCT ?event WHERE { ?event a <https://w3id.org/fam-kg/vocab#InUniverseEvent> }"
    early = len(kg.run_query(kg.load(watched="S1E01"), query))
    assert executed[9][0].text.strip() == str(early)
    assert early < len(kg.run_query(kg.load(), query))


def test_ask_shows_its_answer(executed):
    assert "<td>true</td>" in html_of(executed[10])
