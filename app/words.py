"""Words on screen: the chosen language, ``t()``, vocabulary and column labels, and markdown escaping.

User text never reaches ``unsafe_allow_html``; where it goes into markdown (titles, messages) it passes
through :func:`md` first, so ``<script>`` is shown as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import streamlit as st

from app import session
from dnh_graph import vocab
from dnh_graph.i18n import translate
from dnh_graph.model import Said

__all__ = ["lang", "t", "label", "labels", "column_label", "md"]


def lang() -> str:
    """The chosen language, read once per run by :func:`app.session.begin_run` (checked against the catalogs)."""
    chosen = getattr(session.run, "lang", None)
    return chosen if chosen is not None else st.session_state.get(session.LANG, "en")


def t(msgid: str, **params) -> str:
    """A message of the catalog in the chosen language."""
    return translate(msgid, lang(), **params)


def label(vocabulary: str, key: str) -> str:
    return vocab.label(vocabulary, key, lang())


def labels(vocabulary: str) -> dict[str, str]:
    """Every key of a vocabulary with its label in the chosen language (for long tables: one lookup)."""
    return vocab.labels(vocabulary, lang())


def column_label(sheet: str, column: str | None) -> str:
    """A column's title: the sheet's own (``col.actors.name``), else the shared one (``col.name``)."""
    if not column:
        return ""
    return translate(f"col.{sheet}.{column}", lang(), default=translate(f"col.{column}", lang(), default=column))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")


def md(text: Any, limit: int | None = None) -> str:
    """User text made safe for markdown: every markup character escaped, so it shows as typed.

    >>> md("<img src=x onerror=alert(1)> *bold*")
    '\\\\<img src\\\\=x onerror\\\\=alert\\\\(1\\\\)\\\\> \\\\*bold\\\\*'
    """
    text = "" if text is None else str(text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\r\n", "\n").replace("\n", "  \n")


def said(error: BaseException, mask: Callable[[str], str] | None = None) -> str:
    """An error's sentence in the screen's language when it carries a catalog id (:class:`dnh_graph.model.Said`),
    else its own text (InvalidInput lists its problems already); ``mask`` hides sensitive names in it (a stale
    row or an undo refusal names the row by its key, and a key can name a person)."""
    text = error.render(lang()) if isinstance(error, Said) else str(error)
    return text if mask is None else mask(text)
