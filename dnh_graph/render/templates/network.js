/* dnh-graph network page: reads the JSON data block, draws it with vis-network, reports when ready.
   No user text is ever parsed as HTML here: vis-network shows string titles with innerText, labels are
   drawn on the canvas by this script, and our own tooltip (large networks) is set with textContent. Tooltip
   texts are composed here from each item's values and the catalog words the page carries once (see
   tooltip below; dnh_graph.render.network_html.tooltip is the same in Python). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dnh-data").textContent);
  var FONT = data.view.font, LINE_HEIGHT = data.view.lineHeight;  // dnh_graph.render.styles
  /* The Khmer font is inlined in the page (@font-face): a canvas does not wait for it, so labels measured
     or drawn before it loads would be boxes. Load it (a canvas alone does not ask for it), then measure
     again. Only when a label has Khmer letters (data.view.khmer): decoding the font takes a second on a
     busy machine, and no other label is drawn with it (its unicode-range). */
  var fontsLoaded = !data.view.khmer ? null : !document.fonts ? Promise.resolve() : Promise.all([
    document.fonts.load("400 16px " + FONT, "\u1780"), document.fonts.load("700 16px " + FONT, "\u1780")
  ]).then(function () { return document.fonts.ready; }, function () { return null; });
  var labelOf = {}, labelColour = {}, importance = [];

  /* ------------------------------------------------------------------------------------- tooltips */
  var WORDS = data.words, recordOf = null, OWN = Object.prototype.hasOwnProperty;
  var MARK = /\p{M}/u, JOINER = /^[\u17d2\u200d]$/, TOOLTIP_CHARS = 600;
  // what Python's str.rstrip() strips (str.isspace), which is not quite JavaScript's trimEnd
  var SPACE_END = /[\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/;

  function fill(template, params) {  // str.format with {name} fields (the catalogs use no other kind)
    return template.replace(/\{(\w+)\}/g, function (all, name) { return String(params[name]); });
  }
  function lab(vocabulary, key) {
    var table = WORDS.v[vocabulary];
    return OWN.call(table, key) ? table[key] : String(key);
  }
  function lower(vocabulary, key) {
    var table = WORDS.lower[vocabulary];
    return OWN.call(table, key) ? table[key] : String(key).toLowerCase();
  }
  /* dnh_graph.text.clip: at most `limit` code points, cut between two clusters (a Khmer subscript or a
     combining mark stays with its letter), then an ellipsis */
  function clip(text, limit) {
    if (text.length <= limit) {
      return text;
    }
    var cps = Array.from(text);
    if (cps.length <= limit) {
      return text;
    }
    var cut = Math.max(limit - 1, 0);
    while (cut > 0 && (JOINER.test(cps[cut - 1]) || MARK.test(cps[cut]) || JOINER.test(cps[cut]))) {
      cut--;
    }
    return cps.slice(0, cut).join("").replace(SPACE_END, "") + "\u2026";
  }
  function record(id) {  // a node of data by id (indexed at the first edge tooltip)
    if (!recordOf) {
      recordOf = {};
      for (var i = 0; i < data.nodes.length; i++) {
        recordOf[data.nodes[i].id] = data.nodes[i];
      }
    }
    return OWN.call(recordOf, id) ? recordOf[id] : null;
  }
  function fullLabel(id) {  // the whole label (a long one is drawn cut short): edge tooltips name both ends
    var node = record(id);
    return !node ? "" : node.n !== undefined ? node.n : (node.label || "");
  }
  /* The text a person sees on hovering a node or an edge of data (shown with textContent or vis-network's
     innerText, never as markup). */
  function tooltip(item, edge) {
    var m = WORDS.m, t = item.t || [], kind = item.s.charAt(0), lines;
    if (edge) {
      var tip = data.tips[item.s], u = item.from, w = item.to;
      if (kind === "r") {
        lines = [lab("relationship_type", tip[0]) + ": " + fullLabel(u) + (tip[1] ? " \u2192 " : " \u2013 ") + fullLabel(w),
                 fill(m.rel_strength, {s: t[0]})];
        if (t[1]) {
          lines.push(t[1]);
        }
      } else if (kind === "l") {
        lines = [fullLabel(w) + " \u2014 " + lab("factor_actor_role", tip[0]) + " \u2014 " + fullLabel(u)];
      } else {
        var factor = record(w), isFactor = factor && factor.s.charAt(0) === "f";
        var fkind = isFactor ? factor.t[0] : "", fpriority = isFactor ? factor.t[6] : "";
        lines = [(tip[0] ? m.harmful_impact : m.helpful_impact) + ": " + fullLabel(u) + " \u2192 " +
                 lower("effect", t[0]) + " " + lower("factor_kind", fkind) + " " + fullLabel(w),
                 fill(m.impact_weight, {m: t[1], p: fpriority, w: t[2]}),
                 fill(m.mechanism_line, {m: lab("mechanism", t[3])})];
        if (t[4]) {
          lines.push(fill(m.pattern_line, {p: lab("pattern", t[4])}));
        }
        lines.push(fill(m.confidence_line, {c: lab("confidence", t[5])}));
        if (t[6]) {
          lines.push(fill(m.observed_line, {date: t[6]}));
        }
        if (t[7]) {
          lines.push(fill(m.evidence_line, {e: t[7]}));
        }
      }
      return clip(lines.join("\n"), TOOLTIP_CHARS);
    }
    var name = item.n !== undefined ? item.n : (item.label || "");
    if (kind === "a") {
      lines = [t[0] === null ? name : t[0], lab("actor_type", t[1]) + " \u00b7 " + lab("stance", t[2]),
               fill(m.influence_line, {n: t[3]}) + WORDS.asOf];
      if (t[4]) {
        lines.push(t[4]);
      }
      if (t[5]) {
        lines.push(fill(m.tags_line, {tags: t[5]}));
      }
      if (t.length > 6) {
        lines.push(fill(m.metrics_line, {degree: t[6], betweenness: t[7], c: t[8]}));
      }
    } else if (kind === "f") {
      lines = [lab("factor_kind", t[0]) + ": " + (t[1] === null ? name : t[1]) + " [" + t[2] + "]",
               lab("factor_category", t[3]),
               (t[4] ? fill(m.strength_line, {s: t[5], p: t[6], c: t[7]}) : fill(m.no_reading, {p: t[6]})) + WORDS.asOf];
      if (t[8]) {
        lines.push(t[8]);
      }
      if (t[9]) {
        lines.push(t[9]);
      }
    } else {
      lines = [fill(m.detail_line, {key: t[0], question: lab("detail_question", t[1])})];
      if (t[2]) {
        lines.push(t[2]);
      }
      if (t[3]) {
        lines.push(t[3]);
      }
    }
    return clip(lines.join("\n"), TOOLTIP_CHARS);
  }
  window.__dnhTooltip = function (id, edge) {  // for tests: the tooltip of a node (or an edge) by id
    var list = edge ? data.edges : data.nodes;
    for (var i = 0; i < list.length; i++) {
      if (list[i].id === id) {
        return tooltip(list[i], !!edge);
      }
    }
    return null;
  };

  function styled(items, styles, nodes, titles) {
    var out = new Array(items.length);
    for (var i = 0; i < items.length; i++) {
      var item = Object.assign({}, styles[items[i].s], items[i]);
      if (titles) {  // vis-network's own items show their title on hover (as text)
        item.title = tooltip(items[i], !nodes);
      }
      if (nodes) {  // labels are ours (fixed size on screen, the important first): vis-network gets none
        labelOf[item.id] = item.label || "";
        labelColour[item.id] = (item.font && item.font.color) || "#222222";
        importance.push(item);
        delete item.label;
        delete item.font;
      }
      out[i] = item;
    }
    return out;
  }
  var ownEdges = !!data.ownEdges, ownNodes = !!data.ownNodes;
  var items = styled(data.nodes, data.nodeStyles, true, !ownNodes);
  importance.sort(function (a, b) { return (b.imp || 0) - (a.imp || 0); });
  // Large networks: vis-network would build one object per edge (options merged, a label module; about
  // 0.4 s for 15,000 edges) and stroke each edge alone; we draw them ourselves, in one stroke per style.
  // Its nodes cost the same (about 0.5 s for 5,000 before the first drawing): the page draws them too,
  // a fill and a stroke per style, and does what vis-network did for them (tooltip, select, drag).
  var own = ownNodes ? ownNodeSet(items) : null;
  var nodes = ownNodes ? new vis.DataSet([]) : new vis.DataSet(items);
  var edges = ownEdges ? [] : new vis.DataSet(styled(data.edges, data.edgeStyles, false, true));
  var container = document.getElementById("dnh-network");
  // An empty network first, so that our listeners are in place before the first drawing of the data.
  var network = new vis.Network(container, {}, data.options);
  /* Where the page finds a node (x, y, options.size, options.hidden, distanceToBorder): vis-network's
     own objects, or the page's when it draws the nodes itself. */
  function allNodes() { return own ? own.byId : network.body.nodes; }
  var physicsButton = document.getElementById("dnh-physics");
  var physicsOn = data.physics;

  /* ------------------------------------------------------------------ view: label size, projector */
  var view = {size: data.view.labelSize, projector: data.view.projector};
  var STORE = "dnh-network-view";
  try {  // a person's choice outlives a rerun of the screen (same origin); a file page may refuse storage
    var kept = JSON.parse(window.localStorage.getItem(STORE) || "null");
    if (kept && typeof kept.size === "number" && typeof kept.projector === "boolean") {
      view.size = kept.size;
      view.projector = kept.projector;
    }
  } catch (e) { /* no storage: the page's own defaults */ }
  var edgeFactor = 1;

  function applyView(save, draw) {
    var sizes = data.view.sizes;
    view.size = Math.max(sizes.min, Math.min(sizes.max, view.size));
    document.getElementById("dnh-label-size").textContent = view.size + " px";
    document.getElementById("dnh-projector").setAttribute("aria-pressed", view.projector ? "true" : "false");
    var factor = view.projector ? data.view.edge_factor : 1;
    if (factor !== edgeFactor) {
      edgeFactor = factor;
      if (!ownEdges) {
        edges.update(data.edges.map(function (e) { return {id: e.id, width: (e.width || 1) * factor}; }));
      }
    }
    if (save) {
      try { window.localStorage.setItem(STORE, JSON.stringify(view)); } catch (e) { /* see above */ }
    }
    if (draw !== false) {
      network.redraw();
    }
  }

  document.getElementById("dnh-smaller").addEventListener("click", function () {
    view.size -= 2;
    applyView(true);
  });
  document.getElementById("dnh-larger").addEventListener("click", function () {
    view.size += 2;
    applyView(true);
  });
  document.getElementById("dnh-projector").addEventListener("click", function () {
    view.projector = !view.projector;
    view.size = view.projector ? data.view.sizes.projector : data.view.sizes.normal;
    applyView(true);
  });

  /* The first view: the whole layout (every review's nodes) fitted to the canvas. The same formula as
     dnh_graph.network.layout.fit_view, so that a node has the same place on screen at every review. */
  function fitView() {
    var f = data.fit, w = f.box[2] - f.box[0], h = f.box[3] - f.box[1];
    var width = container.clientWidth, height = container.clientHeight;
    var scale = Math.min(w > 0 ? (width - 2 * f.margin) / w : Infinity,
                         h > 0 ? (height - 2 * f.margin) / h : Infinity, f.maxScale);
    network.moveTo({position: {x: (f.box[0] + f.box[2]) / 2, y: (f.box[1] + f.box[3]) / 2},
                    scale: Math.max(scale, 1e-4), animation: false});
  }

  /* Labels: a fixed size on screen, the most important nodes first, in the first free place around the
     node (below, above, right, left); a label with no free place waits until a person zooms in. */
  var measured = {}, glyphs = {}, measureFont = "100px " + FONT, SIMPLE = /^[\u0020-\u024f]*$/;

  /* A label's width at 1 px. Latin text is the sum of its letters' widths (each measured once: measuring
     5,000 labels one by one took most of a second); other scripts are shaped, so measured whole. */
  function widthOf(ctx, id) {
    var w = measured[id];
    if (w === undefined) {
      var text = labelOf[id];
      if (SIMPLE.test(text)) {
        w = 0;
        for (var k = 0; k < text.length; k++) {
          var ch = text.charAt(k), g = glyphs[ch];
          if (g === undefined) {
            g = glyphs[ch] = ctx.measureText(ch).width / 100;
          }
          w += g;
        }
      } else {
        w = ctx.measureText(text).width / 100;
      }
      measured[id] = w;
    }
    return w;
  }

  function drawLabels(ctx) {
    var body = network.body, scale = body.view.scale, tx = body.view.translation.x, ty = body.view.translation.y;
    var all = allNodes();
    var width = container.clientWidth, height = container.clientHeight, px = view.size, line = Math.ceil(px * LINE_HEIGHT);
    var budget = view.projector ? data.view.labels : Infinity, cell = 96, grid = {}, drawn = [];
    var gap = view.projector ? data.view.gap.projector : data.view.gap.normal;
    ctx.save();
    ctx.font = measureFont;  // once: setting a canvas font parses it, which cost more than measuring
    function inside(b) {
      return b[0] >= 0 && b[1] >= 0 && b[2] <= width && b[3] <= height;
    }
    function clear(b) {
      for (var gx = Math.floor(b[0] / cell); gx <= Math.floor(b[2] / cell); gx++) {
        for (var gy = Math.floor(b[1] / cell); gy <= Math.floor(b[3] / cell); gy++) {
          var list = grid[gx * 65536 + gy];
          if (!list) {
            continue;
          }
          for (var k = 0; k < list.length; k++) {
            var o = list[k];
            if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) {
              return false;
            }
          }
        }
      }
      return true;
    }
    function take(b) {
      for (var gx = Math.floor(b[0] / cell); gx <= Math.floor(b[2] / cell); gx++) {
        for (var gy = Math.floor(b[1] / cell); gy <= Math.floor(b[3] / cell); gy++) {
          var key = gx * 65536 + gy;
          (grid[key] = grid[key] || []).push(b);
        }
      }
    }
    for (var i = 0; i < importance.length && drawn.length < budget; i++) {
      var id = importance[i].id, node = all[id], text = labelOf[id];
      if (!text || !node || node.options.hidden) {
        continue;
      }
      var sx = node.x * scale + tx, sy = node.y * scale + ty, r = (node.options.size || 10) * scale + 2;
      if (sx < -r || sy < -r || sx > width + r || sy > height + r) {
        continue;
      }
      var w = widthOf(ctx, id) * px, left = Math.min(Math.max(sx - w / 2, 1), width - w - 1);
      var places = [[left, sy + r], [left, sy - r - line], [sx + r + 2, sy - line / 2], [sx - r - 2 - w, sy - line / 2]];
      for (var p = 0; p < places.length; p++) {
        var b = [places[p][0], places[p][1], places[p][0] + w, places[p][1] + line];
        var room = [b[0] - gap, b[1] - gap, b[2] + gap, b[3] + gap];  // kept free around it
        if (inside(b) && clear(room)) {
          take(room);
          drawn.push({id: id, x: b[0], y: b[1], w: w, h: line, px: px});
          break;
        }
      }
    }
    var ratio = network.canvas.pixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = px + "px " + FONT;
    ctx.textBaseline = "middle";  // Khmer marks above and below the letters stay inside the line
    ctx.lineJoin = "round";
    ctx.lineWidth = Math.max(3, px / 5);
    ctx.strokeStyle = "rgba(255,255,255,0.92)";
    for (var j = 0; j < drawn.length; j++) {
      var d = drawn[j], y = d.y + line / 2;
      ctx.strokeText(labelOf[d.id], d.x, y);
      ctx.fillStyle = labelColour[d.id];
      ctx.fillText(labelOf[d.id], d.x, y);
    }
    ctx.restore();
    window.__dnhLabels = drawn;
  }

  /* A person's zoom and pan, kept for this layout in the tab: every review of a view shares the layout,
     so the review slider (which redraws the page) keeps the view they chose. "Fit to view" forgets it. */
  var PLACE = "dnh-network-place:" + data.fit.layout;

  function keepPlace() {
    try {
      window.sessionStorage.setItem(PLACE, JSON.stringify({position: network.getViewPosition(),
                                                           scale: network.getScale()}));
    } catch (e) { /* no storage: the fit at every load */ }
  }

  function firstView() {
    var kept = null;
    try { kept = JSON.parse(window.sessionStorage.getItem(PLACE) || "null"); } catch (e) { kept = null; }
    if (kept && kept.position && typeof kept.scale === "number" && isFinite(kept.scale) && kept.scale > 0) {
      network.moveTo({position: kept.position, scale: kept.scale, animation: false});
    } else {
      fitView();
    }
  }

  function setPhysics(on) {
    if (on && own) {
      toVis();
    }
    physicsOn = on;
    network.setOptions({physics: {enabled: on}});
    physicsButton.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function ready(mode) {
    if (!fontsLoaded) {  // the labels just drawn are final
      readyNow(mode);
      return;
    }
    fontsLoaded.then(function () {
      measured = {};
      glyphs = {};
      network.once("afterDrawing", function () { readyNow(mode); });
      network.redraw();
    });
  }
  function readyNow(mode) {
    window.__dnhReady = {ms: performance.now(), mode: mode, nodes: data.nodes.length, edges: data.edges.length};
    document.body.setAttribute("data-dnh-ready", mode);
  }

  if (ownEdges) {
    drawOwnEdges();
  }
  if (own) {
    network.on("afterDrawing", drawOwnNodes);
  }
  network.on("afterDrawing", drawLabels);
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      if (data.freeze) {
        setPhysics(false);
      }
      network.once("afterDrawing", function () { ready("stabilized"); });
      firstView();
      network.redraw();
    });
  } else {
    network.once("afterDrawing", function () { ready("drawn"); });
  }
  network.setData({nodes: nodes, edges: edges});  // drawn at the next frame, once
  firstView();
  applyView(false, false);
  network.on("zoom", keepPlace);
  network.on("dragEnd", function (params) {
    if (!params.nodes || !params.nodes.length) {  // the view was panned (a dragged node is not a view)
      keepPlace();
    }
  });

  physicsButton.addEventListener("click", function () { setPhysics(!physicsOn); });
  document.getElementById("dnh-fit").addEventListener("click", function () {
    try { window.sessionStorage.removeItem(PLACE); } catch (e) { /* nothing kept */ }
    fitView();
  });
  window.__dnhNetwork = network;
  window.__dnhFit = data.fit;


  /* ---------------------------------------------------------------- nodes drawn by the page itself */
  var dragged = null, selected = null;

  function ownNodeSet(list) {
    var byId = {}, out = [];
    for (var i = 0; i < list.length; i++) {
      var it = list[i], colour = it.color || {}, shape = it.shape || "dot";
      var node = {id: it.id, x: it.x || 0, y: it.y || 0, shape: shape,
                  fill: colour.background || "#97c2fc", line: colour.border || "#2b7ce9",
                  options: {size: it.size || 10, hidden: false, shape: shape},
                  distanceToBorder: border};
      byId[it.id] = node;
      out.push(node);
    }
    function at(p) {  // the node under a canvas point, the last drawn (topmost) first
      for (var k = out.length - 1; k >= 0; k--) {
        var n = out[k], r = n.options.size, dx = p.x - n.x, dy = p.y - n.y;
        if (dx * dx + dy * dy <= r * r) {
          return n;
        }
      }
      return null;
    }
    return {byId: byId, list: out, at: at};
  }

  function border(ctx, angle) {  // distance from the centre to the outline, as vis-network's shapes
    var r = this.options.size, c = Math.abs(Math.cos(angle)), s = Math.abs(Math.sin(angle));
    if (this.shape === "square") {
      return r / Math.max(c, s, 1e-9);
    }
    if (this.shape === "diamond") {
      return r / Math.max(c + s, 1e-9);
    }
    return r;
  }

  function shapePath(ctx, shape, x, y, r) {  // vis-network's own geometry (its shapes module), as a subpath
    var k, points, s, h, ir;
    if (shape === "square") {
      ctx.rect(x - r, y - r, 2 * r, 2 * r);
      return;
    }
    if (shape === "diamond") {
      points = [[x, y + r], [x + r, y], [x, y - r], [x - r, y]];
    } else if (shape === "triangle" || shape === "triangleDown") {
      var down = shape === "triangleDown" ? -1 : 1;
      r *= 1.15;
      y += down * 0.275 * r;
      s = 2 * r;
      ir = Math.sqrt(3) / 6 * s;
      h = Math.sqrt(s * s - s * s / 4);
      points = [[x, y - down * (h - ir)], [x + s / 2, y + down * ir], [x - s / 2, y + down * ir]];
    } else if (shape === "star") {
      r *= 0.82;
      y += 0.1 * r;
      points = [];
      for (k = 0; k < 10; k++) {
        var radius = k % 2 === 0 ? 1.3 * r : 0.5 * r;
        points.push([x + radius * Math.sin(k * Math.PI / 5), y - radius * Math.cos(k * Math.PI / 5)]);
      }
    } else if (shape === "hexagon") {
      points = [];
      for (k = 0; k < 6; k++) {
        points.push([x + r * Math.cos(k * Math.PI / 3), y + r * Math.sin(k * Math.PI / 3)]);
      }
    } else {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      return;
    }
    ctx.moveTo(points[0][0], points[0][1]);
    for (k = 1; k < points.length; k++) {
      ctx.lineTo(points[k][0], points[k][1]);
    }
    ctx.closePath();
  }

  function drawOwnNodes(ctx) {  // in canvas coordinates (vis-network's view transform is on)
    if (!own) {
      return;
    }
    var view = network.body.view, scale = view.scale;
    var left = -view.translation.x / scale, top = -view.translation.y / scale;
    var right = left + container.clientWidth / scale, bottom = top + container.clientHeight / scale;
    var groups = {}, order = [], list = own.list;
    for (var i = 0; i < list.length; i++) {
      var n = list[i], r = n.options.size;
      if (n.x + r < left || n.x - r > right || n.y + r < top || n.y - r > bottom) {
        continue;
      }
      var key = n.shape + "|" + n.fill + "|" + n.line, g = groups[key];
      if (!g) {
        g = groups[key] = {shape: n.shape, fill: n.fill, line: n.line, items: []};
        order.push(g);
      }
      g.items.push(n);
    }
    ctx.save();
    ctx.setLineDash([]);
    ctx.lineWidth = Math.min((data.options.nodes.borderWidth || 1) / scale, 8);  // as vis-network: the same on screen
    for (var k = 0; k < order.length; k++) {
      var grp = order[k];
      ctx.beginPath();
      for (var j = 0; j < grp.items.length; j++) {
        var m = grp.items[j];
        shapePath(ctx, grp.shape, m.x, m.y, m.options.size);
      }
      ctx.fillStyle = grp.fill;
      ctx.fill();
      ctx.strokeStyle = grp.line;
      ctx.stroke();
    }
    var chosen = selected && own.byId[selected];
    if (chosen) {  // as vis-network shows a selected node: a black outline
      ctx.beginPath();
      shapePath(ctx, chosen.shape, chosen.x, chosen.y, chosen.options.size);
      ctx.lineWidth = 3 / Math.max(1, scale);
      ctx.strokeStyle = "#000000";
      ctx.stroke();
    }
    ctx.restore();
  }

  if (own) {
    // what tests and other code ask vis-network about nodes
    network.getPositions = function (ids) {
      var out = {}, list = ids === undefined ? own.list.map(function (n) { return n.id; }) : [].concat(ids);
      for (var i = 0; i < list.length; i++) {
        var n = own && own.byId[list[i]];
        if (n) {
          out[list[i]] = {x: Math.round(n.x), y: Math.round(n.y)};
        }
      }
      return own ? out : vis.Network.prototype.getPositions.call(network, ids);
    };
    network.getNodeAt = function (dom) {
      if (!own) {
        return vis.Network.prototype.getNodeAt.call(network, dom);
      }
      var n = own.at(network.DOMtoCanvas(dom));
      return n ? n.id : undefined;
    };
    network.on("click", function (params) {
      if (own) {
        var n = own.at(params.pointer.canvas);
        selected = n ? n.id : null;
        network.redraw();
      }
    });
    // a node is dragged by the page; anywhere else the pointer pans and zooms as before
    container.addEventListener("pointerdown", function (ev) {
      if (!own || ev.button !== 0) {
        return;
      }
      var box = container.getBoundingClientRect();
      var n = own.at(network.DOMtoCanvas({x: ev.clientX - box.left, y: ev.clientY - box.top}));
      if (!n) {
        return;
      }
      ev.stopPropagation();
      ev.preventDefault();
      dragged = n;
      selected = n.id;
      function move(e) {
        var p = network.DOMtoCanvas({x: e.clientX - box.left, y: e.clientY - box.top});
        dragged.x = p.x;
        dragged.y = p.y;
        network.redraw();
      }
      function up() {
        window.removeEventListener("pointermove", move, true);
        window.removeEventListener("pointerup", up, true);
        dragged = null;
        network.redraw();
      }
      window.addEventListener("pointermove", move, true);
      window.addEventListener("pointerup", up, true);
    }, true);
  }

  function toVis() {  // physics needs vis-network's nodes: hand them over where they are now
    var place = {position: network.getViewPosition(), scale: network.getScale()};
    var list = own.list;
    own = null;
    nodes = new vis.DataSet(items.map(function (it, i) {
      return Object.assign({}, it, {x: list[i].x, y: list[i].y, title: tooltip(data.nodes[i], false)});
    }));
    network.setData({nodes: nodes, edges: edges});
    network.moveTo({position: place.position, scale: place.scale, animation: false});
  }

  /* ---------------------------------------------------------------- edges drawn by the page itself */
  function drawOwnEdges() {
    var body = network.body, renderer = network.renderer, list = data.edges, styles = data.edgeStyles;
    var groups = {}, order = [];
    // edges of one style and width are stroked as one path; arrowheads and markers are filled after
    for (var i = 0; i < list.length; i++) {
      var e = list[i], st = styles[e.s] || {}, width = e.width || 1;
      var key = e.s + "|" + width;
      var g = groups[key];
      if (!g) {
        var arrows = st.arrows, to = false, from = false, middle = null;
        if (typeof arrows === "string") {
          to = arrows.indexOf("to") >= 0;
          from = arrows.indexOf("from") >= 0;
        } else if (arrows) {
          to = !!(arrows.to && arrows.to.enabled);
          from = !!(arrows.from && arrows.from.enabled);
          middle = arrows.middle && arrows.middle.enabled ? (arrows.middle.type || "arrow") : null;
        }
        g = groups[key] = {colour: st.color || "#848484", width: width, dashes: st.dashes || null, to: to,
                           from: from, middle: middle, items: []};
        order.push(g);
      }
      g.items.push(e);
    }

    function control(e, a, b) {  // vis-network's curvedCW / curvedCCW control point
      var r = e.smooth.roundness || 0.5, dx = b.x - a.x, dy = a.y - b.y, d = Math.sqrt(dx * dx + dy * dy);
      var turn = e.smooth.type === "curvedCCW" ? 0.5 * -r + 0.5 : 0.5 * r + 0.5;
      var angle = (Math.atan2(dy, dx) + turn * Math.PI) % (2 * Math.PI);
      return {x: a.x + (0.5 * r + 0.5) * d * Math.sin(angle), y: a.y + (0.5 * r + 0.5) * d * Math.cos(angle)};
    }

    function head(ctx, tip, angle, length) {  // a filled arrowhead pointing along angle
      var back = angle + Math.PI, half = 0.3 * Math.PI / 2;
      ctx.moveTo(tip.x, tip.y);
      ctx.lineTo(tip.x + length * Math.cos(back - half), tip.y + length * Math.sin(back - half));
      ctx.lineTo(tip.x + length * Math.cos(back + half), tip.y + length * Math.sin(back + half));
      ctx.closePath();
    }

    function border(ctx, node, other) {  // where the line from other meets node's outline
      var angle = Math.atan2(other.y - node.y, other.x - node.x), d = node.distanceToBorder(ctx, angle);
      return {x: node.x + d * Math.cos(angle), y: node.y + d * Math.sin(angle)};
    }

    function bezier(a, c, b, t) {
      var u = 1 - t;
      return {x: u * u * a.x + 2 * t * u * c.x + t * t * b.x, y: u * u * a.y + 2 * t * u * c.y + t * t * b.y};
    }

    function tipOf(ctx, a, b, c, atEnd) {  // arrowhead at b (atEnd) or a: its tip, and where it points
      var node = atEnd ? b : a, other = atEnd ? a : b;
      if (!c) {
        var t = border(ctx, node, other);
        return {tip: t, angle: Math.atan2(t.y - other.y, t.x - other.x)};
      }
      // curved (vis-network's way): bisect for the point of the curve on the outline, aim from a bit before
      var lo = atEnd ? 0 : 1, hi = atEnd ? 1 : 0, point = node;
      for (var k = 0; k < 12; k++) {
        var mid = (lo + hi) / 2;
        point = bezier(a, c, b, mid);
        var angle = Math.atan2(point.y - node.y, point.x - node.x);
        var inside = Math.sqrt((point.x - node.x) * (point.x - node.x) + (point.y - node.y) * (point.y - node.y)) <
          node.distanceToBorder(ctx, angle);
        if (inside) {
          hi = mid;
        } else {
          lo = mid;
        }
      }
      var guide = bezier(a, c, b, Math.min(1, Math.max(0, (lo + hi) / 2 + (atEnd ? -0.1 : 0.1))));
      return {tip: point, angle: Math.atan2(point.y - guide.y, point.x - guide.x)};
    }

    network.on("beforeDrawing", function (ctx) {
      if ((renderer.dragging && renderer.options.hideEdgesOnDrag) ||
          (renderer.zooming && renderer.options.hideEdgesOnZoom)) {
        return;
      }
      var all = allNodes();
      ctx.save();
      ctx.lineCap = "butt";
      for (var k = 0; k < order.length; k++) {
        var g = order[k], items = g.items, marks = g.to || g.from || g.middle;
        ctx.beginPath();
        for (var j = 0; j < items.length; j++) {
          var e = items[j], a = all[e.from], b = all[e.to];
          if (!a || !b || a.options.hidden || b.options.hidden) {
            continue;
          }
          ctx.moveTo(a.x, a.y);
          if (e.smooth) {
            var c = control(e, a, b);
            ctx.quadraticCurveTo(c.x, c.y, b.x, b.y);
          } else {
            ctx.lineTo(b.x, b.y);
          }
        }
        ctx.strokeStyle = g.colour;
        ctx.lineWidth = g.width * edgeFactor;
        ctx.setLineDash(g.dashes || []);
        ctx.stroke();
        if (!marks) {
          continue;
        }
        ctx.setLineDash([]);
        ctx.fillStyle = g.colour;
        ctx.beginPath();
        var length = 15 * 0.6 + 3 * g.width, bars = [];
        for (j = 0; j < items.length; j++) {
          e = items[j];
          a = all[e.from];
          b = all[e.to];
          if (!a || !b || a.options.hidden || b.options.hidden) {
            continue;
          }
          var m = e.smooth ? control(e, a, b) : null;
          if (g.to) {
            var at = tipOf(ctx, a, b, m, true);
            head(ctx, at.tip, at.angle, length);
          }
          if (g.from) {
            var af = tipOf(ctx, a, b, m, false);
            head(ctx, af.tip, af.angle, length);
          }
          if (g.middle) {
            var mx = m ? 0.25 * a.x + 0.5 * m.x + 0.25 * b.x : (a.x + b.x) / 2;
            var my = m ? 0.25 * a.y + 0.5 * m.y + 0.25 * b.y : (a.y + b.y) / 2;
            var r = (15 * 0.8 + 3 * g.width) / 3;
            if (g.middle === "circle") {
              ctx.moveTo(mx + r, my);
              ctx.arc(mx, my, r, 0, 2 * Math.PI);
            } else if (g.middle === "bar") {  // a short line across, stroked after the fill
              var across = Math.atan2(b.y - a.y, b.x - a.x) + Math.PI / 2;
              bars.push(mx - 1.5 * r * Math.cos(across), my - 1.5 * r * Math.sin(across),
                        mx + 1.5 * r * Math.cos(across), my + 1.5 * r * Math.sin(across));
            } else {
              head(ctx, {x: mx, y: my}, Math.atan2(b.y - a.y, b.x - a.x), length);
            }
          }
        }
        ctx.fill();
        if (bars.length) {
          ctx.beginPath();
          for (j = 0; j < bars.length; j += 4) {
            ctx.moveTo(bars[j], bars[j + 1]);
            ctx.lineTo(bars[j + 2], bars[j + 3]);
          }
          ctx.lineWidth = 2;
          ctx.stroke();
        }
      }
      ctx.restore();
    });

    // edge tooltips: the nearest edge within a few pixels of the pointer, shown as plain text
    var tip = null, pending = false, lastEvent = null, shown = -1;

    function distance(px, py, ax, ay, bx, by) {
      var dx = bx - ax, dy = by - ay, l = dx * dx + dy * dy, t = l ? ((px - ax) * dx + (py - ay) * dy) / l : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      var x = ax + t * dx - px, y = ay + t * dy - py;
      return Math.sqrt(x * x + y * y);
    }

    function nearest(p) {
      var all = allNodes(), best = -1, bestD = Infinity, scale = body.view.scale;
      for (var i = 0; i < list.length; i++) {
        var e = list[i], a = all[e.from], b = all[e.to];
        if (!a || !b || a.options.hidden || b.options.hidden) {
          continue;
        }
        var d;
        if (e.smooth) {
          var c = control(e, a, b), x0 = a.x, y0 = a.y;
          d = Infinity;
          for (var s = 1; s <= 8; s++) {
            var t = s / 8, x1 = (1 - t) * (1 - t) * a.x + 2 * t * (1 - t) * c.x + t * t * b.x;
            var y1 = (1 - t) * (1 - t) * a.y + 2 * t * (1 - t) * c.y + t * t * b.y;
            d = Math.min(d, distance(p.x, p.y, x0, y0, x1, y1));
            x0 = x1;
            y0 = y1;
          }
        } else {
          d = distance(p.x, p.y, a.x, a.y, b.x, b.y);
        }
        var reach = (e.width || 1) / 2 + 4 / scale;
        if (d <= reach && d < bestD) {
          best = i;
          bestD = d;
        }
      }
      return best;
    }

    function hide() {
      if (tip) {
        tip.style.visibility = "hidden";
      }
      shown = -1;
    }

    function update() {
      pending = false;
      var ev = lastEvent, box = container.getBoundingClientRect();
      var dom = {x: ev.clientX - box.left, y: ev.clientY - box.top};
      if (renderer.dragging || dragged || (!own && network.getNodeAt(dom) !== undefined)) {
        hide();
        return;
      }
      var at = network.DOMtoCanvas(dom), node = own ? own.at(at) : null;
      var index = node ? own.list.indexOf(node) : -1, found = node ? -2 - index : nearest(at);
      if (found === -1) {
        hide();
        return;
      }
      if (!tip) {
        tip = document.createElement("div");
        tip.className = "dnh-edge-tooltip";
        container.appendChild(tip);
      }
      if (found !== shown) {
        tip.textContent = node ? tooltip(data.nodes[index], false) : tooltip(list[found], true);
        shown = found;
      }
      tip.style.left = Math.min(dom.x + 12, Math.max(0, box.width - tip.offsetWidth - 4)) + "px";
      tip.style.top = Math.min(dom.y + 12, Math.max(0, box.height - tip.offsetHeight - 4)) + "px";
      tip.style.visibility = "visible";
    }

    container.addEventListener("mousemove", function (ev) {
      lastEvent = ev;
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(update);
      }
    });
    container.addEventListener("mouseleave", hide);
    container.addEventListener("mousedown", hide);
    container.addEventListener("wheel", hide, {passive: true});
  }
}());
