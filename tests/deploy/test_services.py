"""Redis holds the conversation state when REDIS_URL is set; CI really provides its servers."""

from __future__ import annotations

import os

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import text

from bot.main import create_dispatcher
from storage.db import create_database
from storage.fsm import DatabaseStorage
from tests.support import services


async def test_without_redis_the_state_is_kept_in_the_database(settings, sessionmaker) -> None:
    dp = create_dispatcher(
        settings=settings.model_copy(update={"redis_url": None}), database=sessionmaker
    )
    assert isinstance(dp.fsm.storage, DatabaseStorage)
    await dp.fsm.storage.close()


async def test_with_redis_url_the_state_lives_in_redis_with_a_ttl(settings, sessionmaker) -> None:
    from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

    url = services.need_redis()
    make = settings.model_copy(update={"redis_url": url, "state_ttl_days": 2})
    first = create_dispatcher(settings=make, database=sessionmaker)
    second = create_dispatcher(settings=make, database=sessionmaker)
    try:
        assert isinstance(first.fsm.storage, RedisStorage)
        assert isinstance(first.fsm.events_isolation, RedisEventIsolation)
        key = StorageKey(bot_id=42, chat_id=777001, user_id=777001)
        await first.fsm.storage.set_state(key, "Apply:form")
        assert await second.fsm.storage.get_state(key) == "Apply:form"
        redis = first.fsm.storage.redis
        ttl = await redis.ttl(first.fsm.storage.key_builder.build(key, "state"))
        assert 2 * 86400 - 60 < ttl <= 2 * 86400
        await first.fsm.storage.set_state(key, None)
    finally:
        await first.fsm.storage.close()
        await second.fsm.storage.close()


async def test_the_engine_fixture_runs_on_the_database_the_environment_names(engine) -> None:
    expected = "postgresql" if services.database_url() else "sqlite"
    assert engine.dialect_name == expected


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="only CI promises PostgreSQL and Redis")
async def test_ci_provides_postgresql_and_redis() -> None:
    """A broken service setup in .ci/run must fail here, not hide behind skipped tests."""
    from redis.asyncio import Redis

    postgres, redis_url = services.postgres_url(), services.redis_url()
    assert postgres, ".ci/run must export TEST_POSTGRES_URL"
    assert redis_url, ".ci/run must export TEST_REDIS_URL"
    database = create_database(postgres)
    try:
        async with database.session() as connection:
            assert (
                await connection.execute(text("SHOW server_version_num"))
            ).scalar_one() >= "150000"
    finally:
        await database.dispose()
    client = Redis.from_url(redis_url)
    try:
        assert await client.ping()
    finally:
        await client.aclose()
