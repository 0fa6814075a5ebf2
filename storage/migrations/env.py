"""Alembic environment: runs migrations on the database the bot uses (storage.db)."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from storage.db import create_database
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    database = create_database(config.get_main_option("sqlalchemy.url"), pool_size=0)
    try:
        await database.run_sync(_run, schema_change=True)
    finally:
        await database.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        asyncio.run(_run_async())


run_migrations_online()
