"""What the "Hide sensitive names" tests share (tests/test_app_privacy.py, tests/test_browser_privacy.py):
an analysis whose sensitive actors have awkward names, and a search of everything a screen holds.

The sensitive names are Khmer, markup and very long; each one (and its description, tag and a key that
names a person) is also written into free text that screens show: the context, a review's events, an
impact's evidence, a factor's description. A screen "shows" a text when it is in any element: markdown,
captions, widget labels and options, read-only tables, plotly figure JSON (legends, hover text), the
network iframe's HTML. Markdown escapes, HTML entities and JSON escapes are undone before searching, and
a long name is searched by its first words, so a shortened label is caught too.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Iterable, Iterator

from google.protobuf.json_format import MessageToDict

from dnh_graph.model import CHILD_TABLES, TABLES, Actor, Analysis, Factor, FactorActor, Impact
from dnh_graph.synthetic import generate_analysis

KHMER = "សុខ ដារា ចៅហ្វាយស្រុក"
MARKUP = "<b>Mok</b> *Rith* [x](javascript:y)"
LONG = "Zyxwvut " + "Longname " * 20
SENSITIVE = (  # key, name, type, description, tag
    ("governor_sok", KHMER, "government", "ព័ត៌មានសម្ងាត់ secret-desc-one", "secret-tag-one"),
    ("A2", MARKUP, "government", "<i>secret-desc-two</i>", "secret-tag-two"),
    ("A3", LONG.strip(), "armed_group", "secret-desc-three " * 30, "secret-tag-three"),
)
# what must not be found while names are hidden (a long name by its first words)
NEEDLES = (KHMER, "សុខ ដារា", MARKUP, "<b>Mok</b>", "Zyxwvut Longname", "secret-desc", "secret-tag",
           "governor_sok")
# what the screens that list actors do show once names are shown
SHOWN_WHEN_OFF = ("សុខ ដារា", "<b>Mok</b>", "Zyxwvut Longname")


def _rekey(analysis: Analysis, old: str, new: str) -> Analysis:
    """Every reference to actor ``old`` made to ``new`` (the generator keys actors A1, A2, ...)."""
    tables = {}
    for sheet in CHILD_TABLES:
        refs = [c.name for c in TABLES[sheet].columns
                if c.kind == "ref" and c.ref == "actors" or sheet == "actors" and c.name == "key"]
        tables[sheet] = [dataclasses.replace(r, **{c: new for c in refs if getattr(r, c) == old})
                         for r in analysis.rows(sheet)]
    return dataclasses.replace(analysis, **tables)


def sensitive_analysis(seed: int = 1, key: str = "priv") -> Analysis:
    """A small generated analysis with three sensitive actors of :data:`SENSITIVE`, each mentioned in
    free text and linked to the heaviest harm pathway (so the Overview lists them)."""
    a = generate_analysis(actors=10, relationships=15, factors=6, details=6, impacts=15, options=3,
                          option_impacts_per_option=2, reviews=3, seed=seed, sensitive_share=0,
                          actor_reading_share=1.0, key=key)
    a = _rekey(a, "A1", "governor_sok")
    by_key = {k: (name, kind, description, tag) for k, name, kind, description, tag in SENSITIVE}
    actors = [dataclasses.replace(x, name=by_key[x.key][0], type=by_key[x.key][1], description=by_key[x.key][2],
                                  tags=(by_key[x.key][3],), sensitive=True) if x.key in by_key else x
              for x in a.actors]
    mention = f"Met {KHMER} and {MARKUP} with {LONG.strip()} (governor_sok)."
    detail = next(d for d in a.details if d.active)
    factors = [*a.factors, Factor("DV_S", "divider", "Checkpoint fees", "attitudes_actions", 5, mention)]
    links = [FactorActor("DV_S", k, "drives") for k, *_ in SENSITIVE]
    impacts = [*a.impacts, Impact(detail.key, "DV_S", "strengthens", 3, "resource_transfer", "theft_diversion",
                                  "high", mention)]
    reviews = [dataclasses.replace(r, events=mention) for r in a.reviews]
    details = [dataclasses.replace(d, description=mention) for d in a.details]
    options = [dataclasses.replace(o, side_effects=mention) for o in a.options]
    monitoring = [dataclasses.replace(m, evidence=mention, recommendation=mention) for m in a.monitoring]
    return dataclasses.replace(a, info=dataclasses.replace(a.info, context=mention), actors=actors, factors=factors,
                               factor_actors=[*a.factor_actors, *links], impacts=impacts, reviews=reviews,
                               details=details, options=options, monitoring=monitoring)


def sensitive_actors(analysis: Analysis) -> list[Actor]:
    return [x for x in analysis.actors if x.sensitive]


# ------------------------------------------------------------------------------------------ searching
def _json(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return None


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
        if value[:1] in "{[":  # a plotly figure, vis-network data: a JSON text inside the element
            yield from _strings(_json(value))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def readable(text: str) -> str:
    """A text as a person reads it: markdown backslash escapes and HTML entities undone, spaces folded."""
    text = html.unescape(html.unescape(text))
    text = re.sub(r"\\(.)", r"\1", text)
    return " ".join(text.split()).lower()


def found_in(texts: Iterable[str], needles: Iterable[str]) -> list[str]:
    """The needles that one of the texts contains (as written, HTML-escaped or JSON-escaped)."""
    haystack = "\n".join(texts)
    plain = readable(haystack)
    lowered = haystack.lower()
    out = []
    for needle in needles:
        escaped = json.dumps(needle)[1:-1]
        script_safe = escaped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        forms = {readable(needle), html.escape(needle).lower(), escaped.lower(), script_safe.lower(),
                 script_safe.replace("'", "\\u0027").lower()}
        if any(form and (form in plain or form in lowered) for form in forms):
            out.append(needle)
    return out


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def screen_texts(at) -> list[str]:
    """Every text of the run's elements (main area and sidebar): read-only tables and the grids that
    edit the stored records (their cells and column configuration), the values of text fields, and
    everything else in each element's message."""
    texts = []
    for node in [*_walk(at.main), *_walk(at.sidebar)]:
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "DESCRIPTOR"):
            continue
        kind = getattr(node, "type", "")
        if kind == "dataframe":
            texts.append(node.value.to_csv())
            texts.append(proto.columns)  # column configuration: labels, options
            continue
        if kind in ("text_area", "text_input"):
            texts.append(str(node.value or ""))
        texts.extend(_strings(MessageToDict(proto)))
    return texts


def add_workshop_text(store, key: str = "priv") -> None:
    """Workshop notes (to sort, parked, sorted into a sensitive actor) and a coach comment on the first
    actor, each naming the sensitive actors of :data:`SENSITIVE`; and one note that names nobody."""
    from dnh_graph.store import workshop as rooms

    rooms.add_note(store, key, f"Ask {KHMER} about the checkpoint (governor_sok)", "actor", 1)
    rooms.add_note(store, key, "Market day brings both banks together", "actor", 1)
    rooms.add_note(store, key, f"{MARKUP} and {LONG.strip()} disagree", "divider", 1, parked=True)
    sorted_note = rooms.add_note(store, key, f"{KHMER} runs the checkpoint", "actor", 1)
    rooms.update_note(store, key, dataclasses.replace(sorted_note, sorted_to="governor_sok"))
    first = store.load(key).actors[0]
    rooms.add_comment(store, key, "actors", first.id, f"Check with {KHMER}'s family, and {MARKUP}")
