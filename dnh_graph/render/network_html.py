"""The network as one self-contained, offline, script-safe HTML page (vis-network inline).

We do not use pyvis's ``Network`` class or template (README.md#privacy: its template loads Bootstrap from a CDN,
switches tooltips to ``innerHTML`` when a title contains ``href``, inserts ``heading`` raw, and
``from_nx`` is quadratic). Instead the vis-network items are built here in bulk and passed through a
Jinja2 template with autoescape and ``|tojson`` into a ``<script type="application/json">`` block, which
our own static script (``templates/network.js``) parses. Every user string reaches the page either
escaped by Jinja or as a JSON string that vis-network draws on a canvas (labels) or shows with
``innerText`` (tooltips).

The page carries a Content-Security-Policy: scripts and styles only by their sha256 hashes, no
connections, images only from ``data:`` (vis's own icons). Streamlit shows it in a same-origin iframe,
so a script injected here would be a script on the whole app.

vis-network 9.1.2 (dual-licensed Apache-2.0 / MIT, © Almende B.V. and the visjs contributors; its
licence header is kept in the page) is read from the installed pyvis package: no network, no copy.

Drawing conventions (the same as :func:`legend`, shown under the network and in exports):

- actors: shape by type, colour by type (or stance, or community), size by influence as of the review
  (or degree / betweenness after :func:`dnh_graph.network.metrics.add_actor_metrics`);
- dividers red, connectors green: diamonds sized by strength × priority at the review, faint when
  absent (strength 0); details: squares coloured by DNH question (the layout also pulls them together);
- relationships, impacts and factor–actor links as :mod:`dnh_graph.render.styles` defines them (the
  report's actor map draws from the same tables); parallel relationships curve apart;
- labels are drawn by the page at a fixed size on screen (a label-size control and a projector preset in
  the bar), the most important nodes first; a label that would overlap one already drawn waits until a
  person zooms in.

The page opens on the computed positions (no physics run, so the same node stays at the same place from
one review to the next) with the view :func:`dnh_graph.network.layout.fit_view` defines, fitted to the whole
layout it was given (pass the layout of every review's nodes and the zoom holds too).

Examples
--------
>>> from dnh_graph.synthetic import generate_analysis
>>> from dnh_graph.network import build_graph
>>> page = network_html(build_graph(generate_analysis(actors=5, relationships=6, factors=3, details=2,
...                                                   impacts=4, options=0, reviews=1)))
>>> "Content-Security-Policy" in page, "http://" in page, "https://" in page
(True, False, False)
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2
import networkx as nx

from dnh_graph import vocab
from dnh_graph.i18n import translate
from dnh_graph.network.layout import FIT_MARGIN, FIT_MAX_SCALE, compute_layout, fit_box
from dnh_graph.render import styles
from dnh_graph.render.styles import darker as _darker
from dnh_graph.render.styles import faint as _faint
from dnh_graph.text import clip

__all__ = ["PHYSICS_LIMIT", "FRAME_HEIGHT", "LABEL_SIZES", "legend", "used_styles", "vis_data", "network_html"]

PHYSICS_LIMIT = 250  # nodes; the Network screen runs physics at load only up to it (above, it takes seconds)
# nodes; above it edges hide while dragging/zooming, hover highlighting is off, impacts and
# factor–actor links are drawn without arrowheads (see vis_data), and the page draws the edges and the
# nodes itself, one path per style, with its own text tooltips, selection and dragging (network.js: no
# vis-network edge or node objects until a person turns physics on)
LARGE = 1000
TOOLTIP_CHARS = 600  # a 20,000-character note would fill the screen
LABEL_CHARS = 40
# Label size on screen in CSS pixels: the normal default, the projector default, the range of the
# control. The projector preset also thickens edges and keeps only the most important labels.
LABEL_SIZES = {"normal": 14, "projector": 20, "min": 10, "max": 32}
PROJECTOR = {"edge_factor": 2.0, "labels": 12}
LABEL_GAP = {"normal": 4, "projector": 10}  # pixels kept free around a label (fewer, calmer labels)
DETAIL_SIZE = 12
# CSS pixels of the frame the Network screen gives a page made with height="fill": its bar, the drawing
# and the legend (only what is drawn, in columns); the drawing takes what the legend leaves.
FRAME_HEIGHT = 880

_HEIGHT = re.compile(r"^\d{1,5}(\.\d+)?(px|vh|%|em|rem)$")


# ------------------------------------------------------------------------------------------- words
# The box a canvas label takes, in label sizes. A canvas does not clip, so Khmer marks above and below a
# label are drawn whole (centred on the box); a taller box (styles.LINE_HEIGHT) left the most important
# nodes of the busiest demo without a label on a 1280x720 screen.
LABEL_LINE = 1.25


def _messages(lang: str) -> Callable[..., str]:
    """A translator for ``network.*`` messages (texts live in the catalogs): each looked up once."""
    found: dict[str, str] = {}

    def message(msgid: str, **params) -> str:
        text = found.get(msgid)
        if text is None:
            text = found[msgid] = translate(f"network.{msgid}", lang)
        return text.format(**params) if params else text

    return message


def _labels(lang: str) -> Callable[[str, str], str]:
    """``vocab.label`` for many calls: each vocabulary translated once."""
    tables = {name: vocab.labels(name, lang) for name in vocab.VOCABULARIES}
    return lambda vocabulary, key: tables[vocabulary].get(key, key)


def _clip(text: str, limit: int = TOOLTIP_CHARS) -> str:
    return clip(text, limit)


def _node_colour(background: str, border: str | None = None) -> dict:
    border = border or _darker(background)
    return {"background": background, "border": border,
            "highlight": {"background": background, "border": styles.INK},
            "hover": {"background": background, "border": styles.INK}}


# ------------------------------------------------------------------------------------------ legend
def _node_item(label: str, shape: str, colour: str) -> dict:
    return {"label": label, "symbol": {"shape": shape, "color": colour}}


def _line_item(label: str, colour: str, width: float, dashes=None, arrow=False, marker=None) -> dict:
    return {"label": label, "symbol": {"line": True, "color": colour, "width": width,
                                       "dashes": list(dashes) if dashes else None, "arrow": arrow,
                                       "marker": marker}}


def _note(label: str) -> dict:
    return {"label": label, "symbol": None}


def used_styles(graph: nx.MultiDiGraph) -> dict[str, set]:
    """What a graph draws, by legend entry: actor types, factor kinds, questions, relationship types,
    factor–actor links and harmful/helpful impacts present (a legend lists only what is on the picture)."""
    used: dict[str, set] = {k: set() for k in ("actor_type", "stance", "factor_kind", "question", "relationship",
                                                 "link", "impact", "faint")}
    for _, d in graph.nodes(data=True):
        kind = d.get("node_type")
        if kind == "actor":
            used["actor_type"].add(d.get("type"))
            used["stance"].add(d.get("stance"))
        elif kind == "factor":
            used["factor_kind"].add(d.get("kind"))
            if d.get("contribution") == 0:
                used["faint"].add(True)
        elif kind == "detail":
            used["question"].add(d.get("question"))
    for _, _, d in graph.edges(data=True):
        kind = d.get("edge_type")
        if kind == "relationship":
            used["relationship"].add(d.get("relationship_type"))
        elif kind == "factor_actor":
            used["link"].add(True)
        elif kind == "impact":
            used["impact"].add(bool(d.get("harmful")))
    return used


def legend(lang: str = "en", color_by: str = "type", size_by: str = "influence",
           all_arrows: bool = True, used: Mapping[str, set] | None = None) -> list[dict[str, Any]]:
    """The drawing conventions as data: sections ``{"title", "items"}``, items ``{"label", "symbol"}``.

    A symbol is ``{"shape", "color"}`` for a node, ``{"line", "color", "width", "dashes", "arrow",
    "marker"}`` for an edge, or None for a note. The page template draws them as small SVGs; a
    Streamlit page can list the labels. With ``used`` (from :func:`used_styles`) only what the graph
    draws is listed, and a section with nothing drawn is left out.

    >>> [section["title"] for section in legend()][:2]
    ['Actors', 'Dividers and connectors']
    """
    m, lab = _messages(lang), _labels(lang)

    def shown(group: str, key) -> bool:
        return used is None or key in used.get(group, ())

    actors = [_node_item(lab("actor_type", key), style.shape, style.colour if color_by == "type" else styles.NEUTRAL)
              for key, style in styles.ACTOR.items() if shown("actor_type", key)]
    if color_by == "stance":
        actors += [_node_item(lab("stance", key), "dot", colour) for key, colour in styles.STANCE_COLOUR.items()
                   if shown("stance", key)]
    elif color_by == "community":
        actors.append(_node_item(m("community_colours"), "dot", styles.COMMUNITY_COLOURS[0]))
    if actors:
        actors.append(_note({"degree": m("size_degree"), "betweenness": m("size_betweenness")}.get(size_by)
                            or m("size_influence")))

    factors = [_node_item(lab("factor_kind", kind), "diamond", styles.FACTOR_COLOUR[kind])
               for kind in ("divider", "connector") if shown("factor_kind", kind)]
    if factors:
        if shown("faint", True):
            factors.append(_node_item(m("factor_absent"), "diamond", _faint(styles.FACTOR_COLOUR["divider"], 0.3)))
        factors.append(_note(m("factor_size")))
    details = [_node_item(lab("detail_question", q), "square", c) for q, c in styles.QUESTION_COLOUR.items()
               if shown("question", q)]
    relationships = [_line_item(lab("relationship_type", key), st.colour, st.width, st.dashes, st.arrow, st.marker)
                     for key, st in styles.RELATIONSHIP.items() if shown("relationship", key)]
    if shown("link", True):
        relationships.append(_line_item(m("link_factor_actor"), styles.LINK_COLOUR["divider"], 1))
    impacts = [_line_item(text, colour, 4, arrow=True) for harmful, text, colour in (
        (True, m("impact_harmful"), styles.HARM), (False, m("impact_helpful"), styles.HELP))
        if shown("impact", harmful)]
    if impacts:
        impacts.append(_note(m("impact_width")))
        if not all_arrows:
            impacts.append(_note(m("no_arrows")))
    sections = [
        {"title": m("legend_actors"), "items": actors},
        {"title": m("legend_factors"), "items": factors},
        {"title": m("legend_details"), "items": details},
        {"title": m("legend_relationships"), "items": relationships},
        {"title": m("legend_impacts"), "items": impacts},
    ]
    return [section for section in sections if section["items"]]


_legend = legend  # network_html has a parameter of the same name


# ---------------------------------------------------------------------------------------- vis data
class _Items:
    """Builds vis items; shared styles are kept once and referred to by name (``s``)."""

    def __init__(self, graph: nx.MultiDiGraph, lang: str, color_by: str, size_by: str, all_arrows: bool):
        self.graph, self.color_by, self.size_by, self.all_arrows = graph, color_by, size_by, all_arrows
        self.m, self.lab = _messages(lang), _labels(lang)
        review = graph.graph.get("review", "")
        self.review = review
        self.as_of = f" ({review})" if review else ""
        self.node_styles: dict[str, dict] = {}
        self.edge_styles: dict[str, dict] = {}
        actors = (d for _, d in graph.nodes(data=True) if d.get("node_type") == "actor")
        self.top = max((d.get(size_by, 0) for d in actors), default=0)
        self.labels = {n: d.get("label", "") for n, d in graph.nodes(data=True)}

    # nodes ---------------------------------------------------------------------------------------
    def actor(self, d: Mapping) -> tuple[str, float, list[str]]:
        m, lab = self.m, self.lab
        shape, colour = styles.ACTOR.get(d["type"], styles.ACTOR["other"])
        if self.color_by == "stance":
            colour = styles.STANCE_COLOUR.get(d["stance"], styles.STANCE_COLOUR["unknown"])
        elif self.color_by == "community":
            c = d.get("community", 0)
            colours = styles.COMMUNITY_COLOURS
            colour = colours[(c - 1) % len(colours)] if c else styles.NO_COMMUNITY
        style = f"a:{shape}:{colour}"
        self.node_styles.setdefault(style, {"shape": shape, "color": _node_colour(colour)})
        if self.size_by == "influence":
            size = 8 + 5 * d["influence"]
        else:
            value = d.get(self.size_by, 0)
            size = round(10 + 30 * math.sqrt(value / self.top), 1) if self.top > 0 else 10
        lines = [d["name"], f"{lab('actor_type', d['type'])} · {lab('stance', d['stance'])}",
                 m("influence_line", n=d["influence"]) + self.as_of]
        if d.get("description"):
            lines.append(d["description"])
        if d.get("tags"):
            lines.append(m("tags_line", tags=d["tags"].replace(";", ", ")))
        if "degree" in d:
            lines.append(m("metrics_line", degree=d["degree"], betweenness=d.get("betweenness", 0),
                           c=d.get("community", 0)))
        return style, size, lines

    def factor(self, d: Mapping) -> tuple[str, float, list[str]]:
        m, lab = self.m, self.lab
        colour = styles.FACTOR_COLOUR.get(d["kind"], styles.UNKNOWN_FACTOR)
        unread_now = not self.review and not d["has_reading"]  # "now" with no reading at all yet
        faint = d["contribution"] == 0 and not unread_now
        style = f"f:{d['kind']}:{int(faint)}"
        if faint:
            self.node_styles.setdefault(style, {"shape": "diamond", "font": {"color": styles.FAINT},
                                                "color": _node_colour(_faint(colour), _faint(colour, 0.5))})
        else:
            self.node_styles.setdefault(style, {"shape": "diamond", "color": _node_colour(colour)})
        size = round(10 + 1.4 * (3 * d["priority"] if unread_now else d["contribution"]), 1)
        if d["has_reading"]:
            reading = m("strength_line", s=d["strength"], p=d["priority"], c=d["contribution"])
        else:
            reading = m("no_reading", p=d["priority"])
        lines = [f"{lab('factor_kind', d['kind'])}: {d['name']} [{d['key']}]",
                 lab("factor_category", d["category"]), reading + self.as_of]
        lines += [text for text in (d.get("reading_note"), d.get("description")) if text]
        return style, size, lines

    def detail(self, d: Mapping) -> tuple[str, str, list[str]]:
        question = d.get("question", "")
        style = f"d:{question}"
        self.node_styles.setdefault(style, {
            "shape": "square", "size": DETAIL_SIZE,
            "color": _node_colour(styles.QUESTION_COLOUR.get(question, styles.UNKNOWN_QUESTION), styles.DETAIL_BORDER)})
        q_label = self.lab("detail_question", question)
        lines = [self.m("detail_line", key=d.get("key", ""), question=q_label)]
        lines += [text for text in (d.get("activity"), d.get("description")) if text]
        return style, _clip(f"{q_label}: {d.get('label', '')}", LABEL_CHARS + 8), lines

    # edges ---------------------------------------------------------------------------------------
    def relationship(self, u: str, v: str, d: Mapping) -> tuple[str, float, list[str]]:
        rel = d["relationship_type"]
        _, colour, dashes, arrow, marker = styles.RELATIONSHIP.get(rel, styles.RELATIONSHIP["weak"])
        directed = arrow or bool(d.get("directed"))
        style = f"r:{rel}:{int(directed)}"
        if style not in self.edge_styles:
            entry: dict[str, Any] = {"color": colour}
            if dashes:
                entry["dashes"] = list(dashes)
            if marker:
                entry["arrows"] = {"to": {"enabled": directed}, "middle": {"enabled": True, "type": marker}}
            elif directed:
                entry["arrows"] = "to"
            self.edge_styles[style] = entry
        lines = [f"{self.lab('relationship_type', rel)}: {self.labels[u]} {'→' if directed else '–'} "
                 f"{self.labels[v]}", self.m("rel_strength", s=d.get("strength", ""))]
        if d.get("note"):
            lines.append(d["note"])
        return style, styles.relationship_width(rel, d.get("strength", 2)), lines

    def link(self, u: str, v: str, d: Mapping) -> tuple[str, None, list[str]]:
        factor_kind = self.graph.nodes[u].get("kind", "divider")
        role = d["role"]
        style = f"l:{factor_kind}:{role}"
        if style not in self.edge_styles:
            self.edge_styles[style] = {"color": styles.LINK_COLOUR.get(factor_kind, styles.UNKNOWN_LINK)}
            if role in styles.LINK_ARROW and self.all_arrows:
                self.edge_styles[style]["arrows"] = styles.LINK_ARROW[role]
        return style, None, [f"{self.labels[v]} — {self.lab('factor_actor_role', role)} — {self.labels[u]}"]

    def impact(self, u: str, v: str, d: Mapping) -> tuple[str, float, list[str]]:
        m, lab = self.m, self.lab
        harmful = bool(d.get("harmful"))
        style = f"i:{int(harmful)}"
        if style not in self.edge_styles:
            self.edge_styles[style] = {"color": styles.HARM if harmful else styles.HELP}
            if self.all_arrows:
                self.edge_styles[style]["arrows"] = "to"
        weight = d.get("impact_weight", 1)
        factor = self.graph.nodes[v]
        head = m("harmful_impact") if harmful else m("helpful_impact")
        lines = [f"{head}: {self.labels[u]} → {lab('effect', d['effect']).lower()} "
                 f"{lab('factor_kind', factor.get('kind', '')).lower()} {self.labels[v]}",
                 m("impact_weight", m=d["magnitude"], p=factor.get("priority", ""), w=weight),
                 m("mechanism_line", m=lab("mechanism", d["mechanism"]))]
        if d.get("pattern"):
            lines.append(m("pattern_line", p=lab("pattern", d["pattern"])))
        lines.append(m("confidence_line", c=lab("confidence", d.get("confidence", ""))))
        if d.get("observed_on"):
            lines.append(m("observed_line", date=d["observed_on"]))
        if d.get("evidence"):
            lines.append(m("evidence_line", e=d["evidence"]))
        return style, round(1 + 0.5 * weight, 2), lines


def vis_data(graph: nx.MultiDiGraph, positions: Mapping | None = None, *, lang: str = "en",
             color_by: str = "type", size_by: str = "influence", all_arrows: bool = True) -> dict[str, Any]:
    """vis-network items for ``graph``: ``{"nodes", "edges", "nodeStyles", "edgeStyles"}``.

    Items name a shared style in ``s`` (the page merges it in), which keeps a 5,000-node page small.
    Every text is plain: labels are drawn on a canvas and titles shown as text. Without
    ``all_arrows``, impacts and factor–actor links have no arrowhead (influence and funding keep
    theirs): for a large graph, placing thousands of arrowheads is a third of the drawing time, and an
    impact always runs from a detail (box) to a factor (diamond) anyway.
    """
    if color_by not in ("type", "stance", "community"):
        raise ValueError(f"color_by must be type, stance or community (got {color_by!r}).")
    if size_by not in ("influence", "degree", "betweenness"):
        raise ValueError(f"size_by must be influence, degree or betweenness (got {size_by!r}).")
    if size_by != "influence" and not any(size_by in d for _, d in graph.nodes(data=True)):
        raise ValueError(f"The graph has no {size_by} yet: add it with network.metrics.add_actor_metrics first.")
    if color_by == "community" and not any("community" in d for _, d in graph.nodes(data=True)):
        raise ValueError("The graph has no communities yet: add them with network.metrics.add_actor_metrics first.")
    items = _Items(graph, lang, color_by, size_by, all_arrows)
    positions = positions or {}
    degree = dict(graph.degree())  # one pass: a degree view per node costs 10× more

    nodes = []
    for node, d in graph.nodes(data=True):
        kind = d.get("node_type")
        item: dict[str, Any] = {"id": node, "label": _clip(d.get("label", ""), LABEL_CHARS)}
        if kind == "actor":
            item["s"], item["size"], lines = items.actor(d)
        elif kind == "factor":
            item["s"], item["size"], lines = items.factor(d)
        else:
            item["s"], item["label"], lines = items.detail(d)
        # the order in which the page places labels: the biggest nodes first, then the most linked
        size = item.get("size", DETAIL_SIZE)
        item["imp"] = round(size + min(degree[node], 50) / 10, 1)
        item["title"] = _clip("\n".join(lines))
        if node in positions:
            item["x"], item["y"] = positions[node]
        nodes.append(item)

    edges = []
    seen_pairs: dict[frozenset, int] = defaultdict(int)
    for u, v, key, d in graph.edges(keys=True, data=True):
        kind = d.get("edge_type")
        build = items.relationship if kind == "relationship" else items.link if kind == "factor_actor" \
            else items.impact
        style, width, lines = build(u, v, d)
        item = {"id": str(key), "from": u, "to": v, "s": style, "title": _clip("\n".join(lines))}
        if width is not None:
            item["width"] = width
        # parallel edges between the same two nodes curve apart instead of lying on top of each other
        nth = seen_pairs[frozenset((u, v))]
        seen_pairs[frozenset((u, v))] += 1
        if nth:
            item["smooth"] = {"enabled": True, "type": "curvedCW" if nth % 2 else "curvedCCW",
                              "roundness": round(0.2 * ((nth + 1) // 2), 2)}
        edges.append(item)
    return {"nodes": nodes, "edges": edges, "nodeStyles": items.node_styles, "edgeStyles": items.edge_styles}


# ------------------------------------------------------------------------------------------- page
@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet (static package files, read once per process).

    ``http://`` in the library's strings and licence comment is written ``http:\\/\\/`` (the same
    string in JavaScript), so the page holds no URL that a scanner could take for a resource; the
    source-map comment is dropped.
    """
    lib = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    script = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    script = script.replace("http://", "http:\\/\\/").replace("https://", "https:\\/\\/")
    script = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", script)  # devtools would go looking for it
    if "</script" in script.lower() or "<!--" in script:  # would end the inline script early
        raise RuntimeError("vis-network.min.js cannot be inlined as it is; check the pyvis version.")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return script, css


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("dnh_graph.render", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    # compact, in insertion order: sorting the keys of 20,000 items costs time and helps nobody
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "separators": (",", ":"), "ensure_ascii": False}
    return env


@lru_cache(maxsize=1)
def _page_script() -> str:
    return (resources.files("dnh_graph.render") / "templates" / "network.js").read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _options(n: int, physics: bool, seed: int) -> dict[str, Any]:
    """vis-network options: the positions as given (physics only when asked); labels are the page's own."""
    arrows = {"to": {"enabled": False, "scaleFactor": 0.6}, "from": {"enabled": False, "scaleFactor": 0.5},
              "middle": {"enabled": False, "scaleFactor": 0.8}}
    return {
        "autoResize": True, "width": "100%", "height": "100%",
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "physics": {
            "enabled": True, "solver": "barnesHut",
            # long springs and strong repulsion: a workshop graph of 30-80 nodes needs room for its labels
            "barnesHut": {"gravitationalConstant": -6000, "centralGravity": 0.2, "springLength": 160,
                          "springConstant": 0.03, "damping": 0.5, "avoidOverlap": 0.5},
            # the positions are already a layout: a short settling run is enough, then it freezes
            "stabilization": {"enabled": True, "iterations": 250 if n <= 150 else 100, "updateInterval": 50,
                              "fit": False},
            "minVelocity": 1.0, "maxVelocity": 40, "timestep": 0.5, "adaptiveTimestep": True,
        } if physics else {"enabled": False},
        "interaction": {"hover": n <= LARGE, "tooltipDelay": 150, "hideEdgesOnDrag": n > LARGE,
                        "hideEdgesOnZoom": n > LARGE, "navigationButtons": False, "keyboard": False},
        "nodes": {"borderWidth": 1.5},
        "edges": {"smooth": False, "selectionWidth": 1.5, "arrowStrikethrough": False, "width": 1,
                  "color": {"inherit": False}, "arrows": arrows},
    }


def network_html(graph: nx.MultiDiGraph, *, physics: bool | str = "auto", positions: Mapping | None = None,
                 legend: bool = True, height: str = "700px", lang: str = "en", color_by: str = "type",
                 size_by: str = "influence", freeze: bool = True, seed: int = 0,
                 title: str | None = None, label_size: int | None = None, projector: bool = False) -> str:
    """The network as one HTML page that needs nothing from the network and runs no user text.

    Parameters
    ----------
    graph
        From :func:`dnh_graph.network.build_graph` (possibly filtered, focused, with metrics).
    physics
        ``"auto"`` or ``False``: the page opens on the positions as given (they are a layout already,
        and a physics run would move every node from one review to the next); the Physics button
        starts the simulation. ``True``: a short physics run at load, then frozen (``freeze``).
    positions
        Node id -> (x, y), e.g. from a :class:`dnh_graph.network.cache.LayoutCache`; computed (seeded) when
        None. Nodes it lacks are placed next to their neighbours. The first view fits all of these
        positions, including nodes the graph does not have: give the layout of every review's nodes
        (the "now" graph) and the view is the same at every review.
    legend
        Show the drawing conventions (only what the graph draws) under the network.
    height
        CSS height of the drawing, e.g. ``"700px"`` or ``"80vh"``; ``"fill"``: the page fills its
        frame (the legend first, the drawing takes the rest), for a frame of fixed height.
    lang
        Language of labels, tooltips and legend.
    color_by, size_by
        Actor colour (type, stance, community) and size (influence, degree, betweenness; the last two
        and community need :func:`dnh_graph.network.metrics.add_actor_metrics`).
    freeze
        After a physics run at load, switch physics off once the layout is stable.
    seed
        Layout seed, when positions are computed here.
    title
        Page title; default the analysis name.
    label_size, projector
        Label size on screen (CSS pixels, :data:`LABEL_SIZES`) and the projector preset (larger
        labels, thicker edges, only the most important labels) the page opens with; a person changes
        both in the page's bar, and the page remembers the choice in the browser.

    The page sets ``window.__dnhReady = {ms, mode, nodes, edges}`` once the picture is stable and
    drawn (``ms`` since navigation started), and ``window.__dnhLabels`` to the labels it drew (id,
    screen box, size), for tests and benchmarks.
    """
    fill = height == "fill"
    if not fill and not _HEIGHT.match(height):
        raise ValueError(f"height must be a CSS length such as '700px' or '80vh', or 'fill' (got {height!r}).")
    n = graph.number_of_nodes()
    if positions is None:
        positions = compute_layout(graph, seed)
    elif any(node not in positions for node in graph.nodes):
        positions = {**positions, **compute_layout(graph, seed, base=positions)}
    use_physics = physics is True and n > 0
    data = vis_data(graph, positions, lang=lang, color_by=color_by, size_by=size_by, all_arrows=n <= LARGE)
    # above LARGE the page strokes the edges itself, a style at a time, and shows their tooltips (network.js)
    size = int(label_size or LABEL_SIZES["projector" if projector else "normal"])
    data.update(options=_options(n, use_physics, seed), physics=use_physics, freeze=bool(freeze),
                ownEdges=n > LARGE, ownNodes=n > LARGE,
                fit={"box": list(fit_box(positions)), "margin": FIT_MARGIN, "maxScale": FIT_MAX_SCALE,
                     "layout": _layout_key(positions)},
                view={"font": styles.FONT_STACK, "lineHeight": LABEL_LINE,
                      "khmer": any(styles.needs_khmer_font(item["label"]) for item in data["nodes"]),
                      "labelSize": max(LABEL_SIZES["min"], min(LABEL_SIZES["max"], size)),
                      "projector": bool(projector), "sizes": LABEL_SIZES, "gap": LABEL_GAP, **PROJECTOR})

    m = _messages(lang)
    vis_js, vis_css = _vis_assets()
    page_js = _page_script()
    env = _environment()
    page_css = env.get_template("network.css.j2").render(height="100%" if fill else height, fill=fill,
                                                         fonts=styles.font_faces_css(), font=styles.FONT_STACK,
                                                         line_height=styles.LINE_HEIGHT)
    review = graph.graph.get("review", "")
    caption = m("as_of", review=review, date=graph.graph.get("review_date", "")) if review else m("as_of_now")
    if graph.graph.get("pseudonymised"):
        caption += " · " + m("pseudonymised")
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {_sha256(vis_js)} {_sha256(page_js)}",
        f"style-src {_sha256(vis_css)} {_sha256(page_css)}",
        "img-src data:",
        "connect-src 'none'", "font-src data:", "object-src 'none'", "media-src 'none'", "frame-src 'none'",
        "worker-src 'none'", "manifest-src 'none'", "base-uri 'none'", "form-action 'none'",
    ])
    drawn_legend = _legend(lang, color_by, size_by, all_arrows=n <= LARGE, used=used_styles(graph)) \
        if legend else []
    return env.get_template("network.html.j2").render(
        lang=lang, csp=csp, title=title or graph.graph.get("analysis_name") or m("title"),
        caption=caption, counts=m("counts", n=n, m=graph.number_of_edges()),
        vis_css=vis_css, page_css=page_css, preload=styles.font_preload_html(), vis_js=vis_js, page_js=page_js,
        data=data,
        legend=drawn_legend, symbols=_symbols(drawn_legend),
        labels={"physics": m("physics"), "fit": m("fit"), "legend": m("legend"), "noscript": m("noscript"),
                "smaller": m("labels_smaller"), "larger": m("labels_larger"), "label_size": m("label_size"),
                "projector": m("projector"), "projector_help": m("projector_help")},
        physics_on=use_physics and not freeze, projector=bool(projector))


def _layout_key(positions: Mapping) -> str:
    """A name for a layout: the page keeps a person's zoom and pan per layout (every review of a view
    shares one), so moving the review slider keeps the view they chose."""
    h = hashlib.blake2b(digest_size=8)
    h.update(repr(sorted((str(k), tuple(v)) for k, v in positions.items())).encode())
    return h.hexdigest()


def _symbols(sections: list[dict]) -> list[list]:
    """For each legend item, the SVG element of its node symbol (styles.shape_svg), or None."""
    out = []
    for section in sections:
        row = []
        for item in section["items"]:
            symbol = item["symbol"]
            row.append(styles.shape_svg(symbol["shape"], 10, 10, 7.5) if symbol and "shape" in symbol else None)
        out.append(row)
    return out
