"""`coprod rank` as a real process: every flag and format, exit codes, stderr, files.

Each test runs `python -m coprod --db <catalog built under tmp_path> rank ...`
and reads what a user or a script would: stdout, stderr, the exit code, the
--output file.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coprod.output import CORE_FIELDS

CORE = list(CORE_FIELDS)


def clean_env() -> dict[str, str]:
    """No colour forcing or terminal size from the developer's shell leaks into a test."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES"}
        and not key.startswith("COPROD_")
    }
    return env


def run_coprod(
    db: Path | None, *args: str, cwd: Path | None = None, columns: int | None = None
) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "coprod"]
    if db is not None:
        command += ["--db", str(db)]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**clean_env(), **({"COLUMNS": str(columns)} if columns else {})},
        cwd=cwd,
        timeout=120,
    )


def test_headless_path_never_imports_textual():
    """The CLI, every headless command and every core module, imported in a fresh process."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import coprod, coprod.cli, coprod.commands\n"
        "coprod.cli.build_parser()\n"
        "names = [f'coprod.{m.name}' for m in pkgutil.iter_modules(coprod.__path__)]\n"
        "commands = pkgutil.iter_modules(coprod.commands.__path__)\n"
        "names += [f'coprod.commands.{m.name}' for m in commands]\n"
        "skip = ('coprod.tui', 'coprod.commands.tui', 'coprod.__main__')\n"
        "names = [n for n in names if n not in skip]\n"
        "assert 'coprod.commands.rank' in names and 'coprod.ranking' in names, names\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
        "print(len(names))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=clean_env(), timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 15


def test_writing_csv_or_json_never_imports_rich():
    code = (
        "import io, sys\n"
        "from coprod.output import write_pairings\n"
        "write_pairings([], 'csv', io.StringIO()); write_pairings([], 'json', io.StringIO())\n"
        "assert 'rich' not in sys.modules, 'rich imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """The conftest catalog (hostile partner included), built once for this module."""
    from conftest import write_catalog_folder

    from coprod.catalog import refresh_catalog

    root = tmp_path_factory.mktemp("rank_cli")
    folder = write_catalog_folder(root / "input")
    db_path = root / "catalog.duckdb"
    refresh_catalog([folder], db_path)
    return db_path


def rank(db: Path, *args: str, columns: int | None = None) -> subprocess.CompletedProcess:
    return _rank_cached(db, args, columns)


@functools.cache
def _rank_cached(db: Path, args: tuple[str, ...], columns: int | None):
    """Runs without --output only read the catalog: one process per distinct command line."""
    return run_coprod(db, "rank", *args, columns=columns)


def ok_json(db: Path, *args: str) -> list[dict]:
    result = rank(db, *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    records = json.loads(result.stdout)
    assert isinstance(records, list)
    return records


def assert_one_line_error(result: subprocess.CompletedProcess, code: int, *needles: str) -> None:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


# ------------------------------------------------------------ what to rank


def test_requirement_json_has_the_documented_fields(db):
    records = ok_json(db, "--requirement", "req-155-guided")
    assert records == ok_json(db, "-r", "req-155-guided")
    assert 1 <= len(records) <= 10
    assert [r["rank"] for r in records] == list(range(1, len(records) + 1))
    for record in records:
        assert list(record)[: len(CORE)] == CORE
        assert record["requirement_id"] == "req-155-guided"
        assert record["feasibility"] in {"ok", "consent_required", "blocked"}
        assert 0 <= record["score"] <= 100
        assert isinstance(record["components"], dict) and record["components"]
        assert sum(record["components"].values()) == pytest.approx(record["score"], abs=0.1)


def test_excalibur_is_blocked_by_sweden_and_never_above_a_feasible_pairing(db):
    records = ok_json(db, "-r", "req-155-guided")
    rtx = [r for r in records if r["foreign_partner_id"] == "rtx"]
    assert rtx and all(r["feasibility"] == "blocked" for r in rtx)
    assert all(r["blocked_by"] == ["Sweden"] for r in rtx)
    feasibilities = [r["feasibility"] for r in records]
    first_blocked = feasibilities.index("blocked")
    assert "blocked" not in feasibilities[:first_blocked]
    assert set(feasibilities[first_blocked:]) == {"blocked"}


def test_several_requirements_keep_the_order_given(db):
    records = ok_json(db, "-r", "req-atgm", "-r", "req-coastal", "--top", "3")
    ids = [r["requirement_id"] for r in records]
    assert ids == sorted(ids, key=["req-atgm", "req-coastal"].index)
    assert ids.count("req-atgm") == 3 and ids.count("req-coastal") == 3


def test_requirement_ids_match_without_case(db):
    assert {r["requirement_id"] for r in ok_json(db, "-r", "REQ-ATGM", "--top", "2")} == {
        "req-atgm"
    }


def test_all_ranks_every_requirement_as_jsonl(db):
    result = rank(db, "--all", "--format", "jsonl", "--top", "2")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["requirement_id"] for r in records} == {
        "req-155-guided",
        "req-small-drones",
        "req-atgm",
        "req-coastal",
        "req-5-56",
    }
    feasible = [r for r in records if r["feasibility"] != "blocked"]
    # --top counts the feasible pairings; blocked ones that outscore them follow.
    assert all(r["rank"] <= 2 for r in feasible)
    assert all(r["rank"] <= 3 for r in records)


def test_query_ranks_free_text(db):
    records = ok_json(db, "--query", "ATGM fire-and-forget", "--top", "3")
    assert records and all(r["requirement_id"] == "query" for r in records)
    assert records[0]["foreign_partner_id"] == "lockheed-martin"
    assert records[0]["requirement_title"] == "ATGM fire-and-forget"


def test_query_takes_its_category_from_category(db):
    plain = ok_json(db, "--query", "missiles", "--top", "10")
    typed = ok_json(db, "--query", "missiles", "--category", "Anti-ship missile", "--top", "10")
    assert typed[0]["components"]["category"] > 0 and "category" in typed[0]["components"]
    assert all(r["components"]["category"] == 0 for r in plain)
    assert typed[0]["foreign_partner_id"] == "kongsberg"  # the anti-ship line

    def lead(records):
        return records[0]["score"] - records[1]["score"]

    assert lead(typed) > lead(plain)  # the category separates it further from the Javelin


def test_taiwanese_only_requirement_lists_local_only_candidates(db):
    records = ok_json(db, "-r", "req-5-56")
    local_only = [r for r in records if r["pairing_kind"] == "local_only"]
    assert local_only[0]["local_partner_id"] == "mnd-205-arsenal"
    assert local_only[0]["foreign_partner_id"] is None


# ------------------------------------------------------------------ filters


def test_top_limits_feasible_pairings_and_the_blocked_group_follows(db):
    records = ok_json(db, "-r", "req-155-guided", "--top", "2")
    feasible = [r for r in records if r["feasibility"] != "blocked"]
    blocked = [r for r in records if r["feasibility"] == "blocked"]
    assert records == feasible + blocked  # feasible first, then the blocked group
    assert len(feasible) == 2
    assert [r["rank"] for r in records] == list(range(1, len(records) + 1))
    # Shown blocked pairings outscore the last feasible one, at most half as many as --top.
    assert len(blocked) <= 1 and all(b["score"] > feasible[-1]["score"] for b in blocked)
    every = ok_json(db, "-r", "req-155-guided", "--top", "20", "--per-co-producer")
    outscoring = [
        r for r in every if r["feasibility"] == "blocked" and r["score"] > feasible[-1]["score"]
    ]
    assert bool(blocked) == bool(outscoring)


def test_rows_are_one_per_foreign_partner_unless_per_co_producer(db):
    # Small drones: one foreign partner with two Taiwanese co-producers that fit.
    grouped = ok_json(db, "-r", "req-small-drones", "--top", "20")
    foreign = [r["foreign_partner_id"] for r in grouped if r["foreign_partner_id"]]
    assert len(foreign) == len(set(foreign))
    every = ok_json(db, "-r", "req-small-drones", "--top", "20", "--per-co-producer")
    foreign_every = [r["foreign_partner_id"] for r in every if r["foreign_partner_id"]]
    assert len(foreign_every) > len(set(foreign_every)), "the fixture has several co-producers"
    # Each partner's row holds its best co-producer.
    best = {}
    for r in every:
        best.setdefault(r["foreign_partner_id"], r["score"])
    with_partner = [r for r in grouped if r["foreign_partner_id"]]
    assert with_partner and all(r["score"] == best[r["foreign_partner_id"]] for r in with_partner)

    # Local-only rows (Taiwanese industry alone) stay one per local partner.
    def local_only(records):
        return [(r["local_partner_id"], r["score"]) for r in records if not r["foreign_partner_id"]]

    assert local_only(grouped) == local_only(every)


def test_each_row_lists_its_foreign_partners_other_co_producers(db, tmp_path):
    """JSON: `other_co_producers` names, best first, the co-producers --per-co-producer
    gives that foreign partner after the one in the row; CSV: one `; `-joined column;
    --explain: a line naming them; per co-producer: always empty."""
    grouped = ok_json(db, "-r", "req-small-drones", "--top", "20")
    every = ok_json(db, "-r", "req-small-drones", "--top", "20", "--per-co-producer")
    for record in grouped:
        if not record["foreign_partner_id"]:
            assert record["other_co_producers"] == []
            continue
        same = [
            r["local_partner"]
            for r in every
            if r["foreign_partner_id"] == record["foreign_partner_id"] and r["local_partner"]
        ]
        assert [record["local_partner"], *record["other_co_producers"]] == same
    assert any(r["other_co_producers"] for r in grouped), "the fixture has several"
    assert all(r["other_co_producers"] == [] for r in every)

    result = rank(db, "-r", "req-small-drones", "--top", "20", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["other_co_producers"] for r in rows] == [
        "; ".join(r["other_co_producers"]) for r in grouped
    ]

    shown = next(r for r in grouped if r["other_co_producers"])
    explained = rank(
        db, "-r", "req-small-drones", "--top", "20", "--explain", "-f", "table", columns=300
    )
    assert explained.returncode == 0, explained.stderr
    line = "other co-producers: " + "; ".join(shown["other_co_producers"])
    assert line in explained.stdout


def test_per_partner_caps_pairings_sharing_a_partner(db):
    records = ok_json(db, "-r", "req-155-guided", "--per-partner", "1")
    foreign = [r["foreign_partner_id"] for r in records if r["foreign_partner_id"]]
    assert len(foreign) == len(set(foreign))


def test_country_keeps_only_those_foreign_partners(db):
    records = ok_json(db, "--all", "--country", "norway", "--country", "Japan")
    countries = {r["foreign_country"] for r in records if r["foreign_partner_id"]}
    assert countries and countries <= {"Norway", "Japan"}


def test_exclude_country_drops_them(db):
    records = ok_json(db, "-r", "req-155-guided", "--exclude-country", "United States")
    assert records
    assert "United States" not in {r["foreign_country"] for r in records}


def test_category_filters_requirements(db):
    records = ok_json(db, "--all", "--category", "anti-ship missile")
    assert records and {r["requirement_id"] for r in records} == {"req-coastal"}


def test_category_filter_that_leaves_nothing_says_so(db):
    result = rank(db, "-r", "req-atgm", "--category", "uas", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == []
    assert "no selected requirement is in category 'uas'" in result.stderr


def test_min_score_drops_weak_pairings(db):
    records = ok_json(db, "-r", "req-155-guided", "--min-score", "45")
    assert records and all(r["score"] >= 45 for r in records)
    assert len(records) < len(ok_json(db, "-r", "req-155-guided"))


def test_exclude_blocked_hides_blocked_pairings(db):
    records = ok_json(db, "-r", "req-155-guided", "--exclude-blocked")
    assert records and all(r["feasibility"] != "blocked" for r in records)


# ------------------------------------------------------------------ formats


def test_piped_stdout_defaults_to_csv(db):
    result = rank(db, "-r", "req-atgm")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and list(rows[0])[:13] == CORE[:13]
    assert any(column.startswith("component_") for column in rows[0])


def test_csv_json_jsonl_and_table_agree_cell_for_cell(db):
    args = ("-r", "req-155-guided", "-r", "req-small-drones")
    records = ok_json(db, *args)
    csv_rows = list(csv.DictReader(io.StringIO(rank(db, *args, "-f", "csv").stdout)))
    jsonl = [json.loads(line) for line in rank(db, *args, "-f", "jsonl").stdout.splitlines()]
    table = rank(db, *args, "-f", "table").stdout
    assert jsonl == records
    assert len(csv_rows) == len(records)
    for record, row in zip(records, csv_rows, strict=True):
        for field in ("requirement_id", "foreign_partner_id", "local_partner_id", "feasibility"):
            assert row[field] == (record[field] or "")
        assert float(row["score"]) == record["score"]
        assert row["blocked_by"] == "; ".join(record["blocked_by"])
        for name, points in record["components"].items():
            assert float(row[f"component_{name}"]) == points
        assert f"{record['score']:.2f}" in table
    assert "req-small-drones · Small tactical drones (uas, high)" in table


def test_markdown_format(db):
    result = rank(db, "-r", "req-atgm", "-f", "md", "--top", "2")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| requirement_id | rank | score |") and len(lines) == 4


def test_table_explain_shows_components_and_matched_tokens(db):
    plain = rank(db, "-r", "req-155-guided", "-f", "table").stdout
    explained = rank(db, "-r", "req-155-guided", "-f", "table", "--explain", columns=500).stdout
    assert "why:" not in plain and "why:" in explained
    assert "matched:" in explained and "− consent 10.00" in explained
    assert "co-developer BAE Systems Bofors of Excalibur" in explained


# ------------------------------------------------------------ hostile text


def test_hostile_catalog_text_is_shown_literally_in_the_table(db, hostile):
    result = rank(db, "-r", "req-155-guided", "-f", "table", "--explain", columns=500)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "[bold red]X[/] \\x1b[31mRed Corp\\x1b[0m" in result.stdout
    assert "[link=http://x]155 mm[/link] \\x1b[2J shells" in result.stdout


def test_hostile_text_in_csv_is_neutralised(db, hostile):
    result = rank(db, "-r", "req-155-guided", "-f", "csv")
    assert "\x1b" not in result.stdout
    rows = [
        r
        for r in csv.DictReader(io.StringIO(result.stdout))
        if r["foreign_partner_id"] == "hostile-co"
    ]
    assert rows
    assert rows[0]["foreign_capability"].startswith("'=cmd|")
    for row in csv.DictReader(io.StringIO(result.stdout)):
        for cell in row.values():
            assert not cell.startswith(("=", "+", "@")), cell


def test_hostile_text_in_json_is_exact_but_escaped(db, hostile):
    result = rank(db, "-r", "req-155-guided", "--format", "json")
    assert "\x1b" not in result.stdout
    records = [r for r in json.loads(result.stdout) if r["foreign_partner_id"] == "hostile-co"]
    assert records[0]["foreign_partner"] == hostile["name"]
    assert records[0]["foreign_capability"] == hostile["capability"]


# ------------------------------------------------------------ output files


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("out.csv", lambda text: next(csv.reader(io.StringIO(text)))[0] == "requirement_id"),
        ("out.json", lambda text: isinstance(json.loads(text), list)),
        ("out.jsonl", lambda text: all(json.loads(line) for line in text.splitlines())),
        ("out.md", lambda text: text.startswith("| requirement_id |")),
        ("out.txt", lambda text: "req-atgm · Man-portable anti-tank missiles" in text),
    ],
)
def test_output_format_follows_the_extension(db, tmp_path, name, check):
    target = tmp_path / name
    result = rank(db, "-r", "req-atgm", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert f"to {target}" in result.stderr
    assert check(target.read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_explicit_format_wins_over_extension(db, tmp_path):
    target = tmp_path / "out.txt"
    assert rank(db, "-r", "req-atgm", "-o", str(target), "-f", "json").returncode == 0
    assert json.loads(target.read_text(encoding="utf-8"))


def test_unknown_extension_needs_format(db, tmp_path):
    result = rank(db, "-r", "req-atgm", "-o", str(tmp_path / "out.xlsx"))
    assert_one_line_error(result, 2, "cannot tell the format", "--format")
    assert not list(tmp_path.iterdir())


def test_output_in_missing_folder_is_a_data_error(db, tmp_path):
    result = rank(db, "-r", "req-atgm", "-o", str(tmp_path / "no" / "out.csv"))
    assert_one_line_error(result, 1, "cannot write")


def test_failed_run_leaves_existing_output_untouched(db, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("precious\n")
    result = rank(db, "-r", "no-such-requirement", "-o", str(target))
    assert result.returncode == 1
    assert target.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        ((), ("nothing to rank",)),
        (("--all", "-r", "req-atgm"), ("choose one of", "--requirement and --all")),
        (("-r", "req-atgm", "--query", "drones"), ("choose one of",)),
        (("--query", "   "), ("--query needs some text",)),
        (("--all", "--top", "0"), ("argument --top", "at least 1")),
        (("--all", "--top", "ten"), ("argument --top", "whole number")),
        (("--all", "--per-partner", "-1"), ("argument --per-partner",)),
        (("--all", "--min-score", "101"), ("argument --min-score", "between 0 and 100")),
        (("--all", "--min-score", "high"), ("argument --min-score",)),
        (("--all", "--format", "xml"), ("argument -f/--format", "invalid choice")),
        (("--all", "--country", "Japan", "--exclude-country", "japan"), ("both name",)),
    ],
)
def test_usage_errors_exit_2_with_one_line(db, args, needles):
    assert_one_line_error(rank(db, *args), 2, *needles)


def test_unknown_requirement_suggests_close_ids(db):
    result = rank(db, "-r", "req-atgn")
    assert_one_line_error(result, 1, "unknown requirement 'req-atgn'", "did you mean 'req-atgm'")


def test_every_unknown_requirement_is_named_at_once(db):
    result = rank(db, "-r", "req-atgn", "-r", "req-atgm", "-r", "zzzzzz")
    assert_one_line_error(
        result,
        1,
        "unknown requirement 'req-atgn'; did you mean 'req-atgm'?; unknown requirement 'zzzzzz'",
    )


def test_unknown_requirement_without_close_match_names_examples(db):
    result = rank(db, "-r", "zzzzzz")
    assert_one_line_error(result, 1, "unknown requirement 'zzzzzz'", "e.g. req-155-guided")


def test_unknown_country_and_category_suggest(db):
    assert_one_line_error(
        rank(db, "--all", "--country", "Swedn"), 1, "unknown country 'Swedn'", "'Sweden'"
    )
    assert_one_line_error(
        rank(db, "--all", "--category", "anti_tank"), 1, "unknown category", "'anti_tank_missile'"
    )


def test_a_file_that_is_not_a_catalog_is_a_data_error(tmp_path):
    bogus = tmp_path / "catalog.duckdb"
    bogus.write_text("not a database")
    result = run_coprod(bogus, "rank", "--all")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.startswith("coprod: error:")


def test_help_documents_formats_and_fields():
    result = run_coprod(None, "rank", "--help")
    assert result.returncode == 0
    for needle in (
        "--requirement",
        "--query",
        "--all",
        "--per-partner",
        "--exclude-blocked",
        "foreign_capability",
        "atomically",
        "CSV when it is a pipe",
    ):
        assert needle in result.stdout


def test_terminal_stdout_defaults_to_a_table(db):
    """On a terminal (a pseudo-terminal here) the default is the table, colours allowed,
    while catalog escapes still print as visible text."""
    import pty

    main_fd, terminal_fd = pty.openpty()
    env = {**clean_env(), "COLUMNS": "300", "TERM": "xterm-256color"}
    with subprocess.Popen(
        [sys.executable, "-m", "coprod", "--db", str(db), "rank", "-r", "req-155-guided"],
        stdout=terminal_fd,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        os.close(terminal_fd)
        chunks = []
        while True:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:  # the terminal closed: the process is done writing
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=120)
    os.close(main_fd)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert process.returncode == 0
    assert "req-155-guided · Precision-guided 155 mm rounds" in shown
    assert "│" in shown and "\x1b[" in shown  # table borders, and rich's own colours
    assert "requirement_id,rank" not in shown
    assert "\\x1b[31mRed" in shown  # the catalog's ESC shown as text, not obeyed


def test_reader_leaving_early_is_not_an_error(db):
    """`coprod rank --all | head -1`: exit 0 and nothing on stderr, as with CSV.

    Wide and explained, the table is larger than a pipe's buffer, so the
    writer does meet the closed pipe."""
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "coprod",
            "--db",
            str(db),
            "rank",
            "--all",
            "-f",
            "table",
            "--explain",
            "--top",
            "50",
            "--per-partner",
            "3",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**clean_env(), "COLUMNS": "1000"},
    ) as process:
        assert process.stdout.readline()
        process.stdout.close()
        stderr = process.stderr.read()
        process.wait(timeout=120)
    assert process.returncode == 0
    assert stderr == b""


# ------------------------------------------------------------ jobs and start-up


@pytest.fixture(scope="module")
def many_requirements_db(tmp_path_factory) -> Path:
    """The conftest catalog with enough requirements for `--jobs 2` to fork workers."""
    from conftest import REQUIREMENTS, write_catalog_folder

    from coprod.batch import MIN_PER_WORKER
    from coprod.catalog import refresh_catalog

    copies = 3 * MIN_PER_WORKER // len(REQUIREMENTS) + 1
    requirements = [
        {**row, "requirement_id": f"{row['requirement_id']}-{copy}"}
        for copy in range(copies)
        for row in REQUIREMENTS
    ]
    root = tmp_path_factory.mktemp("rank_jobs")
    folder = write_catalog_folder(root / "input", requirements=requirements)
    db_path = root / "catalog.duckdb"
    refresh_catalog([folder], db_path)
    return db_path


def test_jobs_give_the_same_results_in_any_number_of_processes(many_requirements_db):
    runs = {
        jobs: run_coprod(many_requirements_db, "rank", "--all", "-f", "csv", *jobs)
        for jobs in [("--jobs", "1"), ("--jobs", "2"), ("-j", "3"), ()]
    }
    for result in runs.values():
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    alone = runs["--jobs", "1"].stdout
    ranked = {row["requirement_id"] for row in csv.DictReader(io.StringIO(alone))}
    assert len(ranked) > 64  # two workers get at least MIN_PER_WORKER each
    assert all(result.stdout == alone for result in runs.values())


def test_jobs_must_be_a_positive_whole_number(db):
    assert_one_line_error(rank(db, "--all", "--jobs", "0"), 2, "argument -j/--jobs", "at least 1")
    assert_one_line_error(rank(db, "--all", "--jobs", "two"), 2, "argument -j/--jobs")
    result = run_coprod(None, "rank", "--help")
    assert "--jobs N" in result.stdout and "one per" in result.stdout


def test_ranking_again_reads_neither_duckdb_nor_rich_for_csv(tmp_path):
    """After the first run the small catalog and its index come from their sidecars:
    a headless CSV run then imports neither duckdb nor rich, with the same output."""
    from conftest import write_catalog_folder

    from coprod.catalog import refresh_catalog

    db_path = tmp_path / "catalog.duckdb"
    refresh_catalog([write_catalog_folder(tmp_path / "input")], db_path)
    first = run_coprod(db_path, "rank", "-r", "req-atgm", "-f", "csv")
    assert first.returncode == 0, first.stderr
    code = (
        "import sys\n"
        "from coprod.cli import main\n"
        "status = main(['--db', sys.argv[1], 'rank', '-r', 'req-atgm', '-f', 'csv'])\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'duckdb', 'rich'})\n"
        "print('loaded:', loaded, status, file=sys.stderr)\n"
    )
    again = subprocess.run(
        [sys.executable, "-c", code, str(db_path)],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )
    assert again.stderr == "loaded: [] 0\n"
    assert again.stdout == first.stdout


def test_only_the_command_run_is_configured_and_parsing_is_unchanged(db):
    from coprod.cli import build_parser

    code = (
        "import io, sys, contextlib\n"
        "from coprod.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    status = main(['--db', sys.argv[1], 'rank', '-r', 'req-atgm'])\n"
        "others = [m for m in sys.modules if m.startswith('coprod.commands.')]\n"
        "print(status, sorted(others))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(db)], capture_output=True, text=True, env=clean_env()
    )
    assert result.stdout.split("\n")[0] == "0 ['coprod.commands.argtypes', 'coprod.commands.rank']"
    # The top-level help is the same whichever command is configured.
    assert build_parser(only="rank").format_help() == build_parser().format_help()
    # An abbreviated option before the command still parses (the full parser is used).
    plain = rank(db, "-r", "req-atgm", "-f", "csv")
    abbreviated = run_coprod(None, "--d", str(db), "rank", "-r", "req-atgm", "-f", "csv")
    assert abbreviated.returncode == 0, abbreviated.stderr
    assert abbreviated.stdout == plain.stdout


@pytest.mark.parametrize(("preset", "expected"), [(None, "1"), ("4", "4")])
def test_numpy_gets_one_blas_thread_unless_the_user_chose(db, preset, expected):
    code = (
        "import io, os, sys, contextlib\n"
        "from coprod.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    status = main(['--db', sys.argv[1], 'rank', '-r', 'req-atgm'])\n"
        "print(status, os.environ['OPENBLAS_NUM_THREADS'], 'numpy' in sys.modules)\n"
    )
    env = {k: v for k, v in clean_env().items() if k != "OPENBLAS_NUM_THREADS"}
    if preset is not None:
        env["OPENBLAS_NUM_THREADS"] = preset
    result = subprocess.run(
        [sys.executable, "-c", code, str(db)], capture_output=True, text=True, env=env
    )
    assert result.stdout.split() == ["0", expected, "True"], result.stderr


@pytest.mark.parametrize("columns", [None, "50", "100", "200", "junk"])
def test_help_has_argparse_own_width_without_shutil(monkeypatch, columns):
    import argparse

    from coprod.cli import _Parser, build_parser

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)

    def helps() -> list[str]:
        parser = build_parser()
        ranking = parser._subparsers._group_actions[0].choices["rank"]
        return [parser.format_help(), ranking.format_help()]

    ours = helps()
    # argparse's own formatter, which asks shutil for the terminal width.
    monkeypatch.setattr(_Parser, "_get_formatter", argparse.ArgumentParser._get_formatter)
    assert ours == helps()
