"""Instances that start together on one fresh PostgreSQL database migrate it once, in turn, and agree on the key."""

from __future__ import annotations

import asyncio

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from bot.config import Settings
from bot.main import open_database
from storage.migrate import alembic_config
from storage.models import District
from tests.support import services


@pytest.mark.parametrize("fresh", ["empty", "migrated"])
async def test_instances_starting_together_on_a_fresh_database_all_come_up(fresh: str) -> None:
    make = services.empty_database if fresh == "empty" else services.create_database
    url = await make(services.need_postgres())
    settings = Settings(database_url=url)
    databases: list = []
    try:
        # Without the migration lock, three upgrades here blocked each other for over a minute.
        opened = await asyncio.wait_for(
            asyncio.gather(*(open_database(settings, require_key=True) for _ in range(3))), 60
        )
        databases = list(opened)
        async with databases[0].session() as connection:
            heads = (
                (await connection.execute(text("SELECT version_num FROM alembic_version")))
                .scalars()
                .all()
            )
            districts = await connection.scalar(select(func.count()).select_from(District))
        assert heads == ScriptDirectory.from_config(alembic_config(url)).get_heads(), "one head, the newest"
        assert districts == 41, "seeded once, not three times"
    finally:
        for database in databases:
            await database.dispose()
        await services.drop_database(url)
