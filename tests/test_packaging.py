"""`pip install .` (not editable) must work from any directory: the shipped
catalog travels inside the wheel, and the headless path never loads textual."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOG_FILES = ("partners.csv", "capabilities.csv", "codevelopers.csv", "countries.csv")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    (built,) = out.glob("coprod-*.whl")
    return built


def test_wheel_carries_the_shipped_catalog(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "data").glob("*.csv")}
    assert shipped, "data/ holds no CSV files"
    for name in shipped:
        assert f"coprod/data/{name}" in names


def test_installed_wheel_runs_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "COPROD_DB": str(tmp_path / "c.duckdb")}
    probe = "import coprod, coprod.paths as p; print(coprod.__file__); print(p.shipped_data_dir())"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    module_file, data_dir = done.stdout.splitlines()
    assert module_file.startswith(str(target)), "imported the checkout, not the wheel"
    assert data_dir.startswith(str(target))
    for name in CATALOG_FILES:
        assert (Path(data_dir) / name).is_file()

    ranked = subprocess.run(
        [sys.executable, "-m", "coprod", "rank", "--all", "--top", "1", "--format", "csv"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ranked.returncode == 0, ranked.stderr
    assert ranked.stdout.startswith("requirement_id,")
    assert (tmp_path / "c.duckdb").is_file(), "first use did not build the catalog"


def test_headless_path_does_not_import_textual() -> None:
    probe = "import sys, coprod.cli; coprod.cli.build_parser(); print('textual' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "False"
