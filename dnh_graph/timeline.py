"""How the context and the intervention's effects shift over successive reviews (docs/method.md).

Pure functions over :class:`dnh_graph.model.Analysis`: the Reviews, Trends and Monitoring screens, the
report and ``dnh trends`` all read their figures from here.

Decisions (the contract leaves these open; tests pin them):

- **As of a review** is :mod:`dnh_graph.asof`, the rule every view shares: reviews by date then key,
  each factor or actor takes its reading in the last review at or before ``r`` in that order (a
  review always sees its own readings; a later review of the same date does not count at ``r``).
- **Carried-forward values** are explicit. :func:`factor_series` gives, at every review, the value
  scores count (docs/method.md; ``strength``: the latest reading on or before the review, 0 with no reading yet)
  next to the reading actually taken at that review (``reading``, missing when none), with ``source``
  saying which: ``"reading"``, ``"carried"`` (from ``read_at``, an earlier or same-date review) or
  ``"none"``.
- **Undated impacts** (no ``observed_on``) were identified when the analysis was made: the
  :func:`impact_timeline` counts them from the start (the earliest of the analysis start date and every
  impact and review date), so its last cumulative row equals the analysis totals (docs/method.md).
- **Appeared / disappeared**: strength 0 means absent (README.md#data-model) and a factor with no reading counts
  0, so a factor *appears* when it goes from 0 to more, and *disappears* when it goes to 0.

The examples use ``_example_analysis()``: dividers D1 (priority 3) and D2 (priority 5), connector C1
(priority 2), reviews R1 (2024-01-15), R2 (2024-04-15) and R3 (2024-07-15).

Examples
--------
>>> analysis = _example_analysis()
>>> [(t["review"], t["pressure"], t["capacity"]) for t in trends(analysis)]
[('R1', 6, 2), ('R2', 21, 2), ('R3', 24, 6)]
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pandas as pd

from dnh_graph import asof, scoring, vocab
from dnh_graph.i18n import translate
from dnh_graph.model import (
    Actor,
    ActorReading,
    Analysis,
    AnalysisInfo,
    Detail,
    Factor,
    FactorReading,
    Impact,
    Monitoring,
    Review,
)

__all__ = [
    "STALE_MESSAGE",
    "reviews_in_order",
    "readings_at",
    "strength_at",
    "trends",
    "trends_json",
    "factor_series",
    "readings_grid",
    "actor_series",
    "prefill_readings",
    "impact_timeline",
    "what_changed",
    "stale_factors",
    "monitoring_series",
    "monitoring_matrix",
    "unrated_criteria",
]

STALE_MESSAGE = translate("trends.stale_message", "en")  # the English of the catalog, for the CLI and tests

FACTOR_SERIES_COLUMNS = ["review", "date", "factor", "name", "kind", "category", "priority", "strength",
                         "reading", "source", "read_at", "note"]
ACTOR_SERIES_COLUMNS = ["review", "date", "actor", "name", "type", "influence", "stance", "source",
                        "read_at"]
IMPACT_TIMELINE_COLUMNS = ["date", "undated", "impacts", "harm", "help", "net", "cum_harm", "cum_help",
                           "cum_net", "items"]
MONITORING_COLUMNS = ["review", "date", "criterion", "rating", "evidence", "recommendation"]


# ------------------------------------------------------------------------------------- reviews
reviews_in_order = asof.reviews_in_order
_review = asof.review


def _factor_snapshots(analysis: Analysis) -> list[tuple[Review, dict[str, FactorReading]]]:
    return list(asof.snapshots(analysis, analysis.factor_readings, "factor"))


def _actor_snapshots(analysis: Analysis) -> list[tuple[Review, dict[str, ActorReading]]]:
    return list(asof.snapshots(analysis, analysis.actor_readings, "actor"))


def readings_at(analysis: Analysis, review_key: str) -> dict[str, FactorReading]:
    """The reading in effect for each factor at a review (:mod:`dnh_graph.asof`).

    Factors with no reading yet are left out (see :func:`strength_at` for the values the scores count).

    Parameters
    ----------
    analysis : Analysis
    review_key : str

    Returns
    -------
    dict
        factor key -> :class:`FactorReading` (its ``review`` says where it was taken).

    Raises
    ------
    LookupError
        When the review is not in the analysis.

    Examples
    --------
    >>> {k: (r.review, r.strength) for k, r in readings_at(_example_analysis(), "R2").items()}
    {'D1': ('R1', 2), 'C1': ('R1', 1), 'D2': ('R2', 3)}
    """
    return asof.factor_readings(analysis, review_key)


def strength_at(analysis: Analysis, review_key: str) -> dict[str, int]:
    """The strength the scores count (docs/method.md) for every factor at a review.

    Each factor takes its latest reading on or before the review's date; a factor with no reading yet
    counts 0. See the module notes for reviews that share a date.

    Parameters
    ----------
    analysis : Analysis
    review_key : str

    Returns
    -------
    dict
        factor key -> strength 0–5, for every factor, in the analysis's factor order.

    Examples
    --------
    >>> strength_at(_example_analysis(), "R1")
    {'D1': 2, 'D2': 0, 'C1': 1}
    """
    state = readings_at(analysis, review_key)
    return {f.key: state[f.key].strength if f.key in state else 0 for f in analysis.factors}


# -------------------------------------------------------------------------------------- trends
def trends(analysis: Analysis) -> list[dict]:
    """Context pressure and capacity for peace at each review, in review order (docs/method.md).

    ``pressure(r) = Σ strength × priority`` over dividers, ``capacity(r)`` the same over connectors,
    each factor taking its latest reading on or before ``r``'s date (0 with none).

    Parameters
    ----------
    analysis : Analysis

    Returns
    -------
    list of dict
        ``{"review": key, "date": datetime.date, "pressure": int, "capacity": int}``.

    Examples
    --------
    >>> trends(_example_analysis())[0]
    {'review': 'R1', 'date': datetime.date(2024, 1, 15), 'pressure': 6, 'capacity': 2}
    """
    factors = analysis.factors
    result = []
    for review, state in _factor_snapshots(analysis):
        totals = {"divider": 0, "connector": 0}
        for factor in factors:
            reading = state.get(factor.key)
            if reading is not None and factor.kind in totals:
                totals[factor.kind] += scoring.contribution(reading.strength, factor.priority)
        result.append({"review": review.key, "date": review.date,
                       "pressure": totals["divider"], "capacity": totals["connector"]})
    return result


def trends_json(analysis: Analysis) -> list[dict]:
    """What ``dnh trends KEY --json`` prints: :func:`trends` with ISO dates.

    Parameters
    ----------
    analysis : Analysis

    Returns
    -------
    list of dict
        ``[{"review": str, "date": "YYYY-MM-DD", "pressure": int, "capacity": int}, ...]`` in date order.

    Examples
    --------
    >>> import json
    >>> json.dumps(trends_json(_example_analysis())[-1])
    '{"review": "R3", "date": "2024-07-15", "pressure": 24, "capacity": 6}'
    """
    return [{"review": t["review"], "date": t["date"].isoformat(), "pressure": int(t["pressure"]),
             "capacity": int(t["capacity"])} for t in trends(analysis)]


def _source(review_key: str, reading) -> tuple[str, str | None]:
    if reading is None:
        return "none", None
    return ("reading" if reading.review == review_key else "carried"), reading.review


def factor_series(analysis: Analysis) -> pd.DataFrame:
    """Every factor at every review, in long form, with carried-forward values marked.

    Parameters
    ----------
    analysis : Analysis

    Returns
    -------
    pandas.DataFrame
        One row per (review, factor), reviews in order then factors in analysis order, columns
        ``review, date, factor, name, kind, category, priority, strength, reading, source, read_at,
        note``. ``strength`` is the value the scores count (docs/method.md: ``Σ strength × priority`` over
        dividers is the pressure); ``reading`` is the strength recorded at this very review (``<NA>`` when
        none); ``source`` is ``"reading"``, ``"carried"`` or ``"none"``; ``read_at`` is the review
        of the reading in effect (missing when none) and ``note`` that reading's note.

    Examples
    --------
    >>> df = factor_series(_example_analysis())
    >>> d1 = df[df.factor == "D1"]
    >>> print(d1[["review", "strength", "reading", "source", "read_at"]].to_string(index=False))
    review  strength  reading  source read_at
        R1         2        2 reading      R1
        R2         2     <NA> carried      R1
        R3         3        3 reading      R3
    """
    own = {(r.review, r.factor): r.strength for r in analysis.factor_readings}
    rows = []
    for review, state in _factor_snapshots(analysis):
        for factor in analysis.factors:
            reading = state.get(factor.key)
            source, read_at = _source(review.key, reading)
            rows.append((review.key, review.date, factor.key, factor.name, factor.kind, factor.category,
                         factor.priority, reading.strength if reading else 0,
                         own.get((review.key, factor.key)), source, read_at,
                         reading.note if reading else ""))
    df = pd.DataFrame(rows, columns=FACTOR_SERIES_COLUMNS)
    df["reading"] = df["reading"].astype("Int64")
    df["strength"] = df["strength"].astype("int64")
    df["priority"] = df["priority"].astype("int64")
    return df


def readings_grid(analysis: Analysis, value: str = "strength") -> pd.DataFrame:
    """The readings grid of the Reviews screen: factors × reviews, readings actually taken.

    Parameters
    ----------
    analysis : Analysis
    value : {"strength", "note"}
        ``strength`` gives nullable integers (``<NA>``: not read at that review), ``note`` gives text
        (empty when not read).

    Returns
    -------
    pandas.DataFrame
        Index: factor keys in analysis order; columns: review keys in review order.

    Examples
    --------
    >>> readings_grid(_example_analysis()).loc["D2"].tolist()
    [<NA>, 3, 3]
    """
    if value not in ("strength", "note"):
        raise ValueError(f"value must be 'strength' or 'note' (got {value!r}).")
    columns = [r.key for r in reviews_in_order(analysis)]
    index = [f.key for f in analysis.factors]
    cells: dict[str, dict[str, object]] = {c: {} for c in columns}
    for reading in analysis.factor_readings:
        if reading.review in cells:
            cells[reading.review][reading.factor] = getattr(reading, value)
    if value == "strength":
        data = {c: pd.array([cells[c].get(k) for k in index], dtype="Int64") for c in columns}
    else:
        data = {c: [cells[c].get(k, "") for k in index] for c in columns}
    return pd.DataFrame(data, index=pd.Index(index, name="factor"), columns=pd.Index(columns, name="review"))


def actor_series(analysis: Analysis) -> pd.DataFrame:
    """Every actor's influence and stance at every review, in long form.

    Same rule as factors: the latest actor reading on or before the review's date. An actor with no
    reading yet has ``influence``, ``stance`` and ``read_at`` missing and ``source`` ``"none"`` (the actor
    record's own influence is today's estimate, not a past one).

    Parameters
    ----------
    analysis : Analysis

    Returns
    -------
    pandas.DataFrame
        Columns ``review, date, actor, name, type, influence, stance, source, read_at``.

    Examples
    --------
    >>> df = actor_series(_example_analysis())
    >>> print(df[["review", "actor", "influence", "stance", "source"]].to_string(index=False))
    review actor  influence   stance  source
        R1    A1          4  neutral reading
        R2    A1          4  neutral carried
        R3    A1          2 supports reading
    """
    rows = []
    for review, state in _actor_snapshots(analysis):
        for actor in analysis.actors:
            reading = state.get(actor.key)
            source, read_at = _source(review.key, reading)
            rows.append((review.key, review.date, actor.key, actor.name, actor.type,
                         reading.influence if reading else None, reading.stance if reading else None,
                         source, read_at))
    df = pd.DataFrame(rows, columns=ACTOR_SERIES_COLUMNS)
    df["influence"] = df["influence"].astype("Int64")
    return df


def prefill_readings(analysis: Analysis, review_key: str) -> tuple[list[FactorReading], list[ActorReading]]:
    """Readings for a new review, prefilled from the last ones, for quick entry.

    Each factor gets the strength of its latest reading at any other review (notes are not copied:
    a note says what was seen at its own review); factors never read are left out. Each actor gets
    its latest influence and stance, or the actor record's own when never read.

    Parameters
    ----------
    analysis : Analysis
    review_key : str
        The key of the new review (it need not be in the analysis yet; if it is, its own readings are
        ignored).

    Returns
    -------
    (list of FactorReading, list of ActorReading)

    Examples
    --------
    >>> factors, actors = prefill_readings(_example_analysis(), "R4")
    >>> [(r.review, r.factor, r.strength) for r in factors]
    [('R4', 'D1', 3), ('R4', 'D2', 3), ('R4', 'C1', 3)]
    >>> [(r.actor, r.influence, r.stance) for r in actors]
    [('A1', 2, 'supports')]
    """
    others = [r for r in reviews_in_order(analysis) if r.key != review_key]
    rank = {r.key: i for i, r in enumerate(others)}
    latest: dict[str, tuple[int, object]] = {}
    for reading in [*analysis.factor_readings, *analysis.actor_readings]:
        if reading.review in rank:
            item = reading.factor if isinstance(reading, FactorReading) else "actor:" + reading.actor
            if item not in latest or rank[reading.review] > latest[item][0]:
                latest[item] = (rank[reading.review], reading)
    factor_readings = [FactorReading(review_key, f.key, latest[f.key][1].strength)
                       for f in analysis.factors if f.key in latest]
    actor_readings = []
    for actor in analysis.actors:
        found = latest.get("actor:" + actor.key)
        source = found[1] if found else actor
        actor_readings.append(ActorReading(review_key, actor.key, source.influence, source.stance))
    return factor_readings, actor_readings


# ---------------------------------------------------------------------------------- impacts
def impact_timeline(analysis: Analysis) -> pd.DataFrame:
    """Harm and help of the intervention over time, from the dates impacts were observed.

    Weights are ``magnitude × priority`` (docs/method.md); an impact is harmful when it strengthens a
    divider or weakens a connector. Only impacts of active details count. Impacts without
    ``observed_on`` form the first row (``undated`` True), dated at the earliest of the analysis start
    date, the impact dates and the review dates (None when there is no date at all): they are the
    impacts the analysis started from. So the last row's cumulative figures are the analysis totals.

    Parameters
    ----------
    analysis : Analysis

    Returns
    -------
    pandas.DataFrame
        One row per date, in date order, columns ``date, undated, impacts, harm, help, net, cum_harm,
        cum_help, cum_net, items`` (``items``: a tuple of ``(detail, factor, effect, magnitude,
        harmful, evidence)`` per impact of that row).

    Examples
    --------
    >>> df = impact_timeline(_example_analysis())
    >>> print(df[["date", "undated", "harm", "help", "cum_net"]].to_string(index=False))
          date  undated  harm  help  cum_net
    2024-01-01     True    10     0      -10
    2024-05-02    False     0     7       -3
    """
    factors = {f.key: f for f in analysis.factors}
    active = {d.key for d in analysis.details if d.active}
    dated: dict[dt.date, list] = defaultdict(list)
    undated: list = []
    for impact in analysis.impacts:
        factor = factors.get(impact.factor)
        if factor is None or impact.detail not in active:
            continue
        (dated[impact.observed_on] if impact.observed_on else undated).append(impact)
    rows = []
    if undated:
        known = [*dated, *(r.date for r in analysis.reviews)]
        if analysis.info.start_date:
            known.append(analysis.info.start_date)
        start = min(known, default=None)
        if start is not None and start in dated:  # same day as dated impacts: one row, still marked
            undated.extend(dated.pop(start))
        rows.append((start, True, undated))
    rows.extend((day, False, dated[day]) for day in sorted(dated))
    records = []
    cum_harm = cum_help = 0
    for day, is_undated, entries in rows:
        harm, help_ = scoring.harm_help(entries, factors)
        cum_harm += harm
        cum_help += help_
        items = tuple((i.detail, i.factor, i.effect, i.magnitude, vocab.is_harmful(factors[i.factor].kind, i.effect),
                       i.evidence) for i in entries)
        records.append((day, is_undated, len(entries), harm, help_, help_ - harm, cum_harm, cum_help,
                        cum_help - cum_harm, items))
    return pd.DataFrame(records, columns=IMPACT_TIMELINE_COLUMNS)


# ------------------------------------------------------------------------------ what changed
def _better(kind: str, before: int, after: int) -> bool:
    """For a connector stronger is better; for a divider weaker is better."""
    return after > before if kind == "connector" else after < before


def what_changed(analysis: Analysis, from_review: str, to_review: str) -> dict[str, list[dict]]:
    """What got better or worse between two reviews.

    Factors compare their strengths as of both reviews (docs/method.md). A factor *appeared* when it went from 0
    (absent, or no reading yet) to more, *disappeared* when it went to 0; otherwise a rise is
    *better* for a connector and *worse* for a divider, a fall the reverse. Factors never read by
    ``to_review`` are listed as *unread*, not as unchanged. Actors are listed when their influence or
    stance differs between readings in effect at both reviews (an actor first read after
    ``from_review`` has nothing to compare with and is not listed).

    Parameters
    ----------
    analysis : Analysis
    from_review, to_review : str
        Review keys; ``from_review`` is the "before" side whatever the dates.

    Returns
    -------
    dict
        ``better``, ``worse``, ``appeared``, ``disappeared``, ``unchanged``, ``unread``: lists of
        ``{factor, name, kind, category, priority, before, after, change, note}`` (``note``: of the
        reading in effect at ``to_review``), largest ``|change| × priority`` first, then by key;
        ``actors``: ``{actor, name, influence_before, influence_after, stance_before, stance_after}``
        in actor order.

    Examples
    --------
    >>> changed = what_changed(_example_analysis(), "R1", "R3")
    >>> [(r["factor"], r["before"], r["after"]) for r in changed["better"]]
    [('C1', 1, 3)]
    >>> [(r["factor"], r["before"], r["after"]) for r in changed["worse"]]
    [('D1', 2, 3)]
    >>> [r["factor"] for r in changed["appeared"]], [r["actor"] for r in changed["actors"]]
    (['D2'], ['A1'])
    """
    before_state = readings_at(analysis, from_review)
    after_state = readings_at(analysis, to_review)
    result: dict[str, list[dict]] = {k: [] for k in
                                     ("better", "worse", "appeared", "disappeared", "unchanged", "unread")}
    for factor in analysis.factors:
        old, new = before_state.get(factor.key), after_state.get(factor.key)
        before, after = (old.strength if old else 0), (new.strength if new else 0)
        if new is None and old is None:
            group = "unread"
        elif before == after:
            group = "unchanged"
        elif before == 0:
            group = "appeared"
        elif after == 0:
            group = "disappeared"
        else:
            group = "better" if _better(factor.kind, before, after) else "worse"
        result[group].append({"factor": factor.key, "name": factor.name, "kind": factor.kind,
                              "category": factor.category, "priority": factor.priority,
                              "before": before, "after": after, "change": after - before,
                              "note": new.note if new else ""})
    for rows in result.values():
        rows.sort(key=lambda r: (-scoring.contribution(abs(r["change"]), r["priority"]), r["factor"]))

    actors_before = _actor_state(analysis, from_review)
    actors_after = _actor_state(analysis, to_review)
    result["actors"] = []
    for actor in analysis.actors:
        old, new = actors_before.get(actor.key), actors_after.get(actor.key)
        if old and new and (old.influence, old.stance) != (new.influence, new.stance):
            result["actors"].append({"actor": actor.key, "name": actor.name,
                                     "influence_before": old.influence, "influence_after": new.influence,
                                     "stance_before": old.stance, "stance_after": new.stance})
    return result


def _actor_state(analysis: Analysis, review_key: str) -> dict[str, ActorReading]:
    _review(analysis, review_key)
    return next(state for review, state in _actor_snapshots(analysis) if review.key == review_key)


def stale_factors(analysis: Analysis, min_reviews: int = 3) -> list[dict]:
    """Factors whose strength has not moved over the last ``min_reviews`` reviews or more.

    A factor is stale when its strength (docs/method.md) is the same at each of the latest ``min_reviews``
    reviews (carried-forward values included: an indicator nobody updates does not move either) and
    it has been read at least once. Reviews that share a date count one each.

    Parameters
    ----------
    analysis : Analysis
    min_reviews : int, default 3

    Returns
    -------
    list of dict
        ``{factor, name, kind, category, priority, strength, reviews, since_review, since_date,
        readings, message}``: ``reviews`` is the length of the run of equal values ending at the last
        review, starting at ``since_review``; ``readings`` how many readings were taken in it;
        ``message`` is :data:`STALE_MESSAGE`. Longest run first, then higher priority, then key.

    Examples
    --------
    >>> [(s["factor"], s["strength"], s["reviews"]) for s in stale_factors(_example_analysis())]
    []
    >>> [(s["factor"], s["since_review"]) for s in stale_factors(_example_analysis(), min_reviews=2)]
    [('D2', 'R2')]
    """
    if min_reviews < 1:
        raise ValueError(f"min_reviews must be at least 1 (got {min_reviews}).")
    snapshots = _factor_snapshots(analysis)
    if len(snapshots) < min_reviews:
        return []
    read_at = Counter((r.factor, r.review) for r in analysis.factor_readings)
    stale = []
    for factor in analysis.factors:
        values = [state.get(factor.key) for _, state in snapshots]
        strengths = [r.strength if r else 0 for r in values]
        if all(r is None for r in values):
            continue
        run = 1
        while run < len(strengths) and strengths[-run - 1] == strengths[-1]:
            run += 1
        if run < min_reviews:
            continue
        readings = sum(read_at.get((factor.key, review.key), 0) for review, _ in snapshots[-run:])
        first = snapshots[-run][0]
        stale.append({"factor": factor.key, "name": factor.name, "kind": factor.kind,
                      "category": factor.category, "priority": factor.priority, "strength": strengths[-1],
                      "reviews": run, "since_review": first.key, "since_date": first.date,
                      "readings": readings, "message": STALE_MESSAGE})
    stale.sort(key=lambda s: (-s["reviews"], -s["priority"], s["factor"]))
    return stale


# -------------------------------------------------------------------------------- monitoring
def _criteria(analysis: Analysis) -> list[str]:
    known = list(vocab.keys("criterion"))
    extra = sorted({m.criterion for m in analysis.monitoring} - set(known))
    return known + extra


def monitoring_series(analysis: Analysis) -> pd.DataFrame:
    """Every DNH criterion rating with its evidence and recommendation, in review then criterion order.

    Parameters
    ----------
    analysis : Analysis

    Returns
    -------
    pandas.DataFrame
        Columns ``review, date, criterion, rating, evidence, recommendation``; ratings of reviews not
        in the analysis are left out.

    Examples
    --------
    >>> df = monitoring_series(_example_analysis())
    >>> print(df[["review", "criterion", "rating"]].to_string(index=False))
    review          criterion rating
        R1 conflict_sensitive    low
        R3 conflict_sensitive   high
        R3       aware_market medium
    """
    order = {r.key: (i, r) for i, r in enumerate(reviews_in_order(analysis))}
    criterion_rank = {c: i for i, c in enumerate(_criteria(analysis))}
    rows = sorted((m for m in analysis.monitoring if m.review in order),
                  key=lambda m: (order[m.review][0], criterion_rank[m.criterion]))
    return pd.DataFrame([(m.review, order[m.review][1].date, m.criterion, m.rating, m.evidence,
                          m.recommendation) for m in rows], columns=MONITORING_COLUMNS)


def monitoring_matrix(analysis: Analysis) -> pd.DataFrame:
    """DNH criteria × reviews: the rating given at each review (None when unrated).

    Parameters
    ----------
    analysis : Analysis

    Returns
    -------
    pandas.DataFrame
        Index: every criterion of the vocabulary in its order (any unknown one after); columns:
        review keys in review order; values ``"high"``, ``"medium"``, ``"low"`` or None.

    Examples
    --------
    >>> monitoring_matrix(_example_analysis()).loc["conflict_sensitive"].tolist()
    ['low', None, 'high']
    """
    reviews = [r.key for r in reviews_in_order(analysis)]
    criteria = _criteria(analysis)
    ratings = {(m.criterion, m.review): m.rating for m in analysis.monitoring}
    data = {r: pd.Series([ratings.get((c, r)) for c in criteria], index=criteria, dtype=object)
            for r in reviews}
    return pd.DataFrame(data, index=pd.Index(criteria, name="criterion"),
                        columns=pd.Index(reviews, name="review"), dtype=object)


def unrated_criteria(analysis: Analysis, review_key: str) -> list[str]:
    """The DNH criteria not yet rated at a review, in vocabulary order.

    Parameters
    ----------
    analysis : Analysis
    review_key : str

    Returns
    -------
    list of str

    Examples
    --------
    >>> unrated_criteria(_example_analysis(), "R3")
    ['aware_theft_diversion', 'aware_distribution', 'aware_substitution', 'aware_legitimization', \
'me_captures_unintended']
    """
    _review(analysis, review_key)
    rated = {m.criterion for m in analysis.monitoring if m.review == review_key}
    return [c for c in vocab.keys("criterion") if c not in rated]


# ----------------------------------------------------------------------------------- example
def _example_analysis() -> Analysis:
    """The small analysis of the examples (see the module docstring)."""
    day = dt.date
    return Analysis(
        info=AnalysisInfo("example", "Example", start_date=day(2024, 1, 1)),
        actors=[Actor("A1", "Fishers' association", "community_group")],
        factors=[Factor("D1", "divider", "Land disputes", "experiences", priority=3),
                 Factor("D2", "divider", "Patrol fees", "systems_institutions", priority=5),
                 Factor("C1", "connector", "Shared market", "systems_institutions", priority=2)],
        details=[Detail("X1", "with_whom"), Detail("X2", "what")],
        impacts=[Impact("X1", "D2", "strengthens", 2, "resource_transfer"),
                 Impact("X1", "D1", "weakens", 1, "staff_behaviour", observed_on=day(2024, 5, 2)),
                 Impact("X2", "C1", "strengthens", 2, "resource_transfer", observed_on=day(2024, 5, 2))],
        reviews=[Review("R1", day(2024, 1, 15), "Baseline"),
                 Review("R2", day(2024, 4, 15), "Q2", "Floods"),
                 Review("R3", day(2024, 7, 15), "Q3")],
        factor_readings=[FactorReading("R1", "D1", 2, "tense"), FactorReading("R1", "C1", 1),
                         FactorReading("R2", "D2", 3), FactorReading("R3", "D1", 3),
                         FactorReading("R3", "D2", 3), FactorReading("R3", "C1", 3)],
        actor_readings=[ActorReading("R1", "A1", 4, "neutral"), ActorReading("R3", "A1", 2, "supports")],
        monitoring=[Monitoring("R1", "conflict_sensitive", "low"),
                    Monitoring("R3", "conflict_sensitive", "high"),
                    Monitoring("R3", "aware_market", "medium")],
    )
