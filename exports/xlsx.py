"""Renders a `Table` as .xlsx bytes with openpyxl in write-only mode.

Write-only mode streams rows to a temporary file, so memory stays flat with
the row count; every style, width and print setting is therefore fixed
before the first row is appended. User text goes in through
`sanitize.text_cell` only.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from exports.names import annex2_filename
from exports.sanitize import clean, text_cell
from exports.table import BUREAU, CELL_PADDING, CJK_WIDTH, LATIN_WIDTH, Table, wrapped_lines

__all__ = ["annex2_filename", "write_xlsx"]

FONT = "宋体"
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
A4 = 9
"""OOXML paper size code of A4."""
MAX_EXACT_INT = 10**15
"""Excel keeps 15 significant digits; larger integers are written as text."""
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.8, "header": 0.3, "footer": 0.3}
"""Inches. The page-number footer sits in the 0.5\" between the footer and
bottom margins; with the 0.1\" there was before, LibreOffice cut it in half."""
LINE_HEIGHT = 15.0
"""Points per line of 11 pt text: 宋体 needs 14.25, the Noto CJK fallback about 15."""
ROW_PADDING = 3.0
SUBTITLE_LINE = 17.0
"""Points per line of the 12 pt lines under the title."""
SUBTITLE_CJK = CJK_WIDTH * 12 / 11
"""Column-width units of a 12 pt CJK character."""

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LEFT = Alignment(horizontal="left", vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT_WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")

TITLE, SUBTITLE, HEADER, NOTE, FOOTER = "导出标题", "导出说明行", "导出表头", "导出备注行", "导出落款"
TEXT, TEXT_WRAP, NUMBER, DATE, DATETIME = (
    "导出文本",
    "导出文本换行",
    "导出数值",
    "导出日期",
    "导出时间",
)


def _named_styles() -> tuple[NamedStyle, ...]:
    """Fresh for every workbook: registering a named style binds it to one."""
    return (
        NamedStyle(name=TITLE, font=Font(name=FONT, size=18, bold=True), alignment=_CENTER),
        NamedStyle(name=SUBTITLE, font=Font(name=FONT, size=12), alignment=_LEFT_WRAP),
        NamedStyle(name=HEADER, font=Font(name=FONT, size=11, bold=True), border=_BOX, alignment=_CENTER),
        NamedStyle(name=NOTE, font=Font(name=FONT, size=11), border=_BOX, alignment=_CENTER),
        NamedStyle(name=FOOTER, font=Font(name=FONT, size=12), alignment=_RIGHT),
        NamedStyle(name=TEXT, font=Font(name=FONT, size=11), border=_BOX, alignment=_LEFT, number_format="@"),
        NamedStyle(name=TEXT_WRAP, font=Font(name=FONT, size=11), border=_BOX, alignment=_LEFT_WRAP, number_format="@"),
        NamedStyle(name=NUMBER, font=Font(name=FONT, size=11), border=_BOX, alignment=_CENTER),
        NamedStyle(name=DATE, font=Font(name=FONT, size=11), border=_BOX, alignment=_CENTER, number_format="yyyy-mm-dd"),
        NamedStyle(name=DATETIME, font=Font(name=FONT, size=11), border=_BOX, alignment=_CENTER, number_format="yyyy-mm-dd hh:mm"),
    )  # fmt: skip


def register_styles(wb: Workbook) -> dict[str, StyleArray]:
    """Adds the export's named styles to `wb`; returns each one's style array.

    Cells are built from these arrays rather than by assigning `cell.style`
    by name, which looks the name up again for every cell and made the
    writer about a third slower.
    """
    arrays = {}
    for style in _named_styles():
        wb.add_named_style(style)
        arrays[style.name] = style.as_tuple()
    return arrays


def write_xlsx(table: Table) -> bytes:
    """The table as an A4 sheet: title and lines merged across (a long line
    wraps, its row as high as its lines), a bordered grid, the header
    repeated on every printed page and frozen below it, the sign-off under
    the grid."""
    wb = Workbook(write_only=True)
    wb.properties.creator = wb.properties.lastModifiedBy = BUREAU
    wb.properties.title = table.title or table.sheet_name
    styles = register_styles(wb)
    ws = wb.create_sheet(title=table.sheet_name[:31])
    width = len(table.columns)
    last = get_column_letter(width)

    for index, column in enumerate(table.columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    header_row = 1 + bool(table.title) + len(table.subtitle)
    _page_setup(ws, table, header_row)

    row_index = 0

    def merged_line(text: str, style: str, height: float) -> None:
        nonlocal row_index
        row_index += 1
        ws.row_dimensions[row_index].height = height
        ws.merged_cells.add(f"A{row_index}:{last}{row_index}")
        cells = [text_cell(ws, text, styles[style])]
        if style == NOTE:
            cells += [Cell(ws, row=1, column=1, style_array=styles[NOTE]) for _ in range(width - 1)]
        ws.append(cells)

    if table.title:
        merged_line(table.title, TITLE, 36)
    room = sum(column.width for column in table.columns) - CELL_PADDING
    for line in table.subtitle:
        lines = wrapped_lines(clean(line), room, wide=SUBTITLE_CJK, narrow=LATIN_WIDTH)
        merged_line(line, SUBTITLE, max(22.0, lines * SUBTITLE_LINE + 5))
    row_index += 1
    ws.row_dimensions[row_index].height = 24
    ws.append([text_cell(ws, header, styles[HEADER]) for header in table.headers])

    column_styles = [(TEXT_WRAP if c.wrap else TEXT) if c.text else NUMBER for c in table.columns]
    wrapping = [
        (i, c.width - CELL_PADDING) for i, c in enumerate(table.columns) if c.wrap and c.text
    ]
    for values in table.rows:
        row_index += 1
        lines = 1
        for i, room in wrapping:
            lines = max(lines, _lines(values[i], room))
        if lines > 1:
            ws.row_dimensions[row_index].height = lines * LINE_HEIGHT + ROW_PADDING
        ws.append(
            [
                _cell(ws, value, name, styles)
                for value, name in zip(values, column_styles, strict=True)
            ]
        )
        if lines > 1:
            # Written with the row just appended; kept, 100,000 of them would cost 70 MB.
            del ws.row_dimensions[row_index]
    if table.note:
        merged_line(table.note, NOTE, 30)
    for line in table.footer:
        merged_line(line, FOOTER, 22)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _lines(value: object, room: float) -> int:
    """Printed lines of a wrapped cell; one for anything that is not text."""
    if value.__class__ is not str or len(value) * CJK_WIDTH <= room:
        return 1
    return _text_lines(value, room)


@lru_cache(maxsize=4096)
def _text_lines(text: str, room: float) -> int:
    # Units, positions and titles repeat from row to row.
    return wrapped_lines(text, room, wide=CJK_WIDTH, narrow=LATIN_WIDTH)


def _page_setup(ws, table: Table, header_row: int) -> None:
    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = "landscape" if table.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(**MARGINS)
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = f"A{header_row + 1}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _cell(ws, value: object, style: str, styles: dict[str, StyleArray]) -> Cell:
    """A styled cell for one value; anything but a number or a date is text."""
    if value.__class__ is str:
        return text_cell(ws, value, styles[TEXT if style == NUMBER else style])
    if value is None:
        return Cell(ws, row=1, column=1, style_array=styles[style])
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | date):
        return text_cell(ws, str(value), styles[TEXT if style == NUMBER else style])
    if isinstance(value, int) and abs(value) >= MAX_EXACT_INT:
        return text_cell(ws, str(value), styles[TEXT])
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TZ).replace(tzinfo=None)
        style = DATETIME
    elif isinstance(value, date):
        style = DATE
    else:
        style = NUMBER
    return Cell(ws, row=1, column=1, value=value, style_array=styles[style])
