"""Candidate meetings: the pairings a delegation member and a Taiwanese firm share, grouped.

From the ranker's pairings (`pool_from_pairings`) or from a shortlist file
(`pool_from_shortlist`, whose feasibility claims the catalog re-decides). A
candidate meeting covers every requirement the two firms are paired on, each
once, at its best score; blocked pairings and pairings without a Taiwanese
firm are left out of the pool and listed with the reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from coprod import LOCAL_COUNTRY
from coprod.errors import DataError
from coprod.feasibility import Verdict, assess
from coprod.model import CapabilityColumns, Catalog, ConsentStep, Pairing, Partner, Requirement
from coprod.planner.inputs import ShortlistRow, resolve_partner
from coprod.planner.model import CandidateMeeting, Excluded, MeetingPool, Topic
from coprod.safe import printable


def _requirement_facts(
    catalog: Catalog, requirement_id: str, extra: Mapping[str, Requirement] | None = None
) -> tuple[str, str]:
    requirement = catalog.requirements.get(requirement_id) or (extra or {}).get(requirement_id)
    if requirement is None:
        return requirement_id, "medium"
    return requirement.title, requirement.priority


def pool_from_pairings(
    pairings: Iterable[Pairing],
    catalog: Catalog,
    delegation: Sequence[str],
    top: int | None = None,
    requirements: Mapping[str, Requirement] | None = None,
) -> MeetingPool:
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
    return MeetingPool(_candidate_meetings(topics), tuple(excluded))


def pool_from_shortlist(
    rows: Iterable[ShortlistRow], catalog: Catalog, delegation: Sequence[str] | None
) -> MeetingPool:
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
            continue  # a Taiwanese firm alone: nobody from the delegation to meet
        foreign = resolve_partner(row.foreign_id, catalog, row.place)
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
        local = resolve_partner(row.local_id, catalog, row.place)
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
    return MeetingPool(_candidate_meetings(topics), tuple(excluded), tuple(notes))


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


def _candidate_meetings(
    topics: Mapping[tuple[str, str], Mapping[str, Topic]],
) -> tuple[CandidateMeeting, ...]:
    found = [
        CandidateMeeting(
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
