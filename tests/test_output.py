"""Output formats: records, CSV/JSON/JSONL/Markdown writers, the rich table, atomic files.

Pairings are built here by hand from coprod.model, so these tests pin the
output layer alone; tests/test_rank_cli.py runs the same writers end to end.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from coprod import output
from coprod.errors import DataError, UsageError
from coprod.files import write_atomically
from coprod.formats import (
    PLAN_FORMATS,
    RANK_FORMATS,
    SHORTLIST_FORMATS,
    format_for_output,
    format_from_path,
)
from coprod.model import ConsentStep, Match, Pairing, Requirement
from coprod.output import (
    CORE_FIELDS,
    LOCAL_ONLY,
    NO_LOCAL_TEXT,
    RECORD_FIELDS,
    csv_cell,
    flat_columns,
    flat_row,
    markdown_cell,
    pairing_record,
    pairing_records,
    pairings_table,
    write_pairings,
)
from coprod.safe import INVISIBLE, json_text
from coprod.suggest import close_matches, did_you_mean, exact_ignoring_case

GOLDEN = Path(__file__).parent / "golden"
HOSTILE_NAME = "[bold red]Evil[/] \x1b[31mCorp\x1b[0m \x9b2J"
FORMULA = '=HYPERLINK("http://x","click")'

EXPECTED_CORE = (
    "requirement_id",
    "rank",
    "score",
    "feasibility",
    "consent_countries",
    "blocked_by",
    "foreign_partner_id",
    "foreign_partner",
    "foreign_country",
    "foreign_capability",
    "local_partner_id",
    "local_partner",
    "local_capability",
    "components",
)


def match(partner_id: str, name: str, country: str, capability: str, fit: float, tokens=()):
    return Match(
        partner_id=partner_id,
        partner_name=name,
        country=country,
        capability_id=0,
        capability=capability,
        category="",
        system="Excalibur" if "Excalibur" in capability else "",
        fit=fit,
        matched_tokens=tuple(tokens),
    )


REQUIREMENT = Requirement(
    requirement_id="TW-155-PGM",
    title="Precision-guided 155 mm shells",
    description="GPS-guided artillery projectiles",
    category="precision_artillery",
    quantity=None,
    unit="",
    priority="high",
)


def sample_pairings() -> list[Pairing]:
    """Three kinds of pairing, hostile text included, as a ranker would return them."""
    blocked = Pairing(
        requirement_id="TW-155-PGM",
        rank=3,
        score=41.256,
        feasibility="blocked",
        foreign=match(
            "rtx",
            "RTX",
            "United States",
            "Excalibur 155mm guided projectile",
            97.0,
            ("155mm", "guided", "projectile"),
        ),
        local=match("ncsist", "NCSIST", "Taiwan", "Artillery fuzes, shell loading", 55.5),
        components={
            "foreign_fit": 38.8,
            "local_fit": 11.1,
            "category": 10.0,
            "feasibility": -18.644,
        },
        consent_chain=(
            ConsentStep("United States", "case_by_case", "FMS", "seller's government", False),
            ConsentStep(
                "Sweden", "blocked", "refused 2022", "co-developer BAE Bofors of Excalibur", True
            ),
        ),
    )
    hostile = Pairing(
        requirement_id="TW-155-PGM",
        rank=1,
        score=88.0,
        feasibility="consent_required",
        foreign=match("evil", HOSTILE_NAME, "Norway", FORMULA + "\nline two, with comma", 90.0),
        local=None,
        components={"foreign_fit": 80.0, "category": 8.0},
        consent_chain=(ConsentStep("Norway", "case_by_case", "", "seller's government", False),),
    )
    local_only = Pairing(
        requirement_id="TW-155-PGM",
        rank=2,
        score=60.0,
        feasibility="ok",
        foreign=None,
        local=match("arsenal-205", "205th Arsenal", "Taiwan", "-155 mm @ shells | pipes", 70.0),
        components={"local_fit": 60.0},
    )
    return [hostile, local_only, blocked]


def sample_others() -> list[tuple[Match, ...]]:
    """Per sample pairing, its foreign partner's other co-producers (arrange's `others`):
    RTX's blocked row has two, one with a name a spreadsheet would evaluate."""
    return [
        (),
        (),
        (
            match("aidc", "AIDC", "Taiwan", "Airframes", 40.0),
            match("odd", FORMULA + " Works", "Taiwan", "Shells", 35.0),
        ),
    ]


def render(renderable, width: int = 200) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False)
    console.print(renderable)
    return console.file.getvalue()


# ----------------------------------------------------------------- records


def test_core_field_names_are_the_documented_ones_first():
    assert CORE_FIELDS == EXPECTED_CORE
    assert RECORD_FIELDS[: len(EXPECTED_CORE)] == EXPECTED_CORE
    assert len(set(RECORD_FIELDS)) == len(RECORD_FIELDS)


def test_record_has_every_field_in_order_with_plain_values():
    hostile, local_only, blocked = sample_pairings()
    record = pairing_record(blocked, REQUIREMENT)
    assert tuple(record) == RECORD_FIELDS
    assert record["score"] == 41.26
    assert record["blocked_by"] == ["Sweden"]
    assert record["consent_countries"] == ["United States"]
    assert record["foreign_partner_id"] == "rtx"
    assert record["local_partner"] == "NCSIST"
    assert record["components"] == {
        "foreign_fit": 38.8,
        "local_fit": 11.1,
        "category": 10.0,
        "feasibility": -18.64,
    }
    assert record["foreign_matched_tokens"] == ["155mm", "guided", "projectile"]
    assert record["requirement_title"] == REQUIREMENT.title
    assert record["consent_chain"][1]["blocks"] is True


def test_missing_sides_are_null_and_named_by_pairing_kind():
    hostile, local_only, _ = sample_pairings()
    no_local = pairing_record(hostile)
    assert no_local["local_partner_id"] is None and no_local["local_capability"] is None
    assert no_local["pairing_kind"] == "foreign_only"
    assert no_local["requirement_title"] is None
    alone = pairing_record(local_only)
    assert alone["foreign_partner"] is None and alone["foreign_country"] is None
    assert alone["pairing_kind"] == LOCAL_ONLY
    assert alone["blocked_by"] == [] and alone["consent_countries"] == []


# ----------------------------------------------------------------- writers


def written(pairings, fmt: str, others=None) -> str:
    stream = io.StringIO()
    write_pairings(pairings, fmt, stream, {REQUIREMENT.requirement_id: REQUIREMENT}, others=others)
    return stream.getvalue()


def test_json_is_an_array_of_the_records_and_keeps_text_exact():
    pairings = sample_pairings()
    text = written(pairings, "json")
    assert "\x1b" not in text and "\x9b" not in text
    parsed = json.loads(text)
    assert parsed == pairing_records(pairings, {REQUIREMENT.requirement_id: REQUIREMENT})
    assert parsed[0]["foreign_partner"] == HOSTILE_NAME


def test_jsonl_is_one_record_a_line_equal_to_the_json_array():
    pairings = sample_pairings()
    lines = written(pairings, "jsonl").splitlines()
    assert len(lines) == len(pairings)
    assert [json.loads(line) for line in lines] == json.loads(written(pairings, "json"))


@pytest.mark.parametrize(
    "name",
    [
        "Plain “quoted” name — with dashes",  # non-ASCII, nothing invisible: kept raw
        "Del\x7fete",
        "Bidi \u202eoverride",
        "Line\u2028separator",
        "Tag \U000e0041 character",
        "Lone \ud800 surrogate",
        "Soft\xadhyphen and “quotes”",
    ],
)
def test_json_lines_escape_exactly_what_json_text_escapes(name: str):
    # The writer skips coprod.safe.json_text when no character needs it: the text
    # must be what json_text gives on the plain json.dumps in every case.
    pairing = replace(sample_pairings()[2], foreign=match("x", name, "Norway", name, 90.0))
    record = pairing_records([pairing], {REQUIREMENT.requirement_id: REQUIREMENT})[0]
    expected = json_text(json.dumps(record, ensure_ascii=False))
    assert written([pairing], "jsonl") == expected + "\n"
    assert INVISIBLE.search(expected) is None
    assert json.loads(expected)["foreign_partner"] == name


class _Kind(str):
    pass


class _Count(int):
    pass


@pytest.mark.parametrize(
    "value",
    [
        [],
        {},
        [[], {}, [[]], {"a": {}}],
        {"a": [1, 2.5, None, True, False, "x"], "b": {"c": [{"d": -0.0}]}, "": ""},
        [float("nan"), float("inf"), -float("inf"), 1e-7, 1e22, -2.5, 0.1 + 0.2],
        (1, (2, 3), {"t": (4,)}),
        {'quote"': "back\\slash \x00\x1f\x7f\u2028 “curly” — \ud800"},
        [_Kind("sub"), _Count(7), True, 10**30],
    ],
)
def test_indented_json_is_what_json_dumps_writes(value: object):
    assert output._json_text(value, indent=2) == json_text(
        json.dumps(value, ensure_ascii=False, indent=2)
    )


@pytest.mark.parametrize("value", [{1: "a"}, {None: [1.5]}, [b"bytes"], {"a": {2.5: 1}}])
def test_json_text_leaves_what_records_never_hold_to_json(value: object):
    try:
        expected = json.dumps(value, ensure_ascii=False, indent=2)
    except TypeError:
        with pytest.raises(TypeError):
            output._json_text(value, indent=2)
    else:
        assert output._json_text(value, indent=2) == expected


def test_json_array_of_records_is_what_json_dumps_writes():
    pairings = sample_pairings()
    records = pairing_records(pairings, {REQUIREMENT.requirement_id: REQUIREMENT})
    expected = json_text(json.dumps(records, ensure_ascii=False, indent=2))
    assert written(pairings, "json") == expected + "\n"


def test_csv_flattens_components_and_joins_lists():
    pairings = sample_pairings()
    rows = list(csv.DictReader(io.StringIO(written(pairings, "csv"))))
    header = list(rows[0])
    assert "components" not in header
    assert header[:13] == list(EXPECTED_CORE[:13])
    assert header[13:17] == [
        "component_foreign_fit",
        "component_category",
        "component_local_fit",
        "component_feasibility",
    ]
    blocked = rows[2]
    assert blocked["component_feasibility"] == "-18.64"  # a plain number stays a number
    assert blocked["consent_countries"] == "United States"
    assert blocked["blocked_by"] == "Sweden"
    assert blocked["score"] == "41.26"
    assert (
        "Sweden (refuses consent for exports to Taiwan; blocks): co-developer BAE Bofors"
        in blocked["consent_chain"]
    )
    assert rows[0]["component_local_fit"] == ""  # absent component: empty cell, not 0


def test_csv_neutralises_formulas_and_shows_control_characters():
    text = written(sample_pairings(), "csv")
    assert "\x1b" not in text and "\x9b" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    hostile, local_only, _ = rows
    assert hostile["foreign_capability"] == "'" + FORMULA + "\nline two, with comma"
    assert hostile["foreign_partner"].startswith("[bold red]Evil[/] \\x1b[31mCorp")
    assert local_only["local_capability"].startswith("'-155 mm @")
    for row in rows:
        for cell in row.values():
            if not re.fullmatch(r"-\d+\.\d+", cell):
                assert not cell.startswith(("=", "+", "-", "@")), cell
    assert csv_cell("-1+1") == "'-1+1" and csv_cell("-2.5") == "-2.5"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)" and csv_cell("+1") == "'+1"


@pytest.mark.parametrize("name", ["=HYPERLINK(x)", "-2.5", "plain", "\u3000@x", "Bidi \u202e=1"])
@pytest.mark.parametrize("line", ["-155 mm @ rounds", "=1+1 \x1b[31m", "plain “line”"])
def test_every_csv_cell_is_csv_cell_of_its_text(name: str, line: str):
    # The writer tests a row once for invisible characters: cells must be what csv_cell
    # makes of each text whether or not another cell of the row holds one.
    pairing = replace(sample_pairings()[0], foreign=match("x", name, "Norway", line, 90.0))
    records = pairing_records([pairing], {REQUIREMENT.requirement_id: REQUIREMENT})
    columns = flat_columns(records)
    expected = [csv_cell(text) for text in flat_row(records[0], columns).values()]
    rows = list(csv.reader(io.StringIO(written([pairing], "csv"))))
    assert rows == [columns, expected]


def test_markdown_escapes_cells_so_catalog_text_stays_inert():
    text = written(sample_pairings(), "md")
    lines = text.splitlines()
    assert len(lines) == 2 + 3
    assert all(line.startswith("|") and line.endswith("|") for line in lines)
    assert all(line.count("|") - line.count("\\|") == len(RECORD_FIELDS) + 1 for line in lines)
    assert "\x1b" not in text
    assert "shells \\| pipes" in lines[3]  # the capability's own "|" is escaped, not a column
    assert markdown_cell("[x](http://e) <b>|") == "\\[x\\](http&#58;//e) \\<b\\>\\|"


def test_empty_results_still_give_valid_files():
    assert json.loads(written([], "json")) == []
    assert written([], "jsonl") == ""
    assert written([], "csv").strip().split(",")[:3] == ["requirement_id", "rank", "score"]
    assert written([], "md").count("\n") == 2


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown output format"):
        written(sample_pairings(), "xml")


def test_formats_agree_cell_for_cell():
    pairings = sample_pairings()
    records = json.loads(written(pairings, "json"))
    rows = list(csv.DictReader(io.StringIO(written(pairings, "csv"))))
    table = render(pairings_table(REQUIREMENT.requirement_id, pairings, REQUIREMENT), 400)
    for record, row in zip(records, rows, strict=True):
        assert row["requirement_id"] == record["requirement_id"]
        assert int(row["rank"]) == record["rank"]
        assert float(row["score"]) == record["score"]
        assert f"{record['score']:.2f}" in table
        for name, points in record["components"].items():
            assert float(row[f"component_{name}"]) == points
        for side in ("foreign_partner_id", "local_partner", "foreign_country"):
            assert row[side] == (record[side] or "")


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "md", "txt"])
def test_golden_files(fmt):
    """Pins each format byte for byte; UPDATE_GOLDEN=1 rewrites them after a deliberate change.

    txt is the terminal table with --explain, as written to a file (120 columns). As
    `coprod rank` writes them: with each row's other co-producers."""
    if fmt == "txt":
        table = pairings_table(
            REQUIREMENT.requirement_id,
            sample_pairings(),
            REQUIREMENT,
            explain=True,
            others=sample_others(),
        )
        text = render(table, width=120)
    else:
        text = written(sample_pairings(), fmt, sample_others())
    golden = GOLDEN / f"pairings.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="")
    assert golden.read_bytes().decode("utf-8") == text


def test_flat_columns_replace_components_in_place():
    records = pairing_records(sample_pairings())
    columns = flat_columns(records)
    start = columns.index("component_foreign_fit")
    assert columns[start - 1] == "local_capability"
    assert columns[start + 4] == "requirement_title"


# ------------------------------------------------------------------- table


def test_table_prints_catalog_text_literally():
    text = render(pairings_table("TW-155-PGM", sample_pairings(), REQUIREMENT))
    assert "\x1b" not in text and "\x9b" not in text
    assert "[bold red]Evil[/]" in text
    assert "\\x1b[31mCorp" in text
    assert NO_LOCAL_TEXT in text
    assert "Taiwanese industry alone" in text
    assert "blocked by Sweden" in text
    assert "TW-155-PGM · Precision-guided 155 mm shells (precision_artillery, high)" in text


def test_table_explain_shows_components_tokens_and_reasons():
    plain = render(pairings_table("TW-155-PGM", sample_pairings(), REQUIREMENT), 300)
    explained = render(
        pairings_table("TW-155-PGM", sample_pairings(), REQUIREMENT, explain=True), 300
    )
    assert "why:" in explained and "why:" not in plain
    # the score as a sum of readable named points, the penalty subtracted
    assert (
        "score = foreign fit 38.80 + Taiwanese co-producer fit 11.10 + same category 10.00 "
        "− consent 18.64" in explained
    )
    assert "Blocked (−18.6 points): Sweden, co-developer BAE Bofors of Excalibur" in explained
    assert "co-developer BAE Bofors of Excalibur" in explained
    assert "foreign line: fit 97.00 · matched: 155mm guided projectile" in explained
    assert "Taiwanese line: fit 55.50 · matched: no requirement token" in explained


def test_every_record_carries_its_reason_and_the_core_fields_stay():
    records = pairing_records(sample_pairings())
    assert all(record["reason"] for record in records)
    assert "reason" not in CORE_FIELDS and "reason" in RECORD_FIELDS
    rows = list(csv.DictReader(io.StringIO(written(sample_pairings(), "csv"))))
    assert rows[2]["reason"].startswith("RTX (United States) makes Excalibur")


def test_explain_prints_a_source_address_whole_at_any_width():
    from dataclasses import replace

    address = "https://example.org/" + "a-very-long-path/" * 8 + "end.html"
    blocked = sample_pairings()[2]
    step = replace(blocked.consent_chain[1], source=f"Some paper 2024, {address}; more")
    pairing = replace(blocked, consent_chain=(blocked.consent_chain[0], step))
    console = Console(file=io.StringIO(), width=60, color_system=None, force_terminal=False)
    console.print(pairings_table("TW-155-PGM", [pairing], REQUIREMENT, explain=True), crop=False)
    lines = console.file.getvalue().splitlines()
    assert any(line.strip() == address for line in lines)


def test_table_says_plainly_when_nothing_passes():
    text = render(pairings_table("TW-155-PGM", [], REQUIREMENT))
    assert "no pairing passes the filters" in text


def test_hostile_requirement_title_is_literal():
    hostile = Requirement("R[1]", "[link=http://x]t[/link]\x07", "", "", None, "", "low")
    text = render(pairings_table("R[1]", [], hostile))
    assert "[link=http://x]t[/link]\\x07" in text


# ------------------------------------------------------------ output files


def test_format_from_extension():
    assert format_from_path(Path("a/b.CSV")) == "csv"
    assert format_from_path(Path("x.ndjson")) == "jsonl"
    assert format_from_path(Path("x.txt")) == "table"
    assert format_from_path(Path("x.xlsx")) is None


def test_every_writer_reads_an_extension_alike_and_refuses_what_it_cannot_write():
    for allowed in (RANK_FORMATS, PLAN_FORMATS, SHORTLIST_FORMATS):
        assert format_for_output("out.MD", allowed) == "md"
        with pytest.raises(UsageError, match=r"cannot tell the format of 'x\.xlsx'.*\.csv"):
            format_for_output("x.xlsx", allowed)
    assert format_for_output("plan.ics", PLAN_FORMATS) == "ics"
    with pytest.raises(UsageError, match=r"cannot write 'r\.ics'.*\.jsonl"):
        format_for_output("r.ics", RANK_FORMATS)


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    write_atomically(target, lambda stream: stream.write("new,content\n"))
    assert target.read_text() == "new,content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_atomic_write_failure_leaves_old_file_and_no_temp(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("precious")

    def fail_halfway(stream):
        stream.write("half")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_atomically(target, fail_halfway)
    assert target.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_atomic_write_to_missing_folder_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="cannot write"):
        write_atomically(tmp_path / "nope" / "out.csv", lambda stream: stream.write("x"))


# ---------------------------------------------------------------- suggest


def test_did_you_mean():
    ids = ["TW-REQ-001", "TW-REQ-002", "TW-REQ-015"]
    assert exact_ignoring_case(" tw-req-001 ", ids) == "TW-REQ-001"
    assert close_matches("TW-REQ-01", ids)[0] in ids
    assert "did you mean 'TW-REQ-015'" in did_you_mean("tw-req-15", ["TW-REQ-015", "X"])
    assert did_you_mean("zzzz", ids) == ""
    assert close_matches("", ids) == []


def test_atomic_write_keeps_the_replaced_files_mode(tmp_path):
    target = tmp_path / "shared.csv"
    target.write_text("old")
    target.chmod(0o640)
    write_atomically(target, lambda stream: stream.write("new"))
    assert target.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.csv"
    write_atomically(fresh, lambda stream: stream.write("x"))
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~_current_umask()


def _current_umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def test_other_co_producers_only_when_given_and_joined_in_csv():
    """`coprod rank` passes each row's other co-producers; a caller that passes none (the
    shortlist export) writes the same fields as before."""
    from coprod.output import OTHERS_FIELD

    plain = pairing_records(sample_pairings())
    assert all(OTHERS_FIELD not in record for record in plain)
    assert OTHERS_FIELD not in flat_columns(plain)
    records = pairing_records(sample_pairings(), others=sample_others())
    assert [r[OTHERS_FIELD] for r in records] == [
        [m.partner_name for m in others] for others in sample_others()
    ]
    assert flat_columns(records)[-1] == OTHERS_FIELD
    rows = list(csv.DictReader(io.StringIO(written(sample_pairings(), "csv", sample_others()))))
    names = [m.partner_name for m in sample_others()[2]]
    assert rows[2][OTHERS_FIELD] == "; ".join(names)
    assert rows[0][OTHERS_FIELD] == ""
