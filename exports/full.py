"""The bureau's every-field export: one sheet, one row per application.

Callers pass column headers and rows of plain values (str, int, date,
datetime, bool, None, or a tuple for list fields such as 主要从事专业), in
header order; typically one row per application straight from a query,
which this module consumes lazily so the row count does not matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from exports.names import full_export_filename
from exports.rows import ResumeEntry
from exports.table import Column, Table
from exports.xlsx import write_xlsx

__all__ = ["full_export_filename", "write_full_export"]

SHEET_NAME = "申报信息"


def write_full_export(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """An .xlsx with a frozen header row; strings are text cells, sanitised.

    Each row must have exactly len(headers) values.
    """
    columns = tuple(Column(header=h, width=min(40.0, max(10.0, 2.2 * len(h) + 2))) for h in headers)
    table = Table(columns=columns, rows=_plain_rows(rows), sheet_name=SHEET_NAME)
    return write_xlsx(table)


def _plain_rows(rows: Iterable[Sequence[object]]) -> Iterator[tuple[object, ...]]:
    for row in rows:
        yield tuple(_plain(value) for value in row)


def _plain(value: object) -> object:
    """Values the sheet can hold: lists joined, booleans as 是/否, bytes left out."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, tuple | list):
        return "；".join(
            item.as_line() if isinstance(item, ResumeEntry) else str(item) for item in value
        )
    if isinstance(value, bytes | bytearray):
        return None
    return value
