"""Reading an Annex 2 sheet (推荐汇总表) that arrived on paper or by e-mail: rows as typed.

The official layout: a title, 填报区县 and 填报时间 lines, then the header
序号 姓名 性别 身份证号码 工作单位 职务 职称 拟报专业组 联系方式 and one row per
person. The header is found by its names, so an extra line above it or a
column moved does not matter; checking the values is the caller's business.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import load_workbook

HEADERS = {
    "姓名": "name",
    "性别": "gender",
    "身份证号码": "id_number",
    "工作单位": "unit",
    "职务": "position",
    "职称": "title",
    "拟报专业组": "group",
    "联系方式": "contact",
}
SCAN_ROWS = 20
"""Rows searched for the header."""

NOT_XLSX = "不是 .xlsx 文件：请用 Excel 打开，另存为“Excel 工作簿（*.xlsx）”后再录入"
OLD_XLS = "是旧版 .xls 文件：请用 Excel 打开，另存为“Excel 工作簿（*.xlsx）”后再录入"
NO_HEADER = "第一个工作表的前 {rows} 行中找不到表头（{headers}），请按附件2 的格式填写"
"""Refusals the bureau's staff read (exports own the words they print)."""
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How a file of Excel 97–2003 (.xls) begins: openpyxl does not read those."""


class Annex2FormatError(ValueError):
    """The file is not an Annex 2 sheet (no header found, or not a spreadsheet)."""


@dataclass(frozen=True)
class SheetRow:
    row_no: int
    """The row's number in the sheet, as the district will see it in Excel."""
    name: str
    gender: str
    id_number: str
    unit: str
    position: str
    title: str
    group: str
    contact: str


def read_annex2(data: bytes) -> list[SheetRow]:
    """Every non-empty row under the header of the first sheet, cells as text."""
    if data.startswith(OLE2):
        raise Annex2FormatError(OLD_XLS)
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises several kinds for a file that is not xlsx
        raise Annex2FormatError(NOT_XLSX) from None
    rows = list(sheet.iter_rows(values_only=True))
    at, columns = _header(rows)
    found = []
    for offset, row in enumerate(rows[at + 1 :], start=at + 2):
        values = {HEADERS[h]: _text(row[i]) if i < len(row) else "" for h, i in columns.items()}
        if any(values.values()):
            found.append(SheetRow(row_no=offset, **values))
    return found


def _header(rows: list[tuple[object, ...]]) -> tuple[int, dict[str, int]]:
    """The header row's index and each header's column."""
    for at, row in enumerate(rows[:SCAN_ROWS]):
        columns = {_text(cell): i for i, cell in enumerate(row) if _text(cell) in HEADERS}
        if len(columns) == len(HEADERS):
            return at, columns
    raise Annex2FormatError(NO_HEADER.format(rows=SCAN_ROWS, headers=" ".join(HEADERS)))


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()
