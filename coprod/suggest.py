"""'Did you mean' for ids and names typed by hand (requirement ids, countries, categories).

Standard library only; difflib is imported when a guess is needed, so the
paths that never make one (a known id) do not pay for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# How far below the best guess another guess may score and still be offered.
NEAR_BEST = 0.15


def exact_ignoring_case(word: str, choices: Iterable[str]) -> str | None:
    """The choice equal to `word` apart from case and surrounding spaces, if any."""
    wanted = word.strip().casefold()
    for choice in choices:
        if choice.casefold() == wanted:
            return choice
    return None


def close_matches(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """Up to `limit` choices that look like `word`, best first, compared without case.

    Ids often differ only in a prefix or zero padding ("R-7" for "TW-R-007"), so a
    choice containing the typed text also counts as close, after difflib's guesses.
    """
    import difflib

    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.casefold(), choice)
    wanted = word.strip().casefold()
    if not wanted:
        return []
    guesses = difflib.get_close_matches(wanted, list(by_folded), n=limit, cutoff=0.6)
    if guesses:
        # Only guesses nearly as good as the best: "req-atgn" means "req-atgm",
        # not also "req-coastal", which merely shares the prefix.
        best = difflib.SequenceMatcher(None, wanted, guesses[0]).ratio()
        guesses = [
            guess
            for guess in guesses
            if difflib.SequenceMatcher(None, wanted, guess).ratio() >= best - NEAR_BEST
        ]
    for folded in by_folded:
        if len(guesses) >= limit:
            break
        if len(wanted) >= 2 and wanted in folded and folded not in guesses:
            guesses.append(folded)
    return [by_folded[folded] for folded in guesses]


def did_you_mean(word: str, choices: Iterable[str], limit: int = 3) -> str:
    """A phrase to append to an error message: "; did you mean 'a' or 'b'?", or ""."""
    return suggestion(close_matches(word, choices, limit))


def suggestion(guesses: Sequence[str]) -> str:
    """`guesses` as the phrase `did_you_mean` appends ("" when there are none)."""
    if not guesses:
        return ""
    quoted = [repr(guess) for guess in guesses]
    if len(quoted) == 1:
        return f"; did you mean {quoted[0]}?"
    return f"; did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"
