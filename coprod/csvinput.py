"""Reading catalog input (CSV or Parquet) into DuckDB staging tables, with exact problem places.

The bulk of the work is DuckDB's: `read_csv` with strict RFC 4180 quoting reads
every row as text into a temporary table. Python only looks at the header, checks
that the bytes are UTF-8 (which also gives the exact place of a bad byte), and,
only for files where something is wrong, scans the text to turn "row 41,237,
column capability" into a physical `line:column` (a quoted field with embedded
newlines spans several lines, so row numbers and line numbers differ).
"""

from __future__ import annotations

import contextlib
import difflib
import mmap
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from coprod.csvscan import (
    MAX_FIELDS,
    MAX_LINE_BYTES,
    MAX_RECORD_BYTES,
    CsvRowLocator,
    Header,
    ParquetRowLocator,
    parse_header,
    scan_structure,
)
from coprod.errors import DataError, Problem, first_line, shortened

BOM = b"\xef\xbb\xbf"
SOURCE_COLUMN = "source"


@dataclass(frozen=True)
class TableSpec:
    """What one catalog table must look like in its input file."""

    name: str
    columns: tuple[str, ...]  # core columns, all required in the header
    required_text: tuple[str, ...]  # core columns that must not be empty
    key: tuple[str, ...] = ()  # columns that must be unique across rows
    trimmed: tuple[str, ...] = ()  # identifiers and codes: surrounding spaces are dropped

    @property
    def known_columns(self) -> tuple[str, ...]:
        return (*self.columns, SOURCE_COLUMN)


TABLE_SPECS: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "partners",
            ("partner_id", "name", "country", "kind", "description"),
            required_text=("partner_id", "name", "country"),
            key=("partner_id",),
            trimmed=("partner_id", "country", "kind"),
        ),
        TableSpec(
            "capabilities",
            ("partner_id", "capability", "category", "system"),
            required_text=("partner_id", "capability"),
            trimmed=("partner_id", "category", "system"),
        ),
        TableSpec(
            "codevelopers",
            ("system", "partner_id"),
            required_text=("system", "partner_id"),
            trimmed=("system", "partner_id"),
        ),
        TableSpec(
            "countries",
            ("country", "posture", "note"),
            required_text=("country", "posture"),
            key=("country",),
            trimmed=("country", "posture"),
        ),
        TableSpec(
            "requirements",
            ("requirement_id", "title", "description", "category", "quantity", "unit", "priority"),
            required_text=("requirement_id", "title", "priority"),
            key=("requirement_id",),
            trimmed=("requirement_id", "category", "quantity", "unit", "priority"),
        ),
        TableSpec(
            "synonyms",
            ("term", "canonical"),
            required_text=("term", "canonical"),
            trimmed=("term", "canonical"),
        ),
        # The knowledge base (coprod.knowledge): a catalog's rows extend the shipped ones.
        TableSpec(
            "concepts",
            ("concept_id", "label", "alt_labels", "broader", "labels_zh", "category"),
            required_text=("concept_id", "label"),
            key=("concept_id",),
            trimmed=("concept_id", "broader", "category"),
        ),
        TableSpec(
            "systems",
            ("system_id", "name", "aliases", "labels_zh", "concepts", "makers", "country"),
            required_text=("system_id", "name"),
            key=("system_id",),
            trimmed=("system_id", "country"),
        ),
        TableSpec(
            "system_relations",
            ("system_id", "organisation", "country", "role"),
            required_text=("system_id", "organisation", "country", "role"),
            trimmed=("system_id", "country", "role"),
        ),
    )
}

# Files coprod reads for other commands, expected beside the tables (`coprod eval`).
KNOWN_OTHER_FILES: frozenset[str] = frozenset({"truth"})

# Columns coprod adds itself; an input column of that name would be ambiguous.
RESERVED_COLUMNS = {"capabilities": ("capability_id",)}

FileFormat = Literal["csv", "parquet"]
MAX_BAD_BYTES_REPORTED = 10


@dataclass(frozen=True)
class SourceFile:
    table: str
    path: Path
    format: FileFormat


# ---------------------------------------------------------------- discovery


def discover_sources(paths: Sequence[Path]) -> tuple[dict[str, SourceFile], list[Problem]]:
    """Map table name -> input file, from folders and/or files named <table>.csv|.parquet."""
    found: dict[str, SourceFile] = {}
    problems: list[Problem] = []

    def add(path: Path, *, explicit: bool) -> None:
        suffix = path.suffix.lower()
        table = path.stem.lower()
        if suffix not in (".csv", ".parquet"):
            if explicit:
                problems.append(
                    Problem(str(path), None, None, "not a .csv or .parquet file; nothing read")
                )
            return
        if table in KNOWN_OTHER_FILES and not explicit:
            return  # coprod's own file beside the tables (the eval ground truth)
        if table not in TABLE_SPECS:
            close = difflib.get_close_matches(table, TABLE_SPECS, n=1)
            hint = f"; did you mean '{close[0]}{suffix}'?" if close else ""
            expected = ", ".join(f"{name}.csv" for name in TABLE_SPECS)
            problems.append(
                Problem(
                    str(path),
                    None,
                    None,
                    f"file name is not a catalog table ({expected}){hint}",
                    severity="error" if explicit else "warning",
                )
            )
            return
        if table in found:
            problems.append(
                Problem(
                    str(path),
                    None,
                    None,
                    f"second file for table '{table}' (already read from {found[table].path})",
                )
            )
            return
        found[table] = SourceFile(table, path, "csv" if suffix == ".csv" else "parquet")

    for path in paths:
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_file():
                    add(child, explicit=False)
        elif path.is_file():
            add(path, explicit=True)
        else:
            problems.append(Problem(str(path), None, None, "no such file or folder"))
    return found, problems


# ---------------------------------------------------------------- bytes and text


def place_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based (line, character column) of a byte offset, counting physical lines."""
    line = raw.count(b"\n", 0, offset) + 1
    line_start = raw.rfind(b"\n", 0, offset) + 1
    if line == 1 and raw.startswith(BOM):
        line_start = len(BOM)
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def decoding_problems(raw: bytes, file: str) -> list[Problem]:
    """Every undecodable byte sequence (up to a limit), pinned to line:column."""
    try:
        raw.decode("utf-8")
        return []
    except UnicodeDecodeError as first:
        error: UnicodeDecodeError | None = first
    problems: list[Problem] = []
    offset = 0
    total = 0
    while error is not None:
        bad_at = offset + error.start
        total += 1
        if total <= MAX_BAD_BYTES_REPORTED:
            line, column = place_of_byte(raw, bad_at)
            bad = raw[bad_at : offset + error.end]
            shown = " ".join(f"0x{byte:02x}" for byte in bad)
            problems.append(
                Problem(
                    file,
                    line,
                    column,
                    f"undecodable byte {shown} at byte offset {bad_at}: the file must be UTF-8 "
                    "(re-save it as 'CSV UTF-8')",
                )
            )
        offset += error.end
        try:
            raw[offset:].decode("utf-8")
            error = None
        except UnicodeDecodeError as again:
            error = again
    if total > MAX_BAD_BYTES_REPORTED:
        problems.append(
            Problem(
                file,
                None,
                None,
                f"... and {total - MAX_BAD_BYTES_REPORTED} more undecodable byte(s)",
            )
        )
    return problems


def check_header(header: Header, spec: TableSpec, file: str) -> tuple[Header, list[Problem]]:
    """Core columns present (with 'did you mean'), no duplicates, extras reported as warnings.

    Returns the header with core column names casefolded, as stored.
    """
    problems: list[Problem] = []
    known = spec.known_columns
    stored: list[str] = []
    for name in header.names:
        folded = name.casefold()
        stored.append(folded if folded in known else name)
    seen: dict[str, int] = {}
    for index, name in enumerate(stored):
        line, column = header.places[index]
        if not name:
            problems.append(Problem(file, line, column, f"column {index + 1} has no name"))
            continue
        if name.casefold() in seen:
            problems.append(
                Problem(
                    file,
                    line,
                    column,
                    f"column '{shortened(name)}' appears twice "
                    f"(first as column {seen[name.casefold()] + 1})",
                )
            )
            continue
        seen[name.casefold()] = index
        if name.casefold() in RESERVED_COLUMNS.get(spec.name, ()):
            problems.append(
                Problem(
                    file,
                    line,
                    column,
                    f"column '{shortened(name)}' is reserved: coprod computes it",
                )
            )
    unknown = [name for name in stored if name and name not in known]
    claimed: set[str] = set()
    for missing in (name for name in spec.columns if name not in stored):
        candidates = [name for name in unknown if name not in claimed]
        close = difflib.get_close_matches(
            missing, [c.casefold() for c in candidates], n=1, cutoff=0.6
        )
        if close:
            misspelt = next(c for c in candidates if c.casefold() == close[0])
            claimed.add(misspelt)
            line, column = header.places[stored.index(misspelt)]
            problems.append(
                Problem(
                    file,
                    line,
                    column,
                    f"unknown column '{shortened(misspelt)}': did you mean '{missing}'? "
                    f"(required column '{missing}' is missing)",
                )
            )
        else:
            line = header.places[0][0] if header.places else 1
            problems.append(
                Problem(
                    file,
                    line,
                    None,
                    f"missing column '{missing}' (required columns: {', '.join(spec.columns)})",
                )
            )
    for name in unknown:
        if name in claimed:
            continue
        line, column = header.places[stored.index(name)]
        problems.append(
            Problem(
                file,
                line,
                column,
                f"extra column '{shortened(name)}' is kept as text but not used by coprod",
                severity="warning",
            )
        )
    return Header(tuple(stored), header.places), problems


# ---------------------------------------------------------------- staging into DuckDB


def quote_ident(name: str) -> str:
    """A DuckDB identifier for any column name taken from a file."""
    return '"' + name.replace('"', '""') + '"'


@dataclass
class StagedTable:
    """One input file read into a DuckDB table, values already as they will be stored.

    Every column is text: empty cells are '' (never NULL) and identifier/code
    columns are trimmed, so checks compare plain column values.
    """

    source: SourceFile
    spec: TableSpec
    table: str  # qualified DuckDB table name, e.g. fresh.stage_partners
    header: Header  # stored column names, in file order
    rows: int
    locator: CsvRowLocator | ParquetRowLocator
    exact_places: bool = True  # False when the scanner and DuckDB disagree on rows

    @property
    def file(self) -> str:
        return str(self.source.path)

    def has(self, column: str) -> bool:
        return column in self.header.names

    def value(self, column: str, alias: str = "") -> str:
        """SQL for a column's stored value ('' when the file has no such column)."""
        if not self.has(column):
            return "''"
        return (f"{alias}." if alias else "") + quote_ident(column)

    def problem(self, row: int, column: str | None, message: str, **kwargs: object) -> Problem:
        index = self.header.index(column) if column and self.has(column) else None
        line, col = self.locator.place(row, index) if self.exact_places else (None, None)
        if line is None:
            where = f"row {row + 1}" + (f", column '{column}'" if column else "")
            message = f"{where}: {message}"
        return Problem(self.file, line, col, message, **kwargs)  # type: ignore[arg-type]


def _stored_select(header: Header, raw_names: Sequence[str]) -> str:
    """SELECT list naming the raw text columns as stored, '' for an empty cell."""
    return ", ".join(
        f"coalesce({raw}, '') AS {quote_ident(name)}"
        for name, raw in zip(header.names, raw_names, strict=True)
    )


_NOT_BLANK = re.compile(rb"[^ \t\r\n]")


def _file_is_blank(raw: bytes) -> bool:
    return _NOT_BLANK.search(raw, len(BOM) if raw.startswith(BOM) else 0) is None


HEAD_BYTES = 1 << 20  # the header must fit in the first MiB


def long_line(path: Path, limit: int = MAX_LINE_BYTES) -> tuple[int, int, int] | None:
    """(line, column where it passes the limit, length in bytes) of the first physical
    line longer than `limit`, else None.

    A file no longer than the limit is not looked at; a longer one is mapped and
    searched by `first_long_line`, which reads a few bytes per half a limit.
    """
    with path.open("rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        if size <= limit:
            return None
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            found = first_long_line(mapped, limit)
            if found is None:
                return None
            start, length = found
            line = mapped[:start].count(b"\n") + 1
            within = mapped[start : start + limit].decode("utf-8", errors="replace")
    if line == 1 and within.startswith("\ufeff"):
        within = within[1:]
    return line, len(within) + 1, length


def first_long_line(data: bytes | mmap.mmap, limit: int) -> tuple[int, int] | None:
    """(start offset, length in bytes without its LF) of the first line of `data` longer
    than `limit`, else None.

    A line longer than `limit` covers at least one whole block of `limit // 2`
    bytes, so only blocks without a line feed need a closer look; in a block of
    ordinary lines the search for a line feed stops within the first line.
    """
    size = len(data)
    block = max(1, limit // 2)
    for block_start in range(0, size, block):
        block_stop = min(block_start + block, size)
        if data.find(b"\n", block_start, block_stop) >= 0:
            continue
        start = data.rfind(b"\n", 0, block_start) + 1
        stop = data.find(b"\n", block_stop)
        if stop < 0:
            stop = size
        if stop - start > limit:
            return start, stop - start
    return None


def _decoded_head(head: bytes, *, more_follows: bool) -> str | None:
    """The start of a file as text (None if it is not UTF-8), for the header."""
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the chunk is fine; else it is a bad byte.
        if more_follows and error.start >= len(head) - 3:
            return head[: error.start].decode("utf-8")
        return None


def stage_csv(con, source: SourceFile, table: str) -> tuple[StagedTable | None, list[Problem]]:
    """Read one CSV file into `table`; every problem with its exact place."""
    file = str(source.path)
    spec = TABLE_SPECS[source.table]
    # Only the head is read here (DuckDB reads the rest); the whole file is read in
    # Python only when something is wrong with it.
    try:
        with source.path.open("rb") as stream:
            head_bytes = stream.read(HEAD_BYTES)
            if _file_is_blank(head_bytes):
                head_bytes += stream.read()
    except OSError as error:
        return None, [Problem(file, None, None, f"cannot read: {error.strerror or error}")]
    if _file_is_blank(head_bytes):
        expected = ",".join(spec.columns)
        message = f"file is empty: expected a header line '{expected}'"
        return None, [Problem(file, None, None, message)]
    head = _decoded_head(head_bytes, more_follows=len(head_bytes) == HEAD_BYTES)
    if head is None:
        return None, decoding_problems(source.path.read_bytes(), file)
    if len(head_bytes) == HEAD_BYTES and "\n" not in head:
        message = f"header: the first line is longer than the limit of {HEAD_BYTES:,} bytes"
        return None, [Problem(file, 1, None, message)]
    header, header_end, problems = parse_header(head, file)
    if header is None:
        return None, problems
    if len(header.names) > MAX_FIELDS:
        line, column = header.places[MAX_FIELDS]
        message = f"header: {len(header.names):,} columns, the limit is {MAX_FIELDS:,}"
        return None, [Problem(file, line, column, message)]
    try:
        too_long = long_line(source.path)
    except (OSError, ValueError) as error:
        return None, [Problem(file, None, None, f"cannot read: {error}")]
    if too_long is not None:
        line, column, length = too_long
        message = (
            f"line is {length:,} bytes long, the limit is {MAX_LINE_BYTES:,} "
            "(a cell this long is not catalog text)"
        )
        return None, [Problem(file, line, column, message)]
    header, problems = check_header(header, spec, file)
    if any(p.severity == "error" for p in problems):
        return None, problems
    header_lines = head.count("\n", 0, header_end)
    width = len(header.names)
    raw_names = [f"c{i}" for i in range(width)]
    columns = "{" + ", ".join(f"'{name}': 'VARCHAR'" for name in raw_names) + "}"
    rejects = "rejects_" + table.replace(".", "_")  # one per staged file
    import duckdb

    def load(path: str) -> tuple[int, list[tuple]]:
        con.execute(
            f"CREATE TABLE {table} AS SELECT {_stored_select(header, raw_names)} "
            "FROM read_csv(?, header = true, auto_detect = false, delim = ',', quote = '\"', "
            "escape = '\"', strict_mode = true, allow_quoted_nulls = false, null_padding = false, "
            f"max_line_size = {MAX_RECORD_BYTES}, "
            # With the default nullstr '' DuckDB silently drops one trailing empty field, so
            # 'rtx,155 mm, 39 cal,,' (an unquoted comma) would load shifted; any other
            # nullstr makes it a TOO MANY COLUMNS reject. \x01 never is a whole real field.
            "nullstr = '\x01', "
            f"encoding = 'utf-8', columns = {columns}, store_rejects = true, "
            f"rejects_table = '{rejects}', rejects_scan = '{rejects}_scan')",
            [path],
        )
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        rejected = con.execute(
            f"SELECT line, error_message FROM {rejects} ORDER BY line"
        ).fetchall()
        con.execute(f"DROP TABLE IF EXISTS {rejects}")
        con.execute(f"DROP TABLE IF EXISTS {rejects}_scan")
        return rows, rejected

    def load_with_lf_line_ends(raw: bytes) -> tuple[int, list[tuple]]:
        """DuckDB takes the line end of a file from its start and refuses a file that
        mixes LF and CRLF ("invalid state", "unterminated quote") where editors leave
        one: read a copy with LF only (same lines, same columns, same cells)."""
        import tempfile

        con.execute(f"DROP TABLE IF EXISTS {table}")
        handle, name = tempfile.mkstemp(prefix="coprod-lf-", suffix=".csv")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(raw.replace(b"\r\n", b"\n"))
            return load(name)
        finally:
            os.unlink(name)

    try:
        rows, rejected = load(file)
    except duckdb.Error as error:
        if _is_write_failure(error):
            # A full disk or a read-only folder while DuckDB writes the staging table
            # is no fault of the file: say what it is.
            raise DataError(f"cannot build the catalog: {first_line(error)}") from None
        # Some malformed input stops DuckDB's parser outright instead of landing in the
        # rejects table: the Python scanner still says exactly what and where.
        raw = source.path.read_bytes()
        retried = None
        if _mixed_line_ends(raw):
            with contextlib.suppress(duckdb.Error):
                retried = load_with_lf_line_ends(raw)
        if retried is None:
            found = _unparsable(source.path, header_end, header_lines, width, error)
            return None, problems + found
        rows, rejected = retried
    staged = StagedTable(
        source,
        spec,
        table,
        header,
        rows,
        CsvRowLocator(source.path, header_end, header_lines, width),
    )
    if rejected:
        # DuckDB found something (it checks UTF-8 too); Python pins down exactly what and where.
        raw = source.path.read_bytes()
        bad_bytes = decoding_problems(raw, file)
        if bad_bytes:
            return None, problems + bad_bytes
        structural, kept = scan_structure(raw, header_end, header_lines, width, file)
        if not structural and _mixed_line_ends(raw):
            rows, rejected = load_with_lf_line_ends(raw)
            staged.rows = rows
        if rejected and not structural:
            # The scanner found nothing DuckDB objected to: report DuckDB's own words.
            structural = [
                Problem(file, None, None, f"record {line}: {message}") for line, message in rejected
            ]
        problems.extend(structural)
        staged.exact_places = len(kept) == rows
        staged.locator.kept = kept  # the row locator need not scan the file again
    return staged, problems


def _mixed_line_ends(raw: bytes) -> bool:
    """Both CRLF and bare LF line ends in one file."""
    crlf = raw.count(b"\r\n")
    return 0 < crlf < raw.count(b"\n")


def _is_write_failure(error: BaseException) -> bool:
    text = str(error)
    return any(
        words in text
        for words in ("No space left on device", "Read-only file system", "Disk quota exceeded")
    )


def _unparsable(
    path: Path, header_end: int, header_lines: int, width: int, error: Exception
) -> list[Problem]:
    raw = path.read_bytes()
    found = decoding_problems(raw, str(path))
    if not found:
        found, _ = scan_structure(raw, header_end, header_lines, width, str(path))
    if not found:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "?"
        found = [Problem(str(path), None, None, f"cannot be parsed as CSV: {reason}")]
    return found


def stage_parquet(con, source: SourceFile, table: str) -> tuple[StagedTable | None, list[Problem]]:
    """Read one Parquet file into `table`, every column as text."""
    file = str(source.path)
    spec = TABLE_SPECS[source.table]
    try:
        described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [file]).fetchall()
    except Exception as error:  # duckdb raises several types for a bad file
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return None, [Problem(file, None, None, f"not a readable Parquet file: {reason}")]
    names = tuple(str(row[0]) for row in described)
    places = tuple((None, index + 1) for index in range(len(names)))
    header, problems = check_header(Header(names, places), spec, file)  # type: ignore[arg-type]
    if any(p.severity == "error" for p in problems):
        return None, problems
    raw_names = [f"CAST({quote_ident(original)} AS VARCHAR)" for original in names]
    try:
        con.execute(
            f"CREATE TABLE {table} AS SELECT {_stored_select(header, raw_names)} "
            "FROM read_parquet(?)",
            [file],
        )
    except Exception as error:  # noqa: BLE001 - a damaged page: duckdb raises several types
        if _is_write_failure(error):
            raise DataError(f"cannot build the catalog: {first_line(error)}") from None
        return None, [
            Problem(file, None, None, f"not a readable Parquet file: {first_line(error)}")
        ]
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return StagedTable(source, spec, table, header, rows, ParquetRowLocator()), problems


def stage_file(con, source: SourceFile, table: str) -> tuple[StagedTable | None, list[Problem]]:
    if source.format == "parquet":
        return stage_parquet(con, source, table)
    return stage_csv(con, source, table)
