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

Then, with --phases, where one warm run's time goes, measured inside one
process per run (median of --runs): numpy and rapidfuzz first, then what each
step of coprod adds (its modules, loading, index, ranking, output).

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

# One warm `coprod rank -r ID` split into its stages, inside one process; prints JSON.
PHASES_CODE = """
import json, os, sys, time
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as coprod.cli.main does
marks = [("start", time.perf_counter())]
def mark(name):
    marks.append((name, time.perf_counter()))
import numpy
mark("numpy")
import rapidfuzz
mark("rapidfuzz")
# coprod's modules after numpy and rapidfuzz: each line is what coprod adds.
import argparse, io
from pathlib import Path
import coprod.cli, coprod.commands.rank
coprod.cli.build_parser()
mark("cli + command modules, parser")
from coprod.catalog import load_catalog
from coprod.output import write_pairings
mark("catalog + output modules")
from coprod.ranking import Ranker, RankOptions
mark("ranking modules (matching, text, indexcache)")
db_path, requirement_id = Path(sys.argv[1]), sys.argv[2]
catalog = load_catalog(db_path)
mark("load_catalog")
ranker = Ranker(catalog, cache_path=db_path)
mark("Ranker (index)")
requirement = catalog.requirements[requirement_id]
pairings = ranker.rank(requirement, RankOptions())
mark("rank")
write_pairings(pairings, "csv", io.StringIO(), {requirement_id: requirement})
mark("write csv")
from coprod.commands.rank import _write_table
import rich.console, rich.table
mark("import rich (table only)")
_write_table(io.StringIO(), {requirement_id: pairings}, [requirement], explain=False,
             to_terminal=False)
mark("render table (table only)")
print(json.dumps([(name, (t - marks[i][1]) * 1000) for i, (name, t) in enumerate(marks[1:])]))
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
) -> dict[str, float]:
    command = [sys.executable, "-c", PHASES_CODE, str(db_path), requirement_id]
    subprocess.run(command, check=True, capture_output=True, env=env)
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        result = subprocess.run(command, check=True, capture_output=True, env=env, text=True)
        for name, milliseconds in json.loads(result.stdout):
            samples.setdefault(name, []).append(milliseconds)
    return {name: statistics.median(values) for name, values in samples.items()}


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
        phases = median_phases(db_path, requirement_id, runs, env) if options.phases else {}
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
        print(f"\none warm rank, inside the process (medians of {runs}; wall ms):")
        for name, milliseconds in phases.items():
            print(f"  {name:<46}{milliseconds:>7.1f}")

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
                **({"phases_ms": {k: round(v, 1) for k, v in phases.items()}} if phases else {}),
            }
        )
    )


if __name__ == "__main__":
    main()
