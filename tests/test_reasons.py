"""Reasons in words: what the supplier makes, who co-produces it, who blocks or consents."""

from __future__ import annotations

import os
from pathlib import Path

from test_output import REQUIREMENT, sample_pairings

from coprod.model import ConsentStep, Match, Pairing
from coprod.ranking import PAIRING_COMPONENTS
from coprod.reasons import (
    COMPONENT_LABELS,
    component_label,
    pairing_reason,
    source_runs,
    web_addresses,
)

GOLDEN = Path(__file__).parent / "golden"


def excalibur() -> Pairing:
    rtx = Match(
        "rtx", "RTX", "United States", 0, "M982 Excalibur GPS-guided 155 mm projectile",
        "precision_artillery", "Excalibur", 97.0, ("155mm", "guided"),
        ("guided artillery projectile: Excalibur is one",),
    )  # fmt: skip
    local = Match("a202", "202nd Arsenal", "Taiwan", 1, "155mm shells", "", "", 66.0, ("155mm",))
    chain = (
        ConsentStep(
            "Sweden", "blocked", "refused 2022",
            "home of co-developer BAE Systems Bofors of Excalibur (knowledge base)", True,
        ),
    )  # fmt: skip
    components = {"text_fit": 30.0, "local_fit": 16.5, "feasibility": -10.0}
    return Pairing("TW-016", 3, 79.9, "blocked", rtx, local, components, chain)


def test_the_issue_example_reads_as_asked():
    reason = pairing_reason(excalibur())
    assert reason.startswith(
        "RTX (United States) makes Excalibur, a guided artillery projectile — what TW-016 asks for."
    )
    assert "202nd Arsenal can co-produce it in Taiwan (a fair fit)." in reason
    assert reason.endswith(
        "Blocked (−10.0 points): Sweden, home of co-developer BAE Systems Bofors of Excalibur, "
        "refuses consent for exports to Taiwan."
    )
    assert "(knowledge base)" not in reason


def test_reasons_have_one_to_three_sentences_and_are_deterministic():
    for pairing in [*sample_pairings(), excalibur()]:
        reason = pairing_reason(pairing)
        assert reason == pairing_reason(pairing)
        ends = reason.count(". ") + 1
        assert 1 <= ends <= 3 + reason.count("). ") + reason.count("(s. "), reason


def test_weak_fits_are_said_to_be_weak_and_consent_is_named():
    hostile, local_only, _ = sample_pairings()
    assert "No Taiwanese co-producer fits." in pairing_reason(hostile)
    assert "Needs consent: Norway, seller's government, decides case by case." in pairing_reason(
        hostile
    )
    assert "with no foreign partner needed" in pairing_reason(local_only)
    assert "No foreign government is involved." in pairing_reason(local_only)


def test_every_component_has_a_readable_name():
    assert set(PAIRING_COMPONENTS) <= set(COMPONENT_LABELS)
    assert component_label("text_fit") == "wording match"
    assert component_label("idf_coverage") == "rare words matched"
    assert component_label("feasibility") == "consent"
    assert component_label("some_new_part") == "some new part"


def test_golden_reasons():
    """UPDATE_GOLDEN=1 rewrites the file after a deliberate change of wording."""
    text = "".join(pairing_reason(p) + "\n" for p in [*sample_pairings(), excalibur()])
    golden = GOLDEN / "reasons.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8", newline="")
    assert golden.read_text(encoding="utf-8") == text
    assert REQUIREMENT.requirement_id in text


def test_only_http_addresses_are_addresses():
    text = (
        "Paper 2024, https://a.example/x_(y); javascript:alert(1) "
        "file:///etc/passwd http://b.example/p?q=1. <http://c.example/\x1b[2J>"
    )
    runs = source_runs(text)
    assert "".join(run for run, _ in runs) == text
    assert web_addresses(text) == [
        "https://a.example/x_(y)",
        "http://b.example/p?q=1",
        "http://c.example/",
    ]
    assert not any("javascript" in r or "file:" in r for r, is_url in runs if is_url)


def test_what_is_made_reads_as_english_whatever_the_concept():
    """A line without a named system is quoted, its concept said as what it is listed
    under (no "makes a TNT"); a gloss repeating its label is dropped; an initialism takes
    the article its first letter's name takes."""
    from dataclasses import replace

    from test_output import match

    from coprod.reasons import _what_it_makes, _with_article

    def line(capability: str, concepts: tuple[str, ...], system: str = "") -> Match:
        return replace(
            match("p", "P", "Taiwan", capability, 40.0), system=system, concepts=concepts
        )

    assert _what_it_makes(line("TNT flakes, 500 t a year", ("TNT: named in the line",))) == (
        "“TNT flakes, 500 t a year”"
    )
    kind = "naval mine (智慧型水雷): the line offers smart mine, a kind of it"
    assert _what_it_makes(line("Side-scan sonar ROV", (kind,))) == (
        "“Side-scan sonar ROV”, listed under naval mine (智慧型水雷)"
    )
    named = ("UAS (UAS): named in the line",)
    assert _what_it_makes(line("x", named, system="Hexo")) == "Hexo, a UAS"
    # a concept the product is not (a sibling, a broader class, what it serves) is
    # never said to be what it is; the next note that is one is
    not_one = (
        "satellite communications: both are kinds of sensors and electronics",
        "drone: the line offers aircraft, the broader class",
        "mortar bomb: the line names it as what its product is for, not as the product",
    )
    assert _what_it_makes(line("x", not_one, system="MS-110")) == "MS-110"
    assert _what_it_makes(line("x", (*not_one, "pod: MS-110 is one"), system="MS-110")) == (
        "MS-110, a pod"
    )
    assert _with_article("FPV drone") == "an FPV drone"
    assert _with_article("UAS") == "a UAS" and _with_article("SAM site") == "a SAM site"
    assert _with_article("unmanned aircraft") == "an unmanned aircraft"
