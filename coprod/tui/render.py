"""Rich renderables for the TUI, built only from `rich.text.Text`.

Catalog text is untrusted: every string that came from the catalog goes
through `literal()` (control characters made visible, then wrapped in Text so
Rich markup such as `[bold red]` is shown as those characters). Nothing here
builds a markup string from catalog text. No textual import: these are plain
functions of model data, testable on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from coprod.model import Catalog, ConsentStep, Match, Pairing, Requirement
from coprod.reasons import component_label, pairing_reason, pairing_sources, source_runs
from coprod.safe import printable
from coprod.text import EMPTY_TABLE, SynonymTable, tokens

# Readable on both light and dark backgrounds (no pure yellow).
FEASIBILITY_STYLE = {
    "ok": "bold #2e9e5b",
    "consent_required": "bold #c98a00",
    "blocked": "bold #d64545",
}
FEASIBILITY_LABEL = {"ok": "ok", "consent_required": "consent", "blocked": "blocked"}
POSTURE_STYLE = {
    "open": "#2e9e5b",
    "case_by_case": "#c98a00",
    "reluctant": "#d67a2e",
    "blocked": "bold #d64545",
}
PRIORITY_STYLE = {"high": "bold", "medium": "", "low": "dim"}
HIGHLIGHT_STYLE = "bold reverse"

COMPONENT_BAR_SCALE = 40.0
# Narrow enough that the longest label, the bar and the points fit the 46-cell side pane.
COMPONENT_BAR_WIDTH = 12
MISSING_SHOWN = 8  # requirement words a line lacks, listed before "…"
_EIGHTHS = " ▏▎▍▌▋▊▉"
# Words the matcher keeps (coprod.ranking.explain_tokens lists every query
# token) but that say nothing when listed as "not found": "so rifle squads
# can", "at least 6 hours".
WORDS_NOT_LISTED_AS_MISSING = frozenset(
    [
        "also",
        "allow",
        "allows",
        "around",
        "but",
        "do",
        "does",
        "even",
        "just",
        "least",
        "less",
        "like",
        "many",
        "may",
        "much",
        "not",
        "now",
        "only",
        "out",
        "so",
        "still",
        "then",
        "there",
        "too",
        "very",
        "well",
    ]
)

# Heat-map steps: (lower bound of score, background). Black text on all of them.
HEAT_STEPS: tuple[tuple[float, str], ...] = (
    (80.0, "#1a9850"),
    (60.0, "#91cf60"),
    (40.0, "#d9ef8b"),
    (20.0, "#fee08b"),
    (0.0, "#fc8d59"),
)


def literal(text: object, style: str = "") -> Text:
    """Catalog text as it is: visible control characters, never markup."""
    return Text(printable(str(text)), style=style)


def literal_block(text: object, style: str = "") -> Text:
    """Like `literal`, keeping line breaks (for messages that span lines)."""
    return Text(printable(str(text), one_line=False), style=style)


def bar(value: float, maximum: float, width: int) -> str:
    """A horizontal bar of `width` cells with eighth-cell resolution."""
    if maximum <= 0 or width <= 0:
        return " " * max(width, 0)
    fraction = min(max(value / maximum, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    full, rest = divmod(eighths, 8)
    shown = "█" * full + (_EIGHTHS[rest] if rest else "")
    return shown.ljust(width)


def score_cell(score: float, width: int = 6) -> Text:
    """The score with a small bar, for table cells."""
    text = Text(f"{score:5.1f} ")
    text.append(bar(score, 100.0, width), style="#4a90d9")
    return text


def feasibility_text(feasibility: str | None) -> Text:
    if feasibility is None:
        return Text("—", style="dim")
    return Text(
        FEASIBILITY_LABEL.get(feasibility, feasibility),
        style=FEASIBILITY_STYLE.get(feasibility, ""),
    )


def priority_text(priority: str) -> Text:
    shown = "med" if priority == "medium" else priority
    return literal(shown, PRIORITY_STYLE.get(priority, ""))


def partner_label(match: Match | None, *, local: bool = False) -> Text:
    if match is None:
        return Text("none in Taiwan" if local else "(local only)", style="dim italic")
    return literal(match.partner_name)


def heat_cell(score: float | None) -> Text:
    if score is None:
        return Text("·", style="dim", justify="center")
    background = next(colour for floor, colour in HEAT_STEPS if score >= floor)
    return Text(f" {score:3.0f} ", style=f"#000000 on {background}", justify="center")


# Column headers of the coverage matrix: ISO 3166 alpha-3 codes keep a
# column 5 cells wide, so 12 or more countries fit in 80 columns.
COUNTRY_CODES = {
    "Australia": "AUS",
    "Austria": "AUT",
    "Belgium": "BEL",
    "Brazil": "BRA",
    "Canada": "CAN",
    "Czech Republic": "CZE",
    "Czechia": "CZE",
    "Denmark": "DNK",
    "Estonia": "EST",
    "Finland": "FIN",
    "France": "FRA",
    "Germany": "DEU",
    "India": "IND",
    "Israel": "ISR",
    "Italy": "ITA",
    "Japan": "JPN",
    "Lithuania": "LTU",
    "Netherlands": "NLD",
    "New Zealand": "NZL",
    "Norway": "NOR",
    "Philippines": "PHL",
    "Poland": "POL",
    "Singapore": "SGP",
    "Slovakia": "SVK",
    "South Africa": "ZAF",
    "South Korea": "KOR",
    "Spain": "ESP",
    "Sweden": "SWE",
    "Switzerland": "CHE",
    "Taiwan": "TWN",
    "Turkey": "TUR",
    "Ukraine": "UKR",
    "United Kingdom": "GBR",
    "United States": "USA",
}


def country_codes(countries: Sequence[str]) -> dict[str, str]:
    """A short, unique header per country: its ISO code, else its first letters."""
    codes: dict[str, str] = {}
    taken: set[str] = set()
    for country in countries:
        letters = "".join(ch for ch in printable(country) if ch.isalnum()).upper() or "?"
        code = COUNTRY_CODES.get(country) or letters[:3]
        base, suffix = code, 2
        while code in taken:
            code = f"{base[:2]}{suffix}"
            suffix += 1
        taken.add(code)
        codes[country] = code
    return codes


def country_legend(codes: Mapping[str, str]) -> Text:
    """ "AUS Australia · CZE Czech Republic …", codes bold, names literal."""
    legend = Text(style="dim")
    for i, (country, code) in enumerate(sorted(codes.items(), key=lambda item: item[1])):
        if i:
            legend.append(" · ")
        legend.append(code, style="bold")
        legend.append(" ")
        legend.append_text(literal(country))
    return legend


_WORD = re.compile(r"[^\s,;:()\[\]{}/\"'“”]+")
_LONGEST_WINDOW = 4  # "man portable air defence": multi-word synonyms and "5.56 x 45 mm"


def matched_spans(
    text: str, matched: Iterable[str], table: SynonymTable = EMPTY_TABLE
) -> list[tuple[int, int]]:
    """Character spans of `text` whose normalised tokens are among `matched`.

    Runs the matcher's own normalisation (coprod.text) on each word, then on
    windows of a few words, so "155 mm", "drones" (-> uas) and "unmanned
    aerial vehicle" light up for the tokens 155mm and uas.
    """
    wanted = set(matched)
    if not wanted:
        return []
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    single = [set(tokens(text[start:end], table)) for start, end in words]
    marked = [bool(found & wanted) for found in single]

    def earned(first: int, size: int) -> set[str]:
        """Wanted tokens the window makes that none of its words makes alone."""
        if size < 2:
            return set()
        window = text[words[first][0] : words[first + size - 1][1]]
        alone = set().union(*single[first : first + size])
        return (set(tokens(window, table)) - alone) & wanted

    for size in range(2, _LONGEST_WINDOW + 1):
        for first in range(len(words) - size + 1):
            found = earned(first, size)
            # Only the tightest window: not when a word at either end adds nothing.
            if (
                found
                and not (found & earned(first + 1, size - 1))
                and not (found & earned(first, size - 1))
            ):
                marked[first : first + size] = [True] * size
    spans: list[tuple[int, int]] = []
    for (start, end), hit in zip(words, marked, strict=True):
        if not hit:
            continue
        if spans and not text[spans[-1][1] : start].strip():
            spans[-1] = (spans[-1][0], end)  # one run across the spaces between hits
        else:
            spans.append((start, end))
    return spans


def highlighted(text: str, matched: Sequence[str], table: SynonymTable = EMPTY_TABLE) -> Text:
    """`text` shown literally, with the words that earned the matched tokens highlighted.

    `printable()` only replaces control characters, each with a longer escape,
    so spans are computed on the shown text itself.
    """
    shown = literal(text)
    for start, end in matched_spans(shown.plain, matched, table):
        shown.stylize(HIGHLIGHT_STYLE, start, end)
    return shown


def _heading(title: str) -> Text:
    return Text(title, style="bold underline")


def penalty_bar(value: float, maximum: float, width: int) -> str:
    """A penalty's bar: hatched cells growing leftwards from the points, so a penalty
    never reads as one more positive bar."""
    if maximum <= 0 or width <= 0:
        return " " * max(width, 0)
    cells = round(min(max(value / maximum, 0.0), 1.0) * width)
    return ("▒" * cells).rjust(width)


def signed_points(points: float) -> str:
    """'+28.2', '−10.0' (a true minus sign), '+0.0' for a zero penalty (no '-0.0')."""
    return f"{points + 0.0:+.1f}".replace("-", "−")


def _components_table(pairing: Pairing) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    # One scale for every pairing (a component's most is ~37.5 points), so bars compare.
    largest = max(COMPONENT_BAR_SCALE, *(abs(v) for v in pairing.components.values()))
    gains = [(n, v) for n, v in pairing.components.items() if v >= 0]
    penalties = [(n, v) for n, v in pairing.components.items() if v < 0]
    for name, points in gains:
        table.add_row(
            literal(component_label(name)),
            Text(bar(points, largest, COMPONENT_BAR_WIDTH), style="#4a90d9"),
            Text(signed_points(points)),
        )
    for name, points in penalties:
        label = literal(component_label(name), "#d64545")
        label.append(" (subtracted)", style="dim")
        table.add_row(
            label,
            Text(penalty_bar(-points, largest, COMPONENT_BAR_WIDTH), style="#d64545"),
            Text(signed_points(points), style="bold #d64545"),
        )
    table.add_row(Text("score", style="bold"), Text(""), Text(f"{pairing.score:.1f}", "bold"))
    return table


def telling(word: str) -> bool:
    """Worth listing among a line's missing words: no filler, no 1-2 letter scraps
    (numbers and calibres such as "6" or "9mm" stay)."""
    if any(ch.isdigit() for ch in word):
        return True
    return len(word) > 2 and word not in WORDS_NOT_LISTED_AS_MISSING


def _match_lines(
    title: str,
    match: Match | None,
    *,
    local: bool,
    table: SynonymTable,
    missing: Sequence[str] = (),
) -> list[RenderableType]:
    lines: list[RenderableType] = [_heading(title)]
    if match is None:
        lines.append(
            Text(
                "No Taiwanese co-producer fits this requirement."
                if local
                else "Local only: Taiwanese industry alone.",
                style="italic",
            )
        )
        return lines
    who = literal(match.partner_name, "bold")
    who.append(" (")
    who.append(literal(match.country))
    who.append(") ")
    who.append(literal(match.partner_id, "dim"))
    lines.append(who)
    capability = Text("  “")
    capability.append(highlighted(match.capability, match.matched_tokens, table))
    capability.append("”")
    lines.append(capability)
    facts = Text(f"  fit {match.fit:.0f}", style="dim")
    if match.category:
        facts.append(" · category ")
        facts.append(literal(match.category))
    if match.system:
        facts.append(" · system ")
        facts.append(literal(match.system))
    if match.matched_tokens:
        facts.append(" · matched: ")
        facts.append(literal(", ".join(match.matched_tokens)))
    missing = [word for word in missing if telling(word)]
    if missing:
        facts.append(" · not found: ")
        shown = ", ".join(missing[:MISSING_SHOWN])
        facts.append(literal(shown + (", …" if len(missing) > MISSING_SHOWN else "")))
    lines.append(facts)
    for note in match.concepts:
        concept = Text("  concept: ", style="dim")
        concept.append(literal(note))
        lines.append(concept)
    return lines


def _consent_lines(steps: Sequence[ConsentStep]) -> list[RenderableType]:
    lines: list[RenderableType] = [_heading("Consent chain")]
    if not steps:
        lines.append(Text("No foreign government's consent is needed.", style="italic"))
        return lines
    for step in steps:
        line = Text("✖ " if step.blocks else "• ", style="bold #d64545" if step.blocks else "")
        line.append(literal(step.country, "bold"))
        line.append(" — ")
        line.append(literal(step.posture.replace("_", " "), POSTURE_STYLE.get(step.posture, "")))
        if step.blocks:
            line.append(" (blocks)", style="bold #d64545")
        lines.append(line)
        if step.reason:
            lines.append(Text("  why: ").append(literal(step.reason)))
        if step.note:
            lines.append(Text("  note: ", style="dim").append(literal(step.note, "dim")))
    return lines


def _codeveloper_lines(catalog: Catalog | None, match: Match | None) -> list[RenderableType]:
    if catalog is None or match is None or not match.system:
        return []
    partner_ids = catalog.codevelopers_of(match.system)
    if not partner_ids:
        return []
    line = Text("Co-developers of ")
    line.append(literal(match.system, "bold"))
    line.append(": ")
    for index, partner_id in enumerate(partner_ids):
        if index:
            line.append(", ")
        partner = catalog.partners.get(partner_id)
        if partner is None:
            line.append(literal(partner_id))
            continue
        line.append(literal(partner.name))
        line.append(" (")
        line.append(literal(partner.country))
        line.append(")")
    return [line]


def pairing_detail(
    pairing: Pairing,
    catalog: Catalog | None,
    requirement: Requirement | None = None,
    table: SynonymTable = EMPTY_TABLE,
    missing: Mapping[int, Sequence[str]] | None = None,
) -> Group:
    """Everything behind one pairing: components, matched phrases, consent, sources.

    `missing` maps a capability id to the requirement's words that line lacks.
    """
    missing = missing or {}
    parts: list[RenderableType] = []
    head = Text(f"#{pairing.rank}  score {pairing.score:.1f}  ", style="bold")
    head.append_text(feasibility_text(pairing.feasibility))
    if pairing.blocked_by:
        head.append(" by ")
        head.append(literal(", ".join(pairing.blocked_by)))
    elif pairing.consent_countries:
        head.append(" from ")
        head.append(literal(", ".join(pairing.consent_countries)))
    parts.append(head)
    if requirement is not None:
        parts.append(Text("for ", style="dim").append(literal(requirement.title, "italic")))
    parts.append(Text(""))
    parts.append(literal(pairing_reason(pairing)))
    parts.append(Text(""))
    parts.append(_heading("Score components"))
    parts.append(_components_table(pairing))
    parts.append(Text(""))
    parts.extend(
        _match_lines(
            "Foreign partner",
            pairing.foreign,
            local=False,
            table=table,
            missing=missing.get(pairing.foreign.capability_id, ()) if pairing.foreign else (),
        )
    )
    parts.extend(_codeveloper_lines(catalog, pairing.foreign))
    parts.append(Text(""))
    parts.extend(
        _match_lines(
            "Local co-producer",
            pairing.local,
            local=True,
            table=table,
            missing=missing.get(pairing.local.capability_id, ()) if pairing.local else (),
        )
    )
    parts.append(Text(""))
    parts.extend(_consent_lines(pairing.consent_chain))
    sources = pairing_sources(catalog, pairing)
    if sources:
        parts.append(Text(""))
        parts.append(_heading("Sources"))
        parts.extend(source_lines(sources))
    return Group(*parts)


def link_lines(addresses: Sequence[str], indent: int = 2) -> Table:
    """Web addresses, each on a line of its own and never wrapped (an address cut in two
    cannot be opened or copied from the screen), as terminal hyperlinks.

    The link is a Style built from the address, never markup: `source_runs` only
    yields http(s) addresses of printable ASCII without quotes, brackets or spaces.
    A line wider than the pane ends in an ellipsis; the link and the copy key still
    carry the whole address. (A table column, because Rich's print folds a long
    Text whatever its own no_wrap says.)
    """
    table = Table.grid()
    table.add_column(width=indent, no_wrap=True)
    table.add_column(no_wrap=True, overflow="ellipsis")
    for address in addresses:
        link = Style(link=address, underline=True, color="#4a90d9")
        table.add_row(Text(""), Text(address, style=link))
    return table


def source_lines(sources: Sequence[tuple[str, str]]) -> list[RenderableType]:
    """Each source as "what: its words", then each of its web addresses on its own line."""
    lines: list[RenderableType] = []
    for what, source in sources:
        runs = source_runs(source)
        line = literal(what, "dim")
        line.append(":")
        words = " ".join(" ".join(run.split()) for run, is_address in runs if not is_address)
        if words.strip():
            line.append(" ")
            line.append_text(literal(words.strip()))
        lines.append(line)
        addresses = [run for run, is_address in runs if is_address]
        if addresses:
            lines.append(link_lines(addresses))
    return lines


def detail_addresses(catalog: Catalog | None, pairing: Pairing) -> list[str]:
    """Every web address among a pairing's sources, each once, in order."""
    found: list[str] = []
    for _, source in pairing_sources(catalog, pairing):
        for run, is_address in source_runs(source):
            if is_address and run not in found:
                found.append(run)
    return found


def detail_clipboard_text(catalog: Catalog | None, pairing: Pairing) -> str:
    """What the detail's copy key puts on the clipboard: the reason, then the addresses.

    Made printable: a pasted reason must not carry a catalog's escape sequences.
    """
    lines = [printable(pairing_reason(pairing))]
    lines.extend(detail_addresses(catalog, pairing))
    return "\n".join(lines)
