"""`coprod tui` (also `coprod` with no command): the interactive TUI."""

from __future__ import annotations

import argparse

DESCRIPTION = """\
Open the interactive TUI: requirements, their ranked co-production pairings
with the reasons behind each score, ad-hoc queries, a shortlist to export,
and the gap view. Press ? inside for every key, ctrl+p for every action."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--refresh-from",
        metavar="FOLDER",
        default="",
        help="folder offered by default when refreshing the catalog (r)",
    )


def run(args: argparse.Namespace) -> int:
    from coprod.paths import resolve_db_path
    from coprod.tui.app import CoprodApp

    db_path = resolve_db_path(getattr(args, "db", None))
    app = CoprodApp(db_path, refresh_folder=getattr(args, "refresh_from", ""))
    app.run()
    return app.return_code or 0
