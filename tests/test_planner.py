"""The delegation planner's core: constraints, optimality, bounds, reasons, exports.

Instances are built from coprod.model dataclasses with seeded randomness, so
every run checks the same schedules; CP-SAT runs with 2 workers, a fixed seed
and short time limits.
"""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import json
import random
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from coprod.errors import DataError, UsageError
from coprod.ics import CalendarEvent, escape_text, fold_line, write_calendar
from coprod.model import (
    Catalog,
    ConsentStep,
    CountryPosture,
    Match,
    Pairing,
    Partner,
    Requirement,
)
from coprod.planner import (
    PRIORITY_WEIGHTS,
    CandidateMeeting,
    MeetingPool,
    PlanRequest,
    PlanResult,
    Slot,
    Topic,
    Unavailability,
    compact_schedule,
    for_firms,
    parse_days,
    parse_rooms,
    parse_slots,
    plan,
    pool_from_pairings,
    pool_from_shortlist,
    read_delegation,
    read_shortlist,
    read_unavailability,
    resolve_firms,
    write_csv,
    write_ics,
    write_json,
    write_markdown,
)

FOREIGN_COUNTRIES = ("United States", "Sweden", "Germany", "Japan")


# --------------------------------------------------------------------------- builders


def _partner(partner_id: str, country: str) -> Partner:
    return Partner(partner_id, f"{partner_id.title()} Corp", country, "manufacturer", "")


def _match(partner: Partner, capability: str) -> Match:
    return Match(
        partner_id=partner.partner_id,
        partner_name=partner.name,
        country=partner.country,
        capability_id=0,
        capability=capability,
        category="",
        system="",
        fit=80.0,
        matched_tokens=(),
    )


def make_catalog(n_foreign: int, n_local: int, n_requirements: int, seed: int = 0) -> Catalog:
    rng = random.Random(seed)
    partners = {}
    for index in range(n_foreign):
        partner = _partner(f"f{index}", FOREIGN_COUNTRIES[index % len(FOREIGN_COUNTRIES)])
        partners[partner.partner_id] = partner
    for index in range(n_local):
        partner = _partner(f"t{index}", "Taiwan")
        partners[partner.partner_id] = partner
    requirements = {
        f"R{index}": Requirement(
            f"R{index}",
            f"Requirement {index}",
            "",
            "uas",
            None,
            "",
            rng.choice(["high", "medium", "low"]),
        )
        for index in range(n_requirements)
    }
    countries = {
        name: CountryPosture(name, "case_by_case" if name == "Sweden" else "open", "")
        for name in (*FOREIGN_COUNTRIES, "Taiwan")
    }
    return Catalog(partners, [], {}, countries, requirements)


def make_pairings(catalog: Catalog, per_requirement: int, seed: int = 0) -> list[Pairing]:
    rng = random.Random(seed)
    foreign = [p for p in catalog.partners.values() if not p.is_local]
    local = [p for p in catalog.partners.values() if p.is_local]
    pairings = []
    for requirement_id in catalog.requirements:
        pairs = rng.sample(
            [(f, t) for f in foreign for t in local],
            min(per_requirement, len(foreign) * len(local)),
        )
        for rank, (f, t) in enumerate(pairs, start=1):
            roll = rng.random()
            if roll < 0.15:
                feasibility = "blocked"
                chain = (ConsentStep("Sweden", "blocked", "", "co-developer", True),)
            elif roll < 0.35:
                feasibility = "consent_required"
                chain = (ConsentStep("Germany", "case_by_case", "", "co-developer X", False),)
            else:
                feasibility, chain = "ok", ()
            pairings.append(
                Pairing(
                    requirement_id=requirement_id,
                    rank=rank,
                    score=round(rng.uniform(20, 100), 1),
                    feasibility=feasibility,
                    foreign=_match(f, f"{f.partner_id} makes {requirement_id}"),
                    local=_match(t, f"{t.partner_id} builds {requirement_id}"),
                    components={},
                    consent_chain=chain,
                )
            )
    return pairings


def make_request(
    catalog: Catalog, days: int, slots_per_day: int, rooms: int, seed: int = 0, busy: int = 0
) -> PlanRequest:
    rng = random.Random(seed)
    day_list = parse_days(f"2026-05-04..2026-05-{3 + days:02d}")
    slots = parse_slots(f"09:00-{9 + slots_per_day}:00/1h", day_list)
    unavailable = []
    firms = list(catalog.partners)
    for _ in range(busy):
        slot = rng.choice(slots)
        unavailable.append(Unavailability(rng.choice(firms), slot.day, slot.start, slot.end))
    delegation = tuple(p.partner_id for p in catalog.partners.values() if not p.is_local)
    return PlanRequest(delegation, slots, rooms, tuple(unavailable))


def solve(request, pool, catalog, **options) -> PlanResult:
    options.setdefault("time_limit", 5.0)
    return plan(request, pool, catalog.partners, num_workers=2, seed=7, **options)


def assert_valid(result: PlanResult, pool: MeetingPool) -> None:
    request = result.request
    slot_of = {}
    for meeting in result.meetings:
        key = meeting.candidate.key
        assert key not in slot_of, f"pair {key} meets twice"
        slot_of[key] = meeting.slot
        assert meeting.slot in request.slots
        assert 1 <= meeting.room <= request.rooms
    per_slot = Counter(meeting.slot for meeting in result.meetings)
    assert max(per_slot.values(), default=0) <= request.rooms
    rooms_used = Counter((meeting.slot, meeting.room) for meeting in result.meetings)
    assert max(rooms_used.values(), default=0) == (1 if result.meetings else 0)
    firm_slots = Counter(
        (firm, meeting.slot) for meeting in result.meetings for firm in meeting.candidate.key
    )
    assert max(firm_slots.values(), default=0) <= 1, "a firm is double-booked"
    for meeting in result.meetings:
        for busy in request.unavailable:
            if busy.partner_id in meeting.candidate.key:
                assert not busy.overlaps(meeting.slot), "meeting while a firm is unavailable"
        assert meeting.candidate.foreign_id in request.delegation
        assert all(topic.feasibility != "blocked" for topic in meeting.candidate.topics)
    assert len(result.meetings) + len(result.unscheduled) == len(pool.candidates)
    assert result.value == pytest.approx(sum(m.candidate.value for m in result.meetings), abs=0.05)


def brute_force_optimum(request: PlanRequest, candidates) -> float:
    """Try every assignment of each candidate to a slot or to nothing.

    Plans rank by meetings counted towards `min_meetings` (per member, at most
    that many), then by value; returns the best plan's value.
    """
    options = [None, *range(len(request.slots))]
    best = (0, 0.0)
    for choice in itertools.product(options, repeat=len(candidates)):
        used = [(i, s) for i, s in enumerate(choice) if s is not None]
        if (
            Counter(s for _, s in used)
            and max(Counter(s for _, s in used).values()) > request.rooms
        ):
            continue
        firm_slot = Counter((firm, s) for i, s in used for firm in candidates[i].key)
        if firm_slot and max(firm_slot.values()) > 1:
            continue
        if any(
            busy.partner_id in candidates[i].key and busy.overlaps(request.slots[s])
            for i, s in used
            for busy in request.unavailable
        ):
            continue
        per_member = Counter(candidates[i].foreign_id for i, _ in used)
        covered = sum(min(n, request.min_meetings) for n in per_member.values())
        best = max(best, (covered, round(sum(candidates[i].value for i, _ in used), 1)))
    return best[1]


# --------------------------------------------------------------------------- properties


@pytest.mark.parametrize("seed", range(6))
def test_random_instances_respect_every_constraint(seed):
    catalog = make_catalog(n_foreign=6, n_local=5, n_requirements=12, seed=seed)
    pairings = make_pairings(catalog, per_requirement=5, seed=seed)
    request = make_request(catalog, days=2, slots_per_day=3, rooms=2, seed=seed, busy=8)
    if seed % 2:
        request = PlanRequest(request.delegation, request.slots, 2, request.unavailable, 2)
    pool = pool_from_pairings(pairings, catalog, request.delegation, top=4)
    result = solve(request, pool, catalog)
    assert_valid(result, pool)
    greedy_only = solve(request, pool, catalog, use_solver=False)
    assert_valid(greedy_only, pool)

    def covered(plan_result: PlanResult) -> int:
        per_member = Counter(m.candidate.foreign_id for m in plan_result.meetings)
        return sum(min(n, request.min_meetings) for n in per_member.values())

    # Plans rank by coverage of min_meetings first (0 for both without it), then value.
    assert (covered(result), result.value) >= (covered(greedy_only), greedy_only.value)
    assert (greedy_only.status, greedy_only.value) == ("greedy", result.greedy_value)
    assert result.value <= result.simple_bound + 0.05
    # Instances this small are solved to optimality well within the time limit.
    assert result.status == "optimal" and result.solver_bound is not None
    assert result.value <= result.solver_bound + 0.05
    for item in result.unscheduled:  # an optimal plan leaves no free room unused
        assert "time limit" not in item.reason
    blocked = {
        (p.foreign.partner_id, p.local.partner_id, p.requirement_id)
        for p in pairings
        if p.feasibility == "blocked"
    }
    for meeting in result.meetings:
        for topic in meeting.candidate.topics:
            assert (*meeting.candidate.key, topic.requirement_id) not in blocked


@pytest.mark.parametrize(("seed", "min_meetings"), [(seed, seed % 3 // 2) for seed in range(9)])
def test_cp_sat_finds_the_brute_force_optimum_on_small_instances(seed, min_meetings):
    catalog = make_catalog(n_foreign=3, n_local=3, n_requirements=6, seed=100 + seed)
    pairings = make_pairings(catalog, per_requirement=2, seed=100 + seed)
    request = make_request(catalog, days=1, slots_per_day=2, rooms=2, seed=seed, busy=2)
    request = PlanRequest(
        request.delegation, request.slots, request.rooms, request.unavailable, min_meetings
    )
    pool = pool_from_pairings(pairings, catalog, request.delegation)
    candidates = pool.candidates[:7]  # keep 3^7 assignments
    small = MeetingPool(candidates, ())
    result = solve(request, small, catalog)
    assert result.status == "optimal"
    assert result.value == pytest.approx(brute_force_optimum(request, candidates), abs=0.05)
    assert result.solver_bound == pytest.approx(result.value, abs=0.05)
    assert result.gap == 0.0
    assert result.simple_bound >= result.value - 0.05


def test_greedy_is_beaten_where_it_goes_wrong():
    # Greedy puts the best meeting (A-x) in the only slot where B-x could happen,
    # so B-x is lost; the solver moves A-x to slot 2.
    catalog = make_catalog(n_foreign=2, n_local=1, n_requirements=0)
    a, b, x = "f0", "f1", "t0"
    day = date(2026, 5, 4)
    slots = (Slot(day, time(9), time(10)), Slot(day, time(10), time(11)))
    request = PlanRequest((a, b), slots, 1, (Unavailability(b, day, time(10), time(11)),))
    candidates = (
        CandidateMeeting(a, x, (Topic("R1", "one", "high", 90, "ok", "", ""),)),
        CandidateMeeting(b, x, (Topic("R2", "two", "high", 80, "ok", "", ""),)),
    )
    result = solve(request, MeetingPool(candidates, ()), catalog)
    assert result.greedy_value == pytest.approx(810.0)
    assert result.value == pytest.approx(1530.0)
    assert result.status == "optimal"
    assert {(m.candidate.foreign_id, m.slot.start) for m in result.meetings} == {
        (a, time(10)),
        (b, time(9)),
    }


def test_min_meetings_gives_every_member_a_meeting_before_value():
    # One slot, one room... two: f0 has the two best meetings, f1 a poor one.
    catalog = make_catalog(n_foreign=2, n_local=2, n_requirements=0)
    day = date(2026, 5, 4)
    slots = (Slot(day, time(9), time(10)), Slot(day, time(10), time(11)))
    candidates = (
        CandidateMeeting("f0", "t0", (Topic("R1", "one", "high", 90, "ok", "", ""),)),
        CandidateMeeting("f0", "t1", (Topic("R2", "two", "high", 80, "ok", "", ""),)),
        CandidateMeeting("f1", "t1", (Topic("R3", "three", "low", 10, "ok", "", ""),)),
    )
    away = (
        Unavailability("f1", day, time(10), time(11)),
        Unavailability("t0", day, time(9), time(10)),
    )
    by_value = solve(
        PlanRequest(("f0", "f1"), slots, 1, away), MeetingPool(candidates, ()), catalog
    )
    assert {m.candidate.key for m in by_value.meetings} == {("f0", "t0"), ("f0", "t1")}
    assert by_value.members_met == 1
    fair_request = PlanRequest(("f0", "f1"), slots, 1, away, min_meetings=1)
    fair = solve(fair_request, MeetingPool(candidates, ()), catalog)
    assert {m.candidate.key for m in fair.meetings} == {("f0", "t0"), ("f1", "t1")}
    assert (fair.members_met, fair.status, fair.value) == (2, "optimal", 820.0)
    assert fair.greedy_members_met == 2
    assert any("f0" in item.candidate.key for item in fair.unscheduled)


def test_bigger_instance_solver_at_least_greedy_with_bounds():
    catalog = make_catalog(n_foreign=20, n_local=15, n_requirements=40, seed=3)
    pairings = make_pairings(catalog, per_requirement=8, seed=3)
    request = make_request(catalog, days=3, slots_per_day=6, rooms=4, seed=3, busy=40)
    pool = pool_from_pairings(pairings, catalog, request.delegation, top=5)
    result = solve(request, pool, catalog, time_limit=3.0)
    assert_valid(result, pool)
    assert result.value >= result.greedy_value
    assert result.greedy_value <= result.best_bound
    assert 0.0 <= result.gap < 1.0


def test_compaction_moves_meetings_earlier_without_breaking_anything():
    catalog = make_catalog(n_foreign=3, n_local=2, n_requirements=0)
    topic = Topic("R", "r", "high", 60, "ok", "", "")
    candidates = (
        CandidateMeeting("f0", "t0", (topic,)),
        CandidateMeeting("f1", "t0", (topic,)),
        CandidateMeeting("f2", "t1", (topic,)),
    )
    request = make_request(catalog, days=1, slots_per_day=4, rooms=1)
    free = [range(4)] * 3
    packed = compact_schedule(request, candidates, free, {0: 3, 1: 2, 2: 1})
    assert sorted(packed.values()) == [0, 1, 2]
    assert packed[2] == 0  # the earliest meeting moved first, into the first slot
    away = (Unavailability("f0", request.slots[0].day, time(9), time(12)),)
    limited = PlanRequest(request.delegation, request.slots, 1, away)
    assert compact_schedule(limited, candidates, [[3], range(4), range(4)], {0: 3}) == {0: 3}


# --------------------------------------------------------------------------- candidates and reasons


def test_meeting_covers_every_requirement_the_pair_shares_and_marks_consent():
    catalog = make_catalog(n_foreign=1, n_local=1, n_requirements=3)
    f, t = catalog.partners["f0"], catalog.partners["t0"]
    germany = ConsentStep("Germany", "case_by_case", "", "co-developer of X", False)
    sweden = ConsentStep("Sweden", "blocked", "", "co-developer of Y", True)
    pairings = [
        Pairing("R0", 1, 50.0, "ok", _match(f, "a"), _match(t, "b"), {}),
        Pairing("R1", 1, 70.0, "consent_required", _match(f, "c"), _match(t, "d"), {}, (germany,)),
        Pairing("R2", 1, 99.0, "blocked", _match(f, "e"), _match(t, "g"), {}, (sweden,)),
    ]
    pool = pool_from_pairings(pairings, catalog, ("f0",))
    [candidate] = pool.candidates
    assert {topic.requirement_id for topic in candidate.topics} == {"R0", "R1"}
    assert candidate.consent_countries == ("Germany",)
    expected = sum(
        p.score * PRIORITY_WEIGHTS[catalog.requirements[p.requirement_id].priority]
        for p in pairings[:2]
    )
    assert candidate.value == pytest.approx(expected, abs=0.05)
    [excluded] = pool.excluded
    assert excluded.requirement_id == "R2" and "Sweden" in excluded.reason

    request = make_request(catalog, days=1, slots_per_day=1, rooms=1)
    result = solve(request, pool, catalog)
    out = io.StringIO()
    write_markdown(result, out)
    assert "export consent needed** from Germany" in out.getvalue()
    assert "blocked by Sweden" in out.getvalue()


def test_ad_hoc_requirements_bring_their_own_title_and_priority():
    catalog = make_catalog(n_foreign=1, n_local=1, n_requirements=0)
    f, t = catalog.partners["f0"], catalog.partners["t0"]
    pairing = Pairing("adhoc-1", 1, 40.0, "ok", _match(f, "a"), _match(t, "b"), {})
    adhoc = Requirement("adhoc-1", "Counter-drone lasers", "", "", None, "", "high")
    plain = pool_from_pairings([pairing], catalog, ("f0",))
    named = pool_from_pairings([pairing], catalog, ("f0",), requirements={"adhoc-1": adhoc})
    assert plain.candidates[0].topics[0].requirement_title == "adhoc-1"
    [topic] = named.candidates[0].topics
    assert (topic.requirement_title, topic.priority, topic.value) == (
        "Counter-drone lasers",
        "high",
        360.0,
    )


def test_top_n_keeps_the_best_schedulable_pairings_per_requirement():
    catalog = make_catalog(n_foreign=4, n_local=3, n_requirements=1)
    partners = catalog.partners
    pairings = [
        Pairing("R0", rank, 90.0 - rank, "ok", _match(partners[f], ""), _match(partners[t], ""), {})
        for rank, (f, t) in enumerate(
            [("f0", "t0"), ("f1", "t1"), ("f2", "t2"), ("f3", "t0")], start=1
        )
    ]
    kept = pool_from_pairings(pairings, catalog, ("f1", "f2", "f3"), top=2)
    assert {c.key for c in kept.candidates} == {("f1", "t1"), ("f2", "t2")}


def test_unscheduled_meetings_say_why():
    catalog = make_catalog(n_foreign=3, n_local=2, n_requirements=0)
    day = date(2026, 5, 4)
    slots = (Slot(day, time(9), time(10)),)
    topic = Topic("R1", "one", "medium", 50, "ok", "", "")
    low = Topic("R2", "two", "low", 10, "ok", "", "")
    candidates = (
        CandidateMeeting("f0", "t0", (topic,)),  # scheduled
        CandidateMeeting("f1", "t1", (low,)),  # both free but the only room is taken
        CandidateMeeting("f0", "t1", (low,)),  # f0 busy
        CandidateMeeting("f2", "t1", (low,)),  # f2 away all day
    )
    away = Unavailability("f2", day, time(0), time(23, 59))
    request = PlanRequest(("f0", "f1", "f2"), slots, 1, (away,))
    result = solve(request, MeetingPool(candidates, ()), catalog)
    reasons = {item.candidate.key: item.reason for item in result.unscheduled}
    assert "rooms full" in reasons[("f1", "t1")]
    assert reasons[("f0", "t1")] == (
        "f0 is in other meetings in all 1 slot(s) where both firms are available"
    )
    assert "no slot where both firms are available" in reasons[("f2", "t1")]


def test_nothing_to_schedule_is_an_empty_plan_not_an_error():
    catalog = make_catalog(n_foreign=1, n_local=1, n_requirements=0)
    request = make_request(catalog, days=1, slots_per_day=2, rooms=1)
    result = solve(request, MeetingPool((), ()), catalog)
    assert (result.status, result.meetings, result.value, result.gap) == ("empty", (), 0.0, 0.0)
    out = io.StringIO()
    write_ics(result, out)
    assert "BEGIN:VEVENT" not in out.getvalue() and out.getvalue().endswith("END:VCALENDAR\r\n")


def test_delegation_member_without_pairing_is_reported():
    catalog = make_catalog(n_foreign=2, n_local=1, n_requirements=0)
    candidates = (CandidateMeeting("f0", "t0", (Topic("R", "r", "high", 60, "ok", "", ""),)),)
    request = make_request(catalog, days=1, slots_per_day=1, rooms=1)
    result = solve(request, MeetingPool(candidates, ()), catalog)
    assert any("f1" in warning for warning in result.warnings)


def test_rooms_keep_a_host_in_one_room_through_the_day():
    catalog = make_catalog(n_foreign=4, n_local=2, n_requirements=0)
    topic = Topic("R", "r", "high", 60, "ok", "", "")
    candidates = tuple(CandidateMeeting(f"f{i}", f"t{i % 2}", (topic,)) for i in range(4))
    request = make_request(catalog, days=1, slots_per_day=2, rooms=2)
    result = solve(request, MeetingPool(candidates, ()), catalog)
    assert len(result.meetings) == 4
    rooms_of = {}
    for meeting in result.meetings:
        rooms_of.setdefault(meeting.candidate.local_id, set()).add(meeting.room)
    assert all(len(rooms) == 1 for rooms in rooms_of.values())


# --------------------------------------------------------------------------- flag parsing


def test_days_and_slots_parse():
    days = parse_days("2026-05-04..2026-05-06")
    assert days == (date(2026, 5, 4), date(2026, 5, 5), date(2026, 5, 6))
    assert parse_days("2026-05-06,2026-05-04") == (date(2026, 5, 4), date(2026, 5, 6))
    slots = parse_slots("09:00-17:00/45m", days[:1])
    assert len(slots) == 10  # 8 h / 45 min, the leftover 30 min unused
    assert (slots[0].start, slots[0].end, slots[-1].end) == (time(9), time(9, 45), time(16, 30))
    split = parse_slots("09:00-12:00/45m+15m,13:30-17:00/1h", days[:1])
    starts = [f"{slot.start:%H:%M}" for slot in split]
    assert starts == ["09:00", "10:00", "11:00", "13:30", "14:30", "15:30"]


@pytest.mark.parametrize(
    ("days", "slots", "message"),
    [
        ("2026-05-06..2026-05-04", "09:00-17:00/45m", "runs backwards"),
        ("2026-05-32", "09:00-17:00/45m", "not a date"),
        ("2026-05-04,2026-05-04", "09:00-17:00/45m", "given twice"),
        ("2026-05-04", "17:00-09:00/45m", "ends before it starts"),
        ("2026-05-04", "09:00-12:00/45m,11:00-13:00/45m", "overlap"),
        ("2026-05-04", "09:00-17:00", "not a slot range"),
        ("2026-05-04", "09:00-17:00/0m", "zero meeting length"),
        ("2026-05-04", "09:00-09:30/45m", "does not fit"),
        ("2026-05-04", "25:00-26:00/45m", "not a time of day"),
        ("2026-05-04", "09:00-17:00/forty", "not a duration"),
        ("2026-05-01..2026-06-30", "00:00-23:59/5m", "more than 2000 slots"),
    ],
)
def test_bad_days_and_slots_are_usage_errors(days, slots, message):
    with pytest.raises(UsageError, match=message):
        parse_slots(slots, parse_days(days))


def test_zero_rooms_is_a_usage_error():
    with pytest.raises(UsageError, match="at least one room"):
        parse_rooms(0)
    catalog = make_catalog(1, 1, 0)
    request = PlanRequest(("f0",), make_request(catalog, 1, 1, 1).slots, 0)
    with pytest.raises(UsageError, match="at least one room"):
        plan(request, MeetingPool((), ()), catalog.partners)


# --------------------------------------------------------------------------- files


def test_delegation_file_errors_name_the_line_and_suggest(tmp_path: Path):
    catalog = make_catalog(n_foreign=3, n_local=1, n_requirements=0)
    good = tmp_path / "delegation.csv"
    good.write_text("partner_id,name\nf0,Whatever\nf2,\n", encoding="utf-8")
    assert read_delegation(good, catalog) == ("f0", "f2")
    typo = tmp_path / "typo.csv"
    typo.write_text("partner_id\nf0\nf1x\n", encoding="utf-8")
    with pytest.raises(
        DataError, match=r"typo\.csv:3: unknown partner id 'f1x'; did you mean 'f1'"
    ):
        read_delegation(typo, catalog)
    local = tmp_path / "local.csv"
    local.write_text("partner_id\nt0\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"local\.csv:2: 't0' is a Taiwan firm"):
        read_delegation(local, catalog)
    no_column = tmp_path / "nocol.csv"
    no_column.write_text("id\nf0\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"nocol\.csv:1: missing column\(s\) partner_id"):
        read_delegation(no_column, catalog)
    with pytest.raises(DataError, match="cannot read"):
        read_delegation(tmp_path / "missing.csv", catalog)


def test_a_partner_typed_by_name_is_suggested_by_id():
    catalog = make_catalog(n_foreign=3, n_local=1, n_requirements=0)
    catalog.partners["f1"] = Partner("f1", "Kongsberg Defence", "Norway", "manufacturer", "")
    typed = "Kongsberg Defense"
    with pytest.raises(
        DataError, match=f"--firm: unknown partner id '{typed}'; did you mean 'f1'\\?$"
    ):
        resolve_firms([typed], catalog)
    with pytest.raises(DataError, match=r"unknown partner id 'zzz'$"):
        resolve_firms(["zzz"], catalog)


def test_only_the_solver_module_imports_or_tools_and_not_at_import():
    import coprod

    root = Path(coprod.__file__).parent
    users = sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if "ortools" in path.read_text(encoding="utf-8")
    )
    assert users == ["planner/solve.py"]
    code = (
        "import sys, coprod.planner; "
        "print(sorted(m for m in ('ortools', 'textual', 'rich') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_unavailability_file(tmp_path: Path):
    catalog = make_catalog(n_foreign=2, n_local=1, n_requirements=0)
    good = tmp_path / "away.csv"
    good.write_text("partner_id,date,start,end\nf0,2026-05-04,09:00,12:00\nt0,2026-05-05,,\n")
    away = read_unavailability(good, catalog)
    assert away[0] == Unavailability("f0", date(2026, 5, 4), time(9), time(12))
    assert away[1].start == time(0) and away[1].end > time(23)
    reversed_times = tmp_path / "rev.csv"
    reversed_times.write_text("partner_id,date,start,end\nf0,2026-05-04,12:00,09:00\n")
    with pytest.raises(DataError, match=r"rev\.csv:2: end 09:00 is not after start 12:00"):
        read_unavailability(reversed_times, catalog)
    bad_date = tmp_path / "date.csv"
    bad_date.write_text("partner_id,date,start,end\nf0,4 May,09:00,10:00\n")
    with pytest.raises(DataError, match=r"date\.csv:2: date: '4 May' is not a date"):
        read_unavailability(bad_date, catalog)


def test_shortlist_files_csv_and_json(tmp_path: Path):
    catalog = make_catalog(n_foreign=2, n_local=2, n_requirements=2)
    fields = [
        "requirement_id",
        "rank",
        "score",
        "feasibility",
        "consent_countries",
        "foreign_partner_id",
        "local_partner_id",
        "foreign_capability",
        "local_capability",
        "blocked_by",
        "requirement_title",
    ]
    # As `coprod rank` writes them: CSV cells made formula-safe, lists joined by "; ".
    rows = [
        ["R0", "1", "80", "consent_required", "Germany", "f0", "t0", "'=cmd()", "shells", "", ""],
        ["R1", "1", "70", "ok", "", "f0", "t0", "fuzes", "casings", "", ""],
        ["R1", "2", "60", "blocked", "", "f1", "t1", "x", "y", "Sweden; Norway", ""],
        ["adhoc-1", "1", "50", "ok", "", "f0", "t0", "a", "b", "", "My own need"],
    ]
    shortlist = tmp_path / "shortlist.csv"
    with shortlist.open("w", newline="") as handle:
        csv.writer(handle).writerows([fields, *rows])
    from_csv = pool_from_shortlist(read_shortlist(shortlist), catalog, None)
    as_json = tmp_path / "shortlist.json"
    records = [dict(zip(fields, row, strict=True)) for row in rows]
    records[0]["foreign_capability"] = "=cmd()"
    records[2]["blocked_by"] = ["Sweden", "Norway"]
    as_json.write_text(json.dumps(records))
    from_json = pool_from_shortlist(read_shortlist(as_json), catalog, None)
    for pool in (from_csv, from_json):
        [candidate] = pool.candidates
        assert candidate.key == ("f0", "t0")
        topics = {topic.requirement_id: topic for topic in candidate.topics}
        assert set(topics) == {"R0", "R1", "adhoc-1"}
        assert topics["R0"].foreign_capability == "=cmd()"
        assert topics["adhoc-1"].requirement_title == "My own need"
        assert candidate.consent_countries == ("Germany",)
        assert [e.reason for e in pool.excluded] == ["blocked by Sweden, Norway"]

    foreign_local = tmp_path / "bad.csv"
    foreign_local.write_text(",".join(fields) + "\nR0,1,80,ok,,f0,f1,a,b\n")
    with pytest.raises(DataError, match=r"bad\.csv:2: local_partner_id 'f1' is in .*not Taiwan"):
        pool_from_shortlist(read_shortlist(foreign_local), catalog, None)
    bad_score = tmp_path / "score.csv"
    bad_score.write_text(",".join(fields) + "\nR0,1,high,ok,,f0,t0,a,b\n")
    with pytest.raises(DataError, match=r"score\.csv:2: score 'high' is not a number"):
        read_shortlist(bad_score)
    broken = tmp_path / "broken.json"
    broken.write_text('[{"requirement_id": "R0",\n "score": }]')
    with pytest.raises(DataError, match=r"broken\.json:2:\d+: not valid JSON"):
        read_shortlist(broken)
    # a bad pairing in a JSON list or wrapped in an object is named by line and column
    good, bad = json.dumps(records[0]), json.dumps({**records[1], "score": "high"})
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(f'{{"note": [1, "]"],\n "pairings": [{good},\n    {bad}]}}')
    with pytest.raises(DataError) as raised:
        read_shortlist(wrapped)
    assert str(raised.value).startswith(f"{wrapped}:3:5: ")
    assert "score 'high' is not a number" in str(raised.value)
    listed = tmp_path / "listed.json"
    listed.write_text('[{"requirement_id": "R0"},\n  7]')
    with pytest.raises(DataError, match=r"listed\.json:2:3: expected a JSON object"):
        read_shortlist(listed)


# --------------------------------------------------------------------------- exports


def _tricky_result() -> PlanResult:
    catalog = make_catalog(n_foreign=1, n_local=1, n_requirements=0)
    catalog.partners["f0"] = Partner(
        "f0", '=HYPERLINK("x"), Inc; [red]\x1b[2J', "Sweden", "manufacturer", ""
    )
    consent = (ConsentStep("Sweden", "case_by_case", "", "co-developer", False),)
    topic = Topic(
        "R1",
        '155mm shells, "fast"; now\\later\nsecond line ' + "é" * 60,
        "high",
        88.0,
        "consent_required",
        "| injected | cell",
        "**bold**",
        consent,
    )
    request = make_request(catalog, days=1, slots_per_day=1, rooms=1)
    return solve(request, MeetingPool((CandidateMeeting("f0", "t0", (topic,)),), ()), catalog)


def test_csv_export_is_formula_safe_and_json_round_trips():
    result = _tricky_result()
    out = io.StringIO()
    write_csv(result, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["foreign_partner"].startswith("'=HYPERLINK")
    assert "\x1b" not in out.getvalue()
    assert rows[0]["consent_countries"] == "Sweden"
    assert rows[0]["feasibility"] == "consent_required"
    out = io.StringIO()
    write_json(result, out)
    data = json.loads(out.getvalue())
    assert data["summary"]["meetings"] == 1
    assert data["meetings"][0]["topics"][0]["consent"][0]["country"] == "Sweden"


def test_exports_for_one_firm_show_its_agenda_and_the_whole_plans_figures():
    catalog = make_catalog(n_foreign=4, n_local=3, n_requirements=10, seed=9)
    pairings = make_pairings(catalog, per_requirement=4, seed=9)
    request = make_request(catalog, days=1, slots_per_day=3, rooms=2)
    result = solve(request, pool_from_pairings(pairings, catalog, request.delegation), catalog)
    firm = result.meetings[0].candidate.local_id
    focused = for_firms(result, [firm])
    assert focused.shown_meetings == tuple(result.agenda(firm))
    assert all(firm in item.candidate.key for item in focused.shown_unscheduled)
    out = io.StringIO()
    write_json(focused, out)
    data = json.loads(out.getvalue())
    assert len(data["meetings"]) == len(result.agenda(firm))
    assert data["summary"]["meetings"] == len(result.meetings)
    assert data["summary"]["focus"] == [firm]
    out = io.StringIO()
    write_markdown(focused, out)
    sections = [line for line in out.getvalue().splitlines() if line.startswith("## ")]
    firm_sections = [
        line for line in sections if line not in ("## Not scheduled", "## Pairings left out")
    ]
    assert firm_sections == [f"## {result.name(firm)} ({firm}, Taiwan)"]


def test_markdown_escapes_catalog_text():
    from coprod.output import markdown_cell

    result = _tricky_result()
    out = io.StringIO()
    write_markdown(result, out)
    text = out.getvalue()
    assert "\\| injected \\| cell" in text
    assert "\\*\\*bold\\*\\*" in text
    assert "\x1b" not in text and "\\x1b" in text
    # The same escaping as `coprod rank -f md` cells.
    assert f"## {markdown_cell(result.name('f0'))} (f0, Sweden)" in text


# --------------------------------------------------------------------------- iCalendar


def parse_ics(raw: bytes) -> list[dict[str, str]]:
    """A strict little reader: CRLF only, unfold, split properties, unescape TEXT."""
    text = raw.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "bare LF in calendar"
    physical = text.split("\r\n")
    assert physical[-1] == ""
    for line in physical[:-1]:
        assert len(line.encode("utf-8")) <= 75, f"line over 75 octets: {line!r}"
    logical: list[str] = []
    for line in physical[:-1]:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    assert logical[0] == "BEGIN:VCALENDAR" and logical[-1] == "END:VCALENDAR"
    events, current = [], None
    for line in logical:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = _split_property(line)
            current[name] = value
    return events


def _split_property(line: str) -> tuple[str, str, str]:
    match = re.match(r"^([A-Z-]+)((?:;[^:]*)?):(.*)$", line)
    assert match, line
    name, params, value = match.groups()
    if name in ("SUMMARY", "DESCRIPTION", "LOCATION", "UID"):
        assert re.search(r"(?<!\\)(?:\\\\)*[;,]", value) is None, f"unescaped ; or , in {value!r}"
        value = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)
    return name + params, params, value


def test_ics_lines_fold_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "é" * 100 + "x" * 100
    folded = fold_line(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert pieces[0] + "".join(piece[1:] for piece in pieces[1:]) == line
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_ics_export_round_trips_the_events():
    result = _tricky_result()
    buffer = io.StringIO(newline="")
    stamp = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
    write_ics(result, buffer, stamp=stamp)
    raw = buffer.getvalue().encode("utf-8")
    assert b"BEGIN:VTIMEZONE\r\nTZID:Asia/Taipei\r\n" in raw
    [event] = parse_ics(raw)
    [meeting] = result.meetings
    assert event["DTSTART;TZID=Asia/Taipei"] == "20260504T090000"
    assert event["DTEND;TZID=Asia/Taipei"] == "20260504T100000"
    assert event["DTSTAMP"] == "20260401T120000Z"
    assert event["UID"] == "20260504-f0-t0@coprod"
    assert event["LOCATION"] == "Room 1"
    assert event["SUMMARY"].startswith('=HYPERLINK("x"), Inc; [red]\\x1b[2J x ')
    title = meeting.candidate.topics[0].requirement_title
    assert title in event["DESCRIPTION"]  # commas, semicolons, backslash and newline survive
    assert "export consent needed from Sweden" in event["DESCRIPTION"]


def test_ics_file_written_with_crlf(tmp_path: Path):
    path = tmp_path / "plan.ics"
    event = CalendarEvent("u1@x", datetime(2026, 5, 4, 9), datetime(2026, 5, 4, 10), "A, B")
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_calendar([event], handle)
    [parsed] = parse_ics(path.read_bytes())
    assert parsed["SUMMARY"] == "A, B"


# --------------------------------------------------------------------------- TUI screen


def test_planner_screen_shows_grid_agendas_and_exports(tmp_path: Path):
    asyncio.run(_drive_planner_screen(tmp_path))


async def _drive_planner_screen(tmp_path: Path) -> None:
    from textual.app import App
    from textual.widgets import DataTable, Input, Label, OptionList, SelectionList

    from coprod.tui.screens.planner import PlannerScreen

    catalog = make_catalog(n_foreign=4, n_local=3, n_requirements=8, seed=5)
    catalog.partners["f0"] = Partner("f0", "[bold red]Evil[/] \x1b[2J", "Sweden", "m", "")
    pairings = make_pairings(catalog, per_requirement=3, seed=5)
    screen = PlannerScreen(catalog, pairings, days="2026-05-04..2026-05-05", rooms=2)

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(screen)

    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = screen.result
        assert result is not None and result.meetings
        grid = screen.query_one("#plan-grid", DataTable)
        # One row per slot holding a meeting; each run of free slots folded into one row.
        used = {m.slot for m in result.meetings}
        assert len(used) <= grid.row_count < len(result.request.slots) == 20
        assert len(grid.columns) == 2 + 2
        shown = [str(cell) for row in range(grid.row_count) for cell in grid.get_row_at(row)]
        placed = [cell for cell in shown if "\n× " in cell]
        assert len(placed) == len(result.meetings)
        assert any(m.candidate.foreign_id == "f0" for m in result.meetings)
        # The hostile name, shortened to its cell, shows its markup as characters.
        assert any(cell.startswith("[bold red]Evil[/]") for cell in placed)
        assert not any("\x1b" in cell for cell in shown)
        firms = screen.query_one("#plan-firms", OptionList)
        assert firms.option_count == len(result.firms())
        agenda = screen.query_one("#plan-agenda", DataTable)
        assert agenda.row_count == len(result.agenda(result.firms()[0]))

        # Bad settings: a clear message on the status line, the old plan stays;
        # typing "e" in a field is text, not the export key.
        rooms = screen.query_one("#plan-rooms", Input)
        rooms.value = ""
        rooms.focus()
        await pilot.press("0", "e", "backspace", "enter")
        assert not screen.query_one("#plan-export", Input).has_class("-visible")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(screen.query_one("#plan-status", Label).render())
        assert "at least one room" in status
        assert screen.result is result

        # Untick a delegation member (rooms fixed again): the plan follows without it.
        rooms.value = "2"
        screen.query_one("#plan-min", Input).value = "1"
        dropped = result.meetings[0].candidate.foreign_id
        members = screen.query_one("#plan-delegation", SelectionList)
        members.deselect(dropped)
        await pilot.pause(0.6)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.result is not result
        assert dropped not in screen.result.request.delegation
        assert screen.result.request.min_meetings == 1
        assert all(m.candidate.foreign_id != dropped for m in screen.result.meetings)
        result = screen.result

        target = tmp_path / "agenda.ics"
        grid.focus()
        await pilot.press("e")
        export = screen.query_one("#plan-export", Input)
        assert export.has_focus
        export.value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()  # the file is written in a worker
        await pilot.pause()
        [*events] = parse_ics(target.read_bytes())
        assert len(events) == len(result.meetings)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen


# ------------------------------------------------------- names shortened for narrow cells

TELEDYNE = "Teledyne FLIR"
TELEDYNE_UAS = "Teledyne FLIR Unmanned Aerial Systems AS"


@pytest.mark.parametrize("width", [8, 10, 12, 14, 16, 20, 32])
def test_shortened_names_stay_distinguishable(width: int):
    from coprod.tui.screens.planner import distinct_short_names

    names = {
        "flir": TELEDYNE,
        "flir-uas": TELEDYNE_UAS,
        "kongsberg": "Kongsberg Defence & Aerospace",
        "rtx": "RTX (Raytheon)",
        "one": "Acme Widgets One",
        "two": "Acme Widgets Two",
        "twin-a": "Twin Corp",
        "twin-b": "Twin Corp",  # two firms of one name: told apart by a number
        "evil": "[bold]X[/] \x1b[2J Corp",
    }
    shown = distinct_short_names(names, width)
    assert set(shown) == set(names)
    assert len(set(shown.values())) == len(names), shown
    assert all(0 < len(short) <= width for short in shown.values()), shown
    assert all(short.startswith(("Teledyne", "Tel")) for k, short in shown.items() if "flir" in k)
    assert not any("\x1b" in short for short in shown.values())
    # Names that fit, or are alike only in part, keep their plain short form.
    assert shown["rtx"] in ("RTX", "RTX (Raytheon)")


def test_two_teledyne_firms_read_apart_in_the_80_column_grid():
    asyncio.run(_drive_teledyne_grid())


async def _drive_teledyne_grid() -> None:
    from dataclasses import replace

    from textual.app import App
    from textual.widgets import DataTable

    import coprod.tui
    from coprod.tui.screens.planner import PlannerScreen

    catalog = make_catalog(n_foreign=5, n_local=3, n_requirements=8, seed=5)
    # The US firm and its Norwegian unit: both meet with and without a consent mark.
    for pid, name, country in (("f0", TELEDYNE, "United States"), ("f1", TELEDYNE_UAS, "Norway")):
        catalog.partners[pid] = replace(catalog.partners[pid], name=name, country=country)
    pairings = make_pairings(catalog, per_requirement=3, seed=5)
    screen = PlannerScreen(catalog, pairings, days="2026-05-04..2026-05-05", rooms=4)

    class Host(App):
        # The app's stylesheet: the columns are as narrow as in coprod tui.
        CSS_PATH = Path(coprod.tui.__file__).with_name("app.tcss")

        def on_mount(self) -> None:
            self.push_screen(screen)

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = screen.result
        assert result is not None
        grid = screen.query_one("#plan-grid", DataTable)
        # The grid's rows: a folded run of free slots, or the next slot holding meetings.
        by_place = {(m.slot, m.room): m for m in result.meetings}
        rooms = range(1, result.request.rooms + 1)
        used = iter([t for t in result.request.slots if any((t, r) in by_place for r in rooms)])
        shown: dict[str, set[str]] = {}
        for row in range(grid.row_count):
            cells = grid.get_row_at(row)
            if "free slot" in str(cells[2]):
                continue
            slot = next(used)
            for room, cell in enumerate(cells[2:], start=1):
                if (slot, room) in by_place:
                    first = str(cell).split("\n", 1)[0].removesuffix(" ⚑")
                    member = by_place[(slot, room)].candidate.foreign_id
                    shown.setdefault(member, set()).add(first)
        assert {"f0", "f1"} <= set(shown)  # both Teledyne firms have meetings on the grid
        # Each member reads the same in every cell, and no two members read alike.
        assert all(len(names) == 1 for names in shown.values()), shown
        firsts = {next(iter(names)) for names in shown.values()}
        assert len(firsts) == len(shown), shown
        teledynes = {name for name in firsts if name.startswith("Teledyne")}
        assert len(teledynes) == 2, firsts
