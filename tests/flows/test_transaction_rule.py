"""The rule every handler keeps: nothing reaches Telegram while a unit of work is open."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.filters import Command
from aiogram.types import Message

from bot.main import create_dispatcher
from bot.offline import OfflineSession, OfflineWorld
from bot.services.repositories import UnitOfWorkFactory
from bot.services.transaction import CallInsideUnitOfWork


async def test_a_reply_sent_inside_a_unit_of_work_fails_the_update_loudly(
    settings, sessionmaker, clock
) -> None:
    dp = create_dispatcher(settings=settings, database=sessionmaker, clock=clock)

    async def reply_while_holding_the_database(message: Message, uows: UnitOfWorkFactory) -> None:
        async with uows() as uow:
            await uow.campaigns.current_campaign()
            await message.answer("too early")

    # The Dispatcher's own handlers are tried before every included router's.
    dp.message.register(reply_while_holding_the_database, Command("careless"))
    world = OfflineWorld(dp, Bot(token=settings.bot_token, session=OfflineSession()), now=clock.now)
    try:
        with pytest.raises(CallInsideUnitOfWork):
            await world.user(5001).send("/careless")
        assert await world.user(5002).send("/help"), "the database is free again afterwards"
    finally:
        await world.close()
