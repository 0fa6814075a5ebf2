"""The registry of experts (入库专家名册) as .xlsx: everyone the bureau appointed,
with their certificate, group, district, term and standing.

Laid out as a neutral `Table` and written by `exports.xlsx.write_xlsx`, the
writer of Annex 2: write-only and streaming, every text through
`sanitize.text_cell` (text cells, formula-like values neutralised), terms
as date cells, A4 landscape fitted to the width, the header on every page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.domain.registry import Standing
from exports.names import registry_filename
from exports.registry_rows import RegistryRow
from exports.table import GROUP_ORDER, Column, Table, fit_width, format_cn_date
from exports.xlsx import write_xlsx

__all__ = [
    "NOT_RENEWED_LABEL", "REGISTRY_TITLE", "STANDING_LABELS", "registry_filename", "status_label",
    "write_registry",
]  # fmt: skip

REGISTRY_TITLE = "重庆市工伤预防专家库入库专家名册"
DATE_LABEL = "制表日期："
EMPTY = "（暂无入库专家）"
SHEET_NAME = "入库专家名册"
REGISTRY_SORTS = ("group", "number", "district", "input")
STANDING_LABELS = {
    Standing.APPOINTED: "在聘",
    Standing.DUE: "待续聘",
    Standing.ENDED: "不予续聘",
    Standing.WITHDRAWN: "已退出",
    Standing.DISMISSED: "已解聘",
}
"""What the 状态 column prints for each standing of the domain."""
NOT_RENEWED_LABEL = "在聘（不予续聘）"
"""The 状态 of an expert in service whose 不予续聘 is decided: they serve to 聘期止 (the card,
/me and /experts say the same)."""


RENEWED_LABEL = "在聘（已续聘）"
"""The 状态 of an expert renewed before the term in force ends: 聘期 and 证书编号 are that
term's (the certificate on paper); the next term's are on the expert's card."""


def status_label(standing: str, *, not_renewed: bool = False, renewed: bool = False) -> str:
    """The 状态 column for a standing (a `Standing` value), with 不予续聘 decided or not, or
    续聘 decided before the term in force ends."""
    if standing == Standing.APPOINTED:
        if not_renewed:
            return NOT_RENEWED_LABEL
        if renewed:
            return RENEWED_LABEL
    return STANDING_LABELS.get(standing, standing)


def build_registry_table(
    rows: Iterable[RegistryRow], filled_on: date, sort: str = "group"
) -> Table:
    """The registry, numbered. `sort` is "group" (the notice's order of groups,
    then certificate number), "number", "district" (district, group, number)
    or "input" (as given)."""
    ordered = _sorted(rows, sort)
    values = tuple(
        (seq, r.certificate_number, r.name, r.gender, r.unit, r.position, r.title, r.group,
         r.district, r.term_start, r.term_end, r.status, r.contact)
        for seq, r in enumerate(ordered, 1)
    )  # fmt: skip
    columns = (
        Column(header="序号", width=6, text=False),
        Column(header="证书编号", width=fit_width(values, 1, "证书编号", 10, 22)),
        Column(header="姓名", width=fit_width(values, 2, "姓名", 8, 14), wrap=True),
        Column(header="性别", width=6),
        Column(header="工作单位", width=fit_width(values, 4, "工作单位", 16, 30), wrap=True),
        Column(header="职务", width=fit_width(values, 5, "职务", 8, 20), wrap=True),
        Column(header="职称", width=fit_width(values, 6, "职称", 8, 26), wrap=True),
        Column(header="专业组", width=10),
        Column(header="所在区县", width=fit_width(values, 8, "所在区县", 10, 20), wrap=True),
        Column(header="聘期起", width=12, text=False),
        Column(header="聘期止", width=12, text=False),
        Column(header="状态", width=fit_width(values, 11, "状态", 9, 18)),
        Column(header="联系方式", width=14),
    )
    return Table(
        title=REGISTRY_TITLE,
        subtitle=(DATE_LABEL + format_cn_date(filled_on),),
        columns=columns,
        rows=values,
        note="" if values else EMPTY,
        sheet_name=SHEET_NAME,
    )


def write_registry(rows: Iterable[RegistryRow], *, filled_on: date, sort: str = "group") -> bytes:
    """The registry as the bureau files and prints it."""
    return write_xlsx(build_registry_table(rows, filled_on, sort))


def _sorted(rows: Iterable[RegistryRow], sort: str) -> list[RegistryRow]:
    rank = {group: i for i, group in enumerate(GROUP_ORDER)}

    def group_key(r: RegistryRow) -> tuple[int, str]:
        return rank.get(r.group, len(GROUP_ORDER)), r.group

    keys = {
        "group": lambda r: (group_key(r), r.certificate_number),
        "number": lambda r: r.certificate_number,
        "district": lambda r: (r.district, group_key(r), r.certificate_number),
    }
    if sort == "input":
        return list(rows)
    if sort not in keys:
        raise ValueError(f"unknown sort {sort!r}; expected one of {REGISTRY_SORTS}")
    return sorted(rows, key=keys[sort])
