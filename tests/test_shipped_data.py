"""The shipped catalog and knowledge base: complete, sourced, consistent, and its seed facts."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coprod.catalog import load_catalog, refresh_catalog
from coprod.knowledge import fold
from coprod.ranking import Ranker, RankOptions

DATA = Path(__file__).resolve().parent.parent / "data"
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    db = tmp_path_factory.mktemp("shipped") / "catalog.duckdb"
    report = refresh_catalog([DATA], db)
    return report, load_catalog(db)


def test_the_shipped_folder_loads_with_zero_warnings(shipped) -> None:
    report, catalog = shipped
    assert report.warnings == []
    assert len(catalog.partners) >= 250
    assert sum(p.is_local for p in catalog.partners.values()) >= 80
    assert len(catalog.capabilities) >= 800 and len(catalog.requirements) >= 60
    assert len(catalog.knowledge.concepts) >= 300 and len(catalog.knowledge.systems) >= 500


def test_coprod_refresh_of_the_data_folder_warns_of_nothing(tmp_path: Path) -> None:
    # as a user runs it: the folder's truth.csv (for `coprod eval`) is a known file there
    assert (DATA / "truth.csv").is_file()
    result = subprocess.run(
        [sys.executable, "-m", "coprod", "--db", str(tmp_path / "c.duckdb"), "refresh", str(DATA)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "; 0 warnings" in result.stdout


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.csv")))
def test_every_row_of_every_shipped_file_cites_a_source(name: str) -> None:
    table = rows(name)
    if name == "synonyms.csv":
        pytest.skip("synonyms are wording, not facts")
    assert table and all((row.get("source") or "").strip() for row in table), name


def test_ids_follow_the_documented_form() -> None:
    assert all(SLUG.match(row["partner_id"]) for row in rows("partners.csv"))
    assert all(re.match(r"^TW-\d{3}$", row["requirement_id"]) for row in rows("requirements.csv"))
    assert all(re.match(r"^[a-z0-9_]+$", row["concept_id"]) for row in rows("concepts.csv"))
    assert all(SLUG.match(row["system_id"]) for row in rows("systems.csv"))


def test_every_partner_country_has_a_posture() -> None:
    postures = {row["country"] for row in rows("countries.csv")}
    assert {row["country"] for row in rows("partners.csv")} <= postures


def test_systems_are_named_in_capability_lines_and_known_to_the_knowledge_base(shipped) -> None:
    _, catalog = shipped
    named = {fold(c.system) for c in catalog.capabilities if c.system.strip()}
    lines = " ".join(fold(c.capability) for c in catalog.capabilities)
    for row in rows("codevelopers.csv"):
        assert fold(row["system"]) in named or fold(row["system"]) in lines, row["system"]
    known = catalog.knowledge.system_by_name
    unknown = sorted(name for name in named if name not in known)
    assert len(unknown) <= 2, unknown  # a product no public page described is left out


def test_the_seed_facts_hold(shipped) -> None:
    _, catalog = shipped
    titles = " ".join(r.title + " " + r.description for r in catalog.requirements.values())
    for needle in ("Javelin", "Stinger", "M109A"):
        assert needle in titles, needle
    ranker = Ranker(catalog)
    shells = next(r for r in catalog.requirements.values() if "Precision-guided 155" in r.title)
    pairings = ranker.rank(shells, RankOptions(top=25))
    excalibur = [p for p in pairings if p.foreign and "Excalibur" in p.foreign.capability]
    assert excalibur and all(p.blocked_by == ("Sweden",) for p in excalibur)
