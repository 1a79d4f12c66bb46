"""One name → key rule (dnh_graph.keys.slug): its promises on any text, and readable Khmer."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dnh_graph.keys import romanise_khmer, slug
from dnh_graph.model import MAX_KEY

KEY = re.compile(r"^[A-Za-z0-9_]+$")
KHMER = st.text(st.characters(min_codepoint=0x1780, max_codepoint=0x17FF), min_size=1, max_size=40)
NAMES = st.one_of(st.text(max_size=300), KHMER, st.text(st.characters(codec="utf-8"), max_size=300))


@settings(max_examples=400)
@given(name=NAMES, taken=st.lists(st.text(max_size=20), max_size=5))
def test_a_key_is_ascii_words_never_empty_and_short_enough(name, taken):
    key = slug(name, taken)
    assert KEY.match(key), key
    assert 0 < len(key) <= MAX_KEY
    assert key.casefold() not in {t.casefold() for t in taken}
    assert not key.startswith("_") and not key.endswith("_") and "__" not in key


@settings(max_examples=200)
@given(name=NAMES, limit=st.integers(min_value=8, max_value=MAX_KEY))
def test_a_key_respects_a_shorter_limit(name, limit):
    assert len(slug(name, limit=limit)) <= limit


@settings(max_examples=200)
@given(name=NAMES)
def test_the_same_name_always_gives_the_same_key(name):
    assert slug(name) == slug(name)


@settings(max_examples=200)
@given(name=st.text(max_size=120), count=st.integers(min_value=1, max_value=30))
def test_keys_made_one_after_another_never_collide(name, count):
    taken: list[str] = []
    for _ in range(count):
        taken.append(slug(name, taken))
    assert len({k.casefold() for k in taken}) == count
    assert all(len(k) <= MAX_KEY for k in taken)


@settings(max_examples=200)
@given(name=KHMER)
def test_a_khmer_name_is_romanised_not_replaced_by_a_default(name):
    if any(c in name for c in "កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវសហឡអឥឧឪឯឱ"):
        assert not slug(name).startswith("analysis_")


@pytest.mark.parametrize(("name", "key"), [
    ("ភ្នំពេញ", "phnompenh"),
    ("ភ្នំ\u200bពេញ", "phnom_penh"),  # a zero-width space marks the word break
    ("កម្ពុជា", "kampuchea"),
    ("សៀមរាប", "siemreap"),
    ("បាត់ដំបង", "batdambang"),
    ("ខេត្ត កំពត", "khet_kampot"),
    ("កោះកុង", "kaohkong"),
    ("ស្វាយរៀង", "svayrieng"),
    ("អង្គរ", "angkor"),
    ("ការនេសាទ ២០២៥", "karnesat_2025"),
    ("Kampot: fisheries (2025)", "kampot_fisheries_2025"),
    ("Kampot fisheries 2025", "kampot_fisheries_2025"),
    ("Đà Nẵng — Hội An", "da_nang_hoi_an"),
    ("Straße Æther", "strasse_aether"),
    ("../etc/pass wd", "etc_pass_wd"),
])
def test_readable_keys(name, key):
    assert slug(name) == key


def test_a_name_with_nothing_readable_gets_the_default_and_a_stable_fingerprint():
    assert re.fullmatch(r"analysis_[0-9a-f]{6}", slug("中文"))
    assert slug("中文") != slug("日本")
    assert re.fullmatch(r"imported_[0-9a-f]{6}", slug("★★★", default="imported"))
    # stable across processes, whatever the hash seed
    code = "from dnh_graph.keys import slug; print(slug('中文'), slug('ភ្នំពេញ'))"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert runs == {f"{slug('中文')} phnompenh\n"}


def test_uniqueness_suffixes_and_the_limit():
    assert slug("Kampot", ["kampot"]) == "kampot_2"
    assert slug("Kampot", ["KAMPOT", "kampot_2"]) == "kampot_3"
    long = slug("x" * 300, ["x" * MAX_KEY])
    assert long == "x" * (MAX_KEY - 2) + "_2"


def test_khmer_digits_and_punctuation():
    assert romanise_khmer("០១២៣៤៥៦៧៨៩") == "0123456789"
    assert slug("កំពត។ កែប") == "kampot_kep"
