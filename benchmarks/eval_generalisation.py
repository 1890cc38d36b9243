"""Ranking quality on a catalog folder and its truth file, coprod beside the plain baselines.

Builds the folder's catalog in a temporary directory (`coprod refresh`), then
scores coprod, rapidfuzz token_set_ratio and BM25 in one run (coprod.evaluation)
and prints, per side (foreign suppliers, Taiwanese co-producers) and language,
capped recall@5, recall@10 and MRR.

    python benchmarks/eval_generalisation.py data data/truth.csv          # development set
    python benchmarks/eval_generalisation.py benchmarks/blind benchmarks/blind/truth.csv
    ... --json   one JSON object instead of the table
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coprod.catalog import load_catalog, refresh_catalog  # noqa: E402
from coprod.evaluation import ROLES, evaluate, read_truth  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        db_path = Path(work) / "catalog.duckdb"
        refresh_catalog([args.folder], db_path)
        catalog = load_catalog(db_path)
        truth = read_truth(args.truth, catalog)
        report = evaluate(catalog, truth, baseline=True)
    figures: dict[str, dict[str, dict[str, dict[str, float | None]]]] = {}
    for method in report.methods:
        for role in ROLES:
            role_report = method.roles[role]
            groups = {"all": role_report.overall, **role_report.by_language}
            for group, metrics in groups.items():
                figures.setdefault(role, {}).setdefault(group, {})[method.method] = {
                    "n": metrics.queries,
                    "capped_recall@5": metrics.capped_recall,
                    "recall@10": metrics.recall[10],
                    "mrr": metrics.mrr,
                }
    if args.json:
        print(json.dumps({"truth": str(args.truth), "figures": figures}, indent=1))
        return 0
    print(f"truth: {args.truth}")
    print(f"{'side':8} {'lang':4} {'n':>3}  {'method':10} {'capR@5':>7} {'R@10':>7} {'MRR':>7}")
    for role, groups in figures.items():
        for group, methods in groups.items():
            for name, row in methods.items():
                cells = [row[key] for key in ("capped_recall@5", "recall@10", "mrr")]
                shown = " ".join(f"{v:7.3f}" if v is not None else "      —" for v in cells)
                print(f"{role:8} {group:4} {row['n']:>3}  {name:10} {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
