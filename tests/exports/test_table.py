from datetime import date

import pytest

from exports.table import ANNEX2_EMPTY_NOTE, GROUP_ORDER, build_annex2_table, format_cn_date
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
    assert format_cn_date(date(2022, 9, 3)) == "2022年09月03日"
