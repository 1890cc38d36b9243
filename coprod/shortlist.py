"""The analyst's shortlist of pairings, its re-check against a catalog, and its export
(no textual here).

The shortlist itself is saved in the user-state store (coprod.userstate);
`recheck` compares each saved pairing with what the catalog in use offers now
(after a refresh, or on another catalog file) and says what changed, never
dropping one silently. The export's file format comes from coprod.formats,
the map every writer shares: an extension the shortlist cannot be written in
is refused, never written as something else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from coprod import LOCAL_COUNTRY
from coprod.errors import DataError, UsageError
from coprod.formats import SHORTLIST_FORMATS, format_for_output
from coprod.model import Catalog, Pairing, Requirement
from coprod.userstate import Annotation, PairingKey, pairing_key

if TYPE_CHECKING:
    from coprod.ranking import Ranker

ADHOC_PREFIX = "query-"


@dataclass(frozen=True)
class ShortlistEntry:
    requirement: Requirement
    pairing: Pairing
    # what the analyst wrote on it (decision, reason, note): exported with it
    annotation: Annotation = field(default_factory=Annotation)

    @property
    def key(self) -> PairingKey:
        """Same requirement and same two partners: the same proposal, listed once."""
        return pairing_key(self.pairing)


class Shortlist:
    """An ordered set of entries; adding a proposal twice keeps the first."""

    def __init__(self) -> None:
        self.entries: list[ShortlistEntry] = []
        # what the catalog in use says of each entry now (see recheck), by key
        self.checks: dict[PairingKey, Recheck] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, entry: ShortlistEntry, known_ids: Collection[str] = ()) -> bool:
        """True when added, False when the same proposal was already there.

        An ad-hoc requirement (its id not in `known_ids`) gets an id of its
        own per distinct text, "query-1", "query-2"..., so an export keeps
        two typed queries apart.
        """
        if known_ids and entry.requirement.requirement_id not in known_ids:
            entry = self._with_adhoc_id(entry)
        if any(existing.key == entry.key for existing in self.entries):
            return False
        self.entries.append(entry)
        return True

    def _with_adhoc_id(self, entry: ShortlistEntry) -> ShortlistEntry:
        text = entry.requirement.title
        for existing in self.entries:
            if existing.requirement.requirement_id.startswith(ADHOC_PREFIX) and (
                existing.requirement.title == text
            ):
                new_id = existing.requirement.requirement_id
                break
        else:
            used = {e.requirement.requirement_id for e in self.entries}
            number = 1
            while f"{ADHOC_PREFIX}{number}" in used:
                number += 1
            new_id = f"{ADHOC_PREFIX}{number}"
        return ShortlistEntry(
            replace(entry.requirement, requirement_id=new_id),
            replace(entry.pairing, requirement_id=new_id),
        )

    def remove(self, index: int) -> ShortlistEntry:
        return self.entries.pop(index)

    def annotate(self, index: int, annotation: Annotation) -> ShortlistEntry:
        self.entries[index] = replace(self.entries[index], annotation=annotation)
        return self.entries[index]

    def replace_all(self, entries: Sequence[ShortlistEntry]) -> None:
        """The entries as saved (the store is the truth: another window may have changed it)."""
        self.entries = list(entries)


# ----------------------------------------------------------------------- re-check

RecheckStatus = Literal["unchanged", "score_changed", "verdict_changed", "gone"]
# How many pairings a re-check ranking looks through for a saved one (per requirement and
# supplier country): the saved pairing need not be in the top few any more to be found.
RECHECK_DEPTH = 500

_VERDICT_WORDS = {"ok": "feasible", "consent_required": "consent required", "blocked": "blocked"}


@dataclass(frozen=True)
class Recheck:
    """What became of one saved pairing in the catalog in use."""

    key: PairingKey
    status: RecheckStatus
    saved_score: float | None  # None: the saved copy did not say (a file without it)
    saved_feasibility: str | None
    current: Pairing | None = None  # as the catalog ranks it now; None when gone
    why_gone: str = ""  # "requirement TW-099 is not in this catalog"...

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"

    def describe(self) -> str:
        """In a few words for the shortlist: "score 72.3 → 65.0", "now blocked", "no longer
        in this catalog (partner rtx is gone)"; "" when nothing changed."""
        if self.status == "gone" or self.current is None:
            return (
                f"no longer in this catalog ({self.why_gone})"
                if self.why_gone
                else ("no longer in this catalog")
            )
        score = f"score {self.saved_score or 0:.1f} → {self.current.score:.1f}"
        if self.status == "verdict_changed":
            verdict = f"now {verdict_words(self.current.feasibility)}"
            if self.saved_score is None or _same_score(self.saved_score, self.current.score):
                return verdict
            return f"{verdict}, {score}"
        if self.status == "score_changed":
            return score
        return ""


def verdict_words(feasibility: str) -> str:
    """ "feasible", "consent required", "blocked"."""
    return _VERDICT_WORDS.get(feasibility, feasibility)


def _same_score(a: float, b: float) -> bool:
    return round(float(a), 2) == round(float(b), 2)


def _compare(
    key: PairingKey, score: float | None, feasibility: str | None, current: Pairing
) -> Recheck:
    if feasibility is not None and feasibility != current.feasibility:
        status: RecheckStatus = "verdict_changed"
    elif score is not None and not _same_score(score, current.score):
        status = "score_changed"
    else:
        status = "unchanged"
    return Recheck(key, status, score, feasibility, current)


# rank(requirement, supplier country) -> the catalog's pairings for it, deep enough to hold
# any pairing of a partner from that country.
RankDeep = Callable[[Requirement, str], Sequence[Pairing]]


def is_adhoc(requirement_id: str) -> bool:
    from coprod.ranking import ADHOC_REQUIREMENT_ID

    return requirement_id == ADHOC_REQUIREMENT_ID or requirement_id.startswith(ADHOC_PREFIX)


@dataclass(frozen=True)
class SavedCopy:
    """What a re-check needs of a saved pairing: its requirement (a typed query's text is
    ranked again), its key, and its score and verdict when saved (None: not known)."""

    requirement: Requirement
    key: PairingKey
    score: float | None = None
    feasibility: str | None = None


def recheck(
    saved: Sequence[tuple[Requirement, Pairing]], catalog: Catalog, rank: RankDeep
) -> list[Recheck]:
    """For each saved (requirement, pairing), in order, what the catalog offers now
    (`recheck_copies` of their keys, scores and verdicts)."""
    copies = [
        SavedCopy(requirement, pairing_key(pairing), pairing.score, pairing.feasibility)
        for requirement, pairing in saved
    ]
    return recheck_copies(copies, catalog, rank)


def recheck_copies(saved: Sequence[SavedCopy], catalog: Catalog, rank: RankDeep) -> list[Recheck]:
    """For each saved copy, in order, what the catalog offers now.

    The same requirement id and the same two partner ids make the same
    pairing in any catalog file. A requirement the catalog lacks (typed
    queries are ranked again from their saved text) or a partner it lacks
    makes the pairing "gone", said with the reason; so does a pairing the
    ranking no longer offers (the partners' lines no longer match). The one
    rule for the TUI's shortlist and for a briefing of a shortlist.
    """
    results: list[Recheck] = []
    ranked: dict[tuple[str, str], Sequence[Pairing]] = {}
    for copy in saved:
        key = copy.key
        rid, foreign_id, local_id = key

        def gone(why: str, *, _copy: SavedCopy = copy) -> Recheck:
            return Recheck(_copy.key, "gone", _copy.score, _copy.feasibility, None, why)

        current_requirement = catalog.requirements.get(rid)
        if current_requirement is None:
            if not is_adhoc(rid):
                results.append(gone(f"requirement {rid} is not in it"))
                continue
            current_requirement = copy.requirement
        missing = [pid for pid in (foreign_id, local_id) if pid and pid not in catalog.partners]
        if missing:
            who = " and ".join(f"partner {pid}" for pid in missing)
            results.append(gone(f"{who} {'is' if len(missing) == 1 else 'are'} not in it"))
            continue
        country = catalog.partners[foreign_id].country if foreign_id else LOCAL_COUNTRY
        place = (rid, country)
        if place not in ranked:
            ranked[place] = rank(current_requirement, country)
        current = next((p for p in ranked[place] if pairing_key(p) == key), None)
        if current is None:
            results.append(gone("the partners' lines no longer match this requirement"))
        else:
            results.append(_compare(key, copy.score, copy.feasibility, current))
    return results


def deep_rank(ranker: Ranker) -> RankDeep:
    """The catalog's own ranking for a re-check, RECHECK_DEPTH pairings deep per country."""
    from dataclasses import replace as copy_with

    from coprod.ranking import RankOptions

    options = RankOptions(
        top=RECHECK_DEPTH, per_partner=RECHECK_DEPTH, locals_per_foreign=RECHECK_DEPTH
    )

    def rank(requirement: Requirement, country: str) -> Sequence[Pairing]:
        return ranker.rank(requirement, copy_with(options, countries=(country,)))

    return rank


def recheck_with_ranker(
    saved: Sequence[tuple[Requirement, Pairing]], catalog: Catalog, ranker: Ranker
) -> list[Recheck]:
    """`recheck` with the catalog's own ranker, looking RECHECK_DEPTH pairings deep."""
    return recheck(saved, catalog, deep_rank(ranker))


def _check_writable_place(path: Path) -> None:
    if path.is_dir():
        raise UsageError(f"{path} is a folder: type a file name")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"folder {folder} does not exist")


def export_format(path: Path, chosen: str | None = None) -> str:
    """The format to export to `path`: the one chosen, else the one its extension names.

    Raises UsageError for a place no file can be written (a folder, a missing
    folder) first, then for a format the shortlist cannot be written in.
    """
    _check_writable_place(path)
    if chosen:
        if chosen not in SHORTLIST_FORMATS:
            raise UsageError(f"unknown export format {chosen!r} ({', '.join(SHORTLIST_FORMATS)})")
        return chosen
    return format_for_output(path, SHORTLIST_FORMATS)


def export_shortlist(entries: list[ShortlistEntry], path: Path, fmt: str) -> int:
    """Write the entries' pairings to `path` atomically; returns how many were written.

    Uses the same writer as `coprod rank` (CSV cells formula-safe); when any entry
    has a decision or note, every row carries `decision`, `decision_reason` and
    `note` (the columns `coprod brief --shortlist` reads). Raises
    DataError (unwritable place) or UsageError (bad format, a folder as path).
    """
    from coprod.files import write_atomically
    from coprod.output import write_pairings

    fmt = export_format(path, fmt)
    pairings = [entry.pairing for entry in entries]
    requirements = {entry.requirement.requirement_id: entry.requirement for entry in entries}
    annotations = {e.key: e.annotation for e in entries if not e.annotation.empty}
    write_atomically(
        path, lambda stream: write_pairings(pairings, fmt, stream, requirements, annotations)
    )
    return len(entries)


def shortlist_json_records(path: Path, text: str) -> list[tuple[str, dict[str, object]]]:
    """The pairings of a shortlist export in JSON (a list, or an object holding one under
    "pairings", "results" or "shortlist") or JSON Lines, each with where it stands.

    Raises DataError naming the file and line (JSONL) or entry (JSON); a caller
    handles RecursionError from a too deeply nested file.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as whole_error:
        # JSONL: one object per line.
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                raise DataError(
                    f"{path}:{whole_error.lineno}:{whole_error.colno}: not valid JSON "
                    f"({whole_error.msg})"
                ) from None
            if not isinstance(item, dict):
                raise DataError(f"{path}:{number}: expected a JSON object per line") from None
            records.append((f"{path}:{number}", item))
        return records
    held_under = None
    if isinstance(data, dict):
        for key in ("pairings", "results", "shortlist"):
            if isinstance(data.get(key), list):
                data, held_under = data[key], key
                break
    if not isinstance(data, list):
        raise DataError(f"{path}: expected a list of pairings")
    records = []
    starts = _item_starts(text, held_under)
    for start, item in zip(starts, data, strict=True):
        where = f"{path}:{_line_and_column(text, start)}"
        if not isinstance(item, dict):
            raise DataError(f"{where}: expected a JSON object for each pairing")
        records.append((where, item))
    return records


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _item_starts(text: str, held_under: str | None) -> list[int]:
    """Where each item of the pairings' list starts in `text`, valid JSON whose list is
    the whole document or the value of the top object's member `held_under` (the last
    one, as json.loads keeps the last of repeated names)."""
    decoder = json.JSONDecoder()
    position = _JSON_SPACE.match(text).end()
    if held_under is not None:
        position += 1  # "{"
        found = position
        while True:
            position = _JSON_SPACE.match(text, position).end()
            if text[position] == "}":
                break
            name, position = decoder.raw_decode(text, position)
            position = _JSON_SPACE.match(text, position).end() + 1  # ":"
            position = _JSON_SPACE.match(text, position).end()
            if name == held_under:
                found = position
            _, position = decoder.raw_decode(text, position)
            position = _JSON_SPACE.match(text, position).end()
            if text[position] == ",":
                position += 1
        position = found
    position += 1  # "["
    starts = []
    while True:
        position = _JSON_SPACE.match(text, position).end()
        if text[position] == "]":
            return starts
        starts.append(position)
        _, position = decoder.raw_decode(text, position)
        position = _JSON_SPACE.match(text, position).end()
        if text[position] == ",":
            position += 1


def _line_and_column(text: str, position: int) -> str:
    line = text.count("\n", 0, position) + 1
    return f"{line}:{position - text.rfind(chr(10), 0, position)}"
