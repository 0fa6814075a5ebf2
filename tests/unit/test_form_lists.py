"""List fields (主要从事专业, 熟悉专业): what one message adds, and what Annex 1's four rows refuse."""

from datetime import date

import pytest

from bot.domain import keys
from bot.domain.form import BY_KEY, ParseContext, add_to_list

MAIN = BY_KEY[keys.MAIN_SPECIALTIES]
CTX = ParseContext(today=date(2022, 9, 1))


def test_one_message_with_several_specialties_gives_several_entries() -> None:
    assert MAIN.parse_text("矿山安全、职业卫生\n应急管理", CTX) == ["矿山安全", "职业卫生", "应急管理"]


def test_entries_are_added_after_those_already_there_passing_over_repeats() -> None:
    assert add_to_list(MAIN, ["矿山安全"], ["职业卫生", "矿山安全", "消防"]) == [
        "矿山安全", "职业卫生", "消防",
    ]  # fmt: skip


def test_a_message_that_would_pass_four_entries_adds_none_and_says_how_many_fit() -> None:
    with pytest.raises(ValueError, match="已添加 2 条，这次又输入了 3 条.*还能添加 2 条"):
        add_to_list(MAIN, ["矿山安全", "职业卫生"], ["消防", "危化", "建筑"])


def test_a_full_list_and_a_repeat_are_refused_as_before() -> None:
    with pytest.raises(ValueError, match="已填满 4 条"):
        add_to_list(MAIN, ["a", "b", "c", "d"], ["e"])
    with pytest.raises(ValueError, match="已经添加过了"):
        add_to_list(MAIN, ["a"], ["a"])
