"""`coprod eval`: not built yet (see the open issues)."""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from coprod.errors import UsageError

    raise UsageError("'coprod eval' is not built yet")
