"""What the planner takes in and gives back: slots, candidate meetings, the request and the plan.

A *candidate meeting* is one delegation member and one Taiwanese firm who could
meet, with the requirements (topics) the meeting would cover; the scheduler
picks among the candidate meetings of a `MeetingPool`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from coprod.model import ConsentStep, Partner

PRIORITY_WEIGHTS: dict[str, int] = {"high": 9, "medium": 3, "low": 1}

# Bounds on the request (documented in the README): beyond them the work (rooms
# listed per slot, rounds of the greedy baseline) grows for nothing.
MAX_ROOMS = 1_000
MAX_MIN_MEETINGS = 1_000


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
class CandidateMeeting:
    """A meeting that could be held: a delegation member, a Taiwanese firm and what they share."""

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
    """The visit: who comes, when they can meet, how many rooms."""

    delegation: tuple[str, ...]  # foreign partner ids
    slots: tuple[Slot, ...]  # sorted, non-overlapping
    rooms: int
    unavailable: tuple[Unavailability, ...] = ()
    # Give every delegation member this many meetings where the schedule allows,
    # before maximising value (0 = value alone decides).
    min_meetings: int = 0


@dataclass(frozen=True)
class MeetingPool:
    """What the scheduler is offered: the candidate meetings, and the pairings left out and why."""

    candidates: tuple[CandidateMeeting, ...]
    excluded: tuple[Excluded, ...]
    notes: tuple[str, ...] = ()  # e.g. a file's feasibility claim the catalog contradicts


@dataclass(frozen=True)
class Meeting:
    """A candidate meeting the plan holds, in a slot and a room."""

    candidate: CandidateMeeting
    slot: Slot
    room: int  # 1-based


@dataclass(frozen=True)
class Unscheduled:
    """A candidate meeting the plan does not hold, and why."""

    candidate: CandidateMeeting
    reason: str


@dataclass(frozen=True)
class PlanResult:
    """The schedule, how good it is (value, baseline, bounds) and what was left out."""

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
