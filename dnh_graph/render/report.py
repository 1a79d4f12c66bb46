"""The HTML report of an analysis (docs/file-formats.md ``--format html``): one self-contained, printable file.

What a team takes home after a workshop, and the one or two pages a manager reads: the DNH worksheet
tables, the scores, the options and the trends, with charts drawn here as inline SVG from the numbers
of :mod:`dnh_graph.scoring` and :mod:`dnh_graph.timeline` (no figure is computed twice).

Decisions:

- **Self-contained and inert.** The file references nothing outside itself (no font, script, style or
  image; the SVG has no ``xmlns`` URL), carries no script at all, and declares a Content-Security-Policy
  (``default-src 'none'; style-src 'unsafe-inline'; img-src data:``), so it is safe to preview inside
  the app and to open offline. A web address that a person typed in a note stays readable text but is
  written with its colon as an entity (``http&#58;//``), so the file never contains the byte string of
  an ``http://`` reference.
- **Escaped everywhere.** Templates are Jinja2 with autoescape on; every value goes through one
  ``finalize`` hook that escapes it unless it is already markup produced here.
- **"As of a review".** ``review`` (a review key, default the latest) is the moment the report speaks
  for: trends and monitoring run up to it, "what changed" compares it with the review before it, and
  the relationship map sizes actors by their influence as of it. Scores, impacts and options are those
  of the analysis as entered (docs/method.md#over-time: no date for them).
- **Version.** The header shows the analysis name, its key, the date of the report and the version of
  the data: ``revision``/``updated_at`` when the caller knows them (the store's revision counter), else
  the analysis row's version.
- **Print.** A4, each section of the full report on a new page, table rows never split, table headers
  repeated on every page, long words wrapped, colours kept (``print-color-adjust: exact``) and every
  colour also said in words (``harm``/``help``, ratings as text) for black-and-white printers.

Examples
--------
>>> from dnh_graph.timeline import _example_analysis
>>> html = report_html(_example_analysis())
>>> html.startswith("<!DOCTYPE html>"), "http://" in html, "<script" in html
(True, False, False)
>>> len(report_html(_example_analysis(), summary=True)) < len(html)
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from dnh_graph import asof, scoring, timeline, vocab
from dnh_graph.i18n import translate
from dnh_graph.model import Analysis, Review
from dnh_graph.render import styles
from dnh_graph.text import clip

__all__ = [
    "SECTIONS",
    "SUMMARY_SECTIONS",
    "CSP",
    "section_title",
    "report_html",
    "relationship_map",
    "detail_chart",
    "trend_chart",
]

# Section ids in the order they appear; a caller picks a subset, the order stays.
SECTIONS = ("context", "actors", "factors", "details", "impacts", "pathways", "scores", "options", "trends",
            "changes", "monitoring")
# Sections that start a new printed page in the full report (the short ones follow on).
NEW_PAGE = frozenset({"actors", "factors", "details", "impacts", "pathways", "options", "trends"})
SUMMARY_SECTIONS = ("scores", "pathways", "options", "trends", "changes", "monitoring")
SUMMARY_PATHWAYS = 5  # heaviest harm pathways in the summary
SUMMARY_OPTIONS = 3  # best options in the summary
SUMMARY_CHANGES = 3  # factors per "worse" / "appeared" / "better" / "disappeared" list, and actors, in the summary
SUMMARY_ACTORS = 2  # actors named per harm pathway in the summary
MONITORING_REVIEWS = 5  # latest reviews shown as columns of the monitoring matrix
MAP_ACTORS = 80  # actors drawn on the relationship map; the table lists every one
MATRIX_COLUMNS = 14  # factor columns per impact-matrix table: wider tables are split, not squeezed
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"  # the Khmer font, inlined

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Colours, shapes and line styles are those of the Network screen (dnh_graph.render.styles).
HARM_COLOUR, HELP_COLOUR, NET_COLOUR = styles.HARM, styles.HELP, styles.NET
PRESSURE_COLOUR, CAPACITY_COLOUR = HARM_COLOUR, HELP_COLOUR
MAP_LINE_SCALE = 0.55  # the map is a page wide: its lines are the screen's, thinner, dashes shorter
RATING_COLOURS = styles.RATING_BACKGROUND


# ------------------------------------------------------------------------------------ helpers
def _template_words(lang: str):
    """The ``t`` of the report templates, whose ids leave out the ``report.`` prefix."""
    def t(msgid: str, **params) -> str:
        return translate(f"report.{msgid}", lang, **params)
    return t


def section_title(section: str, lang: str = "en") -> str:
    """The heading of a section, as shown in the report and on the Report page.

    >>> section_title("pathways")
    'Harm pathways'
    """
    return translate(f"report.section.{section}", lang)


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text or "").split())
    return clip(text, limit)


def _signed(value: int | float) -> str:
    """``+3``, ``−2`` (a real minus sign), ``0``."""
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"−{-value}"
    return "0"


_COLON_SLASHES = Markup("&#58;//")


def _finalize(value: Any) -> Any:
    """Escape every printed value once; write ``://`` as ``&#58;//`` so no text reads as a reference."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return escape(value).replace("://", _COLON_SLASHES)


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["signed"] = _signed
    env.filters["short"] = _short
    return env


def _nice_step(top: float, ticks: int = 4) -> int:
    """A round step (1, 2, 5 × 10^n) giving about ``ticks`` gridlines up to ``top``."""
    raw = max(top, 1) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * magnitude:
            return max(1, int(m * magnitude))
    return max(1, int(10 * magnitude))  # pragma: no cover - the loop always returns


# ---------------------------------------------------------------------------------- the charts
@dataclass
class Chart:
    """Geometry of one inline SVG chart: numbers and short texts only, drawn by the templates."""

    width: int
    height: int
    items: dict[str, Any] = field(default_factory=dict)


def detail_chart(analysis: Analysis, lang: str = "en") -> Chart | None:
    """Harm (left, red), help (right, green) and net (black mark) of every detail, in key order."""
    scores = scoring.detail_scores(analysis)
    if not scores:
        return None
    details = analysis.by_key("details")
    width, label_w, right_w, row_h, top = 720, 230, 70, 24, 34
    x0, x1 = label_w, width - right_w
    zero = (x0 + x1) / 2
    top_value = max(max(s.harm for s in scores), max(s.help for s in scores), 1)
    scale = (x1 - zero) / top_value
    step = _nice_step(top_value, 3)
    rows = []
    for n, s in enumerate(scores):
        d = details[s.key]
        y = top + n * row_h
        rows.append({
            "y": y, "mid": y + row_h / 2, "label": _short(f"{s.key} · {d.activity or d.description}", 34),
            "inactive": not s.active,
            "harm_x": round(zero - s.harm * scale, 1), "harm_w": round(s.harm * scale, 1),
            "help_w": round(s.help * scale, 1), "net_x": round(zero + s.net * scale, 1),
            "harm": s.harm, "help": s.help, "net": _signed(s.net),
        })
    height = top + len(scores) * row_h + 34
    ticks = [{"x": round(zero + sign * v * scale, 1), "value": v}
             for v in range(step, top_value + 1, step) for sign in (-1, 1)]
    return Chart(width, height, {
        "rows": rows, "zero": zero, "x0": x0, "x1": x1, "top": top, "bottom": top + len(scores) * row_h,
        "ticks": ticks, "row_h": row_h, "right": width - right_w + 8,
        "harm_label": translate("report.harm", lang), "help_label": translate("report.help", lang),
        "net_label": translate("report.net", lang),
        "harm_colour": HARM_COLOUR, "help_colour": HELP_COLOUR,
    })


def trend_chart(analysis: Analysis, review: str | None = None, lang: str = "en",
                width: int = 720, height: int = 250) -> Chart | None:
    """Context pressure (dividers) and capacity for peace (connectors) at each review up to ``review``."""
    rows = _trends_until(analysis, review)
    if not rows:
        return None
    left, right, top, bottom = 52, 24, 30, 58
    x0, x1, y0, y1 = left, width - right, height - bottom, top
    top_value = max(max(r["pressure"] for r in rows), max(r["capacity"] for r in rows), 1)
    step = _nice_step(top_value)
    y_max = step * math.ceil(top_value / step)
    days = [(r["date"] - rows[0]["date"]).days for r in rows]
    span = days[-1] or 0

    def x_of(n: int) -> float:
        if len(rows) == 1:
            return (x0 + x1) / 2
        if span == 0:  # every review on one date: spread them evenly
            return x0 + 30 + n * (x1 - x0 - 60) / (len(rows) - 1)
        return x0 + 30 + days[n] * (x1 - x0 - 60) / span

    def y_of(v: float) -> float:
        return round(y0 - v * (y0 - y1) / y_max, 1)

    points = [{"x": round(x_of(n), 1), "p": y_of(r["pressure"]), "c": y_of(r["capacity"]),
               "pressure": r["pressure"], "capacity": r["capacity"], "review": _short(r["review"], 12),
               "date": r["date"].isoformat()} for n, r in enumerate(rows)]
    # a value label goes above its point, or below when the other line's point is just above it
    for p in points:
        p["p_label"] = p["p"] - 7 if p["p"] <= p["c"] else p["p"] + 15
        p["c_label"] = p["c"] - 7 if p["c"] < p["p"] else p["c"] + 15
    grid = [{"y": y_of(v), "value": v} for v in range(0, y_max + 1, step)]
    return Chart(width, height, {
        "points": points, "grid": grid, "x0": x0, "x1": x1, "y0": y0, "y1": y1,
        "pressure_line": " ".join(f"{p['x']},{p['p']}" for p in points),
        "capacity_line": " ".join(f"{p['x']},{p['c']}" for p in points),
        "pressure_label": translate("report.pressure", lang), "capacity_label": translate("report.capacity", lang),
        "pressure_colour": PRESSURE_COLOUR, "capacity_colour": CAPACITY_COLOUR,
    })


def _option_chart(ranked: list[scoring.OptionScore]) -> Chart | None:
    if not ranked:
        return None
    width, label_w, row_h, top = 720, 110, 22, 8
    x0, x1 = label_w, width - 60
    spread = max(max(abs(o.delta) for o in ranked), 1)
    has_negative = any(o.delta < 0 for o in ranked)
    zero = (x0 + x1) / 2 if has_negative else x0
    scale = (x1 - zero) / spread
    rows = []
    for n, o in enumerate(ranked):
        y = top + n * row_h
        w = round(abs(o.delta) * scale, 1)
        rows.append({"y": y, "mid": y + row_h / 2, "label": _short(f"{o.rank}. {o.key}", 16),
                     "x": round(zero - w, 1) if o.delta < 0 else zero, "w": w,
                     "colour": HARM_COLOUR if o.delta < 0 else HELP_COLOUR, "delta": _signed(o.delta),
                     "text_x": round(zero + w + 6, 1) if o.delta >= 0 else round(zero - w - 6, 1),
                     "anchor": "start" if o.delta >= 0 else "end"})
    return Chart(width, top + len(ranked) * row_h + 10, {"rows": rows, "zero": zero, "top": top,
                                                           "bottom": top + len(ranked) * row_h})


def _actor_influence(analysis: Analysis, review: str | None) -> dict[str, int]:
    """Each actor's influence as of ``review`` (:mod:`dnh_graph.asof`; None: its own value)."""
    readings = asof.actor_readings(analysis, review) if review is not None else {}
    return {a.key: readings[a.key].influence if a.key in readings else a.influence for a in analysis.actors}


def _positions(analysis: Analysis) -> dict[str, tuple[float, float]]:
    """Actor key -> (x, y): the network view's layout of the actors with relationships (separate groups
    packed side by side), actors without one in a row underneath; a circle by type when no layout is
    available."""
    try:
        from dnh_graph import network
        from dnh_graph.network.metrics import actor_network

        graph = actor_network(analysis)
        linked = [k for k in graph.nodes if graph.degree(k) > 0]
        if len(linked) < 2:
            return _circle(analysis)
        found = network.compute_layout(graph.subgraph(linked), seed=0)
        placed = {k: (float(found[k][0]), float(found[k][1])) for k in linked}
        if len(set(placed.values())) < len(placed) / 2:
            return _circle(analysis)  # a degenerate layout: the circle is readable
    except Exception:  # noqa: BLE001 - the map is a picture: a circle is a fine fallback
        return _circle(analysis)
    alone = [a.key for a in analysis.actors if a.key not in placed]
    if alone:
        xs = [p[0] for p in placed.values()]
        ys = [p[1] for p in placed.values()]
        per_row = max(4, min(len(alone), 10))
        step = (max(xs) - min(xs)) / max(per_row - 1, 1) or 1.0
        for n, key in enumerate(alone):
            placed[key] = (min(xs) + (n % per_row) * step, max(ys) + step * (1 + n // per_row))
    return placed


def _circle(analysis: Analysis) -> dict[str, tuple[float, float]]:
    type_order = {k: n for n, k in enumerate(vocab.keys("actor_type"))}
    ordered = sorted(analysis.actors, key=lambda a: (type_order.get(a.type, 99), analysis.actors.index(a)))
    n = len(ordered)
    return {a.key: (math.cos(2 * math.pi * i / n - math.pi / 2), math.sin(2 * math.pi * i / n - math.pi / 2))
            for i, a in enumerate(ordered)}


LABEL_CHAR = 5.9  # average width of a character of the 10 px map labels, in SVG units


def _place_labels(nodes: list[dict], width: float, height: float) -> None:
    """Put each name around its symbol (below, above, right, left, then the four corners), where it
    overlaps no label placed before and no symbol (greedy, biggest actors first); when every place is
    taken, where it overlaps other labels least (then symbols)."""
    circles = [(n["x"] - n["r"], n["y"] - n["r"], n["x"] + n["r"], n["y"] + n["r"]) for n in nodes]
    placed: list[tuple[float, float, float, float]] = []

    def overlap(a, b) -> float:
        return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))

    def cost(box, own) -> tuple[float, float]:
        x0, y0, x1, y1 = box
        outside = 1e9 if x0 < 0 or x1 > width or y0 < 0 or y1 > height else 0.0
        return (outside + sum(overlap(box, b) for b in placed),
                sum(overlap(box, c) for i, c in enumerate(circles) if i != own))

    for i in sorted(range(len(nodes)), key=lambda i: -nodes[i]["r"]):
        n = nodes[i]
        w = len(n["name"]) * LABEL_CHAR
        x, y, r = n["x"], n["y"], n["r"]
        mx = min(max(x, w / 2 + 1), width - w / 2 - 1)  # a centred label slides to stay inside the picture
        d = 0.7 * r + 2  # a corner label starts at the symbol's corner
        options = [  # (text x, baseline y, anchor, box)
            (mx, y + r + 11, "middle", (mx - w / 2, y + r + 2, mx + w / 2, y + r + 13)),
            (mx, y - r - 4, "middle", (mx - w / 2, y - r - 13, mx + w / 2, y - r - 2)),
            (x + r + 4, y + 4, "start", (x + r + 3, y - 6, x + r + 4 + w, y + 5)),
            (x - r - 4, y + 4, "end", (x - r - 4 - w, y - 6, x - r - 3, y + 5)),
            (x + d, y + d + 9, "start", (x + d, y + d, x + d + w, y + d + 11)),
            (x - d, y + d + 9, "end", (x - d - w, y + d, x - d, y + d + 11)),
            (x + d, y - d - 2, "start", (x + d, y - d - 11, x + d + w, y - d)),
            (x - d, y - d - 2, "end", (x - d - w, y - d - 11, x - d, y - d)),
        ]
        chosen = min(options, key=lambda o: cost(o[3], i))  # the first of the best: below when free
        n["label_x"], n["label_y"], n["anchor"] = round(chosen[0], 1), round(chosen[1], 1), chosen[2]
        placed.append(chosen[3])


def relationship_map(analysis: Analysis, review: str | None = None, lang: str = "en",
                     positions: dict[str, tuple[float, float]] | None = None) -> Chart | None:
    """The actors and their relationships as an SVG picture (positions scaled to fit a page).

    Above :data:`MAP_ACTORS` actors only those with the most relationships are drawn (a page cannot
    show more legibly); the caption says so and the actor table lists everyone.
    """
    if not analysis.actors:
        return None
    total = len(analysis.actors)
    if total > MAP_ACTORS:
        degree: dict[str, int] = defaultdict(int)
        for rel in analysis.relationships:
            degree[rel.source] += 1
            degree[rel.target] += 1
        order = {a.key: n for n, a in enumerate(analysis.actors)}
        keep = {a.key for a in sorted(analysis.actors, key=lambda a: (-degree[a.key], -a.influence,
                                                                       order[a.key]))[:MAP_ACTORS]}
        analysis = dataclasses.replace(
            analysis, actors=[a for a in analysis.actors if a.key in keep],
            relationships=[r for r in analysis.relationships if r.source in keep and r.target in keep])
        positions = None
    positions = positions or _positions(analysis)
    influence = _actor_influence(analysis, review)
    width, pad_x, pad_top, pad_bottom = 720, 70, 24, 34
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    inner_w = width - 2 * pad_x
    inner_h = min(max(inner_w * span_y / span_x, 200), 560)
    height = round(inner_h + pad_top + pad_bottom)
    scale = min(inner_w / span_x, inner_h / span_y)
    off_x = pad_x + (inner_w - span_x * scale) / 2
    off_y = pad_top + (inner_h - span_y * scale) / 2

    nodes, where = [], {}
    for a in analysis.actors:
        px, py = positions[a.key]
        x = round(off_x + (px - min(xs)) * scale, 1)
        y = round(off_y + (py - min(ys)) * scale, 1)
        r = 5 + 1.6 * influence.get(a.key, 3)
        where[a.key] = (x, y, r)
        style = styles.ACTOR.get(a.type, styles.ACTOR["other"])
        nodes.append({"x": x, "y": y, "r": r, "fill": style.colour, "shape": styles.shape_svg(style.shape, x, y, r),
                      "key": _short(a.key, 8), "name": _short(a.name, 24), "title": f"{a.key} · {a.name}"})
    _place_labels(nodes, width, height)

    pair_count: dict[frozenset, int] = defaultdict(int)
    pair_seen: dict[frozenset, int] = defaultdict(int)
    for rel in analysis.relationships:
        pair_count[frozenset((rel.source, rel.target))] += 1
    edges = []
    for rel in analysis.relationships:
        if rel.source not in where or rel.target not in where or rel.source == rel.target:
            continue
        (x1, y1, _), (x2, y2, r2) = where[rel.source], where[rel.target]
        pair = frozenset((rel.source, rel.target))
        k, m = pair_seen[pair], pair_count[pair]
        pair_seen[pair] += 1
        # parallel relationships bow apart; the sign follows a fixed direction so A→B and B→A don't cross
        flip = 1 if rel.source < rel.target else -1
        bow = (k - (m - 1) / 2) * 18 * flip
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        nx_, ny_ = -(y2 - y1) / length, (x2 - x1) / length
        cx, cy = (x1 + x2) / 2 + nx_ * bow, (y1 + y2) / 2 + ny_ * bow
        style = styles.RELATIONSHIP.get(rel.type, styles.RELATIONSHIP["weak"])
        directed = rel.directed or style.arrow  # influence and funding always point, as on the screen
        if directed:  # stop the arrow at the target's edge
            dx, dy = x2 - cx, y2 - cy
            d = math.hypot(dx, dy) or 1.0
            x2, y2 = x2 - dx / d * (r2 + 2), y2 - dy / d * (r2 + 2)
        line_width = round(styles.relationship_width(rel.type, rel.strength) * MAP_LINE_SCALE, 2)
        edge = {"d": f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}", "colour": style.colour,
                "dash": styles.dasharray(style.dashes, MAP_LINE_SCALE), "width": line_width,
                "arrow": rel.type if directed else "", "marker": None}
        if style.marker:  # conflict: a dot mid-line; broken: a bar across it (the curve's middle, t = 0.5)
            mx, my = 0.25 * x1 + 0.5 * cx + 0.25 * x2, 0.25 * y1 + 0.5 * cy + 0.25 * y2
            tx, ty = x2 - x1, y2 - y1
            tl = math.hypot(tx, ty) or 1.0
            size = 2.2 + line_width
            edge["marker"] = {"type": style.marker, "x": round(mx, 1), "y": round(my, 1), "r": round(size, 1),
                              "x1": round(mx - ty / tl * size * 1.4, 1), "y1": round(my + tx / tl * size * 1.4, 1),
                              "x2": round(mx + ty / tl * size * 1.4, 1), "y2": round(my - tx / tl * size * 1.4, 1)}
        edges.append(edge)
    used_types = [k for k in vocab.keys("relationship_type") if any(r.type == k for r in analysis.relationships)]
    used_actor_types = [k for k in vocab.keys("actor_type") if any(a.type == k for a in analysis.actors)]
    line = {k: styles.RELATIONSHIP[k] for k in used_types}
    return Chart(width, height, {
        "nodes": nodes, "edges": edges, "shown": len(nodes), "total": total,
        "markers": [{"type": k, "colour": styles.RELATIONSHIP[k].colour} for k in vocab.keys("relationship_type")
                    if any(e["arrow"] == k for e in edges)],
        # the legend symbols of the Network screen (symbols.html.j2), so paper and screen read alike
        "relationship_legend": [{"label": vocab.label("relationship_type", k, lang), "symbol": {
            "line": True, "color": st.colour, "width": st.width, "dashes": list(st.dashes) if st.dashes else None,
            "arrow": st.arrow, "marker": st.marker}} for k, st in line.items()],
        "actor_legend": [{"label": vocab.label("actor_type", k, lang), "colour": styles.ACTOR[k].colour,
                          "shape": styles.shape_svg(styles.ACTOR[k].shape, 6, 6, 5)} for k in used_actor_types],
    })


# ------------------------------------------------------------------------------ the sections
def _focus_review(analysis: Analysis, review: str | None) -> Review | None:
    ordered = timeline.reviews_in_order(analysis)
    if review is None:
        return ordered[-1] if ordered else None
    for r in ordered:
        if r.key == review:
            return r
    raise ValueError(f"Review '{review}' is not in analysis '{analysis.key}'. Pick one of its reviews.")


def _reviews_until(analysis: Analysis, focus: Review | None) -> list[Review]:
    ordered = timeline.reviews_in_order(analysis)
    if focus is None:
        return ordered
    return ordered[: ordered.index(focus) + 1]


def _trends_until(analysis: Analysis, review: str | None) -> list[dict]:
    keys = {r.key for r in _reviews_until(analysis, _focus_review(analysis, review))}
    return [row for row in timeline.trends(analysis) if row["review"] in keys]


def _actor_names(analysis: Analysis) -> dict[str, str]:
    return {a.key: a.name for a in analysis.actors}


def _actors(analysis: Analysis, lang: str) -> list[dict]:
    return [{"key": a.key, "name": a.name, "type": vocab.label("actor_type", a.type, lang),
             "stance": vocab.label("stance", a.stance, lang), "influence": a.influence,
             "description": a.description, "tags": "; ".join(a.tags), "sensitive": a.sensitive}
            for a in analysis.actors]


def _relationships(analysis: Analysis, lang: str) -> list[dict]:
    names = _actor_names(analysis)
    return [{"source": names.get(r.source, r.source), "target": names.get(r.target, r.target),
             "type": vocab.label("relationship_type", r.type, lang), "strength": r.strength,
             "directed": r.directed, "note": r.note} for r in analysis.relationships]


def _factors_by_category(analysis: Analysis, lang: str) -> list[dict]:
    names = _actor_names(analysis)
    linked = defaultdict(list)
    for fa in analysis.factor_actors:
        linked[fa.factor].append(f"{names.get(fa.actor, fa.actor)} ({vocab.label('factor_actor_role', fa.role, lang)})")
    out = []
    for category in vocab.keys("factor_category"):
        group = {"label": vocab.label("factor_category", category, lang), "divider": [], "connector": []}
        for f in analysis.factors:
            if f.category == category and f.kind in group:
                group[f.kind].append({"key": f.key, "name": f.name, "priority": f.priority,
                                      "description": f.description, "actors": linked[f.key],
                                      "tags": "; ".join(f.tags)})
        if group["divider"] or group["connector"]:
            out.append(group)
    return out


def _details_by_question(analysis: Analysis, lang: str) -> list[dict]:
    figures = {s.key: s for s in scoring.detail_scores(analysis)}
    out = []
    for question in vocab.keys("detail_question"):
        rows = [{"key": d.key, "activity": d.activity, "description": d.description, "active": d.active,
                 "harm": figures[d.key].harm, "help": figures[d.key].help, "net": figures[d.key].net}
                for d in analysis.details if d.question == question]
        if rows:
            out.append({"label": vocab.label("detail_question", question, lang), "rows": rows})
    return out


def _impact_tables(analysis: Analysis) -> list[dict]:
    from dnh_graph.render.impacts import impact_matrix

    if not analysis.impacts:
        return []
    matrix = impact_matrix(analysis, max_rows=len(analysis.details), max_columns=len(analysis.factors))
    cells = {(c.detail, c.factor): c for c in matrix.cells}
    figures = {s.key: s for s in scoring.detail_scores(analysis)}
    factors = [f for f in matrix.factors]
    tables = []
    for start in range(0, len(factors), MATRIX_COLUMNS):
        chunk = factors[start: start + MATRIX_COLUMNS]
        kinds = []
        for kind in ("divider", "connector"):
            n = sum(1 for f in chunk if f.kind == kind)
            if n:
                kinds.append({"kind": kind, "span": n})
        rows = []
        for d in matrix.details:
            row_cells = []
            for f in chunk:
                c = cells.get((d.key, f.key))
                if c is None:
                    row_cells.append({"text": "", "class": ""})
                else:
                    row_cells.append({"text": c.text, "class": "harm" if c.harm > c.help else "help"})
            s = figures[d.key]
            rows.append({"key": d.key, "label": _short(d.activity or d.description, 28), "active": d.active,
                         "cells": row_cells, "harm": s.harm, "help": s.help, "net": s.net})
        tables.append({"factors": chunk, "kinds": kinds, "rows": rows, "last": start + MATRIX_COLUMNS >= len(factors)})
    return tables


def _pathways(analysis: Analysis, lang: str, limit: int | None = None, actor_limit: int | None = None) -> list[dict]:
    names = _actor_names(analysis)
    details = analysis.by_key("details")
    factors = analysis.by_key("factors")
    rows = []
    for p in scoring.harm_pathways(analysis)[:limit]:
        d, f = details[p.detail], factors[p.factor]
        how = vocab.label("mechanism", p.mechanism, lang)
        if p.pattern:
            how += " · " + vocab.label("pattern", p.pattern, lang)
        rows.append({"weight": p.weight, "detail": p.detail, "activity": d.activity or d.description,
                     "factor": p.factor, "factor_name": f.name, "kind": vocab.label("factor_kind", p.factor_kind, lang),
                     "effect": vocab.label("effect", p.effect, lang), "magnitude": p.magnitude,
                     "priority": p.priority, "how": how,
                     "actors": _names_list([names.get(a, a) if actor_limit is None else _short(names.get(a, a), 32)
                                          for a in p.actors], actor_limit, lang),
                     "evidence": p.evidence})
    return rows


def _names_list(names: list[str], limit: int | None, lang: str) -> str:
    if limit is None or len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + " " + translate("report.and_more", lang, n=len(names) - limit)


def _options(analysis: Analysis, lang: str, limit: int | None = None) -> dict:
    ranked = scoring.option_scores(analysis)
    options = analysis.by_key("options")
    details = analysis.by_key("details")
    factors = analysis.by_key("factors")
    by_option = defaultdict(list)
    for oi in analysis.option_impacts:
        f = factors[oi.factor]
        by_option[oi.option].append({
            "factor": oi.factor, "factor_name": f.name,
            "text": ("+" if oi.effect == "strengthens" else "−") + str(oi.magnitude),
            "harmful": vocab.is_harmful(f.kind, oi.effect), "effect": vocab.label("effect", oi.effect, lang),
        })
    rows = []
    for o in ranked[:limit]:
        rec = options[o.key]
        d = details.get(o.detail)
        rows.append({"rank": o.rank, "key": o.key, "title": rec.title, "description": rec.description,
                     "detail": o.detail, "detail_label": (d.activity or d.description) if d else "",
                     "status": vocab.label("option_status", rec.status, lang), "feasibility": o.feasibility,
                     "cost": o.cost, "harm": o.harm, "help": o.help, "net": o.net, "delta": o.delta,
                     "side_effects": rec.side_effects, "impacts": by_option[o.key]})
    robust = scoring.robustness(analysis) if len(ranked) >= 2 else None
    return {"rows": rows, "total": len(ranked), "top": ranked[0].key if ranked else "",
            "robustness": None if robust is None else round(100 * robust), "chart": _option_chart(ranked[:limit])}


def _tone(group: str, kind: str) -> str:
    """Whether a change is bad (``harm``) or good (``help``) news: a divider appearing is bad news."""
    if group in ("worse", "better"):
        return "harm" if group == "worse" else "help"
    bad = (group == "appeared") == (kind == "divider")
    return "harm" if bad else "help"


def _changes(analysis: Analysis, focus: Review | None, lang: str, limit: int | None = None) -> dict | None:
    reviews = _reviews_until(analysis, focus)
    if len(reviews) < 2:
        return None
    before, after = reviews[-2], reviews[-1]
    changed = timeline.what_changed(analysis, before.key, after.key)
    groups = []
    for group in ("worse", "appeared", "better", "disappeared"):
        rows = changed[group][:limit]
        if rows:
            groups.append({"id": group, "more": len(changed[group]) - len(rows), "rows": [
                {**r, "kind_label": vocab.label("factor_kind", r["kind"], lang), "tone": _tone(group, r["kind"])}
                for r in rows]})
    actors = [{**a, "stance_before": vocab.label("stance", a["stance_before"], lang),
               "stance_after": vocab.label("stance", a["stance_after"], lang)} for a in changed["actors"][:limit]]
    return {"before": before, "after": after, "groups": groups, "actors": actors,
            "more_actors": len(changed["actors"]) - len(actors),
            "unchanged": len(changed["unchanged"]), "unread": len(changed["unread"])}


def _monitoring(analysis: Analysis, focus: Review | None, lang: str) -> dict | None:
    reviews = _reviews_until(analysis, focus)
    if not analysis.monitoring or not reviews:
        return None
    shown = reviews[-MONITORING_REVIEWS:]
    keys = [r.key for r in shown]
    matrix = timeline.monitoring_matrix(analysis)
    rows = []
    for criterion in matrix.index:
        ratings = [matrix.at[criterion, k] for k in keys]
        rows.append({"label": vocab.label("criterion", criterion, lang),
                     "cells": [{"rating": r or "", "label": vocab.label("rating", r, lang) if r else "—"}
                               for r in ratings]})
    last = reviews[-1]
    notes = [{"criterion": vocab.label("criterion", m.criterion, lang), "rating": m.rating,
              "rating_label": vocab.label("rating", m.rating, lang), "evidence": m.evidence,
              "recommendation": m.recommendation}
             for m in analysis.monitoring if m.review == last.key]
    order = {c: n for n, c in enumerate(matrix.index)}
    notes.sort(key=lambda n: order.get(n["criterion"], 99))
    return {"reviews": shown, "hidden": len(reviews) - len(shown), "rows": rows, "last": last, "notes": notes}


def _trends(analysis: Analysis, focus: Review | None, lang: str, summary: bool) -> dict:
    reviews = {r.key: r for r in _reviews_until(analysis, focus)}
    rows = [{**row, "title": reviews[row["review"]].title, "events": reviews[row["review"]].events}
            for row in _trends_until(analysis, focus.key if focus else None)]
    chart = trend_chart(analysis, focus.key if focus else None, lang,
                        height=180 if summary else 250)
    return {"rows": rows, "chart": chart}


def _header(analysis: Analysis, *, revision: int | None, updated_at: dt.datetime | None,
            generated_on: dt.date | None, pseudonymised: bool, focus: Review | None) -> dict:
    info = analysis.info
    return {
        "name": info.name, "key": info.key, "location": info.location, "start_date": info.start_date,
        "generated_on": (generated_on or dt.date.today()).isoformat(),
        "revision": revision, "row_version": info.version,
        "updated_at": updated_at.strftime("%Y-%m-%d %H:%M UTC") if isinstance(updated_at, dt.datetime) else "",
        "review": focus, "pseudonymised": pseudonymised,
        "sensitive": sum(1 for a in analysis.actors if a.sensitive) if not pseudonymised else 0,
    }


def _choose_sections(sections: Iterable[str] | None, summary: bool) -> list[str]:
    allowed = SUMMARY_SECTIONS if summary else SECTIONS
    if sections is None:
        return list(allowed)
    chosen = set(sections)
    unknown = chosen - set(SECTIONS)
    if unknown:
        raise ValueError(f"Unknown report section(s): {', '.join(sorted(unknown))}. "
                         f"Choose from: {', '.join(SECTIONS)}.")
    return [s for s in allowed if s in chosen]


def report_html(analysis: Analysis, *, summary: bool = False, review: str | None = None,
                sections: Sequence[str] | None = None, lang: str = "en", pseudonymised: bool = False,
                revision: int | None = None, updated_at: dt.datetime | None = None,
                generated_on: dt.date | None = None) -> str:
    """The report of ``analysis`` as one self-contained HTML document.

    Parameters
    ----------
    analysis : Analysis
        Pseudonymise it first (:func:`dnh_graph.privacy.pseudonymise`) for a version to forward;
        :func:`dnh_graph.exports.export` does so with ``pseudonymise=True``.
    summary : bool
        The one-to-two page summary for managers (scores, top harm pathways, best options, trend,
        what changed, monitoring) instead of the full report.
    review : str, optional
        The review the report speaks for (default: the latest); ``ValueError`` if it is not one.
    sections : sequence of str, optional
        A subset of :data:`SECTIONS` (summary: of :data:`SUMMARY_SECTIONS`); the order stays fixed.
    lang : str
        Language of the labels.
    pseudonymised : bool
        Say in the header that sensitive actors are shown as ``Actor A1``-style labels.
    revision, updated_at : optional
        The analysis' revision counter and last change, shown as its version.
    generated_on : datetime.date, optional
        The date printed as the report's date (default: today).

    Returns
    -------
    str
        ``<!DOCTYPE html>`` … one file with inline CSS and SVG, no script, no outside reference.
    """
    focus = _focus_review(analysis, review)
    chosen = _choose_sections(sections, summary)
    t = _template_words(lang)
    data: dict[str, Any] = {}
    if "context" in chosen:
        data["counts"] = analysis.counts()
    if "actors" in chosen:
        data["actors"] = _actors(analysis, lang)
        data["relationships"] = _relationships(analysis, lang)
        data["map"] = relationship_map(analysis, focus.key if focus else None, lang)
    if "factors" in chosen:
        data["categories"] = _factors_by_category(analysis, lang)
    if "details" in chosen:
        data["questions"] = _details_by_question(analysis, lang)
    if "impacts" in chosen:
        data["impact_tables"] = _impact_tables(analysis)
    if "pathways" in chosen:
        every = _pathways(analysis, lang, actor_limit=SUMMARY_ACTORS if summary else None)
        data["pathways"] = every[:SUMMARY_PATHWAYS] if summary else every
        data["pathways_total"] = len(every)
    if "scores" in chosen:
        s = scoring.score(analysis, with_robustness=False)
        data["totals"] = s.totals
        data["detail_chart"] = detail_chart(analysis, lang)
        data["detail_scores"] = s.details
        data["inactive"] = sum(1 for d in s.details if not d.active)
    if "options" in chosen:
        data["options"] = _options(analysis, lang, SUMMARY_OPTIONS if summary else None)
    if "trends" in chosen:
        data["trends"] = _trends(analysis, focus, lang, summary)
    if "changes" in chosen:
        data["changes"] = _changes(analysis, focus, lang, SUMMARY_CHANGES if summary else None)
    if "monitoring" in chosen:
        data["monitoring"] = _monitoring(analysis, focus, lang)
    template = _environment().get_template("report_summary.html.j2" if summary else "report.html.j2")
    return template.render(
        t=t, lang=lang, csp=CSP, fonts=styles.font_faces_css(), preload=styles.font_preload_html(),
        font=styles.FONT_STACK, line_height=styles.LINE_HEIGHT,
        summary=summary, sections=chosen, info=analysis.info, new_page=NEW_PAGE,
        header=_header(analysis, revision=revision, updated_at=updated_at, generated_on=generated_on,
                       pseudonymised=pseudonymised, focus=focus),
        section_title=lambda s: section_title(s, lang), label=lambda v, k: vocab.label(v, k, lang),
        colours={"harm": HARM_COLOUR, "help": HELP_COLOUR, "net": NET_COLOUR, "ratings": RATING_COLOURS,
                 "harm_pale": styles.HARM_PALE, "help_pale": styles.HELP_PALE},
        **data,
    )
