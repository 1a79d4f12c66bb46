"""Every promise of the README's "Team server" section, checked against the Makefile, the CLI, the
settings and the code that keeps it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.presence_ui import POLL_S
from dnh_graph.cli import build_parser
from dnh_graph.settings import SETTINGS
from dnh_graph.store.presence import TTL_S

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Team server\n", 1)[1].split("\n## ", 1)[0]
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", SECTION, flags=re.S)
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "DNH_DATABASE_URL"} | (env or {})
    return subprocess.run(["make", "--no-print-directory", *args], cwd=REPO, env=environ, capture_output=True,
                          text=True, timeout=60, check=False)


def block(language: str) -> str:
    return next(text for lang, text in BLOCKS if lang == language)


def test_the_two_commands_are_two_and_name_a_postgresql_database_and_the_team_target():
    commands = [line for line in block("bash").splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[1].startswith("DNH_DATABASE_URL=postgresql:///dnh make team")


@needs_make
def test_make_team_migrates_and_serves_on_127_0_0_1_without_demo_analyses():
    planned = make("-n", "team", env={"DNH_DATABASE_URL": "postgresql:///dnh"}).stdout
    lines = [line for line in planned.splitlines() if "dnh " in line or "streamlit" in line]
    assert lines[0].endswith("/bin/dnh db upgrade")
    assert "streamlit run streamlit_app.py --server.address 127.0.0.1 --server.port 8501" in lines[1]
    assert "demo" not in planned
    told = make("-n", "team", "HOST=0.0.0.0", "PORT=9000", env={"DNH_DATABASE_URL": "postgresql:///dnh"}).stdout
    assert "--server.address 0.0.0.0 --server.port 9000" in told


@needs_make
@pytest.mark.parametrize("url", [None, "", "sqlite:///tmp/x.sqlite"])
def test_make_team_refuses_to_start_without_a_postgresql_url_before_installing_anything(url, tmp_path):
    venv = tmp_path / "venv"
    done = make("team", f"VENV={venv}", env={} if url is None else {"DNH_DATABASE_URL": url})
    assert done.returncode != 0
    assert "make team needs DNH_DATABASE_URL=postgresql://" in done.stderr
    assert not venv.exists()


def test_every_dnh_command_and_make_target_named_there_exists():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    named = re.findall(r"(?<![/\w])dnh ([a-z]+)", SECTION)
    assert "db" in named
    for name in named:
        if name == "user":  # accounts: another section documents them (and the CLI may not have them yet)
            continue
        assert name in commands, name
    targets = set(re.findall(r"^([a-z][\w-]*):", (REPO / "Makefile").read_text(), flags=re.M))
    named_targets = set(re.findall(r"(?:`|^|dnh )make ([a-z][\w-]*)", SECTION, flags=re.M))
    assert {"team", "run"} <= named_targets <= targets, named_targets - targets


def test_every_setting_in_the_table_is_a_setting_or_a_make_variable():
    variables = set(re.findall(r"^([A-Z]+) \?=", (REPO / "Makefile").read_text(), flags=re.M))
    for name in re.findall(r"^\| `(\w+)`", SECTION, flags=re.M):
        assert name in SETTINGS or (name in variables and "make variable" in SECTION), name


def test_the_proxies_pass_the_websocket_to_the_port_the_app_serves():
    nginx, caddy = block("nginx"), block("")
    assert "reverse_proxy 127.0.0.1:8501" in caddy
    assert "proxy_pass http://127.0.0.1:8501;" in nginx
    for line in ("proxy_http_version 1.1;", "proxy_set_header Upgrade $http_upgrade;",
                 'proxy_set_header Connection "upgrade";'):
        assert line in nginx, line
    assert f"client_max_body_size {SETTINGS['DNH_MAX_UPLOAD_MB'].default}m;" in nginx


def test_what_it_says_of_presence_holds():
    assert "within a few seconds" in SECTION and POLL_S <= 5
    assert "gone within a minute" in SECTION and TTL_S <= 60
    assert "Accounts" in SECTION  # the marked place where accounts plug in
