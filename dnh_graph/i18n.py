"""One translation function for every string a person reads.

Catalogs are JSON files in ``dnh_graph/locales/<lang>.json`` mapping a message id to its text, so that
adding a language (Khmer is next) is a new catalog, not a code change. A message missing from the
chosen language falls back to English, then to the given default, then to the id itself: a missing
translation never hides the interface.

Examples
--------
>>> translate("no.such.message", "en", default="Hello {name}", name="Sokha")
'Hello Sokha'
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

__all__ = ["translate", "t", "available_languages", "catalog"]

LOCALES = Path(__file__).with_name("locales")
DEFAULT_LANGUAGE = "en"


@cache
def catalog(lang: str) -> dict[str, str]:
    """The messages of one language (read once per process; catalogs ship with the code)."""
    path = LOCALES / f"{lang}.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def available_languages() -> dict[str, str]:
    """Language code -> the language's own name, from each catalog's ``_language`` entry.

    Read once per process: catalogs ship with the code (screens ask for this on every rerun).
    """
    found = {}
    for path in sorted(LOCALES.glob("*.json")):
        found[path.stem] = catalog(path.stem).get("_language", path.stem)
    return found


def translate(msgid: str, lang: str = DEFAULT_LANGUAGE, default: str | None = None, **params) -> str:
    """The text of ``msgid`` in ``lang``, formatted with ``params`` (a :class:`Term` among them in ``lang`` too)."""
    text = catalog(lang).get(msgid)
    if text is None:
        text = catalog(DEFAULT_LANGUAGE).get(msgid, default if default is not None else msgid)
    if not params:
        return text
    return text.format(**{k: v.render(lang) if isinstance(v, Term) else v for k, v in params.items()})


class Term(str):
    """A catalog word or phrase given to a sentence as a parameter, such as the row's name in "The actor
    'A1' was changed by someone else": where a plain string is expected (the command line, a log) it is
    its English text; :func:`translate` puts it in the sentence's language, so a Khmer sentence does not
    carry an English word. Errors keep their parameters and are rendered later in a screen's language,
    which is why the word travels as an id, not as text.

    >>> Term("no.such.word", default="actor") == "actor"
    True
    >>> translate("no.such.message", "en", default="The {what} changed", what=Term("no.such.word", default="actor"))
    'The actor changed'
    """

    def __new__(cls, msgid: str, default: str | None = None, **params) -> Term:
        self = super().__new__(cls, translate(msgid, DEFAULT_LANGUAGE, default, **params))
        self.msgid, self.default, self.params = msgid, default, params
        return self

    def __getnewargs_ex__(self):  # pickled with errors kept in Streamlit's session and caches
        return (self.msgid, self.default), self.params

    def render(self, lang: str) -> str:
        return translate(self.msgid, lang, self.default, **self.params)


t = translate
