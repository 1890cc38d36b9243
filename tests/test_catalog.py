"""The catalog: validation with exact places, atomic rebuilds, bulk loading (real files, real DuckDB)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from conftest import (
    CAPABILITIES,
    CODEVELOPERS,
    COUNTRIES,
    PARTNERS,
    REQUIREMENTS,
    write_catalog_folder,
)

from coprod.catalog import SCHEMA_VERSION, load_catalog, refresh_catalog
from coprod.errors import CatalogValidationError, DataError


def test_round_trip_of_fixture_folder(catalog_folder: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "out" / "catalog.duckdb"
    report = refresh_catalog([catalog_folder], db_path)
    assert report.row_counts["partners"] == len(PARTNERS)
    assert report.row_counts["capabilities"] == len(CAPABILITIES)
    assert report.warnings == []

    catalog = load_catalog(db_path)
    assert [p.partner_id for p in catalog.partners.values()] == [
        row["partner_id"] for row in PARTNERS
    ]
    for row in PARTNERS:
        partner = catalog.partners[row["partner_id"]]
        assert (partner.name, partner.country, partner.kind, partner.description) == (
            row["name"],
            row["country"],
            row["kind"],
            row["description"],
        )
        assert partner.source == "test fixture"
    assert [c.capability_id for c in catalog.capabilities] == list(range(len(CAPABILITIES)))
    assert [(c.partner_id, c.capability, c.category, c.system) for c in catalog.capabilities] == [
        (row["partner_id"], row["capability"], row["category"], row["system"])
        for row in CAPABILITIES
    ]
    assert catalog.codevelopers_of("excalibur") == ("rtx", "bae-bofors")
    assert catalog.codevelopers_of(" Javelin ") == ("lockheed-martin", "rtx")
    assert len(CODEVELOPERS) == 4
    assert {c: p.posture for c, p in catalog.countries.items()} == {
        row["country"]: row["posture"] for row in COUNTRIES
    }
    assert list(catalog.requirements) == [row["requirement_id"] for row in REQUIREMENTS]
    assert catalog.requirements["req-155-guided"].quantity == 1200.0
    assert catalog.requirements["req-atgm"].quantity is None
    assert catalog.requirements["req-5-56"].quantity == 2.5e7
    terms = {s.term: s.canonical for s in catalog.synonyms}
    assert terms["atgm"] == "anti tank missile"  # the user's row wins over the shipped one
    assert catalog.meta["schema_version"] == SCHEMA_VERSION
    assert catalog.meta["rows.capabilities"] == str(len(CAPABILITIES))


def test_hostile_text_survives_storage_unchanged(catalog, hostile) -> None:
    partner = catalog.partners[hostile["partner_id"]]
    assert partner.name == hostile["name"]
    assert partner.description == hostile["description"]
    texts = [c.capability for c in catalog.capabilities if c.partner_id == hostile["partner_id"]]
    assert texts == [hostile["capability"]]


def _problems(folder: Path, db_path: Path) -> list[str]:
    with pytest.raises(CatalogValidationError) as raised:
        refresh_catalog([folder], db_path)
    return [str(problem) for problem in raised.value.problems]


def test_bad_input_leaves_old_catalog_byte_identical(catalog_db: Path, tmp_path: Path) -> None:
    before = catalog_db.read_bytes()
    folder = write_catalog_folder(
        tmp_path / "bad", countries=[*COUNTRIES, {"country": "Narnia", "posture": "hostile"}]
    )
    problems = _problems(folder, catalog_db)
    assert any("unknown posture 'hostile'" in p for p in problems)
    assert catalog_db.read_bytes() == before
    assert sorted(os.listdir(catalog_db.parent)) == ["catalog.duckdb"]


def test_not_a_catalog_is_a_clear_data_error(tmp_path: Path) -> None:
    random_file = tmp_path / "random.duckdb"
    random_file.write_bytes(os.urandom(4096))
    with pytest.raises(DataError, match="not a coprod catalog"):
        load_catalog(random_file)
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
    with pytest.raises(DataError, match="coprod refresh"):
        load_catalog(other)
