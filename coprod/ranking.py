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
                 most -7.5) when consent_required; -10 when blocked (never below 0)

So a local-only candidate scores its own fit; a foreign partner with a
perfect line and a perfect local partner scores 100.

Which pairings are listed: the `top` best by score after the filters (at
most `per_partner` per foreign partner, each with its best
`locals_per_foreign` Taiwanese co-producers), where blocked pairings take at
most half the list while feasible ones remain. How they are ordered: not
blocked first, then score, then partner ids. So a blocked best match (RTX's
Excalibur, blocked by Sweden) is shown with who blocks it and why, below
every feasible alternative, and never crowds them all out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import numpy as np

from coprod import LOCAL_COUNTRY, indexcache
from coprod.arrangement import shown_order_key, with_rank
from coprod.feasibility import (
    NEEDS_CONSENT,
    UNKNOWN_POSTURE,
    SystemParties,
    Verdict,
    assess,
    system_parties,
)
from coprod.knowledge import KnownSystem, named_system_ids
from coprod.matching import (
    COMPONENTS,
    CapabilityIndex,
    Fits,
    LineMarks,
    Query,
    line_marks,
    notes_from_marks,
    sorted_tokens,
)
from coprod.model import CapabilityColumns, Catalog, Match, Pairing, Requirement
from coprod.text import SynonymTable, shipped_synonyms_digest, synonym_table

SUPPLIER_SHARE = 0.75
LOCAL_SHARE = 0.25
LOCAL_MIN_FIT = 35.0  # a Taiwanese line below this fit is not offered as co-producer
CONSENT_PENALTY = 2.5
CONSENT_PENALTY_MAX = 7.5
BLOCKED_PENALTY = 10.0
PAIRING_COMPONENTS: tuple[str, ...] = (*COMPONENTS, "local_fit", "feasibility")
ADHOC_REQUIREMENT_ID = "query"
BATCH_SIZE = 256  # requirements per batched rapidfuzz call in rank_many
MAX_CACHED_LINE_MARKS = 200_000  # texts whose concept marks a ranker keeps (a few MB)
BLOCKED = 2
FEASIBILITY_CODES = {"ok": 0, "consent_required": 1, "blocked": BLOCKED}
# The ranker's own derived arrays saved in the sidecar with the index (not rebuilt per load).
_RANKER_ARRAYS: dict[str, type] = {
    "partner_of_capability": np.int32,
    "partner_is_local": np.bool_,
    "partner_order": np.int64,
    "country_of_partner": np.int64,
    "row_codeveloped": np.bool_,
}

# The synonym table's string lists in the sidecar (SynonymTable.state), under this prefix.
_TABLE_PREFIX = "ranker.table."


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
class TokenExplanation:
    """The words behind a fit, all normalised (synonyms applied, "155 mm" -> "155mm")."""

    requirement: tuple[str, ...]  # title first, then description-only words
    capability: tuple[str, ...]
    matched: tuple[str, ...]  # requirement words the capability line has
    missing: tuple[str, ...]  # requirement words it lacks


@dataclass(frozen=True)
class _RowConsent:
    """What feasibility reads from a capability row: the same rows come back for many
    partners and requirements."""

    system: str  # its system, or a co-developed system its text names
    known: tuple[KnownSystem, ...]  # knowledge-base systems it names
    key: tuple[str, tuple[str, ...]]  # the two above (system name, knowledge ids)


@dataclass
class _Bests:
    """Partners' best capability rows for one requirement (parallel arrays)."""

    partner: np.ndarray  # partner index
    position: np.ndarray  # index into the Fits arrays
    fit: np.ndarray

    def where(self, mask: np.ndarray) -> _Bests:
        return _Bests(self.partner[mask], self.position[mask], self.fit[mask])

    def take(self, index: np.ndarray) -> _Bests:
        return _Bests(self.partner[index], self.position[index], self.fit[index])

    def head(self, count: int) -> _Bests:
        return _Bests(self.partner[:count], self.position[:count], self.fit[:count])

    @staticmethod
    def concat(parts: list[_Bests]) -> _Bests:
        return _Bests(
            np.concatenate([part.partner for part in parts]),
            np.concatenate([part.position for part in parts]),
            np.concatenate([part.fit for part in parts]),
        )


@dataclass
class _Candidates:
    """Scored candidate pairings for one requirement (parallel arrays)."""

    supplier_partner: np.ndarray
    supplier_position: np.ndarray
    foreign_partner: np.ndarray  # -1 for a local-only candidate
    local_partner: np.ndarray  # -1 when no Taiwanese co-producer fits
    local_position: np.ndarray
    local_fit: np.ndarray
    supplier_slot: np.ndarray  # index of the supplier's row in the ranking's suppliers
    base: np.ndarray  # score before the feasibility gate
    feasibility: np.ndarray  # 0 ok, 1 consent_required, 2 blocked
    score: np.ndarray
    components: dict[str, np.ndarray]
    alone: np.ndarray

    def where(self, mask: np.ndarray) -> _Candidates:
        return _Candidates(
            **{
                name: (
                    {k: v[mask] for k, v in value.items()}
                    if isinstance(value, dict)
                    else value[mask]
                )
                for name, value in vars(self).items()
            }
        )

    @staticmethod
    def concat(parts: list[_Candidates]) -> _Candidates:
        first = parts[0]
        return _Candidates(
            **{
                name: (
                    {k: np.concatenate([vars(p)[name][k] for p in parts]) for k in value}
                    if isinstance(value, dict)
                    else np.concatenate([vars(p)[name] for p in parts])
                )
                for name, value in vars(first).items()
            }
        )


class Ranker:
    """Builds the matching index for a catalog once; ranks any number of requirements.

    Internals a benchmark or the TUI may use (all documented on
    `CapabilityIndex`): `ranker.index` (texts, IDF, inverted index),
    `ranker.query(requirement)`, `ranker.candidates(requirement)` (text ids
    and their weighted token overlap, before fuzzy scoring),
    `ranker.text_scores(requirement, text_ids)` (the text-level fit, usable
    exhaustively over `range(len(ranker.index.texts))` as a reference) and
    `ranker.fits(requirement)` (fit of every candidate capability row),
    `ranker.explain_tokens(requirement, capability_id)` (which words met).
    `ranker.table` is the synonym table in use (shipped rows plus the catalog's).

    Index options (keyword arguments): `candidate_limit` (texts scored per
    requirement, default 400) and `posting_budget` (postings summed per
    requirement during candidate selection). Both act at query time, so they
    never invalidate a saved index.

    `cache_path`: the catalog's DuckDB file. The index and the ranker's own
    per-row arrays are then read from a sidecar beside it (`<catalog>.index`,
    see coprod.indexcache) when one matches this catalog exactly, and written
    there after a build otherwise; `loaded_from_cache` says which happened.
    Rankings are identical either way. None (the default) touches no file.
    """

    def __init__(
        self, catalog: Catalog, *, cache_path: Path | None = None, **index_options: int
    ) -> None:
        self.catalog = catalog
        self.cache_path = cache_path
        self.partner_ids: list[str] = list(catalog.partners)
        self._columns = CapabilityColumns.of(catalog.capabilities).columns
        self.loaded_from_cache = False
        sidecar = key = None
        if cache_path is not None:
            sidecar = indexcache.sidecar_path(Path(cache_path))
            key = indexcache.cache_key(
                catalog, Path(cache_path), catalog.synonyms, shipped_synonyms_digest()
            )
        if key is not None:
            snapshot = indexcache.load(sidecar, key)
            if snapshot is not None:
                self.loaded_from_cache = self._restore(snapshot, index_options)
        if not self.loaded_from_cache:
            self.table = synonym_table(catalog.synonyms, catalog.knowledge)
            self.index = CapabilityIndex(catalog, self.table, **index_options)
            self._build_partner_arrays()
            self._codeveloped_systems = self._find_codeveloped_systems()
            self.row_codeveloped = self._rows_naming_codeveloped_systems()
            if key is not None:
                indexcache.save(sidecar, key, self._state(), catalog_path=Path(cache_path))
        country_index = {name: i for i, name in enumerate(self.country_names)}
        self.local_country_index = country_index[LOCAL_COUNTRY]
        postures = [
            "open" if name == LOCAL_COUNTRY else _posture_name(catalog, name)
            for name in self.country_names
        ]
        self.country_blocked = np.asarray([p == "blocked" for p in postures], dtype=bool)
        self.country_consents = np.asarray([p in NEEDS_CONSENT for p in postures], dtype=bool)
        self._verdicts: dict[tuple[int, str], Verdict] = {}
        # (partner index, row) -> (feasibility code, governments asked), for rows whose
        # system has co-developers: the same rows come back for many requirements.
        self._codes_of_row: dict[tuple[int, int], tuple[int, int]] = {}
        # (partner index, row) -> its verdict: a shown pairing asks again for the row
        # its feasibility code came from, and naming the row's systems costs more
        # than the lookup.
        self._verdict_of_row: dict[tuple[int, int], Verdict] = {}
        self._consent_of_row: dict[int, _RowConsent] = {}
        self._known_in_text: dict[int, tuple[KnownSystem, ...]] = {}
        self._parties_of: dict[tuple[str, tuple[str, ...]], SystemParties] = {}
        # (supplier country, _RowConsent.key) -> (feasibility code, governments asked)
        # of any supplier from that country the row's systems do not name
        self._codes_by_country: dict[tuple[str, str, tuple[str, ...]], tuple[int, int]] = {}
        self._codeveloped_in_text: dict[int, str] = {}
        self._marks_of_text: dict[int, LineMarks] = {}
        # token -> positions in _codeveloped_systems of the systems filed under it (see
        # named_system); built on first use
        self._codeveloped_by_token: dict[str, list[int]] | None = None

    def _build_partner_arrays(self) -> None:
        catalog = self.catalog
        position = {partner_id: i for i, partner_id in enumerate(self.partner_ids)}
        partner_column = self._columns["partner_id"]
        self.partner_of_capability = np.fromiter(
            map(position.get, partner_column, repeat(-1)), dtype=np.int32, count=len(partner_column)
        )
        self.partner_is_local = np.asarray(
            [catalog.partners[p].is_local for p in self.partner_ids], dtype=bool
        )
        # Partner ids in sorted order: ties in score list partners alphabetically.
        self.partner_order = np.empty(len(self.partner_ids), dtype=np.int64)
        self.partner_order[np.argsort(np.asarray(self.partner_ids, dtype=object))] = np.arange(
            len(self.partner_ids)
        )
        self.country_names: list[str] = sorted(
            {p.country for p in catalog.partners.values()} | {LOCAL_COUNTRY}
        )
        country_index = {name: i for i, name in enumerate(self.country_names)}
        self.country_of_partner = np.asarray(
            [country_index[catalog.partners[p].country] for p in self.partner_ids], dtype=np.int64
        )

    def _find_codeveloped_systems(self) -> list[tuple[str, frozenset[str]]]:
        """(name, token set) of each catalog system with co-developers on record."""
        return [
            (name, self.index.system_token_sets[self.index.system_id(name)])
            for name in self.catalog.codevelopers
            if self.index.system_id(name) >= 0
        ]

    # ------------------------------------------------------- persisted index

    def _state(self) -> indexcache.SavedIndex:
        """The index and this ranker's per-row and per-partner arrays, for the sidecar."""
        state = self.index.state()
        for name, dtype in _RANKER_ARRAYS.items():
            state.arrays[f"ranker.{name}"] = np.asarray(getattr(self, name), dtype=dtype)
        state.values["ranker.country_names"] = self.country_names
        requirement_texts = [
            text for r in self.catalog.requirements.values() for text in (r.title, r.description)
        ]
        # as UTF-8 bytes: a sidecar hands arrays back undecoded, and the table decodes a
        # map only when it is first used (SynonymTable.from_state)
        for name, lines in self.table.state(requirement_texts).items():
            encoded = "".join(lines).encode("utf-8")
            state.arrays[f"{_TABLE_PREFIX}{name}"] = np.frombuffer(encoded, dtype=np.uint8)
        return state

    def _restore(self, state: indexcache.SavedIndex, index_options: dict[str, int]) -> bool:
        """Take the index and arrays from a sidecar's snapshot; False if they do not fit."""
        row_count = len(self._columns["partner_id"])
        partner_count = len(self.partner_ids)
        try:
            # the table was built from the synonyms and knowledge the key names
            self.table = SynonymTable.from_state(
                {
                    name.removeprefix(_TABLE_PREFIX): memoryview(encoded)
                    for name, encoded in state.arrays.items()
                    if name.startswith(_TABLE_PREFIX) and encoded.dtype == np.uint8
                }
            )
            index = CapabilityIndex.from_state(state, self.table, row_count, **index_options)
            arrays = {name: state.arrays[f"ranker.{name}"] for name in _RANKER_ARRAYS}
            country_names = [str(name) for name in state.values["ranker.country_names"]]
        except (KeyError, ValueError, TypeError, AttributeError, IndexError):
            return False
        lengths = {
            "partner_of_capability": row_count,
            "row_codeveloped": row_count,
            "partner_is_local": partner_count,
            "partner_order": partner_count,
            "country_of_partner": partner_count,
        }
        for name, dtype in _RANKER_ARRAYS.items():
            array = arrays[name]
            if array.dtype != np.dtype(dtype) or array.shape != (lengths[name],):
                return False
        if LOCAL_COUNTRY not in country_names or not _within(
            arrays["partner_of_capability"], -1, partner_count
        ):
            return False
        if not _within(arrays["partner_order"], 0, partner_count) or not _within(
            arrays["country_of_partner"], 0, len(country_names)
        ):
            return False
        self.index = index
        for name, array in arrays.items():
            setattr(self, name, array)
        self.country_names = country_names
        self._codeveloped_systems = self._find_codeveloped_systems()
        return True

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
        return points["text_fit"] + points["idf_coverage"] + points["concept"] + points["calibre"]

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
            candidates = [self.index.candidates_with_features(query) for query in queries]
            candidate_ids = [ids for ids, _, _ in candidates]
            query_texts: list[str] = []
            sorted_query_texts: list[str] = []
            for query, ids in zip(queries, candidate_ids, strict=True):
                query_texts += [query.text] * len(ids)
                sorted_query_texts += [sorted_tokens(query.text)] * len(ids)
            all_ids = (
                np.concatenate(candidate_ids) if candidate_ids else np.empty(0, dtype=np.int32)
            )
            fuzzy = self.index.fuzzy_scores(query_texts, all_ids, sorted_query_texts)
            offset = 0
            for requirement, query, (ids, _, features) in zip(
                batch, queries, candidates, strict=True
            ):
                fits = self.index.score(query, ids, fuzzy[offset : offset + len(ids)], features)
                offset += len(ids)
                results[requirement.requirement_id] = self._assemble(requirement, fits, options)
        return results

    def _assemble(
        self, requirement: Requirement, fits: Fits, options: RankOptions
    ) -> list[Pairing]:
        """Score every allowed pairing with numpy; build Pairing objects for the shown ones."""
        if options.top <= 0:
            return []
        foreign, local = self._best_per_partner(fits)
        co_producers = local.where(local.fit >= LOCAL_MIN_FIT)
        # locals_per_foreign 0 offers foreign partners alone; per_partner is at least 1
        offered = max(0, min(options.locals_per_foreign, max(1, options.per_partner)))
        co_producers = co_producers.head(offered)

        candidates: list[_Candidates] = []
        suppliers: list[_Bests] = []
        country_kept = self._country_filter(options)
        if country_kept[self.local_country_index]:
            candidates.append(self._local_only(fits, local))
            suppliers.append(local)
        foreign = foreign.where(country_kept[self.country_of_partner[foreign.partner]])
        if len(foreign.partner):
            slot_offset = sum(len(part.partner) for part in suppliers)
            candidates.append(self._with_co_producers(fits, foreign, co_producers, slot_offset))
            suppliers.append(foreign)
        if not candidates:
            return []
        pool = self._gated(fits, _Candidates.concat(candidates), _Bests.concat(suppliers), options)
        keep = pool.score >= options.min_score
        if options.exclude_blocked:
            keep &= pool.feasibility != BLOCKED
        pool = pool.where(keep)
        order = np.lexsort(
            (
                self._order_of(pool.local_partner),
                self._order_of(pool.foreign_partner),
                -pool.score,
            )
        )
        blocked = pool.feasibility[order] == BLOCKED
        picked = _pick(order, blocked, options.top)
        shown = [self._pairing(requirement, fits, pool, i) for i in picked]
        # Within the list a blocked pairing never ranks above a feasible one.
        shown.sort(key=shown_order_key)
        return [with_rank(pairing, rank) for rank, pairing in enumerate(shown, start=1)]

    def _order_of(self, partners: np.ndarray) -> np.ndarray:
        """Alphabetical rank of each partner id; -1 (no partner) sorts first, like ""."""
        return np.where(partners >= 0, self.partner_order[np.maximum(partners, 0)], -1)

    def _country_filter(self, options: RankOptions) -> np.ndarray:
        """Bool per country id: may a partner from this country be the supplier?"""
        names = [name.casefold() for name in self.country_names]
        wanted = {c.casefold() for c in options.countries}
        excluded = {c.casefold() for c in options.exclude_countries}
        return np.asarray(
            [(not wanted or name in wanted) and name not in excluded for name in names],
            dtype=bool,
        )

    def _best_per_partner(self, fits: Fits) -> tuple[_Bests, _Bests]:
        """Each partner's best row, best first (ties: partner id); split foreign / local."""
        partner = self.partner_of_capability[fits.capability_ids]
        fit = np.round(fits.fit, 6)
        offered = np.flatnonzero(partner >= 0)
        if not len(offered):
            empty = _Bests(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
            return empty, empty
        fit_rank = _descending_rank(fit)
        # rows are distinct, so are the keys: any sort gives np.lexsort's order
        order = offered[
            _distinct_keys_order(
                [fits.capability_ids[offered], fit_rank[offered], partner[offered]]
            )
        ]
        sorted_partner = partner[order]
        first = np.flatnonzero(np.r_[True, sorted_partner[1:] != sorted_partner[:-1]])
        positions = order[first]
        best_partner = partner[positions]
        by_fit = _distinct_keys_order([self.partner_order[best_partner], fit_rank[positions]])
        bests = _Bests(best_partner[by_fit], positions[by_fit], fit[positions][by_fit])
        is_local = self.partner_is_local[bests.partner]
        return bests.where(~is_local), bests.where(is_local)

    def _feasibility_codes(self, fits: Fits, bests: _Bests) -> tuple[np.ndarray, np.ndarray]:
        """(code 0 ok / 1 consent / 2 blocked, number of governments asked) per best row."""
        country = self.country_of_partner[bests.partner]
        code = np.where(
            self.country_blocked[country], BLOCKED, np.where(self.country_consents[country], 1, 0)
        )
        steps = (code > 0).astype(np.int64)
        rows = fits.capability_ids[bests.position]
        flagged = np.flatnonzero(self.row_codeveloped[rows])
        cache = self._codes_of_row
        for i, partner, row in zip(
            flagged.tolist(),
            bests.partner[flagged].tolist(),
            rows[flagged].tolist(),
            strict=True,
        ):
            codes = cache.get((partner, row))
            if codes is None:
                codes = cache[(partner, row)] = self._codes(partner, row)
            code[i], steps[i] = codes
        return code, steps

    def _codes(self, partner_index: int, row: int) -> tuple[int, int]:
        """(feasibility code, governments asked) of a partner supplying a row's line. A
        supplier the row's systems do not name is asked what any supplier from its
        country is (see feasibility.SystemParties): one verdict per country and system,
        not per partner."""
        consent = self._row_consent(row)
        partner = self.catalog.partners[self.partner_ids[partner_index]]
        parties = self._parties_of.get(consent.key)
        if parties is None:
            parties = system_parties(self.catalog, consent.system, consent.known)
            self._parties_of[consent.key] = parties
        if parties.include(partner):
            return _codes_of(self._verdict(partner_index, row))
        key = (partner.country, *consent.key)
        codes = self._codes_by_country.get(key)
        if codes is None:
            codes = self._codes_by_country[key] = _codes_of(self._verdict(partner_index, row))
        return codes

    def _local_only(self, fits: Fits, local: _Bests) -> _Candidates:
        slot = np.arange(len(local.partner))
        return self._scored(fits, local, slot, local.partner, local.fit, alone=True)

    def _with_co_producers(
        self, fits: Fits, foreign: _Bests, co: _Bests, slot_offset: int
    ) -> _Candidates:
        n_foreign = len(foreign.partner)
        if len(co.partner):
            # every foreign partner x each offered co-producer
            repeat = len(co.partner)
            index = np.repeat(np.arange(n_foreign), repeat)
            local_partner = np.tile(co.partner, n_foreign)
            local_fit = np.tile(co.fit, n_foreign)
            local_position = np.tile(co.position, n_foreign)
        else:
            index = np.arange(n_foreign)
            local_partner = np.full(n_foreign, -1, dtype=np.int64)
            local_fit = np.zeros(n_foreign)
            local_position = np.full(n_foreign, -1, dtype=np.int64)
        picked = foreign.take(index)
        pool = self._scored(
            fits, picked, slot_offset + index, local_partner, local_fit, alone=False
        )
        pool.local_position = local_position
        return pool

    def _scored(
        self,
        fits: Fits,
        supplier: _Bests,
        supplier_slot: np.ndarray,
        local_partner: np.ndarray,
        local_fit: np.ndarray,
        *,
        alone: bool,
    ) -> _Candidates:
        """Candidates with their components but for feasibility (see `_gated`)."""
        components = {
            name: np.round(SUPPLIER_SHARE * fits.components[name][supplier.position], 2)
            for name in COMPONENTS
        }
        components["local_fit"] = np.round(LOCAL_SHARE * local_fit, 2)
        base = sum(components.values())
        score = np.round(np.clip(base, 0.0, 100.0), 2)
        return _Candidates(
            supplier_partner=supplier.partner,
            supplier_position=supplier.position,
            foreign_partner=np.full(len(score), -1) if alone else supplier.partner,
            local_partner=np.asarray(local_partner),
            local_position=supplier.position.copy() if alone else np.full(len(score), -1),
            local_fit=np.asarray(local_fit, dtype=np.float64),
            supplier_slot=supplier_slot,
            base=base,
            feasibility=np.zeros(len(score), dtype=np.int64),
            score=score,
            components=components,
            alone=np.full(len(score), alone),
        )

    def _gated(
        self, fits: Fits, pool: _Candidates, suppliers: _Bests, options: RankOptions
    ) -> _Candidates:
        """The candidates that could be listed, scored with their feasibility gate.

        The gate only lowers a score, and a supplier's verdict costs far more than its
        score, so suppliers are assessed best score without the gate first: once `top`
        feasible candidates that pass the filters score above every candidate of an
        unassessed supplier without the gate, `_pick` lists those first and stops
        before the unassessed (and at least half the list may then be feasible, as
        with the whole pool), so they are left out.
        """
        order = np.argsort(-pool.score, kind="stable")  # the score without the gate
        slots = len(suppliers.partner)
        code = np.zeros(slots, dtype=np.int64)
        steps = np.zeros(slots, dtype=np.int64)
        known = np.zeros(slots, dtype=bool)
        count = max(1, 4 * options.top)
        while True:
            wanted = np.zeros(slots, dtype=bool)
            wanted[pool.supplier_slot[order[:count]]] = True
            new = np.flatnonzero(wanted & ~known)
            if len(new):
                code[new], steps[new] = self._feasibility_codes(fits, suppliers.take(new))
                known[new] = True
            assessed = known[pool.supplier_slot]
            gated = _with_feasibility(pool.where(assessed), code, steps)
            if count >= len(order) or assessed.all():
                return gated
            unassessed_best = float(pool.score[~assessed].max())
            listable = (gated.score > unassessed_best) & (gated.feasibility != BLOCKED)
            listable &= gated.score >= options.min_score
            if int(np.count_nonzero(listable)) >= options.top:
                return gated
            count *= 4

    def _pairing(self, requirement: Requirement, fits: Fits, pool: _Candidates, i: int) -> Pairing:
        supplier = int(pool.supplier_partner[i])
        supplier_position = int(pool.supplier_position[i])
        verdict = self._verdict(supplier, int(fits.capability_ids[supplier_position]))
        supplier_match = self._match(fits, supplier, supplier_position)
        local_match = None
        if pool.alone[i]:
            local_match = supplier_match
        elif pool.local_partner[i] >= 0:
            local_match = self._match(fits, int(pool.local_partner[i]), int(pool.local_position[i]))
        return Pairing(
            requirement_id=requirement.requirement_id,
            rank=0,
            score=float(pool.score[i]),
            feasibility=verdict.feasibility,
            foreign=None if pool.alone[i] else supplier_match,
            local=local_match,
            components={name: float(values[i]) for name, values in pool.components.items()},
            consent_chain=verdict.chain,
        )

    def _match(self, fits: Fits, partner_index: int, position: int) -> Match:
        row = int(fits.capability_ids[position])
        columns = self._columns  # no Capability object needed for four fields
        partner = self.catalog.partners[self.partner_ids[partner_index]]
        return Match(
            partner_id=partner.partner_id,
            partner_name=partner.name,
            country=partner.country,
            capability_id=columns["capability_id"][row],
            capability=columns["capability"][row],
            category=columns["category"][row],
            system=columns["system"][row],
            fit=round(float(fits.fit[position]), 2),
            matched_tokens=self.index.matched_tokens(fits.query, int(fits.text_ids[position])),
            concepts=notes_from_marks(
                self.catalog.knowledge, fits.query, self._line_marks(int(fits.text_ids[position]))
            ),
        )

    def _line_marks(self, text_id: int) -> LineMarks:
        """`line_marks` of a text, kept: the shown lines come back for many requirements."""
        marks = self._marks_of_text.get(text_id)
        if marks is None:
            if len(self._marks_of_text) >= MAX_CACHED_LINE_MARKS:
                self._marks_of_text.clear()
            marks = self._marks_of_text[text_id] = line_marks(
                self.catalog.knowledge, self.index.text_tokens[text_id]
            )
        return marks

    def _verdict(self, partner_index: int, row: int) -> Verdict:
        verdict = self._verdict_of_row.get((partner_index, row))
        if verdict is None:
            verdict = self._verdict_of_row[(partner_index, row)] = self._assess(partner_index, row)
        return verdict

    def _assess(self, partner_index: int, row: int) -> Verdict:
        consent = self._row_consent(row)
        key = (partner_index, consent.system.casefold(), consent.key[1])
        verdict = self._verdicts.get(key)
        if verdict is None:
            partner = self.catalog.partners[self.partner_ids[partner_index]]
            verdict = self._verdicts[key] = assess(
                self.catalog, partner, consent.system, consent.known
            )
        return verdict

    def _row_consent(self, row: int) -> _RowConsent:
        consent = self._consent_of_row.get(row)
        if consent is None:
            system = self.named_system(row)
            known = self.known_systems(row)
            key = (system, tuple(k.system_id for k in known))
            consent = self._consent_of_row[row] = _RowConsent(system, known, key)
        return consent

    def known_systems(self, row: int) -> tuple[KnownSystem, ...]:
        """Knowledge-base systems a capability line names (text or system column)."""
        text_id = int(self.index.text_of_capability[row])
        known = self._known_in_text.get(text_id)
        if known is None:
            systems = self.catalog.knowledge.systems
            named = named_system_ids(self.index.text_tokens[text_id])
            known = self._known_in_text[text_id] = tuple(systems[s] for s in named if s in systems)
        return known

    def _rows_naming_codeveloped_systems(self) -> np.ndarray:
        """Bool per capability row: its system (field or text) has co-developers on record."""
        codeveloped = {name.strip().casefold() for name in self.catalog.codevelopers}
        systems = self._columns["system"]
        # 0: no system, 1: a system with co-developers on record, 2: another system
        kind_of = {
            raw: 0 if not raw.strip() else 1 if raw.strip().casefold() in codeveloped else 2
            for raw in dict.fromkeys(systems)
        }
        kind = np.fromiter(map(kind_of.__getitem__, systems), dtype=np.int8, count=len(systems))
        flags = kind == 1
        text_named = np.zeros(len(self.index.texts), dtype=bool)
        for _, key in self._codeveloped_systems:
            text_named |= self.index.texts_with_all(key)
        no_system = kind == 0
        if len(flags):
            flags |= no_system & text_named[self.index.text_of_capability]
            # lines naming a system the knowledge base knows co-developers or licensors of
            known = np.zeros(len(self.index.texts), dtype=bool)
            for system_id in self.catalog.knowledge.relations:
                known |= self.index.texts_naming_system(system_id)
            flags |= known[self.index.text_of_capability]
        return flags

    def explain_tokens(self, requirement: Requirement, capability_id: int) -> TokenExplanation:
        """Which normalised words of a requirement a capability line has, and which not."""
        row = self._row_of_capability_id(capability_id)
        query = self.index.query(requirement)
        text_id = int(self.index.text_of_capability[row])
        capability_tokens = self.index.text_tokens[text_id]
        matched = self.index.matched_tokens(query, text_id)
        return TokenExplanation(
            requirement=query.tokens,
            capability=capability_tokens,
            matched=matched,
            missing=tuple(token for token in query.tokens if token not in set(matched)),
        )

    def _row_of_capability_id(self, capability_id: int) -> int:
        capabilities = self.catalog.capabilities
        # capability_id is the row position in a loaded catalog; look further only if not
        if (
            0 <= capability_id < len(capabilities)
            and capabilities[capability_id].capability_id == capability_id
        ):
            return capability_id
        for row, capability in enumerate(capabilities):
            if capability.capability_id == capability_id:
                return row
        raise KeyError(f"no capability with id {capability_id}")

    def named_system(self, row: int) -> str:
        """The capability's system, or a co-developed system its text names (for feasibility)."""
        system = self._columns["system"][row].strip()
        if system:
            return system
        text_id = int(self.index.text_of_capability[row])
        found = self._codeveloped_in_text.get(text_id)
        if found is None:
            found = self._first_codeveloped_in(set(self.index.text_tokens[text_id]))
            self._codeveloped_in_text[text_id] = found
        return found

    def _first_codeveloped_in(self, present: set[str]) -> str:
        """The first co-developed system (in catalog order) whose every token is in
        `present`, or "". Each system is filed under one of its tokens, so only the few
        filed under the text's own tokens are tested, not the hundreds on record."""
        systems = self._codeveloped_systems
        by_token = self._codeveloped_by_token
        if by_token is None:
            by_token = {}
            for position, (_, key) in enumerate(systems):
                # a system without tokens is in every text: filed under "", asked always
                by_token.setdefault(min(key) if key else "", []).append(position)
            self._codeveloped_by_token = by_token
        positions = set(by_token.get("", ()))
        for token in present:
            positions.update(by_token.get(token, ()))
        for position in sorted(positions):
            name, key = systems[position]
            if key <= present:
                return name
        return ""


def _pick(order: np.ndarray, blocked: np.ndarray, top: int) -> list[int]:
    """The `top` best by score (`order`), blocked ones at most half of them while feasible
    ones remain: a blocked best match is shown with its reason, never crowding out every
    feasible alternative."""
    feasible_available = int(np.count_nonzero(~blocked))
    max_blocked = top - min(feasible_available, (top + 1) // 2)
    picked: list[int] = []
    blocked_taken = 0
    for index, is_blocked in zip(order.tolist(), blocked.tolist(), strict=True):
        if len(picked) >= top:
            break
        if is_blocked:
            if blocked_taken >= max_blocked:
                continue
            blocked_taken += 1
        picked.append(index)
    return picked


def _with_feasibility(pool: _Candidates, code: np.ndarray, steps: np.ndarray) -> _Candidates:
    """`pool` with its suppliers' feasibility gate (codes and steps per supplier slot)."""
    code = code[pool.supplier_slot]
    steps = steps[pool.supplier_slot]
    base = pool.base
    penalty = np.where(
        code == BLOCKED,
        BLOCKED_PENALTY,
        np.minimum(CONSENT_PENALTY_MAX, CONSENT_PENALTY * steps) * (code > 0),
    )
    # 0.0 - x, not -x: negating a zero penalty gives -0.0, printed "-0.00".
    pool.components["feasibility"] = np.round(0.0 - np.minimum(penalty, np.maximum(base, 0.0)), 2)
    pool.feasibility = code
    pool.score = np.round(np.clip(base + pool.components["feasibility"], 0.0, 100.0), 2)
    return pool


def _descending_rank(fit: np.ndarray) -> np.ndarray:
    """Non-negative integers in the order of `fit` (rounded to 6 decimals) descending,
    equal where the fits are equal: a rounded fit times 1e6 is within far less than
    0.5 of its integer."""
    micro = np.rint(fit * 1e6).astype(np.int64)
    return micro.max() - micro if len(micro) else micro


def _distinct_keys_order(keys: list[np.ndarray]) -> np.ndarray:
    """np.lexsort(keys) (the last key sorts first) for non-negative integer keys that
    together are distinct: packed into one int64 and argsorted when they fit in 63 bits,
    a fraction of lexsort's time on the few thousand rows of a requirement."""
    bits = [int(key.max()).bit_length() if len(key) else 0 for key in keys]
    if sum(bits) > 63:
        return np.lexsort(keys)
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    shift = 0
    for key, width in zip(keys, bits, strict=True):
        packed |= key.astype(np.int64) << shift
        shift += width
    return np.argsort(packed)


def _codes_of(verdict: Verdict) -> tuple[int, int]:
    """(feasibility code, number of governments asked) of a verdict."""
    return FEASIBILITY_CODES[verdict.feasibility], len(verdict.chain)


def _within(values: np.ndarray, low: int, high: int) -> bool:
    """Every value in [low, high)."""
    return not len(values) or (int(values.min()) >= low and int(values.max()) < high)


def _posture_name(catalog: Catalog, country: str) -> str:
    posture = catalog.posture_of(country)
    return posture.posture if posture is not None else UNKNOWN_POSTURE


def _category_wanted(requirement: Requirement, category: str | None) -> bool:
    if not category:
        return True
    from coprod.indexbuild import category_key

    return category_key(requirement.category) == category_key(category)
