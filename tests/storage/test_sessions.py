"""storage.db's sessions: Core on the connection, the ORM joined only when used, one transaction
(begun at the first write, or never for a single write)."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime
from unittest import mock

import pytest
from sqlalchemy import func, select, text

from bot.clock import TZ
from storage import db
from storage.db import Database, core, create_database
from storage.models import Person

NOW = datetime(2022, 9, 1, 9, 0, tzinfo=TZ)
PEOPLE = select(func.count()).select_from(Person.__table__)
XID = text("SELECT pg_current_xact_id()::text")
"""The transaction a statement runs in, on PostgreSQL (assigning one if it has none)."""


def add_person(name: str) -> object:
    return Person.__table__.insert().values(full_name=name, created_at=NOW)


async def people(database: Database) -> int:
    async with database.session() as session:
        return (await core(session, PEOPLE)).scalar_one()


async def test_an_added_object_is_flushed_before_a_core_statement_and_committed(engine) -> None:
    before = await people(engine)
    async with engine.session() as session:
        session.add(Person(full_name="王五", created_at=NOW))
        assert (await core(session, PEOPLE)).scalar_one() == before + 1
        await session.commit()
    assert await people(engine) == before + 1


async def test_what_a_session_does_not_commit_is_rolled_back(engine) -> None:
    before = await people(engine)
    async with engine.session() as session:
        session.add(Person(full_name="赵六", created_at=NOW))
        await session.flush()
    async with engine.session() as session:
        await core(session, Person.__table__.insert().values(full_name="钱七", created_at=NOW))
    assert await people(engine) == before


async def test_a_rollback_ends_the_transaction_and_the_session_goes_on(engine) -> None:
    before = await people(engine)
    async with engine.session() as session:
        session.add(Person(full_name="孙八", created_at=NOW))
        await session.rollback()
        session.add(Person(full_name="周九", created_at=NOW))
        await session.commit()
        names = (await session.scalars(select(Person.full_name))).all()
    assert await people(engine) == before + 1
    assert "周九" in names and "孙八" not in names


async def test_sqlite_gives_the_connection_back_when_opening_it_fails(engine) -> None:
    if engine.dialect_name != "sqlite":
        pytest.skip("SQLite lends one connection; a server pool has its own")
    await engine.dispose()
    failing = mock.patch.object(engine.sync_engine, "connect", side_effect=OSError("disk"))
    with failing, pytest.raises(OSError):
        async with engine.session():
            pass
    async with engine.session() as session:
        assert (await session.execute(text("SELECT 1"))).scalar() == 1


async def test_sqlite_refuses_a_second_session_in_the_same_task(engine) -> None:
    if engine.dialect_name != "sqlite":
        pytest.skip("only SQLite lends its one connection")
    async with engine.session():
        with pytest.raises(RuntimeError, match="already open"):
            async with engine.session():
                pass


async def test_a_single_write_commits_by_itself_and_a_second_write_is_refused(engine) -> None:
    before = await people(engine)
    async with engine.session(single_write=True) as session:
        await core(session, add_person("吴十"))
        with pytest.raises(RuntimeError, match="wrote twice"):
            await core(session, add_person("郑十一"))
    assert await people(engine) == before + 1, "the one write stands without a commit"


async def test_a_single_write_session_refuses_orm_objects_before_any_write(engine) -> None:
    before = await people(engine)
    async with engine.session(single_write=True) as session:
        with pytest.raises(RuntimeError, match="not ORM objects"):
            session.add(Person(full_name="王十二", created_at=NOW))
        await session.commit()
    assert await people(engine) == before


async def test_postgresql_reads_run_on_their_own_until_the_first_write(engine) -> None:
    if engine.dialect_name != "postgresql":
        pytest.skip("a transaction id is PostgreSQL's")
    before = await people(engine)
    async with engine.session() as session:
        first, second = [(await core(session, XID)).scalar() for _ in range(2)]
        assert first != second, "each read before the first write is its own transaction"
        await core(session, add_person("冯十三"))
        third, fourth = [(await core(session, XID)).scalar() for _ in range(2)]
        assert third == fourth, "from the first write on, one transaction"
        await session.rollback()
    assert await people(engine) == before


BACKEND = text("SELECT pg_backend_pid()")


async def cut_pooled_connection(engine: Database) -> int:
    """Uses a pooled connection, then ends it from the server's side, as a restart would."""
    async with engine.session() as session:
        pid = (await core(session, BACKEND)).scalar()
    other = create_database(engine.url_string(), pool_size=0)
    async with other.session() as session:
        await core(session, text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
    await other.dispose()
    return pid


@pytest.mark.parametrize("first", ["read", "write"])
async def test_postgresql_replaces_a_rested_connection_that_was_cut(engine, monkeypatch, first) -> None:
    if engine.dialect_name != "postgresql":
        pytest.skip("SQLite has no pool to rest in")
    before = await people(engine)
    pid = await cut_pooled_connection(engine)
    monkeypatch.setattr(db, "PING_AFTER_IDLE", 0.0)
    async with engine.session() as session:
        if first == "write":
            await core(session, add_person("褚十五"))
        assert (await core(session, BACKEND)).scalar() != pid
        await session.commit()
    assert await people(engine) == before + (first == "write")


async def test_postgresql_retries_a_first_read_on_a_connection_cut_moments_ago(engine) -> None:
    if engine.dialect_name != "postgresql":
        pytest.skip("SQLite has no pool")
    pid = await cut_pooled_connection(engine)  # no ping: it rested less than PING_AFTER_IDLE
    async with engine.session() as session:
        assert (await core(session, BACKEND)).scalar() != pid


@pytest.mark.parametrize("single_write", [False, True])
async def test_sqlite_waits_for_another_process_s_write_lock(engine, single_write) -> None:
    if engine.dialect_name != "sqlite":
        pytest.skip("SQLite's write lock")
    before = await people(engine)
    other = sqlite3.connect(engine.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    async def write() -> None:
        async with engine.session(single_write=single_write) as session:
            await core(session, add_person("陈十四"))
            await session.commit()

    task = asyncio.create_task(write())
    for _ in range(3):
        await asyncio.sleep(0)
    assert not task.done(), "the write waits, and the event loop runs meanwhile"
    other.execute("COMMIT")
    other.close()
    await task
    assert await people(engine) == before + 1
