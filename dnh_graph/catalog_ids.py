"""Message ids the code uses, read from the source with the AST (and the report templates with Jinja's).

``dnh i18n check [--lang km]`` prints, per catalog, the ids it lacks (with the English text to translate),
the ids nothing uses and the texts whose ``{placeholders}`` differ from English: the list a translator
works from (see the README). tests/test_catalog_ids.py runs the same scan. It reads the source tree next
to the package (``app/``, ``pages/``), so it is a tool for a checkout, not for an installed wheel.
"""

from __future__ import annotations

import ast
import json
import re
import string
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2 import nodes

REPO = Path(__file__).resolve().parent.parent
SOURCES = ("dnh_graph", "app", "pages", "streamlit_app.py")
SCREENS = ("app", "pages", "streamlit_app.py")
TRANSLATORS = {"t", "translate", "Term"}  # i18n.translate, ui.t (pages alias it as t), the report templates' t
TEMPLATE_PREFIX = "report."  # the report templates (report*.j2) write their ids without it
DISPLAY = {"title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error",
           "toast", "button", "text_input", "text_area", "number_input", "selectbox", "multiselect", "radio",
           "checkbox", "toggle", "download_button", "file_uploader", "expander", "form_submit_button",
           "date_input", "slider", "select_slider", "write", "tabs", "popover", "page_link", "metric"}
ICON = re.compile(r":material/[a-z_]+:|:[a-z-]+\[")  # icons and colour directives (:red[…]) are not words
WORD = re.compile(r"[A-Za-z]{2,}")
MSGID = re.compile(r"[a-z_]+(\.[a-z0-9_]+)+")
# errors whose first argument is a message id
ERRORS = {"StaleEditError", "NotFoundError", "BusyError", "AccessError", "AccountError"}


@dataclass
class Found:
    literal: dict[str, list[str]] = field(default_factory=dict)  # id -> "file:line" where used
    patterns: dict[str, list[str]] = field(default_factory=dict)  # regex of an f-string id -> where
    english: list[str] = field(default_factory=list)  # "file:line: text" of English passed to a display call
    problems: list[str] = field(default_factory=list)  # "file:line: text" of a problem or refusal written in English
    mentioned: set[str] = field(default_factory=set)  # every string constant shaped like an id (tables of ids)
    built: set[str] = field(default_factory=set)  # patterns of f-strings shaped like an id, wherever they are


def _files():
    for name in SOURCES:
        path = REPO / name
        yield from ([path] if path.is_file() else sorted(path.rglob("*.py")))


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _is_problem(func: ast.expr) -> bool:
    """``Problem(sheet, row, column, msgid, …)`` or ``Problem.of(…)``: the fourth argument is the id."""
    return (isinstance(func, ast.Name) and func.id == "Problem") or (
        isinstance(func, ast.Attribute) and func.attr == "of" and isinstance(func.value, ast.Name)
        and func.value.id == "Problem")


def _pattern(node: ast.JoinedStr) -> str:
    return "".join(re.escape(v.value) if isinstance(v, ast.Constant) else r"[a-z0-9_.]+" for v in node.values)


def _built_id(node: ast.AST) -> bool:
    """An f-string that builds an id: it starts with a text holding a dot, and all its text is id letters."""
    if not isinstance(node, ast.JoinedStr) or not node.values or not isinstance(node.values[0], ast.Constant):
        return False
    parts = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return "." in str(node.values[0].value) and re.fullmatch(r"[a-z0-9_.]+", parts) is not None


def _english(node: ast.expr, english: dict[str, str]) -> str | None:
    """The English words of a literal shown as is (a string constant that is not an id, an f-string's text)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
        return None if text in english or not WORD.search(ICON.sub("", text)) else text
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return text if WORD.search(ICON.sub("", text)) else None
    return None


def _message(node: ast.expr, where: str, found: Found) -> None:
    """A problem's, refusal's or error's sentence: an id literal is a use, English text is reported."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if MSGID.fullmatch(node.value):
            found.literal.setdefault(node.value, []).append(where)
        else:
            found.problems.append(f"{where}: {node.value!r}")
    elif isinstance(node, ast.JoinedStr):
        parts = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        if re.fullmatch(r"[a-z0-9_.]+", parts) and "." in parts:  # an id built from keys: f"access.{right}"
            found.patterns.setdefault(_pattern(node), []).append(where)
        else:
            found.problems.append(f"{where}: {ast.unparse(node)}")


def scan_source(rel: str, source: str, english: dict[str, str], found: Found) -> None:
    """Add what the module ``rel`` (its text ``source``) uses and shows to ``found``."""
    screen = rel.split("/")[0] in SCREENS
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and MSGID.fullmatch(node.value):
            found.mentioned.add(node.value)
        if _built_id(node):  # f"workshop.ask.{n}.{i}" returned by a function and translated elsewhere
            found.built.add(_pattern(node))
        if not isinstance(node, ast.Call):
            continue
        name, where = _name(node.func), f"{rel}:{node.lineno}"
        first = node.args[0] if node.args else None
        if _is_problem(node.func) and len(node.args) >= 4:
            _message(node.args[3], where, found)
        elif name == "refuse" and len(node.args) >= 2:  # guards.refuse(where, msgid, **params)
            _message(node.args[1], where, found)
        elif name in ERRORS and first is not None:
            _message(first, where, found)
        elif name in TRANSLATORS and first is not None:
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.literal.setdefault(first.value, []).append(where)
            elif isinstance(first, ast.JoinedStr):
                found.patterns.setdefault(_pattern(first), []).append(where)
            elif isinstance(first, ast.BinOp) and isinstance(first.left, ast.Constant):  # "x." + key
                found.patterns.setdefault(re.escape(str(first.left.value)) + r"[a-z0-9_.]+", []).append(where)
        elif screen and name in DISPLAY:
            shown = [*node.args[:1], *(k.value for k in node.keywords if k.arg in ("label", "body", "help"))]
            for arg in shown:
                if (text := _english(arg, english)) is not None:
                    found.english.append(f"{where}: {text!r}")


def scan(english: dict[str, str]) -> Found:
    found = Found()
    for path in _files():
        scan_source(path.relative_to(REPO).as_posix(), path.read_text(encoding="utf-8"), english, found)
    env = jinja2.Environment(autoescape=True)  # parsed only, never rendered
    for path in sorted((REPO / "dnh_graph/render/templates").glob("*.j2")):
        for call in env.parse(path.read_text(encoding="utf-8")).find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name == "t" and call.args:
                arg, where = call.args[0], f"{path.relative_to(REPO).as_posix()}:{call.lineno}"
                prefix = TEMPLATE_PREFIX if path.name.startswith("report") else ""
                if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                    found.literal.setdefault(prefix + arg.value, []).append(where)
                elif isinstance(arg, nodes.Concat | nodes.Add):  # "x." ~ key: a prefix
                    head = next(iter(arg.find_all(nodes.Const)), None)
                    if head is not None:
                        found.patterns.setdefault(re.escape(prefix + head.value) + r"[a-z0-9_.]+",
                                                  []).append(where)
    return found


def missing_and_unused(catalog: dict[str, str], found: Found) -> tuple[list[str], list[str]]:
    """Literal ids the catalog lacks; catalog ids no literal names and no f-string id can build."""
    missing = sorted(i for i in found.literal if i not in catalog)
    patterns = [re.compile(p) for p in (*found.patterns, *found.built)]
    unused = sorted(i for i in catalog if not i.startswith("_") and i not in found.literal
                    and i not in found.mentioned and not any(p.fullmatch(i) for p in patterns))
    return missing, unused


def placeholders(text: str) -> Counter:
    """The ``{name:spec}`` fields of a text, counted (``{{`` is a brace, not a field)."""
    return Counter((name, spec) for _, name, spec, _ in string.Formatter().parse(text) if name is not None)


@dataclass
class Report:
    """What one catalog lacks or holds in excess, compared with English and with the code."""

    lang: str
    missing: list[str]  # ids to add: used by the code, or (not English) in en.json
    unused: list[str]  # English: ids no literal or f-string id of the code names; a translation: ids
    # en.json does not have (renamed or removed in English)
    mismatched: list[str]  # ids whose placeholders differ from the English text's

    @property
    def failed(self) -> bool:
        return bool(self.missing or self.mismatched)  # an unused id is harmless: listed, not a failure


def check(lang: str, found: Found, english: dict[str, str], texts: dict[str, str]) -> Report:
    """Compare one catalog (``texts``) with the code's ids and, for a translation, with English."""
    missing, unused = missing_and_unused(texts, found)
    if lang == "en":
        return Report(lang, missing, unused, [])
    wanted = {i for i in english if not i.startswith("_")} | set(missing)
    missing = sorted(i for i in wanted if i not in texts)
    stray = sorted(i for i in texts if not i.startswith("_") and i not in english)
    mismatched = sorted(i for i in texts if i in english and placeholders(texts[i]) != placeholders(english[i]))
    return Report(lang, missing, stray, mismatched)


def _fields(text: str) -> str:
    return " ".join(sorted("{" + n + (":" + s if s else "") + "}" for n, s in placeholders(text).elements()))


def format_report(report: Report, found: Found, english: dict[str, str], texts: dict[str, str]) -> str:
    """Lines a translator acts on: each id with the English text (as a JSON string, ready to paste)."""
    unused = "unused (no literal or f-string id of the code names them)" if report.lang == "en" else \
        "unused (en.json no longer has them)"
    lines = [f"{report.lang}.json: {len(report.missing)} missing, {len(report.mismatched)} placeholder "
             f"mismatch(es), {len(report.unused)} {unused}"]
    for i in report.missing:
        where = found.literal.get(i, [""])[0]
        lines.append(f"  missing      {json.dumps(i)}: {json.dumps(english.get(i, ''), ensure_ascii=False)},"
                     + (f"  # {where}" if where else ""))
    for i in report.mismatched:
        lines.append(f"  placeholders {i}: en has {_fields(english[i]) or 'none'}, "
                     f"{report.lang} has {_fields(texts[i]) or 'none'}")
    lines.extend(f"  unused       {i}" for i in report.unused)
    return "\n".join(lines)


def run_check(langs: list[str] | None = None) -> tuple[int, str]:
    """``dnh i18n check``: the report of each catalog (or of ``langs``); 1 when any of them fails."""
    from dnh_graph.i18n import available_languages, catalog

    english = catalog("en")
    found = scan(english)
    known = available_languages()
    unknown = [lang for lang in langs or [] if lang not in known]
    if unknown:
        return 2, f"No catalog for {', '.join(unknown)}: the catalogs are {', '.join(known)} (dnh_graph/locales/)."
    out, failed = [], False
    for lang in langs or list(known):
        report = check(lang, found, english, catalog(lang))
        failed |= report.failed
        out.append(format_report(report, found, english, catalog(lang)))
    if found.problems and "en" in (langs or known):
        out.append(f"{len(found.problems)} problem message(s) still written in English in the code:")
        out.extend(f"  {p}" for p in found.problems)
    return (1 if failed else 0), "\n".join(out)
