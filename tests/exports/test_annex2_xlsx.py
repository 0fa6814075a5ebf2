import io
from datetime import date

import pytest
from openpyxl import load_workbook

from exports.annex2 import write_annex2
from exports.table import build_annex2_table
from exports.xlsx import annex2_filename, write_xlsx
from tests.exports.support import INJECTIONS, annex2_row, open_sheet, sheet_xml

DAY = date(2022, 10, 15)
HEADERS = [
    "序号",
    "姓名",
    "性别",
    "身份证号码",
    "工作单位",
    "职务",
    "职称",
    "拟报专业组",
    "联系方式",
]
IDS = ["500103199001019998", "50010619800102998X", "110105194912310021"]


def rows_of(ws, first: int = 5):
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True)]


def test_title_and_the_two_header_lines_are_merged_across_the_nine_columns():
    ws = open_sheet(write_annex2([annex2_row()], "渝中区", DAY))
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:I1", "A2:I2", "A3:I3"}
    assert ws["A1"].value == "重庆市人力资源和社会保障局工伤预防专家聘任推荐汇总表"
    assert ws["A2"].value == "填报区县（盖章）：渝中区"
    assert ws["A3"].value == "填报时间：2022年10月15日"
    assert [c.value for c in ws[4]] == HEADERS


def test_rows_are_numbered_and_sorted_by_group():
    data = write_annex2(
        [annex2_row(group="综合管理", name="乙"), annex2_row(group="矿山", name="甲")],
        "渝中区",
        DAY,
    )
    assert [(r[0], r[1], r[7]) for r in rows_of(open_sheet(data))] == [
        (1, "甲", "矿山"),
        (2, "乙", "综合管理"),
    ]


def test_id_numbers_and_phones_are_text_cells_equal_to_the_input():
    rows = [annex2_row(id_number=i, name=str(n), contact="13800138000") for n, i in enumerate(IDS)]
    ws = open_sheet(write_annex2(rows, "渝中区", DAY, sort="input"))
    for n, id_number in enumerate(IDS):
        id_cell, phone = ws.cell(row=5 + n, column=4), ws.cell(row=5 + n, column=9)
        assert id_cell.data_type == "s" and id_cell.value == id_number
        assert phone.data_type == "s" and phone.value == "13800138000"
        assert id_cell.number_format == phone.number_format == "@"
    assert ws["A5"].value == 1 and ws["A5"].data_type == "n"


def test_print_setup_is_a4_landscape_fit_to_width_with_the_header_repeated():
    ws = open_sheet(write_annex2([annex2_row()], "渝中区", DAY))
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$4:$4"
    assert ws.freeze_panes == "A5"


def test_cells_have_thin_borders_a_chinese_font_and_fitting_widths():
    ws = open_sheet(write_annex2([annex2_row()], "渝中区", DAY))
    for cell in (ws["A4"], ws["B5"], ws["I5"]):
        assert cell.border.left.style == cell.border.bottom.style == "thin"
        assert cell.font.name == "宋体"
    assert ws.column_dimensions["D"].width >= 18
    assert ws.column_dimensions["E"].width > ws.column_dimensions["C"].width


def test_an_empty_table_still_has_its_header_and_a_note():
    ws = open_sheet(write_annex2([], "万州区", DAY))
    assert [c.value for c in ws[4]] == HEADERS
    assert ws["A5"].value == "（本次无推荐人员）"
    assert "A5:I5" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.max_row == 5


def test_rows_in_review_carry_their_marking_in_a_remarks_column():
    ws = open_sheet(write_annex2([annex2_row(note="审核中")], "渝中区", DAY))
    assert ws["J4"].value == "备注" and ws["J5"].value == "审核中"
    assert "A1:J1" in {str(r) for r in ws.merged_cells.ranges}


@pytest.mark.parametrize("value", INJECTIONS)
def test_formula_like_values_are_written_as_quoted_text_never_as_formulas(value):
    row = annex2_row(name=value, unit=value, position=value, title=value, contact=value)
    data = write_annex2([row], value, DAY)
    assert "<f>" not in sheet_xml(data) and "<f " not in sheet_xml(data)
    ws = open_sheet(data)
    for column in (2, 5, 6, 7, 9):
        cell = ws.cell(row=5, column=column)
        assert cell.data_type == "s"
        assert cell.value == value
        assert cell.quotePrefix


def test_error_literals_stay_text():
    data = write_annex2([annex2_row(name="#N/A", unit="#REF!")], "渝中区", DAY)
    ws = open_sheet(data)
    assert (ws["B5"].value, ws["B5"].data_type) == ("#N/A", "s")
    assert (ws["E5"].value, ws["E5"].data_type) == ("#REF!", "s")


def test_control_characters_do_not_break_the_export():
    ws = open_sheet(write_annex2([annex2_row(name="张\x00三\x1b")], "渝中区", DAY))
    assert ws["B5"].value == "张\ufffd三\ufffd"


def test_no_cell_in_a_normal_export_has_a_quote_prefix():
    ws = open_sheet(write_annex2([annex2_row()], "渝中区", DAY))
    assert not any(c.quotePrefix for row in ws.iter_rows() for c in row)


def test_write_xlsx_renders_any_neutral_table():
    table = build_annex2_table([annex2_row()], "全市", DAY)
    assert open_sheet(write_xlsx(table))["A2"].value == "填报区县（盖章）：全市"


def test_annex2_file_name_names_district_and_day():
    assert annex2_filename("渝中区", DAY) == "附件2_工伤预防专家聘任推荐汇总表_渝中区_20221015.xlsx"
    assert annex2_filename(None, DAY) == "附件2_工伤预防专家聘任推荐汇总表_全市_20221015.xlsx"
    assert "/" not in annex2_filename("../etc", DAY)


LONG_POSITION = "安全与应急管理研究中心主任兼学术委员会副主任兼总工程师办公室主任"


def test_a_row_whose_text_wraps_is_given_the_height_of_its_lines():
    rows = [annex2_row(), annex2_row(name="李四", position=LONG_POSITION)]
    ws = open_sheet(write_annex2(rows, "渝中区", DAY, sort="input"))
    assert ws.row_dimensions[5].height is None  # one line: the application's own height
    wrapped = ws.row_dimensions[6].height
    assert wrapped is not None and wrapped >= 2 * 14.25
    assert ws["F6"].alignment.wrap_text


def test_the_page_number_footer_has_room_below_the_grid():
    ws = open_sheet(write_annex2([annex2_row()], "渝中区", DAY))
    margins = ws.page_margins
    assert margins.bottom - margins.footer >= 0.4  # inches: a 10 pt line and some air
    assert margins.top - margins.header >= 0.25
    assert "&P" in ws.oddFooter.center.text


def test_a_group_export_names_its_group_in_the_district_line():
    ws = open_sheet(write_annex2([annex2_row()], "渝中区", DAY, group="建筑"))
    assert ws["A2"].value == "填报区县（盖章）：渝中区　　拟报专业组：建筑"
    plain = open_sheet(write_annex2([annex2_row()], "渝中区", DAY))
    assert plain["A2"].value == "填报区县（盖章）：渝中区"


def test_the_workbook_is_the_bureaus_with_the_forms_title():
    props = load_workbook(io.BytesIO(write_annex2([annex2_row()], "渝中区", DAY))).properties
    assert props.creator == "重庆市人力资源和社会保障局"
    assert props.title == "重庆市人力资源和社会保障局工伤预防专家聘任推荐汇总表"
