"""Benchmark `coprod refresh` against DuckDB's own read_csv of the same files.

    python benchmarks/bench_refresh.py [--partners N] [--capabilities N] [--repeat R]
        [--data DIR] [--quick]

Generates a synthetic catalog (benchmarks/generate_catalog.py; default 100,000
partners and 500,000 capability lines), then, R times in one run and alternating
so that machine load hits both alike:

- read_csv_s: DuckDB's own `CREATE TABLE t AS SELECT * FROM read_csv(file)` of
  every catalog file into an in-memory database (auto-detection, no checks);
- read_csv_to_file_s: the same into a DuckDB file, CHECKPOINTed (the floor of any
  on-disk catalog, shown for context);
- refresh_s: `coprod.catalog.refresh_catalog` of the folder (validation of every
  rule, atomic build and swap of the catalog file);
- cli_refresh_s: `coprod refresh` as a whole process (interpreter start included);
- load_catalog_s: `coprod.catalog.load_catalog` of the result into memory.

Prints a table of the best (minimum) and median times, then one JSON line with
the best times and refresh_vs_read_csv = refresh_s / read_csv_s (target <= 2).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate_catalog import generate_catalog  # noqa: E402

TABLES = ("partners", "capabilities", "codevelopers", "countries", "requirements")


def time_read_csv(folder: Path, database: str, clock=time.perf_counter) -> float:
    import duckdb

    started = clock()
    con = duckdb.connect(database)
    for table in TABLES:
        path = folder / f"{table}.csv"
        if path.exists():
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv(?)", [str(path)])
    if database != ":memory:":
        con.execute("CHECKPOINT")
    con.close()
    return clock() - started


def time_refresh(folder: Path, db_path: Path, clock=time.perf_counter) -> float:
    from coprod.catalog import refresh_catalog

    started = clock()
    refresh_catalog([folder], db_path)
    return clock() - started


def time_cli_refresh(folder: Path, db_path: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "coprod", "refresh", str(folder), "--db", str(db_path)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def time_load(db_path: Path) -> tuple[float, int]:
    from coprod.catalog import load_catalog

    started = time.perf_counter()
    catalog = load_catalog(db_path)
    return time.perf_counter() - started, len(catalog.capabilities)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="coprod refresh vs DuckDB read_csv")
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--capabilities", type=int, default=500_000)
    parser.add_argument("--requirements", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, help="use (or create) the generated catalog here")
    parser.add_argument("--quick", action="store_true", help="10,000 partners, 50,000 lines")
    parser.add_argument(
        "--cpu-time",
        action="store_true",
        help="also compare process CPU time (steadier than wall time on a busy machine)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.partners, args.capabilities, args.repeat = 10_000, 50_000, 2

    with tempfile.TemporaryDirectory(prefix="coprod-bench-") as scratch_name:
        scratch = Path(scratch_name)
        folder = args.data or scratch / "input"
        if not (folder / "capabilities.csv").exists():
            started = time.perf_counter()
            generate_catalog(
                folder,
                partners=args.partners,
                capabilities=args.capabilities,
                requirements=args.requirements,
                seed=args.seed,
            )
            print(f"generated {folder} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        sizes = {t: (folder / f"{t}.csv").stat().st_size for t in TABLES}
        times: dict[str, list[float]] = {
            name: []
            for name in (
                "read_csv_s",
                "read_csv_to_file_s",
                "refresh_s",
                "cli_refresh_s",
                "load_catalog_s",
            )
        }
        loaded = 0
        db_path = scratch / "catalog.duckdb"
        for run in range(args.repeat):
            times["read_csv_s"].append(time_read_csv(folder, ":memory:"))
            baseline_file = scratch / f"baseline{run}.duckdb"
            times["read_csv_to_file_s"].append(time_read_csv(folder, str(baseline_file)))
            baseline_file.unlink()
            times["refresh_s"].append(time_refresh(folder, db_path))
            seconds, loaded = time_load(db_path)
            times["load_catalog_s"].append(seconds)
            times["cli_refresh_s"].append(time_cli_refresh(folder, db_path))
        catalog_mb = db_path.stat().st_size / 1e6
        cpu: dict[str, float] = {}
        if args.cpu_time:
            cpu_clock = time.process_time  # includes DuckDB's worker threads
            cpu["read_csv_cpu_s"] = min(
                time_read_csv(folder, ":memory:", cpu_clock) for _ in range(args.repeat)
            )
            cpu["refresh_cpu_s"] = min(
                time_refresh(folder, db_path, cpu_clock) for _ in range(args.repeat)
            )
            cpu["refresh_vs_read_csv_cpu"] = cpu["refresh_cpu_s"] / cpu["read_csv_cpu_s"]

    best = {name: min(values) for name, values in times.items()}
    median = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"input: {args.partners:,} partners, {args.capabilities:,} capability lines, "
        f"{sum(sizes.values()) / 1e6:.1f} MB of CSV; catalog file {catalog_mb:.1f} MB; "
        f"{args.repeat} runs, {os.cpu_count()} CPUs"
    )
    print(f"{'measure':<22}{'best s':>10}{'median s':>10}")
    for name in times:
        print(f"{name:<22}{best[name]:>10.3f}{median[name]:>10.3f}")
    ratio = best["refresh_s"] / best["read_csv_s"]
    median_ratio = median["refresh_s"] / median["read_csv_s"]
    print(f"refresh / read_csv: {ratio:.2f}x best, {median_ratio:.2f}x median (target <= 2)")
    if cpu:
        print(
            f"CPU time: refresh {cpu['refresh_cpu_s']:.3f} s, read_csv "
            f"{cpu['read_csv_cpu_s']:.3f} s, ratio {cpu['refresh_vs_read_csv_cpu']:.2f}x"
        )
    print(
        json.dumps(
            {
                "partners": args.partners,
                "capabilities": args.capabilities,
                "loaded_capabilities": loaded,
                "refresh_s": round(best["refresh_s"], 3),
                "read_csv_s": round(best["read_csv_s"], 3),
                "refresh_vs_read_csv": round(ratio, 2),
                "refresh_vs_read_csv_median": round(median_ratio, 2),
                "read_csv_to_file_s": round(best["read_csv_to_file_s"], 3),
                "cli_refresh_s": round(best["cli_refresh_s"], 3),
                "load_catalog_s": round(best["load_catalog_s"], 3),
                "catalog_mb": round(catalog_mb, 1),
                **{name: round(value, 3) for name, value in cpu.items()},
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
