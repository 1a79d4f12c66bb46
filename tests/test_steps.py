"""dnh_graph.steps: the seven DNH steps and what is still missing."""

from __future__ import annotations

from dnh_graph.model import Analysis, AnalysisInfo, Option
from dnh_graph.steps import missing, progress
from tests.factories import rich_analysis


def test_an_empty_analysis_has_every_step_empty():
    steps = progress(Analysis(AnalysisInfo("e", "Empty")))
    assert [s.number for s in steps] == [1, 2, 3, 4, 5, 6, 7]
    assert not any(s.done for s in steps)
    assert [s.page for s in steps] == ["context_actors", "factors", "factors", "intervention", "impacts",
                                       "options", "options"]


def test_a_full_analysis_has_every_step_done():
    steps = progress(rich_analysis())
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


def test_every_gap_has_a_message():
    from dnh_graph.i18n import catalog

    a = rich_analysis()
    a.factor_actors.clear()
    for gap in missing(a) + missing(Analysis(AnalysisInfo("e", "Empty"))):
        assert gap.msgid in catalog("en")
