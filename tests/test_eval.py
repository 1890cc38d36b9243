"""Evaluation: the metrics by hand, truth-file checking, the plain baseline.

The CLI end (`coprod eval` as a process on a real catalog) is at the bottom.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coprod.errors import DataError
from coprod.evaluation import (
    NO_CATEGORY,
    Truth,
    TruthFileError,
    baseline_rankings,
    method_report,
    partners_from_pairings,
    read_truth,
    score_rankings,
)
from coprod.model import Capability, Catalog, Match, Pairing, Partner, Requirement, Synonym


def partner(pid: str, country: str) -> Partner:
    return Partner(pid, pid.upper(), country, "manufacturer", "")


def requirement(rid: str, title: str, category: str) -> Requirement:
    return Requirement(rid, title, "", category, None, "", "high")


@pytest.fixture
def small_catalog() -> Catalog:
    partners = [
        partner("rtx", "United States"),
        partner("nammo", "Norway"),
        partner("bofors", "Sweden"),
        partner("ncsist", "Taiwan"),
        partner("arsenal", "Taiwan"),
    ]
    lines = [
        ("rtx", "Stinger man-portable air defence missiles"),
        ("rtx", "Excalibur precision guided projectiles"),
        ("nammo", "155mm artillery ammunition and rocket motors"),
        ("bofors", "Archer self-propelled howitzer"),
        ("ncsist", "Tien Kung air defence missiles"),
        ("arsenal", "155mm artillery shell loading"),
    ]
    return Catalog(
        partners={p.partner_id: p for p in partners},
        capabilities=[Capability(i, pid, text, "", "") for i, (pid, text) in enumerate(lines)],
        codevelopers={},
        countries={},
        requirements={
            r.requirement_id: r
            for r in (
                requirement("R-AMMO", "155mm artillery ammunition", "artillery_ammunition"),
                requirement("R-AD", "Man-portable air defence missiles", "air_defence_missile"),
                requirement("R-SPH", "Self-propelled howitzer", ""),
            )
        },
    )


# ------------------------------------------------------------------ metrics


def test_recall_and_mrr_by_hand():
    rankings = {"a": ["x", "y", "z"], "b": ["p", "q", "r", "s", "t", "u"]}
    relevant = {"a": {"y"}, "b": {"t", "zz"}}
    metrics = score_rankings(rankings, relevant, ks=(1, 5))
    assert metrics.queries == 2
    # a: hit at 2 -> recall@1 0, @5 1, rr 1/2; b: t at 5 of 2 wanted -> @1 0, @5 0.5, rr 1/5
    assert metrics.recall[1] == 0.0
    assert metrics.recall[5] == pytest.approx((1.0 + 0.5) / 2)
    assert metrics.mrr == pytest.approx((0.5 + 0.2) / 2)


def test_duplicates_in_a_ranking_count_once_and_missing_queries_score_zero():
    metrics = score_rankings({"a": ["x", "x", "x", "y"]}, {"a": {"y"}, "b": {"q"}}, ks=(2,))
    assert metrics.recall[2] == pytest.approx(0.5)  # a: y is 2nd distinct; b: nothing ranked
    assert metrics.mrr == pytest.approx(0.25)


def test_no_queries_gives_none_not_a_division_error():
    metrics = score_rankings({}, {})
    assert metrics.queries == 0 and metrics.mrr is None
    assert metrics.as_dict()["recall@5"] is None


def test_partners_from_pairings_in_score_order():
    def side(pid, country):
        return Match(pid, pid, country, 0, "", "", "", 50.0, ())

    pairings = [
        Pairing("R", 1, 90, "ok", side("f1", "Sweden"), side("l1", "Taiwan"), {}),
        Pairing("R", 2, 80, "ok", side("f1", "Sweden"), side("l2", "Taiwan"), {}),
        Pairing("R", 3, 70, "ok", None, side("l3", "Taiwan"), {}),
        Pairing("R", 4, 60, "blocked", side("f2", "Japan"), None, {}),
        # Displayed last (blocked) but scores second: truth is about who makes the item.
        Pairing("R", 5, 85, "blocked", side("f3", "Israel"), None, {}),
    ]
    assert partners_from_pairings(pairings) == {
        "foreign": ["f1", "f3", "f2"],
        "local": ["l1", "l2", "l3"],
    }


# -------------------------------------------------------------- truth file


def write(tmp_path, text: str, name: str = "truth.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_truth_roles_default_by_country(tmp_path, small_catalog):
    path = write(
        tmp_path,
        "\ufeffrequirement_id,partner_id\r\nR-AMMO,nammo\r\nR-AMMO,arsenal\r\n\r\nR-AD,rtx\r\n",
    )
    truth = read_truth(path, small_catalog)
    assert truth.relevant == {
        ("R-AMMO", "foreign"): frozenset({"nammo"}),
        ("R-AMMO", "local"): frozenset({"arsenal"}),
        ("R-AD", "foreign"): frozenset({"rtx"}),
    }


def test_truth_problems_are_all_reported_with_lines(tmp_path, small_catalog):
    path = write(
        tmp_path,
        "partner_id,requirement_id,role,source\n"
        "nammo,R-AMMO,foreign,x\n"
        "nammo,R-AMOO,foreign,x\n"
        "namo,R-AMMO,,x\n"
        "nammo,R-AMMO,local,x\n"
        "ncsist,R-AD,sideways,x\n"
        ",R-AD,,x\n",
    )
    with pytest.raises(TruthFileError) as caught:
        read_truth(path, small_catalog)
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        f"{path}:3: unknown requirement_id 'R-AMOO'; did you mean 'R-AMMO'?",
        f"{path}:4: unknown partner_id 'namo'; did you mean 'nammo'?",
        f"{path}:5: role local but 'nammo' is in Norway, not Taiwan",
        f"{path}:6: role must be foreign or local, not 'sideways'",
        f"{path}:7: empty partner_id",
    ]
    assert str(caught.value) == "5 error(s) in truth file"


def test_truth_line_numbers_count_physical_lines(tmp_path, small_catalog):
    path = write(tmp_path, 'requirement_id,partner_id,note\nR-AD,rtx,"two\nlines"\nR-AD,nobody,x\n')
    with pytest.raises(TruthFileError) as caught:
        read_truth(path, small_catalog)
    assert [p.line for p in caught.value.problems] == [4]


def test_truth_missing_column_names_the_misspelling(tmp_path, small_catalog):
    path = write(tmp_path, "requirement_id,partnerid\nR-AD,rtx\n")
    with pytest.raises(TruthFileError) as caught:
        read_truth(path, small_catalog)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1: missing column 'partner_id' ('partnerid' looks like a misspelling of it)"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"requirement_id,partner_id\n", "no truth rows"),
        (b"requirement_id,partner_id\nR-AD,rtx\nR-AD,\xff\xfe\n", "not UTF-8"),
        (b'requirement_id,partner_id\nR-AD,"rtx\n', "bad CSV"),
    ],
)
def test_truth_file_shapes_that_cannot_be_read(tmp_path, small_catalog, content, message):
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(TruthFileError) as caught:
        read_truth(path, small_catalog)
    assert message in str(caught.value.problems[0])


def test_missing_truth_file_is_a_data_error(tmp_path, small_catalog):
    with pytest.raises(DataError, match="cannot read truth file"):
        read_truth(tmp_path / "absent.csv", small_catalog)


# ---------------------------------------------------------------- baseline


def test_baseline_ranks_partners_by_their_best_line(small_catalog):
    rankings = baseline_rankings(small_catalog, ["R-AMMO", "R-AD"])
    assert rankings["foreign"]["R-AMMO"][0] == "nammo"
    assert rankings["local"]["R-AMMO"][0] == "arsenal"
    assert rankings["foreign"]["R-AD"][0] == "rtx"
    assert set(rankings["foreign"]["R-AD"]) == {"rtx", "nammo", "bofors"}
    assert set(rankings["local"]["R-AD"]) == {"ncsist", "arsenal"}


def test_baseline_ignores_the_synonym_table(small_catalog):
    """The baseline is plain rapidfuzz: coprod's synonyms must not leak into it."""
    small_catalog.requirements["R-UAV"] = requirement("R-UAV", "Tactical UAV", "")
    plain = baseline_rankings(small_catalog, ["R-UAV", "R-AD"])
    small_catalog.synonyms = [Synonym("uav", "howitzer"), Synonym("defence", "shell")]
    assert baseline_rankings(small_catalog, ["R-UAV", "R-AD"]) == plain


@pytest.mark.parametrize("method", ["token_set", "bm25"])
def test_each_baseline_ranks_the_obvious_maker_first(small_catalog, method):
    rankings = baseline_rankings(small_catalog, ["R-AMMO", "R-AD"], method)
    assert rankings["foreign"]["R-AMMO"][0] == "nammo"
    assert rankings["foreign"]["R-AD"][0] == "rtx"


def test_bm25_reads_chinese_as_character_pairs():
    from coprod.evaluation import bm25_tokens

    assert bm25_tokens("迫擊砲彈 120mm Shells") == ["迫擊", "擊砲", "砲彈", "120mm", "shell"]


def test_capped_recall_does_not_punish_many_true_partners():
    relevant = {"q": [f"p{i}" for i in range(8)]}
    metrics = score_rankings({"q": ["p0", "p1", "p2", "p3", "p4", "x"]}, relevant)
    assert metrics.recall[5] == 5 / 8
    assert metrics.capped_recall == 1.0
    assert score_rankings({"q": ["x", "p0"]}, {"q": ["p0", "p1"]}).capped_recall == 0.5


def test_method_report_groups_by_category(small_catalog):
    truth = Truth(
        "t",
        {
            ("R-AMMO", "foreign"): frozenset({"nammo"}),
            ("R-SPH", "foreign"): frozenset({"bofors"}),
        },
    )
    rankings = {"foreign": {"R-AMMO": ["nammo"], "R-SPH": ["rtx", "bofors"]}, "local": {}}
    report = method_report("x", rankings, truth, small_catalog)
    foreign = report.roles["foreign"]
    assert foreign.overall.mrr == pytest.approx(0.75)
    assert list(foreign.by_category) == [NO_CATEGORY, "artillery_ammunition"]
    assert foreign.by_category[NO_CATEGORY].recall[1] == 0.0
    assert report.roles["local"].overall.queries == 0


# ------------------------------------------------------- `coprod eval` CLI

TRUTH = """\
requirement_id,partner_id,role,source
req-155-guided,nammo,,fixture
req-155-guided,rtx,foreign,fixture
req-155-guided,mnd-205-arsenal,local,fixture
req-atgm,lockheed-martin,,fixture
req-coastal,kongsberg,,fixture
req-coastal,mhi,,fixture
req-coastal,ncsist,local,fixture
req-small-drones,thunder-tiger,,fixture
"""


def run_eval(db, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "COLUMNS"}}
    return subprocess.run(
        [sys.executable, "-m", "coprod", "--db", str(db), "eval", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_eval_json_with_baseline(catalog_db, tmp_path):
    truth = write(tmp_path, TRUTH)
    result = run_eval(catalog_db, str(truth), "--format", "json", "--baseline")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["truth"] == str(truth) and report["k"] == [1, 5, 10]
    assert set(report["methods"]) == {"coprod", "token_set", "bm25"}
    for method in report["methods"].values():
        foreign, local = method["foreign"], method["local"]
        assert foreign["overall"]["queries"] == 3 and local["overall"]["queries"] == 3
        assert set(foreign["by_category"]) == {
            "precision_artillery",
            "anti_tank_missile",
            "anti_ship_missile",
        }
        for figures in (foreign["overall"], local["overall"]):
            keys = ("recall@1", "recall@5", "capped_recall@5", "mrr")
            assert all(0 <= figures[key] <= 1 for key in keys)
            assert figures["capped_recall@5"] >= figures["recall@5"]
    ours = report["methods"]["coprod"]["foreign"]
    assert ours["by_category"]["anti_tank_missile"]["recall@1"] == 1.0  # Javelin ATGM, first
    assert ours["positions"]["req-atgm"] == {"lockheed-martin": 1}
    assert set(ours["positions"]["req-coastal"]) == {"kongsberg", "mhi"}


def test_eval_table_shows_both_methods(catalog_db, tmp_path):
    result = run_eval(catalog_db, str(write(tmp_path, TRUTH)), "--baseline")
    assert result.returncode == 0, result.stderr
    for needle in (
        "foreign partners",
        "local partners",
        "recall@5",
        "MRR",
        "overall",
        "anti_ship_missile",
        "capped@5",
        "token_set",
        "bm25",
        "language en",
    ):
        assert needle in result.stdout
    without = run_eval(catalog_db, str(write(tmp_path, TRUTH)))
    assert "bm25" not in without.stdout and "token_set" not in without.stdout
    assert "ranks below" not in without.stdout


def test_eval_misses_lists_true_partners_ranked_too_low(catalog_db, tmp_path):
    truth = write(tmp_path, TRUTH)
    positions = json.loads(run_eval(catalog_db, str(truth), "-f", "json").stdout)["methods"]
    foreign = positions["coprod"]["foreign"]["positions"]
    below_one = [
        (req, pid)
        for req, found in foreign.items()
        for pid, position in found.items()
        if position is None or position > 1
    ]
    result = run_eval(catalog_db, str(truth), "--misses", "1")
    assert result.returncode == 0, result.stderr
    assert f"foreign partners coprod ranks below 1: {len(below_one)}" in result.stdout
    for req, pid in below_one:
        assert f"  {req} {pid} " in result.stdout
    assert run_eval(catalog_db, str(truth), "--misses", "0").returncode == 2


def test_eval_bad_truth_names_file_and_line(catalog_db, tmp_path):
    truth = write(tmp_path, TRUTH + "req-atgm,nobody-inc,,x\nreq-atgn,rtx,,x\n")
    result = run_eval(catalog_db, str(truth))
    assert result.returncode == 1 and result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{truth}:10: unknown partner_id 'nobody-inc'",
        f"{truth}:11: unknown requirement_id 'req-atgn'; did you mean 'req-atgm'?",
        "coprod: 2 error(s) in truth file",
    ]


def test_eval_usage_and_missing_file(catalog_db, tmp_path):
    missing = run_eval(catalog_db, str(tmp_path / "absent.csv"))
    assert missing.returncode == 1 and "cannot read truth file" in missing.stderr
    no_file = run_eval(catalog_db)
    assert no_file.returncode == 2
    assert no_file.stderr.strip().splitlines() == [
        "coprod eval: error: the following arguments are required: TRUTH.csv"
        " (see 'coprod eval --help')"
    ]


def test_shipped_truth_coprod_beats_the_baselines(tmp_path):
    """The shipped truth file on the shipped catalog: coprod must beat both plain baselines
    (a development set: the blind set's figures are in benchmarks/README.md)."""
    shipped_truth = Path(__file__).resolve().parent.parent / "data" / "truth.csv"
    result = run_eval(tmp_path / "shipped.duckdb", str(shipped_truth), "-f", "json", "--baseline")
    assert result.returncode == 0, result.stderr
    methods = json.loads(result.stdout)["methods"]
    ours = methods["coprod"]["foreign"]["overall"]
    assert ours["queries"] >= 20
    for baseline in ("token_set", "bm25"):
        plain = methods[baseline]["foreign"]["overall"]
        assert ours["capped_recall@5"] > plain["capped_recall@5"] + 0.05
        assert ours["mrr"] > plain["mrr"]
