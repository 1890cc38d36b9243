"""`coprod plan` as a real process: exit codes, stdout data, stderr narration, files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TIMEOUT_S = 120


def run_plan(*args: str, db: Path | None = None, cwd: Path | None = None):
    command = [sys.executable, "-m", "coprod"]
    if db is not None:
        command += ["--db", str(db)]
    command += ["plan", *args]
    env = {**os.environ, "COPROD_DB": str(cwd / "never-used.duckdb") if cwd else ""}
    env.pop("COLUMNS", None)
    return subprocess.run(
        command, capture_output=True, text=True, timeout=TIMEOUT_S, env=env, cwd=cwd
    )


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--days", "2026-05-06..2026-05-04"], "runs backwards"),
        (["--days", "2026-05-04", "--rooms", "0"], "need at least one room"),
        (["--days", "2026-05-04", "--slots", "09:00-12:00/45m,11:30-13:00/30m"], "overlap"),
        (["--days", "2026-05-04", "--slots", "17:00-09:00/45m"], "ends before it starts"),
        (["--days", "2026-05-04", "--slots", "9-17"], "not a slot range"),
        (["--days", "2026-05-04", "--time-limit", "-1"], "--time-limit"),
        (["--days", "2026-05-04", "--output", "plan.xlsx"], "cannot tell the format"),
        (["--days", "2026-05-04"], "give --delegation FILE"),
    ],
)
def test_bad_flag_values_exit_2_with_one_clear_line(tmp_path: Path, flags, message):
    done = run_plan(*flags, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    assert not (tmp_path / "never-used.duckdb").exists()


def test_help_lists_the_inputs():
    done = subprocess.run(
        [sys.executable, "-m", "coprod", "plan", "--help"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert done.returncode == 0
    for flag in ("--delegation", "--days", "--slots", "--rooms", "--unavailable", "--shortlist"):
        assert flag in done.stdout


def test_the_command_line_does_not_load_the_solver_or_the_tui_until_planning():
    code = (
        "import sys; from coprod.cli import build_parser; build_parser(); "
        "import coprod.commands.plan; "
        "print(sorted(m for m in ('ortools', 'textual', 'rich') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT_S
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
