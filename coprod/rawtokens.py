"""Text to raw word tokens: the steps of normalisation that need no synonym table.

Steps 1-3 of coprod.text's pipeline (Unicode folding; numbers, units, calibres and
designations made whole; punctuation to spaces) and the two word-level rules of
step 4 that every later step shares: the stop words and the plural fold (`stem`).
The token shapes these steps produce (`CALIBRE_TOKEN`, `DESIGNATION_TOKEN`) are
defined here too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from itertools import compress, repeat
from operator import contains, not_, or_
from typing import Any

_STOP_WORDS_TEXT = """
a about able across after against all also an and any are as at be been being both by can
class
could each either etc for from has have in including into is it its more most must need
needed needs new of on one or other our over per should some such than that the their them
these they this those through to under up upon use used using via was we were what when
where which while who will with within without would
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())

_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_TIMES = re.compile(r"[\u00d7\u2715\u2716]")
# Patterns that open with a literal or a character class are found by a fast scan for
# it; a leading lookbehind would make the engine try every position of a 500,000-line
# text. So the number patterns below match a number's first digit before looking behind
# it: "\d(?<![a-z]\d)" is "(?<![a-z])\d".
_DECIMAL_COMMA = re.compile(r",(?<=\d,)(?=\d{1,2}(?!\d))")
# A cartridge has a case length of 17 mm or more, which keeps "4x4" and "8x8" vehicles out.
_CARTRIDGE = re.compile(
    r"(\d(?<![\w.]\d)\d{0,2}(?:\.\d{1,3})?)\s*x\s*(1[7-9]|[2-9]\d|[1-9]\d\d)(?:\s*-?\s*mm\b)?"
)
_UNIT = re.compile(
    r"(\d(?<![a-z0-9_.]\d)\d*(?:\.\d+)?)\s*-?\s*(mm|millimet(?:er|re)s?|km|kg|公厘|毫米|公里|公斤)"
    r"(?![a-z0-9])"
)
_UNIT_CANONICAL = {"km": "km", "kg": "kg", "公里": "km", "公斤": "kg"}
# "5.56及7.62公厘": the unit after the last number belongs to each of them
_CJK_COORDINATED = re.compile(r"(\d+(?:\.\d+)?)\s*[及和與、/]\s*(?=\d+(?:\.\d+)?\s*(?:公厘|毫米))")
# "5.56, 7.62 and 12.7 mm", "120/105 mm", "81 and 120 mm": the same for a list in
# English; numbers only of a calibre's size, so "2022 and 155 mm" keeps its year (and
# "1,000" is one number: a comma lists only with a space after it)
_LIST_SEPARATOR = r"\s*(?:,\s+(?:and\s+|or\s+)?|/|&|and\s+|or\s+)\s*"
_COORDINATED = re.compile(
    rf"(\d(?<![a-z0-9_.]\d)(?<!\d,\d)\d{{0,2}}(?:\.\d{{1,3}})?)(?=(?:{_LIST_SEPARATOR}\d{{1,3}}(?:\.\d{{1,3}})?)+"
    r"\s*-?\s*(?:mm|millimet(?:er|re)s?)(?![a-z0-9]))"
)
# "5.56 NATO", "7.62 NATO": a NATO cartridge named by its calibre alone is that calibre
# (a decimal calibre only: "12 NATO members" is a count)
_NATO_CALIBRE = re.compile(r"(\d(?<![a-z0-9_.]\d)\d?\.\d{1,2})\s*-?\s*(?=nato(?![a-z0-9]))")
# A designation ends where Latin letters and digits do: Chinese may follow it directly
# ("AH-64E阿帕契", "MQ-9B無人機"), and a word boundary is no boundary there (CJK is \w).
_LATIN_WORD = r"a-z0-9_\u00c0-\u024f"
_DESIGNATION_HYPHEN = re.compile(
    rf"(?<![{_LATIN_WORD}])([a-z]{{1,4}})\s*-\s*(\d{{1,4}}[a-z0-9]*)(?![{_LATIN_WORD}])"
)
_DIGIT = re.compile(r"\d")
# Joins lines for raw_tokens_many: not a word character, not whitespace, not a dot, so
# every rule treats it like the start or end of a line.
_SEPARATOR = "\x00"
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
    # spaced, as Chinese writes a calibre against the words either side of it
    # ("採購155公厘砲彈", "155mm砲彈")
    return f" {number}{_UNIT_CANONICAL.get(unit, 'mm')} "


def _cartridge(match: re.Match[str]) -> str:
    calibre, case_length = match.group(1), match.group(2)
    return f" {calibre}mm {calibre}x{case_length}mm "


def _fold(text: str) -> str:
    """Steps 1-2 on one line, or on many joined by _SEPARATOR (no rule crosses it)."""
    folded = _folded_letters(text)
    # The number rules cost most of the time: each runs only when it could match.
    if _DIGIT.search(folded):
        for triggers, rule, replacement in _NUMBER_RULES:
            if not triggers or any(trigger in folded for trigger in triggers):
                folded = rule.sub(replacement, folded)
    return folded


def _folded_letters(text: str) -> str:
    """Step 1: Unicode folding and casefolding."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _DASHES.sub("-", folded)
    folded = _TIMES.sub("x", folded)
    if "公厘" in folded or "毫米" in folded:
        folded = _CJK_COORDINATED.sub(r"\1公厘 ", folded)
    return folded


# Step 2's rules in order, each with the words one of which a text must hold for the
# rule to match there (none: any text with a digit).
_NUMBER_RULES: tuple[tuple[tuple[str, ...], re.Pattern[str], Any], ...] = (
    ((",",), _DECIMAL_COMMA, "."),
    (("x",), _CARTRIDGE, _cartridge),
    (("nato",), _NATO_CALIBRE, r"\1mm "),
    (("mm", "millimet"), _COORDINATED, r"\1mm"),
    ((), _UNIT, _units),
    (("-",), _DESIGNATION_HYPHEN, r"\1\2"),
)


def _fold_lines(texts: Sequence[str]) -> list[str]:
    """`[_fold(t) for t in texts]`: step 1 over all the lines joined, and each number
    rule over the lines that hold one of its words, joined (a rule's pass costs by the
    characters it scans, and most rules apply to few lines)."""
    folded = _folded_letters(_SEPARATOR.join(texts))
    lines = folded.split(_SEPARATOR)
    if not _DIGIT.search(folded):
        return lines
    for triggers, rule, replacement in _NUMBER_RULES:
        chosen = _lines_holding(lines, triggers)
        if not chosen:
            continue
        if len(chosen) == len(lines):
            lines = rule.sub(replacement, _SEPARATOR.join(lines)).split(_SEPARATOR)
            continue
        joined = _SEPARATOR.join(map(lines.__getitem__, chosen))
        for i, line in zip(chosen, rule.sub(replacement, joined).split(_SEPARATOR), strict=True):
            lines[i] = line
    return lines


def _lines_holding(lines: list[str], words: tuple[str, ...]) -> Sequence[int]:
    """Indices of the lines holding one of `words` (all lines for no words)."""
    if not words:
        return range(len(lines))
    holds = map(contains, lines, repeat(words[0]))
    for word in words[1:]:
        holds = map(or_, holds, map(contains, lines, repeat(word)))
    return list(compress(range(len(lines)), holds))


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
    with_digit = list(map(bool, map(_DIGIT.search, texts)))
    digit_count = sum(with_digit)
    if digit_count == len(texts) or not digit_count:
        return _raw_tokens_joined(texts)
    plain = iter(_raw_tokens_joined(list(compress(texts, map(not_, with_digit)))))
    numbered = iter(_raw_tokens_joined(list(compress(texts, with_digit))))
    return [next(numbered) if digit else next(plain) for digit in with_digit]


def _raw_tokens_joined(texts: Sequence[str]) -> list[tuple[str, ...]]:
    spaced = _spaced(_SEPARATOR.join(_fold_lines(texts)))
    return list(map(tuple, map(str.split, spaced.split(_SEPARATOR))))


# Plurals in -oes whose singular keeps the e (shoes, not "sho"); whole words, as
# "echoes" and "vetoes" end like "hoes" and "toes".
_OE_WORDS = frozenset(
    ("shoes", "canoes", "oboes", "floes", "aloes", "toes", "hoes", "foes", "sloes", "woes")
)


@lru_cache(maxsize=262144)
def stem(token: str) -> str:
    """Fold an English plural to its singular; leaves numbers, codes and short words alone."""
    if len(token) < 4 or not token.isalpha():
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("ches", "shes", "sses", "xes")):
        return token[:-2]
    if token.endswith("oes") and token not in _OE_WORDS and not token.endswith("shoes"):
        return token[:-2]  # torpedoes, heroes
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token
