"""A non-editable install carries everything the app needs: migrations, templates, catalogs, demos."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_package_of_the_tree_is_listed_in_pyproject():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    in_tree = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "dnh_graph").rglob("__init__.py")
               if "migrations" not in p.parts}
    assert set(config["packages"]) == in_tree | {"dnh_graph.demo_data"}
    assert config["package-dir"]["dnh_graph.demo_data"] == "data"


def test_an_installed_wheel_loads_the_demos_outside_the_checkout(tmp_path):
    wheels, target, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "work"
    work.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
                   check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    *map(str, wheels.glob("*.whl"))], check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target), "DNH_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}

    def dnh(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "dnh_graph", *args], cwd=work, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = subprocess.run([sys.executable, "-c", "import dnh_graph; print(dnh_graph.__file__)"], cwd=work,
                           env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(target))
    assert "Loaded 3 demo analyses" in dnh("demo")
    assert "hiv_support" in dnh("list")
    dnh("export", "hiv_support", "--format", "html", "-o", "report.html")  # templates and catalog travel too
    assert "</html>" in (work / "report.html").read_text(encoding="utf-8")
