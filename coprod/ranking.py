"""Rank co-production pairings for requirements: who supplies, who co-produces, can it happen.

A pairing is a foreign partner's best capability line for the requirement
plus a Taiwanese co-producer's best line (or none, when no Taiwanese firm
fits), or a local-only candidate (Taiwanese industry alone). Its score,
0..100, is a sum of named components:

    supplier fit components x 0.75   text_fit, idf_coverage, category, system, calibre
                                     (see coprod.matching; the supplier is the foreign
                                     partner, or the local firm of a local-only candidate)
    local_fit  = 0.25 x fit of the Taiwanese co-producer's line (0 when none fits;
                 a local-only candidate is its own co-producer)
    feasibility gate = 0 when ok; -2.5 per government whose consent is needed (at
                 most -10) when consent_required; -30 (never below a score of 0)
                 when blocked

So a local-only candidate scores its own fit; a foreign partner with a
perfect line and a perfect local partner scores 100. Blocked pairings
never rank above feasible ones whatever their score (sort key: not
blocked first, then score, then partner ids).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coprod import LOCAL_COUNTRY
from coprod.feasibility import Verdict, assess
from coprod.matching import COMPONENTS, CapabilityIndex, Fits, Query
from coprod.model import Catalog, Match, Pairing, Requirement
from coprod.text import synonym_table

SUPPLIER_SHARE = 0.75
LOCAL_SHARE = 0.25
LOCAL_MIN_FIT = 35.0  # a Taiwanese line below this fit is not offered as co-producer
CONSENT_PENALTY = 2.5
CONSENT_PENALTY_MAX = 10.0
BLOCKED_PENALTY = 30.0
PAIRING_COMPONENTS: tuple[str, ...] = (*COMPONENTS, "local_fit", "feasibility")
ADHOC_REQUIREMENT_ID = "query"
BATCH_SIZE = 256  # requirements per batched rapidfuzz call in rank_many


@dataclass(frozen=True)
class RankOptions:
    top: int = 10  # pairings per requirement
    per_partner: int = 2  # max pairings sharing one foreign partner (and one local-only partner)
    locals_per_foreign: int = 3  # best local co-producers offered per foreign partner
    countries: tuple[str, ...] = ()  # keep only foreign partners from these countries
    exclude_countries: tuple[str, ...] = ()
    category: str | None = None  # keep only requirements of this category
    min_score: float = 0.0
    exclude_blocked: bool = False


def adhoc_requirement(text: str, category: str = "") -> Requirement:
    """A requirement typed by a user (TUI search box, `coprod rank --query`)."""
    return Requirement(
        requirement_id=ADHOC_REQUIREMENT_ID,
        title=text,
        description="",
        category=category,
        quantity=None,
        unit="",
        priority="medium",
    )


@dataclass(frozen=True)
class _Best:
    """A partner's best capability row for one requirement."""

    partner_index: int
    position: int  # index into the Fits arrays
    fit: float


class Ranker:
    """Builds the matching index for a catalog once; ranks any number of requirements.

    Internals a benchmark or the TUI may use (all documented on
    `CapabilityIndex`): `ranker.index` (texts, IDF, inverted index),
    `ranker.query(requirement)`, `ranker.candidates(requirement)` (text ids
    and their weighted token overlap, before fuzzy scoring),
    `ranker.text_scores(requirement, text_ids)` (the text-level fit, usable
    exhaustively over `range(len(ranker.index.texts))` as a reference) and
    `ranker.fits(requirement)` (fit of every candidate capability row).
    """

    def __init__(self, catalog: Catalog, **index_options: int) -> None:
        self.catalog = catalog
        self.table = synonym_table(catalog.synonyms)
        self.index = CapabilityIndex(catalog, self.table, **index_options)
        self.partner_ids: list[str] = list(catalog.partners)
        position = {partner_id: i for i, partner_id in enumerate(self.partner_ids)}
        self.partner_of_capability = np.asarray(
            [position.get(cap.partner_id, -1) for cap in catalog.capabilities], dtype=np.int32
        )
        self.partner_is_local = np.asarray(
            [catalog.partners[p].is_local for p in self.partner_ids], dtype=bool
        )
        self._verdicts: dict[tuple[int, str], Verdict] = {}
        self._codeveloped_in_text: dict[int, str] = {}
        self._codeveloped_systems = [
            (name, self.index.system_token_sets[self.index.system_id(name)])
            for name in catalog.codevelopers
            if self.index.system_id(name) >= 0
        ]

    # ------------------------------------------------------------- internals

    def query(self, requirement: Requirement) -> Query:
        return self.index.query(requirement)

    def candidates(self, requirement: Requirement) -> tuple[np.ndarray, np.ndarray]:
        """Candidate text ids for a requirement and their IDF-weighted token overlap."""
        return self.index.candidates(self.index.query(requirement))

    def text_scores(self, requirement: Requirement, text_ids: np.ndarray) -> np.ndarray:
        """Text-level fit (0..100 before category/system points) of `text_ids`."""
        query = self.index.query(requirement)
        points = self.index.score_texts(query, np.asarray(text_ids, dtype=np.int32))
        return points["text_fit"] + points["idf_coverage"] + points["calibre"]

    def fits(self, requirement: Requirement) -> Fits:
        """Fit of every candidate capability row for one requirement."""
        query = self.index.query(requirement)
        text_ids, _ = self.index.candidates(query)
        return self.index.score(query, text_ids)

    # --------------------------------------------------------------- ranking

    def rank(self, requirement: Requirement, options: RankOptions = RankOptions()) -> list[Pairing]:
        """The ranked pairings for one requirement (empty when filtered out by category)."""
        return self.rank_many([requirement], options).get(requirement.requirement_id, [])

    def rank_many(
        self, requirements: Sequence[Requirement], options: RankOptions = RankOptions()
    ) -> dict[str, list[Pairing]]:
        """Rank many requirements, one rapidfuzz call per batch; same results as rank()."""
        wanted = [r for r in requirements if _category_wanted(r, options.category)]
        results: dict[str, list[Pairing]] = {}
        for start in range(0, len(wanted), BATCH_SIZE):
            batch = wanted[start : start + BATCH_SIZE]
            queries = [self.index.query(requirement) for requirement in batch]
            candidate_ids = [self.index.candidates(query)[0] for query in queries]
            query_texts = [
                q.text
                for q, ids in zip(queries, candidate_ids, strict=True)
                for _ in range(len(ids))
            ]
            all_ids = (
                np.concatenate(candidate_ids) if candidate_ids else np.empty(0, dtype=np.int32)
            )
            fuzzy = self.index.fuzzy_scores(query_texts, all_ids)
            offset = 0
            for requirement, query, ids in zip(batch, queries, candidate_ids, strict=True):
                fits = self.index.score(query, ids, fuzzy[offset : offset + len(ids)])
                offset += len(ids)
                results[requirement.requirement_id] = self._assemble(requirement, fits, options)
        return results

    def _assemble(
        self, requirement: Requirement, fits: Fits, options: RankOptions
    ) -> list[Pairing]:
        foreign, local = self._best_per_partner(fits)
        co_producers = [best for best in local if best.fit >= LOCAL_MIN_FIT]
        offered = max(0, min(options.locals_per_foreign, options.per_partner))
        offered_locals = co_producers[:offered]
        best_local_fit = co_producers[0].fit if co_producers else 0.0
        wanted_countries = {c.casefold() for c in options.countries}
        excluded_countries = {c.casefold() for c in options.exclude_countries}

        def country_kept(country: str) -> bool:
            key = country.casefold()
            if wanted_countries and key not in wanted_countries:
                return False
            return key not in excluded_countries

        candidates: list[Pairing] = []

        def kept(pairing: Pairing) -> bool:
            if options.exclude_blocked and pairing.feasibility == "blocked":
                return False
            return pairing.score >= options.min_score

        if country_kept(LOCAL_COUNTRY):
            for best in local:
                pairing = self._pairing(requirement, fits, supplier=best, local=best, alone=True)
                if kept(pairing):
                    candidates.append(pairing)

        # Min-heap of the best `top` feasible scores so far: once a foreign partner's best
        # possible score is below the worst of them, no later partner can enter the top.
        best_feasible: list[float] = []

        def note_feasible(pairing: Pairing) -> None:
            if pairing.feasibility == "blocked" or options.top <= 0:
                return
            if len(best_feasible) < options.top:
                heapq.heappush(best_feasible, pairing.score)
            else:
                heapq.heappushpop(best_feasible, pairing.score)

        for pairing in candidates:
            note_feasible(pairing)
        for best in foreign:
            bound = SUPPLIER_SHARE * best.fit + LOCAL_SHARE * best_local_fit
            if len(best_feasible) >= options.top and bound < best_feasible[0]:
                break
            partner = self.catalog.partners[self.partner_ids[best.partner_index]]
            if not country_kept(partner.country):
                continue
            partner_locals: list[_Best | None] = list(offered_locals) or [None]
            for co_producer in partner_locals[: max(1, options.per_partner)]:
                pairing = self._pairing(requirement, fits, supplier=best, local=co_producer)
                if kept(pairing):
                    candidates.append(pairing)
                    note_feasible(pairing)

        candidates.sort(key=_sort_key)
        ranked: list[Pairing] = []
        for pairing in candidates[: max(0, options.top)]:
            ranked.append(_with_rank(pairing, len(ranked) + 1))
        return ranked

    def _best_per_partner(self, fits: Fits) -> tuple[list[_Best], list[_Best]]:
        """Each partner's best row, best first; split into foreign and local partners."""
        if not len(fits.capability_ids):
            return [], []
        partner = self.partner_of_capability[fits.capability_ids]
        order = np.lexsort((fits.capability_ids, -np.round(fits.fit, 6), partner))
        order = order[partner[order] >= 0]
        sorted_partner = partner[order]
        first = np.flatnonzero(np.r_[True, sorted_partner[1:] != sorted_partner[:-1]])
        positions = order[first]
        best_partner = partner[positions]
        best_fit = np.round(fits.fit[positions], 6)
        by_fit = np.lexsort((best_partner, -best_fit))
        foreign: list[_Best] = []
        local: list[_Best] = []
        for i in by_fit.tolist():
            best = _Best(int(best_partner[i]), int(positions[i]), float(best_fit[i]))
            (local if self.partner_is_local[best.partner_index] else foreign).append(best)
        return foreign, local

    def _pairing(
        self,
        requirement: Requirement,
        fits: Fits,
        *,
        supplier: _Best,
        local: _Best | None,
        alone: bool = False,
    ) -> Pairing:
        verdict = self._verdict(supplier.partner_index, int(fits.capability_ids[supplier.position]))
        components = {
            name: SUPPLIER_SHARE * float(fits.components[name][supplier.position])
            for name in COMPONENTS
        }
        components["local_fit"] = LOCAL_SHARE * local.fit if local is not None else 0.0
        base = sum(components.values())
        if verdict.feasibility == "blocked":
            gate = -min(BLOCKED_PENALTY, max(base, 0.0))
        elif verdict.feasibility == "consent_required":
            gate = -min(CONSENT_PENALTY_MAX, CONSENT_PENALTY * len(verdict.chain))
            gate = max(gate, -max(base, 0.0))
        else:
            gate = 0.0
        components["feasibility"] = gate
        components = {name: round(value, 2) for name, value in components.items()}
        score = round(min(100.0, max(0.0, sum(components.values()))), 2)
        supplier_match = self._match(fits, supplier)
        local_match = self._match(fits, local) if local is not None else None
        return Pairing(
            requirement_id=requirement.requirement_id,
            rank=0,
            score=score,
            feasibility=verdict.feasibility,
            foreign=None if alone else supplier_match,
            local=supplier_match if alone else local_match,
            components=components,
            consent_chain=verdict.chain,
        )

    def _match(self, fits: Fits, best: _Best) -> Match:
        row = int(fits.capability_ids[best.position])
        capability = self.catalog.capabilities[row]
        partner = self.catalog.partners[self.partner_ids[best.partner_index]]
        return Match(
            partner_id=partner.partner_id,
            partner_name=partner.name,
            country=partner.country,
            capability_id=capability.capability_id,
            capability=capability.capability,
            category=capability.category,
            system=capability.system,
            fit=round(best.fit, 2),
            matched_tokens=self.index.matched_tokens(fits.query, int(fits.text_ids[best.position])),
        )

    def _verdict(self, partner_index: int, row: int) -> Verdict:
        system = self.named_system(row)
        key = (partner_index, system.casefold())
        verdict = self._verdicts.get(key)
        if verdict is None:
            partner = self.catalog.partners[self.partner_ids[partner_index]]
            verdict = self._verdicts[key] = assess(self.catalog, partner, system)
        return verdict

    def named_system(self, row: int) -> str:
        """The capability's system, or a co-developed system its text names (for feasibility)."""
        capability = self.catalog.capabilities[row]
        if capability.system.strip():
            return capability.system.strip()
        text_id = int(self.index.text_of_capability[row])
        found = self._codeveloped_in_text.get(text_id)
        if found is None:
            present = set(self.index.text_tokens[text_id])
            found = next((name for name, key in self._codeveloped_systems if key <= present), "")
            self._codeveloped_in_text[text_id] = found
        return found


def _category_wanted(requirement: Requirement, category: str | None) -> bool:
    if not category:
        return True
    from coprod.matching import category_key

    return category_key(requirement.category) == category_key(category)


def _sort_key(pairing: Pairing) -> tuple[bool, float, str, str]:
    return (
        pairing.feasibility == "blocked",
        -pairing.score,
        pairing.foreign.partner_id if pairing.foreign else "",
        pairing.local.partner_id if pairing.local else "",
    )


def _with_rank(pairing: Pairing, rank: int) -> Pairing:
    from dataclasses import replace

    return replace(pairing, rank=rank)
