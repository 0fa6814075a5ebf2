"""A cancelled Bot API call is logged and re-raised as a cancellation, so shutdown can stop polling."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot
from aiogram.methods import GetUpdates

from bot.logs import LogCalls


async def test_cancelled_call_stays_a_cancellation() -> None:
    async def long_poll(bot: Bot, method: GetUpdates) -> None:
        raise asyncio.CancelledError

    bot = Bot(token="42:TEST")
    with pytest.raises(asyncio.CancelledError):
        await LogCalls()(long_poll, bot, GetUpdates())  # type: ignore[arg-type]
    await bot.session.close()
