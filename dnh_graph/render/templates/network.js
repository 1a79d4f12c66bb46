/* dnh-graph network page: reads the JSON data block, draws it with vis-network, reports when ready.
   No user text is ever parsed as HTML here: vis-network draws labels on a canvas and shows string
   titles with innerText. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dnh-data").textContent);
  function styled(items, styles) {
    var out = new Array(items.length);
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      out[i] = Object.assign({}, styles[item.s], item);
    }
    return out;
  }
  var nodes = new vis.DataSet(styled(data.nodes, data.nodeStyles));
  var edges = new vis.DataSet(styled(data.edges, data.edgeStyles));
  var container = document.getElementById("dnh-network");
  // An empty network first, so that our listeners are in place before the first drawing of the data.
  var network = new vis.Network(container, {}, data.options);
  var physicsButton = document.getElementById("dnh-physics");
  var physicsOn = data.physics;

  function setPhysics(on) {
    physicsOn = on;
    network.setOptions({physics: {enabled: on}});
    physicsButton.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function ready(mode) {
    window.__dnhReady = {ms: performance.now(), mode: mode, nodes: data.nodes.length, edges: data.edges.length};
    document.body.setAttribute("data-dnh-ready", mode);
  }

  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      if (data.freeze) {
        setPhysics(false);
      }
      network.once("afterDrawing", function () { ready("stabilized"); });
      network.redraw();
    });
  } else {
    network.once("afterDrawing", function () { ready("drawn"); });
  }
  network.setData({nodes: nodes, edges: edges});
  if (!data.physics) {
    network.fit({animation: false});
  }

  physicsButton.addEventListener("click", function () { setPhysics(!physicsOn); });
  document.getElementById("dnh-fit").addEventListener("click", function () { network.fit(); });
  window.__dnhNetwork = network;
}());
