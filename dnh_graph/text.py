"""Cutting text people typed without breaking a written character.

A Khmer syllable is one base letter followed by marks: a subscript consonant is the sign COENG
(U+17D2) and the letter it stacks under, vowels and signs are combining marks. Cutting a name after
the ``n``-th code point can leave a COENG with nothing under it or a vowel sign with no letter, which
browsers draw as a dotted circle. :func:`clip` cuts only between such clusters (and never between a
letter and a combining mark of any script), so ``ភ្នំពេញ`` cut short stays readable.
"""

from __future__ import annotations

import unicodedata

__all__ = ["clip", "COENG"]

COENG = "\u17d2"
_JOINERS = {COENG, "\u200d"}  # the next letter belongs to the same cluster (ZWJ: emoji sequences)


def _boundary(text: str, i: int) -> bool:
    """Whether a cut before ``text[i]`` falls between two clusters."""
    if i <= 0 or i >= len(text):
        return True
    if text[i - 1] in _JOINERS:
        return False
    return not unicodedata.category(text[i]).startswith("M") and text[i] not in _JOINERS


def clip(text: str, limit: int, ellipsis: str = "…") -> str:
    """``text`` if it is at most ``limit`` characters, else its start cut on a cluster boundary plus
    ``ellipsis`` (the whole at most ``limit`` characters when a boundary allows it).

    >>> clip("Nets for members of the association", 12)
    'Nets for me…'
    >>> clip("ភ្នំពេញ", 5)
    'ភ្នំ…'
    >>> clip("ភ្នំពេញ", 4)
    '…'
    """
    if len(text) <= limit:
        return text
    cut = max(limit - len(ellipsis), 0)
    while cut > 0 and not _boundary(text, cut):
        cut -= 1
    return text[:cut].rstrip() + ellipsis
