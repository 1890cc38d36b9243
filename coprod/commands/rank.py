"""`coprod rank`: rank co-production pairings headlessly (table, CSV, JSON, JSONL, Markdown)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from coprod.commands.argtypes import number_in, positive_int, worker_count

if TYPE_CHECKING:
    from collections.abc import Callable

    from coprod.model import Catalog, Match, Pairing, Requirement

DESCRIPTION = """\
Rank co-production pairings for Taiwan's requirements: for each requirement,
a foreign partner and the capability that matched, a Taiwanese co-producer
(or none, said plainly), a 0..100 score with its components, and a
feasibility verdict (ok, consent_required, blocked) naming the governments
involved. Local-only candidates (Taiwanese industry alone) rank on the same
scale."""

EPILOG = """\
Choose one of --requirement (repeatable), --query or --all.

output format: --format wins; else the --output file's extension (.csv,
.json, .jsonl/.ndjson, .md, .txt = table); else a table when stdout is a
terminal and CSV when it is a pipe or file, so scripts get data.
CSV/JSON/JSONL fields (stable): requirement_id, rank, score, feasibility,
consent_countries, blocked_by, foreign_partner_id, foreign_partner,
foreign_country, foreign_capability, local_partner_id, local_partner,
local_capability, components (CSV: component_<name> columns), then extras
(requirement_title, pairing_kind, fits, matched tokens, consent_chain), and
other_co_producers (the foreign partner's other Taiwanese co-producers, best
first; CSV: one "; "-joined column; --explain names them too).
--output files are written atomically (never half-written).
When the saved work (--state PATH, else $COPROD_STATE, else the user data
directory) holds decisions or notes, every record ends with decision,
decision_reason and note (the table: a "decision / note" column); without
any, the output is as above.
Order: the --top best feasible pairings (one row per foreign partner, its
best co-producer; --per-co-producer for a row per co-producer), then, as a
separate group, the blocked ones that outscore the last of them (at most
half as many), under a line saying who blocks; the TUI shows the same.
--top and --per-partner default to the config file's top and per_partner
(coprod config shows them), else 10 and 2.

exit codes: 0 ok, 1 data error (unknown id, country or category; unreadable
catalog; unwritable --output), 2 usage error.

examples:
  coprod rank --requirement TW-016 --explain
  coprod rank --query "155 mm artillery shells" --exclude-blocked --top 5
  coprod rank --all --country Sweden --country Norway --output pairings.csv"""

OUTPUT_FORMATS = ("table", "csv", "json", "jsonl", "md")


def configure(parser: argparse.ArgumentParser) -> None:
    what = parser.add_argument_group("what to rank")
    what.add_argument(
        "-r",
        "--requirement",
        dest="requirement_ids",
        metavar="ID",
        action="append",
        default=[],
        help="a requirement id from the catalog (repeatable)",
    )
    what.add_argument("-q", "--query", metavar="TEXT", help="an ad-hoc requirement, free text")
    what.add_argument("--all", action="store_true", help="every requirement in the catalog")
    filters = parser.add_argument_group("filters")
    filters.add_argument(
        "--top",
        type=positive_int,
        metavar="N",
        help="pairings per requirement (default: the config's top, else 10)",
    )
    filters.add_argument(
        "--per-partner",
        type=positive_int,
        metavar="N",
        help="rows per co-producer, at most N sharing one foreign partner (implies"
        " --per-co-producer; default there: the config's per_partner, else 2)",
    )
    filters.add_argument(
        "--per-co-producer",
        action="store_true",
        help="a row per Taiwanese co-producer (default: one row per foreign partner,"
        " with its best co-producer)",
    )
    filters.add_argument(
        "--country",
        dest="countries",
        metavar="NAME",
        action="append",
        default=[],
        help="keep only foreign partners from this country (repeatable)",
    )
    filters.add_argument(
        "--exclude-country",
        dest="exclude_countries",
        metavar="NAME",
        action="append",
        default=[],
        help="drop foreign partners from this country (repeatable)",
    )
    filters.add_argument(
        "--category",
        metavar="NAME",
        help="keep only requirements of this category (with --query: its category)",
    )
    filters.add_argument(
        "--min-score",
        type=number_in(0, 100),
        default=0.0,
        metavar="X",
        help="drop pairings below X (0..100)",
    )
    filters.add_argument(
        "--exclude-blocked", action="store_true", help="hide pairings an export ban blocks"
    )
    out = parser.add_argument_group("output")
    out.add_argument("-f", "--format", choices=OUTPUT_FORMATS, help="output format (see below)")
    out.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    out.add_argument(
        "--state",
        metavar="PATH",
        help="saved work whose decisions and notes to add (default: $COPROD_STATE, else the "
        "user data directory); never created by rank",
    )
    work = parser.add_argument_group("processing")
    work.add_argument(
        "-j",
        "--jobs",
        type=worker_count,
        metavar="N",
        help="worker processes for --all or several --requirement (default: one per "
        "CPU; 1: rank in this process); the results are the same for any N",
    )
    out.add_argument(
        "--explain",
        action="store_true",
        help="table: show score components, fits, matched tokens and consent reasons "
        "(other formats always carry them)",
    )


# ------------------------------------------------------------- validation


def _usage(message: str) -> NoReturn:
    from coprod.errors import UsageError

    raise UsageError(message)


def _check_selection(args: argparse.Namespace) -> None:
    chosen = [
        flag
        for flag, given in (
            ("--requirement", bool(args.requirement_ids)),
            ("--query", args.query is not None),
            ("--all", args.all),
        )
        if given
    ]
    if not chosen:
        _usage("nothing to rank: give --requirement ID, --query TEXT or --all")
    if len(chosen) > 1:
        _usage(f"choose one of --requirement, --query, --all (got {' and '.join(chosen)})")
    if args.query is not None and not args.query.strip():
        _usage("--query needs some text")
    both = {c.casefold() for c in args.countries} & {c.casefold() for c in args.exclude_countries}
    if both:
        _usage(f"--country and --exclude-country both name {sorted(both)[0]!r}")


def choose_format(requested: str | None, output: str | None, stdout_is_terminal: bool) -> str:
    """--format, else the output file's extension, else table on a terminal and CSV otherwise."""
    from coprod.errors import UsageError
    from coprod.formats import RANK_FORMATS, format_for_output

    if requested:
        return requested
    if output:
        try:
            return format_for_output(output, RANK_FORMATS)
        except UsageError as error:
            _usage(f"{error}, or pass --format")
    return "table" if stdout_is_terminal else "csv"


def _resolve_names(kind: str, typed: list[str], known: set[str]) -> tuple[str, ...]:
    """Map names typed in any case to the catalog's spelling; unknown ones are a data error."""
    from coprod.errors import DataError
    from coprod.suggest import did_you_mean, exact_ignoring_case

    resolved = []
    for name in typed:
        match = exact_ignoring_case(name, known)
        if match is None:
            raise DataError(f"unknown {kind} {name!r}{did_you_mean(name, sorted(known))}")
        resolved.append(match)
    return tuple(resolved)


def _category_key(name: str) -> str:
    return "_".join(name.strip().casefold().replace("-", " ").split())


def _resolve_category(typed: str | None, catalog: Catalog) -> str | None:
    from coprod.errors import DataError
    from coprod.suggest import did_you_mean

    if typed is None:
        return None
    known = {r.category for r in catalog.requirements.values()} | {
        c.category for c in catalog.capabilities
    }
    by_key = {_category_key(name): name for name in sorted(known) if name}
    match = by_key.get(_category_key(typed))
    if match is None:
        raise DataError(f"unknown category {typed!r}{did_you_mean(typed, sorted(by_key.values()))}")
    return match


def _unknown_requirements(typed_ids: list[str], catalog: Catalog) -> NoReturn:
    """One line naming every unknown id, each with its guesses (or examples of real ids)."""
    from coprod.errors import DataError
    from coprod.safe import printable
    from coprod.suggest import did_you_mean

    parts = []
    for typed in typed_ids:
        hint = did_you_mean(typed, catalog.requirements)
        if not hint and len(typed_ids) == 1:
            examples = ", ".join(printable(rid) for rid in list(catalog.requirements)[:3])
            hint = f" (the catalog has {len(catalog.requirements)} requirements, e.g. {examples})"
        parts.append(f"unknown requirement {typed!r}{hint}")
    raise DataError("; ".join(parts))


def select_requirements(
    args: argparse.Namespace, catalog: Catalog, category: str | None
) -> list[Requirement]:
    from coprod.suggest import exact_ignoring_case

    if args.query is not None:
        from coprod.ranking import adhoc_requirement

        return [adhoc_requirement(args.query.strip(), category or "")]
    if args.all:
        chosen = list(catalog.requirements.values())
    else:
        chosen = []
        unknown = []
        for typed in dict.fromkeys(args.requirement_ids):
            requirement_id = typed.strip()
            if requirement_id not in catalog.requirements:
                requirement_id = exact_ignoring_case(typed, catalog.requirements) or ""
            if requirement_id:
                chosen.append(catalog.requirements[requirement_id])
            else:
                unknown.append(typed)
        if unknown:
            _unknown_requirements(unknown, catalog)
    if category is not None:
        chosen = [r for r in chosen if _category_key(r.category) == _category_key(category)]
    return chosen


# ---------------------------------------------------------------- running


def option_values_of(args: argparse.Namespace, catalog: Catalog) -> dict[str, object]:
    """RankOptions' fields as the shared filter flags (--top, --country,
    --exclude-country, --min-score, --exclude-blocked, --per-partner) ask for them."""
    known = set(catalog.countries) | {p.country for p in catalog.partners.values()}
    values: dict[str, object] = {
        "top": args.top,
        "countries": _resolve_names("country", args.countries, known),
        "exclude_countries": _resolve_names("country", args.exclude_countries, known),
        "min_score": args.min_score,
        "exclude_blocked": args.exclude_blocked,
    }
    if args.per_partner is not None:
        values["per_partner"] = args.per_partner
    return values


def rank_requirements(
    args: argparse.Namespace,
    catalog: Catalog,
    requirements: list[Requirement],
    db_path: Path,
    progress: Callable[[str, int, int | None], None] | None = None,
    others: dict[str, tuple[tuple[Match, ...], ...]] | None = None,
) -> dict[str, list[Pairing]]:
    """Each requirement's pairings as shown (coprod.arrangement.arrange); `others`, when given,
    receives per requirement each row's other co-producers of its foreign partner."""
    from coprod.arrangement import arrange, ranking_request
    from coprod.ranking import Ranker, RankOptions

    option_values = option_values_of(args, catalog)
    per_co_producer = bool(getattr(args, "per_co_producer", False)) or args.per_partner is not None
    if args.per_partner is None and not per_co_producer:
        option_values["per_partner"] = 1
    # Asked for more than shown: arrange (as the TUI does) picks the rows and their order.
    options = ranking_request(RankOptions(**option_values), per_co_producer)

    def shown(pairings: list[Pairing]) -> list[Pairing]:
        arranged = arrange(pairings, args.top, per_co_producer)
        if others is not None and arranged.pairings:
            others[arranged.pairings[0].requirement_id] = arranged.others
        return list(arranged.pairings)

    if not requirements:
        return {}
    if progress:
        from coprod.indexcache import saved_index_state

        lines = len(catalog.capabilities)
        if saved_index_state(db_path) == "current":
            progress("reading the saved matching index", 0, None)
        else:
            progress(f"indexing {lines:,} capability lines (saved for next runs)", 0, None)
    # cache_path: the matching index is saved beside the catalog and reused next time.
    ranker = Ranker(catalog, cache_path=db_path)
    if len(requirements) == 1:
        only = requirements[0]
        return {only.requirement_id: shown(ranker.rank(only, options))}
    from coprod.batch import default_workers, rank_many

    workers = args.jobs if args.jobs is not None else default_workers()

    def ranked(done: int, total: int) -> None:
        if progress:
            progress("ranking", done, total)

    ranked(0, len(requirements))
    results = rank_many(ranker, requirements, options, workers=workers, progress=ranked)
    return {rid: shown(pairings) for rid, pairings in results.items()}


def _write_table(
    stream,
    results: dict[str, list[Pairing]],
    requirements: list[Requirement],
    *,
    explain: bool,
    to_terminal: bool,
    annotations=None,
    others: dict[str, tuple[tuple[Match, ...], ...]] | None = None,
) -> None:
    from rich.console import Console as RichConsole

    from coprod.output import pairings_table

    class Console(RichConsole):
        def on_broken_pipe(self) -> None:
            # rich exits with status 1 when the reader leaves (`coprod rank | head`);
            # CSV and JSON runs end with 0 there (cli.py), and so should the table.
            self.quiet = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise BrokenPipeError

    # emoji=False: no :code: replacement in the column headers (our own words), which
    # would load rich's 4,000-entry emoji table at every run.
    if to_terminal:
        console = Console(file=stream, emoji=False)
    else:
        # A file or pipe: plain text, never escape codes, and wide enough to read.
        width = None if os.environ.get("COLUMNS") else 160
        console = Console(
            file=stream, width=width, color_system=None, force_terminal=False, emoji=False
        )
    for requirement in requirements:
        pairings = results.get(requirement.requirement_id, [])
        # crop=False: a source's web address is printed whole, never cut at the width.
        console.print(
            pairings_table(
                requirement.requirement_id,
                pairings,
                requirement,
                explain=explain,
                annotations=annotations,
                others=(others or {}).get(requirement.requirement_id, ()),
            ),
            crop=False,
        )


def _ranks_many(args: argparse.Namespace) -> bool:
    return bool(args.all or len(args.requirement_ids or ()) > 1)


def _progress_bar():
    """A bar on stderr (terminals only) once ranking has taken a second."""
    from rich.console import Console

    from coprod.commands.progress import DelayedProgress

    return DelayedProgress(Console(stderr=True), unit="requirements")


def apply_config(args: argparse.Namespace) -> None:
    """--top and --per-partner from the config file when the command line leaves them out."""
    from coprod.config import load_config

    config = load_config()
    if args.top is None:
        args.top = config.top
    if args.per_partner is None and config.from_file("per_partner") and args.per_co_producer:
        args.per_partner = config.per_partner


# coprod.userstate.SCHEMA_VERSION, without importing it (a test keeps the two equal).
STATE_SCHEMA_VERSION = 2


def saved_annotations(args: argparse.Namespace):
    """The saved work's decisions and notes by pairing key ({} when there is no store)."""
    from coprod.paths import resolve_state_path

    path = resolve_state_path(getattr(args, "state", None))
    if not path.is_file():  # StateStore.annotations' own answer, without importing sqlite3
        return {}
    if _holds_no_annotation(path):
        return {}
    from coprod.userstate import StateStore

    return StateStore(path).annotations()


def _holds_no_annotation(path: Path) -> bool:
    """True only when StateStore(path).annotations() would be {} and change nothing:
    a store of this schema whose pairings carry no decision, reason or note.

    Read-only and without coprod.userstate, whose import (its dataclasses) is most
    of what saved work costs a `coprod rank` when the store holds only a shortlist
    or settings. Anything else (an older store to migrate, a newer one, a damaged
    file, a store busy or not readable so) is False: StateStore decides, and reports.
    """
    import sqlite3

    try:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=1.0)
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] != STATE_SCHEMA_VERSION:
                return False
            # StateStore.annotations' own condition
            found = conn.execute(
                "SELECT 1 FROM pairings WHERE decision != '' OR reason != '' OR note != '' LIMIT 1"
            ).fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, OSError, ValueError, RuntimeError):
        return False
    return found is None


def run(args: argparse.Namespace) -> int:
    _check_selection(args)
    apply_config(args)
    stdout_is_terminal = sys.stdout.isatty()
    fmt = choose_format(args.format, args.output, stdout_is_terminal)

    from coprod.catalog import load_catalog
    from coprod.paths import resolve_db_path

    db_path = resolve_db_path(getattr(args, "db", None))
    # One requirement takes well under a second: no bar (nor rich's import) for it.
    with _progress_bar() if _ranks_many(args) else contextlib.nullcontext() as progress:
        if progress:
            progress("reading the catalog", 0, None)
        catalog = load_catalog(db_path)
        category = _resolve_category(args.category, catalog)
        requirements = select_requirements(args, catalog, category)
        if not requirements:
            print(f"coprod: no selected requirement is in category {category!r}", file=sys.stderr)
        others: dict[str, tuple[tuple[Match, ...], ...]] = {}
        results = rank_requirements(args, catalog, requirements, db_path, progress, others)
    ordered = [p for r in requirements for p in results.get(r.requirement_id, [])]
    # Per row of `ordered`: the other co-producers of its foreign partner.
    ordered_others = [shown for r in requirements for shown in others.get(r.requirement_id, ())]
    by_id = {r.requirement_id: r for r in requirements}
    annotations = saved_annotations(args)

    def write(stream) -> None:
        if fmt == "table":
            _write_table(
                stream,
                results,
                requirements,
                explain=args.explain,
                to_terminal=stream is sys.stdout and stdout_is_terminal,
                annotations=annotations,
                others=others,
            )
        else:
            from coprod.output import write_pairings

            write_pairings(ordered, fmt, stream, by_id, annotations, ordered_others)

    if args.output:
        from coprod.files import write_atomically

        target = Path(args.output)
        write_atomically(target, write)
        print(
            f"coprod: wrote {len(ordered)} pairing(s) for {len(requirements)} requirement(s) "
            f"to {target} ({fmt})",
            file=sys.stderr,
        )
    else:
        write(sys.stdout)
    return 0
