"""A small iCalendar (RFC 5545) writer for meeting schedules.

Decisions:
- Times: DTSTART/DTEND carry `TZID=Asia/Taipei` (the visit's local wall-clock
  times, as planned), and the calendar includes the matching VTIMEZONE
  (UTC+08:00, no daylight saving since 1980), as RFC 5545 section 3.2.19
  requires for every TZID used. DTSTAMP is UTC, as the RFC requires.
- Lines end with CRLF and are folded so that no line exceeds 75 octets of
  UTF-8 (continuations start with one space); a multi-byte character is never
  split across a fold.
- TEXT values escape backslash, semicolon, comma and newline (section 3.3.11);
  other control characters, which TEXT may not hold, are made visible with
  coprod.safe.printable.
- UIDs are given by the caller and should be stable, so re-importing an
  updated plan updates events instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from coprod.safe import printable

TIMEZONE_ID = "Asia/Taipei"
PRODUCT_ID = "-//coprod//delegation planner//EN"
MAX_LINE_OCTETS = 75

_VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TIMEZONE_ID}",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
)


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime  # naive, local time in TIMEZONE_ID
    end: datetime
    summary: str
    location: str = ""
    description: str = ""
    categories: Sequence[str] = ()


def escape_text(value: str) -> str:
    """An RFC 5545 TEXT value: \\ ; , escaped, newlines as \\n, other controls visible."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = printable(value, one_line=False).replace("\t", " ")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """`line` folded into CRLF-joined pieces of at most 75 octets, never splitting a character."""
    pieces: list[str] = []
    current = ""
    current_octets = 0
    for char in line:
        size = len(char.encode("utf-8"))
        if current_octets + size > MAX_LINE_OCTETS:
            pieces.append(current)
            current, current_octets = " ", 1  # a continuation starts with one space
        current += char
        current_octets += size
    pieces.append(current)
    return "\r\n".join(pieces)


def _local(moment: datetime) -> str:
    return f"{moment:%Y%m%dT%H%M%S}"


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def calendar_lines(events: Iterable[CalendarEvent], *, stamp: datetime | None = None) -> list[str]:
    """The calendar's content lines, unfolded, without line ends."""
    stamp_text = _utc(stamp or datetime.now(UTC))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *_VTIMEZONE,
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;TZID={TIMEZONE_ID}:{_local(event.start)}",
            f"DTEND;TZID={TIMEZONE_ID}:{_local(event.end)}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.categories:
            lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return lines


def write_calendar(
    events: Iterable[CalendarEvent], stream: TextIO, *, stamp: datetime | None = None
) -> None:
    """Write a VCALENDAR; open `stream` with newline="" so CRLF reaches the file unchanged."""
    for line in calendar_lines(events, stamp=stamp):
        stream.write(fold_line(line) + "\r\n")
