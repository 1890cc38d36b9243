"""Knowledge-base labels compiled into the synonym table's maps.

`add_knowledge_terms` reads the labels of coprod.knowledge (`knowledge_terms`)
into the word, phrase, Chinese and gapped maps that `coprod.text.SynonymTable`
matches on: a one-word label adds its knowledge tokens to the word's own; a longer
one reads as its knowledge tokens, its inner words qualified by the phrase
(`QUALIFIER`), calibres and designations kept plain; a phrase is also found
written with synonyms of its words; a synonym whose canonical form is itself a
label carries the label's tokens. `chinese_heads` indexes the Chinese labels by
the label they end in, for labels found with a few characters between.
"""

from __future__ import annotations

from collections.abc import Iterable

from coprod.knowledge import CJK_RUNS, QUALIFIER, Term, has_cjk, is_knowledge_token
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
    phrase_tokens: dict[tuple[str, ...], list[str]] = {}
    kept_of: dict[tuple[str, ...], tuple[str, ...]] = {}
    word_tokens: dict[str, list[str]] = {}
    for term in terms:
        if term.chinese:
            key = term.text.replace(" ", "")
            if has_cjk(key) and CJK_RUNS.fullmatch(key) and len(CJK_RUNS.findall(key)) == 1:
                chinese.setdefault(key, ())
                chinese[key] = tuple(dict.fromkeys((*chinese[key], *term.tokens)))
                continue
            # mixed text ("M109A7自走砲"): each CJK run is a label of its own, if long enough
            for run in CJK_RUNS.findall(key):
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


def chinese_heads(
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


def _single_form(words: dict[str, tuple[str, ...]], stemmed: str) -> str:
    """The one plain token a word reads as ("drone" -> "uas"), else the word itself."""
    canonical = [token for token in words.get(stemmed, ()) if not is_knowledge_token(token)]
    return canonical[0] if len(canonical) == 1 else stemmed
