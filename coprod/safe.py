"""Catalog text is untrusted: the one policy for showing or exporting it, per surface.

Every writer goes through this module; none has its own rules.

- terminal (TUI, tables, eval, progress, messages): `printable`, invisible
  characters shown as `\\xNN` / `\\uNNNN`; Rich markup is never interpreted
  because callers wrap text in `rich.text.Text`;
- CSV: `csv_text`, invisible characters shown, and a cell a spreadsheet would
  evaluate gets a leading apostrophe;
- JSON: `json_text`, text kept exact, every invisible character escaped `\\uNNNN`;
- Markdown: `markdown_text`, invisible characters shown, everything that
  renders (emphasis, strike-through, links, autolinks, HTML, code, cells) escaped;
- iCalendar: `printable`, then RFC 5545 escaping in coprod/ics.py;
- HTML: `html_text`, invisible characters shown, `& < > " '` as entities.

"Invisible" is every character of Unicode categories Cc (C0 controls, DEL, C1
controls: ESC and CSI start terminal sequences, OSC 52 sets the clipboard), Cf
(format characters: the bidi embeddings, overrides and isolates U+202A-202E
and U+2066-2069 that reverse text, zero-width spaces and joiners, the BOM,
the invisible tag characters U+E0000-E007F, ...) and Zl/Zp (U+2028, U+2029,
line breaks to some viewers and not to others), and Cs (a lone surrogate, which a
JSON shortlist can hold and no UTF-8 writer can encode). TAB and LF are handled per
surface (folded to spaces on one line). `tests/test_safe.py` checks the class
against `unicodedata` for every code point.
"""

from __future__ import annotations

import re

# Cc, Cf, Zl and Zp as of Unicode 15 (TAB and LF left out: callers decide).
_INVISIBLE_RANGES = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 (not TAB, LF), DEL, C1
    "\xad"  # soft hyphen
    "\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e"
    "\u200b-\u200f"  # zero-width space, non-joiner, joiner; LRM, RLM
    "\u2028\u2029"  # line and paragraph separators
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064\u2066-\u206f"  # word joiner, invisible operators, bidi isolates, ...
    "\ud800-\udfff"  # lone surrogates (from a JSON "\ud800"): no encoder can write them
    "\ufeff"  # zero-width no-break space (BOM)
    "\ufff9-\ufffb"  # interlinear annotation
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"  # tag characters
)
INVISIBLE = re.compile(f"[{_INVISIBLE_RANGES}]")
_LINE_BREAKS = re.compile(r"[\t\n]")
# The bytes of printable ASCII, TAB and LF: none is invisible, and none is part of a
# longer UTF-8 sequence, so deleting them from a text's UTF-8 leaves the UTF-8 of its
# other characters, usually a handful (curly quotes, dashes).
_PLAIN_ASCII = bytes([0x09, 0x0A, *range(0x20, 0x7F)])


def holds_invisible(text: str) -> bool:
    """True when `text` holds an invisible character (INVISIBLE finds one).

    The regular expression tests every character against its classes; this gives it
    only the characters outside printable ASCII, which in catalog text are few.
    """
    others = text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_ASCII)
    return bool(others) and INVISIBLE.search(others.decode("utf-8", "surrogatepass")) is not None


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str, *, one_line: bool = True) -> str:
    """`text` with every invisible character made visible (see the module doc);
    TAB and LF folded to spaces when one_line."""
    shown = INVISIBLE.sub(lambda m: _escape(m.group()), text)
    if one_line:
        shown = _LINE_BREAKS.sub(" ", shown)
    return shown


# Blank for the "empty required text" check and for "is there anything to show":
# Unicode whitespace (U+3000 ideographic space, NBSP, ...) and invisible characters.
_BLANK = re.compile(f"[\\s{_INVISIBLE_RANGES}]*")


def is_blank(text: str) -> bool:
    """True when `text` shows nothing: only Unicode whitespace and format characters."""
    return _BLANK.fullmatch(text) is not None


# ------------------------------------------------------------------------ CSV

# A spreadsheet evaluates a cell starting with = + - @ (TAB and CR too), also after
# leading spaces, and LibreOffice/Excel read the full-width forms ＝ ＋ － ＠ alike.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_LEADING_SPACE = " \u00a0\u3000"


# The first character of every cell is_formula_like can be true of.
_FORMULA_FIRST = frozenset(_FORMULA_START) | frozenset(_LEADING_SPACE)


def is_formula_like(cell: str) -> bool:
    """Would a spreadsheet read this cell as a formula?"""
    if cell[:1] not in _FORMULA_FIRST:
        return False
    return cell.lstrip(_LEADING_SPACE).startswith(_FORMULA_START) or cell.startswith(_FORMULA_START)


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell that a spreadsheet will show as text, never evaluate (OWASP's advice)."""
    if is_formula_like(cell):
        return "'" + cell
    return cell


def undo_spreadsheet_safe(cell: str) -> str:
    """The cell as it was before `spreadsheet_safe` (for files coprod reads back)."""
    if cell.startswith("'") and is_formula_like(cell[1:]):
        return cell[1:]
    return cell


def csv_text(text: str, *, one_line: bool = False) -> str:
    """Catalog text as a CSV cell: invisible characters shown, formulas neutralised."""
    return spreadsheet_safe(printable(text, one_line=one_line))


# ----------------------------------------------------------------------- JSON


def json_text(serialised: str) -> str:
    """JSON text (from json.dumps(..., ensure_ascii=False)) with every invisible
    character escaped: json escapes C0 itself, but DEL, C1 (U+009B is a CSI on some
    terminals), bidi controls and U+2028 would pass raw. The value is unchanged."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code < 0x10000:
            return f"\\u{code:04x}"
        code -= 0x10000  # a UTF-16 surrogate pair, as JSON spells astral characters
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return INVISIBLE.sub(escape, serialised)


# ------------------------------------------------------------------- Markdown

# Every character that can start inline markup in CommonMark/GFM: code spans (`),
# emphasis and strong (*, and _ at a word's edge: inside a word it never is),
# strike-through (~), links and images ([ ]: without them ( ) and ! are text),
# HTML and autolinks (< >), table cells (|) and the backslash itself; & only where
# it would start an entity (&#x202e; is a bidi override); # + - only at the start,
# where they would make a heading or a list.
_MARKDOWN_SPECIAL = re.compile(
    r"([\\`*~\[\]<>|])|(?<![^\W_])(_)|(_)(?![^\W_])|(&)(?=#?\w+;)|^([#+\-])"
)
# GFM turns bare URLs (http://, https://, www.) and e-mail addresses into links
# without any markup: break the pattern with an entity the reader sees as the char.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=www)(\.)|(@)")


def markdown_text(text: str) -> str:
    """Catalog text as inert Markdown (a table cell or a line): nothing renders."""
    shown = printable(text, one_line=True)
    shown = _MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(), shown)
    return _AUTOLINK.sub(lambda m: f"&#{ord(m.group()):d};", shown)


# ----------------------------------------------------------------------- HTML


def html_text(text: str) -> str:
    """Catalog text for HTML: invisible characters shown, markup characters as entities."""
    import html

    return html.escape(printable(text, one_line=False), quote=True)
