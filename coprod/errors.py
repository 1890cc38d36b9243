"""Typed errors raised by the core. The core never prints: callers render these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Problem:
    """One finding about input data, pinned to a place in a file.

    `line` is 1-based and counts physical lines of the file (a quoted field
    with embedded newlines spans several). `column` is 1-based and counts
    characters; None where the problem concerns a whole line or file.
    """

    file: str
    line: int | None
    column: int | None
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        prefix = "" if self.severity == "error" else "warning: "
        return f"{place}: {prefix}{self.message}"


class CoprodError(Exception):
    """Base of every error the core raises on purpose."""

    exit_code = 1


class UsageError(CoprodError):
    """The caller asked for something that cannot mean anything (exit 2)."""

    exit_code = 2


class DataError(CoprodError):
    """The data cannot serve the request: unknown id, missing catalog... (exit 1)."""

    exit_code = 1


class CatalogValidationError(DataError):
    """Input files failed validation; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in catalog input")


def describe_error(error: BaseException) -> str:
    """Any error as one sentence for a person: what failed and, for files, which one.

    The CLI prints it and the TUI shows it in its dialogs, so both say the same
    thing; an exception's repr (`OSError: [Errno 30] ...`) is never shown.
    """
    if isinstance(error, CoprodError):
        return str(error)
    if isinstance(error, OSError):
        reason = error.strerror or str(error) or type(error).__name__
        if error.filename is not None:
            return f"cannot use {error.filename}: {reason}"
        return reason
    if isinstance(error, RecursionError):
        return "the input is nested too deeply to read"
    if isinstance(error, OverflowError):
        return "a number in the input or the options is too large"
    if isinstance(error, MemoryError):
        return "not enough memory for this input"
    text = str(error).strip()
    first = text.splitlines()[0] if text else ""
    # DuckDB's messages start with their kind ("IO Error: ..."): enough as they are.
    return first or type(error).__name__


def first_line(error: BaseException) -> str:
    """The first line of an error's message (DuckDB's run to several), or its type's name."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def shortened(value: object, limit: int = 60) -> str:
    """`value` as text for quoting in a message, cut to `limit` characters with an ellipsis."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
