"""Knowledge-base labels compiled into the synonym table's maps.

`add_knowledge_terms` reads the labels of coprod.knowledge (`knowledge_terms`)
into the word, phrase, Chinese and gapped maps that `coprod.text.SynonymTable`
matches on: a one-word label adds its knowledge tokens to the word's own; a longer
one reads as its knowledge tokens, its inner words qualified by the phrase
(`QUALIFIER`), calibres and designations kept plain; a phrase is also found
written with synonyms of its words, or with a synonym phrase for one ("long-endurance
unmanned aerial vehicle" for "long-endurance UAV"); a synonym whose canonical form is itself a
label carries the label's tokens. `chinese_heads` indexes the Chinese labels by
the label they end in, for labels found with a few characters between.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from coprod.knowledge import (
    ANCESTOR_PREFIX,
    CJK_RUNS,
    CONCEPT_PREFIX,
    QUALIFIER,
    SYSTEM_PREFIX,
    Term,
    has_cjk,
    is_knowledge_token,
)
from coprod.rawtokens import CALIBRE_TOKEN, DESIGNATION_TOKEN, STOP_WORDS, raw_tokens, stem

# A label of up to this many words is also found with up to MAX_GAP other words
# inside it, in order ("catapult-launched fixed-wing reconnaissance drones" names
# "catapult-launched drone" and "fixed-wing drone").
MAX_GAPPED_WORDS = 4


def add_knowledge_terms(
    terms: Iterable[Term],
    words: dict[str, tuple[str, ...]],
    phrases: dict[tuple[str, ...], tuple[str, ...]],
    chinese: dict[str, tuple[str, ...]],
    gapped: dict[str, dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]],
) -> None:
    """Knowledge-base labels into the word, phrase, Chinese and gapped maps (see
    SynonymTable.build)."""
    spelled_out = _spelled_out(phrases)  # before labels join the synonym phrases
    phrase_tokens: dict[tuple[str, ...], list[str]] = {}
    kept_of: dict[tuple[str, ...], tuple[str, ...]] = {}
    word_tokens: dict[str, list[str]] = {}
    mixed_runs: list[tuple[str, tuple[str, ...]]] = []
    mixed_phrases: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for term in terms:
        if term.chinese:
            # folded as text is ("155公厘砲彈" -> "155mm 砲彈"), so a label meets its text
            key = "".join(raw_tokens(term.text))
            runs = CJK_RUNS.findall(key)
            if len(runs) == 1 and has_cjk(key):
                for form in chinese_variants(key):
                    chinese[form] = tuple(dict.fromkeys((*chinese.get(form, ()), *term.tokens)))
                continue
            words_here = raw_tokens(term.text)
            others = [run for run in runs if not has_cjk(run)]
            # mixed text ("PAC-3愛國者"): a CJK run of two or more characters is a label of
            # its own, once every pure label is known (see _proper_run); not when the
            # rest is a calibre ("155公厘砲彈": 砲彈 is any shell)
            if not all(CALIBRE_TOKEN.match(other) for other in others):
                for position, run in enumerate(runs):
                    if not has_cjk(run) or len(run) < 2:
                        continue
                    after = runs[position + 1] if position + 1 < len(runs) else ""
                    # "雄風2型": the run before a type number names the family, not this
                    # member: its kinds, no system
                    family = after.isdigit()
                    here = tuple(t for t in term.tokens if not family or t[:1] != SYSTEM_PREFIX)
                    mixed_runs.append((run, here))
            # "155公厘砲彈" is the words "155mm" "砲彈" in text: a phrase of them; "81迫砲彈"
            # is written "81公厘迫砲彈" too
            bare = _BARE_CALIBRE.fullmatch(key)
            if bare:
                words_here = (f"{bare.group(1)}mm", bare.group(2))
            if len(words_here) >= 2 and all(len(CJK_RUNS.findall(w)) == 1 for w in words_here):
                mixed_phrases.append((words_here, term.tokens))
            continue
        written = raw_tokens(term.text)
        raw = [token for token in written if token not in STOP_WORDS]
        key = tuple(map(stem, raw))
        if not key:
            continue
        if len(raw) == 1 < len(written) and not _kept_plain(raw[0]) and not raw[0].isdigit():
            # "City class", "HE-AT": without its stop word the label is an ordinary
            # word ("city", "he"), evidence for nothing; a designation ("AN/TPQ-53")
            # stays
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
    pure = frozenset(chinese)
    for run, tokens_here in mixed_runs:
        if _proper_run(run, pure):
            for form in chinese_variants(run):
                chinese[form] = tuple(dict.fromkeys((*chinese.get(form, ()), *tokens_here)))
    _add_head_concepts(chinese)
    for raw_word, tokens_here in word_tokens.items():
        stemmed = stem(raw_word)
        base = words.get(raw_word) or words.get(stemmed) or (stemmed,)
        base = tuple(token for token in base if not is_knowledge_token(token))
        canonical = tuple(dict.fromkeys((*base, *tokens_here)))
        words[raw_word] = canonical
        words.setdefault(stemmed, canonical)
    # A phrase written with synonyms of its words ("drone airframe" for "UAV airframe").
    variants: dict[tuple[str, ...], tuple[str, ...]] = {}
    single_forms: dict[str, str] = {}  # stemmed word -> _single_form, as keys repeat words
    for key in phrase_tokens:
        variant = tuple(
            single_forms.get(token) or single_forms.setdefault(token, _single_form(words, token))
            for token in key
        )
        if variant != key and variant not in phrase_tokens:
            variants[variant] = key
        for spelled in _with_spelled_out(variant, spelled_out):
            if spelled not in phrase_tokens:
                variants.setdefault(spelled, key)
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
    for words_here, tokens_here in mixed_phrases:
        plain = tuple(stem(w) for w in words_here if not has_cjk(w))
        last = words_here[-1]
        for form in chinese_variants(last) if has_cjk(last) else (last,):
            key = (*(stem(w) for w in words_here[:-1]), form)
            phrases[key] = tuple(dict.fromkeys((*phrases.get(key, plain), *tokens_here)))
    # A synonym's canonical form may be or hold labels ("medium altitude long endurance"
    # -> "male medium altitude long endurance uas", which holds the label
    # "medium-altitude long-endurance UAS"): the synonym carries their knowledge tokens.
    longest = max(map(len, phrase_tokens), default=0)
    for table in (words, phrases):
        for term, canonical in list(table.items()):
            if any(is_knowledge_token(token) or QUALIFIER in token for token in canonical):
                continue
            found = _labels_within(tuple(map(stem, canonical)), phrase_tokens, longest)
            if not found:
                for token in canonical:
                    found += word_tokens.get(token, ())
            if found:
                table[term] = tuple(dict.fromkeys((*canonical, *found)))


# The synonym phrases that read as some words: (those words, stemmed; the phrases).
SpelledOut = tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]


def _spelled_out(
    phrases: dict[tuple[str, ...], tuple[str, ...]],
) -> dict[str, list[SpelledOut]]:
    """The synonym phrases by the first (stemmed) word they read as: "uas" -> [(("uas",),
    "unmanned aerial vehicle", "remotely piloted aircraft", ...)]. A phrase holding what
    it reads as ("TOW 2B" -> "TOW") is a longer name, not a way to write the word."""
    by_canonical: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for term, canonical in phrases.items():
        if not canonical or any(map(is_knowledge_token, canonical)):
            continue
        stemmed = tuple(map(stem, canonical))
        if stemmed[0] in term:
            continue
        by_canonical.setdefault(stemmed, []).append(term)
    by_first: dict[str, list[SpelledOut]] = {}
    for canonical, terms in by_canonical.items():
        by_first.setdefault(canonical[0], []).append((canonical, tuple(sorted(terms))))
    return by_first


def _with_spelled_out(
    key: tuple[str, ...], spelled_out: dict[str, list[SpelledOut]]
) -> Iterator[tuple[str, ...]]:
    """`key` with one run of its words written as a synonym phrase that reads as them:
    "long-endurance UAV" is written "long-endurance unmanned aerial vehicle" too."""
    stems = tuple(map(stem, key))  # a single form is unstemmed ("manpads")
    for position, word in enumerate(stems):
        for canonical, terms in spelled_out.get(word, ()):
            end = position + len(canonical)
            if stems[position:end] != canonical:
                continue
            for term in terms:
                yield (*key[:position], *term, *key[end:])


def _labels_within(
    stems: tuple[str, ...], phrase_tokens: dict[tuple[str, ...], list[str]], longest: int
) -> list[str]:
    """Knowledge tokens of the multi-word labels found in `stems`, left to right, the
    longest label at each place first (as text is read)."""
    found: list[str] = []
    i = 0
    while i < len(stems):
        for length in range(min(longest, len(stems) - i), 1, -1):
            tokens_here = phrase_tokens.get(stems[i : i + length])
            if tokens_here:
                found += tokens_here
                i += length
                break
        else:
            i += 1
    return found


# Spellings Taiwanese text uses for the same word: variant characters (臺/台, 砲/炮),
# the mainland word Taiwanese press quotes (導彈 for 飛彈, 激光 for 雷射) and the
# ministry's long forms (無人飛行載具 for 無人機). A Chinese label is also found written
# with any of them, as an English phrase is found written with synonyms of its words.
CHINESE_VARIANTS: tuple[tuple[str, str], ...] = (
    ("臺", "台"),
    ("砲", "炮"),
    ("飛彈", "導彈"),
    ("雷射", "激光"),
    ("無人機", "無人飛行載具"),
    ("無人機", "無人航空器"),
    ("戰車", "坦克"),
    ("反裝甲", "反戰車"),
    ("定翼", "固定翼"),
    ("線", "綫"),
    ("衛", "衞"),
    ("群", "羣"),
    ("裡", "裏"),
)
# A label spelt every way is capped at this many forms (a few variant words in one label).
MAX_CHINESE_FORMS = 16


def chinese_variants(label: str) -> tuple[str, ...]:
    """`label` and its spellings with the CHINESE_VARIANTS words exchanged (each pair
    both ways), the label itself first."""
    forms = [label]
    for one, other in CHINESE_VARIANTS:
        for form in list(forms):
            if one not in form and other not in form:
                continue  # nothing to exchange (most labels, most pairs)
            for old, new in ((one, other), (other, one)):
                changed = _exchanged(form, old, new)
                if changed != form and changed not in forms and len(forms) < MAX_CHINESE_FORMS:
                    forms.append(changed)
    return tuple(forms)


def _exchanged(text: str, old: str, new: str) -> str:
    """`old` replaced by `new`, except where `old` is part of a `new` already there
    ("定翼" inside "固定翼" stays)."""
    if old not in text:
        return text
    if old not in new:
        return text.replace(old, new)
    pattern = re.compile(f"{re.escape(new)}|{re.escape(old)}")
    return pattern.sub(lambda match: new if match.group() == old else match.group(), text)


# A number written against a kind of round or gun ("81迫砲彈", "76快砲"): a calibre in
# millimetres, unless a type, year or count word follows ("12式", "2.75吋").
_BARE_CALIBRE = re.compile(
    r"(\d{2,3}(?:\.\d+)?)((?![型式號吋年代架枚發套輛艘])[\u3400-\u9fff]{2,})"
)


def _add_head_concepts(chinese: dict[str, tuple[str, ...]]) -> None:
    """A product's Chinese label that ends in another label also says what that one
    says: a product named with its kind ("海神反潛機", the P-8A as a maritime patrol
    aircraft) is found as that kind too, whatever its own row lists. Shorter labels go first, so a
    head's own head is carried along; what the label already says, directly or as a
    broader concept, is not repeated."""
    for label in sorted(chinese, key=len):
        if not any(token.startswith(SYSTEM_PREFIX) for token in chinese[label]):
            continue  # a concept's own labels say what its row says
        for start in range(1, len(label) - 1):
            head = chinese.get(label[start:])
            if head is None:
                continue
            own = chinese[label]
            said = {token[1:] for token in own if token[:1] in (CONCEPT_PREFIX, ANCESTOR_PREFIX)}
            extra = [
                token
                for token in head
                if token[:1] in (CONCEPT_PREFIX, ANCESTOR_PREFIX) and token[1:] not in said
            ]
            if extra:
                chinese[label] = (*own, *extra)
            break


def _proper_run(run: str, pure: frozenset[str]) -> bool:
    """A CJK run of a mixed label reads as the label's system or concept only when it
    is a name of its own ("愛國者" in "PAC-3愛國者"): a run that is itself a label, or
    ends in one ("型自走砲" in "K9型自走砲", "多用途預警雷達" in "AN/TPS-77多用途預警雷達"),
    says what kind of thing it is, and would give every 自走砲, 雷達 or 多用途 drone the
    tokens of one product."""
    return not any(run[start:] in pure for start in range(len(run) - 1))


@lru_cache(maxsize=65536)
def _kept_plain(word: str) -> bool:
    """Calibres and designations say the same inside a phrase as outside it (cached:
    the labels repeat their words)."""
    return bool(CALIBRE_TOKEN.match(word) or DESIGNATION_TOKEN.match(word))


def add_chinese_words(
    words_in_english: Iterable[tuple[str, tuple[str, ...]]],
    chinese: dict[str, tuple[str, ...]],
) -> None:
    """Chinese synonyms (`衛星,satellite`), each with the tokens its English reads as,
    into the Chinese map where no knowledge label has the same text: found inside
    Chinese text as labels are, so a Chinese requirement meets English lines beyond
    what the knowledge base names."""
    labels = set(chinese)
    for term, english in words_in_english:  # later rows win, as for every synonym
        key = "".join(raw_tokens(term))
        if not english or not has_cjk(key) or len(CJK_RUNS.findall(key)) != 1:
            continue
        for form in chinese_variants(key):
            if form not in labels:
                chinese[form] = english


def add_chinese_stop_words(stop_words: Iterable[str], chinese: dict[str, tuple[str, ...]]) -> None:
    """Chinese words of no evidence into the Chinese map as no tokens (see
    coprod.chinese.CHINESE_STOP_WORDS), where no label or word has the same text."""
    for word in stop_words:
        for form in chinese_variants(word):
            chinese.setdefault(form, ())


def add_short_names(chinese: dict[str, tuple[str, ...]]) -> None:
    """A product's name before a kind of thing in its Chinese labels (標槍飛彈: 標槍, a
    missile) is a label of the product alone too, as Taiwanese press writes it
    ("刺針、標槍等"), where it reads as a name: written before two kinds (標槍飛彈,
    標槍反甲飛彈; spellings of one kind are one), or `_proper_name`. A prefix of one
    label is as often a description ("新型", "先進"). Never a name of one character,
    one beginning `_DESCRIPTIVE_LEADS`, one the map already holds (a label, a Chinese
    word, a stop word), or one two products give (海神 is a patrol aircraft and a
    drone)."""
    kinds_of: dict[str, set[str]] = {}
    tokens_of: dict[str, tuple[str, ...]] = {}
    shared: set[str] = set()
    for label, label_tokens in list(chinese.items()):
        if not any(token.startswith(SYSTEM_PREFIX) for token in label_tokens):
            continue
        for split in range(2, len(label) - 1):
            kind = chinese.get(label[split:])
            if kind is None:
                continue
            if any(token.startswith(SYSTEM_PREFIX) for token in kind):
                break  # a product's name behind a word: not a kind of thing
            name = label[:split]
            if name in chinese:
                break
            before = tokens_of.setdefault(name, label_tokens)
            if _systems(before) != _systems(label_tokens):
                shared.add(name)
            # spellings of one kind (飛彈 / 導彈) are one kind
            kinds_of.setdefault(name, set()).add(min(chinese_variants(label[split:])))
            break
    others = [(label, _systems(label_tokens)) for label, label_tokens in chinese.items()]
    for name, kinds in kinds_of.items():
        if name in shared or name[0] in _DESCRIPTIVE_LEADS:
            continue
        if len(kinds) < 2 and not _proper_name(name, _systems(tokens_of[name]), chinese, others):
            continue
        chinese[name] = tokens_of[name]


# What a description of a product begins with, never its name: new, next, Taiwan's
# version of (新型, 新一代輕型, 次世代, 台版)
_DESCRIPTIVE_LEADS = frozenset("新次台臺")


def _proper_name(
    name: str,
    systems: set[str],
    chinese: dict[str, tuple[str, ...]],
    others: list[tuple[str, set[str]]],
) -> bool:
    """A name given by one label only is taken when it reads as a name: two or three
    characters, no Chinese word or label inside it (先進短程 holds 短程, 'short-range'),
    and no other product's or concept's label beginning with it (先進, 新一代, 聯合)."""
    if not 2 <= len(name) <= 3:
        return False
    if any(name[i : i + 2] in chinese for i in range(len(name) - 1)):
        return False
    return not any(label.startswith(name) and not systems & own for label, own in others)


def _systems(label_tokens: tuple[str, ...]) -> set[str]:
    return {token for token in label_tokens if token.startswith(SYSTEM_PREFIX)}


def _names_knowledge(label_tokens: tuple[str, ...]) -> bool:
    """An entry of the Chinese map that names a concept or system: every knowledge-base
    label, and a Chinese word whose English does ("熱像" read as "thermal imaging"), as
    a one-word English label's word does; not a plain word ("衛星", "satellite")."""
    return any(map(is_knowledge_token, label_tokens))


def chinese_heads(
    chinese: dict[str, tuple[str, ...]],
) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Each Chinese label that ends in another label of two or more characters (its
    head: "監偵無人機" ends in "無人機"), by that head, with what comes before it.
    An entry that names no concept or system is neither a label nor a head here."""
    heads: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for label, label_tokens in chinese.items():
        if not _names_knowledge(label_tokens):
            continue
        for split in range(2, len(label) - 1):
            head = label[split:]
            if head in chinese and _names_knowledge(chinese[head]):
                heads.setdefault(head, []).append((label[:split], label_tokens))
                break
    return {head: tuple(entries) for head, entries in heads.items()}


def _single_form(words: dict[str, tuple[str, ...]], stemmed: str) -> str:
    """The one plain token a word reads as ("drone" -> "uas"), else the word itself."""
    canonical = [token for token in words.get(stemmed, ()) if not is_knowledge_token(token)]
    return canonical[0] if len(canonical) == 1 else stemmed
