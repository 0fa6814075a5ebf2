"""Parsers of typed answers: clean values for good input, a Chinese message for bad input."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import parsers
from bot.domain.parsers import (
    long_text_parser,
    normalize,
    parse_deadline,
    parse_email,
    parse_landline,
    parse_mobile,
    parse_name,
    parse_phone,
    parse_resume,
    parse_specialties,
    parse_year_month,
    parse_yes_no,
    text_parser,
)


def test_normalize_applies_nfkc_and_drops_control_and_format_characters():
    assert normalize("  ＡＢＣ１２３\u200b\u202e  x\x00 ") == "ABC123 x"


def test_normalize_turns_line_breaks_into_spaces_unless_asked_to_keep_them():
    assert normalize("第一行\r\n\t第二行") == "第一行 第二行"
    assert normalize("第一行  \r\n\n\n\n 第二行", keep_newlines=True) == "第一行\n\n第二行"


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("张三", "张三"),
        (" 张　三 ", "张三"),
        ("阿卜杜•热合曼", "阿卜杜·热合曼"),
        ("阿卜杜・热合曼", "阿卜杜·热合曼"),
        ("买买提.艾力", "买买提·艾力"),
        ("John  Smith", "John Smith"),
        ("欧阳娜娜", "欧阳娜娜"),
    ],
)
def test_parse_name_accepts_chinese_minority_and_latin_names(raw, name):
    assert parse_name(raw) == name


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("", "请输入姓名"),
        ("张", "至少2个字"),
        ("张3", "不能包含数字"),
        ("张三！", "不能包含“!”"),
        ("·张三", "间隔号"),
        ("张··三", "间隔号"),
        ("张" * 31, "最多30个字符，您输入了31个"),
    ],
)
def test_parse_name_rejects_bad_names(raw, message_part):
    with pytest.raises(ValueError, match=message_part):
        parse_name(raw)


def test_text_parser_bounds_length_and_keeps_one_line():
    parse = text_parser(parsers.MAX_POSITION)
    assert parse("  主任\n工程师 ") == "主任 工程师"
    assert parse("职" * 30) == "职" * 30
    with pytest.raises(ValueError, match="最多可填30个字，您输入了31个"):
        parse("职" * 31)
    with pytest.raises(ValueError, match="不能为空"):
        parse(" \u200b ")
    with pytest.raises(ValueError, match="至少需要2个字"):
        text_parser(10, min_len=2)("a")


def test_long_text_parser_keeps_line_breaks():
    assert long_text_parser(100)("第一段\n第二段") == "第一段\n第二段"
    with pytest.raises(ValueError, match="最多可填5个字"):
        long_text_parser(5)("一二三\n四五六")


def test_parse_specialties_splits_on_lines_and_enumeration_commas():
    assert parse_specialties("安全评价、职业卫生\n矿山通风") == ["安全评价", "职业卫生", "矿山通风"]
    with pytest.raises(ValueError, match="最多印4条，您这次输入了5条"):
        parse_specialties("a、b、c、d、e")
    with pytest.raises(ValueError, match="最多可填20个字"):
        parse_specialties("专" * 21)


@pytest.mark.parametrize(
    "typed",
    [
        "矿山安全、职业卫生，应急管理",
        "矿山安全；职业卫生;应急管理",
        "矿山安全\n职业卫生\n\n应急管理",
        "1.矿山安全\n2.职业卫生\n3.应急管理",
        "1、矿山安全 2、职业卫生 3、应急管理",
        "（1）矿山安全（2）职业卫生（3）应急管理。",
        "矿山安全、职业卫生、矿山安全、应急管理",
    ],
)
def test_parse_specialties_reads_several_entries_however_they_are_separated(typed):
    assert parse_specialties(typed) == ["矿山安全", "职业卫生", "应急管理"]


def test_parse_specialties_keeps_digits_that_are_part_of_a_name():
    assert parse_specialties("10kV电气安全、5G通信") == ["10kV电气安全", "5G通信"]


def test_parse_specialties_names_the_entry_that_is_too_long():
    with pytest.raises(ValueError, match="“矿山通风与防尘.*”有21个字，每条最多20个字"):
        parse_specialties("职业卫生、矿山通风与防尘" + "专" * 14)
    with pytest.raises(ValueError, match="不能为空"):
        parse_specialties("、；，")


@pytest.mark.parametrize(
    ("raw", "mobile"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613800000000", "13800000000"),
        ("8613800000000", "13800000000"),
        ("008613800000000", "13800000000"),
        ("１３８１２３４５６７８", "13812345678"),
        ("(138)12345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("14712345678", "14712345678"),
    ],
)
def test_parse_mobile_normalises_to_eleven_digits(raw, mobile):
    assert parse_mobile(raw) == mobile


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("", "请输入11位手机号"),
        ("1381234567", "应为11位，您输入了10位"),
        ("138123456789", "应为11位，您输入了12位"),
        ("12812345678", "以13至19开头"),
        ("23812345678", "以13至19开头"),
        ("14012345678", "物联网"),
        ("14412345678", "物联网"),
        ("138abc45678", "请勿输入“a”"),
        ("+1 212 555 0100", "中国大陆手机号"),
    ],
)
def test_parse_mobile_rejects_bad_numbers(raw, message_part):
    with pytest.raises(ValueError, match=message_part):
        parse_mobile(raw)


@pytest.mark.parametrize(
    ("raw", "landline"),
    [
        ("023-68888888", "023-68888888"),
        ("02368888888", "023-68888888"),
        ("(023) 6888 8888", "023-68888888"),
        ("023-6888888", "023-6888888"),
        ("68888888", "023-68888888"),
        ("023-68888888-123", "023-68888888-123"),
        ("023-68888888转123", "023-68888888-123"),
        ("+86 23 68888888", "023-68888888"),
        ("010-12345678", "010-12345678"),
        ("057112345678", "0571-12345678"),
        ("0571-1234567", "0571-1234567"),
        ("０２３－６８８８８８８８", "023-68888888"),
    ],
)
def test_parse_landline_normalises_to_area_code_and_number(raw, landline):
    assert parse_landline(raw) == landline


@pytest.mark.parametrize(
    "raw", ["", "023-123", "023-123456789", "023-68888888-1234567", "电话", "0-68888888"]
)
def test_parse_landline_rejects_bad_numbers(raw):
    with pytest.raises(ValueError, match="固定电话"):
        parse_landline(raw)


def test_parse_phone_accepts_mobiles_and_fixed_lines():
    assert parse_phone("138 1234 5678") == "13812345678"
    assert parse_phone("023-68888888") == "023-68888888"
    with pytest.raises(ValueError, match="物联网"):
        parse_phone("14012345678")
    with pytest.raises(ValueError, match="手机号或带区号的固定电话"):
        parse_phone("abc")


@pytest.mark.parametrize(
    ("raw", "email"),
    [
        ("123456789@qq.com", "123456789@qq.com"),
        (" Zhang.San@CQU.EDU.CN ", "Zhang.San@cqu.edu.cn"),
        ("name＠163。com", "name@163.com"),
        ("用户@例子.中国", "用户@例子.中国"),
    ],
)
def test_parse_email_lowercases_the_domain(raw, email):
    assert parse_email(raw) == email


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("", "请输入电子邮箱"),
        ("name.qq.com", "一个“@”"),
        ("a@b@qq.com", "一个“@”"),
        ("name@qq", "格式不正确"),
        ("na me@qq.com", "格式不正确"),
        ("name@qq..com", "格式不正确"),
        ("a" * 250 + "@qq.com", "最多254个字符"),
    ],
)
def test_parse_email_rejects_bad_addresses(raw, message_part):
    with pytest.raises(ValueError, match=message_part):
        parse_email(raw)


@pytest.mark.parametrize(
    ("raw", "month"),
    [
        ("2010.7", "2010-07"),
        ("2010.07", "2010-07"),
        ("2010-07", "2010-07"),
        ("2010/7", "2010-07"),
        ("2010年7月", "2010-07"),
        ("2010 年 07 月", "2010-07"),
        ("201007", "2010-07"),
        ("２０１０．０７", "2010-07"),
    ],
)
def test_parse_year_month_accepts_common_spellings(raw, month):
    assert parse_year_month(raw) == month


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("2010", "无法识别日期"),
        ("七月", "无法识别日期"),
        ("2010.13", "月份应在1到12之间"),
        ("201000", "月份应在1到12之间"),
        ("1850.01", "年份应在1900到2100之间"),
    ],
)
def test_parse_year_month_rejects_bad_months(raw, message_part):
    with pytest.raises(ValueError, match=message_part):
        parse_year_month(raw)


def test_parse_resume_reads_one_entry_per_line_in_typed_order():
    text = "2010.07-2015.06 重庆大学 讲师\n\n2015-07 至今 重庆市某安全评价公司 总工程师\n"
    assert parse_resume(text) == [
        {"start": "2010-07", "end": "2015-06", "unit": "重庆大学", "position": "讲师"},
        {"start": "2015-07", "end": "至今", "unit": "重庆市某安全评价公司", "position": "总工程师"},
    ]


@pytest.mark.parametrize(
    ("line", "entry"),
    [
        (
            "2010年7月至2015年6月 重庆市 应急管理局 科长",
            ("2010-07", "2015-06", "重庆市 应急管理局", "科长"),
        ),
        ("201007-201506 某设计院", ("2010-07", "2015-06", "某设计院", "")),
        ("2010.07—2015.06，某公司，工程师", ("2010-07", "2015-06", "某公司", "工程师")),
        ("2010.07～现在 某公司 工程师", ("2010-07", "至今", "某公司", "工程师")),
        ("1. 2010.07-2015.06 某公司 工程师", ("2010-07", "2015-06", "某公司", "工程师")),
        ("2010-07-2010-07 某公司 工程师", ("2010-07", "2010-07", "某公司", "工程师")),
        (
            "2015.07-至今 重庆大学资源与安全学院 教授、副院长",
            ("2015-07", "至今", "重庆大学资源与安全学院", "教授、副院长"),
        ),
        (
            "2015.07-至今 重庆大学 资源与安全学院 教授、副院长",
            ("2015-07", "至今", "重庆大学 资源与安全学院", "教授、副院长"),
        ),
        (
            "2015.07-至今，某研究院，副院长、总工程师",
            ("2015-07", "至今", "某研究院", "副院长、总工程师"),
        ),
        ("2015.07-至今 某公司、工程师", ("2015-07", "至今", "某公司", "工程师")),
        ("2015.07-至今 某公司、安全总监、工程师", ("2015-07", "至今", "某公司", "安全总监、工程师")),
        ("2015.07-至今、某公司 工程师", ("2015-07", "至今", "某公司", "工程师")),
        ("2015.07-至今 某公司 、工程师、", ("2015-07", "至今", "某公司", "工程师")),
    ],
)
def test_parse_resume_accepts_common_line_shapes(line, entry):
    (parsed,) = parse_resume(line)
    assert (parsed["start"], parsed["end"], parsed["unit"], parsed["position"]) == entry


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("", "请填写工作简历"),
        (
            "2010.07-2015.06 重庆大学 讲师\n重庆大学 副教授",
            "第2行“重庆大学 副教授”没有可识别的起止时间",
        ),
        ("2015.07-2010.06 某公司 工程师", "第1行：开始时间 2015-07 晚于结束时间 2010-06"),
        ("2010.13-2015.06 某公司 工程师", "第1行：日期“2010.13”中的月份"),
        ("2010.07-2015.06", "第1行缺少工作单位"),
        ("2010.07-2015.06 " + "单" * 61 + " 职务", "第1行的工作单位最多60个字"),
        ("2010.07-2015.06 某公司 " + "职" * 31, "第1行的职务最多30个字"),
        ("\n".join(["2010.07-2015.06 某公司 工程师"] * 16), "最多15条，您填写了16条"),
    ],
)
def test_parse_resume_names_the_bad_line(text, message_part):
    with pytest.raises(ValueError, match=message_part):
        parse_resume(text)


def test_parse_resume_accepts_fifteen_entries():
    assert len(parse_resume("\n".join(["2010.07-2015.06 某公司 工程师"] * 15))) == 15


def test_parse_deadline_is_aware_in_chongqing_time():
    deadline = parse_deadline("2022-09-30 18:00")
    assert deadline == datetime(2022, 9, 30, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert deadline.utcoffset().total_seconds() == 8 * 3600
    for bad in ("2022-09-30", "2022/09/30 18:00", "2022-02-30 18:00", "明天"):
        with pytest.raises(ValueError, match="应为“2026-09-30 18:00”"):
            parse_deadline(bad)


@pytest.mark.parametrize(
    ("raw", "answer"),
    [
        ("是", True),
        ("有", True),
        ("YES", True),
        (" yes ", True),
        ("否", False),
        ("无", False),
        ("no", False),
    ],
)
def test_parse_yes_no(raw, answer):
    assert parse_yes_no(raw) is answer


def test_parse_yes_no_rejects_anything_else():
    with pytest.raises(ValueError, match="请回答“是”或“否”"):
        parse_yes_no("也许")


PARSERS = [
    parse_name,
    parse_mobile,
    parse_landline,
    parse_phone,
    parse_email,
    parse_year_month,
    parse_resume,
    parse_deadline,
    parse_yes_no,
    parse_specialties,
    text_parser(parsers.MAX_ADDRESS),
    long_text_parser(parsers.MAX_RELAXATION_REASON),
]


@settings(database=None, max_examples=50)
@given(st.sampled_from(PARSERS), st.text())
def test_parsers_raise_nothing_but_value_error_with_a_message(parse, text):
    try:
        parse(text)
    except ValueError as e:
        assert str(e)


# Chinese punctuation in free text -------------------------------------------------------


def test_free_text_keeps_chinese_punctuation_and_turns_full_width_digits_ascii() -> None:
    assert parsers.text_parser(30)("安全处处长（兼）") == "安全处处长（兼）"
    assert parsers.clean_text("５号楼，２单元：左转！") == "5号楼，2单元：左转！"
    assert parsers.parse_reason("请补充社会兼职信息；核对职务（应为全称）……") == (
        "请补充社会兼职信息；核对职务（应为全称）……"
    )


def test_lists_split_on_chinese_separators_and_keep_them_inside_items() -> None:
    assert parsers.parse_specialties("矿山安全，危化品；建筑、消防") == [
        "矿山安全", "危化品", "建筑", "消防",
    ]  # fmt: skip
    [entry] = parsers.parse_resume("（1）2010.07－2015.06，重庆大学（虎溪校区），讲师")
    assert entry == {
        "start": "2010-07", "end": "2015-06", "unit": "重庆大学（虎溪校区）", "position": "讲师",
    }  # fmt: skip


def test_structured_answers_still_read_full_width_marks() -> None:
    assert parsers.normalize("（０２３）６１２３４５６７") == "(023)61234567"
    assert parsers.same_text("重庆大学（虎溪校区）", "重庆大学(虎溪校区)")


@pytest.mark.parametrize("typed", ["🙂🙂🙂", "……！！", "？？"])
def test_a_reason_of_emoji_or_punctuation_only_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="理由需要用文字写明"):
        parsers.parse_reason(typed)


def test_a_reason_too_long_says_how_long_it_was() -> None:
    with pytest.raises(ValueError, match="您输入了 501 个"):
        parsers.parse_reason("理" * 501)


@pytest.mark.parametrize(
    "typed",
    [
        "2005.07-2012.06 重庆大学 讲师 2012.07-至今 重庆大学 教授",
        "2005.07-2012.06 重庆大学 讲师；2012.07-至今 重庆大学 教授。",
        "1. 2005.07-2012.06 重庆大学 讲师 2. 2012.07-至今 重庆大学 教授",
        "（1）2005.07-2012.06，重庆大学，讲师（2）2012.07-至今，重庆大学，教授",
        "2005年7月至2012年6月 重庆大学 讲师、2012年7月至今 重庆大学 教授",
    ],
)
def test_resume_entries_run_together_on_one_line_are_taken_apart(typed):
    assert parse_resume(typed) == [
        {"start": "2005-07", "end": "2012-06", "unit": "重庆大学", "position": "讲师"},
        {"start": "2012-07", "end": "至今", "unit": "重庆大学", "position": "教授"},
    ]


def test_a_date_range_inside_a_position_stays_there():
    [entry] = parse_resume("2005.07-2012.06 重庆大学 讲师（2008.01-2009.12借调）")
    assert entry["position"] == "讲师（2008.01-2009.12借调）"


def test_entries_on_one_line_count_towards_the_fifteen():
    line = " ".join(f"{2000 + i}.01-{2000 + i}.12 重庆大学 讲师" for i in range(16))
    with pytest.raises(ValueError, match="最多15条，您填写了16条"):
        parse_resume(line)


def test_a_day_without_the_year_is_the_nearest_such_day_ahead_or_back() -> None:
    from bot.domain.parsers import parse_day_near

    today = date(2027, 1, 5)
    assert parse_day_near("12月20日", today) == date(2027, 12, 20)  # /draw: ahead
    assert parse_day_near("12月28日", today, past=True) == date(2026, 12, 28)  # a meeting: back
    assert parse_day_near("1-5", today, past=True) == parse_day_near("1月5日", today) == today
    assert parse_day_near("2月29日", today, past=True) == date(2024, 2, 29)
    assert parse_day_near("2月29日", today) == date(2028, 2, 29)
    assert parse_day_near("2026-10-28", today, past=True) == date(2026, 10, 28)
    for wrong in ("2月30日", "13月5日", "10月", "明天"):
        with pytest.raises(ValueError, match="格式不正确"):
            parse_day_near(wrong, today, past=True)


def test_a_day_that_has_happened_is_read_as_people_say_it() -> None:
    """A meeting's or an objection's day: 昨天, last Friday, the 28th."""
    from bot.domain.parsers import parse_day_near

    today = date(2027, 1, 5)  # a Tuesday
    read = {
        "今天": date(2027, 1, 5), "昨天": date(2027, 1, 4), "前天": date(2027, 1, 3),
        "周五": date(2027, 1, 1), "星期二": date(2027, 1, 5), "上周五": date(2027, 1, 1),
        "上个星期一": date(2026, 12, 28), "本周一": date(2027, 1, 4), "28号": date(2026, 12, 28),
        "5日": date(2027, 1, 5), "31号": date(2026, 12, 31),
    }  # fmt: skip
    assert {text: parse_day_near(text, today, past=True) for text in read} == read


def test_a_day_that_may_be_past_or_to_come_is_the_nearest_such_day() -> None:
    """A publicity window's or a term's first day, shown in full before it is confirmed:
    明天, 下周一 and 昨天 name one day; 12月1日 or 5号 without the year is the nearest."""
    from bot.domain.parsers import parse_day_said

    today = date(2026, 12, 3)  # a Thursday
    said = {
        "今天": date(2026, 12, 3), "明天": date(2026, 12, 4), "昨天": date(2026, 12, 2),
        "下周一": date(2026, 12, 7), "周五": date(2026, 12, 4), "本周一": date(2026, 11, 30),
        "2026-11-01": date(2026, 11, 1), "2027年1月5日": date(2027, 1, 5),
        "12月1日": date(2026, 12, 1), "1月5日": date(2027, 1, 5), "11月1日": date(2026, 11, 1),
        "6月1日": date(2027, 6, 1), "5号": date(2026, 12, 5), "30号": date(2026, 11, 30),
    }  # fmt: skip
    assert {text: parse_day_said(text, today) for text in said} == said
    for wrong in ("2月30日", "32号", "下个月"):
        with pytest.raises(ValueError, match="格式不正确"):
            parse_day_said(wrong, today)
