"""docs/method.md scores on a hand-computed example and against a brute-force reference."""

import itertools
import random
from dataclasses import replace

from dnh_graph import scoring
from dnh_graph.model import Analysis, AnalysisInfo, Detail, Factor, Impact, Option, OptionImpact
from dnh_graph.vocab import is_harmful
from tests.factories import rich_analysis


def test_harm_help_net_by_hand():
    s = scoring.score(rich_analysis())
    by = {d.key: d for d in s.details}
    # X1: strengthens divider D1 (p5) m3 -> harm 15; weakens connector C1 (p4) m1 -> harm 4
    assert (by["X1"].harm, by["X1"].help, by["X1"].net) == (19, 0, -19)
    # X2: strengthens D1 m1 -> harm 5; strengthens C1 m2 -> help 8
    assert (by["X2"].harm, by["X2"].help, by["X2"].net) == (5, 8, 3)
    # X3 is inactive: keeps its own figures (D2 p3 m3 = 9) but counts in no total
    assert (by["X3"].active, by["X3"].harm) == (False, 9)
    assert s.totals == scoring.Totals(harm=24, help=8, net=-16)


def test_options_delta_and_rank():
    s = scoring.score(rich_analysis())
    by = {o.key: o for o in s.options}
    # O1 changes X1 (net -19): net = -5 + 8 = 3, delta 22
    assert (by["O1"].net, by["O1"].delta) == (3, 22)
    # O2 changes X2 (net 3): net 8, delta 5; O3 is an addition: net 4, delta 4
    assert (by["O2"].net, by["O2"].delta) == (8, 5)
    assert (by["O3"].net, by["O3"].delta, by["O3"].detail) == (4, 4, "")
    assert [o.key for o in s.options] == ["O1", "O2", "O3"]
    assert [o.rank for o in s.options] == [1, 2, 3]


def test_tie_breaks_feasibility_cost_key():
    a = Analysis(AnalysisInfo("t", "T"), factors=[Factor("C1", "connector", "c", "experiences", 1)],
                 options=[Option("B", "b", feasibility=3, cost=2), Option("A", "a", feasibility=3, cost=2),
                          Option("C", "c", feasibility=3, cost=1), Option("D", "d", feasibility=5, cost=5)])
    assert [o.key for o in scoring.option_scores(a)] == ["D", "C", "A", "B"]


def test_scores_json_shape():
    out = scoring.scores_json(rich_analysis())
    assert set(out) == {"analysis", "totals", "details", "options", "robustness"}
    assert [d["key"] for d in out["details"]] == ["X1", "X2", "X3"]
    assert set(out["options"][0]) == {"key", "detail", "net", "delta", "rank"}
    assert 0 <= out["robustness"] <= 1


def test_robustness_none_with_fewer_than_two_options():
    a = rich_analysis()
    a = replace(a, options=a.options[:1], option_impacts=[oi for oi in a.option_impacts if oi.option == "O1"])
    assert scoring.robustness(a) is None


def _naive_robustness(a):
    factors = a.by_key("factors")
    detail_net = {d.key: d.net for d in scoring.detail_scores(a)}

    def top(magnitudes):
        rows = []
        for o in a.options:
            net = 0
            for oi, m in zip(a.option_impacts, magnitudes):
                if oi.option == o.key:
                    f = factors[oi.factor]
                    net += -m * f.priority if is_harmful(f.kind, oi.effect) else m * f.priority
            rows.append((-(net - (detail_net[o.detail] if o.detail else 0)), -o.feasibility, o.cost, o.key))
        return min(rows)[3]

    first = top([oi.magnitude for oi in a.option_impacts])
    ways = list(itertools.product((-1, 0, 1), repeat=len(a.option_impacts)))
    same = sum(top([min(3, max(1, oi.magnitude + d)) for oi, d in zip(a.option_impacts, w)]) == first for w in ways)
    return same / len(ways)


def test_robustness_equals_brute_force_on_random_small_analyses():
    rng = random.Random(7)
    for _ in range(60):
        factors = [Factor(f"F{i}", rng.choice(["divider", "connector"]), "f", "experiences", rng.randint(1, 5))
                   for i in range(3)]
        details = [Detail("X1", "what"), Detail("X2", "how", active=rng.random() < 0.5)]
        impacts = [Impact(rng.choice(["X1", "X2"]), rng.choice(factors).key, rng.choice(["strengthens", "weakens"]),
                          rng.randint(1, 3), "resource_transfer") for _ in range(3)]
        options = [Option(f"O{j}", "t", detail=rng.choice(["", "X1", "X2"]), feasibility=rng.randint(1, 5),
                          cost=rng.randint(1, 5)) for j in range(rng.randint(2, 4))]
        option_impacts = [OptionImpact(rng.choice(options).key, rng.choice(factors).key,
                                       rng.choice(["strengthens", "weakens"]), rng.randint(1, 3), "resource_transfer")
                          for _ in range(rng.randint(0, 7))]
        a = Analysis(AnalysisInfo("r", "R"), factors=factors, details=details, impacts=impacts, options=options,
                     option_impacts=option_impacts)
        assert abs(scoring.robustness(a) - _naive_robustness(a)) < 1e-12


def test_robustness_sampled_above_20000_ways_is_seeded_and_close():
    # 12 option impacts: 3**12 = 531,441 ways > 20,000, so a seeded sample is used
    factors = [Factor("C1", "connector", "c", "experiences", 2), Factor("D1", "divider", "d", "experiences", 3)]
    options = [Option(f"O{j}", "t") for j in range(3)]
    ois = [OptionImpact(f"O{j % 3}", "C1" if j % 2 else "D1", "weakens" if j % 4 == 1 else "strengthens",
                        1 + j % 3, "resource_transfer") for j in range(12)]
    a = Analysis(AnalysisInfo("s", "S"), factors=factors, options=options, option_impacts=ois)
    first, again = scoring.robustness(a), scoring.robustness(a)
    assert first == again
    exact = _naive_robustness(a)
    assert abs(first - exact) < 0.02


def test_harm_pathways_heaviest_first_with_linked_actors():
    paths = scoring.harm_pathways(rich_analysis())
    assert [(p.detail, p.factor, p.weight) for p in paths] == [("X1", "D1", 15), ("X2", "D1", 5), ("X1", "C1", 4)]
    assert paths[0].actors == ("A2", "A3")
    assert paths[0].pattern == "legitimization"
    assert all(p.detail != "X3" for p in paths)  # inactive detail
