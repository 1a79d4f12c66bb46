"""Options (DNH steps 6–7): prompts, comparison, workflow, predicted vs observed, what if."""

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from dnh_graph import io, options, scoring, vocab
from dnh_graph.demo import demo_dir
from dnh_graph.model import (
    Analysis,
    AnalysisInfo,
    Detail,
    Factor,
    Impact,
    InvalidInput,
    Option,
    OptionImpact,
    Review,
)
from tests.factories import rich_analysis

REPO = Path(__file__).resolve().parent.parent
CATALOG = json.loads((REPO / "dnh_graph/locales/en.json").read_text(encoding="utf-8"))
DEMOS = sorted(p.name for p in demo_dir().iterdir() if (p / "analysis.csv").is_file())


# ------------------------------------------------------------------------------------ catalog
def test_every_pattern_and_mechanism_has_prompts():
    for pattern in (*vocab.RESOURCE_TRANSFER_PATTERNS, *vocab.IMPLICIT_ETHICAL_MESSAGE_PATTERNS):
        assert len(options.PROMPT_IDS[pattern]) >= 2, pattern
    for topic in ("staff_behaviour", "organisational_action", options.GENERIC_TOPIC):
        assert options.PROMPT_IDS[topic]


def test_every_prompt_has_an_english_text_of_its_own():
    texts = []
    for ids in options.PROMPT_IDS.values():
        for msgid in ids:
            assert CATALOG.get(msgid), msgid
            texts.append(CATALOG[msgid])
    assert len(texts) == len(set(texts))


def test_every_built_options_message_is_in_the_catalog():
    """Ids built from a key (literal ids are checked for the whole code by tests/test_catalog_ids.py)."""
    for prefix, keys in (("options.decided_by.", ("delta", "feasibility", "cost", "key")),
                         ("options.flag.", options.FLAGS)):
        assert all(prefix + k in CATALOG for k in keys)


def test_prompt_topic_falls_back_from_pattern_to_mechanism_to_generic():
    assert options.prompt_topic("powerlessness", "staff_behaviour") == "powerlessness"
    assert options.prompt_topic("", "organisational_action") == "organisational_action"
    assert options.prompt_topic("", "resource_transfer") == "resource_transfer"
    assert options.prompt_topic("", "unknown") == options.GENERIC_TOPIC
    assert options.topic_label("distribution") == "Distributional effects"
    assert options.topic_label("staff_behaviour") == "Staff behaviour"
    assert options.prompts("nonsense") == options.prompts(options.GENERIC_TOPIC)


# ------------------------------------------------------------------------------------ generate
def test_harmful_details_lists_active_details_with_their_patterns():
    found = {h.key: h for h in options.harmful_details(rich_analysis())}
    # X3 is inactive: no longer done, nothing to change
    assert list(found) == ["X1", "X2"]
    assert (found["X1"].harm, found["X1"].net) == (19, -19)
    assert found["X1"].topics == ("legitimization", "staff_behaviour")
    assert found["X1"].options == ("O1",)
    assert [p.factor for p in found["X1"].pathways] == ["D1", "C1"]
    assert found["X2"].topics == ("distribution",)


def test_harmful_details_empty_analysis():
    assert options.harmful_details(Analysis(AnalysisInfo("e", "E"))) == []


# ------------------------------------------------------------------------------------ compare
def test_comparison_equals_the_engine():
    a = rich_analysis()
    frame = options.comparison(a)
    engine = scoring.option_scores(a)
    assert frame["key"].tolist() == [s.key for s in engine]
    for row, s in zip(frame.itertuples(), engine):
        assert (row.rank, row.harm, row.help, row.net, row.delta, row.feasibility, row.cost) == (
            s.rank, s.harm, s.help, s.net, s.delta, s.feasibility, s.cost)
    assert frame.loc[frame["key"] == "O1", "detail_net"].item() == -19
    assert frame.loc[frame["key"] == "O1", "status"].item() == "chosen"
    assert frame.loc[frame["key"] == "O1", "side_effects"].item() == "more staff time"


@pytest.mark.parametrize("demo", DEMOS)
def test_comparison_equals_dnh_score_json_on_the_demos(demo):
    a = io.read_csv_folder(demo_dir() / demo)
    expected = scoring.scores_json(a)
    frame = options.comparison(a)
    got = [{"key": r.key, "detail": r.detail, "net": r.net, "delta": r.delta, "rank": r.rank}
           for r in frame.itertuples()]
    assert got == expected["options"]
    assert options.ranking_robustness(a) == expected["robustness"]


def test_comparison_for_one_detail_and_for_additions_keeps_the_global_rank():
    a = rich_analysis()
    assert options.comparison(a, "X2")[["key", "rank"]].values.tolist() == [["O2", 2]]
    assert options.comparison(a, options.ADDITIONS)[["key", "rank"]].values.tolist() == [["O3", 3]]
    assert options.comparison(a, "X9").empty


def test_comparison_names_the_tie_break_that_decided():
    a = Analysis(AnalysisInfo("t", "T"), factors=[Factor("C1", "connector", "c", "experiences", 1)],
                 options=[Option("B", "b", feasibility=3, cost=2), Option("A", "a", feasibility=3, cost=2),
                          Option("C", "c", feasibility=3, cost=1), Option("D", "d", feasibility=5, cost=5),
                          Option("E", "e", feasibility=1, cost=1)],
                 option_impacts=[OptionImpact("E", "C1", "strengthens", 3, "organisational_action")])
    frame = options.comparison(a)
    assert frame[["key", "decided_by"]].values.tolist() == [
        ["E", ""], ["D", "delta"], ["C", "feasibility"], ["A", "cost"], ["B", "key"]]


def test_comparison_of_an_empty_analysis_has_the_columns():
    frame = options.comparison(Analysis(AnalysisInfo("e", "E")))
    assert frame.empty and tuple(frame.columns) == options.COMPARISON_COLUMNS


def test_robustness_for_one_detail_is_the_engine_on_that_detail_s_options():
    a = rich_analysis()
    extra = Option("O4", "Nets by lottery", "X2", feasibility=2, cost=1)
    a = replace(a, options=[*a.options, extra],
                option_impacts=[*a.option_impacts, OptionImpact("O4", "C1", "strengthens", 1, "resource_transfer")])
    assert options.ranking_robustness(a) == scoring.robustness(a)
    sub = replace(a, options=[o for o in a.options if o.detail == "X2"],
                  option_impacts=[oi for oi in a.option_impacts if oi.option in {"O2", "O4"}])
    assert options.ranking_robustness(a, "X2") == scoring.robustness(sub)
    assert options.ranking_robustness(a, "X1") is None  # one option: no ranking
    assert not options.robustness_is_sampled(a)


def test_robustness_sentence():
    assert options.robustness_sentence(0.87) == (
        "The top option stays on top in 87% of the ways the predictions could each be one step off.")
    assert "20,000" in options.robustness_sentence(0.5, sampled=True)
    assert options.robustness_sentence(None) == "With fewer than two options there is no ranking to test."
    assert [options.robustness_percent(v) for v in (0, 0.004, 0.5, 0.996, 1)] == [0, 1, 50, 99, 100]


# ------------------------------------------------------------------------------------ workflow
def test_status_flow_covers_every_status_and_stays_in_the_vocabulary():
    statuses = set(vocab.keys("option_status"))
    assert set(options.STATUS_FLOW) == statuses
    for status, targets in options.STATUS_FLOW.items():
        assert set(targets) <= statuses and status not in targets
    assert options.allowed_transitions("idea") == ("chosen", "rejected")
    assert options.allowed_transitions("chosen") == ("testing", "idea", "rejected")
    assert options.allowed_transitions("testing") == ("adopted", "rejected")
    assert options.allowed_transitions("rejected") == ("idea",)
    assert options.allowed_transitions("unknown") == ()


def test_every_status_is_reachable_from_idea():
    reached, frontier = {"idea"}, ["idea"]
    while frontier:
        for nxt in options.allowed_transitions(frontier.pop()):
            if nxt not in reached:
                reached.add(nxt)
                frontier.append(nxt)
    assert reached == set(vocab.keys("option_status"))


def test_status_problems_refuse_a_skipped_step_only():
    before = [Option("O1", "a", id=1, version=1), Option("O2", "b", status="testing", id=2, version=1)]
    after = [replace(before[0], status="adopted"), replace(before[1], status="adopted"),
             Option("O3", "new", status="adopted")]
    problems = options.status_problems(before, after)
    assert [(p.row, p.column) for p in problems] == [(1, "status")]
    assert str(problems[0]) == ("options, row 1, status: option O1 cannot go from Idea to Adopted; from Idea it "
                                "can go to: Chosen, Rejected.")


# ---------------------------------------------------------------------------------- observations
def _observed_analysis() -> Analysis:
    """A good option (sessions on Saturdays) that burdened staff: the example the method teaches."""
    baseline, later = dt.date(2023, 6, 30), dt.date(2024, 6, 28)
    return Analysis(
        AnalysisInfo("s", "Saturdays"),
        factors=[Factor("C4", "connector", "Schooling", "values_interests", 4),
                 Factor("D3", "divider", "Families left alone", "experiences", 3),
                 Factor("D4", "divider", "Shame", "attitudes_actions", 2),
                 Factor("C1", "connector", "Commune committee", "systems_institutions", 3)],
        details=[Detail("X7", "when", "sessions", "School days"), Detail("X9", "by_whom", "sessions", "Case workers")],
        impacts=[Impact("X7", "C4", "weakens", 2, "organisational_action", observed_on=baseline),
                 Impact("X7", "C4", "strengthens", 2, "organisational_action", evidence="no lost lessons",
                        observed_on=later),
                 Impact("X9", "D3", "strengthens", 2, "staff_behaviour", "powerlessness", evidence="tired staff",
                        observed_on=later),
                 Impact("X9", "C1", "weakens", 1, "staff_behaviour", observed_on=later),
                 Impact("X7", "D4", "strengthens", 1, "implicit_ethical_message", observed_on=later)],
        options=[Option("O2", "Saturdays", "X7", status="adopted"), Option("O3", "Trainer", "", status="idea")],
        option_impacts=[OptionImpact("O2", "C4", "strengthens", 3, "organisational_action"),
                        OptionImpact("O2", "D4", "weakens", 1, "implicit_ethical_message"),
                        OptionImpact("O2", "C1", "strengthens", 1, "organisational_action")],
        reviews=[Review("R1", baseline, "Baseline"), Review("R2", later, "Mid-term")],
    )


def _flags(rows):
    return {r.factor: r.flags for r in rows}


def test_predicted_vs_observed_flags_each_kind_of_difference():
    a = _observed_analysis()
    rows = options.predicted_vs_observed(a, "O2", details=["X7", "X9"])
    assert _flags(rows) == {"C4": ("magnitude",), "D3": ("unpredicted",), "D4": ("direction",),
                            "C1": ("direction",)}
    by = {r.factor: r for r in rows}
    assert (by["C4"].predicted_effect, by["C4"].predicted_magnitude) == ("strengthens", 3)
    assert (by["C4"].observed_effect, by["C4"].observed_magnitude) == ("strengthens", 2)
    # the staff burden nobody predicted, on another detail, is harmful
    assert by["D3"].observed_harmful and by["D3"].evidence == "tired staff"
    assert not by["C4"].observed_harmful


def test_predicted_vs_observed_reads_the_option_s_detail_after_the_baseline_by_default():
    a = _observed_analysis()
    assert options.observation_details(a, "O2") == ["X7"]
    assert options.observation_dates(a, ["X7"]) == [dt.date(2024, 6, 28), dt.date(2023, 6, 30)]
    assert options.default_observation_date(a, ["X7"]) == dt.date(2024, 6, 28)
    assert _flags(options.predicted_vs_observed(a, "O2")) == {
        "C4": ("magnitude",), "D4": ("direction",), "C1": ("not_observed",)}
    # the baseline (first review) can still be chosen explicitly: there C4 was weakened
    assert options.predicted_vs_observed(a, "O2", on=dt.date(2023, 6, 30))[0].flags == ("direction",)


def test_predicted_vs_observed_without_observations_shows_predictions_unflagged():
    a = _observed_analysis()
    a = replace(a, impacts=[i for i in a.impacts if i.observed_on != dt.date(2024, 6, 28)])
    rows = options.predicted_vs_observed(a, "O2")
    assert [r.factor for r in rows] == ["C4", "D4", "C1"]
    assert all(r.flags == () and r.observed_effect == "" for r in rows)


def test_predicted_vs_observed_sums_impacts_on_one_factor():
    a = _observed_analysis()
    later = dt.date(2024, 6, 28)
    a = replace(a, impacts=[*a.impacts, Impact("X7", "C4", "strengthens", 1, "staff_behaviour", observed_on=later)])
    by = {r.factor: r for r in options.predicted_vs_observed(a, "O2")}
    assert (by["C4"].observed_magnitude, by["C4"].flags) == (3, ())


def test_an_addition_is_observed_on_the_detail_with_its_key():
    a = _observed_analysis()
    assert options.observation_details(a, "O3") == []
    detail = options.addition_detail(a.by_key("options")["O3"], "by_whom", "sessions")
    assert (detail.key, detail.question, detail.activity, detail.active) == ("O3", "by_whom", "sessions", True)
    a = replace(a, details=[*a.details, detail])
    assert options.observation_details(a, "O3") == ["O3"]


def test_observation_builds_an_impact_dated_at_the_review():
    a = _observed_analysis()
    impact = options.observation(a, "R2", "X9", "D3", "strengthens", 2, "staff_behaviour", "powerlessness",
                                 evidence="Case workers work six days a week")
    assert impact == Impact("X9", "D3", "strengthens", 2, "staff_behaviour", "powerlessness", "medium",
                            "Case workers work six days a week", dt.date(2024, 6, 28))


def test_observation_lists_every_problem():
    with pytest.raises(InvalidInput) as error:
        options.observation(_observed_analysis(), "R9", "X99", "F1", "grows", 7, "resource_transfer")
    columns = sorted(p.column for p in error.value.problems)
    assert columns == ["detail", "effect", "factor", "magnitude", "observed_on"]


# ------------------------------------------------------------------------------------- what if
def test_what_if_replaces_details_by_their_counted_options():
    a = rich_analysis()  # O1 chosen on X1; O2 idea on X2; O3 an addition, idea
    result = options.what_if(a)
    assert result.applied == (("O1", "X1"),)
    assert result.before == scoring.score(a).totals
    # X1 (-19) becomes O1's net (+3): the totals move by O1's delta
    assert result.after.net - result.before.net == 22
    expected = replace(a, impacts=[i for i in a.impacts if i.detail != "X1"] + [
        Impact("X1", oi.factor, oi.effect, oi.magnitude, oi.mechanism, oi.pattern, oi.confidence, oi.evidence)
        for oi in a.option_impacts if oi.option == "O1"])
    assert result.after == scoring.totals(scoring.detail_scores(expected))


def test_what_if_counts_chosen_testing_and_adopted_only():
    a = rich_analysis()
    statuses = {"O1": "rejected", "O2": "testing", "O3": "adopted"}
    a = replace(a, options=[replace(o, status=statuses[o.key]) for o in a.options])
    result = options.what_if(a)
    assert result.applied == (("O2", "X2"), ("O3", "O3"))
    assert "O3" in {d.key for d in result.details_after}  # the addition becomes a detail
    assert result.after.net - result.before.net == 5 + 4  # the deltas of O2 and O3
    idea_only = replace(a, options=[replace(o, status="idea") for o in a.options])
    assert options.what_if(idea_only).after == options.what_if(idea_only).before


def test_what_if_takes_the_best_ranked_option_of_a_detail():
    a = rich_analysis()
    worse = Option("O9", "Worse", "X1", status="chosen")
    a = replace(a, options=[*a.options, worse])
    result = options.what_if(a)
    assert result.applied == (("O1", "X1"),) and result.skipped == ("O9",)


def test_what_if_keeps_an_inactive_detail_out_of_the_totals():
    a = rich_analysis()
    a = replace(a, options=[*a.options, Option("O8", "Fix old scheme", "X3", status="adopted")],
                option_impacts=[*a.option_impacts, OptionImpact("O8", "C1", "strengthens", 3, "resource_transfer")])
    result = options.what_if(replace(a, options=[o for o in a.options if o.key != "O1"]))
    assert ("O8", "X3") in result.applied
    assert result.after == result.before


@pytest.mark.parametrize("demo", DEMOS)
def test_what_if_on_the_demos_uses_only_counted_options(demo):
    a = io.read_csv_folder(demo_dir() / demo)
    result = options.what_if(a)
    status = {o.key: o.status for o in a.options}
    assert result.applied and all(status[o] in options.COUNTED_STATUSES for o, _ in result.applied)
    assert result.before == scoring.score(a, with_robustness=False).totals
