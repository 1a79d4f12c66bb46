"""`dnh user add|list|remove|passwd|grant` (issue 13): the password comes from stdin (getpass on a
terminal), never from the command line."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from dnh_graph import accounts
from dnh_graph.cli import build_parser, main
from dnh_graph.store import Store
from tests.accounts_support import fast_hashes  # noqa: F401  (autouse fixture)


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'users.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    return url


def run(capsys, monkeypatch, *argv, stdin: str = ""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_reads_the_password_from_stdin_and_it_logs_in(db, capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "user", "add", "ana", "--role", "facilitator", stdin="s3cret pw\n")
    assert code == 0 and "Added the account 'ana' (facilitator)" in out and "s3cret" not in out
    engine = Store.open(db).engine
    assert accounts.log_in(engine, "ana", "s3cret pw").ok  # the line without its newline, spaces kept
    assert not accounts.log_in(engine, "ana", "s3cret pw\n").ok


def test_no_command_takes_a_password_argument():
    parser = build_parser()
    users = next(a for a in parser._actions if a.dest == "command").choices["user"]
    for action in next(a for a in users._actions if a.dest == "user_command").choices.values():
        options = {o for a in action._actions for o in a.option_strings}
        assert not any("pass" in o for o in options), options
    with pytest.raises(SystemExit):
        parser.parse_args(["user", "add", "ana", "--role", "admin", "--password", "x"])


def test_on_a_terminal_the_password_is_asked_twice_without_echo(db, capsys, monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    asked = iter(["one", "two"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(asked))
    monkeypatch.setattr(sys, "stdin", Tty())
    assert main(["user", "add", "ana", "--role", "admin"]) == 2
    assert "The two passwords differ; nothing was changed." in capsys.readouterr().err
    assert not accounts.any_accounts(Store.open(db).engine)


def test_list_passwd_remove(db, capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "user", "list")
    assert code == 0 and out.startswith("No accounts")
    run(capsys, monkeypatch, "user", "add", "vic", "--role", "viewer", "--email", "vic@example.org", stdin="a\n")
    code, out, _ = run(capsys, monkeypatch, "user", "list")
    assert code == 0 and "vic\tviewer\tvic@example.org\tviewer of default\t0" in out
    code, out, _ = run(capsys, monkeypatch, "user", "passwd", "vic", stdin="b\n")
    assert code == 0
    engine = Store.open(db).engine
    assert accounts.log_in(engine, "vic", "b").ok and not accounts.log_in(engine, "vic", "a").ok
    assert run(capsys, monkeypatch, "user", "remove", "vic")[0] == 0
    assert not accounts.any_accounts(engine)


def test_refusals_are_sentences_and_change_nothing(db, capsys, monkeypatch):
    run(capsys, monkeypatch, "user", "add", "vic", "--role", "viewer", stdin="a\n")
    code, _, err = run(capsys, monkeypatch, "user", "add", "vic", "--role", "editor", stdin="b\n")
    assert code == 2 and "An account 'vic' already exists; nothing was changed." in err
    code, _, err = run(capsys, monkeypatch, "user", "add", "empty", "--role", "editor", stdin="\n")
    assert code == 2 and "The password is empty" in err
    code, _, err = run(capsys, monkeypatch, "user", "remove", "zed")
    assert code == 2 and "There is no account 'zed'" in err
    code, _, err = run(capsys, monkeypatch, "user", "grant", "vic", "--role", "editor", "--analysis", "nope")
    assert code == 2 and "There is no analysis with key 'nope'" in err
    assert [a.name for a in accounts.list_accounts(Store.open(db))] == ["vic"]


def test_grant_invites_to_one_analysis(db, capsys, monkeypatch):
    run(capsys, monkeypatch, "demo")
    run(capsys, monkeypatch, "user", "add", "vic", "--role", "viewer", stdin="a\n")
    code, out, _ = run(capsys, monkeypatch, "user", "grant", "vic", "--role", "editor", "--analysis",
                       "child_rights_ngo", "--reveal")
    assert code == 0 and "'vic' now holds the editor role in the analysis 'child_rights_ngo'." in out
    access = Store.open(db).as_person("vic").access("child_rights_ngo")
    assert access.role == "editor" and access.reveal


def test_the_real_command_reads_a_piped_password(db, tmp_path):
    env = {**os.environ, "DNH_DATABASE_URL": db}
    done = subprocess.run([sys.executable, "-m", "dnh_graph", "user", "add", "ana", "--role", "admin"],
                          input="piped pw\n", capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert accounts.log_in(Store.open(db).engine, "ana", "piped pw").ok


def test_add_with_an_analysis_makes_an_account_that_sees_that_analysis_only(db, capsys, monkeypatch):
    """A facilitator's invitation needs an account with no role in the workspace: `user add --role`
    alone always gave one (a workspace viewer reads every analysis), so the invited coach saw them all."""
    run(capsys, monkeypatch, "demo")
    code, out, err = run(capsys, monkeypatch, "user", "add", "coach", "--role", "viewer", "--analysis",
                         "child_rights_ngo", stdin="pw\n")
    assert code == 0, err
    assert "Added the account 'coach' (viewer in the analysis 'child_rights_ngo' only)" in out
    coach = Store.open(db).as_person("coach")
    assert [s.key for s in coach.list_analyses()] == ["child_rights_ngo"]
    assert coach.access("child_rights_ngo").role == "viewer" and coach.access().role is None
    code, _, err = run(capsys, monkeypatch, "user", "add", "x", "--role", "viewer", "--analysis", "nope",
                       stdin="pw\n")
    assert code == 2 and "There is no analysis with key 'nope'" in err
    code, _, err = run(capsys, monkeypatch, "user", "add", "y", "--role", "admin", "--analysis",
                       "child_rights_ngo", stdin="pw\n")
    assert code == 2 and "The admin role holds everywhere" in err
    assert [a.name for a in accounts.list_accounts(Store.open(db))] == ["coach"]
