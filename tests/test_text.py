"""Normalisation: units, calibres, designations, synonyms, odd text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coprod.model import Synonym
from coprod.rawtokens import stem
from coprod.text import (
    SynonymTable,
    calibres,
    designations,
    normalise,
    read_synonyms_csv,
    shipped_synonyms,
    synonym_table,
    tokens,
)
from coprod.workers.normaliser import _HelperProcess, tokens_many, tokens_many_started

TABLE = synonym_table()


def norm(text: str) -> str:
    return normalise(text, TABLE)


@pytest.mark.parametrize(
    "text", ["155 mm", "155mm", "155-mm", "155 MM", "155\u2011mm", "155 millimetre"]
)
def test_units_glue_to_their_number(text: str) -> None:
    assert norm(text) == "155mm"


@pytest.mark.parametrize(
    ("text", "calibre"),
    [
        ("12.7mm", "12.7mm"),
        ("12.7 mm", "12.7mm"),
        ("12,7 mm", "12.7mm"),
        (".50 cal machine gun", "12.7mm"),
        ("50 BMG", "12.7mm"),
        ("5.56x45mm NATO", "5.56mm"),
        ("5.56 x 45 mm", "5.56mm"),
        ("5.56\u00d745", "5.56mm"),
        ("7.62x51", "7.62mm"),
        ("9x19mm", "9mm"),
        ("5.56 NATO", "5.56mm"),
        ("7,62 NATO cartridges", "7.62mm"),
    ],
)
def test_decimal_calibres_survive_punctuation(text: str, calibre: str) -> None:
    assert calibre in calibres(tokens(text, TABLE))


@pytest.mark.parametrize(
    "text, wanted",
    [
        ("Small calibre ammunition 5.56, 7.62 and 12.7mm", {"5.56mm", "7.62mm", "12.7mm"}),
        ("120/105 mm tank rounds", {"120mm", "105mm"}),
        ("81 and 120 mm mortar bombs", {"81mm", "120mm"}),
        ("25, 30, and 35mm cannon", {"25mm", "30mm", "35mm"}),
        ("30 or 35 mm", {"30mm", "35mm"}),
        ("5.56及7.62公厘空包彈", {"5.56mm", "7.62mm"}),
        # a year, a thousand or a designation before the list is no calibre
        ("delivered in 2022 and 155 mm since", {"155mm"}),
        ("1,000 and 2,000 rounds of 155 mm", {"155mm"}),
        ("M30 and 40 mm", {"40mm"}),
        ("12 NATO members and 155 mm", {"155mm"}),
    ],
)
def test_the_unit_after_a_list_of_numbers_belongs_to_each(text: str, wanted: set[str]) -> None:
    assert calibres(tokens(text, TABLE)) == wanted


def test_cartridge_keeps_its_full_form_too() -> None:
    assert "5.56x45mm" in tokens("5.56x45mm", TABLE)


def test_vehicle_drive_configurations_are_not_cartridges() -> None:
    assert calibres(tokens("4x4 and 8x8 armoured vehicles", TABLE)) == frozenset()


@pytest.mark.parametrize(
    "text",
    [
        "UAV",
        "UAVs",
        "drone",
        "Drones",
        "unmanned aircraft",
        "Unmanned Aircraft Systems",
        "unmanned aerial vehicle",
        "RPAS",
        "remotely piloted aircraft system",
        "UAS",
    ],
)
def test_drone_wordings_read_as_uas(text: str) -> None:
    assert norm(text) == "uas"


@pytest.mark.parametrize(
    "text",
    [
        "MANPADS",
        "man-portable air defence system",
        "Man-portable air defense systems",
        "man portable air-defence system",
        "shoulder-fired surface-to-air missile",
    ],
)
def test_manpads_wordings_agree_in_both_spellings(text: str) -> None:
    assert "manpads" in tokens(text, TABLE)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("kamikaze drones", "loitering munitions"),
        ("suicide drone", "loitering munition"),
        ("ATGM", "anti-tank guided missile"),
        ("anti tank guided missiles", "antitank guided missile"),
        ("SPH", "self-propelled howitzer"),
        ("MLRS", "multiple launch rocket system"),
        ("counter-drone", "C-UAS"),
        ("anti-drone", "counter-UAS"),
        ("AShM", "anti-ship missile"),
        ("shells", "rounds"),
        ("projectiles", "cartridges"),
        ("ammo", "munitions"),
        ("FGM-148", "Javelin"),
        ("FIM-92", "Stinger"),
        ("M982", "Excalibur"),
        ("M142", "HIMARS"),
        ("RGM-84", "Harpoon"),
    ],
)
def test_synonyms_meet(left: str, right: str) -> None:
    assert norm(left) == norm(right)


def test_multi_word_phrase_wins_over_its_words() -> None:
    # "drone" alone is uas, but a kamikaze drone is a loitering munition
    assert norm("kamikaze drone") == "loitering munition"
    assert "uas" not in tokens("kamikaze drone", TABLE)


def test_designations_lose_their_hyphen_and_keep_a_base() -> None:
    found = tokens("M109A7 and AH-64E and M795", TABLE)
    assert {"m795", "ah64e"} <= set(found)
    assert designations(("m109a7", "ah64e", "155mm")) == {"m109", "ah64"}


def test_stop_words_and_plurals_fold() -> None:
    assert norm("The production of the howitzers") == "production howitzer"
    assert stem("batteries") == "battery"
    assert stem("chassis") == "chassis"
    assert stem("torpedoes") == "torpedo"
    assert stem("canoes") == "canoe"
    assert stem("echoes") == "echo" and stem("vetoes") == "veto"
    assert stem("m795") == "m795"


def test_normalising_twice_changes_nothing() -> None:
    lines = [
        "Forging and loading of 155 mm M795 projectiles",
        "Man-portable air defence systems (MANPADS)",
        "FGM-148 Javelin anti-tank guided missiles",
        "Self-propelled howitzers, M109A7",
        "Kamikaze drones and counter-drone jammers",
        "HIMARS and GMLRS guided rockets",
    ]
    for line in lines:
        once = norm(line)
        assert norm(once) == once


def test_every_shipped_synonym_reads_as_its_canonical_form() -> None:
    rows = shipped_synonyms()
    assert len(rows) > 200
    for row in rows:
        assert tokens(row.term, TABLE) == tokens(row.canonical, TABLE), row


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("   ", ""),
        ("!!!???...", ""),
        ("\U0001f680\U0001f4a3\U0001f525", ""),  # symbols are no words
        ("[bold red]X[/] <script>alert(1)</script>", "bold red x script alert 1"),
        ("\x1b[31mred\x1b[0m \x00\x07", "31mred 0m"),  # control characters split words
        ("=cmd|' /C calc'!A0", "cmd c calc a0"),
        ("\u53f0\u7063 \u7121\u4eba\u6a5f", "\u53f0\u7063 \u7121\u4eba \u4eba\u6a5f"),  # bigrams
        ("a" * 100_000, "a" * 100_000),
        ("155 mm " * 20_000, "155mm"),  # duplicates go
        ("-" * 5000 + "x" * 5000, "x" * 5000),
    ],
)
def test_odd_text_normalises_to_its_plain_words(text: str, expected: str) -> None:
    assert norm(text) == expected


def test_markup_is_split_into_plain_words() -> None:
    assert norm("[bold red]drones[/]") == "bold red uas"


def test_user_rows_extend_and_override_the_shipped_table() -> None:
    table = SynonymTable.build(
        [
            *shipped_synonyms(),
            Synonym("tien chien", "sky sword missile"),
            Synonym("drone", "unmanned thing"),  # a user's choice wins on the same term
        ]
    )
    assert normalise("Tien Chien", table) == "sky sword missile"
    assert normalise("drone", table) == "unmanned thing"


def test_synonym_chains_resolve() -> None:
    table = SynonymTable.build([Synonym("quad", "quadcopter"), Synonym("quadcopter", "uas")])
    assert normalise("quad", table) == "uas"
    assert normalise("quadcopter", table) == "uas"


def test_read_synonyms_csv(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.csv"
    path.write_text("\ufeffterm,canonical\nsky bow,tien kung\n,missing\nx,\n", encoding="utf-8")
    assert read_synonyms_csv(path) == [Synonym("sky bow", "tien kung")]


def shipped_capability_lines() -> list[str]:
    import csv

    from coprod.paths import shipped_data_dir

    with (shipped_data_dir() / "capabilities.csv").open(encoding="utf-8") as handle:
        return [row["capability"] for row in csv.DictReader(handle)]


def test_many_lines_at_once_give_the_same_tokens_as_one_at_a_time() -> None:
    lines = shipped_capability_lines()
    lines += [
        "",
        "155",
        "mm",
        "5.56 x",
        "45 mm",
        "FGM-",
        "148",
        "12,",
        "7 mm",
        "\u00e9l\u00e9ment 155\u2011mm",
        "x\x00y 155\x00mm",
        "\U0001f680 drones",
        "ends with a dot.",
        ".50 cal",
    ]
    assert tokens_many(lines, TABLE) == [tokens(line, TABLE) for line in lines]
    assert tokens_many([], TABLE) == []


def test_many_lines_read_what_a_product_serves_as_one_line_does() -> None:
    """The normaliser marks what follows a purpose word on many lines at once (the
    lines found together, each distinct head read once); each line must come out as
    tokens() gives it."""
    from coprod.knowledge import shipped_knowledge

    table = synonym_table(knowledge=shipped_knowledge())
    lines = shipped_capability_lines()
    lines += [
        "Solid rocket motors for Javelin. Stinger seekers",
        "For drones: batteries",
        "Systems for counter-drone defence; fuzes for 155 mm shells",
        "Heavy multirotor with a drop mechanism for mortar bombs\x00for",
        "Launchers compatible with PAC-3 MSE",
        "interceptors AGAINST drones",
    ]
    many = tokens_many(lines, table)
    assert many == [tokens(line, table) for line in lines]
    assert any(token.startswith("⊂") for line in many for token in line)
    assert tokens_many(lines, table, parallel_from=10) == many


def test_two_processes_give_the_same_tokens_as_one() -> None:
    lines = [f"{n} mm artillery shells and kamikaze drones, FGM-{n}" for n in range(300)]
    lines += ["", "!!!", "man-portable air defence systems", "\u00e9l\u00e9ment 155\u2011mm"]
    expected = [tokens(line, TABLE) for line in lines]
    assert tokens_many(lines, TABLE, parallel_from=10) == expected
    # and the helper process really runs (this is no silent fallback)
    helper = _HelperProcess.start(lines[100:], TABLE)
    assert helper is not None
    assert helper.result(len(lines) - 100) == expected[100:]
    # work done between start and finish does not change the result
    with tokens_many_started(lines, TABLE, parallel_from=10) as pending:
        assert tokens(lines[0], TABLE) == expected[0]
        assert pending.result() == expected


def test_an_error_before_the_result_stops_the_helper_and_removes_its_input() -> None:
    import tempfile

    before = set(Path(tempfile.gettempdir()).glob("coprod-tokens-*"))
    lines = [f"{n} mm shells" for n in range(50)]
    with (
        pytest.raises(RuntimeError),
        tokens_many_started(lines, TABLE, parallel_from=10) as pending,
    ):
        helper = pending._helper
        assert helper is not None
        raise RuntimeError("the caller failed before asking for the tokens")
    assert helper._child.returncode is not None  # ended and waited for
    assert set(Path(tempfile.gettempdir()).glob("coprod-tokens-*")) == before


def test_the_helper_process_imports_this_coprod_not_one_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python puts the working directory first on a `python -c` child's path: a `coprod`
    folder there must not be imported (it could run anything, or normalise otherwise)."""
    fake = tmp_path / "coprod"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise SystemExit('the wrong coprod was imported')\n")
    monkeypatch.chdir(tmp_path)
    lines = ["155 mm shells", "kamikaze drones"]
    helper = _HelperProcess.start(lines, TABLE)
    assert helper is not None
    assert helper.result(len(lines)) == [tokens(line, TABLE) for line in lines]


def test_tokens_do_not_depend_on_the_string_hash_seed() -> None:
    """A line must read the same in every process (the index build's helper has its own
    hash seed): here one whose words close two gapped labels."""
    import subprocess
    import sys

    line = "GPS precision guided artillery projectiles and 60 mm mortar ammunition"
    probe = (
        "import sys\n"
        "from coprod.knowledge import shipped_knowledge\n"
        "from coprod.text import synonym_table, tokens\n"
        "print(' '.join(tokens(sys.argv[1], synonym_table(knowledge=shipped_knowledge()))))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", probe, line],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(8)
    }
    assert len(outputs) == 1
    assert "§guided_artillery_projectile" in outputs.pop()


# ------------------------------------------------------ saved table (state / from_state)

SAVED_MAPS = (
    "words",
    "phrases",
    "chinese",
    "concept_parent",
    "system_concepts",
    "concept_words",
    "gapped",
    "phrase_starts",
    "phrase_lengths",
    "gapped_heads",
    "longest_chinese",
    "chinese_gapped",
)


def _read_back(state: dict[str, list[str]]) -> SynonymTable:
    """The table as a saved index gives it back: each map as the UTF-8 bytes of its one
    string (coprod.ranking saves them as a byte array, read back undecoded)."""
    return SynonymTable.from_state(
        {name: memoryview("".join(lines).encode("utf-8")) for name, lines in state.items()}
    )


def _knowledge_table() -> SynonymTable:
    from coprod.knowledge import shipped_knowledge

    return synonym_table(knowledge=shipped_knowledge())


def test_a_saved_table_holds_strings_and_reads_back_every_map_in_order() -> None:
    built = _knowledge_table()
    state = built.state()
    assert "json" not in state
    assert all(isinstance(line, str) for lines in state.values() for line in lines)
    restored = _read_back(state)
    for name in SAVED_MAPS:
        mine, theirs = getattr(built, name), getattr(restored, name)
        assert mine == theirs, name
        if isinstance(mine, dict):
            assert list(mine) == list(theirs), name  # same order: gapped entries too


def test_a_saved_table_decodes_a_map_only_when_it_is_used() -> None:
    restored = _read_back(_knowledge_table().state())
    assert "phrases" not in vars(restored)
    assert tokens("man-portable air defence system", restored) == tokens(
        "man-portable air defence system", _knowledge_table()
    )
    assert "phrases" in vars(restored)


def test_known_texts_are_answered_without_decoding_a_map_and_as_tokenised() -> None:
    built = _knowledge_table()
    texts = ["Kamikaze drones for coastal defence", "155公厘砲彈", "Javelin FGM-148 missiles"]
    restored = _read_back(built.state(texts))
    assert [tokens(text, restored) for text in texts] == [tokens(text, built) for text in texts]
    assert not {"words", "phrases", "gapped", "chinese"} & set(vars(restored))
    # any other text is tokenised from the maps, as by the built table
    other = "man-portable air defence system"
    assert tokens(other, restored) == tokens(other, built)


def test_a_table_whose_keys_hold_the_separators_is_saved_as_json_and_reads_the_same() -> None:
    # a user's synonym may make a key with a space or a unit separator in it
    odd = SynonymTable(
        words={"a b": ("x",), "c\x1fd": ("y", "z")},
        phrases={("p", "q"): ("r",)},
        concept_parent={"k w": ""},
    )
    state = odd.state(["a text\nwith a newline", "plain text"])
    assert list(state) == ["json"]
    restored = SynonymTable.from_state(state)
    for name in SAVED_MAPS:
        assert getattr(restored, name) == getattr(odd, name), name
    assert tokens("plain text", restored) == tokens("plain text", odd)


@pytest.mark.parametrize(
    ("table", "as_strings"),
    [
        (SynonymTable(words={"a b": ("x",)}, chinese={"無 人": ("y",)}), True),  # a key's space
        (SynonymTable(words={"a": ("x y",)}), False),  # a token holding a space
        (SynonymTable(phrases={("p", ""): ("r",)}), False),  # an empty token
        (SynonymTable(concept_parent={"c": "d\ne"}), False),  # a newline
        (SynonymTable(gapped={"f": {"h\x1eh": ((("m",), ("§c",)),)}}), False),  # a separator
    ],
)
def test_a_table_is_saved_as_strings_only_when_they_read_back_the_same(
    table: SynonymTable, as_strings: bool
) -> None:
    state = table.state()
    assert ("json" not in state) == as_strings
    restored = _read_back(state) if as_strings else SynonymTable.from_state(state)
    for name in SAVED_MAPS:
        assert getattr(restored, name) == getattr(table, name), name


def test_a_saved_table_of_the_wrong_shape_is_refused() -> None:
    state = _knowledge_table().state()
    with pytest.raises(KeyError):
        SynonymTable.from_state({k: v for k, v in state.items() if k != "phrases"})
    with pytest.raises(TypeError):
        SynonymTable.from_state({**state, "words": "not a list"})


NUMBER_LINES = [
    "5.56 x 45 mm and 7.62x51mm NATO rounds",
    "12,7 mm HMG; 155-mm shells, 120/105 mm guns",
    "FGM-148 Javelin, AH-64E阿帕契, MQ-9B無人機",
    "5.56及7.62公厘彈藥",
    "4x4 and 8x8 vehicles, 2022 and 155 mm",
    "up to 10,000 per year",
    "7.62 NATO",
    "plain words only",
    "ＦＧＭ－１４８ and 5.56×45",
    "",
    "x-band radar 3-d",
]


def test_raw_tokens_many_is_raw_tokens_per_line() -> None:
    # the many-line path runs each number rule only on the lines holding its words
    from coprod.rawtokens import raw_tokens, raw_tokens_many

    lines = NUMBER_LINES * 3 + [line.upper() for line in NUMBER_LINES]
    assert raw_tokens_many(lines) == [raw_tokens(line) for line in lines]
    assert raw_tokens_many(NUMBER_LINES[7:8]) == [raw_tokens(NUMBER_LINES[7])]


def test_number_patterns_match_where_their_lookbehind_first_forms_do() -> None:
    # the patterns look behind a number after its first digit, so that the engine can
    # scan for a digit; they must match exactly where "(?<!...)" before it would
    import re

    from coprod import rawtokens

    reference = {
        "_CARTRIDGE": r"(?<![\w.])(\d{1,3}(?:\.\d{1,3})?)\s*x\s*(1[7-9]|[2-9]\d|[1-9]\d\d)"
        r"(?:\s*-?\s*mm\b)?",
        "_NATO_CALIBRE": r"(?<![a-z0-9_.])(\d{1,2}\.\d{1,2})\s*-?\s*(?=nato(?![a-z0-9]))",
    }
    texts = [line.casefold() for line in NUMBER_LINES] + ["a5.56 nato", ".5.56 x 45", "x5 x 45"]
    for name, pattern in reference.items():
        ours = getattr(rawtokens, name)
        for text in texts:
            expected = [m.span() + m.groups() for m in re.finditer(pattern, text)]
            assert [m.span() + m.groups() for m in ours.finditer(text)] == expected, (name, text)
