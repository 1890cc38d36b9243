"""What a text names as what its product serves, not as the product.

A capability line or requirement often says, after "for", "against",
"compatible with" and the like, what its product is for: "heavy multirotor with
a drop mechanism for mortar bombs" is a drone, "solid rocket motors for Javelin"
are motors; Chinese says it after 對付, 用於, 搭載 ("鋰電池，用於無人機" are batteries).
`coprod.text.tokens` reads the text's head (each clause up to its
first purpose word) apart from the whole, and marks the knowledge tokens only
the rest names with ACCESSORY_PREFIX (`with_accessories`); matching gives them a
share of their credit (coprod.queries.ACCESSORY_SHARE).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress

from coprod.knowledge import ACCESSORY_PREFIX, CONCEPT_PREFIX, KNOWLEDGE_PREFIXES

Tokens = tuple[str, ...]

# Words after which a text names what its product serves, not the product: "drop
# mechanism for mortar bombs", "solid rocket motors for Javelin", "interceptors
# against drones". What follows them, to the end of the clause, is context.
# (after a space or an opening bracket: with nothing before it there is no head to
# keep; a leading character class also lets the engine skip to candidate positions,
# where a word boundary makes it try every one)
_PURPOSE = re.compile(
    r"[\s(](?:for|against|compatible with|to equip|carrying|carried by|mounted on"
    r"|fitted (?:to|on)|installed (?:on|in)|integrated (?:on|into))\b",
    re.IGNORECASE,
)
# The same in Chinese, which has no spaces (against, used for, suited to, carrying,
# installed on), searched apart so that the English pattern keeps its fast scan. The
# context ends at 的 or 之 too: "用於無人機的鋰電池" are batteries, and in
# "戰機搭載的飛彈" the missile is what is carried.
_PURPOSE_ZH = re.compile("(?:對付|用於|適用於|搭載|安裝於)[^的之]*")
# A clause ends at a full stop before a new sentence (not after an initial, as in
# "U.S. Army", nor inside "12.7"), at other sentence marks, at a bracket (what is in
# brackets describes the product), and at a Chinese comma (Chinese strings clauses
# with it where English would start a sentence).
_CLAUSE_END = re.compile(
    r"[;!?()\u3002\uff1b\uff01\uff1f\uff08\uff09\uff0c]|(?<!\b[A-Z])\.(?=\s+[A-Z]|\s*$)"
)


def _has_purpose(text: str) -> bool:
    return _PURPOSE.search(text) is not None or (
        not text.isascii() and _PURPOSE_ZH.search(text) is not None
    )


def purpose_head(text: str) -> str | None:
    """`text` without what each clause names after its first purpose word ("for",
    "against", "compatible with", ...); None when no clause has one."""
    if not _has_purpose(text):
        return None
    return head_of(text)


def head_of(text: str) -> str:
    """`purpose_head` of a text known to hold a purpose word (`purpose_lines`)."""
    heads = []
    for clause in _CLAUSE_END.split(text):
        # spaced, as a clause may open with its purpose word ("(for Javelin)")
        found = _PURPOSE.search(" " + clause)
        head = clause[: max(found.start() - 1, 0)] if found else clause
        if not head.isascii():
            head = _PURPOSE_ZH.sub(" ", head)
        heads.append(head)
    return " ; ".join(heads)


_AGAINST = re.compile(r"[\s(]against\s+(.+)", re.IGNORECASE | re.DOTALL)


def against_targets(text: str) -> list[str]:
    """What the text's product is used against ("rockets, also used against drones":
    ["drones"]), each to its clause's end."""
    if "against" not in text.casefold():
        return []
    found = (_AGAINST.search(" " + clause) for clause in _CLAUSE_END.split(text))
    return [match.group(1) for match in found if match]


def purpose_lines(texts: Sequence[str]) -> list[int]:
    """Indices of the texts `purpose_head` would cut (a search per text in one
    built-in map: faster than one pass over them joined and a bisect per match)."""
    return list(compress(range(len(texts)), map(_has_purpose, texts)))


_KNOWLEDGE_MARKS = frozenset(KNOWLEDGE_PREFIXES)


def with_accessories(found: Tokens, head: Tokens) -> Tokens:
    """`found` with each knowledge token the text's head lacks marked as an accessory
    (ACCESSORY_PREFIX): named only as what the product serves. Unchanged when the head
    names no concept of its own, as then the words after "for" are all there is to
    say what it is ("systems for counter-drone defence")."""
    # a mark is never inside a plain word (step 3 leaves none), so one search of the
    # joined tokens answers "any concept token?" without a call per token
    if CONCEPT_PREFIX not in " ".join(head):
        return found
    in_head = set(head)
    marked = [
        ACCESSORY_PREFIX + token
        if token[:1] in _KNOWLEDGE_MARKS and token not in in_head
        else token
        for token in found
    ]
    return tuple(marked) if marked != list(found) else found
