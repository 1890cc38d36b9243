"""Hostile and broken input (issue 12): one regression test per defect found.

Each test fails without its fix: a hang shows as a subprocess timeout, a crash
as a traceback on stderr, a leak as the raw character in the output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_catalog_folder

REPO = Path(__file__).resolve().parent.parent


def coprod(*args: str, timeout: float = 60, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "coprod", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def run_python(code: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, cwd=REPO
    )


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr


# ---------------------------------------------------------------- hangs


def test_an_unterminated_quote_is_found_in_linear_time() -> None:
    """The old pattern took minutes on 34 characters after the quote; 200,000 now."""
    code = (
        "from coprod.csvinput import scan_structure\n"
        "raw = b'partner_id,capability,category,system\\nrtx,\"' + b'a' * 200_000 + b'\\n'\n"
        "problems, kept = scan_structure(raw, 38, 1, 4, 'capabilities.csv')\n"
        "print(problems[0])\n"
    )
    result = run_python(code, timeout=20)
    assert result.returncode == 0, result.stderr
    assert "capabilities.csv:2:5: unterminated quote" in result.stdout


def test_refresh_of_an_unterminated_quote_near_the_end_finishes(tmp_path: Path) -> None:
    folder = write_catalog_folder(tmp_path / "in")
    with (folder / "capabilities.csv").open("a", encoding="utf-8") as stream:
        stream.write('rtx,"' + "a" * 60 + "\n")
    result = coprod("refresh", str(folder), "--db", str(tmp_path / "c.duckdb"), timeout=60)
    assert result.returncode == 1
    assert "unterminated quote" in result.stderr
    no_traceback(result)


@pytest.mark.parametrize(
    ("flag", "value", "expected"),
    [
        ("--rooms", "1000000000", "must be 1..1000"),
        ("--rooms", "1" + "0" * 30, "must be 1..1000"),
        ("--min-meetings", "1000000000", "must be 0..1000"),
        ("--seed", "1" + "0" * 30, "must be 0..2147483647"),
        ("--seed", "-1", "cannot be negative"),
        ("--workers", "1" + "0" * 30, "must be 1..256"),
        ("--rooms", "9" * 5000, "5000-digit number"),
        ("--time-limit", "9" * 5000, "expected a number of seconds"),
    ],
)
def test_absurd_plan_flags_are_usage_errors(flag: str, value: str, expected: str) -> None:
    result = coprod("plan", "--days", "2026-05-04", "--delegation", "x.csv", flag, value)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert len(result.stderr) < 500  # the 5,000 digits are not echoed
    no_traceback(result)


def test_the_planner_core_bounds_rooms_and_min_meetings(catalog) -> None:
    """The TUI calls plan() directly: the bounds hold there too, before any work."""
    import datetime as dt

    from coprod.errors import UsageError
    from coprod.planner import CandidateSet, PlanRequest, Slot, plan

    slot = Slot(dt.date(2026, 5, 4), dt.time(9), dt.time(10))
    empty = CandidateSet((), ())
    for request, seed in (
        (PlanRequest(("rtx",), (slot,), 10**9), 0),
        (PlanRequest(("rtx",), (slot,), 4, min_meetings=10**9), 0),
        (PlanRequest(("rtx",), (slot,), 4), 10**30),
    ):
        with pytest.raises(UsageError):
            plan(request, empty, catalog.partners, seed=seed)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("cache", ["index", "snapshot"])
def test_a_fifo_in_place_of_a_cache_is_ignored(catalog_db: Path, cache: str) -> None:
    path = catalog_db.with_name(f"{catalog_db.name}.{cache}")
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    result = coprod("rank", "--db", str(catalog_db), "--requirement", "req-155-guided", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "req-155-guided" in result.stdout


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_snapshot_linked_to_dev_zero_is_ignored(catalog_db: Path) -> None:
    path = catalog_db.with_name(catalog_db.name + ".snapshot")
    path.unlink()
    path.symlink_to("/dev/zero")
    result = coprod("rank", "--db", str(catalog_db), "--requirement", "req-155-guided", timeout=60)
    assert result.returncode == 0, result.stderr


def test_an_oversized_snapshot_is_not_read(catalog_db: Path, monkeypatch) -> None:
    import coprod.catalog
    from coprod.catalog import _read_snapshot, snapshot_path

    assert _read_snapshot(catalog_db) is not None
    monkeypatch.setattr(
        coprod.catalog, "SNAPSHOT_MAX_BYTES", snapshot_path(catalog_db).stat().st_size - 1
    )
    assert _read_snapshot(catalog_db) is None
