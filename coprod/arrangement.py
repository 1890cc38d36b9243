"""How a requirement's ranking is shown: the one rule the TUI and `coprod rank` both
follow (`arrange`), what to ask the ranker for so that it can (`ranking_request`),
and the line that says why the blocked group is blocked (`blocked_summary`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from coprod.model import Match, Pairing

if TYPE_CHECKING:
    from coprod.ranking import RankOptions


def shown_order_key(pairing: Pairing) -> tuple[bool, float, str, str]:
    """Feasible before blocked, then by score, then by partner ids (stable output)."""
    return (
        pairing.feasibility == "blocked",
        -pairing.score,
        pairing.foreign.partner_id if pairing.foreign else "",
        pairing.local.partner_id if pairing.local else "",
    )


def with_rank(pairing: Pairing, rank: int) -> Pairing:
    return replace(pairing, rank=rank)


# Co-producers the ranker offers per foreign partner when rows are one per partner: the
# best is the row's, the others are listed in the detail.
CO_PRODUCERS_LISTED = 3


@dataclass(frozen=True)
class Arranged:
    """A requirement's pairings as shown: the feasible ones first, by score, then a
    separate group of blocked alternatives (ranks run on across both)."""

    pairings: tuple[Pairing, ...]
    blocked_from: int  # index of the first blocked pairing (len(pairings) when none)
    # Per pairing: its foreign partner's other Taiwanese co-producers, best first
    # (empty when rows are one per co-producer, or for a local-only row).
    others: tuple[tuple[Match, ...], ...]
    more: bool  # more feasible pairings exist than are shown

    @property
    def feasible(self) -> tuple[Pairing, ...]:
        return self.pairings[: self.blocked_from]

    @property
    def blocked(self) -> tuple[Pairing, ...]:
        return self.pairings[self.blocked_from :]


def ranking_request(options: RankOptions, per_co_producer: bool = False) -> RankOptions:
    """What to ask the ranker for so that `arrange` can show `options.top` feasible
    pairings, the blocked ones that outscore them, and (one row per partner) each
    partner's other co-producers; one more than shown says whether more exist."""
    if per_co_producer:
        return replace(options, top=2 * options.top + 1)
    listed = max(options.per_partner, CO_PRODUCERS_LISTED)
    return replace(
        options,
        top=(listed + 1) * options.top + 1,
        per_partner=listed,
        locals_per_foreign=max(options.locals_per_foreign, listed),
    )


def _partner_key(pairing: Pairing) -> tuple[str, str]:
    if pairing.foreign is not None:
        return ("foreign", pairing.foreign.partner_id)
    return ("local", pairing.local.partner_id if pairing.local else "")


def arrange(pairings: Sequence[Pairing], top: int, per_co_producer: bool = False) -> Arranged:
    """The one rule for what a ranking shows, in which order.

    One row per foreign partner (its best co-producer; the others in `others`)
    unless `per_co_producer`. The `top` best feasible rows, by score; then the
    blocked rows that outscore the last feasible one shown (all of them while
    fewer than `top` are feasible), at most half as many as `top` unless nothing
    else fills the list: a blocked best match is in plain sight with its reason,
    never buried under weaker rows nor crowding out the feasible ones.
    """
    rows: list[Pairing] = []
    others: dict[tuple[str, str], list[Match]] = {}
    for pairing in sorted(pairings, key=shown_order_key):
        key = _partner_key(pairing)
        if per_co_producer or key[0] == "local":
            rows.append(pairing)
        elif key in others:
            if pairing.local is not None:
                others[key].append(pairing.local)
        else:
            others[key] = []
            rows.append(pairing)
    feasible = [p for p in rows if p.feasibility != "blocked"]
    blocked = [p for p in rows if p.feasibility == "blocked"]
    shown = feasible[: max(top, 0)]
    floor = shown[-1].score if len(shown) >= top and shown else -1.0
    room = max(top - len(shown), (top + 1) // 2)
    alternatives = [p for p in blocked if p.score > floor][:room]
    ordered = [with_rank(p, rank) for rank, p in enumerate([*shown, *alternatives], start=1)]
    listed = tuple(
        ()
        if per_co_producer or _partner_key(p)[0] == "local"
        else tuple(others.get(_partner_key(p), ()))
        for p in ordered
    )
    return Arranged(tuple(ordered), len(shown), listed, len(feasible) > len(shown))


def blocked_summary(pairings: Sequence[Pairing]) -> str:
    """One line saying why the blocked group is blocked: who blocks, and for what."""
    reasons: dict[str, str] = {}
    for pairing in pairings:
        for step in pairing.consent_chain:
            if step.blocks and step.country not in reasons:
                reasons[step.country] = step.reason
    if not reasons:
        return "blocked / needs consent"
    parts = [f"{country} ({reason})" if reason else country for country, reason in reasons.items()]
    return "blocked / needs consent: " + "; ".join(parts) + " will not consent"
