"""coprod.finder and coprod.profile on a real catalog: the shared fixture rows plus a
Chinese-named Taiwanese shipyard and a requirement in Chinese, with the shipped
knowledge base (Excalibur's designations, Javelin's Chinese names)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import CAPABILITIES, HOSTILE_NAME, REQUIREMENTS
from hypothesis import given, settings
from hypothesis import strategies as st
from test_tui_profile import build_find_catalog

from coprod.finder import KINDS, Finder, filter_requirements, requirement_text_matches
from coprod.knowledge import fold
from coprod.profile import CATALOG, KNOWLEDGE_BASE, matched_requirements, partner_profile
from coprod.ranking import Ranker, RankOptions


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory):
    from coprod.catalog import load_catalog

    return load_catalog(build_find_catalog(tmp_path_factory.mktemp("finder")))


@dataclass(frozen=True)
class Held:
    """A ranking in the shape the main screen holds it (session.Ranked): its pairings."""

    pairings: list


def as_held(rankings: dict) -> dict[str, Held]:
    return {rid: Held(pairings) for rid, pairings in rankings.items()}


@pytest.fixture(scope="module")
def ranker(catalog) -> Ranker:
    return Ranker(catalog)


@pytest.fixture(scope="module")
def finder(catalog) -> Finder:
    return Finder.for_catalog(catalog)


def test_an_exact_id_or_name_comes_first_and_says_why(finder: Finder) -> None:
    hits = finder.find("rtx")
    assert (hits[0].kind, hits[0].key, hits[0].tier) == ("partner", "rtx", 0)
    raytheon = finder.find("Raytheon")
    first = raytheon[0]
    assert (first.kind, first.key, first.why) == ("partner", "rtx", "name")
    # Every hit holds every typed word somewhere, and the order follows the tiers.
    assert [h.tier for h in raytheon] == sorted(h.tier for h in raytheon)
    assert {h.kind for h in finder.find("excalibur")} >= {"system", "capability"}
    assert finder.find("excalibur")[0].kind == "system"


def test_word_prefixes_rank_above_substrings(finder: Finder) -> None:
    hits = finder.find("lock mart")
    assert hits[0].key == "lockheed-martin" and hits[0].tier == 2
    assert finder.find("ockheed")[0].tier == 3  # inside a word only


def test_systems_by_designation_with_their_makers_from_the_catalog(finder: Finder, catalog):
    (excalibur,) = [h for h in finder.find("M982") if h.kind == "system"]
    assert excalibur.label == "Excalibur" and excalibur.why == "alias: M982"
    lines = [c for c in catalog.capabilities if c.system == "Excalibur"]
    assert set(excalibur.capability_ids) == {c.capability_id for c in lines}
    assert {"rtx", "bae-bofors"} <= set(excalibur.partner_ids)


def test_folding_makes_width_and_case_variants_one_query(finder: Finder) -> None:
    assert finder.find("ＥＸＣＡＬＩＢＵＲ") == finder.find("excalibur")
    assert finder.find("fgm-148") == finder.find("FGM 148")
    assert finder.find("fgm-148")[0].label == "Javelin"


def test_chinese_finds_partners_systems_concepts_and_requirements(finder: Finder) -> None:
    partner = finder.find("中信造船")[0]
    assert (partner.kind, partner.key) == ("partner", "jong-shyn")
    javelin = [h for h in finder.find("標槍") if h.kind == "system"]
    assert javelin and javelin[0].label == "Javelin" and javelin[0].why.startswith("Chinese")
    assert any(h.key == "req-zh-1" for h in finder.find("無人艇", kinds=["requirement"]))
    assert any(h.kind == "concept" for h in finder.find("無人艇"))
    lines = finder.find("自主無人艇", kinds=["capability"])
    assert [h.partner_ids for h in lines] == [("jong-shyn",)]


def test_kinds_and_limit_restrict_the_hits(finder: Finder) -> None:
    assert {h.kind for h in finder.find("e", kinds=["partner"])} == {"partner"}
    assert len(finder.find("e", limit=3)) == 3
    assert finder.find("   ") == []
    assert set(KINDS) >= {h.kind for h in finder.find("a")}


def test_hostile_text_is_found_as_written(finder: Finder) -> None:
    hits = finder.find("red corp")
    assert hits and hits[0].label == HOSTILE_NAME


def test_requirement_text_matching_folds_like_the_finder() -> None:
    (requirement,) = [r for r in REQUIREMENTS if r["requirement_id"] == "req-155-guided"]
    from coprod.model import Requirement

    r = Requirement(**{**requirement, "quantity": None, "source": ""})
    assert requirement_text_matches(r, ["ＧＰＳ", "155"])
    assert not requirement_text_matches(r, ["gps", "drone"])


def test_the_filter_keeps_requirements_a_found_line_is_ranked_for(catalog, ranker) -> None:
    requirements = list(catalog.requirements.values())
    rankings = ranker.rank_many(requirements, RankOptions(top=26))

    held = as_held(rankings)
    result = filter_requirements(catalog, requirements, ["excalibur"], held)
    for r in requirements:
        systems = {
            m.system for p in rankings.get(r.requirement_id, []) for m in (p.foreign, p.local) if m
        }
        assert (r.requirement_id in result.kept) == ("Excalibur" in systems)
    assert "excalibur" in result.kept["req-155-guided"].casefold()
    # Without rankings only a requirement's own text can keep it.
    alone = filter_requirements(catalog, requirements, ["excalibur"], {})
    assert alone.kept == {}
    # A partner's name keeps what it is paired for; a concept keeps its category.
    by_name = filter_requirements(catalog, requirements, ["raytheon"], held)
    paired = {
        rid
        for rid, pairings in rankings.items()
        if any(m and m.partner_id == "rtx" for p in pairings for m in (p.foreign, p.local))
    }
    assert paired and paired <= set(by_name.kept)
    usv = filter_requirements(catalog, requirements, ["無人艇"], {})
    assert "req-zh-1" in usv.kept
    # A concept named in one language finds a requirement written in another.
    english = filter_requirements(catalog, requirements, ["drone", "boat"], {})
    assert "無人艇" in english.kept["req-zh-1"]
    assert not requirement_text_matches(catalog.requirements["req-zh-1"], ["drone"])


def test_profile_lists_lines_codevelopments_posture_and_sources(catalog) -> None:
    profile = partner_profile(catalog, "rtx")
    assert [c.capability for c in profile.capabilities] == [
        c["capability"] for c in CAPABILITIES if c["partner_id"] == "rtx"
    ]
    excalibur = [c for c in profile.codevelopments if c.system == "Excalibur"]
    assert {(c.partner_id, c.origin) for c in excalibur} >= {
        ("rtx", CATALOG),
        ("bae-bofors", CATALOG),
    }
    assert [c.is_self for c in excalibur if c.partner_id == "rtx"][0]
    # The knowledge base's relations are there too, marked as such.
    assert any(c.origin == KNOWLEDGE_BASE for c in profile.codevelopments)
    assert profile.posture is not None and profile.posture.country == "United States"
    assert fold(profile.posture.note) == fold("Foreign Military Sales; Taiwan Relations Act")
    assert any(what.startswith("partner") for what, _ in profile.sources)
    with pytest.raises(KeyError):
        partner_profile(catalog, "no-such-partner")


def test_matched_requirements_score_the_partners_best_pairing(catalog, ranker) -> None:
    done = []
    found = []
    for count, batch in matched_requirements(ranker, catalog, "rtx", batch_size=2):
        done.append(count)
        found.extend(batch)
    assert done[-1] == len(catalog.requirements) and done == sorted(done)
    # The same figure as ranking each requirement with only the US partners kept.
    options = RankOptions(top=50, per_partner=1, locals_per_foreign=1, countries=("United States",))
    for match in found:
        pairings = ranker.rank(catalog.requirements[match.requirement_id], options)
        best = next(p for p in pairings if p.foreign and p.foreign.partner_id == "rtx")
        assert (match.score, match.feasibility) == (best.score, best.feasibility)
    by_id = {m.requirement_id: m for m in found}
    assert by_id["req-155-guided"].feasibility == "blocked"
    # A Taiwanese firm is scored on its own (local-only).
    local = [m for _, batch in matched_requirements(ranker, catalog, "jong-shyn") for m in batch]
    assert "req-zh-1" in {m.requirement_id for m in local}
    assert all(m.co_producer == "" for m in local)


def test_a_big_catalogs_finder_is_built_in_a_thread_while_the_filter_keeps_working(
    catalog, ranker, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses
    import threading

    import coprod.finder as finder_module

    monkeypatch.setattr(finder_module, "SYNC_BUILD_ROWS", 0)  # every catalog counts as big
    fresh = dataclasses.replace(catalog)  # the same rows, a catalog object not seen yet
    requirements = list(fresh.requirements.values())
    rankings = ranker.rank_many(requirements, RankOptions(top=26))

    held = as_held(rankings)
    first = filter_requirements(fresh, requirements, ["excalibur"], held)
    assert first.kept == {}  # only own text while the finder is built
    for thread in threading.enumerate():
        if thread.name == "coprod-finder":
            thread.join(timeout=30)
    later = filter_requirements(fresh, requirements, ["excalibur"], held)
    assert "req-155-guided" in later.kept


def catalog_words(finder: Finder) -> list[str]:
    """The words of every entry's folded text, and a few pieces of them (prefixes,
    middles, Chinese runs): what a typist's partial words look like."""
    words: set[str] = set()
    for entry in [*finder.entries, *finder.lines]:
        for word in entry.text.split():
            words.update((word, word[:2], word[:3], word[1:4], word[-3:]))
    return sorted(w for w in words if w)


@pytest.fixture(scope="module")
def words(finder: Finder) -> list[str]:
    return catalog_words(finder)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_joined_text_search_finds_what_testing_every_entry_finds(
    finder: Finder, words: list[str], data: st.DataObject
) -> None:
    typed = data.draw(st.lists(st.sampled_from(words), min_size=1, max_size=3))
    query = data.draw(st.sampled_from([" ".join(typed), "-".join(typed).upper()]))
    kinds = data.draw(st.sampled_from([KINDS, ("partner", "system", "concept"), ("capability",)]))
    assert finder.find(query, kinds) == finder.find_scanning(query, kinds)
    by_name = [h for h in finder.find_scanning(query, kinds) if h.tier < 4]
    assert finder.find_names(query, kinds) == by_name


def test_a_big_catalogs_lines_are_built_only_when_asked(
    catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    import coprod.finder as finder_module

    monkeypatch.setattr(finder_module, "LIVE_LINES", 0)  # every catalog has too many lines
    big = dataclasses.replace(catalog)  # the same rows, a catalog object not seen yet
    fresh = Finder.for_catalog(big)
    assert fresh._lines is None
    requirements = list(big.requirements.values())
    assert filter_requirements(big, requirements, ["excalibur"]).hits
    assert Finder.ready(big) is fresh
    assert fresh._lines is None  # the filter leaves lines out above LIVE_LINES
    lines = fresh.find("excalibur", kinds=["capability"])
    assert lines and lines == Finder(catalog).find("excalibur", kinds=["capability"])
