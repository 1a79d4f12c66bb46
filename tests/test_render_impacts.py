"""dnh_graph.render.impacts: the details × factors matrix and the harm/help bars."""

from __future__ import annotations

import json

from hypothesis import given, settings

from dnh_graph import scoring
from dnh_graph.model import Analysis, AnalysisInfo, Detail, Factor, Impact
from dnh_graph.render.impacts import HARM, HELP, detail_scores_figure, impact_matrix, impact_matrix_figure
from dnh_graph.synthetic import generate_analysis
from tests.factories import HOSTILE, rich_analysis
from tests.strategies import analyses


def test_cells_sign_magnitude_and_harm():
    m = impact_matrix(rich_analysis())
    cells = {(c.detail, c.factor): c for c in m.cells}
    assert cells[("X1", "D1")].text == "+3" and cells[("X1", "D1")].harm == 15  # strengthens a divider
    assert cells[("X1", "C1")].text == "−1" and cells[("X1", "C1")].harm == 4  # weakens a connector
    assert cells[("X2", "C1")].help == 8 and cells[("X2", "C1")].net == 8
    assert [f.kind for f in m.factors] == ["divider", "divider", "connector"]


def test_several_impacts_in_one_cell_are_all_shown():
    a = Analysis(AnalysisInfo("x", "X"), factors=[Factor("D1", "divider", "Land", "experiences", 2)],
                 details=[Detail("X1", "what")],
                 impacts=[Impact("X1", "D1", "strengthens", 2, "resource_transfer"),
                          Impact("X1", "D1", "weakens", 1, "staff_behaviour")])
    (cell,) = impact_matrix(a).cells
    assert (cell.text, cell.harm, cell.help, cell.net) == ("+2 −1", 4, 2, -2)


def test_large_analyses_show_the_heaviest_rows_and_columns():
    a = generate_analysis(actors=50, relationships=60, factors=120, details=90, impacts=600, options=3, reviews=2)
    m = impact_matrix(a)
    assert len(m.details) == 30 and len(m.factors) == 30 and m.cut
    assert (m.total_details, m.total_factors) == (90, 120)


def test_figures_escape_user_text_and_use_harm_and_help_colours():
    a = rich_analysis()
    a.details[0] = Detail("X1", "with_whom", "patrols", HOSTILE, True)
    spec = impact_matrix_figure(a).to_json()
    assert "<img" not in spec and "&lt;img" in spec
    scale = json.loads(spec)["data"][0]["colorscale"]
    assert scale[0][1] == HARM and scale[-1][1] == HELP
    bars = detail_scores_figure(a, details=scoring.detail_scores(a)).to_json()
    assert "<img" not in bars
    names = [t["name"] for t in json.loads(bars)["data"]]
    assert names == ["Harm", "Help", "Net"]


@settings(max_examples=60, deadline=None)
@given(a=analyses())
def test_the_matrix_cells_add_up_to_the_scores_of_each_detail(a):
    """The matrix computes no score of its own: per detail, its cells sum to scoring's harm and help."""
    matrix = impact_matrix(a, max_rows=10_000, max_columns=10_000)
    cells: dict[str, list[int]] = {d.key: [0, 0] for d in a.details}
    for c in matrix.cells:
        cells[c.detail][0] += c.harm
        cells[c.detail][1] += c.help
    assert cells == {s.key: [s.harm, s.help] for s in scoring.detail_scores(a)}
