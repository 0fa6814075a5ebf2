"""Annex 2 (推荐汇总表) from rows to bytes: the table laid out, then written."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from exports.names import annex2_filename
from exports.rows import Annex2Row
from exports.table import build_annex2_table
from exports.xlsx import write_xlsx

__all__ = ["annex2_filename", "write_annex2"]


def write_annex2(
    rows: Iterable[Annex2Row],
    district: str,
    filled_on: date,
    sort: str = "group",
    group: str | None = None,
) -> bytes:
    """The .xlsx a district reports to the bureau (or the bureau's city-wide one);
    `group` when the rows are one professional group's."""
    return write_xlsx(build_annex2_table(rows, district, filled_on, sort, group))
