  // ── the map: Earth's land (Natural Earth), the Moon and Mars as graticules; x = longitude, y = −latitude ──
  views.map = (function () {
    var m = data.map, view = { box: null, selected: null };
    var WORLD = { x: -180, y: -90, w: 360, h: 180 };
    var CLUSTER_PX = 16;
    var byId = {};
    m.places.forEach(function (p) { byId[p.id] = p; });

    function placeTip(id) {
      var box = nodeTip(id, 6), p = byId[id];
      if (p && p.via) box.insertBefore(el("div", "shown at " + label(p.via) + ", which contains it", "kind"), box.childNodes[2]);
      return box;
    }
    function hover(node, id) {
      node.addEventListener("mousemove", function (event) { showTip(id ? placeTip(id) : node.tipBox(), event.clientX, event.clientY); });
      node.addEventListener("mouseleave", hideTip);
    }
    function graticule(svg) {
      var g = svgEl("g");
      for (var lon = -150; lon <= 150; lon += 30) g.appendChild(svgEl("line", { x1: lon, y1: -90, x2: lon, y2: 90, "class": "graticule" }));
      for (var lat = -60; lat <= 60; lat += 30) g.appendChild(svgEl("line", { x1: -180, y1: -lat, x2: 180, y2: -lat, "class": "graticule" + (lat === 0 ? " equator" : "") }));
      svg.appendChild(g);
    }
    function scaleOf(svg, viewBox) {  // map units per screen pixel ("meet": the tighter of the two sides decides)
      return Math.max(viewBox.w / (svg.clientWidth || 600), viewBox.h / (svg.clientHeight || 300));
    }
    function mapPoint(svg, clientX, clientY) {
      var point = svg.createSVGPoint();
      point.x = clientX; point.y = clientY;
      return point.matrixTransform(svg.getScreenCTM().inverse());
    }

    // Draw the sites of one body within viewBox: nearby ones (closer than CLUSTER_PX on screen) merge into a cluster.
    function drawSites(svg, body, viewBox, layer) {
      layer.replaceChildren();
      var unit = scaleOf(svg, viewBox), shown = m.places.filter(function (p) { return p.body === body && visible(p.id); });
      if (body === "earth") {
        m.lines.forEach(function (line) {
          var a = byId[line.from], b = byId[line.to];
          if (!visible(a.id) || !visible(b.id) || !anyKnown(line.sources)) return;
          var path = svgEl("line", { x1: a.lon, y1: -a.lat, x2: b.lon, y2: -b.lat, "class": "stands-in",
                                     "stroke-width": 2 * unit, "data-from": a.id, "data-to": b.id });
          path.tipBox = function () {
            var t = el("div", null, "tip");
            t.appendChild(el("strong", label(a.id) + " stands in for " + label(b.id)));
            var list = el("ul");
            line.sources.filter(sourceKnown).forEach(function (s) { list.appendChild(el("li", cite(s), "src")); });
            t.appendChild(list);
            return t;
          };
          path.style.pointerEvents = "stroke";
          hover(path, null);
          layer.appendChild(path);
        });
      }
      var clusters = [];
      shown.forEach(function (p) {
        var near = clusters.filter(function (c) { return Math.hypot(c.x - p.lon, c.y + p.lat) < CLUSTER_PX * unit; })[0];
        if (near) near.members.push(p); else clusters.push({ x: p.lon, y: -p.lat, members: [p] });
      });
      clusters.forEach(function (c) {
        if (c.members.length === 1) {
          var p = c.members[0], dot = svgEl("circle", { cx: c.x, cy: c.y, r: 5 * unit, "stroke-width": unit,
            "class": "site" + (p.filming ? " filming" : "") + (view.selected === p.id ? " selected-mark" : ""), "data-id": p.id });
          hover(dot, p.id);
          dot.addEventListener("click", function () { view.selected = p.id; showSelected(p.id); view.apply(); });
          layer.appendChild(dot);
          layer.appendChild(svgEl("text", { x: c.x + 7 * unit, y: c.y + 4 * unit, "font-size": 11 * unit, "stroke-width": 3 * unit,
                                            "class": "site-label" }, label(p.id)));
        } else {
          var ring = svgEl("circle", { cx: c.x, cy: c.y, r: 9 * unit, "stroke-width": unit, "class": "cluster",
                                       "data-members": c.members.map(function (p) { return p.id; }).join(" ") });
          ring.tipBox = function () {
            var t = el("div", null, "tip");
            t.appendChild(el("strong", c.members.length + " places here (click to zoom in)"));
            var list = el("ul");
            c.members.forEach(function (p) { list.appendChild(el("li", label(p.id))); });
            t.appendChild(list);
            return t;
          };
          hover(ring, null);
          ring.addEventListener("click", function () { zoomAt(c.x, c.y, 0.25); });
          layer.appendChild(ring);
          layer.appendChild(svgEl("text", { x: c.x, y: c.y + 4 * unit, "font-size": 11 * unit, "text-anchor": "middle",
                                            "class": "site-label" }, String(c.members.length)));
        }
      });
    }

    var earth = { svg: null, layer: null, box: Object.assign({}, WORLD) }, others = {};
    function setBox(box) {
      var w = Math.min(Math.max(box.w, 2), WORLD.w), h = w / 2;
      earth.box = { x: Math.min(Math.max(box.x, WORLD.x), WORLD.x + WORLD.w - w), y: Math.min(Math.max(box.y, WORLD.y), WORLD.y + WORLD.h - h), w: w, h: h };
      earth.svg.setAttribute("viewBox", [earth.box.x, earth.box.y, earth.box.w, earth.box.h].join(" "));
      drawSites(earth.svg, "earth", earth.box, earth.layer);
    }
    function zoomAt(x, y, factor) {
      var w = earth.box.w * factor, h = w / 2;
      setBox({ x: x - w / 2, y: y - h / 2, w: w, h: h });
    }
    view.init = function () {
      earth.svg = document.getElementById("map-earth");
      earth.svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
      graticule(earth.svg);
      earth.svg.appendChild(svgEl("path", { d: m.earth, "class": "land" }));
      earth.layer = svgEl("g");
      earth.svg.appendChild(earth.layer);
      earth.svg.addEventListener("wheel", function (event) {
        event.preventDefault();
        var at = mapPoint(earth.svg, event.clientX, event.clientY), f = event.deltaY > 0 ? 1.25 : 0.8, w = earth.box.w * f;
        setBox({ x: at.x - (at.x - earth.box.x) * f, y: at.y - (at.y - earth.box.y) * f, w: w, h: w / 2 });
      }, { passive: false });
      var drag = null;
      earth.svg.addEventListener("pointerdown", function (event) { drag = { x: event.clientX, y: event.clientY, box: earth.box }; });
      window.addEventListener("pointerup", function () { drag = null; });
      earth.svg.addEventListener("pointermove", function (event) {
        if (!drag || !(event.buttons & 1)) return;
        var unit = scaleOf(earth.svg, drag.box);
        setBox({ x: drag.box.x - (event.clientX - drag.x) * unit, y: drag.box.y - (event.clientY - drag.y) * unit, w: drag.box.w, h: drag.box.h });
      });
      document.querySelectorAll("#view-map [data-zoom]").forEach(function (b) {
        b.addEventListener("click", function () {
          var z = b.getAttribute("data-zoom"), cx = earth.box.x + earth.box.w / 2, cy = earth.box.y + earth.box.h / 2;
          if (z === "reset") setBox(WORLD); else zoomAt(cx, cy, z === "in" ? 0.5 : 2);
        });
      });
      ["moon", "mars"].forEach(function (body) {
        var svg = document.getElementById("map-" + body), layer = svgEl("g");
        svg.setAttribute("viewBox", "-180 -90 360 180");
        graticule(svg);
        svg.appendChild(layer);
        others[body] = { svg: svg, layer: layer };
      });
      state.map = view;
    };
    view.apply = function () {
      setBox(earth.box);
      Object.keys(others).forEach(function (body) { drawSites(others[body].svg, body, WORLD, others[body].layer); });
      var box = document.getElementById("unplaced");
      box.replaceChildren();
      var missing = m.unplaced.filter(function (p) { return visible(p.id); });
      if (missing.length) {
        box.appendChild(el("strong", "Not on the map: no coordinates known for these places or a place containing them"));
        var list = el("ul");
        missing.forEach(function (p) {
          var li = el("li"); li.appendChild(entityLink(p.id));
          li.appendChild(el("span", p.body === "earth" ? "" : " (" + (p.body === "moon" ? "the Moon" : "Mars") + ")"));
          list.appendChild(li);
        });
        box.appendChild(list);
      }
      ready("map");
    };
    view.shown = function () { setBox(earth.box); };  // the panel's pixel size is known only once it is shown
    view.select = function (id) {
      var p = byId[id];
      if (!p) { view.clear(); return false; }
      view.selected = id;
      if (p.body === "earth") zoomAt(p.lon, -p.lat, Math.min(1, 40 / earth.box.w)); else view.apply();
      return true;
    };
    view.clear = function () { view.selected = null; if (earth.svg) view.apply(); };
    var note = el("fieldset");
    note.appendChild(el("legend", "Map"));
    [["site filming", "a filming location"], ["site", "a place in the story or in history"], ["cluster", "several places close together (click to zoom in)"]].forEach(function (k) {
      var row = el("label"), dot = el("span", null, "swatch dot");
      dot.style.background = k[0] === "cluster" ? "#cc79a7" : k[0] === "site" ? "#009e73" : "#0072b2";
      row.appendChild(dot); row.appendChild(el("span", k[1])); note.appendChild(row);
    });
    var line = el("label"), swatch = el("span", null, "swatch line");
    swatch.style.background = "#d55e00";
    line.appendChild(swatch); line.appendChild(el("span", "a filming location → the setting it stands in for"));
    note.appendChild(line);
    note.appendChild(el("p", "A place without coordinates of its own is shown at the nearest place containing it that has them. " +
      "Scroll or use + and − to zoom the Earth map; drag to move it. Land: Natural Earth (public domain).", "legend-note"));
    view.controls = note;
    return view;
  })();
