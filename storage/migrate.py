"""Schema upgrades through Alembic, from the installed package (no alembic.ini needed)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text

from storage.db import Database

MIGRATION_LOCK = 0x657870657274  # "expert"


def alembic_config(url: str) -> Config:
    """Alembic's configuration for the database at `url`.

    Its options go through ConfigParser, which reads "%" as interpolation: a
    URL with an escaped character (a password with "@", a Unix socket's
    "?host=%2Fvar%2Frun%2Fpostgresql") must have it doubled.
    """
    config = Config()
    config.set_main_option("script_location", "storage:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(database: Database, revision: str = "heads") -> None:
    """Applies pending migrations (every branch head) in one transaction."""

    def run(connection: Connection) -> None:
        if connection.dialect.name == "postgresql":
            # Instances starting together migrate one after the other; the later ones find nothing to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config = alembic_config(database.url_string())
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    await database.run_sync(run, schema_change=True)
