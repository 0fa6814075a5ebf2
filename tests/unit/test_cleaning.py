"""Every free text goes through one cleaning; text that is empty once cleaned is refused."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain import parsers, vocab
from bot.domain.idcard import parse_id_number
from bot.domain.parsers import (
    MAX_REASON,
    clean_text,
    normalize,
    parse_reason,
    parse_unit_name,
)
from bot.texts import review as rt
from bot.texts import validation as msg

INVISIBLE = "\u200b\u200c\u200d\ufeff"
HOSTILE = "退\x00回\x1b[31m原\x7f因\u202e说明\ud800"


def test_invisible_characters_controls_and_overrides_are_removed() -> None:
    assert normalize(HOSTILE) == "退回[31m原因说明"
    cleaned = normalize("第一行\u202e\n\n\n第二行\x00", keep_newlines=True)
    assert cleaned == "第一行\n\n第二行"
    cleaned.encode("utf-8")  # no lone surrogate survives


@pytest.mark.parametrize("typed", [INVISIBLE, " \x00\x1b\x7f ", "\u202e", INVISIBLE + "\n" + INVISIBLE])
def test_a_reason_of_only_invisible_characters_is_refused(typed: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_reason(typed)
    assert str(refused.value) == rt.REASON_EMPTY


def test_a_reason_is_cleaned_keeps_its_lines_and_is_bounded() -> None:
    assert parse_reason(" 1. 职称不符\u200b\n2. 照\x00片模糊\u202e ") == "1. 职称不符\n2. 照片模糊"
    assert parse_reason("职" * MAX_REASON) == "职" * MAX_REASON
    with pytest.raises(ValueError, match="500"):
        parse_reason("职" * (MAX_REASON + 1))
    with pytest.raises(ValueError, match="2 到 500"):
        parse_reason("职\u200b")
    with pytest.raises(ValueError):
        parse_reason(None)


def test_a_typed_unit_name_of_invisible_characters_is_refused_plainly() -> None:
    with pytest.raises(ValueError) as refused:
        parse_unit_name(INVISIBLE)
    assert str(refused.value) == msg.EMPTY_AFTER_CLEANING
    assert parse_unit_name("重庆\u200b大学\u202e") == "重庆大学"


def test_clean_text_says_why_it_is_empty() -> None:
    with pytest.raises(ValueError, match=msg.EMPTY):
        clean_text("   ")
    with pytest.raises(ValueError, match=msg.EMPTY_AFTER_CLEANING):
        clean_text(INVISIBLE)


def test_choices_and_id_numbers_use_the_same_cleaning() -> None:
    assert vocab.parse_ethnicity("土\u200b家\ufeff族") == "土家族"
    assert vocab.parse_ethnicity("土\ud800家族") == "土家族"
    number = parse_id_number("5001\u202e0319\u200b9001019998", date(2022, 9, 20))
    assert number.number == "500103199001019998"


def test_long_text_fields_refuse_invisible_text() -> None:
    with pytest.raises(ValueError, match=msg.EMPTY_AFTER_CLEANING):
        parsers.long_text_parser(500)(INVISIBLE + "\n" + INVISIBLE)
