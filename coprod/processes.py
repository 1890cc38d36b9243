"""What the helper processes coprod starts need: how many CPUs, which environment."""

from __future__ import annotations

import os
from pathlib import Path


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the platform tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def child_python_env() -> dict[str, str]:
    """The environment for a `python -c` / `python -m coprod...` helper process: it
    imports this same coprod (a checkout run without installing it included), and
    never a `coprod` folder that happens to be in the current directory
    (PYTHONSAFEPATH: Python puts the working directory first on sys.path otherwise)."""
    package_root = str(Path(__file__).resolve().parent.parent)
    search_path = [package_root, os.environ.get("PYTHONPATH")]
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, search_path)),
        "PYTHONSAFEPATH": "1",
    }
