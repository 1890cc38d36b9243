"""Start-up cost of a headless `coprod rank`, against the floor it cannot beat.

Measures, as fresh processes in the same run (median of --runs each, the
commands taking turns):
- python:        the interpreter alone (`python -c pass`);
- import floor:  `python -c "import duckdb, rapidfuzz"`, what any tool on
                 this stack pays before doing work;
- floor + numpy: the same plus numpy, which the matcher's vectorised scoring
                 needs (rapidfuzz alone does not import it);
- numpy + rapidfuzz: what coprod's own ranking imports, without duckdb (a small
                 catalog is read from its snapshot, see coprod/catalog.py);
- coprod rank:   `coprod rank --requirement <first id> --format csv` on the
                 shipped catalog (built and ranked once beforehand, so its
                 snapshot and persisted index exist, as on every run but the first);
- coprod table:  the same with `--format table` (rich on top);
- coprod via duckdb: the CSV run on a copy of the catalog whose snapshot is
                 deleted before each run (the persisted index stays): what the
                 snapshot saves (importing duckdb, opening the file, 7 queries);
- coprod cold:   the CSV run with no sidecar at all (a copy whose snapshot and
                 index are deleted before each run): it reads DuckDB, builds the
                 index and writes both. (A refresh writes the snapshot, so the
                 first run after one is between this and the warm run.)

Then, with --phases, where one warm CSV run's time goes (wall and CPU), measured
inside one process per run (median of --runs): numpy and rapidfuzz first, then
what each step of coprod adds, in the order coprod.cli.main and `coprod rank`
take them (parser of the rank command only, config, catalog, index, ranking,
saved work, output), so the stages add up to the run less the interpreter's
start and exit; what a table adds (rich) is listed apart.

Prints a table (wall and CPU time) and, last, one JSON line with the figures
and the ratios against the import floor (issue 5: rank <= 1.5 x the floor).
The load average is printed before and after: the machine may be shared, and
then the CPU-time ratios are the steadier ones.

    .venv/bin/python benchmarks/bench_startup.py [--runs 15] [--phases]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# One warm `coprod rank -r ID -f csv` split into its stages, inside one process, doing
# what coprod.cli.main and coprod.commands.rank.run do in the same order (so the
# stages add up to the run), then the table's extra work apart; prints JSON.
PHASES_CODE = """
import json, os, sys, time
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as coprod.cli.main does
marks = [("start", time.perf_counter(), time.process_time())]
def mark(name):
    marks.append((name, time.perf_counter(), time.process_time()))
import numpy
mark("numpy")
import rapidfuzz
mark("rapidfuzz")
# coprod's own work after numpy and rapidfuzz: each stage is what coprod adds.
import io
from coprod.cli import build_parser, command_in
db_path, requirement_id = sys.argv[1], sys.argv[2]
argv = ["--db", db_path, "rank", "-r", requirement_id, "-f", "csv"]
args = build_parser(only=command_in(argv)).parse_args(argv)
mark("cli + rank command modules, parser")
from coprod.commands import rank as command
command.apply_config(args)
mark("config")
from coprod.catalog import load_catalog
from coprod.paths import resolve_db_path
db = resolve_db_path(args.db)
catalog = load_catalog(db)
mark("load_catalog (with its modules)")
requirements = command.select_requirements(args, catalog, None)
from coprod.ranking import Ranker, RankOptions
mark("ranking modules (matching, text, indexcache)")
ranker = Ranker(catalog, cache_path=db)
mark("Ranker (saved index)")
requirement = requirements[0]
pairings = ranker.rank(requirement, RankOptions(top=args.top))
mark("rank")
annotations = command.saved_annotations(args)
mark("saved work (none here)")
from coprod.output import write_pairings
write_pairings(pairings, "csv", io.StringIO(), {requirement_id: requirement}, annotations)
mark("write csv (with its modules)")
csv_marks = len(marks)
import rich.console, rich.table
mark("import rich")
command._write_table(io.StringIO(), {requirement_id: pairings}, [requirement], explain=False,
                     to_terminal=False, annotations=annotations)
mark("render table")
def stages(first, last):  # (name, wall ms, CPU ms) of marks[first:last]
    return [(name, (wall - marks[i - 1][1]) * 1000, (cpu - marks[i - 1][2]) * 1000)
            for i, (name, wall, cpu) in enumerate(marks[first:last], start=first)]
print(json.dumps({"csv": stages(1, csv_marks), "table": stages(csv_marks, len(marks))}))
"""


def bytecode_env(cache_folder: Path) -> dict[str, str]:
    """The environment for every timed command: bytecode caching on, in `cache_folder`.

    An installed coprod has compiled .pyc files; a checkout run with
    PYTHONDONTWRITEBYTECODE=1 (as on some build machines) would recompile
    every coprod module in every run and charge that to coprod alone.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache_folder)
    return env


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def remove_sidecars(db_path: Path, pattern: str = "*") -> None:
    """Files coprod keeps beside a catalog (`<catalog>.snapshot`, `<catalog>.index`)."""
    for sidecar in db_path.parent.glob(f"{db_path.name}.{pattern}"):
        sidecar.unlink()


Command = tuple[list[str], Callable[[], None] | None]  # the command, what to do before each run


def median_times(
    commands: dict[str, Command], runs: int, env: dict[str, str]
) -> tuple[dict[str, float], dict[str, float]]:
    """Median wall and CPU (user + system) seconds of each command, run round-robin so
    that load from other processes on the machine falls on every command alike.

    CPU time moves far less with the machine's load than wall time (it still grows
    a little when caches are shared), so its ratios are the steadier estimate of
    what a quiet machine would show."""
    for command, _ in commands.values():
        # Warm the OS file cache and write the bytecode caches (and coprod's sidecars).
        subprocess.run(command, check=True, capture_output=True, env=env)
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, before) in commands.items():
            if before is not None:
                before()
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            wall[name].append(time.perf_counter() - start)
            now = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(now.ru_utime - used.ru_utime + now.ru_stime - used.ru_stime)
    return (
        {name: statistics.median(values) for name, values in wall.items()},
        {name: statistics.median(values) for name, values in cpu.items()},
    )


def median_phases(
    db_path: Path, requirement_id: str, runs: int, env: dict[str, str]
) -> dict[str, dict[str, tuple[float, float]]]:
    """Median (wall ms, CPU ms) of each stage: "csv", the CSV run's stages in order;
    "table", what a table adds; "totals", the median of each run's in-process total
    (not the sum of the stages' medians, though the two come close)."""
    command = [sys.executable, "-c", PHASES_CODE, str(db_path), requirement_id]
    subprocess.run(command, check=True, capture_output=True, env=env)
    samples: dict[str, dict[str, list[tuple[float, float]]]] = {"csv": {}, "table": {}}
    totals: list[tuple[float, float]] = []
    for _ in range(runs):
        result = subprocess.run(command, check=True, capture_output=True, env=env, text=True)
        stages = json.loads(result.stdout)
        for part in ("csv", "table"):
            for name, wall, cpu in stages[part]:
                samples[part].setdefault(name, []).append((wall, cpu))
        totals.append(tuple(sum(stage[i] for stage in stages["csv"]) for i in (1, 2)))
    return {
        **{
            part: {name: _medians(values) for name, values in by_name.items()}
            for part, by_name in samples.items()
        },
        "totals": {"csv total": _medians(totals)},
    }


def _medians(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--phases", action="store_true", help="also split one warm run by stage")
    options = parser.parse_args()
    runs = options.runs
    load_before = load_average()

    from coprod.catalog import ensure_catalog, read_requirements

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "warm" / "catalog.duckdb"
        ensure_catalog(db_path)
        copies = {}
        for name in ("via_duckdb", "cold"):
            copies[name] = Path(folder) / name / "catalog.duckdb"
            copies[name].parent.mkdir()
            shutil.copyfile(db_path, copies[name])
        requirement_id = next(iter(read_requirements(db_path)))
        python = sys.executable
        env = bytecode_env(Path(folder) / "pycache")

        def rank(db: Path, fmt: str) -> list[str]:
            return [
                python,
                "-m",
                "coprod",
                "--db",
                str(db),
                "rank",
                "-r",
                requirement_id,
                "-f",
                fmt,
            ]

        figures, cpu = median_times(
            {
                "python": ([python, "-c", "pass"], None),
                "import_floor": ([python, "-c", "import duckdb, rapidfuzz"], None),
                "floor_numpy": ([python, "-c", "import duckdb, rapidfuzz, numpy"], None),
                "numpy_rapidfuzz": ([python, "-c", "import numpy, rapidfuzz"], None),
                "rank_csv": (rank(db_path, "csv"), None),
                "rank_table": (rank(db_path, "table"), None),
                "rank_csv_via_duckdb": (
                    rank(copies["via_duckdb"], "csv"),
                    lambda: remove_sidecars(copies["via_duckdb"], "snapshot"),
                ),
                "rank_csv_cold": (
                    rank(copies["cold"], "csv"),
                    lambda: remove_sidecars(copies["cold"]),
                ),
            },
            runs,
            env,
        )
        phases = median_phases(db_path, requirement_id, runs, env) if options.phases else None
    load_after = load_average()

    floor, cpu_floor = figures["import_floor"], cpu["import_floor"]
    print(
        f"{'what':<20}{'wall ms':>9}{'x floor':>9}{'cpu ms':>9}{'x floor':>9}   ({runs} runs "
        f"each, medians, requirement {requirement_id}; load average {load_before} -> {load_after})"
    )
    for name, seconds in figures.items():
        print(
            f"{name:<20}{seconds * 1000:>9.1f}{seconds / floor:>9.2f}"
            f"{cpu[name] * 1000:>9.1f}{cpu[name] / cpu_floor:>9.2f}"
        )
    if phases:
        print(f"\none warm CSV rank, inside the process (medians of {runs}):")
        print(f"  {'stage':<50}{'wall ms':>9}{'cpu ms':>9}")
        for name, (wall, cpu_ms) in phases["csv"].items():
            print(f"  {name:<50}{wall:>9.1f}{cpu_ms:>9.1f}")
        stage_sum = [sum(times[i] for times in phases["csv"].values()) for i in (0, 1)]
        print(f"  {'sum of the stages above':<50}{stage_sum[0]:>9.1f}{stage_sum[1]:>9.1f}")
        total_wall, total_cpu = phases["totals"]["csv total"]
        print(f"  {'in-process total (median of the runs)':<50}{total_wall:>9.1f}{total_cpu:>9.1f}")
        rest_wall = figures["rank_csv"] * 1000 - total_wall
        rest_cpu = cpu["rank_csv"] * 1000 - total_cpu
        # measured at another time than rank_csv: on a machine whose load moves, this
        # difference of medians moves with it (even below zero)
        label = "rank_csv less that: start and exit (if load held)"
        print(f"  {label:<50}{rest_wall:>9.1f}{rest_cpu:>9.1f}")
        print("what a table adds to it:")
        for name, (wall, cpu_ms) in phases["table"].items():
            print(f"  {name:<50}{wall:>9.1f}{cpu_ms:>9.1f}")

    def ratio(name: str, times: dict[str, float], base: str = "import_floor") -> float:
        return round(times[name] / times[base], 2)

    print(
        json.dumps(
            {
                "benchmark": "startup",
                "runs": runs,
                "load_average_before": load_before,
                "load_average_after": load_after,
                **{f"{name}_ms": round(seconds * 1000, 1) for name, seconds in figures.items()},
                **{f"{name}_cpu_ms": round(seconds * 1000, 1) for name, seconds in cpu.items()},
                "ratio_rank_vs_import_floor": ratio("rank_csv", figures),
                "ratio_rank_vs_floor_with_numpy": ratio("rank_csv", figures, "floor_numpy"),
                "ratio_table_vs_import_floor": ratio("rank_table", figures),
                "ratio_cold_vs_import_floor": ratio("rank_csv_cold", figures),
                "cpu_ratio_rank_vs_import_floor": ratio("rank_csv", cpu),
                "cpu_ratio_table_vs_import_floor": ratio("rank_table", cpu),
                **(
                    {
                        "phases_ms": {k: round(v[0], 1) for k, v in phases["csv"].items()},
                        "phases_cpu_ms": {k: round(v[1], 1) for k, v in phases["csv"].items()},
                        "phases_total_ms": round(phases["totals"]["csv total"][0], 1),
                        "phases_total_cpu_ms": round(phases["totals"]["csv total"][1], 1),
                        "table_phases_ms": {k: round(v[0], 1) for k, v in phases["table"].items()},
                    }
                    if phases
                    else {}
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
