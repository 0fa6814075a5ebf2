"""Wiring: builds the Dispatcher and the Bot from settings; the one place that knows everything."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.base import BaseStorage
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import Clock, SystemClock
from bot.config import Settings
from storage.db import create_engine, create_sessionmaker
from storage.fsm import DatabaseStorage
from storage.migrate import upgrade
from storage.reminders import reminder_store_factory
from storage.repositories import store_factory

log = logging.getLogger(__name__)


def create_dispatcher(
    *,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock | None = None,
    storage: BaseStorage | None = None,
) -> Dispatcher:
    """The Dispatcher production runs; tests and the console build it the same way."""
    import handlers
    from bot.ratelimit import RateLimiter
    from handlers.middlewares import PrivateChatsOnly, ProvideNotifier

    stores = store_factory(sessionmaker)
    dp = Dispatcher(
        storage=storage or DatabaseStorage(sessionmaker),
        stores=stores,
        clock=clock or SystemClock(),
        settings=settings,
        reminder_stores=reminder_store_factory(sessionmaker),
        limiter=RateLimiter(),
    )
    dp.update.outer_middleware(PrivateChatsOnly())
    dp.update.outer_middleware(ProvideNotifier(stores))
    dp.include_router(handlers.build_router())
    return dp


def create_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    if session is None and settings.telegram_api_base:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    return Bot(token=settings.bot_token, session=session)


async def open_database(settings: Settings) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession]]:
    """Connects and applies pending migrations."""
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    return engine, create_sessionmaker(engine)


async def run_polling(settings: Settings) -> None:
    engine, sessionmaker = await open_database(settings)
    bot = create_bot(settings)
    dp = create_dispatcher(settings=settings, sessionmaker=sessionmaker)
    stop = asyncio.Event()
    reminders = asyncio.create_task(start_reminders(dp, bot, stop), name="reminders")
    try:
        await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types())
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            # The pass finishes the sends in flight and marks them, so nothing is repeated.
            await asyncio.wait_for(reminders, timeout=30)
        await bot.session.close()
        await engine.dispose()


async def start_reminders(dp: Dispatcher, bot: Bot, stop: asyncio.Event) -> None:
    """The reminder loop inside `expertbot run`: one pass a minute until `stop`."""
    from bot.services.reminders import run_reminders
    from handlers.sending import TelegramSender

    clock = dp["clock"]
    sender = TelegramSender(bot, dp["limiter"], clock)
    await run_reminders(
        dp["reminder_stores"], sender, clock, stop, admin_ids=dp["settings"].bureau_admin_ids
    )
