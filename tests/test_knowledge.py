"""The knowledge base: concepts and systems in matching, consent from knowledge, Chinese.

Properties on small hand-made catalogs and knowledge bases (never cases copied
from the blind evaluation set in benchmarks/blind).
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coprod.catalog import load_catalog, refresh_catalog
from coprod.errors import CatalogValidationError
from coprod.feasibility import assess
from coprod.knowledge import Knowledge, shipped_knowledge
from coprod.model import Capability, Catalog, CountryPosture, Partner, Requirement, Synonym
from coprod.ranking import Ranker, RankOptions, adhoc_requirement
from coprod.text import synonym_table, tokens
from tests.conftest import write_catalog_folder, write_csv

CONCEPTS = [
    {"concept_id": "missile", "label": "missile", "alt_labels": "guided missile"},
    {
        "concept_id": "anti_radiation_missile",
        "label": "anti-radiation missile",
        "alt_labels": "ARM | radar-homing missile",
        "broader": "missile",
        "labels_zh": "反輻射飛彈",
    },
    {
        "concept_id": "anti_tank_missile",
        "label": "anti-tank missile",
        "alt_labels": "ATGM | anti-armour missile | anti-armor missile",
        "broader": "missile",
        "labels_zh": "反裝甲飛彈 | 反戰車飛彈",
    },
    {
        "concept_id": "man_portable_atgm",
        "label": "man-portable anti-tank missile",
        "alt_labels": "shoulder-fired anti-tank missile",
        "broader": "anti_tank_missile",
    },
    {
        "concept_id": "vehicle_atgm",
        "label": "vehicle-launched anti-tank missile",
        "broader": "anti_tank_missile",
    },
    {"concept_id": "weapon", "label": "weapon"},
    {
        "concept_id": "autocannon",
        "label": "autocannon",
        "alt_labels": "chain gun",
        "broader": "weapon",
    },
    {"concept_id": "uas", "label": "unmanned aircraft system", "alt_labels": "drone | UAV"},
    {
        "concept_id": "fixed_wing_uas",
        "label": "fixed-wing drone",
        "broader": "uas",
        "labels_zh": "定翼無人機",
    },
]
SYSTEMS = [
    {
        "system_id": "aargm-er",
        "name": "AARGM-ER",
        "aliases": "AGM-88G",
        "concepts": "anti_radiation_missile",
        "makers": "Northrop Grumman",
        "country": "United States",
    },
    {
        "system_id": "javelin",
        "name": "Javelin",
        "aliases": "FGM-148",
        "labels_zh": "標槍飛彈",
        "concepts": "man_portable_atgm",
        "makers": "Lockheed Martin | RTX",
        "country": "United States",
    },
    {
        "system_id": "excalibur",
        "name": "Excalibur",
        "aliases": "M982",
        "concepts": "missile",
        "country": "United States",
    },
    {
        "system_id": "pac-3",
        "name": "PAC-3 MSE",
        "concepts": "missile",
        "country": "United States",
    },
]
RELATIONS = [
    {
        "system_id": "excalibur",
        "organisation": "RTX",
        "country": "United States",
        "role": "co_developer",
        "source": "test source A",
    },
    {
        "system_id": "excalibur",
        "organisation": "BAE Systems Bofors",
        "country": "Sweden",
        "role": "co_developer",
        "source": "test source B",
    },
    {
        "system_id": "pac-3",
        "organisation": "Lockheed Martin",
        "country": "United States",
        "role": "licensor",
        "source": "test source C",
    },
    {
        "system_id": "pac-3",
        "organisation": "Mitsubishi Heavy Industries",
        "country": "Japan",
        "role": "licensee",
        "source": "test source D",
    },
]
KNOWLEDGE = Knowledge.from_rows(CONCEPTS, SYSTEMS, RELATIONS)

PARTNERS = [
    Partner("northrop", "Northrop Grumman", "United States", "prime", ""),
    Partner("generic", "Generic Missiles Ltd", "United States", "company", ""),
    Partner("rtx", "RTX Corporation (Raytheon)", "United States", "prime", ""),
    Partner("mhi", "Mitsubishi Heavy Industries", "Japan", "prime", ""),
    Partner("lm", "Lockheed Martin", "United States", "prime", ""),
    Partner("ncsist", "NCSIST", "Taiwan", "institute", ""),
]
COUNTRIES = {
    "Taiwan": CountryPosture("Taiwan", "open", ""),
    "United States": CountryPosture("United States", "open", ""),
    "Sweden": CountryPosture("Sweden", "blocked", "refuses exports to Taiwan"),
    "Japan": CountryPosture("Japan", "reluctant", "case by case"),
}


def catalog_with(
    lines: list[tuple[str, str, str]], codevelopers: dict[str, tuple[str, ...]] | None = None
) -> Catalog:
    capabilities = [
        Capability(i, partner, text, "", system) for i, (partner, text, system) in enumerate(lines)
    ]
    return Catalog(
        partners={p.partner_id: p for p in PARTNERS},
        capabilities=capabilities,
        codevelopers=codevelopers or {},
        countries=COUNTRIES,
        requirements={},
        knowledge=KNOWLEDGE,
    )


def component_by_row(fits, name: str) -> dict[int, float]:
    """Capability row -> the points of one score component in `fits`."""
    return dict(zip(fits.capability_ids.tolist(), fits.components[name].tolist(), strict=True))


def first_foreign(ranker: Ranker, text: str) -> str:
    pairings = ranker.rank(adhoc_requirement(text), RankOptions(top=5))
    return next(p.foreign.partner_id for p in pairings if p.foreign)


# ------------------------------------------------------------------ matching


def test_a_product_named_only_by_its_designation_is_found_for_its_function() -> None:
    ranker = Ranker(
        catalog_with(
            [
                ("northrop", "AGM-88G", ""),
                ("generic", "Missile maintenance and radar repair services", ""),
            ]
        )
    )
    assert first_foreign(ranker, "Air-launched anti-radiation missiles") == "northrop"
    (pairing, *_) = ranker.rank(adhoc_requirement("radar-homing missiles"), RankOptions(top=1))
    assert pairing.foreign.partner_id == "northrop"
    assert pairing.components["concept"] > 0
    assert any("AARGM-ER is one" in note for note in pairing.foreign.concepts)


def test_aliases_and_chinese_labels_reach_the_same_concept() -> None:
    table = synonym_table(knowledge=KNOWLEDGE)
    for text in ("Javelin", "FGM-148 missiles", "標槍飛彈", "採購標槍飛彈"):
        found = tokens(text, table)
        assert "¤javelin" in found and "§man_portable_atgm" in found, text
        assert "↑anti_tank_missile" in found and "↑missile" in found
    assert "§anti_tank_missile" in tokens("反裝甲飛彈", table)
    assert "§anti_tank_missile" in tokens("anti-armor missiles", table)


def test_chinese_labels_are_found_in_every_spelling_taiwanese_text_uses() -> None:
    table = synonym_table(knowledge=KNOWLEDGE)
    for text in ("反戰車導彈", "反裝甲導彈", "採購反戰車飛彈"):
        assert "§anti_tank_missile" in tokens(text, table), text
    for text in ("固定翼無人機", "定翼無人飛行載具", "固定翼無人航空器"):
        assert "§fixed_wing_uas" in tokens(text, table), text
    assert "¤javelin" in tokens("標槍導彈", table)
    # full-width letters and digits read as their ASCII forms
    assert "¤javelin" in tokens("ＦＧＭ－１４８", table)


def test_a_generic_word_in_a_mixed_label_is_no_name_of_the_product() -> None:
    concepts = [
        *CONCEPTS,
        {"concept_id": "radar", "label": "radar", "labels_zh": "雷達"},
        {"concept_id": "shell_155", "label": "155 mm shell", "labels_zh": "155公厘砲彈"},
        {"concept_id": "shell", "label": "artillery shell", "labels_zh": "砲彈"},
    ]
    systems = [
        *SYSTEMS,
        {"system_id": "gm200", "name": "GM200", "labels_zh": "GM200雷達", "concepts": "radar"},
        {"system_id": "pac3z", "name": "PAC-3Z", "labels_zh": "PAC-3愛國者", "concepts": "missile"},
    ]
    table = synonym_table(knowledge=Knowledge.from_rows(concepts, systems))
    assert "§radar" in tokens("雷達", table) and "¤gm200" not in tokens("雷達", table)
    assert "¤gm200" in tokens("GM200雷達", table)
    # a name-like run of a mixed label still names its product
    assert "¤pac3z" in tokens("愛國者", table)
    # "155公厘砲彈" is "155mm 砲彈" in text: its calibre is part of the label, not of 砲彈
    assert "§shell_155" in tokens("155公厘砲彈", table)
    assert "§shell_155" in tokens("155毫米炮彈", table)
    assert "§shell_155" not in tokens("砲彈", table) and "§shell" in tokens("砲彈", table)
    assert "§shell_155" not in tokens("105公厘砲彈", table)


def test_designations_and_calibres_written_against_chinese_are_read() -> None:
    concepts = [
        *CONCEPTS,
        {"concept_id": "mortar_81", "label": "81 mm mortar bomb", "labels_zh": "81迫砲彈"},
        {"concept_id": "mortar", "label": "mortar bomb", "labels_zh": "迫砲彈"},
    ]
    systems = [
        *SYSTEMS,
        {"system_id": "hf2", "name": "HF-2", "labels_zh": "雄風2型", "concepts": "missile"},
    ]
    table = synonym_table(knowledge=Knowledge.from_rows(concepts, systems))
    # a designation glued to Chinese on either side
    assert "¤aargm-er" in tokens("採購AGM-88G飛彈", table)
    assert "¤javelin" in tokens("FGM-148標槍", table)
    # a calibre written with or without its unit, glued to the words around it
    for text in ("81公厘迫砲彈", "採購81公厘迫砲彈", "81mm迫砲彈"):
        assert "§mortar_81" in tokens(text, table), text
    assert "§mortar_81" not in tokens("60公厘迫砲彈", table)
    assert "§mortar" in tokens("60公厘迫砲彈", table)
    # Chinese runs on after the label, with no space: the rest is read on its own
    found = tokens("81公厘迫砲彈採購反戰車飛彈", table)
    assert {"§mortar_81", "§anti_tank_missile"} <= set(found)
    assert "§mortar_81" not in tokens("60公厘迫砲彈採購", table)
    # the run before a type number names the family, not one member
    found = tokens("雄風3型", table)
    assert "§missile" in found and "¤hf2" not in found


def test_a_product_named_with_its_kind_in_chinese_is_found_as_that_kind() -> None:
    concepts = [
        *CONCEPTS,
        {"concept_id": "radar", "label": "radar", "labels_zh": "雷達"},
        {
            "concept_id": "anti_radar",
            "label": "anti-radar missile",
            "broader": "missile",
            "labels_zh": "反雷達",
        },
    ]
    systems = [
        *SYSTEMS,
        {"system_id": "p8", "name": "P-8A", "labels_zh": "海神定翼無人機", "concepts": "weapon"},
    ]
    table = synonym_table(knowledge=Knowledge.from_rows(concepts, systems))
    found = tokens("採購海神定翼無人機", table)
    assert "¤p8" in found and "§fixed_wing_uas" in found and "↑uas" in found
    # a concept's own label is left as its row says: an anti-radar missile is no radar
    assert "§anti_radar" in tokens("反雷達", table) and "§radar" not in tokens("反雷達", table)


def test_a_phrase_inner_word_is_no_evidence() -> None:
    ranker = Ranker(
        catalog_with(
            [
                ("generic", "Bushmaster chain guns for naval mounts", ""),
                ("northrop", "Secure supply chain management for drone parts", ""),
            ]
        )
    )
    query = ranker.index.query(adhoc_requirement("drones from a trusted supply chain"))
    gun_text = int(ranker.index.text_of_capability[0])
    assert "chain" not in ranker.index.matched_tokens(query, gun_text)
    fits = ranker.fits(adhoc_requirement("drones from a trusted supply chain"))
    assert fits.capability_ids.tolist() == [1]  # the gun line earns nothing from "chain"
    # the same phrase on both sides still meets
    assert first_foreign(ranker, "30 mm chain gun") == "generic"


def test_what_a_product_is_for_is_no_evidence_that_it_is_one() -> None:
    """After "for" or "against" a line names what its product serves: a drone carrying
    missiles is not a missile, though it still earns a little for naming them."""
    lines = [
        ("generic", "Fixed-wing drones with a launch rail for anti-tank missiles", ""),
        ("northrop", "Anti-tank missiles", ""),
        ("rtx", "Anti-radiation missiles", ""),
    ]
    ranker = Ranker(catalog_with(lines))
    fits = ranker.fits(adhoc_requirement("anti-tank missiles"))
    concept = component_by_row(fits, "concept")
    assert concept[1] > concept[0] > 0
    assert first_foreign(ranker, "anti-tank missiles") == "northrop"
    # the drone line's own concept is whole: it is a drone
    drones = ranker.fits(adhoc_requirement("fixed-wing drones"))
    by_row = component_by_row(drones, "concept")
    assert by_row[0] == pytest.approx(concept[1])


def test_a_requirement_for_a_part_of_a_system_wants_the_part_first() -> None:
    lines = [
        ("generic", "Fixed-wing drones", ""),
        ("northrop", "Anti-radiation missiles for fixed-wing drones", ""),
    ]
    ranker = Ranker(catalog_with(lines))
    assert first_foreign(ranker, "anti-radiation missiles for drones") == "northrop"
    # and a line offering what the part serves earns less than one offering the part
    fits = ranker.fits(adhoc_requirement("fixed-wing drones"))
    concept = component_by_row(fits, "concept")
    assert concept[0] > concept[1] > 0


def test_purpose_words_with_nothing_before_them_say_what_the_product_is() -> None:
    table = synonym_table(knowledge=KNOWLEDGE)
    # no concept before "for": what follows it is all there is to say what it is
    assert "§fixed_wing_uas" in tokens("Solutions for fixed-wing drones", table)
    served = tokens("Anti-tank missiles for fixed-wing drones", table)
    assert "§anti_tank_missile" in served and "⊂§fixed_wing_uas" in served
    # the clause ends at the full stop: the drones are offered too
    both = tokens("Anti-tank missiles for launchers. Fixed-wing drones", table)
    assert "§anti_tank_missile" in both and "§fixed_wing_uas" in both


def test_what_a_product_is_for_is_said_in_the_explanation() -> None:
    line = "Fixed-wing drones with launch rails for anti-tank missiles"
    ranker = Ranker(catalog_with([("generic", line, "")]))
    (pairing,) = ranker.rank(adhoc_requirement("anti-tank missiles"), RankOptions(top=1))
    assert any("what its product is for" in note for note in pairing.foreign.concepts)


def test_a_system_a_product_serves_still_asks_its_co_developers() -> None:
    line = "Fixed-wing drones for spotting M982 rounds"
    assert "⊂¤excalibur" in tokens(line, synonym_table(knowledge=KNOWLEDGE))
    ranker = Ranker(catalog_with([("generic", line, "")]))
    (pairing,) = ranker.rank(adhoc_requirement("fixed-wing drones"), RankOptions(top=1))
    assert pairing.feasibility == "blocked" and pairing.blocked_by == ("Sweden",)


def test_a_system_a_requirement_names_as_context_still_meets_lines_naming_it() -> None:
    """ "Anti-tank missiles for Javelin-class launchers": Javelin is context, yet a line
    naming Javelin, as its product or as what its product serves, meets it."""
    lines = [
        ("generic", "FGM-148 shoulder-fired anti-tank missiles", ""),
        ("northrop", "Anti-tank missiles", ""),
    ]
    ranker = Ranker(catalog_with(lines))
    requirement = adhoc_requirement("Anti-tank missiles for Javelin launchers")
    assert "⊂¤javelin" in tokens(requirement.title, synonym_table(knowledge=KNOWLEDGE))
    system = component_by_row(ranker.fits(requirement), "system")
    assert system.get(0, 0) > system.get(1, 0) == 0


def test_context_in_a_description_weighs_as_the_description_does() -> None:
    """A concept the description names only as context weighs less than one the
    description asks for, and less than the title's own."""
    table_index = Ranker(catalog_with([("generic", "Fixed-wing drones", "")])).index
    asked = table_index.query(
        Requirement("A", "Fixed-wing drones", "and anti-tank missiles", "", None, "", "high")
    )
    served = table_index.query(
        Requirement(
            "B",
            "Fixed-wing drones",
            "fixed-wing drones carrying anti-tank missiles",
            "",
            None,
            "",
            "high",
        )
    )
    weight = {
        q.requirement_id: dict(zip(q.concepts, q.concept_weights.tolist(), strict=True))
        for q in (asked, served)
    }
    assert weight["B"]["anti_tank_missile"] < weight["A"]["anti_tank_missile"]
    assert weight["B"]["anti_tank_missile"] < weight["B"]["fixed_wing_uas"]


def test_a_users_chinese_synonym_for_a_chinese_label_reads_as_the_label() -> None:
    table = synonym_table([Synonym("遙控無人飛機", "定翼無人機")], KNOWLEDGE)
    assert "§fixed_wing_uas" in tokens("遙控無人飛機", table)


def test_a_label_with_words_between_its_own_is_still_found() -> None:
    table = synonym_table(knowledge=KNOWLEDGE)
    assert "§fixed_wing_uas" in tokens("fixed-wing reconnaissance drones", table)
    assert "§fixed_wing_uas" not in tokens(
        "fixed-wing aircraft and, later, many small drones", table
    )


def test_a_label_is_found_with_a_word_written_as_a_synonym_phrase() -> None:
    # the label says "drone"; a requirement says "unmanned aerial vehicle", which the
    # synonyms read as the same word
    table = synonym_table(knowledge=KNOWLEDGE)
    for text in ("fixed-wing unmanned aerial vehicles", "fixed-wing remotely piloted aircraft"):
        assert "§fixed_wing_uas" in tokens(text, table), text
    # a synonym phrase that reads as no word of the label adds nothing
    assert "§fixed_wing_uas" not in tokens("fixed-wing man-portable air defence systems", table)


def test_a_label_is_found_with_a_word_written_as_a_synonym_phrase_on_the_shipped_table() -> None:
    table = synonym_table(knowledge=shipped_knowledge())
    assert "§male_uas" in tokens("long-endurance unmanned aerial vehicles", table)
    # a longer name that holds its own canonical ("TOW 2B" -> "TOW") is no way to
    # write the word: the designation stays
    assert "2b" in tokens("BGM-71 TOW 2B", table)


def test_a_synonym_whose_canonical_form_holds_a_label_carries_its_concept() -> None:
    # the canonical form is no label itself, but a label sits inside it
    extra = [Synonym("wing-borne drone", "winged fixed-wing drone airframe")]
    table = synonym_table(extra, knowledge=KNOWLEDGE)
    assert "§fixed_wing_uas" in tokens("a wing-borne drone for the navy", table)
    # a canonical form that holds no label carries nothing
    plain = synonym_table([Synonym("wing-borne drone", "winged airframe")], knowledge=KNOWLEDGE)
    assert not any(t.startswith("§") for t in tokens("a wing-borne drone", plain))


def test_a_chinese_title_is_compared_with_lines_through_its_concepts_english_words() -> None:
    ranker = Ranker(
        catalog_with(
            [
                ("generic", "Fixed-wing drone airframes", ""),
                ("northrop", "Drone jammers", ""),
            ]
        )
    )
    query = ranker.index.query(adhoc_requirement("定翼無人機"))
    assert query.text.split() == ["fixed", "wing", "uas"]  # "drone" is read as "uas"
    # the line that says it in English has the better text fit, as it would in English
    fits = ranker.fits(adhoc_requirement("定翼無人機"))
    ids, points = fits.capability_ids.tolist(), fits.components["text_fit"].tolist()
    text_fit = dict(zip(ids, points, strict=True))
    assert text_fit[0] > text_fit.get(1, 0.0)
    # an English title keeps its own words
    assert (
        ranker.index.query(adhoc_requirement("fixed-wing drones for sale")).text.split()[-1]
        == "sale"
    )


def test_a_chinese_title_earns_coverage_through_its_concepts_english_words() -> None:
    lines = [
        ("generic", "Fixed-wing drone airframes", ""),
        ("northrop", "Drone jammers", ""),
    ]
    ranker = Ranker(catalog_with(lines))
    fits = ranker.fits(adhoc_requirement("定翼無人機"))
    coverage = component_by_row(fits, "idf_coverage")
    # the line holding "fixed wing" earns coverage, as the English title would give it
    assert coverage[0] > coverage.get(1, 0.0) >= 0.0
    english = Ranker(catalog_with(lines)).fits(adhoc_requirement("fixed-wing drones"))
    assert english.components["idf_coverage"].tolist()[0] > 0.0
    # so does a Chinese title with words of its own (採購, "procurement"): its concepts
    # are still its words
    worded = ranker.fits(adhoc_requirement("採購定翼無人機"))
    assert component_by_row(worded, "idf_coverage")[0] > 0.0
    assert "fixed" in ranker.index.query(adhoc_requirement("採購定翼無人機")).tokens
    # and a Chinese description's concepts count in English words as well
    described = dataclasses.replace(adhoc_requirement("採購"), description="定翼無人機")
    assert "fixed" in ranker.index.query(described).tokens
    # an English title with a word of its own is read as written: no label words added
    english_words = ranker.index.query(adhoc_requirement("ATGM launchers for sale"))
    assert "tank" not in english_words.tokens and "sale" in english_words.tokens
    assert "tank" in ranker.index.query(adhoc_requirement("採購反裝甲飛彈")).tokens


def test_broader_and_narrower_credit_is_below_exact() -> None:
    lines = [
        ("northrop", "man-portable anti-tank missiles", ""),  # exact
        ("generic", "Javelin", ""),  # exact, through the system
        ("rtx", "anti-tank missiles", ""),  # broader than asked
        ("lm", "vehicle-launched anti-tank missiles", ""),  # a sibling
        ("mhi", "guided missiles", ""),  # the root
    ]
    ranker = Ranker(catalog_with(lines))
    fits = ranker.fits(adhoc_requirement("shoulder-fired anti-tank missile"))
    concept = component_by_row(fits, "concept")
    assert concept[0] == concept[1] > concept[2] > concept[3] > concept.get(4, 0) >= 0
    narrower = Ranker(catalog_with(lines)).fits(adhoc_requirement("anti-tank missiles"))
    by_row = component_by_row(narrower, "concept")
    assert by_row[2] > by_row[0] > 0  # a kind of what is asked gets less than exact


# ------------------------------------------------------------------- consent


def test_knowledge_base_co_developers_enter_the_consent_chain() -> None:
    catalog = catalog_with([("rtx", "M982 GPS-guided 155 mm projectiles", "")])
    ranker = Ranker(catalog)
    (pairing,) = ranker.rank(adhoc_requirement("GPS-guided 155 mm projectiles"), RankOptions(top=1))
    assert pairing.feasibility == "blocked" and pairing.blocked_by == ("Sweden",)
    (step,) = pairing.consent_chain
    assert "BAE Systems Bofors" in step.reason and "knowledge base" in step.reason
    assert step.source == "test source B"


def test_the_catalog_codevelopers_override_the_knowledge_base() -> None:
    catalog = catalog_with(
        [("rtx", "Excalibur guided projectiles", "Excalibur")], codevelopers={"excalibur": ("rtx",)}
    )
    verdict = assess(catalog, catalog.partners["rtx"], "Excalibur")
    assert verdict.feasibility == "ok" and verdict.chain == ()


def test_licence_production_names_both_governments() -> None:
    catalog = catalog_with([("mhi", "PAC-3 MSE interceptors built under licence", "")])
    known = (KNOWLEDGE.systems["pac-3"],)
    verdict = assess(catalog, catalog.partners["mhi"], "", known)
    countries = {step.country: step for step in verdict.chain}
    assert set(countries) == {"Japan", "United States"}
    assert "licensor Lockheed Martin" in countries["United States"].reason
    assert "licence producer" in countries["Japan"].reason
    # the licensor itself needs nobody's consent but its own (open) government's
    assert assess(catalog, catalog.partners["lm"], "PAC-3 MSE").chain == ()


# ------------------------------------------------------------ user's tables


def test_a_users_knowledge_rows_extend_and_win(tmp_path: Path) -> None:
    folder = write_catalog_folder(tmp_path / "in")
    write_csv(
        folder / "concepts.csv",
        [{"concept_id": "widget", "label": "widget launcher", "source": "mine"}],
        ["concept_id", "label", "alt_labels", "broader", "labels_zh", "category", "source"],
    )
    db = tmp_path / "db" / "catalog.duckdb"
    refresh_catalog([folder], db)
    knowledge = load_catalog(db).knowledge
    assert knowledge.concepts["widget"].label == "widget launcher"
    assert set(shipped_knowledge().concepts) < set(knowledge.concepts)


def test_a_users_knowledge_file_with_errors_is_rejected_and_changes_nothing(tmp_path: Path) -> None:
    folder = write_catalog_folder(tmp_path / "in")
    db = tmp_path / "db" / "catalog.duckdb"
    refresh_catalog([folder], db)
    before = db.read_bytes()
    columns = ["concept_id", "label", "alt_labels", "broader", "labels_zh", "category", "source"]
    write_csv(
        folder / "concepts.csv",
        [
            {"concept_id": "widget", "label": "widget", "broader": "no_such_concept"},
            {"concept_id": "a", "label": "a thing", "broader": "b"},
            {"concept_id": "b", "label": "b thing", "broader": "a"},
        ],
        columns,
    )
    write_csv(
        folder / "system_relations.csv",
        [{"system_id": "excalibur", "organisation": "X", "country": "Y", "role": "owner"}],
        ["system_id", "organisation", "country", "role", "source"],
    )
    with pytest.raises(CatalogValidationError) as raised:
        refresh_catalog([folder], db)
    messages = [str(problem) for problem in raised.value.problems]
    concepts, relations = str(folder / "concepts.csv"), str(folder / "system_relations.csv")

    def at(file: str, line: int, needle: str) -> bool:
        pattern = re.compile(rf"{re.escape(file)}:{line}:\d+: .*{re.escape(needle)}")
        return any(pattern.match(message) for message in messages)

    assert at(concepts, 2, "unknown concept 'no_such_concept'")
    assert at(concepts, 3, "cycle") and at(concepts, 4, "cycle")
    assert at(relations, 2, "unknown role 'owner'")
    assert db.read_bytes() == before


# ------------------------------------------------------------------- Chinese


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coprod", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "80", "PYTHONPATH": str(Path.cwd())},
    )


def test_a_chinese_query_finds_its_concept_on_the_shipped_catalog(tmp_path: Path) -> None:
    db = str(tmp_path / "c.duckdb")
    result = run_cli(
        "rank", "--db", db, "--query", "迫擊砲彈", "-f", "json", "--top", "5", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert records and records[0]["components"]["concept"] > 0
    notes = [note for r in records for note in (r["foreign_concepts"] or r["local_concepts"])]
    assert any("(迫擊砲彈)" in note and "mortar" in note for note in notes)


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md"])
def test_chinese_text_in_every_output_format(tmp_path: Path, fmt: str) -> None:
    db = str(tmp_path / "c.duckdb")
    query = "155公厘砲彈"
    result = run_cli("rank", "--db", db, "--query", query, "-f", fmt, "--top", "3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert query in result.stdout
    if fmt == "table":
        from rich.cells import cell_len

        assert all(cell_len(line) <= 80 for line in result.stdout.splitlines())


def test_a_chinese_word_in_the_synonyms_meets_the_english_words_of_a_line() -> None:
    """Chinese text no label covers is read through the synonyms' Chinese words, so a
    Chinese requirement meets an English line beyond what the knowledge base names."""
    table = synonym_table([Synonym("全天候", "all-weather"), Synonym("衛星", "satcom")])
    assert tokens("全天候衛星", table) == ("weather", "satcom")  # "all" is a stop word
    catalog = catalog_with(
        [("generic", "All-weather day and night cameras", ""), ("northrop", "Tactical radios", "")]
    )
    assert Ranker(catalog).fits(adhoc_requirement("全天候")).capability_ids.tolist() == []
    catalog = dataclasses.replace(catalog, synonyms=[Synonym("全天候", "all-weather")])
    assert Ranker(catalog).fits(adhoc_requirement("全天候")).capability_ids.tolist()[:1] == [0]


def test_a_knowledge_label_wins_over_a_chinese_word_of_the_same_text() -> None:
    table = synonym_table([Synonym("反裝甲飛彈", "missile")], KNOWLEDGE)
    assert "§anti_tank_missile" in tokens("反裝甲飛彈", table)
    # and a Chinese word is no head a longer label is found around ("監偵無人機")
    worded = synonym_table([Synonym("無人機", "aircraft")], KNOWLEDGE)
    assert worded.chinese_gapped == synonym_table(knowledge=KNOWLEDGE).chinese_gapped


def test_a_saved_table_reads_every_text_as_the_built_one() -> None:
    from coprod.text import SynonymTable

    built = synonym_table(knowledge=shipped_knowledge())
    restored = SynonymTable.from_state(json.loads(json.dumps(built.state())))
    shipped = Path(__file__).resolve().parent.parent / "data"
    texts = [
        row.split(",", 2)[1]
        for row in (shipped / "capabilities.csv").read_text(encoding="utf-8").splitlines()[1:]
        if row.count(",") >= 2
    ]
    texts += ["各型監偵及攻擊無人機", "5.56及7.62公厘空包彈", "fixed-wing reconnaissance drones"]
    assert [tokens(t, restored) for t in texts] == [tokens(t, built) for t in texts]


def test_table_rows_read_as_the_same_rows_as_dicts():
    """A catalog load reads its knowledge tables as tuples (Knowledge.from_table_rows):
    the same knowledge as the CSV rows read as dicts, padded and missing cells included."""
    import csv

    from coprod.catalogschema import KNOWLEDGE_COLUMNS
    from coprod.paths import shipped_data_dir

    tables = {}
    for table, columns in KNOWLEDGE_COLUMNS.items():
        with (shipped_data_dir() / f"{table}.csv").open(encoding="utf-8-sig", newline="") as f:
            tables[table] = [dict(row) for row in csv.DictReader(f)]
        # a padded cell, a missing (NULL) one and a row without an id
        tables[table][0] = {**tables[table][0], columns[1]: f"  {tables[table][0][columns[1]]} "}
        tables[table][1] = {**tables[table][1], columns[-1]: None}
        tables[table].append(dict.fromkeys(columns, ""))
    as_dicts = Knowledge.from_rows(*tables.values())
    as_tuples = Knowledge.from_table_rows(
        *(
            [tuple(row.get(c) for c in KNOWLEDGE_COLUMNS[table]) for row in rows]
            for table, rows in tables.items()
        )
    )
    assert as_dicts.concepts and as_dicts.systems and as_dicts.relations
    assert as_tuples == as_dicts
    assert as_tuples.fingerprint() == as_dicts.fingerprint()


def test_a_battery_beside_a_missile_or_gun_is_a_firing_unit_not_a_store_of_power() -> None:
    table = synonym_table(knowledge=shipped_knowledge())
    for text in ("Patriot batteries", "land-based mobile anti-ship missile batteries"):
        found = tokens(text, table)
        assert "§battery" not in found and "↑components" not in found, text
    # an electric word says it is one; with no missile or gun it is one anyway, and so
    # it is when the missile is only what the batteries serve
    assert "§battery" in tokens("lithium-ion batteries for Patriot launchers", table)
    assert "§battery" in tokens("batteries for small drones", table)
    assert "§battery" in tokens("replacement batteries for Stinger missiles", table)
    # 電池 is always a store of power
    assert "§battery" in tokens("愛國者飛彈電池", table)


def test_chinese_purpose_words_mark_what_the_product_serves() -> None:
    table = synonym_table(knowledge=shipped_knowledge())
    found = tokens("鋰電池，用於無人機", table)
    assert "§battery" in found and "⊂§uas" in found and "§uas" not in found
    found = tokens("智慧型水雷，對付氣墊船", table)
    assert "§naval_mine" in found and "§hovercraft" not in found
    # a clause of its own after a full-width comma is no context of the one before
    assert "§uas" in tokens("鋰電池，無人機", table)
    # what comes after 的 is the product again: the missile is what the fighter carries
    found = tokens("戰機搭載的空對地飛彈", table)
    assert "§air_to_ground_missile" in found and "⊂§air_to_ground_missile" not in found
    found = tokens("用於無人機的鋰電池", table)
    assert "§battery" in found and "⊂§uas" in found


def test_a_product_used_against_drones_is_a_counter_drone_product() -> None:
    table = synonym_table(knowledge=shipped_knowledge())
    found = tokens("laser-guided 70 mm rocket kits, also used against drones", table)
    assert "§counter_uas" in found and "⊂§uas" in found
    # against what no counter concept names, nothing is added
    assert not any(t.startswith("§counter") for t in tokens("guided rockets against ships", table))


def test_a_chinese_conjunction_between_two_labels_is_no_evidence() -> None:
    # 及 ("and") left alone between 反裝甲飛彈 and 反輻射飛彈 is no word of its own
    table = synonym_table(knowledge=KNOWLEDGE)
    found = tokens("反裝甲飛彈及反輻射飛彈", table)
    assert "及" not in found
    assert {"§anti_tank_missile", "§anti_radiation_missile"} <= set(found)
    # and so is a tender's suffix (案, "project") left alone after a label
    assert "案" not in tokens("反裝甲飛彈採購案", table)
    # so a line sharing nothing but the conjunction earns no coverage from it
    ranker = Ranker(
        catalog_with(
            [
                ("generic", "機體及電子組件", ""),
                ("northrop", "Anti-tank missile launchers", ""),
            ]
        )
    )
    coverage = component_by_row(
        ranker.fits(adhoc_requirement("反裝甲飛彈及反輻射飛彈")), "idf_coverage"
    )
    assert coverage.get(0, 0.0) == 0.0
    # a lone character that is a word (砲, a gun) is still read
    assert "砲" in tokens("反裝甲飛彈，砲", table)


def test_sums_of_money_and_counts_in_chinese_are_no_evidence() -> None:
    table = synonym_table(knowledge=KNOWLEDGE)
    found = tokens("反裝甲飛彈採購，預算約新台幣4.15億元，共計350萬發", table)
    assert "§anti_tank_missile" in found
    assert not {"新台", "台幣", "億元", "萬發", "共計"} & set(found)
    # a line that states a budget too does not meet the requirement on it
    ranker = Ranker(
        catalog_with(
            [
                ("generic", "機體組件訂單（新台幣5億元）", ""),
                ("northrop", "Anti-tank missile launchers", ""),
            ]
        )
    )
    fits = ranker.fits(adhoc_requirement("反裝甲飛彈 新台幣3億元"))
    assert component_by_row(fits, "idf_coverage").get(0, 0.0) == 0.0
    # a label with the same text as a stop word wins over it
    concepts = [*CONCEPTS, {"concept_id": "misc", "label": "miscellany", "labels_zh": "其他"}]
    own = synonym_table(knowledge=Knowledge.from_rows(concepts, SYSTEMS))
    assert "§misc" in tokens("其他", own)


def test_a_product_is_found_by_its_chinese_name_without_its_kind() -> None:
    concepts = [
        {**concept, "labels_zh": "飛彈"} if concept["concept_id"] == "missile" else concept
        for concept in CONCEPTS
    ]
    concepts.append({"concept_id": "aircraft", "label": "aircraft", "labels_zh": "飛機"})
    systems = [
        *SYSTEMS,
        {"system_id": "p8", "name": "P-8A", "labels_zh": "海神飛機", "concepts": "aircraft"},
        {"system_id": "mq4", "name": "MQ-4C", "labels_zh": "海神飛彈", "concepts": "missile"},
    ]
    table = synonym_table(knowledge=Knowledge.from_rows(concepts, systems))
    # 標槍飛彈 is 標槍 and a missile: the press writes 標槍 alone ("刺針、標槍等")
    assert "¤javelin" in tokens("採購標槍", table)
    assert "¤javelin" in tokens("刺針、標槍等", table)
    # a name two products' labels give names neither
    assert not {"¤p8", "¤mq4"} & set(tokens("海神", table))
    # a description is no name: "new-type" missile, or one holding a Chinese word
    systems += [
        {"system_id": "nx", "name": "NX", "labels_zh": "新型飛彈", "concepts": "missile"},
        {"system_id": "dx", "name": "DX", "labels_zh": "反戰車雷霆飛彈", "concepts": "missile"},
    ]
    table = synonym_table(knowledge=Knowledge.from_rows(concepts, systems))
    assert "¤nx" not in tokens("新型", table)
    assert "¤dx" in tokens("反戰車雷霆飛彈", table)
    assert "¤dx" not in tokens("反戰車雷霆", table)


def test_an_explanation_shows_the_chinese_name_of_a_product_that_named_the_concept() -> None:
    concepts = [
        {**concept, "labels_zh": "飛彈"} if concept["concept_id"] == "missile" else concept
        for concept in CONCEPTS
    ]
    catalog = dataclasses.replace(
        catalog_with([("northrop", "FGM-148 Javelin anti-tank missiles", "")]),
        knowledge=Knowledge.from_rows(concepts, SYSTEMS),
    )
    pairings = Ranker(catalog).rank(adhoc_requirement("採購標槍"), RankOptions(top=3))
    notes = [note for p in pairings if p.foreign for note in p.foreign.concepts]
    # 標槍 (the Javelin's name in 標槍飛彈) named the concept: the note says so in Chinese
    assert any(note.startswith("man-portable anti-tank missile (標槍)") for note in notes), notes
