"""The ``dnh`` command (also ``python -m dnh_graph``): a thin shell over the store, io and scores.

Each command parses its arguments, makes one or two calls into the domain and prints the result.
Exit codes: 0 success; 2 invalid input (the problems on stderr, every one of them, no traceback);
1 anything unexpected (one line on stderr; ``DNH_DEBUG=1`` shows the traceback).

A person never reads SQL here: a database error is one sentence (the statement and its row values,
names of people included, stay out of the terminal and of any log that captures it); ``DNH_DEBUG=1``
prints the traceback for a developer.

``dnh import PATH`` reads a file on the person's own computer, so the browser's upload and row limits
(``DNH_MAX_UPLOAD_MB``, ``DNH_MAX_ROWS``) do not apply to it (see :func:`dnh_graph.io.guards.own_file`).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import traceback
from pathlib import Path

import sqlalchemy as sa

from dnh_graph import exports, scoring
from dnh_graph.demo import load_demo
from dnh_graph.model import InvalidInput
from dnh_graph.roles import ROLES, AccessError, AccountError
from dnh_graph.store import NotFoundError, StaleEditError, Store, upgrade

__all__ = ["main", "build_parser"]

class UsageError(Exception):
    """A command was used wrongly (exit 2, like invalid input)."""


def _cmd_demo(store: Store, args) -> None:
    if args.if_empty and store.list_analyses():
        print("The database already holds analyses; demo analyses not loaded (drop --if-empty to add them).")
        return
    added = load_demo(store)
    if added:
        print(f"Loaded {len(added)} demo analyses: {', '.join(added)}")
    else:
        print("The demo analyses are already loaded.")


def _cmd_list(store: Store, args) -> None:
    summaries = store.list_analyses()
    if not summaries:
        print("No analyses yet. `dnh demo` loads the demo analyses; `dnh import PATH` brings in a workbook.")
        return
    columns = ("actors", "relationships", "factors", "details", "impacts", "options", "reviews")
    print("\t".join(("key", "name", *columns)))
    for s in summaries:
        print("\t".join((s.key, s.name, *(str(s.counts[c]) for c in columns))))


def _cmd_import(store: Store, args) -> None:
    from dnh_graph import io
    from dnh_graph.io import guards

    with guards.own_file():
        analyses = io.read_any(Path(args.path))
    if args.as_key:
        if len(analyses) != 1:
            raise UsageError(f"--as names one analysis, but {args.path} holds {len(analyses)}; import it without --as.")
        analyses = [store.import_analysis(analyses[0], key=args.as_key)]
    else:
        analyses = store.import_analyses(analyses)
    for a in analyses:
        counts = ", ".join(f"{n} {t}" for t, n in a.counts().items() if n)
        print(f"Imported '{a.key}' ({a.info.name}): {counts or 'no rows'}.")


def _cmd_export(store: Store, args) -> None:
    analysis = store.load(args.key)
    exports.export(analysis, args.format, Path(args.output), review=args.review, pseudonymise=args.pseudonymise,
                   summary=args.summary)
    print(f"Wrote {args.output}")


def _cmd_score(store: Store, args) -> None:
    analysis = store.load(args.key)
    result = scoring.scores_json(analysis)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    t = result["totals"]
    print(f"{analysis.info.name} ({analysis.key}): harm {t['harm']}, help {t['help']}, net {t['net']}")
    print("\ndetail\tactive\tharm\thelp\tnet")
    for d in result["details"]:
        print(f"{d['key']}\t{'yes' if d['active'] else 'no'}\t{d['harm']}\t{d['help']}\t{d['net']}")
    if result["options"]:
        print("\nrank\toption\tdetail\tnet\tdelta")
        for o in result["options"]:
            print(f"{o['rank']}\t{o['key']}\t{o['detail'] or '(addition)'}\t{o['net']}\t{o['delta']:+d}")
    if result["robustness"] is not None:
        print(f"\nRobustness: the top option stays on top in {result['robustness']:.0%} of the ways the predicted "
              "magnitudes could each be one step off.")


def _cmd_trends(store: Store, args) -> None:
    from dnh_graph import timeline

    rows = timeline.trends_json(store.load(args.key))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        print("No reviews yet: add a review with factor readings to see pressure and capacity over time.")
        return
    print("review\tdate\tpressure\tcapacity")
    for r in rows:
        print(f"{r['review']}\t{r['date']}\t{r['pressure']}\t{r['capacity']}")


def _read_password(confirm: bool = True) -> str:
    """The password, never from the command line (it would stay in the shell history and in ``ps``):
    asked twice without echo on a terminal, else the first line of stdin (``echo pw | dnh user add``)."""
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if confirm and getpass.getpass("Password again: ") != first:
            raise UsageError("The two passwords differ; nothing was changed.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _cmd_user_add(store: Store, args) -> None:
    from dnh_graph import accounts

    accounts.check_name(args.name)
    created = accounts.add_account(store, args.name, _read_password(), args.role, email=args.email or "",
                                   analysis=args.analysis or "")
    where = f" in the analysis '{args.analysis}' only" if args.analysis else ""
    print(f"Added the account '{created.name}' ({created.role}{where}). The app now asks everyone to log in.")


def _cmd_user_list(store: Store, args) -> None:
    from dnh_graph import accounts

    found = accounts.list_accounts(store)
    if not found:
        print("No accounts: the app is open to whoever reaches it (the one-person laptop app). "
              "`dnh user add NAME --role admin` adds the first.")
        return
    print("\t".join(("name", "role", "email", "roles", "failed_logins")))
    for a in found:
        held = "; ".join(f"{r[2]} of {r[0]}" + (f"/{r[1]}" if r[1] else "") + (" (names shown)" if r[3] else "")
                         for r in a.roles)
        print("\t".join((a.name, a.role, a.email, "admin" if a.admin else held, str(a.failed_logins))))


def _cmd_user_remove(store: Store, args) -> None:
    from dnh_graph import accounts

    accounts.remove_account(store, args.name)
    print(f"Removed the account '{args.name}'; its logins stop working at once.")


def _cmd_user_passwd(store: Store, args) -> None:
    from dnh_graph import accounts

    accounts.set_password(store, args.name, _read_password())
    print(f"Changed the password of '{args.name}'; it must log in again everywhere.")


def _cmd_user_grant(store: Store, args) -> None:
    from dnh_graph import accounts

    accounts.grant(store, args.name, args.role, analysis=args.analysis or "", reveal=args.reveal)
    where = f"the analysis '{args.analysis}'" if args.analysis else "the workspace"
    print(f"'{args.name}' now holds the {args.role} role in {where}.")


def _cmd_db_upgrade(store: Store, args) -> None:
    print(f"Database at revision {upgrade(store.engine)}.")


def _cmd_i18n_check(args) -> int:
    from dnh_graph.catalog_ids import run_check

    code, text = run_check(args.lang)
    print(text, file=sys.stderr if code == 2 else sys.stdout)
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dnh", description="Do No Harm analyses as graphs: load, import, score and export them.",
        epilog="The database is DNH_DATABASE_URL, or a SQLite file in your user data directory.")
    parser.add_argument("--database", metavar="URL",
                        help="SQLAlchemy URL (default: DNH_DATABASE_URL or the local file)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("demo", help="load the demo analyses (idempotent)")
    p.add_argument("--if-empty", action="store_true", help="only when the database holds no analysis yet")
    p.set_defaults(run=_cmd_demo)
    p = sub.add_parser("list", help="analyses: key, name, counts")
    p.set_defaults(run=_cmd_list)
    p = sub.add_parser("import", help=".xlsx, a CSV folder, or a .json backup (all or nothing)")
    p.add_argument("path", help="the workbook, CSV folder or JSON backup")
    p.add_argument("--as", dest="as_key", metavar="KEY", help="store it under this key instead of its own")
    p.set_defaults(run=_cmd_import)
    p = sub.add_parser("export", help="write an analysis to a file")
    p.add_argument("key", help="the analysis key (see `dnh list`)")
    p.add_argument("--format", required=True, choices=exports.FORMATS, help="file format")
    p.add_argument("--summary", action="store_true", help="html: the one-page summary for managers")
    p.add_argument("--review", metavar="R", help="network formats: the network as of this review key")
    p.add_argument("--pseudonymise", action="store_true", help="sensitive actors become 'Actor A1'-style labels")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="file (or folder for csv) to write")
    p.set_defaults(run=_cmd_export)
    p = sub.add_parser("score", help="per-detail harm/help/net, totals, options with delta and rank, robustness")
    p.add_argument("key")
    p.add_argument("--json", action="store_true", help="print one JSON object (docs/file-formats.md)")
    p.set_defaults(run=_cmd_score)
    p = sub.add_parser("trends", help="pressure and capacity at each review")
    p.add_argument("key")
    p.add_argument("--json", action="store_true", help='print [{"review", "date", "pressure", "capacity"}]')
    p.set_defaults(run=_cmd_trends)
    p = sub.add_parser("db", help="database maintenance")
    db_sub = p.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply migrations").set_defaults(run=_cmd_db_upgrade)
    p = sub.add_parser("i18n", help="translations: check the catalogs of dnh_graph/locales/")
    i18n_sub = p.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    p = i18n_sub.add_parser("check", help="ids missing from each catalog (with the English text), unused ids, "
                            "placeholder mismatches; exit 1 when an id is missing or a placeholder differs")
    p.add_argument("--lang", action="append", metavar="LANG", help="only this catalog (repeatable), e.g. km")
    p.set_defaults(offline=_cmd_i18n_check)
    p = sub.add_parser("user", help="accounts: with one, the app asks everyone to log in")
    user_sub = p.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    u = user_sub.add_parser("add", help="add an account (password read from stdin, never from the command line)")
    u.add_argument("name")
    u.add_argument("--role", required=True, choices=ROLES, help="its role in the workspace (admin: everywhere)")
    u.add_argument("--email", help="the email an identity provider (DNH_AUTH=oidc) gives for this person")
    u.add_argument("--analysis", metavar="KEY",
                   help="the role in this analysis only (an invitation); the account sees no other analysis")
    u.set_defaults(run=_cmd_user_add)
    user_sub.add_parser("list", help="accounts and their roles").set_defaults(run=_cmd_user_list)
    u = user_sub.add_parser("remove", help="remove an account")
    u.add_argument("name")
    u.set_defaults(run=_cmd_user_remove)
    u = user_sub.add_parser("passwd", help="set a new password (read from stdin)")
    u.add_argument("name")
    u.set_defaults(run=_cmd_user_passwd)
    u = user_sub.add_parser("grant", help="a role in the workspace, or in one analysis (--analysis)")
    u.add_argument("name")
    u.add_argument("--role", required=True, choices=ROLES[:-1])
    u.add_argument("--analysis", metavar="KEY", help="only this analysis (an invitation)")
    u.add_argument("--reveal", action="store_true", help="show sensitive names to this viewer or editor")
    u.set_defaults(run=_cmd_user_grant)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if hasattr(args, "offline"):  # reads the source tree and the catalogs: no database
        return args.offline(args)
    try:
        try:
            store = Store.open(args.database)
        except sa.exc.DBAPIError as error:
            _debug()
            # a refused connection says why in the driver's words (no SQL); a failing statement does not
            why = f": {_first_line(error.orig)}" if error.statement is None else ""
            print(f"dnh: cannot open the database {_safe_url(args.database)}{why} (check DNH_DATABASE_URL or "
                  "--database; DNH_DEBUG=1 shows details).", file=sys.stderr)
            return 1
        args.run(store, args)
        return 0
    except InvalidInput as error:
        print(f"Nothing was changed. {len(error.problems)} problem(s):", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `dnh score x | head`: the reader left; not an error of ours
        sys.stderr.close()
        return 0
    except (NotFoundError, StaleEditError, UsageError, FileNotFoundError, AccessError, AccountError) as error:
        print(f"dnh: {error}", file=sys.stderr)
        return 2
    except exports.ExportError as error:
        _debug()
        print(f"dnh: {error}", file=sys.stderr)
        return 1
    except sa.exc.SQLAlchemyError:
        # str(error) holds the SQL statement and the row values (names of people): never printed
        _debug()
        print("dnh: the database could not carry out the command; nothing was changed. Try again; if it "
              "happens again, set DNH_DEBUG=1 for details.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("dnh: interrupted; a change in progress was not saved.", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the promise is "exit 1, one line, no traceback"
        _debug()
        print(f"dnh: unexpected error: {type(error).__name__}: {error} (set DNH_DEBUG=1 for details)", file=sys.stderr)
        return 1


def _debug() -> None:
    if os.environ.get("DNH_DEBUG"):
        traceback.print_exc()


def _first_line(error: BaseException | None) -> str:
    lines = str(error or "").strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _safe_url(url: str | None) -> str:
    from dnh_graph import settings

    try:
        return sa.engine.make_url(url or settings.default_database_url()).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(an unreadable URL)"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
