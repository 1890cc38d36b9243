"""`coprod brief`: a briefing (Markdown or a self-contained HTML page) of requirements."""

from __future__ import annotations

import argparse
import contextlib
import os
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
Choose one of --requirement (repeatable), --all or --shortlist FILE (a CSV,
JSON or JSONL export of pairings, as `coprod rank` or the TUI write it; its
note and decision columns are shown; the catalog's current ranking supplies
the scores and verdicts, never the file).

The format is the --output file's extension: .md (Markdown) or .html (one
self-contained page: no script, no remote asset; print it to PDF from a
browser). The file is written atomically.
The date is --date, else $SOURCE_DATE_EPOCH, else today.

exit codes: 0 ok, 1 data error (unknown id or country, unreadable catalog or
shortlist, unwritable output), 2 usage error.

examples:
  coprod brief -r TW-016 -r TW-001 -o brief.html
  coprod brief --all --country Norway --top 3 -o norway.md
  coprod brief --shortlist shortlist.csv -o visit-brief.html"""

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
        )
        if given
    ]
    if not chosen:
        raise UsageError("nothing to brief: give --requirement ID, --all or --shortlist FILE")
    if len(chosen) > 1:
        raise UsageError(
            f"choose one of --requirement, --all, --shortlist (got {' and '.join(chosen)})"
        )


def brief_date(given: str | None) -> str:
    """--date (checked), else $SOURCE_DATE_EPOCH (reproducible builds' convention), else today."""
    import datetime as dt

    from coprod.errors import UsageError

    if given:
        try:
            return dt.date.fromisoformat(given.strip()).isoformat()
        except ValueError:
            from coprod.safe import printable

            raise UsageError(f"--date expects YYYY-MM-DD, got {printable(given)[:40]!r}") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit() and len(epoch) < 12:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.date.today().isoformat()


def _filters(args: argparse.Namespace, category: str | None) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = [("top", str(args.top))]
    if args.per_partner is not None:
        shown.append(("per partner", str(args.per_partner)))
    shown.extend(("country", name) for name in args.countries)
    shown.extend(("excluding country", name) for name in args.exclude_countries)
    if category:
        shown.append(("category", category))
    if args.min_score:
        shown.append(("minimum score", f"{args.min_score:g}"))
    if args.exclude_blocked:
        shown.append(("blocked pairings", "hidden"))
    shown.append(("coverage threshold", f"{args.threshold:g}"))
    if args.shortlist:
        shown.append(("shortlist", args.shortlist))
    return shown


def _catalog_label(db_path: Path, meta: dict[str, str]) -> str:
    built = meta.get("built_at", "")
    return f"{db_path} (built {built})" if built else str(db_path)


def run(args: argparse.Namespace) -> int:
    _selection(args)
    if args.threshold is None:
        from coprod.config import load_config

        args.threshold = load_config().gap_threshold
    from coprod.formats import BRIEF_FORMATS, format_for_output

    fmt = format_for_output(args.output, BRIEF_FORMATS)
    date = brief_date(args.date)

    from coprod.brief import BRIEF_TITLE, build_brief, read_shortlist_picks, write_brief
    from coprod.catalog import load_catalog
    from coprod.commands.rank import (
        _progress_bar,
        _resolve_category,
        _resolve_names,
        rank_requirements,
        select_requirements,
    )
    from coprod.paths import resolve_db_path

    picks = read_shortlist_picks(Path(args.shortlist)) if args.shortlist else None
    db_path = resolve_db_path(getattr(args, "db", None))
    many = args.all or len(args.requirement_ids) > 1 or picks is not None
    with _progress_bar() if many else contextlib.nullcontext() as progress:
        if progress:
            progress("reading the catalog", 0, None)
        catalog = load_catalog(db_path)
        category = _resolve_category(args.category, catalog)
        # The rank command's selection reads these three.
        args.query = None
        if picks is not None:
            args.requirement_ids = list(dict.fromkeys(pick.requirement_id for pick in picks))
        requirements = select_requirements(args, catalog, category)
        if picks is not None:
            # A pick may name a partner the ranking lists below --top: rank deep enough.
            args.top = max(args.top, 200)
        results = rank_requirements(args, catalog, requirements, db_path, progress)
        analysis = None
        if not args.no_coverage and requirements:
            from coprod.gaps import analyse
            from coprod.ranking import Ranker

            known = set(catalog.countries) | {p.country for p in catalog.partners.values()}
            if progress:
                progress("coverage", 0, len(requirements))
            analysis = analyse(
                Ranker(catalog, cache_path=db_path),
                requirements,
                sorted({p.country for p in catalog.partners.values()}),
                threshold=args.threshold,
                only_countries=_resolve_names("country", args.countries, known),
                excluded_countries=_resolve_names("country", args.exclude_countries, known),
                progress=(lambda done, total: progress("coverage", done, total))
                if progress
                else None,
            )
    brief = build_brief(
        catalog,
        requirements,
        results,
        date=date,
        catalog_label=_catalog_label(db_path, catalog.meta),
        filters=_filters(args, category),
        picks=picks,
        analysis=analysis,
        title=args.title or BRIEF_TITLE,
    )
    target = Path(args.output)
    write_brief(brief, target, fmt)
    shown = sum(len(section.pairings) for section in brief.sections)
    print(
        f"coprod: wrote a brief of {len(requirements)} requirement(s), {shown} pairing(s) "
        f"to {target} ({fmt})",
        file=sys.stderr,
    )
    return 0
