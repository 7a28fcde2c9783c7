  // ── relations: the characters and their relationships, one show at a time, every actor under each name ──
  views.relations = (function () {
    var r = data.relations, view = { network: null, nodes: null, edges: null, show: data.shows.length ? data.shows[0].slug : "" };
    var characters = {};
    r.nodes.forEach(function (n) { characters[n.id] = n; });

    function nodeText(n) {
      var actors = n.actors.filter(visible).map(label);
      return label(n.id) + (actors.length ? "\n" + actors.join(" · ") : "");
    }
    function relationTip(e) {
      var box = el("div", null, "tip");
      box.appendChild(el("strong", label(e.id)));
      box.appendChild(el("div", e.kind, "kind"));
      var list = el("ul"), known = e.sources.filter(sourceKnown);
      (known.length ? known : [null]).forEach(function (s) { list.appendChild(el("li", s ? cite(s) : "no source", "src")); });
      box.appendChild(list);
      return box;
    }
    function inShow(n) { return !view.show || n.shows.indexOf(view.show) >= 0; }

    view.init = function () {
      view.nodes = new vis.DataSet(r.nodes.map(function (n) {
        var node = { id: n.id, label: nodeText(n), shape: "box", color: { background: "#f6e3ee", border: "#cc79a7" },
                     font: { multi: false, size: 13 }, margin: 6 };
        if (!r.physics) { node.x = n.x; node.y = n.y; }
        return node;
      }));
      view.edges = new vis.DataSet(r.edges.map(function (e) {
        return { id: e.id, from: e.from, to: e.to, label: e.kind, color: { color: e.colour, highlight: e.colour },
                 arrows: e.directed ? "to" : "", width: 2, font: { size: 10, color: e.colour, strokeWidth: 3 } };
      }));
      var network = view.network = new vis.Network(document.getElementById("relations"), { nodes: view.nodes, edges: view.edges }, {
        physics: { enabled: r.physics, solver: "forceAtlas2Based",
                   forceAtlas2Based: { gravitationalConstant: -120, springLength: 140, avoidOverlap: 0.6 },
                   stabilization: { enabled: r.physics, iterations: 400, fit: true }, minVelocity: 1 },
        layout: { randomSeed: 1 }, interaction: { hover: true },
        edges: { smooth: { enabled: r.physics, type: "continuous" } },
      });
      if (r.physics) {
        network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: { enabled: false } }); ready("relations"); });
      } else {
        network.once("afterDrawing", function () { ready("relations"); });
      }
      network.on("hoverNode", function (p) { showTip(nodeTip(p.node, 8), p.event.clientX, p.event.clientY); });
      network.on("hoverEdge", function (p) { showTip(relationTip(byEdge[p.edge]), p.event.clientX, p.event.clientY); });
      network.on("blurNode", hideTip);
      network.on("blurEdge", hideTip);
      network.on("selectNode", function (p) { showSelected(p.nodes[0]); });
      network.on("selectEdge", function (p) { if (!p.nodes.length) showSelected(p.edges[0]); });
      network.on("deselectNode", function () { showSelected(null); });
      state.relations = view;
    };
    var byEdge = {};
    r.edges.forEach(function (e) { byEdge[e.id] = e; });
    view.apply = function () {
      var linked = {};
      r.edges.forEach(function (e) {
        e.shown = visible(e.id) && visible(e.from) && visible(e.to) && inShow(characters[e.from]) && inShow(characters[e.to]);
        if (e.shown) { linked[e.from] = true; linked[e.to] = true; }
      });
      view.edges.update(r.edges.map(function (e) { return { id: e.id, hidden: !e.shown }; }));
      view.nodes.update(r.nodes.map(function (n) { return { id: n.id, hidden: !linked[n.id], label: nodeText(n) }; }));
      // A hidden tab has no size to fit to: it is fitted when next shown.
      if (current === "relations") view.network.fit({ animation: false }); else view.needsFit = true;
    };
    // A network drawn while its tab was hidden has a canvas of no size until vis-network's own resize check.
    view.shown = function () {
      view.network.redraw();
      if (view.needsFit) { view.needsFit = false; view.network.fit({ animation: false }); }
    };
    view.select = function (id) {
      var node = view.nodes.get(id);
      if (!node || node.hidden) { view.clear(); return false; }
      view.network.selectNodes([id]);
      view.network.focus(id, { scale: 1.2, animation: false });
      return true;
    };
    view.clear = function () { view.network.unselectAll(); };

    var box = el("fieldset"), show = el("select");
    show.id = "relations-show";
    box.appendChild(el("legend", "Relationships"));
    data.shows.forEach(function (s) { show.appendChild(Object.assign(el("option", s.label), { value: s.slug })); });
    show.appendChild(Object.assign(el("option", "both shows"), { value: "" }));
    show.value = view.show;
    show.addEventListener("change", function () { view.show = show.value; view.apply(); });
    var row = el("label", "Show", "row");
    row.appendChild(show);
    box.appendChild(row);
    r.kinds.forEach(function (k) {
      var item = el("label"), swatch = el("span", null, "swatch line");
      swatch.style.background = k.colour;
      item.appendChild(swatch); item.appendChild(el("span", k.kind));
      box.appendChild(item);
    });
    box.appendChild(el("p", "Under each character, every actor who plays them. An arrow points from the parent, " +
      "commander, handler or mentor. Hover a line for its sources.", "legend-note"));
    view.controls = box;
    return view;
  })();
