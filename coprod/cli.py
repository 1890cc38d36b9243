"""Command line entry point: `coprod [tui|rank|eval|refresh|plan|brief|config] ...`.

Each subcommand lives in coprod/commands/<name>.py with `configure(parser)`
and `run(args) -> int`. Those modules import only the standard library at
module level, so `--help` and headless runs never pay for the TUI.

Exit codes: 0 ok, 1 data error, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from coprod import __version__

COMMANDS: tuple[tuple[str, str], ...] = (
    ("tui", "open the interactive TUI (the default when no command is given)"),
    ("rank", "rank co-production pairings headlessly (table, CSV, JSON, JSONL)"),
    ("eval", "measure ranking recall and MRR against a ground-truth file"),
    ("refresh", "validate CSV/Parquet files and rebuild the catalog atomically"),
    ("plan", "schedule B2B meetings for a delegation visit"),
    ("brief", "write a briefing document (Markdown or HTML) for requirements or a shortlist"),
    ("config", "show the config file's path and the settings in effect"),
)

EPILOG = """\
catalog location: --db PATH, else $COPROD_DB, else the user data directory.
On first use the catalog is built from the shipped data.
exit codes: 0 ok, 1 data error, 2 usage error, 130 interrupted."""


def _command_module(name: str):
    return importlib.import_module(f"coprod.commands.{name}")


def terminal_columns() -> int:
    """`shutil.get_terminal_size().columns`, without importing shutil (see _Parser)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Parser(argparse.ArgumentParser):
    """Usage errors as one clear line on stderr (exit 2), pointing at --help."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse makes a formatter for every add_argument, and a formatter without
        # a width imports shutil (with bz2 and lzma) to ask the terminal. Same
        # width as argparse's own: the terminal's columns less 2.
        return self.formatter_class(prog=self.prog, width=terminal_columns() - 2)


def command_in(argv: Sequence[str]) -> str | None:
    """The command `argv` asks for, when that is certain before parsing; else None.

    Only `--db PATH`, `--db=PATH` and `--version`/`-h` may come before it: any
    other option (an abbreviation such as `--d`) makes the answer uncertain.
    """
    names = {name for name, _ in COMMANDS}
    tokens = iter(argv)
    for token in tokens:
        if token in names:
            return token
        if token == "--db":
            next(tokens, None)
        elif not (token.startswith("--db=") or token in ("--version", "-h", "--help")):
            return None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with `only`, the other commands are listed but not configured
    (their modules not even imported), which is all a run of `only` needs."""
    parser = _Parser(
        prog="coprod",
        description="Find and rank defence co-production pairings for Taiwan's requirements.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"coprod {__version__}")
    parser.add_argument("--db", metavar="PATH", help="catalog file (default: see below)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, summary in COMMANDS:
        if only is not None and name != only:
            subparsers.add_parser(name, help=summary)
            continue
        module = _command_module(name)
        sub = subparsers.add_parser(
            name,
            help=summary,
            description=getattr(module, "DESCRIPTION", summary),
            epilog=getattr(module, "EPILOG", None),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="catalog file")
        module.configure(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # coprod does no linear algebra, yet numpy's OpenBLAS starts a thread per CPU when
    # numpy is imported, which slows the import down: one thread is all it needs
    # (benchmarks/README.md). A value the user set is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

    # Only the command being run is configured: the others' modules are not imported.
    parser = build_parser(only=command_in(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*(argv if argv is not None else sys.argv[1:]), "tui"])
    try:
        return _run(args)
    finally:
        if argv is None:
            # Called as the program (console script, `python -m coprod`): the process
            # ends next, and the interpreter's final collections would walk every
            # object still alive (catalog, index) for nothing, a large share of a
            # one-requirement `rank` (benchmarks/README.md). Frozen, they are skipped;
            # atexit handlers and finalisers still run.
            gc.freeze()


def _run(args: argparse.Namespace) -> int:
    from coprod.errors import CatalogValidationError, CoprodError
    from coprod.safe import printable

    try:
        return int(args.run(args) or 0)
    except CatalogValidationError as error:
        for problem in error.problems:
            print(printable(str(problem)), file=sys.stderr)
        print(f"coprod: {error}", file=sys.stderr)
        return error.exit_code
    except CoprodError as error:
        # An error about a file (coprod.config.ConfigError) names each problem on its line.
        for line in [str(p) for p in getattr(error, "problems", ())] or [str(error)]:
            print(f"coprod: error: {printable(line)}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("coprod: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `coprod rank ... | head`: the reader left; not an error worth a traceback.
        sys.stderr.close()
        return 0
    except (OSError, OverflowError, RecursionError, MemoryError) as error:
        # A read-only folder, a full disk, input too big or too deep to mean anything:
        # each known case has its own message; this is the net under them. Exit 1.
        from coprod.errors import describe_error

        print(f"coprod: error: {printable(describe_error(error))}", file=sys.stderr)
        return 1
