"""Rank many requirements on several cores, with the same results as `Ranker.rank_many`.

Ranking is CPU-bound Python and numpy work on small arrays, so threads would
fight over the GIL; worker *processes* forked after the index is built share
it copy-on-write and start in milliseconds (spawning fresh interpreters would
mean loading the catalog and the index again in each). Each worker ranks
contiguous slices of the requirements and sends back plain `Pairing` objects;
the slices are put back in the caller's order, so the result (and its order)
is exactly what one process gives.

Forking is only used where it is safe and pays: on Linux, for batches of at
least `MIN_PER_WORKER` requirements per worker; elsewhere the batch runs in
this process, with the same results. The TUI does
not use this module (forking a process with a running event loop and UI
threads is not safe); it ranks in worker threads instead.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import sys
import warnings
from collections.abc import Callable, Sequence

from coprod.model import Pairing, Requirement
from coprod.ranking import Ranker, RankOptions

# Below this many requirements per worker, the fork and the transfer of the
# results back cost more than the second core saves.
MIN_PER_WORKER = 32
# Requirements per task: small enough that the workers finish together (and that
# progress moves), big enough that each task still makes batched rapidfuzz calls.
SLICE_SIZE = 64

Progress = Callable[[int, int], None]  # (requirements done, total)

# The ranker the forked workers inherit (set only while a pool runs).
_shared_ranker: Ranker | None = None


def default_workers() -> int:
    """One worker per CPU this process may use."""
    from coprod.processes import usable_cpus

    return usable_cpus()


def rank_many(
    ranker: Ranker,
    requirements: Sequence[Requirement],
    options: RankOptions | None = None,
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> dict[str, list[Pairing]]:
    """Rank every requirement; `workers` > 1 spreads the work over forked processes.

    The result is the same dict, in the same order, as `ranker.rank_many`.
    """
    options = options or RankOptions()
    requirements = list(requirements)
    total = len(requirements)
    workers = effective_workers(workers, total)
    if workers <= 1:
        return _rank_in_process(ranker, requirements, options, progress)

    slices = [requirements[i : i + SLICE_SIZE] for i in range(0, total, SLICE_SIZE)]
    results: dict[str, list[Pairing]] = {}
    done = 0
    global _shared_ranker
    _shared_ranker = ranker
    # Objects that exist now are never collected in the workers: without this the
    # collector's bookkeeping writes would copy every shared page of the index.
    gc.freeze()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns about forking a process with threads; the workers
            # only run numpy and rapidfuzz, never DuckDB, whose threads are idle.
            warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*fork.*")
            context = multiprocessing.get_context("fork")
            with context.Pool(workers, initializer=_ignore_interrupts) as pool:
                for part in pool.imap(_rank_slice, [(s, options) for s in slices]):
                    results.update(part)
                    done += len(part)
                    if progress:
                        progress(done, total)
    finally:
        _shared_ranker = None
        gc.unfreeze()
    # A requirement filtered out by category is absent from every part, as in rank_many.
    return {
        r.requirement_id: results[r.requirement_id]
        for r in requirements
        if r.requirement_id in results
    }


def effective_workers(workers: int, total: int) -> int:
    """How many processes `rank_many` really uses for `total` requirements."""
    # Only Linux: macOS offers fork but its system libraries are not fork-safe
    # (Python itself defaults to spawn there), and Windows has no fork at all.
    if workers <= 1 or not sys.platform.startswith("linux"):
        return 1
    return max(1, min(workers, total // MIN_PER_WORKER))


def _rank_in_process(
    ranker: Ranker,
    requirements: list[Requirement],
    options: RankOptions,
    progress: Progress | None,
) -> dict[str, list[Pairing]]:
    if progress is None:
        return ranker.rank_many(requirements, options)
    results: dict[str, list[Pairing]] = {}
    for start in range(0, len(requirements), SLICE_SIZE):
        results.update(ranker.rank_many(requirements[start : start + SLICE_SIZE], options))
        progress(min(start + SLICE_SIZE, len(requirements)), len(requirements))
    return results


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool, and the
    # workers must not each print a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _rank_slice(task: tuple[list[Requirement], RankOptions]) -> dict[str, list[Pairing]]:
    requirements, options = task
    assert _shared_ranker is not None, "the pool is forked after the ranker is shared"
    return _shared_ranker.rank_many(requirements, options)
