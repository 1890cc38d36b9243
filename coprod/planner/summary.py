"""A plan's summary in words, for the TUI's planner screen and `coprod plan`'s table alike.

"57 meetings in 3 days and 6 rooms; no better schedule exists." reads where
"value 2849.4 (optimal, proven optimal)" did not; the figures stay in
`summary_lines` (stderr) and the JSON summary for those who want them.
Core module: no printing, no textual.
"""

from __future__ import annotations

from collections import Counter

from coprod.planner.model import PlanResult, Unscheduled

# A gain over the greedy schedule below this (in value points) is no gain worth a sentence.
NO_GAIN = 0.05


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 meeting", "3 meetings", "no meeting"."""
    if count == 0:
        return f"no {noun}"
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def _extent(result: PlanResult) -> str:
    days = len({slot.day for slot in result.request.slots})
    return f"{counted(days, 'day')} and {counted(result.request.rooms, 'room')}"


def _quality(result: PlanResult) -> str:
    if result.status == "optimal":
        return "no better schedule exists"
    if result.status == "greedy":
        return "planned first come, first served (the solver did not run or found nothing better)"
    if result.status == "empty":
        return "no candidate meeting had a slot both firms could attend"
    return (
        "the solver stopped at its time limit: a better schedule could be worth "
        f"up to {result.gap:.0%} more"
    )


def why_not_fitted(item: Unscheduled) -> str:
    """An unscheduled meeting's reason, as a short cause shared by others like it."""
    reason = item.reason
    if reason.startswith("no slot where both"):
        return "the two firms are never free at the same time"
    if reason.startswith("rooms full"):
        return "every room was taken"
    if reason.startswith("adds no value"):
        return "it adds no value"
    if reason.startswith("a slot and a room were free"):
        return "the solver ran out of time"
    return "one of the two firms was in other meetings"


def _left_out_cause(reason: str) -> str:
    if reason.startswith("blocked"):
        return "blocked by an export posture"
    if "Taiwanese" in reason or "local" in reason:
        return "with no Taiwanese co-producer"
    return reason


def plan_summary(result: PlanResult) -> list[str]:
    """The plan in a few sentences: what it holds, how good it is, what did not fit.

    Sentences: the meetings, days and rooms with the plan's quality; the
    delegation members met; the meetings that could not be fitted and why;
    the pairings left out before planning; the gain over a first-come
    schedule (left out when there is none).
    """
    meetings = len(result.meetings)
    if meetings:
        lines = [
            f"{counted(meetings, 'meeting').capitalize()} in {_extent(result)}; {_quality(result)}."
        ]
    else:
        lines = [f"No meeting could be scheduled in {_extent(result)}: {_quality(result)}."]
    members = len(result.request.delegation)
    met = result.members_met
    asked = result.request.min_meetings
    who = (
        f"All {members:,} delegation members have a meeting"
        if met == members and members > 1
        else f"{met:,} of {counted(members, 'delegation member')} have a meeting"
    )
    if asked:
        who += f" ({asked} each asked for first, where the schedule allows)"
    lines.append(who + ".")
    if result.unscheduled:
        causes = Counter(why_not_fitted(item) for item in result.unscheduled)
        count = len(result.unscheduled)
        what = counted(count, "possible meeting").capitalize()
        topics = sum(len(item.candidate.topics) for item in result.unscheduled)
        if topics != count:
            what += f" (covering {topics:,} shortlisted pairings)"
        if len(causes) == 1:
            (cause,) = causes
            lines.append(f"{what} could not be fitted: {cause}.")
        else:
            detail = "; ".join(f"{n:,} because {cause}" for cause, n in causes.most_common())
            lines.append(f"{what} could not be fitted: {detail}.")
    if result.excluded:
        causes = Counter(_left_out_cause(item.reason) for item in result.excluded)
        count = len(result.excluded)
        detail = "; ".join(f"{n:,} {cause}" for cause, n in causes.most_common())
        lines.append(
            f"{counted(count, 'shortlisted pairing').capitalize()} "
            f"{'was' if count == 1 else 'were'} left out: {detail}."
        )
    gain = result.value - result.greedy_value
    if result.status in ("optimal", "feasible") and gain >= NO_GAIN and result.greedy_value > 0:
        share = gain / result.greedy_value
        lines.append(
            f"This schedule is worth {share:.0%} more than a first-come, first-served one "
            f"({counted(result.greedy_meetings, 'meeting')})."
        )
    return lines
