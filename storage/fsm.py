"""aiogram FSM storage kept in the project's database, with a write-through cache.

Reads come from memory after the first one, so an update costs no database
round trip for its state; every change is written before the handler goes on,
so a restart resumes where the user was. One process owns the cache: with
several processes use Redis (REDIS_URL) instead.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseEventIsolation,
    BaseStorage,
    DefaultKeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.db import Database, core, create_database
from storage.models import FsmRecord


class ChatIsolation(BaseEventIsolation):
    """One update at a time per chat, in this process (several processes use Redis's lock).

    Polling and webhooks handle updates as tasks: without it, a double press of a button that
    acts on the conversation state (/draw's 提交申请, the joint meeting's 确认记录) was handled
    twice on PostgreSQL, both presses reading the state before either cleared it. aiogram's
    SimpleEventIsolation does the same but keeps every chat's lock forever; this one drops a
    lock when nobody holds or awaits it."""

    def __init__(self) -> None:
        self._locks: dict[StorageKey, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncIterator[None]:
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            held, users = self._locks.get(key, (None, 0))
            if held is not lock:
                pass  # closed (shutdown) while this update ran: nothing left to count
            elif users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def held(self) -> int:
        """How many chats' locks are kept (held or awaited): for tests."""
        return len(self._locks)

    async def close(self) -> None:
        self._locks.clear()


class DatabaseStorage(BaseStorage):
    """State per user in the `fsm_state` table of `database` (disposed with it if `owned`)."""

    def __init__(self, database: Database, *, owned: bool = False) -> None:
        self._database = database
        self._owned = owned
        self._keys = DefaultKeyBuilder(with_destiny=True)
        self._cache: dict[str, tuple[str | None, dict[str, Any]]] = {}

    async def _load(self, key: StorageKey) -> tuple[str, tuple[str | None, dict[str, Any]]]:
        k = self._keys.build(key)
        if k not in self._cache:
            async with self._database.session() as session:
                row = (await core(session, _SELECT, {"key": k})).one_or_none()
            self._cache[k] = (row.state, dict(row.data or {})) if row else (None, {})
        return k, self._cache[k]

    async def _save(self, k: str, state: str | None, data: dict[str, Any]) -> None:
        """Writes through before the handler goes on."""
        if self._cache.get(k) == (state, data):
            return
        async with self._database.session(single_write=True) as session:
            if state is None and not data:
                await core(session, _DELETE, {"key": k})
            else:
                upsert = _upsert(self._database.dialect_name)
                await core(session, upsert, {"key": k, "state": state, "data": data})
            await session.commit()
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
    def beside(cls, database: Database) -> DatabaseStorage:
        """A storage with its own connection to the same database.

        aiogram's FSM middleware reads the state before a handler runs, and
        handlers change it between their units of work: on its own
        connection, a state write never waits behind a use case's
        transaction. The Dispatcher closes the storage (and so this
        connection) on shutdown.
        """
        return cls(create_database(database.url_string(), pool_size=2), owned=True)

    async def close(self) -> None:
        self._cache.clear()
        if self._owned:
            await self._database.dispose()


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
