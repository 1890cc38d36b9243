"""Pausing the cyclic garbage collector while many acyclic objects are made."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_cyclic_gc() -> Iterator[None]:
    """No cyclic collection inside the block (reference counting still frees).

    Loading a catalog or building its index creates hundreds of thousands of
    dataclass instances, tuples and strings that hold no cycles: the collections
    their creation triggers find nothing to free, and the oldest ones walk every
    object in memory, a large share of a big catalog's load and index build.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
