"""aiogram FSM storage kept in the project's database, with a write-through cache.

Reads come from memory after the first one, so an update costs no database
round trip for its state; every change is written before the handler goes on,
so a restart resumes where the user was. One process owns the cache: with
several processes use Redis (REDIS_URL) instead.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.db import create_engine
from storage.models import FsmRecord
from storage.sqlite_direct import DirectSession, direct_database


class DatabaseStorage(BaseStorage):
    """State per user in the `fsm_state` table, on a connection of `engine` (closed with it if `owned`)."""

    def __init__(self, engine: AsyncEngine, *, owned: bool = False) -> None:
        self._engine = engine
        self._direct = direct_database(engine)
        self._owned = owned
        self._keys = DefaultKeyBuilder(with_destiny=True)
        self._cache: dict[str, tuple[str | None, dict[str, Any]]] = {}

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection | DirectSession]:
        """A bare connection: an ORM session cost three times the statement.

        A SQLite file gets a DirectSession, which runs Core statements on
        its connection without a greenlet around each (storage.sqlite_direct).
        """
        if self._direct is not None:
            session = self._direct.session()
            try:
                yield session
            finally:
                await session.close()
            return
        async with self._engine.connect() as connection:
            yield connection

    async def _load(self, key: StorageKey) -> tuple[str, tuple[str | None, dict[str, Any]]]:
        k = self._keys.build(key)
        if k not in self._cache:
            async with self._connection() as conn:
                row = (await conn.execute(_SELECT, {"key": k})).one_or_none()
            self._cache[k] = (row.state, dict(row.data or {})) if row else (None, {})
        return k, self._cache[k]

    async def _save(self, k: str, state: str | None, data: dict[str, Any]) -> None:
        """Writes through before the handler goes on."""
        if self._cache.get(k) == (state, data):
            return
        async with self._connection() as conn:
            if state is None and not data:
                await conn.execute(_DELETE, {"key": k})
            else:
                upsert = _upsert(self._engine.dialect.name)
                await conn.execute(upsert, {"key": k, "state": state, "data": data})
            await conn.commit()
        self._cache[k] = (state, data)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        k, (_, data) = await self._load(key)
        await self._save(k, state.state if isinstance(state, State) else state, data)

    async def set_state_and_data(
        self, key: StorageKey, state: StateType, data: Mapping[str, Any]
    ) -> None:
        """Both in one write (handlers.stages.enter): a stage change sets both."""
        k = self._keys.build(key)
        name = state.state if isinstance(state, State) else state
        await self._save(k, name, copy.deepcopy(dict(data)))

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._load(key))[1][0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        k, (state, _) = await self._load(key)
        await self._save(k, state, copy.deepcopy(dict(data)))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return copy.deepcopy((await self._load(key))[1][1])

    async def get_value(self, storage_key: StorageKey, dict_key: str, default: Any = None) -> Any:
        """One value, without copying the whole data as get_data must."""
        return copy.deepcopy((await self._load(storage_key))[1][1].get(dict_key, default))

    @classmethod
    def beside(cls, engine: AsyncEngine) -> DatabaseStorage:
        """A storage with its own connection to the same database.

        Handlers read the state while holding the main pool's connection;
        sharing that pool would have a handler wait for a second connection
        that never comes free: a deadlock under load. The Dispatcher closes
        the storage (and so this connection) on shutdown.
        """
        own = create_engine(engine.url.render_as_string(hide_password=False))
        return cls(own, owned=True)

    async def close(self) -> None:
        self._cache.clear()
        if self._owned:
            await self._engine.dispose()


def _upsert(dialect: str) -> Any:
    """The state upsert for `dialect`, built once: building it cost more than running it."""
    if dialect not in _UPSERTS:
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = insert(FsmRecord).values(
            key=bindparam("key"), state=bindparam("state"), data=bindparam("data")
        )
        _UPSERTS[dialect] = stmt.on_conflict_do_update(
            index_elements=[FsmRecord.key],
            set_={"state": stmt.excluded.state, "data": stmt.excluded.data},
        )
    return _UPSERTS[dialect]


_UPSERTS: dict[str, Any] = {}
_SELECT = select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == bindparam("key"))
_DELETE = delete(FsmRecord).where(FsmRecord.key == bindparam("key"))
