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
from conftest import CAPABILITIES as CAPABILITY_ROWS
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
    ids=[
        "rooms",
        "rooms-30",
        "min-meetings",
        "seed-30",
        "seed-neg",
        "workers",
        "rooms-5000",
        "time-5000",
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
    from coprod.planner import MeetingPool, PlanRequest, Slot, plan

    slot = Slot(dt.date(2026, 5, 4), dt.time(9), dt.time(10))
    empty = MeetingPool((), ())
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
def test_a_tables_cache_linked_to_dev_zero_is_ignored(catalog_db: Path) -> None:
    path = catalog_db.with_name(catalog_db.name + ".snapshot")
    path.unlink()
    path.symlink_to("/dev/zero")
    result = coprod("rank", "--db", str(catalog_db), "--requirement", "req-155-guided", timeout=60)
    assert result.returncode == 0, result.stderr


def test_an_oversized_tables_cache_is_not_read(catalog_db: Path, monkeypatch) -> None:
    import coprod.tablecache
    from coprod.tablecache import cache_path, read_cached_tables

    assert read_cached_tables(catalog_db) is not None
    monkeypatch.setattr(
        coprod.tablecache, "MAX_CACHE_BYTES", cache_path(catalog_db).stat().st_size - 1
    )
    assert read_cached_tables(catalog_db) is None


# ---------------------------------------------------------------- tracebacks -> sentences


def _read_only_mount(tmp_path: Path):
    """A tmpfs mounted read-only after `prepare` ran in it, or None (not root / no mount)."""
    if os.geteuid() != 0 or sys.platform != "linux":
        return None
    mount_point = tmp_path / "ro"
    mount_point.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(mount_point)]).returncode:
        return None
    return mount_point


def test_a_read_only_catalog_folder_gives_no_traceback(tmp_path: Path) -> None:
    mount_point = _read_only_mount(tmp_path)
    if mount_point is None:
        pytest.skip("needs root to mount a read-only file system")
    try:
        db = mount_point / "catalog.duckdb"
        assert coprod("refresh", "--db", str(db)).returncode == 0
        (mount_point / "catalog.duckdb.snapshot").unlink()
        subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)
        for args in (["rank", "--requirement", "TW-016"], ["rank", "--all", "--jobs", "1"]):
            result = coprod("--db", str(db), *args)
            no_traceback(result)
            assert result.returncode == 0, result.stderr
        result = coprod("--db", str(db), "refresh")
        no_traceback(result)
        assert result.returncode == 1
        assert "Read-only file system" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    finally:
        subprocess.run(["umount", str(mount_point)])


def test_cleanup_in_a_read_only_folder_tolerates_erofs(tmp_path: Path, monkeypatch) -> None:
    """unlink() of a file never created fails with EROFS there, not ENOENT."""
    import errno

    from coprod.catalogbuild import _discard, _remove_temp

    def read_only_unlink(self, missing_ok=False):
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "unlink", read_only_unlink)
    _discard(tmp_path / "never-made.tmp")
    _remove_temp(tmp_path / "never-made.tmp")


def test_a_tables_cache_that_cannot_be_written_does_not_fail_the_load(
    catalog_db: Path, monkeypatch
) -> None:
    import errno

    from coprod.catalog import load_catalog
    from coprod.tablecache import cache_path

    cache_path(catalog_db).unlink()

    def read_only(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "write_bytes", read_only)
    monkeypatch.setattr(Path, "unlink", read_only)
    assert load_catalog(catalog_db).partners


def test_os_errors_read_as_a_sentence_not_a_repr() -> None:
    import errno

    from coprod.errors import describe_error

    error = OSError(errno.EROFS, "Read-only file system", "/ro/x.tmp")
    assert describe_error(error) == "cannot use /ro/x.tmp: Read-only file system"
    assert "Errno" not in describe_error(error)
    assert "nested too deeply" in describe_error(RecursionError("maximum recursion depth"))
    assert "too large" in describe_error(OverflowError("int too large to convert"))


def test_a_header_cell_over_the_csv_field_limit_is_no_traceback(tmp_path: Path) -> None:
    folder = write_catalog_folder(tmp_path / "in")
    partners = folder / "partners.csv"
    lines = partners.read_text(encoding="utf-8").splitlines()
    long_name = "x" * 200_000
    lines[0] += "," + long_name
    lines[1:] = [line + "," for line in lines[1:]]
    partners.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = coprod("refresh", str(folder), "--db", str(tmp_path / "c.duckdb"))
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "extra column 'xxx" in result.stderr
    assert len(result.stderr) < 2_000  # the 200,000-character name is shortened


def test_a_corrupt_catalog_file_is_one_sentence(catalog_db: Path) -> None:
    size = catalog_db.stat().st_size
    with catalog_db.open("r+b") as stream:
        for offset in range(300_000, size, 4096):
            stream.seek(offset)
            stream.write(b"\xff" * 64)
    for leftover in catalog_db.parent.glob("catalog.duckdb.*"):
        leftover.unlink()
    result = coprod("--db", str(catalog_db), "rank", "--requirement", "req-155-guided")
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.startswith(f"coprod: error: {catalog_db} cannot be read (")
    assert result.stderr.rstrip().endswith(f"rebuild it with `coprod refresh --db {catalog_db}`")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (
            "digits.json",
            '[{"requirement_id": "r", "foreign_partner_id": "rtx", "local_partner_id": "ncsist",'
            ' "score": ' + "9" * 5000 + ', "feasibility": "ok"}]',
            "not a readable shortlist",
        ),
        (
            "digits.csv",
            "requirement_id,foreign_partner_id,local_partner_id,score,feasibility\n"
            "req-155-guided,rtx,ncsist," + "9" * 5000 + ",ok\n",
            "is outside 0..100",
        ),
    ],
    ids=["nested", "json-digits", "csv-digits"],  # short ids: they go into the environment
)
def test_absurd_shortlists_are_one_sentence(
    catalog_db: Path, tmp_path: Path, name: str, content: str, expected: str
) -> None:
    shortlist = tmp_path / name
    shortlist.write_text(content, encoding="utf-8")
    result = coprod(
        "--db", str(catalog_db), "plan", "--days", "2026-05-04", "--shortlist", str(shortlist)
    )
    no_traceback(result)
    assert result.returncode == 1
    assert expected in result.stderr
    assert len(result.stderr) < 500
    assert "score inf" not in result.stderr  # a 5,000-digit score is not "inf"


# ---------------------------------------------------------------- limits, never a silent drop


def _refresh_with_capability_line(tmp_path: Path, line: str) -> subprocess.CompletedProcess:
    folder = write_catalog_folder(tmp_path / "in")
    with (folder / "capabilities.csv").open("a", encoding="utf-8") as stream:
        stream.write(line)
    return coprod("refresh", str(folder), "--db", str(tmp_path / "c.duckdb"))


def test_a_line_over_the_limit_is_refused_with_its_place(tmp_path: Path) -> None:
    """A 40 MB cell used to vanish silently, a 3 MB one was refused with no place."""
    from coprod.csvinput import MAX_LINE_BYTES

    result = _refresh_with_capability_line(tmp_path, "rtx," + "b" * (MAX_LINE_BYTES + 10) + ",,\n")
    no_traceback(result)
    assert result.returncode == 1
    assert f"capabilities.csv:{len(CAPABILITY_ROWS) + 2}:1000001: line is" in result.stderr


def test_a_record_over_the_limit_is_refused_with_its_line(tmp_path: Path) -> None:
    cell = ("b" * 99 + "\n") * 25_000  # 2.5 MB of short lines inside one quoted field
    result = _refresh_with_capability_line(tmp_path, f'rtx,"{cell}",,\n')
    no_traceback(result)
    assert result.returncode == 1
    assert f"capabilities.csv:{len(CAPABILITY_ROWS) + 2}: record is over the limit" in (
        result.stderr
    )


def test_a_header_with_too_many_fields_is_refused(tmp_path: Path) -> None:
    from coprod.csvinput import MAX_FIELDS

    folder = write_catalog_folder(tmp_path / "in")
    extra = ",".join(f"x{i}" for i in range(MAX_FIELDS))
    (folder / "countries.csv").write_text(f"country,posture,note,{extra}\n", encoding="utf-8")
    result = coprod("refresh", str(folder), "--db", str(tmp_path / "c.duckdb"))
    assert result.returncode == 1
    assert "countries.csv:1:" in result.stderr and "the limit is 1,000" in result.stderr


def test_a_damaged_parquet_file_is_named(tmp_path: Path) -> None:
    import duckdb

    folder = write_catalog_folder(tmp_path / "in")
    capabilities = folder / "capabilities.csv"
    parquet = folder / "capabilities.parquet"
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT * FROM read_csv(?, all_varchar = true)) TO ? (FORMAT parquet)",
            [str(capabilities), str(parquet)],
        )
    capabilities.unlink()
    data = bytearray(parquet.read_bytes())
    for offset in range(8, len(data) // 2, 7):
        data[offset] ^= 0x5A
    parquet.write_bytes(bytes(data))
    result = coprod("refresh", str(folder), "--db", str(tmp_path / "c.duckdb"))
    no_traceback(result)
    assert result.returncode == 1
    assert "capabilities.parquet" in result.stderr


# ---------------------------------------------------------------- wrong acceptance or refusal


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("partners", "name", "\t"),
        ("requirements", "title", "\u3000"),
        ("requirements", "title", "\u200b"),
        ("partners", "name", "\u00a0\u2028"),
    ],
    ids=["tab", "ideographic-space", "zero-width", "nbsp-separator"],
)
def test_blank_required_text_is_refused(tmp_path: Path, table: str, column: str, value: str):
    import copy

    from conftest import TABLE_ROWS

    rows = copy.deepcopy(TABLE_ROWS[table])
    rows[1][column] = value
    folder = write_catalog_folder(tmp_path / "in", **{table: rows})
    result = coprod("refresh", str(folder), "--db", str(tmp_path / "c.duckdb"), "--dry-run")
    assert result.returncode == 1, result.stdout
    assert f"{table}.csv:3:" in result.stderr and f"empty {column}" in result.stderr


@pytest.mark.parametrize("crlf_lines", ["one", "all-but-one"])
def test_mixed_lf_and_crlf_line_ends_are_accepted(tmp_path: Path, crlf_lines: str) -> None:
    folder = write_catalog_folder(tmp_path / "in")
    path = folder / "capabilities.csv"
    lines = path.read_bytes().split(b"\n")
    if crlf_lines == "one":
        lines[3] += b"\r"
    else:
        lines = [line + b"\r" if line and index != 4 else line for index, line in enumerate(lines)]
    path.write_bytes(b"\n".join(lines))
    db = tmp_path / "c.duckdb"
    result = coprod("refresh", str(folder), "--db", str(db))
    assert result.returncode == 0, result.stderr
    from coprod.catalog import load_catalog

    loaded = load_catalog(db)
    assert len(loaded.capabilities) == len(CAPABILITY_ROWS)
    assert not any(line.capability.endswith("\r") for line in loaded.capabilities)
    assert not any(line.system.endswith("\r") for line in loaded.capabilities)


def test_plan_recomputes_feasibility_from_the_catalog(catalog_db: Path, tmp_path: Path) -> None:
    """A shortlisted Excalibur pairing marked 'ok' is blocked by Sweden in the catalog."""
    shortlist = tmp_path / "shortlist.csv"
    shortlist.write_text(
        "requirement_id,foreign_partner_id,local_partner_id,score,feasibility,foreign_capability\n"
        "req-155-guided,rtx,ncsist,90,ok,Excalibur 155 mm precision guided projectile\n"
        "req-atgm,lockheed-martin,ncsist,80,ok,Javelin anti-tank missile\n",
        encoding="utf-8",
    )
    result = coprod(
        "--db",
        str(catalog_db),
        "plan",
        "--days",
        "2026-05-04",
        "--shortlist",
        str(shortlist),
        "-f",
        "json",
        "--greedy-only",
    )
    assert result.returncode == 0, result.stderr
    plan = __import__("json").loads(result.stdout)
    scheduled = {(m["foreign_partner_id"], m["local_partner_id"]) for m in plan["meetings"]}
    assert ("rtx", "ncsist") not in scheduled
    assert "the file says ok, the catalog says blocked" in result.stderr


# ---------------------------------------------------------------- outputs to special files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_output_to_a_fifo_is_written_into_it(catalog_db: Path, tmp_path: Path) -> None:
    import stat
    import threading

    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = coprod(
        "--db", str(catalog_db), "rank", "--requirement", "req-155-guided", "-o", str(fifo)
    )
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # not replaced by a regular file
    assert received and received[0].startswith(b"requirement_id,")


def test_output_through_a_symlink_keeps_the_link(catalog_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    result = coprod(
        "--db", str(catalog_db), "rank", "--requirement", "req-155-guided", "-o", str(link)
    )
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert target.read_text().startswith("requirement_id,")


def test_output_dash_is_stdout(catalog_db: Path, tmp_path: Path) -> None:
    result = coprod(
        "--db",
        str(catalog_db),
        "rank",
        "--requirement",
        "req-155-guided",
        "-f",
        "csv",
        "-o",
        "-",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("requirement_id,")
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("fmt", ["ics", "md", "csv", "json"])
def test_a_lone_surrogate_in_a_shortlist_is_written_inertly(
    catalog_db: Path, tmp_path: Path, fmt: str
) -> None:
    """Found by tests/test_fuzz_writers.py: JSON can spell '\\ud800', no UTF-8 writer can
    encode it, and every plan export crashed with UnicodeEncodeError."""
    shortlist = tmp_path / "shortlist.json"
    shortlist.write_text(
        '[{"requirement_id": "adhoc-x", "requirement_title": "T \\ud800 x",'
        ' "foreign_partner_id": "rtx", "local_partner_id": "ncsist", "score": 80,'
        ' "feasibility": "consent_required", "foreign_capability": "Stinger MANPADS \\ud800"}]',
        encoding="utf-8",
    )
    result = coprod(
        "--db",
        str(catalog_db),
        "plan",
        "--days",
        "2026-05-04",
        "--shortlist",
        str(shortlist),
        "--greedy-only",
        "-f",
        fmt,
    )
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "\\ud800" in result.stdout


def test_a_full_disk_is_said_as_such(tmp_path: Path) -> None:
    if os.geteuid() != 0 or sys.platform != "linux":
        pytest.skip("needs root to mount a small file system")
    mount_point = tmp_path / "full"
    mount_point.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount_point)]
    ).returncode:
        pytest.skip("cannot mount a tmpfs")
    try:
        result = coprod("refresh", "--db", str(mount_point / "catalog.duckdb"))
        no_traceback(result)
        assert result.returncode == 1
        assert "No space left on device" in result.stderr
        assert "cannot be parsed as CSV" not in result.stderr
        assert not list(mount_point.iterdir())  # no temporary file left
    finally:
        subprocess.run(["umount", str(mount_point)])
