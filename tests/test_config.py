"""The config file (coprod.config) and `coprod config`, `coprod rank` reading it, as real
processes; every test points $COPROD_CONFIG at a file under tmp_path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coprod.config import DEFAULTS, KEY_ACTIONS, ConfigError, find_line, load_config, parse_config


def coprod(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COPROD_")}
    return subprocess.run(
        [sys.executable, "-m", "coprod", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**environment, **(env or {})},
        timeout=120,
    )


def test_defaults_match_the_code_they_stand_for():
    from coprod.gaps import DEFAULT_COVERAGE_THRESHOLD
    from coprod.ranking import RankOptions

    assert DEFAULTS["per_partner"] == RankOptions().per_partner
    assert DEFAULTS["gap_threshold"] == DEFAULT_COVERAGE_THRESHOLD
    assert DEFAULTS["top"] == 10


def test_key_actions_are_the_tui_binding_ids():
    from coprod.tui.bindings import APP_BINDINGS
    from coprod.tui.screens.main import MainScreen

    bindings = [*APP_BINDINGS, *MainScreen.BINDINGS]
    ids = {binding.id: binding.key for binding in bindings if binding.id}
    assert ids == KEY_ACTIONS


def test_missing_file_means_defaults(tmp_path):
    config = load_config(tmp_path / "none.toml")
    assert not config.exists
    assert config.top == 10 and config.per_partner == 2 and config.gap_threshold == 50
    assert all(s.source == "default" for s in config.settings.values())
    assert config.keymap() == {}


def test_values_from_the_file_with_their_lines(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '# mine\ntop = 5\ntheme = "textual-light"\n\n[keys]\nquit = "ctrl+q"\n'
        'shortlist = "f2, s"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.top == 5 and config.settings["top"].source == "file, line 2"
    assert config.theme == "textual-light"
    assert config.settings["per_partner"].source == "default"
    assert config.keymap() == {"quit": "ctrl+q", "shortlist": "f2,s"}
    assert config.keys["quit"].line == 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("top = \n", ["config.toml:1:7: not valid TOML (Invalid value)"]),
        (
            "top = 3\nper_partnr = 2\n",
            ["config.toml:2: unknown setting 'per_partnr'; did you mean 'per_partner'?"],
        ),
        ('top = "ten"\n', ["config.toml:1: top must be a number, not str"]),
        ("top = 0\n", ["config.toml:1: top must be 1 or more, not 0"]),
        ("top = 2.5\n", ["config.toml:1: top must be a whole number, not 2.5"]),
        ("gap_threshold = 140\n", ["config.toml:1: gap_threshold must be 0..100, not 140"]),
        (
            '\n[keys]\nshortlst = "x"\nquit = 3\n',
            [
                "config.toml:3: unknown action 'shortlst' in [keys]; did you mean 'shortlist'?",
                'config.toml:4: keys.quit must be key names in quotes, comma-separated (e.g. "s"'
                ' or "f2,ctrl+s")',
            ],
        ),
        ("keys = 3\n", ["config.toml:1: keys must be a table: [keys]"]),
    ],
)
def test_problems_name_file_and_line(text, expected):
    with pytest.raises(ConfigError) as caught:
        parse_config(Path("config.toml"), text)
    assert [str(p) for p in caught.value.problems] == expected


def test_find_line_tells_tables_apart():
    text = 'quit = 1\n[keys]\n"quit" = "q"\n[other]\nquit = 2\n'
    assert find_line(text, "quit") == 1
    assert find_line(text, "quit", "keys") == 3
    assert find_line(text, "quit", "other") == 5
    assert find_line(text, "missing") is None


def test_coprod_config_shows_path_and_sources(tmp_path):
    path = tmp_path / "config.toml"
    missing = coprod("config", env={"COPROD_CONFIG": str(path)})
    assert missing.returncode == 0, missing.stderr
    assert f"config file: {path} (not found: every default)" in missing.stdout
    assert "top = 10" in missing.stdout and "# default" in missing.stdout

    path.write_text('per_partner = 1\n[keys]\nhelp = "f1"\n', encoding="utf-8")
    shown = coprod("config", env={"COPROD_CONFIG": str(path)})
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert f"config file: {path} (exists)" in lines
    assert any(line.startswith("per_partner = 1 ") and "# file, line 1" in line for line in lines)
    assert any(line.startswith('help = "f1" ') and "# file, line 3" in line for line in lines)
    assert any(line.startswith("top = 10 ") and line.endswith("# default") for line in lines)


def test_coprod_config_reports_every_problem_and_exits_1(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('tpo = 3\n[keys]\nqiut = "q"\n', encoding="utf-8")
    result = coprod("config", env={"COPROD_CONFIG": str(path)})
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"coprod: error: {path}:1: unknown setting 'tpo'; did you mean 'top'?",
        f"coprod: error: {path}:3: unknown action 'qiut' in [keys]; did you mean 'quit'?",
    ]
    assert result.stdout == ""


def test_rank_takes_top_and_per_partner_from_the_config_and_flags_win(tmp_path, catalog_db):
    path = tmp_path / "config.toml"
    path.write_text("top = 2\nper_partner = 1\n", encoding="utf-8")
    env = {"COPROD_CONFIG": str(path)}
    base = ("--db", str(catalog_db), "rank", "-r", "req-155-guided", "-f", "json")

    def feasible(result) -> int:  # --top counts feasible pairings; blocked ones follow
        return sum(r["feasibility"] != "blocked" for r in json.loads(result.stdout))

    configured = coprod(*base, env=env)
    assert configured.returncode == 0, configured.stderr
    assert feasible(configured) == 2
    flagged = coprod(*base, "--top", "4", "--per-partner", "2", env=env)
    assert feasible(flagged) == 4
    plain = coprod(*base)
    assert feasible(plain) > 2


def test_rank_with_a_broken_config_says_where(tmp_path, catalog_db):
    path = tmp_path / "config.toml"
    path.write_text("top = -1\n", encoding="utf-8")
    result = coprod(
        "--db", str(catalog_db), "rank", "-r", "req-atgm", env={"COPROD_CONFIG": str(path)}
    )
    assert result.returncode == 1
    assert f"{path}:1: top must be 1 or more, not -1" in result.stderr
