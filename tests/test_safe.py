"""The output-safety policy (coprod/safe.py), and every writer applying it (issue 12)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import CAPABILITIES, PARTNERS, REQUIREMENTS, write_catalog_folder

from coprod.safe import (
    INVISIBLE,
    csv_text,
    holds_invisible,
    html_text,
    is_blank,
    is_formula_like,
    json_text,
    markdown_text,
    printable,
    spreadsheet_safe,
    undo_spreadsheet_safe,
)

# Every first character a spreadsheet evaluates (LibreOffice and Excel read the
# full-width forms alike).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

# One of each kind of invisible character the issue names.
HOSTILE_CHARS = (
    "\x1b",  # ESC: starts every terminal sequence
    "\x07",  # BEL: ends OSC
    "\x7f",  # DEL
    "\x9b",  # C1 CSI
    "\x9d",  # C1 OSC
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\ufeff",  # zero-width no-break space
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\U000e0041",  # tag character (invisible text)
)
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b]0;pwned\x07\x1b[2J"
HOSTILE = "Evil" + "".join(HOSTILE_CHARS) + OSC52 + " \u202egnp.exe"


def test_the_invisible_class_is_exactly_cc_cf_cs_zl_zp() -> None:
    """Checked against unicodedata for every code point (TAB and LF are per surface).
    A character this Python does not know yet (Cn) may be in the class: newer Unicode."""
    wrong = []
    for code in range(0x110000):
        char = chr(code)
        category = unicodedata.category(char)
        expected = category in ("Cc", "Cf", "Cs", "Zl", "Zp") and char not in "\t\n"
        matched = bool(INVISIBLE.match(char))
        if matched != expected and not (matched and category == "Cn"):
            wrong.append(f"U+{code:04X}")
    assert not wrong, wrong[:20]


def test_holds_invisible_agrees_with_the_class_for_every_code_point() -> None:
    wrong = []
    for code in range(0x110000):
        text = f"plain “text” {chr(code)} — more"
        if holds_invisible(text) != (INVISIBLE.search(text) is not None):
            wrong.append(f"U+{code:04X}")
    assert not wrong, wrong[:20]
    assert not holds_invisible("") and not holds_invisible("tab\tand\nline feed")
    assert holds_invisible("\ud800\udc00") and holds_invisible("x" * 5000 + "\x7f")


def _inert(text: str) -> None:
    assert not INVISIBLE.search(text.replace("\r\n", "")), repr(text)


def test_printable_shows_every_invisible_character() -> None:
    shown = printable(HOSTILE)
    _inert(shown)
    for char in HOSTILE_CHARS:
        code = ord(char)
        escape = (
            f"\\x{code:02x}"
            if code < 0x100
            else f"\\u{code:04x}"
            if code < 0x10000
            else f"\\U{code:08x}"
        )
        assert escape in shown


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        "+1",
        "-1+2",
        "@SUM(A1)",
        "\t=1",
        "  =cmd|'/C calc'!A0",
        "\u3000=1",
        "＝1+1",
        "＋1",
        "－1",
        "＠SUM(A1)",
        " ＝1",
    ],
)
def test_formula_prefixes_are_neutralised_and_round_trip(cell: str) -> None:
    safe = spreadsheet_safe(cell)
    assert safe.startswith("'")
    assert undo_spreadsheet_safe(safe) == cell
    assert csv_text(cell).startswith("'")


def test_formula_check_reads_every_first_character_as_the_rule_says() -> None:
    # is_formula_like looks past the first character only when it can start a formula
    # or be a space before one: the whole rule, for cells beginning with any character.
    wrong = []
    for first in [chr(code) for code in range(0x3001)] + ["\uff1d", "\uff0b", "\uff20"]:
        for cell in (first, first + "=1", first + " +1", first + "\u3000@x"):
            stripped = cell.lstrip(" \u00a0\u3000")
            expected = stripped.startswith(FORMULA_START) or cell.startswith(FORMULA_START)
            if is_formula_like(cell) != expected:
                wrong.append(cell)
    assert not wrong, wrong[:20]


def test_plain_cells_are_left_alone() -> None:
    for cell in ("155 mm shells", "a=b", "'quoted", "x-1"):
        assert spreadsheet_safe(cell) == cell
        assert undo_spreadsheet_safe(cell) == cell


def test_json_text_escapes_invisible_characters_and_keeps_the_value() -> None:
    serialised = json_text(json.dumps({"name": HOSTILE}, ensure_ascii=False))
    _inert(serialised)
    assert json.loads(serialised) == {"name": HOSTILE}


@pytest.mark.parametrize(
    ("text", "rendered_part"),
    [
        ("_x_", "\\_x\\_"),
        ("~~x~~", "\\~\\~x\\~\\~"),
        ("**x**", "\\*\\*x\\*\\*"),
        ("`x`", "\\`x\\`"),
        ("[a](http://e)", "\\[a\\]"),
        ("https://evil.example", "https&#58;//"),
        ("www.evil.example", "www&#46;"),
        ("me@evil.example", "me&#64;"),
        ("<img src=x onerror=alert(1)>", "\\<img"),
        ("a|b", "a\\|b"),
        ("&#x202e;", "\\&#x202e;"),
        ("# heading", "\\# heading"),
    ],
)
def test_markdown_escapes_everything_that_renders(text: str, rendered_part: str) -> None:
    assert rendered_part in markdown_text(text)


def test_markdown_leaves_plain_text_readable() -> None:
    for text in ("consent_required", "TW-155-PGM", "Kongsberg Defence & Aerospace"):
        assert markdown_text(text) == text


def test_html_text_is_inert() -> None:
    shown = html_text('<script>alert("x")</script>' + HOSTILE)
    assert "<" not in shown and '"' not in shown
    _inert(shown)


@pytest.mark.parametrize("text", ["", " ", "\t", "\u3000", "\u200b", "\u00a0\u2028", "\ufeff "])
def test_blank_text_is_unicode_aware(text: str) -> None:
    assert is_blank(text)


def test_text_with_a_letter_is_not_blank() -> None:
    assert not is_blank("\u3000x")


# ---------------------------------------------------------------- every writer


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    """A catalog whose partner, capability, category and title hold every hostile char."""
    from coprod.catalog import refresh_catalog

    tmp = tmp_path_factory.mktemp("hostile")
    partners = copy.deepcopy(PARTNERS)
    for partner in partners:
        if partner["partner_id"] == "rtx":
            partner["name"] = "RTX " + HOSTILE
    capabilities = copy.deepcopy(CAPABILITIES)
    for line in capabilities:
        if line["partner_id"] == "rtx":
            line["capability"] += " " + HOSTILE
            line["category"] = "precision_artillery" + HOSTILE.replace(",", "")
    requirements = copy.deepcopy(REQUIREMENTS)
    requirements[0]["title"] += " " + HOSTILE
    requirements[0]["category"] = "precision_artillery" + HOSTILE.replace(",", "")
    folder = write_catalog_folder(
        tmp / "in", partners=partners, capabilities=capabilities, requirements=requirements
    )
    db = tmp / "catalog.duckdb"
    refresh_catalog([folder], db)
    return db


def coprod(*args: str, db: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "coprod", "--db", str(db), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl", "md"])
def test_rank_output_is_inert_in_every_format(hostile_db: Path, fmt: str) -> None:
    result = coprod(
        "rank",
        "--requirement",
        REQUIREMENTS[0]["requirement_id"],
        "--explain",
        "-f",
        fmt,
        db=hostile_db,
    )
    assert "RTX" in result.stdout
    _inert(result.stdout)
    if fmt == "md":
        assert "\\x1b\\]52" in result.stdout


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md", "ics"])
def test_plan_output_is_inert_in_every_format(hostile_db: Path, tmp_path: Path, fmt: str) -> None:
    delegation = tmp_path / "delegation.csv"
    delegation.write_text("partner_id\nrtx\nlockheed-martin\n", encoding="utf-8")
    result = coprod(
        "plan",
        "--delegation",
        str(delegation),
        "--days",
        "2026-05-04",
        "--greedy-only",
        "-f",
        fmt,
        db=hostile_db,
    )
    _inert(result.stdout)
    _inert(result.stderr)
    if fmt == "json":
        json.loads(result.stdout)


def test_eval_prints_categories_inertly(hostile_db: Path, tmp_path: Path) -> None:
    """commands/eval.py built Text(category) raw: an OSC 52 set the clipboard."""
    truth = tmp_path / "truth.csv"
    rid = REQUIREMENTS[0]["requirement_id"]
    truth.write_text(f"requirement_id,partner_id,role\n{rid},rtx,foreign\n", encoding="utf-8")
    for fmt in ("table", "json"):
        result = coprod("eval", str(truth), "-f", fmt, db=hostile_db)
        _inert(result.stdout)
        assert "precision_artillery" in result.stdout


def test_tui_literal_text_is_inert() -> None:
    from coprod.tui.render import literal

    _inert(literal(HOSTILE).plain)


def test_ics_text_is_inert() -> None:
    from coprod.ics import escape_text

    _inert(escape_text(HOSTILE))
