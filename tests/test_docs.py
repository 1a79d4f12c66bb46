"""The README documents every setting and every CLI command (datasette's habit): docs that cannot drift."""

import re
from pathlib import Path

from dnh_graph import vocab
from dnh_graph.cli import build_parser
from dnh_graph.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme():
    for name in SETTINGS:
        assert f"`{name}`" in README, name


def test_every_command_is_in_the_readme():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        assert f"`dnh {name}" in README, name


def test_quick_start_commands():
    assert "make run" in README and "make test" in README
    assert "pip install -r requirements.txt" in README and "streamlit run streamlit_app.py" in README


# ------------------------------------------------------------------ the repo explains itself
REPO = Path(__file__).resolve().parent.parent
CODE = [p for d in ("dnh_graph", "app", "pages", "tests", "bench") for p in sorted((REPO / d).rglob("*.py"))]
TEXT = [*CODE, REPO / "README.md", REPO / "data" / "README.md", REPO / ".streamlit" / "config.toml",
        *sorted((REPO / "docs").glob("*.md"))]
REFERENCE = re.compile(r"\b(README\.md|docs/[a-z-]+\.md)(?:#([a-z0-9-]+))?")


def _anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of a markdown file."""
    heads = re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), flags=re.M)
    return {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in heads}


def test_no_reference_to_notes_outside_the_repo():
    # the design notes this code was first written from are not part of the repo: its docs/ are
    outside = "DESIGN" + " §"
    found = [f"{p.relative_to(REPO)}:{n}" for p in TEXT if p.is_file()
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
             if outside in line or "shared/" + "DESIGN.md" in line]
    assert found == []


def test_every_docs_reference_in_the_code_names_a_page_and_heading_that_exist():
    wrong = []
    for p in CODE:
        for page, anchor in REFERENCE.findall(p.read_text(encoding="utf-8")):
            target = REPO / page
            if not target.is_file() or (anchor and anchor not in _anchors(target)):
                wrong.append(f"{p.relative_to(REPO)}: {page}#{anchor}")
    assert len(CODE) > 50 and wrong == []


def test_the_method_page_lists_every_vocabulary_key():
    method = (REPO / "docs" / "method.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].split("(")[0].strip(): line.split("|")[2] for line in method.splitlines()
            if line.startswith("| ") and line.count("|") == 3}
    for name in vocab.VOCABULARIES:
        assert name in rows, name
        assert [k.strip() for k in rows[name].split(",")] == [k for k in vocab.keys(name) if k], name
