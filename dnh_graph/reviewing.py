"""What the Reviews, Trends and Monitoring screens edit and show, as plain tables (no streamlit here).

Three grids edit the rows of one review, one row per item whether it was recorded or not: the
strength of every divider and connector (``factor_readings``), the influence and stance of every actor
(``actor_readings``) and the rating of every DNH criterion (``monitoring``). A row left blank is "not
recorded at this review"; :func:`review_changes` turns the edited grid into the inserts, updates and
deletes of one :meth:`Store.save_rows` call, every row parsed by :func:`dnh_graph.model.parse_row` so
the grid refuses exactly what an import refuses.

:func:`create_review` adds a review and its prefilled readings (quick entry) without leaving a review
behind when its readings are refused.

Examples
--------
>>> from dnh_graph.timeline import _example_analysis
>>> analysis = _example_analysis()
>>> frame = factor_readings_frame(analysis, "R2")
>>> frame[["factor", "previous", "strength"]].values.tolist()
[['D1', 2, <NA>], ['D2', <NA>, 3], ['C1', 1, <NA>]]
>>> rows = frame.to_dict("records")
>>> rows[0]["strength"] = 4
>>> rows[1]["strength"] = None
>>> changes = review_changes("factor_readings", analysis, "R2", rows)
>>> [(r.factor, r.strength) for r in changes.upserts], [r.factor for r in changes.deletes]
([('D1', 4)], ['D2'])
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from dnh_graph import timeline, vocab
from dnh_graph.editing import GridChanges, clean_cell, next_keys
from dnh_graph.i18n import translate
from dnh_graph.model import Analysis, Problem, Review, parse_row

__all__ = [
    "PER_REVIEW",
    "previous_review",
    "next_review_key",
    "factor_readings_frame",
    "actor_readings_frame",
    "monitoring_frame",
    "review_changes",
    "create_review",
    "changes_frame",
    "actor_changes_frame",
    "stale_frame",
]

# sheet -> (the column naming the item, the columns a person fills in)
PER_REVIEW: dict[str, tuple[str, tuple[str, ...]]] = {
    "factor_readings": ("factor", ("strength", "note")),
    "actor_readings": ("actor", ("influence", "stance")),
    "monitoring": ("criterion", ("rating", "evidence", "recommendation")),
}
CHANGE_GROUPS = ("worse", "better", "appeared", "disappeared")


def _review(analysis: Analysis, review_key: str) -> Review:
    found = analysis.by_key("reviews").get(review_key)
    if found is None:
        raise LookupError(f"Review '{review_key}' is not in analysis '{analysis.key}'.")
    return found


def previous_review(analysis: Analysis, review_key: str) -> Review | None:
    """The review just before ``review_key`` in date order (None for the first).

    >>> from dnh_graph.timeline import _example_analysis
    >>> previous_review(_example_analysis(), "R2").key, previous_review(_example_analysis(), "R1")
    ('R1', None)
    """
    order = timeline.reviews_in_order(analysis)
    position = [r.key for r in order].index(_review(analysis, review_key).key)
    return order[position - 1] if position else None


def next_review_key(analysis: Analysis) -> str:
    """The next free ``R<n>`` key.

    >>> from dnh_graph.timeline import _example_analysis
    >>> next_review_key(_example_analysis())
    'R4'
    """
    return next(next_keys("R", [r.key for r in analysis.reviews]))


def _earlier(analysis: Analysis, review_key: str, readings: Iterable, attr: str) -> dict[str, Any]:
    """item -> its latest reading at a review that comes before ``review_key`` in review order."""
    order = [r.key for r in timeline.reviews_in_order(analysis)]
    rank = {key: i for i, key in enumerate(order[: order.index(_review(analysis, review_key).key)])}
    latest: dict[str, tuple[int, Any]] = {}
    for reading in readings:
        if reading.review in rank:
            item = getattr(reading, attr)
            if item not in latest or rank[reading.review] > latest[item][0]:
                latest[item] = (rank[reading.review], reading)
    return {item: reading for item, (_, reading) in latest.items()}


def _own(readings: Iterable, review_key: str, attr: str) -> dict[str, Any]:
    return {getattr(r, attr): r for r in readings if r.review == review_key}


def _meta(own: Mapping[str, Any], keys: list[str]) -> dict[str, pd.array]:
    return {"id": pd.array([own[k].id if k in own else None for k in keys], dtype="Int64"),
            "version": pd.array([own[k].version if k in own else None for k in keys], dtype="Int64")}


def factor_readings_frame(analysis: Analysis, review_key: str, lang: str = "en") -> pd.DataFrame:
    """One row per divider and connector: its strength and note at this review (empty: not read).

    Columns ``factor, name, kind, priority, previous, strength, note, id, version``: ``kind`` is the
    translated label, ``previous`` the strength of the factor's latest reading at an earlier review.
    """
    own = _own(analysis.factor_readings, review_key, "factor")
    before = _earlier(analysis, review_key, analysis.factor_readings, "factor")
    keys = [f.key for f in analysis.factors]
    return pd.DataFrame({
        "factor": pd.array(keys, dtype="str"),
        "name": pd.array([f.name for f in analysis.factors], dtype="str"),
        "kind": pd.array([vocab.label("factor_kind", f.kind, lang) for f in analysis.factors], dtype="str"),
        "priority": pd.array([f.priority for f in analysis.factors], dtype="Int64"),
        "previous": pd.array([before[k].strength if k in before else None for k in keys], dtype="Int64"),
        "strength": pd.array([own[k].strength if k in own else None for k in keys], dtype="Int64"),
        "note": pd.array([own[k].note if k in own else "" for k in keys], dtype="str"),
        **_meta(own, keys),
    })


def actor_readings_frame(analysis: Analysis, review_key: str, lang: str = "en") -> pd.DataFrame:
    """One row per actor: influence and stance at this review (empty: not read).

    Columns ``actor, name, type, previous, influence, stance, id, version``: ``previous`` is the latest
    earlier reading as text (``4 · Neutral``), ``stance`` the stored key.
    """
    own = _own(analysis.actor_readings, review_key, "actor")
    before = _earlier(analysis, review_key, analysis.actor_readings, "actor")
    keys = [a.key for a in analysis.actors]
    previous = [f"{before[k].influence} · {vocab.label('stance', before[k].stance, lang)}" if k in before else ""
                for k in keys]
    return pd.DataFrame({
        "actor": pd.array(keys, dtype="str"),
        "name": pd.array([a.name for a in analysis.actors], dtype="str"),
        "type": pd.array([vocab.label("actor_type", a.type, lang) for a in analysis.actors], dtype="str"),
        "previous": pd.array(previous, dtype="str"),
        "influence": pd.array([own[k].influence if k in own else None for k in keys], dtype="Int64"),
        "stance": pd.Series([own[k].stance if k in own else None for k in keys], dtype="object"),
        **_meta(own, keys),
    })


def monitoring_frame(analysis: Analysis, review_key: str, lang: str = "en") -> pd.DataFrame:
    """One row per DNH criterion (docs/method.md#vocabulary): its rating, evidence and recommendation at this review.

    Columns ``criterion, label, rating, evidence, recommendation, id, version`` (``label``: the
    criterion in words; ``rating`` None when not rated).
    """
    own = _own(analysis.monitoring, review_key, "criterion")
    keys = list(vocab.keys("criterion"))
    keys += sorted(k for k in own if k not in keys)  # a criterion from an older vocabulary stays editable
    return pd.DataFrame({
        "criterion": pd.array(keys, dtype="str"),
        "label": pd.array([vocab.label("criterion", k, lang) for k in keys], dtype="str"),
        "rating": pd.Series([own[k].rating if k in own else None for k in keys], dtype="object"),
        "evidence": pd.array([own[k].evidence if k in own else "" for k in keys], dtype="str"),
        "recommendation": pd.array([own[k].recommendation if k in own else "" for k in keys], dtype="str"),
        **_meta(own, keys),
    })


def _filled(value: Any) -> bool:
    value = clean_cell(value)
    return value is not None and not (isinstance(value, str) and not value.strip())


def review_changes(sheet: str, analysis: Analysis, review_key: str,
                   rows: Iterable[Mapping[str, Any]], lang: str | None = None) -> GridChanges:
    """The saves an edited per-review grid asks for (``sheet``: a key of :data:`PER_REVIEW`).

    A row with any value filled in is a reading (or rating) of this review: inserted when new, updated
    when changed (with the version it was read at). A row emptied of every value deletes the reading.
    An actor reading needs its influence: a stance alone is refused rather than saved with a made-up
    influence. Problems name the grid row (1 = first). A row carrying the ``id``/``version`` it was read
    at is checked against that version (the store refuses it if someone else changed it meanwhile); a
    row read as "not recorded" that someone else recorded meanwhile is refused with a sentence.
    ``lang``: choices may be typed as labels of that language too.
    """
    item_column, value_columns = PER_REVIEW[sheet]
    _review(analysis, review_key)
    own = {getattr(r, item_column): r for r in analysis.rows(sheet) if r.review == review_key}
    upserts, deletes, problems, grid_rows = [], [], [], []
    for number, row in enumerate(rows, start=1):
        item = clean_cell(row.get(item_column))
        existing = own.get(item)
        values = {c: clean_cell(row.get(c)) for c in value_columns}
        if existing is not None and existing.id is not None and "version" in row:  # a stored row, read
            read_id, read_version = clean_cell(row.get("id")), clean_cell(row.get("version"))
            if read_id is None:
                problems.append(Problem(sheet, number, item_column, "problem.recorded_meanwhile"))
                continue
            if read_version is not None:
                existing = dataclasses.replace(existing, version=int(read_version))
        if not any(_filled(v) for v in values.values()):
            if existing is not None:
                deletes.append(existing)
            continue
        if sheet == "actor_readings" and not _filled(values["influence"]):
            problems.append(Problem(sheet, number, "influence", "problem.influence_empty"))
            continue
        record, row_problems = parse_row(sheet, {"review": review_key, item_column: item, **values}, number,
                                         lang=lang)
        if row_problems:
            problems.extend(row_problems)
            continue
        if existing is not None:
            record = dataclasses.replace(record, id=existing.id, version=existing.version)
            if record == existing:
                continue
        upserts.append(record)
        grid_rows.append(number)
    return GridChanges(sheet, upserts, deletes, problems, grid_rows)


def create_review(store, analysis: Analysis, review: Review, prefill: bool = True) -> tuple[int, int]:
    """Add ``review`` and, with ``prefill``, readings copied from the latest ones (quick entry).

    The review and its readings land in one transaction (:meth:`Store.save_changes`): a refused
    reading leaves nothing behind.

    Returns
    -------
    (int, int)
        How many factor readings and actor readings were created.

    Raises
    ------
    InvalidInput
        The review (or a reading) was refused; nothing was saved.
    """
    factor_readings, actor_readings = timeline.prefill_readings(analysis, review.key) if prefill else ([], [])
    store.save_changes(analysis.key, [("reviews", [review], []), ("factor_readings", factor_readings, []),
                                      ("actor_readings", actor_readings, [])])
    return len(factor_readings), len(actor_readings)


# ----------------------------------------------------------------------------------- trends tables


def changes_frame(changed: Mapping[str, list[dict]], lang: str = "en",
                  groups: Iterable[str] = CHANGE_GROUPS) -> pd.DataFrame:
    """The "what changed" table: one row per factor that moved, worse first.

    ``changed`` is :func:`dnh_graph.timeline.what_changed`. Columns ``change_type, factor, name, kind,
    category, priority, before, after, change, note`` with labels in ``lang``.
    """
    rows = []
    for group in groups:
        word = translate(f"trends.group.{group}", lang)
        for r in changed.get(group, []):
            rows.append((word, r["factor"], r["name"], vocab.label("factor_kind", r["kind"], lang),
                         vocab.label("factor_category", r["category"], lang), r["priority"], r["before"],
                         r["after"], r["change"], r["note"]))
    frame = pd.DataFrame(rows, columns=["change_type", "factor", "name", "kind", "category", "priority", "before",
                                        "after", "change", "note"])
    for column in ("priority", "before", "after", "change"):
        frame[column] = frame[column].astype("int64")
    return frame


def actor_changes_frame(changed: Mapping[str, list[dict]], lang: str = "en") -> pd.DataFrame:
    """Actors whose influence or stance changed: ``actor, name, influence, stance`` as ``before → after``."""
    rows = []
    for r in changed.get("actors", []):
        influence = f"{r['influence_before']} → {r['influence_after']}"
        stance = (f"{vocab.label('stance', r['stance_before'], lang)} → "
                  f"{vocab.label('stance', r['stance_after'], lang)}")
        rows.append((r["actor"], r["name"], influence, stance))
    return pd.DataFrame(rows, columns=["actor", "name", "influence", "stance"], dtype="str")


def stale_frame(analysis: Analysis, lang: str = "en", min_reviews: int = 3) -> pd.DataFrame:
    """Factors that have not moved over ``min_reviews`` reviews or more, with the warning for each.

    Columns ``factor, name, kind, strength, reviews, since, message``.
    """
    rows = [(s["factor"], s["name"], vocab.label("factor_kind", s["kind"], lang), s["strength"], s["reviews"],
             f"{s['since_review']} · {s['since_date'].isoformat()}",
             translate("trends.stale_message", lang))
            for s in timeline.stale_factors(analysis, min_reviews)]
    frame = pd.DataFrame(rows, columns=["factor", "name", "kind", "strength", "reviews", "since", "message"])
    for column in ("strength", "reviews"):
        frame[column] = frame[column].astype("int64")
    return frame

