""""As of a review": the one rule (docs/method.md) every view uses — trends, network, report and exports.

Reviews are ordered by date, then key. As of review ``r``, each factor (and each actor) takes its
reading in the last review at or before ``r`` in that order, so a review always sees its own readings;
a reading taken at a later review of the same date does not count at ``r``. "Now" (``review=None``) is
after the last review. An impact counts as of ``r`` when it has no ``observed_on`` or was observed on
or before ``r``'s date (impacts carry dates, not reviews).

Examples
--------
>>> import datetime as dt
>>> from dnh_graph.model import Analysis, AnalysisInfo, Factor, FactorReading, Review
>>> day = dt.date(2024, 5, 1)
>>> a = Analysis(AnalysisInfo("x", "X"), factors=[Factor("D1", "divider", "Land", "values_interests")],
...              reviews=[Review("R2", day), Review("R1", day)],
...              factor_readings=[FactorReading("R1", "D1", 4), FactorReading("R2", "D1", 1)])
>>> [r.key for r in reviews_in_order(a)]
['R1', 'R2']
>>> factor_readings(a, "R1")["D1"].strength, factor_readings(a, "R2")["D1"].strength
(4, 1)
>>> factor_readings(a)["D1"].review
'R2'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from dnh_graph.model import ActorReading, Analysis, FactorReading, Review

__all__ = ["UnknownReview", "reviews_in_order", "review", "review_date", "factor_readings", "actor_readings",
           "snapshots", "impact_counts"]


class UnknownReview(ValueError, LookupError):
    """A review key that is not a review of the analysis."""

    def __init__(self, analysis: Analysis, key: str) -> None:
        super().__init__(f"Review '{key}' is not in analysis '{analysis.key}'. Pick one of its reviews.")
        self.key = key


def reviews_in_order(analysis: Analysis) -> list[Review]:
    """The reviews by date, then key."""
    return sorted(analysis.reviews, key=lambda r: (r.date, r.key))


def review(analysis: Analysis, key: str) -> Review:
    """The review ``key`` of the analysis; :class:`UnknownReview` when there is none."""
    for found in analysis.reviews:
        if found.key == key:
            return found
    raise UnknownReview(analysis, key)


def review_date(analysis: Analysis, key: str | None) -> dt.date | None:
    """The date of review ``key``; None for "now"."""
    return None if key is None else review(analysis, key).date


def snapshots(analysis: Analysis, readings: Iterable[Any], subject: str) -> Iterator[tuple[Review, dict[str, Any]]]:
    """For each review in order, {subject key: the reading in effect there}.

    ``subject`` is the reading's field naming what it reads (``"factor"`` or ``"actor"``). Readings of
    reviews or subjects the analysis does not have are ignored. Each snapshot is a new dict.
    """
    known = {r.key for r in (analysis.factors if subject == "factor" else analysis.actors)}
    taken: dict[str, list[Any]] = {}
    for reading in readings:
        if getattr(reading, subject) in known:
            taken.setdefault(reading.review, []).append(reading)
    state: dict[str, Any] = {}
    for found in reviews_in_order(analysis):
        for reading in taken.get(found.key, ()):
            state[getattr(reading, subject)] = reading
        yield found, dict(state)


def _as_of(analysis: Analysis, readings: Iterable[Any], subject: str, key: str | None) -> dict[str, Any]:
    if key is not None:
        review(analysis, key)
    state: dict[str, Any] = {}
    for found, state in snapshots(analysis, readings, subject):  # noqa: B007  (the last one is "now")
        if found.key == key:
            return state
    return state


def factor_readings(analysis: Analysis, review_key: str | None = None) -> dict[str, FactorReading]:
    """Factor key -> the reading in effect as of ``review_key`` (None: now). Unread factors are absent."""
    return _as_of(analysis, analysis.factor_readings, "factor", review_key)


def actor_readings(analysis: Analysis, review_key: str | None = None) -> dict[str, ActorReading]:
    """Actor key -> the reading in effect as of ``review_key`` (None: now). Unread actors are absent."""
    return _as_of(analysis, analysis.actor_readings, "actor", review_key)


def impact_counts(observed_on: dt.date | None, as_of: dt.date | None) -> bool:
    """Whether an impact observed on ``observed_on`` counts as of a review dated ``as_of`` (None: now).

    >>> impact_counts(None, dt.date(2024, 1, 1)), impact_counts(dt.date(2024, 2, 1), dt.date(2024, 1, 1))
    (True, False)
    """
    return observed_on is None or as_of is None or observed_on <= as_of
