"""Options (DNH steps 6–7): prompts to generate them, their comparison, their testing and redesign.

Pure functions over :class:`dnh_graph.model.Analysis`; every figure comes from :mod:`dnh_graph.scoring`,
so what the Options screen shows is what ``dnh score --json`` prints.

Generate
    :func:`harmful_details` lists each active detail that does harm, with the patterns behind the harm;
    :func:`prompts` gives, for a pattern (or, without one, the mechanism), a few questions in our own
    words that help a team think of another way. The texts live in the translation catalog under
    ``options.prompt.<topic>.<n>``, with their text in ``dnh_graph/locales/en.json``.

Compare
    :func:`comparison` is the side-by-side table (harm, help, net, delta, rank, feasibility, cost, and
    which tie-break placed each option below the one before it); :func:`ranking_robustness` and
    :func:`robustness_sentence` explain how firm the top of the ranking is.

Test and redesign
    The status workflow (idea → chosen → testing → adopted, or rejected; :mod:`dnh_graph.option_status`,
    re-exported here) is enforced by the store on every write of an option, whatever screen or file it
    comes from.

    **Observed impacts** use the fixed data model (no table of their own): what the team saw at a review
    is recorded as ordinary ``impacts`` rows with ``observed_on`` = the review's date and ``evidence``
    saying what was seen, on the detail the option changes. An *addition* has no detail yet: the team
    first adds one whose key is the option's key (:func:`addition_detail`), and records observations on
    it. Side effects often show on other details (the case of a good option that burdened staff shows
    on "by whom"), so :func:`predicted_vs_observed` reads the option's detail by default and takes any
    other details the team names. It compares the option's predicted impacts with the observations of
    one review date, factor by factor, and flags where they differ: direction, magnitude off by one or
    more, an observed impact on a factor that was not predicted, a predicted impact not observed.
    Observations at or before the first review are the baseline (the details as they were when the
    options were thought of), so the default date is the latest date with observations *after* the
    first review; any date can be chosen. Observed impacts are impacts like any other, so they count in
    the detail's figures (docs/method.md).

What if
    :func:`what_if` gives the analysis totals if the options with status chosen, testing or adopted
    (:data:`COUNTED_STATUSES`) replaced their details: the detail's impacts (predicted and observed)
    give way to the option's predicted impacts; an addition becomes a detail of its own. When several
    such options change one detail, the best-ranked one counts and the others are listed as skipped.
    A replaced detail keeps its active flag: an inactive detail counts in no total either way.

Examples
--------
>>> from dnh_graph.model import Analysis, AnalysisInfo, Factor, Detail, Impact, Option, OptionImpact
>>> a = Analysis(AnalysisInfo("x", "X"),
...              factors=[Factor("D1", "divider", "Land", "experiences", priority=4)],
...              details=[Detail("X1", "with_whom")],
...              impacts=[Impact("X1", "D1", "strengthens", 2, "resource_transfer", "distribution")],
...              options=[Option("O1", "Open the list", "X1", status="chosen")],
...              option_impacts=[OptionImpact("O1", "D1", "weakens", 1, "resource_transfer")])
>>> [(h.key, h.harm, h.topics) for h in harmful_details(a)]
[('X1', 8, ('distribution',))]
>>> comparison(a)[["key", "net", "delta", "rank"]].values.tolist()
[['O1', 4, 12, 1]]
>>> what_if(a).after
Totals(harm=0, help=4, net=4)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from dnh_graph import scoring, vocab
from dnh_graph.i18n import translate
from dnh_graph.model import (
    Analysis,
    Detail,
    Impact,
    InvalidInput,
    Option,
    OptionImpact,
    Problem,
    parse_row,
)
from dnh_graph.option_status import STATUS_FLOW, allowed_transitions, status_problems

__all__ = [
    "PROMPT_IDS",
    "GENERIC_TOPIC",
    "prompt_topic",
    "topic_label",
    "prompts",
    "HarmfulDetail",
    "harmful_details",
    "COMPARISON_COLUMNS",
    "ADDITIONS",
    "comparison",
    "ranking_robustness",
    "robustness_is_sampled",
    "robustness_percent",
    "robustness_sentence",
    "STATUS_FLOW",
    "COUNTED_STATUSES",
    "allowed_transitions",
    "status_problems",
    "addition_detail",
    "observation_details",
    "observation_dates",
    "baseline_date",
    "default_observation_date",
    "observation",
    "FLAGS",
    "FactorComparison",
    "predicted_vs_observed",
    "WhatIf",
    "what_if",
]

# ------------------------------------------------------------------------------------ prompts
GENERIC_TOPIC = "_generic"


def _ids(topic: str, count: int) -> tuple[str, ...]:
    return tuple(f"options.prompt.{topic}.{n}" for n in range(1, count + 1))


# Message ids of the questions for each topic: a pattern, or a mechanism when the impact names no
# pattern, or the generic set asked of every harmful detail. Texts: dnh_graph/locales/<lang>.json.
PROMPT_IDS: dict[str, tuple[str, ...]] = {
    "theft_diversion": _ids("theft_diversion", 3),
    "market": _ids("market", 3),
    "distribution": _ids("distribution", 3),
    "substitution": _ids("substitution", 3),
    "legitimization": _ids("legitimization", 3),
    "arms_power": _ids("arms_power", 2),
    "disrespect_mistrust_competition": _ids("disrespect_mistrust_competition", 3),
    "impunity": _ids("impunity", 2),
    "different_value_of_lives": _ids("different_value_of_lives", 2),
    "powerlessness": _ids("powerlessness", 3),
    "belligerence_tension_suspicion": _ids("belligerence_tension_suspicion", 2),
    "publicity": _ids("publicity", 3),
    "resource_transfer": _ids("resource_transfer", 2),
    "implicit_ethical_message": _ids("implicit_ethical_message", 2),
    "staff_behaviour": _ids("staff_behaviour", 2),
    "organisational_action": _ids("organisational_action", 2),
    GENERIC_TOPIC: _ids("generic", 4),
}


def prompt_topic(pattern: str, mechanism: str) -> str:
    """The topic whose questions fit an impact: its pattern, else its mechanism, else the generic set.

    Examples
    --------
    >>> prompt_topic("distribution", "resource_transfer"), prompt_topic("", "staff_behaviour")
    ('distribution', 'staff_behaviour')
    """
    if pattern in PROMPT_IDS:
        return pattern
    if mechanism in PROMPT_IDS:
        return mechanism
    return GENERIC_TOPIC


def topic_label(topic: str, lang: str = "en") -> str:
    """A topic's name as a person reads it (the pattern's or mechanism's label)."""
    if topic == GENERIC_TOPIC:
        return translate("options.prompt.generic_title", lang)
    if topic in vocab.VOCABULARIES["pattern"]:
        return vocab.label("pattern", topic, lang)
    return vocab.label("mechanism", topic, lang)


def prompts(topic: str, lang: str = "en") -> list[str]:
    """The questions of one topic, in the chosen language.

    Examples
    --------
    >>> prompts("distribution")[0]
    'Who else could be included, and on what criteria that everyone can see and check?'
    """
    return [translate(msgid, lang) for msgid in PROMPT_IDS.get(topic, PROMPT_IDS[GENERIC_TOPIC])]


@dataclass(frozen=True)
class HarmfulDetail:
    """A detail that does harm, with what a team needs to think of options for it."""

    key: str
    question: str
    activity: str
    description: str
    harm: int
    help: int
    net: int
    pathways: tuple[scoring.HarmPathway, ...]  # heaviest first
    topics: tuple[str, ...]  # prompt topics behind the harm, heaviest first, each once
    options: tuple[str, ...]  # keys of the options already written for this detail


def harmful_details(analysis: Analysis) -> list[HarmfulDetail]:
    """Every active detail with at least one harmful impact, most harm first (then by key).

    Inactive details are left out: they are no longer done, so there is nothing to change.
    """
    scores = {d.key: d for d in scoring.detail_scores(analysis)}
    by_detail: dict[str, list[scoring.HarmPathway]] = defaultdict(list)
    for pathway in scoring.harm_pathways(analysis):
        by_detail[pathway.detail].append(pathway)
    options_of: dict[str, list[str]] = defaultdict(list)
    for option in analysis.options:
        options_of[option.detail].append(option.key)
    out = []
    for detail in analysis.details:
        pathways = by_detail.get(detail.key)
        if not pathways:
            continue
        topics = tuple(dict.fromkeys(prompt_topic(p.pattern, p.mechanism) for p in pathways))
        s = scores[detail.key]
        out.append(HarmfulDetail(detail.key, detail.question, detail.activity, detail.description,
                                 s.harm, s.help, s.net, tuple(pathways), topics, tuple(options_of[detail.key])))
    return sorted(out, key=lambda h: (-h.harm, h.key))


# ------------------------------------------------------------------------------------ compare
COMPARISON_COLUMNS = ("rank", "key", "title", "detail", "status", "harm", "help", "net", "detail_net", "delta",
                      "feasibility", "cost", "decided_by", "description", "side_effects")
ADDITIONS = ""  # pass as ``detail`` to look at the additions only


def _decided_by(previous: scoring.OptionScore | None, current: scoring.OptionScore) -> str:
    """Which rule of the ranking (docs/method.md) puts ``current`` below ``previous``."""
    if previous is None:
        return ""
    if previous.delta != current.delta:
        return "delta"
    if previous.feasibility != current.feasibility:
        return "feasibility"
    if previous.cost != current.cost:
        return "cost"
    return "key"


def _options_of(analysis: Analysis, detail: str | None) -> Analysis:
    """The analysis with only the options of one detail (None: all of them)."""
    if detail is None:
        return analysis
    kept = [o for o in analysis.options if o.detail == detail]
    keys = {o.key for o in kept}
    return replace(analysis, options=kept, option_impacts=[oi for oi in analysis.option_impacts if oi.option in keys])


def comparison(analysis: Analysis, detail: str | None = None) -> pd.DataFrame:
    """The options side by side, best first, with the figures of :func:`scoring.option_scores`.

    ``detail``: None for every option, a detail key for the options that change it, ``ADDITIONS``
    (``""``) for the additions. ``rank`` is always the rank in the whole analysis (as ``dnh score``
    prints it); ``decided_by`` names the rule that placed an option below the one listed before it
    (``delta``, ``feasibility``, ``cost`` or ``key``; empty for the first).

    Examples
    --------
    >>> from dnh_graph.model import Analysis, AnalysisInfo, Option
    >>> a = Analysis(AnalysisInfo("t", "T"), options=[Option("B", "b", feasibility=3, cost=2),
    ...              Option("A", "a", feasibility=3, cost=2), Option("C", "c", feasibility=4)])
    >>> comparison(a)[["rank", "key", "decided_by"]].values.tolist()
    [[1, 'C', ''], [2, 'A', 'feasibility'], [3, 'B', 'key']]
    """
    options = analysis.by_key("options")
    detail_net = {d.key: d.net for d in scoring.detail_scores(analysis)}
    rows = []
    previous = None
    for s in scoring.option_scores(analysis):
        if detail is not None and s.detail != detail:
            continue
        o = options[s.key]
        rows.append({
            "rank": s.rank, "key": s.key, "title": o.title, "detail": s.detail, "status": o.status,
            "harm": s.harm, "help": s.help, "net": s.net, "detail_net": detail_net[s.detail] if s.detail else 0,
            "delta": s.delta, "feasibility": s.feasibility, "cost": s.cost, "decided_by": _decided_by(previous, s),
            "description": o.description, "side_effects": o.side_effects,
        })
        previous = s
    frame = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
    for column in ("rank", "harm", "help", "net", "detail_net", "delta", "feasibility", "cost"):
        frame[column] = frame[column].astype("int64")
    return frame


def ranking_robustness(analysis: Analysis, detail: str | None = None) -> float | None:
    """:func:`scoring.robustness` of the whole ranking (``detail`` None) or of one detail's options.

    For one detail it is the same measure over the options that change that detail (or the additions):
    "does the best option for this detail stay the best?".
    """
    return scoring.robustness(_options_of(analysis, detail))


def robustness_is_sampled(analysis: Analysis, detail: str | None = None) -> bool:
    """True when the robustness is estimated from a seeded sample (more than 20,000 ways)."""
    sub = _options_of(analysis, detail)
    return 3 ** len(sub.option_impacts) > scoring.ROBUSTNESS_SAMPLES


def robustness_percent(value: float) -> int:
    """The robustness as a whole percentage that never claims more certainty than there is.

    Examples
    --------
    >>> robustness_percent(0.87), robustness_percent(0.999), robustness_percent(0.001), robustness_percent(1.0)
    (87, 99, 1, 100)
    """
    percent = round(value * 100)
    if value < 1 and percent >= 100:
        return 99
    if value > 0 and percent <= 0:
        return 1
    return int(percent)


def robustness_sentence(value: float | None, lang: str = "en", sampled: bool = False) -> str:
    """The robustness figure explained in one sentence.

    Examples
    --------
    >>> robustness_sentence(0.87)
    'The top option stays on top in 87% of the ways the predictions could each be one step off.'
    >>> robustness_sentence(None)
    'With fewer than two options there is no ranking to test.'
    """
    if value is None:
        return translate("options.robustness.none", lang)
    sentence = translate("options.robustness.sentence", lang, percent=robustness_percent(value))
    if sampled:
        sentence += " " + translate("options.robustness.sampled", lang, samples=f"{scoring.ROBUSTNESS_SAMPLES:,}")
    return sentence


# ------------------------------------------------------------------------------------ workflow
# The status workflow itself (STATUS_FLOW, allowed_transitions, status_problems) lives in
# dnh_graph.option_status, where the store enforces it; it is re-exported above.
# The statuses whose options count in the "what if" view: decided on, whether tested yet or not.
COUNTED_STATUSES = ("chosen", "testing", "adopted")


# ---------------------------------------------------------------------------------- observations
def addition_detail(option: Option, question: str = "what", activity: str = "") -> Detail:
    """The detail that carries an addition once the team tries it: same key as the option.

    Examples
    --------
    >>> addition_detail(Option("O4", "Complaint line", description="A phone number")).key
    'O4'
    """
    summary = option.title if not option.description else f"{option.title}: {option.description}"
    return Detail(option.key, question, activity, summary, True)


def observation_details(analysis: Analysis, option_key: str) -> list[str]:
    """The details whose observed impacts are read as the option's by default.

    The detail the option changes; for an addition, the detail with the option's key once it exists.
    """
    option = analysis.by_key("options")[option_key]
    if option.detail:
        return [option.detail]
    return [option.key] if option.key in analysis.by_key("details") else []


def _observed(analysis: Analysis, details: Iterable[str]) -> list[Impact]:
    wanted = set(details)
    return [i for i in analysis.impacts if i.detail in wanted and i.observed_on is not None]


def observation_dates(analysis: Analysis, details: Iterable[str]) -> list[dt.date]:
    """The dates with observed impacts on these details, latest first."""
    return sorted({i.observed_on for i in _observed(analysis, details)}, reverse=True)


def baseline_date(analysis: Analysis) -> dt.date | None:
    """The date of the first review: the analysis the options came out of (None without reviews)."""
    return min((r.date for r in analysis.reviews), default=None)


def default_observation_date(analysis: Analysis, details: Iterable[str]) -> dt.date | None:
    """The latest date with observations on these details after the first review, or None.

    Observations at or before the first review describe the details as they were when the options were
    thought of, not what an option did; a person can still pick such a date explicitly.
    """
    baseline = baseline_date(analysis)
    later = [d for d in observation_dates(analysis, details) if baseline is None or d > baseline]
    return later[0] if later else None


def observation(analysis: Analysis, review: str, detail: str, factor: str, effect: str, magnitude: int,
                mechanism: str, pattern: str = "", confidence: str = "medium", evidence: str = "") -> Impact:
    """An observed impact seen at a review, validated: an ``impacts`` row dated the review's day.

    Raises :class:`InvalidInput` listing every problem (unknown review, detail or factor, bad values).
    """
    raw = {"detail": detail, "factor": factor, "effect": effect, "magnitude": magnitude, "mechanism": mechanism,
           "pattern": pattern, "confidence": confidence, "evidence": evidence}
    reviews = analysis.by_key("reviews")
    problems = []
    if review not in reviews:
        problems.append(Problem.of("impacts", None, "observed_on", "problem.not_in_table", value=review,
                                   table="reviews"))
    else:
        raw["observed_on"] = reviews[review].date
    record, row_problems = parse_row("impacts", raw)
    problems.extend(row_problems)
    for column, table in (("detail", "details"), ("factor", "factors")):
        if raw[column] and raw[column] not in analysis.by_key(table):
            problems.append(Problem.of("impacts", None, column, "problem.not_in_table", value=raw[column],
                                       table=table))
    if problems:
        raise InvalidInput(problems)
    return record


FLAGS = ("direction", "magnitude", "unpredicted", "not_observed")


@dataclass(frozen=True)
class FactorComparison:
    """Predicted against observed impact of one option on one factor.

    Each side is summed over its impacts as a signed magnitude (strengthens +, weakens −): ``effect``
    is its direction ("" when nothing, or when the impacts cancel out) and ``magnitude`` its size.
    """

    factor: str
    name: str
    kind: str
    predicted_effect: str
    predicted_magnitude: int
    observed_effect: str
    observed_magnitude: int
    observed_harmful: bool
    evidence: str  # what was seen, the observations' evidence joined
    flags: tuple[str, ...]  # from FLAGS; empty when prediction and observation agree


def _signed(impacts: Iterable[Impact | OptionImpact]) -> tuple[int, int]:
    """(signed sum, count) of the impacts' magnitudes."""
    total = count = 0
    for i in impacts:
        total += i.magnitude if i.effect == "strengthens" else -i.magnitude
        count += 1
    return total, count


def _direction(signed: int) -> str:
    return "strengthens" if signed > 0 else "weakens" if signed < 0 else ""


def predicted_vs_observed(analysis: Analysis, option_key: str, details: Iterable[str] | None = None,
                          on: dt.date | None = None) -> list[FactorComparison]:
    """The option's predicted impacts against what was observed, one row per factor touched by either.

    ``details``: where to read observations (default :func:`observation_details`); ``on``: the review
    date to compare with (default :func:`default_observation_date`; with no date at all, the rows show the
    predictions and carry no flags). Flags:
    ``direction`` (the observed direction differs from the predicted one), ``magnitude`` (same direction,
    size off by one or more), ``unpredicted`` (observed on a factor with no prediction: the side effect
    nobody expected), ``not_observed`` (predicted, but nothing seen on that factor). Rows in the order of
    the factors table.

    Examples
    --------
    >>> import datetime as dt
    >>> from dnh_graph.model import (Analysis, AnalysisInfo, Factor, Detail, Impact, Option, OptionImpact,
    ...                              Review)
    >>> a = Analysis(AnalysisInfo("x", "X"),
    ...     factors=[Factor("C1", "connector", "School", "experiences"),
    ...              Factor("D1", "divider", "Overwork", "experiences")],
    ...     details=[Detail("X1", "when")], reviews=[Review("R1", dt.date(2024, 1, 10))],
    ...     impacts=[Impact("X1", "C1", "strengthens", 2, "organisational_action", observed_on=dt.date(2024, 6, 1)),
    ...              Impact("X1", "D1", "strengthens", 2, "staff_behaviour", observed_on=dt.date(2024, 6, 1))],
    ...     options=[Option("O1", "Saturdays", "X1", status="adopted")],
    ...     option_impacts=[OptionImpact("O1", "C1", "strengthens", 3, "organisational_action")])
    >>> [(r.factor, r.flags) for r in predicted_vs_observed(a, "O1")]
    [('C1', ('magnitude',)), ('D1', ('unpredicted',))]
    """
    details = observation_details(analysis, option_key) if details is None else list(details)
    if on is None:
        on = default_observation_date(analysis, details)
    observed = [i for i in _observed(analysis, details) if on is not None and i.observed_on == on]
    predicted = [oi for oi in analysis.option_impacts if oi.option == option_key]
    pred_by, obs_by = defaultdict(list), defaultdict(list)
    for oi in predicted:
        pred_by[oi.factor].append(oi)
    for i in observed:
        obs_by[i.factor].append(i)
    rows = []
    for factor in analysis.factors:
        if factor.key not in pred_by and factor.key not in obs_by:
            continue
        p_signed, p_count = _signed(pred_by[factor.key])
        o_signed, o_count = _signed(obs_by[factor.key])
        flags = []
        if on is None:
            pass  # nothing observed yet: nothing to flag
        elif p_count and o_count:
            if _direction(p_signed) != _direction(o_signed):
                flags.append("direction")
            elif abs(abs(p_signed) - abs(o_signed)) >= 1:
                flags.append("magnitude")
        elif o_count:
            flags.append("unpredicted")
        else:
            flags.append("not_observed")
        o_effect = _direction(o_signed)
        rows.append(FactorComparison(
            factor.key, factor.name, factor.kind, _direction(p_signed), abs(p_signed), o_effect, abs(o_signed),
            bool(o_effect) and vocab.is_harmful(factor.kind, o_effect),
            " · ".join(i.evidence for i in obs_by[factor.key] if i.evidence), tuple(flags)))
    return rows


# ------------------------------------------------------------------------------------- what if
@dataclass(frozen=True)
class WhatIf:
    """The analysis totals now and if the counted options replaced their details."""

    before: scoring.Totals
    after: scoring.Totals
    details_before: tuple[scoring.DetailScore, ...]
    details_after: tuple[scoring.DetailScore, ...]
    applied: tuple[tuple[str, str], ...]  # (option, detail it replaces or adds), in rank order
    skipped: tuple[str, ...]  # options of a detail that a better-ranked counted option already replaces


def what_if(analysis: Analysis, statuses: Iterable[str] = COUNTED_STATUSES) -> WhatIf:
    """Totals if the options with these statuses replaced their details (see the module docstring)."""
    statuses = set(statuses)
    options = analysis.by_key("options")
    applied, skipped, taken = [], [], set()
    for s in scoring.option_scores(analysis):  # best first, so the best counted option of a detail wins
        if options[s.key].status not in statuses:
            continue
        target = s.detail or s.key
        if target in taken:
            skipped.append(s.key)
            continue
        taken.add(target)
        applied.append((s.key, target))
    replaced = {detail for _, detail in applied}
    new_details = list(analysis.details)
    known = {d.key for d in new_details}
    impacts = [i for i in analysis.impacts if i.detail not in replaced]
    for option_key, detail in applied:
        if detail not in known:  # an addition not tried yet: it becomes a detail of its own
            new_details.append(addition_detail(options[option_key]))
            known.add(detail)
        impacts.extend(Impact(detail, oi.factor, oi.effect, oi.magnitude, oi.mechanism, oi.pattern, oi.confidence,
                              oi.evidence) for oi in analysis.option_impacts if oi.option == option_key)
    changed = replace(analysis, details=new_details, impacts=impacts)
    before, after = scoring.detail_scores(analysis), scoring.detail_scores(changed)
    return WhatIf(scoring.totals(before), scoring.totals(after), tuple(before), tuple(after), tuple(applied),
                  tuple(skipped))
