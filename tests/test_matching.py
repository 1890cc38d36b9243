"""Scoring properties of the capability index: what fits a requirement, and why."""

from __future__ import annotations

import tempfile

import numpy as np
import pytest

from coprod.indexbuild import category_key
from coprod.matching import COMPONENTS, CapabilityIndex
from coprod.model import Capability, Catalog, CountryPosture, Partner, Requirement
from coprod.ranking import Ranker, adhoc_requirement


def catalog_of(lines: list[str | tuple[str, str, str]]) -> Catalog:
    """One partner per line; a line is text or (text, category, system)."""
    partners = {}
    capabilities = []
    for i, line in enumerate(lines):
        text, category, system = (line, "", "") if isinstance(line, str) else line
        partners[f"p{i}"] = Partner(f"p{i}", f"Partner {i}", "United States", "company", "")
        capabilities.append(Capability(i, f"p{i}", text, category, system))
    return Catalog(
        partners=partners,
        capabilities=capabilities,
        codevelopers={},
        countries={"United States": CountryPosture("United States", "open", "")},
        requirements={},
    )


def fits_by_line(lines: list, title: str, category: str = "", description: str = ""):
    ranker = Ranker(catalog_of(lines))
    requirement = Requirement("R", title, description, category, None, "", "high")
    fits = ranker.fits(requirement)
    texts = [ranker.catalog.capabilities[row].capability for row in fits.capability_ids]
    by_line = dict(zip(texts, fits.fit.tolist(), strict=True))
    return (
        {
            line if isinstance(line, str) else line[0]: by_line.get(
                line if isinstance(line, str) else line[0], 0.0
            )
            for line in lines
        },
        fits,
        ranker,
    )


def test_synonyms_and_units_bring_a_differently_worded_line_first() -> None:
    scores, _, _ = fits_by_line(
        [
            "Forging and loading of 155 mm M795 projectiles",
            "40 mm grenades",
            "Rifle cleaning kits",
        ],
        "155mm artillery shells",
    )
    assert scores["Forging and loading of 155 mm M795 projectiles"] > 50
    assert scores["Forging and loading of 155 mm M795 projectiles"] > scores["40 mm grenades"]
    assert scores["Rifle cleaning kits"] == 0.0


def test_acronym_requirement_finds_the_spelled_out_line() -> None:
    scores, _, _ = fits_by_line(
        ["FGM-148 Javelin anti-tank guided missile", "AGM-114 Hellfire air-to-ground missile"],
        "ATGM",
    )
    assert (
        scores["FGM-148 Javelin anti-tank guided missile"]
        > scores["AGM-114 Hellfire air-to-ground missile"]
    )


def test_filler_words_do_not_dominate() -> None:
    scores, _, _ = fits_by_line(
        [
            "Advanced production systems and solutions for defence",
            "MANPADS",
            "Stinger man-portable air defence missile",
        ],
        "Advanced MANPADS production systems",
    )
    filler = scores["Advanced production systems and solutions for defence"]
    assert scores["MANPADS"] > filler
    assert scores["Stinger man-portable air defence missile"] > filler


def test_word_order_does_not_matter() -> None:
    lines = ["155 mm artillery shells", "mortar rounds 120 mm", "drone airframes"]
    forward, _, _ = fits_by_line(lines, "155mm artillery shells")
    backward, _, _ = fits_by_line(lines, "shells artillery 155mm")
    assert forward == pytest.approx(backward)


def test_a_long_generic_line_does_not_win_the_subset_tie() -> None:
    exact = "155 mm artillery shells"
    generic = (
        "155 mm artillery shells, fuzes, castings, machining, logistics, training, "
        "maintenance and engineering services"
    )
    scores, _, _ = fits_by_line([generic, exact], "155mm artillery shells")
    assert scores[exact] > scores[generic]


def test_calibre_mismatch_is_penalised() -> None:
    scores, fits, ranker = fits_by_line(
        ["105 mm artillery shells", "155 mm artillery shells", "artillery shells"],
        "155mm artillery shells",
    )
    assert (
        scores["155 mm artillery shells"]
        > scores["artillery shells"]
        > scores["105 mm artillery shells"]
    )
    by_row = {int(r): i for i, r in enumerate(fits.capability_ids)}
    assert fits.components["calibre"][by_row[0]] < 0
    assert fits.components["calibre"][by_row[1]] > 0


def test_category_and_named_system_add_points() -> None:
    lines = [
        ("Javelin missile production", "anti_tank_missile", "Javelin"),
        ("Javelin missile production", "", ""),
        ("anti-tank missile production", "anti_tank_missile", ""),
    ]
    ranker = Ranker(catalog_of(lines))
    requirement = Requirement("R", "Javelin missiles", "", "anti_tank_missile", None, "", "high")
    fits = ranker.fits(requirement)
    by_row = {int(r): i for i, r in enumerate(fits.capability_ids)}
    structured, plain = by_row[0], by_row[1]
    assert fits.components["category"][structured] > fits.components["category"][plain] > 0
    assert fits.components["system"][structured] > 0
    # the text names the system, so the plain line earns the system points too
    assert fits.components["system"][plain] == fits.components["system"][structured]
    assert fits.fit[structured] > fits.fit[plain]


def test_components_sum_to_fit_within_0_and_100() -> None:
    lines = [
        ("M982 Excalibur 155 mm guided projectile", "precision_artillery", "Excalibur"),
        ("105 mm shells", "artillery_ammunition", ""),
        ("155mm howitzer", "artillery_system", ""),
        "drones",
    ]
    _, fits, _ = fits_by_line(lines, "Excalibur 155mm projectiles", "precision_artillery")
    total = sum(fits.components[name] for name in COMPONENTS)
    assert np.allclose(total, fits.fit)
    assert fits.fit.min() >= 0 and fits.fit.max() <= 100 + 1e-9
    assert set(fits.components) == set(COMPONENTS)


def test_a_perfect_line_scores_100() -> None:
    lines = [("155 mm artillery shells", "artillery_ammunition", "")]
    scores, _, _ = fits_by_line(lines, "155mm artillery shells", "artillery_ammunition")
    assert scores["155 mm artillery shells"] == pytest.approx(100.0)


def test_description_words_count_less_than_title_words() -> None:
    lines = ["loitering munitions", "counter-drone jammers"]
    scores, _, _ = fits_by_line(
        lines, "Loitering munitions", description="also useful against counter-drone jammers"
    )
    assert scores["loitering munitions"] > scores["counter-drone jammers"] > 0


def test_matched_tokens_are_the_requirement_words_found() -> None:
    ranker = Ranker(catalog_of(["Forging and loading of 155 mm M795 projectiles"]))
    query = ranker.query(adhoc_requirement("155mm artillery shells"))
    text_id = int(ranker.index.text_of_capability[0])
    assert ranker.index.matched_tokens(query, text_id) == ("155mm", "projectile", "ammunition")


def test_identical_normalised_lines_share_one_text() -> None:
    ranker = Ranker(catalog_of(["155 mm shells", "155-mm Shells", "155mm rounds", "drones"]))
    assert len(ranker.index.texts) == 2
    assert len(set(ranker.index.text_of_capability[:3].tolist())) == 1


def test_candidate_limit_keeps_the_best_overlaps() -> None:
    lines = [f"generic artillery part {i}" for i in range(50)] + ["155 mm artillery shells"]
    ranker = Ranker(catalog_of(lines), candidate_limit=5)
    ids, overlap = ranker.candidates(adhoc_requirement("155mm artillery shells"))
    assert len(ids) == 5
    assert ranker.index.texts[int(ids[0])] == "155mm artillery projectile ammunition"
    assert list(overlap) == sorted(overlap, reverse=True)


def test_candidates_agree_with_the_exhaustive_text_fit() -> None:
    lines = [f"{w} artillery shells" for w in ("155 mm", "105 mm", "guided", "smoke")] + [
        f"drone part {i}" for i in range(30)
    ]
    ranker = Ranker(catalog_of(lines))
    requirement = adhoc_requirement("guided 155mm shells")
    everything = np.arange(len(ranker.index.texts), dtype=np.int32)
    exhaustive = ranker.text_scores(requirement, everything)
    ids, _ = ranker.candidates(requirement)
    best_exhaustive = int(np.argmax(exhaustive))
    assert best_exhaustive in set(ids.tolist())
    assert ranker.text_scores(requirement, ids).max() == pytest.approx(exhaustive.max())


@pytest.mark.parametrize(
    "title",
    [
        "",
        "   ",
        "!!!",
        "\U0001f680\U0001f4a3",
        "[b]x[/b] <i>",
        "\x1b[2J",
        "word " * 5000,
        "zzzz qqqq",
    ],
)
def test_empty_or_odd_requirements_give_no_fits_and_no_crash(title: str) -> None:
    ranker = Ranker(catalog_of(["155 mm shells", "drones"]))
    fits = ranker.fits(adhoc_requirement(title))
    # none of these has a word of the catalog ("x", "b", "i", "word" are in no line)
    assert len(fits.fit) == 0


def test_empty_catalog_is_fine() -> None:
    ranker = Ranker(catalog_of([]))
    assert len(ranker.fits(adhoc_requirement("drones")).fit) == 0


def test_category_key_normalises() -> None:
    assert category_key(" Air-Defence Missile ") == "air_defence_missile"
    assert category_key("") == ""


def test_index_can_be_built_without_the_ranker() -> None:
    from coprod.text import synonym_table

    index = CapabilityIndex(catalog_of(["drones", "UAV airframes"]), synonym_table())
    assert index.texts == ["uas", "uas airframe"]
    assert index.idf[index.vocabulary["airframe"]] > index.idf[index.vocabulary["uas"]]


STATE_LINES = [
    ("Forging and loading of 155 mm M795 projectiles", "artillery_ammunition", ""),
    ("Excalibur guided shells", "precision_artillery", "Excalibur"),
    ("FGM-148 Javelin missiles", "anti_tank_missile", "Javelin"),
    ("5.56 x 45 mm rifle rounds", "", ""),
    "small quadcopter drones",
    "155 mm shells",
]
STATE_QUERIES = [
    Requirement("A", "155 mm shells", "M795 high explosive", "artillery_ammunition", None, "", ""),
    Requirement("B", "Javelin ATGM", "", "anti_tank_missile", None, "", "high"),
    Requirement("C", "5.56mm ammunition", "", "", None, "", "low"),
    adhoc_requirement("drones", "uas"),
    adhoc_requirement(""),
]


def restored(index: CapabilityIndex, row_count: int) -> CapabilityIndex:
    return CapabilityIndex.from_state(index.state(), index.table, row_count)


@pytest.mark.parametrize("lines", [STATE_LINES, []], ids=["lines", "empty"])
def test_index_restored_from_its_state_scores_exactly_the_same(lines: list) -> None:
    from coprod.text import synonym_table

    catalog = catalog_of(lines)
    built = CapabilityIndex(catalog, synonym_table())
    loaded = restored(built, len(lines))
    assert loaded.texts == built.texts
    assert [loaded.text_tokens[i] for i in range(len(built.texts))] == built.text_tokens
    for requirement in STATE_QUERIES:
        query, again = built.query(requirement), loaded.query(requirement)
        ids, points = built.candidates(query)
        loaded_ids, loaded_points = loaded.candidates(again)
        assert np.array_equal(ids, loaded_ids) and np.array_equal(points, loaded_points)
        fits, loaded_fits = built.score(query, ids), loaded.score(again, loaded_ids)
        assert np.array_equal(fits.capability_ids, loaded_fits.capability_ids)
        assert np.array_equal(fits.fit, loaded_fits.fit)
        for name in COMPONENTS:
            assert np.array_equal(fits.components[name], loaded_fits.components[name])
        for text_id in range(len(built.texts)):
            assert loaded.matched_tokens(again, text_id) == built.matched_tokens(query, text_id)


def test_index_state_for_another_catalog_size_is_refused() -> None:
    from coprod.text import synonym_table

    built = CapabilityIndex(catalog_of(STATE_LINES), synonym_table())
    with pytest.raises(ValueError):
        restored(built, len(STATE_LINES) + 1)
    state = built.state()
    state.arrays["post_texts"] = state.arrays["post_texts"] + len(built.texts)
    with pytest.raises(ValueError):
        CapabilityIndex.from_state(state, built.table, len(STATE_LINES))


# ------------------------------------------------- candidates on the shipped data


@pytest.fixture(scope="module")
def shipped_catalog() -> Catalog:
    from pathlib import Path

    from coprod.catalog import load_catalog, refresh_catalog

    db_path = Path(tempfile.mkdtemp(prefix="coprod-shipped-")) / "catalog.duckdb"
    refresh_catalog([Path(__file__).resolve().parent.parent / "data"], db_path)
    return load_catalog(db_path)


@pytest.fixture(scope="module")
def shipped(shipped_catalog: Catalog) -> tuple[CapabilityIndex, list]:
    """The shipped catalog's index, built with a candidate limit small enough to bite."""
    index = Ranker(shipped_catalog, candidate_limit=10).index
    return index, [index.query(r) for r in shipped_catalog.requirements.values()]


@pytest.mark.parametrize("title", ["7.62 mm blank ammunition", "7.62公厘空包彈"])
def test_a_small_arms_calibre_says_the_family_a_role_word_does_not(
    shipped_catalog: Catalog, title: str
) -> None:
    """'Blank' or 'tracer' alone is a role of any ammunition; under 20 mm the calibre
    says it is a cartridge, not a tank or artillery training round."""
    ranker = Ranker(shipped_catalog)
    fits = ranker.fits(adhoc_requirement(title))
    best: dict[str, float] = {}
    for row, fit in zip(fits.capability_ids.tolist(), fits.fit.tolist(), strict=True):
        text = shipped_catalog.capabilities[row].capability
        best[text] = max(best.get(text, 0.0), fit)
    cartridges = "7.62mm ammunition at Lake City Army Ammunition Plant"
    tank_rounds = "120mm M1002 and M865A1 tank training rounds"
    assert best[cartridges] > best[tank_rounds]
    ranked = sorted(best, key=best.get, reverse=True)
    assert all("mm" in text and "120" not in text for text in ranked[:5]), ranked[:5]


def best_line_without_fuzzy(index: CapabilityIndex, query, text_ids: np.ndarray) -> np.ndarray:
    """Per text, the fit score() gives its best line when rapidfuzz gives nothing."""
    fits = index.score(query, text_ids, fuzzy=np.zeros(len(text_ids)))
    best = {int(t): -1.0 for t in text_ids.tolist()}
    for text_id, fit in zip(fits.text_ids.tolist(), fits.fit.tolist(), strict=True):
        best[text_id] = max(best[text_id], fit)
    return np.asarray([best[int(t)] for t in text_ids.tolist()])


def test_candidate_scores_are_the_fit_without_the_fuzzy_part(shipped) -> None:
    """What candidates() says a text is sure to earn is what score() gives it, exactly:
    concept points counted once per concept, calibre and category as the fit counts them."""
    index, queries = shipped
    checked = 0
    for query in queries:
        ids, sure = index.candidates(query)
        if len(ids):
            assert sure == pytest.approx(best_line_without_fuzzy(index, query, ids))
            checked += 1
    assert checked >= 60


def test_candidates_are_the_best_texts_by_the_fit_without_the_fuzzy_part(shipped) -> None:
    """No text left out would have been surer than the weakest one kept."""
    index, queries = shipped
    every_text = np.arange(len(index.texts), dtype=np.int32)
    checked = 0
    for query in queries:
        ids, sure = index.candidates(query)
        if len(ids) < index.candidate_limit:
            continue
        everyone = best_line_without_fuzzy(index, query, every_text)
        tenth = np.sort(everyone)[::-1][index.candidate_limit - 1]
        assert sure.min() == pytest.approx(tenth), query.requirement_id
        checked += 1
    assert checked >= 60


def test_a_small_arms_calibre_leaves_a_weapon_a_weapon(shipped_catalog: Catalog) -> None:
    ranker = Ranker(shipped_catalog)
    fits = ranker.fits(adhoc_requirement("12.7 mm heavy machine guns"))
    best = int(np.argmax(fits.fit))
    text = shipped_catalog.capabilities[int(fits.capability_ids[best])].capability
    assert "machine gun" in text and "ammunition" not in text, text


def test_fuzzy_words_are_content_tokens_with_concept_words(shipped) -> None:
    """The build's per-token shortcut gives what content_tokens of each text's tokens and
    its concepts' label words gives, on the shipped catalog and on awkward tokens."""
    from coprod.indexbuild import _concept_words, fuzzy_words
    from coprod.knowledge import CONCEPT_PREFIX
    from coprod.text import content_tokens

    index, _ = shipped
    concept_words = dict(index.table.concept_words)
    concept = next(iter(concept_words))
    concept_words["odd"] = ("systems", "a@b", "§x", "word")
    texts = [tuple(t) for t in index.text_tokens] + [
        ("systems", "production"),
        ("gun", "gun@x", "§odd", "systems"),
        ("§" + concept, "§", "↑" + concept, "a#b", "chain@autocannon", "chain"),
        ("§odd",),
        (),
    ]

    def reference(text_tokens: tuple[str, ...]) -> tuple[str, ...]:
        text = " ".join(text_tokens)
        if CONCEPT_PREFIX in text:
            return content_tokens((*text_tokens, *_concept_words(text, concept_words)))
        return content_tokens(text_tokens)

    assert fuzzy_words(texts, concept_words) == [reference(t) for t in texts]


def test_related_marks_are_the_walk_over_every_marked_concept_and_system(shipped) -> None:
    index, queries = shipped
    table = index.table

    def walk(concepts, query_tokens) -> set[str]:
        wanted = set(concepts)
        marks = wanted | {a for c in concepts for a in table.ancestors(c)}
        for concept in index._concepts_with_marks:
            if concept not in marks and wanted.intersection(table.ancestors(concept)):
                marks.add(concept)
        for system, system_concepts in table.system_concepts.items():
            if any(c in marks for c in system_concepts):
                marks.add(system)
        marks.update(t[1:] for t in query_tokens if t.startswith("¤"))
        return marks

    checked = 0
    for query in queries:
        expected = walk(query.concepts, query.tokens)
        assert index._related_marks(query.concepts, query.tokens) == expected
        checked += len(expected) > len(query.concepts)
    assert checked  # some requirement has marks beyond its own concepts


def test_gather_ranges_is_the_ranges_concatenated() -> None:
    from coprod.matching import _gather_ranges

    rng = np.random.default_rng(3)
    values = rng.integers(0, 1000, 500).astype(np.int32)
    for count in (1, 5, 33, 200):
        starts = rng.integers(0, 500, count)
        ends = np.minimum(starts + rng.integers(0, 4, count), 500)  # empty ranges too
        expected = [values[start:end] for start, end in zip(starts, ends, strict=True)]
        gathered = _gather_ranges(values, starts, ends)
        assert gathered.tolist() == np.concatenate(expected).tolist()
        assert gathered.dtype == values.dtype
