"""Where Taiwan's requirements are not covered, computed from rank results.

Two views of the same rankings:
- gaps: requirements with no feasible pairing, and why (no partner in the
  catalog can make it at all, or every capable partner is blocked by a
  government's export posture);
- coverage states: every requirement is `covered` only when a feasible
  pairing reaches a threshold (DEFAULT_COVERAGE_THRESHOLD unless the caller
  sets one), `weakly_covered` when its best feasible pairing scores below it,
  else one of the two gap reasons; any feasible score counting as cover made
  a requirement whose best pairing scores 33.8 look served;
- the coverage matrix: requirement category x partner country, each cell the
  best feasible score, the raw material of a heat map.

Core module: no textual, no printing. Feasible means any verdict other than
"blocked" (a pairing needing consent can still happen). A country filter
(`analyse(..., only_countries=..., excluded_countries=...)`) applies to the
whole computation: with it, a requirement is covered only by partners from
the kept countries (Taiwanese industry alone counts when Taiwan is kept).

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
COVERED = "covered"
WEAKLY_COVERED = "weakly_covered"
COVERAGE_STATES: tuple[str, ...] = (COVERED, WEAKLY_COVERED, ALL_BLOCKED, NO_CAPABLE_PARTNER)
# A requirement counts as covered when its best feasible pairing scores at least this.
# On the shipped catalog a pairing an analyst would propose (a supplier whose line
# names what is asked, with a Taiwanese co-producer) scores 60-90; below 50 the
# supplier's line meets the requirement in a few words or a broad class only.
DEFAULT_COVERAGE_THRESHOLD = 50.0
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
class RequirementCoverage:
    """How well one requirement is covered, and by what."""

    requirement: Requirement
    state: str  # one of COVERAGE_STATES
    best_feasible: Pairing | None = None  # the best pairing that can happen, if any
    blocked_by: tuple[str, ...] = ()  # ALL_BLOCKED: the governments blocking the candidates
    best_blocked_score: float | None = None
    threshold: float = DEFAULT_COVERAGE_THRESHOLD

    @property
    def best_score(self) -> float | None:
        return self.best_feasible.score if self.best_feasible is not None else None

    @property
    def explanation(self) -> str:
        """The state in words: "covered (best 83.1)", "weakly covered: best 33.8, below 50"."""
        if self.state == COVERED:
            return f"covered (best {self.best_score:.1f})"
        if self.state == WEAKLY_COVERED:
            return f"weakly covered: best {self.best_score:.1f}, below {self.threshold:g}"
        if self.state == NO_CAPABLE_PARTNER:
            return "no capable partner"
        blockers = ", ".join(self.blocked_by) or "export postures"
        return f"all blocked by {blockers}"

    @property
    def why(self) -> str:
        """Why the requirement is in its state, without naming the state (for a table
        whose own column names it): "best feasible 33.8, below 50"."""
        if self.state in (COVERED, WEAKLY_COVERED):
            relation = "at least" if self.state == COVERED else "below"
            return f"best feasible {self.best_score:.1f}, {relation} {self.threshold:g}"
        if self.state == NO_CAPABLE_PARTNER:
            return "no partner in the catalog makes it"
        blockers = ", ".join(self.blocked_by) or "export postures"
        return f"every capable partner is blocked by {blockers}"


def coverage_states(
    requirements: Iterable[Requirement],
    rankings: Mapping[str, Sequence[Pairing]],
    threshold: float = DEFAULT_COVERAGE_THRESHOLD,
) -> list[RequirementCoverage]:
    """Every requirement (in the given order) with its coverage state.

    `rankings` as for `find_gaps`: with blocked pairings kept, not cut short of
    the best feasible pairing.
    """
    gaps = {gap.requirement.requirement_id: gap for gap in find_gaps(requirements, rankings)}
    states: list[RequirementCoverage] = []
    for requirement in requirements:
        gap = gaps.get(requirement.requirement_id)
        if gap is not None:
            states.append(
                RequirementCoverage(
                    requirement,
                    gap.reason,
                    blocked_by=gap.blocked_by,
                    best_blocked_score=gap.best_blocked_score,
                    threshold=threshold,
                )
            )
            continue
        feasible = [p for p in rankings.get(requirement.requirement_id, ()) if is_feasible(p)]
        best = max(feasible, key=lambda p: p.score)  # the first of equals: the ranking's order
        state = COVERED if best.score >= threshold else WEAKLY_COVERED
        states.append(RequirementCoverage(requirement, state, best, threshold=threshold))
    return states


@dataclass(frozen=True)
class CellPartner:
    """A partner behind a heat-map cell: its best feasible pairing in that category."""

    partner_id: str
    name: str
    best_score: float
    requirement_ids: tuple[str, ...]  # the category's requirements it can serve, best first


@dataclass(frozen=True)
class CellContents:
    """What a heat-map cell (category x country) stands for."""

    category: str
    country: str
    # every requirement of the category, with its best feasible pairing from the country
    # (None: the country has none for it), best first, then the rest in catalog order
    requirements: tuple[tuple[Requirement, Pairing | None], ...]
    partners: tuple[CellPartner, ...]  # best first

    @property
    def score(self) -> float | None:
        """The cell's value: the best feasible score (CoverageMatrix.score agrees)."""
        scores = [p.score for _, p in self.requirements if p is not None]
        return max(scores) if scores else None


def _category_of(requirement: Requirement) -> str:
    return requirement.category.strip() or UNCATEGORISED


def _partner_of(pairing: Pairing) -> tuple[str, str] | None:
    side = pairing.foreign if pairing.foreign is not None else pairing.local
    return (side.partner_id, side.partner_name) if side is not None else None


def cell_contents(
    requirements: Iterable[Requirement],
    rankings: Mapping[str, Sequence[Pairing]],
    category: str,
    country: str,
) -> CellContents:
    """The requirements and partners behind one cell of `coverage_matrix`.

    `category` as the matrix names it (UNCATEGORISED for requirements with
    none); the Taiwan column holds local-only candidates.
    """
    rows: list[tuple[Requirement, Pairing | None]] = []
    partners: dict[str, list] = {}  # partner id -> [name, best score, requirement ids]
    for requirement in requirements:
        if _category_of(requirement) != category:
            continue
        from_country = [
            p
            for p in rankings.get(requirement.requirement_id, ())
            if is_feasible(p) and pairing_country(p) == country
        ]
        best = max(from_country, key=lambda p: p.score) if from_country else None
        rows.append((requirement, best))
        for pairing in from_country:
            partner = _partner_of(pairing)
            if partner is None:
                continue
            entry = partners.setdefault(partner[0], [partner[1], pairing.score, {}])
            entry[1] = max(entry[1], pairing.score)
            scores = entry[2]
            rid = requirement.requirement_id
            scores[rid] = max(scores.get(rid, pairing.score), pairing.score)
    order = sorted(range(len(rows)), key=lambda i: (rows[i][1] is None, -(_score(rows[i][1])), i))
    cell_partners = [
        CellPartner(
            partner_id,
            name,
            best,
            tuple(sorted(scores, key=lambda rid, s=scores: (-s[rid], rid))),
        )
        for partner_id, (name, best, scores) in partners.items()
    ]
    cell_partners.sort(key=lambda p: (-p.best_score, p.partner_id))
    return CellContents(category, country, tuple(rows[i] for i in order), tuple(cell_partners))


def _score(pairing: Pairing | None) -> float:
    return pairing.score if pairing is not None else 0.0


@dataclass(frozen=True)
class Analysis:
    gaps: tuple[Gap, ...]
    matrix: CoverageMatrix
    # every requirement's coverage state, in the order analysed
    coverage: tuple[RequirementCoverage, ...] = ()
    # the pairings behind it all (for `cell_contents`): best feasible per partner first
    rankings: Mapping[str, Sequence[Pairing]] = field(default_factory=dict)
    threshold: float = DEFAULT_COVERAGE_THRESHOLD

    @property
    def weakly_covered(self) -> tuple[RequirementCoverage, ...]:
        return tuple(c for c in self.coverage if c.state == WEAKLY_COVERED)

    @property
    def uncovered(self) -> tuple[RequirementCoverage, ...]:
        """Every requirement not covered: weakly covered ones and the gaps."""
        return tuple(c for c in self.coverage if c.state != COVERED)

    def cell(self, requirements: Iterable[Requirement], category: str, country: str):
        """The requirements and partners behind one heat-map cell (see `cell_contents`)."""
        return cell_contents(requirements, self.rankings, category, country)

    def with_threshold(self, requirements: Sequence[Requirement], threshold: float) -> Analysis:
        """The same analysis judged against another threshold: no ranking again, only
        the coverage states change (the gaps and the heat map do not depend on it)."""
        states = tuple(coverage_states(requirements, self.rankings, threshold))
        return replace(self, coverage=states, threshold=threshold)

    def count(self, state: str) -> int:
        """How many requirements are in `state` (one of COVERAGE_STATES)."""
        return sum(1 for c in self.coverage if c.state == state)


def kept_countries(
    countries: Sequence[str],
    only_countries: Sequence[str] = (),
    excluded_countries: Sequence[str] = (),
) -> list[str]:
    """`countries` as a country filter leaves them (names compared without case)."""
    only = {c.casefold() for c in only_countries}
    excluded = {c.casefold() for c in excluded_countries}
    return [
        c for c in countries if (not only or c.casefold() in only) and c.casefold() not in excluded
    ]


def analyse(
    ranker: Ranker,
    requirements: Sequence[Requirement],
    countries: Sequence[str],
    *,
    page: int = ANALYSIS_PAGE,
    progress: Callable[[int, int], None] | None = None,
    threshold: float = DEFAULT_COVERAGE_THRESHOLD,
    only_countries: Sequence[str] = (),
    excluded_countries: Sequence[str] = (),
) -> Analysis:
    """Gaps, coverage states and the heat map over the whole catalog (every capable
    partner counts), or over the partners a country filter keeps.

    `countries`: the partner countries (Taiwan's column holds local-only
    pairings). `only_countries` / `excluded_countries`: the filter, as
    `RankOptions.countries` / `exclude_countries` read it. `progress(done,
    total)` after each batch of requirements.
    """
    from coprod.ranking import RankOptions

    countries = kept_countries(countries, only_countries, excluded_countries)
    country_filter = {
        "countries": tuple(only_countries),
        "exclude_countries": tuple(excluded_countries),
    }
    feasible_page = RankOptions(
        top=page, per_partner=1, locals_per_foreign=1, exclude_blocked=True, **country_filter
    )
    with_blocked = RankOptions(top=page, **country_filter)
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
        tuple(coverage_states(requirements, collected, threshold)),
        collected,
        threshold,
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
