"""A partner's profile: what it makes, what it co-develops, its country's posture, its
sources, and every requirement it matches with the score.

`partner_profile` reads only the catalog (instant); `matched_requirements` ranks
every requirement and costs about one ranking of the whole catalog (some 2 s on
the shipped catalog), so the TUI runs it in a worker, a batch at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from coprod.knowledge import KnownSystem, fold, same_organisation
from coprod.model import Capability, CapabilityColumns, Catalog, CountryPosture, Partner

CATALOG = "catalog"  # a co-development from the catalog's codevelopers table
KNOWLEDGE_BASE = "knowledge base"  # ... from the knowledge base's system relations
REQUIREMENT_BATCH = 16  # requirements ranked per step of matched_requirements


@dataclass(frozen=True, slots=True)
class Codevelopment:
    """One organisation with a part in a system the partner makes or co-develops."""

    system: str
    organisation: str  # the partner's name when the catalog has it, else as written
    country: str
    role: str  # co_developer, licensor, licensee
    origin: str  # CATALOG or KNOWLEDGE_BASE
    partner_id: str = ""  # the catalog partner, when it is one
    source: str = ""
    is_self: bool = False  # the profile's own partner


@dataclass(frozen=True)
class PartnerProfile:
    partner: Partner
    capabilities: tuple[Capability, ...]  # every line, in catalog order
    codevelopments: tuple[Codevelopment, ...]  # grouped by system, catalog rows first
    posture: CountryPosture | None  # None: the catalog has no posture for the country
    sources: tuple[tuple[str, str], ...]  # (what, source), each once


@dataclass(frozen=True, slots=True)
class RequirementMatch:
    """A requirement the partner is ranked for: its best pairing's score and verdict."""

    requirement_id: str
    title: str
    score: float
    feasibility: str
    capability: str  # the partner's line that matched
    co_producer: str  # the Taiwanese co-producer of that pairing ("" when none)


def partner_profile(catalog: Catalog, partner_id: str) -> PartnerProfile:
    """Everything the catalog and its knowledge base say about one partner.

    Raises KeyError for an id the catalog does not hold.
    """
    partner = catalog.partners[partner_id]
    columns = CapabilityColumns.of(catalog.capabilities).columns
    lines = tuple(
        catalog.capabilities[i] for i, pid in enumerate(columns["partner_id"]) if pid == partner_id
    )
    codevelopments = _codevelopments(catalog, partner, lines)
    posture = catalog.posture_of(partner.country)
    sources: list[tuple[str, str]] = []

    def add(what: str, source: str) -> None:
        if source.strip() and (what, source) not in sources:
            sources.append((what, source))

    add(f"partner {partner.name}", partner.source)
    for line in lines:
        add(f"line “{_short(line.capability)}”", line.source)
    if posture is not None:
        add(f"posture of {posture.country}", posture.source)
    for step in codevelopments:
        add(f"{step.system}: {step.organisation} ({step.origin})", step.source)
    return PartnerProfile(partner, lines, codevelopments, posture, tuple(sources))


def _short(text: str, width: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _codevelopments(
    catalog: Catalog, partner: Partner, lines: Sequence[Capability]
) -> tuple[Codevelopment, ...]:
    """Per system the partner names in a line, or co-develops by the catalog's or the
    knowledge base's account: every organisation with a part in it, itself included."""
    knowledge = catalog.knowledge
    systems: dict[str, str] = {}  # folded name -> name as written
    for line in lines:
        if line.system.strip():
            systems.setdefault(fold(line.system), line.system)
    for system, partner_ids in catalog.codevelopers.items():
        if partner.partner_id in partner_ids:
            systems.setdefault(fold(system), system)
    for system_id, relations in knowledge.relations.items():
        known = knowledge.systems.get(system_id)
        if known is not None and any(
            same_organisation(r.organisation, partner.name) for r in relations
        ):
            systems.setdefault(fold(known.name), known.name)
    found: list[Codevelopment] = []
    for folded, written in systems.items():
        known: KnownSystem | None = knowledge.system_by_name.get(folded)
        # The catalog's codevelopers table keys systems casefolded: show a known name.
        name = known.name if known is not None and written == written.casefold() else written
        rows: list[Codevelopment] = []
        for pid in catalog.codevelopers_of(written):
            other = catalog.partners.get(pid)
            rows.append(
                Codevelopment(
                    name,
                    other.name if other else pid,
                    other.country if other else "",
                    "co_developer",
                    CATALOG,
                    pid,
                    _codeveloper_source(catalog, name, pid),
                    pid == partner.partner_id,
                )
            )
        if known is not None:
            for relation in knowledge.relations_of(known.system_id):
                pid = _partner_named(catalog, relation.organisation)
                if any(
                    r.partner_id and r.partner_id == pid and r.role == relation.role for r in rows
                ):
                    continue  # the catalog already says so
                rows.append(
                    Codevelopment(
                        name,
                        relation.organisation,
                        relation.country,
                        relation.role,
                        KNOWLEDGE_BASE,
                        pid,
                        relation.source,
                        bool(pid) and pid == partner.partner_id,
                    )
                )
        if len(rows) > 1 or any(not r.is_self for r in rows):
            found.extend(rows)  # a system the partner makes alone has no co-developments
    return tuple(found)


def _partner_named(catalog: Catalog, organisation: str) -> str:
    """The catalog partner an organisation of the knowledge base is, or ""."""
    key = fold(organisation)
    for partner in catalog.partners.values():
        if fold(partner.name) == key:
            return partner.partner_id
    for partner in catalog.partners.values():
        if same_organisation(organisation, partner.name):
            return partner.partner_id
    return ""


def _codeveloper_source(catalog: Catalog, system: str, partner_id: str) -> str:
    """The catalog keeps no source per codeveloper row in memory: the line's source."""
    columns = CapabilityColumns.of(catalog.capabilities).columns
    for i, pid in enumerate(columns["partner_id"]):
        if pid == partner_id and fold(columns["system"][i]) == fold(system):
            return columns["source"][i]
    return ""


def matched_requirements(
    ranker: object, catalog: Catalog, partner_id: str, batch_size: int = REQUIREMENT_BATCH
) -> Iterator[tuple[int, list[RequirementMatch]]]:
    """Every requirement whose ranking offers this partner, as (requirements done, found
    in this batch), a batch at a time.

    Ranked with only the partner's country kept and every partner of it listed
    (one pairing each), so the score is the partner's best pairing for the
    requirement, as `coprod rank --country` would score it: a foreign partner
    as supplier with its best Taiwanese co-producer, a Taiwanese firm on its own.
    """
    from coprod.ranking import RankOptions

    partner = catalog.partners[partner_id]
    peers = sum(1 for p in catalog.partners.values() if p.country == partner.country)
    # Room for every peer even where blocked pairings may fill only half the list.
    options = RankOptions(
        top=2 * peers + 2, per_partner=1, locals_per_foreign=1, countries=(partner.country,)
    )
    requirements = list(catalog.requirements.values())
    for start in range(0, len(requirements), batch_size):
        batch = requirements[start : start + batch_size]
        ranked = ranker.rank_many(batch, options)  # type: ignore[attr-defined]
        found: list[RequirementMatch] = []
        for requirement in batch:
            for pairing in ranked.get(requirement.requirement_id, []):
                supplier = pairing.foreign or pairing.local
                if supplier is None or supplier.partner_id != partner_id:
                    continue
                co = pairing.local if pairing.foreign is not None else None
                found.append(
                    RequirementMatch(
                        requirement.requirement_id,
                        requirement.title,
                        pairing.score,
                        pairing.feasibility,
                        supplier.capability,
                        co.partner_name if co is not None else "",
                    )
                )
                break
        yield start + len(batch), found
