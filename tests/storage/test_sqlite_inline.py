"""SQLite statements run on the event loop, and waiting for the write lock never blocks it."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from storage import sqlite_inline
from storage.db import create_engine


@pytest.fixture
def db_file(tmp_path: object) -> str:
    path = f"{tmp_path}/lock.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (n INTEGER)")
    return path


async def test_a_writer_waits_for_the_lock_while_the_holder_finishes(db_file: str) -> None:
    holder_engine = create_engine(f"sqlite+aiosqlite:///{db_file}")
    waiter_engine = create_engine(f"sqlite+aiosqlite:///{db_file}")
    holder = await holder_engine.connect()
    await holder.execute(text("INSERT INTO t VALUES (1)"))  # holds the write lock, uncommitted

    async def write() -> None:
        async with waiter_engine.begin() as waiter:
            await waiter.execute(text("INSERT INTO t VALUES (2)"))

    waiting = asyncio.create_task(write())
    for _ in range(5):
        await asyncio.sleep(0.005)  # the loop keeps running while the writer waits
    assert not waiting.done()
    await holder.commit()
    await asyncio.wait_for(waiting, timeout=2)
    await holder.close()
    async with waiter_engine.connect() as reader:
        assert (await reader.execute(text("SELECT count(*) FROM t"))).scalar() == 2
    await holder_engine.dispose()
    await waiter_engine.dispose()


async def test_the_wait_gives_up_like_a_busy_timeout(
    db_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_inline, "BUSY_WAIT", 0.05)
    holder_engine = create_engine(f"sqlite+aiosqlite:///{db_file}")
    waiter_engine = create_engine(f"sqlite+aiosqlite:///{db_file}")
    holder = await holder_engine.connect()
    await holder.execute(text("INSERT INTO t VALUES (1)"))
    with pytest.raises(OperationalError, match="locked"):
        async with waiter_engine.begin() as waiter:
            await waiter.execute(text("INSERT INTO t VALUES (2)"))
    await holder.rollback()
    await holder.close()
    await holder_engine.dispose()
    await waiter_engine.dispose()


async def test_many_rows_in_one_statement(db_file: str) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{db_file}")
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO t VALUES (:n)"), [{"n": 1}, {"n": 2}, {"n": 3}])
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM t"))).scalar() == 3
    await engine.dispose()
