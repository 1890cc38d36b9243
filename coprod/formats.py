"""The file formats coprod writes and the one map from a file name's extension to a format.

`coprod rank -o`, `coprod plan -o`, the TUI's exports (and any later writer)
all ask `format_for_output`, so a name means the same format everywhere and
an extension a command cannot write is refused with the list it can.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from coprod.errors import UsageError

FORMAT_LABELS: dict[str, str] = {
    "table": "text table",
    "csv": "CSV",
    "json": "JSON",
    "jsonl": "JSON Lines",
    "md": "Markdown",
    "html": "HTML",
    "ics": "iCalendar",
}

EXTENSIONS: dict[str, str] = {
    ".txt": "table",
    ".csv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".ics": "ics",
}

# What each writer can produce.
RANK_FORMATS: tuple[str, ...] = ("table", "csv", "json", "jsonl", "md")
PLAN_FORMATS: tuple[str, ...] = ("table", "csv", "json", "md", "ics")
SHORTLIST_FORMATS: tuple[str, ...] = ("csv", "json", "md")
BRIEF_FORMATS: tuple[str, ...] = ("md", "html")


def format_from_path(path: Path | str) -> str | None:
    """The format a file name asks for by its extension (VisiData's habit), or None."""
    return EXTENSIONS.get(Path(path).suffix.casefold())


def extensions_for(formats: Collection[str]) -> list[str]:
    """The extensions that name one of `formats`, in the order of EXTENSIONS."""
    return [extension for extension, fmt in EXTENSIONS.items() if fmt in formats]


def format_for_output(path: Path | str, allowed: Collection[str]) -> str:
    """The format `path`'s extension names, if the writer can produce it.

    Raises UsageError naming the extensions it can write otherwise.
    """
    fmt = format_from_path(path)
    if fmt is None or fmt not in allowed:
        known = ", ".join(extensions_for(allowed))
        what = "cannot tell the format of" if fmt is None else "cannot write"
        raise UsageError(f"{what} {str(path)!r} from its extension (use {known})")
    return fmt
