"""Catalog text is untrusted: helpers that make it safe to show or export.

- Terminal: control characters (ESC, BEL, C1 controls, ...) are shown as
  visible `\\xNN` escapes, so a partner name can never move the cursor or
  recolour the screen. Rich markup is never interpreted because callers wrap
  text in `rich.text.Text`, never in markup strings.
- Spreadsheets: a CSV cell starting with = + - @ (or TAB / CR) is read as a
  formula by Excel and LibreOffice; prefixing it with an apostrophe keeps it
  text (OWASP's advice for CSV injection).
"""

from __future__ import annotations

import re

# C0 controls except TAB/LF (handled per caller), DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\n]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str, *, one_line: bool = True) -> str:
    """`text` with every control character made visible; newlines folded to spaces when one_line."""
    shown = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if one_line:
        shown = _LINE_BREAKS.sub(" ", shown)
    return shown


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell that a spreadsheet will show as text, never evaluate."""
    if cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell
