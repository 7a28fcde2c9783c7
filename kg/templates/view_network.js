  // ── the network: every entity and relation, drawn with vis-network ──
  views.network = (function () {
    var net = data.network, view = { network: null, nodes: null, edges: null, allLabels: false };
    var hiddenKinds = {}, boxes = {};
    // Labels at the opening zoom only on the most important entities; all of them from this zoom on.
    var ALL_LABELS_SCALE = 0.8;

    function nodeLabel(n) { return n.major || view.allLabels ? n.name : ""; }
    function edgeTip(e) {
      var box = el("div", null, "tip");
      box.appendChild(el("strong", label(e.from) + " — " + e.label + " → " + label(e.to)));
      if (e.single) box.appendChild(el("div", "one source only", "kind"));
      if (e.seasons && e.seasons.length) box.appendChild(el("div", "seasons: " + e.seasons.join(", ")));
      var list = el("ul"), known = e.sources.filter(sourceKnown);
      (known.length ? known : [null]).forEach(function (s) { list.appendChild(el("li", s ? cite(s) : "no source", "src")); });
      box.appendChild(list);
      return box;
    }
    function nodeHidden(n) { return !!hiddenKinds[n.kind] || !visible(n.id); }

    view.init = function () {
      view.nodes = new vis.DataSet(net.nodes.map(function (n) { return Object.assign({}, n, { label: nodeLabel(n) }); }));
      // On a large graph the canvas draws no edge labels (thousands of them cost a search seconds); hover tells.
      view.edges = new vis.DataSet(net.physics ? net.edges : net.edges.map(function (e) { return Object.assign({}, e, { label: undefined }); }));
      var container = document.getElementById("view-network");
      var network = view.network = new vis.Network(container, { nodes: view.nodes, edges: view.edges }, net.options);
      var started = performance.now();
      function settled() {
        state.stable = true;
        state.settledAfterMs = performance.now() - started;
        document.body.setAttribute("data-stable", "true");
        ready("network");
      }
      if (net.physics) {
        // Settle once, then switch the simulation off so that the layout stays still.
        network.once("stabilizationIterationsDone", function () {
          network.setOptions({ physics: { enabled: false } });
          sizeMajorLabels();
          settled();
        });
      } else {
        network.once("afterDrawing", settled);
      }
      // The major labels keep a readable size on screen however far out the view is zoomed.
      var majors = net.nodes.filter(function (n) { return n.major; });
      function sizeMajorLabels() {
        var size = Math.max(13, 13 / network.getScale());
        view.nodes.update(majors.map(function (n) { return { id: n.id, font: { size: size, strokeWidth: size / 4 } }; }));
      }
      network.on("zoom", function () {
        sizeMajorLabels();
        var all = network.getScale() >= ALL_LABELS_SCALE;
        if (all === view.allLabels) return;
        view.allLabels = all;
        view.nodes.update(net.nodes.filter(function (n) { return !n.major; }).map(function (n) { return { id: n.id, label: nodeLabel(n) }; }));
      });
      network.once("afterDrawing", sizeMajorLabels);
      network.on("hoverNode", function (p) { showTip(nodeTip(p.node, 10), p.event.clientX, p.event.clientY); });
      var edgeById = {};
      net.edges.forEach(function (e) { edgeById[e.id] = e; });
      network.on("hoverEdge", function (p) { showTip(edgeTip(edgeById[p.edge]), p.event.clientX, p.event.clientY); });
      network.on("blurNode", hideTip);
      network.on("blurEdge", hideTip);
      network.on("dragStart", hideTip);
      network.on("selectNode", function (p) { showSelected(p.nodes[0]); });
      network.on("deselectNode", function () { showSelected(null); });
      state.network = network;
      state.nodes = view.nodes;
      state.edges = view.edges;
    };

    view.apply = function () {
      view.nodes.update(net.nodes.map(function (n) { return { id: n.id, hidden: nodeHidden(n) }; }));
      var byId = {};
      net.nodes.forEach(function (n) { byId[n.id] = n; });
      view.edges.update(net.edges.map(function (e) {
        return { id: e.id, hidden: nodeHidden(byId[e.from]) || nodeHidden(byId[e.to]) || !anyKnown(e.sources) };
      }));
    };
    // A network drawn while its tab was hidden has a canvas of no size until vis-network's own resize check.
    view.shown = function () { if (view.network) view.network.redraw(); };
    view.select = function (id) {
      var node = view.nodes.get(id);
      if (!node) { view.clear(); return false; }
      if (node.hidden && details[id] && hiddenKinds[details[id].kind]) setKindHidden(details[id].kind, false);
      view.network.selectNodes([id]);
      view.network.focus(id, { scale: 1.3, animation: false });
      return true;
    };
    view.clear = function () { view.network.unselectAll(); };

    function setKindHidden(kind, hidden) {
      hiddenKinds[kind] = hidden;
      if (boxes[kind]) boxes[kind].checked = !hidden;
      view.apply();
    }
    var legend = el("fieldset");
    legend.id = "legend";
    legend.appendChild(el("legend", "Classes (untick to hide)"));
    net.legend.forEach(function (item) {
      var row = el("label"), box = el("input"), swatch = el("span", null, "swatch " + item.shape);
      box.type = "checkbox"; box.checked = true; box.value = item.kind;
      swatch.style.background = item.colour;
      box.addEventListener("change", function () { setKindHidden(item.kind, !box.checked); });
      boxes[item.kind] = box;
      row.appendChild(box); row.appendChild(swatch); row.appendChild(el("span", item.kind));
      legend.appendChild(row);
    });
    var marks = el("ul", null, "marks");
    [["ring", "sources disagree about this entity (kg conflicts)"],
     ["dashed-ring", "everything about it comes from one source"],
     [net.dashed ? "dashed-line" : "pale-line", "a relation only one source states"]].forEach(function (mark) {
      var li = el("li"); li.appendChild(el("span", null, mark[0])); li.appendChild(el("span", mark[1])); marks.appendChild(li);
    });
    legend.appendChild(marks);
    legend.appendChild(el("p", "Node size: " + (net.measure === "betweenness"
      ? "how often an entity lies on the shortest path between two others (betweenness)"
      : "how many entities it is linked to (degree)") + "; only the largest are labelled until you zoom in. " +
      "Hover a node or an edge for its facts and their sources; click a node to pin them here.", "legend-note"));
    view.controls = legend;
    return view;
  })();
