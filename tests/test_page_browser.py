"""The page in a real browser: Debian's Chromium driven by Playwright, every network request blocked.

Chromium comes from the system (``apt-get install chromium``, done by .ci/run);
Playwright never downloads a browser here. Set KG_CHROMIUM to use another binary.
"""

from __future__ import annotations

import time

import pytest

from kg.network import project
from kg.page import write_page
from tests.browsing import EVIL, OpenedPage


@pytest.fixture(scope="module")
def shipped(graph, browser, tmp_path_factory):
    network = project(graph)
    path = write_page(network, tmp_path_factory.mktemp("page") / "graph.html")
    opened = OpenedPage(browser, path)
    yield network, opened
    opened.close()


@pytest.fixture(scope="module")
def hostile(graph, browser, tmp_path_factory):
    network = project(graph)
    network.nodes["person/rhys-ifans"]["label"] = EVIL
    network.nodes["person/rhys-ifans"]["facts"].append({"relation": EVIL, "value": EVIL, "sources": [EVIL]})
    path = write_page(network, tmp_path_factory.mktemp("hostile") / "graph.html")
    opened = OpenedPage(browser, path)
    yield opened
    opened.close()


def test_the_network_draws_every_node_and_settles(shipped):
    network, opened = shipped
    assert opened.js("() => window.famkg.network.body.data.nodes.length") == network.number_of_nodes()
    assert opened.js("() => window.famkg.network.body.data.edges.length") == network.number_of_edges()
    assert opened.settled_after_ms > 0  # it settled (the wait fails otherwise); how fast is benchmarks/page.py's to say


def test_the_layout_stays_still_once_settled(shipped):
    _, opened = shipped
    before = opened.js("() => window.famkg.network.getPositions(['show/star-city'])")
    time.sleep(0.5)
    assert opened.js("() => window.famkg.network.getPositions(['show/star-city'])") == before
    assert opened.js("() => window.famkg.network.physics.options.enabled") is False


def test_searching_a_name_selects_that_node(shipped):
    _, opened = shipped
    opened.page.fill("#search-input", "rhys ifans")
    opened.page.press("#search-input", "Enter")
    assert opened.js("() => window.famkg.network.getSelectedNodes()") == ["person/rhys-ifans"]
    assert "Found Rhys Ifans" in opened.page.inner_text("#search-status")
    assert "plays the Chief Designer in → Star City" in opened.page.inner_text("#selected")


def test_searching_an_unknown_name_says_so_and_clears_the_last_selection(shipped):
    _, opened = shipped
    opened.page.fill("#search-input", "rhys ifans")
    opened.page.press("#search-input", "Enter")
    assert opened.js("() => window.famkg.network.getSelectedNodes()") == ["person/rhys-ifans"]
    opened.page.fill("#search-input", "Nobody Atall")
    opened.page.press("#search-input", "Enter")
    assert "No entity is called" in opened.page.inner_text("#search-status")
    assert opened.js("() => window.famkg.network.getSelectedNodes()") == []
    assert opened.page.inner_text("#selected").strip() == ""


def test_the_class_filter_hides_and_shows_nodes(shipped):
    network, opened = shipped
    places = sum(1 for _, kind in network.nodes(data="kind") if kind == "place")
    hidden = "() => window.famkg.nodes.get({filter: n => n.hidden}).map(n => n.kind)"
    opened.page.uncheck("#legend input[value='place']")
    assert opened.js(hidden) == ["place"] * places
    opened.page.check("#legend input[value='place']")
    assert opened.js(hidden) == []


def test_a_malicious_label_shows_as_text_and_runs_nothing(hostile):
    hostile.page.fill("#search-input", EVIL)
    hostile.page.press("#search-input", "Enter")
    assert hostile.js("() => window.famkg.network.getSelectedNodes()") == ["person/rhys-ifans"]
    assert EVIL in hostile.page.inner_text("#selected")
    assert hostile.js("() => document.querySelectorAll('img').length") == 0
    hostile.page.mouse.move(5, 5)
    time.sleep(0.3)
    assert hostile.dialogs == []
    assert not [entry for entry in hostile.console if entry[0] in ("error", "pageerror")]


def test_no_console_errors_and_no_requests(graph, browser, tmp_path):
    path = write_page(project(graph), tmp_path / "graph.html")
    opened = OpenedPage(browser, path, bypass_csp=False)  # the page's own Content-Security-Policy in force
    try:
        assert [entry for entry in opened.console if entry[0] in ("error", "pageerror")] == []
        assert opened.blocked == []
    finally:
        opened.close()


def test_disputed_and_single_source_facts_are_marked(shipped):
    network, opened = shipped
    border = opened.js("() => window.famkg.nodes.get('person/wernher-von-braun').color.border")
    assert border == "#d00000"
    single = sum(1 for *_, sources in network.edges(data="sources") if len(sources) == 1)
    assert opened.js("() => window.famkg.edges.get({filter: e => e.dashes && e.single}).length") == single > 0
    legend = opened.page.inner_text("#legend")
    assert "sources disagree" in legend and "only one source" in legend
    opened.page.fill("#search-input", "Wernher von Braun")
    opened.page.press("#search-input", "Enter")
    assert "sources disagree on: death date" in opened.page.inner_text("#selected")
