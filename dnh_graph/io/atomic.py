"""Files written whole or not at all, readable by their owner only.

An export that fails half-way (a full disk, a crash, a writer that raises) must not leave a truncated
file where the previous export, often the only backup, used to be. So every file is first written
to a temporary file *beside* the target (same folder, hence same file system, so the final
:func:`os.replace` is atomic), flushed to disk, and only then renamed over the target; on any error
the temporary file is removed and the target is untouched. :func:`tempfile.mkstemp` creates the
temporary file with mode 0600, and the rename keeps it: an export holds names of people and is
readable by its owner only, whatever the umask.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> with replaced_file(folder / "a.txt") as tmp:
...     _ = tmp.write_text("new")
>>> (folder / "a.txt").read_text(), oct((folder / "a.txt").stat().st_mode & 0o777)
('new', '0o600')
>>> try:
...     with replaced_file(folder / "a.txt") as tmp:
...         _ = tmp.write_text("half")
...         raise OSError(28, "No space left on device")
... except OSError:
...     pass
>>> (folder / "a.txt").read_text(), sorted(p.name for p in folder.iterdir())
('new', ['a.txt'])
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

__all__ = ["replaced_file", "replaced_files", "TEMP_SUFFIX"]

TEMP_SUFFIX = ".dnh-tmp"


def _temp_beside(target: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    os.close(fd)
    return Path(name)


def _fsync(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


@contextmanager
def replaced_file(target: str | Path) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; renamed over ``target`` when the block succeeds."""
    with replaced_files([target]) as (tmp,):
        yield tmp


@contextmanager
def replaced_files(targets: Sequence[str | Path]) -> Iterator[list[Path]]:
    """Temporary paths beside each target; all renamed over their targets only when the block succeeds.

    A failure while writing leaves every target as it was (the renames come after all the writing).
    """
    targets = [Path(t) for t in targets]
    temps: list[Path] = []
    try:
        for target in targets:
            temps.append(_temp_beside(target))
        yield list(temps)
        for tmp in temps:
            _fsync(tmp)
        for tmp, target in zip(temps, targets):
            os.replace(tmp, target)
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
