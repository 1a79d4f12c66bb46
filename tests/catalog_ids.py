"""Message ids the code uses, read from the source with the AST (and the report templates with Jinja's).

``python -m tests.catalog_ids`` prints, per catalog, the ids it lacks and the ids nothing uses: the list
a translator works from (see the README).
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2 import nodes

REPO = Path(__file__).resolve().parent.parent
SOURCES = ("dnh_graph", "app", "pages", "streamlit_app.py")
SCREENS = ("app", "pages", "streamlit_app.py")
TRANSLATORS = {"t", "translate"}  # i18n.translate, app.words.t (pages alias it as t), the report templates' t
TEMPLATE_PREFIX = "report."  # the report templates (report*.j2) write their ids without it
DISPLAY = {"title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error",
           "toast", "button", "text_input", "text_area", "number_input", "selectbox", "multiselect", "radio",
           "checkbox", "toggle", "download_button", "file_uploader", "expander", "form_submit_button",
           "date_input", "slider", "select_slider", "write", "tabs", "popover", "page_link", "metric"}
ICON = re.compile(r":material/[a-z_]+:|:[a-z-]+\[")  # icons and colour directives (:red[…]) are not words
WORD = re.compile(r"[A-Za-z]{2,}")
MSGID = re.compile(r"[a-z_]+(\.[a-z0-9_]+)+")


@dataclass
class Found:
    literal: dict[str, list[str]] = field(default_factory=dict)  # id -> "file:line" where used
    patterns: dict[str, list[str]] = field(default_factory=dict)  # regex of an f-string id -> where
    english: list[str] = field(default_factory=list)  # "file:line: text" of English passed to a display call
    problems: list[str] = field(default_factory=list)  # "file:line: text" of a Problem still written in English


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


def _english(node: ast.expr, english: dict[str, str]) -> str | None:
    """The English words of a literal shown as is (a string constant that is not an id, an f-string's text)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
        return None if text in english or not WORD.search(ICON.sub("", text)) else text
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return text if WORD.search(ICON.sub("", text)) else None
    return None


def scan(english: dict[str, str]) -> Found:
    found = Found()
    for path in _files():
        rel = path.relative_to(REPO).as_posix()
        screen = rel.split("/")[0] in SCREENS
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name, where = _name(node.func), f"{rel}:{node.lineno}"
            first = node.args[0] if node.args else None
            if _is_problem(node.func) and len(node.args) >= 4:
                message = node.args[3]
                if isinstance(message, ast.Constant) and isinstance(message.value, str):
                    if MSGID.fullmatch(message.value):
                        found.literal.setdefault(message.value, []).append(where)
                    else:
                        found.problems.append(f"{where}: {message.value!r}")
                elif isinstance(message, ast.JoinedStr):
                    found.problems.append(f"{where}: {ast.unparse(message)}")
            elif name == "refuse" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant | ast.JoinedStr):
                found.problems.append(f"{where}: {ast.unparse(node.args[1])}")  # guards.refuse: still English
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
    env = jinja2.Environment()
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
    patterns = [re.compile(p) for p in found.patterns]
    unused = sorted(i for i in catalog if not i.startswith("_") and i not in found.literal
                    and not any(p.fullmatch(i) for p in patterns))
    return missing, unused


def main() -> int:
    from dnh_graph.i18n import available_languages, catalog

    found = scan(catalog("en"))
    bad = 0
    for lang in available_languages():
        missing, unused = missing_and_unused(catalog(lang), found)
        bad += len(missing)
        print(f"{lang}.json: {len(missing)} missing, {len(unused)} not used by a literal or f-string id")
        print("".join(f"  missing  {i}  ({found.literal[i][0]})\n" for i in missing), end="")
        print("".join(f"  unused   {i}\n" for i in unused), end="")
    print(f"{len(found.problems)} problems still written in English:")
    print("".join(f"  {p}\n" for p in found.problems), end="")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
