"""Every message of the TUI, in one place.

Workers post their results to the UI thread as messages (the only way results
reach widgets); screens ask the app for what only it does (the shortlist, the
detail screen) with messages it handles, so no screen imports the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from coprod.errors import Problem
    from coprod.gaps import Analysis
    from coprod.model import Pairing, Requirement
    from coprod.planner import PlanResult
    from coprod.session import CatalogSession, GapReport, Ranked, ViewOptions
    from coprod.shortlist import Recheck, ShortlistEntry
    from coprod.userstate import Annotation, PairingKey


# ----- screens to the app


@dataclass
class AddToShortlist(Message):
    """Keep this pairing in the shortlist (the app says whether it was new)."""

    requirement: Requirement
    pairing: Pairing


@dataclass
class OpenDetail(Message):
    """Show this pairing's detail on its own screen (narrow terminals)."""

    pairing: Pairing
    requirement: Requirement | None = None


# ----- workers to the UI


@dataclass
class LoadProgress(Message):
    """The catalog worker reached a new stage."""

    stage: str


@dataclass
class RequirementsRead(Message):
    """The catalog's requirements are read; its capability lines and index are still loading."""

    requirements: dict[str, Requirement]


@dataclass
class SessionLoaded(Message):
    """A catalog is loaded and indexed; `refreshed` when it replaced an older one."""

    session: CatalogSession
    seconds: float
    refreshed: bool = False


@dataclass
class SessionFailed(Message):
    """The catalog could not be opened; the previous one (if any) stays in use."""

    message: str


@dataclass
class RankingsReady(Message):
    """Every requirement ranked under `view` (fills the best-score columns)."""

    session: CatalogSession
    view: ViewOptions
    rankings: dict[str, Ranked]


@dataclass
class PairingsReady(Message):
    session: CatalogSession
    view: ViewOptions
    requirement_id: str
    ranked: Ranked


@dataclass
class RankFailed(Message):
    message: str


@dataclass
class AdhocRanked(Message):
    text: str
    requirement: Requirement
    ranked: Ranked


@dataclass
class RefreshProgress(Message):
    stage: str
    done: int
    total: int


@dataclass
class RefreshSucceeded(Message):
    summary: str
    warnings: list[Problem]


@dataclass
class RefreshFailed(Message):
    message: str
    problems: list[Problem]


@dataclass
class GapsReady(Message):
    report: GapReport


@dataclass
class CoverageReady(Message):
    """The gap view's analysis (coprod.gaps.analyse) under a country filter."""

    analysis: Analysis
    requirements: list[Requirement]
    country: str | None


@dataclass
class ExportFinished(Message):
    message: str
    ok: bool


@dataclass
class PlanReady(Message):
    result: PlanResult


@dataclass
class PlanFailed(Message):
    message: str


# ----- the saved work (coprod.userstate): screens to the app, its workers to the UI


@dataclass
class RemoveFromShortlist(Message):
    """Remove the shortlist's entry at `index` (and forget it in the saved work)."""

    index: int


@dataclass
class AnnotateShortlisted(Message):
    """Save this decision, reason and note on the shortlisted pairing with `key`."""

    key: PairingKey
    annotation: Annotation


@dataclass
class SavedWorkLoaded(Message):
    """The saved shortlist and settings, read from the store."""

    entries: list[ShortlistEntry]
    settings: dict[str, object]
    first: bool  # the read at start (settings are restored only then)


@dataclass
class RecheckDone(Message):
    """The saved pairings compared with the catalog in use."""

    session: CatalogSession
    checks: dict[PairingKey, Recheck]


@dataclass
class StateFailed(Message):
    """The saved work could not be read or written; said once, the app goes on."""

    message: str
