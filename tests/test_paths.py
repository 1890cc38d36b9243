"""coprod.paths finds the user data and config folders where platformdirs does."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# In a fresh process with the given environment: coprod's two folders (and whether
# platformdirs was imported to find them), then platformdirs' own answer.
_CODE = """
import json, sys
from coprod.paths import resolve_config_path, user_data_path
ours = [str(user_data_path("state.sqlite3")), str(resolve_config_path())]
imported = "platformdirs" in sys.modules
from pathlib import Path
from platformdirs import user_config_dir, user_data_dir
theirs = [str(Path(user_data_dir("coprod", appauthor=False)) / "state.sqlite3"),
          str(Path(user_config_dir("coprod", appauthor=False)) / "config.toml")]
print(json.dumps({"ours": ours, "theirs": theirs, "imported": imported}))
"""


def _folders(tmp_path, **environ: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "COPROD_"))}
    for name, value in environ.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    run = subprocess.run(
        [sys.executable, "-c", _CODE], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize(
    "environ",
    [
        {"HOME": "/home/analyst"},
        {"HOME": "/home/analyst/"},
        {"HOME": "/"},
        {"HOME": "/home/analyst", "XDG_DATA_HOME": "/data/x", "XDG_CONFIG_HOME": "/etc/y"},
        {"HOME": "/home/analyst", "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": ""},
        # left to platformdirs: a relative XDG value, padded, a relative or missing HOME
        {"HOME": "/home/analyst", "XDG_DATA_HOME": "rel/data", "XDG_CONFIG_HOME": "rel"},
        {"HOME": "/home/analyst", "XDG_DATA_HOME": "  ", "XDG_CONFIG_HOME": " /c "},
        {"HOME": "relative/home"},
        {"HOME": None},
    ],
)
def test_the_user_folders_are_platformdirs_folders(tmp_path, environ) -> None:
    found = _folders(tmp_path, **environ)
    assert found["ours"] == found["theirs"]


@pytest.mark.skipif(sys.platform != "linux", reason="the plain Linux case skips platformdirs")
def test_the_plain_linux_case_does_not_import_platformdirs(tmp_path) -> None:
    plain = _folders(tmp_path, HOME="/home/analyst", XDG_CONFIG_HOME="/cfg")
    assert plain["ours"] == [
        "/home/analyst/.local/share/coprod/state.sqlite3",
        "/cfg/coprod/config.toml",
    ]
    assert not plain["imported"]
    assert _folders(tmp_path, HOME="relative")["imported"]
