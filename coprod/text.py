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
7. Knowledge tokens that only a clause's words after "for", "against"... name
   are marked as what the product serves (coprod.purpose).

Steps 1-3 and the word rules of step 4 need no table and live in coprod.rawtokens;
knowledge-base labels are compiled into the table by coprod.labelcompiler, and
coprod.workers.normaliser normalises many lines at once in two processes.

The result is a tuple of tokens; `" ".join(tokens)` is what rapidfuzz sees.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from itertools import chain, compress
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from coprod.chinese import CHINESE_STOP_WORDS, segmented
from coprod.knowledge import (
    ANCESTOR_PREFIX,
    CONCEPT_PREFIX,
    KNOWLEDGE_PREFIXES,
    QUALIFIER,
    Knowledge,
    Term,
    has_cjk,
    is_knowledge_token,
    knowledge_terms,
)
from coprod.model import Synonym
from coprod.purpose import against_targets, purpose_head, with_accessories
from coprod.rawtokens import (
    CALIBRE_TOKEN,
    DESIGNATION_TOKEN,
    STOP_WORDS,
    raw_tokens,
    stem,
)
from coprod.senses import with_senses

SYNONYMS_FILENAME = "synonyms.csv"

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

MAX_GAP = 3

# Longest synonym phrase considered, in tokens ("man portable air defence system" is 5).
MAX_PHRASE_TOKENS = 7


def _basic_tokens(text: str) -> list[str]:
    return [stem(token) for token in raw_tokens(text) if token not in STOP_WORDS]


# Types of the table's maps (see SynonymTable).
Tokens = tuple[str, ...]
GappedMap = dict[str, dict[str, tuple[tuple[Tokens, Tokens], ...]]]
GappedKnowledge = dict[str, tuple[tuple[Tokens, Tokens], ...]]
# Between the fields of one saved entry (SynonymTable.state): str.split() treats it as
# whitespace, so no token holds it; a table where a key does is saved as JSON instead.
_FIELD = "\x1f"
# Between the entries of one saved map, kept as one string: coprod.indexcache then
# splits nothing, and a map is split when it is first used (most never are by a warm
# one-requirement `rank`). Whitespace to str.split() too, so no token holds it.
_ENTRY = "\x1e"
_SAVED_MAPS = (
    "words",
    "phrases",
    "chinese",
    "concept_parent",
    "system_concepts",
    "concept_words",
    "gapped",
)


class SynonymTable:
    """Compiled synonyms and knowledge-base labels: words and phrases to canonical tokens.

    Keys are stemmed tokens; a single-word term is also kept unstemmed so an
    acronym such as "manpads" or "rpas" is never taken for a plural. A phrase is
    also found when its words are written as their synonyms ("drone airframe"
    meets the label "UAV airframe"). Chinese labels, and the Chinese words of the
    synonyms (read as their English), are matched inside runs of CJK characters,
    longest first; what neither covers is kept as character bigrams, so Chinese
    lines still meet Chinese lines word for word.

    Maps (read them, never write them):
    - `words`: raw or stemmed token -> canonical tokens;
    - `phrases`: stemmed tokens of a multi-word term -> canonical tokens;
    - `chinese`: Chinese label (NFKC, casefolded) -> tokens;
    - `concept_parent`: concept id -> its broader concept id ("" for a root);
    - `system_concepts`: system id -> its concept ids;
    - `concept_words`: concept id -> the words of its preferred label, as matching
      reads them;
    - `gapped`: knowledge labels found with other words between theirs
      ("fixed-wing reconnaissance drone" names "fixed-wing drone"): first stem ->
      last stem -> (the label's other stems, its knowledge tokens); see _gapped_tokens;
    and what is derived from them on first use: `phrase_starts` (first stemmed token
    of a phrase -> its longest phrase length, which skips most lookups),
    `phrase_lengths` (first two stemmed tokens of a phrase -> the lengths of the
    phrases beginning so, longest first: the only lookups worth trying),
    `longest_chinese` and `chinese_gapped` (a label's head ("無人機") ->
    (its modifier ("監偵"), the label's tokens), found with a few characters between
    ("監偵及攻擊無人機")), `gapped_heads` (`gapped` with each first stem's last
    stems as a set, and only the knowledge tokens of each label), and `calibre_chinese`
    (a calibre -> the Chinese words its labels write after it).

    A table read back from a saved index (`from_state`) decodes each map the first
    time it is used: a warm one-requirement `coprod rank` needs only some of them.
    """

    def __init__(
        self,
        words: dict[str, Tokens] | None = None,
        phrases: dict[Tokens, Tokens] | None = None,
        chinese: dict[str, Tokens] | None = None,
        concept_parent: dict[str, str] | None = None,
        system_concepts: dict[str, Tokens] | None = None,
        concept_words: dict[str, Tokens] | None = None,
        gapped: GappedMap | None = None,
    ) -> None:
        # Set as instance attributes, these shadow the decoding cached_property below.
        self.words = {} if words is None else words
        self.phrases = {} if phrases is None else phrases
        self.chinese = {} if chinese is None else chinese
        self.concept_parent = {} if concept_parent is None else concept_parent
        self.system_concepts = {} if system_concepts is None else system_concepts
        self.concept_words = {} if concept_words is None else concept_words
        self.gapped = {} if gapped is None else gapped
        self._saved: dict[str, list[str]] = {}
        # text -> its tokens joined by spaces, read back with a saved table (see `state`)
        self._known_texts: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"SynonymTable({len(self.words)} words, {len(self.phrases)} phrases)"

    # Maps of a table from `from_state`, decoded on first use (see `state`).

    @cached_property
    def words(self) -> dict[str, Tokens]:
        return {key: _split(value) for key, value in _pairs(self._entries("words"))}

    @cached_property
    def phrases(self) -> dict[Tokens, Tokens]:
        return {_split(key): _split(value) for key, value in _pairs(self._entries("phrases"))}

    @cached_property
    def chinese(self) -> dict[str, Tokens]:
        return {key: _split(value) for key, value in _pairs(self._entries("chinese"))}

    @cached_property
    def concept_parent(self) -> dict[str, str]:
        return dict(_pairs(self._entries("concept_parent")))

    @cached_property
    def system_concepts(self) -> dict[str, Tokens]:
        return {key: _split(value) for key, value in _pairs(self._entries("system_concepts"))}

    @cached_property
    def concept_words(self) -> dict[str, Tokens]:
        return {key: _split(value) for key, value in _pairs(self._entries("concept_words"))}

    @cached_property
    def gapped(self) -> GappedMap:
        grouped: dict[str, dict[str, list[tuple[Tokens, Tokens]]]] = {}
        for line in self._entries("gapped"):
            first, _, rest = line.partition(_FIELD)
            head, _, rest = rest.partition(_FIELD)
            others, _, label_tokens = rest.partition(_FIELD)
            entry = (_split(others), _split(label_tokens))
            grouped.setdefault(first, {}).setdefault(head, []).append(entry)
        return {
            first: {head: tuple(entries) for head, entries in by_head.items()}
            for first, by_head in grouped.items()
        }

    def _entries(self, name: str) -> list[str]:
        """The saved entries of one map (see `state`)."""
        text = _saved_text(self._saved[name])
        return text.split(_ENTRY) if text else []

    # Derived maps, for every table.

    @cached_property
    def phrase_starts(self) -> dict[str, int]:
        return _phrase_starts(self.phrases, _longest_phrase(self.phrases))

    @cached_property
    def phrase_lengths(self) -> dict[tuple[str, str], tuple[int, ...]]:
        longest = _longest_phrase(self.phrases)
        lengths: dict[tuple[str, str], set[int]] = {}
        for term in self.phrases:
            if len(term) <= longest:
                lengths.setdefault((term[0], term[1]), set()).add(len(term))
        return {pair: tuple(sorted(found, reverse=True)) for pair, found in lengths.items()}

    @cached_property
    def calibre_chinese(self) -> dict[str, tuple[str, ...]]:
        """Calibre token -> the Chinese words its labels write after it ("155mm" -> 砲彈,
        from 155公厘砲彈), longest first: see _calibre_phrase."""
        found: dict[str, set[str]] = {}
        for term in self.phrases:
            if len(term) == 2 and CALIBRE_TOKEN.match(term[0]) and has_cjk(term[1]):
                found.setdefault(term[0], set()).add(term[1])
        return {
            calibre: tuple(sorted(words, key=len, reverse=True)) for calibre, words in found.items()
        }

    @cached_property
    def gapped_heads(self) -> dict[str, tuple[frozenset[str], GappedKnowledge]]:
        """First stem of a gapped label -> (the last stems of its labels, last stem ->
        (the label's other stems, its knowledge tokens)): `gapped` as _gapped_tokens
        reads it."""
        return {
            first: (
                frozenset(by_head),
                {
                    head: tuple(
                        (rest, tuple(filter(is_knowledge_token, label_tokens)))
                        for rest, label_tokens in entries
                    )
                    for head, entries in by_head.items()
                },
            )
            for first, by_head in self.gapped.items()
        }

    @cached_property
    def _line_words(self) -> _LineWords:
        return _LineWords(self)

    def __getstate__(self) -> dict:
        # what canonical_tokens caches per raw token refers back to the table
        state = dict(self.__dict__)
        state.pop("_line_words", None)
        return state

    @cached_property
    def longest_chinese(self) -> int:
        return max(map(len, self.chinese), default=0)

    @cached_property
    def chinese_gapped(self) -> dict[str, tuple[tuple[str, Tokens], ...]]:
        from coprod.labelcompiler import chinese_heads

        return chinese_heads(self.chinese)

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
        synonyms = list(synonyms)
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
            mapping.setdefault(tuple(map(stem, canonical)), canonical)
            if len(canonical) == 1:
                raw_words.setdefault(canonical[0], canonical)
        resolved = {term: _resolve_chain(canonical, mapping) for term, canonical in mapping.items()}
        words = {term[0]: canonical for term, canonical in resolved.items() if len(term) == 1}
        for raw, canonical in raw_words.items():
            words[raw] = _resolve_chain(canonical, mapping)
        phrases = {term: canonical for term, canonical in resolved.items() if len(term) > 1}
        # labelcompiler imports CJK_RUNS: a warm start that needs neither skips compiling it
        from coprod.labelcompiler import (
            add_chinese_stop_words,
            add_chinese_words,
            add_knowledge_terms,
            add_short_names,
        )

        chinese: dict[str, tuple[str, ...]] = {}
        gapped: dict[str, dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]] = {}
        add_knowledge_terms(terms, words, phrases, chinese, gapped)
        # reads what a Chinese word stands for (English, or Chinese naming a label)
        english = cls(words=words, phrases=phrases, chinese=dict(chinese))
        chinese_words = [
            (s.term, tokens(s.canonical, english)) for s in synonyms if has_cjk(s.term)
        ]
        add_chinese_words(chinese_words, chinese)
        add_chinese_stop_words(CHINESE_STOP_WORDS, chinese)
        add_short_names(chinese)
        return cls(
            words=words,
            phrases=phrases,
            chinese=chinese,
            concept_parent=dict(concept_parent or {}),
            system_concepts=dict(system_concepts or {}),
            gapped={
                first: {head: tuple(entries) for head, entries in by_head.items()}
                for first, by_head in gapped.items()
            },
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

    def state(self, known_texts: Iterable[str] = ()) -> dict[str, list[str]]:
        """The compiled table as strings, one per map (saved with the matching index, as
        building it from a knowledge base is a large share of a one-requirement `rank`;
        strings, not nested JSON, as parsing that was too): each a list holding one
        string, its entries separated by _ENTRY, an entry's fields by _FIELD and its
        tokens by spaces. A table that does not read back the same that way (a key
        holding a separator or a newline) is saved as one JSON string under "json".

        `known_texts` (the catalog's requirements) are saved with their tokens, so
        that `tokens()` on a table read back answers them without decoding a map:
        ranking one catalog requirement then reads only the small maps. A text
        holding a newline or a separator is left out (it is tokenised as any other).
        """
        known = []
        for text in dict.fromkeys(known_texts):
            if "\n" in text or _FIELD in text or _ENTRY in text:
                continue
            text_tokens = tokens(text, self)
            joined = _joined(text_tokens)
            if _split(joined) == text_tokens and not {"\n", _FIELD, _ENTRY} & set(joined):
                known.append(f"{text}{_FIELD}{joined}")
        entries = {
            "words": [f"{key}{_FIELD}{_joined(value)}" for key, value in self.words.items()],
            "phrases": [
                f"{_joined(key)}{_FIELD}{_joined(value)}" for key, value in self.phrases.items()
            ],
            "chinese": [f"{key}{_FIELD}{_joined(value)}" for key, value in self.chinese.items()],
            "concept_parent": [
                f"{key}{_FIELD}{value}" for key, value in self.concept_parent.items()
            ],
            "system_concepts": [
                f"{key}{_FIELD}{_joined(value)}" for key, value in self.system_concepts.items()
            ],
            "concept_words": [
                f"{key}{_FIELD}{_joined(value)}" for key, value in self.concept_words.items()
            ],
            "gapped": [
                f"{first}{_FIELD}{head}{_FIELD}{_joined(rest)}{_FIELD}{_joined(label_tokens)}"
                for first, by_head in self.gapped.items()
                for head, entries in by_head.items()
                for rest, label_tokens in entries
            ],
        }
        if not self._saves_as_strings():
            return {"json": [json.dumps(self._json_state(), ensure_ascii=True)]}
        saved = {name: [_ENTRY.join(lines)] for name, lines in entries.items()}
        saved["known_texts"] = [_ENTRY.join(known)]
        return saved

    def _saves_as_strings(self) -> bool:
        """Whether `state`'s strings read back as these very maps: no key or value holds
        a separator or a newline, no token is empty or holds a space (then every entry
        splits back into its fields and tokens, in order, and distinct keys stay
        distinct). Checked on joined strings: decoding every map again to compare
        cost a cold start more than writing them."""
        gapped_heads = [head for by_head in self.gapped.values() for head in by_head]
        gapped_tuples = [
            part
            for by_head in self.gapped.values()
            for entries in by_head.values()
            for entry in entries
            for part in entry
        ]
        texts = "".join(
            [
                *self.words,
                *self.chinese,
                *self.concept_parent,
                *self.concept_parent.values(),
                *self.system_concepts,
                *self.concept_words,
                *self.gapped,
                *gapped_heads,
            ]
        )
        token_tuples = [
            *self.words.values(),
            *self.phrases,
            *self.phrases.values(),
            *self.chinese.values(),
            *self.system_concepts.values(),
            *self.concept_words.values(),
            *gapped_tuples,
        ]
        flat = [token for token_tuple in token_tuples for token in token_tuple]
        token_text = "".join(flat)
        return (
            not any(mark in texts for mark in (_FIELD, _ENTRY, "\n"))
            and not any(mark in token_text for mark in (" ", _FIELD, _ENTRY, "\n"))
            and "" not in flat
        )

    def _json_state(self) -> dict[str, object]:
        return {
            "words": [[k, list(v)] for k, v in self.words.items()],
            "phrases": [[list(k), list(v)] for k, v in self.phrases.items()],
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
        raises KeyError, TypeError or ValueError on one of the wrong shape. Each map is
        decoded on first use."""
        if "json" in state:
            return cls._from_json(json.loads(_saved_text(state["json"])))
        saved = {name: state[name] for name in _SAVED_MAPS}
        if not all(isinstance(lines, (list, bytes, memoryview)) for lines in saved.values()):
            raise TypeError("saved synonym table: a map is not strings or UTF-8 bytes")
        table = cls.__new__(cls)
        table._saved = saved
        known = _saved_text(state.get("known_texts") or [""])
        table._known_texts = dict(_pairs(known.split(_ENTRY))) if known else {}
        return table

    @classmethod
    def _from_json(cls, state: dict) -> SynonymTable:
        gapped: GappedMap = {}
        for first, head, entries in state["gapped"]:
            gapped.setdefault(str(first), {})[str(head)] = tuple(
                (tuple(rest), tuple(tokens)) for rest, tokens in entries
            )
        return cls(
            words={str(k): tuple(v) for k, v in state["words"]},
            phrases={tuple(k): tuple(v) for k, v in state["phrases"]},
            chinese={str(k): tuple(v) for k, v in state["chinese"]},
            concept_parent={str(k): str(v) for k, v in state["concept_parent"].items()},
            system_concepts={str(k): tuple(v) for k, v in state["system_concepts"].items()},
            gapped=gapped,
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
        """(stemmed token, canonical tokens it reads as, the one plain token it reads as
        or its stem: what phrases written with synonyms are matched on) of one raw token.
        canonical_tokens keeps each distinct token's (see _LineWords)."""
        if raw.isascii() or not has_cjk(raw):
            stemmed = stem(raw)
            canonical = self.words.get(raw) or self.words.get(stemmed) or (stemmed,)
            plain = [token for token in canonical if not is_knowledge_token(token)]
            return stemmed, canonical, plain[0] if len(plain) == 1 else stemmed
        return raw, segmented(raw, self), raw


def _saved_text(saved: list[str] | bytes | memoryview) -> str:
    """One saved map's string: `state` gives a list of one string; a sidecar may keep it
    as its UTF-8 bytes, decoded only when the map is first used (most maps never are by
    a warm one-requirement `rank`, and the phrase map alone is over a megabyte)."""
    if isinstance(saved, list):
        return saved[0] if saved else ""
    return bytes(saved).decode("utf-8")


def _joined(tokens: Sequence[str]) -> str:
    return " ".join(tokens)


def _split(joined: str) -> Tokens:
    return tuple(joined.split(" ")) if joined else ()


def _pairs(lines: list[str]):
    """(key, value) of saved entries of two fields."""
    for line in lines:
        key, _, value = line.partition(_FIELD)
        yield key, value


def _longest_phrase(phrases: dict[tuple[str, ...], tuple[str, ...]]) -> int:
    """The most tokens a phrase lookup tries (MAX_PHRASE_TOKENS at most)."""
    return min(MAX_PHRASE_TOKENS, max((len(term) for term in phrases), default=1))


def _phrase_starts(phrases: dict[tuple[str, ...], tuple[str, ...]], longest: int) -> dict[str, int]:
    """First stemmed token of each phrase -> its longest phrase length (at most `longest`)."""
    starts: dict[str, int] = {}
    for term in phrases:
        starts[term[0]] = max(starts.get(term[0], 0), min(len(term), longest))
    return starts


def plain_word(token: str) -> str:
    """A word as written, without the phrase it was read in ("chain@autocannon" -> "chain")."""
    return token.partition(QUALIFIER)[0]


def _canonical_tokens(text: str) -> tuple[str, ...]:
    return tuple(token for token in raw_tokens(text) if token not in STOP_WORDS)


def _resolve_chain(
    canonical: tuple[str, ...], mapping: dict[tuple[str, ...], tuple[str, ...]]
) -> tuple[str, ...]:
    """Follow canonical -> its own canonical ... (a user may map onto another synonym)."""
    seen = {canonical}
    for _ in range(8):
        following = mapping.get(tuple(map(stem, canonical)))
        if following is None or following in seen:
            break
        seen.add(following)
        canonical = following
    return canonical


EMPTY_TABLE = SynonymTable()


def tokens(text: str, table: SynonymTable = EMPTY_TABLE) -> tuple[str, ...]:
    """The canonical tokens of `text` (see the module docstring for the steps)."""
    known = table._known_texts.get(text)
    if known is not None:  # saved with the table (SynonymTable.state)
        return _split(known)
    found = canonical_tokens(raw_tokens(text), table)
    head = purpose_head(text)
    head_found = None if head is None else canonical_tokens(raw_tokens(head), table)
    return in_context(text, found, head_found, table)


def in_context(text: str, found: Tokens, head_found: Tokens | None, table: SynonymTable) -> Tokens:
    """The canonical tokens `found` of `text` read in context: what it serves marked
    (`head_found`, the tokens of its purpose head, when it has one), what it is used
    against, and each ambiguous word in its sense. Every path that normalises a text
    ends here."""
    if head_found is not None:
        found = _with_counter_concepts(text, with_accessories(found, head_found), table)
    return with_senses(found, table)


def _with_counter_concepts(text: str, found: Tokens, table: SynonymTable) -> Tokens:
    """`found` with the concepts a product used against something is a kind of:
    "rockets, also used against drones" are counter-drone rockets, as the knowledge
    base reads "counter drones"."""
    targets = against_targets(text)
    if not targets:
        return found
    extra: list[str] = []
    for target in targets:
        plain = set(canonical_tokens(raw_tokens(target), table))
        countered = canonical_tokens(raw_tokens("counter " + target), table)
        extra += [
            t
            for t in countered
            if t[:1] == CONCEPT_PREFIX and t not in plain and ANCESTOR_PREFIX + t[1:] not in found
        ]
    if not extra:
        return found
    implied = [ANCESTOR_PREFIX + a for t in extra for a in table.ancestors(t[1:])]
    return tuple(dict.fromkeys((*found, *extra, *implied)))


def canonical_tokens(raw: Sequence[str], table: SynonymTable) -> tuple[str, ...]:
    """Steps 4-6 on raw tokens: stop words, plurals, synonyms, duplicates."""
    # Built-in maps over each token's cached _LineWord rather than comprehensions: this
    # runs once per catalog line, and a comprehension's own call costs about as much
    # as the few tokens of a line.
    words = list(filter(None, map(table._line_words.__getitem__, raw)))
    hits = list(compress(range(len(words)), map(_PHRASE_LENGTH, words)))
    if not hits:  # no phrase can start here: the common case
        return tuple(dict.fromkeys(chain.from_iterable(map(_CANONICAL, words))))
    stems = list(map(_STEMMED, words))
    forms = list(map(_FORM, words))
    if forms == stems:  # most lines: a lookup by forms would repeat the one by stems
        forms = stems
    out: list[str] = []
    done = 0  # words before this index are emitted or consumed by a phrase
    count = len(words)
    lengths_of = table.phrase_lengths
    phrases = table.phrases
    for i in hits:  # greedy, left to right, longest phrase first
        if i < done or i + 1 >= count:
            continue
        by_stem = lengths_of.get((stems[i], stems[i + 1]))
        by_form = by_stem if forms is stems else lengths_of.get((forms[i], forms[i + 1]))
        if by_stem is None:
            if by_form is None:
                following = stems[i + 1]
                found = None if following.isascii() else _calibre_phrase(table, stems[i], following)
                if found is not None:
                    out.extend(chain.from_iterable(map(_CANONICAL, words[done:i])))
                    out.extend(found)
                    done = i + 2
                continue
            lengths = by_form
        elif by_form is None or by_form is by_stem:
            lengths = by_stem
        else:
            lengths = tuple(sorted({*by_stem, *by_form}, reverse=True))
        for length in lengths:
            if length > count - i:
                continue
            canonical = phrases.get(tuple(stems[i : i + length])) if by_stem else None
            if canonical is None and by_form and forms is not stems:
                canonical = phrases.get(tuple(forms[i : i + length]))
            if canonical is not None:
                out.extend(chain.from_iterable(map(_CANONICAL, words[done:i])))
                out.extend(canonical)
                done = i + length
                break
    out.extend(chain.from_iterable(map(_CANONICAL, words[done:])))
    if any(map(_GAPPED_LABELS, words)):
        out.extend(_gapped_tokens(stems, forms, words))
    return tuple(dict.fromkeys(out))


def _calibre_phrase(table: SynonymTable, calibre: str, following: str) -> Tokens | None:
    """The tokens of a calibre label whose Chinese word begins the next token, and of the
    rest of that token read on its own, or None. Chinese runs on after a word
    ("155公厘砲彈生產線" is "155mm" then "砲彈生產線"), where the label 155公厘砲彈 is the
    phrase "155mm" "砲彈"."""
    for word in table.calibre_chinese.get(calibre, ()):
        if len(following) > len(word) and following.startswith(word):
            rest = following[len(word) :]
            return (*table.phrases[(calibre, word)], *table.word(rest)[1])
    return None


class _LineWord(NamedTuple):
    """What canonical_tokens needs of one raw token, looked up once per distinct token."""

    stemmed: str
    canonical: Tokens
    form: str  # see SynonymTable.word
    phrase_length: int  # the longest phrase starting with its stem or form; 0 for none
    # gapped_heads of its stem and of its form, those that begin a gapped label; none
    # unless a phrase starts with it, as only such a word is tried (see _gapped_tokens)
    gapped_labels: tuple[tuple[frozenset[str], GappedKnowledge], ...]


_STEMMED, _CANONICAL, _FORM, _PHRASE_LENGTH, _GAPPED_LABELS = map(itemgetter, range(5))


class _LineWords(dict):
    """raw token -> its _LineWord, or None for a stop word (filled on first use)."""

    def __init__(self, table: SynonymTable) -> None:
        super().__init__()
        self._table = table

    def __missing__(self, raw: str) -> _LineWord | None:
        if raw in STOP_WORDS:
            self[raw] = None
            return None
        table = self._table
        stemmed, canonical, form = table.word(raw)
        starts = table.phrase_starts
        heads = table.gapped_heads
        phrase_length = max(starts.get(stemmed, 0), starts.get(form, 0))
        firsts = (stemmed,) if stemmed == form else (stemmed, form)
        word = self[raw] = _LineWord(
            stemmed,
            canonical,
            form,
            phrase_length,
            tuple(heads[first] for first in firsts if first in heads) if phrase_length else (),
        )
        return word


def _gapped_tokens(
    stems: Sequence[str],
    forms: Sequence[str],
    words: Sequence[_LineWord],
) -> list[str]:
    """Knowledge tokens of labels whose words appear in order with a few others between
    (at most MAX_GAP in all); their words are not consumed (see SynonymTable)."""
    found: list[str] = []
    count = len(stems)
    present = set(stems)
    if forms is not stems:
        present.update(forms)
    for i, word in enumerate(words):
        for all_heads, by_head in word.gapped_labels:
            # only labels whose last word is in the line: a set operation settles most;
            # sorted, as a set's order follows the string hash seed of each process (the
            # helper normalising a share of the lines has another one)
            if all_heads.isdisjoint(present):
                continue
            heads = all_heads & present
            for head in sorted(heads) if len(heads) > 1 else heads:
                for rest, knowledge_tokens in by_head[head]:
                    if count - i - 1 <= len(rest) or not present.issuperset(rest):
                        continue
                    position, skipped = i + 1, 0
                    for wanted in rest:
                        while (
                            position < count
                            and stems[position] != wanted
                            and forms[position] != wanted
                        ):
                            position += 1
                            skipped += 1
                        if position >= count or skipped > MAX_GAP:
                            break
                        position += 1
                    else:
                        if skipped:  # with no gap the phrase pass has it already
                            found.extend(knowledge_tokens)
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


@lru_cache(maxsize=1)
def shipped_synonyms_digest() -> str:
    """A digest of data/synonyms.csv as shipped ("" when it is missing), for the saved
    index's key: the file's bytes decide shipped_synonyms() (with this module's code,
    which the key covers), and hashing them costs a tenth of parsing the file, which
    a warm start would otherwise do for the key alone."""
    import hashlib

    from coprod.paths import shipped_data_dir

    try:
        return hashlib.sha256((shipped_data_dir() / SYNONYMS_FILENAME).read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return ""


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
