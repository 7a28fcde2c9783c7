  // ── the timeline: real history on one track, the shows' invented history on another (vis-timeline) ──
  views.timeline = (function () {
    var tl = data.timeline, view = { timeline: null, items: null, arrows: null, axis: "story", show: "", season: "" };
    var byId = {};
    tl.items.forEach(function (item) { byId[item.id] = item; });
    var DAY = 24 * 3600 * 1000;

    function eventTip(id) {
      var item = byId[id], box = nodeTip(id, 6);
      var when = view.axis === "air" ? "revealed on air " + item.aired : (item.shown || "undated") + (item.end ? " – " + item.end : "");
      box.insertBefore(el("div", when, "kind"), box.childNodes[2]);
      item.departs.forEach(function (d) {
        if (visible(d.to)) box.appendChild(el("div", "departs from " + label(d.to) + sourceLine(d.sources.filter(sourceKnown)), "rel"));
      });
      return box;
    }
    function wanted(item) {
      if (!visible(item.id)) return false;
      if (view.axis === "air" && (item.track === "real" || !item.aired)) return false;
      if (view.axis === "story" && !item.start) return false;
      if (view.show && item.track === "invented" && item.shows.indexOf(view.show) < 0) return false;
      if (view.season && item.track === "invented" && item.seasons.indexOf(view.show + ":" + view.season) < 0) return false;
      return true;
    }
    function asItem(item) {
      var start = view.axis === "air" ? item.aired : item.start;
      var out = { id: item.id, group: item.track, start: start, className: item.track, type: "point" };
      if (view.axis === "story" && item.end) { out.end = item.end; out.type = "range"; }
      return out;
    }

    view.init = function () {
      view.items = new vis.DataSet();
      var groups = new vis.DataSet([
        { id: "real", content: el("span", "Real history"), order: 1 },
        { id: "invented", content: el("span", "The shows' history"), order: 2 },
      ]);
      var container = document.getElementById("timeline");
      view.timeline = new vis.Timeline(container, view.items, groups, {
        // Items and groups are drawn from DOM elements made with textContent, never from HTML strings.
        template: function (item) { return el("span", label(item.id), "ev"); },
        groupOrder: "order", stack: true, selectable: true, multiselect: false, showTooltips: false,
        zoomMin: DAY, zoomMax: 150 * 365 * DAY, orientation: { axis: "top" }, margin: { item: 6 },
        min: new Date(1900, 0, 1), max: new Date(2100, 0, 1), height: "100%", verticalScroll: true,
      });
      view.timeline.on("itemover", function (p) { showTip(eventTip(p.item), p.event.clientX, p.event.clientY); });
      view.timeline.on("itemout", hideTip);
      view.timeline.on("select", function (p) { showSelected(p.items[0] || null); });
      view.arrows = new Arrow(view.timeline, [], { color: "#cc3311", strokeWidth: 1.5, followRelationships: true });
      view.timeline.once("changed", function () { ready("timeline"); });
      state.timeline = view;
    };
    view.apply = function () {
      var shown = tl.items.filter(wanted);
      view.items.clear();
      view.items.add(shown.map(asItem));
      var here = {};
      shown.forEach(function (item) { here[item.id] = true; });
      // Each invented event joined to the real event it departs from.
      var joins = [];
      shown.forEach(function (item) {
        item.departs.forEach(function (d) {
          if (here[d.to] && anyKnown(d.sources)) joins.push({ id: item.id + ">" + d.to, id_item_1: item.id, id_item_2: d.to, direction: 1, line: 1 });
        });
      });
      view.arrows.getIdArrows().forEach(function (id) { view.arrows.removeArrow(id); });
      joins.forEach(function (j) { view.arrows.addArrow(j); });
      view.joins = joins;
      var undated = document.getElementById("undated"), list = undated.querySelector("ul");
      list.replaceChildren();
      var missing = tl.items.filter(function (item) {
        return visible(item.id) && (view.axis === "air" ? item.track === "real" || !item.aired : !item.start);
      });
      missing.forEach(function (item) { var li = el("li"); li.appendChild(entityLink(item.id)); list.appendChild(li); });
      undated.querySelector("summary").textContent = missing.length + (view.axis === "air"
        ? " events not placed on the air-date axis (real history, or not yet tied to an episode)"
        : " events without a known date in the story");
      undated.hidden = !missing.length;
      if (shown.length && current === "timeline") view.timeline.fit({ animation: false }); else view.needsFit = !!shown.length;
    };
    view.shown = function () {
      if (view.needsFit) { view.needsFit = false; view.timeline.fit({ animation: false }); }
    };
    view.select = function (id) {
      if (!view.items.get(id)) { view.clear(); return false; }
      view.timeline.setSelection([id], { focus: true, animation: false });
      return true;
    };
    view.clear = function () { view.timeline.setSelection([]); };

    // Controls: which axis, which show and season.
    var box = el("fieldset");
    box.appendChild(el("legend", "Timeline"));
    var axis = el("select"), show = el("select"), season = el("select");
    axis.id = "timeline-axis"; show.id = "timeline-show"; season.id = "timeline-season";
    [["story", "dates in the story"], ["air", "air dates (when an episode revealed it)"]].forEach(function (o) {
      axis.appendChild(Object.assign(el("option", o[1]), { value: o[0] }));
    });
    show.appendChild(Object.assign(el("option", "both shows"), { value: "" }));
    data.shows.forEach(function (s) { show.appendChild(Object.assign(el("option", s.label), { value: s.slug })); });
    function seasons() {
      season.replaceChildren(Object.assign(el("option", "every season"), { value: "" }));
      var chosen = data.shows.filter(function (s) { return s.slug === view.show; })[0];
      var numbers = chosen ? chosen.episodes.map(function (e) { return e.season; }).filter(function (n, i, all) { return all.indexOf(n) === i; }) : [];
      numbers.forEach(function (n) { season.appendChild(Object.assign(el("option", "season " + n), { value: String(n) })); });
      season.disabled = !chosen;
    }
    seasons();
    axis.addEventListener("change", function () { view.axis = axis.value; view.apply(); });
    show.addEventListener("change", function () { view.show = show.value; view.season = ""; seasons(); view.apply(); });
    season.addEventListener("change", function () { view.season = season.value; view.apply(); });
    [["Axis", axis], ["Show", show], ["Season", season]].forEach(function (pair) {
      var row = el("label", pair[0], "row"); row.appendChild(pair[1]); box.appendChild(row);
    });
    box.appendChild(el("p", "Dashed arrows join an invented event to the real one it departs from. Scroll to zoom " +
      "from decades to days; drag to move. Hover an event for its date and sources; click it to pin its facts here.", "legend-note"));
    view.controls = box;
    return view;
  })();
