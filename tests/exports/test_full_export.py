from datetime import UTC, date, datetime

from exports.full import full_export_filename, write_full_export
from exports.rows import ResumeEntry
from tests.exports.support import INJECTIONS, open_sheet, sheet_xml

HEADERS = (
    "申请编号",
    "姓名",
    "身份证号",
    "主要从事专业",
    "提交时间",
    "出生日期",
    "应急专家",
    "照片",
)


def test_every_field_round_trips_with_strings_as_text():
    row = (
        17,
        "张三",
        "500103199001019998",
        ("消防安全", "应急管理"),
        datetime(2022, 9, 20, 2, 30, tzinfo=UTC),
        date(1990, 1, 1),
        True,
        b"\xff\xd8\xff",
    )
    ws = open_sheet(write_full_export(HEADERS, [row]))
    assert [c.value for c in ws[1]] == list(HEADERS)
    values = [c.value for c in ws[2]]
    assert values[:4] == [17, "张三", "500103199001019998", "消防安全；应急管理"]
    assert values[4].isoformat() == "2022-09-20T10:30:00"  # Asia/Shanghai wall time
    assert values[5].isoformat() == "1990-01-01T00:00:00"
    assert values[6:] == ["是", None]
    assert ws["C2"].data_type == "s" and ws["C2"].number_format == "@"
    assert ws["F2"].number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"


def test_long_integers_become_text_so_no_digit_is_lost():
    ws = open_sheet(write_full_export(["身份证号"], [[110105194912310021]]))
    assert (ws["A2"].value, ws["A2"].data_type) == ("110105194912310021", "s")


def test_resume_entries_are_written_as_lines():
    entries = (ResumeEntry(start="2010-07", end="至今", unit="某公司", position="工程师"),)
    ws = open_sheet(write_full_export(["工作简历"], [[entries]]))
    assert ws["A2"].value == "2010-07—至今　某公司　工程师"


def test_formula_like_strings_are_never_formulas():
    data = write_full_export(["姓名"], ([value] for value in INJECTIONS))
    assert "<f>" not in sheet_xml(data)
    ws = open_sheet(data)
    assert [c.value for (c,) in ws.iter_rows(min_row=2)] == list(INJECTIONS)
    assert all(c.data_type == "s" and c.quotePrefix for (c,) in ws.iter_rows(min_row=2))


def test_rows_may_be_a_generator_and_the_export_may_be_empty():
    ws = open_sheet(write_full_export(HEADERS, iter(())))
    assert ws.max_row == 1


def test_full_export_file_name_carries_only_the_day():
    assert full_export_filename(date(2022, 10, 15)) == "工伤预防专家申报信息_全量导出_20221015.xlsx"


def test_columns_fit_their_values_and_long_text_wraps_instead_of_running_over():
    ws = open_sheet(write_full_export(["身份证号", "工作简历"], [["500103199001019998", "甲" * 80]]))
    assert ws.column_dimensions["A"].width >= 18 * 1.1
    assert ws.column_dimensions["B"].width <= 40
    assert ws["B2"].alignment.wrap_text
    assert ws.row_dimensions[2].height >= 4 * 14.25
