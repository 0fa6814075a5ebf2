"""Precompiled statements store and return exactly what Connection.execute does, and refuse what they cannot run."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import bindparam, event, insert, select
from sqlalchemy.exc import ArgumentError, OperationalError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.crypto import EncryptedJSON, EncryptedString
from storage.repositories import FRESHNESS_BY_ID, SNAPSHOT_BY_ID, UPDATE_IF_VERSION, SqlStore
from storage.sqlite_direct import DirectDatabase, direct_database
from storage.sqlite_precompiled import Precompiled, precompile
from tests.flows.export_helpers import SUBMITTED_AT, add_draft

ANSWERS: dict[str, Any] = {
    "cursor": "mobile",
    "flags": ["age"],
    "name": "王五",
    "id_number": "500106198501011234",
    "id_hash": "ab" * 32,
    "birth_date": date(1985, 1, 1),
    "emergency_expert": False,
    "resume": [{"start": "2010-07", "end": "至今", "unit": "重庆大学", "position": "教授"}],
    "main_specialties": ["矿山安全", "职业卫生"],
    "updated_at": SUBMITTED_AT,
}
"""One value of each kind the answer path writes: encrypted text, JSON, dates, booleans."""


@pytest.fixture
async def database(engine: AsyncEngine) -> DirectDatabase:
    direct = direct_database(engine)
    if direct is None:
        pytest.skip("precompiled statements run on SQLite files only")
    return direct


async def drafts(sessionmaker: async_sessionmaker[AsyncSession], count: int) -> list[int]:
    async with sessionmaker() as session:
        store = SqlStore(session)
        ids = [
            await add_draft(store, person_id=500 + i, unit_code="CQU001", name="王五")
            for i in range(count)
        ]
        await session.commit()
    return ids


async def execute(database: DirectDatabase, statement: Any, params: dict[str, Any], *, precompiled: bool) -> Any:
    """Rows as dicts, or the row count; through the precompiled path or through Connection.execute."""
    session = database.session()
    try:
        result = await session.execute(statement.execution_options(precompiled=precompiled), params)
        out = [dict(r._mapping) for r in result] if statement.is_select else result.rowcount
        await session.commit()
        return out
    finally:
        await session.close()


async def test_an_update_stores_what_connection_execute_stores(
    database: DirectDatabase, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    plain, fast = await drafts(sessionmaker, 2)
    table = UPDATE_IF_VERSION.table
    cursor_executes: list[str] = []
    event.listen(database.engine, "before_cursor_execute", lambda *a: cursor_executes.append(a[2]))
    params = {**ANSWERS, "expected": 1}
    assert await execute(database, UPDATE_IF_VERSION, {**params, "app_id": plain}, precompiled=False) == 1
    assert len(cursor_executes) == 1
    assert await execute(database, UPDATE_IF_VERSION, {**params, "app_id": fast}, precompiled=True) == 1
    assert len(cursor_executes) == 1  # the precompiled one went straight to the cursor
    assert await execute(database, UPDATE_IF_VERSION, {**params, "app_id": fast}, precompiled=True) == 0

    loaded = [
        (await execute(database, SNAPSHOT_BY_ID, {"app_id": i}, precompiled=False))[0]
        for i in (plain, fast)
    ]
    assert _without(loaded[0], "id", "person_id") == _without(loaded[1], "id", "person_id")
    assert loaded[1]["resume"] == ANSWERS["resume"] and loaded[1]["version"] == 2
    # As stored: the same text for every column but the sealed ones, whose nonces differ.
    sealed = {c.key for c in table.columns if isinstance(c.type, EncryptedString | EncryptedJSON)}
    raw = _raw_rows(database, plain, fast)
    assert _without(raw[0], "id", "person_id", *sealed) == _without(raw[1], "id", "person_id", *sealed)
    assert raw[1]["updated_at"] == raw[0]["updated_at"] and isinstance(raw[1]["updated_at"], str)


def _without(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in keys}


def _raw_rows(database: DirectDatabase, *ids: int) -> list[dict[str, Any]]:
    with sqlite3.connect(database.engine.url.database or "") as connection:
        connection.row_factory = sqlite3.Row
        return [
            dict(connection.execute("SELECT * FROM application WHERE id = ?", (i,)).fetchone())
            for i in ids
        ]


async def test_a_select_returns_what_connection_execute_returns(
    database: DirectDatabase, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    (app_id,) = await drafts(sessionmaker, 1)
    params = {"app_id": app_id}
    fast = await execute(database, FRESHNESS_BY_ID, params, precompiled=True)
    assert fast == await execute(database, FRESHNESS_BY_ID, params, precompiled=False)
    assert fast[0]["created_at"] == SUBMITTED_AT and fast[0]["is_open"] is True
    assert await execute(database, FRESHNESS_BY_ID, {"app_id": -1}, precompiled=True) == []


async def test_what_needs_the_execution_context_is_refused(database: DirectDatabase) -> None:
    dialect = database.engine.dialect
    table = UPDATE_IF_VERSION.table
    with pytest.raises(ArgumentError, match="only SELECT"):
        precompile(insert(table), dialect, frozenset({"name"}))
    expanding = select(table.c.id).where(table.c.id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(ArgumentError, match="execution context"):
        precompile(expanding, dialect, frozenset({"ids"}))
    with pytest.raises(ArgumentError, match="expected"):
        await execute(database, UPDATE_IF_VERSION, {"app_id": 1, "name": "x"}, precompiled=True)


async def test_a_value_that_will_not_convert_fails_as_through_sqlalchemy(
    database: DirectDatabase, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    (app_id,) = await drafts(sessionmaker, 1)
    naive = {"app_id": app_id, "expected": 1, "updated_at": datetime(2022, 9, 15, 9, 0)}  # noqa: DTZ001, the point
    for precompiled in (False, True):
        with pytest.raises(StatementError):
            await execute(database, UPDATE_IF_VERSION, naive, precompiled=precompiled)


def test_driver_errors_arrive_as_sqlalchemy_errors() -> None:
    broken = Precompiled("SELECT n FROM no_such_table", (), ("n",), (None,))
    with pytest.raises(OperationalError, match="no_such_table"):
        broken.run(sqlite3.connect(":memory:"), {})
