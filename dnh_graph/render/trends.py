"""Plotly figures of the Trends and Monitoring screens, built from :mod:`dnh_graph.timeline`.

Each builder returns a :class:`plotly.graph_objects.Figure`, or a :class:`ChartMessage` when there is
nothing to draw yet (fewer than two reviews, no readings): a page shows ``st.info(str(result))``
rather than an empty or broken chart.

Every user-written string (names, notes, events, evidence, keys) is truncated and passed through
:func:`html.escape` before it reaches a hover label, a legend or an annotation: plotly reads those as
a subset of HTML, and ``<img src=x onerror=...>`` must stay text. Hover text is given as ``hovertext``
with ``hoverinfo="text"`` (never inside a ``hovertemplate``, where ``%{...}`` would be expanded).

Dividers are drawn in the red family, connectors in the green family; fonts are 14 px or more so the
charts read on a projector.

Examples
--------
>>> from dnh_graph.timeline import _example_analysis
>>> fig = pressure_capacity_figure(_example_analysis())
>>> [trace.name for trace in fig.data]
['Context pressure (dividers)', 'Capacity for peace (connectors)']
>>> from dnh_graph.model import Analysis, AnalysisInfo
>>> print(pressure_capacity_figure(Analysis(AnalysisInfo("empty", "Empty"))))
No review yet: add a review with its date and the strength of each divider and connector.
"""

from __future__ import annotations

import html
from collections.abc import Collection
from dataclasses import dataclass

import plotly.graph_objects as go

from dnh_graph import timeline, vocab
from dnh_graph.i18n import translate
from dnh_graph.model import Analysis, Review
from dnh_graph.render import styles
from dnh_graph.text import clip

__all__ = [
    "ChartMessage",
    "Chart",
    "safe_text",
    "FONT_SIZE",
    "DIVIDER_COLOURS",
    "CONNECTOR_COLOURS",
    "factor_strength_figure",
    "pressure_capacity_figure",
    "impact_timeline_figure",
    "actor_influence_figure",
    "monitoring_heatmap",
]

FONT_SIZE = 16  # base font; nothing is drawn smaller than 14 px (a projector at the back of a room)
SMALL_FONT = 14
NAME_LIMIT = 40  # characters of a name in a legend or a hover title
NOTE_LIMIT = 200  # characters of a note, an event or evidence in a hover label
LABEL_LIMIT = 24  # characters of a review title written on the chart

DIVIDER_COLOURS, CONNECTOR_COLOURS = styles.DIVIDER_COLOURS, styles.CONNECTOR_COLOURS
ACTOR_COLOURS = styles.ACTOR_COLOURS
DASHES = ("solid", "dash", "dot", "dashdot")
PRESSURE_COLOUR, CAPACITY_COLOUR = styles.HARM, styles.HELP
HARM_COLOUR, HELP_COLOUR, NET_COLOUR = styles.HARM, styles.HELP, styles.NET
RATING_VALUE = {"low": 1, "medium": 2, "high": 3}
RATING_SCALE = [[0.0, styles.RATING_COLOUR["low"]], [0.33, styles.RATING_COLOUR["low"]],
                [0.34, styles.RATING_COLOUR["medium"]], [0.66, styles.RATING_COLOUR["medium"]],
                [0.67, styles.RATING_COLOUR["high"]], [1.0, styles.RATING_COLOUR["high"]]]
STANCE_SYMBOL = {"supports": "circle", "neutral": "square", "opposes": "x", "unknown": "diamond"}


@dataclass(frozen=True)
class ChartMessage:
    """What a page shows instead of a chart when there is nothing to draw yet.

    Examples
    --------
    >>> str(ChartMessage("Add a second review to see a trend."))
    'Add a second review to see a trend.'
    """

    text: str

    def __str__(self) -> str:
        return self.text


Chart = go.Figure | ChartMessage


# ------------------------------------------------------------------------------------- helpers
def _no_review(lang: str) -> ChartMessage:
    return ChartMessage(translate("trends.no_review", lang))


def _one_review(lang: str) -> ChartMessage:
    return ChartMessage(translate("trends.one_review", lang))


def _too_few_reviews(reviews: list[Review], lang: str) -> ChartMessage | None:
    if not reviews:
        return _no_review(lang)
    if len(reviews) == 1:
        return _one_review(lang)
    return None


def safe_text(text: object, limit: int = NOTE_LIMIT) -> str:
    """User text for plotly: cut to ``limit`` characters, HTML-escaped, line breaks kept.

    Examples
    --------
    >>> safe_text("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> safe_text("Floods in\\nKampong Thom, then a long dry season", limit=20)
    'Floods in<br>Kampong T…'
    """
    text = "" if text is None else str(text).strip()
    text = clip(text, limit)
    return html.escape(text).replace("\r\n", "\n").replace("\n", "<br>")


def _layout(fig: go.Figure, title: str, y_title: str, *, hovermode: str = "closest") -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        title={"text": title, "font": {"size": FONT_SIZE + 4}, "yref": "container", "y": 0.98,
               "yanchor": "top"},
        font={"size": FONT_SIZE, "family": styles.FONT_STACK},
        hoverlabel={"font": {"size": FONT_SIZE - 1}, "align": "left"},
        legend={"font": {"size": SMALL_FONT}, "groupclick": "toggleitem"},
        margin={"t": 110, "r": 20, "b": 50, "l": 70},
        hovermode=hovermode,
        showlegend=True,
        yaxis={"title": {"text": y_title}},
        # ISO dates in every language: plotly's own date ticks are English month names ("Jul 2023")
        xaxis={"tickformatstops": [{"dtickrange": [None, "M1"], "value": "%Y-%m-%d"},
                                   {"dtickrange": ["M1", None], "value": "%Y-%m"}],
               "hoverformat": "%Y-%m-%d"},
    )
    return fig


def _review_events(fig: go.Figure, reviews: list[Review], lang: str) -> None:
    """A dotted line at each review date, labelled with its title; hover shows the events."""
    by_date: dict = {}
    for review in reviews:
        by_date.setdefault(review.date, []).append(review)
    shapes, annotations = [], []
    for i, (day, same_day) in enumerate(sorted(by_date.items())):
        label = " / ".join(safe_text(r.title or r.key, LABEL_LIMIT) for r in same_day)
        events = "<br>".join(
            f"<b>{safe_text(r.key, NAME_LIMIT)} · {day.isoformat()}</b> {safe_text(r.title, NAME_LIMIT)}<br>"
            + (safe_text(r.events) or translate("trends.no_events", lang))
            for r in same_day)
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": day, "x1": day, "y0": 0, "y1": 1,
                       "line": {"color": styles.MUTED, "width": 1, "dash": "dot"}, "layer": "between"})
        # two staggered rows in pixels above the plot, so neighbouring labels overlap less
        annotations.append({"x": day, "xref": "x", "yref": "paper", "y": 1, "yshift": 4 + 22 * (i % 2),
                            "yanchor": "bottom", "text": label, "hovertext": events, "showarrow": False,
                            "font": {"size": SMALL_FONT, "color": styles.AXIS}})
    fig.update_layout(shapes=shapes, annotations=annotations)


def _review_line(review_key: str, title: str | None, day) -> str:
    return f"{safe_text(review_key, NAME_LIMIT)} {safe_text(title, NAME_LIMIT)} · {day.isoformat()}"


def _origin(source: str, read_at: str | None, lang: str) -> str:
    if source == "carried":
        return translate("trends.carried_from", lang,
                  review=safe_text(read_at, NAME_LIMIT))
    return translate("trends.read_here", lang)


def _legend_key(name: str, symbol: str, group: str, group_title: str | None) -> dict:
    """A legend entry that explains a marker shape; it draws nothing."""
    title = {"text": html.escape(group_title)} if group_title else None
    return {"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": html.escape(name),
            "legendgroup": group, "legendgrouptitle": title,
            "marker": {"symbol": symbol, "size": 11, "color": styles.MUTED, "line": {"width": 2}},
            "hoverinfo": "skip"}


def _rows_by(frame, key: str, columns: list[str]) -> dict[str, list[tuple]]:
    """Rows of a long table grouped by one column, as tuples (one pass; faster than groupby here)."""
    grouped: dict[str, list[tuple]] = {}
    for item, *values in zip(frame[key], *(frame[c] for c in columns), strict=True):
        grouped.setdefault(item, []).append(tuple(values))
    return grouped


def _selected(value, allowed: Collection | None) -> bool:
    return allowed is None or value in allowed


# ------------------------------------------------------------------------------ factor strength
def factor_strength_figure(analysis: Analysis, *, kinds: Collection[str] | None = None,
                           categories: Collection[str] | None = None,
                           priorities: Collection[int] | None = None,
                           factors: Collection[str] | None = None, lang: str = "en") -> Chart:
    """Strength of each divider and connector over the reviews.

    Filled markers are readings taken at that review; open markers are values carried forward from
    an earlier reading (the value the scores count, docs/method.md). A factor is drawn from its first reading on. One
    trace per factor (``legendgroup`` its kind), then a legend-only trace explaining the open marker.

    Parameters
    ----------
    analysis : Analysis
    kinds, categories, priorities, factors : collection, optional
        Keep only factors of these kinds, categories, priorities or keys (None: all).
    lang : str

    Returns
    -------
    plotly.graph_objects.Figure or ChartMessage

    Examples
    --------
    >>> from dnh_graph.timeline import _example_analysis
    >>> fig = factor_strength_figure(_example_analysis(), kinds=["connector"])
    >>> [trace.name for trace in fig.data if trace.legendgroup == "connector"]
    ['C1 Shared market']
    >>> fig.data[0].marker.symbol  # R2 carries R1's reading forward
    ('circle', 'circle-open', 'circle')
    """
    reviews = timeline.reviews_in_order(analysis)
    if message := _too_few_reviews(reviews, lang):
        return message
    if not analysis.factor_readings:
        return ChartMessage(translate("trends.no_readings", lang))
    chosen = [f for f in analysis.factors
              if _selected(f.kind, kinds) and _selected(f.category, categories)
              and _selected(f.priority, priorities) and _selected(f.key, factors)]
    series = timeline.factor_series(analysis)
    series = series[(series["source"] != "none") & series["factor"].isin([f.key for f in chosen])]
    if series.empty:
        return ChartMessage(translate("trends.no_factor_match", lang))
    review_lines = {r.key: _review_line(r.key, r.title, r.date) for r in reviews}
    rows_by_factor = _rows_by(series, "factor", ["review", "date", "strength", "source", "read_at", "note"])
    strength_word, note_word = translate("trends.strength", lang), translate("trends.note", lang)
    traces = []
    counter = {"divider": 0, "connector": 0}
    for factor in chosen:
        rows = rows_by_factor.get(factor.key)
        if rows is None:
            continue
        n = counter.get(factor.kind, 0)
        counter[factor.kind] = n + 1
        palette = CONNECTOR_COLOURS if factor.kind == "connector" else DIVIDER_COLOURS
        colour, dash = palette[n % len(palette)], DASHES[(n // len(palette)) % len(DASHES)]
        name = safe_text(f"{factor.key} {factor.name}", NAME_LIMIT)
        kind_label = vocab.label("factor_kind", factor.kind, lang)
        head = f"<b>{name}</b> · {html.escape(kind_label)} · P{factor.priority}"
        hover, symbols = [], []
        for review, _day, strength, source, read_at, note in rows:
            symbols.append("circle-open" if source == "carried" else "circle")
            origin = _origin(source, read_at, lang)
            lines = [head, review_lines[review], f"{strength_word} {strength} ({origin})"]
            if note:
                lines.append(f"{note_word}: {safe_text(note)}")
            hover.append("<br>".join(lines))
        traces.append({
            "type": "scatter", "x": [row[1] for row in rows], "y": [int(row[2]) for row in rows],
            "mode": "lines+markers", "name": name, "legendgroup": factor.kind,
            "legendrank": 1000 if factor.kind == "divider" else 1001,  # dividers listed first
            "legendgrouptitle": {"text": html.escape(kind_label)} if n == 0 else None,
            "line": {"color": colour, "dash": dash, "width": 3},
            "marker": {"symbol": symbols, "size": 11, "color": colour, "line": {"width": 2, "color": colour}},
            "hovertext": hover, "hoverinfo": "text"})
    carried_key = translate("trends.carried_key", lang)
    traces.append(_legend_key(carried_key, "circle-open", "key", translate("trends.key", lang)))
    fig = go.Figure(data=traces)
    _layout(fig, translate("trends.strength_title", lang),
            translate("trends.strength_axis", lang))
    fig.update_yaxes(range=[-0.3, 5.3], dtick=1)
    _review_events(fig, reviews, lang)
    return fig


# ----------------------------------------------------------------------- pressure and capacity
def pressure_capacity_figure(analysis: Analysis, lang: str = "en") -> Chart:
    """Context pressure (dividers) against capacity for peace (connectors) at each review (docs/method.md).

    Parameters
    ----------
    analysis : Analysis
    lang : str

    Returns
    -------
    plotly.graph_objects.Figure or ChartMessage

    Examples
    --------
    >>> from dnh_graph.timeline import _example_analysis
    >>> list(pressure_capacity_figure(_example_analysis()).data[0].y)
    [6, 21, 24]
    """
    reviews = timeline.reviews_in_order(analysis)
    if message := _too_few_reviews(reviews, lang):
        return message
    points = timeline.trends(analysis)
    by_key = {r.key: r for r in reviews}
    names = {"pressure": translate("trends.pressure", lang),
             "capacity": translate("trends.capacity", lang)}
    formula = {"pressure": translate("trends.pressure_formula", lang),
               "capacity": translate("trends.capacity_formula", lang)}
    traces = []
    for measure, colour, symbol in (("pressure", PRESSURE_COLOUR, "triangle-up"),
                                    ("capacity", CAPACITY_COLOUR, "circle")):
        hover = []
        for point in points:
            review = by_key[point["review"]]
            lines = [f"<b>{_review_line(review.key, review.title, review.date)}</b>",
                     f"{html.escape(names[measure])}: <b>{point[measure]}</b> "
                     f"({html.escape(formula[measure])})"]
            if review.events:
                lines.append(f"{translate('trends.events', lang)}: {safe_text(review.events)}")
            hover.append("<br>".join(lines))
        traces.append(go.Scatter(
            x=[p["date"] for p in points], y=[p[measure] for p in points], mode="lines+markers",
            name=names[measure], line={"color": colour, "width": 4},
            marker={"size": 12, "symbol": symbol, "color": colour}, hovertext=hover, hoverinfo="text"))
    fig = go.Figure(data=traces)
    _layout(fig, translate("trends.pressure_title", lang),
            translate("trends.pressure_axis", lang))
    fig.update_yaxes(rangemode="tozero")
    _review_events(fig, reviews, lang)
    return fig


# ---------------------------------------------------------------------------------- impacts
def _impact_item(item: tuple, lang: str) -> str:
    detail, factor, effect, magnitude, harmful, evidence = item
    kind = translate("trends.harm", lang) if harmful else translate("trends.help", lang)
    text = (f"{safe_text(detail, NAME_LIMIT)} → {safe_text(factor, NAME_LIMIT)}: "
            f"{vocab.label('effect', effect, lang)} ×{magnitude} ({kind})")
    return text + (f" — {safe_text(evidence, 80)}" if evidence else "")


def impact_timeline_figure(analysis: Analysis, lang: str = "en", max_items: int = 6) -> Chart:
    """Cumulative harm and help of the intervention's active details, by the date impacts were observed.

    Unlike the review charts this one needs two dates of observed impacts, not two reviews (impacts
    without a date count from the start: see :func:`dnh_graph.timeline.impact_timeline`).

    Parameters
    ----------
    analysis : Analysis
    lang : str
    max_items : int
        Impacts listed in one hover label (the rest are counted).

    Returns
    -------
    plotly.graph_objects.Figure or ChartMessage

    Examples
    --------
    >>> from dnh_graph.timeline import _example_analysis
    >>> fig = impact_timeline_figure(_example_analysis())
    >>> [(trace.name, list(trace.y)) for trace in fig.data][:2]
    [('Harm (cumulative)', [10, 10]), ('Help (cumulative)', [0, 7])]
    """
    df = timeline.impact_timeline(analysis)
    if df.empty:
        return ChartMessage(translate("trends.no_impacts", lang))
    if df["date"].notna().sum() < 2:
        return ChartMessage(translate("trends.one_impact_date", lang))
    df = df[df["date"].notna()]
    hover = []
    for row in df.itertuples(index=False):
        head = (translate("trends.undated_row", lang) if row.undated
                else translate("trends.observed_on", lang, date=row.date.isoformat()))
        lines = [f"<b>{html.escape(head)}</b>",
                 f"{translate('trends.harm_total', lang)} +{row.harm} → {row.cum_harm} · "
                 f"{translate('trends.help_total', lang)} +{row.help} → {row.cum_help} · "
                 f"{translate('trends.net_total', lang)} {row.cum_net}"]
        lines += [_impact_item(item, lang) for item in row.items[:max_items]]
        if len(row.items) > max_items:
            lines.append(translate("trends.more_items", lang, n=len(row.items) - max_items))
        hover.append("<br>".join(lines))
    dates = list(df["date"])
    mode = "lines+markers" if len(dates) <= 40 else "lines"  # many dates: markers only clutter
    traces = [
        go.Scatter(x=dates, y=list(df[column]), name=name, mode=mode, line_shape="hv",
                   line={"color": colour, "width": 4 if column != "cum_net" else 2,
                         "dash": "solid" if column != "cum_net" else "dash"},
                   marker={"size": 10, "color": colour}, hovertext=hover, hoverinfo="text")
        for column, name, colour in (
            ("cum_harm", translate("trends.harm_line", lang), HARM_COLOUR),
            ("cum_help", translate("trends.help_line", lang), HELP_COLOUR),
            ("cum_net", translate("trends.net_line", lang), NET_COLOUR))]
    fig = go.Figure(data=traces)
    _layout(fig, translate("trends.impact_title", lang),
            translate("trends.impact_axis", lang))
    _review_events(fig, timeline.reviews_in_order(analysis), lang)
    return fig


# ----------------------------------------------------------------------------------- actors
def actor_influence_figure(analysis: Analysis, actors: Collection[str] | None = None, top: int | None = 15,
                           lang: str = "en") -> Chart:
    """Influence of each actor over the reviews; the marker shape shows the stance.

    One trace per actor with readings, then legend-only traces (``legendgroup`` ``"stance"``) that
    explain the marker shapes.

    Parameters
    ----------
    analysis : Analysis
    actors : collection of str, optional
        Show these actor keys (None: the ``top`` ones).
    top : int or None, default 15
        Without ``actors``, show only the actors with the highest influence at the last review (ties
        by key): a few hundred lines on one chart tell nobody anything. None: every actor with readings.
    lang : str

    Returns
    -------
    plotly.graph_objects.Figure or ChartMessage

    Examples
    --------
    >>> from dnh_graph.timeline import _example_analysis
    >>> fig = actor_influence_figure(_example_analysis())
    >>> list(fig.data[0].y), fig.data[0].marker.symbol
    ([4, 4, 2], ('square', 'square', 'circle'))
    """
    reviews = timeline.reviews_in_order(analysis)
    if message := _too_few_reviews(reviews, lang):
        return message
    series = timeline.actor_series(analysis)
    series = series[(series["source"] != "none") & series["actor"].map(lambda a: _selected(a, actors))]
    if series.empty:
        return ChartMessage(translate("trends.no_actor_readings", lang))
    title = translate("trends.actor_title", lang)
    if actors is None and top is not None and series["actor"].nunique() > top:
        last = series[series["review"] == reviews[-1].key].sort_values(["influence", "actor"],
                                                                       ascending=[False, True])
        shown = set(last["actor"].head(top))
        title += " — " + translate("trends.actor_top", lang, top=top, total=series["actor"].nunique())
        series = series[series["actor"].isin(shown)]
    review_lines = {r.key: _review_line(r.key, r.title, r.date) for r in reviews}
    rows_by_actor = _rows_by(series, "actor", ["review", "date", "influence", "stance", "source", "read_at"])
    influence_word, stance_title = translate("trends.influence", lang), translate("trends.stance", lang)
    traces = []
    for n, actor in enumerate(a for a in analysis.actors if a.key in rows_by_actor):
        rows = rows_by_actor[actor.key]
        colour = ACTOR_COLOURS[n % len(ACTOR_COLOURS)]
        name = safe_text(f"{actor.key} {actor.name}", NAME_LIMIT)
        head = f"<b>{name}</b> · {html.escape(vocab.label('actor_type', actor.type, lang))}"
        hover, symbols = [], []
        for review, _day, influence, stance, source, read_at in rows:
            symbols.append(STANCE_SYMBOL.get(stance, "diamond"))
            stance_label = html.escape(vocab.label("stance", stance, lang))
            origin = _origin(source, read_at, lang)
            reading = f"{influence_word} {influence} · {stance_title}: {stance_label} ({origin})"
            hover.append("<br>".join([head, review_lines[review], reading]))
        traces.append({
            "type": "scatter", "x": [row[1] for row in rows], "y": [int(row[2]) for row in rows],
            "mode": "lines+markers", "name": name,
            "line": {"color": colour, "width": 3, "dash": DASHES[(n // len(ACTOR_COLOURS)) % len(DASHES)]},
            "marker": {"symbol": symbols, "size": 12, "color": colour},
            "hovertext": hover, "hoverinfo": "text"})
    traces += [_legend_key(vocab.label("stance", stance, lang), symbol, "stance",
                           stance_title if i == 0 else None)
               for i, (stance, symbol) in enumerate(STANCE_SYMBOL.items())]
    fig = go.Figure(data=traces)
    _layout(fig, title,
            translate("trends.actor_axis", lang))
    fig.update_yaxes(range=[0.7, 5.3], dtick=1)
    _review_events(fig, reviews, lang)
    return fig


# ------------------------------------------------------------------------------- monitoring
def monitoring_heatmap(analysis: Analysis, lang: str = "en") -> Chart:
    """DNH criteria × reviews, each cell coloured and labelled by its rating (blank: not rated).

    Parameters
    ----------
    analysis : Analysis
    lang : str

    Returns
    -------
    plotly.graph_objects.Figure or ChartMessage

    Examples
    --------
    >>> from dnh_graph.timeline import _example_analysis
    >>> fig = monitoring_heatmap(_example_analysis())
    >>> fig.data[0].text[0]
    ['Low', '', 'High']
    """
    reviews = timeline.reviews_in_order(analysis)
    if not reviews:
        return _no_review(lang)
    if not analysis.monitoring:
        return ChartMessage(translate("trends.no_ratings", lang))
    if len(reviews) == 1:
        return ChartMessage(translate("trends.one_review_ratings", lang))
    matrix = timeline.monitoring_matrix(analysis)
    detail = {(m.criterion, m.review): m for m in analysis.monitoring}
    columns = [f"{safe_text(r.key, LABEL_LIMIT)}<br>{r.date:%Y-%m}" for r in reviews]
    criteria = list(matrix.index)
    z, text, hover = [], [], []
    for criterion in criteria:
        z_row, text_row, hover_row = [], [], []
        criterion_label = vocab.label("criterion", criterion, lang)
        for review in reviews:
            rating = matrix.at[criterion, review.key]
            z_row.append(RATING_VALUE.get(rating))
            text_row.append(vocab.label("rating", rating, lang) if rating else "")
            lines = [f"<b>{html.escape(criterion_label)}</b>",
                     _review_line(review.key, review.title, review.date)]
            if rating:
                entry = detail[(criterion, review.key)]
                lines.append(f"{translate('trends.rating', lang)}: <b>{vocab.label('rating', rating, lang)}</b>")
                if entry.evidence:
                    lines.append(f"{translate('trends.evidence', lang)}: {safe_text(entry.evidence)}")
                if entry.recommendation:
                    lines.append(f"{translate('trends.recommendation', lang)}: "
                                 f"{safe_text(entry.recommendation)}")
            else:
                lines.append(translate("trends.not_rated", lang))
            hover_row.append("<br>".join(lines))
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    fig = go.Figure(go.Heatmap(
        z=z, x=columns, y=[html.escape(vocab.label("criterion", c, lang)) for c in criteria],
        text=text, texttemplate="%{text}", textfont={"size": FONT_SIZE}, hovertext=hover, hoverinfo="text",
        zmin=1, zmax=3, colorscale=RATING_SCALE, showscale=False, xgap=3, ygap=3, hoverongaps=True))
    _layout(fig, translate("trends.monitoring_title", lang), "")
    fig.update_layout(margin={"t": 60, "l": 20}, plot_bgcolor=styles.PAPER)
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    fig.update_xaxes(type="category", showgrid=False, tickangle=0, tickfont={"size": SMALL_FONT},
                     automargin=True)
    return fig
