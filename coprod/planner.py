"""Delegation planner: turn the best pairings into a B2B meeting schedule.

A delegation of foreign firms visits Taiwan for a few days. Each meeting puts
one delegation member and one Taiwanese co-producer in a room for one slot and
covers every requirement the two firms share among the pairings considered.

Model (solved with OR-Tools CP-SAT, imported lazily; a greedy pass runs in the
same call as the baseline and as the solver's starting hint):

- x[c, s] = 1 when candidate meeting c is held in slot s; a variable exists
  only where both firms are available in s.
- each pair meets at most once; no firm is in two meetings in one slot; at most
  `rooms` meetings per slot; blocked pairings are never candidates.
- maximise the sum of meeting values. With `min_meetings` N, first maximise
  the meetings counted towards "every delegation member gets N" (a member's
  meetings beyond N do not count), then maximise value keeping that coverage
  (two CP-SAT solves; the reported solver bound is for the second).

Value of a meeting = sum over the requirements it covers of
``score x PRIORITY_WEIGHTS[priority]`` (high 9, medium 3, low 1): a
high-priority requirement matched at score 34 outweighs any medium one, so
priority requirements come first, and within a priority the better-scored
pairing wins. Pairings needing export consent are scheduled like the others
(talks are legal; the export needs the consent) and marked on the agenda with
the governments named.

How close to the best possible: CP-SAT's proven bound (equal to the value when
the status is "optimal"), and a simple bound computed without a solver: the
least of (a) the best `rooms x slots` meeting values, (b) for every delegation
member, the sum of its best values up to its number of free slots, and (c) the
same for the Taiwanese firms.

Among plans of equal value the solver picks any; the chosen meetings are then
moved to the earliest slots where both firms and a room are free (same
meetings, same value), so agendas are packed into the first slots and days.
Rooms are interchangeable, so they are numbered after solving, keeping a
Taiwanese host in the same room through a day where it can.

This module is core: no printing, no textual; errors are coprod.errors types
(UsageError for flag values, DataError for file contents, with file:line).
"""

from __future__ import annotations

import csv
import difflib
import json
import re
import time as timer
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TextIO

from coprod import LOCAL_COUNTRY
from coprod.errors import DataError, UsageError
from coprod.feasibility import Verdict, assess
from coprod.model import CapabilityColumns, Catalog, ConsentStep, Pairing, Partner, Requirement
from coprod.safe import (
    csv_text,
    json_text,
    markdown_text,
    printable,
    undo_spreadsheet_safe,
)

PRIORITY_WEIGHTS: dict[str, int] = {"high": 9, "medium": 3, "low": 1}
# CP-SAT needs integer coefficients: values are kept to one decimal.
_VALUE_SCALE = 10
MAX_DAYS = 62
# Beyond this the model grows past what a laptop solves in seconds; no real visit needs it.
MAX_SLOTS = 2000


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, order=True)
class Slot:
    """One meeting slot; times are local (Asia/Taipei) wall-clock times."""

    day: date
    start: time
    end: time

    @property
    def label(self) -> str:
        return f"{self.day.isoformat()} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.day, self.start)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.day, self.end)


@dataclass(frozen=True)
class Unavailability:
    """A firm cannot meet on `day` between `start` and `end` (local times)."""

    partner_id: str
    day: date
    start: time
    end: time

    def overlaps(self, slot: Slot) -> bool:
        return slot.day == self.day and slot.start < self.end and self.start < slot.end


@dataclass(frozen=True)
class Topic:
    """One requirement a meeting covers: the pairing that brought the two firms together."""

    requirement_id: str
    requirement_title: str
    priority: str
    score: float
    feasibility: str  # ok | consent_required
    foreign_capability: str
    local_capability: str
    consent: tuple[ConsentStep, ...] = ()

    @property
    def value(self) -> float:
        return self.score * PRIORITY_WEIGHTS.get(self.priority, 1)


@dataclass(frozen=True)
class Candidate:
    """A meeting that could be held: a delegation member and a Taiwanese firm."""

    foreign_id: str
    local_id: str
    topics: tuple[Topic, ...]

    @property
    def value(self) -> float:
        return round(sum(topic.value for topic in self.topics), 1)

    @property
    def consent_countries(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for topic in self.topics:
            for step in topic.consent:
                if not step.blocks:
                    seen.setdefault(step.country, None)
        return tuple(seen)

    @property
    def key(self) -> tuple[str, str]:
        return (self.foreign_id, self.local_id)


@dataclass(frozen=True)
class Excluded:
    """A pairing never offered to the scheduler, and why."""

    requirement_id: str
    foreign_id: str
    local_id: str
    reason: str


@dataclass(frozen=True)
class PlanRequest:
    delegation: tuple[str, ...]  # foreign partner ids
    slots: tuple[Slot, ...]  # sorted, non-overlapping
    rooms: int
    unavailable: tuple[Unavailability, ...] = ()
    # Give every delegation member this many meetings where the schedule allows,
    # before maximising value (0 = value alone decides).
    min_meetings: int = 0


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Meeting:
    candidate: Candidate
    slot: Slot
    room: int  # 1-based


@dataclass(frozen=True)
class Unscheduled:
    candidate: Candidate
    reason: str


@dataclass(frozen=True)
class PlanResult:
    request: PlanRequest
    partners: Mapping[str, Partner]
    meetings: tuple[Meeting, ...]  # by slot, then room
    unscheduled: tuple[Unscheduled, ...]  # by value, best first
    excluded: tuple[Excluded, ...]
    value: float
    greedy_value: float
    greedy_meetings: int
    simple_bound: float
    solver_bound: float | None  # None when the solver did not run
    status: str  # optimal | feasible | greedy (solver found nothing better) | empty
    solve_seconds: float
    warnings: tuple[str, ...] = ()
    greedy_members_met: int = 0
    # When set (see for_firms), exports show only these firms' agendas.
    focus: tuple[str, ...] = ()

    @property
    def best_bound(self) -> float:
        bounds = [self.simple_bound]
        if self.solver_bound is not None:
            bounds.append(self.solver_bound)
        return max(self.value, min(bounds))

    @property
    def gap(self) -> float:
        """Share of the best possible value this plan may still miss (0 = proven optimal)."""
        if self.status == "optimal" or self.best_bound <= 0:
            return 0.0
        return max(0.0, (self.best_bound - self.value) / self.best_bound)

    def name(self, partner_id: str) -> str:
        partner = self.partners.get(partner_id)
        return partner.name if partner else partner_id

    def agenda(self, partner_id: str) -> list[Meeting]:
        return [
            meeting
            for meeting in self.meetings
            if partner_id in (meeting.candidate.foreign_id, meeting.candidate.local_id)
        ]

    @property
    def members_met(self) -> int:
        """Delegation members with at least one meeting."""
        return len({meeting.candidate.foreign_id for meeting in self.meetings})

    def _in_focus(self, *firms: str) -> bool:
        return not self.focus or any(firm in self.focus for firm in firms)

    @property
    def shown_meetings(self) -> tuple[Meeting, ...]:
        """The meetings exports show: all, or those of the focus firms."""
        return tuple(m for m in self.meetings if self._in_focus(*m.candidate.key))

    @property
    def shown_unscheduled(self) -> tuple[Unscheduled, ...]:
        return tuple(u for u in self.unscheduled if self._in_focus(*u.candidate.key))

    @property
    def shown_excluded(self) -> tuple[Excluded, ...]:
        return tuple(e for e in self.excluded if self._in_focus(e.foreign_id, e.local_id))

    def firms(self) -> list[str]:
        """Delegation members first (in delegation order), then Taiwanese firms met, by name."""
        if self.focus:
            return list(self.focus)
        locals_met = {meeting.candidate.local_id for meeting in self.meetings}
        return list(self.request.delegation) + sorted(locals_met, key=self.name)


def for_firms(result: PlanResult, firm_ids: Sequence[str]) -> PlanResult:
    """The same plan, its exports limited to the meetings and agendas of `firm_ids`.

    The summary figures still describe the whole plan.
    """
    return replace(result, focus=tuple(dict.fromkeys(firm_ids)))


def resolve_firms(typed: Sequence[str], catalog: Catalog) -> tuple[str, ...]:
    """Partner ids typed on the command line (--firm), checked against the catalog."""
    return tuple(_resolve_partner(text, catalog, "--firm").partner_id for text in typed)


# --------------------------------------------------------------------------- flag parsing

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


# Bounds on the request (documented in the README): beyond them the work (rooms
# listed per slot, rounds of the greedy baseline) grows for nothing.
MAX_ROOMS = 1_000
MAX_MIN_MEETINGS = 1_000
MAX_SEED = 2**31 - 1  # CP-SAT's random_seed is a 32-bit integer
MAX_WORKERS = 256


def parse_rooms(value: int) -> int:
    if value < 1:
        raise UsageError(f"--rooms: need at least one room, got {value}")
    if value > MAX_ROOMS:
        raise UsageError(f"--rooms: at most {MAX_ROOMS:,}, got {value:,}")
    return value


# --------------------------------------------------------------------------- file reading


def _did_you_mean(word: str, catalog: Catalog) -> str:
    ids = list(catalog.partners)
    by_name = {partner.name.casefold(): pid for pid, partner in catalog.partners.items()}
    guesses = difflib.get_close_matches(word.casefold(), ids, n=3, cutoff=0.6)
    for name in difflib.get_close_matches(word.casefold(), list(by_name), n=3, cutoff=0.6):
        if by_name[name] not in guesses:
            guesses.append(by_name[name])
    if not guesses:
        return ""
    return "; did you mean " + " or ".join(repr(guess) for guess in guesses[:3]) + "?"


def _resolve_partner(raw: str, catalog: Catalog, place: str) -> Partner:
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
        partner = _resolve_partner(raw, catalog, place)
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
        partner = _resolve_partner(row.get("partner_id") or "", catalog, place)
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


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unformula(cell: str) -> str:
    """Undo coprod.safe.spreadsheet_safe on a CSV cell read back."""
    return undo_spreadsheet_safe(cell)


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
            (f"{path}:{line}", {name: _unformula(value) for name, value in row.items()})
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
            records = _json_records(path, text)
        except RecursionError:
            raise DataError(f"{path}: JSON nested too deeply to be a shortlist") from None
        except ValueError as error:  # a number of over 4,300 digits, among others
            raise DataError(f"{path}: not a readable shortlist ({_short(str(error))})") from None
    found: list[ShortlistRow] = []
    for place, record in records:
        found.append(_shortlist_row(place, record))
    return found


def _json_records(path: Path, text: str) -> list[tuple[str, dict[str, object]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as whole_error:
        # JSONL: one object per line.
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                raise DataError(
                    f"{path}:{whole_error.lineno}:{whole_error.colno}: not valid JSON "
                    f"({whole_error.msg})"
                ) from None
            if not isinstance(item, dict):
                raise DataError(f"{path}:{number}: expected a JSON object per line") from None
            records.append((f"{path}:{number}", item))
        return records
    if isinstance(data, dict):
        for key in ("pairings", "results", "shortlist"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list):
        raise DataError(f"{path}: expected a list of pairings")
    records = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise DataError(f"{path}: pairing #{index} is not an object")
        records.append((f"{path}: pairing #{index}", item))
    return records


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
            f"{place}: score {_short(printable(text('score')))!r} is not a number"
        ) from None
    if not 0 <= score <= 100:  # NaN and a 5,000-digit number (inf) included
        shown = _short(printable(text("score")))
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


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class CandidateSet:
    candidates: tuple[Candidate, ...]
    excluded: tuple[Excluded, ...]
    notes: tuple[str, ...] = ()  # e.g. a file's feasibility claim the catalog contradicts


def _requirement_facts(
    catalog: Catalog, requirement_id: str, extra: Mapping[str, Requirement] | None = None
) -> tuple[str, str]:
    requirement = catalog.requirements.get(requirement_id) or (extra or {}).get(requirement_id)
    if requirement is None:
        return requirement_id, "medium"
    return requirement.title, requirement.priority


def candidates_from_pairings(
    pairings: Iterable[Pairing],
    catalog: Catalog,
    delegation: Sequence[str],
    top: int | None = None,
    requirements: Mapping[str, Requirement] | None = None,
) -> CandidateSet:
    """Group pairings by (delegation member, Taiwanese firm).

    `requirements` names requirements the catalog lacks (ad hoc ones from the
    TUI), for their titles and priorities.

    Keeps, per requirement, the first `top` schedulable pairings (in rank order)
    whose foreign partner is in the delegation. Blocked pairings, and those with
    no Taiwanese co-producer, ranked above the last one kept are listed as
    excluded, with the governments that block.
    """
    members = set(delegation)
    excluded: list[Excluded] = []
    kept_per_requirement: dict[str, int] = defaultdict(int)
    topics: dict[tuple[str, str], dict[str, Topic]] = {}
    ordered = sorted(pairings, key=lambda p: (p.requirement_id, p.rank, -p.score))
    for pairing in ordered:
        if pairing.foreign is None or pairing.foreign.partner_id not in members:
            continue
        if top is not None and kept_per_requirement[pairing.requirement_id] >= top:
            continue
        foreign_id = pairing.foreign.partner_id
        local_id = pairing.local.partner_id if pairing.local else ""
        if pairing.feasibility == "blocked":
            blockers = ", ".join(pairing.blocked_by) or "a government"
            excluded.append(
                Excluded(pairing.requirement_id, foreign_id, local_id, f"blocked by {blockers}")
            )
            continue
        if pairing.local is None:
            excluded.append(
                Excluded(pairing.requirement_id, foreign_id, "", "no Taiwanese co-producer fits")
            )
            continue
        kept_per_requirement[pairing.requirement_id] += 1
        title, priority = _requirement_facts(catalog, pairing.requirement_id, requirements)
        topic = Topic(
            requirement_id=pairing.requirement_id,
            requirement_title=title,
            priority=priority,
            score=round(pairing.score, 1),
            feasibility=pairing.feasibility,
            foreign_capability=pairing.foreign.capability,
            local_capability=pairing.local.capability,
            consent=tuple(step for step in pairing.consent_chain if not step.blocks),
        )
        _add_topic(topics, (foreign_id, local_id), topic)
    return CandidateSet(_candidates(topics), tuple(excluded))


def candidates_from_shortlist(
    rows: Iterable[ShortlistRow], catalog: Catalog, delegation: Sequence[str] | None
) -> CandidateSet:
    """Candidates from an exported shortlist; rows of non-members are skipped.

    Every id must be in the catalog and the local firm must be Taiwanese.
    `delegation` None = every foreign firm in the shortlist is a member.
    """
    members = set(delegation) if delegation is not None else None
    excluded: list[Excluded] = []
    notes: list[str] = []
    topics: dict[tuple[str, str], dict[str, Topic]] = {}
    rows = list(rows)
    systems = _systems_of_lines(catalog, {row.foreign_id for row in rows if row.foreign_id})
    for row in rows:
        if not row.foreign_id:
            continue  # a local-only candidate: nobody from the delegation to meet
        foreign = _resolve_partner(row.foreign_id, catalog, row.place)
        if foreign.country == LOCAL_COUNTRY:
            raise DataError(
                f"{row.place}: foreign_partner_id {foreign.partner_id!r} is a {LOCAL_COUNTRY} firm"
            )
        if members is not None and foreign.partner_id not in members:
            continue
        if not row.local_id:
            excluded.append(
                Excluded(row.requirement_id, foreign.partner_id, "", "no Taiwanese co-producer")
            )
            continue
        local = _resolve_partner(row.local_id, catalog, row.place)
        if local.country != LOCAL_COUNTRY:
            raise DataError(
                f"{row.place}: local_partner_id {local.partner_id!r} is in "
                f"{printable(local.country)}, not {LOCAL_COUNTRY}"
            )
        # Never trust the file's verdict: the catalog decides (a pairing marked "ok"
        # whose supplier the catalog blocks is not scheduled), and a difference is said.
        verdict = _recomputed_verdict(catalog, foreign, row, systems)
        if verdict.feasibility != row.feasibility:
            notes.append(
                f"{row.place}: the file says {row.feasibility}, the catalog says "
                f"{verdict.feasibility}; the catalog's verdict is used"
            )
        if verdict.blocked:
            blockers = [step.country for step in verdict.chain if step.blocks]
            reason = "blocked by " + ", ".join(blockers) if blockers else "blocked"
            excluded.append(
                Excluded(row.requirement_id, foreign.partner_id, local.partner_id, reason)
            )
            continue
        title, priority = _requirement_facts(catalog, row.requirement_id)
        if row.requirement_id not in catalog.requirements and row.requirement_title:
            title = row.requirement_title
        consent = verdict.chain
        topic = Topic(
            requirement_id=row.requirement_id,
            requirement_title=title,
            priority=priority,
            score=round(row.score, 1),
            feasibility=verdict.feasibility,
            foreign_capability=row.foreign_capability,
            local_capability=row.local_capability,
            consent=consent,
        )
        _add_topic(topics, (foreign.partner_id, local.partner_id), topic)
    return CandidateSet(_candidates(topics), tuple(excluded), tuple(notes))


def _systems_of_lines(catalog: Catalog, partner_ids: set[str]) -> dict[str, dict[str, str]]:
    """partner id -> capability line text -> its named system, for these partners."""
    columns = CapabilityColumns.of(catalog.capabilities).columns
    found: dict[str, dict[str, str]] = {pid: {} for pid in partner_ids}
    for pid, line, system in zip(
        columns["partner_id"], columns["capability"], columns["system"], strict=True
    ):
        if pid in found:
            found[pid].setdefault(line.strip(), system)
    return found


def _recomputed_verdict(
    catalog: Catalog, foreign: Partner, row: ShortlistRow, systems: dict[str, dict[str, str]]
) -> Verdict:
    """The catalog's verdict on a shortlisted pairing.

    The matched line (by its text) gives the named system whose co-developers must
    consent. A line the catalog does not hold (an ad-hoc or edited file) gives the
    supplier's own verdict, made no milder than the file's claim.
    """
    lines = systems.get(foreign.partner_id, {})
    line = row.foreign_capability.strip()
    if line in lines:
        return assess(catalog, foreign, lines[line])
    verdict = assess(catalog, foreign)
    severity = {"ok": 0, "consent_required": 1, "blocked": 2}
    if severity[row.feasibility] > severity[verdict.feasibility]:
        if row.feasibility == "blocked":
            steps = tuple(
                replace(
                    _consent_step(catalog, country), reason="named in the shortlist", blocks=True
                )
                for country in row.blocked_by
            )
        else:
            steps = row.consent or tuple(
                _consent_step(catalog, country) for country in row.consent_countries
            )
        return Verdict(row.feasibility, steps or verdict.chain)
    return verdict


def _consent_step(catalog: Catalog, country: str) -> ConsentStep:
    posture = catalog.posture_of(country)
    return ConsentStep(
        country=country,
        posture=posture.posture if posture else "unknown",
        note=posture.note if posture else "",
        reason="named in the shortlist",
        blocks=False,
    )


def _add_topic(
    topics: dict[tuple[str, str], dict[str, Topic]], key: tuple[str, str], topic: Topic
) -> None:
    by_requirement = topics.setdefault(key, {})
    known = by_requirement.get(topic.requirement_id)
    if known is None or topic.score > known.score:
        by_requirement[topic.requirement_id] = topic


def _candidates(topics: Mapping[tuple[str, str], Mapping[str, Topic]]) -> tuple[Candidate, ...]:
    found = [
        Candidate(
            foreign_id,
            local_id,
            tuple(sorted(by_requirement.values(), key=lambda t: (-t.value, t.requirement_id))),
        )
        for (foreign_id, local_id), by_requirement in topics.items()
    ]
    return tuple(sorted(found, key=lambda c: (-c.value, c.foreign_id, c.local_id)))


def ranked_pairings(
    catalog: Catalog,
    delegation: Sequence[str],
    top: int,
    *,
    cache_path: Path | None = None,
    workers: int = 1,
) -> list[Pairing]:
    """The ranker's pairings with delegation members, deep enough to fill `top` per requirement.

    `cache_path`: the catalog's DuckDB file, to reuse its persisted matching index;
    `workers` > 1 ranks in that many processes (coprod.batch; same results).
    """
    from coprod.batch import rank_many
    from coprod.ranking import Ranker, RankOptions

    countries = tuple(sorted({catalog.partners[pid].country for pid in delegation}))
    options = RankOptions(
        top=max(top * 5, 50),
        per_partner=max(top, 2),
        countries=countries,
    )
    ranker = Ranker(catalog, cache_path=cache_path)
    requirements = list(catalog.requirements.values())
    results = rank_many(ranker, requirements, options, workers=workers)
    return [pairing for pairings in results.values() for pairing in pairings]


# --------------------------------------------------------------------------- solving


def _free_slots(request: PlanRequest, candidate: Candidate) -> list[int]:
    blocked_by_firm: dict[str, list[Unavailability]] = defaultdict(list)
    for busy in request.unavailable:
        blocked_by_firm[busy.partner_id].append(busy)
    return [
        index
        for index, slot in enumerate(request.slots)
        if not any(
            busy.overlaps(slot) for firm in candidate.key for busy in blocked_by_firm.get(firm, ())
        )
    ]


def _scaled(value: float) -> int:
    return int(round(value * _VALUE_SCALE))


def greedy_schedule(
    request: PlanRequest, candidates: Sequence[Candidate], free: Sequence[Sequence[int]]
) -> dict[int, int]:
    """Baseline: best value first, each in the earliest slot with both firms and a room free.

    With `min_meetings`, first rounds give each member (fewest options first)
    its best meeting that still fits, then the rest go by value.
    """
    busy: set[tuple[str, int]] = set()
    used_rooms: dict[int, int] = defaultdict(int)
    chosen: dict[int, int] = {}

    def place(index: int) -> bool:
        key = candidates[index].key
        for slot in free[index]:
            if used_rooms[slot] < request.rooms and not any((f, slot) in busy for f in key):
                chosen[index] = slot
                used_rooms[slot] += 1
                busy.update((firm, slot) for firm in key)
                return True
        return False

    order = sorted(range(len(candidates)), key=lambda i: (-candidates[i].value, candidates[i].key))
    if request.min_meetings:
        by_member: dict[str, list[int]] = defaultdict(list)
        for index in order:
            by_member[candidates[index].foreign_id].append(index)
        position = {member: n for n, member in enumerate(request.delegation)}
        members = sorted(by_member, key=lambda m: (len(by_member[m]), position.get(m, 0), m))
        met: dict[str, int] = defaultdict(int)
        # No member can meet more often than there are slots.
        for _ in range(min(request.min_meetings, len(request.slots))):
            for member in members:
                for index in by_member[member]:
                    if index not in chosen and place(index):
                        met[member] += 1
                        break
    for index in order:
        if index not in chosen:
            place(index)
    return chosen


def coverage(
    request: PlanRequest, candidates: Sequence[Candidate], chosen: Mapping[int, int]
) -> int:
    """Meetings counted towards `min_meetings`: per member, at most that many."""
    if not request.min_meetings:
        return 0
    per_member: dict[str, int] = defaultdict(int)
    for index in chosen:
        per_member[candidates[index].foreign_id] += 1
    return sum(min(count, request.min_meetings) for count in per_member.values())


def simple_upper_bound(
    request: PlanRequest, candidates: Sequence[Candidate], free: Sequence[Sequence[int]]
) -> float:
    """A bound no schedule can beat, computed without a solver (see the module docstring)."""
    usable = [i for i in range(len(candidates)) if free[i]]
    values = sorted((candidates[i].value for i in usable), reverse=True)
    bounds = [sum(values[: request.rooms * len(request.slots)])]
    for side in (0, 1):
        by_firm: dict[str, list[int]] = defaultdict(list)
        for i in usable:
            by_firm[candidates[i].key[side]].append(i)
        total = 0.0
        for indices in by_firm.values():
            firm_free = set().union(*(free[i] for i in indices))
            firm_values = sorted((candidates[i].value for i in indices), reverse=True)
            total += sum(firm_values[: len(firm_free)])
        bounds.append(total)
    return round(min(bounds), 1)


@dataclass
class _SolverOutcome:
    chosen: dict[int, int]
    status: str
    bound: float | None
    seconds: float
    notes: list[str] = field(default_factory=list)


def _solve_cp_sat(
    request: PlanRequest,
    candidates: Sequence[Candidate],
    free: Sequence[Sequence[int]],
    hint: Mapping[int, int],
    time_limit: float,
    num_workers: int,
    seed: int,
) -> _SolverOutcome:
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    variables: dict[tuple[int, int], object] = {}
    by_firm_slot: dict[tuple[str, int], list[object]] = defaultdict(list)
    by_slot: dict[int, list[object]] = defaultdict(list)
    by_member: dict[str, list[object]] = defaultdict(list)
    objective = []
    for index, candidate in enumerate(candidates):
        weight = _scaled(candidate.value)
        for slot in free[index]:
            var = model.new_bool_var(f"m{index}s{slot}")
            variables[(index, slot)] = var
            by_firm_slot[(candidate.foreign_id, slot)].append(var)
            by_firm_slot[(candidate.local_id, slot)].append(var)
            by_slot[slot].append(var)
            by_member[candidate.foreign_id].append(var)
            objective.append(weight * var)
        if len(free[index]) > 1:
            model.add_at_most_one(variables[(index, slot)] for slot in free[index])
    for group in by_firm_slot.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    for group in by_slot.values():
        if len(group) > request.rooms:
            model.add(sum(group) <= request.rooms)

    def set_hint(chosen: Mapping[int, int]) -> None:
        model.clear_hints()
        for (index, slot), var in variables.items():
            model.add_hint(var, chosen.get(index) == slot)

    def solve(limit: float) -> tuple[object, int, float]:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, limit)
        solver.parameters.num_workers = max(1, num_workers)
        solver.parameters.random_seed = seed
        started = timer.perf_counter()
        status = solver.solve(model)
        return solver, status, timer.perf_counter() - started

    def chosen_by(solver) -> dict[int, int]:
        return {index: slot for (index, slot), var in variables.items() if solver.value(var)}

    seconds = 0.0
    proven = True
    set_hint(hint)
    if request.min_meetings:
        # Phase 1: as many members as possible get their meetings; phase 2 keeps
        # that coverage and maximises value.
        covered = []
        for group in by_member.values():
            count = model.new_int_var(0, min(request.min_meetings, len(group)), "covered")
            model.add(count <= sum(group))
            covered.append(count)
        model.maximize(sum(covered))
        solver, status, seconds = solve(time_limit / 3)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return _SolverOutcome({}, "unsolved", None, seconds, [solver.status_name(status)])
        proven = status == cp_model.OPTIMAL
        model.add(sum(covered) >= round(solver.objective_value))
        set_hint(chosen_by(solver))
    model.maximize(sum(objective))
    solver, status, more = solve(time_limit - seconds)
    seconds += more
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _SolverOutcome({}, "unsolved", None, seconds, [solver.status_name(status)])
    proven = proven and status == cp_model.OPTIMAL
    return _SolverOutcome(
        chosen_by(solver),
        "optimal" if proven else "feasible",
        round(solver.best_objective_bound / _VALUE_SCALE, 1),
        seconds,
    )


def compact_schedule(
    request: PlanRequest,
    candidates: Sequence[Candidate],
    free: Sequence[Sequence[int]],
    chosen: Mapping[int, int],
) -> dict[int, int]:
    """Move meetings to earlier slots while both firms and a room are free there.

    The solver is indifferent between equal-value plans and scatters meetings;
    agendas read better packed into the mornings and first days. The value is
    unchanged: the same meetings are held.
    """
    placed = dict(chosen)
    busy = {(firm, slot) for index, slot in placed.items() for firm in candidates[index].key}
    used_rooms: dict[int, int] = defaultdict(int)
    for slot in placed.values():
        used_rooms[slot] += 1
    moved = True
    while moved:
        moved = False
        for index in sorted(placed, key=lambda i: (placed[i], candidates[i].key)):
            current = placed[index]
            key = candidates[index].key
            for slot in free[index]:
                if slot >= current:
                    break
                if used_rooms[slot] >= request.rooms or any((f, slot) in busy for f in key):
                    continue
                busy.difference_update((firm, current) for firm in key)
                busy.update((firm, slot) for firm in key)
                used_rooms[current] -= 1
                used_rooms[slot] += 1
                placed[index] = slot
                moved = True
                break
    return placed


def _rank_of(
    request: PlanRequest, chosen: Mapping[int, int], candidates: Sequence[Candidate]
) -> tuple[int, float]:
    """Plans compare by coverage of `min_meetings` first, then by value."""
    return coverage(request, candidates, chosen), _value_of(chosen, candidates)


def _value_of(chosen: Mapping[int, int], candidates: Sequence[Candidate]) -> float:
    return round(sum(candidates[index].value for index in chosen) + 0.0, 1)


def plan(
    request: PlanRequest,
    candidate_set: CandidateSet,
    partners: Mapping[str, Partner],
    *,
    time_limit: float = 10.0,
    num_workers: int = 2,
    seed: int = 0,
    use_solver: bool = True,
) -> PlanResult:
    """Schedule the candidates; CP-SAT when `use_solver`, always with the greedy baseline."""
    if request.rooms < 1:
        raise UsageError(f"rooms: need at least one room, got {request.rooms}")
    if request.rooms > MAX_ROOMS:
        raise UsageError(f"rooms: at most {MAX_ROOMS:,}, got {request.rooms:,}")
    if request.min_meetings < 0:
        raise UsageError(f"min meetings: cannot be negative, got {request.min_meetings}")
    if request.min_meetings > MAX_MIN_MEETINGS:
        raise UsageError(
            f"min meetings: at most {MAX_MIN_MEETINGS:,}, got {request.min_meetings:,}"
        )
    if not 0 <= seed <= MAX_SEED:
        raise UsageError(f"seed: must be 0..{MAX_SEED}, got {seed}")
    if not 1 <= num_workers <= MAX_WORKERS:
        raise UsageError(f"solver workers: must be 1..{MAX_WORKERS}, got {num_workers}")
    if not request.slots:
        raise UsageError("no meeting slots: check --days and --slots")
    candidates = candidate_set.candidates
    free = [_free_slots(request, candidate) for candidate in candidates]
    greedy = greedy_schedule(request, candidates, free)
    greedy_value = _value_of(greedy, candidates)
    bound = simple_upper_bound(request, candidates, free)
    warnings: list[str] = []
    chosen, status, solver_bound, seconds = greedy, "greedy", None, 0.0
    if use_solver and any(free):
        outcome = _solve_cp_sat(request, candidates, free, greedy, time_limit, num_workers, seed)
        seconds = outcome.seconds
        solver_bound = outcome.bound
        if outcome.status == "unsolved":
            warnings.append(
                f"the solver found no schedule ({', '.join(outcome.notes)}); "
                "showing the greedy plan"
            )
        elif _rank_of(request, outcome.chosen, candidates) >= _rank_of(request, greedy, candidates):
            chosen = compact_schedule(request, candidates, free, outcome.chosen)
            status = outcome.status
        else:
            warnings.append("the solver stopped before matching the greedy plan; showing greedy")
    elif not any(free):
        status = "empty"
    meetings = _assign_rooms(request, candidates, chosen)
    unscheduled = _explain_unscheduled(request, candidates, free, chosen, status)
    warnings.extend(candidate_set.notes)
    warnings.extend(_delegation_warnings(request, candidate_set, partners))
    return PlanResult(
        request=request,
        partners=partners,
        meetings=meetings,
        unscheduled=unscheduled,
        excluded=candidate_set.excluded,
        value=_value_of(chosen, candidates),
        greedy_value=greedy_value,
        greedy_meetings=len(greedy),
        greedy_members_met=len({candidates[index].foreign_id for index in greedy}),
        simple_bound=bound,
        solver_bound=solver_bound,
        status=status,
        solve_seconds=round(seconds, 3),
        warnings=tuple(warnings),
    )


def _delegation_warnings(
    request: PlanRequest, candidate_set: CandidateSet, partners: Mapping[str, Partner]
) -> list[str]:
    with_candidates = {candidate.foreign_id for candidate in candidate_set.candidates}
    notes = []
    for member in request.delegation:
        if member not in with_candidates:
            name = partners[member].name if member in partners else member
            reasons = sorted({e.reason for e in candidate_set.excluded if e.foreign_id == member})
            why = f" ({'; '.join(reasons)})" if reasons else " among the pairings considered"
            notes.append(f"{name} ({member}): no schedulable pairing with a Taiwanese firm{why}")
    visit_days = {slot.day for slot in request.slots}
    for busy in request.unavailable:
        if busy.day not in visit_days:
            notes.append(
                f"unavailability of {busy.partner_id} on {busy.day.isoformat()} "
                "is outside the visit"
            )
    return notes


def _assign_rooms(
    request: PlanRequest, candidates: Sequence[Candidate], chosen: Mapping[int, int]
) -> tuple[Meeting, ...]:
    by_slot: dict[int, list[Candidate]] = defaultdict(list)
    for index, slot in chosen.items():
        by_slot[slot].append(candidates[index])
    meetings: list[Meeting] = []
    host_room: dict[tuple[date, str], int] = {}  # keep a Taiwanese host in one room per day
    for slot_index in sorted(by_slot):
        slot = request.slots[slot_index]
        free_rooms = list(range(1, request.rooms + 1))
        placed: list[tuple[Candidate, int]] = []
        waiting = []
        for candidate in sorted(by_slot[slot_index], key=lambda c: c.key):
            room = host_room.get((slot.day, candidate.local_id))
            if room in free_rooms:
                free_rooms.remove(room)
                placed.append((candidate, room))
            else:
                waiting.append(candidate)
        for candidate in waiting:
            room = free_rooms.pop(0)
            host_room[(slot.day, candidate.local_id)] = room
            placed.append((candidate, room))
        meetings.extend(Meeting(candidate, slot, room) for candidate, room in placed)
    return tuple(sorted(meetings, key=lambda m: (m.slot, m.room)))


def _explain_unscheduled(
    request: PlanRequest,
    candidates: Sequence[Candidate],
    free: Sequence[Sequence[int]],
    chosen: Mapping[int, int],
    status: str = "feasible",
) -> tuple[Unscheduled, ...]:
    busy: dict[tuple[str, int], bool] = {}
    used_rooms: dict[int, int] = defaultdict(int)
    for index, slot in chosen.items():
        used_rooms[slot] += 1
        for firm in candidates[index].key:
            busy[(firm, slot)] = True
    found = []
    for index, candidate in enumerate(candidates):
        if index in chosen:
            continue
        foreign_id, local_id = candidate.key
        if not free[index]:
            reason = "no slot where both firms are available"
        else:
            both_free = [
                slot
                for slot in free[index]
                if not busy.get((foreign_id, slot)) and not busy.get((local_id, slot))
            ]
            if any(used_rooms[slot] < request.rooms for slot in both_free):
                reason = (
                    "adds no value to the plan"
                    if status == "optimal"
                    else "a slot and a room were free: the solver stopped at its time limit"
                )
            elif both_free:
                reason = f"rooms full in all {len(both_free)} slot(s) where both firms are free"
            else:
                foreign_busy = sum(1 for slot in free[index] if busy.get((foreign_id, slot)))
                local_busy = sum(1 for slot in free[index] if busy.get((local_id, slot)))
                common = len(free[index])
                fully_booked = [
                    firm
                    for firm, count in ((foreign_id, foreign_busy), (local_id, local_busy))
                    if count == common
                ]
                if fully_booked:
                    reason = (
                        f"{fully_booked[0]} is in other meetings in all {common} slot(s) "
                        "where both firms are available"
                    )
                else:
                    reason = (
                        f"in each of the {common} slot(s) where both are available, one of "
                        f"them is in another meeting ({foreign_id} in {foreign_busy}, "
                        f"{local_id} in {local_busy})"
                    )
        found.append(Unscheduled(candidate, reason))
    return tuple(found)


# --------------------------------------------------------------------------- exports

CSV_FIELDS: tuple[str, ...] = (
    "date",
    "start",
    "end",
    "room",
    "foreign_partner_id",
    "foreign_partner",
    "foreign_country",
    "local_partner_id",
    "local_partner",
    "value",
    "requirement_ids",
    "requirements",
    "foreign_capabilities",
    "local_capabilities",
    "feasibility",
    "consent_countries",
)


def _country(result: PlanResult, partner_id: str) -> str:
    partner = result.partners.get(partner_id)
    return partner.country if partner else ""


def meeting_feasibility(candidate: Candidate) -> str:
    return "consent_required" if candidate.consent_countries else "ok"


def meeting_record(result: PlanResult, meeting: Meeting) -> dict[str, object]:
    candidate = meeting.candidate
    return {
        "date": meeting.slot.day.isoformat(),
        "start": f"{meeting.slot.start:%H:%M}",
        "end": f"{meeting.slot.end:%H:%M}",
        "room": meeting.room,
        "foreign_partner_id": candidate.foreign_id,
        "foreign_partner": result.name(candidate.foreign_id),
        "foreign_country": _country(result, candidate.foreign_id),
        "local_partner_id": candidate.local_id,
        "local_partner": result.name(candidate.local_id),
        "value": candidate.value,
        "requirement_ids": [topic.requirement_id for topic in candidate.topics],
        "requirements": [topic.requirement_title for topic in candidate.topics],
        "foreign_capabilities": [topic.foreign_capability for topic in candidate.topics],
        "local_capabilities": [topic.local_capability for topic in candidate.topics],
        "feasibility": meeting_feasibility(candidate),
        "consent_countries": list(candidate.consent_countries),
        "topics": [_topic_record(topic) for topic in candidate.topics],
    }


def _topic_record(topic: Topic) -> dict[str, object]:
    return {
        "requirement_id": topic.requirement_id,
        "requirement": topic.requirement_title,
        "priority": topic.priority,
        "score": topic.score,
        "value": round(topic.value, 1),
        "feasibility": topic.feasibility,
        "foreign_capability": topic.foreign_capability,
        "local_capability": topic.local_capability,
        "consent": [
            {"country": step.country, "posture": step.posture, "reason": step.reason}
            for step in topic.consent
        ],
    }


def summary_record(result: PlanResult) -> dict[str, object]:
    return {
        "meetings": len(result.meetings),
        "value": result.value,
        "status": result.status,
        "greedy_value": result.greedy_value,
        "greedy_meetings": result.greedy_meetings,
        "greedy_members_met": result.greedy_members_met,
        "gain_over_greedy": round(result.value - result.greedy_value, 1),
        "solver_bound": result.solver_bound,
        "simple_bound": result.simple_bound,
        "gap": round(result.gap, 4),
        "solve_seconds": result.solve_seconds,
        "unscheduled": len(result.unscheduled),
        "excluded": len(result.excluded),
        "delegation": list(result.request.delegation),
        "days": sorted({slot.day.isoformat() for slot in result.request.slots}),
        "slots_per_day": _slots_per_day(result.request),
        "rooms": result.request.rooms,
        "priority_weights": dict(PRIORITY_WEIGHTS),
        "warnings": list(result.warnings),
        "focus": list(result.focus),
        "members_met": result.members_met,
        "min_meetings": result.request.min_meetings,
    }


def summary_lines(result: PlanResult) -> list[str]:
    """The plan's figures in a few sentences (CLI stderr, TUI status line)."""
    bound_note = (
        "proven optimal"
        if result.status == "optimal"
        else f"best possible at most {result.best_bound:.1f}, gap {result.gap:.1%}"
    )
    solver_bound = "n/a" if result.solver_bound is None else f"{result.solver_bound:.1f}"
    return [
        f"{len(result.meetings)} meeting(s) scheduled, value {result.value:.1f} "
        f"({result.status}, {bound_note})",
        f"{result.members_met} of {len(result.request.delegation)} delegation member(s) "
        f"have a meeting"
        + (
            f" (at least {result.request.min_meetings} each asked where possible)"
            if result.request.min_meetings
            else ""
        ),
        f"greedy baseline: {result.greedy_meetings} meeting(s), value {result.greedy_value:.1f}, "
        f"{result.greedy_members_met} member(s) met "
        f"(gain {result.value - result.greedy_value:+.1f})",
        f"bounds: solver {solver_bound}, simple {result.simple_bound:.1f}; "
        f"solve time {result.solve_seconds:.2f} s",
        f"{len(result.unscheduled)} candidate meeting(s) not scheduled, "
        f"{len(result.excluded)} pairing(s) left out (blocked or no Taiwanese firm)",
    ]


def _slots_per_day(request: PlanRequest) -> int:
    days = {slot.day for slot in request.slots}
    return len(request.slots) // max(1, len(days))


def plan_json(result: PlanResult) -> dict[str, object]:
    return {
        "summary": summary_record(result),
        "meetings": [meeting_record(result, meeting) for meeting in result.shown_meetings],
        "unscheduled": [
            {
                "foreign_partner_id": item.candidate.foreign_id,
                "local_partner_id": item.candidate.local_id,
                "value": item.candidate.value,
                "requirement_ids": [t.requirement_id for t in item.candidate.topics],
                "reason": item.reason,
            }
            for item in result.shown_unscheduled
        ],
        "excluded": [
            {
                "requirement_id": item.requirement_id,
                "foreign_partner_id": item.foreign_id,
                "local_partner_id": item.local_id,
                "reason": item.reason,
            }
            for item in result.shown_excluded
        ],
    }


def write_json(result: PlanResult, stream: TextIO) -> None:
    # Invisible characters (C1, bidi controls...) escaped as rank's JSON does.
    stream.write(json_text(json.dumps(plan_json(result), indent=2, ensure_ascii=False)))
    stream.write("\n")


def write_csv(result: PlanResult, stream: TextIO) -> None:
    """One row per meeting; every text cell formula-safe; lists joined with '; '."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for meeting in result.shown_meetings:
        record = meeting_record(result, meeting)
        row = []
        for name in CSV_FIELDS:
            value = record[name]
            if isinstance(value, list):
                value = "; ".join(str(item) for item in value)
            row.append(csv_text(str(value), one_line=True))
        writer.writerow(row)


def md_text(text: str) -> str:
    """Catalog text made inert in Markdown (coprod/safe.py: the same rules as rank's)."""
    return markdown_text(text)


def write_markdown(result: PlanResult, stream: TextIO) -> None:
    """An agenda per firm (delegation members, then Taiwanese hosts), then what did not fit."""
    summary = summary_record(result)
    days = summary["days"]
    stream.write("# Delegation meeting plan\n\n")
    if result.focus:
        names = ", ".join(md_text(result.name(firm)) for firm in result.focus)
        stream.write(f"Agenda for {names}: {len(result.shown_meetings)} meeting(s). Whole plan: ")
    stream.write(
        f"{len(result.meetings)} meetings over {len(days)} day(s) "  # type: ignore[arg-type]
        f"({', '.join(days)}), {result.request.rooms} room(s). "  # type: ignore[arg-type]
        f"Value {result.value:.1f} ({result.status}); greedy baseline {result.greedy_value:.1f}; "
        f"best possible at most {result.best_bound:.1f} (gap {result.gap:.1%}).\n\n"
    )
    stream.write(
        "Value = score x priority weight (high 9, medium 3, low 1), summed over the "
        "requirements a meeting covers. Times are Asia/Taipei.\n\n"
    )
    for firm in result.firms():
        agenda = result.agenda(firm)
        country = _country(result, firm)
        stream.write(f"## {md_text(result.name(firm))} ({md_text(firm)}, {md_text(country)})\n\n")
        if not agenda:
            stream.write("No meeting scheduled.\n\n")
            continue
        for meeting in agenda:
            other = (
                meeting.candidate.local_id
                if firm == meeting.candidate.foreign_id
                else meeting.candidate.foreign_id
            )
            stream.write(
                f"### {meeting.slot.label}, room {meeting.room}: with "
                f"{md_text(result.name(other))} ({md_text(_country(result, other))})\n\n"
            )
            for topic in meeting.candidate.topics:
                stream.write(
                    f"- **{md_text(topic.requirement_id)}** {md_text(topic.requirement_title)} "
                    f"({topic.priority} priority, score {topic.score:.1f})\n"
                )
                stream.write(f"  - foreign: {md_text(topic.foreign_capability) or 'n/a'}\n")
                stream.write(f"  - local: {md_text(topic.local_capability) or 'n/a'}\n")
                for step in topic.consent:
                    stream.write(
                        f"  - **export consent needed** from {md_text(step.country)} "
                        f"({md_text(step.posture)}): {md_text(step.reason)}\n"
                    )
            stream.write("\n")
    if result.shown_unscheduled:
        stream.write("## Not scheduled\n\n")
        for item in result.shown_unscheduled:
            stream.write(
                f"- {md_text(result.name(item.candidate.foreign_id))} with "
                f"{md_text(result.name(item.candidate.local_id))} "
                f"(value {item.candidate.value:.1f}): {md_text(item.reason)}\n"
            )
        stream.write("\n")
    if result.shown_excluded:
        stream.write("## Pairings left out\n\n")
        for excluded in result.shown_excluded:
            stream.write(
                f"- {md_text(excluded.requirement_id)}: {md_text(excluded.foreign_id)} with "
                f"{md_text(excluded.local_id or 'no Taiwanese firm')}: {md_text(excluded.reason)}\n"
            )
        stream.write("\n")
    if result.warnings:
        stream.write("## Notes\n\n")
        stream.writelines(f"- {md_text(note)}\n" for note in result.warnings)


def write_ics(result: PlanResult, stream: TextIO, *, stamp: datetime | None = None) -> None:
    """Every meeting as a VEVENT in Asia/Taipei time (see coprod.ics)."""
    from coprod.ics import CalendarEvent, write_calendar

    first_day = result.request.slots[0].day
    events = []
    for meeting in result.shown_meetings:
        candidate = meeting.candidate
        lines = []
        for topic in candidate.topics:
            lines.append(f"{topic.requirement_id}: {topic.requirement_title}")
            lines.append(f"  foreign: {topic.foreign_capability}")
            lines.append(f"  local: {topic.local_capability}")
            for step in topic.consent:
                lines.append(f"  export consent needed from {step.country} ({step.posture})")
        events.append(
            CalendarEvent(
                # A pair meets once per visit, so the pair and the visit's first day name
                # the event: a re-planned meeting keeps its UID and moves on re-import.
                uid=f"{first_day:%Y%m%d}-{candidate.foreign_id}-{candidate.local_id}@coprod",
                start=meeting.slot.start_at,
                end=meeting.slot.end_at,
                summary=f"{result.name(candidate.foreign_id)} x {result.name(candidate.local_id)}",
                location=f"Room {meeting.room}",
                description="\n".join(lines),
                categories=("export consent",) if candidate.consent_countries else (),
            )
        )
    write_calendar(events, stream, stamp=stamp)


FORMATS: tuple[str, ...] = ("table", "csv", "json", "md", "ics")


def write_plan(result: PlanResult, fmt: str, stream: TextIO) -> None:
    """Write a plan as csv, json, md or ics (the table is rendered by the CLI with rich)."""
    writers = {"csv": write_csv, "json": write_json, "md": write_markdown, "ics": write_ics}
    if fmt not in writers:
        raise UsageError(f"unknown plan format {fmt!r} (choose from {', '.join(writers)})")
    writers[fmt](result, stream)
