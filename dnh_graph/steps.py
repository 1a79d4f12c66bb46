"""Where a team stands in the seven DNH steps, and what is still missing (no streamlit here).

The sidebar's step indicator and the Overview's "still missing" list both come from here, so they
always agree. Texts are message ids of the translation catalog (``steps.*``, ``missing.*``); the
screen translates them. ``page`` names the screen where the gap is filled (a page id of the app), and
``keys`` the rows concerned (``sheet`` says which table), so the screen can link to the fix and name
what to look at.

Step 7 counts only options that were actually tried (:data:`TESTED`): an option chosen or rejected
on paper has not been tested, and counting it would tell a team its work is done when it is not.

Examples
--------
>>> from dnh_graph.model import Analysis, AnalysisInfo, Factor
>>> a = Analysis(AnalysisInfo("x", "X"), factors=[Factor("D1", "divider", "Land", "experiences")])
>>> [(s.number, s.count, s.done) for s in progress(a)][:3]
[(1, 0, False), (2, 1, True), (3, 0, False)]
>>> [g.msgid for g in missing(a)][:2]
['missing.context', 'missing.actors']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dnh_graph.model import Analysis
from dnh_graph.vocab import is_harmful

__all__ = ["Step", "Gap", "TESTED", "progress", "missing"]

# The statuses of an option that has been tried in practice (DNH step 7: test the options).
TESTED = frozenset({"testing", "adopted"})


@dataclass(frozen=True)
class Step:
    number: int  # 1..7, the DNH steps (docs/method.md)
    msgid: str  # the step's name in the catalog
    count: int  # how many rows the step holds
    done: bool
    page: str  # the page id where the step is done


@dataclass(frozen=True)
class Gap:
    msgid: str
    page: str
    params: dict = field(default_factory=dict)
    keys: tuple[str, ...] = ()  # the rows concerned, in the order of the analysis
    sheet: str = ""  # the table ``keys`` belong to


def progress(analysis: Analysis) -> list[Step]:
    """The seven DNH steps with what each holds."""
    a = analysis
    dividers = sum(1 for f in a.factors if f.kind == "divider")
    connectors = len(a.factors) - dividers
    tested = sum(1 for o in a.options if o.status in TESTED)
    context = bool(a.info.context.strip() or a.info.conflict.strip())
    return [
        Step(1, "steps.context", len(a.actors), context and bool(a.actors), "context_actors"),
        Step(2, "steps.dividers", dividers, dividers > 0, "factors"),
        Step(3, "steps.connectors", connectors, connectors > 0, "factors"),
        Step(4, "steps.details", len(a.details), bool(a.details), "intervention"),
        Step(5, "steps.impacts", len(a.impacts), bool(a.impacts), "impacts"),
        Step(6, "steps.options", len(a.options), bool(a.options), "options"),
        Step(7, "steps.test", tested, tested > 0, "options"),
    ]


def missing(analysis: Analysis) -> list[Gap]:
    """What a DNH practitioner would ask for next, in the order of the method."""
    a = analysis
    gaps: list[Gap] = []
    if not (a.info.context.strip() or a.info.conflict.strip()):
        gaps.append(Gap("missing.context", "context_actors"))
    if not a.actors:
        gaps.append(Gap("missing.actors", "context_actors"))
    elif len(a.actors) > 1 and not a.relationships:
        gaps.append(Gap("missing.relationships", "context_actors"))
    kinds = {f.kind for f in a.factors}
    if "divider" not in kinds:
        gaps.append(Gap("missing.dividers", "factors"))
    if "connector" not in kinds:
        gaps.append(Gap("missing.connectors", "factors"))
    linked = {fa.factor for fa in a.factor_actors}
    unlinked = tuple(f.key for f in a.factors if f.key not in linked)
    if a.factors and a.actors and unlinked:
        gaps.append(Gap("missing.factor_actors", "factors", {"n": len(unlinked)}, unlinked, "factors"))
    if not a.details:
        gaps.append(Gap("missing.details", "intervention"))
    if a.details and a.factors:
        if not a.impacts:
            gaps.append(Gap("missing.impacts", "impacts"))
        else:
            assessed = {i.detail for i in a.impacts}
            silent = tuple(d.key for d in a.details if d.active and d.key not in assessed)
            if silent:
                gaps.append(Gap("missing.details_without_impact", "impacts", {"n": len(silent)}, silent, "details"))
    kinds_by_key = {f.key: f.kind for f in a.factors}
    active = {d.key for d in a.details if d.active}  # an inactive detail is no longer done: no option needed
    harmful = {i.detail for i in a.impacts
               if i.detail in active and is_harmful(kinds_by_key.get(i.factor, ""), i.effect)}
    with_option = {o.detail for o in a.options}
    without = tuple(d.key for d in a.details if d.key in harmful and d.key not in with_option)
    if without:
        gaps.append(Gap("missing.options", "options", {"n": len(without)}, without, "details"))
    untested = tuple(o.key for o in a.options if o.status == "chosen")
    if untested:
        gaps.append(Gap("missing.tests", "options", {"n": len(untested)}, untested, "options"))
    if not a.reviews:
        gaps.append(Gap("missing.reviews", "reviews"))
    return gaps
