"""Names cut for labels keep whole Khmer clusters: no COENG without its letter, no mark without a base."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from dnh_graph.text import COENG, clip

# Khmer letters, vowel signs, COENG and signs, mixed with Latin and spaces: shapes nobody chose.
KHMER = st.text(st.sampled_from([chr(c) for c in range(0x1780, 0x17DE)] + list("ab ")), max_size=40)


def _dangling(text: str) -> bool:
    """Whether ``text`` ends inside a cluster (before the ellipsis)."""
    body = text[:-1] if text.endswith("…") else text
    return body.endswith(COENG)


@given(KHMER, st.integers(min_value=1, max_value=30))
def test_clip_never_ends_inside_a_cluster(text, limit):
    out = clip(text, limit)
    assert len(out) <= max(limit, 1)
    if out == text:
        return
    body = out[:-1]
    assert text.startswith(body.rstrip()) or text.startswith(body)
    assert not body.endswith(COENG)
    # the character after the cut is not a mark or a letter stacked under a COENG
    rest = text[len(body):]
    if body and rest:
        assert not unicodedata.category(rest[0]).startswith("M")
        assert rest[0] != COENG


@given(KHMER)
def test_clip_of_text_that_fits_is_the_text(text):
    assert clip(text, len(text)) == text


def test_capital_of_cambodia_cut_on_its_syllables():
    assert clip("ភ្នំពេញ", 6) == "ភ្នំ…"
    assert clip("ភ្នំពេញ ក្រុង", 8) == "ភ្នំពេញ…"
