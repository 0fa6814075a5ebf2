"""storage.db's sessions: Core on the connection, the ORM joined only when used, one transaction."""

from __future__ import annotations

from datetime import datetime
from unittest import mock

import pytest
from sqlalchemy import func, select, text

from bot.clock import TZ
from storage.db import Database, core
from storage.models import Person

NOW = datetime(2022, 9, 1, 9, 0, tzinfo=TZ)
PEOPLE = select(func.count()).select_from(Person.__table__)


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
