"""One loaded catalog held for interactive use: the catalog, its ranker, cached rankings.

The TUI calls these methods from its worker threads and posts the results as
messages; nothing here knows of textual. The ranking modules (rapidfuzz,
numpy) are imported on first use, inside the worker, so the first screen
paints without them.

Rankings are cached per (view options): moving the cursor back to a
requirement, or toggling a filter twice, costs nothing the second time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coprod import LOCAL_COUNTRY
from coprod.model import Catalog, Match, Pairing, Requirement
from coprod.text import EMPTY_TABLE, SynonymTable

if TYPE_CHECKING:
    from coprod.gaps import CoverageMatrix, Gap
    from coprod.indexcache import SavedIndexState

# Feasible pairings shown per requirement in the main table when the config file sets
# no `top` (the blocked alternatives that outscore them follow: coprod.arrangement.arrange).
PAIRINGS_SHOWN = 25
# Requirements ranked per step of the batch ranking (one message to the screen each):
# small, so a pause for typing between steps comes soon; the ranker's cost per
# requirement is the same in small steps as in big ones.
RANK_BATCH = 10


def index_stage(db_path: Path, lines: int, saved: SavedIndexState) -> str:
    """The loading note for the index step: reading the saved index, or building it."""
    if saved == "current":
        return f"reading the saved index of {lines:,} capability lines"
    if not os.access(db_path.parent, os.W_OK):
        return f"indexing {lines:,} capability lines (the folder is read-only: not saved)"
    why = "the catalog changed" if saved == "stale" else "first use"
    return f"indexing {lines:,} capability lines ({why}; saved for next time)"


@dataclass(frozen=True)
class ViewOptions:
    """What the user chose on the main screen."""

    country: str | None = None  # keep only foreign partners from this country
    hide_blocked: bool = False
    per_co_producer: bool = False  # a row per co-producer, not one per foreign partner

    def describe(self) -> str:
        country = self.country or "all countries"
        blocked = "blocked hidden" if self.hide_blocked else "blocked shown"
        rows = " · per co-producer" if self.per_co_producer else ""
        return f"{country} · {blocked}{rows}"


@dataclass(frozen=True)
class Ranked:
    """A requirement's ranking as shown: the pairings and whether more exist."""

    pairings: tuple[Pairing, ...]  # feasible first, then the blocked group
    truncated: bool  # the ranking holds more than the screen shows
    blocked_from: int | None = None  # index of the first blocked pairing (None: none)
    # Per pairing: its foreign partner's other Taiwanese co-producers (coprod.arrangement.arrange).
    others: tuple[tuple[Match, ...], ...] = ()

    def others_of(self, pairing: Pairing) -> tuple[Match, ...]:
        for index, shown in enumerate(self.pairings):
            if shown == pairing:
                return self.others[index] if index < len(self.others) else ()
        return ()

    @property
    def best(self) -> Pairing | None:
        return self.pairings[0] if self.pairings else None


@dataclass(frozen=True)
class GapReport:
    gaps: tuple[Gap, ...]
    matrix: CoverageMatrix
    requirement_count: int


# eq=False: a session is itself, never equal to another (the app's `session` reactive
# compares old and new, and comparing two catalogs field by field would be slow).
@dataclass(repr=False, eq=False)
class CatalogSession:
    db_path: Path
    catalog: Catalog
    ranker: object  # coprod.ranking.Ranker, imported lazily
    synonyms: SynonymTable = EMPTY_TABLE  # for highlighting matched words like the matcher
    top: int = PAIRINGS_SHOWN  # feasible pairings shown per requirement (the config's top)
    per_partner: int = 2  # rows sharing a foreign partner, per co-producer (the config's)
    index_from_file: bool = False  # the index was read from its saved copy, not built
    saved_index_was_stale: bool = False  # a saved copy looked current but had to be rebuilt
    _cache: dict[tuple[ViewOptions, str], Ranked] = field(default_factory=dict)
    _gap_report: GapReport | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __repr__(self) -> str:
        # Short on purpose: Textual describes a worker by the repr of its arguments, and
        # the repr of a big catalog would be built on the UI thread.
        return f"CatalogSession({str(self.db_path)!r})"

    @classmethod
    def indexed(
        cls, db_path: Path, catalog: Catalog, progress: Callable[[str], None] | None = None
    ) -> CatalogSession:
        """A session on `catalog` with its matching index read from the copy saved
        beside the catalog, or built (the slow part on a big catalog) and saved."""
        from coprod.indexcache import saved_index_state
        from coprod.ranking import Ranker

        saved = saved_index_state(db_path)
        if progress:
            progress(index_stage(db_path, len(catalog.capabilities), saved))
        ranker = Ranker(catalog, cache_path=db_path)
        return cls(
            db_path=db_path,
            catalog=catalog,
            ranker=ranker,
            synonyms=ranker.table,
            index_from_file=ranker.loaded_from_cache,
            saved_index_was_stale=saved == "current" and not ranker.loaded_from_cache,
        )

    @property
    def requirements(self) -> list[Requirement]:
        return list(self.catalog.requirements.values())

    def foreign_countries(self) -> list[str]:
        """Countries with at least one partner, Taiwan excluded (its firms are the locals)."""
        countries = {p.country for p in self.catalog.partners.values()}
        countries.discard(LOCAL_COUNTRY)
        return sorted(countries)

    def _rank_options(self, view: ViewOptions):
        """What the ranker is asked for: the config's top and per_partner, the view's
        filters, widened by coprod.arrangement.ranking_request as `coprod rank` does."""
        from coprod.arrangement import ranking_request
        from coprod.ranking import RankOptions

        options = RankOptions(
            top=self.top,
            per_partner=self.per_partner if view.per_co_producer else 1,
            countries=(view.country,) if view.country else (),
            exclude_blocked=view.hide_blocked,
        )
        return ranking_request(options, view.per_co_producer)

    def _shown(self, pairings: Sequence[Pairing], view: ViewOptions) -> Ranked:
        from coprod.arrangement import arrange

        arranged = arrange(pairings, self.top, view.per_co_producer)
        blocked_from = arranged.blocked_from
        return Ranked(
            arranged.pairings,
            arranged.more,
            blocked_from if blocked_from < len(arranged.pairings) else None,
            arranged.others,
        )

    def cached(self, view: ViewOptions, requirement_id: str) -> Ranked | None:
        with self._lock:
            return self._cache.get((view, requirement_id))

    def rank_one(self, view: ViewOptions, requirement_id: str) -> Ranked:
        found = self.cached(view, requirement_id)
        if found is not None:
            return found
        requirement = self.catalog.requirements[requirement_id]
        ranked = self._shown(self.ranker.rank(requirement, self._rank_options(view)), view)
        with self._lock:
            self._cache[(view, requirement_id)] = ranked
        return ranked

    def rank_in_batches(
        self, view: ViewOptions, batch_size: int = RANK_BATCH
    ) -> Iterator[dict[str, Ranked]]:
        """Every requirement's ranking under `view`, a batch at a time, cached ones first.

        The screen shows each batch as it comes, so a big catalog fills its
        best-score column progressively instead of after one long wait.
        """
        requirements = list(self.catalog.requirements.values())
        with self._lock:
            known = {
                r.requirement_id: self._cache[(view, r.requirement_id)]
                for r in requirements
                if (view, r.requirement_id) in self._cache
            }
        if known:
            yield known
        missing = [r for r in requirements if r.requirement_id not in known]
        options = self._rank_options(view)
        for start in range(0, len(missing), batch_size):
            batch = missing[start : start + batch_size]
            fresh = self.ranker.rank_many(batch, options)
            ranked = {
                r.requirement_id: self._shown(fresh.get(r.requirement_id, []), view) for r in batch
            }
            with self._lock:
                for rid, value in ranked.items():
                    self._cache[(view, rid)] = value
            yield ranked

    def missing_tokens(
        self, pairing: Pairing, requirement: Requirement | None
    ) -> dict[int, tuple[str, ...]]:
        """Per matched capability line, the requirement's words it lacks (cheap: one query)."""
        explain = getattr(self.ranker, "explain_tokens", None)
        if requirement is None or explain is None:
            return {}
        missing: dict[int, tuple[str, ...]] = {}
        for match in (pairing.foreign, pairing.local):
            if match is None:
                continue
            try:
                missing[match.capability_id] = tuple(
                    explain(requirement, match.capability_id).missing
                )
            except (KeyError, IndexError):
                continue  # a line the index does not know: show what the pairing says
        return missing

    def rank_adhoc(self, text: str, view: ViewOptions) -> tuple[Requirement, Ranked]:
        """Rank free text typed by the user as if it were a requirement."""
        from coprod.ranking import adhoc_requirement

        requirement = adhoc_requirement(text)
        pairings = self.ranker.rank(requirement, self._rank_options(view))
        return requirement, self._shown(pairings, view)

    def gap_report(self, progress: Callable[[int, int], None] | None = None) -> GapReport:
        """Gaps and coverage over the whole catalog, ignoring the view's filters.

        Costs about one ranking of every requirement plus a few filtered rounds
        (coprod.gaps.analyse), so it is computed once per session and kept.
        """
        if self._gap_report is not None:
            return self._gap_report
        from coprod.gaps import analyse

        requirements = self.requirements
        countries = sorted({p.country for p in self.catalog.partners.values()})
        analysis = analyse(self.ranker, requirements, countries, progress=progress)  # type: ignore[arg-type]
        report = GapReport(
            gaps=analysis.gaps, matrix=analysis.matrix, requirement_count=len(requirements)
        )
        self._gap_report = report
        return report
