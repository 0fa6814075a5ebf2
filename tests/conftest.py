"""Shared fixtures: a migrated database (SQLite, or PostgreSQL from TEST_DATABASE_URL), a fixed clock, and an offline Telegram world."""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import pytest
from aiogram import Bot

from bot.clock import TZ, FixedClock
from bot.config import Settings
from bot.loop import new_event_loop
from bot.main import create_dispatcher
from bot.offline import OfflineSession, OfflineWorld
from storage import crypto
from storage.db import Database, create_database
from storage.migrate import upgrade
from storage.uow import unit_of_work_factory
from tests.support import services
from tests.support.seed import seed_demo


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    """Tests marked `production_loop` run on the loop `expertbot` runs on (uvloop where
    installed, `bot.loop`); the others on asyncio's own, where the network guard below sees
    every connection (uvloop connects in C, past Python's socket methods)."""
    if item.get_closest_marker("production_loop"):
        return {"production": new_event_loop}
    return {"asyncio": asyncio.new_event_loop}


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach beyond this machine fails the test loudly.

    Loopback stays open for the test servers (PostgreSQL, Redis, a local webhook).
    """
    connect, create_connection = socket.socket.connect, socket.create_connection

    def guarded_connect(sock: socket.socket, address: Any) -> None:
        if not _is_loopback(sock.family, address):
            raise AssertionError("tests must not use the network")
        return connect(sock, address)

    def guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        if not _is_loopback(socket.AF_INET, address):
            raise AssertionError("tests must not use the network")
        return create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)


def _is_loopback(family: int, address: Any) -> bool:
    if family == getattr(socket, "AF_UNIX", None):
        return True
    host = address[0] if isinstance(address, tuple) else address
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


TEST_DATA_KEY = base64.b64encode(bytes(range(32))).decode()
"""The data key of every test database; tests of keys make their own."""


@pytest.fixture(autouse=True)
def _data_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Personal fields are encrypted in every test, as in production; flows run unthrottled."""
    monkeypatch.setenv("DATA_KEY", TEST_DATA_KEY)
    monkeypatch.delenv("DATA_KEY_FILE", raising=False)
    monkeypatch.delenv("INDEX_KEY", raising=False)
    monkeypatch.setenv("RATE_LIMIT", "0")
    crypto.configure(crypto.keyring_from(data_key=TEST_DATA_KEY))
    yield
    crypto.configure(None)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2022, 9, 20, 10, 0, tzinfo=TZ))


@pytest.fixture
def settings(tmp_path: object) -> Settings:
    return Settings(bot_token="42:TEST", bureau_admin_ids=(900,))


@pytest.fixture
async def engine(tmp_path: object) -> AsyncIterator[Database]:
    """A migrated database of its own: a SQLite file, or on TEST_DATABASE_URL's PostgreSQL."""
    server = services.database_url()
    url = await services.clean_database(server) if server else f"sqlite:///{tmp_path}/test.db"
    database = create_database(url)
    await upgrade(database)
    yield database
    await database.dispose()


@pytest.fixture
async def sessionmaker(engine: Database) -> Database:
    """The same database, seeded with the demo campaign and units; called, it opens a session."""
    async with unit_of_work_factory(engine)() as uow:
        await seed_demo(uow, now=datetime(2022, 9, 1, 9, 0, tzinfo=TZ))
        await uow.commit()
    return engine


@pytest.fixture
async def world(
    settings: Settings, sessionmaker: Database, clock: FixedClock
) -> AsyncIterator[OfflineWorld]:
    bot = Bot(token=settings.bot_token, session=OfflineSession())
    dp = create_dispatcher(settings=settings, database=sessionmaker, clock=clock)
    world = OfflineWorld(dp, bot, now=clock.now)
    yield world
    await world.close()
