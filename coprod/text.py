"""Text normalisation for matching: one canonical token string per phrase.

Requirements and brochures never use the same words, so both sides go
through the same pipeline before any fuzzy scoring:

1. Unicode NFKC + casefold; typographic dashes and the multiplication sign
   folded to ASCII.
2. Numbers and units, *before* punctuation is dropped (rapidfuzz's
   `default_process` would turn "12.7mm" into "12 7mm"):
   - decimal commas "12,7" -> "12.7";
   - cartridges "5.56 x 45 mm" -> "5.56mm 5.56x45mm" (the calibre is its
     own token so "5.56 mm rounds" still meets "5.56x45mm NATO");
   - units glued to their number: "155 mm" = "155-mm" = "155mm";
   - designations lose their hyphen: "FGM-148" -> "fgm148".
3. Every other non-word character becomes a space; dots survive only
   inside numbers.
4. Stop words go; plurals are folded ("shells" -> "shell").
5. Synonyms from a `term,canonical` table, longest multi-word phrase first
   ("man-portable air defence system" -> "manpads", "kamikaze drone" ->
   "loitering munition"), then single words ("uav" -> "uas").
6. Duplicate tokens are dropped, order kept.

The result is a tuple of tokens; `" ".join(tokens)` is what rapidfuzz sees.
"""

from __future__ import annotations

import csv
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from coprod.knowledge import (
    CJK_CLASS,
    KNOWLEDGE_PREFIXES,
    Knowledge,
    Term,
    has_cjk,
    is_knowledge_token,
    knowledge_terms,
)
from coprod.model import Synonym

SYNONYMS_FILENAME = "synonyms.csv"

_STOP_WORDS_TEXT = """
a about able across after against all also an and any are as at be been being both by can
class
could each either etc for from has have in including into is it its more most must need
needed needs new of on one or other our over per should some such than that the their them
these they this those through to under up upon use used using via was we were what when
where which while who will with within without would
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())

# Words every brochure uses: kept as tokens (they still say something), but they
# weigh a fifth of their IDF and stay out of the fuzzy text so they cannot carry a
# match on their own, however small the catalog.
_FILLER_TEXT = """
advanced capability capable certified company complete comprehensive cutting design
development edge engineering equipment export full global high industrial industry
innovative integration international leading modern portfolio product production
programme program proven quality range related service solution state supplier supply
support system technology turnkey various wide world
"""
FILLER_WORDS: frozenset[str] = frozenset(_FILLER_TEXT.split())

# A label of up to this many words is also found with up to MAX_GAP other words
# inside it, in order ("catapult-launched fixed-wing reconnaissance drones" names
# "catapult-launched drone" and "fixed-wing drone").
MAX_GAPPED_WORDS = 4
MAX_GAP = 3

# A word read inside a knowledge-base phrase carries the phrase's first token after
# this mark ("chain@autocannon" in "Bushmaster chain guns"): it meets the same word
# in the same phrase, never the word alone ("supply chain"); see CapabilityIndex.query.
QUALIFIER = "@"

# Longest synonym phrase considered, in tokens ("man portable air defence system" is 5).
MAX_PHRASE_TOKENS = 7

_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_TIMES = re.compile(r"[\u00d7\u2715\u2716]")
# Patterns that open with a literal are found by a fast scan for it; a leading
# lookbehind would make the engine try every position of a 500,000-line text.
_DECIMAL_COMMA = re.compile(r",(?<=\d,)(?=\d{1,2}(?!\d))")
# A cartridge has a case length of 17 mm or more, which keeps "4x4" and "8x8" vehicles out.
_CARTRIDGE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:\.\d{1,3})?)\s*x\s*(1[7-9]|[2-9]\d|[1-9]\d\d)(?:\s*-?\s*mm\b)?"
)
_UNIT = re.compile(
    r"(?<![a-z0-9_.])(\d+(?:\.\d+)?)\s*-?\s*(mm|millimet(?:er|re)s?|km|kg|公厘|毫米|公里|公斤)"
    r"(?![a-z0-9])"
)
_UNIT_CANONICAL = {"km": "km", "kg": "kg", "公里": "km", "公斤": "kg"}
# "5.56及7.62公厘": the unit after the last number belongs to each of them
_CJK_COORDINATED = re.compile(r"(\d+(?:\.\d+)?)\s*[及和與、/]\s*(?=\d+(?:\.\d+)?\s*(?:公厘|毫米))")
# Chinese writes a unit against the next word ("155公厘榴彈"): it gets a space after it.
_CJK_UNITS = frozenset({"公厘", "毫米", "公里", "公斤"})
_DESIGNATION_HYPHEN = re.compile(r"\b([a-z]{1,4})\s*-\s*(\d{1,4}[a-z0-9]*)\b")
_DIGIT = re.compile(r"\d")
# Joins lines for raw_tokens_many: not a word character, not whitespace, not a dot, so
# every rule treats it like the start or end of a line.
_SEPARATOR = "\x00"
# Separates lines in a helper process's answer; step 3 turns it into a space in any text.
_LINE_BREAK = "\x01"
# Catalogs this big are normalised in two processes (see tokens_many).
PARALLEL_FROM_LINES = 100_000
# The helper process's share of the lines: over half, as the caller may overlap
# other work with it (tokens_many_started).
HELPER_SHARE = 0.55
_NON_WORD = re.compile(r"[^\w.\x00]+|_+")
# ASCII fast path of _NON_WORD: every character but letters, digits and "." -> space
_ASCII_NON_WORD = {
    code: " " for code in range(1, 128) if not (chr(code).isalnum() or chr(code) == ".")
}
_STRAY_DOT = re.compile(r"\.(?:(?<!\d\.)|(?!\d))")  # not between two digits

CALIBRE_TOKEN = re.compile(r"^\d+(?:\.\d+)?mm$")
DESIGNATION_TOKEN = re.compile(r"^([a-z]{1,4}\d{1,4})[a-z0-9]*$")


def _units(match: re.Match[str]) -> str:
    number, unit = match.group(1), match.group(2)
    spacer = " " if unit in _CJK_UNITS else ""
    return f"{number}{_UNIT_CANONICAL.get(unit, 'mm')}{spacer}"


def _cartridge(match: re.Match[str]) -> str:
    calibre, case_length = match.group(1), match.group(2)
    return f" {calibre}mm {calibre}x{case_length}mm "


def _fold(text: str) -> str:
    """Steps 1-2 on one line, or on many joined by _SEPARATOR (no rule crosses it)."""
    if text.isascii():
        folded = text.lower()
    else:
        folded = unicodedata.normalize("NFKC", text).casefold()
        folded = _DASHES.sub("-", folded)
        folded = _TIMES.sub("x", folded)
        if "公厘" in folded or "毫米" in folded:
            folded = _CJK_COORDINATED.sub(r"\1公厘 ", folded)
    # The number rules cost most of the time: each runs only when it could match.
    if _DIGIT.search(folded):
        if "," in folded:
            folded = _DECIMAL_COMMA.sub(".", folded)
        if "x" in folded:
            folded = _CARTRIDGE.sub(_cartridge, folded)
        folded = _UNIT.sub(_units, folded)
        if "-" in folded:
            folded = _DESIGNATION_HYPHEN.sub(r"\1\2", folded)
    return folded


def _spaced(folded: str) -> str:
    """Step 3: punctuation to spaces (dots kept inside numbers; _SEPARATOR kept)."""
    ascii_only = folded.isascii()
    folded = folded.translate(_ASCII_NON_WORD) if ascii_only else _NON_WORD.sub(" ", folded)
    if "." in folded:
        folded = _STRAY_DOT.sub(" ", folded)
    return folded


@lru_cache(maxsize=65536)
def raw_tokens(text: str) -> tuple[str, ...]:
    """Steps 1-3: casefolded word tokens with units and calibres made whole."""
    if _SEPARATOR in text:  # a NUL is a space, here as in raw_tokens_many
        text = text.replace(_SEPARATOR, " ")
    return tuple(_spaced(_fold(text)).split())


def raw_tokens_many(texts: Sequence[str]) -> list[tuple[str, ...]]:
    """`[raw_tokens(t) for t in texts]`, with steps 1-2 run once over all of them.

    One regex pass over the joined text saves the per-call cost that dominates
    on short lines (a catalog of 500,000 capability lines).
    """
    if not texts:
        return []
    texts = [text.replace(_SEPARATOR, " ") if _SEPARATOR in text else text for text in texts]
    # The number rules scan the whole joined text once each: give them only the lines
    # with a digit (under half of a typical catalog); the others skip step 2.
    with_digit = [i for i, text in enumerate(texts) if _DIGIT.search(text)]
    if len(with_digit) == len(texts) or not with_digit:
        return _raw_tokens_joined(texts)
    digit_set = set(with_digit)
    plain = _raw_tokens_joined([t for i, t in enumerate(texts) if i not in digit_set])
    numbered = _raw_tokens_joined([texts[i] for i in with_digit])
    out: list[tuple[str, ...]] = []
    plain_iter, numbered_iter = iter(plain), iter(numbered)
    for i in range(len(texts)):
        out.append(next(numbered_iter) if i in digit_set else next(plain_iter))
    return out


def _raw_tokens_joined(texts: Sequence[str]) -> list[tuple[str, ...]]:
    joined = _SEPARATOR.join(texts)
    return [tuple(part.split()) for part in _spaced(_fold(joined)).split(_SEPARATOR)]


@lru_cache(maxsize=262144)
def stem(token: str) -> str:
    """Fold an English plural to its singular; leaves numbers, codes and short words alone."""
    if len(token) < 4 or not token.isalpha():
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("ches", "shes", "sses", "xes")):
        return token[:-2]
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def _basic_tokens(text: str) -> list[str]:
    return [stem(token) for token in raw_tokens(text) if token not in STOP_WORDS]


@dataclass(frozen=True)
class SynonymTable:
    """Compiled synonyms and knowledge-base labels: words and phrases to canonical tokens.

    Keys are stemmed tokens; a single-word term is also kept unstemmed so an
    acronym such as "manpads" or "rpas" is never taken for a plural. A phrase is
    also found when its words are written as their synonyms ("drone airframe"
    meets the label "UAV airframe"). Chinese labels are matched inside runs of
    CJK characters, longest first; what no label covers is kept as character
    bigrams, so Chinese lines still meet Chinese lines word for word.
    """

    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    longest_phrase: int = 1
    # first stemmed token of a phrase -> its longest phrase length (skips most lookups)
    phrase_starts: dict[str, int] = field(default_factory=dict)
    # first two stemmed tokens of every phrase: a cheap test before any lookup
    phrase_bigrams: frozenset[tuple[str, str]] = frozenset()
    # Chinese label (NFKC, casefolded) -> tokens; the longest label's length
    chinese: dict[str, tuple[str, ...]] = field(default_factory=dict)
    longest_chinese: int = 0
    # concept id -> its broader concept id ("" for a root), for concept credit
    concept_parent: dict[str, str] = field(default_factory=dict)
    # system id -> its concept ids
    system_concepts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # concept id -> the words of its preferred label, as matching reads them
    concept_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Knowledge labels found with other words between theirs ("fixed-wing reconnaissance
    # drone" names "fixed-wing drone"): first stem -> last stem -> (the label's other
    # stems, its knowledge tokens); see _gapped_tokens
    gapped: dict[str, dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]] = field(
        default_factory=dict
    )
    # The same for Chinese: a label's head ("無人機") -> (its modifier ("監偵"), the
    # label's tokens), found with a few characters between ("監偵及攻擊無人機")
    chinese_gapped: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)
    # raw token -> (stemmed token, canonical tokens it reads as, the one plain token it
    # reads as or its stem: what phrases written with synonyms are matched on)
    _word_cache: dict[str, tuple[str, tuple[str, ...], str]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def build(
        cls,
        synonyms: Iterable[Synonym],
        terms: Iterable[Term] = (),
        concept_parent: dict[str, str] | None = None,
        system_concepts: dict[str, tuple[str, ...]] | None = None,
        concept_labels: dict[str, str] | None = None,
    ) -> SynonymTable:
        """Later rows win on the same term (a user's table extends the shipped one).

        Canonical forms are kept unstemmed ("manpads" stays "manpads") and read
        as themselves, so normalising twice changes nothing. `terms` are the
        knowledge base's labels (coprod.knowledge.knowledge_terms): a one-word
        label adds its knowledge tokens to the word's own; a longer one is read
        as its knowledge tokens alone (plus any calibre or designation in it), so
        its inner words are no evidence on their own; they win over synonyms.
        """
        mapping: dict[tuple[str, ...], tuple[str, ...]] = {}
        raw_words: dict[str, tuple[str, ...]] = {}
        for synonym in synonyms:
            term = tuple(_basic_tokens(synonym.term))
            canonical = _canonical_tokens(synonym.canonical)
            if not term or not canonical:
                continue
            mapping[term] = canonical
            raw = [token for token in raw_tokens(synonym.term) if token not in STOP_WORDS]
            if len(raw) == 1:
                raw_words[raw[0]] = canonical
        for canonical in list(mapping.values()):
            mapping.setdefault(tuple(stem(token) for token in canonical), canonical)
            if len(canonical) == 1:
                raw_words.setdefault(canonical[0], canonical)
        resolved = {term: _resolve_chain(canonical, mapping) for term, canonical in mapping.items()}
        words = {term[0]: canonical for term, canonical in resolved.items() if len(term) == 1}
        for raw, canonical in raw_words.items():
            words[raw] = _resolve_chain(canonical, mapping)
        phrases = {term: canonical for term, canonical in resolved.items() if len(term) > 1}
        chinese: dict[str, tuple[str, ...]] = {}
        gapped: dict[str, dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]] = {}
        _add_knowledge_terms(terms, words, phrases, chinese, gapped)
        longest = min(MAX_PHRASE_TOKENS, max((len(term) for term in phrases), default=1))
        return cls(
            words=words,
            phrases=phrases,
            longest_phrase=longest,
            phrase_starts=_phrase_starts(phrases, longest),
            phrase_bigrams=frozenset((term[0], term[1]) for term in phrases),
            chinese=chinese,
            longest_chinese=max(map(len, chinese), default=0),
            concept_parent=dict(concept_parent or {}),
            system_concepts=dict(system_concepts or {}),
            gapped={
                first: {head: tuple(entries) for head, entries in by_head.items()}
                for first, by_head in gapped.items()
            },
            chinese_gapped=_chinese_heads(chinese),
            concept_words={
                concept: tuple(
                    dict.fromkeys(
                        token
                        for raw in _basic_tokens(label)
                        for token in (words.get(raw) or (raw,))
                        if not is_knowledge_token(token)
                    )
                )
                for concept, label in (concept_labels or {}).items()
            },
        )

    def state(self) -> dict[str, object]:
        """The compiled table as JSON-able lists (saved with the matching index: building
        it from a knowledge base costs ~0.2 s, a third of a one-requirement `rank`)."""
        return {
            "words": [[k, list(v)] for k, v in self.words.items()],
            "phrases": [[list(k), list(v)] for k, v in self.phrases.items()],
            "longest_phrase": self.longest_phrase,
            "chinese": [[k, list(v)] for k, v in self.chinese.items()],
            "concept_parent": self.concept_parent,
            "system_concepts": {k: list(v) for k, v in self.system_concepts.items()},
            "gapped": [
                [first, head, [[list(rest), list(tokens)] for rest, tokens in entries]]
                for first, by_head in self.gapped.items()
                for head, entries in by_head.items()
            ],
            "concept_words": {k: list(v) for k, v in self.concept_words.items()},
        }

    @classmethod
    def from_state(cls, state: dict) -> SynonymTable:
        """A table from `state()` (read from a sidecar whose crc32 and key matched);
        raises KeyError, TypeError or ValueError on one of the wrong shape."""
        phrases = {tuple(k): tuple(v) for k, v in state["phrases"]}
        chinese = {str(k): tuple(v) for k, v in state["chinese"]}
        gapped: dict[str, dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]] = {}
        for first, head, entries in state["gapped"]:
            gapped.setdefault(str(first), {})[str(head)] = tuple(
                (tuple(rest), tuple(tokens)) for rest, tokens in entries
            )
        longest = int(state["longest_phrase"])
        return cls(
            words={str(k): tuple(v) for k, v in state["words"]},
            phrases=phrases,
            longest_phrase=longest,
            phrase_starts=_phrase_starts(phrases, longest),
            phrase_bigrams=frozenset((term[0], term[1]) for term in phrases),
            chinese=chinese,
            longest_chinese=max(map(len, chinese), default=0),
            concept_parent={str(k): str(v) for k, v in state["concept_parent"].items()},
            system_concepts={str(k): tuple(v) for k, v in state["system_concepts"].items()},
            gapped=gapped,
            chinese_gapped=_chinese_heads(chinese),
            concept_words={str(k): tuple(v) for k, v in state["concept_words"].items()},
        )

    def ancestors(self, concept_id: str) -> tuple[str, ...]:
        """Broader concepts of `concept_id`, nearest first (a cycle stops the walk)."""
        chain: list[str] = []
        current = self.concept_parent.get(concept_id, "")
        while current and current != concept_id and current not in chain and len(chain) < 16:
            chain.append(current)
            current = self.concept_parent.get(current, "")
        return tuple(chain)

    def word(self, raw: str) -> tuple[str, tuple[str, ...], str]:
        """(stemmed form, canonical tokens, plain form) of one raw token, cached."""
        cached = self._word_cache.get(raw)
        if cached is None:
            if raw.isascii() or not has_cjk(raw):
                stemmed = stem(raw)
                canonical = self.words.get(raw) or self.words.get(stemmed) or (stemmed,)
                plain = [token for token in canonical if not is_knowledge_token(token)]
                form = plain[0] if len(plain) == 1 else stemmed
            else:
                stemmed, canonical = raw, self._segmented(raw)
                form = stemmed
            cached = self._word_cache[raw] = (stemmed, canonical, form)
        return cached

    def _gapped_chinese(self, run: str, position: int, label: str) -> list[str]:
        """Knowledge tokens of labels whose head ends the label found at `position` and
        whose modifier comes a few characters before it ("監偵及攻擊無人機")."""
        found: list[str] = []
        for start in range(len(label) - 1):
            for modifier, label_tokens in self.chinese_gapped.get(label[start:], ()):
                head_at = position + start
                before = run[max(0, head_at - len(modifier) - MAX_GAP) : head_at]
                if modifier in before and not before.endswith(modifier):
                    found.extend(t for t in label_tokens if is_knowledge_token(t))
        return found

    def _segmented(self, raw: str) -> tuple[str, ...]:
        """A token holding Chinese: runs of other characters as words, CJK runs by label."""
        out: list[str] = []
        for run in _CJK_RUNS.findall(raw):
            if not has_cjk(run):
                stemmed = stem(run)
                out.extend(self.words.get(run) or self.words.get(stemmed) or (stemmed,))
                continue
            whole = self.chinese.get(run)
            if whole is not None:
                out.extend(whole)
                continue
            position, unmatched = 0, []
            while position < len(run):
                for length in range(min(self.longest_chinese, len(run) - position), 0, -1):
                    label = run[position : position + length]
                    found = self.chinese.get(label)
                    if found is not None:
                        out.extend(_bigrams("".join(unmatched)))
                        unmatched = []
                        out.extend(found)
                        out.extend(self._gapped_chinese(run, position, label))
                        position += length
                        break
                else:
                    unmatched.append(run[position])
                    position += 1
            out.extend(_bigrams("".join(unmatched)))
        return tuple(dict.fromkeys(out))


_CJK_RUNS = re.compile(f"[{CJK_CLASS}]+|[^{CJK_CLASS}]+")


def _phrase_starts(phrases: dict[tuple[str, ...], tuple[str, ...]], longest: int) -> dict[str, int]:
    """First stemmed token of each phrase -> its longest phrase length (at most `longest`)."""
    starts: dict[str, int] = {}
    for term in phrases:
        starts[term[0]] = max(starts.get(term[0], 0), min(len(term), longest))
    return starts


def _chinese_heads(
    chinese: dict[str, tuple[str, ...]],
) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Each Chinese label that ends in another label of two or more characters (its
    head: "監偵無人機" ends in "無人機"), by that head, with what comes before it."""
    heads: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for label, label_tokens in chinese.items():
        for split in range(2, len(label) - 1):
            head = label[split:]
            if head in chinese:
                heads.setdefault(head, []).append((label[:split], label_tokens))
                break
    return {head: tuple(entries) for head, entries in heads.items()}


def _bigrams(run: str) -> list[str]:
    """Chinese text no label covers, as overlapping character pairs (one character alone)."""
    if len(run) <= 2:
        return [run] if run else []
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _add_knowledge_terms(
    terms: Iterable[Term],
    words: dict[str, tuple[str, ...]],
    phrases: dict[tuple[str, ...], tuple[str, ...]],
    chinese: dict[str, tuple[str, ...]],
    gapped: dict[str, dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]],
) -> None:
    """Knowledge-base labels into the word, phrase, Chinese and gapped maps (see
    SynonymTable.build)."""
    phrase_tokens: dict[tuple[str, ...], list[str]] = {}
    kept_of: dict[tuple[str, ...], tuple[str, ...]] = {}
    word_tokens: dict[str, list[str]] = {}
    for term in terms:
        if term.chinese:
            key = term.text.replace(" ", "")
            if has_cjk(key) and _CJK_RUNS.fullmatch(key) and len(_CJK_RUNS.findall(key)) == 1:
                chinese.setdefault(key, ())
                chinese[key] = tuple(dict.fromkeys((*chinese[key], *term.tokens)))
                continue
            # mixed text ("M109A7自走砲"): each CJK run is a label of its own, if long enough
            for run in _CJK_RUNS.findall(key):
                if has_cjk(run) and len(run) >= 2:
                    chinese[run] = tuple(dict.fromkeys((*chinese.get(run, ()), *term.tokens)))
            continue
        raw = [token for token in raw_tokens(term.text) if token not in STOP_WORDS]
        key = tuple(stem(token) for token in raw)
        if not key:
            continue
        if len(key) == 1:
            word_tokens.setdefault(raw[0], []).extend(term.tokens)
            continue
        phrase_tokens.setdefault(key, []).extend(term.tokens)
        if 2 <= len(key) <= MAX_GAPPED_WORDS and not any(map(_kept_plain, key)):
            gapped.setdefault(key[0], {}).setdefault(key[-1], []).append((key[1:], term.tokens))
        kept_of[key] = tuple(
            token for token in raw if CALIBRE_TOKEN.match(token) or DESIGNATION_TOKEN.match(token)
        )
        # The designation at the end of "AN/TPQ-53" is written alone too ("TPQ-53").
        last = raw[-1]
        if DESIGNATION_TOKEN.match(last) and len(last) >= 4 and not CALIBRE_TOKEN.match(last):
            word_tokens.setdefault(last, []).extend(term.tokens)
    for raw_word, tokens_here in word_tokens.items():
        stemmed = stem(raw_word)
        base = words.get(raw_word) or words.get(stemmed) or (stemmed,)
        base = tuple(token for token in base if not is_knowledge_token(token))
        canonical = tuple(dict.fromkeys((*base, *tokens_here)))
        words[raw_word] = canonical
        words.setdefault(stemmed, canonical)
    # A phrase written with synonyms of its words ("drone airframe" for "UAV airframe").
    variants: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key in phrase_tokens:
        variant = tuple(_single_form(words, token) for token in key)
        if variant != key and variant not in phrase_tokens:
            variants[variant] = key
    for key, tokens_here in phrase_tokens.items():
        base = [t for k in key for t in (words.get(k) or (k,)) if not is_knowledge_token(t)]
        mark = tokens_here[0][1:] if tokens_here else ""
        phrases[key] = tuple(
            dict.fromkeys(
                (
                    *(word if _kept_plain(word) else f"{word}{QUALIFIER}{mark}" for word in base),
                    *tokens_here,
                )
            )
        )
    for variant, key in variants.items():
        phrases.setdefault(variant, phrases[key])
    # A synonym's canonical form may itself be a label ("medium altitude long endurance"
    # -> "male"): the synonym then carries the label's knowledge tokens too.
    for table in (words, phrases):
        for term, canonical in list(table.items()):
            if any(is_knowledge_token(token) or QUALIFIER in token for token in canonical):
                continue
            found = list(phrase_tokens.get(tuple(stem(token) for token in canonical), ()))
            if not found:
                for token in canonical:
                    found += word_tokens.get(token, ())
            if found:
                table[term] = tuple(dict.fromkeys((*canonical, *found)))


def _kept_plain(word: str) -> bool:
    """Calibres and designations say the same inside a phrase as outside it."""
    return bool(CALIBRE_TOKEN.match(word) or DESIGNATION_TOKEN.match(word))


def plain_word(token: str) -> str:
    """A word as written, without the phrase it was read in ("chain@autocannon" -> "chain")."""
    return token.partition(QUALIFIER)[0]


def _single_form(words: dict[str, tuple[str, ...]], stemmed: str) -> str:
    """The one plain token a word reads as ("drone" -> "uas"), else the word itself."""
    canonical = [token for token in words.get(stemmed, ()) if not is_knowledge_token(token)]
    return canonical[0] if len(canonical) == 1 else stemmed


def _canonical_tokens(text: str) -> tuple[str, ...]:
    return tuple(token for token in raw_tokens(text) if token not in STOP_WORDS)


def _resolve_chain(
    canonical: tuple[str, ...], mapping: dict[tuple[str, ...], tuple[str, ...]]
) -> tuple[str, ...]:
    """Follow canonical -> its own canonical ... (a user may map onto another synonym)."""
    seen = {canonical}
    for _ in range(8):
        following = mapping.get(tuple(stem(token) for token in canonical))
        if following is None or following in seen:
            break
        seen.add(following)
        canonical = following
    return canonical


EMPTY_TABLE = SynonymTable()


def tokens(text: str, table: SynonymTable = EMPTY_TABLE) -> tuple[str, ...]:
    """The canonical tokens of `text` (see the module docstring for the steps)."""
    return canonical_tokens(raw_tokens(text), table)


def tokens_many(
    texts: Sequence[str],
    table: SynonymTable = EMPTY_TABLE,
    *,
    parallel_from: int = PARALLEL_FROM_LINES,
) -> list[tuple[str, ...]]:
    """`[tokens(t, table) for t in texts]`, faster on many lines (see raw_tokens_many).

    From `parallel_from` lines on, and with more than one CPU, part of the
    lines is normalised in a helper process while this one does the rest (the
    work is pure Python, so threads would not help); if the helper cannot run,
    everything is done here. Results are identical either way.
    """
    with tokens_many_started(texts, table, parallel_from=parallel_from) as pending:
        return pending.result()


def tokens_many_started(
    texts: Sequence[str],
    table: SynonymTable = EMPTY_TABLE,
    *,
    parallel_from: int = PARALLEL_FROM_LINES,
) -> PendingTokens:
    """Start `tokens_many(texts, table)`; `.result()` of the answer finishes it.

    The helper process starts on its share at once: work the caller does
    before asking for the result overlaps with it (the index build prepares
    its row codes meanwhile), and the helper's share is larger to match. Use
    it as a context manager, so that an error or Ctrl-C in between stops the
    helper.
    """
    texts = list(texts)
    from coprod.processes import usable_cpus

    if len(texts) < max(parallel_from, 2) or usable_cpus() < 2:
        return PendingTokens(texts, table, len(texts), None)
    split = int(len(texts) * (1 - HELPER_SHARE))
    return PendingTokens(texts, table, split, _HelperProcess.start(texts[split:], table))


class PendingTokens:
    """Tokens being made: texts[:split] here on `result()`, the rest by a helper process."""

    def __init__(
        self, texts: list[str], table: SynonymTable, split: int, helper: _HelperProcess | None
    ) -> None:
        self._texts = texts
        self._table = table
        self._split = split if helper is not None else len(texts)
        self._helper = helper

    def result(self) -> list[tuple[str, ...]]:
        texts, table, split = self._texts, self._table, self._split
        first = _tokens_many_here(texts[:split], table)
        if self._helper is None:
            return first
        rest = self._helper.result(len(texts) - split)
        self._helper = None
        return first + (rest if rest is not None else _tokens_many_here(texts[split:], table))

    def cancel(self) -> None:
        if self._helper is not None:
            self._helper.stop()
            self._helper = None

    def __enter__(self) -> PendingTokens:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cancel()  # nothing left to do after result()


def _tokens_many_here(texts: Sequence[str], table: SynonymTable) -> list[tuple[str, ...]]:
    return [canonical_tokens(raw, table) for raw in raw_tokens_many(texts)]


def _joined_tokens(texts: Sequence[str], table: SynonymTable) -> str:
    """The helper process's answer: lines of space-joined tokens, split by _LINE_BREAK."""
    return _LINE_BREAK.join(" ".join(line) for line in _tokens_many_here(texts, table))


class _HelperProcess:
    """A plain `python -c` child normalising lines given in a temporary file.

    Not multiprocessing: spawn would re-import the caller's main script, and
    fork is unsafe in a threaded TUI or beside a DuckDB connection. Not a pipe
    for the lines either: a feeder thread writing megabytes into a 64 KB pipe
    needs the GIL back after every chunk while this process normalises its own
    share, which starved the helper of input (it finished ~1 s after this
    process at 500,000 lines, doing the same work).
    """

    def __init__(self, child, payload_path: Path) -> None:
        self._child = child
        self._payload_path = payload_path

    @classmethod
    def start(cls, texts: list[str], table: SynonymTable) -> _HelperProcess | None:
        """None when the helper process cannot run (the caller then does it all)."""
        import pickle
        import subprocess
        import tempfile

        from coprod.processes import child_python_env

        try:
            handle, name = tempfile.mkstemp(prefix="coprod-tokens-", suffix=".pickle")
        except OSError:
            return None
        payload_path = Path(name)
        try:
            with os.fdopen(handle, "wb") as payload:
                pickle.dump((texts, table), payload, protocol=pickle.HIGHEST_PROTOCOL)
            child = subprocess.Popen(
                [sys.executable, "-c", _HELPER_CODE, name],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=child_python_env(),
            )
        except OSError:
            payload_path.unlink(missing_ok=True)
            return None
        except BaseException:  # Ctrl-C while writing the lines: leave nothing behind
            payload_path.unlink(missing_ok=True)
            raise
        return cls(child, payload_path)

    def stop(self) -> None:
        """The caller gave up (an error, Ctrl-C): end the helper and remove its input."""
        self._child.kill()
        self._child.wait()
        self._child.stdout.close()
        self._payload_path.unlink(missing_ok=True)

    def result(self, expected: int) -> list[tuple[str, ...]] | None:
        """The helper's tokens, or None if it failed (then the caller does its share)."""
        try:
            answer = self._child.stdout.read()
        finally:
            self._child.stdout.close()
            if self._child.wait() != 0:
                answer = None
            self._payload_path.unlink(missing_ok=True)  # the helper removes it; unless it failed
        if answer is None:
            return None
        joined = answer.decode("utf-8", "surrogatepass")
        # One string object per distinct token, as in this process (memory on big catalogs).
        rest = [
            tuple(map(sys.intern, line.split(" "))) if line else ()
            for line in joined.split(_LINE_BREAK)
        ]
        return rest if len(rest) == expected else None


_HELPER_CODE = """\
import os, pickle, sys
from coprod.text import _joined_tokens
with open(sys.argv[1], "rb") as payload:
    texts, table = pickle.load(payload)
os.unlink(sys.argv[1])
sys.stdout.buffer.write(_joined_tokens(texts, table).encode("utf-8", "surrogatepass"))
"""


def canonical_tokens(raw: Sequence[str], table: SynonymTable) -> tuple[str, ...]:
    """Steps 4-6 on raw tokens: stop words, plurals, synonyms, duplicates."""
    cache = table._word_cache
    words = [cache.get(token) or table.word(token) for token in raw if token not in STOP_WORDS]
    stems = [word[0] for word in words]
    forms = [word[2] for word in words]
    starts = table.phrase_starts
    hits = [i for i in range(len(words)) if stems[i] in starts or forms[i] in starts]
    if not hits:  # no phrase can start here: the common case
        return tuple(dict.fromkeys([token for word in words for token in word[1]]))
    out: list[str] = []
    done = 0  # words before this index are emitted or consumed by a phrase
    count = len(words)
    bigrams = table.phrase_bigrams
    phrases = table.phrases
    for i in hits:  # greedy, left to right, longest phrase first
        if i < done or i + 1 >= count:
            continue
        by_stem = (stems[i], stems[i + 1]) in bigrams
        by_form = (forms[i], forms[i + 1]) in bigrams
        if not (by_stem or by_form):
            continue
        longest = max(starts.get(stems[i], 0), starts.get(forms[i], 0))
        for length in range(min(longest, count - i), 1, -1):
            canonical = phrases.get(tuple(stems[i : i + length])) if by_stem else None
            if canonical is None:
                canonical = phrases.get(tuple(forms[i : i + length]))
            if canonical is not None:
                out.extend([token for word in words[done:i] for token in word[1]])
                out.extend(canonical)
                done = i + length
                break
    out.extend([token for word in words[done:] for token in word[1]])
    if table.gapped:
        out.extend(_gapped_tokens(stems, forms, hits, table.gapped))
    return tuple(dict.fromkeys(out))


def _gapped_tokens(
    stems: Sequence[str],
    forms: Sequence[str],
    hits: Sequence[int],
    gapped: dict[str, dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]],
) -> list[str]:
    """Knowledge tokens of labels whose words appear in order with a few others between
    (at most MAX_GAP in all); their words are not consumed (see SynonymTable)."""
    found: list[str] = []
    count = len(stems)
    present = set(stems)
    present.update(forms)
    for i in hits:
        firsts = (stems[i],) if stems[i] == forms[i] else (stems[i], forms[i])
        for first in firsts:
            by_head = gapped.get(first)
            if by_head is None:
                continue
            # only labels whose last word is in the line: a set operation settles most
            for head in by_head.keys() & present:
                for rest, label_tokens in by_head[head]:
                    if count - i - 1 <= len(rest) or not present.issuperset(rest):
                        continue
                    position, skipped = i + 1, 0
                    for wanted in rest:
                        while position < count and wanted not in (
                            stems[position],
                            forms[position],
                        ):
                            position += 1
                            skipped += 1
                        if position >= count or skipped > MAX_GAP:
                            break
                        position += 1
                    else:
                        if skipped:  # with no gap the phrase pass has it already
                            found.extend([t for t in label_tokens if is_knowledge_token(t)])
    return found


_NOT_PLAIN = re.compile(f"[{QUALIFIER}{''.join(KNOWLEDGE_PREFIXES)}]")
_KNOWLEDGE_TOKENS = re.compile(f"(?:^| )[{''.join(KNOWLEDGE_PREFIXES)}]\\S*")
_QUALIFIERS = re.compile(f"{QUALIFIER}\\S*")


def content_tokens(token_seq: Sequence[str]) -> tuple[str, ...]:
    """The words of `token_seq` as written, without filler words (all of its words when
    they are nothing but filler); knowledge tokens are never words."""
    joined = " ".join(token_seq)
    if _NOT_PLAIN.search(joined):
        # string work in C beats a Python call per token (500,000 lines at build)
        words = list(dict.fromkeys(_QUALIFIERS.sub("", _KNOWLEDGE_TOKENS.sub("", joined)).split()))
    else:
        words = token_seq
    if FILLER_WORDS.isdisjoint(words):
        return tuple(words)
    kept = tuple([token for token in words if token not in FILLER_WORDS])
    return kept or tuple(words)


def normalise(text: str, table: SynonymTable = EMPTY_TABLE) -> str:
    """`text` as one canonical string, the form every fuzzy scorer sees."""
    return " ".join(tokens(text, table))


def calibres(token_seq: Iterable[str]) -> frozenset[str]:
    """Calibre tokens such as "155mm" or "5.56mm" (cartridge forms excluded)."""
    return frozenset(token for token in token_seq if CALIBRE_TOKEN.match(token))


def designations(token_seq: Iterable[str]) -> frozenset[str]:
    """Designation bases such as "m982" (from "m982a1"), "fgm148", "k9"."""
    found = set()
    for token in token_seq:
        match = DESIGNATION_TOKEN.match(token)
        if match and not CALIBRE_TOKEN.match(token):
            found.add(match.group(1))
    return frozenset(found)


def read_synonyms_csv(path: Path) -> list[Synonym]:
    """Rows of a `term,canonical` CSV (UTF-8, optional BOM); blank and '#' lines skipped."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(line for line in handle if not line.lstrip().startswith("#"))
        rows = []
        for row in reader:
            term = (row.get("term") or "").strip()
            canonical = (row.get("canonical") or "").strip()
            if term and canonical:
                rows.append(Synonym(term=term, canonical=canonical))
        return rows


@lru_cache(maxsize=1)
def shipped_synonyms() -> tuple[Synonym, ...]:
    """data/synonyms.csv as shipped; empty if the file is missing (a broken install)."""
    from coprod.paths import shipped_data_dir

    try:
        path = shipped_data_dir() / SYNONYMS_FILENAME
    except FileNotFoundError:
        return ()
    if not path.is_file():
        return ()
    return tuple(read_synonyms_csv(path))


def synonym_table(
    extra: Sequence[Synonym] = (), knowledge: Knowledge | None = None
) -> SynonymTable:
    """The shipped table extended by `extra` (e.g. a catalog's own rows; they win), with
    `knowledge`'s labels (coprod.knowledge) read as their knowledge tokens."""
    if not knowledge:
        return SynonymTable.build([*shipped_synonyms(), *extra])
    parents = {c.concept_id: c.broader for c in knowledge.concepts.values()}
    systems = {s: knowledge.concepts_of_system(s) for s in knowledge.systems}
    labels = {c.concept_id: c.label for c in knowledge.concepts.values()}
    return SynonymTable.build(
        [*shipped_synonyms(), *extra], knowledge_terms(knowledge), parents, systems, labels
    )
