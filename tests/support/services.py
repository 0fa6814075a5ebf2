"""Databases and Redis for tests: SQLite files unless the environment names real servers.

TEST_DATABASE_URL    postgresql+asyncpg://user@host:port/db: every test gets a clean
                     migrated database on that server instead of a SQLite file.
TEST_POSTGRES_URL    a PostgreSQL server for the tests that need one whatever the above
                     (several instances); they skip without it.
TEST_REDIS_URL       redis://host:port/db for the tests that need Redis; they skip without it.

`.ci/run` starts both servers and exports all three, so in CI nothing skips:
tests/deploy/test_ci_services.py fails when CI=true and a server is missing.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import Connection, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from storage import db as storage_db
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Base

SHARED = f"expertbot_test_shared_{os.getpid()}"
"""Per process: two suites running at once on one server must not empty each other's rows."""
TEMPLATE = f"expertbot_test_template_{os.getpid()}"
_templates: set[str] = set()
_shared: dict[str, _Snapshot] = {}


def database_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def postgres_url() -> str | None:
    return os.environ.get("TEST_POSTGRES_URL") or database_url() or None


def redis_url() -> str | None:
    return os.environ.get("TEST_REDIS_URL") or None


def need_postgres() -> str:
    url = postgres_url()
    if not url:
        pytest.skip("needs PostgreSQL: set TEST_POSTGRES_URL (bash .ci/run does)")
    return url


def need_redis() -> str:
    url = redis_url()
    if not url:
        pytest.skip("needs Redis: set TEST_REDIS_URL (bash .ci/run does)")
    return url


async def _admin(server_url: str, statement: str) -> None:
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


def _with_database(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def clean_database(server_url: str) -> str:
    """The session's migrated database on the server, emptied back to what the migrations left.

    Creating a database per test costs about a second on PostgreSQL (a
    checkpoint); deleting the rows and restoring the seeded ones costs a few
    milliseconds and leaves the same state: the migrations' rows, sequences
    starting at 1.
    """
    url = _with_database(server_url, SHARED)
    snapshot = _shared.get(server_url)
    if snapshot is None:
        await _admin(server_url, f'DROP DATABASE IF EXISTS "{SHARED}" WITH (FORCE)')
        await _admin(server_url, f'CREATE DATABASE "{SHARED}"')
        database = storage_db.create_database(url, pool_size=0)
        await upgrade(database)
        _shared[server_url] = await _Snapshot.take(database)
        await database.dispose()
        return url
    database = storage_db.create_database(url, pool_size=0)
    try:
        await snapshot.restore(database)
    finally:
        await database.dispose()
    return url


class _Snapshot:
    """The rows the migrations seed (the districts) and the tables' id sequences."""

    def __init__(
        self, rows: dict[str, list[dict[str, object]]], sequences: list[tuple[str, str, str]]
    ):
        self.rows = rows
        self.sequences = sequences

    @classmethod
    async def take(cls, database: Database) -> _Snapshot:
        return await database.run_sync(cls._take)

    @classmethod
    def _take(cls, connection: Connection) -> _Snapshot:
        rows: dict[str, list[dict[str, object]]] = {}
        for table in Base.metadata.sorted_tables:
            found = connection.execute(select(table)).mappings().all()
            if found:
                rows[table.name] = [dict(r) for r in found]
        sequences = [
            (t, c, seq)
            for t, c, seq in connection.execute(
                text(
                    "SELECT table_name, column_name,"
                    " pg_get_serial_sequence(quote_ident(table_name), column_name)"
                    " FROM information_schema.columns"
                    " WHERE table_schema = current_schema() AND column_default LIKE 'nextval%'"
                )
            )
        ]
        return cls(rows, sequences)

    async def restore(self, database: Database) -> None:
        await database.run_sync(self._restore)

    def _restore(self, connection: Connection) -> None:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
        for table in Base.metadata.sorted_tables:
            if table.name in self.rows:
                connection.execute(table.insert(), self.rows[table.name])
        for table, column, sequence in self.sequences:
            connection.execute(
                text(
                    f"SELECT setval('{sequence}', COALESCE((SELECT max(\"{column}\")"
                    f' FROM "{table}"), 0) + 1, false)'
                )
            )


async def create_database(server_url: str) -> str:
    """A database of its own (slow: about a second), for tests that several processes share."""
    if server_url not in _templates:
        await _admin(server_url, f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
        await _admin(server_url, f'CREATE DATABASE "{TEMPLATE}"')
        database = storage_db.create_database(_with_database(server_url, TEMPLATE), pool_size=0)
        await upgrade(database)
        await database.dispose()
        _templates.add(server_url)
    name = f"expertbot_test_{uuid.uuid4().hex[:12]}"
    await _admin(server_url, f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}" STRATEGY FILE_COPY')
    return _with_database(server_url, name)


async def empty_database(server_url: str) -> str:
    """A database with nothing in it, not even the migrations."""
    name = f"expertbot_test_{uuid.uuid4().hex[:12]}"
    await _admin(server_url, f'CREATE DATABASE "{name}"')
    return _with_database(server_url, name)


async def drop_database(url: str) -> None:
    parsed = make_url(url)
    server = parsed.set(database="postgres").render_as_string(hide_password=False)
    await _admin(server, f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
