"""`coprod refresh` as a real process: exit codes, stdout/stderr, atomicity under signals."""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import COUNTRIES, PARTNERS, write_catalog_folder, write_csv

REPO = Path(__file__).resolve().parent.parent
PROBLEM_LINE = re.compile(r"^.+\.(csv|parquet)(:\d+(:\d+)?)?: .+$")
# The catalog and its tables cache (see coprod/tablecache.py): a failed refresh leaves both.
CATALOG_FILES = ["catalog.duckdb", "catalog.duckdb.snapshot"]


def coprod(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
    return subprocess.run(
        [sys.executable, "-m", "coprod", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def test_refresh_of_a_folder_prints_rows_per_table(catalog_folder: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "catalog.duckdb"
    result = coprod("refresh", str(catalog_folder), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert f"catalog rebuilt: {db_path}" in result.stdout
    assert re.search(rf"partners\s+{len(PARTNERS)}\b", result.stdout)
    assert "0 warnings" in result.stdout
    assert result.stderr == ""
    assert db_path.exists()


def test_without_path_rebuilds_from_shipped_data_at_coprod_db(tmp_path: Path) -> None:
    db_path = tmp_path / "env" / "catalog.duckdb"
    result = coprod("refresh", env={"COPROD_DB": str(db_path)})
    assert result.returncode == 0, result.stderr
    assert db_path.exists()
    assert re.search(r"capabilities\s+[\d,]+", result.stdout)


def test_bad_input_exits_1_lists_every_problem_and_changes_nothing(
    catalog_folder: Path, catalog_db: Path
) -> None:
    write_csv(
        catalog_folder / "countries.csv",
        [*COUNTRIES, {"country": "Narnia", "posture": "hostile", "note": ""}],
    )
    (catalog_folder / "codevelopers.csv").write_bytes(b'system,partner_id\nX,"rtx\n')
    before = catalog_db.read_bytes()
    result = coprod("refresh", str(catalog_folder), "--db", str(catalog_db))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "coprod refresh: 2 errors, 0 warnings; the catalog was not changed"
    assert all(PROBLEM_LINE.match(line) for line in lines[:-1]), lines
    assert f"{catalog_folder / 'codevelopers.csv'}:2:3: unterminated quote" in result.stderr
    assert f"{catalog_folder / 'countries.csv'}:7:8: unknown posture 'hostile'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert catalog_db.read_bytes() == before
    assert sorted(os.listdir(catalog_db.parent)) == CATALOG_FILES


def test_dry_run_validates_and_writes_nothing(catalog_folder: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "never" / "catalog.duckdb"
    result = coprod("refresh", "--dry-run", str(catalog_folder), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "input is valid (dry run: nothing written)" in result.stdout
    assert not db_path.parent.exists()


def test_hostile_text_in_problems_cannot_reach_the_terminal(
    catalog_folder: Path, tmp_path: Path
) -> None:
    hostile_posture = "\x1b[31m[bold]red[/bold]"
    write_csv(
        catalog_folder / "countries.csv",
        [{"country": "Sweden", "posture": hostile_posture, "note": "=cmd|' /C calc'!A0"}],
    )
    result = coprod("refresh", str(catalog_folder), "--db", str(tmp_path / "c.duckdb"))
    assert result.returncode == 1
    assert "\x1b" not in result.stderr
    assert "unknown posture '\\x1b[31m[bold]red[/bold]'" in result.stderr


def test_warnings_go_to_stderr_and_success_stays_0(tmp_path: Path) -> None:
    partners = [{**row, "website": "https://example.org"} for row in PARTNERS]
    folder = write_catalog_folder(tmp_path / "in", partners=partners)
    result = coprod("refresh", str(folder), "--db", str(tmp_path / "c.duckdb"))
    assert result.returncode == 0, result.stderr
    assert "warning: extra column 'website' is kept as text" in result.stderr
    assert "1 warning" in result.stdout


def test_missing_path_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = coprod("refresh", str(missing), "--db", str(tmp_path / "c.duckdb"))
    assert result.returncode == 1
    assert f"{missing}: no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_points_at_the_format() -> None:
    result = coprod("refresh", "--help")
    assert result.returncode == 0
    assert "data/README.md" in result.stdout and "--dry-run" in result.stdout


# ---------------------------------------------------------------- interrupted refresh


def _generator():
    spec = importlib.util.spec_from_file_location(
        "generate_catalog", REPO / "benchmarks" / "generate_catalog.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def large_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("large")
    _generator().generate_catalog(
        folder, partners=10_000, capabilities=150_000, requirements=50, seed=3
    )
    return folder


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_mid_refresh_leaves_old_catalog_and_no_temp_file(
    signum: int, large_folder: Path, catalog_db: Path
) -> None:
    before = catalog_db.read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-m", "coprod", "refresh", str(large_folder), "--db", str(catalog_db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    # The temporary catalog appears beside the old one as soon as the load starts.
    while not any(name.endswith(".tmp") for name in os.listdir(catalog_db.parent)):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "coprod: interrupted" in stderr
    assert "Traceback" not in stderr
    assert catalog_db.read_bytes() == before
    assert sorted(os.listdir(catalog_db.parent)) == CATALOG_FILES


def test_progress_bar_appears_only_after_the_delay() -> None:
    """The bar (stderr, terminals only) shows stage names as plain text, never markup."""
    import io

    from rich.console import Console

    from coprod.commands.progress import DelayedProgress

    quick_stream = io.StringIO()
    quick = DelayedProgress(
        Console(file=quick_stream, force_terminal=True), unit="steps", delay_s=5
    )
    quick("reading partners.csv", 0, 3)
    quick.close()
    assert quick_stream.getvalue() == ""

    slow_stream = io.StringIO()
    slow = DelayedProgress(
        Console(file=slow_stream, force_terminal=True), unit="steps", delay_s=0.01
    )
    slow("reading [bold]x[/bold]\x1b[31m.csv", 1, 3)
    deadline = time.monotonic() + 10
    while "reading" not in slow_stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    slow.close()
    shown = slow_stream.getvalue()
    assert "reading [bold]x[/bold]\\x1b[31m.csv" in shown
    assert "1/3 steps" in shown


def test_generator_is_seeded_and_writes_a_valid_catalog(tmp_path: Path) -> None:
    generate = _generator().generate_catalog
    counts = generate(tmp_path / "a", partners=300, capabilities=2_000, requirements=40, seed=11)
    generate(tmp_path / "b", partners=300, capabilities=2_000, requirements=40, seed=11)
    generate(tmp_path / "c", partners=300, capabilities=2_000, requirements=40, seed=12)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    same = [(tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes() for n in names]
    assert all(same)
    assert (tmp_path / "a" / "capabilities.csv").read_bytes() != (
        tmp_path / "c" / "capabilities.csv"
    ).read_bytes()
    from coprod.catalog import refresh_catalog

    report = refresh_catalog([tmp_path / "a"], tmp_path / "a.duckdb", dry_run=True)
    assert report.row_counts["capabilities"] == counts["capabilities"] == 2_000
    assert report.row_counts["partners"] == 300
    assert report.row_counts["requirements"] == 40


def test_progress_bar_counts_in_its_unit_and_pulses_without_a_total() -> None:
    """`coprod rank --all` shows requirements ranked; steps of unknown length show no count."""
    import io

    from rich.console import Console

    from coprod.commands.progress import DelayedProgress

    stream = io.StringIO()
    with DelayedProgress(
        Console(file=stream, force_terminal=True, width=100), unit="requirements", delay_s=0.01
    ) as progress:
        progress("indexing 500,000 capability lines", 0, None)
        deadline = time.monotonic() + 10
        while "indexing" not in stream.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        progress("ranking", 512, 1000)
        time.sleep(0.3)  # rich redraws ten times a second
    shown = stream.getvalue()
    assert "indexing 500,000 capability lines" in shown
    assert "None" not in shown
    assert "512/1,000 requirements" in shown
