"""argparse value types shared by the commands: one wording for one mistake."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def _quoted(text: str, limit: int = 40) -> str:
    """A flag's value for an error message: short, with control characters visible."""
    from coprod.safe import printable

    shown = printable(text)
    return repr(shown if len(shown) <= limit else shown[: limit - 1] + "…")


def whole_number(
    minimum: int, maximum: int | None = None, *, shown_minimum: int | None = None
) -> Callable[[str], int]:
    """A type accepting whole numbers from minimum to maximum (inclusive).

    Every numeric flag has a bound: an absurd value (--rooms 1000000000, a
    5,000-digit number) is a usage error, never minutes of work or an OverflowError.
    """

    low = minimum if shown_minimum is None else shown_minimum

    def parse(text: str) -> int:
        stripped = text.strip()
        # Python's int() refuses over 4,300 digits anyway; anything past 20 is out of range.
        digits = stripped.lstrip("+-")
        if len(digits) > 20 and digits.isdigit():
            span = f"{low}..{maximum}" if maximum is not None else f"at least {minimum}"
            raise argparse.ArgumentTypeError(f"must be {span}, got a {len(digits)}-digit number")
        try:
            value = int(stripped)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a whole number, got {_quoted(text)}"
            ) from None
        if value < minimum:
            if minimum == 0:
                raise argparse.ArgumentTypeError(f"cannot be negative, got {value}")
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be {low}..{maximum}, got {value}")
        return value

    return parse


def number_in(
    low: float, high: float, *, what: str = "a number", low_inclusive: bool = True
) -> Callable[[str], float]:
    """A type accepting numbers between low and high (high inclusive)."""

    def parse(text: str) -> float:
        try:
            value = float(text[:100])
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {_quoted(text)}") from None
        if len(text) > 100:
            raise argparse.ArgumentTypeError(f"expected {what}, got {_quoted(text)}")
        above_low = value >= low if low_inclusive else value > low
        if not (above_low and value <= high):
            raise argparse.ArgumentTypeError(
                f"must be between {low:g} and {high:g}, got {_quoted(text)}"
            )
        return value

    return parse


# The documented ranges (README "Limits"): generous for real use, small enough
# that no value can make a command run for minutes or overflow a C integer.
MAX_COUNT = 10_000  # --top, --per-partner, --misses
MAX_WORKERS = 256  # --jobs, --workers
MAX_ROOMS = 1_000
MAX_MIN_MEETINGS = 1_000
MAX_SEED = 2**31 - 1  # CP-SAT's random_seed is a 32-bit integer

positive_int = whole_number(1, MAX_COUNT)
worker_count = whole_number(1, MAX_WORKERS)
# Any number below 1 passes to the planner, whose message says "need at least one room".
room_count = whole_number(-(10**18), MAX_ROOMS, shown_minimum=1)
min_meetings_count = whole_number(0, MAX_MIN_MEETINGS)
seed_number = whole_number(0, MAX_SEED)
