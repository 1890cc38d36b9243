"""A plan as CSV, JSON, Markdown or iCalendar (the text table is the CLI's, drawn with rich).

Catalog text goes through coprod.safe like every other export: `markdown_text`
is the same escaping `coprod rank -f md` uses, so a name reads the same in both.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from typing import TextIO

from coprod.errors import UsageError
from coprod.planner.model import (
    PRIORITY_WEIGHTS,
    CandidateMeeting,
    Meeting,
    PlanRequest,
    PlanResult,
    Topic,
)
from coprod.reasons import posture_words
from coprod.safe import csv_text, json_text
from coprod.safe import markdown_text as md

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


def meeting_feasibility(candidate: CandidateMeeting) -> str:
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


def write_markdown(result: PlanResult, stream: TextIO) -> None:
    """An agenda per firm (delegation members, then Taiwanese hosts), then what did not fit."""
    summary = summary_record(result)
    days = summary["days"]
    stream.write("# Delegation meeting plan\n\n")
    if result.focus:
        names = ", ".join(md(result.name(firm)) for firm in result.focus)
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
        stream.write(f"## {md(result.name(firm))} ({md(firm)}, {md(country)})\n\n")
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
                f"{md(result.name(other))} ({md(_country(result, other))})\n\n"
            )
            for topic in meeting.candidate.topics:
                stream.write(
                    f"- **{md(topic.requirement_id)}** {md(topic.requirement_title)} "
                    f"({topic.priority} priority, score {topic.score:.1f})\n"
                )
                stream.write(f"  - foreign: {md(topic.foreign_capability) or 'n/a'}\n")
                stream.write(f"  - local: {md(topic.local_capability) or 'n/a'}\n")
                for step in topic.consent:
                    stream.write(
                        f"  - **export consent needed** from {md(step.country)} "
                        f"({posture_words(step.posture)}): {md(step.reason)}\n"
                    )
            stream.write("\n")
    if result.shown_unscheduled:
        stream.write("## Not scheduled\n\n")
        for item in result.shown_unscheduled:
            stream.write(
                f"- {md(result.name(item.candidate.foreign_id))} with "
                f"{md(result.name(item.candidate.local_id))} "
                f"(value {item.candidate.value:.1f}): {md(item.reason)}\n"
            )
        stream.write("\n")
    if result.shown_excluded:
        stream.write("## Pairings left out\n\n")
        for excluded in result.shown_excluded:
            stream.write(
                f"- {md(excluded.requirement_id)}: {md(excluded.foreign_id)} with "
                f"{md(excluded.local_id or 'no Taiwanese firm')}: {md(excluded.reason)}\n"
            )
        stream.write("\n")
    if result.warnings:
        stream.write("## Notes\n\n")
        stream.writelines(f"- {md(note)}\n" for note in result.warnings)


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
                lines.append(
                    f"  export consent needed from {step.country} ({posture_words(step.posture)})"
                )
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


def write_plan(result: PlanResult, fmt: str, stream: TextIO) -> None:
    """Write a plan as csv, json, md or ics (the table is rendered by the CLI with rich)."""
    writers = {"csv": write_csv, "json": write_json, "md": write_markdown, "ics": write_ics}
    if fmt not in writers:
        raise UsageError(f"unknown plan format {fmt!r} (choose from {', '.join(writers)})")
    writers[fmt](result, stream)
