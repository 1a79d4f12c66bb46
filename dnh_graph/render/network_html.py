"""The network as one self-contained, offline, script-safe HTML page (vis-network inline).

We do not use pyvis's ``Network`` class or template (README.md#privacy: its template loads Bootstrap from a CDN,
switches tooltips to ``innerHTML`` when a title contains ``href``, inserts ``heading`` raw, and
``from_nx`` is quadratic). Instead the vis-network items are built here in bulk and passed through a
Jinja2 template with autoescape and ``|tojson`` into a ``<script type="application/json">`` block, which
our own static script (``templates/network.js``) parses. Every user string reaches the page either
escaped by Jinja or as a JSON string that the page draws on a canvas (labels) or puts, within a tooltip
it composes on hover from the item's values and the catalog words it carries once (:func:`tooltip`),
in ``textContent`` or vis-network's ``innerText`` (tooltips). The inlined Khmer font comes only with a
page that has a Khmer letter somewhere.

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
import json
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
from dnh_graph.nogc import without_gc
from dnh_graph.render import styles
from dnh_graph.render.styles import darker as _darker
from dnh_graph.render.styles import faint as _faint
from dnh_graph.text import clip

__all__ = ["PHYSICS_LIMIT", "FRAME_HEIGHT", "LABEL_SIZES", "legend", "used_styles", "vis_data", "tooltip", "tooltips",
           "network_html"]

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
# Tooltips are not sent as text: a 5,000-node page carried 2 MB of them (the names of both ends, the
# catalog words, on every edge). Each item carries its own values in ``t`` (user text and numbers), each
# style what it shares (``tips``), the page the catalog words once (``words``); network.js composes the
# text when a person hovers (vis-network's own items: before they are handed over), exactly as
# :func:`tooltip` does here (the reference the tests hold the page to).
_TIP_VOCABULARIES = ("actor_type", "stance", "factor_kind", "factor_category", "detail_question",
                     "relationship_type", "factor_actor_role", "effect", "mechanism", "pattern", "confidence")
_TIP_MESSAGES = ("influence_line", "tags_line", "metrics_line", "strength_line", "no_reading", "detail_line",
                 "rel_strength", "harmful_impact", "helpful_impact", "impact_weight", "mechanism_line",
                 "pattern_line", "confidence_line", "observed_line", "evidence_line")


@lru_cache(maxsize=4)
def _catalog_words(lang: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    return ({msgid: translate(f"network.{msgid}", lang) for msgid in _TIP_MESSAGES},
            {name: vocab.labels(name, lang) for name in _TIP_VOCABULARIES})


def _words(lang: str, used: Mapping[str, set]) -> dict[str, Any]:
    """The catalog words of tooltips in ``lang``, once a page: messages (``{name}`` fields) and the
    vocabulary words its items use (a page names what it draws)."""
    messages, vocabularies = _catalog_words(lang)
    chosen = {name: {key: table[key] for key in sorted(used.get(name, ()), key=str) if key in table}
              for name, table in vocabularies.items()}
    return {"m": messages, "v": chosen,
            "lower": {name: {k: v.lower() for k, v in chosen[name].items()} for name in ("effect", "factor_kind")}}


def _v(value: Any) -> int | str:
    """A value as the page shows it: an int as a number (the same digits in JavaScript), anything else as
    Python writes it (``2.0`` stays ``2.0``, ``None`` stays ``None``)."""
    return value if type(value) is int or type(value) is str else str(value)


def _text(value: Any) -> str:
    """Free text for a tooltip line: empty when absent, at most what a clipped tooltip can show (a
    20,000-character note need not travel; the cut text clips the same, :func:`tooltip`)."""
    if not value:
        return ""
    return str(value)[:TOOLTIP_CHARS + 1]


def _format(template: str, **params: Any) -> str:
    return template.format(**params)


def tooltip(data: Mapping[str, Any], item: Mapping[str, Any], edge: bool = False) -> str:
    """The tooltip text of a node (or an ``edge``) of :func:`vis_data`, as the page shows it on hover.

    The page (``network.js``, ``tooltip``) composes the same text from the same fields; this is the
    reference (tests compare the two) and the text for anything else that wants it.

    >>> from dnh_graph.synthetic import generate_analysis
    >>> from dnh_graph.network import build_graph
    >>> data = vis_data(build_graph(generate_analysis(actors=2, relationships=1, factors=1, details=1,
    ...                                               impacts=1, options=0, reviews=0)))
    >>> edge = data["edges"][0]
    >>> tooltip(data, edge, edge=True).split("\\n")[1] == f"Strength {edge['t'][0]}/3"
    True
    """
    words, t = data["words"], item.get("t") or []
    m, v = words["m"], words["v"]

    def lab(vocabulary: str, key: Any) -> str:
        return v[vocabulary].get(key, key)

    if edge:
        nodes = data.get("_byId")
        if nodes is None:
            nodes = {node["id"]: node for node in data["nodes"]}
        kind, tip = item["s"][0], data["tips"][item["s"]]

        def full(node_id: str) -> str:
            node = nodes.get(node_id, {})
            return node.get("n", node.get("label", ""))

        u, w = item["from"], item["to"]
        if kind == "r":
            rel, directed = tip
            lines = [f"{lab('relationship_type', rel)}: {full(u)} {'→' if directed else '–'} {full(w)}",
                     _format(m["rel_strength"], s=t[0])]
            if t[1]:
                lines.append(t[1])
        elif kind == "l":
            lines = [f"{full(w)} — {lab('factor_actor_role', tip[0])} — {full(u)}"]
        else:
            effect, magnitude, weight, mechanism, pattern, confidence, observed, evidence = t
            factor = nodes.get(w, {})
            is_factor = factor.get("s", " ")[0] == "f"
            fkind, fpriority = (factor["t"][0], factor["t"][6]) if is_factor else ("", "")
            lower = words["lower"]
            lines = [f"{m['harmful_impact'] if tip[0] else m['helpful_impact']}: {full(u)} → "
                     f"{lower['effect'].get(effect, str(effect).lower())} "
                     f"{lower['factor_kind'].get(fkind, str(fkind).lower())} {full(w)}",
                     _format(m["impact_weight"], m=magnitude, p=fpriority, w=weight),
                     _format(m["mechanism_line"], m=lab("mechanism", mechanism))]
            if pattern:
                lines.append(_format(m["pattern_line"], p=lab("pattern", pattern)))
            lines.append(_format(m["confidence_line"], c=lab("confidence", confidence)))
            if observed:
                lines.append(_format(m["observed_line"], date=observed))
            if evidence:
                lines.append(_format(m["evidence_line"], e=evidence))
        return _clip("\n".join(lines))

    kind = item["s"][0]
    as_of = words.get("asOf", "")
    if kind == "a":
        name, kind_key, stance, influence, description, tags = t[:6]
        lines = [item.get("n", item.get("label", "")) if name is None else name,
                 f"{lab('actor_type', kind_key)} · {lab('stance', stance)}",
                 _format(m["influence_line"], n=influence) + as_of]
        if description:
            lines.append(description)
        if tags:
            lines.append(_format(m["tags_line"], tags=tags))
        if len(t) > 6:
            lines.append(_format(m["metrics_line"], degree=t[6], betweenness=t[7], c=t[8]))
    elif kind == "f":
        fkind, name, key, category, has_reading, strength, priority, contribution, note, description = t
        reading = _format(m["strength_line"], s=strength, p=priority, c=contribution) if has_reading \
            else _format(m["no_reading"], p=priority)
        lines = [f"{lab('factor_kind', fkind)}: {item.get('n', item.get('label', '')) if name is None else name} "
                 f"[{key}]", lab("factor_category", category), reading + as_of]
        lines += [text for text in (note, description) if text]
    else:
        key, question, activity, description = t
        lines = [_format(m["detail_line"], key=key, question=lab("detail_question", question))]
        lines += [text for text in (activity, description) if text]
    return _clip("\n".join(lines))


def tooltips(data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Every tooltip of :func:`vis_data`'s items: ``{"nodes": {id: text}, "edges": {id: text}}``."""
    indexed = {**data, "_byId": {node["id"]: node for node in data["nodes"]}}
    return {"nodes": {node["id"]: tooltip(indexed, node) for node in data["nodes"]},
            "edges": {edge["id"]: tooltip(indexed, edge, edge=True) for edge in data["edges"]}}


class _Items:
    """Builds vis items; shared styles are kept once and referred to by name (``s``), with what their
    tooltips share (``tips``)."""

    def __init__(self, graph: nx.MultiDiGraph, lang: str, color_by: str, size_by: str, all_arrows: bool):
        self.graph, self.color_by, self.size_by, self.all_arrows = graph, color_by, size_by, all_arrows
        self.node_styles: dict[str, dict] = {}
        self.edge_styles: dict[str, dict] = {}
        self.tips: dict[str, list] = {}
        self.used: dict[str, set] = defaultdict(set)  # vocabulary keys the tooltips name
        # what the legend lists (used_styles), gathered on the way instead of in a pass of its own
        self.drawn: dict[str, set] = {k: set() for k in ("actor_type", "stance", "factor_kind", "question",
                                                          "relationship", "link", "impact", "faint")}
        actors = (d for _, d in graph.nodes(data=True) if d.get("node_type") == "actor")
        self.top = max((d.get(size_by, 0) for d in actors), default=0)

    # nodes ---------------------------------------------------------------------------------------
    def actor(self, d: Mapping) -> tuple[str, float, list]:
        shape, colour = styles.ACTOR.get(d["type"], styles.ACTOR["other"])
        if self.color_by == "stance":
            colour = styles.STANCE_COLOUR.get(d["stance"], styles.STANCE_COLOUR["unknown"])
        elif self.color_by == "community":
            c = d.get("community", 0)
            colours = styles.COMMUNITY_COLOURS
            colour = colours[(c - 1) % len(colours)] if c else styles.NO_COMMUNITY
        style = f"a:{shape}:{colour}"
        if style not in self.node_styles:
            self.node_styles[style] = {"shape": shape, "color": _node_colour(colour)}
        if self.size_by == "influence":
            size = 8 + 5 * d["influence"]
        else:
            value = d.get(self.size_by, 0)
            size = round(10 + 30 * math.sqrt(value / self.top), 1) if self.top > 0 else 10
        name, used, drawn = d["name"], self.used, self.drawn
        drawn["actor_type"].add(d.get("type"))
        drawn["stance"].add(d.get("stance"))
        used["actor_type"].add(_v(d["type"]))
        used["stance"].add(_v(d["stance"]))
        tip = [None if name == d.get("label", "") else _v(name), _v(d["type"]), _v(d["stance"]),
               _v(d["influence"]), _text(d.get("description")), _text((d.get("tags") or "").replace(";", ", "))]
        if "degree" in d:
            tip += [_v(d["degree"]), _v(d.get("betweenness", 0)), _v(d.get("community", 0))]
        return style, size, tip

    def factor(self, d: Mapping, review: str) -> tuple[str, float, list]:
        colour = styles.FACTOR_COLOUR.get(d["kind"], styles.UNKNOWN_FACTOR)
        unread_now = not review and not d["has_reading"]  # "now" with no reading at all yet
        faint = d["contribution"] == 0 and not unread_now
        style = f"f:{d['kind']}:{int(faint)}"
        if style not in self.node_styles:
            if faint:
                self.node_styles[style] = {"shape": "diamond", "font": {"color": styles.FAINT},
                                           "color": _node_colour(_faint(colour), _faint(colour, 0.5))}
            else:
                self.node_styles[style] = {"shape": "diamond", "color": _node_colour(colour)}
        size = round(10 + 1.4 * (3 * d["priority"] if unread_now else d["contribution"]), 1)
        name = d["name"]
        self.drawn["factor_kind"].add(d.get("kind"))
        if d.get("contribution") == 0:
            self.drawn["faint"].add(True)
        self.used["factor_kind"].add(_v(d["kind"]))
        self.used["factor_category"].add(_v(d["category"]))
        tip = [_v(d["kind"]), None if name == d.get("label", "") else _v(name), _v(d["key"]), _v(d["category"]),
               int(bool(d["has_reading"])), _v(d["strength"]), _v(d["priority"]), _v(d["contribution"]),
               _text(d.get("reading_note")), _text(d.get("description"))]
        return style, size, tip

    def detail(self, d: Mapping, lab: Callable[[str, str], str]) -> tuple[str, str, list]:
        question = d.get("question", "")
        style = f"d:{question}"
        if style not in self.node_styles:
            self.node_styles[style] = {
                "shape": "square", "size": DETAIL_SIZE,
                "color": _node_colour(styles.QUESTION_COLOUR.get(question, styles.UNKNOWN_QUESTION),
                                      styles.DETAIL_BORDER)}
        self.used["detail_question"].add(_v(question))
        if d.get("node_type") == "detail":
            self.drawn["question"].add(d.get("question"))
        tip = [_v(d.get("key", "")), _v(question), _text(d.get("activity")), _text(d.get("description"))]
        return style, _clip(f"{lab('detail_question', question)}: {d.get('label', '')}", LABEL_CHARS + 8), tip

    # edges ---------------------------------------------------------------------------------------
    def relationship(self, u: str, v: str, d: Mapping) -> tuple[str, float, list | None]:
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
            self.tips[style] = [_v(rel), int(directed)]
            self.drawn["relationship"].add(rel)
            self.used["relationship_type"].add(_v(rel))
        return style, styles.relationship_width(rel, d.get("strength", 2)), \
            [_v(d.get("strength", "")), _text(d.get("note"))]

    def link(self, u: str, v: str, d: Mapping) -> tuple[str, None, None]:
        factor_kind = self.graph.nodes[u].get("kind", "divider")
        role = d["role"]
        style = f"l:{factor_kind}:{role}"
        if style not in self.edge_styles:
            self.edge_styles[style] = {"color": styles.LINK_COLOUR.get(factor_kind, styles.UNKNOWN_LINK)}
            if role in styles.LINK_ARROW and self.all_arrows:
                self.edge_styles[style]["arrows"] = styles.LINK_ARROW[role]
            self.tips[style] = [_v(role)]
            self.drawn["link"].add(True)
            self.used["factor_actor_role"].add(_v(role))
        return style, None, None

    def impact(self, u: str, v: str, d: Mapping) -> tuple[str, float, list]:
        harmful = bool(d.get("harmful"))
        style = f"i:{int(harmful)}"
        if style not in self.edge_styles:
            self.edge_styles[style] = {"color": styles.HARM if harmful else styles.HELP}
            if self.all_arrows:
                self.edge_styles[style]["arrows"] = "to"
            self.tips[style] = [int(harmful)]
            self.drawn["impact"].add(harmful)
        weight = d.get("impact_weight", 1)
        tip = [_v(d["effect"]), _v(d["magnitude"]), _v(weight), _v(d["mechanism"]), _v(d.get("pattern") or ""),
               _v(d.get("confidence", "")), _text(d.get("observed_on")), _text(d.get("evidence"))]
        used = self.used
        used["effect"].add(tip[0])
        used["mechanism"].add(tip[3])
        used["pattern"].add(tip[4])
        used["confidence"].add(tip[5])
        return style, round(1 + 0.5 * weight, 2), tip


@without_gc
def vis_data(graph: nx.MultiDiGraph, positions: Mapping | None = None, *, lang: str = "en",
             color_by: str = "type", size_by: str = "influence", all_arrows: bool = True) -> dict[str, Any]:
    """vis-network items for ``graph``: ``{"nodes", "edges", "nodeStyles", "edgeStyles", "tips", "words"}``.

    Items name a shared style in ``s`` (the page merges it in), which keeps a 5,000-node page small.
    Their tooltips travel as values (``t``, ``tips``, ``words``; :func:`tooltip` composes the text); a
    node whose whole label is longer than the drawn one carries it in ``n`` (edge tooltips name both
    ends). Every text is plain: labels are drawn on a canvas and tooltips shown as text. Without
    ``all_arrows``, impacts and factor–actor links have no arrowhead (influence and funding keep
    theirs): for a large graph, placing thousands of arrowheads is a third of the drawing time, and an
    impact always runs from a detail (box) to a factor (diamond) anyway.
    """
    return _vis_data(graph, positions, lang, color_by, size_by, all_arrows)[0]


def _vis_data(graph: nx.MultiDiGraph, positions: Mapping | None, lang: str, color_by: str, size_by: str,
              all_arrows: bool) -> tuple[dict[str, Any], _Items]:
    """:func:`vis_data`, and the builder (what the legend lists: ``drawn``)."""
    if color_by not in ("type", "stance", "community"):
        raise ValueError(f"color_by must be type, stance or community (got {color_by!r}).")
    if size_by not in ("influence", "degree", "betweenness"):
        raise ValueError(f"size_by must be influence, degree or betweenness (got {size_by!r}).")
    if size_by != "influence" and not any(size_by in d for _, d in graph.nodes(data=True)):
        raise ValueError(f"The graph has no {size_by} yet: add it with network.metrics.add_actor_metrics first.")
    if color_by == "community" and not any("community" in d for _, d in graph.nodes(data=True)):
        raise ValueError("The graph has no communities yet: add them with network.metrics.add_actor_metrics first.")
    items = _Items(graph, lang, color_by, size_by, all_arrows)
    review = graph.graph.get("review", "")
    lab = _labels(lang)
    positions = positions or {}
    # edges first: counting ends on the way is the degree (networkx's degree view costs a pass of its own)
    degree: dict[str, int] = defaultdict(int)
    edges = []
    seen_pairs: dict[frozenset, int] = defaultdict(int)
    relationship, link, impact = items.relationship, items.link, items.impact
    for u, neighbours in graph.adjacency():  # the adjacency dicts themselves: no edge view per edge
        for v, keyed in neighbours.items():
            for key, d in keyed.items():
                degree[u] += 1
                degree[v] += 1
                kind = d.get("edge_type")
                build = relationship if kind == "relationship" else link if kind == "factor_actor" else impact
                style, width, tip = build(u, v, d)
                item = {"id": str(key), "from": u, "to": v, "s": style}
                if tip is not None:
                    item["t"] = tip
                if width is not None:
                    item["width"] = width
                # parallel edges between the same two nodes curve apart instead of lying on top of each other
                pair = frozenset((u, v))
                nth = seen_pairs[pair]
                seen_pairs[pair] = nth + 1
                if nth:
                    item["smooth"] = {"enabled": True, "type": "curvedCW" if nth % 2 else "curvedCCW",
                                      "roundness": round(0.2 * ((nth + 1) // 2), 2)}
                edges.append(item)

    nodes = []
    for node, d in graph.nodes(data=True):
        kind = d.get("node_type")
        full = d.get("label", "")
        item: dict[str, Any] = {"id": node, "label": _clip(full, LABEL_CHARS)}
        if kind == "actor":
            item["s"], item["size"], item["t"] = items.actor(d)
        elif kind == "factor":
            item["s"], item["size"], item["t"] = items.factor(d, review)
        else:
            item["s"], item["label"], item["t"] = items.detail(d, lab)
        if full != item["label"]:
            item["n"] = _v(full)
        # the order in which the page places labels: the biggest nodes first, then the most linked
        size = item.get("size", DETAIL_SIZE)
        item["imp"] = round(size + min(degree[node], 50) / 10, 1)
        if node in positions:
            item["x"], item["y"] = positions[node]
        nodes.append(item)
    words = {**_words(lang, items.used), "asOf": f" ({review})" if review else ""}
    # items name their style by its kind's letter and a number ("r3", not "r:cooperation:0"): 0.2 MB less
    # at 5,000 nodes; the kind's letter stays first (tooltip reads it)
    node_names = {key: f"{key[0]}{n}" for n, key in enumerate(items.node_styles)}
    edge_names = {key: f"{key[0]}{n}" for n, key in enumerate(items.edge_styles)}
    for item in nodes:
        item["s"] = node_names[item["s"]]
    for item in edges:
        item["s"] = edge_names[item["s"]]
    return {"nodes": nodes, "edges": edges,
            "nodeStyles": {node_names[key]: style for key, style in items.node_styles.items()},
            "edgeStyles": {edge_names[key]: style for key, style in items.edge_styles.items()},
            "tips": {edge_names[key]: tip for key, tip in items.tips.items()}, "words": words}, items


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


@without_gc
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
    data, items = _vis_data(graph, positions, lang, color_by, size_by, n <= LARGE)
    # above LARGE the page strokes the edges itself, a style at a time, and shows their tooltips (network.js)
    size = int(label_size or LABEL_SIZES["projector" if projector else "normal"])
    data.update(options=_options(n, use_physics, seed), physics=use_physics, freeze=bool(freeze),
                ownEdges=n > LARGE, ownNodes=n > LARGE,
                fit={"box": list(fit_box(positions)), "margin": FIT_MARGIN, "maxScale": FIT_MAX_SCALE,
                     "layout": _layout_key(positions)},
                view={"font": styles.FONT_STACK, "lineHeight": LABEL_LINE,
                      "khmer": styles.needs_khmer_font("\n".join(item["label"] for item in data["nodes"])),
                      "labelSize": max(LABEL_SIZES["min"], min(LABEL_SIZES["max"], size)),
                      "projector": bool(projector), "sizes": LABEL_SIZES, "gap": LABEL_GAP, **PROJECTOR})

    m = _messages(lang)
    vis_js, vis_css = _vis_assets()
    page_js = _page_script()
    env = _environment()
    review = graph.graph.get("review", "")
    caption = m("as_of", review=review, date=graph.graph.get("review_date", "")) if review else m("as_of_now")
    if graph.graph.get("pseudonymised"):
        caption += " · " + m("pseudonymised")
    page_title = title or graph.graph.get("analysis_name") or m("title")
    counts = m("counts", n=n, m=len(data["edges"]))
    labels = {"physics": m("physics"), "fit": m("fit"), "legend": m("legend"), "noscript": m("noscript"),
              "smaller": m("labels_smaller"), "larger": m("labels_larger"), "label_size": m("label_size"),
              "projector": m("projector"), "projector_help": m("projector_help")}
    drawn_legend = _legend(lang, color_by, size_by, all_arrows=n <= LARGE, used=items.drawn) \
        if legend else []
    # serialised here (as Jinja's tojson does) to see whether any text of the page has a Khmer letter
    data_json = jinja2.utils.htmlsafe_json_dumps(data, dumps=json.dumps, **env.policies["json.dumps_kwargs"])
    texts = [data_json, page_title, caption, counts, *labels.values()]
    texts += [text for section in drawn_legend for text in (section["title"], *(i["label"] for i in section["items"]))]
    # the inlined Khmer font (0.2 MB with its preload) only where a letter needs it: labels, tooltips
    # (their catalog words too: a Khmer page always), legend, bar
    khmer = any(styles.needs_khmer_font(text) for text in texts)
    page_css = env.get_template("network.css.j2").render(height="100%" if fill else height, fill=fill,
                                                         fonts=styles.font_faces_css() if khmer else "",
                                                         font=styles.FONT_STACK, line_height=styles.LINE_HEIGHT)
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {_sha256(vis_js)} {_sha256(page_js)}",
        f"style-src {_sha256(vis_css)} {_sha256(page_css)}",
        "img-src data:",
        "connect-src 'none'", "font-src data:", "object-src 'none'", "media-src 'none'", "frame-src 'none'",
        "worker-src 'none'", "manifest-src 'none'", "base-uri 'none'", "form-action 'none'",
    ])
    return env.get_template("network.html.j2").render(
        lang=lang, csp=csp, title=page_title, caption=caption, counts=counts,
        vis_css=vis_css, page_css=page_css, preload=styles.font_preload_html() if khmer else "", vis_js=vis_js,
        page_js=page_js, data=data_json, legend=drawn_legend, symbols=_symbols(drawn_legend), labels=labels,
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
