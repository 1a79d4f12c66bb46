"""Issue 13: the downloads made while "Hide sensitive names" is on hold no sensitive name, description,
tag or person-naming key, in any table or export format; with it off they do (the test can fail)."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.table_files import table_bytes
from dnh_graph import exports, privacy, tables
from dnh_graph.model import CHILD_TABLES
from tests.privacy_support import NEEDLES, SHOWN_WHEN_OFF, found_in, sensitive_analysis
from tests.strategies import analyses

SHEETS = ("analysis", *CHILD_TABLES)


def readable_bytes(data: bytes) -> str:
    """The text of a download: a zip (xlsx, csv folder) unpacked, every member decoded."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return data.decode("utf-8", "replace")


@pytest.mark.parametrize("write", [tables.table_to_csv_bytes, tables.table_to_xlsx_bytes])
def test_every_table_download_is_pseudonymised_while_hidden(write):
    a = sensitive_analysis()
    hidden = [readable_bytes(table_bytes(write, a, sheet, True)) for sheet in SHEETS]
    assert found_in(hidden, NEEDLES) == []
    shown = [readable_bytes(table_bytes(write, a, sheet, False)) for sheet in SHEETS]
    assert found_in(shown, SHOWN_WHEN_OFF) == list(SHOWN_WHEN_OFF)


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_every_export_of_the_shown_analysis_is_pseudonymised(fmt):
    """What the Network and Report screens export while names are hidden: the shown (already
    pseudonymised) analysis, pseudonymised again (which changes nothing more)."""
    a = sensitive_analysis()
    data = exports.export_bytes(privacy.shown(a, True), fmt, pseudonymise=True)[0]
    assert found_in([readable_bytes(data)], NEEDLES) == []
    named = exports.export_bytes(a, fmt)[0]
    assert found_in([readable_bytes(named)], SHOWN_WHEN_OFF)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(analyses(max_rows=5, characters=st.sampled_from("ក្មឃ<>*#")))
def test_the_actors_download_holds_no_sensitive_description_or_tag(a):
    """Generated actors (text no header or vocabulary word can contain): a sensitive actor's description
    and tags are in no cell of the actors download, unless another actor's own text holds them."""
    data = readable_bytes(table_bytes(tables.table_to_csv_bytes, a, "actors", True))
    kept = " ".join(x.key + " " + x.name + " " + x.description + " " + " ".join(x.tags)
                    for x in a.actors if not x.sensitive).lower()
    # and what the other actors' cells become in the file: a cell a spreadsheet would read as a formula
    # is written with a leading "'", so a visible "'" exports as "''", which may be a secret too
    others = dataclasses.replace(a, actors=[x for x in a.actors if not x.sensitive])
    kept += " " + readable_bytes(table_bytes(tables.table_to_csv_bytes, others, "actors", True)).lower()
    for actor in (x for x in a.actors if x.sensitive):
        for secret in (actor.description, *actor.tags):
            secret = secret.strip()
            if len(secret) >= 2 and secret.lower() not in kept:
                assert not found_in([data], [secret]), secret


def test_the_workshop_worksheets_of_the_shown_analysis_are_pseudonymised():
    """The Workshop screen's paper worksheets (blank, filled) and workbook are made from the analysis as
    shown: while names are hidden they hold none; from the stored analysis, the filled ones do."""
    from dnh_graph import worksheets, workshop

    a = sensitive_analysis()
    shown = privacy.shown(a, True)
    hidden = [worksheets.worksheet_html(shown, s.number, filled, "en") for s in workshop.STEPS
              for filled in (False, True)]
    assert found_in([*hidden, readable_bytes(worksheets.workbook(shown, filled=False))], NEEDLES) == []
    named = [worksheets.worksheet_html(a, s.number, True, "en") for s in workshop.STEPS]
    assert found_in(named, SHOWN_WHEN_OFF)
