"""Pairings as records, files and terminal tables.

One record shape serves every format: `pairing_record` builds it, CSV, JSON,
JSONL and Markdown writers serialise it, and the terminal table shows the
same cells, so the formats agree cell for cell (tests/golden keeps them so).

Catalog text is untrusted (see coprod/safe.py): CSV and Markdown cells show
control characters as visible escapes and CSV cells that a spreadsheet would
evaluate are neutralised; JSON keeps the text exact but escapes every
control character; the table wraps catalog text in `rich.text.Text`, so Rich
markup in a partner name prints literally.

Writing CSV or JSON never imports rich: headless runs stay lean.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any, TextIO

from coprod.gcpause import paused_cyclic_gc
from coprod.model import ConsentStep, Match, Pairing, Requirement
from coprod.reasons import component_label, consent_step_summary, pairing_reason, source_runs
from coprod.safe import (
    csv_text,
    holds_invisible,
    json_text,
    markdown_text,
    printable,
    spreadsheet_safe,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

    from coprod.userstate import Annotation, PairingKey

    Annotations = Mapping[PairingKey, Annotation]

# The stable, documented field names (README "Output fields"): never rename.
CORE_FIELDS: tuple[str, ...] = (
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
EXTRA_FIELDS: tuple[str, ...] = (
    "requirement_title",
    "reason",  # the pairing in one to three sentences (coprod.reasons.pairing_reason)
    "pairing_kind",
    "foreign_fit",
    "foreign_system",
    "foreign_matched_tokens",
    "foreign_concepts",
    "local_fit",
    "local_matched_tokens",
    "local_concepts",
    "consent_chain",
)
RECORD_FIELDS: tuple[str, ...] = CORE_FIELDS + EXTRA_FIELDS
# What the analyst wrote on a pairing (coprod.userstate), after every other field and only
# when the saved work holds any: an output without saved work is unchanged.
ANNOTATION_FIELDS: tuple[str, ...] = ("decision", "decision_reason", "note")
# The foreign partner's other Taiwanese co-producers (coprod.arrangement.arrange shows one row
# per foreign partner, with its best one): a list of names, `; `-joined in CSV and
# Markdown; empty with rows per co-producer. After RECORD_FIELDS, in `coprod rank`'s
# output (callers that pass no `others`, such as the shortlist export, leave it out).
OTHERS_FIELD = "other_co_producers"

FORMATS: tuple[str, ...] = ("csv", "json", "jsonl", "md")

# Values of `pairing_kind`: says plainly which side is missing.
FOREIGN_AND_LOCAL = "foreign_and_local"
FOREIGN_ONLY = "foreign_only"  # no Taiwanese firm fits
LOCAL_ONLY = "local_only"  # Taiwanese industry alone

NO_LOCAL_TEXT = "no Taiwanese co-producer fits"
LOCAL_ONLY_TEXT = "none needed: Taiwanese industry alone"

_LIST_SEPARATOR = "; "
_SCORE_DECIMALS = 2


def _rounded(value: float) -> float:
    value = float(value)
    if value == 0.0:  # as round() gives it, sign kept, without its decimal conversion
        return value
    return _rounded_nonzero(value)


# A ranking's scores and components repeat a handful of values, and round() with
# decimals goes through a decimal conversion each time. Zeros stay out of the cache,
# which would take 0.0 and -0.0 for one key.
@lru_cache(maxsize=4096)
def _rounded_nonzero(value: float) -> float:
    return round(value, _SCORE_DECIMALS)


def pairing_kind(pairing: Pairing) -> str:
    if pairing.foreign is None:
        return LOCAL_ONLY
    if pairing.local is None:
        return FOREIGN_ONLY
    return FOREIGN_AND_LOCAL


def _consent_step_record(step: ConsentStep) -> dict[str, object]:
    return {
        "country": step.country,
        "posture": step.posture,
        "blocks": step.blocks,
        "reason": step.reason,
        "note": step.note,
        "source": step.source,
    }


def pairing_record(pairing: Pairing, requirement: Requirement | None = None) -> dict[str, object]:
    """The pairing as a flat record with RECORD_FIELDS keys, in that order.

    Missing sides are None (JSON null, empty CSV cell); `pairing_kind` says
    which. `requirement` only supplies `requirement_title` (None without it).
    """
    foreign = pairing.foreign
    local = pairing.local
    chain = pairing.consent_chain
    return {
        "requirement_id": pairing.requirement_id,
        "rank": int(pairing.rank),
        "score": _rounded(pairing.score),
        "feasibility": pairing.feasibility,
        "consent_countries": list(pairing.consent_countries) if chain else [],
        "blocked_by": list(pairing.blocked_by) if chain else [],
        "foreign_partner_id": None if foreign is None else foreign.partner_id,
        "foreign_partner": None if foreign is None else foreign.partner_name,
        "foreign_country": None if foreign is None else foreign.country,
        "foreign_capability": None if foreign is None else foreign.capability,
        "local_partner_id": None if local is None else local.partner_id,
        "local_partner": None if local is None else local.partner_name,
        "local_capability": None if local is None else local.capability,
        "components": {name: _rounded(points) for name, points in pairing.components.items()},
        "requirement_title": requirement.title if requirement is not None else None,
        "reason": pairing_reason(pairing),
        "pairing_kind": pairing_kind(pairing),
        "foreign_fit": None if foreign is None else _rounded(foreign.fit),
        "foreign_system": None if foreign is None else foreign.system,
        "foreign_matched_tokens": [] if foreign is None else list(foreign.matched_tokens),
        "foreign_concepts": [] if foreign is None else list(foreign.concepts),
        "local_fit": None if local is None else _rounded(local.fit),
        "local_matched_tokens": [] if local is None else list(local.matched_tokens),
        "local_concepts": [] if local is None else list(local.concepts),
        "consent_chain": [_consent_step_record(step) for step in chain],
    }


def pairing_records(
    pairings: Iterable[Pairing],
    requirements: Mapping[str, Requirement] | None = None,
    annotations: Annotations | None = None,
    others: Sequence[Sequence[Match]] | None = None,
) -> list[dict[str, object]]:
    """The records of `pairings`; with `others` (per pairing, its foreign partner's other
    co-producers) each record has OTHERS_FIELD; with non-empty `annotations`, the
    ANNOTATION_FIELDS (empty text for a pairing nobody wrote on)."""
    lookup = requirements or {}
    pairings = list(pairings)
    records = [pairing_record(p, lookup.get(p.requirement_id)) for p in pairings]
    if others is not None:
        for index, record in enumerate(records):
            listed = others[index] if index < len(others) else ()
            record[OTHERS_FIELD] = [match.partner_name for match in listed]
    if annotations:
        from coprod.userstate import Annotation, pairing_key

        for pairing, record in zip(pairings, records, strict=True):
            annotation = annotations.get(pairing_key(pairing), Annotation())
            record["decision"] = annotation.decision
            record["decision_reason"] = annotation.reason
            record["note"] = annotation.note
    return records


def record_fields(records: Sequence[Mapping[str, object]]) -> tuple[str, ...]:
    """RECORD_FIELDS, then OTHERS_FIELD and the ANNOTATION_FIELDS when the records carry them."""
    fields = RECORD_FIELDS
    if records and OTHERS_FIELD in records[0]:
        fields += (OTHERS_FIELD,)
    if records and "decision" in records[0]:
        fields += ANNOTATION_FIELDS
    return fields


# ---------------------------------------------------------------- flat cells


def component_names(records: Iterable[Mapping[str, object]]) -> list[str]:
    """Every component name in first-seen order (the CSV's component_<name> columns)."""
    names: dict[str, None] = {}
    for record in records:
        components = record["components"]
        assert isinstance(components, dict)
        names.update(dict.fromkeys(components))
    return list(names)


def flat_columns(records: Sequence[Mapping[str, object]]) -> list[str]:
    """RECORD_FIELDS with `components` spread into component_<name> columns, in place."""
    columns: list[str] = []
    for name in record_fields(records):
        if name == "components":
            columns.extend(f"component_{component}" for component in component_names(records))
        else:
            columns.append(name)
    return columns


def _consent_chain_text(chain: Sequence[Mapping[str, object]]) -> str:
    parts = []
    for step in chain:
        text = consent_step_summary(
            str(step["country"]), str(step["posture"]), bool(step["blocks"])
        )
        if step["reason"]:
            text += f": {step['reason']}"
        parts.append(text)
    return _LIST_SEPARATOR.join(parts)


def _value_text(value: object) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return value
    if isinstance(value, list):
        return _LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.{_SCORE_DECIMALS}f}"
    return str(value)


def _consent_chain_cell(value: object) -> str:
    if value is None:
        return ""
    assert isinstance(value, list)
    return _consent_chain_text(value)


def _tokens_cell(value: object) -> str:
    if value is None:
        return ""
    assert isinstance(value, list)
    return " ".join(str(token) for token in value)


def _text_maker(name: str) -> Callable[[object], str]:
    """How a value of the field `name` reads as plain text (see _cell_text)."""
    if name == "consent_chain":
        return _consent_chain_cell
    if name.endswith("_matched_tokens"):
        return _tokens_cell
    return _value_text


def _cell_text(name: str, value: object) -> str:
    """One value as plain text, the same in CSV, Markdown and the table."""
    return _text_maker(name)(value)


def flat_row(record: Mapping[str, object], columns: Sequence[str]) -> dict[str, str]:
    """The record as text cells for `columns` (from flat_columns); absent components are ""."""
    return dict(zip(columns, _flat_texts(record, _flat_plan(columns)), strict=True))


# Per flat column: the record's field, or the component it shows (when no field has the
# column's name), and how its value reads as text.
_FlatPlan = list[tuple[str, str | None, Callable[[object], str]]]


def _flat_plan(columns: Sequence[str]) -> _FlatPlan:
    plan: _FlatPlan = []
    for column in columns:
        component = column.removeprefix("component_") if column.startswith("component_") else None
        plan.append((column, component, _text_maker(column)))
    return plan


def _flat_texts(record: Mapping[str, object], plan: _FlatPlan) -> list[str]:
    components = record["components"]
    assert isinstance(components, dict)
    texts: list[str] = []
    for column, component, text_of in plan:
        if component is not None and column not in record:
            points = components.get(component)
            texts.append("" if points is None else text_of(points))
        else:
            texts.append(text_of(record[column]))
    return texts


# ------------------------------------------------------------------- writers


# json.dumps(value, ensure_ascii=False) without making an encoder per call, nor looking
# for cycles: records are trees built by pairing_records.
_JSON_LINE = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def _json_text(value: object, *, indent: int | None) -> str:
    if indent is None:
        text = _JSON_LINE.encode(value)
    else:
        try:
            text = _indented_json(value, "\n", " " * indent)
        except TypeError:  # not a record's types: json says what it makes of them
            text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _invisible_escaped(text)


def _invisible_escaped(text: str) -> str:
    """JSON text with every invisible character escaped (coprod/safe.py): C1, bidi
    controls, U+2028..."""
    # Most records hold none: json_text's scan of every character would be a quarter
    # of the JSONL writer.
    return json_text(text) if holds_invisible(text) else text


_INFINITY = float("inf")


def _json_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _json_null(value: None) -> str:
    return "null"


def _json_bool(value: bool) -> str:
    return "true" if value else "false"


# How json writes a value of each scalar type (by exact type: a subclass takes json's
# isinstance checks in _indented_json).
_JSON_SCALARS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    float: _json_float,
    bool: _json_bool,
    type(None): _json_null,
}


# A key as it starts a member ('"score": '), for the field names every record repeats.
_JSON_KEYS: dict[str, str] = {}
_JSON_KEYS_KEPT = 1024


def _json_key(key: str) -> str:
    encoded = f"{encode_basestring(key)}: "
    if len(_JSON_KEYS) < _JSON_KEYS_KEPT:
        _JSON_KEYS[key] = encoded
    return encoded


def _indented_json(value: object, newline: str, step: str) -> str:
    """`value` exactly as json.dumps(value, ensure_ascii=False, indent=len(step)) writes
    it, `newline` being the line break and indentation of the value's own depth.

    json's own indented encoder is pure Python and yields every piece through nested
    generators (most of the JSON writer's time); this one only joins strings. It takes
    what records hold (str, int, float, bool, None, lists, tuples, dicts with str keys)
    in json's order of checks, and raises TypeError for anything else.
    """
    scalar = _JSON_SCALARS.get(type(value))
    if scalar is not None:
        return scalar(value)
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _json_float(value)
    inner = newline + step
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = [
            scalar(item)
            if (scalar := _JSON_SCALARS.get(type(item)))
            else _indented_json(item, inner, step)
            for item in value
        ]
        return f"[{inner}{(',' + inner).join(items)}{newline}]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        members = []
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"a {type(key).__name__} key")
            scalar = _JSON_SCALARS.get(type(item))
            shown = scalar(item) if scalar is not None else _indented_json(item, inner, step)
            members.append((_JSON_KEYS.get(key) or _json_key(key)) + shown)
        return f"{{{inner}{(',' + inner).join(members)}{newline}}}"
    raise TypeError(f"a {type(value).__name__} value")


# A plain number is data to a spreadsheet, never a formula: scores and negative
# components stay numeric instead of gaining the apostrophe.
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def csv_cell(text: str) -> str:
    """A CSV cell with control characters visible and formulas neutralised."""
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    return csv_text(text)


def _visible_csv_cell(text: str) -> str:
    """csv_cell of a text that holds no invisible character (holds_invisible)."""
    # Only a negative number is both a plain number and formula-like.
    if text.startswith("-") and _PLAIN_NUMBER.fullmatch(text):
        return text
    return spreadsheet_safe(text)


def _write_csv(records: Sequence[Mapping[str, object]], stream: TextIO) -> None:
    columns = flat_columns(records)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    plan = _flat_plan(columns)
    for record in records:
        texts = _flat_texts(record, plan)
        # One test for the row: most rows hold no invisible character, and their cells
        # then only need the formula check.
        make_cell = csv_cell if holds_invisible("".join(texts)) else _visible_csv_cell
        writer.writerow([make_cell(text) for text in texts])


def markdown_cell(text: str) -> str:
    """Catalog text as one inert Markdown table cell (coprod/safe.py: nothing renders)."""
    return markdown_text(text)


def _write_markdown(records: Sequence[Mapping[str, object]], stream: TextIO) -> None:
    columns = record_fields(records)
    stream.write("| " + " | ".join(columns) + " |\n")
    stream.write("|" + "---|" * len(columns) + "\n")
    for record in records:
        cells = []
        for column in columns:
            if column == "components":
                components = record["components"]
                assert isinstance(components, dict)
                text = ", ".join(f"{k}={_cell_text(k, v)}" for k, v in components.items())
            else:
                text = _cell_text(column, record[column])
            cells.append(markdown_cell(text))
        stream.write("| " + " | ".join(cells) + " |\n")


def write_records(records: Sequence[Mapping[str, object]], fmt: str, stream: TextIO) -> None:
    if fmt == "csv":
        _write_csv(records, stream)
    elif fmt == "json":
        stream.write(_json_text(list(records), indent=2) + "\n")
    elif fmt == "jsonl":
        for record in records:
            stream.write(_json_text(record, indent=None) + "\n")
    elif fmt == "md":
        _write_markdown(records, stream)
    else:
        raise ValueError(f"unknown output format {fmt!r}; expected one of {', '.join(FORMATS)}")


def write_pairings(
    pairings: Sequence[Pairing],
    fmt: str,
    stream: TextIO,
    requirements: Mapping[str, Requirement] | None = None,
    annotations: Annotations | None = None,
    others: Sequence[Sequence[Match]] | None = None,
) -> None:
    """Serialise pairings as csv | json (an array) | jsonl (one object a line) | md.

    An empty sequence still gives a valid file: a CSV header, `[]`, nothing, a
    Markdown header. With `others` (per pairing) every record has OTHERS_FIELD; with
    non-empty `annotations` (the saved work's decisions and notes by pairing key)
    every record ends with the ANNOTATION_FIELDS.
    """
    # Thousands of acyclic records: the collections they would trigger walk the whole
    # catalog in memory and free nothing (a quarter of a big batch's writing).
    with paused_cyclic_gc():
        write_records(pairing_records(pairings, requirements, annotations, others), fmt, stream)


# ------------------------------------------------------------ terminal table

_FEASIBILITY_STYLE = {"ok": "green", "consent_required": "yellow", "blocked": "bold red"}


def _partner_cell(record: Mapping[str, object], side: str) -> Any:
    from rich.text import Text

    name = record[f"{side}_partner"]
    if name is None:
        return Text(NO_LOCAL_TEXT if side == "local" else LOCAL_ONLY_TEXT, style="dim italic")
    cell = Text(printable(str(name)), style="bold")
    if side == "foreign":
        cell.append(f"\n{printable(str(record['foreign_country']))}", style="dim")
    return cell


def _capability_cell(record: Mapping[str, object], side: str) -> Any:
    from rich.text import Text

    capability = record[f"{side}_capability"]
    return Text("" if capability is None else printable(str(capability)))


def _annotation_cell(record: Mapping[str, object]) -> Any:
    from rich.text import Text

    from coprod.userstate import DECISIONS

    cell = Text()
    decision = str(record.get("decision") or "")
    if decision:
        cell.append(DECISIONS.get(decision, decision), style="bold")
    reason = str(record.get("decision_reason") or "")
    if reason:
        cell.append((": " if decision else "") + printable(reason))
    note = str(record.get("note") or "")
    if note:
        cell.append(("\n" if cell.plain else "") + printable(note), style="italic")
    return cell


def _feasibility_cell(record: Mapping[str, object]) -> Any:
    from rich.text import Text

    feasibility = str(record["feasibility"])
    cell = Text(feasibility, style=_FEASIBILITY_STYLE.get(feasibility, ""))
    blocked_by = record["blocked_by"]
    consent = record["consent_countries"]
    assert isinstance(blocked_by, list) and isinstance(consent, list)
    if blocked_by:
        cell.append("\nblocked by " + printable(", ".join(blocked_by)), style="red")
    if consent:
        cell.append("\nconsent: " + printable(", ".join(consent)), style="yellow")
    return cell


def _side_explanation(record: Mapping[str, object], side: str) -> Any:
    from rich.text import Text

    who = "foreign line" if side == "foreign" else "Taiwanese line"
    line = Text(f"{who}: fit ", style="dim")
    line.append(_cell_text("", record[f"{side}_fit"]), style="cyan")
    tokens = record[f"{side}_matched_tokens"]
    assert isinstance(tokens, list)
    line.append(" · matched: ", style="dim")
    if tokens:
        line.append(printable(" ".join(str(t) for t in tokens)), style="cyan")
    else:
        line.append("no requirement token", style="dim italic")
    concepts = record.get(f"{side}_concepts") or []
    assert isinstance(concepts, list)
    if concepts:
        line.append(" · concepts: ", style="dim")
        line.append(printable("; ".join(str(c) for c in concepts)), style="cyan")
    return line


def score_sum(components: Mapping[str, float]) -> list[tuple[str, str, bool]]:
    """The score as a sum a person reads: (joiner, "label points", is_penalty) per nonzero
    component, then the total. A penalty is subtracted ("− consent 10.00"), never added.

    Components worth 0.00 are left out: they do not move the score (the exports keep them).
    """
    terms: list[tuple[str, str, bool]] = []
    for name, points in components.items():
        if round(points, _SCORE_DECIMALS) == 0:
            continue
        penalty = points < 0
        joiner = ("− " if penalty else "") if not terms else (" − " if penalty else " + ")
        terms.append((joiner, f"{component_label(name)} {abs(points):.2f}", penalty))
    return terms


def _indented(text: Any, indent: int = 4) -> Any:
    """Text indented on every line it wraps to."""
    from rich.padding import Padding

    return Padding(text, (0, 0, 0, indent), expand=False)


def _source_lines(label: str, source: str, indent: int) -> list[Any]:
    """A source under its label, each web address on a line of its own and never wrapped
    (a terminal that supports it makes it a hyperlink; the printer must not crop it)."""
    from rich.style import Style
    from rich.text import Text

    lines: list[Any] = []
    prose = Text(f"{label}: ", style="dim")
    for run, is_address in source_runs(source):
        if not is_address:
            prose.append(printable(run).strip(" ,;"))
            continue
        if prose.plain.strip():
            lines.append(_indented(prose, indent))
        # Spaces, not padding: padding would cut the address at the width.
        spaces = " " * (indent + 2)
        lines.append(Text(spaces + run, style=Style(link=run), no_wrap=True, overflow="ignore"))
        prose = Text()
    if prose.plain.strip():
        lines.append(_indented(prose, indent + 2))
    return lines


def pairing_explanation(record: Mapping[str, object]) -> Any:
    """Why a pairing scored what it did: its reason in words, the score as a sum of named
    points (penalties subtracted, in red), each side's fit with the requirement words its
    line matched, every government in the consent chain with its reason, and the sources
    the knowledge base gives for them, web addresses whole."""
    from rich.console import Group
    from rich.text import Text

    head = Text(f"#{record['rank']} ", style="bold")
    head.append(_cell_text("score", record["score"]), style="bold")
    feasibility = str(record["feasibility"])
    head.append(f"  {feasibility}", style=_FEASIBILITY_STYLE.get(feasibility, ""))
    lines: list[Any] = [head, _indented(Text(printable(str(record["reason"]))))]
    components = record["components"]
    assert isinstance(components, dict)
    total = Text("score = ", style="dim")
    for joiner, term, penalty in score_sum(components):
        total.append(joiner)
        total.append(term, style="red" if penalty else "green")
    lines.append(_indented(total))
    for side in ("foreign", "local"):
        if record[f"{side}_partner"] is not None:
            lines.append(_indented(_side_explanation(record, side)))
    others = record.get(OTHERS_FIELD)
    if others:
        line = Text("other co-producers: ", style="dim")
        line.append(printable(_cell_text(OTHERS_FIELD, others)))
        lines.append(_indented(line))
    chain = record["consent_chain"]
    assert isinstance(chain, list)
    for step in chain:
        line = Text()
        summary = consent_step_summary(str(step["country"]), str(step["posture"]), step["blocks"])
        line.append(
            printable(summary),
            style="red" if step["blocks"] else "yellow",
        )
        if step["reason"]:
            line.append(": " + printable(str(step["reason"])))
        lines.append(_indented(line))
        if step.get("source"):
            lines.extend(_source_lines("source", str(step["source"]), 6))
    return Group(*lines)


def requirement_heading(requirement_id: str, requirement: Requirement | None) -> str:
    """Plain text naming a requirement; callers wrap it in Text (it holds catalog text)."""
    if requirement is None:
        return requirement_id
    details = ", ".join(part for part in (requirement.category, requirement.priority) if part)
    heading = f"{requirement_id} · {requirement.title}"
    return printable(f"{heading} ({details})" if details else heading)


def pairings_table(
    requirement_id: str,
    pairings: Sequence[Pairing],
    requirement: Requirement | None = None,
    *,
    explain: bool = False,
    annotations: Annotations | None = None,
    others: Sequence[Sequence[Match]] | None = None,
) -> RenderableType:
    """One requirement's pairings as a rich Table (or a line saying there are none).

    With `explain`, each pairing's explanation follows the table as a block of
    text, readable at any terminal width (extra table columns were not), naming
    the foreign partner's other co-producers when `others` lists any. With
    non-empty `annotations` a last column shows each pairing's decision and note.
    """
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    heading = Text(requirement_heading(requirement_id, requirement), style="bold")
    if not pairings:
        heading.append("\n  no pairing passes the filters", style="dim italic")
        return heading
    table = Table(title=heading, title_justify="left", show_lines=True, expand=False)
    # "fold": a long word wraps instead of being cut to an ellipsis; nothing is hidden.
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("feasibility", overflow="fold")
    table.add_column("foreign partner", overflow="fold")
    table.add_column("foreign capability", ratio=2, overflow="fold")
    table.add_column("Taiwanese co-producer", overflow="fold")
    table.add_column("local capability", ratio=2, overflow="fold")
    records = pairing_records(
        pairings, {requirement_id: requirement} if requirement else None, annotations, others
    )
    noted = bool(annotations)
    if noted:
        table.add_column("decision / note", ratio=1, overflow="fold")
    from coprod.arrangement import blocked_summary

    blocked_from = next(
        (i for i, p in enumerate(pairings) if p.feasibility == "blocked"), len(pairings)
    )
    for index, record in enumerate(records):
        cells = [] if not noted else [_annotation_cell(record)]
        if index == blocked_from:
            # The blocked group (coprod.arrangement.arrange puts it last), said why in one line.
            table.add_row(
                Text(""),
                Text(""),
                Text("blocked", style="bold red"),
                Text(""),
                Text(printable(blocked_summary(pairings[index:])), style="bold red"),
                Text(""),
                Text(""),
                *([Text("")] if noted else []),
            )
        table.add_row(
            Text(str(record["rank"])),
            Text(_cell_text("score", record["score"]), style="bold"),
            _feasibility_cell(record),
            _partner_cell(record, "foreign"),
            _capability_cell(record, "foreign"),
            _partner_cell(record, "local"),
            _capability_cell(record, "local"),
            *cells,
        )
    if not explain:
        return table
    return Group(table, Text("why:", style="bold"), *map(pairing_explanation, records))
