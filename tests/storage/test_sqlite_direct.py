"""Direct SQLite sessions: atomic writes, one transaction at a time, and waits that never block the loop."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select, text, union, update
from sqlalchemy.exc import (
    CompileError,
    IntegrityError,
    PendingRollbackError,
    ResourceClosedError,
)
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage import sqlite_inline
from storage.db import create_engine
from storage.sqlite_direct import DirectDatabase, direct_database

metadata = MetaData()
numbers = Table("t", metadata, Column("n", Integer))


class Base(DeclarativeBase):
    pass


class Row(Base):
    __tablename__ = "r"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str | None]


@pytest.fixture
def db_file(tmp_path: object) -> str:
    path = f"{tmp_path}/direct.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")  # as the migrations leave it
        connection.execute("CREATE TABLE t (n INTEGER)")
        connection.execute("CREATE TABLE r (id INTEGER PRIMARY KEY, label TEXT)")
    return path


@pytest.fixture
async def database(db_file: str) -> AsyncIterator[DirectDatabase]:
    engine = create_engine(f"sqlite+aiosqlite:///{db_file}")
    direct = direct_database(engine)
    assert direct is not None
    yield direct
    await engine.dispose()


def count(db_file: str, table: str = "t") -> int:
    with sqlite3.connect(db_file) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_only_sqlite_files_have_a_direct_twin() -> None:
    assert direct_database(create_async_engine("sqlite+aiosqlite://")) is None
    assert direct_database(create_async_engine("postgresql+asyncpg://bot@localhost/db")) is None


async def test_writes_are_one_transaction_until_commit(
    database: DirectDatabase, db_file: str
) -> None:
    session = database.session()
    await session.execute(insert(numbers), {"n": 1})
    await session.execute(insert(numbers), {"n": 2})
    assert count(db_file) == 0  # another connection sees nothing before the commit
    await session.rollback()
    assert count(db_file) == 0
    await session.execute(insert(numbers), {"n": 3})
    await session.commit()
    assert count(db_file) == 1


async def test_pending_orm_objects_are_flushed_inside_the_transaction(
    database: DirectDatabase, db_file: str
) -> None:
    session = database.session()
    session.add(Row(id=1))
    await session.scalar(select(func.count()).select_from(numbers))  # autoflushes the row
    await session.rollback()
    assert count(db_file, "r") == 0
    session.add(Row(id=2))
    await session.commit()
    assert count(db_file, "r") == 1


async def test_a_second_session_waits_for_the_first_to_finish(database: DirectDatabase) -> None:
    first, second = database.session(), database.session()
    await first.execute(select(numbers))

    async def write() -> None:
        await second.execute(insert(numbers), {"n": 1})
        await second.commit()

    waiting = asyncio.create_task(write())
    await asyncio.sleep(0)
    assert not waiting.done()
    await first.close()
    await asyncio.wait_for(waiting, timeout=2)
    assert not database.lock.locked()


async def test_a_reading_session_lets_other_connections_write(
    database: DirectDatabase, db_file: str
) -> None:
    session = database.session()
    await session.execute(select(numbers))
    with sqlite3.connect(db_file, timeout=0) as other:  # the FSM storage, the CLI
        other.execute("INSERT INTO t VALUES (1)")
    assert (await session.scalar(select(func.count()).select_from(numbers))) == 1
    await session.close()


async def test_a_writer_waits_for_another_connection_without_blocking_the_loop(
    database: DirectDatabase, db_file: str
) -> None:
    holder = sqlite3.connect(db_file, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t VALUES (1)")
    session = database.session()

    async def write() -> None:
        await session.execute(update(numbers).values(n=2))
        await session.commit()

    waiting = asyncio.create_task(write())
    for _ in range(5):
        await asyncio.sleep(0.005)  # the loop keeps running while the writer waits
    assert not waiting.done()
    holder.execute("COMMIT")
    holder.close()
    await asyncio.wait_for(waiting, timeout=2)
    with sqlite3.connect(db_file) as reader:
        assert reader.execute("SELECT n FROM t").fetchall() == [(2,)]


async def test_the_wait_gives_up_like_a_busy_timeout_and_frees_the_session(
    database: DirectDatabase, db_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_inline, "BUSY_WAIT", 0.02)
    holder = sqlite3.connect(db_file, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    session = database.session()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        await session.execute(insert(numbers), {"n": 1})
    assert not database.lock.locked()
    holder.execute("ROLLBACK")
    holder.close()
    await session.execute(insert(numbers), {"n": 1})
    await session.commit()
    assert count(db_file) == 1


async def test_a_core_statement_sees_rows_the_orm_has_pending(database: DirectDatabase) -> None:
    session = database.session()
    session.add(Row(id=7))
    assert await session.scalar(select(func.count()).select_from(Row.__table__)) == 1
    await session.rollback()


async def test_only_loading_objects_needs_the_orm_session(database: DirectDatabase) -> None:
    session = database.session()
    await session.execute(insert(Row).values(id=1, label="a"))
    assert await session.scalar(select(Row.label).where(Row.id == 1)) == "a"
    assert list(await session.scalars(select(Row.id))) == [1]
    assert session._orm is None  # column selects and DML naming Row ran as Core
    row = (await session.scalars(select(Row))).one()
    assert isinstance(row, Row)
    await session.execute(update(Row).where(Row.id == 1).values(label="b"))
    assert row.label == "b"  # with objects loaded, the Session keeps them in step
    await session.commit()
    reader = database.session()
    assert await reader.scalar(select(Row.label)) == "b"
    await reader.close()


async def test_what_the_session_cannot_describe_or_has_added_stays_on_the_orm(
    database: DirectDatabase,
) -> None:
    session = database.session()
    returned = (await session.scalars(insert(Row).values(id=1, label="a").returning(Row))).one()
    assert isinstance(returned, Row)  # RETURNING a whole class gives objects, as AsyncSession does
    both = union(select(Row.id), select(Row.id).where(Row.id > 5))
    assert list(await session.scalars(both)) == [1]
    await session.rollback()
    added = Row(id=2, label="a")
    session.add(added)
    await session.execute(update(Row).where(Row.id == 2).values(label="b"))
    assert added.label == "b"  # an object only added is kept in step too
    await session.rollback()


async def test_a_failed_commit_leaves_a_new_connection_and_a_free_lock(
    database: DirectDatabase, db_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = database.session()
    await session.execute(insert(numbers), {"n": 1})
    broken = database.connection()

    def fail() -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(broken, "commit", fail)
    with pytest.raises(sqlite3.OperationalError):
        await session.commit()
    assert not database.lock.locked()
    assert database.connection() is not broken
    again = database.session()
    await again.execute(insert(numbers), {"n": 2})
    await again.commit()
    assert count(db_file) == 1  # the failed transaction's row is gone


async def test_a_first_write_that_fails_to_compile_leaves_no_transaction_open(
    database: DirectDatabase, db_file: str
) -> None:
    with pytest.raises(CompileError):
        async with database.session().begin() as session:
            await session.execute(insert(numbers).values(nope=1))
    async with database.session().begin() as session:
        await session.execute(insert(numbers).values(n=2))
    assert count(db_file) == 1


async def test_disposing_under_a_session_lets_its_commit_finish(
    database: DirectDatabase, db_file: str
) -> None:
    session = database.session()
    await session.execute(insert(numbers).values(n=1))
    database.dispose()  # what engine.dispose() does at shutdown, a handler still running
    await session.commit()
    assert count(db_file) == 1


async def test_text_statements_run_inside_the_transaction(
    database: DirectDatabase, db_file: str
) -> None:
    with pytest.raises(RuntimeError):
        async with database.session().begin() as session:
            await session.execute(text("INSERT INTO t VALUES (1)"))
            raise RuntimeError
    assert count(db_file) == 0


async def test_after_a_failed_flush_the_session_must_roll_back(
    database: DirectDatabase, db_file: str
) -> None:
    async with database.session().begin() as session:
        session.add(Row(id=1))
    session = database.session()
    try:
        await session.execute(insert(numbers).values(n=0))
        session.add(Row(id=1))
        with pytest.raises(IntegrityError):
            await session.flush()
        with pytest.raises(PendingRollbackError):
            await session.execute(insert(numbers).values(n=1))
    finally:
        await session.close()
    assert count(db_file) == 0


async def test_a_half_read_result_does_not_hold_a_snapshot(
    database: DirectDatabase, db_file: str
) -> None:
    async with database.session().begin() as session:
        await session.execute(insert(numbers), [{"n": i} for i in range(3)])
    session = database.session()
    rows = await session.execute(select(numbers.c.n))
    rows.fetchone()
    await session.commit()
    with pytest.raises(ResourceClosedError):  # not rows another session wrote since
        rows.fetchone()
    with sqlite3.connect(db_file) as other:
        other.execute("INSERT INTO t VALUES (99)")
    async with database.session().begin() as later:  # SQLITE_BUSY_SNAPSHOT if it did
        await later.execute(insert(numbers).values(n=5))
    assert count(db_file) == 5
