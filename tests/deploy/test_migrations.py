"""Instances that start together on one PostgreSQL database migrate it once, in turn."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select, text

from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import District
from tests.support import services


async def test_instances_starting_together_on_an_empty_database_all_come_up() -> None:
    url = await services.empty_database(services.need_postgres())
    engines = [create_engine(url) for _ in range(3)]
    try:
        # Without the lock, three upgrades here blocked each other for over a minute.
        await asyncio.wait_for(asyncio.gather(*(upgrade(e) for e in engines)), timeout=60)
        async with engines[0].connect() as connection:
            heads = (
                (await connection.execute(text("SELECT version_num FROM alembic_version")))
                .scalars()
                .all()
            )
            districts = await connection.scalar(select(func.count()).select_from(District))
        assert "0004" in heads
        assert districts == 41, "seeded once, not three times"
    finally:
        for engine in engines:
            await engine.dispose()
        await services.drop_database(url)
