"""Telegram's limits are counted in UTF-16 code units, and long texts are cut or split by them."""

from __future__ import annotations

import logging

import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, GetFile
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update, User
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import DomainError
from bot.offline import OfflineSession
from bot.texts import chat as ct
from handlers import errors
from handlers.limits import (
    ALERT,
    CAPTION,
    MESSAGE,
    TELEGRAM_DOWNLOAD_BYTES,
    ClipToLimits,
    clip,
    split_message,
    telegram_file_too_big,
    units,
)

EMOJI, EXT_B, HAN = "😀", "𠀀", "中"


def test_astral_characters_count_twice() -> None:
    assert (units(HAN), units(EMOJI), units(EXT_B), units("a\n")) == (1, 2, 2, 2)
    assert (MESSAGE, CAPTION, ALERT) == (4096, 1024, 200)


@pytest.mark.parametrize("ch", [EMOJI, EXT_B, HAN])
def test_clip_stays_within_the_limit_and_marks_the_cut(ch: str) -> None:
    clipped = clip(ch * 5000, MESSAGE)
    assert units(clipped) <= MESSAGE and clipped.endswith("…")
    assert clipped[:-1] == ch * len(clipped[:-1])


def test_clip_never_cuts_a_surrogate_pair() -> None:
    text = "a" + EMOJI * 10
    clipped = clip(text, 5)  # "a", one emoji (2), "…" (1) = 4; a second emoji would be 6
    assert clipped == "a" + EMOJI + "…"
    clipped.encode("utf-8")  # a lone surrogate would fail here


def test_text_that_fits_is_left_alone() -> None:
    assert clip(EMOJI * 100, ALERT) == EMOJI * 100


def test_blocks_are_packed_into_as_few_messages_as_fit_without_splitting_any() -> None:
    blocks = [HAN * 1500, HAN * 1500, HAN * 1500, "短"]
    messages = split_message(blocks, MESSAGE)
    assert messages == [HAN * 1500 + "\n" + HAN * 1500, HAN * 1500 + "\n" + "短"]


def test_a_block_bigger_than_a_message_is_split_at_its_lines_then_hard() -> None:
    lines = [EMOJI * 1000 for _ in range(5)]  # 2000 units a line
    messages = split_message(["head", "\n".join(lines), "tail"], MESSAGE)
    assert all(units(m) <= MESSAGE for m in messages)
    assert "\n".join(messages).split("\n") == ["head", *lines, "tail"]

    one_line = EXT_B * 5000  # 10,000 units, no line break
    hard = split_message([one_line], MESSAGE)
    assert len(hard) == 3 and "".join(hard) == one_line
    assert all(units(m) <= MESSAGE for m in hard)


@given(
    st.lists(st.text(alphabet=[HAN, EMOJI, EXT_B, "a", "\n", " "], max_size=3000), max_size=12),
    st.integers(min_value=2, max_value=MESSAGE),
)
def test_split_keeps_every_character_and_every_message_fits(blocks: list[str], limit: int) -> None:
    messages = split_message(blocks, limit)
    assert all(units(m) <= limit for m in messages)
    squeeze = lambda s: "".join(s.split())  # noqa: E731 - edge line breaks may go
    assert squeeze("".join(messages)) == squeeze("".join(blocks))


def test_telegrams_download_refusal_is_recognised() -> None:
    method = GetFile(file_id="x")
    assert telegram_file_too_big(TelegramBadRequest(method, "Bad Request: file is too big"))
    assert not telegram_file_too_big(TelegramBadRequest(method, "Bad Request: wrong file_id"))
    assert TELEGRAM_DOWNLOAD_BYTES == 20 * 2**20
    assert "20 MB" in ct.PHOTO_TELEGRAM_TOO_BIG


async def test_the_session_clips_what_a_renderer_missed_and_keeps_the_buttons(
    caplog: pytest.LogCaptureFixture,
) -> None:
    session = OfflineSession()
    session.middleware(ClipToLimits())
    bot = Bot(token="42:TEST", session=session)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="签名提交", callback_data="x")]]
    )
    with caplog.at_level(logging.WARNING):
        await bot.send_message(1001, "😀" * 3000, reply_markup=markup)
        await bot.send_message(1001, "短")
        await bot.answer_callback_query("q", text="😀" * 150)
    long, short, alert = session.requests
    assert units(long.text) <= MESSAGE and long.text.endswith("…")
    assert long.reply_markup == markup
    assert short.text == "短"
    assert units(alert.text) <= ALERT
    assert len([r for r in caplog.records if r.name == "handlers.limits"]) == 2
    await bot.session.close()


async def test_a_long_domain_refusal_becomes_an_alert_within_200_units() -> None:
    dp = Dispatcher()

    async def refuse(_query: CallbackQuery) -> None:
        raise DomainError("😀" * 300)

    dp.callback_query.register(refuse)
    dp.include_router(errors.build_router())
    session = OfflineSession()
    bot = Bot(token="42:TEST", session=session)
    user = User(id=1001, is_bot=False, first_name="测")
    query = CallbackQuery(id="7", from_user=user, chat_instance="1", data="x")
    await dp.feed_update(bot, Update(update_id=1, callback_query=query))
    (answer,) = [r for r in session.requests if isinstance(r, AnswerCallbackQuery)]
    assert units(answer.text) <= ALERT and answer.show_alert
    await bot.session.close()


async def test_the_offline_session_refuses_what_telegram_would() -> None:
    bot = Bot(token="42:TEST", session=OfflineSession())
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(1001, "😀" * 2049)
    await bot.send_message(1001, "😀" * 2048)
    with pytest.raises(TelegramBadRequest, match="MESSAGE_TOO_LONG"):
        await bot.answer_callback_query("q", text="𠀀" * 101)
    await bot.session.close()
