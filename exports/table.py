"""The neutral table: what an export shows, before any file format.

`Table` is plain data (title, lines under it, columns, rows, a note), so
layout decisions such as order, numbering and widths are tested without
opening a workbook. `build_annex2_table` lays out Annex 2 of the notice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from exports.rows import Annex2Row

GROUP_ORDER = (
    "矿山", "危化", "建筑", "交通", "工贸", "消防",
    "职业卫生", "心理健康", "财务管理", "劳动保障", "综合管理",
)  # fmt: skip
"""The professional groups in the order the notice lists them."""

ANNEX2_TITLE = "重庆市人力资源和社会保障局工伤预防专家聘任推荐汇总表"
ANNEX2_DISTRICT_LABEL = "填报区县（盖章）："
ANNEX2_DATE_LABEL = "填报时间："
ANNEX2_EMPTY_NOTE = "（本次无推荐人员）"
ANNEX2_NOTE_HEADER = "备注"
ANNEX2_SORTS = ("group", "unit", "name", "input")


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
    sheet_name: str = "Sheet1"
    landscape: bool = True

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(column.header for column in self.columns)


def format_cn_date(day: date) -> str:
    """2022年10月15日, as the form writes dates."""
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def build_annex2_table(
    rows: Iterable[Annex2Row], district: str, filled_on: date, sort: str = "group"
) -> Table:
    """Annex 2 for one district (or the whole city): numbered, sorted rows.

    `sort` is "group" (notice order of groups, then unit, then name), "unit"
    (unit, group, name), "name" or "input" (as given). Names compare by code
    point, which for Chinese is radical/stroke order, not pinyin; it is only
    meant to be stable. A 备注 column is added only when some row carries a
    note, so the final report keeps the official nine columns.
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
        Column(header="姓名", width=_fit(values, 1, "姓名", 8, 16)),
        Column(header="性别", width=6),
        Column(header="身份证号码", width=21),
        Column(header="工作单位", width=_fit(values, 4, "工作单位", 16, 36), wrap=True),
        Column(header="职务", width=_fit(values, 5, "职务", 8, 20), wrap=True),
        Column(header="职称", width=_fit(values, 6, "职称", 8, 24), wrap=True),
        Column(header="拟报专业组", width=12),
        Column(header="联系方式", width=14),
    ]
    if with_note:
        columns.append(Column(header=ANNEX2_NOTE_HEADER, width=10, wrap=True))
    return Table(
        title=ANNEX2_TITLE,
        subtitle=(
            ANNEX2_DISTRICT_LABEL + district,
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


def _fit(rows: Sequence[Sequence[object]], index: int, header: str, lo: float, hi: float) -> float:
    """A width that shows the longest value of a column, between lo and hi."""
    widest = max((_display_width(str(row[index])) for row in rows), default=0)
    return float(min(hi, max(lo, _display_width(header), widest) + 2))


def _display_width(text: str) -> int:
    # CJK characters take 3 UTF-8 bytes and two columns, ASCII one and one.
    return (len(text.encode("utf-8")) + len(text)) // 2
