"""The planner's inputs as typed: flags (--days, --slots, --rooms) and files.

Files are the delegation and unavailability CSVs, and a shortlist exported by
`coprod rank` or the TUI (CSV, JSON or JSONL). Flag values that do not parse
raise UsageError; file contents raise DataError with file:line.

The CSV files are a few rows of plain cells read with the `csv` module into
dicts: coprod.csvinput is built for catalog tables (DuckDB staging, a table
spec per file) and does not hand back Python rows.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

from coprod import LOCAL_COUNTRY
from coprod.errors import DataError, UsageError, shortened
from coprod.model import Catalog, ConsentStep, Partner
from coprod.planner.model import MAX_ROOMS, Slot, Unavailability
from coprod.safe import printable, undo_spreadsheet_safe
from coprod.shortlist import shortlist_json_records
from coprod.suggest import close_matches, suggestion

MAX_DAYS = 62
# Beyond this the model grows past what a laptop solves in seconds; no real visit needs it.
MAX_SLOTS = 2000


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)(?:m|min)?)?$")
_SLOT_RANGE = re.compile(r"^(?P<start>[^-/]+)-(?P<end>[^/]+)/(?P<length>[^+]+)(?:\+(?P<gap>.+))?$")


def _parse_date(text: str, what: str) -> date:
    text = text.strip()
    if not _DATE.match(text):
        raise UsageError(f"{what}: {text!r} is not a date (expected YYYY-MM-DD)")
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise UsageError(f"{what}: {text!r} is not a date ({error})") from None


def parse_days(text: str) -> tuple[date, ...]:
    """`2026-05-04..2026-05-06`, or dates and ranges joined by commas."""
    days: list[date] = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            raise UsageError(f"--days: empty entry in {text!r}")
        if ".." in part:
            first_text, _, last_text = part.partition("..")
            first = _parse_date(first_text, "--days")
            last = _parse_date(last_text, "--days")
            if last < first:
                raise UsageError(
                    f"--days: {part!r} runs backwards; "
                    f"write {last.isoformat()}..{first.isoformat()}"
                )
            if (last - first).days >= MAX_DAYS:
                raise UsageError(f"--days: {part!r} spans more than {MAX_DAYS} days")
            days.extend(first + timedelta(days=offset) for offset in range((last - first).days + 1))
        else:
            days.append(_parse_date(part, "--days"))
    duplicates = sorted({day for day in days if days.count(day) > 1})
    if duplicates:
        raise UsageError(f"--days: {duplicates[0].isoformat()} is given twice")
    if len(days) > MAX_DAYS:
        raise UsageError(f"--days: more than {MAX_DAYS} days")
    return tuple(sorted(days))


def _parse_clock(text: str, what: str) -> time:
    match = _CLOCK.match(text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise UsageError(f"{what}: {text.strip()!r} is not a time of day (expected HH:MM)")
    return time(int(match.group(1)), int(match.group(2)))


def _parse_minutes(text: str, what: str) -> int:
    cleaned = text.strip().lower().replace(" ", "")
    match = _DURATION.match(cleaned)
    if not cleaned or not match or not any(match.groups()):
        raise UsageError(f"{what}: {text.strip()!r} is not a duration (e.g. 45m, 1h, 1h30m)")
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def parse_slots(text: str, days: Sequence[date]) -> tuple[Slot, ...]:
    """`09:00-17:00/45m` (optionally `+15m` break between meetings), several joined by commas.

    Every day gets the same slots. Ranges must not overlap; a range must hold
    at least one meeting.
    """
    what = "--slots"
    ranges: list[tuple[int, int, int, int]] = []  # start min, end min, length, gap
    for part in (piece.strip() for piece in text.split(",")):
        match = _SLOT_RANGE.match(part)
        if not match:
            raise UsageError(
                f"{what}: {part!r} is not a slot range (expected START-END/LENGTH, "
                "e.g. 09:00-17:00/45m or 09:00-12:00/45m+15m)"
            )
        start = _parse_clock(match["start"], what)
        end = _parse_clock(match["end"], what)
        length = _parse_minutes(match["length"], what)
        gap = _parse_minutes(match["gap"], what) if match["gap"] else 0
        start_min, end_min = start.hour * 60 + start.minute, end.hour * 60 + end.minute
        if end_min <= start_min:
            raise UsageError(f"{what}: {part!r} ends before it starts")
        if length <= 0:
            raise UsageError(f"{what}: {part!r} has a zero meeting length")
        if length > end_min - start_min:
            raise UsageError(f"{what}: a {length}-minute meeting does not fit in {part!r}")
        ranges.append((start_min, end_min, length, gap))
    ranges.sort()
    for (_, first_end, _, _), (second_start, _, _, _) in zip(ranges, ranges[1:], strict=False):
        if second_start < first_end:
            raise UsageError(f"{what}: the slot ranges in {text!r} overlap")
    slots: list[Slot] = []
    for day in days:
        for start_min, end_min, length, gap in ranges:
            cursor = start_min
            while cursor + length <= end_min:
                slots.append(Slot(day, time(cursor // 60, cursor % 60), _clock(cursor + length)))
                cursor += length + gap
            if len(slots) > MAX_SLOTS:
                raise UsageError(
                    f"{what}: more than {MAX_SLOTS} slots over {len(days)} day(s); "
                    "use longer meetings or fewer days"
                )
    return tuple(slots)


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60) if minutes < 24 * 60 else time(23, 59)


def parse_rooms(value: int) -> int:
    if value < 1:
        raise UsageError(f"--rooms: need at least one room, got {value}")
    if value > MAX_ROOMS:
        raise UsageError(f"--rooms: at most {MAX_ROOMS:,}, got {value:,}")
    return value


def resolve_firms(typed: Sequence[str], catalog: Catalog) -> tuple[str, ...]:
    """Partner ids typed on the command line (--firm), checked against the catalog."""
    return tuple(resolve_partner(text, catalog, "--firm").partner_id for text in typed)


def _did_you_mean(word: str, catalog: Catalog) -> str:
    """Partner ids that look like `word`, by id or by name."""
    guesses = close_matches(word, catalog.partners)
    by_name = {partner.name: pid for pid, partner in catalog.partners.items()}
    for name in close_matches(word, by_name):
        if by_name[name] not in guesses:
            guesses.append(by_name[name])
    return suggestion(guesses[:3])


def resolve_partner(raw: str, catalog: Catalog, place: str) -> Partner:
    wanted = raw.strip()
    partner = catalog.partners.get(wanted) or catalog.partners.get(wanted.lower())
    if partner is None:
        raise DataError(
            f"{place}: unknown partner id {printable(wanted)!r}{_did_you_mean(wanted, catalog)}"
        )
    return partner


def _read_csv_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header (lower-cased) and rows with their physical line numbers; DataError if unreadable."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise DataError(f"{path}: the file is empty")
            columns = [name.strip().lower() for name in header]
            rows: list[tuple[int, dict[str, str]]] = []
            line = reader.line_num
            for values in reader:
                first_line = line + 1
                line = reader.line_num
                if not any(value.strip() for value in values):
                    continue
                if len(values) > len(columns):
                    raise DataError(
                        f"{path}:{first_line}: {len(values)} fields, the header has {len(columns)}"
                    )
                rows.append((first_line, dict(zip(columns, values, strict=False))))
    except OSError as error:
        raise DataError(f"{path}: cannot read ({error.strerror or error})") from None
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 text ({error.reason})") from None
    except csv.Error as error:
        raise DataError(f"{path}: not valid CSV ({error})") from None
    return columns, rows


def _require_columns(path: Path, columns: Sequence[str], needed: Iterable[str]) -> None:
    missing = [name for name in needed if name not in columns]
    if missing:
        raise DataError(
            f"{path}:1: missing column(s) {', '.join(missing)} "
            f"(found: {', '.join(columns) or 'none'})"
        )


def read_delegation(path: Path, catalog: Catalog) -> tuple[str, ...]:
    """Partner ids from a CSV with a `partner_id` column (other columns, e.g. name, ignored)."""
    columns, rows = _read_csv_rows(path)
    _require_columns(path, columns, ["partner_id"])
    delegation: list[str] = []
    for line, row in rows:
        raw = (row.get("partner_id") or "").strip()
        place = f"{path}:{line}"
        if not raw:
            raise DataError(f"{place}: empty partner_id")
        partner = resolve_partner(raw, catalog, place)
        if partner.country == LOCAL_COUNTRY:
            raise DataError(
                f"{place}: {partner.partner_id!r} is a {LOCAL_COUNTRY} firm; the delegation "
                "lists the visiting foreign firms"
            )
        if partner.partner_id in delegation:
            raise DataError(f"{place}: {partner.partner_id!r} is listed twice")
        delegation.append(partner.partner_id)
    if not delegation:
        raise DataError(f"{path}: the delegation file lists no partner")
    return tuple(delegation)


def read_unavailability(path: Path, catalog: Catalog) -> tuple[Unavailability, ...]:
    """Rows partner_id, date, start, end; empty start and end mean the whole day."""
    columns, rows = _read_csv_rows(path)
    _require_columns(path, columns, ["partner_id", "date", "start", "end"])
    found: list[Unavailability] = []
    for line, row in rows:
        place = f"{path}:{line}"
        partner = resolve_partner(row.get("partner_id") or "", catalog, place)
        try:
            day = _parse_date(row.get("date") or "", "date")
            start_text = (row.get("start") or "").strip()
            end_text = (row.get("end") or "").strip()
            if not start_text and not end_text:
                start, end = time(0, 0), time(23, 59, 59)
            else:
                start = _parse_clock(start_text, "start")
                end = _parse_clock(end_text, "end")
        except UsageError as error:
            raise DataError(f"{place}: {error}") from None
        if end <= start:
            raise DataError(f"{place}: end {end:%H:%M} is not after start {start:%H:%M}")
        found.append(Unavailability(partner.partner_id, day, start, end))
    return tuple(found)


@dataclass(frozen=True)
class ShortlistRow:
    """One pairing as exported by `coprod rank` or the TUI (the fields the planner needs)."""

    place: str
    requirement_id: str
    foreign_id: str
    local_id: str
    score: float
    feasibility: str
    foreign_capability: str = ""
    local_capability: str = ""
    consent_countries: tuple[str, ...] = ()
    blocked_by: tuple[str, ...] = ()
    requirement_title: str = ""  # used when the requirement is not in the catalog (ad hoc)
    consent: tuple[ConsentStep, ...] = ()  # from a JSON consent_chain, when present


def _consent_chain(value: object) -> tuple[ConsentStep, ...]:
    if not isinstance(value, list):
        return ()
    steps = []
    for item in value:
        if isinstance(item, dict) and item.get("country") and not item.get("blocks"):
            steps.append(
                ConsentStep(
                    country=str(item["country"]),
                    posture=str(item.get("posture") or "unknown"),
                    note=str(item.get("note") or ""),
                    reason=str(item.get("reason") or ""),
                    blocks=False,
                )
            )
    return tuple(steps)


def _split_countries(value: object) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(item).strip() for item in value if str(item).strip())
    text = str(value or "")
    # `coprod rank` joins lists with "; "; a hand-made file may use commas.
    separator = r"[;|]" if re.search(r"[;|]", text) else ","
    return tuple(part.strip() for part in re.split(separator, text) if part.strip())


def read_shortlist(path: Path) -> list[ShortlistRow]:
    """A CSV, JSON (a list, or an object with a list under "pairings"/"results") or JSONL file."""
    records: list[tuple[str, dict[str, object]]] = []
    if path.suffix.lower() == ".csv":
        columns, rows = _read_csv_rows(path)
        _require_columns(path, columns, ["requirement_id", "foreign_partner_id", "score"])
        records = [
            (f"{path}:{line}", {name: undo_spreadsheet_safe(value) for name, value in row.items()})
            for line, row in rows
        ]
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise DataError(f"{path}: cannot read ({error.strerror or error})") from None
        except UnicodeDecodeError as error:
            raise DataError(f"{path}: not UTF-8 text ({error.reason})") from None
        try:
            records = shortlist_json_records(path, text)
        except RecursionError:
            raise DataError(f"{path}: JSON nested too deeply to be a shortlist") from None
        except ValueError as error:  # a number of over 4,300 digits, among others
            raise DataError(f"{path}: not a readable shortlist ({shortened(str(error))})") from None
    found: list[ShortlistRow] = []
    for place, record in records:
        found.append(_shortlist_row(place, record))
    return found


def _shortlist_row(place: str, record: Mapping[str, object]) -> ShortlistRow:
    def text(name: str) -> str:
        value = record.get(name)
        return "" if value is None else str(value).strip()

    requirement_id = text("requirement_id")
    if not requirement_id:
        raise DataError(f"{place}: empty requirement_id")
    try:
        score = float(text("score"))
    except ValueError:
        raise DataError(
            f"{place}: score {shortened(printable(text('score')))!r} is not a number"
        ) from None
    if not 0 <= score <= 100:  # NaN and a 5,000-digit number (inf) included
        shown = shortened(printable(text("score")))
        raise DataError(f"{place}: score {shown!r} is outside 0..100")
    feasibility = text("feasibility") or "ok"
    if feasibility not in ("ok", "consent_required", "blocked"):
        raise DataError(
            f"{place}: feasibility {printable(feasibility)!r} "
            "is not ok, consent_required or blocked"
        )
    return ShortlistRow(
        place=place,
        requirement_id=requirement_id,
        foreign_id=text("foreign_partner_id"),
        local_id=text("local_partner_id"),
        score=score,
        feasibility=feasibility,
        foreign_capability=text("foreign_capability"),
        local_capability=text("local_capability"),
        consent_countries=_split_countries(record.get("consent_countries")),
        blocked_by=_split_countries(record.get("blocked_by")),
        requirement_title=text("requirement_title"),
        consent=_consent_chain(record.get("consent_chain")),
    )
