"""The user's configuration file: defaults for `coprod rank` and the TUI, and key remapping.

A TOML file (stdlib tomllib) at $COPROD_CONFIG, else config.toml in the user
config directory ($XDG_CONFIG_HOME/coprod on Linux; coprod.paths). Every
setting is optional; a missing file means every default. Flags on the command
line win over the file.

    top = 10              # pairings per requirement (coprod rank --top)
    per_partner = 2       # at most N pairings sharing one partner (--per-partner)
    theme = "textual-dark"   # the TUI's theme at start
    gap_threshold = 50    # a requirement is covered from this score (coprod brief --threshold)

    [keys]                # action = key(s), comma-separated: Textual key names
    shortlist = "s"
    quit = "q,ctrl+q"

Problems are reported as `file:line: message` (a TOML syntax error also with
its column), an unknown setting with a "did you mean"; all of them at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from coprod.errors import DataError, Problem
from coprod.suggest import did_you_mean

# What the settings mean when the file does not set them (per_partner: the ranker's
# RankOptions default; gap_threshold: coprod.gaps.DEFAULT_COVERAGE_THRESHOLD; a test
# keeps these equal without this module importing the ranker).
DEFAULTS: dict[str, object] = {
    "top": 10,
    "per_partner": 2,
    "theme": "textual-dark",
    "gap_threshold": 50.0,
}

# The actions whose keys [keys] may remap: the ids of the TUI's bindings
# (coprod/tui/bindings.py), with the keys they have by default.
KEY_ACTIONS: dict[str, str] = {
    "shortlist": "s",
    "export": "e",
    "gaps": "g",
    "refresh": "r",
    "toggle_theme": "t",
    "help": "question_mark",
    "quit": "q",
    # the main screen's (coprod/tui/screens/main.py)
    "filter": "slash",
    "adhoc": "n",
    "country": "c",
    "toggle_blocked": "b",
    "toggle_co_producers": "a",
    "sort": "o",
    "shortlist_add": "space",
}

_KEY_NAME = re.compile(r"^[A-Za-z0-9_+\-]+(,[A-Za-z0-9_+\-]+)*$")


class ConfigError(DataError):
    """The config file cannot be used; carries every problem found (exit 1)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class Setting:
    """One setting in effect and where it comes from."""

    name: str
    value: object
    line: int | None = None  # where the file sets it; None: the default

    @property
    def source(self) -> str:
        return "default" if self.line is None else f"file, line {self.line}"


@dataclass(frozen=True)
class Config:
    """The settings in effect: the file's over the defaults."""

    path: Path
    exists: bool
    settings: dict[str, Setting] = field(default_factory=dict)
    keys: dict[str, Setting] = field(default_factory=dict)

    def value(self, name: str) -> object:
        return self.settings[name].value

    def from_file(self, name: str) -> bool:
        return self.settings[name].line is not None

    @property
    def top(self) -> int:
        return int(self.value("top"))  # type: ignore[call-overload]

    @property
    def per_partner(self) -> int:
        return int(self.value("per_partner"))  # type: ignore[call-overload]

    @property
    def theme(self) -> str:
        return str(self.value("theme"))

    @property
    def gap_threshold(self) -> float:
        return float(self.value("gap_threshold"))  # type: ignore[arg-type]

    def keymap(self) -> dict[str, str]:
        """Binding id -> keys, only for the actions the file remaps (Textual's keymap)."""
        return {name: str(s.value) for name, s in self.keys.items() if s.line is not None}


def _defaults(path: Path, exists: bool) -> Config:
    return Config(
        path,
        exists,
        {name: Setting(name, value) for name, value in DEFAULTS.items()},
        {name: Setting(name, key) for name, key in KEY_ACTIONS.items()},
    )


def find_line(text: str, key: str, table: str | None = None) -> int | None:
    """The 1-based line where `key` is set at the top level (table None) or in [table]."""
    current: str | None = None
    pattern = re.compile(rf"""^\s*(["']?){re.escape(key)}\1\s*=""")
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header.group(1).strip("\"'")
            continue
        if current == table and pattern.match(line):
            return number
    return None


def _check_number(name: str, value: object, low: float, high: float | None, integer: bool) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{name} must be a number, not {type(value).__name__}"
    if integer and not isinstance(value, int):
        return f"{name} must be a whole number, not {value!r}"
    if value < low or (high is not None and value > high):
        upper = f"..{high:g}" if high is not None else " or more"
        return f"{name} must be {low:g}{upper}, not {value!r}"
    return ""


def _check(name: str, value: object) -> str:
    """What is wrong with a top-level setting's value ("" when nothing)."""
    if name in ("top", "per_partner"):
        return _check_number(name, value, 1, None, integer=True)
    if name == "gap_threshold":
        return _check_number(name, value, 0, 100, integer=False)
    if name == "theme" and (not isinstance(value, str) or not value.strip()):
        return 'theme must be a theme\'s name in quotes, e.g. "textual-light"'
    return ""


def parse_config(path: Path, text: str) -> Config:
    """The config `text` read from `path`, over the defaults; raises ConfigError."""
    import tomllib

    where = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # Python 3.14 gives lineno/colno; older ones only say "(at line L, column C)".
        message = getattr(error, "msg", str(error))
        line = getattr(error, "lineno", None)
        column = getattr(error, "colno", None)
        place = re.search(r"\s*\(at line (\d+), column (\d+)\)", message)
        if place:
            line, column = line or int(place.group(1)), column or int(place.group(2))
            message = message[: place.start()] + message[place.end() :]
        message = message.strip() or "syntax error"
        raise ConfigError([Problem(where, line, column, f"not valid TOML ({message})")]) from None
    config = _defaults(path, True)
    problems: list[Problem] = []
    known = [*DEFAULTS, "keys"]
    for name, value in data.items():
        line = find_line(text, name)
        if name == "keys":
            if not isinstance(value, dict):
                problems.append(Problem(where, line, None, "keys must be a table: [keys]"))
            else:
                problems += _read_keys(where, text, value, config)
            continue
        if name not in DEFAULTS:
            hint = did_you_mean(name, known)
            problems.append(Problem(where, line, None, f"unknown setting {name!r}{hint}"))
            continue
        wrong = _check(name, value)
        if wrong:
            problems.append(Problem(where, line, None, wrong))
            continue
        if name == "gap_threshold":
            value = float(value)
        config.settings[name] = Setting(name, value, line or 0)
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: p.line or 0))
    return config


def _read_keys(where: str, text: str, table: dict, config: Config) -> list[Problem]:
    problems = []
    for action, keys in table.items():
        line = find_line(text, action, "keys")
        if action not in KEY_ACTIONS:
            hint = did_you_mean(action, list(KEY_ACTIONS))
            message = f"unknown action {action!r} in [keys]{hint}"
            problems.append(Problem(where, line, None, message))
        elif not isinstance(keys, str) or not _KEY_NAME.match(keys.replace(" ", "")):
            problems.append(
                Problem(
                    where,
                    line,
                    None,
                    f"keys.{action} must be key names in quotes, comma-separated "
                    '(e.g. "s" or "f2,ctrl+s")',
                )
            )
        else:
            config.keys[action] = Setting(action, keys.replace(" ", ""), line or 0)
    return problems


def load_config(path: Path | None = None) -> Config:
    """The config at `path` (default: coprod.paths.resolve_config_path()); the defaults
    when there is no file. Raises ConfigError for a file that cannot be used."""
    from coprod.paths import resolve_config_path

    path = path or resolve_config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _defaults(path, False)
    except OSError as error:
        message = f"cannot read ({error.strerror or error})"
        raise ConfigError([Problem(str(path), None, None, message)]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ConfigError([Problem(str(path), line, None, "not UTF-8 text")]) from None
    return parse_config(path, text)
