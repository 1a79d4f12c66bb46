"""Plotly figures of the Options screen, built from :func:`dnh_graph.options.comparison`.

Each builder takes the comparison table (so the bars are the figures of :mod:`dnh_graph.scoring`) and
returns a :class:`plotly.graph_objects.Figure`, or a :class:`~dnh_graph.render.trends.ChartMessage`
when there is nothing to draw. User text (titles, keys) is cut and HTML-escaped with
:func:`~dnh_graph.render.trends.safe_text` before it reaches a label or a hover, and hover text is given
as ``hovertext`` with ``hoverinfo="text"``.

Examples
--------
>>> from dnh_graph.model import Analysis, AnalysisInfo, Option
>>> from dnh_graph.options import comparison
>>> a = Analysis(AnalysisInfo("t", "T"), options=[Option("O1", "One", cost=2), Option("O2", "Two", cost=4)])
>>> [trace.name for trace in net_delta_figure(comparison(a)).data]
['Net of the option', 'Delta against the current detail']
>>> print(tradeoff_figure(comparison(a).iloc[:0]))
No option to compare yet: write options in the table above.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dnh_graph import vocab
from dnh_graph.i18n import translate
from dnh_graph.render import styles
from dnh_graph.render.trends import FONT_SIZE, ChartMessage, safe_text

__all__ = ["STATUS_COLOURS", "net_delta_figure", "tradeoff_figure"]

SMALL_FONT = 14
NAME_LIMIT = 40
STATUS_COLOURS = styles.STATUS_COLOUR
NET_COLOUR = styles.NEUTRAL  # the net bars: the delta bars beside them carry the harm red and help green
MAX_LABELS = 15  # options named on the trade-off chart; beyond that only the best TOP_LABELLED are
TOP_LABELLED = 10


def _empty(frame: pd.DataFrame, lang: str) -> ChartMessage | None:
    return ChartMessage(translate("options.chart.no_options", lang)) if frame.empty else None


def _hover(row, lang: str) -> str:
    def w(word: str) -> str:
        return translate(f"options.chart.{word}", lang)

    detail = safe_text(row.detail, NAME_LIMIT) if row.detail else w("addition")
    lines = [
        f"<b>{safe_text(row.key, NAME_LIMIT)} · {safe_text(row.title, NAME_LIMIT)}</b>",
        f"{w('detail')}: {detail} · {vocab.label('option_status', row.status, lang)}",
        f"{w('rank')} {row.rank} · {w('delta')} {row.delta:+d} · {w('net')} {row.net:+d} "
        f"({w('harm')} {row.harm}, {w('help')} {row.help})",
        f"{w('feasibility')} {row.feasibility} · {w('cost')} {row.cost}",
    ]
    return "<br>".join(lines)


def _layout(title: str, height: int, **extra) -> dict:
    """One layout dict (cheaper than successive ``update_*`` calls: plotly validates each one)."""
    return {
        "template": "plotly_white", "height": height,
        "title": {"text": title, "font": {"size": FONT_SIZE + 2}, "yref": "container", "y": 0.97,
                  "yanchor": "top"},
        "font": {"size": FONT_SIZE, "family": styles.FONT_STACK},
        "hoverlabel": {"font": {"size": FONT_SIZE - 1}, "align": "left"},
        # above the plot, under the title: below it, rotated option labels would run into it
        "legend": {"font": {"size": SMALL_FONT}, "orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0},
        "margin": {"t": 100, "r": 20, "b": 40, "l": 70},
        **extra,
    }


def _zero_axis(title: str, **extra) -> dict:
    return {"title": {"text": title}, "zeroline": True, "zerolinewidth": 2, "zerolinecolor": styles.AXIS, **extra}


def net_delta_figure(frame: pd.DataFrame, lang: str = "en") -> go.Figure | ChartMessage:
    """Net and delta of each option as grouped bars, in rank order (best on the left).

    Delta bars are green when the option does better than the current detail and red when it does
    worse; the net bars are grey. Traces are plain dicts: plotly validates them once, with the figure.
    """
    if message := _empty(frame, lang):
        return message
    rows = list(frame.itertuples())
    labels = [f"{row.rank}. {safe_text(row.key, NAME_LIMIT)}" for row in rows]
    hover = [_hover(row, lang) for row in rows]
    delta_colours = [styles.HELP if r.delta > 0 else styles.HARM if r.delta < 0 else NET_COLOUR
                     for r in rows]
    traces = [
        {"type": "bar", "x": labels, "y": [int(r.net) for r in rows],
         "name": translate("options.chart.net_name", lang),
         "marker": {"color": NET_COLOUR}, "hovertext": hover, "hoverinfo": "text"},
        {"type": "bar", "x": labels, "y": [int(r.delta) for r in rows],
         "name": translate("options.chart.delta_name", lang),
         "marker": {"color": delta_colours}, "hovertext": hover, "hoverinfo": "text",
         "text": [f"{int(r.delta):+d}" for r in rows], "textposition": "outside", "cliponaxis": False,
         "textfont": {"size": SMALL_FONT}},
    ]
    return go.Figure(data=traces, layout=_layout(
        translate("options.chart.net_delta_title", lang), 460, barmode="group", bargap=0.25,
        xaxis={"type": "category", "title": {"text": translate("options.chart.rank_axis", lang)}},
        yaxis=_zero_axis(translate("options.chart.score_axis", lang))))


def tradeoff_figure(frame: pd.DataFrame, lang: str = "en") -> go.Figure | ChartMessage:
    """Delta against cost, one marker per option sized by feasibility and coloured by status.

    The best trade-offs sit top left (much better than now, cheap). Options at the same cost with
    nearly the same delta are spread a little sideways so that none hides another; with more than
    ``MAX_LABELS`` options only the ``TOP_LABELLED`` best are named on the chart (hover names every one).
    """
    if message := _empty(frame, lang):
        return message
    low, high = int(frame["delta"].min()), int(frame["delta"].max())
    near = max(1.0, 0.1 * (max(high, 0) - min(low, 0)))  # closer than this, two markers would overlap
    labelled = len(frame) if len(frame) <= MAX_LABELS else TOP_LABELLED  # more would pile up; hover names all
    placed: dict[int, list[int]] = {}
    by_status: dict[str, list] = {}
    for row in frame.itertuples():
        column = placed.setdefault(int(row.cost), [])
        n = sum(1 for other in column if abs(other - row.delta) < near)
        column.append(int(row.delta))
        x = int(row.cost) + (0 if n == 0 else 0.3 * ((n + 1) // 2) * (1 if n % 2 else -1))
        by_status.setdefault(row.status, []).append((x, row))
    traces = []
    for status in vocab.keys("option_status"):
        points = by_status.get(status)
        if not points:
            continue
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": vocab.label("option_status", status, lang),
            "x": [x for x, _ in points], "y": [int(r.delta) for _, r in points],
            "text": [safe_text(r.key, NAME_LIMIT) if r.rank <= labelled else "" for _, r in points],
            "textposition": "top center",
            "textfont": {"size": SMALL_FONT}, "cliponaxis": False,
            "marker": {"size": [10 + 6 * int(r.feasibility) for _, r in points], "color": STATUS_COLOURS[status],
                       "opacity": 0.8, "line": {"width": 1, "color": styles.INK}},
            "hovertext": [_hover(r, lang) for _, r in points], "hoverinfo": "text"})
    pad = max(4, (high - low) // 5)
    return go.Figure(data=traces, layout=_layout(
        translate("options.chart.tradeoff_title", lang), 460,
        xaxis={"title": {"text": translate("options.chart.cost_axis", lang)}, "range": [0.4, 5.6], "dtick": 1},
        yaxis=_zero_axis(translate("options.chart.delta_axis", lang), range=[min(low, 0) - pad, max(high, 0) + pad])))
