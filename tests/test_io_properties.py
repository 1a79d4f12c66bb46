"""Property tests: every format gives back exactly the analysis it was given."""

import io
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnh_graph.io import (
    backup_from_dict,
    backup_from_json,
    backup_to_dict,
    backup_to_json,
    read_csv_folder,
    read_workbook,
    write_csv_folder,
    write_workbook,
)
from tests.strategies import CHARACTERS, analyses

FORMATS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def several_analyses(draw):
    # at least one: a backup of no analysis is refused (test_io_backup)
    keys = draw(st.lists(st.text(CHARACTERS, min_size=1, max_size=5).filter(lambda k: k == k.strip()), unique=True,
                         min_size=1, max_size=3))
    return [draw(analyses(max_rows=3, key=k)) for k in keys]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(analyses())
def test_restore_of_backup_is_identity(analysis):
    assert backup_from_dict(backup_to_dict([analysis])) == [analysis]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(several_analyses())
def test_restore_of_a_json_backup_of_several_analyses_is_identity(items):
    assert backup_from_json(backup_to_json(items)) == items


@FORMATS
@given(analyses())
def test_workbook_round_trip_is_identity(analysis):
    """Any text, control characters included (written with the OOXML _xHHHH_ escape)."""
    buffer = io.BytesIO()
    write_workbook(analysis, buffer)
    assert read_workbook(buffer.getvalue()) == analysis


@FORMATS
@given(analyses())
def test_csv_folder_round_trip_is_identity(analysis):
    with tempfile.TemporaryDirectory() as folder:
        write_csv_folder(analysis, folder)
        assert read_csv_folder(folder) == analysis
