"""A strict RFC 4180 scanner that keeps physical line:column places, and what uses it.

DuckDB reads the rows; this scanner runs only where something is wrong (the
header, the records that have problems, a file DuckDB refused) to turn "row
41,237, column capability" into the `line:column` of the file: a quoted field
with embedded newlines spans several lines, so row numbers and line numbers differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from coprod.errors import Problem

# Documented limits (data/README.md "Limits"), each a file:line:column error, never
# a silent drop. DuckDB refuses a record over its max_line_size (2,000,000 bytes)
# without saying where, and can drop a huge cell silently: lines are checked first.
MAX_LINE_BYTES = 1_000_000  # one physical line
MAX_RECORD_BYTES = 2_000_000  # one record, quoted line breaks included (DuckDB's limit)
MAX_FIELDS = 1_000  # columns in the header


@dataclass(frozen=True)
class Header:
    """The columns of one input file, in file order, as stored (core names casefolded)."""

    names: tuple[str, ...]
    places: tuple[tuple[int, int], ...]  # (line, column) of each header cell

    def index(self, column: str) -> int:
        return self.names.index(column)


# Like DuckDB, a quote inside a field that does not start with one is a literal character.
_PLAIN = re.compile(r"[^,\r\n]*")  # one character class, no alternation: linear


def quoted_end(text: str, start: int) -> int:
    """End (after the closing quote) of the quoted field opening at `start`; -1 if unclosed.

    A loop over `str.find`, linear in the field: a pattern such as
    `"(?:[^"]+|"")*"` backtracks exponentially on an unterminated quote.
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

        Such lines are most of a catalog, and the field loop in Python is what
        makes locating a problem near the end of a big file slow. Lines with quotes
        go through the field-by-field scan, which also says exactly what is wrong
        with bad quoting and where.
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
