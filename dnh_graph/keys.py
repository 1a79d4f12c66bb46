"""One rule that turns a name into a key: ASCII letters, digits and underscores, readable, unique.

Used wherever the app makes a key or a file name from a name (the welcome form, the sidebar's new and
copy forms, an imported actor map, download names), so "Kampot: fisheries (2025)" is
``kampot_fisheries_2025`` everywhere (issues 10 and 15).

How a name is read:

- Khmer is romanised syllable by syllable with a compact table after the UNGEGN system (consonants of
  both series, subscripts, dependent and independent vowels, signs, digits): ``ភ្នំពេញ`` gives
  ``phnompenh``. Khmer writes no spaces between words, so a Khmer run stays one word; a space or a
  zero-width space between words becomes ``_``.
- Latin letters lose their accents (NFKD), and the few that do not decompose (đ, ß, æ, ø, ł …) get
  their usual ASCII spelling; digits of any script become 0–9.
- A name with nothing readable left (another script, only punctuation) gets the default word and a
  short fingerprint of the name (``analysis_3f9c2a``): stable from run to run, different for
  different names, never empty.

The key is lowercase, at most :data:`dnh_graph.model.MAX_KEY` characters, and unique against the keys
already taken (compared without case): ``kampot``, ``kampot_2``, ``kampot_3``.

Examples
--------
>>> slug("Kampot: fisheries (2025)")
'kampot_fisheries_2025'
>>> slug("ភ្នំពេញ"), slug("ខេត្ត កំពត"), slug("Siem Reap", taken=["siem_reap"])
('phnompenh', 'khet_kampot', 'siem_reap_2')
>>> slug("Đà Nẵng"), slug("!!!") == slug("!!!") != slug("???")
('da_nang', True)
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable

from dnh_graph.model import MAX_KEY

__all__ = ["slug", "romanise_khmer"]

# ---------------------------------------------------------------------------------------- Khmer
# Consonants: (initial, final, series). Series 1 ("a" series) and 2 ("o" series) choose the reading
# of the vowel that follows (UNGEGN 1972, in plain ASCII: â → a, ô → o, é → e).
_CONSONANTS: dict[str, tuple[str, str, int]] = {
    "ក": ("k", "k", 1), "ខ": ("kh", "k", 1), "គ": ("k", "k", 2), "ឃ": ("kh", "k", 2), "ង": ("ng", "ng", 2),
    "ច": ("ch", "ch", 1), "ឆ": ("chh", "ch", 1), "ជ": ("ch", "ch", 2), "ឈ": ("chh", "ch", 2),
    "ញ": ("nh", "nh", 2), "ដ": ("d", "t", 1), "ឋ": ("th", "t", 1), "ឌ": ("d", "t", 2), "ឍ": ("th", "t", 2),
    "ណ": ("n", "n", 1), "ត": ("t", "t", 1), "ថ": ("th", "t", 1), "ទ": ("t", "t", 2), "ធ": ("th", "t", 2),
    "ន": ("n", "n", 2), "ប": ("b", "p", 1), "ផ": ("ph", "p", 1), "ព": ("p", "p", 2), "ភ": ("ph", "p", 2),
    "ម": ("m", "m", 2), "យ": ("y", "y", 2), "រ": ("r", "r", 2), "ល": ("l", "l", 2), "វ": ("v", "v", 2),
    "ឝ": ("sh", "s", 1), "ឞ": ("ss", "s", 1), "ស": ("s", "s", 1), "ហ": ("h", "h", 1), "ឡ": ("l", "l", 1),
    "អ": ("", "", 1),
}
# A subscript stop of the second series sets the series of its cluster (ស្ពាន: spean, not span).
_SECOND_SERIES_SUBSCRIPTS = frozenset("គឃជឈឌឍទធពភ")
# Dependent vowels: (series 1, series 2).
_VOWELS: dict[str, tuple[str, str]] = {
    "ា": ("a", "ea"), "ិ": ("e", "i"), "ី": ("ei", "i"), "ឹ": ("oe", "eu"), "ឺ": ("oeu", "eu"),
    "ុ": ("o", "u"), "ូ": ("ou", "u"), "ួ": ("uo", "uo"), "ើ": ("aeu", "eu"), "ឿ": ("oea", "oea"),
    "ៀ": ("ie", "ie"), "េ": ("e", "e"), "ែ": ("e", "e"), "ៃ": ("ai", "ey"), "ោ": ("ao", "o"),
    "ៅ": ("au", "ov"), "ៈ": ("a", "e"), "័": ("a", "a"),
}
_INHERENT = ("a", "o")  # a consonant read with no written vowel
_NIKAHIT, _REAHMUK = "ំ", "ះ"  # final -m, final -h
_MUSIKATOAN, _TRIISAP = "៉", "៊"  # turn a consonant into series 1, series 2
_COENG = "្"  # the next consonant is written below: a cluster
_SILENCERS = frozenset("៍៑")  # toandakhiat, viriam: the consonant under them is not read
_ROBAT = "៌"
_INDEPENDENT_VOWELS: dict[str, str] = {
    "ឣ": "a", "ឤ": "aa", "ឥ": "e", "ឦ": "ei", "ឧ": "o", "ឨ": "ouk", "ឩ": "ou", "ឪ": "au", "ឫ": "rue",
    "ឬ": "rueu", "ឭ": "lue", "ឮ": "lueu", "ឯ": "ae", "ឰ": "ai", "ឱ": "ao", "ឲ": "ao", "ឳ": "au",
}


def _is_khmer(char: str) -> bool:
    return "\u1780" <= char <= "\u17ff" or "\u19e0" <= char <= "\u19ff"


def _syllable_parts(run: str) -> list[tuple[list[str], str, str]]:
    """Split a Khmer run into written clusters: (consonants, vowel sign, other signs)."""
    clusters: list[tuple[list[str], str, str]] = []
    i = 0
    while i < len(run):
        char = run[i]
        if char in _CONSONANTS:
            consonants, vowel, signs = [char], "", ""
            i += 1
            while i < len(run):
                nxt = run[i]
                if nxt == _COENG and i + 1 < len(run) and run[i + 1] in _CONSONANTS:
                    consonants.append(run[i + 1])
                    i += 2
                elif nxt in _VOWELS and not vowel:
                    vowel = nxt
                    i += 1
                elif nxt in _VOWELS or nxt in (_NIKAHIT, _REAHMUK, _MUSIKATOAN, _TRIISAP, _ROBAT) \
                        or nxt in _SILENCERS or unicodedata.category(nxt) == "Mn":
                    signs += nxt
                    i += 1
                else:
                    break
            clusters.append((consonants, vowel, signs))
        else:
            clusters.append(([], "", char))
            i += 1
    return clusters


def romanise_khmer(text: str) -> str:
    """Khmer letters in plain ASCII after UNGEGN; anything else passes through unchanged.

    A cluster with no written vowel closes the syllable before it when that one is open (ពេញ: penh),
    and is read with its inherent vowel otherwise (ក in កម្ពុជា: kampuchea); at the end of a word the
    subscripts of a closing cluster are silent (ខេត្ត: khet). Nikahit adds ``m``
    (``am``/``om`` after no vowel), reahmuk ``h``.

    Examples
    --------
    >>> romanise_khmer("ភ្នំពេញ"), romanise_khmer("កម្ពុជា"), romanise_khmer("អង្គរ"), romanise_khmer("ខ្មែរ")
    ('phnompenh', 'kampuchea', 'angkor', 'khmer')
    >>> romanise_khmer("សៀមរាប"), romanise_khmer("កំពង់ចាម"), romanise_khmer("២០២៥")
    ('siemreap', 'kampongcham', '2025')
    """
    out: list[str] = []
    open_syllable = False  # the syllable just written has a vowel and no final consonant yet
    clusters = _syllable_parts(text)
    for n, (consonants, vowel, signs) in enumerate(clusters):
        word_ends = n + 1 == len(clusters) or not clusters[n + 1][0]
        if not consonants:
            char = signs
            if char in _INDEPENDENT_VOWELS:
                out.append(_INDEPENDENT_VOWELS[char])
                open_syllable = True
            elif unicodedata.category(char) == "Nd":
                out.append(str(unicodedata.digit(char)))
                open_syllable = False
            elif _is_khmer(char):  # punctuation (khan, lek too …) and lunar-date symbols: a word break
                out.append(" ")
                open_syllable = False
            else:
                out.append(char)
                open_syllable = False
            continue
        silenced = any(s in _SILENCERS for s in signs) and bool("".join(out).rsplit(" ", 1)[-1])
        if silenced:  # the last consonant is not read (loanwords: ចន្ទ៍ is chan), unless it is all there is
            consonants = consonants[:-1]
            if not consonants:
                continue
        series = _CONSONANTS[consonants[0]][2]
        if any(c in _SECOND_SERIES_SUBSCRIPTS for c in consonants[1:]):
            series = 2
        if _MUSIKATOAN in signs:
            series = 1
        elif _TRIISAP in signs:
            series = 2
        closing = _ROBAT not in signs
        if not vowel and open_syllable and closing:
            # a final consonant; a subscript under it starts the next syllable (អង្គរ: ang-kor), unless
            # the word ends there: then it is silent (ខេត្ត: khet, សត្វ: sat)
            out.append(_CONSONANTS[consonants[0]][1])
            open_syllable = False
            consonants = [] if word_ends else consonants[1:]
            if not consonants:
                if _NIKAHIT in signs or _REAHMUK in signs:
                    out.append("m" if _NIKAHIT in signs else "h")
                continue
            series = _CONSONANTS[consonants[0]][2]
        out.append("".join(_CONSONANTS[c][0] for c in consonants))
        if _ROBAT in signs:
            out.append("r")
        if vowel:
            out.append(_VOWELS[vowel][series - 1])
            open_syllable = True
        elif _NIKAHIT in signs:
            out.append(("a", "o")[series - 1])
        else:
            out.append(_INHERENT[series - 1])
            open_syllable = True
        if _NIKAHIT in signs:
            out.append("m")
            open_syllable = False
        if _REAHMUK in signs:
            out.append("h")
            open_syllable = False
    return "".join(out)


# ---------------------------------------------------------------------------------------- Latin
# Latin letters that NFKD leaves alone, with their usual ASCII spelling.
_LATIN = str.maketrans({"đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o",
                        "Ø": "O", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ı": "i",
                        "ħ": "h", "Ħ": "H", "ŋ": "ng", "Ŋ": "NG"})


def _ascii_words(name: str) -> str:
    """The name in ASCII letters and digits, every other run of characters a single ``_``."""
    text = romanise_khmer(name) if any(_is_khmer(c) for c in name) else name
    text = unicodedata.normalize("NFKD", text.translate(_LATIN))
    out = []
    for char in text:
        if char.isascii() and char.isalnum():
            out.append(char.lower())
        elif unicodedata.category(char) == "Nd":
            out.append(str(unicodedata.digit(char)))
        elif unicodedata.category(char) == "Mn":  # an accent taken off its letter by NFKD
            continue
        else:
            out.append("_")
    return "_".join(part for part in "".join(out).split("_") if part)


def _fingerprint(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:6]


def slug(name: str, taken: Iterable[str] = (), default: str = "analysis", limit: int = MAX_KEY) -> str:
    """A key made from ``name``: ``[a-z0-9_]+``, at most ``limit`` characters, not in ``taken``.

    ``default`` (itself ``[a-z0-9_]+``) starts the key of a name with nothing readable in it, followed
    by a fingerprint of the name. See the module docstring for how a name is read.

    Examples
    --------
    >>> slug("Kampot fisheries", taken=["kampot_fisheries", "KAMPOT_FISHERIES_2"])
    'kampot_fisheries_3'
    >>> len(slug("word " * 60)) <= 100
    True
    """
    base = _ascii_words(name)
    if not base:
        base = f"{default}_{_fingerprint(name)}"
    base = _cut(base, limit)
    used = {t.casefold() for t in taken}
    found, n = base, 1
    while found.casefold() in used:
        n += 1
        suffix = f"_{n}"
        found = _cut(base, limit - len(suffix)) + suffix
    return found


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` characters, never ending on ``_`` (and never empty)."""
    cut = text[:limit].rstrip("_")
    return cut or text[:limit] or "x"
