"""dnh_graph.steps: the seven DNH steps and what is still missing."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from dnh_graph.model import Analysis, AnalysisInfo, Option
from dnh_graph.steps import TESTED, missing, progress
from dnh_graph.vocab import keys
from tests.factories import rich_analysis


def test_an_empty_analysis_has_every_step_empty():
    steps = progress(Analysis(AnalysisInfo("e", "Empty")))
    assert [s.number for s in steps] == [1, 2, 3, 4, 5, 6, 7]
    assert not any(s.done for s in steps)
    assert [s.page for s in steps] == ["context_actors", "factors", "factors", "intervention", "impacts",
                                       "options", "options"]


def test_a_full_analysis_has_every_step_done():
    a = rich_analysis()
    a.options[0] = dataclasses.replace(a.options[0], status="testing")
    steps = progress(a)
    assert all(s.done for s in steps)
    assert [s.count for s in steps] == [3, 2, 1, 3, 5, 3, 1]


def test_missing_follows_the_method():
    gaps = [g.msgid for g in missing(Analysis(AnalysisInfo("e", "Empty")))]
    assert gaps == ["missing.context", "missing.actors", "missing.dividers", "missing.connectors",
                    "missing.details", "missing.reviews"]


def test_missing_counts_what_is_half_done():
    a = rich_analysis()
    a.factor_actors.clear()
    a.options[:] = [Option("O9", "Later", "X1")]
    gaps = {g.msgid: g.params for g in missing(a)}
    assert gaps["missing.factor_actors"] == {"n": 3}
    assert gaps["missing.options"] == {"n": 1}  # X2 harms D1 and has no option; X3 is inactive
    assert "missing.reviews" not in gaps


def test_missing_names_the_rows_concerned():
    a = rich_analysis()
    a.factor_actors.clear()
    a.options[:] = [Option("O9", "Later", "X1", status="chosen")]
    gaps = {g.msgid: g for g in missing(a)}
    assert gaps["missing.options"].keys == ("X2",) and gaps["missing.options"].sheet == "details"
    assert gaps["missing.factor_actors"].keys == tuple(f.key for f in a.factors)
    assert gaps["missing.tests"].keys == ("O9",) and gaps["missing.tests"].page == "options"
    for gap in gaps.values():
        assert len(gap.keys) == gap.params.get("n", 0), gap.msgid
        assert all(k in a.by_key(gap.sheet) for k in gap.keys)


@given(st.lists(st.sampled_from(keys("option_status")), max_size=8))
def test_step_7_counts_only_options_actually_tested(statuses):
    a = rich_analysis()
    a.options[:] = [Option(f"O{n}", "x", "X1", status=s) for n, s in enumerate(statuses)]
    seven = progress(a)[6]
    assert seven.count == sum(s in {"testing", "adopted"} for s in statuses)
    assert seven.done == any(s in TESTED for s in statuses)
    assert progress(a)[5].count == len(statuses)  # step 6 still counts every option


def test_chosen_or_rejected_on_paper_is_not_tested():
    a = rich_analysis()
    a.options[:] = [Option("O1", "x", "X1", status="chosen"), Option("O2", "y", "X1", status="rejected")]
    assert progress(a)[6].count == 0 and not progress(a)[6].done


def test_every_gap_has_a_message():
    from dnh_graph.i18n import catalog

    a = rich_analysis()
    a.factor_actors.clear()
    for gap in missing(a) + missing(Analysis(AnalysisInfo("e", "Empty"))):
        assert gap.msgid in catalog("en")
