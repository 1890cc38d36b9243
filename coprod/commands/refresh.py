"""`coprod refresh [PATH ...] [--db PATH] [--dry-run]`: validate input, rebuild the catalog."""

from __future__ import annotations

import argparse

DESCRIPTION = """\
Validate catalog files and rebuild the catalog atomically.

PATH is a folder holding partners.csv, capabilities.csv, codevelopers.csv,
countries.csv, requirements.csv and optionally synonyms.csv (or .parquet
files with the same columns), or those files named one by one. Without PATH
the catalog is rebuilt from the shipped data. The format is described in
data/README.md.

Every file is checked before anything is written, and every problem is
reported as file:line:column: message. On any error the existing catalog is
left exactly as it was."""

EPILOG = """\
exit codes: 0 rebuilt (or valid with --dry-run), 1 problems in the input
(nothing written), 2 usage error, 130 interrupted (nothing written)."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="folder or files to load (default: shipped data)"
    )
    parser.add_argument("--dry-run", action="store_true", help="validate and report; write nothing")


def _print_problems(problems, stream) -> None:
    from coprod.safe import printable

    for problem in problems:
        print(printable(str(problem)), file=stream)


def _count_line(errors: int, warnings: int) -> str:
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


def _summary(report):
    """A heading naming the catalog, then rows per table; catalog text only as plain Text."""
    from rich.table import Table
    from rich.text import Text

    from coprod.safe import printable

    if report.dry_run:
        heading = Text("input is valid (dry run: nothing written)")
    else:
        heading = Text("catalog rebuilt: ")
        heading.append(printable(str(report.db_path)))
    table = Table(show_edge=False, pad_edge=False, box=None)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in report.row_counts.items():
        table.add_row(name, f"{count:,}")
    return heading, table


def run(args: argparse.Namespace) -> int:
    import signal
    import sys
    from pathlib import Path

    from rich.console import Console

    from coprod.catalog import refresh_catalog
    from coprod.errors import CatalogValidationError
    from coprod.paths import resolve_db_path

    db_path = resolve_db_path(getattr(args, "db", None))
    sources = [Path(p) for p in args.paths] or None
    stderr = Console(stderr=True, highlight=False)
    stdout = Console(highlight=False)

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    # SIGTERM (kill, a closing terminal) must clean up like Ctrl-C: the catalog
    # code removes its temporary file on the way out of any exception.
    previous = signal.signal(signal.SIGTERM, interrupted)
    from coprod.commands.progress import DelayedProgress

    progress = DelayedProgress(stderr, unit="steps")
    try:
        report = refresh_catalog(sources, db_path, dry_run=args.dry_run, progress=progress)
    except CatalogValidationError as error:
        progress.close()
        _print_problems(error.problems, sys.stderr)
        errors = sum(1 for p in error.problems if p.severity == "error")
        warnings = len(error.problems) - errors
        print(
            f"coprod refresh: {_count_line(errors, warnings)}; the catalog was not changed",
            file=sys.stderr,
        )
        return 1
    finally:
        progress.close()
        signal.signal(signal.SIGTERM, previous)

    _print_problems(report.warnings, sys.stderr)
    heading, table = _summary(report)
    stdout.print(heading, soft_wrap=True)  # a long path stays on one line
    stdout.print(table)
    verb = "checked" if report.dry_run else "built"
    stdout.print(
        f"{verb} in {report.seconds:.2f} s; {_count_line(0, len(report.warnings))}",
        highlight=False,
    )
    return 0
