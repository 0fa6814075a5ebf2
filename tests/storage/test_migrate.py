"""Migrations run on any URL the bot accepts, escaped characters included."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from storage.db import create_database
from storage.migrate import alembic_config, upgrade


def test_alembic_gets_the_url_as_given_with_its_escaped_characters() -> None:
    url = "postgresql+asyncpg://bot:p%40ss@/expertbot?host=%2Fvar%2Frun%2Fpostgresql"
    assert alembic_config(url).get_main_option("sqlalchemy.url") == url


async def test_a_database_whose_url_holds_a_percent_sign_is_migrated(tmp_path: Path) -> None:
    folder = tmp_path / "100%"
    folder.mkdir()
    database = create_database(f"sqlite:///{folder}/bot.db")
    try:
        await upgrade(database)
        async with database.session() as session:
            assert await session.scalar(text("SELECT count(*) FROM district")) == 41
    finally:
        await database.dispose()
