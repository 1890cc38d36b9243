"""Start-up cost of a headless `coprod rank`, against the floor it cannot beat.

Measures, as fresh processes in the same run (median of --runs each, the
commands taking turns):
- python:        the interpreter alone (`python -c pass`);
- import floor:  `python -c "import duckdb, rapidfuzz"`, what any tool on
                 this stack pays before doing work;
- floor + numpy: the same plus numpy, which the matcher's vectorised scoring
                 needs (rapidfuzz alone does not import it);
- coprod rank:   `coprod rank --requirement <first id> --format csv` on the
                 shipped catalog (built once beforehand, so not timed);
- coprod table:  the same with `--format table` (rich on top).

Prints a table and, last, one JSON line with the figures and the ratio
rank / import floor (the issue asks for "little more than" the floor).

    .venv/bin/python benchmarks/bench_startup.py [--runs 15]
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


def bytecode_env(cache_folder: Path) -> dict[str, str]:
    """The environment for every timed command: bytecode caching on, in `cache_folder`.

    An installed coprod has compiled .pyc files; a checkout run with
    PYTHONDONTWRITEBYTECODE=1 (as on some build machines) would recompile
    every coprod module in every run and charge that to coprod alone.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache_folder)
    return env


def median_seconds(
    commands: dict[str, list[str]], runs: int, env: dict[str, str]
) -> dict[str, float]:
    """Median wall time of each command, run round-robin so that load from other
    processes on the machine falls on every command alike."""
    for command in commands.values():
        # Warm the OS file cache and write the bytecode caches.
        subprocess.run(command, check=True, capture_output=True, env=env)
    timings: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            timings[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs

    from coprod.catalog import ensure_catalog, load_catalog

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "catalog.duckdb"
        ensure_catalog(db_path)
        requirement_id = next(iter(load_catalog(db_path).requirements))
        python = sys.executable
        rank = [python, "-m", "coprod", "--db", str(db_path), "rank", "-r", requirement_id]
        figures = median_seconds(
            {
                "python": [python, "-c", "pass"],
                "import_floor": [python, "-c", "import duckdb, rapidfuzz"],
                "floor_numpy": [python, "-c", "import duckdb, rapidfuzz, numpy"],
                "rank_csv": [*rank, "--format", "csv"],
                "rank_table": [*rank, "--format", "table"],
            },
            runs,
            bytecode_env(Path(folder) / "pycache"),
        )
    ratio = figures["rank_csv"] / figures["import_floor"]
    print(f"{'what':<14}{'median ms':>10}   ({runs} runs each, requirement {requirement_id})")
    for name, seconds in figures.items():
        print(f"{name:<14}{seconds * 1000:>10.1f}")
    print(f"ratio rank_csv / import_floor = {ratio:.2f}")
    print(
        json.dumps(
            {
                "benchmark": "startup",
                "runs": runs,
                **{f"{name}_ms": round(seconds * 1000, 1) for name, seconds in figures.items()},
                "ratio_rank_vs_import_floor": round(ratio, 2),
                "ratio_rank_vs_floor_with_numpy": round(
                    figures["rank_csv"] / figures["floor_numpy"], 2
                ),
                "ratio_table_vs_import_floor": round(
                    figures["rank_table"] / figures["import_floor"], 2
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
