"""Normalising many lines at once, part of them in a helper process.

`tokens_many(texts, table)` is `[coprod.text.tokens(t, table) for t in texts]`;
from `PARALLEL_FROM_LINES` lines on, and with more than one CPU, a share of the
lines goes to a child process (`python -m coprod.workers.normaliser PAYLOAD`)
while this one does the rest. The work is pure Python, so threads would not help.
No textual here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from coprod.knowledge import is_knowledge_token
from coprod.purpose import head_of, purpose_lines
from coprod.rawtokens import raw_tokens_many
from coprod.text import EMPTY_TABLE, SynonymTable, canonical_tokens, in_context

# Separates lines in a helper process's answer; step 3 turns it into a space in any text.
_LINE_BREAK = "\x01"
# Catalogs this big are normalised in two processes (see tokens_many).
PARALLEL_FROM_LINES = 100_000
# The helper process's share of the lines: under half, as it starts a fresh
# interpreter, reads the synonym table back and its answer is parsed here, which
# outweighs the work the caller overlaps with it (tokens_many_started); measured
# in benchmarks/README.md (2026-12-08).
HELPER_SHARE = 0.45


def tokens_many(
    texts: Sequence[str],
    table: SynonymTable = EMPTY_TABLE,
    *,
    parallel_from: int = PARALLEL_FROM_LINES,
) -> list[tuple[str, ...]]:
    """`[tokens(t, table) for t in texts]`, faster on many lines (see raw_tokens_many).

    From `parallel_from` lines on, and with more than one CPU, part of the
    lines is normalised in a helper process while this one does the rest (the
    work is pure Python, so threads would not help); if the helper cannot run,
    everything is done here. Results are identical either way.
    """
    with tokens_many_started(texts, table, parallel_from=parallel_from) as pending:
        return pending.result()


def tokens_many_started(
    texts: Sequence[str],
    table: SynonymTable = EMPTY_TABLE,
    *,
    parallel_from: int = PARALLEL_FROM_LINES,
) -> PendingTokens:
    """Start `tokens_many(texts, table)`; `.result()` of the answer finishes it.

    The helper process starts on its share at once: work the caller does
    before asking for the result overlaps with it (the index build prepares
    its row codes meanwhile), and the helper's share is larger to match. Use
    it as a context manager, so that an error or Ctrl-C in between stops the
    helper.
    """
    texts = list(texts)
    from coprod.processes import usable_cpus

    if len(texts) < max(parallel_from, 2) or usable_cpus() < 2:
        return PendingTokens(texts, table, len(texts), None)
    split = int(len(texts) * (1 - HELPER_SHARE))
    return PendingTokens(texts, table, split, _HelperProcess.start(texts[split:], table))


class PendingTokens:
    """Tokens being made: texts[:split] here on `result()`, the rest by a helper process."""

    def __init__(
        self, texts: list[str], table: SynonymTable, split: int, helper: _HelperProcess | None
    ) -> None:
        self._texts = texts
        self._table = table
        self._split = split if helper is not None else len(texts)
        self._helper = helper

    def result(self) -> list[tuple[str, ...]]:
        texts, table, split = self._texts, self._table, self._split
        first = _tokens_many_here(texts[:split], table)
        if self._helper is None:
            return first
        rest = self._helper.result(len(texts) - split)
        self._helper = None
        return first + (rest if rest is not None else _tokens_many_here(texts[split:], table))

    def cancel(self) -> None:
        if self._helper is not None:
            self._helper.stop()
            self._helper = None

    def __enter__(self) -> PendingTokens:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cancel()  # nothing left to do after result()


def _tokens_many_here(texts: Sequence[str], table: SynonymTable) -> list[tuple[str, ...]]:
    # Distinct lines often differ only in case or punctuation: steps 4-6 then run once.
    raw_lines = raw_tokens_many(texts)
    tokens_of_raw = {raw: canonical_tokens(raw, table) for raw in dict.fromkeys(raw_lines)}
    found = list(map(tokens_of_raw.__getitem__, raw_lines))
    # only a line with a knowledge token can have one to mark
    cut = [i for i in purpose_lines(texts) if any(map(is_knowledge_token, found[i]))]
    heads = [head_of(texts[i]) for i in cut]
    # many lines share a head ("155 mm shells for ..."): each distinct one is read once
    distinct = list(dict.fromkeys(heads))
    raw_heads = raw_tokens_many(distinct)
    tokens_of_raw_head = {raw: canonical_tokens(raw, table) for raw in dict.fromkeys(raw_heads)}
    tokens_of_head = {
        head: tokens_of_raw_head[raw] for head, raw in zip(distinct, raw_heads, strict=True)
    }
    head_found = {i: tokens_of_head[head] for i, head in zip(cut, heads, strict=True)}
    return [
        in_context(text, line, head_found.get(i), table)
        for i, (text, line) in enumerate(zip(texts, found, strict=True))
    ]


def _joined_tokens(texts: Sequence[str], table: SynonymTable) -> str:
    """The helper process's answer: lines of space-joined tokens, split by _LINE_BREAK."""
    return _LINE_BREAK.join(" ".join(line) for line in _tokens_many_here(texts, table))


class _HelperProcess:
    """A plain Python child (this module run with -m) normalising lines given in a
    temporary file.

    Not multiprocessing: spawn would re-import the caller's main script, and
    fork is unsafe in a threaded TUI or beside a DuckDB connection. Not a pipe
    for the lines either: a feeder thread writing megabytes into a 64 KB pipe
    needs the GIL back after every chunk while this process normalises its own
    share, so the helper would wait for its input (benchmarks/README.md).
    """

    def __init__(self, child, payload_path: Path) -> None:
        self._child = child
        self._payload_path = payload_path

    @classmethod
    def start(cls, texts: list[str], table: SynonymTable) -> _HelperProcess | None:
        """None when the helper process cannot run (the caller then does it all)."""
        import pickle
        import subprocess
        import tempfile

        from coprod.processes import child_python_env

        try:
            handle, name = tempfile.mkstemp(prefix="coprod-tokens-", suffix=".pickle")
        except OSError:
            return None
        payload_path = Path(name)
        try:
            with os.fdopen(handle, "wb") as payload:
                pickle.dump((texts, table), payload, protocol=pickle.HIGHEST_PROTOCOL)
            child = subprocess.Popen(
                [sys.executable, "-m", "coprod.workers.normaliser", name],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=child_python_env(),
            )
        except OSError:
            payload_path.unlink(missing_ok=True)
            return None
        except BaseException:  # Ctrl-C while writing the lines: leave nothing behind
            payload_path.unlink(missing_ok=True)
            raise
        return cls(child, payload_path)

    def stop(self) -> None:
        """The caller gave up (an error, Ctrl-C): end the helper and remove its input."""
        self._child.kill()
        self._child.wait()
        self._child.stdout.close()
        self._payload_path.unlink(missing_ok=True)

    def result(self, expected: int) -> list[tuple[str, ...]] | None:
        """The helper's tokens, or None if it failed (then the caller does its share)."""
        try:
            answer = self._child.stdout.read()
        finally:
            self._child.stdout.close()
            if self._child.wait() != 0:
                answer = None
            self._payload_path.unlink(missing_ok=True)  # the helper removes it; unless it failed
        if answer is None:
            return None
        joined = answer.decode("utf-8", "surrogatepass")
        # One string object per distinct token, as in this process (memory on big catalogs).
        rest = [
            tuple(map(sys.intern, line.split(" "))) if line else ()
            for line in joined.split(_LINE_BREAK)
        ]
        return rest if len(rest) == expected else None


def _main(payload_name: str) -> None:
    """The helper's side: read the lines and table, remove the file, answer on stdout."""
    import pickle

    with open(payload_name, "rb") as payload:
        texts, table = pickle.load(payload)
    os.unlink(payload_name)
    sys.stdout.buffer.write(_joined_tokens(texts, table).encode("utf-8", "surrogatepass"))


if __name__ == "__main__":
    _main(sys.argv[1])
