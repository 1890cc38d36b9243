"""Gaps and the coverage matrix: hand-made pairings for exact values, then real rankings."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CAPABILITIES, REQUIREMENTS, write_catalog_folder

from coprod.gaps import (
    ALL_BLOCKED,
    COVERED,
    DEFAULT_COVERAGE_THRESHOLD,
    NO_CAPABLE_PARTNER,
    UNCATEGORISED,
    WEAKLY_COVERED,
    cell_contents,
    coverage_matrix,
    coverage_states,
    find_gaps,
)
from coprod.model import ConsentStep, Match, Pairing, Requirement


def requirement(rid: str, category: str) -> Requirement:
    return Requirement(rid, f"title {rid}", "", category, None, "", "high")


def match(partner_id: str, country: str) -> Match:
    return Match(partner_id, partner_id.title(), country, 0, "line", "", "", 50.0, ())


def pairing(
    rid: str, score: float, feasibility: str, country: str | None, blocked_by: str = ""
) -> Pairing:
    chain = (ConsentStep(blocked_by, "blocked", "", "", True),) if blocked_by else ()
    foreign = match(f"p-{country}", country) if country else None
    return Pairing(rid, 1, score, feasibility, foreign, match("local", "Taiwan"), {}, chain)


REQS = [
    requirement("a", "uas"),
    requirement("b", "uas"),
    requirement("c", "naval"),
    requirement("d", "naval"),
    requirement("e", ""),
]
RANKINGS = {
    "a": [
        pairing("a", 80, "ok", "United States"),
        pairing("a", 70, "consent_required", "Japan"),
        pairing("a", 90, "blocked", "Sweden", blocked_by="Sweden"),
    ],
    "b": [pairing("b", 85, "consent_required", "United States")],
    "c": [
        pairing("c", 60, "blocked", "Sweden", blocked_by="Sweden"),
        pairing("c", 40, "blocked", "Norway", blocked_by="Norway"),
    ],
    "d": [],
    "e": [pairing("e", 30, "ok", None)],
}


def test_gaps_say_why_no_feasible_pairing_exists() -> None:
    gaps = find_gaps(REQS, RANKINGS)
    assert [(g.requirement.requirement_id, g.reason) for g in gaps] == [
        ("c", ALL_BLOCKED),
        ("d", NO_CAPABLE_PARTNER),
    ]
    blocked = gaps[0]
    assert blocked.blocked_by == ("Sweden", "Norway")
    assert blocked.best_blocked_score == 60
    assert "Sweden, Norway" in blocked.explanation
    assert gaps[1].explanation == "no capable partner"


def test_a_requirement_missing_from_the_rankings_counts_as_uncovered() -> None:
    gaps = find_gaps([requirement("z", "uas")], {})
    assert [g.reason for g in gaps] == [NO_CAPABLE_PARTNER]


def test_coverage_keeps_the_best_feasible_score_per_category_and_country() -> None:
    matrix = coverage_matrix(REQS, RANKINGS)
    assert matrix.categories == tuple(sorted(["uas", "naval", UNCATEGORISED]))
    assert matrix.score("uas", "United States") == 85  # best of a (80) and b (85)
    assert matrix.score("uas", "Japan") == 70
    # Blocked pairings never fill a cell, but their countries get a (blank) column.
    assert matrix.score("uas", "Sweden") is None
    assert matrix.score("naval", "Sweden") is None
    assert {"Sweden", "Norway"} <= set(matrix.countries)
    # Local-only candidates stand for Taiwan.
    assert matrix.score(UNCATEGORISED, "Taiwan") == 30
    # Columns: most categories covered first, then by name.
    assert matrix.countries[:3] == ("Japan", "Taiwan", "United States")
    assert matrix.countries[-2:] == ("Norway", "Sweden")


def test_covered_needs_the_threshold_and_weak_cover_is_its_own_state() -> None:
    states = {c.requirement.requirement_id: c for c in coverage_states(REQS, RANKINGS)}
    assert DEFAULT_COVERAGE_THRESHOLD == 50.0
    assert [states[r].state for r in "abcde"] == [
        COVERED, COVERED, ALL_BLOCKED, NO_CAPABLE_PARTNER, WEAKLY_COVERED,
    ]  # fmt: skip
    assert states["e"].explanation == "weakly covered: best 30.0, below 50"
    # the why alone, for a table whose state column already names the state
    assert states["e"].why == "best feasible 30.0, below 50"
    assert "weakly" not in states["e"].why and "blocked by" in states["c"].why
    assert states["a"].best_score == 80  # the blocked 90 never counts
    stricter = {c.requirement.requirement_id: c.state for c in coverage_states(REQS, RANKINGS, 82)}
    assert stricter["a"] == WEAKLY_COVERED and stricter["b"] == COVERED


def test_a_heat_map_cell_opens_into_its_requirements_and_partners() -> None:
    cell = cell_contents(REQS, RANKINGS, "uas", "United States")
    assert [(r.requirement_id, p.score if p else None) for r, p in cell.requirements] == [
        ("b", 85),
        ("a", 80),
    ]
    assert [(p.partner_id, p.best_score, p.requirement_ids) for p in cell.partners] == [
        ("p-United States", 85, ("b", "a"))
    ]
    assert cell.score == coverage_matrix(REQS, RANKINGS).score("uas", "United States")
    empty = cell_contents(REQS, RANKINGS, "naval", "Sweden")
    assert empty.score is None and empty.partners == ()
    assert [r.requirement_id for r, _ in empty.requirements] == ["c", "d"]


def test_a_category_with_no_feasible_pairing_is_still_a_row() -> None:
    matrix = coverage_matrix(REQS, RANKINGS)
    assert "naval" in matrix.categories
    assert all(matrix.score("naval", country) is None for country in matrix.countries)


# ----- against a real catalog and the real ranker ------------------------------------------


@pytest.fixture
def gap_catalog(tmp_path: Path):
    """The fixture catalog plus one requirement nobody makes and one only blocked firms make."""
    from coprod.catalog import load_catalog, refresh_catalog

    blocked_only = [c for c in CAPABILITIES if c["partner_id"] in {"bae-bofors", "ncsist"}]
    folder = write_catalog_folder(
        tmp_path / "input",
        capabilities=blocked_only,
        requirements=[
            *REQUIREMENTS,
            {
                "requirement_id": "req-sub",
                "title": "Nuclear-powered attack submarines",
                "description": "Reactor plants",
                "category": "naval",
                "quantity": "",
                "unit": "",
                "priority": "low",
            },
            {
                "requirement_id": "req-archer",
                "title": "Archer self-propelled howitzer",
                "description": "",
                "category": "artillery_system",
                "quantity": "",
                "unit": "",
                "priority": "low",
            },
        ],
    )
    db_path = tmp_path / "gaps.duckdb"
    refresh_catalog([folder], db_path)
    return load_catalog(db_path)


def test_real_rankings_name_the_uncovered_requirements(gap_catalog) -> None:
    from coprod.ranking import Ranker, RankOptions

    requirements = list(gap_catalog.requirements.values())
    rankings = Ranker(gap_catalog).rank_many(requirements, RankOptions(top=50))
    gaps = {g.requirement.requirement_id: g for g in find_gaps(requirements, rankings)}
    assert gaps["req-sub"].reason == NO_CAPABLE_PARTNER
    assert gaps["req-archer"].reason == ALL_BLOCKED
    assert gaps["req-archer"].blocked_by == ("Sweden",)
    # Coastal missiles: NCSIST (Taiwan, open) makes them, so that is no gap.
    assert "req-coastal" not in gaps
    matrix = coverage_matrix(requirements, rankings)
    assert matrix.score("anti_ship_missile", "Taiwan") is not None
    assert matrix.score("artillery_system", "Sweden") is None
    assert "Sweden" in matrix.countries


@pytest.fixture
def crowded_catalog(tmp_path: Path):
    """Drones: six US firms make them well, one Japanese firm barely. Radar: six Swedish
    (blocked) firms outrank the only feasible maker, a Norwegian one."""
    from coprod.catalog import load_catalog, refresh_catalog

    def partner(pid: str, country: str) -> dict[str, str]:
        return {
            "partner_id": pid,
            "name": pid.title(),
            "country": country,
            "kind": "",
            "description": "",
        }

    def line(pid: str, text: str, category: str) -> dict[str, str]:
        return {"partner_id": pid, "capability": text, "category": category, "system": ""}

    partners = [partner("tw-drone", "Taiwan")]
    capabilities = [line("tw-drone", "Small quadcopter drones", "uas")]
    for i in range(6):
        partners += [partner(f"us-{i}", "United States"), partner(f"se-{i}", "Sweden")]
        capabilities += [
            line(f"us-{i}", "Small tactical drones, quadcopters for squad reconnaissance", "uas"),
            line(
                f"se-{i}",
                "Coastal surveillance radar for ground-based air defence",
                "sensors_electronics",
            ),
        ]
    partners += [partner("jp-weak", "Japan"), partner("no-weak", "Norway")]
    capabilities += [
        line("jp-weak", "Drones", ""),
        line("no-weak", "Radar", ""),
    ]
    requirement_rows = [
        {
            "requirement_id": "req-drones",
            "title": "Small tactical drones",
            "description": "Quadcopters for squad reconnaissance",
            "category": "uas",
            "quantity": "",
            "unit": "",
            "priority": "high",
        },
        {
            "requirement_id": "req-radar",
            "title": "Coastal surveillance radar",
            "description": "Ground-based air defence",
            "category": "sensors_electronics",
            "quantity": "",
            "unit": "",
            "priority": "high",
        },
    ]
    folder = write_catalog_folder(
        tmp_path / "crowded",
        partners=partners,
        capabilities=capabilities,
        codevelopers=None,
        requirements=requirement_rows,
    )
    db_path = tmp_path / "crowded.duckdb"
    refresh_catalog([folder], db_path)
    return load_catalog(db_path)


def test_a_country_ranked_below_the_page_still_gets_its_best_score(crowded_catalog) -> None:
    from coprod.gaps import analyse
    from coprod.ranking import Ranker, RankOptions

    ranker = Ranker(crowded_catalog)
    requirements = list(crowded_catalog.requirements.values())
    countries = sorted({p.country for p in crowded_catalog.partners.values()})
    page = 3
    # A ranking cut at `page` does miss Japan (the failure this guards against)...
    cut = ranker.rank_many(requirements, RankOptions(top=page, per_partner=1, exclude_blocked=True))
    assert coverage_matrix(requirements, cut).score("uas", "Japan") is None
    # ...while the analysis finds its best score, the same as an exhaustive ranking's.
    analysis = analyse(ranker, requirements, countries, page=page)
    everything = ranker.rank_many(
        requirements, RankOptions(top=100, per_partner=1, locals_per_foreign=1)
    )
    exhaustive = coverage_matrix(requirements, everything, countries)
    assert analysis.matrix.score("uas", "Japan") is not None
    assert analysis.matrix.cells == exhaustive.cells
    # Every country with partners has a column, Sweden's (all blocked) empty.
    assert set(analysis.matrix.countries) == set(countries)
    assert all(analysis.matrix.score(c, "Sweden") is None for c in analysis.matrix.categories)


def test_a_requirement_is_all_blocked_only_when_no_feasible_candidate_exists(
    crowded_catalog,
) -> None:
    from coprod.gaps import analyse
    from coprod.ranking import Ranker, RankOptions

    ranker = Ranker(crowded_catalog)
    requirements = list(crowded_catalog.requirements.values())
    # Six blocked Swedish firms outrank Norway's weak radar line...
    everything = ranker.rank_many(requirements, RankOptions(top=100, per_partner=1))
    radar = everything["req-radar"]
    assert sorted(p.score for p in radar if p.feasibility == "blocked")[0] > max(
        p.score for p in radar if p.feasibility != "blocked"
    )
    # ...but Norway's weak line is feasible, so it is no gap.
    analysis = analyse(
        ranker, requirements, ["Japan", "Norway", "Sweden", "Taiwan", "United States"], page=2
    )
    assert [g.requirement.requirement_id for g in analysis.gaps] == []
    assert analysis.matrix.score("sensors_electronics", "Norway") is not None


def test_analysis_says_why_on_the_real_fixture(gap_catalog) -> None:
    from coprod.gaps import analyse
    from coprod.ranking import Ranker

    requirements = list(gap_catalog.requirements.values())
    countries = sorted({p.country for p in gap_catalog.partners.values()})
    analysis = analyse(Ranker(gap_catalog), requirements, countries, page=2)
    gaps = {g.requirement.requirement_id: g for g in analysis.gaps}
    assert gaps["req-sub"].reason == NO_CAPABLE_PARTNER
    assert gaps["req-archer"].reason == ALL_BLOCKED
    assert gaps["req-archer"].blocked_by == ("Sweden",)
    assert set(analysis.matrix.countries) == set(countries)


def test_the_analysis_follows_a_country_filter(gap_catalog) -> None:
    from coprod.gaps import analyse
    from coprod.ranking import Ranker

    ranker = Ranker(gap_catalog)
    requirements = list(gap_catalog.requirements.values())
    countries = sorted({p.country for p in gap_catalog.partners.values()})
    whole = analyse(ranker, requirements, countries)
    sweden = analyse(ranker, requirements, countries, only_countries=["Sweden"])
    assert sweden.matrix.countries == ("Sweden",)
    assert all(
        p.foreign is not None and p.foreign.country == "Sweden"
        for pairings in sweden.rankings.values()
        for p in pairings
    )
    # Sweden's partners are blocked: nothing is covered through Sweden alone
    assert {c.state for c in sweden.coverage} <= {ALL_BLOCKED, NO_CAPABLE_PARTNER}
    assert len(whole.coverage) == len(sweden.coverage) == len(requirements)
