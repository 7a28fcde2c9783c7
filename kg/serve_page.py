"""The endpoint's query page (``GET /``): a text area, a format menu, and the named queries as examples.

Rendered once at start-up. Everything from the catalogue is escaped by the template; the page loads nothing from
elsewhere, and its Content-Security-Policy allows only its own inline script and style (pinned by hash) and
requests back to this server.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from kg.query import NamedQuery
from kg.serve_formats import FORMATS

if TYPE_CHECKING:
    from kg.serve import Limits

PAGE_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 62rem; padding: 1rem 1.5rem; }
textarea { width: 100%; box-sizing: border-box; font: 13px/1.4 ui-monospace, monospace; }
pre { background: #f4f4f4; padding: .75rem; overflow: auto; max-height: 32rem; white-space: pre-wrap; }
form p { display: flex; gap: .75rem; align-items: center; }
.examples li { margin-bottom: .6rem; }
.examples p { margin: .15rem 0 0; color: #444; }
button.example { font: inherit; font-weight: 600; padding: 0; border: 0; background: none; color: #0645ad;
  cursor: pointer; text-align: left; }
button.example:hover { text-decoration: underline; }
"""

PAGE_SCRIPT = """
"use strict";
const queryBox = document.getElementById("query");
const formatBox = document.getElementById("format");
const statusLine = document.getElementById("status");
const resultBox = document.getElementById("result");
for (const example of document.querySelectorAll("button.example")) {
  example.addEventListener("click", () => {
    queryBox.value = example.dataset.query;
    queryBox.focus();
    queryBox.scrollIntoView();
  });
}
document.getElementById("query-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = new URLSearchParams({query: queryBox.value});
  if (formatBox.value) body.set("format", formatBox.value);
  statusLine.textContent = "Running…";
  resultBox.textContent = "";
  try {
    const response = await fetch("sparql", {method: "POST", body});
    const text = await response.text();
    const contentType = response.headers.get("Content-Type") || "";
    statusLine.textContent = `${response.status} ${response.statusText} · ${contentType}`;
    resultBox.textContent = text;
  } catch (error) {
    statusLine.textContent = `The request failed: ${error}`;
  }
});
"""


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


PAGE_POLICY = (
    f"default-src 'none'; script-src {_csp_hash(PAGE_SCRIPT)}; style-src {_csp_hash(PAGE_STYLE)}; "
    "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)
"""Only the page's own script and style (pinned by hash) run, and it may only talk back to this server."""

DEFAULT_QUERY = """PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?show ?label WHERE {
  ?show a schema:TVSeries ; rdfs:label ?label .
  FILTER (lang(?label) = "en")
}
ORDER BY ?label
"""

PAGE_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fam-kg SPARQL endpoint</title>
<style>{{ style }}</style>
</head>
<body>
<h1>fam-kg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 over the <i>For All Mankind</i> knowledge graph. Send queries to <code>/sparql</code>
(GET <code>?query=</code>, or POST). A query stops after {{ "%g" | format(limits.timeout) }} s and may return up to
{{ limits.max_rows }} rows; updates, <code>SERVICE</code> and <code>FROM</code> are refused.</p>
<form id="query-form">
<textarea id="query" name="query" rows="14" spellcheck="false" aria-label="SPARQL query">{{ default_query }}</textarea>
<p><label for="format">Result format</label>
<select id="format" name="format">
<option value="">default (JSON, or Turtle for a graph)</option>
{%- for fmt in formats %}
<option value="{{ fmt.name }}">{{ fmt.label }}</option>
{%- endfor %}
</select>
<button type="submit">Run query</button></p>
</form>
<p id="status" role="status"></p>
<pre id="result"></pre>
<h2>Named queries</h2>
<p>Click one to put it in the box. A parameter with a default is bound to it.</p>
<ul class="examples">
{%- for query in queries %}
<li><button type="button" class="example" data-query="{{ query.text }}">{{ query.title or query.name }}</button>
<code>{{ query.name }}</code><p>{{ query.description }}</p></li>
{%- endfor %}
</ul>
<script>{{ script }}</script>
</body>
</html>
"""


def query_page_html(queries: Iterable[NamedQuery], limits: Limits) -> bytes:
    """The query page, rendered once: every text from the catalogue is escaped by the template."""
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    page = environment.from_string(PAGE_TEMPLATE).render(
        style=Markup(PAGE_STYLE),
        script=Markup(PAGE_SCRIPT),
        default_query=DEFAULT_QUERY,
        formats=FORMATS,
        queries=list(queries),
        limits=limits,
    )
    return page.encode("utf-8")
