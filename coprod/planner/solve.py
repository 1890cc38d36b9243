"""Scheduling: choose candidate meetings and their slots, and say how close to the best.

Model (solved with OR-Tools CP-SAT, imported lazily and only here; a greedy
pass runs in the same call as the baseline and as the solver's starting hint):

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
"""

from __future__ import annotations

import time as timer
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from coprod.errors import UsageError
from coprod.model import Partner
from coprod.planner.model import (
    MAX_MIN_MEETINGS,
    MAX_ROOMS,
    CandidateMeeting,
    Meeting,
    MeetingPool,
    PlanRequest,
    PlanResult,
    Unavailability,
    Unscheduled,
)

# CP-SAT needs integer coefficients: values are kept to one decimal.
_VALUE_SCALE = 10
MAX_SEED = 2**31 - 1  # CP-SAT's random_seed is a 32-bit integer
MAX_WORKERS = 256


def _free_slots(request: PlanRequest, candidate: CandidateMeeting) -> list[int]:
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
    request: PlanRequest, candidates: Sequence[CandidateMeeting], free: Sequence[Sequence[int]]
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
    request: PlanRequest, candidates: Sequence[CandidateMeeting], chosen: Mapping[int, int]
) -> int:
    """Meetings counted towards `min_meetings`: per member, at most that many."""
    if not request.min_meetings:
        return 0
    per_member: dict[str, int] = defaultdict(int)
    for index in chosen:
        per_member[candidates[index].foreign_id] += 1
    return sum(min(count, request.min_meetings) for count in per_member.values())


def simple_upper_bound(
    request: PlanRequest, candidates: Sequence[CandidateMeeting], free: Sequence[Sequence[int]]
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
    candidates: Sequence[CandidateMeeting],
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
    candidates: Sequence[CandidateMeeting],
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
    request: PlanRequest, chosen: Mapping[int, int], candidates: Sequence[CandidateMeeting]
) -> tuple[int, float]:
    """Plans compare by coverage of `min_meetings` first, then by value."""
    return coverage(request, candidates, chosen), _value_of(chosen, candidates)


def _value_of(chosen: Mapping[int, int], candidates: Sequence[CandidateMeeting]) -> float:
    return round(sum(candidates[index].value for index in chosen) + 0.0, 1)


def plan(
    request: PlanRequest,
    pool: MeetingPool,
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
    candidates = pool.candidates
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
    warnings.extend(pool.notes)
    warnings.extend(_delegation_warnings(request, pool, partners))
    return PlanResult(
        request=request,
        partners=partners,
        meetings=meetings,
        unscheduled=unscheduled,
        excluded=pool.excluded,
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
    request: PlanRequest, pool: MeetingPool, partners: Mapping[str, Partner]
) -> list[str]:
    with_candidates = {candidate.foreign_id for candidate in pool.candidates}
    notes = []
    for member in request.delegation:
        if member not in with_candidates:
            name = partners[member].name if member in partners else member
            reasons = sorted({e.reason for e in pool.excluded if e.foreign_id == member})
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
    request: PlanRequest, candidates: Sequence[CandidateMeeting], chosen: Mapping[int, int]
) -> tuple[Meeting, ...]:
    by_slot: dict[int, list[CandidateMeeting]] = defaultdict(list)
    for index, slot in chosen.items():
        by_slot[slot].append(candidates[index])
    meetings: list[Meeting] = []
    host_room: dict[tuple[date, str], int] = {}  # keep a Taiwanese host in one room per day
    for slot_index in sorted(by_slot):
        slot = request.slots[slot_index]
        free_rooms = list(range(1, request.rooms + 1))
        placed: list[tuple[CandidateMeeting, int]] = []
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
    candidates: Sequence[CandidateMeeting],
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
