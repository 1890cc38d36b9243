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
TRUTH.csv, the partners that really make the item. Prints recall@1, @5, @10,
capped recall@5 and MRR (mean reciprocal rank) overall, per language and per
category, separately for foreign partners and for Taiwanese (local) partners."""

EPILOG = """\
TRUTH.csv columns: requirement_id, partner_id, and optionally role
(foreign | local; by default a Taiwanese partner is local, any other foreign).
recall@k: share of a requirement's true partners among the first k distinct
partners listed, averaged over requirements (a requirement with n true
partners scores at most 1/n at recall@1). MRR: mean of 1 / position of the
first true partner.
capped@5: true partners among the first 5 divided by min(true partners, 5).
Figures are given overall, per language of the requirement (zh when it holds
Chinese characters, else en) and per category.
--baseline also scores the two strongest plain rankers on the raw text, in
the same run: token_set (rapidfuzz token_set_ratio of the requirement title
vs each capability line) and bm25 (Okapi BM25 of title and description vs
each line with its system and its partner's description; Chinese as
character pairs); neither uses synonyms, knowledge, categories or
feasibility, and a partner ranks by its best line.

example:
  coprod eval data/truth.csv --baseline"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("truth", metavar="TRUTH.csv", help="ground-truth file")
    parser.add_argument(
        "-f", "--format", choices=("table", "json"), default="table", help="output format (table)"
    )
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also score the plain baselines (token_set_ratio, BM25) in the same run",
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


def _metric_cells(metrics: Metrics | None, *, bold: bool) -> list[object]:
    from rich.text import Text

    from coprod.evaluation import K_VALUES

    if metrics is None:
        return [Text("—")] * (len(K_VALUES) + 2)
    values = [metrics.recall[k] for k in K_VALUES] + [metrics.capped_recall, metrics.mrr]
    return [Text(_figure(value), style="bold" if bold else "") for value in values]


def render_report(report: EvalReport) -> list[object]:
    """One rich table per role: overall, per language, per category; with --baseline a row
    per method under each (coprod first)."""
    from rich.table import Table
    from rich.text import Text

    from coprod.evaluation import CAPPED_K, K_VALUES, ROLES
    from coprod.safe import printable

    several = len(report.methods) > 1
    renderables: list[object] = [Text(f"truth: {printable(report.truth_path)}", style="dim")]
    for role in ROLES:
        ours = report.methods[0].roles[role]
        if ours.overall.queries == 0:
            renderables.append(Text(f"{role} partners: no truth rows", style="dim"))
            continue
        title = f"{role} partners" + (": coprod and the plain baselines" if several else "")
        table = Table(title=Text(title), title_justify="left")
        table.add_column("requirements")
        table.add_column("n", justify="right")
        if several:
            table.add_column("method")
        for k in K_VALUES:
            table.add_column(f"recall@{k}", justify="right")
        table.add_column(f"capped@{CAPPED_K}", justify="right")
        table.add_column("MRR", justify="right")
        groups: list[tuple[str, str]] = [("overall", "overall")]
        groups += [(f"language {language}", language) for language in ours.by_language]
        groups += [(category, category) for category in ours.by_category]
        for index, (label, key) in enumerate(groups):
            for position, method in enumerate(report.methods):
                report_of_role = method.roles[role]
                if key == "overall":
                    metrics = report_of_role.overall
                elif label.startswith("language "):
                    metrics = report_of_role.by_language.get(key)
                else:
                    metrics = report_of_role.by_category.get(key)
                first = position == 0
                reference = ours.overall if key == "overall" else metrics
                cells: list[object] = [
                    Text(printable(label) if first else "", style="bold" if index == 0 else ""),
                    str(reference.queries) if first and reference is not None else "",
                ]
                if several:
                    cells.append(Text(method.method, style="bold" if first else "dim"))
                cells += _metric_cells(metrics, bold=first)
                table.add_row(*cells, end_section=several and position == len(report.methods) - 1)
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
