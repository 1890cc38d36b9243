"""`coprod plan` as a real process: exit codes, stdout data, stderr narration, files."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import HOSTILE_NAME, PARTNERS, write_catalog_folder

TIMEOUT_S = 120
DELEGATION = ("rtx", "lockheed-martin", "kongsberg", "nammo", "mhi", "saab", "hostile-co")
TIMES = ("09:00", "09:45", "10:30")
VISIT = ("--days", "2026-05-04", "--slots", "09:00-11:15/45m", "--rooms", "2", "--time-limit", "5")


def run_plan(*args: str, db: Path | None = None, cwd: Path | None = None):
    command = [sys.executable, "-m", "coprod"]
    if db is not None:
        command += ["--db", str(db)]
    command += ["plan", *args]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"FORCE_COLOR", "COLUMNS", "LINES"} and not key.startswith("COPROD_")
    }
    if cwd is not None:
        env["COPROD_DB"] = str(cwd / "never-used.duckdb")
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT_S,
        env=env,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """The conftest fixture catalog, built once for this module (real CSV -> DuckDB)."""
    from coprod.catalog import refresh_catalog

    folder = write_catalog_folder(tmp_path_factory.mktemp("plan_catalog") / "input")
    path = folder.parent / "catalog.duckdb"
    refresh_catalog([folder], path)
    return path


def write_delegation(folder: Path, ids=DELEGATION, name: str = "delegation.csv") -> Path:
    path = folder / name
    path.write_text("partner_id,name\n" + "".join(f"{pid},ignored\n" for pid in ids))
    return path


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--days", "2026-05-06..2026-05-04"], "runs backwards"),
        (["--days", "2026-05-04", "--rooms", "0"], "need at least one room"),
        (["--days", "2026-05-04", "--slots", "09:00-12:00/45m,11:30-13:00/30m"], "overlap"),
        (["--days", "2026-05-04", "--slots", "17:00-09:00/45m"], "ends before it starts"),
        (["--days", "2026-05-04", "--slots", "9-17"], "not a slot range"),
        (["--days", "2026-05-04", "--time-limit", "-1"], "--time-limit"),
        (["--days", "2026-05-04", "--min-meetings", "-1"], "cannot be negative"),
        (["--days", "2026-05-04", "--output", "plan.xlsx"], "cannot tell the format"),
        (["--days", "2026-05-04"], "give --delegation FILE"),
        (["--days", "2026-05-04", "--delegation", "d.csv", "-o", "no/such/dir/p.md"], "--output"),
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


# --------------------------------------------------------------------------- real plans


def check_schedule(meetings: list[dict], rooms: int) -> None:
    """The constraints, re-checked from the exported data alone."""
    pairs = Counter((m["foreign_partner_id"], m["local_partner_id"]) for m in meetings)
    assert max(pairs.values()) == 1
    at = Counter((m["date"], m["start"]) for m in meetings)
    assert max(at.values()) <= rooms
    rooms_at = Counter((m["date"], m["start"], m["room"]) for m in meetings)
    assert max(rooms_at.values()) == 1
    firm_at = Counter(
        (firm, m["date"], m["start"])
        for m in meetings
        for firm in (m["foreign_partner_id"], m["local_partner_id"])
    )
    assert max(firm_at.values()) == 1


def test_json_plan_from_the_ranker(db: Path, tmp_path: Path):
    delegation = write_delegation(tmp_path)
    target = tmp_path / "plan.json"
    done = run_plan(
        "--delegation", str(delegation), *VISIT, "--min-meetings", "1", "-o", str(target), db=db
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["summary"]["min_meetings"] == 1
    assert data["summary"]["members_met"] == len(
        {m["foreign_partner_id"] for m in data["meetings"]}
    )
    summary, meetings = data["summary"], data["meetings"]
    assert summary["meetings"] == len(meetings) > 0
    check_schedule(meetings, rooms=2)
    # More members met may cost value; otherwise the solver never does worse than greedy.
    assert (
        summary["members_met"] > summary["greedy_members_met"]
        or summary["value"] >= summary["greedy_value"]
    )
    assert summary["value"] <= summary["simple_bound"] + 0.05
    assert all(m["foreign_partner_id"] in DELEGATION for m in meetings)
    assert all(
        m["local_partner_id"] in {"ncsist", "aidc", "thunder-tiger", "mnd-205-arsenal"}
        for m in meetings
    )
    # saab's pairings are all blocked by Sweden: never scheduled, and said why.
    assert not any(m["foreign_partner_id"] == "saab" for m in meetings)
    assert any(
        e["foreign_partner_id"] == "saab" and "Sweden" in e["reason"] for e in data["excluded"]
    )
    assert "saab" in done.stderr and "blocked by Sweden" in done.stderr
    consent = [m for m in meetings if m["feasibility"] == "consent_required"]
    assert consent and all(m["consent_countries"] for m in consent)
    # The plan is maximal: no unscheduled pair has a slot where both firms and a room are free.
    slots = {(m["date"], m["start"]) for m in meetings} | {("2026-05-04", t) for t in TIMES}
    busy = {
        (firm, m["date"], m["start"])
        for m in meetings
        for firm in (m["foreign_partner_id"], m["local_partner_id"])
    }
    used = Counter((m["date"], m["start"]) for m in meetings)
    for item in data["unscheduled"]:
        pair = (item["foreign_partner_id"], item["local_partner_id"])
        assert all(
            used[slot] >= 2 or any((firm, *slot) in busy for firm in pair) for slot in slots
        ), item
        assert item["reason"]
    assert f"value {summary['value']:.1f}" in done.stderr
    assert "greedy baseline" in done.stderr


# Every Markdown construct a name could smuggle in: cells, links, HTML, emphasis,
# strike-through, code, autolinks, an entity for a bidi override, a terminal escape.
MARKDOWN_HOSTILE_NAME = (
    "|Evil| [x](http://e.vil) <b>**Co**</b> _a_ ~~b~~ `c` www.e.vil &#x202e; \x1b[2J"
)


def test_plan_and_rank_markdown_escape_a_hostile_name_identically(tmp_path: Path):
    from coprod.catalog import refresh_catalog
    from coprod.safe import markdown_text

    partners = copy.deepcopy(PARTNERS)
    for partner in partners:
        if partner["partner_id"] == "hostile-co":
            partner["name"] = MARKDOWN_HOSTILE_NAME
    folder = write_catalog_folder(tmp_path / "input", partners=partners)
    db = tmp_path / "catalog.duckdb"
    refresh_catalog([folder], db)
    delegation = write_delegation(tmp_path, ids=("hostile-co", "kongsberg"))
    planned = run_plan("--delegation", str(delegation), *VISIT, "-f", "md", db=db)
    assert planned.returncode == 0, planned.stderr
    ranked = subprocess.run(
        [sys.executable, "-m", "coprod", "--db", str(db), "rank", "--all", "-f", "md"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT_S,
    )
    assert ranked.returncode == 0, ranked.stderr
    escaped = markdown_text(MARKDOWN_HOSTILE_NAME)
    assert escaped != MARKDOWN_HOSTILE_NAME
    for output in (planned.stdout, ranked.stdout):
        assert escaped in output
        for raw in ("[x](http", "<b>", "**Co**", "~~b~~", "`c`", "\x1b"):
            assert raw not in output


def test_table_shows_hostile_text_inertly(db: Path, tmp_path: Path):
    delegation = write_delegation(tmp_path, ids=("hostile-co", "kongsberg"))
    done = run_plan("--delegation", str(delegation), *VISIT, db=db)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout
    assert "[bold red]X[/]" in done.stdout  # markup shown, not interpreted
    assert "Meetings (Asia/Taipei)" in done.stdout
    assert "meetings in 1 day and 2 rooms; " in done.stdout  # the summary in words


def test_csv_markdown_and_ics_exports(db: Path, tmp_path: Path):
    delegation = write_delegation(tmp_path, ids=("hostile-co", "kongsberg", "nammo"))
    outputs = {}
    for fmt in ("csv", "md", "ics"):
        target = tmp_path / f"plan.{fmt}"
        done = run_plan("--delegation", str(delegation), *VISIT, "-o", str(target), db=db)
        assert done.returncode == 0, done.stderr
        outputs[fmt] = target.read_bytes()
    rows = list(csv.DictReader(io.StringIO(outputs["csv"].decode("utf-8"))))
    hostile_rows = [row for row in rows if row["foreign_partner_id"] == "hostile-co"]
    assert hostile_rows, rows
    assert hostile_rows[0]["foreign_capabilities"].startswith("'=cmd")
    assert HOSTILE_NAME.split()[0] in hostile_rows[0]["foreign_partner"]
    assert all("\x1b" not in value for row in rows for value in row.values())

    markdown = outputs["md"].decode("utf-8")
    assert "## Kongsberg Defence & Aerospace (kongsberg, Norway)" in markdown
    assert "**export consent needed** from Norway" in markdown
    assert "\\[bold red\\]X\\[/\\]" in markdown

    calendar = outputs["ics"]
    assert calendar.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"\n" not in calendar.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in calendar.split(b"\r\n"))
    assert calendar.count(b"BEGIN:VEVENT") == len(rows)
    assert b"DTSTART;TZID=Asia/Taipei:20260504T" in calendar


def test_unavailability_keeps_a_firm_out(db: Path, tmp_path: Path):
    delegation = write_delegation(tmp_path, ids=("kongsberg", "nammo", "mhi"))
    away = tmp_path / "away.csv"
    away.write_text(
        "partner_id,date,start,end\nkongsberg,2026-05-04,,\nncsist,2026-05-04,09:00,09:45\n"
    )
    target = tmp_path / "plan.json"
    done = run_plan(
        "--delegation",
        str(delegation),
        "--unavailable",
        str(away),
        *VISIT,
        "-o",
        str(target),
        db=db,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(target.read_text())
    assert not any(m["foreign_partner_id"] == "kongsberg" for m in data["meetings"])
    assert not any(
        m["local_partner_id"] == "ncsist" and m["start"] == "09:00" for m in data["meetings"]
    )
    reasons = {item["foreign_partner_id"]: item["reason"] for item in data["unscheduled"]}
    assert reasons["kongsberg"] == "no slot where both firms are available"


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_shortlist_exported_by_rank_feeds_the_plan(db: Path, tmp_path: Path, extension: str):
    shortlist = tmp_path / f"shortlist.{extension}"
    ranked = subprocess.run(
        [sys.executable, "-m", "coprod", "--db", str(db), "rank", "--all", "-o", str(shortlist)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert ranked.returncode == 0, ranked.stderr
    target = tmp_path / "plan.json"
    done = run_plan("--shortlist", str(shortlist), *VISIT, "-o", str(target), db=db)
    assert done.returncode == 0, done.stderr
    data = json.loads(target.read_text())
    assert data["meetings"]
    check_schedule(data["meetings"], rooms=2)
    assert "saab" not in {m["foreign_partner_id"] for m in data["meetings"]}
    consent = [m for m in data["meetings"] if m["feasibility"] == "consent_required"]
    assert consent and all(m["consent_countries"] for m in consent)
    reasons = [step["reason"] for m in consent for t in m["topics"] for step in t["consent"]]
    assert all(reasons)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "partner_id\nrtx\nlockhed-martin\n",
            "delegation.csv:3: unknown partner id 'lockhed-martin'; "
            "did you mean 'lockheed-martin'?",
        ),
        ("partner_id\nrtx\nncsist\n", "delegation.csv:3: 'ncsist' is a Taiwan firm"),
        ("partner_id\nrtx\nrtx\n", "delegation.csv:3: 'rtx' is listed twice"),
        ("firm\nrtx\n", "delegation.csv:1: missing column(s) partner_id"),
    ],
)
def test_bad_delegation_files_exit_1_and_leave_the_output_alone(
    db: Path, tmp_path: Path, content, message
):
    delegation = tmp_path / "delegation.csv"
    delegation.write_text(content)
    target = tmp_path / "plan.json"
    target.write_text("previous plan")
    done = run_plan("--delegation", str(delegation), *VISIT, "-o", str(target), db=db)
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert target.read_text() == "previous plan"


def test_agenda_for_one_firm_and_an_unknown_firm(db: Path, tmp_path: Path):
    delegation = write_delegation(tmp_path)
    target = tmp_path / "kongsberg.ics"
    done = run_plan(
        "--delegation", str(delegation), *VISIT, "--firm", "kongsberg", "-o", str(target), db=db
    )
    assert done.returncode == 0, done.stderr
    calendar = target.read_text(encoding="utf-8")
    assert calendar.count("BEGIN:VEVENT") == calendar.count("SUMMARY:Kongsberg") >= 1
    done = run_plan("--delegation", str(delegation), *VISIT, "--firm", "kongsberg2", db=db)
    assert done.returncode == 1
    assert "--firm: unknown partner id 'kongsberg2'; did you mean 'kongsberg'?" in done.stderr


def test_shortlist_with_a_foreign_local_partner_is_a_data_error(db: Path, tmp_path: Path):
    shortlist = tmp_path / "shortlist.csv"
    shortlist.write_text(
        "requirement_id,score,feasibility,foreign_partner_id,local_partner_id\n"
        "req-coastal,60,ok,kongsberg,ncsist\n"
        "req-coastal,50,ok,kongsberg,nammo\n"
    )
    done = run_plan("--shortlist", str(shortlist), *VISIT, db=db)
    assert done.returncode == 1
    assert "shortlist.csv:3: local_partner_id 'nammo' is in Norway, not Taiwan" in done.stderr


def test_table_ends_with_the_plan_in_words(db: Path, tmp_path: Path):
    """The table's summary is the planner screen's (coprod.planner.summary), in words."""
    delegation = write_delegation(tmp_path)
    done = run_plan("--delegation", str(delegation), *VISIT, db=db)
    assert done.returncode == 0, done.stderr
    data = run_plan("--delegation", str(delegation), *VISIT, "-f", "json", db=db)
    summary = json.loads(data.stdout)["summary"]
    meetings = summary["meetings"]
    words = f"{meetings} meetings in 1 day and 2 rooms; "
    assert words in done.stdout
    if summary["status"] == "optimal":
        assert f"{words}no better schedule exists." in done.stdout
    assert "value 2" not in done.stdout and "gain +" not in done.stdout  # no raw figures
    if summary["unscheduled"]:
        assert "could not be fitted: " in done.stdout
    if summary["gain_over_greedy"] < 0.05:
        assert "first-come" not in done.stdout
    # The same words lead the narration when the output is a file; the figures follow.
    out = tmp_path / "plan.md"
    to_file = run_plan("--delegation", str(delegation), *VISIT, "-o", str(out), db=db)
    assert to_file.returncode == 0, to_file.stderr
    assert f"coprod: {words}" in to_file.stderr
    assert "coprod: figures: " in to_file.stderr and "greedy baseline" in to_file.stderr
