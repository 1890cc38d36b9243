"""The analyst's shortlist of pairings, and its export (no textual here).

The export's file format comes from coprod.formats, the map every writer
shares: an extension the shortlist cannot be written in is refused, never
written as something else.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from coprod.errors import DataError, UsageError
from coprod.formats import SHORTLIST_FORMATS, format_for_output
from coprod.model import Pairing, Requirement

ADHOC_PREFIX = "query-"


@dataclass(frozen=True)
class ShortlistEntry:
    requirement: Requirement
    pairing: Pairing

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        """Same requirement and same two partners: the same proposal, listed once."""
        foreign = self.pairing.foreign.partner_id if self.pairing.foreign else None
        local = self.pairing.local.partner_id if self.pairing.local else None
        return (self.requirement.requirement_id, foreign, local)


class Shortlist:
    """An ordered set of entries; adding a proposal twice keeps the first."""

    def __init__(self) -> None:
        self.entries: list[ShortlistEntry] = []

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

    Uses the same writer as `coprod rank` (CSV cells formula-safe). Raises
    DataError (unwritable place) or UsageError (bad format, a folder as path).
    """
    from coprod.files import write_atomically
    from coprod.output import write_pairings

    fmt = export_format(path, fmt)
    pairings = [entry.pairing for entry in entries]
    requirements = {entry.requirement.requirement_id: entry.requirement for entry in entries}
    write_atomically(path, lambda stream: write_pairings(pairings, fmt, stream, requirements))
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
    if isinstance(data, dict):
        for key in ("pairings", "results", "shortlist"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list):
        raise DataError(f"{path}: expected a list of pairings")
    records = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise DataError(f"{path}: pairing #{index} is not an object")
        records.append((f"{path}: pairing #{index}", item))
    return records
