"""Property-based fuzzing of `coprod refresh` (issue 12): mutated catalogs, every outcome bounded.

Each example mutates the fixture catalog (bytes, encodings, quotes, line ends,
sizes, columns, ids, references, Parquet types) and refreshes over an existing
catalog. For every example:

- the refresh finishes within a time bound;
- it either loads, or raises CatalogValidationError whose problems all read
  `file[:line[:column]]: message` - never any other exception (a traceback);
- on refusal the previous catalog is byte-identical, and no stray file is left;
- an accepted catalog then loads, ranks and exports in every format without error.

The run is small and derandomized (the same examples every run, so CI is
stable); COPROD_FUZZ_EXAMPLES=500 explores further, with a fresh random seed
when COPROD_FUZZ_RANDOM=1. Failures found are kept as regular tests in
tests/test_hardening.py and as @example cases here.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import time
from pathlib import Path

import pytest
from conftest import TABLE_ROWS, write_catalog_folder

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

EXAMPLES = int(os.environ.get("COPROD_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("COPROD_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TIME_BOUND = 20.0  # seconds per refresh; the fixture catalog takes ~0.3 s
PROBLEM = re.compile(r"^[^\n]+?\.(csv|parquet)(:\d+(:\d+)?)?: [^\n]+$|^[^\n]+: [^\n]+$")
TABLES = list(TABLE_ROWS)
INSERTS = [
    b'"',
    b",",
    b"\r",
    b"\n",
    b"\r\n",
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b'""',
    b" ",
    b"\xe2\x80\xae",
    b"\xc3",
    b"=cmd|",
    b"\t",
]

STATS = {"examples": 0, "accepted": 0, "refused": 0}


@st.composite
def mutations(draw):
    """(table, list of operations) applied to that table's file bytes."""
    table = draw(st.sampled_from(TABLES))
    ops = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("insert"), st.floats(0, 1), st.sampled_from(INSERTS)),
                st.tuples(st.just("bytes"), st.floats(0, 1), st.binary(min_size=1, max_size=8)),
                st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 40)),
                st.tuples(st.just("truncate"), st.floats(0, 1)),
                st.tuples(st.just("crlf"), st.floats(0, 1)),
                st.tuples(st.just("duplicate_line"), st.floats(0, 1)),
                st.tuples(st.just("swap_lines"), st.floats(0, 1), st.floats(0, 1)),
                st.tuples(st.just("long_cell"), st.floats(0, 1), st.integers(1, 5)),
                st.tuples(st.just("encode"), st.sampled_from(["latin-1", "utf-16", "cp1252"])),
                st.tuples(st.just("drop_column"), st.integers(0, 6)),
                st.tuples(st.just("add_column"), st.text(max_size=8)),
                st.tuples(st.just("unknown_id"), st.floats(0, 1)),
                st.tuples(st.just("unicode_cell"), st.floats(0, 1), st.text(max_size=6)),
            ),
            min_size=1,
            max_size=3,
        )
    )
    as_parquet = draw(st.booleans()) and draw(st.integers(0, 3)) == 0
    return table, ops, as_parquet


def _line_bounds(data: bytes, at: float) -> tuple[int, int]:
    lines = data.split(b"\n")
    index = min(int(at * len(lines)), len(lines) - 1)
    start = sum(len(line) + 1 for line in lines[:index])
    return start, start + len(lines[index])


def apply(data: bytes, ops) -> bytes:
    for op in ops:
        kind = op[0]
        where = int(op[1] * len(data)) if len(op) > 1 and isinstance(op[1], float) else 0
        if kind == "insert" or kind == "bytes":
            data = data[:where] + op[2] + data[where:]
        elif kind == "delete":
            data = data[:where] + data[where + op[2] :]
        elif kind == "truncate":
            data = data[:where]
        elif kind == "crlf":
            start, stop = _line_bounds(data, op[1])
            data = data[:stop] + b"\r" + data[stop:]
        elif kind == "duplicate_line":
            start, stop = _line_bounds(data, op[1])
            data = data[:stop] + b"\n" + data[start:stop] + data[stop:]
        elif kind == "swap_lines":
            lines = data.split(b"\n")
            i, j = (min(int(x * len(lines)), len(lines) - 1) for x in op[1:3])
            lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif kind == "long_cell":
            data = data[:where] + b"x" * (op[2] * 300_000) + data[where:]
        elif kind == "encode":
            with contextlib.suppress(UnicodeDecodeError):
                data = data.decode("utf-8").encode(op[1], errors="replace")
        elif kind == "drop_column":
            lines = data.split(b"\n")
            lines = [
                b",".join(c for i, c in enumerate(line.split(b",")) if i != op[1]) for line in lines
            ]
            data = b"\n".join(lines)
        elif kind == "add_column":
            first, _, rest = data.partition(b"\n")
            data = first + b"," + op[1].encode("utf-8") + b"\n" + rest
        elif kind == "unknown_id":
            # The line's first field (an id or a reference) becomes one nothing names.
            start, stop = _line_bounds(data, op[1])
            _, comma, rest = data[start:stop].partition(b",")
            data = data[:start] + b"nobody" + comma + rest + data[stop:]
        elif kind == "unicode_cell":
            data = data[:where] + op[2].encode("utf-8", errors="surrogatepass") + data[where:]
    return data


class Timeout(Exception):
    pass


def _bounded(seconds: float):
    def on_alarm(signum, frame):
        raise Timeout(f"refresh took over {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return previous


def _unbound(previous) -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A fixture folder (bytes per table) and a catalog built from it, to refresh over."""
    from coprod.catalog import refresh_catalog

    root = tmp_path_factory.mktemp("fuzz")
    folder = write_catalog_folder(root / "clean")
    files = {table: (folder / f"{table}.csv").read_bytes() for table in TABLES}
    db = root / "db" / "catalog.duckdb"
    refresh_catalog([folder], db)
    return root, files, db


def _write_folder(folder: Path, files: dict[str, bytes], table: str, data: bytes, parquet: bool):
    import duckdb

    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / f"{name}.csv").write_bytes(data if name == table else content)
    if parquet:
        # The same table as Parquet, with its first column typed as it parses (ints,
        # dates...), the rest as text: every value must still be read as text.
        source = folder / f"{table}.csv"
        try:
            with duckdb.connect() as con:
                con.execute(
                    "COPY (SELECT * FROM read_csv(?, auto_detect = true, ignore_errors = true)) "
                    "TO ? (FORMAT parquet)",
                    [str(source), str(folder / f"{table}.parquet")],
                )
            source.unlink()
        except duckdb.Error:
            pass  # not even DuckDB's sniffer can read it: keep the CSV


def _check_accepted(db: Path) -> None:
    from coprod.catalog import load_catalog
    from coprod.output import FORMATS, pairing_records, write_records
    from coprod.ranking import Ranker

    catalog = load_catalog(db)
    ranker = Ranker(catalog)
    for requirement in list(catalog.requirements.values())[:2]:
        records = pairing_records(ranker.rank(requirement), catalog.requirements)
        for fmt in FORMATS:
            write_records(records, fmt, io.StringIO())


@FUZZ
@given(mutation=mutations())
@example(mutation=("capabilities", [("insert", 0.99, b'"')], False))  # unterminated quote
@example(mutation=("capabilities", [("long_cell", 0.5, 4)], False))  # 1.2 MB line
@example(mutation=("partners", [("crlf", 0.3)], False))  # one CRLF line in an LF file
@example(mutation=("countries", [("encode", "utf-16")], False))
@example(mutation=("partners", [("add_column", "x" * 8)], True))
def test_refresh_of_a_mutated_catalog_is_bounded_and_atomic(base, tmp_path_factory, mutation):
    from coprod.catalog import refresh_catalog
    from coprod.errors import CatalogValidationError

    root, files, db = base
    table, ops, parquet = mutation
    folder = tmp_path_factory.mktemp("case") / "in"
    _write_folder(folder, files, table, apply(files[table], ops), parquet)
    before = db.read_bytes()
    beside_before = sorted(p.name for p in db.parent.iterdir())
    STATS["examples"] += 1
    started = time.perf_counter()
    previous = _bounded(TIME_BOUND)
    try:
        refresh_catalog([folder], db)
    except CatalogValidationError as error:
        _unbound(previous)
        STATS["refused"] += 1
        assert error.problems
        for problem in error.problems:
            assert PROBLEM.match(str(problem)), str(problem)
        assert db.read_bytes() == before  # the previous catalog, byte for byte
        assert sorted(p.name for p in db.parent.iterdir()) == beside_before  # no stray file
    else:
        _unbound(previous)
        STATS["accepted"] += 1
        assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]
        _check_accepted(db)
        refresh_catalog([root / "clean"], db)  # back to the base for the next example
    finally:
        _unbound(previous)
    assert time.perf_counter() - started < TIME_BOUND


def test_report_fuzz_counts(capsys) -> None:
    """Prints the counts of the run (pytest -s shows them)."""
    with capsys.disabled():
        print(f"\nfuzz refresh: {STATS}")
