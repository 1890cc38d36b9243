"""The TUI's view of one loaded catalog: the catalog, its ranker, cached rankings.

No textual here: the app calls these methods from worker threads and posts
the results as messages. The ranking modules (rapidfuzz, numpy) are imported
on first use, inside the worker, so the first screen paints without them.

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
from coprod.model import Catalog, Pairing, Requirement
from coprod.text import EMPTY_TABLE, SynonymTable

if TYPE_CHECKING:
    from coprod.gaps import CoverageMatrix, Gap

# Pairings shown per requirement in the main table; the ranking is asked for
# one more so the screen can say when there are more than it shows.
PAIRINGS_SHOWN = 25
# Requirements ranked per step of the batch ranking (one message to the screen each):
# ~0.06 s of work at 500,000 lines, so a pause for typing between steps comes soon.
# Same cost per requirement as steps of 100 (measured: 1.24-1.3 s CPU per 200 either way).
RANK_BATCH = 10


def saved_index_state(db_path: Path) -> str:
    """Whether the catalog's saved index looks usable: "current", "stale" or "none".

    Judged from the files alone (a saved index newer than the catalog): the
    ranker checks the saved key itself and rebuilds a stale one, which the app
    then says.
    """
    from coprod.indexcache import sidecar_path

    try:
        saved_at = sidecar_path(db_path).stat().st_mtime_ns
    except OSError:
        return "none"
    try:
        return "current" if saved_at >= db_path.stat().st_mtime_ns else "stale"
    except OSError:
        return "stale"


def index_stage(db_path: Path, lines: int, saved: str) -> str:
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

    def describe(self) -> str:
        country = self.country or "all countries"
        blocked = "blocked hidden" if self.hide_blocked else "blocked shown"
        return f"{country} · {blocked}"


@dataclass(frozen=True)
class Ranked:
    """A requirement's ranking as shown: the pairings and whether more exist."""

    pairings: tuple[Pairing, ...]
    truncated: bool  # the ranking holds more than the screen shows

    @property
    def best(self) -> Pairing | None:
        return self.pairings[0] if self.pairings else None


@dataclass(frozen=True)
class GapReport:
    gaps: tuple[Gap, ...]
    matrix: CoverageMatrix
    requirement_count: int


@dataclass(repr=False)
class CatalogSession:
    db_path: Path
    catalog: Catalog
    ranker: object  # coprod.ranking.Ranker, imported lazily
    synonyms: SynonymTable = EMPTY_TABLE  # for highlighting matched words like the matcher
    index_from_file: bool = False  # the index was read from its saved copy, not built
    saved_index_was_stale: bool = False  # a saved copy looked current but had to be rebuilt
    _cache: dict[tuple[ViewOptions, str], Ranked] = field(default_factory=dict)
    _gap_report: GapReport | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __repr__(self) -> str:
        # Short on purpose: Textual describes a worker by the repr of its arguments, and
        # the dataclass repr of a 500,000-line catalog took 0.2-0.3 s on the UI thread.
        return f"CatalogSession({str(self.db_path)!r})"

    @classmethod
    def open(cls, db_path: Path, progress: Callable[[str], None] | None = None) -> CatalogSession:
        """Load the catalog (built from shipped data on first use) and index it."""
        from coprod.catalog import load_catalog

        if progress:
            progress("reading the catalog")
        return cls.index(db_path, load_catalog(db_path), progress)

    @classmethod
    def index(
        cls, db_path: Path, catalog: Catalog, progress: Callable[[str], None] | None = None
    ) -> CatalogSession:
        """The catalog's matching index: read from its saved copy, or built (and saved).

        Built, it is the slow part on a big catalog (12-14 s at 500,000 lines);
        read back from the file saved beside the catalog, about a second.
        """
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

    def _rank_options(self, view: ViewOptions, top: int = PAIRINGS_SHOWN + 1):
        from coprod.ranking import RankOptions

        return RankOptions(
            top=top,
            countries=(view.country,) if view.country else (),
            exclude_blocked=view.hide_blocked,
        )

    @staticmethod
    def _shown(pairings: Sequence[Pairing]) -> Ranked:
        return Ranked(tuple(pairings[:PAIRINGS_SHOWN]), len(pairings) > PAIRINGS_SHOWN)

    def cached(self, view: ViewOptions, requirement_id: str) -> Ranked | None:
        with self._lock:
            return self._cache.get((view, requirement_id))

    def rank_one(self, view: ViewOptions, requirement_id: str) -> Ranked:
        found = self.cached(view, requirement_id)
        if found is not None:
            return found
        requirement = self.catalog.requirements[requirement_id]
        ranked = self._shown(self.ranker.rank(requirement, self._rank_options(view)))
        with self._lock:
            self._cache[(view, requirement_id)] = ranked
        return ranked

    def rank_all(self, view: ViewOptions) -> dict[str, Ranked]:
        """Every requirement's ranking under `view` (batched by the ranker)."""
        rankings: dict[str, Ranked] = {}
        for batch in self.rank_in_batches(view):
            rankings.update(batch)
        return rankings

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
            ranked = {r.requirement_id: self._shown(fresh.get(r.requirement_id, [])) for r in batch}
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
        return requirement, self._shown(pairings)

    def gap_report(self, progress: Callable[[int, int], None] | None = None) -> GapReport:
        """Gaps and coverage over the whole catalog, ignoring the view's filters.

        Costs about one ranking of every requirement plus a few filtered rounds
        (coprod.gaps.analyse): ~26 s for 1,000 requirements at 500,000 lines,
        where the main screen ranks them in ~8 s.
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
