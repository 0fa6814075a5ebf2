"""The neutral table: what an export shows, before any file format.

`Table` is plain data (title, lines under it, columns, rows, a note), so
layout decisions such as order, numbering and widths are tested without
opening a workbook. `build_annex2_table` lays out Annex 2 of the notice.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from exports.rows import Annex2Row

GROUP_ORDER = (
    "矿山", "危化", "建筑", "交通", "工贸", "消防",
    "职业卫生", "心理健康", "财务管理", "劳动保障", "综合管理",
)  # fmt: skip
"""The professional groups in the order the notice lists them."""

BUREAU = "重庆市人力资源和社会保障局"
"""Author of the documents."""
ANNEX2_TITLE = "重庆市人力资源和社会保障局工伤预防专家聘任推荐汇总表"
ANNEX2_DISTRICT_LABEL = "填报区县（盖章）："
ANNEX2_DATE_LABEL = "填报时间："
ANNEX2_GROUP_LABEL = "拟报专业组："
ANNEX2_GROUP_SEPARATOR = "　　"
ANNEX2_EMPTY_NOTE = "（本次无推荐人员）"
ANNEX2_NOTE_HEADER = "备注"
ANNEX2_SORTS = ("group", "unit", "name", "input")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


@dataclass(frozen=True, kw_only=True)
class Column:
    header: str
    width: float
    """Excel column width, in characters of the default font."""
    text: bool = True
    """Values are text: written as string cells with number format "@"."""
    wrap: bool = False


@dataclass(frozen=True, kw_only=True)
class Table:
    title: str = ""
    """Merged across all columns above the header; empty for none."""
    subtitle: tuple[str, ...] = ()
    """Lines between the title and the header, each merged across."""
    columns: tuple[Column, ...]
    rows: Iterable[Sequence[object]]
    """Values in column order; a writer consumes this once, so it may stream."""
    note: str = ""
    """A line after the rows, merged across, e.g. that there are no rows."""
    footer: tuple[str, ...] = ()
    """Lines under the grid, merged across and right-aligned without borders:
    the sign-off (the bureau's name, the date); an empty one leaves a gap."""
    sheet_name: str = "Sheet1"
    landscape: bool = True

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(column.header for column in self.columns)


def format_cn_date(day: date) -> str:
    """2022年9月3日: month and day without a leading zero (GB/T 9704: 月、日不编虚位)."""
    return f"{day.year}年{day.month}月{day.day}日"


def format_cn_month(month: str) -> str:
    """"1970-03" as 1970年3月; anything else as given."""
    m = _YEAR_MONTH.fullmatch(month)
    return f"{m[1]}年{int(m[2])}月" if m else month


LATIN_WIDTH = 1.1
CJK_WIDTH = 2 * LATIN_WIDTH
"""Column-width units a character takes. Excel's unit is the default font's
digit (7 px); an 11 pt CJK character is about 15 px. Both err wide, so a
cell sized or wrapped by them never runs over."""
CELL_PADDING = 1.0
"""Width units lost to a cell's inner margins."""

_TOKEN = re.compile(r"[A-Za-z0-9@._+\-]+|.", re.S)


def char_width(ch: str, wide: float, narrow: float) -> float:
    """`wide` for CJK and other full-width characters, `narrow` for the rest."""
    return wide if unicodedata.east_asian_width(ch) in "WF" else narrow


def wrapped_lines(text: str, capacity: float, wide: float = 2.0, narrow: float = 1.0) -> int:
    """Lines `text` takes when wrapped at `capacity` (in the units of `wide`
    and `narrow`): greedy, CJK breaking between any two characters, Latin
    words and numbers kept whole unless longer than a line. Errs long."""
    if capacity <= 0:
        return 1
    total = 0
    for paragraph in text.split("\n"):
        if len(paragraph) * wide <= capacity:
            total += 1
            continue
        count, used = 1, 0.0
        for token in _TOKEN.findall(paragraph):
            advance = sum(char_width(ch, wide, narrow) for ch in token)
            if used + advance > capacity and used > 0:
                count, used = count + 1, 0.0
                if token.isspace():
                    continue
            while advance > capacity:
                count, advance = count + 1, advance - capacity
            used += advance
        total += count
    return total


def build_annex2_table(
    rows: Iterable[Annex2Row],
    district: str,
    filled_on: date,
    sort: str = "group",
    group: str | None = None,
) -> Table:
    """Annex 2 for one district (or the whole city): numbered, sorted rows.

    `sort` is "group" (notice order of groups, then unit, then name), "unit"
    (unit, group, name), "name" or "input" (as given). Names compare by code
    point, which for Chinese is radical/stroke order, not pinyin; it is only
    meant to be stable. A 备注 column is added only when some row carries a
    note, so the final report keeps the official nine columns. `group` names
    the one professional group the rows were selected by, printed in the
    填报区县 line.
    """
    ordered = _sorted(rows, sort)
    with_note = any(row.note for row in ordered)
    values = tuple(
        (seq, r.name, r.gender, r.id_number, r.unit, r.position, r.title, r.group, r.contact)
        + ((r.note,) if with_note else ())
        for seq, r in enumerate(ordered, 1)
    )
    columns = [
        Column(header="序号", width=6, text=False),
        Column(header="姓名", width=fit_width(values, 1, "姓名", 8, 16)),
        Column(header="性别", width=6),
        Column(header="身份证号码", width=21),
        Column(header="工作单位", width=fit_width(values, 4, "工作单位", 16, 36), wrap=True),
        Column(header="职务", width=fit_width(values, 5, "职务", 8, 26), wrap=True),
        Column(header="职称", width=fit_width(values, 6, "职称", 8, 26), wrap=True),
        Column(header="拟报专业组", width=12),
        Column(header="联系方式", width=14),
    ]
    if with_note:
        columns.append(Column(header=ANNEX2_NOTE_HEADER, width=10, wrap=True))
    return Table(
        title=ANNEX2_TITLE,
        subtitle=(
            ANNEX2_DISTRICT_LABEL + district
            + (ANNEX2_GROUP_SEPARATOR + ANNEX2_GROUP_LABEL + group if group else ""),
            ANNEX2_DATE_LABEL + format_cn_date(filled_on),
        ),
        columns=tuple(columns),
        rows=values,
        note="" if values else ANNEX2_EMPTY_NOTE,
        sheet_name="推荐汇总表",
    )


def _sorted(rows: Iterable[Annex2Row], sort: str) -> list[Annex2Row]:
    rank = {group: i for i, group in enumerate(GROUP_ORDER)}

    def group_key(row: Annex2Row) -> tuple[int, str]:
        return rank.get(row.group, len(GROUP_ORDER)), row.group

    keys = {
        "group": lambda r: (group_key(r), r.unit, r.name, r.id_number),
        "unit": lambda r: (r.unit, group_key(r), r.name, r.id_number),
        "name": lambda r: (r.name, r.unit, r.id_number),
    }
    if sort == "input":
        return list(rows)
    if sort not in keys:
        raise ValueError(f"unknown sort {sort!r}; expected one of {ANNEX2_SORTS}")
    return sorted(rows, key=keys[sort])


def fit_width(rows: Sequence[Sequence[object]], index: int, header: str, lo: float, hi: float) -> float:
    """A width that shows the longest value of a column on one line, between lo and hi."""
    widest = max((text_width(str(row[index])) for row in rows), default=0)
    return float(min(hi, math.ceil(max(lo, text_width(header), widest) + CELL_PADDING)))


def text_width(text: str) -> float:
    """Column-width units `text` takes on one line, at most: a character of
    three UTF-8 bytes (CJK, full-width punctuation) counts `CJK_WIDTH`, ASCII
    `LATIN_WIDTH`. Counting bytes keeps this fast on 100,000 rows."""
    return (len(text.encode("utf-8")) + len(text)) / 2 * LATIN_WIDTH
