"""Typed records of a DNH analysis and the one place where their values are validated.

Every table (README.md#data-model) is described once in :data:`TABLES` (columns, types, ranges,
vocabularies, references). Imports (workbook, CSV, JSON), the command line and the screens all turn raw rows into
records through :func:`validate_analysis` or :func:`parse_row`, so a rule is written once and every
entry path refuses the same things with the same sentence.

Records refer to each other by ``key`` (``Impact.detail == "D1"``), never by database id: that is how
people and files name things. ``id`` and ``version`` are filled in by the store and take no part in
equality, so that ``restore(backup(x)) == x`` compares what a person entered.

Examples
--------
>>> rows = {"analysis": [(2, {"key": "demo", "name": "Demo"})],
...         "actors": [(2, {"key": "A1", "name": "Commune council", "type": "local_authority"})],
...         "factors": [(2, {"key": "D1", "kind": "divider", "name": "Land", "category": "experiences",
...                          "priority": "9"})]}
>>> analysis, problems = validate_analysis(rows)
>>> [str(p) for p in problems]
['factors, row 2, priority: must be a whole number from 1 to 5 (got 9).']
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dnh_graph import vocab
from dnh_graph.i18n import Term, translate
from dnh_graph.text import clip

__all__ = [
    "Problem",
    "InvalidInput",
    "Said",
    "Column",
    "TableSpec",
    "TABLES",
    "CHILD_TABLES",
    "AnalysisInfo",
    "Actor",
    "Relationship",
    "Factor",
    "FactorActor",
    "Detail",
    "Impact",
    "Option",
    "OptionImpact",
    "Review",
    "FactorReading",
    "ActorReading",
    "Monitoring",
    "Analysis",
    "parse_row",
    "Unique",
    "NAMED_BY",
    "reference_names",
    "validate_analysis",
    "dependents",
    "check_columns",
    "REQUIRED_SHEETS",
    "record_to_row",
    "MAX_TEXT",
    "MAX_KEY",
    "nul_problem",
    "NUL_MESSAGE",
]

MAX_TEXT = 20_000  # characters in one free-text cell: far above any real note, far below a DoS
MAX_KEY = 100
# PostgreSQL cannot store a NUL character in text (SQLite can): refused everywhere, so that both
# databases give the same answer and a backup restores on either.
NUL = "\x00"
NUL_MESSAGE = "problem.nul"  # the message id


# ---------------------------------------------------------------------------------------- problems
@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as a person sees it: sheet, spreadsheet row, column."""

    sheet: str
    row: int | None
    column: str | None
    msgid: str  # a catalog id; older callers' plain English is shown as it is (the catalog falls back to it)
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, sheet: str, row: int | None, column: str | None, msgid: str, **params: Any) -> Problem:
        return cls(sheet, row, column, msgid, tuple(params.items()))

    def render(self, lang: str = "en") -> str:
        """What is wrong, in ``lang`` (without the place: screens show the place their own way)."""
        return translate(self.msgid, lang, **dict(self.params))

    @property
    def message(self) -> str:
        """What is wrong, in English (the command line prints English)."""
        return self.render()

    def __str__(self) -> str:
        where = [self.sheet]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}"


class Said:
    """Mixed into an error whose sentence is a catalog id: ``str()`` is English (the command line),
    :meth:`render` the sentence in a screen's language."""

    def __init__(self, msgid: str, **params: Any):
        self.msgid, self.params = msgid, params
        super().__init__(translate(msgid, "en", **params))

    def render(self, lang: str = "en") -> str:
        return translate(self.msgid, lang, **self.params)


class InvalidInput(ValueError):
    """Input was refused; ``problems`` lists every reason at once. Nothing was changed."""

    def __init__(self, problems: Iterable[Problem | str]):
        self.problems = [p if isinstance(p, Problem) else Problem("input", None, None, p) for p in problems]
        super().__init__("\n".join(str(p) for p in self.problems))


# ----------------------------------------------------------------------------------------- records
def _meta():
    """Store-assigned fields: not part of what a person entered, so not part of equality."""
    return field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class AnalysisInfo:
    key: str
    name: str
    location: str = ""
    context: str = ""
    conflict: str = ""
    start_date: dt.date | None = None
    id: int | None = _meta()
    version: int | None = _meta()


@dataclass(frozen=True)
class Actor:
    key: str
    name: str
    type: str = "other"
    stance: str = "unknown"
    influence: int = 3
    description: str = ""
    sensitive: bool = False
    tags: tuple[str, ...] = ()
    id: int | None = _meta()
    version: int | None = _meta()


@dataclass(frozen=True)
class Relationship:
    source: str
    target: str
    type: str
    strength: int = 2
    directed: bool = False
    note: str = ""
    id: int | None = _meta()
    version: int | None = _meta()


@dataclass(frozen=True)
class Factor:
    key: str
    kind: str
    name: str
    category: str
    priority: int = 3
    description: str = ""
    tags: tuple[str, ...] = ()
    id: int | None = _meta()
    version: int | None = _meta()


@dataclass(frozen=True)
class FactorActor:
    factor: str
    actor: str
    role: str
    id: int | None = _meta()
    version: int | None = _meta()


@dataclass(frozen=True)
class Detail:
    key: str
    question: str
    activity: str = ""
    description: str = ""
    active: bool = True
    id: int | None = _meta()
    version: int | None = _meta()


@dataclass(frozen=True)
class Impact:
    detail: str
    factor: str
    effect: str
    magnitude: int
    mechanism: str
    pattern: str = ""
    confidence: str = "medium"
    evidence: str = ""
    observed_on: dt.date | None = None
    id: int | None = _meta()
    version: int | None = _meta()


@dataclass(frozen=True)
class Option:
    key: str
    title: str
    detail: str = ""  # the detail it changes; empty = an addition
    description: str = ""
    feasibility: int = 3
    cost: int = 3
    status: str = "idea"
    side_effects: str = ""
    id: int | None = _meta()
    version: int | None = _meta()


@dataclass(frozen=True)
class OptionImpact:
    option: str
    factor: str
    effect: str
    magnitude: int
    mechanism: str
    pattern: str = ""
    confidence: str = "medium"
    evidence: str = ""
    id: int | None = _meta()
    version: int | None = _meta()


@dataclass(frozen=True)
class Review:
    key: str
    date: dt.date
    title: str = ""
    events: str = ""
    id: int | None = _meta()
    version: int | None = _meta()


@dataclass(frozen=True)
class FactorReading:
    review: str
    factor: str
    strength: int
    note: str = ""
    id: int | None = _meta()
    version: int | None = _meta()


@dataclass(frozen=True)
class ActorReading:
    review: str
    actor: str
    influence: int = 3
    stance: str = "unknown"
    id: int | None = _meta()
    version: int | None = _meta()


@dataclass(frozen=True)
class Monitoring:
    review: str
    criterion: str
    rating: str
    evidence: str = ""
    recommendation: str = ""
    id: int | None = _meta()
    version: int | None = _meta()


# -------------------------------------------------------------------------------------- table specs
@dataclass(frozen=True)
class Column:
    """One column of a sheet: how a raw cell becomes a typed value.

    kind: ``key`` (a short id), ``text``, ``enum`` (from ``vocabulary``), ``int`` (``lo``..``hi``),
    ``bool``, ``date``, ``tags`` or ``ref`` (the key of a row of table ``ref``). A ``required`` column
    must be in the header and non-empty in every row; any other column may be absent (default used).
    """

    name: str
    kind: str
    required: bool = False
    vocabulary: str | None = None
    lo: int | None = None
    hi: int | None = None
    ref: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """A sheet of the workbook / a CSV file / a list in the JSON backup."""

    name: str
    record: type
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()  # columns whose values together may appear once per analysis

    @property
    def singular(self) -> Term:
        """One row's name ("actor", "factor–actor link") for sentences about a row: a catalog word, so a
        Khmer sentence says it in Khmer (``sheet_one.<name>``)."""
        return Term(f"sheet_one.{self.name}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def keyed(self) -> bool:
        return self.columns[0].kind == "key"


def _c(name, kind, required=False, vocabulary=None, lo=None, hi=None, ref=None) -> Column:
    return Column(name, kind, required, vocabulary, lo, hi, ref)


_TABLE_LIST = [
    TableSpec("analysis", AnalysisInfo, (
        _c("key", "key", True), _c("name", "text", True), _c("location", "text"),
        _c("context", "text"), _c("conflict", "text"), _c("start_date", "date"),
    ), ("key",)),
    TableSpec("actors", Actor, (
        _c("key", "key", True), _c("name", "text", True),
        _c("type", "enum", vocabulary="actor_type"), _c("stance", "enum", vocabulary="stance"),
        _c("influence", "int", lo=1, hi=5), _c("description", "text"), _c("sensitive", "bool"),
        _c("tags", "tags"),
    ), ("key",)),
    TableSpec("relationships", Relationship, (
        _c("source", "ref", True, ref="actors"), _c("target", "ref", True, ref="actors"),
        _c("type", "enum", True, vocabulary="relationship_type"), _c("strength", "int", lo=1, hi=3),
        _c("directed", "bool"), _c("note", "text"),
    ), ()),
    TableSpec("factors", Factor, (
        _c("key", "key", True), _c("kind", "enum", True, vocabulary="factor_kind"),
        _c("name", "text", True), _c("category", "enum", True, vocabulary="factor_category"),
        _c("priority", "int", lo=1, hi=5), _c("description", "text"), _c("tags", "tags"),
    ), ("key",)),
    TableSpec("factor_actors", FactorActor, (
        _c("factor", "ref", True, ref="factors"), _c("actor", "ref", True, ref="actors"),
        _c("role", "enum", True, vocabulary="factor_actor_role"),
    ), ("factor", "actor", "role")),
    TableSpec("details", Detail, (
        _c("key", "key", True), _c("question", "enum", True, vocabulary="detail_question"),
        _c("activity", "text"), _c("description", "text"), _c("active", "bool"),
    ), ("key",)),
    TableSpec("impacts", Impact, (
        _c("detail", "ref", True, ref="details"), _c("factor", "ref", True, ref="factors"),
        _c("effect", "enum", True, vocabulary="effect"), _c("magnitude", "int", True, lo=1, hi=3),
        _c("mechanism", "enum", True, vocabulary="mechanism"), _c("pattern", "enum", vocabulary="pattern"),
        _c("confidence", "enum", vocabulary="confidence"), _c("evidence", "text"), _c("observed_on", "date"),
    ), ()),
    TableSpec("options", Option, (
        _c("key", "key", True), _c("detail", "ref", ref="details"), _c("title", "text", True),
        _c("description", "text"), _c("feasibility", "int", lo=1, hi=5), _c("cost", "int", lo=1, hi=5),
        _c("status", "enum", vocabulary="option_status"), _c("side_effects", "text"),
    ), ("key",)),
    TableSpec("option_impacts", OptionImpact, (
        _c("option", "ref", True, ref="options"), _c("factor", "ref", True, ref="factors"),
        _c("effect", "enum", True, vocabulary="effect"), _c("magnitude", "int", True, lo=1, hi=3),
        _c("mechanism", "enum", True, vocabulary="mechanism"), _c("pattern", "enum", vocabulary="pattern"),
        _c("confidence", "enum", vocabulary="confidence"), _c("evidence", "text"),
    ), ()),
    TableSpec("reviews", Review, (
        _c("key", "key", True), _c("date", "date", True), _c("title", "text"), _c("events", "text"),
    ), ("key",)),
    TableSpec("factor_readings", FactorReading, (
        _c("review", "ref", True, ref="reviews"), _c("factor", "ref", True, ref="factors"),
        _c("strength", "int", True, lo=0, hi=5), _c("note", "text"),
    ), ("review", "factor")),
    TableSpec("actor_readings", ActorReading, (
        _c("review", "ref", True, ref="reviews"), _c("actor", "ref", True, ref="actors"),
        _c("influence", "int", lo=1, hi=5), _c("stance", "enum", vocabulary="stance"),
    ), ("review", "actor")),
    TableSpec("monitoring", Monitoring, (
        _c("review", "ref", True, ref="reviews"), _c("criterion", "enum", True, vocabulary="criterion"),
        _c("rating", "enum", True, vocabulary="rating"), _c("evidence", "text"), _c("recommendation", "text"),
    ), ("review", "criterion")),
]
TABLES: dict[str, TableSpec] = {spec.name: spec for spec in _TABLE_LIST}
# Every table but the analysis header, in dependency order (a table only refers to earlier ones).
CHILD_TABLES: tuple[str, ...] = tuple(name for name in TABLES if name != "analysis")
REQUIRED_SHEETS = ("analysis", "actors", "factors")


@dataclass
class Analysis:
    """A whole analysis: its header and every row of every table, in entry order."""

    info: AnalysisInfo
    actors: list[Actor] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    factors: list[Factor] = field(default_factory=list)
    factor_actors: list[FactorActor] = field(default_factory=list)
    details: list[Detail] = field(default_factory=list)
    impacts: list[Impact] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    option_impacts: list[OptionImpact] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    factor_readings: list[FactorReading] = field(default_factory=list)
    actor_readings: list[ActorReading] = field(default_factory=list)
    monitoring: list[Monitoring] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.info.key

    def rows(self, table: str) -> list:
        """The records of one table by its sheet name (``analysis`` gives the header as a list)."""
        return [self.info] if table == "analysis" else getattr(self, table)

    def by_key(self, table: str) -> dict[str, Any]:
        return {r.key: r for r in self.rows(table)}

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in CHILD_TABLES}


# --------------------------------------------------------------------------------------- parsing
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _as_text(value: Any) -> str:
    """A cell as text. Whole floats from a spreadsheet lose their '.0' (a code 12 is not '12.0')."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _shown(value: Any) -> str:
    text = _as_text(value)
    return clip(text, 40, "...")


def _enum_lookup(vocabulary: str) -> dict[str, str]:
    """Accept the stored key or the English label, in any case, spaces or underscores."""
    table = {}
    for key in vocab.VOCABULARIES[vocabulary]:
        table[key] = key
        table[vocab.label(vocabulary, key).lower()] = key
        table[key.replace("_", " ")] = key
    return table


_ENUM_LOOKUPS = {name: _enum_lookup(name) for name in vocab.VOCABULARIES}


@functools.cache
def _enum_lookup_in(vocabulary: str, lang: str) -> dict[str, str]:
    """The key/English lookup plus the labels of ``lang`` (what a grid shows in that language)."""
    table = dict(_ENUM_LOOKUPS[vocabulary])
    for key, shown in vocab.labels(vocabulary, lang).items():
        table.setdefault(shown.strip().lower(), key)
    return table


# The column that names a row of a keyed table (a reference may be typed as this name instead of the key).
NAMED_BY = {"actors": "name", "factors": "name", "details": "description", "options": "title", "reviews": "title"}
_LABEL_SEPARATOR = " · "  # how a grid shows a reference: "A1 · Commune council"


def reference_names(analysis: Analysis) -> dict[str, dict[str, str | None]]:
    """For every keyed table, what a person may type to refer to one of its rows, lowercased -> key.

    The key (any case) and the row's name (:data:`NAMED_BY`) are accepted; a name two rows share maps
    to None (refused with a sentence asking for the key). Exact keys win over names.

    >>> a = Analysis(AnalysisInfo("x", "X"), actors=[Actor("A1", "Council"), Actor("A2", "council")])
    >>> sorted(reference_names(a)["actors"].items())
    [('a1', 'A1'), ('a2', 'A2'), ('council', None)]
    """
    found: dict[str, dict[str, str | None]] = {}
    for table, column in NAMED_BY.items():
        names: dict[str, str | None] = {}
        records = analysis.rows(table)
        for record in records:
            name = str(getattr(record, column) or "").strip().lower()
            if name:
                names[name] = None if name in names and names[name] != record.key else record.key
        for record in records:
            names[record.key.lower()] = record.key
        found[table] = names
    return found


def _resolve_ref(col: Column, text: str, refs: Mapping[str, Mapping[str, str | None]]) -> tuple[str | None, Any]:
    """A reference typed as a key, a name, or as a grid shows it ("A1 · Commune council")."""
    names = refs.get(col.ref, {})
    what = TABLES[col.ref].singular
    for candidate in (text, text.split(_LABEL_SEPARATOR, 1)[0].strip()):
        lowered = candidate.lower()
        if lowered in names:
            key = names[lowered]
            if key is None:
                return None, ("problem.ref_ambiguous", {"what": what, "name": _shown(candidate)})
            return key, None
    return None, ("problem.ref_unknown", {"what": what, "value": _shown(text)})


def nul_problem(table: str, row: int | None, column: str, value: Any) -> Problem | None:
    """The problem with a text (or list of texts, as tags) holding a NUL character, else None.

    Examples
    --------
    >>> str(nul_problem("actors", 3, "name", "Fishers\\x00"))[:49]
    'actors, row 3, name: contains a NUL character (an'
    >>> nul_problem("actors", 3, "name", "Fishers") is None
    True
    """
    values = value if isinstance(value, (list, tuple)) else (value,)
    if any(isinstance(v, str) and NUL in v for v in values):
        return Problem(table, row, column, NUL_MESSAGE)
    return None


def _parse_cell(col: Column, value: Any, lang: str | None = None,
                refs: Mapping[str, Mapping[str, str | None]] | None = None) -> tuple[Any, Any]:
    """Returns (typed value, None) or (None, (message id, parameters))."""
    kind = col.kind
    if kind == "ref" and refs is not None:
        text = _as_text(value).strip()
        return _resolve_ref(col, text, refs)
    if kind in ("text", "key", "ref"):
        text = _as_text(value)
        if kind != "text":
            text = text.strip()
            if len(text) > MAX_KEY:
                return None, ("problem.key_too_long", {"limit": MAX_KEY, "got": len(text)})
        elif len(text) > MAX_TEXT:
            return None, ("problem.text_too_long", {"limit": MAX_TEXT, "got": len(text)})
        return text, None
    if kind == "enum":
        raw = _as_text(value).strip()
        lookup = _ENUM_LOOKUPS[col.vocabulary] if lang in (None, "en") else _enum_lookup_in(col.vocabulary, lang)
        found = lookup.get(raw.lower())
        if found is None:
            allowed = ", ".join(k for k in vocab.keys(col.vocabulary) if k) if lang is None else \
                ", ".join(v for k, v in vocab.labels(col.vocabulary, lang).items() if k)
            return None, ("problem.not_one_of", {"value": _shown(raw), "allowed": allowed})
        return found, None
    if kind == "int":
        number = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            text = value.strip()
            try:
                as_float = float(text)
                number = int(as_float) if as_float.is_integer() else None
            except ValueError:
                number = None
        if number is None or not (col.lo <= number <= col.hi):
            return None, ("problem.whole_number", {"lo": col.lo, "hi": col.hi, "got": _shown(value)})
        return number, None
    if kind == "bool":
        if isinstance(value, bool):
            return value, None
        raw = _as_text(value).strip().lower()
        if raw in _TRUE:
            return True, None
        if raw in _FALSE:
            return False, None
        return None, ("problem.boolean", {"got": _shown(value)})
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        raw = _as_text(value).strip()
        try:
            if len(raw) != 10:
                raise ValueError
            return dt.date.fromisoformat(raw), None
        except ValueError:
            return None, ("problem.date", {"got": _shown(value)})
    if kind == "tags":
        parts = [_as_text(v) for v in value] if isinstance(value, (list, tuple)) else _as_text(value).split(";")
        tags = tuple(p.strip() for p in parts if p.strip())
        if any(";" in p for p in tags):
            return None, ("problem.tag_semicolon", {})
        return tags, None
    raise ValueError(f"unknown column kind {kind}")  # a programming error, not input


def _default(spec: TableSpec, name: str) -> Any:
    f = spec.record.__dataclass_fields__[name]
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:  # pragma: no cover - no such field today
        return f.default_factory()
    return None


def parse_row(table: str, raw: Mapping[str, Any], row: int | None = None, *, lang: str | None = None,
              refs: Mapping[str, Mapping[str, str | None]] | None = None):
    """Turn one raw row (cells as text or spreadsheet values) into a record.

    Returns ``(record, problems)``; ``record`` is None when there is any problem. A choice column takes
    the stored key or the English label in any case; with ``lang``, the label in that language too (what
    a grid shows). References are not checked here unless ``refs`` (:func:`reference_names` of the
    analysis) is given: then a reference may be typed as the key or the name of the row, and anything
    else is refused; without it, see :func:`validate_analysis`.
    """
    spec = TABLES[table]
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for col in spec.columns:
        value = raw.get(col.name)
        if _is_empty(value):
            if col.required:
                problems.append(Problem(table, row, col.name, "problem.required_empty"))
            else:
                values[col.name] = "" if col.kind == "ref" else _default(spec, col.name)
            continue
        found = nul_problem(table, row, col.name, value)
        if found:
            problems.append(found)
            continue
        parsed, message = _parse_cell(col, value, lang, refs)
        if message:
            problems.append(Problem.of(table, row, col.name, message[0], **message[1]))
        else:
            values[col.name] = parsed
    if table == "relationships" and not problems and values["source"] == values["target"]:
        problems.append(Problem(table, row, "target", "problem.self_relationship"))
    if problems:
        return None, problems
    for meta in ("id", "version"):
        if raw.get(meta) is not None:
            values[meta] = raw[meta]
    return spec.record(**values), []


def record_to_row(record: Any, table: str) -> dict[str, Any]:
    """A record as a plain row of typed values, in the column order of docs/file-formats.md."""
    return {c.name: getattr(record, c.name) for c in TABLES[table].columns}


def check_columns(table: str, header: Iterable[str]) -> list[Problem]:
    """Required columns missing from a sheet's header row, and duplicated column names."""
    header = [h for h in header]
    problems = []
    present = set(header)
    for col in TABLES[table].columns:
        if col.required and col.name not in present:
            problems.append(Problem(table, 1, col.name, "problem.column_missing"))
    seen = set()
    for name in header:
        if name in seen and name:
            problems.append(Problem(table, 1, name, "problem.column_twice"))
        seen.add(name)
    return problems


class Unique:
    """A table's uniqueness rule (its key, or a link table's unique columns), applied row after row.

    The one place it is written: a sheet read, a grid save, a table import and the store all ask it,
    so a duplicate reads the same on every path. ``saved`` are rows already stored that stay.
    """

    def __init__(self, table: str, saved: Iterable[Any] = ()):
        self.table, self.columns = table, TABLES[table].unique
        self.saved = {self.ident(r) for r in saved} if self.columns else set()
        self.first: dict[tuple, int | None] = {}

    def ident(self, record: Any) -> tuple:
        return tuple(getattr(record, c) for c in self.columns)

    def check(self, record: Any, row: int | None) -> Problem | None:
        """The problem of a row whose identity a saved row or an earlier row holds; else None (remembered)."""
        if not self.columns:
            return None
        ident = self.ident(record)
        if ident not in self.saved and ident not in self.first:
            self.first[ident] = row
            return None
        first = self.first.get(ident)
        msgid = ("problem.duplicate_saved" if ident in self.saved else
                 "problem.duplicate" if first is not None else "problem.duplicate_unplaced")
        return Problem.of(self.table, row, self.columns[-1], msgid, columns=", ".join(self.columns),
                          value="/".join(map(str, ident)), first=first)


def validate_analysis(raw_tables: Mapping[str, list[tuple[int | None, Mapping[str, Any]]]]):
    """Validate a whole analysis given as raw rows per sheet, with each row's spreadsheet number.

    Checks every cell, keys unique within their sheet, uniqueness rules, and every reference to
    another sheet. Returns ``(Analysis, [])`` or ``(None, problems)`` listing every problem at once.
    """
    problems: list[Problem] = []
    for sheet in REQUIRED_SHEETS:
        if sheet not in raw_tables:
            problems.append(Problem(sheet, None, None, "problem.sheet_missing"))
    header_rows = raw_tables.get("analysis", [])
    if "analysis" in raw_tables and len(header_rows) != 1:
        problems.append(Problem.of("analysis", None, None, "problem.one_analysis_row",
                                   found=len(header_rows)))

    parsed: dict[str, list[Any]] = {}
    known: dict[str, set[str]] = {}
    for table, spec in TABLES.items():
        records = []
        unique = Unique(table)
        for row_number, raw in raw_tables.get(table, []):
            record, row_problems = parse_row(table, raw, row_number)
            problems.extend(row_problems)
            if record is None:
                # remember the key anyway, so rows that refer to it are not blamed for this row's fault
                if spec.keyed and not _is_empty(raw.get("key")):
                    known.setdefault(table, set()).add(_as_text(raw["key"]).strip())
                continue
            # references to earlier tables (TABLES is in dependency order)
            for col in spec.columns:
                if col.kind == "ref":
                    value = getattr(record, col.name)
                    if value and value not in known.get(col.ref, set()):
                        problems.append(Problem.of(table, row_number, col.name, "problem.not_in_sheet",
                                                   value=_shown(value), table=col.ref))
            if (duplicate := unique.check(record, row_number)) is not None:
                problems.append(duplicate)
                continue
            records.append(record)
        parsed[table] = records
        if spec.keyed:
            known.setdefault(table, set()).update(r.key for r in records)
    if problems:
        return None, problems
    return Analysis(info=parsed["analysis"][0], **{t: parsed[t] for t in CHILD_TABLES}), []


def dependents(analysis: Analysis, table: str, key: str) -> dict[str, int]:
    """What deleting row ``key`` of ``table`` takes with it: rows per table that refer to it, transitively.

    The screens ask this before a deletion (README.md#data-model: deleting cascades), on the analysis they hold.

    Examples
    --------
    >>> a = Analysis(AnalysisInfo("x", "X"), actors=[Actor("A1", "a"), Actor("A2", "b")],
    ...              relationships=[Relationship("A1", "A2", "conflict")])
    >>> dependents(a, "actors", "A2")
    {'relationships': 1}
    """
    doomed: dict[str, set] = {table: {key}}
    counts: dict[str, int] = {}
    for other in CHILD_TABLES:  # dependency order: referrers come after what they refer to
        spec = TABLES[other]
        refs = [c for c in spec.columns if c.kind == "ref" and c.ref in doomed]
        if not refs or other == table:
            continue
        hit = [r for r in analysis.rows(other) if any(getattr(r, c.name) in doomed[c.ref] for c in refs)]
        if hit:
            counts[other] = len(hit)
            if spec.keyed:
                doomed[other] = {r.key for r in hit}
    return counts
