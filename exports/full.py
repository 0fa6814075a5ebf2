"""The bureau's every-field export: one sheet, one row per application.

Callers pass column headers and rows of plain values (str, int, date,
datetime, bool, None, or a tuple for list fields such as 主要从事专业), in
header order; typically one row per application straight from a query,
which this module consumes lazily so the row count does not matter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import chain, islice

from exports.names import full_export_filename
from exports.rows import ResumeEntry
from exports.table import CELL_PADDING, Column, Table, text_width
from exports.xlsx import write_xlsx

__all__ = ["full_export_filename", "write_full_export"]

SHEET_NAME = "申报信息"
SAMPLE_ROWS = 200
"""Rows read ahead to size the columns; the rest stream through unread."""
MIN_WIDTH, MAX_WIDTH = 6.0, 40.0
_SHOWN_AS = {datetime: "yyyy-mm-dd hh:mm", date: "yyyy-mm-dd"}


def write_full_export(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """An .xlsx with a frozen header row; strings are text cells, sanitised.

    Each row must have exactly len(headers) values. Columns are as wide as
    the header and the values of the first `SAMPLE_ROWS` rows need, up to
    `MAX_WIDTH`; longer text wraps and its row grows, so nothing prints over
    the next cell.
    """
    plain = _plain_rows(rows)
    head = list(islice(plain, SAMPLE_ROWS))
    columns = tuple(
        Column(header=h, width=_width(h, (row[i] for row in head)), wrap=True)
        for i, h in enumerate(headers)
    )
    table = Table(columns=columns, rows=chain(head, plain), sheet_name=SHEET_NAME)
    return write_xlsx(table)


def _width(header: str, values: Iterable[object]) -> float:
    widest = max((text_width(_shown(v)) for v in values if v is not None), default=0.0)
    return min(MAX_WIDTH, math.ceil(max(MIN_WIDTH, text_width(header), widest) + CELL_PADDING))


def _shown(value: object) -> str:
    for kind, pattern in _SHOWN_AS.items():
        if isinstance(value, kind):
            return pattern
    return str(value)


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
