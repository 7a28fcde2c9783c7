  // ── shared by every view: data, filters, tooltips, the side panel, search, tabs ──
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var details = data.details, sources = data.sources;
  var views = {}, current = null;
  var state = { views: views, ready: {}, stable: false, settledAfterMs: null, filter: null };
  window.famkg = state;

  // Every piece of text from the data goes in through textContent: it is never markup.
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function svgEl(tag, attrs, text) {
    var e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function label(id) { return details[id] ? details[id].label : id; }
  function cite(slug) { return sources[slug] ? sources[slug].cite : slug; }
  function sourceLine(slugs) { return slugs && slugs.length ? " — " + slugs.map(cite).join("; ") : " — no source"; }

  // ── the spoiler filter and the date: hide, in the page, what a viewer has not seen or was not known yet ──
  // watched[show]: "all" (every episode), "none", or [season, episode]; asOf: "" or YYYY-MM-DD.
  var filter = { watched: {}, asOf: data.asOf || "" };
  state.filter = filter;
  data.shows.forEach(function (show) { filter.watched[show.slug] = data.watched ? (data.watched[show.slug] || "none") : "all"; });
  function before(a, b) { return a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]); }
  function seen(id) {
    var revealed = details[id] && details[id].revealed;
    if (!revealed) return true;  // not a story element: production facts are never spoilers
    return Object.keys(revealed).some(function (show) {
      var w = filter.watched[show];
      return w === "all" || (Array.isArray(w) && before(revealed[show], w));
    });
  }
  function sourceKnown(slug) { return !filter.asOf || !!(sources[slug] && sources[slug].day && sources[slug].day <= filter.asOf); }
  function anyKnown(slugs) { return !filter.asOf || (slugs || []).some(sourceKnown); }
  function visible(id) {
    var d = details[id];
    return !!d && seen(id) && (!filter.asOf || (!!d.known && d.known <= filter.asOf));
  }
  function factsNow(id) { return details[id].facts.filter(function (f) { return anyKnown(f.sources); }); }

  // ── tooltips and the side panel ──
  function nodeTip(id, limit) {
    var d = details[id], box = el("div", null, "tip");
    box.appendChild(el("strong", d.label));
    box.appendChild(el("div", d.kind, "kind"));
    if (d.disputed.length) box.appendChild(el("div", "⚠ sources disagree on: " + d.disputed.join(", "), "disputed"));
    Object.keys(d.labels).forEach(function (lang) { box.appendChild(el("div", lang + ": " + d.labels[lang])); });
    var list = el("ul"), all = factsNow(id), facts = all.slice(0, limit);
    facts.forEach(function (f) {
      var li = el("li");
      li.appendChild(el("span", f.relation + ": ", "rel"));
      li.appendChild(el("span", f.value));
      if (f.rank === "preferred") li.appendChild(el("span", " ★ preferred", "rank"));
      if (f.rank === "deprecated") li.appendChild(el("span", " ✗ deprecated", "rank disputed"));
      li.appendChild(el("span", sourceLine(f.sources.filter(sourceKnown)), "src"));
      list.appendChild(li);
    });
    if (all.length > facts.length) list.appendChild(el("li", "… and " + (all.length - facts.length) + " more facts"));
    box.appendChild(list);
    return box;
  }
  var tip = document.getElementById("tip"), viewsBox = document.getElementById("views");
  function showTip(box, clientX, clientY) {
    var area = viewsBox.getBoundingClientRect();
    tip.replaceChildren(box);
    tip.hidden = false;
    var x = clientX - area.left + 14, y = clientY - area.top + 14;
    tip.style.left = Math.max(0, Math.min(x, area.width - tip.offsetWidth - 4)) + "px";
    tip.style.top = Math.max(0, Math.min(y, area.height - tip.offsetHeight - 4)) + "px";
  }
  function hideTip() { tip.hidden = true; tip.replaceChildren(); }

  var linksOf = {};
  data.network.edges.forEach(function (e) {
    (linksOf[e.from] = linksOf[e.from] || []).push(e);
    if (e.to !== e.from) (linksOf[e.to] = linksOf[e.to] || []).push(e);
  });
  function edgeShown(e) { return visible(e.from) && visible(e.to) && anyKnown(e.sources); }
  var selectedBox = document.getElementById("selected");
  function showSelected(id) {
    selectedBox.replaceChildren();
    if (!id || !details[id] || !visible(id)) return;
    selectedBox.appendChild(el("h2", "Selected"));
    selectedBox.appendChild(nodeTip(id, 1000));
    var links = el("ul");
    (linksOf[id] || []).filter(edgeShown).forEach(function (e) {
      var text = e.from === id ? e.label + " → " + label(e.to) : label(e.from) + " — " + e.label + " →";
      links.appendChild(el("li", text + sourceLine(e.sources.filter(sourceKnown))));
    });
    if (links.childNodes.length) { selectedBox.appendChild(el("h2", "Relations")); selectedBox.appendChild(links); }
  }
  function entityLink(id) {
    var button = el("button", label(id), "linkish");
    button.type = "button";
    button.addEventListener("click", function () { showSelected(id); if (current && views[current].select) views[current].select(id); });
    return button;
  }

  // ── search by name: the found entity is selected in the current view and shown in the panel ──
  function fold(text) { return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim(); }
  var byName = new Map(), names = document.getElementById("names"), status = document.getElementById("search-status");
  function indexNames() {
    byName.clear();
    var options = [];
    Object.keys(details).sort().forEach(function (id) {
      if (!visible(id)) return;
      var d = details[id];
      [d.label].concat(Object.values(d.labels)).forEach(function (name) { if (!byName.has(fold(name))) byName.set(fold(name), id); });
      var option = document.createElement("option");
      option.value = d.label;
      options.push(option);
    });
    names.replaceChildren.apply(names, options);
  }
  function find(text) {
    var key = fold(text);
    if (!key) return null;
    if (byName.has(key)) return byName.get(key);
    var hits = Object.keys(details).sort().filter(function (id) { return visible(id) && fold(details[id].label).indexOf(key) >= 0; });
    return hits.length ? hits[0] : null;
  }
  function clearSelection() {
    Object.keys(views).forEach(function (name) { if (views[name].started && views[name].clear) views[name].clear(); });
    showSelected(null);
  }
  document.getElementById("search").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = document.getElementById("search-input").value, id = find(text);
    if (!id) {  // a failed search clears the last one's selection, so nothing lit is mistaken for the answer
      clearSelection();
      status.textContent = "No entity is called “" + text + "”.";
      return;
    }
    var shownHere = views[current].select ? views[current].select(id) : false;
    showSelected(id);
    status.textContent = "Found " + details[id].label + " (" + details[id].kind + ")" +
      (shownHere === false ? ", which this view does not draw." : ".");
  });

  // ── the pickers: "watched up to" per show, "known as of" ──
  function episodeValue(e) { return e.season + "." + e.number; }
  function buildPickers() {
    var box = document.getElementById("watched-pickers");
    data.shows.forEach(function (show) {
      var row = el("label", "Watched " + show.label + " up to", "row"), select = el("select");
      select.setAttribute("data-show", show.slug);
      var limit = data.watched ? data.watched[show.slug] : null;  // the page holds nothing beyond the command line's point
      if (!data.watched) select.appendChild(Object.assign(el("option", "everything"), { value: "all" }));
      select.appendChild(Object.assign(el("option", "nothing yet"), { value: "none" }));
      show.episodes.forEach(function (e) {
        if (data.watched && (!limit || !before([e.season, e.number], limit))) return;
        select.appendChild(Object.assign(el("option", e.code + (e.title ? " " + e.title : "")), { value: episodeValue(e) }));
      });
      var w = filter.watched[show.slug];
      select.value = Array.isArray(w) ? w[0] + "." + w[1] : w;
      select.addEventListener("change", function () {
        var v = select.value;
        filter.watched[show.slug] = v === "all" || v === "none" ? v : v.split(".").map(Number);
        applyFilters();
      });
      row.appendChild(select);
      box.appendChild(row);
    });
    var asOf = document.getElementById("as-of");
    asOf.value = filter.asOf;
    if (data.asOf) asOf.max = data.asOf;
    asOf.addEventListener("change", function () {
      filter.asOf = asOf.value && data.asOf && asOf.value > data.asOf ? data.asOf : asOf.value;
      asOf.value = filter.asOf;
      applyFilters();
    });
  }
  function applyFilters() {
    hideTip();
    indexNames();
    Object.keys(views).forEach(function (name) { if (views[name].started) views[name].apply(); });
    sayHowManyHidden();
    showSelected(null);
  }
  function sayHowManyHidden() {
    var hidden = Object.keys(details).filter(function (id) { return !visible(id); }).length;
    document.getElementById("filter-status").textContent = hidden ? hidden + " entities hidden (not yet watched or not yet known)." : "";
  }

  // ── tabs: each view is drawn the first time it is opened ──
  var controls = document.getElementById("view-controls");
  function activate(name) {
    if (!views[name]) name = Object.keys(views)[0];
    hideTip();
    current = name;
    document.body.setAttribute("data-view", name);
    document.querySelectorAll("#tabs button").forEach(function (b) { b.setAttribute("aria-selected", String(b.getAttribute("data-view") === name)); });
    document.querySelectorAll(".view").forEach(function (v) { v.classList.toggle("active", v.id === "view-" + name); });
    controls.replaceChildren();
    if (!views[name].started) { views[name].started = true; views[name].init(); views[name].apply(); }
    if (views[name].controls) controls.appendChild(views[name].controls);
    if (views[name].shown) views[name].shown();
  }
  document.querySelectorAll("#tabs button").forEach(function (b) { b.addEventListener("click", function () { activate(b.getAttribute("data-view")); }); });
  function ready(name) { state.ready[name] = true; document.body.setAttribute("data-ready-" + name, "true"); }

  function start() {
    buildPickers();
    indexNames();
    sayHowManyHidden();
    activate(document.body.getAttribute("data-view"));
  }
