"""Exports are written whole or not at all, readable by their owner only, in every format of `dnh export`.

A failed export (the disk fills up half-way, a writer raises) must leave the previous file, often the
team's only backup, exactly as it was, and no temporary file behind.
"""

from __future__ import annotations

import builtins
import errno
import io as stdio
import os
import stat
from collections import defaultdict
from pathlib import Path

import networkx.utils.decorators as nx_decorators
import pytest

from dnh_graph import exports
from dnh_graph import io as dnh_io
from dnh_graph.cli import main
from dnh_graph.io import csvfolder
from dnh_graph.store import Store
from tests.factories import rich_analysis

FORMATS = exports.FORMATS
OUT = {"xlsx": "bay.xlsx", "csv": "bay-csv", "json": "bay.json", "html": "bay.html", "gexf": "bay.gexf",
       "graphml": "bay.graphml", "network": "bay-network.html"}
# what each format is written by, as exports.export calls it
WRITERS = {"xlsx": (dnh_io, "write_workbook"), "json": (dnh_io, "write_backup"),
           "gexf": ("dnh_graph.network.readwrite", "to_gexf"), "graphml": ("dnh_graph.network.readwrite", "to_graphml"),
           "html": ("dnh_graph.render.report", "report_html"),
           "network": ("dnh_graph.render.network_html", "network_html")}


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    monkeypatch.delenv("DNH_DEBUG", raising=False)
    Store.open(url).import_analysis(rich_analysis())
    return url


def snapshot(path: Path) -> dict[str, bytes]:
    """Every file at ``path`` (a file, or a folder's files) with its bytes."""
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return {path.name: path.read_bytes()}


def export(capsys, fmt: str, out: Path) -> tuple[int, str]:
    code = main(["export", "bay", "--format", fmt, "-o", str(out)])
    return code, capsys.readouterr().err


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.fixture
def usual_umask():
    """A usual umask (0022): a plainly created file would be readable by everyone."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_files_are_private(db, tmp_path, capsys, fmt, usual_umask):
    out = tmp_path / "out" / OUT[fmt]
    out.parent.mkdir()
    assert export(capsys, fmt, out)[0] == 0
    paths = list(out.iterdir()) if fmt == "csv" else [out]
    assert paths
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    if fmt == "csv":
        assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert files_in(out.parent) == files_in_export(out, fmt)  # no temporary file left


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "csv"])
def test_a_writer_failing_mid_write_leaves_the_previous_file(db, tmp_path, capsys, monkeypatch, fmt):
    out = tmp_path / "out" / OUT[fmt]
    out.parent.mkdir()
    assert export(capsys, fmt, out)[0] == 0
    before = snapshot(out)
    owner, name = WRITERS[fmt]
    module = __import__(owner, fromlist=["x"]) if isinstance(owner, str) else owner

    if fmt in ("html", "network"):  # these return text that export writes: fail while writing it
        real_write_text = Path.write_text

        def half_write(self, text, *args, **kwargs):
            real_write_text(self, text[: len(text) // 2], *args, **kwargs)
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(Path, "write_text", half_write)
    else:
        def half_writer(*args, **kwargs):
            target = Path(args[1])
            target.write_bytes(b"PK\x03\x04 half a file")
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(module, name, half_writer)
    code, err = export(capsys, fmt, out)
    assert code == 1
    assert err.startswith(f"dnh: Could not write {out}: No space left on device. Nothing was written")
    assert snapshot(out) == before
    assert files_in(out.parent) == [OUT[fmt]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_full_disk_during_any_export_leaves_the_previous_file(db, tmp_path, capsys, monkeypatch, fmt):
    """The file system itself says 'no space left' after a few kilobytes, whoever writes."""
    out = tmp_path / "out" / OUT[fmt]
    out.parent.mkdir()
    assert export(capsys, fmt, out)[0] == 0
    before = snapshot(out)
    full_disk(monkeypatch, out.parent, budget=2000)
    code, err = export(capsys, fmt, out)
    assert code == 1 and "No space left on device" in err and "Traceback" not in err
    monkeypatch.undo()
    assert snapshot(out) == before
    assert files_in(out.parent) == files_in_export(out, fmt)


def files_in_export(out: Path, fmt: str) -> list[str]:
    if fmt == "csv":
        return sorted([out.name, *(f"{out.name}/{p.name}" for p in out.iterdir())])
    return [out.name]


def full_disk(monkeypatch, folder: Path, budget: int) -> None:
    """Files opened for writing under ``folder`` accept ``budget`` bytes in all, then raise ENOSPC."""
    real_open = builtins.open
    left = [budget]

    class Full:
        def __init__(self, f):
            self._f = f

        def write(self, data):
            if len(data) > left[0]:
                self._f.write(data[: left[0]])
                left[0] = 0
                raise OSError(errno.ENOSPC, "No space left on device")
            left[0] -= len(data)
            return self._f.write(data)

        def __getattr__(self, name):
            return getattr(self._f, name)

        def __iter__(self):
            return iter(self._f)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._f.close()

    def fake_open(file, mode="r", *args, **kwargs):
        f = real_open(file, mode, *args, **kwargs)
        if isinstance(file, (str, os.PathLike)) and Path(file).resolve().is_relative_to(folder.resolve()) \
                and any(m in mode for m in "wax+"):
            return Full(f)
        return f

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(stdio, "open", fake_open)
    # networkx caches the opener per file suffix on first use: give it a fresh cache
    monkeypatch.setattr(nx_decorators, "_dispatch_dict", defaultdict(lambda: fake_open))


def test_a_csv_folder_failing_half_way_keeps_every_old_file(db, tmp_path, capsys, monkeypatch):
    out = tmp_path / "bay-csv"
    assert export(capsys, "csv", out)[0] == 0
    (out / "notes.txt").write_text("ours")  # other files in the folder are left alone
    before = snapshot(out)
    real = csvfolder.export_text
    calls = [0]

    def failing(col, value):
        calls[0] += 1
        if calls[0] > 40:  # several files are complete by now
            raise RuntimeError("the writer broke")
        return real(col, value)

    monkeypatch.setattr(csvfolder, "export_text", failing)
    code, err = export(capsys, "csv", out)
    assert code == 1 and "the writer broke" in err
    assert snapshot(out) == before
    monkeypatch.undo()


def test_export_into_a_missing_folder_is_a_sentence(db, tmp_path, capsys):
    out = tmp_path / "no-such-folder" / "bay.json"
    code, err = export(capsys, "json", out)
    assert code == 1 and err.startswith(f"dnh: Could not write {out}: No such file or directory.")
    assert not (tmp_path / "no-such-folder").exists()


def test_export_bytes_still_works_for_downloads():
    data, name, mime = exports.export_bytes(rich_analysis(), "json")
    assert name == "bay.json" and mime == "application/json"
    assert dnh_io.backup_from_json(data.decode("utf-8")) == [rich_analysis()]
