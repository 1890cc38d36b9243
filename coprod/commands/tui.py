"""`coprod tui` (also `coprod` with no command): the interactive TUI."""

from __future__ import annotations

import argparse

DESCRIPTION = """\
Open the interactive TUI: requirements, their ranked co-production pairings
with the reasons behind each score, ad-hoc queries, a shortlist to export,
and the gap view. Press ? inside for every key, ctrl+p for every action.

Your work is saved as you go (--state PATH, else $COPROD_STATE, else
state.sqlite3 in the user data directory; never inside the catalog): the
shortlist, each pairing's decision and note, the filters and the last export
folder; quitting loses nothing. The config file (coprod config) sets the
theme and remaps keys."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--refresh-from",
        metavar="FOLDER",
        default="",
        help="folder offered by default when refreshing the catalog (r)",
    )
    parser.add_argument(
        "--state",
        metavar="PATH",
        help="the saved work (default: $COPROD_STATE, else the user data directory)",
    )


def run(args: argparse.Namespace) -> int:
    from coprod.config import load_config
    from coprod.paths import resolve_db_path, resolve_state_path

    config = load_config()  # a broken file is reported (file:line) before the screen opens
    from coprod.tui.app import CoprodApp

    db_path = resolve_db_path(getattr(args, "db", None))
    app = CoprodApp(
        db_path,
        refresh_folder=getattr(args, "refresh_from", ""),
        state_path=resolve_state_path(getattr(args, "state", None)),
        config=config,
    )
    app.run()
    return app.return_code or 0
