"""The Impacts screen's pictures: the details × factors matrix and the harm/help bar chart.

Built from the records and from :mod:`dnh_graph.scoring` (never a score of its own). A matrix cell
shows each impact of a detail on a factor as ``+m`` (strengthens) or ``−m`` (weakens), ``m`` its
magnitude; its colour is red when the cell's impacts do more harm than help (docs/method.md: strengthening
a divider or weakening a connector), green when they help. User text reaches plotly only through
:func:`dnh_graph.render.trends.safe_text` (escaped: ``<img ...>`` stays text).

Examples
--------
>>> from dnh_graph.model import Analysis, AnalysisInfo, Factor, Detail, Impact
>>> a = Analysis(AnalysisInfo("x", "X"),
...              factors=[Factor("D1", "divider", "Land", "experiences", priority=4),
...                       Factor("C1", "connector", "Market", "experiences", priority=2)],
...              details=[Detail("X1", "with_whom")],
...              impacts=[Impact("X1", "D1", "strengthens", 2, "resource_transfer"),
...                       Impact("X1", "C1", "weakens", 1, "staff_behaviour")])
>>> m = impact_matrix(a)
>>> [(c.detail, c.factor, c.text, c.net) for c in m.cells]
[('X1', 'D1', '+2', -8), ('X1', 'C1', '−1', -2)]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dnh_graph import scoring, vocab
from dnh_graph.editing import record_label
from dnh_graph.i18n import translate
from dnh_graph.model import Analysis
from dnh_graph.render import styles
from dnh_graph.render.styles import HARM, HELP
from dnh_graph.render.trends import FONT_SIZE, safe_text

__all__ = ["MatrixCell", "ImpactMatrix", "impact_matrix", "impact_matrix_figure", "detail_scores_figure",
           "pathways_table", "detail_scores_table", "HARM", "HELP"]

MINUS = "−"  # U+2212: a real minus sign reads better on a projector than a hyphen
AXIS_LABEL = 22  # characters of a detail or factor name on an axis
MAX_ROWS = 30  # details shown in the matrix (the heaviest first when there are more)
MAX_COLUMNS = 30  # factors shown in the matrix: beyond 30 a projector no longer shows the cells
MAX_BARS = 30


@dataclass(frozen=True)
class MatrixCell:
    detail: str
    factor: str
    text: str  # "+2", "−3", or several: "+2 −1"
    harm: int
    help: int

    @property
    def net(self) -> int:
        return self.help - self.harm


@dataclass(frozen=True)
class ImpactMatrix:
    details: list  # Detail records, rows in the order shown
    factors: list  # Factor records, dividers first then connectors
    cells: list[MatrixCell]
    total_details: int
    total_factors: int

    @property
    def cut(self) -> bool:
        return len(self.details) < self.total_details or len(self.factors) < self.total_factors


def impact_matrix(analysis: Analysis, max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS) -> ImpactMatrix:
    """Cells of the details × factors matrix; past the limits, the details and factors weighing most."""
    factors = analysis.by_key("factors")
    cells: dict[tuple[str, str], list] = defaultdict(list)
    load: dict[str, int] = defaultdict(int)
    for i in analysis.impacts:
        cells[(i.detail, i.factor)].append(i)
        w = scoring.weight(i.magnitude, factors[i.factor].priority)
        load["d:" + i.detail] += w
        load["f:" + i.factor] += w
    details = list(analysis.details)
    shown_factors = list(analysis.factors)
    if len(details) > max_rows:
        keep = {d.key for d in sorted(details, key=lambda d: (-load["d:" + d.key], d.key))[:max_rows]}
        details = [d for d in details if d.key in keep]
    if len(shown_factors) > max_columns:
        keep = {f.key for f in sorted(shown_factors, key=lambda f: (-load["f:" + f.key], f.key))[:max_columns]}
        shown_factors = [f for f in shown_factors if f.key in keep]
    shown_factors.sort(key=lambda f: f.kind != "divider")  # stable: dividers first, entry order kept
    out = []
    for d in details:
        for f in shown_factors:
            found = cells.get((d.key, f.key))
            if not found:
                continue
            harm, help_ = scoring.harm_help(found, factors)
            texts = [("+" if i.effect == "strengthens" else MINUS) + str(i.magnitude) for i in found]
            out.append(MatrixCell(d.key, f.key, " ".join(texts), harm, help_))
    return ImpactMatrix(details, shown_factors, out, len(analysis.details), len(analysis.factors))


def _name(key: str, name: str) -> str:
    text = f"{key} · {name}" if name else key
    return safe_text(text, AXIS_LABEL)


def _detail_name(d) -> str:
    return _name(d.key, d.description or d.activity)


def impact_matrix_figure(analysis: Analysis, lang: str = "en", matrix: ImpactMatrix | None = None) -> go.Figure:
    """A heatmap: one row per detail, one column per factor, red harm and green help."""
    m = matrix or impact_matrix(analysis)
    rows = {d.key: n for n, d in enumerate(m.details)}
    cols = {f.key: n for n, f in enumerate(m.factors)}
    z = [[None] * len(m.factors) for _ in m.details]
    text = [[""] * len(m.factors) for _ in m.details]
    hover = [[""] * len(m.factors) for _ in m.details]
    details = {d.key: d for d in m.details}
    factors = {f.key: f for f in m.factors}
    for c in m.cells:
        r, k = rows[c.detail], cols[c.factor]
        z[r][k] = c.net
        text[r][k] = c.text
        d, f = details[c.detail], factors[c.factor]
        hover[r][k] = (
            f"<b>{safe_text(d.key, 20)}</b> {safe_text(d.description or d.activity, 60)}<br>"
            f"<b>{safe_text(f.key, 20)}</b> {safe_text(f.name, 60)} ({vocab.label('factor_kind', f.kind, lang)})<br>"
            f"{c.text} · {translate('impacts.harm', lang)} {c.harm} · {translate('impacts.help', lang)} {c.help}"
        )
    # keys are the categories (unique); the names are only tick labels, so two alike never merge
    x_keys, y_keys = [f.key for f in m.factors], [d.key for d in m.details]
    x_labels = [_name(f.key, f.name) for f in m.factors]
    y_labels = [_detail_name(d) for d in m.details]
    limit = max((abs(c.net) for c in m.cells), default=1) or 1
    fig = go.Figure(go.Heatmap(
        z=z, x=x_keys, y=y_keys, text=text, texttemplate="%{text}", hovertext=hover, hoverinfo="text",
        colorscale=[[0.0, HARM], [0.5, styles.MIDPOINT], [1.0, HELP]], zmid=0, zmin=-limit, zmax=limit,
        xgap=2, ygap=2, textfont={"size": FONT_SIZE}, showscale=False,
    ))
    fig.update_layout(
        template="plotly_white",
        font={"size": FONT_SIZE, "family": styles.FONT_STACK},
        hoverlabel={"font": {"size": FONT_SIZE - 1}, "align": "left"},
        height=max(260, 140 + 34 * len(m.details)),
        margin={"t": 10, "r": 10, "b": 10, "l": 10},
        xaxis={"side": "top", "tickangle": -35, "automargin": True, "type": "category", "tickfont": {"size": 15},
               "tickmode": "array", "tickvals": x_keys, "ticktext": x_labels},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category", "tickfont": {"size": 15},
               "tickmode": "array", "tickvals": y_keys, "ticktext": y_labels},
    )
    return fig


def detail_scores_figure(analysis: Analysis, lang: str = "en", details: list | None = None,
                         limit: int = MAX_BARS) -> go.Figure:
    """Harm (red) and help (green) of each detail as horizontal bars, net as a marker; most weight first."""
    scores = details if details is not None else scoring.detail_scores(analysis)
    by_key = analysis.by_key("details")
    shown = sorted(scores, key=lambda s: (-(s.harm + s.help), s.key))[:limit]
    shown = [s for s in shown if s.harm or s.help]
    keys = [s.key for s in shown]
    inactive = " (" + translate("intervention.inactive", lang) + ")"
    labels = [_detail_name(by_key[s.key]) + ("" if s.active else inactive) for s in shown]
    fig = go.Figure()
    fig.add_bar(y=keys, x=[-s.harm for s in shown], orientation="h", name=translate("impacts.harm", lang),
                marker_color=HARM, hovertext=[f"{translate('impacts.harm', lang)} {s.harm}" for s in shown],
                hoverinfo="text")
    fig.add_bar(y=keys, x=[s.help for s in shown], orientation="h", name=translate("impacts.help", lang),
                marker_color=HELP, hovertext=[f"{translate('impacts.help', lang)} {s.help}" for s in shown],
                hoverinfo="text")
    fig.add_scatter(y=keys, x=[s.net for s in shown], mode="markers", name=translate("impacts.net", lang),
                    marker={"color": styles.INK, "size": 12, "symbol": "diamond"},
                    hovertext=[f"{translate('impacts.net', lang)} {s.net:+d}" for s in shown], hoverinfo="text")
    fig.update_layout(
        template="plotly_white",
        barmode="relative",
        font={"size": FONT_SIZE, "family": styles.FONT_STACK},
        height=max(240, 110 + 30 * len(shown)),
        margin={"t": 40, "r": 10, "b": 40, "l": 10},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category", "tickfont": {"size": 15},
               "tickmode": "array", "tickvals": keys, "ticktext": labels},
        xaxis={"title": {"text": translate("impacts.weight_axis", lang)}, "zeroline": True,
               "zerolinecolor": styles.AXIS},
    )
    return fig


def pathways_table(analysis: Analysis, pathways: list[scoring.HarmPathway], lang: str = "en") -> pd.DataFrame:
    """The harm pathways as a table with translated headers and labels (cells are plain text)."""
    details, factors = analysis.by_key("details"), analysis.by_key("factors")
    effect, mechanism, pattern = (vocab.labels(v, lang) for v in ("effect", "mechanism", "pattern"))
    return pd.DataFrame({
        translate("impacts.weight", lang): [p.weight for p in pathways],
        translate("col.detail", lang): [record_label("details", details[p.detail]) for p in pathways],
        translate("col.effect", lang): [effect.get(p.effect, p.effect) for p in pathways],
        translate("col.factor", lang): [record_label("factors", factors[p.factor]) for p in pathways],
        translate("col.mechanism", lang): [mechanism.get(p.mechanism, p.mechanism) for p in pathways],
        translate("col.pattern", lang): [pattern.get(p.pattern, p.pattern) for p in pathways],
        translate("impacts.actors", lang): [", ".join(p.actors) for p in pathways],
        translate("col.evidence", lang): [p.evidence for p in pathways],
    })


def detail_scores_table(analysis: Analysis, details: list[scoring.DetailScore], lang: str = "en") -> pd.DataFrame:
    """Harm, help and net of every detail (inactive ones too, with their own figures)."""
    by_key = analysis.by_key("details")
    return pd.DataFrame({
        translate("col.detail", lang): [record_label("details", by_key[d.key]) for d in details],
        translate("col.active", lang): [d.active for d in details],
        translate("impacts.harm", lang): [d.harm for d in details],
        translate("impacts.help", lang): [d.help for d in details],
        translate("impacts.net", lang): [d.net for d in details],
    })
