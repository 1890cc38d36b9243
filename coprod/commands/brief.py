"""`coprod brief`: a briefing (Markdown or a self-contained HTML page) of requirements."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from coprod.commands.argtypes import number_in, positive_int, worker_count

DESCRIPTION = """\
Write a briefing a delegation lead can read: title, date, catalog and
filters; a summary table; per requirement the pairings with a reason in
words, the consent chain, sources as links, and a shortlist's notes and
decisions; and a coverage section (requirements not covered, and the
category x country table of best feasible scores)."""

EPILOG = """\
Choose one of --requirement (repeatable), --all, --shortlist FILE (a CSV,
JSON or JSONL export of pairings, as `coprod rank` or the TUI write it; its
note, decision and decision_reason columns are shown) or --saved (the saved
work's shortlist, $COPROD_STATE or the user data directory: the document the
TUI's shortlist export writes as a briefing). For a shortlist the catalog's
current ranking supplies the scores and verdicts, never the saved copy, by
the rule of the TUI's shortlist re-check: a pick gone from the catalog (its
requirement or a partner is not in it, or the partners' lines no longer
match) is said to be gone, with why; one whose verdict or score changed
since it was shortlisted says so; one the filters leave out is said to be.
A shortlist file's typed queries (query-N) are ranked again from their
requirement_title, as --saved does.

The format is the --output file's extension: .md (Markdown) or .html (one
self-contained page: no script, no remote asset; print it to PDF from a
browser). The file is written atomically.
The date is --date, else $SOURCE_DATE_EPOCH, else today.

exit codes: 0 ok, 1 data error (unknown id or country, unreadable catalog or
shortlist, unwritable output), 2 usage error.

examples:
  coprod brief -r TW-016 -r TW-001 -o brief.html
  coprod brief --all --country Norway --top 3 -o norway.md
  coprod brief --shortlist shortlist.csv -o visit-brief.html
  coprod brief --saved -o visit-brief.md"""

DEFAULT_TOP = 5


def configure(parser: argparse.ArgumentParser) -> None:
    from coprod.gaps import DEFAULT_COVERAGE_THRESHOLD

    what = parser.add_argument_group("what to brief")
    what.add_argument(
        "-r",
        "--requirement",
        dest="requirement_ids",
        metavar="ID",
        action="append",
        default=[],
        help="a requirement id from the catalog (repeatable)",
    )
    what.add_argument("--all", action="store_true", help="every requirement in the catalog")
    what.add_argument("--shortlist", metavar="FILE", help="the pairings of a shortlist export")
    what.add_argument(
        "--saved",
        action="store_true",
        help="the saved shortlist with its decisions and notes (what coprod tui shows)",
    )
    filters = parser.add_argument_group("filters (as for coprod rank)")
    filters.add_argument(
        "--top",
        type=positive_int,
        default=DEFAULT_TOP,
        metavar="N",
        help=f"pairings per requirement ({DEFAULT_TOP})",
    )
    filters.add_argument(
        "--per-partner", type=positive_int, metavar="N", help="at most N per partner"
    )
    filters.add_argument(
        "--country", dest="countries", metavar="NAME", action="append", default=[],
        help="keep only partners from this country (repeatable); the coverage follows it",
    )  # fmt: skip
    filters.add_argument(
        "--exclude-country", dest="exclude_countries", metavar="NAME", action="append",
        default=[], help="drop partners from this country (repeatable)",
    )  # fmt: skip
    filters.add_argument(
        "--category", metavar="NAME", help="keep only requirements of this category"
    )
    filters.add_argument(
        "--min-score", type=number_in(0, 100), default=0.0, metavar="X",
        help="drop pairings below X (0..100)",
    )  # fmt: skip
    filters.add_argument("--exclude-blocked", action="store_true", help="hide blocked pairings")
    filters.add_argument(
        "--threshold", type=number_in(0, 100), metavar="X",
        help=f"score a feasible pairing needs for its requirement to count as covered "
        f"(default: the config's gap_threshold, else {DEFAULT_COVERAGE_THRESHOLD:g})",
    )  # fmt: skip
    out = parser.add_argument_group("output")
    out.add_argument("-o", "--output", metavar="FILE", required=True, help="FILE.md or FILE.html")
    out.add_argument("--title", help="the document's title (default: Co-production briefing)")
    out.add_argument("--date", metavar="YYYY-MM-DD", help="the date the brief carries")
    out.add_argument("--no-coverage", action="store_true", help="leave out the coverage section")
    out.add_argument(
        "-j", "--jobs", type=worker_count, metavar="N", help="worker processes for ranking",
    )  # fmt: skip


def _selection(args: argparse.Namespace) -> None:
    from coprod.errors import UsageError

    chosen = [
        flag
        for flag, given in (
            ("--requirement", bool(args.requirement_ids)),
            ("--all", args.all),
            ("--shortlist", args.shortlist is not None),
            ("--saved", args.saved),
        )
        if given
    ]
    if not chosen:
        raise UsageError(
            "nothing to brief: give --requirement ID, --all, --shortlist FILE or --saved"
        )
    if len(chosen) > 1:
        raise UsageError(
            f"choose one of --requirement, --all, --shortlist, --saved (got {' and '.join(chosen)})"
        )


def _saved_shortlist(catalog):
    """The saved work's shortlist, as the TUI shows it: requirements and picks."""
    from coprod.brief import saved_shortlist_picks
    from coprod.errors import DataError
    from coprod.paths import resolve_state_path
    from coprod.userstate import StateStore

    store = StateStore(resolve_state_path())
    if not store.exists() or not (saved := store.pairings()):
        raise DataError(f"{store.path}: no saved shortlist (shortlist pairings in coprod tui)")
    return saved_shortlist_picks(saved, catalog)


def run(args: argparse.Namespace) -> int:
    _selection(args)
    if args.threshold is None:
        from coprod.config import load_config

        args.threshold = load_config().gap_threshold
    from coprod.formats import BRIEF_FORMATS, format_for_output

    fmt = format_for_output(args.output, BRIEF_FORMATS)

    from coprod.brief import (
        BRIEF_TITLE,
        brief_date,
        catalog_label,
        compose_brief,
        read_shortlist_picks,
        saved_shortlist_label,
        shortlist_requirements,
        write_brief,
    )
    from coprod.catalog import load_catalog
    from coprod.commands.rank import (
        _progress_bar,
        _resolve_category,
        option_values_of,
        select_requirements,
    )
    from coprod.paths import resolve_db_path
    from coprod.ranking import Ranker, RankOptions

    date = brief_date(args.date)
    picks = read_shortlist_picks(Path(args.shortlist)) if args.shortlist else None
    db_path = resolve_db_path(getattr(args, "db", None))
    many = args.all or len(args.requirement_ids) > 1 or picks is not None or args.saved
    with _progress_bar() if many else contextlib.nullcontext() as progress:
        if progress:
            progress("reading the catalog", 0, None)
        catalog = load_catalog(db_path)
        category = _resolve_category(args.category, catalog)
        options = RankOptions(**option_values_of(args, catalog))  # type: ignore[arg-type]
        shortlist = args.shortlist or ""
        if args.saved:
            requirements, picks = _saved_shortlist(catalog)
            shortlist = saved_shortlist_label(len(picks))
            if category is not None:
                requirements = [r for r in requirements if r.category == category]
        elif picks is not None:
            # As --saved: typed queries ranked from their text, a requirement the catalog
            # lacks kept so that its picks are said to be gone.
            requirements = shortlist_requirements(picks, catalog)
            if category is not None:
                requirements = [r for r in requirements if r.category == category]
        else:
            args.query = None  # the rank command's selection reads it
            requirements = select_requirements(args, catalog, category)
        if picks is not None and category is not None:
            kept = {r.requirement_id for r in requirements}
            picks = [pick for pick in picks if pick.requirement_id in kept]
        if progress:
            from coprod.indexcache import saved_index_state

            if saved_index_state(db_path) == "current":
                progress("reading the saved matching index", 0, None)
            else:
                lines = len(catalog.capabilities)
                progress(f"indexing {lines:,} capability lines (saved for next runs)", 0, None)
        # cache_path: the matching index is saved beside the catalog and reused next time.
        ranker = Ranker(catalog, cache_path=db_path)

        def rank(chosen, ranked_options):
            from coprod.batch import default_workers, rank_many

            if len(chosen) == 1:
                return {chosen[0].requirement_id: ranker.rank(chosen[0], ranked_options)}
            workers = args.jobs if args.jobs is not None else default_workers()
            return rank_many(
                ranker,
                chosen,
                ranked_options,
                workers=workers,
                progress=(lambda done, total: progress("ranking", done, total))
                if progress
                else None,
            )

        brief = compose_brief(
            catalog,
            ranker,
            requirements,
            options,
            threshold=args.threshold,
            date=date,
            catalog_label=catalog_label(db_path, catalog.meta),
            picks=picks,
            shortlist=shortlist,
            category=category,
            coverage=not args.no_coverage,
            title=args.title or BRIEF_TITLE,
            rank=rank,
            progress=progress,
        )
    target = Path(args.output)
    write_brief(brief, target, fmt)
    shown = sum(len(section.pairings) for section in brief.sections)
    what = brief.shortlist_words() if brief.shortlisted is not None else f"{shown} pairing(s)"
    print(
        f"coprod: wrote a brief of {len(requirements)} requirement(s), {what} to {target} ({fmt})",
        file=sys.stderr,
    )
    return 0
