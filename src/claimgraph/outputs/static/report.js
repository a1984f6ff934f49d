(function () {
  "use strict";
  // claimgraph report: pan, zoom, edge evidence panel and grade filter for the actor network.
  // Untrusted text (quotes, names) is written with textContent only, never as HTML.
  var svg = document.getElementById("net");
  if (!svg) { return; }
  var viewport = document.getElementById("viewport");
  var tip = document.getElementById("tip");
  var frame = svg.parentNode;
  var data = {};
  try {
    data = JSON.parse(document.getElementById("cg-data").textContent).edges || {};
  } catch (err) {
    data = {};
  }
  var base = svg.viewBox.baseVal;
  var home = { x: base.x, y: base.y, w: base.width, h: base.height };
  var view = { x: home.x, y: home.y, w: home.w, h: home.h };

  function apply() {
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) { return v.toFixed(2); }).join(" "));
  }
  function toSvg(clientX, clientY) {
    var r = svg.getBoundingClientRect();
    var scale = Math.max(view.w / r.width, view.h / r.height);
    var offX = (r.width * scale - view.w) / 2;
    var offY = (r.height * scale - view.h) / 2;
    return { x: view.x - offX + (clientX - r.left) * scale, y: view.y - offY + (clientY - r.top) * scale, scale: scale };
  }
  function zoom(factor, cx, cy) {
    var w = view.w * factor;
    if (w < home.w / 8 || w > home.w * 4) { return; }
    var h = view.h * factor;
    view.x = cx - (cx - view.x) * factor;
    view.y = cy - (cy - view.y) * factor;
    view.w = w;
    view.h = h;
    apply();
  }
  function zoomCentre(factor) { zoom(factor, view.x + view.w / 2, view.y + view.h / 2); }

  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = toSvg(ev.clientX, ev.clientY);
    zoom(ev.deltaY < 0 ? 0.85 : 1 / 0.85, p.x, p.y);
  }, { passive: false });

  var drag = null;
  svg.addEventListener("pointerdown", function (ev) {
    if (ev.button !== 0 || (ev.target.closest && ev.target.closest(".edge"))) { return; }
    drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, scale: toSvg(ev.clientX, ev.clientY).scale, moved: false };
    svg.setPointerCapture(ev.pointerId);
    svg.classList.add("dragging");
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!drag) { return; }
    var dx = ev.clientX - drag.x;
    var dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; }
    view.x = drag.vx - dx * drag.scale;
    view.y = drag.vy - dy * drag.scale;
    apply();
  });
  function endDrag(ev) {
    if (!drag) { return; }
    if (!drag.moved) { unpin(); }
    drag = null;
    svg.classList.remove("dragging");
    if (svg.hasPointerCapture(ev.pointerId)) { svg.releasePointerCapture(ev.pointerId); }
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  document.getElementById("zoom-in").addEventListener("click", function () { zoomCentre(0.8); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomCentre(1.25); });
  document.getElementById("zoom-reset").addEventListener("click", function () {
    view = { x: home.x, y: home.y, w: home.w, h: home.h };
    apply();
  });

  // --- evidence panel ---------------------------------------------------------------
  var pinned = null;
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function fill(id) {
    var d = data[id];
    while (tip.firstChild) { tip.removeChild(tip.firstChild); }
    if (!d) { return false; }
    tip.appendChild(el("h5", "", d.title));
    tip.appendChild(el("p", "tip-grade", "As reported by " + d.sources + ". Admiralty " + d.grade + "; likelihood: " + d.likelihood + "."));
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
    if (!d.evidence || !d.evidence.length) { tip.appendChild(el("p", "tip-src", "No quoted evidence recorded.")); }
    if (d.explanation) { tip.appendChild(el("p", "tip-expl", "Assessment: " + d.explanation)); }
    return true;
  }
  function place(edge, clientX, clientY) {
    var fr = frame.getBoundingClientRect();
    var x, y;
    if (clientX === undefined) {
      var r = edge.getBoundingClientRect();
      x = r.left + r.width / 2;
      y = r.top + r.height / 2;
    } else {
      x = clientX;
      y = clientY;
    }
    var left = x - fr.left + 16;
    var top = y - fr.top + 16;
    tip.hidden = false;
    var tw = tip.offsetWidth;
    var th = tip.offsetHeight;
    if (left + tw > fr.width - 8) { left = Math.max(8, x - fr.left - tw - 16); }
    if (top + th > fr.height - 8) { top = Math.max(8, fr.height - th - 8); }
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }
  function show(edge, clientX, clientY) {
    if (pinned && pinned !== edge) { return; }
    if (!fill(edge.getAttribute("data-edge"))) { return; }
    edge.classList.add("active");
    place(edge, clientX, clientY);
  }
  function hide(edge) {
    if (pinned) { return; }
    edge.classList.remove("active");
    tip.hidden = true;
  }
  function unpin() {
    if (!pinned) { return; }
    var was = pinned;
    pinned = null;
    hide(was);
  }
  var edges = Array.prototype.slice.call(svg.querySelectorAll(".edge"));
  edges.forEach(function (edge) {
    edge.addEventListener("mouseenter", function (ev) { show(edge, ev.clientX, ev.clientY); });
    edge.addEventListener("mousemove", function (ev) { if (!pinned) { place(edge, ev.clientX, ev.clientY); } });
    edge.addEventListener("mouseleave", function () { hide(edge); });
    edge.addEventListener("focus", function () { show(edge); });
    edge.addEventListener("blur", function () { hide(edge); });
    edge.addEventListener("click", function (ev) {
      if (pinned === edge) { unpin(); return; }
      unpin();
      show(edge, ev.clientX, ev.clientY);
      pinned = edge;
    });
    edge.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        if (pinned === edge) { unpin(); } else { unpin(); show(edge); pinned = edge; }
      }
    });
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { unpin(); } });

  // --- grade filter -------------------------------------------------------------------
  var relSel = document.getElementById("min-rel");
  var credSel = document.getElementById("min-cred");
  var counter = document.getElementById("edge-count");
  var nodes = Array.prototype.slice.call(svg.querySelectorAll(".node"));
  function filter() {
    var maxRel = relSel.value;
    var maxCred = parseInt(credSel.value, 10);
    var shown = 0;
    edges.forEach(function (edge) {
      var ok = edge.getAttribute("data-rel") <= maxRel && parseInt(edge.getAttribute("data-cred"), 10) <= maxCred;
      edge.classList.toggle("is-hidden", !ok);
      if (ok) { shown += 1; } else if (pinned === edge) { unpin(); }
    });
    var visible = {};
    edges.forEach(function (edge) {
      if (!edge.classList.contains("is-hidden")) {
        (edge.getAttribute("data-ends") || "").split(" ").forEach(function (n) { visible[n] = true; });
      }
    });
    nodes.forEach(function (node) { node.classList.toggle("is-faded", !visible[node.getAttribute("data-node")]); });
    counter.textContent = shown + " of " + edges.length + " relations shown";
  }
  relSel.addEventListener("change", filter);
  credSel.addEventListener("change", filter);
  filter();
}());
