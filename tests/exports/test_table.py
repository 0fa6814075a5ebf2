from datetime import date

import pytest

from exports.table import (
    ANNEX2_EMPTY_NOTE,
    GROUP_ORDER,
    build_annex2_table,
    format_cn_date,
    format_cn_month,
    wrapped_lines,
)
from tests.exports.support import annex2_row

DAY = date(2022, 10, 15)


def test_annex2_table_has_the_official_title_lines_and_nine_columns():
    table = build_annex2_table([annex2_row()], "渝中区", DAY)
    assert table.title == "重庆市人力资源和社会保障局工伤预防专家聘任推荐汇总表"
    assert table.subtitle == ("填报区县（盖章）：渝中区", "填报时间：2022年10月15日")
    assert table.headers == (
        "序号", "姓名", "性别", "身份证号码", "工作单位", "职务", "职称", "拟报专业组", "联系方式",
    )  # fmt: skip
    assert table.note == ""


def test_rows_are_numbered_from_one_in_sorted_order():
    rows = [annex2_row(name=n) for n in ("丙", "甲", "乙")]
    table = build_annex2_table(rows, "渝中区", DAY)
    assert [r[0] for r in table.rows] == [1, 2, 3]
    assert [r[1] for r in table.rows] == sorted(["丙", "甲", "乙"])


def test_group_sort_follows_the_notice_then_unit_then_name():
    rows = [
        annex2_row(group="综合管理", unit="A", name="甲"),
        annex2_row(group="矿山", unit="B", name="乙"),
        annex2_row(group="矿山", unit="A", name="丁"),
        annex2_row(group="矿山", unit="A", name="丙"),
        annex2_row(group="消防", unit="A", name="戊"),
        annex2_row(group="未知组", unit="A", name="己"),
    ]
    table = build_annex2_table(rows, "渝中区", DAY)
    assert [(r[7], r[4], r[1]) for r in table.rows] == [
        ("矿山", "A", "丁"),
        ("矿山", "A", "丙"),
        ("矿山", "B", "乙"),
        ("消防", "A", "戊"),
        ("综合管理", "A", "甲"),
        ("未知组", "A", "己"),
    ]


def test_every_notice_group_sorts_in_notice_order():
    rows = [annex2_row(group=g) for g in reversed(GROUP_ORDER)]
    assert [r[7] for r in build_annex2_table(rows, "x", DAY).rows] == list(GROUP_ORDER)


def test_unit_and_input_sorts():
    rows = [annex2_row(unit="B", group="矿山"), annex2_row(unit="A", group="消防")]
    assert [r[4] for r in build_annex2_table(rows, "x", DAY, sort="unit").rows] == ["A", "B"]
    assert [r[4] for r in build_annex2_table(rows, "x", DAY, sort="input").rows] == ["B", "A"]


def test_unknown_sort_is_refused():
    with pytest.raises(ValueError, match="unknown sort"):
        build_annex2_table([], "x", DAY, sort="age")


def test_empty_rows_give_a_table_with_a_note():
    table = build_annex2_table([], "万州区", DAY)
    assert table.rows == ()
    assert table.note == ANNEX2_EMPTY_NOTE
    assert len(table.columns) == 9


def test_a_note_on_any_row_adds_a_remarks_column():
    table = build_annex2_table([annex2_row(note="审核中"), annex2_row(name="李四")], "x", DAY)
    assert table.headers[-1] == "备注"
    assert sorted(r[9] for r in table.rows) == ["", "审核中"]


def test_only_the_sequence_number_column_is_numeric():
    table = build_annex2_table([annex2_row()], "x", DAY)
    assert [c.text for c in table.columns] == [False] + [True] * 8


def test_widths_grow_with_long_units_up_to_a_cap():
    short = build_annex2_table([annex2_row(unit="甲")], "x", DAY).columns[4].width
    long = build_annex2_table([annex2_row(unit="甲" * 30)], "x", DAY).columns[4].width
    huge = build_annex2_table([annex2_row(unit="甲" * 300)], "x", DAY).columns[4].width
    assert short < long <= huge == 36


def test_dates_are_written_the_chinese_way():
    assert format_cn_date(date(2022, 9, 3)) == "2022年9月3日"
    assert format_cn_date(date(2026, 12, 1)) == "2026年12月1日"


def test_birth_months_are_written_without_a_leading_zero():
    assert format_cn_month("1970-03") == "1970年3月"
    assert format_cn_month("1990-12") == "1990年12月"
    assert format_cn_month("") == "" and format_cn_month("1970年3月") == "1970年3月"


@pytest.mark.parametrize(
    ("text", "capacity", "lines"),
    [
        ("", 10, 1),
        ("安全总监", 8, 1),  # four CJK characters, two units each
        ("安全总监", 7, 2),
        ("安全与应急管理研究中心主任兼学术委员会副主任", 20, 3),
        ("expert@example.cn", 10, 2),  # a word longer than a line is cut
        ("a b c", 3, 2),
        ("第一行\n第二行", 20, 2),
    ],
)
def test_wrapped_lines_counts_cjk_as_two_units(text, capacity, lines):
    assert wrapped_lines(text, capacity, wide=2.0, narrow=1.0) == lines


def test_columns_are_sized_so_a_common_title_fits_on_one_line():
    table = build_annex2_table([annex2_row(title="正高级工程师（正高级）")], "x", DAY)
    title = table.columns[6]
    assert wrapped_lines("正高级工程师（正高级）", title.width - 1, wide=2.2, narrow=1.1) == 1


def test_a_group_export_states_the_group():
    table = build_annex2_table([annex2_row()], "全市", DAY, group="矿山")
    assert table.subtitle[0] == "填报区县（盖章）：全市　　拟报专业组：矿山"
