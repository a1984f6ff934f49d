(function () {
  "use strict";
  // claimgraph report: the actor network (Cytoscape.js + fcose, vendored and inlined), its evidence panel,
  // search, filters by grade and type, zoom and pan, and labels that never overlap.
  // Untrusted text (quotes, names) is written with textContent only, never as HTML.

  // printing opens every folded section (and closes again those that were closed)
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  var container = document.getElementById("net");
  if (!container || typeof cytoscape === "undefined") { return; }
  if (typeof cytoscapeFcose !== "undefined") { cytoscape.use(cytoscapeFcose); }
  var tip = document.getElementById("tip");
  var frame = container.parentNode;
  var payload = {};
  try {
    payload = JSON.parse(document.getElementById("cg-data").textContent) || {};
  } catch (err) {
    payload = {};
  }
  var data = payload.edges || {};
  var LABEL_PX = 12; // on-screen font size of node labels at any zoom

  var TYPE_COLOURS = { person: "#2f6bbd", organization: "#7a4fb5", group: "#b8662b", location: "#2e8a6e", other: "#7d8590" };
  var CRED_COLOURS = { 1: "#1a7f4b", 2: "#4f9a3a", 3: "#8a8f2a", 4: "#c17a12", 5: "#b5392f", 6: "#7d8590" };
  var style = [
    { selector: "node", style: {
      "width": "data(size)", "height": "data(size)", "background-color": "#7d8590",
      "border-width": 2, "border-color": "#ffffff",
      "label": "data(label)", "font-size": LABEL_PX, "font-weight": 600, "color": "#1c1f24",
      "font-family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif",
      "text-valign": "bottom", "text-halign": "center", "text-margin-y": 3,
      "text-wrap": "wrap", "text-max-width": 130,
      "text-background-color": "#fbfcfd", "text-background-opacity": 0.85, "text-background-padding": 1,
      "min-zoomed-font-size": 0
    } },
    { selector: "node", style: { "z-index": 10 } },
    { selector: "node.nolabel", style: { "text-opacity": 0, "text-background-opacity": 0, "z-index": 1 } },
    { selector: "node.match", style: { "border-color": "#f2a900", "border-width": 4 } },
    { selector: "node.faded, node.is-faded", style: { "opacity": 0.22 } },
    { selector: "node.hover", style: { "border-color": "#1c1f24", "z-index": 20 } },
    { selector: ".is-hidden", style: { "display": "none" } },
    { selector: "edge", style: {
      "width": "data(width)", "line-color": "#7d8590", "target-arrow-color": "#7d8590",
      "target-arrow-shape": "triangle", "arrow-scale": 0.9, "curve-style": "bezier", "opacity": 0.8,
      "label": "", "font-size": 11, "color": "#1c1f24", "text-rotation": "autorotate",
      "text-background-color": "#ffffff", "text-background-opacity": 0.95, "text-background-padding": 2
    } },
    { selector: "edge.c6", style: { "line-style": "dashed" } },
    { selector: "edge.hover, edge.pinned", style: { "label": "data(label)", "opacity": 1, "z-index": 30, "width": 4 } },
    { selector: "edge.faded", style: { "opacity": 0.12 } }
  ];
  Object.keys(TYPE_COLOURS).forEach(function (t) {
    style.push({ selector: "node.t-" + t, style: { "background-color": TYPE_COLOURS[t] } });
  });
  Object.keys(CRED_COLOURS).forEach(function (c) {
    style.push({ selector: "edge.c" + c, style: { "line-color": CRED_COLOURS[c], "target-arrow-color": CRED_COLOURS[c] } });
  });

  var cy = cytoscape({
    container: container,
    elements: payload.elements || [],
    style: style,
    layout: { name: "preset", fit: true, padding: 30 },
    minZoom: 0.02,
    maxZoom: 5,
    boxSelectionEnabled: false,
    autoungrabify: false
  });
  window.claimgraphNetwork = cy; // for the browser tests and for analysts' own console work

  // --- labels that never overlap ------------------------------------------------------
  // Labels keep one on-screen size; at each zoom, the labels of the best-connected (or searched) actors
  // are placed first and any label whose box would touch one already placed is hidden.
  var declutterTimer = null;
  function declutter() {
    declutterTimer = null;
    var z = cy.zoom();
    cy.batch(function () {
      cy.nodes().style("font-size", LABEL_PX / z);
      cy.nodes().style("text-max-width", 130 / z);
      cy.nodes().style("text-margin-y", 3 / z);
    });
    var order = cy.nodes().filter(function (n) { return n.visible(); }).toArray();
    order.sort(function (a, b) {
      var ma = a.hasClass("match") ? 1 : 0;
      var mb = b.hasClass("match") ? 1 : 0;
      if (ma !== mb) { return mb - ma; }
      var d = b.data("degree") - a.data("degree");
      return d !== 0 ? d : (a.id() < b.id() ? -1 : 1);
    });
    // a labelled actor is drawn above the others; its label and its disc must touch neither the label
    // nor the disc of any actor labelled before it (so no label is ever covered or fused with another)
    var placed = [];
    var pad = 2 / z;
    function grow(bb) { return { x1: bb.x1 - pad, y1: bb.y1 - pad, x2: bb.x2 + pad, y2: bb.y2 + pad }; }
    function free(box) {
      for (var i = 0; i < placed.length; i += 1) {
        var p = placed[i];
        if (box.x1 < p.x2 && p.x1 < box.x2 && box.y1 < p.y2 && p.y1 < box.y2) { return false; }
      }
      return true;
    }
    cy.batch(function () {
      cy.nodes().addClass("nolabel");
      order.forEach(function (n) {
        var bb = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
        if (!bb || !isFinite(bb.w) || bb.w <= 0) { return; }
        var label = grow(bb);
        var body = grow(n.boundingBox({ includeNodes: true, includeEdges: false, includeLabels: false, includeOverlays: false }));
        if (!free(label) || !free(body)) { return; }
        placed.push(label);
        placed.push(body);
        n.removeClass("nolabel");
      });
    });
  }
  function scheduleDeclutter() {
    if (declutterTimer) { clearTimeout(declutterTimer); }
    declutterTimer = setTimeout(declutter, 60);
  }
  cy.on("zoom", scheduleDeclutter);
  cy.claimgraphDeclutter = declutter;

  // --- force-directed layout ------------------------------------------------------------
  var ready = false;
  function done() {
    cy.fit(undefined, 30);
    declutter();
    ready = true;
    container.setAttribute("data-ready", "true");
  }
  // the spectral draft packs leaves tightly: move every actor away from the centre until the typical
  // distance to the nearest neighbour is at least one and a half large discs
  function spread() {
    var ns = cy.nodes().toArray();
    var pts = ns.map(function (n) { return n.position(); });
    var near = pts.map(function (p, i) {
      var best = Infinity;
      for (var j = 0; j < pts.length; j += 1) {
        if (j !== i) {
          var dx = p.x - pts[j].x;
          var dy = p.y - pts[j].y;
          var d = dx * dx + dy * dy;
          if (d < best) { best = d; }
        }
      }
      return Math.sqrt(best);
    }).sort(function (a, b) { return a - b; });
    var median = near[Math.floor(near.length / 2)] || 1;
    var factor = Math.min(25, Math.max(1, 60 / Math.max(median, 0.001)));
    var cx = 0;
    var cy0 = 0;
    pts.forEach(function (p) { cx += p.x; cy0 += p.y; });
    cx /= pts.length;
    cy0 /= pts.length;
    cy.batch(function () {
      ns.forEach(function (n, i) { n.position({ x: cx + (pts[i].x - cx) * factor, y: cy0 + (pts[i].y - cy0) * factor }); });
    });
  }
  function runLayout() {
    var t0 = Date.now();
    var big = cy.nodes().length > 400;
    var layout = cy.layout({
      // past 400 actors: the spectral draft (fast), then a short force-directed refinement
      name: "fcose", quality: big ? "draft" : "default", randomize: big, animate: false, fit: false,
      nodeDimensionsIncludeLabels: false, nodeRepulsion: 20000, idealEdgeLength: 130, edgeElasticity: 0.3,
      nodeSeparation: 90, gravity: 0.25, numIter: big ? 600 : 1500, packComponents: true, tile: true
    });
    layout.one("layoutstop", function () {
      if (big) { spread(); }
      container.setAttribute("data-layout-ms", String(Date.now() - t0));
      done();
    });
    layout.run();
  }
  if (cy.nodes().length > 1 && typeof cytoscapeFcose !== "undefined") {
    setTimeout(runLayout, 0); // after the page has loaded: the reader sees the starting layout at once
  } else {
    done();
  }

  // --- zoom and pan ----------------------------------------------------------------------
  function zoomBy(factor) {
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } });
  }
  document.getElementById("zoom-in").addEventListener("click", function () { zoomBy(1.35); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomBy(1 / 1.35); });
  document.getElementById("zoom-reset").addEventListener("click", function () { cy.fit(cy.elements(":visible"), 30); });

  // --- evidence panel --------------------------------------------------------------------
  var pinned = null;
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function clearTip() { while (tip.firstChild) { tip.removeChild(tip.firstChild); } }
  function fillEdge(id) {
    var d = data[id];
    clearTip();
    if (!d) { return false; }
    tip.appendChild(el("h5", "", d.title));
    tip.appendChild(el("p", "tip-grade", "As reported by " + d.sources + ". Admiralty " + d.grade +
      " (source reliability " + d.reliability + "); likelihood: " + d.likelihood + "."));
    (d.evidence || []).forEach(function (e) {
      var q = el("blockquote");
      q.appendChild(el("p", "", "\u201c" + e.quote + "\u201d"));
      var src = el("div", "tip-src", e.who + ", in " + e.where + ", " + e.date + " \u00b7 ");
      var a = el("a", "", "in context");
      a.setAttribute("href", "#" + e.anchor);
      src.appendChild(a);
      q.appendChild(src);
      tip.appendChild(q);
    });
    if (d.more) { tip.appendChild(el("p", "tip-src", d.more + " more statement(s) in claimgraph.json.")); }
    if (!d.evidence || !d.evidence.length) { tip.appendChild(el("p", "tip-src", "No quoted evidence recorded.")); }
    if (d.explanation) { tip.appendChild(el("p", "tip-expl", "Assessment: " + d.explanation)); }
    return true;
  }
  function fillNode(n) {
    clearTip();
    tip.appendChild(el("h5", "", n.data("name")));
    var deg = n.data("degree");
    tip.appendChild(el("p", "tip-grade", n.data("type") + "; " + deg + " related actor" + (deg === 1 ? "" : "s")));
  }
  function place(x, y) {
    tip.hidden = false;
    var fw = frame.clientWidth;
    var fh = frame.clientHeight;
    var left = x + 16;
    var top = y + 16;
    var tw = tip.offsetWidth;
    var th = tip.offsetHeight;
    if (left + tw > fw - 8) { left = Math.max(8, x - tw - 16); }
    if (top + th > fh - 8) { top = Math.max(8, fh - th - 8); }
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }
  function hideTip() { tip.hidden = true; }
  function unpin() {
    if (!pinned) { return; }
    pinned.removeClass("pinned");
    pinned = null;
    hideTip();
  }
  cy.on("mouseover", "edge", function (ev) {
    ev.target.addClass("hover");
    if (pinned) { return; }
    if (fillEdge(ev.target.id())) { place(ev.renderedPosition.x, ev.renderedPosition.y); }
  });
  cy.on("mousemove", "edge", function (ev) { if (!pinned && !tip.hidden) { place(ev.renderedPosition.x, ev.renderedPosition.y); } });
  cy.on("mouseout", "edge", function (ev) {
    ev.target.removeClass("hover");
    if (!pinned) { hideTip(); }
  });
  cy.on("tap", "edge", function (ev) {
    var edge = ev.target;
    if (pinned === edge) { unpin(); return; }
    unpin();
    if (fillEdge(edge.id())) {
      pinned = edge;
      edge.addClass("pinned");
      place(ev.renderedPosition.x, ev.renderedPosition.y);
    }
  });
  cy.on("mouseover", "node", function (ev) {
    var n = ev.target;
    n.addClass("hover");
    n.removeClass("nolabel");
    if (pinned) { return; }
    fillNode(n);
    place(ev.renderedPosition.x, ev.renderedPosition.y);
  });
  cy.on("mouseout", "node", function (ev) {
    ev.target.removeClass("hover");
    if (!pinned) { hideTip(); }
    scheduleDeclutter();
  });
  cy.on("tap", function (ev) { if (ev.target === cy) { unpin(); } });
  container.addEventListener("mouseleave", function () {
    cy.elements(".hover").removeClass("hover");
    if (!pinned) { hideTip(); }
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { unpin(); } });

  // --- search ----------------------------------------------------------------------------
  var search = document.getElementById("net-search");
  var counter = document.getElementById("edge-count");
  function runSearch() {
    var q = (search.value || "").trim().toLowerCase();
    cy.batch(function () {
      cy.elements().removeClass("match faded");
      if (!q) { return; }
      var hits = cy.nodes().filter(function (n) { return n.data("name").toLowerCase().indexOf(q) >= 0; });
      hits.addClass("match");
      cy.nodes().difference(hits).addClass("faded");
      cy.edges().filter(function (e) { return !e.source().hasClass("match") && !e.target().hasClass("match"); }).addClass("faded");
    });
    var hits = cy.nodes(".match");
    if (hits.length) { cy.fit(hits.closedNeighborhood(), 60); if (cy.zoom() > 2) { cy.zoom(2); cy.center(hits); } }
    declutter();
  }
  search.addEventListener("input", runSearch);

  // --- filters: grade and type -----------------------------------------------------------
  var relSel = document.getElementById("min-rel");
  var credSel = document.getElementById("min-cred");
  var toggles = Array.prototype.slice.call(document.querySelectorAll(".type-toggle"));
  function filter() {
    var maxRel = relSel.value;
    var maxCred = parseInt(credSel.value, 10);
    var types = {};
    toggles.forEach(function (t) { types[t.value] = t.checked; });
    var shown = 0;
    var total = cy.edges().length;
    cy.batch(function () {
      cy.nodes().forEach(function (n) { n.toggleClass("is-hidden", types[n.data("type")] === false); });
      cy.edges().forEach(function (e) {
        var ok = e.data("rel") <= maxRel && e.data("cred") <= maxCred;
        e.toggleClass("is-hidden", !ok);
        if (!ok && pinned === e) { unpin(); }
        if (ok && !e.source().hasClass("is-hidden") && !e.target().hasClass("is-hidden")) { shown += 1; }
      });
      cy.nodes().forEach(function (n) {
        var live = n.connectedEdges().filter(function (e) { return !e.hasClass("is-hidden"); });
        n.toggleClass("is-faded", live.length === 0 && n.degree(false) > 0);
      });
    });
    counter.textContent = shown + " of " + total + " relations shown";
    if (ready) { declutter(); }
  }
  relSel.addEventListener("change", filter);
  credSel.addEventListener("change", filter);
  toggles.forEach(function (t) { t.addEventListener("change", filter); });
  filter();
  window.addEventListener("resize", scheduleDeclutter);
}());
