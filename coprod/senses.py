"""Words whose sense the knowledge tokens around them settle.

`coprod.text.canonical_tokens` reads a word as the knowledge base's labels say;
a few words name two unrelated things, and what else a text names tells which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coprod.knowledge import ANCESTOR_PREFIX, CONCEPT_PREFIX

if TYPE_CHECKING:
    from coprod.text import SynonymTable

# "Battery" beside a missile or a gun is the unit that fires it ("Patriot batteries",
# "land-based mobile batteries"), not a store of electricity, unless an electric word
# says so ("lithium-ion batteries for the launchers"). Only the word: 電池 is always
# electric. Only a missile or gun the text names as its product: "batteries for
# Patriot launchers" are batteries.
BATTERY = CONCEPT_PREFIX + "battery"
_BATTERY_WORD = "battery"
_FIRING_KINDS = frozenset(
    prefix + kind
    for prefix in (CONCEPT_PREFIX, ANCESTOR_PREFIX)
    for kind in (
        "missile",
        "air_defence_missile",
        "anti_ship_missile",
        "artillery_system",
        "rocket_artillery",
        "coastal_defence_missile_system",
    )
)
_ELECTRIC_WORDS = frozenset(
    [
        "lithium",
        "ion",
        "cell",
        "rechargeable",
        "charging",
        "charger",
        "voltage",
        "electric",
        "electrical",
        "pack",
    ]
)


def with_senses(found: tuple[str, ...], table: SynonymTable) -> tuple[str, ...]:
    """`found` (a text's tokens, what it serves marked) with each ambiguous word read in
    the sense the rest of the text gives it."""
    if BATTERY in found and _BATTERY_WORD in found:
        return _firing_battery(found, table)
    return found


def _firing_battery(found: tuple[str, ...], table: SynonymTable) -> tuple[str, ...]:
    """`found` without the electric battery and what only it implies, where the battery
    is a firing unit (see _FIRING_KINDS)."""
    if _FIRING_KINDS.isdisjoint(found) or not _ELECTRIC_WORDS.isdisjoint(found):
        return found
    kept = [token for token in found if token != BATTERY]
    implied = {
        ANCESTOR_PREFIX + ancestor
        for token in kept
        if token[:1] == CONCEPT_PREFIX
        for ancestor in (token[1:], *table.ancestors(token[1:]))
    }
    only_battery = {ANCESTOR_PREFIX + a for a in table.ancestors("battery")} - implied
    return tuple(token for token in kept if token not in only_battery)
