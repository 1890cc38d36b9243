"""Where Taiwan's requirements are not covered, computed from rank results.

Two views of the same rankings:
- gaps: requirements with no feasible pairing, and why (no partner in the
  catalog can make it at all, or every capable partner is blocked by a
  government's export posture);
- the coverage matrix: requirement category x partner country, each cell the
  best feasible score, the raw material of a heat map.

Core module: no textual, no printing. Feasible means any verdict other than
"blocked" (a pairing needing consent can still happen).

`analyse` computes both over the whole catalog. A ranking cut at a fixed
length would drop a country whose best partner ranks below the cut (on the
shipped catalog France, Japan and the United Kingdom vanished that way), and
ranking every capable partner of every requirement builds about 2,000
pairings per requirement at 100,000 partners (minutes). So it asks for a
page of the best feasible pairings, one per partner; a country seen there
has its best score (the ranking is by score); then it asks again, filtered
to the countries not seen yet, until every country is seen or none of them
has a feasible candidate left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from coprod import LOCAL_COUNTRY
from coprod.model import Pairing, Requirement

if TYPE_CHECKING:
    from coprod.ranking import Ranker, RankOptions

NO_CAPABLE_PARTNER = "no_capable_partner"
ALL_BLOCKED = "all_blocked"
UNCATEGORISED = "(none)"
# Pairings asked for per ranking call of `analyse`: one page usually shows
# most countries; more pages cost a ranking each, fewer build fewer pairings.
ANALYSIS_PAGE = 40
# Requirements per batched first pass (bounds memory and paces progress).
ANALYSIS_BATCH = 100


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
    blocked requirement would look like one nobody can make, and must not be
    cut short of the first feasible pairing: `analyse` ranks that way.
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
    requirements: Iterable[Requirement],
    rankings: Mapping[str, Sequence[Pairing]],
    countries: Iterable[str] = (),
) -> CoverageMatrix:
    """The category x country matrix of best feasible scores.

    Every requirement category appears as a row, even one with no feasible
    pairing (that empty row is the point). Every country in `countries` (the
    catalog's partner countries) and every country of a ranked pairing gets a
    column, even when all its cells are empty, so the reader sees who was
    ruled out. Countries are ordered by how many categories they cover, then
    name.
    """
    categories: set[str] = set()
    seen_countries: set[str] = set(countries)
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


@dataclass(frozen=True)
class Analysis:
    gaps: tuple[Gap, ...]
    matrix: CoverageMatrix


def analyse(
    ranker: Ranker,
    requirements: Sequence[Requirement],
    countries: Sequence[str],
    *,
    page: int = ANALYSIS_PAGE,
    progress: Callable[[int, int], None] | None = None,
) -> Analysis:
    """Gaps and coverage over the whole catalog (every capable partner counts).

    `countries`: the partner countries (Taiwan's column holds local-only
    pairings). `progress(done, total)` after each batch of requirements.
    """
    from coprod.ranking import RankOptions

    feasible_page = RankOptions(top=page, per_partner=1, locals_per_foreign=1, exclude_blocked=True)
    with_blocked = RankOptions(top=page)
    collected: dict[str, list[Pairing]] = {}
    for start in range(0, len(requirements), ANALYSIS_BATCH):
        batch = requirements[start : start + ANALYSIS_BATCH]
        first = ranker.rank_many(batch, feasible_page)
        covered = []
        for requirement in batch:
            pairings = first.get(requirement.requirement_id, [])
            if not pairings:
                # No feasible candidate anywhere: rank the blocked ones to say why.
                pairings = ranker.rank(requirement, with_blocked)
            else:
                covered.append(requirement)
            collected[requirement.requirement_id] = pairings
        _add_unseen_countries(ranker, covered, collected, countries, feasible_page)
        if progress:
            progress(min(start + len(batch), len(requirements)), len(requirements))
    return Analysis(
        tuple(find_gaps(requirements, collected)),
        coverage_matrix(requirements, collected, countries),
    )


def _add_unseen_countries(
    ranker: Ranker,
    requirements: Sequence[Requirement],
    collected: dict[str, list[Pairing]],
    countries: Sequence[str],
    options: RankOptions,
) -> None:
    """Extend each requirement's pairings (best feasible first) until every country
    with a feasible candidate has one: each further page is filtered to the countries
    not seen yet. A page shorter than `options.top` holds every candidate left.
    Requirements missing the same countries are ranked together (one batched call)."""
    seen = {
        r.requirement_id: {pairing_country(p) for p in collected[r.requirement_id]}
        for r in requirements
    }
    open_ = [r for r in requirements if len(collected[r.requirement_id]) >= options.top]
    while open_:
        by_unseen: dict[tuple[str, ...], list[Requirement]] = {}
        for requirement in open_:
            unseen = tuple(c for c in countries if c not in seen[requirement.requirement_id])
            if unseen:
                by_unseen.setdefault(unseen, []).append(requirement)
        open_ = []
        for unseen, group in by_unseen.items():
            pages = ranker.rank_many(group, replace(options, countries=unseen))
            for requirement in group:
                rid = requirement.requirement_id
                page = pages.get(rid, [])
                collected[rid].extend(page)
                newly_seen = {pairing_country(p) for p in page} - seen[rid]
                seen[rid] |= newly_seen
                # Stop on a short page, or if the filter and our names disagree (no loop).
                if len(page) >= options.top and newly_seen:
                    open_.append(requirement)
