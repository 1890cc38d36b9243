"""`coprod eval`: measure ranking recall and MRR against a ground-truth file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from coprod.commands.argtypes import positive_int

if TYPE_CHECKING:
    from coprod.evaluation import EvalReport, Metrics
    from coprod.model import Catalog

DESCRIPTION = """\
Score coprod's ranking against ground truth: for each requirement in
TRUTH.csv, the partners that really make the item. Prints recall@1, @5, @10
and MRR (mean reciprocal rank) overall and per category, separately for
foreign partners and for Taiwanese (local) partners."""

EPILOG = """\
TRUTH.csv columns: requirement_id, partner_id, and optionally role
(foreign | local; by default a Taiwanese partner is local, any other foreign).
recall@k: share of a requirement's true partners among the first k distinct
partners listed, averaged over requirements (a requirement with n true
partners scores at most 1/n at recall@1). MRR: mean of 1 / position of the
first true partner.
--baseline also scores plain rapidfuzz (WRatio of the requirement title vs
each capability line, no synonyms or weights; a partner ranks by its best
line) in the same run, so the gain is visible.

example:
  coprod eval data/truth.csv --baseline"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("truth", metavar="TRUTH.csv", help="ground-truth file")
    parser.add_argument(
        "-f", "--format", choices=("table", "json"), default="table", help="output format (table)"
    )
    parser.add_argument(
        "--baseline", action="store_true", help="also score the plain rapidfuzz baseline"
    )
    parser.add_argument(
        "--misses",
        type=positive_int,
        metavar="K",
        help="table: list each true partner coprod ranks below K (or not at all); "
        "JSON always carries every position",
    )


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _metric_cells(coprod: Metrics, baseline: Metrics | None) -> list[object]:
    from rich.text import Text

    from coprod.evaluation import K_VALUES

    pairs = [(coprod.recall[k], baseline.recall[k] if baseline else None) for k in K_VALUES]
    pairs.append((coprod.mrr, baseline.mrr if baseline else None))
    cells: list[object] = []
    for ours, theirs in pairs:
        cell = Text(_figure(ours), style="bold")
        if baseline is not None:
            cell.append(f" ({_figure(theirs)})", style="dim")
        cells.append(cell)
    return cells


def render_report(report: EvalReport) -> list[object]:
    """One rich table per role: rows overall then per category; baseline in brackets."""
    from rich.table import Table
    from rich.text import Text

    from coprod.evaluation import K_VALUES, ROLES
    from coprod.safe import printable

    coprod = report.methods[0]
    baseline = report.methods[1] if len(report.methods) > 1 else None
    renderables: list[object] = [Text(f"truth: {printable(report.truth_path)}", style="dim")]
    for role in ROLES:
        ours = coprod.roles[role]
        theirs = baseline.roles[role] if baseline else None
        title = f"{role} partners: coprod"
        if theirs is not None:
            title += " (baseline in brackets)"
        table = Table(title=Text(title), title_justify="left")
        table.add_column("category")
        table.add_column("reqs", justify="right")
        for k in K_VALUES:
            table.add_column(f"recall@{k}", justify="right")
        table.add_column("MRR", justify="right")
        if ours.overall.queries == 0:
            renderables.append(Text(f"{role} partners: no truth rows", style="dim"))
            continue
        table.add_row(
            Text("overall", style="bold"),
            str(ours.overall.queries),
            *_metric_cells(ours.overall, theirs.overall if theirs else None),
        )
        for category, metrics in ours.by_category.items():
            table.add_row(
                Text(printable(category)),  # catalog text: an OSC 52 in it stays inert
                str(metrics.queries),
                *_metric_cells(metrics, theirs.by_category.get(category) if theirs else None),
            )
        renderables.append(table)
    return renderables


def render_misses(report: EvalReport, catalog: Catalog, k: int) -> list[object]:
    """Lines naming each true partner coprod ranks below k: where tuning should look."""
    from rich.text import Text

    from coprod.evaluation import ROLES
    from coprod.safe import printable

    lines: list[object] = []
    for role in ROLES:
        misses = report.methods[0].roles[role].misses(k)
        lines.append(Text(f"{role} partners coprod ranks below {k}: {len(misses)}", style="bold"))
        for requirement_id, partner_id, position in misses:
            title = catalog.requirements[requirement_id].title
            where = "not listed" if position is None else f"at {position}"
            lines.append(Text(printable(f"  {requirement_id} {partner_id} {where}  ({title})")))
    return lines


def run(args: argparse.Namespace) -> int:
    from coprod.catalog import load_catalog
    from coprod.evaluation import evaluate, read_truth
    from coprod.paths import resolve_db_path

    db_path = resolve_db_path(getattr(args, "db", None))
    catalog = load_catalog(db_path)
    truth = read_truth(Path(args.truth), catalog)
    # cache_path: reuse (or save) the matching index persisted beside the catalog.
    from coprod.batch import default_workers

    report = evaluate(
        catalog, truth, baseline=args.baseline, cache_path=db_path, workers=default_workers()
    )
    if args.format == "json":
        import json

        from coprod.safe import json_text

        sys.stdout.write(json_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False)))
        sys.stdout.write("\n")
        return 0
    from rich.console import Console

    console = Console() if sys.stdout.isatty() else Console(color_system=None, width=120)
    for renderable in render_report(report):
        console.print(renderable)
    if args.misses:
        for renderable in render_misses(report, catalog, args.misses):
            console.print(renderable)
    return 0
