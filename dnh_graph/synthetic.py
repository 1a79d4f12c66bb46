"""A synthetic DNH analysis of any size, for benchmarks and tests.

The analysis is valid by construction (unique keys, every reference resolves, one factor reading per
factor per review, unique factor–actor links) and the same for the same arguments, so benchmarks of the
network, imports, scores and trends can share it. The text is plain and obviously made up: no real
place, person or organisation.

Examples
--------
>>> a = generate_analysis(actors=20, relationships=40, factors=8, details=6, impacts=30, options=3,
...                       option_impacts_per_option=2, reviews=4, seed=1)
>>> len(a.actors), len(a.factor_readings), len(a.reviews)
(20, 32, 4)
"""

from __future__ import annotations

import datetime as dt
import random

from dnh_graph import vocab
from dnh_graph.model import (
    Actor,
    ActorReading,
    Analysis,
    AnalysisInfo,
    Detail,
    Factor,
    FactorActor,
    FactorReading,
    Impact,
    Monitoring,
    Option,
    OptionImpact,
    Relationship,
    Review,
)

__all__ = ["generate_analysis"]

START = dt.date(2024, 1, 15)
REVIEW_EVERY_DAYS = 91  # quarterly reviews, as most programmes hold them

# Relationship types in the proportions a hand-drawn conflict map usually shows.
_RELATIONSHIP_WEIGHTS = {
    "cooperation": 30, "coordination": 15, "weak": 15, "alliance": 10, "conflict": 12,
    "broken": 5, "influence": 8, "funding": 5,
}
_DIRECTED_TYPES = {"influence", "funding"}
_TAGS = ("north", "south", "river", "upland", "market", "border", "youth", "women")
_WORDS = ("land", "water", "market", "school", "road", "fishing", "forest", "clinic", "permit",
          "festival", "pagoda", "patrol", "election", "loan", "harvest", "border")


def _pick_weighted(rng: random.Random, table: dict[str, int], k: int) -> list[str]:
    return rng.choices(list(table), weights=list(table.values()), k=k)


def _pattern_for(rng: random.Random, mechanism: str) -> str:
    """A pattern of the family that fits the mechanism, or none (a third of the time)."""
    if rng.random() < 0.33:
        return ""
    if mechanism == "resource_transfer":
        return rng.choice(vocab.RESOURCE_TRANSFER_PATTERNS)
    return rng.choice(vocab.IMPLICIT_ETHICAL_MESSAGE_PATTERNS)


def generate_analysis(actors: int = 1000, relationships: int = 3000, factors: int = 200,
                      details: int = 300, impacts: int = 3000, options: int = 40,
                      option_impacts_per_option: int = 10, reviews: int = 12, seed: int = 0, *,
                      factor_actors: int | None = None, actor_reading_share: float = 0.25,
                      inactive_share: float = 0.1, sensitive_share: float = 0.05,
                      key: str | None = None) -> Analysis:
    """A valid, reproducible synthetic analysis.

    Parameters
    ----------
    actors, relationships, factors, details, impacts, options, option_impacts_per_option, reviews
        How many rows of each table (``relationships`` needs at least two actors; ``impacts`` needs a
        detail and a factor, else none are made).
    seed
        Same seed, same analysis.
    factor_actors
        Factor–actor links; default twice the number of factors (capped by what is possible).
    actor_reading_share
        Share of actors that get a reading at every review (the rest keep their own values).
    inactive_share, sensitive_share
        Share of details made inactive and of actors marked sensitive.
    key
        The analysis key; default ``synthetic-<seed>``.

    Returns
    -------
    Analysis
        Dividers are keyed ``DV1``…, connectors ``CN1``…, actors ``A1``…, details ``DT1``…, options
        ``O1``…, reviews ``R1``… (dated every 91 days from 2024-01-15). Half of the impacts carry an
        ``observed_on`` date between the start and the last review.
    """
    rng = random.Random(seed)
    types = vocab.keys("actor_type")
    stances = vocab.keys("stance")
    categories = vocab.keys("factor_category")
    questions = vocab.keys("detail_question")
    mechanisms = vocab.keys("mechanism")
    confidences = vocab.keys("confidence")
    roles = vocab.keys("factor_actor_role")

    info = AnalysisInfo(key=key or f"synthetic-{seed}", name=f"Synthetic analysis (seed {seed})",
                        location="Imaginary river province",
                        context="A made-up context generated for tests and benchmarks.",
                        conflict="Competition over land and fishing grounds (synthetic).",
                        start_date=START)

    actor_rows = []
    for i in range(1, actors + 1):
        kind = rng.choice(types)
        tags = tuple(rng.sample(_TAGS, rng.randint(0, 2)))
        actor_rows.append(Actor(
            key=f"A{i}", name=f"{vocab.label('actor_type', kind)} {i}", type=kind,
            stance=rng.choice(stances), influence=rng.randint(1, 5),
            description=f"Synthetic actor {i}.", sensitive=rng.random() < sensitive_share, tags=tags))

    relationship_rows = []
    if actors >= 2:
        for rel_type in _pick_weighted(rng, _RELATIONSHIP_WEIGHTS, relationships):
            source, target = rng.sample(range(1, actors + 1), 2)
            relationship_rows.append(Relationship(
                source=f"A{source}", target=f"A{target}", type=rel_type, strength=rng.randint(1, 3),
                directed=rel_type in _DIRECTED_TYPES))

    factor_rows = []
    counters = {"divider": 0, "connector": 0}
    for _ in range(factors):
        kind = "divider" if rng.random() < 0.55 else "connector"
        counters[kind] += 1
        n = counters[kind]
        word = rng.choice(_WORDS)
        factor_rows.append(Factor(
            key=f"{'DV' if kind == 'divider' else 'CN'}{n}", kind=kind,
            name=f"{word.capitalize()} {'tension' if kind == 'divider' else 'bond'} {n}",
            category=rng.choice(categories), priority=rng.randint(1, 5),
            description=f"Synthetic {kind} about {word}.", tags=tuple(rng.sample(_TAGS, rng.randint(0, 1)))))

    link_rows = []
    if factor_rows and actor_rows:
        wanted = 2 * factors if factor_actors is None else factor_actors
        wanted = min(wanted, len(factor_rows) * len(actor_rows) * len(roles))
        seen: set[tuple[str, str, str]] = set()
        while len(link_rows) < wanted:
            link = (rng.choice(factor_rows).key, f"A{rng.randint(1, actors)}", rng.choice(roles))
            if link not in seen:
                seen.add(link)
                link_rows.append(FactorActor(*link))

    review_rows = [Review(key=f"R{i}", date=START + dt.timedelta(days=REVIEW_EVERY_DAYS * i),
                          title=f"Review {i}", events=f"Synthetic events before review {i}.")
                   for i in range(1, reviews + 1)]
    last_day = (review_rows[-1].date - START).days if review_rows else 365

    detail_rows = [Detail(key=f"DT{i}", question=rng.choice(questions),
                          activity=f"Activity {1 + (i - 1) // 5}",
                          description=f"Synthetic detail {i}: {rng.choice(_WORDS)} work.",
                          active=rng.random() >= inactive_share)
                   for i in range(1, details + 1)]

    impact_rows = []
    if detail_rows and factor_rows:
        for _ in range(impacts):
            mechanism = rng.choice(mechanisms)
            observed = START + dt.timedelta(days=rng.randint(0, last_day)) if rng.random() < 0.5 else None
            impact_rows.append(Impact(
                detail=rng.choice(detail_rows).key, factor=rng.choice(factor_rows).key,
                effect=rng.choice(("strengthens", "weakens")), magnitude=rng.randint(1, 3),
                mechanism=mechanism, pattern=_pattern_for(rng, mechanism),
                confidence=rng.choice(confidences), evidence="Synthetic observation.", observed_on=observed))

    option_rows, option_impact_rows = [], []
    for i in range(1, options + 1):
        changes = rng.choice(detail_rows).key if detail_rows and rng.random() < 0.8 else ""
        option_rows.append(Option(
            key=f"O{i}", detail=changes, title=f"Option {i}", description=f"Synthetic option {i}.",
            feasibility=rng.randint(1, 5), cost=rng.randint(1, 5),
            status=rng.choice(vocab.keys("option_status"))))
        if factor_rows:
            for _ in range(option_impacts_per_option):
                mechanism = rng.choice(mechanisms)
                option_impact_rows.append(OptionImpact(
                    option=f"O{i}", factor=rng.choice(factor_rows).key,
                    effect=rng.choice(("strengthens", "weakens")), magnitude=rng.randint(1, 3),
                    mechanism=mechanism, pattern=_pattern_for(rng, mechanism),
                    confidence=rng.choice(confidences)))

    # Readings follow a random walk, so trends and "compare two reviews" have something to show.
    factor_reading_rows = []
    strength = {f.key: rng.randint(0, 5) for f in factor_rows}
    read_actors = [a for a in actor_rows if rng.random() < actor_reading_share]
    influence = {a.key: a.influence for a in read_actors}
    actor_reading_rows, monitoring_rows = [], []
    for review in review_rows:
        for f in factor_rows:
            strength[f.key] = min(5, max(0, strength[f.key] + rng.choice((-1, 0, 0, 1))))
            factor_reading_rows.append(FactorReading(review=review.key, factor=f.key,
                                                     strength=strength[f.key]))
        for a in read_actors:
            influence[a.key] = min(5, max(1, influence[a.key] + rng.choice((-1, 0, 0, 1))))
            actor_reading_rows.append(ActorReading(review=review.key, actor=a.key, influence=influence[a.key],
                                                   stance=rng.choice(stances)))
        for criterion in vocab.keys("criterion"):
            monitoring_rows.append(Monitoring(review=review.key, criterion=criterion,
                                              rating=rng.choice(vocab.keys("rating"))))

    return Analysis(info=info, actors=actor_rows, relationships=relationship_rows, factors=factor_rows,
                    factor_actors=link_rows, details=detail_rows, impacts=impact_rows, options=option_rows,
                    option_impacts=option_impact_rows, reviews=review_rows,
                    factor_readings=factor_reading_rows, actor_readings=actor_reading_rows,
                    monitoring=monitoring_rows)
