"""The page's four views in Chromium: each draws, hovers and clicks show sources, and the spoiler controls
hide a later fact and show it again, with no request leaving the page. Screenshots go to test-output/."""

from __future__ import annotations

import json
import re
import time

import pytest

from kg.network import project
from kg.page import PageOptions, write_page
from kg.page_network import LABELLED
from tests.browsing import EVIL, SCREENSHOTS, OpenedPage

FAM, STAR_CITY = "show/for-all-mankind", "show/star-city"


def payload(path) -> dict:
    html = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1))


@pytest.fixture(scope="module")
def views(graph, browser, tmp_path_factory):
    path = write_page(project(graph), tmp_path_factory.mktemp("views") / "graph.html")
    opened = OpenedPage(browser, path)
    yield payload(path), opened
    opened.close()


def open_view(opened: OpenedPage, name: str) -> None:
    opened.page.click(f'#tabs button[data-view="{name}"]')
    opened.page.wait_for_function(f"() => window.famkg.ready[{name!r}] === true", timeout=30_000)


def watch(opened: OpenedPage, show: str, value: str) -> None:
    opened.page.select_option(f'select[data-show="{show}"]', value)


def set_as_of(opened: OpenedPage, day: str) -> None:
    opened.js("(day) => { const input = document.getElementById('as-of'); input.value = day;"
              " input.dispatchEvent(new Event('change')); }", day)


def reset(opened: OpenedPage) -> None:
    for show in (FAM, STAR_CITY):
        watch(opened, show, "all")
    set_as_of(opened, "")


def hover_canvas_node(opened: OpenedPage, which: str, node: str) -> None:
    """Move the mouse onto a vis-network node (``which``: famkg.network or famkg.relations.network)."""
    point = opened.js(f"""(id) => {{
        const net = {which}, pos = net.getPositions([id])[id], dom = net.canvasToDOM(pos);
        const box = net.body.container.getBoundingClientRect();
        return [box.left + dom.x, box.top + dom.y];
    }}""", node)
    opened.page.mouse.move(point[0] - 40, point[1] - 40)
    opened.page.mouse.move(*point, steps=4)
    opened.page.wait_for_selector("#tip:not([hidden])", timeout=5_000)


def dated_invented_event_revealed_after_season_one(data: dict) -> str:
    return next(item["id"] for item in data["timeline"]["items"]
                if item["track"] == "invented" and item["start"] and item["shows"] == [FAM]
                and data["details"][item["id"]]["revealed"][FAM][0] >= 2)


def test_each_view_draws_its_items_and_is_screenshotted(views):
    data, opened = views
    SCREENSHOTS.mkdir(exist_ok=True)
    counts = {}
    for name in ("network", "timeline", "map", "relations"):
        open_view(opened, name)
        time.sleep(0.3)
        opened.page.screenshot(path=str(SCREENSHOTS / f"view-{name}.png"))
    counts["timeline"] = opened.js("() => window.famkg.timeline.items.length")
    counts["drawn events"] = opened.js("() => document.querySelectorAll('#timeline .vis-item').length")
    counts["earth"] = opened.js("""() => [...document.querySelectorAll('#map-earth circle')]
        .reduce((n, c) => n + (c.dataset.members ? c.dataset.members.split(' ').length : 1), 0)""")
    counts["relations"] = opened.js("() => window.famkg.relations.edges.get({filter: e => !e.hidden}).length")
    dated = [i for i in data["timeline"]["items"] if i["start"]]
    assert counts["timeline"] == len(dated) > 40
    assert counts["drawn events"] > 0
    assert counts["earth"] == sum(1 for p in data["map"]["places"] if p["body"] == "earth") > 10
    assert counts["relations"] == len(data["relations"]["edges"]) >= 60
    for body in ("moon", "mars"):
        sites = sum(1 for p in data["map"]["places"] if p["body"] == body)
        drawn = opened.js(f"""() => [...document.querySelectorAll('#map-{body} circle')]
            .reduce((n, c) => n + (c.dataset.members ? c.dataset.members.split(' ').length : 1), 0)""")
        assert drawn == sites > 0


def test_the_timeline_joins_an_invented_event_to_the_real_one_it_departs_from(views):
    _, opened = views
    reset(opened)
    open_view(opened, "timeline")
    joins = opened.js("() => window.famkg.timeline.joins.map(j => [j.id_item_1, j.id_item_2])")
    assert ["event/soviet-moon-landing", "event/apollo-11-moon-landing"] in joins
    index = opened.js("""() => window.famkg.timeline.arrows._dependency
        .findIndex(d => d.id_item_1 === 'event/soviet-moon-landing' && d.id_item_2 === 'event/apollo-11-moon-landing')""")
    path = opened.js(f"() => window.famkg.timeline.arrows._dependencyPath[{index}].getAttribute('d')")
    assert path and re.match(r"M\s*-?\d", path)  # the arrow is drawn, not merely listed


def test_timeline_hover_shows_date_and_sources_and_click_pins_the_event(views):
    data, opened = views
    reset(opened)
    open_view(opened, "timeline")
    opened.page.hover('#timeline .vis-item .ev:text-is("Soviet Moon landing (alternate history)")')
    opened.page.wait_for_selector("#tip:not([hidden])", timeout=5_000)
    tip = opened.page.inner_text("#tip")
    assert "1969-06-26" in tip and "departs from Apollo 11" in tip
    assert data["sources"]["source/vulture-2019-11"]["cite"] in tip
    opened.page.click('#timeline .vis-item .ev:text-is("Soviet Moon landing (alternate history)")')
    assert "Soviet Moon landing" in opened.page.inner_text("#selected")


def test_the_air_date_axis_and_the_show_filter(views):
    data, opened = views
    reset(opened)
    open_view(opened, "timeline")
    opened.page.select_option("#timeline-axis", "air")
    aired = [i for i in data["timeline"]["items"] if i["track"] == "invented" and i["aired"]]
    assert opened.js("() => window.famkg.timeline.items.length") == len(aired) > 20
    assert opened.js("() => window.famkg.timeline.items.get({filter: i => i.group === 'real'}).length") == 0
    opened.page.select_option("#timeline-axis", "story")
    opened.page.select_option("#timeline-show", STAR_CITY)
    invented = opened.js("() => window.famkg.timeline.items.get({filter: i => i.group === 'invented'}).map(i => i.id)")
    expected = [i["id"] for i in data["timeline"]["items"]
                if i["track"] == "invented" and i["start"] and STAR_CITY in i["shows"]]
    assert sorted(invented) == sorted(expected) and expected
    opened.page.select_option("#timeline-show", "")


def test_the_earth_map_draws_a_line_from_vingis_parks_city_to_star_city(views):
    data, opened = views
    reset(opened)
    open_view(opened, "map")
    line = opened.js("""() => { const l = document.querySelector('#map-earth line[data-from="place/vingis-park"][data-to="place/star-city"]');
        return l && ['x1', 'y1', 'x2', 'y2'].map(a => Number(l.getAttribute(a))); }""")
    vilnius = data["details"]["place/vilnius"]
    star_city = next(p for p in data["map"]["places"] if p["id"] == "place/star-city")
    park = next(p for p in data["map"]["places"] if p["id"] == "place/vingis-park")
    assert park["via"] == "place/vilnius"  # no coordinates of its own: drawn at its city
    lat = float(next(f["value"] for f in vilnius["facts"] if f["relation"] == "latitude"))
    lon = float(next(f["value"] for f in vilnius["facts"] if f["relation"] == "longitude"))
    assert line == pytest.approx([lon, -lat, star_city["lon"], -star_city["lat"]])
    unplaced = opened.page.inner_text("#unplaced")
    assert "Happy Valley" in unplaced and "Not on the map" in unplaced


def test_the_map_clusters_close_places_and_a_click_on_a_cluster_zooms_in(views):
    _, opened = views
    reset(opened)
    open_view(opened, "map")
    opened.page.click('#view-map [data-zoom="reset"]')
    clusters = opened.js("() => document.querySelectorAll('#map-earth circle.cluster').length")
    assert clusters > 0
    before = opened.js("() => document.getElementById('map-earth').getAttribute('viewBox')")
    opened.js("() => document.querySelector('#map-earth circle.cluster').dispatchEvent(new MouseEvent('click'))")
    after = opened.js("() => document.getElementById('map-earth').getAttribute('viewBox')")
    assert float(after.split()[2]) < float(before.split()[2])
    opened.page.click('#view-map [data-zoom="reset"]')


def test_map_hover_shows_the_sources_and_a_click_pins_the_place(views):
    data, opened = views
    reset(opened)
    open_view(opened, "map")
    site = '#map-earth circle[data-id="place/baikonur-cosmodrome"]'
    opened.page.hover(site)
    opened.page.wait_for_selector("#tip:not([hidden])", timeout=5_000)
    facts = data["details"]["place/baikonur-cosmodrome"]["facts"]
    assert data["sources"][facts[0]["sources"][0]]["cite"] in opened.page.inner_text("#tip")
    opened.js(f"() => document.querySelector('{site}').dispatchEvent(new MouseEvent('click'))")
    assert "Baikonur" in opened.page.inner_text("#selected")


def test_relations_show_every_actor_of_a_character_and_a_legend_of_kinds(views):
    data, opened = views
    reset(opened)
    open_view(opened, "relations")
    text = opened.js("() => window.famkg.relations.nodes.get('character/aleida-rosales').label")
    assert "Olivia Trujillo" in text and "Coral Peña" in text
    legend = opened.page.inner_text("#view-controls")
    assert all(kind["kind"] in legend for kind in data["relations"]["kinds"])
    hover_canvas_node(opened, "window.famkg.relations.network", "character/aleida-rosales")
    assert "Aleida Rosales" in opened.page.inner_text("#tip")


def test_the_network_labels_the_most_important_entities_until_zoomed_in(views):
    data, opened = views
    reset(opened)
    open_view(opened, "network")
    opened.js("() => window.famkg.network.fit({animation: false})")
    labelled = "() => window.famkg.nodes.get({filter: n => n.label !== ''}).length"
    assert opened.js(labelled) == LABELLED < len(data["network"]["nodes"])
    box = opened.page.locator("#view-network canvas").bounding_box()
    opened.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(40):  # vis-network zooms by about a tenth a notch
        opened.page.mouse.wheel(0, -400)
        if opened.js("() => window.famkg.network.getScale()") >= 1:
            break
    opened.page.wait_for_function(f"() => window.famkg.nodes.get({{filter: n => n.label !== ''}}).length > {LABELLED}")
    opened.js("() => window.famkg.network.focus('person/rhys-ifans', {scale: 1.5, animation: false})")
    hover_canvas_node(opened, "window.famkg.network", "person/rhys-ifans")
    assert "Rhys Ifans" in opened.page.inner_text("#tip")
    opened.js("() => window.famkg.network.fit({animation: false})")


def test_watched_up_to_hides_a_later_fact_in_every_view_and_shows_it_again(views):
    data, opened = views
    reset(opened)
    event = dated_invented_event_revealed_after_season_one(data)
    relationship = next(e["id"] for e in data["relations"]["edges"]
                        if data["details"][e["id"]].get("revealed", {}).get(FAM, [0])[0] >= 3)
    hidden_in = {
        "network": f"() => window.famkg.nodes.get({relationship!r}).hidden === true",
        "timeline": f"() => window.famkg.timeline.items.get({event!r}) === null",
        "relations": f"() => window.famkg.relations.edges.get({relationship!r}).hidden === true",
    }
    for name in hidden_in:
        open_view(opened, name)
    assert not any(opened.js(check) for check in hidden_in.values())
    watch(opened, FAM, "1.1")
    watch(opened, STAR_CITY, "none")
    assert all(opened.js(check) for check in hidden_in.values())
    assert "entities hidden" in opened.page.inner_text("#filter-status")
    opened.page.fill("#search-input", data["details"][event]["label"])
    opened.page.press("#search-input", "Enter")
    assert "No entity is called" in opened.page.inner_text("#search-status")  # search does not leak it either
    watch(opened, FAM, "all")
    watch(opened, STAR_CITY, "all")
    assert not any(opened.js(check) for check in hidden_in.values())


def test_known_as_of_hides_what_no_source_had_said_by_then(views):
    data, opened = views
    reset(opened)
    open_view(opened, "network")
    day = "2019-06-01"
    later = sorted(n for n, d in data["details"].items() if not d["known"] or d["known"] > day)
    set_as_of(opened, day)
    hidden = opened.js("() => window.famkg.nodes.get({filter: n => n.hidden}).map(n => n.id).sort()")
    assert hidden == later and "show/star-city" in later
    set_as_of(opened, "")
    assert opened.js("() => window.famkg.nodes.get({filter: n => n.hidden}).length") == 0


def test_the_page_remembers_nothing_between_visits(views):
    _, opened = views
    watch(opened, FAM, "1.1")
    stored = opened.js("() => [localStorage.length, sessionStorage.length, document.cookie]")
    assert stored == [0, 0, ""]
    opened.page.reload()
    opened.page.wait_for_function("() => window.famkg && window.famkg.stable === true", timeout=30_000)
    assert opened.js(f"() => document.querySelector('select[data-show=\"{FAM}\"]').value") == "all"
    assert opened.js("() => document.body.dataset.view") == "network"


def test_a_page_made_for_a_viewer_opens_at_their_episode_and_offers_nothing_later(graph, browser, tmp_path):
    import kg

    seen = kg.watched(graph, "S2E4")
    options = PageOptions(view="timeline", watched={FAM: [2, 4], STAR_CITY: None})
    path = write_page(project(seen), tmp_path / "viewer.html", options)
    opened = OpenedPage(browser, path, bypass_csp=False, wait_for="timeline")
    try:
        fam = opened.js(f"() => [...document.querySelector('select[data-show=\"{FAM}\"]').options].map(o => o.value)")
        assert fam[0] == "none" and fam[-1] == "2.4" and "all" not in fam
        assert opened.js(f"() => document.querySelector('select[data-show=\"{STAR_CITY}\"]').value") == "none"
        assert opened.js("() => document.body.dataset.view") == "timeline"
        assert opened.blocked == [] and not [e for e in opened.console if e[0] in ("error", "pageerror")]
    finally:
        opened.close()


def test_every_view_keeps_a_hostile_label_inert_with_the_pages_own_policy(graph, browser, tmp_path):
    network = project(graph)
    for node in ("event/soviet-moon-landing", "place/baikonur-cosmodrome", "character/aleida-rosales"):
        network.nodes[node]["label"] = EVIL + node
    path = write_page(network, tmp_path / "hostile.html")
    opened = OpenedPage(browser, path, bypass_csp=False)
    try:
        for name in ("timeline", "map", "relations"):
            opened.page.click(f'#tabs button[data-view="{name}"]')
            opened.page.wait_for_selector(f'body[data-ready-{name}="true"]', timeout=30_000)
        opened.page.click('#tabs button[data-view="timeline"]')
        opened.page.hover(f'#timeline .vis-item .ev:text-is("{EVIL}event/soviet-moon-landing")')
        assert EVIL in opened.page.inner_text("#tip")
        opened.page.click('#tabs button[data-view="map"]')
        assert EVIL in opened.js("() => document.getElementById('map-earth').textContent")
        assert opened.js("() => document.querySelectorAll('img').length") == 0
        assert opened.dialogs == [] and opened.blocked == []
        assert not [e for e in opened.console if e[0] in ("error", "pageerror")]
    finally:
        opened.close()


@pytest.mark.parametrize("only", ["timeline", "map"])
def test_a_page_with_one_view_draws_it_with_only_its_library(graph, browser, tmp_path, only):
    path = write_page(project(graph), tmp_path / f"{only}.html", PageOptions(view=only, views=(only,)))
    opened = OpenedPage(browser, path, bypass_csp=False, wait_for=only)
    try:
        assert opened.js("() => [typeof vis === 'undefined' || !vis.Network, document.querySelectorAll('#tabs button').length]") \
            == [True, 1]
        assert opened.js("() => document.querySelector('#tabs').hidden") is True
        assert not [e for e in opened.console if e[0] in ("error", "pageerror")] and opened.blocked == []
    finally:
        opened.close()
