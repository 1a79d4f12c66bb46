"""Restore benchmark (issue 10, stored data): the app's own JSON backup of a 15,000-actor analysis.

Loads a generated analysis of 15,000 actors and 60,000 relationships (more rows than the browser's
DNH_MAX_ROWS of 50,000 in one table) into a fresh SQLite database, writes its backup with
`dnh export KEY --format json`, and restores it with `dnh import` under *default settings*, in a second
fresh database, as a separate process. Prints the backup's size, the exit code and the times as a
Markdown table; run with `.venv/bin/python bench/bench_restore.py`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dnh_graph.store import Store
from dnh_graph.synthetic import generate_analysis

ROOT = Path(__file__).resolve().parent.parent


def dnh(database: str, *args: str) -> tuple[int, float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DNH_")}  # default settings
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dnh_graph", "--database", database, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    return done.returncode, time.perf_counter() - started, (done.stdout + done.stderr).strip()


def main() -> None:
    analysis = generate_analysis(actors=15_000, relationships=60_000, factors=300, details=300, impacts=3_000,
                                 seed=0, key="big")
    with tempfile.TemporaryDirectory(prefix="dnh-bench-restore-") as tmp:
        source, target = f"sqlite:///{tmp}/source.sqlite", f"sqlite:///{tmp}/target.sqlite"
        started = time.perf_counter()
        Store.open(source).import_analysis(analysis)
        loaded = time.perf_counter() - started
        backup = Path(tmp) / "big.json"
        code, exported, text = dnh(source, "export", "big", "--format", "json", "-o", str(backup))
        assert code == 0, text
        code, restored, text = dnh(target, "import", str(backup))
        same = code == 0 and Store.open(target).load("big") == analysis
        counts = analysis.counts()
        print(f"analysis: {counts['actors']:,} actors, {counts['relationships']:,} relationships, "
              f"{counts['actor_readings']:,} actor readings, {sum(counts.values()):,} rows in all")
        print()
        print("| step | result | seconds |")
        print("|---|---|---:|")
        print(f"| load into SQLite (Store.import_analysis) | | {loaded:.1f} |")
        print(f"| `dnh export big --format json` | {backup.stat().st_size / 2**20:.1f} MB | {exported:.1f} |")
        print(f"| `dnh import big.json` (default settings, fresh database) | exit {code}, identical: {same} "
              f"| {restored:.1f} |")
        if code != 0:
            print(text)


if __name__ == "__main__":
    main()
