import io
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook

from bot.domain.registry import Standing
from exports.names import registry_filename
from exports.registry import (
    EMPTY,
    NOT_RENEWED_LABEL,
    REGISTRY_TITLE,
    RENEWED_LABEL,
    STANDING_LABELS,
    status_label,
    write_registry,
)
from exports.registry_rows import RegistryRow
from tests.exports.support import INJECTIONS, open_sheet, sheet_xml

DAY = date(2026, 12, 1)
HEADERS = [
    "序号", "证书编号", "姓名", "性别", "工作单位", "职务", "职称", "专业组", "所在区县",
    "聘期起", "聘期止", "状态", "联系方式",
]  # fmt: skip
LONG_UNIT = "重庆市安全生产科学研究院职业安全健康与应急管理研究中心安全评价与检测检验所第三研究室"
LONG_NAME = "阿卜杜热合曼·买买提艾力·司马义托合提"


def expert(**overrides) -> RegistryRow:
    values = {
        "certificate_number": "CQGSYF-2022-0001",
        "name": "张三",
        "gender": "男",
        "unit": "重庆建工集团股份有限公司",
        "position": "安全总监",
        "title": "高级工程师（副高级）",
        "group": "建筑",
        "district": "渝中区",
        "term_start": date(2022, 11, 10),
        "term_end": date(2027, 11, 9),
        "status": STANDING_LABELS[Standing.APPOINTED],
        "contact": "13800138000",
    }
    return RegistryRow(**(values | overrides))


def body(ws) -> list[list[object]]:
    return [[c.value for c in r] for r in ws.iter_rows(min_row=4)]


def test_title_date_and_the_thirteen_columns():
    ws = open_sheet(write_registry([expert()], filled_on=DAY))
    assert ws["A1"].value == REGISTRY_TITLE
    assert ws["A2"].value == "制表日期：2026年12月1日"
    assert [c.value for c in ws[3]] == HEADERS
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:M1", "A2:M2"}


def test_every_field_is_in_its_column_and_the_term_is_two_date_cells():
    ws = open_sheet(write_registry([expert()], filled_on=DAY))
    (row,) = body(ws)
    assert row[:9] == [1, "CQGSYF-2022-0001", "张三", "男", "重庆建工集团股份有限公司", "安全总监",
                       "高级工程师（副高级）", "建筑", "渝中区"]  # fmt: skip
    assert [v.date() for v in row[9:11]] == [date(2022, 11, 10), date(2027, 11, 9)]
    assert ws["J4"].number_format == ws["K4"].number_format == "yyyy-mm-dd"
    assert row[11:] == ["在聘", "13800138000"]


def test_numbers_and_phones_are_text_cells_equal_to_the_input():
    ws = open_sheet(
        write_registry([expert(certificate_number="0012", contact="13800138000")], filled_on=DAY)
    )
    for ref in ("B4", "M4"):
        assert ws[ref].data_type == "s" and ws[ref].number_format == "@"
    assert ws["B4"].value == "0012" and ws["M4"].value == "13800138000"


def test_rows_are_numbered_in_the_notices_order_of_groups_then_by_certificate():
    rows = [
        expert(group="综合管理", certificate_number="CQGSYF-2022-0001", name="甲"),
        expert(group="矿山", certificate_number="CQGSYF-2022-0003", name="乙"),
        expert(group="矿山", certificate_number="CQGSYF-2022-0002", name="丙"),
    ]
    ws = open_sheet(write_registry(rows, filled_on=DAY))
    assert [(r[0], r[2]) for r in body(ws)] == [(1, "丙"), (2, "乙"), (3, "甲")]
    by_number = open_sheet(write_registry(rows, filled_on=DAY, sort="number"))
    assert [r[2] for r in body(by_number)] == ["甲", "丙", "乙"]
    with pytest.raises(ValueError):
        write_registry(rows, filled_on=DAY, sort="pinyin")


def test_every_standing_has_a_printed_label():
    assert set(STANDING_LABELS) == set(Standing)
    assert len(set(STANDING_LABELS.values())) == len(Standing)


def test_print_setup_is_a4_landscape_fit_to_width_with_the_header_repeated():
    ws = open_sheet(write_registry([expert()], filled_on=DAY))
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$3"
    assert ws.freeze_panes == "A4"


def test_columns_fit_their_values_and_long_text_wraps_with_its_row_height():
    ws = open_sheet(
        write_registry(
            [expert(), expert(name=LONG_NAME, unit=LONG_UNIT)], filled_on=DAY, sort="input"
        )
    )
    assert ws.column_dimensions["B"].width >= 16 * 1.1  # CQGSYF-2022-0001 on one line
    assert ws.column_dimensions["E"].width > ws.column_dimensions["D"].width
    assert (
        ws["E5"].value == LONG_UNIT
        and ws["E5"].alignment.wrap_text
        and ws["C5"].alignment.wrap_text
    )
    assert ws.row_dimensions[4].height is None
    assert ws.row_dimensions[5].height >= 2 * 15


@pytest.mark.parametrize("value", INJECTIONS)
def test_formula_like_values_are_written_as_quoted_text_never_as_formulas(value):
    row = expert(certificate_number=value, name=value, unit=value, position=value, title=value,
                 district=value, status=value, contact=value)  # fmt: skip
    data = write_registry([row], filled_on=DAY)
    assert "<f>" not in sheet_xml(data) and "<f " not in sheet_xml(data)
    ws = open_sheet(data)
    for column in (2, 3, 5, 6, 7, 9, 12, 13):
        cell = ws.cell(row=4, column=column)
        assert cell.data_type == "s" and cell.value == value and cell.quotePrefix


def test_an_expert_without_a_term_leaves_the_dates_empty():
    ws = open_sheet(
        write_registry([replace(expert(), term_start=None, term_end=None)], filled_on=DAY)
    )
    assert ws["J4"].value is None and ws["K4"].value is None


def test_an_empty_registry_keeps_its_header_and_says_so():
    ws = open_sheet(write_registry([], filled_on=DAY))
    assert [c.value for c in ws[3]] == HEADERS
    assert ws["A4"].value == EMPTY and ws.max_row == 4


def test_the_workbook_is_the_bureaus_and_named_by_day():
    props = load_workbook(io.BytesIO(write_registry([expert()], filled_on=DAY))).properties
    assert props.creator == "重庆市人力资源和社会保障局" and props.title == REGISTRY_TITLE
    assert registry_filename(DAY) == "重庆市工伤预防专家库入库专家名册_20261201.xlsx"


def test_an_expert_serving_out_a_term_after_non_renewal_is_labelled_so():
    assert status_label("appointed", not_renewed=True) == NOT_RENEWED_LABEL == "在聘（不予续聘）"
    assert status_label("appointed") == "在聘"
    assert status_label("ended", not_renewed=True) == "不予续聘", "the term is over"
    ws = open_sheet(write_registry([expert(status=NOT_RENEWED_LABEL)], filled_on=DAY))
    assert ws["L4"].value == "在聘（不予续聘）"
    assert ws.column_dimensions["L"].width >= 8 * 2, "on one line"


def test_an_expert_renewed_before_the_term_ends_is_labelled_so():
    assert status_label("appointed", renewed=True) == RENEWED_LABEL == "在聘（已续聘）"
    assert status_label("dismissed", renewed=True) == "已解聘"
    ws = open_sheet(write_registry([expert(status=RENEWED_LABEL)], filled_on=DAY))
    assert ws["L4"].value == "在聘（已续聘）"
