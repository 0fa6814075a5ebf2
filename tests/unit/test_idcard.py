"""ID number validation against the test numbers of id_card_rules.md §1.6, plus properties."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.idcard import (
    PROVINCES,
    IdNumber,
    check_character,
    mask_id_number,
    mask_phone,
    parse_id_number,
)

TODAY = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("number", "birth_date", "gender"),
    [
        ("500103199001019998", date(1990, 1, 1), "男"),
        ("500112198512319986", date(1985, 12, 31), "女"),
        ("500243197006159970", date(1970, 6, 15), "男"),
        ("50010619800102998X", date(1980, 1, 2), "女"),
        ("500105199202299992", date(1992, 2, 29), "男"),
        ("810000198808089990", date(1988, 8, 8), "男"),
        ("820000197911209986", date(1979, 11, 20), "女"),
        ("830000197505209974", date(1975, 5, 20), "男"),
        ("11010519491231002X", date(1949, 12, 31), "女"),
    ],
)
def test_reference_numbers_are_accepted_with_birth_date_and_gender(number, birth_date, gender):
    assert parse_id_number(number, TODAY) == IdNumber(number, birth_date, gender)


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("500103199001019997", "校验码不正确"),
        ("500103199002309997", "出生日期 1990-02-30 不存在"),
        ("500103199002299995", "出生日期 1990-02-29 不存在"),
        ("50010320990101999X", "2099-01-01 晚于今天"),
        ("999999199001019993", "“99”不是有效的省级行政区代码"),
        ("000000199001019995", "“00”不是有效的省级行政区代码"),
        ("50010319900101999", "应为18位，您输入了17位"),
        ("5001031990010199981", "应为18位，您输入了19位"),
        ("500103900101999", "15位的旧身份证号"),
        ("440524188001010014", "早于1900年"),
        ("950410198506209980", "外国人永久居留身份证"),
        ("5001031990X1019998", "只有最后一位可以是字母X"),
        ("50010319900101999a", "请勿输入“a”"),
        ("", "请输入18位身份证号"),
    ],
)
def test_reference_bad_numbers_are_rejected_with_a_specific_message(raw, message_part):
    with pytest.raises(ValueError, match=message_part):
        parse_id_number(raw, TODAY)


def test_full_width_digits_spaces_hyphens_and_lowercase_x_are_normalised():
    parsed = parse_id_number(" ５００１０６-１９８００１０２ ９９８ｘ\u200b", TODAY)
    assert parsed.number == "50010619800102998X"


def test_birth_date_today_is_accepted_and_tomorrow_is_not():
    first17 = "500103" + TODAY.strftime("%Y%m%d") + "999"
    assert parse_id_number(first17 + check_character(first17), TODAY).birth_date == TODAY
    tomorrow = TODAY + timedelta(days=1)
    first17 = "500103" + tomorrow.strftime("%Y%m%d") + "999"
    with pytest.raises(ValueError, match="晚于今天"):
        parse_id_number(first17 + check_character(first17), TODAY)


def test_check_character_matches_the_reference_examples():
    assert check_character("50010319900101999") == "8"
    assert check_character("50010619800102998") == "X"
    assert check_character("50024319700615997") == "0"


def test_mask_id_number_keeps_first_three_and_last_four():
    assert mask_id_number("500103199001019998") == "500***********9998"
    assert len(mask_id_number("50010619800102998X")) == 18


def test_mask_phone_hides_the_middle_of_mobiles_and_fixed_lines():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("023-68885678") == "023-****5678"
    assert mask_phone("023-68885678-123") == "023-****5678"


@st.composite
def valid_numbers(draw):
    province = draw(st.sampled_from(sorted(PROVINCES)))
    county = draw(st.text("0123456789", min_size=4, max_size=4))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.integers(0, 999))
    first17 = f"{province}{county}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17), born, "男" if sequence % 2 else "女"


@settings(database=None)
@given(valid_numbers())
def test_generated_valid_numbers_round_trip_birth_date_and_gender(case):
    number, born, gender = case
    parsed = parse_id_number(number, TODAY)
    assert (parsed.number, parsed.birth_date, parsed.gender) == (number, born, gender)


@settings(database=None)
@given(valid_numbers(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_rejected(case, position, replacement):
    number = case[0]
    if number[position] == replacement:
        return
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValueError):
        parse_id_number(changed, TODAY)


@settings(database=None)
@given(st.text())
def test_arbitrary_text_raises_nothing_but_value_error(text):
    try:
        parse_id_number(text, TODAY)
    except ValueError as e:
        assert str(e)


def test_contains_id_number_finds_numbers_in_any_shape() -> None:
    from bot.domain.idcard import contains_id_number

    assert contains_id_number("500106 19800102 998x")
    assert contains_id_number("５００１０６１９８００１０２９９８ｘ")
    assert contains_id_number("我的号码是500103199001019997")
    assert contains_id_number("500103900101999")
    assert not contains_id_number("确认无误")
    assert not contains_id_number("13800000000")
