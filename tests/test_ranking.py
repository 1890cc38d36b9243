"""Ranking pairings: structure, options, rank_many == rank, and the shipped catalog's key cases."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from coprod.catalog import load_catalog
from coprod.model import Capability, Catalog, CountryPosture, Partner, Requirement
from coprod.ranking import PAIRING_COMPONENTS, Ranker, RankOptions, adhoc_requirement

PARTNERS = [
    Partner("rtx", "RTX", "United States", "prime", ""),
    Partner("lockheed-martin", "Lockheed Martin", "United States", "prime", ""),
    Partner("aerovironment", "AeroVironment", "United States", "company", ""),
    Partner("bae-bofors", "BAE Systems Bofors", "Sweden", "manufacturer", ""),
    Partner("nammo", "Nammo", "Norway", "manufacturer", ""),
    Partner("mesko", "Mesko", "Poland", "manufacturer", ""),
    Partner("uvision", "UVision", "Israel", "company", ""),
    Partner("ncsist", "NCSIST", "Taiwan", "institute", ""),
    Partner("thunder-tiger", "Thunder Tiger", "Taiwan", "company", ""),
    Partner("arsenal-202", "202nd Arsenal", "Taiwan", "arsenal", ""),
    Partner("arsenal-205", "205th Arsenal", "Taiwan", "arsenal", ""),
]
LINES = [
    ("rtx", "M982 Excalibur GPS-guided 155 mm projectile", "precision_artillery", "Excalibur"),
    ("rtx", "FIM-92 Stinger man-portable air defence missile", "air_defence_missile", "Stinger"),
    ("rtx", "Javelin anti-tank guided missile seeker", "anti_tank_missile", "Javelin"),
    ("lockheed-martin", "Javelin ATGM final assembly", "anti_tank_missile", "Javelin"),
    (
        "lockheed-martin",
        "M1156 precision guidance kit fuze for 155mm rounds",
        "precision_artillery",
        "",
    ),
    ("aerovironment", "Switchblade loitering munition", "loitering_munition", "Switchblade"),
    ("aerovironment", "Puma small UAS", "uas", ""),
    ("bae-bofors", "Excalibur 155mm guided shell airframe", "precision_artillery", "Excalibur"),
    ("nammo", "155 mm high-explosive artillery rounds", "artillery_ammunition", ""),
    ("nammo", "5.56 mm and 7.62 mm small arms ammunition", "small_arms_ammunition", ""),
    ("mesko", "Piorun MANPADS", "air_defence_missile", "Piorun"),
    ("mesko", "155mm artillery shells", "artillery_ammunition", ""),
    ("uvision", "Hero-30 loitering munition", "loitering_munition", "Hero-30"),
    ("ncsist", "Chien Hsiang loitering munition", "loitering_munition", "Chien Hsiang"),
    ("ncsist", "tactical UAV airframes", "uas", ""),
    ("thunder-tiger", "small multirotor drones (quadcopter)", "uas", ""),
    ("arsenal-202", "155mm artillery shells and 120 mm mortar rounds", "artillery_ammunition", ""),
    ("arsenal-205", "5.56mm rifle ammunition", "small_arms_ammunition", ""),
]
REQUIREMENTS = [
    ("R-PGM", "Precision-guided 155 mm shells", "precision_artillery"),
    ("R-155", "155 mm high-explosive shells", "artillery_ammunition"),
    ("R-MANPADS", "Stinger-class MANPADS", "air_defence_missile"),
    ("R-ATGM", "Javelin-class anti-tank missiles", "anti_tank_missile"),
    ("R-DRONE", "Small reconnaissance drones", "uas"),
    ("R-LM", "Kamikaze drones", "loitering_munition"),
    ("R-RIFLE", "5.56 mm rifle ammunition", "small_arms_ammunition"),
    ("R-ODD", "\U0001f680 [b]!!![/b]", ""),
]


def build_catalog() -> Catalog:
    return Catalog(
        partners={p.partner_id: p for p in PARTNERS},
        capabilities=[
            Capability(i, partner, text, category, system)
            for i, (partner, text, category, system) in enumerate(LINES)
        ],
        codevelopers={"excalibur": ("rtx", "bae-bofors"), "javelin": ("lockheed-martin", "rtx")},
        countries={
            c.country: c
            for c in (
                CountryPosture("Taiwan", "open", ""),
                CountryPosture("United States", "open", "TRA"),
                CountryPosture("Sweden", "blocked", "refused Excalibur consent"),
                CountryPosture("Norway", "case_by_case", ""),
                CountryPosture("Poland", "case_by_case", ""),
                # Israel: no posture on record
            )
        },
        requirements={
            rid: Requirement(rid, title, "", category, None, "", "high")
            for rid, title, category in REQUIREMENTS
        },
    )


@pytest.fixture(scope="module")
def ranker() -> Ranker:
    return Ranker(build_catalog())


def foreign_ids(pairings) -> list[str]:
    return [p.foreign.partner_id if p.foreign else "-" for p in pairings]


def test_pairings_are_ranked_explained_and_well_formed(ranker: Ranker) -> None:
    sides_checked = {"foreign": 0, "local": 0}
    for requirement in ranker.catalog.requirements.values():
        pairings = ranker.rank(requirement)
        assert [p.rank for p in pairings] == list(range(1, len(pairings) + 1))
        for p in pairings:
            assert p.requirement_id == requirement.requirement_id
            assert 0 <= p.score <= 100
            assert set(p.components) == set(PAIRING_COMPONENTS)
            assert sum(p.components.values()) == pytest.approx(p.score, abs=0.011)
            assert p.foreign is not None or p.local is not None
            if p.foreign is not None:
                assert p.foreign.country != "Taiwan"
                sides_checked["foreign"] += 1
            if p.local is not None:
                assert p.local.country == "Taiwan"
                sides_checked["local"] += 1
        blocked = [p.feasibility == "blocked" for p in pairings]
        assert blocked == sorted(blocked), "a blocked pairing ranked above a feasible one"
        feasible_scores = [p.score for p in pairings if p.feasibility != "blocked"]
        assert feasible_scores == sorted(feasible_scores, reverse=True)
    # the countries above were checked on both sides, not skipped by the ifs
    assert sides_checked["foreign"] > 0 and sides_checked["local"] > 0


def test_rank_many_gives_the_same_results_as_rank(ranker: Ranker) -> None:
    requirements = list(ranker.catalog.requirements.values())
    for options in (RankOptions(), RankOptions(top=3, per_partner=1), RankOptions(top=50)):
        batched = ranker.rank_many(requirements, options)
        assert list(batched) == [r.requirement_id for r in requirements]
        for requirement in requirements:
            assert batched[requirement.requirement_id] == ranker.rank(requirement, options)


def test_excalibur_is_shown_blocked_below_feasible_alternatives(ranker: Ranker) -> None:
    pairings = ranker.rank(ranker.catalog.requirements["R-PGM"])
    assert pairings[0].feasibility != "blocked"
    assert pairings[0].foreign is not None
    assert pairings[0].foreign.partner_id == "lockheed-martin"
    excalibur = [p for p in pairings if p.foreign and p.foreign.system == "Excalibur"]
    assert excalibur and all(p.feasibility == "blocked" for p in excalibur)
    assert all(p.blocked_by == ("Sweden",) for p in excalibur)
    assert {p.foreign.partner_id for p in excalibur} == {"rtx", "bae-bofors"}


def test_each_foreign_partner_is_offered_with_several_local_co_producers(ranker: Ranker) -> None:
    pairings = ranker.rank(
        ranker.catalog.requirements["R-DRONE"], RankOptions(top=30, per_partner=3)
    )
    with_aerovironment = [
        p for p in pairings if p.foreign and p.foreign.partner_id == "aerovironment"
    ]
    locals_offered = [p.local.partner_id for p in with_aerovironment if p.local]
    assert len(locals_offered) >= 2
    assert len(set(locals_offered)) == len(locals_offered)
    scores = [p.score for p in with_aerovironment]
    assert scores == sorted(scores, reverse=True)


def test_taiwanese_industry_alone_is_listed_as_local_only(ranker: Ranker) -> None:
    pairings = ranker.rank(ranker.catalog.requirements["R-DRONE"])
    local_only = [p for p in pairings if p.foreign is None]
    assert {p.local.partner_id for p in local_only} >= {"thunder-tiger", "ncsist"}
    for p in local_only:
        assert p.feasibility == "ok"
        assert p.components["local_fit"] == pytest.approx(p.score / 4, abs=0.02)
    rifle = ranker.rank(ranker.catalog.requirements["R-RIFLE"])
    assert rifle[0].foreign is None and rifle[0].local.partner_id == "arsenal-205"


def test_local_is_none_when_no_taiwanese_firm_fits(ranker: Ranker) -> None:
    pairings = ranker.rank(ranker.catalog.requirements["R-MANPADS"])
    assert pairings[0].foreign is not None and pairings[0].foreign.partner_id == "rtx"
    assert pairings[0].foreign.system == "Stinger"
    assert pairings[0].local is None
    assert pairings[0].components["local_fit"] == 0


def test_unknown_posture_needs_consent(ranker: Ranker) -> None:
    pairings = ranker.rank(ranker.catalog.requirements["R-LM"])
    uvision = [p for p in pairings if p.foreign and p.foreign.partner_id == "uvision"]
    assert uvision
    assert uvision[0].feasibility == "consent_required"
    assert uvision[0].consent_chain[0].posture == "unknown"


def test_option_top(ranker: Ranker) -> None:
    requirement = ranker.catalog.requirements["R-155"]
    assert len(ranker.rank(requirement, RankOptions(top=2))) == 2
    assert ranker.rank(requirement, RankOptions(top=0)) == []
    assert len(ranker.rank(requirement, RankOptions(top=100))) > 2


def test_option_per_partner_caps_each_foreign_partner(ranker: Ranker) -> None:
    requirement = ranker.catalog.requirements["R-DRONE"]  # two Taiwanese drone makers fit
    for cap in (1, 2):
        pairings = ranker.rank(
            requirement, RankOptions(top=100, per_partner=cap, locals_per_foreign=3)
        )
        foreign = [pid for pid in foreign_ids(pairings) if pid != "-"]
        assert max(foreign.count(pid) for pid in set(foreign)) == cap
        local_only = [p.local.partner_id for p in pairings if p.foreign is None]
        assert len(local_only) == len(set(local_only))


def test_option_locals_per_foreign(ranker: Ranker) -> None:
    requirement = ranker.catalog.requirements["R-DRONE"]
    pairings = ranker.rank(requirement, RankOptions(top=100, per_partner=5, locals_per_foreign=1))
    foreign = [pid for pid in foreign_ids(pairings) if pid != "-"]
    assert all(foreign.count(pid) == 1 for pid in foreign)


def test_option_countries_and_exclude_countries(ranker: Ranker) -> None:
    requirement = ranker.catalog.requirements["R-155"]
    only_norway = ranker.rank(requirement, RankOptions(top=50, countries=("norway",)))
    assert only_norway and {p.foreign.country for p in only_norway if p.foreign} == {"Norway"}
    assert all(p.foreign is not None for p in only_norway)  # local-only needs Taiwan listed
    with_taiwan = ranker.rank(requirement, RankOptions(top=50, countries=("Norway", "Taiwan")))
    assert any(p.foreign is None for p in with_taiwan)
    without = ranker.rank(requirement, RankOptions(top=50, exclude_countries=("Norway", "Poland")))
    assert {p.foreign.country for p in without if p.foreign} <= {"United States", "Sweden"}
    assert any(p.foreign is None for p in without)


def test_option_min_score_and_exclude_blocked(ranker: Ranker) -> None:
    requirement = ranker.catalog.requirements["R-PGM"]
    everything = ranker.rank(requirement, RankOptions(top=100))
    threshold = sorted(p.score for p in everything)[len(everything) // 2]
    high = ranker.rank(requirement, RankOptions(top=100, min_score=threshold))
    assert high and all(p.score >= threshold for p in high)
    assert len(high) < len(everything)
    feasible = ranker.rank(requirement, RankOptions(top=100, exclude_blocked=True))
    assert feasible and all(p.feasibility != "blocked" for p in feasible)
    assert len(feasible) == len([p for p in everything if p.feasibility != "blocked"])


def test_option_category_filters_requirements(ranker: Ranker) -> None:
    requirements = list(ranker.catalog.requirements.values())
    results = ranker.rank_many(requirements, RankOptions(category="UAS"))
    assert list(results) == ["R-DRONE"]
    assert ranker.rank(ranker.catalog.requirements["R-155"], RankOptions(category="uas")) == []


def test_adhoc_requirement_reranks_typed_text(ranker: Ranker) -> None:
    requirement = adhoc_requirement("javelin ATGM", category="anti_tank_missile")
    assert requirement.requirement_id == "query"
    pairings = ranker.rank(requirement)
    assert pairings[0].requirement_id == "query"
    assert pairings[0].foreign.system == "Javelin"
    for partial in ("j", "ja", "jav", "javelin a", "", "   ", "!!", "\U0001f680"):
        ranker.rank(adhoc_requirement(partial))


def test_odd_requirement_text_gives_an_empty_or_valid_list(ranker: Ranker) -> None:
    assert ranker.rank(ranker.catalog.requirements["R-ODD"]) == []
    huge = replace(ranker.catalog.requirements["R-155"], description="shell " * 50_000)
    assert ranker.rank(huge)


def test_capability_of_an_unknown_partner_is_ignored() -> None:
    catalog = build_catalog()
    catalog.capabilities.append(
        Capability(len(catalog.capabilities), "ghost", "155 mm shells", "", "")
    )
    pairings = Ranker(catalog).rank(catalog.requirements["R-155"], RankOptions(top=100))
    assert all("ghost" not in (p.foreign.partner_id if p.foreign else "") for p in pairings)


# ----------------------------------------------------------- shipped catalog


@pytest.fixture(scope="module")
def shipped_ranker(tmp_path_factory: pytest.TempPathFactory) -> Ranker:
    db = tmp_path_factory.mktemp("shipped") / "catalog.duckdb"
    return Ranker(load_catalog(db))


def test_shipped_precision_155_surfaces_excalibur_as_blocked(shipped_ranker: Ranker) -> None:
    requirement = adhoc_requirement("Precision-guided 155 mm shells", "precision_artillery")
    pairings = shipped_ranker.rank(requirement)
    excalibur = [p for p in pairings if p.foreign and p.foreign.partner_id == "rtx"]
    assert excalibur, foreign_ids(pairings)
    assert excalibur[0].feasibility == "blocked"
    assert "Sweden" in excalibur[0].blocked_by
    assert pairings[0].feasibility != "blocked"


def test_shipped_manpads_finds_stinger_makers(shipped_ranker: Ranker) -> None:
    pairings = shipped_ranker.rank(adhoc_requirement("MANPADS", "air_defence_missile"))
    top_foreign = foreign_ids(pairings[:5])
    assert "rtx" in top_foreign
    stinger = [p for p in pairings if p.foreign and "stinger" in p.foreign.capability.casefold()]
    assert stinger
    spelled_out = shipped_ranker.rank(adhoc_requirement("man-portable air defense systems"))
    assert {p.foreign.partner_id for p in spelled_out[:8] if p.foreign} & set(top_foreign)


def test_shipped_drones_list_taiwanese_drone_makers_alone(shipped_ranker: Ranker) -> None:
    pairings = shipped_ranker.rank(adhoc_requirement("small reconnaissance quadcopters", "uas"))
    local_only = [p.local.partner_id for p in pairings if p.foreign is None and p.local]
    assert local_only
    assert pairings[0].local is not None  # the best pairing has a Taiwanese maker
    makers = {p.partner_id for p in shipped_ranker.catalog.partners.values() if p.is_local}
    assert set(local_only) <= makers


def test_shipped_rank_many_matches_rank(shipped_ranker: Ranker) -> None:
    requirements = list(shipped_ranker.catalog.requirements.values())
    assert len(requirements) >= 25
    batched = shipped_ranker.rank_many(requirements)
    for requirement in requirements:
        assert batched[requirement.requirement_id] == shipped_ranker.rank(requirement)
        assert batched[requirement.requirement_id], requirement.requirement_id


def test_shipped_requirements_nearly_all_find_a_plausible_first_pairing(
    shipped_ranker: Ranker,
) -> None:
    """A few shipped requirements (energetics bought abroad, smart mines) have hardly any
    maker in the catalog: that is a gap the gap view reports, not a ranking failure."""
    weak = []
    for requirement in shipped_ranker.catalog.requirements.values():
        (first,) = shipped_ranker.rank(requirement, RankOptions(top=1))
        best = first.foreign or first.local
        assert best is not None, requirement.requirement_id
        if best.fit < 40:
            weak.append(requirement.requirement_id)
    assert len(weak) <= len(shipped_ranker.catalog.requirements) // 10, weak


def test_shipped_catalog_builds_from_a_real_duckdb_file(tmp_path: Path) -> None:
    catalog = load_catalog(tmp_path / "c.duckdb")
    assert Ranker(catalog).index.texts


def test_explain_tokens_names_matched_and_missing_words(ranker: Ranker) -> None:
    requirement = ranker.catalog.requirements["R-155"]
    explanation = ranker.explain_tokens(requirement, 8)  # Nammo's 155 mm HE rounds
    assert explanation.matched == ("155mm", "high", "explosive", "projectile", "ammunition")
    assert explanation.missing == ()
    assert "artillery" in explanation.capability
    with pytest.raises(KeyError):
        ranker.explain_tokens(requirement, 10_000)


def test_blocked_pairings_never_crowd_out_every_feasible_one() -> None:
    partners = [Partner(f"s{i}", f"Swede {i}", "Sweden", "company", "") for i in range(6)]
    partners.append(Partner("us", "Weak US firm", "United States", "company", ""))
    capabilities = [Capability(i, f"s{i}", "155 mm artillery shells", "", "") for i in range(6)]
    capabilities.append(Capability(6, "us", "artillery components", "", ""))
    catalog = Catalog(
        partners={p.partner_id: p for p in partners},
        capabilities=capabilities,
        codevelopers={},
        countries={
            "Sweden": CountryPosture("Sweden", "blocked", ""),
            "United States": CountryPosture("United States", "open", ""),
        },
        requirements={},
    )
    requirement = adhoc_requirement("155 mm artillery shells")
    pairings = Ranker(catalog).rank(requirement, RankOptions(top=4))
    assert [p.feasibility for p in pairings] == ["ok", "blocked", "blocked", "blocked"]
    assert pairings[0].score < pairings[1].score  # shown first although it scores lower
    alone = Ranker(catalog).rank(requirement, RankOptions(top=4, countries=("Sweden",)))
    assert [p.feasibility for p in alone] == ["blocked"] * 4


class _EverySupplierAssessed(Ranker):
    """A ranker that gates every candidate, as if `_gated` never left any out."""

    def _gated(self, fits, pool, suppliers, options):  # type: ignore[override]
        from coprod.ranking import _with_feasibility

        code, steps = self._feasibility_codes(fits, suppliers)
        return _with_feasibility(pool, code, steps)


@pytest.mark.parametrize(
    "options",
    [
        RankOptions(),
        RankOptions(top=1),
        RankOptions(top=3, per_partner=1),
        RankOptions(top=25, locals_per_foreign=1),
        RankOptions(min_score=40.0),
        RankOptions(exclude_blocked=True, top=5),
        RankOptions(countries=("Sweden", "United States")),
    ],
)
def test_suppliers_left_unassessed_never_change_a_ranking(
    shipped_ranker: Ranker, options: RankOptions
) -> None:
    requirements = list(shipped_ranker.catalog.requirements.values())
    requirements.append(adhoc_requirement("precision guided 155 mm Excalibur shells"))
    exhaustive = _EverySupplierAssessed(shipped_ranker.catalog)
    assert shipped_ranker.rank_many(requirements, options) == exhaustive.rank_many(
        requirements, options
    )


def test_distinct_keys_order_is_lexsorts() -> None:
    import numpy as np

    from coprod.ranking import _descending_rank, _distinct_keys_order

    rng = np.random.default_rng(5)
    fit = np.round(rng.choice([0.0, 12.5, 33.333333, 99.999999, 100.0], 300), 6)
    rank = _descending_rank(fit)
    assert np.array_equal(np.argsort(rank, kind="stable"), np.argsort(-fit, kind="stable"))
    rows = rng.permutation(300)
    partner = rng.integers(0, 40, 300)
    keys = [rows, rank, partner]
    assert np.array_equal(_distinct_keys_order(keys), np.lexsort((rows, -fit, partner)))
    wide = [rows.astype(np.int64) << 40, rank, partner.astype(np.int64) << 20]  # > 63 bits
    assert np.array_equal(_distinct_keys_order(wide), np.lexsort(wide))
