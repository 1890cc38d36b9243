"""Where Taiwan's requirements are not covered, computed from rank results.

Two views of the same rankings:
- gaps: requirements with no feasible pairing, and why (no partner in the
  catalog can make it at all, or every capable partner is blocked by a
  government's export posture);
- the coverage matrix: requirement category x partner country, each cell the
  best feasible score, the raw material of a heat map.

Core module: no textual, no printing. Feasible means any verdict other than
"blocked" (a pairing needing consent can still happen).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from coprod import LOCAL_COUNTRY
from coprod.model import Pairing, Requirement

NO_CAPABLE_PARTNER = "no_capable_partner"
ALL_BLOCKED = "all_blocked"
UNCATEGORISED = "(none)"


@dataclass(frozen=True)
class Gap:
    """A requirement that no feasible pairing serves."""

    requirement: Requirement
    reason: str  # NO_CAPABLE_PARTNER or ALL_BLOCKED
    blocked_by: tuple[str, ...] = ()  # governments blocking the capable candidates
    best_blocked_score: float | None = None  # the best candidate that was blocked

    @property
    def explanation(self) -> str:
        if self.reason == NO_CAPABLE_PARTNER:
            return "no capable partner"
        blockers = ", ".join(self.blocked_by) or "export postures"
        return f"all blocked by {blockers}"


def is_feasible(pairing: Pairing) -> bool:
    return pairing.feasibility != "blocked"


def pairing_country(pairing: Pairing) -> str | None:
    """The partner country a pairing stands for: the foreign partner's, or Taiwan for local-only."""
    if pairing.foreign is not None:
        return pairing.foreign.country
    if pairing.local is not None:
        return pairing.local.country or LOCAL_COUNTRY
    return None


def find_gaps(
    requirements: Iterable[Requirement], rankings: Mapping[str, Sequence[Pairing]]
) -> list[Gap]:
    """The requirements (in the given order) whose ranking holds no feasible pairing.

    `rankings` must come from a ranking that kept blocked pairings, or every
    blocked requirement would look like one nobody can make.
    """
    gaps: list[Gap] = []
    for requirement in requirements:
        pairings = rankings.get(requirement.requirement_id, ())
        if any(is_feasible(p) for p in pairings):
            continue
        if not pairings:
            gaps.append(Gap(requirement, NO_CAPABLE_PARTNER))
            continue
        blockers: list[str] = []
        for pairing in pairings:
            for country in pairing.blocked_by:
                if country not in blockers:
                    blockers.append(country)
        best = max(p.score for p in pairings)
        gaps.append(Gap(requirement, ALL_BLOCKED, tuple(blockers), best))
    return gaps


@dataclass(frozen=True)
class CoverageMatrix:
    """Best feasible score per (requirement category, partner country)."""

    categories: tuple[str, ...]
    countries: tuple[str, ...]
    cells: dict[tuple[str, str], float] = field(default_factory=dict)

    def score(self, category: str, country: str) -> float | None:
        """None when no feasible pairing joins this category and country."""
        return self.cells.get((category, country))


def coverage_matrix(
    requirements: Iterable[Requirement], rankings: Mapping[str, Sequence[Pairing]]
) -> CoverageMatrix:
    """The category x country matrix of best feasible scores.

    Every requirement category appears as a row, even one with no feasible
    pairing (that empty row is the point). Countries that appear only in
    blocked pairings get an empty column, so the reader sees who was ruled
    out. Countries are ordered by how many categories they cover, then name.
    """
    categories: set[str] = set()
    seen_countries: set[str] = set()
    cells: dict[tuple[str, str], float] = {}
    for requirement in requirements:
        category = requirement.category.strip() or UNCATEGORISED
        categories.add(category)
        for pairing in rankings.get(requirement.requirement_id, ()):
            country = pairing_country(pairing)
            if country is None:
                continue
            seen_countries.add(country)
            if not is_feasible(pairing):
                continue
            key = (category, country)
            if pairing.score > cells.get(key, -1.0):
                cells[key] = pairing.score
    coverage = {c: sum(1 for (_, country) in cells if country == c) for c in seen_countries}
    countries = tuple(sorted(seen_countries, key=lambda c: (-coverage[c], c)))
    return CoverageMatrix(tuple(sorted(categories)), countries, cells)
