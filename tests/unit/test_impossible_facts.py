"""Facts that cannot be true are refused where they are typed: future work, child experts."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain import keys
from bot.domain.eligibility import MIN_AGE, check_adult
from bot.domain.form import BY_KEY, ParseContext
from bot.domain.idcard import check_character
from bot.texts import validation as msg

TODAY = date(2022, 9, 20)
CTX = ParseContext(today=TODAY, deadline=date(2022, 9, 30))


def id_number(birth: str) -> str:
    first17 = f"500103{birth}123"
    return first17 + check_character(first17)


def test_a_resume_entry_that_starts_after_this_month_is_refused() -> None:
    resume = BY_KEY[keys.RESUME]
    with pytest.raises(ValueError) as refused:
        resume.parse_text("2010.07-2015.06 重庆大学 讲师\n2099.01-2100.01 未来大学 教授", CTX)
    assert str(refused.value) == msg.RESUME_FUTURE.format(start="2099-01", month="2022-09")
    with pytest.raises(ValueError, match="2022-10"):
        resume.parse_text("2022.10-至今 重庆大学 教授", CTX)


def test_a_resume_entry_that_started_this_month_is_kept() -> None:
    entries = BY_KEY[keys.RESUME].parse_text("2022.09-至今 重庆大学 教授", CTX)
    assert entries == [{"start": "2022-09", "end": "至今", "unit": "重庆大学", "position": "教授"}]


def test_the_id_number_of_a_child_is_refused_saying_why() -> None:
    with pytest.raises(ValueError) as refused:
        BY_KEY[keys.ID_NUMBER].parse_text(id_number("20100101"), CTX)
    text = str(refused.value)
    assert "2010-01-01" in text and "2022-09-30" in text and f"未满{MIN_AGE}周岁" in text


def test_age_is_counted_at_the_deadline_when_it_is_known() -> None:
    turns_18_before_deadline = id_number("20040925")
    parsed = BY_KEY[keys.ID_NUMBER].parse_text(turns_18_before_deadline, CTX)
    assert parsed.birth_date == date(2004, 9, 25)
    with pytest.raises(ValueError, match="未满18周岁"):
        BY_KEY[keys.ID_NUMBER].parse_text(turns_18_before_deadline, ParseContext(today=TODAY))


def test_an_adult_on_the_day_passes() -> None:
    check_adult(date(2004, 9, 30), date(2022, 9, 30))
    with pytest.raises(ValueError):
        check_adult(date(2004, 10, 1), date(2022, 9, 30))
