"""Schema upgrades through Alembic, from the installed package (no alembic.ini needed)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", "storage:migrations")
    config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade(engine: AsyncEngine, revision: str = "heads") -> None:
    """Applies pending migrations on the given engine (every branch head)."""
    url = engine.url.render_as_string(hide_password=False)

    def run(connection: object) -> None:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)
