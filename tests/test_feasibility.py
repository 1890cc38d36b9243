"""Export-consent feasibility: who blocks, whose consent is needed, and why."""

from __future__ import annotations

from coprod.feasibility import assess, describe
from coprod.model import Capability, Catalog, CountryPosture, Partner, Requirement
from coprod.ranking import Ranker, RankOptions

PARTNERS = [
    Partner("rtx", "RTX (Raytheon)", "United States", "prime", ""),
    Partner("lockheed-martin", "Lockheed Martin", "United States", "prime", ""),
    Partner("bae-bofors", "BAE Systems Bofors", "Sweden", "manufacturer", ""),
    Partner("kongsberg", "Kongsberg", "Norway", "manufacturer", ""),
    Partner("diehl", "Diehl Defence", "Germany", "manufacturer", ""),
    Partner("rheinmetall", "Rheinmetall", "Germany", "manufacturer", ""),
    Partner("atlantis-arms", "Atlantis Arms", "Atlantis", "manufacturer", ""),
    Partner("ncsist", "NCSIST", "Taiwan", "institute", ""),
    Partner("arsenal-202", "202nd Arsenal", "Taiwan", "arsenal", ""),
]
COUNTRIES = [
    CountryPosture("Taiwan", "open", "home market"),
    CountryPosture("United States", "open", "Taiwan Relations Act"),
    CountryPosture("Sweden", "blocked", "Sweden refused consent for Excalibur to Taiwan"),
    CountryPosture("Norway", "case_by_case", "NASAMS content cleared once"),
    CountryPosture("Germany", "reluctant", "refused submarine licences"),
]
CODEVELOPERS = {
    "excalibur": ("rtx", "bae-bofors"),
    "javelin": ("lockheed-martin", "rtx"),
    "sky shield": ("rtx", "kongsberg", "diehl"),
    "island guard": ("ncsist", "rtx"),
    "smart 155": ("diehl", "rheinmetall"),
}


def make_catalog(capabilities: list[Capability] | None = None) -> Catalog:
    return Catalog(
        partners={p.partner_id: p for p in PARTNERS},
        capabilities=capabilities or [],
        codevelopers=CODEVELOPERS,
        countries={c.country: c for c in COUNTRIES},
        requirements={},
    )


CATALOG = make_catalog()
P = {p.partner_id: p for p in PARTNERS}


def test_excalibur_through_rtx_is_blocked_by_sweden_named_with_its_reason() -> None:
    verdict = assess(CATALOG, P["rtx"], "Excalibur")
    assert verdict.feasibility == "blocked"
    (step,) = verdict.chain
    assert step.country == "Sweden"
    assert step.blocks is True
    assert step.posture == "blocked"
    assert "BAE Systems Bofors" in step.reason and "Excalibur" in step.reason
    assert "refused" in step.note
    assert "Sweden" in describe(verdict.feasibility, verdict.chain)


def test_the_swedish_co_developer_itself_is_blocked_as_supplier() -> None:
    verdict = assess(CATALOG, P["bae-bofors"], "Excalibur")
    assert verdict.feasibility == "blocked"
    sweden, united_states = verdict.chain
    assert (sweden.country, sweden.blocks) == ("Sweden", True)
    assert "supplier" in sweden.reason
    # the other co-developer's government must still consent, open posture or not
    assert (united_states.country, united_states.blocks) == ("United States", False)
    assert "RTX" in united_states.reason


def test_consent_chain_across_two_countries() -> None:
    verdict = assess(CATALOG, P["rtx"], "Sky Shield")
    assert verdict.feasibility == "consent_required"
    by_country = {step.country: step for step in verdict.chain}
    assert set(by_country) == {"Norway", "Germany"}
    assert by_country["Norway"].posture == "case_by_case"
    assert by_country["Germany"].posture == "reluctant"
    assert "Kongsberg" in by_country["Norway"].reason
    assert "Diehl Defence" in by_country["Germany"].reason
    assert not any(step.blocks for step in verdict.chain)


def test_supplier_country_case_by_case_needs_its_own_consent() -> None:
    verdict = assess(CATALOG, P["kongsberg"], "")
    assert verdict.feasibility == "consent_required"
    (step,) = verdict.chain
    assert (step.country, step.posture) == ("Norway", "case_by_case")
    assert "supplier Kongsberg" in step.reason


def test_a_government_asked_twice_appears_once_with_both_reasons() -> None:
    verdict = assess(CATALOG, P["diehl"], "SMArt 155")
    (germany,) = verdict.chain
    assert germany.country == "Germany"
    assert germany.reason == (
        "home of the supplier Diehl Defence; home of co-developer Rheinmetall of SMArt 155"
    )


def test_every_co_developer_abroad_is_asked_whatever_its_posture() -> None:
    verdict = assess(CATALOG, P["kongsberg"], "Sky Shield")
    assert [step.country for step in verdict.chain] == ["Norway", "United States", "Germany"]
    assert verdict.chain[1].posture == "open"


def test_country_without_posture_counts_as_unknown_and_needs_consent() -> None:
    verdict = assess(CATALOG, P["atlantis-arms"], "")
    assert verdict.feasibility == "consent_required"
    (step,) = verdict.chain
    assert step.posture == "unknown"
    assert step.note == "no posture on record"


def test_open_supplier_with_same_country_co_developer_is_ok() -> None:
    verdict = assess(CATALOG, P["lockheed-martin"], "Javelin")
    assert verdict.feasibility == "ok"
    assert verdict.chain == ()
    assert describe("ok", ()).startswith("ok")


def test_taiwanese_only_capability_needs_no_consent() -> None:
    verdict = assess(CATALOG, P["ncsist"], "")
    assert verdict.feasibility == "ok"
    assert verdict.chain == ()


def test_taiwanese_supplier_of_a_co_developed_system_needs_the_partner_government() -> None:
    # A US co-developer of an open country: its consent is still asked (re-export rule).
    verdict = assess(CATALOG, P["ncsist"], "Island Guard")
    assert verdict.feasibility == "consent_required"
    assert [s.country for s in verdict.chain] == ["United States"]


def test_system_names_compare_casefolded() -> None:
    assert assess(CATALOG, P["rtx"], "  EXCALIBUR ").feasibility == "blocked"


def test_ranker_names_the_blocker_and_keeps_feasible_alternatives_above() -> None:
    capabilities = [
        Capability(
            0,
            "rtx",
            "M982 Excalibur GPS-guided 155 mm projectile",
            "precision_artillery",
            "Excalibur",
        ),
        Capability(
            1,
            "lockheed-martin",
            "155mm precision guided projectile kits",
            "precision_artillery",
            "",
        ),
        Capability(2, "arsenal-202", "155 mm artillery shells", "artillery_ammunition", ""),
        # no system field: the co-developed system is found in the text
        Capability(3, "rtx", "Excalibur guided shell spares", "precision_artillery", ""),
    ]
    catalog = make_catalog(capabilities)
    requirement = Requirement(
        "R1", "Precision-guided 155 mm shells", "", "precision_artillery", None, "", "high"
    )
    pairings = Ranker(catalog).rank(requirement, RankOptions(top=10))
    verdicts = [p.feasibility for p in pairings]
    assert "blocked" in verdicts
    first_blocked = verdicts.index("blocked")
    assert all(v == "blocked" for v in verdicts[first_blocked:])
    blocked = [p for p in pairings if p.feasibility == "blocked"]
    assert all(p.blocked_by == ("Sweden",) for p in blocked)
    assert all(p.foreign is not None and p.foreign.partner_id == "rtx" for p in blocked)
    assert all(p.components["feasibility"] < 0 for p in blocked)
    feasible = [p for p in pairings if p.feasibility != "blocked"]
    assert feasible and feasible[0].foreign is not None
    assert feasible[0].foreign.partner_id == "lockheed-martin"
    assert feasible[0].local is not None and feasible[0].local.partner_id == "arsenal-202"


def test_ranker_consent_chain_and_countries() -> None:
    capabilities = [
        Capability(
            0,
            "rtx",
            "Sky Shield medium-range air defence system",
            "air_defence_missile",
            "Sky Shield",
        ),
    ]
    catalog = make_catalog(capabilities)
    requirement = Requirement("R2", "Medium-range air defence", "", "", None, "", "high")
    (pairing,) = Ranker(catalog).rank(requirement)
    assert pairing.feasibility == "consent_required"
    assert set(pairing.consent_countries) == {"Norway", "Germany"}
    assert pairing.blocked_by == ()
    assert pairing.components["feasibility"] == -5.0


def test_a_supplier_its_systems_do_not_name_gets_its_countrys_verdict() -> None:
    """The ranker asks `assess` once per (country, system) for suppliers outside
    `system_parties`: their verdicts must agree but for the supplier's name."""
    from dataclasses import replace

    from coprod.feasibility import system_parties
    from coprod.knowledge import shipped_knowledge

    knowledge = shipped_knowledge()
    catalog = replace(CATALOG, knowledge=knowledge)
    named = [(system, ()) for system in CODEVELOPERS] + [
        ("", (known,)) for known in list(knowledge.systems.values())[:40]
    ]
    for system, known in named:
        parties = system_parties(catalog, system, known)
        outside: dict[str, tuple[str, tuple[str, ...]]] = {}
        for partner in PARTNERS:
            verdict = assess(catalog, partner, system, known)
            if parties.include(partner):
                continue
            shape = (verdict.feasibility, tuple(step.country for step in verdict.chain))
            assert outside.setdefault(partner.country, shape) == shape, (system, partner)


def test_system_parties_name_co_developers_and_knowledge_organisations() -> None:
    from coprod.feasibility import system_parties

    parties = system_parties(CATALOG, " Excalibur ")
    assert parties.include(P["rtx"]) and parties.include(P["bae-bofors"])
    assert not parties.include(P["lockheed-martin"])
    assert not system_parties(CATALOG, "").include(P["rtx"])


def test_system_parties_find_a_supplier_as_assess_does() -> None:
    from coprod.feasibility import SystemParties, _is_supplier
    from coprod.knowledge import shipped_knowledge

    organisations = {
        relation.organisation
        for relations in shipped_knowledge().relations.values()
        for relation in relations
    } | {"rtx", " Lockheed-Martin ", "BAE Systems Bofors AB", "Systems", ""}
    for organisation in sorted(organisations):
        parties = SystemParties(frozenset(), (organisation,))
        for partner in PARTNERS:
            assert parties.include(partner) == _is_supplier(partner)(organisation)
