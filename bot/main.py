"""Wiring: builds the Dispatcher and the Bot from settings; the one place that knows everything."""

from __future__ import annotations

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
    from handlers.middlewares import PrivateChatsOnly, ProvideNotifier

    stores = store_factory(sessionmaker)
    dp = Dispatcher(
        storage=storage or DatabaseStorage(sessionmaker),
        stores=stores,
        clock=clock or SystemClock(),
        settings=settings,
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
    try:
        await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types())
    finally:
        await bot.session.close()
        await engine.dispose()
