"""The network layer: projection, analytics, paths, views, and the `kg path` / `kg viz` / `kg stats --network` commands."""

from __future__ import annotations

import json
import re
import webbrowser

import networkx as nx
import pytest
from rdflib import RDF, URIRef

import kg
from kg.errors import UnknownEntityError, UsageError
from kg.network import KIND_NAMES, connections, entity_node, neighbourhood, node_for, project, show_world, view
from kg.page import page_html
from kg.vocab import ENTITIES_GRAPH


@pytest.fixture(scope="module")
def network(graph):
    return project(graph)


# ── projection ──────────────────────────────────────────────────────────────


def test_every_entity_but_the_role_nodes_is_a_node(graph, network):
    entities = set(graph.graph(ENTITIES_GRAPH).subjects(RDF.type, None))
    roles = set(graph.graph(ENTITIES_GRAPH).subjects(RDF.type, URIRef("https://schema.org/PerformanceRole")))
    assert len(roles) > 30
    assert network.number_of_nodes() == len(entities - roles)
    assert not any(node.startswith("role/") for node in network)


def test_a_role_folds_into_an_actor_to_show_edge_with_character_seasons_and_sources(network):
    plays = network.get_edge_data("person/joel-kinnaman", "show/for-all-mankind")["plays"]
    assert plays["relation"] == "plays Ed Baldwin in"
    assert plays["seasons"] == [1, 2, 3, 4, 5]
    assert "source/tvline-2026-01-21" in plays["sources"]
    assert network.has_edge("person/joel-kinnaman", "character/ed-baldwin", key="plays")


def test_literals_become_node_attributes_with_their_sources(network):
    leonov = network.nodes["person/alexei-leonov"]
    assert leonov["birthDate"] == "1934-05-30" and leonov["kind"] == "historical figure"
    assert leonov["labels"]["ru"] == "Алексей Леонов"
    died = [f for f in leonov["facts"] if f["relation"] == "death date"]
    assert died and "source/tass-2019-10-11" in died[0]["sources"]
    assert isinstance(network.nodes["place/baikonur-cosmodrome"]["latitude"], float)


def test_each_edge_keeps_its_predicate_label_and_sources(network):
    spinoff = network.get_edge_data("show/star-city", "show/for-all-mankind")["spinoffOf"]
    assert spinoff["relation"] == "spinoff of" and len(spinoff["sources"]) >= 3
    assert all(s in network.graph["sources"] for s in spinoff["sources"])
    assert network.graph["sources"]["source/tass-2019-10-11"]["cite"] == "TASS, 2019-10-11"


def test_each_node_counts_the_sources_of_its_facts_and_of_its_edges_both_ways(network):
    for node, attrs in network.nodes(data=True):
        cited = {s for fact in attrs["facts"] for s in fact["sources"]}
        cited.update(s for *_, named in network.edges(node, data="sources") for s in named)
        cited.update(s for *_, named in network.in_edges(node, data="sources") for s in named)
        assert attrs["source_count"] == len(cited), node
    assert network.nodes["show/star-city"]["source_count"] > 10


def test_classes_can_be_kept_or_left_out(graph):
    people = project(graph, classes=["person", "historical-figure"])
    assert {k for _, k in people.nodes(data="kind")} == {"person", "historical figure"}
    no_works = project(graph, exclude=["work"])
    assert "work/notting-hill" not in no_works and "person/rhys-ifans" in no_works
    with pytest.raises(UsageError, match="unknown class 'spaceships'"):
        project(graph, classes=["spaceships"])


def test_a_construct_result_projects_with_labels_from_the_dataset(graph):
    subgraph = graph.query("""
        PREFIX famv: <https://w3id.org/fam-kg/vocab#>
        CONSTRUCT { ?character famv:depicts ?figure } WHERE { ?character famv:depicts ?figure }""").graph
    projected = project(subgraph, labels_from=graph)
    assert projected.nodes["person/wernher-von-braun"]["label"] == "Wernher von Braun"
    assert projected.has_edge("character/wernher-von-braun", "person/wernher-von-braun")
    assert all(k in {"character", "historical figure"} for _, k in projected.nodes(data="kind"))


# ── analytics ───────────────────────────────────────────────────────────────


def test_the_shows_are_the_most_central_entities(network):
    ranked = kg.centrality(network)
    assert {c.node for c in ranked[:2]} == {"show/for-all-mankind", "show/star-city"}
    assert all(0 <= c.betweenness <= 1 and 0 <= c.degree <= 1 for c in ranked)


def test_communities_partition_the_network_and_repeat(network):
    found = kg.communities(network)
    members = [n for group in found for n in group]
    assert sorted(members) == sorted(network) and len(found) > 1
    assert found == kg.communities(network)


def test_a_path_is_told_edge_by_edge_in_words(network):
    found = connections(network, "person/rhys-ifans", "show/for-all-mankind")
    assert [c.words(network) for c in found] == [
        "Rhys Ifans — plays the Chief Designer in → Star City — spinoff of → For All Mankind"]
    assert all(step.sources for step in found[0].steps)


def test_a_step_against_the_relation_is_told_backwards(network):
    [found] = connections(network, "show/for-all-mankind", "show/star-city")
    assert found.words(network) == "For All Mankind ← spinoff of — Star City"


def test_every_shortest_path_has_the_same_length(network):
    found = connections(network, "person/rhys-ifans", "person/neil-armstrong", every=True)
    assert len(found) >= 2 and len({len(c.steps) for c in found}) == 1
    assert found[0].nodes()[0] == "person/rhys-ifans" and found[0].nodes()[-1] == "person/neil-armstrong"


def test_no_connection_is_an_empty_answer(tiny_plus):
    data = tiny_plus("island.trig", """
        graph:entities { person:island a schema:Person ; rdfs:label "Lone Island"@en . }""")
    small = project(kg.load(data))
    assert connections(small, "person/ada-tester", "person/island") == []


def test_node_for_matches_labels_in_any_language_and_suggests(network):
    assert node_for(network, "алексей леонов") == "person/alexei-leonov"
    assert node_for(network, "pasilaiciai") == "place/pasilaiciai"
    with pytest.raises(UnknownEntityError, match="Rhys Ifans"):
        node_for(network, "Rhys Ifanz")


# ── views ───────────────────────────────────────────────────────────────────


def test_neighbourhood_grows_with_depth(network):
    one = neighbourhood(network, "person/rhys-ifans", 1)
    two = neighbourhood(network, "person/rhys-ifans", 2)
    assert "show/star-city" in one and "show/for-all-mankind" not in one
    assert set(one) < set(two) and "show/for-all-mankind" in two
    for depth in (0, 6):
        with pytest.raises(UsageError, match="depth"):
            neighbourhood(network, "person/rhys-ifans", depth)


def test_a_shows_world_stops_at_the_other_show(network):
    world = show_world(network, "show/star-city")
    assert "person/rhys-ifans" in world and "place/vingis-park" in world
    assert "show/for-all-mankind" not in world and "person/joel-kinnaman" not in world


def test_view_errors_are_usage_errors(graph):
    with pytest.raises(UnknownEntityError, match="did you mean"):
        view(graph, focus="Rhys Ifanz")
    with pytest.raises(UsageError, match="between 1 and 5"):
        view(graph, focus="Rhys Ifans", depth=7)
    with pytest.raises(UsageError, match="nothing to draw"):
        view(graph, focus="Rhys Ifans", classes=["place"])
    with pytest.raises(UsageError, match="performance role"):
        entity_node(graph, project(graph), "role/star-city-rhys-ifans")


# ── the page, without a browser ─────────────────────────────────────────────


def _payload(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_the_page_is_self_contained_and_under_two_and_a_half_megabytes(network):
    html = page_html(network)
    assert len(html.encode()) < 2_500_000
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=', html)  # nothing fetched: every library is inline
    assert "default-src 'none'" in html
    assert "export default" not in html  # timeline-arrows' module syntax would stop a classic script
    data = _payload(html)["network"]
    assert len(data["nodes"]) == network.number_of_nodes() and len(data["edges"]) == network.number_of_edges()
    assert {item["kind"] for item in data["legend"]} <= set(KIND_NAMES) | {"other"}


def test_a_hostile_label_cannot_close_the_data_block(network):
    hostile = network.copy()
    evil = "</script><img src=x onerror=alert(1)>"
    hostile.nodes["person/rhys-ifans"]["label"] = evil
    html = page_html(hostile)
    assert "<img src=x" not in html and "</script><img" not in html
    assert _payload(html)["details"]["person/rhys-ifans"]["label"] == evil


# ── the commands ────────────────────────────────────────────────────────────


def test_kg_path_prints_the_connection_with_sources(run_kg):
    result = run_kg("path", "Rhys Ifans", "For All Mankind")
    assert result.exit_code == 0
    assert "Rhys Ifans — plays the Chief Designer in → Star City — spinoff of → For All Mankind" in result.stdout
    assert re.search(r"Star City — spinoff of → For All Mankind\s+\[.*MacTech, 2024-04-17", result.stdout)


def test_kg_path_all_and_unknown_and_unconnected(run_kg, tiny_plus):
    every = run_kg("path", "Rhys Ifans", "Neil Armstrong", "--all")
    assert every.exit_code == 0 and re.search(r"\d+ shortest connections of 4 steps", every.stdout)
    unknown = run_kg("path", "Rhys Ifanz", "Star City")
    assert unknown.exit_code == 2 and "did you mean: 'Rhys Ifans'" in unknown.stderr
    data = tiny_plus("island.trig", """
        graph:entities { person:island a schema:Person ; rdfs:label "Lone Island"@en . }""")
    apart = run_kg("--data-dir", str(data), "path", "Ada Tester", "Lone Island")
    assert apart.exit_code == 0 and "are not connected" in apart.stdout


def test_kg_stats_network_ranks_the_shows_first(run_kg):
    result = run_kg("stats", "--network", "--top", "3")
    assert result.exit_code == 0
    ranked = result.stdout.split("most central entities", 1)[1]
    assert ranked.index("For All Mankind") < ranked.index("communities")
    assert "Star City" in ranked.split("communities")[0]


def test_kg_viz_writes_a_focused_page(run_kg, tmp_path):
    page = tmp_path / "out" / "ifans.html"
    result = run_kg("viz", "-o", str(page), "--focus", "Rhys Ifans", "--depth", "1")
    assert result.exit_code == 0, result.stderr
    nodes = {n["id"] for n in _payload(page.read_text())["network"]["nodes"]}
    assert "person/rhys-ifans" in nodes and "show/star-city" in nodes and "show/for-all-mankind" not in nodes


def test_kg_viz_view_opens_there_and_every_view_keeps_to_the_focus_date_and_episode(run_kg, tmp_path):
    page = tmp_path / "map.html"
    result = run_kg("viz", "-o", str(page), "--view", "timeline", "--focus", "Soviet Moon landing (alternate history)", "--depth", "1",
                    "--as-of", "2025-06-01", "--watched", "S1E5")
    assert result.exit_code == 0, result.stderr
    html = page.read_text()
    data = _payload(html)
    assert 'data-view="timeline"' in html and data["asOf"] == "2025-06-01"
    assert data["watched"]["show/for-all-mankind"] == [1, 5] and data["watched"].get("show/star-city") is None
    drawn = {n["id"] for n in data["network"]["nodes"]}
    events = {item["id"] for item in data["timeline"]["items"]}
    assert "event/soviet-moon-landing" in events and events <= drawn
    assert {p["id"] for p in data["map"]["places"]} <= drawn
    days = [s["day"] for s in data["sources"].values()]
    assert days and max(days) <= "2025-06-01"  # nothing published later is in the page at all


def test_kg_viz_show_and_classes(run_kg, tmp_path):
    page = tmp_path / "sc.html"
    assert run_kg("viz", "-o", str(page), "--show", "Star City", "--classes", "person,show").exit_code == 0
    kinds = {n["kind"] for n in _payload(page.read_text())["network"]["nodes"]}
    assert kinds == {"person", "show"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--focus", "Rhys Ifanz"], "did you mean: 'Rhys Ifans'"),
        (["--focus", "Rhys Ifans", "--depth", "0"], "between 1 and 5"),
        (["--focus", "Rhys Ifans", "--classes", "place"], "nothing to draw"),
        (["--classes", "spaceship"], "unknown class 'spaceship'"),
        (["--show", "Rhys Ifans"], "not one of the franchise's shows"),
        (["--view", "globe"], "--view: unknown view 'globe'; choose from: network, timeline, map, relations"),
    ],
)
def test_kg_viz_bad_input_exits_2_and_writes_nothing(run_kg, tmp_path, args, message):
    result = run_kg("viz", "-o", str(tmp_path / "page.html"), *args)
    assert result.exit_code == 2 and message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_kg_viz_unwritable_output_exits_2_and_leaves_nothing(run_kg, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = run_kg("viz", "-o", str(locked / "page.html"))
        if result.exit_code == 0:  # root ignores directory permissions; a directory in the way fails for everyone
            (locked / "page.html").unlink()
            locked.chmod(0o700)
            (locked / "page.html").mkdir()
            result = run_kg("viz", "-o", str(locked / "page.html"))
        assert result.exit_code == 2 and "cannot write" in result.stderr
        assert [p.name for p in locked.iterdir()] in ([], ["page.html"])
        assert not any(p.name.endswith(".tmp") for p in locked.iterdir())
    finally:
        locked.chmod(0o700)


def test_kg_viz_open_without_a_browser_says_where_the_file_is(run_kg, tmp_path, monkeypatch):
    def no_browser():
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    result = run_kg("viz", "-o", str(tmp_path / "g.html"), "--open")
    assert result.exit_code == 0 and "open " in result.stderr and (tmp_path / "g.html").exists()


def test_kg_viz_open_hands_the_file_to_the_browser(run_kg, tmp_path, monkeypatch):
    opened = []

    class Browser:
        def open(self, url):
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda: Browser())
    assert run_kg("viz", "-o", str(tmp_path / "g.html"), "--open").exit_code == 0
    assert opened == [(tmp_path / "g.html").resolve().as_uri()]


def test_kg_build_also_writes_the_page(run_kg, tmp_path):
    result = run_kg("build", "-o", str(tmp_path))
    assert result.exit_code == 0
    assert len(_payload((tmp_path / "graph.html").read_text())["network"]["nodes"]) > 150


def test_the_python_api_names_the_network_functions():
    assert kg.project is project and callable(kg.write_page) and callable(kg.display_page)
    assert isinstance(kg.project(kg.load()), nx.MultiDiGraph)


def test_display_page_embeds_the_whole_page_in_an_iframe(network):
    from html import unescape

    shown = kg.display_page(network, height=500)
    match = re.fullmatch(r'<div><iframe srcdoc="([^"]*)" style="width:100%;height:500px;border:0" '
                         r'sandbox="allow-scripts"></iframe></div>', shown.data)
    assert match, shown.data[:200]
    document = unescape(match.group(1))
    assert document.startswith("<!doctype html>") and len(_payload(document)["network"]["nodes"]) == network.number_of_nodes()


def test_large_pages_skip_physics_and_dashes():
    from kg.page import PHYSICS_LIMIT

    big = nx.MultiDiGraph(sources={})
    for n in range(PHYSICS_LIMIT + 1):
        big.add_node(f"n/{n}", label=f"Entity {n}", labels={}, kind="person", facts=[], source_count=1, disputed=[])
        if n:
            big.add_edge(f"n/{n}", f"n/{n // 2}", key="k", relation="knows", sources=["source/s"])
    data = _payload(page_html(big))["network"]
    assert data["physics"] is False and data["dashed"] is False
    assert all("x" in node and "y" in node for node in data["nodes"])
    assert not any(edge.get("dashes") for edge in data["edges"]) and all(edge["single"] for edge in data["edges"])


def test_a_page_of_one_view_leaves_the_other_libraries_out_and_an_unknown_view_is_refused(network):
    from kg.page import PageOptions

    whole, only_map = page_html(network), page_html(network, PageOptions(view="map", views=("map",)))
    assert "vis.Network" in whole and "vis-timeline and vis-graph2d" in whole
    assert "vis.Network" not in only_map and "vis-timeline and vis-graph2d" not in only_map
    assert len(only_map) < len(whole) / 3
    assert set(_payload(only_map)) >= {"map", "details", "sources"} and "timeline" not in _payload(only_map)
    with pytest.raises(ValueError, match="unknown view 'globe'"):
        page_html(network, PageOptions(view="globe"))


def test_every_inlined_asset_is_listed_with_its_licence():
    from importlib.resources import files

    static = files("kg") / "static"
    readme = (static / "README.md").read_text(encoding="utf-8")
    assets = [p.name for p in static.iterdir() if p.name.endswith((".js", ".json"))]
    assert assets and all(f"`{name}`" in readme for name in assets)
    for licence in re.findall(r"`([\w.-]+\.LICENSE\.txt)`", readme):
        assert (static / licence).is_file() and "Permission" in (static / licence).read_text(encoding="utf-8")


def test_the_shortest_connection_does_not_depend_on_the_order_edges_were_added(graph):
    import random

    network = kg.project(graph)
    pairs = (("person/rhys-ifans", "person/neil-armstrong"), ("person/rhys-ifans", "show/for-all-mankind"))
    expected = {pair: [c.words(network) for c in kg.connections(network, *pair)] for pair in pairs}
    for pair in pairs:  # the first in order of all the shortest ones, as the docstring promises
        (given,) = kg.connections(network, *pair)
        first = min(nx.all_shortest_paths(network.to_undirected(as_view=True), *pair))
        assert [given.steps[0].start, *(step.end for step in given.steps)] == first
    for seed in range(8):
        nodes, edges = list(network.nodes(data=True)), list(network.edges(keys=True, data=True))
        random.Random(seed).shuffle(nodes)
        random.Random(seed).shuffle(edges)
        shuffled = nx.MultiDiGraph()
        shuffled.graph.update(network.graph)
        shuffled.add_nodes_from(nodes)
        shuffled.add_edges_from(edges)
        for pair in pairs:
            assert [c.words(shuffled) for c in kg.connections(shuffled, *pair)] == expected[pair], (seed, pair)
