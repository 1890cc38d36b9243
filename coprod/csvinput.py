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
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from coprod.errors import DataError, Problem

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


@dataclass(frozen=True)
class Header:
    """The columns of one input file, in file order, as stored (core names casefolded)."""

    names: tuple[str, ...]
    places: tuple[tuple[int, int], ...]  # (line, column) of each header cell

    def index(self, column: str) -> int:
        return self.names.index(column)


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


# ---------------------------------------------------------------- CSV scanning

# Like DuckDB, a quote inside a field that does not start with one is a literal character.
_PLAIN = re.compile(r"[^,\r\n]*")  # one character class, no alternation: linear


def quoted_end(text: str, start: int) -> int:
    """End (after the closing quote) of the quoted field opening at `start`; -1 if unclosed.

    A loop over `str.find`, linear in the field: the former pattern
    `"(?:[^"]+|"")*"` backtracked exponentially on an unterminated quote
    (34 characters after it took minutes).
    """
    pos = start + 1
    while True:
        quote = text.find('"', pos)
        if quote < 0:
            return -1
        if text.startswith('""', quote):
            pos = quote + 2
            continue
        return quote + 1


@dataclass
class ScannedRecord:
    """One CSV record as the scanner saw it: where it starts and where each field starts."""

    line: int
    field_count: int = 0
    error: tuple[int, int, str] | None = None  # (line, column, message)
    places: list[tuple[int, int]] | None = None  # None: a simple line, placed on demand
    text: str = ""
    start: int = 0  # a simple line's character span in `text`
    stop: int = 0

    @property
    def field_places(self) -> list[tuple[int, int]]:
        """(line, column) of each field; for a simple line, worked out when first asked."""
        if self.places is None:
            places = [(self.line, 1)]
            comma = self.text.find(",", self.start, self.stop)
            while comma >= 0:
                places.append((self.line, comma - self.start + 2))
                comma = self.text.find(",", comma + 1, self.stop)
            self.places = places
        return self.places


class CsvScanner:
    """A strict RFC 4180 scanner over decoded text that keeps physical line/column places.

    Pure Python, so only used where something is wrong: the header, the records
    that have problems, or a whole file DuckDB refused to parse.
    """

    def __init__(self, text: str, *, start: int = 0, line: int = 1, line_start: int = 0):
        self.text = text
        self.pos = start
        self.line = line
        self.line_start = line_start

    def _column(self, pos: int) -> int:
        return pos - self.line_start + 1

    def _skip_to_next_line(self) -> None:
        newline = self.text.find("\n", self.pos)
        if newline < 0:
            self.pos = len(self.text)
        else:
            self.pos = newline + 1
            self.line += 1
            self.line_start = self.pos

    def records(self) -> Iterable[ScannedRecord]:
        text = self.text
        end = len(text)
        while self.pos < end:
            if text[self.pos] == "\n":
                self._skip_to_next_line()
                continue
            if text.startswith("\r\n", self.pos):
                self.pos += 2
                self.line += 1
                self.line_start = self.pos
                continue
            simple = self._simple_line()
            yield simple if simple is not None else self._record()

    def _simple_line(self) -> ScannedRecord | None:
        """A record that is one physical line without quotes, found without the field loop.

        Such lines are most of a catalog; scanning them field by field in Python
        made locating a problem near the end of a 500,000-line file several times
        slower. Lines with quotes go through the field-by-field scan, which also
        says exactly what is wrong with bad quoting and where.
        """
        text = self.text
        newline = text.find("\n", self.pos)
        stop = len(text) if newline < 0 else newline
        content_stop = stop - 1 if stop > self.pos and text[stop - 1] == "\r" else stop
        if text.find("\r", self.pos, content_stop) >= 0:
            return None
        if text.find('"', self.pos, content_stop) >= 0:
            return None
        record = ScannedRecord(
            self.line,
            field_count=text.count(",", self.pos, content_stop) + 1,
            text=text,
            start=self.pos,
            stop=content_stop,
        )
        self.pos = stop + 1 if newline >= 0 else stop
        if newline >= 0:
            self.line += 1
            self.line_start = self.pos
        return record

    def _record(self) -> ScannedRecord:
        record = self._fields()
        record.field_count = len(record.field_places)
        return record

    def _fields(self) -> ScannedRecord:
        text = self.text
        end = len(text)
        record = ScannedRecord(self.line, places=[])
        while True:
            record.field_places.append((self.line, self._column(self.pos)))
            if self.pos < end and text[self.pos] == '"':
                match_end = quoted_end(text, self.pos)
                if match_end < 0:
                    record.error = (
                        self.line,
                        self._column(self.pos),
                        "unterminated quote: this quoted field is never closed "
                        "(it runs to the end of the file)",
                    )
                    self.pos = end
                    return record
                newlines = text.count("\n", self.pos, match_end)
                if newlines:
                    self.line += newlines
                    self.line_start = text.rfind("\n", self.pos, match_end) + 1
                self.pos = match_end
            else:
                self.pos = _PLAIN.match(text, self.pos).end()
            if self.pos >= end:
                return record
            char = text[self.pos]
            if char == ",":
                self.pos += 1
                continue
            if char == "\n" or text.startswith("\r\n", self.pos):
                self.pos += 1 if char == "\n" else 2
                self.line += 1
                self.line_start = self.pos
                return record
            message = (
                "a carriage return without a line feed: save the file with LF or CRLF line ends"
                if char == "\r"
                else f"unexpected {char!r} after a closing quote: a quoted field must end "
                "at a comma or at the end of the line"
            )
            record.error = (self.line, self._column(self.pos), message)
            self._skip_to_next_line()
            return record


def _header_cells(text: str, places: Sequence[tuple[int, int]], stop: int, start: int) -> list[str]:
    """The cell texts of a header record scanned without error (quotes undone)."""
    line_starts = [start]
    # Header cells are on the first physical lines; map (line, column) to offsets.
    lines_needed = places[-1][0] if places else 1
    pos = start
    for _ in range(lines_needed - 1):
        pos = text.index("\n", pos) + 1
        line_starts.append(pos)
    offsets = [line_starts[line - 1] + column - 1 for line, column in places]
    end = stop
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    cells = []
    for index, offset in enumerate(offsets):
        cell_end = offsets[index + 1] - 1 if index + 1 < len(offsets) else end
        cell = text[offset:cell_end]
        if cell.startswith('"'):
            cell = cell[1:-1].replace('""', '"')
        cells.append(cell)
    return cells


def parse_header(text: str, file: str) -> tuple[Header | None, int, list[Problem]]:
    """The header record of decoded CSV text: (header, offset after it, problems)."""
    start = 1 if text.startswith("\ufeff") else 0
    scanner = CsvScanner(text, start=start, line_start=start)
    record = next(iter(scanner.records()), None)
    if record is None:
        return None, len(text), [Problem(file, None, None, "file is empty: expected a header line")]
    if record.error:
        line, column, message = record.error
        return None, scanner.pos, [Problem(file, line, column, f"header: {message}")]
    # The scanner has placed every cell: cut them out here (the csv module would
    # refuse a cell over its 131,072-character field limit with a traceback).
    cells = _header_cells(text, record.field_places, scanner.pos, start)
    names = tuple(cell.strip() for cell in cells)
    return Header(names, tuple(record.field_places)), scanner.pos, []


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
                    f"column '{_shown(name)}' appears twice "
                    f"(first as column {seen[name.casefold()] + 1})",
                )
            )
            continue
        seen[name.casefold()] = index
        if name.casefold() in RESERVED_COLUMNS.get(spec.name, ()):
            problems.append(
                Problem(
                    file, line, column, f"column '{_shown(name)}' is reserved: coprod computes it"
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
                    f"unknown column '{_shown(misspelt)}': did you mean '{missing}'? "
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
                f"extra column '{_shown(name)}' is kept as text but not used by coprod",
                severity="warning",
            )
        )
    return Header(tuple(stored), header.places), problems


# ---------------------------------------------------------------- locating rows


class CsvRowLocator:
    """Maps a staging-table row (0-based, header excluded) to its physical place in the file.

    Staging rows are the records DuckDB kept: those without a structural problem.
    Scanning is lazy and stops at the furthest row asked for, so a valid file never
    pays for it and a file with one bad row near the top pays little.
    """

    def __init__(self, path: Path, header_end: int, header_lines: int, width: int):
        self._path = path
        self.kept: list[ScannedRecord] | None = None  # set when a full scan was already made
        self._header_end = header_end  # character offset in the decoded text
        self._header_lines = header_lines
        self._width = width
        self._kept: list[ScannedRecord] = []
        self._iterator: Iterator[ScannedRecord] | None = None

    def _record(self, row: int) -> ScannedRecord | None:
        if self.kept is not None:
            return self.kept[row] if row < len(self.kept) else None
        if self._iterator is None:
            text = self._path.read_bytes().decode("utf-8")
            line_start = text.rfind("\n", 0, self._header_end) + 1
            scanner = CsvScanner(
                text, start=self._header_end, line=self._header_lines + 1, line_start=line_start
            )
            self._iterator = iter(scanner.records())
        while len(self._kept) <= row:
            record = next(self._iterator, None)
            if record is None:
                return None
            if record.error is None and record.field_count == self._width:
                self._kept.append(record)
        return self._kept[row]

    def place(self, row: int, column_index: int | None) -> tuple[int | None, int | None]:
        record = self._record(row)
        if record is None:
            return None, None
        if column_index is None or column_index >= len(record.field_places):
            return record.line, None
        return record.field_places[column_index]


class ParquetRowLocator:
    """Parquet has no lines: problems name the row in the message instead."""

    def place(self, row: int, column_index: int | None) -> tuple[int | None, int | None]:
        return None, None


def scan_structure(
    raw: bytes, header_end: int, header_lines: int, width: int, file: str
) -> tuple[list[Problem], list[ScannedRecord]]:
    """Every structural problem in a CSV file (bad quoting, wrong field count), and the
    records DuckDB keeps (those without one), in order."""
    text = raw.decode("utf-8")
    line_start = text.rfind("\n", 0, header_end) + 1
    scanner = CsvScanner(text, start=header_end, line=header_lines + 1, line_start=line_start)
    problems: list[Problem] = []
    kept: list[ScannedRecord] = []
    records = iter(scanner.records())
    while True:
        start = scanner.pos
        record = next(records, None)
        if record is None:
            break
        # Only a record with quoted line breaks can be long here (lines were checked).
        if scanner.pos - start > MAX_RECORD_BYTES // 4 and (
            len(text[start : scanner.pos].encode("utf-8")) > MAX_RECORD_BYTES
        ):
            message = (
                f"record is over the limit of {MAX_RECORD_BYTES:,} bytes "
                "(a quoted field with line breaks this long is not catalog text)"
            )
            problems.append(Problem(file, record.line, None, message))
            continue
        if record.error:
            line, column, message = record.error
            problems.append(Problem(file, line, column, message))
            continue
        count = record.field_count
        if count != width:
            if count > width:
                line, column = record.field_places[width]
                message = (
                    f"{count} fields, expected {width}: an unquoted comma? "
                    'put the field in double quotes ("...")'
                )
            else:
                line, column = record.line, None
                message = f"{count} field(s), expected {width}"
            problems.append(Problem(file, line, column, message))
            continue
        kept.append(record)
    return problems, kept


# ---------------------------------------------------------------- staging into DuckDB

MAX_ROWS_PER_CHECK = 50  # problems listed per check and file; the rest are counted
MAX_KEYS_FOR_SUGGESTIONS = 20_000  # "did you mean" among ids only for tables this small


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

    @property
    def extras(self) -> tuple[str, ...]:
        return tuple(name for name in self.header.names if name not in self.spec.known_columns)

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


def _padded_codes(staged: StagedTable) -> tuple[str, str] | None:
    """(condition, assignments) finding and trimming codes with surrounding spaces."""
    columns = [quote_ident(n) for n in staged.header.names if n in staged.spec.trimmed]
    if not columns:
        return None
    padded = " OR ".join(f"{c} LIKE ' %' OR {c} LIKE '% '" for c in columns)
    return padded, ", ".join(f"{c} = trim({c})" for c in columns)


_NOT_BLANK = re.compile(rb"[^ \t\r\n]")


def _file_is_blank(raw: bytes) -> bool:
    return _NOT_BLANK.search(raw, len(BOM) if raw.startswith(BOM) else 0) is None


HEAD_BYTES = 1 << 20  # the header must fit in the first MiB
# Documented limits (data/README.md "Limits"), each a file:line:column error, never
# a silent drop. DuckDB refuses a record over its max_line_size (2,000,000 bytes)
# without saying where, and silently dropped a 40 MB cell: lines are checked first.
MAX_LINE_BYTES = 1_000_000  # one physical line
MAX_RECORD_BYTES = 2_000_000  # one record, quoted line breaks included (DuckDB's limit)
MAX_FIELDS = 1_000  # columns in the header


def long_line(path: Path, limit: int = MAX_LINE_BYTES) -> tuple[int, int, int] | None:
    """(line, column where it passes the limit, length in bytes) of the first physical
    line longer than `limit`, else None.

    Vectorised over the file's bytes (numpy, mmap): ~40 ms on a 60 MB file, and a
    file no longer than the limit is not looked at.
    """
    import mmap

    import numpy as np

    with path.open("rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        if size <= limit:
            return None
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            data = np.frombuffer(mapped, dtype=np.uint8)
            ends = np.flatnonzero(data == 10)
            del data
    # Line i spans (ends[i-1] + 1) .. ends[i] (its LF excluded); the last may have no LF.
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [size]))
    lengths = stops - starts
    over = np.flatnonzero(lengths > limit)
    if not len(over):
        return None
    first = int(over[0])
    with path.open("rb") as stream:
        stream.seek(int(starts[first]))
        within = stream.read(limit).decode("utf-8", errors="replace")
    if first == 0 and within.startswith("\ufeff"):
        within = within[1:]
    return first + 1, len(within) + 1, int(lengths[first])


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
            raise DataError(f"cannot build the catalog: {_first_line(error)}") from None
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


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


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
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "?"
        found = [Problem(str(path), None, None, f"cannot be parsed as CSV: {first_line}")]
    return found


def stage_parquet(con, source: SourceFile, table: str) -> tuple[StagedTable | None, list[Problem]]:
    """Read one Parquet file into `table`, every column as text."""
    file = str(source.path)
    spec = TABLE_SPECS[source.table]
    try:
        described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [file]).fetchall()
    except Exception as error:  # duckdb raises several types for a bad file
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        return None, [Problem(file, None, None, f"not a readable Parquet file: {first_line}")]
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
            raise DataError(f"cannot build the catalog: {_first_line(error)}") from None
        return None, [
            Problem(file, None, None, f"not a readable Parquet file: {_first_line(error)}")
        ]
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return StagedTable(source, spec, table, header, rows, ParquetRowLocator()), problems


def stage_file(con, source: SourceFile, table: str) -> tuple[StagedTable | None, list[Problem]]:
    if source.format == "parquet":
        return stage_parquet(con, source, table)
    return stage_csv(con, source, table)


# ---------------------------------------------------------------- row checks in SQL
#
# Each table gets one scan that counts every kind of problem; only a check
# with a non-zero count runs its detail query (offending rows, in file order).


def _shown(value: object, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _listed(
    staged: StagedTable,
    rows: list[tuple],
    total: int,
    column: str | None,
    describe: Callable[..., str],
    severity: str = "error",
) -> list[Problem]:
    """Problems for the first rows of one check, then a count of the rest."""
    problems = [
        staged.problem(row[0], column, describe(*row[1:]), severity=severity)
        for row in rows[:MAX_ROWS_PER_CHECK]
    ]
    if total > MAX_ROWS_PER_CHECK:
        problems.append(
            Problem(
                staged.file,
                None,
                None,
                f"... and {total - MAX_ROWS_PER_CHECK} more like the above"
                + (f" in column '{column}'" if column else ""),
                severity=severity,  # type: ignore[arg-type]
            )
        )
    return problems


def _first_rows(con, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(
        f"SELECT * FROM ({sql}) ORDER BY 1 LIMIT {MAX_ROWS_PER_CHECK}", params or []
    ).fetchall()


@dataclass(frozen=True)
class RowCheck:
    """One check on one table: a condition counted in the table's single scan."""

    column: str
    condition: str  # SQL over the table's columns; true for an offending row
    detail: str  # SQL select list after rowid, passed to describe()
    describe: Callable[..., str]
    params: tuple = ()


@dataclass(frozen=True)
class Reference:
    """`column` must name a row of `target` (e.g. a capability's partner_id in partners)."""

    column: str
    target: StagedTable
    target_column: str


def _checks_for(staged: StagedTable, allowed: dict[str, Sequence[str]]) -> list[RowCheck]:
    checks: list[RowCheck] = []
    for column in staged.spec.required_text:
        value = staged.value(column)
        # Only a value sorting before '!' (empty, or starting with a space or a control
        # character) or starting with a non-ASCII character (U+3000, U+200B, NBSP...)
        # can be blank, and that comparison reads the inlined prefix only: measured 30x
        # cheaper on 500,000 lines than `= '' OR (LIKE ' %' AND trim...)`. Blank is
        # Unicode whitespace, separators, controls and format characters (RE2 classes).
        empty = (
            f"(({value} < '!' OR {value} >= '\x80') "
            f"AND regexp_full_match({value}, '[\\s\\p{{Z}}\\p{{Cc}}\\p{{Cf}}]*'))"
        )
        checks.append(RowCheck(column, empty, "NULL", lambda _, c=column: f"empty {c}"))
    for column, values in allowed.items():
        value = staged.value(column)

        def describe(found: str, column: str = column, values: Sequence[str] = values) -> str:
            close = difflib.get_close_matches(found.casefold(), values, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            expected = ", ".join(values)
            return f"unknown {column} '{_shown(found)}': expected one of {expected}{hint}"

        listed = ", ".join(f"'{v}'" for v in values)  # constants from code, not from files
        checks.append(
            RowCheck(column, f"{value} <> '' AND {value} NOT IN ({listed})", value, describe)
        )
    if staged.spec.name == "requirements":
        value = staged.value("quantity")
        number = f"TRY_CAST({value} AS DOUBLE)"

        def describe_quantity(found: str) -> str:
            parsed = _try_float(found)
            if parsed is not None and parsed < 0:
                return f"quantity must not be negative (found {_shown(found)})"
            return (
                f"quantity '{_shown(found)}' is not a number (write digits only, e.g. 1200, "
                "or leave it empty when no figure is public)"
            )

        checks.append(
            RowCheck(
                "quantity",
                f"{value} <> '' AND ({number} IS NULL OR NOT isfinite({number}) OR {number} < 0)",
                value,
                describe_quantity,
            )
        )
    return checks


def _try_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def check_table(
    con,
    staged: StagedTable,
    allowed: dict[str, Sequence[str]],
    references: Sequence[Reference],
    line_of: Callable,
) -> list[Problem]:
    """Empty required text, unknown references, values outside a fixed set, bad quantities
    and duplicate keys: one scan of the table counts them all."""
    checks = _checks_for(staged, allowed)
    counts = [f"count_if({check.condition})" for check in checks]
    for column in staged.spec.key:
        key = f"nullif({staged.value(column)}, '')"
        counts.append(f"count({key}) - count(DISTINCT {key})")
    # Codes with surrounding spaces are counted in the same scan and trimmed only if
    # there are any: trimming every value while loading cost a tenth of the load.
    padding = _padded_codes(staged)
    counts.append(f"count_if({padding[0]})" if padding else "0")
    scan = f"SELECT {', '.join(counts)} FROM {staged.table}"
    totals = con.execute(scan).fetchone()
    if totals[-1]:
        con.execute(f"UPDATE {staged.table} SET {padding[1]} WHERE {padding[0]}")
        totals = con.execute(scan).fetchone()
    problems: list[Problem] = []
    for check, total in zip(checks, totals, strict=False):
        if total:
            rows = _first_rows(
                con, f"SELECT rowid, {check.detail} FROM {staged.table} WHERE {check.condition}"
            )
            problems += _listed(staged, rows, total, check.column, check.describe)
    key_totals = totals[len(checks) : len(checks) + len(staged.spec.key)]
    for column, total in zip(staged.spec.key, key_totals, strict=True):
        if total:
            problems += _duplicates(con, staged, column, total, line_of)
    for reference in references:
        problems += _unknown_references(con, staged, reference)
    return problems


def _unknown_references(con, staged: StagedTable, reference: Reference) -> list[Problem]:
    # An anti join of its own: inside the counting scan (count_if(x NOT IN ...)) DuckDB
    # plans a mark join that was measured 5x slower on 500,000 lines.
    value = staged.value(reference.column, "s")
    target = reference.target
    unmatched = (
        f"FROM {staged.table} s ANTI JOIN {target.table} t "
        f"ON {value} = {target.value(reference.target_column, 't')} WHERE {value} <> ''"
    )
    offending = f"SELECT s.rowid, {value} {unmatched}"
    total = con.execute(f"SELECT count(*) {unmatched}").fetchone()[0]
    if not total:
        return []
    target_name = target.source.path.name
    known: list[str] = []
    if target.rows <= MAX_KEYS_FOR_SUGGESTIONS:
        known = [
            row[0]
            for row in con.execute(
                f"SELECT DISTINCT {target.value(reference.target_column)} FROM {target.table}"
            ).fetchall()
        ]

    def describe(found: str) -> str:
        close = difflib.get_close_matches(found, known, n=1, cutoff=0.75) if known else []
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown {reference.column} '{_shown(found)}' (not in {target_name}){hint}"

    return _listed(staged, _first_rows(con, offending), total, reference.column, describe)


def _duplicates(con, staged: StagedTable, column: str, total: int, line_of) -> list[Problem]:
    value = staged.value(column, "s")
    rows = _first_rows(
        con,
        f"WITH firsts AS (SELECT {value} AS k, min(s.rowid) AS first_row FROM {staged.table} s "
        f"WHERE {value} <> '' GROUP BY k HAVING count(*) > 1) "
        f"SELECT s.rowid, f.k, f.first_row FROM {staged.table} s "
        f"JOIN firsts f ON {value} = f.k WHERE s.rowid <> f.first_row",
    )
    return _listed(
        staged,
        rows,
        total,
        column,
        lambda key, first: (
            f"duplicate {column} '{_shown(key)}' (first at {line_of(staged, first)})"
        ),
    )
