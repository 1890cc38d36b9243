"""`coprod config`: where the config file is, and the settings in effect."""

from __future__ import annotations

import argparse
import json

DESCRIPTION = """\
Show the configuration: the config file's path and whether it exists, then
every setting in effect with where it came from (default, or the file's
line). The file is TOML; a missing file means every default. Command-line
flags win over it (coprod rank --top, --per-partner).

  top = 10                # pairings per requirement (coprod rank)
  per_partner = 2         # at most N pairings sharing one partner (coprod rank)
  theme = "textual-dark"  # the TUI's theme at start (t switches it)
  gap_threshold = 50      # covered from this score (coprod brief --threshold)

  [keys]                  # TUI action = key(s), comma-separated
  shortlist = "s"
  quit = "q,ctrl+q\""""

EPILOG = """\
config file: $COPROD_CONFIG, else config.toml in the user config directory
($XDG_CONFIG_HOME/coprod, ~/.config/coprod on Linux).
saved work (shortlist, notes, decisions, filters): --state PATH on rank and
tui, else $COPROD_STATE, else state.sqlite3 in the user data directory.
exit codes: 0 ok, 1 the file cannot be used (each problem as file:line)."""


def configure(parser: argparse.ArgumentParser) -> None:
    del parser  # no options: the command only shows


def _shown(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    return str(value)


def run(args: argparse.Namespace) -> int:
    del args
    from coprod.config import load_config
    from coprod.paths import resolve_config_path, resolve_state_path
    from coprod.safe import printable

    path = resolve_config_path()
    config = load_config(path)
    state = resolve_state_path()
    lines = [
        f"config file: {path} ({'exists' if config.exists else 'not found: every default'})",
        f"saved work:  {state} ({'exists' if state.is_file() else 'not yet created'})",
        "",
    ]
    rows = [(name, _shown(s.value), s.source) for name, s in config.settings.items()]
    keys = [(name, _shown(s.value), s.source) for name, s in config.keys.items()]
    width = max(len(f"{name} = {value}") for name, value, _ in rows + keys)
    lines += [f"{f'{name} = {value}':<{width}}  # {source}" for name, value, source in rows]
    lines += ["", "[keys]"]
    lines += [f"{f'{name} = {value}':<{width}}  # {source}" for name, value, source in keys]
    print("\n".join(printable(line) for line in lines))
    return 0
