"""Why a pairing is what it is, in words a ministry analyst reads: one place for every surface.

- `COMPONENT_LABELS`: the score components under readable names ("wording
  match", not `text_fit`); the exports keep the stable field names, every
  human-facing surface (the `--explain` block, the brief, the TUI) shows these.
- `pairing_reason`: one to three sentences built from a pairing's fits,
  matched concepts and words, and its consent chain. A pure function of the
  pairing, so the same pairing always reads the same.
- `pairing_sources` and `source_runs`: the sources behind a pairing's facts,
  and a source text split into web addresses and plain text, so writers can
  show an address whole and make only http(s) addresses into links.

The text returned holds catalog text as it is: each surface makes it safe
(coprod/safe.py), exactly as for any other catalog field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from coprod import LOCAL_COUNTRY
from coprod.model import Catalog, ConsentStep, Match, Pairing

# Readable names of the score components (coprod.ranking.PAIRING_COMPONENTS).
COMPONENT_LABELS: dict[str, str] = {
    "text_fit": "wording match",
    "idf_coverage": "rare words matched",
    "concept": "concept match",
    "category": "same category",
    "system": "named system",
    "calibre": "same calibre",
    "local_fit": "Taiwanese co-producer fit",
    "feasibility": "consent",
}

# How well one side's line fits (its 0..100 fit), in words. Checked top down.
_FIT_WORDS: tuple[tuple[float, str], ...] = (
    (85.0, "what {rid} asks for"),
    (65.0, "close to what {rid} asks for"),
    (45.0, "a partial match for {rid}"),
    (0.0, "a weak match for {rid}"),
)
_CO_PRODUCER_WORDS: tuple[tuple[float, str], ...] = (
    (70.0, "a strong fit"),
    (50.0, "a fair fit"),
    (0.0, "a weak fit"),
)
# What a government's posture means for consent, as the verb of a sentence.
_POSTURE_WORDS: dict[str, str] = {
    "open": "is open to it",
    "case_by_case": "decides case by case",
    "reluctant": "is reluctant",
    "blocked": "refuses consent for exports to Taiwan",
    "unknown": "has no posture on record",
}
LOCAL_ADJECTIVE = "Taiwanese"
_KNOWLEDGE_MARK = " (knowledge base)"
# Long enough to say what a line offers, short enough for a sentence.
_CAPABILITY_QUOTE_LIMIT = 70


def component_label(name: str) -> str:
    """The readable name of a score component (an unknown one: its words, unchanged)."""
    return COMPONENT_LABELS.get(name, name.replace("_", " "))


def _words_for(value: float, table: tuple[tuple[float, str], ...]) -> str:
    for low, words in table:
        if value >= low:
            return words
    raise ValueError(f"no words for a fit of {value!r} (fits are 0..100)")


# How a concept note (coprod.matching.notes_from_marks, which writes them with these)
# ends when it says the line's product is the concept or a kind of it; the other
# notes (a broader class, a sibling, what the product serves) say it is not, and the
# summary then never calls the product one.
NAMED_IN_THE_LINE = "named in the line"
IS_ONE = " is one"
ARE_ONE = " are one"
A_KIND_OF_IT = "a kind of it"
IS_ONE_ENDINGS = (NAMED_IN_THE_LINE, IS_ONE, ARE_ONE, A_KIND_OF_IT)


def _concept_label(match: Match) -> str:
    """The first concept the line's product is (or is a kind of), as named before the
    note's ':' ("guided artillery projectile: Excalibur is one" -> "guided artillery
    projectile")."""
    for note in match.concepts:
        label, _, how = note.partition(": ")
        if label.strip() and how.endswith(IS_ONE_ENDINGS):
            return label.strip()
    return ""


def _with_article(phrase: str) -> str:
    """ "an unmanned aircraft", "a UAS", "an FPV drone": an initialism is said letter by
    letter, so its first letter's name decides (U is "you"; H, M, N, S... start words
    such as HIMARS, MANPADS, SAM, so they keep "a")."""
    first = phrase.split(" ", 1)[0]
    if len(first) > 1 and first.isupper() and first.isalpha():
        article = "an" if first[0] in "AEFIO" else "a"
    else:
        article = "an" if phrase[:1].casefold() in "aeiou" else "a"
    return f"{article} {phrase}"


def _quoted_line(capability: str) -> str:
    shown = capability.replace("\n", " ")
    if len(shown) > _CAPABILITY_QUOTE_LIMIT:
        cut = shown[:_CAPABILITY_QUOTE_LIMIT].rsplit(" ", 1)[0] or shown[:_CAPABILITY_QUOTE_LIMIT]
        shown = cut + "…"
    return f"“{shown}”"


def _plain_label(label: str) -> str:
    """A concept label without a gloss that only repeats it ("RDX (RDX)" -> "RDX")."""
    head, _, gloss = label.partition(" (")
    if gloss.endswith(")") and gloss[:-1].strip().casefold() == head.strip().casefold():
        return head.strip()
    return label


def _what_it_makes(match: Match) -> str:
    """The thing the line offers: its named system with its concept ("Excalibur, a guided
    artillery projectile"), else the line itself with the concept it meets in brackets.

    Without a system the concept is no product one can put an article before ("makes a
    TNT", "makes an intelligence, surveillance and reconnaissance"): the line says what
    is made, the concept why it matches.
    """
    system = match.system.strip()
    concept = _plain_label(_concept_label(match))
    if system and concept:
        return f"{system}, {_with_article(concept)}"
    if system:
        return system
    line = _quoted_line(match.capability)
    if concept and concept.casefold() not in match.capability.casefold():
        return f"{line}, listed under {concept}"
    return line


def _who(match: Match) -> str:
    """The partner with its country: "Leonardo (Italy)", "RTX (Raytheon), United States,"."""
    if match.partner_name.rstrip().endswith(")"):
        return f"{match.partner_name}, {match.country},"
    return f"{match.partner_name} ({match.country})"


def _supply_sentence(pairing: Pairing) -> str:
    rid = pairing.requirement_id
    if pairing.foreign is not None:
        foreign = pairing.foreign
        fit = _words_for(foreign.fit, _FIT_WORDS).format(rid=rid)
        return f"{_who(foreign)} makes {_what_it_makes(foreign)} — {fit}."
    local = pairing.local
    assert local is not None, "a pairing has a foreign or a local side"
    fit = _words_for(local.fit, _FIT_WORDS).format(rid=rid)
    return (
        f"{local.partner_name}, a {LOCAL_ADJECTIVE} firm, makes {_what_it_makes(local)} — {fit}, "
        "with no foreign partner needed."
    )


def _co_producer_sentence(pairing: Pairing) -> str:
    if pairing.foreign is None:
        return ""
    if pairing.local is None:
        return f"No {LOCAL_ADJECTIVE} co-producer fits."
    fit = _words_for(pairing.local.fit, _CO_PRODUCER_WORDS)
    return f"{pairing.local.partner_name} can co-produce it in {LOCAL_COUNTRY} ({fit})."


def posture_words(posture: str) -> str:
    """A government's posture as the verb of a sentence: "decides case by case"."""
    return _POSTURE_WORDS.get(posture, f"has posture {posture}")


def consent_step_summary(country: str, posture: str, blocks: bool) -> str:
    """One government of a consent chain in words, for tables and cells:
    "Sweden (refuses consent for exports to Taiwan; blocks)"."""
    verdict = "blocks" if blocks else "consent needed"
    return f"{country} ({posture_words(posture)}; {verdict})"


def _why_asked(step: ConsentStep) -> str:
    reasons = [r.strip().removesuffix(_KNOWLEDGE_MARK) for r in step.reason.split("; ")]
    return " and ".join(r for r in reasons if r)


def _government(step: ConsentStep) -> str:
    why = _why_asked(step)
    posture = posture_words(step.posture)
    return f"{step.country}, {why}, {posture}" if why else f"{step.country} {posture}"


def _points(pairing: Pairing) -> str:
    penalty = pairing.components.get("feasibility", 0.0)
    return f" ({penalty:+.1f} points)".replace("-", "−") if penalty < 0 else ""


def _consent_sentence(pairing: Pairing) -> str:
    blockers = [step for step in pairing.consent_chain if step.blocks]
    if pairing.feasibility == "blocked" or blockers:
        named = "; ".join(_government(step) for step in blockers) or "an export posture"
        return f"Blocked{_points(pairing)}: {named}."
    askers = [step for step in pairing.consent_chain if not step.blocks]
    if pairing.feasibility == "consent_required" or askers:
        named = "; ".join(_government(step) for step in askers) or "a government"
        return f"Needs consent{_points(pairing)}: {named}."
    if pairing.foreign is None:
        return "No foreign government is involved."
    return "No foreign government's consent is needed beyond a normal export licence."


def pairing_reason(pairing: Pairing) -> str:
    """One to three sentences saying why this pairing ranks where it does.

    What the supplier makes and how well it meets the requirement; who can
    co-produce it in Taiwan; whether a government blocks it or must consent,
    and why. Deterministic: the same pairing always gives the same words.
    """
    co_producer = _co_producer_sentence(pairing)
    if not co_producer:
        return f"{_supply_sentence(pairing)} {_consent_sentence(pairing)}"
    return f"{_supply_sentence(pairing)} {co_producer} {_consent_sentence(pairing)}"


# -------------------------------------------------------------------- sources

# A web address inside free text: http(s) only, printable ASCII without spaces, quotes,
# angle brackets, backslash or backtick (which end an address in prose or would act in
# Markdown); trailing punctuation is not part of it.
_URL = re.compile(r"https?://[!#-;=?-\[\]-_a-~]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}'"


def source_runs(text: str) -> list[tuple[str, bool]]:
    """`text` cut into (run, is_web_address) pieces, in order, joining back to `text`.

    Only http:// and https:// addresses made of printable ASCII count as
    addresses: anything else (javascript:, file:, an address with a control
    character) stays plain text, so a writer that links the addresses links
    nothing else.
    """
    runs: list[tuple[str, bool]] = []
    position = 0
    for found in _URL.finditer(text):
        address = found.group().rstrip(_URL_TRAILING)
        if address.count("(") > address.count(")") and found.group()[len(address) :][:1] == ")":
            address += ")"  # a Wikipedia-style address ending in its own parenthesis
        start, end = found.start(), found.start() + len(address)
        if len(address) <= len("https://"):
            continue
        if start > position:
            runs.append((text[position:start], False))
        runs.append((address, True))
        position = end
    if position < len(text):
        runs.append((text[position:], False))
    return runs


def web_addresses(text: str) -> list[str]:
    """The http(s) addresses in a source text, in order."""
    return [run for run, is_address in source_runs(text) if is_address]


def pairing_sources(catalog: Catalog | None, pairing: Pairing) -> list[tuple[str, str]]:
    """(what, source) for every fact behind a pairing that names a source, each once.

    The requirement, both partners and their matched lines, and each
    government in the consent chain (its posture's source, and the knowledge
    base's source for why it is asked).
    """
    found: list[tuple[str, str]] = []

    def add(what: str, source: str) -> None:
        if source.strip() and (what, source) not in found:
            found.append((what, source))

    requirements: Mapping = catalog.requirements if catalog is not None else {}
    requirement = requirements.get(pairing.requirement_id)
    if requirement is not None:
        add(f"requirement {requirement.requirement_id}", requirement.source)
    for match in (pairing.foreign, pairing.local):
        if match is None or catalog is None:
            continue
        partner = catalog.partners.get(match.partner_id)
        if partner is not None:
            add(f"partner {partner.name}", partner.source)
        if 0 <= match.capability_id < len(catalog.capabilities):
            capability = catalog.capabilities[match.capability_id]
            if capability.partner_id == match.partner_id:
                add(f"capability of {match.partner_name}", capability.source)
    for step in pairing.consent_chain:
        if catalog is not None:
            posture = catalog.posture_of(step.country)
            if posture is not None:
                add(f"posture of {step.country}", posture.source)
        add(f"why {step.country} is asked", step.source)
    return found
