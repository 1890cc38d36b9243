"""argparse value types shared by the commands: one wording for one mistake."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole_number(minimum: int) -> Callable[[str], int]:
    """A type accepting whole numbers >= minimum."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            if minimum == 0:
                raise argparse.ArgumentTypeError(f"cannot be negative, got {value}")
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def number_in(
    low: float, high: float, *, what: str = "a number", low_inclusive: bool = True
) -> Callable[[str], float]:
    """A type accepting numbers between low and high (high inclusive)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        above_low = value >= low if low_inclusive else value > low
        if not (above_low and value <= high):
            raise argparse.ArgumentTypeError(f"must be between {low:g} and {high:g}, got {text}")
        return value

    return parse


positive_int = whole_number(1)
non_negative_int = whole_number(0)
