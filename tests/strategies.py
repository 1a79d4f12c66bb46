"""Hypothesis strategies for valid DNH analyses, for any test that wants one.

``analyses()`` draws an :class:`~dnh_graph.model.Analysis` that ``validate_analysis`` accepts as it is:
keys unique within their table and without surrounding whitespace (``parse_row`` strips keys), every
reference pointing at an existing key, every uniqueness rule of ``TABLES`` kept, numbers in range.

Text is any Unicode but lone surrogates and NUL, including other control characters, and it is biased towards the
awkward starts (``=``, ``'``, a tab, ``_x000D_`` ...). Two limits come from the model, not from the
formats: a text that is only whitespace is read as empty (so texts are either ``""`` or hold something
else than whitespace), and tags are stripped, non-empty and free of ``;``.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

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

__all__ = ["CHARACTERS", "texts", "required_texts", "keys", "tags", "dates", "enum", "analyses"]

# every code point but lone surrogates and NUL (which the model refuses: PostgreSQL cannot store it)
CHARACTERS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
AWKWARD_STARTS = ["=", "+", "-", "@", "\t", "\r", "'", "''", "_x000D_", "_x005F_", "#N/A", " "]


def _with_awkward_start(base: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(base, st.tuples(st.sampled_from(AWKWARD_STARTS), base).map("".join))


def texts(max_size: int = 30, characters: st.SearchStrategy[str] = CHARACTERS) -> st.SearchStrategy[str]:
    """An optional free text: ``""`` or a text that is not whitespace only."""
    base = st.text(characters, max_size=max_size)
    return _with_awkward_start(base).filter(lambda t: t == "" or t.strip() != "")


def required_texts(max_size: int = 30, characters: st.SearchStrategy[str] = CHARACTERS):
    return texts(max_size, characters).filter(lambda t: t.strip() != "")


def keys(characters: st.SearchStrategy[str] = CHARACTERS) -> st.SearchStrategy[str]:
    """A key as it survives parse_row: non-empty, no surrounding whitespace, at most 100 characters."""
    base = st.text(characters, min_size=1, max_size=8)
    return _with_awkward_start(base).filter(lambda k: k != "" and k == k.strip() and len(k) <= 100)


def tags(characters: st.SearchStrategy[str] = CHARACTERS) -> st.SearchStrategy[tuple[str, ...]]:
    tag = st.text(characters, min_size=1, max_size=8).filter(lambda t: ";" not in t and t == t.strip() and t)
    return st.lists(_with_awkward_start(tag).filter(lambda t: ";" not in t and t == t.strip()),
                    max_size=3).map(tuple)


def dates() -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


def enum(vocabulary: str) -> st.SearchStrategy[str]:
    return st.sampled_from(vocab.keys(vocabulary))


def _ints(lo: int, hi: int) -> st.SearchStrategy[int]:
    return st.integers(min_value=lo, max_value=hi)


@st.composite
def analyses(draw, max_rows: int = 4, characters: st.SearchStrategy[str] = CHARACTERS,
             key: str | None = None) -> Analysis:
    """A valid analysis with up to ``max_rows`` rows per table (``key`` fixes the analysis key)."""
    text = texts(characters=characters)
    name = required_texts(characters=characters)
    key_strategy = keys(characters)

    def unique_keys():
        return draw(st.lists(key_strategy, unique=True, max_size=max_rows))

    def rows(strategy):
        return draw(st.lists(strategy, max_size=max_rows))

    def unique_rows(strategy, unique_by):
        return draw(st.lists(strategy, max_size=max_rows, unique_by=unique_by))

    info = AnalysisInfo(key if key is not None else draw(key_strategy), draw(name), draw(text), draw(text),
                        draw(text), draw(st.none() | dates()))
    actors = [Actor(k, draw(name), draw(enum("actor_type")), draw(enum("stance")), draw(_ints(1, 5)),
                    draw(text), draw(st.booleans()), draw(tags(characters))) for k in unique_keys()]
    factors = [Factor(k, draw(enum("factor_kind")), draw(name), draw(enum("factor_category")),
                      draw(_ints(1, 5)), draw(text), draw(tags(characters))) for k in unique_keys()]
    details = [Detail(k, draw(enum("detail_question")), draw(text), draw(text), draw(st.booleans()))
               for k in unique_keys()]
    reviews = [Review(k, draw(dates()), draw(text), draw(text)) for k in unique_keys()]
    actor_keys = [a.key for a in actors]
    factor_keys = [f.key for f in factors]
    detail_keys = [d.key for d in details]
    review_keys = [r.key for r in reviews]

    relationships = []
    if len(actor_keys) >= 2:
        pairs = st.permutations(actor_keys).map(lambda p: (p[0], p[1]))
        relationships = rows(st.builds(
            lambda pair, *rest: Relationship(pair[0], pair[1], *rest),
            pairs, enum("relationship_type"), _ints(1, 3), st.booleans(), text))
    factor_actors = []
    impacts = []
    if factor_keys and actor_keys:
        factor_actors = unique_rows(st.builds(FactorActor, st.sampled_from(factor_keys),
                                              st.sampled_from(actor_keys), enum("factor_actor_role")),
                                    lambda r: (r.factor, r.actor, r.role))
    if factor_keys and detail_keys:
        impacts = rows(st.builds(Impact, st.sampled_from(detail_keys), st.sampled_from(factor_keys),
                                 enum("effect"), _ints(1, 3), enum("mechanism"), enum("pattern"),
                                 enum("confidence"), text, st.none() | dates()))
    options = [Option(k, draw(name), draw(st.just("") | st.sampled_from(detail_keys or [""])), draw(text),
                      draw(_ints(1, 5)), draw(_ints(1, 5)), draw(enum("option_status")), draw(text))
               for k in unique_keys()]
    option_impacts = []
    if options and factor_keys:
        option_impacts = rows(st.builds(OptionImpact, st.sampled_from([o.key for o in options]),
                                        st.sampled_from(factor_keys), enum("effect"), _ints(1, 3),
                                        enum("mechanism"), enum("pattern"), enum("confidence"), text))
    factor_readings = []
    actor_readings = []
    monitoring = []
    if review_keys:
        reviews_ = st.sampled_from(review_keys)
        if factor_keys:
            factor_readings = unique_rows(st.builds(FactorReading, reviews_, st.sampled_from(factor_keys),
                                                    _ints(0, 5), text), lambda r: (r.review, r.factor))
        if actor_keys:
            actor_readings = unique_rows(st.builds(ActorReading, reviews_, st.sampled_from(actor_keys),
                                                   _ints(1, 5), enum("stance")),
                                         lambda r: (r.review, r.actor))
        monitoring = unique_rows(st.builds(Monitoring, reviews_, enum("criterion"), enum("rating"), text,
                                           text),
                                 lambda r: (r.review, r.criterion))
    return Analysis(info, actors, relationships, factors, factor_actors, details, impacts, options,
                    option_impacts, reviews, factor_readings, actor_readings, monitoring)
