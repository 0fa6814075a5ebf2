"""Shared fixtures: a migrated SQLite file, a fixed clock, and an offline Telegram world."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import TZ, FixedClock
from bot.config import Settings
from bot.main import create_dispatcher
from bot.offline import OfflineSession, OfflineWorld
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.repositories import SqlStore
from tests.support.seed import seed_demo


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test loudly."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("tests must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2022, 9, 20, 10, 0, tzinfo=TZ))


@pytest.fixture
def settings(tmp_path: object) -> Settings:
    return Settings(bot_token="42:TEST", bureau_admin_ids=(900,))


@pytest.fixture
async def engine(tmp_path: object) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/test.db")
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
async def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    sm = create_sessionmaker(engine)
    async with sm() as session:
        await seed_demo(SqlStore(session), now=datetime(2022, 9, 1, 9, 0, tzinfo=TZ))
        await session.commit()
    return sm


@pytest.fixture
async def world(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FixedClock
) -> AsyncIterator[OfflineWorld]:
    bot = Bot(token=settings.bot_token, session=OfflineSession())
    dp = create_dispatcher(settings=settings, sessionmaker=sessionmaker, clock=clock)
    yield OfflineWorld(dp, bot, now=clock.now)
    await bot.session.close()
