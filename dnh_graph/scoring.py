"""DNH scores, exactly as docs/method.md defines them: harm, help, net, option deltas, ranking, robustness.

Pure functions over :class:`dnh_graph.model.Analysis`; the CLI, the screens and the reports all call
these, so a figure shown anywhere is the figure ``dnh score --json`` prints.

Examples
--------
>>> from dnh_graph.model import Analysis, AnalysisInfo, Factor, Detail, Impact
>>> a = Analysis(AnalysisInfo("x", "X"),
...              factors=[Factor("D1", "divider", "Land", "experiences", priority=4)],
...              details=[Detail("X1", "with_whom")],
...              impacts=[Impact("X1", "D1", "strengthens", 2, "resource_transfer")])
>>> s = score(a)
>>> s.totals
Totals(harm=8, help=0, net=-8)
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import asdict, dataclass

import numpy as np

from dnh_graph.model import Analysis
from dnh_graph.vocab import is_harmful

__all__ = [
    "ROBUSTNESS_SAMPLES",
    "Totals",
    "DetailScore",
    "OptionScore",
    "HarmPathway",
    "Scores",
    "weight",
    "harm_help",
    "detail_scores",
    "totals",
    "option_scores",
    "robustness",
    "harm_pathways",
    "score",
    "scores_json",
]

ROBUSTNESS_SAMPLES = 20_000
ROBUSTNESS_SEED = 20_250_501  # fixed so the same analysis always shows the same robustness


@dataclass(frozen=True)
class Totals:
    harm: int
    help: int
    net: int


@dataclass(frozen=True)
class DetailScore:
    key: str
    active: bool
    harm: int
    help: int
    net: int


@dataclass(frozen=True)
class OptionScore:
    key: str
    detail: str  # "" for an addition
    harm: int
    help: int
    net: int
    delta: int
    rank: int  # 1 = best
    feasibility: int
    cost: int


@dataclass(frozen=True)
class HarmPathway:
    detail: str
    detail_active: bool
    factor: str
    factor_kind: str
    effect: str
    magnitude: int
    priority: int
    weight: int
    mechanism: str
    pattern: str
    actors: tuple[str, ...]  # keys of the actors linked to the factor
    evidence: str


@dataclass(frozen=True)
class Scores:
    analysis: str
    totals: Totals
    details: list[DetailScore]
    options: list[OptionScore]
    robustness: float | None


def weight(magnitude: int, priority: int) -> int:
    """``w(i) = m × p`` (docs/method.md)."""
    return magnitude * priority


def contribution(strength: int, priority: int) -> int:
    """A factor's weight at a review: its strength there × its priority (pressure, capacity, node sizes).

    >>> contribution(3, 4)
    12
    """
    return strength * priority


def harm_help(impacts, factors) -> tuple[int, int]:
    """``(harm, help)`` of some impacts: the sums of ``w(i)`` over the harmful and the helpful ones (docs/method.md).

    ``factors`` maps each factor key to its record. Every figure of harm and help anywhere (a detail, an
    option, a cell of the impact matrix) is this sum.

    Examples
    --------
    >>> from dnh_graph.model import Factor, Impact
    >>> factors = {"D1": Factor("D1", "divider", "Land", "experiences", priority=4)}
    >>> harm_help([Impact("X1", "D1", "strengthens", 2, "resource_transfer"),
    ...            Impact("X1", "D1", "weakens", 1, "staff_behaviour")], factors)
    (8, 4)
    """
    harm = help_ = 0
    for i in impacts:
        f = factors[i.factor]
        w = weight(i.magnitude, f.priority)
        if is_harmful(f.kind, i.effect):
            harm += w
        else:
            help_ += w
    return harm, help_


def detail_scores(analysis: Analysis) -> list[DetailScore]:
    """Every detail, inactive ones too with their own figures, in key order."""
    factors = analysis.by_key("factors")
    by_detail = defaultdict(list)
    for i in analysis.impacts:
        by_detail[i.detail].append(i)
    out = []
    for d in sorted(analysis.details, key=lambda d: d.key):
        harm, help_ = harm_help(by_detail[d.key], factors)
        out.append(DetailScore(d.key, d.active, harm, help_, help_ - harm))
    return out


def totals(details: list[DetailScore]) -> Totals:
    """Sums over active details only: an inactive detail counts in no total."""
    harm = sum(d.harm for d in details if d.active)
    help_ = sum(d.help for d in details if d.active)
    return Totals(harm, help_, help_ - harm)


def _option_base(analysis: Analysis):
    """Per option: the detail's net it is compared with, and its tie-break fields."""
    details = {d.key: d for d in detail_scores(analysis)}
    base = []
    for o in analysis.options:
        detail_net = details[o.detail].net if o.detail else 0
        base.append((o, detail_net))
    return base


def _rank_order(entries):
    """docs/method.md: delta descending, then feasibility descending, cost ascending, key."""
    return sorted(entries, key=lambda e: (-e.delta, -e.feasibility, e.cost, e.key))


def option_scores(analysis: Analysis) -> list[OptionScore]:
    """Options with net, delta against the detail they change, and rank; best first."""
    factors = analysis.by_key("factors")
    by_option = defaultdict(list)
    for oi in analysis.option_impacts:
        by_option[oi.option].append(oi)
    unranked = []
    for o, detail_net in _option_base(analysis):
        harm, help_ = harm_help(by_option[o.key], factors)
        net = help_ - harm
        unranked.append(OptionScore(o.key, o.detail, harm, help_, net, net - detail_net, 0, o.feasibility, o.cost))
    ranked = _rank_order(unranked)
    return [OptionScore(**{**asdict(s), "rank": n}) for n, s in enumerate(ranked, start=1)]


def robustness(analysis: Analysis, samples: int = ROBUSTNESS_SAMPLES, seed: int = ROBUSTNESS_SEED) -> float | None:
    """Share of the ways of moving each predicted magnitude by -1/0/+1 under which the top option stays on top.

    All ``3**k`` ways when that is at most ``samples``, otherwise a seeded random sample of ``samples``
    ways. Only option impacts move; tie-breaks (feasibility, cost, key) are part of "on top".
    None with fewer than two options.
    """
    options = analysis.options
    n = len(options)
    if n < 2:
        return None
    factors = analysis.by_key("factors")
    index = {o.key: j for j, o in enumerate(options)}
    impacts = analysis.option_impacts
    k = len(impacts)
    # Static tie-break rank of each option (feasibility desc, cost asc, key asc): 0 is best.
    static = sorted(range(n), key=lambda j: (-options[j].feasibility, options[j].cost, options[j].key))
    tie_bonus = np.empty(n, dtype=np.int64)
    for position, j in enumerate(static):
        tie_bonus[j] = n - 1 - position
    detail_net = np.array([b for _, b in _option_base(analysis)], dtype=np.int64)
    top = index[option_scores(analysis)[0].key]
    if k == 0:
        return 1.0

    magnitude = np.array([i.magnitude for i in impacts], dtype=np.int64)
    signed_priority = np.array(
        [factors[i.factor].priority * (-1 if is_harmful(factors[i.factor].kind, i.effect) else 1) for i in impacts],
        dtype=np.int64,
    )
    owner = np.array([index[i.option] for i in impacts], dtype=np.int64)

    if 3**k <= samples:
        moves = np.array(list(itertools.product((-1, 0, 1), repeat=k)), dtype=np.int64)
    else:
        moves = np.random.default_rng(seed).integers(-1, 2, size=(samples, k), dtype=np.int64)

    stays = 0
    chunk = max(1, 2_000_000 // max(k, 1))
    for start in range(0, len(moves), chunk):
        block = moves[start : start + chunk]
        contribution = np.clip(magnitude + block, 1, 3) * signed_priority  # (ways, k)
        net = np.zeros((len(block), n), dtype=np.int64)
        np.add.at(net.T, owner, contribution.T)
        delta = net - detail_net
        # Lexicographic (delta, tie-break) as one integer: tie_bonus < n, so delta dominates.
        composite = delta * n + tie_bonus
        stays += int(np.count_nonzero(composite.argmax(axis=1) == top))
    return stays / len(moves)


def harm_pathways(analysis: Analysis, include_inactive: bool = False) -> list[HarmPathway]:
    """Every harmful impact with its detail, factor, mechanism/pattern and linked actors; heaviest first."""
    factors = analysis.by_key("factors")
    details = analysis.by_key("details")
    linked = defaultdict(list)
    for fa in analysis.factor_actors:
        if fa.actor not in linked[fa.factor]:
            linked[fa.factor].append(fa.actor)
    out = []
    for i in analysis.impacts:
        f = factors[i.factor]
        d = details[i.detail]
        if not is_harmful(f.kind, i.effect) or (not d.active and not include_inactive):
            continue
        out.append(HarmPathway(
            i.detail, d.active, i.factor, f.kind, i.effect, i.magnitude, f.priority,
            weight(i.magnitude, f.priority), i.mechanism, i.pattern, tuple(linked[i.factor]), i.evidence,
        ))
    return sorted(out, key=lambda p: (-p.weight, p.detail, p.factor))


def score(analysis: Analysis, with_robustness: bool = True) -> Scores:
    details = detail_scores(analysis)
    return Scores(
        analysis.key,
        totals(details),
        details,
        option_scores(analysis),
        robustness(analysis) if with_robustness else None,
    )


def scores_json(analysis: Analysis) -> dict:
    """The object ``dnh score KEY --json`` prints (docs/file-formats.md)."""
    s = score(analysis)
    return {
        "analysis": s.analysis,
        "totals": asdict(s.totals),
        "details": [{"key": d.key, "active": d.active, "harm": d.harm, "help": d.help, "net": d.net}
                    for d in s.details],
        "options": [{"key": o.key, "detail": o.detail, "net": o.net, "delta": o.delta, "rank": o.rank}
                    for o in s.options],
        "robustness": s.robustness,
    }
