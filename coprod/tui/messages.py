"""Messages that workers post to the UI thread (the only way results reach widgets)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from coprod.errors import Problem
    from coprod.model import Requirement
    from coprod.tui.session import CatalogSession, GapReport, Ranked, ViewOptions


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
class ExportFinished(Message):
    message: str
    ok: bool
