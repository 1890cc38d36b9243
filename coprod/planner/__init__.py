"""Delegation planner: turn the best pairings into a B2B meeting schedule.

A delegation of foreign firms visits Taiwan for a few days. Each meeting puts
one delegation member and one Taiwanese co-producer in a room for one slot and
covers every requirement the two firms share among the pairings considered.

- `model`: slots, candidate meetings, the request and the result;
- `inputs`: the --days/--slots/--rooms flags and the delegation,
  unavailability and shortlist files;
- `candidates`: candidate meetings from ranked pairings or a shortlist;
- `solve`: the greedy baseline, CP-SAT (the only module importing OR-Tools),
  bounds, rooms, and why a candidate meeting was not scheduled;
- `export`: CSV, JSON, Markdown and iCalendar;
- `summary`: the plan in words (the TUI's planner and `coprod plan`'s table).

Core: no printing, no textual; errors are coprod.errors types (UsageError for
flag values, DataError for file contents, with file:line).
"""

from coprod.planner.candidates import pool_from_pairings, pool_from_shortlist, ranked_pairings
from coprod.planner.export import (
    CSV_FIELDS,
    meeting_feasibility,
    meeting_record,
    plan_json,
    summary_lines,
    summary_record,
    write_csv,
    write_ics,
    write_json,
    write_markdown,
    write_plan,
)
from coprod.planner.inputs import (
    MAX_DAYS,
    MAX_SLOTS,
    ShortlistRow,
    parse_days,
    parse_rooms,
    parse_slots,
    read_delegation,
    read_shortlist,
    read_unavailability,
    resolve_firms,
)
from coprod.planner.model import (
    MAX_MIN_MEETINGS,
    MAX_ROOMS,
    PRIORITY_WEIGHTS,
    CandidateMeeting,
    Excluded,
    Meeting,
    MeetingPool,
    PlanRequest,
    PlanResult,
    Slot,
    Topic,
    Unavailability,
    Unscheduled,
    for_firms,
)
from coprod.planner.solve import (
    MAX_SEED,
    MAX_WORKERS,
    compact_schedule,
    coverage,
    greedy_schedule,
    plan,
    simple_upper_bound,
)
from coprod.planner.summary import plan_summary
from coprod.safe import markdown_text as md_text

# Other names for the same objects, for callers written against them (the TUI's
# planner screen imports candidates_from_pairings).
Candidate = CandidateMeeting
CandidateSet = MeetingPool
candidates_from_pairings = pool_from_pairings
candidates_from_shortlist = pool_from_shortlist

__all__ = [
    "CSV_FIELDS",
    "MAX_DAYS",
    "MAX_MIN_MEETINGS",
    "MAX_ROOMS",
    "MAX_SEED",
    "MAX_SLOTS",
    "MAX_WORKERS",
    "PRIORITY_WEIGHTS",
    "Candidate",
    "CandidateMeeting",
    "CandidateSet",
    "Excluded",
    "Meeting",
    "MeetingPool",
    "PlanRequest",
    "PlanResult",
    "ShortlistRow",
    "Slot",
    "Topic",
    "Unavailability",
    "Unscheduled",
    "candidates_from_pairings",
    "candidates_from_shortlist",
    "compact_schedule",
    "coverage",
    "for_firms",
    "greedy_schedule",
    "md_text",
    "meeting_feasibility",
    "meeting_record",
    "parse_days",
    "parse_rooms",
    "parse_slots",
    "plan",
    "plan_json",
    "plan_summary",
    "pool_from_pairings",
    "pool_from_shortlist",
    "ranked_pairings",
    "read_delegation",
    "read_shortlist",
    "read_unavailability",
    "resolve_firms",
    "simple_upper_bound",
    "summary_lines",
    "summary_record",
    "write_csv",
    "write_ics",
    "write_json",
    "write_markdown",
    "write_plan",
]
