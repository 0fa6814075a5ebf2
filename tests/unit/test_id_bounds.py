"""Ids from outside are bounded where they are parsed: buttons and command arguments."""

from __future__ import annotations

import logging

import pytest
from aiogram.filters.callback_data import CallbackData

from bot.domain.ids import MAX_ID, parse_bounded, parse_id
from bot.texts import chat as ct
from handlers import callbacks as cb

HUGE = "9" * 30

FORGED = [
    f"rv:{HUGE}:1:1:a",
    f"rv:1:{HUGE}:1:a",
    f"rs:{HUGE}:c",
    f"rs:{HUGE}:f",
    f"a1:{HUGE}",
    f"al::{HUGE}:-1:0:p",
    f"al::0:-1:{HUGE}:p",
    f"ir:{HUGE}",
    f"iv:unit:{HUGE}",
    f"iv:district:{HUGE}",
    f"ca:{HUGE}:sign",
    f"dk:{HUGE}",
    f"uk:{HUGE}",
    f"up:{HUGE}:0",
    f"un:{HUGE}",
    f"rx:{HUGE}",
    f"pp:{HUGE}",
    f"ik:{HUGE}:0",
    f"ik:1:{HUGE}",
    f"xg:a:{HUGE}:0:-1:0",
    f"xp:0:{HUGE}:m:0",
    f"rp:{HUGE}:0",
    f"rq:{HUGE}:0",
    f"rq:1:{HUGE}",
    f"fc:group:{HUGE}",
    "rs:-1:c",
    f"rs:{MAX_ID + 1}:c",
]


def _factories() -> list[type[CallbackData]]:
    return [
        v
        for v in vars(cb).values()
        if isinstance(v, type) and issubclass(v, CallbackData) and v is not CallbackData
    ]


@pytest.mark.parametrize("data", FORGED)
def test_an_out_of_range_id_does_not_unpack(data: str) -> None:
    factory = next(f for f in _factories() if f.__prefix__ == data.split(":")[0])
    with pytest.raises(ValueError):
        factory.unpack(data)


def test_every_integer_field_of_a_button_is_bounded() -> None:
    unbounded = [
        f"{f.__name__}.{name}"
        for f in _factories()
        for name, info in f.model_fields.items()
        if info.annotation is int and not info.metadata
    ]
    assert unbounded == []


def test_the_largest_id_still_round_trips() -> None:
    data = cb.ReviewShow(app_id=MAX_ID, what=cb.ReviewView.CARD).pack()
    assert cb.ReviewShow.unpack(data).app_id == MAX_ID


@pytest.mark.parametrize("data", FORGED)
async def test_a_forged_huge_id_is_answered_as_a_stale_button(
    world, data: str, caplog: pytest.LogCaptureFixture
) -> None:
    user = world.user(1001)
    await user.send("/start")
    with caplog.at_level(logging.ERROR):
        await user.press_data(data)
    assert user.alert == ct.STALE_BUTTON
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12), (" #12 ", 12), ("１２", 12), (str(MAX_ID), MAX_ID)],
)
def test_a_command_id_is_parsed(text: str, value: int) -> None:
    assert parse_id(text) == value


@pytest.mark.parametrize(
    "text", [None, "", "0", "-1", "1.5", "12a", "½", "٣", HUGE, str(MAX_ID + 1), "1" * 11]
)
def test_a_command_id_out_of_range_or_not_a_number_is_none(text: str | None) -> None:
    assert parse_id(text) is None


def test_a_bounded_count_is_parsed_within_its_range() -> None:
    assert parse_bounded("50", 1, 200) == 50
    assert parse_bounded("500", 1, 200) is None


def test_the_buttons_outside_callbacks_are_bounded_too() -> None:
    from handlers import reminders

    factories = [reminders.NudgeAction, reminders.CampaignAct]
    unbounded = [
        f"{f.__name__}.{name}"
        for f in factories
        for name, info in f.model_fields.items()
        if info.annotation is int and not info.metadata
    ]
    assert unbounded == []


def test_buttons_already_in_chats_keep_their_shape():
    """A field added to a CallbackData makes every button of its prefix already sent stale:
    aiogram refuses data with another number of parts. New fields go on a new prefix."""
    from handlers.callbacks import DrawAct, DrawDo, ReportConfirm, ReportGo

    assert ReportGo.unpack("rp:5:0") == ReportGo(district_id=5, confirm=False)
    assert ReportGo.unpack("rp:5:1") == ReportGo(district_id=5, confirm=True)
    assert ReportConfirm(district_id=5, replaces=7).pack() == "rq:5:7"
    assert DrawAct.unpack("dr:e:0") == DrawAct(do=DrawDo.AVOID_EDIT, id=0), "修改回避 on old cards"
    assert DrawAct.unpack("dr:f:0") == DrawAct(do=DrawDo.FILE, id=0)
