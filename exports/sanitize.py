"""The one place that decides how user-supplied text may enter a spreadsheet.

A cell starting with = + - @ or a control character is a formula vector in
Excel and LibreOffice (security_checklist §5.1). Every export writes user
text through `text_cell` (xlsx) or `neutralize` (plain-text sinks such as
CSV), and both rest on `is_formula_like`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from openpyxl.cell import Cell

if TYPE_CHECKING:
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_TRIGGERS = frozenset("=+-@＝＋－＠")
"""Leading characters that start a formula; the full-width forms are included
because an IME can turn them into ASCII when a cell is edited."""

EXCEL_CELL_LIMIT = 32_767
"""Characters Excel accepts in one cell; longer text makes it "repair" the file."""

_CONTROL = frozenset(map(chr, [*range(0x20), *range(0x7F, 0xA0)]))
_LEADING_DANGER = FORMULA_TRIGGERS | _CONTROL
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(value: str) -> str:
    """Replaces characters XML 1.0 cannot carry, so a stray control byte
    cannot make the whole export fail; U+FFFD keeps the damage visible."""
    return _XML_ILLEGAL.sub("\ufffd", value)


def is_formula_like(value: str) -> bool:
    """True when a spreadsheet could read `value` as a formula: it starts with
    a trigger or a control character, also after leading whitespace."""
    if not value:
        return False
    first = value[0]
    if first in _LEADING_DANGER:
        return True
    if not first.isspace():
        return False
    stripped = value.lstrip()
    return bool(stripped) and stripped[0] in _LEADING_DANGER


def neutralize(value: str | None) -> str | None:
    """The text form for sinks without cell types (CSV, plain text): a leading
    apostrophe on formula-like values, as OWASP recommends. None stays None."""
    if value is None:
        return None
    text = clean(value)
    return "'" + text if is_formula_like(text) else text


def text_cell(ws: WriteOnlyWorksheet, value: str, style: StyleArray | None = None) -> Cell:
    """A cell for a write-only sheet that holds `value` as a string whatever it
    looks like; `style` is a style array from `xlsx.register_styles` (copied).

    openpyxl turns "=..." into a formula and "#N/A" into an error cell, so the
    type is forced to "s" after binding; formula-like text also gets the
    quote prefix, so that editing the cell in Excel keeps it text.
    """
    text = clean(value)[:EXCEL_CELL_LIMIT]
    # ws.append() gives the cell its real row and column.
    cell = Cell(ws, row=1, column=1, value=text, style_array=style)
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True
    return cell
