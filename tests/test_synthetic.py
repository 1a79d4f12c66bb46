"""The synthetic analysis of dnh_graph.synthetic: valid, reproducible, the sizes asked for."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from dnh_graph import model
from dnh_graph.synthetic import generate_analysis

SMALL = dict(actors=40, relationships=90, factors=12, details=15, impacts=60, options=5,
             option_impacts_per_option=3, reviews=4)


def as_raw_tables(analysis: model.Analysis) -> dict:
    """The analysis as the raw rows an import would hand to validate_analysis."""
    raw = {"analysis": [(2, model.record_to_row(analysis.info, "analysis"))]}
    for table in model.CHILD_TABLES:
        raw[table] = [(n, model.record_to_row(r, table)) for n, r in enumerate(analysis.rows(table), start=2)]
    return raw


@pytest.mark.parametrize("sizes", [SMALL, {}], ids=["small", "default"])
def test_generated_analysis_passes_validation_unchanged(sizes):
    analysis = generate_analysis(**sizes)
    again, problems = model.validate_analysis(as_raw_tables(analysis))
    assert problems == []
    assert again == analysis


def test_default_sizes():
    a = generate_analysis()
    counts = a.counts()
    assert counts["actors"] == 1000
    assert counts["relationships"] == 3000
    assert counts["factors"] == 200
    assert counts["details"] == 300
    assert counts["impacts"] == 3000
    assert counts["options"] == 40
    assert counts["option_impacts"] == 400
    assert counts["reviews"] == 12


def _fingerprint_in_a_process(seed: int, hash_seed: str) -> str:
    """The analysis for ``seed``, built in a fresh interpreter whose string hashing uses ``hash_seed``."""
    code = ("import hashlib, sys; from dnh_graph.synthetic import generate_analysis; "
            f"a = generate_analysis(**{SMALL!r}, seed={seed}); "
            "print(hashlib.sha256(repr(a).encode()).hexdigest())")
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    return done.stdout.strip()


def test_same_seed_same_analysis_in_other_processes_other_seed_other_analysis():
    """Reproducible across interpreters (no set or hash order leaks in), not just within one run."""
    first, second = _fingerprint_in_a_process(4, "1"), _fingerprint_in_a_process(4, "2")
    assert len(first) == 64 and first == second
    assert _fingerprint_in_a_process(5, "1") != first


def test_every_factor_has_a_reading_at_every_review():
    a = generate_analysis(**SMALL)
    per_review = Counter(r.review for r in a.factor_readings)
    assert per_review == {review.key: len(a.factors) for review in a.reviews}
    assert len({(r.review, r.factor) for r in a.factor_readings}) == len(a.factor_readings)


def test_monitoring_and_actor_readings_at_every_review():
    a = generate_analysis(**SMALL, actor_reading_share=0.5)
    reviews = {r.key for r in a.reviews}
    assert {m.review for m in a.monitoring} == reviews
    assert len(a.monitoring) == len(reviews) * len(model.vocab.keys("criterion"))
    assert a.actor_readings and {r.review for r in a.actor_readings} == reviews


def test_reviews_are_in_date_order_and_impact_dates_fall_inside_them():
    a = generate_analysis(**SMALL)
    dates = [r.date for r in a.reviews]
    assert dates == sorted(dates)
    observed = [i.observed_on for i in a.impacts if i.observed_on]
    assert observed and all(a.info.start_date <= d <= dates[-1] for d in observed)
    assert any(i.observed_on is None for i in a.impacts)


def test_some_details_inactive_and_some_actors_sensitive():
    a = generate_analysis(actors=400, details=100, inactive_share=0.2, sensitive_share=0.1)
    assert 0 < sum(not d.active for d in a.details) < 100
    assert 0 < sum(a.sensitive for a in a.actors) < 400


def test_shares_of_zero_and_empty_tables():
    a = generate_analysis(actors=1, relationships=10, factors=0, details=0, impacts=10, options=0, reviews=0,
                          inactive_share=0, sensitive_share=0)
    assert a.relationships == [] and a.impacts == [] and a.factor_actors == [] and a.factor_readings == []
    _, problems = model.validate_analysis(as_raw_tables(a))
    assert problems == []


def test_patterns_fit_their_mechanism_family():
    a = generate_analysis(**SMALL)
    for impact in a.impacts:
        if impact.pattern and impact.mechanism == "resource_transfer":
            assert model.vocab.PATTERN_FAMILY[impact.pattern] == "resource_transfer"
