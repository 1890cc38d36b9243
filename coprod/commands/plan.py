"""`coprod plan`: schedule B2B meetings for a delegation visit (see coprod/planner/)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from coprod.commands.argtypes import (
    min_meetings_count,
    number_in,
    positive_int,
    room_count,
    seed_number,
    worker_count,
)
from coprod.formats import PLAN_FORMATS

if TYPE_CHECKING:
    from coprod.planner import PlanResult

DESCRIPTION = """\
Turn the best pairings into a B2B meeting schedule for a delegation of
foreign firms visiting Taiwan: each meeting puts one delegation member and
one Taiwanese co-producer in a room for one slot and covers every
requirement the two share. The schedule maximises the total value (score x
priority weight: high 9, medium 3, low 1) with OR-Tools CP-SAT, subject to:
no firm in two meetings at once, rooms per slot, each firm's availability,
each pair meeting at most once, blocked pairings never scheduled; with
--min-meetings N, giving every member N meetings comes first. Meetings
needing export consent are marked, with the governments named. A greedy
baseline runs in the same call, and the plan reports its distance to the
best possible (the solver's proven bound and a simple bound)."""

EPILOG = """\
inputs:
  --delegation FILE    CSV with a partner_id column (other columns ignored);
                       optional with --shortlist (then: every foreign firm in it)
  --unavailable FILE   CSV partner_id,date,start,end (local times; empty
                       start and end = the whole day); any firm, local or foreign
  --shortlist FILE     pairings exported by `coprod rank` or the TUI (CSV,
                       JSON or JSONL with requirement_id, foreign_partner_id,
                       local_partner_id, score, feasibility); without it, the
                       top N pairings per requirement from the ranker
  --days               2026-05-04..2026-05-06, or dates/ranges joined by commas
  --slots              START-END/LENGTH[+BREAK], several joined by commas, e.g.
                       09:00-12:00/45m+15m,13:30-17:00/45m (same every day)

output: --format wins; else the --output file's extension (.csv, .json, .md,
.ics, .txt = table); else a table. Files are written atomically. The table
ends with the plan in words ("57 meetings in 3 days and 6 rooms; no better
schedule exists", what could not be fitted and why); when the output is not a
table, those words and the figures (value, greedy value, bounds, gap, solve
time) go to stderr. Times are Asia/Taipei; .ics events carry TZID=Asia/Taipei.

examples:
  coprod plan --delegation delegation.csv --days 2026-05-04..2026-05-06 \\
      --slots 09:00-17:00/45m --rooms 6 --output agenda.md
  coprod plan --shortlist shortlist.json --days 2026-05-04 --rooms 3 -o plan.ics
  coprod plan --delegation delegation.csv --days 2026-05-04..2026-05-06 \\
      --unavailable away.csv --firm ncsist -o ncsist.ics   # one firm's calendar"""

# The table lists a meeting's most valuable requirements; the exports list all.
TOPICS_SHOWN = 3


def configure(parser: argparse.ArgumentParser) -> None:
    who = parser.add_argument_group("who meets whom")
    who.add_argument("--delegation", metavar="FILE", help="CSV of visiting foreign partner ids")
    who.add_argument("--shortlist", metavar="FILE", help="pairings to consider (CSV/JSON)")
    who.add_argument(
        "--top",
        type=positive_int,
        default=3,
        metavar="N",
        help="without --shortlist: feasible pairings per requirement to consider (3)",
    )
    when = parser.add_argument_group("when and where")
    when.add_argument("--days", required=True, help="visit days, e.g. 2026-05-04..2026-05-06")
    when.add_argument(
        "--slots",
        default="09:00-17:00/45m",
        help="meeting slots each day (default 09:00-17:00/45m)",
    )
    # Parsed by the planner, not argparse, so "0 rooms" gets the planner's message.
    when.add_argument(
        "--rooms", type=room_count, default=4, metavar="N", help="meeting rooms (4; 1..1000)"
    )
    when.add_argument("--unavailable", metavar="FILE", help="CSV of firms' unavailable times")
    when.add_argument(
        "--min-meetings",
        type=min_meetings_count,
        default=0,
        metavar="N",
        help="first give every delegation member N meetings where the schedule allows, "
        "then maximise value (0: value alone decides; 0..1000)",
    )
    solve = parser.add_argument_group("solver")
    solve.add_argument(
        "--time-limit",
        type=number_in(0, 3600, what="a number of seconds", low_inclusive=False),
        default=10.0,
        metavar="SECONDS",
        help="CP-SAT time limit (10)",
    )
    solve.add_argument(
        "--workers", type=worker_count, default=2, metavar="N", help="CP-SAT threads (2; 1..256)"
    )
    solve.add_argument(
        "--seed", type=seed_number, default=0, help="CP-SAT random seed (0; 0..2147483647)"
    )
    solve.add_argument(
        "--greedy-only", action="store_true", help="skip the solver, show the greedy plan"
    )
    out = parser.add_argument_group("output")
    out.add_argument("-f", "--format", choices=PLAN_FORMATS, help="output format (see below)")
    out.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    out.add_argument(
        "--firm",
        dest="firms",
        metavar="PARTNER_ID",
        action="append",
        default=[],
        help="write only this firm's agenda (repeatable); the plan is still made for all",
    )


def choose_format(requested: str | None, output: str | None) -> str:
    from coprod.errors import UsageError

    if requested:
        return requested
    if output:
        from coprod.formats import format_for_output

        try:
            return format_for_output(output, PLAN_FORMATS)
        except UsageError as error:
            raise UsageError(f"{error}, or pass --format") from None
    return "table"


def write_table(result: PlanResult, stream: TextIO, *, to_terminal: bool) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from coprod.planner import plan_summary
    from coprod.safe import printable

    if to_terminal:
        console = Console(file=stream)
    else:
        console = Console(file=stream, width=160, color_system=None, force_terminal=False)

    def text(value: str, style: str = "") -> Text:
        return Text(printable(value), style=style)

    meetings = Table(title="Meetings (Asia/Taipei)", show_lines=False)
    for column in ("Day", "Time", "Room", "Delegation member", "Taiwanese firm", "Covers"):
        meetings.add_column(column)
    meetings.add_column("Value", justify="right")
    meetings.add_column("Consent")
    for meeting in result.shown_meetings:
        candidate = meeting.candidate
        covers = Text()
        for index, topic in enumerate(candidate.topics[:TOPICS_SHOWN]):
            if index:
                covers.append("\n")
            covers.append(printable(topic.requirement_id), style="bold")
            covers.append(" " + printable(topic.requirement_title))
        if len(candidate.topics) > TOPICS_SHOWN:
            hidden = len(candidate.topics) - TOPICS_SHOWN
            covers.append(f"\n(+{hidden} more: see --format md)", style="dim")
        consent = ", ".join(candidate.consent_countries)
        meetings.add_row(
            meeting.slot.day.isoformat(),
            f"{meeting.slot.start:%H:%M}-{meeting.slot.end:%H:%M}",
            str(meeting.room),
            text(result.name(candidate.foreign_id)),
            text(result.name(candidate.local_id)),
            covers,
            f"{candidate.value:.1f}",
            text(consent, "yellow") if consent else Text("-"),
        )
    console.print(meetings)
    if result.shown_unscheduled:
        missed = Table(title="Not scheduled")
        for column in ("Delegation member", "Taiwanese firm", "Value", "Why"):
            missed.add_column(column)
        for item in result.shown_unscheduled:
            missed.add_row(
                text(result.name(item.candidate.foreign_id)),
                text(result.name(item.candidate.local_id)),
                f"{item.candidate.value:.1f}",
                text(item.reason),
            )
        console.print(missed)
    for line in plan_summary(result):
        console.print(Text(printable(line)))
    for warning in result.warnings:
        console.print(Text("note: " + printable(warning), style="yellow"))


def run(args: argparse.Namespace) -> int:
    from coprod.errors import UsageError
    from coprod.planner import PlanRequest, parse_days, parse_rooms, parse_slots

    fmt = choose_format(args.format, args.output)
    days = parse_days(args.days)
    slots = parse_slots(args.slots, days)
    rooms = parse_rooms(args.rooms)
    if not args.delegation and not args.shortlist:
        raise UsageError("who is visiting? give --delegation FILE (or --shortlist FILE)")
    if args.output:
        # Say so before solving, not after.
        folder = Path(args.output).expanduser().parent
        if Path(args.output).is_dir() or not folder.is_dir():
            raise UsageError(
                f"--output: cannot write {args.output!r} (no such folder, or a folder)"
            )

    from coprod.catalog import load_catalog
    from coprod.paths import resolve_db_path
    from coprod.planner import (
        for_firms,
        plan,
        pool_from_pairings,
        pool_from_shortlist,
        ranked_pairings,
        read_delegation,
        read_shortlist,
        read_unavailability,
        resolve_firms,
    )

    db_path = resolve_db_path(getattr(args, "db", None))
    catalog = load_catalog(db_path)
    focus = resolve_firms(args.firms, catalog) if args.firms else ()
    delegation = read_delegation(Path(args.delegation), catalog) if args.delegation else None
    unavailable = read_unavailability(Path(args.unavailable), catalog) if args.unavailable else ()
    if args.shortlist:
        pool = pool_from_shortlist(read_shortlist(Path(args.shortlist)), catalog, delegation)
        if delegation is None:
            delegation = tuple(dict.fromkeys(c.foreign_id for c in pool.candidates))
            if not delegation:
                from coprod.errors import DataError

                raise DataError(
                    f"{args.shortlist}: no schedulable pairing of a foreign partner "
                    "with a Taiwanese firm"
                )
    else:
        assert delegation is not None
        from coprod.batch import default_workers

        pairings = ranked_pairings(
            catalog, delegation, args.top, cache_path=db_path, workers=default_workers()
        )
        pool = pool_from_pairings(pairings, catalog, delegation, top=args.top)
    request = PlanRequest(delegation, slots, rooms, unavailable, args.min_meetings)
    result = plan(
        request,
        pool,
        catalog.partners,
        time_limit=args.time_limit,
        num_workers=args.workers,
        seed=args.seed,
        use_solver=not args.greedy_only,
    )

    shown = for_firms(result, focus) if focus else result

    def write(stream: TextIO) -> None:
        if fmt == "table":
            write_table(shown, stream, to_terminal=stream is sys.stdout and sys.stdout.isatty())
        else:
            from coprod.planner import write_plan

            write_plan(shown, fmt, stream)

    if args.output:
        from coprod.files import write_atomically

        write_atomically(Path(args.output), write)
        print(f"coprod: wrote the plan to {args.output} ({fmt})", file=sys.stderr)
    else:
        if fmt == "ics":
            # RFC 5545 wants CRLF: keep the text layer from translating line ends.
            sys.stdout.reconfigure(newline="")
        write(sys.stdout)
    if fmt != "table" or args.output:
        from coprod.planner import plan_summary, summary_lines
        from coprod.safe import printable

        for line in plan_summary(result):
            print(f"coprod: {printable(line)}", file=sys.stderr)
        for line in summary_lines(result):
            print(f"coprod: figures: {line}", file=sys.stderr)
        for warning in result.warnings:
            print(f"coprod: note: {printable(warning)}", file=sys.stderr)
    return 0
