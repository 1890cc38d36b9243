"""The persisted matching index: cold build vs warm load of `Ranker`, and the sidecar's size.

    .venv/bin/python benchmarks/bench_index_cache.py CATALOG.duckdb [--runs 3]
        [--requirements 100] [--workdir DIR]

The catalog is copied into a work folder first (a temp folder unless --workdir),
so the sidecar written beside it never touches the original. Every timing runs
in a fresh child process (so no cache of a previous build in the same process
flatters a figure), the modes taking turns, median of --runs each:

- build: `Ranker(catalog)`, no cache_path: the index built in memory (today's cost
         without a sidecar);
- write: `Ranker(catalog, cache_path=db)` with no sidecar yet: build + save it
         (the first run after a refresh);
- load:  `Ranker(catalog, cache_path=db)` with the sidecar in place (every later run).

Each child also times its first `rank` (so a load that merely postponed work
would show), and hashes `rank_many` of the first --requirements requirements:
`identical` says whether built and loaded indexes gave the same rankings.
Imports and `load_catalog` are not counted in `ranker_s` (the table lists the
load for scale). Deterministic: no randomness, no network. Prints a table,
then one JSON line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODES = ("build", "write", "load")


def child(mode: str, db: Path, requirement_count: int) -> dict[str, object]:
    """One timed Ranker construction in this (fresh) process."""
    from coprod.catalog import load_catalog
    from coprod.indexcache import sidecar_path
    from coprod.ranking import Ranker

    if mode == "write":
        sidecar_path(db).unlink(missing_ok=True)
    started = time.perf_counter()
    catalog = load_catalog(db)
    loaded = time.perf_counter()
    ranker = Ranker(catalog, cache_path=None if mode == "build" else db)
    built = time.perf_counter()
    requirements = list(catalog.requirements.values())[:requirement_count]
    if requirements:
        ranker.rank(requirements[0])
    first_rank = time.perf_counter()
    results = ranker.rank_many(requirements)
    digest = hashlib.sha256(repr(sorted(results.items())).encode()).hexdigest()
    return {
        "mode": mode,
        "load_catalog_s": loaded - started,
        "ranker_s": built - loaded,
        "first_rank_s": first_rank - built,
        "loaded_from_cache": ranker.loaded_from_cache,
        "rankings_sha256": digest,
    }


def run_child(mode: str, db: Path, requirement_count: int) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", mode, str(db)]
    command += ["--requirements", str(requirement_count)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(db: Path, runs: int, requirement_count: int) -> dict[str, object]:
    from coprod.indexcache import sidecar_path

    samples: dict[str, list[dict[str, object]]] = {mode: [] for mode in MODES}
    for run in range(runs):
        for mode in MODES:  # taking turns: machine load falls on every mode alike
            print(f"run {run + 1}/{runs}: {mode}", file=sys.stderr, flush=True)
            samples[mode].append(run_child(mode, db, requirement_count))

    def median(mode: str, name: str) -> float:
        return statistics.median(float(sample[name]) for sample in samples[mode])

    digests = {sample["rankings_sha256"] for mode in MODES for sample in samples[mode]}
    flags_right = all(not s["loaded_from_cache"] for s in samples["build"] + samples["write"])
    flags_right &= all(s["loaded_from_cache"] for s in samples["load"])
    build_s, load_s = median("build", "ranker_s"), median("load", "ranker_s")
    return {
        "catalog_mb": db.stat().st_size / 1e6,
        "sidecar_mb": sidecar_path(db).stat().st_size / 1e6,
        "load_catalog_s": median("build", "load_catalog_s"),
        "build_s": build_s,
        "write_s": median("write", "ranker_s"),
        "load_s": load_s,
        "build_vs_load": build_s / load_s if load_s else None,
        "first_rank_after_build_s": median("build", "first_rank_s"),
        "first_rank_after_load_s": median("load", "first_rank_s"),
        "identical": len(digests) == 1 and flags_right,
        "runs": runs,
        "requirements_compared": requirement_count,
    }


def catalog_shape(db: Path) -> str:
    from coprod.catalog import load_catalog

    catalog = load_catalog(db)
    return f"{len(catalog.capabilities):,} capability lines, {len(catalog.partners):,} partners"


def print_table(figures: dict[str, object], shape: str) -> None:
    rows = [
        ("catalog", f"{shape}, {figures['catalog_mb']:.1f} MB"),
        ("sidecar size", f"{figures['sidecar_mb']:.2f} MB"),
        ("load_catalog (context)", f"{figures['load_catalog_s'] * 1000:,.1f} ms"),
        ("Ranker, built (no sidecar)", f"{figures['build_s'] * 1000:,.1f} ms"),
        ("Ranker, built + sidecar written", f"{figures['write_s'] * 1000:,.1f} ms"),
        ("Ranker, sidecar loaded", f"{figures['load_s'] * 1000:,.1f} ms"),
        ("build / load", f"{figures['build_vs_load']:,.1f} x"),
        ("first rank after build", f"{figures['first_rank_after_build_s'] * 1000:,.1f} ms"),
        ("first rank after load", f"{figures['first_rank_after_load_s'] * 1000:,.1f} ms"),
        (
            f"same rankings ({figures['requirements_compared']} requirements)",
            "yes" if figures["identical"] else "NO",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"Persisted index, medians of {figures['runs']} fresh processes per mode")
    for name, value in rows:
        print(f"  {name:<{width}}  {value:>24}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalog", type=Path, help="a coprod catalog (DuckDB file)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requirements", type=int, default=100)
    parser.add_argument("--workdir", type=Path, help="keep the copy and its sidecar here")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.catalog, args.requirements)))
        return 0
    if not args.catalog.is_file():
        parser.error(f"no catalog file at {args.catalog}")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="coprod-index-bench-"))
    try:
        workdir.mkdir(parents=True, exist_ok=True)
        db = workdir / "catalog.duckdb"
        if args.catalog.resolve() != db.resolve():
            shutil.copyfile(args.catalog, db)
        figures = measure(db, args.runs, args.requirements)
        print_table(figures, catalog_shape(db))
        print(
            json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()})
        )
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
